//! The monthly statement of an interpreting firm (`/planning/statements`): a form (firm,
//! month) that reads by GET, so that a statement has an address to bookmark, and the
//! statement below it, interpreter by interpreter.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use nansen_domain::planning::{Firm, Statement};
use nansen_office::planning;
use serde::Deserialize;

use crate::auth::Agent;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

#[derive(Template)]
#[template(path = "planning/statements.html")]
struct StatementPage<'a> {
    tr: crate::i18n::Tr<'a>,
    nav: Option<Nav>,
    firms: Vec<Firm>,
    firm: String,
    month: String,
    form: FormState,
    statement: Option<Statement>,
}

impl StatementPage<'_> {
    fn euros(&self, cents: &i64) -> String {
        let sign = if *cents < 0 { "-" } else { "" };
        let c = cents.unsigned_abs();
        if self.tr.lang() == "fr" {
            format!("{sign}{},{:02} €", c / 100, c % 100)
        } else {
            format!("€{sign}{}.{:02}", c / 100, c % 100)
        }
    }

    fn hours(&self, h: &f64) -> String {
        let s = format!("{h:.2}");
        if self.tr.lang() == "fr" {
            s.replace('.', ",")
        } else {
            s
        }
    }
}

#[derive(Deserialize, Default)]
pub struct StatementQuery {
    firm: Option<String>,
    month: Option<String>,
}

/// The month before today's, `YYYY-MM`: the one a statement is usually asked for.
fn last_month(today: time::Date) -> String {
    let first = today.replace_day(1).unwrap_or(today);
    let last = first.previous_day().unwrap_or(first);
    format!("{}-{:02}", last.year(), u8::from(last.month()))
}

pub(super) async fn statement_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<StatementQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let register = match planning::register(&state, &agent).await.map_err(WebError::from) {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&agent), &e),
    };
    let month = q.month.clone().filter(|m| !m.trim().is_empty()).unwrap_or_else(|| last_month(state.today()));
    let firm = q.firm.clone().unwrap_or_default();
    let mut form = FormState::default();
    let mut statement = None;
    let mut status = StatusCode::OK;
    if q.firm.is_some() {
        match planning::statement(&state, &agent, &firm, &month).await.map_err(WebError::from) {
            Ok(s) => statement = Some(s),
            Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
                return error_page(&state, &headers, Some(&agent), &e)
            }
            Err(e) => {
                status = e.status();
                let values = [("firm".to_owned(), firm.clone()), ("month".to_owned(), month.clone())].into();
                form = FormState::refused("statement", values, &e, &tr);
            }
        }
    }
    let page = StatementPage { tr, nav: Some(nav(&agent)), firms: register.firms, firm, month, form, statement };
    (status, render(&page)).into_response()
}
