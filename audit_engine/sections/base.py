"""What every audit section shares: column descriptions, observations, and JSON rounding.

A section is one module with one entry function ``compute(ledger, settings) -> <Section>Result``
(a frozen dataclass: scalar KPIs, detail tables as DataFrames with English snake_case columns, and
``observations``). Results are data only: the JSON, the terminal summary and the Excel sheets are
all rendered from them.

An :class:`Observation` is one thing the audit noticed that calls for action (an old invoice, terms
above the legal maximum, a client to block...). The action plan (section 5) turns observations into
prioritised actions; ``rule`` is a stable identifier, so ``(section, rule, client_id)`` identifies an
action across runs.

>>> o = Observation(section=1, rule="old_invoices", client_id="C1", amount=1250.0, count=2,
...                 params={"days": 90})
>>> o.key
'1:old_invoices:C1'
>>> amount(1234.5678), days(12.3456), share(0.123456)
(1234.57, 12.35, 0.1235)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

# kinds of columns, for renderers: text, amount (EUR), date, days, share (fraction 0..1), int, rate (%)
KINDS = ("text", "amount", "date", "days", "share", "int", "rate", "bool")


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    fr: str
    en: str
    kind: str

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


@dataclass(frozen=True)
class Observation:
    section: int
    rule: str
    client_id: str | None = None
    amount: float | None = None  # the amount at stake (EUR), when it has one
    count: int | None = None  # how many invoices / items
    cash_impact: float | None = None  # cash the action could bring in (EUR), when it can be estimated
    severity: int = 2  # 1 = high, 2 = medium, 3 = low
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.section}:{self.rule}:{self.client_id or '*'}"


def _finite(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def amount(x: Any) -> float | None:
    f = _finite(x)
    return None if f is None else round(f + 0.0, 2) + 0.0


def days(x: Any) -> float | None:
    f = _finite(x)
    return None if f is None else round(f, 2) + 0.0


def share(x: Any) -> float | None:
    f = _finite(x)
    return None if f is None else round(f, 4) + 0.0


def _column_values(values: pd.Series, kind: str) -> list[Any]:
    """One column of a detail table as JSON-ready Python values (vectorised by kind)."""
    if kind in ("amount", "days", "share", "rate"):
        decimals = {"amount": 2, "days": 2, "rate": 2, "share": 4}[kind]
        arr = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        arr = np.round(arr, decimals) + 0.0
        ok = np.isfinite(arr)
        return [float(x) if k else None for x, k in zip(arr.tolist(), ok.tolist(), strict=True)]
    if kind == "date":
        ts = pd.to_datetime(values, errors="coerce")
        text = ts.dt.strftime("%Y-%m-%d")
        return [None if pd.isna(x) else x for x in text.tolist()]
    if kind == "int":
        arr = pd.to_numeric(values, errors="coerce")
        return [None if pd.isna(x) else int(x) for x in arr.tolist()]
    if kind == "bool":
        return [bool(x) for x in values.fillna(False).tolist()]
    return [None if x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA else str(x)
            for x in values.tolist()]


def records(frame: pd.DataFrame, specs: tuple[ColumnSpec, ...]) -> list[dict[str, Any]]:
    """Rows of a detail table as JSON-ready dicts, rounded by column kind, dates as ISO text."""
    cols = [s for s in specs if s.key in frame.columns]
    if not cols or frame.empty:
        return []
    keys = [s.key for s in cols]
    columns = [_column_values(frame[s.key], s.kind) for s in cols]
    return [dict(zip(keys, row, strict=True)) for row in zip(*columns, strict=True)]
