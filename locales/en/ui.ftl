# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = Touch the screen to start
language-title = Choose your language

## Always-present controls
tool-back = Back
tool-start-over = Start again
tool-language = Language
tool-text-size = Text size
tool-contrast = High contrast
tool-display = Text and contrast
tool-menu = Menu
tool-help = Ask for help
help-calling = Calling a member of staff…
help-told = Staff have been told: someone will come to help you.
help-ask-desk = We could not reach staff from here. Please ask at the desk.

## Services
groups-title = What is your request about?
services-other = Other services

## Questions
question-step = Question { $current } of { $total }
question-step-up-to = Question { $current } of up to { $total }
contact-step = Your contact details: { $current } of { $total }
continue = Continue
# Opens the keys of a question at the largest text size on a small panel.
keys-open = Type your answer
optional = Optional
choose-one = Choose one
choose-all = Choose all that apply
info-title = Please read this
info-title-urgent = Important safety information
description-title = Tell us more about it
description-hint = Optional. Anything that would help the council.
address-title = Where is it?
address-hint = For example a street name and house number, or a place nearby.
contact-choice-title = Would you like the council to contact you about this?
contact-yes = Yes
contact-no = No, thank you
first-name-title = What is your first name?
last-name-title = What is your last name?
email-title = What is your email address?
phone-title = What is your phone number?
error-choose-yes-no = Choose yes or no.

## Date picker
date-today = Today
date-yesterday = Yesterday
date-later = Later
date-earlier = Earlier
date-not-chosen = No date chosen yet
date-day = Day
date-month = Month
date-year = Year
date-hour = Hour
date-minute = Minute
date-format = { $day } { $month } { $year }, { $time }
date-only-format = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Keyboard (names read out by screen readers)
keyboard-space = Space
keyboard-backspace = Delete
keyboard-shift = Capital letter
keyboard-symbols = Symbols
keyboard-letters = Letters
keyboard-latin = Latin letters
keyboard-newline = New line
keyboard-more-letters = More letters
# One word of the name above, shown on the key where the whole name does not fit it on one
# line at the largest text size (a word of the name itself: what is seen is part of what is said).
keyboard-shift-short = Capital
keyboard-latin-short = Latin
keyboard-newline-short = Line
keyboard-more-letters-short = More

## Check your answers
check-title = Check your answers before sending
check-change = Change
check-not-answered = Not answered
check-submit = Send request
check-service = Service
check-contact = Contact details
check-contact-none = You do not want to be contacted
error-summary-title = There is a problem

## Saving and confirmation
submitting = Saving your request…
confirm-title = Request saved
confirm-reference = Your reference number
confirm-qr = QR code with your reference number
confirm-printing = Your receipt is printing. Please take it with you.
confirm-printed = Your receipt has printed. Please take it with you.
confirm-print-failed = Your receipt could not be printed. Please write down your reference number. A member of staff can print the receipt again.
confirm-no-printer = Please write down your reference number.
confirm-offline = Your request is saved on this kiosk. It will be sent to the council automatically.
confirm-online = Your request is saved. It will be sent to the council in the next few minutes.
confirm-next-title = What happens next
confirm-next = The council will look at your request. Keep your reference number: you will need it if you ask about your request.
confirm-contact = If you have a question, call { $contact }.
confirm-finish = Finish
save-failed-title = Your request was not saved
save-failed-retry = Try again

## Idle warning
timeout-title = Do you need more time?
timeout-body = { $seconds ->
    [one] To protect your privacy, your answers will be cleared in { $seconds } second.
   *[other] To protect your privacy, your answers will be cleared in { $seconds } seconds.
}
timeout-more = I need more time
timeout-finish = Start again

## Scrolling

more-below = More below

## Deleting answers, QR caption, welcome

confirm-start-over-title = Start again?
confirm-start-over-body = Your answers to this request will be deleted. Your language and text size stay as they are.
confirm-delete-title = Delete your answers?
confirm-delete-body = Your request was not saved. If you delete your answers, nothing is kept on this kiosk.
confirm-keep = No, keep my answers
confirm-delete = Yes, delete my answers
save-failed-delete = Delete my answers
confirm-qr-caption = Take a photo of this code to keep your reference number
welcome-purpose = Report a problem or ask the council for a service. It takes about 5 minutes, and you get a printed receipt.
welcome-purpose-no-printer = Report a problem or ask the council for a service. It takes about 5 minutes, and you get a reference number to keep.

# Long lists of services (catalogues of real councils)
not-listed = My problem is not listed
not-listed-catch-all = Report it as “{ $service }”
not-listed-desk-hint = What to do if your problem is not here
not-listed-ask-desk = Please ask at the desk: staff can report it for you. You can also touch “Ask for help” at the top of the screen.
search-open = Search
search-close = Show all
search-label = Search services
search-placeholder = Type a word, for example “bin”
search-done = Show results
search-nothing-found = No service matches these words. Try another word, or choose “My problem is not listed”.
typed-so-far = Typed so far

## Privacy notice (before contact details) and the free-text warning

privacy-notice = { $council } receives your name and contact details with this request, only to contact you about it. This kiosk keeps them until the council has your request, then for at most { $days } days.
privacy-ask = If you have a question about your details, ask { $contact }.
privacy-the-council = the council
no-personal-details = Please do not type names, phone numbers or other personal details here.
date-unsure = I'm not sure
