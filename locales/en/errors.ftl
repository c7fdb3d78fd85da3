# Validation messages shown next to a field and in the error summary.
error-required = Answer this question to continue.
error-too-long = { $max ->
    [one] Use { $max } character or fewer.
   *[other] Use { $max } characters or fewer.
}
error-control-characters = This contains characters that cannot be sent. Please type it again.
error-not-a-number = Enter a number, for example 3 or 2.5.
error-whole-between = Enter a whole number from { $min } to { $max }.
error-whole-number = Enter a whole number, for example 3.
error-number-between = Enter a number from { $min } to { $max }.
error-number-at-most = Enter a number no larger than { $max }.
error-number-out-of-range = This number is too large. Check it and try again.
error-not-a-datetime = Choose a real date and time.
error-choice = Choose one of the options shown.
error-unknown = Something went wrong with this question. Please ask a member of staff.
error-location-missing = Enter where the problem is, such as a street and house number.
error-bad-coordinate = The map position is not valid.
error-bad-email = Enter an email address like name@example.com, or leave it empty.
error-bad-phone = Enter a phone number using digits, or leave it empty.
error-disk-full = Your request could not be saved on this kiosk. Nothing was sent. Please ask a member of staff.
error-store-unavailable = This kiosk cannot save requests at the moment. Nothing was sent. Please ask a member of staff.
error-save-failed = Something went wrong and your request was not saved. Nothing was sent. Please try again, or ask a member of staff.
