# Printed receipt. No personal data ever goes on it: only the service, the time and the reference.
receipt-heading = Request received
receipt-copy = COPY
receipt-service = Service: { $service }
receipt-date = Date: { $datetime }
receipt-reference = Your reference
receipt-scan-status = Scan the code to follow your request online.
receipt-scan-reference = The code holds your reference.
receipt-next = What happens next: the council will look at your request and deal with it. Quote your reference if you contact us.
receipt-contact = Questions: { $contact }
receipt-assisted-by = Assisted by { $name }
receipt-keep = Please keep this receipt.
receipt-test-heading = Printer test page
receipt-test-ok = If you can read this and scan the code below, the printer works.
