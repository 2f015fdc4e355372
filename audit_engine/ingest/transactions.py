"""Clean payments (the Règlements sheet, or the invoice's own paid columns) and the dunning log.

A payment names its invoice; one without a known invoice but with a client code is *unapplied cash*
of that client (it reduces the client's outstanding); one with neither is excluded.

>>> import pandas as pd
>>> from audit_engine.io.raw import RawTable
>>> from audit_engine.ingest.columns import parse_table
>>> inv = pd.DataFrame({"invoice_id": ["F1"], "client_id": ["C1"], "amount": [100.0],
...                     "invoice_date": pd.to_datetime(["2025-01-10"]), "row": [2]})
>>> rt = RawTable.from_rows("payments", "Règlements", "x.xlsx", [
...     ["N° facture", "Date règlement", "Montant", "Code client"],
...     ["F1", "05/01/2025", "60", None], ["", "10/02/2025", "25", "C1"], ["F9", "10/02/2025", "5", None]])
>>> pay, unapplied, findings = clean_payments(parse_table(rt, require=False), inv, pd.DataFrame())
>>> pay["amount"].tolist(), unapplied["amount"].tolist()
([60.0], [-25.0])
>>> [f.code for f in findings]
['payment_before_invoice', 'unapplied_payment', 'unknown_invoice']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..findings import Finding, show_value
from ..ledger import PAYMENT_COLUMNS, REMINDER_COLUMNS
from ..schema import header
from .columns import ParsedTable
from .settlement import _empty_credits


def _empty_payments() -> pd.DataFrame:
    return pd.DataFrame({"invoice_id": pd.Series(dtype=object), "client_id": pd.Series(dtype=object),
                         "payment_date": pd.Series(dtype="datetime64[ns]"), "amount": pd.Series(dtype="float64"),
                         "row": pd.Series(dtype="int64")})


def clean_payments(parsed: ParsedTable, invoices: pd.DataFrame, clients: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    sheet = parsed.sheet
    f = parsed.frame[parsed.valid.to_numpy()].copy()
    if "invoice_id" not in f:
        f["invoice_id"] = None
    if "client_id" not in f:
        f["client_id"] = None
    inv = invoices.set_index("invoice_id")
    known = f["invoice_id"].isin(inv.index).to_numpy()
    has_id = f["invoice_id"].notna().to_numpy()
    has_client = f["client_id"].notna().to_numpy()
    inv_col, date_col = header("payments", "invoice_id"), header("payments", "payment_date")

    applied = f[known].copy()
    applied["client_id"] = applied["invoice_id"].map(inv["client_id"]).to_numpy()
    inv_dates = applied["invoice_id"].map(inv["invoice_date"])
    early = (applied["payment_date"] < inv_dates).to_numpy()
    for r, i, d, idate in zip(applied["row"][early], applied["invoice_id"][early], applied["payment_date"][early],
                              inv_dates[early], strict=True):
        findings.append(Finding("warning", sheet, int(r), date_col, d.strftime("%d/%m/%Y"), "payment_before_invoice",
                                {"invoice": i, "invoice_date": idate.strftime("%d/%m/%Y")}))

    to_credit = ~known & has_client
    for r, i, c, unknown in zip(f["row"][to_credit], f["invoice_id"][to_credit], f["client_id"][to_credit],
                                has_id[to_credit], strict=True):
        if unknown:
            findings.append(Finding("warning", sheet, int(r), inv_col, show_value(i), "unknown_invoice",
                                    {"what": f"crédit non affecté du client {c} / unapplied cash of client {c}"}))
        else:
            findings.append(Finding("info", sheet, int(r), inv_col, None, "unapplied_payment", {"client": c}))
    dropped = ~known & ~has_client
    for r, i, with_id in zip(f["row"][dropped], f["invoice_id"][dropped], has_id[dropped], strict=True):
        if with_id:
            findings.append(Finding("error", sheet, int(r), inv_col, show_value(i), "unknown_invoice",
                                    {"what": "règlement exclu / payment excluded"}))
        else:
            findings.append(Finding("error", sheet, int(r), inv_col, None, "unassignable_payment"))

    known_clients = set(invoices["client_id"]) | (set(clients["client_id"]) if len(clients) else set())
    strange = to_credit & ~f["client_id"].isin(known_clients).to_numpy()
    for r, c in zip(f["row"][strange], f["client_id"][strange], strict=True):
        findings.append(Finding("warning", sheet, int(r), header("payments", "client_id"), str(c), "unknown_client",
                                {"what": "crédit conservé / credit kept"}))

    credits = _empty_credits()
    if to_credit.any():
        cr = f[to_credit]
        credits = pd.DataFrame({"client_id": cr["client_id"].to_numpy(), "date": cr["payment_date"].to_numpy(),
                                "amount": -cr["amount"].to_numpy(), "kind": "unapplied_payment",
                                "row": cr["row"].to_numpy()})
    payments = applied[list(PAYMENT_COLUMNS)].reset_index(drop=True)
    return payments, credits, _sort(findings)


def _sort(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda x: x.row or 0)


def payments_from_invoice_columns(parsed: ParsedTable, invoices: pd.DataFrame
                                  ) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """Payments implied by the invoice export's own columns (paid amount, amount due, settlement date)."""
    findings: list[Finding] = []
    wanted = [c for c in ("paid_amount", "open_amount", "settlement_date", "row") if c in parsed.frame.columns]
    f = parsed.frame[wanted].loc[invoices.index]
    amount = invoices["amount"]
    has = parsed.present
    date = f["settlement_date"] if "settlement_date" in has else pd.Series(pd.NaT, index=f.index)
    if "open_amount" in has and "paid_amount" not in has:
        paid = (amount - f["open_amount"]).where(f["open_amount"].notna(), 0.0)
    elif "paid_amount" in has:
        paid = f["paid_amount"].fillna(0.0)
        if "open_amount" in has:
            implied = amount - f["open_amount"]
            mismatch = f["open_amount"].notna() & ((implied - paid).abs() > 0.01)
            for r, v in zip(f["row"][mismatch], f["open_amount"][mismatch], strict=True):
                findings.append(Finding("warning", parsed.sheet, int(r), header("invoices", "open_amount"),
                                        f"{v:.2f}", "open_amount_mismatch"))
            paid = implied.where(f["open_amount"].notna(), paid)
    elif "settlement_date" in has:
        paid = amount.where(date.notna(), 0.0)
        if date.notna().any():
            findings.append(Finding("info", parsed.sheet, None, header("invoices", "settlement_date"), None,
                                    "settlement_without_amount"))
    else:
        return _empty_payments(), _empty_credits(), findings
    nonzero = (paid.abs() > 0.004).to_numpy()
    payments = pd.DataFrame({
        "invoice_id": invoices["invoice_id"].to_numpy()[nonzero],
        "client_id": invoices["client_id"].to_numpy()[nonzero],
        "payment_date": date.to_numpy(dtype="datetime64[ns]")[nonzero],
        "amount": paid.to_numpy(dtype="float64")[nonzero],
        "row": invoices["row"].to_numpy()[nonzero],
        "pos": np.flatnonzero(nonzero),
    })
    settled_no_date = nonzero & date.isna().to_numpy() & ((paid - amount).abs() <= 0.005).to_numpy() \
        & (amount.abs() > 0.004).to_numpy()
    if "settlement_date" in has:
        findings += [Finding("info", parsed.sheet, int(r), header("invoices", "settlement_date"), None,
                             "settled_no_date") for r in invoices["row"].to_numpy()[settled_no_date][:1000]]
    return payments, _empty_credits(), findings


def clean_reminders(parsed: ParsedTable | None, invoices: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    if parsed is None or not len(parsed.frame):
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in REMINDER_COLUMNS})
        empty["reminder_date"] = empty["reminder_date"].astype("datetime64[ns]")
        return empty, findings
    f = parsed.frame[parsed.valid.to_numpy()].copy()
    inv = invoices.set_index("invoice_id")
    known = f["invoice_id"].isin(inv.index).to_numpy()
    for r, i in zip(f["row"][~known], f["invoice_id"][~known], strict=True):
        findings.append(Finding("warning", parsed.sheet, int(r), header("reminders", "invoice_id"), show_value(i),
                                "unknown_invoice", {"what": "relance ignorée / reminder ignored"}))
    f = f[known]
    f["client_id"] = f["invoice_id"].map(inv["client_id"]).to_numpy()
    for c in ("type", "level"):
        if c not in f:
            f[c] = None if c == "type" else np.nan
    f["level"] = pd.to_numeric(f["level"], errors="coerce").astype("float64")
    return f[list(REMINDER_COLUMNS)].reset_index(drop=True), findings
