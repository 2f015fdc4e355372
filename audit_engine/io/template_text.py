"""The words of ``workbook_template.xlsm``: sheet names, instructions, buttons, validation messages.

Kept apart from :mod:`audit_engine.io.template` (the layout) so that a wording change is a one-line
diff. Button captions of the five sections come from the shared messages (``step.*`` in
:mod:`audit_engine.locale`), so the template, the terminal summary and the result sheets agree:

>>> button_caption(2, "fr") == t("step.invoicing", "fr") or button_caption(2, "fr") == "Section 2"
True
>>> sheet_name("payments", "fr"), sheet_name("home", "en")
('Règlements', 'Home')
"""

from __future__ import annotations

from ..i18n import has, t
from ..schema import CLIENTS, INVOICES, PAYMENTS, REMINDERS, SETTINGS, TABLE_LABELS

HOME, XLWINGS = "home", "xlwings"
SHEETS = (HOME, INVOICES, PAYMENTS, REMINDERS, CLIENTS, SETTINGS, XLWINGS)
CODE_NAMES = {HOME: "Accueil", INVOICES: "Factures", PAYMENTS: "Reglements", REMINDERS: "Relances",
              CLIENTS: "Clients", SETTINGS: "Parametres", XLWINGS: "XlwingsConf"}
_STEP_CODES = {1: "step.receivables", 2: "step.invoicing", 3: "step.terms", 4: "step.delays", 5: "step.actions"}


def sheet_name(sheet: str, lang: str) -> str:
    if sheet == XLWINGS:
        return "xlwings.conf"  # the name xlwings looks for, in every language
    if sheet == HOME:
        return "Accueil" if lang == "fr" else "Home"
    return TABLE_LABELS[lang][sheet]


def button_caption(section: int, lang: str) -> str:
    code = _STEP_CODES[section]
    return t(code, lang) if has(code) else f"Section {section}"


# (macro, caption fr, caption en, description fr, description en); None caption = a section's step
BUTTONS: tuple[tuple[str, int | str, str, str, str], ...] = (
    ("LancerAuditComplet", "Lancer l'audit complet", "Run the full audit",
     "Les cinq sections, puis la synthèse. Les feuilles de résultats sont recréées à chaque lancement.",
     "The five sections, then the summary. Result sheets are rebuilt on every run."),
    ("LancerSection1", 1, "", "Encours, balance âgée, concentration, factures anciennes.",
     "Outstanding, aging, concentration, old invoices."),
    ("LancerSection2", 2, "", "Délai livraison → facture, délai et niveaux de relance.",
     "Delivery-to-invoice lag, reminder timing and levels."),
    ("LancerSection3", 3, "", "Délais convenus face au maximum légal (L441-10), clients facturés malgré un retard.",
     "Agreed terms against the legal maximum (L441-10), clients invoiced while overdue."),
    ("LancerSection4", 4, "", "Retards de paiement, DSO, CEI, pénalités et indemnités de 40 €.",
     "Late payments, DSO, CEI, penalties and EUR 40 indemnities."),
    ("LancerSection5", 5, "", "Plan d'action priorisé à partir des constats des sections 1 à 4.",
     "Prioritised action plan from the findings of sections 1 to 4."),
    ("EffacerResultats", "Effacer les résultats", "Clear the results",
     "Supprime les feuilles de résultats ; vos données et vos paramètres restent.",
     "Deletes the result sheets; your data and settings stay."),
)

HOME_TEXT = {
    "fr": {
        "title": "Audit du poste clients",
        "subtitle": "Collez vos exports, cliquez sur un bouton, lisez l'audit dans de nouvelles feuilles.",
        "how": "Mode d'emploi",
        "steps": (
            "1. Collez l'export de vos factures clients dans la feuille « Factures » : sous les en-têtes "
            "(cellule A2), colonne par colonne,",
            "    ou l'export entier en A1 avec ses propres en-têtes (les intitulés usuels des logiciels sont "
            "reconnus). Seules les colonnes obligatoires sont requises.",
            "2. Facultatif : « Règlements » (paiements partiels), « Relances » (historique de relance), "
            "« Clients » (délais, plafonds, SIREN).",
            "3. Indiquez la date d'arrêté et vos seuils dans « Paramètres » (vide : la date la plus récente "
            "des données).",
            "4. Cliquez sur « Lancer l'audit complet » ou sur une section. Les résultats s'ajoutent dans de "
            "nouvelles feuilles.",
            "Colonnes obligatoires de « Factures » : N° facture, Code client, Date facture, Montant TTC "
            "(un avoir a un montant négatif).",
        ),
        "as_of": "Date d'arrêté",
        "as_of_empty": "(date la plus récente des données)",
        "as_of_link": "Modifier la date d'arrêté dans Paramètres",
        "run": "Lancer l'audit",
        "macros": "Test des macros",
        "macros_hint": "Alt+F8 › VerifierMacros › Exécuter : « Macros actives » doit s'afficher ici.",
        "setup": "Prérequis (une fois par poste)",
        "setup_lines": (
            "Python 3.11 ou plus récent avec le paquet du projet : pip install audit-poste-clients",
            "Le complément Excel de xlwings : xlwings addin install, puis redémarrez Excel.",
            "Réglages de xlwings : feuille « xlwings.conf » ; pas à pas Windows et macOS : README du projet.",
        ),
    },
    "en": {
        "title": "Accounts receivable audit",
        "subtitle": "Paste your exports, click a button, read the audit in new sheets.",
        "how": "How to",
        "steps": (
            "1. Paste the export of your customer invoices into the \"Invoices\" sheet: under the headers "
            "(cell A2), column by column,",
            "    or the whole export at A1 with its own headers (the usual software headers are recognised). "
            "Only the required columns are needed.",
            "2. Optional: \"Payments\" (partial payments), \"Reminders\" (dunning log), \"Clients\" (terms, "
            "credit limits, SIREN).",
            "3. Set the as-of date and your thresholds in \"Settings\" (empty: the latest date in the data).",
            "4. Click \"Run the full audit\" or a section. The results are added as new sheets.",
            "Required columns of \"Invoices\": Invoice number, Client code, Invoice date, Amount incl. VAT "
            "(a credit note has a negative amount).",
        ),
        "as_of": "As-of date",
        "as_of_empty": "(latest date in the data)",
        "as_of_link": "Change the as-of date in Settings",
        "run": "Run the audit",
        "macros": "Macro test",
        "macros_hint": "Alt+F8 › VerifierMacros › Run: \"Macros actives\" must appear here.",
        "setup": "Prerequisites (once per computer)",
        "setup_lines": (
            "Python 3.11 or later with the project's package: pip install audit-poste-clients",
            "The xlwings Excel add-in: xlwings addin install, then restart Excel.",
            "xlwings settings: \"xlwings.conf\" sheet; Windows and macOS step by step: the project's README.",
        ),
    },
}

# Lists offered by data validation (each value is understood by the engine's parsers).
CHOICES = {
    "fr": {"bool": ("Oui", "Non"), "rule": ("Net", "Fin de mois puis jours", "Jours puis fin de mois"),
           "reminder": ("Email", "Téléphone", "Courrier", "Mise en demeure"), "order": ("JJ/MM", "MM/JJ"),
           "lang": ("fr", "en")},
    "en": {"bool": ("Yes", "No"), "rule": ("Net", "End of month then days", "Days then end of month"),
           "reminder": ("Email", "Phone", "Letter", "Formal notice"), "order": ("DD/MM", "MM/DD"),
           "lang": ("fr", "en")},
}
RULE_INDEX = {"net": 0, "end_of_month_then_days": 1, "days_then_end_of_month": 2}

VALIDATION_TEXT = {
    "fr": {"date": ("Date", "Saisissez une date (JJ/MM/AAAA)."),
           "list": ("Valeur proposée", "Choisissez une valeur de la liste."),
           "whole": ("Nombre entier", "Saisissez un nombre entier."),
           "error": ("Valeur inhabituelle", "Cette valeur sera vérifiée lors de l'audit. Continuer ?")},
    "en": {"date": ("Date", "Enter a date."),
           "list": ("Suggested value", "Choose a value from the list."),
           "whole": ("Whole number", "Enter a whole number."),
           "error": ("Unusual value", "This value will be checked by the audit. Continue?")},
}

# xlwings.conf: xlwings reads column A (key) / B (value) from A1 down to the first empty cell.
XLWINGS_ACTIVE = (
    ("ADD_WORKBOOK_TO_PYTHONPATH", "true",
     "Ajoute le dossier du classeur au PYTHONPATH : un modèle posé à la racine du projet trouve le "
     "paquet addin sans installation."),
    ("Show Console", False, "Windows : VRAI affiche la console de Python (utile pour déboguer)."),
    ("Use UDF Server", False,
     "FAUX : chaque clic lance un Python neuf (le code modifié est pris en compte, rien ne reste en mémoire)."),
)
XLWINGS_DOC_TITLE = "Autres clés de xlwings (à recopier en colonne A, juste sous le bloc, sans ligne vide)"
XLWINGS_DOC_HEAD = ("Clé", "Exemple", "Rôle")
XLWINGS_DOC = (
    ("Interpreter_Win", r"C:\Users\moi\.venvs\audit\Scripts\python.exe",
     "Python utilisé sous Windows. Absent : celui du ruban xlwings (réglé par xlwings addin install)."),
    ("Interpreter_Mac", "/Users/moi/.venvs/audit/bin/python",
     "Python utilisé sous macOS. Absent : celui du ruban xlwings."),
    ("PYTHONPATH", r"C:\Projets\audit-poste-clients",
     "Dossiers ajoutés au chemin de Python, séparés par « ; » (inutile si le paquet est installé par pip)."),
    ("Conda Path", r"C:\Users\moi\miniconda3", "Windows : dossier de conda, si Python vient de conda."),
    ("Conda Env", "audit", "Windows : nom de l'environnement conda."),
    ("ONEDRIVE_CONSUMER_WIN", r"C:\Users\moi\OneDrive",
     "Classeur sur OneDrive personnel : dossier local synchronisé (…_MAC sous macOS)."),
    ("ONEDRIVE_COMMERCIAL_WIN", r"C:\Users\moi\OneDrive - Société",
     "Classeur sur OneDrive professionnel : dossier local synchronisé (…_MAC sous macOS)."),
    ("SHAREPOINT_WIN", r"C:\Users\moi\Société", "Classeur sur SharePoint : dossier local synchronisé (…_MAC)."),
    ("UDF Modules", "", "Non utilisé par ce modèle (fonctions personnalisées de xlwings)."),
)
XLWINGS_NOTES = (
    "Feuille de configuration standard de xlwings : elle l'emporte sur le fichier xlwings.conf du dossier "
    "du classeur, puis sur les réglages du ruban xlwings (~/.xlwings/xlwings.conf).",
    "Ne laissez pas de clé sans valeur dans le bloc A1:B… : une valeur vide masquerait le réglage du ruban.",
    "Pour l'ignorer entièrement, renommez la feuille « _xlwings.conf ».",
)
