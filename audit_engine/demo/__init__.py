"""The demo dataset shipped with the package (see :mod:`audit_engine.demo.generate` for its story).

>>> sorted(p.name for p in DATA_DIR.glob("*.csv"))
['clients.csv', 'factures.csv', 'parametres.csv', 'reglements.csv', 'relances.csv']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

DATA_DIR = Path(__file__).parent / "data"


def demo_tables(seed: int = 2026) -> dict[str, pd.DataFrame]:
    """The demo tables (invoices, payments, reminders, clients, settings), French headers."""
    from .generate import generate  # lazy: keeps ``python -m audit_engine.demo.generate`` warning-free

    return generate(seed)
