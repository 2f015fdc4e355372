"""workbook_template.xlsm: rebuilt identically from the sources, and it says what the README says."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xlsxwriter

from audit_engine.io.excel import read_workbook
from audit_engine.io.ovba import read_vba_project
from audit_engine.io.template import GENERATOR, TABLE_NAMES, build_template, vba_sources
from audit_engine.io.template_text import CODE_NAMES, SHEETS, XLWINGS_ACTIVE, XLWINGS_DOC, sheet_name
from audit_engine.schema import TEMPLATE_COLUMNS, template_headers
from audit_engine.settings import SETTINGS_SPEC, parse_terms_rule, settings_from_pairs

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = ROOT / "workbook_template.xlsm"
PYTHON_CALLS = {
    "LancerAuditComplet": "import addin; addin.run_audit()",
    **{f"LancerSection{n}": f"import addin; addin.run_section({n})" for n in range(1, 6)},
    "EffacerResultats": "import addin; addin.clear_results()",
}


def buttons(path: Path) -> list[tuple[str, str, str]]:
    """(sheet, caption, macro) of every legacy form button, read from the VML parts."""
    out = []
    with zipfile.ZipFile(path) as z:
        wb = openpyxl.load_workbook(path, read_only=True)
        for i, name in enumerate(wb.sheetnames, start=1):
            rels = f"xl/worksheets/_rels/sheet{i}.xml.rels"
            if rels not in z.namelist():
                continue
            for target in re.findall(r'vmlDrawing" Target="\.\./drawings/([^"]+)"', z.read(rels).decode()):
                vml = z.read(f"xl/drawings/{target}").decode()
                for shape in re.findall(r"<v:shape .*?</v:shape>", vml, re.DOTALL):
                    if 'ObjectType="Button"' in shape:
                        caption = re.sub(r"<[^>]+>", "", re.search(r"<v:textbox.*?</v:textbox>", shape, re.DOTALL)[0])
                        macro = re.search(r"<x:FmlaMacro>(.*?)</x:FmlaMacro>", shape)[1]
                        out.append((name, caption.replace("&amp;", "&").replace("&apos;", "'"), macro))
    return out


def describe(path: Path) -> dict:
    """Everything the template promises: sheets, cells, tables, validations, notes, names, macros, buttons."""
    wb = openpyxl.load_workbook(path)
    info: dict = {"sheets": wb.sheetnames, "names": {n: d.attr_text for n, d in wb.defined_names.items()}}
    for ws in wb.worksheets:
        info[ws.title] = {
            "cells": {c.coordinate: (c.value, c.data_type, c.number_format) for row in ws.iter_rows() for c in row
                      if c.value is not None or c.number_format != "General"},
            "tables": {t.name: (t.ref, [c.name for c in t.tableColumns]) for t in ws.tables.values()},
            "validations": sorted((str(v.sqref), v.type, v.formula1, v.formula2, v.errorStyle)
                                  for v in ws.data_validations.dataValidation),
            "notes": {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment},
            "freeze": ws.freeze_panes,
            "code_name": ws.sheet_properties.codeName,
        }
    with zipfile.ZipFile(path) as z:
        project = read_vba_project(z.read("xl/vbaProject.bin"))
    info["vba"] = {m.name: (m.kind, m.source) for m in project.modules}
    info["buttons"] = buttons(path)
    return info


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    return build_template(tmp_path_factory.mktemp("template") / "workbook_template.xlsm")


@pytest.fixture(scope="module")
def committed() -> dict:
    assert COMMITTED.exists(), "workbook_template.xlsm is missing: run python tools/build_template.py"
    return describe(COMMITTED)


def test_rebuild_has_the_committed_content(rebuilt, committed):
    assert describe(rebuilt) == committed, "the template is stale: run python tools/build_template.py"


def test_rebuild_is_byte_identical_with_the_same_xlsxwriter(rebuilt):
    """Byte for byte when the committed file was written by this XlsxWriter (its version is in the file)."""
    comment = openpyxl.load_workbook(COMMITTED, read_only=True).properties.description
    with zipfile.ZipFile(rebuilt) as new, zipfile.ZipFile(COMMITTED) as old:
        assert new.namelist() == old.namelist()
        same_writer = comment == GENERATOR
        for name in new.namelist():
            if same_writer or name.endswith(".bin"):
                assert new.read(name) == old.read(name), f"{name} differs: run python tools/build_template.py"
    assert xlsxwriter.__version__ in GENERATOR


def test_sheets_and_code_names(committed):
    assert committed["sheets"] == ["Accueil", "Factures", "Règlements", "Relances", "Clients", "Paramètres",
                                   "xlwings.conf"]
    assert [committed[sheet_name(s, "fr")]["code_name"] for s in SHEETS] == [CODE_NAMES[s] for s in SHEETS]


@pytest.mark.parametrize("table", ["invoices", "payments", "reminders", "clients", "settings"])
def test_tables_carry_the_input_contract_headers(committed, table):
    sheet = committed[sheet_name(table, "fr")]
    ref, headers = sheet["tables"][TABLE_NAMES[table]]
    assert headers == template_headers(table, "fr")
    assert ref.startswith("A1:") and sheet["freeze"] == "A2"


def test_validations_offer_values_the_engine_understands(committed):
    lists = {}
    for sheet in ("Factures", "Clients", "Relances", "Paramètres"):
        for sqref, kind, formula1, _formula2, style in committed[sheet]["validations"]:
            assert style == "warning"  # a pasted or unusual value is flagged, never refused
            if kind == "list":
                lists[(sheet, sqref)] = formula1.strip('"').split(",")
    assert lists[("Factures", "J2:J1048576")] == ["Oui", "Non"]
    terms = lists[("Clients", "D2:D1048576")]
    assert terms == ["Net", "Fin de mois puis jours", "Jours puis fin de mois"]
    assert [parse_terms_rule(v) for v in terms] == ["net", "end_of_month_then_days", "days_then_end_of_month"]
    assert lists[("Relances", "C2:C1048576")] == ["Email", "Téléphone", "Courrier", "Mise en demeure"]
    assert ("B2:B1048576", "date", "1", "73050", "warning") in committed["Relances"]["validations"]
    assert ("B2:B1048576", "date", "1", "73050", "warning") in committed["Règlements"]["validations"]
    assert ("D2:D1048576", "whole", "1", "4", "warning") in committed["Relances"]["validations"]
    dated = {sqref for sqref, kind, *_ in committed["Factures"]["validations"] if kind == "date"}
    assert dated == {"D2:D1048576", "E2:E1048576", "F2:F1048576", "I2:I1048576"}


def test_settings_sheet_has_every_setting_with_a_note_and_defaults_the_engine_reads(committed):
    sheet = committed["Paramètres"]
    rows = [(sheet["cells"][f"A{i}"][0], sheet["cells"].get(f"B{i}", (None,))[0])
            for i in range(2, len(SETTINGS_SPEC) + 2)]
    assert [name for name, _ in rows] == [s.fr for s in SETTINGS_SPEC]
    assert all(sheet["notes"][f"A{i}"] for i in range(2, len(SETTINGS_SPEC) + 2))
    parsed, findings = settings_from_pairs(rows)
    assert findings == []
    assert parsed.aging_edges == (0, 30, 60, 90, 120) and parsed.lang == "fr" and parsed.day_first


def test_as_of_date_has_one_source_of_truth(committed):
    assert committed["names"]["DateArrete"] == "'Paramètres'!$B$2"
    assert committed["Paramètres"]["cells"]["A2"][0] == "Date d'arrêté"
    formula = committed["Accueil"]["cells"]["C13"][0]
    assert formula.startswith("=IF(DateArrete=") and committed["Accueil"]["cells"]["C13"][1] == "f"


def test_buttons_call_their_macros_which_call_python(committed):
    assert [(sheet, macro) for sheet, _, macro in committed["buttons"]] == [
        ("Accueil", f"[0]!Module_Audit.{m}") for m in PYTHON_CALLS]
    assert committed["buttons"][0][1] == "Lancer l'audit complet"
    assert committed["buttons"][-1][1] == "Effacer les résultats"
    kind, source = committed["vba"]["Module_Audit"]
    for macro, call in PYTHON_CALLS.items():
        body = re.search(rf"Public Sub {macro}\(\)\r\n(.*?)End Sub", source, re.DOTALL)[1]
        assert f'"{call}"' in body
    assert "Application.Run \"'\" & COMPLEMENT & \"'!RunPython\"" in source
    assert 'COMPLEMENT As String = "xlwings.xlam"' in source


def test_vba_project_is_the_repository_sources(committed):
    kind, source = committed["vba"]["Module_Audit"]
    assert kind == "standard"
    assert source == vba_sources()["Module_Audit.bas"].replace("\n", "\r\n")
    documents = {name for name, (k, _) in committed["vba"].items() if k == "document"}
    assert documents == {"ThisWorkbook", *CODE_NAMES.values()}


def test_xlwings_conf_block_has_only_keys_xlwings_reads_and_no_empty_value(committed):
    import xlwings

    addin = Path(xlwings.__file__).parent / "addin"
    known = {k.upper() for f in addin.glob("*.bas") for k in re.findall(r'GetConfig\("([^"]+)"', f.read_text())}
    cells = committed["xlwings.conf"]["cells"]
    block = []
    row = 1
    while f"A{row}" in cells and cells[f"A{row}"][0] not in (None, ""):  # what xlwings reads: A1 down
        block.append((cells[f"A{row}"][0], cells.get(f"B{row}", (None,))[0]))
        row += 1
    assert [k for k, _ in block] == [k for k, _, _ in XLWINGS_ACTIVE]
    assert all(v not in (None, "") for _, v in block)  # an empty value would mask the ribbon's setting
    documented = [key for key, _, _ in XLWINGS_DOC]
    assert {k.upper() for k, _ in block} | {k.upper() for k in documented} <= known
    assert {"INTERPRETER_WIN", "INTERPRETER_MAC", "PYTHONPATH"} <= {k.upper() for k in documented}


def test_engine_reader_reads_the_empty_template_without_special_case():
    raw = read_workbook(COMMITTED)
    assert set(raw.tables) == {"invoices", "payments", "reminders", "clients", "settings"}
    assert all(raw.tables[t].frame.dropna(how="all").empty for t in ("invoices", "payments", "reminders", "clients"))
    assert list(raw.tables["invoices"].frame.columns) == template_headers("invoices", "fr")


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    invoices = pd.DataFrame({
        "N° facture": ["=SUM(A1:A2)", "+33 1", "-12", "@home", 1042.0],
        "Code client": ["007", "C2", "C3", "C4", 12],
        "Date facture": [dt.date(2025, 1, 2), pd.Timestamp("2025-01-03"), dt.datetime(2025, 1, 4), "05/01/2025", None],
        "Montant TTC": [1200.0, -80.5, 10, 20, 30],
        "Litige": [True, False, None, "Oui", None],
        "Reste à payer": [100.0, 0, 10, 20, 30],  # recognised, not a template column: appended
    })
    payments = pd.DataFrame({"Invoice number": ["F1"], "Payment date": [dt.date(2025, 2, 1)], "Amount": [50]})
    return build_template(tmp_path_factory.mktemp("filled") / "filled.xlsm",
                          {"invoices": invoices, "payments": payments},
                          {"as_of": dt.date(2025, 3, 31), "aging_edges": (0, 15, 45), "default_terms_rule":
                           "end_of_month_then_days", "day_first": False})


def test_filled_template_writes_strings_as_strings_never_formulas(filled):
    ws = openpyxl.load_workbook(filled)["Factures"]
    assert [(ws[f"A{r}"].value, ws[f"A{r}"].data_type) for r in range(2, 7)] == [
        ("=SUM(A1:A2)", "s"), ("+33 1", "s"), ("-12", "s"), ("@home", "s"), ("1042", "s")]
    assert (ws["B2"].value, ws["B6"].value) == ("007", "12")
    with zipfile.ZipFile(filled) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet2.xml").decode()


def test_filled_template_writes_dates_amounts_and_extra_columns(filled):
    ws = openpyxl.load_workbook(filled)["Factures"]
    assert [ws[f"D{r}"].value for r in range(2, 6)] == [dt.datetime(2025, 1, d) for d in (2, 3, 4)] + ["05/01/2025"]
    assert ws["D2"].number_format == "dd/mm/yyyy" and ws["G2"].number_format == '#,##0.00 "€"'
    assert [ws[f"J{r}"].value for r in range(2, 6)] == ["Oui", "Non", None, "Oui"]
    assert ws.tables["tblFactures"].ref == "A1:L6" and ws["L1"].value == "Reste à payer"


def test_filled_template_reads_back_through_the_engine(filled):
    raw = read_workbook(filled)
    assert len(raw.tables["invoices"].frame) == 5 and len(raw.tables["payments"].frame) == 1
    pairs = raw.tables["settings"].frame.iloc[:, :2].itertuples(index=False)
    settings, findings = settings_from_pairs(pairs)
    assert findings == []
    assert (settings.as_of, settings.aging_edges, settings.default_terms_rule, settings.day_first) == (
        dt.date(2025, 3, 31), (0, 15, 45), "end_of_month_then_days", False)
    home = openpyxl.load_workbook(filled)["Accueil"]
    assert home["C13"].value.startswith("=IF(DateArrete=")


def test_english_template(tmp_path):
    path = build_template(tmp_path / "en.xlsm", lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Home", "Invoices", "Payments", "Reminders", "Clients", "Settings", "xlwings.conf"]
    assert [c.value for c in wb["Invoices"][1]] == template_headers("invoices", "en")
    assert wb["Settings"]["A2"].value == "As-of date" and wb.defined_names["DateArrete"].attr_text == "'Settings'!$B$2"
    assert set(read_workbook(path).tables) >= set(TEMPLATE_COLUMNS) - {"settings"}


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"path": "x.xlsx"}, ".xlsm"), ({"tables": {"ventes": pd.DataFrame()}}, "unknown tables"),
    ({"settings": {"nope": 1}}, "unknown settings"), ({"lang": "de"}, "lang"),
])
def test_bad_arguments_are_refused(tmp_path, kwargs, message):
    args = {"path": tmp_path / "t.xlsm", **kwargs}
    with pytest.raises(ValueError, match=message):
        build_template(**args)


def test_addin_entry_points_exist_without_importing_xlwings():
    code = ("import sys, inspect, addin; "
            "assert 'xlwings' not in sys.modules; "
            "print([list(inspect.signature(f).parameters) for f in "
            "(addin.run_audit, addin.run_section, addin.clear_results)])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[['book'], ['n', 'book'], ['book']]"


def test_addin_entry_points_exist_and_import_without_excel():
    import inspect

    import addin

    assert list(inspect.signature(addin.run_audit).parameters) == ["book"]
    assert list(inspect.signature(addin.run_section).parameters) == ["n", "book"]
    assert list(inspect.signature(addin.clear_results).parameters) == ["book"]
