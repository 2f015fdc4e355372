"""Apply payments to invoices: amount paid at the as-of date, settlement date, unapplied cash.

Payments are summed per invoice; the settlement date is the date of the payment that brought the
cumulative amount up to the invoice amount. Payments dated after the as-of date do not reduce the
outstanding at that date. An excess over the invoice amount becomes unapplied cash of the client.

>>> import pandas as pd
>>> inv = pd.DataFrame({"invoice_id": ["F1", "F2"], "client_id": ["C1", "C1"], "amount": [100.0, 50.0],
...                     "row": [2, 3]})
>>> pay = pd.DataFrame({"invoice_id": ["F1", "F1", "F2"], "client_id": ["C1", "C1", "C1"],
...                     "payment_date": pd.to_datetime(["2025-02-01", "2025-03-01", "2025-02-10"]),
...                     "amount": [40.0, 60.0, 70.0], "row": [2, 3, 4]})
>>> out, credits, findings = apply_payments(inv, pay, pd.Timestamp("2025-12-31"), "Règlements")
>>> out["paid"].tolist(), out["settlement_date"].dt.strftime("%Y-%m-%d").tolist()
([100.0, 50.0], ['2025-03-01', '2025-02-10'])
>>> credits["amount"].tolist(), [f.code for f in findings]
([-20.0], ['overpayment'])
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..findings import Finding

CENT = 0.005


def apply_payments(invoices: pd.DataFrame, payments: pd.DataFrame, as_of: pd.Timestamp, sheet: str,
                   invoice_sheet: str = "Factures") -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """Return the invoices with ``paid``, ``open_amount``, ``settlement_date``, ``settled_undated``,
    the unapplied-cash rows created by overpayments, and the findings."""
    inv = invoices.copy(deep=False)  # copy-on-write: only new columns are added
    findings: list[Finding] = []
    amount = inv["amount"].to_numpy()
    if payments.empty:
        inv["paid"] = 0.0
        inv["open_amount"] = amount
        inv["settlement_date"] = pd.NaT
        inv["settled_undated"] = False
        return inv, _empty_credits(), findings

    if "pos" in payments:  # payments already aligned with the invoices (from the invoice's own columns)
        pos = payments["pos"].to_numpy(dtype=np.int64)
    else:
        pos = pd.Index(inv["invoice_id"].to_numpy(dtype=object)).get_indexer(
            payments["invoice_id"].to_numpy(dtype=object))
    keep = pos >= 0
    pos = pos[keep]
    dates = payments["payment_date"].to_numpy(dtype="datetime64[ns]")[keep]
    amts = payments["amount"].to_numpy(dtype="float64")[keep]
    undated_pay = np.isnat(dates)
    # undated payments are known at the as-of date only: they come after the dated ones
    key = np.where(undated_pay, np.iinfo(np.int64).max, dates.view(np.int64))
    order = np.lexsort((key, pos))
    pos, dates, amts, undated_pay = pos[order], dates[order], amts[order], undated_pay[order]

    counted = undated_pay | (dates <= as_of.to_datetime64())
    paid_asof = np.bincount(pos, weights=np.where(counted, amts, 0.0), minlength=len(inv))
    total = np.cumsum(amts)
    starts = np.r_[True, pos[1:] != pos[:-1]] if len(pos) else np.zeros(0, dtype=bool)
    first_of_group = np.maximum.accumulate(np.where(starts, np.arange(len(pos)), 0))
    cum = total - (total - amts)[first_of_group]
    inv_amount = amount[pos]
    sign = np.where(inv_amount < 0, -1.0, 1.0)
    reached = np.flatnonzero(sign * cum >= sign * inv_amount - CENT)
    _, first = np.unique(pos[reached], return_index=True)
    hit = reached[first]
    settle = np.full(len(inv), np.datetime64("NaT"), dtype="datetime64[ns]")
    undated = np.zeros(len(inv), dtype=bool)
    settle[pos[hit]] = dates[hit]
    undated[pos[hit]] = undated_pay[hit]

    sign_inv = np.where(amount < 0, -1.0, 1.0)
    excess = sign_inv * (paid_asof - amount)
    over = excess > CENT
    paid = np.where(over, amount, paid_asof)
    inv["paid"] = paid
    inv["open_amount"] = np.round(amount - paid, 2)
    inv["settlement_date"] = settle
    inv["settled_undated"] = undated
    credits = _empty_credits()
    if over.any():
        idx = np.flatnonzero(over)
        credits = pd.DataFrame({
            "client_id": inv["client_id"].to_numpy()[idx],
            "date": settle[idx],
            "amount": -(sign_inv[idx] * excess[idx]),
            "kind": "overpayment",
            "row": inv["row"].to_numpy()[idx],
        })
        for i in idx:
            findings.append(Finding("warning", invoice_sheet, int(inv["row"].iat[i]), None,
                                    str(inv["invoice_id"].iat[i]), "overpayment",
                                    {"paid": f"{paid_asof[i]:.2f}", "amount": f"{amount[i]:.2f}",
                                     "excess": f"{sign_inv[i] * excess[i]:.2f}"}))
    return inv, credits, findings


def _empty_credits() -> pd.DataFrame:
    return pd.DataFrame({"client_id": pd.Series(dtype=object), "date": pd.Series(dtype="datetime64[ns]"),
                         "amount": pd.Series(dtype="float64"), "kind": pd.Series(dtype=object),
                         "row": pd.Series(dtype="int64")})
