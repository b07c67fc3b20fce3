# El espacio seguro de los solicitantes (Espace usager), en español sencillo. Frases cortas, sin jerga.
portal-name = Mi espacio de asilo
office-name = Oficina de Protección de Refugiados y Apátridas
skip-to-content = Ir al contenido
language-menu = Idioma
security-link = Seguridad
sign-out = Cerrar sesión
footer-privacy = Su expediente es confidencial. Solo pueden leerlo los funcionarios de la Oficina que lo tramitan. Cada consulta queda registrada.
back-home = Volver a mi espacio
back-sign-in = Volver al inicio de sesión

sign-in-title = Entrar a mi espacio
sign-in-intro = Aquí puede seguir su solicitud de asilo y leer las cartas que le envía la Oficina.
field-case-number = Número de expediente
hint-case-number = Aparece en su comprobante de registro, por ejemplo 2026-0001234.
field-password = Contraseña
sign-in-button = Entrar
first-time-title = ¿Es la primera vez que entra?
first-time-text = Use el código de activación impreso en su comprobante de registro para crear su contraseña.
activate-link = Activar mi espacio
forgotten-title = ¿Olvidó su contraseña?
forgotten-text = Vaya a la recepción de la Oficina con su comprobante de registro o su documento de identidad. Le darán un nuevo código de activación. Nadie de la Oficina le pedirá nunca su contraseña.

activate-title = Activar mi espacio
activate-intro = Escriba su número de expediente y el código de activación de su comprobante; luego elija una contraseña. El código solo sirve una vez.
field-code = Código de activación
hint-code = 16 letras y números, por ejemplo ABCD-EFGH-JKLM-NPQR.
field-new-password = Elija una contraseña
hint-password = { $count ->
    [one] Al menos { $count } carácter. Una frase es fácil de recordar.
   *[other] Al menos { $count } caracteres. Una frase es fácil de recordar.
}
field-confirm = Escriba la contraseña otra vez
activate-button = Activar

verify-title = Confirme que es usted
verify-intro = Abra la aplicación de autenticación de su teléfono y escriba el código de 6 cifras que muestra para Nansen.
field-totp = Código de 6 cifras
verify-button = Confirmar

home-title = Mi solicitud de asilo
home-case = Número de expediente:
next-dates = Fechas importantes
documents-title = Mis documentos
documents-intro = Las cartas y decisiones que le envió la Oficina. Abra cada una: la fecha en que abre una decisión por primera vez cuenta para sus derechos.
documents-none = Todavía no tiene ningún documento.
document-available = Disponible desde el { $date }.
document-opened = Abierto por primera vez el { $date }.
document-new = Nuevo — todavía sin abrir
messages-title = Escribir a la Oficina
messages-intro = Avísenos de un cambio de dirección o envíe un documento (por ejemplo, un certificado médico). Lo verá el funcionario a cargo de su expediente.
field-message = Su mensaje
hint-message = En cualquier idioma. Como máximo 5000 caracteres.
field-files = { $count ->
    [one] Un documento (como máximo { $count })
   *[other] Documentos (como máximo { $count })
}
field-kind = ¿Qué es?
field-file = Archivo
hint-file = PDF, JPEG, PNG o TIFF, hasta 50 MB.
message-send = Enviar
message-sent = Su mensaje se envió a la Oficina.
messages-sent = Mensajes enviados
security-suggest = Proteja su espacio con un código de su teléfono

step-registered-title = Su solicitud está registrada
step-registered-text = La Oficina está revisando su expediente. Por ahora no tiene que hacer nada.
step-items-missing-title = Faltan documentos
step-items-missing-text = Su expediente está incompleto. Lea abajo la carta “solicitud de documentos faltantes” y envíe lo que falta lo antes posible.
step-waiting-for-interview-title = Su expediente está completo
step-waiting-for-interview-text = Un funcionario de la Oficina estudiará su solicitud. Recibirá una carta de citación a una entrevista.
step-interview-scheduled-title = Su entrevista está programada
step-interview-scheduled-text = Lea abajo su citación: indica la fecha, el lugar y lo que debe llevar. Habrá un intérprete si lo necesita.
step-under-examination-title = Su solicitud está en estudio
step-under-examination-text = La Oficina está preparando su decisión. La encontrará aquí en cuanto esté firmada.
step-decision-available-title = La decisión sobre su solicitud ya está disponible
step-decision-available-text = Abra la decisión abajo. Se considera notificada el día en que usted la abre por primera vez, o 15 días después de publicarse aquí si no la abre.
step-decision-notified-title = Usted ya recibió la decisión
step-decision-notified-text = Si no está de acuerdo con un rechazo, puede presentar un recurso ante la Corte Nacional del Derecho de Asilo (CNDA) dentro del plazo indicado abajo. Puede pedir asistencia jurídica gratuita.
step-appealed-title = Su recurso está ante la Corte
step-appealed-text = La Corte Nacional del Derecho de Asilo se comunicará directamente con usted.
step-court-rejected-title = La Corte rechazó su recurso
step-court-rejected-text = La Corte Nacional del Derecho de Asilo confirmó la decisión de la Oficina. La Corte le envía su propia decisión.
step-protected-by-court-title = La Corte le concedió protección
step-protected-by-court-text = La Corte Nacional del Derecho de Asilo le concedió protección. La Oficina se pondrá en contacto con usted para sus documentos.
step-sent-back-title = La Corte devolvió su solicitud a la Oficina
step-sent-back-text = La Corte Nacional del Derecho de Asilo anuló la decisión. La Oficina examina de nuevo su solicitud; puede ser convocado a una nueva entrevista.
step-finished-title = El procedimiento terminó
step-finished-text = Sus documentos siguen disponibles aquí.
step-closed-title = Su expediente está cerrado
step-closed-text = Si quiere continuar con su solicitud, comuníquese pronto con la Oficina: un expediente cerrado solo puede reabrirse durante un tiempo limitado.

milestone-interview = Entrevista: { $date }
milestone-decision-expected = Decisión esperada a más tardar el: { $date }
milestone-open-decision-by = Abra su decisión antes del: { $date }
milestone-appeal-by = Último día para presentar un recurso: { $date }
milestone-hearing = Audiencia en la Corte: { $date }

doc-kind-application-form = Formulario de solicitud
doc-kind-photograph = Fotografías
doc-kind-residence-document = Documento de residencia
doc-kind-account-of-reasons = Su relato
doc-kind-identity-document = Documento de identidad
doc-kind-civil-status = Acta de estado civil
doc-kind-medical-certificate = Certificado médico
doc-kind-evidence = Prueba
doc-kind-correspondence = Carta o cambio de dirección
doc-kind-receipt = Comprobante de registro
doc-kind-missing-items-request = Solicitud de documentos faltantes
doc-kind-convocation = Citación a la entrevista
doc-kind-decision = Decisión sobre su solicitud
doc-kind-other = Otro documento

security-title = Seguridad de mi espacio
security-intro = Puede añadir una segunda protección: después de su contraseña, un código de una aplicación de su teléfono (por ejemplo, FreeOTP o Google Authenticator).
totp-is-on = La protección con código del teléfono está activada.
totp-is-off = La protección con código del teléfono está desactivada.
totp-turn-on = Activar el código del teléfono
totp-turn-off = Desactivar el código del teléfono
totp-step-scan = En la aplicación de su teléfono, escanee esta imagen o escriba la clave secreta.
totp-step-type = Escriba el código de 6 cifras que muestra la aplicación.
totp-qr = Imagen para escanear con la aplicación de autenticación
totp-secret = Clave secreta:
totp-confirm = Confirmar
totp-on = Listo: cada vez que entre a su espacio, se le pedirá un código de su teléfono.
totp-off = La protección con código del teléfono está desactivada.

date-long = { $day } de { $month } de { $year }
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

error-title-400 = No se pudo usar el formulario
error-title-401 = Entre a su espacio
error-title-404 = No encontrado
error-title-413 = Demasiado grande
error-title-422 = Revise el formulario
error-title-429 = Demasiados intentos
error-title-500 = Algo salió mal
error-generic = Algo salió mal. No se cambió nada. Vuelva a intentarlo más tarde.
error-bad_credentials = El número de expediente o la contraseña no son correctos.
error-locked = Demasiados intentos. Por su seguridad, espere 15 minutos antes de volver a intentarlo.
error-not_found = Esta página o este documento no existe.
error-unauthenticated = Vuelva a entrar a su espacio.
error-bad_request = El formulario venció. Vuelva a cargar la página e inténtelo de nuevo.
error-case_number = Escriba su número de expediente como aparece en su comprobante, por ejemplo 2026-0001234.
error-code_required = Escriba el código de activación de su comprobante de registro.
error-code_wrong = Este código no es correcto, ya se usó o venció. Revíselo o pida uno nuevo a la Oficina.
error-password_length = Elija una contraseña de al menos 10 caracteres.
error-password_weak = Elija una contraseña que no contenga su número de expediente.
error-passwords_differ = Las dos contraseñas no son iguales.
error-password_wrong = La contraseña no es correcta.
error-totp_wrong = Este código no es correcto. Escriba el código que muestra ahora su teléfono.
error-too_many_files = Puede enviar como máximo 5 documentos con cada mensaje.
error-field-text = Escriba un mensaje o añada un documento (como máximo 5000 caracteres).
error-field-file = Este archivo no se puede enviar. Elija otro.
error-upload_empty = El archivo está vacío.
error-upload_too_large = El archivo es demasiado grande (máximo 50 MB).
error-upload_unknown_type = Envíe un archivo PDF, JPEG, PNG o TIFF.
error-upload_encrypted = El PDF está protegido con contraseña. Envíe una copia sin contraseña o una foto.
error-upload_malformed = El archivo está dañado o incompleto.
error-upload_too_many_pages = El archivo tiene demasiadas páginas.
error-upload_image_too_large = La imagen es demasiado grande. Vuelva a tomar la foto con una resolución menor.
error-upload_unreadable = No se puede leer el archivo.
error-upload_active_content = Este PDF contiene scripts u otro contenido activo, que no podemos aceptar. Ábralo, elija «Imprimir» y luego «Guardar como PDF» (o «Microsoft Print to PDF»), y envíe el nuevo archivo. Una foto del papel también sirve.

## Civil status
doc-kind-fgm-certificate = Certificado médico
doc-kind-certified-copy = Copia certificada de un acta del estado civil
civil-acts-title = Sus actas del estado civil
civil-acts-intro = La oficina redactó estas actas, que sustituyen a las del registro civil de su país de origen. Pida una copia certificada: llega enseguida a sus documentos, con un código QR que cualquiera puede comprobar.
civil-act-birth = Acta de nacimiento
civil-act-marriage = Acta de matrimonio
civil-act-death = Acta de defunción
civil-request-copy = Pedir una copia certificada
civil-copy-sent = La copia certificada está en sus documentos.

## Fin de la protección
doc-kind-ending-letter = Carta sobre su protección
doc-kind-ending-decision = Decisión sobre su protección
ending-ground-label = El motivo que indica la oficina:
ending-ground-cessation = las circunstancias por las que fue protegido(a) han cesado (cesación)
ending-ground-fraud = la protección se habría obtenido mediante fraude (retirada)
ending-ground-exclusion = se le aplicaría una cláusula de exclusión (retirada)
ending-ground-threat = su presencia constituiría una amenaza grave para el Estado o la sociedad (retirada)
ending-ground-renunciation = usted declaró renunciar a su protección (renuncia)
ending-awaiting-title = La oficina considera poner fin a su protección
ending-awaiting-text = Lea la carta en sus documentos. Tiene derecho a ser oído(a): puede responder abajo, en su idioma, hasta el { $date }. Puede recibir la ayuda de un abogado o de una persona de su elección.
ending-heard-title = La oficina está examinando su protección
ending-heard-text = El plazo para responder ha terminado o su respuesta ha sido recibida. La oficina enviará su decisión a este espacio.
ending-ended-title = Su protección ha terminado
ending-ended-text = La oficina decidió el { $date } poner fin a su protección. Lea la decisión en sus documentos: indica por qué y cómo recurrir ante la Corte Nacional del Derecho de Asilo en el plazo de un mes.
ending-maintained-title = Su protección se mantiene
ending-maintained-text = La oficina decidió el { $date } mantener su protección. Lea la decisión en sus documentos.
ending-answer-field = Su respuesta a la oficina
ending-answer-send = Enviar mi respuesta
ending-answer-sent = Su respuesta fue enviada a la oficina.
ending-answer-error = Escriba su respuesta (20 000 caracteres como máximo).
doc-kind-fgm-letter = Carta sobre el examen médico de su hija
doc-kind-family-book = Libro de familia

# Los motivos de una propuesta de orientación regional

# Las cartas de la agencia de acogida al hogar
reception-letters-title = Cartas de la agencia de acogida
reception-letters-intro = La agencia que gestiona su alojamiento y su subsidio le escribe por separado de la Oficina de asilo. Cada carta está en francés, seguida de una traducción cuando su idioma lo permite.
reception-letter-offer-refusal = Rechazo de las condiciones materiales de acogida
reception-letter-orientation-proposal = Propuesta de alojamiento en otra región
reception-letter-contest-decision = Decisión sobre su impugnación de la propuesta
reception-letter-conditions-ending-notice = Aviso previo a la retirada de sus condiciones de acogida
reception-letter-conditions-ending-decision = Decisión sobre sus condiciones de acogida

# Notices (/portal/notices)
notices-link = Avisos
notices-title = Recibir un aviso de un nuevo documento
notices-intro = Cuando se deposita un documento en su espacio, podemos avisarle por correo electrónico o por SMS. El mensaje solo dice que un documento le espera, nunca lo que contiene: para leerlo, inicie sesión aquí.
field-email = Correo electrónico
field-email-hint = (opcional, por ejemplo nombre@ejemplo.es)
field-mobile = Número de teléfono móvil
field-mobile-hint = (opcional, con el prefijo del país, por ejemplo +33 6 12 34 56 78)
notices-channels = Avisarme
notices-by-email = por correo electrónico
notices-by-sms = por SMS
notices-save = Guardar
notices-saved = Sus opciones se han guardado.
notices-sent-title = Últimos avisos enviados
notices-none = Todavía no se ha enviado ningún aviso.
notice-channel-email = correo electrónico
notice-channel-sms = SMS
notice-sent = enviado
notice-pending = enviándose
notice-undelivered = no se pudo entregar
error-email_invalid = Este correo electrónico no es válido. Ejemplo: nombre@ejemplo.es
error-mobile_invalid = Este número no es válido. Escríbalo con el prefijo del país, por ejemplo +33 6 12 34 56 78.
doc-kind-interview-recording = Grabación de la entrevista
