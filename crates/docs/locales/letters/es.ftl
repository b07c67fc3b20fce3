# Las traducciones de las cartas de la Agencia de acogida (español), integradas en el programa
# (nansen-docs, `print::Translations`). Todos los archivos de esta carpeta tienen las mismas claves (lo
# comprueba una prueba). Un párrafo por mensaje: `<carta>-1`, `-2`… en orden, sin huecos; el último
# recuerda que solo el texto francés tiene valor legal. Las fechas y los nombres vienen tal como los
# imprime la carta en francés.

translation-note = Esta traducción se le entrega para ayudarle a comprender; solo el texto en francés tiene valor legal.

# Rechazo de las condiciones materiales de acogida (argumentos: signed_on).
offer-refusal-1 = El { $signed_on }, usted rechazó la oferta de condiciones materiales de acogida que le hizo la Agencia, es decir, el alojamiento y el subsidio para solicitantes de asilo (ADA), y firmó ese rechazo.
offer-refusal-2 = Por lo tanto, la Agencia no le propondrá alojamiento ni le pagará el subsidio diario. Así lo establece la ley (artículo L.551-15 del Código de entrada y estancia de extranjeros y del derecho de asilo, CESEDA).
offer-refusal-3 = Este rechazo no afecta a su solicitud de asilo: se sigue examinando.
offer-refusal-4 = Si su situación cambia, puede volver a la oficina regional de la Agencia y pedir de nuevo las condiciones materiales de acogida. La Agencia examinará su solicitud y le comunicará su decisión.
offer-refusal-5 = Puede impugnar la denegación de las condiciones materiales de acogida ante el tribunal administrativo.
offer-refusal-6 = { translation-note }

# Propuesta de orientación (argumentos: structure, place, persons, contest_by, reach_by). Los motivos
# (orientation-reason-*) se insertan después del párrafo 1, que los anuncia.
orientation-proposal-1 = Su región acoge a más solicitantes de asilo que la cuota que le corresponde según el plan nacional de acogida. Por eso, la Agencia propone a su hogar ({ $persons } personas) una plaza en { $structure }, { $place }, en otra región, donde deberá vivir mientras se examina su solicitud de asilo (artículo L.551-3). Por qué esta plaza:
orientation-proposal-2 = Si no está de acuerdo, puede impugnar esta propuesta por escrito hasta el { $contest_by }, en la oficina regional de la Agencia o a través de su espacio seguro. Explique por qué esta plaza no se adapta a su situación.
orientation-proposal-3 = Debe llegar a la plaza a más tardar el { $reach_by } (en un plazo de 5 días, artículo R.551-3). La oficina regional de la Agencia le indicará cómo viajar hasta allí.
orientation-proposal-4 = Si rechaza esta plaza o no acude a ella, la Agencia puede poner fin a sus condiciones materiales de acogida (alojamiento y subsidio). Antes de cualquier decisión, la Agencia le escribirá y usted podrá enviar sus observaciones.
orientation-proposal-5 = { translation-note }

# Los motivos de una propuesta de orientación, en el idioma del hogar. Donde los archivos de
# crates/web/locales tienen también estas claves, las palabras son las mismas (lo comprueba una prueba).
orientation-reason-region-above-share = Su región de registro ({ $region }) recibe el { $demand } % de las personas que esperan una plaza, por encima de su cuota del { $share } % según el plan nacional.
orientation-reason-together = La plaza acoge a todo su hogar junto ({ $persons } personas).
orientation-reason-vulnerable = Su vulnerabilidad le da prioridad.
orientation-reason-hospital-nearby = Hay cerca un hospital que ofrece el seguimiento médico que usted necesita.
orientation-reason-school = Sus hijos podrán ir a la escuela allí.
orientation-reason-accessible = La plaza es accesible para una persona con movilidad reducida.
orientation-reason-distance = La plaza está a { $km } km del lugar donde la oficina de asilo realiza las entrevistas.
orientation-reason-region-below-share = La región { $region } aún no ha recibido su cuota de personas orientadas.

# Los motivos para poner fin a las condiciones materiales de acogida (argumento `ground` de los mensajes siguientes).
conditions-ground-refused-orientation = rechazo de la orientación propuesta
conditions-ground-did-not-reach = no presentarse en el lugar de alojamiento en un plazo de 5 días

# Información previa (argumentos: ground, observations_by).
conditions-ending-notice-1 = La Agencia está considerando poner fin a sus condiciones materiales de acogida (alojamiento y subsidio para solicitantes de asilo) por el siguiente motivo: { $ground } (artículo L.551-16).
conditions-ending-notice-2 = Antes de cualquier decisión, puede enviar sus observaciones por escrito hasta el { $observations_by } (plazo de 15 días, artículo D.551-17), a la oficina regional de la Agencia o a través de su espacio seguro. Explique su situación: su salud, su familia, todo lo que le hace vulnerable y por qué rechazó la plaza o no pudo ir a ella. Adjunte cualquier documento útil.
conditions-ending-notice-3 = Puede ayudarle una persona de su elección (un abogado, una asociación, una persona de confianza).
conditions-ending-notice-4 = Esta carta todavía no es una decisión. La Agencia decidirá después de leer sus observaciones y le comunicará su decisión por escrito.
conditions-ending-notice-5 = { translation-note }

# Decisión: se pone fin a las condiciones (argumentos: ground, signed_on, court_by).
conditions-ending-decision-ended-1 = Mediante una decisión del { $signed_on }, la Agencia ha puesto fin a sus condiciones materiales de acogida: el alojamiento y el subsidio para solicitantes de asilo (ADA). Motivo: { $ground }.
conditions-ending-decision-ended-2 = Los motivos de la decisión figuran arriba, en francés, y explican cómo se han tenido en cuenta su situación y su vulnerabilidad. Un intérprete de la oficina regional de la Agencia puede explicárselos en su idioma.
conditions-ending-decision-ended-3 = Puede impugnar esta decisión ante el tribunal administrativo hasta el { $court_by } (plazo de 7 días, artículo L.555-1). Puede solicitar asistencia jurídica gratuita y un abogado.
conditions-ending-decision-ended-4 = { translation-note }

# Decisión: se mantienen las condiciones (argumentos: ground, signed_on).
conditions-ending-decision-maintained-1 = Mediante una decisión del { $signed_on }, la Agencia ha mantenido sus condiciones materiales de acogida (alojamiento y subsidio para solicitantes de asilo). La Agencia había considerado ponerles fin por el siguiente motivo: { $ground }.
conditions-ending-decision-maintained-2 = Los motivos de la decisión figuran arriba, en francés. Un intérprete de la oficina regional de la Agencia puede explicárselos en su idioma.
conditions-ending-decision-maintained-3 = { translation-note }

# La decisión sobre la impugnación de una propuesta
contest-decision-upheld-1 = El { $contested_on } usted impugnó el alojamiento que se le proponía en { $structure }, { $place }. La Agencia acepta su impugnación: la propuesta queda retirada.
contest-decision-upheld-2 = Usted sigue entre los hogares que esperan un alojamiento; se le podrá hacer una nueva propuesta. Los motivos de la decisión figuran en francés más arriba.
contest-decision-upheld-3 = { translation-note }
contest-decision-rejected-1 = El { $contested_on } usted impugnó el alojamiento que se le proponía en { $structure }, { $place }. La Agencia rechaza su impugnación: la plaza se mantiene.
contest-decision-rejected-2 = Debe llegar a ese lugar a más tardar el { $reach_by }. Si lo rechaza o no acude a tiempo, la Agencia puede iniciar el procedimiento que puede poner fin a su alojamiento y a su subsidio; entonces podría presentar observaciones por escrito.
contest-decision-rejected-3 = Los motivos de la decisión figuran en francés más arriba. Un intérprete de la dirección territorial de la Agencia puede explicárselos en su idioma.
contest-decision-rejected-4 = { translation-note }

# Las cartas de la Oficina (issue 18): la solicitud de documentos faltantes (reply_by), la citación (date, place), el sentido de la decisión (signed_on); los documentos mismos siguen al párrafo 1, en francés.
missing-items-1 = Para examinar su solicitud de asilo, la Oficina necesita los siguientes documentos, que no figuran en su expediente (se indican en francés):
missing-items-2 = Envíelos a más tardar el { $reply_by }, a través de su espacio seguro o por correo postal a la dirección que figura arriba, mencionando su número de expediente.
missing-items-3 = Si no puede aportar alguno de estos documentos, explique por escrito el motivo antes de esa fecha. La falta de un documento no conlleva por sí sola el rechazo de su solicitud.
missing-items-4 = { translation-note }
convocation-1 = Se le cita a una entrevista personal con un oficial de protección de la Oficina sobre su solicitud de asilo, el { $date }. Lugar o enlace: { $place }.
convocation-2 = Preséntese 30 minutos antes (15 minutos si la entrevista es por videoconferencia) con esta carta, su certificado de solicitud de asilo, sus documentos de identidad o de viaje si los tiene (originales) y cualquier documento que respalde su solicitud.
convocation-3 = Si la carta menciona un intérprete, la Oficina se lo proporciona; el intérprete está sujeto a un código de conducta. Puede venir acompañado(a) de un abogado o de un representante de una asociación autorizada. La entrevista se graba.
convocation-4 = Si no se presenta sin un motivo legítimo, la Oficina podrá cerrar el examen de su solicitud. Si no puede venir, avise a la Oficina de inmediato y envíe un justificante.
convocation-5 = { translation-note }
decision-refugee-1 = Mediante una decisión firmada el { $signed_on }, la Oficina le ha reconocido la condición de refugiado.
decision-subsidiary-1 = Mediante una decisión firmada el { $signed_on }, la Oficina le ha concedido la protección subsidiaria.
decision-stateless-1 = Mediante una decisión firmada el { $signed_on }, la Oficina le ha reconocido la condición de apátrida.
decision-rejection-1 = Mediante una decisión firmada el { $signed_on }, la Oficina ha rechazado su solicitud de asilo.
decision-inadmissible-1 = Mediante una decisión firmada el { $signed_on }, la Oficina ha declarado inadmisible su solicitud.
decision-closure-1 = Mediante una decisión firmada el { $signed_on }, la Oficina ha cerrado el examen de su solicitud.
decision-granted-1 = La prefectura le expedirá su permiso de residencia. La Oficina elaborará sus documentos de estado civil; puede seguir este trámite en su espacio seguro.
decision-granted-2 = Los motivos de la decisión figuran arriba, en francés.
decision-granted-3 = { translation-note }
decision-appeal-1 = Los motivos de la decisión figuran arriba, en francés. La decisión se considera notificada el día en que usted la abra por primera vez en su espacio seguro, o 15 días después de que se haya puesto a su disposición allí.
decision-appeal-2 = Puede presentar un recurso ante la Corte Nacional del Derecho de Asilo (CNDA) en el plazo de un mes a partir de la notificación. El recurso debe estar redactado en francés, exponer sus motivos e ir acompañado de una copia de esta decisión; envíelo a la CNDA, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex.
decision-appeal-3 = Puede solicitar la asistencia jurídica gratuita para que le asista un abogado ante la Corte, en un plazo de 15 días a partir de la notificación; esta solicitud suspende el plazo para recurrir.
decision-appeal-4 = { translation-note }
closure-reopen-1 = Puede pedir a la Oficina que reabra el examen de su solicitud, una sola vez, en un plazo de nueve meses a partir de esta decisión; el examen se reanuda entonces en la etapa en que se detuvo. Pasado ese plazo, el cierre es definitivo y una nueva solicitud se examina como una solicitud de reexamen.
closure-reopen-2 = { translation-note }

# The notice that a document is waiting in the secure space (e-mail and SMS; argument: url). It never
# says what the document is or says: that stays behind sign-in.
notice-email-subject = Un documento le espera en su espacio seguro
notice-email-body = Hola, se ha depositado un nuevo documento en su espacio seguro (Espace usager). Para leerlo, inicie sesión en { $url } con su número de expediente y su contraseña. Este mensaje no contiene el documento. No responda a este mensaje.
notice-sms = Un nuevo documento le espera en su espacio seguro: { $url }
