"""Read CSV exports: one file (the invoices) or a folder with one CSV per table.

Encoding (UTF-8 with or without BOM, Windows-1252, ISO-8859-15) and separator (``;``, ``,``, tab,
``|``) are detected from the bytes; cells are read as text and parsed later by ingestion. Row
numbers are the file's line numbers (the header is line 1).

>>> detect_separator("N° facture;Client;Montant TTC")
';'
>>> detect_encoding("Échéance".encode("cp1252")), detect_encoding("€ Échéance".encode("iso-8859-15"))
('cp1252', 'iso-8859-15')
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import NoInvoiceTableError, UnreadableFileError
from ..schema import INVOICES, TABLES, match_header, match_table_name, required_columns
from .raw import RawInput, RawTable, _dedupe

SEPARATORS = (";", "\t", ",", "|")
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}


def detect_encoding(data: bytes) -> str:
    """utf-8-sig when the bytes decode as UTF-8, else cp1252 or iso-8859-15 (the € sign decides)."""
    sample = data[:2_000_000]
    try:
        sample.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample
            return "utf-8-sig"
    if any(0x80 <= b <= 0x9F for b in sample):
        return "cp1252"
    if 0xA4 in sample:  # '€' in ISO-8859-15, '¤' (never used) in Latin-1 / Windows-1252
        return "iso-8859-15"
    return "cp1252"


def detect_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda s: (counts[s], -SEPARATORS.index(s)))
    return best if counts[best] else ";"


def read_csv_table(path: Path, data: bytes | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """Cells as text (None for empty), and each row's line number."""
    try:
        raw = path.read_bytes() if data is None else data
    except OSError as exc:
        raise UnreadableFileError(file=str(path), detail=exc.strerror or str(exc)) from exc
    encoding = detect_encoding(raw)
    text_start = raw[:65536].decode(encoding, errors="replace")
    first_line = text_start.lstrip("\ufeff").splitlines()[0] if text_start.strip() else ""
    sep = detect_separator(first_line)
    frame = _read_fast(raw, sep, encoding)
    if frame is None:
        try:
            frame = pd.read_csv(io.BytesIO(raw), sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
                                na_values=[""], skip_blank_lines=False, engine="c", quotechar='"',
                                index_col=False)
        except pd.errors.EmptyDataError:
            frame = pd.DataFrame()
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise UnreadableFileError(file=str(path), detail=str(exc).splitlines()[0]) from exc
    frame.columns = _dedupe([str(c).strip().lstrip("\ufeff") for c in frame.columns])
    rows = np.arange(2, 2 + len(frame), dtype=np.int64)
    return frame, rows


def _physical_lines(raw: bytes) -> int | None:
    """Line count for LF or CRLF files; None for anything else (CR-only, mixed), left to the exact reader."""
    lf, cr = raw.count(b"\n"), raw.count(b"\r")
    if cr and cr != raw.count(b"\r\n"):
        return None
    return lf + (0 if raw.endswith(b"\n") else 1)


def _read_fast(raw: bytes, sep: str, encoding: str) -> pd.DataFrame | None:
    """The multi-threaded Arrow CSV reader, used only when it keeps the line numbers exact (no blank
    line, no quoted line break); None otherwise, and the C reader (slower, exact numbering) is used."""
    if len(raw) < 1_000_000 or b"\n\n" in raw or b"\r\n\r\n" in raw or b"\r\r" in raw:
        return None
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=sep, encoding=encoding, dtype=str, keep_default_na=False,
                            na_values=[""], engine="pyarrow")
    except Exception:  # noqa: BLE001 - any doubt: the exact reader decides
        return None
    lines = _physical_lines(raw)
    return frame if lines is not None and len(frame) + 1 == lines else None


def _classify_csv(path: Path, frame: pd.DataFrame) -> str | None:
    """By file name, else by headers: the table matching most columns among those whose required
    columns are all there (an invoice export missing a required column is still the invoice table)."""
    by_name = match_table_name(path.stem)
    if by_name is not None:
        return by_name
    best, best_score = None, 0
    for table in TABLES:
        keys = {match_header(table, c) for c in frame.columns} - {None}
        needed = set(required_columns(table)) or {"name", "value"}
        complete = needed <= keys or (table == INVOICES and "invoice_id" in keys and len(keys) >= 3)
        if complete and len(keys) > best_score:
            best, best_score = table, len(keys)
    return best


def read_csv_input(path: Path) -> RawInput:
    """A CSV file (the invoices, or a table recognised by its name/headers) or a folder of CSVs."""
    files = sorted(p for p in path.iterdir() if p.suffix.lower() in CSV_SUFFIXES) if path.is_dir() else [path]
    tables: dict[str, RawTable] = {}
    for file in files:
        frame, rows = read_csv_table(file)
        table = _classify_csv(file, frame)
        if table is None and not path.is_dir():
            table = INVOICES  # a lone CSV is the invoice export: missing columns are reported by name
        if table is None or table in tables:
            continue
        tables[table] = RawTable(table, file.name, str(file), frame, rows, header_row=1)
    if INVOICES not in tables:
        raise NoInvoiceTableError(file=str(path), sheets=", ".join(f.name for f in files) or "-")
    return RawInput(source=str(path), tables=tables, sheets_seen=tuple(f.name for f in files))
