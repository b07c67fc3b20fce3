//! The weekly regional orientation: `/reception/orientation` shows the director's region
//! against its share, the proposals made and their outcomes, and the ex-post figures per
//! destination region; its form runs the week's plan (HiGHS) and shows what it did, including
//! what could not be placed and why.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use nansen_office::reception::orientation::{self, Overview, RunReport};

use crate::auth::{Agent, SignedForm};
use crate::forms;
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new().route("/reception/orientation", get(page).post(run_submit))
}

#[derive(Template)]
#[template(path = "reception/orientation.html")]
struct OrientationPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: Overview,
    report: Option<RunReport>,
    form: FormState,
}

impl OrientationPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn permille(&self, p: &u32) -> String {
        format!("{:.1}", f64::from(*p) / 10.0)
    }

    fn contest_by(&self) -> String {
        let typed = self.form.v_in("run", "contest_by");
        if typed.is_empty() {
            self.view.contest_by.to_string()
        } else {
            typed
        }
    }
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    report: Option<RunReport>,
    form: FormState,
    status: StatusCode,
) -> Response {
    match orientation::overview(state, agent).await.map_err(WebError::from) {
        Ok(view) => {
            let page = OrientationPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                report,
                form,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    show(&state, &headers, &agent, None, FormState::default(), StatusCode::OK).await
}

async fn run_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match forms::date("contest_by", form.text("contest_by").trim()) {
        Ok(d) => orientation::run(&state, &agent, d).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(report) => show(&state, &headers, &agent, Some(report), FormState::default(), StatusCode::OK).await,
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let form = super::refused("run", form.values(), &e, &tr);
            show(&state, &headers, &agent, None, form, e.status()).await
        }
    }
}
