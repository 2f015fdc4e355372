"""Reconciling the audit's open items with the 411 ledger balance at the as-of date.

Computed from the tables as the engine will read them (French template headers), in integer cents:

- ``open_invoices``: the sum of the positive open amounts (documents dated on or before the as-of date,
  minus the payment rows dated on or before it that name them);
- ``unapplied_credits``: minus the sum of the negative open amounts (open credit notes), plus the
  payment rows without an invoice number (unapplied cash) dated on or before the as-of date;
- ``difference`` = ``ledger_balance - (open_invoices - unapplied_credits)``.

>>> import datetime as d, pandas as pd
>>> inv = pd.DataFrame({"N° facture": ["F1", "AV1"], "Code client": ["C1", "C1"],
...                     "Date facture": [d.date(2025, 1, 10), d.date(2025, 1, 12)], "Montant TTC": [1200.0, -50.0]})
>>> pay = pd.DataFrame({"N° facture": ["F1", None], "Date règlement": [d.date(2025, 2, 1), d.date(2025, 2, 3)],
...                     "Montant": [1000.0, 30.0], "Code client": ["C1", "C1"]})
>>> reconcile({"invoices": inv, "payments": pay}, d.date(2025, 3, 31), ledger_balance=120.0)
{'ledger_balance': 120.0, 'open_invoices': 200.0, 'unapplied_credits': 80.0, 'difference': 0.0}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ..findings import Finding
from ..schema import INVOICES, PAYMENTS, header
from . import Money


def _frame(table: object) -> pd.DataFrame:
    if table is None:
        return pd.DataFrame()
    return getattr(table, "frame", table)  # a RawTable or a DataFrame


def _cents(values: pd.Series) -> np.ndarray:
    return np.rint(pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype="float64") * 100).astype(np.int64)


def _dates(values: pd.Series) -> pd.Series:
    return pd.to_datetime(pd.Series(values.to_numpy(), dtype=object), errors="coerce")


def ledger_balance(movements: pd.DataFrame, as_of: dt.date | pd.Timestamp | None) -> float:
    """Sum of Debit - Credit of the 411 lines dated on or before ``as_of`` (all of them when None)."""
    if movements.empty:
        return 0.0
    keep = np.ones(len(movements), dtype=bool) if as_of is None else \
        (pd.to_datetime(movements["date"]) <= pd.Timestamp(as_of)).to_numpy()
    return float(_cents(movements["amount"])[keep].sum()) / 100


def _open_parts(tables: Mapping[str, object], as_of: dt.date | pd.Timestamp
                ) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(open cents of the documents dated <= as_of, unapplied cents <= as_of, payments <= as_of)."""
    asof = pd.Timestamp(as_of)
    inv, pay = _frame(tables.get(INVOICES)), _frame(tables.get(PAYMENTS))
    inv_id = inv[header(INVOICES, "invoice_id")].astype(str).to_numpy()
    keep = (_dates(inv[header(INVOICES, "invoice_date")]) <= asof).to_numpy()
    amount = _cents(inv[header(INVOICES, "amount")])
    if pay.empty:
        return amount[keep], np.zeros(0, dtype=np.int64), pay
    p_date = _dates(pay[header(PAYMENTS, "payment_date")])
    pay = pay[(p_date <= asof).to_numpy()]
    p_inv = pay[header(PAYMENTS, "invoice_id")]
    blank = (p_inv.isna() | (p_inv.astype(str).str.strip() == "")).to_numpy()
    p_cents = _cents(pay[header(PAYMENTS, "amount")])
    applied = pd.Series(p_cents[~blank]).groupby(p_inv[~blank].astype(str).to_numpy()).sum()
    paid = applied.reindex(inv_id[keep]).fillna(0).to_numpy(dtype=np.int64)
    return amount[keep] - paid, p_cents[blank], pay


def reconcile(tables: Mapping[str, object], as_of: dt.date | pd.Timestamp, ledger_balance: float
              ) -> dict[str, float]:
    """The four reconciliation figures (euros, rounded to the cent); see the module docstring."""
    open_cents, unapplied, _ = _open_parts(tables, as_of)
    open_invoices = int(open_cents[open_cents > 0].sum())
    credits = int(-open_cents[open_cents < 0].sum() + unapplied.sum())
    ledger = int(round(ledger_balance * 100))
    return {"ledger_balance": ledger / 100, "open_invoices": open_invoices / 100,
            "unapplied_credits": credits / 100, "difference": (ledger - (open_invoices - credits)) / 100}


def residual_findings(tables: Mapping[str, object], as_of: dt.date | pd.Timestamp, movements: pd.DataFrame,
                      sheet: str) -> list[Finding]:
    """Explain a non-zero difference line by line: one finding per 411 payment line dated on or before
    ``as_of`` whose rows go (in part) to documents dated after it. That money is in the 411 balance
    but in no open item at ``as_of``: by construction of :mod:`.receivables`, the only possible residual.

    ``tables`` must be RawTables (their ``rows`` are the FEC lines); ``movements`` the 411 lines.
    """
    inv, pay = tables.get(INVOICES), tables.get(PAYMENTS)
    if pay is None or _frame(pay).empty:
        return []
    asof = pd.Timestamp(as_of)
    inv_f, pay_f = _frame(inv), _frame(pay)
    doc_date = pd.Series(_dates(inv_f[header(INVOICES, "invoice_date")]).to_numpy(dtype="datetime64[ns]"),
                         index=inv_f[header(INVOICES, "invoice_id")].astype(str).to_numpy())
    line_date = pd.Series(pd.to_datetime(movements["date"]).to_numpy(dtype="datetime64[ns]"),
                          index=movements["line"].to_numpy())
    lines = np.asarray(pay.rows)
    target = pay_f[header(PAYMENTS, "invoice_id")]
    named = (target.notna() & (target.astype(str).str.strip() != "")).to_numpy()
    paid_on = line_date.reindex(lines).to_numpy(dtype="datetime64[ns]")
    goes_to = doc_date.reindex(target.astype(str).to_numpy()).to_numpy(dtype="datetime64[ns]")
    from_doc = np.isin(lines, np.asarray(getattr(inv, "rows", [])))  # credit notes: their pairs cancel out
    late = named & ~from_doc & (paid_on <= asof.to_datetime64()) & ~(goes_to <= asof.to_datetime64())
    if not late.any():
        return []
    amounts = pd.Series(_cents(pay_f[header(PAYMENTS, "amount")])[late])
    docs = pd.Series(target.astype(str).to_numpy()[late])
    grouped = pd.DataFrame({"line": lines[late], "cents": amounts, "doc": docs}).groupby("line", sort=True)
    out = []
    for line, g in grouped:
        out.append(Finding("warning", sheet, int(line), header(PAYMENTS, "invoice_id"), ", ".join(g["doc"]),
                           "fec_residual_prepayment", {"date": pd.Timestamp(line_date[line]).date(),
                                                       "invoice": ", ".join(g["doc"]), "as_of": asof.date(),
                                                       "amount": Money(g["cents"].sum() / 100)}))
    return out
