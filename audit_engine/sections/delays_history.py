"""Section 4 helpers: month windows, receivables at past dates, and the monthly DSO series.

**Month windows.** Months are counted back from the as-of date: window ``k`` (``k = 0`` is the
latest) covers ``[b(k+1), b(k))`` with ``b(k) = as_of + 1 day - k months``, i.e. it ends on
``b(k) - 1 day`` and counts its calendar days. When the as-of date is a month end the windows are the
calendar months; in every case the first ``period_months`` windows tile the analysis period exactly
(``ledger.period_start = b(period_months)``). Countback DSO uses these windows (and, before the period,
as many as are needed to reach the oldest invoice).

**Receivables at a past date D** = invoices and credit notes dated <= D, minus the payments applied to
them dated <= D, plus unapplied cash dated <= D (``ledger.credits``, negative). Each payment counts on
its own date (a payment received before its invoice is a customer advance at that date). A payment
beyond an invoice's amount is not capped: its excess is the client's credit, which the ledger also
books as an ``overpayment`` credit row, so those rows are skipped here (same total, dated when the excess
was paid). Undated payments and credits count from the as-of date only, as in the ledger; payments on
invoices dated after the as-of date stay out. At ``D = as_of`` this is the outstanding of
:func:`~audit_engine.ledger.open_items` (to the cent). Vectorised: each event is binned against the
few dates asked (``searchsorted``, ``bincount``), no sort and no join over the payments.

Worked example: as of 2025-03-31, F1 = 1,000 dated 2025-01-10 paid 400 on 2025-02-05 and 600 on
2025-03-20; at 2025-01-31 the receivables are 1,000, at 2025-02-28 600, at 2025-03-31 0.

>>> import pandas as pd
>>> bounds = month_bounds(pd.Timestamp("2025-03-31"), 3)
>>> [str(b.date()) for b in bounds]
['2025-04-01', '2025-03-01', '2025-02-01', '2025-01-01']
>>> window_days(bounds).tolist()
[31, 28, 31]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import kpi
from ..ledger import DAY, Ledger
from .base import ColumnSpec

NS = "datetime64[ns]"
MAX_HISTORY_MONTHS = 120  # countback never looks further back than 10 years before the period


def month_bounds(as_of: pd.Timestamp, count: int) -> pd.DatetimeIndex:
    """``b(0..count)``: ``as_of + 1 day - k months``, most recent first (window k = [b(k+1), b(k)))."""
    b0 = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    return pd.DatetimeIndex([b0 - pd.DateOffset(months=k) for k in range(count + 1)])


def window_days(bounds: pd.DatetimeIndex) -> np.ndarray:
    """Calendar days of each window, most recent first."""
    b = bounds.to_numpy(dtype=NS)
    return ((b[:-1] - b[1:]) / DAY).astype(np.int64)


def period_months(ledger: Ledger) -> int:
    """Number of windows that tile the analysis period (``settings.period_months`` at ingestion)."""
    b0 = ledger.as_of + pd.Timedelta(days=1)
    start = ledger.period_start
    n = max(1, (b0.year - start.year) * 12 + b0.month - start.month)
    while b0 - pd.DateOffset(months=n) > start:  # defensive: never leave a day of the period out
        n += 1
    return n


def window_index(dates: np.ndarray, bounds: pd.DatetimeIndex) -> np.ndarray:
    """Window k of each date (-1 when outside every window)."""
    asc = bounds.to_numpy(dtype=NS)[::-1]
    j = np.searchsorted(asc, dates, side="right") - 1  # asc[j] <= d < asc[j+1]
    k = (len(asc) - 2) - j
    return np.where((j >= 0) & (j < len(asc) - 1), k, -1)


@dataclass(frozen=True)
class History:
    """Windows back from the as-of date, their sales, and how far back the data goes."""

    bounds: pd.DatetimeIndex  # b(0..count), most recent first
    days: np.ndarray  # calendar days per window
    sales: np.ndarray  # invoices + credit notes dated in each window (incl. VAT)
    terms_amount: np.ndarray  # amount of invoices (> 0) dated in each window
    terms_weighted: np.ndarray  # sum(amount x terms_days) of those invoices
    period_windows: int  # the first n windows tile the analysis period
    data_windows: int  # windows up to the one holding the oldest invoice (countback looks no further)

    def countback_months(self, k: int = 0) -> list[tuple[float, float]]:
        """``(days, sales)`` from window k back to the oldest data, for :func:`kpi.dso_countback`."""
        stop = max(self.data_windows, k)
        return list(zip(self.days[k:stop].tolist(), self.sales[k:stop].tolist(), strict=True))


def history(ledger: Ledger) -> History:
    n = period_months(ledger)
    inv = ledger.invoices
    dates = inv["invoice_date"].to_numpy(dtype=NS)
    live = dates <= np.datetime64(ledger.as_of, "ns")
    dates = dates[live]
    b0 = ledger.as_of + pd.Timedelta(days=1)
    reach = 0
    if len(dates):
        oldest = pd.Timestamp(dates.min())
        reach = min((b0.year - oldest.year) * 12 + b0.month - oldest.month + 1, n + MAX_HISTORY_MONTHS)
    count = max(n, reach) + 2  # + 2: the trailing 3-month DSO of the oldest month of the period
    bounds = month_bounds(ledger.as_of, count)
    data = 0
    if len(dates):
        k = int(window_index(dates.min(keepdims=True), bounds)[0])
        data = k + 1 if k >= 0 else reach  # beyond the cap: stop at the cap
    amount = inv["amount"].to_numpy(dtype="float64")[live]
    positive = amount > 0
    terms = np.nan_to_num(inv["terms_days"].to_numpy(dtype="float64")[live])
    k = window_index(dates, bounds)
    ok, pk = k >= 0, (k >= 0) & positive

    def sums(where: np.ndarray, weights: np.ndarray) -> np.ndarray:
        return np.bincount(k[where], weights=weights[where], minlength=len(bounds) - 1)

    return History(bounds=bounds, days=window_days(bounds), sales=sums(ok, amount),
                   terms_amount=sums(pk, amount), terms_weighted=sums(pk, amount * terms),
                   period_windows=n, data_windows=data)


def receivable_events(ledger: Ledger) -> tuple[np.ndarray, np.ndarray]:
    """(dates, amounts) of everything that moves the receivables up to the as-of date (unsorted)."""
    asof = np.datetime64(ledger.as_of, "ns")
    inv = ledger.invoices
    inv_dates = inv["invoice_date"].to_numpy(dtype=NS)
    live = inv_dates <= asof
    parts_d, parts_a = [inv_dates[live]], [inv["amount"].to_numpy(dtype="float64")[live]]
    pay = ledger.payments
    if len(pay):
        keep = np.ones(len(pay), dtype=bool)
        if not live.all():  # payments on invoices dated after the as-of date stay out, as in open_items
            keep = ~pay["invoice_id"].isin(inv["invoice_id"].to_numpy()[~live]).to_numpy()
        pdate = pay["payment_date"].to_numpy(dtype=NS)
        pdate = np.where(np.isnat(pdate), asof, pdate)  # undated: known at the as-of date
        keep &= pdate <= asof
        parts_d.append(pdate[keep])
        parts_a.append(-pay["amount"].to_numpy(dtype="float64")[keep])
    cr = ledger.credits
    if len(cr):
        cdate = cr["date"].to_numpy(dtype=NS)
        cdate = np.where(np.isnat(cdate), asof, cdate)
        keep = (cdate <= asof) & (cr["kind"] != "overpayment").to_numpy()  # carried by the payments
        parts_d.append(cdate[keep])
        parts_a.append(cr["amount"].to_numpy(dtype="float64")[keep])
    return np.concatenate(parts_d), np.concatenate(parts_a)


def receivables_at(ledger: Ledger, when: pd.DatetimeIndex | list[pd.Timestamp],
                   events: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """Receivables at the end of each day in ``when`` (see the module docstring): the events dated
    before the next midnight, summed by bins (no sort of the events, no join)."""
    dates, amounts = receivable_events(ledger) if events is None else events
    cuts = (pd.DatetimeIndex(when).normalize() + pd.Timedelta(days=1)).to_numpy(dtype=NS)
    asc = np.unique(cuts)
    below = np.cumsum(np.bincount(np.searchsorted(asc, dates, side="right"), weights=amounts,
                                  minlength=len(asc) + 1))  # below[j] = events dated < asc[j]
    return below[np.searchsorted(asc, cuts)]


def month_end_receivables(ledger: Ledger, hist: History) -> np.ndarray:
    """Receivables at the end of each window of the period, then at the day before the period
    (``n + 1`` values, most recent first; the last one is the CEI's opening balance)."""
    n = hist.period_windows
    return receivables_at(ledger, hist.bounds[:n + 1] - pd.Timedelta(days=1))


def monthly_series(hist: History, receivables: np.ndarray) -> pd.DataFrame:
    """One row per month of the period, oldest first: receivables at its end, its sales, the countback
    DSO at its end (its sales and the months before), the simple DSO over the trailing 3 months
    (receivables / their sales x their days; nan while those months reach back before the oldest
    invoice), and the weighted terms of its invoices (nan without invoice that month)."""
    n = hist.period_windows
    rows = []
    for k in range(n):
        rec = float(receivables[k])
        sales3, days3 = hist.sales[k:k + 3].sum(), hist.days[k:k + 3].sum()
        terms = hist.terms_weighted[k] / hist.terms_amount[k] if hist.terms_amount[k] > 0 else np.nan
        rows.append({
            "month_start": hist.bounds[k + 1], "month_end": hist.bounds[k] - pd.Timedelta(days=1),
            "days": int(hist.days[k]), "receivables": rec, "sales": float(hist.sales[k]),
            "dso_countback": kpi.dso_countback(rec, hist.countback_months(k)),
            "dso_3m": kpi.dso_simple(rec, sales3, days3) if k + 3 <= hist.data_windows else np.nan,
            "weighted_terms_days": terms,
        })
    frame = pd.DataFrame(rows[::-1])
    frame["gap_days"] = frame["dso_countback"] - frame["weighted_terms_days"]
    return frame


@dataclass(frozen=True)
class ClientCodes:
    """Every client of the ledger numbered once (invoices, then unapplied cash), so per-client sums are
    ``np.bincount`` over codes instead of groupbys over text."""

    ids: pd.Index  # client ids, in order of first appearance
    invoice_codes: np.ndarray  # code of each row of ledger.invoices

    def of_ids(self, values: pd.Series | np.ndarray) -> np.ndarray:
        return self.ids.get_indexer(values)

    def of_rows(self, ledger: Ledger, frame: pd.DataFrame) -> np.ndarray:
        """Codes of the rows of a filtered ``ledger.invoices`` (period_documents, settled_invoices...)."""
        return self.invoice_codes[invoice_positions(ledger, frame)]

    def sums(self, codes: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(codes, weights=weights, minlength=len(self.ids)).astype("float64")


def text(values: np.ndarray) -> pd.Series:
    """Text values kept as ``object`` (as in the ledger): pandas 3 would convert them to ``str``, slowly."""
    return pd.Series(values, dtype=object, copy=False)


def invoice_positions(ledger: Ledger, frame: pd.DataFrame) -> np.ndarray:
    """Positions in ``ledger.invoices`` of the rows of a frame filtered from it."""
    index = ledger.invoices.index
    if isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1:
        return frame.index.to_numpy(dtype=np.int64)
    return index.get_indexer(frame.index)


def client_codes(ledger: Ledger) -> ClientCodes:
    codes, uniques = pd.factorize(ledger.invoices["client_id"], use_na_sentinel=False)
    ids = pd.Index(uniques, dtype=object)
    known = set(ids)
    extra = pd.unique(ledger.credits["client_id"].dropna()) if len(ledger.credits) else []
    extra = [c for c in extra if c not in known]
    if len(extra):
        ids = ids.append(pd.Index(extra, dtype=object))
    return ClientCodes(ids=ids, invoice_codes=codes.astype(np.int64))


MONTHLY_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("month_start", "Début du mois", "Month start", "date"),
    ColumnSpec("month_end", "Fin du mois", "Month end", "date"),
    ColumnSpec("days", "Jours", "Days", "int"),
    ColumnSpec("receivables", "Encours fin de mois", "Receivables at month end", "amount"),
    ColumnSpec("sales", "CA TTC du mois", "Sales incl. VAT", "amount"),
    ColumnSpec("dso_countback", "DSO (épuisement du CA)", "DSO (countback)", "days"),
    ColumnSpec("dso_3m", "DSO 3 mois glissants", "DSO trailing 3 months", "days"),
    ColumnSpec("weighted_terms_days", "Délai contractuel pondéré", "Weighted contractual terms", "days"),
    ColumnSpec("gap_days", "Écart DSO - délai", "DSO - terms gap", "days"),
)
