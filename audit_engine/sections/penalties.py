"""Section 4 helper: late-payment penalties and fixed indemnities that could be claimed (B2B).

Code de commerce L441-10 II and D441-5, as of the as-of date:

- invoices (amount > 0) **settled late in the analysis period**: ``amount x rate x days late / 365``;
- invoices **still overdue at the as-of date**: ``open amount x rate x (as_of - due) / 365``;
- plus the fixed recovery indemnity (``settings.fixed_indemnity``, EUR 40) once per late invoice.

Rate (percent a year): the client's contractual rate (``clients.penalty_rate``), else
``settings.penalty_rate``, else the legal default :func:`audit_engine.kpi.legal_penalty_rate` = ECB main
refinancing rate + 10 points for the half-year **containing the due date** (``settings.ecb_rate``
overrides the ECB table). A rate typed as a fraction (0.1215) is read as 12.15 %. A due date before the
ECB table (2014) without an ECB override gives an unknown rate: the invoice is listed, its penalty is
empty and left out of the totals (``unknown_rate_invoices``).

Consumers are excluded (penalties and indemnity are B2B rules): a client whose ``customer_type`` reads
"B2C", "Particulier", "Consommateur", "Consumer", "Individual", "Non professionnel"..., or "Non"/"No"
(a yes/no "B2B" column). Credit notes never bear penalties. Disputed invoices are included but flagged,
and their part is given apart. Partial payments made late on an invoice still open are not charged
(the open part is): the estimate is conservative.

Worked example: an invoice of 10,000 due 2025-03-31 paid on 2025-06-12 (73 days late), no contractual
rate, ECB rate 3.15 % on 1 January 2025: rate 13.15 %, penalty 10,000 x 13.15 % x 73 / 365 = 263.00,
plus EUR 40.

>>> is_consumer(pd.Series(["B2C", "Particulier", "PME", None, "Non", "B2B"])).tolist()
[True, True, False, False, True, False]
>>> round(as_percent(0.1215), 4), as_percent(12.15), as_percent(0)
(12.15, 12.15, None)
>>> legal_rates(np.array(["2025-03-31", "2025-07-31"], dtype="datetime64[ns]"), None).tolist()
[13.15, 12.15]
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .. import kpi
from ..ledger import DAY, Ledger
from ..schema import normalize_header
from ..settings import Settings
from .base import ColumnSpec
from .delays_history import NS, ClientCodes, invoice_positions, text

CONSUMER_PREFIXES = ("b2c", "particulier", "consommateur", "consumer", "individu", "private", "prive",
                     "personnephysique", "nonprofessionnel", "nonpro", "retail")
CONSUMER_WORDS = frozenset({"non", "no", "n", "false", "faux", "0", "pp"})
CENT = 0.005
STATUS = np.array(["settled", "open"], dtype=object)


def is_consumer(customer_type: pd.Series) -> pd.Series:
    """True where a ``customer_type`` value says the client is a consumer (not a business)."""
    norm = customer_type.map(normalize_header, na_action="ignore").fillna("")
    return norm.isin(CONSUMER_WORDS) | norm.str.startswith(CONSUMER_PREFIXES)


def as_percent(rate: pd.Series | float | None) -> pd.Series | float | None:
    """A rate in percent: values strictly between 0 and 1 are fractions (0.1215 -> 12.15); <= 0 -> none."""
    if rate is None:
        return None
    if isinstance(rate, pd.Series):
        r = rate.astype("float64")
        return r.where(r > 0).mask((r > 0) & (r < 1), r * 100.0)
    r = float(rate)
    if not r > 0:
        return None
    return r * 100.0 if r < 1 else r


def legal_rates(due: np.ndarray, ecb_rate: float | None) -> np.ndarray:
    """Legal default rate for the half-year containing each due date (nan when the ECB rate is unknown)."""
    months = due.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    half = months // 12 * 2 + (months % 12 >= 6)
    keys, inverse = np.unique(half, return_inverse=True)
    rates = np.empty(len(keys))
    for i, key in enumerate(keys.tolist()):
        year, second = divmod(key, 2)
        try:
            rates[i] = kpi.legal_penalty_rate(dt.date(1970 + year, 7 if second else 1, 1), ecb_rate)
        except ValueError:  # before the ECB table and no override
            rates[i] = np.nan
    return rates[inverse.reshape(-1)]


def _client_terms(ledger: Ledger, codes: ClientCodes) -> tuple[np.ndarray, np.ndarray]:
    """Per client code: is a consumer, contractual rate (percent, nan = none)."""
    consumer = np.zeros(len(codes.ids), dtype=bool)
    rate = np.full(len(codes.ids), np.nan)
    cli = ledger.clients
    if len(cli):
        at = codes.of_ids(cli["client_id"])
        ok = at >= 0
        consumer[at[ok]] = is_consumer(cli["customer_type"]).to_numpy(dtype=bool)[ok]
        rate[at[ok]] = as_percent(pd.to_numeric(cli["penalty_rate"], errors="coerce")).to_numpy()[ok]
    return consumer, rate


def late_invoices(ledger: Ledger, settings: Settings, settled: pd.DataFrame, codes: ClientCodes,
                  names: np.ndarray) -> tuple[pd.DataFrame, int, float]:
    """One row per late B2B invoice with its penalty and indemnity (largest claim first); the count and
    amount of the consumer invoices left out. ``settled``: :func:`~audit_engine.ledger.settled_invoices`;
    ``names``: client name per code."""
    asof = np.datetime64(ledger.as_of, "ns")
    inv = ledger.invoices
    late_days = settled["days_late"].to_numpy(dtype="float64")
    s_pos = invoice_positions(ledger, settled)[late_days > 0]
    amount = inv["amount"].to_numpy(dtype="float64")
    open_amount = inv["open_amount"].to_numpy(dtype="float64")
    due = inv["due_date"].to_numpy(dtype=NS)
    o_pos = np.flatnonzero((amount > 0) & (inv["invoice_date"].to_numpy(dtype=NS) <= asof)
                           & (open_amount > CENT) & (due < asof))
    pos = np.concatenate([s_pos, o_pos])
    is_open = np.r_[np.zeros(len(s_pos), dtype=bool), np.ones(len(o_pos), dtype=bool)]
    base = np.where(is_open, open_amount[pos], amount[pos])
    settle = inv["settlement_date"].to_numpy(dtype=NS)[pos]
    days = np.where(is_open, (asof - due[pos]) / DAY, (settle - due[pos]) / DAY)
    code = codes.invoice_codes[pos]
    consumer_of, contract_of = _client_terms(ledger, codes)
    consumer = consumer_of[code]
    excluded, excluded_amount = int(consumer.sum()), float(base[consumer].sum())

    contract = contract_of[code]
    default = as_percent(settings.penalty_rate)
    fallback = np.full(len(pos), default) if default is not None else legal_rates(due[pos], settings.ecb_rate)
    rate = np.where(np.isnan(contract), fallback, contract)
    penalty = base * rate * days / 36_500.0  # kpi.late_penalty, vectorised
    claimable = np.nan_to_num(penalty) + float(settings.fixed_indemnity)
    claimable[consumer] = -np.inf  # consumers: sorted last, then dropped
    order = np.argsort(-claimable, kind="stable")[:len(pos) - excluded]  # ties: settled, then open
    pos, is_open, base, settle, days, code, rate, penalty, claimable, contract = (
        a[order] for a in (pos, is_open, base, settle, days, code, rate, penalty, claimable, contract))
    late = pd.DataFrame({
        "invoice_id": text(inv["invoice_id"].to_numpy()[pos]), "client_id": text(codes.ids.to_numpy()[code]),
        "client_name": text(names[code]), "amount": amount[pos], "base": base, "due_date": due[pos],
        "settlement_date": np.where(is_open, np.datetime64("NaT", "ns"), settle),
        "status": text(STATUS[is_open.astype(np.int8)]), "days_late": days, "rate": rate,
        "rate_source": text(np.array(["setting" if default is not None else "legal", "client"],
                                     dtype=object)[(~np.isnan(contract)).astype(np.int8)]),
        "penalty": penalty, "indemnity": np.full(len(pos), float(settings.fixed_indemnity)),
        "claimable": claimable, "disputed": inv["disputed"].to_numpy(dtype=bool)[pos],
        "code": code, "is_open": is_open,  # internal, dropped from the result
    })
    return late, excluded, excluded_amount


def by_client(late: pd.DataFrame, codes: ClientCodes, names: np.ndarray) -> pd.DataFrame:
    """Per client: late invoices (settled / open), penalties, indemnities, total, of which disputed."""
    c = late["code"].to_numpy()
    is_open = late["is_open"].to_numpy()
    disputed = late["disputed"].to_numpy(dtype=bool)
    claimable = late["claimable"].to_numpy()
    count = np.bincount(c, minlength=len(codes.ids))
    out = pd.DataFrame({
        "client_id": text(codes.ids.to_numpy()), "client_name": text(names),
        "late_invoices": count, "settled_late": count - np.bincount(c, weights=is_open, minlength=len(count)),
        "open_late": np.bincount(c, weights=is_open, minlength=len(count)),
        "base": codes.sums(c, late["base"].to_numpy()),
        "penalty": codes.sums(c, np.nan_to_num(late["penalty"].to_numpy())),
        "indemnity": codes.sums(c, late["indemnity"].to_numpy()),
        "claimable": codes.sums(c, claimable),
        "disputed_claimable": codes.sums(c, np.where(disputed, claimable, 0.0)),
    })
    out = out[count > 0].astype({"settled_late": np.int64, "open_late": np.int64})
    return out.sort_values(["claimable", "client_id"], ascending=[False, True], kind="mergesort") \
        .reset_index(drop=True)


def summary(late: pd.DataFrame, excluded: int, excluded_amount: float, settled_known: bool) -> dict:
    """Totals for the JSON ``penalties`` block (amounts in EUR, not rounded)."""
    disputed = late["disputed"].to_numpy(dtype=bool)
    return {
        "penalties_claimable": float(np.nansum(late["penalty"].to_numpy())),
        "fixed_indemnities_claimable": float(late["indemnity"].sum()),
        "total_claimable": float(late["claimable"].sum()),
        "late_invoices": int(len(late)),
        "settled_late_invoices": int((~late["is_open"].to_numpy()).sum()),
        "open_late_invoices": int(late["is_open"].to_numpy().sum()),
        "disputed_invoices": int(disputed.sum()),
        "penalties_disputed": float(np.nansum(late["penalty"].to_numpy()[disputed])),
        "indemnities_disputed": float(late["indemnity"].to_numpy()[disputed].sum()),
        "excluded_consumer_invoices": excluded,
        "excluded_consumer_amount": excluded_amount,
        "unknown_rate_invoices": int(late["rate"].isna().sum()),
        "settled_invoices_included": settled_known,
    }


def _c(key: str, fr: str, en: str, kind: str) -> ColumnSpec:
    return ColumnSpec(key, fr, en, kind)


LATE_INVOICE_COLUMNS: tuple[ColumnSpec, ...] = (
    _c("invoice_id", "N° facture", "Invoice number", "text"),
    _c("client_id", "Code client", "Client code", "text"),
    _c("client_name", "Client", "Client", "text"),
    _c("amount", "Montant TTC", "Amount incl. VAT", "amount"),
    _c("base", "Base (montant en retard)", "Basis (amount late)", "amount"),
    _c("due_date", "Échéance", "Due date", "date"),
    _c("settlement_date", "Date de règlement", "Settlement date", "date"),
    _c("status", "Statut (settled = réglée, open = ouverte)", "Status (settled / open)", "text"),
    _c("days_late", "Jours de retard", "Days late", "days"),
    _c("rate", "Taux annuel (%)", "Annual rate (%)", "rate"),
    _c("rate_source", "Origine du taux", "Rate source", "text"),
    _c("penalty", "Pénalités de retard", "Late-payment penalty", "amount"),
    _c("indemnity", "Indemnité forfaitaire", "Fixed indemnity", "amount"),
    _c("claimable", "Total réclamable", "Total claimable", "amount"),
    _c("disputed", "Litige", "Disputed", "bool"),
)
BY_CLIENT_COLUMNS: tuple[ColumnSpec, ...] = (
    _c("client_id", "Code client", "Client code", "text"),
    _c("client_name", "Client", "Client", "text"),
    _c("late_invoices", "Factures en retard", "Late invoices", "int"),
    _c("settled_late", "Réglées en retard", "Settled late", "int"),
    _c("open_late", "Échues non réglées", "Overdue, unpaid", "int"),
    _c("base", "Montants en retard", "Amounts late", "amount"),
    _c("penalty", "Pénalités de retard", "Late-payment penalties", "amount"),
    _c("indemnity", "Indemnités forfaitaires", "Fixed indemnities", "amount"),
    _c("claimable", "Total réclamable", "Total claimable", "amount"),
    _c("disputed_claimable", "Dont factures en litige", "Of which disputed invoices", "amount"),
)
