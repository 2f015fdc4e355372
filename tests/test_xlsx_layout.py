"""The XlsxWriter writer: the demo report rendered to .xlsx, reopened with openpyxl and read as a package."""

from __future__ import annotations

import datetime as dt
import html
import re
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from audit_engine.api import audit_path
from audit_engine.demo import DATA_DIR
from audit_engine.io.xlsx_layout import NUM_FORMATS, render_layout
from audit_engine.layout import build_layout, read_tracking
from tests.lo_helpers import convert


@pytest.fixture(scope="module")
def demo():
    return audit_path(DATA_DIR)


@pytest.fixture(scope="module")
def rendered(demo, tmp_path_factory):
    started = time.perf_counter()
    layout = build_layout(demo)
    path = tmp_path_factory.mktemp("layout") / "rapport.xlsx"
    render_layout(layout, path)
    return layout, path, time.perf_counter() - started


def parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xml", ".rels"))}


def test_layout_and_render_of_the_demo_take_well_under_a_few_seconds(rendered):
    assert rendered[2] < 4.0


def test_the_file_holds_the_layout_sheets_and_tables(rendered):
    layout, path, _ = rendered
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == list(layout.names())
    for sheet in layout.sheets:
        ws = wb[sheet.name]
        assert {name: ws.tables[name].ref for name in ws.tables} == {t.name: t.ref() for t in sheet.tables()}
        assert len(ws._charts) == len(sheet.charts)
        assert ws.sheet_properties.tabColor.rgb.endswith(sheet.tab_color[1:].upper())
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage


def test_each_chart_reads_the_ranges_of_its_sheet(rendered):
    layout, path, _ = rendered
    found = set()
    for name, xml in parts(path).items():
        if re.match(r"xl/charts/chart\d+\.xml$", name):
            found |= set(re.findall(r"<c:f>(.*?)</c:f>", xml))
    expected = {ref.a1() for s in layout.sheets for c in s.charts
                for ref in (c.categories, *(x.values for x in c.series))}

    def norm(refs):
        return {html.unescape(r).replace("'", "").replace("$", "") for r in refs}
    assert norm(found) == norm(expected)
    assert any("1. Qui doit quoi!" in r for r in norm(found))


def test_client_names_that_look_like_formulas_are_text_cells(rendered):
    _, path, _ = rendered
    xml = parts(path)
    strings = re.findall(r"<t(?: [^>]*)?>(.*?)</t>", xml["xl/sharedStrings.xml"])
    assert "=ACME SAS" in strings and "+Plus Distribution SARL" in strings
    formulas = [f for n, x in xml.items() if n.startswith("xl/worksheets/sheet") for f in re.findall(r"<f>(.*?)</f>", x)]
    assert formulas and all(f.startswith("SUBTOTAL(109,") for f in formulas)  # only the total rows
    ws = openpyxl.load_workbook(rendered[1])["1. Qui doit quoi"]
    cell = next(c for r in ws.iter_rows() for c in r if c.value == "=ACME SAS")
    assert cell.data_type == "s"


def test_dates_are_real_dates_and_amounts_have_the_euro_format(rendered):
    layout, path, _ = rendered
    wb = openpyxl.load_workbook(path)
    sheet = layout.sheet("receivables")
    ws = wb[sheet.name]
    period = sheet.cells("period")
    cell = ws.cell(period.row + 1, period.col + 4)
    assert cell.is_date and cell.value.date() == dt.date(2026, 11, 30) and cell.number_format == "dd/mm/yyyy"
    old = sheet.table("old_invoices")
    due = ws.cell(old.row + 2, old.col + 1 + old.index("due_date"))
    amount = ws.cell(old.row + 2, old.col + 1 + old.index("open_amount"))
    assert due.is_date and due.number_format == "dd/mm/yyyy"
    assert amount.number_format == NUM_FORMATS["amount"] == '#,##0.00 "€"'


def test_conditional_formats_links_and_drop_down_lists_are_written(rendered):
    layout, path, _ = rendered
    wb = openpyxl.load_workbook(path)
    ws1 = wb["1. Qui doit quoi"]
    assert len(ws1.conditional_formatting) >= 5
    summary = wb["Synthèse"]
    links = [c.hyperlink.location for r in summary.iter_rows() for c in r if c.hyperlink]
    assert links == [f"'{n}'!A1".replace("'5. Plan d'action'", "'5. Plan d''action'") for n in layout.names()[1:]]
    actions = wb["5. Plan d'action"]
    lists = [dv.formula1 for dv in actions.data_validations.dataValidation]
    assert lists and "Clôturée par l'audit" in lists[0]


def test_same_layout_same_bytes(rendered, tmp_path):
    layout, path, _ = rendered
    again = tmp_path / "again.xlsx"
    render_layout(layout, again)
    assert again.read_bytes() == path.read_bytes()


def test_tracking_typed_by_the_user_survives_a_re_run(demo, rendered, tmp_path):
    """The user fills in the tracking columns; the next run reads them back (openpyxl and calamine) and
    writes them again on the same actions."""
    layout, path, _ = rendered
    wb = openpyxl.load_workbook(path)
    ws = wb["5. Plan d'action"]
    table = layout.sheet("actions").table("actions")
    first = table.row + 2  # 1-based row of the first action
    ws.cell(first, table.col + 1 + table.index("owner"), "Sophie")
    ws.cell(first, table.col + 1 + table.index("due"), dt.datetime(2026, 12, 15))
    ws.cell(first, table.col + 1 + table.index("comment"), "+33 6 rappeler le DAF")
    typed = tmp_path / "typed.xlsx"
    wb.save(typed)

    from python_calamine import CalamineWorkbook

    rows_openpyxl = [list(r) for r in openpyxl.load_workbook(typed)["5. Plan d'action"].iter_rows(values_only=True)]
    rows_calamine = CalamineWorkbook.from_path(str(typed)).get_sheet_by_name("5. Plan d'action").to_python()
    key = table.rows[0][table.index("key")]
    for rows in (rows_openpyxl, rows_calamine):
        tracking = read_tracking(rows)
        assert (tracking[key]["owner"], tracking[key]["due"], tracking[key]["comment"]) == (
            "Sophie", dt.date(2026, 12, 15), "+33 6 rappeler le DAF")
        again = build_layout(demo, tracking=tracking).sheet("actions").table("actions")
        row = again.rows[again.column_values("key").index(key)]
        assert row[again.index("owner")] == "Sophie" and row[again.index("comment")] == "+33 6 rappeler le DAF"


def test_english_layout_renders_english_sheets(tmp_path):
    report = audit_path(DATA_DIR, lang="en")
    path = tmp_path / "report.xlsx"
    render_layout(build_layout(report), path)
    assert openpyxl.load_workbook(path).sheetnames[:2] == ["Summary", "1. Who owes what"]


def test_libreoffice_converts_the_report_to_pdf(rendered, tmp_path, require_libreoffice):
    pdf = convert(rendered[1], "pdf", tmp_path)
    assert pdf.stat().st_size > 50_000 and pdf.read_bytes()[:4] == b"%PDF"


def test_every_text_is_a_string_cell_and_odd_dates_stay_readable(tmp_path):
    from audit_engine.layout.model import Column, SheetLayout, Table, Text, WorkbookLayout

    rows = (("=1+1", "@SUM(A1)", "-2", "+33 6", dt.date(2026, 1, 2), None, dt.date(1850, 1, 1), "a\x01b"),)
    table = Table(2, 1, "T_odd", tuple(Column(f"c{i}", f"H{i}", "date" if i in (4, 6) else "text")
                                       for i in range(8)), rows)
    layout = WorkbookLayout("fr", (SheetLayout("S", "summary", "#000000", (2.0,) + (12.0,) * 8,
                                               (Text(0, 1, "=TITLE()", "title"), table)),))
    path = tmp_path / "odd.xlsx"
    render_layout(layout, path)
    ws = openpyxl.load_workbook(path)["S"]
    values = [c.value for c in ws[4][1:9]]
    assert values[:4] == ["=1+1", "@SUM(A1)", "-2", "+33 6"] and all(c.data_type == "s" for c in ws[4][1:5])
    assert values[4] == dt.datetime(2026, 1, 2) and values[5] is None and values[6] == "1850-01-01"
    assert ws["B1"].value == "=TITLE()" and ws["B1"].data_type == "s"
    assert "<f>" not in parts(path)["xl/worksheets/sheet1.xml"]
