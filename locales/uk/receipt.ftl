# Надрукована квитанція. Жодних особистих даних: лише послуга, час і номер звернення.
receipt-copy = КОПІЯ
receipt-practice = ТРЕНУВАННЯ
receipt-practice-note = Лише тренування: це не надіслано до ради.
receipt-service = Послуга: { $service }
receipt-date = Дата: { $datetime }
receipt-scan-status = Скануйте код, щоб стежити за зверненням онлайн.
receipt-scan-reference = Код містить ваш номер звернення.
receipt-timescale = { $days ->
    [one] Муніципалітет прагне розглянути звернення протягом { $days } робочого дня.
   *[other] Муніципалітет прагне розглянути звернення протягом { $days } робочих днів.
}
receipt-help-hours = Години роботи: { $hours }
receipt-assisted-by = За допомогою: { $name }
receipt-keep = Збережіть цю квитанцію.
receipt-test-heading = Тестова сторінка принтера
receipt-test-ok = Якщо ви можете це прочитати й відсканувати код нижче, принтер працює.
