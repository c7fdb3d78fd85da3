# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = This kiosk is out of order.
out-of-order-ask = Please ask at the desk.
out-of-order-contact = Help: { $contact }
