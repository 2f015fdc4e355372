"""Errors that stop a run. Everything else is a :class:`~audit_engine.findings.Finding`.

Every error carries a message code and its parameters, so the CLI and the Excel add-in can show it in
the user's language without a traceback:

>>> err = MissingColumnError(file="export.csv", sheet="Factures", column="Montant TTC")
>>> err.message("fr")
"Colonne obligatoire absente : « Montant TTC » (fichier export.csv, feuille Factures). Ajoutez-la ou renommez l'en-tête correspondant."
>>> err.exit_code
2
"""

from __future__ import annotations

from typing import Any

from .i18n import t


class AuditError(Exception):
    """Base of every error that stops the audit; ``message(lang)`` is what the user reads."""

    code = "audit_error"
    exit_code = 2

    def __init__(self, **params: Any) -> None:
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "fr") -> str:
        """The message in ``lang``; a parameter given as ``name_fr``/``name_en`` is used as ``name``."""
        params = dict(self.params)
        suffix = "_en" if lang == "en" else "_fr"
        for key in list(params):
            if key.endswith(suffix):
                params[key[: -len(suffix)]] = params[key]
        return t(self.code, lang, **params)


class InputError(AuditError):
    """The input cannot be used (the user can fix it)."""


class FileNotFoundInputError(InputError):
    code = "file_not_found"


class UnsupportedFileError(InputError):
    code = "unsupported_file"


class UnreadableFileError(InputError):
    code = "unreadable_file"


class NoInvoiceTableError(InputError):
    code = "no_invoice_table"


class MissingColumnError(InputError):
    code = "missing_column"


class NoUsableRowsError(InputError):
    code = "no_usable_rows"


class BadSettingError(InputError):
    code = "bad_setting"


class FecFormatError(InputError):
    code = "fec_format"


class OutputError(AuditError):
    """The result cannot be written (file open in Excel, read-only folder...)."""


class WorkbookLockedError(OutputError):
    code = "workbook_locked"


class NotWritableError(OutputError):
    code = "not_writable"
