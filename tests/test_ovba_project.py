"""The VBA project writer: olevba and olefile read back what it writes, byte for byte."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oletools.olevba import VBA_Parser

from audit_engine.io.ovba import (
    BASE_WORKBOOK,
    CLASS,
    DOCUMENT,
    STANDARD,
    Module,
    ProjectReference,
    RegisteredReference,
    build_vba_project,
    cfb,
    decompress,
    document_module,
    module_from_bas,
    read_compound_file,
    read_vba_project,
    write_compound_file,
)
from audit_engine.io.ovba.project import PROJECT_ID, decrypt, encrypt
from audit_engine.io.ovba.reader import dir_records

STANDARD_BAS = ('Attribute VB_Name = "Module_Test"\n'
                "' Accents : é è à ç « » €\n"
                "Option Explicit\n\n"
                "Public Sub Bonjour()\n"
                '    MsgBox "Déjà prêt ?"\n'
                "End Sub\n")
CLASS_CLS = ("VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
             'Attribute VB_Name = "Compteur"\n'
             'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\n'
             "Attribute VB_GlobalNameSpace = False\nAttribute VB_Creatable = False\n"
             "Attribute VB_PredeclaredId = False\nAttribute VB_Exposed = False\n"
             "Private n As Long\nPublic Function Suivant() As Long\n    n = n + 1: Suivant = n\nEnd Function\n")
REFERENCES = (
    RegisteredReference("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
                                  r"C:\Windows\System32\stdole2.tlb#OLE Automation"),
    ProjectReference("xlwings", r"*\CC:\addins\xlwings.xlam", r"*\Cxlwings.xlam", 1761496125, 12),
)


@pytest.fixture(scope="module")
def modules() -> list[Module]:
    return [document_module("ThisWorkbook", BASE_WORKBOOK), document_module("Feuil1"),
            module_from_bas(STANDARD_BAS), module_from_bas(CLASS_CLS)]


@pytest.fixture(scope="module")
def project(modules) -> bytes:
    return build_vba_project(modules, REFERENCES)


@pytest.fixture(scope="module")
def xlsm(tmp_path_factory, project) -> Path:
    """The project inside a minimal .xlsm written by XlsxWriter, as olevba meets it in practice."""
    import xlsxwriter

    path = tmp_path_factory.mktemp("ovba") / "test.xlsm"
    wb = xlsxwriter.Workbook(str(path))
    wb.set_vba_name("ThisWorkbook")
    wb.add_worksheet("Feuil1").set_vba_name("Feuil1")
    wb.add_vba_project(io.BytesIO(project), is_stream=True)
    wb.close()
    return path


def test_olevba_extracts_every_module_byte_for_byte(xlsm, modules):
    parser = VBA_Parser(str(xlsm))
    try:
        assert parser.detect_vba_macros()
        extracted = {Path(vba_filename).stem: code for _, _, vba_filename, code in parser.extract_macros()}
    finally:
        parser.close()
    assert set(extracted) == {m.name for m in modules}
    for m in modules:
        assert extracted[m.name].encode("cp1252") == m.text_bytes(1252), m.name


def test_olefile_reads_the_compound_file_strictly(project):
    ole = olefile.OleFileIO(project, raise_defects=olefile.DEFECT_INCORRECT)
    assert sorted("/".join(p) for p in ole.listdir()) == [
        "PROJECT", "PROJECTwm", "VBA/Compteur", "VBA/Feuil1", "VBA/Module_Test", "VBA/ThisWorkbook",
        "VBA/_VBA_PROJECT", "VBA/dir"]
    assert ole.openstream("VBA/_VBA_PROJECT").read() == bytes.fromhex("cc61ffff000000")


def test_dir_stream_parses_back(project, modules):
    tree = read_compound_file(project)
    records = dir_records(decompress(tree["VBA"]["dir"]))
    ids = [r for r, _ in records]
    assert ids[:5] == [0x0001, 0x004A, 0x0002, 0x0014, 0x0003]  # syskind, compat, lcid, lcid invoke, code page
    values = dict(records)
    assert struct.unpack("<H", values[0x0003]) == (1252,)
    assert values[0x0004] == b"VBAProject"
    assert ids[-1] == 0x0010 and ids.count(0x002B) == len(modules)
    assert [p for r, p in records if r == 0x0019] == [m.name.encode() for m in modules]
    module_types = [r for r in ids if r in (0x0021, 0x0022)]
    assert module_types == [0x0022, 0x0022, 0x0021, 0x0022]


def test_reader_gives_back_names_kinds_references_and_sources(project, modules):
    info = read_vba_project(project)
    assert [(m.name, m.kind) for m in info.modules] == [
        ("ThisWorkbook", DOCUMENT), ("Feuil1", DOCUMENT), ("Module_Test", STANDARD), ("Compteur", CLASS)]
    assert info.references == REFERENCES
    for m, written in zip(info.modules, modules, strict=True):
        assert m.source_bytes == written.text_bytes(1252)
    assert "Class=Compteur" in info.project_text and "Document=Feuil1/&H00000000" in info.project_text


def test_project_stream_says_unlocked_no_password_visible(project):
    text = read_vba_project(project).project_text
    fields = dict(line.split("=", 1) for line in text.splitlines() if line[:3] in ("CMG", "DPB", "GC="))
    assert decrypt(fields["CMG"].strip('"')) == b"\x00\x00\x00\x00"
    assert decrypt(fields["DPB"].strip('"')) == b"\x00"
    assert decrypt(fields["GC"].strip('"')) == b"\xff"


def test_decrypts_excel_written_protection_fields():
    """CMG/DPB/GC written by Excel in xlwings' quickstart.xlsm (random seeds) decode as documented."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as z:
        text = read_vba_project(z.read("xl/vbaProject.bin")).project_text
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    assert decrypt(fields["CMG"].strip('"')) == b"\x00\x00\x00\x00"
    assert decrypt(fields["GC"].strip('"')) == b"\xff"


@given(st.binary(max_size=64), st.integers(0, 255))
def test_encryption_round_trip(data, seed):
    assert decrypt(encrypt(data, PROJECT_ID, seed)) == data


def test_builds_are_deterministic(modules):
    assert build_vba_project(modules) == build_vba_project(list(modules))


@pytest.mark.parametrize("bad", [
    [Module("A", 'Attribute VB_Name = "A"\n'), Module("a", 'Attribute VB_Name = "a"\n')],
    [Module("A", 'Attribute VB_Name = "B"\n')],
    [Module("1A", 'Attribute VB_Name = "1A"\n')],
])
def test_invalid_projects_are_refused(bad):
    with pytest.raises(ValueError):
        build_vba_project(bad)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 8, 31, 100, 257])
def test_sibling_trees_are_red_black(n):
    items = [cfb._Entry(f"S{i:03d}", 2) for i in range(n)]
    for i, e in enumerate(items):
        e.index = i
    root = cfb._balanced(items, 0, cfb._depth(n))

    def black_height(i: int) -> int:
        if i == cfb.NOSTREAM:
            return 1
        e = items[i]
        left, right = black_height(e.left), black_height(e.right)
        assert left == right
        if e.color == cfb._RED:
            assert all(c == cfb.NOSTREAM or items[c].color == cfb._BLACK for c in (e.left, e.right))
        return left + (e.color == cfb._BLACK)

    black_height(root)
    assert n == 0 or items[root].color == cfb._BLACK


def test_compound_file_with_large_and_small_streams():
    tree = {"a": b"x" * 5000, "b": {"c": b"", "d": bytes(range(256)) * 20, "e": b"y" * 4095}, "f": b"z" * 70000}
    data = write_compound_file(tree)
    ole = olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT)
    assert ole.openstream("b/d").read() == tree["b"]["d"]
    assert ole.openstream("f").read() == tree["f"]
    assert read_compound_file(data) == {"a": tree["a"], "b": tree["b"], "f": tree["f"]}
