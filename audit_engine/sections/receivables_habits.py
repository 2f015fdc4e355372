"""Section 1 helpers: clients' payment habits (shared with sections 3 and 4), revenue concentration,
the risk matrix and the section's observations.

:func:`client_habits` rates how each client paid the invoices it settled in a window (default: the
analysis period), over :func:`~audit_engine.ledger.settled_invoices` (invoices fully paid, with a known
settlement date, in the window):

- ``settled_count``: invoices settled; ``late_count``: those settled after their due date;
  ``late_share`` = late_count / settled_count (by count);
- ``weighted_days_late`` = sum(amount x max(0, settlement - due)) / sum(amount): early payments count
  as 0, not as negative lateness;
- ``avg_days_to_pay`` = sum(amount x (settlement - invoice date)) / sum(amount);
- ``rating``: A if weighted_days_late <= rating_edges[0], B if <= [1], C if <= [2], else D (the same
  rule as :func:`audit_engine.kpi.rating_from_days`); None without a settled invoice.

Worked example: C1 settled F1 (1,000, due 31 Jan) on 10 Feb (10 days late, 40 days after its 1 Jan
invoice date) and F2 (3,000, invoiced 21 Jan, due 28 Feb) on 20 Feb (early: 0 days late, 30 days to
pay):
late_share = 1 / 2 = 0.5, weighted_days_late = (1,000 x 10 + 3,000 x 0) / 4,000 = 2.5 -> rating B,
avg_days_to_pay = (1,000 x 40 + 3,000 x 30) / 4,000 = 32.5.

:func:`concentration` ranks clients by net revenue of the period (invoices minus credit notes) into a
Pareto table with ABC classes: A = the largest clients up to and including the one that takes the
cumulative share to 80 % (a client is A when the share of the clients ranked before it is below 80 %),
B likewise up to 95 %, C the rest. Clients with zero or negative net revenue have no share.

The risk matrix crosses size and lateness for the clients who owe something: "big" = at least 5 % of
the total outstanding, "late" = rating C or D, or at least half of the outstanding overdue (so a client
without any settled invoice can still be late). Quadrants: priority (big and late), watch (big, on
time), small_late, healthy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..kpi import herfindahl_index, rating_from_days
from ..ledger import DAY, Ledger, settled_invoices
from ..settings import Settings
from .base import Observation

HABIT_COLUMNS = ("settled_count", "late_count", "late_share", "weighted_days_late", "avg_days_to_pay", "rating")
TREND_TOLERANCE_DAYS = 2.0  # |now - before| <= 2 days of weighted lateness -> "stable"
ABC_EDGES = (0.80, 0.95)
BIG_SHARE = 0.05  # risk matrix: "big" = at least 5 % of the total (positive) outstanding
LATE_OVERDUE_SHARE = 0.50  # risk matrix: "late" = rating C/D, or at least half the outstanding overdue
QUADRANTS = (("priority", "Prioritaire", "Priority"), ("watch", "À surveiller", "Watch"),
             ("small_late", "Petit retardataire", "Small late payer"), ("healthy", "Sain", "Healthy"))
RATING_ROWS = (("A", "A", "A"), ("B", "B", "B"), ("C", "C", "C"), ("D", "D", "D"),
               ("none", "Non noté", "Not rated"))
_EPS = 1e-9


def rating_edges(settings: Settings) -> tuple[float, float, float]:
    """The rating edges of the settings, or the defaults when they are not 3 increasing numbers."""
    edges = tuple(float(x) for x in settings.rating_edges)
    try:
        rating_from_days(0.0, edges)
    except ValueError:
        return Settings().rating_edges
    return edges[0], edges[1], edges[2]


def ratings(weighted_days_late: np.ndarray, edges: tuple[float, float, float]) -> np.ndarray:
    """Vectorised :func:`audit_engine.kpi.rating_from_days`: A <= e0 < B <= e1 < C <= e2 < D, nan -> None."""
    x = np.asarray(weighted_days_late, dtype=float)
    idx = np.searchsorted(np.asarray(edges, dtype=float), x, side="left")  # number of edges < x
    out = np.array(list("ABCD"), dtype=object)[np.minimum(idx, 3)]
    out[np.isnan(x)] = None
    return out


def habit_sums(settled: pd.DataFrame) -> pd.DataFrame:
    """Per client of ``settled`` (from :func:`~audit_engine.ledger.settled_invoices`): settled_count,
    late_count, amount, w_late (amount x max(0, days late)), w_pay (amount x days to pay)."""
    return habit_sums_split(settled, np.ones(len(settled), dtype=bool))[0]


def habit_sums_split(settled: pd.DataFrame, split: np.ndarray) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`habit_sums` of the rows where ``split`` is True, and of those where it is False."""
    late = settled["days_late"].to_numpy(dtype=float)
    to_pay = settled["days_to_pay"].to_numpy(dtype=float)
    ok = ~(np.isnan(late) | np.isnan(to_pay))
    codes, uniques = pd.factorize(settled["client_id"].to_numpy(dtype=object)[ok], sort=True)
    amt, late, to_pay = settled["amount"].to_numpy(dtype=float)[ok], late[ok], to_pay[ok]
    columns = {"settled_count": np.ones(len(amt)), "late_count": (late > 0).astype(float), "amount": amt,
               "w_late": amt * np.maximum(late, 0.0), "w_pay": amt * to_pay}
    index = pd.Index(uniques, name="client_id", dtype=object)
    key = codes * 2 + np.asarray(split, dtype=bool)[ok]  # (client, half) in one bincount per column
    k = len(uniques)
    both = {c: np.bincount(key, weights=v, minlength=2 * k).reshape(k, 2) for c, v in columns.items()}

    def half(j: int) -> pd.DataFrame:
        frame = pd.DataFrame({c: v[:, j] for c, v in both.items()}, index=index)
        frame = frame.astype({"settled_count": np.int64, "late_count": np.int64})
        return frame[frame["settled_count"] > 0]

    return half(1), half(0)


def known_clients(ledger: Ledger) -> pd.Index:
    """Every client of the ledger (invoices, client master, unapplied cash), sorted."""
    ids = [pd.unique(ledger.invoices["client_id"].to_numpy(dtype=object))]
    ids += [f["client_id"].to_numpy(dtype=object) for f in (ledger.clients, ledger.credits) if "client_id" in f]
    found = pd.Index(np.concatenate(ids), dtype=object)
    return found[found.notna()].unique().sort_values()


def habits_from_sums(sums: pd.DataFrame, edges: tuple[float, float, float]) -> pd.DataFrame:
    """The habit KPIs (:data:`HABIT_COLUMNS`) from the per-client sums of :func:`habit_sums`."""
    count = sums["settled_count"].to_numpy(dtype=float)
    amt = sums["amount"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        late_share = np.where(count > 0, sums["late_count"].to_numpy() / count, np.nan)
        wdl = np.where(amt > 0, sums["w_late"].to_numpy() / amt, np.nan)
        dtp = np.where(amt > 0, sums["w_pay"].to_numpy() / amt, np.nan)
    return pd.DataFrame({
        "settled_count": sums["settled_count"].astype(np.int64).to_numpy(),
        "late_count": sums["late_count"].astype(np.int64).to_numpy(),
        "late_share": late_share, "weighted_days_late": wdl, "avg_days_to_pay": dtp,
        "rating": pd.Series(ratings(wdl, edges), index=sums.index, dtype=object),
    }, index=sums.index)


def client_habits(ledger: Ledger, settings: Settings, start: pd.Timestamp | None = None,
                  end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Payment habits per client over invoices settled in [start, end] (default: the analysis period).

    Indexed by client_id (every client of the ledger: invoices, client master, unapplied cash), sorted;
    columns ``settled_count``, ``late_count`` (int), ``late_share``, ``weighted_days_late``,
    ``avg_days_to_pay`` (float, nan without a settled invoice) and ``rating`` ("A".."D", None without a
    settled invoice). Definitions in the module docstring.
    """
    sums = habit_sums(settled_invoices(ledger, start, end)).reindex(known_clients(ledger), fill_value=0)
    sums.index.name = "client_id"
    return habits_from_sums(sums, rating_edges(settings))


def overall_habits(sums: pd.DataFrame, settings: Settings) -> dict[str, float | int | str | None]:
    """The same KPIs over all the clients of ``sums`` (from :func:`habit_sums`), as plain Python values."""
    sums = sums.sum().to_frame().T
    sums.index = pd.Index(["*"], dtype=object)
    row = habits_from_sums(sums, rating_edges(settings)).iloc[0]
    out: dict[str, float | int | str | None] = {}
    for key, value in row.items():
        if key in ("settled_count", "late_count"):
            out[key] = int(value)
        elif key == "rating":
            out[key] = value
        else:
            out[key] = None if math.isnan(float(value)) else float(value)
    return out


def previous_window(ledger: Ledger) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The window of the same length just before the analysis period: [start - L, start - 1 day]."""
    end = ledger.period_start - DAY
    return end - (ledger.period_days - 1) * DAY, end


def trend_labels(now: pd.Series | np.ndarray, before: pd.Series | np.ndarray,
                 tolerance: float = TREND_TOLERANCE_DAYS) -> np.ndarray:
    """"worsening" when weighted days late rose by more than ``tolerance`` days, "improving" when it
    fell by more, "stable" otherwise; None when either period has no settled invoice."""
    a = np.asarray(now, dtype=float)
    b = np.asarray(before, dtype=float)
    out = np.where(a - b > tolerance, "worsening", np.where(b - a > tolerance, "improving", "stable"))
    out = out.astype(object)
    out[np.isnan(a) | np.isnan(b)] = None
    return out


def concentration(revenue: pd.Series, threshold: float) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Pareto table and concentration KPIs from net revenue per client (index client_id).

    Returns (pareto, kpis): pareto has rank, client_id, revenue, share, cumulative_share, abc_class,
    sorted by revenue desc (then client_id); kpis has top1_share, top3_share, top10_share, hhi, base
    (the sum of positive client revenues that the shares divide), None when there is no positive revenue,
    and alert (top3_share >= threshold).
    """
    pos = revenue[revenue > 0.005]
    frame = pd.DataFrame({"client_id": pos.index.to_numpy(dtype=object), "revenue": pos.to_numpy(dtype=float)})
    frame = frame.sort_values(["revenue", "client_id"], ascending=[False, True], kind="mergesort")
    base = float(frame["revenue"].sum())
    empty = {"top1_share": None, "top3_share": None, "top10_share": None, "hhi": None, "base": None,
             "alert": False}
    if frame.empty:
        return frame.assign(rank=pd.Series(dtype=np.int64), share=pd.Series(dtype=float),
                            cumulative_share=pd.Series(dtype=float), abc_class=pd.Series(dtype=object)), empty
    shares = frame["revenue"].to_numpy() / base
    cum = np.minimum(np.cumsum(shares), 1.0)
    before = cum - shares
    abc = np.where(before < ABC_EDGES[0] - _EPS, "A", np.where(before < ABC_EDGES[1] - _EPS, "B", "C"))
    frame = frame.assign(rank=np.arange(1, len(frame) + 1), share=shares, cumulative_share=cum,
                         abc_class=abc.astype(object)).reset_index(drop=True)
    kpis: dict[str, Any] = {f"top{k}_share": float(cum[min(k, len(cum)) - 1]) for k in (1, 3, 10)}
    kpis.update(hhi=herfindahl_index(shares), base=base, alert=bool(kpis["top3_share"] >= threshold - _EPS))
    return frame, kpis


def risk_matrix(cl: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Risk quadrant per client (outstanding x lateness) and the tables per quadrant and per rating.

    ``cl`` (indexed by client) has integer-cent columns ``cents`` (outstanding) and ``overdue_cents``
    and ``rating``. Only clients who owe something (outstanding > 0) get a quadrant: "big" = at least
    :data:`BIG_SHARE` of the total positive outstanding; "late" = rating C or D, or at least
    :data:`LATE_OVERDUE_SHARE` of the outstanding overdue. Returns (cl + outstanding_share, quadrant;
    risk table; outstanding by rating, over every client with a non-zero outstanding).
    """
    cents, overdue = cl["cents"], cl["overdue_cents"]
    owed = cents > 0
    base = int(cents[owed].sum())
    big = owed & (cents >= BIG_SHARE * base)
    late = owed & (cl["rating"].isin(["C", "D"]) | (overdue >= LATE_OVERDUE_SHARE * cents))
    quadrant = np.select([big & late, big, late], [q[0] for q in QUADRANTS[:3]], QUADRANTS[3][0]).astype(object)
    quadrant[~owed.to_numpy()] = None
    cl = cl.assign(outstanding_share=(cents / base).where(owed) if base else np.nan,
                   quadrant=pd.Series(quadrant, index=cl.index, dtype=object))
    rating = cl["rating"].astype(object).where(cl["rating"].notna(), "none")

    def table(name: str, keys: pd.Series, rows: tuple[tuple[str, str, str], ...]) -> pd.DataFrame:
        out = [(k, fr, en, int((keys == k).sum()), int(cents[keys == k].sum()) / 100.0,
                int(overdue[keys == k].sum()) / 100.0) for k, fr, en in rows]
        return pd.DataFrame(out, columns=[name, "label_fr", "label_en", "clients", "outstanding", "overdue"])

    return (cl, table("quadrant", cl["quadrant"], QUADRANTS),
            table("rating", rating.where(cents != 0, "-"), RATING_ROWS))


def observations(cl: pd.DataFrame, old_sum: pd.DataFrame, pareto: pd.DataFrame, conc: dict[str, Any],
                 settings: Settings, period_days: int) -> list[Observation]:
    """The section's observations (rules ``concentration``, ``old_invoices``, ``chronic_late_payer``,
    ``risk_priority``); ``cl`` is the clients table, ``old_sum`` the old invoices per client."""
    out: list[Observation] = []
    threshold, old_days = settings.concentration_alert, settings.old_invoice_days
    if conc["alert"]:
        top = pareto.head(3)
        out.append(Observation(1, "concentration", None, amount=float(top["revenue"].sum()), count=len(top),
                               severity=1 if conc["top1_share"] >= threshold - _EPS else 2,
                               params={"top3_share": conc["top3_share"], "top1_share": conc["top1_share"],
                                       "threshold_share": threshold, "clients": top["client_id"].tolist()}))
    o = old_sum.sort_values(["old_amount", "client_id"], ascending=[False, True], kind="mergesort")
    for cid, amt, n, oldest, disputed in zip(*_lists(o, "client_id", "old_amount", "old_count", "oldest_days",
                                                      "disputed_amount"), strict=True):
        out.append(Observation(1, "old_invoices", cid, amount=amt, count=n, cash_impact=amt,
                               severity=1 if oldest > 2 * old_days else 2,
                               params={"days": old_days, "oldest_days": oldest, "disputed_amount": disputed}))
    d = cl[cl["rating"] == "D"]
    tied = np.minimum(d["outstanding"].clip(lower=0.0), d["invoiced"].clip(lower=0.0) / period_days
                      * d["weighted_days_late"]).round(2)
    for cid, amt, n, impact, wdl, late, settled, trend in zip(*_lists(
            d.assign(tied=tied), "client_id", "outstanding", "late_count", "tied", "weighted_days_late",
            "late_share", "settled_count", "trend"), strict=True):
        out.append(Observation(1, "chronic_late_payer", cid, amount=amt, count=n, cash_impact=impact, severity=2,
                               params={"days_late": wdl, "late_share": late, "settled_count": settled,
                                       "trend": trend}))
    p = cl[cl["quadrant"] == "priority"]
    for cid, amt, n, overdue, share, rating in zip(*_lists(p, "client_id", "outstanding", "overdue_count",
                                                            "overdue", "outstanding_share", "rating"), strict=True):
        out.append(Observation(1, "risk_priority", cid, amount=amt, count=n, cash_impact=max(overdue, 0.0),
                               severity=1, params={"outstanding_share": share, "overdue": overdue,
                                                   "rating": rating}))
    return out


def _lists(frame: pd.DataFrame, *columns: str) -> list[list[Any]]:
    """Columns as lists of plain Python values (nan -> None)."""
    return [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
