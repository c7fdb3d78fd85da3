# The resident's touchscreen. Keep sentences short and plain: many readers are elderly or
# reading in a second language.

## Welcome and language
welcome-touch = Toque la pantalla para empezar
language-title = Elija su idioma

## Always-present controls
tool-back = Volver
tool-start-over = Empezar de nuevo
tool-language = Idioma
tool-text-size = Tamaño del texto
tool-contrast = Alto contraste
tool-display = Texto y contraste
tool-menu = Menú
tool-help = Pedir ayuda
help-calling = Estamos llamando a un miembro del personal…
help-told = El personal ha sido avisado: alguien vendrá a ayudarle.
help-ask-desk = No hemos podido avisar al personal desde aquí. Por favor, pregunte en el mostrador.

## Services
groups-title = ¿Sobre qué es su solicitud?
services-other = Otros servicios

## Questions
question-step = Pregunta { $current } de { $total }
question-step-up-to = Pregunta { $current } de { $total } como máximo
contact-step = Sus datos de contacto: { $current } de { $total }
continue = Siguiente
keys-open = Escribir la respuesta
optional = Opcional
choose-one = Elija una opción
choose-all = Elija todas las opciones que correspondan
info-title = Lea esto, por favor
info-title-urgent = Información importante para su seguridad
description-title = Cuéntenos más
description-hint = Opcional. Cualquier dato que pueda ayudar al ayuntamiento.
address-title = ¿Dónde es?
address-hint = Por ejemplo, el nombre de una calle y el número, o un lugar cercano.
contact-choice-title = ¿Quiere que el ayuntamiento se ponga en contacto con usted sobre esto?
contact-yes = Sí
contact-no = No, gracias
first-name-title = ¿Cuál es su nombre?
last-name-title = ¿Cuáles son sus apellidos?
email-title = ¿Cuál es su correo electrónico?
phone-title = ¿Cuál es su número de teléfono?
error-choose-yes-no = Elija sí o no.

## Date picker
date-today = Hoy
date-yesterday = Ayer
date-later = Después
date-earlier = Antes
date-not-chosen = Todavía no ha elegido una fecha
date-day = Día
date-month = Mes
date-year = Año
date-hour = Hora
date-minute = Minuto
date-format = { $day } de { $month } de { $year }, { $time }
date-only-format = { $day } de { $month } de { $year }
month-1 = enero
month-2 = febrero
month-3 = marzo
month-4 = abril
month-5 = mayo
month-6 = junio
month-7 = julio
month-8 = agosto
month-9 = septiembre
month-10 = octubre
month-11 = noviembre
month-12 = diciembre

## Keyboard (names read out by screen readers)
keyboard-space = Espacio
keyboard-backspace = Borrar
keyboard-shift = Mayús
keyboard-symbols = Símbolos
keyboard-letters = Letras
keyboard-latin = Letras latinas
keyboard-newline = Nueva línea
keyboard-more-letters = Más letras
# One word of the name above, shown on the key where the whole name does not fit it on one
keyboard-shift-short = Mayús
keyboard-latin-short = Latinas
keyboard-newline-short = Línea
keyboard-more-letters-short = Más

## Check your answers
check-title = Revise sus respuestas antes de enviar
check-change = Cambiar
check-not-answered = Sin respuesta
check-submit = Enviar solicitud
check-service = Servicio
check-contact = Datos de contacto
check-contact-none = No quiere que se pongan en contacto con usted
error-summary-title = Hay un problema

## Saving and confirmation
submitting = Guardando su solicitud…
confirm-title = Solicitud guardada
confirm-reference = Su número de referencia
confirm-qr = Código QR con su número de referencia
confirm-printing = Se está imprimiendo su justificante. Por favor, lléveselo.
confirm-printed = Su justificante ya está impreso. Por favor, lléveselo.
confirm-print-failed = No se ha podido imprimir su justificante. Por favor, apunte su número de referencia. Un miembro del personal puede volver a imprimirlo.
confirm-no-printer = Por favor, apunte su número de referencia.
confirm-offline = Su solicitud está guardada en este quiosco. Se enviará al ayuntamiento automáticamente.
confirm-online = Su solicitud está guardada. Se enviará al ayuntamiento en los próximos minutos.
confirm-next-title = Qué pasa ahora
confirm-next = El ayuntamiento revisará su solicitud. Guarde su número de referencia: lo necesitará si pregunta por su solicitud.
confirm-contact = Si tiene alguna pregunta, llame al { $contact }.
confirm-finish = Terminar
save-failed-title = Su solicitud no se ha guardado
save-failed-retry = Intentar de nuevo

## Idle warning
timeout-title = ¿Necesita más tiempo?
timeout-body = { $seconds ->
    [one] Para proteger su privacidad, sus respuestas se borrarán en { $seconds } segundo.
   *[other] Para proteger su privacidad, sus respuestas se borrarán en { $seconds } segundos.
}
timeout-more = Necesito más tiempo
timeout-finish = Empezar de nuevo

## Scrolling

more-below = Más abajo

## Deleting answers, QR caption, welcome

confirm-start-over-title = ¿Empezar de nuevo?
confirm-start-over-body = Se borrarán sus respuestas a esta solicitud. Su idioma y el tamaño del texto no cambian.
confirm-delete-title = ¿Borrar sus respuestas?
confirm-delete-body = Su solicitud no se ha guardado. Si borra sus respuestas, no se guarda nada en este quiosco.
confirm-keep = No, conservar mis respuestas
confirm-delete = Sí, borrar mis respuestas
save-failed-delete = Borrar mis respuestas
confirm-qr-caption = Haga una foto de este código para guardar su número de referencia
welcome-purpose = Informe de un problema o pida un servicio al ayuntamiento. Se tarda unos 5 minutos y recibe un recibo impreso.
welcome-purpose-no-printer = Informe de un problema o pida un servicio al ayuntamiento. Se tarda unos 5 minutos y recibe un número de referencia para guardar.

# Listas largas de servicios (catálogos de ayuntamientos reales)
not-listed = Mi problema no está en la lista
not-listed-catch-all = Comunicarlo como «{ $service }»
not-listed-desk-hint = Qué hacer si su problema no está aquí
not-listed-ask-desk = Pregunte en el mostrador: el personal puede comunicarlo por usted. También puede tocar «Pedir ayuda» en la parte superior de la pantalla.
search-open = Buscar
search-close = Ver todo
search-label = Buscar servicios
search-placeholder = Escriba una palabra, por ejemplo «basura»
search-done = Ver resultados
search-nothing-found = Ningún servicio coincide con estas palabras. Pruebe otra palabra o elija «Mi problema no está en la lista».
typed-so-far = Escrito hasta ahora

## Privacy notice (before contact details) and the free-text warning

privacy-notice = { $council } recibe su nombre y sus datos de contacto con esta solicitud, solo para contactarle sobre ella. Este quiosco los guarda hasta que el ayuntamiento tenga su solicitud y, después, { $days } días como máximo.
privacy-ask = Si tiene preguntas sobre sus datos, consulte a { $contact }.
privacy-the-council = el ayuntamiento
no-personal-details = Por favor, no escriba aquí nombres, números de teléfono ni otros datos personales.
date-unsure = No estoy seguro
