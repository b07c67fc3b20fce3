//! `/api/v1/fgm` and `/api/v1/cases/{number}/fgm`: the FGM follow-up as JSON (the certificate's
//! upload is the page's multipart form), documented in the OpenAPI document.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use nansen_office::protection::fgm::{self, FgmOp, FgmView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::fgm::{days_of, incident_kind};
use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/fgm", get(list)).route("/cases/{number}/fgm", get(read).post(step))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FgmParams {
    /// Days ahead (0 to 366; 30 by default).
    pub days: Option<String>,
}

/// A follow-up line of the daily list (no name: the follow-up's page shows who she is).
#[derive(Debug, Serialize, ToSchema)]
pub struct FgmLineJson {
    pub case_number: String,
    pub person: i64,
    pub due_on: String,
    pub ends_on: String,
    pub certificates: i64,
    pub unsigned_reports: i64,
    pub overdue: bool,
}

/// The follow-ups due (overdue first) and the reports awaiting signature.
#[derive(Debug, Serialize, ToSchema)]
pub struct FgmListJson {
    pub today: String,
    pub until: String,
    pub due: Vec<FgmLineJson>,
    pub unsigned: Vec<FgmLineJson>,
    pub truncated: bool,
}

fn line(l: fgm::FgmLine, today: &str) -> FgmLineJson {
    FgmLineJson {
        overdue: l.due_on.as_str() < today,
        case_number: l.case_number,
        person: l.person,
        due_on: l.due_on,
        ends_on: l.ends_on,
        certificates: l.certificates,
        unsigned_reports: l.unsigned_reports,
    }
}

/// The daily list (journaled with the follow-ups shown).
#[utoipa::path(get, path = "/api/v1/fgm", params(FgmParams), responses((status = 200, body = FgmListJson)))]
async fn list(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<FgmParams>,
) -> Result<Json<FgmListJson>, WebError> {
    let l = fgm::follow_ups(&state, &agent, days_of(q.days.as_deref())?).await?;
    let today = l.today.to_string();
    Ok(Json(FgmListJson {
        until: l.until.to_string(),
        due: l.due.into_iter().map(|x| line(x, &today)).collect(),
        unsigned: l.unsigned.into_iter().map(|x| line(x, &today)).collect(),
        truncated: l.truncated,
        today,
    }))
}

/// A case's follow-ups and what the caller may do next.
#[derive(Debug, Serialize, ToSchema)]
pub struct FgmJson {
    pub number: String,
    /// Each girl's follow-up: opened, majority, certificate due, letters, certificates, reports.
    #[schema(value_type = Vec<Object>)]
    pub follow_ups: Vec<serde_json::Value>,
    /// The persons a follow-up may open for.
    pub may_open: Vec<u16>,
    /// letter, certificate, incident, advance, sign.
    pub next_steps: Vec<String>,
}

fn fgm_json(v: FgmView) -> Result<FgmJson, WebError> {
    let internal = |e: serde_json::Error| WebError::Internal(e.to_string());
    let mut next_steps = Vec::new();
    if v.offers.keep {
        next_steps.extend(["letter", "certificate", "incident", "advance"].map(str::to_owned));
    }
    if v.offers.sign {
        next_steps.push("sign".to_owned());
    }
    Ok(FgmJson {
        number: v.case.number.to_string(),
        follow_ups: v.case.fgm.iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(internal)?,
        may_open: v.offers.open,
        next_steps,
    })
}

/// A case's follow-ups (the read is journaled).
#[utoipa::path(get, path = "/api/v1/cases/{number}/fgm", params(("number" = String, Path)),
    responses((status = 200, body = FgmJson)))]
async fn read(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<FgmJson>, WebError> {
    Ok(Json(fgm_json(fgm::read_fgm(&state, &agent, &number).await?)?))
}

/// A step of a follow-up (dates YYYY-MM-DD). The certificate is filed with the page's form.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum FgmStepJson {
    Open {
        person: u16,
    },
    Letter {
        person: u16,
        on: String,
    },
    /// unjustified_absence, refusal or mutilation_found: a report is prepared for signature.
    Incident {
        person: u16,
        on: String,
        kind: String,
    },
    Advance {
        person: u16,
        on: String,
        grounds: String,
    },
    /// The director signs report n° `report` (1, 2, … in the order prepared).
    Sign {
        person: u16,
        report: u32,
    },
}

impl FgmStepJson {
    fn op(self) -> Result<FgmOp, WebError> {
        use forms::date;
        Ok(match self {
            FgmStepJson::Open { person } => FgmOp::Open { person },
            FgmStepJson::Letter { person, on } => FgmOp::Letter { person, on: date("on", &on)? },
            FgmStepJson::Incident { person, on, kind } => {
                FgmOp::Incident { person, on: date("on", &on)?, kind: incident_kind(&kind)? }
            }
            FgmStepJson::Advance { person, on, grounds } => FgmOp::Advance { person, on: date("on", &on)?, grounds },
            FgmStepJson::Sign { person, report } => FgmOp::Sign { person, report },
        })
    }
}

/// Records a step; the authorization and the event are journaled together.
#[utoipa::path(post, path = "/api/v1/cases/{number}/fgm", params(("number" = String, Path)),
    request_body = FgmStepJson, responses((status = 200, body = FgmJson)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<FgmStepJson>,
) -> Result<Json<FgmJson>, WebError> {
    Ok(Json(fgm_json(fgm::act_on_fgm(&state, &agent, &number, body.op()?).await?)?))
}

#[derive(OpenApi)]
#[openapi(paths(list, read, step))]
pub struct FgmDoc;
