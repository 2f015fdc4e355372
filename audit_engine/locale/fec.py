"""Messages of the FEC import: error details (``fec.detail.*``), findings (``dq.fec_*``), CLI (``fec.cli.*``).

Amounts are :class:`audit_engine.fec.Money` (``{amount:fr}`` / ``{amount:en}``), dates ``datetime.date``
(``{as_of:%d/%m/%Y}`` / ``{as_of:%Y-%m-%d}``).
"""

MESSAGES = {
    # --- details of FecFormatError ("FEC non conforme (fichier, ligne, champ) : {detail}.") ---
    "fec.detail.empty": {"fr": "fichier vide", "en": "empty file"},
    "fec.detail.no_header": {
        "fr": "la première ligne doit être l'en-tête des colonnes du FEC (JournalCode, JournalLib, EcritureNum…, "
              "séparées par une tabulation ou « | »), or elle commence par « {value} »",
        "en": "the first line must be the FEC column header (JournalCode, JournalLib, EcritureNum…, separated "
              "by a tab or \"|\"), but it starts with \"{value}\"",
    },
    "fec.detail.missing_column": {
        "fr": "colonne obligatoire « {column} » absente de l'en-tête (colonnes lues : {columns})",
        "en": "required column \"{column}\" missing from the header (columns read: {columns})",
    },
    "fec.detail.missing_amounts": {
        "fr": "ni colonnes Debit et Credit, ni colonnes Montant et Sens dans l'en-tête (colonnes lues : {columns})",
        "en": "neither Debit and Credit nor Montant and Sens columns in the header (columns read: {columns})",
    },
    "fec.detail.field_count": {
        "fr": "{found} champs au lieu de {expected} ; {bad} lignes sur {total} sont dans ce cas : le séparateur "
              "ou le découpage des lignes du fichier est incorrect",
        "en": "{found} fields instead of {expected}; {bad} lines out of {total} are like this: the file's "
              "separator or line structure is wrong",
    },
    # --- reading ---
    "dq.fec_read": {
        "fr": "FEC lu : {entries} lignes d'écritures, encodage {encoding}, séparateur {separator}, {receivable_lines} lignes "
              "de comptes clients (411).",
        "en": "FEC read: {entries} entry lines, encoding {encoding}, separator {separator}, {receivable_lines} "
              "customer-account lines (411).",
    },
    "dq.fec_missing_columns": {
        "fr": "Colonnes standard absentes de l'en-tête (FEC non conforme à l'article A47 A-1 du LPF, mais "
              "exploitable) : {columns}.",
        "en": "Standard columns missing from the header (FEC not conforming to LPF art. A47 A-1, but usable): "
              "{columns}.",
    },
    "dq.fec_bad_line_411": {
        "fr": "Ligne de compte client mal formée ({found} champs au lieu de {expected}) : exclue des factures "
              "et du solde 411 rapproché.",
        "en": "Malformed customer-account line ({found} fields instead of {expected}): left out of the invoices "
              "and of the reconciled 411 balance.",
    },
    "dq.fec_bad_line": {
        "fr": "{count} lignes mal formées hors comptes clients (lignes {lines} ; {found} champs au lieu de "
              "{expected}) : ignorées, sans effet sur le poste clients.",
        "en": "{count} malformed lines outside customer accounts (lines {lines}; {found} fields instead of "
              "{expected}): ignored, no effect on the receivables.",
    },
    "dq.fec_bad_amount": {
        "fr": "Montant illisible sur une ligne de compte client : ligne exclue des factures et du solde 411 "
              "rapproché.",
        "en": "Unreadable amount on a customer-account line: line left out of the invoices and of the reconciled "
              "411 balance.",
    },
    "dq.fec_bad_sens": {
        "fr": "Sens illisible (D ou C attendu) sur une ligne de compte client : ligne exclue des factures et du "
              "solde 411 rapproché.",
        "en": "Unreadable Sens (D or C expected) on a customer-account line: line left out of the invoices and of "
              "the reconciled 411 balance.",
    },
    "dq.fec_bad_date": {
        "fr": "Date d'écriture illisible (AAAAMMJJ attendu), sans date de pièce lisible : ligne de compte client "
              "exclue des factures et du solde 411 rapproché.",
        "en": "Unreadable entry date (YYYYMMDD expected) and no readable document date: customer-account line "
              "left out of the invoices and of the reconciled 411 balance.",
    },
    "dq.fec_date_from_piece": {
        "fr": "Date d'écriture illisible : la date de pièce (PieceDate) est utilisée.",
        "en": "Unreadable entry date: the document date (PieceDate) is used.",
    },
    "dq.fec_bad_optional_date": {
        "fr": "Date illisible : valeur ignorée, la ligne est conservée.",
        "en": "Unreadable date: value ignored, the line is kept.",
    },
    "dq.fec_bad_values_other": {
        "fr": "{count} lignes hors comptes clients ont une date ou un montant illisible (lignes {lines}) : "
              "sans effet sur le poste clients, elles sont ignorées.",
        "en": "{count} lines outside customer accounts have an unreadable date or amount (lines {lines}): they "
              "cannot change the receivables and are ignored.",
    },
    "dq.fec_date_format": {
        "fr": "{count} dates d'écriture ne sont pas au format AAAAMMJJ mais restent lisibles : acceptées.",
        "en": "{count} entry dates are not in YYYYMMDD format but readable: accepted.",
    },
    "dq.fec_empty_lines": {"fr": "{count} lignes vides ignorées.", "en": "{count} empty lines ignored."},
    # --- as-of date ---
    "dq.fec_as_of_file_name": {
        "fr": "Date d'arrêté {as_of:%d/%m/%Y} : date de clôture du nom du fichier (dernière écriture le "
              "{last_entry:%d/%m/%Y}).",
        "en": "As-of date {as_of:%Y-%m-%d}: closing date in the file name (last entry on {last_entry:%Y-%m-%d}).",
    },
    "dq.fec_as_of_entries_after_closing": {
        "fr": "Date d'arrêté {as_of:%d/%m/%Y} : date de la dernière écriture, car le nom du fichier annonce une "
              "clôture au {closing:%d/%m/%Y} alors que des écritures sont datées après.",
        "en": "As-of date {as_of:%Y-%m-%d}: date of the last entry, because the file name gives a closing date of "
              "{closing:%Y-%m-%d} but entries are dated after it.",
    },
    "dq.fec_as_of_entries_end_before_closing": {
        "fr": "Date d'arrêté {as_of:%d/%m/%Y} : date de la dernière écriture, car les écritures s'arrêtent plus "
              "d'un mois avant la clôture du {closing:%d/%m/%Y} annoncée par le nom du fichier.",
        "en": "As-of date {as_of:%Y-%m-%d}: date of the last entry, because the entries stop more than a month "
              "before the closing date {closing:%Y-%m-%d} given by the file name.",
    },
    "dq.fec_as_of_no_date_in_name": {
        "fr": "Date d'arrêté {as_of:%d/%m/%Y} : date de la dernière écriture (le nom du fichier ne suit pas le "
              "format SIRENFECAAAAMMJJ).",
        "en": "As-of date {as_of:%Y-%m-%d}: date of the last entry (the file name does not follow the "
              "SIRENFECYYYYMMDD pattern).",
    },
    "dq.fec_as_of_given": {
        "fr": "Date d'arrêté {as_of:%d/%m/%Y} : choisie par l'utilisateur.",
        "en": "As-of date {as_of:%Y-%m-%d}: chosen by the user.",
    },
    # --- short notes on the as-of date (RawInput.meta["as_of_note"], shown by ingestion) ---
    "fec.as_of_note.file_name": {"fr": "date de clôture du nom du fichier FEC",
                                 "en": "closing date in the FEC file name"},
    "fec.as_of_note.entries_after_closing": {
        "fr": "dernière écriture du FEC : le nom du fichier annonce une clôture au {closing:%d/%m/%Y} mais des "
              "écritures sont datées après",
        "en": "last FEC entry: the file name gives a closing date of {closing:%Y-%m-%d} but entries are dated after it",
    },
    "fec.as_of_note.entries_end_before_closing": {
        "fr": "dernière écriture du FEC : les écritures s'arrêtent plus d'un mois avant la clôture du "
              "{closing:%d/%m/%Y} annoncée par le nom du fichier",
        "en": "last FEC entry: the entries stop more than a month before the closing date {closing:%Y-%m-%d} "
              "given by the file name",
    },
    "fec.as_of_note.no_date_in_name": {"fr": "dernière écriture du FEC (pas de date de clôture dans le nom)",
                                       "en": "last FEC entry (no closing date in the file name)"},
    "fec.as_of_note.given": {"fr": "date choisie", "en": "date chosen"},
    # --- reconstruction ---
    "dq.fec_journals": {
        "fr": "Journaux reconnus : à-nouveaux {opening} ; ventes {sales} ; banque et caisse {bank} ; autres {other}.",
        "en": "Journals recognised: opening {opening}; sales {sales}; bank and cash {bank}; other {other}.",
    },
    "dq.fec_no_receivables": {
        "fr": "Aucune ligne de compte client (411) dans le FEC : pas de créances à auditer.",
        "en": "No customer-account (411) line in the FEC: no receivables to audit.",
    },
    "dq.fec_zero_lines": {
        "fr": "{count} lignes de comptes clients à montant nul ignorées.",
        "en": "{count} zero-amount customer-account lines ignored.",
    },
    "dq.fec_debit_other_journal": {
        "fr": "{count} débits clients dans le journal {journal} ({journal_lib}), ni vente ni à-nouveau (lignes "
              "{lines}) : traités comme des sommes dues par le client (remboursement, impayé ou régularisation).",
        "en": "{count} customer debits in journal {journal} ({journal_lib}), neither sales nor opening (lines "
              "{lines}): treated as amounts owed by the client (refund, bounced payment or adjustment).",
    },
    "dq.fec_credit_other_journal": {
        "fr": "{count} crédits clients dans le journal {journal} ({journal_lib}), ni vente ni banque (lignes "
              "{lines}) : traités comme des règlements (régularisation, compensation ou perte).",
        "en": "{count} customer credits in journal {journal} ({journal_lib}), neither sales nor bank (lines "
              "{lines}): treated as payments (adjustment, netting or write-off).",
    },
    "dq.fec_lettrage_unbalanced": {
        "fr": "Lettrage « {let} » du client {client} non soldé : {debit:fr} au débit, {credit:fr} au crédit "
              "(écart {diff:fr}).",
        "en": "Matching code \"{let}\" of client {client} not balanced: {debit:en} debit, {credit:en} credit "
              "(difference {diff:en}).",
    },
    "dq.fec_lettered_to_opening": {
        "fr": "Crédit lettré « {let} » sans facture correspondante dans le fichier : {amount:fr} imputés sur le "
              "solde d'ouverture (à-nouveau) du client {client}, ligne {opening_line}.",
        "en": "Credit matched \"{let}\" with no matching invoice in the file: {amount:en} applied to the opening "
              "balance of client {client}, line {opening_line}.",
    },
    "dq.fec_unapplied_excess": {
        "fr": "Crédit lettré « {let} » supérieur aux débits de son lettrage : {amount:fr} restent un crédit non "
              "affecté du client {client}.",
        "en": "Credit matched \"{let}\" exceeds the debits of its group: {amount:en} remain unapplied cash of "
              "client {client}.",
    },
    "dq.fec_unapplied_summary": {
        "fr": "{count} règlements non lettrés (ou parts de règlements), total {amount:fr} : crédits non affectés "
              "des clients, déduits de leur encours.",
        "en": "{count} unmatched payments (or parts of payments), total {amount:en}: unapplied cash of the "
              "clients, deducted from their outstanding.",
    },
    "dq.fec_fifo_no_lettrage": {
        "fr": "Aucun lettrage sur les comptes clients : chaque règlement est imputé sur les factures les plus "
              "anciennes du client (art. 1342-10 du Code civil).",
        "en": "No matching codes on the customer accounts: each payment is applied to the client's oldest "
              "invoices (French Civil Code art. 1342-10).",
    },
    "dq.fec_fifo_balanced": {
        "fr": "Compte du client {client} soldé mais non lettré : règlements imputés sur les factures les plus "
              "anciennes.",
        "en": "Account of client {client} balanced but not matched: payments applied to the oldest invoices.",
    },
    "dq.fec_due_dates": {
        "fr": "{count} échéances lues dans la colonne DateRglt du FEC.",
        "en": "{count} due dates read from the FEC's DateRglt column.",
    },
    "dq.fec_no_due_dates": {
        "fr": "Le FEC n'a pas de colonne DateRglt : l'échéance de chaque facture vient des conditions du client "
              "(feuille Clients) ou, à défaut, du délai de paiement par défaut.",
        "en": "The FEC has no DateRglt column: each invoice's due date comes from the client's terms (Clients "
              "sheet) or, failing that, the default payment terms.",
    },
    "dq.fec_residual_prepayment": {
        "fr": "Écart de rapprochement : règlement du {date:%d/%m/%Y} imputé sur {invoice}, datée après le "
              "{as_of:%d/%m/%Y} ; {amount:fr} figurent dans le solde 411 à cette date mais dans aucune "
              "créance ouverte.",
        "en": "Reconciliation difference: payment of {date:%Y-%m-%d} applied to {invoice}, dated after "
              "{as_of:%Y-%m-%d}; {amount:en} are in the 411 balance at that date but in no open item.",
    },
    "dq.fec_reconciliation": {
        "fr": "Rapprochement au {as_of:%d/%m/%Y} : solde 411 {ledger_balance:fr} ; factures ouvertes "
              "{open_invoices:fr} ; crédits non affectés {unapplied_credits:fr} ; écart {difference:fr}.",
        "en": "Reconciliation at {as_of:%Y-%m-%d}: 411 balance {ledger_balance:en}; open invoices "
              "{open_invoices:en}; unapplied credits {unapplied_credits:en}; difference {difference:en}.",
    },
    # --- import-fec command ---
    "fec.cli.written": {
        "fr": "Classeur écrit : {path} ({invoices} factures et avoirs, {payments} règlements, {clients} clients, "
              "date d'arrêté {as_of:%d/%m/%Y}).",
        "en": "Workbook written: {path} ({invoices} invoices and credit notes, {payments} payments, {clients} "
              "clients, as-of date {as_of:%Y-%m-%d}).",
    },
    "fec.cli.reconciliation": {
        "fr": "Solde 411 {ledger_balance:fr} = factures ouvertes {open_invoices:fr} - crédits non affectés "
              "{unapplied_credits:fr} ; écart {difference:fr}.",
        "en": "411 balance {ledger_balance:en} = open invoices {open_invoices:en} - unapplied credits "
              "{unapplied_credits:en}; difference {difference:en}.",
    },
    "fec.cli.exists": {
        "fr": "Le fichier {path} existe déjà : choisissez un autre nom avec -o, ou ajoutez --force pour le "
              "remplacer.",
        "en": "The file {path} already exists: choose another name with -o, or add --force to replace it.",
    },
    "fec.cli.not_fec": {
        "fr": "{path} n'est pas un FEC : nom attendu SIRENFECAAAAMMJJ.txt, ou une première ligne d'en-tête avec "
              "JournalCode et CompteNum.",
        "en": "{path} is not a FEC: expected a SIRENFECYYYYMMDD.txt name, or a header line with JournalCode and "
              "CompteNum.",
    },
    "fec.cli.findings": {
        "fr": "{errors} erreurs, {warnings} avertissements sur les données (détail dans le rapport d'audit).",
        "en": "{errors} errors, {warnings} warnings on the data (details in the audit report).",
    },
}
