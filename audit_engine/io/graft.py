"""Graft result sheets into the user's workbook package, leaving every other part as it was.

The results are a standalone package (XlsxWriter) holding only the result sheets. The user's package
is never loaded as a workbook: only ``workbook.xml``, its relationships, ``[Content_Types].xml``,
``styles.xml``, ``docProps/app.xml`` and the relationship parts are parsed; the user's worksheets are
copied raw (see :mod:`audit_engine.io.package`), so a 500 MB sheet costs a file copy.

**Which sheets are ours.** Each result sheet carries a hidden, sheet-scoped defined name
``_AuditPosteClients`` whose value is ``{"<logical name>","<sheet name>"}``: the name the results gave
it, and the name it got in the workbook. A sheet is ours only if it carries that name *and* is still
called what the marker says, so a sheet the user made (even one called "Synthèse"), a copy of a result
sheet ("Synthèse (2)" carries the copied marker, with another name) or a result sheet the user renamed
to keep it, is never removed. Excel and LibreOffice keep a sheet-scoped name with its sheet when
sheets are moved or deleted. The live (xlwings) writer can use the same convention:
:func:`marker_formula`.

**Where they go.** A new sheet takes the place of the previous sheet of the same logical name (so a
user's reordering is kept); a sheet with no predecessor goes right after the result sheet before it
in the results' order (else before the one after it; else at the end of the workbook). Ids (sheetId,
relationship ids, part names, table ids) are the lowest free ones, so re-running with the same
results gives the same bytes. When the user has a sheet of that name, ours is called "Synthèse (2)"
and the references to it in our formulas, charts and links follow.

**calcChain.** When sheets are removed, ``xl/calcChain.xml`` (Excel's cache of the formula order,
which would list cells of the removed sheets) is dropped with its relationship and content type;
Excel rebuilds it silently. When sheets are only added, it is kept as it is.

>>> # graft_sheets(Path("Classeur.xlsm"), results_bytes, Path("out.xlsm"), replace={"Synthèse"})
>>> marker_formula("Synthèse", "Synthèse (2)"), parse_marker('{"Synthèse","Synthèse (2)"}')
('{"Synthèse","Synthèse (2)"}', ('Synthèse', 'Synthèse (2)'))
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .graft_parts import GraftError
from .graft_plan import Plan, marker_formula, parse_marker, plan_graft
from .package import Package, write_package

MARKER = "_AuditPosteClients"
__all__ = ["MARKER", "GraftError", "GraftResult", "graft_sheets", "marker_formula", "parse_marker", "remove_sheets"]


@dataclass(frozen=True)
class GraftResult:
    """What was written: the result sheets now in the workbook (their names, in workbook order) and
    the sheets removed (ours, from a previous run)."""

    sheets: tuple[str, ...]
    removed: tuple[str, ...]


def _run(user_pkg: Path, out: Path | BinaryIO, results: Path | bytes | None, targets: Collection[str] | None,
         marker: str) -> GraftResult:
    if isinstance(out, str | Path) and Path(out).resolve() == Path(user_pkg).resolve():
        raise GraftError("the output must be another file than the user's workbook (write to a temporary file)")
    res: Package | None = None
    try:
        with Package.open(user_pkg) as user:
            res = Package.open(results) if results is not None else None
            plan: Plan = plan_graft(user, res, targets, marker)
            write_package(user, out, changed=plan.changed, removed=plan.removed, copied=plan.copied)
    except GraftError:
        raise
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:  # a malformed package
        raise GraftError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        if res is not None:
            res.close()
    return GraftResult(plan.sheets, plan.removed_sheets)


def graft_sheets(user_pkg: Path, results_pkg: Path | bytes, out: Path | BinaryIO, *,
                 replace: Collection[str] = (), marker: str = MARKER) -> GraftResult:
    """Write to ``out`` the user's package with the sheets of ``results_pkg`` grafted in.

    Our sheets from a previous run whose logical name is in ``replace`` or among the results' sheets
    are removed first, with every part only they use. Every other part of the user's package is
    copied byte for byte (raw); only ``workbook.xml``, its relationships, ``[Content_Types].xml``,
    ``styles.xml`` (styles appended, never moved) and ``docProps/app.xml`` change. ``out`` must not
    be ``user_pkg`` (see :func:`audit_engine.io.workbook_writer.write_results` for the atomic way).
    """
    return _run(Path(user_pkg), out, results_pkg, set(replace), marker)


def remove_sheets(user_pkg: Path, out: Path | BinaryIO, names: Collection[str] | None = None, *,
                  marker: str = MARKER) -> GraftResult:
    """Write to ``out`` the user's package without our result sheets: those whose logical or current
    name is in ``names``, or all of them when ``names`` is None. The user's sheets are never removed."""
    return _run(Path(user_pkg), out, None, None if names is None else set(names), marker)
