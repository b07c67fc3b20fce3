//! The letters callers print: the public facts of each letter (receipt, request for missing items,
//! convocation, decision, notice and decision on ending a protection, request for a medical
//! certificate for a girl protected from female genital mutilation, family record book, custody
//! label) and the variables a template may use for each kind.

use std::collections::BTreeMap;

/// A letter the office sends to an applicant.
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
    /// Name, first name and title of the signer, e.g. "Claire Martin, cheffe de section".
    pub signed_by: String,
    /// e.g. "26 novembre 2026".
    pub signed_on: String,
    /// When an appeal lies: the court and the period, e.g. "un mois".
    pub appeal: Option<String>,
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
    /// "ending_decision" | "fgm_letter" | "family_book": also the template's file name.
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
        }
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
        }
        vars
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
}

impl LetterKind {
    const ALL: [LetterKind; 8] = [
        LetterKind::Receipt,
        LetterKind::MissingItems,
        LetterKind::Convocation,
        LetterKind::Decision,
        LetterKind::EndingNotice,
        LetterKind::EndingDecision,
        LetterKind::FgmLetter,
        LetterKind::FamilyBook,
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
        }
    }

    pub(super) fn var_kind(self, name: &str) -> Option<VarKind> {
        COMMON.iter().chain(self.schema()).find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

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
