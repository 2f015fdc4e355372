"""audit-poste-clients: the audit engine (pure pandas) behind the Excel add-in and the CLI.

>>> from audit_engine.api import audit_path          # doctest: +SKIP
>>> report = audit_path("factures.csv", as_of="2026-11-30")   # doctest: +SKIP
>>> report.to_dict()["receivables"]["outstanding"]   # doctest: +SKIP
"""

__version__ = "0.1.0"
