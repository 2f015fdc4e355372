"""``build_layout``: the result sheets of an :class:`~audit_engine.report.AuditReport`, as data.

The layout is computed once here and applied by thin writers: :func:`audit_engine.io.xlsx_layout.render_layout`
(a standalone .xlsx, also grafted into the user's workbook) and the add-in's xlwings writer; both write
the same sheets, values and charts.

- ``sections=None``: every sheet — Synthèse, 1..5, Qualité des données (English names with lang="en").
- ``sections={2}``: ``Synthèse``, ``2. Facturation & relances`` and ``Qualité des données``. The summary
  and the data quality are always refreshed with a section: both are computed from the whole report, which
  a section run recomputes anyway, so leaving them would show the previous data's figures.
- ``tracking``: the previous action-plan rows (:func:`audit_engine.layout.tracking.read_tracking` of the
  previous ``5. Plan d'action`` sheet, in either language), merged into the new plan so that nothing the
  user typed is lost; None on a first run.

>>> from audit_engine.api import audit_path                               # doctest: +SKIP
>>> from audit_engine.demo import DATA_DIR                                # doctest: +SKIP
>>> layout = build_layout(audit_path(DATA_DIR))                           # doctest: +SKIP
>>> layout.names()                                                         # doctest: +SKIP
('Synthèse', '1. Qui doit quoi', '2. Facturation & relances', '3. Conditions de paiement',
 '4. Retards & DSO', "5. Plan d'action", 'Qualité des données')
>>> build_layout(report, sections={2}).names()                             # doctest: +SKIP
('Synthèse', '2. Facturation & relances', 'Qualité des données')
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from ..i18n import normalize_lang
from . import actions, quality, section1, section2, section3, section4, summary
from .common import Context, lt
from .model import SheetLayout, WorkbookLayout
from .names import SHEET_KEYS, SHEET_NAMES, result_sheet_names, section_keys, sheet_key, sheet_names

BUILDERS: dict[str, Callable[[Context], SheetLayout]] = {
    "summary": summary.build, "receivables": section1.build, "invoicing": section2.build,
    "terms": section3.build, "delays": section4.build, "quality": quality.build,
}


def build_layout(report: Any, tracking: Mapping[str, Mapping[str, Any]] | None = None,
                 sections: Collection[int] | None = None, lang: str | None = None) -> WorkbookLayout:
    """The result sheets of ``report`` in workbook order (see the module docstring).

    ``lang`` defaults to the report's language (``Paramètres``); the action texts are always in the
    language the audit ran in."""
    lang = normalize_lang(lang or report.lang)
    ctx = Context(report, lang, sheet_names(lang))
    sheets = []
    for key in section_keys(sections):
        if key == "actions":
            sheets.append(actions.build(ctx, tracking))
        else:
            sheets.append(BUILDERS[key](ctx))
    meta = {"as_of": report.as_of, "period_start": report.period_start, "period_end": report.period_end,
            "source": str(report.source)}
    return WorkbookLayout(lang, tuple(sheets), lt("document_title", lang), meta)


__all__ = ["SHEET_KEYS", "SHEET_NAMES", "build_layout", "result_sheet_names", "section_keys", "sheet_key",
           "sheet_names"]
