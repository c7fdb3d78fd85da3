error-required = Odpowiedz na to pytanie, aby przejść dalej.
error-too-long = { $max ->
    [one] Użyj najwyżej { $max } znaku.
    [few] Użyj najwyżej { $max } znaków.
    [many] Użyj najwyżej { $max } znaków.
   *[other] Użyj najwyżej { $max } znaku.
}
error-control-characters = Tekst zawiera znaki, których nie można wysłać. Wpisz go ponownie.
error-not-a-number = Wpisz liczbę, na przykład 3 albo 2,5.
error-whole-between = Wpisz liczbę całkowitą od { $min } do { $max }.
error-whole-number = Wpisz liczbę całkowitą, na przykład 3.
error-number-between = Wpisz liczbę od { $min } do { $max }.
error-number-at-most = Wpisz liczbę nie większą niż { $max }.
error-number-out-of-range = Ta liczba jest za duża. Sprawdź ją i spróbuj ponownie.
error-not-a-datetime = Wybierz prawdziwą datę i godzinę.
error-choice = Wybierz jedną z pokazanych odpowiedzi.
error-unknown = Coś poszło nie tak z tym pytaniem. Poproś o pomoc pracownika.
error-location-missing = Wpisz, gdzie jest problem, na przykład ulicę i numer domu.
error-bad-coordinate = Pozycja na mapie jest nieprawidłowa.
error-bad-email = Wpisz adres e-mail, np. imie@przyklad.pl, albo zostaw puste.
error-bad-phone = Wpisz numer telefonu cyframi albo zostaw puste.
error-disk-full = Nie udało się zapisać zgłoszenia w tym kiosku. Nic nie zostało wysłane. Poproś o pomoc pracownika.
error-store-unavailable = Ten kiosk nie może teraz zapisywać zgłoszeń. Nic nie zostało wysłane. Poproś o pomoc pracownika.
error-save-failed = Coś poszło nie tak i zgłoszenie nie zostało zapisane. Nic nie zostało wysłane. Spróbuj ponownie lub poproś o pomoc pracownika.
