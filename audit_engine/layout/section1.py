"""Sheet ``1. Qui doit quoi`` (Who owes what): outstanding, aging, concentration, payment habits, risk.

Blocks, top to bottom: header; key figures; aging by bucket (table + column chart, one colour per
bucket from green to red); revenue concentration (Pareto table + chart: revenue columns and the
cumulative share as a line on a secondary axis, top 20 clients); aging by client; risk matrix; the
clients table; the old invoices. Late and overdue values are coloured by conditional formats.

>>> # s = build_layout(report).sheet("receivables"); s.table("aging").column_values("amount")
"""

from __future__ import annotations

from ..formatting import fmt_days, fmt_int, fmt_share
from .builder import SheetBuilder, column_ref, frame_table, header
from .common import Context, KeyFigure, code_label, heading, kf, label_key
from .model import Chart, CondFormat, Series, SheetLayout
from .names import TAB_COLORS, TABLE_PREFIX

KEY = "receivables"
PARETO_CLIENTS = 15  # clients drawn in the Pareto chart (the table lists them all)
AGING_COLORS = ("#70AD47", "#FFC000", "#F4B183", "#ED7D31", "#C55A11", "#C00000")


def _figures(ctx: Context) -> list[KeyFigure]:
    rec, s, lang = ctx.report.sections[KEY], ctx.report.settings, ctx.lang
    trend = code_label("trend", rec.trend, lang) if rec.trend else None
    return [
        heading(ctx, "outstanding"),
        kf(ctx, "outstanding", rec.outstanding, "amount"),
        kf(ctx, "not_due", rec.not_due, "amount"),
        kf(ctx, "overdue", rec.overdue, "amount"),
        kf(ctx, "overdue_share", rec.overdue_share, "share",
           ctx.t("rule.overdue_share", share=fmt_share(s.overdue_alert_share, lang))),
        kf(ctx, "old_invoices_amount", rec.old_invoices_amount, "amount",
           ctx.t("rule.old_invoices", count=fmt_int(rec.old_invoices_count, lang), days=s.old_invoice_days)),
        heading(ctx, "concentration"),
        kf(ctx, "invoiced", rec.invoiced, "amount"),
        kf(ctx, "top1_share", rec.top1_share, "share"),
        kf(ctx, "top3_share", rec.top3_share, "share",
           ctx.t("rule.concentration", share=fmt_share(s.concentration_alert, lang))),
        kf(ctx, "top10_share", rec.top10_share, "share"),
        kf(ctx, "hhi", rec.hhi, "share", ctx.t("remark.hhi")),
        heading(ctx, "habits"),
        kf(ctx, "settled_count", rec.settled_count, "int"),
        kf(ctx, "late_share", rec.late_share, "share"),
        kf(ctx, "weighted_days_late", rec.weighted_days_late, "days", ctx.t("remark.bdf_late")),
        kf(ctx, "weighted_days_late_prev", rec.weighted_days_late_prev, "days", trend),
        kf(ctx, "avg_days_to_pay", rec.avg_days_to_pay, "days"),
        kf(ctx, "rating", rec.rating, "text", ctx.t("remark.rating", edges=" / ".join(
            fmt_days(e, lang) for e in rec.params.get("rating_edges", s.rating_edges)))),
    ]


def build(ctx: Context) -> SheetLayout:
    rec, s, lang = ctx.report.sections[KEY], ctx.report.settings, ctx.lang
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx))
    b.gap()

    specs = rec.specs
    top = b.row
    aging = frame_table(ctx, b, "aging", rec.aging, specs("aging"), drop=("bucket",), sums=("amount", "count", "share"))
    if aging is not None:
        n = len(aging.rows)
        b.chart_beside(aging, Chart(
            "aging", "column", ctx.t("chart.aging"), column_ref(b, aging, label_key(lang)),
            (Series(ctx.t("kpi.outstanding"), column_ref(b, aging, "amount"), color="#2E75B6", labels=True,
                    points=tuple(AGING_COLORS[min(i, len(AGING_COLORS) - 1)] for i in range(n))),),
            0, 0, 620, 320, y_format="amount", legend="none"), top=top)

    top = b.row
    pareto = frame_table(ctx, b, "pareto", rec.pareto, specs("pareto"))
    if pareto is not None:
        b.chart_beside(pareto, Chart(
            "pareto", "combo", ctx.t("chart.pareto", n=min(PARETO_CLIENTS, len(pareto.rows))),
            column_ref(b, pareto, "client_name", PARETO_CLIENTS),
            (Series(ctx.t("series.revenue"), column_ref(b, pareto, "revenue", PARETO_CLIENTS), "column", color="#2E75B6"),
             Series(ctx.t("series.cumulative_share"), column_ref(b, pareto, "cumulative_share", PARETO_CLIENTS), "line",
                    secondary=True, color="#C55A11")),
            0, 0, 720, 420, y_format="amount", y2_format="share", y2_max=1.0), top=top)

    old_days = s.old_invoice_days
    bucket_cf = []
    for bucket in rec.buckets[1:]:
        style = "status_red" if bucket.upper is None or bucket.upper > old_days else "status_orange"
        bucket_cf.append(CondFormat(bucket.key, ">", 0.004, style))
    amounts = [bk.key for bk in rec.buckets] + ["total", "overdue"]
    frame_table(ctx, b, "aging_by_client", rec.aging_by_client, specs("aging_by_client"), cond=bucket_cf, sums=amounts)
    frame_table(ctx, b, "risk_matrix", rec.risk_matrix, specs("risk_matrix"), drop=("quadrant",),
                sums=("clients", "outstanding", "overdue"))
    edges = rec.params.get("rating_edges", s.rating_edges)
    worsening = code_label("trend", "worsening", lang)
    frame_table(ctx, b, "clients", rec.clients, specs("clients"), cond=(
        CondFormat("overdue", ">", 0.004, "status_orange"), CondFormat("old_amount", ">", 0.004, "status_red"),
        CondFormat("weighted_days_late", ">", float(edges[2]), "status_red"),
        CondFormat("weighted_days_late", ">", float(edges[1]), "status_orange"),
        CondFormat("rating", "==", "D", "status_red"), CondFormat("rating", "==", "C", "status_orange"),
        CondFormat("trend", "==", worsening, "status_orange")))
    frame_table(ctx, b, "old_invoices", rec.old_invoices, specs("old_invoices"), cond=(
        CondFormat("days_past_due", ">", float(2 * old_days), "status_red"),
        CondFormat("days_past_due", ">", float(old_days), "status_orange"),
        CondFormat("disputed", "==", ctx.t("yes"), "status_orange")))
    return b.build()
