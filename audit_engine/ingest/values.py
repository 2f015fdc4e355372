"""Parsing cell values: dates and amounts as exports write them, one value or a whole column.

Columns are parsed through their *distinct* values (an export of a million invoices holds a few
hundred distinct dates), which keeps parsing fast whatever the row count.

>>> parse_number_value("1 234,56 €"), parse_number_value("-1.234,56"), parse_number_value("(1,234.56)")
(1234.56, -1234.56, -1234.56)
>>> parse_date_value("03/04/2025").isoformat(), parse_date_value("03/04/2025", day_first=False).isoformat()
('2025-04-03', '2025-03-04')
>>> parse_date_value(45658).isoformat()   # an Excel serial
'2025-01-01'
>>> s, order, bad, reason = parse_date_column(pd.Series(["12/31/2024", "1/2/2025", None]))
>>> [x.date().isoformat() if not pd.isna(x) else None for x in s], order
(['2024-12-31', '2025-01-02', None], 'month_first')
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_MIN_SERIAL, _MAX_SERIAL = 20000, 80000  # 1954 .. 2119: plausible invoice dates as Excel serials

_ISO = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$")
_COMPACT = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # AAAAMMJJ (FEC)
_BLANK = {"", "-", "nan", "nat", "none", "null", "n/a", "na", "#n/a"}


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT:
        return True
    if isinstance(value, str) and value.strip().lower() in _BLANK:
        return True
    return False


def _make_date(y: int, m: int, d: int) -> dt.date | None:
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def date_positions(value: object) -> tuple[int, int] | None:
    """For a ``a/b/yyyy`` text, the two leading numbers (to infer day/month order), else None."""
    if not isinstance(value, str):
        return None
    m = _DMY.match(value)
    return (int(m.group(1)), int(m.group(2))) if m else None


def parse_date_value(value: object, day_first: bool = True) -> dt.date | None:
    """One cell to a date; None when blank or unreadable."""
    if is_blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        if _MIN_SERIAL <= x <= _MAX_SERIAL:
            return (EXCEL_EPOCH + dt.timedelta(days=int(x))).date()
        if 19000101 <= x <= 21001231 and x == int(x):
            return parse_date_value(str(int(x)))
        return None
    text = str(value).strip()
    m = _ISO.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _DMY.match(text)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _make_date(y, b, a) if day_first else _make_date(y, a, b)
    m = _COMPACT.match(text)
    if m:
        return _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    try:  # numbers stored as text ("45658")
        x = float(text.replace(",", "."))
    except ValueError:
        pass
    else:
        return parse_date_value(x, day_first)
    try:  # a few exports write "3 janv. 2025" or "Jan 3, 2025": dateutil knows the English ones
        from dateutil import parser as du

        return du.parse(_french_months(text), dayfirst=day_first).date()
    except (ValueError, OverflowError, TypeError):
        return None


_FR_MONTHS = {
    "janvier": "January", "janv": "January", "février": "February", "fevrier": "February", "févr": "February",
    "fevr": "February", "mars": "March", "avril": "April", "avr": "April", "mai": "May", "juin": "June",
    "juillet": "July", "juil": "July", "août": "August", "aout": "August", "septembre": "September",
    "sept": "September", "octobre": "October", "oct": "October", "novembre": "November", "nov": "November",
    "décembre": "December", "decembre": "December", "déc": "December", "dec": "December",
}
_FR_MONTH_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _FR_MONTHS), key=len, reverse=True)) + r")\.?",
                          re.IGNORECASE)


def _french_months(text: str) -> str:
    return _FR_MONTH_RE.sub(lambda m: _FR_MONTHS[m.group(1).lower()], text)


_AMOUNT_JUNK = re.compile(r"[\s\u00a0\u202f€$£]|EUR|eur|TTC|HT", re.UNICODE)


def parse_number_value(value: object) -> float | None:
    """One cell to a float (French or English notation, currency, parentheses); None when unreadable."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        return None if math.isnan(x) or math.isinf(x) else x
    text = _AMOUNT_JUNK.sub("", str(value)).replace("'", "")
    if not text:
        return None
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    if text.endswith("-") and not text.startswith("-"):  # "1234,56-" (some ERPs)
        negative, text = True, text[:-1]
    if text.startswith("+"):
        text = text[1:]
    if text.startswith("-"):
        negative, text = not negative, text[1:]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):  # 1.234,56
            text = text.replace(".", "").replace(",", ".")
        else:  # 1,234.56
            text = text.replace(",", "")
    elif "," in text:
        parts = text.split(",")
        if len(parts) == 2:
            text = text.replace(",", ".")  # 1234,56 (French decimal comma)
        else:
            text = text.replace(",", "")  # 1,234,567
    elif text.count(".") > 1:
        text = text.replace(".", "")  # 1.234.567
    if text.endswith("%"):
        text = text[:-1]
    try:
        x = float(text)
    except ValueError:
        return None
    if math.isnan(x) or math.isinf(x):
        return None
    return -x if negative else x


def _is_text_dtype(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) and not pd.api.types.is_object_dtype(series)


def _fast_numbers(series: pd.Series) -> pd.Series:
    """Plain numbers (``1234.5`` or ``1234,5``) converted in bulk; everything else NaN."""
    if _is_text_dtype(series):
        cleaned = series.str.replace(",", ".", regex=False)
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            arr = pc.cast(pa.array(cleaned.str.strip(), from_pandas=True), pa.float64())
            return pd.Series(arr.to_numpy(zero_copy_only=False), index=series.index, dtype="float64")
        except Exception:  # noqa: BLE001 - some value is not a plain number: coerce, then look closer
            return pd.to_numeric(cleaned, errors="coerce").astype("float64")
    numeric = pd.to_numeric(series.where(~series.map(lambda v: isinstance(v, bool)), None), errors="coerce") \
        if len(series) < 50_000 else pd.to_numeric(series, errors="coerce")
    return numeric.astype("float64")


def parse_amount_column(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Vectorised amounts: (float values, mask of cells that were not blank but unreadable)."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        values = series.astype("float64")
        return values, pd.Series(False, index=series.index)
    values = _fast_numbers(series)
    todo = values.isna().to_numpy() & series.notna().to_numpy()
    bad = np.zeros(len(series), dtype=bool)
    if todo.any():
        rest = series[todo]
        codes, uniques = pd.factorize(rest, use_na_sentinel=True)
        parsed = np.array([parse_number_value(u) for u in uniques], dtype="float64")
        blank = np.array([is_blank(u) for u in uniques], dtype=bool)
        out = values.to_numpy(copy=True)
        idx = np.flatnonzero(todo)
        has = codes >= 0
        out[idx[has]] = parsed[codes[has]]
        bad[idx[has]] = np.isnan(parsed[codes[has]]) & ~blank[codes[has]]
        values = pd.Series(out, index=series.index)
    return values, pd.Series(bad, index=series.index)


def infer_day_first(values: pd.Series | list, default: bool = True) -> tuple[bool, str]:
    """Decide the day/month order of a column of ``a/b/yyyy`` texts.

    Returns (day_first, reason) where reason is ``"data"`` (a value > 12 decided), ``"setting"``
    (truly ambiguous: the setting decided) or ``"none"`` (no such text in the column).
    """
    first_gt12 = second_gt12 = seen = False
    for v in values:
        pos = date_positions(v)
        if pos is None:
            continue
        seen = True
        a, b = pos
        first_gt12 |= a > 12
        second_gt12 |= b > 12
        if first_gt12 or second_gt12:
            break
    if first_gt12 and not second_gt12:
        return True, "data"
    if second_gt12 and not first_gt12:
        return False, "data"
    return default, ("setting" if seen else "none")


def parse_date_column(series: pd.Series, default_day_first: bool = True
                      ) -> tuple[pd.Series, str, pd.Series, str]:
    """Vectorised dates: (datetime64 values, order used, mask of unreadable non-blank cells, reason).

    ``order`` is ``"day_first"`` or ``"month_first"``; ``reason`` says what decided it
    (``"data"``, ``"setting"``, or ``"none"`` when the column has no ambiguous-looking text).
    """
    if pd.api.types.is_datetime64_any_dtype(series):
        values = pd.to_datetime(series).dt.tz_localize(None) if getattr(series.dt, "tz", None) else series
        return values.astype("datetime64[ns]").dt.normalize(), "day_first", pd.Series(False, index=series.index), "none"
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    day_first, reason = infer_day_first(uniques, default_day_first)
    parsed = [parse_date_value(u, day_first) for u in uniques]
    bad_unique = np.array([(p is None) and not is_blank(u) for u, p in zip(uniques, parsed, strict=True)],
                          dtype=bool)
    as_ts = pd.to_datetime(pd.Series([p if p is not None else pd.NaT for p in parsed], dtype=object),
                           errors="coerce").to_numpy(dtype="datetime64[ns]") if len(uniques) else \
        np.array([], dtype="datetime64[ns]")
    values = np.full(len(series), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(series), dtype=bool)
    has = codes >= 0
    values[has] = as_ts[codes[has]]
    bad[has] = bad_unique[codes[has]]
    order = "day_first" if day_first else "month_first"
    return pd.Series(values, index=series.index), order, pd.Series(bad, index=series.index), reason


_TRUE = {"oui", "o", "yes", "y", "vrai", "true", "1", "x", "litige", "enlitige", "disputed", "conteste"}
_FALSE = {"non", "n", "no", "faux", "false", "0", ""}


def parse_bool_column(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Oui/Non columns: (bool values, mask of unreadable non-blank cells treated as False)."""
    from ..schema import normalize_header

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    vals, bads = [], []
    for u in uniques:
        if isinstance(u, bool | np.bool_):
            vals.append(bool(u))
            bads.append(False)
            continue
        if isinstance(u, (int, float)) and not isinstance(u, bool):
            vals.append(u == 1)
            bads.append(u not in (0, 1))
            continue
        n = normalize_header(u)
        vals.append(n in _TRUE)
        bads.append(n not in _TRUE and n not in _FALSE)
    out = np.zeros(len(series), dtype=bool)
    bad = np.zeros(len(series), dtype=bool)
    has = codes >= 0
    if len(uniques):
        out[has] = np.array(vals, dtype=bool)[codes[has]]
        bad[has] = np.array(bads, dtype=bool)[codes[has]]
    return pd.Series(out, index=series.index), pd.Series(bad, index=series.index)


def text_column(series: pd.Series) -> pd.Series:
    """Identifiers as text: keep leading zeros, turn 1234.0 into '1234', strip spaces; blanks -> NA."""
    def conv(u: object) -> object:
        if is_blank(u):
            return None
        if isinstance(u, float) and u.is_integer():
            return str(int(u))
        if isinstance(u, (dt.datetime, pd.Timestamp)):
            return u.strftime("%Y-%m-%d")
        return str(u).strip() or None

    if _is_text_dtype(series):  # text read from a CSV: strip, empty -> missing
        stripped = series.str.strip()
        out = stripped.astype(object).where(stripped.notna() & (stripped != ""), None)
        blanks = out.isin(list(_BLANK - {""})) if len(out) < 50_000 else None
        if blanks is not None and blanks.any():
            out = out.where(~blanks, None)
        return out
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    conv_u = np.array([conv(u) for u in uniques], dtype=object)
    out = np.full(len(series), None, dtype=object)
    has = codes >= 0
    out[has] = conv_u[codes[has]]
    return pd.Series(out, index=series.index, dtype=object)
