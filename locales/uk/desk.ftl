# Екрани персоналу (PIN, робоче місце, режим із допомогою та тренування) і «Перевірити звернення».

## Перевірити звернення (мешканці)
lookup-open = Перевірити звернення
lookup-title = Перевірити звернення
lookup-hint = Введіть номер із квитанції або піднесіть код квитанції до сканера.
lookup-field = Номер
lookup-delete = Стерти
lookup-check = Перевірити
lookup-checking = Перевірка…
lookup-mistyped = Цей номер неправильний. Перевірте кожну літеру й цифру на квитанції.
lookup-unknown = У цьому кіоску немає звернення з таким номером. Зверніться до працівника.
lookup-reference = Звернення { $reference }
lookup-pending = Збережено в цьому кіоску. Незабаром його буде надіслано до ради.
lookup-accepted = Рада отримала ваше звернення.
lookup-in-progress = Рада опрацьовує ваше звернення.
lookup-closed = Рада закрила ваше звернення.
lookup-review = Працівник перевіряє ваше звернення.
lookup-rejected = Рада не змогла прийняти ваше звернення. Зверніться до працівника.
lookup-cancelled = Це звернення скасовано.
lookup-when = Останні новини від ради: { $when }

## Режим із допомогою та тренування
assisted-by = З допомогою: { $name }
confirm-practice = Це тренування: нічого не надсилається до ради, і все буде стерто, коли працівник заблокує кіоск.
practice-banner = ТРЕНУВАННЯ: нічого не надсилається
consent-title = Перед надсиланням
consent-body = { $name }, працівник, допоміг вам заповнити це звернення. Коли ви торкнетеся «Надіслати», воно піде до { $council } від вашого імені.
consent-what = Ось що буде надіслано:
consent-send = Надіслати моє звернення

## PIN
staff-pin-title = PIN працівника
staff-pin-hint = Введіть PIN ({ $min } цифр або більше), потім OK.
staff-pin-ok = OK
staff-pin-delete = Стерти
staff-pin-checking = Перевірка…
staff-pin-wrong = Неправильний PIN. Залишилось спроб: { $left }.
staff-pin-locked = Забагато неправильних PIN, спробуйте знову через { $minutes } хв.
staff-pin-unavailable = Не вдається прочитати облікові записи персоналу. Повідомте техніка.

## Робоче місце
staff-signed-in = Увійшов: { $name }
staff-lookup-label = Номер або відсканована квитанція
staff-lookup = Знайти
staff-lookup-result = Результат
staff-checking = Пошук…
staff-not-found = У цьому кіоску немає звернення з таким номером
staff-reference = Номер
staff-service = Послуга
staff-local-status = У кіоску
staff-remote-status = У раді
staff-remote-none = Новин ще немає
staff-remote-open = Відкрито
staff-remote-closed = Закрито
staff-remote-id = Номер у раді
staff-reason = Причина
staff-assisted-by = З допомогою
staff-reprint = Надрукувати знову
staff-health-title = Кіоск
staff-health-online = Зв'язок із радою
staff-health-portal = Сторінка входу до мережі
staff-health-last-sync = Останнє надсилання
staff-health-queue = Звернення
staff-health-counts = очікують: { $pending }, перевірити: { $review }, відхилено: { $rejected }
staff-health-paper = Папір
staff-health-cover = Кришка принтера
staff-paper-ok = Гаразд
staff-paper-low = Закінчується
staff-paper-out = Немає
staff-cover-open = Відкрита
staff-cover-closed = Закрита
staff-yes = Так
staff-no = Ні
staff-never = Ніколи
staff-unknown = Невідомо
staff-send-now = Надіслати зараз
staff-open-lists = Перевірити: { $count }
staff-help-count = Прохання про допомогу: { $count }
staff-help-visitor = Допомогти відвідувачу
staff-practice = Тренування
staff-lock = Заблокувати
timeout-staff-body = { $seconds ->
    [one] Робоче місце персоналу буде заблоковано через { $seconds } секунду.
    [few] Робоче місце персоналу буде заблоковано через { $seconds } секунди.
    [many] Робоче місце персоналу буде заблоковано через { $seconds } секунд.
   *[other] Робоче місце персоналу буде заблоковано через { $seconds } секунди.
}
timeout-lock = Заблокувати зараз
timeout-pin-body = { $seconds ->
    [one] Панель PIN-коду буде закрито через { $seconds } секунду.
    [few] Панель PIN-коду буде закрито через { $seconds } секунди.
    [many] Панель PIN-коду буде закрито через { $seconds } секунд.
   *[other] Панель PIN-коду буде закрито через { $seconds } секунди.
}
timeout-close = Закрити зараз
staff-end-visit = Завершити
tool-end-visit = Завершити: назад до робочого місця
staff-state-pending = Очікує надсилання
staff-state-sending = Надіслано, відповідь невідома
staff-state-review = Перевірити
staff-state-accepted = У раді
staff-state-rejected = Відхилено радою
staff-state-cancelled = Скасовано
staff-state-practice = Тренування (не надсилається)
staff-done-reprint = Квитанцію надіслано на принтер.
staff-done-send-now = Надсилання.
staff-done-resolved = Буде надіслано знову.
staff-done-refiled = Перенесено: буде надіслано з новою послугою.
staff-done-refile-needs-answers = Не перенесено: ця послуга ставить питання, на які звернення не відповідає. Технік може перенести його з відповідями (queue refile).
staff-done-cancelled = Звернення скасовано. Дані стерто.
staff-done-help = Прохання про допомогу виконано.
staff-done-failed = Не вдалося. Причина в технічному журналі.

## Списки
staff-help-title = Прохання про допомогу
staff-help-none = Ніхто не чекає на допомогу.
staff-help-asked = Попросили о { $when }
staff-help-done = Готово
staff-lists-title = Перевірити та відхилені
staff-lists-none = Нічого перевіряти.
staff-item-detail = { $reason } (збережено { $when })
staff-reason-undecided = Кіоск не знає, чи отримала її рада
staff-reason-unverified = Запит на сервері ради має цей номер без перевірки цього кіоску
staff-reason-review = Її надсилання потребує рішення
staff-reason-refused = Сервер ради її відхилив
staff-reason-not-sent = Кіоск не зміг її надіслати
staff-item-technical = Технічні подробиці: { $detail }
staff-resolve = Надіслати знову
staff-refile = Перенести
staff-cancel = Скасувати звернення
staff-cancel-title = Скасувати це звернення?
staff-cancel-body = Його ніколи не буде надіслано, а дані відвідувача буде стерто. Номер залишиться в журналі.
staff-cancel-keep = Ні, залишити
staff-cancel-yes = Так, скасувати
staff-refile-title = Перенести
staff-refile-hint = Виберіть послугу, з якою його надіслати.

staff-no-council = Раду не налаштовано (демо)
staff-health-printer = Принтер
staff-no-printer = Принтер не налаштовано
confirm-practice-title = Лише тренування: нічого не надіслано
staff-resolve-sent = Дійшло до ради
staff-sent-title = Дійшло до ради:
staff-sent-hint = Введіть номер, який рада дала цьому зверненню у своїй системі, потім Зберегти.
staff-sent-field = Номер ради
staff-sent-save = Зберегти
staff-sent-missing = Спершу введіть номер ради (літери та цифри).
staff-done-resolved-sent = Збережено: рада має його під цим номером.

refile-banner = Перенесення { $reference }: питання нової послуги
refile-banner-short = Перенесення { $reference }
