//! The examination of a case, from registration to notification (workspace `cases`): reading a
//! case with what the agent may see and do now, every change an agent makes to it, registration,
//! and the lists behind queues and search, all through the office's [`gate`](crate::gate).

use std::collections::HashMap;

use nansen_authz::{Action as Act, Resource, Role};
use nansen_domain::deadlines::{deadlines, Deadline};
use nansen_domain::decision::ClosureGround;
use nansen_domain::decision::DecisionDraft;
use nansen_domain::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use nansen_domain::lifecycle::{
    Case, Command, CommandKind, Interview, InterviewMode, InterviewNeeds, InterviewRecord, Registration,
};
use nansen_store::{Action, CaseFilter, CaseSummary, Entry, Op, Visibility};
use serde::Serialize;
use time::Date;

use crate::actor::Agent;
use crate::gate::OFFICE;
use crate::letters::LetterKind;
pub use crate::target::parse_number;
use crate::target::{case_attrs, case_op, last_case, load, load_target, predict, summary_attrs, CaseTarget};
use crate::{Office, OfficeError};

/// Every case action the workbench offers, in the order of the case page.
pub const CASE_ACTIONS: [Act; 15] = [
    Act::ReadCase,
    Act::ReadInterview,
    Act::ReadDraft,
    Act::AssignCase,
    Act::ScheduleInterview,
    Act::RecordInterview,
    Act::DraftDecision,
    Act::ReviewDecision,
    Act::SignDecision,
    Act::NotifyDecision,
    Act::ReadDocuments,
    Act::FileDocuments,
    Act::KeepOriginals,
    Act::ListenRecording,
    Act::AskResearch,
];

/// What an agent may do on a case, as the policies answered for the case page.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Permissions {
    pub read_interview: bool,
    pub read_draft: bool,
    pub assign: bool,
    pub schedule: bool,
    pub record_interview: bool,
    pub draft: bool,
    pub review: bool,
    pub sign: bool,
    pub notify: bool,
    pub read_documents: bool,
    pub file_documents: bool,
    pub keep_originals: bool,
    /// Hear the interview's recording (after a rejection or subsidiary protection).
    pub listen: bool,
    /// Ask the research division a question about the case's country of origin.
    pub ask_research: bool,
    /// Registration-desk acts on the file (completeness), an office-wide permission.
    pub register: bool,
}

/// What the case page offers now: the policies allow it *and* the domain would accept it in
/// the case's state. No edge restates a status rule.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Offers {
    pub complete: bool,
    pub assign: bool,
    pub schedule: bool,
    pub record_interview: bool,
    pub draft: bool,
    pub submit: bool,
    pub review: bool,
    pub sign: bool,
    pub notify: bool,
    /// The applicant's needs at the interview (whoever convenes).
    pub needs: bool,
    /// The applicant did not come (whoever holds the interview).
    pub absence: bool,
    /// Close after an unexcused absence (whoever signs decisions).
    pub close_absence: bool,
    /// File the interview's recording (whoever held it, once held).
    pub file_recording: bool,
}

impl Offers {
    fn of(case: &Case, can: &Permissions) -> Offers {
        Offers {
            complete: can.register && case.offers(CommandKind::MarkComplete),
            assign: can.assign && case.offers(CommandKind::Assign),
            schedule: can.schedule && case.offers(CommandKind::ScheduleInterview),
            record_interview: can.record_interview && case.offers(CommandKind::RecordInterview),
            draft: can.draft && case.offers(CommandKind::DraftDecision),
            submit: can.draft && case.offers(CommandKind::SubmitForReview),
            review: can.review && case.offers(CommandKind::ReturnToOfficer),
            sign: can.sign && case.offers(CommandKind::Sign),
            notify: can.notify && case.offers(CommandKind::NotifyDecision),
            needs: can.schedule && case.offers(CommandKind::RecordInterviewNeeds),
            absence: can.record_interview && case.offers(CommandKind::RecordAbsence),
            close_absence: can.sign && case.offers(CommandKind::Close) && case.unexcused_absence().is_some(),
            file_recording: can.record_interview && case.interviewed_on.is_some(),
        }
    }
}

/// A case as one agent may see it: the interview record and the draft only when allowed; what
/// they may do now; the officers they may assign it to.
pub struct CaseView {
    pub case: Case,
    pub can: Permissions,
    pub offers: Offers,
    pub deadlines: Vec<Deadline>,
    pub timeline: Vec<Entry>,
    pub pooled: bool,
    /// The protection officers of the agent's division, when the agent may assign the case.
    pub officers: Vec<nansen_store::AccountSummary>,
    /// Where the applicant lives now, as the reception agency knows it (its structure, or the
    /// address for letters): for whoever convenes them (the assigned officer, the section head).
    pub lives_at: Option<String>,
    /// The interview's recordings, listed apart from the documents: for whoever files them or
    /// may hear them.
    pub recordings: Vec<nansen_domain::documents::Document>,
    /// The research requests asked about the case: for whoever reads its interview (the officer,
    /// the section head).
    pub research: Vec<crate::research::RequestLine>,
    /// The draft's sources as shown: each cited passage's document, and whether a newer
    /// version replaced it since it was cited.
    pub sources: Vec<crate::research::CitationView>,
}

/// Reads a case for the case page or the API: every case action (and the registration desk's
/// office-wide one) is asked at once and journaled in one entry; `Forbidden` unless the agent may
/// read the case.
pub async fn read_case(office: &Office, agent: &Agent, number: &str) -> Result<CaseView, OfficeError> {
    let mut case = load(office, number).await?;
    let attrs = case_attrs(&case, office);
    let pooled = attrs.pooled;
    let resource = Resource::Case(attrs);
    let subject = format!("case:{}", case.number);
    let answers = office.ask_with_office(agent, &CASE_ACTIONS, &resource, &subject, Act::RegisterApplication).await?;
    let ok = |i: usize| answers.allowed(i);
    let can = Permissions {
        read_interview: ok(1),
        read_draft: ok(2),
        assign: ok(3),
        schedule: ok(4),
        record_interview: ok(5),
        draft: ok(6),
        review: ok(7),
        sign: ok(8),
        notify: ok(9),
        read_documents: ok(10),
        file_documents: ok(11),
        keep_originals: ok(12),
        listen: ok(13),
        ask_research: ok(14),
        register: ok(CASE_ACTIONS.len()),
    };
    let offers = Offers::of(&case, &can);
    if !can.read_documents {
        case.documents.clear();
    }
    // Restricted documents (a protected girl's certificates) show on her follow-up's page only;
    // the recordings in their own section, for whoever files or may hear them.
    case.documents.retain(|d| !d.document.kind.is_restricted());
    let recordings = if can.listen || can.record_interview {
        case.documents.iter().filter(|d| d.document.kind.is_recording()).cloned().collect()
    } else {
        Vec::new()
    };
    case.documents.retain(|d| !d.document.kind.is_recording());
    if crate::documents::is_registrar(agent) {
        // The registrar's need to know is the civil status: not the account of fears, the
        // evidence, the decision's reasons or what the applicant wrote.
        crate::documents::registrar_documents(&mut case.documents);
        case.messages.clear();
    }
    crate::documents::shown(&mut case.documents);
    if !can.read_interview {
        case.interview_record = None;
        // The grounds of a request under L.531-17 and the reasons of an absence (often
        // medical) belong with the interview.
        if let Some(needs) = case.interview_needs.as_mut() {
            needs.grounds.clear();
        }
        for absence in &mut case.absences {
            absence.reason.clear();
        }
    }
    if !can.read_draft {
        case.draft = None;
        case.review_comments.clear();
    }
    let deadlines = deadlines(&case, office.rules());
    // The timeline says what happened and when; the content is on the page only where the
    // agent may read it (the payloads are not even read).
    let timeline = office.store().timeline_of(&subject).await?;
    let officers = if offers.assign {
        office.store().accounts(Some(Role::ProtectionOfficer.as_str()), agent.principal.division.as_deref()).await?
    } else {
        vec![]
    };
    let lives_at = if can.schedule || can.assign {
        crate::reception::lives_at(office, &case.number.to_string()).await?
    } else {
        None
    };
    let research = if can.read_interview || can.ask_research {
        crate::research::requests::of_case(office, &case.number.to_string()).await?
    } else {
        Vec::new()
    };
    let sources = match &case.draft {
        Some(d) => crate::research::cite::views(office, d.sources.iter().map(|s| &s.citation)).await?,
        None => Vec::new(),
    };
    Ok(CaseView { case, can, offers, deadlines, timeline, pooled, officers, lives_at, recordings, research, sources })
}

/// A change to a case, as parsed from a form or a JSON body; semantic checks come after
/// authorization, so that a refused agent learns nothing about the case.
#[derive(Debug, Clone)]
pub enum CaseOp {
    Assign {
        officer: String,
    },
    Schedule {
        on: Date,
        mode: InterviewMode,
        place: Option<String>,
        interpreter: Option<String>,
    },
    RecordInterview {
        held_on: Date,
        record: InterviewRecord,
    },
    /// The decision draft; `citations`, when the edge took them as lines (`coi-…#3 the words
    /// quoted`), replace its sources.
    Draft {
        draft: DecisionDraft,
        citations: Option<String>,
    },
    Submit,
    Return {
        comments: String,
    },
    Sign {
        proof: crate::accounts::StepUp,
    },
    Notify,
    /// What the applicant asked for or needs at the interview.
    InterviewNeeds(InterviewNeeds),
    /// The applicant did not come to the interview.
    Absence {
        on: Date,
        excused: bool,
        reason: String,
    },
    /// The examination closed after an unexcused absence (L.531-38): a decision, confirmed like
    /// a signature.
    CloseForAbsence {
        proof: crate::accounts::StepUp,
    },
}

impl CaseOp {
    pub fn action(&self) -> Act {
        match self {
            CaseOp::Assign { .. } => Act::AssignCase,
            CaseOp::Schedule { .. } => Act::ScheduleInterview,
            CaseOp::RecordInterview { .. } => Act::RecordInterview,
            CaseOp::Draft { .. } | CaseOp::Submit => Act::DraftDecision,
            CaseOp::Return { .. } => Act::ReviewDecision,
            CaseOp::Sign { .. } => Act::SignDecision,
            CaseOp::Notify => Act::NotifyDecision,
            CaseOp::InterviewNeeds(_) => Act::ScheduleInterview,
            CaseOp::Absence { .. } => Act::RecordInterview,
            CaseOp::CloseForAbsence { .. } => Act::SignDecision,
        }
    }
}

/// Authorizes, checks and commits a change to a case: the authorization and the events (with
/// the convocation a scheduling prints) are journaled in one transaction.
pub async fn perform(office: &Office, agent: &Agent, number: &str, op: CaseOp) -> Result<Case, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let action = op.action();
    let applied = office
        .act(agent, action, &resource, &subject, async || {
            let now = office.now();
            let convocation = matches!(op, CaseOp::Schedule { .. });
            let closure = matches!(op, CaseOp::CloseForAbsence { .. });
            let command = command_of(office, agent, &case, op).await?;
            // An excused absence known before the day frees the interpreter, the room and the
            // officer's half-day booked for it, in the same commit.
            if let Command::RecordAbsence { excused: true, on, .. } = &command {
                let releases = crate::bookings::releases_for(office, &case, *on).await?;
                if !releases.is_empty() {
                    let action = Action::Planning { commands: releases, case: Some((case.number, vec![command])) };
                    return Ok(vec![Op { actor: agent.login.clone(), now, action }]);
                }
            }
            let mut ops = vec![case_op(agent, now, case.number, command.clone())];
            // The convocation goes with the scheduling (a new one when the interview is moved),
            // printed from the case as the scheduling leaves it.
            // The closure for absence is a decision: its letter goes to the applicant's space with it.
            if closure {
                let closed = predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&command))?;
                let letter = crate::letters::closure_letter(office, agent, &closed).await?;
                ops.push(case_op(agent, now, case.number, crate::letters::issue_command(letter)));
            }
            if convocation {
                let scheduled = predict(office, &agent.login, now, case.clone(), &[command])?;
                let letter = crate::letters::print(office, &scheduled, LetterKind::Convocation, now, None).await?;
                ops.push(case_op(agent, now, case.number, crate::letters::issue_command(letter)));
            }
            Ok(ops)
        })
        .await?;
    last_case(applied)
}

async fn command_of(office: &Office, agent: &Agent, case: &Case, op: CaseOp) -> Result<Command, OfficeError> {
    Ok(match op {
        CaseOp::Assign { officer } => {
            let officer = officer.trim();
            let account = match Login::parse(officer) {
                Ok(l) => office.store().account(l.as_str()).await?,
                Err(_) => None,
            };
            let Some(account) = account.filter(|a| a.role == Role::ProtectionOfficer.as_str() && !a.disabled) else {
                return Err(OfficeError::field("officer", format!("{officer:?} is not a protection officer's login")));
            };
            if account.division != agent.principal.division {
                return Err(OfficeError::field("officer", "choose an officer of your own division"));
            }
            let division = account
                .division
                .as_deref()
                .and_then(|d| DivisionId::parse(d).ok())
                .ok_or_else(|| OfficeError::field("officer", "this officer belongs to no division"))?;
            let section = account
                .section
                .and_then(|s| SectionId::new(s).ok())
                .ok_or_else(|| OfficeError::field("officer", "this officer belongs to no section"))?;
            let officer = Login::parse(&account.login).map_err(|e| OfficeError::Internal(e.to_string()))?;
            Command::Assign { officer, division, section }
        }
        CaseOp::Schedule { on, mode, place, interpreter } => {
            let interpreter = match interpreter.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(code) => Some(
                    Language::parse(code)
                        .map_err(|_| OfficeError::field("interpreter", "an ISO 639 language code, like ar or prs"))?,
                ),
                None => None,
            };
            let place = place.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
            if place.is_none() {
                return Err(OfficeError::field("place", "give the booth, or the link of the video interview"));
            }
            let mut interview = Interview::new(on, mode);
            interview.place = place;
            interview.interpreter = interpreter;
            Command::ScheduleInterview(interview)
        }
        CaseOp::RecordInterview { held_on, record } => {
            if record.civil_status.is_empty() {
                return Err(OfficeError::field("civil_status", "write at least one question and its answer"));
            }
            if record.fears.is_empty() {
                return Err(OfficeError::field("fears", "write at least one question and its answer"));
            }
            Command::RecordInterview { held_on, record }
        }
        CaseOp::Draft { mut draft, citations } => {
            // Written as lines (the form) or sent whole (the API): checked against the library
            // either way, and named for the letter by the office.
            draft.sources = match citations {
                Some(lines) => crate::research::cite::decision_sources_of_lines(office, &lines).await?,
                None => crate::research::cite::decision_sources(office, draft.sources).await?,
            };
            Command::DraftDecision(draft)
        }
        CaseOp::Submit => Command::SubmitForReview,
        CaseOp::Return { comments } => Command::ReturnToOfficer { comments },
        CaseOp::Sign { proof } => {
            // Asked of the domain first, so that a password is not asked for nothing.
            if !case.allows(CommandKind::Sign) {
                return Err(OfficeError::Domain(nansen_domain::DomainError::IllegalTransition {
                    status: case.status,
                    command: "sign",
                }));
            }
            crate::accounts::confirm_step_up(office, agent, &proof).await?;
            Command::Sign
        }
        // The decision is printed and stored first; it joins the file and the applicant's space
        // in the same transaction that starts the notification period.
        CaseOp::Notify => Command::NotifyDecision {
            letter: crate::letters::decision_letter(office, case).await?,
            reference: crate::codes::new_reference(),
        },
        CaseOp::InterviewNeeds(needs) => {
            // Cases heard together are convened the same half-day by one officer: each is
            // another case of this case's officer.
            for other in &needs.heard_with {
                let found = office.store().case(other).await?;
                if found.is_none_or(|o| o.officer.is_none() || o.officer != case.officer) {
                    return Err(OfficeError::field(
                        "heard_with",
                        format!("{other} is not a case of this case's officer: assign both to one officer first"),
                    ));
                }
            }
            Command::RecordInterviewNeeds(needs)
        }
        CaseOp::Absence { on, excused, reason } => Command::RecordAbsence { on, excused, reason },
        CaseOp::CloseForAbsence { proof } => {
            let command = Command::Close { ground: ClosureGround::AbsenceFromInterview };
            // The domain's refusal first, so that a password is not asked for nothing.
            predict(office, &agent.login, office.now(), case.clone(), std::slice::from_ref(&command))?;
            crate::accounts::confirm_step_up(office, agent, &proof).await?;
            command
        }
    })
}

/// Registers an application in **one** commit: the authorization, the registration, its
/// completeness (complete, or incomplete with its list), the receipt (with the activation code
/// of the applicant's space) and the request for missing items, and the activation code itself.
/// The number is reserved first (a dry run of the domain refuses a bad registration before any
/// number is taken), the letters are printed and their bytes stored, then everything commits.
/// Returns the case and the one-time activation code (printed on the receipt).
pub async fn register(
    office: &Office,
    agent: &Agent,
    mut registration: Registration,
) -> Result<(Case, String), OfficeError> {
    let mut code = String::new();
    let applied = office
        .act(agent, Act::RegisterApplication, &nansen_authz::Resource::Office, OFFICE, async || {
            let now = office.now();
            // The domain's refusal first, with a stand-in number, so that a refused registration
            // takes no number.
            registration.number = CaseNumber::new(now.year(), 1).map_err(OfficeError::Domain)?;
            predict(office, &agent.login, now, Case::initial(), &[Command::Register(registration.clone())])?;
            registration.number = office.store().reserve_case_number(now.year()).await?;
            let number = registration.number;
            let complete = registration.missing.is_empty();
            let completeness = if complete {
                Command::MarkComplete
            } else {
                // Registered as incomplete, with its list: the division will not get it until complete.
                Command::MarkIncomplete { missing: registration.missing.clone() }
            };
            let commands = [Command::Register(registration.clone()), completeness.clone()];
            let case = predict(office, &agent.login, now, Case::initial(), &commands)?;
            code = crate::codes::new_activation_code();
            let letters: &[LetterKind] =
                if complete { &[LetterKind::Receipt] } else { &[LetterKind::Receipt, LetterKind::MissingItems] };
            let mut ops = vec![
                Op {
                    actor: agent.login.clone(),
                    now,
                    action: Action::RegisterReserved(Command::Register(registration.clone())),
                },
                case_op(agent, now, number, completeness),
            ];
            for kind in letters {
                let with_code = (*kind == LetterKind::Receipt).then_some(code.as_str());
                let letter = crate::letters::print(office, &case, *kind, now, with_code).await?;
                ops.push(case_op(agent, now, number, crate::letters::issue_command(letter)));
            }
            ops.push(crate::codes::activation_code_op(office, &agent.login, number, &code, now));
            Ok(ops)
        })
        .await?;
    Ok((last_case(applied)?, code))
}

/// Refuses (and journals the refusal) before a registration form is even read, so that an agent
/// who may not register learns nothing from the validation of what they sent.
pub async fn may_register(office: &Office, agent: &Agent) -> Result<(), OfficeError> {
    office.ask_quietly(agent, Act::RegisterApplication, &Resource::Office, OFFICE).await
}

/// The file is complete: it may go to a division (digitization secretaries, as part of registering).
pub async fn mark_complete(office: &Office, agent: &Agent, number: &str) -> Result<Case, OfficeError> {
    desk_command(office, agent, number, |_| Ok(Command::MarkComplete)).await
}

/// Items that were missing have arrived: the file is complete when none is left, otherwise it
/// stays incomplete with what is still missing (digitization secretaries, as for registering).
pub async fn receive_missing(
    office: &Office,
    agent: &Agent,
    number: &str,
    received: &[String],
) -> Result<Case, OfficeError> {
    desk_command(office, agent, number, |case| {
        let remaining: Vec<String> = case.missing.iter().filter(|m| !received.contains(m)).cloned().collect();
        if remaining.is_empty() {
            Ok(Command::MarkComplete)
        } else if remaining == case.missing {
            Err(OfficeError::field("received", "tick the items that have arrived"))
        } else {
            Ok(Command::MarkIncomplete { missing: remaining })
        }
    })
    .await
}

/// A registration-desk command on a case (the secretaries' office action).
async fn desk_command(
    office: &Office,
    agent: &Agent,
    number: &str,
    command: impl FnOnce(&Case) -> Result<Command, OfficeError>,
) -> Result<Case, OfficeError> {
    let case = load(office, number).await?;
    let subject = format!("case:{}", case.number);
    let applied = office
        .act(agent, Act::RegisterApplication, &Resource::Office, &subject, async || {
            Ok(vec![case_op(agent, office.now(), case.number, command(&case)?)])
        })
        .await?;
    last_case(applied)
}

/// Which list an agent asks for.
#[derive(Debug, Clone)]
pub enum Listing {
    /// The officer's own cases.
    Mine,
    /// The section head's division queue; `unassigned` narrows it to cases to assign.
    Division { unassigned: bool },
    /// A search: a case number, a nationality code or a family name (either script).
    Search(String),
}

impl Listing {
    /// The listing an agent gets when they name none: their own queue, if their role has one.
    /// Other roles search (`None`): a default they could not use would only answer "forbidden".
    pub fn default_for(role: Role) -> Option<Listing> {
        match role {
            Role::ProtectionOfficer => Some(Listing::Mine),
            Role::SectionHead => Some(Listing::Division { unassigned: false }),
            _ => None,
        }
    }
}

/// Lists cases the agent may see, most urgent deadline first; the rows shown are journaled with
/// the allowance.
pub async fn list(
    office: &Office,
    agent: &Agent,
    listing: &Listing,
    limit: u32,
) -> Result<Vec<CaseSummary>, OfficeError> {
    let action = match listing {
        Listing::Search(_) => Act::SearchCases,
        _ => Act::ViewQueue,
    };
    office
        .ask_listing(agent, action, async || {
            let rows = rows_of(office, agent, listing, limit).await?;
            let shown = serde_json::json!(rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>());
            Ok((rows, shown))
        })
        .await
}

async fn rows_of(
    office: &Office,
    agent: &Agent,
    listing: &Listing,
    limit: u32,
) -> Result<Vec<CaseSummary>, OfficeError> {
    let p = &agent.principal;
    let mut filter = CaseFilter { limit, ..Default::default() };
    match listing {
        Listing::Mine => filter.officer = Some(p.login.clone()),
        Listing::Division { unassigned } => {
            filter.division = Some(p.division.clone().ok_or_else(|| OfficeError::NotFound("division".into()))?);
            filter.unassigned = *unassigned;
        }
        Listing::Search(q) => {
            let q = q.trim();
            if q.is_empty() {
                return Err(OfficeError::field("q", "type a name, a case number or a nationality code"));
            }
            match search_kind(office, q) {
                SearchKind::Number(n) => return search_number(office, agent, n).await,
                SearchKind::Nationality(code) => filter.nationality = Some(code.to_string()),
                SearchKind::Name => filter.name = Some(q.to_owned()),
            }
            filter.visible = match p.role {
                Role::ProtectionOfficer | Role::SectionHead => Some(Visibility {
                    division: p.division.clone(),
                    officer: (p.role == Role::ProtectionOfficer).then(|| p.login.clone()),
                    pooled: pooled_today(office),
                }),
                _ => None,
            };
        }
    }
    let rows = office.store().list_cases(&filter).await?;
    // Every row is authorized; rows whose policy-relevant attributes are the same get the same
    // answer, so each distinct combination is asked once (a list of 50 rows asks a handful).
    let mut answers: HashMap<(Option<String>, bool, bool, String), bool> = HashMap::new();
    Ok(rows
        .into_iter()
        .filter(|r| {
            let attrs = summary_attrs(r, office);
            let key = (
                attrs.division.clone(),
                attrs.officer.as_deref() == Some(p.login.as_str()),
                attrs.pooled,
                attrs.status.clone(),
            );
            *answers.entry(key).or_insert_with(|| office.may(agent, Act::ReadCase, &Resource::Case(attrs)))
        })
        .collect())
}

/// What a search box's text is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKind {
    Number(CaseNumber),
    /// A known nationality code typed with a capital (SYR, Afg); "Ali" is a name.
    Nationality(Nationality),
    /// A name in any spelling or script: the list comes by how well it matches, newest first.
    Name,
}

pub fn search_kind(office: &Office, q: &str) -> SearchKind {
    let q = q.trim();
    if let Ok(n) = CaseNumber::parse(q) {
        return SearchKind::Number(n);
    }
    match Nationality::parse(&q.to_ascii_uppercase()) {
        Ok(n) if q.bytes().any(|b| b.is_ascii_uppercase()) && office.rules().nationality(n).is_some() => {
            SearchKind::Nationality(n)
        }
        _ => SearchKind::Name,
    }
}

async fn search_number(office: &Office, agent: &Agent, n: CaseNumber) -> Result<Vec<CaseSummary>, OfficeError> {
    let Some(case) = office.store().case(&n).await? else {
        return Ok(vec![]);
    };
    if !office.may(agent, Act::ReadCase, &Resource::Case(case_attrs(&case, office))) {
        return Ok(vec![]);
    }
    Ok(vec![CaseSummary {
        number: case.number.to_string(),
        status: case.status.as_str().to_owned(),
        procedure: case.procedure.as_str().to_owned(),
        nationality: case.nationality.to_string(),
        division: case.division.map(|d| d.as_str().to_owned()),
        section: case.section.map(|s| s.get()),
        officer: case.officer.as_ref().map(|o| o.as_str().to_owned()),
        applicant_latin: format!("{} {}", case.applicant.family_name.latin, case.applicant.given_names.latin),
        applicant_original: format!("{} {}", case.applicant.family_name.original, case.applicant.given_names.original),
        decision_due: None,
    }])
}

/// The nationalities pooled today, any division may examine them.
pub fn pooled_today(office: &Office) -> Vec<String> {
    let today = office.today();
    office
        .rules()
        .nationalities()
        .filter(|n| office.rules().is_pooled(n.code, today))
        .map(|n| n.code.to_string())
        .collect()
}

/// The backlog of the agent's division by section (backlog, unassigned, overdue, due in 30
/// days, oldest), with the queue's own authorization.
pub async fn queue_counts(office: &Office, agent: &Agent) -> Result<Vec<nansen_store::QueueCounts>, OfficeError> {
    office.ask(agent, &[Act::ViewQueue], &Resource::Office, OFFICE).await?;
    counts_of(office, agent).await
}

async fn counts_of(office: &Office, agent: &Agent) -> Result<Vec<nansen_store::QueueCounts>, OfficeError> {
    let Some(division) = agent.principal.division.as_deref() else { return Ok(vec![]) };
    let today = office.today();
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let (a, b) =
        (today.format(&fmt).unwrap_or_default(), (today + time::Duration::days(30)).format(&fmt).unwrap_or_default());
    Ok(office.store().queue_counts(division, &a, &b).await?)
}

/// A division's queue with its counts by section, under one authorization.
pub async fn division_queue(
    office: &Office,
    agent: &Agent,
    unassigned: bool,
    limit: u32,
) -> Result<(Vec<CaseSummary>, Vec<nansen_store::QueueCounts>), OfficeError> {
    let rows = list(office, agent, &Listing::Division { unassigned }, limit).await?;
    Ok((rows, counts_of(office, agent).await?))
}

/// A case for a read of one of its parts (the interview record, the draft): the one action is
/// asked and journaled.
pub async fn read_part(office: &Office, agent: &Agent, number: &str, action: Act) -> Result<Case, OfficeError> {
    let case = load(office, number).await?;
    let resource = Resource::Case(case_attrs(&case, office));
    office.ask(agent, &[action], &resource, &format!("case:{}", case.number)).await?;
    Ok(case)
}
