"""Section 5, action plan: the observations of sections 1-4 as prioritised, concrete actions.

Each observation becomes one action: the action in plain words (from ``locale/actions.py``), its
priority (1 = this week, 2 = this month, 3 = this quarter), the client, the amount at stake and the
cash impact where it can be estimated. Actions are sorted by priority, then cash impact, then amount.
``key`` (section:rule:client) is stable across runs, so the Excel tracking table can carry the user's
follow-up columns over to the same action.

>>> from audit_engine.sections.base import Observation
>>> obs = [Observation(4, "dso_above_target", None, cash_impact=25000.0, severity=2,
...                    params={"dso": 62.0, "target": 45.0}),
...        Observation(1, "old_invoices", "C7", amount=1800.0, count=2, cash_impact=1800.0, severity=1,
...                    params={"days": 90})]
>>> plan = plan_actions(obs, {"C7": "Dupont SARL"}, lang="en")
>>> [(a.priority, a.section, a.client_id, a.cash_impact) for a in plan.actions]
[(1, 1, 'C7', 1800.0), (2, 4, None, 25000.0)]
>>> plan.actions[0].action
'Dupont SARL: recover 2 invoice(s) more than 90 days past due (EUR 1,800.00) — formal notice, then injunction to pay; consider a provision for doubtful debt.'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..formatting import fmt_amount, fmt_days, fmt_int, fmt_share
from ..i18n import has, t
from .base import ColumnSpec, Observation, amount

RULE_RANK = {  # tie-break inside a priority: the rules that bring cash first
    "stop_delivery": 0, "block_client": 1, "old_invoices": 2, "invoiced_while_overdue": 3,
    "credit_limit_exceeded": 4, "claim_penalties": 5, "never_reminded": 6, "disputes": 7,
    "chronic_late_payer": 8, "risk_priority": 9, "dso_above_target": 10, "terms_over_legal": 11,
    "deposit_candidate": 12, "shorten_terms": 13, "late_first_reminder": 14, "late_invoicing": 15,
    "numbering_gaps": 16, "duplicate_numbers": 17, "concentration": 18, "terms_not_uniform": 19,
}


@dataclass(frozen=True)
class Action:
    key: str
    priority: int
    section: int
    rule: str
    client_id: str | None
    client_name: str | None
    action: str
    amount: float | None
    cash_impact: float | None

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "priority": self.priority, "section": self.section, "rule": self.rule,
                "client_id": self.client_id, "client_name": self.client_name, "action": self.action,
                "amount": amount(self.amount), "cash_impact": amount(self.cash_impact)}


@dataclass(frozen=True)
class ActionPlan:
    actions: tuple[Action, ...]

    COLUMNS = {
        "actions": (
            ColumnSpec("priority", "Priorité", "Priority", "int"),
            ColumnSpec("section", "Étape", "Section", "int"),
            ColumnSpec("client_id", "Code client", "Client code", "text"),
            ColumnSpec("client_name", "Client", "Client", "text"),
            ColumnSpec("action", "Action", "Action", "text"),
            ColumnSpec("amount", "Montant en jeu", "Amount at stake", "amount"),
            ColumnSpec("cash_impact", "Impact trésorerie", "Cash impact", "amount"),
            ColumnSpec("key", "Clé", "Key", "text"),
        ),
    }

    @property
    def total_cash_impact(self) -> float:
        return float(sum(a.cash_impact or 0.0 for a in self.actions))

    def table(self) -> pd.DataFrame:
        cols = [c.key for c in self.COLUMNS["actions"]]
        return pd.DataFrame([{c: getattr(a, c) for c in cols} for a in self.actions], columns=cols)

    def to_list(self) -> list[dict[str, Any]]:
        return [a.to_dict() for a in self.actions]


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return "…"


def _text(obs: Observation, client_name: str | None, lang: str) -> str:
    params = _Params()
    for k, v in obs.params.items():
        params[k] = _fmt_param(k, v, lang)
    params.update({
        "client": client_name or obs.client_id or "",
        "amount": fmt_amount(obs.amount, lang),
        "count": fmt_int(obs.count, lang),
        "cash": fmt_amount(obs.cash_impact, lang),
    })
    code = f"action.{obs.rule}"
    template = t(code, lang) if has(code) else t("action.generic", lang)
    text = template.format_map(params)
    return " ".join(text.split())


def _fmt_param(key: str, value: Any, lang: str) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, (int, float)):
        if key.endswith("share") or key in ("share",):
            return fmt_share(float(value), lang)
        if key in ("dso", "target", "gap", "terms", "days_late", "avg_days") or key.endswith("_days"):
            return fmt_days(float(value), lang)
        if key in ("excess", "limit", "outstanding", "overdue", "penalties", "indemnities") or \
                key.endswith("_amount"):
            return fmt_amount(float(value), lang)
        return fmt_int(float(value), lang) if float(value).is_integer() else f"{value:.1f}"
    return str(value)


def plan_actions(observations: Iterable[Observation], client_names: Mapping[str, str],
                 lang: str = "fr") -> ActionPlan:
    """One action per observation, most urgent first."""
    actions = []
    for obs in observations:
        name = client_names.get(obs.client_id) if obs.client_id else None
        priority = min(3, max(1, int(obs.severity)))
        actions.append(Action(obs.key, priority, obs.section, obs.rule, obs.client_id, name,
                              _text(obs, name, lang), obs.amount, obs.cash_impact))
    actions.sort(key=lambda a: (a.priority, -(a.cash_impact or 0.0), RULE_RANK.get(a.rule, 99),
                                -(a.amount or 0.0), a.key))
    return ActionPlan(tuple(actions))
