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


def records(frame: pd.DataFrame, specs: tuple[ColumnSpec, ...]) -> list[dict[str, Any]]:
    """Rows of a detail table as JSON-ready dicts, rounded by column kind, dates as ISO text."""
    out = []
    conv = {"amount": amount, "days": days, "share": share, "rate": days}
    cols = [s for s in specs if s.key in frame.columns]
    for row in frame[[s.key for s in cols]].itertuples(index=False, name=None):
        item: dict[str, Any] = {}
        for spec, value in zip(cols, row, strict=True):
            if spec.kind in conv:
                item[spec.key] = conv[spec.kind](value)
            elif spec.kind == "date":
                item[spec.key] = None if pd.isna(value) else pd.Timestamp(value).date().isoformat()
            elif spec.kind == "int":
                item[spec.key] = None if value is None or pd.isna(value) else int(value)
            elif spec.kind == "bool":
                item[spec.key] = bool(value)
            else:
                item[spec.key] = None if value is None or (isinstance(value, float) and math.isnan(value)) \
                    else str(value)
        out.append(item)
    return out
