"""The input contract: the tables, their columns, and the header spellings we recognise.

Every reader (workbook, CSV, FEC, live Excel) produces *raw tables* whose headers are whatever the
user's export wrote; :func:`match_header` maps such a header to a canonical column name of a table.
Matching ignores case, accents, spaces, punctuation and underscores:

>>> normalize_header("N° de facture")
'ndefacture'
>>> match_header("invoices", "InvoiceNumber")
'invoice_id'
>>> match_header("invoices", "Date d'échéance")
'due_date'
>>> match_table_name("Règlements")
'payments'

The French headers of the template (``TEMPLATE_HEADERS``) are the first synonym of each column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

INVOICES, PAYMENTS, REMINDERS, CLIENTS, SETTINGS = "invoices", "payments", "reminders", "clients", "settings"
TABLES = (INVOICES, PAYMENTS, REMINDERS, CLIENTS, SETTINGS)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_header(text: object) -> str:
    """Lower-case, strip accents, drop everything but letters and digits."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKD", str(text).strip().lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("œ", "oe").replace("æ", "ae")
    return _NON_ALNUM.sub("", s)


@dataclass(frozen=True)
class Column:
    """One canonical column: its key, whether it is required, its kind, and its known spellings."""

    key: str
    kind: str  # "text" | "date" | "amount" | "int" | "bool"
    required: bool
    synonyms: tuple[str, ...]  # first one = the template's French header
    english: str  # the English header (template in English, messages)

    @property
    def french(self) -> str:
        return self.synonyms[0]


def _c(key: str, kind: str, required: bool, english: str, *synonyms: str) -> Column:
    return Column(key, kind, required, tuple(synonyms), english)


COLUMNS: dict[str, tuple[Column, ...]] = {
    INVOICES: (
        _c("invoice_id", "text", True, "Invoice number",
           "N° facture", "Numéro de facture", "N° de facture", "No facture", "Num facture", "Facture",
           "N° pièce", "Numéro de pièce", "N° de pièce", "Pièce", "Référence", "Réf facture", "Ref",
           "Invoice number", "InvoiceNumber", "Invoice no", "Invoice", "Invoice ID", "InvoiceRef",
           "Document number", "Doc no", "EC_Piece", "EC_RefPiece", "PieceRef", "Number"),
        _c("client_id", "text", True, "Client code",
           "Code client", "Client code", "N° client", "Numéro client", "Compte client", "Compte tiers",
           "N° compte tiers", "Numéro de compte tiers", "Tiers", "Code tiers", "CT_Num",
           "CustomerAccountancyCode", "Customer ID", "CustomerID", "Customer code", "Customer number",
           "Client ID", "Account", "CompAuxNum"),
        _c("client_name", "text", False, "Client",
           "Client", "Nom client", "Raison sociale", "Nom du client", "Libellé tiers", "Intitulé tiers",
           "Customer", "Customer name", "CustomerName", "Client name", "Company", "CompAuxLib"),
        _c("invoice_date", "date", True, "Invoice date",
           "Date facture", "Date de facture", "Date facturation", "Date pièce", "Date de pièce",
           "Date d'émission", "Date", "Invoice date", "InvoiceDate", "DateInvoice", "Document date",
           "EC_Date", "PieceDate", "Issue date"),
        _c("delivery_date", "date", False, "Delivery date",
           "Date livraison", "Date de livraison", "Date de prestation", "Date d'exécution",
           "Date fin de prestation", "Date BL", "Delivery date", "DeliveryDate", "Service date",
           "Shipping date", "Ship date"),
        _c("due_date", "date", False, "Due date",
           "Date échéance", "Date d'échéance", "Échéance", "Date limite de paiement", "Due date",
           "DueDate", "DateDue", "Payment due date", "EC_Echeance", "DateRglt"),
        _c("amount", "amount", True, "Amount incl. VAT",
           "Montant TTC", "Total TTC", "TotalTTC", "Montant", "Montant facture", "Net à payer",
           "Amount incl. VAT", "InvoiceAmount", "Invoice amount", "Amount", "Total", "Total amount",
           "Gross amount", "EC_Montant"),
        _c("paid_amount", "amount", False, "Amount paid",
           "Montant réglé", "Montant payé", "Réglé", "Déjà réglé", "Montant encaissé", "Encaissé",
           "Received", "Amount paid", "AmountPaid", "Paid amount", "Paid"),
        _c("open_amount", "amount", False, "Amount due",
           "Reste à payer", "Reste dû", "Solde", "Montant restant", "Restant dû", "Rest",
           "Amount due", "Balance", "Open amount", "Outstanding", "Remaining"),
        _c("settlement_date", "date", False, "Settlement date",
           "Date règlement", "Date de règlement", "Date de paiement", "Date paiement", "Date encaissement",
           "Date lettrage", "Settlement date", "SettledDate", "Payment date", "PaymentDate", "Paid date",
           "Date paid", "DatePaid"),
        _c("disputed", "bool", False, "Disputed",
           "Litige", "En litige", "Contesté", "Disputed", "Dispute", "In dispute"),
        _c("dispute_reason", "text", False, "Dispute reason",
           "Motif litige", "Motif du litige", "Raison litige", "Commentaire litige",
           "Dispute reason", "DisputeReason", "Reason"),
        _c("debit", "amount", False, "Debit", "Montant débit", "Débit", "Debit"),
        _c("credit", "amount", False, "Credit", "Montant crédit", "Crédit", "Credit"),
    ),
    PAYMENTS: (
        _c("invoice_id", "text", False, "Invoice number",
           "N° facture", "Numéro de facture", "N° de facture", "Facture", "N° pièce", "Numéro de pièce",
           "Invoice number", "InvoiceNumber", "Invoice", "Invoice ID", "InvoiceRef"),
        _c("payment_date", "date", True, "Payment date",
           "Date règlement", "Date de règlement", "Date de paiement", "Date paiement", "Date encaissement",
           "Date", "Payment date", "PaymentDate", "Date paid", "Settlement date"),
        _c("amount", "amount", True, "Amount",
           "Montant", "Montant réglé", "Montant encaissé", "Montant payé", "Amount", "Payment amount",
           "Amount paid"),
        _c("client_id", "text", False, "Client code",
           "Code client", "Compte tiers", "Tiers", "N° client", "Customer ID", "CustomerID", "Client code"),
        _c("method", "text", False, "Method",
           "Mode de règlement", "Mode", "Moyen de paiement", "Payment method", "Method"),
    ),
    REMINDERS: (
        _c("invoice_id", "text", True, "Invoice number",
           "N° facture", "Numéro de facture", "N° de facture", "Facture", "N° pièce",
           "Invoice number", "InvoiceNumber", "Invoice"),
        _c("reminder_date", "date", True, "Reminder date",
           "Date relance", "Date de relance", "Date", "Reminder date", "Dunning date"),
        _c("type", "text", False, "Type",
           "Type", "Type de relance", "Canal", "Channel", "Reminder type"),
        _c("level", "int", False, "Level",
           "Niveau", "Niveau de relance", "Level", "Dunning level", "Stage"),
        _c("client_id", "text", False, "Client code",
           "Code client", "Compte tiers", "Customer ID", "Client code"),
    ),
    CLIENTS: (
        _c("client_id", "text", True, "Client code",
           "Code client", "Client code", "N° client", "Compte client", "Compte tiers", "Tiers",
           "Customer ID", "CustomerID", "Customer code", "Client ID"),
        _c("client_name", "text", False, "Client",
           "Client", "Nom client", "Raison sociale", "Nom", "Customer", "Customer name", "Name"),
        _c("terms_days", "int", False, "Payment terms (days)",
           "Délai de paiement (jours)", "Délai de paiement", "Délai", "Délai (jours)", "Conditions de paiement",
           "Payment terms (days)", "Payment terms", "Terms", "Terms days"),
        _c("terms_rule", "text", False, "Terms type",
           "Type de délai", "Mode de calcul", "Type d'échéance", "Terms type", "Terms rule"),
        _c("credit_limit", "amount", False, "Credit limit",
           "Plafond de crédit", "Encours autorisé", "Plafond", "Limite de crédit", "Credit limit",
           "CreditLimit"),
        _c("risk_rating", "text", False, "Risk rating",
           "Note de risque", "Note", "Cotation", "Score", "Risk rating", "Rating"),
        _c("siren", "text", False, "SIREN", "SIREN", "SIRET", "N° SIREN", "Company ID"),
        _c("deposit", "text", False, "Deposit",
           "Acompte", "Acompte exigé", "Acompte (%)", "Deposit", "Deposit required"),
        _c("penalty_rate", "amount", False, "Contractual penalty rate (%)",
           "Taux de pénalité (%)", "Taux de pénalité", "Taux pénalités", "Penalty rate (%)", "Penalty rate"),
        _c("customer_type", "text", False, "Customer type",
           "Type de client", "Type client", "Catégorie", "Customer type", "B2B"),
    ),
    SETTINGS: (
        _c("name", "text", False, "Setting", "Paramètre", "Parametre", "Nom", "Setting", "Name", "Key"),
        _c("value", "text", False, "Value", "Valeur", "Value"),
        _c("comment", "text", False, "Comment", "Commentaire", "Explication", "Comment", "Description"),
    ),
}

TABLE_NAMES: dict[str, tuple[str, ...]] = {
    INVOICES: ("Factures", "Facture", "Invoices", "Invoice", "Ventes", "Sales", "Export factures",
               "Factures clients", "Clients factures"),
    PAYMENTS: ("Règlements", "Reglements", "Règlement", "Paiements", "Encaissements", "Payments", "Receipts"),
    REMINDERS: ("Relances", "Relance", "Reminders", "Dunning", "Dunning log"),
    CLIENTS: ("Clients", "Fichier clients", "Customers", "Customer master", "Client master"),
    SETTINGS: ("Paramètres", "Parametres", "Paramètre", "Settings", "Parameters", "Config"),
}

TABLE_LABELS = {
    "fr": {INVOICES: "Factures", PAYMENTS: "Règlements", REMINDERS: "Relances", CLIENTS: "Clients",
           SETTINGS: "Paramètres"},
    "en": {INVOICES: "Invoices", PAYMENTS: "Payments", REMINDERS: "Reminders", CLIENTS: "Clients",
           SETTINGS: "Settings"},
}

# Template headers (French, in template column order): the first synonym of each column meant for users.
TEMPLATE_COLUMNS: dict[str, tuple[str, ...]] = {
    INVOICES: ("invoice_id", "client_id", "client_name", "invoice_date", "delivery_date", "due_date",
               "amount", "paid_amount", "settlement_date", "disputed", "dispute_reason"),
    PAYMENTS: ("invoice_id", "payment_date", "amount", "client_id", "method"),
    REMINDERS: ("invoice_id", "reminder_date", "type", "level"),
    CLIENTS: ("client_id", "client_name", "terms_days", "terms_rule", "credit_limit", "risk_rating",
              "siren", "deposit", "penalty_rate", "customer_type"),
    SETTINGS: ("name", "value", "comment"),
}

_INDEX: dict[str, dict[str, str]] = {}
for _table, _cols in COLUMNS.items():
    _idx: dict[str, str] = {}
    for _col in _cols:
        for _syn in (*_col.synonyms, _col.english, _col.key):
            _idx.setdefault(normalize_header(_syn), _col.key)
    _INDEX[_table] = _idx

_TABLE_INDEX = {normalize_header(n): t for t, names in TABLE_NAMES.items() for n in names}


def column(table: str, key: str) -> Column:
    """The :class:`Column` ``key`` of ``table``."""
    for col in COLUMNS[table]:
        if col.key == key:
            return col
    raise KeyError(f"{table}.{key}")


def header(table: str, key: str, lang: str = "fr") -> str:
    """The header users see for a column, in their language."""
    col = column(table, key)
    return col.french if lang == "fr" else col.english


def template_headers(table: str, lang: str = "fr") -> list[str]:
    return [header(table, key, lang) for key in TEMPLATE_COLUMNS[table]]


def match_header(table: str, text: object) -> str | None:
    """The canonical column key for a header of ``table``, or None when unknown."""
    return _INDEX[table].get(normalize_header(text))


def match_table_name(name: object) -> str | None:
    """The table a sheet or file name stands for (``"Factures"`` -> ``"invoices"``), or None."""
    norm = normalize_header(name)
    if norm in _TABLE_INDEX:
        return _TABLE_INDEX[norm]
    for key, table in _TABLE_INDEX.items():  # "export_factures_2025.csv" -> invoices
        if len(key) >= 6 and key in norm:
            return table
    return None


def required_columns(table: str) -> tuple[str, ...]:
    return tuple(c.key for c in COLUMNS[table] if c.required)
