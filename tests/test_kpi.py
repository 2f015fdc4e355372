"""Tests for audit_engine.kpi: hand-computed expectations (arithmetic in comments) and properties."""

from __future__ import annotations

import datetime as dt
import doctest
import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import audit_engine.kpi as kpi
from audit_engine.kpi import (
    ECB_MAIN_REFINANCING_RATES,
    LAST_KNOWN_ECB_CHANGE,
    average_days_delinquent,
    best_possible_dso,
    collection_effectiveness_index,
    dso_countback,
    dso_simple,
    due_date,
    ecb_rate_on,
    fixed_indemnity,
    herfindahl_index,
    late_penalty,
    legal_penalty_rate,
    rating_from_days,
    weighted_average_days,
)

D = dt.date
approx = pytest.approx


def test_doctests_pass():
    result = doctest.testmod(kpi)
    assert result.attempted > 0 and result.failed == 0


def test_every_public_function_is_documented_with_an_example():
    for name in kpi.__all__:
        obj = getattr(kpi, name)
        if callable(obj):
            assert obj.__doc__ and ">>>" in obj.__doc__, name
    assert ">>>" in kpi.__doc__


# --- DSO ----------------------------------------------------------------------------------------------

def test_dso_simple():
    # 50,000 x 90 / 200,000 = 22.5
    assert dso_simple(50_000, 200_000, 90) == approx(22.5)


@pytest.mark.parametrize("sales", [0, -10.0])
def test_dso_simple_without_sales_is_nan(sales):
    assert math.isnan(dso_simple(1_000, sales, 90))


@pytest.mark.parametrize("receivables, months, expected", [
    # runs out in the first month: 40,000 / 100,000 x 31 = 12.4
    (40_000, [(31, 100_000), (28, 80_000)], 12.4),
    # exactly the first month's sales: 31 full days, nothing from February
    (100_000, [(31, 100_000), (28, 80_000)], 31.0),
    # 250,000 - 100,000 (31 d) = 150,000 - 80,000 (28 d) = 70,000; 70,000 / 120,000 x 31 = 18.0833...
    # 31 + 28 + 18.083333 = 77.083333
    (250_000, [(31, 100_000), (28, 80_000), (31, 120_000)], 31 + 28 + 70_000 / 120_000 * 31),
    # pro rata uses that month's own sales: 31 + 50,000 / 80,000 x 28 = 31 + 17.5 = 48.5
    (150_000, [(31, 100_000), (28, 80_000)], 48.5),
    # a month without sales in the middle counts its full days: 31 (30,000 left) + 28 + 30/60 x 31 = 74.5
    (130_000, [(31, 100_000), (28, 0), (31, 60_000)], 74.5),
    # net credit notes (negative sales) count like no sales, never add back: 31 + 30 + 15.5 = 76.5
    (130_000, [(31, 100_000), (30, -5_000), (31, 60_000)], 76.5),
    # a month without sales after the balance ran out is not counted: 50/100 x 31 = 15.5
    (50_000, [(31, 100_000), (28, 0)], 15.5),
    # beyond all months: 60 days, 30,000 left at 120,000 / 60 = 2,000 a day -> 15 days; 60 + 15 = 75
    (150_000, [(30, 60_000), (30, 60_000)], 75.0),
    # beyond, with a zero month: 31 + 28 + 31 = 90 days, 20,000 left at 160,000 / 90 a day = 11.25; 101.25
    (180_000, [(31, 100_000), (28, 0), (31, 60_000)], 101.25),
])
def test_dso_countback_hand_computed(receivables, months, expected):
    assert dso_countback(receivables, months) == approx(expected)


@pytest.mark.parametrize("receivables", [0, -500.0])
def test_dso_countback_no_receivables_is_zero(receivables):
    assert dso_countback(receivables, [(31, 100_000)]) == 0.0


@pytest.mark.parametrize("receivables, months", [
    (float("nan"), [(31, 100_000)]),
    (1_000, []),  # no months given
    (1_000, [(31, 0), (30, -20)]),  # no positive sales at all
])
def test_dso_countback_undefined_is_nan(receivables, months):
    assert math.isnan(dso_countback(receivables, months))


def test_dso_countback_accepts_any_iterable_and_rejects_negative_days():
    # 20,000 / 40,000 x 30 = 15
    assert dso_countback(20_000, ((d, s) for d, s in [(30, 40_000)])) == approx(15.0)
    with pytest.raises(ValueError):
        dso_countback(20_000, [(-30, 40_000)])


def test_best_possible_dso_and_add():
    # BPDSO = 73,000 x 365 / 730,000 = 36.5; DSO = 120,000 x 365 / 730,000 = 60; ADD = 60 - 36.5 = 23.5
    bp = best_possible_dso(73_000, 730_000, 365)
    dso = dso_simple(120_000, 730_000, 365)
    assert bp == approx(36.5)
    assert average_days_delinquent(dso, bp) == approx(23.5)
    assert math.isnan(best_possible_dso(73_000, 0, 365))


_month = st.tuples(st.integers(28, 31), st.floats(0, 1e7, allow_nan=False))


@given(months=st.lists(_month, min_size=1, max_size=12), fraction=st.floats(0, 1))
def test_countback_within_total_days_when_covered_by_sales(months, fraction):
    total_sales = sum(s for _, s in months)
    assume(total_sales > 1)
    result = dso_countback(fraction * total_sales, months)
    assert 0 <= result <= sum(d for d, _ in months) + 1e-6


@given(days=st.integers(28, 31), sales=st.floats(1, 1e7), n=st.integers(1, 12), receivables=st.floats(0, 1e8))
def test_countback_equals_simple_dso_when_months_are_equal(days, sales, n, receivables):
    months = [(days, sales)] * n
    expected = dso_simple(receivables, sales * n, days * n)
    assert dso_countback(receivables, months) == approx(expected, rel=1e-9, abs=1e-9)


@given(months=st.lists(_month, min_size=1, max_size=6), a=st.floats(0, 1e8), b=st.floats(0, 1e8))
def test_countback_grows_with_receivables(months, a, b):
    assume(sum(s for _, s in months) > 1)
    lo, hi = sorted((a, b))
    assert dso_countback(lo, months) <= dso_countback(hi, months) + 1e-6


@given(receivables=st.floats(0, 1e8), current=st.floats(0, 1e8), sales=st.floats(1, 1e8),
       days=st.integers(1, 366))
def test_add_plus_bpdso_is_dso(receivables, current, sales, days):
    dso = dso_simple(receivables, sales, days)
    bp = best_possible_dso(current, sales, days)
    # subtracting then adding back loses precision relative to the larger term, not to the result
    assert average_days_delinquent(dso, bp) + bp == approx(dso, rel=1e-9, abs=1e-9 * (1 + abs(bp)))


# --- CEI ----------------------------------------------------------------------------------------------

def test_cei_whole_period():
    # collected (100,000 + 500,000 - 120,000) = 480,000 of collectable (100,000 + 500,000 - 40,000) = 560,000
    # 480 / 560 x 100 = 85.714285...
    assert collection_effectiveness_index(100_000, 500_000, 120_000, 40_000) == approx(480 / 560 * 100)


def test_cei_crf_monthly_variant_differs_from_whole_period():
    # months = 12: sales / 12 = 100,000; (100 + 100 - 90) / (100 + 100 - 60) = 110 / 140 = 78.5714...
    assert collection_effectiveness_index(100_000, 1_200_000, 90_000, 60_000, months=12) == approx(110 / 140 * 100)
    # months = 1 on the same data: (100 + 1,200 - 90) / (100 + 1,200 - 60) = 1,210 / 1,240 = 97.58...
    assert collection_effectiveness_index(100_000, 1_200_000, 90_000, 60_000) == approx(1210 / 1240 * 100)


def test_cei_zero_denominator_is_nan_and_months_validated():
    # opening 0 + sales 0 - current 0 = 0: nothing was collectable, the index is undefined
    assert math.isnan(collection_effectiveness_index(0, 0, 0, 0))
    with pytest.raises(ValueError):
        collection_effectiveness_index(1, 1, 1, 1, months=0)


@given(opening=st.floats(0, 1e8), sales=st.floats(0, 1e8), closing=st.floats(0, 1e8),
       months=st.integers(1, 12))
def test_cei_is_100_when_nothing_closing_is_overdue(opening, sales, closing, months):
    assume(opening + sales / months - closing > 1e-3)
    assert collection_effectiveness_index(opening, sales, closing, closing, months) == approx(100.0)


@given(opening=st.floats(0, 1e8), sales=st.floats(0, 1e8), current=st.floats(0, 1e8), overdue=st.floats(0, 1e8))
def test_cei_at_most_100_when_closing_includes_current(opening, sales, current, overdue):
    assume(opening + sales - current > 1e-3)
    assert collection_effectiveness_index(opening, sales, current + overdue, current) <= 100.0 + 1e-9


# --- Weighted average days ------------------------------------------------------------------------------

def test_weighted_average_days():
    # (1,000 x 10 + 3,000 x 30) / 4,000 = 100,000 / 4,000 = 25
    assert weighted_average_days([1_000, 3_000], [10, 30]) == approx(25.0)
    # early payment counts negative: (2,000 x -4 + 2,000 x 10) / 4,000 = 12,000 / 4,000 = 3
    assert weighted_average_days([2_000, 2_000], [-4, 10]) == approx(3.0)


@pytest.mark.parametrize("amounts, days", [([], []), ([100, -100], [5, 10]), ([0.0], [12])])
def test_weighted_average_days_undefined_is_nan(amounts, days):
    assert math.isnan(weighted_average_days(amounts, days))


def test_weighted_average_days_length_mismatch():
    with pytest.raises(ValueError):
        weighted_average_days([1, 2], [3])


@given(st.lists(st.tuples(st.floats(0.01, 1e7), st.floats(-365, 3650)), min_size=1, max_size=30))
def test_weighted_average_between_min_and_max(pairs):
    amounts, days = zip(*pairs, strict=True)
    result = weighted_average_days(amounts, days)
    assert min(days) - 1e-6 <= result <= max(days) + 1e-6


# --- Due dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("invoice, n, rule, expected", [
    # 15 Jan + 45: 16 days to 31 Jan, 28 in February (2025), 1 more -> 1 March
    (D(2025, 1, 15), 45, "net", D(2025, 3, 1)),
    # end of January (31 Jan) + 45: +28 -> 28 Feb, +17 -> 17 March
    (D(2025, 1, 15), 45, "end_of_month_then_days", D(2025, 3, 17)),
    # 15 Jan + 45 = 1 March, then end of March
    (D(2025, 1, 15), 45, "days_then_end_of_month", D(2025, 3, 31)),
    # 10 Jan + 30 = 9 Feb -> end of February, 28 in 2025 and 29 in 2024
    (D(2025, 1, 10), 30, "days_then_end_of_month", D(2025, 2, 28)),
    (D(2024, 1, 10), 30, "days_then_end_of_month", D(2024, 2, 29)),
    # 31 Jan + 30: 29 days of February 2024 + 1 -> 1 March 2024; 28 of February 2025 + 2 -> 2 March 2025
    (D(2024, 1, 31), 30, "end_of_month_then_days", D(2024, 3, 1)),
    (D(2025, 1, 31), 30, "end_of_month_then_days", D(2025, 3, 2)),
    (D(2025, 1, 31), 30, "net", D(2025, 3, 2)),
    (D(2025, 1, 31), 30, "days_then_end_of_month", D(2025, 3, 31)),
    # 28 Feb (already month end) + 60: +31 -> 31 March, +29 -> 29 April
    (D(2025, 2, 28), 60, "end_of_month_then_days", D(2025, 4, 29)),
    # 30 April + 45: +31 -> 31 May, +14 -> 14 June
    (D(2025, 4, 30), 45, "end_of_month_then_days", D(2025, 6, 14)),
    # 31 Aug + 60: +30 -> 30 Sept, +30 -> 30 Oct
    (D(2025, 8, 31), 60, "net", D(2025, 10, 30)),
    # year change: 20 Dec + 15 = 4 Jan; 20 Nov + 45 = (10 -> 30 Nov, 31 -> 31 Dec, 4) 4 Jan -> 31 Jan 2026
    (D(2025, 12, 20), 15, "net", D(2026, 1, 4)),
    (D(2025, 11, 20), 45, "days_then_end_of_month", D(2026, 1, 31)),
    # zero days: cash, or the end of the invoice month
    (D(2025, 3, 5), 0, "net", D(2025, 3, 5)),
    (D(2025, 3, 5), 0, "end_of_month_then_days", D(2025, 3, 31)),
    (D(2025, 3, 5), 0, "days_then_end_of_month", D(2025, 3, 31)),
])
def test_due_date_rules(invoice, n, rule, expected):
    assert due_date(invoice, n, rule) == expected


def test_due_date_accepts_datetime_and_timestamp_and_returns_a_date():
    pd = pytest.importorskip("pandas")
    for value in (dt.datetime(2025, 1, 15, 17, 30), pd.Timestamp("2025-01-15 08:00")):
        result = due_date(value, 45, "days_then_end_of_month")
        assert result == D(2025, 3, 31) and type(result) is dt.date
    assert due_date(D(2025, 1, 15), 30.0) == D(2025, 2, 14)  # an integral float is a whole number of days


@pytest.mark.parametrize("args", [
    (D(2025, 1, 15), 45, "45 jours fin de mois"),  # free text: settings.parse_terms_rule maps it first
    (D(2025, 1, 15), -1, "net"),
    (D(2025, 1, 15), 30.5, "net"),
])
def test_due_date_rejects_bad_rule_or_days(args):
    with pytest.raises(ValueError):
        due_date(*args)


def test_due_date_rejects_non_dates():
    with pytest.raises(TypeError):
        due_date("2025-01-15", 30, "net")


@given(day=st.dates(D(2000, 1, 1), D(2099, 12, 31)), n=st.integers(0, 120))
def test_due_date_properties(day, n):
    net = due_date(day, n, "net")
    eom_days = due_date(day, n, "end_of_month_then_days")
    days_eom = due_date(day, n, "days_then_end_of_month")
    assert (net - day).days == n
    assert (eom_days - dt.timedelta(days=n) + dt.timedelta(days=1)).day == 1  # N days after a month end
    assert (days_eom + dt.timedelta(days=1)).day == 1  # a month end ...
    assert (days_eom.year, days_eom.month) == (net.year, net.month)  # ... of the month of date + N
    assert net <= eom_days and net <= days_eom


# --- ECB table and penalties ------------------------------------------------------------------------------

def test_ecb_table_is_sorted_and_ends_with_the_last_known_change():
    dates = [d for d, _ in ECB_MAIN_REFINANCING_RATES]
    assert dates == sorted(set(dates))
    assert LAST_KNOWN_ECB_CHANGE == D(2025, 6, 11) == dates[-1]
    assert ECB_MAIN_REFINANCING_RATES[-1][1] == 2.15


def test_ecb_rate_applies_from_its_own_date():
    previous = None
    for day, rate in ECB_MAIN_REFINANCING_RATES:
        assert ecb_rate_on(day) == rate
        if previous is not None:
            assert ecb_rate_on(day - dt.timedelta(days=1)) == previous
        previous = rate
    assert ecb_rate_on(D(2031, 5, 1)) == 2.15  # after the last known change: the last rate
    with pytest.raises(ValueError):
        ecb_rate_on(D(2014, 1, 1))


@pytest.mark.parametrize("on, expected", [
    # March 2025: rate in force on 1 Jan 2025 = 3.15 (since 18 Dec 2024), not March's 2.65; + 10
    (D(2025, 3, 20), 13.15),
    (D(2025, 6, 30), 13.15),
    # 2nd half 2025: rate on 1 July 2025 = 2.15 (since 11 June 2025); + 10
    (D(2025, 7, 1), 12.15),
    (D(2025, 10, 15), 12.15),
    # 2024: 1 Jan -> 4.50 (since 20 Sept 2023) = 14.50; 1 July -> 4.25 (since 12 June 2024) = 14.25
    (D(2024, 2, 1), 14.50),
    (D(2024, 9, 30), 14.25),
    # 2023: 1 Jan -> 2.50 (since 21 Dec 2022) = 12.50; 1 July -> 4.00 (since 21 June 2023) = 14.00
    (D(2023, 1, 15), 12.50),
    (D(2023, 12, 31), 14.00),
    # 2nd half 2022: 1 July 2022 still 0.00 (0.50 only from 27 July) = 10.00
    (D(2022, 8, 15), 10.00),
    # 2026: the last known rate, 2.15 + 10
    (D(2026, 2, 1), 12.15),
])
def test_legal_penalty_rate_half_year_rule(on, expected):
    assert legal_penalty_rate(on) == approx(expected)


def test_legal_penalty_rate_override_and_datetime():
    # override: 3.00 + 10 = 13.00, even before the table starts
    assert legal_penalty_rate(D(2025, 3, 20), ecb_rate=3.0) == approx(13.0)
    assert legal_penalty_rate(D(2010, 3, 20), ecb_rate=1.0) == approx(11.0)
    assert legal_penalty_rate(dt.datetime(2025, 10, 15, 12, 0)) == approx(12.15)


@given(day=st.dates(D(2015, 1, 1), D(2030, 12, 31)))
def test_legal_penalty_rate_constant_within_half_year(day):
    start = D(day.year, 1 if day.month <= 6 else 7, 1)
    assert legal_penalty_rate(day) == legal_penalty_rate(start) == approx(ecb_rate_on(start) + 10)


def test_late_penalty():
    # 10,000 x 12.15 % x 73 / 365 = 10,000 x 0.1215 x 0.2 = 243
    assert late_penalty(10_000, 73, 12.15) == approx(243.0)
    # 1,000 x 12.15 % x 30 / 365 = 364.5 / 36.5 = 9.98630...
    assert late_penalty(1_000, 30, 12.15) == approx(364.5 / 36.5)


@pytest.mark.parametrize("amount, days", [(1_000, 0), (1_000, -5), (-1_000, 30), (0, 30)])
def test_late_penalty_zero_when_not_late_or_no_amount(amount, days):
    assert late_penalty(amount, days, 12.15) == 0.0


@given(amount=st.floats(0.01, 1e7), days=st.integers(1, 3650), rate=st.floats(0, 30))
def test_late_penalty_is_linear_in_days(amount, days, rate):
    assert late_penalty(amount, 2 * days, rate) == approx(2 * late_penalty(amount, days, rate), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("days, expected", [(1, 40.0), (0.5, 40.0), (400, 40.0), (0, 0.0), (-3, 0.0)])
def test_fixed_indemnity_once_per_invoice_from_first_day(days, expected):
    assert fixed_indemnity(days) == expected


def test_fixed_indemnity_custom_amount_and_nan():
    assert fixed_indemnity(10, amount=60.0) == 60.0
    assert math.isnan(fixed_indemnity(float("nan")))


# --- Concentration and rating ------------------------------------------------------------------------

@pytest.mark.parametrize("shares, expected", [
    ([1.0], 1.0),
    ([0.25] * 4, 0.25),  # 4 x 0.0625
    ([0.5, 0.3, 0.2], 0.38),  # 0.25 + 0.09 + 0.04
    ([0.5], 0.25),  # a partial list: only the shares given
])
def test_herfindahl_index(shares, expected):
    assert herfindahl_index(shares) == approx(expected)


def test_herfindahl_index_edge_cases():
    assert math.isnan(herfindahl_index([]))
    with pytest.raises(ValueError):
        herfindahl_index([50, 50])  # percents, not fractions
    with pytest.raises(ValueError):
        herfindahl_index([1.1, -0.1])


@given(st.lists(st.floats(0.001, 1e6), min_size=1, max_size=50))
def test_herfindahl_between_one_over_n_and_one(amounts):
    total = sum(amounts)
    hhi = herfindahl_index([a / total for a in amounts])
    assert 1 / len(amounts) - 1e-9 <= hhi <= 1 + 1e-9


@pytest.mark.parametrize("days, grade", [
    (-10, "A"), (0, "A"), (0.01, "B"), (15, "B"), (15.5, "C"), (30, "C"), (30.01, "D"), (400, "D"),
    (float("nan"), None), (None, None),
])
def test_rating_from_days_default_edges(days, grade):
    assert rating_from_days(days) == grade


def test_rating_from_days_custom_and_invalid_edges():
    # Upflow-like edges 30 / 60 / 90: 45 days -> B, 90 -> C, 91 -> D
    assert [rating_from_days(x, (30, 60, 90)) for x in (45, 90, 91)] == ["B", "C", "D"]
    with pytest.raises(ValueError):
        rating_from_days(5, (30, 15, 60))
    with pytest.raises(ValueError):
        rating_from_days(5, (0, 15))
