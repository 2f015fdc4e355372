"""Section 1, "Qui doit quoi" (who owes what): outstanding, aging, concentration, payment habits, old
invoices and a risk matrix, at the as-of date.

Worked example, as of 2025-03-31 (period 2024-04-01 .. 2025-03-31, default settings):

- C1: F1 1,200 due 2025-01-31, 200 paid on 2025-02-10 -> open 1,000, 59 days past due ("31-60");
  credit note A1 -100 dated and due 2025-03-10 -> open -100, 21 days past due ("1-30").
- C2: F2 500 due 2025-04-30 -> open 500, not yet due ("not_due").

outstanding = 1,000 - 100 + 500 = 1,400; overdue = 1,400 - 500 (not yet due) = 900; the buckets
500 + (-100) + 1,000 sum to the outstanding. Revenue of the period: C1 1,200 - 100 = 1,100, C2 500,
so top1_share = 1,100 / 1,600 = 0.6875 and HHI = 0.6875^2 + 0.3125^2 = 0.5703.

Amounts are summed in integer cents, so the aging buckets add up to the outstanding to the cent, per
client and in total. Payment habits come from :mod:`.receivables_habits` (``client_habits``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..ledger import Ledger, open_items, period_documents, settled_invoices
from ..settings import Settings
from .base import ColumnSpec, Observation, amount, days, records, share
from .receivables_habits import (
    BIG_SHARE,
    LATE_OVERDUE_SHARE,
    TREND_TOLERANCE_DAYS,
    concentration,
    habit_sums_split,
    habits_from_sums,
    observations,
    overall_habits,
    previous_window,
    rating_edges,
    risk_matrix,
    trend_labels,
)

__all__ = ["COLUMNS", "AgingBucket", "ReceivablesResult", "aging_buckets", "compute"]


@dataclass(frozen=True)
class AgingBucket:
    key: str  # column of aging_by_client: "not_due", "days_1_30", ..., "over_120"
    label: str  # JSON bucket: "not_due", "1-30", ..., ">120"
    fr: str
    en: str
    upper: float | None  # inclusive upper edge in days past due (None: open-ended)


def aging_buckets(edges: tuple[int, ...]) -> tuple[AgingBucket, ...]:
    """Buckets from the edges: 0 always separates "not yet due" (days past due <= 0); edges <= 0 are
    ignored. (0, 30, 60) -> not_due, 1-30, 31-60, >60."""
    e = [0, *sorted({int(x) for x in edges if x > 0})]
    out = [AgingBucket("not_due", "not_due", "Non échu", "Not yet due", 0.0)]
    out += [AgingBucket(f"days_{a + 1}_{b}", f"{a + 1}-{b}", f"{a + 1} à {b} j", f"{a + 1}-{b} days", float(b))
            for a, b in zip(e, e[1:], strict=False)]
    out.append(AgingBucket(f"over_{e[-1]}", f">{e[-1]}", f"Plus de {e[-1]} j", f"Over {e[-1]} days", None))
    return tuple(out)


def _c(key: str, fr: str, en: str, kind: str) -> ColumnSpec:
    return ColumnSpec(key, fr, en, kind)


_ID = (_c("client_id", "Code client", "Client code", "text"), _c("client_name", "Client", "Client", "text"))
_SUMMARY = (_c("label_fr", "Libellé", "Label (French)", "text"), _c("label_en", "Libellé (anglais)", "Label", "text"),
            _c("clients", "Clients", "Clients", "int"), _c("outstanding", "Encours", "Outstanding", "amount"),
            _c("overdue", "Échu", "Overdue", "amount"))


def aging_client_specs(buckets: tuple[AgingBucket, ...]) -> tuple[ColumnSpec, ...]:
    return (*_ID, *(_c(b.key, b.fr, b.en, "amount") for b in buckets),
            _c("total", "Encours total", "Total outstanding", "amount"), _c("overdue", "Échu", "Overdue", "amount"))


COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "aging": (_c("bucket", "Tranche", "Bucket", "text"), *_SUMMARY[:2],
              _c("amount", "Montant", "Amount", "amount"), _c("count", "Nombre de pièces", "Items", "int"),
              _c("share", "Part de l'encours", "Share of outstanding", "share")),
    "aging_by_client": aging_client_specs(aging_buckets(Settings().aging_edges)),
    "pareto": (_c("rank", "Rang", "Rank", "int"), *_ID, _c("revenue", "CA de la période", "Revenue", "amount"),
               _c("share", "Part du CA", "Share of revenue", "share"),
               _c("cumulative_share", "Part cumulée", "Cumulative share", "share"),
               _c("abc_class", "Classe ABC", "ABC class", "text")),
    "clients": (*_ID, _c("invoiced", "CA de la période", "Revenue", "amount"),
                _c("revenue_share", "Part du CA", "Share of revenue", "share"),
                _c("abc_class", "Classe ABC", "ABC class", "text"),
                _c("outstanding", "Encours", "Outstanding", "amount"),
                _c("outstanding_share", "Part de l'encours", "Share of outstanding", "share"),
                _c("not_due", "Non échu", "Not yet due", "amount"), _c("overdue", "Échu", "Overdue", "amount"),
                _c("overdue_count", "Factures échues", "Overdue invoices", "int"),
                _c("old_amount", "Factures anciennes", "Old invoices", "amount"),
                _c("settled_count", "Factures réglées", "Invoices settled", "int"),
                _c("late_count", "Réglées en retard", "Settled late", "int"),
                _c("late_share", "Part réglée en retard", "Late share", "share"),
                _c("weighted_days_late", "Retard moyen pondéré (j)", "Weighted days late", "days"),
                _c("weighted_days_late_prev", "Retard période précédente (j)", "Days late, previous period", "days"),
                _c("trend", "Tendance", "Trend", "text"),
                _c("avg_days_to_pay", "Délai moyen de paiement (j)", "Average days to pay", "days"),
                _c("rating", "Note", "Rating", "text"), _c("quadrant", "Matrice de risque", "Risk quadrant", "text")),
    "old_invoices": (*_ID, _c("invoice_id", "N° facture", "Invoice number", "text"),
                     _c("invoice_date", "Date facture", "Invoice date", "date"),
                     _c("due_date", "Date échéance", "Due date", "date"),
                     _c("open_amount", "Reste dû", "Open amount", "amount"),
                     _c("days_past_due", "Jours de retard", "Days past due", "days"),
                     _c("disputed", "Litige", "Disputed", "bool")),
    "risk_matrix": (_c("quadrant", "Quadrant", "Quadrant", "text"), *_SUMMARY),
    "outstanding_by_rating": (_c("rating", "Note", "Rating", "text"), *_SUMMARY),
}


@dataclass(frozen=True)
class ReceivablesResult:
    as_of: pd.Timestamp
    period_start: pd.Timestamp
    outstanding: float  # open invoices - open credit notes - unapplied cash, at the as-of date
    overdue: float  # outstanding - not yet due
    not_due: float
    overdue_share: float | None  # overdue / outstanding (None when the outstanding is <= 0)
    invoiced: float  # net revenue of the period (invoices - credit notes)
    top1_share: float | None
    top3_share: float | None
    top10_share: float | None
    hhi: float | None
    concentration_alert: bool  # top3_share >= settings.concentration_alert
    settled_count: int  # invoices settled in the period (habits are measured on them)
    late_share: float | None
    weighted_days_late: float | None
    avg_days_to_pay: float | None
    rating: str | None  # A-D of all clients together
    weighted_days_late_prev: float | None  # the same over the previous period of the same length
    trend: str | None  # "improving" | "stable" | "worsening"
    old_invoices_amount: float
    old_invoices_count: int
    buckets: tuple[AgingBucket, ...]
    aging: pd.DataFrame
    aging_by_client: pd.DataFrame
    pareto: pd.DataFrame
    clients: pd.DataFrame
    old_invoices: pd.DataFrame
    risk_matrix: pd.DataFrame
    outstanding_by_rating: pd.DataFrame
    observations: tuple[Observation, ...] = ()
    missing: tuple[str, ...] = ()  # "payment_dates", "previous_period", "period_revenue"
    params: dict[str, Any] = field(default_factory=dict)  # settings used (edges, thresholds)

    COLUMNS: ClassVar[dict[str, tuple[ColumnSpec, ...]]] = COLUMNS

    def specs(self, table: str) -> tuple[ColumnSpec, ...]:
        """Column specs of a detail table; ``aging_by_client`` follows this run's aging edges."""
        return aging_client_specs(self.buckets) if table == "aging_by_client" else COLUMNS[table]

    def to_dict(self) -> dict[str, Any]:
        iso = [d.date().isoformat() for d in (self.as_of, self.period_start, *self.params["previous"])]
        return {
            "as_of": iso[0], "period_start": iso[1], "period_end": iso[0],
            "outstanding": amount(self.outstanding), "overdue": amount(self.overdue),
            "not_due": amount(self.not_due), "overdue_share": share(self.overdue_share),
            "aging": records(self.aging, self.specs("aging")),
            "aging_by_client": records(self.aging_by_client, self.specs("aging_by_client")),
            "concentration": {"top1_share": share(self.top1_share), "top3_share": share(self.top3_share),
                              "top10_share": share(self.top10_share), "hhi": share(self.hhi),
                              "alert": self.concentration_alert,
                              "threshold": self.params["concentration_alert"],
                              "revenue": amount(self.invoiced)},
            "pareto": records(self.pareto, self.specs("pareto")),
            "habits": {"settled_count": self.settled_count, "late_share": share(self.late_share),
                       "weighted_days_late": days(self.weighted_days_late),
                       "avg_days_to_pay": days(self.avg_days_to_pay), "rating": self.rating,
                       "weighted_days_late_prev": days(self.weighted_days_late_prev), "trend": self.trend,
                       "previous_start": iso[2], "previous_end": iso[3],
                       "trend_tolerance_days": TREND_TOLERANCE_DAYS,
                       "rating_edges": list(self.params["rating_edges"])},
            "clients": records(self.clients, self.specs("clients")),
            "old_invoices": {"threshold_days": self.params["old_invoice_days"],
                             "amount": amount(self.old_invoices_amount), "count": self.old_invoices_count,
                             "items": records(self.old_invoices, self.specs("old_invoices"))},
            "risk_matrix": {"big_share": BIG_SHARE, "late_overdue_share": LATE_OVERDUE_SHARE,
                            "quadrants": records(self.risk_matrix, self.specs("risk_matrix"))},
            "outstanding_by_rating": records(self.outstanding_by_rating, self.specs("outstanding_by_rating")),
            "observations": [_obs_dict(o) for o in self.observations],
            "missing": list(self.missing),
        }


def _obs_dict(o: Observation) -> dict[str, Any]:
    params = {k: round(v, 4) if isinstance(v, float) else v for k, v in o.params.items()}
    return {"key": o.key, "section": o.section, "rule": o.rule, "client_id": o.client_id,
            "amount": amount(o.amount), "count": o.count, "cash_impact": amount(o.cash_impact),
            "severity": o.severity, "params": params}


def _names(names: pd.Series, ids: pd.Index | pd.Series) -> np.ndarray:
    """Client names for ``ids``, the id itself when no name is known."""
    keys = pd.Index(ids, dtype=object)
    found = names[~names.index.duplicated()].reindex(keys).to_numpy(dtype=object, copy=True)
    missing = pd.isna(found)
    found[missing] = keys.to_numpy(dtype=object)[missing]
    return found


def _none(x: Any) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def _aging(items: pd.DataFrame, buckets: tuple[AgingBucket, ...]
           ) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """(client ids, cents per client x bucket as int64, bucket index per item, client code per item)."""
    edges = np.array([b.upper for b in buckets[:-1]], dtype=float)
    bucket = np.searchsorted(edges, items["days_past_due"].fillna(0.0).to_numpy(dtype=float), side="left")
    cents = np.rint(items["open_amount"].to_numpy(dtype=float) * 100.0)
    codes, ids = pd.factorize(items["client_id"], sort=True)
    nb = len(buckets)
    mat = np.bincount(codes * nb + bucket, weights=cents, minlength=len(ids) * nb)
    return pd.Index(ids, dtype=object), np.rint(mat).astype(np.int64).reshape(len(ids), nb), bucket, codes


def _old_invoices(o: pd.DataFrame, names: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The old invoices (open items already selected) as a table, oldest first, and their sums per client."""
    o = pd.DataFrame({"client_id": o["client_id"], "client_name": _names(names, o["client_id"]),
                      "invoice_id": o["doc_id"], "invoice_date": o["date"], "due_date": o["due_date"],
                      "open_amount": o["open_amount"], "days_past_due": o["days_past_due"],
                      "disputed": o["disputed"].fillna(False).astype(bool)})
    o = o.sort_values(["days_past_due", "open_amount", "invoice_id"], ascending=[False, False, True],
                      kind="mergesort").reset_index(drop=True)
    per_client = o.assign(disputed_amount=o["open_amount"].where(o["disputed"], 0.0)).groupby("client_id").agg(
        old_amount=("open_amount", "sum"), old_count=("open_amount", "size"),
        oldest_days=("days_past_due", "max"), disputed_amount=("disputed_amount", "sum"))
    return o, per_client.reset_index()


def compute(ledger: Ledger, settings: Settings) -> ReceivablesResult:
    """Section 1 at ``ledger.as_of`` over the analysis period [period_start, as_of]."""
    names = ledger.client_names()
    buckets = aging_buckets(settings.aging_edges)
    items = open_items(ledger)
    ids, mat, bucket_of, codes = _aging(items, buckets)
    is_invoice = (items["kind"] == "invoice").to_numpy(dtype=bool)
    owed_c = mat.sum(axis=1)
    totals = mat.sum(axis=0)
    outstanding_c, not_due_c = int(totals.sum()), int(totals[0])
    aging = pd.DataFrame({"bucket": [b.label for b in buckets], "label_fr": [b.fr for b in buckets],
                          "label_en": [b.en for b in buckets], "amount": totals / 100.0,
                          "count": np.bincount(bucket_of, minlength=len(buckets)),
                          "share": totals / outstanding_c if outstanding_c > 0 else np.nan})
    by_client = pd.DataFrame(mat / 100.0, columns=[b.key for b in buckets], index=ids.rename("client_id"))
    by_client = by_client.assign(total=owed_c / 100.0, overdue=(owed_c - mat[:, 0]) / 100.0)[owed_c != 0]
    by_client = by_client.sort_values("total", ascending=False, kind="mergesort").reset_index()
    by_client.insert(1, "client_name", _names(names, by_client["client_id"]))

    revenue = period_documents(ledger).groupby("client_id", sort=True)["amount"].sum()
    pareto, conc = concentration(revenue, settings.concentration_alert)
    edges = rating_edges(settings)
    prev = previous_window(ledger)
    settled = settled_invoices(ledger, prev[0], ledger.as_of)  # this period and the previous one
    in_period = (settled["settlement_date"] >= ledger.period_start).to_numpy()
    sums_now, sums_prev = habit_sums_split(settled, in_period)
    now, before = overall_habits(sums_now, settings), overall_habits(sums_prev, settings)

    index = pd.Index(revenue.index, dtype=object).union(pd.Index(by_client["client_id"], dtype=object))
    index = index.rename("client_id")
    overdue_n = pd.Series(np.bincount(codes[is_invoice & (bucket_of > 0)], minlength=len(ids)), index=ids)
    cl = pd.DataFrame({
        "client_name": _names(names, index),
        "invoiced": revenue.reindex(index, fill_value=0.0),
        "revenue_share": pareto.set_index("client_id")["share"].reindex(index),
        "abc_class": pareto.set_index("client_id")["abc_class"].reindex(index).astype(object),
        "cents": pd.Series(owed_c, index=ids).reindex(index, fill_value=0),
        "overdue_cents": pd.Series(owed_c - mat[:, 0], index=ids).reindex(index, fill_value=0),
        "overdue_count": overdue_n.reindex(index, fill_value=0).astype(np.int64)}, index=index)
    cl = cl.assign(outstanding=cl["cents"] / 100.0, not_due=(cl["cents"] - cl["overdue_cents"]) / 100.0,
                   overdue=cl["overdue_cents"] / 100.0)
    cl = cl.join(habits_from_sums(sums_now.reindex(index, fill_value=0), edges))
    cl["weighted_days_late_prev"] = habits_from_sums(sums_prev.reindex(index, fill_value=0), edges)[
        "weighted_days_late"]
    cl["trend"] = pd.Series(trend_labels(cl["weighted_days_late"], cl["weighted_days_late_prev"]), index=index,
                            dtype=object)
    old, old_sum = _old_invoices(items[is_invoice & (items["days_past_due"] > settings.old_invoice_days)], names)
    cl["old_amount"] = old_sum.set_index("client_id")["old_amount"].reindex(index, fill_value=0.0)
    cl, risk, by_rating = risk_matrix(cl)
    cl = cl.reset_index().sort_values(["outstanding", "client_id"], ascending=[False, True], kind="mergesort")
    cl = cl[[c.key for c in COLUMNS["clients"]]].reset_index(drop=True)

    missing = []
    if "payment_dates" not in ledger.available:
        missing.append("payment_dates")
    elif now["settled_count"] and not before["settled_count"]:
        missing.append("previous_period")
    if conc["hhi"] is None:
        missing.append("period_revenue")
    wdl = [np.nan if x is None else x for x in (now["weighted_days_late"], before["weighted_days_late"])]
    return ReceivablesResult(
        as_of=ledger.as_of, period_start=ledger.period_start, outstanding=outstanding_c / 100.0,
        overdue=(outstanding_c - not_due_c) / 100.0, not_due=not_due_c / 100.0,
        overdue_share=(outstanding_c - not_due_c) / outstanding_c if outstanding_c > 0 else None,
        invoiced=float(revenue.sum()), top1_share=conc["top1_share"], top3_share=conc["top3_share"],
        top10_share=conc["top10_share"], hhi=conc["hhi"],
        concentration_alert=conc["alert"],
        settled_count=int(now["settled_count"] or 0), late_share=_none(now["late_share"]),
        weighted_days_late=_none(now["weighted_days_late"]), avg_days_to_pay=_none(now["avg_days_to_pay"]),
        rating=now["rating"], weighted_days_late_prev=_none(before["weighted_days_late"]),
        trend=trend_labels(wdl[:1], wdl[1:])[0],
        old_invoices_amount=float(old["open_amount"].sum()), old_invoices_count=len(old), buckets=buckets,
        aging=aging, aging_by_client=by_client,
        pareto=pareto.assign(client_name=_names(names, pareto["client_id"]))[[c.key for c in COLUMNS["pareto"]]],
        clients=cl, old_invoices=old, risk_matrix=risk, outstanding_by_rating=by_rating,
        observations=tuple(observations(cl, old_sum, pareto, conc, settings, ledger.period_days)),
        missing=tuple(missing),
        params={"aging_edges": [b.upper for b in buckets[:-1]], "rating_edges": edges,
                "old_invoice_days": settings.old_invoice_days, "concentration_alert": settings.concentration_alert,
                "previous": prev})
