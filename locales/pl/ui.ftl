# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = Prosimy dotknąć ekranu, aby rozpocząć
language-title = Wybór języka

## Always-present controls
tool-back = Wstecz
tool-start-over = Od nowa
tool-language = Język
tool-text-size = Rozmiar tekstu
tool-contrast = Wysoki kontrast
tool-display = Tekst i kontrast
tool-menu = Menu
tool-help = Potrzebuję pomocy
help-calling = Wzywamy pracownika…
help-told = Pracownicy zostali powiadomieni: ktoś podejdzie, żeby pomóc.
help-ask-desk = Nie udało się stąd powiadomić pracowników. Prosimy zapytać przy ladzie.

## Services
groups-title = Czego dotyczy zgłoszenie?
services-other = Inne usługi

## Questions
question-step = Pytanie { $current } z { $total }
question-step-up-to = Pytanie { $current } z najwyżej { $total }
contact-step = Twoje dane kontaktowe: { $current } z { $total }
continue = Dalej
keys-open = Wpisz odpowiedź
optional = Nieobowiązkowe
choose-one = Prosimy wybrać jedną odpowiedź
choose-all = Prosimy wybrać wszystkie pasujące odpowiedzi
info-title = Prosimy przeczytać
info-title-urgent = Ważna informacja dla bezpieczeństwa
description-title = Prosimy opisać sprawę dokładniej
description-hint = Nieobowiązkowe. Wszystko, co może pomóc urzędowi.
address-title = Gdzie to jest?
address-hint = Na przykład nazwa ulicy i numer domu albo pobliskie miejsce.
contact-choice-title = Czy urząd ma się skontaktować w tej sprawie?
contact-yes = Tak
contact-no = Nie, dziękuję
first-name-title = Prosimy podać imię
last-name-title = Prosimy podać nazwisko
email-title = Prosimy podać adres e-mail
phone-title = Prosimy podać numer telefonu
error-choose-yes-no = Prosimy wybrać „tak” albo „nie”.

## Date picker
date-today = Dzisiaj
date-yesterday = Wczoraj
date-later = Później
date-earlier = Wcześniej
date-not-chosen = Nie wybrano jeszcze daty
date-day = Dzień
date-month = Miesiąc
date-year = Rok
date-hour = Godzina
date-minute = Minuta
date-format = { $day } { $month } { $year }, { $time }
date-only-format = { $day } { $month } { $year }
month-1 = stycznia
month-2 = lutego
month-3 = marca
month-4 = kwietnia
month-5 = maja
month-6 = czerwca
month-7 = lipca
month-8 = sierpnia
month-9 = września
month-10 = października
month-11 = listopada
month-12 = grudnia

## Keyboard (names read out by screen readers)
keyboard-space = Spacja
keyboard-backspace = Usuń
keyboard-shift = Wielka litera
keyboard-symbols = Symbole
keyboard-letters = Litery
keyboard-latin = Litery łacińskie
keyboard-newline = Nowy wiersz
keyboard-more-letters = Więcej liter
# One word of the name above, shown on the key where the whole name does not fit it on one
keyboard-shift-short = Wielka
keyboard-latin-short = Łacińskie
keyboard-newline-short = Wiersz
keyboard-more-letters-short = Więcej

## Check your answers
check-title = Prosimy sprawdzić odpowiedzi przed wysłaniem
check-change = Zmień
check-not-answered = Brak odpowiedzi
check-submit = Wyślij zgłoszenie
check-service = Usługa
check-contact = Dane kontaktowe
check-contact-none = Bez kontaktu z urzędem
error-summary-title = Wystąpił problem

## Saving and confirmation
submitting = Zapisywanie zgłoszenia…
confirm-title = Zgłoszenie zapisane
confirm-reference = Numer zgłoszenia
confirm-qr = Kod QR z numerem zgłoszenia
confirm-printing = Trwa drukowanie potwierdzenia. Prosimy je zabrać.
confirm-printed = Potwierdzenie zostało wydrukowane. Prosimy je zabrać.
confirm-print-failed = Nie udało się wydrukować potwierdzenia. Prosimy zapisać numer zgłoszenia. Pracownik może wydrukować potwierdzenie ponownie.
confirm-no-printer = Prosimy zapisać numer zgłoszenia.
confirm-offline = Zgłoszenie jest zapisane w tym kiosku. Zostanie automatycznie wysłane do urzędu.
confirm-online = Zgłoszenie jest zapisane. Zostanie wysłane do urzędu w ciągu kilku minut.
confirm-next-title = Co dalej
confirm-next = Urząd rozpatrzy zgłoszenie. Prosimy zachować numer zgłoszenia: będzie potrzebny przy pytaniach o tę sprawę.
confirm-contact = W razie pytań prosimy dzwonić pod numer { $contact }.
confirm-finish = Zakończ
save-failed-title = Zgłoszenie nie zostało zapisane
save-failed-retry = Spróbuj ponownie

## Idle warning
timeout-title = Czy potrzeba więcej czasu?
timeout-body = { $seconds ->
    [one] Dla ochrony prywatności odpowiedzi zostaną usunięte za { $seconds } sekundę.
    [few] Dla ochrony prywatności odpowiedzi zostaną usunięte za { $seconds } sekundy.
    [many] Dla ochrony prywatności odpowiedzi zostaną usunięte za { $seconds } sekund.
   *[other] Dla ochrony prywatności odpowiedzi zostaną usunięte za { $seconds } sekundy.
}
timeout-more = Potrzebuję więcej czasu
timeout-finish = Od nowa

## Scrolling

more-below = Więcej poniżej

## Deleting answers, QR caption, welcome

confirm-start-over-title = Zacząć od nowa?
confirm-start-over-body = Twoje odpowiedzi na to zgłoszenie zostaną usunięte. Język i rozmiar tekstu pozostaną bez zmian.
confirm-delete-title = Usunąć odpowiedzi?
confirm-delete-body = Zgłoszenie nie zostało zapisane. Jeśli usuniesz odpowiedzi, nic nie zostanie w tym kiosku.
confirm-keep = Nie, zachowaj moje odpowiedzi
confirm-delete = Tak, usuń moje odpowiedzi
save-failed-delete = Usuń moje odpowiedzi
confirm-qr-caption = Zrób zdjęcie tego kodu, aby zachować numer zgłoszenia
welcome-purpose = Zgłoś problem lub poproś urząd o usługę. Zajmie to około 5 minut, a otrzymasz wydrukowane potwierdzenie.
welcome-purpose-no-printer = Zgłoś problem lub poproś urząd o usługę. Zajmie to około 5 minut, a otrzymasz numer sprawy do zachowania.

# Długie listy usług (katalogi prawdziwych gmin)
not-listed = Mojego problemu nie ma na liście
not-listed-catch-all = Zgłoś jako „{ $service }”
not-listed-desk-hint = Co zrobić, jeśli Twojego problemu tu nie ma
not-listed-ask-desk = Zapytaj w punkcie obsługi: pracownicy mogą to zgłosić za Ciebie. Możesz też dotknąć „Potrzebuję pomocy” u góry ekranu.
search-open = Szukaj
search-close = Pokaż wszystko
search-label = Szukaj usług
search-placeholder = Wpisz słowo, na przykład „śmieci”
search-done = Pokaż wyniki
search-nothing-found = Żadna usługa nie pasuje do tych słów. Spróbuj innego słowa albo wybierz „Mojego problemu nie ma na liście”.
typed-so-far = Dotąd wpisano

## Privacy notice (before contact details) and the free-text warning

privacy-notice = { $council } otrzymuje Twoje imię i dane kontaktowe wraz z tym zgłoszeniem wyłącznie po to, by skontaktować się w jego sprawie. Ten kiosk przechowuje je, dopóki urząd nie otrzyma zgłoszenia, a potem najwyżej przez { $days } dni.
privacy-ask = Jeśli masz pytania o swoje dane, zapytaj: { $contact }.
privacy-the-council = urząd
no-personal-details = Prosimy nie wpisywać tu imion, numerów telefonów ani innych danych osobowych.
date-unsure = Nie wiem
