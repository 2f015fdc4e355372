"""Section 2, "Facturation & relances": each KPI on a small table computed by hand.

All ledgers are as of 2025-03-31, so the analysis period is 2024-04-01 .. 2025-03-31 (365 days);
default targets: invoicing lag 7 days, first reminder 5 days after the due date.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit_engine.sections import invoicing, numbering
from audit_engine.sections.invoicing import compute
from audit_engine.sections.numbering import _split_arrow, _split_regex, analyse_numbering, split_numbers
from tests.conftest import build, inv, pay

AS_OF = "2025-03-31"


def run(invoices, payments=None, reminders=None, settings_rows=None, **kw):
    ledger, cfg, _ = build(invoices=invoices, payments=payments, reminders=reminders, settings=settings_rows,
                           as_of=AS_OF, **kw)
    return compute(ledger, cfg)


def rel(number: str, date: str, kind: str | None = None, level: int | None = None) -> dict:
    row = {"N° facture": number, "Date relance": date}
    if kind is not None:
        row["Type"] = kind
    if level is not None:
        row["Niveau"] = level
    return row


def obs(result, rule):
    return [o for o in result.observations if o.rule == rule]


# ---------------------------------------------------------------- invoicing lag

LAGGED = [
    inv("F1", "C1", "2025-02-03", 1000, "2025-03-05", delivery="2025-02-01"),  # lag 2
    inv("F2", "C2", "2025-02-03", 3000, "2025-03-05", delivery="2025-01-10"),  # lag 24
    inv("F3", "C1", "2025-02-15", 500, "2025-03-15", delivery="2025-02-20"),  # lag -5: an advance invoice
]


def test_average_lag_counts_invoicing_before_delivery_as_zero():
    r = run(LAGGED)
    assert r.lag_invoices == 3
    assert r.avg_invoice_lag_days == pytest.approx((2 + 24 + 0) / 3)  # 8.6667
    assert r.weighted_invoice_lag_days == pytest.approx((1000 * 2 + 3000 * 24 + 500 * 0) / 4500)  # 16.4444
    assert r.advance_invoices == 1


def test_share_over_target_and_the_cash_it_ties_up():
    r = run(LAGGED)
    assert (r.late_invoicing_count, r.late_invoicing_amount) == (1, 3000)  # only F2: 24 > 7
    assert r.late_invoicing_share == pytest.approx(1 / 3)
    assert r.late_invoicing_cash == pytest.approx(3000 * (24 - 7) / 365)  # 139.73 financed over the year


def test_the_target_comes_from_the_settings_and_a_lag_equal_to_it_is_on_time():
    r = run(LAGGED, settings_rows=[("Délai de facturation cible (jours)", 24)])
    assert r.lag_target_days == 24
    assert r.late_invoicing_count == 0 and r.late_invoicing_cash == 0
    assert r.late_invoicing_share == 0


def test_lag_distribution_bins_count_and_amount():
    lags = [-5, 0, 2, 7, 8, 15, 16, 30, 31]
    rows = [inv(f"F{i}", "C1", "2025-03-10", 100 * (i + 1), "2025-04-10",
                delivery=(pd.Timestamp("2025-03-10") - pd.Timedelta(days=lag)).date().isoformat())
            for i, lag in enumerate(lags)]
    bins = run(rows).lag_bins.set_index("bin")
    assert bins["count"].tolist() == [1, 1, 2, 2, 2, 1]  # <0 | 0 | 2, 7 | 8, 15 | 16, 30 | 31
    assert bins.loc["1-7", "amount"] == 300 + 400
    assert bins.loc[">30", "amount"] == 900
    assert bins["share"].sum() == pytest.approx(1)


def test_late_invoicing_under_l441_9_is_an_invoice_dated_after_the_end_of_its_delivery_month():
    r = run([
        inv("F1", "C1", "2025-02-03", 1000, delivery="2025-01-31"),  # 3 days, but next month: late by law
        inv("F2", "C1", "2025-01-30", 2000, delivery="2025-01-02"),  # 28 days, same month: a summary invoice
        inv("F3", "C1", "2025-03-05", 4000, delivery="2025-03-05"),
    ])
    assert (r.legal_late_count, r.legal_late_amount) == (1, 1000)
    assert r.legal_late_share == pytest.approx(1 / 3)
    assert r.late_invoicing_count == 1  # F2 only is over the 7-day target


def test_lag_population_is_the_period_invoices_with_a_delivery_date():
    r = run([
        inv("F1", "C1", "2025-02-03", 1000, delivery="2025-02-01"),
        inv("F0", "C1", "2024-02-03", 1000, delivery="2024-01-01"),  # before the period
        inv("A1", "C1", "2025-02-05", -300, delivery="2025-01-01"),  # credit note
        inv("F2", "C1", "2025-02-06", 700),  # no delivery date
    ])
    assert r.lag_invoices == 1 and r.avg_invoice_lag_days == 2
    assert "delivery_date" not in r.missing


def test_worst_clients_come_first_with_their_share_over_target():
    clients = run(LAGGED + [inv("F4", "C2", "2025-03-03", 1000, delivery="2025-03-01")]).lag_clients
    assert clients["client_id"].tolist() == ["C2", "C1"]
    c2 = clients.iloc[0]
    assert (c2["invoices"], c2["late_count"], c2["late_share"]) == (2, 1, 0.5)
    assert c2["avg_lag_days"] == (24 + 2) / 2 and c2["max_lag_days"] == 24
    assert c2["financed_amount"] == pytest.approx(3000 * 17 / 365)
    assert c2["legal_late_count"] == 1  # F2: delivered in January, invoiced in February


def test_late_invoicing_observation_per_client():
    (o,) = obs(run(LAGGED), "late_invoicing")
    assert (o.client_id, o.amount, o.count) == ("C2", 3000, 1)
    assert o.cash_impact == pytest.approx(139.73)  # 3,000 x 17 / 365
    assert o.severity == 2  # also late by law (after the delivery month)
    assert o.params["target_days"] == 7


def test_no_delivery_column_gives_none_not_zero():
    r = run([inv("F1", "C1", "2025-02-03", 1000)])
    assert "delivery_date" in r.missing
    assert r.avg_invoice_lag_days is None and r.late_invoicing_share is None and r.late_invoicing_cash is None
    assert r.lag_invoices == 0 and r.lag_bins.empty and not obs(r, "late_invoicing")
    assert r.to_dict()["late_invoicing_share"] is None


def test_delivery_column_empty_for_the_period_is_missing_too():
    r = run([inv("F1", "C1", "2025-02-03", 1000, delivery=None),
             inv("F0", "C1", "2023-02-03", 1000, delivery="2023-02-01")])
    assert r.missing[0] == "delivery_date" and r.avg_invoice_lag_days is None


def test_an_empty_period_has_no_kpi_and_no_missing_data_code():
    r = run([inv("F1", "C1", "2023-02-03", 1000, delivery="2023-02-01", disputed="Oui")])
    assert r.lag_invoices == 0 and r.avg_invoice_lag_days is None and "delivery_date" not in r.missing
    assert r.disputed_count == 0 and r.disputed_share is None


# ---------------------------------------------------------------- numbering

def test_a_number_splits_on_its_last_digits_into_series_and_number():
    codes, keys, numbers, widths = split_numbers(pd.Series(["FA2025-00017", "AV2025-0003", "ACOMPTE",
                                                            "F-12-B", "FA2025-00018"]))
    series = [keys[c] if c >= 0 else None for c in codes]
    assert series == [("FA2025-", ""), ("AV2025-", ""), None, ("F-", "-B"), ("FA2025-", "")]
    assert numbers.tolist() == [17, 3, -1, 12, 18] and widths.tolist() == [5, 4, 0, 2, 5]


def test_gaps_are_the_missing_numbers_between_first_and_last_of_each_series():
    r = run([inv(n, "C1", "2025-01-10", 100) for n in ("FA-001", "FA-002", "FA-005", "FA-006", "FA-010")]
            + [inv("AV-1", "C1", "2025-01-10", -10), inv("AV-2", "C1", "2025-01-11", -10)])
    assert r.numbering_gaps == 2 + 3  # 3-4 and 7-9; the AV series is complete
    assert r.gap_ranges["label"].tolist() == ["FA-003..FA-004", "FA-007..FA-009"]
    series = r.numbering_series.set_index("series")
    fa = series.loc["FA-"]
    assert (fa["first_id"], fa["last_id"], fa["count"], fa["missing"]) == ("FA-001", "FA-010", 5, 5)
    assert series.loc["AV-", "missing"] == 0 and r.numbering_series_count == 2
    (o,) = obs(r, "numbering_gaps")
    assert o.count == 5 and o.client_id is None and o.params["ranges"] == ["FA-003..FA-004", "FA-007..FA-009"]


def test_numbering_is_checked_over_the_whole_ledger_not_only_the_period():
    r = run([inv("FA-1", "C1", "2023-05-10", 100), inv("FA-3", "C1", "2025-01-10", 100)])
    assert r.numbering_gaps == 1  # FA-2 is missing, although FA-1 is older than the period


def test_a_long_list_of_ranges_is_shortened_for_display(monkeypatch):
    monkeypatch.setattr(numbering, "MAX_RANGES", 3)
    r = run([inv(f"F{n}", "C1", "2025-01-10", 100) for n in range(1, 20, 2)])  # 1, 3, ..., 19: 9 single gaps
    assert r.numbering_gaps == 9 and r.gap_range_count == 9 and len(r.gap_ranges) == 3
    assert r.numbering_series["missing_ranges"][0] == "F2, F4, F6, F8, F10, … (+4)"


def test_a_number_used_twice_is_a_duplicate_whether_identical_or_not():
    r = run([inv("FA-1", "C1", "2025-01-10", 100), inv("FA-2", "C1", "2025-01-11", 200),
             inv("FA-2", "C1", "2025-01-11", 200),  # exported twice: identical rows, the 2nd is excluded
             inv("FA-3", "C1", "2025-01-12", 300), inv("FA-03", "C2", "2025-01-12", 999)])  # 3 reused
    assert r.duplicate_numbers == 2
    dup = r.duplicates.set_index("invoice_ids")
    assert dup.loc["FA-2", ["occurrences", "rows", "identical"]].tolist() == [2, "3, 4", True]
    assert dup.loc["FA-3, FA-03", "identical"] == np.False_
    (o,) = obs(r, "duplicate_numbers")
    assert o.count == 2 and o.params["identical"] == 1
    assert r.numbering_gaps == 0


def test_a_higher_number_dated_before_a_lower_one_is_out_of_order():
    r = run([inv("FA-1", "C1", "2025-01-10", 100), inv("FA-2", "C1", "2025-01-20", 100),
             inv("FA-3", "C1", "2025-01-15", 100), inv("FA-4", "C1", "2025-01-25", 100)])
    assert r.out_of_order_numbers == 1
    row = r.out_of_order.iloc[0]
    assert (row["invoice_id"], row["previous_id"]) == ("FA-3", "FA-2")
    assert row["previous_date"] == pd.Timestamp("2025-01-20")


def test_a_series_with_more_missing_numbers_than_numbers_is_not_a_sequence():
    # references such as dates or client codes (FEC piece references): 3 numbers over 1..211202
    r = run([inv("000001", "C1", "2025-01-10", 100), inv("210130", "C1", "2025-01-09", 100),
             inv("211202", "C1", "2025-01-08", 100), inv("FA-1", "C1", "2025-01-10", 100),
             inv("FA-3", "C1", "2025-01-11", 100)])
    series = r.numbering_series.set_index("series")
    assert series.loc["", "missing"] == 211202 - 3 and not series.loc["", "sequence"]
    assert r.numbering_gaps == 1 and r.gap_ranges["label"].tolist() == ["FA-2"]  # FA-: 1 missing, 2 numbers
    assert r.out_of_order_numbers == 0  # dates going backwards do not count outside a sequence


def test_numbers_without_digits_have_no_series_and_are_listed():
    r = run([inv("ACOMPTE", "C1", "2025-01-10", 100), inv("FA-1", "C1", "2025-01-10", 100),
             inv("ACOMPTE", "C2", "2025-01-11", 50)])
    assert r.unparsed_numbers == 2 and r.unparsed["invoice_id"].tolist() == ["ACOMPTE", "ACOMPTE"]
    assert r.duplicate_numbers == 1 and r.duplicates["series"][0] is None


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 3000), min_size=1, max_size=60), st.sampled_from(["FA2025-", "", "X/", "F-"]),
       st.integers(1, 6))
def test_missing_numbers_fill_the_range_exactly(numbers, prefix, width):
    ids = [f"{prefix}{n:0{width}d}" for n in sorted(numbers)]
    frame = pd.DataFrame({"invoice_id": ids, "client_id": "C1", "invoice_date": pd.Timestamp("2025-01-01"),
                          "amount": 1.0, "row": range(2, 2 + len(ids))})
    n = analyse_numbering(frame, frame.iloc[:0])
    missing = max(numbers) - min(numbers) + 1 - len(numbers)
    assert n.numbering_series["missing"].tolist() == [missing] and n.duplicate_numbers == 0
    if missing > len(numbers):  # too sparse to be a sequence: listed, not counted
        assert not n.numbering_series["sequence"][0] and n.numbering_gaps == 0 and n.gap_ranges.empty
        return
    assert n.numbering_gaps == missing == n.gap_ranges["missing"].sum()
    present = set(numbers) | {x for a, b in zip(n.gap_ranges["start"], n.gap_ranges["end"], strict=True)
                              for x in range(a, b + 1)}
    assert present == set(range(min(numbers), max(numbers) + 1))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=st.sampled_from(list("FA-/09 1é_Z")), max_size=25)
                | st.from_regex(r"[A-Z]{0,3}[0-9]{0,22}[a-z-]{0,2}", fullmatch=True), max_size=20))
def test_the_fast_split_agrees_with_the_regular_expression(texts):
    values = np.array(texts, dtype=object)
    fast, slow = _split_arrow(values), _split_regex(values)
    def keys(split):
        return [split[1][c] if c >= 0 else None for c in split[0]]

    assert keys(fast) == keys(slow)
    assert fast[2].tolist() == slow[2].tolist() and fast[3].tolist() == slow[3].tolist()


# ---------------------------------------------------------------- disputes

DISPUTES = [
    inv("F1", "C1", "2025-01-10", 1000, "2025-02-10", disputed="Oui", reason="Prix"),
    inv("F2", "C1", "2025-02-10", 400, "2025-03-10", disputed="Oui", reason=" prix "),
    inv("F3", "C2", "2025-03-01", 600, "2025-03-31", disputed="Non"),
    inv("F4", "C2", "2025-03-05", 200, "2025-04-05", disputed="Oui", reason="Livraison incomplète"),
    inv("F0", "C3", "2024-01-31", 800, "2024-03-01", disputed="Oui", reason="Qualité"),  # old, still open
    inv("A1", "C2", "2025-03-06", -200, disputed="Oui"),  # credit note: not an invoice
]
DISPUTE_PAYMENTS = [pay("F1", "2025-03-01", 250), pay("F4", "2025-03-20", 200)]


def test_disputed_share_is_over_the_invoices_of_the_period():
    r = run(DISPUTES, DISPUTE_PAYMENTS)
    assert r.disputed_count == 3  # F1, F2, F4 (F0 is older, A1 a credit note)
    assert r.disputed_share == pytest.approx(3 / 4)  # among F1..F4


def test_disputed_amount_is_what_disputed_invoices_still_owe_at_the_as_of_date():
    r = run(DISPUTES, DISPUTE_PAYMENTS)
    # F1 1,000 - 250 paid; F2; F0 (older than the period, still open); F4 is paid
    assert r.disputed_amount == pytest.approx(750 + 400 + 800)
    assert r.disputed_open_count == 3
    # age = as-of - invoice date: F1 80 days, F2 49, F0 425
    assert r.avg_disputed_age_days == pytest.approx((80 + 49 + 425) / 3)
    ages = r.disputed_invoices.set_index("invoice_id")["age_days"]
    assert ages["F0"] == 425 and math.isnan(ages["F4"])  # settled: no age


def test_dispute_reasons_group_spellings_and_count_open_ones():
    reasons = run(DISPUTES, DISPUTE_PAYMENTS).dispute_reasons.set_index("reason")
    prix = reasons.loc["Prix", ["count", "amount", "open_count", "open_amount"]]
    assert prix.tolist() == [2, 1400, 2, 1150]  # F1 and F2 ("Prix", " prix "): open 750 + 400
    assert reasons.loc["Livraison incomplète", ["count", "open_count", "open_amount"]].tolist() == [1, 0, 0]
    assert reasons.index[0] == "Prix"  # largest amount first


def test_disputes_observation_per_client_with_open_disputes():
    found = {o.client_id: o for o in obs(run(DISPUTES, DISPUTE_PAYMENTS), "disputes")}
    assert sorted(found) == ["C1", "C3"]  # C2's only dispute is settled
    assert (found["C1"].amount, found["C1"].count, found["C1"].params["oldest_days"]) == (1150, 2, 80)


def test_a_reason_column_alone_marks_the_disputes():
    r = run([inv("F1", "C1", "2025-01-10", 1000, reason="Prix"), inv("F2", "C1", "2025-01-11", 1000)])
    assert r.disputed_count == 1 and r.disputed_share == 0.5


def test_no_dispute_columns_gives_none():
    r = run([inv("F1", "C1", "2025-01-10", 1000)])
    assert "disputed" in r.missing
    assert r.disputed_share is None and r.disputed_amount is None and r.dispute_reasons.empty


# ---------------------------------------------------------------- dunning

DUNNED = [
    inv("F1", "C1", "2025-02-03", 1000, "2025-03-05"),
    inv("F2", "C1", "2025-02-01", 2000, "2025-03-01"),
    inv("F3", "C2", "2025-02-10", 500, "2025-03-12"),  # overdue, never reminded
    inv("F4", "C2", "2025-03-20", 300, "2025-04-19"),  # not yet due
    inv("F5", "C3", "2025-01-10", 700, "2025-02-10", disputed="Oui"),  # overdue, disputed, never reminded
]
DUNNING_PAYMENTS = [pay("F2", "2025-03-10", 2000)]
REMINDERS = [
    rel("F1", "2025-03-03", "Email", 0),  # before the due date: a courtesy reminder
    rel("F1", "2025-03-12", "Email", 1),  # 7 days after due
    rel("F1", "2025-03-20", "Mise en demeure", 2),
    rel("F2", "2025-03-03", "Téléphone", 1),  # 2 days after due; paid 7 days later
    rel("F2", "2025-03-15", "Email", 2),  # after the payment
    rel("F4", "2025-04-02", "Email", 1),  # after the as-of date: ignored
]


def dunned():
    return run(DUNNED, DUNNING_PAYMENTS, REMINDERS)


def test_delay_from_due_date_to_first_reminder_skips_courtesy_reminders():
    r = dunned()
    assert r.reminded_count == 2
    assert r.avg_days_due_to_first_reminder == pytest.approx((7 + 2) / 2)
    assert (r.late_first_reminder_count, r.late_first_reminder_share) == (1, 0.5)  # F1: 7 > 5 days
    assert (r.courtesy_reminders, r.courtesy_invoices) == (1, 1)


def test_reminders_per_invoice_and_days_from_last_reminder_to_payment():
    r = dunned()
    assert r.avg_reminders_per_invoice == pytest.approx((2 + 2) / 2)
    assert r.avg_days_last_reminder_to_payment == 7  # F2: reminded 3 March, paid 10 March
    assert r.reminders_after_settlement == 1  # F2's reminder of 15 March


def test_escalation_is_the_highest_step_reached_per_invoice():
    esc = dunned().escalation.set_index("stage")
    assert esc["count"].tolist() == [0, 1, 0, 1]  # F2 reached reminder 2, F1 a formal notice
    assert esc.loc["formal_notice", ["amount", "open_amount"]].tolist() == [1000, 1000]
    assert esc["share"].tolist() == [0, 0.5, 0, 0.5]


def test_without_level_the_rank_of_the_reminder_is_its_level():
    r = run(DUNNED, reminders=[rel("F1", "2025-03-06"), rel("F1", "2025-03-10"), rel("F1", "2025-03-14"),
                               rel("F1", "2025-03-18"), rel("F3", "2025-03-13", level=4)])
    stages = r.reminded_invoices.set_index("invoice_id")["stage"]
    assert stages["F1"] == "reminder_3"  # 4 reminders without level: 3 and beyond
    assert stages["F3"] == "formal_notice"  # level 4 and no type


def test_share_of_overdue_open_invoices_never_reminded():
    r = dunned()
    assert r.overdue_open_count == 3  # F1, F3, F5 (F2 is paid, F4 not yet due)
    assert (r.overdue_never_reminded_count, r.overdue_never_reminded_amount) == (2, 1200)  # F3, F5
    assert r.overdue_never_reminded_share == pytest.approx(2 / 3)
    assert r.overdue_never_reminded_amount_share == pytest.approx(1200 / 2200)


def test_never_reminded_observation_leaves_out_disputes_and_invoices_within_the_target():
    r = run(DUNNED + [inv("F6", "C2", "2025-02-27", 90, "2025-03-27")],  # 4 days past due only
            DUNNING_PAYMENTS, REMINDERS)
    (o,) = obs(r, "never_reminded")
    assert (o.client_id, o.amount, o.count, o.cash_impact) == ("C2", 500, 1, None)
    assert o.params == {"oldest_days": 19, "target_days": 5}


def test_late_first_reminder_observation_is_global():
    (o,) = obs(dunned(), "late_first_reminder")
    assert (o.client_id, o.count, o.amount) == (None, 1, 1000)
    assert o.params["share"] == 0.5 and o.params["target_days"] == 5


def test_a_first_reminder_before_the_period_leaves_the_invoice_out():
    r = run([inv("F1", "C1", "2024-01-10", 1000, "2024-02-10")],
            reminders=[rel("F1", "2024-02-20"), rel("F1", "2024-04-20")])
    assert r.reminded_count == 0 and r.avg_days_due_to_first_reminder is None
    assert r.overdue_never_reminded_count == 0  # it was reminded, though long ago


def test_reminders_all_after_the_as_of_date_leave_every_overdue_invoice_unreminded():
    r = run(DUNNED, DUNNING_PAYMENTS, [rel("F1", "2025-04-02")])
    assert r.reminded_count == 0 and r.avg_days_due_to_first_reminder is None
    assert r.escalation["count"].sum() == 0 and r.escalation["share"].isna().all()
    assert r.overdue_never_reminded_share == 1 and "reminders" not in r.missing


def test_no_reminders_sheet_gives_none_but_still_counts_overdue_invoices():
    r = run(DUNNED, DUNNING_PAYMENTS)
    assert "reminders" in r.missing
    assert r.overdue_open_count == 3
    assert r.overdue_never_reminded_share is None and r.avg_days_due_to_first_reminder is None
    assert not obs(r, "never_reminded") and not obs(r, "late_first_reminder")


def test_without_payment_dates_the_time_to_payment_is_unknown():
    r = run(DUNNED, reminders=REMINDERS)
    assert "payment_dates" in r.missing and r.avg_days_last_reminder_to_payment is None


# ---------------------------------------------------------------- JSON

def test_json_block_has_the_required_keys_rounded_and_serialisable():
    r = run(LAGGED + DISPUTES[:2], DISPUTE_PAYMENTS, [rel("F1", "2025-03-12")])
    d = r.to_dict()
    for key in ("avg_invoice_lag_days", "late_invoicing_share", "numbering_gaps", "duplicate_numbers",
                "disputed_share", "disputed_amount", "overdue_never_reminded_share",
                "avg_days_due_to_first_reminder"):
        assert key in d
    assert d["avg_invoice_lag_days"] == 8.67 and d["late_invoicing_share"] == 0.3333
    assert d["late_invoicing_cash"] == 139.73 and isinstance(d["numbering_gaps"], int)
    assert d["as_of"] == AS_OF
    assert d["lag_bins"][0] == {"bin": "<0", "count": 1, "amount": 500.0, "share": 0.3333}
    assert d["observations"][0]["rule"] == "late_invoicing"
    json.dumps(d, allow_nan=False)


def test_json_cuts_long_tables_and_says_so(monkeypatch):
    monkeypatch.setattr(invoicing, "JSON_ROWS", 2)
    d = run([inv(f"F{n}", "C1", "2025-01-10", 100, "2025-02-10") for n in range(1, 6)],
            reminders=[rel("F1", "2025-02-12")]).to_dict()
    assert len(d["never_reminded"]) == 2 and d["truncated"]["never_reminded"] == 4


# ---------------------------------------------------------------- invariants

day = st.integers(-20, 60)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(day, st.integers(1, 5000), st.sampled_from(["C1", "C2", "C3"]), st.integers(0, 80),
                          st.booleans()), min_size=1, max_size=25),
       st.integers(0, 30))
def test_invariants(rows, target):
    invoices = [inv(f"F{i}", c, (pd.Timestamp("2025-01-01") + pd.Timedelta(days=d)).date().isoformat(), a,
                    delivery=(pd.Timestamp("2025-01-01") + pd.Timedelta(days=d - lag)).date().isoformat())
                for i, (lag, a, c, d, _) in enumerate(rows)]
    reminders = [rel(f"F{i}", "2025-03-20") for i, row in enumerate(rows) if row[4]]
    r = run(invoices, reminders=reminders or None,
            settings_rows=[("Délai de facturation cible (jours)", target)])
    assert r.lag_bins["count"].sum() == r.lag_invoices == len(rows)
    assert r.lag_bins["amount"].sum() == pytest.approx(sum(row[1] for row in rows))
    assert 0 <= r.late_invoicing_share <= 1 and 0 <= r.legal_late_share <= 1
    assert r.late_invoicing_cash >= 0 and r.lag_clients["invoices"].sum() == len(rows)
    assert r.late_invoicing_count == sum(lag > target for lag, *_ in rows)
    if reminders:
        assert r.overdue_never_reminded_count <= r.overdue_open_count
    assert sum(o.count for o in obs(r, "late_invoicing")) == r.late_invoicing_count
