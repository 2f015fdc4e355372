"""Clean the invoices and the client master; derive missing due dates from the client's terms.

>>> import pandas as pd
>>> from audit_engine.settings import Settings
>>> inv = pd.DataFrame({"invoice_id": ["F1"], "client_id": ["C1"],
...                     "invoice_date": pd.to_datetime(["2025-01-15"]), "due_date": [pd.NaT],
...                     "amount": [100.0], "row": [2]})
>>> cli = pd.DataFrame({"client_id": ["C1"], "terms_days": [45.0], "terms_rule": ["days_then_end_of_month"]})
>>> out, _ = derive_due_dates(inv, cli, Settings(), "Factures", "fr")
>>> str(out["due_date"].iloc[0].date()), float(out["terms_days"].iloc[0]), out["due_source"].iloc[0]
('2025-03-31', 75.0, 'client')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..days import day_numbers, due_under_terms
from ..findings import Finding, show_value
from ..ledger import CLIENT_COLUMNS, DAY
from ..settings import Settings, parse_terms_rule
from .columns import ParsedTable

_INVOICE_DEFAULTS = {
    "client_name": None, "delivery_date": pd.NaT, "due_date": pd.NaT, "disputed": False, "dispute_reason": None,
}


def clean_invoices(parsed: ParsedTable) -> tuple[pd.DataFrame, pd.DataFrame, list[Finding]]:
    """Valid invoice rows, first occurrence of each number; the excluded duplicates; findings."""
    findings: list[Finding] = []
    valid = parsed.valid.to_numpy()
    f = parsed.frame if valid.all() else parsed.frame[valid]
    dup = f["invoice_id"].duplicated(keep="first").to_numpy()
    duplicates = f.iloc[np.flatnonzero(dup)][["invoice_id", "client_id", "invoice_date", "amount", "row"]].copy()
    if dup.any():
        first_row = f.drop_duplicates("invoice_id").set_index("invoice_id")["row"]
        duplicates["first_row"] = duplicates["invoice_id"].map(first_row).to_numpy()
        findings += [Finding("error", parsed.sheet, int(r), _col(parsed, "invoice_id"), str(i), "duplicate_invoice",
                             {"first_row": int(fr)})
                     for i, r, fr in zip(duplicates["invoice_id"], duplicates["row"], duplicates["first_row"],
                                         strict=True)]
    else:
        duplicates["first_row"] = pd.Series(dtype="int64")
    inv = f.copy(deep=False) if not dup.any() else f.iloc[np.flatnonzero(~dup)].copy()
    for key, default in _INVOICE_DEFAULTS.items():
        if key not in inv:
            inv[key] = default
    inv["delivery_date"] = inv["delivery_date"].astype("datetime64[ns]")
    inv["due_date"] = inv["due_date"].astype("datetime64[ns]")
    inv["disputed"] = inv["disputed"].astype(bool)
    if "dispute_reason" in parsed.present and "disputed" not in parsed.present:
        inv["disputed"] = inv["dispute_reason"].notna().to_numpy()
    early = (inv["due_date"] < inv["invoice_date"]).to_numpy()
    if early.any():
        findings += [Finding("warning", parsed.sheet, int(r), _col(parsed, "due_date"),
                             d.strftime("%d/%m/%Y"), "due_before_invoice")
                     for r, d in zip(inv["row"].to_numpy()[early], inv["due_date"][early], strict=True)]
        inv.loc[early, "due_date"] = inv.loc[early, "invoice_date"]
    zero = (inv["amount"].abs() < 0.005).to_numpy()
    findings += [Finding("info", parsed.sheet, int(r), _col(parsed, "amount"), "0", "zero_amount")
                 for r in inv["row"].to_numpy()[zero][:1000]]
    inv["amount"] = inv["amount"].round(2)
    return inv, duplicates, findings


def _col(parsed: ParsedTable, key: str) -> str:
    from ..schema import header

    return header(parsed.table, key)


def clean_clients(parsed: ParsedTable | None) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    if parsed is None or not len(parsed.frame):
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CLIENT_COLUMNS}), findings
    f = parsed.frame[parsed.valid.to_numpy()].copy()
    dup = f["client_id"].duplicated(keep="first")
    if dup.any():
        first = f.drop_duplicates("client_id").set_index("client_id")["row"]
        findings += [Finding("warning", parsed.sheet, int(r), _col(parsed, "client_id"), str(c), "duplicate_client",
                             {"first_row": int(first[c])})
                     for c, r in zip(f.loc[dup, "client_id"], f.loc[dup, "row"], strict=True)]
        f = f[~dup]
    for c in CLIENT_COLUMNS:
        if c not in f:
            f[c] = None
    rules = []
    for value, row in zip(f["terms_rule"], f["row"], strict=True):
        rule = parse_terms_rule(value) if value is not None else None
        if value is not None and rule is None:
            findings.append(Finding("warning", parsed.sheet, int(row), _col(parsed, "terms_rule"),
                                    show_value(value), "bad_terms_rule"))
        rules.append(rule)
    f["terms_rule"] = rules
    for c in ("terms_days", "credit_limit", "penalty_rate"):
        f[c] = pd.to_numeric(f[c], errors="coerce").astype("float64")
    return f[list(CLIENT_COLUMNS)].reset_index(drop=True), findings


def derive_due_dates(inv: pd.DataFrame, clients: pd.DataFrame, settings: Settings, sheet: str,
                     lang: str) -> tuple[pd.DataFrame, list[Finding]]:
    """Fill missing due dates from the client's terms, else the default terms; add terms_days."""
    inv = inv.copy(deep=False)
    findings: list[Finding] = []
    missing = inv["due_date"].isna().to_numpy()
    source = np.where(missing, "default", "data").astype(object)
    if missing.any():
        terms = pd.Series(np.nan, index=inv.index)
        rules = pd.Series(None, index=inv.index, dtype=object)
        if len(clients) and clients["terms_days"].notna().any():
            master = clients.set_index("client_id")
            terms = inv["client_id"].map(master["terms_days"]).astype("float64")
            rules = inv["client_id"].map(master["terms_rule"])
        from_client = missing & terms.notna().to_numpy()
        source[from_client] = "client"
        days = terms.where(from_client, float(settings.default_terms_days))
        rules = rules.where(from_client, settings.default_terms_rule).fillna("net")
        due = due_under_terms(day_numbers(inv["invoice_date"][missing]), days[missing].to_numpy(dtype="float64"),
                              rules[missing].to_numpy(dtype=object))
        inv.loc[missing, "due_date"] = due.astype("datetime64[D]").astype("datetime64[ns]")
        rule_label = {"net": "net", "end_of_month_then_days": "fin de mois puis jours",
                      "days_then_end_of_month": "jours puis fin de mois"}.get(settings.default_terms_rule, "net")
        findings.append(Finding("info", sheet, None, None, None, "due_from_terms",
                                {"count": int(missing.sum()), "days": settings.default_terms_days,
                                 "rule": rule_label if lang == "fr" else settings.default_terms_rule}))
    inv["due_source"] = source
    inv["terms_days"] = ((inv["due_date"] - inv["invoice_date"]) / DAY).astype("float64")
    return inv, findings
