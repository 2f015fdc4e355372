"""Write the result sheets into the user's workbook, or clear them: atomically, losing nothing.

The entry points the CLI and the add-in call. The result goes to a temporary file beside the target
(flushed to disk), which replaces the target only when complete (``os.replace``): a failure or an
interruption leaves the workbook as it was. A workbook open in Excel (lock file ``~$NAME`` beside it)
or a folder that cannot be written gives a :class:`~audit_engine.errors.OutputError` with a clear
message; an input that is not an .xlsx/.xlsm package gives an
:class:`~audit_engine.errors.UnreadableFileError`. The format is kept: an .xlsm stays an .xlsm
(content types, VBA project and all).

>>> # results = render_xlsx(report)            # bytes of a package holding only the result sheets
>>> # write_results(Path("Classeur.xlsm"), results, sheet_names=RESULT_SHEETS)
>>> # GraftResult(sheets=('Synthèse', 'Balance âgée', ...), removed=('Synthèse', ...))
>>> # clear_results(Path("Classeur.xlsm")).removed
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import BinaryIO

from ..errors import FileNotFoundInputError, NotWritableError, UnreadableFileError
from .files import atomic_target, check_writable
from .graft import MARKER, GraftResult, graft_sheets, remove_sheets
from .graft_parts import GraftError, main_part
from .graft_plan import owned_sheets
from .graft_workbook import parse_workbook
from .package import Package

WRITABLE_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
STRICT_NS = b"http://purl.oclc.org/ooxml/spreadsheetml/main"


def _check_source(path: Path) -> None:
    """The user's file exists and is an OOXML workbook package (else a clear input error)."""
    if not path.exists():
        raise FileNotFoundInputError(file=str(path))
    if path.suffix.lower() not in WRITABLE_SUFFIXES:
        raise NotWritableError(file=str(path), detail="les résultats s'écrivent dans un classeur .xlsx ou .xlsm"
                               " / results are written into an .xlsx or .xlsm workbook")
    try:
        with Package.open(path) as pkg:
            xml = pkg.read(main_part(pkg))
            parse_workbook(xml)
    except (zipfile.BadZipFile, GraftError, KeyError, ValueError, OSError) as exc:
        raise UnreadableFileError(file=str(path), detail=str(exc) or type(exc).__name__) from exc
    if STRICT_NS in xml:
        raise UnreadableFileError(file=str(path), detail="format « Strict Open XML » non pris en charge : "
                                  "enregistrez-le en classeur Excel standard / Strict Open XML is not supported")


def _target(source: Path, output: Path | None) -> Path:
    target = Path(output) if output is not None else source
    if target.suffix.lower() != source.suffix.lower():
        raise NotWritableError(file=str(target), detail=f"l'extension doit rester {source.suffix} (même format que "
                               f"le classeur d'origine) / the extension must stay {source.suffix}")
    return target


def result_sheets(user_workbook: Path, marker: str = MARKER) -> list[str]:
    """The names of the result sheets the audit wrote in ``user_workbook`` (in workbook order)."""
    path = Path(user_workbook)
    _check_source(path)
    with Package.open(path) as pkg:
        wb = parse_workbook(pkg.read(main_part(pkg)))
    return [wb.sheets[p].name for p in sorted(owned_sheets(wb, marker))]


def _write(target: Path, work: Callable[[BinaryIO], GraftResult]) -> GraftResult:
    with atomic_target(target) as tmp:
        with tmp.open("wb") as fh:
            result = work(fh)
            fh.flush()
            os.fsync(fh.fileno())
    return result


def write_results(user_workbook: Path, results_pkg: bytes | Path, *, output: Path | None = None,
                  sheet_names: Sequence[str] = ()) -> GraftResult:
    """Graft the result sheets of ``results_pkg`` into ``user_workbook`` (or into a copy at ``output``).

    Our sheets from a previous run named in ``sheet_names`` (or named as a sheet of the results) are
    replaced; the user's sheets and every other part of the file are kept byte for byte.
    """
    source = Path(user_workbook)
    _check_source(source)
    target = _target(source, output)
    check_writable(target)
    return _write(target, lambda fh: graft_sheets(source, results_pkg, fh, replace=sheet_names))


def clear_results(user_workbook: Path, output: Path | None = None,
                  names: Collection[str] | None = None) -> GraftResult:
    """Remove the result sheets (all of them, or those of ``names``); the user's sheets stay. Nothing
    is written when there is nothing to remove and no ``output``."""
    source = Path(user_workbook)
    _check_source(source)
    target = _target(source, output)
    if output is None and not result_sheets(source):
        return GraftResult((), ())
    check_writable(target)
    return _write(target, lambda fh: remove_sheets(source, fh, names))
