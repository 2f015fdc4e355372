"""Sheet ``Qualité des données`` (Data quality): what the audit read, what it could not measure for lack of
data, and every data-quality finding (sheet, row, column, the value as typed, what the audit did).

Findings are sorted errors first, then warnings, then information, each in the order found; the table is
cut at :data:`~audit_engine.layout.common.MAX_TABLE_ROWS` rows. Values typed by the user (``=1+1``,
``+33 6...``) are text cells, never formulas.

>>> # s = build_layout(report).sheet("quality"); s.table("findings").column_values("value")
"""

from __future__ import annotations

from collections import Counter

from .builder import SheetBuilder, header
from .common import MAX_TABLE_ROWS, Context, KeyFigure, heading, kf
from .model import Column, CondFormat, SheetLayout
from .names import SECTION_SHEETS, TAB_COLORS, TABLE_PREFIX

KEY = "quality"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _figures(ctx: Context) -> list[KeyFigure]:
    s = ctx.report.summary
    sev = Counter(f.severity for f in ctx.report.findings)
    return [
        heading(ctx, "read"),
        kf(ctx, "invoice_count", s.get("count"), "int"),
        kf(ctx, "credit_note_count", s.get("credit_note_count"), "int"),
        kf(ctx, "total_amount", s.get("total_amount"), "amount"),
        kf(ctx, "period_count", s.get("period_count"), "int"),
        kf(ctx, "period_amount", s.get("period_amount"), "amount"),
        kf(ctx, "open_count", s.get("open_count"), "int"),
        kf(ctx, "clients", s.get("clients"), "int"),
        kf(ctx, "duplicates_excluded", s.get("duplicates_excluded"), "int"),
        kf(ctx, "after_as_of_count", s.get("after_as_of_count"), "int"),
        heading(ctx, "findings"),
        kf(ctx, "errors", sev.get("error", 0), "int", ctx.t("remark.errors")),
        kf(ctx, "warnings", sev.get("warning", 0), "int", ctx.t("remark.warnings")),
        kf(ctx, "infos", sev.get("info", 0), "int"),
    ]


def _missing_rows(ctx: Context) -> list[tuple[str, str, str]]:
    rows = []
    for number in (1, 2, 3, 4):
        key = SECTION_SHEETS[number]
        for code in getattr(ctx.report.sections[key], "missing", ()) or ():
            rows.append((ctx.names[key], code, ctx.t(f"missing.{code}")))
    return rows


def build(ctx: Context) -> SheetLayout:
    lang = ctx.lang
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx))
    b.gap()

    missing = _missing_rows(ctx)
    b.table("missing", [Column("step", ctx.t("col.step"), "text"), Column("code", ctx.t("col.code"), "text"),
                        Column("consequence", ctx.t("col.consequence"), "text")],
            missing, title=ctx.t("table.missing"), empty=ctx.t("empty_missing"))

    findings = sorted(ctx.report.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))
    columns = [Column("severity", ctx.t("col.severity"), "text"), Column("sheet", ctx.t("col.sheet"), "text"),
               Column("row", ctx.t("col.row"), "int"), Column("column", ctx.t("col.column"), "text"),
               Column("value", ctx.t("col.value"), "text"), Column("message", ctx.t("col.message"), "wrap", 80.0)]
    rows = [(ctx.t(f"severity.{f.severity}"), f.sheet, f.row, f.column, f.value, f.message(lang))
            for f in findings[:MAX_TABLE_ROWS]]
    b.table("findings", columns, rows, title=ctx.t("table.findings"), total=len(findings), conditional=(
        CondFormat("severity", "==", ctx.t("severity.error"), "status_red"),
        CondFormat("severity", "==", ctx.t("severity.warning"), "status_orange")), empty=ctx.t("empty_findings"))
    return b.build()
