//! The applicants' secure space (Espace usager), under `/portal`: activation with the one-time code
//! printed on the registration receipt, sign-in (argon2id, optional TOTP second factor), where the
//! case stands in plain words, the documents the office made available (the first opening is an
//! event: it notifies a decision), and messages with documents to the office.
//!
//! Isolation by construction: an applicant's session names one case, and every page and download
//! is looked up inside that case only. Documents are addressed by a random 26-character reference
//! (never the agents' numbering), so a link names nothing outside its owner's file. Applicants'
//! sessions use their own cookie, scoped to `/portal`, and never carry an agent's rights.

use askama::Template;
use axum::extract::{Form, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use nansen_domain::documents::{Document, DocumentKind};
use nansen_domain::ids::CaseNumber;
use nansen_domain::lifecycle::Case;
use nansen_domain::portal::{self as rules, Milestone, MAX_MESSAGE_FILES};
use nansen_office::portal::{self as access, APPLICANT_KINDS, MIN_PASSWORD};
use nansen_office::PortalAccount;
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use tower_sessions::Session;

use crate::auth::random_token;
use crate::client::{with_device, Caller, PORTAL_DEVICE_COOKIE};
use crate::i18n::{Tr, PORTAL_LANGUAGES};
use crate::ui::{cookie, render};
use crate::{AppState, WebError};

mod notices;

const APPLICANT_KEY: &str = "applicant";
const PENDING_KEY: &str = "pending_second_factor";
const TOTP_SETUP_KEY: &str = "totp_setup";
pub const LANG_COOKIE: &str = "nansen_portal_lang";
/// The applicants' session cookie: apart from the agents' (`nansen_session`), and only sent to `/portal`.
pub const SESSION_COOKIE: &str = "nansen_portal";
/// A second step (the TOTP code) must follow the password within this many seconds.
const SECOND_STEP_SECS: i64 = 300;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(home))
        .route("/portal/sign-in", get(sign_in_page).post(sign_in_submit))
        .route("/portal/activate", get(activate_page).post(activate_submit))
        .route("/portal/verify", get(verify_page).post(verify_submit))
        .route("/portal/sign-out", post(sign_out))
        .route("/portal/language", get(set_language))
        .route("/portal/documents/{reference}", get(document))
        .route("/portal/reception-letters/{household}/{n}", get(reception_letter))
        .route("/portal/messages", post(message_submit).layer(axum::extract::DefaultBodyLimit::max(MESSAGE_BODY_LIMIT)))
        .route("/portal/security", get(security_page).post(security_submit))
        .route("/portal/notices", get(notices::page).post(notices::submit))
        .route("/portal/civil/copy", post(copy_submit))
        .route("/portal/ending/answer", post(answer_submit))
        .route("/portal/api/overview", get(overview_json))
}

/// A message with its files: at most five files of the upload limit, and the text.
const MESSAGE_BODY_LIMIT: usize = 5 * 51 * 1024 * 1024;

// ---- session ------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SessionApplicant {
    case: String,
    signed_in_at: i64,
    seen_at: i64,
    csrf: String,
}

/// Password checked, second factor awaited.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pending {
    case: String,
    at: i64,
}

/// The signed-in applicant of a request: one case, nothing else.
pub struct Applicant {
    pub applicant: nansen_office::Applicant,
    pub case: CaseNumber,
    pub csrf: String,
    pub session: Session,
}

impl Applicant {
    fn check_csrf(&self, token: Option<&str>) -> Result<(), WebError> {
        crate::auth::check_token(&self.csrf, token, "the form has expired; reload the page")
    }
}

fn parse_case(case: &str) -> Result<CaseNumber, WebError> {
    CaseNumber::parse(case).map_err(internal)
}

fn internal(e: impl std::fmt::Display) -> WebError {
    WebError::Internal(e.to_string())
}

impl FromRequestParts<AppState> for Applicant {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(|_| WebError::Unauthenticated)?;
        let Some(mut s) = session.get::<SessionApplicant>(APPLICANT_KEY).await.map_err(internal)? else {
            return Err(WebError::Unauthenticated);
        };
        let now = state.now().unix_timestamp();
        if now - s.signed_in_at > state.config().portal_absolute_lifetime.whole_seconds() {
            session.flush().await.map_err(internal)?;
            return Err(WebError::Unauthenticated);
        }
        if now - s.seen_at >= 60 {
            s.seen_at = now;
            session.insert(APPLICANT_KEY, &s).await.map_err(internal)?;
        }
        let case = CaseNumber::parse(&s.case).map_err(internal)?;
        Ok(Applicant { applicant: nansen_office::Applicant { case }, case, csrf: s.csrf, session })
    }
}

async fn start_session(state: &AppState, session: &Session, case: &str) -> Result<(), WebError> {
    session.cycle_id().await.map_err(internal)?;
    let _ = session.remove::<Pending>(PENDING_KEY).await;
    let now = state.now().unix_timestamp();
    let s = SessionApplicant { case: case.to_owned(), signed_in_at: now, seen_at: now, csrf: random_token() };
    session.insert(APPLICANT_KEY, &s).await.map_err(internal)?;
    let number = CaseNumber::parse(case).map_err(internal)?;
    Ok(access::signed_in(state, number).await?)
}

// ---- language -----------------------------------------------------------------------------------------------------

/// The language chosen in this browser (a cookie, chosen before signing in), else the browser's
/// preference among ours, else French.
fn lang_of(state: &AppState, headers: &HeaderMap) -> &'static str {
    let catalog = state.portal_i18n();
    if let Some(chosen) = cookie(headers, LANG_COOKIE).filter(|c| PORTAL_LANGUAGES.iter().any(|l| l.0 == *c)) {
        return catalog.pick(chosen);
    }
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| catalog.negotiate(v))
        .unwrap_or("fr")
}

fn lang_cookie(lang: &str, tls: bool) -> String {
    let secure = if tls { "; Secure" } else { "" };
    format!("{LANG_COOKIE}={lang}; Path=/portal; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}")
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// Switches the language (a link: works without JavaScript and before signing in); remembered in
/// this browser and, once signed in, in the account.
async fn set_language(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Result<Applicant, WebError>,
    Query(q): Query<LangQuery>,
) -> Response {
    let wanted = q.lang.unwrap_or_default();
    let Some(lang) = PORTAL_LANGUAGES.iter().map(|l| l.0).find(|c| *c == wanted) else {
        return portal_error(&state, &headers, WebError::NotFound(format!("language {wanted:?}")));
    };
    if let Ok(a) = &applicant {
        if let Err(e) = access::set_language(&state, a.case, lang).await {
            return portal_error(&state, &headers, e.into());
        }
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with("/portal") && !p.starts_with("/portal/documents") && !p.contains("//"))
        .unwrap_or_else(|| "/portal".to_owned());
    ([(header::SET_COOKIE, lang_cookie(lang, state.config().tls))], Redirect::to(&back)).into_response()
}

// ---- pages --------------------------------------------------------------------------------------------------------

/// The language menu and the page's frame.
pub struct Frame {
    pub languages: Vec<(&'static str, &'static str)>,
    pub csrf: Option<String>,
}

fn frame(csrf: Option<String>) -> Frame {
    Frame { languages: PORTAL_LANGUAGES.iter().map(|l| (l.0, l.1)).collect(), csrf }
}

/// An error in the applicant's words: by kind, then by field; never the internals.
fn localized(e: &WebError, tr: &Tr) -> String {
    // The portal's own field errors carry a message key.
    if let WebError::Field { message, .. } = e {
        let key = format!("error-{message}");
        let t = tr.t(&key);
        if t != key {
            return t;
        }
    }
    let by_code = format!("error-{}", e.code());
    let t = tr.t(&by_code);
    if t != by_code {
        return t;
    }
    if let Some(field) = e.field_name() {
        let key = format!("error-field-{}", field.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_'));
        let t = tr.t(&key);
        if t != key {
            return t;
        }
    }
    tr.t("error-generic")
}

#[derive(Template)]
#[template(path = "portal/error.html")]
struct ErrorPage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    title: String,
    message: String,
}

/// The one error path of the portal's pages: a failure that reached the response as a problem
/// (no session, a refused extractor) is shown as the portal's error page in the applicant's
/// language, or sends to the sign-in page.
pub(crate) async fn failures_as_pages(
    State(state): State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let headers = request.headers().clone();
    // The portal's JSON keeps its problems.
    let json = request.uri().path().starts_with("/portal/api/");
    let response = next.run(request).await;
    match response.extensions().get::<crate::error::Failed>() {
        Some(crate::error::Failed(e)) if !json => page_of_error(&state, &headers, e),
        _ => response,
    }
}

fn portal_error(state: &AppState, headers: &HeaderMap, e: WebError) -> Response {
    page_of_error(state, headers, &e)
}

/// The portal's error page, in the applicant's language (also for an unknown address under /portal).
pub(crate) fn page_of_error(state: &AppState, headers: &HeaderMap, e: &WebError) -> Response {
    if matches!(e, WebError::Unauthenticated) {
        return Redirect::to("/portal/sign-in").into_response();
    }
    if matches!(e, WebError::Internal(_)) {
        tracing::error!(error = %e, "portal");
    }
    let tr = state.portal_i18n().tr(lang_of(state, headers));
    let status = e.status();
    let title = tr.t(&format!("error-title-{}", status.as_u16()));
    let page = ErrorPage { frame: frame(None), title, message: localized(e, &tr), tr };
    (status, render(&page)).into_response()
}

/// What a form typed, to show again with the error next to its field.
#[derive(Default)]
pub struct Typed {
    pub case_number: String,
    pub error_field: Option<String>,
    pub error: Option<String>,
}

impl Typed {
    pub fn err(&self, field: &str) -> Option<String> {
        match &self.error_field {
            Some(f) if f == field => self.error.clone(),
            _ => None,
        }
    }

    /// An error that belongs to no field of the form.
    pub fn general(&self) -> Option<String> {
        match &self.error_field {
            None => self.error.clone(),
            Some(_) => None,
        }
    }
}

fn typed(e: &WebError, tr: &Tr, case_number: &str, fields: &[&str]) -> Typed {
    let field = e.field_name().filter(|f| fields.contains(f)).map(str::to_owned);
    Typed { case_number: case_number.to_owned(), error_field: field, error: Some(localized(e, tr)) }
}

#[derive(Template)]
#[template(path = "portal/sign_in.html")]
struct SignInPage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    form: Typed,
}

async fn sign_in_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Result<Applicant, WebError>,
) -> Response {
    if applicant.is_ok() {
        return Redirect::to("/portal").into_response();
    }
    let tr = state.portal_i18n().tr(lang_of(&state, &headers));
    render(&SignInPage { tr, frame: frame(None), form: Typed::default() })
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    password: String,
}

/// After a successful sign-in: the language chosen in this browser is saved to the account, or the
/// account's language is set in this browser.
async fn remember_language(
    state: &AppState,
    headers: &HeaderMap,
    account: &PortalAccount,
    response: Response,
) -> Result<Response, WebError> {
    let mut response = response;
    match (cookie(headers, LANG_COOKIE).filter(|c| PORTAL_LANGUAGES.iter().any(|l| l.0 == *c)), &account.lang) {
        (Some(chosen), _) => access::set_language(state, parse_case(&account.case_number)?, chosen).await?,
        (None, Some(saved)) => {
            if let Ok(v) = HeaderValue::from_str(&lang_cookie(saved, state.config().tls)) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        (None, None) => access::set_language(state, parse_case(&account.case_number)?, lang_of(state, headers)).await?,
    }
    Ok(response)
}

async fn sign_in_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    session: Session,
    Form(f): Form<SignInForm>,
) -> Response {
    let result = async {
        let account = access::authenticate(&state, caller.portal(), &f.case_number, &f.password).await?;
        if account.totp_secret.is_some() {
            let pending = Pending { case: account.case_number.clone(), at: state.now().unix_timestamp() };
            session.cycle_id().await.map_err(internal)?;
            session.insert(PENDING_KEY, &pending).await.map_err(internal)?;
            return remember_language(&state, &headers, &account, Redirect::to("/portal/verify").into_response()).await;
        }
        start_session(&state, &session, &account.case_number).await?;
        let device = access::remember_device(&state, &account.case_number, caller.portal()).await?;
        let to = with_device(
            Redirect::to("/portal").into_response(),
            PORTAL_DEVICE_COOKIE,
            &device,
            "/portal",
            state.config().tls,
        );
        remember_language(&state, &headers, &account, to).await
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) if matches!(e, WebError::Internal(_)) => portal_error(&state, &headers, e),
        Err(e) => {
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = typed(&e, &tr, &f.case_number, &[]);
            (e.status(), render(&SignInPage { tr, frame: frame(None), form })).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "portal/activate.html")]
struct ActivatePage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    form: Typed,
    min_password: usize,
}

async fn activate_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let tr = state.portal_i18n().tr(lang_of(&state, &headers));
    render(&ActivatePage { tr, frame: frame(None), form: Typed::default(), min_password: MIN_PASSWORD })
}

#[derive(Deserialize)]
struct ActivateForm {
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

async fn activate_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    session: Session,
    Form(f): Form<ActivateForm>,
) -> Response {
    let result = async {
        let account =
            access::activate(&state, caller.portal(), &f.case_number, &f.code, &f.password, &f.confirm).await?;
        start_session(&state, &session, &account.case_number).await?;
        remember_language(&state, &headers, &account, Redirect::to("/portal").into_response()).await
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) if matches!(e, WebError::Internal(_)) => portal_error(&state, &headers, e),
        Err(e) => {
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = typed(&e, &tr, &f.case_number, &["case_number", "code", "password", "confirm"]);
            (e.status(), render(&ActivatePage { tr, frame: frame(None), form, min_password: MIN_PASSWORD }))
                .into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "portal/verify.html")]
struct VerifyPage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    form: Typed,
}

async fn verify_page(State(state): State<AppState>, headers: HeaderMap, session: Session) -> Response {
    if !matches!(session.get::<Pending>(PENDING_KEY).await, Ok(Some(_))) {
        return Redirect::to("/portal/sign-in").into_response();
    }
    let tr = state.portal_i18n().tr(lang_of(&state, &headers));
    render(&VerifyPage { tr, frame: frame(None), form: Typed::default() })
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

async fn verify_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    session: Session,
    Form(f): Form<CodeForm>,
) -> Response {
    let result = async {
        let Some(pending) = session.get::<Pending>(PENDING_KEY).await.map_err(internal)? else {
            return Err(WebError::Unauthenticated);
        };
        let now = state.now().unix_timestamp();
        if now - pending.at > SECOND_STEP_SECS {
            let _ = session.remove::<Pending>(PENDING_KEY).await;
            return Err(WebError::Unauthenticated);
        }
        if let Err(e) = access::verify_second_factor(&state, caller.portal(), &pending.case, &f.code).await {
            if matches!(e, nansen_office::OfficeError::Locked(_)) {
                let _ = session.remove::<Pending>(PENDING_KEY).await;
            }
            return Err(e.into());
        }
        start_session(&state, &session, &pending.case).await?;
        let device = access::remember_device(&state, &pending.case, caller.portal()).await?;
        Ok(with_device(
            Redirect::to("/portal").into_response(),
            PORTAL_DEVICE_COOKIE,
            &device,
            "/portal",
            state.config().tls,
        ))
    }
    .await;
    match result {
        Ok(r) => r,
        Err(e) if matches!(e, WebError::Unauthenticated | WebError::Internal(_)) => portal_error(&state, &headers, e),
        Err(e) => {
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = typed(&e, &tr, "", &["code"]);
            (e.status(), render(&VerifyPage { tr, frame: frame(None), form })).into_response()
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    a: Applicant,
    Form(f): Form<CsrfForm>,
) -> Response {
    let result = async {
        a.check_csrf(Some(&f.csrf))?;
        a.session.flush().await.map_err(internal)?;
        Ok(access::signed_out(&state, &a.applicant).await?)
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/portal/sign-in").into_response(),
        Err(e) => portal_error(&state, &headers, e),
    }
}

// ---- the applicant's case -----------------------------------------------------------------------------------------

async fn own_case(state: &AppState, applicant: &Applicant) -> Result<Case, WebError> {
    Ok(access::own_case(state, &applicant.applicant).await?)
}

/// A document line of the applicant's page.
pub struct DocumentLine {
    pub title: String,
    pub href: String,
    pub made_available: String,
    pub opened: Option<String>,
    pub media: &'static str,
}

/// A message line, with the names of the files sent with it.
pub struct MessageLine {
    pub at: String,
    pub text: String,
    pub files: Vec<String>,
}

/// A date in the applicant's language: "3 mars 2026", "3 March 2026", "٣ مارس ٢٠٢٦"…
pub fn long_date(tr: &Tr, d: Date) -> String {
    let day = d.day().to_string();
    let month = tr.t(&format!("month-{}", u8::from(d.month())));
    let year = d.year().to_string();
    tr.ta("date-long", &[("day", &day), ("month", &month), ("year", &year)])
}

fn kind_title(tr: &Tr, kind: DocumentKind) -> String {
    tr.t(&format!("doc-kind-{}", kind.as_str().replace('_', "-")))
}

#[derive(Template)]
#[template(path = "portal/home.html")]
struct HomePage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    case_number: String,
    step: &'static str,
    next: Vec<(String, String)>,
    documents: Vec<DocumentLine>,
    /// The reception agency's letters to the applicant's household (a separate sender).
    reception_letters: Vec<DocumentLine>,
    messages: Vec<MessageLine>,
    kinds: Vec<(&'static str, String)>,
    form: Typed,
    text: String,
    sent: bool,
    second_factor: bool,
    max_files: usize,
    /// The civil-status acts the office drew up for the persons of the file.
    acts: Vec<ActLine>,
    /// A copy was just requested and put in the documents.
    copied: bool,
    /// Copies may be asked for (not once the protection ended).
    may_copy: bool,
    /// The procedure about the person's protection, if one was opened.
    ending: Option<EndingCard>,
    /// The answer was just sent.
    answered: bool,
    /// The answer typed, shown again with its error.
    answer_text: String,
}

/// The latest procedure about the protection, in plain words: where it stands, its ground, the
/// day to answer by, the decision's day.
struct EndingCard {
    /// awaiting (the person may answer), heard (answered or too late), ended, maintained.
    stage: &'static str,
    ground: String,
    answer_due: String,
    decided_on: Option<String>,
}

fn ending_card(tr: &Tr, case: &Case, today: Date) -> Option<EndingCard> {
    let e = case.endings.last()?;
    let stage = match &e.decision {
        Some(d) if d.ends => "ended",
        Some(_) => "maintained",
        None if e.answer.is_none() && e.draft.is_none() && today <= e.answer_due => "awaiting",
        None => "heard",
    };
    Some(EndingCard {
        stage,
        ground: tr.t(&format!("ending-ground-{}", e.ground.as_str())),
        answer_due: long_date(tr, e.answer_due),
        decided_on: e.decision.as_ref().map(|d| long_date(tr, d.signed_at.date())),
    })
}

/// A civil-status act as the protected person sees it: its kind, number and whom it is about.
struct ActLine {
    number: String,
    title: String,
    name: String,
}

#[derive(Deserialize)]
struct HomeQuery {
    sent: Option<String>,
    copied: Option<String>,
    answered: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Applicant,
    Query(q): Query<HomeQuery>,
) -> Response {
    let notices = (q.sent.is_some(), q.copied.is_some(), q.answered.is_some());
    match home_page(&state, &headers, &applicant, Typed::default(), (String::new(), String::new()), notices).await {
        Ok(r) => r,
        Err(e) => portal_error(&state, &headers, e),
    }
}

/// The applicant's home; `(text, answer_text)`: what the message and answer forms held;
/// `(sent, copied, answered)`: a message was just sent, a copy requested, an answer sent.
async fn home_page(
    state: &AppState,
    headers: &HeaderMap,
    applicant: &Applicant,
    form: Typed,
    (text, answer_text): (String, String),
    (sent, copied, answered): (bool, bool, bool),
) -> Result<Response, WebError> {
    let case = own_case(state, applicant).await?;
    let account = access::account(state, applicant.case).await?;
    let tr = state.portal_i18n().tr(lang_of(state, headers));
    let progress = rules::progress(&case, state.rules(), state.today());
    let next = progress
        .next
        .iter()
        .map(|m| {
            (
                tr.ta(&format!("milestone-{}", m.as_str().replace('_', "-")), &[("date", &long_date(&tr, m.date()))]),
                m.as_str().to_owned(),
            )
        })
        .collect();
    let documents = shared_documents(&case)
        .map(|(d, s)| DocumentLine {
            title: kind_title(&tr, d.document.kind),
            href: format!("/portal/documents/{}", s.reference),
            made_available: long_date(&tr, s.made_available_at.date()),
            opened: s.first_opened_at.map(|t| long_date(&tr, t.date())),
            media: if d.document.media_type == "application/pdf" { "PDF" } else { "image" },
        })
        .collect();
    let reception_letters = nansen_office::reception::letters::of_case(state, &case.number.to_string())
        .await?
        .into_iter()
        .map(|l| DocumentLine {
            title: tr.t(&format!("reception-letter-{}", l.letter.kind.as_str().replace('_', "-"))),
            href: format!("/portal/reception-letters/{}/{}", l.household, l.n + 1),
            made_available: long_date(&tr, l.letter.issued_on),
            opened: None,
            media: "PDF",
        })
        .collect();
    let messages = case
        .messages
        .iter()
        .rev()
        .map(|m| MessageLine {
            at: long_date(&tr, m.at.date()),
            text: m.text.clone(),
            files: m
                .documents
                .iter()
                .filter_map(|id| case.documents.iter().find(|d| d.id == *id))
                .map(|d| format!("{} ({})", d.document.shown_file_name(), kind_title(&tr, d.document.kind)))
                .collect(),
        })
        .collect();
    let kinds = APPLICANT_KINDS.iter().map(|k| (k.as_str(), kind_title(&tr, *k))).collect();
    let status = if form.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = HomePage {
        frame: frame(Some(applicant.csrf.clone())),
        case_number: case.number.to_string(),
        step: progress.step.as_str(),
        next,
        documents,
        reception_letters,
        messages,
        kinds,
        form,
        text,
        sent,
        second_factor: account.is_some_and(|a| a.totp_secret.is_some()),
        max_files: MAX_MESSAGE_FILES,
        acts: case
            .civil_acts
            .iter()
            .map(|a| ActLine {
                number: a.number.to_string(),
                title: tr.t(&format!("civil-act-{}", a.kind.as_str())),
                name: format!("{} {}", a.facts.family_name.latin, a.facts.given_names.latin),
            })
            .collect(),
        copied,
        may_copy: case.protection_final(),
        ending: ending_card(&tr, &case, state.today()),
        answered,
        answer_text,
        tr,
    };
    Ok((status, render(&page)).into_response())
}

#[derive(Deserialize)]
struct CopyForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    act: String,
}

/// The protected person asks for a certified copy of one of their acts: it is issued at once
/// and joins their documents.
async fn copy_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    a: Applicant,
    Form(f): Form<CopyForm>,
) -> Response {
    let result = async {
        a.check_csrf(Some(&f.csrf))?;
        Ok::<_, WebError>(nansen_office::protection::civil::request_copy(&state, &a.applicant, &f.act).await?)
    }
    .await;
    match result {
        Ok(()) => Redirect::to("/portal?copied=1#documents-title").into_response(),
        Err(e) => portal_error(&state, &headers, e),
    }
}

#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
}

/// The protected person answers the office's letter about their protection (the right to be
/// heard): recorded at once, journaled under them; a refusal is shown next to the field.
async fn answer_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    a: Applicant,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Err(e) = a.check_csrf(Some(&f.csrf)) {
        return portal_error(&state, &headers, e);
    }
    match nansen_office::protection::ending::answer_from_portal(&state, &a.applicant, &f.text).await {
        Ok(()) => Redirect::to("/portal?answered=1#ending").into_response(),
        Err(e) => {
            let e = WebError::from(e);
            if !matches!(e, WebError::Domain(_) | WebError::Field { .. }) {
                return portal_error(&state, &headers, e);
            }
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            // An empty or too long answer is said in the answer's own words, not the message form's.
            let message = if e.field_name() == Some("text") { tr.t("ending-answer-error") } else { localized(&e, &tr) };
            let form = Typed { case_number: String::new(), error: Some(message), error_field: Some("answer".into()) };
            home_page(&state, &headers, &a, form, (String::new(), f.text), (false, false, false))
                .await
                .unwrap_or_else(|e| portal_error(&state, &headers, e))
        }
    }
}

/// The documents of the file that are in the applicant's space, newest first.
fn shared_documents(case: &Case) -> impl Iterator<Item = (&Document, &nansen_domain::portal::Shared)> {
    case.documents.iter().rev().filter_map(|d| d.shared.as_ref().map(|s| (d, s)))
}

/// One of the applicant's documents, by its reference. The first opening is recorded (and, for a
/// decision, notifies it); every opening is journaled. A reference of another file is simply not
/// found: the lookup never leaves the applicant's own case.
async fn document(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Applicant,
    Path(reference): Path<String>,
) -> Response {
    let result = async {
        let bytes = access::open_document(&state, &applicant.applicant, &reference).await?;
        Ok::<_, WebError>(crate::documents::send(bytes))
    }
    .await;
    result.unwrap_or_else(|e| portal_error(&state, &headers, e))
}

/// A letter of the reception agency to the applicant's household (`n` from 1).
async fn reception_letter(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Applicant,
    Path((household, n)): Path<(String, usize)>,
) -> Response {
    let result = async {
        let index = n.checked_sub(1).ok_or_else(|| WebError::NotFound("letter".into()))?;
        let bytes =
            nansen_office::reception::letters::open_for_applicant(&state, &applicant.applicant, &household, index)
                .await?;
        Ok::<_, WebError>(crate::documents::send_letter(bytes))
    }
    .await;
    result.unwrap_or_else(|e| portal_error(&state, &headers, e))
}

/// A message, with files, to the office: it joins the case file (journaled under the applicant)
/// and shows in the officer's view of the case.
async fn message_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    applicant: Applicant,
    multipart: Multipart,
) -> Response {
    let mut text = String::new();
    match receive_message(&state, &applicant, multipart, &mut text).await {
        Ok(()) => Redirect::to("/portal?sent=1#messages").into_response(),
        Err(e) if matches!(e, WebError::Internal(_) | WebError::BadRequest(_)) => portal_error(&state, &headers, e),
        Err(e) => {
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = Typed {
                case_number: String::new(),
                error: Some(localized(&e, &tr)),
                error_field: message_field(e.field_name()).map(str::to_owned),
            };
            home_page(&state, &headers, &applicant, form, (text, String::new()), (false, false, false))
                .await
                .unwrap_or_else(|e| portal_error(&state, &headers, e))
        }
    }
}

/// The field of the message form a refusal is shown next to: the text, the files (any row), or
/// none (the refusal is then shown above the form), so that no refusal goes unseen.
fn message_field(field: Option<&str>) -> Option<&'static str> {
    match field {
        Some("text") => Some("text"),
        Some(f) if f.starts_with("file") || f.starts_with("kind") => Some("file"),
        _ => None,
    }
}

async fn receive_message(
    state: &AppState,
    applicant: &Applicant,
    mut multipart: Multipart,
    text: &mut String,
) -> Result<(), WebError> {
    let mut csrf_ok = false;
    let mut kinds: Vec<Option<DocumentKind>> = vec![None; MAX_MESSAGE_FILES];
    let mut files = Vec::new();
    while let Some(mut field) =
        multipart.next_field().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            let token = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            applicant.check_csrf(Some(&token))?;
            csrf_ok = true;
            continue;
        }
        if !csrf_ok {
            return Err(WebError::BadRequest("the form has expired; reload the page".into()));
        }
        match name.as_str() {
            "text" => {
                *text = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            }
            _ => {
                let Some((base, i)) =
                    name.rsplit_once('_').and_then(|(b, i)| Some((b.to_owned(), i.parse::<usize>().ok()?)))
                else {
                    continue;
                };
                if i >= MAX_MESSAGE_FILES {
                    return Err(WebError::field("file", "too_many_files"));
                }
                if base == "kind" {
                    let k = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
                    kinds[i] = APPLICANT_KINDS.iter().copied().find(|x| x.as_str() == k);
                } else if base == "file" {
                    if let Some((staged, file_name)) = crate::documents::stage(state, &mut field, &name).await? {
                        files.push((i, staged, file_name));
                    }
                }
            }
        }
    }
    if !csrf_ok {
        return Err(WebError::BadRequest("the form has expired; reload the page".into()));
    }
    let files = files.into_iter().map(|(i, staged, name)| (kinds.get(i).copied().flatten(), staged, name)).collect();
    Ok(access::send_message(state, &applicant.applicant, text, files).await?)
}

// ---- second factor ------------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "portal/security.html")]
struct SecurityPage<'a> {
    tr: Tr<'a>,
    frame: Frame,
    enabled: bool,
    /// While turning it on: the secret to type, and its QR code.
    setup: Option<(String, String)>,
    form: Typed,
    done: Option<&'static str>,
}

async fn security_page(State(state): State<AppState>, headers: HeaderMap, a: Applicant) -> Response {
    let result = async { security_view(&state, &headers, &a, Typed::default(), None).await }.await;
    result.unwrap_or_else(|e| portal_error(&state, &headers, e))
}

async fn security_view(
    state: &AppState,
    headers: &HeaderMap,
    a: &Applicant,
    form: Typed,
    done: Option<&'static str>,
) -> Result<Response, WebError> {
    let account = access::account(state, a.case).await?.ok_or(WebError::Unauthenticated)?;
    let setup = match a.session.get::<String>(TOTP_SETUP_KEY).await.map_err(internal)? {
        Some(secret) if account.totp_secret.is_none() => {
            Some((grouped(&secret), crate::documents::qr_svg(&access::totp_url(&secret, a.case)?)))
        }
        _ => None,
    };
    let tr = state.portal_i18n().tr(lang_of(state, headers));
    let status = if form.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SecurityPage {
        frame: frame(Some(a.csrf.clone())),
        enabled: account.totp_secret.is_some(),
        setup,
        form,
        done,
        tr,
    };
    Ok((status, render(&page)).into_response())
}

fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

#[derive(Deserialize)]
struct SecurityForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    step: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    password: String,
}

async fn security_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    a: Applicant,
    Form(f): Form<SecurityForm>,
) -> Response {
    let result: Result<Option<&'static str>, WebError> = async {
        a.check_csrf(Some(&f.csrf))?;
        match f.step.as_str() {
            "start" => {
                let encoded = access::new_totp_secret();
                a.session.insert(TOTP_SETUP_KEY, &encoded).await.map_err(internal)?;
                Ok(None)
            }
            "confirm" => {
                let Some(secret) = a.session.get::<String>(TOTP_SETUP_KEY).await.map_err(internal)? else {
                    return Ok(None);
                };
                access::second_factor_on(&state, &a.applicant, &secret, &f.code).await?;
                let _ = a.session.remove::<String>(TOTP_SETUP_KEY).await;
                Ok(Some("totp-on"))
            }
            "off" => {
                // Turning protection off asks for the password again.
                access::second_factor_off(&state, &a.applicant, caller.portal(), &f.password).await?;
                Ok(Some("totp-off"))
            }
            _ => Err(WebError::BadRequest("unknown step".into())),
        }
    }
    .await;
    let view = match result {
        Ok(done) => security_view(&state, &headers, &a, Typed::default(), done).await,
        Err(e) if matches!(e, WebError::Internal(_) | WebError::BadRequest(_)) => Err(e),
        Err(e) => {
            let tr = state.portal_i18n().tr(lang_of(&state, &headers));
            let form = typed(&e, &tr, "", &["code", "password"]);
            security_view(&state, &headers, &a, form, None).await
        }
    };
    view.unwrap_or_else(|e| portal_error(&state, &headers, e))
}

// ---- JSON ---------------------------------------------------------------------------------------------------------

/// The applicant's case as data (for a phone application): step, dates ahead, documents by
/// reference, messages.
#[derive(Serialize)]
struct Overview {
    case_number: String,
    step: &'static str,
    next: Vec<Milestone>,
    documents: Vec<OverviewDocument>,
    messages: Vec<nansen_domain::portal::Message>,
}

#[derive(Serialize)]
struct OverviewDocument {
    reference: String,
    kind: &'static str,
    media_type: String,
    size: u64,
    #[serde(with = "time::serde::rfc3339")]
    made_available_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    first_opened_at: Option<OffsetDateTime>,
    href: String,
}

async fn overview_json(
    State(state): State<AppState>,
    applicant: Result<Applicant, WebError>,
) -> Result<Json<Overview>, WebError> {
    let applicant = applicant?;
    let case = own_case(&state, &applicant).await?;
    let progress = rules::progress(&case, state.rules(), state.today());
    Ok(Json(Overview {
        case_number: case.number.to_string(),
        step: progress.step.as_str(),
        next: progress.next,
        documents: shared_documents(&case)
            .map(|(d, s)| OverviewDocument {
                reference: s.reference.clone(),
                kind: d.document.kind.as_str(),
                media_type: d.document.media_type.clone(),
                size: d.document.size,
                made_available_at: s.made_available_at,
                first_opened_at: s.first_opened_at,
                href: format!("/portal/documents/{}", s.reference),
            })
            .collect(),
        messages: case.messages.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::message_field;

    #[test]
    fn every_refusal_of_a_message_has_a_place_on_the_page() {
        assert_eq!(message_field(Some("text")), Some("text"));
        assert_eq!(message_field(Some("file_3")), Some("file"));
        assert_eq!(message_field(Some("file")), Some("file"));
        assert_eq!(message_field(Some("kind_0")), Some("file"));
        // A field the form does not have (a date, a hash, a status): above the form, not lost.
        assert_eq!(message_field(Some("received_on")), None);
        assert_eq!(message_field(None), None);
    }
}
