# Staff screens (the PIN pad, the staff desk, assisted and practice mode) and the resident's
# "Check a request". Staff read these too: keep them short and plain.

## Check a request (residents)
lookup-open = Check a request
lookup-title = Check a request
lookup-hint = Type the reference from your receipt, or hold the receipt's code under the scanner.
lookup-field = Reference
lookup-delete = Delete
lookup-check = Check
lookup-checking = Checking…
lookup-mistyped = This reference is not right. Check each letter and number on your receipt.
lookup-unknown = This kiosk has no request with this reference. Please ask at the desk.
lookup-reference = Request { $reference }
lookup-pending = Saved on this kiosk. It will be sent to the council soon.
lookup-accepted = The council has your request.
lookup-in-progress = The council is dealing with your request.
lookup-closed = The council has closed your request.
lookup-review = A member of staff is checking your request.
lookup-rejected = The council could not accept your request. Please ask at the desk.
lookup-cancelled = This request was cancelled.
lookup-when = Last news from the council: { $when }

## Assisted and practice mode
assisted-by = Assisted by { $name }
confirm-practice = This is practice: it is not sent to the council, and it is erased when staff lock the kiosk.
practice-banner = PRACTICE: nothing is sent
consent-title = Before you send
consent-body = { $name }, a member of staff, helped you fill in this request. When you touch Send, it goes to { $council } in your name.
consent-what = This is what will be sent:
consent-send = Send my request

## The PIN pad
staff-pin-title = Staff PIN
staff-pin-hint = Type your PIN ({ $min } digits or more), then OK.
staff-pin-ok = OK
staff-pin-delete = Delete
staff-pin-checking = Checking…
staff-pin-wrong = Wrong PIN. { $left } tries left.
staff-pin-locked = Too many wrong PINs, try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
staff-pin-unavailable = Staff accounts cannot be read. Tell the technician.

## The staff desk
staff-signed-in = Signed in: { $name }
staff-lookup-label = Reference or scanned receipt
staff-lookup = Look up
staff-lookup-result = Result
staff-checking = Looking…
staff-not-found = No request with this reference on this kiosk
staff-reference = Reference
staff-service = Service
staff-local-status = On this kiosk
staff-remote-status = At the council
staff-remote-none = No news yet
staff-remote-open = Open
staff-remote-closed = Closed
staff-remote-id = Council number
staff-reason = Reason
staff-assisted-by = Assisted by
staff-reprint = Reprint receipt
staff-health-title = Kiosk
staff-health-online = Council reachable
staff-health-portal = Network log-in page
staff-health-last-sync = Last sent
staff-health-queue = Requests
staff-health-counts = { $pending } waiting, { $review } to check, { $rejected } refused
staff-health-paper = Paper
staff-health-cover = Printer cover
staff-paper-ok = OK
staff-paper-low = Running low
staff-paper-out = Out
staff-cover-open = Open
staff-cover-closed = Closed
staff-yes = Yes
staff-no = No
staff-never = Never
staff-unknown = Not known
staff-send-now = Send now
staff-open-lists = To check: { $count }
staff-help-count = Help requests: { $count }
staff-help-visitor = Help a visitor
staff-practice = Practice mode
staff-lock = Lock
timeout-staff-body = { $seconds ->
    [one] The staff desk will lock in { $seconds } second.
   *[other] The staff desk will lock in { $seconds } seconds.
}
timeout-lock = Lock now
timeout-pin-body = { $seconds ->
    [one] The PIN pad will close in { $seconds } second.
   *[other] The PIN pad will close in { $seconds } seconds.
}
timeout-close = Close now
staff-end-visit = End
# "End" as a tool of the menu (at the largest text size on a 7" panel), where it stands
# alone, away from the strip that says who is helping: its word, then where it goes.
tool-end-visit = End: back to the desk
staff-state-pending = Waiting to be sent
staff-state-sending = Sent, answer not known yet
staff-state-review = To check
staff-state-accepted = With the council
staff-state-rejected = Refused by the council
staff-state-cancelled = Cancelled
staff-state-practice = Practice (never sent)
staff-done-reprint = Receipt sent to the printer.
staff-done-send-now = Sending now.
staff-done-resolved = It will be sent again.
staff-done-refiled = Re-filed: it will be sent under the new service.
staff-done-refile-needs-answers = Not re-filed: that service asks questions this request did not answer. The technician can re-file it with the answers (queue refile).
staff-done-cancelled = Request cancelled. Its details are erased.
staff-done-help = Help request marked done.
staff-done-failed = That did not work. The technician's log says why.

## Lists
staff-help-title = Help requests
staff-help-none = Nobody is waiting for help.
staff-help-asked = Asked at { $when }
staff-help-done = Done
staff-lists-title = To check and refused
staff-lists-none = Nothing to check.
staff-item-detail = { $reason } (saved { $when })
staff-reason-undecided = The kiosk cannot tell whether the council received it
staff-reason-unverified = A request on the council's server carries this reference without this kiosk's check
staff-reason-review = Its delivery needs a decision
staff-reason-refused = The council's server refused it
staff-reason-not-sent = The kiosk could not send it
staff-item-technical = Technical detail: { $detail }
staff-resolve = Send again
staff-refile = Re-file
staff-cancel = Cancel request
staff-cancel-title = Cancel this request?
staff-cancel-body = It will never be sent, and the visitor's details are erased. The reference stays in the log.
staff-cancel-keep = No, keep it
staff-cancel-yes = Yes, cancel it
staff-refile-title = Re-file
staff-refile-hint = Choose the service to send it under.

staff-no-council = No council configured (demo)
staff-health-printer = Printer
staff-no-printer = No printer configured
confirm-practice-title = Practice only: nothing was sent
staff-resolve-sent = It reached the council
staff-sent-title = Reached the council:
staff-sent-hint = Type the number the council gave this request in its own system, then Save.
staff-sent-field = Council number
staff-sent-save = Save
staff-sent-missing = Type the council's number first (letters and digits).
staff-done-resolved-sent = Saved: the council has it under that number.

refile-banner = Re-filing { $reference }: the new service's questions
# The same, at the largest text size on a 7" panel, where the strip is at 33 px and the
# whole sentence took half the panel's height in landscape.
refile-banner-short = Re-filing { $reference }
