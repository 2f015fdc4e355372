"""What every result sheet shares: the language context, key figures, and value conversion (engine
frames to plain Python cell values, engine codes to words).

>>> import pandas as pd
>>> from audit_engine.sections.base import ColumnSpec
>>> specs = (ColumnSpec("open_amount", "Reste dû", "Open amount", "amount"),
...          ColumnSpec("client_id", "Code client", "Client code", "text"))
>>> cols, rows = frame_rows(pd.DataFrame({"open_amount": [12.346], "client_id": ["=C1"]}), specs, "fr")
>>> [c.header for c in cols], rows
(['Code client', 'Reste dû'], [('=C1', 12.35)])
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..i18n import has, t
from ..sections.base import ColumnSpec
from .model import Column, Value

KIND_STYLE = {"amount": "amount", "date": "date", "days": "days", "share": "share", "int": "int",
              "rate": "rate", "text": "text", "bool": "text"}
IDENTITY = ("client_id", "client_name")  # first in every table, so columns B and C line up down a sheet


def lt(code: str, lang: str, **params: Any) -> str:
    """A layout text (``locale/layout.py``, codes ``layout.*``)."""
    return t(f"layout.{code}", lang, **params)


def label_key(lang: str) -> str:
    """The label column kept from a table with ``label_fr`` / ``label_en``."""
    return "label_en" if lang == "en" else "label_fr"


def code_label(column: str, value: Any, lang: str) -> Any:
    """An engine code shown in words (e.g. trend "worsening" -> "En dégradation"); other values as they are."""
    if isinstance(value, str) and has(f"layout.code.{column}.{value}"):
        return t(f"layout.code.{column}.{value}", lang)
    return value


def scalar(x: Any, kind: str = "text") -> Value:
    """A cell value of ``kind`` as a plain Python scalar (numpy, pandas and NaN handled); amounts
    rounded to the cent, days to 0.01 and shares to 0.0001 as in the JSON."""
    if x is None or x is pd.NaT or x is pd.NA:
        return None
    if isinstance(x, (float, np.floating)) and not math.isfinite(float(x)):
        return None
    if kind == "date":
        if isinstance(x, str):
            return dt.date.fromisoformat(x[:10])
        return pd.Timestamp(x).date()
    if kind in ("amount", "days", "share", "rate"):
        digits = {"amount": 2, "days": 2, "share": 4, "rate": 2}[kind]
        return round(float(x), digits) + 0.0
    if kind == "int":
        return int(x)
    if kind == "bool":
        return bool(x)
    if isinstance(x, np.generic):
        x = x.item()
    if isinstance(x, (dt.datetime, pd.Timestamp)):
        return pd.Timestamp(x).date()
    return x if isinstance(x, (str, int, float, dt.date)) else str(x)


def _column(frame: pd.DataFrame, spec: ColumnSpec, lang: str, n: int) -> list[Value]:
    s = frame[spec.key].iloc[:n]
    kind = spec.kind
    if kind in ("amount", "days", "share", "rate"):
        digits = {"amount": 2, "days": 2, "share": 4, "rate": 2}[kind]
        arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float).tolist()
        return [round(v, digits) + 0.0 if math.isfinite(v) else None for v in arr]  # as the JSON rounds
    if kind == "int":
        arr = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float)
        return [None if not math.isfinite(v) else int(v) for v in arr.tolist()]
    if kind == "date":
        d = pd.to_datetime(s, errors="coerce")
        return [None if pd.isna(v) else v.date() for v in d]
    if kind == "bool":
        yes, no = lt("yes", lang), lt("no", lang)
        return [None if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else (yes if v else no)
                for v in s.astype(object).tolist()]
    values = s.astype(object).where(s.notna(), None).tolist()
    if any(not isinstance(v, (str, type(None))) for v in values):
        values = [scalar(v) for v in values]
    words = {v: code_label(spec.key, v, lang) for v in set(values) if isinstance(v, str)}
    if any(w is not v for v, w in words.items()):
        values = [words.get(v, v) if isinstance(v, str) else v for v in values]
    return values


MAX_TABLE_ROWS = 10_000  # per detail table in the workbook; the JSON keeps every row


def frame_rows(frame: pd.DataFrame, specs: Sequence[ColumnSpec], lang: str, cap: int = MAX_TABLE_ROWS,
               drop: Iterable[str] = ()) -> tuple[list[Column], list[tuple[Value, ...]]]:
    """The columns (those of ``specs`` present in ``frame``, minus ``drop``; client code and name first)
    and the first ``cap`` rows.

    Columns ``label_fr`` / ``label_en`` become one label column in ``lang``; engine codes are shown in
    words (:func:`code_label`); booleans as Oui/Non (Yes/No)."""
    dropped = set(drop) | {"label_en" if lang != "en" else "label_fr"}
    keep = [s for s in specs if s.key in frame.columns and s.key not in dropped]
    keep.sort(key=lambda s: IDENTITY.index(s.key) if s.key in IDENTITY else len(IDENTITY))  # stable
    n = min(len(frame), cap)
    columns, seen = [], set()
    for s in keep:
        header = s.label(lang)
        if s.key in ("label_fr", "label_en"):
            header = lt("label", lang)
        while header.casefold() in seen:  # Excel wants unique headers
            header += " (2)"
        seen.add(header.casefold())
        columns.append(Column(s.key, header, KIND_STYLE.get(s.kind, "text")))
    data = [_column(frame, s, lang, n) for s in keep]
    for j, values in enumerate(data):  # short codes (ABC class, rating A-D): centred
        if columns[j].style == "text" and values and all(v is None or (isinstance(v, str) and len(v) <= 3)
                                                          for v in values):
            columns[j] = Column(columns[j].key, columns[j].header, "center")
    return columns, list(zip(*data, strict=True)) if data else []


def value_width(v: Value, style: str) -> float:
    """Characters needed to show ``v`` in ``style``."""
    if v is None:
        return 0.0
    if isinstance(v, str):
        return float(len(v))
    if isinstance(v, dt.date):
        return 10.0
    x = float(v)
    if style == "amount":
        return len(f"{x:,.2f}") + 2.0
    if style == "share":
        return len(f"{100 * x:.1f}") + 2.0
    if style in ("days", "rate"):
        return len(f"{x:,.1f}") + 1.0
    return len(f"{x:,.0f}") + 0.0


def wrapped_lines(value: Value, width: float, most: int = 10) -> int:
    """Lines a text takes once wrapped in a column ``width`` characters wide (Calibri 11: about 1.1
    average characters per width unit)."""
    if not isinstance(value, str) or not value:
        return 1
    return min(most, len(textwrap.wrap(value, max(8, int(width * 1.1) - 2))) or 1)


@dataclass(frozen=True)
class KeyFigure:
    """One row of a key-figures block: label, value (in ``style``) and a short remark."""

    key: str
    label: str
    value: Value
    style: str
    remark: str | None = None


def kf(ctx: Context, key: str, value: Any, style: str, remark: str | None = None) -> KeyFigure:
    """A key figure labelled ``layout.kpi.<key>``."""
    return KeyFigure(key, ctx.t(f"kpi.{key}"), value, style, remark)


def heading(ctx: Context, code: str) -> KeyFigure:
    """A group heading inside a key-figures block, labelled ``layout.group.<code>``."""
    return KeyFigure(code, ctx.t(f"group.{code}"), None, "heading")


@dataclass(frozen=True)
class Context:
    """What the sheet builders read: the report, the language and the sheet names."""

    report: Any  # AuditReport
    lang: str
    names: Mapping[str, str]

    def t(self, code: str, **params: Any) -> str:
        return lt(code, self.lang, **params)


