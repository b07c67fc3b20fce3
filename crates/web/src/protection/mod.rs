//! The protection workspace in the workbench: the legal consultants' appeals (`/appeals`: the
//! appeals before the court and the hearings' calendar; `/cases/{n}/appeal`: one appeal, with a
//! form per step), the civil registrars' civil status (`civil.rs`) and the API
//! (`/api/v1/appeals`, `/api/v1/cases/{n}/appeal`, `civil_api.rs`). Pages work without
//! JavaScript; an error is shown next to its field, in the agent's language.

pub mod api;
pub mod civil;
pub mod civil_api;
pub mod ending;
pub mod ending_api;
pub mod fgm;
pub mod fgm_api;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::lifecycle::CourtOutcome;
use nansen_domain::protection::{CassationParty, Chamber, Formation};
use nansen_office::protection::{self as appeals, AppealOp, AppealView, AppealsView};
use serde::Deserialize;
use time::Date;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, DeadlineLine, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/appeals", get(list_page))
        .route("/cases/{number}/appeal", get(appeal_page))
        .route("/cases/{number}/appeal/{step}", post(step_submit))
        .merge(civil::routes())
        .merge(fgm::routes())
        .merge(ending::routes())
}

/// The steps of an appeal, as the forms and the API name them.
pub const STEPS: [&str; 9] = [
    "legal_aid_request",
    "legal_aid_decision",
    "notice",
    "hearing",
    "ruling",
    "cassation",
    "defence",
    "review",
    "send",
];

pub(crate) fn formation(field: &str, s: &str) -> Result<Formation, WebError> {
    Formation::parse(s.trim()).ok_or_else(|| WebError::field(field, "single_judge or panel"))
}

pub(crate) fn outcome(s: &str) -> Result<CourtOutcome, WebError> {
    CourtOutcome::parse(s.trim()).ok_or_else(|| {
        WebError::field(
            "outcome",
            "appeal_rejected, refugee_status_granted, subsidiary_protection_granted or decision_annulled",
        )
    })
}

pub(crate) fn party(s: &str) -> Result<CassationParty, WebError> {
    CassationParty::parse(s.trim()).ok_or_else(|| WebError::field("by", "office or applicant"))
}

/// A step of an appeal from its form.
fn op_of(step: &str, form: &FormData) -> Result<AppealOp, WebError> {
    let date = |field: &str| forms::date(field, form.get(field).unwrap_or_default());
    Ok(match step {
        "legal_aid_request" => AppealOp::RequestLegalAid { on: date("on")? },
        "legal_aid_decision" => AppealOp::DecideLegalAid { on: date("on")? },
        "notice" => AppealOp::Notice {
            on: date("on")?,
            court_reference: form.text("court_reference"),
            formation: formation("formation", &form.text("formation"))?,
            department: form.text("department"),
        },
        "hearing" => AppealOp::Hearing {
            on: date("hearing_on")?,
            notified_on: date("notified_on")?,
            formation: formation("hearing_formation", &form.text("hearing_formation"))?,
        },
        "ruling" => AppealOp::Ruling { on: date("ruled_on")?, outcome: outcome(&form.text("outcome"))? },
        "cassation" => AppealOp::Cassation { on: date("cassation_on")?, by: party(&form.text("by"))? },
        "defence" => AppealOp::DraftDefence { text: form.text("text") },
        "review" => AppealOp::ReviewDefence {
            approve: form.get("decision") == Some("approve"),
            comments: form.text("comments"),
        },
        "send" => AppealOp::SendDefence { on: date("sent_on")? },
        other => return Err(WebError::NotFound(format!("step {other:?}"))),
    })
}

#[derive(Template)]
#[template(path = "protection/appeal.html")]
struct AppealPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: AppealView,
    deadlines: Vec<DeadlineLine>,
    today: Date,
    form: FormState,
    done: Option<String>,
    outcomes: Vec<&'static str>,
}

impl AppealPage<'_> {
    /// Whether the last day to go to the Conseil d'État has passed.
    fn cassation_overdue(&self, due: &Date) -> bool {
        *due < self.today
    }

    fn chamber_name(&self, c: &Chamber) -> String {
        self.tr.t(&format!("chamber-{}", c.as_str()))
    }

    fn formation_name(&self, f: &Formation) -> String {
        self.tr.t(&format!("formation-{}", f.as_str()))
    }

    fn outcome_name(&self, o: &str) -> String {
        self.tr.t(&format!("court-outcome-{o}"))
    }

    fn ruling_name(&self) -> Option<String> {
        let r = self.view.case.court_ruling.as_ref()?;
        Some(format!("{} ({})", self.outcome_name(r.outcome.as_str()), r.on))
    }

    /// The defence's text in the form: as typed when the form failed, the defence on file, or the
    /// outline drawn from the decision.
    fn defence_text(&self) -> String {
        if self.form.form == "defence" {
            return self.form.v("text");
        }
        self.view
            .case
            .appeal
            .as_ref()
            .and_then(|a| a.defence.as_ref())
            .map(|d| d.text.clone())
            .unwrap_or_else(|| self.view.outline.clone())
    }

    fn today_value(&self, field: &str) -> String {
        let v = self.form.v(field);
        if v.is_empty() {
            self.today.to_string()
        } else {
            v
        }
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn show_appeal(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    number: &str,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match appeals::read_appeal(state, agent, number).await.map_err(WebError::from) {
        Ok(view) => {
            let tr = state.i18n().tr(lang_of(state, headers));
            let deadlines = view.deadlines.iter().map(|d| DeadlineLine::of(d, &tr, state.today())).collect();
            let page = AppealPage {
                tr,
                nav: Some(nav(agent)),
                view,
                deadlines,
                today: state.today(),
                form,
                done: done.filter(|d| STEPS.contains(&d.as_str())),
                outcomes: CourtOutcome::ALL.iter().map(CourtOutcome::as_str).collect(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn appeal_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show_appeal(&state, &headers, &agent, &number, FormState::default(), q.done, StatusCode::OK).await
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match op_of(&step, &form) {
        Ok(op) => appeals::act_on_appeal(&state, &agent, &number, op).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(v) if v.readable => Redirect::to(&format!("/cases/{number}/appeal?done={step}")).into_response(),
        // Sent back to the office: the case has left the consultant's reach.
        Ok(_) => Redirect::to("/appeals?done=sent_back").into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let failed = FormState::refused(step.clone(), form.values(), &e, &tr);
            show_appeal(&state, &headers, &agent, &number, failed, None, e.status()).await
        }
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    done: Option<String>,
    chamber: Option<String>,
    from: Option<String>,
    until: Option<String>,
}

#[derive(Template)]
#[template(path = "protection/appeals.html")]
struct ListPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: Option<AppealsView>,
    today: String,
    chamber: String,
    chambers: Vec<(String, String)>,
    from: String,
    until: String,
    form: FormState,
    /// A ruling just sent a case back to the office.
    sent_back: bool,
}

impl ListPage<'_> {
    fn overdue(&self, due: &Option<String>) -> bool {
        due.as_ref().is_some_and(|d| d.as_str() < self.today.as_str())
    }

    fn chamber_name(&self, c: &Option<String>) -> String {
        c.as_deref().map(|c| self.tr.t(&format!("chamber-{c}"))).unwrap_or_else(|| "—".into())
    }

    /// `accelerated:safe_country_of_origin` as the workbench names it.
    fn procedure_name(&self, p: &str) -> String {
        self.tr.t(&format!("procedure-{}", p.replace(':', "-")))
    }
}

/// The list's chamber and period, each optional.
pub(crate) type ListParams = (Option<String>, Option<Date>, Option<Date>);

/// Parses the list's optional dates and chamber; a bad value is an error next to its field.
pub(crate) fn list_params(
    chamber: Option<&str>,
    from: Option<&str>,
    until: Option<&str>,
) -> Result<ListParams, WebError> {
    let opt = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let from = opt(from).map(|v| forms::date("from", &v)).transpose()?;
    let until = opt(until).map(|v| forms::date("until", &v)).transpose()?;
    Ok((opt(chamber), from, until))
}

async fn list_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<ListQuery>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let chambers =
        Chamber::ALL.iter().map(|c| (c.as_str().to_owned(), tr.t(&format!("chamber-{}", c.as_str())))).collect();
    let mut page = ListPage {
        nav: Some(nav(&agent)),
        view: None,
        today: state.today().to_string(),
        chamber: q.chamber.clone().unwrap_or_default(),
        chambers,
        from: q.from.clone().unwrap_or_default(),
        until: q.until.clone().unwrap_or_default(),
        form: FormState::default(),
        sent_back: q.done.as_deref() == Some("sent_back"),
        tr,
    };
    let result = match list_params(q.chamber.as_deref(), q.from.as_deref(), q.until.as_deref()) {
        Ok((chamber, from, until)) => {
            appeals::appeals(&state, &agent, chamber.as_deref(), from, until).await.map_err(WebError::from)
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(view) => {
            page.from = view.from.to_string();
            page.until = view.to.to_string();
            page.view = Some(view);
            render(&page)
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            page.form = FormState::refused("calendar", Default::default(), &e, &page.tr);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
