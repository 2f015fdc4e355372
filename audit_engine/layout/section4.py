"""Sheet ``4. Retards & DSO`` (Late payments & DSO): DSO by both methods against terms and target,
days late, the collection effectiveness index, and the penalties and indemnities that can be claimed.

Blocks: header; key figures (the Banque de France references in the remarks); DSO by month (table +
line chart: countback DSO, trailing 3-month DSO and weighted contractual terms per month end); DSO per
client; clients to stop delivering; penalties per client; late invoices with their penalty.

>>> # s = build_layout(report).sheet("delays"); s.table("monthly").column_values("dso_countback")
"""

from __future__ import annotations

from ..formatting import fmt_days, fmt_int
from ..sections.delays import COLUMNS
from .builder import SheetBuilder, column_ref, frame_table, header
from .common import Context, KeyFigure, heading, kf
from .model import Chart, CondFormat, Series, SheetLayout
from .names import TAB_COLORS, TABLE_PREFIX

KEY = "delays"


def _figures(ctx: Context) -> list[KeyFigure]:
    de, s, lang = ctx.report.sections[KEY], ctx.report.settings, ctx.lang
    pen = de.penalties or {}
    target = ctx.t(f"remark.target_{de.dso_target_source}")
    return [
        heading(ctx, "dso"),
        kf(ctx, "dso_simple", de.dso_simple, "days", ctx.t("remark.bdf_dso")),
        kf(ctx, "dso_countback", de.dso_countback, "days"),
        kf(ctx, "best_possible_dso", de.best_possible_dso, "days"),
        kf(ctx, "average_days_delinquent", de.average_days_delinquent, "days"),
        kf(ctx, "dso_target_days", de.dso_target_days, "days", target),
        kf(ctx, "weighted_terms_days", de.weighted_terms_days, "days"),
        kf(ctx, "dso_gap_days", de.dso_gap_days, "days",
           ctx.t("remark.tolerance", days=fmt_days(s.dso_alert_days, lang))),
        kf(ctx, "cei", de.cei, "rate", ctx.t("remark.cei", months=de.cei_months)),
        heading(ctx, "balances"),
        kf(ctx, "opening_receivables", de.opening_receivables, "amount"),
        kf(ctx, "revenue", de.revenue, "amount"),
        kf(ctx, "outstanding", de.outstanding, "amount"),
        kf(ctx, "not_due", de.not_due, "amount"),
        heading(ctx, "lateness"),
        kf(ctx, "weighted_days_late", de.weighted_days_late, "days", ctx.t("remark.bdf_late")),
        kf(ctx, "weighted_days_late_with_open", de.weighted_days_late_with_open, "days"),
        heading(ctx, "penalties"),
        kf(ctx, "late_invoices", pen.get("late_invoices"), "int",
           ctx.t("remark.late_invoices", settled=fmt_int(pen.get("settled_late_invoices"), lang),
                 open=fmt_int(pen.get("open_late_invoices"), lang))),
        kf(ctx, "penalties_claimable", de.penalties_claimable, "amount"),
        kf(ctx, "fixed_indemnities_claimable", de.fixed_indemnities_claimable, "amount",
           ctx.t("remark.indemnity", amount=fmt_int(s.fixed_indemnity, lang))),
        kf(ctx, "claimable", (de.penalties_claimable or 0.0) + (de.fixed_indemnities_claimable or 0.0), "amount",
           ctx.t("remark.disputed_claims", count=fmt_int(pen.get("disputed_invoices"), lang))),
        kf(ctx, "excluded_consumer_invoices", pen.get("excluded_consumer_invoices"), "int"),
    ]


def build(ctx: Context) -> SheetLayout:
    de, s, lang = ctx.report.sections[KEY], ctx.report.settings, ctx.lang
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx))
    b.gap()

    missing_dates = ctx.t("missing.payment_dates") if "payment_dates" in de.missing else None
    monthly = frame_table(ctx, b, "monthly", de.monthly, COLUMNS["monthly"], cond=(
        CondFormat("gap_days", ">", float(s.dso_alert_days), "status_red"),
        CondFormat("gap_days", ">", 0.0, "status_orange")), empty=missing_dates)
    if monthly is not None:
        series = [Series(ctx.t("series.dso_countback"), column_ref(b, monthly, "dso_countback"), color="#C55A11"),
                  Series(ctx.t("series.dso_3m"), column_ref(b, monthly, "dso_3m"), color="#2E75B6"),
                  Series(ctx.t("series.terms"), column_ref(b, monthly, "weighted_terms_days"), color="#7F7F7F")]
        b.chart_below(Chart("dso_monthly", "line", ctx.t("chart.dso_monthly"), column_ref(b, monthly, "month_end"),
                            tuple(series), 0, 0, 820, 340, y_title=ctx.t("axis.days"), y_format="days",
                            x_format="month"))
    tolerance = float(s.dso_alert_days)
    frame_table(ctx, b, "dso_by_client", de.clients, COLUMNS["clients"], cond=(
        CondFormat("dso_gap_days", ">", tolerance, "status_red"), CondFormat("dso_gap_days", ">", 0.0, "status_orange"),
        CondFormat("past_due", ">", 0.004, "status_orange")))
    frame_table(ctx, b, "stop_delivery", de.stop_delivery, COLUMNS["stop_delivery"], cond=(
        CondFormat("overdue_amount", ">", 0.004, "status_red"),), empty=missing_dates)
    frame_table(ctx, b, "penalties_by_client", de.penalties_by_client, COLUMNS["penalties_by_client"],
                sums=("late_invoices", "settled_late", "open_late", "base", "penalty", "indemnity", "claimable",
                      "disputed_claimable"))
    frame_table(ctx, b, "late_invoices", de.late_invoices, COLUMNS["late_invoices"], cond=(
        CondFormat("days_late", ">", 30.0, "status_red"), CondFormat("days_late", ">", 0.0, "status_orange"),
        CondFormat("disputed", "==", ctx.t("yes"), "status_orange")))
    return b.build()
