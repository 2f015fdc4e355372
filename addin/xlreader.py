"""Read a live workbook through xlwings into the engine's raw tables.

Only translation lives here: each sheet's cell values are read (in chunks of :data:`CHUNK_ROWS` rows, so
a 500,000-row ``Factures`` sheet never travels as one COM call), then handed to
:func:`audit_engine.io.excel.tables_from_sheets`, the same function the headless (python-calamine)
reader uses. Header detection, column mapping and every check of the ingestion are therefore shared.

Values come as xlwings gives them: dates as ``datetime`` (classic xlwings converts Excel dates; the
remote interpreter of xlwings Lite / Server converts the ISO strings its clients send), numbers as
``float``, empty cells as ``None`` and error cells as their text (``"#N/A"``), which ingestion reports
like any other bad value.

>>> import os
>>> os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # before importing xlwings: its
'noncommercial'
>>> import xlwings as xw  # remote interpreter (xlwings PRO) needs a license key
>>> book = xw.Book(json={"client": "Office.js", "version": xw.__version__, "names": [],
...     "book": {"name": "demo.xlsx", "active_sheet_index": 0, "selection": "A1"},
...     "sheets": [{"name": "Factures", "pictures": [], "tables": [], "values": [
...         ["N° facture", "Code client", "Date facture", "Montant TTC"],
...         ["F1", "C1", "2025-01-02T00:00:00.000Z", 1200.0]]}]})
>>> raw = read_input(book)
>>> raw.tables["invoices"].frame.values.tolist()
[['F1', 'C1', datetime.datetime(2025, 1, 2, 0, 0), 1200.0]]
>>> sheet_language(book)
'fr'
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from audit_engine.io.excel import tables_from_sheets
from audit_engine.io.raw import RawInput
from audit_engine.layout.names import sheet_key
from audit_engine.schema import INVOICES, SETTINGS, match_table_name
from audit_engine.settings import settings_from_pairs

CHUNK_ROWS = 50_000


def used_extent(sheet: Any) -> tuple[int, int]:
    """(last row, last column), 1-based, of the sheet's used range; (0, 0) for an empty sheet."""
    last = sheet.used_range.last_cell
    if last.row == 1 and last.column == 1 and sheet.range((1, 1)).value is None:
        return 0, 0
    return last.row, last.column


def sheet_rows(sheet: Any, chunk_rows: int = CHUNK_ROWS) -> list[list[Any]]:
    """The sheet's values from A1 to the end of its used range, row by row (trailing empty rows
    dropped), read ``chunk_rows`` rows at a time."""
    last_row, last_col = used_extent(sheet)
    rows: list[list[Any]] = []
    for first in range(1, last_row + 1, chunk_rows):
        end = min(last_row, first + chunk_rows - 1)
        block = sheet.range((first, 1), (end, last_col)).options(ndim=2, err_to_str=True).value
        rows.extend(list(r) for r in block)
    while rows and all(v is None or v == "" for v in rows[-1]):
        rows.pop()
    return rows


def _input_sheets(book: Any) -> list[Any]:
    """The sheets worth reading, as the headless reader picks them: the known input names; every other
    sheet (result sheets excepted) only when no sheet is named like an invoice table."""
    sheets = [s for s in book.sheets if sheet_key(s.name) is None]
    known = [s for s in sheets if match_table_name(s.name) is not None]
    if any(match_table_name(s.name) == INVOICES for s in known):
        return known
    return known + [s for s in sheets if match_table_name(s.name) is None]


def read_input(book: Any, chunk_rows: int = CHUNK_ROWS) -> RawInput:
    """The workbook's input tables (``Factures``, ``Règlements``, ``Relances``, ``Clients``,
    ``Paramètres``, or sheets whose headers look like them) as a :class:`RawInput`."""
    pairs = [(s.name, sheet_rows(s, chunk_rows)) for s in _input_sheets(book)]
    raw = tables_from_sheets(book.fullname, pairs)
    return RawInput(source=raw.source, tables=raw.tables, sheets_seen=tuple(s.name for s in book.sheets))


def _settings_pairs(rows: Iterable[list[Any]]) -> list[tuple[Any, Any]]:
    return [(r[0], r[1]) for r in rows if len(r) >= 2 and isinstance(r[0], str)]


def sheet_language(book: Any) -> str:
    """The language chosen in ``Paramètres`` ("fr" unless it says "en"), read before anything else so
    that even an error about the input sheets is shown in that language."""
    for s in book.sheets:
        if match_table_name(s.name) == SETTINGS:
            try:
                settings, _ = settings_from_pairs(_settings_pairs(sheet_rows(s)))
            except Exception:  # a damaged settings sheet must not hide the real error
                return "fr"
            return "en" if settings.lang == "en" else "fr"
    return "fr"


def read_sheet_values(book: Any, name: str) -> list[list[Any]] | None:
    """The values of sheet ``name`` (e.g. the previous action plan, for
    :func:`audit_engine.layout.tracking.read_tracking`), or None when the book has no such sheet."""
    for s in book.sheets:
        if s.name.casefold() == name.casefold():
            return sheet_rows(s)
    return None
