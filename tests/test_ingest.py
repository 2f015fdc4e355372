"""Ingestion, as the input contract describes it: headers, dates, amounts, settlement, as-of date."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from conftest import build, inv, pay

from audit_engine.ingest.values import infer_day_first, parse_date_value, parse_number_value
from audit_engine.ledger import open_items
from audit_engine.schema import match_header, match_table_name

# --- headers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header, key", [
    ("InvoiceNumber", "invoice_id"), ("invoice_number", "invoice_id"), ("N° de facture", "invoice_id"),
    ("N° pièce", "invoice_id"), ("Numéro de pièce", "invoice_id"), ("  NUMERO DE FACTURE ", "invoice_id"),
    ("InvoiceRef", "invoice_id"),
    ("Customer ID", "client_id"), ("customerID", "client_id"), ("Compte tiers", "client_id"),
    ("Tiers", "client_id"), ("CustomerAccountancyCode", "client_id"),
    ("InvoiceDate", "invoice_date"), ("Date pièce", "invoice_date"), ("DateInvoice", "invoice_date"),
    ("DueDate", "due_date"), ("Date d'échéance", "due_date"), ("date_echeance", "due_date"),
    ("InvoiceAmount", "amount"), ("Amount", "amount"), ("Montant TTC", "amount"), ("TotalTTC", "amount"),
    ("Reste à payer", "open_amount"), ("Rest", "open_amount"),
    ("SettledDate", "settlement_date"), ("Payment date", "settlement_date"), ("Date de règlement", "settlement_date"),
    ("Disputed", "disputed"), ("Litige", "disputed"), ("Montant réglé", "paid_amount"),
])
def test_invoice_headers_match_whatever_the_spelling(header, key):
    assert match_header("invoices", header) == key


def test_unknown_headers_do_not_match():
    assert match_header("invoices", "Commercial") is None


@pytest.mark.parametrize("name, table", [("Factures", "invoices"), ("Règlements", "payments"),
                                         ("REGLEMENTS", "payments"), ("Relances", "reminders"),
                                         ("Clients", "clients"), ("Paramètres", "settings"),
                                         ("export_factures_2026", "invoices"), ("Synthèse", None)])
def test_sheet_names(name, table):
    assert match_table_name(name) == table


def test_unknown_columns_are_ignored_and_listed():
    _, _, findings = build([{**inv("F1", "C1", "02/01/2025", 100), "Commercial": "Paul"}], as_of="2025-03-31")
    listed = [f for f in findings if f.code == "unknown_columns"]
    assert [(f.sheet, f.column) for f in listed] == [("Factures", "Commercial")]


def test_english_export_headers():
    rows = [{"InvoiceNumber": "INV-1", "customerID": "C1", "InvoiceDate": "2025-01-02", "DueDate": "2025-02-01",
             "InvoiceAmount": "1,200.50", "SettledDate": "2025-02-10", "Disputed": "No"}]
    ledger, _, _ = build(rows, as_of="2025-03-31")
    row = ledger.invoices.iloc[0]
    assert (row["amount"], row["open_amount"], row["settlement_date"]) == (1200.5, 0.0, pd.Timestamp("2025-02-10"))


# --- values ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("1 234,56 €", 1234.56), ("-1.234,56", -1234.56), ("(1,234.56)", -1234.56), ("1\u202f234,56", 1234.56),
    ("1234.5", 1234.5), ("12", 12.0), (" 0000000074,70", 74.70), ("1234,56-", -1234.56), (1200, 1200.0),
    ("EUR 99.90", 99.90), ("abc", None), ("", None),
])
def test_amounts_in_every_notation(text, value):
    assert parse_number_value(text) == value


@pytest.mark.parametrize("value, expected", [
    (dt.datetime(2025, 3, 4, 10, 30), dt.date(2025, 3, 4)), (45720, dt.date(2025, 3, 4)),
    ("2025-03-04", dt.date(2025, 3, 4)), ("04/03/2025", dt.date(2025, 3, 4)), ("4/3/25", dt.date(2025, 3, 4)),
    ("20250304", dt.date(2025, 3, 4)), ("4 mars 2025", dt.date(2025, 3, 4)), ("31/02/2025", None),
    ("bientôt", None),
])
def test_dates_in_every_notation(value, expected):
    assert parse_date_value(value) == expected


def test_day_month_order_decided_by_a_value_over_12():
    assert infer_day_first(["03/04/2025", "13/04/2025"]) == (True, "data")
    assert infer_day_first(["03/04/2025", "04/13/2025"]) == (False, "data")
    assert infer_day_first(["03/04/2025", "04/05/2025"], default=False) == (False, "setting")


def test_month_first_export_is_read_month_first_and_reported():
    rows = [inv("F1", "C1", "12/31/2024", 100), inv("F2", "C1", "1/2/2025", 100)]
    ledger, _, findings = build(rows, as_of="2025-03-31")
    assert ledger.invoices["invoice_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-12-31", "2025-01-02"]
    order = [f for f in findings if f.code == "date_order" and f.column == "Date facture"]
    assert "mois en premier" in order[0].message("fr")


def test_ambiguous_column_uses_the_setting():
    rows = [inv("F1", "C1", "03/04/2025", 100)]
    ledger, _, findings = build(rows, settings=[("Ordre des dates ambiguës", "MM/JJ")], as_of="2025-06-30")
    assert ledger.invoices["invoice_date"].iloc[0] == pd.Timestamp("2025-03-04")
    assert any(f.code == "date_order" and "paramètre" in f.message("fr") for f in findings)


def test_invoice_numbers_keep_leading_zeros():
    ledger, _, _ = build([inv("000123", "007", "02/01/2025", 100)], as_of="2025-03-31")
    assert ledger.invoices[["invoice_id", "client_id"]].iloc[0].tolist() == ["000123", "007"]


# --- settlement ----------------------------------------------------------------------------------------------


def test_partial_payments_are_summed_and_settlement_is_the_completing_payment():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 1000, "01/02/2025")],
                         payments=[pay("F1", "10/02/2025", 300), pay("F1", "25/02/2025", 700)], as_of="2025-03-31")
    row = ledger.invoices.iloc[0]
    assert (row["paid"], row["open_amount"], row["settlement_date"]) == (1000.0, 0.0, pd.Timestamp("2025-02-25"))


def test_payments_after_the_as_of_date_do_not_reduce_the_outstanding():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 1000, "01/02/2025")],
                         payments=[pay("F1", "10/02/2025", 300), pay("F1", "25/04/2025", 700)], as_of="2025-03-31")
    assert ledger.invoices["open_amount"].iloc[0] == 700.0


def test_settlement_date_without_paid_amount_means_paid_in_full_that_day():
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", 1000, settled="15/02/2025"),
                                 inv("F2", "C1", "02/01/2025", 500)], as_of="2025-03-31")
    assert ledger.invoices["open_amount"].tolist() == [0.0, 500.0]
    assert ledger.invoices["settlement_date"].iloc[0] == pd.Timestamp("2025-02-15")
    assert any(f.code == "settlement_without_amount" for f in findings)


def test_paid_amount_column_gives_partial_payment():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 1000, paid="400", settled="15/02/2025")], as_of="2025-03-31")
    assert ledger.invoices["open_amount"].iloc[0] == 600.0
    assert pd.isna(ledger.invoices["settlement_date"].iloc[0])


def test_amount_due_column():
    rows = [{**inv("F1", "C1", "02/01/2025", 1000), "Reste à payer": "250,00"}]
    ledger, _, _ = build(rows, as_of="2025-03-31")
    assert ledger.invoices["open_amount"].iloc[0] == 250.0


def test_credit_notes_reduce_the_clients_outstanding():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 1000), inv("AV1", "C1", "10/01/2025", -200)],
                         as_of="2025-03-31")
    items = open_items(ledger)
    assert items.groupby("client_id")["open_amount"].sum().to_dict() == {"C1": 800.0}


def test_payment_without_invoice_but_with_client_is_unapplied_cash():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 1000)],
                         payments=[pay(None, "10/02/2025", 150, client="C1")], as_of="2025-03-31")
    assert open_items(ledger)["open_amount"].sum() == 850.0


# --- as-of date and period --------------------------------------------------------------------------------


def test_as_of_option_wins_over_the_settings_sheet():
    rows = [inv("F1", "C1", "02/01/2025", 100)]
    _, settings, _ = build(rows, settings=[("Date d'arrêté", "30/06/2025")], as_of="2025-05-31")
    assert settings.as_of == dt.date(2025, 5, 31)


def test_as_of_from_the_settings_sheet():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 100)], settings=[("Date d'arrêté", "30/06/2025")])
    assert ledger.as_of == pd.Timestamp("2025-06-30")


def test_as_of_defaults_to_the_latest_date_in_the_data():
    ledger, _, findings = build([inv("F1", "C1", "02/01/2025", 100)], payments=[pay("F1", "17/03/2025", 100)])
    assert ledger.as_of == pd.Timestamp("2025-03-17")
    assert any(f.code == "as_of_source" and "plus récente" in f.message("fr") for f in findings)


def test_period_is_the_twelve_months_ending_on_the_as_of_date():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 100)], as_of="2025-11-30")
    assert (ledger.period_start, ledger.period_days) == (pd.Timestamp("2024-12-01"), 365)


def test_period_length_is_configurable():
    ledger, _, _ = build([inv("F1", "C1", "02/01/2025", 100)], settings=[("Période d'analyse (mois)", "6")],
                         as_of="2025-06-30")
    assert ledger.period_start == pd.Timestamp("2025-01-01")


# --- due dates -------------------------------------------------------------------------------------------------


def test_missing_due_dates_come_from_the_client_terms_then_the_default():
    clients = [{"Code client": "C1", "Délai de paiement (jours)": 45, "Type de délai": "Fin de mois puis jours"}]
    ledger, _, _ = build([inv("F1", "C1", "15/01/2025", 100), inv("F2", "C2", "15/01/2025", 100)],
                         clients=clients, as_of="2025-06-30")
    due = ledger.invoices.set_index("invoice_id")["due_date"]
    # C1: end of January (31/01) + 45 days = 17/03; C2: default 30 days net = 14/02
    assert due["F1"] == pd.Timestamp("2025-03-17") and due["F2"] == pd.Timestamp("2025-02-14")
    assert ledger.invoices.set_index("invoice_id")["due_source"].to_dict() == {"F1": "client", "F2": "default"}


@pytest.mark.parametrize("rule_label, rule", [("Net", "net"), ("Fin de mois puis jours", "end_of_month_then_days"),
                                              ("Jours puis fin de mois", "days_then_end_of_month")])
@pytest.mark.parametrize("date", ["15/01/2025", "31/01/2025", "28/02/2024", "31/12/2025"])
def test_derived_due_dates_follow_the_kpi_rule(rule_label, rule, date):
    from audit_engine.kpi import due_date

    clients = [{"Code client": "C1", "Délai de paiement (jours)": 45, "Type de délai": rule_label}]
    ledger, _, _ = build([inv("F1", "C1", date, 100)], clients=clients, as_of="2026-06-30")
    expected = due_date(dt.datetime.strptime(date, "%d/%m/%Y").date(), 45, rule)
    assert ledger.invoices["due_date"].iloc[0].date() == expected
