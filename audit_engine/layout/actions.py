"""Sheet ``5. Plan d'action`` (Action plan): the prioritised actions and the tracking table.

Blocks: header; key figures (actions by priority, amounts, tracking counts); the cash impact per step
(table + column chart); how to use the table; the tracking table (:mod:`.tracking`): the audit's columns,
the user's columns (Responsable, Échéance, Statut with a drop-down list, Commentaire), any column the
user added, the audit's follow-up note, the first detection date and the key. The table is never cut:
it is the user's record.

>>> # s = build_layout(report, tracking=read_tracking(previous_rows)).sheet("actions")
>>> # s.table("actions").column_values("key")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from .builder import SheetBuilder, column_ref, header
from .common import Context, KeyFigure, heading, kf, scalar
from .model import Chart, Column, CondFormat, Series, SheetLayout
from .names import SECTION_SHEETS, TAB_COLORS, TABLE_PREFIX
from .tracking import CLOSED_BY_AUDIT, NOTES, STATUS_CHOICES, TRACKING_COLUMNS, extra_headers, merge_tracking

KEY = "actions"
WIDTHS = {"action": 72.0, "comment": 40.0, "key": 30.0, "owner": 16.0, "status": 20.0, "audit_note": 20.0}


def _cash_rows(ctx: Context) -> list[tuple[Any, ...]]:
    actions = ctx.report.actions.actions
    out = []
    for section in (1, 2, 3, 4):
        mine = [a for a in actions if a.section == section]
        out.append((ctx.names[SECTION_SHEETS[section]], len(mine), scalar(sum(a.amount or 0.0 for a in mine), "amount"),
                    scalar(sum(a.cash_impact or 0.0 for a in mine), "amount")))
    return out


def _figures(ctx: Context, rows: list[dict[str, Any]]) -> list[KeyFigure]:
    plan = ctx.report.actions
    lang = "en" if ctx.lang == "en" else "fr"
    by_priority = [sum(1 for a in plan.actions if a.priority == p) for p in (1, 2, 3)]
    notes = [r.get("audit_note") for r in rows]
    return [
        heading(ctx, "actions"),
        kf(ctx, "actions_count", len(plan.actions), "int"),
        kf(ctx, "priority_1", by_priority[0], "int", ctx.t("remark.priority_1")),
        kf(ctx, "priority_2", by_priority[1], "int", ctx.t("remark.priority_2")),
        kf(ctx, "priority_3", by_priority[2], "int", ctx.t("remark.priority_3")),
        kf(ctx, "cash_impact", plan.total_cash_impact, "amount", ctx.t("remark.cash_impact")),
        heading(ctx, "tracking"),
        kf(ctx, "tracking_new", notes.count(NOTES["new"][lang]), "int"),
        kf(ctx, "tracking_gone", notes.count(NOTES["gone"][lang]), "int"),
        kf(ctx, "tracking_with_status", sum(1 for r in rows if r.get("status")), "int"),
    ]


def tracking_table_columns(lang: str, extras: list[str]) -> list[Column]:
    """The tracking table's columns: :data:`TRACKING_COLUMNS` with the user's extra columns after
    Commentaire (headers kept unique)."""
    cols: list[Column] = []
    for c in TRACKING_COLUMNS:
        choices = STATUS_CHOICES[lang] if c.key == "status" else ()
        cols.append(Column(c.key, c.label(lang), c.style, WIDTHS.get(c.key), choices=choices, user=c.user))
        if c.key == "comment":
            seen = {x.label(lang).casefold() for x in TRACKING_COLUMNS}
            for h in extras:
                header = h
                while header.casefold() in seen:
                    header += " (2)"
                seen.add(header.casefold())
                cols.append(Column("extra:" + h, header, "text", user=True))
    return cols


def build(ctx: Context, tracking: Mapping[str, Mapping[str, Any]] | None = None) -> SheetLayout:
    lang = "en" if ctx.lang == "en" else "fr"
    r = ctx.report
    rows = merge_tracking(tracking, r.actions, r.as_of, lang)
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx, rows))
    b.gap()

    top = b.row
    cash_cols = [Column("step", ctx.t("col.step"), "text", total="label"),
                 Column("count", ctx.t("col.actions"), "int", total="sum"),
                 Column("amount", ctx.t("col.amount"), "amount", total="sum"),
                 Column("cash_impact", ctx.t("col.cash_impact"), "amount", total="sum")]
    cash = _cash_rows(ctx)
    totals = (ctx.t("total"), sum(x[1] for x in cash), scalar(sum(x[2] for x in cash), "amount"),
              scalar(sum(x[3] for x in cash), "amount"))
    table = b.table("cash_by_step", cash_cols, cash, title=ctx.t("table.cash_by_step"), totals=totals)
    if table is not None:
        b.chart_beside(table, Chart(
            "cash_by_step", "column", ctx.t("chart.cash_by_step"), column_ref(b, table, "step"),
            (Series(ctx.t("col.cash_impact"), column_ref(b, table, "cash_impact"), color="#548235", labels=True),),
            0, 0, 560, 300, y_format="amount", legend="none"), top=top)

    extras = extra_headers(rows)
    columns = tracking_table_columns(lang, extras)
    data = []
    for row in rows:
        data.append(tuple(_cell(row, c) for c in columns))
    yesterday = r.as_of - dt.timedelta(days=1)
    b.table("actions", columns, data, title=ctx.t("table.actions"), note=ctx.t("note.actions"), conditional=(
        CondFormat("priority", "==", 1, "status_red"), CondFormat("priority", "==", 2, "status_orange"),
        CondFormat("status", "==", CLOSED_BY_AUDIT[lang], "muted"),
        CondFormat("audit_note", "==", NOTES["new"][lang], "status_green"),
        CondFormat("audit_note", "==", NOTES["gone"][lang], "muted"),
        CondFormat("due", "between", dt.date(1900, 1, 2), "status_red", yesterday)),
        empty=ctx.t("empty_actions"))
    return b.build()


def _cell(row: Mapping[str, Any], column: Column) -> Any:
    if column.key.startswith("extra:"):
        value = (row.get("extra") or {}).get(column.key[6:])
    else:
        value = row.get(column.key)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (dt.date, str)) or value is None:
        return value
    if column.style in ("amount", "int") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return scalar(value, column.style)
    return scalar(value)
