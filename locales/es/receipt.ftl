# Recibo impreso. Sin datos personales: solo el servicio, la hora y la referencia.
receipt-copy = COPIA
receipt-practice = PRÁCTICA
receipt-practice-note = Solo práctica: no se ha enviado al ayuntamiento.
receipt-service = Servicio: { $service }
receipt-date = Fecha: { $datetime }
receipt-scan-status = Escanee el código para seguir su solicitud en línea.
receipt-scan-reference = El código contiene su referencia.
receipt-timescale = { $days ->
    [one] El ayuntamiento procura atender su solicitud en un día hábil.
   *[other] El ayuntamiento procura atender su solicitud en un plazo de { $days } días hábiles.
}
receipt-help-hours = Horario de atención: { $hours }
receipt-assisted-by = Con la ayuda de { $name }
receipt-keep = Conserve este recibo.
receipt-test-heading = Página de prueba de la impresora
receipt-test-ok = Si puede leer esto y escanear el código de abajo, la impresora funciona.
