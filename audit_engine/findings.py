"""Data-quality findings: a problem in the data, where it is, and what the audit did about it.

Findings are records, not exceptions: the audit goes on and the user reads them in the data-quality
report. ``row`` is the row number the user sees (the Excel row, or the CSV line with the header on
line 1).

>>> f = Finding("warning", "Factures", 7, "Date facture", "31/02/2025", "bad_date")
>>> f.message("fr")
'Date illisible : la ligne est exclue.'
>>> f.to_dict("en")["message"]
'Unreadable date: the row is excluded.'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .i18n import t

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error": row excluded; "warning": row kept, value doubtful; "info": how data was read
    sheet: str
    row: int | None
    column: str | None
    value: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def message(self, lang: str = "fr") -> str:
        return t("dq." + self.code, lang, **self.params)

    def to_dict(self, lang: str = "fr") -> dict[str, Any]:
        return {
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "code": self.code,
            "message": self.message(lang),
        }


def show_value(value: Any, limit: int = 60) -> str | None:
    """The bad value as the user typed it, shortened for a report."""
    if value is None:
        return None
    try:
        import math

        if isinstance(value, float) and math.isnan(value):
            return None
    except TypeError:  # pragma: no cover
        pass
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
