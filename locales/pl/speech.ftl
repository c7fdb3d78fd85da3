# Tryb mowy (src/flow/speech.rs): co kiosk mówi na głos.
speech-welcome-hint = Aby usłyszeć instrukcje, przytrzymaj palec w dowolnym miejscu ekranu przez 2 sekundy albo naciśnij F1.
speech-how-to = Mowa jest włączona. Aby usłyszeć następny element, naciśnij Tab albo dotknij dolnej jednej trzeciej ekranu. Poprzedni element: Shift i Tab albo dotknij górnej jednej trzeciej. Aby wybrać, naciśnij Enter albo dotknij środka ekranu. R powtarza, Escape przerywa mowę, plus i minus zmieniają głośność. Przytrzymaj ekran albo naciśnij F1, aby wyłączyć mowę.
speech-started = Mowa jest włączona.
speech-stopped = Mowa jest wyłączona.
speech-volume = Głośność { $level } z { $max }
speech-button = { $label }, przycisk
speech-key = { $label }, klawisz
speech-hidden = ukryte
speech-empty = jeszcze nic
speech-dash = myślnik
speech-error = Błąd: { $message }
speech-date = Wybrana data: { $date }
speech-chosen = Wybrano: { $choices }
speech-choices-count = { $count ->
    [one] Jedna możliwość.
    [few] { $count } możliwości.
   *[other] { $count } możliwości.
}
speech-search-query = Szukane: { $query }
speech-tile = { $label }. Przycisk, { $position } z { $count }
speech-selected = { $label }, zaznaczone, { $position } z { $count }
speech-not-selected = { $label }, niezaznaczone, { $position } z { $count }
speech-on-state = { $label }, przycisk, włączone
speech-off-state = { $label }, przycisk, wyłączone
speech-date-part = { $action }: { $part }, teraz { $value }, przycisk
speech-check-row = { $question }: { $answer }
speech-change = Zmień: { $question }, przycisk
speech-reference = Twój numer referencyjny to: { $reference }.
speech-receipt-says = Na potwierdzeniu jest napisane:

speech-pin-entered = { $count ->
    [0] Nie wpisano żadnej cyfry.
    [one] Wpisano cyfrę. Jedna cyfra.
    [few] Wpisano cyfrę. { $count } cyfry.
   *[other] Wpisano cyfrę. { $count } cyfr.
}
speech-pin-digit = Klawisz cyfry { $position } z { $count }
speech-attention = Wymaga uwagi: { $line }
