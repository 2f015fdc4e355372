"""Vectorised calendar arithmetic on whole days since 1970-01-01 (``int64``), shared by ingestion and
the sections: month ends, and the due-date rules of :func:`audit_engine.kpi.due_date` over arrays.

>>> import numpy as np, pandas as pd
>>> d = day_numbers(pd.Series(pd.to_datetime(["2025-01-15", "2025-01-15", "2025-01-15"])))
>>> due = due_under_terms(d, np.array([45.0, 45.0, 45.0]),
...                       np.array(["net", "end_of_month_then_days", "days_then_end_of_month"], dtype=object))
>>> [str(x) for x in due.astype("datetime64[D]")]
['2025-03-01', '2025-03-17', '2025-03-31']
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

NO_END = np.iinfo(np.int64).max  # "never settled" in day numbers


def day_numbers(dates: pd.Series) -> np.ndarray:
    """Whole days since 1970-01-01 (``int64``); NaT -> :data:`NO_END`."""
    values = dates.to_numpy(dtype="datetime64[D]")
    out = values.astype(np.int64)
    out[np.isnat(values)] = NO_END
    return out


def _by_table(days: np.ndarray, convert: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """``convert`` applied through a lookup table over the days' range: calendar conversions of a
    million dates cost one conversion per distinct day instead of one per date."""
    if not len(days):
        return days.astype(np.int64)
    lo, hi = int(days.min()), int(days.max())
    if hi - lo > 4 * len(days):
        return convert(days)
    return convert(np.arange(lo, hi + 1, dtype=np.int64))[days - lo]


def _eom(days: np.ndarray) -> np.ndarray:
    d = days.astype("datetime64[D]")
    return ((d.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1).astype(np.int64)


def _som(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def end_of_month(days: np.ndarray) -> np.ndarray:
    """Last day of the month of each day number."""
    return _by_table(days, _eom)


def start_of_month(days: np.ndarray) -> np.ndarray:
    """First day of the month of each day number."""
    return _by_table(days, _som)


def due_under_terms(invoice_days: np.ndarray, terms: np.ndarray, rules: np.ndarray,
                    invoice_eom: np.ndarray | None = None) -> np.ndarray:
    """Vectorised :func:`audit_engine.kpi.due_date` (a rule other than the two end-of-month ones = net);
    ``terms`` must be finite."""
    out = invoice_days + terms.astype(np.int64)
    eom_then = rules == "end_of_month_then_days"
    if eom_then.any():
        eom = end_of_month(invoice_days[eom_then]) if invoice_eom is None else invoice_eom[eom_then]
        out[eom_then] = eom + terms[eom_then].astype(np.int64)
    then_eom = rules == "days_then_end_of_month"
    if then_eom.any():
        out[then_eom] = end_of_month(out[then_eom])
    return out
