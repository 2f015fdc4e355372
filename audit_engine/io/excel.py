"""Read the input sheets of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) with python-calamine.

The file is only ever read. Sheets are recognised by their name (``Factures``, ``Invoices``...) or,
failing that, by their headers; the header row is the first of the top rows whose cells name known
columns (so a title above the table is fine). Result sheets written by the audit are ignored.

>>> from pathlib import Path
>>> # read_workbook(Path("workbook_template.xlsm")).tables.keys() -> invoices, payments, ...
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import UnreadableFileError
from ..schema import INVOICES, SETTINGS, TABLES, match_header, match_table_name, required_columns
from .raw import RawInput, RawTable

HEADER_SCAN_ROWS = 30
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".xltx", ".xltm"}


def find_header_row(rows: Sequence[Sequence[object]], table: str) -> int | None:
    """Index of the header row in the first rows: the first row naming at least two known columns
    (one for a settings table), preferring one that has all the required columns."""
    best = None
    need = 1 if table == SETTINGS else 2
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        keys = {match_header(table, c) for c in row if c not in (None, "")} - {None}
        if len(keys) >= need:
            if set(required_columns(table)) <= keys:
                return i
            if best is None:
                best = i
    return best


def classify(name: str, rows: Sequence[Sequence[object]]) -> tuple[str | None, int | None]:
    """(table, header row index) of a sheet: by its name first, else by its headers."""
    table = match_table_name(name)
    if table is not None:
        return table, find_header_row(rows, table)
    for candidate in TABLES:
        if candidate == SETTINGS:
            continue
        idx = find_header_row(rows, candidate)
        if idx is not None:
            keys = {match_header(candidate, c) for c in rows[idx]} - {None}
            if set(required_columns(candidate)) <= keys:
                return candidate, idx
    return None, None


def tables_from_sheets(source: str, sheets: Sequence[tuple[str, Sequence[Sequence[object]]]]) -> RawInput:
    """Build a :class:`RawInput` from ``(sheet name, rows)`` pairs; shared by every workbook reader
    (calamine here, xlwings in the add-in). The first sheet recognised for a table wins."""
    tables: dict[str, RawTable] = {}
    for name, rows in sheets:
        table, header_idx = classify(name, rows)
        if table is None or header_idx is None or table in tables:
            continue
        body = rows[header_idx:]
        tables[table] = RawTable.from_rows(table, name, source, body, header_row=header_idx + 1)
    return RawInput(source=source, tables=tables, sheets_seen=tuple(n for n, _ in sheets))


def read_workbook(path: Path) -> RawInput:
    """Read every sheet that looks like an input table (fastexcel into Arrow when it can keep the row
    numbers exact, python-calamine otherwise)."""
    from .excel_fast import read_workbook_fast

    fast = read_workbook_fast(path)
    if fast is not None:
        return fast
    try:
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)
    except Exception as exc:  # calamine raises its own error types for corrupt/unsupported files
        raise UnreadableFileError(file=str(path), detail=str(exc) or type(exc).__name__) from exc

    def sheet_rows(name: str) -> list[list[object]]:
        return wb.get_sheet_by_name(name).to_python(skip_empty_area=False)

    # Only read the sheets that can matter: known names first, others only if no invoice sheet is named.
    known = [n for n in names if match_table_name(n) is not None]
    pairs = [(n, sheet_rows(n)) for n in known]
    if not any(match_table_name(n) == INVOICES for n in known):
        pairs += [(n, sheet_rows(n)) for n in names if n not in known]
    result = tables_from_sheets(str(path), pairs)
    return RawInput(source=result.source, tables=result.tables, sheets_seen=tuple(names))
