"""FEC entries -> the receivables: invoices, credit notes, payments, unapplied cash, clients.

Pure pandas. Every customer line (account ``411*``) is kept, so the open items always add up to the
411 balance (see :func:`reconcile`). The client is ``CompAuxNum``, else the account number.

- A **debit** is a document owed by the client: an *invoice* in a sales journal, an *opening* item
  (à-nouveau) in an opening journal, an *other debit* elsewhere (refund, bounced payment: reported).
- A **credit** in a sales journal is a *credit note* (a document, negative amount); elsewhere it pays:
  a *payment* in a bank/cash journal, an opening credit balance, an adjustment in an OD journal (reported).
- Credits are applied to debits first-in first-out (by date, then line), in three passes:
  1. within each lettrage group (client + ``EcritureLet``): the payment lines pay the invoices of their group;
  2. what a lettered credit has left (its invoice was lettered in an earlier year and only survives in
     the opening balance) pays the client's unlettered opening items;
  3. unlettered credits, and any rest, are *unapplied cash* of the client (a Règlements row without an
     invoice number), except when the file has no lettrage at all, or the client's remaining items sum to
     zero: then they pay the client's oldest open items (Civil Code art. 1342-10). ``unlettered="fifo"``
     or ``"unapplied"`` forces either way.
- A credit note applied to an invoice gives two Règlements rows of opposite signs (``+x`` on the
  invoice, ``-x`` on the credit note), dated when both exist (the later of the two dates); so is a
  payment imputed by rule (pass 3). A lettered payment's row keeps the payment's entry date
  (EcritureDate), even before the invoice (a deposit). So an invoice's settlement date is the date of
  the payment (or credit note) that completes it. DateLet, the day the matching was recorded, is not
  used: it is empty in some files, and never earlier than the payment where it is filled.

Worked example: an invoice of 1,200 and one of 300 lettered ``AA`` with a payment of 1,500, and an
unlettered payment of 100 (the file has lettrage, so it stays unapplied cash):

>>> import pandas as pd
>>> e = pd.DataFrame({"line": [2, 3, 4, 5], "journal": ["VE", "VE", "BQ", "BQ"],
...     "journal_lib": ["Ventes", "Ventes", "Banque", "Banque"], "entry_num": ["1", "2", "3", "4"],
...     "entry_date": pd.to_datetime(["2025-01-10", "2025-01-20", "2025-02-15", "2025-02-20"]),
...     "account": ["411000"] * 4, "account_lib": ["Clients"] * 4, "aux": ["C1"] * 4, "aux_lib": ["Alpha"] * 4,
...     "piece_ref": ["F1", "F2", "VIR", "VIR"], "amount": [1200.0, 300.0, -1500.0, -100.0],
...     "let": ["AA", "AA", "AA", ""], "due_date": pd.to_datetime([None] * 4), "method": [""] * 4,
...     "usable": [True] * 4})
>>> r = reconstruct(e, sheet="x.txt")
>>> r.payments[["invoice_id", "amount", "line"]].values.tolist()
[['F1', 1200.0, 4], ['F2', 300.0, 4], [None, 100.0, 5]]
>>> r.documents["settlement_date"].dt.strftime("%Y-%m-%d").tolist()
['2025-02-15', '2025-02-15']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..findings import Finding
from . import RECEIVABLE_PREFIX, Money
from .allocate import fifo
from .documents import build_outputs
from .journals import BANK, OPENING, OTHER, SALES, classify_journals
from .reconcile import ledger_balance, reconcile, residual_findings

__all__ = ["Receivables", "ledger_balance", "reconcile", "reconstruct", "residual_findings"]

UNLETTERED_POLICIES = ("auto", "unapplied", "fifo")
_DEBIT_KIND = {OPENING: "opening", SALES: "invoice", BANK: "other_debit", OTHER: "other_debit"}
_CREDIT_KIND = {OPENING: "opening_credit", SALES: "credit_note", BANK: "payment", OTHER: "other_credit"}


@dataclass(frozen=True)
class Receivables:
    """The receivables rebuilt from a FEC (amounts in euros, dates ``datetime64``)."""

    documents: pd.DataFrame  # doc_id, client_id, client_name, date, due_date, amount (< 0: credit note),
    # kind (invoice | opening | other_debit | credit_note), journal, let, line, settled, open_amount,
    # settlement_date (the day the document became fully settled; NaT while open)
    payments: pd.DataFrame  # invoice_id (None: unapplied cash), client_id, date, amount, method,
    # source (payment | credit_note | unapplied), line (of the credit)
    clients: pd.DataFrame  # client_id, client_name
    movements: pd.DataFrame  # line, date, amount: every 411 line kept (the ledger the audit reconciles to)
    findings: tuple[Finding, ...] = ()
    journals: dict[str, str] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)


def _items(rec: pd.DataFrame, journals: dict[str, str]) -> pd.DataFrame:
    cents = np.rint(rec["amount"].to_numpy(dtype="float64") * 100).astype(np.int64)
    has_aux = (rec["aux"] != "").to_numpy()
    client = np.where(has_aux, rec["aux"], rec["account"])
    name = np.where(has_aux, rec["aux_lib"], rec["account_lib"])
    name = np.where(name == "", client, name)
    jkind = rec["journal"].map(journals).fillna(OTHER).to_numpy()
    debit = cents > 0
    kind = np.where(debit, pd.Series(jkind).map(_DEBIT_KIND), pd.Series(jkind).map(_CREDIT_KIND))
    method = rec["method"].where(rec["method"] != "", rec["journal_lib"])
    method = method.where(method != "", rec["journal"])
    return pd.DataFrame({
        "line": rec["line"].to_numpy(), "client": client, "name": name, "date": rec["entry_date"].to_numpy(),
        "due": rec["due_date"].to_numpy(), "cents": np.abs(cents), "debit": debit, "kind": kind,
        "journal": rec["journal"].to_numpy(), "journal_lib": rec["journal_lib"].to_numpy(),
        "piece_ref": rec["piece_ref"].to_numpy(), "entry_num": rec["entry_num"].to_numpy(),
        "let": rec["let"].to_numpy(), "method": method.to_numpy()}).sort_values(["date", "line"], kind="stable")


def _pool(items: pd.DataFrame, rem: np.ndarray, mask: np.ndarray, key: pd.Series) -> pd.DataFrame:
    m = mask & (rem > 0)
    return pd.DataFrame({"key": key[m].to_numpy(), "cents": rem[m]}, index=items.index[m])


def _allocate(items: pd.DataFrame, policy: str) -> tuple[pd.DataFrame, np.ndarray, str, list[str]]:
    """All allocations (debit, credit, cents, phase), the remaining cents per item, the pass-3 reason."""
    rem = items["cents"].to_numpy().copy()
    pos = pd.Series(np.arange(len(items)), index=items.index)
    debit = items["debit"].to_numpy()
    lettered = (items["let"] != "").to_numpy()
    group = items["client"] + "\x1f" + items["let"]
    parts = []

    def run(d_mask: np.ndarray, c_mask: np.ndarray, key: pd.Series, phase: int) -> None:
        a = fifo(_pool(items, rem, d_mask, key), _pool(items, rem, c_mask, key))
        np.subtract.at(rem, pos[a["debit"]].to_numpy(), a["cents"].to_numpy())
        np.subtract.at(rem, pos[a["credit"]].to_numpy(), a["cents"].to_numpy())
        parts.append(a.assign(phase=phase))

    run(debit & lettered, ~debit & lettered, group, 1)
    run(debit & ~lettered & (items["kind"] == "opening").to_numpy(), ~debit & lettered, items["client"], 2)
    reason, fifo_clients = "", []
    if policy == "fifo" or (policy == "auto" and not lettered.any()):
        reason, chosen = ("no_lettrage" if policy == "auto" else "forced"), np.ones(len(items), dtype=bool)
    elif policy == "auto":
        signed = pd.Series(np.where(debit, rem, -rem), index=items.index)
        by_client = signed.groupby(items["client"]).agg(["sum", "min", "max"])
        zero = by_client[(by_client["sum"] == 0) & (by_client["min"] < 0) & (by_client["max"] > 0)].index
        fifo_clients = sorted(zero)
        reason, chosen = "balanced", items["client"].isin(zero).to_numpy()
    else:
        chosen = np.zeros(len(items), dtype=bool)
    run(debit & chosen, ~debit & chosen, items["client"], 3)
    return pd.concat(parts, ignore_index=True), rem, reason, fifo_clients


def reconstruct(entries: pd.DataFrame, sheet: str, unlettered: str = "auto") -> Receivables:
    """Rebuild the receivables from typed FEC entries (see :mod:`audit_engine.fec.parsing`)."""
    if unlettered not in UNLETTERED_POLICIES:
        raise ValueError(f"unlettered must be one of {UNLETTERED_POLICIES}")
    usable = entries[entries["usable"]]
    journals = classify_journals(usable)
    findings = [Finding("info", sheet, None, None, None, "fec_journals", {
        k: ", ".join(sorted(j for j, v in journals.items() if v == k)) or "-" for k in (OPENING, SALES, BANK, OTHER)})]
    rec = usable[usable["account"].str.startswith(RECEIVABLE_PREFIX)]
    zero = np.rint(rec["amount"].to_numpy(dtype="float64") * 100) == 0
    if zero.any():
        findings.append(Finding("info", sheet, None, None, None, "fec_zero_lines", {"count": int(zero.sum())}))
    items = _items(rec[~zero], journals)
    if items.empty:
        findings.append(Finding("warning", sheet, None, None, None, "fec_no_receivables"))
    alloc, rem, reason, fifo_clients = _allocate(items, unlettered)
    out = build_outputs(items, alloc, rem)
    findings += _findings(items, alloc, rem, reason, fifo_clients, sheet)
    movements = pd.DataFrame({"line": rec["line"].to_numpy(), "date": rec["entry_date"].to_numpy(),
                              "amount": rec["amount"].to_numpy(dtype="float64")})
    return Receivables(documents=out["documents"], payments=out["payments"], clients=out["clients"],
                       movements=movements, findings=tuple(findings), journals=journals,
                       stats=_stats(rec, items, out))


def _findings(items: pd.DataFrame, alloc: pd.DataFrame, rem: np.ndarray, reason: str, fifo_clients: list[str],
              sheet: str) -> list[Finding]:
    out: list[Finding] = []
    odd = items[items["kind"].isin(["other_debit", "other_credit"])].sort_values("line")
    for (kind, j), g in odd.groupby(["kind", "journal"], sort=True):  # one finding per journal and side
        code = "fec_debit_other_journal" if kind == "other_debit" else "fec_credit_other_journal"
        shown = ", ".join(str(x) for x in g["line"].iloc[:10]) + ("…" if len(g) > 10 else "")
        out.append(Finding("info", sheet, int(g["line"].iloc[0]), "JournalCode", j, code, {
            "journal": j, "journal_lib": g["journal_lib"].iloc[0], "count": len(g), "lines": shown}))
    let = items[items["let"] != ""]
    signed = np.where(let["debit"], let["cents"], 0), np.where(let["debit"], 0, let["cents"])
    groups = pd.DataFrame({"client": let["client"], "let": let["let"], "d": signed[0], "c": signed[1],
                           "line": let["line"]}).groupby(["client", "let"], sort=False)
    g = groups.agg(d=("d", "sum"), c=("c", "sum"), line=("line", "min")).reset_index()
    for row in g[g["d"] != g["c"]].itertuples():
        out.append(Finding("warning", sheet, int(row.line), "EcritureLet", row.let, "fec_lettrage_unbalanced", {
            "let": row.let, "client": row.client, "debit": Money(row.d / 100), "credit": Money(row.c / 100),
            "diff": Money((row.d - row.c) / 100)}))
    to_opening = alloc[alloc["phase"] == 2]
    for d, c, cents in zip(to_opening["debit"], to_opening["credit"], to_opening["cents"], strict=True):
        out.append(Finding("info", sheet, int(items.at[c, "line"]), "EcritureLet", items.at[c, "let"],
                           "fec_lettered_to_opening", {"let": items.at[c, "let"], "client": items.at[c, "client"],
                                                       "amount": Money(cents / 100),
                                                       "opening_line": int(items.at[d, "line"])}))
    left = (~items["debit"] & (items["kind"] != "credit_note")).to_numpy() & (rem > 0)
    excess = left & (items["let"] != "").to_numpy()
    for i in np.flatnonzero(excess):
        out.append(Finding("warning", sheet, int(items["line"].iat[i]), "EcritureLet", items["let"].iat[i],
                           "fec_unapplied_excess", {"let": items["let"].iat[i], "client": items["client"].iat[i],
                                                    "amount": Money(rem[i] / 100)}))
    plain = left & ~excess
    if plain.any():
        out.append(Finding("info", sheet, None, None, None, "fec_unapplied_summary",
                           {"count": int(plain.sum()), "amount": Money(rem[plain].sum() / 100)}))
    phase3 = set(items.loc[alloc.loc[alloc["phase"] == 3, "credit"], "client"])
    if reason == "no_lettrage" and phase3:
        out.append(Finding("info", sheet, None, None, None, "fec_fifo_no_lettrage"))
    elif reason == "balanced":
        for client in (c for c in fifo_clients if c in phase3):
            out.append(Finding("info", sheet, None, None, None, "fec_fifo_balanced", {"client": client}))
    return out


def _stats(rec: pd.DataFrame, items: pd.DataFrame, out: dict[str, pd.DataFrame]) -> dict[str, float]:
    kinds = items["kind"].value_counts()
    pay = out["payments"]
    unapplied = pay[pay["source"] == "unapplied"]
    return {
        "lines_411": int(len(rec)), "invoices": int(kinds.get("invoice", 0)),
        "opening_items": int(kinds.get("opening", 0)), "other_debits": int(kinds.get("other_debit", 0)),
        "credit_notes": int(kinds.get("credit_note", 0)),
        "payments": int(kinds.get("payment", 0) + kinds.get("opening_credit", 0) + kinds.get("other_credit", 0)),
        "documents": int(len(out["documents"])), "payment_rows": int(len(pay)),
        "unapplied_rows": int(len(unapplied)), "unapplied_amount": round(float(unapplied["amount"].sum()), 2),
        "clients": int(len(out["clients"])),
    }
