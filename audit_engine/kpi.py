"""Receivables KPIs and French late-payment rules: plain functions, floats in, float out.

This is the public, documented toolbox the sections (and the Excel functions) call. Days are floats,
rates are percents (``12.15`` means 12.15 %), undefined ratios are ``nan`` (never an exception), and
nothing here reads files or needs pandas. Conventions and legal sources: ``/work/shared/DOMAIN.md``.

Worked example: a client owes EUR 150,000 at the end of March; it invoiced EUR 100,000 in March
(31 days) and EUR 80,000 in February (28 days), EUR 180,000 in all over 59 days.

>>> dso_simple(150_000, 180_000, 59)  # 150,000 x 59 / 180,000
49.166666666666664
>>> dso_countback(150_000, [(31, 100_000), (28, 80_000)])  # March in full + 50,000 / 80,000 x 28
48.5
>>> due_date(dt.date(2025, 1, 15), 45, "days_then_end_of_month")  # 1 March, then end of March
datetime.date(2025, 3, 31)
>>> legal_penalty_rate(dt.date(2025, 10, 15))  # ECB rate on 1 July 2025 (2.15 %) + 10 points
12.15
>>> round(late_penalty(10_000, 73, 12.15), 2)  # 10,000 x 12.15 % x 73 / 365
243.0
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from collections.abc import Iterable, Sequence

import numpy as np

__all__ = [
    "ECB_MAIN_REFINANCING_RATES", "ECB_RATES_CONFIRMED_UNTIL", "LAST_KNOWN_ECB_CHANGE", "DUE_DATE_RULES",
    "dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent",
    "collection_effectiveness_index", "weighted_average_days", "due_date", "late_penalty",
    "legal_penalty_rate", "ecb_rate_on", "fixed_indemnity", "herfindahl_index", "rating_from_days",
]

NAN = float("nan")


# --- DSO family ---------------------------------------------------------------------------------------

def dso_simple(receivables: float, sales: float, days: float) -> float:
    """Simple DSO ("méthode comptable") = receivables / sales x days.

    Receivables and sales must both include VAT (or both exclude it). The sign follows the receivables
    (a net credit balance gives a negative DSO). ``sales <= 0`` -> ``nan`` (no turnover to measure against).

    >>> dso_simple(120_000, 730_000, 365)  # 120,000 x 365 / 730,000
    60.0
    """
    if not sales > 0:
        return NAN
    return float(receivables) * float(days) / float(sales)


def dso_countback(receivables: float, monthly_sales: Iterable[tuple[float, float]]) -> float:
    """Countback DSO ("par épuisement du chiffre d'affaires"), in days.

    ``monthly_sales`` holds ``(days_in_month, sales)`` pairs, most recent month first. The month-end
    receivables are reduced by each month's sales in turn: a month fully used counts all its days, the
    month where the balance runs out counts ``remaining / sales x days``.

    Edge cases, as an accountant reads them:

    - ``receivables <= 0`` -> ``0.0`` (nothing outstanding, nothing to age); ``nan`` -> ``nan``.
    - a month with ``sales <= 0`` (no invoicing, or net credit notes) consumes nothing: while a balance
      remains, the calendar time still passed, so it counts its full days; credit notes do not add back.
    - balance left after every month given -> all their days, plus the remainder at the average daily sales
      of those months (total positive sales / total days). This keeps countback equal to simple DSO when
      sales are flat. No positive sales at all (or no months) -> ``nan``.

    >>> # 150,000 - 100,000 (31 days) = 50,000 left; February: 50,000 / 80,000 x 28 = 17.5; 31 + 17.5
    >>> dso_countback(150_000, [(31, 100_000), (28, 80_000)])
    48.5
    >>> # 200,000 > 180,000: 59 days, plus 20,000 at 180,000 / 59 a day = 6.555...; total 65.555...
    >>> round(dso_countback(200_000, [(31, 100_000), (28, 80_000)]), 4)
    65.5556
    """
    months = [(float(d), float(s)) for d, s in monthly_sales]
    if any(d < 0 for d, _ in months):
        raise ValueError("days_in_month must be >= 0")
    remaining = float(receivables)
    if math.isnan(remaining):
        return NAN
    if remaining <= 0:
        return 0.0
    total_days = 0.0
    for days, sales in months:
        if not sales > 0:  # no sales (or net credit notes): time passes, the balance does not shrink
            total_days += days
            continue
        if remaining <= sales:
            return total_days + remaining / sales * days
        remaining -= sales
        total_days += days
    period_sales = sum(s for _, s in months if s > 0)
    period_days = sum(d for d, _ in months)
    if not period_sales > 0 or not period_days > 0:
        return NAN
    return total_days + remaining * period_days / period_sales


def best_possible_dso(current_receivables: float, sales: float, days: float) -> float:
    """Best Possible DSO = current (not yet due) receivables / sales x days (Credit Research Foundation).

    "Current" = not yet due according to the terms. ``sales <= 0`` -> ``nan``.

    >>> best_possible_dso(73_000, 730_000, 365)  # 73,000 x 365 / 730,000
    36.5
    """
    return dso_simple(current_receivables, sales, days)


def average_days_delinquent(dso: float, best_possible_dso: float) -> float:
    """Average days delinquent (ADD) = DSO - Best Possible DSO: the days owed to lateness alone.

    >>> average_days_delinquent(60.0, 36.5)
    23.5
    """
    return float(dso) - float(best_possible_dso)


def collection_effectiveness_index(opening_receivables: float, sales: float, closing_receivables: float,
                                   closing_current_receivables: float, months: int = 1) -> float:
    """Collection effectiveness index (CEI), in percent.

    ``CEI = (opening + sales / months - closing) / (opening + sales / months - closing_current) x 100``.
    ``months = 1`` is the whole-period form; ``months = N > 1`` is the CRF monthly-average variant
    (credit sales divided by N). The two differ a lot on the same data, so N is a setting (``cei_months``).
    100 = every collectable euro was collected. A denominator ``<= 0`` (nothing collectable, or
    inconsistent inputs) -> ``nan``: the index is undefined, not perfect.

    >>> # collectable 100,000 + 500,000 - 40,000 = 560,000; collected 100,000 + 500,000 - 120,000 = 480,000
    >>> round(collection_effectiveness_index(100_000, 500_000, 120_000, 40_000), 4)  # 480 / 560 x 100
    85.7143
    """
    if months < 1 or int(months) != months:
        raise ValueError(f"months must be a positive integer, got {months!r}")
    base = float(opening_receivables) + float(sales) / months
    denominator = base - float(closing_current_receivables)
    if not denominator > 0:
        return NAN
    return (base - float(closing_receivables)) / denominator * 100.0


def weighted_average_days(amounts: Iterable[float], days: Iterable[float]) -> float:
    """Amount-weighted average of days (to pay, late, terms) = sum(amount x days) / sum(amount).

    Amounts are used as given (exclude credit notes first if they should not weigh). Empty input or
    a zero total -> ``nan``; a ``nan`` among the days -> ``nan``.

    >>> weighted_average_days([1_000, 3_000], [10, 30])  # (1,000 x 10 + 3,000 x 30) / 4,000
    25.0
    """
    a = np.asarray(list(amounts), dtype=float)
    d = np.asarray(list(days), dtype=float)
    if a.shape != d.shape:
        raise ValueError(f"amounts and days differ in length ({a.size} vs {d.size})")
    total = a.sum()
    if a.size == 0 or total == 0:
        return NAN
    return float((a * d).sum() / total)


# --- Due dates ----------------------------------------------------------------------------------------

DUE_DATE_RULES = ("net", "end_of_month_then_days", "days_then_end_of_month")


def _as_date(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):  # also pandas Timestamp
        if value != value:  # pandas NaT
            raise ValueError("missing date (NaT)")
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"a date is expected, got {value!r}")


def _end_of_month(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def due_date(invoice_date: dt.date, terms_days: int, rule: str = "net") -> dt.date:
    """Due date of an invoice under payment terms (L441-10 I; DOMAIN.md "45 jours fin de mois").

    - ``"net"``: invoice date + N days.
    - ``"end_of_month_then_days"``: end of the invoice month + N days.
    - ``"days_then_end_of_month"``: invoice date + N days, then the end of that month.

    The DGCCRF accepts both "fin de mois" readings, hence both rules. Accepts a ``date``, a ``datetime``
    or a pandas ``Timestamp`` and returns a ``date``. Unknown rule or negative / fractional N ->
    ``ValueError``.

    >>> due_date(dt.date(2025, 1, 15), 45, "net")  # 16 days to 31 Jan, 28 in Feb, 1 more
    datetime.date(2025, 3, 1)
    >>> due_date(dt.date(2025, 1, 15), 45, "end_of_month_then_days")  # 31 Jan + 45 = 17 Mar
    datetime.date(2025, 3, 17)
    >>> due_date(dt.date(2025, 1, 15), 45, "days_then_end_of_month")  # 1 Mar -> 31 Mar
    datetime.date(2025, 3, 31)
    """
    if rule not in DUE_DATE_RULES:
        raise ValueError(f"unknown terms rule {rule!r}; expected one of {', '.join(DUE_DATE_RULES)}")
    n = int(terms_days)
    if n != terms_days or n < 0:
        raise ValueError(f"terms_days must be a whole number >= 0, got {terms_days!r}")
    d = _as_date(invoice_date)
    if rule == "net":
        return d + dt.timedelta(days=n)
    if rule == "end_of_month_then_days":
        return _end_of_month(d) + dt.timedelta(days=n)
    return _end_of_month(d + dt.timedelta(days=n))


# --- Late-payment penalties (Code de commerce L441-10 II, D441-5) -----------------------------------------

ECB_MAIN_REFINANCING_RATES: tuple[tuple[dt.date, float], ...] = (
    (dt.date(2014, 9, 10), 0.05),
    (dt.date(2016, 3, 16), 0.00),
    (dt.date(2022, 7, 27), 0.50),
    (dt.date(2022, 9, 14), 1.25),
    (dt.date(2022, 11, 2), 2.00),
    (dt.date(2022, 12, 21), 2.50),
    (dt.date(2023, 2, 8), 3.00),
    (dt.date(2023, 3, 22), 3.50),
    (dt.date(2023, 5, 10), 3.75),
    (dt.date(2023, 6, 21), 4.00),
    (dt.date(2023, 8, 2), 4.25),
    (dt.date(2023, 9, 20), 4.50),
    (dt.date(2024, 6, 12), 4.25),
    (dt.date(2024, 9, 18), 3.65),
    (dt.date(2024, 10, 23), 3.40),
    (dt.date(2024, 12, 18), 3.15),
    (dt.date(2025, 2, 5), 2.90),
    (dt.date(2025, 3, 12), 2.65),
    (dt.date(2025, 4, 23), 2.40),
    (dt.date(2025, 6, 11), 2.15),
)
"""ECB main refinancing operations rate, percent, with the date each change took effect.

Source: ECB, "Key ECB interest rates" page (ecb.europa.eu). Unchanged at the December 2025 meeting."""

LAST_KNOWN_ECB_CHANGE: dt.date = ECB_MAIN_REFINANCING_RATES[-1][0]
ECB_RATES_CONFIRMED_UNTIL: dt.date = dt.date(2025, 12, 18)  # last Governing Council meeting checked
_ECB_DATES = [d for d, _ in ECB_MAIN_REFINANCING_RATES]


def ecb_rate_on(day: dt.date) -> float:
    """ECB main refinancing rate (percent) in force on ``day`` (a change applies from its own date).

    From :data:`ECB_MAIN_REFINANCING_RATES` (source: ECB key interest rates page). After
    :data:`LAST_KNOWN_ECB_CHANGE` the last known rate is used: override it with the ECB setting when the
    ECB has moved since. Before the first date of the table -> ``ValueError``.

    >>> ecb_rate_on(dt.date(2025, 1, 1)), ecb_rate_on(dt.date(2025, 6, 11)), ecb_rate_on(dt.date(2030, 1, 1))
    (3.15, 2.15, 2.15)
    """
    d = _as_date(day)
    i = bisect.bisect_right(_ECB_DATES, d) - 1
    if i < 0:
        raise ValueError(f"no ECB rate known before {_ECB_DATES[0].isoformat()}; give the rate explicitly")
    return ECB_MAIN_REFINANCING_RATES[i][1]


def legal_penalty_rate(on_date: dt.date, ecb_rate: float | None = None) -> float:
    """French default late-payment rate, percent, for the half-year containing ``on_date``.

    = ECB main refinancing rate in force on 1 January (for January-June) or on 1 July (July-December)
    + 10 points (Code de commerce L441-10 II). ``ecb_rate`` (percent) overrides the table. The contractual
    rate may differ but not be below 3 x the legal interest rate.

    >>> legal_penalty_rate(dt.date(2025, 3, 20))  # ECB rate on 1 Jan 2025 = 3.15 % (not 2.65 % in March)
    13.15
    >>> legal_penalty_rate(dt.date(2025, 3, 20), ecb_rate=2.0)
    12.0
    """
    d = _as_date(on_date)
    if ecb_rate is None:
        ecb_rate = ecb_rate_on(dt.date(d.year, 1 if d.month <= 6 else 7, 1))
    return round(float(ecb_rate) + 10.0, 10)


def late_penalty(amount: float, days_late: float, annual_rate_percent: float) -> float:
    """Late-payment penalty = amount x rate / 100 x days late / 365 (L441-10 II).

    ``days_late <= 0`` (paid on time or early) -> ``0.0``; ``amount <= 0`` (credit note) -> ``0.0``.

    >>> late_penalty(10_000, 73, 12.15)  # 10,000 x 0.1215 x 73 / 365 = 10,000 x 0.1215 x 0.2
    243.0
    """
    if days_late <= 0 or amount <= 0:
        return 0.0
    return float(amount) * float(annual_rate_percent) * float(days_late) / 36_500.0


def fixed_indemnity(days_late: float, amount: float = 40.0) -> float:
    """Fixed recovery indemnity (D441-5): EUR 40 per invoice paid late, B2B, no VAT.

    Due in full from the first day late and once per invoice whatever the delay: ``amount`` when
    ``days_late > 0``, else ``0.0``; ``nan`` days -> ``nan``.

    >>> fixed_indemnity(1), fixed_indemnity(200), fixed_indemnity(0)
    (40.0, 40.0, 0.0)
    """
    if math.isnan(days_late):
        return NAN
    return float(amount) if days_late > 0 else 0.0


# --- Concentration and rating ------------------------------------------------------------------------

def herfindahl_index(shares: Iterable[float]) -> float:
    """Herfindahl-Hirschman concentration index = sum of squared shares, shares as fractions (0..1).

    1 = a single client; 1 / n = n equal clients. Empty -> ``nan``. Negative shares or shares summing to
    more than 1 (percent given instead of fractions?) -> ``ValueError``.

    >>> round(herfindahl_index([0.5, 0.3, 0.2]), 10)  # 0.25 + 0.09 + 0.04
    0.38
    """
    s = np.asarray(list(shares), dtype=float)
    if s.size == 0:
        return NAN
    if (s < 0).any() or s.sum() > 1 + 1e-9:
        raise ValueError("shares must be fractions >= 0 summing to at most 1")
    return float((s * s).sum())


def rating_from_days(weighted_days_late: float | None,
                     edges: Sequence[float] = (0, 15, 30)) -> str | None:
    """Payment rating from weighted average days late: A <= e0 < B <= e1 < C <= e2 < D.

    Default edges (0, 15, 30) (setting ``rating_edges``): A = on time or early, B = up to 15 days late,
    C = up to 30, D beyond. ``None`` or ``nan`` -> ``None`` (no paid invoice to rate).

    >>> [rating_from_days(x) for x in (-3, 0, 0.5, 15, 30, 31, float("nan"))]
    ['A', 'A', 'B', 'B', 'C', 'D', None]
    """
    e = tuple(float(x) for x in edges)
    if len(e) != 3 or not e[0] <= e[1] <= e[2]:
        raise ValueError(f"edges must be 3 increasing numbers, got {edges!r}")
    if weighted_days_late is None or math.isnan(weighted_days_late):
        return None
    for grade, edge in zip("ABC", e, strict=True):
        if weighted_days_late <= edge:
            return grade
    return "D"
