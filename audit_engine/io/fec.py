"""Reading a FEC (Fichier des Écritures Comptables, LPF art. A47 A-1) into a typed entries table.

The reader takes the file as producers really write it: tab, pipe (or semicolon) separator found from
the header line; UTF-8 with or without a byte-order mark, else ISO-8859-15 (Windows-1252 when its
extra characters appear); LF, CRLF, CR or ``\\r\\r\\n`` line ends (a run of CRs with an optional LF is one
line end); fields padded with spaces; amounts with a decimal comma, an optional sign and leading
zeros (``0000000074,70``); dates ``AAAAMMJJ``; ``Debit``/``Credit`` or ``Montant``/``Sens``; extra
columns after the 18 standard ones (``DateRglt`` and ``ModeRglt`` are used) and trailing separators.

What makes the file unusable raises :class:`FecError` (a :class:`~audit_engine.errors.FecFormatError`)
naming the line and the field: no header line, a missing required column (JournalCode, EcritureDate,
CompteNum, and Debit/Credit or Montant/Sens), most lines with the wrong number of fields. Problems on
single lines become findings: on a customer line (``411*``) the line is excluded, from the invoices and
from the 411 balance alike, so the reconciliation still holds and the finding says what is missing;
elsewhere, bad values are only counted (they cannot change the receivables).

>>> head = ("JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|"
...         "PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise")
>>> line = "VE  |Ventes|1|20250110|411000  |Clients|C1|Alpha|F1|20250110|Vente|0000001200,00|0,00|AA||20250110||"
>>> fec = parse_fec((head + "\\r\\n" + line + "\\r\\n").encode("latin-1"), "123456789FEC20251231.txt")
>>> fec.separator, fec.encoding
('|', 'UTF-8')
>>> fec.entries[["line", "journal", "account", "aux", "amount", "let"]].values.tolist()
[[2, 'VE', '411000', 'C1', 1200.0, 'AA']]
>>> closing_date_from_name("123456789FEC20251231.txt").isoformat()
'2025-12-31'
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..fec import KNOWN_EXTRA_COLUMNS, RECEIVABLE_PREFIX, STANDARD_COLUMNS, FecError
from ..fec.body import read_body
from ..fec.parsing import SEPARATORS, columns_needed, typed_entries
from ..findings import Finding
from .raw import RawInput

REQUIRED_COLUMNS = ("JournalCode", "EcritureDate", "CompteNum")
_NAME = re.compile(r"(\d{9,})FEC(\d{8})(?!\d)", re.IGNORECASE)
_NAME_START = re.compile(r"^\d{9,}FEC\d{8}", re.IGNORECASE)
_EOL = re.compile(r"\r+\n?")


@dataclass(frozen=True)
class FecFile:
    """A FEC as read: one typed row per entry line (see :func:`audit_engine.fec.parsing.typed_entries`)."""

    name: str
    entries: pd.DataFrame
    findings: tuple[Finding, ...]
    encoding: str
    separator: str
    header: tuple[str, ...]
    variant: str  # "debit_credit" | "montant_sens"
    has_due_dates: bool  # the DateRglt column is present
    lines: int  # lines of the file, header included


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding name: BOM first, then strict UTF-8, else ISO-8859-15 / Windows-1252."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if re.search(rb"[\x80-\x9f]", data):  # C1 controls in ISO-8859-15: Windows-1252 signs (€, œ, ’)
        return data.decode("cp1252", errors="replace"), "Windows-1252"
    return data.decode("iso-8859-15"), "ISO-8859-15"


def closing_date_from_name(path: str | Path) -> dt.date | None:
    """The closing date in a ``SIRENFECAAAAMMJJ`` file name, or None."""
    m = _NAME.search(Path(path).name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(2), "%Y%m%d").date()
    except ValueError:
        return None


def looks_like_fec(path: str | Path) -> bool:
    """True for a ``SIRENFECAAAAMMJJ...`` file name, or a first line naming JournalCode and CompteNum."""
    path = Path(path)
    if _NAME_START.match(path.name):
        return True
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    first = decode(head)[0].split("\n", 1)[0].lower()
    return "journalcode" in first and "comptenum" in first


def _header(text: str, name: str) -> tuple[str, list[str]]:
    head = text.split("\n", 1)[0].lstrip("\ufeff")
    if not head.strip():
        raise FecError(file=name, line=1, field="JournalCode", detail_code="fec.detail.empty")
    sep = max(SEPARATORS, key=head.count)
    if head.count(sep) == 0 or "journalcode" not in head.lower().replace(" ", ""):
        raise FecError(file=name, line=1, field="JournalCode", detail_code="fec.detail.no_header",
                       value=head[:60])
    return sep, [h.strip().lstrip("\ufeff") for h in head.split(sep)]


def _positions(names: list[str], name: str) -> tuple[dict[str, int], str, list[str]]:
    """{canonical column: position}, the amount variant, and the standard columns missing."""
    canon = {c.lower(): c for c in (*STANDARD_COLUMNS, *KNOWN_EXTRA_COLUMNS)}
    pos: dict[str, int] = {}
    for i, h in enumerate(names):
        c = canon.get(h.lower().replace(" ", ""))
        if c is not None and c not in pos:
            pos[c] = i
    shown = ", ".join(h for h in names if h)
    for col in REQUIRED_COLUMNS:
        if col not in pos:
            raise FecError(file=name, line=1, field=col, detail_code="fec.detail.missing_column",
                           column=col, columns=shown)
    if "Debit" in pos and "Credit" in pos:
        variant = "debit_credit"
    elif "Montant" in pos and "Sens" in pos:
        variant = "montant_sens"
    else:
        raise FecError(file=name, line=1, field="Debit", detail_code="fec.detail.missing_amounts", columns=shown)
    optional = [c for c in STANDARD_COLUMNS if c not in pos]
    if variant == "montant_sens":
        optional = [c for c in optional if c not in ("Debit", "Credit")]
    return pos, variant, optional


def parse_fec(data: bytes, name: str = "FEC") -> FecFile:
    """Parse the bytes of a FEC named ``name`` (the file name, for messages and the closing date)."""
    text, encoding = decode(data)
    del data
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:  # CR alone, or CR CR LF
            text = _EOL.sub("\n", text)
    sep, names = _header(text, name)
    pos, variant, missing = _positions(names, name)
    raw = text.encode("utf-8")
    del text
    start = raw.index(b"\n") + 1 if b"\n" in raw else len(raw)
    body = read_body(raw, start, sep, columns_needed(names, pos))
    del raw
    findings: list[Finding] = []
    if missing:
        findings.append(Finding("info", name, 1, None, None, "fec_missing_columns", {"columns": ", ".join(missing)}))
    entries, more = typed_entries(body, names, pos, variant, name)
    findings += more
    receivable = entries["account"].str.startswith(RECEIVABLE_PREFIX)
    findings.insert(0, Finding("info", name, None, None, None, "fec_read", {
        "entries": int(len(entries)), "encoding": encoding, "separator": {"\t": "tab", "|": "|", ";": ";"}[sep],
        "receivable_lines": int(receivable.sum())}))
    return FecFile(name=name, entries=entries, findings=tuple(findings), encoding=encoding, separator=sep,
                   header=tuple(names), variant=variant, has_due_dates="DateRglt" in pos,
                   lines=1 + body.empty + len(body.line))


def read_fec_file(path: str | Path) -> FecFile:
    path = Path(path)
    return parse_fec(path.read_bytes(), path.name)


def read_fec(path: str | Path, as_of: dt.date | None = None, unlettered: str = "auto") -> RawInput:
    """Read a FEC and rebuild the receivables: a :class:`RawInput` with Factures, Règlements, Clients.

    ``meta`` holds: kind ("fec"), as_of, as_of_reason, as_of_note (French) and as_of_note_en,
    closing_date (from the name), last_entry_date, ledger_balance (411 balance at as_of),
    ledger_movements (the 411 lines: line, date, amount, to recompute the balance at another date),
    reconciliation (the four figures at as_of), findings, stats, journals, encoding, separator,
    has_due_dates, default_terms_note.
    """
    from ..fec.tables import build_raw_input

    path = Path(path)
    fec = read_fec_file(path)
    return build_raw_input(fec, source=str(path), closing=closing_date_from_name(path), as_of=as_of,
                           unlettered=unlettered)


__all__ = ["FecError", "FecFile", "STANDARD_COLUMNS", "closing_date_from_name", "decode", "looks_like_fec",
           "parse_fec", "read_fec", "read_fec_file"]
