"""The graft writer: result sheets go into the user's own package and nothing of the user's is lost.

Every user workbook kind (the template filled in, with a customUI ribbon, with xlwings Lite's code,
with custom document properties, an Excel-like file with mc:Ignorable and the user's own "Synthèse")
is grafted, re-run, cleared, and compared part by part with :func:`package_compare.graft_problems`.
The LibreOffice checks (buttons in the newer form, PDF rendering) are in test_graft_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from package_compare import (
    excel_like,
    graft_problems,
    make_results,
    move_sheet,
    parts,
    prefixed,
    rename_sheet,
    rewrite,
    sheet_names,
    values,
    with_custom_properties,
    with_custom_ui,
    with_lite_parts,
)

from audit_engine.errors import NotWritableError, UnreadableFileError, WorkbookLockedError
from audit_engine.io import package as package_module
from audit_engine.io.graft import GraftError, graft_sheets, parse_marker, remove_sheets
from audit_engine.io.graft_parts import closure
from audit_engine.io.graft_sheets import transform_sheet
from audit_engine.io.package import Package, write_package
from audit_engine.io.template import build_template
from audit_engine.io.workbook_writer import clear_results, result_sheets, write_results

RESULTS = ["Synthèse", "Balance âgée"]
TEMPLATE_SHEETS = ["Accueil", "Factures", "Règlements", "Relances", "Clients", "Paramètres", "xlwings.conf"]


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("users")
    invoices = pd.DataFrame({"N° facture": ["F-001", "=1+1", "F-003"], "Code client": ["C1", "C2", "C1"],
                             "Date facture": [dt.date(2025, 1, 2), dt.date(2025, 1, 15), dt.date(2025, 2, 1)],
                             "Montant TTC": [1200.0, -80.5, 530.25]})
    clients = pd.DataFrame({"Code client": ["C1", "C2"], "Client": ["Dupont SARL", "Martin & Fils"]})
    template = build_template(folder / "template.xlsm", {"invoices": invoices, "clients": clients},
                              {"as_of": dt.date(2025, 3, 31)})
    return {"template": template,
            "custom_ui": with_custom_ui(template, folder / "custom_ui.xlsm"),
            "lite": with_lite_parts(template, folder / "lite.xlsm"),
            "custom_props": with_custom_properties(template, folder / "custom_props.xlsm"),
            "excel_like": excel_like(folder / "excel_like.xlsx"),
            "prefixed": prefixed(folder / "excel_like.xlsx", folder / "prefixed.xlsx")}


@pytest.fixture(scope="module")
def results() -> bytes:
    return make_results()


def copy(src: Path, folder: Path, name: str | None = None) -> Path:
    dst = folder / (name or src.name)
    shutil.copy(src, dst)
    return dst


@pytest.mark.parametrize("kind", ["template", "custom_ui", "lite", "custom_props", "excel_like", "prefixed"])
def test_graft_keeps_every_part_of_the_user(workbooks, results, tmp_path, kind):
    src = workbooks[kind]
    out = tmp_path / f"out{src.suffix}"
    done = graft_sheets(src, results, out, replace=RESULTS)
    assert graft_problems(src, out) == []
    expected = ["Synthèse" if kind.startswith(("template", "custom", "lite")) else "Synthèse (2)", "Balance âgée"]
    assert done.sheets == tuple(expected) and sheet_names(out) == sheet_names(src) + expected
    standalone = tmp_path / "results.xlsx"
    standalone.write_bytes(results)
    assert list(values(out, expected).values()) == list(values(standalone).values())


def test_the_extra_parts_survive_byte_for_byte(workbooks, results, tmp_path):
    """customUI ribbon, xlwings Lite's code, custom properties, VBA project and legacy buttons."""
    for kind, extra in [("custom_ui", "customUI/customUI14.xml"), ("lite", "xl/webextensions/webextension1.xml"),
                        ("custom_props", "docProps/custom.xml")]:
        out = tmp_path / f"{kind}.xlsm"
        graft_sheets(workbooks[kind], results, out, replace=RESULTS)
        before, after = parts(workbooks[kind]), parts(out)
        for name in (extra, "_rels/.rels", "xl/vbaProject.bin", "xl/drawings/vmlDrawing1.vml"):
            assert after[name] == before[name], name
    assert b'name="main.py"' in parts(tmp_path / "lite.xlsm")["xl/webextensions/webextension1.xml"]
    assert b"macroEnabled.main+xml" in parts(tmp_path / "lite.xlsm")["[Content_Types].xml"]


def test_reruns_are_idempotent_and_clear_restores_the_user_package(workbooks, results, tmp_path):
    src = workbooks["template"]
    runs = [src]
    for n in range(3):
        runs.append(tmp_path / f"run{n + 1}.xlsm")
        graft_sheets(runs[-2], results, runs[-1], replace=RESULTS)
    assert sheet_names(runs[3]) == TEMPLATE_SHEETS + RESULTS
    assert parts(runs[1]) == parts(runs[2]) == parts(runs[3])  # the same bytes, part for part
    assert graft_problems(src, runs[3]) == []
    cleared = tmp_path / "cleared.xlsm"
    assert remove_sheets(runs[3], cleared).removed == tuple(RESULTS)
    before, after = parts(src), parts(cleared)
    assert sorted(after) == sorted(before)
    # everything back as it was, byte for byte, but styles.xml, which keeps the appended (unused) formats
    assert [n for n in before if before[n] != after[n]] == ["xl/styles.xml"]
    assert graft_problems(src, cleared) == []


def test_a_user_sheet_named_like_ours_is_never_touched(workbooks, results, tmp_path):
    src = workbooks["excel_like"]
    first, second, cleared = tmp_path / "1.xlsx", tmp_path / "2.xlsx", tmp_path / "c.xlsx"
    graft_sheets(src, results, first, replace=RESULTS)
    graft_sheets(first, results, second, replace=RESULTS)
    assert sheet_names(second) == ["Factures", "Synthèse", "Synthèse (2)", "Balance âgée"]
    text = parts(second)
    # references to our renamed sheet follow it: chart ranges, hyperlinks; the user's are untouched
    charts = b"".join(v for k, v in text.items() if k.startswith("xl/charts/"))
    assert b"<c:f>'Synth\xc3\xa8se (2)'!$B$3:$B$4</c:f>" in charts
    assert "location=\"'Synthèse (2)'!A1\"" in text["xl/worksheets/sheet4.xml"].decode()
    assert text["xl/worksheets/sheet2.xml"] == parts(src)["xl/worksheets/sheet2.xml"]
    assert clear_results(second, output=cleared).removed == ("Synthèse (2)", "Balance âgée")
    assert sheet_names(cleared) == ["Factures", "Synthèse"]
    assert values(cleared) == values(src)
    for part in ("xl/workbook.xml", "docProps/app.xml", "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"):
        assert parts(cleared)[part] == parts(src)[part], part


def test_renamed_or_copied_result_sheets_become_the_users(workbooks, results, tmp_path):
    first = tmp_path / "1.xlsm"
    graft_sheets(workbooks["template"], results, first, replace=RESULTS)
    kept = rename_sheet(first, tmp_path / "kept.xlsm", "Synthèse", "Synthèse mars")
    assert result_sheets(kept) == ["Balance âgée"]
    second = tmp_path / "2.xlsm"
    graft_sheets(kept, results, second, replace=RESULTS)
    assert sheet_names(second) == TEMPLATE_SHEETS + ["Synthèse mars", "Synthèse", "Balance âgée"]
    with Package.open(kept) as pkg:  # the kept sheet's parts (its pie chart...) are the user's now
        mine = closure(pkg, ["xl/worksheets/sheet8.xml"])
    assert len(mine) == 3 and all(parts(second)[p] == parts(kept)[p] for p in mine)
    assert sorted(n for n in parts(second) if n.startswith("xl/charts/")) == [
        "xl/charts/chart1.xml", "xl/charts/chart2.xml", "xl/charts/chart3.xml"]


def test_new_sheets_take_the_place_of_the_old_ones(workbooks, results, tmp_path):
    first = tmp_path / "1.xlsm"
    graft_sheets(workbooks["template"], results, first, replace=RESULTS)
    moved = move_sheet(move_sheet(first, tmp_path / "m1.xlsm", "Balance âgée", 0), tmp_path / "m2.xlsm", "Synthèse", 2)
    assert sheet_names(moved)[:4] == ["Balance âgée", "Accueil", "Synthèse", "Factures"]
    second = tmp_path / "2.xlsm"
    graft_sheets(moved, make_results(extra_sheet=True), second, replace=RESULTS)
    # each result sheet where the user put it; the new one right after the result sheet before it
    assert sheet_names(second)[:5] == ["Balance âgée", "Accueil", "Synthèse", "Nouvelle", "Factures"]
    assert graft_problems(workbooks["template"], second) == []
    cleared = tmp_path / "c.xlsm"
    remove_sheets(second, cleared)  # sheet positions shift: the scoped names follow their sheets
    assert sheet_names(cleared) == TEMPLATE_SHEETS
    assert graft_problems(workbooks["template"], cleared) == []


def test_active_tab_and_selection_stay_with_the_users_sheet(workbooks, results, tmp_path):
    out = tmp_path / "out.xlsx"
    graft_sheets(workbooks["excel_like"], results, out, replace=RESULTS)
    text = parts(out)
    assert 'activeTab="1"' in text["xl/workbook.xml"].decode()
    grafted = [n for n in text if re.fullmatch(r"xl/worksheets/sheet[34]\.xml", n)]
    assert len(grafted) == 2 and all(b"tabSelected" not in text[n] for n in grafted)
    assert openpyxl.load_workbook(out).active.title == "Synthèse"


def test_calc_chain_is_kept_when_adding_and_dropped_when_removing(workbooks, results, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    graft_sheets(workbooks["excel_like"], results, first, replace=RESULTS)
    assert parts(first)["xl/calcChain.xml"] == parts(workbooks["excel_like"])["xl/calcChain.xml"]
    graft_sheets(first, results, second, replace=RESULTS)
    text = parts(second)
    assert "xl/calcChain.xml" not in text
    assert b"calcChain" not in text["xl/_rels/workbook.xml.rels"] and b"calcChain" not in text["[Content_Types].xml"]
    assert graft_problems(workbooks["excel_like"], second, dropped=frozenset({"xl/calcChain.xml"})) == []


def test_formula_like_strings_are_written_as_text(workbooks, results, tmp_path):
    out = tmp_path / "out.xlsm"
    graft_sheets(workbooks["template"], results, out, replace=RESULTS)
    sheet = parts(out)["xl/worksheets/sheet8.xml"].decode()
    for text in ("=1+1", "+33 6 12", "-12%", "@SOMME(A1)"):
        cell = re.search(rf'<c r="A\d+"[^>]*><is><t>{re.escape(text)}</t></is></c>', sheet)
        assert cell is not None and 't="inlineStr"' in cell.group(0), text
    assert "<f>" not in sheet and 't="s"' not in sheet
    assert '<t xml:space="preserve">  espaces  </t>' in sheet
    ws = openpyxl.load_workbook(out)["Synthèse"]
    assert [(ws[f"A{r}"].value, ws[f"A{r}"].data_type) for r in (5, 6, 7, 8, 9)] == [
        ("=1+1", "s"), ("+33 6 12", "s"), ("-12%", "s"), ("@SOMME(A1)", "s"), ("  espaces  ", "s")]


def test_formats_tables_and_charts_come_through(workbooks, results, tmp_path):
    out = tmp_path / "out.xlsx"
    graft_sheets(workbooks["excel_like"], results, out, replace=RESULTS)
    wb = openpyxl.load_workbook(out)  # a second parser reads it all
    summary, aging = wb["Synthèse (2)"], wb["Balance âgée"]
    assert summary["B3"].number_format == '#,##0.00 "€"' and summary["B11"].number_format == "dd/mm/yyyy"
    assert summary["A1"].font.b and summary["A1"].fill.fgColor.rgb == "FFDDEBF7"
    assert summary["B11"].value == dt.datetime(2025, 3, 31)
    assert summary.conditional_formatting and len(summary._charts) == 1 and len(aging._charts) == 1
    # the user's table is called tblBalance: ours gets a free name and id, and our formula follows it
    assert list(aging.tables) == ["tblBalance_2"] and list(wb["Factures"].tables) == ["tblBalance"]
    assert aging["B9"].value == "=SUM(tblBalance_2[Montant])"
    ids = [re.search(rb' id="(\d+)"', v).group(1) for k, v in parts(out).items() if k.startswith("xl/tables/")]
    assert sorted(ids) == [b"1", b"2"]
    dxfs = parts(out)["xl/styles.xml"].decode()
    assert re.search(r'<dxfs count="(\d+)">', dxfs).group(1) == "3"


def test_styles_are_appended_once(workbooks, results, tmp_path):
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    graft_sheets(workbooks["excel_like"], results, first, replace=RESULTS)
    graft_sheets(first, results, second, replace=RESULTS)
    assert parts(second)["xl/styles.xml"] == parts(first)["xl/styles.xml"]
    numfmts = re.search(r"<numFmts .*?</numFmts>", parts(first)["xl/styles.xml"].decode()).group(0)
    assert numfmts.count('formatCode="#,##0.00 &quot;€&quot;"') == 1  # the user's "€" format differs: "\ "


def test_marker_is_a_hidden_sheet_scoped_name(workbooks, results, tmp_path):
    out = tmp_path / "out.xlsm"
    graft_sheets(workbooks["template"], results, out, replace=RESULTS)
    marks = re.findall(r'<definedName name="_AuditPosteClients" localSheetId="(\d)" hidden="1">([^<]*)<',
                       parts(out)["xl/workbook.xml"].decode())
    assert [(int(i), parse_marker(v.replace("&quot;", '"'))) for i, v in marks] == [
        (7, ("Synthèse", "Synthèse")), (8, ("Balance âgée", "Balance âgée"))]


def test_sheet_rewrite_handles_any_attribute_order_and_keeps_text():
    """The fast path is XlsxWriter's layout; another order, a prefix, or text holding ' s="1"' take
    the general path, and text is never altered."""
    strings = ["<x:t>a</x:t>", '<x:t xml:space="preserve"> s="1" </x:t>']
    sheet = (b'<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1" s="1" customFormat="1"><x:c t="s" s="1" r="A1">'
             b'<x:v> 1 </x:v></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>b s="1"</x:t></x:is></x:c><x:c r="C1" s="1"'
             b'><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    out = transform_sheet(sheet, strings=strings, xf_map={1: 5}).decode()
    assert out == ('<x:worksheet xmlns:x="m"><x:sheetData><x:row r="1" s="5" customFormat="1"><x:c t="inlineStr" '
                   's="5" r="A1"><x:is><x:t xml:space="preserve"> s="1" </x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is>'
                   '<x:t>b s="1"</x:t></x:is></x:c><x:c r="C1" s="5"><x:v>2</x:v></x:c></x:row></x:sheetData>'
                   '</x:worksheet>')


def test_zip_writer_copies_entries_raw(tmp_path):
    """A data-descriptor entry (flag bit 3) and a stored entry are copied with the same compressed
    bytes; zip64 records when forced; both read back by zipfile."""
    class Stream(io.RawIOBase):  # not seekable: zipfile writes data descriptors
        def __init__(self) -> None:
            self.data = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, b) -> int:
            self.data += b
            return len(b)

    stream = Stream()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/big.xml", "<row>1</row>" * 50_000)
        z.writestr(zipfile.ZipInfo("stored.bin"), bytes(range(256)), compress_type=zipfile.ZIP_STORED)
    source = Package.open(bytes(stream.data))
    assert source.info("xl/big.xml").flag_bits & 0x8
    for force in (False, True):
        out = tmp_path / f"copy{force}.zip"
        write_package(source, out, changed={"new/é.xml": b"<x/>"}, force_zip64=force)
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None and z.namelist() == ["xl/big.xml", "stored.bin", "new/é.xml"]
            big = z.getinfo("xl/big.xml")
            assert (big.CRC, big.compress_size, big.flag_bits & 0x8) == (source.info("xl/big.xml").CRC,
                                                                          source.info("xl/big.xml").compress_size, 0)
            assert z.read("stored.bin") == bytes(range(256))
        copied = Package.open(out)
        assert raw_bytes(copied, "xl/big.xml") == raw_bytes(source, "xl/big.xml")
        if shutil.which("unzip"):  # a second reader: Info-ZIP
            assert subprocess.run(["unzip", "-tq", str(out)], capture_output=True, timeout=60).returncode == 0


def raw_bytes(pkg: Package, part: str) -> bytes:
    sink = io.BytesIO()
    pkg.copy_raw(part, sink)
    return sink.getvalue()


# --- the public entry: atomic writes and clear messages ----------------------------------------------

def test_write_results_replaces_the_workbook_atomically(workbooks, results, tmp_path):
    book = copy(workbooks["template"], tmp_path, "Classeur.xlsm")
    assert write_results(book, results, sheet_names=RESULTS).sheets == tuple(RESULTS)
    assert sheet_names(book) == TEMPLATE_SHEETS + RESULTS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Classeur.xlsm"]  # no temporary file left
    assert clear_results(book).removed == tuple(RESULTS)
    assert sheet_names(book) == TEMPLATE_SHEETS
    assert clear_results(book).removed == ()  # nothing to clear: the file is not rewritten


def test_an_interrupted_run_leaves_the_original_intact(workbooks, results, tmp_path, monkeypatch):
    book = copy(workbooks["template"], tmp_path, "Classeur.xlsm")
    original = book.read_bytes()
    calls = {"n": 0}
    real_copy = package_module.RawZipWriter.copy

    def failing_copy(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt  # the user pressed Ctrl+C half-way
        return real_copy(self, *args, **kwargs)

    monkeypatch.setattr(package_module.RawZipWriter, "copy", failing_copy)
    with pytest.raises(KeyboardInterrupt):
        write_results(book, results, sheet_names=RESULTS)
    assert book.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Classeur.xlsm"]


def test_a_failing_run_leaves_the_original_intact(workbooks, tmp_path):
    book = copy(workbooks["template"], tmp_path, "Classeur.xlsm")
    original = book.read_bytes()
    with pytest.raises(GraftError):
        write_results(book, b"PK\x03\x04 not a results package", sheet_names=RESULTS)
    assert book.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Classeur.xlsm"]


def test_a_workbook_open_in_excel_gives_a_clear_message(workbooks, results, tmp_path):
    book = copy(workbooks["template"], tmp_path, "Classeur.xlsm")
    (tmp_path / "~$Classeur.xlsm").write_bytes(b"owner")
    original = book.read_bytes()
    with pytest.raises(WorkbookLockedError) as err:
        write_results(book, results, sheet_names=RESULTS)
    assert "est ouvert dans Excel" in err.value.message("fr") and "~$Classeur.xlsm" in err.value.message("fr")
    assert book.read_bytes() == original


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_gives_a_clear_message(workbooks, results, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    book = copy(workbooks["template"], folder, "Classeur.xlsm")
    folder.chmod(0o555)
    try:
        with pytest.raises(NotWritableError):
            write_results(book, results, sheet_names=RESULTS)
    finally:
        folder.chmod(0o755)


def test_the_format_is_kept_and_bad_inputs_are_refused(workbooks, results, tmp_path):
    book = copy(workbooks["template"], tmp_path, "Classeur.xlsm")
    with pytest.raises(NotWritableError, match=r"\.xlsm"):
        write_results(book, results, output=tmp_path / "copie.xlsx", sheet_names=RESULTS)
    out = tmp_path / "copie.xlsm"
    write_results(book, results, output=out, sheet_names=RESULTS)
    assert b"macroEnabled" in parts(out)["[Content_Types].xml"] and parts(book) == parts(workbooks["template"])
    with pytest.raises(NotWritableError, match="dossier introuvable"):
        write_results(book, results, output=tmp_path / "absent" / "copie.xlsm", sheet_names=RESULTS)
    strict = rewrite(workbooks["excel_like"], tmp_path / "strict.xlsx", edit={"xl/workbook.xml": lambda d: d.replace(
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main")})
    with pytest.raises(UnreadableFileError, match="Strict"):
        write_results(strict, results, sheet_names=RESULTS)
    fake = tmp_path / "faux.xlsx"
    fake.write_text("pas un classeur")
    with pytest.raises(UnreadableFileError):
        write_results(fake, results, sheet_names=RESULTS)


def test_results_with_workbook_scoped_names_are_refused(workbooks, tmp_path):
    import xlsxwriter
    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    wb.add_worksheet("Synthèse").write(0, 0, 1)
    wb.define_name("Partout", "=Synthèse!$A$1")
    wb.close()
    with pytest.raises(GraftError, match="Partout"):
        graft_sheets(workbooks["template"], buffer.getvalue(), tmp_path / "out.xlsm")
