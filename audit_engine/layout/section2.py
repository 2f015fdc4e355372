"""Sheet ``2. Facturation & relances`` (Invoicing & dunning): invoicing lag, numbering, disputes, dunning.

Blocks: header; key figures in four groups; the invoicing-lag distribution (table + column chart of
the number of invoices per lag band); lag per client; numbering series, gaps, duplicates, numbers out
of date order, numbers without digits; dispute reasons and disputed invoices; the highest dunning step
reached (table + column chart); reminded invoices; overdue invoices never reminded. When the data has
no delivery date, dispute flag or reminder, a note says so instead of an empty table.

>>> # s = build_layout(report).sheet("invoicing"); s.table("lag_bins").column_values("count")
"""

from __future__ import annotations

from ..formatting import fmt_days, fmt_share
from ..sections.invoicing import COLUMNS
from .builder import SheetBuilder, column_ref, frame_table, header
from .common import Context, KeyFigure, heading, kf
from .model import Chart, CondFormat, Series, SheetLayout
from .names import TAB_COLORS, TABLE_PREFIX

KEY = "invoicing"


def _figures(ctx: Context) -> list[KeyFigure]:
    inv, lang = ctx.report.sections[KEY], ctx.lang
    target = ctx.t("rule.target", target=fmt_days(inv.lag_target_days, lang))
    reminder_target = ctx.t("rule.target", target=fmt_days(inv.first_reminder_target_days, lang))
    return [
        heading(ctx, "lag"),
        kf(ctx, "lag_invoices", inv.lag_invoices, "int"),
        kf(ctx, "avg_invoice_lag_days", inv.avg_invoice_lag_days, "days", target),
        kf(ctx, "weighted_invoice_lag_days", inv.weighted_invoice_lag_days, "days"),
        kf(ctx, "late_invoicing_count", inv.late_invoicing_count, "int",
           ctx.t("remark.share_of_invoices", share=fmt_share(inv.late_invoicing_share, lang))),
        kf(ctx, "late_invoicing_amount", inv.late_invoicing_amount, "amount"),
        kf(ctx, "legal_late_count", inv.legal_late_count, "int", ctx.t("remark.legal_late")),
        kf(ctx, "legal_late_amount", inv.legal_late_amount, "amount"),
        kf(ctx, "late_invoicing_cash", inv.late_invoicing_cash, "amount", ctx.t("remark.late_invoicing_cash")),
        heading(ctx, "numbering"),
        kf(ctx, "numbering_series_count", inv.numbering_series_count, "int"),
        kf(ctx, "numbering_gaps", inv.numbering_gaps, "int", ctx.t("remark.numbering")),
        kf(ctx, "duplicate_numbers", inv.duplicate_numbers, "int"),
        kf(ctx, "out_of_order_numbers", inv.out_of_order_numbers, "int"),
        kf(ctx, "unparsed_numbers", inv.unparsed_numbers, "int"),
        heading(ctx, "disputes"),
        kf(ctx, "disputed_count", inv.disputed_count, "int",
           ctx.t("remark.share_of_invoices", share=fmt_share(inv.disputed_share, lang))),
        kf(ctx, "disputed_open_count", inv.disputed_open_count, "int"),
        kf(ctx, "disputed_amount", inv.disputed_amount, "amount"),
        kf(ctx, "avg_disputed_age_days", inv.avg_disputed_age_days, "days"),
        heading(ctx, "dunning"),
        kf(ctx, "reminded_count", inv.reminded_count, "int"),
        kf(ctx, "avg_days_due_to_first_reminder", inv.avg_days_due_to_first_reminder, "days", reminder_target),
        kf(ctx, "late_first_reminder_share", inv.late_first_reminder_share, "share"),
        kf(ctx, "avg_reminders_per_invoice", inv.avg_reminders_per_invoice, "days"),
        kf(ctx, "avg_days_last_reminder_to_payment", inv.avg_days_last_reminder_to_payment, "days"),
        kf(ctx, "courtesy_reminders", inv.courtesy_reminders, "int"),
        kf(ctx, "overdue_open_count", inv.overdue_open_count, "int"),
        kf(ctx, "overdue_never_reminded_count", inv.overdue_never_reminded_count, "int"),
        kf(ctx, "overdue_never_reminded_amount", inv.overdue_never_reminded_amount, "amount",
           ctx.t("remark.share_of_overdue", share=fmt_share(inv.overdue_never_reminded_amount_share, lang))),
    ]


def _missing(ctx: Context, code: str) -> str | None:
    """The note shown instead of a table when the data lacks what it needs."""
    return ctx.t(f"missing.{code}") if code in ctx.report.sections[KEY].missing else None


def build(ctx: Context) -> SheetLayout:
    inv, lang = ctx.report.sections[KEY], ctx.lang
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx))
    b.gap()

    top = b.row
    bins = frame_table(ctx, b, "lag_bins", inv.lag_bins, COLUMNS["lag_bins"], sums=("count", "amount", "share"),
                       empty=_missing(ctx, "delivery_date"))
    if bins is not None:
        b.chart_beside(bins, Chart(
            "lag_bins", "column", ctx.t("chart.lag_bins"), column_ref(b, bins, "bin"),
            (Series(ctx.t("series.invoices"), column_ref(b, bins, "count"), color="#2E75B6", labels=True),),
            0, 0, 560, 300, x_title=ctx.t("axis.lag_days"), y_format="int", legend="none"), top=top)
    target = float(inv.lag_target_days)
    frame_table(ctx, b, "lag_clients", inv.lag_clients, COLUMNS["lag_clients"], cond=(
        CondFormat("legal_late_count", ">", 0, "status_red"), CondFormat("late_count", ">", 0, "status_orange"),
        CondFormat("avg_lag_days", ">", target, "status_orange")), empty=_missing(ctx, "delivery_date"))

    for name in ("numbering_series", "gap_ranges", "duplicates", "out_of_order", "unparsed"):
        frame = getattr(inv, name)
        if name in ("out_of_order", "unparsed") and (frame is None or frame.empty):
            continue  # nothing to report: the key figures already say 0
        cond = (CondFormat("missing", ">", 0, "status_orange"), CondFormat("duplicates", ">", 0, "status_orange")) \
            if name == "numbering_series" else ()
        frame_table(ctx, b, name, frame, COLUMNS[name], cond=cond)

    frame_table(ctx, b, "dispute_reasons", inv.dispute_reasons, COLUMNS["dispute_reasons"],
                sums=("count", "amount", "open_count", "open_amount"), empty=_missing(ctx, "disputed"))
    frame_table(ctx, b, "disputed_invoices", inv.disputed_invoices, COLUMNS["disputed_invoices"], cond=(
        CondFormat("age_days", ">", 90.0, "status_red"), CondFormat("open_amount", ">", 0.004, "status_orange")),
        empty=_missing(ctx, "disputed"))

    top = b.row
    esc = frame_table(ctx, b, "escalation", inv.escalation, COLUMNS["escalation"],
                      sums=("count", "amount", "open_amount", "share"), empty=_missing(ctx, "reminders"))
    if esc is not None:
        b.chart_beside(esc, Chart(
            "escalation", "column", ctx.t("chart.escalation"), column_ref(b, esc, "stage"),
            (Series(ctx.t("series.invoices"), column_ref(b, esc, "count"), color="#ED7D31", labels=True),),
            0, 0, 520, 280, y_format="int", legend="none"), top=top)
    reminder_target = float(inv.first_reminder_target_days)
    frame_table(ctx, b, "never_reminded", inv.never_reminded, COLUMNS["never_reminded"], cond=(
        CondFormat("days_past_due", ">", reminder_target, "status_red"),), empty=_missing(ctx, "reminders"))
    frame_table(ctx, b, "reminded_invoices", inv.reminded_invoices, COLUMNS["reminded_invoices"], cond=(
        CondFormat("days_to_first", ">", reminder_target, "status_orange"),), empty=_missing(ctx, "reminders"))
    return b.build()
