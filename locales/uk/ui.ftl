# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = Торкніться екрана, щоб почати
language-title = Виберіть мову

## Always-present controls
tool-back = Назад
tool-start-over = Почати знову
tool-language = Мова
tool-text-size = Розмір тексту
tool-contrast = Високий контраст
tool-display = Текст і контраст
tool-menu = Меню
tool-help = Попросити допомоги
help-calling = Викликаємо працівника…
help-told = Працівників повідомлено: хтось підійде, щоб допомогти вам.
help-ask-desk = Звідси не вдалося повідомити працівників. Будь ласка, зверніться до стійки.

## Services
groups-title = Чого стосується ваше звернення?
services-other = Інші послуги

## Questions
question-step = Питання { $current } з { $total }
question-step-up-to = Питання { $current } з { $total } щонайбільше
contact-step = Ваші контактні дані: { $current } з { $total }
continue = Далі
keys-open = Ввести відповідь
optional = Необов’язково
choose-one = Виберіть один варіант
choose-all = Виберіть усі відповідні варіанти
info-title = Будь ласка, прочитайте це
info-title-urgent = Важлива інформація про безпеку
description-title = Розкажіть докладніше
description-hint = Необов’язково. Усе, що допоможе муніципалітету.
address-title = Де це?
address-hint = Наприклад, назва вулиці й номер будинку або місце поблизу.
contact-choice-title = Бажаєте, щоб муніципалітет зв’язався з вами щодо цього?
contact-yes = Так
contact-no = Ні, дякую
first-name-title = Яке ваше ім’я?
last-name-title = Яке ваше прізвище?
email-title = Яка ваша електронна адреса?
phone-title = Який ваш номер телефону?
error-choose-yes-no = Виберіть «так» або «ні».

## Date picker
date-today = Сьогодні
date-yesterday = Учора
date-later = Пізніше
date-earlier = Раніше
date-not-chosen = Дату ще не вибрано
date-day = День
date-month = Місяць
date-year = Рік
date-hour = Година
date-minute = Хвилина
date-format = { $day } { $month } { $year }, { $time }
date-only-format = { $day } { $month } { $year }
month-1 = січня
month-2 = лютого
month-3 = березня
month-4 = квітня
month-5 = травня
month-6 = червня
month-7 = липня
month-8 = серпня
month-9 = вересня
month-10 = жовтня
month-11 = листопада
month-12 = грудня

## Keyboard (names read out by screen readers)
keyboard-space = Пробіл
keyboard-backspace = Стерти
keyboard-shift = Велика літера
keyboard-symbols = Символи
keyboard-letters = Літери
keyboard-latin = Латинські літери
keyboard-newline = Новий рядок
keyboard-more-letters = Інші літери
# One word of the name above, shown on the key where the whole name does not fit it on one
keyboard-shift-short = Велика
keyboard-latin-short = Латинські
keyboard-newline-short = Рядок
keyboard-more-letters-short = Інші

## Check your answers
check-title = Перевірте відповіді перед надсиланням
check-change = Змінити
check-not-answered = Немає відповіді
check-submit = Надіслати звернення
check-service = Послуга
check-contact = Контактні дані
check-contact-none = Ви не бажаєте, щоб із вами зв’язувалися
error-summary-title = Є проблема

## Saving and confirmation
submitting = Зберігаємо ваше звернення…
confirm-title = Звернення збережено
confirm-reference = Номер вашого звернення
confirm-qr = QR-код із номером вашого звернення
confirm-printing = Ваша квитанція друкується. Будь ласка, візьміть її з собою.
confirm-printed = Вашу квитанцію надруковано. Будь ласка, візьміть її з собою.
confirm-print-failed = Не вдалося надрукувати квитанцію. Будь ласка, запишіть номер вашого звернення. Працівник може надрукувати квитанцію ще раз.
confirm-no-printer = Будь ласка, запишіть номер вашого звернення.
confirm-offline = Ваше звернення збережено на цьому кіоску. Його буде автоматично надіслано до муніципалітету.
confirm-online = Ваше звернення збережено. Його буде надіслано до муніципалітету протягом кількох хвилин.
confirm-next-title = Що буде далі
confirm-next = Муніципалітет розгляне ваше звернення. Збережіть його номер: він знадобиться, якщо ви будете питати про своє звернення.
confirm-contact = Якщо у вас є запитання, телефонуйте за номером { $contact }.
confirm-finish = Завершити
save-failed-title = Ваше звернення не збережено
save-failed-retry = Спробувати ще раз

## Idle warning
timeout-title = Вам потрібно більше часу?
timeout-body = { $seconds ->
    [one] Щоб захистити вашу приватність, ваші відповіді буде видалено через { $seconds } секунду.
    [few] Щоб захистити вашу приватність, ваші відповіді буде видалено через { $seconds } секунди.
    [many] Щоб захистити вашу приватність, ваші відповіді буде видалено через { $seconds } секунд.
   *[other] Щоб захистити вашу приватність, ваші відповіді буде видалено через { $seconds } секунди.
}
timeout-more = Мені потрібно більше часу
timeout-finish = Почати знову

## Scrolling

more-below = Більше нижче

## Deleting answers, QR caption, welcome

confirm-start-over-title = Почати знову?
confirm-start-over-body = Ваші відповіді на це звернення буде видалено. Мова і розмір тексту залишаться такими ж.
confirm-delete-title = Видалити ваші відповіді?
confirm-delete-body = Ваше звернення не збережено. Якщо ви видалите відповіді, на цьому кіоску нічого не залишиться.
confirm-keep = Ні, залишити мої відповіді
confirm-delete = Так, видалити мої відповіді
save-failed-delete = Видалити мої відповіді
confirm-qr-caption = Сфотографуйте цей код, щоб зберегти номер звернення
welcome-purpose = Повідомте про проблему або попросіть послугу в міської ради. Це займає близько 5 хвилин, і ви отримаєте друковану квитанцію.
welcome-purpose-no-printer = Повідомте про проблему або попросіть послугу в міської ради. Це займає близько 5 хвилин, і ви отримаєте номер звернення, який варто зберегти.

# Довгі списки послуг (каталоги справжніх громад)
not-listed = Моєї проблеми немає в списку
not-listed-catch-all = Повідомити як «{ $service }»
not-listed-desk-hint = Що робити, якщо вашої проблеми тут немає
not-listed-ask-desk = Зверніться до стійки: працівники можуть повідомити про неї за вас. Також можна торкнутися «Попросити допомоги» вгорі екрана.
search-open = Пошук
search-close = Показати все
search-label = Пошук послуг
search-placeholder = Введіть слово, наприклад «сміття»
search-done = Показати результати
search-nothing-found = Жодна послуга не відповідає цим словам. Спробуйте інше слово або виберіть «Моєї проблеми немає в списку».
typed-so-far = Уже введено

## Privacy notice (before contact details) and the free-text warning

privacy-notice = { $council } отримує ваше ім’я та контактні дані разом із цим зверненням лише для того, щоб зв’язатися з вами щодо нього. Цей кіоск зберігає їх, доки рада не отримає звернення, а потім щонайбільше { $days } дн.
privacy-ask = Якщо маєте питання щодо своїх даних, зверніться: { $contact }.
privacy-the-council = міська рада
no-personal-details = Будь ласка, не вводьте тут імена, номери телефонів чи інші особисті дані.
date-unsure = Не впевнений
