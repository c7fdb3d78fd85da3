# Wydrukowane potwierdzenie. Bez danych osobowych: tylko usługa, czas i numer zgłoszenia.
receipt-heading = Zgłoszenie przyjęte
receipt-copy = KOPIA
receipt-service = Usługa: { $service }
receipt-date = Data: { $datetime }
receipt-reference = Twój numer zgłoszenia
receipt-scan-status = Zeskanuj kod, aby śledzić zgłoszenie online.
receipt-scan-reference = Kod zawiera Twój numer zgłoszenia.
receipt-next = Co dalej: urząd rozpatrzy Twoje zgłoszenie. Podaj numer zgłoszenia, jeśli się z nami kontaktujesz.
receipt-contact = Pytania: { $contact }
receipt-assisted-by = Z pomocą: { $name }
receipt-keep = Zachowaj to potwierdzenie.
receipt-test-heading = Strona testowa drukarki
receipt-test-ok = Jeśli możesz to przeczytać i zeskanować kod poniżej, drukarka działa.
