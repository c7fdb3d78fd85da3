# Printed receipt. No personal data ever goes on it: only the service, the time and the reference.
# The heading, the reference label, "what happens next" and the contact line are the confirmation
# screen's messages (ui.ftl: confirm-*), and the date is its date-format: paper and screen agree.
receipt-copy = COPY
receipt-practice = PRACTICE
receipt-practice-note = Practice only: this was not sent to the council.
receipt-service = Service: { $service }
receipt-date = Date: { $datetime }
receipt-scan-status = Scan the code to follow your request online.
receipt-scan-reference = The code holds your reference.
receipt-timescale = { $days ->
    [one] The council aims to deal with your request within one working day.
   *[other] The council aims to deal with your request within { $days } working days.
}
receipt-help-hours = Opening hours: { $hours }
receipt-assisted-by = Assisted by { $name }
receipt-keep = Please keep this receipt.
receipt-test-heading = Printer test page
receipt-test-ok = If you can read this and scan the code below, the printer works.
