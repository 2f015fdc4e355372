"""The two sheets of the template that are not data tables: ``Accueil`` and ``xlwings.conf``.

``Accueil`` holds the instructions, the as-of date (a formula showing ``DateArrete``, the Valeur cell
of "Date d'arrêté" in ``Paramètres``: one source of truth, the one the engine reads), the seven
buttons (legacy form buttons bound to ``Module_Audit`` macros) and the ``EtatMacros`` cell that the
diagnostic macro ``VerifierMacros`` fills. ``xlwings.conf`` is xlwings' configuration sheet.

>>> [macro for macro, *_ in BUTTON_ROWS][:2], BUTTON_ROWS[-1][1]
(['LancerAuditComplet', 'LancerSection1'], 22)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import template_text as tx

MACRO_MODULE = "Module_Audit"
BUTTON_FIRST_ROW = 16  # 0-based row of the first button
BUTTON_ROWS = tuple((macro, BUTTON_FIRST_ROW + i) for i, (macro, *_) in enumerate(tx.BUTTONS))
MACRO_STATUS_ROW = BUTTON_ROWS[-1][1] + 2
_EPOCH = dt.date(1899, 12, 30)


def write_home(wb: Any, ws: Any, fmt: dict[str, Any], lang: str, as_of: object) -> None:
    text = tx.HOME_TEXT[lang]
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 2)
    ws.set_column(1, 1, 38)
    ws.set_column(2, 2, 100)
    ws.set_tab_color("#1F3864")
    ws.set_row(1, 30)
    ws.write_string(1, 1, text["title"], fmt["title"])
    ws.write_string(2, 1, text["subtitle"], fmt["subtitle"])
    ws.write_string(4, 1, text["how"], fmt["bold"])
    for i, line in enumerate(text["steps"]):
        ws.write_string(5 + i, 1, line)

    ws.set_row(12, 22)
    ws.write_string(12, 1, text["as_of"], fmt["label"])
    if isinstance(as_of, dt.date):
        cached: object = (as_of.date() if isinstance(as_of, dt.datetime) else as_of) - _EPOCH
        cached = cached.days  # type: ignore[attr-defined]
    else:
        cached = text["as_of_empty"] if not as_of else str(as_of)
    ws.write_formula(12, 2, f'=IF(DateArrete="","{text["as_of_empty"]}",DateArrete)', fmt["as_of"], cached)
    settings_sheet = tx.sheet_name("settings", lang)
    ws.write_url(13, 2, f"internal:'{settings_sheet}'!B2", fmt["link"], string=text["as_of_link"])

    ws.write_string(BUTTON_FIRST_ROW - 1, 1, text["run"], fmt["bold"])
    for (macro, caption_fr, caption_en, desc_fr, desc_en), (_, row) in zip(tx.BUTTONS, BUTTON_ROWS, strict=True):
        if isinstance(caption_fr, int):
            caption = tx.button_caption(caption_fr, lang)
        else:
            caption = caption_fr if lang == "fr" else caption_en
        ws.set_row(row, 27)
        ws.insert_button(row, 1, {"macro": f"{MACRO_MODULE}.{macro}", "caption": caption,
                                  "width": 256, "height": 32, "x_offset": 6, "y_offset": 2})
        ws.write_string(row, 2, desc_fr if lang == "fr" else desc_en, fmt["desc"])

    ws.write_string(MACRO_STATUS_ROW, 1, text["macros"], fmt["label"])
    ws.write_string(MACRO_STATUS_ROW, 2, text["macros_hint"], fmt["note"])
    wb.define_name("EtatMacros", f"='{tx.sheet_name(tx.HOME, lang)}'!$C${MACRO_STATUS_ROW + 1}")
    ws.write_string(MACRO_STATUS_ROW + 2, 1, text["setup"], fmt["bold"])
    for i, line in enumerate(text["setup_lines"]):
        ws.write_string(MACRO_STATUS_ROW + 3 + i, 1, line)


def write_xlwings_conf(ws: Any, fmt: dict[str, Any]) -> None:
    """Active keys in A1:B3 (read by xlwings down to the first empty cell), documentation from D1."""
    ws.set_column(0, 0, 36)
    ws.set_column(1, 1, 10)
    ws.set_column(2, 2, 3)
    ws.set_column(3, 3, 26)
    ws.set_column(4, 4, 46)
    ws.set_column(5, 5, 90)
    ws.set_tab_color("#7F7F7F")
    for row, (key, value, note) in enumerate(tx.XLWINGS_ACTIVE):
        ws.write_string(row, 0, key, fmt["key"])
        if isinstance(value, bool):
            ws.write_boolean(row, 1, value)
        else:
            ws.write_string(row, 1, value)
        ws.write_comment(row, 0, note, {"author": "audit-poste-clients", "x_scale": 2.2, "y_scale": 1.2})
    ws.write_string(0, 3, tx.XLWINGS_DOC_TITLE, fmt["bold"])
    for col, title in enumerate(tx.XLWINGS_DOC_HEAD):
        ws.write_string(1, 3 + col, title, fmt["key"])
    for row, (key, example, role) in enumerate(tx.XLWINGS_DOC, start=2):
        ws.write_string(row, 3, key)
        ws.write_string(row, 4, example)
        ws.write_string(row, 5, role)
    first_note = len(tx.XLWINGS_DOC) + 3
    for i, note in enumerate(tx.XLWINGS_NOTES):
        ws.write_string(first_note + i, 3, note, fmt["note"])
