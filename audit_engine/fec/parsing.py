"""FEC lines (text columns, see :mod:`.body`) -> typed entries, and the findings about single lines.

Vectorised throughout: amounts go through ``pd.to_numeric``, dates through ``pd.to_datetime`` on their
distinct values; only the rare values those reject are looked at one by one (per distinct value).

Entries columns: line, journal, journal_lib, entry_num, entry_date, account, account_lib, aux, aux_lib,
piece_ref, piece_date, label, debit, credit, amount (debit - credit), let, let_date, due_date (DateRglt),
method (ModeRglt), usable (False: the line is left out, and a finding says why). Blank lines are dropped.

>>> from .body import read_body
>>> names = ["JournalCode", "EcritureDate", "CompteNum", "Debit", "Credit"]
>>> raw = ("\\t".join(names) + "\\nVE\\t20250110\\t411C1\\t1 200,50\\t\\n\\nBQ\\t2025-01-20\\t512\\t\\t+7\\n").encode()
>>> body = read_body(raw, raw.index(b"\\n") + 1, "\\t")
>>> entries, findings = typed_entries(body, names, {n: i for i, n in enumerate(names)}, "debit_credit", "x.txt")
>>> entries[["line", "account", "amount", "usable"]].values.tolist()
[[2, '411C1', 1200.5, True], [4, '512', -7.0, True]]
>>> [f.code for f in findings]
['fec_date_format', 'fec_empty_lines']
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..findings import Finding, show_value
from ..ingest.values import parse_date_value
from . import KNOWN_EXTRA_COLUMNS, RECEIVABLE_PREFIX, STANDARD_COLUMNS, FecError
from .body import Body

SEPARATORS = ("\t", "|", ";")
TEXT = {"journal": "JournalCode", "journal_lib": "JournalLib", "entry_num": "EcritureNum", "account": "CompteNum",
        "account_lib": "CompteLib", "aux": "CompAuxNum", "aux_lib": "CompAuxLib", "piece_ref": "PieceRef",
        "label": "EcritureLib", "let": "EcritureLet", "method": "ModeRglt"}
_DEBIT = {"D", "DEBIT", "DÉBIT", "+1", "1", "+"}
_CREDIT = {"C", "CREDIT", "CRÉDIT", "-1", "-"}
_MAX_BAD_SHARE = 0.5
_RAW = ("EcritureDate", "PieceDate", "DateLet", "DateRglt", "Debit", "Credit", "Montant", "Sens")
# Tolerated beyond the norm (rare, looked at one distinct value at a time): ISO or JJ/MM/AAAA dates,
# "1.234,56" thousands dots, a trailing minus "12,50-". Anything else is unreadable.
_OTHER_DATE = re.compile(r"^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$")
_DOTTED = re.compile(r"^([+-]?)(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?(-?)$")
_TRAILING_MINUS = re.compile(r"^(\d+(?:[.,]\d+)?)-$")


def _date_value(text: str) -> object:
    return parse_date_value(text) if _OTHER_DATE.match(text) else None


def _amount_value(text: str) -> float | None:
    text = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    try:
        return float(text.replace(",", "."))
    except ValueError:
        pass
    m = _DOTTED.match(text)
    if m:
        x = float(m.group(2).replace(".", "") + "." + (m.group(3) or "0"))
        return -x if (m.group(1) == "-") != (m.group(4) == "-") else x
    m = _TRAILING_MINUS.match(text)
    return -float(m.group(1).replace(",", ".")) if m else None


def _dates(s: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """(datetime64 values, unreadable mask, readable-but-not-AAAAMMJJ mask), parsed per distinct value."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    u = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    blank_u = (u == "").to_numpy(dtype=bool)
    compact = u.str.fullmatch(r"\d{8}").fillna(False).to_numpy(dtype=bool)  # strptime would take "2025013"
    d = pd.to_datetime(u.where(compact), format="%Y%m%d", errors="coerce").to_numpy(dtype="datetime64[ns]")
    miss = np.isnat(d) & ~blank_u
    odd_u = np.zeros(len(u), dtype=bool)
    if miss.any():
        fixed = pd.to_datetime(pd.Series([_date_value(x) for x in u[miss]], dtype=object), errors="coerce")
        d[miss] = fixed.to_numpy(dtype="datetime64[ns]")
        odd_u = miss & ~np.isnat(d)
    bad_u = np.isnat(d) & ~blank_u
    has = codes >= 0
    values = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[ns]")
    values[has] = d[codes[has]]
    bad, odd = np.zeros(len(s), dtype=bool), np.zeros(len(s), dtype=bool)
    bad[has], odd[has] = bad_u[codes[has]], odd_u[codes[has]]
    return pd.Series(values, index=s.index), bad, odd


def _amounts(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(float values, blank = 0; unreadable mask)."""
    blank = (s == "").to_numpy()
    num = pd.to_numeric(s.str.replace(",", ".", regex=False), errors="coerce").to_numpy(dtype="float64", copy=True)
    miss = np.isnan(num) & ~blank
    if miss.any():
        fixed = {u: _amount_value(u) for u in pd.unique(s[miss])}
        num[miss] = [np.nan if fixed[u] is None else fixed[u] for u in s[miss]]
    bad = np.isnan(num) & ~blank
    return np.where(blank | bad, 0.0, num), bad


def _sens(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    up = s.str.upper()
    sign = np.where(up.isin(_DEBIT), 1.0, np.where(up.isin(_CREDIT), -1.0, 0.0))
    return sign, sign == 0


def columns_needed(names: list[str], pos: dict[str, int]) -> list[int]:
    """Field positions to read: only the columns used."""
    return sorted({pos[c] for c in (*TEXT.values(), *_RAW) if c in pos})


def _shape(body: Body, names: list[str], pos: dict[str, int]) -> np.ndarray:
    """Lines whose number of fields is neither the header's nor the one most lines have (a separator inside
    a label shifts the fields after it), or too small to reach the standard columns."""
    counts = body.counts
    if not len(counts):
        return np.zeros(0, dtype=bool)
    values, freq = np.unique(counts, return_counts=True)
    usual = int(values[np.argmax(freq)])
    std = [pos[c] for c in (*STANDARD_COLUMNS, *KNOWN_EXTRA_COLUMNS[:2]) if c in pos]
    return ((counts != len(names)) & (counts != usual)) | (counts < max(std) + 1)


def _lines_text(lines: np.ndarray, limit: int = 5) -> str:
    shown = ", ".join(str(int(x)) for x in lines[:limit])
    return shown + ("…" if len(lines) > limit else "")


def typed_entries(body: Body, names: list[str], pos: dict[str, int], variant: str, sheet: str
                  ) -> tuple[pd.DataFrame, list[Finding]]:
    """Typed entries and the findings about single lines (see the module docstring)."""
    frame, counts, line = body.frame, body.counts, body.line
    n = len(frame)

    def col(name: str) -> pd.Series:
        p = pos.get(name)
        if p is None or p not in frame.columns:
            return pd.Series([""] * n, index=frame.index, dtype=str)
        return frame[p].str.strip()

    text = {key: col(name) for key, name in TEXT.items()}
    raw = {name: col(name) for name in _RAW}
    blank = ((text["journal"] == "") & (text["account"] == "") & (raw["EcritureDate"] == "")).to_numpy()
    shape_bad = _shape(body, names, pos) & ~blank if n else np.zeros(0, dtype=bool)
    if shape_bad.sum() > max(10, _MAX_BAD_SHARE * (~blank).sum()):
        first = int(np.flatnonzero(shape_bad)[0])
        raise FecError(file=sheet, line=int(line[first]), field="-", detail_code="fec.detail.field_count",
                       found=int(counts[first]), expected=len(names), bad=int(shape_bad.sum()),
                       total=int((~blank).sum()))
    receivable = text["account"].str.startswith(RECEIVABLE_PREFIX).to_numpy()

    entry_date, bad_ed, odd_ed = _dates(raw["EcritureDate"])
    piece_date, _, _ = _dates(raw["PieceDate"])
    let_date, bad_ld, _ = _dates(raw["DateLet"])
    due_date, bad_dd, _ = _dates(raw["DateRglt"])
    if variant == "debit_credit":
        debit, bad_d = _amounts(raw["Debit"])
        credit, bad_c = _amounts(raw["Credit"])
        bad_amount_field = np.where(bad_d, "Debit", "Credit")
        bad_amount = bad_d | bad_c
        bad_sens = np.zeros(n, dtype=bool)
    else:
        montant, bad_m = _amounts(raw["Montant"])
        sign, bad_sens = _sens(raw["Sens"])
        signed = montant * sign
        debit, credit = np.where(signed > 0, signed, 0.0), np.where(signed < 0, -signed, 0.0)
        bad_amount, bad_amount_field = bad_m, np.full(n, "Montant")
    from_piece = bad_ed & piece_date.notna().to_numpy() & receivable
    entry_date = entry_date.where(~from_piece, piece_date)
    no_date = entry_date.isna().to_numpy()

    ok = ~blank & ~shape_bad
    findings: list[Finding] = []
    rec = ok & receivable

    def add(mask: np.ndarray, severity: str, field: str | np.ndarray, values: pd.Series, code: str,
            **params: object) -> None:
        for i in np.flatnonzero(mask):
            f = field if isinstance(field, str) else str(field[i])
            v = values.iloc[i] if f not in raw else raw[f].iloc[i]
            findings.append(Finding(severity, sheet, int(line[i]), f, show_value(v), code, dict(params)))

    for i in np.flatnonzero(shape_bad & receivable):
        findings.append(Finding("error", sheet, int(line[i]), None, None, "fec_bad_line_411",
                                {"found": int(counts[i]), "expected": len(names)}))
    other_shape = np.flatnonzero(shape_bad & ~receivable)
    if len(other_shape):
        findings.append(Finding("warning", sheet, int(line[other_shape[0]]), None, None, "fec_bad_line",
                                {"count": len(other_shape), "lines": _lines_text(line[other_shape]),
                                 "found": int(counts[other_shape[0]]), "expected": len(names)}))
    add(rec & bad_amount, "error", bad_amount_field, raw["Debit"], "fec_bad_amount")
    add(rec & bad_sens & ~bad_amount, "error", "Sens", raw["Sens"], "fec_bad_sens")
    add(rec & from_piece, "warning", "EcritureDate", raw["EcritureDate"], "fec_date_from_piece")
    add(rec & no_date & ~bad_amount, "error", "EcritureDate", raw["EcritureDate"], "fec_bad_date")
    add(rec & bad_dd, "warning", "DateRglt", raw["DateRglt"], "fec_bad_optional_date")
    add(rec & bad_ld, "warning", "DateLet", raw["DateLet"], "fec_bad_optional_date")
    other_bad = np.flatnonzero(ok & ~receivable & (bad_amount | bad_sens | no_date))
    if len(other_bad):
        findings.append(Finding("info", sheet, int(line[other_bad[0]]), None, None, "fec_bad_values_other",
                                {"count": len(other_bad), "lines": _lines_text(line[other_bad])}))
    odd = np.flatnonzero(ok & odd_ed)
    if len(odd):
        findings.append(Finding("info", sheet, int(line[odd[0]]), "EcritureDate",
                                show_value(raw["EcritureDate"].iloc[odd[0]]), "fec_date_format",
                                {"count": len(odd)}))
    if blank.any() or body.empty:
        findings.append(Finding("info", sheet, None, None, None, "fec_empty_lines",
                                {"count": int(blank.sum()) + body.empty}))

    entries = pd.DataFrame({"line": line, **{k: v for k, v in text.items()},
                            "entry_date": entry_date, "piece_date": piece_date, "debit": debit, "credit": credit,
                            "let_date": let_date, "due_date": due_date})
    entries["amount"] = np.round(entries["debit"] - entries["credit"], 2)
    entries["usable"] = ok & ~bad_amount & ~bad_sens & ~no_date
    order = ["line", "journal", "journal_lib", "entry_num", "entry_date", "account", "account_lib", "aux",
             "aux_lib", "piece_ref", "piece_date", "label", "debit", "credit", "amount", "let", "let_date",
             "due_date", "method", "usable"]
    return entries.loc[~blank, order].reset_index(drop=True), findings
