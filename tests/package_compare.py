"""Package helpers for tests: compare two .xlsx/.xlsm packages part by part, read what a user sees
(sheets, names, values), and build the fixtures the graft tests need (results packages made with
XlsxWriter, an Excel-like workbook written by hand, copies of a workbook with extra parts).

    before, after = parts(original), parts(grafted)
    assert unchanged_user_parts(original, grafted) == []
    assert sheet_names(grafted)[:7] == sheet_names(original)
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from xml.etree import ElementTree as ET

import python_calamine
import xlsxwriter

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
# the only parts of the user's package the graft may change
WORKBOOK_LEVEL = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "xl/styles.xml",
                  "docProps/app.xml"}
SERIES_RGB = (0xFF, 0x00, 0xFF)  # the column chart's fill: looked for in the rendered PDF
PIE_RGB = (0x00, 0xB0, 0x50)  # the first slice of the pie (its ranges name "Synthèse", renamed on a clash)


# --- reading -----------------------------------------------------------------------------------------

def parts(path: Path | bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path) as z:
        return {n: z.read(n) for n in z.namelist()}


def infos(path: Path) -> dict[str, zipfile.ZipInfo]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: i for i in z.infolist()}


def changed_user_parts(before: Path, after: Path, allowed: set[str] = WORKBOOK_LEVEL) -> list[str]:
    """The parts of ``before`` missing from ``after`` or different in it (content, or compressed bytes:
    a raw copy keeps CRC and compressed size), apart from ``allowed``."""
    a, b = infos(before), infos(after)
    bad = [n for n in a if n not in allowed and (n not in b or (a[n].CRC, a[n].compress_size, a[n].file_size)
                                                 != (b[n].CRC, b[n].compress_size, b[n].file_size))]
    pa, pb = parts(before), parts(after)
    return bad + [n for n in a if n not in allowed and n in b and pa[n] != pb[n] and n not in bad]


def workbook_xml(path: Path) -> ET.Element:
    return ET.fromstring(parts(path)["xl/workbook.xml"])


def sheet_names(path: Path) -> list[str]:
    return [s.get("name") for s in workbook_xml(path).iter(f"{{{NS['m']}}}sheet")]


def defined_names(path: Path) -> set[tuple[str, str | None, str, bool]]:
    """(name, scope sheet name or None, formula, hidden) of every defined name."""
    root = workbook_xml(path)
    names = sheet_names(path)
    out = set()
    for d in root.iter(f"{{{NS['m']}}}definedName"):
        local = d.get("localSheetId")
        out.add((d.get("name"), names[int(local)] if local is not None else None, d.text or "",
                 d.get("hidden") in ("1", "true")))
    return out


def values(path: Path, sheets: list[str] | None = None) -> dict[str, list[list[object]]]:
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    return {n: wb.get_sheet_by_name(n).to_python() for n in (sheets or wb.sheet_names)}


def style_lists(path: Path) -> dict[str, list[str]]:
    """Each list of styles.xml (fonts, cellXfs...) as the text of its elements, to compare prefixes."""
    root = ET.fromstring(parts(path)["xl/styles.xml"])
    out = {}
    for tag in ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs"):
        node = root.find(f"m:{tag}", NS)
        out[tag] = [ET.tostring(e) for e in node] if node is not None else []
    return out


def rels(path: Path, part: str) -> set[tuple[str, str, str]]:
    return {(r.get("Id"), r.get("Type"), r.get("Target")) for r in ET.fromstring(parts(path)[part])}


def content_types(path: Path) -> set[tuple[str, str, str]]:
    root = ET.fromstring(parts(path)["[Content_Types].xml"])
    return {(e.tag.split("}")[1], e.get("Extension") or e.get("PartName"), e.get("ContentType")) for e in root}


def ignorable_prefixes_declared(xml: bytes) -> bool:
    """Every prefix listed in the root's mc:Ignorable is declared on the root element."""
    root = re.search(rb"<[\w:]+\s[^>]*>", xml.split(b"?>", 1)[-1])
    assert root is not None
    listed = re.search(rb'mc:Ignorable="([^"]*)"', root.group(0))
    return all(re.search(rb"xmlns:" + p + rb'="', root.group(0)) for p in (listed.group(1).split() if listed else []))


# --- building ----------------------------------------------------------------------------------------

def make_results(*, extra_sheet: bool = False) -> bytes:
    """A results package like the renderer's: two sheets (three with ``extra_sheet``) with a table,
    charts, conditional formats, links between result sheets, dates, euros and text that looks like
    a formula."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    euro = wb.add_format({"num_format": '#,##0.00 "€"'})
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    alert = wb.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})
    summary = wb.add_worksheet("Synthèse")
    if extra_sheet:
        extra = wb.add_worksheet("Nouvelle")
        extra.write_string(0, 0, "Une feuille de plus")
    aging = wb.add_worksheet("Balance âgée")
    summary.set_column(0, 0, 24)
    summary.set_column(1, 1, 16)
    aging.set_column(0, 2, 16)
    summary.write_row(0, 0, ["Indicateur", "Valeur"], head)
    kpis = [("DSO (jours)", 45.2), ("Encours", 120000.5), ("Échu", 30500.25), ("=1+1", 1), ("+33 6 12", 2),
            ("-12%", 3), ("@SOMME(A1)", 4), ("  espaces  ", 5)]
    for row, (label, value) in enumerate(kpis, start=1):
        summary.write_string(row, 0, label)
        summary.write_number(row, 1, value, euro)
    summary.write_string(10, 0, "Date d'arrêté")
    summary.write_datetime(10, 1, dt.datetime(2025, 3, 31), day)
    summary.write_url(11, 0, "internal:'Balance âgée'!A1", string="Voir la balance âgée")
    summary.conditional_format("B2:B4", {"type": "cell", "criteria": ">", "value": 100000, "format": alert})
    pie = wb.add_chart({"type": "pie"})
    pie.add_series({"name": "Encours", "categories": "=Synthèse!$A$3:$A$4", "values": "=Synthèse!$B$3:$B$4",
                    "points": [{"fill": {"color": "#00B050"}}, {"fill": {"color": "#FFC000"}}]})
    summary.insert_chart("D2", pie)
    rows = [["0-30 j", 52000.0, 0.43], ["31-60 j", 31000.0, 0.26], ["61-90 j", 21000.0, 0.18], ["> 90 j", 16000.5, 0.13]]
    aging.add_table(0, 0, len(rows) + 1, 2, {
        "name": "tblBalance", "data": rows, "total_row": True, "style": "Table Style Medium 2",
        "columns": [{"header": "Tranche", "total_string": "Total"},
                    {"header": "Montant", "format": euro, "total_function": "sum"},
                    {"header": "Part", "format": wb.add_format({"num_format": "0%"})}]})
    aging.conditional_format("B2:B5", {"type": "data_bar", "bar_color": "#638EC6"})
    aging.write_string(8, 0, "Total (formule)")
    aging.write_formula(8, 1, "=SUM(tblBalance[Montant])", euro, 120000.5)
    aging.write_url(9, 0, "internal:'Synthèse'!A1", string="Retour à la synthèse")
    column = wb.add_chart({"type": "column"})
    column.add_series({"name": "Montant", "categories": "='Balance âgée'!$A$2:$A$5",
                       "values": "='Balance âgée'!$B$2:$B$5", "fill": {"color": "#FF00FF"}})
    column.set_title({"name": "Balance âgée"})
    aging.insert_chart("E2", column)
    aging.autofilter("A12:B14")
    aging.write_row(11, 0, ["Client", "Retard"], head)
    wb.close()
    return out.getvalue()


def rewrite(src: Path, dst: Path, add: Mapping[str, bytes] | None = None,
            edit: Mapping[str, Callable[[bytes], bytes]] | None = None) -> Path:
    """Copy the package ``src`` to ``dst`` with parts added (``add``) or edited (``edit``)."""
    add, edit = dict(add or {}), dict(edit or {})
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, edit[info.filename](data) if info.filename in edit else data,
                          compress_type=zipfile.ZIP_DEFLATED)
        for name, data in add.items():
            zout.writestr(name, data)
    return dst


def _insert(tag: bytes, xml: bytes) -> Callable[[bytes], bytes]:
    return lambda data: data.replace(b"</" + tag + b">", xml + b"</" + tag + b">")


def with_custom_ui(src: Path, dst: Path) -> Path:
    ui = (b'<customUI xmlns="http://schemas.microsoft.com/office/2009/07/customui"><ribbon><tabs>'
          b'<tab id="tabAudit" label="Audit"><group id="g" label="Poste clients"><button id="run" label="Lancer" '
          b'onAction="LancerAuditComplet" size="large" imageMso="HappyFace"/></group></tab></tabs></ribbon></customUI>')
    rel = (b'<Relationship Id="rIdUI" Type="http://schemas.microsoft.com/office/2007/relationships/ui/extensibility" '
           b'Target="customUI/customUI14.xml"/>')
    return rewrite(src, dst, add={"customUI/customUI14.xml": ui}, edit={"_rels/.rels": _insert(b"Relationships", rel)})


def with_lite_parts(src: Path, dst: Path) -> Path:
    """xlwings Lite's code in the workbook (webextension + task pane), as XLWINGS.md describes."""
    code = "import xlwings as xw\\n\\n@xw.script\\ndef hello(book: xw.Book):\\n    book.sheets[0][&quot;A1&quot;].value = 1\\n"
    ext = ('<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" '
           'id="{6F2D2B4E-5C42-4B1A-9E0B-3C1F2A1B7D11}"><we:reference id="wa200008175" version="1.0.0.0" '
           'store="fr-FR" storeType="OMEX"/><we:alternateReferences/><we:properties>'
           f'<we:property name="main.py" value="&quot;{code}&quot;"/>'
           '<we:property name="requirements.txt" value="&quot;xlwings==0.33.0\\n&quot;"/>'
           '</we:properties><we:bindings/><we:snapshot xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
           '2006/relationships"/></we:webextension>').encode()
    panes = (b'<wetp:taskpanes xmlns:wetp="http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11">'
             b'<wetp:taskpane dockstate="right" visibility="0" width="350" row="4"><wetp:webextensionref '
             b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
             b'</wetp:taskpane></wetp:taskpanes>')
    panes_rels = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
                  b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
                  b'microsoft.com/office/2011/relationships/webextension" Target="webextension1.xml"/></Relationships>')
    rel = (b'<Relationship Id="rIdWe" Type="http://schemas.microsoft.com/office/2011/relationships/'
           b'webextensiontaskpanes" Target="xl/webextensions/taskpanes.xml"/>')
    types = (b'<Override PartName="/xl/webextensions/taskpanes.xml" ContentType="application/vnd.ms-office.'
             b'webextensiontaskpanes+xml"/><Override PartName="/xl/webextensions/webextension1.xml" '
             b'ContentType="application/vnd.ms-office.webextension+xml"/>')
    return rewrite(src, dst, add={"xl/webextensions/webextension1.xml": ext, "xl/webextensions/taskpanes.xml": panes,
                                  "xl/webextensions/_rels/taskpanes.xml.rels": panes_rels},
                   edit={"_rels/.rels": _insert(b"Relationships", rel), "[Content_Types].xml": _insert(b"Types", types)})


def with_custom_properties(src: Path, dst: Path) -> Path:
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.'
              'openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.'
              'org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" '
              'pid="2" name="Dossier"><vt:lpwstr>Clôture 2025</vt:lpwstr></property></Properties>').encode()
    rel = (b'<Relationship Id="rIdCustom" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           b'custom-properties" Target="docProps/custom.xml"/>')
    types = (b'<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.'
             b'custom-properties+xml"/>')
    return rewrite(src, dst, add={"docProps/custom.xml": custom},
                   edit={"_rels/.rels": _insert(b"Relationships", rel), "[Content_Types].xml": _insert(b"Types", types)})


def move_sheet(src: Path, dst: Path, name: str, position: int) -> Path:
    """Move a sheet as Excel does: the <sheet> elements reordered and every localSheetId followed."""
    def edit(data: bytes) -> bytes:
        text = data.decode()
        block = re.search(r"<sheets>(.*?)</sheets>", text)
        assert block is not None
        tags = re.findall(r"<sheet\b[^>]*/>", block.group(1))
        old = [re.search(r'name="([^"]*)"', t).group(1) for t in tags]
        i = old.index(name.replace("&", "&amp;"))
        order = list(range(len(tags)))
        order.insert(position, order.pop(i))
        new_index = {o: n for n, o in enumerate(order)}
        text = text[:block.start(1)] + "".join(tags[o] for o in order) + text[block.end(1):]
        text = re.sub(r'localSheetId="(\d+)"', lambda m: f'localSheetId="{new_index[int(m.group(1))]}"', text)
        return text.encode()
    return rewrite(src, dst, edit={"xl/workbook.xml": edit})


def rename_sheet(src: Path, dst: Path, old: str, new: str) -> Path:
    """Rename a sheet in workbook.xml (as a user would in Excel: its scoped names stay with it)."""
    return rewrite(src, dst, edit={"xl/workbook.xml": lambda d: d.replace(f'name="{old}"'.encode(),
                                                                          f'name="{new}"'.encode(), 1)})


# --- an Excel-like workbook, written by hand as Excel 365 writes it ------------------------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_MC = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
_X14AC = 'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"'
_XR = ('xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
       'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2" '
       'xmlns:xr3="http://schemas.microsoft.com/office/spreadsheetml/2016/revision3"')
_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml."


def excel_like_parts() -> dict[str, str]:
    """Factures (a table named like ours, a formula in calcChain) and the user's own sheet "Synthèse"
    (active, with a sheet-scoped name); mc:Ignorable everywhere; French docProps/app.xml."""
    sheet_head = (f'<worksheet {_MAIN} {_R} {_MC} mc:Ignorable="x14ac xr xr2 xr3" {_X14AC} {_XR} '
                  'xr:uid="{{{uid}}}"><dimension ref="{ref}"/><sheetViews><sheetView {sel}workbookViewId="0"/>'
                  '</sheetViews><sheetFormatPr defaultRowHeight="15" x14ac:dyDescent="0.25"/><sheetData>')
    return {
        "[Content_Types].xml": _XML + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_CT}sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_CT}worksheet+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{_CT}worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_CT}styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT}sharedStrings+xml"/>'
            f'<Override PartName="/xl/calcChain.xml" ContentType="{_CT}calcChain+xml"/>'
            f'<Override PartName="/xl/tables/table1.xml" ContentType="{_CT}table+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-'
            'properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": _XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId3" Type="{_T}extended-properties" Target="docProps/app.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId1" Type="{_T}officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": _XML + (
            f'<workbook {_MAIN} {_R} {_MC} mc:Ignorable="x15 xr xr6 xr10 xr2" '
            'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main" '
            'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" '
            'xmlns:xr6="http://schemas.microsoft.com/office/spreadsheetml/2016/revision6" '
            'xmlns:xr10="http://schemas.microsoft.com/office/spreadsheetml/2016/revision10" '
            'xmlns:xr2="http://schemas.microsoft.com/office/spreadsheetml/2015/revision2">'
            '<fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27425"/>'
            '<workbookPr defaultThemeVersion="166925"/><xr:revisionPtr revIDLastSave="0" '
            'documentId="8_{5E1F2C7A-0B7D-4F33-9C1A-1D2E3F4A5B6C}" xr6:coauthVersionLast="47" '
            'xr6:coauthVersionMax="47" xr10:uidLastSave="{00000000-0000-0000-0000-000000000000}"/>'
            '<bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840" '
            'activeTab="1" xr2:uid="{3B4C5D6E-7F80-4192-A3B4-C5D6E7F80912}"/></bookViews><sheets>'
            '<sheet name="Factures" sheetId="1" r:id="rId1"/><sheet name="Synthèse" sheetId="3" r:id="rId2"/>'
            '</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">'
            'Synthèse!$A$1:$B$3</definedName><definedName name="Total">Factures!$B$4</definedName>'
            '</definedNames><calcPr calcId="191029"/><extLst><ext uri="{140A7094-0E35-4892-8432-C4D2E57EDEB5}" '
            'xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main"><x15:workbookPr '
            'chartTrackingRefBase="1"/></ext></extLst></workbook>'),
        "xl/_rels/workbook.xml.rels": _XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId3" Type="{_T}styles" Target="styles.xml"/>'
            f'<Relationship Id="rId2" Type="{_T}worksheet" Target="worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId1" Type="{_T}worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId5" Type="{_T}calcChain" Target="calcChain.xml"/>'
            f'<Relationship Id="rId4" Type="{_T}sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": _XML + sheet_head.format(uid="00000000-0001-0000-0000-000000000000", ref="A1:B4",
                                                              sel="") + (
            '<row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
            '</row><row r="2" spans="1:2" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>100'
            '</v></c></row><row r="3" spans="1:2" x14ac:dyDescent="0.25"><c r="A3" t="s"><v>3</v></c><c r="B3" s="1">'
            '<v>200.5</v></c></row><row r="4" spans="1:2" x14ac:dyDescent="0.25"><c r="B4" s="1"><f>SUM(B2:B3)</f>'
            '<v>300.5</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
            'header="0.3" footer="0.3"/><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>'),
        "xl/worksheets/_rels/sheet1.xml.rels": _XML + (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{_T}table" Target="../tables/table1.xml"/></Relationships>'),
        "xl/tables/table1.xml": _XML + (
            f'<table {_MAIN} {_MC} mc:Ignorable="xr xr3" {_XR} id="1" xr:uid="{{8A1B2C3D-0000-4000-8000-000000000001}}" '
            'name="tblBalance" displayName="tblBalance" ref="A1:B3" totalsRowShown="0"><autoFilter ref="A1:B3" '
            'xr:uid="{8A1B2C3D-0000-4000-8000-000000000002}"/><tableColumns count="2"><tableColumn id="1" '
            'xr3:uid="{8A1B2C3D-0000-4000-8000-000000000003}" name="N° facture"/><tableColumn id="2" '
            'xr3:uid="{8A1B2C3D-0000-4000-8000-000000000004}" name="Montant TTC"/></tableColumns><tableStyleInfo '
            'name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" '
            'showColumnStripes="0"/></table>'),
        "xl/worksheets/sheet2.xml": _XML + sheet_head.format(uid="00000000-0001-0000-0100-000000000000", ref="A1:B3",
                                                              sel='tabSelected="1" ') + (
            '<row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>4</v></c><c r="B1" t="s"><v>5</v></c>'
            '</row><row r="2" spans="1:2" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>6</v></c><c r="B2"><v>42</v></c>'
            '</row><row r="3" spans="1:2" x14ac:dyDescent="0.25"><c r="A3" t="s"><v>7</v></c><c r="B3" t="s"><v>8'
            '</v></c></row></sheetData><autoFilter ref="A1:B3" xr:uid="{0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0}"/>'
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>'),
        "xl/sharedStrings.xml": _XML + (
            f'<sst {_MAIN} count="9" uniqueCount="9"><si><t>N° facture</t></si><si><t>Montant TTC</t></si><si><t>F-001'
            '</t></si><si><t>F-002</t></si><si><t>Mes notes</t></si><si><t>Valeur</t></si><si><t>Objectif DSO</t>'
            '</si><si><t>Remarque</t></si><si><t xml:space="preserve">=à garder tel quel </t></si></sst>'),
        "xl/calcChain.xml": _XML + f'<calcChain {_MAIN}><c r="B4" i="1"/></calcChain>',
        "xl/styles.xml": _XML + (
            f'<styleSheet {_MAIN} {_MC} mc:Ignorable="x14ac x16r2 xr" {_X14AC} '
            'xmlns:x16r2="http://schemas.microsoft.com/office/spreadsheetml/2015/02/main" '
            'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00\\ &quot;€&quot;"/></numFmts>'
            '<fonts count="1" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/>'
            '<family val="2"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill '
            'patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1">'
            '<border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf '
            'numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" '
            'xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" '
            'builtinId="0"/></cellStyles><dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" '
            'defaultPivotStyle="PivotStyleLight16"/><extLst><ext uri="{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}" '
            'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:slicerStyles '
            'defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst></styleSheet>'),
        "docProps/core.xml": _XML + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Comptable</dc:creator>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-06T08:00:00Z</dcterms:created></cp:coreProperties>'),
        "docProps/app.xml": _XML + (
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>Microsoft '
            'Excel</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector '
            'size="4" baseType="variant"><vt:variant><vt:lpstr>Feuilles de calcul</vt:lpstr></vt:variant><vt:variant>'
            '<vt:i4>2</vt:i4></vt:variant><vt:variant><vt:lpstr>Plages nommées</vt:lpstr></vt:variant><vt:variant>'
            '<vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="3" '
            'baseType="lpstr"><vt:lpstr>Factures</vt:lpstr><vt:lpstr>Synthèse</vt:lpstr><vt:lpstr>Total</vt:lpstr>'
            '</vt:vector></TitlesOfParts><AppVersion>16.0300</AppVersion></Properties>'),
    }


def excel_like(path: Path) -> Path:
    """The Excel-like workbook, with the Office theme (taken from an XlsxWriter file: Excel writes one,
    and LibreOffice draws automatic chart colours from it)."""
    theme = parts(make_results())["xl/theme/theme1.xml"]
    files = {k: v.encode("utf-8") for k, v in excel_like_parts().items()} | {"xl/theme/theme1.xml": theme}
    files["xl/_rels/workbook.xml.rels"] = _insert(b"Relationships", (
        f'<Relationship Id="rId6" Type="{_T}theme" Target="theme/theme1.xml"/>').encode())(
        files["xl/_rels/workbook.xml.rels"])
    files["[Content_Types].xml"] = _insert(b"Types", b'<Override PartName="/xl/theme/theme1.xml" ContentType="'
                                           b'application/vnd.openxmlformats-officedocument.theme+xml"/>')(
        files["[Content_Types].xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return path


# --- the whole check -----------------------------------------------------------------------------------

def graft_problems(before: Path, after: Path, dropped: frozenset[str] = frozenset()) -> list[str]:
    """What the graft lost or altered of the user's package ``before`` in ``after`` (empty: nothing).

    Parts other than the workbook-level ones must be byte-identical and raw-copied; in the
    workbook-level ones the user's sheets (in order), defined names, relationships, content types and
    styles (as a prefix of each list) must all be there; the user's values must read the same.
    ``dropped`` lists parts allowed to go (calcChain.xml)."""
    problems = [f"part lost or altered: {n}" for n in changed_user_parts(before, after, WORKBOOK_LEVEL | dropped)]
    originals = parts(before)
    with zipfile.ZipFile(after) as z:
        if z.testzip() is not None:
            problems.append("bad CRC in the written zip")
        for name in z.namelist():  # what the graft wrote is well-formed (the user's parts are as they were)
            if name.endswith((".xml", ".rels", ".vml")) and z.read(name) != originals.get(name):
                try:
                    ET.fromstring(z.read(name))
                except ET.ParseError as exc:
                    problems.append(f"{name} is not well-formed: {exc}")
    old_sheets, new_sheets = sheet_names(before), sheet_names(after)
    if [s for s in new_sheets if s in old_sheets] != old_sheets:
        problems.append(f"user sheets lost or reordered: {old_sheets} -> {new_sheets}")
    if not defined_names(before) <= defined_names(after):
        problems.append(f"defined names lost: {defined_names(before) - defined_names(after)}")
    kept_rels = {r for r in rels(before, "xl/_rels/workbook.xml.rels") if not r[1].endswith("/calcChain")}
    if not kept_rels <= rels(after, "xl/_rels/workbook.xml.rels"):
        problems.append("workbook relationships lost")
    kept_types = {t for t in content_types(before) if t[1].lstrip("/") not in dropped}
    if not kept_types <= content_types(after):
        problems.append(f"content types lost: {kept_types - content_types(after)}")
    for tag, items in style_lists(before).items():
        if style_lists(after)[tag][:len(items)] != items:
            problems.append(f"styles: the user's {tag} changed")
    for part in ("xl/workbook.xml", "xl/styles.xml"):
        if not ignorable_prefixes_declared(parts(after)[part]):
            problems.append(f"{part}: a prefix of mc:Ignorable is no longer declared")
    if values(before) != values(after, old_sheets):
        problems.append("the values of the user's sheets changed")
    return problems


def prefixed(src: Path, dst: Path) -> Path:
    """The workbook with its SpreadsheetML parts written with an ``x:`` prefix (as the Open XML SDK and
    some ERP exports write them) instead of the default namespace."""
    main = NS["m"]

    def edit(data: bytes) -> bytes:
        text = data.decode("utf-8").replace(f'xmlns="{main}"', f'xmlns:x="{main}"')
        return re.sub(r"<(/?)(?![?!])([A-Za-z][\w.]*)(?=[\s/>])", r"<\1x:\2", text).encode("utf-8")

    with zipfile.ZipFile(src) as z:
        names = [n for n in z.namelist() if n.startswith("xl/") and n.endswith(".xml") and f'xmlns="{main}"'.encode()
                 in z.read(n)]
    return rewrite(src, dst, edit={n: edit for n in names})
