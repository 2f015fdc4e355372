"""Rebuilding the receivables from FEC entries: one rule per test, each on an inline mini-FEC."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audit_engine.fec.receivables import ledger_balance, reconcile, reconstruct, residual_findings
from audit_engine.fec.tables import _raw_tables, decide_as_of
from audit_engine.io.fec import parse_fec

HEADER = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
          "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
          "ValidDate", "Montantdevise", "Idevise", "DateRglt", "ModeRglt"]
LIB = {"VE": "Ventes", "BQ": "Banque", "AN": "A nouveaux", "OD": "Opérations diverses"}


def line(j, date, amount, ref="", let="", client="C1", num="1", acc="411000", due=""):
    """A 411 line: ``amount`` > 0 is a debit, < 0 a credit (euros)."""
    debit, credit = (f"{amount:.2f}", "0,00") if amount > 0 else ("0,00", f"{-amount:.2f}")
    return [j, LIB[j], num, date, acc, "Clients", client, client.title() if client else "", ref, date, "lib",
            debit.replace(".", ","), credit.replace(".", ","), let, "", date, "", "", due, ""]


def fec(*rows):
    text = "\n".join("\t".join(r) for r in [HEADER, *rows]) + "\n"
    return parse_fec(text.encode(), "123456789FEC20251231.txt")


def rebuild(*rows, **kw):
    return reconstruct(fec(*rows).entries, sheet="x.txt", **kw)


def doc(r, doc_id):
    return r.documents.set_index("doc_id").loc[doc_id]


def codes(r):
    return [f.code for f in r.findings if f.code not in ("fec_journals",)]


def day(text):
    return pd.Timestamp(text)


def test_invoice_settled_by_a_lettered_payment_on_the_payment_date():
    r = rebuild(line("VE", "20250110", 1200, "F1", "AA"), line("BQ", "20250215", -1200, "VIR", "AA"))
    assert r.documents[["doc_id", "amount", "kind", "line"]].values.tolist() == [["F1", 1200.0, "invoice", 2]]
    assert doc(r, "F1")["settlement_date"] == day("2025-02-15")
    assert r.payments[["invoice_id", "amount", "method", "source", "line"]].values.tolist() == \
        [["F1", 1200.0, "Banque", "payment", 3]]
    assert codes(r) == []


def test_credit_note_is_a_negative_document_applied_to_its_invoice():
    r = rebuild(line("VE", "20250110", 1000, "F1", "AA"), line("VE", "20250120", -200, "AV1", "AA"),
                line("BQ", "20250210", -800, "VIR", "AA"))
    assert doc(r, "AV1")[["amount", "kind", "open_amount"]].tolist() == [-200.0, "credit_note", 0.0]
    assert r.payments[["invoice_id", "date", "amount", "method"]].values.tolist() == [
        ["F1", day("2025-01-20"), 200.0, "Avoir AV1"], ["AV1", day("2025-01-20"), -200.0, "Imputé sur F1"],
        ["F1", day("2025-02-10"), 800.0, "Banque"]]
    assert doc(r, "F1")[["settled", "settlement_date"]].tolist() == [1000.0, day("2025-02-10")]
    assert doc(r, "AV1")[["settled", "settlement_date"]].tolist() == [-200.0, day("2025-01-20")]


def test_invoice_cancelled_by_a_credit_note_is_settled_on_the_credit_note_date():
    r = rebuild(line("VE", "20250306", 74.06, "F9", "AD"), line("VE", "20250313", -74.06, "AV9", "AD"))
    assert doc(r, "F9")[["settled", "open_amount", "settlement_date"]].tolist() == [74.06, 0.0, day("2025-03-13")]


def test_unlettered_credit_note_stays_an_open_credit():
    r = rebuild(line("VE", "20250110", 100, "F1", "AA"), line("BQ", "20250120", -100, "V", "AA"),
                line("VE", "20250130", -30, "AV1"))
    assert doc(r, "AV1")["open_amount"] == -30.0
    assert len(r.payments) == 1


def test_payment_lettered_to_two_invoices_is_split_between_them():
    r = rebuild(line("VE", "20250110", 1200, "F1", "AA"), line("VE", "20250120", 300, "F2", "AA"),
                line("BQ", "20250215", -1500, "VIR", "AA"))
    assert r.payments[["invoice_id", "amount", "line"]].values.tolist() == [["F1", 1200.0, 4], ["F2", 300.0, 4]]
    assert (r.documents["settlement_date"] == day("2025-02-15")).all()


def test_two_payments_settle_an_invoice_on_the_date_of_the_second():
    r = rebuild(line("VE", "20250110", 1000, "F1", "AB"), line("BQ", "20250201", -400, "V1", "AB"),
                line("BQ", "20250301", -600, "V2", "AB"))
    assert doc(r, "F1")["settlement_date"] == day("2025-03-01")


def test_partial_lettrage_leaves_the_rest_open_and_is_reported():
    r = rebuild(line("VE", "20250110", 1200, "F1", "AA"), line("BQ", "20250215", -500, "VIR", "AA"))
    assert doc(r, "F1")[["settled", "open_amount"]].tolist() == [500.0, 700.0]
    assert pd.isna(doc(r, "F1")["settlement_date"])
    f = next(f for f in r.findings if f.code == "fec_lettrage_unbalanced")
    assert (f.severity, f.row, f.value) == ("warning", 2, "AA")
    assert "écart 700,00" in f.message("fr")


def test_unlettered_payment_is_unapplied_cash_when_the_file_uses_lettrage():
    r = rebuild(line("VE", "20250110", 1200, "F1", "AA"), line("BQ", "20250215", -1200, "V", "AA"),
                line("VE", "20250301", 300, "F2"), line("BQ", "20250310", -100, "V"))
    unapplied = r.payments[r.payments["invoice_id"].isna()]
    assert unapplied[["client_id", "amount", "source", "line"]].values.tolist() == [["C1", 100.0, "unapplied", 5]]
    assert doc(r, "F2")["open_amount"] == 300.0
    f = next(f for f in r.findings if f.code == "fec_unapplied_summary")
    assert f.params["count"] == 1 and f.params["amount"] == 100.0


def test_lettered_credit_beyond_its_invoices_is_unapplied_excess():
    r = rebuild(line("VE", "20250110", 100, "F1", "AA"), line("BQ", "20250120", -150, "V", "AA"))
    assert r.payments["invoice_id"].tolist() == ["F1", None]
    assert r.payments["amount"].tolist() == [100.0, 50.0]
    assert {"fec_unapplied_excess", "fec_lettrage_unbalanced"} <= set(codes(r))


def test_opening_balance_is_paid_by_payments_lettered_to_earlier_invoices():
    # The opening (à-nouveau) is one unlettered line per client; last year's invoices, and the lettrage
    # codes of their payments, are not in the file: those payments pay the opening balance.
    r = rebuild(line("AN", "20250101", 500, "RAN"), line("BQ", "20250115", -300, "V1", "AX"),
                line("BQ", "20250201", -200, "V2", "AY"))
    assert doc(r, "RAN")[["kind", "open_amount", "settlement_date"]].tolist() == \
        ["opening", 0.0, day("2025-02-01")]
    moved = [f for f in r.findings if f.code == "fec_lettered_to_opening"]
    assert [(f.row, f.params["opening_line"]) for f in moved] == [(3, 2), (4, 2)]


def test_without_any_lettrage_payments_go_to_the_oldest_invoices():
    r = rebuild(line("VE", "20250110", 100, "F1", num="1"), line("VE", "20250120", 100, "F2", num="2"),
                line("BQ", "20250115", -150, "V"))
    assert r.payments[["invoice_id", "date", "amount"]].values.tolist() == [
        ["F1", day("2025-01-15"), 100.0], ["F2", day("2025-01-20"), 50.0]]  # not before the invoice exists
    assert doc(r, "F2")["open_amount"] == 50.0
    assert "fec_fifo_no_lettrage" in codes(r)


def test_a_balanced_but_unlettered_client_is_matched_oldest_first():
    rows = [line("VE", "20250110", 10, "F9", "AA", client="C2"), line("BQ", "20250111", -10, "V", "AA", client="C2"),
            line("AN", "20250101", 94.95, "RAN"), line("OD", "20250301", -94.95, "OD1")]
    r = rebuild(*rows)
    assert doc(r, "RAN")["open_amount"] == 0.0
    assert any(f.code == "fec_fifo_balanced" and f.params["client"] == "C1" for f in r.findings)
    strict = rebuild(*rows, unlettered="unapplied")
    assert doc(strict, "RAN")["open_amount"] == 94.95
    assert strict.payments["invoice_id"].isna().sum() == 1


def test_unlettered_policy_fifo_can_be_forced():
    rows = [line("VE", "20250110", 10, "F9", "AA"), line("BQ", "20250111", -10, "V", "AA"),
            line("VE", "20250201", 100, "F1"), line("BQ", "20250210", -60, "V")]
    r = rebuild(*rows, unlettered="fifo")
    assert doc(r, "F1")["open_amount"] == 40.0
    assert r.payments["invoice_id"].notna().all()
    with pytest.raises(ValueError):
        rebuild(*rows, unlettered="maybe")


def test_lines_in_other_journals_are_kept_and_reported():
    r = rebuild(line("OD", "20250110", 250, "REG"), line("OD", "20250120", -250, "REG2"))
    assert doc(r, "REG")["kind"] == "other_debit"
    assert set(codes(r)) >= {"fec_debit_other_journal", "fec_credit_other_journal"}
    assert r.payments["method"].tolist() == ["Opérations diverses"]


def test_client_is_the_account_when_there_is_no_auxiliary_account():
    r = rebuild(line("VE", "20250110", 50, "F1", client="", acc="411100"))
    assert doc(r, "F1")[["client_id", "client_name"]].tolist() == ["411100", "Clients"]


def test_document_numbers_are_unique():
    r = rebuild(line("VE", "20250110", 50, "VE 01", num="1"), line("VE", "20250111", 60, "VE 01", num="2"),
                line("VE", "20250112", 70, "", num="3"))
    assert r.documents["doc_id"].tolist() == ["VE 01-1", "VE 01-2", "VE-3"]


def test_zero_lines_are_ignored_with_a_note():
    r = rebuild(line("VE", "20250110", 50, "F1"), line("OD", "20250110", 0.001, "Z"))
    assert r.documents["doc_id"].tolist() == ["F1"]
    assert "fec_zero_lines" in codes(r)


def test_due_date_comes_from_daterglt():
    r = rebuild(line("VE", "20250110", 50, "F1", due="20250310"))
    assert doc(r, "F1")["due_date"] == day("2025-03-10")


def test_reconcile_figures_and_a_residual_explained_line_by_line():
    rows = [line("BQ", "20250131", -1000, "ACOMPTE", "AA"), line("VE", "20250210", 1500, "F1", "AA"),
            line("VE", "20250115", 200, "F0"), line("VE", "20250120", -50, "AV0")]
    r = rebuild(*rows)
    tables = _raw_tables(r, "x.txt", "x.txt")
    end = reconcile(tables, dt.date(2025, 12, 31), ledger_balance(r.movements, dt.date(2025, 12, 31)))
    assert end == {"ledger_balance": 650.0, "open_invoices": 700.0, "unapplied_credits": 50.0, "difference": 0.0}
    jan = dt.date(2025, 1, 31)  # the deposit is in the ledger; its invoice is not issued yet
    mid = reconcile(tables, jan, ledger_balance(r.movements, jan))
    assert mid["difference"] == -1000.0
    [f] = residual_findings(tables, jan, r.movements, "x.txt")
    assert (f.row, f.params["invoice"], f.params["amount"]) == (2, "F1", 1000.0)


def test_as_of_date_rules():
    closing = dt.date(2022, 12, 31)
    assert decide_as_of(closing, dt.date(2022, 12, 28)) == (closing, "file_name")
    assert decide_as_of(closing, dt.date(2023, 7, 31)) == (dt.date(2023, 7, 31), "entries_after_closing")
    assert decide_as_of(closing, dt.date(2022, 6, 30)) == (dt.date(2022, 6, 30), "entries_end_before_closing")
    assert decide_as_of(None, dt.date(2022, 6, 30)) == (dt.date(2022, 6, 30), "no_date_in_name")
    assert decide_as_of(closing, dt.date(2022, 6, 30), given=dt.date(2022, 3, 31))[1] == "given"


_ROW = st.tuples(st.sampled_from(["VE", "BQ", "AN", "OD"]), st.integers(1, 60),
                 st.integers(-50000, 50000).filter(lambda x: x != 0), st.sampled_from(["", "", "AA", "AB", "AC"]),
                 st.sampled_from(["C1", "C2", "C3"]))


@settings(max_examples=60, deadline=None)
@given(st.lists(_ROW, min_size=1, max_size=25), st.integers(0, 61),
       st.sampled_from(["auto", "unapplied", "fifo"]))
def test_every_411_line_is_conserved(rows, cut, policy):
    """Whatever the lines: at the last date the open items equal the 411 balance to the cent, and at any
    earlier date the difference is exactly what the residual findings explain."""
    start = dt.date(2025, 1, 1)
    lines = [line(j, (start + dt.timedelta(days=d)).strftime("%Y%m%d"), cents / 100, f"P{i}", let, client,
                  num=str(i)) for i, (j, d, cents, let, client) in enumerate(rows)]
    r = rebuild(*lines, unlettered=policy)
    tables = _raw_tables(r, "x.txt", "x.txt")
    last = start + dt.timedelta(days=61)
    assert reconcile(tables, last, ledger_balance(r.movements, last))["difference"] == 0.0
    as_of = start + dt.timedelta(days=cut)
    diff = reconcile(tables, as_of, ledger_balance(r.movements, as_of))["difference"]
    explained = sum(f.params["amount"] for f in residual_findings(tables, as_of, r.movements, "x.txt"))
    assert round(diff + explained, 2) == 0.0
