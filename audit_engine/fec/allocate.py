"""First-in, first-out allocation of credits (payments, credit notes) to debits (invoices), vectorised.

Within each key (a lettrage group, or a client), debits and credits are taken in the order given
(oldest first): the first credit pays the first debit, its remainder the next one, and so on, until
the smaller of the two totals is used up. Amounts are integer cents, so nothing is lost to rounding.

Worked example: a client owes 100 (invoice 0) and 50 (invoice 1) and pays 120 (payment 10) then
30 (payment 11); the first payment settles invoice 0 and 20 of invoice 1, the second the rest:

>>> import pandas as pd
>>> debits = pd.DataFrame({"key": ["C1", "C1"], "cents": [10000, 5000]}, index=[0, 1])
>>> credits = pd.DataFrame({"key": ["C1", "C1"], "cents": [12000, 3000]}, index=[10, 11])
>>> fifo(debits, credits).values.tolist()
[[0, 10, 10000], [1, 10, 2000], [1, 11, 3000]]

How: each key gets its own stretch of a number line; the debits are laid end to end on it, and so are
the credits. Every elementary segment between two consecutive boundaries belongs to exactly one debit
and one credit, found with ``searchsorted``; its length is the amount that credit pays that debit.
No Python loop runs per line.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ALLOCATION_COLUMNS = ("debit", "credit", "cents")


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64") for c in ALLOCATION_COLUMNS})


def _lay_out(codes: np.ndarray, cents: np.ndarray, offset: np.ndarray, cap: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sort items by key (stable), return (positions in the input, global start, global end)."""
    order = np.argsort(codes, kind="stable")
    k = codes[order]
    c = cents[order]
    cum = np.cumsum(c)
    first = np.r_[True, k[1:] != k[:-1]] if len(k) else np.zeros(0, dtype=bool)
    head = np.maximum.accumulate(np.where(first, np.arange(len(k)), 0))  # first item of each one's key
    end = cum - (cum - c)[head]
    start = end - c
    end = np.minimum(end, cap[k])
    start = np.minimum(start, end)
    return order, offset[k] + start, offset[k] + end


def fifo(debits: pd.DataFrame, credits: pd.DataFrame) -> pd.DataFrame:
    """Allocate ``credits`` to ``debits`` first-in first-out within each ``key``.

    Both frames have columns ``key`` (any hashable) and ``cents`` (positive int), in FIFO order within a
    key; their index labels identify the items. Returns one row per (debit, credit) pair that meets:
    columns ``debit`` and ``credit`` (index labels) and ``cents`` (amount allocated, > 0).
    """
    if debits.empty or credits.empty:
        return _empty()
    keys = pd.concat([debits["key"], credits["key"]], ignore_index=True)
    codes, uniques = pd.factorize(keys)
    d_codes, c_codes = codes[: len(debits)], codes[len(debits):]
    d_cents = debits["cents"].to_numpy(dtype=np.int64)
    c_cents = credits["cents"].to_numpy(dtype=np.int64)
    n = len(uniques)
    tot_d = np.zeros(n, dtype=np.int64)
    tot_c = np.zeros(n, dtype=np.int64)
    np.add.at(tot_d, d_codes, d_cents)
    np.add.at(tot_c, c_codes, c_cents)
    cap = np.minimum(tot_d, tot_c)
    span = np.maximum(tot_d, tot_c)
    offset = np.cumsum(span) - span

    d_pos, d_start, d_end = _lay_out(d_codes, d_cents, offset, cap)
    c_pos, c_start, c_end = _lay_out(c_codes, c_cents, offset, cap)
    points = np.unique(np.concatenate([d_start, d_end, c_start, c_end]))
    if len(points) < 2:
        return _empty()
    seg_start, seg_len = points[:-1], np.diff(points)

    i = np.searchsorted(d_start, seg_start, side="right") - 1
    j = np.searchsorted(c_start, seg_start, side="right") - 1
    ok = (i >= 0) & (j >= 0)
    i_safe, j_safe = np.where(ok, i, 0), np.where(ok, j, 0)
    ok &= (seg_start < d_end[i_safe]) & (seg_start < c_end[j_safe]) & (seg_len > 0)
    # Items cut to nothing by the cap sit at the key's end, after every segment that counts.
    out = pd.DataFrame({
        "debit": debits.index.to_numpy()[d_pos[i_safe[ok]]],
        "credit": credits.index.to_numpy()[c_pos[j_safe[ok]]],
        "cents": seg_len[ok].astype(np.int64),
    })
    if out.empty:
        return _empty()
    return out.groupby(["debit", "credit"], sort=False, as_index=False)["cents"].sum()
