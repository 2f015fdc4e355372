"""Build ``workbook_template.xlsm`` (empty, or filled with tables and settings) with XlsxWriter.

Sheets: ``Accueil`` (instructions, the as-of date, the seven buttons), the input tables ``Factures``,
``Règlements``, ``Relances``, ``Clients`` (Excel tables ``tblFactures``... with the headers of
:func:`audit_engine.schema.template_headers`), ``Paramètres`` (``tblParametres``: one row per
:data:`audit_engine.settings.SETTINGS_SPEC` entry) and ``xlwings.conf``. The VBA project is built from
``addin/vba/*.bas`` by :mod:`audit_engine.io.ovba`. The output is deterministic (fixed document
dates), so a rebuild gives the same bytes.

>>> import datetime as dt, tempfile, pandas as pd, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "demo.xlsm"
>>> invoices = pd.DataFrame({"N° facture": ["F-001", "=1+1"], "Code client": ["C1", "C2"],
...                          "Date facture": [dt.date(2025, 1, 2)] * 2, "Montant TTC": [1200.0, -80.5]})
>>> build_template(out, {"invoices": invoices}, {"as_of": dt.date(2025, 3, 31)}).name
'demo.xlsm'
>>> import openpyxl; ws = openpyxl.load_workbook(out)["Factures"]
>>> ws["A3"].value, ws["A3"].data_type, ws["D3"].value, ws["G3"].value, ws.tables["tblFactures"].ref
('=1+1', 's', datetime.datetime(2025, 1, 2, 0, 0), -80.5, 'A1:K3')
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from ..schema import SETTINGS, TEMPLATE_COLUMNS, column, header, match_header
from ..settings import SETTINGS_SPEC, Settings, SettingSpec
from . import template_text as tx
from .ovba import BASE_WORKBOOK, build_vba_project, document_module, module_from_bas
from .template_sheets import write_home, write_xlwings_conf

DATA_TABLES = ("invoices", "payments", "reminders", "clients")
TABLE_NAMES = {"invoices": "tblFactures", "payments": "tblReglements", "reminders": "tblRelances",
               "clients": "tblClients", SETTINGS: "tblParametres"}
MAX_ROW = 1_048_575
_NUMBERS = (int, float)
DATE_FORMAT, EURO_FORMAT = "dd/mm/yyyy", '#,##0.00 "€"'
CREATED = dt.datetime(2025, 1, 1)  # fixed document date: reproducible builds
GENERATOR = f"audit-poste-clients tools/build_template.py, XlsxWriter {xlsxwriter.__version__}"
_TEXT_KEYS = {"invoice_id", "client_id", "siren"}  # stored as text ('@') so leading zeros survive
_WIDTHS = {"dispute_reason": 32, "client_name": 28, "method": 20, "customer_type": 16}
_VALIDATION = {("invoices", "disputed"): "bool", ("clients", "terms_rule"): "rule",
               ("reminders", "type"): "reminder"}


def vba_sources() -> dict[str, str]:
    """The ``.bas`` sources of the workbook's own VBA modules (``addin/vba``), by file name."""
    folder = resources.files("addin").joinpath("vba")
    return {f.name: f.read_text(encoding="utf-8") for f in sorted(folder.iterdir(), key=lambda f: f.name)
            if f.name.endswith(".bas")}


def vba_project() -> bytes:
    """``xl/vbaProject.bin``: a document module per sheet (named as its codeName) and ``addin/vba``."""
    modules = [document_module("ThisWorkbook", BASE_WORKBOOK)]
    modules += [document_module(tx.CODE_NAMES[s]) for s in tx.SHEETS]
    modules += [module_from_bas(text) for text in vba_sources().values()]
    return build_vba_project(modules)


def build_template(path: str | Path, tables: Mapping[str, pd.DataFrame] | None = None,
                   settings: Mapping[str, object] | None = None, lang: str = "fr") -> Path:
    """Write the template to ``path`` (an ``.xlsm``): empty, or with ``tables`` and ``settings`` filled in.

    ``tables`` maps "invoices", "payments", "reminders", "clients" to frames whose columns are template
    headers (French or English) or any header the schema recognises; other columns are appended after
    the template's. ``settings`` maps :class:`~audit_engine.settings.Settings` field names to values.
    Text cells are always written as text, never as formulas.
    """
    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise ValueError(f"the template must be an .xlsm file: {path}")
    if lang not in ("fr", "en"):
        raise ValueError(f"lang must be 'fr' or 'en', not {lang!r}")
    tables = dict(tables or {})
    unknown = set(tables) - set(DATA_TABLES)
    if unknown:
        raise ValueError(f"unknown tables {sorted(unknown)}; expected some of {DATA_TABLES}")
    values = _settings_values(settings or {})
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": tx.HOME_TEXT[lang]["title"], "author": "audit-poste-clients",
                       "comments": GENERATOR, "created": CREATED})
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(io.BytesIO(vba_project()), is_stream=True)
    fmt = _formats(wb)
    sheets = {s: wb.add_worksheet(tx.sheet_name(s, lang)) for s in tx.SHEETS}
    for key, ws in sheets.items():
        ws.set_vba_name(tx.CODE_NAMES[key])
        ws.set_landscape()
        ws.fit_to_pages(1, 0)  # print each sheet one page wide
    settings_name = tx.sheet_name(SETTINGS, lang)
    wb.define_name("DateArrete", f"='{settings_name}'!$B$2")
    write_home(wb, sheets[tx.HOME], fmt, lang, values["as_of"])
    for table in DATA_TABLES:
        _write_table(sheets[table], table, tables.get(table), fmt, lang)
    _write_settings(sheets[SETTINGS], values, fmt, lang)
    write_xlwings_conf(sheets[tx.XLWINGS], fmt)
    sheets[tx.HOME].activate()
    wb.close()
    return path


def _formats(wb: Any) -> dict[str, Any]:
    return {
        "date": wb.add_format({"num_format": DATE_FORMAT}),
        "euro": wb.add_format({"num_format": EURO_FORMAT}),
        "text": wb.add_format({"num_format": "@"}),
        "int": wb.add_format({"num_format": "0"}),
        "general": wb.add_format({}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "title": wb.add_format({"bold": True, "font_size": 18, "font_color": "#1F3864"}),
        "subtitle": wb.add_format({"italic": True, "font_color": "#595959"}),
        "bold": wb.add_format({"bold": True, "font_size": 12, "font_color": "#1F3864"}),
        "label": wb.add_format({"bold": True, "valign": "vcenter"}),
        "as_of": wb.add_format({"num_format": DATE_FORMAT, "bold": True, "align": "left", "bg_color": "#F2F2F2",
                                "border": 1, "border_color": "#BFBFBF"}),
        "desc": wb.add_format({"valign": "vcenter", "font_color": "#404040"}),
        "link": wb.add_format({"font_color": "#0563C1", "underline": 1}),
        "note": wb.add_format({"italic": True, "font_color": "#595959"}),
        "key": wb.add_format({"bold": True}),
        "value": wb.add_format({"align": "left"}),
        "value_date": wb.add_format({"num_format": DATE_FORMAT, "align": "left"}),
        "value_percent": wb.add_format({"num_format": "0%", "align": "left"}),
        "value_int": wb.add_format({"num_format": "0", "align": "left"}),
    }


def _kind_format(key: str | None, kind: str | None, fmt: dict[str, Any]) -> Any:
    if key in _TEXT_KEYS:
        return fmt["text"]
    return {"date": fmt["date"], "amount": fmt["euro"], "int": fmt["int"]}.get(kind or "", fmt["general"])


def _columns(table: str, frame: pd.DataFrame | None, lang: str) -> list[tuple[str, str | None, Any]]:
    """(header, column key or None, source column or None) in table order: template columns, then extras."""
    mapped: dict[str, Any] = {}
    extras: list[tuple[str, str | None, Any]] = []
    for col in (frame.columns if frame is not None else ()):
        key = match_header(table, col)
        if key in TEMPLATE_COLUMNS[table] and key not in mapped:
            mapped[key] = col
        else:
            extras.append((str(col), key, col))
    out = [(header(table, k, lang), k, mapped.get(k)) for k in TEMPLATE_COLUMNS[table]]
    return out + extras


def _write_table(ws: Any, table: str, frame: pd.DataFrame | None, fmt: dict[str, Any], lang: str) -> None:
    cols = _columns(table, frame, lang)
    n_rows = max(len(frame) if frame is not None else 0, 1)
    for c, (title, key, source) in enumerate(cols):
        kind = column(table, key).kind if key else None
        cell_fmt = _kind_format(key, kind, fmt)
        width = _WIDTHS.get(key or "", 13 if kind in ("date", "amount") else max(12, len(title) + 4))
        ws.set_column(c, c, width, cell_fmt)
        values = frame[source].tolist() if frame is not None and source is not None else []
        for r, value in enumerate(values, start=1):
            if not _is_missing(value):  # empty cells take the column's format
                _write_value(ws, r, c, value, kind, cell_fmt, fmt, lang)
        _validate(ws, table, key, kind, c, lang)
    ws.add_table(0, 0, n_rows, len(cols) - 1, {
        "name": TABLE_NAMES[table], "style": "Table Style Medium 2",
        "columns": [{"header": title} for title, _, _ in cols]})
    ws.freeze_panes(1, 0)


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _write_value(ws: Any, row: int, col: int, value: Any, kind: str | None, cell_fmt: Any,
                 fmt: dict[str, Any], lang: str) -> None:
    if isinstance(value, str):
        ws.write_string(row, col, value, cell_fmt)  # never a formula, even when it starts with "="
    elif isinstance(value, bool) or (kind == "bool" and isinstance(value, _NUMBERS)):
        ws.write_string(row, col, tx.CHOICES[lang]["bool"][0 if value else 1], cell_fmt)
    elif kind == "text":  # invoice 1042.0 -> "1042"; a date -> ISO text
        if isinstance(value, _NUMBERS) and float(value).is_integer():
            text = str(int(value))
        else:
            text = value.isoformat() if isinstance(value, dt.date) else str(value)
        ws.write_string(row, col, text, cell_fmt)
    elif isinstance(value, dt.datetime):  # also pandas Timestamp
        ws.write_datetime(row, col, value.replace(tzinfo=None), fmt["date"])
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt["date"])
    elif isinstance(value, _NUMBERS) or hasattr(value, "dtype"):
        number = float(value)
        ws.write_number(row, col, number, fmt["general"] if math.isinf(number) else cell_fmt)
    else:
        ws.write_string(row, col, str(value), cell_fmt)


def _validation(kind: str, lang: str, source: tuple[str, ...] = (), low: int = 0, high: int = 0) -> dict:
    texts = tx.VALIDATION_TEXT[lang]
    title, message = texts[kind]
    options: dict[str, Any] = {"input_title": title, "input_message": message, "error_type": "warning",
                               "error_title": texts["error"][0], "error_message": texts["error"][1]}
    if kind == "date":
        options |= {"validate": "date", "criteria": "between", "minimum": dt.date(1900, 1, 1),
                    "maximum": dt.date(2099, 12, 31)}
    elif kind == "list":
        options |= {"validate": "list", "source": list(source)}
    else:
        options |= {"validate": "integer", "criteria": "between", "minimum": low, "maximum": high}
    return options


def _validate(ws: Any, table: str, key: str | None, kind: str | None, col: int, lang: str) -> None:
    if kind == "date":
        ws.data_validation(1, col, MAX_ROW, col, _validation("date", lang))
    elif (table, key) in _VALIDATION:
        ws.data_validation(1, col, MAX_ROW, col, _validation("list", lang, tx.CHOICES[lang][_VALIDATION[table, key]]))
    elif (table, key) == ("reminders", "level"):
        ws.data_validation(1, col, MAX_ROW, col, _validation("whole", lang, low=1, high=4))
    elif (table, key) == ("clients", "terms_days"):
        ws.data_validation(1, col, MAX_ROW, col, _validation("whole", lang, low=0, high=365))


def _settings_values(overrides: Mapping[str, object]) -> dict[str, object]:
    defaults = Settings()
    fields = {s.field for s in SETTINGS_SPEC}
    unknown = set(overrides) - fields
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}; expected some of {sorted(fields)}")
    return {s.field: overrides.get(s.field, getattr(defaults, s.field)) for s in SETTINGS_SPEC}


def _setting_cell(spec: SettingSpec, value: object, lang: str) -> tuple[str, object]:
    """(cell type, value) of a setting as shown in Paramètres: 'blank', 'string', 'number' or 'date'."""
    if value is None or value == "":
        return "blank", None
    if spec.kind == "rule" and value in tx.RULE_INDEX:
        return "string", tx.CHOICES[lang]["rule"][tx.RULE_INDEX[str(value)]]
    if isinstance(value, str):
        return "string", value
    if spec.kind == "date":
        return ("date", value) if isinstance(value, dt.date) else ("string", str(value))
    if spec.kind == "edges":
        return "string", ";".join(f"{float(v):g}" for v in value)  # type: ignore[attr-defined]
    if spec.kind == "order":
        return "string", tx.CHOICES[lang]["order"][0 if value else 1]
    if spec.kind == "bool":
        return "string", tx.CHOICES[lang]["bool"][0 if value else 1]
    return "number", float(value)  # type: ignore[arg-type]


def _write_settings(ws: Any, values: dict[str, object], fmt: dict[str, Any], lang: str) -> None:
    ws.set_column(0, 0, 46, fmt["general"])
    ws.set_column(1, 1, 22, fmt["value"])
    ws.set_column(2, 2, 110, fmt["general"])
    for row, spec in enumerate(SETTINGS_SPEC, start=1):
        label = spec.fr if lang == "fr" else spec.en
        explanation = spec.help_fr if lang == "fr" else spec.help_en
        ws.write_string(row, 0, label, fmt["key"])
        ws.write_comment(row, 0, explanation, {"author": "audit-poste-clients", "x_scale": 2.2, "y_scale": 1.2})
        cell_type, value = _setting_cell(spec, values[spec.field], lang)
        cell_fmt = fmt["value_" + spec.kind] if "value_" + spec.kind in fmt else fmt["value"]
        if cell_type == "blank":
            ws.write_blank(row, 1, None, cell_fmt)
        elif cell_type == "date":
            ws.write_datetime(row, 1, dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value,
                              cell_fmt)
        elif cell_type == "number":
            ws.write_number(row, 1, value, cell_fmt)
        else:
            ws.write_string(row, 1, str(value), cell_fmt)
        ws.write_string(row, 2, explanation, fmt["general"])
        _validate_setting(ws, row, spec, lang)
    ws.add_table(0, 0, len(SETTINGS_SPEC), 2, {
        "name": TABLE_NAMES[SETTINGS], "style": "Table Style Medium 4",
        "columns": [{"header": header(SETTINGS, k, lang)} for k in TEMPLATE_COLUMNS[SETTINGS]]})
    ws.freeze_panes(1, 0)


def _validate_setting(ws: Any, row: int, spec: SettingSpec, lang: str) -> None:
    choices = {"lang": "lang", "order": "order", "rule": "rule"}
    if spec.kind == "date":
        ws.data_validation(row, 1, row, 1, _validation("date", lang))
    elif spec.kind in choices:
        ws.data_validation(row, 1, row, 1, _validation("list", lang, tx.CHOICES[lang][choices[spec.kind]]))
    elif spec.kind == "int":
        ws.data_validation(row, 1, row, 1, _validation("whole", lang, low=0, high=100_000))
