"""The command line: clean messages and exit code 2 on bad input, JSON output, the demo, documented commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from audit_engine.cli import main

CSV = ("N° facture;Code client;Client;Date facture;Date échéance;Montant TTC;Montant réglé;Date règlement\n"
       "F1;C1;Alpha;02/01/2025;01/02/2025;1 200,00;1 200,00;15/02/2025\n"
       "F2;C2;=Beta;15/01/2025;14/02/2025;800,00;;\n"
       "F3;C1;Alpha;20/03/2025;19/04/2025;500,00;;\n")


@pytest.fixture
def export(tmp_path: Path) -> Path:
    path = tmp_path / "factures.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_audit_writes_the_json_result(export, tmp_path):
    out = tmp_path / "r.json"
    result = run("audit", str(export), "--as-of", "2025-03-31", "--json", str(out), "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["as_of"] == "2025-03-31" and data["period_start"] == "2024-04-01"
    assert data["invoices"]["count"] == 3
    # F2 (800, 45 days past due) and F3 (500, not yet due) are open
    assert data["receivables"]["outstanding"] == 1300.0
    assert data["receivables"]["overdue"] == 800.0
    assert [b["bucket"] for b in data["receivables"]["aging"]][:2] == ["not_due", "1-30"]
    for key in ("dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "cei",
                "weighted_days_late", "penalties_claimable", "fixed_indemnities_claimable"):
        assert key in data["delays"]
    for block, keys in {"invoicing": ("avg_invoice_lag_days", "late_invoicing_share", "numbering_gaps",
                                      "duplicate_numbers", "disputed_share", "disputed_amount",
                                      "overdue_never_reminded_share", "avg_days_due_to_first_reminder"),
                        "terms": ("weighted_terms_days", "over_legal_max", "credit_limit_exceeded",
                                  "invoiced_while_overdue")}.items():
        assert set(keys) <= set(data[block]), block
    assert all({"priority", "section", "client_id", "action", "cash_impact"} <= set(a) for a in data["actions"])
    assert all({"severity", "sheet", "row", "column", "value", "message"} <= set(f) for f in data["data_quality"])


def test_json_to_stdout(export):
    result = run("audit", str(export), "--as-of", "2025-03-31", "--json", "-")
    assert result.exit_code == 0
    assert json.loads(result.output)["receivables"]["outstanding"] == 1300.0


def test_summary_in_english(export):
    result = run("audit", str(export), "--as-of", "2025-03-31", "--lang", "en")
    assert result.exit_code == 0
    assert "Outstanding receivables" in result.output


def test_missing_file_is_a_clean_error(tmp_path):
    result = run("audit", str(tmp_path / "nope.csv"))
    assert result.exit_code == 2
    assert "Fichier introuvable" in result.output and "Traceback" not in result.output


def test_missing_column_in_english(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("N° facture;Code client;Date facture\nF1;C1;02/01/2025\n", encoding="utf-8")
    result = run("audit", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert 'Required column missing: "Amount incl. VAT"' in result.output
    assert "x.csv" in result.output and "Traceback" not in result.output


def test_bad_as_of_option(export):
    result = run("audit", str(export), "--as-of", "31/03/2025")
    assert result.exit_code == 2 and "AAAA-MM-JJ" in result.output


def test_demo_writes_its_files(tmp_path):
    result = run("demo", "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "demo_audit.json").read_text(encoding="utf-8"))
    assert data["as_of"] == "2026-11-30"
    assert (tmp_path / "demo_donnees" / "factures.csv").exists()
    assert data["receivables"]["outstanding"] > 0 and data["actions"]


def test_every_command_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"poste-clients {name}" in readme, name
        assert command.help and ("Exemple" in command.help or "Example" in command.help), name


# --- results written into the workbook (issue: results in the workbook) -----------------------------------


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    from audit_engine.io.template import build_template

    path = tmp_path / "classeur.xlsm"
    tables = {"invoices": __import__("pandas").DataFrame({
        "N° facture": ["F1", "F2", "F3"], "Code client": ["C1", "C2", "C1"], "Client": ["Alpha", "=Beta", "Alpha"],
        "Date facture": ["02/01/2025", "15/01/2025", "20/03/2025"], "Date échéance": ["01/02/2025", "14/02/2025", "19/04/2025"],
        "Montant TTC": [1200.0, 800.0, 500.0], "Montant réglé": [1200.0, None, None],
        "Date règlement": ["15/02/2025", None, None]})}
    import datetime as dt

    build_template(path, tables=tables, settings={"as_of": dt.date(2025, 3, 31)})
    return path


def sheetnames(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def test_audit_writes_the_result_sheets_into_the_workbook_and_reruns_replace_them(workbook):
    user_sheets = sheetnames(workbook)
    for _ in range(2):
        result = run("audit", str(workbook), "--quiet")
        assert result.exit_code == 0, result.output
    names = sheetnames(workbook)
    assert names[: len(user_sheets)] == user_sheets
    assert names[len(user_sheets):] == ["Synthèse", "1. Qui doit quoi", "2. Facturation & relances",
                                        "3. Conditions de paiement", "4. Retards & DSO", "5. Plan d'action",
                                        "Qualité des données"]


def test_output_writes_a_copy_and_leaves_the_workbook_untouched(workbook, tmp_path):
    import hashlib

    before = hashlib.sha256(workbook.read_bytes()).hexdigest()
    copy = tmp_path / "copie.xlsm"
    result = run("audit", str(workbook), "-o", str(copy), "--quiet")
    assert result.exit_code == 0, result.output
    assert hashlib.sha256(workbook.read_bytes()).hexdigest() == before
    assert "Synthèse" in sheetnames(copy)


def test_report_alone_and_english_names(workbook, tmp_path):
    report = tmp_path / "rapport.xlsx"
    result = run("audit", str(workbook), "--no-write", "--report", str(report), "--lang", "en", "--quiet")
    assert result.exit_code == 0, result.output
    assert sheetnames(report) == ["Summary", "1. Who owes what", "2. Invoicing & dunning", "3. Payment terms",
                                  "4. Late payments & DSO", "5. Action plan", "Data quality"]


def test_section_refresh_and_clear(workbook):
    assert run("audit", str(workbook), "--section", "2", "--quiet").exit_code == 0
    assert sheetnames(workbook)[-3:] == ["Synthèse", "2. Facturation & relances", "Qualité des données"]
    result = run("clear", str(workbook))
    assert result.exit_code == 0 and "3 feuille(s)" in result.output
    assert "Synthèse" not in sheetnames(workbook)


def test_workbook_open_in_excel_is_a_clean_error(workbook):
    (workbook.parent / ("~$" + workbook.name)).write_bytes(b"lock")
    result = run("audit", str(workbook), "--quiet")
    assert result.exit_code == 2
    assert "ouvert dans Excel" in result.output and "Traceback" not in result.output


def test_formula_like_client_name_is_written_as_text(workbook):
    import zipfile

    assert run("audit", str(workbook), "--quiet").exit_code == 0
    with zipfile.ZipFile(workbook) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        xml = "".join(z.read(n).decode("utf-8") for n in sheets)
    assert "=Beta" in xml
    assert "<f>=Beta" not in xml and "<f>Beta" not in xml


def test_demo_writes_the_filled_template_with_results(tmp_path):
    result = run("demo", "-o", str(tmp_path), "--quiet")
    assert result.exit_code == 0, result.output
    names = sheetnames(tmp_path / "demo_audit.xlsm")
    assert names[0] == "Accueil" and "Synthèse" in names and "5. Plan d'action" in names
