//! Civil status of protected people (workspace `protection`): the civil registrar's view of a
//! protected person's acts, drawing up acts, mentions, sealed certified copies (printed PDF/A,
//! stored, filed and put in the person's space in one commit), the register's search, the
//! protected person's requests from their space, and the public verification of a copy.

use nansen_authz::Action as Act;
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::print::{CertifiedCopy, FamilyBook, Letter};
use nansen_domain::documents::DocumentKind;
use nansen_domain::lifecycle::{decide, Case, Command, CommandKind, Ctx};
use nansen_domain::person::{BirthDate, Name, Sex};
use nansen_domain::protection::{seal_message, ActFacts, ActKind, ActNumber, CivilAct, NewAct, NewMention};
pub use nansen_store::{ActLine, RegisterQuery};
use nansen_store::{CopyLine, Op, REGISTER_LIMIT};
use rand::RngCore;
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::actor::{Agent, Applicant};
pub use crate::documents::{is_registrar, registrar_documents, REGISTRAR_KINDS};
use crate::letters::{date_fr, store_issued};
use crate::target::{case_op, load_target, CaseTarget};
use crate::{Office, OfficeError};

/// The case actions of the civil-status page, in the order asked.
const CIVIL_ACTIONS: [Act; 3] = [Act::ReadCivilStatus, Act::RecordCivilStatus, Act::ReadDocuments];

/// What the page offers now: the policies allow it *and* the domain would consider it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CivilOffers {
    pub draw_up: bool,
    pub mention: bool,
    pub copy: bool,
    /// The family record book, once the register holds a marriage or a child's birth.
    pub family_book: bool,
}

/// A protected person's civil status as a registrar sees it: the case's persons and
/// civil-status documents, the acts with their mentions and copies; nothing of the fears.
pub struct CivilView {
    pub case: Case,
    pub offers: CivilOffers,
}

/// Strips a case down to its civil-status part.
fn civil_part(mut case: Case, documents: bool) -> Case {
    case.interview_record = None;
    case.draft = None;
    case.review_comments.clear();
    case.messages.clear();
    case.appeal = None;
    if documents {
        registrar_documents(&mut case.documents);
    } else {
        case.documents.clear();
    }
    case.originals.clear();
    case
}

/// Reads a protected person's civil status: `Forbidden` unless the agent may read it; the
/// actions of the page are asked at once and journaled in one entry.
pub async fn read_civil_status(office: &Office, agent: &Agent, number: &str) -> Result<CivilView, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let answers = office.ask(agent, &CIVIL_ACTIONS, &resource, &subject).await?;
    let record = answers.allowed(1);
    let offers = CivilOffers {
        draw_up: record && case.offers(CommandKind::DrawUpAct),
        mention: record && case.offers(CommandKind::AddMention),
        copy: record && case.offers(CommandKind::IssueCopy),
        family_book: record && case.offers(CommandKind::IssueFamilyBook),
    };
    Ok(CivilView { case: civil_part(case, answers.allowed(2)), offers })
}

/// A step of civil status, as parsed from a form or a JSON body.
#[derive(Debug, Clone)]
pub enum CivilOp {
    DrawUp {
        kind: ActKind,
        facts: Box<ActFacts>,
        documents: Vec<u32>,
    },
    Mention {
        act: ActNumber,
        mention: NewMention,
    },
    Copy {
        act: ActNumber,
    },
    /// The family record book, printed from the register's acts as they stand.
    FamilyBook,
}

/// What a step did: the case's civil status after it, and the act it concerned.
pub struct CivilOutcome {
    pub view: CivilView,
    pub act: ActNumber,
}

/// Authorizes, checks and commits a step: the authorization and the events in one transaction.
/// An act's number is taken from the year's register only once the domain accepts the act.
pub async fn act_on_civil_status(
    office: &Office,
    agent: &Agent,
    number: &str,
    op: CivilOp,
) -> Result<CivilOutcome, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let mut concerned = None;
    office
        .act(agent, Act::RecordCivilStatus, &resource, &subject, async || {
            let now = office.now();
            let command = match op {
                CivilOp::DrawUp { kind, mut facts, documents } => {
                    fill_from_declared(&case, kind, &mut facts);
                    // The domain's checks with a number no case holds, then the real number.
                    let probe = NewAct {
                        number: ActNumber::new(now.year(), 999_999).map_err(OfficeError::Domain)?,
                        kind,
                        facts: (*facts).clone(),
                        documents: documents.clone(),
                    };
                    let ctx = Ctx { actor: agent.login.clone(), now, rules: office.rules() };
                    decide(&case, &Command::DrawUpAct(Box::new(probe)), &ctx)?;
                    let number = office.store().reserve_act_number(now.year()).await?;
                    concerned = Some(number);
                    Command::DrawUpAct(Box::new(NewAct { number, kind, facts: *facts, documents }))
                }
                CivilOp::Mention { act, mention } => {
                    concerned = Some(act);
                    Command::AddMention { act, mention }
                }
                CivilOp::Copy { act } => {
                    concerned = Some(act);
                    copy_command(office, &case, act, false, now).await?
                }
                CivilOp::FamilyBook => {
                    let (first, command) = family_book_command(office, &case, now).await?;
                    concerned = Some(first);
                    command
                }
            };
            Ok(vec![case_op(agent, now, case.number, command)])
        })
        .await?;
    let act = concerned.ok_or_else(|| OfficeError::Internal("no act concerned".into()))?;
    Ok(CivilOutcome { view: read_civil_status(office, agent, number).await?, act })
}

/// Fills what the registrar left blank from the civil status declared during the procedure:
/// names, sex, birth date, and for a birth act its date and place.
pub fn fill_from_declared(case: &Case, kind: ActKind, facts: &mut ActFacts) {
    let Some(person) = case.persons().get(usize::from(facts.person)).copied() else {
        return;
    };
    let blank = |n: &Name| n.latin.trim().is_empty() && n.original.trim().is_empty();
    if blank(&facts.family_name) {
        facts.family_name = person.family_name.clone();
    }
    if blank(&facts.given_names) {
        facts.given_names = person.given_names.clone();
    }
    if facts.sex == Sex::Unspecified {
        facts.sex = person.sex;
    }
    if kind == ActKind::Birth {
        if facts.event_on == BirthDate::Unknown {
            facts.event_on = person.birth_date;
        }
        if blank(&facts.place) {
            if let Some(place) = &person.birth_place {
                facts.place = Name::latin_only(place.clone());
            }
        }
    } else if facts.born_on == BirthDate::Unknown {
        facts.born_on = person.birth_date;
    }
}

/// A partial date in French words: "1990", "mars 1990", "12 juin 2015".
pub fn partial_date_fr(d: &BirthDate) -> String {
    match *d {
        BirthDate::Exact(d) => date_fr(d),
        BirthDate::YearMonth { year, month } => match time::Month::try_from(month) {
            Ok(m) => {
                let first = time::Date::from_calendar_date(year, m, 1).map(date_fr).unwrap_or_default();
                first.trim_start_matches("1er ").to_owned()
            }
            Err(_) => year.to_string(),
        },
        BirthDate::Year(y) => y.to_string(),
        BirthDate::Unknown => "inconnue".to_owned(),
    }
}

fn both(name: &Name) -> String {
    if name.original == name.latin || name.original.trim().is_empty() {
        name.latin.clone()
    } else {
        format!("{} ({})", name.latin, name.original)
    }
}

/// The lines of a copy, in French: the act's fields as they stand.
fn copy_fields(act: &CivilAct) -> Vec<(String, String)> {
    let f = &act.facts;
    let mut fields = vec![
        ("Nom".to_owned(), f.family_name.latin.to_uppercase()),
        ("Nom (écriture d'origine)".to_owned(), f.family_name.original.clone()),
        ("Prénoms".to_owned(), f.given_names.latin.clone()),
        ("Prénoms (écriture d'origine)".to_owned(), f.given_names.original.clone()),
        (
            "Sexe".to_owned(),
            match f.sex {
                Sex::Female => "féminin",
                Sex::Male => "masculin",
                Sex::Unspecified => "non précisé",
            }
            .to_owned(),
        ),
    ];
    let event = match act.kind {
        ActKind::Birth => "Date de naissance",
        ActKind::Marriage => "Date du mariage",
        ActKind::Death => "Date du décès",
    };
    if act.kind != ActKind::Birth {
        fields.push(("Date de naissance".to_owned(), partial_date_fr(&f.born_on)));
    }
    fields.push((event.to_owned(), partial_date_fr(&f.event_on)));
    fields.push(("Lieu".to_owned(), both(&f.place)));
    for (label, party) in [("Père", &f.father), ("Mère", &f.mother), ("Conjoint", &f.spouse)] {
        if let Some(p) = party {
            let born = match p.born_on {
                BirthDate::Unknown => String::new(),
                b => format!(", né(e) en {}", partial_date_fr(&b)),
            };
            fields.push((label.to_owned(), format!("{} {}{born}", both(&p.family_name), both(&p.given_names))));
        }
    }
    fields.retain(|(_, v)| !v.trim().is_empty());
    fields
}

/// A copy's random reference: 20 letters and digits (about 119 bits).
fn new_copy_id() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect()
}

/// The verification link of a copy: its reference and its seal.
pub fn verify_url(office: &Office, copy: &str, seal: &str) -> String {
    format!("{}/verify/{copy}?seal={seal}", office.config().public_url.trim_end_matches('/'))
}

/// Prints, seals and stores a certified copy of the act as it stands now, and returns the
/// command that files it and puts it in the protected person's space.
async fn copy_command(
    office: &Office,
    case: &Case,
    number: ActNumber,
    requested: bool,
    now: OffsetDateTime,
) -> Result<Command, OfficeError> {
    let Some(act) = case.civil_act(number) else {
        return Err(OfficeError::field("act", format!("there is no act {number} in this case's register")));
    };
    let id = new_copy_id();
    let version = act.version();
    let seal_key = &office.config().seal;
    let seal = seal_key.sign(&seal_message(&id, number, act.kind, version, now.date()));
    let copy = CertifiedCopy {
        title: act.kind.french_title().to_owned(),
        act_number: number.to_string(),
        fields: copy_fields(act),
        mentions: act
            .mentions
            .iter()
            .map(|m| format!("{}, le {} : {}", m.mention.kind.french(), date_fr(m.mention.on), m.mention.text))
            .collect(),
        issued_on: date_fr(now.date()),
        verify_url: verify_url(office, &id, &seal),
        seal: format!("Sceau électronique de l'office, clé {} — copie {id}", seal_key.key_id()),
        signatory: "Pour le directeur général, l'officier de l'état civil".to_owned(),
    };
    let pdf = office
        .printer()
        .certified_copy(&copy, now)
        .map_err(|e| OfficeError::Internal(format!("printing the copy: {e}")))?;
    let description = format!("{} {number} — copie intégrale", act.kind.french_title());
    let letter =
        store_issued(office, pdf, DocumentKind::CertifiedCopy, description, format!("{number}.pdf"), now).await?;
    Ok(Command::IssueCopy {
        act: number,
        copy: id,
        version,
        letter,
        reference: crate::codes::new_reference(),
        requested,
    })
}

/// The family record book's command: the book printed now, filed and put in the protected
/// person's space; with the first act it holds.
async fn family_book_command(
    office: &Office,
    case: &Case,
    now: OffsetDateTime,
) -> Result<(ActNumber, Command), OfficeError> {
    let (first, letter) = print_family_book(office, case, now).await?;
    Ok((first, Command::IssueFamilyBook { letter, reference: crate::codes::new_reference() }))
}

/// Prints the family record book from the register's acts as they stand (the marriage, the
/// children's births, their mentions) and stores it; returns the first act it holds and the
/// document. Public for a history written elsewhere than through this office (the demo's).
pub async fn print_family_book(
    office: &Office,
    case: &Case,
    now: OffsetDateTime,
) -> Result<(ActNumber, nansen_domain::documents::NewDocument), OfficeError> {
    let marriage = case.civil_acts.iter().find(|a| a.kind == ActKind::Marriage);
    let children: Vec<&CivilAct> =
        case.civil_acts.iter().filter(|a| a.kind == ActKind::Birth && a.facts.person > 0).collect();
    let Some(first) = marriage.or(children.first().copied()) else {
        return Err(OfficeError::field(
            "act",
            "a family record book needs a marriage act or a child's birth act in the register",
        ));
    };
    let person = |family: &Name, given: &Name, born: &BirthDate, place: Option<&Name>| {
        let born = match born {
            BirthDate::Unknown => String::new(),
            b => format!(", né(e) {}", partial_date_fr(b)),
        };
        let place = place.map(|p| format!(" à {}", both(p))).unwrap_or_default();
        format!("{} {}{born}{place}", both(family), both(given))
    };
    let mut spouses = Vec::new();
    let applicant = &case.applicant;
    let own_birth = case.civil_acts.iter().find(|a| a.kind == ActKind::Birth && a.facts.person == 0);
    spouses.push(match own_birth {
        Some(b) => person(&b.facts.family_name, &b.facts.given_names, &b.facts.event_on, Some(&b.facts.place)),
        None => person(&applicant.family_name, &applicant.given_names, &applicant.birth_date, None),
    });
    if let Some(spouse) = marriage.and_then(|m| m.facts.spouse.as_ref()) {
        spouses.push(person(&spouse.family_name, &spouse.given_names, &spouse.born_on, None));
    }
    let marriage_line = marriage.map(|m| {
        format!(
            "Mariage célébré le {} à {} — acte {}",
            partial_date_fr(&m.facts.event_on),
            both(&m.facts.place),
            m.number
        )
    });
    let children_lines = children
        .iter()
        .map(|c| {
            format!(
                "{} — acte {}",
                person(&c.facts.family_name, &c.facts.given_names, &c.facts.event_on, Some(&c.facts.place)),
                c.number
            )
        })
        .collect();
    let mentions = marriage
        .into_iter()
        .chain(children.iter().copied())
        .flat_map(|a| {
            a.mentions.iter().map(move |m| {
                format!(
                    "Acte {} — {}, le {} : {}",
                    a.number,
                    m.mention.kind.french(),
                    date_fr(m.mention.on),
                    m.mention.text
                )
            })
        })
        .collect();
    let book = Letter::FamilyBook(FamilyBook {
        head: crate::letters::head(case, now, "Service de l'état civil"),
        spouses,
        marriage: marriage_line,
        children: children_lines,
        mentions,
        issued_by: "Pour le directeur général, l'officier de l'état civil".to_owned(),
    });
    let pdf = office.printer().render(&book).map_err(|e| OfficeError::Internal(format!("printing: {e}")))?;
    let letter =
        store_issued(office, pdf, DocumentKind::FamilyBook, book.title(), "livret-de-famille.pdf".into(), now).await?;
    Ok((first.number, letter))
}

/// The register searched by number, name, year or kind (journaled with the acts shown).
pub async fn register(office: &Office, agent: &Agent, query: &RegisterQuery) -> Result<Vec<ActLine>, OfficeError> {
    if query.name.as_deref().is_some_and(|n| n.chars().count() > 100) {
        return Err(OfficeError::field("name", "at most 100 characters"));
    }
    office
        .ask_listing(agent, Act::ReadRegister, async || {
            let lines = office.store().register(query, REGISTER_LIMIT).await?;
            let shown = serde_json::json!(lines.iter().map(|l| l.number.as_str()).collect::<Vec<_>>());
            Ok((lines, shown))
        })
        .await
}

/// The case whose register holds an act, for a registrar going to it by number.
pub async fn case_of_act(office: &Office, agent: &Agent, number: &str) -> Result<String, OfficeError> {
    let number = ActNumber::parse(number).map_err(|e| OfficeError::field("number", e.to_string()))?;
    let query = RegisterQuery { number: Some(number), ..RegisterQuery::default() };
    register(office, agent, &query)
        .await?
        .into_iter()
        .next()
        .map(|l| l.case_number)
        .ok_or_else(|| OfficeError::NotFound(format!("act {number}")))
}

// ---- the protected person's space ----------------------------------------------------------------------------------

/// The protected person asks for a copy of one of their file's acts: printed, sealed and put in
/// their space at once (journaled under the applicant).
pub async fn request_copy(office: &Office, applicant: &Applicant, act: &str) -> Result<(), OfficeError> {
    let number = ActNumber::parse(act).map_err(|e| OfficeError::field("act", e.to_string()))?;
    let case = crate::portal::own_case(office, applicant).await?;
    if case.civil_act(number).is_none() {
        return Err(OfficeError::NotFound(format!("act {number}")));
    }
    let now = office.now();
    let command = copy_command(office, &case, number, true, now).await?;
    let op = Op { actor: applicant.login(), now, action: nansen_store::Action::Case { number: case.number, command } };
    office.store().execute_one(op).await?.map_err(OfficeError::Domain)?;
    Ok(())
}

// ---- public verification -------------------------------------------------------------------------------------------

/// What the public verification page says of a copy. Only what the holder already reads on it:
/// the act's number and kind and the day the copy was issued.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "verdict")]
pub enum Verdict {
    /// Sealed by the office and still the act as it stands.
    Genuine { act: String, kind: String, issued_on: String },
    /// Sealed by the office, but a mention was added to the act since: ask for a new copy.
    Superseded { act: String, kind: String, issued_on: String },
    /// The seal does not match the copy's reference: the link or the copy was altered.
    BadSeal,
    /// No copy was issued under this reference (or with exactly this file's content).
    Unknown,
}

fn judged(line: CopyLine) -> Verdict {
    let issued_on = line.issued_at.get(..10).unwrap_or_default().to_owned();
    if line.version == line.current_version {
        Verdict::Genuine { act: line.act, kind: line.kind, issued_on }
    } else {
        Verdict::Superseded { act: line.act, kind: line.kind, issued_on }
    }
}

/// Checks a copy's reference and seal, as its QR code gives them.
pub async fn verify_copy(office: &Office, id: &str, seal: &str) -> Result<Verdict, OfficeError> {
    if id.len() > 64 || seal.len() > 256 {
        return Ok(Verdict::Unknown);
    }
    let Some(line) = office.store().copy_by_id(id).await? else {
        return Ok(Verdict::Unknown);
    };
    let (Ok(act), Some(kind)) = (ActNumber::parse(&line.act), ActKind::parse(&line.kind)) else {
        return Ok(Verdict::Unknown);
    };
    let issued_on = Date::parse(
        line.issued_at.get(..10).unwrap_or_default(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|e| OfficeError::Internal(format!("copy {id}: {e}")))?;
    let version = u32::try_from(line.version).unwrap_or(u32::MAX);
    if !office.config().seal.verify(&seal_message(id, act, kind, version, issued_on), seal) {
        return Ok(Verdict::BadSeal);
    }
    Ok(judged(line))
}

/// Checks a file handed to the page: it is a copy the office issued only if its content is,
/// byte for byte, one the office stored.
pub async fn verify_file(office: &Office, bytes: &[u8]) -> Result<Verdict, OfficeError> {
    let hash = StoreHash::of(bytes).to_hex();
    Ok(match office.store().copy_by_sha256(&hash).await? {
        Some(line) => judged(line),
        None => Verdict::Unknown,
    })
}
