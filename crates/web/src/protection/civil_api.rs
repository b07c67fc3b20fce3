//! `/api/v1/civil/register` and `/api/v1/cases/{number}/civil`: the same civil status as the
//! pages, as JSON, documented in the OpenAPI document with the rest of the API.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use nansen_domain::protection::NewMention;
use nansen_office::protection::civil::{self, ActLine, CivilOp, CivilView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use super::civil::{act_number, facts_of, mention_kind, register_query, RegisterParams};
use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/civil/register", get(register)).route("/cases/{number}/civil", get(read).post(step))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RegisterParamsJson {
    /// An act number, EC-2026-000123.
    pub number: Option<String>,
    /// The start of a family name, in Latin letters or in its script.
    pub name: Option<String>,
    /// The register's year.
    pub year: Option<String>,
    /// birth, marriage or death.
    pub kind: Option<String>,
}

/// A line of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActLineJson {
    pub number: String,
    pub case_number: String,
    /// 0: the applicant; n: the n-th family member of the case.
    pub person: i64,
    pub kind: String,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    /// The event's date as far as it is known: 1990, 1990-03 or 1990-03-14.
    pub event_on: String,
    /// The number of mentions on the act.
    pub version: i64,
}

impl From<ActLine> for ActLineJson {
    fn from(l: ActLine) -> Self {
        ActLineJson {
            number: l.number,
            case_number: l.case_number,
            person: l.person,
            kind: l.kind,
            family_latin: l.family_latin,
            given_latin: l.given_latin,
            family_original: l.family_original,
            given_original: l.given_original,
            event_on: l.event_on,
            version: l.version,
        }
    }
}

/// The register searched by number, name, year or kind, newest acts first (at most 200); the
/// search is journaled with the acts shown.
#[utoipa::path(get, path = "/api/v1/civil/register", params(RegisterParamsJson),
    responses((status = 200, body = Vec<ActLineJson>)))]
async fn register(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<RegisterParamsJson>,
) -> Result<Json<Vec<ActLineJson>>, WebError> {
    let params = RegisterParams { number: q.number, name: q.name, year: q.year, kind: q.kind };
    let query = register_query(&params)?;
    let lines = civil::register(&state, &agent, &query).await?;
    Ok(Json(lines.into_iter().map(ActLineJson::from).collect()))
}

/// A protected person's civil status: the file's persons, its civil-status documents, the acts
/// with their mentions and copies, and what the caller may do next.
#[derive(Debug, Serialize, ToSchema)]
pub struct CivilJson {
    pub number: String,
    pub status: String,
    /// The applicant first (person 0), then the family, as declared.
    #[schema(value_type = Vec<Object>)]
    pub persons: Vec<serde_json::Value>,
    /// The acts: number, kind, facts, mentions, copies (each with its version).
    #[schema(value_type = Vec<Object>)]
    pub acts: Vec<serde_json::Value>,
    /// The documents of the file the registrar may read: number, kind, description.
    #[schema(value_type = Vec<Object>)]
    pub documents: Vec<serde_json::Value>,
    /// act, mention, copy.
    pub next_steps: Vec<String>,
    /// The act the step just concerned.
    pub act: Option<String>,
}

fn civil_json(v: CivilView, act: Option<String>) -> Result<CivilJson, WebError> {
    let internal = |e: serde_json::Error| WebError::Internal(e.to_string());
    let c = &v.case;
    let next_steps = [
        ("act", v.offers.draw_up),
        ("mention", v.offers.mention),
        ("copy", v.offers.copy),
        ("family_book", v.offers.family_book),
    ]
    .into_iter()
    .filter(|(_, offered)| *offered)
    .map(|(s, _)| s.to_owned())
    .collect();
    Ok(CivilJson {
        number: c.number.to_string(),
        status: c.status.as_str().to_owned(),
        persons: c.persons().into_iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(internal)?,
        acts: c.civil_acts.iter().map(serde_json::to_value).collect::<Result<_, _>>().map_err(internal)?,
        documents: c
            .documents
            .iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.id, "kind": d.document.kind.as_str(), "description": d.document.description,
                })
            })
            .collect(),
        next_steps,
        act,
    })
}

/// A protected person's civil status (the read is journaled).
#[utoipa::path(get, path = "/api/v1/cases/{number}/civil", params(("number" = String, Path)),
    responses((status = 200, body = CivilJson)))]
async fn read(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<CivilJson>, WebError> {
    let v = civil::read_civil_status(&state, &agent, &number).await?;
    Ok(Json(civil_json(v, None)?))
}

/// A step of civil status. Names come in two fields: `x` in Latin letters and `x_original` in
/// their script (the Latin form when absent); partial dates as 1990, 1990-03 or 1990-03-14;
/// fields left out take the civil status declared during the procedure.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
#[allow(clippy::large_enum_variant)] // a request body, parsed once
pub enum CivilStepJson {
    /// Draw up an act for person `person` (0: the applicant).
    Act {
        /// birth, marriage or death.
        kind: String,
        person: u16,
        #[serde(default)]
        family_name: String,
        #[serde(default)]
        family_name_original: String,
        #[serde(default)]
        given_names: String,
        #[serde(default)]
        given_names_original: String,
        /// female, male or unspecified (as declared).
        #[serde(default)]
        sex: String,
        #[serde(default)]
        born_on: String,
        #[serde(default)]
        event_on: String,
        #[serde(default)]
        place: String,
        #[serde(default)]
        place_original: String,
        /// Parents (birth act) and spouse (marriage act): `father_family_name`,
        /// `father_family_name_original`, `father_given_names`, `father_given_names_original`,
        /// `father_born_on`, and the same for `mother_` and `spouse_`.
        #[serde(default, flatten)]
        #[schema(value_type = Object)]
        parties: std::collections::HashMap<String, String>,
        /// The file's documents the act is established from.
        #[serde(default)]
        documents: Vec<u32>,
    },
    /// A mention on an act: marriage, divorce, death or correction (with its grounds).
    Mention { act: String, kind: String, on: String, text: String },
    /// A sealed certified copy, put in the protected person's space.
    Copy { act: String },
    /// The family record book, printed from the register's acts and put in the person's space.
    FamilyBook,
}

impl CivilStepJson {
    fn op(self) -> Result<CivilOp, WebError> {
        Ok(match self {
            body @ CivilStepJson::Act { .. } => {
                let value = serde_json::to_value(&body).map_err(|e| WebError::Internal(e.to_string()))?;
                let get = |name: &str| match value.get(name) {
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(serde_json::Value::Number(n)) => n.to_string(),
                    _ => String::new(),
                };
                let (kind, facts) = facts_of(&get)?;
                let documents = match body {
                    CivilStepJson::Act { documents, .. } => documents,
                    _ => Vec::new(),
                };
                CivilOp::DrawUp { kind, facts: Box::new(facts), documents }
            }
            CivilStepJson::Mention { act, kind, on, text } => CivilOp::Mention {
                act: act_number(&act)?,
                mention: NewMention { kind: mention_kind(&kind)?, on: forms::date("on", &on)?, text },
            },
            CivilStepJson::Copy { act } => CivilOp::Copy { act: act_number(&act)? },
            CivilStepJson::FamilyBook => CivilOp::FamilyBook,
        })
    }
}

/// Records a step of civil status; the authorization and the events are journaled together.
/// Returns the civil status as it now stands, with the act concerned.
#[utoipa::path(post, path = "/api/v1/cases/{number}/civil", params(("number" = String, Path)),
    request_body = CivilStepJson, responses((status = 200, body = CivilJson)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<CivilStepJson>,
) -> Result<Json<CivilJson>, WebError> {
    let outcome = civil::act_on_civil_status(&state, &agent, &number, body.op()?).await?;
    Ok(Json(civil_json(outcome.view, Some(outcome.act.to_string()))?))
}

#[derive(OpenApi)]
#[openapi(paths(register, read, step))]
pub struct CivilDoc;
