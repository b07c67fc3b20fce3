//! `/api/v1/appeals` and `/api/v1/cases/{number}/appeal`: the same appeals as the pages, as
//! JSON, documented in the OpenAPI document with the rest of the API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use nansen_office::protection::{self as appeals, AppealLine, AppealOp, AppealView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::{formation, list_params, outcome, party};
use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/appeals", get(list)).route("/cases/{number}/appeal", get(read).post(step))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AppealsParams {
    /// montreuil, bordeaux, lyon, nancy or toulouse.
    pub chamber: Option<String>,
    /// First day of the hearings' calendar (YYYY-MM-DD); today by default.
    pub from: Option<String>,
    /// Last day of the hearings' calendar (YYYY-MM-DD); four weeks from `from` by default.
    pub until: Option<String>,
}

/// A line of the appeals list or of the calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealLineJson {
    pub number: String,
    pub status: String,
    pub procedure: String,
    pub nationality: String,
    pub chamber: Option<String>,
    /// The court's deadline to rule.
    pub appeal_due: Option<String>,
    pub hearing_on: Option<String>,
    /// The court's deadline has passed.
    pub overdue: bool,
}

/// The appeals before the court and the hearings of a period.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealsJson {
    pub from: String,
    pub until: String,
    pub pending: Vec<AppealLineJson>,
    pub hearings: Vec<AppealLineJson>,
    pub truncated: bool,
}

fn line(l: AppealLine, today: &str) -> AppealLineJson {
    let overdue = l.appeal_due.as_deref().is_some_and(|d| d < today);
    AppealLineJson {
        number: l.number,
        status: l.status,
        procedure: l.procedure,
        nationality: l.nationality,
        chamber: l.chamber,
        appeal_due: l.appeal_due,
        hearing_on: l.hearing_on,
        overdue,
    }
}

/// The appeals before the court (the court's deadline soonest first; overdue ones flagged) and
/// the hearings' calendar; the list is journaled with the cases shown.
#[utoipa::path(get, path = "/api/v1/appeals", params(AppealsParams), responses((status = 200, body = AppealsJson)))]
async fn list(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<AppealsParams>,
) -> Result<Json<AppealsJson>, WebError> {
    let (chamber, from, until) = list_params(q.chamber.as_deref(), q.from.as_deref(), q.until.as_deref())?;
    let v = appeals::appeals(&state, &agent, chamber.as_deref(), from, until).await?;
    let today = state.today().to_string();
    Ok(Json(AppealsJson {
        from: v.from.to_string(),
        until: v.to.to_string(),
        pending: v.pending.into_iter().map(|l| line(l, &today)).collect(),
        hearings: v.hearings.into_iter().map(|l| line(l, &today)).collect(),
        truncated: v.truncated,
    }))
}

/// A deadline of the appeal, with how it was reached.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealDeadlineJson {
    /// appeal, court_ruling.
    pub kind: String,
    pub due_on: String,
    pub suspended: bool,
    pub overdue: bool,
    pub explanation: String,
}

/// A case's appeal, what happened and what the caller may record next.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealJson {
    pub number: String,
    pub status: String,
    pub notified_on: Option<String>,
    pub appeal_lodged_on: Option<String>,
    /// The appeal as followed: court reference, chamber, formation, hearing, defence, Conseil d'État.
    #[schema(value_type = Option<Object>)]
    pub appeal: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub court_ruling: Option<serde_json::Value>,
    pub referred_by_court_on: Option<String>,
    pub deadlines: Vec<AppealDeadlineJson>,
    /// The last day to take the ruling to the Conseil d'État.
    pub cassation_due: Option<String>,
    /// The steps the caller may record now (see the `step` of the request body).
    pub next_steps: Vec<String>,
}

fn appeal_json(v: AppealView, today: time::Date) -> Result<AppealJson, WebError> {
    let c = &v.case;
    let o = &v.offers;
    let next_steps = [
        ("legal_aid_request", o.legal_aid_request),
        ("legal_aid_decision", o.legal_aid_decision),
        ("notice", o.notice),
        ("hearing", o.hearing),
        ("ruling", o.ruling),
        ("cassation", o.cassation),
        ("defence", o.draft_defence),
        ("review", o.review_defence),
        ("send", o.send_defence),
    ]
    .into_iter()
    .filter(|(_, offered)| *offered)
    .map(|(s, _)| s.to_owned())
    .collect();
    let internal = |e: serde_json::Error| WebError::Internal(e.to_string());
    Ok(AppealJson {
        number: c.number.to_string(),
        status: c.status.as_str().to_owned(),
        notified_on: c.notified_on.map(|d| d.to_string()),
        appeal_lodged_on: c.appeal_lodged_on.map(|d| d.to_string()),
        appeal: c.appeal.as_ref().map(serde_json::to_value).transpose().map_err(internal)?,
        court_ruling: c.court_ruling.as_ref().map(serde_json::to_value).transpose().map_err(internal)?,
        referred_by_court_on: c.referred_by_court_on.map(|d| d.to_string()),
        deadlines: v
            .deadlines
            .iter()
            .map(|d| AppealDeadlineJson {
                kind: d.kind.as_str().to_owned(),
                due_on: d.due_on.to_string(),
                suspended: d.suspended,
                overdue: !d.suspended && d.due_on < today,
                explanation: d.explanation.clone(),
            })
            .collect(),
        cassation_due: v.cassation_due.map(|d| d.to_string()),
        next_steps,
    })
}

/// A case's appeal (the read is journaled).
#[utoipa::path(get, path = "/api/v1/cases/{number}/appeal", params(("number" = String, Path)),
    responses((status = 200, body = AppealJson)))]
async fn read(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<AppealJson>, WebError> {
    let v = appeals::read_appeal(&state, &agent, &number).await?;
    Ok(Json(appeal_json(v, state.today())?))
}

/// A step of an appeal. Dates are YYYY-MM-DD.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum AppealStepJson {
    /// The applicant asked for legal aid (it suspends the appeal deadline).
    LegalAidRequest { on: String },
    /// Legal aid was decided (the remaining days run again).
    LegalAidDecision { on: String },
    /// The court's notice of the appeal: the chamber follows from the department.
    Notice { on: String, court_reference: String, formation: String, department: String },
    /// The hearing and the date the parties were notified of it.
    Hearing { hearing_on: String, notified_on: String, formation: String },
    /// The court's ruling: appeal_rejected, refugee_status_granted, subsidiary_protection_granted, decision_annulled.
    Ruling { ruled_on: String, outcome: String },
    /// A further appeal to the Conseil d'État, by office or applicant.
    Cassation { cassation_on: String, by: String },
    /// The office's defence, written or rewritten.
    Defence { text: String },
    /// A second consultant approves the defence or returns it with comments.
    Review {
        approve: bool,
        #[serde(default)]
        comments: String,
    },
    /// The approved defence was sent to the court.
    Send { sent_on: String },
}

impl AppealStepJson {
    fn op(self) -> Result<AppealOp, WebError> {
        use forms::date;
        Ok(match self {
            AppealStepJson::LegalAidRequest { on } => AppealOp::RequestLegalAid { on: date("on", &on)? },
            AppealStepJson::LegalAidDecision { on } => AppealOp::DecideLegalAid { on: date("on", &on)? },
            AppealStepJson::Notice { on, court_reference, formation: f, department } => AppealOp::Notice {
                on: date("on", &on)?,
                court_reference,
                formation: formation("formation", &f)?,
                department,
            },
            AppealStepJson::Hearing { hearing_on, notified_on, formation: f } => AppealOp::Hearing {
                on: date("hearing_on", &hearing_on)?,
                notified_on: date("notified_on", &notified_on)?,
                formation: formation("formation", &f)?,
            },
            AppealStepJson::Ruling { ruled_on, outcome: o } => {
                AppealOp::Ruling { on: date("ruled_on", &ruled_on)?, outcome: outcome(&o)? }
            }
            AppealStepJson::Cassation { cassation_on, by } => {
                AppealOp::Cassation { on: date("cassation_on", &cassation_on)?, by: party(&by)? }
            }
            AppealStepJson::Defence { text } => AppealOp::DraftDefence { text },
            AppealStepJson::Review { approve, comments } => AppealOp::ReviewDefence { approve, comments },
            AppealStepJson::Send { sent_on } => AppealOp::SendDefence { on: date("sent_on", &sent_on)? },
        })
    }
}

/// Records a step of a case's appeal; the authorization and the event are journaled together.
/// Returns the appeal as it now stands.
#[utoipa::path(post, path = "/api/v1/cases/{number}/appeal", params(("number" = String, Path)),
    request_body = AppealStepJson, responses((status = 200, body = AppealJson)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<AppealStepJson>,
) -> Result<Json<AppealJson>, WebError> {
    let v = appeals::act_on_appeal(&state, &agent, &number, body.op()?).await?;
    Ok(Json(appeal_json(v, state.today())?))
}

#[derive(OpenApi)]
#[openapi(paths(list, read, step))]
pub struct ProtectionDoc;
