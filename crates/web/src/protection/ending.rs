//! The end of a protection in the workbench: `/endings`, the procedures under way and the recent
//! decisions, and `/cases/{n}/ending`, a case's procedures with a form per step (open with the
//! ground and facts, record an answer received by post, draft, sign). Pages work without
//! JavaScript; an error is shown next to its field, in the agent's language.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::protection::{Ending, EndingGround};
use nansen_office::protection::ending::{self, EndingOp, EndingView, EndingsList};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/endings", get(list_page))
        .route("/cases/{number}/ending", get(ending_page))
        .route("/cases/{number}/ending/{step}", post(step_submit))
}

/// The steps, as the forms and the API name them.
pub const STEPS: [&str; 4] = ["open", "answer", "draft", "sign"];

pub(crate) fn ground(s: &str) -> Result<EndingGround, WebError> {
    EndingGround::parse(s.trim())
        .ok_or_else(|| WebError::field("ground", "cessation, fraud, exclusion, threat or renunciation"))
}

pub(crate) fn ends_of(s: &str) -> Result<bool, WebError> {
    match s.trim() {
        "end" => Ok(true),
        "maintain" => Ok(false),
        _ => Err(WebError::field("ends", "end or maintain the protection")),
    }
}

fn op_of(step: &str, form: &FormData) -> Result<EndingOp, WebError> {
    Ok(match step {
        "open" => EndingOp::Open { ground: ground(&form.text("ground"))?, facts: form.text("facts") },
        "answer" => EndingOp::Answer {
            received_on: forms::date("received_on", form.get("received_on").unwrap_or_default())?,
            text: form.text("text"),
        },
        "draft" => EndingOp::Draft { ends: ends_of(&form.text("ends"))?, reasons: form.text("reasons") },
        "sign" => EndingOp::Sign {
            seq: form.text("seq").trim().parse().map_err(|_| WebError::field("seq", "the procedure's number"))?,
        },
        other => return Err(WebError::NotFound(format!("step {other:?}"))),
    })
}

#[derive(Template)]
#[template(path = "protection/ending.html")]
struct EndingPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: EndingView,
    form: FormState,
    done: Option<String>,
    grounds: Vec<&'static str>,
}

impl EndingPage<'_> {
    fn stage(&self, e: &Ending) -> &'static str {
        e.stage(self.view.today).as_str()
    }

    /// The reference of a letter of the file (its document number), for a link to it.
    fn letter_link(&self, document: &u32) -> String {
        format!("/cases/{}/documents/{document}", self.view.case.number)
    }

    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn err_in(&self, form: &str, field: &str) -> Option<String> {
        if self.form.form == form {
            self.form.err(field)
        } else {
            None
        }
    }

    fn v_in(&self, form: &str, field: &str) -> String {
        if self.form.form == form {
            self.form.v(field)
        } else {
            String::new()
        }
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    number: &str,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match ending::read_ending(state, agent, number).await.map_err(WebError::from) {
        Ok(view) => {
            let page = EndingPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                done: done.filter(|d| STEPS.contains(&d.as_str())),
                grounds: EndingGround::ALL.iter().map(EndingGround::as_str).collect(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn ending_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show(&state, &headers, &agent, &number, FormState::default(), q.done, StatusCode::OK).await
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match op_of(&step, &form) {
        Ok(op) => ending::act_on_ending(&state, &agent, &number, op).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{number}/ending?done={step}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let form = FormState::refused(step.clone(), form.values(), &e, &tr);
            show(&state, &headers, &agent, &number, form, None, e.status()).await
        }
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    days: Option<String>,
}

#[derive(Template)]
#[template(path = "protection/ending_list.html")]
struct ListPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    list: Option<EndingsList>,
    days: String,
    form: FormState,
}

impl ListPage<'_> {
    fn overdue(&self, due: &str) -> bool {
        self.list.as_ref().is_some_and(|l| due < l.today.to_string().as_str())
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
    let result = match super::fgm::days_of(q.days.as_deref()) {
        Ok(days) => ending::endings(&state, &agent, days).await.map_err(WebError::from),
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
