"""Raw tables: what every reader produces, before any cleaning.

A :class:`RawTable` is a sheet (or CSV file) as the user wrote it: the original headers, the cell
values as read (text, numbers, dates, or None), and for each row the row number the user sees, so
that every finding can point back to it.

>>> import pandas as pd
>>> rt = RawTable.from_rows("invoices", "Factures", "demo.xlsx",
...                         [["N° facture", "Montant TTC"], ["F1", "1 200,00"]], header_row=3)
>>> rt.frame.columns.tolist(), rt.rows.tolist()
(['N° facture', 'Montant TTC'], [4])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class RawTable:
    table: str  # canonical table key ("invoices", "payments", ...)
    sheet: str  # sheet name (workbook) or file name (CSV), as shown to the user
    source: str  # file path
    frame: pd.DataFrame  # original headers; raw cell values
    rows: np.ndarray  # user-visible row number of each frame row
    header_row: int = 1  # user-visible row number of the header line

    @classmethod
    def from_rows(cls, table: str, sheet: str, source: str, values: Sequence[Sequence[object]],
                  header_row: int = 1) -> RawTable:
        """Build from a list of rows whose first row is the header (at ``header_row``)."""
        head = [("" if h is None else str(h).strip()) for h in values[0]] if values else []
        body = [list(r) + [None] * (len(head) - len(r)) for r in values[1:]]
        body = [r[: len(head)] for r in body]
        frame = pd.DataFrame(body, columns=_dedupe(head), dtype=object)
        for name in frame.columns:  # empty cells come as "" from workbook readers
            col = frame[name]
            frame[name] = col.where(col != "", None)
        rows = np.arange(header_row + 1, header_row + 1 + len(frame), dtype=np.int64)
        return cls(table, sheet, source, frame, rows, header_row)


def _dedupe(headers: Sequence[str]) -> list[str]:
    """Blank headers become ``Colonne N``; repeated headers get a suffix so columns stay distinct."""
    seen: dict[str, int] = {}
    out = []
    for i, h in enumerate(headers):
        name = h or f"Colonne {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


@dataclass(frozen=True)
class RawInput:
    """Everything read from one source: the tables found, and facts about the source itself."""

    source: str
    tables: dict[str, RawTable] = field(default_factory=dict)
    sheets_seen: tuple[str, ...] = ()
    # Facts a reader knows and ingestion needs (e.g. a FEC's closing date, its reconciliation data).
    meta: dict[str, object] = field(default_factory=dict)
