"""The clean ledger every section reads, and the views of it they share.

:func:`audit_engine.ingest.ingest` builds a :class:`Ledger` from raw tables. Its frames have fixed,
typed columns (dates are ``datetime64[ns]`` at midnight, amounts ``float64``, ids ``object`` text):

``invoices`` (one row per invoice or credit note, ``amount < 0`` for a credit note)
    invoice_id, client_id, client_name, invoice_date, delivery_date, due_date, amount, disputed,
    dispute_reason, terms_days (due - invoice date, in days), due_source ("data" | "client" | "default"),
    paid (applied payments dated on or before the as-of date, or undated), open_amount
    (amount - paid, 0 <= open <= amount for an invoice, amount <= open <= 0 for a credit note),
    settlement_date (the day cumulative payments reached the amount; NaT while open),
    settled_undated (paid but no payment date known), row (the user's row number)
``payments``: invoice_id (None = unapplied), client_id, payment_date, amount, row
``reminders``: invoice_id, client_id, reminder_date, type, level, row
``clients``: client_id, client_name, terms_days, terms_rule, credit_limit, risk_rating, siren, deposit,
    penalty_rate, customer_type, row
``credits``: unapplied cash per client (negative amounts): client_id, date, amount, kind, row

Worked example: an invoice of 1,200 due 2025-01-31, 200 paid on 2025-02-10, as of 2025-03-02:
its open amount is 1,000 and it is 30 days past due, so it sits in the ``1-30`` aging bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

INVOICE_COLUMNS = ("invoice_id", "client_id", "client_name", "invoice_date", "delivery_date", "due_date",
                   "amount", "disputed", "dispute_reason", "terms_days", "due_source", "paid", "open_amount",
                   "settlement_date", "settled_undated", "row")
PAYMENT_COLUMNS = ("invoice_id", "client_id", "payment_date", "amount", "row")
REMINDER_COLUMNS = ("invoice_id", "client_id", "reminder_date", "type", "level", "row")
CLIENT_COLUMNS = ("client_id", "client_name", "terms_days", "terms_rule", "credit_limit", "risk_rating", "siren",
                  "deposit", "penalty_rate", "customer_type", "row")
CREDIT_COLUMNS = ("client_id", "date", "amount", "kind", "row")

DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class Ledger:
    invoices: pd.DataFrame
    payments: pd.DataFrame
    reminders: pd.DataFrame
    clients: pd.DataFrame
    credits: pd.DataFrame
    as_of: pd.Timestamp
    period_start: pd.Timestamp  # first day of the analysis period (inclusive)
    sheets: dict[str, str] = field(default_factory=dict)  # table key -> sheet/file name shown to users
    available: frozenset[str] = frozenset()  # optional data present: "delivery_date", "due_date",
    # "payments", "reminders", "clients", "disputed", "payment_dates"
    source: str = ""
    # invoice rows excluded because their number was already used: invoice_id, client_id, invoice_date,
    # amount, row, first_row
    duplicates: pd.DataFrame = field(default_factory=pd.DataFrame)
    meta: dict[str, object] = field(default_factory=dict)

    @property
    def period_end(self) -> pd.Timestamp:
        return self.as_of

    @property
    def period_days(self) -> int:
        return int((self.as_of - self.period_start) / DAY) + 1

    def client_names(self) -> pd.Series:
        """client_id -> name, from the client master, then the invoices (computed once)."""
        cached = self.meta.get("_client_names")
        if isinstance(cached, pd.Series):
            return cached
        out = self._client_names()
        self.meta["_client_names"] = out
        return out

    def _client_names(self) -> pd.Series:
        names = self.invoices.dropna(subset=["client_name"]).drop_duplicates("client_id", keep="last")
        out = pd.Series(names["client_name"].to_numpy(), index=names["client_id"].to_numpy(), dtype=object)
        if len(self.clients):
            master = self.clients.dropna(subset=["client_name"])
            extra = pd.Series(master["client_name"].to_numpy(), index=master["client_id"].to_numpy(), dtype=object)
            out = extra.combine_first(out) if len(out) else extra
        return out


def open_items(ledger: Ledger) -> pd.DataFrame:
    """Everything that makes up the outstanding at the as-of date, one row per item.

    Columns: client_id, doc_id, kind ("invoice" | "credit_note" | "unapplied"), date, due_date,
    amount, open_amount, days_past_due (as-of - due date, in days; negative = not yet due), disputed.
    Invoices and credit notes dated after the as-of date are not part of it. The sum of
    ``open_amount`` is the outstanding.
    """
    inv = ledger.invoices
    asof = ledger.as_of
    docs = inv[(inv["invoice_date"] <= asof) & (inv["open_amount"].abs() > 0.004)]
    kinds = np.where(docs["amount"] < 0, "credit_note", "invoice")
    frame = pd.DataFrame({
        "client_id": docs["client_id"].to_numpy(dtype=object),
        "doc_id": docs["invoice_id"].to_numpy(dtype=object),
        "kind": kinds.astype(object),
        "date": docs["invoice_date"].to_numpy(),
        "due_date": docs["due_date"].to_numpy(),
        "amount": docs["amount"].to_numpy(),
        "open_amount": docs["open_amount"].to_numpy(),
        "disputed": docs["disputed"].to_numpy(),
    })
    cr = ledger.credits
    if len(cr):
        cr = cr[cr["date"].isna() | (cr["date"] <= asof)]
        extra = pd.DataFrame({
            "client_id": cr["client_id"].to_numpy(),
            "doc_id": None,
            "kind": "unapplied",
            "date": cr["date"].to_numpy(),
            "due_date": cr["date"].fillna(asof).to_numpy(),
            "amount": cr["amount"].to_numpy(),
            "open_amount": cr["amount"].to_numpy(),
            "disputed": False,
        })
        frame = pd.concat([frame, extra], ignore_index=True) if len(frame) else extra
    frame["days_past_due"] = ((asof - frame["due_date"]) / DAY).astype("float64")
    for col in ("client_id", "doc_id", "kind"):
        frame[col] = frame[col].astype(object)
    return frame.reset_index(drop=True)


def period_documents(ledger: Ledger, start: pd.Timestamp | None = None,
                     end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Invoices and credit notes dated in [start, end] (default: the analysis period): the revenue."""
    start = ledger.period_start if start is None else start
    end = ledger.as_of if end is None else end
    inv = ledger.invoices
    return inv[(inv["invoice_date"] >= start) & (inv["invoice_date"] <= end)]


def settled_invoices(ledger: Ledger, start: pd.Timestamp | None = None,
                     end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Invoices (amount > 0) fully settled with a known date in [start, end] (default: the period),
    with ``days_to_pay`` (settlement - invoice date) and ``days_late`` (settlement - due date, may be
    negative for early payment)."""
    start = ledger.period_start if start is None else start
    end = ledger.as_of if end is None else end
    inv = ledger.invoices
    mask = ((inv["amount"] > 0) & inv["settlement_date"].notna()
            & (inv["settlement_date"] >= start) & (inv["settlement_date"] <= end)).to_numpy()
    s = inv.loc[mask]
    s["days_to_pay"] = ((s["settlement_date"] - s["invoice_date"]) / DAY).astype("float64")
    s["days_late"] = ((s["settlement_date"] - s["due_date"]) / DAY).astype("float64")
    return s


def outstanding_by_client(items: pd.DataFrame) -> pd.Series:
    return items.groupby("client_id", sort=True)["open_amount"].sum()
