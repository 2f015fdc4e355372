"""Write an audit's result sheets: into the user's workbook (grafted), or alone into a new file.

The layout is computed once (:func:`audit_engine.layout.build_layout`), rendered by XlsxWriter into a
standalone package, then grafted into the workbook (:mod:`audit_engine.io.workbook_writer`), so the
user's own sheets and parts are copied as they are. The action-plan tracking columns the user filled in
on a previous run are read back first and carried over.

>>> # report = audit_path("classeur.xlsm")
>>> # write_into_workbook(Path("classeur.xlsm"), report)             # results inside the workbook
>>> # write_report_file(report, Path("rapport.xlsx"))                 # results alone
"""

from __future__ import annotations

import io
from collections.abc import Collection
from pathlib import Path
from typing import Any

from ..layout import build_layout, read_tracking, section_keys, sheet_key, sheet_names
from .files import atomic_target
from .workbook_writer import GraftResult, clear_results, result_sheets, write_results
from .xlsx_layout import render_layout

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}


def previous_tracking(workbook: Path) -> dict[str, dict[str, Any]] | None:
    """The tracking rows of the action-plan sheet a previous run wrote in ``workbook`` (None if none)."""
    ours = [name for name in result_sheets(workbook) if sheet_key(name) == "actions"]
    if not ours:
        return None
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(workbook))
    rows = wb.get_sheet_by_name(ours[0]).to_python(skip_empty_area=False)
    return read_tracking(rows)


def render_results(report: Any, tracking: dict[str, dict[str, Any]] | None = None,
                   sections: Collection[int] | None = None) -> bytes:
    """The result sheets of ``report`` as a standalone .xlsx package (bytes)."""
    layout = build_layout(report, tracking=tracking, sections=sections)
    buffer = io.BytesIO()
    render_layout(layout, buffer, report.lang)
    return buffer.getvalue()


def _names_to_replace(sections: Collection[int] | None) -> list[str]:
    """Our sheets a run replaces, in both languages (a run in English replaces the French sheets)."""
    keys = section_keys(sections)
    return [sheet_names(lang)[key] for lang in ("fr", "en") for key in keys]


def write_into_workbook(workbook: Path, report: Any, *, output: Path | None = None,
                        sections: Collection[int] | None = None) -> GraftResult:
    """Graft the result sheets into ``workbook`` (or into a copy at ``output``), atomically."""
    tracking = previous_tracking(workbook)
    package = render_results(report, tracking, sections)
    return write_results(workbook, package, output=output, sheet_names=_names_to_replace(sections))


def write_report_file(report: Any, path: Path) -> Path:
    """The result sheets alone in a new .xlsx file (written atomically)."""
    data = render_results(report)
    with atomic_target(path) as tmp:
        tmp.write_bytes(data)
    return path


def clear_workbook(workbook: Path, output: Path | None = None) -> GraftResult:
    """Remove every result sheet the audit wrote; the user's sheets stay."""
    return clear_results(workbook, output=output)
