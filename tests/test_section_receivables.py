"""Section 1, "Qui doit quoi": outstanding, aging, concentration, payment habits, old invoices, risk.

Every ledger is built through ingestion from inline tables with the template's French headers; the
arithmetic of each expectation is written beside it.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import build, inv, pay
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from audit_engine.kpi import rating_from_days
from audit_engine.ledger import open_items
from audit_engine.sections.base import ColumnSpec
from audit_engine.sections.receivables import ReceivablesResult, aging_buckets, compute
from audit_engine.sections.receivables_habits import (
    HABIT_COLUMNS,
    client_habits,
    ratings,
    trend_labels,
)

approx = pytest.approx


def run(*args, **kwargs) -> ReceivablesResult:
    ledger, settings, _ = build(*args, **kwargs)
    return compute(ledger, settings)


def aging_of(result: ReceivablesResult) -> dict[str, float]:
    return dict(zip(result.aging["bucket"], result.aging["amount"], strict=True))


def client(result: ReceivablesResult, client_id: str) -> dict:
    return result.clients.set_index("client_id").loc[client_id].to_dict()


def obs(result: ReceivablesResult, rule: str) -> dict:
    return {o.client_id: o for o in result.observations if o.rule == rule}


# --- the worked example of the module docstring -------------------------------------------------------

WORKED = dict(
    invoices=[inv("F1", "C1", "02/01/2025", 1200, "31/01/2025", name="Dupont SARL"),
              inv("A1", "C1", "10/03/2025", -100, "10/03/2025", name="Dupont SARL"),
              inv("F2", "C2", "15/03/2025", 500, "30/04/2025", name="Martin SA")],
    payments=[pay("F1", "10/02/2025", 200)],
    as_of="2025-03-31")


def test_outstanding_nets_payments_and_open_credit_notes():
    r = run(**WORKED)
    # C1: 1,200 - 200 paid - 100 credit note = 900; C2: 500 -> 1,400
    assert r.outstanding == 1400.0
    assert client(r, "C1")["outstanding"] == 900.0 and client(r, "C2")["outstanding"] == 500.0


def test_overdue_is_outstanding_minus_not_yet_due():
    r = run(**WORKED)
    # F2 (500) is due on 30 April: not yet due; 1,400 - 500 = 900
    assert (r.overdue, r.not_due) == (900.0, 500.0)
    assert r.overdue_share == approx(900 / 1400)


def test_aging_by_days_past_due_with_credit_notes_aged_by_their_own_date():
    r = run(**WORKED)
    # F1: 31 Jan -> 31 Mar = 59 days (31-60); A1: 10 Mar -> 31 Mar = 21 days (1-30); F2 not yet due
    assert aging_of(r) == {"not_due": 500.0, "1-30": -100.0, "31-60": 1000.0, "61-90": 0.0,
                           "91-120": 0.0, ">120": 0.0}
    assert r.aging["count"].tolist() == [1, 1, 1, 0, 0, 0]


def test_aging_by_client_has_one_column_per_bucket_and_sums_to_the_outstanding():
    r = run(**WORKED)
    row = r.aging_by_client.set_index("client_id").loc["C1"]
    assert (row["days_1_30"], row["days_31_60"], row["total"], row["overdue"]) == (-100.0, 1000.0, 900.0, 900.0)
    assert row["client_name"] == "Dupont SARL"
    buckets = [b.key for b in r.buckets]
    assert (r.aging_by_client[buckets].sum(axis=1) == r.aging_by_client["total"]).all()


def test_concentration_of_the_worked_example():
    r = run(**WORKED)
    # revenue: C1 1,200 - 100 = 1,100; C2 500; total 1,600
    assert r.invoiced == 1600.0
    assert r.top1_share == approx(1100 / 1600)  # 0.6875
    assert r.top3_share == r.top10_share == approx(1.0)
    assert r.hhi == approx(0.6875 ** 2 + 0.3125 ** 2)  # 0.5703


# --- aging -------------------------------------------------------------------------------------------------

def test_bucket_edges_are_inclusive_upper_bounds():
    # as of 31/12/2025, due dates 0, 1, 30, 31, 120 and 121 days earlier
    dues = {"F0": ("31/12/2025", "not_due"), "F1": ("30/12/2025", "1-30"), "F30": ("01/12/2025", "1-30"),
            "F31": ("30/11/2025", "31-60"), "F120": ("02/09/2025", "91-120"), "F121": ("01/09/2025", ">120")}
    r = run(invoices=[inv(n, "C1", "01/06/2025", 100, due) for n, (due, _) in dues.items()], as_of="2025-12-31")
    expected: dict[str, float] = {}
    for _, bucket in dues.values():
        expected[bucket] = expected.get(bucket, 0.0) + 100.0
    assert {k: v for k, v in aging_of(r).items() if v} == expected


def test_not_yet_due_items_are_never_counted_as_overdue():
    r = run(invoices=[inv("F1", "C1", "01/12/2025", 700, "31/01/2026")], as_of="2025-12-31")
    assert (r.outstanding, r.overdue, r.not_due) == (700.0, 0.0, 700.0)


def test_aging_edges_come_from_the_parameters_sheet():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025"),   # 334 days
                      inv("F2", "C1", "01/11/2025", 50, "30/11/2025")],    # 31 days
            settings=[("Tranches de retard (jours)", "45;90")], as_of="2025-12-31")
    # 0 is always the first edge: not_due, 1-45, 46-90, >90
    assert aging_of(r) == {"not_due": 0.0, "1-45": 50.0, "46-90": 0.0, ">90": 100.0}
    assert [b.key for b in r.buckets] == ["not_due", "days_1_45", "days_46_90", "over_90"]
    assert [c.key for c in r.specs("aging_by_client")][2:6] == ["not_due", "days_1_45", "days_46_90", "over_90"]


def test_bucket_labels_in_french_and_english():
    b = aging_buckets((0, 30, 60, 90, 120))
    assert [x.label for x in b] == ["not_due", "1-30", "31-60", "61-90", "91-120", ">120"]
    assert (b[0].fr, b[0].en, b[-1].fr, b[-1].en) == ("Non échu", "Not yet due", "Plus de 120 j", "Over 120 days")


def test_unapplied_cash_reduces_the_client_outstanding():
    r = run(invoices=[inv("F1", "C1", "01/11/2025", 1000, "01/12/2025")],
            payments=[pay(None, "15/12/2025", 300, client="C1")], as_of="2025-12-31")
    # 1,000 open - 300 unapplied cash (dated 15 Dec, 16 days ago -> "1-30" like F1, 30 days past due)
    assert r.outstanding == 700.0
    assert aging_of(r)["1-30"] == 700.0


def test_payments_after_the_as_of_date_and_later_invoices_are_ignored():
    r = run(invoices=[inv("F1", "C1", "01/11/2025", 1000, "01/12/2025"),
                      inv("F2", "C1", "05/01/2026", 400, "05/02/2026")],
            payments=[pay("F1", "10/01/2026", 1000)], as_of="2025-12-31")
    assert r.outstanding == 1000.0 and r.invoiced == 1000.0


def test_a_client_in_credit_has_a_negative_outstanding_and_no_quadrant():
    r = run(invoices=[inv("F1", "C1", "01/11/2025", 100, "01/12/2025"),
                      inv("A1", "C1", "05/12/2025", -250, "05/12/2025"),
                      inv("F2", "C2", "01/12/2025", 400, "31/01/2026")], as_of="2025-12-31")
    c1 = client(r, "C1")
    assert c1["outstanding"] == -150.0 and c1["quadrant"] is None
    assert r.outstanding == 250.0  # -150 + 400


def test_everything_paid_gives_zero_outstanding_and_no_share():
    r = run(invoices=[inv("F1", "C1", "01/11/2025", 100, "01/12/2025")], payments=[pay("F1", "05/12/2025", 100)],
            as_of="2025-12-31")
    assert (r.outstanding, r.overdue, r.overdue_share) == (0.0, 0.0, None)
    d = r.to_dict()
    assert d["aging"][0]["share"] is None and d["aging_by_client"] == []
    assert d["clients"][0]["client_id"] == "C1"  # it has revenue in the period
    assert r.risk_matrix["clients"].sum() == 0


def test_without_due_date_column_the_due_dates_come_from_the_terms():
    r = run(invoices=[{"N° facture": "F1", "Code client": "C1", "Date facture": "01/10/2025", "Montant TTC": 100}],
            as_of="2025-12-31")
    # default terms 30 days: due 31/10/2025, 61 days past due at 31/12/2025
    assert aging_of(r)["61-90"] == 100.0


# --- concentration ------------------------------------------------------------------------------------------

FIVE = [inv("F1", "C1", "01/06/2025", 500), inv("F2", "C2", "01/06/2025", 200), inv("F3", "C3", "01/06/2025", 150),
        inv("F4", "C4", "01/06/2025", 100), inv("F5", "C5", "01/06/2025", 50)]


def test_top_shares_and_herfindahl_index():
    r = run(invoices=FIVE, as_of="2025-12-31")
    # total 1,000: top1 500 / 1,000; top3 (500 + 200 + 150) / 1,000; top10 = all
    assert (r.top1_share, r.top3_share, r.top10_share) == (approx(0.5), approx(0.85), approx(1.0))
    # 0.5^2 + 0.2^2 + 0.15^2 + 0.1^2 + 0.05^2 = 0.25 + 0.04 + 0.0225 + 0.01 + 0.0025
    assert r.hhi == approx(0.325)


def test_abc_class_the_client_crossing_80_percent_is_class_a():
    r = run(invoices=FIVE, as_of="2025-12-31")
    # cumulative before each client: 0, 0.5, 0.7 (< 0.8: A, takes it to 0.85), 0.85 (< 0.95: B), 0.95 (C)
    assert r.pareto["abc_class"].tolist() == ["A", "A", "A", "B", "C"]
    assert r.pareto["cumulative_share"].tolist() == approx([0.5, 0.7, 0.85, 0.95, 1.0])
    assert r.pareto["client_id"].tolist() == ["C1", "C2", "C3", "C4", "C5"]
    assert r.pareto["rank"].tolist() == [1, 2, 3, 4, 5]


def test_a_single_client_is_class_a():
    r = run(invoices=[inv("F1", "C1", "01/06/2025", 500)], as_of="2025-12-31")
    assert r.pareto["abc_class"].tolist() == ["A"] and r.hhi == approx(1.0)


def test_concentration_alert_and_observation():
    r = run(invoices=FIVE, as_of="2025-12-31")
    assert r.concentration_alert  # 0.85 >= 0.50
    o = obs(r, "concentration")[None]
    # amount = revenue of the top 3 = 850; severity 1 as the top client alone weighs 0.5 >= 0.5
    assert (o.amount, o.count, o.severity) == (850.0, 3, 1)
    assert o.params["top3_share"] == approx(0.85) and o.params["clients"] == ["C1", "C2", "C3"]


def test_no_concentration_alert_with_ten_equal_clients():
    r = run(invoices=[inv(f"F{i}", f"C{i}", "01/06/2025", 100) for i in range(10)], as_of="2025-12-31")
    # each client 0.1: top3 = 0.3 < 0.5; HHI = 10 x 0.01 = 0.1 = 1/n
    assert r.top3_share == approx(0.3) and r.hhi == approx(0.1)
    assert not r.concentration_alert and "concentration" not in {o.rule for o in r.observations}


def test_revenue_is_net_of_credit_notes_and_clients_net_negative_have_no_share():
    r = run(invoices=[inv("F1", "C1", "01/06/2025", 300), inv("A1", "C1", "02/06/2025", -100),
                      inv("F2", "C2", "01/06/2025", 200), inv("A2", "C3", "01/06/2025", -50),
                      inv("F0", "C4", "01/06/2024", 999)],  # before the period
            as_of="2025-12-31")
    # C1 300 - 100 = 200, C2 200, C3 -50 (no share), C4 outside the period
    assert client(r, "C1")["invoiced"] == 200.0 and client(r, "C3")["invoiced"] == -50.0
    assert r.invoiced == 350.0  # 200 + 200 - 50
    assert r.pareto["client_id"].tolist() == ["C1", "C2"] and r.top1_share == approx(0.5)
    assert math.isnan(client(r, "C3")["revenue_share"])


def test_empty_period_gives_no_concentration_rather_than_zero():
    r = run(invoices=[inv("F1", "C1", "01/06/2023", 300, "01/07/2023")], as_of="2025-12-31")
    assert (r.top1_share, r.top3_share, r.hhi, r.concentration_alert) == (None, None, None, False)
    assert "period_revenue" in r.missing
    assert r.outstanding == 300.0 and client(r, "C1")["invoiced"] == 0.0


def test_concentration_threshold_is_a_setting():
    r = run(invoices=FIVE, settings=[("Alerte concentration top 3 (%)", "90 %")], as_of="2025-12-31")
    assert not r.concentration_alert  # 0.85 < 0.90


# --- payment habits -------------------------------------------------------------------------------------------

HABITS = dict(
    invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025"), inv("F2", "C1", "29/01/2025", 3000, "28/02/2025"),
              inv("F3", "C2", "15/01/2025", 300, "14/02/2025")],
    payments=[pay("F1", "10/02/2025", 1000), pay("F2", "20/02/2025", 3000)],
    as_of="2025-03-31")


def test_client_habits_contract():
    ledger, settings, _ = build(**HABITS)
    h = client_habits(ledger, settings)
    assert list(h.columns) == list(HABIT_COLUMNS) == ["settled_count", "late_count", "late_share",
                                                      "weighted_days_late", "avg_days_to_pay", "rating"]
    assert h.index.name == "client_id" and h.index.tolist() == ["C1", "C2"]


def test_late_share_weighted_days_late_and_average_days_to_pay():
    ledger, settings, _ = build(**HABITS)
    c1 = client_habits(ledger, settings).loc["C1"]
    # F1 paid 10 days late (31 Jan -> 10 Feb), F2 8 days early (counts 0): late share 1 / 2
    assert (c1["settled_count"], c1["late_count"], c1["late_share"]) == (2, 1, 0.5)
    # (1,000 x 10 + 3,000 x 0) / 4,000 = 2.5
    assert c1["weighted_days_late"] == approx(2.5)
    # days to pay: F1 1 Jan -> 10 Feb = 40, F2 29 Jan -> 20 Feb = 22; (1,000 x 40 + 3,000 x 22) / 4,000
    assert c1["avg_days_to_pay"] == approx(26.5)
    assert c1["rating"] == "B"  # 0 < 2.5 <= 15


def test_a_client_without_settled_invoice_has_no_rating():
    ledger, settings, _ = build(**HABITS)
    c2 = client_habits(ledger, settings).loc["C2"]
    assert c2["settled_count"] == 0 and c2["rating"] is None
    assert math.isnan(c2["late_share"]) and math.isnan(c2["weighted_days_late"])


def test_overall_habits_of_the_section():
    r = run(**HABITS)
    assert (r.settled_count, r.late_share, r.weighted_days_late, r.rating) == (2, 0.5, approx(2.5), "B")
    assert r.avg_days_to_pay == approx(26.5)


@pytest.mark.parametrize(("paid_on", "rating"), [
    ("31/01/2025", "A"),   # on the due date: 0 days late
    ("15/02/2025", "B"),   # 15 days: <= 15
    ("16/02/2025", "C"),   # 16 days
    ("02/03/2025", "C"),   # 30 days: <= 30
    ("03/03/2025", "D"),   # 31 days
])
def test_rating_edges(paid_on, rating):
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025")], payments=[pay("F1", paid_on, 100)],
            as_of="2025-03-31")
    assert client(r, "C1")["rating"] == rating


def test_rating_edges_are_a_setting():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025")], payments=[pay("F1", "20/02/2025", 100)],
            settings=[("Seuils de notation A/B/C (jours)", "5;10;20")], as_of="2025-03-31")
    assert client(r, "C1")["rating"] == "C"  # 20 days late: 10 < 20 <= 20


def test_partial_payments_settle_the_invoice_on_the_last_one():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025")],
            payments=[pay("F1", "20/01/2025", 400), pay("F1", "20/02/2025", 600)], as_of="2025-03-31")
    # settled on 20 Feb (cumulative 1,000): 20 days late, 50 days to pay
    c1 = client(r, "C1")
    assert (c1["weighted_days_late"], c1["avg_days_to_pay"], c1["rating"]) == (20.0, 50.0, "C")


def test_habits_only_count_invoices_settled_in_the_window():
    ledger, settings, _ = build(**HABITS)
    h = client_habits(ledger, settings, start=pd.Timestamp("2025-02-15"), end=pd.Timestamp("2025-03-31"))
    # only F2 (settled 20 Feb) is in the window
    assert h.loc["C1", "settled_count"] == 1 and h.loc["C1", "weighted_days_late"] == 0.0


def test_bad_rating_edges_fall_back_to_the_defaults():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025")], payments=[pay("F1", "20/02/2025", 100)],
            settings=[("Seuils de notation A/B/C (jours)", "5;10")], as_of="2025-03-31")
    assert client(r, "C1")["rating"] == "C"  # 20 days late with (0, 15, 30)
    assert r.to_dict()["habits"]["rating_edges"] == [0.0, 15.0, 30.0]


def test_client_habits_lists_every_client_of_the_master():
    ledger, settings, _ = build(**HABITS, clients=[{"Code client": "C9", "Client": "Nouveau"}])
    h = client_habits(ledger, settings)
    assert h.index.tolist() == ["C1", "C2", "C9"] and h.loc["C9", "rating"] is None


def test_settlement_dates_from_the_invoice_columns():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025", paid=100, settled="10/03/2025")],
            as_of="2025-03-31")
    assert client(r, "C1")["weighted_days_late"] == 38.0  # 31 Jan -> 10 Mar


def test_without_payment_dates_habits_are_none_and_said_missing():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 100, "31/01/2025"),
                      inv("F2", "C1", "01/02/2025", 50, "03/03/2025")], as_of="2025-03-31")
    assert "payment_dates" in r.missing
    assert (r.late_share, r.weighted_days_late, r.avg_days_to_pay, r.rating, r.trend) == (None,) * 5
    d = r.to_dict()
    assert d["habits"]["weighted_days_late"] is None and d["clients"][0]["rating"] is None
    assert r.outstanding == 150.0  # the outstanding does not need payments


# --- trend -------------------------------------------------------------------------------------------------------

def trend_case(days_late_before: int, days_late_now: int) -> ReceivablesResult:
    # period 2025-01-01 .. 2025-12-31; previous: the 365 days before (2024-01-02 .. 2024-12-31)
    before = pd.Timestamp("2024-05-31") + pd.Timedelta(days=days_late_before)
    now = pd.Timestamp("2025-05-31") + pd.Timedelta(days=days_late_now)
    return run(invoices=[inv("F1", "C1", "01/05/2024", 100, "31/05/2024"),
                         inv("F2", "C1", "01/05/2025", 100, "31/05/2025")],
               payments=[pay("F1", before.strftime("%d/%m/%Y"), 100), pay("F2", now.strftime("%d/%m/%Y"), 100)],
               as_of="2025-12-31")


@pytest.mark.parametrize(("before", "now", "label"), [
    (20, 5, "improving"),   # 5 - 20 = -15 < -2
    (10, 12, "stable"),     # +2: within the 2-day tolerance
    (10, 13, "worsening"),  # +3 > 2
])
def test_trend_against_the_previous_period_of_the_same_length(before, now, label):
    r = trend_case(before, now)
    assert (r.weighted_days_late, r.weighted_days_late_prev, r.trend) == (now, before, label)
    c1 = client(r, "C1")
    assert (c1["weighted_days_late_prev"], c1["trend"]) == (before, label)
    assert r.to_dict()["habits"]["previous_start"] == "2024-01-02"


def test_no_previous_data_gives_no_trend():
    r = run(**HABITS)
    assert r.trend is None and "previous_period" in r.missing


def test_trend_labels_with_nan():
    assert trend_labels([1.0, np.nan, 5.0], [np.nan, 1.0, 5.0]).tolist() == [None, None, "stable"]


# --- old invoices ------------------------------------------------------------------------------------------

OLD = dict(
    invoices=[inv("F1", "C1", "01/06/2025", 1000, "01/07/2025", disputed="Oui"),   # 183 days past due
              inv("F2", "C1", "01/08/2025", 500, "02/10/2025"),                   # 90 days: not old
              inv("F3", "C1", "01/08/2025", 300, "01/10/2025"),                   # 91 days
              inv("F4", "C2", "01/08/2025", 200, "15/09/2025")],                  # 107 days
    payments=[pay("F1", "15/07/2025", 400)],
    as_of="2025-12-31")


def test_old_invoices_are_more_than_90_days_past_due_oldest_first():
    r = run(**OLD)
    t = r.old_invoices
    assert t["invoice_id"].tolist() == ["F1", "F4", "F3"]
    assert t["days_past_due"].tolist() == [183.0, 107.0, 91.0]
    assert t["open_amount"].tolist() == [600.0, 200.0, 300.0]  # F1: 1,000 - 400
    assert t["disputed"].tolist() == [True, False, False]
    assert (r.old_invoices_amount, r.old_invoices_count) == (1100.0, 3)
    assert client(r, "C1")["old_amount"] == 900.0


def test_old_invoices_observation_per_client():
    r = run(**OLD)
    o = obs(r, "old_invoices")
    # C1: 600 + 300 = 900 in 2 invoices; cash impact = the amount; oldest 183 > 2 x 90 -> severity 1
    assert (o["C1"].amount, o["C1"].count, o["C1"].cash_impact, o["C1"].severity) == (900.0, 2, 900.0, 1)
    assert o["C1"].params["days"] == 90 and o["C1"].params["disputed_amount"] == 600.0
    assert (o["C2"].amount, o["C2"].severity) == (200.0, 2)  # 107 <= 180


def test_old_invoice_threshold_is_a_setting():
    r = run(**OLD, settings=[("Seuil factures anciennes (jours)", "150")])
    assert r.old_invoices["invoice_id"].tolist() == ["F1"]


# --- risk matrix, ratings, observations ----------------------------------------------------------------

RISK = dict(
    invoices=[
        # C1 big and late: 5,000 paid 40 days late (D), 6,000 open and 61 days past due
        inv("P1", "C1", "01/06/2025", 5000, "30/06/2025"), inv("O1", "C1", "01/10/2025", 6000, "31/10/2025"),
        # C2 big and on time: paid on time (A), 3,000 not yet due
        inv("P2", "C2", "01/06/2025", 2000, "30/06/2025"), inv("O2", "C2", "15/12/2025", 3000, "14/01/2026"),
        # C3 small and late: 300 open, 31 days past due (all overdue)
        inv("O3", "C3", "01/11/2025", 300, "30/11/2025"),
        # C4 small and on time: 200 not yet due
        inv("O4", "C4", "15/12/2025", 200, "14/01/2026")],
    payments=[pay("P1", "09/08/2025", 5000), pay("P2", "30/06/2025", 2000)],
    as_of="2025-12-31")


def test_risk_quadrants():
    r = run(**RISK)
    # outstanding 6,000 + 3,000 + 300 + 200 = 9,500; big = >= 5 % = 475
    q = r.clients.set_index("client_id")["quadrant"].to_dict()
    assert q == {"C1": "priority", "C2": "watch", "C3": "small_late", "C4": "healthy"}
    m = r.risk_matrix.set_index("quadrant")
    assert m.loc["priority", ["clients", "outstanding", "overdue"]].tolist() == [1, 6000.0, 6000.0]
    assert m.loc["watch", "label_fr"] == "À surveiller" and m.loc["priority", "label_en"] == "Priority"
    assert m["outstanding"].sum() == 9500.0


def test_outstanding_by_rating_sums_to_the_outstanding():
    r = run(**RISK)
    t = r.outstanding_by_rating.set_index("rating")
    # C1 rated D (40 days late), C2 rated A, C3 and C4 never paid: not rated
    assert t["outstanding"].to_dict() == {"A": 3000.0, "B": 0.0, "C": 0.0, "D": 6000.0, "none": 500.0}
    assert t["outstanding"].sum() == r.outstanding


def test_chronic_late_payer_and_risk_priority_observations():
    r = run(**RISK)
    late = obs(r, "chronic_late_payer")["C1"]
    # revenue 11,000 over 365 days x 40 days late = 1,205.48 tied up by lateness (< outstanding 6,000)
    assert late.cash_impact == approx(round(11000 / 365 * 40, 2))
    assert (late.amount, late.count, late.severity) == (6000.0, 1, 2)
    prio = obs(r, "risk_priority")
    assert set(prio) == {"C1"}
    # cash impact = the overdue (6,000), one overdue invoice, severity 1
    assert (prio["C1"].amount, prio["C1"].cash_impact, prio["C1"].count, prio["C1"].severity) == (6000.0, 6000.0, 1, 1)


def test_clients_sorted_by_outstanding_desc():
    r = run(**RISK)
    assert r.clients["client_id"].tolist() == ["C1", "C2", "C3", "C4"]


# --- JSON and column descriptions ----------------------------------------------------------------------

def test_json_block():
    d = run(**WORKED).to_dict()
    json.dumps(d, allow_nan=False)  # no NaN anywhere
    assert (d["outstanding"], d["overdue"], d["as_of"]) == (1400.0, 900.0, "2025-03-31")
    assert [a["bucket"] for a in d["aging"]] == ["not_due", "1-30", "31-60", "61-90", "91-120", ">120"]
    assert set(d["aging"][0]) >= {"bucket", "amount", "count"}
    assert set(d["concentration"]) >= {"top1_share", "top3_share", "top10_share", "hhi", "alert"}
    assert d["concentration"]["hhi"] == 0.5703  # rounded to 4 decimals
    keys = {"client_id", "client_name", "invoiced", "outstanding", "overdue", "late_share",
            "weighted_days_late", "avg_days_to_pay", "rating"}
    assert all(keys <= set(c) for c in d["clients"])
    assert [c["client_id"] for c in d["clients"]] == ["C1", "C2"]
    assert d["clients"][0]["client_name"] == "Dupont SARL"


def test_every_detail_table_is_described():
    r = run(**OLD)
    for name in ReceivablesResult.COLUMNS:
        frame = getattr(r, name)
        specs = r.specs(name)
        assert all(isinstance(s, ColumnSpec) and s.fr and s.en for s in specs)
        assert [s.key for s in specs if s.key in frame.columns] == [s.key for s in specs], name


# --- properties ------------------------------------------------------------------------------------------

DATES = [d.strftime("%Y-%m-%d") for d in pd.date_range("2024-10-01", "2025-12-31", freq="D")]
date_st = st.sampled_from(DATES)
amount_st = st.decimals(min_value=-500, max_value=5000, places=2).map(float).filter(lambda x: abs(x) >= 0.01)


@st.composite
def ledgers(draw):
    n = draw(st.integers(1, 12))
    invoices = []
    for i in range(n):
        d = draw(date_st)
        due = (pd.Timestamp(d) + pd.Timedelta(days=draw(st.integers(0, 90)))).strftime("%Y-%m-%d")
        invoices.append(inv(f"F{i}", draw(st.sampled_from(["C1", "C2", "C3", "C4"])), d, draw(amount_st), due))
    payments = []
    for _ in range(draw(st.integers(0, 10))):
        target = draw(st.one_of(st.none(), st.integers(0, n - 1)))
        row = pay(None if target is None else f"F{target}", draw(date_st),
                  float(draw(st.decimals(min_value=1, max_value=3000, places=2))))
        if target is None:
            row["Code client"] = draw(st.sampled_from(["C1", "C2", "C5"]))
        payments.append(row)
    edges = draw(st.sampled_from(["0;30;60;90;120", "15;45", "30"]))
    return dict(invoices=invoices, payments=payments, settings=[("Tranches de retard (jours)", edges)],
                as_of=draw(st.sampled_from(["2025-06-30", "2025-12-31"])))


@given(ledgers())
@hsettings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_properties(case):
    ledger, settings, _ = build(**case)
    r = compute(ledger, settings)
    cents = lambda x: int(round(x * 100))  # noqa: E731
    # aging sums to the outstanding, overall and per client, to the cent
    assert sum(cents(a) for a in r.aging["amount"]) == cents(r.outstanding)
    buckets = [b.key for b in r.buckets]
    for row in r.aging_by_client.itertuples(index=False):
        assert sum(cents(getattr(row, k)) for k in buckets) == cents(row.total)
    by_client = r.clients.set_index("client_id")["outstanding"]
    assert cents(by_client.sum()) == cents(r.outstanding)
    assert cents(r.outstanding) == cents(open_items(ledger)["open_amount"].sum())
    assert cents(r.overdue + r.not_due) == cents(r.outstanding)
    # an invoice's open amount is never negative
    items = open_items(ledger)
    assert (items.loc[items["kind"] == "invoice", "open_amount"] >= 0).all()
    assert (r.old_invoices["open_amount"] > 0).all()
    # shares between 0 and 1, HHI between 1/n and 1, ABC classes in order
    if r.hhi is not None:
        n = len(r.pareto)
        assert 1 / n - 1e-9 <= r.hhi <= 1 + 1e-9
        assert 0 < r.top1_share <= r.top3_share <= r.top10_share <= 1 + 1e-9
        assert r.pareto["share"].between(0, 1).all()
        assert r.pareto["abc_class"].tolist() == sorted(r.pareto["abc_class"])
        assert r.pareto["abc_class"].iloc[0] == "A"
    assert r.clients["late_share"].dropna().between(0, 1).all()
    assert (r.clients["weighted_days_late"].dropna() >= 0).all()
    # the vectorised rating is kpi.rating_from_days
    for wdl, rating in zip(r.clients["weighted_days_late"], r.clients["rating"], strict=True):
        assert rating == rating_from_days(wdl, settings.rating_edges)
    assert r.outstanding_by_rating["outstanding"].sum() == approx(r.outstanding)
    json.dumps(r.to_dict(), allow_nan=False)


@given(st.lists(st.one_of(st.floats(-50, 100), st.just(float("nan"))), max_size=20))
def test_vectorised_rating_matches_kpi(values):
    assert ratings(np.array(values, dtype=float), (0.0, 15.0, 30.0)).tolist() == \
        [rating_from_days(v) for v in values]
