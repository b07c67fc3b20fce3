//! The end of a protection (workspace `protection`): cessation, withdrawal (fraud, exclusion,
//! threat) and renunciation. An officer of the case's division opens the procedure with a letter
//! that states the ground and the facts and gives the person a month to answer; the answer comes
//! through the person's space or by post; the officer drafts a reasoned decision once the person
//! was heard; a section head signs it and its letter is put in the person's space. Each step is
//! authorized and committed with its journal entry; the letters are printed before the commit.

use nansen_authz::Action as Act;
use nansen_docs::print::{EndingDecision as DecisionLetter, EndingNotice, Letter};
use nansen_domain::documents::{DocumentKind, NewDocument};
use nansen_domain::lifecycle::{Case, Command, CommandKind};
use nansen_domain::protection::{ending, Ending, EndingGround};
pub use nansen_store::EndingLine;
use nansen_store::{Op, ENDINGS_LIMIT};
use serde::Serialize;
use time::{Date, Duration, OffsetDateTime};

use crate::actor::{Agent, Applicant};
use crate::letters::{date_fr, head, store_issued};
use crate::target::{case_op, load_target, CaseTarget};
use crate::{Office, OfficeError};

/// What the procedure's page offers now: the policies allow it *and* the domain would consider it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EndingOffers {
    pub open: bool,
    pub answer: bool,
    pub draft: bool,
    pub sign: bool,
}

/// A case's procedures to end its protection as an officer or a section head sees them: the
/// persons, the protection, the procedures and their letters; nothing of the account of fears.
pub struct EndingView {
    pub case: Case,
    pub offers: EndingOffers,
    /// Why drafting is not offered yet while the person may still answer.
    pub answer_due: Option<Date>,
    pub today: Date,
}

const ACTIONS: [Act; 3] = [Act::ReadCase, Act::PrepareEnding, Act::SignEnding];

/// Reads a case's procedures; `Forbidden` unless the agent may read the case.
pub async fn read_ending(office: &Office, agent: &Agent, number: &str) -> Result<EndingView, OfficeError> {
    let CaseTarget { mut case, resource, subject } = load_target(office, number).await?;
    let answers = office.ask(agent, &ACTIONS, &resource, &subject).await?;
    let (prepare, sign) = (answers.allowed(1), answers.allowed(2));
    let today = office.today();
    let open = case.open_ending();
    let own = |e: &Ending| e.opened_by == agent.login || e.draft.as_ref().is_some_and(|d| d.by == agent.login);
    let offers = EndingOffers {
        open: prepare && case.offers(CommandKind::OpenEnding),
        answer: prepare && case.offers(CommandKind::RecordEndingAnswer),
        draft: prepare && case.offers(CommandKind::DraftEnding) && open.is_some_and(|e| e.heard(today)),
        sign: sign && case.offers(CommandKind::SignEnding) && open.is_some_and(|e| !own(e)),
    };
    let answer_due = open.filter(|e| !e.heard(today)).map(|e| e.answer_due);
    // The page is the procedure: the persons, the protection, the letters of the procedures.
    let letters: Vec<u32> = case
        .endings
        .iter()
        .flat_map(|e| std::iter::once(e.letter).chain(e.decision.as_ref().map(|d| d.document)))
        .collect();
    case.interview_record = None;
    case.review_comments.clear();
    case.messages.clear();
    case.originals.clear();
    case.appeal = None;
    if let Some(d) = case.draft.as_mut() {
        d.facts.clear();
        d.law.clear();
    }
    for f in &mut case.fgm {
        f.certificates.clear();
        f.reports.clear();
    }
    case.documents.retain(|d| letters.contains(&d.id));
    Ok(EndingView { case, offers, answer_due, today })
}

/// A step of the procedure, as parsed from a form or a JSON body; its content is checked after
/// the authorization, so that a refused agent learns nothing about the case.
#[derive(Debug, Clone)]
pub enum EndingOp {
    Open {
        ground: EndingGround,
        facts: String,
    },
    Answer {
        received_on: Date,
        text: String,
    },
    Draft {
        ends: bool,
        reasons: String,
    },
    /// Sign procedure n° `seq` (1, 2, … in the order opened): the one the signer read.
    Sign {
        seq: u32,
    },
}

impl EndingOp {
    pub fn action(&self) -> Act {
        match self {
            EndingOp::Sign { .. } => Act::SignEnding,
            _ => Act::PrepareEnding,
        }
    }
}

/// Authorizes, checks and commits a step; a letter is printed and stored before the commit that
/// files it (and puts it in the person's space).
pub async fn act_on_ending(
    office: &Office,
    agent: &Agent,
    number: &str,
    op: EndingOp,
) -> Result<EndingView, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let action = op.action();
    office
        .act(agent, action, &resource, &subject, async || {
            let now = office.now();
            let command = match op {
                EndingOp::Open { ground, facts } => {
                    let answer_due = ending::check_opening(&case.endings, &facts, now.date(), office.rules())?;
                    let letter = notice_letter(office, &case, ground, &facts, answer_due, now).await?;
                    Command::OpenEnding { ground, facts, letter, reference: crate::codes::new_reference() }
                }
                EndingOp::Answer { received_on, text } => {
                    Command::RecordEndingAnswer { received_on, text, via_portal: false }
                }
                EndingOp::Draft { ends, reasons } => Command::DraftEnding { ends, reasons },
                EndingOp::Sign { seq } => {
                    let open = ending::open_ending(&case.endings)?;
                    if case.endings.len() != seq as usize {
                        return Err(OfficeError::field("seq", format!("procedure n° {seq} is not the one to sign")));
                    }
                    ending::check_signature(open, &agent.login)?;
                    let letter = decision_letter(office, &case, open, &agent.login, now).await?;
                    Command::SignEnding { letter, reference: crate::codes::new_reference() }
                }
            };
            Ok(vec![case_op(agent, now, case.number, command)])
        })
        .await?;
    read_ending(office, agent, number).await
}

/// The letter that opens the procedure: the ground, the facts, the law, the day to answer by.
/// Public for a history written elsewhere than through this office (the demo's).
pub async fn notice_letter(
    office: &Office,
    case: &Case,
    ground: EndingGround,
    facts: &str,
    answer_due: Date,
    now: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let letter = Letter::EndingNotice(EndingNotice {
        head: head(case, now, SERVICE),
        ground: ground.french().to_owned(),
        law: ground.law().to_owned(),
        facts: facts.trim().to_owned(),
        answer_by: date_fr(answer_due),
    });
    print(office, &letter, DocumentKind::EndingLetter, now).await
}

/// The service that writes about a protection.
const SERVICE: &str = "Division de la protection";

/// The signed decision's letter, printed as the signature will leave the procedure.
pub async fn decision_letter(
    office: &Office,
    case: &Case,
    open: &Ending,
    signer: &nansen_domain::ids::Login,
    now: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let Some(draft) = &open.draft else {
        return Err(OfficeError::field("ending", "no decision is drafted"));
    };
    let name = office.store().account(signer.as_str()).await?.map_or_else(|| signer.to_string(), |a| a.display_name);
    let outcome = if draft.ends {
        format!("Il est mis fin à la protection dont vous bénéficiez ({}).", open.ground.french())
    } else {
        "La protection dont vous bénéficiez est maintenue.".to_owned()
    };
    let answer = open
        .answer
        .as_ref()
        .map(|a| format!("Vos observations, reçues le {}, ont été examinées.", date_fr(a.received_on)));
    let letter = Letter::EndingDecision(DecisionLetter {
        head: head(case, now, SERVICE),
        outcome,
        ground: open.ground.french().to_owned(),
        law: open.ground.law().to_owned(),
        facts: open.facts.clone(),
        answer: answer.or_else(|| {
            Some(format!(
                "Vous n'avez pas présenté d'observations dans le délai qui vous était imparti, qui expirait le {}.",
                date_fr(open.answer_due)
            ))
        }),
        reasons: draft.reasons.clone(),
        signed_by: format!("{name}, chef(fe) de section"),
        signed_on: date_fr(now.date()),
        appeal: draft.ends.then(|| "un mois".to_owned()),
    });
    print(office, &letter, DocumentKind::EndingDecision, now).await
}

async fn print(
    office: &Office,
    letter: &Letter,
    kind: DocumentKind,
    now: OffsetDateTime,
) -> Result<NewDocument, OfficeError> {
    let pdf = office.printer().render(letter).map_err(|e| OfficeError::Internal(format!("printing: {e}")))?;
    store_issued(office, pdf, kind, letter.title(), format!("{}.pdf", letter.kind()), now).await
}

// ---- the list -------------------------------------------------------------------------------------------------------

/// The procedures under way (the answer soonest due first) and the decisions of the last
/// `days` days; journaled with the cases shown.
#[derive(Debug, Clone, Serialize)]
pub struct EndingsList {
    pub open: Vec<EndingLine>,
    pub decided: Vec<EndingLine>,
    pub today: Date,
    pub since: Date,
    pub truncated: bool,
}

/// The longest look back, in days.
pub const SINCE_MAX_DAYS: i64 = 3660;

pub async fn endings(office: &Office, agent: &Agent, days: Option<i64>) -> Result<EndingsList, OfficeError> {
    let days = days.unwrap_or(90);
    if !(0..=SINCE_MAX_DAYS).contains(&days) {
        return Err(OfficeError::field("days", format!("0 to {SINCE_MAX_DAYS} days back")));
    }
    let today = office.today();
    let since = today - Duration::days(days);
    let mut decided = Vec::new();
    let mut truncated = false;
    let open = office
        .ask_listing(agent, Act::ReadEndings, async || {
            let open = office.store().endings_open(ENDINGS_LIMIT).await?;
            decided = office.store().endings_decided(&since.to_string(), ENDINGS_LIMIT).await?;
            truncated = open.len() as u32 >= ENDINGS_LIMIT || decided.len() as u32 >= ENDINGS_LIMIT;
            let shown: Vec<String> =
                open.iter().chain(decided.iter()).map(|l| format!("{}:{}", l.case_number, l.seq)).collect();
            Ok((open, serde_json::json!(shown)))
        })
        .await?;
    Ok(EndingsList { open, decided, today, since, truncated })
}

// ---- the protected person's space -------------------------------------------------------------------------------

/// The protected person answers the office's letter from their space (journaled under them).
pub async fn answer_from_portal(office: &Office, applicant: &Applicant, text: &str) -> Result<(), OfficeError> {
    let case = crate::portal::own_case(office, applicant).await?;
    if case.open_ending().is_none() {
        return Err(OfficeError::NotFound("procedure".into()));
    }
    let now = office.now();
    let command = Command::RecordEndingAnswer { received_on: now.date(), text: text.to_owned(), via_portal: true };
    let op = Op { actor: applicant.login(), now, action: nansen_store::Action::Case { number: case.number, command } };
    office.store().execute_one(op).await?.map_err(OfficeError::Domain)?;
    Ok(())
}
