error-required = Répondez à cette question pour continuer.
error-too-long = { $max ->
    [one] Utilisez { $max } caractère au maximum.
   *[other] Utilisez { $max } caractères au maximum.
}
error-control-characters = Ce texte contient des caractères qui ne peuvent pas être envoyés. Veuillez le saisir à nouveau.
error-not-a-number = Saisissez un nombre, par exemple 3 ou 2,5.
error-whole-between = Saisissez un nombre entier de { $min } à { $max }.
error-whole-number = Saisissez un nombre entier, par exemple 3.
error-number-between = Saisissez un nombre de { $min } à { $max }.
error-number-at-most = Saisissez un nombre qui ne dépasse pas { $max }.
error-number-out-of-range = Ce nombre est trop grand. Vérifiez-le et réessayez.
error-not-a-datetime = Choisissez une date et une heure qui existent.
error-choice = Choisissez une des réponses proposées.
error-unknown = Un problème est survenu avec cette question. Veuillez demander à un membre du personnel.
error-location-missing = Indiquez où se trouve le problème, par exemple une rue et un numéro.
error-bad-coordinate = La position sur la carte n’est pas valable.
error-bad-email = Saisissez une adresse e-mail comme nom@exemple.fr, ou laissez vide.
error-bad-phone = Saisissez un numéro de téléphone avec des chiffres, ou laissez vide.
error-disk-full = Votre demande n’a pas pu être enregistrée sur cette borne. Rien n’a été envoyé. Veuillez demander à un membre du personnel.
error-store-unavailable = Cette borne ne peut pas enregistrer de demandes pour le moment. Rien n’a été envoyé. Veuillez demander à un membre du personnel.
error-save-failed = Un problème est survenu et votre demande n’a pas été enregistrée. Rien n’a été envoyé. Réessayez ou demandez à un membre du personnel.
