"""Section 4, "Retards & DSO": every KPI against a hand computation on a small inline table.

The base case (``BASE``), as of 31/03/2025 over a 3-month period (01/01 .. 31/03/2025, 90 days):

    F1  C1  15/01/2025  3,000  due 14/02/2025  paid 20/02/2025 (6 days late)
    F2  C1  15/02/2025  3,000  due 28/02/2025  1,500 paid 10/03/2025, 1,500 open (31 days past due)
    F3  C2  15/03/2025  3,000  due 30/04/2025  open, not yet due
"""

from __future__ import annotations

import datetime as dt
import doctest
import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import build, inv, pay
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from audit_engine.ledger import open_items
from audit_engine.sections import delays, delays_history, penalties
from audit_engine.sections.base import Observation

approx = pytest.approx
PERIOD_3M = [("Période d'analyse (mois)", 3)]

BASE = dict(
    invoices=[inv("F1", "C1", "15/01/2025", 3000, "14/02/2025"),
              inv("F2", "C1", "15/02/2025", 3000, "28/02/2025"),
              inv("F3", "C2", "15/03/2025", 3000, "30/04/2025")],
    payments=[pay("F1", "20/02/2025", 3000), pay("F2", "10/03/2025", 1500)],
    settings=PERIOD_3M, as_of="2025-03-31")


def run(**tables):
    ledger, settings, _ = build(**tables)
    return delays.compute(ledger, settings)


@pytest.fixture(scope="module")
def base():
    return run(**BASE)


def test_helper_doctests_pass():
    for module in (delays_history, penalties):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0, module.__name__


# --- DSO family ---------------------------------------------------------------------------------------

def test_period_and_outstanding(base):
    # outstanding = F2 1,500 + F3 3,000; revenue = 3 x 3,000; 01/01 .. 31/03/2025 = 90 days
    assert (base.outstanding, base.revenue, base.period_days) == (4500, 9000, 90)
    assert base.not_due == 3000  # F3 only


def test_dso_simple(base):
    # 4,500 / 9,000 x 90 = 45
    assert base.dso_simple == approx(45.0)


def test_best_possible_dso_and_average_days_delinquent(base):
    # BPDSO = not yet due 3,000 / 9,000 x 90 = 30; ADD = 45 - 30 = 15
    assert base.best_possible_dso == approx(30.0)
    assert base.average_days_delinquent == approx(15.0)


def test_dso_countback_exhausts_monthly_sales_backwards(base):
    # March (31 days) sales 3,000: 4,500 - 3,000 = 1,500 left; February (28 days) sales 3,000:
    # 1,500 / 3,000 x 28 = 14; 31 + 14 = 45
    assert base.dso_countback == approx(45.0)


def test_countback_windows_end_on_a_mid_month_as_of_date():
    # as of 15/03/2025, 2 months: windows [16/02, 15/03] (28 days) and [16/01, 15/02] (31 days)
    # G1 1,000 (window 2, 500 paid), G2 2,000 (window 1): outstanding 2,500
    # countback = 28 (2,000 of window 1) + 500 / 1,000 x 31 = 43.5
    # simple DSO = 2,500 / 3,000 x 59 days (16/01 .. 15/03) = 49.1667
    r = run(invoices=[inv("G1", "C1", "20/01/2025", 1000, "30/04/2025"),
                      inv("G2", "C1", "01/03/2025", 2000, "30/04/2025")],
            payments=[pay("G1", "10/02/2025", 500)],
            settings=[("Période d'analyse (mois)", 2)], as_of="2025-03-15")
    assert r.period_days == 59
    assert r.dso_countback == approx(43.5)
    assert r.dso_simple == approx(2500 / 3000 * 59)


def test_month_windows_tile_the_period():
    # as of 28/02/2025 (a month end): calendar months; 12 windows = the 365 days of the period
    bounds = delays_history.month_bounds(pd.Timestamp("2025-02-28"), 12)
    assert bounds[0] == pd.Timestamp("2025-03-01") and bounds[-1] == pd.Timestamp("2024-03-01")
    assert delays_history.window_days(bounds).tolist()[:4] == [28, 31, 31, 30]  # Feb, Jan, Dec, Nov
    assert delays_history.window_days(bounds).sum() == 365


def test_weighted_terms_and_gap(base):
    # terms: F1 30, F2 13, F3 46 days, equal amounts: (30 + 13 + 46) / 3 = 29.667; gap = 45 - 29.667
    assert base.weighted_terms_days == approx(89 / 3)
    assert base.dso_gap_days == approx(45 - 89 / 3)
    assert (base.dso_target_days, base.dso_target_source) == (approx(89 / 3), "terms")


def test_collection_effectiveness_index(base):
    # opening (31/12/2024) = 0; (0 + 9,000 - 4,500) / (0 + 9,000 - 3,000) x 100 = 75
    assert base.opening_receivables == 0
    assert base.cei == approx(75.0)


CEI_CASE = dict(
    invoices=[inv("H0", "C1", "10/12/2024", 2000, "09/01/2025"),  # before the period
              inv("H1", "C1", "10/02/2025", 4000, "12/03/2025"),
              inv("H2", "C1", "20/03/2025", 2000, "19/04/2025"),  # not yet due
              inv("H3", "C1", "05/01/2025", 1000, "04/02/2025")],  # overdue
    payments=[pay("H0", "20/12/2024", 1000), pay("H0", "20/01/2025", 1000), pay("H1", "25/03/2025", 4000)],
    as_of="2025-03-31")


def test_cei_uses_the_receivables_on_the_day_before_the_period():
    # opening 31/12/2024: H0 2,000 - 1,000 paid = 1,000; sales 4,000 + 2,000 + 1,000 = 7,000;
    # closing 3,000 (H2 + H3), of which current 2,000 (H2): (1,000 + 7,000 - 3,000) / (8,000 - 2,000) = 83.33
    r = run(**CEI_CASE, settings=PERIOD_3M)
    assert r.opening_receivables == approx(1000)
    assert r.cei == approx(5000 / 6000 * 100)


def test_cei_monthly_average_variant():
    # N = 3: sales / 3 = 2,333.33; (1,000 + 2,333.33 - 3,000) / (1,000 + 2,333.33 - 2,000) = 333.33 / 1,333.33
    r = run(**CEI_CASE, settings=[*PERIOD_3M, ("CEI : nombre de mois", 3)])
    assert (r.cei, r.cei_months) == (approx(25.0), 3)


# --- receivables at past dates -------------------------------------------------------------------------

PAST = dict(
    invoices=[inv("F1", "C1", "10/01/2025", 1000, "09/02/2025"),
              inv("A1", "C1", "15/02/2025", -200, "15/02/2025"),  # credit note, left open
              inv("F2", "C1", "01/03/2025", 500, "31/03/2025")],
    payments=[pay("F1", "05/02/2025", 400), pay("F1", "20/03/2025", 600),
              pay(None, "10/03/2025", 300, client="C1"),  # unapplied cash
              pay("F2", "05/03/2025", 700)],  # 200 overpaid
    as_of="2025-03-31")


@pytest.mark.parametrize("day, expected", [
    ("2025-01-31", 1000),  # F1
    ("2025-02-28", 400),  # F1 1,000 - 400, credit note -200
    ("2025-03-04", 900),  # 600 - 200 + F2 500
    ("2025-03-05", 200),  # F2 paid 700: 600 - 200 - 200
    ("2025-03-10", -100),  # unapplied cash -300
    ("2025-03-31", -700),  # F1 settled: -200 - 300 - 200
])
def test_receivables_at_past_dates(day, expected):
    ledger, _, _ = build(**PAST)
    assert delays_history.receivables_at(ledger, [pd.Timestamp(day)])[0] == approx(expected)


def test_receivables_at_the_as_of_date_are_the_outstanding():
    ledger, _, _ = build(**PAST)
    outstanding = open_items(ledger)["open_amount"].sum()
    assert delays_history.receivables_at(ledger, [ledger.as_of])[0] == approx(outstanding)


def test_payments_on_invoices_after_the_as_of_date_stay_out():
    # F9 is dated after the as-of date: neither it nor its advance payment is in the outstanding
    ledger, _, _ = build(invoices=[*PAST["invoices"], inv("F9", "C1", "15/04/2025", 900, "15/05/2025")],
                         payments=[*PAST["payments"], pay("F9", "25/03/2025", 900)], as_of="2025-03-31")
    assert delays_history.receivables_at(ledger, [ledger.as_of])[0] == approx(-700)


def test_undated_payments_count_from_the_as_of_date():
    # the export's own columns: F1 paid 1,000 without a date, F2 paid on 01/02:
    # F1 is still owed at 28/02 and settled at the as-of date
    ledger, _, _ = build(invoices=[inv("F1", "C1", "10/01/2025", 1000, "09/02/2025", paid=1000),
                                   inv("F2", "C1", "10/01/2025", 500, "09/02/2025", paid=500,
                                       settled="01/02/2025")], as_of="2025-03-31")
    assert "payment_dates" in ledger.available
    got = delays_history.receivables_at(ledger, [pd.Timestamp("2025-02-28"), ledger.as_of])
    assert got.tolist() == approx([1000, 0])


def test_monthly_series(base):
    m = base.monthly
    assert m["month_end"].dt.strftime("%Y-%m-%d").tolist() == ["2025-01-31", "2025-02-28", "2025-03-31"]
    # Jan: F1 3,000 open; Feb: F1 paid, F2 3,000 open; Mar: 1,500 + 3,000
    assert m["receivables"].tolist() == [3000, 3000, 4500]
    assert m["sales"].tolist() == [3000, 3000, 3000]
    # countback at each month end: 3,000 / 3,000 x 31; 3,000 / 3,000 x 28; 45 (as above)
    assert m["dso_countback"].tolist() == approx([31, 28, 45])
    # trailing 3 months: unknown while they reach back before the first invoice; March: 4,500 / 9,000 x 90
    assert m["dso_3m"].isna().tolist() == [True, True, False] and m["dso_3m"].iloc[2] == approx(45)
    assert m["weighted_terms_days"].tolist() == approx([30, 13, 46])


# --- days late ---------------------------------------------------------------------------------------

def test_weighted_days_late(base):
    # settled in the period: F1 3,000 x 6 days -> 6
    assert base.weighted_days_late == approx(6.0)
    # with the open overdue: (3,000 x 6 + 1,500 x 31) / 4,500 = 64,500 / 4,500 = 14.333
    assert base.weighted_days_late_with_open == approx(64500 / 4500)


def test_early_payments_count_as_zero_days_late():
    # paid 10 days early (0) and 20 days late: (1,000 x 0 + 3,000 x 20) / 4,000 = 15
    r = run(invoices=[inv("E1", "C1", "01/01/2025", 1000, "31/01/2025"),
                      inv("E2", "C1", "01/01/2025", 3000, "31/01/2025")],
            payments=[pay("E1", "21/01/2025", 1000), pay("E2", "20/02/2025", 3000)],
            settings=PERIOD_3M, as_of="2025-03-31")
    assert r.weighted_days_late == approx(15.0)


# --- per client ---------------------------------------------------------------------------------------

def test_per_client_dso_terms_and_gap(base):
    c = base.clients.set_index("client_id")
    # C1: 1,500 / 6,000 x 90 = 22.5, terms (30 + 13) / 2 = 21.5; C2: 3,000 / 3,000 x 90 = 90, terms 46
    assert c.loc["C1", ["dso", "weighted_terms_days", "dso_gap_days"]].tolist() == approx([22.5, 21.5, 1.0])
    assert c.loc["C2", ["dso", "weighted_terms_days", "dso_gap_days"]].tolist() == approx([90, 46, 44])
    assert base.clients["client_id"].tolist() == ["C2", "C1"]  # largest outstanding first


def test_client_without_revenue_in_the_period_has_no_dso():
    r = run(invoices=[inv("OLD", "C9", "15/06/2024", 800, "15/07/2024"), *BASE["invoices"]],
            payments=BASE["payments"], settings=PERIOD_3M, as_of="2025-03-31")
    c9 = r.clients.set_index("client_id").loc["C9"]
    assert c9["outstanding"] == 800 and math.isnan(c9["dso"])
    by_id = {row["client_id"]: row for row in r.to_dict()["clients"]}
    assert by_id["C9"]["dso"] is None


# --- target and observations ----------------------------------------------------------------------------

def test_dso_above_target_frees_cash(base):
    # target = weighted terms 29.667; cash freed = (45 - 29.667) x 9,000 / 90 = 1,533.33
    (o,) = [o for o in base.observations if o.rule == "dso_above_target"]
    assert o.cash_impact == approx((45 - 89 / 3) * 9000 / 90)
    assert o.severity == 1  # 15.33 days above target > the 15-day tolerance


def test_dso_target_from_settings():
    r = run(**{**BASE, "settings": [*PERIOD_3M, ("DSO cible (jours)", 40)]})
    assert (r.dso_target_days, r.dso_target_source) == (40, "setting")
    (o,) = [o for o in r.observations if o.rule == "dso_above_target"]
    # (45 - 40) x 9,000 / 90 = 500; 5 days above: severity 2
    assert (o.cash_impact, o.severity) == (approx(500), 2)


def test_no_dso_observation_below_target():
    r = run(**{**BASE, "settings": [*PERIOD_3M, ("DSO cible (jours)", 60)]})
    assert not [o for o in r.observations if o.rule == "dso_above_target"]


# --- late-payment penalties ------------------------------------------------------------------------------

PEN = dict(
    invoices=[
        inv("P1", "C1", "30/01/2025", 10000, "31/03/2025"),  # paid 12/06: 73 days late
        inv("P2", "C1", "01/07/2025", 5000, "31/07/2025"),  # open: 61 days at 30/09
        inv("P3", "C2", "01/05/2025", 2000, "31/05/2025"),  # paid 30/06: 30 days, contract 12 %
        inv("P4", "C3", "01/04/2025", 3000, "30/04/2025"),  # consumer: excluded
        inv("A1", "C1", "15/02/2025", -1000, "15/02/2025"),  # credit note: never
        inv("P5", "C1", "01/08/2025", 1000, "31/08/2025", disputed="Oui"),  # open 30 days, disputed
        inv("P6", "C2", "01/06/2025", 1000, "30/06/2025"),  # paid early
    ],
    payments=[pay("P1", "12/06/2025", 10000), pay("P3", "30/06/2025", 2000), pay("P6", "25/06/2025", 1000)],
    clients=[{"Code client": "C1", "Type de client": "B2B"},
             {"Code client": "C2", "Taux de pénalité (%)": 0.12},
             {"Code client": "C3", "Type de client": "Particulier"}],
    as_of="2025-09-30")
P1 = 10000 * 0.1315 * 73 / 365  # H1 2025: ECB 3.15 % on 1 January + 10 = 13.15 % -> 263.00
P2 = 5000 * 0.1215 * 61 / 365  # H2 2025: ECB 2.15 % on 1 July + 10 = 12.15 % -> 101.53
P3 = 2000 * 0.12 * 30 / 365  # contractual 0.12 read as 12 % -> 19.73
P5 = 1000 * 0.1215 * 30 / 365  # -> 9.99


@pytest.fixture(scope="module")
def pen_result():
    return run(**PEN)


def test_penalties_claimable(pen_result):
    assert pen_result.penalties_claimable == approx(P1 + P2 + P3 + P5)
    assert pen_result.fixed_indemnities_claimable == 4 * 40  # P1, P2, P3, P5
    assert P1 == approx(263.0)


def test_penalty_table_per_invoice(pen_result):
    t = pen_result.late_invoices.set_index("invoice_id")
    assert sorted(t.index) == ["P1", "P2", "P3", "P5"]  # no credit note, no consumer, no early payment
    assert t.loc["P1", ["days_late", "rate", "penalty"]].tolist() == approx([73, 13.15, P1])
    assert t.loc["P1", "status"] == "settled" and t.loc["P2", "status"] == "open"
    assert t.loc["P2", ["base", "days_late", "rate"]].tolist() == approx([5000, 61, 12.15])
    assert (t.loc["P3", "rate"], t.loc["P3", "rate_source"]) == (approx(12.0), "client")
    assert pen_result.late_invoices["invoice_id"].iloc[0] == "P1"  # largest claim first


def test_consumers_are_excluded_and_counted(pen_result):
    s = pen_result.penalties
    assert (s["excluded_consumer_invoices"], s["excluded_consumer_amount"]) == (1, 3000)


def test_disputed_invoices_are_included_and_given_apart(pen_result):
    s = pen_result.penalties
    assert s["disputed_invoices"] == 1
    assert (s["penalties_disputed"], s["indemnities_disputed"]) == (approx(P5), 40)
    assert pen_result.late_invoices.set_index("invoice_id").loc["P5", "disputed"]


def test_penalties_per_client_and_claim_observation(pen_result):
    by = pen_result.penalties_by_client.set_index("client_id")
    assert by.loc["C1", "claimable"] == approx(P1 + P2 + P5 + 120)
    assert by.loc["C1", ["late_invoices", "settled_late", "open_late"]].tolist() == [3, 1, 2]
    assert by.loc["C1", "disputed_claimable"] == approx(P5 + 40)
    obs = {o.client_id: o for o in pen_result.observations if o.rule == "claim_penalties"}
    assert set(obs) == {"C1", "C2"}
    assert obs["C2"].amount == obs["C2"].cash_impact == approx(P3 + 40)
    assert obs["C1"].count == 3


def test_contractual_rate_in_settings_replaces_the_legal_rate():
    r = run(**{**PEN, "settings": [("Taux de pénalités contractuel (%)", 15)]})
    t = r.late_invoices.set_index("invoice_id")
    assert t.loc["P1", "rate"] == 15 and t.loc["P1", "rate_source"] == "setting"
    assert t.loc["P3", "rate"] == approx(12)  # the client's own contract still wins


def test_ecb_rate_override():
    r = run(**{**PEN, "settings": [("Taux BCE (forçage, %)", 2)]})
    assert r.late_invoices.set_index("invoice_id").loc["P2", "rate"] == approx(12)


def test_due_date_before_the_ecb_table_gives_an_unknown_rate_not_a_zero():
    # due 30/06/2013 (before the built-in ECB table, no override): penalty unknown, indemnity still due
    r = run(invoices=[inv("Z1", "C1", "01/06/2013", 1000, "30/06/2013")], as_of="2025-03-31")
    row = r.late_invoices.iloc[0]
    assert math.isnan(row["rate"]) and math.isnan(row["penalty"]) and row["indemnity"] == 40
    assert (r.penalties["unknown_rate_invoices"], r.penalties_claimable) == (1, 0)
    assert r.to_dict()["penalties"]["invoices"][0]["penalty"] is None


# --- clients to stop delivering ---------------------------------------------------------------------------

STOP = dict(
    invoices=[
        inv("K1", "C1", "01/03/2025", 5000, "31/03/2025"), inv("K2", "C1", "01/07/2025", 4000, "31/07/2025"),
        inv("L1", "C2", "01/03/2025", 20000, "31/03/2025"), inv("L2", "C2", "16/07/2025", 1000, "15/08/2025"),
        inv("M1", "C3", "01/06/2025", 8000, "30/06/2025"),
        inv("N0", "C4", "01/01/2025", 1000, "31/01/2025"), inv("N1", "C4", "11/08/2025", 10000, "10/09/2025"),
        inv("O1", "C5", "01/07/2025", 1000, "31/07/2025"),
    ],
    payments=[pay("K1", "30/05/2025", 5000), pay("L1", "30/03/2025", 20000), pay("N0", "30/04/2025", 1000),
              pay(None, "15/09/2025", 1500, client="C5")],
    as_of="2025-09-30")


def test_stop_delivery():
    # C1: K2 4,000 61 days overdue; (5,000 x 60 + 4,000 x 61) / 9,000 = 60.4 days late -> listed
    # C2: L2 46 days overdue but (20,000 x 0 + 1,000 x 46) / 21,000 = 2.2 days -> kept
    # C3: M1 8,000 92 days overdue, never paid: 92 days -> listed first (largest overdue)
    # C4: bad payer (89 days) but nothing more than 30 days overdue -> kept
    # C5: 61 days overdue but in credit overall (1,000 - 1,500) -> kept
    r = run(**STOP)
    assert r.stop_delivery["client_id"].tolist() == ["C3", "C1"]
    c1 = r.stop_delivery.set_index("client_id").loc["C1"]
    assert c1["overdue_amount"] == 4000 and c1["rating"] == "D"
    assert c1["weighted_days_late_with_open"] == approx((5000 * 60 + 4000 * 61) / 9000)
    obs = [o for o in r.observations if o.rule == "stop_delivery"]
    assert [(o.client_id, o.amount, o.severity) for o in obs] == [("C3", 8000, 1), ("C1", 4000, 1)]


# --- missing data ---------------------------------------------------------------------------------------

def test_without_payments_the_history_is_unknown_not_zero():
    r = run(invoices=BASE["invoices"], settings=PERIOD_3M, as_of="2025-03-31")
    assert "payment_dates" in r.missing
    assert (r.cei, r.monthly, r.weighted_days_late, r.weighted_days_late_with_open) == (None,) * 4
    assert r.dso_simple == approx(9000 / 9000 * 90)  # everything open
    assert r.penalties["settled_invoices_included"] is False
    d = r.to_dict()
    assert d["cei"] is None and d["monthly"] is None and d["missing"] == ["payment_dates"]


def test_paid_amounts_without_dates():
    r = run(invoices=[inv("F1", "C1", "15/01/2025", 3000, "14/02/2025", paid=3000),
                      inv("F2", "C1", "15/03/2025", 1000, "14/04/2025")],
            settings=PERIOD_3M, as_of="2025-03-31")
    assert r.missing == ("payment_dates",)
    assert r.outstanding == 1000 and r.cei is None and r.stop_delivery.empty


def test_empty_period_gives_no_dso():
    r = run(invoices=[inv("F0", "C1", "15/01/2023", 1000, "14/02/2023")], settings=PERIOD_3M,
            as_of="2025-03-31")
    assert "period_revenue" in r.missing
    assert (r.dso_simple, r.dso_countback, r.best_possible_dso, r.average_days_delinquent) == (None,) * 4
    assert not [o for o in r.observations if o.rule == "dso_above_target"]


def test_unapplied_cash_counts_in_the_past_due_part():
    # 1,000 not yet due, 300 unapplied: outstanding 700, not due 1,000, past due -300
    r = run(invoices=[inv("F1", "C1", "15/03/2025", 1000, "14/04/2025")],
            payments=[pay(None, "20/03/2025", 300, client="C1")], settings=PERIOD_3M, as_of="2025-03-31")
    assert (r.outstanding, r.not_due) == (700, 1000)
    assert r.best_possible_dso == approx(90) and r.dso_simple == approx(63)


def test_credit_notes_net_the_revenue_and_the_outstanding():
    # 3,000 invoice, -500 credit note: revenue 2,500, outstanding 2,500 -> DSO 90
    r = run(invoices=[inv("F1", "C1", "15/03/2025", 3000, "14/04/2025"),
                      inv("A1", "C1", "20/03/2025", -500, "20/03/2025")],
            settings=PERIOD_3M, as_of="2025-03-31")
    assert (r.revenue, r.outstanding, r.dso_simple) == (2500, 2500, approx(90))
    assert r.late_invoices.empty


# --- JSON ---------------------------------------------------------------------------------------------------

REQUIRED = ("dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "cei",
            "weighted_days_late", "penalties_claimable", "fixed_indemnities_claimable", "weighted_terms_days",
            "dso_gap_days", "dso_target_days", "monthly", "clients", "penalties")


def test_json_block(pen_result, base):
    for r in (pen_result, base):
        d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
        assert set(REQUIRED) <= set(d)
    d = base.to_dict()
    assert d["weighted_terms_days"] == 29.67 and d["as_of"] == "2025-03-31"
    assert d["monthly"][0] == {"month_start": "2025-01-01", "month_end": "2025-01-31", "days": 31,
                               "receivables": 3000.0, "sales": 3000.0, "dso_countback": 31.0,
                               "dso_3m": None, "weighted_terms_days": 30.0, "gap_days": 1.0}
    p = pen_result.to_dict()["penalties"]
    assert p["penalties_claimable"] == round(P1 + P2 + P3 + P5, 2) and p["late_invoices"] == 4
    assert p["invoices"][0]["invoice_id"] == "P1" and p["invoices"][0]["penalty"] == 263.0


def test_every_detail_table_is_described(pen_result):
    tables = {"monthly": pen_result.monthly, "clients": pen_result.clients,
              "late_invoices": pen_result.late_invoices, "penalties_by_client": pen_result.penalties_by_client,
              "stop_delivery": pen_result.stop_delivery}
    for name, frame in tables.items():
        assert [s.key for s in delays.DelaysResult.COLUMNS[name]] == list(frame.columns), name
    assert all(isinstance(o, Observation) and o.section == 4 for o in pen_result.observations)


# --- properties ---------------------------------------------------------------------------------------------

AS_OF = dt.date(2025, 6, 30)


@st.composite
def ledgers(draw, credits: bool = True):
    n = draw(st.integers(1, 8))
    invoices, payments = [], []
    for i in range(n):
        day = AS_OF - dt.timedelta(days=draw(st.integers(0, 400)))
        amount_ = draw(st.integers(1, 500_000)) / 100
        if credits and draw(st.booleans()) and i:
            amount_ = -amount_ / 4
        due = day + dt.timedelta(days=draw(st.sampled_from([0, 30, 45, 60])))
        number = f"F{i}"
        invoices.append(inv(number, f"C{draw(st.integers(1, 3))}", day.strftime("%d/%m/%Y"), amount_,
                            due.strftime("%d/%m/%Y")))
        if amount_ > 0:
            share_ = draw(st.sampled_from([0, 0.5, 1]))
            if share_:
                paid_on = day + dt.timedelta(days=draw(st.integers(0, 200)))
                payments.append(pay(number, paid_on.strftime("%d/%m/%Y"), round(amount_ * share_, 2)))
    if credits and draw(st.booleans()):
        payments.append(pay(None, (AS_OF - dt.timedelta(days=draw(st.integers(0, 300)))).strftime("%d/%m/%Y"),
                            draw(st.integers(1, 100_000)) / 100, client="C1"))
    return dict(invoices=invoices, payments=payments or None,
                settings=[("Période d'analyse (mois)", draw(st.integers(1, 12)))], as_of=AS_OF.isoformat())


PROPS = hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(ledgers())
def test_invariants(tables):
    ledger, settings, _ = build(**tables)
    r = delays.compute(ledger, settings)
    # ADD + BPDSO == DSO
    if r.dso_simple is not None:
        assert r.average_days_delinquent + r.best_possible_dso == approx(r.dso_simple)
    # countback stays within the period when the revenue covers the outstanding
    if r.dso_countback is not None and 0 <= r.outstanding <= r.revenue:
        assert r.dso_countback <= r.period_days + 1e-9
    # receivables rebuilt from the history end on the outstanding; monthly sales add up to the revenue
    outstanding = open_items(ledger)["open_amount"].sum()
    assert delays_history.receivables_at(ledger, [ledger.as_of])[0] == approx(outstanding, abs=0.02)
    if r.monthly is not None:
        assert r.monthly["receivables"].iloc[-1] == approx(outstanding, abs=0.02)
        assert r.monthly["sales"].sum() == approx(r.revenue, abs=0.02)
    # penalty totals add up, per invoice and per client
    t = r.late_invoices
    assert (t["days_late"] > 0).all() and (t["amount"] > 0).all()
    assert r.penalties_claimable == approx(np.nansum(t["penalty"]))
    assert r.fixed_indemnities_claimable == approx(40 * len(t))
    assert r.penalties_by_client["claimable"].sum() == approx(t["claimable"].sum())


@PROPS
@given(ledgers(credits=False))
def test_without_credits_dso_is_at_least_bpdso_and_cei_at_most_100(tables):
    r = run(**tables)
    if r.dso_simple is not None:
        assert r.dso_simple >= r.best_possible_dso - 1e-9
    if r.cei is not None:
        assert -1e-9 <= r.cei <= 100 + 1e-9
