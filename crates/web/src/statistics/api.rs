//! `/api/v1/statistics`: the same tables, figures and notes as the pages, as JSON (or CSV and
//! SDMX-CSV for tables). Documented in the OpenAPI document with the rest of the API.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use nansen_domain::statistics::{to_csv, to_sdmx, Table, Value};
use nansen_office::statistics::{self as stats, NewNote};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/statistics/tables/{table}", get(table))
        .route("/statistics/dashboard", get(dashboard))
        .route("/statistics/harmonisation", get(harmonisation))
        .route("/statistics/reference-notes/{nationality}", get(notes).post(publish_note))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct TableParams {
    /// A month (2025-03), a year (2025) or a range (2025-01/2025-06, 2016/2025), not in the future.
    pub period: String,
    /// json (default), csv, or sdmx (Eurostat datasets; always published).
    pub format: Option<String>,
    /// Fit to leave the office: small cells suppressed, counts rounded.
    pub published: Option<bool>,
}

/// The journal head a table was computed from.
#[derive(Debug, Serialize, ToSchema)]
pub struct JournalHead {
    /// The last journal sequence number counted.
    pub size: u64,
    /// The Merkle root of the journal at that size (hex).
    pub root: String,
}

/// A row: the dimensions' codes and the value.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableRow {
    pub key: Vec<String>,
    /// A count, a number of days, or a signed difference; absent when suppressed or empty.
    pub value: Option<i64>,
    /// A share with its numerator and denominator (rates).
    pub numerator: Option<u64>,
    pub denominator: Option<u64>,
    /// Not published: a small cell, or one that would reveal it.
    pub suppressed: bool,
}

/// A computed table.
#[derive(Debug, Serialize, ToSchema)]
pub struct TableJson {
    pub table: String,
    pub title: String,
    pub period: String,
    pub from: String,
    pub to: String,
    pub journal_head: JournalHead,
    pub dimensions: Vec<String>,
    pub unit: String,
    pub published: bool,
    pub notes: Vec<String>,
    pub rows: Vec<TableRow>,
}

impl From<Table> for TableJson {
    fn from(t: Table) -> Self {
        TableJson {
            table: t.id.as_str().to_owned(),
            title: t.title,
            period: t.period.to_string(),
            from: t.period.from.to_string(),
            to: t.period.to.to_string(),
            journal_head: JournalHead { size: t.snapshot.size, root: t.snapshot.root },
            dimensions: t.dimensions,
            unit: t.unit,
            published: t.published,
            notes: t.notes,
            rows: t
                .rows
                .into_iter()
                .map(|r| {
                    let (value, numerator, denominator) = match r.value {
                        Value::Count(n) => (i64::try_from(n).ok(), None, None),
                        Value::Days(d) | Value::Signed(d) => (Some(d), None, None),
                        Value::Rate { numerator, denominator } => (None, Some(numerator), Some(denominator)),
                        Value::Suppressed | Value::Empty => (None, None, None),
                    };
                    TableRow { key: r.key, value, numerator, denominator, suppressed: r.value == Value::Suppressed }
                })
                .collect(),
        }
    }
}

/// A statistics table computed from the journal's current head, which it names.
#[utoipa::path(get, path = "/api/v1/statistics/tables/{table}", params(
    ("table" = String, Path, description = "migr_asyappctzm, migr_asyappctza, migr_asydcfsta, migr_asypenctzm, report_applications, report_decisions, report_processing_time, report_pending, report_activity, bridge"),
    TableParams),
    responses((status = 200, content((TableJson = "application/json"), (String = "text/csv")))))]
async fn table(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(name): ApiPath<String>,
    ApiQuery(q): ApiQuery<TableParams>,
) -> Result<Response, WebError> {
    let format = q.format.unwrap_or_else(|| "json".into());
    if !["json", "csv", "sdmx"].contains(&format.as_str()) {
        return Err(WebError::field("format", "json, csv or sdmx"));
    }
    let t = stats::table(&state, &agent, &name, &q.period, q.published.unwrap_or(false) || format == "sdmx").await?;
    Ok(match format.as_str() {
        "csv" => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], to_csv(&t)).into_response(),
        "sdmx" => ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], to_sdmx(&t)?).into_response(),
        _ => Json(TableJson::from(t)).into_response(),
    })
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PeriodParams {
    /// A month, a year or a range; default: the current year.
    pub period: Option<String>,
}

/// One month of the dashboard.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonthFigures {
    pub month: String,
    pub applications: u64,
    pub positive: u64,
    pub negative: u64,
    pub closures: u64,
    pub pending: u64,
}

/// A nationality's protection rate on the merits.
#[derive(Debug, Serialize, ToSchema)]
pub struct NationalityRateJson {
    pub nationality: String,
    pub decisions: u64,
    pub positive: u64,
    pub rate: Option<f64>,
    pub low95: Option<f64>,
    pub high95: Option<f64>,
}

/// The figures behind the statistics home page.
#[derive(Debug, Serialize, ToSchema)]
pub struct DashboardJson {
    pub journal_head: JournalHead,
    pub months: Vec<MonthFigures>,
    pub rates: Vec<NationalityRateJson>,
    /// Pending applications at the end of the period by age band.
    pub pending_age: Vec<(String, u64)>,
}

#[utoipa::path(get, path = "/api/v1/statistics/dashboard", params(PeriodParams), responses((status = 200, body = DashboardJson)))]
async fn dashboard(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<DashboardJson>, WebError> {
    let period = q.period.unwrap_or_else(|| state.today().year().to_string());
    let d = stats::dashboard(&state, &agent, &period).await?;
    let months = d
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| MonthFigures {
            month: m.clone(),
            applications: d.applications[i],
            positive: d.positive[i],
            negative: d.negative[i],
            closures: d.closures[i],
            pending: d.pending[i],
        })
        .collect();
    let rates = d
        .rates
        .iter()
        .map(|r| NationalityRateJson {
            nationality: r.nationality.clone(),
            decisions: r.decisions,
            positive: r.positive,
            rate: (r.decisions > 0).then(|| r.positive as f64 / r.decisions as f64),
            low95: r.interval.map(|i| i.0),
            high95: r.interval.map(|i| i.1),
        })
        .collect();
    Ok(Json(DashboardJson {
        journal_head: JournalHead { size: d.snapshot.size, root: d.snapshot.root },
        months,
        rates,
        pending_age: d.pending_age,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct HarmonisationParams {
    /// ISO 3166-1 alpha-3, e.g. AFG.
    pub nationality: String,
    pub period: Option<String>,
}

/// A unit's protection rate on the merits, placed on the funnel.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitRateJson {
    /// office, division, section, officer.
    pub level: String,
    pub unit: String,
    pub decisions: u64,
    pub positive: u64,
    pub rate: Option<f64>,
    pub low95: Option<f64>,
    pub high95: Option<f64>,
    /// inside, beyond95, beyond998: a prompt for review, never a verdict.
    pub position: String,
}

impl From<&nansen_domain::statistics::funnel::UnitRate> for UnitRateJson {
    fn from(u: &nansen_domain::statistics::funnel::UnitRate) -> Self {
        use nansen_domain::statistics::funnel::Position;
        UnitRateJson {
            level: u.level.clone(),
            unit: u.unit.clone(),
            decisions: u.decisions,
            positive: u.positive,
            rate: u.rate,
            low95: u.interval.map(|i| i.0),
            high95: u.interval.map(|i| i.1),
            position: match u.position {
                Position::Inside => "inside",
                Position::Beyond95 => "beyond95",
                Position::Beyond998 => "beyond998",
            }
            .into(),
        }
    }
}

/// Protection rates per unit for one nationality; units the caller may not see are counted, not shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct HarmonisationJson {
    pub journal_head: JournalHead,
    pub nationality: String,
    pub period: String,
    pub overall: UnitRateJson,
    pub units: Vec<UnitRateJson>,
    pub hidden: usize,
}

/// Protection rates by division, section and officer for a nationality (each unit's figures
/// authorized and the access journaled).
#[utoipa::path(get, path = "/api/v1/statistics/harmonisation", params(HarmonisationParams), responses((status = 200, body = HarmonisationJson)))]
async fn harmonisation(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<HarmonisationParams>,
) -> Result<Json<HarmonisationJson>, WebError> {
    let period = q.period.unwrap_or_else(|| state.today().year().to_string());
    let h = stats::harmonisation(&state, &agent, &q.nationality, &period).await?;
    Ok(Json(HarmonisationJson {
        journal_head: JournalHead { size: h.snapshot.size, root: h.snapshot.root.clone() },
        nationality: h.nationality.clone(),
        period: h.period.to_string(),
        overall: UnitRateJson::from(&h.overall),
        units: h.units.iter().map(UnitRateJson::from).collect(),
        hidden: h.hidden,
    }))
}

/// A version of a reference note.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteJson {
    pub nationality: String,
    pub version: usize,
    pub title: String,
    pub body: String,
    pub sources: Vec<String>,
    pub published_by: String,
    pub published_at: String,
}

/// Every version of a nationality's reference note, newest first.
#[utoipa::path(get, path = "/api/v1/statistics/reference-notes/{nationality}", params(("nationality" = String, Path)),
    responses((status = 200, body = Vec<NoteJson>)))]
async fn notes(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(nationality): ApiPath<String>,
) -> Result<Json<Vec<NoteJson>>, WebError> {
    let list = stats::reference_notes(&state, &agent, &nationality).await?;
    Ok(Json(
        list.into_iter()
            .map(|n| NoteJson {
                nationality: n.nationality,
                version: n.version,
                title: n.title,
                body: n.body,
                sources: n.sources,
                published_by: n.published_by,
                published_at: n.published_at,
            })
            .collect(),
    ))
}

/// A new version of a reference note (the harmonisation committee).
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewNoteJson {
    pub title: String,
    pub body: String,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// Publish a new version of a nationality's reference note; earlier versions stay.
#[utoipa::path(post, path = "/api/v1/statistics/reference-notes/{nationality}", params(("nationality" = String, Path)),
    request_body = NewNoteJson, responses((status = 201, body = Vec<NoteJson>)))]
async fn publish_note(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(nationality): ApiPath<String>,
    ApiJson(body): ApiJson<NewNoteJson>,
) -> Result<Response, WebError> {
    stats::publish_note(
        &state,
        &agent,
        &nationality,
        NewNote { title: body.title, body: body.body, sources: body.sources },
    )
    .await?;
    let Json(list) = notes(State(state), agent, ApiPath(nationality)).await?;
    Ok((axum::http::StatusCode::CREATED, Json(list)).into_response())
}

#[derive(OpenApi)]
#[openapi(paths(table, dashboard, harmonisation, notes, publish_note))]
pub struct StatisticsDoc;
