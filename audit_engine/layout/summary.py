"""The ``Synthèse`` (Summary) sheet: key figures with their status against ``Paramètres`` and the Banque
de France reference beside them, one verdict line per section with a link to its sheet, and the FEC
reconciliation when the source had a ledger balance.

Columns: B indicator, C value, D status, E threshold or target, F national reference, G its source.

>>> # layout = build_layout(report); s = layout.sheet("summary")
>>> # s.cells("key_figures").value("dso_simple") == round(report.sections["delays"].dso_simple, 2)
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ..formatting import fmt_amount, fmt_days, fmt_int, fmt_share
from .builder import SheetBuilder, header
from .common import Context, scalar
from .model import SheetLayout, Value
from .names import SECTION_SHEETS, TAB_COLORS, TABLE_PREFIX
from .status import (
    BDF_DAYS_LATE,
    BDF_DSO_DAYS,
    BDF_ON_TIME_SHARE,
    ORANGE,
    RED,
    status_count,
    status_days_late,
    status_difference,
    status_dso,
    status_share_above,
    status_target,
    worst,
)

KEY = "summary"


def _status_cell(ctx: Context, status: str | None) -> tuple[Value, str]:
    return (None, "") if status is None else (ctx.t(f"status.{status}"), f"status_{status}")


def key_figure_rows(ctx: Context) -> list[tuple[str, Value, str, str | None, str | None, Value, str | None]]:
    """(key, value, style, status, threshold text, reference value, reference source) per key figure."""
    r, s, lang = ctx.report, ctx.report.settings, ctx.lang
    rec, inv, te, de = (r.sections[k] for k in ("receivables", "invoicing", "terms", "delays"))
    edges = tuple(rec.params.get("rating_edges", s.rating_edges))
    target = de.dso_target_days
    dso_rule = None if target is None else ctx.t(f"rule.dso_{de.dso_target_source}", target=fmt_days(target, lang),
                                                  tolerance=fmt_days(s.dso_alert_days, lang))
    claimable = (de.penalties_claimable or 0.0) + (de.fixed_indemnities_claimable or 0.0)
    bdf = ctx.t("ref.bdf_dso"), ctx.t("ref.bdf_late"), ctx.t("ref.bdf_on_time", share=fmt_share(BDF_ON_TIME_SHARE, lang))
    return [
        ("outstanding", rec.outstanding, "amount", None, None, None, None),
        ("overdue", rec.overdue, "amount", None, None, None, None),
        ("overdue_share", rec.overdue_share, "share", status_share_above(rec.overdue_share, s.overdue_alert_share),
         ctx.t("rule.overdue_share", share=fmt_share(s.overdue_alert_share, lang)), None, None),
        ("dso_simple", de.dso_simple, "days", status_dso(de.dso_simple, target, s.dso_alert_days), dso_rule,
         BDF_DSO_DAYS, bdf[0]),
        ("dso_countback", de.dso_countback, "days", status_dso(de.dso_countback, target, s.dso_alert_days), dso_rule,
         None, None),
        ("best_possible_dso", de.best_possible_dso, "days", None, None, None, None),
        ("weighted_days_late", de.weighted_days_late, "days", status_days_late(de.weighted_days_late, edges),
         ctx.t("rule.days_late", b=fmt_days(edges[1], lang), c=fmt_days(edges[2], lang)), BDF_DAYS_LATE, bdf[1]),
        ("late_share", rec.late_share, "share", None, None, 1.0 - BDF_ON_TIME_SHARE, bdf[2]),
        ("top3_share", rec.top3_share, "share", status_share_above(rec.top3_share, s.concentration_alert, True),
         ctx.t("rule.concentration", share=fmt_share(s.concentration_alert, lang)), None, None),
        ("old_invoices_amount", rec.old_invoices_amount, "amount", status_count(rec.old_invoices_count),
         ctx.t("rule.old_invoices", count=fmt_int(rec.old_invoices_count, lang), days=s.old_invoice_days), None, None),
        ("avg_invoice_lag_days", inv.avg_invoice_lag_days, "days",
         status_target(inv.avg_invoice_lag_days, s.invoice_lag_target_days),
         ctx.t("rule.target", target=fmt_days(s.invoice_lag_target_days, lang)), None, None),
        ("avg_days_due_to_first_reminder", inv.avg_days_due_to_first_reminder, "days",
         status_target(inv.avg_days_due_to_first_reminder, s.first_reminder_target_days),
         ctx.t("rule.target", target=fmt_days(s.first_reminder_target_days, lang)), None, None),
        ("overdue_never_reminded_share", inv.overdue_never_reminded_share, "share", None, None, None, None),
        ("over_legal_max", te.over_legal_max, "int", status_count(te.over_legal_max, RED), ctx.t("rule.legal"),
         None, None),
        ("credit_limit_exceeded", te.credit_limit_exceeded, "int", status_count(te.credit_limit_exceeded), None,
         None, None),
        ("claimable", claimable, "amount", None, None, None, None),
        ("cash_impact", r.actions.total_cash_impact, "amount", None, ctx.t("rule.cash_impact"), None, None),
    ]


def _verdicts(ctx: Context) -> list[tuple[str, str | None, str]]:
    """(sheet key, status, one-line verdict) per section sheet and the data quality."""
    r, s, lang = ctx.report, ctx.report.settings, ctx.lang
    rec, inv, te, de = (r.sections[k] for k in ("receivables", "invoicing", "terms", "delays"))
    def a(x: float | None) -> str:
        return fmt_amount(x, lang, 0)

    def d(x: float | None) -> str:
        return fmt_days(x, lang)

    def sh(x: float | None) -> str:
        return fmt_share(x, lang)

    def n(x: float | None) -> str:
        return fmt_int(x, lang)

    def signed(x: float | None) -> str:
        return "–" if x is None else ("+" if x > 0 else "") + d(x)

    rows = {kf[0]: kf for kf in key_figure_rows(ctx)}
    st = {k: v[3] for k, v in rows.items()}
    gap = None if de.dso_simple is None or de.dso_target_days is None else de.dso_simple - de.dso_target_days
    numbering = status_count((inv.numbering_gaps or 0) + (inv.duplicate_numbers or 0))
    actions = r.actions.actions
    p1 = sum(1 for x in actions if x.priority == 1)
    sev = Counter(f.severity for f in r.findings)
    return [
        ("receivables", worst(st["overdue_share"], st["top3_share"], st["old_invoices_amount"]),
         ctx.t("verdict.receivables", outstanding=a(rec.outstanding), overdue_share=sh(rec.overdue_share),
               old_count=n(rec.old_invoices_count), old_days=s.old_invoice_days, old_amount=a(rec.old_invoices_amount),
               top3=sh(rec.top3_share))),
        ("invoicing", worst(st["avg_invoice_lag_days"], st["avg_days_due_to_first_reminder"], numbering),
         ctx.t("verdict.invoicing", lag=d(inv.avg_invoice_lag_days), target=d(s.invoice_lag_target_days),
               gaps=n(inv.numbering_gaps), dups=n(inv.duplicate_numbers),
               never=sh(inv.overdue_never_reminded_share), disputed=a(inv.disputed_amount))),
        ("terms", worst(st["over_legal_max"], st["credit_limit_exceeded"]),
         ctx.t("verdict.terms", terms=d(te.weighted_terms_days), paid=d(te.weighted_days_to_pay),
               gap=signed(te.payment_gap_days), over_legal=n(te.over_legal_max), limits=n(te.credit_limit_exceeded),
               block=n(te.clients_to_block_count))),
        ("delays", worst(st["dso_simple"], st["weighted_days_late"]),
         ctx.t("verdict.delays", dso=d(de.dso_simple), target=d(de.dso_target_days), gap=signed(gap),
               late=d(de.weighted_days_late), claimable=a(rows["claimable"][1]))),
        ("actions", RED if p1 else ORANGE if actions else "green",
         ctx.t("verdict.actions", count=n(len(actions)), p1=n(p1), cash=a(r.actions.total_cash_impact))),
        ("quality", ORANGE if sev.get("error") or sev.get("warning") else "green",
         ctx.t("verdict.quality", errors=n(sev.get("error", 0)), warnings=n(sev.get("warning", 0)),
               infos=n(sev.get("info", 0)), count=n(r.summary.get("count")))),
    ]


def build(ctx: Context) -> SheetLayout:
    b = SheetBuilder(ctx.names[KEY], KEY, TAB_COLORS[KEY], ctx.lang, TABLE_PREFIX[KEY])
    header(ctx, b, KEY, back=False, span=1)
    b.fix_width(1, 46.0)
    b.fix_width(4, 50.0)
    # key figures
    b.text(ctx.t("summary.key_figures"), "subtitle")
    head = [ctx.t(f"summary.col.{c}") for c in ("indicator", "value", "status", "threshold", "reference", "source")]
    values: list[list[Value]] = [list(head)]
    styles: list[list[str]] = [["header"] * 6]
    keys: list[str | None] = [None]
    for key, value, style, status, rule, ref, source in key_figure_rows(ctx):
        cell, cell_style = _status_cell(ctx, status)
        values.append([ctx.t(f"kpi.{key}"), scalar(value, style), cell, rule, ref, source])
        styles.append(["label", style, cell_style, "note", style if ref is not None else "", "note"])
        keys.append(key)
    b.cells(values, styles, "key_figures", keys, size_from=1)
    b.gap()
    # verdicts, with a link to each sheet
    b.text(ctx.t("summary.verdicts"), "subtitle")
    top = b.row
    verdicts = _verdicts(ctx)
    for i, (key, _, _) in enumerate(verdicts):
        b.row = top + i
        b.link(ctx.names[key], ctx.names[key])
    b.row = top
    b.cells([[_status_cell(ctx, st)[0], text] for _, st, text in verdicts],
            [[_status_cell(ctx, st)[1], "text"] for _, st, _ in verdicts], "verdicts", [k for k, *_ in verdicts],
            col=2, size_from=99)
    b.gap()
    if ctx.report.reconciliation:
        _reconciliation(ctx, b, ctx.report.reconciliation)
    b.text(ctx.t("summary.legend"), "note")
    b.text(ctx.t("summary.bdf_note"), "note")
    return b.build()


def _reconciliation(ctx: Context, b: SheetBuilder, rec: dict[str, Any]) -> None:
    b.text(ctx.t("summary.reconciliation"), "subtitle")
    rows = []
    for key in ("ledger_balance", "open_invoices", "unapplied_credits", "difference"):
        status = status_difference(rec.get(key)) if key == "difference" else None
        cell, cell_style = _status_cell(ctx, status)
        rows.append((key, [ctx.t(f"rec.{key}"), scalar(rec.get(key), "amount"), cell],
                     ["label", "amount", cell_style]))
    b.cells([r[1] for r in rows], [r[2] for r in rows], "reconciliation", [r[0] for r in rows], size_from=1)
    b.text(ctx.t("summary.reconciliation_note"), "note")
    b.gap()


__all__ = ["KEY", "SECTION_SHEETS", "build", "key_figure_rows"]
