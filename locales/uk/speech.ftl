# Голосовий режим (src/flow/speech.rs): що кіоск говорить уголос.
speech-welcome-hint = Щоб почути голосові інструкції, утримуйте палець будь-де на екрані 2 секунди або натисніть F1.
speech-how-to = Голос увімкнено. Щоб почути наступний елемент, натисніть Tab або торкніться нижньої третини екрана. Попередній елемент: Shift і Tab або верхня третина екрана. Щоб вибрати, натисніть Enter або торкніться середини екрана. R повторює, Escape зупиняє голос, плюс і мінус змінюють гучність. Утримуйте екран або натисніть F1, щоб вимкнути голос.
speech-started = Голос увімкнено.
speech-stopped = Голос вимкнено.
speech-volume = Гучність { $level } з { $max }
speech-button = { $label }, кнопка
speech-key = { $label }, клавіша
speech-hidden = приховано
speech-empty = поки нічого
speech-dash = дефіс
speech-error = Помилка: { $message }
speech-date = Вибрана дата: { $date }
speech-chosen = Вибрано: { $choices }
speech-choices-count = { $count ->
    [one] { $count } варіант.
    [few] { $count } варіанти.
   *[other] { $count } варіантів.
}
speech-search-query = Пошук: { $query }
speech-tile = { $label }. Кнопка, { $position } з { $count }
speech-selected = { $label }, вибрано, { $position } з { $count }
speech-not-selected = { $label }, не вибрано, { $position } з { $count }
speech-on-state = { $label }, кнопка, увімкнено
speech-off-state = { $label }, кнопка, вимкнено
speech-date-part = { $action }: { $part }, зараз { $value }, кнопка
speech-check-row = { $question }: { $answer }
speech-change = Змінити: { $question }, кнопка
speech-reference = Ваш номер звернення: { $reference }.
speech-receipt-says = На вашій квитанції написано:

speech-pin-entered = { $count ->
    [0] Жодної цифри не введено.
    [one] Цифру введено. Одна цифра.
    [few] Цифру введено. { $count } цифри.
   *[other] Цифру введено. { $count } цифр.
}
speech-pin-digit = Клавіша цифри { $position } з { $count }
speech-attention = Потребує уваги: { $line }
