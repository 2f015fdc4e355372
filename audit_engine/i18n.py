"""User-facing text in French (default) and English.

Messages live in the modules of :mod:`audit_engine.locale`, each a ``MESSAGES`` dict
``{code: {"fr": template, "en": template}}`` formatted with ``str.format``:

>>> t("dq.bad_date", "en")
'Unreadable date: the row is excluded.'
>>> t("no_usable_rows", "fr", file="a.csv", sheet="Factures")
'Aucune ligne exploitable dans la feuille Factures du fichier a.csv.'

An unknown language falls back to French; an unknown code returns the code itself (never raises,
so an error message can always be shown).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

LANGS = ("fr", "en")


@cache
def _messages() -> dict[str, dict[str, str]]:
    from . import locale

    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(locale.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{locale.__name__}.{info.name}")
        for code, texts in getattr(module, "MESSAGES", {}).items():
            if code in merged:
                raise RuntimeError(f"message {code!r} defined twice (locale/{info.name}.py)")
            merged[code] = texts
    return merged


def normalize_lang(lang: object) -> str:
    text = str(lang or "fr").strip().lower()[:2]
    return text if text in LANGS else "fr"


def t(code: str, lang: str = "fr", **params: Any) -> str:
    texts = _messages().get(code)
    if texts is None:
        return code
    template = texts.get(normalize_lang(lang)) or texts["fr"]
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def has(code: str) -> bool:
    return code in _messages()
