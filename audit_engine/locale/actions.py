"""Action plan texts, one per observation rule (``action.<rule>``), with {client}, {amount}, {count},
{cash} and the observation's own parameters (missing ones show as "…")."""

MESSAGES = {
    "action.generic": {
        "fr": "Point à traiter ({client}) : {amount}.",
        "en": "Point to address ({client}): {amount}.",
    },
    # section 1
    "action.concentration": {
        "fr": "Réduire la dépendance aux plus gros clients (top 3 = {top3_share} du CA) : suivre leur encours "
              "chaque semaine, couvrir le risque par une assurance-crédit, diversifier.",
        "en": "Reduce dependence on the largest clients (top 3 = {top3_share} of revenue): track their "
              "outstanding weekly, cover the risk with credit insurance, diversify.",
    },
    "action.old_invoices": {
        "fr": "{client} : recouvrer {count} facture(s) échue(s) depuis plus de {days} jours ({amount}) — mise en "
              "demeure, puis injonction de payer ; envisager une provision pour créance douteuse.",
        "en": "{client}: recover {count} invoice(s) more than {days} days past due ({amount}) — formal notice, "
              "then injunction to pay; consider a provision for doubtful debt.",
    },
    "action.chronic_late_payer": {
        "fr": "{client} paie en retard de façon chronique (note D) : relancer dès le lendemain de l'échéance, "
              "escalader vite, revoir ses conditions.",
        "en": "{client} is a chronic late payer (rating D): remind the day after the due date, escalate "
              "quickly, review its terms.",
    },
    "action.risk_priority": {
        "fr": "{client} : encours important et en retard ({amount}) — appel du responsable du compte et "
              "plan de règlement écrit.",
        "en": "{client}: large and late outstanding ({amount}) — call from the account owner and a written "
              "payment plan.",
    },
    # section 2
    "action.late_invoicing": {
        "fr": "Facturer à la livraison : {count} factures de {client} émises au-delà de la cible après "
              "livraison ({amount}).",
        "en": "Invoice on delivery: {count} invoices of {client} issued later than the target after "
              "delivery ({amount}).",
    },
    "action.numbering_gaps": {
        "fr": "Justifier les {count} numéros de facture manquants : une facture s'annule par un avoir, elle ne "
              "se supprime jamais (numérotation continue obligatoire).",
        "en": "Explain the {count} missing invoice numbers: an invoice is cancelled by a credit note, never "
              "deleted (continuous numbering is mandatory).",
    },
    "action.duplicate_numbers": {
        "fr": "Corriger les {count} numéros de facture utilisés deux fois (numéro unique obligatoire).",
        "en": "Fix the {count} invoice numbers used twice (a unique number is mandatory).",
    },
    "action.disputes": {
        "fr": "Résoudre les litiges de {client} ({amount}) : traiter le motif, émettre un avoir si justifié, "
              "puis relancer le solde.",
        "en": "Settle the disputes of {client} ({amount}): address the reason, issue a credit note if "
              "justified, then chase the balance.",
    },
    "action.never_reminded": {
        "fr": "Relancer {client} : {count} factures échues jamais relancées ({amount}).",
        "en": "Remind {client}: {count} overdue invoices never reminded ({amount}).",
    },
    "action.late_first_reminder": {
        "fr": "Relancer plus tôt : la première relance part en moyenne {avg_days} après l'échéance "
              "(cible {target_days}).",
        "en": "Remind earlier: the first reminder goes out on average {avg_days} after the due date "
              "(target {target_days}).",
    },
    # section 3
    "action.terms_over_legal": {
        "fr": "Renégocier les délais de {client} au-delà du maximum légal (60 jours ou 45 jours fin de mois, "
              "art. L441-10 C. com. ; amende jusqu'à 2 M€).",
        "en": "Renegotiate the terms of {client} beyond the legal maximum (60 days or 45 days end of month, "
              "art. L441-10 French Commercial Code; fines up to EUR 2M).",
    },
    "action.credit_limit_exceeded": {
        "fr": "{client} dépasse son plafond de crédit de {amount} : bloquer les nouvelles commandes ou revoir "
              "le plafond.",
        "en": "{client} exceeds its credit limit by {amount}: block new orders or review the limit.",
    },
    "action.invoiced_while_overdue": {
        "fr": "{client} a été livré et facturé alors qu'il avait des factures échues depuis plus de 30 jours : "
              "plus de nouvelle commande avant paiement ({amount} échus).",
        "en": "{client} was delivered and invoiced while more than 30 days overdue: no new order before "
              "payment ({amount} overdue).",
    },
    "action.deposit_candidate": {
        "fr": "Exiger un acompte à la commande de {client} (mauvais payeur, encours élevé ou délais longs).",
        "en": "Require a deposit with orders from {client} (poor payer, high outstanding or long terms).",
    },
    "action.shorten_terms": {
        "fr": "Raccourcir les délais de paiement de {client} (trésorerie libérée estimée {cash}).",
        "en": "Shorten the payment terms of {client} (estimated cash freed {cash}).",
    },
    "action.terms_not_uniform": {
        "fr": "Harmoniser les conditions de paiement de {client} : les factures ne portent pas toutes le même "
              "délai.",
        "en": "Make the payment terms of {client} consistent: its invoices do not all carry the same terms.",
    },
    "action.block_client": {
        "fr": "Bloquer les commandes de {client} jusqu'à régularisation ({amount} échus).",
        "en": "Block the orders of {client} until paid up ({amount} overdue).",
    },
    # section 4
    "action.dso_above_target": {
        "fr": "Ramener le DSO de {dso} à la cible de {target} : trésorerie libérée estimée {cash}.",
        "en": "Bring DSO from {dso} back to the {target} target: estimated cash freed {cash}.",
    },
    "action.claim_penalties": {
        "fr": "Réclamer à {client} les pénalités de retard et l'indemnité forfaitaire de 40 € par facture "
              "({amount}), dues de plein droit (L441-10 II, D441-5).",
        "en": "Claim from {client} the late-payment penalties and the EUR 40 fixed indemnity per invoice "
              "({amount}), due by law (L441-10 II, D441-5).",
    },
    "action.stop_delivery": {
        "fr": "Suspendre les livraisons à {client} : {amount} échus depuis plus de 30 jours.",
        "en": "Stop deliveries to {client}: {amount} overdue by more than 30 days.",
    },
}
