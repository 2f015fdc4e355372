"""The rebuilt receivables as the template's tables, and the :class:`RawInput` a FEC reader returns.

Tables use the French template headers and typed values (``datetime.date``, ``float``, ``str``,
``None``); each row's ``rows`` entry is the line of the 411 entry it comes from (header = line 1):

- Factures: N° facture, Code client, Client, Date facture, Date échéance (DateRglt, else empty: the
  engine derives it from the client's terms or the default term), Montant TTC (< 0: credit note);
- Règlements: N° facture (empty: unapplied cash of the client), Date règlement, Montant, Code client,
  Mode de règlement;
- Clients: Code client, Client.

The as-of date is the closing date of the file name, unless the entries disagree with it (entries
after it, or none in the month before it), then the last entry date (:func:`decide_as_of`).

>>> import datetime as d
>>> decide_as_of(d.date(2022, 12, 31), d.date(2023, 7, 31))
(datetime.date(2023, 7, 31), 'entries_after_closing')
>>> decide_as_of(d.date(2022, 8, 31), d.date(2022, 8, 31))
(datetime.date(2022, 8, 31), 'file_name')
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..findings import Finding
from ..i18n import t
from ..io.raw import RawInput, RawTable
from ..schema import CLIENTS, INVOICES, PAYMENTS, header
from . import Money
from .receivables import Receivables, reconstruct
from .reconcile import ledger_balance, reconcile, residual_findings

if TYPE_CHECKING:  # pragma: no cover
    from ..io.fec import FecFile

AGREE_DAYS = 31  # the last entry may fall this many days before the closing date in the name


def decide_as_of(closing: dt.date | None, last_entry: dt.date | None, given: dt.date | None = None
                 ) -> tuple[dt.date | None, str]:
    """(as-of date, reason): given, file_name, entries_after_closing, entries_end_before_closing,
    no_date_in_name."""
    if given is not None:
        return given, "given"
    if closing is None:
        return last_entry, "no_date_in_name"
    if last_entry is None:
        return closing, "file_name"
    if last_entry > closing:
        return last_entry, "entries_after_closing"
    if (closing - last_entry).days > AGREE_DAYS:
        return last_entry, "entries_end_before_closing"
    return closing, "file_name"


def _dates(values: pd.Series) -> np.ndarray:
    """datetime64 -> ``datetime.date`` objects (None for NaT), converting each distinct date once."""
    codes, uniques = pd.factorize(pd.Series(values), use_na_sentinel=True)
    as_dates = np.array([pd.Timestamp(u).date() for u in uniques] + [None], dtype=object)
    return as_dates[codes]  # code -1 (NaT) picks the trailing None


def to_template_tables(rec: Receivables) -> dict[str, pd.DataFrame]:
    """Factures, Règlements and Clients frames (French headers, typed values)."""
    docs, pay, cli = rec.documents, rec.payments, rec.clients
    h = header
    invoices = pd.DataFrame({
        h(INVOICES, "invoice_id"): docs["doc_id"].astype(object).to_numpy(),
        h(INVOICES, "client_id"): docs["client_id"].astype(object).to_numpy(),
        h(INVOICES, "client_name"): docs["client_name"].astype(object).to_numpy(),
        h(INVOICES, "invoice_date"): _dates(docs["date"]),
        h(INVOICES, "due_date"): _dates(docs["due_date"]),
        h(INVOICES, "amount"): docs["amount"].astype(float).to_numpy()}, dtype=object)
    payments = pd.DataFrame({
        h(PAYMENTS, "invoice_id"): pay["invoice_id"].astype(object).to_numpy(),
        h(PAYMENTS, "payment_date"): _dates(pay["date"]),
        h(PAYMENTS, "amount"): pay["amount"].astype(float).to_numpy(),
        h(PAYMENTS, "client_id"): pay["client_id"].astype(object).to_numpy(),
        h(PAYMENTS, "method"): pay["method"].astype(object).to_numpy()}, dtype=object)
    clients = pd.DataFrame({h(CLIENTS, "client_id"): cli["client_id"].astype(object).to_numpy(),
                            h(CLIENTS, "client_name"): cli["client_name"].astype(object).to_numpy()}, dtype=object)
    return {INVOICES: invoices, PAYMENTS: payments, CLIENTS: clients}


def _raw_tables(rec: Receivables, sheet: str, source: str) -> dict[str, RawTable]:
    frames = to_template_tables(rec)
    every = pd.concat([rec.documents[["client_id", "line"]], rec.payments[["client_id", "line"]]])
    lines = {INVOICES: rec.documents["line"], PAYMENTS: rec.payments["line"],
             CLIENTS: every.groupby("client_id")["line"].min().reindex(rec.clients["client_id"])}
    return {k: RawTable(k, sheet, source, frames[k].reset_index(drop=True),
                        np.asarray(lines[k], dtype=np.int64), header_row=1) for k in frames}


def build_raw_input(fec: FecFile, source: str, closing: dt.date | None, as_of: dt.date | None = None,
                    unlettered: str = "auto") -> RawInput:
    """Reconstruct the receivables of ``fec`` and wrap them for the engine (see io.fec.read_fec)."""
    rec = reconstruct(fec.entries, sheet=fec.name, unlettered=unlettered)
    usable = fec.entries[fec.entries["usable"]]
    last = usable["entry_date"].max()
    last_entry = None if pd.isna(last) else last.date()
    as_of_date, reason = decide_as_of(closing, last_entry, as_of)
    findings = list(fec.findings) + list(rec.findings)
    params = {"as_of": as_of_date, "closing": closing, "last_entry": last_entry}
    if as_of_date is not None:
        severity = "warning" if reason.startswith("entries") else "info"
        findings.append(Finding(severity, fec.name, None, None, None, "fec_as_of_" + reason, params))
    with_due = int(rec.documents["due_date"].notna().sum())
    findings.append(Finding("info", fec.name, None, "DateRglt", None, "fec_due_dates", {"count": with_due})
                    if fec.has_due_dates else Finding("info", fec.name, None, None, None, "fec_no_due_dates"))
    tables = _raw_tables(rec, fec.name, source)
    balance = ledger_balance(rec.movements, as_of_date)
    figures = reconcile(tables, as_of_date, balance) if as_of_date is not None else {}
    if figures:
        findings += residual_findings(tables, as_of_date, rec.movements, fec.name)
        findings.append(Finding("info", fec.name, None, None, None, "fec_reconciliation",
                                {"as_of": as_of_date, **{k: Money(v) for k, v in figures.items()}}))
    meta: dict[str, object] = {
        "kind": "fec", "as_of": as_of_date, "as_of_reason": reason,
        "as_of_note": t("fec.as_of_note." + reason, "fr", **params),
        "as_of_note_en": t("fec.as_of_note." + reason, "en", **params),
        "closing_date": closing, "last_entry_date": last_entry, "ledger_balance": balance,
        "ledger_movements": rec.movements, "reconciliation": figures, "findings": findings,
        "stats": dict(rec.stats), "journals": dict(rec.journals), "encoding": fec.encoding,
        "separator": fec.separator, "has_due_dates": fec.has_due_dates,
        "due_dates": "DateRglt" if fec.has_due_dates else "client_terms_or_default",
        "default_terms_note": None if fec.has_due_dates else "dq.fec_no_due_dates",
        "lines": fec.lines,
    }
    return RawInput(source=source, tables=tables, sheets_seen=(fec.name,), meta=meta)
