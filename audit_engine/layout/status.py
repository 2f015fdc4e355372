"""Green / orange / red statuses of the key figures against the thresholds of ``Paramètres``, and the
national reference figures of the Banque de France shown beside them.

Rules (``s`` = :class:`~audit_engine.settings.Settings`):

- DSO (both methods): green <= target, orange <= target + ``s.dso_alert_days``, red beyond; the target
  is ``s.dso_target_days``, else the weighted contractual terms (section 4's ``dso_target_days``).
- Overdue share of the outstanding: red above ``s.overdue_alert_share``, orange above two thirds of it.
- Top-3 concentration: red from ``s.concentration_alert``, orange from two thirds of it.
- Weighted days late: green up to the B rating edge (15 days), orange up to the C edge (30), red beyond
  (``s.rating_edges``).
- Invoicing lag and days from due date to first reminder: green up to their target
  (``s.invoice_lag_target_days``, ``s.first_reminder_target_days``), orange up to twice it, red beyond.
- Counts of breaches: clients over the legal maximum terms -> red when any; credit limits exceeded,
  numbering gaps or duplicates, old invoices -> orange when any; green when none.
- A figure the data cannot give (None) has no status.

>>> status_dso(50.0, 45.0, 15.0), status_dso(61.0, 45.0, 15.0), status_share_above(0.31, 0.30)
('orange', 'red', 'red')
>>> status_days_late(12.0, (0.0, 15.0, 30.0)), worst(None, "green", "orange")
('green', 'orange')
"""

from __future__ import annotations

GREEN, ORANGE, RED = "green", "orange", "red"
_RANK = {GREEN: 0, ORANGE: 1, RED: 2}
WARN_RATIO = 2.0 / 3.0

# Banque de France, Observatoire des délais de paiement (docs: ../shared/DOMAIN.md)
BDF_DSO_DAYS = 42.7  # customer payment delays, days of turnover, 2023
BDF_DAYS_LATE = 13.6  # average lateness, Q4 2024 (European average 13.4)
BDF_ON_TIME_SHARE = 0.462  # share of firms paid on time, Q4 2024
BDF_OVER_30_SHARE = 0.091  # share of delays over 30 days, Q4 2024


def worst(*statuses: str | None) -> str | None:
    known = [s for s in statuses if s is not None]
    return max(known, key=_RANK.__getitem__) if known else None


def status_dso(dso: float | None, target: float | None, tolerance: float) -> str | None:
    if dso is None or target is None:
        return None
    return GREEN if dso <= target else ORANGE if dso <= target + tolerance else RED


def status_share_above(value: float | None, threshold: float, inclusive: bool = False) -> str | None:
    """Red above ``threshold`` (from it when ``inclusive``), orange above two thirds of it."""
    if value is None:
        return None
    red = value >= threshold if inclusive else value > threshold
    return RED if red else ORANGE if value > threshold * WARN_RATIO else GREEN


def status_days_late(days: float | None, edges: tuple[float, ...]) -> str | None:
    if days is None:
        return None
    return GREEN if days <= edges[1] else ORANGE if days <= edges[2] else RED


def status_target(value: float | None, target: float) -> str | None:
    if value is None:
        return None
    return GREEN if value <= target else ORANGE if value <= 2 * target else RED


def status_count(count: float | None, when_any: str = ORANGE) -> str | None:
    if count is None:
        return None
    return GREEN if count <= 0 else when_any


def status_difference(difference: float | None) -> str | None:
    """Reconciliation of the FEC ledger balance: green to the cent, red otherwise."""
    if difference is None:
        return None
    return GREEN if abs(difference) < 0.005 else RED
