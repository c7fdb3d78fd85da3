# Recibo impreso. Sin datos personales: solo el servicio, la hora y la referencia.
receipt-heading = Solicitud recibida
receipt-copy = COPIA
receipt-service = Servicio: { $service }
receipt-date = Fecha: { $datetime }
receipt-reference = Su referencia
receipt-scan-status = Escanee el código para seguir su solicitud en línea.
receipt-scan-reference = El código contiene su referencia.
receipt-next = Qué pasa ahora: el ayuntamiento revisará su solicitud y se ocupará de ella. Indique su referencia si se pone en contacto con nosotros.
receipt-contact = Preguntas: { $contact }
receipt-assisted-by = Con la ayuda de { $name }
receipt-keep = Conserve este recibo.
receipt-test-heading = Página de prueba de la impresora
receipt-test-ok = Si puede leer esto y escanear el código de abajo, la impresora funciona.
