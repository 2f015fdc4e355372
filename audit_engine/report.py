"""The audit result: every section's result plus the facts of the run, computed once, rendered many
times (JSON here, terminal in :mod:`audit_engine.render`, Excel sheets in the workbook writers).

``AuditReport.to_dict()`` is the stable JSON documented in the README:

>>> # report = audit_engine.api.audit_path("factures.csv"); report.to_dict()["receivables"]["outstanding"]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from . import __version__
from .findings import Finding
from .ledger import Ledger, open_items
from .sections.actions import ActionPlan
from .sections.base import amount
from .settings import Settings


@dataclass(frozen=True)
class AuditReport:
    source: str
    settings: Settings
    as_of: dt.date
    period_start: dt.date
    period_end: dt.date
    summary: dict[str, Any]
    sections: dict[str, Any]  # "receivables", "invoicing", "terms", "delays" -> section results
    actions: ActionPlan
    findings: tuple[Finding, ...]
    reconciliation: dict[str, float] | None = None
    client_names: dict[str, str] = field(default_factory=dict)

    @property
    def lang(self) -> str:
        return self.settings.lang

    def section(self, number: int) -> Any:
        return self.sections[SECTION_KEYS[number - 1]] if number <= 4 else self.actions

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        lang = lang or self.lang
        out: dict[str, Any] = {
            "tool": "audit-poste-clients",
            "version": __version__,
            "source": self.source,
            "lang": lang,
            "as_of": self.as_of.isoformat(),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "invoices": self.summary,
        }
        for key in SECTION_KEYS:
            out[key] = self.sections[key].to_dict()
        out["actions"] = self.actions.to_list()
        if self.reconciliation is not None:
            out["reconciliation"] = self.reconciliation
        out["data_quality"] = [f.to_dict(lang) for f in self.findings]
        return out


SECTION_KEYS = ("receivables", "invoicing", "terms", "delays")


def invoice_summary(ledger: Ledger) -> dict[str, Any]:
    """Counts of the documents the audit used (dated on or before the as-of date)."""
    inv = ledger.invoices
    known = inv[inv["invoice_date"] <= ledger.as_of]
    period = known[known["invoice_date"] >= ledger.period_start]
    credit = known["amount"] < 0
    open_mask = known["open_amount"] > 0.004
    return {
        "count": int(len(known)),
        "total_amount": amount(known["amount"].sum()),
        "open_count": int(open_mask.sum()),
        "credit_note_count": int(credit.sum()),
        "period_count": int(len(period)),
        "period_amount": amount(period["amount"].sum()),
        "clients": int(known["client_id"].nunique()),
        "after_as_of_count": int(len(inv) - len(known)),
        "duplicates_excluded": int(len(ledger.duplicates)),
    }


def reconciliation(ledger: Ledger) -> dict[str, float] | None:
    """For sources that carry a ledger balance (FEC): does the audit's outstanding match it?

    open_invoices = positive open items; unapplied_credits = minus the negative ones (open credit
    notes and unapplied cash); difference = ledger_balance - (open_invoices - unapplied_credits).
    """
    if "ledger_balance" not in ledger.meta:
        return None
    items = open_items(ledger)
    positive = float(items.loc[items["open_amount"] > 0, "open_amount"].sum())
    credits = -float(items.loc[items["open_amount"] < 0, "open_amount"].sum())
    balance = float(ledger.meta["ledger_balance"])  # type: ignore[arg-type]
    if "ledger_movements" in ledger.meta:  # the as-of date may differ from the reader's (--as-of)
        from .fec.reconcile import ledger_balance

        balance = float(ledger_balance(ledger.meta["ledger_movements"], ledger.as_of))
    return {
        "ledger_balance": amount(balance),
        "open_invoices": amount(positive),
        "unapplied_credits": amount(credits),
        "difference": amount(round(balance - (positive - credits), 2)),
    }


def _date(ts: pd.Timestamp) -> dt.date:
    return pd.Timestamp(ts).date()
