# Ekrany personelu (PIN, stanowisko, tryb z pomocą i ćwiczeń) oraz „Sprawdź zgłoszenie”.

## Sprawdź zgłoszenie (mieszkańcy)
lookup-open = Sprawdź zgłoszenie
lookup-title = Sprawdź zgłoszenie
lookup-hint = Wpisz numer z potwierdzenia albo przyłóż kod z potwierdzenia do czytnika.
lookup-field = Numer zgłoszenia
lookup-delete = Usuń
lookup-check = Sprawdź
lookup-checking = Sprawdzanie…
lookup-mistyped = Ten numer jest niepoprawny. Sprawdź każdą literę i cyfrę na potwierdzeniu.
lookup-unknown = Ten kiosk nie ma zgłoszenia o tym numerze. Zapytaj w punkcie obsługi.
lookup-reference = Zgłoszenie { $reference }
lookup-pending = Zapisane w tym kiosku. Wkrótce zostanie wysłane do urzędu.
lookup-accepted = Urząd ma Twoje zgłoszenie.
lookup-in-progress = Urząd zajmuje się Twoim zgłoszeniem.
lookup-closed = Urząd zamknął Twoje zgłoszenie.
lookup-review = Pracownik sprawdza Twoje zgłoszenie.
lookup-rejected = Urząd nie mógł przyjąć Twojego zgłoszenia. Zapytaj w punkcie obsługi.
lookup-cancelled = To zgłoszenie zostało anulowane.
lookup-when = Ostatnia wiadomość z urzędu: { $when }

## Tryb z pomocą i ćwiczeń
assisted-by = Z pomocą: { $name }
confirm-practice = To ćwiczenie: nic nie trafia do urzędu, a zgłoszenie zostanie usunięte, gdy pracownik zablokuje kiosk.
practice-banner = ĆWICZENIE: nic nie jest wysyłane
consent-title = Zanim wyślesz
consent-body = { $name }, pracownik, pomógł Ci wypełnić to zgłoszenie. Gdy dotkniesz Wyślij, trafi ono do { $council } w Twoim imieniu.
consent-what = Oto, co zostanie wysłane:
consent-send = Wyślij moje zgłoszenie

## PIN
staff-pin-title = PIN pracownika
staff-pin-hint = Wpisz PIN ({ $min } cyfr lub więcej), potem OK.
staff-pin-ok = OK
staff-pin-delete = Usuń
staff-pin-checking = Sprawdzanie…
staff-pin-wrong = Zły PIN. Pozostałe próby: { $left }.
staff-pin-locked = Zbyt wiele złych PIN-ów, spróbuj ponownie za { $minutes } min.
staff-pin-unavailable = Nie można odczytać kont pracowników. Powiadom technika.

## Stanowisko personelu
staff-signed-in = Zalogowano: { $name }
staff-lookup-label = Numer lub zeskanowane potwierdzenie
staff-lookup = Szukaj
staff-lookup-result = Wynik
staff-checking = Szukanie…
staff-not-found = Brak zgłoszenia o tym numerze w tym kiosku
staff-reference = Numer
staff-service = Usługa
staff-local-status = W kiosku
staff-remote-status = W urzędzie
staff-remote-none = Brak wiadomości
staff-remote-open = Otwarte
staff-remote-closed = Zamknięte
staff-remote-id = Numer w urzędzie
staff-reason = Powód
staff-assisted-by = Z pomocą
staff-reprint = Wydrukuj ponownie
staff-health-title = Kiosk
staff-health-online = Połączenie z urzędem
staff-health-portal = Strona logowania sieci
staff-health-last-sync = Ostatnia wysyłka
staff-health-queue = Zgłoszenia
staff-health-counts = oczekujące: { $pending }, do sprawdzenia: { $review }, odrzucone: { $rejected }
staff-health-paper = Papier
staff-health-cover = Pokrywa drukarki
staff-paper-ok = OK
staff-paper-low = Kończy się
staff-paper-out = Brak
staff-cover-open = Otwarta
staff-cover-closed = Zamknięta
staff-yes = Tak
staff-no = Nie
staff-never = Nigdy
staff-unknown = Nieznane
staff-send-now = Wyślij teraz
staff-open-lists = Do sprawdzenia: { $count }
staff-help-count = Prośby o pomoc: { $count }
staff-help-visitor = Pomóż odwiedzającemu
staff-practice = Tryb ćwiczeń
staff-lock = Zablokuj
timeout-staff-body = { $seconds ->
    [one] Stanowisko personelu zostanie zablokowane za { $seconds } sekundę.
    [few] Stanowisko personelu zostanie zablokowane za { $seconds } sekundy.
    [many] Stanowisko personelu zostanie zablokowane za { $seconds } sekund.
   *[other] Stanowisko personelu zostanie zablokowane za { $seconds } sekundy.
}
timeout-lock = Zablokuj teraz
timeout-pin-body = { $seconds ->
    [one] Klawiatura PIN zostanie zamknięta za { $seconds } sekundę.
    [few] Klawiatura PIN zostanie zamknięta za { $seconds } sekundy.
    [many] Klawiatura PIN zostanie zamknięta za { $seconds } sekund.
   *[other] Klawiatura PIN zostanie zamknięta za { $seconds } sekundy.
}
timeout-close = Zamknij teraz
staff-end-visit = Zakończ
tool-end-visit = Zakończ: powrót do stanowiska
staff-state-pending = Czeka na wysłanie
staff-state-sending = Wysłane, brak odpowiedzi
staff-state-review = Do sprawdzenia
staff-state-accepted = W urzędzie
staff-state-rejected = Odrzucone przez urząd
staff-state-cancelled = Anulowane
staff-state-practice = Ćwiczenie (nigdy niewysyłane)
staff-done-reprint = Potwierdzenie wysłane do drukarki.
staff-done-send-now = Wysyłanie.
staff-done-resolved = Zostanie wysłane ponownie.
staff-done-refiled = Przeniesione: zostanie wysłane jako nowa usługa.
staff-done-refile-needs-answers = Nie przeniesiono: ta usługa zadaje pytania, na które zgłoszenie nie odpowiada. Technik może je przenieść z odpowiedziami (queue refile).
staff-done-cancelled = Zgłoszenie anulowane. Dane usunięto.
staff-done-help = Prośba o pomoc zakończona.
staff-done-failed = Nie udało się. Dziennik techniczny podaje powód.

## Listy
staff-help-title = Prośby o pomoc
staff-help-none = Nikt nie czeka na pomoc.
staff-help-asked = Prośba o { $when }
staff-help-done = Gotowe
staff-lists-title = Do sprawdzenia i odrzucone
staff-lists-none = Nic do sprawdzenia.
staff-item-detail = { $reason } (zapisane { $when })
staff-reason-undecided = Kiosk nie wie, czy urząd je otrzymał
staff-reason-unverified = Zgłoszenie na serwerze urzędu ma ten numer bez kontroli tego kiosku
staff-reason-review = Wysłanie wymaga decyzji
staff-reason-refused = Serwer urzędu je odrzucił
staff-reason-not-sent = Kiosk nie mógł go wysłać
staff-item-technical = Szczegóły techniczne: { $detail }
staff-resolve = Wyślij ponownie
staff-refile = Przenieś
staff-cancel = Anuluj zgłoszenie
staff-cancel-title = Anulować to zgłoszenie?
staff-cancel-body = Nigdy nie zostanie wysłane, a dane odwiedzającego zostaną usunięte. Numer zostaje w dzienniku.
staff-cancel-keep = Nie, zostaw
staff-cancel-yes = Tak, anuluj
staff-refile-title = Przenieś
staff-refile-hint = Wybierz usługę, pod którą ma zostać wysłane.

staff-no-council = Nie skonfigurowano urzędu (demo)
staff-health-printer = Drukarka
staff-no-printer = Nie skonfigurowano drukarki
confirm-practice-title = Tylko ćwiczenie: nic nie wysłano
staff-resolve-sent = Dotarło do urzędu
staff-sent-title = Dotarło do urzędu:
staff-sent-hint = Wpisz numer, który urząd nadał temu zgłoszeniu w swoim systemie, potem Zapisz.
staff-sent-field = Numer urzędu
staff-sent-save = Zapisz
staff-sent-missing = Najpierw wpisz numer urzędu (litery i cyfry).
staff-done-resolved-sent = Zapisano: urząd ma je pod tym numerem.

refile-banner = Przenoszenie { $reference }: pytania nowej usługi
refile-banner-short = Przenoszenie { $reference }
