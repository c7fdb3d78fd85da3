# Mode vocal (src/flow/speech.rs) : ce que la borne dit à voix haute.
speech-welcome-hint = Pour des instructions vocales, appuyez 2 secondes n'importe où sur l'écran, ou appuyez sur F1.
speech-how-to = La voix est activée. Pour entendre l'élément suivant, appuyez sur Tab ou touchez le tiers inférieur de l'écran. Pour l'élément précédent, appuyez sur Maj et Tab, ou touchez le tiers supérieur. Pour choisir, appuyez sur Entrée, ou touchez le milieu de l'écran. Appuyez sur R pour répéter, Échap pour arrêter la voix, plus ou moins pour le volume. Appuyez longuement sur l'écran, ou sur F1, pour couper la voix.
speech-started = La voix est activée.
speech-stopped = La voix est coupée.
speech-volume = Volume { $level } sur { $max }
speech-button = { $label }, bouton
speech-key = { $label }, touche
speech-hidden = masqué
speech-empty = rien pour l'instant
speech-dash = tiret
speech-error = Erreur : { $message }
speech-date = Date choisie : { $date }
speech-chosen = Choisi : { $choices }
speech-choices-count = { $count ->
    [one] Un choix.
   *[other] { $count } choix.
}
speech-search-query = Recherche : { $query }
speech-tile = { $label }. Bouton, { $position } sur { $count }
speech-selected = { $label }, sélectionné, { $position } sur { $count }
speech-not-selected = { $label }, non sélectionné, { $position } sur { $count }
speech-on-state = { $label }, bouton, activé
speech-off-state = { $label }, bouton, désactivé
speech-date-part = { $action } : { $part }, actuellement { $value }, bouton
speech-check-row = { $question } : { $answer }
speech-change = Modifier : { $question }, bouton
speech-reference = Votre numéro de référence est : { $reference }.
speech-receipt-says = Votre reçu indique :

speech-pin-entered = { $count ->
    [0] Aucun chiffre tapé.
    [one] Chiffre saisi. Un chiffre.
   *[other] Chiffre saisi. { $count } chiffres.
}
speech-pin-digit = Touche chiffre { $position } sur { $count }
speech-attention = À traiter : { $line }
