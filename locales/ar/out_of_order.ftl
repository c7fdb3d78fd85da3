# The plain service screen shown when the kiosk keeps failing (systemd's start limit tripped).
out-of-order = هذا الجهاز معطّل.
out-of-order-ask = يرجى السؤال في مكتب الاستقبال.
out-of-order-contact = للمساعدة: { $contact }
