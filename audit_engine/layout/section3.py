"""Sheet ``3. Conditions de paiement`` (Payment terms): terms granted, the legal maximum, credit limits,
clients to put on deposit, shorter terms or block.

Blocks: header; key figures; outstanding by payment rating A-D (table + clustered columns outstanding /
overdue: the rating drives the deposit and blocking decisions of this step); terms granted against days
actually taken by the largest clients (a small table of the top 15 clients by amount invoiced, read by a
bar chart); the decision tables; terms per client.

>>> # s = build_layout(report).sheet("terms"); s.table("terms_vs_paid").column_values("weighted_days_to_pay")
"""

from __future__ import annotations

import pandas as pd

from ..formatting import fmt_amount, fmt_days
from ..sections.base import ColumnSpec
from ..sections.receivables import COLUMNS as RECEIVABLES_COLUMNS
from ..sections.terms import COLUMNS
from .builder import SheetBuilder, column_ref, frame_table, header
from .common import Context, KeyFigure, heading, kf, label_key
from .model import Chart, CondFormat, Series, SheetLayout
from .names import TAB_COLORS, TABLE_PREFIX

KEY = "terms"
TOP_CLIENTS = 15
VS_COLUMNS = (ColumnSpec("client_id", "Code client", "Client code", "text"),
              ColumnSpec("client_name", "Client", "Client", "text"),
              ColumnSpec("amount", "Montant facturé", "Amount invoiced", "amount"),
              ColumnSpec("weighted_terms_days", "Délai accordé (j)", "Terms granted (days)", "days"),
              ColumnSpec("weighted_days_to_pay", "Délai de paiement réel (j)", "Actual days to pay", "days"),
              ColumnSpec("payment_gap_days", "Écart (j)", "Gap (days)", "days"))


def _figures(ctx: Context) -> list[KeyFigure]:
    te, s, lang = ctx.report.sections[KEY], ctx.report.settings, ctx.lang
    legal = ctx.t("remark.legal_max", days=s.legal_max_days, eom=s.legal_max_eom_days)
    return [
        heading(ctx, "terms"),
        kf(ctx, "weighted_terms_days", te.weighted_terms_days, "days"),
        kf(ctx, "terms_basis_share", te.terms_basis_share, "share"),
        kf(ctx, "clients_not_uniform", te.clients_not_uniform, "int"),
        kf(ctx, "clients_master_mismatch", te.clients_master_mismatch, "int"),
        kf(ctx, "over_legal_max", te.over_legal_max, "int", legal),
        kf(ctx, "over_legal_master", te.over_legal_master, "int"),
        kf(ctx, "over_legal_invoice_count", te.over_legal_invoice_count, "int"),
        kf(ctx, "over_legal_amount", te.over_legal_amount, "amount"),
        heading(ctx, "paid"),
        kf(ctx, "weighted_days_to_pay", te.weighted_days_to_pay, "days"),
        kf(ctx, "weighted_terms_settled", te.weighted_terms_settled, "days"),
        kf(ctx, "payment_gap_days", te.payment_gap_days, "days"),
        heading(ctx, "decisions"),
        kf(ctx, "credit_limit_exceeded", te.credit_limit_exceeded, "int",
           ctx.t("remark.excess", amount=fmt_amount(te.credit_limit_excess, lang))),
        kf(ctx, "invoiced_while_overdue", te.invoiced_while_overdue, "int",
           ctx.t("remark.invoiced_while_overdue", days=fmt_days(s.overdue_block_days, lang),
                 amount=fmt_amount(te.invoiced_while_overdue_amount, lang))),
        kf(ctx, "deposit_candidate_count", te.deposit_candidate_count, "int"),
        kf(ctx, "clients_to_block_count", te.clients_to_block_count, "int"),
        kf(ctx, "shorten_terms_cash", te.shorten_terms_cash, "amount", ctx.t("remark.shorten_terms_cash")),
    ]


def _top_clients(te: object) -> pd.DataFrame:
    frame = getattr(te, "terms_by_client", None)
    if frame is None or frame.empty or "amount" not in frame or "weighted_days_to_pay" not in frame:
        return pd.DataFrame()
    top = frame[frame["amount"] > 0].sort_values(["amount", "client_id"], ascending=[False, True], kind="mergesort")
    return top.head(TOP_CLIENTS).reset_index(drop=True)


def build(ctx: Context) -> SheetLayout:
    te, rec, lang = ctx.report.sections[KEY], ctx.report.sections["receivables"], ctx.lang
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY)
    b.text(ctx.t("key_figures"), "subtitle")
    b.key_figures(_figures(ctx))
    b.gap()

    top = b.row
    rating = frame_table(ctx, b, "outstanding_by_rating", rec.outstanding_by_rating,
                         RECEIVABLES_COLUMNS["outstanding_by_rating"], drop=("rating",),
                         sums=("clients", "outstanding", "overdue"))
    if rating is not None:
        b.chart_beside(rating, Chart(
            "outstanding_by_rating", "column", ctx.t("chart.outstanding_by_rating"), column_ref(b, rating, label_key(lang)),
            (Series(ctx.t("kpi.outstanding"), column_ref(b, rating, "outstanding"), color="#2E75B6"),
             Series(ctx.t("kpi.overdue"), column_ref(b, rating, "overdue"), color="#C00000")),
            0, 0, 560, 300, y_format="amount"), top=top)

    top = b.row
    vs = frame_table(ctx, b, "terms_vs_paid", _top_clients(te), VS_COLUMNS,
                     cond=(CondFormat("payment_gap_days", ">", 0.0, "status_orange"),))
    if vs is not None:
        b.chart_beside(vs, Chart(
            "terms_vs_paid", "bar", ctx.t("chart.terms_vs_paid", n=len(vs.rows)), column_ref(b, vs, "client_name"),
            (Series(ctx.t("series.terms"), column_ref(b, vs, "weighted_terms_days"), color="#A5A5A5"),
             Series(ctx.t("series.paid"), column_ref(b, vs, "weighted_days_to_pay"), color="#C55A11")),
            0, 0, 620, max(300, 34 * len(vs.rows) + 80), y_format="days"), top=top)

    red = "status_red"
    frame_table(ctx, b, "over_legal_clients", te.over_legal_clients, COLUMNS["over_legal_clients"], cond=(
        CondFormat("over_legal_count", ">", 0, red), CondFormat("max_excess_days", ">", 0.0, red),
        CondFormat("master_over_legal", "==", ctx.t("yes"), red)))
    frame_table(ctx, b, "credit_limit_clients", te.credit_limit_clients, COLUMNS["credit_limit_clients"],
                cond=(CondFormat("excess", ">", 0.004, red),), empty=_missing(ctx, "credit_limit"))
    frame_table(ctx, b, "clients_to_block", te.clients_to_block, COLUMNS["clients_to_block"], cond=(
        CondFormat("overdue_over_block", ">", 0.004, red), CondFormat("rating", "==", "D", red)))
    frame_table(ctx, b, "deposit_candidates", te.deposit_candidates, COLUMNS["deposit_candidates"], cond=(
        CondFormat("rating", "==", "D", red), CondFormat("rating", "==", "C", "status_orange")))
    frame_table(ctx, b, "invoiced_while_overdue_clients", te.invoiced_while_overdue_clients,
                COLUMNS["invoiced_while_overdue_clients"],
                cond=(CondFormat("worst_days_overdue", ">", 60.0, red),), empty=_missing(ctx, "payment_dates"))
    frame_table(ctx, b, "shorten_terms_clients", te.shorten_terms_clients, COLUMNS["shorten_terms_clients"],
                sums=("amount", "cash_impact"))
    frame_table(ctx, b, "terms_by_client", te.terms_by_client, COLUMNS["terms_by_client"], cond=(
        CondFormat("over_legal_count", ">", 0, red), CondFormat("master_over_legal", "==", ctx.t("yes"), red),
        CondFormat("mismatch_count", ">", 0, "status_orange"), CondFormat("payment_gap_days", ">", 0.0, "status_orange"),
        CondFormat("uniform", "==", ctx.t("no"), "status_orange")))
    return b.build()


def _missing(ctx: Context, code: str) -> str | None:
    return ctx.t(f"missing.{code}") if code in ctx.report.sections[KEY].missing else None
