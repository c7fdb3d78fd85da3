# Modo de voz (src/flow/speech.rs): lo que el quiosco dice en voz alta.
speech-welcome-hint = Para instrucciones habladas, mantenga pulsada la pantalla 2 segundos en cualquier lugar, o pulse F1.
speech-how-to = La voz está activada. Para oír el elemento siguiente, pulse Tab o toque el tercio inferior de la pantalla. Para el elemento anterior, pulse Mayúsculas y Tab, o toque el tercio superior. Para elegir, pulse Intro, o toque el centro de la pantalla. Pulse R para repetir, Escape para dejar de hablar, más o menos para el volumen. Mantenga pulsada la pantalla, o pulse F1, para desactivar la voz.
speech-started = La voz está activada.
speech-stopped = La voz está desactivada.
speech-volume = Volumen { $level } de { $max }
speech-button = { $label }, botón
speech-key = { $label }, tecla
speech-hidden = oculto
speech-empty = nada todavía
speech-dash = guion
speech-error = Error: { $message }
speech-date = Fecha elegida: { $date }
speech-chosen = Elegido: { $choices }
speech-choices-count = { $count ->
    [one] Una opción.
   *[other] { $count } opciones.
}
speech-search-query = Buscando: { $query }
speech-tile = { $label }. Botón, { $position } de { $count }
speech-selected = { $label }, seleccionado, { $position } de { $count }
speech-not-selected = { $label }, no seleccionado, { $position } de { $count }
speech-on-state = { $label }, botón, activado
speech-off-state = { $label }, botón, desactivado
speech-date-part = { $action }: { $part }, ahora { $value }, botón
speech-check-row = { $question }: { $answer }
speech-change = Cambiar: { $question }, botón
speech-reference = Su número de referencia es: { $reference }.
speech-receipt-says = Su recibo dice:

speech-pin-entered = { $count ->
    [0] Ninguna cifra escrita.
    [one] Cifra introducida. Una cifra.
   *[other] Cifra introducida. { $count } cifras.
}
speech-pin-digit = Tecla de cifra { $position } de { $count }
speech-attention = Requiere atención: { $line }
