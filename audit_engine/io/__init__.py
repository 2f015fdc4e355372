"""Readers and writers at the edge: files in, raw tables out (and results back to files).

:func:`read_input` picks the reader from the file itself: a workbook (calamine), a FEC
(``SIRENFECAAAAMMJJ.txt``), a CSV export, or a folder of CSV files.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import FileNotFoundInputError, UnsupportedFileError
from .csv import CSV_SUFFIXES, read_csv_input
from .excel import EXCEL_SUFFIXES, read_workbook
from .raw import RawInput, RawTable

__all__ = ["RawInput", "RawTable", "read_input"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def _is_fec(path: Path) -> bool:
    try:
        from .fec import looks_like_fec
    except ImportError:  # pragma: no cover - FEC support not installed
        return False
    return looks_like_fec(path)


def read_input(path: str | Path) -> RawInput:
    """Read a workbook, a FEC, a CSV file or a folder of CSV files into raw tables."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundInputError(file=str(path))
    if path.is_dir():
        return read_csv_input(path)
    suffix = path.suffix.lower()
    with path.open("rb") as fh:
        head = fh.read(8)
    if suffix in EXCEL_SUFFIXES or head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
        if not (head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC)):
            raise UnsupportedFileError(file=str(path), detail="contenu non reconnu / unrecognised content")
        return read_workbook(path)
    if _is_fec(path):
        from .fec import read_fec

        return read_fec(path)
    if suffix in CSV_SUFFIXES or not suffix:
        return read_csv_input(path)
    raise UnsupportedFileError(file=str(path), detail=f"extension {suffix}")
