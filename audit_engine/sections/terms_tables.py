"""Section 3 detail tables (column specs), the decision tables built from the per-client facts, and the
observations handed to the action plan.

Shorter terms, cash impact (``shorten_terms``): the outstanding of a client is, in steady state, its
revenue per day x the days it takes to pay (Little's law), so removing d days of terms frees
revenue_per_day x d. Per invoice of the period with known terms, the days removed are those beyond the
target due date (the latest legal due date; for a C/D client with terms over 30 days, invoice date +
30 days); summed over the client's invoices:

    cash_impact = sum(amount x days beyond target) / days of the period
                = (revenue / period days) x (amount-weighted days removed)

e.g. 36,500 invoiced over 365 days, all 20 days beyond the legal maximum: 100 a day x 20 = 2,000.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..settings import Settings
from .base import ColumnSpec, Observation


def _c(key: str, fr: str, en: str, kind: str) -> ColumnSpec:
    return ColumnSpec(key, fr, en, kind)


_ID = (_c("client_id", "Code client", "Client code", "text"), _c("client_name", "Client", "Client", "text"))
_MASTER = (_c("master_terms_days", "Délai contractuel (j)", "Contractual terms (days)", "days"),
           _c("master_terms_rule", "Type de délai contractuel", "Contractual terms type", "text"))
_OVER = (_c("master_over_legal", "Délai contractuel hors loi", "Contract over legal max", "bool"),
         _c("over_legal_count", "Factures hors délai légal", "Invoices over legal max", "int"),
         _c("over_legal_amount", "Montant hors délai légal", "Amount over legal max", "amount"),
         _c("max_excess_days", "Dépassement maximal (j)", "Largest excess (days)", "days"))
_RATING = _c("rating", "Note", "Rating", "text")
_LIMIT = _c("credit_limit_exceeded", "Plafond dépassé", "Credit limit exceeded", "bool")

COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "terms_by_client": (
        *_ID, *_MASTER, _c("invoice_count", "Factures de la période", "Invoices in period", "int"),
        _c("amount", "Montant facturé", "Amount invoiced", "amount"),
        _c("weighted_terms_days", "Délai moyen pondéré (j)", "Weighted terms (days)", "days"),
        _c("median_terms_days", "Délai médian constaté (j)", "Median observed terms (days)", "days"),
        _c("min_terms_days", "Délai minimal (j)", "Shortest terms (days)", "days"),
        _c("max_terms_days", "Délai maximal (j)", "Longest terms (days)", "days"),
        _c("distinct_terms", "Délais différents", "Distinct terms", "int"),
        _c("observed_rule", "Type de délai constaté", "Observed terms type", "text"),
        _c("uniform", "Délais homogènes", "Uniform terms", "bool"),
        _c("mismatch_count", "Factures hors conditions client", "Invoices off master terms", "int"),
        _c("mismatch_amount", "Montant hors conditions client", "Amount off master terms", "amount"),
        *_OVER, _c("settled_count", "Factures réglées", "Invoices settled", "int"),
        _c("weighted_days_to_pay", "Délai de paiement réel (j)", "Actual days to pay", "days"),
        _c("weighted_terms_settled", "Délai accordé (j)", "Terms granted (days)", "days"),
        _c("payment_gap_days", "Écart réel - accordé (j)", "Gap actual - terms (days)", "days")),
    "over_legal_clients": (*_ID, *_MASTER, _c("max_terms_days", "Délai maximal constaté (j)",
                                              "Longest observed terms (days)", "days"), *_OVER),
    "credit_limit_clients": (*_ID, _c("credit_limit", "Plafond de crédit", "Credit limit", "amount"),
                             _c("outstanding", "Encours", "Outstanding", "amount"),
                             _c("excess", "Dépassement", "Excess", "amount"), _c("overdue", "Échu", "Overdue", "amount")),
    "invoiced_while_overdue_clients": (
        *_ID, _c("invoice_count", "Factures émises en retard", "Invoices issued while overdue", "int"),
        _c("invoiced_amount", "Montant facturé", "Amount invoiced", "amount"),
        _c("worst_days_overdue", "Retard maximal alors (j)", "Worst overdue then (days)", "days"),
        _c("first_date", "Première facture", "First invoice", "date"),
        _c("last_date", "Dernière facture", "Last invoice", "date"),
        _c("overdue", "Échu à la date d'arrêté", "Overdue at as-of date", "amount")),
    "deposit_candidates": (
        *_ID, _RATING, _c("weighted_terms_days", "Délai moyen pondéré (j)", "Weighted terms (days)", "days"),
        _c("outstanding", "Encours", "Outstanding", "amount"),
        _c("outstanding_share", "Part de l'encours", "Share of outstanding", "share"),
        _c("long_terms", "Délais longs", "Long terms", "bool"),
        _c("high_outstanding", "Encours élevé", "High outstanding", "bool"), _LIMIT),
    "clients_to_block": (
        *_ID, _RATING, _c("outstanding", "Encours", "Outstanding", "amount"), _c("overdue", "Échu", "Overdue", "amount"),
        _c("overdue_over_block", "Échu depuis plus de N jours", "Overdue more than N days", "amount"),
        _c("max_days_past_due", "Retard maximal (j)", "Max days past due", "days"), _LIMIT),
    "shorten_terms_clients": (
        *_ID, _c("basis", "Motif", "Basis", "text"),
        _c("weighted_terms_days", "Délai moyen pondéré (j)", "Weighted terms (days)", "days"),
        _c("target_days", "Délai cible (j)", "Target terms (days)", "days"),
        _c("days_removed", "Jours gagnés (pondérés)", "Days removed (weighted)", "days"),
        _c("amount", "Montant facturé", "Amount invoiced", "amount"),
        _c("cash_impact", "Trésorerie libérée", "Cash freed", "amount")),
}


def exposure(items: pd.DataFrame, limits: pd.Series, block_days: int) -> pd.DataFrame:
    """Per client at the as-of date: outstanding (all open items), overdue and overdue over
    ``block_days`` (open invoices past due), max days past due, credit limit, excess, exceeded."""
    inv = items["kind"].to_numpy() == "invoice"
    dpd = items["days_past_due"].to_numpy(dtype=float)
    f = items.assign(overdue=np.where(inv & (dpd > 0), items["open_amount"], 0.0),
                     over_block=np.where(inv & (dpd > block_days), items["open_amount"], 0.0),
                     dpd=np.where(inv & (dpd > 0), dpd, np.nan))
    out = f.groupby("client_id").agg(outstanding=("open_amount", "sum"), overdue=("overdue", "sum"),
                                     overdue_over_block=("over_block", "sum"), max_days_past_due=("dpd", "max"))
    out.index = out.index.astype(object)
    out = out.reindex(out.index.union(limits.index), fill_value=0.0)
    out["credit_limit"] = limits.reindex(out.index)
    out["excess"] = (out["outstanding"] - out["credit_limit"]).round(2)
    out["credit_limit_exceeded"] = (out["excess"] > 0.004).to_numpy()
    return out


def named(frame: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    frame = frame.copy()
    frame.index.name = "client_id"
    ids = frame.index.to_series()
    frame.insert(0, "client_name", names.reindex(frame.index).fillna(ids).to_numpy())
    return frame.reset_index()


def decision_tables(by: pd.DataFrame, ex: pd.DataFrame, habits: pd.DataFrame, master: pd.DataFrame,
                    wo: pd.DataFrame | None, names: pd.Series, settings: Settings, high_share: float,
                    period_days: int) -> dict[str, pd.DataFrame]:
    """credit_limit_clients, invoiced_while_overdue_clients, deposit_candidates, clients_to_block and
    shorten_terms_clients from the per-client facts (``by`` indexed by client_id)."""
    ids = by.index.union(ex.index).union(habits.index)
    rating = habits["rating"].reindex(ids)
    risky = rating.isin(["C", "D"]).to_numpy()
    ex = ex.reindex(ids)
    terms = by["weighted_terms_days"].reindex(ids).fillna(master["terms_days"].reindex(ids))
    outstanding = ex["outstanding"].fillna(0.0)
    total = float(outstanding.sum())
    out_share = outstanding / total if total > 0.004 else pd.Series(np.nan, index=ids)
    exceeded = ex["credit_limit_exceeded"].fillna(False).astype(bool)
    active = (outstanding.abs() > 0.004) | (by["invoice_count"].reindex(ids).fillna(0) > 0)
    long_terms = terms > settings.legal_default_days
    high = out_share >= high_share
    has_deposit = master["deposit_paid"].reindex(ids).fillna(False).astype(bool)
    cand = risky & (long_terms | high | exceeded).to_numpy() & ~has_deposit.to_numpy() & active.to_numpy()
    cand_t = pd.DataFrame({"rating": rating, "weighted_terms_days": terms, "outstanding": outstanding,
                           "outstanding_share": out_share, "long_terms": long_terms, "high_outstanding": high,
                           "credit_limit_exceeded": exceeded}, index=ids)[cand]
    block = (ex["overdue_over_block"].fillna(0) > 0.004) & (outstanding > 0.004) & (exceeded | (rating == "D"))
    block_t = ex.loc[block, ["outstanding", "overdue", "overdue_over_block", "max_days_past_due",
                             "credit_limit_exceeded"]].assign(rating=rating[block])
    credit_t = ex.loc[exceeded, ["credit_limit", "outstanding", "excess", "overdue"]]
    # shorter terms: C/D with long terms -> invoice date + legal_default_days; else over the legal max
    b = by.reindex(ids)
    risk_basis = (risky & long_terms.to_numpy()) & (b["risk_amount_days"].fillna(0) > 0).to_numpy()
    amount_days = np.where(risk_basis, b["risk_amount_days"].fillna(0), b["excess_amount_days"].fillna(0))
    cash = amount_days / period_days
    short = cash > 0.005
    short_t = pd.DataFrame({
        "basis": np.where(risk_basis, "risk", "legal_max"), "weighted_terms_days": terms,
        "target_days": np.where(risk_basis, float(settings.legal_default_days), np.nan),
        "days_removed": amount_days / b["amount"].where(b["amount"] > 0).to_numpy(),
        "amount": b["amount"], "cash_impact": cash}, index=ids)[short]
    wo_t = pd.DataFrame(columns=["invoice_count", "invoiced_amount", "worst_days_overdue", "first_date",
                                 "last_date"]) if wo is None else wo
    wo_t = wo_t.assign(overdue=ex["overdue"].reindex(wo_t.index).fillna(0.0),
                       overdue_over_block=ex["overdue_over_block"].reindex(wo_t.index).fillna(0.0))
    tables = {"credit_limit_clients": (credit_t, "excess"), "invoiced_while_overdue_clients": (wo_t, "invoiced_amount"),
              "deposit_candidates": (cand_t, "outstanding"), "clients_to_block": (block_t, "overdue"),
              "shorten_terms_clients": (short_t, "cash_impact")}  # largest first
    return {k: named(v.sort_values(key, ascending=False, kind="stable"), names) for k, (v, key) in tables.items()}


def _num(frame: pd.DataFrame, key: str, ndigits: int = 2) -> list[Any]:
    """A column as rounded Python floats, None for NaN (vectorised: tables may have 100,000 rows)."""
    x = pd.to_numeric(frame[key], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    out = np.round(x, ndigits).astype(object)
    out[np.isnan(x)] = None
    return out.tolist()


def _obj(frame: pd.DataFrame, key: str) -> list[Any]:
    x = frame[key].to_numpy(dtype=object)
    return [None if v is None or v is pd.NA or v != v else v for v in x]


def _flag(frame: pd.DataFrame, key: str) -> list[bool]:
    return frame[key].fillna(False).to_numpy(dtype=bool).tolist()


def _ints(values: list[Any]) -> list[int | None]:
    return [None if v is None or v == 0 else int(v) for v in values]


def observations(r: Any, settings: Settings, section: int) -> tuple[Observation, ...]:
    """The observations of a :class:`~audit_engine.sections.terms.TermsResult` (rule ids in the README)."""
    obs: list[Observation] = []
    t = r.over_legal_clients
    legal = {"legal_max_days": settings.legal_max_days, "legal_max_eom_days": settings.legal_max_eom_days}
    for cid, by_master, mdays, mrule, odays, amt, cnt, exc in zip(
            t["client_id"].tolist(), _flag(t, "master_over_legal"), _num(t, "master_terms_days"),
            _obj(t, "master_terms_rule"), _num(t, "max_terms_days"), _num(t, "over_legal_amount"),
            _ints(_num(t, "over_legal_count")), _num(t, "max_excess_days"), strict=True):
        obs.append(Observation(section, "terms_over_legal", cid, amount=amt or None, count=cnt, severity=1, params={
            "days": mdays if by_master else odays, "rule": (mrule or "net") if by_master else "observed",
            "max_excess_days": exc, **legal}))
    t = r.credit_limit_clients
    for cid, exc, lim, out, ovd in zip(t["client_id"].tolist(), _num(t, "excess"), _num(t, "credit_limit"),
                                       _num(t, "outstanding"), _num(t, "overdue"), strict=True):
        obs.append(Observation(section, "credit_limit_exceeded", cid, amount=exc, severity=2,
                               params={"limit": lim, "outstanding": out, "overdue": ovd}))
    t = r.invoiced_while_overdue_clients
    for cid, ovd, cnt, worst, inv_amt, ob in zip(
            t["client_id"].tolist(), _num(t, "overdue"), _ints(_num(t, "invoice_count")),
            _num(t, "worst_days_overdue"), _num(t, "invoiced_amount"), _num(t, "overdue_over_block"), strict=True):
        obs.append(Observation(section, "invoiced_while_overdue", cid, amount=ovd, count=cnt,
                               severity=2 if (ob or 0) > 0.004 else 3,
                               params={"worst_days": worst, "block_days": settings.overdue_block_days,
                                       "invoiced_amount": inv_amt}))
    t = r.deposit_candidates
    for cid, out, rating, terms, shr, lt, hi, ex in zip(
            t["client_id"].tolist(), _num(t, "outstanding"), _obj(t, "rating"), _num(t, "weighted_terms_days"),
            _num(t, "outstanding_share", 4), _flag(t, "long_terms"), _flag(t, "high_outstanding"),
            _flag(t, "credit_limit_exceeded"), strict=True):
        reasons = [k for k, v in (("long_terms", lt), ("high_outstanding", hi), ("credit_limit", ex)) if v]
        obs.append(Observation(section, "deposit_candidate", cid, amount=out, severity=2, params={
            "rating": rating, "terms_days": terms, "outstanding_share": shr, "reasons": reasons}))
    t = r.shorten_terms_clients
    for cid, amt, cash, basis, terms, target, removed in zip(
            t["client_id"].tolist(), _num(t, "amount"), _num(t, "cash_impact"), _obj(t, "basis"),
            _num(t, "weighted_terms_days"), _num(t, "target_days"), _num(t, "days_removed"), strict=True):
        obs.append(Observation(section, "shorten_terms", cid, amount=amt, cash_impact=cash, severity=2, params={
            "basis": basis, "terms_days": terms, "target_days": target, "removed_days": removed}))
    t = r.terms_by_client
    t = t[(t["uniform"] == False).fillna(False) | (t["mismatch_count"].fillna(0) > 0)]  # noqa: E712
    distinct, mismatches = _num(t, "distinct_terms"), _num(t, "mismatch_count")
    uniform = [None if v is pd.NA else bool(v) for v in t["uniform"].to_numpy(dtype=object)]
    for cid, mis_amt, d, lo, hi, un, mdays, mrule, mis in zip(
            t["client_id"].tolist(), _num(t, "mismatch_amount"), distinct, _num(t, "min_terms_days"),
            _num(t, "max_terms_days"), uniform, _num(t, "master_terms_days"), _obj(t, "master_terms_rule"),
            mismatches, strict=True):
        obs.append(Observation(section, "terms_not_uniform", cid, amount=mis_amt or None,
                               count=None if d is None else int(d), severity=3, params={
                                   "min_days": lo, "max_days": hi, "distinct": None if d is None else int(d),
                                   "uniform": un, "master_days": mdays, "master_rule": mrule,
                                   "mismatch_count": None if mis is None else int(mis)}))
    t = r.clients_to_block
    for cid, ovd, rating, dpd, ob, ex in zip(
            t["client_id"].tolist(), _num(t, "overdue"), _obj(t, "rating"), _num(t, "max_days_past_due"),
            _num(t, "overdue_over_block"), _flag(t, "credit_limit_exceeded"), strict=True):
        reasons = (["credit_limit"] if ex else []) + (["rating_D"] if rating == "D" else [])
        obs.append(Observation(section, "block_client", cid, amount=ovd, severity=1, params={
            "max_days_past_due": dpd, "overdue_over_block": ob, "rating": rating, "reasons": reasons}))
    return tuple(obs)
