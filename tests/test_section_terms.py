"""Section 3, "Conditions de paiement": terms per client, legal maximum (L441-10), days to pay against
terms, credit limits, invoiced while overdue, deposit / shorter terms / block candidates.

Every ledger is built through ingestion from inline tables with the template's French headers; the
arithmetic of each expectation is written beside it. As of 30/06/2025 the analysis period is
01/07/2024 .. 30/06/2025 (365 days).
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest
from conftest import build, inv, pay
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from audit_engine.kpi import due_date
from audit_engine.sections import terms as terms_module
from audit_engine.sections.terms import COLUMNS, TermsResult, compute
from audit_engine.sections.terms_checks import (
    NO_END,
    day_numbers,
    deposit_paid,
    due_under_terms,
    latest_legal_due,
    master_over_legal,
    oldest_overdue_blocker,
    uniformity,
)

approx = pytest.approx
AS_OF = "2025-06-30"
RULES = ("net", "end_of_month_then_days", "days_then_end_of_month")


def run(*args, **kwargs) -> TermsResult:
    kwargs.setdefault("as_of", AS_OF)
    ledger, settings, _ = build(*args, **kwargs)
    return compute(ledger, settings)


def cli(code: str, days: int | None = None, rule: str | None = None, limit: float | None = None,
        deposit: str | None = None) -> dict:
    return {"Code client": code, "Délai de paiement (jours)": days, "Type de délai": rule,
            "Plafond de crédit": limit, "Acompte": deposit}


def row(frame: pd.DataFrame, client_id: str) -> dict:
    return frame.set_index("client_id").loc[client_id].to_dict()


def obs(result: TermsResult, rule: str) -> dict:
    return {o.client_id: o for o in result.observations if o.rule == rule}


@pytest.fixture
def ratings(monkeypatch):
    """Stub the client ratings (section 1's client_habits) so a test states them directly."""
    def use(table: dict[str, str | None]) -> None:
        def habits(ledger, settings):
            ids = pd.Index(sorted(set(ledger.invoices["client_id"]) | set(table)), dtype=object, name="client_id")
            return pd.DataFrame({"settled_count": 0, "late_count": 0, "late_share": np.nan,
                                 "weighted_days_late": np.nan, "avg_days_to_pay": np.nan,
                                 "rating": pd.Series([table.get(i) for i in ids], index=ids, dtype=object)}, index=ids)
        monkeypatch.setattr(terms_module, "client_habits", habits)
    return use


def days_after(date: str, n: int) -> str:
    d = dt.datetime.strptime(date, "%d/%m/%Y").date() + dt.timedelta(days=n)
    return d.strftime("%d/%m/%Y")


# --- the worked example of the module docstring ---------------------------------------------------------

def test_worked_example():
    r = run(invoices=[inv("F1", "C1", "10/01/2025", 4000, "31/03/2025"), inv("F2", "C1", "15/05/2025", 3000, "31/07/2025")],
            clients=[cli("C1", 60, "fin de mois", limit=5000)])
    assert r.weighted_terms_days == approx(551_000 / 7000)  # (4,000 x 80 + 3,000 x 77) / 7,000 = 78.71
    c1 = row(r.over_legal_clients, "C1")
    # F1 14 days beyond 17 Mar, F2 16 days beyond 15 Jul (15 May + 60 = 14 Jul; 31 May + 45 = 15 Jul)
    assert c1["master_over_legal"] and (c1["over_legal_count"], c1["max_excess_days"]) == (2, 16)
    assert row(r.credit_limit_clients, "C1")["excess"] == 2000
    assert row(r.invoiced_while_overdue_clients, "C1")["worst_days_overdue"] == 45  # 15 May - 31 Mar
    # shorter terms to the legal maximum: (4,000 x 14 + 3,000 x 16) / 365 = 104,000 / 365
    assert row(r.shorten_terms_clients, "C1")["cash_impact"] == approx(104_000 / 365)


# --- weighted terms, terms per client ----------------------------------------------------------------

def test_weighted_terms_are_amount_weighted_over_period_invoices_with_known_terms():
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 1000, "31/03/2025"),  # 30 days
                      inv("F2", "C2", "01/03/2025", 3000, "30/04/2025"),  # 60 days
                      inv("A1", "C1", "05/03/2025", -500, "05/03/2025"),  # credit note: not weighted
                      inv("F0", "C1", "01/03/2024", 9000, "30/06/2024"),  # before the period
                      inv("F3", "C3", "01/03/2025", 1000)])  # no due date: default terms, not observed
    # (1,000 x 30 + 3,000 x 60) / 4,000 = 210,000 / 4,000 = 52.5
    assert r.weighted_terms_days == approx(52.5)
    # terms known for 4,000 of the 5,000 invoiced in the period
    assert r.terms_basis_share == approx(0.8)
    assert r.to_dict()["weighted_terms_days"] == 52.5


def test_terms_per_client_median_min_max_distinct_and_uniformity():
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 100, "31/03/2025"),  # 30 days
                      inv("F2", "C1", "01/04/2025", 100, "02/05/2025"),  # 31
                      inv("F3", "C1", "01/05/2025", 200, "02/06/2025"),  # 32
                      inv("G1", "C2", "01/03/2025", 100, "31/03/2025"),  # 30
                      inv("G2", "C2", "01/04/2025", 300, "30/05/2025")])  # 59
    c1, c2 = row(r.terms_by_client, "C1"), row(r.terms_by_client, "C2")
    # C1: terms 30, 31, 32 -> median 31, all within +/- 2 days of 31: uniform, net
    assert (c1["median_terms_days"], c1["min_terms_days"], c1["max_terms_days"], c1["distinct_terms"]) == \
        (31, 30, 32, 3)
    assert c1["uniform"] and c1["observed_rule"] == "net"
    # (100 x 30 + 100 x 31 + 200 x 32) / 400 = 12,500 / 400 = 31.25
    assert c1["weighted_terms_days"] == approx(31.25)
    # C2: 30 and 59 days -> not on one term (with a due date of 31 May, "30 days then end of month"
    # would fit both: 1 Mar + 30 -> 31 Mar, 1 Apr + 30 = 1 May -> 31 May)
    assert c2["uniform"] is False and pd.isna(c2["observed_rule"]) and c2["distinct_terms"] == 2
    assert r.clients_not_uniform == 1
    o = obs(r, "terms_not_uniform")
    assert set(o) == {"C2"} and o["C2"].params["min_days"] == 30 and o["C2"].params["max_days"] == 59


def test_end_of_month_terms_count_as_uniform():
    r = run(invoices=[
        # "45 jours fin de mois", invoice + 45 days then end of month: 10 Jan + 45 = 24 Feb -> 28 Feb (49 days);
        # 20 Jan + 45 = 6 Mar -> 31 Mar (70 days): one term (45), two day counts
        inv("F1", "C1", "10/01/2025", 100, "28/02/2025"), inv("F2", "C1", "20/01/2025", 100, "31/03/2025"),
        # end of invoice month + 45 days: 31 Jan + 45 = 17 Mar (66 days); 28 Feb + 45 = 14 Apr (53 days)
        inv("G1", "C2", "10/01/2025", 100, "17/03/2025"), inv("G2", "C2", "20/02/2025", 100, "14/04/2025")])
    c1, c2 = row(r.terms_by_client, "C1"), row(r.terms_by_client, "C2")
    assert c1["uniform"] and c1["observed_rule"] == "days_then_end_of_month" and c1["distinct_terms"] == 2
    assert c2["uniform"] and c2["observed_rule"] == "end_of_month_then_days"
    assert r.clients_not_uniform == 0


def test_invoices_off_the_client_master_terms_are_mismatches():
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 100, "01/04/2025"),  # 31 days: within 2 days of 30
                      inv("F2", "C1", "01/04/2025", 250, "16/05/2025"),  # 45 days: off
                      inv("F3", "C1", "01/05/2025", 300)],  # due from the master: not a mismatch
            clients=[cli("C1", 30, "net")])
    c1 = row(r.terms_by_client, "C1")
    assert (c1["mismatch_count"], c1["mismatch_amount"]) == (1, 250)
    assert c1["master_terms_days"] == 30 and c1["master_terms_rule"] == "net"
    assert r.clients_master_mismatch == 1
    assert obs(r, "terms_not_uniform")["C1"].params["mismatch_count"] == 1


# --- legal maximum (L441-10) -------------------------------------------------------------------------

@pytest.mark.parametrize(("days", "rule", "over"), [
    (60, "net", False), (61, "net", True), (60, None, False),
    (45, "end_of_month_then_days", False), (46, "end_of_month_then_days", True),
    (45, "days_then_end_of_month", False), (50, "days_then_end_of_month", True), (60, "days_then_end_of_month", True),
])
def test_master_terms_over_the_legal_maximum(days, rule, over):
    assert master_over_legal(np.array([float(days)]), np.array([rule], dtype=object), 60, 45)[0] == over


def test_latest_legal_due_takes_the_latest_reading():
    d = day_numbers(pd.Series(pd.to_datetime(["2025-01-15", "2025-01-31"])))
    got = latest_legal_due(d, 60, 45).astype("datetime64[D]").astype(str).tolist()
    # 15 Jan: max(+60 = 16 Mar, +45 = 1 Mar -> 31 Mar, 31 Jan + 45 = 17 Mar) = 31 Mar
    # 31 Jan: max(+60 = 1 Apr, +45 = 17 Mar -> 31 Mar, 31 Jan + 45 = 17 Mar) = 1 Apr
    assert got == ["2025-03-31", "2025-04-01"]


def test_over_legal_max_counts_clients_by_master_terms_or_invoices():
    r = run(invoices=[inv("F1", "C1", "15/01/2025", 1000, "31/03/2025"),  # latest legal 31 Mar: OK
                      inv("F2", "C1", "15/01/2025", 2000, "01/04/2025"),  # 1 day over
                      inv("G1", "C2", "31/01/2025", 500, "01/04/2025"),  # +60 days exactly: OK
                      inv("H1", "C3", "01/03/2025", 400, "31/03/2025")],
            clients=[cli("C3", 60, "fin de mois"), cli("C4", 30, "net")])  # C3: 60 days end of month > 45
    assert r.over_legal_max == 2  # C1 (invoice), C3 (master terms)
    assert r.over_legal_master == 1
    assert (r.over_legal_invoice_count, r.over_legal_amount) == (1, 2000)
    c1 = row(r.over_legal_clients, "C1")
    assert (c1["over_legal_count"], c1["over_legal_amount"], c1["max_excess_days"]) == (1, 2000, 1)
    o = obs(r, "terms_over_legal")
    assert set(o) == {"C1", "C3"} and o["C3"].severity == 1
    assert o["C3"].params["days"] == 60 and o["C3"].params["rule"] == "end_of_month_then_days"
    assert o["C1"].params["rule"] == "observed" and o["C1"].amount == 2000 and o["C1"].count == 1


def test_due_dates_derived_from_master_terms_over_the_limit_are_over_too():
    # no due date: 75 days net from the master -> 15 Mar + 75 = 29 May, latest legal 14 May + ... = 30 Apr
    r = run(invoices=[inv("F1", "C1", "15/03/2025", 1000)], clients=[cli("C1", 75, "net")])
    assert r.over_legal_invoice_count == 1 and r.over_legal_max == 1


# --- days to pay against terms ------------------------------------------------------------------------

def test_days_to_pay_against_terms_per_client():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025"),  # 30 days of terms
                      inv("F2", "C1", "01/02/2025", 3000, "03/03/2025"),  # 30 days of terms
                      inv("F3", "C1", "01/06/2025", 800, "01/07/2025")],  # open: not settled
            payments=[pay("F1", "10/02/2025", 1000), pay("F2", "05/03/2025", 3000)])
    c1 = row(r.terms_by_client, "C1")
    # days to pay 40 and 32: (1,000 x 40 + 3,000 x 32) / 4,000 = 136,000 / 4,000 = 34; terms 30; gap 4
    assert (c1["weighted_days_to_pay"], c1["weighted_terms_settled"], c1["payment_gap_days"]) == \
        approx((34, 30, 4))
    assert c1["settled_count"] == 2
    assert (r.weighted_days_to_pay, r.payment_gap_days) == approx((34, 4))


# --- credit limits -------------------------------------------------------------------------------------

def test_credit_limit_exceeded_uses_the_outstanding_at_the_as_of_date():
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 6000, "31/03/2025"),
                      inv("A1", "C1", "10/03/2025", -500, "10/03/2025"),
                      inv("G1", "C2", "01/03/2025", 2000, "31/03/2025"),
                      inv("H1", "C3", "01/03/2025", 900, "31/03/2025")],
            clients=[cli("C1", limit=5000), cli("C2", limit=10000), cli("C3", limit=0)])  # 0 = no limit
    # C1: outstanding 6,000 - 500 = 5,500 > 5,000: excess 500; overdue = the open invoice F1, 6,000
    assert r.credit_limit_exceeded == 1 and r.credit_limit_excess == approx(500)
    c1 = row(r.credit_limit_clients, "C1")
    assert (c1["credit_limit"], c1["outstanding"], c1["excess"], c1["overdue"]) == (5000, 5500, 500, 6000)
    o = obs(r, "credit_limit_exceeded")["C1"]
    assert o.amount == 500 and o.params["limit"] == 5000


def test_no_credit_limit_in_the_master_means_none_not_zero():
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 6000, "31/03/2025")])
    assert r.credit_limit_exceeded is None and "credit_limit" in r.missing
    assert r.to_dict()["credit_limit_exceeded"] is None


# --- invoiced while overdue ----------------------------------------------------------------------------

WHILE_OVERDUE = dict(
    invoices=[
        # C1: F1 due 31 Jan, unpaid. 2 Mar = due + 30: not "more than 30"; 3 Mar: 31 days -> flagged
        inv("F1", "C1", "01/01/2025", 1000, "31/01/2025"), inv("F2", "C1", "02/03/2025", 500, "01/04/2025"),
        inv("F3", "C1", "03/03/2025", 700, "02/04/2025"),
        # C2: G1 due 31 Jan, paid 10 Mar. G2 on 4 Mar (32 days, unpaid then) -> flagged; G3 on 10 Mar: paid that day
        inv("G1", "C2", "01/01/2025", 1000, "31/01/2025"), inv("G2", "C2", "04/03/2025", 300, "03/04/2025"),
        inv("G3", "C2", "10/03/2025", 400, "09/04/2025"),
        # C3: nothing overdue of its own (C1's overdue does not count)
        inv("H1", "C3", "03/03/2025", 900, "02/04/2025"),
        # C4: K2 due 15 Jan paid 20 Mar, K1 due 31 Jan unpaid. K3 on 10 Mar: oldest active K2, 54 days;
        # K4 on 25 Mar: K2 paid, K1 is 53 days overdue. A credit note is neither blocker nor flagged.
        inv("K2", "C4", "16/12/2024", 100, "15/01/2025"), inv("K1", "C4", "01/01/2025", 100, "31/01/2025"),
        inv("K3", "C4", "10/03/2025", 200, "09/04/2025"), inv("K4", "C4", "25/03/2025", 300, "24/04/2025"),
        inv("KA", "C4", "26/03/2025", -50, "26/03/2025"),
    ],
    payments=[pay("G1", "10/03/2025", 1000), pay("K2", "20/03/2025", 100), pay("G2", "01/04/2025", 300),
              pay("G3", "01/04/2025", 400)])


def test_invoiced_while_more_than_30_days_overdue():
    r = run(**WHILE_OVERDUE)
    t = r.invoiced_while_overdue_clients.set_index("client_id")
    assert sorted(t.index) == ["C1", "C2", "C4"]
    assert (t.loc["C1", "invoice_count"], t.loc["C1", "invoiced_amount"], t.loc["C1", "worst_days_overdue"]) == \
        (1, 700, 31)
    assert (t.loc["C2", "invoice_count"], t.loc["C2", "worst_days_overdue"]) == (1, 32)
    # C4: K3 (200) and K4 (300); worst 10 Mar - 15 Jan = 54 days
    assert (t.loc["C4", "invoice_count"], t.loc["C4", "invoiced_amount"], t.loc["C4", "worst_days_overdue"]) == \
        (2, 500, 54)
    assert str(t.loc["C4", "first_date"].date()) == "2025-03-10" and str(t.loc["C4", "last_date"].date()) == "2025-03-25"
    assert (r.invoiced_while_overdue, r.invoiced_while_overdue_count, r.invoiced_while_overdue_amount) == \
        (3, 4, 700 + 300 + 500)


def test_invoiced_while_overdue_observation_carries_the_overdue_at_the_as_of_date():
    o = obs(run(**WHILE_OVERDUE), "invoiced_while_overdue")
    # C1 at 30 Jun: F1 1,000 + F2 500 + F3 700 all past due = 2,200
    assert o["C1"].amount == 2200 and o["C1"].count == 1 and o["C1"].params["worst_days"] == 31
    assert o["C2"].amount == 0 and o["C2"].severity == 3  # paid up since: lower priority


def test_old_blockers_before_the_period_still_block():
    # F0 dated and due before the period (starts 1 Jul 2024), still unpaid on 1 Sep 2024
    r = run(invoices=[inv("F0", "C1", "01/05/2024", 100, "31/05/2024"), inv("F1", "C1", "01/09/2024", 100, "01/10/2024")])
    assert r.invoiced_while_overdue == 1


def test_undated_payments_make_invoiced_while_overdue_unknown():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025", paid=1000),
                      inv("F2", "C1", "03/04/2025", 500, "03/05/2025")])
    assert r.invoiced_while_overdue is None and "payment_dates" in r.missing
    assert r.weighted_days_to_pay is None


def test_no_payments_at_all_everything_is_unpaid():
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025"), inv("F2", "C1", "03/04/2025", 500, "03/05/2025")])
    assert r.invoiced_while_overdue == 1 and r.weighted_days_to_pay is None and "payment_dates" in r.missing


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 60), st.one_of(st.none(), st.integers(0, 120))),
                max_size=12),
       st.lists(st.tuples(st.integers(0, 2), st.integers(0, 150)), max_size=12), st.integers(0, 10))
@hsettings(max_examples=300, deadline=None)
def test_the_sweep_finds_the_oldest_active_blocker(blockers, queries, block_days):
    b_codes = np.array([b[0] for b in blockers], dtype=np.int64)
    b_due = np.array([b[1] for b in blockers], dtype=np.int64)
    b_end = np.array([NO_END if b[2] is None else b[1] + b[2] for b in blockers], dtype=np.int64)
    q_codes = np.array([q[0] for q in queries], dtype=np.int64)
    q_days = np.array([q[1] for q in queries], dtype=np.int64)
    got = oldest_overdue_blocker(b_codes, b_due, b_end, q_codes, q_days, block_days)
    for i, (c, d) in enumerate(queries):  # brute force: the oldest due among active blockers
        active = [j for j in range(len(blockers))
                  if b_codes[j] == c and b_due[j] + block_days < d and (b_end[j] == NO_END or b_end[j] > d)]
        if not active:
            assert got[i] == -1
        else:
            assert got[i] in active and b_due[got[i]] == min(b_due[j] for j in active)


# --- deposit candidates, shorter terms, clients to block ----------------------------------------------

def test_deposit_candidates_are_c_d_clients_with_long_terms_or_a_high_outstanding(ratings):
    ratings({"P1": "C", "P2": "D", "P3": "B", "P4": "C", "P5": "C", "Z": "A"})
    r = run(invoices=[inv("P1", "P1", "01/06/2025", 100, "16/07/2025"),  # 45 days: long terms
                      inv("P2", "P2", "01/06/2025", 100, "16/07/2025"),  # D, long, but already on deposit
                      inv("P3", "P3", "01/06/2025", 100, "31/07/2025"),  # B: not a candidate
                      inv("P4", "P4", "01/06/2025", 1000, "01/07/2025"),  # 30 days; 1,000 / 11,310 = 8.8 %
                      inv("P5", "P5", "01/06/2025", 10, "01/07/2025"),  # 30 days, 0.09 %: no
                      inv("Z", "Z", "01/06/2025", 10000, "01/07/2025")],
            clients=[cli("P2", deposit="30 %")])
    cand = r.deposit_candidates.set_index("client_id")
    assert sorted(cand.index) == ["P1", "P4"] and r.deposit_candidate_count == 2
    assert bool(cand.loc["P1", "long_terms"]) and not bool(cand.loc["P1", "high_outstanding"])
    # outstanding 100 + 100 + 100 + 1,000 + 10 + 10,000 = 11,310; P4: 1,000 / 11,310
    assert cand.loc["P4", "outstanding_share"] == approx(1000 / 11310)
    assert obs(r, "deposit_candidate")["P4"].params["reasons"] == ["high_outstanding"]


def test_clients_to_block_are_overdue_over_30_days_and_over_limit_or_rated_d(ratings):
    ratings({"D1": "D", "D2": "D", "C9": "C"})
    r = run(invoices=[inv("F1", "D1", "01/05/2025", 1000, "20/05/2025"),  # 41 days overdue, D -> block
                      inv("F2", "D2", "01/05/2025", 1000, "10/06/2025"),  # 20 days only
                      inv("F3", "L1", "01/05/2025", 1000, "25/05/2025"),  # 36 days, over its limit -> block
                      inv("F4", "C9", "01/03/2025", 1000, "01/04/2025")],  # 90 days but C and no limit
            clients=[cli("L1", limit=500)])
    block = r.clients_to_block.set_index("client_id")
    assert sorted(block.index) == ["D1", "L1"] and r.clients_to_block_count == 2
    assert block.loc["D1", "max_days_past_due"] == 41
    o = obs(r, "block_client")
    assert o["D1"].params["reasons"] == ["rating_D"] and o["L1"].params["reasons"] == ["credit_limit"]
    assert o["L1"].amount == 1000 and o["L1"].severity == 1


def test_shorten_terms_cash_impact_is_revenue_per_day_times_days_removed(ratings):
    ratings({"C1": "C"})
    r = run(invoices=[inv("F1", "C1", "01/03/2025", 7300, "30/04/2025"),  # C, 60 days net: target 30
                      inv("G1", "C2", "31/01/2025", 36500, "21/04/2025")])  # latest legal 1 Apr: 20 days over
    s = r.shorten_terms_clients.set_index("client_id")
    # C1: 7,300 x (60 - 30) / 365 = 600 (= 20 a day x 30 days)
    assert (s.loc["C1", "basis"], s.loc["C1", "days_removed"], s.loc["C1", "cash_impact"]) == ("risk", 30, approx(600))
    # C2: 36,500 x 20 / 365 = 2,000 (= 100 a day x 20 days)
    assert (s.loc["C2", "basis"], s.loc["C2", "days_removed"], s.loc["C2", "cash_impact"]) == \
        ("legal_max", 20, approx(2000))
    assert r.shorten_terms_cash == approx(2600)
    assert obs(r, "shorten_terms")["C2"].cash_impact == 2000


def test_without_any_rating_the_candidates_are_unknown(ratings):
    ratings({})
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025")])
    assert "rating" in r.missing and r.deposit_candidate_count is None and r.clients_to_block_count is None


def test_real_ratings_from_payment_habits():
    # C1 paid F1 100 days late -> D; F2 is 61 days overdue at the as-of date -> block
    r = run(invoices=[inv("F1", "C1", "01/01/2025", 1000, "31/01/2025"), inv("F2", "C1", "01/04/2025", 500, "30/04/2025")],
            payments=[pay("F1", "11/05/2025", 1000)])
    assert r.clients_to_block_count == 1 and obs(r, "block_client")["C1"].params["rating"] == "D"


# --- missing data, empty period, JSON -----------------------------------------------------------------

def test_without_a_due_date_column_observed_terms_are_unknown():
    rows = [{"N° facture": "F1", "Code client": "C1", "Date facture": "01/03/2025", "Montant TTC": 100}]
    r = run(invoices=rows)
    assert "due_date" in r.missing and "client_terms" in r.missing
    assert r.weighted_terms_days is None and r.clients_not_uniform is None and r.over_legal_max is None
    d = r.to_dict()
    assert d["terms_by_client"][0]["uniform"] is None and d["over_legal_max"] is None


def test_without_due_dates_master_terms_still_give_weighted_terms_and_legal_checks():
    rows = [{"N° facture": "F1", "Code client": "C1", "Date facture": "01/03/2025", "Montant TTC": 100}]
    r = run(invoices=rows, clients=[cli("C1", 45, "net")])
    assert r.weighted_terms_days == 45 and r.over_legal_max == 0 and r.clients_master_mismatch is None


def test_empty_period():
    r = run(invoices=[inv("F1", "C1", "01/03/2024", 100, "31/03/2024")])  # before the period
    assert r.weighted_terms_days is None and r.terms_basis_share is None
    assert r.over_legal_invoice_count is None and r.invoiced_while_overdue == 0


def test_client_names_follow_the_ledger():
    ledger, settings, _ = build(invoices=[inv("F1", "C1", "01/03/2025", 100, "31/03/2025", name="Dupont"),
                                          inv("F2", "C1", "01/04/2025", 100, "30/04/2025", name="Dupont SARL"),
                                          inv("G1", "C2", "01/03/2025", 100, "31/03/2025", name="Martin")],
                                clients=[{"Code client": "C2", "Client": "Martin SA"}], as_of=AS_OF)
    names = dict(zip(compute(ledger, settings).terms_by_client["client_id"],
                     compute(ledger, settings).terms_by_client["client_name"], strict=True))
    assert names == {"C1": "Dupont SARL", "C2": "Martin SA"} == ledger.client_names().to_dict()


def test_to_dict_is_json_with_the_required_keys():
    d = run(**WHILE_OVERDUE, clients=[cli("C1", 30, "net", limit=1000)]).to_dict()
    json.dumps(d)
    for key in ("weighted_terms_days", "over_legal_max", "credit_limit_exceeded", "invoiced_while_overdue",
                "missing", "observations", *COLUMNS):
        assert key in d
    assert d["credit_limit_exceeded"] == 1 and d["invoiced_while_overdue"] == 3
    assert d["invoiced_while_overdue_clients"][0]["first_date"] == "2025-03-03"
    for table, specs in COLUMNS.items():  # every column described exists in the frame
        frame = getattr(run(**WHILE_OVERDUE), table)
        assert {s.key for s in specs} <= set(frame.columns), table


# --- helpers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "paid"), [
    ("Oui", True), ("yes", True), ("30 %", True), ("0,3", True), (0.3, True), ("Non", False), ("0", False),
    (None, False), ("", False)])
def test_deposit_cells(value, paid):
    assert deposit_paid(pd.Series([value], dtype=object))[0] == paid


@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 120), st.sampled_from(RULES))
@hsettings(max_examples=300, deadline=None)
def test_vectorised_due_dates_match_the_kpi_library(day, n, rule):
    d = day_numbers(pd.Series(pd.to_datetime([day])))
    got = due_under_terms(d, np.array([float(n)]), np.array([rule], dtype=object))
    assert got.astype("datetime64[D]")[0].item() == due_date(day, n, rule)
    legal = latest_legal_due(d, 60, 45).astype("datetime64[D]")[0].item()
    assert legal == max(due_date(day, 60, "net"), due_date(day, 45, "days_then_end_of_month"),
                        due_date(day, 45, "end_of_month_then_days"))


@given(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)), min_size=1, max_size=20),
       st.integers(0, 90), st.sampled_from(RULES))
@hsettings(max_examples=200, deadline=None)
def test_invoices_on_one_rule_are_uniform_under_that_rule(dates, n, rule):
    inv_days = day_numbers(pd.Series(pd.to_datetime(dates)))
    due = day_numbers(pd.Series(pd.to_datetime([due_date(d, n, rule) for d in dates])))
    got = uniformity(np.zeros(len(dates), dtype=np.int64), inv_days, due, 1, np.array([rule], dtype=object))
    assert got["observed_rule"].iloc[0] == rule
    t = (due - inv_days).astype(float)
    assert (got["min_terms_days"].iloc[0], got["max_terms_days"].iloc[0]) == (t.min(), t.max())
    assert got["median_terms_days"].iloc[0] == np.median(t) and got["distinct_terms"].iloc[0] == len(set(t))


@given(st.lists(st.tuples(st.sampled_from(["C1", "C2"]), st.integers(0, 300), st.integers(0, 100),
                          st.integers(1, 5000)), min_size=1, max_size=15))
@hsettings(max_examples=25, deadline=None)
def test_invariants(rows):
    base = dt.date(2024, 7, 1)
    invoices = [inv(f"F{i}", c, (base + dt.timedelta(days=d)).strftime("%d/%m/%Y"), a,
                    (base + dt.timedelta(days=d + t)).strftime("%d/%m/%Y")) for i, (c, d, t, a) in enumerate(rows)]
    r = run(invoices=invoices)
    terms = [t for _, _, t, _ in rows]
    assert min(terms) - 1e-9 <= r.weighted_terms_days <= max(terms) + 1e-9
    assert 0 <= r.over_legal_invoice_count <= len(rows)
    tb = r.terms_by_client
    assert (tb["min_terms_days"] <= tb["median_terms_days"]).all() and (tb["median_terms_days"] <= tb["max_terms_days"]).all()
    assert r.invoiced_while_overdue_count <= len(rows)
    json.dumps(r.to_dict())
