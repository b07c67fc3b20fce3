//! Research requests in the workbench: the officer's question from the case page (after a look
//! at what the library already says), the research division's queue, and a request's page with
//! its steps (take, answer with cited passages, review, withdraw). Plain forms: no JavaScript.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use nansen_office::research::{self, AskForm, LibraryHit, Queue, RequestLine, RequestStatus, RequestStep, RequestView};

use crate::auth::{Agent, SignedForm};
use crate::forms::FormData;
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases/{number}/research", get(ask_page).post(ask_submit))
        .route("/research", get(queue_page))
        .route("/research/requests/{id}", get(request_page).post(request_submit))
}

/// The words of a status, for the lists.
pub(crate) fn status_key(status: RequestStatus) -> String {
    format!("research-status-{}", status.code())
}

/// A question as the form sends it.
pub(crate) fn ask_form(form: &FormData) -> Result<AskForm, WebError> {
    let needed_by = match form.text("needed_by").trim() {
        "" => None,
        v => Some(crate::forms::date("needed_by", v)?),
    };
    Ok(AskForm {
        question: form.text("question"),
        facts: form.text("facts"),
        countries: form
            .all("countries")
            .into_iter()
            .flat_map(|v| v.split([',', ' ']))
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
        topics: form.all("topics").into_iter().map(str::to_owned).collect(),
        needed_by,
    })
}

#[derive(Template)]
#[template(path = "research/ask.html")]
struct AskPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    number: String,
    topics: Vec<(String, String, String)>,
    form: FormState,
    /// What the library already says, once checked.
    earlier: Option<Vec<LibraryHit>>,
}

impl AskPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn topic_label(&self, t: &(String, String, String)) -> String {
        super::label(&self.tr, t)
    }

    fn topic_chosen(&self, code: &str) -> bool {
        self.form.v("topics").split(' ').any(|t| t == code)
    }

    fn kind_label(&self, kind: &str) -> String {
        super::kind_label(&self.tr, kind)
    }
}

async fn ask_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
) -> Response {
    let page = AskPage {
        tr: state.i18n().tr(lang_of(&state, &headers)),
        nav: Some(nav(&agent)),
        number,
        topics: research::vocabulary(&state).topics,
        form: FormState::default(),
        earlier: None,
    };
    render(&page)
}

async fn ask_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let check = form.text("step") == "check";
    let outcome: Result<Option<String>, WebError> = async {
        let asked = ask_form(&form)?;
        if check {
            return Ok(None);
        }
        Ok(Some(research::requests::ask(&state, &agent, &number, asked).await?))
    }
    .await;
    let mut values = form.values();
    values.insert("topics".into(), form.all("topics").join(" "));
    let (form_state, earlier, status) = match outcome {
        Ok(Some(id)) => return Redirect::to(&format!("/research/requests/{id}")).into_response(),
        Ok(None) => {
            let asked = ask_form(&form).unwrap_or_default();
            match research::requests::already_answered(&state, &agent, &asked).await {
                Ok(hits) => (FormState { values, ..FormState::default() }, Some(hits), axum::http::StatusCode::OK),
                Err(e) => {
                    let e = WebError::from(e);
                    let refused = FormState::refused("ask", values, &e, &tr);
                    let status = e.status();
                    (refused, None, status)
                }
            }
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let status = e.status();
            (FormState::refused("ask", values, &e, &tr), None, status)
        }
        Err(e) => return error_page(&state, &headers, Some(&agent), &e),
    };
    let page = AskPage {
        tr,
        nav: Some(nav(&agent)),
        number,
        topics: research::vocabulary(&state).topics,
        form: form_state,
        earlier,
    };
    (status, render(&page)).into_response()
}

#[derive(Template)]
#[template(path = "research/queue.html")]
struct QueuePage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    queue: Queue,
}

impl QueuePage<'_> {
    fn status(&self, line: &RequestLine) -> String {
        self.tr.t(&status_key(line.status))
    }

    /// The sections of the queue, in the order a research assistant works through them.
    fn sections(&self) -> Vec<(&'static str, &'static str, &Vec<RequestLine>)> {
        vec![
            ("mine", "research-mine", &self.queue.mine),
            ("to-review", "research-to-review", &self.queue.to_review),
            ("to-take", "research-to-take", &self.queue.to_take),
            ("in-review", "research-in-review", &self.queue.in_review),
            ("others", "research-others", &self.queue.others),
            ("published", "research-published", &self.queue.published),
        ]
    }
}

async fn queue_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    match research::requests::queue(&state, &agent).await {
        Ok(queue) => {
            render(&QueuePage { tr: state.i18n().tr(lang_of(&state, &headers)), nav: Some(nav(&agent)), queue })
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &WebError::from(e)),
    }
}

#[derive(Template)]
#[template(path = "research/request.html")]
struct RequestPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: RequestView,
    form: FormState,
}

impl RequestPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn status(&self) -> String {
        self.tr.t(&status_key(self.view.line.status))
    }

    /// A version's first hex digits, enough to tell versions apart on screen.
    fn short(&self, hash: &str) -> String {
        hash.chars().take(12).collect()
    }

    /// The answer's text as typed when the form failed, else as recorded (sent back: to amend).
    fn answer_value(&self) -> String {
        if self.form.form == "answer" {
            self.form.v("text")
        } else {
            self.view.answer.clone().unwrap_or_default()
        }
    }

    fn citations_value(&self) -> String {
        if self.form.form == "answer" {
            self.form.v("citations")
        } else {
            self.view
                .citations
                .iter()
                .map(|c| format!("{}#{} {}", c.citation.document, c.citation.passage, c.citation.quote))
                .collect::<Vec<_>>()
                .join("\n")
        }
    }
}

async fn request_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
) -> Response {
    match research::requests::request(&state, &agent, &id).await {
        Ok(view) => render(&RequestPage {
            tr: state.i18n().tr(lang_of(&state, &headers)),
            nav: Some(nav(&agent)),
            view,
            form: FormState::default(),
        }),
        Err(e) => error_page(&state, &headers, Some(&agent), &WebError::from(e)),
    }
}

/// A step as the request page's forms send it.
pub(crate) fn step_of(form: &FormData) -> Result<RequestStep, WebError> {
    match form.text("step").as_str() {
        "take" => Ok(RequestStep::Take),
        "answer" => Ok(RequestStep::Answer { text: form.text("text"), citations: form.text("citations") }),
        "approve" => Ok(RequestStep::Review { approve: true, remarks: String::new() }),
        "send_back" => Ok(RequestStep::Review { approve: false, remarks: form.text("remarks") }),
        "withdraw" => Ok(RequestStep::Withdraw),
        other => Err(WebError::field("step", format!("no step {other:?}"))),
    }
}

async fn request_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    SignedForm(form): SignedForm,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let step = form.text("step");
    let outcome: Result<(), WebError> = async {
        research::requests::act(&state, &agent, &id, step_of(&form)?).await?;
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) if step == "withdraw" || step == "approve" || step == "send_back" => {
            let back = if step == "withdraw" { format!("/research/requests/{id}") } else { "/research".to_owned() };
            Redirect::to(&back).into_response()
        }
        Ok(()) => Redirect::to(&format!("/research/requests/{id}")).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let which = if step == "send_back" || step == "approve" { "review".to_owned() } else { step };
            let refused = FormState::refused(which, form.values(), &e, &tr);
            match research::requests::request(&state, &agent, &id).await {
                Ok(view) => {
                    let page = RequestPage { tr, nav: Some(nav(&agent)), view, form: refused };
                    (e.status(), render(&page)).into_response()
                }
                Err(other) => error_page(&state, &headers, Some(&agent), &WebError::from(other)),
            }
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
