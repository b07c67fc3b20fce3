//! `/api/v1/library/…`: the country-of-origin library as JSON, documented in the OpenAPI
//! document. The same office calls as the pages.

use axum::extract::{Multipart, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use nansen_office::research::{self, LibraryDocumentRow, RequestLine, RequestStep};
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath};
use crate::forms::FormData;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library/search", get(search))
        .route("/library/documents", post(import).layer(axum::extract::DefaultBodyLimit::max(super::IMPORT_MAX_BYTES)))
        .route("/library/documents/{id}", get(document))
        .route("/library/documents/{id}/file", get(file))
        .route("/library/saved-searches", get(saved_list).post(saved_create))
        .route("/library/saved-searches/{id}", axum::routing::delete(saved_delete))
        .route("/research/requests", get(queue))
        .route("/research/requests/{id}", get(request))
        .route("/research/requests/{id}/steps", post(step))
        .route("/cases/{number}/research-requests", post(ask))
}

/// A library document's description.
#[derive(Debug, Serialize, ToSchema)]
pub struct LibraryDocumentJson {
    pub id: String,
    pub title: String,
    pub source: String,
    /// report, news, legal_text, research_note, mission_report.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 639-3.
    pub language: String,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub published_on: String,
    pub added_on: String,
    /// The version's SHA-256: what a citation pins.
    pub sha256: String,
    pub media_type: String,
    pub passages: i64,
    /// A PDF without a text layer: kept, not searchable.
    pub no_text: bool,
    pub replaces: Option<String>,
    /// A newer version exists: cite it rather than this one.
    pub replaced_by: Option<String>,
}

fn document_json(d: LibraryDocumentRow) -> LibraryDocumentJson {
    LibraryDocumentJson {
        no_text: d.passages == 0,
        id: d.id,
        title: d.title,
        source: d.source,
        kind: d.kind,
        language: d.language,
        countries: d.countries,
        topics: d.topics,
        published_on: d.published_on,
        added_on: d.added_on,
        sha256: d.sha256,
        media_type: d.media_type,
        passages: d.passages,
        replaces: d.replaces,
        replaced_by: d.replaced_by,
    }
}

/// A part of a snippet: matched words are `marked`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MarkJson {
    pub text: String,
    pub marked: bool,
}

/// A passage found.
#[derive(Debug, Serialize, ToSchema)]
pub struct LibraryHitJson {
    pub document: LibraryDocumentJson,
    /// The passage's number in its document's version.
    pub passage: u32,
    pub score: f32,
    pub snippet: Vec<MarkJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LibrarySearchJson {
    /// The query as searched, when it had to be mended (unbalanced quotes, dangling operators).
    pub mended: Option<String>,
    pub hits: Vec<LibraryHitJson>,
    /// More passages matched than were listed.
    pub more: bool,
    pub documents: u64,
    pub passages: u64,
    /// The documents added last, when the search names neither words nor facets.
    pub recent: Vec<LibraryDocumentJson>,
}

/// Searches the library's passages. Parameters (each facet may be repeated or comma-separated):
/// `q` (words, `"phrases"`, `"a b"~3`, `prefix*`, `OR`, `-word`), `countries` (ICAO codes) with
/// `country_match` (`any_of`, `all_of`, `none_of`), `source`, `type`, `language` (ISO 639-3),
/// `topic`, `published_from` and `published_to` (publication dates, YYYY-MM-DD), `sort` (`relevance` or `date`),
/// `limit` (at most 100).
#[utoipa::path(get, path = "/api/v1/library/search",
    params(
        ("q" = Option<String>, Query, description = "The words searched"),
        ("countries" = Option<String>, Query, description = "ICAO country codes, comma-separated"),
        ("country_match" = Option<String>, Query, description = "any_of (default), all_of or none_of"),
        ("source" = Option<String>, Query, description = "Source codes"),
        ("type" = Option<String>, Query, description = "Document types"),
        ("language" = Option<String>, Query, description = "ISO 639-3 codes"),
        ("topic" = Option<String>, Query, description = "Topic codes (a theme includes its subjects)"),
        ("published_from" = Option<String>, Query, description = "Published on or after (YYYY-MM-DD)"),
        ("published_to" = Option<String>, Query, description = "Published on or before (YYYY-MM-DD)"),
        ("sort" = Option<String>, Query, description = "relevance (default) or date"),
        ("limit" = Option<u32>, Query, description = "At most 100"),
    ),
    responses((status = 200, body = LibrarySearchJson), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn search(
    State(state): State<AppState>,
    agent: Agent,
    RawQuery(raw): RawQuery,
) -> Result<Json<LibrarySearchJson>, WebError> {
    let typed = FormData::new(form_urlencoded::parse(raw.unwrap_or_default().as_bytes()).into_owned().collect());
    let query = super::query_of(&typed)?;
    let r = research::search(&state, &agent, &query).await?;
    Ok(Json(LibrarySearchJson {
        mended: r.mended,
        hits: r
            .hits
            .into_iter()
            .map(|h| LibraryHitJson {
                document: document_json(h.document),
                passage: h.passage,
                score: h.score,
                snippet: h.snippet.into_iter().map(|m| MarkJson { text: m.text, marked: m.matched }).collect(),
            })
            .collect(),
        more: r.more,
        documents: r.documents,
        passages: r.passages,
        recent: r.recent.into_iter().map(document_json).collect(),
    }))
}

/// A document with its numbered passages.
#[derive(Debug, Serialize, ToSchema)]
pub struct LibraryDocumentFullJson {
    pub document: LibraryDocumentJson,
    /// The source's name, mandate and reliability as the division describes them.
    pub source_name: Option<String>,
    pub source_mandate: Option<String>,
    pub source_reliability: Option<String>,
    /// Passage `n` is `passages[n - 1]`.
    pub passages: Vec<String>,
}

/// One document of the library with its passages.
#[utoipa::path(get, path = "/api/v1/library/documents/{id}",
    params(("id" = String, Path, description = "The document's id (coi-…)")),
    responses((status = 200, body = LibraryDocumentFullJson), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
async fn document(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<LibraryDocumentFullJson>, WebError> {
    let v = research::document(&state, &agent, &id).await?;
    Ok(Json(LibraryDocumentFullJson {
        source_name: v.source.as_ref().map(|s| s.name.clone()),
        source_mandate: v.source.as_ref().map(|s| s.mandate.clone()),
        source_reliability: v.source.as_ref().map(|s| s.reliability.clone()),
        document: document_json(v.document),
        passages: v.passages,
    }))
}

/// The document's file as stored (PDF, HTML or plain text), as an attachment.
#[utoipa::path(get, path = "/api/v1/library/documents/{id}/file",
    params(("id" = String, Path, description = "The document's id (coi-…)")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
        (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn file(State(state): State<AppState>, agent: Agent, ApiPath(id): ApiPath<String>) -> Result<Response, WebError> {
    super::file_response(&state, &agent, &id).await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedJson {
    pub id: String,
}

/// Imports a document (research assistants): `multipart/form-data` with `file` (PDF, HTML or
/// plain text), `title`, `source`, `type`, `language`, `countries` (comma-separated),
/// `topics` (repeated), `published_on` (YYYY-MM-DD) and optionally `replaces` (the id of the
/// version it replaces). The CSRF token in the `x-csrf-token` header.
#[utoipa::path(post, path = "/api/v1/library/documents",
    request_body(content_type = "multipart/form-data", description = "The file and its description"),
    responses((status = 201, body = ImportedJson), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    multipart: Multipart,
) -> Result<(axum::http::StatusCode, Json<ImportedJson>), WebError> {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    let mut typed = std::collections::HashMap::new();
    let form = super::import_form(&agent, token, multipart, &mut typed).await?;
    let id = research::add_document(&state, &agent, form).await?;
    Ok((axum::http::StatusCode::CREATED, Json(ImportedJson { id })))
}

/// A research request as listed (never the case number).
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestLineJson {
    pub id: String,
    /// asked, taken, answered, published, withdrawn.
    pub status: String,
    pub asked_by: String,
    pub taken_by: Option<String>,
    pub answered_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub needed_by: String,
    pub asked_at: String,
    pub countries: Vec<String>,
    pub question: String,
    /// The research note the published answer became in the library.
    pub note: Option<String>,
    /// Sent back by the reviewer to its author.
    pub sent_back: bool,
}

fn line_json(l: RequestLine) -> RequestLineJson {
    RequestLineJson {
        status: l.status.code().to_owned(),
        id: l.id,
        asked_by: l.asked_by,
        taken_by: l.taken_by,
        answered_by: l.answered_by,
        reviewed_by: l.reviewed_by,
        needed_by: l.needed_by,
        asked_at: l.asked_at,
        countries: l.countries,
        question: l.question,
        note: l.note,
        sent_back: l.sent_back,
    }
}

/// The research division's queue, as one research assistant sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueJson {
    pub mine: Vec<RequestLineJson>,
    pub to_review: Vec<RequestLineJson>,
    pub to_take: Vec<RequestLineJson>,
    pub in_review: Vec<RequestLineJson>,
    pub others: Vec<RequestLineJson>,
    pub published: Vec<RequestLineJson>,
}

/// The research division's queue (research assistants): each question and the facts it bears
/// on, never the case file.
#[utoipa::path(get, path = "/api/v1/research/requests",
    responses((status = 200, body = QueueJson), (status = 403, body = crate::error::Problem)))]
async fn queue(State(state): State<AppState>, agent: Agent) -> Result<Json<QueueJson>, WebError> {
    let q = research::requests::queue(&state, &agent).await?;
    let list = |v: Vec<RequestLine>| v.into_iter().map(line_json).collect();
    Ok(Json(QueueJson {
        mine: list(q.mine),
        to_review: list(q.to_review),
        to_take: list(q.to_take),
        in_review: list(q.in_review),
        others: list(q.others),
        published: list(q.published),
    }))
}

/// A cited passage: the document, the version cited (SHA-256), the passage and the words quoted.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CitationJson {
    pub document: String,
    pub passage: u32,
    pub quote: String,
    /// The version cited (filled by the office from the document's current version).
    #[serde(default)]
    pub version: Option<String>,
    /// A newer version replaced the one cited since.
    #[serde(default)]
    pub replaced_by: Option<String>,
}

/// A research request as the agent may see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RequestJson {
    pub request: RequestLineJson,
    /// The case number: for the case's readers only, never the research division.
    pub case: Option<String>,
    pub facts: String,
    pub topics: Vec<String>,
    pub answer: Option<String>,
    pub citations: Vec<CitationJson>,
    pub remarks: Option<String>,
    pub may_take: bool,
    pub may_answer: bool,
    pub may_review: bool,
    pub may_withdraw: bool,
}

/// One research request: for the research division without the case number, or for whoever
/// may read the case.
#[utoipa::path(get, path = "/api/v1/research/requests/{id}",
    params(("id" = String, Path, description = "The request's id (DR-…)")),
    responses((status = 200, body = RequestJson), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)))]
async fn request(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RequestJson>, WebError> {
    let v = research::requests::request(&state, &agent, &id).await?;
    Ok(Json(RequestJson {
        request: line_json(v.line),
        case: v.case,
        facts: v.facts,
        topics: v.topics,
        answer: v.answer,
        citations: v
            .citations
            .into_iter()
            .map(|c| CitationJson {
                document: c.citation.document,
                passage: c.citation.passage,
                quote: c.citation.quote,
                version: Some(c.citation.version.as_str().to_owned()),
                replaced_by: c.replaced_by,
            })
            .collect(),
        remarks: v.remarks,
        may_take: v.may_take,
        may_answer: v.may_answer,
        may_review: v.may_review,
        may_withdraw: v.may_withdraw,
    }))
}

/// A question for the research division.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AskJson {
    pub question: String,
    /// The facts the question bears on, as the officer words them (without names).
    pub facts: String,
    /// ICAO country codes.
    pub countries: Vec<String>,
    /// Topic codes of the library's taxonomy.
    pub topics: Vec<String>,
    /// YYYY-MM-DD, from today on.
    pub needed_by: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AskedJson {
    pub id: String,
}

/// Asks the research division a question about a case (the case's own officer, while it is
/// examined).
#[utoipa::path(post, path = "/api/v1/cases/{number}/research-requests",
    params(("number" = String, Path, description = "The case number")),
    request_body = AskJson,
    responses((status = 201, body = AskedJson), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn ask(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
    ApiJson(body): ApiJson<AskJson>,
) -> Result<(axum::http::StatusCode, Json<AskedJson>), WebError> {
    let needed_by = match body.needed_by.trim() {
        "" => None,
        v => Some(crate::forms::date("needed_by", v)?),
    };
    let form = research::AskForm {
        question: body.question,
        facts: body.facts,
        countries: body.countries.into_iter().map(|c| c.trim().to_ascii_uppercase()).collect(),
        topics: body.topics,
        needed_by,
    };
    let id = research::requests::ask(&state, &agent, &number, form).await?;
    Ok((axum::http::StatusCode::CREATED, Json(AskedJson { id })))
}

/// A step on a request: `take`, `answer` (with `text` and `citations`), `approve` or
/// `send_back` (with `remarks`) by another research assistant, `withdraw` (the officer who
/// asked).
#[derive(Debug, Deserialize, ToSchema)]
pub struct StepJson {
    pub step: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub citations: Vec<CitationJson>,
    #[serde(default)]
    pub remarks: String,
}

/// Takes a step on a research request; returns the request as it stands after it.
#[utoipa::path(post, path = "/api/v1/research/requests/{id}/steps",
    params(("id" = String, Path, description = "The request's id (DR-…)")),
    request_body = StepJson,
    responses((status = 200, body = RequestJson), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn step(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<StepJson>,
) -> Result<Json<RequestJson>, WebError> {
    let step = match body.step.as_str() {
        "take" => RequestStep::Take,
        "answer" => RequestStep::Answer {
            text: body.text,
            citations: body
                .citations
                .iter()
                .map(|c| format!("{}#{} {}", c.document.trim(), c.passage, c.quote.replace('\n', " ")))
                .collect::<Vec<_>>()
                .join("\n"),
        },
        "approve" => RequestStep::Review { approve: true, remarks: body.remarks },
        "send_back" => RequestStep::Review { approve: false, remarks: body.remarks },
        "withdraw" => RequestStep::Withdraw,
        other => return Err(WebError::field("step", format!("no step {other:?}"))),
    };
    research::requests::act(&state, &agent, &id, step).await?;
    request(State(state), agent, ApiPath(id)).await
}

/// One of the agent's saved searches.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchJson {
    pub id: String,
    pub name: String,
    /// The search as the query of `/api/v1/library/search` (and of the `/library` page).
    pub search: String,
    /// Documents matching it added since the agent last opened it.
    pub new: usize,
}

/// The agent's saved searches of the library, with what is new in each.
#[utoipa::path(get, path = "/api/v1/library/saved-searches",
    responses((status = 200, body = Vec<SavedSearchJson>), (status = 403, body = crate::error::Problem)))]
async fn saved_list(State(state): State<AppState>, agent: Agent) -> Result<Json<Vec<SavedSearchJson>>, WebError> {
    let saved = research::saved::saved_searches(&state, &agent).await?;
    Ok(Json(
        saved
            .into_iter()
            .map(|s| SavedSearchJson { search: super::url_of(&s.query), id: s.id, name: s.name, new: s.new })
            .collect(),
    ))
}

/// A search to save: its name, and the search as the query of `/api/v1/library/search`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SaveSearchJson {
    pub name: String,
    pub search: String,
}

/// Saves a search (at most 20 per agent, each under its own name).
#[utoipa::path(post, path = "/api/v1/library/saved-searches", request_body = SaveSearchJson,
    responses((status = 201, body = ImportedJson), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn saved_create(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<SaveSearchJson>,
) -> Result<(axum::http::StatusCode, Json<ImportedJson>), WebError> {
    let typed = FormData::new(form_urlencoded::parse(body.search.as_bytes()).into_owned().collect());
    let query = super::query_of(&typed)?;
    let id = research::saved::save_search(&state, &agent, &body.name, &query).await?;
    Ok((axum::http::StatusCode::CREATED, Json(ImportedJson { id })))
}

/// Deletes one of the agent's saved searches.
#[utoipa::path(delete, path = "/api/v1/library/saved-searches/{id}",
    params(("id" = String, Path, description = "The saved search's id")),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
async fn saved_delete(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
) -> Result<axum::http::StatusCode, WebError> {
    research::saved::delete_search(&state, &agent, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(OpenApi)]
#[openapi(paths(search, document, file, import, queue, request, ask, step, saved_list, saved_create, saved_delete))]
pub struct ResearchDoc;
