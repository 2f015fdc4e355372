"""Run the five sections over a clean ledger and assemble the :class:`~audit_engine.report.AuditReport`.

>>> # ledger, settings, findings = ingest(read_input("factures.csv"))
>>> # report = run_audit(ledger, settings, findings)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .findings import Finding
from .ledger import Ledger
from .report import SECTION_KEYS, AuditReport, invoice_summary, reconciliation
from .sections import delays, invoicing, receivables, terms
from .sections.actions import plan_actions
from .settings import Settings

SECTION_FUNCTIONS = {
    "receivables": receivables.compute,
    "invoicing": invoicing.compute,
    "terms": terms.compute,
    "delays": delays.compute,
}


def run_audit(ledger: Ledger, settings: Settings, findings: Sequence[Finding] = (),
              progress: Callable[[str], None] | None = None) -> AuditReport:
    """Compute sections 1 to 4, then the action plan (section 5) from their observations."""
    results = {}
    for key in SECTION_KEYS:
        if progress:
            progress(key)
        results[key] = SECTION_FUNCTIONS[key](ledger, settings)
    if progress:
        progress("actions")
    names = {str(k): str(v) for k, v in ledger.client_names().items()}
    observations = [o for key in SECTION_KEYS for o in results[key].observations]
    plan = plan_actions(observations, names, settings.lang)
    return AuditReport(
        source=ledger.source,
        settings=settings,
        as_of=ledger.as_of.date(),
        period_start=ledger.period_start.date(),
        period_end=ledger.as_of.date(),
        summary=invoice_summary(ledger),
        sections=results,
        actions=plan,
        findings=tuple(findings),
        reconciliation=reconciliation(ledger),
        client_names=names,
    )
