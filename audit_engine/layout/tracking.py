"""The action plan as a tracking table the accountant keeps up between audits (pure functions).

The ``5. Plan d'action`` sheet holds one row per action with the audit's columns (priority, step, client,
action, amounts), the user's columns (**Responsable, Échéance, Statut, Commentaire**), the audit's
follow-up note, the date the action was first detected and its stable **key** (section:rule:client).

On a re-run, :func:`read_tracking` parses the previous sheet's cells (as any reader returns them:
python-calamine rows, openpyxl values, xlwings ``.value``) and :func:`merge_tracking` merges them with the
new :class:`~audit_engine.sections.actions.ActionPlan`:

1. an action produced again keeps what the user typed (the user columns and any column the user added to
   the table), matched by key; its audit columns are refreshed;
2. a new action is added, noted "Nouvelle" (New) when a previous sheet existed;
3. an action no longer produced is kept, with its previous text and amounts, noted "Plus détectée" (No
   longer detected); its Statut becomes "Clôturée par l'audit" (Closed by the audit) unless the user had
   set a status, which is kept;
4. an action closed by the audit that comes back is reopened (status emptied, noted "Détectée à
   nouveau"); if the user had set a status, it is kept;
5. rows without a key (typed by the user) or repeating a key are kept as they are, at the end.

So nothing the user wrote is lost: every previous row, user column and extra column is in the result.
The audit columns of a live action are the audit's: type in the user columns.

>>> from audit_engine.sections.actions import Action, ActionPlan
>>> plan = ActionPlan((Action("1:old_invoices:C7", 1, 1, "old_invoices", "C7", "Dupont", "Relancer", 1800.0, 1800.0),))
>>> rows = [["Priorité", "Étape", "Action", "Responsable", "Statut", "Clé"],
...         [2, 4, "Ramener le DSO", "Marie", "En cours", "4:dso_above_target:*"],
...         [1, 1, "Relancer", "Paul", None, "1:old_invoices:C7"]]
>>> merged = merge_tracking(read_tracking(rows), plan, dt.date(2026, 1, 31))
>>> [(r["key"], r["owner"], r["status"], r["audit_note"]) for r in merged]
[('1:old_invoices:C7', 'Paul', None, None), ('4:dso_above_target:*', 'Marie', 'En cours', 'Plus détectée')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..schema import normalize_header
from ..sections.actions import Action, ActionPlan
from .model import col_letter


@dataclass(frozen=True)
class TrackingColumn:
    key: str
    fr: str
    en: str
    style: str  # a layout value style
    user: bool = False

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


TRACKING_COLUMNS: tuple[TrackingColumn, ...] = (
    TrackingColumn("priority", "Priorité", "Priority", "center"),
    TrackingColumn("section", "Étape", "Section", "center"),
    TrackingColumn("client_id", "Code client", "Client code", "text"),
    TrackingColumn("client_name", "Client", "Client", "text"),
    TrackingColumn("action", "Action", "Action", "wrap"),
    TrackingColumn("amount", "Montant en jeu", "Amount at stake", "amount"),
    TrackingColumn("cash_impact", "Impact trésorerie", "Cash impact", "amount"),
    TrackingColumn("owner", "Responsable", "Owner", "text", user=True),
    TrackingColumn("due", "Échéance", "Due date", "date", user=True),
    TrackingColumn("status", "Statut", "Status", "text", user=True),
    TrackingColumn("comment", "Commentaire", "Comment", "wrap", user=True),
    TrackingColumn("audit_note", "Suivi de l'audit", "Audit follow-up", "text"),
    TrackingColumn("first_seen", "Détectée le", "First detected", "date"),
    TrackingColumn("key", "Clé", "Key", "text"),
)
USER_KEYS = tuple(c.key for c in TRACKING_COLUMNS if c.user)
AUDIT_KEYS = ("priority", "section", "client_id", "client_name", "action", "amount", "cash_impact")
CLOSED_BY_AUDIT = {"fr": "Clôturée par l'audit", "en": "Closed by the audit"}
STATUS_CHOICES = {"fr": ("À faire", "En cours", "Fait", "Abandonnée", CLOSED_BY_AUDIT["fr"]),
                  "en": ("To do", "In progress", "Done", "Dropped", CLOSED_BY_AUDIT["en"])}
NOTES = {"new": {"fr": "Nouvelle", "en": "New"}, "gone": {"fr": "Plus détectée", "en": "No longer detected"},
         "back": {"fr": "Détectée à nouveau", "en": "Detected again"}}
MANUAL = "manual:"  # pseudo-key of a row without a key (or repeating one) in read_tracking's result

_HEADERS = {normalize_header(h): c.key for c in TRACKING_COLUMNS for h in (c.fr, c.en, c.key)}
_STYLE = {c.key: c.style for c in TRACKING_COLUMNS}
_CLOSED = {normalize_header(v) for v in CLOSED_BY_AUDIT.values()}
_GONE = {normalize_header(x) for x in NOTES["gone"].values()}
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_FR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date(v: Any) -> Any:
    """A date cell as read by any reader: datetime, date, Excel serial number or text; else unchanged."""
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 1 <= v < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(v))
    if isinstance(v, str):
        m = _FR_DATE.match(v.strip())
        try:
            if m:
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            return dt.date.fromisoformat(v.strip()[:10])
        except ValueError:
            return v
    return v


def _clean(v: Any, style: str | None) -> Any:
    if isinstance(v, str):
        v = v.strip()
        if not v:
            return None
    if v is None or (isinstance(v, float) and v != v):
        return None
    if style == "date":
        return _date(v)
    if style in ("int", "center") and isinstance(v, (float, str)):
        try:
            f = float(v)
            return int(f) if f.is_integer() else v
        except ValueError:
            return v
    if isinstance(v, dt.datetime):
        return v.date()
    return v


def _find_header(rows: Sequence[Sequence[Any]]) -> int | None:
    for i, row in enumerate(rows):
        keys = {_HEADERS.get(normalize_header(v)) for v in row if isinstance(v, str)}
        if {"key", "status"} <= keys:
            return i
    return None


def read_tracking(rows: Sequence[Sequence[Any]]) -> dict[str, dict[str, Any]]:
    """The tracking rows of a previous ``5. Plan d'action`` sheet, by action key.

    ``rows``: the sheet's cell values, row by row. The header row is the first one holding the key and
    status headers (French or English); each row below with any value becomes a dict of the
    :data:`TRACKING_COLUMNS` keys plus ``extra`` (columns the user added, by header). A row without a key,
    or repeating a key, is kept under a pseudo-key ``manual:<n>`` with ``manual: True``.
    """
    at = _find_header(rows)
    if at is None:
        return {}
    known: dict[int, str] = {}
    extra: dict[int, str] = {}
    for j, h in enumerate(rows[at]):
        key = _HEADERS.get(normalize_header(h)) if isinstance(h, str) else None
        if key is not None and key not in known.values():
            known[j] = key
        elif h not in (None, ""):
            extra[j] = str(h).strip()
    out: dict[str, dict[str, Any]] = {}
    manual = 0
    for row in rows[at + 1:]:
        values: dict[str, Any] = dict.fromkeys(_STYLE)
        added: dict[str, Any] = {}
        for j, v in enumerate(row):
            if j in known:
                values[known[j]] = _clean(v, _STYLE[known[j]])
            else:
                v = _clean(v, None)
                if v is not None:
                    added[extra.get(j) or _column_name(j)] = v
        if all(v is None for v in values.values()) and not added:
            continue
        values["extra"] = added
        key = values["key"] = None if values["key"] is None else str(values["key"])
        if key is None or key in out:
            manual += 1
            out[f"{MANUAL}{manual}"] = {**values, "manual": True}
        else:
            out[key] = values
    return out


def _column_name(j: int) -> str:
    return col_letter(j)


def is_closed_by_audit(status: Any) -> bool:
    return isinstance(status, str) and normalize_header(status) in _CLOSED


def _audit_values(a: Action) -> dict[str, Any]:
    return {"priority": a.priority, "section": a.section, "client_id": a.client_id, "client_name": a.client_name,
            "action": a.action, "amount": a.amount, "cash_impact": a.cash_impact}


def merge_tracking(previous: Mapping[str, Mapping[str, Any]] | None, plan: ActionPlan, as_of: dt.date,
                   lang: str = "fr") -> list[dict[str, Any]]:
    """Rows of the new tracking table (dicts keyed like :data:`TRACKING_COLUMNS`, plus ``extra``): the
    plan's actions in its order, then the previous actions no longer produced, then the manual rows.
    ``previous=None`` means no previous sheet (a first run): no row is noted "new"."""
    lang = "en" if lang == "en" else "fr"
    prev = dict(previous or {})
    rows: list[dict[str, Any]] = []
    produced = set()
    for a in plan.actions:
        produced.add(a.key)
        p = prev.get(a.key) or {}
        row: dict[str, Any] = {**_audit_values(a), **{k: p.get(k) for k in USER_KEYS}}
        row.update(key=a.key, first_seen=p.get("first_seen") or as_of, extra=dict(p.get("extra") or {}),
                   audit_note=None)
        if previous is not None and not p:
            row["audit_note"] = NOTES["new"][lang]
        elif p and (is_closed_by_audit(p.get("status")) or _was_gone(p.get("audit_note"))):
            row["audit_note"] = NOTES["back"][lang]
            if is_closed_by_audit(p.get("status")):
                row["status"] = None
        rows.append(row)
    manual = []
    for key, p in prev.items():
        if p.get("manual"):
            manual.append({**{c.key: p.get(c.key) for c in TRACKING_COLUMNS}, "extra": dict(p.get("extra") or {})})
            continue
        if key in produced:
            continue
        row = {c.key: p.get(c.key) for c in TRACKING_COLUMNS}
        row.update(key=key, extra=dict(p.get("extra") or {}), audit_note=NOTES["gone"][lang])
        if not row["status"] or is_closed_by_audit(row["status"]):
            row["status"] = CLOSED_BY_AUDIT[lang]
        rows.append(row)
    return rows + manual


def _was_gone(note: Any) -> bool:
    return isinstance(note, str) and normalize_header(note) in _GONE


def extra_headers(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The user's extra columns, in order of first appearance."""
    seen: dict[str, None] = {}
    for r in rows:
        for h in r.get("extra") or {}:
            seen.setdefault(h, None)
    return list(seen)
