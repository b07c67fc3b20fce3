//! The office's letters (receipt, request for missing items, convocation, decision): composed
//! from the case as it is (or as the commit will leave it), printed as PDF/A by `nansen-docs`,
//! stored by their hash before the commit that files them in the case and the applicant's space.

use nansen_authz::Action as Act;
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::print::{
    Addressee, Convocation, ConvocationMode, Decision, Letter, LetterHead, MissingItems, Receipt, Salutation,
    Translation, Translations,
};
use nansen_domain::documents::{ContentHash, DocumentKind, NewDocument, Origin};
use nansen_domain::ids::Language;
use nansen_domain::lifecycle::{Case, Command, InterviewMode};
use nansen_domain::person::Sex;
use time::{Date, OffsetDateTime};

use crate::actor::Agent;
use crate::target::{case_op, last_case, load_target, CaseTarget};
use crate::{Office, OfficeError};

/// Days the applicant has to send missing items (the office's practice; to verify).
const MISSING_ITEMS_DAYS: i64 = 15;

/// A letter the office issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    Receipt,
    MissingItems,
    Convocation,
    /// Printed when the signed decision is notified (never on request: the decision is notified once).
    Decision,
    /// The decision closing the examination after an unexcused absence from the interview
    /// (L.531-38), printed with the closure, with the reopening rule (L.531-40).
    ClosureForAbsence,
}

impl LetterKind {
    pub fn parse(s: &str) -> Option<LetterKind> {
        match s {
            "receipt" => Some(LetterKind::Receipt),
            "missing_items" => Some(LetterKind::MissingItems),
            "convocation" => Some(LetterKind::Convocation),
            _ => None,
        }
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const WEEKDAYS_FR: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// "3 mars 2026", as French letters write dates.
pub fn date_fr(d: Date) -> String {
    let day = if d.day() == 1 { "1er".to_owned() } else { d.day().to_string() };
    format!("{day} {} {}", MONTHS_FR[usize::from(u8::from(d.month())) - 1], d.year())
}

fn weekday_date_fr(d: Date) -> String {
    format!("{} {}", WEEKDAYS_FR[usize::from(d.weekday().number_days_from_monday())], date_fr(d))
}

pub(crate) fn head(case: &Case, now: OffsetDateTime, service: &str) -> LetterHead {
    let a = &case.applicant;
    LetterHead {
        case_number: case.number.to_string(),
        issued_on: date_fr(now.date()),
        issued_at: now,
        addressee: Addressee {
            name: format!("{} {}", a.given_names.latin, a.family_name.latin.to_uppercase()),
            lines: vec![format!("Dossier n° {}", case.number)],
            salutation: match a.sex {
                Sex::Female => Salutation::Madam,
                Sex::Male => Salutation::Sir,
                Sex::Unspecified => Salutation::Neutral,
            },
        },
        service: service.to_owned(),
    }
}

/// The translation of a letter (`kind` as the letters' catalog names it) into the applicant's
/// language — the one they read their space in (`reader`), else the one recorded at
/// registration — when it is one of the portal's and not French; `items` (French, "• …") follow
/// its first paragraph. The French text stays the authentic one.
fn translation(
    case: &Case,
    reader: Option<&str>,
    kind: &str,
    args: &[(&str, &str)],
    items: Vec<String>,
) -> Option<Translation> {
    let lang = Translations::pick(reader.unwrap_or(case.language.as_str())).filter(|l| *l != "fr")?;
    let mut paragraphs = Translations::embedded().ok()?.paragraphs(lang, kind, args)?;
    let at = 1.min(paragraphs.len());
    paragraphs.splice(at..at, items);
    let a = &case.applicant;
    let original = format!("{} {}", a.family_name.original, a.given_names.original);
    let latin = format!("{} {}", a.family_name.latin, a.given_names.latin);
    Some(Translation {
        language: Translations::french_name(lang).to_owned(),
        code: lang.to_owned(),
        rtl: Translations::rtl(lang),
        addressee: (original.trim() != latin.trim() && !original.trim().is_empty()).then(|| original.trim().to_owned()),
        paragraphs,
    })
}

/// "01/12/2026": the dates of a translation, read the same way in every language given.
pub(crate) fn numeric(d: Date) -> String {
    format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year())
}

/// The French name of a language for the letters (the code where the office's list has no name).
fn language_name(l: &Language) -> String {
    language_name_fr(l.as_str())
}

/// The French name of a language code (the code itself where the office's list has no name).
pub(crate) fn language_name_fr(code: &str) -> String {
    let name = match code {
        "fr" => "français",
        "en" => "anglais",
        "ar" => "arabe",
        "prs" => "dari",
        "fa" => "persan",
        "ps" => "pachto",
        "ru" => "russe",
        "es" => "espagnol",
        "tr" => "turc",
        "ti" => "tigrigna",
        "so" => "somali",
        "bn" => "bengali",
        "ur" => "ourdou",
        "sq" => "albanais",
        "ka" => "géorgien",
        "uk" => "ukrainien",
        "am" => "amharique",
        "ln" => "lingala",
        "ht" => "créole haïtien",
        "pt" => "portugais",
        "ku" => "kurde",
        "ta" => "tamoul",
        other => other,
    };
    name.to_owned()
}

/// Prints a letter from the case as it is now.
/// `activation_code` is printed on a receipt issued with the registration (never on a copy).
pub fn letter(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
) -> Result<Letter, OfficeError> {
    letter_signed(office, case, kind, now, activation_code, None, None)
}

/// A letter as it is sent to the applicant: its translation in the language they read their
/// space in (see [`reader_language`]).
pub async fn letter_for_applicant(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
) -> Result<Letter, OfficeError> {
    let reader = reader_language(office, case).await?;
    letter_signed(office, case, kind, now, activation_code, None, reader.as_deref())
}

/// The language the applicant chose to read their space in, when it is one of the portal's other
/// than French: their letters' translation follows it rather than the language recorded at
/// registration. (Choosing French in the space does not remove the translation into the recorded
/// language: a browser's default is no proof that French is understood.)
async fn reader_language(office: &Office, case: &Case) -> Result<Option<String>, OfficeError> {
    let account = office.store().portal_account(&case.number.to_string()).await?;
    Ok(account.and_then(|a| a.lang).filter(|l| Translations::pick(l).is_some_and(|p| p != "fr")))
}

/// A letter; `signer` names who signed a decision (else their login).
fn letter_signed(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
    signer: Option<String>,
    reader: Option<&str>,
) -> Result<Letter, OfficeError> {
    let checklist = office.checklist();
    let rules = office.rules();
    Ok(match kind {
        LetterKind::Receipt => Letter::Receipt(Receipt {
            head: head(case, now, "Service de l'enregistrement"),
            application_kind: match case.kind {
                nansen_domain::ApplicationKind::Asylum => "Demande d'asile".into(),
                nansen_domain::ApplicationKind::ReExamination => "Demande de réexamen".into(),
                nansen_domain::ApplicationKind::Statelessness => "Demande du statut d'apatride".into(),
            },
            procedure: if case.procedure.is_accelerated() {
                "Procédure accélérée".into()
            } else {
                "Procédure normale".into()
            },
            introduced_on: date_fr(case.introduced_on),
            registered_on: date_fr(case.registered_at.date()),
            nationality: rules
                .nationality(case.nationality)
                .map(|n| n.name_fr.clone())
                .unwrap_or_else(|| case.nationality.to_string()),
            language: language_name(&case.language),
            documents_received: checklist
                .for_kind(case.kind)
                .filter(|i| !case.missing.contains(&i.id))
                .filter(|i| i.required)
                .map(|i| i.label_fr.clone())
                .collect(),
            missing: case.missing.iter().map(|m| checklist.label_fr(m).to_owned()).collect(),
            decision_deadline: case.decision_due(rules).map(date_fr),
            activation_code: activation_code.map(str::to_owned),
        }),
        LetterKind::MissingItems => {
            if case.missing.is_empty() {
                return Err(OfficeError::field("letter", "nothing is missing from this file"));
            }
            let missing: Vec<String> = case.missing.iter().map(|m| checklist.label_fr(m).to_owned()).collect();
            let reply_by = now.date() + time::Duration::days(MISSING_ITEMS_DAYS);
            let items = missing.iter().map(|m| format!("• {m}")).collect();
            Letter::MissingItems(MissingItems {
                head: head(case, now, "Service de l'enregistrement"),
                translation: translation(case, reader, "missing_items", &[("reply_by", &numeric(reply_by))], items),
                missing,
                reply_by: date_fr(reply_by),
            })
        }
        LetterKind::Decision => {
            let (Some(draft), Some(signed_at)) = (&case.draft, case.signed_at) else {
                return Err(OfficeError::field("letter", "the decision is not signed"));
            };
            use nansen_domain::decision::Outcome;
            let outcome = match &draft.outcome {
                Outcome::RefugeeStatus { .. } => "La qualité de réfugié vous est reconnue.",
                Outcome::SubsidiaryProtection { .. } => "Le bénéfice de la protection subsidiaire vous est accordé.",
                Outcome::Stateless => "La qualité d'apatride vous est reconnue.",
                Outcome::Rejection => "Votre demande est rejetée.",
                Outcome::Inadmissibility(_) => "Votre demande est déclarée irrecevable.",
                Outcome::Closure(_) => "L'examen de votre demande est clôturé.",
            };
            let signer = signer.unwrap_or_else(|| case.signed_by.as_ref().map(|l| l.to_string()).unwrap_or_default());
            // The decision's meaning in the applicant's language: what was decided, then what
            // follows (the appeal, for a negative decision).
            let meaning = match &draft.outcome {
                Outcome::RefugeeStatus { .. } => "decision_refugee",
                Outcome::SubsidiaryProtection { .. } => "decision_subsidiary",
                Outcome::Stateless => "decision_stateless",
                Outcome::Rejection => "decision_rejection",
                Outcome::Inadmissibility(_) => "decision_inadmissible",
                Outcome::Closure(_) => "decision_closure",
            };
            let follows = if draft.outcome.is_appealable() { "decision_appeal" } else { "decision_granted" };
            let signed_on = numeric(signed_at.date());
            let translation =
                translation(case, reader, meaning, &[("signed_on", &signed_on)], Vec::new()).and_then(|t| {
                    let then = Translations::embedded().ok()?.paragraphs(&t.code, follows, &[])?;
                    Some(Translation { paragraphs: t.paragraphs.into_iter().chain(then).collect(), ..t })
                });
            let service = match (case.division, case.section) {
                (Some(d), Some(s)) => format!("Division {}, section {}", d.as_str(), s.get()),
                _ => "Service de l'instruction".into(),
            };
            Letter::Decision(Decision {
                head: head(case, now, &service),
                outcome: outcome.into(),
                facts: draft.facts.clone(),
                law: draft.law.clone(),
                sources: draft
                    .sources
                    .iter()
                    .map(|s| format!("{}, passage {}", s.reference, s.citation.passage))
                    .collect(),
                signed_by: format!("{signer}, chef(fe) de section"),
                signed_on: date_fr(signed_at.date()),
                appeal: draft.outcome.is_appealable().then(|| "un mois".to_owned()),
                translation,
            })
        }
        LetterKind::ClosureForAbsence => {
            let (Some(closed_on), Some(absence)) = (case.closed_on, case.absences.last().filter(|a| !a.excused)) else {
                return Err(OfficeError::field("letter", "the examination is not closed for an absence"));
            };
            let service = match (case.division, case.section) {
                (Some(d), Some(s)) => format!("Division {}, section {}", d.as_str(), s.get()),
                _ => "Service de l'instruction".into(),
            };
            let signed_on = numeric(closed_on);
            let translation = translation(case, reader, "decision_closure", &[("signed_on", &signed_on)], Vec::new())
                .and_then(|t| {
                    let then = Translations::embedded().ok()?.paragraphs(&t.code, "closure_reopen", &[])?;
                    Some(Translation { paragraphs: t.paragraphs.into_iter().chain(then).collect(), ..t })
                });
            let signed_by = match signer {
                Some(name) => format!("{name}, chef(fe) de section"),
                None => "Le (la) chef(fe) de section".into(),
            };
            Letter::Decision(Decision {
                head: head(case, now, &service),
                outcome: "L'examen de votre demande est clôturé.".into(),
                facts: format!(
                    "Vous avez été convoqué(e) à un entretien personnel le {}. Vous ne vous y êtes pas présenté(e) \
                     et l'Office n'a pas reçu de motif légitime de votre absence.",
                    date_fr(absence.on)
                ),
                law: "En application de l'article L.531-38 du code de l'entrée et du séjour des étrangers et du \
                      droit d'asile, l'Office clôture l'examen d'une demande lorsque le demandeur, sans motif \
                      légitime, ne s'est pas présenté à l'entretien personnel auquel il était convoqué. \
                      Vous pouvez demander la réouverture de l'examen de votre demande, une seule fois, dans un \
                      délai de neuf mois à compter de la présente décision (article L.531-40) : l'examen reprend \
                      alors au stade où il a été interrompu. Passé ce délai, la clôture est définitive et une \
                      nouvelle demande sera examinée comme une demande de réexamen."
                    .into(),
                sources: Vec::new(),
                signed_by,
                signed_on: date_fr(closed_on),
                appeal: None,
                translation,
            })
        }
        LetterKind::Convocation => {
            let Some(interview) = &case.interview else {
                return Err(OfficeError::field("letter", "no interview is scheduled"));
            };
            let place = interview.place.clone().unwrap_or_default();
            let service = match (case.division, case.section) {
                (Some(d), Some(s)) => format!("Division {}, section {}", d.as_str(), s.get()),
                _ => "Service de l'instruction".into(),
            };
            let translation = translation(
                case,
                reader,
                "convocation",
                &[("date", &numeric(interview.on)), ("place", &place)],
                Vec::new(),
            );
            Letter::Convocation(Convocation {
                head: head(case, now, &service),
                translation,
                date: weekday_date_fr(interview.on),
                mode: match interview.mode {
                    InterviewMode::VideoLink => ConvocationMode::Video { link_or_room: place },
                    _ => ConvocationMode::InPerson { place },
                },
                interpreter_language: interview.interpreter.as_ref().map(language_name),
                to_bring: vec![
                    "la présente convocation".into(),
                    "votre attestation de demande d'asile".into(),
                    "vos documents d'identité ou de voyage, s'il y en a (originaux)".into(),
                    "tout document utile à l'appui de votre demande, avec sa traduction si possible".into(),
                ],
                children_must_come: case.family.iter().any(|p| p.role == nansen_domain::FamilyRole::Child),
            })
        }
    })
}

/// Prints a letter from the case (as it is, or as the commit will leave it) and stores it;
/// `activation_code` is printed on a receipt issued with the registration (never on a copy).
pub(crate) async fn print(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
) -> Result<NewDocument, OfficeError> {
    let letter = letter_for_applicant(office, case, kind, now, activation_code).await?;
    print_and_store(office, &letter, kind, now).await
}

/// The command that files a printed letter: every letter the office sends is also put in the
/// applicant's secure space.
pub(crate) fn issue_command(letter: NewDocument) -> Command {
    Command::IssueLetter { letter, reference: crate::codes::new_reference() }
}

/// The signed decision printed and stored, ready to be notified with [`Command::NotifyDecision`].
pub(crate) async fn decision_letter(office: &Office, case: &Case) -> Result<NewDocument, OfficeError> {
    let now = office.now();
    let signer = match &case.signed_by {
        Some(l) => office.store().account(l.as_str()).await?.map(|a| a.display_name),
        None => None,
    };
    let reader = reader_language(office, case).await?;
    let letter = letter_signed(office, case, LetterKind::Decision, now, None, signer, reader.as_deref())?;
    print_and_store(office, &letter, LetterKind::Decision, now).await
}

/// The decision closing the examination for absence, printed from the case as the closure
/// leaves it and signed by the section head who closed it.
pub(crate) async fn closure_letter(office: &Office, agent: &Agent, closed: &Case) -> Result<NewDocument, OfficeError> {
    let now = office.now();
    let signer = office.store().account(agent.login.as_str()).await?.map(|a| a.display_name);
    let reader = reader_language(office, closed).await?;
    let letter = letter_signed(office, closed, LetterKind::ClosureForAbsence, now, None, signer, reader.as_deref())?;
    print_and_store(office, &letter, LetterKind::ClosureForAbsence, now).await
}

/// The letter a step of a case's history called for, printed as it would have been then: for a
/// history written elsewhere than through this office (the demo's), so that its cases carry
/// their letters as real ones do. `case` is the case as that step left it (before it, for the
/// decision, which is notified with its letter); the caller files it with `Command::IssueLetter`
/// or `Command::NotifyDecision`.
pub async fn print_as_of(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    at: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let signer = match (&case.signed_by, kind) {
        (Some(l), LetterKind::Decision) => office.store().account(l.as_str()).await?.map(|a| a.display_name),
        _ => None,
    };
    let letter = letter_signed(office, case, kind, at, None, signer, None)?;
    print_and_store(office, &letter, kind, at).await
}

/// Issues a letter again on request (the "print again" button): filing documents must be allowed.
pub async fn issue_on_request(
    office: &Office,
    agent: &Agent,
    number: &str,
    kind: LetterKind,
) -> Result<Case, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let applied = office
        .act(agent, Act::FileDocuments, &resource, &subject, async || {
            let now = office.now();
            let letter = print(office, &case, kind, now, None).await?;
            Ok(vec![case_op(agent, now, case.number, issue_command(letter))])
        })
        .await?;
    last_case(applied)
}

/// Renders a letter to PDF/A, stores it, and describes it as a document of the file.
async fn print_and_store(
    office: &Office,
    letter: &Letter,
    kind: LetterKind,
    now: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let pdf = office.printer().render(letter).map_err(|e| OfficeError::Internal(format!("printing: {e}")))?;
    let kind = match kind {
        LetterKind::Receipt => DocumentKind::Receipt,
        LetterKind::MissingItems => DocumentKind::MissingItemsRequest,
        LetterKind::Convocation => DocumentKind::Convocation,
        LetterKind::Decision | LetterKind::ClosureForAbsence => DocumentKind::Decision,
    };
    store_issued(office, pdf, kind, letter.title(), format!("{}.pdf", letter.kind()), now).await
}

/// Stores a PDF the office printed (in French) and describes it as an issued document of the
/// file: letters and certified copies alike.
pub(crate) async fn store_issued(
    office: &Office,
    pdf: Vec<u8>,
    kind: DocumentKind,
    description: String,
    file_name: String,
    now: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let hash = StoreHash::of(&pdf);
    let size = pdf.len() as u64;
    let pages = nansen_docs::inspect::inspect_bytes(&pdf, &office.upload_limits()).map(|i| i.pages).unwrap_or(1);
    office
        .documents()
        .put_bytes(&hash, pdf.into())
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    Ok(NewDocument {
        sha256: ContentHash::parse(&hash.to_hex()).map_err(OfficeError::Domain)?,
        media_type: "application/pdf".into(),
        size,
        pages,
        kind,
        language: Language::parse("fr").ok(),
        received_on: now.date(),
        description,
        file_name,
        origin: Origin::Issued,
        active_content: Vec::new(),
    })
}
