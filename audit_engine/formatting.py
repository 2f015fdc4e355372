"""Numbers as French (or English) readers expect them, for text written into messages and reports.

>>> fmt_amount(1234567.891, "fr"), fmt_amount(1234567.891, "en")
('1\u202f234\u202f567,89 €', 'EUR 1,234,567.89')
>>> fmt_days(12.345, "fr"), fmt_share(0.4567, "fr"), fmt_share(0.4567, "en")
('12,3 j', '45,7 %', '45.7%')
"""

from __future__ import annotations

import math

NNBSP = "\u202f"  # narrow no-break space: the French thousands separator


def _num(x: float, decimals: int, lang: str) -> str:
    text = f"{x:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def _bad(x: object) -> bool:
    return x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x)))


def fmt_amount(x: float | None, lang: str = "fr", decimals: int = 2) -> str:
    if _bad(x):
        return "–"
    return f"{_num(x, decimals, lang)} €" if lang != "en" else f"EUR {_num(x, decimals, lang)}"


def fmt_days(x: float | None, lang: str = "fr") -> str:
    if _bad(x):
        return "–"
    return f"{_num(x, 1, lang)} j" if lang != "en" else f"{_num(x, 1, lang)} d"


def fmt_share(x: float | None, lang: str = "fr") -> str:
    if _bad(x):
        return "–"
    return f"{_num(100 * x, 1, lang)} %" if lang != "en" else f"{_num(100 * x, 1, lang)}%"


def fmt_int(x: float | None, lang: str = "fr") -> str:
    if _bad(x):
        return "–"
    return _num(float(x), 0, lang)
