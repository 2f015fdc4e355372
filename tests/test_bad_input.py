"""Bad input: fatal problems stop with a clear message; row-level problems become findings that name
the sheet, the row the user sees, the column and the bad value, and the audit goes on."""

from __future__ import annotations

import pytest
from conftest import build, inv, pay, raw_input

from audit_engine.errors import (
    AuditError,
    FileNotFoundInputError,
    MissingColumnError,
    NoInvoiceTableError,
    NoUsableRowsError,
    UnreadableFileError,
    UnsupportedFileError,
)
from audit_engine.ingest import ingest
from audit_engine.io import read_input


def only(findings, code):
    hits = [f for f in findings if f.code == code]
    assert hits, f"no finding {code!r} in {[f.code for f in findings]}"
    return hits


# --- row level: kept or excluded, always reported ---------------------------------------------------------------


def test_unreadable_invoice_date_excludes_the_row():
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", 100), inv("F2", "C1", "le 3 janvier", 100)],
                                as_of="2025-03-31")
    assert ledger.invoices["invoice_id"].tolist() == ["F1"]
    (f,) = only(findings, "bad_date")
    assert (f.severity, f.sheet, f.row, f.column, f.value) == ("error", "Factures", 3, "Date facture", "le 3 janvier")
    assert "exclue" in f.message("fr") and "excluded" in f.message("en")


def test_unreadable_amount_excludes_the_row():
    with pytest.raises(NoUsableRowsError):  # the only row is unusable: nothing to audit
        build([inv("F1", "C1", "02/01/2025", "douze euros")], as_of="2025-03-31")
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", "douze euros"), inv("F2", "C1", "02/01/2025", 5)],
                                as_of="2025-03-31")
    (f,) = only(findings, "bad_amount")
    assert (f.row, f.column, f.value) == (2, "Montant TTC", "douze euros")
    assert ledger.invoices["invoice_id"].tolist() == ["F2"]


def test_unreadable_optional_date_keeps_the_row():
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", 100, due="fin du mois")], as_of="2025-03-31")
    assert len(ledger.invoices) == 1
    (f,) = only(findings, "bad_optional_date")
    assert (f.severity, f.column, f.value) == ("warning", "Date échéance", "fin du mois")


def test_duplicate_invoice_number_keeps_the_first():
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", 100), inv("F1", "C2", "03/01/2025", 999)],
                                as_of="2025-03-31")
    assert ledger.invoices["amount"].tolist() == [100.0]
    (f,) = only(findings, "duplicate_invoice")
    assert (f.row, f.value, f.params["first_row"]) == (3, "F1", 2)
    assert ledger.duplicates["invoice_id"].tolist() == ["F1"]


def test_payment_before_invoice_date_is_kept_and_flagged():
    ledger, _, findings = build([inv("F1", "C1", "10/01/2025", 100)], payments=[pay("F1", "05/01/2025", 100)],
                                as_of="2025-03-31")
    assert ledger.invoices["open_amount"].iloc[0] == 0.0
    (f,) = only(findings, "payment_before_invoice")
    assert (f.sheet, f.row, f.column) == ("Règlements", 2, "Date règlement")


def test_due_date_before_invoice_date_is_corrected():
    ledger, _, findings = build([inv("F1", "C1", "10/01/2025", 100, due="05/01/2025")], as_of="2025-03-31")
    assert str(ledger.invoices["due_date"].iloc[0].date()) == "2025-01-10"
    (f,) = only(findings, "due_before_invoice")
    assert (f.row, f.column, f.value) == (2, "Date échéance", "05/01/2025")


def test_payment_larger_than_the_invoice():
    ledger, _, findings = build([inv("F1", "C1", "10/01/2025", 100)], payments=[pay("F1", "05/02/2025", 130)],
                                as_of="2025-03-31")
    assert ledger.invoices["open_amount"].iloc[0] == 0.0
    assert ledger.credits["amount"].tolist() == [-30.0]
    (f,) = only(findings, "overpayment")
    assert f.params["excess"] == "30.00"


def test_payment_for_an_unknown_invoice_without_client_is_excluded():
    ledger, _, findings = build([inv("F1", "C1", "10/01/2025", 100)], payments=[pay("F9", "05/02/2025", 10)],
                                as_of="2025-03-31")
    assert ledger.payments.empty and ledger.credits.empty
    (f,) = only(findings, "unknown_invoice")
    assert (f.severity, f.sheet, f.row, f.value) == ("error", "Règlements", 2, "F9")


def test_unknown_client_code_in_payments():
    _, _, findings = build([inv("F1", "C1", "10/01/2025", 100)], payments=[pay(None, "05/02/2025", 10, client="ZZ")],
                           as_of="2025-03-31")
    (f,) = only(findings, "unknown_client")
    assert (f.sheet, f.row, f.column, f.value) == ("Règlements", 2, "Code client", "ZZ")


def test_reminder_for_an_unknown_invoice():
    _, _, findings = build([inv("F1", "C1", "10/01/2025", 100)],
                           reminders=[{"N° facture": "F7", "Date relance": "01/03/2025", "Type": "Email"}],
                           as_of="2025-03-31")
    (f,) = only(findings, "unknown_invoice")
    assert (f.sheet, f.row, f.value) == ("Relances", 2, "F7")


def test_empty_rows_between_data_are_reported_and_skipped():
    rows = [inv("F1", "C1", "10/01/2025", 100), {}, inv("F2", "C1", "11/01/2025", 100), {}, {}]
    ledger, _, findings = build(rows, as_of="2025-03-31")
    assert len(ledger.invoices) == 2
    assert [f.row for f in only(findings, "empty_row")] == [3]  # trailing empty rows are normal, not reported


def test_missing_required_value_excludes_the_row():
    ledger, _, findings = build([inv("F1", None, "10/01/2025", 100), inv("F2", "C1", "10/01/2025", 100)],
                                as_of="2025-03-31")
    (f,) = only(findings, "missing_value")
    assert (f.row, f.column) == (2, "Code client")


# --- fatal: a clear message naming file, sheet and column -------------------------------------------------------


def test_missing_required_column_names_file_sheet_and_column():
    raw = raw_input([{"N° facture": "F1", "Code client": "C1", "Date facture": "02/01/2025"}])
    with pytest.raises(MissingColumnError) as err:
        ingest(raw)
    assert err.value.message("fr") == ("Colonne obligatoire absente : « Montant TTC » (fichier test.xlsx, feuille "
                                       "Factures). Ajoutez-la ou renommez l'en-tête correspondant.")
    assert "Amount incl. VAT" in err.value.message("en")


def test_no_usable_rows():
    with pytest.raises(NoUsableRowsError) as err:
        build([inv("F1", "C1", "jamais", 100)])
    assert "Factures" in err.value.message("fr") and "test.xlsx" in err.value.message("fr")


def test_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundInputError) as err:
        read_input(tmp_path / "absent.xlsx")
    assert "absent.xlsx" in err.value.message("fr")


def test_not_a_spreadsheet(tmp_path):
    path = tmp_path / "photo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    with pytest.raises(UnsupportedFileError):
        read_input(path)


def test_corrupt_workbook(tmp_path):
    path = tmp_path / "casse.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    with pytest.raises(UnreadableFileError) as err:
        read_input(path)
    assert "casse.xlsx" in err.value.message("fr")


def test_workbook_without_invoice_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.active.append(["Poste", "Montant"])
    path = tmp_path / "budget.xlsx"
    wb.save(path)
    with pytest.raises(NoInvoiceTableError) as err:
        ingest(read_input(path))
    assert "Budget" in err.value.message("fr")


def test_every_fatal_error_is_an_audit_error_with_exit_code_2():
    for cls in (FileNotFoundInputError, UnsupportedFileError, UnreadableFileError, NoInvoiceTableError,
                MissingColumnError, NoUsableRowsError):
        assert issubclass(cls, AuditError) and cls.exit_code == 2
