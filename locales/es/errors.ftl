error-required = Responda a esta pregunta para continuar.
error-too-long = { $max ->
    [one] Use { $max } carácter como máximo.
   *[other] Use { $max } caracteres como máximo.
}
error-control-characters = Esto contiene caracteres que no se pueden enviar. Escríbalo de nuevo, por favor.
error-not-a-number = Escriba un número, por ejemplo 3 o 2,5.
error-whole-between = Escriba un número entero del { $min } al { $max }.
error-whole-number = Escriba un número entero, por ejemplo 3.
error-number-between = Escriba un número del { $min } al { $max }.
error-number-at-most = Escriba un número que no pase de { $max }.
error-number-out-of-range = Este número es demasiado grande. Revíselo e inténtelo de nuevo.
error-not-a-datetime = Elija una fecha y una hora que existan.
error-choice = Elija una de las opciones que se muestran.
error-unknown = Algo ha fallado con esta pregunta. Pida ayuda a un miembro del personal.
error-location-missing = Indique dónde está el problema, por ejemplo una calle y un número.
error-bad-coordinate = La posición en el mapa no es válida.
error-bad-email = Escriba un correo electrónico como nombre@ejemplo.es, o déjelo vacío.
error-bad-phone = Escriba un número de teléfono con cifras, o déjelo vacío.
error-disk-full = Su solicitud no se ha podido guardar en este quiosco. No se ha enviado nada. Pida ayuda a un miembro del personal.
error-store-unavailable = Este quiosco no puede guardar solicitudes en este momento. No se ha enviado nada. Pida ayuda a un miembro del personal.
error-save-failed = Algo ha fallado y su solicitud no se ha guardado. No se ha enviado nada. Inténtelo de nuevo o pida ayuda a un miembro del personal.
