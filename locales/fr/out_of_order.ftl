# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = Cette borne est hors service.
out-of-order-ask = Veuillez vous adresser à l’accueil.
out-of-order-contact = Aide : { $contact }
