"""The report layout: which result sheet, which block at which cell, which chart over which range.

Pure data computed from an :class:`~audit_engine.report.AuditReport` (:func:`build_layout`), applied by
thin writers (:func:`audit_engine.io.xlsx_layout.render_layout` for files, the add-in for live Excel).

>>> from audit_engine.layout import result_sheet_names, sheet_key
>>> result_sheet_names("en")[0], sheet_key("Synthèse")
('Summary', 'summary')
"""

from .build import build_layout
from .model import (
    Cells,
    Chart,
    Column,
    CondFormat,
    Link,
    RangeRef,
    Series,
    SheetLayout,
    Table,
    Text,
    WorkbookLayout,
)
from .names import SHEET_KEYS, SHEET_NAMES, result_sheet_names, section_keys, sheet_key, sheet_names
from .tracking import TRACKING_COLUMNS, merge_tracking, read_tracking

__all__ = [
    "SHEET_KEYS", "SHEET_NAMES", "TRACKING_COLUMNS", "Cells", "Chart", "Column", "CondFormat", "Link", "RangeRef",
    "Series", "SheetLayout", "Table", "Text", "WorkbookLayout", "build_layout", "merge_tracking", "read_tracking",
    "result_sheet_names", "section_keys", "sheet_key", "sheet_names",
]
