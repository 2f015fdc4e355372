"""Write a :class:`~audit_engine.layout.model.WorkbookLayout` to a standalone .xlsx with XlsxWriter.

The file holds only the layout's sheets: values (every text with ``write_string``, so ``=ACME SAS`` stays
text; numbers with ``write_number``; dates with ``write_datetime``; None left blank), the style vocabulary
mapped to formats in Excel's invariant syntax (amounts ``#,##0.00 "€"``, which a French Excel shows as
``1 234,56 €``; dates ``dd/mm/yyyy``), Excel tables with their total rows, conditional formats, drop-down
lists, internal hyperlinks, native charts reading the sheet ranges, column widths, row heights, freeze
panes, tab colours and the page setup (landscape A4, one page wide). The output is deterministic: fixed
document properties and dates, so the same layout gives the same bytes. ``poste-clients audit --report``
writes this file; the workbook graft builds its sheets with it.

>>> import io, datetime as dt
>>> from audit_engine.layout.model import SheetLayout, Text, WorkbookLayout
>>> buf = io.BytesIO()
>>> render_layout(WorkbookLayout("fr", (SheetLayout("Synthèse", "summary", "#1F3864", (2.0, 30.0),
...     (Text(0, 1, "=ACME SAS", "title"),)),)), buf, "fr")
>>> buf.getvalue()[:2]
b'PK'
"""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..layout.model import Cells, Chart, Link, SheetLayout, Table, Text, Value, WorkbookLayout, cell_a1
from ..layout.styles import AXIS_FORMATS, GREY, NAVY, NUM_FORMATS, STATUS

CREATED = dt.datetime(2025, 1, 1)  # fixed document date: reproducible output
TABLE_STYLE = "Table Style Light 9"
EXCEL_EPOCH = dt.date(1899, 12, 30)
FIRST_DATE = dt.date(1900, 3, 1)  # before it, Excel's serial dates are negative or off by one
MAX_TEXT = 32_767


def _formats(wb: Workbook) -> dict[str, Format]:
    """One cell format per style of the vocabulary (plus the table header and the conditional formats)."""
    f: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 16, "font_color": NAVY},
        "subtitle": {"bold": True, "font_size": 12, "font_color": NAVY},
        "header": {"bold": True, "font_color": "#FFFFFF", "bg_color": NAVY, "text_wrap": True, "valign": "top",
                   "border": 1, "border_color": "#BFBFBF"},
        "label": {"font_color": "#262626"},
        "strong": {"bold": True, "font_color": NAVY},
        "text": {"valign": "top"},
        "center": {"align": "center", "valign": "top"},
        "wrap": {"text_wrap": True, "valign": "top"},
        "link": {"font_color": "#0563C1", "underline": 1},
        "note": {"italic": True, "font_size": 9, "font_color": GREY},
    }
    for style, num in NUM_FORMATS.items():
        f[style] = {"num_format": num, "valign": "top"}
    for name, (bg, fg) in STATUS.items():
        f[f"status_{name}"] = {"bold": True, "bg_color": bg, "font_color": fg, "align": "center"}
    out = {k: wb.add_format(v) for k, v in f.items()}
    for name, (bg, fg) in STATUS.items():
        out[f"cf_status_{name}"] = wb.add_format({"bg_color": bg, "font_color": fg})
    out["cf_muted"] = wb.add_format({"font_color": "#808080", "italic": True})
    return out


def _serial(v: Value) -> Value:
    """A conditional-format value as Excel reads it: dates as serial numbers, text in quotes."""
    if isinstance(v, dt.date):
        return (v - EXCEL_EPOCH).days
    if isinstance(v, str):
        return '"' + v.replace('"', '""') + '"'
    return v


def write_value(ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None, fmts: dict[str, Format]) -> None:
    """One cell, typed: text is always a string cell, never a formula."""
    if value is None:
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        ws.write_string(row, col, value[:MAX_TEXT], fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
        elif fmt is not None:
            ws.write_blank(row, col, None, fmt)
    elif isinstance(value, dt.date):
        if value < FIRST_DATE:  # Excel has no such date: keep it readable as text
            ws.write_string(row, col, value.isoformat(), fmt)
            return
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        ws.write_datetime(row, col, value, fmt if fmt is not None and fmt.num_format else fmts["date"])
    else:  # pragma: no cover - the layout holds scalars only
        ws.write_string(row, col, str(value)[:MAX_TEXT], fmt)


def _table(ws: Worksheet, t: Table, fmts: dict[str, Format]) -> None:
    col_fmts = [fmts.get(c.style) for c in t.columns]
    for i, values in enumerate(t.rows):
        r = t.row + 1 + i
        for j, v in enumerate(values):
            write_value(ws, r, t.col + j, v, col_fmts[j], fmts)
    columns = []
    for j, c in enumerate(t.columns):
        spec: dict[str, Any] = {"header": c.header, "header_format": fmts["header"]}
        if col_fmts[j] is not None:
            spec["format"] = col_fmts[j]
        if t.totals is not None and c.total == "sum":
            total = t.totals[j]
            # a plain range rather than SUBTOTAL(109,[Header]): LibreOffice misreads structured references
            # whose header has accents or an apostrophe
            data = f"{cell_a1(t.row + 1, t.col + j)}:{cell_a1(t.row + len(t.rows), t.col + j)}"
            spec.update(total_function=f"SUBTOTAL(109,{data})",
                        total_value=total if isinstance(total, (int, float)) else 0)
        elif t.totals is not None and c.total == "label" and isinstance(t.totals[j], str):
            spec["total_string"] = t.totals[j]
        columns.append(spec)
    ws.add_table(t.row, t.col, t.last_row, t.last_col, {
        "name": t.name, "style": TABLE_STYLE, "header_row": True, "autofilter": True,
        "total_row": t.totals is not None, "columns": columns})
    first, last = t.row + 1, t.row + len(t.rows)
    for cf in t.conditional:
        c = t.col + t.index(cf.column)
        opts: dict[str, Any] = {"type": "cell", "format": fmts[f"cf_{cf.style}"]}
        if cf.op == "between":
            opts.update(criteria="between", minimum=_serial(cf.value), maximum=_serial(cf.value2))
        else:
            opts.update(criteria=cf.op, value=_serial(cf.value))
        ws.conditional_format(first, c, last, c, opts)
    for j, c in enumerate(t.columns):
        if c.choices:
            ws.data_validation(first, t.col + j, last, t.col + j, {
                "validate": "list", "source": list(c.choices), "show_error": False, "ignore_blank": True})


def _series_color(kind: str, color: str | None) -> dict[str, Any]:
    if color is None:
        return {}
    if kind == "line":
        return {"line": {"color": color, "width": 2.25}, "marker": {"type": "circle", "size": 5,
                "fill": {"color": color}, "border": {"color": color}}}
    return {"fill": {"color": color}, "border": {"none": True}}


def _chart(wb: Workbook, c: Chart) -> Any:
    kinds = [s.kind or (c.kind if c.kind != "combo" else "column") for s in c.series]
    main_kind = kinds[0]
    main = wb.add_chart({"type": main_kind})
    extra = None
    cat = c.categories
    for s, kind in zip(c.series, kinds, strict=True):
        target = main
        if kind != main_kind:
            extra = extra or wb.add_chart({"type": kind})
            target = extra
        v = s.values
        opts: dict[str, Any] = {"name": s.name, "categories": [cat.sheet, cat.row0, cat.col0, cat.row1, cat.col1],
                                "values": [v.sheet, v.row0, v.col0, v.row1, v.col1], **_series_color(kind, s.color)}
        if s.secondary:
            opts["y2_axis"] = True
        if s.labels:
            opts["data_labels"] = {"value": True, "num_format": AXIS_FORMATS.get(c.y_format or "", "General"),
                                   "font": {"size": 8, "color": "#404040"}}
        if s.points:
            opts["points"] = [{"fill": {"color": p}} if p else None for p in s.points]
        if kind == "column" or kind == "bar":
            opts["gap"] = 60
        target.add_series(opts)
    if extra is not None:
        main.combine(extra)
    main.set_title({"name": c.title, "name_font": {"size": 12, "bold": True, "color": NAVY}})
    value_axis: dict[str, Any] = {"major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
                                  "line": {"none": True}, "num_font": {"size": 9}}
    if c.y_format:
        value_axis["num_format"] = AXIS_FORMATS.get(c.y_format, "General")
    if c.y_title:
        value_axis["name"] = c.y_title
        value_axis["name_font"] = {"size": 9, "bold": False}
    cat_axis: dict[str, Any] = {"num_font": {"size": 9}, "line": {"color": "#BFBFBF"}}
    if c.x_title:
        cat_axis["name"] = c.x_title
        cat_axis["name_font"] = {"size": 9, "bold": False}
    if c.x_format == "month":
        cat_axis.update(date_axis=True, num_format=AXIS_FORMATS["month"], base_unit="months", major_unit=1,
                        major_unit_type="months")
    if main_kind == "bar":  # XlsxWriter's x axis is the horizontal (value) axis of a bar chart
        cat_axis.update(reverse=True, crossing="max")  # categories top-down in table order, values below
        main.set_x_axis(value_axis)
        main.set_y_axis(cat_axis)
    else:
        main.set_x_axis(cat_axis)
        main.set_y_axis(value_axis)
    if extra is not None:
        y2: dict[str, Any] = {"num_font": {"size": 9}, "line": {"none": True}}
        if c.y2_format:
            y2["num_format"] = AXIS_FORMATS.get(c.y2_format, "General")
        if c.y2_max is not None:
            y2.update(max=c.y2_max, min=0)
        extra.set_y2_axis(y2)
    main.set_legend({"none": True} if c.legend == "none" else {"position": c.legend, "font": {"size": 9}})
    main.set_size({"width": c.width, "height": c.height})
    main.set_chartarea({"border": {"color": "#D9D9D9"}})
    return main


def _sheet(wb: Workbook, sheet: SheetLayout, fmts: dict[str, Format]) -> None:
    ws = wb.add_worksheet(sheet.name)
    ws.set_tab_color(sheet.tab_color)
    for c, w in enumerate(sheet.column_widths):
        ws.set_column(c, c, w)
    for r, h in sheet.row_heights:
        ws.set_row(r, h)
    if sheet.freeze:
        ws.freeze_panes(*sheet.freeze)
    if sheet.hide_gridlines:
        ws.hide_gridlines(2)
    if sheet.landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    if sheet.fit_width:
        ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&L&8&A&R&8&P / &N")
    for block in sheet.blocks:
        if isinstance(block, Table):
            _table(ws, block, fmts)
        elif isinstance(block, Cells):
            for i, (values, styles) in enumerate(zip(block.values, block.styles, strict=True)):
                for j, (v, st) in enumerate(zip(values, styles, strict=True)):
                    write_value(ws, block.row + i, block.col + j, v, fmts.get(st) if st else None, fmts)
        elif isinstance(block, Link):
            ws.write_url(block.row, block.col, "internal:" + block.location(), fmts[block.style],
                         string=block.text[:255])
        elif isinstance(block, Text):
            write_value(ws, block.row, block.col, block.text, fmts.get(block.style), fmts)
    for chart in sheet.charts:
        ws.insert_chart(chart.row, chart.col, _chart(wb, chart), {"object_position": 1, "x_offset": chart.x_offset})


def render_layout(layout: WorkbookLayout, target: str | Path | BinaryIO, lang: str | None = None) -> None:
    """Write the layout's sheets to ``target`` (a path, written atomically, or a binary file object)."""
    lang = lang or layout.lang
    if isinstance(target, (str, Path)):
        from .files import atomic_target

        buf = io.BytesIO()
        render_layout(layout, buf, lang)
        with atomic_target(Path(target)) as tmp:
            tmp.write_bytes(buf.getvalue())
        return
    wb = xlsxwriter.Workbook(target, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                      "strings_to_numbers": False})
    as_of = layout.meta.get("as_of")
    wb.set_properties({"title": layout.title, "subject": f"{layout.title} — {as_of}" if as_of else layout.title,
                       "author": "audit-poste-clients", "company": "", "created": CREATED,
                       "comments": f"audit-poste-clients, XlsxWriter {xlsxwriter.__version__}"})
    wb.set_calc_mode("auto")
    fmts = _formats(wb)
    for sheet in layout.sheets:
        _sheet(wb, sheet, fmts)
    wb.close()
