"""The report layout as data (no spreadsheet library): sheets, blocks, charts, statuses, verdicts, links.

Small reports are built from inline tables (``tests/conftest.py``) as of 2025-03-31.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from audit_engine.audit import run_audit
from audit_engine.i18n import t
from audit_engine.layout import SHEET_NAMES, build_layout, result_sheet_names, section_keys, sheet_key
from audit_engine.layout.builder import SheetBuilder
from audit_engine.layout.common import frame_rows
from audit_engine.layout.geometry import block_bounds, chart_bounds, overlaps
from audit_engine.layout.model import Cells, Column, Link, Table, Text
from audit_engine.sections.base import ColumnSpec
from tests.conftest import build, inv, pay

AS_OF = "2025-03-31"
INVOICES = [
    inv("F001", "C1", "05/01/2025", 1200, "04/02/2025", delivery="03/01/2025", name="=ACME SAS"),
    inv("F002", "C1", "10/02/2025", 3000, "12/03/2025", delivery="20/01/2025", name="=ACME SAS"),
    inv("F003", "C2", "15/02/2025", 800, "17/03/2025", delivery="15/02/2025", name="+Plus SARL", disputed="Oui",
        reason="@Prix non conforme"),
    inv("F004", "C3", "01/03/2025", 2500, "30/04/2025", delivery="28/02/2025", name="-Moins SA"),
    inv("F005", "C2", "20/12/2024", 600, "19/01/2025", delivery="18/12/2024", name="+Plus SARL"),
    inv("A001", "C1", "15/03/2025", -200, "15/03/2025", name="=ACME SAS"),
    inv("F006", "C3", "10/11/2024", 5000, "10/12/2024", delivery="08/11/2024", name="-Moins SA"),
    inv("F007", "C1", "10/10/2024", 900, "09/11/2024", delivery="08/10/2024", name="=ACME SAS"),
]
PAYMENTS = [pay("F001", "20/02/2025", 1200), pay("F005", "25/01/2025", 600), pay("F007", "30/11/2024", 900)]
REMINDERS = [{"N° facture": "F002", "Date relance": "20/03/2025", "Type": "email", "Niveau": 1},
             {"N° facture": "F006", "Date relance": "20/12/2024", "Type": "email", "Niveau": 1},
             {"N° facture": "F006", "Date relance": "20/01/2025", "Type": "mise en demeure", "Niveau": 4}]
CLIENTS = [{"Code client": "C1", "Client": "=ACME SAS", "Délai de paiement (jours)": 30, "Plafond de crédit": 2000},
           {"Code client": "C2", "Client": "+Plus SARL", "Délai de paiement (jours)": 30},
           {"Code client": "C3", "Client": "-Moins SA", "Délai de paiement (jours)": 60, "Type de délai": "net"}]


def report(settings=None, invoices=INVOICES, **kw):
    ledger, cfg, findings = build(invoices=invoices, payments=PAYMENTS, reminders=REMINDERS, clients=CLIENTS,
                                  settings=settings, as_of=AS_OF, **kw)
    return run_audit(ledger, cfg, findings)


@pytest.fixture(scope="module")
def fr():
    return report()


@pytest.fixture(scope="module")
def layout(fr):
    return build_layout(fr)


def key_row(cells: Cells, key: str) -> tuple:
    return cells.values[cells.row_keys.index(key)], cells.styles[cells.row_keys.index(key)]


# ---------------------------------------------------------------- sheets and names

def test_sheet_names_in_french_by_default_and_english_with_lang_en(fr):
    assert build_layout(fr).names() == SHEET_NAMES["fr"] == (
        "Synthèse", "1. Qui doit quoi", "2. Facturation & relances", "3. Conditions de paiement",
        "4. Retards & DSO", "5. Plan d'action", "Qualité des données")
    en = report(settings=[("Langue", "en")])
    assert build_layout(en).names() == SHEET_NAMES["en"] == (
        "Summary", "1. Who owes what", "2. Invoicing & dunning", "3. Payment terms", "4. Late payments & DSO",
        "5. Action plan", "Data quality")


def test_a_result_sheet_is_found_by_name_in_either_language():
    for fr_name, en_name in zip(result_sheet_names("fr"), result_sheet_names("en"), strict=True):
        assert sheet_key(fr_name) == sheet_key(en_name) is not None
    assert sheet_key("SYNTHESE") == "summary" and sheet_key("Factures") is None
    assert len(result_sheet_names()) == 14 and all(len(n) <= 31 for n in result_sheet_names())


def test_a_section_refresh_rebuilds_that_sheet_the_summary_and_data_quality(fr):
    assert build_layout(fr, sections={2}).names() == ("Synthèse", "2. Facturation & relances", "Qualité des données")
    assert section_keys({5, 1}) == ("summary", "receivables", "actions", "quality")
    with pytest.raises(ValueError):
        build_layout(fr, sections={6})


# ---------------------------------------------------------------- section sheets

@pytest.mark.parametrize("key", ["receivables", "invoicing", "terms", "delays", "actions"])
def test_each_section_sheet_has_title_dates_key_figures_and_a_chart_on_its_own_tables(layout, fr, key):
    s = layout.sheet(key)
    assert s.texts()[0].style == "title" and s.texts()[0].text.startswith(s.name)
    period = s.cells("period")
    assert (period.value("as_of"), period.value("period_start"), period.value("period_end")) == (
        fr.as_of, fr.period_start, fr.period_end)
    assert isinstance(period.value("as_of"), dt.date)
    figures = s.cells("key_figures")
    assert len([k for k in figures.row_keys if k]) >= 5
    assert s.charts
    for chart in s.charts:
        for ref in (chart.categories, *(x.values for x in chart.series)):
            assert ref.sheet == s.name
            assert any(t.row < ref.row0 <= ref.row1 <= t.row + len(t.rows) and t.col <= ref.col0 == ref.col1
                       <= t.last_col for t in s.tables()), (chart.name, ref)


def test_no_chart_covers_a_block_and_no_block_covers_another(layout):
    for s in layout.sheets:
        boxes = [block_bounds(b) for b in s.blocks]
        for chart in s.charts:
            assert not any(overlaps(chart_bounds(s, chart), box) for box in boxes), (s.name, chart.name)
        for i, a in enumerate(boxes):
            assert not any(overlaps(a, b) for b in boxes[i + 1:]), (s.name, a)


def test_table_names_are_unique_and_valid_and_headers_unique(layout):
    names = [t.name for s in layout.sheets for t in s.tables()]
    assert len(names) == len(set(names)) and all(n.replace("_", "").isalnum() and n[0].isalpha() for n in names)
    for s in layout.sheets:
        for table in s.tables():
            headers = [h.casefold() for h in table.headers]
            assert len(headers) == len(set(headers)) and all(headers) and table.rows


def test_every_value_is_a_plain_python_scalar(layout):
    allowed = (str, float, int, dt.date, type(None))
    for s in layout.sheets:
        for b in s.blocks:
            rows = b.rows if isinstance(b, Table) else b.values if isinstance(b, Cells) else ()
            for row in rows:
                assert all(type(v) in allowed or isinstance(v, dt.date) for v in row), (s.name, row)


# ---------------------------------------------------------------- values equal the report's

def test_section_tables_hold_the_report_values(layout, fr):
    data = fr.to_dict()
    aging = layout.sheet("receivables").table("aging")
    assert aging.column_values("amount") == [b["amount"] for b in data["receivables"]["aging"]]
    assert aging.totals[aging.index("amount")] == data["receivables"]["outstanding"]
    old = layout.sheet("receivables").table("old_invoices")
    items = data["receivables"]["old_invoices"]["items"]
    assert old.column_values("invoice_id") == [i["invoice_id"] for i in items] == ["F006"]
    assert old.column_values("due_date") == [dt.date(2024, 12, 10)]
    monthly = layout.sheet("delays").table("monthly")
    assert monthly.column_values("dso_countback") == [m["dso_countback"] for m in data["delays"]["monthly"]]
    figures = layout.sheet("delays").cells("key_figures")
    assert figures.value("dso_simple", 2) == data["delays"]["dso_simple"]


def test_action_table_lists_the_plan_in_order_with_its_keys(layout, fr):
    table = layout.sheet("actions").table("actions")
    assert table.column_values("key") == [a.key for a in fr.actions.actions]
    assert table.column_values("cash_impact") == [a["cash_impact"] for a in fr.to_dict()["actions"]]
    users = [c.key for c in table.columns if c.user]
    assert users == ["owner", "due", "status", "comment"]


def test_text_from_the_data_stays_text_even_when_it_looks_like_a_formula(layout):
    clients = layout.sheet("receivables").table("clients").column_values("client_name")
    assert {"=ACME SAS", "+Plus SARL", "-Moins SA"} <= set(clients)
    reasons = layout.sheet("invoicing").table("dispute_reasons").column_values("reason")
    assert reasons == ["@Prix non conforme"]


def test_engine_codes_are_shown_in_words(layout):
    stages = layout.sheet("invoicing").table("escalation").column_values("stage")
    assert stages == ["1re relance", "2e relance", "3e relance et plus", "Mise en demeure"]


# ---------------------------------------------------------------- summary: statuses, verdicts, links

def dso_status(settings):
    summary = build_layout(report(settings=settings)).sheet("summary")
    values, styles = key_row(summary.cells("key_figures"), "dso_simple")
    return values[2], styles[2]


def test_dso_status_follows_the_target_and_tolerance_of_parametres():
    assert dso_status([("DSO cible (jours)", 1), ("Tolérance DSO (jours)", 5)]) == ("Alerte", "status_red")
    assert dso_status([("DSO cible (jours)", 500)]) == ("Bon", "status_green")
    dso = report().sections["delays"].dso_simple
    assert dso_status([("DSO cible (jours)", dso - 1), ("Tolérance DSO (jours)", 5)]) == (
        "À surveiller", "status_orange")


def test_overdue_share_status_follows_its_alert_threshold():
    def status(threshold):
        s = build_layout(report(settings=[("Alerte part échue (%)", threshold)])).sheet("summary")
        return key_row(s.cells("key_figures"), "overdue_share")[1][2]
    share = report().sections["receivables"].overdue_share  # 77.5 %
    assert status(f"{100 * share - 1:.1f} %") == "status_red"
    assert status(f"{100 * share + 1:.1f} %") == "status_orange"  # within the last third below the threshold


def test_summary_shows_the_banque_de_france_reference_beside_dso(layout):
    values, _ = key_row(layout.sheet("summary").cells("key_figures"), "dso_simple")
    assert values[4] == 42.7 and "Banque de France" in values[5]


def test_summary_has_one_verdict_and_one_link_per_sheet(layout):
    s = layout.sheet("summary")
    verdicts = s.cells("verdicts")
    assert verdicts.row_keys == ("receivables", "invoicing", "terms", "delays", "actions", "quality")
    assert all(isinstance(row[1], str) and len(row[1]) > 20 for row in verdicts.values)
    assert [link.target_sheet for link in s.links()] == list(layout.names()[1:])
    for other in layout.sheets[1:]:
        assert [link.target_sheet for link in other.links()] == ["Synthèse"]


def test_verdict_of_a_section_is_its_worst_status(layout):
    s = layout.sheet("summary")
    figures, verdicts = s.cells("key_figures"), s.cells("verdicts")
    dso = key_row(figures, "dso_simple")[1][2]
    late = key_row(figures, "weighted_days_late")[1][2]
    rank = {"status_green": 0, "status_orange": 1, "status_red": 2, "": -1}
    expected = max((dso, late), key=rank.__getitem__)
    assert key_row(verdicts, "delays")[1][0] == expected


def test_reconciliation_of_a_fec_is_shown_on_the_summary(fr):
    rec = {"ledger_balance": 10500.0, "open_invoices": 11000.0, "unapplied_credits": 400.0, "difference": -100.0}
    s = build_layout(dataclasses.replace(fr, reconciliation=rec)).sheet("summary")
    cells = s.cells("reconciliation")
    assert cells.value("ledger_balance") == 10500.0 and cells.value("difference") == -100.0
    assert key_row(cells, "difference")[1][2] == "status_red"
    with pytest.raises(StopIteration):
        build_layout(fr).sheet("summary").cells("reconciliation")


# ---------------------------------------------------------------- missing data, big tables

def test_a_bare_ledger_gives_every_sheet_with_notes_instead_of_empty_tables():
    ledger, cfg, findings = build(invoices=[inv("F1", "C1", "10/03/2025", 100, "10/04/2025")], as_of=AS_OF)
    layout = build_layout(run_audit(ledger, cfg, findings))
    assert layout.names() == SHEET_NAMES["fr"]
    notes = [x.text for x in layout.sheet("invoicing").texts() if x.style == "note"]
    assert t("layout.missing.delivery_date", "fr") in notes and t("layout.missing.reminders", "fr") in notes


def test_detail_tables_are_cut_with_a_note_giving_the_full_count():
    specs = (ColumnSpec("invoice_id", "N° facture", "Invoice number", "text"),)
    cols, rows = frame_rows(pd.DataFrame({"invoice_id": [f"F{i}" for i in range(10)]}), specs, "fr", cap=3)
    assert rows == [("F0",), ("F1",), ("F2",)]
    b = SheetBuilder("S", "receivables", "#000000", "fr", "AP1")
    b.table("x", cols, rows, total=10)
    note = [x for x in b.build().blocks if isinstance(x, Text)][-1]
    assert "3" in note.text and "10" in note.text


def test_wrapped_action_text_gets_its_row_height(layout):
    s = layout.sheet("actions")
    table = s.table("actions")
    heights = dict(s.row_heights)
    long_rows = [i for i, r in enumerate(table.rows) if len(r[table.index("action")]) > 120]
    assert long_rows and all(heights.get(table.row + 1 + i, 15) >= 30 for i in long_rows)


def test_builder_places_a_chart_beside_its_table_and_below_it_continues(layout):
    s = layout.sheet("receivables")
    aging, chart = s.table("aging"), next(c for c in s.charts if c.name == "aging")
    assert chart.col == aging.last_col + 1 and chart.row <= aging.row
    assert isinstance(s.blocks[-1], (Table, Text, Link)) and s.column_widths[0] == 2.0
    assert all(isinstance(c, Column) for c in aging.columns)


def test_module_doctests_pass():
    import doctest
    import importlib

    for name in ("model", "geometry", "names", "common", "builder", "status", "tracking"):
        module = importlib.import_module(f"audit_engine.layout.{name}")
        assert doctest.testmod(module).failed == 0, name
    from audit_engine.io import xlsx_layout

    assert doctest.testmod(xlsx_layout).failed == 0
