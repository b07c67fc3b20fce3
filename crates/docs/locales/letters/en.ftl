# The translations of the reception agency's letters (English), compiled into the binary (nansen-docs,
# `print::Translations`). Every file of this folder has the same keys (a test checks it). One paragraph
# per message: `<letter>-1`, `-2`… in order, without a gap; the last one says that only the French
# text is authentic. Dates and names come from the caller as the French letter prints them.

translation-note = This translation is given to help you understand; only the French text is authentic.

# Refusal of the material reception conditions (arguments: signed_on).
offer-refusal-1 = On { $signed_on }, you refused the offer of material reception conditions that the Agency made to you, that is accommodation and the allowance for asylum seekers (ADA), and you signed this refusal.
offer-refusal-2 = Therefore the Agency will not offer you accommodation and will not pay you the daily allowance. This is what the law says (article L.551-15 of the code on the entry and stay of foreigners and the right of asylum, CESEDA).
offer-refusal-3 = This refusal does not affect your asylum application: it is still being examined.
offer-refusal-4 = If your situation changes, you may go back to the Agency's regional office and ask again for the material reception conditions. The Agency will examine your request and tell you its decision.
offer-refusal-5 = You may challenge the refusal of the material reception conditions before the administrative court.
offer-refusal-6 = { translation-note }

# Orientation proposal (arguments: structure, place, persons, contest_by, reach_by). The reasons
# (orientation-reason-*) are inserted by the caller after paragraph 1, which announces them.
orientation-proposal-1 = Your region hosts more asylum seekers than its share under the national reception scheme. The Agency therefore offers your household ({ $persons } persons) a place in { $structure }, { $place }, in another region, where you will have to live while your asylum application is examined (article L.551-3). Why this place:
orientation-proposal-2 = If you disagree, you may contest this proposal in writing until { $contest_by }, at the Agency's regional office or through your secure space. Explain why this place does not suit your situation.
orientation-proposal-3 = You must reach the place by { $reach_by } at the latest (within 5 days, article R.551-3). The Agency's regional office will tell you how to travel there.
orientation-proposal-4 = If you refuse this place or do not go there, the Agency may end your material reception conditions (accommodation and allowance). Before any decision, the Agency will write to you and you will be able to send your observations.
orientation-proposal-5 = { translation-note }

# The reasons of an orientation proposal, in the household's language. Where the files of
# crates/web/locales hold these keys too, the words are the same (a test checks it).
orientation-reason-region-above-share = Your region of registration ({ $region }) registers { $demand } % of the people who need a place, above its share of { $share } % under the national scheme.
orientation-reason-together = The place takes your whole household together ({ $persons } persons).
orientation-reason-vulnerable = Your vulnerability gives you priority.
orientation-reason-hospital-nearby = A hospital that provides the follow-up you need is nearby.
orientation-reason-school = Your children can go to school there.
orientation-reason-accessible = The place is accessible to a person with reduced mobility.
orientation-reason-distance = The place is { $km } km from where the asylum office interviews.
orientation-reason-region-below-share = The region { $region } has not yet received its share of the people oriented.

# The grounds for ending the material reception conditions (the `ground` argument of the messages below).
conditions-ground-refused-orientation = refusal of the proposed orientation
conditions-ground-did-not-reach = not arriving at the accommodation within 5 days

# Prior notice (arguments: ground, observations_by).
conditions-ending-notice-1 = The Agency is considering ending your material reception conditions (accommodation and the allowance for asylum seekers) for the following reason: { $ground } (article L.551-16).
conditions-ending-notice-2 = Before any decision, you may send your written observations until { $observations_by } (15 days, article D.551-17), to the Agency's regional office or through your secure space. Explain your situation: your health, your family, anything that makes you vulnerable, and why you refused the place or could not go there. Add any useful document.
conditions-ending-notice-3 = A person of your choice may help you (a lawyer, an association, someone you trust).
conditions-ending-notice-4 = This letter is not yet a decision. The Agency will decide after reading your observations and will tell you its decision in writing.
conditions-ending-notice-5 = { translation-note }

# Decision: the conditions are ended (arguments: ground, signed_on, court_by).
conditions-ending-decision-ended-1 = By a decision of { $signed_on }, the Agency ended your material reception conditions: accommodation and the allowance for asylum seekers (ADA). Reason: { $ground }.
conditions-ending-decision-ended-2 = The reasons for the decision, written in French above, explain how your situation and your vulnerability were taken into account. An interpreter at the Agency's regional office can explain them to you in your language.
conditions-ending-decision-ended-3 = You may challenge this decision before the administrative court until { $court_by } (7 days, article L.555-1). You may ask for free legal aid and a lawyer.
conditions-ending-decision-ended-4 = { translation-note }

# Decision: the conditions are maintained (arguments: ground, signed_on).
conditions-ending-decision-maintained-1 = By a decision of { $signed_on }, the Agency maintained your material reception conditions (accommodation and the allowance for asylum seekers). It had considered ending them for the following reason: { $ground }.
conditions-ending-decision-maintained-2 = The reasons for the decision are written in French above. An interpreter at the Agency's regional office can explain them to you in your language.
conditions-ending-decision-maintained-3 = { translation-note }

# The decision on a contest of a proposal (args: contested_on, structure, place; reach_by when rejected)
contest-decision-upheld-1 = On { $contested_on } you contested the accommodation proposed to you in { $structure }, { $place }. The Agency accepts your contest: the proposal is withdrawn.
contest-decision-upheld-2 = You remain among the households waiting for accommodation; a new proposal may be made to you. The reasons for the decision are written in French above.
contest-decision-upheld-3 = { translation-note }
contest-decision-rejected-1 = On { $contested_on } you contested the accommodation proposed to you in { $structure }, { $place }. The Agency rejects your contest: the place is maintained.
contest-decision-rejected-2 = You must reach the place by { $reach_by }. If you refuse it or do not go there in time, the Agency may start the procedure that can end your accommodation and your allowance; you would then be able to send written observations.
contest-decision-rejected-3 = The reasons for the decision are written in French above. An interpreter at the Agency's regional office can explain them to you in your language.
contest-decision-rejected-4 = { translation-note }

# The office's letters (issue 18): the request for missing items (reply_by), the convocation
# (date, place), the decision's meaning (signed_on); the missing items themselves follow paragraph 1
# in French.
missing-items-1 = To examine your asylum application, the Office needs the following documents, which are not in your file (named in French):
missing-items-2 = Send them by { $reply_by }, through your secure space or by post to the address above, giving your file number.
missing-items-3 = If you cannot provide one of these documents, explain why in writing before that date. A missing document alone does not lead to the rejection of your application.
missing-items-4 = { translation-note }
convocation-1 = You are invited to a personal interview with a protection officer of the Office about your asylum application, on { $date }. Place or link: { $place }.
convocation-2 = Come 30 minutes early (15 minutes for a video interview) with this letter, your asylum application certificate, your identity or travel documents if you have any (originals), and any document that supports your application.
convocation-3 = If the letter names an interpreter, the Office provides one, bound by a code of conduct. You may come with a lawyer or a representative of an approved association. The interview is recorded.
convocation-4 = If you do not come without a legitimate reason, the Office may close the examination of your application. If you cannot come, tell the Office at once and send proof.
convocation-5 = { translation-note }
decision-refugee-1 = By a decision signed on { $signed_on }, the Office recognised you as a refugee.
decision-subsidiary-1 = By a decision signed on { $signed_on }, the Office granted you subsidiary protection.
decision-stateless-1 = By a decision signed on { $signed_on }, the Office recognised you as a stateless person.
decision-rejection-1 = By a decision signed on { $signed_on }, the Office rejected your asylum application.
decision-inadmissible-1 = By a decision signed on { $signed_on }, the Office declared your application inadmissible.
decision-closure-1 = By a decision signed on { $signed_on }, the Office closed the examination of your application.
decision-granted-1 = The prefecture will issue your residence permit. The Office will draw up your civil-status documents; you can follow this in your secure space.
decision-granted-2 = The reasons for the decision are written in French above.
decision-granted-3 = { translation-note }
decision-appeal-1 = The reasons for the decision are written in French above. The decision counts as notified on the day you first open it in your secure space, or 15 days after it was made available there.
decision-appeal-2 = You may appeal to the National Court of Asylum (CNDA) within one month of notification. The appeal must be written in French, give your reasons and include a copy of this decision; send it to the CNDA, 35 rue Cuvier, 93558 Montreuil-sous-Bois Cedex.
decision-appeal-3 = You may ask for legal aid to be assisted by a lawyer before the Court, within 15 days of notification; the request suspends the time limit to appeal.
decision-appeal-4 = { translation-note }
closure-reopen-1 = You may ask the Office to reopen the examination of your application, once only, within nine months of this decision; the examination then resumes where it stopped. After nine months the closure is final, and a new application is examined as a re-examination.
closure-reopen-2 = { translation-note }

# The notice that a document is waiting in the secure space (e-mail and SMS; argument: url). It never
# says what the document is or says: that stays behind sign-in.
notice-email-subject = A document is waiting in your secure space
notice-email-body = Hello, a new document has been placed in your secure space (Espace usager). To read it, sign in at { $url } with your case number and your password. This message does not contain the document. Please do not reply to this message.
notice-sms = A new document is waiting in your secure space: { $url }
