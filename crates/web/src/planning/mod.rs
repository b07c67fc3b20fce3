//! Interview planning in the workbench (workspace `planning`): the register of firms,
//! interpreters and rooms (`/planning`), an interpreter's page, an officer's calendar, the
//! division's week with its reasons and shortages and the button that sends it, and the
//! interpreter's own schedule. Every page works without JavaScript; an error is shown next to
//! its field in the agent's language.

pub mod api;
mod balance;
mod statements;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::planning::{AbsenceReason, HalfDay, RoomKind};
use nansen_office::planning::week::{self, Sent, WeekView};
use nansen_office::planning::{
    self, CalendarView, InterpreterChange, InterpreterView, NewFirmForm, NewInterpreterForm, NewRoomForm, RegisterView,
    ScheduleView,
};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planning", get(register_page))
        .route("/planning/{form}", post(register_submit))
        .route("/planning/interpreters/{id}", get(interpreter_page))
        .route("/planning/interpreters/{id}/{step}", post(interpreter_submit))
        .route("/planning/week", get(week_page))
        .route("/planning/week/send", post(week_send))
        .route("/planning/calendar", get(calendar_of))
        .route("/planning/calendar/{officer}", get(calendar_page).post(calendar_submit))
        .route("/planning/schedule", get(schedule_page))
        .route("/planning/statements", get(statements::statement_page))
        .route("/planning/balance", get(balance::balance_page).post(balance::balance_accept))
}

fn refused(form: &str, values: std::collections::HashMap<String, String>, e: &WebError, tr: &Tr) -> FormState {
    FormState::refused(form, values, e, tr)
}

/// A date typed in a form, or `default` when left empty.
fn date_or(form: &FormData, field: &str, default: time::Date) -> Result<time::Date, WebError> {
    match form.get(field).map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => forms::date(field, d),
        None => Ok(default),
    }
}

// ---- the register -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "planning/register.html")]
struct RegisterPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: RegisterView,
    form: FormState,
    done: Option<String>,
    kinds: Vec<&'static str>,
    next_monday: time::Date,
    /// The officer's own calendar, linked from the page.
    own_calendar: Option<String>,
}

impl RegisterPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn show_register(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match planning::register(state, agent).await.map_err(WebError::from) {
        Ok(view) => {
            let page = RegisterPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                next_monday: week::monday_of(view.today) + time::Duration::weeks(1),
                view,
                form,
                done: done.filter(|d| ["firm", "interpreter", "room", "close"].contains(&d.as_str())),
                kinds: RoomKind::ALL.iter().map(|k| k.as_str()).collect(),
                own_calendar: (agent.role() == nansen_office::Role::ProtectionOfficer).then(|| agent.login.to_string()),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn register_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<DoneQuery>,
) -> Response {
    show_register(&state, &headers, &agent, FormState::default(), q.done, StatusCode::OK).await
}

pub(crate) fn new_interpreter(form: &FormData) -> Result<NewInterpreterForm, WebError> {
    let signed = form.text("code_of_conduct");
    Ok(NewInterpreterForm {
        id: form.text("id"),
        name: form.text("name"),
        firm: form.text("firm"),
        sex: form.text("sex"),
        languages: form.text("languages"),
        in_person: form.get("in_person").is_some_and(|v| v == "on"),
        video: form.get("video").is_some_and(|v| v == "on"),
        login: Some(form.text("login")).filter(|l| !l.trim().is_empty()),
        code_of_conduct: if signed.trim().is_empty() { None } else { Some(forms::date("code_of_conduct", &signed)?) },
    })
}

async fn register_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(which): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let result: Result<(), WebError> = async {
        match which.as_str() {
            "firm" => {
                let f = NewFirmForm {
                    code: form.text("code"),
                    name: form.text("name"),
                    contract: form.text("contract"),
                    contract_from: date_or(&form, "contract_from", state.today())?,
                    hourly_rate: form.text("hourly_rate"),
                };
                planning::add_firm(&state, &agent, f).await?;
            }
            "interpreter" => {
                let f = new_interpreter(&form)?;
                planning::add_interpreter(&state, &agent, f).await?;
            }
            "room" => {
                let f = NewRoomForm {
                    code: form.text("code"),
                    name: form.text("name"),
                    kind: form.text("kind"),
                    site: form.text("site"),
                };
                planning::add_room(&state, &agent, f).await?;
            }
            "close" => {
                let reason = form.text("reason");
                planning::close_room(&state, &agent, &form.text("room"), &form.text("half_days"), Some(&reason))
                    .await?;
            }
            other => return Err(WebError::NotFound(format!("form {other:?}"))),
        }
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/planning?done={which}#{which}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = refused(&which, form.values(), &e, &tr);
            show_register(&state, &headers, &agent, refused, None, e.status()).await
        }
    }
}

// ---- an interpreter -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "planning/interpreter.html")]
struct InterpreterPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: InterpreterView,
    form: FormState,
    done: Option<String>,
}

impl InterpreterPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn id(&self) -> String {
        self.view.line.interpreter.id.as_ref().map(|i| i.to_string()).unwrap_or_default()
    }

    fn offered(&self) -> Vec<HalfDay> {
        let today = self.view.today;
        self.view.line.interpreter.available.iter().filter(|h| h.date >= today).copied().collect()
    }
}

async fn show_interpreter(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    id: &str,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match planning::interpreter(state, agent, id).await.map_err(WebError::from) {
        Ok(view) => {
            let page = InterpreterPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                done: done.filter(|d| ["offer", "withdraw", "charter", "conflict"].contains(&d.as_str())),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn interpreter_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show_interpreter(&state, &headers, &agent, &id, FormState::default(), q.done, StatusCode::OK).await
}

async fn interpreter_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((id, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result: Result<(), WebError> = async {
        let change = match step.as_str() {
            "offer" => InterpreterChange::Offer(form.text("half_days")),
            "withdraw" => InterpreterChange::Withdraw(form.text("half_days")),
            "charter" => InterpreterChange::SignCodeOfConduct(date_or(&form, "on", state.today())?),
            "conflict" => InterpreterChange::DeclareConflict { case: form.text("case"), reason: form.text("reason") },
            other => return Err(WebError::NotFound(format!("step {other:?}"))),
        };
        planning::change_interpreter(&state, &agent, &id, change).await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => Redirect::to(&format!("/planning/interpreters/{id}?done={step}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = refused(&step, form.values(), &e, &tr);
            show_interpreter(&state, &headers, &agent, &id, refused, None, e.status()).await
        }
    }
}

// ---- the week -----------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    monday: Option<String>,
}

#[derive(Template)]
#[template(path = "planning/week.html")]
struct WeekPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: WeekView,
    sent: Option<Sent>,
    form: FormState,
    previous: time::Date,
    next: time::Date,
}

impl WeekPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    /// A reason key (`deadline-within:3`) in the agent's words.
    fn reason(&self, key: &str) -> String {
        match key.split_once(':') {
            Some((k, n)) => self.tr.t(&format!("planning-reason-{k}")).replace("#N", n),
            None => self.tr.t(&format!("planning-reason-{key}")),
        }
    }

    fn half_day(&self, h: &HalfDay) -> String {
        format!("{} {}", h.date, self.tr.t(if h.afternoon { "planning-pm" } else { "planning-am" }))
    }
}

async fn show_week(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    monday: time::Date,
    sent: Option<Sent>,
    form: FormState,
    status: StatusCode,
) -> Response {
    match week::week(state, agent, monday).await.map_err(WebError::from) {
        Ok(view) => {
            let page = WeekPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                previous: view.monday - time::Duration::weeks(1),
                next: view.monday + time::Duration::weeks(1),
                view,
                sent,
                form,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

fn monday_in(state: &AppState, text: Option<&str>) -> Result<time::Date, WebError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => forms::date("monday", d),
        None => Ok(week::monday_of(state.today()) + time::Duration::weeks(1)),
    }
}

async fn week_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<WeekQuery>,
) -> Response {
    match monday_in(&state, q.monday.as_deref()) {
        Ok(monday) => show_week(&state, &headers, &agent, monday, None, FormState::default(), StatusCode::OK).await,
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn week_send(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    let monday = match monday_in(&state, form.get("monday")) {
        Ok(m) => m,
        Err(e) => return error_page(&state, &headers, Some(&agent), &e),
    };
    match week::send(&state, &agent, monday).await.map_err(WebError::from) {
        Ok(sent) => show_week(&state, &headers, &agent, monday, Some(sent), FormState::default(), StatusCode::OK).await,
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = refused("send", form.values(), &e, &tr);
            show_week(&state, &headers, &agent, monday, None, refused, e.status()).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

// ---- an officer's calendar ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "planning/calendar.html")]
struct CalendarPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: CalendarView,
    form: FormState,
    done: bool,
    reasons: Vec<&'static str>,
}

impl CalendarPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    /// What a half-day holds: `away-<reason>`, `n interviews`, or free.
    fn state_of(&self, h: &HalfDay) -> String {
        if let Some(r) = self.view.calendar.absences.get(h) {
            return self.tr.t(&format!("planning-absence-{}", r.as_str()));
        }
        match self.view.calendar.holds(h) {
            0 => self.tr.t("planning-free"),
            n => format!("{n} {}", self.tr.t("planning-interviews")),
        }
    }

    fn half_day(&self, h: &HalfDay) -> String {
        format!("{} {}", h.date, self.tr.t(if h.afternoon { "planning-pm" } else { "planning-am" }))
    }

    /// The officer's interviews a half-day, or as typed in a refused form.
    fn capacity(&self) -> String {
        if self.form.form == "sex" {
            return self.form.v("capacity");
        }
        self.view.calendar.capacity.to_string()
    }

    /// The officer's sex as declared (`female`, `male`), or as typed in a refused form.
    fn sex(&self) -> String {
        if self.form.form == "sex" {
            return self.form.v("sex");
        }
        match self.view.calendar.sex {
            Some(nansen_domain::Sex::Female) => "female".into(),
            Some(nansen_domain::Sex::Male) => "male".into(),
            _ => String::new(),
        }
    }
}

async fn show_calendar(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    officer: &str,
    form: FormState,
    done: bool,
    status: StatusCode,
) -> Response {
    let monday = week::monday_of(state.today());
    match planning::calendar(state, agent, officer, monday).await.map_err(WebError::from) {
        Ok(view) => {
            let page = CalendarPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                done,
                reasons: AbsenceReason::ALL.iter().map(|r| r.as_str()).collect(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

#[derive(Deserialize, Default)]
pub struct OfficerQuery {
    officer: Option<String>,
}

/// The form "an officer's calendar" of the register page.
async fn calendar_of(Query(q): Query<OfficerQuery>) -> Response {
    let officer = q.officer.unwrap_or_default();
    let officer: String =
        officer.trim().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '@')).collect();
    Redirect::to(&format!("/planning/calendar/{officer}")).into_response()
}

#[derive(Deserialize, Default)]
pub struct CalendarQuery {
    done: Option<String>,
}

async fn calendar_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(officer): Path<String>,
    Query(q): Query<CalendarQuery>,
) -> Response {
    show_calendar(&state, &headers, &agent, &officer, FormState::default(), q.done.is_some(), StatusCode::OK).await
}

async fn calendar_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(officer): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    // Two forms post here: the half-days marked (`mark`) and the officer's sex (`sex`).
    let which = if form.get("form") == Some("sex") { "sex" } else { "mark" };
    let result = if which == "sex" {
        planning::profile(&state, &agent, &officer, &form.text("sex"), &form.text("capacity")).await
    } else {
        let reason = form.text("reason");
        let reason = Some(reason.as_str()).filter(|r| !r.trim().is_empty() && *r != "present");
        planning::mark(&state, &agent, &officer, &form.text("half_days"), reason).await
    };
    match result.map_err(WebError::from) {
        Ok(()) => Redirect::to(&format!("/planning/calendar/{officer}?done=1")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = refused(which, form.values(), &e, &tr);
            show_calendar(&state, &headers, &agent, &officer, refused, false, e.status()).await
        }
    }
}

// ---- the interpreter's own schedule -------------------------------------------------------

#[derive(Template)]
#[template(path = "planning/schedule.html")]
struct SchedulePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: ScheduleView,
}

impl SchedulePage<'_> {
    fn half_day(&self, h: &HalfDay) -> String {
        format!("{} {}", h.date, self.tr.t(if h.afternoon { "planning-pm" } else { "planning-am" }))
    }
}

async fn schedule_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    match planning::own_schedule(&state, &agent).await.map_err(WebError::from) {
        Ok(view) => {
            let page = SchedulePage { tr: state.i18n().tr(lang_of(&state, &headers)), nav: Some(nav(&agent)), view };
            render(&page).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
