"""Section 4, "Retards & DSO": how long clients take to pay, against the terms, and what it costs.

``compute(ledger, settings) -> DelaysResult``. Definitions (all amounts incl. VAT, days calendar):

- ``dso_simple`` = outstanding / period revenue x period days (outstanding = sum of
  :func:`~audit_engine.ledger.open_items` ``open_amount``; revenue = invoices and credit notes dated in
  the period). ``best_possible_dso`` = not-yet-due part / revenue x days (not yet due = invoices and
  credit notes with due date >= as-of date; unapplied cash counts in the past-due part, as cash goes to
  the oldest invoices); ``average_days_delinquent`` = DSO - BPDSO.
- ``dso_countback``: the outstanding exhausted by the sales of the month windows going back from the
  as-of date (:mod:`.delays_history`); ``cei``: opening receivables (day before the period) + revenue /
  ``cei_months`` - closing, over the same minus the not-yet-due part, x 100.
- ``weighted_terms_days``: amount-weighted (due - invoice date) of invoices (> 0) dated in the period;
  ``dso_gap_days`` = DSO - terms; ``dso_target_days`` = ``settings.dso_target_days`` or the terms.
- ``weighted_days_late``: amount-weighted max(0, settlement - due) of invoices settled in the period;
  ``weighted_days_late_with_open`` adds the invoices still overdue, weighted by their open amount,
  counted up to the as-of date.
- penalties: :mod:`.penalties`; monthly series: :func:`.delays_history.monthly_series`.

Missing data gives ``None``, never 0, and a code in ``missing``: ``payment_dates`` (no dated payment:
CEI, monthly series and days late are unknown), ``period_revenue`` (no revenue in the period: DSO).

Worked example: as of 2025-03-31 over 3 months (90 days), sales 9,000 (3,000 a month); open: 3,000
due 2025-04-30 and 1,500 due 2025-02-28. DSO = 4,500 / 9,000 x 90 = 45; BPDSO = 3,000 / 9,000 x 90 = 30;
ADD = 15; countback = 31 (March, 3,000) + 1,500 / 3,000 x 28 = 45.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from .. import kpi
from ..ledger import Ledger, open_items, period_documents, settled_invoices
from ..settings import Settings
from . import delays_history as hist_mod
from . import penalties as pen
from .base import ColumnSpec, Observation, amount, days, records
from .delays_history import MONTHLY_COLUMNS, ClientCodes, client_codes, text
from .receivables_habits import rating_edges, ratings

SECTION = 4
CENT = 0.005
CLAIM_SEVERITY_2 = 1000.0  # claim_penalties: severity 2 from this amount (EUR), else 3

COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "monthly": MONTHLY_COLUMNS,
    "clients": tuple(ColumnSpec(*c) for c in (
        ("client_id", "Code client", "Client code", "text"), ("client_name", "Client", "Client", "text"),
        ("outstanding", "Encours", "Outstanding", "amount"), ("not_due", "Non échu", "Not yet due", "amount"),
        ("past_due", "Échu", "Past due", "amount"),
        ("revenue", "CA TTC de la période", "Period sales incl. VAT", "amount"), ("dso", "DSO", "DSO", "days"),
        ("weighted_terms_days", "Délai contractuel pondéré", "Weighted contractual terms", "days"),
        ("dso_gap_days", "Écart DSO - délai", "DSO - terms gap", "days"),
        ("weighted_days_late", "Retard moyen pondéré (réglées)", "Weighted days late (settled)", "days"),
        ("weighted_days_late_with_open", "Retard moyen pondéré (y c. échues)",
         "Weighted days late (incl. overdue)", "days"),
        ("claimable", "Pénalités + indemnités", "Penalties + indemnities", "amount"))),
    "late_invoices": pen.LATE_INVOICE_COLUMNS,
    "penalties_by_client": pen.BY_CLIENT_COLUMNS,
    "stop_delivery": tuple(ColumnSpec(*c) for c in (
        ("client_id", "Code client", "Client code", "text"), ("client_name", "Client", "Client", "text"),
        ("overdue_amount", "Échu au-delà du seuil", "Overdue beyond the threshold", "amount"),
        ("overdue_invoices", "Factures concernées", "Invoices", "int"),
        ("oldest_days_past_due", "Plus ancien retard (jours)", "Oldest days past due", "days"),
        ("outstanding", "Encours total", "Total outstanding", "amount"),
        ("weighted_days_late_with_open", "Retard moyen pondéré (y c. échues)",
         "Weighted days late (incl. overdue)", "days"),
        ("rating", "Note", "Rating", "text"))),
}


def _opt(x: float | None) -> float | None:
    return None if x is None or not np.isfinite(x) else float(x)


@dataclass(frozen=True)
class DelaysResult:
    """Section 4 result: KPIs (None = not computable, see ``missing``; ``cei`` in percent), the detail
    tables described by :data:`COLUMNS` and the observations (``dso_above_target``, ``claim_penalties``,
    ``stop_delivery``). ``not_due`` is the not-yet-due part of ``outstanding``."""

    as_of: pd.Timestamp
    period_start: pd.Timestamp
    period_days: int
    outstanding: float
    revenue: float
    not_due: float
    opening_receivables: float | None
    dso_simple: float | None
    dso_countback: float | None
    best_possible_dso: float | None
    average_days_delinquent: float | None
    cei: float | None
    cei_months: int
    weighted_terms_days: float | None
    dso_gap_days: float | None
    dso_target_days: float | None
    dso_target_source: str  # "setting" | "terms"
    weighted_days_late: float | None
    weighted_days_late_with_open: float | None
    penalties_claimable: float
    fixed_indemnities_claimable: float
    penalties: dict[str, Any]  # summary, see penalties.summary
    monthly: pd.DataFrame | None
    clients: pd.DataFrame
    late_invoices: pd.DataFrame
    penalties_by_client: pd.DataFrame
    stop_delivery: pd.DataFrame
    observations: tuple[Observation, ...] = ()
    missing: tuple[str, ...] = ()
    COLUMNS: ClassVar[dict[str, tuple[ColumnSpec, ...]]] = COLUMNS

    def to_dict(self, top_invoices: int = 100) -> dict[str, Any]:
        """The JSON block. ``penalties.invoices`` lists the ``top_invoices`` largest claims only."""
        k = self.COLUMNS
        summary = {key: (amount(v) if isinstance(v, float) else v) for key, v in self.penalties.items()}
        summary["clients"] = records(self.penalties_by_client, k["penalties_by_client"])
        summary["invoices"] = records(self.late_invoices.head(top_invoices), k["late_invoices"])
        return {
            "as_of": self.as_of.date().isoformat(), "period_start": self.period_start.date().isoformat(),
            "period_days": self.period_days, "outstanding": amount(self.outstanding),
            "revenue": amount(self.revenue), "not_due": amount(self.not_due),
            "past_due": amount(self.outstanding - self.not_due),
            "opening_receivables": amount(self.opening_receivables),
            **{key: days(getattr(self, key)) for key in (
                "dso_simple", "dso_countback", "best_possible_dso", "average_days_delinquent", "cei",
                "weighted_terms_days", "dso_gap_days", "dso_target_days", "weighted_days_late",
                "weighted_days_late_with_open")},
            "cei_months": self.cei_months, "dso_target_source": self.dso_target_source,
            "penalties_claimable": amount(self.penalties_claimable),
            "fixed_indemnities_claimable": amount(self.fixed_indemnities_claimable),
            "penalties": summary,
            "monthly": None if self.monthly is None else records(self.monthly, k["monthly"]),
            "clients": records(self.clients, k["clients"]),
            "stop_delivery": records(self.stop_delivery, k["stop_delivery"]),
            "missing": list(self.missing),
            "observations": [{"rule": o.rule, "client_id": o.client_id, "amount": amount(o.amount),
                              "count": o.count, "cash_impact": amount(o.cash_impact), "severity": o.severity,
                              "params": o.params} for o in self.observations],
        }


def _div(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)


def _per_client(ledger: Ledger, codes: ClientCodes, items: pd.DataFrame, item_codes: np.ndarray,
                not_due: np.ndarray, docs: pd.DataFrame, settled: pd.DataFrame) -> dict[str, np.ndarray]:
    """Per client code: outstanding, not_due, revenue, terms sums, and the days-late sums of the
    invoices settled in the period (``s_w``, ``s_wd``) and of the open overdue invoices (``o_w``, ``o_wd``)."""
    open_amount = items["open_amount"].to_numpy(dtype="float64")
    overdue = ((items["kind"] == "invoice") & (items["days_past_due"] > 0)).to_numpy()
    dpd = items["days_past_due"].to_numpy(dtype="float64")
    dc = codes.of_rows(ledger, docs)
    amt = docs["amount"].to_numpy(dtype="float64")
    pos = amt > 0
    terms = np.nan_to_num(docs["terms_days"].to_numpy(dtype="float64"))
    sc = codes.of_rows(ledger, settled)
    s_amt = settled["amount"].to_numpy(dtype="float64")
    s_late = np.clip(settled["days_late"].to_numpy(dtype="float64"), 0, None)
    return {
        "outstanding": codes.sums(item_codes, open_amount),
        "not_due": codes.sums(item_codes[not_due], open_amount[not_due]),
        "revenue": codes.sums(dc, amt),
        "t_w": codes.sums(dc[pos], amt[pos]), "t_wd": codes.sums(dc[pos], amt[pos] * terms[pos]),
        "s_w": codes.sums(sc, s_amt), "s_wd": codes.sums(sc, s_amt * s_late),
        "o_w": codes.sums(item_codes[overdue], open_amount[overdue]),
        "o_wd": codes.sums(item_codes[overdue], open_amount[overdue] * dpd[overdue]),
    }


def _client_table(codes: ClientCodes, names: np.ndarray, c: dict[str, np.ndarray], claimable: np.ndarray,
                  period_days: int, known_dates: bool) -> pd.DataFrame:
    revenue = c["revenue"]
    dso = _div(c["outstanding"] * period_days, np.where(revenue > 0, revenue, 0.0))
    terms = _div(c["t_wd"], c["t_w"])
    unknown = np.full(len(revenue), np.nan)
    out = pd.DataFrame({
        "client_id": text(codes.ids.to_numpy()), "client_name": text(names), "outstanding": c["outstanding"],
        "not_due": c["not_due"], "past_due": c["outstanding"] - c["not_due"], "revenue": revenue, "dso": dso,
        "weighted_terms_days": terms, "dso_gap_days": dso - terms,
        "weighted_days_late": _div(c["s_wd"], c["s_w"]) if known_dates else unknown,
        "weighted_days_late_with_open": _div(c["s_wd"] + c["o_wd"], c["s_w"] + c["o_w"]) if known_dates
        else unknown,
        "claimable": claimable,
    })
    out = out[(np.abs(c["outstanding"]) > CENT) | (np.abs(revenue) > CENT) | (claimable > CENT)]
    return out.sort_values(["outstanding", "client_id"], ascending=[False, True], kind="mergesort") \
        .reset_index(drop=True)


def _stop_delivery(settings: Settings, codes: ClientCodes, names: np.ndarray, items: pd.DataFrame,
                   item_codes: np.ndarray, c: dict[str, np.ndarray], known_dates: bool) -> pd.DataFrame:
    """Clients owing invoices overdue by more than ``overdue_block_days``, in debit overall, whose weighted
    days late (incl. overdue) exceed the rating-D edge or who are rated D (section 1's rating of the
    invoices settled in the period): ranked by that overdue amount. Without payment dates the payment
    behaviour is unknown: nobody is listed (``missing`` says why)."""
    block = ((items["kind"] == "invoice") & (items["days_past_due"] > settings.overdue_block_days)).to_numpy()
    bc = item_codes[block]
    overdue = codes.sums(bc, items["open_amount"].to_numpy()[block])
    oldest = pd.Series(items["days_past_due"].to_numpy()[block]).groupby(bc).max() \
        .reindex(range(len(overdue))).to_numpy()
    edges = rating_edges(settings)
    rating = ratings(_div(c["s_wd"], c["s_w"]), edges)
    wdl_open = _div(c["s_wd"] + c["o_wd"], c["s_w"] + c["o_w"])
    flag = (overdue > CENT) & (c["outstanding"] > CENT) & ((wdl_open > edges[2]) | (rating == "D")) \
        & known_dates
    out = pd.DataFrame({
        "client_id": text(codes.ids.to_numpy()), "client_name": text(names), "overdue_amount": overdue,
        "overdue_invoices": np.bincount(bc, minlength=len(overdue)), "oldest_days_past_due": oldest,
        "outstanding": c["outstanding"], "weighted_days_late_with_open": wdl_open, "rating": text(rating),
    })[flag]
    return out.sort_values(["overdue_amount", "client_id"], ascending=[False, True], kind="mergesort") \
        .reset_index(drop=True)


def _observations(r: dict[str, Any], by_client: pd.DataFrame, stop: pd.DataFrame,
                  settings: Settings) -> tuple[Observation, ...]:
    obs: list[Observation] = []
    dso, target = r["dso_simple"], r["dso_target_days"]
    if dso is not None and target is not None and dso > target:
        freed = (dso - target) * r["revenue"] / r["period_days"]
        obs.append(Observation(SECTION, "dso_above_target", None, amount=freed, cash_impact=freed,
                               severity=1 if dso - target > settings.dso_alert_days else 2,
                               params={"dso": days(dso), "target": days(target), "gap": days(dso - target),
                                       "target_source": r["dso_target_source"]}))
    for row in by_client[by_client["claimable"] > CENT].itertuples(index=False):
        obs.append(Observation(SECTION, "claim_penalties", row.client_id, amount=row.claimable,
                               count=int(row.late_invoices), cash_impact=row.claimable,
                               severity=2 if row.claimable >= CLAIM_SEVERITY_2 else 3,
                               params={"penalties": amount(row.penalty), "indemnities": amount(row.indemnity),
                                       "disputed": amount(row.disputed_claimable)}))
    for row in stop.itertuples(index=False):
        obs.append(Observation(SECTION, "stop_delivery", row.client_id, amount=row.overdue_amount,
                               count=int(row.overdue_invoices), severity=1,
                               params={"days": settings.overdue_block_days,
                                       "oldest_days": days(row.oldest_days_past_due),
                                       "weighted_days_late": days(row.weighted_days_late_with_open),
                                       "rating": row.rating, "outstanding": amount(row.outstanding)}))
    return tuple(obs)


def compute(ledger: Ledger, settings: Settings) -> DelaysResult:
    items = open_items(ledger)
    docs = period_documents(ledger)
    settled = settled_invoices(ledger)
    period_days = ledger.period_days
    known_dates = "payment_dates" in ledger.available
    cei_months = max(1, int(settings.cei_months))
    missing = [] if known_dates else ["payment_dates"]
    codes = client_codes(ledger)
    names = ledger.client_names().reindex(codes.ids).fillna(pd.Series(codes.ids, index=codes.ids)).to_numpy()
    item_codes = codes.of_ids(items["client_id"])

    outstanding = float(items["open_amount"].sum())
    revenue = float(docs["amount"].sum())
    if not revenue > 0:
        missing.append("period_revenue")
    not_due_mask = ((items["kind"] != "unapplied") & (items["days_past_due"] <= 0)).to_numpy()
    c = _per_client(ledger, codes, items, item_codes, not_due_mask, docs, settled)
    not_due = float(c["not_due"].sum())
    dso = kpi.dso_simple(outstanding, revenue, period_days)
    bpdso = kpi.best_possible_dso(not_due, revenue, period_days)
    terms = float(_div(c["t_wd"].sum(), c["t_w"].sum()))  # = kpi.weighted_average_days, without list()

    hist = hist_mod.history(ledger)
    countback = kpi.dso_countback(outstanding, hist.countback_months(0))
    opening = cei = monthly = wdl = wdl_open = None
    if known_dates:
        rec = hist_mod.month_end_receivables(ledger, hist)
        opening = float(rec[hist.period_windows])
        cei = kpi.collection_effectiveness_index(opening, revenue, outstanding, not_due, cei_months)
        monthly = hist_mod.monthly_series(hist, rec)
        wdl = float(_div(c["s_wd"].sum(), c["s_w"].sum()))
        wdl_open = float(_div(c["s_wd"].sum() + c["o_wd"].sum(), c["s_w"].sum() + c["o_w"].sum()))

    late_inv, excluded, excluded_amount = pen.late_invoices(ledger, settings, settled, codes, names)
    by_client = pen.by_client(late_inv, codes, names)
    summary = pen.summary(late_inv, excluded, excluded_amount, known_dates)
    claimable = codes.sums(late_inv["code"].to_numpy(), late_inv["claimable"].to_numpy())
    clients = _client_table(codes, names, c, claimable, period_days, known_dates)
    stop = _stop_delivery(settings, codes, names, items, item_codes, c, known_dates)

    target_source = "setting" if settings.dso_target_days is not None else "terms"
    target = settings.dso_target_days if settings.dso_target_days is not None else _opt(terms)
    r: dict[str, Any] = {
        "as_of": ledger.as_of, "period_start": ledger.period_start, "period_days": period_days,
        "outstanding": outstanding, "revenue": revenue, "not_due": not_due, "opening_receivables": opening,
        "dso_simple": _opt(dso), "dso_countback": _opt(countback) if revenue > 0 else None,
        "best_possible_dso": _opt(bpdso), "average_days_delinquent": _opt(kpi.average_days_delinquent(dso, bpdso)),
        "cei": _opt(cei), "cei_months": cei_months, "weighted_terms_days": _opt(terms),
        "dso_gap_days": _opt(dso - terms), "dso_target_days": _opt(target), "dso_target_source": target_source,
        "weighted_days_late": _opt(wdl), "weighted_days_late_with_open": _opt(wdl_open),
        "penalties_claimable": summary["penalties_claimable"],
        "fixed_indemnities_claimable": summary["fixed_indemnities_claimable"],
    }
    obs = _observations(r, by_client, stop, settings)
    return DelaysResult(**r, penalties=summary, monthly=monthly, clients=clients,
                        late_invoices=late_inv.drop(columns=["code", "is_open"]), penalties_by_client=by_client,
                        stop_delivery=stop, observations=obs, missing=tuple(missing))
