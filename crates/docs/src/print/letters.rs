//! The letters callers print: the public facts of each letter (the office's receipt, request for
//! missing items, convocation, decision, notice and decision on ending a protection, request for a
//! medical certificate for a girl protected from female genital mutilation, family record book; the
//! reception agency's record of a refused offer, orientation proposal, notice and decision on ending
//! the material reception conditions, each with its [`Translation`]; the custody label) and the
//! variables a template may use for each kind.

use std::collections::BTreeMap;

/// A letter the office (or, for the last four, the reception agency) sends to an applicant or a
/// household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Letter {
    Receipt(Receipt),
    MissingItems(MissingItems),
    Convocation(Convocation),
    Decision(Decision),
    EndingNotice(EndingNotice),
    EndingDecision(EndingDecision),
    FgmLetter(FgmLetter),
    FamilyBook(FamilyBook),
    OfferRefusal(OfferRefusal),
    OrientationProposal(OrientationProposal),
    ConditionsEndingNotice(ConditionsEndingNotice),
    ConditionsEndingDecision(ConditionsEndingDecision),
    ContestDecision(ContestDecision),
}

/// Who the letter goes to, as printed in the envelope window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub name: String,
    /// Postal address lines (or "Domiciliation : …").
    pub lines: Vec<String>,
    /// How the letter greets them: a woman is not written to as "Madame, Monsieur".
    pub salutation: Salutation,
}

/// The form of address of a letter, from the applicant's recorded sex; the neutral form when it
/// is not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Salutation {
    Madam,
    Sir,
    Neutral,
}

impl Salutation {
    /// In the letters' language (French): "Madame", "Monsieur", "Madame, Monsieur".
    pub fn as_french(self) -> &'static str {
        match self {
            Salutation::Madam => "Madame",
            Salutation::Sir => "Monsieur",
            Salutation::Neutral => "Madame, Monsieur",
        }
    }
}

/// Facts common to every letter; all strings already formatted by the caller (dates in French,
/// e.g. "3 mars 2026").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterHead {
    /// The case number; in the agency's letters, the household's number (e.g. "H-2026-000042").
    pub case_number: String,
    /// The date printed on the letter, e.g. "26 novembre 2026".
    pub issued_on: String,
    /// The same instant for the PDF metadata (creation date).
    pub issued_at: time::OffsetDateTime,
    pub addressee: Addressee,
    /// The service that signs, e.g. "Division Europe, section 2" or "Service de l'enregistrement".
    pub service: String,
}

/// Accusé d'enregistrement: the registration receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub head: LetterHead,
    pub application_kind: String,
    pub procedure: String,
    pub introduced_on: String,
    pub registered_on: String,
    pub nationality: String,
    pub language: String,
    pub documents_received: Vec<String>,
    pub missing: Vec<String>,
    pub decision_deadline: Option<String>,
    /// One-time code to activate the applicant's secure account (printed on the receipt; may be
    /// empty until the portal exists: an empty code is not printed).
    pub activation_code: Option<String>,
}

/// Demande de pièces complémentaires: the request for missing items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingItems {
    pub head: LetterHead,
    pub missing: Vec<String>,
    pub reply_by: String,
    /// The same in the applicant's language, after the French text.
    pub translation: Option<Translation>,
}

/// Convocation à l'entretien personnel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convocation {
    pub head: LetterHead,
    /// e.g. "lundi 14 décembre 2026 à 9 h 30".
    pub date: String,
    pub mode: ConvocationMode,
    pub interpreter_language: Option<String>,
    pub to_bring: Vec<String>,
    pub children_must_come: bool,
    /// The same in the applicant's language, after the French text.
    pub translation: Option<Translation>,
}

/// Where the interview takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvocationMode {
    InPerson {
        place: String,
    },
    /// By audiovisual link (L.531-16): a link, or an approved room.
    Video {
        link_or_room: String,
    },
}

/// Décision sur la demande (CESEDA L.531-1 ff.): the outcome, the reasons in fact and in law, who signed,
/// and how to appeal when an appeal lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub head: LetterHead,
    /// e.g. "Le statut de réfugié vous est reconnu." / "Votre demande d'asile est rejetée."
    pub outcome: String,
    /// The reasons in fact (paragraphs separated by blank lines).
    pub facts: String,
    /// The reasons in law.
    pub law: String,
    /// The library passages the reasons rely on, one line each (publisher, title, date,
    /// passage): the sources the letter lists.
    pub sources: Vec<String>,
    /// Name, first name and title of the signer, e.g. "Claire Martin, cheffe de section".
    pub signed_by: String,
    /// e.g. "26 novembre 2026".
    pub signed_on: String,
    /// When an appeal lies: the court and the period, e.g. "un mois".
    pub appeal: Option<String>,
    /// The decision's meaning in the applicant's language (required for a negative decision:
    /// it must be given in a language they understand), after the French text.
    pub translation: Option<Translation>,
}

/// Information préalable à la fin de la protection: the office tells a protected person (refugee,
/// subsidiary protection, stateless person) that it considers ending their protection, on what
/// ground and facts, and that they may present written observations until `answer_by`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndingNotice {
    pub head: LetterHead,
    /// The ground considered, e.g. "cessation de la protection".
    pub ground: String,
    /// The legal basis, e.g. "Convention de Genève du 28 juillet 1951, article 1er, section C ;
    /// CESEDA L.511-8".
    pub law: String,
    /// The facts the office relies on (paragraphs separated by blank lines).
    pub facts: String,
    /// The last day for the observations, e.g. "4 juin 2026".
    pub answer_by: String,
}

/// Décision sur la fin de la protection: the protection is ended or maintained, after the notice
/// ([`EndingNotice`]) and the person's observations, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndingDecision {
    pub head: LetterHead,
    /// e.g. "Il est mis fin à la protection dont vous bénéficiez (cessation de la protection)." /
    /// "Votre protection est maintenue."
    pub outcome: String,
    /// The ground examined, as in the notice.
    pub ground: String,
    /// The legal basis.
    pub law: String,
    /// The facts stated in the notice (paragraphs separated by blank lines).
    pub facts: String,
    /// What became of the observations, e.g. "Vos observations, reçues le 4 mai 2026, ont été
    /// examinées."; `None` prints nothing about them.
    pub answer: Option<String>,
    /// The reasons of the decision (paragraphs separated by blank lines).
    pub reasons: String,
    /// Name, first name and title of the signer, e.g. "Claire Martin, cheffe de section".
    pub signed_by: String,
    /// e.g. "26 novembre 2026".
    pub signed_on: String,
    /// When the protection is ended: the period to appeal to the CNDA, e.g. "un mois".
    pub appeal: Option<String>,
}

/// Demande de certificat médical (CESEDA L.561-8): the office asks the legal representatives of a
/// girl protected because of a risk of female genital mutilation to have her examined by a
/// forensic medical unit (unité médico-judiciaire) or an approved medical unit, which sends the
/// certificate directly to the office. The letter is followed by the model certificate (arrêté of
/// 6 February 2024) on a page of its own, with the child's name and birth date filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FgmLetter {
    /// The addressee is the child's legal representative.
    pub head: LetterHead,
    /// The child's name, e.g. "AHMADI Zahra".
    pub child_name: String,
    /// Her birth date, or year when only that is known, e.g. "1er juin 2015" or "2015".
    pub child_born: String,
    /// The date by which the office expects the certificate, e.g. "15 juillet 2026".
    pub certificate_by: String,
    /// Which examination this is, e.g. "premier examen" or "examen quinquennal".
    pub examination: String,
}

/// Livret de famille: the family record book the office, acting as civil registry for the people
/// it protects (CESEDA L.121-9), issues from the acts it drew up. Every line is already formatted
/// by the caller; names may be in any script (they are set with font fallback and right-to-left
/// runs, as in certified copies), e.g. "AHMADI Mohammad (احمدی محمد), né en 1990 à Kaboul (کابل)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyBook {
    pub head: LetterHead,
    /// The spouses (or the parent), one line each.
    pub spouses: Vec<String>,
    /// The marriage, when there is one, e.g. "Mariage célébré le 12 juin 2015 à Kaboul — acte
    /// EC-2026-000012".
    pub marriage: Option<String>,
    /// The children in order of birth, one line each: name, birth date and place, act number.
    pub children: Vec<String>,
    /// Mentions (divorce, death, change of name…), in order; none printed when empty.
    pub mentions: Vec<String>,
    /// Who signs, e.g. "Pour le directeur général, l'officier de l'état civil".
    pub issued_by: String,
}

/// The household-language part of an agency letter (after the French text, on a page of its own).
/// Build it from [`Translations`](super::translations::Translations); the French text stays the
/// authentic one. A translation without paragraphs, or without a language name or code, is not
/// printed (the letter then says that an interpreter can explain it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translation {
    /// The language's name in French, e.g. "arabe" (printed in the French heading).
    pub language: String,
    /// The language's code in the catalog ("ar", "fa-AF", ...), for the PDF's metadata of that part if useful.
    pub code: String,
    /// Written right to left (Arabic, Dari): the paragraphs are set with a right-to-left base direction and
    /// right-aligned.
    pub rtl: bool,
    /// The addressee's name in its original script when known (printed at the top of the translation), e.g.
    /// "احمدی محمد".
    pub addressee: Option<String>,
    /// Paragraphs, already in the language; any script. A paragraph starting with "• " is a list item.
    pub paragraphs: Vec<String>,
}

/// Refus des conditions matérielles d'accueil (CESEDA L.551-15): the household refused, at the single
/// window, the agency's offer of material reception conditions and signed that refusal; the letter says
/// what it means (no accommodation, no allowance), that the asylum application goes on, and that a later
/// request may be made, on which the agency decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRefusal {
    pub head: LetterHead,
    /// The day the refusal was signed, e.g. "1er décembre 2026".
    pub signed_on: String,
    /// French name of the household's language, e.g. "tigrigna".
    pub language: String,
    pub translation: Option<Translation>,
}

/// Proposition d'orientation: a place proposed to the household in another region by the weekly
/// regional orientation (L.551-3, R.551-3), with its reasons, the day until which it may be contested
/// and the day by which the place must be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrientationProposal {
    pub head: LetterHead,
    /// The structure's name, e.g. "CADA Les Tilleuls".
    pub structure: String,
    /// Where it is, e.g. "Bretagne — département 35".
    pub place: String,
    /// The kind of place, e.g. "place familiale".
    pub kind: String,
    /// How many persons it takes, e.g. "4".
    pub persons: String,
    /// The reasons, in French, one sentence each (printed as a list).
    pub reasons: Vec<String>,
    /// The last day to contest the proposal, e.g. "4 décembre 2026".
    pub contest_by: String,
    /// The last day to reach the place, e.g. "6 décembre 2026".
    pub reach_by: String,
    /// French name of the household's language.
    pub language: String,
    pub translation: Option<Translation>,
}

/// Information préalable: the agency considers ending (retrait) the material reception conditions
/// (L.551-16) because the household refused the orientation or did not reach the place within 5 days
/// (R.551-3, R.551-5); it has 15 days to send written observations (D.551-17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionsEndingNotice {
    pub head: LetterHead,
    /// In French, e.g. "refus de l'orientation proposée" or "non-présentation dans le lieu
    /// d'hébergement dans les 5 jours".
    pub ground: String,
    /// In French, paragraphs separated by blank lines.
    pub facts: String,
    /// The last day for the observations, e.g. "16 décembre 2026".
    pub observations_by: String,
    /// French name of the household's language.
    pub language: String,
    pub translation: Option<Translation>,
}

/// Décision: the material reception conditions are ended or maintained, after the observations,
/// weighing the person's situation and vulnerability (D.551-17, D.551-18); when they end, the decision
/// can be challenged before the administrative court within 7 days (L.555-1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionsEndingDecision {
    pub head: LetterHead,
    /// e.g. "Il est mis fin à vos conditions matérielles d'accueil." / "Vos conditions matérielles
    /// d'accueil sont maintenues."
    pub outcome: String,
    /// The ground examined, as in the notice.
    pub ground: String,
    /// e.g. "Vos observations, reçues le 4 décembre 2026, ont été examinées."; `None` prints nothing
    /// about them.
    pub observations: Option<String>,
    /// The reasons (paragraphs separated by blank lines).
    pub reasons: String,
    /// How the situation and the vulnerability were weighed (paragraphs separated by blank lines).
    pub vulnerability_weighed: String,
    /// Name, first name and title of the signer.
    pub signed_by: String,
    /// e.g. "9 décembre 2026".
    pub signed_on: String,
    /// When the conditions end: the last day to go to court, e.g. "16 décembre 2026".
    pub court_by: Option<String>,
    /// French name of the household's language.
    pub language: String,
    pub translation: Option<Translation>,
}

/// Décision sur la contestation: the agency's answer to the household's contest of a proposal.
/// Upheld, the proposal is withdrawn; rejected, the place stays proposed and must be reached by a
/// new day (R.551-3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContestDecision {
    pub head: LetterHead,
    /// The structure proposed, e.g. "CADA Les Tilleuls".
    pub structure: String,
    /// Where it is, e.g. "Bretagne — département 35".
    pub place: String,
    /// The day the contest was received, e.g. "3 décembre 2026".
    pub contested_on: String,
    /// The contest succeeds: the proposal is withdrawn.
    pub upheld: bool,
    /// The reasons (paragraphs separated by blank lines).
    pub reasons: String,
    /// When the contest is rejected: the new last day to reach the place.
    pub reach_by: Option<String>,
    /// Name and title of the signer.
    pub signed_by: String,
    pub signed_on: String,
    /// French name of the household's language.
    pub language: String,
    pub translation: Option<Translation>,
}

/// A custody label for an original document kept by the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Encoded, exactly, in the QR code, e.g. "2026-000123-O3".
    pub identifier: String,
    /// Case number, kind of original, received on.
    pub lines: Vec<String>,
}

impl Letter {
    /// "receipt" | "missing_items" | "convocation" | "decision" | "ending_notice" |
    /// "ending_decision" | "fgm_letter" | "family_book" | "offer_refusal" | "orientation_proposal" |
    /// "conditions_ending_notice" | "conditions_ending_decision" | "contest_decision": also the
    /// template's file name.
    pub fn kind(&self) -> &'static str {
        self.letter_kind().as_str()
    }

    /// The facts common to every letter.
    pub fn head(&self) -> &LetterHead {
        match self {
            Letter::Receipt(r) => &r.head,
            Letter::MissingItems(m) => &m.head,
            Letter::Convocation(c) => &c.head,
            Letter::Decision(d) => &d.head,
            Letter::EndingNotice(n) => &n.head,
            Letter::EndingDecision(d) => &d.head,
            Letter::FgmLetter(f) => &f.head,
            Letter::FamilyBook(b) => &b.head,
            Letter::OfferRefusal(r) => &r.head,
            Letter::OrientationProposal(p) => &p.head,
            Letter::ConditionsEndingNotice(n) => &n.head,
            Letter::ConditionsEndingDecision(d) => &d.head,
            Letter::ContestDecision(d) => &d.head,
        }
    }

    /// The household-language part, when the letter has one that is printed (see [`Translation`]).
    pub(super) fn translation(&self) -> Option<&Translation> {
        let translation = match self {
            Letter::OfferRefusal(r) => r.translation.as_ref(),
            Letter::OrientationProposal(p) => p.translation.as_ref(),
            Letter::ConditionsEndingNotice(n) => n.translation.as_ref(),
            Letter::ConditionsEndingDecision(d) => d.translation.as_ref(),
            Letter::ContestDecision(d) => d.translation.as_ref(),
            Letter::MissingItems(m) => m.translation.as_ref(),
            Letter::Convocation(c) => c.translation.as_ref(),
            Letter::Decision(d) => d.translation.as_ref(),
            _ => None,
        };
        translation.filter(|t| t.printed())
    }

    pub(super) fn letter_kind(&self) -> LetterKind {
        match self {
            Letter::Receipt(_) => LetterKind::Receipt,
            Letter::MissingItems(_) => LetterKind::MissingItems,
            Letter::Convocation(_) => LetterKind::Convocation,
            Letter::Decision(_) => LetterKind::Decision,
            Letter::EndingNotice(_) => LetterKind::EndingNotice,
            Letter::EndingDecision(_) => LetterKind::EndingDecision,
            Letter::FgmLetter(_) => LetterKind::FgmLetter,
            Letter::FamilyBook(_) => LetterKind::FamilyBook,
            Letter::OfferRefusal(_) => LetterKind::OfferRefusal,
            Letter::OrientationProposal(_) => LetterKind::OrientationProposal,
            Letter::ConditionsEndingNotice(_) => LetterKind::ConditionsEndingNotice,
            Letter::ConditionsEndingDecision(_) => LetterKind::ConditionsEndingDecision,
            Letter::ContestDecision(_) => LetterKind::ContestDecision,
        }
    }

    pub(super) fn vars(&self) -> Vars {
        let head = self.head();
        let mut vars = Vars::default();
        vars.text("case_number", &head.case_number);
        vars.text("applicant_name", &head.addressee.name);
        vars.text("salutation", head.addressee.salutation.as_french());
        vars.text("issued_on", &head.issued_on);
        vars.text("service", &head.service);
        match self {
            Letter::Receipt(r) => {
                vars.text("application_kind", &r.application_kind);
                vars.text("procedure", &r.procedure);
                vars.text("introduced_on", &r.introduced_on);
                vars.text("registered_on", &r.registered_on);
                vars.text("nationality", &r.nationality);
                vars.text("language", &r.language);
                vars.list("documents_received", &r.documents_received);
                vars.list("missing", &r.missing);
                vars.optional("decision_deadline", r.decision_deadline.as_deref());
                vars.optional("activation_code", r.activation_code.as_deref());
            }
            Letter::MissingItems(m) => {
                vars.list("missing", &m.missing);
                vars.text("reply_by", &m.reply_by);
            }
            Letter::Convocation(c) => {
                vars.text("date", &c.date);
                let (place, link) = match &c.mode {
                    ConvocationMode::InPerson { place } => (Some(place.as_str()), None),
                    ConvocationMode::Video { link_or_room } => (None, Some(link_or_room.as_str())),
                };
                vars.optional("place", place);
                vars.optional("video_link", link);
                vars.optional("interpreter_language", c.interpreter_language.as_deref());
                vars.list("to_bring", &c.to_bring);
                vars.flag("children_must_come", c.children_must_come);
            }
            Letter::Decision(d) => {
                vars.text("outcome", &d.outcome);
                vars.text("facts", &d.facts);
                vars.text("law", &d.law);
                vars.list("sources", &d.sources);
                vars.text("signed_by", &d.signed_by);
                vars.text("signed_on", &d.signed_on);
                vars.optional("appeal", d.appeal.as_deref());
            }
            Letter::EndingNotice(n) => {
                vars.text("ground", &n.ground);
                vars.text("law", &n.law);
                vars.text("facts", &n.facts);
                vars.text("answer_by", &n.answer_by);
            }
            Letter::EndingDecision(d) => {
                vars.text("outcome", &d.outcome);
                vars.text("ground", &d.ground);
                vars.text("law", &d.law);
                vars.text("facts", &d.facts);
                vars.optional("answer", d.answer.as_deref());
                vars.text("reasons", &d.reasons);
                vars.text("signed_by", &d.signed_by);
                vars.text("signed_on", &d.signed_on);
                vars.optional("appeal", d.appeal.as_deref());
            }
            Letter::FgmLetter(f) => {
                vars.text("child_name", &f.child_name);
                vars.text("child_born", &f.child_born);
                vars.text("certificate_by", &f.certificate_by);
                vars.text("examination", &f.examination);
            }
            Letter::FamilyBook(b) => {
                // Blank lines are no lines (an empty `mentions` prints no such section). The
                // marriage is a list of at most one line: list items are set in any script.
                let lines = |items: &[String]| -> Vec<String> {
                    items.iter().filter(|l| !l.trim().is_empty()).cloned().collect()
                };
                vars.list("spouses", &lines(&b.spouses));
                vars.list("marriage", &lines(b.marriage.as_slice()));
                vars.list("children", &lines(&b.children));
                vars.list("mentions", &lines(&b.mentions));
                vars.text("issued_by", &b.issued_by);
            }
            Letter::OfferRefusal(r) => {
                vars.text("signed_on", &r.signed_on);
            }
            Letter::OrientationProposal(p) => {
                vars.text("structure", &p.structure);
                vars.text("place", &p.place);
                vars.text("kind", &p.kind);
                vars.text("persons", &p.persons);
                let reasons: Vec<String> = p.reasons.iter().filter(|r| !r.trim().is_empty()).cloned().collect();
                vars.list("reasons", &reasons);
                vars.text("contest_by", &p.contest_by);
                vars.text("reach_by", &p.reach_by);
            }
            Letter::ConditionsEndingNotice(n) => {
                vars.text("ground", &n.ground);
                vars.text("facts", &n.facts);
                vars.text("observations_by", &n.observations_by);
            }
            Letter::ConditionsEndingDecision(d) => {
                vars.text("outcome", &d.outcome);
                vars.text("ground", &d.ground);
                vars.optional("observations", d.observations.as_deref());
                vars.text("reasons", &d.reasons);
                vars.text("vulnerability_weighed", &d.vulnerability_weighed);
                vars.text("signed_by", &d.signed_by);
                vars.text("signed_on", &d.signed_on);
                vars.optional("court_by", d.court_by.as_deref());
            }
            Letter::ContestDecision(d) => {
                vars.text("structure", &d.structure);
                vars.text("place", &d.place);
                vars.text("contested_on", &d.contested_on);
                vars.flag("upheld", d.upheld);
                vars.text("reasons", &d.reasons);
                vars.optional("reach_by", d.reach_by.as_deref());
                vars.text("signed_by", &d.signed_by);
                vars.text("signed_on", &d.signed_on);
            }
        }
        if let Some(language) = self.household_language() {
            vars.text("language", language);
        }
        if self.letter_kind().translated() {
            let translation = self.translation();
            let paragraphs: Vec<String> = translation
                .map(|t| t.paragraphs.iter().filter(|p| !p.trim().is_empty()).cloned().collect())
                .unwrap_or_default();
            vars.list("translation", &paragraphs);
            vars.optional("translation_language", translation.map(Translation::name));
            vars.flag("translation_rtl", translation.is_some_and(|t| t.rtl));
            vars.optional("translation_addressee", translation.and_then(|t| t.addressee.as_deref()));
        }
        vars
    }

    /// The household's language (French name), for the agency's letters.
    fn household_language(&self) -> Option<&str> {
        match self {
            Letter::OfferRefusal(r) => Some(&r.language),
            Letter::OrientationProposal(p) => Some(&p.language),
            Letter::ConditionsEndingNotice(n) => Some(&n.language),
            Letter::ConditionsEndingDecision(d) => Some(&d.language),
            Letter::ContestDecision(d) => Some(&d.language),
            _ => None,
        }
    }
}

impl Translation {
    /// Printed only with a paragraph and a language to name in the heading.
    fn printed(&self) -> bool {
        self.paragraphs.iter().any(|p| !p.trim().is_empty()) && !self.name().trim().is_empty()
    }

    /// The language as the heading names it: its French name, else its code.
    fn name(&self) -> &str {
        if self.language.trim().is_empty() {
            &self.code
        } else {
            &self.language
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LetterKind {
    Receipt,
    MissingItems,
    Convocation,
    Decision,
    EndingNotice,
    EndingDecision,
    FgmLetter,
    FamilyBook,
    OfferRefusal,
    OrientationProposal,
    ConditionsEndingNotice,
    ConditionsEndingDecision,
    ContestDecision,
}

impl LetterKind {
    pub(super) const ALL: [LetterKind; 13] = [
        LetterKind::Receipt,
        LetterKind::MissingItems,
        LetterKind::Convocation,
        LetterKind::Decision,
        LetterKind::EndingNotice,
        LetterKind::EndingDecision,
        LetterKind::FgmLetter,
        LetterKind::FamilyBook,
        LetterKind::OfferRefusal,
        LetterKind::OrientationProposal,
        LetterKind::ConditionsEndingNotice,
        LetterKind::ConditionsEndingDecision,
        LetterKind::ContestDecision,
    ];

    pub(super) fn as_str(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::MissingItems => "missing_items",
            LetterKind::Convocation => "convocation",
            LetterKind::Decision => "decision",
            LetterKind::EndingNotice => "ending_notice",
            LetterKind::EndingDecision => "ending_decision",
            LetterKind::FgmLetter => "fgm_letter",
            LetterKind::FamilyBook => "family_book",
            LetterKind::OfferRefusal => "offer_refusal",
            LetterKind::OrientationProposal => "orientation_proposal",
            LetterKind::ConditionsEndingNotice => "conditions_ending_notice",
            LetterKind::ConditionsEndingDecision => "conditions_ending_decision",
            LetterKind::ContestDecision => "contest_decision",
        }
    }

    pub(super) fn parse(kind: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    pub(super) fn fallback_title(self) -> &'static str {
        match self {
            LetterKind::Receipt => "Accusé d'enregistrement de votre demande d'asile",
            LetterKind::MissingItems => "Demande de pièces complémentaires",
            LetterKind::Convocation => "Convocation à un entretien personnel",
            LetterKind::Decision => "Décision du directeur général",
            LetterKind::EndingNotice => "Information préalable à la fin de votre protection",
            LetterKind::EndingDecision => "Décision du directeur général sur votre protection",
            LetterKind::FgmLetter => "Demande de certificat médical — protection d'une enfant",
            LetterKind::FamilyBook => "Livret de famille",
            LetterKind::OfferRefusal => "Refus des conditions matérielles d'accueil",
            LetterKind::OrientationProposal => "Proposition d'orientation vers un hébergement dans une autre région",
            LetterKind::ConditionsEndingNotice => {
                "Information préalable à la fin de vos conditions matérielles d'accueil"
            }
            LetterKind::ConditionsEndingDecision => "Décision sur vos conditions matérielles d'accueil",
            LetterKind::ContestDecision => "Décision sur votre contestation de la proposition d'orientation",
        }
    }

    /// The variables a template of this kind may use (beyond [`COMMON`]).
    fn schema(self) -> &'static [(&'static str, VarKind)] {
        use VarKind::*;
        match self {
            LetterKind::Receipt => &[
                ("application_kind", Text),
                ("procedure", Text),
                ("introduced_on", Text),
                ("registered_on", Text),
                ("nationality", Text),
                ("language", Text),
                ("documents_received", List),
                ("missing", List),
                ("decision_deadline", Optional),
                ("activation_code", Optional),
            ],
            LetterKind::MissingItems => &[("missing", List), ("reply_by", Text)],
            LetterKind::Convocation => &[
                ("date", Text),
                ("place", Optional),
                ("video_link", Optional),
                ("interpreter_language", Optional),
                ("to_bring", List),
                ("children_must_come", Flag),
            ],
            LetterKind::Decision => &[
                ("outcome", Text),
                ("facts", Text),
                ("law", Text),
                ("sources", List),
                ("signed_by", Text),
                ("signed_on", Text),
                ("appeal", Optional),
            ],
            LetterKind::EndingNotice => &[("ground", Text), ("law", Text), ("facts", Text), ("answer_by", Text)],
            LetterKind::EndingDecision => &[
                ("outcome", Text),
                ("ground", Text),
                ("law", Text),
                ("facts", Text),
                ("answer", Optional),
                ("reasons", Text),
                ("signed_by", Text),
                ("signed_on", Text),
                ("appeal", Optional),
            ],
            LetterKind::FgmLetter => {
                &[("child_name", Text), ("child_born", Text), ("certificate_by", Text), ("examination", Text)]
            }
            LetterKind::FamilyBook => {
                &[("spouses", List), ("marriage", List), ("children", List), ("mentions", List), ("issued_by", Text)]
            }
            LetterKind::OfferRefusal => &[("signed_on", Text)],
            LetterKind::OrientationProposal => &[
                ("structure", Text),
                ("place", Text),
                ("kind", Text),
                ("persons", Text),
                ("reasons", List),
                ("contest_by", Text),
                ("reach_by", Text),
            ],
            LetterKind::ConditionsEndingNotice => &[("ground", Text), ("facts", Text), ("observations_by", Text)],
            LetterKind::ConditionsEndingDecision => &[
                ("outcome", Text),
                ("ground", Text),
                ("observations", Optional),
                ("reasons", Text),
                ("vulnerability_weighed", Text),
                ("signed_by", Text),
                ("signed_on", Text),
                ("court_by", Optional),
            ],
            LetterKind::ContestDecision => &[
                ("structure", Text),
                ("place", Text),
                ("contested_on", Text),
                ("upheld", Flag),
                ("reasons", Text),
                ("reach_by", Optional),
                ("signed_by", Text),
                ("signed_on", Text),
            ],
        }
    }

    /// An agency's letter: written to a household, in its language's name too.
    fn agency(self) -> bool {
        matches!(
            self,
            LetterKind::OfferRefusal
                | LetterKind::OrientationProposal
                | LetterKind::ConditionsEndingNotice
                | LetterKind::ConditionsEndingDecision
                | LetterKind::ContestDecision
        )
    }

    /// A letter that may carry a translation ([`TRANSLATED`]): the agency's, and the office's
    /// request for missing items, convocation and decision.
    pub(super) fn translated(self) -> bool {
        self.agency() || matches!(self, LetterKind::MissingItems | LetterKind::Convocation | LetterKind::Decision)
    }

    pub(super) fn var_kind(self, name: &str) -> Option<VarKind> {
        let translated = if self.translated() { TRANSLATED } else { &[] };
        let language: &[(&str, VarKind)] = if self.agency() { &[("language", VarKind::Text)] } else { &[] };
        COMMON.iter().chain(self.schema()).chain(translated).chain(language).find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// Variables of the letters that carry a translation: its paragraphs, its language, direction
/// and the addressee in their script.
pub(super) const TRANSLATED: &[(&str, VarKind)] = &[
    ("translation", VarKind::List),
    ("translation_language", VarKind::Optional),
    ("translation_rtl", VarKind::Flag),
    ("translation_addressee", VarKind::Optional),
];

/// Variables every letter has.
pub(super) const COMMON: &[(&str, VarKind)] = &[
    ("case_number", VarKind::Text),
    ("applicant_name", VarKind::Text),
    ("salutation", VarKind::Text),
    ("issued_on", VarKind::Text),
    ("service", VarKind::Text),
];

/// Variables the letterhead may use: the common ones and these.
pub(super) const LETTERHEAD_EXTRA: &[&str] = &["title", "document", "page", "pages"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum VarKind {
    /// Always present.
    Text,
    /// Present or not: usable in a placeholder only under `when = "<name>"`.
    Optional,
    /// A list: for `list =` and `when =`.
    List,
    /// True or false: for `when =` and `unless =`.
    Flag,
}

#[derive(Debug, Clone)]
pub(super) enum Value {
    Text(String),
    Absent,
    List(Vec<String>),
    Flag(bool),
}

#[derive(Debug, Clone, Default)]
pub(super) struct Vars(pub(super) BTreeMap<&'static str, Value>);

impl Vars {
    fn text(&mut self, name: &'static str, value: &str) {
        self.0.insert(name, Value::Text(value.to_owned()));
    }
    fn optional(&mut self, name: &'static str, value: Option<&str>) {
        let value = match value {
            Some(v) if !v.trim().is_empty() => Value::Text(v.to_owned()),
            _ => Value::Absent,
        };
        self.0.insert(name, value);
    }
    fn list(&mut self, name: &'static str, items: &[String]) {
        self.0.insert(name, Value::List(items.to_vec()));
    }
    fn flag(&mut self, name: &'static str, value: bool) {
        self.0.insert(name, Value::Flag(value));
    }
    pub(super) fn holds(&self, name: &str) -> bool {
        match self.0.get(name) {
            Some(Value::Text(_)) => true,
            Some(Value::List(items)) => !items.is_empty(),
            Some(Value::Flag(flag)) => *flag,
            Some(Value::Absent) | None => false,
        }
    }
}
