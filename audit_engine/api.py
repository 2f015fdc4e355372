"""The library's front door: one call from a file to an :class:`~audit_engine.report.AuditReport`.

>>> from audit_engine.api import audit_path   # doctest: +SKIP
>>> report = audit_path("demo/factures.csv", as_of="2026-11-30", lang="en")   # doctest: +SKIP
>>> report.to_dict()["delays"]["dso_simple"]   # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .audit import run_audit
from .ingest import ingest
from .io import read_input
from .io.raw import RawInput
from .report import AuditReport


def audit_raw(raw: RawInput, progress: Callable[[str], None] | None = None, **overrides: Any) -> AuditReport:
    """Audit raw tables (from any reader, including the Excel add-in's)."""
    if progress:
        progress("ingest")
    ledger, settings, findings = ingest(raw, **overrides)
    return run_audit(ledger, settings, findings, progress=progress)


def audit_path(path: str | Path, progress: Callable[[str], None] | None = None, **overrides: Any) -> AuditReport:
    """Read ``path`` (workbook, CSV, folder of CSVs or FEC) and audit it.

    ``overrides``: Settings fields that win over the Paramètres sheet (as_of="YYYY-MM-DD", lang="en"...).
    """
    if progress:
        progress("read")
    return audit_raw(read_input(path), progress=progress, **overrides)
