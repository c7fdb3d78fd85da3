# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = Este quiosco está fuera de servicio.
out-of-order-ask = Por favor, pregunte en el mostrador.
out-of-order-contact = Ayuda: { $contact }
