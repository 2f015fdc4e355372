"""Audit settings: defaults, and how the ``Paramètres`` sheet sets them.

Each setting has a French and an English label (the name typed in ``Paramètres``), a default and an
explanation; the template builds its ``Paramètres`` sheet from :data:`SETTINGS_SPEC`.

>>> s = Settings()
>>> s.aging_edges, s.lang, s.period_months
((0, 30, 60, 90, 120), 'fr', 12)
>>> s2, findings = settings_from_pairs([("Date d'arrêté", "31/12/2025"), ("Langue", "en")], sheet="Paramètres")
>>> s2.as_of.isoformat(), s2.lang, findings
('2025-12-31', 'en', [])
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .findings import Finding, show_value
from .schema import normalize_header

TERMS_RULES = ("net", "end_of_month_then_days", "days_then_end_of_month")


@dataclass(frozen=True)
class Settings:
    as_of: dt.date | None = None  # date d'arrêté; None = latest date found in the data
    period_months: int = 12  # analysis period ending on the as-of date
    aging_edges: tuple[int, ...] = (0, 30, 60, 90, 120)  # days past due; 0 separates "not yet due"
    old_invoice_days: int = 90  # open and more than N days past due = old invoice
    rating_edges: tuple[float, float, float] = (0.0, 15.0, 30.0)  # A <= 0 < B <= 15 < C <= 30 < D
    concentration_alert: float = 0.50  # alert when the top 3 clients weigh this share of revenue
    invoice_lag_target_days: int = 7  # delivery -> invoice target
    first_reminder_target_days: int = 5  # due date -> first reminder target
    default_terms_days: int = 30  # when neither the invoice nor the client gives a due date
    default_terms_rule: str = "net"
    legal_max_days: int = 60  # L441-10: 60 days from invoice date ...
    legal_max_eom_days: int = 45  # ... or 45 days end of month
    legal_default_days: int = 30  # with no agreed term
    overdue_block_days: int = 30  # invoiced while overdue by more than N days -> block candidate
    penalty_rate: float | None = None  # contractual late-payment rate (%), else the legal default
    ecb_rate: float | None = None  # override of the ECB main refinancing rate (%)
    fixed_indemnity: float = 40.0  # D441-5, per late invoice, B2B
    cei_months: int = 1  # 1 = CEI over the whole period; N = CRF monthly-average variant
    dso_target_days: float | None = None  # None = the weighted contractual terms
    dso_alert_days: float = 15.0  # Synthèse: orange when DSO exceeds the target by 0..N days, red beyond
    overdue_alert_share: float = 0.30  # Synthèse: red when overdue / outstanding exceeds this
    day_first: bool = True  # ambiguous dates like 03/04/2025: day first (French) unless set to False
    lang: str = "fr"

    def with_(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


@dataclass(frozen=True)
class SettingSpec:
    field: str
    fr: str
    en: str
    kind: str  # "date" | "int" | "float" | "percent" | "edges" | "bool" | "lang" | "rule" | "order"
    help_fr: str
    help_en: str


SETTINGS_SPEC: tuple[SettingSpec, ...] = (
    SettingSpec("as_of", "Date d'arrêté", "As-of date", "date",
                "Date à laquelle l'encours est arrêté (JJ/MM/AAAA). Vide : la date la plus récente des données.",
                "Date of the audit (YYYY-MM-DD). Empty: the latest date found in the data."),
    SettingSpec("period_months", "Période d'analyse (mois)", "Analysis period (months)", "int",
                "Nombre de mois analysés, se terminant à la date d'arrêté (12 par défaut).",
                "Number of months analysed, ending on the as-of date (default 12)."),
    SettingSpec("aging_edges", "Tranches de retard (jours)", "Aging buckets (days)", "edges",
                "Bornes des tranches de retard en jours après échéance, séparées par « ; » (défaut 0;30;60;90;120).",
                "Edges of the aging buckets in days past due, separated by \";\" (default 0;30;60;90;120)."),
    SettingSpec("old_invoice_days", "Seuil factures anciennes (jours)", "Old invoice threshold (days)", "int",
                "Une facture ouverte échue depuis plus de N jours est signalée comme ancienne (90).",
                "An open invoice more than N days past due is flagged as old (90)."),
    SettingSpec("rating_edges", "Seuils de notation A/B/C (jours)", "Rating edges A/B/C (days)", "edges",
                "Retard moyen pondéré maximal pour les notes A, B et C ; au-delà : D (défaut 0;15;30).",
                "Maximum weighted days late for ratings A, B and C; beyond: D (default 0;15;30)."),
    SettingSpec("concentration_alert", "Alerte concentration top 3 (%)", "Top-3 concentration alert (%)",
                "percent",
                "Alerte quand les 3 premiers clients pèsent au moins ce pourcentage du CA (50 %).",
                "Alert when the top 3 clients weigh at least this share of revenue (50 %)."),
    SettingSpec("invoice_lag_target_days", "Délai de facturation cible (jours)", "Invoicing lag target (days)",
                "int",
                "Délai maximal visé entre livraison et facture (7 jours).",
                "Target maximum delay between delivery and invoice (7 days)."),
    SettingSpec("first_reminder_target_days", "Première relance cible (jours après échéance)",
                "First reminder target (days after due)", "int",
                "Délai visé entre l'échéance et la première relance (5 jours).",
                "Target delay between the due date and the first reminder (5 days)."),
    SettingSpec("default_terms_days", "Délai de paiement par défaut (jours)", "Default payment terms (days)",
                "int",
                "Délai utilisé quand ni la facture ni la fiche client ne donnent d'échéance (30 jours, L441-10).",
                "Terms used when neither the invoice nor the client gives a due date (30 days, L441-10)."),
    SettingSpec("default_terms_rule", "Type de délai par défaut", "Default terms type", "rule",
                "net = date + N jours ; fin de mois puis N jours ; N jours puis fin de mois.",
                "net = date + N days; end of month then N days; N days then end of month."),
    SettingSpec("overdue_block_days", "Retard déclenchant le blocage (jours)", "Overdue days to block", "int",
                "Un client encore facturé alors qu'il a des factures échues depuis plus de N jours est signalé (30).",
                "A client still invoiced while overdue by more than N days is flagged (30)."),
    SettingSpec("penalty_rate", "Taux de pénalités contractuel (%)", "Contractual penalty rate (%)", "float",
                "Taux annuel des pénalités de retard prévu aux CGV. Vide : taux légal (BCE + 10 points).",
                "Annual late-payment rate in your terms of sale. Empty: legal rate (ECB + 10 points)."),
    SettingSpec("ecb_rate", "Taux BCE (forçage, %)", "ECB rate override (%)", "float",
                "Remplace le taux directeur BCE de la table intégrée pour le calcul du taux légal. Vide : table intégrée.",
                "Replaces the built-in ECB main refinancing rate for the legal rate. Empty: built-in table."),
    SettingSpec("fixed_indemnity", "Indemnité forfaitaire (€)", "Fixed indemnity (EUR)", "float",
                "Indemnité de recouvrement par facture payée en retard (40 €, D441-5, entre professionnels).",
                "Recovery indemnity per invoice paid late (EUR 40, D441-5, B2B)."),
    SettingSpec("cei_months", "CEI : nombre de mois", "CEI: number of months", "int",
                "1 = CEI sur la période ; N = variante CRF (ventes mensuelles moyennes sur N mois).",
                "1 = CEI over the period; N = CRF variant (average monthly sales over N months)."),
    SettingSpec("dso_target_days", "DSO cible (jours)", "DSO target (days)", "float",
                "Objectif de DSO. Vide : délai contractuel moyen pondéré.",
                "DSO target. Empty: the weighted contractual terms."),
    SettingSpec("dso_alert_days", "Tolérance DSO (jours)", "DSO tolerance (days)", "float",
                "Synthèse : orange si le DSO dépasse la cible de moins de N jours, rouge au-delà (15).",
                "Summary: orange when DSO exceeds the target by less than N days, red beyond (15)."),
    SettingSpec("overdue_alert_share", "Alerte part échue (%)", "Overdue share alert (%)", "percent",
                "Synthèse : rouge si la part échue de l'encours dépasse ce pourcentage (30 %).",
                "Summary: red when the overdue share of the outstanding exceeds this percentage (30 %)."),
    SettingSpec("day_first", "Ordre des dates ambiguës", "Ambiguous date order", "order",
                "JJ/MM (défaut) ou MM/JJ : utilisé seulement quand les données ne permettent pas de trancher.",
                "DD/MM (default) or MM/DD: used only when the data cannot decide."),
    SettingSpec("lang", "Langue", "Language", "lang",
                "fr ou en : langue des résultats et des messages.",
                "fr or en: language of the results and messages."),
)

_SPEC_INDEX = {normalize_header(n): s for s in SETTINGS_SPEC for n in (s.fr, s.en, s.field)}

_RULE_WORDS = {
    "net": "net", "date": "net", "jours": "net", "days": "net", "nets": "net", "comptant": "net",
    "findemoispuisjours": "end_of_month_then_days", "findemois": "end_of_month_then_days",
    "endofmonththendays": "end_of_month_then_days", "endofmonth": "end_of_month_then_days", "eom": "end_of_month_then_days",
    "joursfindemois": "days_then_end_of_month", "jourspuisfindemois": "days_then_end_of_month",
    "daysthenendofmonth": "days_then_end_of_month", "daysendofmonth": "days_then_end_of_month",
    "njoursfindemois": "days_then_end_of_month", "njourspuisfindemois": "days_then_end_of_month",
    "findemoisnjours": "end_of_month_then_days", "findemoispuisnjours": "end_of_month_then_days",
}


def parse_terms_rule(value: object) -> str | None:
    """Map a terms-type cell to a rule of :func:`audit_engine.kpi.due_date`; None when unknown.

    >>> parse_terms_rule("Fin de mois puis jours"), parse_terms_rule("45 jours fin de mois")
    ('end_of_month_then_days', 'days_then_end_of_month')
    """
    norm = normalize_header(value)
    if not norm:
        return None
    if norm in TERMS_RULES or norm in _RULE_WORDS:
        return _RULE_WORDS.get(norm, norm)
    stripped = norm.lstrip("0123456789")
    if stripped in _RULE_WORDS:
        return _RULE_WORDS[stripped]
    for key in ("end_of_month_then_days", "days_then_end_of_month", "net"):
        if normalize_header(key) == norm:
            return key
    return None


def _parse_value(spec: SettingSpec, value: object, day_first: bool) -> Any:
    from .ingest.values import parse_date_value, parse_number_value

    if spec.kind == "date":
        d = parse_date_value(value, day_first=day_first)
        if d is None:
            raise ValueError("date attendue (JJ/MM/AAAA) / date expected")
        return d
    if spec.kind in ("int", "float", "percent"):
        x = parse_number_value(value)
        if x is None or x < 0:
            raise ValueError("nombre positif attendu / positive number expected")
        if spec.kind == "int":
            return int(round(x))
        if spec.kind == "percent":
            text = str(value)
            return x if ("%" not in text and x <= 1) else x / 100
        return float(x)
    if spec.kind == "edges":
        parts = [p for p in str(value).replace(",", ";").replace(" ", ";").split(";") if p.strip()]
        nums = tuple(float(p) for p in parts)
        if not nums or list(nums) != sorted(set(nums)):
            raise ValueError("nombres croissants séparés par ; / increasing numbers separated by ;")
        return nums if spec.field == "rating_edges" else tuple(int(n) for n in nums)
    if spec.kind == "lang":
        text = normalize_header(value)[:2]
        if text not in ("fr", "en"):
            raise ValueError("fr ou en / fr or en")
        return text
    if spec.kind == "rule":
        rule = parse_terms_rule(value)
        if rule is None:
            raise ValueError("net, fin de mois puis jours, jours puis fin de mois")
        return rule
    if spec.kind == "order":
        text = normalize_header(value)
        if text in ("jjmm", "ddmm", "jourmois", "daymonth", "dayfirst", "jjmmaaaa", "ddmmyyyy"):
            return True
        if text in ("mmjj", "mmdd", "moisjour", "monthday", "monthfirst", "mmddyyyy", "mmjjaaaa"):
            return False
        raise ValueError("JJ/MM ou MM/JJ")
    if spec.kind == "bool":  # pragma: no cover - no bool setting yet
        return normalize_header(value) in ("oui", "yes", "vrai", "true", "1", "x")
    raise AssertionError(spec.kind)  # pragma: no cover


def settings_from_pairs(pairs: Iterable[tuple[object, object] | tuple[object, object, int]],
                        sheet: str = "Paramètres", base: Settings | None = None
                        ) -> tuple[Settings, list[Finding]]:
    """Settings from ``(name, value[, row])`` pairs; bad values keep the default and give a finding."""
    base = base or Settings()
    changes: dict[str, Any] = {}
    findings: list[Finding] = []
    items = [tuple(p) for p in pairs]
    # the date order is needed to read the as-of date: read it first
    ordered = sorted(items, key=lambda p: 0 if _SPEC_INDEX.get(normalize_header(p[0]), None) is not None
                     and _SPEC_INDEX[normalize_header(p[0])].field == "day_first" else 1)
    for item in ordered:
        name, value = item[0], item[1]
        row = item[2] if len(item) > 2 else None
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, float) and value != value:  # NaN
            continue
        spec = _SPEC_INDEX.get(normalize_header(name))
        if spec is None:
            if normalize_header(name):
                findings.append(Finding("info", sheet, row, str(name), show_value(value), "unknown_setting"))
            continue
        try:
            changes[spec.field] = _parse_value(spec, value, changes.get("day_first", base.day_first))
        except (ValueError, TypeError) as exc:
            findings.append(Finding("warning", sheet, row, str(name), show_value(value), "bad_setting",
                                    {"detail": str(exc), "default": getattr(base, spec.field)}))
    return dataclasses.replace(base, **changes), findings
