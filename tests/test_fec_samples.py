"""The four real FEC samples (../shared/samples/fec/, see its README): counts, reconciliation to the cent,
and invoices whose settlement was checked by hand against the sample lines (quoted in each test)."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from audit_engine.fec.receivables import reconcile, reconstruct
from audit_engine.io.fec import read_fec, read_fec_file

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "fec"
if not SAMPLES.is_dir():  # the tree may be checked out elsewhere than /work/main
    SAMPLES = Path("/work/shared/samples/fec")
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="FEC samples not available")

# file: entry lines, 411 lines, invoices, opening items, other debits, credit notes, payment lines,
#       payment rows, unapplied rows, unapplied total, as-of, reason, ledger balance, open invoices, credits
EXPECTED = {
    "0000000001FEC20220831.txt": (5422, 538, 391, 7, 2, 8, 130, 391, 1, 8194.19, dt.date(2022, 8, 31),
                                  "file_name", 52517.24, 60711.43, 8194.19),
    "000000000FEC20231231.txt": (2102, 153, 14, 6, 0, 0, 133, 142, 0, 0.0, dt.date(2023, 6, 30),
                                 "entries_end_before_closing", 27771.70, 27771.70, 0.0),
    "111111111FEC20221231.TXT": (934, 151, 85, 13, 2, 3, 48, 78, 4, 484.02, dt.date(2023, 7, 31),
                                 "entries_after_closing", 14416.52, 14900.54, 484.02),
    "123456789FEC20500930.txt": (10756, 4, 0, 1, 2, 0, 1, 1, 0, 0.0, dt.date(2023, 4, 30),
                                 "entries_end_before_closing", 128200.50, 128200.50, 0.0),
}
README_BALANCES = [52517.24, 27771.70, 14416.52, 128200.50]  # samples/README.md, in file order


@cache
def raw(name):
    return read_fec(SAMPLES / name)


@cache
def rebuilt(name):
    fec = read_fec_file(SAMPLES / name)
    return fec, reconstruct(fec.entries, sheet=name)


def doc_at(name, line):
    docs = rebuilt(name)[1].documents
    return docs.set_index("line").loc[line]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_counts(name):
    (lines, n411, invoices, openings, other, notes, payments, rows, unapplied, unapplied_total,
     *_) = EXPECTED[name]
    fec, rec = rebuilt(name)
    s = rec.stats
    assert len(fec.entries) == lines and s["lines_411"] == n411
    assert (s["invoices"], s["opening_items"], s["other_debits"], s["credit_notes"], s["payments"]) == \
        (invoices, openings, other, notes, payments)
    assert (s["payment_rows"], s["unapplied_rows"], s["unapplied_amount"]) == (rows, unapplied, unapplied_total)
    r = raw(name)
    assert len(r.tables["invoices"].frame) == invoices + openings + other + notes
    assert len(r.tables["payments"].frame) == rows
    assert r.tables["invoices"].frame["N° facture"].is_unique


@pytest.mark.parametrize("name", list(EXPECTED))
def test_reconciliation_to_the_cent(name):
    *_, as_of, reason, balance, open_invoices, credits = EXPECTED[name]
    meta = raw(name).meta
    assert (meta["as_of"], meta["as_of_reason"]) == (as_of, reason)
    assert meta["reconciliation"] == {"ledger_balance": balance, "open_invoices": open_invoices,
                                      "unapplied_credits": credits, "difference": 0.0}
    again = reconcile(raw(name).tables, as_of, meta["ledger_balance"])  # from the tables alone
    assert again["difference"] == 0.0


def test_ledger_balances_match_the_samples_readme():
    assert [raw(n).meta["ledger_balance"] for n in EXPECTED] == README_BALANCES


def test_no_errors_on_the_samples():
    for name in EXPECTED:
        assert [f for f in raw(name).meta["findings"] if f.severity == "error"] == []


def test_sample_1_invoices_and_their_settlement():
    name = "0000000001FEC20220831.txt"
    # 4175: VEN 20210903 CPRO00 FA  220004 1015,44 AARR
    # 1989: CRC 20211004 CPRO00 VIR PROSOL SAS SCT2110ZAP020194 credit 29602,76 AARR (7 invoices + the rest)
    inv = doc_at(name, 4175)
    assert (inv["doc_id"], inv["amount"], inv["settlement_date"]) == ("FA  220004", 1015.44, pd.Timestamp("2021-10-04"))
    # 48: ANO 20210901 CPRO00 RAN 35724,95 (unlettered): paid by AARP 7178,24 (20210906), AARQ 7861,33
    # (20210913) and what AARR leaves, 29602,76 - 8917,38 (its 7 invoices) = 20685,38 (20211004).
    opening = doc_at(name, 48)
    assert (opening["doc_id"], opening["kind"], opening["settlement_date"]) == \
        ("RAN-CPRO00", "opening", pd.Timestamp("2021-10-04"))
    # 4955: FA  220247 4926,39 AAAX, cancelled by 5060: AV  220282 credit 4926,39 AAAX on 20220429.
    assert doc_at(name, 4955)["settlement_date"] == pd.Timestamp("2022-04-29")
    assert doc_at(name, 5060)[["amount", "kind"]].tolist() == [-4926.39, "credit_note"]
    # 5419: VEN 20220831 CLAURE FA  220396 6661,27 AABJ, lettered after the closing: open at the as-of date.
    assert doc_at(name, 5419)["open_amount"] == 6661.27
    # 4143: RCH 20220614 CNOURR 8194,19, unlettered: unapplied cash of CNOURR.
    pay = raw(name).tables["payments"]
    row = pay.frame[pay.rows == 4143]
    assert row[["N° facture", "Montant", "Code client"]].values.tolist() == [[None, 8194.19, "CNOURR"]]


def test_sample_2_without_lettrage_payments_go_to_the_oldest_invoices():
    name = "000000000FEC20231231.txt"
    # 242: ve 20230209 CVIR FAE 8196,00, DateRglt 20230209; 271: bq 20230209 CVIR credit 8196,00.
    inv = doc_at(name, 242)
    assert (inv["doc_id"], inv["due_date"], inv["settlement_date"]) == \
        ("FAE", pd.Timestamp("2023-02-09"), pd.Timestamp("2023-02-09"))
    # CCB (card receipts): its 411 balance, 1510,52, is the unpaid part of the last monthly sale (06/2023).
    last = doc_at(name, 1498)
    assert (last["doc_id"], last["open_amount"]) == ("06/2023-CCB", 1510.52)
    assert "fec_fifo_no_lettrage" in [f.code for f in raw(name).meta["findings"]]


def test_sample_3_padded_pipe_file():
    name = "111111111FEC20221231.TXT"
    # 6: VE 20230109 41101590 VE  0123 0000000074,70 AA; 680: CIC 20230209 41101590 credit 74,70 AA.
    inv = doc_at(name, 6)
    assert (inv["doc_id"], inv["amount"], inv["settlement_date"]) == \
        ("VE  0123-00000001", 74.70, pd.Timestamp("2023-02-09"))
    # 66: VE 20230306 41104752 74,06 AD, cancelled by the credit note 87 (20230313, 74,06 AD).
    assert doc_at(name, 66)[["open_amount", "settlement_date"]].tolist() == [0.0, pd.Timestamp("2023-03-13")]
    # 738: AN 20230101 41101745 2153,47 AA, with 739-742 (AA), paid by 546: C1 20230313 credit 5776,69 AA;
    # 743: AN 837,94 AB, paid by 552: C1 20230322 credit 837,94 AB.
    assert doc_at(name, 738)["settlement_date"] == pd.Timestamp("2023-03-13")
    assert doc_at(name, 743)["settlement_date"] == pd.Timestamp("2023-03-22")
    # 347: VE 20230509 41101050 6439,94, unlettered: still open.
    assert doc_at(name, 347)["open_amount"] == 6439.94


def test_sample_4_retail_file_with_cr_cr_lf_line_ends():
    name = "123456789FEC20500930.txt"
    # 77: ANO 20220401 411100000 2153,38 AAAF; 7635: INV 20220401 credit 2153,38 AAAF.
    assert doc_at(name, 77)[["kind", "settlement_date"]].tolist() == ["opening", pd.Timestamp("2022-04-01")]
    # 8980 and 8983: OD 20230426 debits 75784,50 and 52416,00 (interco), unlettered: the whole balance.
    assert doc_at(name, 8980)[["kind", "open_amount"]].tolist() == ["other_debit", 75784.50]
    assert doc_at(name, 8983)["open_amount"] == 52416.00


@pytest.mark.parametrize("name", list(EXPECTED))
def test_whole_audit_through_the_engine(name):
    api = pytest.importorskip("audit_engine.api")
    report = api.audit_path(SAMPLES / name)
    rec = report.to_dict()["reconciliation"]
    assert rec["difference"] == 0.0
    assert rec["ledger_balance"] == EXPECTED[name][12]


# --- poste-clients import-fec ---------------------------------------------------------------------------

@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run ``import-fec`` in an empty current folder: (result, names of the files there afterwards)."""
    from click.testing import CliRunner

    from audit_engine.cli.fec_cmd import import_fec

    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)

    def invoke(*args):
        result = CliRunner().invoke(import_fec, [str(a) for a in args])
        return result, sorted(p.name for p in work.iterdir())

    return invoke


def test_import_fec_fills_the_template(run, tmp_path):
    import openpyxl

    result, files = run(SAMPLES / "111111111FEC20221231.TXT")
    assert result.exit_code == 0, result.output
    assert files == ["111111111FEC20221231.xlsm"]
    assert "103 factures et avoirs, 78 règlements, 34 clients, date d'arrêté 31/07/2023" in result.output
    assert "écart 0,00" in result.output
    wb = openpyxl.load_workbook(tmp_path / "cwd" / files[0])
    assert wb["Factures"].max_row == 1 + 103 and wb["Règlements"].max_row == 1 + 78
    assert wb["Factures"]["A2"].value == "sans-41104248"  # line 734: AN 20230101 41104248 74,71 (first by date)
    assert wb["Paramètres"]["B2"].value == dt.datetime(2023, 7, 31)


def test_import_fec_refuses_to_overwrite_without_force(run, tmp_path):
    target = tmp_path / "out.xlsm"
    target.write_text("keep me")
    name = SAMPLES / "123456789FEC20500930.txt"
    result, _ = run(name, "-o", target)
    assert result.exit_code == 2
    assert "existe déjà" in result.output and "--force" in result.output
    assert target.read_text() == "keep me"
    result, _ = run(name, "-o", target, "--force", "--lang", "en")
    assert result.exit_code == 0 and "Workbook written" in result.output
    assert target.read_bytes()[:2] == b"PK"


def test_import_fec_reports_a_non_conforming_file_without_traceback(run, tmp_path):
    bad = tmp_path / "123456789FEC20251231.txt"
    bad.write_text("JournalCode\tJournalLib\tEcritureDate\tDebit\tCredit\nVE\tVentes\t20250101\t1\t0\n")
    result, files = run(bad, "--lang", "en")
    assert result.exit_code == 2 and files == []
    assert result.output.startswith("Error: Non-conforming FEC (123456789FEC20251231.txt, line 1, field CompteNum)")
    assert "Traceback" not in result.output
