//! The follow-up of girls protected from FGM in the workbench: `/fgm`, the daily list (due and
//! overdue examinations, reports awaiting signature), and `/cases/{n}/fgm`, a case's follow-ups
//! with a form per step (the certificate is uploaded, checked by content, stored restricted).
//! Pages work without JavaScript; an error is shown next to its field, in the agent's language.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::protection::{FgmFollowUp, IncidentKind};
use nansen_office::protection::fgm::{self, FgmList, FgmOp, FgmView};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/fgm", get(list_page))
        .route("/cases/{number}/fgm", get(fgm_page))
        .route(
            "/cases/{number}/fgm/certificate",
            post(certificate_submit).layer(axum::extract::DefaultBodyLimit::max(CERTIFICATE_BODY_LIMIT)),
        )
        .route("/cases/{number}/fgm/{step}", post(step_submit))
}

/// A certificate's form: one scan, at most the upload limit (64 MiB), and its fields.
const CERTIFICATE_BODY_LIMIT: usize = 64 * 1024 * 1024 + 64 * 1024;

/// The steps, as the forms name them.
pub const STEPS: [&str; 6] = ["open", "letter", "certificate", "incident", "advance", "sign"];

pub(crate) fn person_of(s: &str) -> Result<u16, WebError> {
    s.trim().parse().map_err(|_| WebError::field("person", "choose the girl"))
}

pub(crate) fn incident_kind(s: &str) -> Result<IncidentKind, WebError> {
    IncidentKind::parse(s.trim())
        .ok_or_else(|| WebError::field("kind", "unjustified_absence, refusal or mutilation_found"))
}

/// A step from its form (the certificate has its own multipart form).
fn op_of(step: &str, form: &FormData) -> Result<FgmOp, WebError> {
    let person = || person_of(&form.text("person"));
    let date = |field: &str| forms::date(field, form.get(field).unwrap_or_default());
    Ok(match step {
        "open" => FgmOp::Open { person: person()? },
        "letter" => FgmOp::Letter { person: person()?, on: date("on")? },
        "incident" => FgmOp::Incident { person: person()?, on: date("on")?, kind: incident_kind(&form.text("kind"))? },
        "advance" => FgmOp::Advance { person: person()?, on: date("on")?, grounds: form.text("grounds") },
        "sign" => FgmOp::Sign {
            person: person()?,
            report: form.text("report").trim().parse().map_err(|_| WebError::field("report", "a report's number"))?,
        },
        other => return Err(WebError::NotFound(format!("step {other:?}"))),
    })
}

#[derive(Template)]
#[template(path = "protection/fgm.html")]
struct FgmPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: FgmView,
    form: FormState,
    /// The form that failed: "open", or "{step}-{person}".
    failed: String,
    done: Option<String>,
    today: String,
}

impl FgmPage<'_> {
    fn name(&self, person: &u16) -> String {
        self.view
            .case
            .persons()
            .get(usize::from(*person))
            .map(|p| format!("{} {}", p.family_name.latin, p.given_names.latin))
            .unwrap_or_default()
    }

    fn overdue(&self, f: &FgmFollowUp) -> bool {
        f.due_on.to_string() < self.today
    }

    fn err_in(&self, form: &str, field: &str) -> Option<String> {
        if self.failed == form {
            self.form.err(field)
        } else {
            None
        }
    }

    fn v_in(&self, form: &str, field: &str) -> String {
        if self.failed == form {
            self.form.v(field)
        } else {
            String::new()
        }
    }

    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn form_id(&self, step: &str, f: &FgmFollowUp) -> String {
        format!("{step}-{}", f.person)
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    number: &str,
    form: FormState,
    failed: String,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match fgm::read_fgm(state, agent, number).await.map_err(WebError::from) {
        Ok(view) => {
            let tr = state.i18n().tr(lang_of(state, headers));
            let page = FgmPage {
                tr,
                nav: Some(nav(agent)),
                view,
                form,
                failed,
                done: done.filter(|d| STEPS.contains(&d.as_str())),
                today: state.today().to_string(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn fgm_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show(&state, &headers, &agent, &number, FormState::default(), String::new(), q.done, StatusCode::OK).await
}

/// The outcome of a step as a page: back to the follow-up, or the form again with its error.
async fn after_step(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    number: &str,
    step: &str,
    values: std::collections::HashMap<String, String>,
    result: Result<FgmView, WebError>,
) -> Response {
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{number}/fgm?done={step}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(state, headers, Some(agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(state, headers));
            let failed = match step {
                "open" => "open".to_owned(),
                s => format!("{s}-{}", values.get("person").map(|p| p.trim()).unwrap_or_default()),
            };
            let form = FormState::refused(step, values, &e, &tr);
            show(state, headers, agent, number, form, failed, None, e.status()).await
        }
    }
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match op_of(&step, &form) {
        Ok(op) => fgm::act_on_fgm(&state, &agent, &number, op).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    after_step(&state, &headers, &agent, &number, &step, form.values(), result).await
}

/// The certificate's form: `person`, `examined_on`, `mutilation_found` (a checkbox), `file`.
async fn certificate_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    mut multipart: Multipart,
) -> Response {
    let mut values = std::collections::HashMap::new();
    let result = async {
        let mut csrf_ok = false;
        let mut staged = None;
        while let Some(mut field) = multipart
            .next_field()
            .await
            .map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            if name == "file" {
                if !csrf_ok {
                    return Err(WebError::BadRequest("the form has expired; reload the page".into()));
                }
                staged = crate::documents::stage(&state, &mut field, "file").await?;
                continue;
            }
            let text = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            if name == "csrf" {
                agent.check_csrf(Some(&text))?;
                csrf_ok = true;
            } else if text.len() <= 100 {
                values.insert(name, text);
            }
        }
        if !csrf_ok {
            return Err(WebError::BadRequest("the form has expired; reload the page".into()));
        }
        let person = person_of(values.get("person").map(String::as_str).unwrap_or_default())?;
        let examined_on =
            forms::date("examined_on", values.get("examined_on").map(String::as_str).unwrap_or_default())?;
        let Some((file, file_name)) = staged else {
            return Err(WebError::field("file", "choose the certificate's file (PDF or image)"));
        };
        let op = FgmOp::Certificate {
            person,
            examined_on,
            mutilation_found: values.get("mutilation_found").is_some_and(|v| v == "yes"),
            file,
            file_name,
        };
        Ok(fgm::act_on_fgm(&state, &agent, &number, op).await?)
    }
    .await;
    after_step(&state, &headers, &agent, &number, "certificate", values, result).await
}

#[derive(Deserialize)]
pub struct ListQuery {
    days: Option<String>,
}

#[derive(Template)]
#[template(path = "protection/fgm_list.html")]
struct ListPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    list: Option<FgmList>,
    days: String,
    form: FormState,
}

impl ListPage<'_> {
    fn overdue(&self, due: &str) -> bool {
        self.list.as_ref().is_some_and(|l| due < l.today.to_string().as_str())
    }
}

/// The list's horizon in days, when given; a bad value is an error next to its field.
pub(crate) fn days_of(s: Option<&str>) -> Result<Option<i64>, WebError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| WebError::field("days", "a number of days")),
    }
}

async fn list_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<ListQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let mut page = ListPage {
        tr,
        nav: Some(nav(&agent)),
        list: None,
        days: q.days.clone().unwrap_or_default(),
        form: FormState::default(),
    };
    let result = match days_of(q.days.as_deref()) {
        Ok(days) => fgm::follow_ups(&state, &agent, days).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(list) => {
            page.list = Some(list);
            render(&page)
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            page.form = FormState::refused("list", Default::default(), &e, &page.tr);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
