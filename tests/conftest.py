"""Shared fixtures: build a clean ledger from small tables written inline in a test.

Tables are lists of dicts keyed by the template's French headers, exactly what a user would paste:

    ledger, settings, findings = build(
        invoices=[{"N° facture": "F1", "Code client": "C1", "Date facture": "02/01/2025",
                   "Date échéance": "01/02/2025", "Montant TTC": 1200}],
        payments=[{"N° facture": "F1", "Date règlement": "10/02/2025", "Montant": 1200}],
        as_of="2025-03-31")
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from typing import Any

import pytest

from audit_engine.ingest import ingest
from audit_engine.io.raw import RawInput, RawTable
from audit_engine.schema import CLIENTS, INVOICES, PAYMENTS, REMINDERS, SETTINGS, TABLE_LABELS


def raw_table(table: str, rows: Sequence[dict[str, Any]], sheet: str | None = None) -> RawTable:
    headers: list[str] = []
    for r in rows:
        for k in r:
            if k not in headers:
                headers.append(k)
    values = [headers] + [[r.get(h) for h in headers] for r in rows]
    return RawTable.from_rows(table, sheet or TABLE_LABELS["fr"][table], "test.xlsx", values)


def raw_input(invoices: Sequence[dict[str, Any]], payments: Sequence[dict[str, Any]] | None = None,
              reminders: Sequence[dict[str, Any]] | None = None, clients: Sequence[dict[str, Any]] | None = None,
              settings: Sequence[tuple[str, Any]] | None = None) -> RawInput:
    tables = {INVOICES: raw_table(INVOICES, invoices)}
    if payments:
        tables[PAYMENTS] = raw_table(PAYMENTS, payments)
    if reminders:
        tables[REMINDERS] = raw_table(REMINDERS, reminders)
    if clients:
        tables[CLIENTS] = raw_table(CLIENTS, clients)
    if settings:
        tables[SETTINGS] = RawTable.from_rows(SETTINGS, "Paramètres", "test.xlsx",
                                              [["Paramètre", "Valeur"], *[list(p) for p in settings]])
    return RawInput("test.xlsx", tables, tuple(t.sheet for t in tables.values()))


def build(invoices: Sequence[dict[str, Any]], payments: Sequence[dict[str, Any]] | None = None,
          reminders: Sequence[dict[str, Any]] | None = None, clients: Sequence[dict[str, Any]] | None = None,
          settings: Sequence[tuple[str, Any]] | None = None, **overrides: Any):
    """(ledger, settings, findings) for inline tables; ``overrides`` as for :func:`ingest` (as_of=...)."""
    return ingest(raw_input(invoices, payments, reminders, clients, settings), **overrides)


def inv(number: str, client: str, date: str, amount: float, due: str | None = None, **extra: Any) -> dict[str, Any]:
    """One invoice row with the template's French headers (extra: delivery=..., name=..., disputed=...)."""
    row: dict[str, Any] = {"N° facture": number, "Code client": client, "Date facture": date,
                           "Date échéance": due, "Montant TTC": amount}
    names = {"delivery": "Date livraison", "name": "Client", "disputed": "Litige", "reason": "Motif litige",
             "paid": "Montant réglé", "settled": "Date règlement"}
    for key, value in extra.items():
        row[names.get(key, key)] = value
    return row


def pay(number: str | None, date: str, amount: float, client: str | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"N° facture": number, "Date règlement": date, "Montant": amount}
    if client is not None:
        row["Code client"] = client
    return row


def soffice_available() -> bool:
    return shutil.which("soffice") is not None or shutil.which("libreoffice") is not None


@pytest.fixture
def require_libreoffice():
    """Skip locally when LibreOffice is absent; in CI (CI=true) its absence is a failure."""
    if not soffice_available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI: .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed")
