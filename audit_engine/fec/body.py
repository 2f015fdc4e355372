"""The lines of a FEC as text columns, with each line's number and number of fields.

The number of fields of every line is counted with numpy on the bytes. When every non-empty line has
the same number of fields (the normal case) and pyarrow is installed, pyarrow's multithreaded CSV
reader reads the columns straight into Arrow strings; otherwise pandas' C parser does (one Python
string per cell: slower and heavier on a FEC of millions of lines). Quotes mean nothing in a FEC.

>>> raw = "JournalCode|CompteNum|Debit\\nVE|411|10,00\\n\\nBQ|512|3\\n".encode()
>>> body = read_body(raw, raw.index(b"\\n") + 1, "|", [0, 1, 2])
>>> body.frame.values.tolist(), body.line.tolist(), body.counts.tolist(), body.empty
([['VE', '411', '10,00'], ['BQ', '512', '3']], [2, 4], [3, 3], 1)
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Body:
    frame: pd.DataFrame  # one row per non-empty line; columns = field positions (int) that were asked for
    counts: np.ndarray  # number of fields of each row's line
    line: np.ndarray  # each row's line number in the file (header = 1)
    empty: int  # empty lines skipped
    width: int  # the largest number of fields on a line


def _arrow(raw: bytes, sep: str, width: int, cols: Sequence[int]) -> pd.DataFrame | None:
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is optional
        return None
    names = [str(i) for i in range(width)]
    keep = [str(c) for c in cols]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, escape_char=False,
                                             ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in keep},
                                                 include_columns=keep, strings_can_be_null=False))
    except (pa.ArrowInvalid, ValueError):
        return None
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    frame = table.to_pandas(types_mapper=lambda t: dtype if pa.types.is_string(t) else None)
    frame.columns = [int(c) for c in frame.columns]
    return frame


def _pandas(raw: bytes, sep: str, width: int, cols: Sequence[int], nonempty: np.ndarray) -> pd.DataFrame:
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=sep, header=None, skiprows=1, names=list(range(width)),
                            usecols=list(cols), dtype=str, na_filter=False, skip_blank_lines=False,
                            quoting=csv.QUOTE_NONE, encoding="utf-8", engine="c")
    except (pd.errors.EmptyDataError, pd.errors.ParserError):
        frame = pd.DataFrame()
    if len(frame) == len(nonempty):
        return frame[nonempty].reset_index(drop=True)
    # pandas saw another line structure (a stray character): split by hand, only ever on odd small files
    text = raw.decode("utf-8").split("\n")[1:][: len(nonempty)]
    rows = [ln.split(sep) for ln, keep in zip(text, nonempty, strict=False) if keep]
    rows = [[r[c] if c < len(r) else "" for c in cols] for r in rows]
    return pd.DataFrame(rows, columns=list(cols), dtype=str)


def read_body(raw: bytes, start: int, sep: str, cols: Sequence[int] | None = None) -> Body:
    """The lines of ``raw`` (UTF-8, LF line ends) from byte ``start`` on; only columns ``cols`` (all if None)."""
    arr = np.frombuffer(raw, dtype=np.uint8)[start:]
    newlines = np.flatnonzero(arr == 10)
    ends = newlines if (len(arr) and arr[-1] == 10) else np.append(newlines, len(arr))
    starts = np.concatenate(([0], ends[:-1] + 1)) if len(ends) else ends
    seps = np.flatnonzero(arr == ord(sep))
    counts = np.diff(np.concatenate(([0], np.searchsorted(seps, ends)))).astype(np.int64) + 1
    nonempty = (ends - starts) > 0
    lines = np.arange(2, len(ends) + 2, dtype=np.int64)
    if not nonempty.any():
        return Body(pd.DataFrame(columns=list(cols or [])), counts[:0], lines[:0], int(len(ends)), 0)
    width = int(counts[nonempty].max())
    cols = sorted(c for c in (cols if cols is not None else range(width)) if c < width)
    frame = None
    if (counts[nonempty] == width).all():
        frame = _arrow(raw, sep, width, cols)
        if frame is not None and len(frame) != int(nonempty.sum()):
            frame = None
    if frame is None:
        frame = _pandas(raw, sep, width, cols, nonempty)
    return Body(frame, counts[nonempty], lines[nonempty], int((~nonempty).sum()), width)
