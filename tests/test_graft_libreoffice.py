"""The grafted workbook in LibreOffice (headless): it opens without repair, converts to PDF with the
charts drawn, keeps its macros and buttons; a workbook LibreOffice saved (buttons in the newer
``ctrlProps`` + ``<controls>`` form) is grafted without losing a part, and a grafted workbook that
LibreOffice re-saved is still recognised (the marker names survive). Skipped locally without
LibreOffice, failed in CI."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from lo_helpers import LO_DIR, convert, require_soffice, run_uno_script
from package_compare import (
    PIE_RGB,
    SERIES_RGB,
    WORKBOOK_LEVEL,
    changed_user_parts,
    excel_like,
    graft_problems,
    make_results,
    parts,
    sheet_names,
)

from audit_engine.io.graft import graft_sheets
from audit_engine.io.graft_parts import closure
from audit_engine.io.graft_workbook import parse_workbook
from audit_engine.io.package import Package
from audit_engine.io.template import build_template
from audit_engine.io.workbook_writer import result_sheets

RESULTS = ["Synthèse", "Balance âgée"]
LO_XLSM = "xlsm:Calc MS Excel 2007 VBA XML"  # the filter that keeps the VBA project


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    invoices = pd.DataFrame({"N° facture": ["F-001", "F-002"], "Code client": ["C1", "C2"],
                             "Date facture": [dt.date(2025, 1, 2)] * 2, "Montant TTC": [1200.0, 530.25]})
    return build_template(tmp_path_factory.mktemp("tpl") / "Classeur.xlsm", {"invoices": invoices},
                          {"as_of": dt.date(2025, 3, 31)})


@pytest.fixture(scope="module")
def grafted(template, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("grafted") / "Classeur.xlsm"
    graft_sheets(template, make_results(), out, replace=RESULTS)
    return out


@pytest.fixture(scope="module")
def saved_by_libreoffice(template, tmp_path_factory) -> Path:
    require_soffice()
    return convert(template, LO_XLSM, tmp_path_factory.mktemp("lo_saved"))


def pixels(ppm: bytes, rgb: tuple[int, int, int]) -> int:
    """Pixels close to the colour ``rgb`` in a binary PPM (P6) image."""
    head = ppm.split(b"\n", 3)
    assert head[0] == b"P6" and head[2] == b"255"
    data, (r0, g0, b0) = head[3], rgb
    return sum(1 for i in range(0, len(data) - 2, 3)
               if abs(data[i] - r0) < 40 and abs(data[i + 1] - g0) < 40 and abs(data[i + 2] - b0) < 40)


@pytest.mark.parametrize("kind", ["template", "excel_like"])
def test_the_grafted_workbook_converts_to_pdf_with_its_charts(require_libreoffice, template, kind, tmp_path):
    """Both charts are drawn, the pie's ranges included when they had to follow "Synthèse (2)"."""
    user = template if kind == "template" else excel_like(tmp_path / "Classeur.xlsx")
    grafted = tmp_path / "out" / user.name
    grafted.parent.mkdir()
    graft_sheets(user, make_results(), grafted, replace=RESULTS)
    pdf = convert(grafted, "pdf", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        for expected in ("Voir la balance âgée", "=1+1", "@SOMME(A1)", "Date d'arrêté", "31/03/2025", "Tranche"):
            assert expected in text
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
        pages = [p.read_bytes() for p in tmp_path.glob("page*.ppm")]
        assert sum(pixels(p, SERIES_RGB) for p in pages) > 100  # the column chart's bars
        assert sum(pixels(p, PIE_RGB) for p in pages) > 100  # the pie's first slice


def test_macros_and_buttons_still_work_after_the_graft(require_libreoffice, grafted, tmp_path):
    require_soffice(uno=True)
    url = "vnd.sun.star.script:VBAProject.Module_Audit.VerifierMacros?language=Basic&location=document"
    report = run_uno_script(LO_DIR / "check_template.py", str(grafted), str(tmp_path / "saved.xlsm"), url)
    assert report["vba_mode"] is True and "Module_Audit" in report["modules"]["VBAProject"]
    assert len(report["buttons"]) == 7 and all(len(b["scripts"]) == 1 for b in report["buttons"])
    assert report["cell_after_macro"].startswith("Macros actives (")


def test_a_workbook_saved_by_libreoffice_loses_nothing(saved_by_libreoffice, tmp_path):
    src = saved_by_libreoffice
    newer_form = [n for n in parts(src) if n.startswith("xl/ctrlProps/")]
    assert newer_form and b"<controls>" in parts(src)["xl/worksheets/sheet1.xml"]
    first, second = tmp_path / "1.xlsm", tmp_path / "2.xlsm"
    graft_sheets(src, make_results(), first, replace=RESULTS)
    graft_sheets(first, make_results(), second, replace=RESULTS)
    assert graft_problems(src, second) == []
    assert parts(first) == parts(second)


def test_results_survive_a_save_by_libreoffice_and_are_replaced_next_run(require_libreoffice, grafted, tmp_path):
    resaved = convert(grafted, LO_XLSM, tmp_path / "lo")
    assert result_sheets(resaved) == RESULTS  # LibreOffice kept the sheet-scoped marker names
    again = tmp_path / "again.xlsm"
    graft_sheets(resaved, make_results(), again, replace=RESULTS)
    assert sheet_names(again) == sheet_names(resaved)
    assert result_sheets(again) == RESULTS
    with Package.open(resaved) as pkg:  # the parts of our previous sheets (as LibreOffice wrote them) go
        book = parse_workbook(pkg.read("xl/workbook.xml"))
        targets = {r.id: r.target for r in pkg.rels("xl/workbook.xml")}
        ours = set(closure(pkg, [targets[s.rid] for s in book.sheets if s.name in RESULTS]))
    ours |= {f"{p.rsplit('/', 1)[0]}/_rels/{p.rsplit('/', 1)[1]}.rels" for p in ours}
    assert changed_user_parts(resaved, again, WORKBOOK_LEVEL | ours) == []
    pdf = convert(again, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
