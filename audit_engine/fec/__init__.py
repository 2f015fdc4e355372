"""Receivables from a FEC: the pure part (text already decoded, no file access).

The pipeline, one module per step:

- :mod:`.parsing`: FEC body text -> typed entries, one row per line (``line`` = the line number in
  the file, header = line 1), with row-level findings;
- :mod:`.journals`: each journal's kind (opening, sales, bank, other);
- :mod:`.allocate`: first-in first-out matching of credits to debits, vectorised;
- :mod:`.receivables`: entries -> invoices, credit notes, payments, unapplied cash, clients, findings,
  and :func:`~.receivables.reconcile` (the audit's open items against the 411 balance);
- :mod:`.tables`: the template tables (French headers) and the :class:`~audit_engine.io.raw.RawInput`.

The file side (reading bytes, the ``SIRENFECAAAAMMJJ`` name) is :mod:`audit_engine.io.fec`.

>>> Money(1234.5).__format__("fr"), f"{Money(-3):en}", f"{Money(2):.1f}"
('1\\u202f234,50\\xa0€', 'EUR -3.00', '2.0')
"""

from __future__ import annotations

from typing import Any

from ..errors import FecFormatError
from ..i18n import t

RECEIVABLE_PREFIX = "411"  # customer accounts (PCG 411*)

STANDARD_COLUMNS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib",
                    "CompAuxNum", "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit",
                    "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise")
KNOWN_EXTRA_COLUMNS = ("Montant", "Sens", "DateRglt", "ModeRglt")


class Money(float):
    """An amount in a message: ``{amount:fr}`` / ``{amount:en}`` write it the way each reader expects."""

    def __format__(self, spec: str) -> str:
        if spec in ("fr", "en"):
            from ..formatting import fmt_amount

            return fmt_amount(float(self), spec).replace(" €", "\xa0€")
        return float.__format__(float(self), spec)


class FecError(FecFormatError):
    """A non-conforming FEC. ``detail_code`` (a message code) makes the detail follow the user's language.

    >>> err = FecError(file="x.txt", line=1, field="CompteNum", detail_code="fec.detail.missing_column",
    ...                column="CompteNum", columns="JournalCode, Debit")
    >>> err.message("en")
    'Non-conforming FEC (x.txt, line 1, field CompteNum): required column "CompteNum" missing from the header (columns read: JournalCode, Debit).'
    """

    def message(self, lang: str = "fr") -> str:
        params: dict[str, Any] = dict(self.params)
        if params.get("detail_code"):
            params["detail"] = t(params["detail_code"], lang, **params)
        return t(self.code, lang, **params)


__all__ = ["KNOWN_EXTRA_COLUMNS", "RECEIVABLE_PREFIX", "STANDARD_COLUMNS", "FecError", "Money"]
