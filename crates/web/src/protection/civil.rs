//! Civil status in the workbench (`/civil`: the register searched by number or name;
//! `/cases/{n}/civil`: a protected person's acts, with the forms to draw up an act, add a
//! mention and issue a certified copy) and the public verification of a copy (`/verify/{id}`,
//! and a PDF handed to `/verify`). Pages work without JavaScript; an error is shown next to its
//! field, in the agent's language.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::person::{BirthDate, Name, Sex};
use nansen_domain::protection::{
    copy_is_current, parse_partial, ActFacts, ActKind, ActNumber, CivilAct, MentionKind, NewMention, Party,
};
use nansen_office::protection::civil::{self, ActLine, CivilOp, CivilView, RegisterQuery, Verdict};
use serde::Deserialize;

use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/civil", get(register_page))
        .route("/cases/{number}/civil", get(civil_page))
        .route("/cases/{number}/civil/{step}", post(step_submit))
}

/// The public verification: no session, no cookie.
pub fn public_routes() -> Router<AppState> {
    Router::new().route("/verify", get(verify_form).post(verify_upload)).route("/verify/{id}", get(verify_link))
}

/// The steps of civil status, as the forms name them.
pub const STEPS: [&str; 4] = ["act", "mention", "copy", "family_book"];

/// A name from its two inputs: `{field}` in Latin letters and `{field}_original` in its script
/// (the Latin form when left blank: a name written in Latin letters).
fn name_of(get: &dyn Fn(&str) -> String, field: &'static str) -> Result<Name, WebError> {
    let latin = get(field).trim().to_owned();
    let original = get(&format!("{field}_original")).trim().to_owned();
    if latin.is_empty() && !original.is_empty() {
        return Err(WebError::field(field, "give the name in Latin letters too"));
    }
    Ok(if original.is_empty() { Name::latin_only(latin) } else { Name::new(original, latin) })
}

fn partial(get: &dyn Fn(&str) -> String, field: &'static str) -> Result<BirthDate, WebError> {
    parse_partial(field, &get(field)).map_err(WebError::Domain)
}

fn party(get: &dyn Fn(&str) -> String, names: &'static [&'static str; 3]) -> Result<Option<Party>, WebError> {
    let family_name = name_of(get, names[0])?;
    let given_names = name_of(get, names[1])?;
    let born_on = partial(get, names[2])?;
    if family_name.latin.is_empty() && given_names.latin.is_empty() && born_on == BirthDate::Unknown {
        return Ok(None);
    }
    Ok(Some(Party { family_name, given_names, born_on }))
}

pub(crate) fn act_kind(s: &str) -> Result<ActKind, WebError> {
    ActKind::parse(s.trim()).ok_or_else(|| WebError::field("kind", "birth, marriage or death"))
}

pub(crate) fn mention_kind(s: &str) -> Result<MentionKind, WebError> {
    MentionKind::parse(s.trim()).ok_or_else(|| WebError::field("kind", "marriage, divorce, death or correction"))
}

pub(crate) fn act_number(s: &str) -> Result<ActNumber, WebError> {
    ActNumber::parse(s).map_err(WebError::Domain)
}

pub(crate) fn sex(s: &str) -> Result<Sex, WebError> {
    match s.trim() {
        "" | "unspecified" => Ok(Sex::Unspecified),
        "female" => Ok(Sex::Female),
        "male" => Ok(Sex::Male),
        _ => Err(WebError::field("sex", "female, male or unspecified")),
    }
}

/// The facts of a new act from named values (the form's, or the API's flattened body).
pub(crate) fn facts_of(get: &dyn Fn(&str) -> String) -> Result<(ActKind, ActFacts), WebError> {
    let kind = act_kind(&get("kind"))?;
    let person = get("person").trim().parse::<u16>().map_err(|_| WebError::field("person", "choose a person"))?;
    let facts = ActFacts {
        person,
        family_name: name_of(get, "family_name")?,
        given_names: name_of(get, "given_names")?,
        sex: sex(&get("sex"))?,
        born_on: partial(get, "born_on")?,
        event_on: partial(get, "event_on")?,
        place: name_of(get, "place")?,
        father: party(get, &["father_family_name", "father_given_names", "father_born_on"])?,
        mother: party(get, &["mother_family_name", "mother_given_names", "mother_born_on"])?,
        spouse: party(get, &["spouse_family_name", "spouse_given_names", "spouse_born_on"])?,
    };
    Ok((kind, facts))
}

fn documents_of(s: &str) -> Result<Vec<u32>, WebError> {
    s.split([',', ' '])
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.trim().parse::<u32>().map_err(|_| WebError::field("documents", "document numbers, separated by commas"))
        })
        .collect()
}

/// A step from its form.
fn op_of(step: &str, form: &FormData) -> Result<CivilOp, WebError> {
    let get = |name: &str| form.text(name);
    Ok(match step {
        "act" => {
            let (kind, facts) = facts_of(&get)?;
            CivilOp::DrawUp { kind, facts: Box::new(facts), documents: documents_of(&form.text("documents"))? }
        }
        "mention" => CivilOp::Mention {
            act: act_number(&form.text("act"))?,
            mention: NewMention {
                kind: mention_kind(&form.text("kind"))?,
                on: forms::date("on", form.get("on").unwrap_or_default())?,
                text: form.text("text"),
            },
        },
        "copy" => CivilOp::Copy { act: act_number(&form.text("act"))? },
        "family_book" => CivilOp::FamilyBook,
        other => return Err(WebError::NotFound(format!("step {other:?}"))),
    })
}

/// A person of the case, as the form's choice shows it.
struct PersonChoice {
    index: usize,
    role: String,
    name: String,
    original: String,
    birth: String,
}

#[derive(Template)]
#[template(path = "protection/civil.html")]
struct CivilPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: CivilView,
    persons: Vec<PersonChoice>,
    form: FormState,
    done: Option<String>,
    /// The act a step just concerned (its card is marked).
    focus: String,
    /// The form whose error is shown: "act", or "mention-EC-…".
    failed: String,
}

impl CivilPage<'_> {
    fn act_title(&self, a: &CivilAct) -> String {
        format!("{} {}", self.tr.t(&format!("act-kind-{}", a.kind.as_str())), a.number)
    }

    fn date(&self, d: &BirthDate) -> String {
        match d {
            BirthDate::Unknown => self.tr.t("civil-unknown"),
            BirthDate::Exact(d) => d.to_string(),
            BirthDate::YearMonth { year, month } => format!("{year:04}-{month:02}"),
            BirthDate::Year(y) => format!("{y:04}"),
        }
    }

    fn person_name(&self, i: &u16) -> String {
        self.persons.get(usize::from(*i)).map(|p| p.name.clone()).unwrap_or_default()
    }

    fn current(&self, a: &CivilAct, version: &u32) -> bool {
        copy_is_current(a, *version)
    }

    /// A field's error, when the form that failed is `form`.
    fn err_in(&self, form: &str, field: &str) -> Option<String> {
        if self.failed == form {
            self.form.err(field)
        } else {
            None
        }
    }

    /// A field's value as typed in the form that failed, if it is `form`.
    fn v_in(&self, form: &str, field: &str) -> String {
        if self.failed == form {
            self.form.v(field)
        } else {
            String::new()
        }
    }

    fn mention_form(&self, a: &CivilAct) -> String {
        format!("mention-{}", a.number)
    }
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
    act: Option<String>,
}

fn person_choices(view: &CivilView, tr: &Tr) -> Vec<PersonChoice> {
    view.case
        .persons()
        .into_iter()
        .enumerate()
        .map(|(index, p)| PersonChoice {
            index,
            role: tr.t(&format!(
                "family-role-{}",
                serde_json::to_value(p.role).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
            )),
            name: format!("{} {}", p.family_name.latin, p.given_names.latin),
            original: format!("{} {}", p.family_name.original, p.given_names.original),
            birth: match p.birth_date {
                BirthDate::Unknown => String::new(),
                BirthDate::Exact(d) => d.to_string(),
                BirthDate::YearMonth { year, month } => format!("{year:04}-{month:02}"),
                BirthDate::Year(y) => format!("{y:04}"),
            },
        })
        .collect()
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
    focus: String,
    status: StatusCode,
) -> Response {
    match civil::read_civil_status(state, agent, number).await.map_err(WebError::from) {
        Ok(view) => {
            let tr = state.i18n().tr(lang_of(state, headers));
            let persons = person_choices(&view, &tr);
            let page = CivilPage {
                tr,
                nav: Some(nav(agent)),
                view,
                persons,
                form,
                done: done.filter(|d| STEPS.contains(&d.as_str())),
                focus,
                failed,
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn civil_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(number): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let focus = q.act.unwrap_or_default();
    show(&state, &headers, &agent, &number, FormState::default(), String::new(), q.done, focus, StatusCode::OK).await
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((number, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match op_of(&step, &form) {
        Ok(op) => civil::act_on_civil_status(&state, &agent, &number, op).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(outcome) => {
            let act = outcome.act;
            Redirect::to(&format!("/cases/{number}/civil?done={step}&act={act}#act-{act}")).into_response()
        }
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let failed = match step.as_str() {
                "mention" => format!("mention-{}", form.text("act").trim().to_uppercase()),
                other => other.to_owned(),
            };
            let state_of_form = FormState::refused(step.clone(), form.values(), &e, &tr);
            show(&state, &headers, &agent, &number, state_of_form, failed, None, String::new(), e.status()).await
        }
    }
}

// ---- the register ----------------------------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct RegisterParams {
    pub number: Option<String>,
    pub name: Option<String>,
    pub year: Option<String>,
    pub kind: Option<String>,
}

/// The register's query from its optional parameters; a bad value is an error next to its field.
pub(crate) fn register_query(p: &RegisterParams) -> Result<RegisterQuery, WebError> {
    let opt = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let number = opt(&p.number).map(|n| act_number(&n)).transpose().map_err(|e| match e {
        WebError::Domain(d) => WebError::field("number", d.to_string()),
        other => other,
    })?;
    let year = opt(&p.year)
        .map(|y| y.parse::<i32>().ok().filter(|y| (1952..=9999).contains(y)).ok_or(()))
        .transpose()
        .map_err(|_| WebError::field("year", "a year like 2026"))?;
    let kind = opt(&p.kind).map(|k| act_kind(&k).map(|k| k.as_str().to_owned())).transpose()?;
    Ok(RegisterQuery { number, name: opt(&p.name), year, kind })
}

#[derive(Template)]
#[template(path = "protection/register.html")]
struct RegisterPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    lines: Option<Vec<ActLine>>,
    values: HashMap<String, String>,
    form: FormState,
    kinds: Vec<&'static str>,
}

impl RegisterPage<'_> {
    fn v(&self, name: &str) -> String {
        self.values.get(name).cloned().unwrap_or_default()
    }
}

async fn register_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<RegisterParams>,
) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let mut values = HashMap::new();
    for (k, v) in [("number", &q.number), ("name", &q.name), ("year", &q.year), ("kind", &q.kind)] {
        values.insert(k.to_owned(), v.clone().unwrap_or_default());
    }
    let mut page = RegisterPage {
        tr,
        nav: Some(nav(&agent)),
        lines: None,
        values,
        form: FormState::default(),
        kinds: ActKind::ALL.iter().map(ActKind::as_str).collect(),
    };
    let result = match register_query(&q) {
        Ok(query) => civil::register(&state, &agent, &query).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        // A number found: straight to its act.
        Ok(lines) if q.number.as_deref().is_some_and(|n| !n.trim().is_empty()) && lines.len() == 1 => {
            let l = &lines[0];
            Redirect::to(&format!("/cases/{}/civil?act={}#act-{}", l.case_number, l.number, l.number)).into_response()
        }
        Ok(lines) => {
            page.lines = Some(lines);
            render(&page)
        }
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            page.form = FormState::refused("register", Default::default(), &e, &page.tr);
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

// ---- public verification ----------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "protection/verify.html")]
struct VerifyPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    verdict: Option<Verdict>,
    /// "link" or "file": how the copy was checked.
    by: &'static str,
    error: Option<String>,
}

impl VerifyPage<'_> {
    fn kind_name(&self, k: &str) -> String {
        self.tr.t(&format!("act-kind-{k}"))
    }
}

#[derive(Deserialize)]
pub struct SealQuery {
    seal: Option<String>,
}

fn verify_response(
    state: &AppState,
    headers: &HeaderMap,
    verdict: Option<Verdict>,
    by: &'static str,
    error: Option<String>,
) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    let status = match (&verdict, &error) {
        (_, Some(_)) => StatusCode::UNPROCESSABLE_ENTITY,
        (Some(Verdict::Unknown), _) => StatusCode::NOT_FOUND,
        _ => StatusCode::OK,
    };
    (status, render(&VerifyPage { tr, nav: None, verdict, by, error })).into_response()
}

async fn verify_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    verify_response(&state, &headers, None, "file", None)
}

async fn verify_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(q): Query<SealQuery>,
) -> Response {
    match civil::verify_copy(&state, &id, q.seal.as_deref().unwrap_or_default()).await {
        Ok(v) => verify_response(&state, &headers, Some(v), "link", None),
        Err(e) => error_page(&state, &headers, None, &WebError::from(e)),
    }
}

/// The most a handed copy may weigh.
pub const VERIFY_MAX_BYTES: usize = 5 * 1024 * 1024;

async fn verify_upload(State(state): State<AppState>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let mut bytes = None;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => match field.bytes().await {
                Ok(b) => bytes = Some(b),
                Err(_) => break,
            },
            Ok(Some(_)) => continue,
            _ => break,
        }
    }
    let Some(bytes) = bytes.filter(|b| !b.is_empty()) else {
        return verify_response(&state, &headers, None, "file", Some(tr.t("verify-no-file")));
    };
    if !bytes.starts_with(b"%PDF-") {
        return verify_response(&state, &headers, None, "file", Some(tr.t("verify-not-pdf")));
    }
    match civil::verify_file(&state, &bytes).await {
        Ok(v) => verify_response(&state, &headers, Some(v), "file", None),
        Err(e) => error_page(&state, &headers, None, &WebError::from(e)),
    }
}
