# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = Touchez l’écran pour commencer
language-title = Choisissez votre langue

## Always-present controls
tool-back = Retour
tool-start-over = Recommencer
tool-language = Langue
tool-text-size = Taille du texte
tool-contrast = Contraste élevé
tool-display = Texte et contraste
tool-menu = Menu
tool-help = Demander de l’aide
help-calling = Nous appelons un membre du personnel…
help-told = Le personnel a été prévenu : quelqu’un va venir vous aider.
help-ask-desk = Nous n’avons pas pu prévenir le personnel d’ici. Merci de vous adresser à l’accueil.

## Services
groups-title = Quel est le sujet de votre demande ?
services-other = Autres services

## Questions
question-step = Question { $current } sur { $total }
question-step-up-to = Question { $current } sur { $total } au plus
contact-step = Vos coordonnées : { $current } sur { $total }
continue = Suivant
keys-open = Saisir la réponse
optional = Facultatif
choose-one = Choisissez une réponse
choose-all = Choisissez toutes les réponses qui conviennent
info-title = Veuillez lire ceci
info-title-urgent = Information importante pour votre sécurité
description-title = Donnez-nous plus de détails
description-hint = Facultatif. Tout ce qui peut aider la mairie.
address-title = Où est-ce ?
address-hint = Par exemple un nom de rue et un numéro, ou un lieu proche.
contact-choice-title = Souhaitez-vous que la mairie vous contacte à ce sujet ?
contact-yes = Oui
contact-no = Non, merci
first-name-title = Quel est votre prénom ?
last-name-title = Quel est votre nom de famille ?
email-title = Quelle est votre adresse e-mail ?
phone-title = Quel est votre numéro de téléphone ?
error-choose-yes-no = Choisissez oui ou non.

## Date picker
date-today = Aujourd’hui
date-yesterday = Hier
date-later = Plus tard
date-earlier = Plus tôt
date-not-chosen = Aucune date choisie pour l’instant
date-day = Jour
date-month = Mois
date-year = Année
date-hour = Heure
date-minute = Minute
date-format = { $day } { $month } { $year } à { $time }
date-only-format = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Keyboard (names read out by screen readers)
keyboard-space = Espace
keyboard-backspace = Effacer
keyboard-shift = Maj
keyboard-symbols = Symboles
keyboard-letters = Lettres
keyboard-latin = Lettres latines
keyboard-newline = Retour à la ligne
keyboard-more-letters = Autres lettres
# One word of the name above, shown on the key where the whole name does not fit it on one
keyboard-shift-short = Maj
keyboard-latin-short = Latines
keyboard-newline-short = Ligne
keyboard-more-letters-short = Autres

## Check your answers
check-title = Vérifiez vos réponses avant d’envoyer
check-change = Modifier
check-not-answered = Pas de réponse
check-submit = Envoyer la demande
check-service = Service
check-contact = Coordonnées
check-contact-none = Vous ne souhaitez pas qu’on vous contacte
error-summary-title = Il y a un problème

## Saving and confirmation
submitting = Enregistrement de votre demande…
confirm-title = Demande enregistrée
confirm-reference = Votre numéro de référence
confirm-qr = Code QR avec votre numéro de référence
confirm-printing = Votre reçu est en cours d’impression. Veuillez le prendre avec vous.
confirm-printed = Votre reçu est imprimé. Veuillez le prendre avec vous.
confirm-print-failed = Votre reçu n’a pas pu être imprimé. Veuillez noter votre numéro de référence. Un membre du personnel peut imprimer le reçu à nouveau.
confirm-no-printer = Veuillez noter votre numéro de référence.
confirm-offline = Votre demande est enregistrée sur cette borne. Elle sera envoyée automatiquement à la mairie.
confirm-online = Votre demande est enregistrée. Elle sera envoyée à la mairie dans quelques minutes.
confirm-next-title = Et ensuite ?
confirm-next = La mairie va examiner votre demande. Gardez votre numéro de référence : vous en aurez besoin si vous posez une question sur votre demande.
confirm-contact = Si vous avez une question, appelez le { $contact }.
confirm-finish = Terminer
save-failed-title = Votre demande n’a pas été enregistrée
save-failed-retry = Réessayer

## Idle warning
timeout-title = Avez-vous besoin de plus de temps ?
timeout-body = { $seconds ->
    [one] Pour protéger votre vie privée, vos réponses seront effacées dans { $seconds } seconde.
   *[other] Pour protéger votre vie privée, vos réponses seront effacées dans { $seconds } secondes.
}
timeout-more = J’ai besoin de plus de temps
timeout-finish = Recommencer

## Scrolling

more-below = Suite plus bas

## Deleting answers, QR caption, welcome

confirm-start-over-title = Recommencer ?
confirm-start-over-body = Vos réponses à cette demande seront effacées. Votre langue et la taille du texte restent les mêmes.
confirm-delete-title = Effacer vos réponses ?
confirm-delete-body = Votre demande n’a pas été enregistrée. Si vous effacez vos réponses, rien n’est conservé sur cette borne.
confirm-keep = Non, garder mes réponses
confirm-delete = Oui, effacer mes réponses
save-failed-delete = Effacer mes réponses
confirm-qr-caption = Prenez ce code en photo pour garder votre numéro de référence
welcome-purpose = Signalez un problème ou demandez un service à la mairie. Cela prend environ 5 minutes, et vous recevez un reçu imprimé.
welcome-purpose-no-printer = Signalez un problème ou demandez un service à la mairie. Cela prend environ 5 minutes, et vous recevez un numéro de référence à garder.

# Longues listes de services (catalogues de vraies collectivités)
not-listed = Mon problème n’est pas dans la liste
not-listed-catch-all = Le signaler comme « { $service } »
not-listed-desk-hint = Que faire si votre problème n’est pas ici
not-listed-ask-desk = Adressez-vous à l’accueil : le personnel peut le signaler pour vous. Vous pouvez aussi toucher « Demander de l’aide » en haut de l’écran.
search-open = Rechercher
search-close = Tout afficher
search-label = Rechercher un service
search-placeholder = Tapez un mot, par exemple « poubelle »
search-done = Voir les résultats
search-nothing-found = Aucun service ne correspond à ces mots. Essayez un autre mot, ou choisissez « Mon problème n’est pas dans la liste ».
typed-so-far = Saisi jusqu’ici

## Privacy notice (before contact details) and the free-text warning

privacy-notice = { $council } reçoit vos nom et coordonnées avec cette demande, uniquement pour vous contacter à son sujet. Cette borne les garde jusqu’à ce que la mairie ait reçu votre demande, puis { $days } jours au plus.
privacy-ask = Pour toute question sur vos données, adressez-vous à { $contact }.
privacy-the-council = la mairie
no-personal-details = Merci de ne pas saisir ici de noms, de numéros de téléphone ou d’autres données personnelles.
date-unsure = Je ne sais pas
