"""Readers: CSV exports in every encoding and separator, workbooks with titles above the table, folders."""

from __future__ import annotations

import datetime as dt
import hashlib

import openpyxl
import pytest

from audit_engine.ingest import ingest
from audit_engine.io import read_input

HEADER = "N° facture;Code client;Client;Date facture;Date échéance;Montant TTC;Litige"
ROWS = ["FA-001;C01;Société Générale des Eaux;02/01/2025;01/02/2025;1 200,50 €;Non",
        "FA-002;C02;Château Lévêque;15/01/2025;14/02/2025;-300,00;Oui"]


def _csv(tmp_path, text: str, encoding: str, name: str = "factures.csv", sep: str = ";"):
    path = tmp_path / name
    path.write_bytes(text.replace(";", sep).encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "iso-8859-15"])
@pytest.mark.parametrize("sep", [";", ",", "\t"])
def test_csv_encodings_and_separators(tmp_path, encoding, sep):
    rows = [r.replace("1 200,50 €", "1200.50").replace("-300,00", "-300.00") if sep == "," else r for r in ROWS]
    path = _csv(tmp_path, "\n".join([HEADER, *rows]) + "\n", encoding, sep=sep)
    ledger, _, _ = ingest(read_input(path), as_of="2025-03-31")
    inv = ledger.invoices.set_index("invoice_id")
    assert inv.loc["FA-002", "client_name"] == "Château Lévêque"
    assert inv["amount"].tolist() == [1200.5, -300.0]
    assert inv["disputed"].tolist() == [False, True]


def test_iso_8859_15_euro_sign(tmp_path):
    path = _csv(tmp_path, "\n".join([HEADER, *ROWS]), "iso-8859-15")
    ledger, _, _ = ingest(read_input(path), as_of="2025-03-31")
    assert ledger.invoices["amount"].iloc[0] == 1200.5


def test_csv_row_numbers_are_line_numbers(tmp_path):
    text = "\n".join([HEADER, ROWS[0], "FA-003;C01;x;pas une date;01/02/2025;10;Non", ROWS[1]])
    _, _, findings = ingest(read_input(_csv(tmp_path, text, "utf-8")), as_of="2025-03-31")
    bad = [f for f in findings if f.code == "bad_date"]
    assert [(f.sheet, f.row, f.column, f.value) for f in bad] == [("factures.csv", 3, "Date facture", "pas une date")]


def test_csv_crlf_line_ends(tmp_path):
    path = _csv(tmp_path, "\r\n".join([HEADER, *ROWS]) + "\r\n", "utf-8")
    ledger, _, _ = ingest(read_input(path), as_of="2025-03-31")
    assert len(ledger.invoices) == 2


def test_folder_with_one_csv_per_table(tmp_path):
    _csv(tmp_path, "\n".join([HEADER, *ROWS]), "utf-8", "export_factures.csv")
    _csv(tmp_path, "N° facture;Date règlement;Montant\nFA-001;10/02/2025;1200,50\n", "cp1252", "reglements.csv")
    ledger, _, _ = ingest(read_input(tmp_path), as_of="2025-03-31")
    assert ledger.invoices.set_index("invoice_id")["open_amount"].to_dict() == {"FA-001": 0.0, "FA-002": -300.0}
    assert ledger.sheets["payments"] == "reglements.csv"


def _workbook(tmp_path, name="classeur.xlsx"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Factures"
    ws["A1"] = "Export des factures clients"  # a title above the table
    ws.append([])
    ws.append(["N° facture", "Code client", "Date facture", "Date échéance", "Montant TTC", "Commentaire"])
    ws.append(["00017", "C1", dt.datetime(2025, 1, 2), dt.datetime(2025, 2, 1), 1000, "x"])
    ws.append(["00018", "C1", 45665, "15/02/2025", "250,00", None])
    ws.append(["00019", "C2", "pas de date", None, 10, None])
    pay = wb.create_sheet("Règlements")
    pay.append(["N° facture", "Date règlement", "Montant"])
    pay.append(["00017", dt.date(2025, 2, 10), 1000])
    params = wb.create_sheet("Paramètres")
    params.append(["Paramètre", "Valeur", "Commentaire"])
    params.append(["Date d'arrêté", dt.datetime(2025, 3, 31), ""])
    wb.create_sheet("Notes").append(["rien à voir"])
    path = tmp_path / name
    wb.save(path)
    return path


def test_workbook_with_title_rows_keeps_excel_row_numbers(tmp_path):
    path = _workbook(tmp_path)
    ledger, settings, findings = ingest(read_input(path))
    assert settings.as_of == dt.date(2025, 3, 31)
    inv = ledger.invoices.set_index("invoice_id")
    assert inv["row"].to_dict() == {"00017": 4, "00018": 5}
    assert inv.loc["00018", "invoice_date"].date() == dt.date(2025, 1, 8)  # Excel serial 45665
    assert inv.loc["00017", "open_amount"] == 0.0
    bad = [f for f in findings if f.code == "bad_date"]
    assert [(f.sheet, f.row, f.column) for f in bad] == [("Factures", 6, "Date facture")]


def test_input_file_is_only_read(tmp_path):
    path = _workbook(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    ingest(read_input(path))
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_sheet_found_by_its_headers_when_not_named_factures(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Export Sage"
    ws.append(["Numéro de pièce", "Compte tiers", "Date de pièce", "Date d'échéance", "Montant TTC"])
    ws.append(["P1", "411DUP", dt.datetime(2025, 1, 2), dt.datetime(2025, 2, 1), 100])
    path = tmp_path / "sage.xlsx"
    wb.save(path)
    ledger, _, _ = ingest(read_input(path), as_of="2025-03-31")
    assert ledger.invoices["client_id"].tolist() == ["411DUP"]


def test_fast_reader_and_calamine_reader_agree_on_rows_and_values(tmp_path):
    from audit_engine.io.excel_fast import read_workbook_fast

    path = _workbook(tmp_path)
    fast = read_workbook_fast(path)
    assert fast is not None
    from python_calamine import CalamineWorkbook

    from audit_engine.io.excel import tables_from_sheets

    wb = CalamineWorkbook.from_path(str(path))
    slow = tables_from_sheets(str(path), [(n, wb.get_sheet_by_name(n).to_python(skip_empty_area=False))
                                          for n in wb.sheet_names])
    for key in ("invoices", "payments", "settings"):
        assert fast.tables[key].rows.tolist() == slow.tables[key].rows.tolist(), key
        assert fast.tables[key].header_row == slow.tables[key].header_row
    a, _, fa = ingest(fast)
    b, _, fb = ingest(slow)
    cols = ["invoice_id", "client_id", "invoice_date", "due_date", "amount", "open_amount", "row"]
    assert a.invoices[cols].equals(b.invoices[cols])
    assert [(f.code, f.row, f.column) for f in fa] == [(f.code, f.row, f.column) for f in fb]


def test_fast_reader_reads_the_top_rows_from_the_sheet_xml(tmp_path):
    import zipfile

    from audit_engine.io.excel_fast import _sheet_head, _sheet_parts, first_value_row, head_rows

    path = _workbook(tmp_path)
    with zipfile.ZipFile(path) as z:
        head = _sheet_head(z, _sheet_parts(z)["Factures"])
        start = first_value_row(head)
        rows = head_rows(z, head, start, 6)
    assert start == 1
    assert rows[0] == ["Export des factures clients"] and rows[1] == []
    assert rows[2][:3] == ["N° facture", "Code client", "Date facture"]
    assert rows[3][0] == "00017"
