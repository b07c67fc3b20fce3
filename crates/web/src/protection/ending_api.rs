//! `/api/v1/endings` and `/api/v1/cases/{number}/ending`: the end of a protection as JSON,
//! documented in the OpenAPI document.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use nansen_office::protection::ending::{self, EndingLine, EndingOp, EndingView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::ending::{ends_of, ground};
use super::fgm::days_of;
use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/endings", get(list)).route("/cases/{number}/ending", get(read).post(step))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct EndingsParams {
    /// Days back for the decisions (0 to 3660; 90 by default).
    pub days: Option<String>,
}

/// A procedure of the list (no name: the procedure's page shows who it is about).
#[derive(Debug, Serialize, ToSchema)]
pub struct EndingLineJson {
    pub case_number: String,
    /// 1, 2, … in the order the case's procedures opened.
    pub seq: i64,
    /// cessation, fraud, exclusion, threat or renunciation.
    pub ground: String,
    pub opened_on: String,
    pub answer_due: String,
    pub answered_on: Option<String>,
    pub drafted_on: Option<String>,
    pub decided_on: Option<String>,
    /// Whether the decision ended the protection (absent before the decision).
    pub ends: Option<bool>,
}

impl From<EndingLine> for EndingLineJson {
    fn from(l: EndingLine) -> Self {
        EndingLineJson {
            case_number: l.case_number,
            seq: l.seq,
            ground: l.ground,
            opened_on: l.opened_on,
            answer_due: l.answer_due,
            answered_on: l.answered_on,
            drafted_on: l.drafted_on,
            decided_on: l.decided_on,
            ends: l.ends,
        }
    }
}

/// The procedures under way (the answer soonest due first) and the decisions since `since`.
#[derive(Debug, Serialize, ToSchema)]
pub struct EndingsJson {
    pub today: String,
    pub since: String,
    pub open: Vec<EndingLineJson>,
    pub decided: Vec<EndingLineJson>,
    pub truncated: bool,
}

/// The list (journaled with the procedures shown).
#[utoipa::path(get, path = "/api/v1/endings", params(EndingsParams), responses((status = 200, body = EndingsJson)))]
async fn list(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<EndingsParams>,
) -> Result<Json<EndingsJson>, WebError> {
    let l = ending::endings(&state, &agent, days_of(q.days.as_deref())?).await?;
    Ok(Json(EndingsJson {
        today: l.today.to_string(),
        since: l.since.to_string(),
        open: l.open.into_iter().map(Into::into).collect(),
        decided: l.decided.into_iter().map(Into::into).collect(),
        truncated: l.truncated,
    }))
}

/// A case's procedures and what the caller may do next.
#[derive(Debug, Serialize, ToSchema)]
pub struct EndingJson {
    pub number: String,
    /// The day the protection ended, if a signed decision ended it.
    pub ended_on: Option<String>,
    /// Each procedure: ground, facts, letter, answer due, answer, draft, decision, notification.
    #[schema(value_type = Vec<Object>)]
    pub endings: Vec<serde_json::Value>,
    /// The stage of the procedure under way: awaiting_answer, to_draft or drafted.
    pub stage: Option<String>,
    /// open, answer, draft, sign.
    pub next_steps: Vec<String>,
}

fn ending_json(v: EndingView) -> Result<EndingJson, WebError> {
    let internal = |e: serde_json::Error| WebError::Internal(e.to_string());
    let steps =
        [("open", v.offers.open), ("answer", v.offers.answer), ("draft", v.offers.draft), ("sign", v.offers.sign)];
    Ok(EndingJson {
        number: v.case.number.to_string(),
        ended_on: v.case.protection_ended().map(|d| d.to_string()),
        endings: v.case.endings.iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(internal)?,
        stage: v.case.open_ending().map(|e| e.stage(v.today).as_str().to_owned()),
        next_steps: steps.into_iter().filter(|(_, on)| *on).map(|(s, _)| s.to_owned()).collect(),
    })
}

/// A case's procedures (the read is journaled).
#[utoipa::path(get, path = "/api/v1/cases/{number}/ending", params(("number" = String, Path)),
    responses((status = 200, body = EndingJson)))]
async fn read(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<EndingJson>, WebError> {
    Ok(Json(ending_json(ending::read_ending(&state, &agent, &number).await?)?))
}

/// A step of the procedure (dates YYYY-MM-DD). Opening and signing print their letters, which
/// join the file and the person's space.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum EndingStepJson {
    /// cessation, fraud, exclusion, threat or renunciation, and the facts the letter states.
    Open { ground: String, facts: String },
    /// An answer received by post.
    Answer { received_on: String, text: String },
    /// `ends`: "end" or "maintain".
    Draft { ends: String, reasons: String },
    /// Signs procedure n° `seq` (1, 2, … in the order opened): the one the signer read.
    Sign { seq: u32 },
}

impl EndingStepJson {
    fn op(self) -> Result<EndingOp, WebError> {
        Ok(match self {
            EndingStepJson::Open { ground: g, facts } => EndingOp::Open { ground: ground(&g)?, facts },
            EndingStepJson::Answer { received_on, text } => {
                EndingOp::Answer { received_on: forms::date("received_on", &received_on)?, text }
            }
            EndingStepJson::Draft { ends, reasons } => EndingOp::Draft { ends: ends_of(&ends)?, reasons },
            EndingStepJson::Sign { seq } => EndingOp::Sign { seq },
        })
    }
}

/// Records a step; the authorization and the events are journaled together.
#[utoipa::path(post, path = "/api/v1/cases/{number}/ending", params(("number" = String, Path)),
    request_body = EndingStepJson, responses((status = 200, body = EndingJson)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<EndingStepJson>,
) -> Result<Json<EndingJson>, WebError> {
    Ok(Json(ending_json(ending::act_on_ending(&state, &agent, &number, body.op()?).await?)?))
}

#[derive(OpenApi)]
#[openapi(paths(list, read, step))]
pub struct EndingDoc;
