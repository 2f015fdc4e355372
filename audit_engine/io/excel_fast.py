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


def _start_row(z: zipfile.ZipFile, part: str) -> int | None:
    with z.open(part) as fh:
        head = fh.read(4_000_000)
    return first_value_row(head)


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
                start = _start_row(z, parts[name])
                if start is None:
                    continue  # an empty sheet
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
