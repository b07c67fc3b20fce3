//! The JSON API under `/api/v1`: the same actions as the workbench, through the same service
//! layer and the same authorization. Errors are `application/problem+json`. State-changing
//! calls carry the session's CSRF token in `X-CSRF-Token`.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use nansen_domain::decision::DecisionDraft;
use nansen_domain::lifecycle::{InterviewMode, InterviewRecord, QuestionAnswer};
use nansen_office::Action as Act;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{OpenApi, ToSchema};

use crate::auth::{self, Agent};
use crate::client::{with_device, Caller, AGENT_DEVICE_COOKIE};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms::{self, FormData};
use crate::{AppState, WebError};
use nansen_office::cases::{self, CaseOp, Listing, Permissions};
use nansen_office::{accounts, audit, documents, letters, portal as access};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out).get(whoami))
        .route("/cases", get(list_cases).post(register))
        .route("/cases/{number}", get(case))
        .route("/cases/{number}/interview-record", get(interview_record).post(record_interview))
        .route("/cases/{number}/draft", get(draft).put(put_draft))
        .route("/cases/{number}/draft/submission", post(submit))
        .route("/cases/{number}/assignment", post(assign))
        .route("/cases/{number}/interview", post(schedule))
        .route("/cases/{number}/review", post(review))
        .route("/cases/{number}/signature", post(sign))
        .route("/cases/{number}/notification", post(notify))
        .route("/cases/{number}/interview-needs", put(put_needs))
        .route("/cases/{number}/absence", post(record_absence))
        .route("/cases/{number}/closure", post(close_for_absence))
        .route("/queues", get(queues))
        .route("/journal/head", get(journal_head))
        .route("/journal/entries", get(journal_entries))
        .route("/journal/payload-access", post(open_payload_access))
        .route("/journal/payloads", get(journal_payloads))
        .route("/journal/payload-accesses", get(payload_accesses))
        .route("/accounts", get(accounts))
        .route(
            "/cases/{number}/documents",
            post(upload_documents).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/cases/{number}/documents/{id}", get(get_document))
        .route(
            "/cases/{number}/recordings",
            post(upload_recording).layer(axum::extract::DefaultBodyLimit::max(
                nansen_office::recordings::MAX_RECORDING_BYTES as usize + 1024 * 1024,
            )),
        )
        .route("/cases/{number}/letters", post(issue_letter))
        .route("/cases/{number}/portal-access", post(portal_access))
        .route("/cases/{number}/originals", post(receive_original))
        .route("/originals", get(list_originals))
        .route("/originals/{id}", get(get_original))
        .route("/originals/{id}/custody", post(custody))
        .merge(crate::statistics::api::routes())
        .merge(crate::protection::api::routes())
        .merge(crate::protection::civil_api::routes())
        .merge(crate::protection::fgm_api::routes())
        .merge(crate::protection::ending_api::routes())
        .merge(crate::reception::api::routes())
        .merge(crate::planning::api::routes())
        .merge(crate::research::api::routes())
        .fallback(crate::extract::not_found)
        .layer(axum::middleware::from_fn(crate::extract::problems_only))
}

/// A state-changing call is checked for its session and CSRF token before its body is read: a
/// forged request is refused as such (400), whatever its body says.
pub async fn csrf_first(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::extract::FromRequestParts;
    use axum::http::Method;
    // Only the methods the API answers change anything; others get their 405 from the router.
    let changes = matches!(*request.method(), Method::POST | Method::PUT | Method::DELETE);
    let signs_in = request.method() == Method::POST && request.uri().path() == "/session";
    if !changes || signs_in {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let checked = match Agent::from_request_parts(&mut parts, &state).await {
        Ok(agent) => csrf(&agent, &parts.headers),
        Err(e) => Err(e),
    };
    match checked {
        Ok(()) => next.run(axum::extract::Request::from_parts(parts, body)).await,
        Err(e) => e.into_response(),
    }
}

/// The CSRF token of a state-changing API call.
fn csrf(agent: &Agent, headers: &HeaderMap) -> Result<(), WebError> {
    agent.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignIn {
    pub login: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionInfo {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    /// Send it back in `X-CSRF-Token` with every state-changing call.
    pub csrf_token: String,
}

/// Sign in; the session cookie comes back with the answer.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignIn, responses(
    (status = 200, body = SessionInfo), (status = 401, body = crate::error::Problem),
    (status = 403, description = "passwords are turned off: sign in through the identity provider", body = crate::error::Problem),
    (status = 429, body = crate::error::Problem)))]
async fn sign_in(
    State(state): State<AppState>,
    session: Session,
    caller: Caller,
    ApiJson(body): ApiJson<SignIn>,
) -> Result<Response, WebError> {
    let signed = accounts::sign_in(&state, &body.login, &body.password, caller.agent()).await?;
    let s = auth::start_session(&state, &session, &signed.agent, "fr", None).await?;
    let info = Json(SessionInfo {
        login: s.login,
        display_name: s.display_name,
        role: s.role,
        division: s.division,
        section: s.section,
        csrf_token: s.csrf,
    });
    Ok(with_device(info.into_response(), AGENT_DEVICE_COOKIE, &signed.device, "/", state.config().tls))
}

/// Sign out: the session ends on the server.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = crate::error::Problem)))]
async fn sign_out(State(state): State<AppState>, agent: Agent, headers: HeaderMap) -> Result<StatusCode, WebError> {
    csrf(&agent, &headers)?;
    auth::end_session(&state, &agent).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/session", responses((status = 200, body = SessionInfo), (status = 401, body = crate::error::Problem)))]
async fn whoami(agent: Agent) -> Json<SessionInfo> {
    let p = agent.principal.clone();
    Json(SessionInfo {
        login: p.login,
        display_name: agent.display_name.clone(),
        role: p.role.as_str().to_owned(),
        division: p.division,
        section: p.section,
        csrf_token: agent.csrf,
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// `mine` (an officer's cases), `division` (the section head's queue), `unassigned`; or a search with `q`.
    pub view: Option<String>,
    /// A name in any spelling or script (given and family names in any order, one typo forgiven;
    /// names spelled as typed first), a case number or a nationality code.
    pub q: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseLine {
    pub number: String,
    pub status: String,
    pub procedure: String,
    pub nationality: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub officer: Option<String>,
    pub applicant_latin: String,
    pub applicant_original: String,
    pub decision_due: Option<String>,
}

/// Cases the agent may see, most urgent decision deadline first.
#[utoipa::path(get, path = "/api/v1/cases", params(ListQuery), responses(
    (status = 200, body = Vec<CaseLine>), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem)))]
async fn list_cases(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<CaseLine>>, WebError> {
    let listing = match (q.q, q.view.as_deref()) {
        (Some(q), _) => Listing::Search(q),
        (None, Some("division")) => Listing::Division { unassigned: false },
        (None, Some("unassigned")) => Listing::Division { unassigned: true },
        (None, Some("mine")) => Listing::Mine,
        (None, None) => Listing::default_for(agent.principal.role).ok_or_else(|| {
            WebError::field("q", "your role has no work queue: search with q (a name, a case number or a nationality)")
        })?,
        (None, Some(other)) => {
            return Err(WebError::field("view", format!("{other:?} is not mine, division or unassigned")))
        }
    };
    let rows = cases::list(&state, &agent, &listing, q.limit.unwrap_or(50).clamp(1, 500)).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| CaseLine {
                number: r.number,
                status: r.status,
                procedure: r.procedure,
                nationality: r.nationality,
                division: r.division,
                section: r.section,
                officer: r.officer,
                applicant_latin: r.applicant_latin,
                applicant_original: r.applicant_original,
                decision_due: r.decision_due,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NameBody {
    pub latin: String,
    #[serde(default)]
    pub original: Option<String>,
}

/// An application as registered by a digitization secretary.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterBody {
    /// asylum, re_examination or statelessness
    pub kind: String,
    /// normal, detention, border or accelerated:<ground>
    pub procedure: String,
    /// ISO 3166 alpha-3 code, e.g. AFG
    pub nationality: String,
    /// ISO 639 code of the applicant's language, e.g. prs
    pub language: String,
    pub family_name: NameBody,
    #[serde(default)]
    pub given_names: Option<NameBody>,
    /// YYYY-MM-DD, or a year
    #[serde(default)]
    pub birth_date: Option<String>,
    /// female, male or unspecified
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub birth_place: Option<String>,
    /// YYYY-MM-DD
    pub introduced_on: String,
    #[serde(default)]
    pub missing: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Registered {
    pub number: String,
    pub status: String,
    /// The one-time code that opens the applicant's secure space, also printed on the receipt;
    /// shown here once, never stored in clear.
    pub activation_code: Option<String>,
}

/// Register an application (digitization secretaries).
#[utoipa::path(post, path = "/api/v1/cases", request_body = RegisterBody, responses(
    (status = 201, body = Registered), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn register(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiJson(b): ApiJson<RegisterBody>,
) -> Result<Response, WebError> {
    csrf(&agent, &headers)?;
    cases::may_register(&state, &agent).await?;
    let given = b.given_names.unwrap_or(NameBody { latin: String::new(), original: None });
    let pairs = vec![
        ("kind".to_owned(), b.kind),
        ("procedure".to_owned(), b.procedure),
        ("nationality".to_owned(), b.nationality),
        ("language".to_owned(), b.language),
        ("family_latin".to_owned(), b.family_name.latin),
        ("family_original".to_owned(), b.family_name.original.unwrap_or_default()),
        ("given_latin".to_owned(), given.latin),
        ("given_original".to_owned(), given.original.unwrap_or_default()),
        ("birth_date".to_owned(), b.birth_date.unwrap_or_default()),
        ("sex".to_owned(), b.sex.unwrap_or_default()),
        ("birth_place".to_owned(), b.birth_place.unwrap_or_default()),
        ("introduced_on".to_owned(), b.introduced_on),
        ("missing".to_owned(), b.missing.join("\n")),
    ];
    let registration = forms::registration(&FormData::new(pairs), state.rules(), state.checklist())?;
    let (case, activation_code) = cases::register(&state, &agent, registration).await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            number: case.number.to_string(),
            status: case.status.as_str().to_owned(),
            activation_code: Some(activation_code),
        }),
    )
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CaseDocument {
    /// The case as the agent may see it (no interview record or draft without the right to read them).
    #[schema(value_type = Object)]
    pub case: serde_json::Value,
    /// What the policies allow this agent on this case.
    #[schema(value_type = Object)]
    pub permissions: Permissions,
    /// What the agent may do now: allowed by the policies and possible in the case's state.
    #[schema(value_type = Object)]
    pub offers: cases::Offers,
    /// Every deadline with how it was computed.
    #[schema(value_type = Vec<Object>)]
    pub deadlines: serde_json::Value,
    pub timeline: Vec<TimelineEntry>,
    pub pooled: bool,
    /// Where the applicant lives now, as the reception agency knows it (a structure, or the
    /// address for letters); only for whoever convenes them (the assigned officer, a section
    /// head who may assign the case).
    pub lives_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntry {
    pub seq: u64,
    pub recorded_at: String,
    pub actor: String,
    pub kind: String,
}

/// A case, with what the agent may do on it. The read is journaled.
#[utoipa::path(get, path = "/api/v1/cases/{number}", params(("number" = String, Path, description = "e.g. 2026-0000042")), responses(
    (status = 200, body = CaseDocument), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn case(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<CaseDocument>, WebError> {
    let view = cases::read_case(&state, &agent, &number).await?;
    Ok(Json(CaseDocument {
        case: serde_json::to_value(&view.case).map_err(|e| WebError::Internal(e.to_string()))?,
        permissions: view.can,
        offers: view.offers,
        deadlines: serde_json::to_value(&view.deadlines).map_err(|e| WebError::Internal(e.to_string()))?,
        timeline: view
            .timeline
            .into_iter()
            .map(|e| TimelineEntry { seq: e.seq, recorded_at: e.recorded_at, actor: e.actor, kind: e.kind })
            .collect(),
        pooled: view.pooled,
        lives_at: view.lives_at,
    }))
}

async fn read_part(
    state: &AppState,
    agent: &Agent,
    number: &str,
    action: Act,
) -> Result<nansen_domain::lifecycle::Case, WebError> {
    Ok(cases::read_part(state, agent, number, action).await?)
}

/// The interview record (protection officers and section heads with a need to know; never secretaries).
#[utoipa::path(get, path = "/api/v1/cases/{number}/interview-record", params(("number" = String, Path)), responses(
    (status = 200, body = RecordBody), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn interview_record(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Response, WebError> {
    let case = read_part(&state, &agent, &number, Act::ReadInterview).await?;
    match case.interview_record {
        Some(r) => Ok(Json(r).into_response()),
        None => Err(WebError::NotFound("interview record".into())),
    }
}

/// The decision draft (never for secretaries).
#[utoipa::path(get, path = "/api/v1/cases/{number}/draft", params(("number" = String, Path)), responses(
    (status = 200, body = Object), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn draft(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(number): ApiPath<String>,
) -> Result<Response, WebError> {
    let case = read_part(&state, &agent, &number, Act::ReadDraft).await?;
    let Some(d) = case.draft else { return Err(WebError::NotFound("decision draft".into())) };
    // Each source says whether a newer version of its document replaced the one cited.
    let views = nansen_office::research::citation_views(&state, d.sources.iter().map(|s| &s.citation)).await?;
    let replaced: Vec<_> = views
        .iter()
        .map(|v| serde_json::json!({ "document": v.citation.document, "passage": v.citation.passage, "replaced_by": v.replaced_by }))
        .collect();
    Ok(Json(serde_json::json!({ "draft": d, "review_comments": case.review_comments, "sources": replaced }))
        .into_response())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub number: String,
    pub status: String,
}

async fn apply(
    state: &AppState,
    agent: &Agent,
    headers: &HeaderMap,
    number: &str,
    op: CaseOp,
) -> Result<Json<Done>, WebError> {
    csrf(agent, headers)?;
    let case = cases::perform(state, agent, number, op).await?;
    Ok(Json(Done { number: case.number.to_string(), status: case.status.as_str().to_owned() }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// The login of a protection officer of the section head's division.
    pub officer: String,
}

/// Assign the case to an officer (section heads; their division or a pooled nationality).
#[utoipa::path(post, path = "/api/v1/cases/{number}/assignment", params(("number" = String, Path)), request_body = AssignBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn assign(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<AssignBody>,
) -> Result<Json<Done>, WebError> {
    apply(&state, &agent, &headers, &number, CaseOp::Assign { officer: b.officer }).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScheduleBody {
    /// YYYY-MM-DD
    pub on: String,
    /// in_person or video_link
    pub mode: String,
    /// The booth, or the link or approved room of a video interview.
    pub place: String,
    /// ISO 639 code of the interpreter's language.
    #[serde(default)]
    pub interpreter: Option<String>,
}

/// Schedule the interview (the assigned officer).
#[utoipa::path(post, path = "/api/v1/cases/{number}/interview", params(("number" = String, Path)), request_body = ScheduleBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn schedule(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ScheduleBody>,
) -> Result<Json<Done>, WebError> {
    let on = forms::date("on", &b.on)?;
    let mode = match b.mode.as_str() {
        "in_person" => InterviewMode::InPerson,
        "video_link" => InterviewMode::VideoLink,
        _ => return Err(WebError::field("mode", "in_person or video_link")),
    };
    apply(
        &state,
        &agent,
        &headers,
        &number,
        CaseOp::Schedule { on, mode, place: Some(b.place), interpreter: b.interpreter },
    )
    .await
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct QaBody {
    pub question: String,
    pub answer: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct RecordBody {
    /// YYYY-MM-DD (only in a request)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_on: Option<String>,
    /// Part one: civil status and family.
    pub civil_status: Vec<QaBody>,
    /// Part two: the fears in case of return.
    pub fears: Vec<QaBody>,
}

/// Record the interview in its two parts (the assigned officer).
#[utoipa::path(post, path = "/api/v1/cases/{number}/interview-record", params(("number" = String, Path)), request_body = RecordBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_interview(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<RecordBody>,
) -> Result<Json<Done>, WebError> {
    let held_on = forms::date("held_on", b.held_on.as_deref().unwrap_or_default())?;
    let qa =
        |v: Vec<QaBody>| v.into_iter().map(|e| QuestionAnswer { question: e.question, answer: e.answer }).collect();
    let record = InterviewRecord { civil_status: qa(b.civil_status), fears: qa(b.fears) };
    apply(&state, &agent, &headers, &number, CaseOp::RecordInterview { held_on, record }).await
}

/// Write or rewrite the decision draft (the assigned officer). The body is the draft as the
/// domain defines it: `{"outcome": {"refugee_status": {"basis": "convention", "grounds": ["political_opinion"]}}, "facts": "…", "law": "…"}`,
/// with optional `"sources": [{"citation": {"document": "coi-…", "version": "<sha256>", "passage": 3, "quote": "…"}}]`:
/// library passages, each checked against the version cited (the letter's reference is set by the office).
#[utoipa::path(put, path = "/api/v1/cases/{number}/draft", params(("number" = String, Path)), request_body = Object, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn put_draft(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(draft): ApiJson<DecisionDraft>,
) -> Result<Json<Done>, WebError> {
    apply(&state, &agent, &headers, &number, CaseOp::Draft { draft, citations: None }).await
}

/// Submit the draft to the section head (the assigned officer).
#[utoipa::path(post, path = "/api/v1/cases/{number}/draft/submission", params(("number" = String, Path)), responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn submit(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Done>, WebError> {
    apply(&state, &agent, &headers, &number, CaseOp::Submit).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewBody {
    /// Why the draft goes back to the officer.
    pub comments: String,
}

/// Return the draft to the officer with comments (the section head of the case's section).
#[utoipa::path(post, path = "/api/v1/cases/{number}/review", params(("number" = String, Path)), request_body = ReviewBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn review(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<ReviewBody>,
) -> Result<Json<Done>, WebError> {
    apply(&state, &agent, &headers, &number, CaseOp::Return { comments: b.comments }).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignBody {
    /// The signer's password, typed again.
    pub password: String,
}

/// Validate and sign the decision (the section head of the case's section, never its drafter),
/// after typing the password again.
#[utoipa::path(post, path = "/api/v1/cases/{number}/signature", params(("number" = String, Path)), request_body = SignBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn sign(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<SignBody>,
) -> Result<Json<Done>, WebError> {
    apply(
        &state,
        &agent,
        &headers,
        &number,
        CaseOp::Sign { proof: nansen_office::accounts::StepUp::Password(b.password) },
    )
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NeedsBody {
    /// `female` or `male`: an officer of that sex (CESEDA L.531-17); absent for no request.
    #[serde(default)]
    pub officer_sex: Option<String>,
    /// `female` or `male`: an interpreter of that sex.
    #[serde(default)]
    pub interpreter_sex: Option<String>,
    /// Why the request is justified (required with a request).
    #[serde(default)]
    pub grounds: String,
    /// Special procedural needs (vulnerability): convened first.
    #[serde(default)]
    pub vulnerable: bool,
    /// Cases of family members heard at the same sitting (same officer).
    #[serde(default)]
    pub heard_with: Vec<String>,
}

/// Record what the applicant asked for or needs at the interview (whoever convenes the case);
/// the week's plan honours it.
#[utoipa::path(put, path = "/api/v1/cases/{number}/interview-needs", params(("number" = String, Path)), request_body = NeedsBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn put_needs(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<NeedsBody>,
) -> Result<Json<Done>, WebError> {
    let sex = |field: &str, v: Option<String>| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some("female") => Ok(Some(nansen_domain::Sex::Female)),
        Some("male") => Ok(Some(nansen_domain::Sex::Male)),
        Some(_) => Err(WebError::field(field, "female, male, or absent")),
    };
    let needs = nansen_domain::InterviewNeeds {
        officer_sex: sex("officer_sex", b.officer_sex)?,
        interpreter_sex: sex("interpreter_sex", b.interpreter_sex)?,
        grounds: b.grounds.trim().to_owned(),
        vulnerable: b.vulnerable,
        heard_with: forms::case_numbers("heard_with", &b.heard_with.join(","))?,
    };
    apply(&state, &agent, &headers, &number, CaseOp::InterviewNeeds(needs)).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AbsenceBody {
    /// The day of the interview missed, YYYY-MM-DD.
    pub on: String,
    /// Excused: the case goes back to the cases to convene; unexcused: it may be closed.
    pub excused: bool,
    /// The reason given (required when excused).
    #[serde(default)]
    pub reason: String,
}

/// Record the applicant's absence from the interview (whoever holds the interview).
#[utoipa::path(post, path = "/api/v1/cases/{number}/absence", params(("number" = String, Path)), request_body = AbsenceBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn record_absence(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<AbsenceBody>,
) -> Result<Json<Done>, WebError> {
    let on = forms::date("on", &b.on)?;
    apply(&state, &agent, &headers, &number, CaseOp::Absence { on, excused: b.excused, reason: b.reason }).await
}

/// Close the examination after an unexcused absence from the interview (CESEDA L.531-38),
/// after typing the password again (whoever signs decisions).
#[utoipa::path(post, path = "/api/v1/cases/{number}/closure", params(("number" = String, Path)), request_body = SignBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn close_for_absence(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<SignBody>,
) -> Result<Json<Done>, WebError> {
    let proof = nansen_office::accounts::StepUp::Password(b.password);
    apply(&state, &agent, &headers, &number, CaseOp::CloseForAbsence { proof }).await
}

/// Notify the signed decision: it is put in the applicant's secure space.
#[utoipa::path(post, path = "/api/v1/cases/{number}/notification", params(("number" = String, Path)), responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
async fn notify(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<Done>, WebError> {
    apply(&state, &agent, &headers, &number, CaseOp::Notify).await
}

/// The open cases of the agent's division by section: backlog, unassigned, overdue, due soon, oldest.
#[utoipa::path(get, path = "/api/v1/queues", responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
async fn queues(State(state): State<AppState>, agent: Agent) -> Result<Response, WebError> {
    Ok(Json(cases::queue_counts(&state, &agent).await?).into_response())
}

/// The journal's current head and the latest signed tree head (public: it reveals nothing).
#[utoipa::path(get, path = "/api/v1/journal/head", responses((status = 200, body = Object)))]
async fn journal_head(State(state): State<AppState>) -> Result<Response, WebError> {
    Ok(Json(audit::journal_head(&state).await?).into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct EntriesQuery {
    /// e.g. case:2026-0000042 (what happened), access:case:2026-0000042 (who looked, and the
    /// answers of the policies), access:office, account:opi.karimi
    pub subject: String,
    /// The latest entries, newest first (default 500, at most 5,000).
    pub limit: Option<u32>,
}

/// The latest journal entries of a subject, newest first, without their payloads (auditors): who,
/// when, what kind, and the hashes that prove nothing was altered.
#[utoipa::path(get, path = "/api/v1/journal/entries", params(EntriesQuery), responses((status = 200, body = Vec<EntryLine>)))]
async fn journal_entries(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<EntriesQuery>,
) -> Result<Json<Vec<EntryLine>>, WebError> {
    let entries = audit::journal_entries(&state, &agent, &q.subject, q.limit.unwrap_or(500).clamp(1, 5000)).await?;
    Ok(Json(entries.into_iter().map(EntryLine::from).collect()))
}

/// A journal entry without its payload.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryLine {
    pub seq: u64,
    pub recorded_at: String,
    pub actor: String,
    pub subject: String,
    pub kind: String,
    /// SHA-256 of the payload (hex); the payload itself needs a justified access.
    pub payload_sha256: String,
    pub hash: String,
}

impl From<audit::EntryMeta> for EntryLine {
    fn from(e: audit::EntryMeta) -> Self {
        EntryLine {
            seq: e.seq,
            recorded_at: e.recorded_at,
            actor: e.actor,
            subject: e.subject,
            kind: e.kind,
            payload_sha256: e.payload_sha256,
            hash: e.hash,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PayloadAccessBody {
    /// The journal subject, e.g. case:2026-0000042.
    pub subject: String,
    /// Why (at least 20 characters): the request, incident or inquiry it answers.
    pub reason: String,
    /// How long the access stays open, 1 to 60 minutes (default 15).
    pub minutes: Option<u32>,
}

/// A justified access to a subject's payloads, or its use.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayloadAccessLine {
    pub seq: u64,
    pub login: String,
    pub subject: String,
    pub reason: String,
    pub opened_at: String,
    pub expires_at: String,
    /// `opened` or `used`.
    pub kind: String,
}

impl From<audit::PayloadAccess> for PayloadAccessLine {
    fn from(a: audit::PayloadAccess) -> Self {
        PayloadAccessLine {
            seq: a.seq,
            login: a.login,
            subject: a.subject,
            reason: a.reason,
            opened_at: a.opened_at,
            expires_at: a.expires_at,
            kind: a.kind,
        }
    }
}

/// Open a justified access to one subject's payloads (auditors): a stated reason, a limited time;
/// journaled and listed for the data-protection officer.
#[utoipa::path(post, path = "/api/v1/journal/payload-access", request_body = PayloadAccessBody, responses(
    (status = 201, body = PayloadAccessLine)))]
async fn open_payload_access(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiJson(b): ApiJson<PayloadAccessBody>,
) -> Result<Response, WebError> {
    csrf(&agent, &headers)?;
    let access = audit::open_payload_access(&state, &agent, &b.subject, &b.reason, b.minutes.unwrap_or(15)).await?;
    Ok((StatusCode::CREATED, Json(PayloadAccessLine::from(access))).into_response())
}

/// A journal entry with its payload.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryWithPayload {
    pub seq: u64,
    pub recorded_at: String,
    pub actor: String,
    pub subject: String,
    pub kind: String,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub hash: String,
}

/// The latest entries of a subject with their payloads, under an open justified access (each read
/// journaled).
#[utoipa::path(get, path = "/api/v1/journal/payloads", params(EntriesQuery), responses((status = 200, body = Vec<EntryWithPayload>)))]
async fn journal_payloads(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<EntriesQuery>,
) -> Result<Json<Vec<EntryWithPayload>>, WebError> {
    let entries = audit::journal_payloads(&state, &agent, &q.subject, q.limit.unwrap_or(500).clamp(1, 5000)).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| EntryWithPayload {
                seq: e.seq,
                recorded_at: e.recorded_at,
                actor: e.actor,
                subject: e.subject,
                kind: e.kind,
                payload: serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null),
                hash: hex::encode(e.hash),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AccessesQuery {
    /// The latest accesses and uses, newest first (default 500, at most 5,000).
    pub limit: Option<u32>,
}

/// Every justified access to payloads and each use of it (the data-protection officer).
#[utoipa::path(get, path = "/api/v1/journal/payload-accesses", params(AccessesQuery), responses((status = 200, body = Vec<PayloadAccessLine>)))]
async fn payload_accesses(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<AccessesQuery>,
) -> Result<Json<Vec<PayloadAccessLine>>, WebError> {
    let list = audit::payload_accesses(&state, &agent, q.limit.unwrap_or(500).clamp(1, 5000)).await?;
    Ok(Json(list.into_iter().map(PayloadAccessLine::from).collect()))
}

/// The agents' accounts (administrators only; no secret is shown).
#[utoipa::path(get, path = "/api/v1/accounts", responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
async fn accounts(State(state): State<AppState>, agent: Agent) -> Result<Response, WebError> {
    Ok(Json(audit::accounts(&state, &agent).await?).into_response())
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Nansen API",
        description = "Cases of a refugee protection office: registration, examination, decision. \
        Every call is authorized (Cedar policies) and journaled."
    ),
    paths(
        sign_in,
        sign_out,
        whoami,
        list_cases,
        register,
        case,
        interview_record,
        draft,
        assign,
        schedule,
        record_interview,
        put_draft,
        submit,
        review,
        sign,
        notify,
        put_needs,
        record_absence,
        close_for_absence,
        queues,
        journal_head,
        journal_entries,
        open_payload_access,
        journal_payloads,
        payload_accesses,
        accounts,
        upload_documents,
        get_document,
        upload_recording,
        issue_letter,
        portal_access,
        receive_original,
        list_originals,
        get_original,
        custody
    ),
    components(schemas(crate::error::Problem, crate::error::FieldProblem)),
    modifiers(&ErrorResponses)
)]
struct ApiDoc;

/// Declares the errors every operation can answer, as they are sent: `application/problem+json`
/// (RFC 9457), with the statuses that the extractors and the office give whatever the handler.
struct ErrorResponses;

impl utoipa::Modify for ErrorResponses {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let problem = |why: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(why)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build(),
                    )
                    .build(),
            )
        };
        for (path, item) in doc.paths.paths.iter_mut() {
            for (method, op) in [
                ("get", item.get.as_mut()),
                ("put", item.put.as_mut()),
                ("post", item.post.as_mut()),
                ("delete", item.delete.as_mut()),
            ] {
                let Some(op) = op else { continue };
                // What the handler declared: its problems carry their real media type.
                for response in op.responses.responses.values_mut() {
                    if let RefOr::T(r) = response {
                        if let Some(content) = r.content.shift_remove("application/json") {
                            let is_problem =
                                matches!(&content.schema, Some(RefOr::Ref(x)) if x.ref_location.ends_with("/Problem"));
                            let key = if is_problem { "application/problem+json" } else { "application/json" };
                            r.content.insert(key.to_owned(), content);
                        }
                    }
                }
                let public = path == "/api/v1/journal/head" || (path == "/api/v1/session" && method == "post");
                let has_params = op.parameters.as_ref().is_some_and(|p| !p.is_empty());
                let has_body = op.request_body.is_some();
                let changes = method != "get";
                let mut add = |status: &str, why: &str| {
                    op.responses.responses.entry(status.to_owned()).or_insert_with(|| problem(why));
                };
                if has_params || has_body || changes {
                    add("400", "the request is malformed (body, cross-site origin, CSRF token)");
                    add("422", "a parameter or a field is refused; `errors` names it");
                }
                if !public {
                    add("401", "no valid session");
                    add("403", "the policies refuse this action (the refusal is journaled)");
                }
                if path.contains('{') {
                    add("404", "no such case or document");
                }
                if changes && !public && path != "/api/v1/session" {
                    add("409", "the case is not in a state that allows this");
                }
                if has_body && path != "/api/v1/cases/{number}/documents" {
                    add("415", "the body is not application/json");
                }
                if path == "/api/v1/cases/{number}/documents" {
                    add("413", "the upload is larger than allowed");
                }
            }
        }
    }
}

pub async fn openapi() -> Response {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::statistics::api::StatisticsDoc::openapi());
    doc.merge(crate::protection::api::ProtectionDoc::openapi());
    doc.merge(crate::protection::civil_api::CivilDoc::openapi());
    doc.merge(crate::protection::fgm_api::FgmDoc::openapi());
    doc.merge(crate::protection::ending_api::EndingDoc::openapi());
    doc.merge(crate::reception::api::ReceptionDoc::openapi());
    doc.merge(crate::planning::api::PlanningDoc::openapi());
    doc.merge(crate::research::api::ResearchDoc::openapi());
    utoipa::Modify::modify(&ErrorResponses, &mut doc);
    Json(doc).into_response()
}

// ---- documents and originals ---------------------------------------------------------------------------------------

/// The largest upload request (several files at the size limit).
const UPLOAD_BODY_LIMIT: usize = 20 * 64 * 1024 * 1024;

/// File scanned documents: `multipart/form-data` with, for each row `i`, `file_i` and its index
/// `kind_i` (application_form, photograph, residence_document, account_of_reasons,
/// identity_document, civil_status, medical_certificate, evidence, correspondence, other),
/// `language_i` (ISO 639), `received_on_i` (YYYY-MM-DD, default today), `description_i`. Each
/// file is checked by its content (PDF, JPEG, PNG, TIFF; size, pages and image limits); one bad
/// file refuses them all, with the row's field in `errors`.
#[utoipa::path(post, path = "/api/v1/cases/{number}/documents", params(("number" = String, Path)), responses(
    (status = 201, description = "the documents filed, with their number, SHA-256, type, pages"),
    (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn upload_documents(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    let mut typed = std::collections::HashMap::new();
    let docs = crate::documents::upload(&state, &agent, &number, token, multipart, &mut typed).await?;
    Ok((StatusCode::CREATED, Json(docs)).into_response())
}

/// File the interview's recording (whoever held the interview, once held): `multipart/form-data`
/// with the file in `recording` (WAV, MP3, Ogg, M4A, judged by content). It is heard, through
/// `GET …/documents/{id}`, only after a rejection or a grant of subsidiary protection.
#[utoipa::path(post, path = "/api/v1/cases/{number}/recordings", params(("number" = String, Path)),
    responses((status = 201, description = "the recording filed"), (status = 403, body = crate::error::Problem),
    (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn upload_recording(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    multipart: axum::extract::Multipart,
) -> Result<Response, WebError> {
    let token = headers.get("x-csrf-token").and_then(|v| v.to_str().ok());
    let doc = crate::documents::upload_recording(&state, &agent, &number, token, multipart).await?;
    Ok((StatusCode::CREATED, Json(doc)).into_response())
}

/// A document's content (the read is journaled). A PDF with active content (its `active_content`
/// in the case) comes as a copy without it, unless `original=1` asks for the bytes as received.
#[utoipa::path(get, path = "/api/v1/cases/{number}/documents/{id}", params(("number" = String, Path), ("id" = u32, Path),
    ("original" = Option<String>, Query, description = "1: the bytes as received, even with active content")), responses(
    (status = 200, description = "the bytes, with their media type"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn get_document(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath((number, id)): ApiPath<(String, u32)>,
    ApiQuery(q): ApiQuery<crate::documents::DownloadQuery>,
) -> Result<Response, WebError> {
    documents::download(&state, &agent, &number, id, q.served())
        .await
        .map(crate::documents::send)
        .map_err(WebError::from)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LetterBody {
    /// receipt | missing_items | convocation
    pub letter: String,
}

/// A new one-time activation code for the applicant's secure space (the old password and second
/// factor stop working); hand it over in person.
#[derive(Debug, Serialize, ToSchema)]
pub struct PortalAccess {
    pub activation_code: String,
}

/// Reset the applicant's access to their secure space (secretaries, the assigned officer).
#[utoipa::path(post, path = "/api/v1/cases/{number}/portal-access", params(("number" = String, Path)), responses(
    (status = 200, body = PortalAccess), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn portal_access(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
) -> Result<Json<PortalAccess>, WebError> {
    csrf(&agent, &headers)?;
    let activation_code = access::reset_access(&state, &agent, &number).await?;
    Ok(Json(PortalAccess { activation_code }))
}

/// Print one of the office's letters again and file it (PDF/A); a receipt printed again never carries
/// the activation code.
#[utoipa::path(post, path = "/api/v1/cases/{number}/letters", params(("number" = String, Path)), request_body = LetterBody, responses(
    (status = 200, body = Done), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn issue_letter(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<LetterBody>,
) -> Result<Json<Done>, WebError> {
    csrf(&agent, &headers)?;
    let kind = letters::LetterKind::parse(&b.letter)
        .ok_or_else(|| WebError::field("letter", "receipt, missing_items or convocation"))?;
    let case = letters::issue_on_request(&state, &agent, &number, kind).await?;
    Ok(Json(Done { number: case.number.to_string(), status: case.status.as_str().to_owned() }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OriginalBody {
    pub kind: String,
    pub description: String,
    /// YYYY-MM-DD; today when absent.
    #[serde(default)]
    pub received_on: String,
    pub store: String,
    pub shelf: String,
    #[serde(rename = "box")]
    pub r#box: String,
}

/// Record an original handed over, and where it is shelved.
#[utoipa::path(post, path = "/api/v1/cases/{number}/originals", params(("number" = String, Path)), request_body = OriginalBody, responses(
    (status = 201, description = "the original with its identifier"), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn receive_original(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(number): ApiPath<String>,
    ApiJson(b): ApiJson<OriginalBody>,
) -> Result<Response, WebError> {
    csrf(&agent, &headers)?;
    let form = documents::OriginalForm {
        kind: b.kind,
        description: b.description,
        received_on: b.received_on,
        store: b.store,
        shelf: b.shelf,
        r#box: b.r#box,
    };
    let original = documents::receive_original(&state, &agent, &number, &form).await?;
    Ok((StatusCode::CREATED, Json(original)).into_response())
}

#[derive(Debug, Deserialize)]
struct OriginalsQuery {
    #[serde(default)]
    lent: bool,
}

/// The originals not yet returned to the applicant, lent ones first, then by location.
#[utoipa::path(get, path = "/api/v1/originals", responses((status = 200, description = "the list"), (status = 403, body = crate::error::Problem)))]
async fn list_originals(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<OriginalsQuery>,
) -> Result<Response, WebError> {
    let (lines, (lent, in_store)) = documents::originals(&state, &agent, q.lent).await?;
    Ok(Json(serde_json::json!({ "lent": lent, "in_store": in_store, "originals": lines })).into_response())
}

/// An original and its history (by the identifier on its label).
#[utoipa::path(get, path = "/api/v1/originals/{id}", params(("id" = String, Path)), responses((status = 200, description = "the original and its history"), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
async fn get_original(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, WebError> {
    let v = documents::read_original(&state, &agent, &id).await?;
    let history: Vec<serde_json::Value> = v
        .history
        .iter()
        .map(|(e, what)| serde_json::json!({ "at": e.recorded_at, "by": e.actor, "event": what, "detail": e.payload }))
        .collect();
    Ok(Json(serde_json::json!({ "case": v.case_number, "original": v.original, "history": history })).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CustodyBody {
    /// move | lend | take_back | return
    pub change: String,
    #[serde(default)]
    pub store: String,
    #[serde(default)]
    pub shelf: String,
    #[serde(default, rename = "box")]
    pub r#box: String,
    /// For a loan: the agent's login.
    #[serde(default)]
    pub to: String,
    /// For a return: the date (today when absent) and who signed for it.
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub signed_by: String,
}

/// Move, lend, take back or return an original.
#[utoipa::path(post, path = "/api/v1/originals/{id}/custody", params(("id" = String, Path)), request_body = CustodyBody, responses(
    (status = 200, description = "the original"), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn custody(
    State(state): State<AppState>,
    agent: Agent,
    headers: HeaderMap,
    ApiPath(id): ApiPath<String>,
    ApiJson(b): ApiJson<CustodyBody>,
) -> Result<Response, WebError> {
    csrf(&agent, &headers)?;
    let form = documents::CustodyForm {
        change: b.change,
        store: b.store,
        shelf: b.shelf,
        r#box: b.r#box,
        to: b.to,
        on: b.on,
        signed_by: b.signed_by,
    };
    let original = documents::change_custody(&state, &agent, &id, &form).await?;
    Ok(Json(original).into_response())
}
