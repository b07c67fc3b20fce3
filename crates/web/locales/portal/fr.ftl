# L'espace usager des demandeurs, en français simple. Phrases courtes, sans jargon administratif.
portal-name = Mon espace asile
office-name = Office de protection des réfugiés et apatrides
skip-to-content = Aller au contenu
language-menu = Langue
security-link = Sécurité
sign-out = Se déconnecter
footer-privacy = Votre dossier est confidentiel. Seuls les agents de l'Office qui le traitent peuvent le lire. Chaque consultation est enregistrée.
back-home = Retour à mon espace
back-sign-in = Retour à la connexion

sign-in-title = Me connecter à mon espace
sign-in-intro = Ici, vous pouvez suivre votre demande d'asile et lire les courriers que l'Office vous envoie.
field-case-number = Numéro de dossier
hint-case-number = Il figure sur votre accusé d'enregistrement, par exemple 2026-0001234.
field-password = Mot de passe
sign-in-button = Me connecter
first-time-title = C'est votre première visite ?
first-time-text = Utilisez le code d'activation imprimé sur votre accusé d'enregistrement pour créer votre mot de passe.
activate-link = Activer mon espace
forgotten-title = Mot de passe oublié ?
forgotten-text = Présentez-vous à l'accueil de l'Office avec votre accusé d'enregistrement ou un document d'identité. Vous recevrez un nouveau code d'activation. L'Office ne vous demandera jamais votre mot de passe.

activate-title = Activer mon espace
activate-intro = Saisissez votre numéro de dossier et le code d'activation de votre accusé d'enregistrement, puis choisissez un mot de passe. Le code ne sert qu'une fois.
field-code = Code d'activation
hint-code = 16 lettres et chiffres, par exemple ABCD-EFGH-JKLM-NPQR.
field-new-password = Choisissez un mot de passe
hint-password = { $count ->
    [one] Au moins { $count } caractère. Une phrase se retient facilement.
   *[other] Au moins { $count } caractères. Une phrase se retient facilement.
}
field-confirm = Saisissez à nouveau le mot de passe
activate-button = Activer

verify-title = Confirmez que c'est bien vous
verify-intro = Ouvrez l'application d'authentification de votre téléphone et saisissez le code à 6 chiffres affiché pour Nansen.
field-totp = Code à 6 chiffres
verify-button = Confirmer

home-title = Ma demande d'asile
home-case = Numéro de dossier :
next-dates = Dates à retenir
documents-title = Mes documents
documents-intro = Les courriers et décisions que l'Office vous a envoyés. Ouvrez chacun d'eux : la date à laquelle vous ouvrez une décision pour la première fois compte pour vos droits.
documents-none = Vous n'avez pas encore de document.
document-available = Disponible depuis le { $date }.
document-opened = Ouvert pour la première fois le { $date }.
document-new = Nouveau — pas encore ouvert
messages-title = Écrire à l'Office
messages-intro = Signalez un changement d'adresse ou envoyez un document (par exemple un certificat médical). L'agent chargé de votre dossier le verra.
field-message = Votre message
hint-message = Dans la langue de votre choix. 5 000 caractères au plus.
field-files = { $count ->
    [one] Un document ({ $count } au plus)
   *[other] Un document ({ $count } au plus)
}
field-kind = De quoi s'agit-il ?
field-file = Fichier
hint-file = PDF, JPEG, PNG ou TIFF, 50 Mo au plus.
message-send = Envoyer
message-sent = Votre message a été transmis à l'Office.
messages-sent = Messages envoyés
security-suggest = Protégez votre espace avec un code de votre téléphone

step-registered-title = Votre demande est enregistrée
step-registered-text = L'Office vérifie votre dossier. Vous n'avez rien à faire pour le moment.
step-items-missing-title = Des pièces manquent
step-items-missing-text = Votre dossier est incomplet. Lisez le courrier « demande de pièces complémentaires » ci-dessous et envoyez ce qui manque le plus vite possible.
step-waiting-for-interview-title = Votre dossier est complet
step-waiting-for-interview-text = Un officier de protection va étudier votre demande. Vous recevrez une convocation à un entretien.
step-interview-scheduled-title = Votre entretien est prévu
step-interview-scheduled-text = Lisez votre convocation ci-dessous : elle indique la date, le lieu et ce qu'il faut apporter. Un interprète sera présent si vous en avez besoin.
step-under-examination-title = Votre demande est en cours d'examen
step-under-examination-text = L'Office prépare sa décision. Vous la trouverez ici dès qu'elle sera signée.
step-decision-available-title = La décision sur votre demande est disponible
step-decision-available-text = Ouvrez la décision ci-dessous. Elle est considérée comme reçue le jour où vous l'ouvrez pour la première fois, ou 15 jours après sa mise à disposition si vous ne l'ouvrez pas.
step-decision-notified-title = Vous avez reçu la décision
step-decision-notified-text = Si vous contestez un refus, vous pouvez faire un recours devant la Cour nationale du droit d'asile (CNDA) dans le délai ci-dessous. Vous pouvez demander l'aide juridictionnelle (gratuite).
step-appealed-title = Votre recours est devant la Cour
step-appealed-text = La Cour nationale du droit d'asile vous contactera directement.
step-court-rejected-title = La Cour a rejeté votre recours
step-court-rejected-text = La Cour nationale du droit d'asile a confirmé la décision de l'Office. La Cour vous envoie sa propre décision.
step-protected-by-court-title = La Cour vous a accordé une protection
step-protected-by-court-text = La Cour nationale du droit d'asile vous a accordé une protection. L'Office vous contactera pour vos documents.
step-sent-back-title = La Cour a renvoyé votre demande à l'Office
step-sent-back-text = La Cour nationale du droit d'asile a annulé la décision. L'Office examine de nouveau votre demande ; vous pourrez être convoqué à un nouvel entretien.
step-finished-title = La procédure est terminée
step-finished-text = Vos documents restent disponibles ici.
step-closed-title = Votre dossier est clos
step-closed-text = Si vous voulez poursuivre votre demande, contactez vite l'Office : un dossier clos peut être rouvert pendant un temps limité.

milestone-interview = Entretien : { $date }
milestone-decision-expected = Décision attendue au plus tard le : { $date }
milestone-open-decision-by = Ouvrez votre décision avant le : { $date }
milestone-appeal-by = Dernier jour pour faire un recours : { $date }
milestone-hearing = Audience à la Cour : { $date }

doc-kind-application-form = Formulaire de demande
doc-kind-photograph = Photographies
doc-kind-residence-document = Attestation ou titre de séjour
doc-kind-account-of-reasons = Votre récit
doc-kind-identity-document = Document d'identité
doc-kind-civil-status = Acte d'état civil
doc-kind-medical-certificate = Certificat médical
doc-kind-evidence = Preuve
doc-kind-correspondence = Courrier ou changement d'adresse
doc-kind-receipt = Accusé d'enregistrement
doc-kind-missing-items-request = Demande de pièces complémentaires
doc-kind-convocation = Convocation à l'entretien
doc-kind-decision = Décision sur votre demande
doc-kind-other = Autre document

security-title = Sécurité de mon espace
security-intro = Vous pouvez ajouter une seconde protection : après votre mot de passe, un code donné par une application de votre téléphone (par exemple FreeOTP ou Google Authenticator).
totp-is-on = La protection par code du téléphone est activée.
totp-is-off = La protection par code du téléphone n'est pas activée.
totp-turn-on = Activer le code du téléphone
totp-turn-off = Désactiver le code du téléphone
totp-step-scan = Dans l'application de votre téléphone, scannez cette image ou saisissez la clé secrète.
totp-step-type = Saisissez le code à 6 chiffres affiché par l'application.
totp-qr = Image à scanner avec l'application d'authentification
totp-secret = Clé secrète :
totp-confirm = Confirmer
totp-on = C'est fait : un code de votre téléphone vous sera demandé à chaque connexion.
totp-off = La protection par code du téléphone est désactivée.

date-long = { $day } { $month } { $year }
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

error-title-400 = Le formulaire n'a pas pu être utilisé
error-title-401 = Veuillez vous connecter
error-title-404 = Introuvable
error-title-413 = Trop volumineux
error-title-422 = Vérifiez le formulaire
error-title-429 = Trop de tentatives
error-title-500 = Un problème est survenu
error-generic = Un problème est survenu. Rien n'a été modifié. Réessayez plus tard.
error-bad_credentials = Le numéro de dossier ou le mot de passe n'est pas bon.
error-locked = Trop de tentatives. Pour votre sécurité, attendez 15 minutes avant de réessayer.
error-not_found = Cette page ou ce document n'existe pas.
error-unauthenticated = Veuillez vous connecter à nouveau.
error-bad_request = Le formulaire a expiré. Rechargez la page et recommencez.
error-case_number = Saisissez votre numéro de dossier comme sur votre accusé, par exemple 2026-0001234.
error-code_required = Saisissez le code d'activation de votre accusé d'enregistrement.
error-code_wrong = Ce code n'est pas bon, a déjà servi ou a expiré. Vérifiez-le ou demandez-en un nouveau à l'Office.
error-password_length = Choisissez un mot de passe d'au moins 10 caractères.
error-password_weak = Choisissez un mot de passe qui ne contient pas votre numéro de dossier.
error-passwords_differ = Les deux mots de passe ne sont pas identiques.
error-password_wrong = Le mot de passe n'est pas bon.
error-totp_wrong = Ce code n'est pas bon. Saisissez le code affiché maintenant par votre téléphone.
error-too_many_files = Vous pouvez envoyer 5 documents au plus avec un message.
error-field-text = Écrivez un message ou ajoutez un document (5 000 caractères au plus).
error-field-file = Ce fichier ne peut pas être envoyé. Choisissez-en un autre.
error-upload_empty = Le fichier est vide.
error-upload_too_large = Le fichier est trop volumineux (50 Mo au plus).
error-upload_unknown_type = Envoyez un fichier PDF, JPEG, PNG ou TIFF.
error-upload_encrypted = Le PDF est protégé par un mot de passe. Envoyez une copie sans mot de passe ou une photo.
error-upload_malformed = Le fichier est abîmé ou incomplet.
error-upload_too_many_pages = Le fichier a trop de pages.
error-upload_image_too_large = L'image est trop grande. Reprenez la photo avec une résolution plus faible.
error-upload_unreadable = Le fichier ne peut pas être lu.
error-upload_active_content = Ce PDF contient des scripts ou un autre contenu actif, que nous ne pouvons pas accepter. Ouvrez-le, choisissez « Imprimer » puis « Enregistrer au format PDF » (ou « Microsoft Print to PDF »), et envoyez le nouveau fichier. Une photo du papier convient aussi.

## Civil status
doc-kind-fgm-certificate = Certificat médical
doc-kind-certified-copy = Copie intégrale d'un acte d'état civil
civil-acts-title = Vos actes d'état civil
civil-acts-intro = L'office a établi ces actes, qui tiennent lieu des actes d'état civil de votre pays d'origine. Demandez une copie intégrale : elle arrive aussitôt dans vos documents, avec un code QR que chacun peut vérifier.
civil-act-birth = Acte de naissance
civil-act-marriage = Acte de mariage
civil-act-death = Acte de décès
civil-request-copy = Demander une copie intégrale
civil-copy-sent = La copie intégrale est dans vos documents.

## Fin de protection
doc-kind-ending-letter = Courrier au sujet de votre protection
doc-kind-ending-decision = Décision au sujet de votre protection
ending-ground-label = Le motif indiqué par l'office :
ending-ground-cessation = les circonstances pour lesquelles vous avez été protégé(e) ont cessé (cessation)
ending-ground-fraud = la protection aurait été obtenue par fraude (retrait)
ending-ground-exclusion = une clause d'exclusion s'appliquerait à vous (retrait)
ending-ground-threat = votre présence constituerait une menace grave pour l'État ou la société (retrait)
ending-ground-renunciation = vous avez déclaré renoncer à votre protection (renonciation)
ending-awaiting-title = L'office envisage de mettre fin à votre protection
ending-awaiting-text = Lisez le courrier dans vos documents. Vous avez le droit d'être entendu(e) : vous pouvez répondre ci-dessous, dans votre langue, jusqu'au { $date }. Vous pouvez être aidé(e) par un avocat ou une personne de votre choix.
ending-heard-title = L'office examine votre protection
ending-heard-text = Le délai pour répondre est passé ou votre réponse a été reçue. L'office enverra sa décision dans cet espace.
ending-ended-title = Votre protection a pris fin
ending-ended-text = L'office a décidé le { $date } de mettre fin à votre protection. Lisez la décision dans vos documents : elle indique pourquoi et comment faire un recours devant la Cour nationale du droit d'asile dans un délai d'un mois.
ending-maintained-title = Votre protection est maintenue
ending-maintained-text = L'office a décidé le { $date } de maintenir votre protection. Lisez la décision dans vos documents.
ending-answer-field = Votre réponse à l'office
ending-answer-send = Envoyer ma réponse
ending-answer-sent = Votre réponse a été envoyée à l'office.
ending-answer-error = Écrivez votre réponse (20 000 caractères au plus).
doc-kind-fgm-letter = Courrier au sujet de l'examen médical de votre enfant
doc-kind-family-book = Livret de famille


# Les courriers de l'agence d'accueil au ménage
reception-letters-title = Courriers de l'agence d'accueil
reception-letters-intro = L'agence qui gère votre hébergement et votre allocation vous écrit séparément de l'Office. Chaque courrier est en français, suivi d'une traduction lorsque votre langue le permet.
reception-letter-offer-refusal = Refus des conditions matérielles d'accueil
reception-letter-orientation-proposal = Proposition d'hébergement dans une autre région
reception-letter-contest-decision = Décision sur votre contestation de la proposition
reception-letter-conditions-ending-notice = Information préalable au retrait de vos conditions d'accueil
reception-letter-conditions-ending-decision = Décision sur vos conditions d'accueil

# Notices (/portal/notices)
notices-link = Avis
notices-title = Être prévenu d'un nouveau document
notices-intro = Quand un document est déposé dans votre espace, nous pouvons vous prévenir par courriel ou par SMS. Le message dit seulement qu'un document vous attend, jamais ce qu'il contient : pour le lire, connectez-vous ici.
field-email = Adresse électronique
field-email-hint = (facultatif, par exemple nom@exemple.fr)
field-mobile = Numéro de téléphone portable
field-mobile-hint = (facultatif, avec l'indicatif du pays, par exemple +33 6 12 34 56 78)
notices-channels = Me prévenir
notices-by-email = par courriel
notices-by-sms = par SMS
notices-save = Enregistrer
notices-saved = Vos choix sont enregistrés.
notices-sent-title = Derniers avis envoyés
notices-none = Aucun avis envoyé pour l'instant.
notice-channel-email = courriel
notice-channel-sms = SMS
notice-sent = envoyé
notice-pending = en cours d'envoi
notice-undelivered = n'a pas pu être remis
error-email_invalid = Cette adresse électronique n'est pas valable. Exemple : nom@exemple.fr
error-mobile_invalid = Ce numéro n'est pas valable. Écrivez-le avec l'indicatif du pays, par exemple +33 6 12 34 56 78.
doc-kind-interview-recording = Enregistrement de l'entretien
