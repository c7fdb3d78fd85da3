# Écrans du personnel (code PIN, bureau, mode accompagné et entraînement) et « Suivre une demande ».

## Suivre une demande (habitants)
lookup-open = Suivre une demande
lookup-title = Suivre une demande
lookup-hint = Tapez la référence de votre reçu, ou présentez le code du reçu au lecteur.
lookup-field = Référence
lookup-delete = Effacer
lookup-check = Vérifier
lookup-checking = Vérification…
lookup-mistyped = Cette référence n'est pas correcte. Vérifiez chaque lettre et chaque chiffre de votre reçu.
lookup-unknown = Cette borne n'a aucune demande avec cette référence. Adressez-vous à l'accueil.
lookup-reference = Demande { $reference }
lookup-pending = Enregistrée sur cette borne. Elle sera bientôt envoyée à la mairie.
lookup-accepted = La mairie a reçu votre demande.
lookup-in-progress = La mairie traite votre demande.
lookup-closed = La mairie a clôturé votre demande.
lookup-review = Un membre du personnel vérifie votre demande.
lookup-rejected = La mairie n'a pas pu accepter votre demande. Adressez-vous à l'accueil.
lookup-cancelled = Cette demande a été annulée.
lookup-when = Dernières nouvelles de la mairie : { $when }

## Mode accompagné et entraînement
assisted-by = Accompagné par { $name }
confirm-practice = C'est un entraînement : rien n'est envoyé à la mairie, et c'est effacé quand le personnel verrouille la borne.
practice-banner = ENTRAÎNEMENT : rien n'est envoyé
consent-title = Avant d'envoyer
consent-body = { $name }, membre du personnel, vous a aidé à remplir cette demande. Quand vous touchez Envoyer, elle part à { $council } en votre nom.
consent-what = Voici ce qui sera envoyé :
consent-send = Envoyer ma demande

## Code PIN
staff-pin-title = Code PIN du personnel
staff-pin-hint = Tapez votre code ({ $min } chiffres ou plus), puis OK.
staff-pin-ok = OK
staff-pin-delete = Effacer
staff-pin-checking = Vérification…
staff-pin-wrong = Code erroné. Encore { $left } essais.
staff-pin-locked = Trop de codes erronés, réessayez dans { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
staff-pin-unavailable = Les comptes du personnel sont illisibles. Prévenez le technicien.

## Bureau du personnel
staff-signed-in = Connecté : { $name }
staff-lookup-label = Référence ou reçu scanné
staff-lookup = Rechercher
staff-lookup-result = Résultat
staff-checking = Recherche…
staff-not-found = Aucune demande avec cette référence sur cette borne
staff-reference = Référence
staff-service = Service
staff-local-status = Sur la borne
staff-remote-status = À la mairie
staff-remote-none = Pas encore de nouvelles
staff-remote-open = Ouverte
staff-remote-closed = Clôturée
staff-remote-id = Numéro de la mairie
staff-reason = Motif
staff-assisted-by = Accompagné par
staff-reprint = Réimprimer le reçu
staff-health-title = Borne
staff-health-online = Mairie joignable
staff-health-portal = Page de connexion du réseau
staff-health-last-sync = Dernier envoi
staff-health-queue = Demandes
staff-health-counts = { $pending } en attente, { $review } à vérifier, { $rejected } refusées
staff-health-paper = Papier
staff-health-cover = Capot de l'imprimante
staff-paper-ok = OK
staff-paper-low = Presque fini
staff-paper-out = Vide
staff-cover-open = Ouvert
staff-cover-closed = Fermé
staff-yes = Oui
staff-no = Non
staff-never = Jamais
staff-unknown = Inconnu
staff-send-now = Envoyer maintenant
staff-open-lists = À vérifier : { $count }
staff-help-count = Demandes d'aide : { $count }
staff-help-visitor = Aider un visiteur
staff-practice = Entraînement
staff-lock = Verrouiller
timeout-staff-body = { $seconds ->
    [one] Le bureau du personnel se verrouillera dans { $seconds } seconde.
   *[other] Le bureau du personnel se verrouillera dans { $seconds } secondes.
}
timeout-lock = Verrouiller maintenant
timeout-pin-body = { $seconds ->
    [one] Le clavier du code se fermera dans { $seconds } seconde.
   *[other] Le clavier du code se fermera dans { $seconds } secondes.
}
timeout-close = Fermer maintenant
staff-end-visit = Terminer
tool-end-visit = Terminer : retour au bureau
staff-state-pending = En attente d'envoi
staff-state-sending = Envoyée, réponse inconnue
staff-state-review = À vérifier
staff-state-accepted = À la mairie
staff-state-rejected = Refusée par la mairie
staff-state-cancelled = Annulée
staff-state-practice = Entraînement (jamais envoyée)
staff-done-reprint = Reçu envoyé à l'imprimante.
staff-done-send-now = Envoi en cours.
staff-done-resolved = Elle sera renvoyée.
staff-done-refiled = Reclassée : elle sera envoyée sous le nouveau service.
staff-done-refile-needs-answers = Non reclassée : ce service pose des questions auxquelles cette demande n'a pas répondu. Le technicien peut la reclasser avec les réponses (queue refile).
staff-done-cancelled = Demande annulée. Ses données sont effacées.
staff-done-help = Demande d'aide terminée.
staff-done-failed = Cela n'a pas fonctionné. Le journal technique dit pourquoi.

## Listes
staff-help-title = Demandes d'aide
staff-help-none = Personne n'attend d'aide.
staff-help-asked = Demandée à { $when }
staff-help-done = Fait
staff-lists-title = À vérifier et refusées
staff-lists-none = Rien à vérifier.
staff-item-detail = { $reason } (enregistrée { $when })
staff-reason-undecided = La borne ne sait pas si la mairie l’a reçue
staff-reason-unverified = Une demande sur le serveur de la mairie porte cette référence sans le contrôle de cette borne
staff-reason-review = Son envoi demande une décision
staff-reason-refused = Le serveur de la mairie l’a refusée
staff-reason-not-sent = La borne n’a pas pu l’envoyer
staff-item-technical = Détail technique : { $detail }
staff-resolve = Renvoyer
staff-refile = Reclasser
staff-cancel = Annuler la demande
staff-cancel-title = Annuler cette demande ?
staff-cancel-body = Elle ne sera jamais envoyée et les données du visiteur sont effacées. La référence reste dans le journal.
staff-cancel-keep = Non, la garder
staff-cancel-yes = Oui, l'annuler
staff-refile-title = Reclasser
staff-refile-hint = Choisissez le service sous lequel l'envoyer.

staff-no-council = Aucune mairie configurée (démo)
staff-health-printer = Imprimante
staff-no-printer = Aucune imprimante configurée
confirm-practice-title = Entraînement seulement : rien n'a été envoyé
staff-resolve-sent = Elle est arrivée à la mairie
staff-sent-title = Arrivée à la mairie :
staff-sent-hint = Tapez le numéro que la mairie a donné à cette demande dans son propre système, puis Enregistrer.
staff-sent-field = Numéro de la mairie
staff-sent-save = Enregistrer
staff-sent-missing = Tapez d'abord le numéro de la mairie (lettres et chiffres).
staff-done-resolved-sent = Enregistré : la mairie l'a sous ce numéro.

refile-banner = Reclassement de { $reference } : les questions du nouveau service
refile-banner-short = Reclassement de { $reference }
