"""Excel glue: the functions the buttons of ``workbook_template.xlsm`` (and the xlwings Lite scripts) call.

Each button runs a macro of ``addin/vba/Module_Audit.bas``, which calls Python through the xlwings
add-in's ``RunPython``, e.g. ``RunPython "import addin; addin.run_section(2)"``; the workbook is then found
with ``xw.Book.caller()``, inside the function, never at import (xlwings itself is only imported there).
Given a book, the same functions serve xlwings Lite and xlwings Server scripts (``addin/lite/main.py``).

A run reads the input sheets (:mod:`addin.xlreader`), audits them with the engine, lays the results out
(:func:`audit_engine.layout.build_layout`) and writes them (:mod:`addin.xlwriter`), with the progress in
the status bar (classic Excel only), screen updating off while writing (restored even on error), and:

- an error the user can fix (:class:`~audit_engine.errors.AuditError`: a missing column...) shown in an
  Excel dialog in the language of ``Paramètres``, naming the sheet and column, the workbook unchanged;
- an unexpected error shown as a short dialog, its traceback appended to ``audit-poste-clients.log``
  beside the workbook (printed instead where there is no file system: xlwings Lite, Server).

Debug a button from Python (classic xlwings, Excel open with the workbook)::

    import xlwings as xw, addin
    xw.Book("workbook_template.xlsm").set_mock_caller()
    addin.run_section(2)

>>> import addin
>>> addin.run_section(6)
Traceback (most recent call last):
...
ValueError: Section inconnue : 6 (attendu : 1 à 5).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import traceback
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from audit_engine.api import audit_raw
from audit_engine.errors import AuditError
from audit_engine.layout import build_layout, read_tracking, sheet_key, sheet_names

from .xlreader import read_input, read_sheet_values, sheet_language
from .xlwriter import clear_layout, fit_client, owned_sheets, write_layout

SECTIONS = (1, 2, 3, 4, 5)
LOG_NAME = "audit-poste-clients.log"
TEXTS = {
    "fr": {"title": "Audit du poste clients", "read": "lecture des feuilles", "ingest": "contrôle des données",
           "write": "écriture de « {sheet} »", "clear": "effacement des résultats",
           "cleared": "Feuilles de résultats effacées : {sheets}.", "nothing": "Aucune feuille de résultats à effacer.",
           "unexpected": "L'audit s'est arrêté sur une erreur inattendue : {error}.",
           "log": "Le détail est enregistré dans {log}.", "no_log": "Le détail est affiché dans la console Python."},
    "en": {"title": "Receivables audit", "read": "reading the sheets", "ingest": "checking the data",
           "write": "writing '{sheet}'", "clear": "clearing the results",
           "cleared": "Result sheets cleared: {sheets}.", "nothing": "There are no result sheets to clear.",
           "unexpected": "The audit stopped on an unexpected error: {error}.",
           "log": "The details are in {log}.", "no_log": "The details are in the Python console."},
}


def run_audit(book: Any = None) -> None:
    """Run the five sections on the workbook (the caller's by default) and write every result sheet."""
    _run(book, None)


def run_section(n: int, book: Any = None) -> None:
    """Run section ``n`` (1 to 5) and write its sheet, with the summary and the data-quality sheet."""
    if n not in SECTIONS:
        raise ValueError(f"Section inconnue : {n} (attendu : 1 à 5).")
    _run(book, {n})


def clear_results(book: Any = None) -> None:
    """Delete the result sheets the audit wrote (never the user's sheets)."""
    book = book if book is not None else _caller()
    ui = Feedback(book, "fr")
    try:
        ui.lang = sheet_language(book)
        ui.status("clear")
        with ui.screen_frozen():
            removed = clear_layout(book)
        ui.alert(ui.text("cleared", sheets=", ".join(removed)) if removed else ui.text("nothing"), "info")
    except Exception as exc:
        ui.unexpected(exc)
    finally:
        ui.clear_status()
        fit_client(book)


def _caller() -> Any:
    import xlwings as xw

    return xw.Book.caller()


def _run(book: Any, sections: Collection[int] | None) -> None:
    book = book if book is not None else _caller()
    ui = Feedback(book, "fr")
    try:
        ui.lang = sheet_language(book)
        ui.status("read")
        raw = read_input(book)
        report = audit_raw(raw, progress=ui.status)
        ui.lang = "en" if report.lang == "en" else "fr"
        tracking = _previous_tracking(book) if sections is None or 5 in sections else None
        layout = build_layout(report, tracking=tracking, sections=sections)
        with ui.screen_frozen(), ui.undo_on_error():
            write_layout(book, layout, progress=lambda name: ui.status("write", sheet=name))
    except AuditError as exc:
        ui.alert(exc.message(ui.lang), "critical")
    except Exception as exc:
        ui.unexpected(exc)
    finally:
        ui.clear_status()
        fit_client(book)


def _previous_tracking(book: Any) -> dict[str, dict[str, Any]] | None:
    """The rows of our previous action-plan sheet (either language), None on a first run."""
    for name, logical in owned_sheets(book).items():
        if sheet_key(logical) == "actions":
            rows = read_sheet_values(book, name)
            return read_tracking(rows) if rows else {}
    return None


class Feedback:
    """Status bar, dialogs and the log of one run, in the user's language."""

    def __init__(self, book: Any, lang: str) -> None:
        self.book, self.lang = book, lang
        self.has_status_bar = True

    def text(self, code: str, **params: Any) -> str:
        return TEXTS["en" if self.lang == "en" else "fr"][code].format(**params)

    def status(self, step: str, **params: Any) -> None:
        """Show a step ("read", "ingest", a section key, "write"...) in the status bar, where it exists."""
        if not self.has_status_bar:
            return
        names = sheet_names(self.lang)
        label = self.text(step, **params) if step in TEXTS["fr"] else names.get(step, step)
        try:
            self.book.app.status_bar = f"{self.text('title')} : {label}…"
        except NotImplementedError:  # xlwings Lite / Server: no status bar
            self.has_status_bar = False

    def clear_status(self) -> None:
        if self.has_status_bar:
            with contextlib.suppress(NotImplementedError):
                self.book.app.status_bar = False

    @contextlib.contextmanager
    def screen_frozen(self) -> Iterator[None]:
        app = self.book.app
        try:
            before = app.screen_updating
        except NotImplementedError:  # Office.js can only suspend it until the next sync
            before = True
        app.screen_updating = False
        try:
            yield
        finally:
            app.screen_updating = before

    @contextlib.contextmanager
    def undo_on_error(self) -> Iterator[None]:
        """On the remote interpreter nothing reaches Excel before the script returns: on an error, the
        queued writes are dropped, so the workbook stays as it was. (Classic Excel applies each call at
        once: there, what was written stays, and the dialog says the run stopped.)"""
        actions = self.book.json()["actions"] if self.book.app.engine.name == "remote" else None
        mark = len(actions) if actions is not None else 0
        try:
            yield
        except BaseException:
            if actions is not None:
                del actions[mark:]
            raise

    def alert(self, message: str, mode: str) -> None:
        self.book.app.alert(message, title=self.text("title"), buttons="ok", mode=mode)

    def unexpected(self, exc: BaseException) -> None:
        details = "".join(traceback.format_exception(exc))
        log = self._log(details)
        tail = self.text("log", log=log) if log else self.text("no_log")
        if log is None:
            print(details)
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        self.alert(self.text("unexpected", error=error[:300]) + "\n\n" + tail, "critical")

    def _log(self, details: str) -> Path | None:
        """Append ``details`` to the log beside the workbook; None where there is no such folder."""
        try:
            folder = Path(self.book.fullname).parent
            if not folder.is_absolute() or not folder.is_dir():
                return None
            path = folder / LOG_NAME
            with path.open("a", encoding="utf-8") as fh:
                fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')} {self.book.name}\n{details}\n")
            return path
        except OSError:
            return None
