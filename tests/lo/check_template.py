"""UNO script (see ``uno_driver.py``): what LibreOffice sees in a template, and a macro run.

``main(desktop, workbook, saved_copy, macro_url)`` opens ``workbook`` with macros allowed, reports
the Basic libraries (VBA compatibility mode, each module's source), each form button of every sheet
with the script its click runs, runs ``macro_url`` (a ``vnd.sun.star.script:`` URL), reads the named
cell ``EtatMacros``, stores the document as ``.xlsm`` to ``saved_copy`` and closes it.
"""

from __future__ import annotations

import uno
from com.sun.star.beans import PropertyValue

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def _props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def _buttons(doc):
    found = []
    for sheet_name in doc.Sheets.getElementNames():
        forms = doc.Sheets.getByName(sheet_name).DrawPage.Forms
        for i in range(forms.Count):
            form = forms.getByIndex(i)
            for j in range(form.Count):
                control = form.getByIndex(j)
                scripts = [e.ScriptCode for e in form.getScriptEvents(j) if e.EventMethod == "actionPerformed"]
                found.append({"sheet": sheet_name, "label": getattr(control, "Label", None), "scripts": scripts})
    return found


def main(desktop, workbook, saved_copy, macro_url):
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(workbook), "_blank", 0,
                                       _props(Hidden=True, MacroExecutionMode=ALWAYS_EXECUTE_NO_WARN))
    try:
        libraries = doc.BasicLibraries
        modules = {}
        for name in libraries.getElementNames():
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            modules[name] = {m: library.getByName(m) for m in library.getElementNames()}
        report = {"vba_mode": bool(libraries.VBACompatibilityMode), "modules": modules, "buttons": _buttons(doc)}
        doc.getScriptProvider().getScript(macro_url).invoke((), (), ())
        cell = doc.NamedRanges.getByName("EtatMacros").ReferredCells.getCellByPosition(0, 0)
        report["cell_after_macro"] = cell.String
        doc.storeToURL(uno.systemPathToFileUrl(saved_copy), _props(FilterName="Calc MS Excel 2007 VBA XML"))
        return report
    finally:
        doc.close(True)
