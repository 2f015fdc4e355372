"""The report layout as plain data: which sheet, which block at which cell, which chart over which range.

Computed once from the :class:`~audit_engine.report.AuditReport` by :func:`audit_engine.layout.build_layout`
and applied by thin writers (:mod:`audit_engine.io.xlsx_layout` with XlsxWriter, the add-in with xlwings).
Nothing here knows a spreadsheet library: rows and columns are 0-based integers, every cell value is a
Python scalar (``str``, ``float``, ``int``, ``datetime.date`` or ``None``) and formatting is a name from
the closed vocabulary :data:`STYLES` that each writer maps to its own formats.

A writer writes every ``str`` as text, never as a formula, whatever its first character.

>>> t = Table(4, 1, "AP1_aging", (Column("bucket", "Tranche", "text"), Column("amount", "Montant", "amount")),
...           (("Non échu", 500.0), ("1 à 30 j", 900.0)))
>>> t.ref(), t.data_range("amount")
('B5:C7', (5, 2, 6, 2))
>>> RangeRef("5. Plan d'action", 5, 2, 6, 2).a1()
"'5. Plan d''action'!$C$6:$C$7"
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

Value = Union[str, float, int, dt.date, None]  # noqa: UP007 - a runtime alias

# Cell styles. Values: amount (EUR), date, days, share (fraction 0..1 shown as %), int, rate (a percentage
# number such as 12.15), text, wrap (long text, wrapped), center (short centred text). Presentation: title, subtitle (block heading),
# header (column heading), label (key-figure label), strong (bold text), note (small grey text), link,
# status_green / status_orange / status_red (coloured status cells).
STYLES = ("title", "subtitle", "header", "label", "strong", "amount", "date", "days", "share", "int", "rate",
          "text", "wrap", "center", "status_green", "status_orange", "status_red", "link", "note")
VALUE_STYLES = ("amount", "date", "days", "share", "int", "rate", "text", "wrap", "center")
# Conditional-format styles (a fill and font colour applied when the rule holds).
CF_STYLES = ("status_red", "status_orange", "status_green", "muted")
CF_OPS = (">", ">=", "<", "<=", "==", "!=", "between")
CHART_KINDS = ("column", "bar", "line", "pie", "combo")
DEFAULT_ROW_POINTS = 15.0


def col_letter(col: int) -> str:
    """0 -> "A", 27 -> "AB"."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_a1(row: int, col: int, absolute: bool = False) -> str:
    """(4, 1) -> "B5"; absolute -> "$B$5"."""
    d = "$" if absolute else ""
    return f"{d}{col_letter(col)}{d}{row + 1}"


def quote_sheet(name: str) -> str:
    """A sheet name as a formula or link prefix: quoted, apostrophes doubled."""
    return "'" + name.replace("'", "''") + "'"


@dataclass(frozen=True)
class RangeRef:
    """A rectangle of one sheet, 0-based and inclusive."""

    sheet: str
    row0: int
    col0: int
    row1: int
    col1: int

    def a1(self) -> str:
        return f"{quote_sheet(self.sheet)}!{cell_a1(self.row0, self.col0, True)}:{cell_a1(self.row1, self.col1, True)}"

    def rows(self) -> int:
        return self.row1 - self.row0 + 1


@dataclass(frozen=True)
class Text:
    """One text cell; long text overflows into the empty cells on its right."""

    row: int
    col: int
    text: str
    style: str = "text"


@dataclass(frozen=True)
class Cells:
    """A grid of values from (row, col); ``styles`` has the same shape ("" = no format, the cell stays
    empty when its value is None). ``name`` says what the block is ("key_figures", "period"...);
    ``row_keys`` names each row (e.g. the KPI it shows) for readers and tests."""

    row: int
    col: int
    values: tuple[tuple[Value, ...], ...]
    styles: tuple[tuple[str, ...], ...]
    name: str = ""
    row_keys: tuple[str | None, ...] = ()

    @property
    def last_row(self) -> int:
        return self.row + len(self.values) - 1

    @property
    def last_col(self) -> int:
        return self.col + max((len(r) for r in self.values), default=1) - 1

    def value(self, key: str, offset: int = 0) -> Value:
        """The first non-empty value at or after column ``offset`` of the row named ``key``."""
        row = self.values[self.row_keys.index(key)]
        return next((v for v in row[1 + offset:] if v is not None), None)


@dataclass(frozen=True)
class Link:
    """An internal hyperlink to cell A1 (or ``target_cell``) of another sheet."""

    row: int
    col: int
    text: str
    target_sheet: str
    target_cell: str = "A1"
    style: str = "link"

    def location(self) -> str:
        return f"{quote_sheet(self.target_sheet)}!{self.target_cell}"


@dataclass(frozen=True)
class Column:
    """A table column: ``key`` (the engine's column), ``header``, ``style`` (a value style), an explicit
    ``width``, ``total`` ("sum" = SUBTOTAL in the total row, "label" = the total row's label),
    ``choices`` (a drop-down list), ``user`` (a column the user fills in)."""

    key: str
    header: str
    style: str = "text"
    width: float | None = None
    total: str | None = None
    choices: tuple[str, ...] = ()
    user: bool = False


@dataclass(frozen=True)
class CondFormat:
    """Conditional format on the data rows of one table column: when ``cell <op> value`` (or between
    ``value`` and ``value2``) holds, apply ``style`` (one of :data:`CF_STYLES`). Blank cells never match
    "between" (Excel reads them as 0), so date rules use it."""

    column: str
    op: str
    value: Value
    style: str = "status_red"
    value2: Value = None


@dataclass(frozen=True)
class Table:
    """An Excel table (ListObject) with a header row at ``row``, data below, and an optional total row.

    ``totals`` (same length as ``columns``) holds the total row's values: the label text, the totals
    computed by the audit (written as the cached value of a SUBTOTAL formula), None elsewhere."""

    row: int
    col: int
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    totals: tuple[Value, ...] | None = None
    conditional: tuple[CondFormat, ...] = ()
    header_lines: int = 1

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.header for c in self.columns)

    @property
    def last_row(self) -> int:
        return self.row + len(self.rows) + (1 if self.totals is not None else 0)

    @property
    def last_col(self) -> int:
        return self.col + len(self.columns) - 1

    def index(self, key: str) -> int:
        return self.keys.index(key)

    def ref(self) -> str:
        return f"{cell_a1(self.row, self.col)}:{cell_a1(self.last_row, self.last_col)}"

    def data_range(self, key: str, first: int | None = None) -> tuple[int, int, int, int]:
        """(row0, col, row1, col) of the data cells of column ``key`` (the first ``first`` rows)."""
        c = self.col + self.index(key)
        n = len(self.rows) if first is None else min(first, len(self.rows))
        return self.row + 1, c, self.row + n, c

    def column_values(self, key: str) -> list[Value]:
        i = self.index(key)
        return [r[i] for r in self.rows]


@dataclass(frozen=True)
class Series:
    """One chart series: its name, the cells it reads, its kind inside a combo chart ("column", "line"),
    the secondary axis, a colour ("#RRGGBB"), one colour per point (``points``) and data labels."""

    name: str
    values: RangeRef
    kind: str | None = None
    secondary: bool = False
    color: str | None = None
    labels: bool = False
    points: tuple[str | None, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A native chart over sheet ranges, its top-left corner at cell (row, col) (+ ``x_offset`` pixels),
    size in pixels.

    ``kind`` is one of :data:`CHART_KINDS`; "combo" draws each series with its own ``kind`` (a Pareto:
    columns + a cumulative line on the secondary axis). ``y_format`` / ``y2_format`` / ``x_format`` are
    value styles for the axes' numbers ("amount", "share", "days", "month"...)."""

    name: str
    kind: str
    title: str
    categories: RangeRef
    series: tuple[Series, ...]
    row: int
    col: int
    width: int = 560
    height: int = 300
    x_title: str | None = None
    y_title: str | None = None
    y2_title: str | None = None
    y_format: str | None = None
    y2_format: str | None = None
    x_format: str | None = None
    legend: str = "bottom"  # "bottom" | "right" | "top" | "none"
    y2_max: float | None = None
    x_offset: int = 0  # pixels from the left edge of the anchor cell


Block = Union[Text, Cells, Link, Table]  # noqa: UP007


@dataclass(frozen=True)
class SheetLayout:
    """One result sheet. ``column_widths[i]`` is the width of column i in characters (Excel units);
    ``row_heights`` the rows whose height is set, in points; ``freeze`` = (rows, cols) frozen at the top
    left; page setup: landscape A4, fit to one page wide."""

    name: str
    key: str
    tab_color: str
    column_widths: tuple[float, ...]
    blocks: tuple[Block, ...]
    charts: tuple[Chart, ...] = ()
    freeze: tuple[int, int] | None = None
    row_heights: tuple[tuple[int, float], ...] = ()
    landscape: bool = True
    fit_width: bool = True
    hide_gridlines: bool = True

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def table(self, name_suffix: str) -> Table:
        """The table whose name ends with ``_<name_suffix>``."""
        return next(t for t in self.tables() if t.name.endswith("_" + name_suffix))

    def cells(self, name: str) -> Cells:
        return next(b for b in self.blocks if isinstance(b, Cells) and b.name == name)

    def links(self) -> list[Link]:
        return [b for b in self.blocks if isinstance(b, Link)]

    def texts(self) -> list[Text]:
        return [b for b in self.blocks if isinstance(b, Text)]


@dataclass(frozen=True)
class WorkbookLayout:
    """The result sheets in workbook order, in one language."""

    lang: str
    sheets: tuple[SheetLayout, ...]
    title: str = ""
    meta: dict[str, Value] = field(default_factory=dict, compare=False)

    def sheet(self, key: str) -> SheetLayout:
        return next(s for s in self.sheets if s.key == key)

    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.sheets)


# --- pixels (Excel's default font, Calibri 11) --------------------------------------------------------

def column_px(width: float) -> int:
    """Pixels of a column ``width`` characters wide (Excel's conversion, as XlsxWriter does it)."""
    if width <= 0:
        return 0
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


def row_px(points: float = DEFAULT_ROW_POINTS) -> int:
    return int(4.0 / 3.0 * points)
