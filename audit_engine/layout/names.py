"""The result sheets' keys and names, in a stable order, in French (default) and English.

A re-run finds the sheets it created by name in either language, so switching ``Langue`` in
``Paramètres`` replaces the old sheets instead of adding a second set.

>>> SHEET_NAMES["fr"][1], SHEET_NAMES["en"][1]
('1. Qui doit quoi', '1. Who owes what')
>>> sheet_key("5. plan d'action"), sheet_key("Summary"), sheet_key("Factures")
('actions', 'summary', None)
>>> section_keys({2})
('summary', 'invoicing', 'quality')
"""

from __future__ import annotations

from collections.abc import Collection

from ..i18n import LANGS, t
from ..schema import normalize_header

SHEET_KEYS = ("summary", "receivables", "invoicing", "terms", "delays", "actions", "quality")
SECTION_SHEETS = {1: "receivables", 2: "invoicing", 3: "terms", 4: "delays", 5: "actions"}
SHEET_NAMES: dict[str, tuple[str, ...]] = {
    lang: tuple(t(f"layout.sheet.{k}", lang) for k in SHEET_KEYS) for lang in LANGS}
TAB_COLORS = {"summary": "#1F3864", "receivables": "#2E75B6", "invoicing": "#2E75B6", "terms": "#2E75B6",
              "delays": "#2E75B6", "actions": "#548235", "quality": "#7F7F7F"}
TABLE_PREFIX = {"summary": "AP0", "receivables": "AP1", "invoicing": "AP2", "terms": "AP3", "delays": "AP4",
                "actions": "AP5", "quality": "APQ"}  # Excel table names: AP1_aging, AP5_actions...
_BY_NAME = {normalize_header(n): k for names in SHEET_NAMES.values() for n, k in zip(names, SHEET_KEYS, strict=True)}


def sheet_names(lang: str) -> dict[str, str]:
    """Sheet key -> sheet name in ``lang``."""
    return dict(zip(SHEET_KEYS, SHEET_NAMES["en" if lang == "en" else "fr"], strict=True))


def result_sheet_names(lang: str | None = None) -> tuple[str, ...]:
    """The result sheets' names in workbook order; ``lang=None``: both languages (French first)."""
    if lang is None:
        return SHEET_NAMES["fr"] + SHEET_NAMES["en"]
    return SHEET_NAMES["en" if lang == "en" else "fr"]


def sheet_key(name: str) -> str | None:
    """The key of a result sheet from its name in either language (case, accents and spaces ignored);
    None for any other sheet."""
    return _BY_NAME.get(normalize_header(name))


def section_keys(sections: Collection[int] | None) -> tuple[str, ...]:
    """The sheets a run writes: every sheet for ``None``; otherwise the summary, the sheets of
    ``sections`` (1..5) and the data-quality sheet, in workbook order.

    The summary and the data quality are refreshed with any section because they are computed from the
    whole report (which a section run recomputes anyway): left as they were, they would show figures of
    the previous data."""
    if sections is None:
        return SHEET_KEYS
    bad = [s for s in sections if s not in SECTION_SHEETS]
    if bad:
        raise ValueError(f"sections must be in 1..5, got {sorted(bad)}")
    wanted = {"summary", "quality"} | {SECTION_SHEETS[s] for s in sections}
    return tuple(k for k in SHEET_KEYS if k in wanted)


MAX_SHEET_NAME = 31  # Excel's limit


def free_sheet_name(name: str, taken: Collection[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)``... when a sheet (``taken``: casefolded names) has it.

    Both writers (the graft and the xlwings add-in) use this rule, so they name a clash the same way.

    >>> free_sheet_name("Synthèse", {"synthèse", "synthèse (2)"})
    'Synthèse (3)'
    """
    candidate, n = name, 1
    while candidate.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        candidate = name[:MAX_SHEET_NAME - len(suffix)] + suffix
    return candidate
