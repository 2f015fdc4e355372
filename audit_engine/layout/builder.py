"""``SheetBuilder`` stacks blocks down a result sheet (content starts in column B, column A is a narrow
margin), puts charts beside the tables they read, sizes the columns from their content and gives wrapped
text its row height; ``header`` and ``frame_table`` are the blocks every section sheet uses.

Detail tables are cut at :data:`~audit_engine.layout.common.MAX_TABLE_ROWS` rows (10,000: an Excel table
of that size opens, filters and is written quickly; the rows kept are the first in the engine's order, which
puts the largest or oldest items first), with a note under the table giving the full count; the JSON
(``--json``) has the totals.

>>> b = SheetBuilder("Synthèse", "summary", "#1F3864", "fr", "AP0")
>>> t = b.table("demo", [Column("x", "Montant", "amount")], [(1234.5,)], title="Démo")
>>> t.ref(), b.build().column_widths[:2]
('B2:B3', (2.0, 12.0))
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from ..i18n import has, t
from ..sections.base import ColumnSpec
from .common import Context, KeyFigure, frame_rows, lt, scalar, value_width, wrapped_lines
from .geometry import block_bounds
from .model import (
    DEFAULT_ROW_POINTS,
    Cells,
    Chart,
    Column,
    CondFormat,
    Link,
    RangeRef,
    SheetLayout,
    Table,
    Text,
    Value,
)

MARGIN = 1  # content starts in column B
LABEL_SPAN = 3  # key-figure labels run over columns B..D, their value sits in E
SCAN_ROWS = 5_000  # rows scanned to size a text column
MAX_TEXT_WIDTH = 48.0
CHART_ROW_PX = 20


class SheetBuilder:
    """Stacks blocks down a sheet from the top and returns the frozen :class:`SheetLayout`."""

    def __init__(self, name: str, key: str, tab_color: str, lang: str, prefix: str):
        self.name, self.key, self.tab_color, self.lang, self.prefix = name, key, tab_color, lang, prefix
        self.row = 0
        self.blocks: list[Any] = []
        self.charts: list[Chart] = []
        self.needs: dict[int, float] = {0: 2.0}
        self.fixed: dict[int, float] = {0: 2.0}
        self.spans: list[tuple[int, int, float]] = []
        self.header_rows: list[tuple[int, Table]] = []
        self.heights: dict[int, float] = {}

    # --- placing blocks ---------------------------------------------------------------------------
    def gap(self, rows: int = 1) -> None:
        self.row += rows

    def text(self, text: str, style: str = "text", col: int = MARGIN) -> Text:
        block = Text(self.row, col, text, style)
        self.blocks.append(block)
        self.row += 1
        if style == "title":
            self.heights[block.row] = 24.0
        return block

    def link(self, text: str, target: str, col: int = MARGIN) -> Link:
        block = Link(self.row, col, text, target)
        self.blocks.append(block)
        self.row += 1
        return block

    def cells(self, values: Sequence[Sequence[Value]], styles: Sequence[Sequence[str]], name: str,
              row_keys: Sequence[str | None] = (), col: int = MARGIN, span: int = 1,
              size_from: int = 0) -> Cells:
        """A grid; the first column's text overflows over ``span`` columns; columns from ``size_from``
        on count when sizing the sheet's columns."""
        block = Cells(self.row, col, tuple(tuple(r) for r in values), tuple(tuple(s) for s in styles), name,
                      tuple(row_keys))
        self.blocks.append(block)
        for r, s in zip(block.values, block.styles, strict=True):
            for j, (v, st) in enumerate(zip(r, s, strict=True)):
                if j == 0 and span > 1:
                    self.spans.append((col, col + span - 1, value_width(v, st) + 1))
                elif j >= size_from and st not in ("note", "title", "subtitle", "wrap"):
                    self._need(col + j, value_width(v, st) + 2)
        self.row = block.last_row + 1
        return block

    def key_figures(self, figures: Sequence[KeyFigure], name: str = "key_figures") -> Cells:
        """Label over B..D, value in E, remark in F (overflowing right); a figure of style "heading" is a
        group heading (bold label, no value, no row key)."""
        values: list[list[Value]] = []
        styles: list[list[str]] = []
        for f in figures:
            if f.style == "heading":
                values.append([f.label])
                styles.append(["strong"])
            else:
                style = "center" if f.style == "text" else f.style
                values.append([f.label, None, None, scalar(f.value, f.style), f.remark])
                styles.append(["label", "", "", style, "note"])
        keys = [None if f.style == "heading" else f.key for f in figures]
        return self.cells(values, styles, name, keys, span=LABEL_SPAN, size_from=3)

    def table(self, name: str, columns: Sequence[Column], rows: Sequence[tuple[Value, ...]], *,
              title: str | None = None, note: str | None = None, total: int | None = None,
              conditional: Sequence[CondFormat] = (), totals: Sequence[Value] | None = None,
              empty: str | None = None) -> Table | None:
        """A titled Excel table; ``total`` = the full row count when ``rows`` was cut. No rows: the
        ``empty`` note (or nothing) instead of a table."""
        if title:
            self.text(title, "subtitle")
        if note:
            self.text(note, "note")
        if not rows:
            if empty:
                self.text(empty, "note")
            self.gap()
            return None
        table = Table(self.row, MARGIN, f"{self.prefix}_{name}", tuple(columns), tuple(tuple(r) for r in rows),
                      None if totals is None else tuple(totals), tuple(conditional))
        self.blocks.append(table)
        self._size_table(table)
        self.row = table.last_row + 1
        if total is not None and total > len(rows):
            self.text(lt("truncated", self.lang, shown=f"{len(rows):,}".replace(",", " "),
                         total=f"{total:,}".replace(",", " ")), "note")
        self.gap()
        return table

    def chart_beside(self, block: Any, chart: Chart, top: int | None = None) -> Chart:
        """Place ``chart`` 24 pixels right of ``block``, from row ``top`` (default: the block's first
        row), and move the cursor below it."""
        r0, _, _, c1 = block_bounds(block)
        row = r0 if top is None else top
        placed = Chart(**{**chart.__dict__, "row": row, "col": c1 + 1, "x_offset": 24})
        self.charts.append(placed)
        self.row = max(self.row, row + math.ceil(placed.height / CHART_ROW_PX) + 2)
        return placed

    def chart_below(self, chart: Chart) -> Chart:
        placed = Chart(**{**chart.__dict__, "row": self.row, "col": MARGIN})
        self.charts.append(placed)
        self.row += math.ceil(placed.height / CHART_ROW_PX) + 2
        return placed

    # --- sizing ----------------------------------------------------------------------------------
    def _need(self, col: int, width: float) -> None:
        self.needs[col] = max(self.needs.get(col, 0.0), min(width, MAX_TEXT_WIDTH))

    def fix_width(self, col: int, width: float) -> None:
        self.fixed[col] = width

    def _size_table(self, table: Table) -> None:
        data = list(zip(*table.rows, strict=True))  # one tuple per column
        for j, column in enumerate(table.columns):
            c = table.col + j
            if column.width is not None:
                self.fixed[c] = max(self.fixed.get(c, 0.0), column.width)
                continue
            values = list(data[j][:SCAN_ROWS])
            if column.style not in ("text", "wrap", "center"):  # numbers: the extremes are the widest
                nums = [v for v in data[j] if isinstance(v, (int, float))]
                values += [max(nums, default=None), min(nums, default=None)]
            if table.totals is not None:
                values.append(table.totals[j])
            value_need = max((value_width(v, column.style) for v in values), default=0.0) + 2
            header = column.header
            header_need = len(header) + 3 if len(header) <= 14 else math.ceil(len(header) / 2) + 4
            self._need(c, max(value_need, header_need, 7.0))
        self.header_rows.append((table.row, table))

    def build(self, freeze: tuple[int, int] | None = None) -> SheetLayout:
        last = max([*self.needs, *self.fixed, *(s[1] for s in self.spans)], default=0)
        widths = [self.fixed.get(c, self.needs.get(c, 10.0)) for c in range(last + 1)]
        for c in range(last + 1):
            if c not in self.fixed and c not in self.needs:
                widths[c] = 10.0
        for c0, c1, need in self.spans:
            have = sum(widths[c0:c1 + 1])
            if have < need and c1 not in self.fixed:
                widths[c1] += need - have
        heights = dict(self.heights)
        for row, table in self.header_rows:
            lines = max(len(textwrap.wrap(c.header, max(4, int(widths[table.col + j] * 1.1) - 3)) or [""])
                        for j, c in enumerate(table.columns))
            if lines > 1:
                heights[row] = DEFAULT_ROW_POINTS * min(lines, 4)
            wrapped = [(j, widths[table.col + j]) for j, c in enumerate(table.columns) if c.style == "wrap"]
            for i, values in enumerate(table.rows if wrapped else ()):
                lines = max(wrapped_lines(values[j], w) for j, w in wrapped)
                if lines > 1:  # rows are not auto-fitted on opening: give wrapped text its height
                    heights[table.row + 1 + i] = DEFAULT_ROW_POINTS * lines
        return SheetLayout(self.name, self.key, self.tab_color, tuple(round(float(w), 1) for w in widths),
                           tuple(self.blocks), tuple(self.charts), freeze, tuple(sorted(heights.items())))


def header(ctx: Context, b: SheetBuilder, key: str, back: bool = True, span: int = LABEL_SPAN) -> None:
    """Title, one-line explanation, as-of date and period (real dates), source, link back to the summary."""
    r = ctx.report
    b.text(ctx.t(f"title.{key}"), "title")
    b.text(ctx.t(f"intro.{key}"), "note")
    b.gap()
    rows = [("as_of", ctx.t("as_of"), r.as_of, "date"), ("period_start", ctx.t("period_start"), r.period_start, "date"),
            ("period_end", ctx.t("period_end"), r.period_end, "date"), ("source", ctx.t("source"), str(r.source), "note")]
    pad = [None] * (span - 1)
    b.cells([[label, *pad, value] for _, label, value, _ in rows],
            [["label", *[""] * (span - 1), style] for *_, style in rows], "period", [k for k, *_ in rows],
            span=span, size_from=span)
    if back:
        b.link(ctx.t("back"), ctx.names["summary"])
    b.gap()


def frame_table(ctx: Context, b: SheetBuilder, name: str, frame: pd.DataFrame | None,
                specs: Sequence[ColumnSpec], *, drop: Iterable[str] = (), cond: Sequence[CondFormat] = (),
                sums: Iterable[str] = (), empty: str | None = None) -> Table | None:
    """A detail table of a section result, titled ``layout.table.<name>`` (and ``layout.note.<name>``
    under the title when that text exists); ``sums``: columns totalled in a total row."""
    frame = frame if frame is not None else pd.DataFrame()
    columns, rows = frame_rows(frame, specs, ctx.lang, drop=drop)
    totals = None
    sums = set(sums)
    if sums and rows:
        kinds = {s.key: s.kind for s in specs}
        first = columns[0].key
        totals = [ctx.t("total") if c.key == first else scalar(frame[c.key].sum(), kinds[c.key]) if c.key in sums
                  else None for c in columns]
        columns = [Column(c.key, c.header, c.style, c.width, "label" if c.key == first else
                          "sum" if c.key in sums else None) for c in columns]
    note = f"layout.note.{name}"
    return b.table(name, columns, rows, title=ctx.t(f"table.{name}"), note=t(note, ctx.lang) if has(note) else None,
                   total=len(frame), conditional=cond, totals=totals, empty=empty or ctx.t("empty"))


def column_ref(b: SheetBuilder, table: Table, key: str, first: int | None = None) -> RangeRef:
    """The data cells of one table column, as a chart range."""
    return RangeRef(b.name, *table.data_range(key, first))
