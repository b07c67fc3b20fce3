//! What follows the office's decision (workspace `protection`): the appeals before the asylum
//! court as the legal consultants follow them — the court's notice and its chamber, legal aid,
//! the hearing, the office's defence read by a second consultant, the ruling and what it does to
//! the case, the further appeal to the Conseil d'État — and their list and hearings' calendar;
//! civil status (`civil`), the FGM follow-up (`fgm`) and the end of protection (`ending`).
//! Every read and act goes through the office's [`gate`](crate::gate).

use nansen_authz::Action as Act;
use nansen_domain::deadlines::{deadline, Deadline, DeadlineKind};
use nansen_domain::lifecycle::{Case, Command, CommandKind, CourtOutcome};
use nansen_domain::protection::{cassation_due, defence_outline, AppealNotice, CassationParty, Formation};
pub use nansen_store::AppealLine;
use nansen_store::APPEALS_LIMIT;
use serde::Serialize;
use time::{Date, Duration};

use crate::actor::Agent;
use crate::target::{case_op, last_case, load_target, CaseTarget};
use crate::{Office, OfficeError};

/// The case actions of the appeal page, in the order asked.
const APPEAL_ACTIONS: [Act; 5] =
    [Act::ReadCase, Act::RecordAppeal, Act::DraftDefence, Act::ReviewDefence, Act::ReadDraft];

/// What the appeal page offers now: the policies allow it *and* the domain would consider it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AppealOffers {
    pub legal_aid_request: bool,
    pub legal_aid_decision: bool,
    pub notice: bool,
    pub hearing: bool,
    pub ruling: bool,
    pub draft_defence: bool,
    pub review_defence: bool,
    pub send_defence: bool,
    pub cassation: bool,
}

/// A case's appeal as one legal consultant may see it.
pub struct AppealView {
    /// False after a step that took the case out of the consultant's reach (a ruling that sent
    /// it back to the office): the view then holds only the appeal's own facts.
    pub readable: bool,
    pub case: Case,
    pub offers: AppealOffers,
    /// The appeal deadline (before an appeal) and the court's deadline (while it is before it).
    pub deadlines: Vec<Deadline>,
    /// The last day to go to the Conseil d'État, after a ruling that ended the appeal.
    pub cassation_due: Option<Date>,
    /// What a first defence starts from: the decision's reasons and the case's sources.
    pub outline: String,
}

/// Reads a case's appeal: the actions of the page asked at once and journaled in one entry;
/// `Forbidden` unless the agent may read the case.
pub async fn read_appeal(office: &Office, agent: &Agent, number: &str) -> Result<AppealView, OfficeError> {
    let CaseTarget { mut case, resource, subject } = load_target(office, number).await?;
    let answers = office.ask(agent, &APPEAL_ACTIONS, &resource, &subject).await?;
    let (record, draft, review) = (answers.allowed(1), answers.allowed(2), answers.allowed(3));
    let pending_aid = case.legal_aid.last().is_some_and(|p| p.decided_on.is_none());
    let offers = AppealOffers {
        legal_aid_request: record && case.offers(CommandKind::RequestLegalAid) && case.legal_aid.is_empty(),
        legal_aid_decision: record && case.offers(CommandKind::DecideLegalAid) && pending_aid,
        notice: record && case.offers(CommandKind::LodgeAppeal),
        hearing: record && case.offers(CommandKind::ScheduleHearing) && case.appeal.is_some(),
        ruling: record && case.offers(CommandKind::RecordCourtRuling),
        draft_defence: draft && case.offers(CommandKind::DraftDefence) && case.appeal.is_some(),
        review_defence: review && case.offers(CommandKind::ReviewDefence),
        send_defence: draft && case.offers(CommandKind::SendDefence),
        cassation: record && case.offers(CommandKind::LodgeCassation),
    };
    let rules = office.rules();
    let deadlines = [DeadlineKind::Appeal, DeadlineKind::CourtRuling]
        .into_iter()
        .filter_map(|k| deadline(&case, k, rules).ok().flatten())
        .collect();
    let cassation_due = case
        .court_ruling
        .as_ref()
        .filter(|_| case.appeal.as_ref().is_some_and(|a| a.cassation.is_none()))
        .and_then(|r| cassation_due(rules, r.on).ok())
        .map(|(due, _)| due);
    let outline =
        defence_outline(case.draft.as_ref(), case.interviewed_on, case.signed_at.map(|s| s.date()), case.notified_on);
    // The page is about the appeal: the interview record and the file's documents are on the
    // case page, under their own authorizations.
    case.interview_record = None;
    case.documents.clear();
    Ok(AppealView { readable: true, case, offers, deadlines, cassation_due, outline })
}

/// A step of an appeal, as parsed from a form or a JSON body; its content is checked after the
/// authorization, so that a refused agent learns nothing about the case.
#[derive(Debug, Clone)]
pub enum AppealOp {
    RequestLegalAid { on: Date },
    DecideLegalAid { on: Date },
    Notice { on: Date, court_reference: String, formation: Formation, department: String },
    Hearing { on: Date, notified_on: Date, formation: Formation },
    Ruling { on: Date, outcome: CourtOutcome },
    Cassation { on: Date, by: CassationParty },
    DraftDefence { text: String },
    ReviewDefence { approve: bool, comments: String },
    SendDefence { on: Date },
}

impl AppealOp {
    pub fn action(&self) -> Act {
        match self {
            AppealOp::DraftDefence { .. } | AppealOp::SendDefence { .. } => Act::DraftDefence,
            AppealOp::ReviewDefence { .. } => Act::ReviewDefence,
            _ => Act::RecordAppeal,
        }
    }

    fn command(self) -> Result<Command, OfficeError> {
        Ok(match self {
            AppealOp::RequestLegalAid { on } => Command::RequestLegalAid { on },
            AppealOp::DecideLegalAid { on } => Command::DecideLegalAid { on },
            AppealOp::Notice { on, court_reference, formation, department } => Command::LodgeAppeal {
                on,
                notice: Some(AppealNotice::parse(&court_reference, formation, &department)?),
            },
            AppealOp::Hearing { on, notified_on, formation } => Command::ScheduleHearing { on, notified_on, formation },
            AppealOp::Ruling { on, outcome } => Command::RecordCourtRuling { on, ruling: outcome },
            AppealOp::Cassation { on, by } => Command::LodgeCassation { on, by },
            AppealOp::DraftDefence { text } => Command::DraftDefence { text },
            AppealOp::ReviewDefence { approve, comments } => Command::ReviewDefence { approve, comments },
            AppealOp::SendDefence { on } => Command::SendDefence { on },
        })
    }
}

/// Authorizes, checks and commits a step of an appeal: the authorization and the event in one
/// transaction. Returns the appeal as the agent may now read it (a read, journaled); after a
/// ruling that sent the case back to the office, only the appeal's own facts, not readable.
pub async fn act_on_appeal(
    office: &Office,
    agent: &Agent,
    number: &str,
    op: AppealOp,
) -> Result<AppealView, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let action = op.action();
    let applied = office
        .act(agent, action, &resource, &subject, async || {
            let command = op.command()?;
            Ok(vec![case_op(agent, office.now(), case.number, command)])
        })
        .await?;
    let after = last_case(applied)?;
    match read_appeal(office, agent, number).await {
        Err(OfficeError::Forbidden { .. }) => Ok(AppealView::facts_only(after)),
        other => other,
    }
}

impl AppealView {
    /// What the agent who recorded a step learns of its result when the case has left their
    /// reach: its status and the appeal's facts, nothing of the file.
    fn facts_only(case: Case) -> AppealView {
        let mut shown = Case::initial();
        shown.number = case.number;
        shown.status = case.status;
        shown.appeal = case.appeal;
        shown.referred_by_court_on = case.referred_by_court_on;
        AppealView {
            readable: false,
            case: shown,
            offers: AppealOffers::default(),
            deadlines: Vec::new(),
            cassation_due: None,
            outline: String::new(),
        }
    }
}

/// The legal consultants' list: the appeals before the court (the court's deadline soonest
/// first) and the hearings of a period.
#[derive(Debug, Clone, Serialize)]
pub struct AppealsView {
    pub pending: Vec<AppealLine>,
    pub hearings: Vec<AppealLine>,
    pub from: Date,
    pub to: Date,
    /// Whether the list of appeals was cut at its limit.
    pub truncated: bool,
}

/// The longest calendar asked at once, in days.
pub const CALENDAR_MAX_DAYS: i64 = 366;

/// Reads the appeals under way and the hearings from `from` to `to` (by default the next four
/// weeks), optionally of one chamber; the list is journaled with the cases shown.
pub async fn appeals(
    office: &Office,
    agent: &Agent,
    chamber: Option<&str>,
    from: Option<Date>,
    to: Option<Date>,
) -> Result<AppealsView, OfficeError> {
    let from = from.unwrap_or_else(|| office.today());
    let to = to.unwrap_or(from + Duration::days(27));
    if to < from {
        return Err(OfficeError::field("until", "the end of the period comes after its start"));
    }
    if (to - from).whole_days() > CALENDAR_MAX_DAYS {
        return Err(OfficeError::field("until", format!("a calendar covers at most {CALENDAR_MAX_DAYS} days")));
    }
    if let Some(c) = chamber {
        if nansen_domain::protection::Chamber::parse(c).is_none() {
            return Err(OfficeError::field("chamber", format!("{c:?} is not a chamber of the court")));
        }
    }
    let mut truncated = false;
    let mut hearings = Vec::new();
    let pending = office
        .ask_listing(agent, Act::ReadAppeals, async || {
            let pending = office.store().appeals_pending(chamber, APPEALS_LIMIT).await?;
            truncated = pending.len() as u32 >= APPEALS_LIMIT;
            hearings = office.store().hearings(&from.to_string(), &to.to_string(), APPEALS_LIMIT).await?;
            let shown: Vec<&str> = pending.iter().chain(hearings.iter()).map(|l| l.number.as_str()).collect();
            let shown = serde_json::json!(shown);
            Ok((pending, shown))
        })
        .await?;
    Ok(AppealsView { pending, hearings, from, to, truncated })
}

pub mod civil;

pub mod ending;

pub mod fgm;
