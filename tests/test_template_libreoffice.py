"""The template in LibreOffice (headless, UNO, VBA compatibility mode): macros load, buttons are bound,
a macro runs and its write survives a save. Skipped locally without LibreOffice, failed in CI."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from lo_helpers import LO_DIR, convert, require_soffice, run_uno_script

from audit_engine.io.template import vba_sources
from audit_engine.io.template_text import CODE_NAMES

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook_template.xlsm"
MACROS = ["LancerAuditComplet", *(f"LancerSection{n}" for n in range(1, 6)), "EffacerResultats"]
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def script_url(macro: str) -> str:
    return f"vnd.sun.star.script:VBAProject.Module_Audit.{macro}?language=Basic&location=document"


@pytest.fixture(scope="module")
def lo_run(tmp_path_factory) -> tuple[dict, Path]:
    require_soffice(uno=True)
    folder = tmp_path_factory.mktemp("lo")
    workbook = folder / "template.xlsm"
    shutil.copy(TEMPLATE, workbook)
    saved = folder / "saved_by_libreoffice.xlsm"
    report = run_uno_script(LO_DIR / "check_template.py", str(workbook), str(saved), script_url("VerifierMacros"))
    return report, saved


def cell_text(path: Path, defined_name: str) -> str:
    """The text of the cell a defined name points to, read from the package XML (no openpyxl: LibreOffice
    7.4 writes button captions with a raw '&' in drawing XML, which openpyxl refuses)."""
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        target = next(d.text for d in book.iter(f"{{{NS['m']}}}definedName") if d.get("name") == defined_name)
        sheet, col, row = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+)", target).groups()
        rid = next(s.get(f"{{{NS['r']}}}id") for s in book.iter(f"{{{NS['m']}}}sheet") if s.get("name") == sheet)
        rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        part = "xl/" + next(r.get("Target") for r in rels if r.get("Id") == rid).removeprefix("/xl/")
        strings = [("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
                   for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(f"{{{NS['m']}}}si")]
        cell = next(c for c in ET.fromstring(z.read(part)).iter(f"{{{NS['m']}}}c") if c.get("r") == f"{col}{row}")
        if cell.get("t") == "s":
            return strings[int(cell.find("m:v", NS).text)]
        if cell.get("t") == "inlineStr":
            return "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
        return cell.find("m:v", NS).text


def test_libreoffice_loads_the_macro_library_in_vba_mode(lo_run):
    report, _ = lo_run
    assert report["vba_mode"] is True
    modules = report["modules"]["VBAProject"]
    assert set(modules) == {"ThisWorkbook", "Module_Audit", *CODE_NAMES.values()}
    # LibreOffice drops the Attribute lines and adds its own two header lines; the code is ours, line for line
    ours = [line for line in vba_sources()["Module_Audit.bas"].splitlines() if not line.startswith("Attribute ")]
    theirs = modules["Module_Audit"].splitlines()
    assert theirs[:2] == ["Rem Attribute VBA_ModuleType=VBAModule", "Option VBASupport 1"]
    assert "\n".join(theirs[2:]).rstrip("\n") == "\n".join(ours)


def test_each_button_is_bound_to_its_macro(lo_run):
    report, _ = lo_run
    bound = [(b["sheet"], b["scripts"]) for b in report["buttons"]]
    assert bound == [("Accueil", [script_url(m)]) for m in MACROS]
    assert report["buttons"][0]["label"] == "Lancer l'audit complet"


def test_a_macro_writes_a_cell_that_survives_saving(lo_run):
    report, saved = lo_run
    assert report["cell_after_macro"].startswith("Macros actives (")
    assert saved.exists()
    assert cell_text(saved, "EtatMacros") == report["cell_after_macro"]
    assert cell_text(TEMPLATE, "EtatMacros").startswith("Alt+F8")  # the shipped template is untouched


def test_convert_to_pdf(tmp_path):
    require_soffice()
    pdf = convert(TEMPLATE, "pdf", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "Audit du poste clients" in text
