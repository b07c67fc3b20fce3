//! The agents' workbench: server-rendered pages that work without JavaScript. Every form posts
//! back with its CSRF token; an error shows the page again with what was typed and the message
//! next to the field, in the agent's language.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Form, Path, Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::deadlines::Deadline;
use nansen_domain::lifecycle::Case;
use nansen_office::Role;
use nansen_office::{AccountSummary, CaseSummary, Entry, QueueCounts};
use serde::Deserialize;
use tower_sessions::Session;

use crate::auth::{self, Agent, SignedForm};
use crate::client::{with_device, Caller, AGENT_DEVICE_COOKIE};
use crate::deadlines::{self, Urgency};
use crate::error::Failed;
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::{AppState, WebError};
use nansen_office::accounts::StepUp;
use nansen_office::cases::{self, CaseOp, Listing};
use nansen_office::{accounts, documents, letters, portal as access};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login_submit))
        .route("/logout", post(logout))
        .route("/lang", get(set_lang))
        .route("/cases", get(cases_page))
        .route("/search", get(search_page))
        .route("/cases/new", get(register_page).post(register_submit))
        .route("/cases/{number}", get(case_page))
        .route("/cases/{number}/{action}", post(case_action))
        .route(
            "/cases/{number}/documents",
            post(upload_submit).layer(axum::extract::DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/cases/{number}/documents/{id}", get(document_download))
        .route(
            "/cases/{number}/recording",
            post(recording_submit).layer(axum::extract::DefaultBodyLimit::max(RECORDING_BODY_LIMIT)),
        )
        .route("/cases/{number}/letters", post(letter_submit))
        .route("/cases/{number}/portal-access", post(portal_access_submit))
        .route("/cases/{number}/originals", post(original_submit))
        .route("/originals", get(originals_page))
        .route("/originals/{id}", get(original_page))
        .route("/originals/{id}/label.pdf", get(original_label))
        .route("/originals/{id}/custody", post(custody_submit))
}

const LANG_COOKIE: &str = "nansen_lang";

/// The language chosen with the switch (a cookie, so that it holds before signing in too).
pub(crate) fn lang_of(state: &AppState, headers: &HeaderMap) -> &'static str {
    state.i18n().pick(cookie(headers, LANG_COOKIE).unwrap_or("fr"))
}

pub(crate) use crate::client::cookie;

/// The header's menu, by role.
pub struct Nav {
    pub display_name: String,
    pub role_key: String,
    pub csrf: String,
    pub queues: bool,
    pub division: bool,
    pub search: bool,
    pub register: bool,
    pub originals: bool,
    pub statistics: bool,
    pub appeals: bool,
    /// The civil-status register (civil registrars).
    pub civil: bool,
    /// The daily list of FGM follow-ups (civil registrars, the director).
    pub fgm: bool,
    /// The procedures to end a protection (officers, section heads, the director).
    pub endings: bool,
    /// The reception agency's agents: its name in the header, its own menu.
    pub agency: bool,
    /// The region's households (the single window, the regional director, the doctor).
    pub households: bool,
    /// The monthly allowance (regional directors).
    pub allowance: bool,
    /// The weekly regional orientation (regional directors).
    pub orientation: bool,
    /// The interview planning: the register and the division's week (planners, section heads,
    /// officers, division heads).
    pub planning: bool,
    /// An interpreter's own schedule.
    pub schedule: bool,
    /// The country-of-origin library (who examines, reviews, researches or defends decisions).
    pub library: bool,
    /// The research division's queue of requests (research assistants).
    pub research: bool,
}

pub(crate) fn nav(agent: &Agent) -> Nav {
    let role = agent.role();
    Nav {
        display_name: agent.display_name.clone(),
        role_key: format!("role-{}", role.as_str()),
        csrf: agent.csrf.clone(),
        queues: role == Role::ProtectionOfficer,
        division: role == Role::SectionHead,
        search: matches!(
            role,
            Role::ProtectionOfficer | Role::SectionHead | Role::DigitizationSecretary | Role::LegalConsultant
        ),
        register: role == Role::DigitizationSecretary,
        originals: matches!(role, Role::DigitizationSecretary | Role::Archivist),
        statistics: matches!(
            role,
            Role::Director | Role::DivisionHead | Role::SectionHead | Role::HarmonisationOfficer | Role::Auditor
        ),
        appeals: matches!(role, Role::LegalConsultant | Role::Director),
        civil: role == Role::CivilRegistrar,
        fgm: matches!(role, Role::CivilRegistrar | Role::Director),
        endings: matches!(role, Role::ProtectionOfficer | Role::SectionHead | Role::Director),
        agency: matches!(
            role,
            Role::ReceptionAgent | Role::RegionalDirector | Role::AgencyDoctor | Role::AccommodationOperator
        ),
        households: matches!(role, Role::ReceptionAgent | Role::RegionalDirector | Role::AgencyDoctor),
        allowance: role == Role::RegionalDirector,
        orientation: role == Role::RegionalDirector,
        planning: matches!(role, Role::Planner | Role::SectionHead | Role::ProtectionOfficer | Role::DivisionHead),
        schedule: role == Role::Interpreter,
        library: matches!(
            role,
            Role::ProtectionOfficer
                | Role::SectionHead
                | Role::DivisionHead
                | Role::Director
                | Role::HarmonisationOfficer
                | Role::ResearchAssistant
                | Role::LegalConsultant
        ),
        research: role == Role::ResearchAssistant,
    }
}

/// A form as submitted, and its error, to show again.
#[derive(Default)]
pub struct FormState {
    /// Which form was submitted ("" when none).
    pub form: String,
    pub values: HashMap<String, String>,
    pub field: Option<String>,
    pub message: Option<String>,
}

impl FormState {
    /// A form refused for `e`: what was typed, the field at fault, and the reason in the
    /// agent's language.
    pub fn refused(form: impl Into<String>, values: HashMap<String, String>, e: &WebError, tr: &Tr) -> FormState {
        FormState {
            form: form.into(),
            values,
            field: e.field_name().map(str::to_owned),
            message: Some(localized(e, tr)),
        }
    }
}

impl FormState {
    pub fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }

    pub fn is_form(&self) -> bool {
        !self.form.is_empty()
    }

    /// The error of a field of form `form`, when that form was the one submitted (pages with a
    /// form per step).
    pub fn err_in(&self, form: &str, field: &str) -> Option<String> {
        if self.form == form {
            self.err(field)
        } else {
            None
        }
    }

    /// What was typed in a field of form `form`, when that form was the one submitted.
    pub fn v_in(&self, form: &str, field: &str) -> String {
        if self.form == form {
            self.v(field)
        } else {
            String::new()
        }
    }

    pub fn err(&self, name: &str) -> Option<String> {
        if self.field.as_deref() == Some(name) {
            self.message.clone()
        } else {
            None
        }
    }

    pub fn err_row(&self, part: &str, i: &usize) -> Option<String> {
        self.err(&format!("{part}_q{i}")).or_else(|| self.err(&format!("{part}_a{i}")))
    }

    /// An error about no field in particular.
    pub fn general(&self) -> Option<String> {
        if self.field.is_none() {
            self.message.clone()
        } else {
            None
        }
    }

    fn failed(form: &str, data: &FormData, error: &WebError, tr: &Tr) -> FormState {
        let field = error.field_name().map(str::to_owned);
        let message = Some(localized(error, tr));
        FormState { form: form.to_owned(), values: data.values(), field, message }
    }
}

/// The error in the agent's language: a message per field and per kind of error, the
/// domain's own words only where there is no translation.
pub(crate) fn localized(error: &WebError, tr: &Tr) -> String {
    // A message for the kind of error first (a wrong password, a refusal…), then one for the
    // field at fault, then the domain's own words.
    let code_key = format!("error-{}", error.code());
    let by_code = tr.t(&code_key);
    if error.code() != "validation" && by_code != code_key {
        return match error.code() {
            // The detail is a date or a fact, not a sentence to translate.
            "not_yet" | "locked" => format!("{by_code} {}", error.public_message()),
            _ => by_code,
        };
    }
    if let Some(field) = error.field_name() {
        // A row of a repeated form (`kind_2`) has its own message; `cs_q0` keeps its part's.
        let base = field.trim_end_matches(|c: char| c.is_ascii_digit());
        let key = match base.strip_suffix('_') {
            Some(row) if base.len() < field.len() => format!("error-field-row-{row}"),
            _ => format!("error-field-{base}"),
        };
        let by_field = tr.t(&key);
        if by_field != key {
            return by_field;
        }
    }
    error.public_message()
}

pub(crate) fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    title: String,
    message: String,
}

/// The one error path of the workbench's pages: any failure that reached the response as a
/// problem (an extractor's refusal: no session, a bad CSRF token…) is shown as the error page
/// in the agent's language, or sends to the sign-in page.
pub(crate) async fn failures_as_pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let headers = request.headers().clone();
    let response = next.run(request).await;
    match response.extensions().get::<Failed>() {
        Some(Failed(e)) => error_page(&state, &headers, None, e),
        None => response,
    }
}

/// An error as a page; no session sends to the sign-in page.
pub(crate) fn error_page(state: &AppState, headers: &HeaderMap, agent: Option<&Agent>, e: &WebError) -> Response {
    if matches!(e, WebError::Unauthenticated) {
        return Redirect::to("/login").into_response();
    }
    let tr = state.i18n().tr(lang_of(state, headers));
    let status = e.status();
    let title = tr.t(&format!("error-title-{}", status.as_u16()));
    let page = ErrorPage { title, message: localized(e, &tr), nav: agent.map(nav), tr };
    (status, render(&page)).into_response()
}

async fn home(agent: Result<Agent, WebError>) -> Response {
    match agent {
        Err(_) => Redirect::to("/login").into_response(),
        Ok(a) => match a.role() {
            Role::ProtectionOfficer => Redirect::to("/cases?view=mine").into_response(),
            Role::SectionHead => Redirect::to("/cases?view=division").into_response(),
            Role::DigitizationSecretary => Redirect::to("/cases/new").into_response(),
            Role::Archivist => Redirect::to("/originals").into_response(),
            Role::LegalConsultant => Redirect::to("/appeals").into_response(),
            Role::CivilRegistrar => Redirect::to("/civil").into_response(),
            Role::Director | Role::DivisionHead | Role::HarmonisationOfficer => {
                Redirect::to("/statistics").into_response()
            }
            Role::ReceptionAgent | Role::RegionalDirector | Role::AgencyDoctor => {
                Redirect::to("/reception").into_response()
            }
            Role::AccommodationOperator => Redirect::to("/reception/network").into_response(),
            Role::Planner => Redirect::to("/planning").into_response(),
            Role::Interpreter => Redirect::to("/planning/schedule").into_response(),
            Role::ResearchAssistant => Redirect::to("/library").into_response(),
            _ => Redirect::to("/search").into_response(),
        },
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    login: String,
    error: Option<String>,
    /// Agents may sign in through the state's identity provider.
    provider: bool,
    /// Agents may sign in with a Nansen password.
    passwords: bool,
}

impl<'a> LoginPage<'a> {
    fn new(state: &AppState, tr: Tr<'a>, login: String, error: Option<String>) -> Self {
        let provider = state.oidc().is_some();
        let passwords = state.office().config().local_passwords;
        LoginPage { tr, nav: None, login, error, provider, passwords }
    }
}

async fn login_page(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    render(&LoginPage::new(&state, tr, String::new(), None))
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
}

async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    session: Session,
    Form(f): Form<LoginForm>,
) -> Response {
    let lang = lang_of(&state, &headers);
    match accounts::sign_in(&state, &f.login, &f.password, caller.agent()).await.map_err(WebError::from) {
        Ok(signed) => match auth::start_session(&state, &session, &signed.agent, lang, None).await {
            Ok(_) => with_device(
                Redirect::to("/").into_response(),
                AGENT_DEVICE_COOKIE,
                &signed.device,
                "/",
                state.config().tls,
            ),
            Err(e) => error_page(&state, &headers, None, &e),
        },
        Err(e) => {
            let tr = state.i18n().tr(lang);
            let status = e.status();
            let error = Some(localized(&e, &tr));
            (status, render(&LoginPage::new(&state, tr, f.login, error))).into_response()
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(_): SignedForm,
) -> Response {
    match auth::end_session(&state, &agent).await {
        // Signed in through the identity provider: its session ends too, when it says how.
        Ok(Some(id_token)) => match state.oidc() {
            Some(provider) => match provider.end_session_url(Some(&id_token)).await {
                Some(url) => Redirect::to(&url).into_response(),
                None => Redirect::to("/login").into_response(),
            },
            None => Redirect::to("/login").into_response(),
        },
        Ok(None) => Redirect::to("/login").into_response(),
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn set_lang(State(state): State<AppState>, Query(q): Query<forms::LangQuery>, headers: HeaderMap) -> Response {
    let lang = state.i18n().pick(q.lang.as_deref().unwrap_or("fr"));
    let back = headers
        .get(header::REFERER)
        .and_then(|r| r.to_str().ok())
        .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
        .and_then(|rest| rest.find('/').map(|i| rest[i..].to_owned()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".to_owned());
    let cookie = format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Strict; HttpOnly");
    ([(header::SET_COOKIE, cookie)], Redirect::to(&back)).into_response()
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    title: String,
    rows: Vec<CaseSummary>,
    counts: Vec<QueueCounts>,
    show_search: bool,
    searched: bool,
    /// The rows come by how well a name matches, not by urgency.
    by_name: bool,
    division_view: bool,
    query: String,
    error: Option<String>,
    today: time::Date,
}

impl CasesPage<'_> {
    /// "Overdue" or "due soon" next to a row's decision deadline (an ISO date), if it is either.
    fn due_mark(&self, due: &str) -> Option<Mark> {
        let due = time::Date::parse(due, &time::format_description::well_known::Iso8601::DATE).ok()?;
        mark(due, self.today, &self.tr)
    }
}

#[derive(Deserialize)]
struct CasesQuery {
    view: Option<String>,
}

async fn cases_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<CasesQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let (listing, title, division_view) = match q.view.as_deref() {
        Some("division") => (Listing::Division { unassigned: false }, tr.t("nav-division-queue"), true),
        Some("unassigned") => (Listing::Division { unassigned: true }, tr.t("unassigned-cases"), true),
        _ => (Listing::Mine, tr.t("nav-my-cases"), false),
    };
    let listed = match listing {
        Listing::Division { unassigned } => {
            cases::division_queue(&state, &agent, unassigned, 50).await.map_err(WebError::from)
        }
        other => cases::list(&state, &agent, &other, 50).await.map_err(WebError::from).map(|rows| (rows, vec![])),
    };
    let (rows, counts) = match listed {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&agent), &e),
    };
    render(&CasesPage {
        tr,
        nav: Some(nav(&agent)),
        title,
        rows,
        counts,
        show_search: false,
        searched: true,
        by_name: false,
        division_view,
        query: String::new(),
        error: None,
        today: state.today(),
    })
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

async fn search_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<SearchQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let query = q.q.unwrap_or_default();
    let (rows, error, searched) = if query.trim().is_empty() {
        (vec![], None, false)
    } else {
        match cases::list(&state, &agent, &Listing::Search(query.clone()), 50).await.map_err(WebError::from) {
            Ok(r) => (r, None, true),
            Err(e @ WebError::Field { .. }) => (vec![], Some(localized(&e, &tr)), false),
            Err(e) => return error_page(&state, &headers, Some(&agent), &e),
        }
    };
    render(&CasesPage {
        title: tr.t("nav-search"),
        tr,
        nav: Some(nav(&agent)),
        rows,
        counts: vec![],
        show_search: true,
        searched,
        by_name: cases::search_kind(&state, &query) == cases::SearchKind::Name,
        division_view: false,
        query,
        error,
        today: state.today(),
    })
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    csrf: String,
    f: FormState,
    kinds: [&'static str; 3],
    procedures: Vec<&'static str>,
    nationalities: Vec<(String, String)>,
    /// (field, label key, may be in another script)
    text_fields: Vec<(&'static str, &'static str, bool)>,
    /// (id, label, required, the application types it applies to)
    checklist: Vec<(String, String, bool, String)>,
}

impl RegisterPage<'_> {
    fn present(&self, id: &str) -> bool {
        self.f.v("present").split('\u{1f}').any(|p| p == id)
    }
}

fn register_form(state: &AppState, tr: Tr<'_>, agent: &Agent, f: FormState) -> Response {
    let fr = tr.lang() == "fr";
    let mut nationalities: Vec<(String, String)> = state
        .rules()
        .nationalities()
        .map(|n| (n.code.to_string(), if fr { n.name_fr.clone() } else { n.name_en.clone() }))
        .collect();
    nationalities.sort_by(|a, b| a.1.cmp(&b.1));
    let status = if f.message.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let checklist = state
        .checklist()
        .items
        .iter()
        .map(|i| {
            let kinds: Vec<String> = i.applies.iter().map(|k| tr.t(&format!("kind-{}", k.as_str()))).collect();
            let label = if fr { i.label_fr.clone() } else { i.label_en.clone() };
            (i.id.clone(), label, i.required, kinds.join(", "))
        })
        .collect();
    let page = RegisterPage {
        checklist,
        tr,
        nav: Some(nav(agent)),
        csrf: agent.csrf.clone(),
        f,
        kinds: ["asylum", "re_examination", "statelessness"],
        procedures: vec![
            "normal",
            "detention",
            "border",
            "accelerated:safe_country_of_origin",
            "accelerated:admissible_re_examination",
            "accelerated:refused_fingerprints",
            "accelerated:false_documents",
            "accelerated:late_application",
            "accelerated:defeat_removal",
            "accelerated:public_order_threat",
        ],
        nationalities,
        text_fields: vec![
            ("language", "language", false),
            ("family_latin", "field-family-latin", false),
            ("given_latin", "field-given-latin", false),
            ("family_original", "field-family-original", true),
            ("given_original", "field-given-original", true),
            ("birth_date", "birth-date", false),
            ("birth_place", "field-birth-place", false),
            ("introduced_on", "introduced-on", false),
        ],
    };
    (status, render(&page)).into_response()
}

async fn register_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    if let Err(e) = cases::may_register(&state, &agent).await.map_err(WebError::from) {
        return error_page(&state, &headers, Some(&agent), &e);
    }
    let tr = state.i18n().tr(lang_of(&state, &headers));
    register_form(&state, tr, &agent, FormState::default())
}

async fn register_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    if let Err(e) = cases::may_register(&state, &agent).await.map_err(WebError::from) {
        return error_page(&state, &headers, Some(&agent), &e);
    }
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let result = match forms::registration(&form, state.rules(), state.checklist()) {
        Ok(r) => cases::register(&state, &agent, r).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok((case, _)) => Redirect::to(&format!("/cases/{}?done=registered", case.number)).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::Internal(_))) => error_page(&state, &headers, Some(&agent), &e),
        Err(e) => register_form(&state, tr, &agent, FormState::failed("register", &form, &e, &tr)),
    }
}

/// A marker next to a date that must not be missed: the words and the badge's class.
pub(crate) struct Mark {
    pub label: String,
    pub class: &'static str,
}

fn mark(due: time::Date, today: time::Date, tr: &Tr) -> Option<Mark> {
    let urgency = Urgency::of(due, today);
    urgency.label(tr).map(|label| Mark { label, class: urgency.class() })
}

/// A deadline as the case page shows it, in the agent's language.
pub(crate) struct DeadlineLine {
    pub kind: &'static str,
    pub due_on: String,
    pub suspended: bool,
    pub explanation: String,
    pub source: String,
    pub mark: Option<Mark>,
}

impl DeadlineLine {
    pub(crate) fn of(d: &Deadline, tr: &Tr, today: time::Date) -> DeadlineLine {
        DeadlineLine {
            kind: d.kind.as_str(),
            due_on: d.due_on.to_string(),
            suspended: d.suspended,
            explanation: deadlines::explain(tr, &d.why),
            source: d.source.clone(),
            // A suspended deadline does not run: it is neither overdue nor near.
            mark: if d.suspended { None } else { mark(d.due_on, today, tr) },
        }
    }
}

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    csrf: String,
    c: Case,
    f: FormState,
    done: Option<String>,
    birth: String,
    nationality_name: String,
    pooled: bool,
    interview_mode: &'static str,
    deadlines: Vec<DeadlineLine>,
    timeline: Vec<Entry>,
    officers: Vec<AccountSummary>,
    show_assign: bool,
    show_schedule: bool,
    show_record: bool,
    show_draft: bool,
    show_submit: bool,
    show_review: bool,
    show_sign: bool,
    /// The identity provider confirms who signs, not a password.
    sign_at_provider: bool,
    show_notify: bool,
    /// The interview's recordings, and whether the agent may file or hear them.
    recordings: Vec<nansen_domain::documents::Document>,
    show_file_recording: bool,
    may_listen: bool,
    show_needs: bool,
    show_absence: bool,
    show_close_absence: bool,
    /// The interview's needs and the absences, worded.
    needs_lines: Vec<String>,
    absence_lines: Vec<String>,
    cs_rows: Vec<usize>,
    fe_rows: Vec<usize>,
    outcomes: [&'static str; 5],
    grounds: [&'static str; 5],
    subsidiary: [&'static str; 3],
    missing_labels: Vec<(String, String)>,
    show_complete: bool,
    show_letters: bool,
    show_upload: bool,
    show_originals: bool,
    doc_kinds: Vec<&'static str>,
    upload_rows: Vec<usize>,
    original_fields: Vec<(&'static str, &'static str)>,
    today: String,
    /// The agent may read the committee's reference notes (linked from the draft).
    reference_notes: bool,
    /// A link to the case's appeal, for who follows appeals, once there can be one.
    appeal_link: bool,
    /// A link to the protected person's civil status, for the civil registrars.
    civil_link: bool,
    /// A link to the procedures to end the protection, once protection is final.
    ending_link: bool,
    /// Where the applicant lives now (the reception agency's word), for convocations.
    lives_at: Option<String>,
    /// The research requests asked about the case, and whether the agent may ask one.
    research: Vec<nansen_office::research::RequestLine>,
    show_ask_research: bool,
    /// The draft's sources, with their documents and any newer version.
    sources: Vec<nansen_office::research::CitationView>,
}

impl CasePage<'_> {
    fn research_status(&self, r: &nansen_office::research::RequestLine) -> String {
        self.tr.t(&format!("research-status-{}", r.status.code()))
    }

    /// A field of the needs form: as typed when it failed, else as recorded.
    fn needs_value(&self, field: &str) -> String {
        if self.f.form == "needs" {
            return self.f.v(field);
        }
        let Some(n) = &self.c.interview_needs else { return String::new() };
        let sex = |s: Option<nansen_domain::Sex>| match s {
            Some(nansen_domain::Sex::Female) => "female".to_owned(),
            Some(nansen_domain::Sex::Male) => "male".to_owned(),
            _ => String::new(),
        };
        match field {
            "officer_sex" => sex(n.officer_sex),
            "interpreter_sex" => sex(n.interpreter_sex),
            "grounds" => n.grounds.clone(),
            "vulnerable" => {
                if n.vulnerable {
                    "yes".into()
                } else {
                    String::new()
                }
            }
            "heard_with" => n.heard_with.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
            _ => String::new(),
        }
    }

    /// When the document was put in the applicant's space and first opened there.
    fn portal_of(&self, d: &nansen_domain::documents::Document) -> String {
        let at =
            |t: time::OffsetDateTime| accounts::format_time(t).replace('T', " ").chars().take(16).collect::<String>();
        match &d.shared {
            None => String::new(),
            Some(s) => {
                let available = self.tr.ta("doc-portal-available", &[("at", &at(s.made_available_at))]);
                let opened = match s.first_opened_at {
                    Some(o) => self.tr.ta("doc-portal-opened", &[("at", &at(o))]),
                    None => self.tr.t("doc-portal-not-opened"),
                };
                format!("{available} · {opened}")
            }
        }
    }

    fn origin_of(&self, d: &nansen_domain::documents::Document) -> &'static str {
        match d.document.origin {
            nansen_domain::documents::Origin::Scan => "scan",
            nansen_domain::documents::Origin::Issued => "issued",
            nansen_domain::documents::Origin::Applicant => "applicant",
        }
    }

    /// A draft field: what was typed, else the current draft.
    fn draft_value(&self, name: &str) -> String {
        if self.f.form == "draft" {
            return self.f.v(name);
        }
        let Some(d) = &self.c.draft else { return String::new() };
        match name {
            "outcome" => d.outcome.as_str().to_owned(),
            "facts" => d.facts.clone(),
            "law" => d.law.clone(),
            // The sources as citation lines, as they are typed.
            "sources" => d
                .sources
                .iter()
                .map(|s| format!("{}#{} {}", s.citation.document, s.citation.passage, s.citation.quote))
                .collect::<Vec<_>>()
                .join("\n"),
            "subsidiary_basis" => match &d.outcome {
                nansen_domain::decision::Outcome::SubsidiaryProtection { basis } => {
                    serde_json::to_value(basis).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
                }
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    fn draft_has_ground(&self, ground: &str) -> bool {
        if self.f.form == "draft" {
            return self.f.v("ground").split('\u{1f}').any(|g| g == ground);
        }
        match self.c.draft.as_ref().map(|d| &d.outcome) {
            Some(nansen_domain::decision::Outcome::RefugeeStatus { grounds, .. }) => grounds
                .iter()
                .any(|g| serde_json::to_value(g).ok().and_then(|v| v.as_str().map(|s| s == ground)).unwrap_or(false)),
            _ => false,
        }
    }
}

#[derive(Deserialize)]
struct CaseQuery {
    done: Option<String>,
}

async fn case_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Response {
    let done = q.done.filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    show_case(&state, &headers, &agent, &number, FormState::default(), done, None).await
}

async fn show_case(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    number: &str,
    f: FormState,
    done: Option<String>,
    status: Option<StatusCode>,
) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    let view = match cases::read_case(state, agent, number).await.map_err(WebError::from) {
        Ok(v) => v,
        Err(e) => return error_page(state, headers, Some(agent), &e),
    };
    let c = view.case;
    let can = view.can;
    let offers = view.offers;
    let officers = view.officers;
    let rows = |part: &str| -> Vec<usize> {
        let n = if f.form == "record" {
            f.values.get(&format!("{part}_rows")).and_then(|n| n.parse().ok()).unwrap_or(3)
        } else {
            3
        };
        (0..n).collect()
    };
    let nationality_name = state
        .rules()
        .nationality(c.nationality)
        .map(|n| if tr.lang() == "fr" { n.name_fr.clone() } else { n.name_en.clone() })
        .unwrap_or_default();
    let birth = match c.applicant.birth_date {
        nansen_domain::person::BirthDate::Exact(d) => d.to_string(),
        nansen_domain::person::BirthDate::YearMonth { year, month } => format!("{year}-{month:02}"),
        nansen_domain::person::BirthDate::Year(y) => y.to_string(),
        nansen_domain::person::BirthDate::Unknown => tr.t("unknown"),
    };
    let interview_mode = match c.interview.as_ref().map(|i| i.mode) {
        Some(nansen_domain::lifecycle::InterviewMode::VideoLink) => "video_link",
        _ => "in_person",
    };
    let fr = tr.lang() == "fr";
    let checklist = state.checklist();
    let missing_labels = c
        .missing
        .iter()
        .map(|m| (m.clone(), if fr { checklist.label_fr(m).to_owned() } else { checklist.label_en(m).to_owned() }))
        .collect();
    let page = CasePage {
        missing_labels,
        show_complete: offers.complete,
        show_letters: can.file_documents,
        show_upload: can.file_documents,
        show_originals: can.keep_originals,
        doc_kinds: nansen_domain::documents::DocumentKind::scannable().map(|k| k.as_str()).collect(),
        upload_rows: (0..UPLOAD_ROWS).collect(),
        original_fields: vec![
            ("description", "doc-description"),
            ("received_on", "doc-received-on"),
            ("store", "location-store"),
            ("shelf", "location-shelf"),
            ("box", "location-box"),
        ],
        today: state.today().to_string(),
        reference_notes: nansen_office::statistics::may_read_notes(state, agent),
        appeal_link: nav(agent).appeals && (c.appeal.is_some() || c.notified_on.is_some()),
        civil_link: nav(agent).civil,
        ending_link: nav(agent).endings && (c.protection_final() || !c.endings.is_empty()),
        lives_at: view.lives_at.clone(),
        research: view.research.clone(),
        show_ask_research: can.ask_research,
        sources: view.sources.clone(),
        nav: Some(nav(agent)),
        csrf: agent.csrf.clone(),
        done,
        birth,
        nationality_name,
        pooled: view.pooled,
        interview_mode,
        deadlines: view.deadlines.iter().map(|d| DeadlineLine::of(d, &tr, state.today())).collect(),
        timeline: view.timeline,
        officers,
        show_assign: offers.assign,
        show_schedule: offers.schedule,
        show_record: offers.record_interview,
        show_draft: offers.draft,
        show_submit: offers.submit,
        show_review: offers.review,
        show_sign: offers.sign,
        sign_at_provider: state.oidc().is_some() && agent.federated,
        show_notify: offers.notify,
        recordings: view.recordings.clone(),
        show_file_recording: offers.file_recording,
        may_listen: can.listen,
        show_needs: offers.needs,
        show_absence: offers.absence,
        show_close_absence: offers.close_absence,
        needs_lines: needs_lines(&c, &tr),
        absence_lines: c
            .absences
            .iter()
            .map(|a| {
                let how = tr.t(if a.excused { "absence-excused" } else { "absence-unexcused" });
                if a.reason.is_empty() {
                    format!("{} · {how}", a.on)
                } else {
                    format!("{} · {how} · {}", a.on, a.reason)
                }
            })
            .collect(),
        cs_rows: rows("cs"),
        fe_rows: rows("fe"),
        outcomes: ["refugee_status", "subsidiary_protection", "rejection", "stateless", "inadmissibility"],
        grounds: ["race", "religion", "nationality", "social_group", "political_opinion"],
        subsidiary: ["death_penalty", "torture", "indiscriminate_violence"],
        c,
        f,
        tr,
    };
    (status.unwrap_or(StatusCode::OK), render(&page)).into_response()
}

/// The applicant's needs at the interview, one line each.
fn needs_lines(c: &Case, tr: &Tr) -> Vec<String> {
    let Some(n) = &c.interview_needs else { return Vec::new() };
    let sex = |s: nansen_domain::Sex| tr.t(if s == nansen_domain::Sex::Female { "sex-female" } else { "sex-male" });
    let mut lines = Vec::new();
    if let Some(s) = n.officer_sex {
        lines.push(format!("{} : {}", tr.t("needs-officer-sex"), sex(s)));
    }
    if let Some(s) = n.interpreter_sex {
        lines.push(format!("{} : {}", tr.t("needs-interpreter-sex"), sex(s)));
    }
    if !n.grounds.is_empty() {
        lines.push(format!("{} : {}", tr.t("needs-grounds"), n.grounds));
    }
    if n.vulnerable {
        lines.push(tr.t("needs-vulnerable"));
    }
    if !n.heard_with.is_empty() {
        let numbers: Vec<String> = n.heard_with.iter().map(ToString::to_string).collect();
        lines.push(format!("{} : {}", tr.t("needs-heard-with"), numbers.join(", ")));
    }
    lines
}

async fn case_action(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, action)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    // "Add a question" shows the record form again with one more row; nothing is saved.
    if action == "record" {
        if let Some(part) = form.get("add").filter(|p| *p == "cs" || *p == "fe") {
            let mut values = form.values();
            let n = forms::rows(&form, part) + 1;
            values.insert(format!("{part}_rows"), n.to_string());
            let state_form = FormState { form: "record".into(), values, field: None, message: None };
            return show_case(&state, &headers, &agent, &number, state_form, None, None).await;
        }
    }
    // An agent signed in through the identity provider confirms there who signs (a fresh
    // authentication); one signed in with a password types it again.
    if (action == "sign" || action == "close_absence") && state.oidc().is_some() && agent.federated {
        return match crate::oidc_flow::step_up(&state, &agent, &number, action == "close_absence").await {
            Ok(r) => r,
            Err(e) => error_page(&state, &headers, Some(&agent), &e),
        };
    }
    let op = match action.as_str() {
        "assign" => Ok(CaseOp::Assign { officer: form.text("officer") }),
        "schedule" => forms::schedule(&form),
        "record" => forms::record(&form),
        "draft" => forms::draft(&form).map(|draft| CaseOp::Draft { draft, citations: Some(form.text("sources")) }),
        "submit" => Ok(CaseOp::Submit),
        "return" => Ok(CaseOp::Return { comments: form.text("comments") }),
        "sign" => Ok(CaseOp::Sign { proof: StepUp::Password(form.get("password").unwrap_or_default().to_owned()) }),
        "notify" => Ok(CaseOp::Notify),
        "needs" => forms::needs(&form),
        "absence" => forms::absence(&form),
        "close_absence" => {
            Ok(CaseOp::CloseForAbsence { proof: StepUp::Password(form.get("password").unwrap_or_default().to_owned()) })
        }
        "complete" => {
            let received: Vec<String> = form.all("received").into_iter().map(str::to_owned).collect();
            return match cases::receive_missing(&state, &agent, &number, &received).await.map_err(WebError::from) {
                Ok(_) => Redirect::to(&format!("/cases/{number}?done=complete")).into_response(),
                Err(e) => error_page(&state, &headers, Some(&agent), &e),
            };
        }
        _ => return error_page(&state, &headers, Some(&agent), &WebError::NotFound(format!("action {action:?}"))),
    };
    let result = match op {
        Ok(op) => cases::perform(&state, &agent, &number, op).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done={action}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let status = e.status();
            let failed = FormState::failed(&action, &form, &e, &tr);
            show_case(&state, &headers, &agent, &number, failed, None, Some(status)).await
        }
    }
}

// ---- documents and originals ---------------------------------------------------------------------------------------

/// Rows of the upload form (a scanning batch; more go in another batch).
const UPLOAD_ROWS: usize = 5;
/// The largest upload request: every row at the size limit, plus the form.
const UPLOAD_BODY_LIMIT: usize = 5 * 64 * 1024 * 1024 + 1024 * 1024;

async fn upload_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    let mut typed = HashMap::new();
    match crate::documents::upload(&state, &agent, &number, None, multipart, &mut typed).await {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done=uploaded#documents-h")).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Upload { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let status = e.status();
            let field = e.field_name().map(str::to_owned);
            let f = FormState { form: "upload".into(), values: typed, field, message: Some(localized(&e, &tr)) };
            show_case(&state, &headers, &agent, &number, f, None, Some(status)).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

/// The largest recording request: the file at its limit, plus the form.
const RECORDING_BODY_LIMIT: usize = nansen_office::recordings::MAX_RECORDING_BYTES as usize + 1024 * 1024;

async fn recording_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    multipart: axum::extract::Multipart,
) -> Response {
    match crate::documents::upload_recording(&state, &agent, &number, None, multipart).await {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done=recording#recordings-h")).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Upload { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let status = e.status();
            let field = e.field_name().map(str::to_owned);
            let f = FormState {
                form: "recording".into(),
                values: HashMap::new(),
                field,
                message: Some(localized(&e, &tr)),
            };
            show_case(&state, &headers, &agent, &number, f, None, Some(status)).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn document_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, id)): Path<(String, u32)>,
    Query(q): Query<crate::documents::DownloadQuery>,
) -> Response {
    match documents::download(&state, &agent, &number, id, q.served())
        .await
        .map(crate::documents::send)
        .map_err(WebError::from)
    {
        Ok(r) => r,
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "portal_code.html")]
struct PortalCodePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    number: String,
    code: String,
}

/// A new activation code for the applicant's space, shown once.
async fn portal_access_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    SignedForm(_): SignedForm,
) -> Response {
    match access::reset_access(&state, &agent, &number).await.map_err(WebError::from) {
        Ok(code) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            render(&PortalCodePage { tr, nav: Some(nav(&agent)), number, code })
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn letter_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let Some(kind) = letters::LetterKind::parse(form.get("letter").unwrap_or_default()) else {
        return error_page(&state, &headers, Some(&agent), &WebError::NotFound("letter".into()));
    };
    match letters::issue_on_request(&state, &agent, &number, kind).await.map_err(WebError::from) {
        Ok(_) => Redirect::to(&format!("/cases/{number}?done=letter#documents-h")).into_response(),
        Err(e @ WebError::Field { .. }) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let failed = FormState::failed("letters", &form, &e, &tr);
            show_case(&state, &headers, &agent, &number, failed, None, Some(e.status())).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn original_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let original = documents::OriginalForm {
        kind: form.text("kind"),
        description: form.text("description"),
        received_on: form.text("received_on"),
        store: form.text("store"),
        shelf: form.text("shelf"),
        r#box: form.text("box"),
    };
    match documents::receive_original(&state, &agent, &number, &original).await.map_err(WebError::from) {
        Ok(o) => Redirect::to(&format!("/originals/{}?done=received", o.id)).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let failed = FormState::failed("originals", &form, &e, &tr);
            show_case(&state, &headers, &agent, &number, failed, None, Some(e.status())).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "originals.html")]
struct OriginalsPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    lines: Vec<nansen_office::OriginalLine>,
    lent: u64,
    in_store: u64,
    lent_only: bool,
    find: String,
    not_found: bool,
    page_size: u64,
}

#[derive(Deserialize)]
struct OriginalsQuery {
    lent: Option<String>,
    find: Option<String>,
}

async fn originals_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<OriginalsQuery>,
) -> Response {
    // A label scanned into the "find" box (a handheld scanner types the identifier and Enter).
    let find = q.find.unwrap_or_default().trim().to_owned();
    let mut not_found = false;
    if !find.is_empty() {
        match documents::find_original(&state, &agent, &find).await.map_err(WebError::from) {
            Ok(Some(id)) => return Redirect::to(&format!("/originals/{id}")).into_response(),
            Ok(None) => not_found = true,
            Err(e) => return error_page(&state, &headers, Some(&agent), &e),
        }
    }
    let lent_only = q.lent.is_some_and(|l| l == "1");
    match documents::originals(&state, &agent, lent_only).await.map_err(WebError::from) {
        Ok((lines, (lent, in_store))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let page_size = u64::from(documents::ORIGINALS_PAGE);
            let page = OriginalsPage {
                tr,
                nav: Some(nav(&agent)),
                lines,
                lent,
                in_store,
                lent_only,
                find,
                not_found,
                page_size,
            };
            let status = if not_found { StatusCode::NOT_FOUND } else { StatusCode::OK };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "original.html")]
struct OriginalPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    csrf: String,
    v: documents::OriginalView,
    qr: String,
    f: FormState,
    done: Option<String>,
    location: String,
    holder: String,
    today: String,
}

async fn show_original(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    id: &str,
    f: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    let v = match documents::read_original(state, agent, id).await.map_err(WebError::from) {
        Ok(v) => v,
        Err(e) => return error_page(state, headers, Some(agent), &e),
    };
    let tr = state.i18n().tr(lang_of(state, headers));
    let (location, holder) = match &v.original.custody {
        nansen_domain::documents::Custody::InStore { location } => (location.to_string(), String::new()),
        nansen_domain::documents::Custody::Lent { to, home, since } => (home.to_string(), format!("{to} ({since})")),
        nansen_domain::documents::Custody::Returned { on, signed_by } => (String::new(), format!("{signed_by} ({on})")),
    };
    let page = OriginalPage {
        qr: crate::documents::qr_svg(&v.original.id),
        nav: Some(nav(agent)),
        csrf: agent.csrf.clone(),
        v,
        f,
        done,
        location,
        holder,
        today: state.today().to_string(),
        tr,
    };
    (status, render(&page)).into_response()
}

async fn original_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Response {
    let done = q.done.filter(|d| d.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    show_original(&state, &headers, &agent, &id, FormState::default(), done, StatusCode::OK).await
}

async fn original_label(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
) -> Response {
    let fr = state.i18n().tr("fr");
    match documents::label(&state, &agent, &id, |k| fr.t(&format!("kind-{}", k.as_str()))).await.map_err(WebError::from)
    {
        Ok(pdf) => (
            [
                (header::CONTENT_TYPE, "application/pdf".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"label-{}.pdf\"", id.replace('"', ""))),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn custody_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let change = documents::CustodyForm {
        change: form.text("change"),
        store: form.text("store"),
        shelf: form.text("shelf"),
        r#box: form.text("box"),
        to: form.text("to"),
        on: form.text("on"),
        signed_by: form.text("signed_by"),
    };
    match documents::change_custody(&state, &agent, &id, &change).await.map_err(WebError::from) {
        Ok(o) => Redirect::to(&format!("/originals/{}?done=custody_{}", o.id, change.change)).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let status = e.status();
            let failed = FormState::failed(&change.change, &form, &e, &tr);
            show_original(&state, &headers, &agent, &id, failed, None, status).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
