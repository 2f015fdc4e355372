"""Apply a :class:`~audit_engine.layout.model.WorkbookLayout` to a live workbook through xlwings.

The same sheets, values, number formats, tables and native charts as the headless writer
(:mod:`audit_engine.io.xlsx_layout`), through xlwings' public API only, so one code path serves classic
xlwings (COM / AppleScript: Excel applies each call at once) and the remote interpreter of xlwings Lite
and xlwings Server (each call becomes a JSON *action* that the client applies when the script returns).

**Which sheets are ours.** Every result sheet carries the sheet-scoped defined name ``_AuditPosteClients``
whose value is ``={"<logical name>","<sheet name>"}`` — the convention of the headless graft writer
(:mod:`audit_engine.io.graft`), so either writer replaces the other's sheets. A sheet is ours only if it
carries the marker *and* still has the name the marker records: a user's sheet called "Synthèse", a copy,
or a result sheet the user renamed to keep it, is never deleted. A re-run deletes our sheets of the keys
it writes and adds the new ones at the same place; a user's sheet holding a result name pushes ours to
"Synthèse (2)" (links and charts follow).

**Text stays text.** Excel parses what a client writes like typed input: in both clients (Office.js'
``range.values`` and the VBA/COM ``Range.Value``) a text starting with ``=`` becomes a formula, ``-12`` a
number, ``2025-01-31`` a date, ``00123`` the number 123. An apostrophe prefix would fix the first case in
Excel but be kept literally by other clients, so the cells of every run of texts that Excel could
reinterpret (:func:`needs_text`) get the text format ``@`` *before* their values are written: a cell
formatted as text stores what it is given, as a string.

**What degrades.** Borders, underline, the print setup, the drop-down lists' "any value allowed" flag and
the charts' data labels, per-point colours and fonts have no xlwings API and are left out; the tab colour
and the hidden flag of the marker are set on Windows only (COM ``.api``). Settings a client does not
implement raise ``NotImplementedError`` (alignment, gridlines and drop-down lists outside Office.js) and
are skipped. Chart series in non-adjacent columns bring the columns between them along (see
:func:`chart_source`). xlwings Server's VBA client (``Remote.bas``) applies only part of the actions: for
it the totals are written as values and :func:`fit_client` drops what it lacks (fonts, widths, charts...).

>>> needs_text("=ACME SAS"), needs_text("00123"), needs_text("Dupont SARL"), needs_text("1 à 30 j")
(True, True, False, True)
>>> text_runs([["Code", "Montant"], ["007", 12.5], ["C2", 3.0]], 4, 1)
[(4, 1, 6, 1)]
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from audit_engine.io.graft import MARKER, marker_formula, parse_marker
from audit_engine.layout.model import (
    Cells,
    Chart,
    Link,
    RangeRef,
    SheetLayout,
    Table,
    Text,
    WorkbookLayout,
    cell_a1,
    col_letter,
    column_px,
    row_px,
)
from audit_engine.layout.names import free_sheet_name, sheet_key
from audit_engine.layout.styles import AXIS_FORMATS, GREY, NAVY, NUM_FORMATS, STATUS

# The style vocabulary: the values come from audit_engine.layout.styles, shared with the XlsxWriter writer.
TABLE_STYLE = "TableStyleLight9"  # XlsxWriter's "Table Style Light 9"
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "size": 16, "color": NAVY},
    "subtitle": {"bold": True, "size": 12, "color": NAVY},
    "header": {"bold": True, "color": "#FFFFFF", "fill": NAVY, "wrap": True, "valign": "top"},
    "label": {"color": "#262626"},
    "strong": {"bold": True, "color": NAVY},
    "text": {"valign": "top"},
    "center": {"align": "center", "valign": "top"},
    "wrap": {"wrap": True, "valign": "top"},
    "link": {"color": "#0563C1"},
    "note": {"italic": True, "size": 9, "color": GREY},
    **{k: {"number_format": v, "valign": "top"} for k, v in NUM_FORMATS.items()},
    **{f"status_{k}": {"bold": True, "fill": bg, "color": fg, "align": "center"} for k, (bg, fg) in STATUS.items()},
}
CF_STYLES = {**{f"status_{k}": {"fill_color": bg, "font_color": fg} for k, (bg, fg) in STATUS.items()},
             "muted": {"font_color": "#808080", "font_italic": True}}
CF_OPERATORS = {">": "greater_than", ">=": "greater_than_or_equal", "<": "less_than", "<=": "less_than_or_equal",
                "==": "equal_to", "!=": "not_equal_to", "between": "between"}
CHART_TYPES = {"column": "column_clustered", "bar": "bar_clustered", "line": "line_markers", "pie": "pie"}
EXCEL_EPOCH = dt.date(1899, 12, 30)
# The actions the VBA client of xlwings Server (xlwings/addin/Remote.bas) implements; it stops on any other.
VBA_CLIENT_ACTIONS = frozenset({
    "setValues", "rangeClearContents", "rangeClearFormats", "rangeClear", "addSheet", "setSheetName", "setAutofit",
    "setRangeColor", "activateSheet", "addHyperlink", "setNumberFormat", "setPictureName", "setPictureHeight",
    "setPictureWidth", "deletePicture", "addPicture", "updatePicture", "alert", "setRangeName", "namesAdd",
    "nameDelete", "runMacro", "rangeDelete", "rangeInsert", "rangeSelect", "addTable", "setTableName",
    "resizeTable", "showAutofilterTable", "showHeadersTable", "showTotalsTable", "setTableStyle", "copyRange",
    "sheetDelete", "sheetClear", "sheetClearContents", "sheetClearFormats"})
_BOOL_WORDS = {"TRUE", "FALSE", "VRAI", "FAUX"}


# --- text protection ---------------------------------------------------------------------------------

def needs_text(value: Any) -> bool:
    """Whether Excel could read the text ``value`` as something else when a client writes it: a formula
    (``= + - @``), an error literal (``#N/A``), an apostrophe prefix, a number, date or time (any digit:
    ``00123``, ``1/2``, ``3-4``, ``12:30``, ``50 %``) or a boolean word."""
    return isinstance(value, str) and bool(value) and (
        value[0] in "=+-@#'" or any(ch.isdigit() for ch in value) or value.strip().upper() in _BOOL_WORDS)


def text_runs(rows: Sequence[Sequence[Any]], row0: int, col0: int) -> list[tuple[int, int, int, int]]:
    """(row0, col0, row1, col1) rectangles to format as text before writing ``rows`` at (row0, col0):
    in each column, every run of consecutive texts holding at least one :func:`needs_text` value."""
    out = []
    width = max((len(r) for r in rows), default=0)
    for j in range(width):
        start, risky = None, False
        for i in range(len(rows) + 1):
            v = rows[i][j] if i < len(rows) and j < len(rows[i]) else None
            if isinstance(v, str):
                start = i if start is None else start
                risky = risky or needs_text(v)
                continue
            if start is not None and risky:
                out.append((row0 + start, col0 + j, row0 + i - 1, col0 + j))
            start, risky = None, False
    return out


def cell_value(v: Any) -> Any:
    """A layout value as xlwings writes it (None -> empty; NaN never reaches here)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


# --- the sheets we own ---------------------------------------------------------------------------------

def _unquote(prefix: str) -> str:
    return prefix[1:-1].replace("''", "'") if prefix.startswith("'") and prefix.endswith("'") else prefix


def owned_sheets(book: Any) -> dict[str, str]:
    """{sheet name: logical name} of the result sheets in ``book`` (marker present and still matching)."""
    names = {s.name.casefold(): s.name for s in book.sheets}
    out: dict[str, str] = {}
    for n in book.names:
        scope, _, local = n.name.rpartition("!")
        if local.casefold() != MARKER.casefold() or not scope:
            continue
        found = parse_marker((n.refers_to or "").lstrip("="))
        sheet = names.get(_unquote(scope).casefold())
        if found and sheet and found[1].casefold() == sheet.casefold():
            out[sheet] = found[0]
    return out


def _free_name(name: str, taken: set[str]) -> str:
    candidate = free_sheet_name(name, taken)
    taken.add(candidate.casefold())
    return candidate


def delete_sheets(book: Any, names: Iterable[str]) -> list[str]:
    """Delete the sheets ``names`` (ours); returns their names."""
    gone = []
    for name in names:
        book.sheets[name].delete()
        gone.append(name)
    return gone


def place_sheets(book: Any, layout: WorkbookLayout) -> tuple[dict[str, Any], list[str]]:
    """Delete our previous sheets of the layout's keys (in either language) and add the new, empty sheets
    where they were: after the nearest sheet before the old one that is still there (or its new sheet);
    a key with no previous sheet goes after the new sheet before it in the layout, else at the end.
    Returns ({layout sheet name: xlwings sheet}, names of the deleted sheets)."""
    order = [s.name for s in book.sheets]
    keys = {s.key for s in layout.sheets}
    old: dict[str, list[str]] = {}
    for name, logical in owned_sheets(book).items():
        if sheet_key(logical) in keys:
            old.setdefault(sheet_key(logical), []).append(name)
    new_name = {s.key: s.name for s in layout.sheets}
    replaced_by = {name: new_name[k] for k, names in old.items() for name in names}
    deleted = delete_sheets(book, sorted(replaced_by, key=order.index))
    taken = {s.name.casefold() for s in book.sheets}
    placed: dict[str, Any] = {}
    previous_new = None
    for sl in layout.sheets:
        if sl.key in old:
            first_old = min(order.index(n) for n in old[sl.key])
            anchor = _anchor_before(book, order[:first_old], replaced_by, placed, taken)
        else:
            anchor = previous_new or book.sheets[-1]
        name = _free_name(sl.name, taken)
        sheet = book.sheets.add(name, after=anchor) if anchor is not None else book.sheets.add(
            name, before=book.sheets[0])
        placed[sl.name] = previous_new = sheet
    return placed, deleted


def _anchor_before(book: Any, before: list[str], replaced_by: dict[str, str], placed: dict[str, Any],
                   taken: set[str]) -> Any:
    """The sheet to add after: the nearest of ``before`` (the names before the old sheet, in order) that
    is still in the book, or whose replacement is already placed; None when there is none."""
    for name in reversed(before):
        if name in replaced_by:
            if replaced_by[name] in placed:
                return placed[replaced_by[name]]
        elif name.casefold() in taken:
            return book.sheets[name]
    return None


def mark(sheet: Any, logical: str) -> None:
    """Add the marker name to ``sheet`` (hidden on Windows, where the COM object allows it)."""
    name = sheet.names.add(MARKER, "=" + marker_formula(logical, sheet.name))
    if sys.platform.startswith("win") and not _is_remote(sheet.book):
        try:
            name.api.Visible = False
        except Exception:  # cosmetic: a visible marker works the same
            pass


def _is_remote(book: Any) -> bool:
    return book.app.engine.name == "remote"


def _vba_client(book: Any) -> bool:
    """The remote interpreter serving xlwings Server's VBA client (``RunRemotePython``)."""
    return _is_remote(book) and book.api.get("client") == "VBA"


def fit_client(book: Any) -> int:
    """Drop the queued actions the client cannot apply (only the VBA client lacks some: fonts, widths,
    charts, formulas, conditional formats...), so the run completes with values, number formats, fills,
    tables and links. Returns how many were dropped."""
    if not _vba_client(book):
        return 0
    actions = book.json()["actions"]
    kept = [a for a in actions if a["func"] in VBA_CLIENT_ACTIONS]
    dropped = len(actions) - len(kept)
    actions[:] = kept
    return dropped


# --- styles ------------------------------------------------------------------------------------------

def _optional(setter: Callable[[], None]) -> None:
    """Apply a setting that some clients do not implement (alignment, gridlines, drop-downs...)."""
    try:
        setter()
    except NotImplementedError:
        pass


def apply_style(rng: Any, style: str) -> None:
    """Number format, font, fill, wrap and alignment of a style of the vocabulary on ``rng``."""
    spec = STYLES.get(style)
    if not spec:
        return
    if "number_format" in spec:
        rng.number_format = spec["number_format"]
    font = rng.font
    for key in ("bold", "italic", "size", "color"):
        if key in spec:
            setattr(font, key, spec[key])
    if "fill" in spec:
        rng.color = spec["fill"]
    if spec.get("wrap"):
        rng.wrap_text = True
    if "align" in spec:
        _optional(lambda: setattr(rng, "horizontal_alignment", spec["align"]))
    if "valign" in spec and style not in NUM_FORMATS and style not in ("text", "wrap"):  # tables: one call
        _optional(lambda: setattr(rng, "vertical_alignment", spec["valign"]))


def style_runs(styles: Sequence[Sequence[str]], row0: int, col0: int) -> list[tuple[str, int, int, int, int]]:
    """(style, row0, col0, row1, col1) rectangles: per column, runs of one style (empty style skipped)."""
    out = []
    width = max((len(r) for r in styles), default=0)
    for j in range(width):
        i = 0
        while i < len(styles):
            st = styles[i][j] if j < len(styles[i]) else ""
            k = i
            while k + 1 < len(styles) and j < len(styles[k + 1]) and styles[k + 1][j] == st:
                k += 1
            if st:
                out.append((st, row0 + i, col0 + j, row0 + k, col0 + j))
            i = k + 1
    return out


def _rng(sheet: Any, r0: int, c0: int, r1: int | None = None, c1: int | None = None) -> Any:
    if r1 is None or (r1 == r0 and c1 == c0):
        return sheet.range((r0 + 1, c0 + 1))
    return sheet.range((r0 + 1, c0 + 1), (r1 + 1, c1 + 1))


def write_grid(sheet: Any, rows: Sequence[Sequence[Any]], row0: int, col0: int) -> None:
    """Values at (row0, col0), texts protected (see the module docstring)."""
    if not rows:
        return
    for r0, c0, r1, c1 in text_runs(rows, row0, col0):
        _rng(sheet, r0, c0, r1, c1).number_format = "@"
    width = max(len(r) for r in rows)
    values = [[cell_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
    _rng(sheet, row0, col0, row0 + len(values) - 1, col0 + width - 1).value = values


# --- blocks --------------------------------------------------------------------------------------------

def write_cells(sheet: Any, block: Cells) -> None:
    for st, r0, c0, r1, c1 in style_runs(block.styles, block.row, block.col):
        apply_style(_rng(sheet, r0, c0, r1, c1), st)
    write_grid(sheet, block.values, block.row, block.col)


def write_text(sheet: Any, block: Text) -> None:
    apply_style(_rng(sheet, block.row, block.col), block.style)
    write_grid(sheet, [[block.text]], block.row, block.col)


def write_link(sheet: Any, block: Link, names: dict[str, str]) -> None:
    """An internal hyperlink ("#'Sheet'!A1") to the sheet's actual name."""
    apply_style(_rng(sheet, block.row, block.col), block.style)
    write_grid(sheet, [[block.text]], block.row, block.col)
    target = names.get(block.target_sheet, block.target_sheet)
    address = "#'" + target.replace("'", "''") + "'!" + block.target_cell
    _rng(sheet, block.row, block.col).add_hyperlink(address, block.text[:255], block.text[:255])


def _cf_value(v: Any) -> str | float:
    """A conditional-format bound as Excel reads it: dates as serial numbers, text in quotes."""
    if isinstance(v, dt.date):
        return float((v - EXCEL_EPOCH).days)
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    return v


def write_table(sheet: Any, t: Table, table_name: str) -> None:
    """Header and rows, column formats, the Excel table, its total row (SUBTOTAL formulas over the data
    cells, as the headless writer writes them), conditional formats and drop-down lists."""
    first, last = t.row + 1, t.row + len(t.rows)
    apply_style(_rng(sheet, t.row, t.col, t.row, t.last_col), "header")
    if t.rows:
        for j, c in enumerate(t.columns):
            apply_style(_rng(sheet, first, t.col + j, last, t.col + j), c.style)
        data = _rng(sheet, first, t.col, last, t.last_col)
        _optional(lambda: setattr(data, "vertical_alignment", "top"))
    write_grid(sheet, [list(t.headers), *t.rows], t.row, t.col)
    table = sheet.tables.add(source=_rng(sheet, t.row, t.col, last, t.last_col), name=table_name,
                             table_style_name=TABLE_STYLE, has_headers=True)
    if t.totals is not None:
        table.show_totals = True
        total_row = last + 1
        for j, c in enumerate(t.columns):
            cell = _rng(sheet, total_row, t.col + j)
            if c.total == "sum":
                data = f"{cell_a1(first, t.col + j)}:{cell_a1(last, t.col + j)}"
                if _vba_client(sheet.book):  # no formulas there: the audit's total, as a value
                    cell.value = cell_value(t.totals[j])
                else:
                    cell.formula = f"=SUBTOTAL(109,{data})"
                apply_style(cell, c.style)
            elif c.total == "label" and isinstance(t.totals[j], str):
                write_grid(sheet, [[t.totals[j]]], total_row, t.col + j)
            else:
                cell.value = None
    for cf in t.conditional if t.rows else ():
        col = t.col + t.index(cf.column)
        rng = _rng(sheet, first, col, last, col)
        bounds = (_cf_value(cf.value),) if cf.op != "between" else (_cf_value(cf.value), _cf_value(cf.value2))
        rng.conditional_formats.add_cell_value(CF_OPERATORS[cf.op], *bounds, **CF_STYLES[cf.style])
    for j, c in enumerate(t.columns):
        if c.choices and t.rows:
            rng = _rng(sheet, first, t.col + j, last, t.col + j)
            _optional(lambda rng=rng, c=c: rng.data_validation.set_list(list(c.choices), in_cell_dropdown=True))


# --- charts --------------------------------------------------------------------------------------------

def _ref_range(book: Any, ref: RangeRef, names: dict[str, str]) -> Any:
    sheet = book.sheets[names.get(ref.sheet, ref.sheet)]
    return _rng(sheet, ref.row0, ref.col0, ref.row1, ref.col1)


def chart_source(layout: SheetLayout, chart: Chart) -> tuple[RangeRef, list[tuple[int | None, str | None]]]:
    """The rectangle the chart reads its series from, and per column (series index in ``chart.series``,
    or None for a column between two series, then named after its table header).

    xlwings charts read one rectangle (the remote interpreter's ``addChart`` takes one address), so
    series in non-adjacent columns bring the columns between them along as extra series."""
    refs = [s.values for s in chart.series]
    r = refs[0]
    c0, c1 = min(x.col0 for x in refs), max(x.col1 for x in refs)
    by_col = {x.col0: i for i, x in enumerate(refs)}
    header = {}
    for t in layout.tables():  # the table the series rows belong to names the columns between them
        if t.row < r.row0 <= t.row + len(t.rows):
            header = {t.col + j: col.header for j, col in enumerate(t.columns)}
    return RangeRef(r.sheet, r.row0, c0, r.row1, c1), [(by_col.get(c), header.get(c)) for c in range(c0, c1 + 1)]


def _series(chart: Any, index: int, count: int) -> Any:
    """Series ``index`` (0-based) of a chart just created with ``count`` series. The remote interpreter
    only knows the count after a round-trip; here it is known, so the series is addressed directly."""
    try:
        return chart.series[index]
    except NotImplementedError:
        import xlwings as xw

        collection = type(chart.impl.series)(chart.impl, count=count)
        return xw.main.ChartSeries(impl=collection(index + 1))


def write_chart(sheet: Any, layout: SheetLayout, c: Chart, names: dict[str, str]) -> Any:
    """A native chart: type, source rectangle, categories, series names, kinds, axes and colours,
    title, legend; anchored at its cell (size converted from pixels to points)."""
    source, columns = chart_source(layout, c)
    main_kind = c.series[0].kind or (c.kind if c.kind != "combo" else "column")
    width, height = c.width * 0.75, c.height * 0.75
    if c.x_offset:
        left = sum(column_px(w) for w in layout.column_widths[:c.col]) + c.x_offset
        heights = dict(layout.row_heights)
        top = sum(row_px(heights.get(r, 15.0)) for r in range(c.row))
        chart = sheet.charts.add(left * 0.75, top * 0.75, width, height, chart_type=CHART_TYPES[main_kind],
                                 name=c.name)
    else:
        chart = sheet.charts.add(width=width, height=height, chart_type=CHART_TYPES[main_kind], name=c.name,
                                 anchor=_rng(sheet, c.row, c.col))
    chart.set_source_data(_ref_range(sheet.book, source, names), plot_by="columns")
    chart.set_x_axis_values(_ref_range(sheet.book, c.categories, names))
    nearest = None
    for k, (index, header) in reversed(list(enumerate(columns))):
        s = c.series[index] if index is not None else nearest
        nearest = s
        kind = s.kind or main_kind
        options: dict[str, Any] = {"name": s.name if index is not None else (header or s.name)}
        if kind != main_kind:
            options["chart_type"] = CHART_TYPES[kind]
        if s.secondary:
            options["axis_group"] = "secondary"
        if s.color and index is not None:
            options["line_color" if kind == "line" else "fill_color"] = s.color
        _series(chart, k, len(columns)).set(**options)
    chart.title = c.title
    if c.legend == "none":
        chart.legend.visible = False
    else:
        chart.legend.position = c.legend
    if main_kind != "pie":
        _format_axes(chart, c, main_kind)
    return chart


def _format_axes(chart: Any, c: Chart, main_kind: str) -> None:
    if c.y_format:
        chart.value_axis.number_format = AXIS_FORMATS.get(c.y_format, "General")
    if c.y_title:
        chart.value_axis.title = c.y_title
    if c.x_title:
        chart.category_axis.title = c.x_title
    if c.x_format == "month":
        chart.category_axis.number_format = AXIS_FORMATS["month"]
    if main_kind == "bar":
        chart.category_axis.reverse_order = True  # categories top-down in table order
    if any(s.secondary for s in c.series):
        if c.y2_format:
            chart.secondary_value_axis.number_format = AXIS_FORMATS.get(c.y2_format, "General")
        if c.y2_max is not None:
            chart.secondary_value_axis.set(minimum_scale=0, maximum_scale=c.y2_max)
        if c.y2_title:
            chart.secondary_value_axis.title = c.y2_title


# --- sheets --------------------------------------------------------------------------------------------

def _column_width(book: Any, width: float) -> float:
    """Column width as the engine wants it: characters for classic Excel, points for Office.js."""
    return round(column_px(width) * 0.75, 2) if _is_remote(book) else width


def write_sheet(sheet: Any, sl: SheetLayout, names: dict[str, str], table_names: set[str]) -> None:
    """Everything of one result sheet (the sheet exists, empty)."""
    book = sheet.book
    for c, w in enumerate(sl.column_widths):
        sheet.range((1, c + 1)).column_width = _column_width(book, w)
    for r, h in sl.row_heights:
        sheet.range((r + 1, 1)).row_height = h
    for block in sl.blocks:
        if isinstance(block, Table):
            name = _free_table_name(block.name, table_names)
            write_table(sheet, block, name)
        elif isinstance(block, Cells):
            write_cells(sheet, block)
        elif isinstance(block, Link):
            write_link(sheet, block, names)
        elif isinstance(block, Text):
            write_text(sheet, block)
    for chart in sl.charts:
        write_chart(sheet, sl, chart, names)
    if sl.freeze and any(sl.freeze):
        try:
            sheet.freeze_panes.freeze_at(frozen_range(*sl.freeze))
        except (NotImplementedError, AttributeError):  # engines without freeze panes
            pass
    if sl.hide_gridlines:
        _optional(lambda: setattr(sheet, "show_gridlines", False))
    if sys.platform.startswith("win") and not _is_remote(book):
        try:  # no xlwings API for these: COM only, cosmetic
            sheet.api.Tab.Color = int(sl.tab_color[5:7] + sl.tab_color[3:5] + sl.tab_color[1:3], 16)
        except Exception:
            pass


def frozen_range(rows: int, cols: int) -> str:
    """The cells that stay in view (xlwings' ``freeze_at`` argument) for ``rows`` and ``cols`` frozen.

    >>> frozen_range(1, 0), frozen_range(0, 2), frozen_range(3, 1)
    ('1:1', 'A:B', 'A1:A3')
    """
    if cols == 0:
        return f"1:{rows}"
    if rows == 0:
        return f"A:{col_letter(cols - 1)}"
    return f"A1:{col_letter(cols - 1)}{rows}"


def _free_table_name(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        candidate = f"{name}_{n}"
    taken.add(candidate.casefold())
    return candidate


def table_names(book: Any) -> set[str]:
    """The Excel table names in use (they are unique in a workbook)."""
    return {t.name.casefold() for s in book.sheets for t in s.tables}


def write_layout(book: Any, layout: WorkbookLayout, progress: Callable[[str], None] | None = None) -> list[str]:
    """Replace our result sheets of the layout's keys by the layout's sheets; returns the new sheets'
    names in order. ``progress(name)`` is called before each sheet is written."""
    placed, _ = place_sheets(book, layout)
    names = {logical: sheet.name for logical, sheet in placed.items()}
    taken = table_names(book)
    for sl in layout.sheets:
        if progress:
            progress(sl.name)
        sheet = placed[sl.name]
        write_sheet(sheet, sl, names, taken)
        mark(sheet, sl.name)
    first = placed[layout.sheets[0].name] if layout.sheets else None
    if first is not None:
        first.activate()
    return [placed[sl.name].name for sl in layout.sheets]


def clear_layout(book: Any, keys: Iterable[str] | None = None) -> list[str]:
    """Delete our result sheets (all, or those of ``keys``); the user's sheets stay. Returns their names."""
    wanted = None if keys is None else set(keys)
    owned = owned_sheets(book)
    return delete_sheets(book, [n for n, logical in owned.items() if wanted is None or sheet_key(logical) in wanted])
