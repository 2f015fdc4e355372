"""Messages of ingestion: fatal errors and data-quality findings (codes ``dq.*``)."""

MESSAGES = {
    # --- fatal errors (audit_engine.errors) ---
    "audit_error": {"fr": "Erreur de l'audit.", "en": "Audit error."},
    "file_not_found": {
        "fr": "Fichier introuvable : {file}.",
        "en": "File not found: {file}.",
    },
    "unsupported_file": {
        "fr": "Le fichier {file} n'est ni un classeur Excel (.xlsx, .xlsm) ni un export CSV ou FEC ({detail}).",
        "en": "The file {file} is neither an Excel workbook (.xlsx, .xlsm) nor a CSV or FEC export ({detail}).",
    },
    "unreadable_file": {
        "fr": "Impossible de lire le fichier {file} : {detail}.",
        "en": "Cannot read the file {file}: {detail}.",
    },
    "no_invoice_table": {
        "fr": "Aucune table de factures trouvée dans {file} : il faut une feuille « Factures » (ou un CSV) "
              "avec au moins les colonnes N° facture, Code client, Date facture et Montant TTC. "
              "Feuilles lues : {sheets}.",
        "en": "No invoice table found in {file}: a sheet named \"Invoices\"/\"Factures\" (or a CSV) with at "
              "least Invoice number, Client code, Invoice date and Amount is needed. Sheets read: {sheets}.",
    },
    "missing_column": {
        "fr": "Colonne obligatoire absente : « {column} » (fichier {file}, feuille {sheet}). "
              "Ajoutez-la ou renommez l'en-tête correspondant.",
        "en": "Required column missing: \"{column}\" (file {file}, sheet {sheet}). "
              "Add it or rename the matching header.",
    },
    "no_usable_rows": {
        "fr": "Aucune ligne exploitable dans la feuille {sheet} du fichier {file}.",
        "en": "No usable row in sheet {sheet} of file {file}.",
    },
    "bad_setting": {
        "fr": "Paramètre invalide « {name} » = « {value} » (feuille {sheet}, ligne {row}) : {detail}.",
        "en": "Invalid setting \"{name}\" = \"{value}\" (sheet {sheet}, row {row}): {detail}.",
    },
    "fec_format": {
        "fr": "FEC non conforme ({file}, ligne {line}, champ {field}) : {detail}.",
        "en": "Non-conforming FEC ({file}, line {line}, field {field}): {detail}.",
    },
    "workbook_locked": {
        "fr": "Le classeur {file} est ouvert dans Excel (fichier de verrou {lock}) : fermez-le puis relancez.",
        "en": "The workbook {file} is open in Excel (lock file {lock}): close it and run again.",
    },
    "not_writable": {
        "fr": "Impossible d'écrire {file} : {detail}.",
        "en": "Cannot write {file}: {detail}.",
    },
    # --- data-quality findings ---
    "dq.bad_date": {
        "fr": "Date illisible : la ligne est exclue.",
        "en": "Unreadable date: the row is excluded.",
    },
    "dq.bad_optional_date": {
        "fr": "Date illisible : la valeur est ignorée, la ligne est conservée.",
        "en": "Unreadable date: the value is ignored, the row is kept.",
    },
    "dq.bad_amount": {
        "fr": "Montant illisible : la ligne est exclue.",
        "en": "Unreadable amount: the row is excluded.",
    },
    "dq.bad_optional_amount": {
        "fr": "Montant illisible : la valeur est ignorée, la ligne est conservée.",
        "en": "Unreadable amount: the value is ignored, the row is kept.",
    },
    "dq.bad_number": {
        "fr": "Nombre illisible : la valeur est ignorée.",
        "en": "Unreadable number: the value is ignored.",
    },
    "dq.missing_value": {
        "fr": "Valeur obligatoire vide : la ligne est exclue.",
        "en": "Required value is empty: the row is excluded.",
    },
    "dq.empty_row": {
        "fr": "Ligne vide ignorée.",
        "en": "Empty row ignored.",
    },
    "dq.duplicate_invoice": {
        "fr": "N° de facture en double (première occurrence ligne {first_row}) : ce doublon est exclu.",
        "en": "Duplicate invoice number (first seen on row {first_row}): this duplicate is excluded.",
    },
    "dq.zero_amount": {
        "fr": "Facture à montant nul : conservée, sans effet sur l'encours.",
        "en": "Zero-amount invoice: kept, no effect on the outstanding.",
    },
    "dq.due_before_invoice": {
        "fr": "Échéance antérieure à la date de facture : l'échéance est remplacée par la date de facture.",
        "en": "Due date before the invoice date: the invoice date is used as due date.",
    },
    "dq.payment_before_invoice": {
        "fr": "Règlement daté avant la facture {invoice} ({invoice_date}) : conservé, à vérifier.",
        "en": "Payment dated before invoice {invoice} ({invoice_date}): kept, please check.",
    },
    "dq.overpayment": {
        "fr": "Règlements ({paid}) supérieurs au montant de la facture ({amount}) : l'excédent de {excess} "
              "est traité comme un crédit non affecté du client.",
        "en": "Payments ({paid}) exceed the invoice amount ({amount}): the excess of {excess} is treated as "
              "unapplied cash of the client.",
    },
    "dq.unknown_invoice": {
        "fr": "N° de facture inconnu dans Factures : {what}.",
        "en": "Invoice number not found in Invoices: {what}.",
    },
    "dq.unknown_client": {
        "fr": "Code client absent de la feuille Clients : {what}.",
        "en": "Client code not found in the Clients sheet: {what}.",
    },
    "dq.unknown_columns": {
        "fr": "Colonne non reconnue, ignorée.",
        "en": "Unrecognised column, ignored.",
    },
    "dq.date_order": {
        "fr": "Ordre des dates de la colonne : {order} ({reason}).",
        "en": "Date order of the column: {order} ({reason}).",
    },
    "dq.due_from_terms": {
        "fr": "{count} factures sans date d'échéance : échéance calculée selon les conditions du client "
              "ou, à défaut, {days} jours ({rule}).",
        "en": "{count} invoices without a due date: due date computed from the client's terms or, failing "
              "that, {days} days ({rule}).",
    },
    "dq.settled_no_date": {
        "fr": "Facture soldée sans date de règlement : considérée réglée, exclue des délais de paiement.",
        "en": "Invoice paid without a settlement date: treated as paid, left out of payment delays.",
    },
    "dq.settlement_without_amount": {
        "fr": "Date de règlement sans colonne « Montant réglé » : facture considérée réglée en totalité à cette date.",
        "en": "Settlement date without an \"Amount paid\" column: invoice treated as paid in full on that date.",
    },
    "dq.bad_bool": {
        "fr": "Valeur Oui/Non illisible : considérée comme Non.",
        "en": "Unreadable Yes/No value: treated as No.",
    },
    "dq.bad_terms_rule": {
        "fr": "Type de délai inconnu : « net » (date + N jours) est utilisé.",
        "en": "Unknown terms type: \"net\" (date + N days) is used.",
    },
    "dq.duplicate_client": {
        "fr": "Code client en double dans Clients (première occurrence ligne {first_row}) : ignoré.",
        "en": "Duplicate client code in Clients (first seen on row {first_row}): ignored.",
    },
    "dq.unknown_setting": {
        "fr": "Paramètre inconnu, ignoré.",
        "en": "Unknown setting, ignored.",
    },
    "dq.bad_setting": {
        "fr": "Valeur de paramètre invalide ({detail}) : la valeur par défaut {default} est utilisée.",
        "en": "Invalid setting value ({detail}): the default {default} is used.",
    },
    "dq.as_of_source": {
        "fr": "Date d'arrêté {as_of} ({source}).",
        "en": "As-of date {as_of} ({source}).",
    },
    "dq.after_as_of": {
        "fr": "{count} lignes datées après la date d'arrêté {as_of} : ignorées pour l'encours à cette date.",
        "en": "{count} rows dated after the as-of date {as_of}: ignored for the outstanding at that date.",
    },
    "dq.open_amount_mismatch": {
        "fr": "Reste à payer incohérent avec Montant TTC - Montant réglé : le reste à payer est retenu.",
        "en": "Amount due inconsistent with Amount - Amount paid: the amount due is used.",
    },
    "dq.unapplied_payment": {
        "fr": "Règlement sans facture : traité comme un crédit non affecté du client {client}.",
        "en": "Payment without an invoice: treated as unapplied cash of client {client}.",
    },
    "dq.unassignable_payment": {
        "fr": "Règlement sans facture ni code client : exclu.",
        "en": "Payment with neither invoice nor client code: excluded.",
    },
}
