"""The Excel add-in, run through xlwings' remote interpreter (the Book API of xlwings Lite and Server).

There is no Excel here: the tests send the payload a client would send for the demo workbook
(``tests/xlremote.py``), call the entry points with ``xw.Book(json=payload)``, replay the actions they
queue on an in-memory workbook, and compare the result sheets cell by cell with what the headless writer
(XlsxWriter, :mod:`audit_engine.io.xlsx_layout`) writes for the same input. The remote interpreter is
xlwings PRO code: it needs ``XLWINGS_LICENSE_KEY=noncommercial``, which the fixtures set themselves.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib.util
import inspect
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

import addin
from addin import xlreader, xlwriter
from audit_engine.api import audit_path
from audit_engine.demo import demo_tables
from audit_engine.io.graft import MARKER
from audit_engine.io.template import build_template
from audit_engine.layout import build_layout, result_sheet_names, sheet_key
from audit_engine.settings import SETTINGS_SPEC, settings_from_pairs
from tests.xlremote import (
    XLWINGS_LICENSE,
    Formula,
    SimBook,
    SimSheet,
    ensure_remote_engine,
    payload_from_xlsx,
)

ROOT = Path(__file__).resolve().parent.parent
xw = pytest.importorskip("xlwings")


# --- fixtures ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def license_key():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XLWINGS_LICENSE_KEY", XLWINGS_LICENSE)
        ensure_remote_engine()
        yield


@pytest.fixture(autouse=True)
def remote_license(monkeypatch):
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", XLWINGS_LICENSE)
    ensure_remote_engine()


def template_with(folder: Path, tables: dict[str, pd.DataFrame], name: str = "classeur.xlsm",
                  **settings: Any) -> Path:
    return build_template(folder / name, tables, settings)


@pytest.fixture(scope="module")
def demo_book(tmp_path_factory) -> Path:
    """The template filled with the demo data (tables and settings)."""
    tables = demo_tables()
    settings, _ = settings_from_pairs(tables.pop("settings").iloc[:, :2].itertuples(index=False))
    return template_with(tmp_path_factory.mktemp("demo"), tables,
                         **{s.field: getattr(settings, s.field) for s in SETTINGS_SPEC})


@pytest.fixture(scope="module")
def demo_payload(demo_book) -> dict[str, Any]:
    return payload_from_xlsx(demo_book)


def run_remote(entry, payload: dict[str, Any], *args: Any) -> tuple[list[dict[str, Any]], SimBook]:
    """Call ``entry(*args, book)`` on the remote interpreter; the actions and the workbook they leave."""
    book = xw.Book(json=copy.deepcopy(payload))
    entry(*args, book=book)
    actions = book.json()["actions"]
    sim = SimBook.from_payload(payload)
    sim.apply(actions)
    return actions, sim


@pytest.fixture(scope="module")
def first_run(demo_payload, license_key) -> tuple[list[dict[str, Any]], SimBook]:
    return run_remote(addin.run_audit, demo_payload)


def user_sheet(name: str, cells: dict[tuple[int, int], Any]) -> SimSheet:
    """A sheet the user made (no marker)."""
    return SimSheet(name, dict(cells))


def replay(first_run, payload: dict[str, Any]) -> SimBook:
    """A fresh copy of the workbook after the first run (tests that edit it must not share it)."""
    sim = SimBook.from_payload(payload)
    sim.apply(first_run[0])
    return sim


@pytest.fixture(scope="module")
def headless(demo_book) -> dict[str, Any]:
    """The headless writer's result sheets for the same workbook: values (calamine: cached values of the
    formulas) and the openpyxl workbook (formats, tables, charts)."""
    from audit_engine.io.xlsx_layout import render_layout

    with pytest.MonkeyPatch.context() as mp:  # same source text as the live book's name
        mp.chdir(demo_book.parent)
        layout = build_layout(audit_path(demo_book.name))
    buf = io.BytesIO()
    render_layout(layout, buf)
    cal = CalamineWorkbook.from_filelike(io.BytesIO(buf.getvalue()))
    values = {n: cal.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in cal.sheet_names}
    return {"layout": layout, "values": values, "book": openpyxl.load_workbook(io.BytesIO(buf.getvalue()))}


def subtotal(sheet, formula: Formula) -> tuple[float, int]:
    """The value of ``=SUBTOTAL(109,C34:C39)`` over the simulated sheet, and the number of cells summed."""
    m = re.fullmatch(r"=SUBTOTAL\(109,([A-Z]+)(\d+):([A-Z]+)(\d+)\)", formula.text)
    assert m, formula.text
    col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(m[1]))) - 1
    rows = range(int(m[2]) - 1, int(m[4]))
    return sum(sheet.value(r, col) or 0 for r in rows), len(rows)


def same(expected: Any, got: Any, tolerance: float = 1e-6) -> bool:
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(expected - got) <= tolerance
    return expected == got


# --- the result sheets ---------------------------------------------------------------------------------

def test_first_run_adds_the_result_sheets_after_the_input_sheets(first_run, demo_payload, headless):
    actions, sim = first_run
    inputs = [s["name"] for s in demo_payload["sheets"]]
    assert sim.sheet_names() == inputs + list(headless["layout"].names())
    assert not [a for a in actions if a["func"] in ("sheetDelete", "alert")]
    markers = {n.sheet.name: n.refers_to for n in sim.names if n.name == MARKER}
    assert markers == {name: f'={{"{name}","{name}"}}' for name in headless["layout"].names()}


@pytest.mark.parametrize("key", ["summary", "receivables", "invoicing", "terms", "delays", "actions", "quality"])
def test_values_equal_the_headless_writer_cell_by_cell(first_run, headless, key):
    _, sim = first_run
    name = headless["layout"].sheet(key).name
    expected, sheet = headless["values"][name], sim.sheet(name)
    cells = {(r, c) for r, row in enumerate(expected) for c, v in enumerate(row) if v not in ("", None)}
    cells |= set(sheet.grid())
    diffs = []
    for r, c in sorted(cells):
        want = expected[r][c] if r < len(expected) and c < len(expected[r]) else None
        got, tolerance = sheet.value(r, c), 1e-6
        if isinstance(got, Formula):  # a total: SUBTOTAL of the rounded cells vs the audit's rounded total
            got, count = subtotal(sheet, got)
            tolerance = 0.005 * count + 1e-6
        if not same(None if want == "" else want, got, tolerance):
            diffs.append((r, c, want, got))
    assert diffs == [] and len(cells) > 20


@pytest.mark.parametrize("key", ["summary", "receivables", "delays", "actions"])
def test_number_formats_and_formulas_equal_the_headless_writer(first_run, headless, key):
    _, sim = first_run
    name = headless["layout"].sheet(key).name
    ws, sheet = headless["book"][name], sim.sheet(name)
    checked = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None or cell.data_type == "s":
                continue
            pos = (cell.row - 1, cell.column - 1)
            if cell.number_format != "General":
                assert sheet.formats.get(pos) == cell.number_format, (cell.coordinate, cell.value)
            if cell.data_type == "f":  # a total: the same formula text
                assert sheet.value(*pos) == Formula(cell.value), cell.coordinate
            checked += 1
    assert checked > 10


def test_tables_and_charts_match_the_headless_writer(first_run, headless):
    _, sim = first_run
    for sl in headless["layout"].sheets:
        ws = headless["book"][sl.name]
        sheet = sim.sheet(sl.name)
        expected = {t.name: t.ref for t in ws.tables.values()}
        got = {t.name: f"{xlwriter.cell_a1(t.ref[0], t.ref[1])}:{xlwriter.cell_a1(t.ref[2], t.ref[3])}"
               for t in sheet.tables}
        assert got == expected, sl.name
        assert [t.style for t in sheet.tables] == [xlwriter.TABLE_STYLE] * len(expected)
        assert [c.name for c in sheet.charts] == [c.name for c in sl.charts] and len(ws._charts) == len(sl.charts)


def test_column_widths_and_row_heights_follow_the_layout(first_run, headless):
    """Office.js takes column widths in points: the layout's character widths are converted as Excel
    does (7 px a character + 5 px padding, 0.75 pt a pixel); row heights are points everywhere."""
    from audit_engine.layout.model import column_px

    _, sim = first_run
    for sl in headless["layout"].sheets:
        sheet = sim.sheet(sl.name)
        assert sheet.column_widths == {c: round(column_px(w) * 0.75, 2) for c, w in enumerate(sl.column_widths)}
        assert {r: sheet.row_heights[r] for r, _ in sl.row_heights} == dict(sl.row_heights)


def test_charts_read_the_layout_ranges(first_run, headless):
    _, sim = first_run
    aging = headless["layout"].sheet("receivables").charts[0]
    chart = sim.sheet(aging.categories.sheet).charts[0]
    v, c = aging.series[0].values, aging.categories
    assert chart.chart_type == "ColumnClustered" and chart.sheet == v.sheet
    assert chart.source == f"${xlwriter.col_letter(v.col0)}${v.row0 + 1}:${xlwriter.col_letter(v.col1)}${v.row1 + 1}"
    assert ("setChartXAxisValues", [c.sheet, f"${xlwriter.col_letter(c.col0)}${c.row0 + 1}:"
                                             f"${xlwriter.col_letter(c.col1)}${c.row1 + 1}"]) in chart.formats
    assert ("setChartTitle", [aging.title]) in chart.formats


def test_combo_chart_puts_the_line_on_the_secondary_axis(first_run, headless):
    _, sim = first_run
    sl = headless["layout"].sheet("receivables")
    pareto = next(c for c in sl.charts if c.kind == "combo")
    chart = next(c for c in sim.sheet(sl.name).charts if c.name == pareto.name)
    series = {args[0]: args[1] for func, args in chart.formats if func == "setChartSeries"}
    line = next(s for s in pareto.series if s.secondary)
    assert {"name": line.name, "chart_type": "LineMarkers", "axis_group": "Secondary"}.items() <= \
        next(v for v in series.values() if v["name"] == line.name).items()


def test_links_point_to_the_sheets(first_run, headless):
    _, sim = first_run
    summary = headless["layout"].sheet("summary")
    links = sim.sheet(summary.name).links
    assert {links[(b.row, b.col)] for b in summary.links()} == {
        "#'" + b.target_sheet.replace("'", "''") + "'!A1" for b in summary.links()}


def test_screen_updating_is_off_while_writing_and_restored(first_run):
    actions, _ = first_run
    switches = [(i, a["args"][0]) for i, a in enumerate(actions) if a["func"] == "setScreenUpdating"]
    first_write = next(i for i, a in enumerate(actions) if a["func"] == "addSheet")
    assert [v for _, v in switches] == [False, True] and switches[0][0] < first_write < switches[1][0]


# --- re-runs ---------------------------------------------------------------------------------------------

def test_rerun_replaces_only_the_addins_sheets(first_run, demo_payload, headless):
    sim = replay(first_run, demo_payload)
    names = list(headless["layout"].names())
    summary, section1 = names[0], names[1]
    sim.sheet(section1).name = section1 + " (janvier)"  # renamed by the user to keep it: not ours anymore
    sim.sheets.insert(len(sim.sheets) - 1, user_sheet("Notes", {(0, 0): "mes notes"}))
    actions, again = run_remote(addin.run_audit, sim.payload())
    deleted = Counter(a["func"] for a in actions)["sheetDelete"]
    assert deleted == len(names) - 1
    assert again.sheet_names()[-len(names) - 2:] == [
        summary, section1, section1 + " (janvier)", *names[2:-1], "Notes", names[-1]]
    assert again.sheet("Notes").value(0, 0) == "mes notes"
    kept = again.sheet(section1 + " (janvier)")
    new_tables = [t.name for t in again.sheet(section1).tables]
    assert {t.name for t in kept.tables} & set(new_tables) == set() and all(t.endswith("_2") for t in new_tables)
    assert Counter(n.name for n in again.names)[MARKER] == len(names) + 1


def test_a_users_sheet_named_like_a_result_sheet_is_kept(demo_payload, headless, license_key):
    payload = copy.deepcopy(demo_payload)
    payload["sheets"].append({"name": "Synthèse", "values": [["à moi"]], "pictures": [], "tables": []})
    _, sim = run_remote(addin.run_section, payload, 1)
    assert sim.sheet("Synthèse").value(0, 0) == "à moi"
    assert "Synthèse (2)" in sim.sheet_names()
    back = headless["layout"].sheet("receivables").links()[0]
    assert sim.sheet(headless["layout"].sheet("receivables").name).links[(back.row, back.col)] == "#'Synthèse (2)'!A1"


def test_rerun_keeps_what_the_user_typed_in_the_action_plan(first_run, demo_payload, headless):
    sim = replay(first_run, demo_payload)
    plan = headless["layout"].sheet("actions")
    table = plan.table("actions")
    owner = table.col + table.index("owner")
    sim.sheet(plan.name).cells[(table.row + 1, owner)] = "Marie"
    _, again = run_remote(addin.run_audit, sim.payload())
    assert again.sheet(plan.name).value(table.row + 1, owner) == "Marie"


def test_rerun_replaces_the_sheets_the_headless_writer_grafted(demo_book, headless, tmp_path):
    """Both writers mark their sheets the same way: the add-in replaces the CLI's results in place."""
    from audit_engine.io.workbook_writer import write_results
    from audit_engine.io.xlsx_layout import render_layout

    buf = io.BytesIO()
    render_layout(headless["layout"], buf)
    grafted = tmp_path / demo_book.name
    write_results(demo_book, buf.getvalue(), output=grafted)
    payload = payload_from_xlsx(grafted)
    before = [s["name"] for s in payload["sheets"]]
    actions, sim = run_remote(addin.run_audit, payload)
    assert Counter(a["func"] for a in actions)["sheetDelete"] == len(headless["layout"].sheets)
    assert sim.sheet_names() == before


def test_switching_the_language_replaces_the_french_sheets(first_run, demo_payload):
    sim = replay(first_run, demo_payload)
    settings = sim.sheet("Paramètres")
    row = next(r for (r, c), v in settings.cells.items() if c == 0 and v == "Langue")
    settings.cells[(row, 1)] = "en"
    _, again = run_remote(addin.run_audit, sim.payload())
    inputs = [s["name"] for s in demo_payload["sheets"]]
    assert again.sheet_names() == inputs + list(result_sheet_names("en"))


def test_clear_results_deletes_only_the_result_sheets(first_run, demo_payload):
    payload = replay(first_run, demo_payload).payload()
    actions, cleared = run_remote(addin.clear_results, payload)
    assert cleared.sheet_names() == [s["name"] for s in demo_payload["sheets"]]
    assert [a["func"] for a in actions if a["func"] == "alert"] == ["alert"]


def test_run_section_writes_its_sheet_with_the_summary_and_quality(demo_payload, headless, license_key):
    _, sim = run_remote(addin.run_section, demo_payload, 2)
    layout = headless["layout"]
    assert sim.sheet_names()[-3:] == [layout.sheet(k).name for k in ("summary", "invoicing", "quality")]


# --- errors ----------------------------------------------------------------------------------------------

@pytest.fixture
def small_invoices() -> pd.DataFrame:
    return pd.DataFrame({
        "N° facture": ["F1", "F2", "F3"], "Code client": ["C1", "C2", "C3"],
        "Client": ["=HYPERLINK(\"http://x\")", "-Dupont", "@Martin"],
        "Date facture": [dt.date(2025, 1, 2), dt.date(2025, 2, 3), dt.date(2025, 3, 4)],
        "Date échéance": [dt.date(2025, 2, 1), dt.date(2025, 3, 5), dt.date(2025, 4, 3)],
        "Montant TTC": [1200.0, 800.0, 300.0]})


def without_header(path: Path, sheet: str, header: str) -> dict[str, Any]:
    """The payload of ``path`` with the header ``header`` of ``sheet`` renamed to one the audit ignores."""
    payload = payload_from_xlsx(path)
    values = next(s for s in payload["sheets"] if s["name"] == sheet)["values"]
    values[0] = ["Remarque" if v == header else v for v in values[0]]
    return payload


def test_missing_required_column_gives_an_alert_and_no_change(tmp_path, small_invoices):
    payload = without_header(template_with(tmp_path, {"invoices": small_invoices}), "Factures", "Montant TTC")
    actions, sim = run_remote(addin.run_audit, payload)
    assert [a["func"] for a in actions] == ["alert"]
    prompt, title, _, mode, _ = actions[0]["args"]
    assert prompt.startswith("Colonne obligatoire absente : « Montant TTC »") and "feuille Factures" in prompt
    assert title == "Audit du poste clients" and mode == "critical"
    assert sim.sheet_names() == [s["name"] for s in payload["sheets"]]


def test_errors_are_in_english_when_the_settings_say_so(tmp_path, small_invoices):
    path = template_with(tmp_path, {"invoices": small_invoices}, lang="en")
    payload = without_header(path, "Factures", "Montant TTC")
    actions, _ = run_remote(addin.run_audit, payload)
    prompt, title = actions[0]["args"][:2]
    assert prompt.startswith('Required column missing: "Amount incl. VAT"') and "sheet Factures" in prompt
    assert title == "Receivables audit"


def test_text_starting_with_equals_is_written_as_text(tmp_path, small_invoices):
    actions, sim = run_remote(addin.run_audit, payload_from_xlsx(template_with(tmp_path, {"invoices": small_invoices})))
    found = {}
    for name in sim.sheet_names():
        if sheet_key(name) is None:
            continue
        for pos, v in sim.sheet(name).grid().items():
            if isinstance(v, Formula):
                assert v.text.startswith("=SUBTOTAL(109,"), (name, pos, v)
            elif v in ('=HYPERLINK("http://x")', "-Dupont", "@Martin"):
                found.setdefault(v, []).append(name)
                assert sim.sheet(name).formats.get(pos) == "@"
    assert set(found) == {'=HYPERLINK("http://x")', "-Dupont", "@Martin"}


def test_unexpected_error_gives_a_short_alert_and_leaves_the_book_unchanged(demo_payload, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(addin, "build_layout", boom)
    actions, sim = run_remote(addin.run_audit, demo_payload)
    assert [a["func"] for a in actions] == ["alert"]
    prompt = actions[0]["args"][0]
    assert "RuntimeError: disk on fire" in prompt and "Traceback" not in prompt and "console" in prompt


def test_error_while_writing_drops_the_queued_writes(demo_payload, monkeypatch):
    def boom(sheet, *args):
        raise RuntimeError("chart failed")

    monkeypatch.setattr(xlwriter, "write_chart", boom)
    actions, sim = run_remote(addin.run_audit, demo_payload)
    assert [a["func"] for a in actions] == ["setScreenUpdating", "setScreenUpdating", "alert"]
    assert sim.sheet_names() == [s["name"] for s in demo_payload["sheets"]]


class FakeApp:
    """What classic xlwings offers that the remote interpreter lacks: a status bar, screen updating."""

    def __init__(self) -> None:
        self.statuses: list[Any] = []
        self.screen_updating = True
        self.alerts: list[tuple[str, str]] = []

    @property
    def status_bar(self) -> Any:
        return self.statuses[-1] if self.statuses else False

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.statuses.append(value)

    def alert(self, prompt: str, title: str, buttons: str, mode: str) -> None:
        self.alerts.append((prompt, mode))


def test_status_bar_shows_the_steps_and_is_cleared(tmp_path):
    class Book:
        app, fullname, name = FakeApp(), str(tmp_path / "classeur.xlsm"), "classeur.xlsm"

    ui = addin.Feedback(Book(), "fr")
    for step in ("read", "ingest", "receivables", "actions"):
        ui.status(step)
    ui.status("write", sheet="Synthèse")
    ui.clear_status()
    assert Book.app.statuses == [
        "Audit du poste clients : lecture des feuilles…", "Audit du poste clients : contrôle des données…",
        "Audit du poste clients : 1. Qui doit quoi…", "Audit du poste clients : 5. Plan d'action…",
        "Audit du poste clients : écriture de « Synthèse »…", False]


def test_unexpected_error_details_go_to_a_log_beside_the_workbook(tmp_path):
    class Book:
        app, fullname, name = FakeApp(), str(tmp_path / "classeur.xlsm"), "classeur.xlsm"

    try:
        raise ValueError("bad thing")
    except ValueError as exc:
        addin.Feedback(Book(), "en").unexpected(exc)
    log = (tmp_path / addin.LOG_NAME).read_text(encoding="utf-8")
    assert "Traceback" in log and "ValueError: bad thing" in log
    prompt, mode = Book.app.alerts[0]
    assert mode == "critical" and str(tmp_path / addin.LOG_NAME) in prompt and "Traceback" not in prompt


def test_screen_updating_is_restored_after_an_error():
    class Book:
        app, fullname, name = FakeApp(), "classeur.xlsm", "classeur.xlsm"

    ui = addin.Feedback(Book(), "fr")
    Book.app.engine = type("E", (), {"name": "excel"})()
    with pytest.raises(RuntimeError), ui.screen_frozen():
        assert Book.app.screen_updating is False
        raise RuntimeError
    assert Book.app.screen_updating is True


# --- reading -----------------------------------------------------------------------------------------------

def test_reading_in_chunks_gives_the_same_tables(demo_payload, license_key):
    book = xw.Book(json=copy.deepcopy(demo_payload))
    whole, chunked = xlreader.read_input(book), xlreader.read_input(book, chunk_rows=1000)
    for key, table in whole.tables.items():
        pd.testing.assert_frame_equal(table.frame, chunked.tables[key].frame)
        assert list(table.rows) == list(chunked.tables[key].rows)
    assert len(whole.tables["invoices"].frame) == 3057 and whole.tables["invoices"].rows[0] == 2


def test_dates_are_read_as_datetimes_like_the_headless_reader(demo_payload, license_key):
    raw = xlreader.read_input(xw.Book(json=copy.deepcopy(demo_payload)))
    first = raw.tables["invoices"].frame.iloc[0]
    assert first["Date facture"] == dt.datetime(2024, 12, 2) and first["N° facture"] == "FA2024-01385"


# --- the template's buttons and xlwings Lite -----------------------------------------------------------------

def test_every_button_macro_calls_an_entry_point_with_the_right_signature():
    calls = []
    for bas in sorted((ROOT / "addin" / "vba").glob("*.bas")):
        calls += re.findall(r'"import addin; addin\.(\w+)\(([^)]*)\)"', bas.read_text(encoding="utf-8"))
    assert {name for name, _ in calls} == {"run_audit", "run_section", "clear_results"}
    sections = []
    for name, args in calls:
        func = getattr(addin, name)
        values = [int(a) for a in args.split(",") if a.strip()]
        bound = inspect.signature(func).bind(*values)
        bound.apply_defaults()
        assert bound.arguments["book"] is None  # the caller's book, found inside the function
        sections += values
    assert sorted(sections) == [1, 2, 3, 4, 5]


def test_importing_the_addin_does_not_import_xlwings():
    code = "import sys, addin, addin.xlreader, addin.xlwriter; print('xlwings' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_addin_runs_without_the_packages_xlwings_lite_lacks(tmp_path, small_invoices):
    """python-calamine (compiled, not built for Pyodide), XlsxWriter, click and rich are not needed."""
    payload = payload_from_xlsx(template_with(tmp_path, {"invoices": small_invoices}))
    (tmp_path / "payload.json").write_text(__import__("json").dumps(payload), encoding="utf-8")
    code = f"""
import importlib.abc, json, os, sys
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in {{"python_calamine", "xlsxwriter", "click", "rich"}}:
            raise ImportError(name)
sys.meta_path.insert(0, Block())
os.environ["XLWINGS_LICENSE_KEY"] = "{XLWINGS_LICENSE}"
import xlwings as xw, addin
book = xw.Book(json=json.load(open({str(tmp_path / "payload.json")!r}, encoding="utf-8")))
addin.run_audit(book)
print(sorted({{a["func"] for a in book.json()["actions"]}}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "addSheet" in out.stdout and "alert" not in out.stdout


def load_lite_main():
    spec = importlib.util.spec_from_file_location("lite_main", ROOT / "addin" / "lite" / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lite_scripts_call_the_same_entry_points(monkeypatch):
    main = load_lite_main()
    calls = []
    monkeypatch.setattr(addin, "run_audit", lambda book=None: calls.append(("run_audit", book)))
    monkeypatch.setattr(addin, "run_section", lambda n, book=None: calls.append((n, book)))
    monkeypatch.setattr(addin, "clear_results", lambda book=None: calls.append(("clear_results", book)))
    book = object()
    for name in ("run_audit", *(f"run_section_{n}" for n in range(1, 6)), "clear_results"):
        getattr(main, name)(book)
        assert list(inspect.signature(getattr(main, name)).parameters) == ["book"]
    assert calls == [("run_audit", book), *((n, book) for n in range(1, 6)), ("clear_results", book)]
    assert "Synthèse" in main.RESULTS and not any(sheet_key(n) == "actions" for n in main.RESULTS)


def test_lite_requirements_name_the_engine_and_no_compiled_extra():
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "addin" / "lite" / "requirements.txt").read_text().splitlines()]
    packages = {re.split(r"[=<>]", ln)[0] for ln in lines if ln}
    assert {"audit-poste-clients", "xlwings", "pandas"} <= packages
    assert not packages & {"python-calamine", "xlsxwriter"}
    assert f"xlwings=={xw.__version__}" in lines


# --- the style vocabulary ----------------------------------------------------------------------------------

def test_styles_are_the_headless_writers(monkeypatch):
    """The number formats, fonts and fills of each style are those of audit_engine.io.xlsx_layout (borders
    and underline have no xlwings API)."""
    from audit_engine.io import xlsx_layout

    class Capture:
        def add_format(self, spec):
            return spec

    formats = xlsx_layout._formats(Capture())
    keys = {"num_format": "number_format", "bold": "bold", "italic": "italic", "font_size": "size",
            "font_color": "color", "bg_color": "fill", "text_wrap": "wrap", "align": "align", "valign": "valign"}
    for style, spec in formats.items():
        if style.startswith("cf_"):
            continue
        mine = {keys[k]: v for k, v in spec.items() if k in keys}
        assert xlwriter.STYLES[style] == mine, style
    for style in ("status_red", "status_orange", "status_green"):
        f = formats["cf_" + style]
        assert xlwriter.CF_STYLES[style] == {"fill_color": f["bg_color"], "font_color": f["font_color"]}
    assert xlwriter.AXIS_FORMATS == xlsx_layout.AXIS_FORMATS and xlwriter.NUM_FORMATS == xlsx_layout.NUM_FORMATS
    assert xlwriter.TABLE_STYLE == xlsx_layout.TABLE_STYLE.replace(" ", "")


def test_the_vba_client_of_xlwings_server_gets_only_actions_it_implements(demo_book, license_key):
    """xlwings/addin/Remote.bas stops on an action it lacks: those are dropped, the totals become values."""
    remote_bas = Path(xw.__file__).parent / "addin" / "Remote.bas"
    implemented = set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)",
                                 remote_bas.read_text(encoding="utf-8", errors="replace"), re.M))
    assert xlwriter.VBA_CLIENT_ACTIONS == implemented
    actions, sim = run_remote(addin.run_audit, payload_from_xlsx(demo_book, client="VBA"))
    assert {a["func"] for a in actions} <= implemented and "addSheet" in {a["func"] for a in actions}
    assert not any(isinstance(v, Formula) for s in sim.sheets for v in s.cells.values())


def test_docstring_examples_run():
    import doctest

    import tests.xlremote

    for module in (addin, xlreader, xlwriter, tests.xlremote):
        assert doctest.testmod(module).failed == 0, module.__name__


def test_texts_excel_could_reinterpret_are_protected():
    rows = [["Client", "Montant"], ["=SUM(A1)", 1.0], ["Dupont", 2.0], [None, None], ["Durand", 3.0]]
    assert xlwriter.text_runs(rows, 0, 0) == [(0, 0, 2, 0)]
    assert [xlwriter.needs_text(v) for v in ("+33 1", "#N/A", "VRAI", "'quote", "Oui", "")] == [
        True, True, True, True, False, False]
