//! The monthly allowance: `/reception/allowance` (the months paid, and the form that pays the
//! last month over) and `/reception/allowance/{month}.csv` (a paid month's payment file, whose
//! layout is documented in `docs/reception-payment-file.md`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use nansen_domain::reception::PayMonth;
use nansen_office::reception::allowance::{self, AllowanceRunLine};

use super::euros;
use crate::auth::{Agent, SignedForm};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reception/allowance", get(runs_page).post(run_submit))
        .route("/reception/allowance/{file}", get(file_download))
}

#[derive(Template)]
#[template(path = "reception/allowance.html")]
struct RunsPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    runs: Vec<AllowanceRunLine>,
    form: FormState,
    /// The last month over: what the form proposes.
    proposed: String,
    done: bool,
}

impl RunsPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn euros(&self, cents: &i64) -> String {
        euros(cents)
    }
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    form: FormState,
    done: bool,
    status: StatusCode,
) -> Response {
    match allowance::runs(state, agent).await.map_err(WebError::from) {
        Ok(runs) => {
            let today = state.today();
            let last = PayMonth::of(PayMonth::of(today).first_day().previous_day().unwrap_or(today));
            let page = RunsPage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                runs,
                form,
                proposed: last.to_string(),
                done,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn runs_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    show(&state, &headers, &agent, FormState::default(), q.contains_key("done"), StatusCode::OK).await
}

async fn run_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    match allowance::run(&state, &agent, &form.text("month")).await.map_err(WebError::from) {
        Ok(_) => Redirect::to("/reception/allowance?done=1").into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::Internal(_))) => error_page(&state, &headers, Some(&agent), &e),
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = super::refused("run", form.values(), &e, &tr);
            show(&state, &headers, &agent, refused, false, e.status()).await
        }
    }
}

async fn file_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(file): Path<String>,
) -> Response {
    let month = file.strip_suffix(".csv").unwrap_or(&file).to_owned();
    match allowance::file(&state, &agent, &month).await.map_err(WebError::from) {
        Ok((run, bytes)) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (header::CONTENT_DISPOSITION, format!("attachment; filename=\"ada-{}.csv\"", run.month)),
                (header::HeaderName::from_static("x-content-sha256"), run.sha256),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
