# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = Цей кіоск не працює.
out-of-order-ask = Будь ласка, зверніться до стійки обслуговування.
out-of-order-contact = Допомога: { $contact }
