"""xlwings Lite entry point: the audit's scripts, run from the xlwings Lite task pane inside Excel.

xlwings Lite keeps this file and ``requirements.txt`` *in the workbook* (its code editor's two tabs). Paste
both into the editor of ``workbook_template.xlsm`` (or of any workbook with the input sheets), wait for
the packages to install, and the scripts below appear in the task pane. Each takes the workbook that
xlwings Lite passes in and calls the same function as the template's VBA buttons (:mod:`addin`), so the
input sheets, the result sheets, the checks and the messages are the same as with classic xlwings.
Differences in Lite: no status bar (progress is not shown), no log file (the details of an unexpected
error are printed in the task pane's output), and the writes reach Excel when the script ends.

The engine and this add-in come from ``requirements.txt``: the ``audit-poste-clients`` wheel (pure Python)
from PyPI, or from a URL serving the wheel with CORS headers; pandas and python-dateutil are Pyodide's
own builds. On plain CPython ``xlwings.script`` does nothing, so this module imports anywhere (the tests
import it and call the scripts with a book of xlwings' remote interpreter).
"""

import xlwings as xw
from xlwings import script

import addin
from audit_engine.layout import result_sheet_names, sheet_key

# Result sheets the scripts never read, excluded from what xlwings Lite loads (the previous action plan is
# loaded: what the user typed in it is kept).
RESULTS = [name for name in result_sheet_names() if sheet_key(name) != "actions"]


@script(name="Audit complet", exclude=RESULTS)
def run_audit(book: xw.Book):
    """Les cinq étapes, la synthèse et la qualité des données."""
    addin.run_audit(book)


@script(name="Étape 1 : qui doit quoi", exclude=RESULTS)
def run_section_1(book: xw.Book):
    """Encours, balance âgée, concentration, notes de paiement."""
    addin.run_section(1, book)


@script(name="Étape 2 : facturation et relances", exclude=RESULTS)
def run_section_2(book: xw.Book):
    """Délais de facturation, numérotation, litiges, relances."""
    addin.run_section(2, book)


@script(name="Étape 3 : conditions de paiement", exclude=RESULTS)
def run_section_3(book: xw.Book):
    """Délais accordés, délai légal, plafonds de crédit."""
    addin.run_section(3, book)


@script(name="Étape 4 : retards et DSO", exclude=RESULTS)
def run_section_4(book: xw.Book):
    """DSO, retards, pénalités et indemnités."""
    addin.run_section(4, book)


@script(name="Étape 5 : plan d'action", exclude=RESULTS)
def run_section_5(book: xw.Book):
    """Plan d'action priorisé et suivi."""
    addin.run_section(5, book)


@script(name="Effacer les résultats", exclude=RESULTS)
def clear_results(book: xw.Book):
    """Efface les feuilles de résultats de l'audit (jamais vos feuilles)."""
    addin.clear_results(book)
