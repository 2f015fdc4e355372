"""Drive the add-in through xlwings' remote interpreter, and replay its actions on an in-memory workbook.

xlwings Lite and xlwings Server run the same Book API as here: the client (Office.js, or the VBA of
``xlwings/addin/Remote.bas``) sends the workbook as JSON, Python queues *actions*, and the client applies
them to Excel. So, without Excel:

1. :func:`payload_from_xlsx` builds the JSON a client sends for a workbook file (cell values read with
   python-calamine, dates as the ISO strings the clients send, Excel tables and defined names);
2. the test calls an entry point with ``xw.Book(json=payload)`` (:func:`run_remote`) and gets the list
   of actions;
3. :class:`SimBook` applies them the way Excel would, as far as the tests need: sheets, values (a text
   starting with ``=`` becomes a formula unless the cell is formatted as text ``@``; ISO date text
   becomes a date; numeric text a number), number formats, fonts, fills, widths, tables, charts,
   hyperlinks, defined names, alerts. An action it does not know raises, so a new kind of action
   cannot slip through untested. :meth:`SimBook.payload` gives the next payload (a re-run).

>>> sim = SimBook.from_payload({"client": "Office.js", "version": "0", "names": [],
...     "book": {"name": "b.xlsx", "active_sheet_index": 0, "selection": "A1"},
...     "sheets": [{"name": "Factures", "values": [["x"]], "tables": [], "pictures": []}]})
>>> sim.apply([{"func": "addSheet", "args": [1, "S"]},
...            {"func": "setNumberFormat", "args": ["@"], "sheet_position": 1, "start_row": 0,
...             "start_column": 0, "row_count": 1, "column_count": 1},
...            {"func": "setValues", "values": [["=1+1", "=2+2", "2025-01-31"]], "sheet_position": 1,
...             "start_row": 0, "start_column": 0, "row_count": 1, "column_count": 3}])
>>> s = sim.sheet("S"); s.value(0, 0), s.value(0, 1), s.value(0, 2)
('=1+1', Formula(text='=2+2'), datetime.date(2025, 1, 31))
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

XLWINGS_LICENSE = "noncommercial"  # xlwings PRO's noncommercial license: enough for the remote interpreter
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?)?$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def ensure_remote_engine() -> None:
    """Register xlwings' remote engine if xlwings was imported before the license key was in the
    environment (xlwings registers its PRO engines at import time only)."""
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.pro import _xlremote  # validates XLWINGS_LICENSE_KEY

        xw.engines.add(xw.main.Engine(impl=_xlremote.engine))


@dataclass(frozen=True)
class Formula:
    """A cell Excel took as a formula (what a text written without protection would become)."""

    text: str


def excel_input(value: Any, number_format: str | None) -> Any:
    """What Excel stores when a client writes ``value`` (a JSON value of setValues) into a cell of
    ``number_format``: Office.js' ``range.values`` and VBA's ``Range.Value`` parse text like typed input."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        return value
    if number_format == "@":
        return value
    if value.startswith("'"):
        return value[1:]
    if value[:1] in ("=", "+", "@") or (value[:1] == "-" and not _NUMBER.match(value)):
        return Formula(value)
    m = _ISO_DATE.match(value)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if m[4] is None or (m[4], m[5], m[6]) == ("00", "00", "00"):
            return dt.date(y, mo, d)
        return dt.datetime(y, mo, d, int(m[4]), int(m[5]), int(m[6]))
    if _NUMBER.match(value):
        return float(value.replace(",", "."))
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    return value


# --- the payload a client sends --------------------------------------------------------------------

def _json_cell(v: Any) -> Any:
    """A cell as the clients send it: dates as ISO strings with "Z", empty cells as ""."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(v, dt.date):
        return f"{v.isoformat()}T00:00:00.000Z"
    if isinstance(v, Formula):
        return v.text  # a formula cell: its text (the tests never compute formulas)
    return v


def _rect(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    width = max((len(r) for r in rows), default=0)
    if not rows or width == 0:
        return [[]]
    return [[_json_cell(v) for v in r] + [""] * (width - len(r)) for r in rows]


def payload_from_xlsx(path: Path, client: str = "Office.js", version: str | None = None) -> dict[str, Any]:
    """The JSON a client sends for the workbook at ``path``: every sheet's values from A1 (python-calamine),
    its Excel tables and the defined names (openpyxl), the first sheet active."""
    import openpyxl
    import xlwings as xw
    from python_calamine import CalamineWorkbook

    cal = CalamineWorkbook.from_path(str(path))
    wb = openpyxl.load_workbook(path, read_only=False, keep_vba=False)
    sheets, names = [], []
    for name in cal.sheet_names:
        rows = cal.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ws = wb[name]
        tables = [{"name": t.name, "range_address": _address(_a1(t.ref)), "header_row_range_address": None,
                   "data_body_range_address": None, "total_row_range_address": None, "show_headers": True,
                   "show_totals": bool(t.totalsRowCount), "table_style": "", "show_autofilter": True}
                  for t in ws.tables.values()]
        sheets.append({"name": name, "values": _rect(rows), "pictures": [], "tables": tables, "charts": [],
                       "shapes": [], "notes": [], "visibility": "Visible"})
        for n, d in ws.defined_names.items():  # sheet-scoped names (e.g. the result sheets' marker)
            names.append({"name": n, "sheet_index": None, "address": None, "book_scope": False,
                          "scope_sheet_name": name, "scope_sheet_index": len(sheets) - 1,
                          "refers_to": "=" + d.attr_text})
    for n, d in wb.defined_names.items():
        names.append({"name": n, "sheet_index": None, "address": None, "book_scope": True,
                      "scope_sheet_name": None, "scope_sheet_index": None, "refers_to": "=" + d.attr_text})
    return {"client": client, "version": version or xw.__version__,
            "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
            "names": names, "sheets": sheets}


# --- the workbook the actions are applied to ---------------------------------------------------------

@dataclass
class SimTable:
    name: str
    ref: tuple[int, int, int, int]  # row0, col0, row1, col1 (0-based, inclusive)
    style: str | None = None
    show_totals: bool = False


@dataclass
class SimChart:
    name: str
    chart_type: str
    source: str
    sheet: str
    formats: list[tuple[str, list[Any]]] = field(default_factory=list)


@dataclass
class SimSheet:
    name: str
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    fonts: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    links: dict[tuple[int, int], str] = field(default_factory=dict)
    column_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    tables: list[SimTable] = field(default_factory=list)
    charts: list[SimChart] = field(default_factory=list)
    other: list[tuple[str, Any]] = field(default_factory=list)  # freeze panes, gridlines, validations...

    def value(self, row: int, col: int) -> Any:
        return self.cells.get((row, col))

    def grid(self) -> dict[tuple[int, int], Any]:
        """The non-empty cells."""
        return {k: v for k, v in self.cells.items() if v is not None}

    def rows(self) -> list[list[Any]]:
        """Values from A1 to the last used cell, row by row."""
        used = self.grid()
        if not used:
            return []
        n_rows = max(r for r, _ in used) + 1
        n_cols = max(c for _, c in used) + 1
        return [[used.get((r, c)) for c in range(n_cols)] for r in range(n_rows)]


def _cells(action: dict[str, Any]) -> Iterable[tuple[int, int]]:
    r0, c0 = action["start_row"], action["start_column"]
    for r in range(r0, r0 + action["row_count"]):
        for c in range(c0, c0 + action["column_count"]):
            yield r, c


def _address(ref: tuple[int, int, int, int]) -> str:
    from audit_engine.layout.model import cell_a1

    return f"{cell_a1(ref[0], ref[1], True)}:{cell_a1(ref[2], ref[3], True)}"


def _a1(address: str) -> tuple[int, int, int, int]:
    """"$B$5:$D$9" (or "B5") -> (4, 1, 8, 3)."""
    def one(a: str) -> tuple[int, int]:
        m = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", a.strip().upper())
        assert m, address
        col = 0
        for ch in m[1]:
            col = col * 26 + ord(ch) - 64
        return int(m[2]) - 1, col - 1

    parts = address.split("!")[-1].split(":")
    (r0, c0), (r1, c1) = one(parts[0]), one(parts[-1])
    return r0, c0, r1, c1


@dataclass
class SimName:
    name: str
    refers_to: str
    sheet: SimSheet | None  # None: workbook scope


class SimBook:
    """The workbook as the actions leave it (see the module docstring)."""

    def __init__(self, name: str, sheets: list[SimSheet], names: list[SimName], client: str, version: str):
        self.name, self.sheets, self.names, self.client, self.version = name, sheets, names, client, version
        self.alerts: list[list[Any]] = []
        self.screen_updating: list[bool] = []

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> SimBook:
        """The workbook a client described (values as Excel holds them, tables, names)."""
        sheets = []
        for sp in payload["sheets"]:
            s = SimSheet(sp["name"])
            for r, row in enumerate(sp["values"]):
                for c, v in enumerate(row):
                    if v not in ("", None):
                        s.cells[(r, c)] = excel_input(v, None) if isinstance(v, str) and _ISO_DATE.match(v) else v
            s.tables = [SimTable(t["name"], _a1(t["range_address"]), t.get("table_style"))
                        for t in sp.get("tables", [])]
            sheets.append(s)
        names = [SimName(n["name"].split("!")[-1], n.get("refers_to") or "",
                         None if n["book_scope"] else sheets[n["scope_sheet_index"]]) for n in payload["names"]]
        return cls(payload["book"]["name"], sheets, names, payload["client"], payload["version"])

    def payload(self) -> dict[str, Any]:
        """The JSON the client would send now (the next run's input), in the Office.js form: names carry
        their definition (``refers_to``), sheet-scoped ones their sheet."""
        sheets = [{"name": s.name, "values": _rect(s.rows()), "pictures": [], "charts": [], "shapes": [],
                   "notes": [], "visibility": "Visible",
                   "tables": [{"name": t.name, "range_address": _address(t.ref), "header_row_range_address": None,
                               "data_body_range_address": None, "total_row_range_address": None,
                               "show_headers": True, "show_totals": t.show_totals, "table_style": t.style or "",
                               "show_autofilter": True} for t in s.tables]}
                  for s in self.sheets]
        names = [{"name": n.name, "sheet_index": None, "address": None, "book_scope": n.sheet is None,
                  "scope_sheet_name": None if n.sheet is None else n.sheet.name,
                  "scope_sheet_index": None if n.sheet is None else self.sheets.index(n.sheet),
                  "refers_to": n.refers_to} for n in self.names]
        return {"client": self.client, "version": self.version,
                "book": {"name": self.name, "active_sheet_index": 0, "selection": "A1"},
                "names": names, "sheets": sheets}

    def sheet(self, name: str) -> SimSheet:
        return next(s for s in self.sheets if s.name.casefold() == name.casefold())

    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]

    def scoped_names(self, sheet: SimSheet) -> list[SimName]:
        return [n for n in self.names if n.sheet is sheet]

    # --- applying actions --------------------------------------------------------------------------
    def apply(self, actions: Iterable[dict[str, Any]]) -> None:
        for action in actions:
            handler = getattr(self, "_do_" + action["func"], None)
            if handler is None:
                raise NotImplementedError(f"the simulator does not know the action {action['func']!r}")
            handler(action)

    def _sheet_at(self, action: dict[str, Any]) -> SimSheet:
        return self.sheets[action["sheet_position"]]

    def _do_addSheet(self, a: dict[str, Any]) -> None:
        position, name = a["args"][0], a["args"][1]
        assert name.casefold() not in {s.name.casefold() for s in self.sheets}, f"duplicate sheet name {name}"
        self.sheets.insert(position, SimSheet(name))

    def _do_sheetDelete(self, a: dict[str, Any]) -> None:
        gone = self.sheets.pop(a["sheet_position"])
        self.names = [n for n in self.names if n.sheet is not gone]

    def _do_setValues(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        r0, c0 = a["start_row"], a["start_column"]
        assert len(a["values"]) == a["row_count"] and all(len(r) == a["column_count"] for r in a["values"])
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                s.cells[(r0 + i, c0 + j)] = excel_input(v, s.formats.get((r0 + i, c0 + j)))

    def _do_setFormula(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        r0, c0 = a["start_row"], a["start_column"]
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                s.cells[(r0 + i, c0 + j)] = Formula(v) if isinstance(v, str) and v.startswith("=") else v

    def _do_setNumberFormat(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        for cell in _cells(a):
            s.formats[cell] = a["args"][0]

    def _do_setFontProperty(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        for cell in _cells(a):
            s.fonts.setdefault(cell, {})[a["args"][0]] = a["args"][1]

    def _do_setRangeColor(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        for cell in _cells(a):
            s.fills[cell] = a["args"][0]

    def _do_setWrapText(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("wrap", (a["start_row"], a["start_column"], a["row_count"], a["args"][0])))

    def _do_setHorizontalAlignment(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("align", (a["start_row"], a["start_column"], a["args"][0])))

    def _do_setVerticalAlignment(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("valign", (a["start_row"], a["start_column"], a["args"][0])))

    def _do_setColumnWidth(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        for c in range(a["start_column"], a["start_column"] + a["column_count"]):
            s.column_widths[c] = a["args"][0]

    def _do_setRowHeight(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        for r in range(a["start_row"], a["start_row"] + a["row_count"]):
            s.row_heights[r] = a["args"][0]

    def _do_addHyperlink(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        s.links[(a["start_row"], a["start_column"])] = a["args"][0]
        if a["args"][1] is not None:
            s.cells[(a["start_row"], a["start_column"])] = a["args"][1]

    def _do_addTable(self, a: dict[str, Any]) -> None:
        s = self._sheet_at(a)
        address, _has_headers, style, name = a["args"]
        taken = {t.name.casefold() for sh in self.sheets for t in sh.tables}
        assert name is None or name.casefold() not in taken, f"duplicate table name {name}"
        s.tables.append(SimTable(name, _a1(address), style))

    def _do_showTotalsTable(self, a: dict[str, Any]) -> None:
        t = self._sheet_at(a).tables[a["args"][0]]
        t.show_totals = bool(a["args"][1])
        if t.show_totals:  # Excel adds the total row below the data
            t.ref = (t.ref[0], t.ref[1], t.ref[2] + 1, t.ref[3])

    def _do_addChart(self, a: dict[str, Any]) -> None:
        name, chart_type, sheet, address = a["args"][:4]
        self._sheet_at(a).charts.append(SimChart(name, chart_type, address, sheet))

    def _chart_format(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).charts[a["args"][0]].formats.append((a["func"], a["args"][1:]))

    _do_setChartTitle = _do_setChartLegend = _do_setChartAxis = _do_setChartSeries = _chart_format
    _do_setChartXAxisValues = _do_setChartType = _do_setChartStyle = _do_setChartPlotBy = _chart_format
    _do_setChartPosition = _do_setChartSourceData = _chart_format

    def _do_namesAdd(self, a: dict[str, Any]) -> None:
        sheet = None if a["sheet_position"] is None else self.sheets[a["sheet_position"]]
        self.names.append(SimName(a["args"][0], a["args"][1], sheet))

    def _do_nameDelete(self, a: dict[str, Any]) -> None:
        local = a["args"][2]
        self.names = [n for n in self.names if n.name != local]

    def _do_freezePaneAtRange(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("freeze", a["args"][0]))

    def _do_setShowGridlines(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("gridlines", a["args"][0]))

    def _do_addConditionalFormat(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("conditional", (a["start_row"], a["start_column"], a["args"][0])))

    def _do_setDataValidationList(self, a: dict[str, Any]) -> None:
        self._sheet_at(a).other.append(("validation", (a["start_row"], a["start_column"], a["args"][0])))

    def _do_activateSheet(self, a: dict[str, Any]) -> None:
        pass

    def _do_setScreenUpdating(self, a: dict[str, Any]) -> None:
        self.screen_updating.append(a["args"][0])

    def _do_alert(self, a: dict[str, Any]) -> None:
        self.alerts.append(a["args"])
