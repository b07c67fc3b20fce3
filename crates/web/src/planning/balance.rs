//! The division's workload balance (`/planning/balance`): proposals of which officer takes each
//! case waiting for assignment, each with its reason and a choice of another officer, accepted
//! by ticking them (JavaScript off); the officers' loads before and after; and demand against
//! interpreting capacity per language.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use nansen_office::planning::balance::{self, Accepted, BalanceView, Choice};

use crate::auth::{Agent, SignedForm};
use crate::forms::FormData;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "planning/balance.html")]
struct BalancePage<'a> {
    tr: crate::i18n::Tr<'a>,
    nav: Option<Nav>,
    view: BalanceView,
    form: FormState,
    accepted: Option<Accepted>,
    /// The cases ticked in a refused form, ticked again.
    ticked: Vec<String>,
}

impl BalancePage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    /// A figure with one decimal, in the agent's notation.
    fn num(&self, x: &f64) -> String {
        if !x.is_finite() {
            return "—".into();
        }
        let s = format!("{x:.1}");
        if self.tr.lang() == "fr" {
            s.replace('.', ",")
        } else {
            s
        }
    }

    /// The officer chosen for a case: as typed in a refused form, else the proposal.
    fn chosen(&self, case: &str, proposed: &str) -> String {
        self.form.values.get(&format!("officer_{case}")).cloned().unwrap_or_else(|| proposed.to_owned())
    }

    fn is_ticked(&self, case: &str) -> bool {
        self.ticked.iter().any(|c| c == case)
    }
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    form: FormState,
    accepted: Option<Accepted>,
    ticked: Vec<String>,
    status: StatusCode,
) -> Response {
    match balance::balance(state, agent).await.map_err(WebError::from) {
        Ok(view) => {
            let page = BalancePage {
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                accepted,
                ticked,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

pub(super) async fn balance_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    show(&state, &headers, &agent, FormState::default(), None, Vec::new(), StatusCode::OK).await
}

/// The ticked proposals, each with the officer chosen in its row.
pub(super) fn choices(form: &FormData) -> Vec<Choice> {
    form.all("accept")
        .into_iter()
        .map(|case| Choice { case: case.to_owned(), officer: form.text(&format!("officer_{case}")) })
        .collect()
}

pub(super) async fn balance_accept(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    match balance::accept(&state, &agent, choices(&form)).await.map_err(WebError::from) {
        Ok(accepted) => {
            show(&state, &headers, &agent, FormState::default(), Some(accepted), Vec::new(), StatusCode::OK).await
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = FormState::refused("accept", form.values(), &e, &tr);
            let ticked = form.all("accept").into_iter().map(str::to_owned).collect();
            show(&state, &headers, &agent, refused, None, ticked, e.status()).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
