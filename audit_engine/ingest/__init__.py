"""Ingestion: raw tables -> clean :class:`~audit_engine.ledger.Ledger` + data-quality findings.

A readable pipeline: settings -> invoices -> as-of date -> clients and due dates -> payments ->
reminders. Row-level problems never stop it: they become findings quoting the sheet, row, column
and value. Only what makes the audit impossible raises (missing required column, no usable row).

>>> from audit_engine.io.raw import RawInput, RawTable
>>> inv = RawTable.from_rows("invoices", "Factures", "demo.xlsx", [
...     ["N° facture", "Code client", "Date facture", "Date échéance", "Montant TTC", "Montant réglé"],
...     ["F1", "C1", "02/01/2025", "01/02/2025", "1 200,00", "200"],
...     ["F2", "C2", "15/01/2025", "", "300", ""]])
>>> ledger, settings, findings = ingest(RawInput("demo.xlsx", {"invoices": inv}), as_of="2025-03-03")
>>> ledger.invoices[["invoice_id", "open_amount", "due_source"]].values.tolist()
[['F1', 1000.0, 'data'], ['F2', 300.0, 'default']]
>>> str(ledger.invoices["due_date"].iloc[1].date())   # 30 days by default
'2025-02-14'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ..errors import NoUsableRowsError
from ..findings import Finding
from ..io.raw import RawInput
from ..ledger import PAYMENT_COLUMNS, Ledger
from ..schema import CLIENTS, INVOICES, PAYMENTS, REMINDERS, SETTINGS, TABLE_LABELS
from ..settings import Settings, settings_from_pairs
from .columns import ParsedTable, parse_table
from .documents import clean_clients, clean_invoices, derive_due_dates
from .settlement import apply_payments
from .transactions import clean_payments, clean_reminders, payments_from_invoice_columns

__all__ = ["ingest"]


def _read_settings(raw: RawInput, overrides: dict[str, Any]) -> tuple[Settings, list[Finding]]:
    base = Settings()
    findings: list[Finding] = []
    rt = raw.tables.get(SETTINGS)
    if rt is not None:
        parsed = parse_table(rt, require=False)
        findings += [f for f in parsed.findings if f.code not in ("date_order",)]
        f = parsed.frame
        if "name" in f and "value" in f:
            raw_values = rt.frame.loc[f.index]
            value_col = next(c for c in rt.frame.columns if c in raw_values and _is_value_col(c))
            pairs = list(zip(f["name"], raw_values[value_col], f["row"], strict=True))
            base, more = settings_from_pairs(pairs, sheet=rt.sheet, base=base)
            findings += more
    cli = {k: v for k, v in overrides.items() if v is not None}
    if isinstance(cli.get("as_of"), str):
        cli["as_of"] = dt.date.fromisoformat(cli["as_of"])
    return base.with_(**cli), findings


def _is_value_col(name: str) -> bool:
    from ..schema import match_header

    return match_header(SETTINGS, name) == "value"


def _resolve_as_of(settings: Settings, raw: RawInput, dates: list[pd.Timestamp], sheet: str,
                   lang: str) -> tuple[pd.Timestamp, Finding]:
    if settings.as_of is not None:
        source = "paramètre ou option --as-of" if lang == "fr" else "setting or --as-of option"
        as_of = pd.Timestamp(settings.as_of)
    elif raw.meta.get("as_of") is not None:
        as_of = pd.Timestamp(raw.meta["as_of"])
        note = raw.meta.get("as_of_note_en" if lang == "en" else "as_of_note")
        source = str(note or ("date de clôture du fichier" if lang == "fr"
                                                    else "closing date of the file"))
    else:
        as_of = max(d for d in dates if not pd.isna(d))
        source = "date la plus récente des données" if lang == "fr" else "latest date found in the data"
    as_of = as_of.normalize()
    return as_of, Finding("info", sheet, None, None, None, "as_of_source",
                          {"as_of": as_of.date().isoformat(), "source": source})


def ingest(raw: RawInput, **overrides: Any) -> tuple[Ledger, Settings, list[Finding]]:
    """Clean ``raw`` into a Ledger. ``overrides`` (e.g. as_of, lang) win over the Paramètres sheet."""
    settings, findings = _read_settings(raw, overrides)
    lang = settings.lang
    findings += list(raw.meta.get("findings", []))  # reader findings (e.g. FEC reconstruction)
    parsed: dict[str, ParsedTable] = {}
    for key in (INVOICES, PAYMENTS, REMINDERS, CLIENTS):
        if key in raw.tables:
            parsed[key] = parse_table(raw.tables[key], lang=lang, day_first=settings.day_first,
                                      require=(key == INVOICES))
            findings += parsed[key].findings
    if INVOICES not in parsed:  # read_input guarantees it; a RawInput built by hand may not
        from ..errors import NoInvoiceTableError

        raise NoInvoiceTableError(file=raw.source, sheets=", ".join(raw.sheets_seen) or "-")

    inv_sheet = parsed[INVOICES].sheet
    invoices, duplicates, more = clean_invoices(parsed[INVOICES])
    findings += more
    if invoices.empty:
        raise NoUsableRowsError(file=raw.source, sheet=inv_sheet)

    clients, more = clean_clients(parsed.get(CLIENTS))
    findings += more

    # Payments from the Règlements sheet, else from the invoice's own columns.
    pay_sheet = parsed[PAYMENTS].sheet if PAYMENTS in parsed else inv_sheet
    if PAYMENTS in parsed and parsed[PAYMENTS].valid.any():
        payments, unapplied, more = clean_payments(parsed[PAYMENTS], invoices, clients)
    else:
        payments, unapplied, more = payments_from_invoice_columns(parsed[INVOICES], invoices)
    findings += more

    latest = [invoices["invoice_date"].max(), payments["payment_date"].max() if len(payments) else pd.NaT]
    if REMINDERS in parsed and "reminder_date" in parsed[REMINDERS].frame:
        latest.append(parsed[REMINDERS].frame["reminder_date"].max())
    as_of, note = _resolve_as_of(settings, raw, latest, inv_sheet, lang)
    findings.append(note)
    period_start = (as_of + pd.Timedelta(days=1)) - pd.DateOffset(months=settings.period_months)

    invoices, more = derive_due_dates(invoices, clients, settings, inv_sheet, lang)
    findings += more

    invoices, overpaid, more = apply_payments(invoices, payments, as_of, pay_sheet, inv_sheet)
    findings += more
    credits = pd.concat([c for c in (unapplied, overpaid) if len(c)], ignore_index=True) \
        if (len(unapplied) or len(overpaid)) else overpaid
    later = int((invoices["invoice_date"] > as_of).sum())
    if later:
        findings.append(Finding("info", inv_sheet, None, None, None, "after_as_of",
                                {"count": later, "as_of": as_of.date().isoformat()}))
    reminders, more = clean_reminders(parsed.get(REMINDERS), invoices)
    findings += more

    names = invoices["client_name"]
    if len(clients):
        master = pd.Series(clients["client_name"].to_numpy(), index=clients["client_id"].to_numpy())
        names = names.fillna(pd.Series(invoices["client_id"].map(master).to_numpy(), index=invoices.index))
    invoices["client_name"] = names.fillna(invoices["client_id"])

    available = {k for k in ("delivery_date", "due_date", "disputed", "dispute_reason")
                 if k in parsed[INVOICES].present}
    available |= {k for k in (PAYMENTS, REMINDERS, CLIENTS) if k in parsed and len(parsed[k].frame)}
    if len(payments) and payments["payment_date"].notna().any():
        available.add("payment_dates")
    sheets = {k: p.sheet for k, p in parsed.items()}
    sheets.setdefault(INVOICES, inv_sheet)
    for key in (PAYMENTS, REMINDERS, CLIENTS):
        sheets.setdefault(key, TABLE_LABELS[lang][key])
    ledger = Ledger(invoices=invoices.reset_index(drop=True),
                    payments=payments[list(PAYMENT_COLUMNS)].reset_index(drop=True),
                    reminders=reminders.reset_index(drop=True), clients=clients.reset_index(drop=True),
                    credits=credits.reset_index(drop=True), as_of=as_of, period_start=period_start,
                    sheets=sheets, available=frozenset(available), source=raw.source,
                    duplicates=duplicates.reset_index(drop=True),
                    meta={k: v for k, v in raw.meta.items() if k != "findings"})
    return ledger, settings.with_(as_of=as_of.date()), _sorted(findings)


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.sheet,
                                           f.row if f.row is not None else -1))
