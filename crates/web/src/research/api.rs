//! `/api/v1/library/…`: the country-of-origin library as JSON, documented in the OpenAPI
//! document. The same office calls as the pages.

use axum::extract::{Multipart, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use nansen_office::research::{self, LibraryDocumentRow};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::auth::Agent;
use crate::extract::ApiPath;
use crate::forms::FormData;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library/search", get(search))
        .route("/library/documents", post(import).layer(axum::extract::DefaultBodyLimit::max(super::IMPORT_MAX_BYTES)))
        .route("/library/documents/{id}", get(document))
        .route("/library/documents/{id}/file", get(file))
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

#[derive(OpenApi)]
#[openapi(paths(search, document, file, import))]
pub struct ResearchDoc;
