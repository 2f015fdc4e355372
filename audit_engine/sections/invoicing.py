"""Section 2, "Facturation & relances": invoicing lag, late invoicing, numbering, disputes, dunning.

``compute(ledger, settings) -> InvoicingResult``. Populations: the lag KPIs use the invoices (amount
> 0) dated in the period that have a delivery date; disputes the period's invoices and the disputed
invoices open at the as-of date; dunning the invoices whose first reminder on or after the due date
falls in the period; numbering the whole ledger (:mod:`.numbering`). Data absent -> None and a code
in ``missing`` ("delivery_date", "disputed", "reminders", "payment_dates"), never a misleading 0.

Worked example, as of 2025-03-31 (period 2024-04-01..2025-03-31, 365 days), lag target 7 days:
F1 (1,000) delivered 1 Feb, invoiced 3 Feb: lag 2. F2 (3,000) delivered 10 Jan, invoiced 3 Feb: lag
24 > 7, and issued after the end of its delivery month (late under L441-9). Average lag (2 + 24) / 2
= 13 days; the cash F2's lateness tied up: 3,000 x (24 - 7) / 365 = 139.73. Both are due 5 March and
unpaid; F2 was first reminded on 12 March (7 days after the due date), F1 never.

>>> from audit_engine.ingest import ingest
>>> from audit_engine.io.raw import RawInput, RawTable
>>> f = RawTable.from_rows("invoices", "Factures", "x.xlsx", [
...     ["N° facture", "Code client", "Date facture", "Date livraison", "Date échéance", "Montant TTC"],
...     ["F1", "C1", "03/02/2025", "01/02/2025", "05/03/2025", 1000],
...     ["F2", "C2", "03/02/2025", "10/01/2025", "05/03/2025", 3000]])
>>> r = RawTable.from_rows("reminders", "Relances", "x.xlsx", [["N° facture", "Date relance"],
...                                                              ["F2", "12/03/2025"]])
>>> raw = RawInput("x.xlsx", {"invoices": f, "reminders": r})
>>> ledger, settings, _ = ingest(raw, as_of="2025-03-31")
>>> res = compute(ledger, settings)
>>> res.avg_invoice_lag_days, res.legal_late_count, round(res.late_invoicing_cash, 2)
(13.0, 1, 139.73)
>>> res.avg_days_due_to_first_reminder, res.overdue_never_reminded_share
(7.0, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..kpi import weighted_average_days
from ..ledger import DAY, Ledger, open_items, period_documents
from ..schema import normalize_header
from ..settings import Settings
from .base import ColumnSpec, Observation, amount, days, records, share
from .numbering import NumberingResult, analyse_numbering, factorize, lookup

SECTION = 2
LAG_BINS = ("<0", "0", "1-7", "8-15", "16-30", ">30")  # days from delivery to invoice
_LAG_EDGES = (0, 1, 8, 16, 31)
STAGES = ("reminder_1", "reminder_2", "reminder_3", "formal_notice")  # highest dunning step reached
JSON_ROWS = 500  # detail tables are cut to this many rows in the JSON (see "truncated")


def _specs(*rows: tuple[str, str, str, str]) -> tuple[ColumnSpec, ...]:
    return tuple(ColumnSpec(*r) for r in rows)


_INV = (("invoice_id", "N° facture", "Invoice number", "text"),
        ("client_id", "Code client", "Client code", "text"), ("client_name", "Client", "Client", "text"))
_AMT = ("amount", "Montant TTC", "Amount incl. VAT", "amount")
_OPEN = ("open_amount", "Reste dû", "Amount due", "amount")
_DUE = ("due_date", "Échéance", "Due date", "date")
_N = ("count", "Factures", "Invoices", "int")
_SHARE = ("share", "Part", "Share", "share")
_STAGE = ("stage", "Niveau atteint", "Highest step", "text")
_REASON = ("reason", "Motif", "Reason", "text")
COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "lag_bins": _specs(("bin", "Délai (jours)", "Lag (days)", "text"), _N, _AMT, _SHARE),
    "lag_clients": _specs(
        *_INV[1:], ("invoices", "Factures", "Invoices", "int"),
        ("avg_lag_days", "Délai moyen", "Average lag", "days"),
        ("max_lag_days", "Délai maximal", "Longest lag", "days"),
        ("late_count", "Hors cible", "Over target", "int"),
        ("late_share", "Part hors cible", "Share over target", "share"),
        ("late_amount", "Montant hors cible", "Amount over target", "amount"),
        ("legal_late_count", "Après la fin du mois", "After month end", "int"),
        ("legal_late_amount", "Montant après la fin du mois", "Amount after month end", "amount"),
        ("financed_amount", "Trésorerie immobilisée", "Cash tied up", "amount")),
    **NumberingResult.COLUMNS,
    "disputed_invoices": _specs(*_INV, ("invoice_date", "Date facture", "Invoice date", "date"), _DUE, _AMT,
                                _OPEN, _REASON, ("age_days", "Âge (jours)", "Age (days)", "days")),
    "dispute_reasons": _specs(_REASON, _N, _AMT, ("open_count", "Ouvertes", "Open", "int"), _OPEN),
    "escalation": _specs(_STAGE, _N, _AMT, _OPEN, _SHARE),
    "reminded_invoices": _specs(
        *_INV, _DUE, _AMT, ("first_reminder", "1re relance", "First reminder", "date"),
        ("days_to_first", "Jours échéance → 1re relance", "Days due → 1st reminder", "days"),
        ("reminders", "Relances", "Reminders", "int"), _STAGE,
        ("settlement_date", "Date règlement", "Settlement date", "date"),
        ("days_to_payment", "Jours dernière relance → règlement", "Days last reminder → payment", "days")),
    "never_reminded": _specs(*_INV, _DUE, ("days_past_due", "Jours de retard", "Days past due", "days"),
                             _OPEN, ("disputed", "Litige", "Disputed", "bool")),
}


@dataclass(frozen=True)
class InvoicingResult:
    """KPIs (None = not measurable, see ``missing``), detail tables (English columns, described in
    ``COLUMNS``) and observations. Fields left at their default had no data."""

    as_of: pd.Timestamp
    period_start: pd.Timestamp
    missing: tuple[str, ...]
    lag_target_days: int
    first_reminder_target_days: int
    numbering_gaps: int  # missing numbers, all sequences (the whole ledger)
    duplicate_numbers: int  # distinct numbers used on more than one row
    out_of_order_numbers: int  # invoices dated before a lower number of their series
    numbering_series_count: int
    unparsed_numbers: int  # numbers without digits: no series
    gap_range_count: int
    numbering_series: pd.DataFrame
    gap_ranges: pd.DataFrame
    duplicates: pd.DataFrame
    out_of_order: pd.DataFrame
    unparsed: pd.DataFrame
    lag_invoices: int = 0  # invoices > 0 of the period with a delivery date
    avg_invoice_lag_days: float | None = None  # mean of max(invoice - delivery date, 0)
    weighted_invoice_lag_days: float | None = None
    late_invoicing_count: int | None = None  # lag > target
    late_invoicing_amount: float | None = None
    late_invoicing_share: float | None = None
    advance_invoices: int | None = None  # invoiced before delivery (deposits, advance invoices)
    legal_late_count: int | None = None  # invoiced after the end of the delivery month
    legal_late_amount: float | None = None
    legal_late_share: float | None = None
    late_invoicing_cash: float | None = None  # sum(amount x days over target) / period days
    disputed_count: int | None = None  # disputed invoices dated in the period
    disputed_share: float | None = None
    disputed_amount: float | None = None  # open amount of the disputed invoices at the as-of date
    disputed_open_count: int | None = None
    avg_disputed_age_days: float | None = None
    reminded_count: int | None = None  # invoices first reminded (on or after due) in the period
    avg_days_due_to_first_reminder: float | None = None
    late_first_reminder_count: int | None = None
    late_first_reminder_share: float | None = None
    avg_reminders_per_invoice: float | None = None
    avg_days_last_reminder_to_payment: float | None = None
    courtesy_reminders: int | None = None  # sent before the due date, in the period
    courtesy_invoices: int | None = None
    reminders_after_settlement: int | None = None
    overdue_open_count: int = 0
    overdue_never_reminded_count: int | None = None
    overdue_never_reminded_amount: float | None = None
    overdue_never_reminded_share: float | None = None
    overdue_never_reminded_amount_share: float | None = None
    lag_bins: pd.DataFrame = field(default_factory=pd.DataFrame)
    lag_clients: pd.DataFrame = field(default_factory=pd.DataFrame)
    disputed_invoices: pd.DataFrame = field(default_factory=pd.DataFrame)
    dispute_reasons: pd.DataFrame = field(default_factory=pd.DataFrame)
    escalation: pd.DataFrame = field(default_factory=pd.DataFrame)
    reminded_invoices: pd.DataFrame = field(default_factory=pd.DataFrame)
    never_reminded: pd.DataFrame = field(default_factory=pd.DataFrame)
    observations: tuple[Observation, ...] = ()

    COLUMNS: ClassVar[dict[str, tuple[ColumnSpec, ...]]] = COLUMNS

    def to_dict(self) -> dict[str, Any]:
        """The JSON block: KPIs, then the detail tables (their first JSON_ROWS rows; ``truncated``
        gives the full length of the tables cut), then the observations."""
        out: dict[str, Any] = {"as_of": self.as_of.date().isoformat(), "missing": list(self.missing),
                               "period_start": self.period_start.date().isoformat()}
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in out}
        for name, value in values.items():
            if value is None or isinstance(value, int | np.integer):
                out[name] = None if value is None else int(value)
            elif isinstance(value, float):
                kind = share if name.endswith("_share") else days if name.endswith("_days") else amount
                out[name] = kind(value)
        out.update({name: records(values[name].head(JSON_ROWS), specs) for name, specs in COLUMNS.items()})
        out["truncated"] = {name: len(values[name]) for name in COLUMNS if len(values[name]) > JSON_ROWS}
        out["observations"] = [{"rule": o.rule, "client_id": o.client_id, "amount": o.amount,
                                "count": o.count, "cash_impact": o.cash_impact, "severity": o.severity,
                                "params": o.params} for o in self.observations]
        return out


def compute(ledger: Ledger, settings: Settings) -> InvoicingResult:
    inv = ledger.invoices
    items = open_items(ledger)
    items = items[items["kind"] == "invoice"]
    ids = inv["invoice_id"].to_numpy(dtype=object)
    at = lookup(items["doc_id"].to_numpy(dtype=object), ids)  # the open invoices' rows
    open_amount, past_due = np.zeros(len(inv)), np.full(len(inv), np.nan)  # past_due NaN: not open
    open_amount[at], past_due[at] = items["open_amount"].to_numpy(), items["days_past_due"].to_numpy()
    docs = period_documents(ledger)
    in_period = np.zeros(len(inv), dtype=bool)
    in_period[inv.index.get_indexer(docs.index)] = True
    numbering = analyse_numbering(inv, ledger.duplicates)
    parts: dict[str, Any] = {f.name: getattr(numbering, f.name) for f in fields(numbering)}
    missing: list[str] = []
    for part in (_lag(ledger, settings, docs), _disputes(ledger, in_period, open_amount, past_due),
                 _dunning(ledger, settings, ids, open_amount, past_due)):
        missing += part.pop("missing", [])
        parts.update(part)
    result = InvoicingResult(as_of=ledger.as_of, period_start=ledger.period_start, missing=tuple(missing),
                             lag_target_days=settings.invoice_lag_target_days,
                             first_reminder_target_days=settings.first_reminder_target_days, **parts)
    return replace(result, observations=_observations(result))


def _ratio(num: float, den: float) -> float | None:
    return float(num) / float(den) if den else None


def _mean(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def _lag(ledger: Ledger, settings: Settings, docs: pd.DataFrame) -> dict[str, Any]:
    """Invoicing lag = invoice date - delivery date, over the period's invoices with a delivery date."""
    pos = docs[docs["amount"] > 0]
    p = pos[pos["delivery_date"].notna()]
    n, target = len(p), settings.invoice_lag_target_days
    if not n:
        return {"missing": ["delivery_date"] if len(pos) else []}
    raw = ((p["invoice_date"] - p["delivery_date"]) / DAY).to_numpy(dtype=float)
    lag, amt = np.clip(raw, 0, None), p["amount"].to_numpy(dtype=float)
    late = raw > target
    month = {c: p[c].to_numpy().astype("datetime64[M]") for c in ("invoice_date", "delivery_date")}
    legal = month["invoice_date"] > month["delivery_date"]  # L441-9: at the latest at the end of the month
    financed = amt * np.clip(raw - target, 0, None) / ledger.period_days
    per = p[["client_id"]].assign(lag=lag, raw=raw, late=late, late_amount=amt * late, legal=legal,
                                  legal_amount=amt * legal, financed=financed)
    clients = per.groupby("client_id", sort=False).agg(
        invoices=("lag", "size"), avg_lag_days=("lag", "mean"),
        max_lag_days=("raw", "max"), late_count=("late", "sum"), late_amount=("late_amount", "sum"),
        legal_late_count=("legal", "sum"), legal_late_amount=("legal_amount", "sum"),
        financed_amount=("financed", "sum")).reset_index()
    clients.insert(1, "client_name", clients["client_id"].map(ledger.client_names()))
    clients["late_share"] = clients["late_count"] / clients["invoices"]
    clients = clients.sort_values(["late_share", "avg_lag_days", "client_id"], ascending=[False, False, True])
    slot = np.searchsorted(_LAG_EDGES, raw, side="right")
    count = np.bincount(slot, minlength=len(LAG_BINS))
    return {"lag_invoices": n, "avg_invoice_lag_days": float(lag.mean()),
            "weighted_invoice_lag_days": weighted_average_days(amt, lag),
            "late_invoicing_count": int(late.sum()),
            "late_invoicing_amount": float(amt[late].sum()), "late_invoicing_share": float(late.sum() / n),
            "advance_invoices": int((raw < 0).sum()), "legal_late_count": int(legal.sum()),
            "legal_late_amount": float(amt[legal].sum()), "legal_late_share": float(legal.sum() / n),
            "late_invoicing_cash": float(financed.sum()), "lag_clients": clients.reset_index(drop=True),
            "lag_bins": pd.DataFrame({"bin": LAG_BINS, "count": count, "share": count / n,
                                      "amount": np.bincount(slot, amt, len(LAG_BINS))})}


def _disputes(ledger: Ledger, in_period: np.ndarray, open_amount: np.ndarray, past_due: np.ndarray
              ) -> dict[str, Any]:
    """Disputed invoices of the period (share) and disputed invoices still open (amount, age, reasons)."""
    if not {"disputed", "dispute_reason"} & ledger.available:
        return {"missing": ["disputed"]}
    inv = ledger.invoices
    disputed = inv["disputed"].to_numpy(dtype=bool)
    invoices, is_open = in_period & (inv["amount"] > 0).to_numpy(), ~np.isnan(past_due)
    rows = np.flatnonzero(disputed & (invoices | is_open))
    age = np.where(is_open[rows], (ledger.as_of - inv["invoice_date"].iloc[rows]) / DAY, np.nan)
    table = inv.iloc[rows][["invoice_id", "client_id", "client_name", "invoice_date", "due_date", "amount"]]
    table = table.assign(open_amount=open_amount[rows], reason=inv["dispute_reason"].to_numpy()[rows],
                         age_days=age)
    table = table.sort_values(["open_amount", "amount"], ascending=False).reset_index(drop=True)
    opened = table["age_days"].notna()
    reasons = table.assign(key=table["reason"].str.strip().str.casefold(), open_count=opened).groupby(
        "key", dropna=False, sort=False).agg(reason=("reason", "first"), count=("invoice_id", "size"),
                                             amount=("amount", "sum"), open_count=("open_count", "sum"),
                                             open_amount=("open_amount", "sum"))
    count = int((disputed & invoices).sum())
    return {"disputed_count": count, "disputed_share": _ratio(count, invoices.sum()),
            "disputed_amount": float(table["open_amount"].sum()), "disputed_open_count": int(opened.sum()),
            "avg_disputed_age_days": _mean(table["age_days"].dropna()), "disputed_invoices": table,
            "dispute_reasons": reasons.sort_values(["amount", "count"], ascending=False, kind="stable")
            .reset_index(drop=True)}


def _formal_notice(types: np.ndarray) -> np.ndarray:
    """Reminders whose type says "mise en demeure" / "formal notice": 1 = yes, 0 = no, -1 = no type."""
    codes, kinds = factorize(types)
    says = [int(any(w in normalize_header(k) for w in ("demeure", "formalnotice"))) for k in kinds]
    return np.array(says + [-1], dtype=np.int64)[codes]


def _stage(formal: np.ndarray, level: np.ndarray, rank: np.ndarray) -> np.ndarray:
    """Dunning step of each reminder: 1..3 = its level (else its rank for the invoice; 3 = 3 and
    beyond), 4 = formal notice (by its type, or level >= 4 when it has no type)."""
    notice = (formal == 1) | ((formal < 0) & (level >= 4))
    return np.where(notice, 4, np.clip(np.where(np.isnan(level), rank, level), 1, 3)).astype(np.int64)


def _dunning(ledger: Ledger, settings: Settings, ids: np.ndarray, open_amount: np.ndarray, past_due: np.ndarray
             ) -> dict[str, Any]:
    """Reminders dated up to the as-of date. One dated before the due date is a courtesy reminder,
    counted apart; the others are dunning. ``ids``: the invoice numbers, in ledger order."""
    inv, start = ledger.invoices, ledger.period_start.to_datetime64()
    overdue = np.flatnonzero(past_due > 0)
    if "reminders" not in ledger.available:
        return {"overdue_open_count": len(overdue), "missing": ["reminders"]}
    rem = ledger.reminders[(ledger.reminders["reminder_date"] <= ledger.as_of).to_numpy()]
    at = lookup(rem["invoice_id"].to_numpy(dtype=object), ids) if len(rem) else np.zeros(0, dtype=np.int64)
    date = rem["reminder_date"].to_numpy()
    due, inv_amount, settled = (inv[c].to_numpy() for c in ("due_date", "amount", "settlement_date"))
    ok = (at >= 0) & (inv_amount[at] > 0)
    courtesy, recent = ok & (date < due[at]), date >= start
    keep = ok & ~courtesy
    r = pd.DataFrame({"pos": at[keep], "date": date[keep], "level": rem["level"].to_numpy(dtype=float)[keep],
                      "formal": _formal_notice(rem["type"].to_numpy(dtype=object))[keep]})
    r = r.sort_values(["pos", "date"], kind="stable")
    rank = r.groupby("pos", sort=False).cumcount().to_numpy() + 1
    settle = settled[r["pos"].to_numpy()]
    paid_before = ~np.isnat(settle) & (r["date"] > settle).to_numpy()
    r = r.assign(stage=_stage(r["formal"].to_numpy(), r["level"].to_numpy(), rank),
                 before=r["date"].where(~paid_before))
    g = r.groupby("pos", sort=False).agg(first_reminder=("date", "first"), reminders=("date", "size"),
                                         top=("stage", "max"), last_before=("before", "max"))
    g = g[g["first_reminder"] >= start]
    cols = ["invoice_id", "client_id", "client_name", "due_date", "amount", "settlement_date"]
    g = inv.iloc[g.index][cols].assign(**{c: g[c].to_numpy() for c in g},
                                       open_amount=open_amount[g.index]).reset_index(drop=True)
    g["days_to_first"] = (g["first_reminder"] - g["due_date"]) / DAY
    g["days_to_payment"] = (g["settlement_date"] - g["last_before"]) / DAY
    g["stage"] = np.array(STAGES, dtype=object)[g["top"].to_numpy() - 1]
    late = (g["days_to_first"] > settings.first_reminder_target_days).to_numpy()
    top = g["top"].to_numpy() - 1
    count = np.bincount(top, minlength=4)
    esc = pd.DataFrame({"stage": STAGES, "count": count,
                        "amount": np.bincount(top, g["amount"].to_numpy(), 4),
                        "open_amount": np.bincount(top, g["open_amount"].to_numpy(), 4),
                        "share": count / len(g) if len(g) else np.nan})
    reminded = np.zeros(len(inv), dtype=bool)
    reminded[r["pos"].to_numpy()] = True
    never = overdue[~reminded[overdue]]
    never = inv.iloc[never][["invoice_id", "client_id", "client_name", "due_date", "disputed"]].assign(
        days_past_due=past_due[never], open_amount=open_amount[never])
    return {"overdue_open_count": len(overdue), "reminded_count": len(g),
            "avg_days_due_to_first_reminder": _mean(g["days_to_first"]),
            "late_first_reminder_count": int(late.sum()),
            "late_first_reminder_share": _ratio(late.sum(), len(g)),
            "avg_reminders_per_invoice": _mean(g["reminders"]),
            "avg_days_last_reminder_to_payment": _mean(g["days_to_payment"].dropna()),
            "courtesy_reminders": int((courtesy & recent).sum()),
            "courtesy_invoices": len(np.unique(at[courtesy & recent])),
            "reminders_after_settlement": int((paid_before & (r["date"] >= start).to_numpy()).sum()),
            "overdue_never_reminded_count": len(never),
            "overdue_never_reminded_amount": float(never["open_amount"].sum()),
            "overdue_never_reminded_share": _ratio(len(never), len(overdue)),
            "overdue_never_reminded_amount_share": _ratio(never["open_amount"].sum(),
                                                          open_amount[overdue].sum()),
            "reminded_invoices": g.drop(columns=["top", "last_before"]).sort_values(
                "days_to_first", ascending=False, kind="stable").reset_index(drop=True),
            "escalation": esc,
            "never_reminded": never.sort_values("open_amount", ascending=False, kind="stable")
            .reset_index(drop=True),
            "missing": [] if "payment_dates" in ledger.available else ["payment_dates"]}


def _observations(r: InvoicingResult) -> tuple[Observation, ...]:
    """late_invoicing, disputes, never_reminded per client; numbering_gaps, duplicate_numbers and
    late_first_reminder for the whole ledger."""
    def per_client(rule: str, frame: pd.DataFrame, oldest: str, **params: Any) -> list[Observation]:
        g = frame.groupby("client_id", sort=True).agg(
            amount=("open_amount", "sum"), count=("open_amount", "size"), oldest=(oldest, "max"))
        return [Observation(SECTION, rule, c, amount(a), int(n), params={"oldest_days": days(o), **params})
                for c, a, n, o in zip(g.index, g["amount"], g["count"], g["oldest"], strict=True)]

    obs = [Observation(SECTION, "late_invoicing", c.client_id, amount(c.late_amount), int(c.late_count),
                       cash_impact=amount(c.financed_amount), severity=2 if c.legal_late_count else 3,
                       params={"share": share(c.late_share), "avg_lag_days": days(c.avg_lag_days),
                               "target_days": r.lag_target_days, "legal_late_count": int(c.legal_late_count),
                               "legal_late_amount": amount(c.legal_late_amount)})
           for c in r.lag_clients.itertuples() if c.late_count > 0]
    if r.numbering_gaps:
        obs.append(Observation(SECTION, "numbering_gaps", count=r.numbering_gaps, params={
            "series": sorted(set(r.gap_ranges["series"])), "ranges": list(r.gap_ranges["label"][:10])}))
    if r.duplicate_numbers:
        obs.append(Observation(SECTION, "duplicate_numbers", count=r.duplicate_numbers, params={
            "identical": int(r.duplicates["identical"].sum()),
            "numbers": list(r.duplicates["invoice_ids"][:10])}))
    if r.disputed_open_count:
        disputes = r.disputed_invoices
        obs += per_client("disputes", disputes[disputes["age_days"].notna()], "age_days")
    target = r.first_reminder_target_days
    if len(r.never_reminded):
        never = r.never_reminded
        due = never[(never["days_past_due"] > target) & ~never["disputed"].astype(bool)]
        obs += per_client("never_reminded", due, "days_past_due", target_days=target)
    if r.late_first_reminder_count:
        late = r.reminded_invoices[r.reminded_invoices["days_to_first"] > target]
        obs.append(Observation(SECTION, "late_first_reminder", None, amount(late["amount"].sum()), len(late),
                               severity=3, params={"share": share(r.late_first_reminder_share),
                                                   "avg_days": days(r.avg_days_due_to_first_reminder),
                                                   "target_days": target}))
    return tuple(obs)
