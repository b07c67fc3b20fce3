//! What the workbench and the API both do, so that they cannot differ: authorize (and journal
//! the answer), turn a request into a domain command, commit it with the journal, read a case
//! with what the agent may see of it, list and search cases on a need-to-know basis.

use nansen_authz::{Action as Act, CaseAttrs, Decision, Resource, Role};
use nansen_domain::deadlines::{deadlines, Deadline};
use nansen_domain::decision::DecisionDraft;
use nansen_domain::ids::{CaseNumber, DivisionId, Language, Login, SectionId};
use nansen_domain::lifecycle::{Case, Command, Interview, InterviewMode, InterviewRecord, Registration, Status};
use nansen_store::{Action, CaseFilter, CaseSummary, Entry, Op, Visibility};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::auth::{confirm_password, Agent};
use crate::{AppState, WebError};

/// The journal subject of the office as a whole (registration, searches, queues).
pub const OFFICE: &str = "office";

/// Every case action the workbench offers, in the order of the case page.
pub const CASE_ACTIONS: [Act; 13] = [
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
];

pub fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The attributes of a case that the policies look at.
pub fn case_attrs(case: &Case, state: &AppState) -> CaseAttrs {
    CaseAttrs {
        number: case.number.to_string(),
        // Before assignment, the division competent for the nationality.
        division: case
            .division
            .or_else(|| state.store().rules().division_of(case.nationality, case.introduced_on))
            .map(|d| d.as_str().to_owned()),
        section: case.section.map(|s| s.get()),
        officer: case.officer.as_ref().map(|o| o.as_str().to_owned()),
        drafted_by: case.drafted_by.as_ref().map(|o| o.as_str().to_owned()),
        pooled: state.store().rules().is_pooled(case.nationality, today()),
        status: case.status.as_str().to_owned(),
        protection_granted: case.signed_by.is_some() && case.draft.as_ref().is_some_and(|d| d.outcome.is_positive()),
    }
}

fn summary_attrs(s: &CaseSummary, state: &AppState) -> CaseAttrs {
    let pooled = nansen_domain::ids::Nationality::parse(&s.nationality)
        .map(|n| state.store().rules().is_pooled(n, today()))
        .unwrap_or(false);
    CaseAttrs {
        number: s.number.clone(),
        division: s.division.clone(),
        section: s.section,
        officer: s.officer.clone(),
        drafted_by: None,
        pooled,
        status: s.status.clone(),
        protection_granted: false,
    }
}

/// Asks the policies about several actions on one resource and journals all the answers in one
/// entry (principal, action, resource, allowed or not, the deciding policies).
pub async fn authorize(
    state: &AppState,
    agent: &Agent,
    actions: &[Act],
    resource: &Resource,
    subject: &str,
    extra: Option<Op>,
) -> Result<(Vec<Decision>, Option<Result<nansen_store::Applied, nansen_domain::DomainError>>), WebError> {
    let decisions: Vec<Decision> =
        actions.iter().map(|a| state.authz().decide(&agent.principal, *a, resource)).collect();
    state.inner.metrics.count_decisions(&decisions);
    let record = authorization_op(agent, actions, resource, subject, &decisions);
    let has_extra = extra.is_some();
    let mut ops = vec![record];
    ops.extend(extra);
    let mut results = state.store().execute(ops).await?;
    let extra_result = if has_extra { results.pop() } else { None };
    if let Some(Err(e)) = results.pop() {
        return Err(WebError::Internal(format!("journaling the authorization failed: {e}")));
    }
    Ok((decisions, extra_result))
}

fn authorization_op(agent: &Agent, actions: &[Act], resource: &Resource, subject: &str, decisions: &[Decision]) -> Op {
    let resource_name = match resource {
        Resource::Office => OFFICE.to_owned(),
        Resource::Case(c) => format!("case:{}", c.number),
    };
    let answers: Vec<serde_json::Value> = actions
        .iter()
        .zip(decisions)
        .map(|(a, d)| serde_json::json!({ "action": a.as_str(), "allowed": d.allowed, "policies": d.policies }))
        .collect();
    let allowed_all = decisions.iter().all(|d| d.allowed);
    Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Record {
            // Kept apart from the subject's own events: "who looked at this file" is
            // `access:case:…`, what happened to it is `case:…`.
            subject: format!("access:{subject}"),
            kind: if allowed_all { "authorization.allow".into() } else { "authorization.deny".into() },
            payload: serde_json::json!({
                "principal": agent.principal.login,
                "role": agent.principal.role.as_str(),
                "resource": resource_name,
                "decisions": answers,
            }),
        },
    }
}

/// The case after a command committed with its authorization record ([`authorize`]'s second
/// result): the domain's refusal as a [`WebError::Domain`].
pub(crate) fn applied_case(
    result: Option<Result<nansen_store::Applied, nansen_domain::DomainError>>,
) -> Result<Case, WebError> {
    match result {
        Some(Ok(applied)) => applied.case.ok_or_else(|| WebError::Internal("the writer returned no case".into())),
        Some(Err(e)) => Err(WebError::Domain(e)),
        None => Err(WebError::Internal("the writer returned no result".into())),
    }
}

/// One allowed-or-not question with its journal entry; `Forbidden` when refused.
pub async fn require(
    state: &AppState,
    agent: &Agent,
    action: Act,
    resource: &Resource,
    subject: &str,
) -> Result<(), WebError> {
    let (decisions, _) = authorize(state, agent, &[action], resource, subject, None).await?;
    if decisions.first().is_some_and(|d| d.allowed) {
        Ok(())
    } else {
        Err(forbidden(action, resource))
    }
}

pub(crate) fn forbidden(action: Act, resource: &Resource) -> WebError {
    WebError::Forbidden {
        action: action.as_str(),
        resource: match resource {
            Resource::Office => "office".into(),
            Resource::Case(c) => format!("case {}", c.number),
        },
    }
}

pub fn parse_number(s: &str) -> Result<CaseNumber, WebError> {
    CaseNumber::parse(s).map_err(|_| WebError::NotFound(format!("case {s:?}")))
}

pub(crate) async fn load(state: &AppState, number: &str) -> Result<Case, WebError> {
    let n = parse_number(number)?;
    state.store().case(&n).await?.ok_or_else(|| WebError::NotFound(format!("case {number}")))
}

/// What an agent may do on a case, as the policies answered for the case page.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
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
}

/// A case as one agent may see it: the interview record and the draft only when allowed.
pub struct CaseView {
    pub case: Case,
    pub can: Permissions,
    pub deadlines: Vec<Deadline>,
    pub timeline: Vec<Entry>,
    pub pooled: bool,
}

/// Reads a case for the case page or the API: every case action is asked at once and journaled
/// in one entry; `Forbidden` unless the agent may read the case.
pub async fn read_case(state: &AppState, agent: &Agent, number: &str) -> Result<CaseView, WebError> {
    let mut case = load(state, number).await?;
    let attrs = case_attrs(&case, state);
    let pooled = attrs.pooled;
    let resource = Resource::Case(attrs);
    let subject = format!("case:{}", case.number);
    let (d, _) = authorize(state, agent, &CASE_ACTIONS, &resource, &subject, None).await?;
    let ok = |i: usize| d.get(i).is_some_and(|d| d.allowed);
    if !ok(0) {
        return Err(forbidden(Act::ReadCase, &resource));
    }
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
    };
    if !can.read_documents {
        case.documents.clear();
    }
    if !can.read_interview {
        case.interview_record = None;
    }
    if !can.read_draft {
        case.draft = None;
        case.review_comments.clear();
    }
    let deadlines = deadlines(&case, state.store().rules());
    let timeline = state
        .store()
        .entries_of(&subject)
        .await?
        .into_iter()
        .map(|mut e| {
            // The timeline says what happened and when; the content is on the page only
            // where the agent may read it.
            e.payload = String::new();
            e
        })
        .collect();
    Ok(CaseView { case, can, deadlines, timeline, pooled })
}

/// A change to a case, as parsed from a form or a JSON body; semantic checks come after
/// authorization, so that a refused agent learns nothing about the case.
#[derive(Debug, Clone)]
pub enum CaseOp {
    Assign { officer: String },
    Schedule { on: Date, mode: InterviewMode, place: Option<String>, interpreter: Option<String> },
    RecordInterview { held_on: Date, record: InterviewRecord },
    Draft(DecisionDraft),
    Submit,
    Return { comments: String },
    Sign { password: String },
    Notify,
}

impl CaseOp {
    pub fn action(&self) -> Act {
        match self {
            CaseOp::Assign { .. } => Act::AssignCase,
            CaseOp::Schedule { .. } => Act::ScheduleInterview,
            CaseOp::RecordInterview { .. } => Act::RecordInterview,
            CaseOp::Draft(_) | CaseOp::Submit => Act::DraftDecision,
            CaseOp::Return { .. } => Act::ReviewDecision,
            CaseOp::Sign { .. } => Act::SignDecision,
            CaseOp::Notify => Act::NotifyDecision,
        }
    }
}

/// Authorizes, checks and commits a change to a case; the authorization and the events are
/// journaled in one transaction.
pub async fn perform(state: &AppState, agent: &Agent, number: &str, op: CaseOp) -> Result<Case, WebError> {
    let case = load(state, number).await?;
    let action = op.action();
    let convocation = matches!(op, CaseOp::Schedule { .. });
    let resource = Resource::Case(case_attrs(&case, state));
    let decision = state.authz().decide(&agent.principal, action, &resource);
    let subject = format!("case:{}", case.number);
    if !decision.allowed {
        authorize(state, agent, &[action], &resource, &subject, None).await?;
        return Err(forbidden(action, &resource));
    }
    let command = match command_of(state, agent, &case, op).await {
        Ok(c) => c,
        Err(e) => {
            authorize(state, agent, &[action], &resource, &subject, None).await?;
            return Err(e);
        }
    };
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Case { number: case.number, command },
    };
    let (_, result) = authorize(state, agent, &[action], &resource, &subject, Some(op)).await?;
    let case = applied_case(result)?;
    // The convocation goes with the scheduling (a new one when the interview is moved).
    if convocation {
        return Ok(crate::documents::issue_after(
            state,
            agent,
            case,
            &[crate::documents::LetterKind::Convocation],
            None,
        )
        .await);
    }
    Ok(case)
}

async fn command_of(state: &AppState, agent: &Agent, case: &Case, op: CaseOp) -> Result<Command, WebError> {
    Ok(match op {
        CaseOp::Assign { officer } => {
            let officer = officer.trim();
            let account = match Login::parse(officer) {
                Ok(l) => state.store().account(l.as_str()).await?,
                Err(_) => None,
            };
            let Some(account) = account.filter(|a| a.role == Role::ProtectionOfficer.as_str() && !a.disabled) else {
                return Err(WebError::field("officer", format!("{officer:?} is not a protection officer's login")));
            };
            if account.division != agent.principal.division {
                return Err(WebError::field("officer", "choose an officer of your own division"));
            }
            let division = account
                .division
                .as_deref()
                .and_then(|d| DivisionId::parse(d).ok())
                .ok_or_else(|| WebError::field("officer", "this officer belongs to no division"))?;
            let section = account
                .section
                .and_then(|s| SectionId::new(s).ok())
                .ok_or_else(|| WebError::field("officer", "this officer belongs to no section"))?;
            let officer = Login::parse(&account.login).map_err(|e| WebError::Internal(e.to_string()))?;
            Command::Assign { officer, division, section }
        }
        CaseOp::Schedule { on, mode, place, interpreter } => {
            let interpreter = match interpreter.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                Some(code) => Some(
                    Language::parse(code)
                        .map_err(|_| WebError::field("interpreter", "an ISO 639 language code, like ar or prs"))?,
                ),
                None => None,
            };
            let place = place.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
            if place.is_none() {
                return Err(WebError::field("place", "give the booth, or the link of the video interview"));
            }
            let mut interview = Interview::new(on, mode);
            interview.place = place;
            interview.interpreter = interpreter;
            Command::ScheduleInterview(interview)
        }
        CaseOp::RecordInterview { held_on, record } => {
            if record.civil_status.is_empty() {
                return Err(WebError::field("civil_status", "write at least one question and its answer"));
            }
            if record.fears.is_empty() {
                return Err(WebError::field("fears", "write at least one question and its answer"));
            }
            Command::RecordInterview { held_on, record }
        }
        CaseOp::Draft(draft) => Command::DraftDecision(draft),
        CaseOp::Submit => Command::SubmitForReview,
        CaseOp::Return { comments } => Command::ReturnToOfficer { comments },
        CaseOp::Sign { password } => {
            if case.status != Status::UnderReview {
                return Err(WebError::Domain(nansen_domain::DomainError::IllegalTransition {
                    status: case.status,
                    command: "sign",
                }));
            }
            confirm_password(state, agent, &password).await?;
            Command::Sign
        }
        // The decision is printed and stored first; it joins the file and the applicant's space
        // in the same transaction that starts the notification period.
        CaseOp::Notify => Command::NotifyDecision {
            letter: crate::documents::decision_letter(state, case).await?,
            reference: crate::portal::new_reference(),
        },
    })
}

/// Refuses (and journals the refusal) before a registration form is even read, so that an agent
/// who may not register learns nothing from the validation of what they sent.
pub async fn may_register(state: &AppState, agent: &Agent) -> Result<(), WebError> {
    if state.authz().decide(&agent.principal, Act::RegisterApplication, &Resource::Office).allowed {
        Ok(())
    } else {
        require(state, agent, Act::RegisterApplication, &Resource::Office, OFFICE).await
    }
}

/// Registers an application; the store gives it its number. Returns the case and the one-time
/// activation code of the applicant's secure space (printed on the receipt; `None` if it could
/// not be issued, in which case the office issues one later).
pub async fn register(
    state: &AppState,
    agent: &Agent,
    mut registration: Registration,
) -> Result<(Case, Option<String>), WebError> {
    // The writer replaces this stand-in with the next number of the year.
    registration.number = CaseNumber::new(today().year(), 1).map_err(WebError::Domain)?;
    let resource = Resource::Office;
    let decision = state.authz().decide(&agent.principal, Act::RegisterApplication, &resource);
    if !decision.allowed {
        authorize(state, agent, &[Act::RegisterApplication], &resource, OFFICE, None).await?;
        return Err(forbidden(Act::RegisterApplication, &resource));
    }
    let complete = registration.missing.is_empty();
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Register(Command::Register(registration)),
    };
    let (_, result) = authorize(state, agent, &[Act::RegisterApplication], &resource, OFFICE, Some(op)).await?;
    let case = applied_case(result)?;
    let number = case.number.to_string();
    let case = if complete {
        mark_complete(state, agent, &number).await?
    } else {
        // Registered as incomplete, with its list: the division will not get it until complete.
        let missing = case.missing.clone();
        office_command(state, agent, &number, Command::MarkIncomplete { missing }).await?
    };
    // The receipt, and the request for what is missing, are printed with the registration.
    use crate::documents::LetterKind;
    let letters: &[LetterKind] =
        if complete { &[LetterKind::Receipt] } else { &[LetterKind::Receipt, LetterKind::MissingItems] };
    let code = match crate::portal::issue_activation_code(state, &agent.login, case.number).await {
        Ok(code) => Some(code),
        Err(e) => {
            tracing::error!(case = %case.number, error = %e, "activation code not issued");
            None
        }
    };
    let case = crate::documents::issue_after(state, agent, case, letters, code.as_deref()).await;
    Ok((case, code))
}

/// The file is complete: it may go to a division (digitization secretaries, as part of registering).
pub async fn mark_complete(state: &AppState, agent: &Agent, number: &str) -> Result<Case, WebError> {
    office_command(state, agent, number, Command::MarkComplete).await
}

/// Items that were missing have arrived: the file is complete when none is left, otherwise it
/// stays incomplete with what is still missing (digitization secretaries, as for registering).
pub async fn receive_missing(
    state: &AppState,
    agent: &Agent,
    number: &str,
    received: &[String],
) -> Result<Case, WebError> {
    let case = load(state, number).await?;
    let remaining: Vec<String> = case.missing.iter().filter(|m| !received.contains(m)).cloned().collect();
    if remaining.is_empty() {
        return mark_complete(state, agent, number).await;
    }
    if remaining == case.missing {
        may_register(state, agent).await?;
        return Err(WebError::field("received", "tick the items that have arrived"));
    }
    office_command(state, agent, number, Command::MarkIncomplete { missing: remaining }).await
}

/// A registration-desk command on a case (the secretaries' office action).
async fn office_command(state: &AppState, agent: &Agent, number: &str, command: Command) -> Result<Case, WebError> {
    let case = load(state, number).await?;
    let resource = Resource::Office;
    let subject = format!("case:{}", case.number);
    if !state.authz().decide(&agent.principal, Act::RegisterApplication, &resource).allowed {
        authorize(state, agent, &[Act::RegisterApplication], &resource, &subject, None).await?;
        return Err(forbidden(Act::RegisterApplication, &resource));
    }
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Case { number: case.number, command },
    };
    let (_, result) = authorize(state, agent, &[Act::RegisterApplication], &resource, &subject, Some(op)).await?;
    applied_case(result)
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

/// Lists cases the agent may see, most urgent deadline first; the rows shown are journaled.
pub async fn list(
    state: &AppState,
    agent: &Agent,
    listing: &Listing,
    limit: u32,
) -> Result<Vec<CaseSummary>, WebError> {
    let p = &agent.principal;
    let action = match listing {
        Listing::Search(_) => Act::SearchCases,
        _ => Act::ViewQueue,
    };
    let decision = state.authz().decide(p, action, &Resource::Office);
    if !decision.allowed {
        require(state, agent, action, &Resource::Office, OFFICE).await?;
    }
    let mut filter = CaseFilter { limit, ..Default::default() };
    match listing {
        Listing::Mine => filter.officer = Some(p.login.clone()),
        Listing::Division { unassigned } => {
            filter.division = Some(p.division.clone().ok_or_else(|| WebError::NotFound("division".into()))?);
            filter.unassigned = *unassigned;
        }
        Listing::Search(q) => {
            let q = q.trim();
            if q.is_empty() {
                return Err(WebError::field("q", "type a name, a case number or a nationality code"));
            }
            if let Ok(n) = CaseNumber::parse(q) {
                return search_number(state, agent, n).await;
            } else if q.len() == 3
                && q.bytes().all(|b| b.is_ascii_alphabetic())
                && q.bytes().any(|b| b.is_ascii_uppercase())
            {
                filter.nationality = Some(q.to_ascii_uppercase());
            } else {
                filter.name = Some(q.to_owned());
            }
            filter.visible = match p.role {
                Role::ProtectionOfficer | Role::SectionHead => Some(Visibility {
                    division: p.division.clone(),
                    officer: (p.role == Role::ProtectionOfficer).then(|| p.login.clone()),
                    pooled: pooled_today(state),
                }),
                _ => None,
            };
        }
    }
    let rows = state.store().list_cases(&filter).await?;
    // Every row is authorized; rows whose policy-relevant attributes are the same get the same
    // answer, so each distinct combination is asked once (a list of 50 rows asks a handful).
    let mut answers: std::collections::HashMap<(Option<String>, bool, bool, String), bool> = Default::default();
    let visible: Vec<CaseSummary> = rows
        .into_iter()
        .filter(|r| {
            let attrs = summary_attrs(r, state);
            let key = (
                attrs.division.clone(),
                attrs.officer.as_deref() == Some(p.login.as_str()),
                attrs.pooled,
                attrs.status.clone(),
            );
            *answers
                .entry(key)
                .or_insert_with(|| state.authz().decide(p, Act::ReadCase, &Resource::Case(attrs)).allowed)
        })
        .collect();
    journal_listing(state, agent, action, &visible).await?;
    Ok(visible)
}

async fn search_number(state: &AppState, agent: &Agent, n: CaseNumber) -> Result<Vec<CaseSummary>, WebError> {
    let Some(case) = state.store().case(&n).await? else {
        journal_listing(state, agent, Act::SearchCases, &[]).await?;
        return Ok(vec![]);
    };
    let allowed =
        state.authz().decide(&agent.principal, Act::ReadCase, &Resource::Case(case_attrs(&case, state))).allowed;
    let rows = if allowed {
        vec![CaseSummary {
            number: case.number.to_string(),
            status: case.status.as_str().to_owned(),
            procedure: case.procedure.as_str().to_owned(),
            nationality: case.nationality.to_string(),
            division: case.division.map(|d| d.as_str().to_owned()),
            section: case.section.map(|s| s.get()),
            officer: case.officer.as_ref().map(|o| o.as_str().to_owned()),
            applicant_latin: format!("{} {}", case.applicant.family_name.latin, case.applicant.given_names.latin),
            applicant_original: format!(
                "{} {}",
                case.applicant.family_name.original, case.applicant.given_names.original
            ),
            decision_due: None,
        }]
    } else {
        vec![]
    };
    journal_listing(state, agent, Act::SearchCases, &rows).await?;
    Ok(rows)
}

async fn journal_listing(state: &AppState, agent: &Agent, action: Act, rows: &[CaseSummary]) -> Result<(), WebError> {
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Record {
            subject: format!("access:{OFFICE}"),
            kind: "authorization.allow".into(),
            payload: serde_json::json!({
                "principal": agent.principal.login,
                "role": agent.principal.role.as_str(),
                "resource": OFFICE,
                "decisions": [{ "action": action.as_str(), "allowed": true }],
                "cases_shown": rows.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(),
            }),
        },
    };
    state.store().execute_one(op).await?.map_err(WebError::Domain)?;
    Ok(())
}

/// The nationalities pooled today, any division may examine them.
pub fn pooled_today(state: &AppState) -> Vec<String> {
    let today = today();
    state
        .store()
        .rules()
        .nationalities()
        .filter(|n| state.store().rules().is_pooled(n.code, today))
        .map(|n| n.code.to_string())
        .collect()
}
