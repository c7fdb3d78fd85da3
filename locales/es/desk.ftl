# Pantallas del personal (PIN, mostrador, modo asistido y de práctica) y «Consultar una solicitud».

## Consultar una solicitud (vecinos)
lookup-open = Consultar una solicitud
lookup-title = Consultar una solicitud
lookup-hint = Escriba la referencia de su recibo o acerque el código del recibo al lector.
lookup-field = Referencia
lookup-delete = Borrar
lookup-check = Consultar
lookup-checking = Consultando…
lookup-mistyped = Esta referencia no es correcta. Revise cada letra y número de su recibo.
lookup-unknown = Este quiosco no tiene ninguna solicitud con esta referencia. Pregunte en el mostrador.
lookup-reference = Solicitud { $reference }
lookup-pending = Guardada en este quiosco. Pronto se enviará al ayuntamiento.
lookup-accepted = El ayuntamiento tiene su solicitud.
lookup-in-progress = El ayuntamiento está tramitando su solicitud.
lookup-closed = El ayuntamiento ha cerrado su solicitud.
lookup-review = Un miembro del personal está revisando su solicitud.
lookup-rejected = El ayuntamiento no pudo aceptar su solicitud. Pregunte en el mostrador.
lookup-cancelled = Esta solicitud fue cancelada.
lookup-when = Últimas noticias del ayuntamiento: { $when }

## Modo asistido y de práctica
assisted-by = Con la ayuda de { $name }
confirm-practice = Esto es una práctica: no se envía al ayuntamiento y se borra cuando el personal bloquea el quiosco.
practice-banner = PRÁCTICA: no se envía nada
consent-title = Antes de enviar
consent-body = { $name }, del personal, le ha ayudado a rellenar esta solicitud. Cuando toque Enviar, se enviará a { $council } en su nombre.
consent-what = Esto es lo que se enviará:
consent-send = Enviar mi solicitud

## PIN
staff-pin-title = PIN del personal
staff-pin-hint = Escriba su PIN ({ $min } cifras o más) y pulse OK.
staff-pin-ok = OK
staff-pin-delete = Borrar
staff-pin-checking = Comprobando…
staff-pin-wrong = PIN incorrecto. Quedan { $left } intentos.
staff-pin-locked = Demasiados PIN incorrectos, inténtelo de nuevo en { $minutes ->
        [one] { $minutes } minuto
       *[other] { $minutes } minutos
    }.
staff-pin-unavailable = No se pueden leer las cuentas del personal. Avise al técnico.

## Mostrador
staff-signed-in = Sesión de { $name }
staff-lookup-label = Referencia o recibo escaneado
staff-lookup = Buscar
staff-lookup-result = Resultado
staff-checking = Buscando…
staff-not-found = No hay ninguna solicitud con esta referencia en este quiosco
staff-reference = Referencia
staff-service = Servicio
staff-local-status = En el quiosco
staff-remote-status = En el ayuntamiento
staff-remote-none = Aún sin noticias
staff-remote-open = Abierta
staff-remote-closed = Cerrada
staff-remote-id = Número del ayuntamiento
staff-reason = Motivo
staff-assisted-by = Con la ayuda de
staff-reprint = Reimprimir recibo
staff-health-title = Quiosco
staff-health-online = Ayuntamiento accesible
staff-health-portal = Página de acceso a la red
staff-health-last-sync = Último envío
staff-health-queue = Solicitudes
staff-health-counts = { $pending } en espera, { $review } por revisar, { $rejected } rechazadas
staff-health-paper = Papel
staff-health-cover = Tapa de la impresora
staff-paper-ok = Bien
staff-paper-low = Casi agotado
staff-paper-out = Agotado
staff-cover-open = Abierta
staff-cover-closed = Cerrada
staff-yes = Sí
staff-no = No
staff-never = Nunca
staff-unknown = Desconocido
staff-send-now = Enviar ahora
staff-open-lists = Por revisar: { $count }
staff-help-count = Peticiones de ayuda: { $count }
staff-help-visitor = Ayudar a un visitante
staff-practice = Modo práctica
staff-lock = Bloquear
timeout-staff-body = { $seconds ->
    [one] El mostrador del personal se bloqueará en { $seconds } segundo.
   *[other] El mostrador del personal se bloqueará en { $seconds } segundos.
}
timeout-lock = Bloquear ahora
timeout-pin-body = { $seconds ->
    [one] El teclado del PIN se cerrará en { $seconds } segundo.
   *[other] El teclado del PIN se cerrará en { $seconds } segundos.
}
timeout-close = Cerrar ahora
staff-end-visit = Terminar
tool-end-visit = Terminar: volver al mostrador
staff-state-pending = En espera de envío
staff-state-sending = Enviada, respuesta aún desconocida
staff-state-review = Por revisar
staff-state-accepted = En el ayuntamiento
staff-state-rejected = Rechazada por el ayuntamiento
staff-state-cancelled = Cancelada
staff-state-practice = Práctica (nunca se envía)
staff-done-reprint = Recibo enviado a la impresora.
staff-done-send-now = Enviando ahora.
staff-done-resolved = Se enviará de nuevo.
staff-done-refiled = Reclasificada: se enviará con el nuevo servicio.
staff-done-refile-needs-answers = No reclasificada: ese servicio hace preguntas que esta solicitud no respondió. El técnico puede reclasificarla con las respuestas (queue refile).
staff-done-cancelled = Solicitud cancelada. Sus datos se han borrado.
staff-done-help = Petición de ayuda atendida.
staff-done-failed = No ha funcionado. El registro técnico dice por qué.

## Listas
staff-help-title = Peticiones de ayuda
staff-help-none = Nadie espera ayuda.
staff-help-asked = Pedida a las { $when }
staff-help-done = Hecho
staff-lists-title = Por revisar y rechazadas
staff-lists-none = Nada que revisar.
staff-item-detail = { $reason } (guardada { $when })
staff-reason-undecided = El quiosco no sabe si el ayuntamiento la recibió
staff-reason-unverified = Una solicitud en el servidor del ayuntamiento lleva esta referencia sin la comprobación de este quiosco
staff-reason-review = Su envío necesita una decisión
staff-reason-refused = El servidor del ayuntamiento la rechazó
staff-reason-not-sent = El quiosco no pudo enviarla
staff-item-technical = Detalle técnico: { $detail }
staff-resolve = Enviar de nuevo
staff-refile = Reclasificar
staff-cancel = Cancelar solicitud
staff-cancel-title = ¿Cancelar esta solicitud?
staff-cancel-body = Nunca se enviará y los datos del visitante se borran. La referencia queda en el registro.
staff-cancel-keep = No, mantenerla
staff-cancel-yes = Sí, cancelarla
staff-refile-title = Reclasificar
staff-refile-hint = Elija el servicio con el que enviarla.

staff-no-council = Ningún ayuntamiento configurado (demostración)
staff-health-printer = Impresora
staff-no-printer = Ninguna impresora configurada
confirm-practice-title = Solo práctica: no se ha enviado nada
staff-resolve-sent = Llegó al ayuntamiento
staff-sent-title = Llegó al ayuntamiento:
staff-sent-hint = Escriba el número que el ayuntamiento dio a esta solicitud en su propio sistema y luego Guardar.
staff-sent-field = Número del ayuntamiento
staff-sent-save = Guardar
staff-sent-missing = Escriba primero el número del ayuntamiento (letras y cifras).
staff-done-resolved-sent = Guardado: el ayuntamiento la tiene con ese número.

refile-banner = Reclasificando { $reference }: las preguntas del nuevo servicio
refile-banner-short = Reclasificando { $reference }
