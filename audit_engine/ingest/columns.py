"""Map a raw table's headers to canonical columns and parse them by kind, collecting findings.

>>> import numpy as np, pandas as pd
>>> from audit_engine.io.raw import RawTable
>>> rt = RawTable.from_rows("invoices", "Factures", "x.csv",
...     [["InvoiceNumber", "Customer ID", "InvoiceDate", "Amount", "Notes"],
...      ["F1", "C1", "15/01/2025", "1 200,00", "hi"],
...      ["F2", "C1", "bad", "10", None]])
>>> parsed = parse_table(rt, lang="en")
>>> parsed.frame["amount"].tolist(), parsed.frame["row"].tolist()
([1200.0, 10.0], [2, 3])
>>> sorted(f.code for f in parsed.findings)
['bad_date', 'date_order', 'unknown_columns']
>>> parsed.valid.tolist()
[True, False]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import MissingColumnError
from ..findings import Finding, show_value
from ..io.raw import RawTable
from ..schema import COLUMNS, column, header, match_header
from .values import parse_amount_column, parse_bool_column, parse_date_column, text_column


@dataclass
class ParsedTable:
    table: str
    sheet: str
    frame: pd.DataFrame  # canonical columns present + "row"
    valid: pd.Series  # False for rows to exclude (required value missing or unreadable)
    present: set[str]
    findings: list[Finding] = field(default_factory=list)
    date_orders: dict[str, str] = field(default_factory=dict)


def _findings_for(mask: pd.Series, raw: pd.Series, rows: np.ndarray, sheet: str, col_header: str,
                  severity: str, code: str) -> list[Finding]:
    idx = np.flatnonzero(mask.to_numpy())
    if not len(idx):
        return []
    values = raw.to_numpy()
    return [Finding(severity, sheet, int(rows[i]), col_header, show_value(values[i]), code) for i in idx]


def _drop_empty_rows(rt: RawTable) -> tuple[pd.DataFrame, np.ndarray, list[Finding]]:
    frame = rt.frame
    if frame.empty:
        return frame, rt.rows, []
    empty = frame.isna().all(axis=1).to_numpy()
    findings: list[Finding] = []
    if empty.any():
        nonempty = np.flatnonzero(~empty)
        last = nonempty[-1] if len(nonempty) else -1
        first = nonempty[0] if len(nonempty) else len(empty)
        interior = np.flatnonzero(empty[: last + 1])
        findings = [Finding("info", rt.sheet, int(rt.rows[i]), None, None, "empty_row")
                    for i in interior if i > first][:1000]
        keep = ~empty
        return frame.loc[keep], rt.rows[keep], findings
    return frame, rt.rows, findings


def parse_table(rt: RawTable, *, lang: str = "fr", day_first: bool = True,
                require: bool = True) -> ParsedTable:
    """Canonical, typed columns for ``rt``; raises MissingColumnError when a required column is absent."""
    table = rt.table
    frame, rows, findings = _drop_empty_rows(rt)
    mapping: dict[str, str] = {}
    for col in frame.columns:
        key = match_header(table, col)
        if key is None or key in mapping.values():
            if str(col).strip() and not str(col).startswith("Colonne "):
                findings.append(Finding("info", rt.sheet, rt.header_row, str(col), None, "unknown_columns"))
            continue
        mapping[col] = key
    present = set(mapping.values())
    if table == "invoices" and "amount" not in present and {"debit", "credit"} <= present:
        present.add("amount")  # debit - credit, computed below
    if require:
        for col in COLUMNS[table]:
            if col.required and col.key not in present:
                raise MissingColumnError(file=rt.source, sheet=rt.sheet, column_fr=header(table, col.key, "fr"),
                                         column_en=header(table, col.key, "en"))
    out: dict[str, pd.Series] = {}
    valid = pd.Series(True, index=frame.index)
    orders: dict[str, str] = {}
    for raw_name, key in mapping.items():
        col = column(table, key)
        raw = frame[raw_name]
        if col.kind == "text":
            out[key] = text_column(raw)
            if col.required:
                missing = out[key].isna()
                findings += _findings_for(missing, raw, rows, rt.sheet, raw_name, "error", "missing_value")
                valid &= ~missing
        elif col.kind == "date":
            values, order, bad, reason = parse_date_column(raw, day_first)
            out[key] = values
            if reason != "none":
                orders[key] = order
                findings.append(Finding("info", rt.sheet, rt.header_row, raw_name, None, "date_order",
                                        {"order": _order_label(order, lang), "reason": _reason_label(reason, lang)}))
            if col.required:
                findings += _findings_for(bad, raw, rows, rt.sheet, raw_name, "error", "bad_date")
                missing = values.isna() & ~bad
                findings += _findings_for(missing, raw, rows, rt.sheet, raw_name, "error", "missing_value")
                valid &= values.notna()
            else:
                findings += _findings_for(bad, raw, rows, rt.sheet, raw_name, "warning", "bad_optional_date")
        elif col.kind in ("amount", "int"):
            values, bad = parse_amount_column(raw)
            out[key] = values
            if col.required:
                findings += _findings_for(bad, raw, rows, rt.sheet, raw_name, "error", "bad_amount")
                missing = values.isna() & ~bad
                findings += _findings_for(missing, raw, rows, rt.sheet, raw_name, "error", "missing_value")
                valid &= values.notna()
            else:
                code = "bad_optional_amount" if col.kind == "amount" else "bad_number"
                findings += _findings_for(bad, raw, rows, rt.sheet, raw_name, "warning", code)
        elif col.kind == "bool":
            values, bad = parse_bool_column(raw)
            out[key] = values
            findings += _findings_for(bad, raw, rows, rt.sheet, raw_name, "warning", "bad_bool")
    if table == "invoices" and "amount" not in mapping.values() and "amount" in present:
        out["amount"] = out["debit"].fillna(0.0) - out["credit"].fillna(0.0)
        valid &= out["debit"].notna() | out["credit"].notna()
    result = pd.DataFrame(out, index=frame.index)
    result["row"] = rows
    return ParsedTable(table, rt.sheet, result, valid, present, findings, orders)


def _order_label(order: str, lang: str) -> str:
    if lang == "en":
        return "day first (DD/MM/YYYY)" if order == "day_first" else "month first (MM/DD/YYYY)"
    return "jour en premier (JJ/MM/AAAA)" if order == "day_first" else "mois en premier (MM/JJ/AAAA)"


def _reason_label(reason: str, lang: str) -> str:
    if lang == "en":
        return "decided by the data" if reason == "data" else "ambiguous values: the setting decided"
    return "déduit des données" if reason == "data" else "valeurs ambiguës : le paramètre a décidé"

