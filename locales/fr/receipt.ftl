# Reçu imprimé. Aucune donnée personnelle : seulement le service, l'heure et la référence.
receipt-copy = DUPLICATA
receipt-practice = EXERCICE
receipt-practice-note = Exercice seulement : rien n’a été envoyé à la mairie.
receipt-service = Service : { $service }
receipt-date = Date : { $datetime }
receipt-scan-status = Scannez le code pour suivre votre demande en ligne.
receipt-scan-reference = Le code contient votre référence.
receipt-timescale = { $days ->
    [one] La mairie s'engage à traiter votre demande sous un jour ouvré.
   *[other] La mairie s'engage à traiter votre demande sous { $days } jours ouvrés.
}
receipt-help-hours = Horaires : { $hours }
receipt-assisted-by = Avec l'aide de { $name }
receipt-keep = Conservez ce reçu.
receipt-test-heading = Page de test de l'imprimante
receipt-test-ok = Si vous pouvez lire ceci et scanner le code ci-dessous, l'imprimante fonctionne.
