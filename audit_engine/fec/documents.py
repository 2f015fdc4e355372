"""Allocations -> the output frames: documents (invoices, credit notes), payment rows, clients.

Document numbers come from PieceRef. When several documents share one (a monthly batch reference such
as ``VE 0323``, or ``RAN`` on every opening line), the first of these that tells them apart is used:
``PieceRef-EcritureNum``, ``PieceRef-client``, ``PieceRef-L<line>``. A blank PieceRef becomes
``JournalCode-EcritureNum``.

>>> import pandas as pd
>>> docs = pd.DataFrame({"piece_ref": ["F1", "RAN", "RAN", "VE 03", "VE 03"], "journal": ["VE", "AN", "AN", "VE", "VE"],
...                      "entry_num": ["1", "9", "9", "12", "13"], "client": ["C1", "C1", "C2", "C1", "C1"],
...                      "line": [2, 3, 4, 5, 6]})
>>> doc_ids(docs).tolist()
['F1', 'RAN-C1', 'RAN-C2', 'VE 03-12', 'VE 03-13']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CREDIT_NOTE_APPLIED = "Avoir {doc}"  # method of the row that pays an invoice with a credit note
CREDIT_NOTE_USED = "Imputé sur {doc}"  # method of the matching negative row on the credit note


def doc_ids(docs: pd.DataFrame) -> pd.Series:
    """Unique document numbers (see the module docstring)."""
    col = {k: docs[k].to_numpy(dtype=object) for k in ("piece_ref", "journal", "entry_num", "client")}
    num = col["entry_num"]
    base = np.where(col["piece_ref"] == "", col["journal"] + "-" + num, col["piece_ref"])
    with_num = (num != "") & (num != "0")
    suffix = "-L" + docs["line"].astype(str).to_numpy(dtype=object)
    candidates = [base, np.where(with_num, base + "-" + num, ""), base + "-" + col["client"], base + suffix]
    ids = np.full(len(docs), None, dtype=object)
    todo = np.ones(len(docs), dtype=bool)
    taken = pd.Index([], dtype=object)
    for cand in candidates:
        c = pd.Series(cand[todo], dtype=object)
        ok = (~c.duplicated(keep=False) & (c != "") & ~c.isin(taken)).to_numpy()
        rows = np.flatnonzero(todo)[ok]
        ids[rows] = c.to_numpy()[ok]
        taken = taken.append(pd.Index(c.to_numpy()[ok], dtype=object))
        todo[rows] = False
    for i in np.flatnonzero(todo):  # only if a PieceRef itself reads like "X-L12"
        ids[i] = f"{base[i]}{suffix[i]}-{i}"
    return pd.Series(ids, index=docs.index, dtype=object)


def _label(template: str, docs: pd.Series) -> np.ndarray:
    head, tail = template.split("{doc}")
    return (head + docs.astype(str) + tail).to_numpy()


def build_outputs(items: pd.DataFrame, alloc: pd.DataFrame, rem: np.ndarray) -> dict[str, pd.DataFrame]:
    """``documents``, ``payments`` and ``clients`` frames (see :class:`~.receivables.Receivables`)."""
    is_doc = (items["debit"] | (items["kind"] == "credit_note")).to_numpy()
    ids = pd.Series(None, index=items.index, dtype=object)
    ids[items.index[is_doc]] = doc_ids(items[is_doc])

    d = items.loc[alloc["debit"]]
    c = items.loc[alloc["credit"]]
    is_cn = (c["kind"] == "credit_note").to_numpy()
    # A credit note, or a payment imputed by rule (pass 3, not by the accountant's lettrage), applies from
    # the day both documents exist; a lettered payment keeps its own date (a deposit stays a deposit).
    later = is_cn | (alloc["phase"].to_numpy() == 3)
    when = np.where(later, np.maximum(d["date"].to_numpy(), c["date"].to_numpy()), c["date"].to_numpy())
    amount = alloc["cents"].to_numpy() / 100
    d_ids, c_ids = ids[alloc["debit"]].reset_index(drop=True), ids[alloc["credit"]].reset_index(drop=True)
    rows = pd.DataFrame({
        "invoice_id": d_ids.to_numpy(), "client_id": c["client"].to_numpy(), "date": when, "amount": amount,
        "method": np.where(is_cn, _label(CREDIT_NOTE_APPLIED, c_ids), c["method"].to_numpy()),
        "source": np.where(is_cn, "credit_note", "payment"), "line": c["line"].to_numpy()})
    used = pd.DataFrame({
        "invoice_id": c_ids[is_cn].to_numpy(), "client_id": c["client"].to_numpy()[is_cn], "date": when[is_cn],
        "amount": -amount[is_cn], "method": _label(CREDIT_NOTE_USED, d_ids[is_cn]), "source": "credit_note",
        "line": c["line"].to_numpy()[is_cn]})
    left = (~items["debit"] & (items["kind"] != "credit_note")).to_numpy() & (rem > 0)
    unapplied = pd.DataFrame({
        "invoice_id": None, "client_id": items["client"].to_numpy()[left], "date": items["date"].to_numpy()[left],
        "amount": rem[left] / 100, "method": items["method"].to_numpy()[left], "source": "unapplied",
        "line": items["line"].to_numpy()[left]})
    payments = pd.concat([f for f in (rows, used, unapplied) if len(f)] or [rows], ignore_index=True)
    payments = payments.sort_values(["date", "line"], kind="stable").reset_index(drop=True)

    # Per document: amount settled, and the date of the row that completed it.
    target = np.concatenate([alloc["debit"].to_numpy(), alloc["credit"].to_numpy()[is_cn]])  # both sides
    per_doc = pd.DataFrame({"doc": target, "cents": np.concatenate([alloc["cents"].to_numpy(),
                                                                    alloc["cents"].to_numpy()[is_cn]]),
                            "when": np.concatenate([when, when[is_cn]])}).groupby("doc")
    settled, last = per_doc["cents"].sum(), per_doc["when"].max()
    docs = items[is_doc]
    sign = np.where(docs["debit"], 1, -1)
    doc_rem = pd.Series(rem, index=items.index)[docs.index].to_numpy()
    documents = pd.DataFrame({
        "doc_id": ids[docs.index].to_numpy(), "client_id": docs["client"].to_numpy(),
        "client_name": docs["name"].to_numpy(), "date": docs["date"].to_numpy(), "due_date": docs["due"].to_numpy(),
        "amount": sign * docs["cents"].to_numpy() / 100, "kind": docs["kind"].to_numpy(),
        "journal": docs["journal"].to_numpy(), "let": docs["let"].to_numpy(), "line": docs["line"].to_numpy(),
        "settled": sign * settled.reindex(docs.index).fillna(0).to_numpy() / 100,
        "open_amount": sign * doc_rem / 100,
        "settlement_date": np.where(doc_rem == 0, last.reindex(docs.index).to_numpy(dtype="datetime64[ns]"),
                                    np.datetime64("NaT", "ns"))})
    clients = items.groupby("client", sort=True)["name"].last()
    return {"documents": documents.reset_index(drop=True), "payments": payments,
            "clients": pd.DataFrame({"client_id": clients.index.to_numpy(), "client_name": clients.to_numpy()})}
