"""Invoice numbering continuity (section 2): series, gaps, numbers used twice, non-chronological numbers.

The law asks for a unique number in a continuous chronological sequence (L441-9, CGI annexe II
art. 242 nonies A); separate series are allowed (invoices / credit notes, one per year...). The check
runs over ALL the invoices and credit notes of the ledger, plus the rows ingestion excluded as
duplicates, not only those of the analysis period: continuity is a property of the whole sequence.
Numbers missing before the first or after the last number of the export cannot be seen.

A number splits on its last run of digits: the digits are the number, the text around them names the
series. ``FA2025-00017`` -> series ``FA2025-``, number 17; ``AV2025-0003`` is another series;
``F-12-B`` -> series ``F-…-B``, number 12; ``ACOMPTE`` (no digit) has no series and is listed apart.
A series with more missing numbers than numbers is not a sequence (references that are dates, client
codes, or numbers of a sequence shared with another series, as FEC piece references often are): it is
listed with ``sequence`` False, and its gaps and date order are not counted.

Worked example: FA-001 (2 Jan), FA-002 (5 Jan), FA-005 (3 Jan) and FA-005 again (an excluded row):
series ``FA-`` runs 1..5 with 3 numbers, so 2 are missing (FA-003..FA-004); FA-005 is dated before
FA-002 (non-chronological); 5 is used twice.

>>> inv = pd.DataFrame({"invoice_id": ["FA-001", "FA-002", "FA-005"], "client_id": ["C1"] * 3,
...                     "invoice_date": pd.to_datetime(["2025-01-02", "2025-01-05", "2025-01-03"]),
...                     "amount": [100.0, 200.0, 300.0], "row": [2, 3, 4]})
>>> dup = inv.iloc[[2]].assign(row=5, first_row=4)
>>> n = analyse_numbering(inv, dup)
>>> n.numbering_gaps, n.duplicate_numbers, n.out_of_order_numbers
(2, 1, 1)
>>> n.gap_ranges["label"].tolist(), n.numbering_series["missing_ranges"].tolist()
(['FA-003..FA-004'], ['FA-003..FA-004'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from .base import ColumnSpec as C

MAX_DIGITS = 18  # longer digit runs do not fit an int64: reported as unparsed
SHOWN_RANGES = 5  # missing ranges spelled out per series in the series table
MAX_RANGES = 10_000  # rows of the gap_ranges table (the counts stay exact beyond)
_MARK = "\x1f"  # stands for the number inside a series key: prefix + _MARK + suffix
_NUMBER = re.compile(r"^(.*?)([0-9]+)([^0-9]*)$", re.S)


@dataclass(frozen=True)
class NumberingResult:
    numbering_gaps: int  # missing numbers, all sequences together
    duplicate_numbers: int  # distinct numbers used on more than one row
    out_of_order_numbers: int  # invoices dated before a lower number of their series
    numbering_series_count: int
    unparsed_numbers: int  # numbers without any digit (or too long): no series
    gap_range_count: int  # runs of missing numbers (gap_ranges lists the first MAX_RANGES)
    numbering_series: pd.DataFrame
    gap_ranges: pd.DataFrame
    duplicates: pd.DataFrame
    out_of_order: pd.DataFrame
    unparsed: pd.DataFrame

    COLUMNS: ClassVar[dict[str, tuple[C, ...]]] = {
        "numbering_series": (
            C("series", "Série", "Series", "text"), C("first_id", "Premier numéro", "First number", "text"),
            C("last_id", "Dernier numéro", "Last number", "text"), C("count", "Numéros", "Numbers", "int"),
            C("missing", "Numéros manquants", "Missing numbers", "int"),
            C("sequence", "Séquence", "Sequence", "bool"),
            C("missing_ranges", "Trous", "Gaps", "text"),
            C("duplicates", "Numéros en double", "Duplicate numbers", "int"),
            C("out_of_order", "Hors ordre chronologique", "Out of date order", "int"),
            C("first_date", "Première date", "First date", "date"),
            C("last_date", "Dernière date", "Last date", "date")),
        "gap_ranges": (
            C("series", "Série", "Series", "text"),
            C("label", "Numéros manquants", "Missing numbers", "text"),
            C("start", "Début", "From", "int"), C("end", "Fin", "To", "int"),
            C("missing", "Nombre", "Count", "int")),
        "duplicates": (
            C("series", "Série", "Series", "text"), C("invoice_ids", "N° facture", "Invoice number", "text"),
            C("occurrences", "Occurrences", "Occurrences", "int"), C("rows", "Lignes", "Rows", "text"),
            C("identical", "Lignes identiques", "Identical rows", "bool"),
            C("amount", "Montant TTC (1re ligne)", "Amount (1st row)", "amount")),
        "out_of_order": (
            C("series", "Série", "Series", "text"), C("invoice_id", "N° facture", "Invoice number", "text"),
            C("invoice_date", "Date facture", "Invoice date", "date"),
            C("previous_id", "Numéro inférieur daté après", "Lower number dated later", "text"),
            C("previous_date", "Sa date", "Its date", "date"), C("row", "Ligne", "Row", "int")),
        "unparsed": (
            C("invoice_id", "N° facture", "Invoice number", "text"),
            C("client_id", "Code client", "Client code", "text"),
            C("invoice_date", "Date facture", "Invoice date", "date"),
            C("amount", "Montant TTC", "Amount incl. VAT", "amount"), C("row", "Ligne", "Row", "int")),
    }


def split_numbers(ids: pd.Series | np.ndarray
                  ) -> tuple[np.ndarray, list[tuple[str, str]], np.ndarray, np.ndarray]:
    """(series code per id, -1 = none; (prefix, suffix) per code; number, -1 = none; digit count).

    >>> codes, keys, numbers, widths = split_numbers(pd.Series(["FA-0017", "AV-3", "ACOMPTE", "FA-18"]))
    >>> codes.tolist(), keys, numbers.tolist(), widths.tolist()
    ([0, 1, -1, 0], [('FA-', ''), ('AV-', '')], [17, 3, -1, 18], [4, 1, 0, 2])
    """
    values = np.asarray(ids, dtype=object)
    try:
        codes, uniques, number, width = _split_arrow(values)
    except Exception:  # noqa: BLE001 - no pyarrow, or a value Arrow cannot read as text: the slow way
        codes, uniques, number, width = _split_regex(values)
    return codes, [tuple(k.split(_MARK, 1)) for k in uniques], number, width  # type: ignore[misc]


def _split_regex(values: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Reference implementation, one regular expression per number (slow)."""
    n = len(values)
    keys, number, width = np.empty(n, dtype=object), np.full(n, -1), np.zeros(n, dtype=np.int64)
    for i, value in enumerate(values):
        m = _NUMBER.match(value) if isinstance(value, str) else None
        if m and len(m[2]) <= MAX_DIGITS:
            keys[i], number[i], width[i] = m[1] + _MARK + m[3], int(m[2]), len(m[2])
    codes = np.full(n, -1, dtype=np.int64)
    codes[number >= 0], uniques = pd.factorize(keys[number >= 0])
    return codes, list(uniques), number, width


def _split_arrow(values: np.ndarray) -> tuple[np.ndarray, list[str], np.ndarray, np.ndarray]:
    """Same as :func:`_split_regex`, vectorised: numbers ending in digits are split with Arrow string
    kernels and a few passes over their last bytes; the others (suffix, no digit) go through the regex."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(values, type=pa.large_string(), from_pandas=True)
    n = len(arr)
    _, off_buf, data_buf = arr.buffers()
    offsets = np.frombuffer(off_buf, dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf else np.zeros(1, dtype=np.uint8)
    end, length = offsets[1:], np.diff(offsets)
    prefix = pc.utf8_rtrim(arr, "0123456789")
    width = length - pc.binary_length(prefix).fill_null(0).to_numpy()
    fast = (width > 0) & (width <= MAX_DIGITS)
    number = np.zeros(n, dtype=np.int64)
    for j in range(min(int(width.max(initial=0)), MAX_DIGITS)):  # units, tens, hundreds... of every number
        digit = data.take(end - 1 - j, mode="clip").astype(np.int64) - 48
        digit[width <= j] = 0
        number += digit * 10 ** j
    codes = np.full(n, -1, dtype=np.int64)
    encoded = prefix.filter(pa.array(fast)).dictionary_encode()
    codes[fast] = encoded.indices.to_numpy(zero_copy_only=False)
    uniques = [p + _MARK for p in encoded.dictionary.to_pylist()]
    slow = np.flatnonzero((width == 0) & (length > 0))
    if len(slow):
        c2, u2, n2, w2 = _split_regex(values[slow])
        index = {k: i for i, k in enumerate(uniques)}
        remap = np.array([index.setdefault(k, len(index)) for k in u2] + [-1], dtype=np.int64)
        codes[slow], number[slow], width[slow], uniques = remap[c2], n2, w2, list(index)
    number[codes < 0], width[codes < 0] = -1, 0
    return codes, uniques, number, width.astype(np.int64)


def _label(prefix: str, suffix: str) -> str:
    return prefix + ("…" + suffix if suffix else "")


def analyse_numbering(invoices: pd.DataFrame, duplicates: pd.DataFrame) -> NumberingResult:
    """Numbering of ``invoices`` (the ledger's) plus the ``duplicates`` rows ingestion excluded."""
    cols = ["invoice_id", "client_id", "invoice_date", "amount", "row"]
    parts = [invoices] + ([duplicates] if len(duplicates) else [])
    a = {c: np.concatenate([p[c].to_numpy(dtype=object if c.endswith("_id") else None) for p in parts])
         for c in cols}
    code, keys, number, width = split_numbers(a["invoice_id"])
    labels = [_label(p, s) for p, s in keys]
    names = np.array(labels + [None], dtype=object)  # names[-1] is None: no series
    k, day = len(keys), (a["invoice_date"] - a["invoice_date"].min()) // np.timedelta64(1, "D")

    def table(idx: np.ndarray, **extra: object) -> pd.DataFrame:
        return pd.DataFrame({"series": names[code[idx]], **{c: a[c][idx] for c in cols}, **extra})

    # parsed rows sorted by series, number, date: unique numbers, first / last, gaps
    parsed = np.flatnonzero(code >= 0)
    order = parsed[_sort_order(code[parsed], number[parsed], day[parsed])]
    c, nb = code[order], number[order]
    new = np.ones(len(c), dtype=bool)
    new[1:] = (c[1:] != c[:-1]) | (nb[1:] != nb[:-1])
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if len(c) else np.zeros(0, dtype=np.int64)
    cu, nu = c[new], nb[new]
    count = np.bincount(cu, minlength=k)
    first_n, last_n = nb[starts], nb[np.r_[starts[1:], len(c)] - 1] if k else nb[:0]
    missing = last_n - first_n + 1 - count
    sequence = missing <= count  # else too sparse to be one numbering sequence
    gap = np.flatnonzero((cu[1:] == cu[:-1]) & (np.diff(nu) > 1) & sequence[cu[1:]])
    w_min = np.minimum.reduceat(width[order], starts) if k else width[:0]

    def show(i: int, n: int) -> str:
        return f"{keys[i][0]}{n:0{w_min[i]}d}{keys[i][1]}"

    def ranges(at: np.ndarray) -> pd.DataFrame:
        i, lo, hi = cu[at + 1], nu[at] + 1, nu[at + 1] - 1
        return pd.DataFrame({"series": names[i], "code": i, "start": lo, "end": hi, "missing": hi - lo + 1,
                             "label": pd.Series([show(s, x) + (".." + show(s, y) if y > x else "") for s, x, y
                                                 in zip(i.tolist(), lo.tolist(), hi.tolist(), strict=True)],
                                                dtype=object)})

    per_series = np.bincount(cu[gap + 1], minlength=k)
    rank = np.arange(len(gap)) - np.repeat(np.cumsum(per_series) - per_series, per_series)
    shown = ranges(gap[rank < SHOWN_RANGES]).groupby("code")["label"].agg(", ".join)
    more = np.where(per_series > SHOWN_RANGES, [f", … (+{m})" for m in per_series - SHOWN_RANGES], "")
    gaps = ranges(gap[:MAX_RANGES])

    # invoices dated before a lower number of their series (kept rows only): a running maximum of
    # series x span + day is the running latest date within each series, as series are sorted
    ko = order[order < len(invoices)]
    ko = ko[sequence[code[ko]]]
    ck, key = code[ko], code[ko] * (int(day.max(initial=0)) + 1) + day[ko]
    running = np.maximum.accumulate(key) if len(ko) else key
    holder = np.maximum.accumulate(np.where(key == running, np.arange(len(ko)), 0)) if len(ko) else key
    late = np.flatnonzero(np.r_[False, ck[1:] == ck[:-1]] & (key < np.roll(running, 1)))
    prev = ko[np.roll(holder, 1)[late]]
    ooo = table(ko[late], previous_id=a["invoice_id"][prev], previous_date=a["invoice_date"][prev])

    # a number used twice: same series and number, or the same text for numbers without a series
    size = np.diff(np.r_[np.flatnonzero(new), len(c)])
    group = np.cumsum(new) - 1
    members = np.flatnonzero(size[group] > 1) if len(c) else group
    loose = np.flatnonzero(code < 0)
    twice = loose[pd.Series(a["invoice_id"][loose]).duplicated(keep=False).to_numpy()]
    group = np.r_[group[members], -1 - pd.factorize(a["invoice_id"][twice])[0]]  # < 0: no series
    d = table(np.r_[order[members], twice], group=group)
    g = d.sort_values(["group", "row"]).groupby("group", sort=False)
    dups = pd.DataFrame({
        "series": g["series"].first(), "invoice_ids": g["invoice_id"].unique().map(", ".join),
        "occurrences": g.size(), "rows": g["row"].agg(lambda r: ", ".join(map(str, r))),
        "identical": g[["client_id", "invoice_date", "amount"]].nunique().max(axis=1).eq(1),
        "amount": g["amount"].first()}).reset_index(drop=True)

    dates = a["invoice_date"][order]
    series = pd.DataFrame({
        "series": labels, "first_id": [show(i, n) for i, n in enumerate(first_n)],
        "last_id": [show(i, n) for i, n in enumerate(last_n)], "first_number": first_n, "last_number": last_n,
        "count": count, "missing": missing, "sequence": sequence,
        "missing_ranges": shown.reindex(range(k)).fillna("").to_numpy(dtype=object) + more,
        "duplicates": np.bincount(code[order[members]][new[members]], minlength=k),
        "out_of_order": np.bincount(ck[late], minlength=k),
        "first_date": np.minimum.reduceat(dates, starts) if k else dates,
        "last_date": np.maximum.reduceat(dates, starts) if k else dates,
    }).sort_values("series", kind="stable").reset_index(drop=True)
    unparsed = table(loose).drop(columns="series")
    return NumberingResult(
        numbering_gaps=int(missing[sequence].sum()), duplicate_numbers=len(dups), out_of_order_numbers=len(ooo),
        numbering_series_count=k, unparsed_numbers=len(unparsed), gap_range_count=len(gap),
        numbering_series=series,
        gap_ranges=gaps.drop(columns="code").sort_values(["series", "start"]).reset_index(drop=True),
        duplicates=dups, out_of_order=ooo, unparsed=unparsed)


def _sort_order(code: np.ndarray, number: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Order by series, number, day: one stable sort of a combined key when it fits in 62 bits (fast
    on exports already in number order), else a lexicographic sort."""
    if not len(code):
        return np.zeros(0, dtype=np.int64)
    low, spans = int(number.min()), [int(code.max()) + 1, int(number.max()) - int(number.min()) + 1,
                                      int(day.max()) + 1]
    if spans[0] * spans[1] * spans[2] >= 2 ** 62:
        return np.lexsort((day, number, code))
    return np.argsort((code * spans[1] + (number - low)) * spans[2] + day, kind="stable")


def lookup(keys: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Row of ``table`` (distinct texts) holding each key, -1 when absent. With Arrow when it can: the
    distinct keys are hashed and the table probed against them, cheap when keys are few.

    >>> keys, table = np.array(["F3", "F1", "F9", "F3"], dtype=object), np.array(["F1", "F2", "F3"], dtype=object)
    >>> lookup(keys, table).tolist()
    [2, 0, -1, 2]
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        distinct = pa.array(keys, type=pa.large_string(), from_pandas=True).dictionary_encode()
        hit = pc.index_in(pa.array(table, type=pa.large_string(), from_pandas=True),
                          value_set=distinct.dictionary).fill_null(-1).to_numpy(zero_copy_only=False)
        row = np.full(len(distinct.dictionary) + 1, -1, dtype=np.int64)  # row[-1]: blank key
        found = np.flatnonzero(hit >= 0)
        row[hit[found]] = found
        return row[distinct.indices.fill_null(-1).to_numpy(zero_copy_only=False)]
    except Exception:  # noqa: BLE001 - no pyarrow, or a value Arrow cannot read as text
        return pd.Index(table, dtype=object).get_indexer(keys)


def factorize(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(code of each text, -1 when blank; the distinct texts), with Arrow when it can.

    >>> codes, texts = factorize(np.array(["Email", None, "Email", "Courrier"], dtype=object))
    >>> codes.tolist(), texts
    ([0, -1, 0, 1], ['Email', 'Courrier'])
    """
    try:
        import pyarrow as pa

        enc = pa.array(values, type=pa.large_string(), from_pandas=True).dictionary_encode()
        codes = enc.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, enc.dictionary.to_pylist()
    except Exception:  # noqa: BLE001 - no pyarrow, or a value Arrow cannot read as text
        codes, uniques = pd.factorize(values)
        return codes.astype(np.int64), list(uniques)
