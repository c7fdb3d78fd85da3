# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = Ten kiosk jest nieczynny.
out-of-order-ask = Prosimy zapytać w punkcie obsługi.
out-of-order-contact = Pomoc: { $contact }
