"""Excel glue: the functions the buttons of ``workbook_template.xlsm`` call through xlwings.

Each button runs a macro of ``addin/vba/Module_Audit.bas``, which calls Python with the xlwings
add-in's ``RunPython``, for example ``RunPython "import addin; addin.run_section(2)"``. The calling
workbook is found inside the function (``xw.Book.caller()``), never at import time, and xlwings is
imported lazily, so this package imports without Excel:

>>> import addin
>>> addin.run_section(6)
Traceback (most recent call last):
...
ValueError: Section inconnue : 6 (attendu : 1 à 5).
>>> addin.run_audit()  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
addin.NotYetAvailableError: L'audit depuis Excel n'est pas encore disponible dans cette version ...

Until the add-in is complete, every entry point raises :class:`NotYetAvailableError`, whose French
message xlwings shows in an Excel dialog.
"""

from __future__ import annotations

from typing import Any

SECTIONS = (1, 2, 3, 4, 5)

_NOT_YET = ("L'audit depuis Excel n'est pas encore disponible dans cette version ({what}). "
            "En attendant, lancez-le en ligne de commande : poste-clients audit <classeur.xlsm>.")


class NotYetAvailableError(RuntimeError):
    """The Excel entry point exists but its implementation has not landed yet."""


def run_audit(book: Any = None) -> None:
    """Run the five sections on the calling workbook and write the result sheets."""
    raise NotYetAvailableError(_NOT_YET.format(what="audit complet"))


def run_section(n: int, book: Any = None) -> None:
    """Run section ``n`` (1 to 5) on the calling workbook and write its result sheet."""
    if n not in SECTIONS:
        raise ValueError(f"Section inconnue : {n} (attendu : 1 à 5).")
    raise NotYetAvailableError(_NOT_YET.format(what=f"section {n}"))


def clear_results(book: Any = None) -> None:
    """Delete the result sheets the audit wrote, leaving the input sheets untouched."""
    raise NotYetAvailableError(_NOT_YET.format(what="effacement des résultats"))
