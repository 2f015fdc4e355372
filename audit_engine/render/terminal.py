"""Terminal rendering with rich: the key figures of each section, the first actions, data quality.

Reads only the report's JSON view (``report.to_dict()``), so what the terminal shows is exactly what
the JSON says.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..formatting import fmt_amount, fmt_days, fmt_int, fmt_share
from ..i18n import t

STEPS = ("read", "ingest", "receivables", "invoicing", "terms", "delays", "actions")


@contextlib.contextmanager
def progress_for(enabled: bool, lang: str) -> Iterator[Callable[[str], None] | None]:
    """A progress callback showing the audit's steps on stderr (a no-op when disabled)."""
    if not enabled:
        yield None
        return
    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task(t("step.read", lang), total=len(STEPS))
        done: list[str] = []

        def step(name: str) -> None:
            if done:
                bar.advance(task)
            done.append(name)
            bar.update(task, description=t(f"step.{name}", lang))

        yield step
        bar.update(task, completed=len(STEPS))


def _get(d: dict[str, Any], *path: str) -> Any:
    for p in path:
        if not isinstance(d, dict):
            return None
        d = d.get(p)  # type: ignore[assignment]
    return d


def render_summary(report: Any, console: Console | None = None) -> None:
    data = report.to_dict()
    lang = data["lang"]
    console = console or Console()
    console.rule(f"[bold]{t('term.title', lang)}")
    console.print(t("term.header", lang, source=data["source"], as_of=data["as_of"],
                    start=data["period_start"], end=data["period_end"]))
    inv = data["invoices"]
    console.print(t("term.invoices", lang, count=fmt_int(inv["count"], lang),
                    credit=fmt_int(inv["credit_note_count"], lang), clients=fmt_int(inv["clients"], lang),
                    open=fmt_int(inv["open_count"], lang)))

    table = Table(show_header=True, header_style="bold")
    table.add_column(t("term.kpi", lang))
    table.add_column(t("term.value", lang), justify="right")
    r, i, te, d = data["receivables"], data["invoicing"], data["terms"], data["delays"]
    rows = [
        ("term.outstanding", fmt_amount(r.get("outstanding"), lang)),
        ("term.overdue", fmt_amount(r.get("overdue"), lang)),
        ("term.top3", fmt_share(_get(r, "concentration", "top3_share"), lang)),
        ("term.dso_simple", fmt_days(d.get("dso_simple"), lang)),
        ("term.dso_countback", fmt_days(d.get("dso_countback"), lang)),
        ("term.bpdso", fmt_days(d.get("best_possible_dso"), lang)),
        ("term.add", fmt_days(d.get("average_days_delinquent"), lang)),
        ("term.cei", fmt_share(None if d.get("cei") is None else d["cei"] / 100, lang)),
        ("term.terms", fmt_days(te.get("weighted_terms_days"), lang)),
        ("term.days_late", fmt_days(d.get("weighted_days_late"), lang)),
        ("term.lag", fmt_days(i.get("avg_invoice_lag_days"), lang)),
        ("term.gaps", fmt_int(i.get("numbering_gaps"), lang)),
        ("term.disputed", fmt_amount(i.get("disputed_amount"), lang)),
        ("term.never_reminded", fmt_share(i.get("overdue_never_reminded_share"), lang)),
        ("term.over_legal", fmt_int(te.get("over_legal_max"), lang)),
        ("term.limit", fmt_int(te.get("credit_limit_exceeded"), lang)),
        ("term.penalties", fmt_amount((d.get("penalties_claimable") or 0) + (d.get("fixed_indemnities_claimable") or 0),
                                      lang)),
    ]
    for code, value in rows:
        table.add_row(t(code, lang), value)
    console.print(table)

    aging = r.get("aging") or []
    if aging:
        ag = Table(title=t("term.aging", lang), show_header=True, header_style="bold")
        for b in aging:
            label = t("term.not_due", lang) if b["bucket"] == "not_due" else str(b["bucket"])
            ag.add_column(label, justify="right")
        ag.add_row(*[fmt_amount(b["amount"], lang, 0) for b in aging])
        console.print(ag)

    actions = data["actions"]
    if actions:
        n = min(10, len(actions))
        at = Table(title=t("term.actions", lang, n=n, total=len(actions)), show_header=True, header_style="bold")
        at.add_column(t("term.priority", lang), justify="center")
        at.add_column(t("term.action", lang))
        at.add_column(t("term.cash", lang), justify="right")
        for a in actions[:n]:
            at.add_row(str(a["priority"]), a["action"], fmt_amount(a["cash_impact"], lang, 0))
        console.print(at)

    rec = data.get("reconciliation")
    if rec:
        console.print(t("term.reconciliation", lang, balance=fmt_amount(rec["ledger_balance"], lang),
                        open=fmt_amount(rec["open_invoices"], lang), credits=fmt_amount(rec["unapplied_credits"], lang),
                        difference=fmt_amount(rec["difference"], lang)))
    counts = Counter(f["severity"] for f in data["data_quality"])
    console.print(t("term.quality", lang, error=counts.get("error", 0), warning=counts.get("warning", 0),
                    info=counts.get("info", 0)))
