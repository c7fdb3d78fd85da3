# Wydrukowane potwierdzenie. Bez danych osobowych: tylko usługa, czas i numer zgłoszenia.
receipt-copy = KOPIA
receipt-practice = ĆWICZENIE
receipt-practice-note = Tylko ćwiczenie: nie wysłano tego do urzędu.
receipt-service = Usługa: { $service }
receipt-date = Data: { $datetime }
receipt-scan-status = Zeskanuj kod, aby śledzić zgłoszenie online.
receipt-scan-reference = Kod zawiera Twój numer zgłoszenia.
receipt-timescale = { $days ->
    [one] Urząd stara się rozpatrzyć zgłoszenie w ciągu { $days } dnia roboczego.
   *[other] Urząd stara się rozpatrzyć zgłoszenie w ciągu { $days } dni roboczych.
}
receipt-help-hours = Godziny pracy: { $hours }
receipt-assisted-by = Z pomocą: { $name }
receipt-keep = Zachowaj to potwierdzenie.
receipt-test-heading = Strona testowa drukarki
receipt-test-ok = Jeśli możesz to przeczytać i zeskanować kod poniżej, drukarka działa.
