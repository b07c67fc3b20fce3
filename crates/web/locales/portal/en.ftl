# The applicants' secure space (Espace usager), in plain English. Short sentences, no jargon.
portal-name = My asylum space
office-name = Office for the protection of refugees and stateless persons
skip-to-content = Go to the content
language-menu = Language
security-link = Security
sign-out = Sign out
footer-privacy = Your file is confidential. Only the office's staff who handle it can read it. Every access is recorded.
back-home = Back to my space
back-sign-in = Back to sign in

sign-in-title = Sign in to my space
sign-in-intro = Here you can follow your asylum application and read the letters the office sends you.
field-case-number = File number
hint-case-number = It is on your registration receipt, for example 2026-0001234.
field-password = Password
sign-in-button = Sign in
first-time-title = First time here?
first-time-text = Use the activation code printed on your registration receipt to create your password.
activate-link = Activate my space
forgotten-title = Forgotten password?
forgotten-text = Go to the office's reception desk with your receipt or your identity document. You will get a new activation code. Nobody from the office will ever ask for your password.

activate-title = Activate my space
activate-intro = Type your file number and the activation code from your receipt, then choose a password. The code works only once.
field-code = Activation code
hint-code = 16 letters and digits, for example ABCD-EFGH-JKLM-NPQR.
field-new-password = Choose a password
hint-password = { $count ->
    [one] At least { $count } character. A sentence is easy to remember.
   *[other] At least { $count } characters. A sentence is easy to remember.
}
field-confirm = Type the password again
activate-button = Activate

verify-title = Confirm it is you
verify-intro = Open the authentication application on your phone and type the 6-digit code it shows for Nansen.
field-totp = 6-digit code
verify-button = Confirm

home-title = My asylum application
home-case = File number:
next-dates = Dates to remember
documents-title = My documents
documents-intro = The letters and decisions the office has sent you. Open each one: the date you first open a decision counts for your rights.
documents-none = You have no document yet.
document-available = Available since { $date }.
document-opened = First opened on { $date }.
document-new = New — not opened yet
messages-title = Write to the office
messages-intro = Tell us about a change of address or send a document (for example a medical certificate). The officer in charge of your file will see it.
field-message = Your message
hint-message = In any language. At most 5,000 characters.
field-files = { $count ->
    [one] A document (at most { $count })
   *[other] A document (at most { $count })
}
field-kind = What is it?
field-file = File
hint-file = PDF, JPEG, PNG or TIFF, up to 50 MB.
message-send = Send
message-sent = Your message was sent to the office.
messages-sent = Messages you sent
security-suggest = Protect your space with a code from your phone

step-registered-title = Your application is registered
step-registered-text = The office is checking your file. You do not need to do anything for now.
step-items-missing-title = Documents are missing
step-items-missing-text = Your file is not complete. Read the letter "request for missing documents" below and send what is missing as soon as possible.
step-waiting-for-interview-title = Your file is complete
step-waiting-for-interview-text = An officer will study your application. You will receive a letter inviting you to an interview.
step-interview-scheduled-title = Your interview is planned
step-interview-scheduled-text = Read your invitation letter below: it gives the date, the place and what to bring. An interpreter will be there if you need one.
step-under-examination-title = Your application is being examined
step-under-examination-text = The office is preparing its decision. You will find it here as soon as it is signed.
step-decision-available-title = The decision on your application is here
step-decision-available-text = Open the decision below. It counts as received the day you first open it, or 15 days after it was put here if you do not open it.
step-decision-notified-title = You have received the decision
step-decision-notified-text = If you disagree with a refusal, you can appeal to the National Court of Asylum (CNDA) within the time limit below. You can ask for free legal aid.
step-appealed-title = Your appeal is before the court
step-appealed-text = The National Court of Asylum will contact you directly.
step-court-rejected-title = The court rejected your appeal
step-court-rejected-text = The National Court of Asylum confirmed the office's decision. Its own decision is sent to you by the court.
step-protected-by-court-title = The court granted you protection
step-protected-by-court-text = The National Court of Asylum granted you protection. The office will contact you for your documents.
step-sent-back-title = The court sent your application back to the office
step-sent-back-text = The National Court of Asylum cancelled the decision. The office is examining your application again; you may be invited to a new interview.
step-finished-title = The procedure is finished
step-finished-text = Your documents remain available here.
step-closed-title = Your file is closed
step-closed-text = If you want to continue your application, contact the office quickly: a closed file can be reopened for a limited time.

milestone-interview = Interview: { $date }
milestone-decision-expected = Decision expected by: { $date }
milestone-open-decision-by = Open your decision before: { $date }
milestone-appeal-by = Last day to appeal: { $date }
milestone-hearing = Court hearing: { $date }

doc-kind-application-form = Application form
doc-kind-photograph = Photographs
doc-kind-residence-document = Residence document
doc-kind-account-of-reasons = Your account
doc-kind-identity-document = Identity document
doc-kind-civil-status = Civil status document
doc-kind-medical-certificate = Medical certificate
doc-kind-evidence = Evidence
doc-kind-correspondence = Letter or change of address
doc-kind-receipt = Registration receipt
doc-kind-missing-items-request = Request for missing documents
doc-kind-convocation = Invitation to the interview
doc-kind-decision = Decision on your application
doc-kind-other = Other document

security-title = Security of my space
security-intro = You can add a second protection: after your password, a code from an application on your phone (for example FreeOTP or Google Authenticator).
totp-is-on = Phone code protection is on.
totp-is-off = Phone code protection is off.
totp-turn-on = Turn on the phone code
totp-turn-off = Turn off the phone code
totp-step-scan = In the application on your phone, scan this picture, or type the secret key.
totp-step-type = Type the 6-digit code the application shows.
totp-qr = Picture to scan with the authentication application
totp-secret = Secret key:
totp-confirm = Confirm
totp-on = Done: you will be asked for a code from your phone each time you sign in.
totp-off = Phone code protection is turned off.

date-long = { $day } { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

error-title-400 = The form could not be used
error-title-401 = Please sign in
error-title-404 = Not found
error-title-413 = Too large
error-title-422 = Please check the form
error-title-429 = Too many attempts
error-title-500 = Something went wrong
error-generic = Something went wrong. Nothing was changed. Please try again later.
error-bad_credentials = The file number or the password is not right.
error-locked = Too many attempts. For your safety, wait 15 minutes before trying again.
error-not_found = This page or document does not exist.
error-unauthenticated = Please sign in again.
error-bad_request = The form has expired. Reload the page and try again.
error-case_number = Type your file number as on your receipt, for example 2026-0001234.
error-code_required = Type the activation code from your receipt.
error-code_wrong = This code is not right, was already used or has expired. Check it, or ask the office for a new one.
error-password_length = Choose a password of at least 10 characters.
error-password_weak = Choose a password that does not contain your file number.
error-passwords_differ = The two passwords are not the same.
error-password_wrong = The password is not right.
error-totp_wrong = This code is not right. Type the code your phone shows now.
error-too_many_files = You can send at most 5 documents with one message.
error-field-text = Write a message or add a document (at most 5,000 characters).
error-field-file = This file cannot be sent. Choose another one.
error-upload_empty = The file is empty.
error-upload_too_large = The file is too large (at most 50 MB).
error-upload_unknown_type = Send a PDF, JPEG, PNG or TIFF file.
error-upload_encrypted = The PDF is protected by a password. Send a copy without a password or a photo.
error-upload_malformed = The file is damaged or incomplete.
error-upload_too_many_pages = The file has too many pages.
error-upload_image_too_large = The picture is too large. Take the photo again with a lower resolution.
error-upload_unreadable = The file cannot be read.
error-upload_active_content = This PDF contains scripts or other active content, which we cannot accept. Open it and choose "Print", then "Save as PDF" (or "Microsoft Print to PDF"), and send the new file. A photo of the paper also works.

## Civil status
doc-kind-fgm-certificate = Medical certificate
doc-kind-certified-copy = Certified copy of a civil-status act
civil-acts-title = Your civil-status acts
civil-acts-intro = The office drew up these acts, which stand in for the civil-status records of your country of origin. Ask for a certified copy: it arrives at once among your documents, with a QR code anyone can check.
civil-act-birth = Birth act
civil-act-marriage = Marriage act
civil-act-death = Death act
civil-request-copy = Ask for a certified copy
civil-copy-sent = The certified copy is among your documents.

## End of protection
doc-kind-ending-letter = Letter about your protection
doc-kind-ending-decision = Decision about your protection
ending-ground-label = The reason the office gives:
ending-ground-cessation = the circumstances for which you were protected have ceased (cessation)
ending-ground-fraud = the protection would have been obtained by fraud (withdrawal)
ending-ground-exclusion = an exclusion clause would apply to you (withdrawal)
ending-ground-threat = your presence would be a serious threat to the State or society (withdrawal)
ending-ground-renunciation = you said you give up your protection (renunciation)
ending-awaiting-title = The office is considering ending your protection
ending-awaiting-text = Read the letter in your documents. You have the right to be heard: you may answer below, in your language, until { $date }. You may be helped by a lawyer or a person of your choice.
ending-heard-title = The office is examining your protection
ending-heard-text = The time to answer is over or your answer has been received. The office will send its decision to this space.
ending-ended-title = Your protection has ended
ending-ended-text = The office decided on { $date } to end your protection. Read the decision in your documents: it says why and how to appeal to the National Court of Asylum within one month.
ending-maintained-title = Your protection is maintained
ending-maintained-text = The office decided on { $date } to maintain your protection. Read the decision in your documents.
ending-answer-field = Your answer to the office
ending-answer-send = Send my answer
ending-answer-sent = Your answer was sent to the office.
ending-answer-error = Write your answer (20,000 characters at most).
doc-kind-fgm-letter = Letter about your daughter's medical examination
doc-kind-family-book = Family record book


# The reception agency's letters to the household
reception-letters-title = Letters from the reception agency
reception-letters-intro = The agency that handles your accommodation and allowance writes to you separately from the asylum office. Each letter is in French, followed by a translation when your language allows it.
reception-letter-offer-refusal = Refusal of the material reception conditions
reception-letter-orientation-proposal = Proposal of accommodation in another region
reception-letter-contest-decision = Decision on your contest of the proposal
reception-letter-conditions-ending-notice = Notice before ending your reception conditions
reception-letter-conditions-ending-decision = Decision on your reception conditions

# Notices (/portal/notices)
notices-link = Notices
notices-title = Be told about a new document
notices-intro = When a document is placed in your space, we can tell you by e-mail or by text message. The message only says that a document is waiting, never what it says: to read it, sign in here.
field-email = E-mail address
field-email-hint = (optional, for example name@example.org)
field-mobile = Mobile phone number
field-mobile-hint = (optional, with the country code, for example +33 6 12 34 56 78)
notices-channels = Tell me
notices-by-email = by e-mail
notices-by-sms = by text message (SMS)
notices-save = Save
notices-saved = Your choices are saved.
notices-sent-title = Latest notices sent
notices-none = No notice sent yet.
notice-channel-email = e-mail
notice-channel-sms = SMS
notice-sent = sent
notice-pending = being sent
notice-undelivered = could not be delivered
error-email_invalid = This e-mail address is not valid. Example: name@example.org
error-mobile_invalid = This number is not valid. Write it with the country code, for example +33 6 12 34 56 78.
doc-kind-interview-recording = Recording of the interview
