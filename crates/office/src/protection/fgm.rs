//! The follow-up of girls protected from female genital mutilation (workspace `protection`,
//! CESEDA L.561-8): a girl's follow-up as its keepers see it (her, the letters, the restricted
//! certificates, the reports), each step authorized and committed with its journal entry, and the
//! daily list of what is due, overdue, or awaiting signature.

use nansen_authz::{Action as Act, Role};
use nansen_docs::inspect::Staged;
use nansen_domain::documents::{DocumentKind, Origin};
use nansen_domain::lifecycle::{Case, Command, CommandKind};
use nansen_domain::protection::IncidentKind;
pub use nansen_store::FgmLine;
use nansen_store::FGM_LIMIT;
use serde::Serialize;
use time::{Date, Duration};

use crate::actor::Agent;
use crate::documents::{new_document, store_staged};
use crate::target::{case_op, load_target, predict, CaseTarget};
use crate::{Office, OfficeError};

/// What the follow-up's page offers now: the policies allow it *and* the domain would consider it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FgmOffers {
    /// Girls of the file a follow-up may open for (female, minor, none yet).
    pub open: Vec<u16>,
    pub keep: bool,
    pub sign: bool,
}

/// A case's follow-ups as their keepers (or the director, for the reports) see them: the
/// persons, the follow-ups and their restricted certificates; nothing else of the file.
pub struct FgmView {
    pub case: Case,
    pub offers: FgmOffers,
}

/// The actions of the page, the one that opens it first (the director signs, the registrars keep).
fn actions(agent: &Agent) -> [Act; 2] {
    if agent.role() == Role::Director {
        [Act::SignFgmReport, Act::FollowUpFgm]
    } else {
        [Act::FollowUpFgm, Act::SignFgmReport]
    }
}

/// Reads a case's follow-ups; `Forbidden` unless the agent keeps them or signs their reports.
pub async fn read_fgm(office: &Office, agent: &Agent, number: &str) -> Result<FgmView, OfficeError> {
    let CaseTarget { mut case, resource, subject } = load_target(office, number).await?;
    let asked = actions(agent);
    let answers = office.ask(agent, &asked, &resource, &subject).await?;
    let allowed = |a: Act| asked.iter().position(|x| *x == a).is_some_and(|i| answers.allowed(i));
    let keep = allowed(Act::FollowUpFgm);
    let today = office.today();
    let open = if keep && case.offers(CommandKind::OpenFgmFollowUp) {
        (0..case.persons().len() as u16)
            .filter(|p| nansen_domain::protection::fgm::check_opening(&case.persons(), &case.fgm, *p, today).is_ok())
            .collect()
    } else {
        Vec::new()
    };
    let offers = FgmOffers {
        open,
        keep: keep && case.offers(CommandKind::SendFgmLetter),
        sign: allowed(Act::SignFgmReport) && case.offers(CommandKind::SignFgmReport),
    };
    // The page is the follow-up: of the file, the persons and the certificates only (to their
    // keepers: the director signs a report without seeing the medical certificate).
    case.interview_record = None;
    case.draft = None;
    case.review_comments.clear();
    case.messages.clear();
    case.appeal = None;
    case.civil_acts.clear();
    case.originals.clear();
    case.documents
        .retain(|d| keep && matches!(d.document.kind, DocumentKind::FgmCertificate | DocumentKind::FgmLetter));
    if !keep {
        for f in &mut case.fgm {
            f.certificates.clear();
        }
    }
    Ok(FgmView { case, offers })
}

/// A step of a follow-up, as parsed from a form or a JSON body.
pub enum FgmOp {
    Open {
        person: u16,
    },
    Letter {
        person: u16,
        on: Date,
    },
    /// The certificate's file, staged (hashed, checked by content) before the authorization.
    Certificate {
        person: u16,
        examined_on: Date,
        mutilation_found: bool,
        file: Staged,
        file_name: String,
    },
    Incident {
        person: u16,
        on: Date,
        kind: IncidentKind,
    },
    Advance {
        person: u16,
        on: Date,
        grounds: String,
    },
    Sign {
        person: u16,
        report: u32,
    },
}

impl FgmOp {
    pub fn action(&self) -> Act {
        match self {
            FgmOp::Sign { .. } => Act::SignFgmReport,
            _ => Act::FollowUpFgm,
        }
    }
}

/// Authorizes, checks and commits a step; a certificate's bytes are stored only once the domain
/// accepts it, and the authorization and the event are one commit.
pub async fn act_on_fgm(office: &Office, agent: &Agent, number: &str, op: FgmOp) -> Result<FgmView, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let action = op.action();
    office
        .act(agent, action, &resource, &subject, async || {
            let now = office.now();
            let command = match op {
                FgmOp::Open { person } => Command::OpenFgmFollowUp { person },
                FgmOp::Letter { person, on } => {
                    // A letter sent today is printed by the office; an earlier one is recorded.
                    let letter =
                        if on == now.date() { Some(fgm_letter(office, &case, person, now).await?) } else { None };
                    let reference = letter.as_ref().map(|_| crate::codes::new_reference());
                    Command::SendFgmLetter { person, on, letter, reference }
                }
                FgmOp::Incident { person, on, kind } => Command::ReportFgmIncident { person, on, kind },
                FgmOp::Advance { person, on, grounds } => Command::AdvanceFgmExamination { person, on, grounds },
                FgmOp::Sign { person, report } => Command::SignFgmReport { person, report },
                FgmOp::Certificate { person, examined_on, mutilation_found, file, file_name } => {
                    let document = new_document(
                        &file,
                        file_name,
                        DocumentKind::FgmCertificate,
                        None,
                        now.date(),
                        "Certificat médical (suivi MSF)".into(),
                        Origin::Scan,
                    )?;
                    let command = Command::ReceiveFgmCertificate { person, examined_on, mutilation_found, document };
                    predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&command))?;
                    store_staged(office, std::slice::from_ref(&file)).await?;
                    command
                }
            };
            Ok(vec![case_op(agent, now, case.number, command)])
        })
        .await?;
    read_fgm(office, agent, number).await
}

/// The letter to a girl's legal representatives asking for her examination, with the model
/// certificate, printed now. Public for a history written elsewhere than through this office.
pub async fn fgm_letter(
    office: &Office,
    case: &Case,
    person: u16,
    now: time::OffsetDateTime,
) -> Result<nansen_domain::documents::NewDocument, OfficeError> {
    use crate::letters::date_fr;
    let Some(girl) = case.persons().get(usize::from(person)).copied() else {
        return Err(OfficeError::field("person", format!("the case names no person n° {person}")));
    };
    let name = format!("{} {}", girl.given_names.latin, girl.family_name.latin.to_uppercase());
    let f = case.fgm.iter().find(|f| f.person == person);
    let examination = match f {
        Some(f) if !f.advanced.is_empty() && f.advanced.last().is_some_and(|(on, _)| *on >= now.date()) => {
            "examen anticipé"
        }
        Some(f) if !f.certificates.is_empty() => "examen quinquennal",
        _ => "premier examen",
    };
    let mut head = crate::letters::head(case, now, "Service de l'état civil — suivi des enfants protégées");
    if person == 0 {
        // She is the applicant: the letter goes to her legal representatives.
        head.addressee.name = format!("Aux représentants légaux de {name}");
        head.addressee.salutation = nansen_docs::print::Salutation::Neutral;
    }
    let due = nansen_domain::protection::fgm::due_after_letter(office.rules(), now.date())?;
    let letter = nansen_docs::print::Letter::FgmLetter(nansen_docs::print::FgmLetter {
        head,
        child_name: name,
        child_born: crate::protection::civil::partial_date_fr(&girl.birth_date),
        certificate_by: date_fr(due),
        examination: examination.to_owned(),
    });
    let pdf = office.printer().render(&letter).map_err(|e| OfficeError::Internal(format!("printing: {e}")))?;
    crate::letters::store_issued(office, pdf, DocumentKind::FgmLetter, letter.title(), "courrier-msf.pdf".into(), now)
        .await
}

/// The daily list: follow-ups due within `days` (overdue first) of girls not yet of age, and
/// reports awaiting signature; journaled with the cases shown.
#[derive(Debug, Clone, Serialize)]
pub struct FgmList {
    pub due: Vec<FgmLine>,
    pub unsigned: Vec<FgmLine>,
    pub today: Date,
    pub until: Date,
    pub truncated: bool,
}

/// The longest horizon of the list, in days.
pub const HORIZON_MAX_DAYS: i64 = 366;

pub async fn follow_ups(office: &Office, agent: &Agent, days: Option<i64>) -> Result<FgmList, OfficeError> {
    let days = days.unwrap_or(30);
    if !(0..=HORIZON_MAX_DAYS).contains(&days) {
        return Err(OfficeError::field("days", format!("0 to {HORIZON_MAX_DAYS} days ahead")));
    }
    let today = office.today();
    let until = today + Duration::days(days);
    let mut unsigned = Vec::new();
    let mut truncated = false;
    let due = office
        .ask_listing(agent, Act::ReadFgmFollowUps, async || {
            let due = office.store().fgm_due(&today.to_string(), &until.to_string(), FGM_LIMIT).await?;
            truncated = due.len() as u32 >= FGM_LIMIT;
            unsigned = office.store().fgm_unsigned(FGM_LIMIT).await?;
            let shown: Vec<String> =
                due.iter().chain(unsigned.iter()).map(|l| format!("{}:{}", l.case_number, l.person)).collect();
            Ok((due, serde_json::json!(shown)))
        })
        .await?;
    Ok(FgmList { due, unsigned, today, until, truncated })
}
