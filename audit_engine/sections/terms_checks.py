"""Section 3 helpers: per-client sums and extremes over integer codes, day arithmetic, legal due dates,
uniformity of terms, and the "invoiced while overdue" sweep. Pure numpy/pandas, vectorised (1,000,000
invoices in a fraction of a second).

Dates are handled as whole days since 1970-01-01 (``int64``). The latest legal due date of an invoice
(Code de commerce L441-10) is the latest of the three accepted readings:

>>> import numpy as np
>>> d = day_numbers(pd.Series(pd.to_datetime(["2025-01-15"])))
>>> due = latest_legal_due(d, 60, 45)  # max(16 Mar, end of month of 1 Mar = 31 Mar, 31 Jan + 45 = 17 Mar)
>>> str(due.astype("datetime64[D]")[0])
'2025-03-31'

Invoiced while overdue: F2 (dated 10 Mar) was issued while F1 (due 31 Jan, unpaid) was 38 days
overdue, i.e. more than 30 days:

>>> blocker = oldest_overdue_blocker(np.array([0]), day_numbers(pd.Series(pd.to_datetime(["2025-01-31"]))),
...     np.array([NO_END]), np.array([0]), day_numbers(pd.Series(pd.to_datetime(["2025-03-10"]))), 30)
>>> blocker.tolist()
[0]
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..days import NO_END, day_numbers, due_under_terms, end_of_month, start_of_month  # noqa: F401 - re-exported
from ..ingest.values import parse_number_value
from ..ledger import Ledger
from ..schema import normalize_header

TERMS_TOLERANCE_DAYS = 2  # invoices within +/- 2 days of a common term are "on the same terms"
EOM_RULES = ("end_of_month_then_days", "days_then_end_of_month")
_YES = {"oui", "o", "yes", "y", "vrai", "true", "x", "acompte", "deposit"}


def group_sum(codes: np.ndarray, weights: np.ndarray | None, n: int) -> np.ndarray:
    """Sum of ``weights`` (count when None) per code 0..n-1, as floats."""
    return np.bincount(codes, weights=weights, minlength=n).astype(float)


def ratio(a: np.ndarray | float, b: np.ndarray | float) -> Any:
    """a / b where b > 0, else NaN (no warning)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.asarray(b) > 0, np.asarray(a) / np.where(np.asarray(b) > 0, b, 1.0), np.nan)


def group_min(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Minimum of ``values`` per code 0..n-1 (NaN for a code without values)."""
    out = np.full(n, np.inf)
    np.minimum.at(out, codes, values.astype(float))
    out[np.isinf(out)] = np.nan
    return out


def group_max(codes: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Maximum of ``values`` per code 0..n-1 (NaN for a code without values)."""
    return -group_min(codes, -values.astype(float), n)


def latest_legal_due(invoice_days: np.ndarray, max_days: int, max_eom_days: int,
                     invoice_eom: np.ndarray | None = None) -> np.ndarray:
    """Latest due date allowed by L441-10: invoice + 60 days, or 45 days end of month in either DGCCRF
    reading (invoice + 45 days then end of month; end of invoice month + 45 days), whichever is latest.
    ``invoice_eom`` = :func:`end_of_month` of the invoice days, when already computed."""
    eom = end_of_month(invoice_days) if invoice_eom is None else invoice_eom
    return np.maximum.reduce([invoice_days + max_days, end_of_month(invoice_days + max_eom_days), eom + max_eom_days])


def master_over_legal(terms: np.ndarray, rules: np.ndarray, max_days: int, max_eom_days: int) -> np.ndarray:
    """Client-master terms over the legal maximum: net (or no rule) > 60 days, end of month > 45 days."""
    eom = np.isin(rules.astype(object), EOM_RULES)
    with np.errstate(invalid="ignore"):
        return np.where(eom, terms > max_eom_days, terms > max_days) & ~np.isnan(terms)


def deposit_paid(values: pd.Series) -> np.ndarray:
    """Master ``deposit`` cells that mean a deposit is already required: Oui/Yes/x or a number > 0."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    flags = []
    for u in uniques:
        if normalize_header(u) in _YES:
            flags.append(True)
            continue
        x = parse_number_value(u)
        flags.append(x is not None and x > 0)
    out = np.zeros(len(values), dtype=bool)
    has = codes >= 0
    if len(uniques):
        out[has] = np.array(flags, dtype=bool)[codes[has]]
    return out


def uniformity(codes: np.ndarray, invoice_days: np.ndarray, due_days: np.ndarray, n: int,
               master_rules: np.ndarray, tol: int = TERMS_TOLERANCE_DAYS,
               invoice_eom: np.ndarray | None = None) -> pd.DataFrame:
    """Per client code (0..n-1), over invoices whose due date comes from the data: median, min, max and
    distinct count of terms (due - invoice date), and the rule under which all its invoices share one
    term within +/- ``tol`` days ("net": same days; "end_of_month_then_days": same days after the end
    of the invoice month; "days_then_end_of_month": due dates at month ends reachable with one term),
    the client-master rule first. ``observed_rule`` None = not uniform; NaN rows = no such invoice."""
    t = due_days - invoice_days
    cnt = np.bincount(codes, minlength=n)
    stats = {k: np.full(n, np.nan) for k in ("median", "tmin", "tmax", "distinct")}
    if len(t):  # one sort by (client, terms) gives min, max, median and distinct counts
        base, span = int(t.min()), int(t.max() - t.min()) + 1
        keys = np.sort(codes.astype(np.int64) * span + (t - base))
        ts = (keys % span + base).astype(float)
        has = cnt > 0
        first = (np.cumsum(cnt) - cnt)[has]
        last = first + cnt[has] - 1
        stats["tmin"][has], stats["tmax"][has] = ts[first], ts[last]
        stats["median"][has] = (ts[first + (cnt[has] - 1) // 2] + ts[first + cnt[has] // 2]) / 2
        new = np.r_[True, keys[1:] != keys[:-1]] if len(keys) else np.zeros(0, dtype=bool)
        stats["distinct"][has] = np.bincount(keys[new] // span, minlength=n)[has]
    month_end = due_days == end_of_month(due_days)
    te = due_days - (end_of_month(invoice_days) if invoice_eom is None else invoice_eom)
    lo = start_of_month(due_days) - invoice_days  # "N days then end of month": N in [lo, t] for each invoice
    with np.errstate(invalid="ignore"):
        ok = {"net": stats["tmax"] - stats["tmin"] <= 2 * tol,
              "end_of_month_then_days": group_max(codes, te, n) - group_min(codes, te, n) <= 2 * tol,
              "days_then_end_of_month": (group_min(codes, month_end, n) == 1)
              & (group_max(codes, lo, n) - group_min(codes, t, n) <= 2 * tol)}
    mrules = pd.Series(master_rules, dtype=object).fillna("net").to_numpy()
    master_ok = np.select([mrules == r for r in ok], list(ok.values()), default=False)
    rule = np.select([master_ok, ok["net"], ok["end_of_month_then_days"], ok["days_then_end_of_month"]],
                     [mrules, "net", "end_of_month_then_days", "days_then_end_of_month"], default=None)
    rule = rule.astype(object)
    rule[cnt == 0] = None
    return pd.DataFrame({"median_terms_days": stats["median"], "min_terms_days": stats["tmin"],
                         "max_terms_days": stats["tmax"], "distinct_terms": stats["distinct"], "observed_rule": rule})


def oldest_overdue_blocker(b_codes: np.ndarray, b_due: np.ndarray, b_end: np.ndarray, q_codes: np.ndarray,
                           q_days: np.ndarray, block_days: int) -> np.ndarray:
    """For each query (client code, day): the index of the blocker (an invoice of the same client more
    than ``block_days`` past due and not settled on that day) with the oldest due date, or -1.

    Blocker j is active on day d when ``due_j + block_days < d < end_j`` (``end_j`` = settlement day,
    :data:`NO_END` if never). O(n log n): blockers sorted by (client, start) with a running maximum of
    their end; for a query the first blocker whose running end exceeds d is the oldest active one, if
    it started on or before d (two ``searchsorted``; composite keys client x span + day keep clients apart).
    """
    if not len(b_codes) or not len(q_codes):
        return np.full(len(q_codes), -1, dtype=np.int64)
    start = b_due + block_days + 1
    finite = b_end[b_end != NO_END]
    lo = min(int(start.min()), int(q_days.min()))
    hi = max(int(start.max()), int(q_days.max()), int(finite.max()) if len(finite) else lo)
    span = hi - lo + 2
    end = np.where(b_end == NO_END, hi + 1, b_end) - lo
    key_start = b_codes.astype(np.int64) * span + (start - lo)
    order = np.argsort(key_start)
    key_start = key_start[order]
    running_end = np.maximum.accumulate(b_codes[order].astype(np.int64) * span + end[order])
    q = q_codes.astype(np.int64) * span + (q_days - lo)
    q_order = np.argsort(q)  # sorted queries make the binary searches cache-friendly
    qs = q[q_order]
    p = np.searchsorted(key_start, qs, side="right")
    k = np.searchsorted(running_end, qs, side="right")
    out = np.full(len(q), -1, dtype=np.int64)
    out[q_order] = np.where(k < p, order[np.minimum(k, len(order) - 1)], -1)
    return out


def invoiced_while_overdue(view: Ledger, docs: pd.DataFrame, ids: pd.Index, block_days: int) -> pd.DataFrame:
    """Per client (index client_id): the period's invoices ``docs`` issued while another invoice of the
    client was more than ``block_days`` past due and unpaid on that day (:func:`oldest_overdue_blocker`):
    invoice_count, invoiced_amount, worst_days_overdue, first_date, last_date. ``view`` has the
    invoices' due_date, amount, open_amount, settlement_date and ``code`` (index into ``ids``)."""
    inv = view.invoices
    b_due, b_end = day_numbers(inv["due_date"]), day_numbers(inv["settlement_date"])
    unpaid = (b_end != NO_END) | (inv["open_amount"].to_numpy(dtype=float) > 0.004)  # settled undated: unknown
    keep = (inv["amount"].to_numpy(dtype=float) > 0) & unpaid & (b_due != NO_END)
    keep &= b_end > np.where(keep, b_due, 0) + block_days + 1  # settled before N days overdue: never blocks
    b_codes, b_due, b_end = inv["code"].to_numpy()[keep], b_due[keep], b_end[keep]
    q_codes, q_days = docs["code"].to_numpy(), day_numbers(docs["invoice_date"])
    first_due = group_min(b_codes, b_due, len(ids))  # queries before a client's first possible blocker: skip
    cand = np.flatnonzero(q_days > np.nan_to_num(first_due, nan=np.inf)[q_codes] + block_days)
    hit = oldest_overdue_blocker(b_codes, b_due, b_end, q_codes[cand], q_days[cand], block_days)
    flagged, rows = hit >= 0, cand[hit >= 0]
    c, n = q_codes[rows], len(ids)
    count = np.bincount(c, minlength=n)
    has = count > 0
    out = pd.DataFrame({
        "invoice_count": count, "invoiced_amount": group_sum(c, docs["amount"].to_numpy(dtype=float)[rows], n),
        "worst_days_overdue": group_max(c, q_days[rows] - b_due[hit[flagged]], n),
        "first_date": group_min(c, q_days[rows], n), "last_date": group_max(c, q_days[rows], n)}, index=ids)[has]
    for col in ("first_date", "last_date"):
        out[col] = out[col].to_numpy().astype(np.int64).astype("datetime64[D]").astype("datetime64[ns]")
    return out
