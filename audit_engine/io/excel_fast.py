"""The fast path for big .xlsx/.xlsm workbooks: fastexcel reads the input sheets straight into Arrow.

fastexcel (Rust, calamine underneath) returns a sheet starting at its first non-empty cell; to keep
the row numbers of the findings exact, the first row holding a value is read from the start of the
sheet's XML (a few kilobytes, never the whole sheet). Any doubt (no fastexcel, an .xlsb/.xls/.ods
file, an unusual package) returns None and the calamine reader is used.

>>> first_value_row(b'<sheetData><row r="1"><c r="A1" s="3"/></row><row r="3"><c r="B3" t="s"><v>0</v></c>')
3
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from ..schema import INVOICES, match_table_name
from .excel import HEADER_SCAN_ROWS, classify
from .raw import RawInput, RawTable, _dedupe

_FIRST_VALUE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="[A-Z]+(\d+)"[^>]*?(?<!/)>\s*(?:<(?:\w+:)?f\b.*?</(?:\w+:)?f>\s*)?'
                          rb'<(?:\w+:)?(?:v|is)\b', re.S)
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"', re.S)
_REL2 = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"', re.S)


def first_value_row(xml_start: bytes) -> int | None:
    """The Excel row number of the first cell holding a value, from the start of a sheet's XML."""
    m = _FIRST_VALUE.search(xml_start)
    return int(m.group(1)) if m else None


def _unescape(name: bytes) -> str:
    import html

    return html.unescape(name.decode("utf-8"))


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    wb = z.read("xl/workbook.xml")
    rels = z.read("xl/_rels/workbook.xml.rels")
    targets = {rid.decode(): t.decode() for rid, t in _REL.findall(rels)}
    targets.update({rid.decode(): t.decode() for t, rid in _REL2.findall(rels)})
    out = {}
    for name, rid in _SHEET.findall(wb):
        target = targets.get(rid.decode())
        if target is None:
            continue
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out[_unescape(name)] = part
    return out


def _sheet_head(z: zipfile.ZipFile, part: str) -> bytes:
    with z.open(part) as fh:
        return fh.read(4_000_000)


_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*>(.*?)</(?:\w+:)?row>', re.S)
_ATTR_R = re.compile(rb'\br="([A-Z]+)\d+"')
_ATTR_T = re.compile(rb'\bt="(\w+)"')
_V = re.compile(rb'<(?:\w+:)?v>(.*?)</(?:\w+:)?v>', re.S)
_T = re.compile(rb'<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>', re.S)


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _shared_strings(z: zipfile.ZipFile, needed: set[int]) -> dict[int, str] | None:
    """The shared strings of the given indices, reading sharedStrings.xml only as far as needed."""
    import html
    import xml.etree.ElementTree as ET

    names = [n for n in z.namelist() if n.lower().endswith("sharedstrings.xml")]
    if not names:
        return None
    out: dict[int, str] = {}
    last = max(needed)
    index = 0
    with z.open(names[0]) as fh:
        for _event, elem in ET.iterparse(fh, events=("end",)):
            if elem.tag.endswith("}si") or elem.tag == "si":
                if index in needed:
                    out[index] = html.unescape("".join(t.text or "" for t in elem.iter() if t.tag.endswith("}t")))
                index += 1
                elem.clear()
                if index > last:
                    break
    return out if needed <= out.keys() else None


def head_rows(z: zipfile.ZipFile, head: bytes, start: int, count: int) -> list[list[object]] | None:
    """The values of the first ``count`` rows from ``start``, read from the sheet XML (None if unsure)."""
    import html

    parsed: list[tuple[int, list[tuple[int, bytes, bytes]]]] = []
    for m in _ROW.finditer(head):
        r = int(m.group(1))
        if r < start:
            continue
        if r >= start + count:
            break
        cells = []
        for c in _CELL.finditer(m.group(2)):
            ref = _ATTR_R.search(c.group(1))
            if ref is None:
                return None
            kind = _ATTR_T.search(c.group(1))
            cells.append((_col_index(ref.group(1)), kind.group(1) if kind else b"n", c.group(2) or b""))
        parsed.append((r, cells))
    if not parsed:
        return None
    needed = {int(_V.search(body).group(1)) for _, cells in parsed for _, k, body in cells
              if k == b"s" and _V.search(body)}
    strings = _shared_strings(z, needed) if needed else {}
    if strings is None:
        return None
    first_col = min((c for _, cells in parsed for c, _, _ in cells), default=0)
    rows: list[list[object]] = []
    for r, cells in parsed:
        while len(rows) < r - start:
            rows.append([])
        row: list[object] = []
        for col, kind, body in cells:
            if kind == b"s":
                v = _V.search(body)
                value: object = strings[int(v.group(1))] if v else None
            elif kind == b"inlineStr":
                value = html.unescape(b"".join(_T.findall(body)).decode("utf-8"))
            else:
                v = _V.search(body)
                value = html.unescape(v.group(1).decode("utf-8")) if v else None
            while len(row) < col - first_col:
                row.append(None)
            row.append(value)
        rows.append(row)
    return rows


def read_workbook_fast(path: Path) -> RawInput | None:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return None
    try:
        import fastexcel
    except ImportError:
        return None
    import logging

    logging.getLogger("fastexcel").setLevel(logging.ERROR)  # "falling back to string" notes are expected
    try:
        with zipfile.ZipFile(path) as z:
            parts = _sheet_parts(z)
            reader = fastexcel.read_excel(str(path))
            names = list(reader.sheet_names)
            known = [n for n in names if match_table_name(n) is not None]
            candidates = known if any(match_table_name(n) == INVOICES for n in known) else names
            tables: dict[str, RawTable] = {}
            for name in candidates:
                if name not in parts:
                    return None
                xml_head = _sheet_head(z, parts[name])
                start = first_value_row(xml_head)
                if start is None:
                    continue  # an empty sheet
                rows = head_rows(z, xml_head, start, HEADER_SCAN_ROWS)
                if rows is None:  # unusual XML: let fastexcel read the top rows (slower: a full parse)
                    head = reader.load_sheet_by_name(name, header_row=None, n_rows=HEADER_SCAN_ROWS,
                                                     dtypes="string").to_pandas()
                    rows = [[None if pd.isna(v) else v for v in r] for r in head.itertuples(index=False)]
                table, idx = classify(name, rows)
                if table is None or idx is None or table in tables:
                    continue
                sheet = reader.load_sheet_by_name(name, header_row=idx)
                frame = sheet.to_pandas()
                frame.columns = _dedupe(["" if str(c).startswith("__UNNAMED__") else str(c).strip()
                                         for c in frame.columns])
                header_row = start + idx
                row_numbers = np.arange(header_row + 1, header_row + 1 + len(frame), dtype=np.int64)
                tables[table] = RawTable(table, name, str(path), frame, row_numbers, header_row)
    except Exception:  # noqa: BLE001 - any surprise: the calamine reader, slower but exact, decides
        return None
    if INVOICES not in tables:
        return None
    return RawInput(source=str(path), tables=tables, sheets_seen=tuple(names))
