"""Command-line and terminal summary texts."""

MESSAGES = {
    "cli.error": {"fr": "Erreur : {message}", "en": "Error: {message}"},
    "cli.unexpected": {
        "fr": "Erreur inattendue ({error}). Relancez avec --debug pour le détail technique.",
        "en": "Unexpected error ({error}). Run again with --debug for the technical details.",
    },
    "cli.wrote": {"fr": "Écrit : {path}", "en": "Written: {path}"},
    "cli.cleared": {
        "fr": "{count} feuille(s) de résultats effacée(s) : {path}",
        "en": "{count} result sheet(s) removed: {path}",
    },
    "cli.output_needs_workbook": {
        "fr": "--output n'a de sens que pour un classeur .xlsx ou .xlsm (utilisez --report pour un rapport seul)",
        "en": "--output only applies to an .xlsx or .xlsm workbook (use --report for a report alone)",
    },
    "cli.bad_as_of": {
        "fr": "date d'arrêté « {value} » invalide : format attendu AAAA-MM-JJ",
        "en": "invalid as-of date \"{value}\": expected YYYY-MM-DD",
    },
    "step.read": {"fr": "Lecture du fichier", "en": "Reading the file"},
    "step.ingest": {"fr": "Contrôles des données", "en": "Checking the data"},
    "step.receivables": {"fr": "1. Qui doit quoi", "en": "1. Who owes what"},
    "step.invoicing": {"fr": "2. Facturation & relances", "en": "2. Invoicing & dunning"},
    "step.terms": {"fr": "3. Conditions de paiement", "en": "3. Payment terms"},
    "step.delays": {"fr": "4. Retards & DSO", "en": "4. Late payments & DSO"},
    "step.actions": {"fr": "5. Plan d'action", "en": "5. Action plan"},
    "step.write": {"fr": "Écriture des résultats", "en": "Writing the results"},
    "term.title": {"fr": "Audit du poste clients", "en": "Accounts receivable audit"},
    "term.header": {
        "fr": "{source} · arrêté au {as_of} · période du {start} au {end}",
        "en": "{source} · as of {as_of} · period {start} to {end}",
    },
    "term.invoices": {
        "fr": "{count} pièces ({credit} avoirs), {clients} clients, {open} factures ouvertes",
        "en": "{count} documents ({credit} credit notes), {clients} clients, {open} open invoices",
    },
    "term.kpi": {"fr": "Indicateur", "en": "Indicator"},
    "term.value": {"fr": "Valeur", "en": "Value"},
    "term.outstanding": {"fr": "Encours clients", "en": "Outstanding receivables"},
    "term.overdue": {"fr": "dont échu", "en": "of which overdue"},
    "term.not_due": {"fr": "Non échu", "en": "Not yet due"},
    "term.aging": {"fr": "Balance âgée", "en": "Aging"},
    "term.top3": {"fr": "Part des 3 premiers clients (CA)", "en": "Top 3 clients' share of revenue"},
    "term.dso_simple": {"fr": "DSO (méthode comptable)", "en": "DSO (simple)"},
    "term.dso_countback": {"fr": "DSO (par épuisement du CA)", "en": "DSO (countback)"},
    "term.bpdso": {"fr": "DSO minimal (BPDSO)", "en": "Best possible DSO"},
    "term.add": {"fr": "Retard moyen (ADD)", "en": "Average days delinquent"},
    "term.cei": {"fr": "Efficacité du recouvrement (CEI)", "en": "Collection effectiveness (CEI)"},
    "term.terms": {"fr": "Délai contractuel moyen pondéré", "en": "Weighted contractual terms"},
    "term.days_late": {"fr": "Retard moyen pondéré (factures réglées)", "en": "Weighted days late (settled)"},
    "term.lag": {"fr": "Délai livraison → facture", "en": "Delivery → invoice lag"},
    "term.gaps": {"fr": "Trous de numérotation", "en": "Numbering gaps"},
    "term.disputed": {"fr": "Litiges ouverts", "en": "Open disputes"},
    "term.never_reminded": {"fr": "Factures échues jamais relancées", "en": "Overdue never reminded"},
    "term.over_legal": {"fr": "Clients au-delà du délai légal", "en": "Clients beyond legal terms"},
    "term.limit": {"fr": "Plafonds de crédit dépassés", "en": "Credit limits exceeded"},
    "term.penalties": {"fr": "Pénalités + indemnités réclamables", "en": "Penalties + indemnities claimable"},
    "term.actions": {"fr": "Plan d'action (les {n} premières sur {total})", "en": "Action plan (first {n} of {total})"},
    "term.priority": {"fr": "Prio.", "en": "Prio."},
    "term.action": {"fr": "Action", "en": "Action"},
    "term.cash": {"fr": "Impact tréso.", "en": "Cash impact"},
    "term.quality": {
        "fr": "Qualité des données : {error} lignes exclues, {warning} avertissements, {info} informations",
        "en": "Data quality: {error} rows excluded, {warning} warnings, {info} notes",
    },
    "term.reconciliation": {
        "fr": "Rapprochement avec le solde 411 : solde {balance}, factures ouvertes {open}, crédits {credits}, "
              "écart {difference}",
        "en": "Reconciliation with the 411 balance: balance {balance}, open invoices {open}, credits {credits}, "
              "difference {difference}",
    },
}
