# Speech mode (src/flow/speech.rs): what the kiosk says aloud. Short phrases: they are heard, not read.
speech-welcome-hint = For spoken instructions, press and hold anywhere on the screen for 2 seconds, or press F1.
speech-how-to = Speech is on. To hear the next item, press Tab or touch the bottom third of the screen. For the previous item, press Shift and Tab, or touch the top third. To choose, press Enter, or touch the middle of the screen. Press R to repeat, Escape to stop speaking, plus or minus for the volume. Press and hold the screen, or press F1, to turn speech off.
speech-started = Speech is on.
speech-stopped = Speech is off.
speech-volume = Volume { $level } of { $max }
speech-button = { $label }, button
speech-key = { $label }, key
speech-hidden = hidden
speech-empty = nothing yet
speech-dash = dash
speech-error = Error: { $message }
speech-date = Date chosen: { $date }
speech-chosen = Chosen: { $choices }
speech-choices-count = { $count ->
    [one] One choice.
   *[other] { $count } choices.
}
speech-search-query = Searching for: { $query }
speech-tile = { $label }. Button, { $position } of { $count }
speech-selected = { $label }, selected, { $position } of { $count }
speech-not-selected = { $label }, not selected, { $position } of { $count }
speech-on-state = { $label }, button, on
speech-off-state = { $label }, button, off
speech-date-part = { $action }: { $part }, now { $value }, button
speech-check-row = { $question }: { $answer }
speech-change = Change: { $question }, button
speech-reference = Your reference number is: { $reference }.
speech-receipt-says = Your receipt says:

speech-pin-entered = { $count ->
    [0] No digits typed.
    [one] Digit entered. One digit.
   *[other] Digit entered. { $count } digits.
}
speech-pin-digit = Digit key { $position } of { $count }
speech-attention = Needs attention: { $line }
