"""Section 3, "Conditions de paiement" (payment terms): terms per client and how uniform they are, the
legal maximum (Code de commerce L441-10), days to pay against terms, credit limits, clients invoiced
while overdue, and the clients to put on deposit, shorter terms or block.

Worked example, as of 2025-06-30 (period 2024-07-01 .. 2025-06-30, default settings), client C1 with
master terms "60 jours fin de mois" and a credit limit of 5,000:

- F1 4,000 dated 2025-01-10, due 2025-03-31 (terms 80 days), unpaid; F2 3,000 dated 2025-05-15,
  due 2025-07-31 (77 days). weighted_terms_days = (4,000 x 80 + 3,000 x 77) / 7,000 = 78.71.
- Master terms: 60 days with an end-of-month rule > 45 -> over the legal maximum. F1's latest legal
  due date is max(10 Jan + 60 = 11 Mar, end of month of 24 Feb = 28 Feb, 31 Jan + 45 = 17 Mar) =
  17 Mar: 31 Mar is 14 days beyond, so F1 (and F2, 31 Jul vs 15 Jul) are over the legal maximum.
- Outstanding 7,000 > 5,000: credit limit exceeded by 2,000 (overdue 4,000: F1).
- F2 was issued on 15 May while F1 was 45 days past due (> 30) and unpaid: invoiced while overdue.

Definitions of every KPI are in the README (section 3) and on the fields of :class:`TermsResult`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import pandas as pd

from ..ledger import Ledger, open_items, period_documents, settled_invoices
from ..settings import Settings
from .base import ColumnSpec, Observation, amount, days, records, share
from .receivables_habits import client_habits
from .terms_checks import (
    TERMS_TOLERANCE_DAYS,
    day_numbers,
    deposit_paid,
    due_under_terms,
    end_of_month,
    group_max,
    group_sum,
    invoiced_while_overdue,
    latest_legal_due,
    master_over_legal,
    ratio,
    uniformity,
)
from .terms_tables import COLUMNS, decision_tables, exposure, named, observations

__all__ = ["COLUMNS", "HIGH_OUTSTANDING_SHARE", "TermsResult", "compute"]

HIGH_OUTSTANDING_SHARE = 0.05  # deposit candidates: outstanding >= 5 % of the total outstanding
SECTION = 3


@dataclass(frozen=True, eq=False)
class TermsResult:
    weighted_terms_days: float | None  # sum(amount x terms) / sum(amount), period invoices with known terms
    terms_basis_share: float | None  # share of the period's invoiced amount whose terms are known
    clients_not_uniform: int | None  # clients whose invoices are not on one term (+/- 2 days)
    clients_master_mismatch: int | None  # clients with invoices off their master terms (> 2 days)
    over_legal_max: int | None  # clients over L441-10 (master terms or invoices)
    over_legal_master: int | None  # of which by their master terms
    over_legal_invoice_count: int | None  # period invoices due after the latest legal due date
    over_legal_amount: float | None
    weighted_days_to_pay: float | None  # invoices settled in the period: sum(amount x days to pay) / sum
    weighted_terms_settled: float | None  # the same invoices' weighted terms
    payment_gap_days: float | None  # weighted_days_to_pay - weighted_terms_settled
    credit_limit_exceeded: int | None  # clients whose outstanding > credit limit
    credit_limit_excess: float | None
    invoiced_while_overdue: int | None  # clients invoiced while > overdue_block_days overdue
    invoiced_while_overdue_count: int | None
    invoiced_while_overdue_amount: float | None
    deposit_candidate_count: int | None
    clients_to_block_count: int | None
    shorten_terms_cash: float | None  # sum of the shorten_terms cash impacts
    terms_by_client: pd.DataFrame
    over_legal_clients: pd.DataFrame
    credit_limit_clients: pd.DataFrame
    invoiced_while_overdue_clients: pd.DataFrame
    deposit_candidates: pd.DataFrame
    clients_to_block: pd.DataFrame
    shorten_terms_clients: pd.DataFrame
    observations: tuple[Observation, ...] = ()
    missing: tuple[str, ...] = ()  # "due_date", "client_terms", "credit_limit", "payment_dates", "rating"
    params: dict[str, Any] = field(default_factory=dict)

    COLUMNS: ClassVar[dict[str, tuple[ColumnSpec, ...]]] = COLUMNS

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "weighted_terms_days": days(self.weighted_terms_days), "terms_basis_share": share(self.terms_basis_share),
            "clients_not_uniform": self.clients_not_uniform, "clients_master_mismatch": self.clients_master_mismatch,
            "over_legal_max": self.over_legal_max, "over_legal_master": self.over_legal_master,
            "over_legal_invoice_count": self.over_legal_invoice_count,
            "over_legal_amount": amount(self.over_legal_amount),
            "weighted_days_to_pay": days(self.weighted_days_to_pay),
            "weighted_terms_settled": days(self.weighted_terms_settled),
            "payment_gap_days": days(self.payment_gap_days),
            "credit_limit_exceeded": self.credit_limit_exceeded, "credit_limit_excess": amount(self.credit_limit_excess),
            "invoiced_while_overdue": self.invoiced_while_overdue,
            "invoiced_while_overdue_count": self.invoiced_while_overdue_count,
            "invoiced_while_overdue_amount": amount(self.invoiced_while_overdue_amount),
            "deposit_candidate_count": self.deposit_candidate_count,
            "clients_to_block_count": self.clients_to_block_count,
            "shorten_terms_cash": amount(self.shorten_terms_cash),
        }
        for table, specs in COLUMNS.items():
            frame = getattr(self, table)
            bools = [c.key for c in specs if c.kind == "bool" and c.key in frame]
            rows = records(frame.assign(**{k: frame[k].fillna(False).astype(bool) for k in bools}), specs)
            for key in bools:  # a missing flag (e.g. no due date from the data) stays None
                for row, value in zip(rows, frame[key].to_numpy(dtype=object), strict=True):
                    row[key] = None if pd.isna(value) else bool(value)
            out[table] = rows
        out["observations"] = [{"key": o.key, "rule": o.rule, "client_id": o.client_id, "amount": amount(o.amount),
                                "count": o.count, "cash_impact": amount(o.cash_impact), "severity": o.severity,
                                "params": o.params} for o in self.observations]
        out["missing"] = list(self.missing)
        out["params"] = dict(self.params)
        return out


def _master(ledger: Ledger) -> pd.DataFrame:
    m = ledger.clients.set_index("client_id")
    return pd.DataFrame({"terms_days": m["terms_days"].astype(float), "terms_rule": m["terms_rule"].astype(object),
                         "credit_limit": m["credit_limit"].astype(float),
                         "deposit_paid": deposit_paid(m["deposit"])}, index=m.index.astype(object))


def _terms_by_client(docs: pd.DataFrame, ids: pd.Index, master: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per client (all ``ids``, in code order), over the period's invoices ``docs`` (with ``code``)."""
    codes, n = docs["code"].to_numpy(), len(ids)
    amt = docs["amount"].to_numpy(dtype=float)
    inv_d, due_d = day_numbers(docs["invoice_date"]), day_numbers(docs["due_date"])
    known, data = docs["due_source"].ne("default").to_numpy(bool), docs["due_source"].eq("data").to_numpy(bool)
    t = (due_d - inv_d).astype(float)
    inv_eom = end_of_month(inv_d)
    m = master.reindex(ids)
    m_terms, m_rules = m["terms_days"].to_numpy(dtype=float), m["terms_rule"].to_numpy(dtype=object)
    out = pd.DataFrame({"invoice_count": np.bincount(codes, minlength=n), "amount": group_sum(codes, amt, n),
                        "known_amount": group_sum(codes, amt * known, n),
                        "terms_amount_days": group_sum(codes, amt * t * known, n)}, index=ids)
    out["weighted_terms_days"] = ratio(out["terms_amount_days"].to_numpy(), out["known_amount"].to_numpy())
    out["data_invoice_count"] = np.bincount(codes[data], minlength=n)
    uni = uniformity(codes[data], inv_d[data], due_d[data], n, m_rules, invoice_eom=inv_eom[data])
    for col in uni:
        out[col] = uni[col].to_numpy()
    out["uniform"] = pd.array(np.where(out["data_invoice_count"] > 0, uni["observed_rule"].notna(), pd.NA),
                              dtype="boolean")
    check = data & ~np.isnan(m_terms[codes])
    cc = codes[check]
    expected = due_under_terms(inv_d[check], m_terms[cc], m_rules[cc], inv_eom[check])
    off = np.abs(due_d[check] - expected) > TERMS_TOLERANCE_DAYS
    checked = np.bincount(cc, minlength=n) > 0
    out["mismatch_count"] = np.where(checked, np.bincount(cc, weights=off.astype(float), minlength=n), np.nan)
    out["mismatch_amount"] = np.where(checked, group_sum(cc, amt[check] * off, n), np.nan)
    legal = latest_legal_due(inv_d, settings.legal_max_days, settings.legal_max_eom_days, inv_eom)
    excess = np.where(known, due_d - legal, 0)
    over = excess > 0
    out["over_legal_count"] = np.bincount(codes[over], minlength=n)
    out["over_legal_amount"] = group_sum(codes[over], amt[over], n)
    out["max_excess_days"] = group_max(codes[over], excess[over], n)
    out["excess_amount_days"] = group_sum(codes, amt * np.maximum(excess, 0), n)  # sum(amount x days beyond legal)
    risk_excess = np.where(known, t - settings.legal_default_days, 0.0)
    out["risk_amount_days"] = group_sum(codes, amt * np.maximum(risk_excess, 0), n)  # beyond invoice + 30 days
    return out


def _payment_gap(view: Ledger, ids: pd.Index) -> pd.DataFrame:
    """Per client (``ids``): invoices settled in the period, weighted days to pay and terms, gap."""
    s = settled_invoices(view)
    s = s[s["days_to_pay"].notna()]
    codes, n = s["code"].to_numpy(), len(ids)
    amt = s["amount"].to_numpy(dtype=float)
    out = pd.DataFrame({"settled_count": np.bincount(codes, minlength=n), "settled_amount": group_sum(codes, amt, n),
                        "wp": group_sum(codes, amt * s["days_to_pay"].to_numpy(dtype=float), n),
                        "wt": group_sum(codes, amt * s["terms_days"].to_numpy(dtype=float), n)}, index=ids)
    out["weighted_days_to_pay"] = ratio(out["wp"].to_numpy(), out["settled_amount"].to_numpy())
    out["weighted_terms_settled"] = ratio(out["wt"].to_numpy(), out["settled_amount"].to_numpy())
    out["payment_gap_days"] = out["weighted_days_to_pay"] - out["weighted_terms_settled"]
    out["settled_count"] = out["settled_count"].where(out["settled_count"] > 0)
    return out


def _client_names(ledger: Ledger, codes: np.ndarray, ids: pd.Index) -> pd.Series:
    """:meth:`Ledger.client_names` (last name on the invoices, the client master's first) without
    scanning a million names for missing ones: ingestion fills every invoice's name."""
    last = np.full(len(ids), -1, dtype=np.int64)
    np.maximum.at(last, codes, np.arange(len(codes)))
    picked = pd.Series(ledger.invoices["client_name"].to_numpy(dtype=object)[last], index=ids, dtype=object)
    if picked.isna().any():
        return ledger.client_names()
    master = ledger.clients.dropna(subset=["client_name"])
    return pd.Series(master["client_name"].to_numpy(dtype=object), index=master["client_id"].to_numpy(dtype=object),
                     dtype=object).combine_first(picked) if len(master) else picked


# the invoice columns each shared view reads (views on narrow frames: 1,000,000 rows filter fast)
_VIEW_COLUMNS = {
    "period": ("invoice_date", "due_date", "amount", "due_source"),
    "settled": ("invoice_date", "due_date", "amount", "settlement_date", "terms_days"),
    "open": ("invoice_id", "client_id", "invoice_date", "due_date", "amount", "open_amount", "disputed"),
    "sweep": ("due_date", "amount", "open_amount", "settlement_date"),
}


def _view(ledger: Ledger, codes: np.ndarray, key: str) -> Ledger:
    return dataclasses.replace(ledger, invoices=ledger.invoices[list(_VIEW_COLUMNS[key])].assign(code=codes))


def compute(ledger: Ledger, settings: Settings) -> TermsResult:
    """Section 3 over the invoices of the analysis period, exposure at ``ledger.as_of``."""
    inv, missing = ledger.invoices, []
    master = _master(ledger)
    codes, uniques = pd.factorize(inv["client_id"])
    ids = pd.Index(uniques, dtype=object, name="client_id")
    docs = period_documents(_view(ledger, codes, "period"))
    docs = docs[docs["amount"].to_numpy() > 0]
    names = _client_names(ledger, codes, ids)
    has_data = bool((docs["due_source"] == "data").any())
    has_master_terms = bool(master["terms_days"].notna().any())
    if "due_date" not in ledger.available or not has_data:
        missing.append("due_date")
    if not has_master_terms:
        missing.append("client_terms")

    by = _terms_by_client(docs, ids, master, settings)
    gap = _payment_gap(_view(ledger, codes, "settled"), ids)
    active = (by["invoice_count"] > 0) | gap["settled_count"].notna()
    idx = ids[active.to_numpy()].union(master.index[master["terms_days"].notna()])
    by = pd.concat([by, gap.drop(columns=["settled_amount"])], axis=1).reindex(idx)
    m = master.reindex(idx)
    by.insert(0, "master_terms_rule", m["terms_rule"])
    by.insert(0, "master_terms_days", m["terms_days"])
    by["master_over_legal"] = pd.array(np.where(m["terms_days"].notna(), master_over_legal(
        m["terms_days"].to_numpy(dtype=float), m["terms_rule"].to_numpy(dtype=object), settings.legal_max_days,
        settings.legal_max_eom_days), pd.NA), dtype="boolean")
    for col in ("invoice_count", "data_invoice_count", "over_legal_count"):
        by[col] = by[col].fillna(0).astype(np.int64)
    for col in ("amount", "known_amount", "terms_amount_days", "over_legal_amount", "excess_amount_days",
                "risk_amount_days", "wp", "wt"):
        by[col] = by[col].fillna(0.0)

    habits = client_habits(ledger, settings)
    if not habits["rating"].notna().any():
        missing.append("rating")
    limits = master["credit_limit"].where(master["credit_limit"] > 0).dropna()
    if limits.empty:
        missing.append("credit_limit")
    ex = exposure(open_items(_view(ledger, codes, "open")), limits, settings.overdue_block_days)
    paid_undated = "payment_dates" not in ledger.available and bool((inv["paid"].abs() > 0.004).any())
    settled_total = float(gap["settled_amount"].sum())
    if paid_undated or (settled_total == 0 and "payment_dates" not in ledger.available):
        missing.append("payment_dates")
    wo = None if paid_undated else invoiced_while_overdue(_view(ledger, codes, "sweep"), docs, ids,
                                                          settings.overdue_block_days)
    tables = decision_tables(by, ex, habits, master, wo, names, settings, HIGH_OUTSTANDING_SHARE, ledger.period_days)

    over_mask = by["master_over_legal"].fillna(False).to_numpy(dtype=bool) | (by["over_legal_count"] > 0).to_numpy()
    known_total = float(by["known_amount"].sum())
    with_names = named(by, names)[[c.key for c in COLUMNS["terms_by_client"]]]  # internal sums dropped
    over_legal = with_names.loc[over_mask, [c.key for c in COLUMNS["over_legal_clients"]]].sort_values(
        "over_legal_amount", ascending=False, kind="stable").reset_index(drop=True)
    wdp, wts = ratio(float(by["wp"].sum()), settled_total).item(), ratio(float(by["wt"].sum()), settled_total).item()
    credit, wo_t, cand, block, short = (tables[k] for k in (
        "credit_limit_clients", "invoiced_while_overdue_clients", "deposit_candidates", "clients_to_block",
        "shorten_terms_clients"))
    result = TermsResult(
        weighted_terms_days=_none(ratio(float(by["terms_amount_days"].sum()), known_total).item()),
        terms_basis_share=_none(ratio(known_total, float(by["amount"].sum())).item()),
        clients_not_uniform=int((by["uniform"] == False).sum()) if has_data else None,  # noqa: E712
        clients_master_mismatch=int((by["mismatch_count"] > 0).sum()) if has_data and has_master_terms else None,
        over_legal_max=int(over_mask.sum()) if known_total > 0 or has_master_terms else None,
        over_legal_master=int(by["master_over_legal"].fillna(False).sum()) if has_master_terms else None,
        over_legal_invoice_count=int(by["over_legal_count"].sum()) if known_total > 0 else None,
        over_legal_amount=float(by["over_legal_amount"].sum()) if known_total > 0 else None,
        weighted_days_to_pay=_none(wdp), weighted_terms_settled=_none(wts), payment_gap_days=_none(wdp - wts),
        credit_limit_exceeded=None if limits.empty else len(credit),
        credit_limit_excess=None if limits.empty else float(credit["excess"].sum()),
        invoiced_while_overdue=None if wo is None else len(wo_t),
        invoiced_while_overdue_count=None if wo is None else int(wo_t["invoice_count"].sum()),
        invoiced_while_overdue_amount=None if wo is None else float(wo_t["invoiced_amount"].sum()),
        deposit_candidate_count=None if "rating" in missing else len(cand),
        clients_to_block_count=None if "rating" in missing and limits.empty else len(block),
        shorten_terms_cash=float(short["cash_impact"].sum()),
        terms_by_client=with_names, over_legal_clients=over_legal,
        credit_limit_clients=credit, invoiced_while_overdue_clients=wo_t, deposit_candidates=cand,
        clients_to_block=block, shorten_terms_clients=short, missing=tuple(missing),
        params={"legal_max_days": settings.legal_max_days, "legal_max_eom_days": settings.legal_max_eom_days,
                "legal_default_days": settings.legal_default_days, "overdue_block_days": settings.overdue_block_days,
                "tolerance_days": TERMS_TOLERANCE_DAYS, "high_outstanding_share": HIGH_OUTSTANDING_SHARE,
                "period_days": ledger.period_days},
    )
    return dataclasses.replace(result, observations=observations(result, settings, SECTION))


def _none(x: float) -> float | None:
    return None if x is None or np.isnan(x) else float(x)
