"""The demo dataset: reproducible, shipped as generated, and rich enough for every audit section."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from audit_engine import schema
from audit_engine.demo import DATA_DIR, demo_tables
from audit_engine.demo.generate import FILE_NAMES, generate, write_csv
from audit_engine.settings import SETTINGS_SPEC

AS_OF = dt.date(2026, 11, 30)
LAST_YEAR = dt.date(2025, 12, 1)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return generate()


@pytest.fixture(scope="module")
def inv(tables) -> pd.DataFrame:
    """Invoices without the duplicated export rows, with the amount as float and the kind of document."""
    df = tables["invoices"].drop_duplicates().copy()
    df["amount"] = df["Montant TTC"].astype(float)
    df["is_credit"] = df["N° facture"].str.startswith("AV")
    return df


@pytest.fixture(scope="module")
def ledger(tables, inv) -> pd.DataFrame:
    """Invoices (not credit notes) with due date (given or from the terms), paid amount, open amount."""
    fa = inv[~inv["is_credit"]].set_index("N° facture")
    clients = tables["clients"].set_index("Code client")
    pay = tables["payments"]

    def due(row) -> dt.date:
        if row["Date échéance"] is not None:
            return row["Date échéance"]
        days = int(clients.at[row["Code client"], "Délai de paiement (jours)"])
        rule, d = clients.at[row["Code client"], "Type de délai"], row["Date facture"]
        if rule == "Net":
            return d + dt.timedelta(days=days)
        eom = (pd.Timestamp(d) + pd.offsets.MonthEnd(0)).date()
        if rule == "Fin de mois puis jours":
            return eom + dt.timedelta(days=days)
        return (pd.Timestamp(d + dt.timedelta(days=days)) + pd.offsets.MonthEnd(0)).date()

    fa["due"] = fa.apply(due, axis=1)
    fa["paid"] = pay.groupby("N° facture")["Montant"].sum().reindex(fa.index).fillna(0.0).astype(float)
    fa["open"] = (fa["amount"] - fa["paid"]).round(2)
    fa["last_payment"] = pay.groupby("N° facture")["Date règlement"].max().reindex(fa.index)
    fa["days_past_due"] = [(AS_OF - d).days for d in fa["due"]]
    return fa


# ---------------------------------------------------------------- reproducibility and format

def test_regenerating_gives_the_shipped_files_byte_for_byte(tmp_path):
    paths = write_csv(generate(), tmp_path)
    assert sorted(p.name for p in paths) == sorted(FILE_NAMES.values())
    for path in paths:
        assert path.read_bytes() == (DATA_DIR / path.name).read_bytes(), path.name


def test_demo_tables_is_the_generator_output(tables):
    assert all(demo_tables()[key].equals(frame) for key, frame in tables.items())


def test_headers_are_the_template_headers(tables):
    assert sorted(tables) == sorted(schema.TABLES)
    for key, frame in tables.items():
        assert list(frame.columns) == schema.template_headers(key)


def test_csv_is_french():
    text = (DATA_DIR / "factures.csv").read_text(encoding="utf-8")
    first = text.split("\n")[1].split(";")
    assert "\r" not in text and text.endswith("\n")
    assert first[3].count("/") == 2 and "," in first[6] and "." not in first[6]


def test_values_are_python_values(tables):
    row = tables["invoices"].iloc[0]
    assert isinstance(row["N° facture"], str) and isinstance(row["Date facture"], dt.date)
    assert isinstance(row["Montant TTC"], float) and round(row["Montant TTC"], 2) == row["Montant TTC"]


# ---------------------------------------------------------------- sizes and characteristics

def test_about_forty_clients_with_codes_and_siren(tables):
    clients = tables["clients"]
    assert len(clients) == 40 and clients["Code client"].tolist() == [f"C{i:03d}" for i in range(1, 41)]
    b2b = clients[clients["Type de client"] == "B2B"]
    assert 1 <= (clients["Type de client"] == "B2C").sum() <= 2
    assert b2b["SIREN"].str.fullmatch(r"\d{9}").all() and b2b["SIREN"].is_unique
    assert clients["Client"].str[0].isin(["=", "+", "-", "@"]).sum() in (1, 2)  # formula-injection bait


def test_client_terms_include_illegal_ones(tables):
    clients = tables["clients"]
    assert set(clients["Délai de paiement (jours)"]) >= {30, 45, 60}
    assert (clients["Délai de paiement (jours)"] > 60).sum() >= 2
    assert set(clients["Type de délai"]) == {"Net", "Fin de mois puis jours", "Jours puis fin de mois"}
    assert clients["Taux de pénalité (%)"].isna().mean() > 0.8


def test_about_three_thousand_invoices_over_24_months(inv):
    fa = inv[~inv["is_credit"]]
    assert 2700 <= len(fa) <= 3300
    assert fa["Date facture"].min() >= dt.date(2024, 12, 1) and fa["Date facture"].max() <= AS_OF
    assert fa["Date facture"].map(lambda d: (d.year, d.month)).nunique() == 24
    assert fa["Montant réglé"].isna().all() and fa["Date règlement"].isna().all()


def test_credit_notes_are_about_three_percent_and_negative(inv, tables):
    notes = inv[inv["is_credit"]]
    assert 0.02 <= len(notes) / (~inv["is_credit"]).sum() <= 0.04
    assert (notes["amount"] < 0).all() and (inv.loc[~inv["is_credit"], "amount"] > 0).all()
    assert notes["Code client"].isin(tables["clients"]["Code client"]).all()


def numbers(inv: pd.DataFrame, prefix: str) -> pd.DataFrame:
    ids = inv.loc[inv["N° facture"].str.startswith(prefix), "N° facture"]
    parts = ids.str.extract(r"^[A-Z]{2}(?P<year>\d{4})-(?P<n>\d+)$").astype(int)
    assert parts.notna().all().all()
    return parts


@pytest.mark.parametrize("prefix, expected", [("FA", 4), ("AV", 1)])
def test_numbering_gaps(inv, prefix, expected):
    parts = numbers(inv, prefix)
    gaps = sum(int(g["n"].max() - g["n"].min() + 1 - g["n"].nunique()) for _, g in parts.groupby("year"))
    assert gaps == expected


def test_numbering_is_chronological_within_a_series(inv):
    fa = inv[~inv["is_credit"]].join(numbers(inv, "FA")).sort_values(["year", "n"])
    for _, g in fa.groupby("year"):
        assert g["Date facture"].is_monotonic_increasing


def test_two_duplicated_rows_in_the_export(tables):
    raw = tables["invoices"]
    assert raw.duplicated().sum() == 2
    assert raw["N° facture"].duplicated().sum() == 2  # the duplicates are whole rows


def test_disputes_about_four_percent_with_reasons(inv):
    fa = inv[~inv["is_credit"]]
    disputed = fa[fa["Litige"] == "Oui"]
    assert set(fa["Litige"]) == {"Oui", "Non"}
    assert 0.03 <= len(disputed) / len(fa) <= 0.05
    assert disputed["Motif litige"].notna().all() and fa.loc[fa["Litige"] == "Non", "Motif litige"].isna().all()
    assert disputed["Motif litige"].nunique() >= 4


def test_partial_payments_on_about_ten_percent_of_paid_invoices(tables):
    cash = tables["payments"][tables["payments"]["Mode de règlement"] != "Compensation avoir"]
    rows = cash.groupby("N° facture").size()
    assert 0.07 <= (rows >= 2).mean() <= 0.15


def test_some_due_dates_left_empty(inv):
    share = inv.loc[~inv["is_credit"], "Date échéance"].isna().mean()
    assert 0.01 <= share <= 0.05


def test_late_invoicing_for_a_few_clients(inv):
    fa = inv[~inv["is_credit"]]
    lag = pd.Series([(i - d).days for i, d in zip(fa["Date facture"], fa["Date livraison"], strict=True)],
                    index=fa.index)
    assert (lag.between(0, 3)).mean() > 0.9
    late = fa.loc[lag > 7, "Code client"].value_counts()
    assert len(late[late >= 10]) == 3 and lag.max() <= 40


def test_top_client_weighs_over_30_percent_of_last_year_revenue(inv):
    last = inv[inv["Date facture"] >= LAST_YEAR]
    revenue = last.groupby("Code client")["amount"].sum().sort_values(ascending=False)
    assert revenue.iloc[0] / revenue.sum() >= 0.30


def weighted_days_late(ledger: pd.DataFrame) -> pd.DataFrame:
    settled = ledger[(ledger["open"].abs() < 0.01) & ledger["last_payment"].notna()].copy()
    settled["late"] = [(p - d).days for p, d in zip(settled["last_payment"], settled["due"], strict=True)]
    settled["recent"] = settled["Date facture"] >= LAST_YEAR
    settled["w"] = settled["late"] * settled["amount"]
    g = settled.groupby(["Code client", "recent"])[["w", "amount"]].sum()
    return (g["w"] / g["amount"]).unstack()


def test_payment_behaviours(ledger):
    late = weighted_days_late(ledger)
    overall = late.mean(axis=1)
    assert 3 <= (overall >= 30).sum() <= 5  # chronic late payers
    assert (overall < 0).sum() >= 3  # early payers
    assert ((late[True] - late[False]) >= 20).sum() >= 3  # drift: worse in the last twelve months


def test_old_unpaid_and_not_yet_due_invoices(ledger):
    open_ = ledger[ledger["open"] > 0.005]
    assert (open_["days_past_due"] > 90).sum() >= 10
    assert (open_["days_past_due"] <= 0).sum() >= 50


def test_clients_still_invoiced_while_overdue(ledger):
    """Clients invoiced in the last month while holding an invoice open more than 30 days past due."""
    month = ledger["Date facture"] >= dt.date(2026, 11, 1)
    stale = ledger[(ledger["open"] > 0.005) & (ledger["due"] < dt.date(2026, 10, 1))]
    assert len(set(ledger.loc[month, "Code client"]) & set(stale["Code client"])) >= 2


def test_some_clients_exceed_their_credit_limit_and_one_is_in_credit(tables, inv):
    pay = tables["payments"].groupby("Code client")["Montant"].sum()
    balance = (inv.groupby("Code client")["amount"].sum() - pay.reindex(inv["Code client"].unique()).fillna(0))
    limits = tables["clients"].set_index("Code client")["Plafond de crédit"].dropna().astype(float)
    assert (balance.reindex(limits.index) > limits).sum() >= 2
    assert (balance < 0).sum() >= 1


def test_dunning_log_covers_many_but_not_all_overdue_invoices(tables, ledger):
    rem = tables["reminders"]
    assert set(rem["Type"]) == {"Email", "Téléphone", "Courrier", "Mise en demeure"}
    assert set(rem["Niveau"]) == {1, 2, 3, 4}
    overdue = ledger[(ledger["open"] > 0.005) & (ledger["days_past_due"] > 15)]
    reminded = overdue.index.isin(rem["N° facture"])
    assert 0.4 <= reminded.mean() <= 0.95
    first = rem.groupby("N° facture")["Date relance"].min()
    delay = pd.Series([(d - ledger.at[n, "due"]).days for n, d in first.items()])
    assert (delay > 0).all() and (delay > 14).mean() >= 0.15  # reminders are sometimes late


# ---------------------------------------------------------------- internal consistency

def test_payments_and_reminders_reference_existing_invoices(tables, inv):
    known = set(inv["N° facture"])
    assert set(tables["payments"]["N° facture"]) <= known
    assert set(tables["reminders"]["N° facture"]) <= known
    assert set(inv["Code client"]) <= set(tables["clients"]["Code client"])
    by_number = inv.set_index("N° facture")["Code client"]
    pay = tables["payments"]
    assert (pay["Code client"].to_numpy() == by_number.loc[pay["N° facture"]].to_numpy()).all()
    names = tables["clients"].set_index("Code client")["Client"]
    assert (inv["Client"].to_numpy() == names.loc[inv["Code client"]].to_numpy()).all()


def test_dates_are_ordered(tables, inv, ledger):
    fa = inv[~inv["is_credit"]]
    assert (fa["Date livraison"] <= fa["Date facture"]).all()
    given = fa[fa["Date échéance"].notna()]
    assert (given["Date échéance"] > given["Date facture"]).all()
    pay = tables["payments"]
    dates = inv.set_index("N° facture")["Date facture"]
    assert (pay["Date règlement"].to_numpy() >= dates.loc[pay["N° facture"]].to_numpy()).all()
    assert pay["Date règlement"].max() <= AS_OF and tables["reminders"]["Date relance"].max() <= AS_OF
    rem = tables["reminders"]
    last = ledger["last_payment"].reindex(rem["N° facture"]).to_numpy()
    paid_off = ledger["open"].reindex(rem["N° facture"]).abs().to_numpy() < 0.01
    assert all(r < p for r, p, done in zip(rem["Date relance"], last, paid_off, strict=True) if done)
    levels = rem.sort_values(["N° facture", "Date relance"]).groupby("N° facture")["Niveau"]
    assert levels.apply(lambda s: s.tolist() == list(range(1, len(s) + 1))).all()


def test_payments_never_exceed_the_invoice(ledger, inv, tables):
    assert (ledger["open"] >= -0.005).all()
    notes = inv[inv["is_credit"]].set_index("N° facture")
    applied = tables["payments"].groupby("N° facture")["Montant"].sum().reindex(notes.index).fillna(0)
    assert ((notes["amount"] - applied).round(2) <= 0).all()


def test_amounts_are_rounded_to_cents(tables):
    for key, column in (("invoices", "Montant TTC"), ("payments", "Montant")):
        values = tables[key][column].astype(float)
        assert (values.round(2) == values).all()


def test_settings_table_sets_the_as_of_date(tables):
    settings = tables["settings"]
    labels = [spec.fr for spec in SETTINGS_SPEC]
    assert settings["Paramètre"].tolist() == [x for x in labels if x in set(settings["Paramètre"])]
    assert len(settings) >= 15 and settings["Valeur"].notna().all()
    values = settings.set_index("Paramètre")["Valeur"]
    assert values["Date d'arrêté"] == AS_OF and values["Langue"] == "fr"


def test_settings_csv_reads_back_without_findings():
    from audit_engine.settings import settings_from_pairs

    frame = pd.read_csv(DATA_DIR / "parametres.csv", sep=";", dtype=str, keep_default_na=False)
    parsed, findings = settings_from_pairs(zip(frame["Paramètre"], frame["Valeur"], strict=True))
    assert findings == [] and parsed.as_of == AS_OF and parsed.lang == "fr"
