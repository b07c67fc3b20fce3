//! The single window's pages: `/reception` (the region's households, searched and filtered),
//! `/reception/households/new` (register a household), `/reception/households/{id}` (members,
//! vulnerability, the doctor's opinion, the offer, stays, the allowance's statements) with a form
//! per step.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use nansen_domain::reception::{
    AllowanceDecision, AllowanceMeasure, Assessment, AsylumProcedure, LeaveReason, MedicalOpinion, MedicalPriority,
    Need, Offer, Period, Relationship, Statement, VulnerabilityKind,
};
use nansen_office::reception::{self, orientation, HouseholdLine, HouseholdQuery, HouseholdView, NewHouseholdForm};
use serde::Deserialize;

use super::{euros, MemberInput, MEMBER_ROWS};
use crate::auth::{Agent, SignedForm};
use crate::forms::{self, FormData};
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reception", get(list_page))
        .route("/reception/households/new", get(new_page))
        .route("/reception/households", post(register_submit))
        .route("/reception/households/{id}", get(household_page))
        .route("/reception/households/{id}/{step}", post(step_submit))
        .route("/reception/households/{id}/letters/{n}", get(letter_download))
}

/// The steps of a household's page, as the forms name them.
pub const STEPS: [&str; 12] = [
    "assess",
    "medical",
    "offer",
    "arrive",
    "leave",
    "allowance",
    "contest",
    "decide_contest",
    "refuse",
    "no_show",
    "observations",
    "decide_ending",
];

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    filter: Option<String>,
}

#[derive(Template)]
#[template(path = "reception/households.html")]
struct ListPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    rows: Vec<HouseholdLine>,
    q: String,
    filter: String,
    may_register: bool,
    region: String,
}

async fn list_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Query(q): Query<ListQuery>,
) -> Response {
    let filter = q.filter.clone().unwrap_or_default();
    let query = HouseholdQuery {
        text: q.q.clone(),
        awaits_doctor: filter == "doctor",
        waiting_place: filter == "waiting",
        limit: 200,
        ..Default::default()
    };
    match reception::households(&state, &agent, query).await.map_err(WebError::from) {
        Ok(rows) => render(&ListPage {
            tr: state.i18n().tr(lang_of(&state, &headers)),
            nav: Some(nav(&agent)),
            rows,
            q: q.q.unwrap_or_default(),
            filter,
            may_register: reception::may_register(&state, &agent),
            region: reception::agent_unit(&agent).unwrap_or_default().to_owned(),
        }),
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "reception/register.html")]
struct RegisterPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    form: FormState,
    rows: Vec<usize>,
    relationships: Vec<&'static str>,
    procedures: Vec<&'static str>,
}

impl RegisterPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn row_field(&self, part: &str, i: &usize) -> String {
        format!("member_{part}_{i}")
    }

    fn rv(&self, part: &str, i: &usize) -> String {
        self.form.v(&self.row_field(part, i))
    }

    fn rerr(&self, part: &str, i: &usize) -> Option<String> {
        self.form.err(&self.row_field(part, i))
    }
}

fn register_page<'a>(state: &'a AppState, headers: &HeaderMap, agent: &Agent, form: FormState) -> RegisterPage<'a> {
    RegisterPage {
        tr: state.i18n().tr(lang_of(state, headers)),
        nav: Some(nav(agent)),
        form,
        rows: (0..MEMBER_ROWS).collect(),
        relationships: Relationship::ALL.iter().filter(|r| **r != Relationship::Head).map(|r| r.as_str()).collect(),
        procedures: AsylumProcedure::ALL.iter().map(|p| p.as_str()).collect(),
    }
}

async fn new_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    if !reception::may_register(&state, &agent) {
        let e = WebError::Forbidden { action: "register_household", resource: "office".into() };
        return error_page(&state, &headers, Some(&agent), &e);
    }
    render(&register_page(&state, &headers, &agent, FormState::default()))
}

/// The registration form's members: every row typed (empty rows are left out).
fn members_of(form: &FormData) -> Result<Vec<nansen_domain::reception::Member>, WebError> {
    let mut members = Vec::new();
    for i in 0..MEMBER_ROWS {
        let get = |part: &str| form.text(&format!("member_{part}_{i}"));
        let input = MemberInput {
            family_name: get("family"),
            given_names: get("given"),
            family_name_original: get("family_original"),
            given_names_original: get("given_original"),
            sex: get("sex"),
            birth_date: get("birth"),
            relationship: if i == 0 { "head".into() } else { get("relationship") },
            foreigner_number: get("foreigner"),
        };
        if i > 0 && input.is_empty() {
            continue;
        }
        members.push(input.parse(i)?);
    }
    Ok(members)
}

pub(crate) fn registration_of(form: &FormData) -> Result<NewHouseholdForm, WebError> {
    Ok(NewHouseholdForm {
        case: Some(form.text("case")).filter(|c| !c.trim().is_empty()),
        procedure: super::procedure(&form.text("procedure"))?,
        language: form.text("language"),
        address: form.text("address"),
        members: members_of(form)?,
    })
}

async fn register_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match registration_of(&form) {
        Ok(f) => reception::register(&state, &agent, f).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => Redirect::to(&format!("/reception/households/{id}?done=register")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::Internal(_))) => error_page(&state, &headers, Some(&agent), &e),
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let form = super::refused("register", form.values(), &e, &tr);
            let status = e.status();
            (status, render(&register_page(&state, &headers, &agent, form))).into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "reception/household.html")]
struct HouseholdPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: HouseholdView,
    form: FormState,
    done: Option<String>,
    kinds: Vec<&'static str>,
    priorities: Vec<&'static str>,
    reasons: Vec<&'static str>,
    /// The household's language among the letters' (the portal's six), for the orientation's
    /// reasons; its direction.
    theirs: &'static str,
    their_dir: &'static str,
}

impl HouseholdPage<'_> {
    /// A reason of a proposal in `tr`'s language.
    fn reason_in(&self, tr: &Tr, r: &nansen_domain::reception::Reason) -> String {
        use nansen_domain::reception::Reason;
        let key = format!("orientation-reason-{}", r.code());
        match r {
            Reason::RegionAboveShare { region, demand_permille, share_permille } => tr.ta(
                &key,
                &[
                    ("region", region),
                    ("demand", &format!("{:.1}", f64::from(*demand_permille) / 10.0)),
                    ("share", &format!("{:.1}", f64::from(*share_permille) / 10.0)),
                ],
            ),
            Reason::Together { persons } => tr.ta(&key, &[("persons", &persons.to_string())]),
            Reason::Distance { km } => tr.ta(&key, &[("km", &km.to_string())]),
            Reason::RegionBelowShare { region } => tr.ta(&key, &[("region", region)]),
            _ => tr.t(&key),
        }
    }

    fn reason(&self, r: &nansen_domain::reception::Reason) -> String {
        self.reason_in(&self.tr, r)
    }

    fn their_reason(&self, r: &nansen_domain::reception::Reason) -> String {
        nansen_office::reception::letters::reason_in(self.theirs, r)
    }

    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn id(&self) -> String {
        self.view.household.id.as_ref().map(|i| i.to_string()).unwrap_or_default()
    }

    fn member_name(&self, i: &usize) -> String {
        self.view
            .household
            .members
            .get(*i)
            .map(|m| format!("{} {}", m.family_name.latin, m.given_names.latin))
            .unwrap_or_default()
    }

    fn need_label(&self, n: &Need) -> String {
        format!("{} — {}", self.tr.t(&format!("need-{}", n.kind.as_str())), self.member_name(&n.member))
    }

    fn assessed(&self, member: &usize, kind: &str) -> bool {
        self.view
            .household
            .assessment
            .as_ref()
            .is_some_and(|a| a.needs.iter().any(|n| n.member == *member && n.kind.as_str() == kind))
    }

    fn birth(&self, i: &usize) -> String {
        match self.view.household.members.get(*i).map(|m| m.birth_date) {
            Some(nansen_domain::person::BirthDate::Exact(d)) => d.to_string(),
            Some(nansen_domain::person::BirthDate::YearMonth { year, month }) => format!("{year}-{month:02}"),
            Some(nansen_domain::person::BirthDate::Year(y)) => y.to_string(),
            _ => "—".into(),
        }
    }

    fn sex_key(&self, m: &nansen_domain::reception::Member) -> String {
        match m.sex {
            nansen_domain::person::Sex::Female => "sex-female",
            nansen_domain::person::Sex::Male => "sex-male",
            nansen_domain::person::Sex::Unspecified => "sex-unspecified",
        }
        .to_owned()
    }

    fn euros(&self, cents: &i64) -> String {
        euros(cents)
    }

    fn why(&self, p: &Period) -> String {
        use nansen_domain::reception::DayWhy;
        match p.day.why {
            DayWhy::Paid { persons, unhoused_adults, reduced } => {
                let mut s = format!("{} {persons}", self.tr.t("allowance-persons"));
                if unhoused_adults > 0 {
                    s.push_str(&format!(", {} {unhoused_adults}", self.tr.t("allowance-unhoused")));
                }
                if reduced > 0 {
                    s.push_str(&format!(", {} {reduced} %", self.tr.t("allowance-reduced")));
                }
                s
            }
            DayWhy::NoOffer => self.tr.t("allowance-why-no-offer"),
            DayWhy::Refused => self.tr.t("allowance-why-refused"),
            DayWhy::RightsEnded => self.tr.t("allowance-why-rights-ended"),
            DayWhy::Suspended => self.tr.t("allowance-why-suspended"),
            DayWhy::Ended => self.tr.t("allowance-why-ended"),
        }
    }

    fn statement_title(&self, s: &Statement) -> String {
        s.month.to_string()
    }

    fn measure(&self, m: &AllowanceMeasure) -> String {
        match m {
            AllowanceMeasure::Reduce { percent } => format!("{} ({percent} %)", self.tr.t("measure-reduce")),
            other => self.tr.t(&format!("measure-{}", other.as_str())),
        }
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
    id: &str,
    form: FormState,
    done: Option<String>,
    status: StatusCode,
) -> Response {
    match reception::read(state, agent, id).await.map_err(WebError::from) {
        Ok(view) => {
            let code = view.household.language.as_ref().map(|l| l.as_str()).unwrap_or("fr");
            let (theirs, rtl) = nansen_office::reception::letters::letters_language(code);
            let page = HouseholdPage {
                theirs,
                their_dir: if rtl { "rtl" } else { "ltr" },
                tr: state.i18n().tr(lang_of(state, headers)),
                nav: Some(nav(agent)),
                view,
                form,
                done: done.filter(|d| STEPS.contains(&d.as_str()) || d == "register"),
                kinds: VulnerabilityKind::ALL.iter().map(|k| k.as_str()).collect(),
                priorities: MedicalPriority::ALL.iter().map(|p| p.as_str()).collect(),
                reasons: LeaveReason::ALL.iter().map(|r| r.as_str()).collect(),
            };
            (status, render(&page)).into_response()
        }
        Err(e) => error_page(state, headers, Some(agent), &e),
    }
}

async fn household_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Response {
    show(&state, &headers, &agent, &id, FormState::default(), q.done, StatusCode::OK).await
}

/// A step's intent, parsed from the form.
pub(crate) enum Step {
    Assess(Assessment),
    Medical(MedicalOpinion),
    Offer(Offer),
    Arrive { structure: String, on: time::Date },
    Leave { on: time::Date, reason: LeaveReason },
    Allowance(AllowanceDecision),
    Contest { grounds: String },
    DecideContest { upheld: bool, reasons: String },
    Refuse,
    NoShow,
    Observations { text: String },
    DecideEnding { end: bool, reasons: String, vulnerability_weighed: String },
}

/// `yes`/`no` of a decision's radio buttons, or an error on `field`.
pub(crate) fn choice(field: &'static str, value: &str, yes: &str, no: &str) -> Result<bool, WebError> {
    match value.trim() {
        v if v == yes => Ok(true),
        v if v == no => Ok(false),
        _ => Err(WebError::field(field, format!("{yes} or {no}"))),
    }
}

pub(crate) fn measure(kind: &str, percent: &str) -> Result<AllowanceMeasure, WebError> {
    Ok(match kind.trim() {
        "suspend" => AllowanceMeasure::Suspend,
        "end" => AllowanceMeasure::End,
        "restore" => AllowanceMeasure::Restore,
        "reduce" => AllowanceMeasure::Reduce {
            percent: percent.trim().parse().map_err(|_| WebError::field("percent", "a percentage from 1 to 99"))?,
        },
        _ => return Err(WebError::field("measure", "suspend, reduce, end or restore")),
    })
}

fn date_or_today(state: &AppState, form: &FormData, field: &str) -> Result<time::Date, WebError> {
    match form.get(field).map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => forms::date(field, d),
        None => Ok(state.today()),
    }
}

fn step_of(state: &AppState, step: &str, form: &FormData) -> Result<Step, WebError> {
    let yes = |name: &str| form.get(name).is_some_and(|v| v == "on" || v == "yes" || v == "true");
    Ok(match step {
        "assess" => {
            let mut needs = std::collections::BTreeSet::new();
            for value in form.all("need") {
                // `<member>:<kind>`
                let (member, kind) =
                    value.split_once(':').ok_or_else(|| WebError::field("needs", "a member and a point"))?;
                let member: usize =
                    member.parse().map_err(|_| WebError::field("needs", "a member of the household"))?;
                needs.insert(Need { member, kind: super::need_kind(kind)? });
            }
            Step::Assess(Assessment {
                on: date_or_today(state, form, "on")?,
                needs,
                accessible_place: yes("accessible_place"),
                notes: form.text("notes"),
            })
        }
        "medical" => Step::Medical(MedicalOpinion {
            on: date_or_today(state, form, "on")?,
            priority: super::priority(&form.text("priority"))?,
            hospital_nearby: yes("hospital_nearby"),
            accessible_place: yes("accessible_place"),
            notes: form.text("notes"),
        }),
        "offer" => {
            let accepted = match form.text("answer").as_str() {
                "accept" => true,
                "refuse" => false,
                _ => return Err(WebError::field("answer", "accepted or refused")),
            };
            Step::Offer(Offer {
                accepted,
                needs_accommodation: accepted && yes("needs_accommodation"),
                signed_on: date_or_today(state, form, "signed_on")?,
            })
        }
        "arrive" => Step::Arrive { structure: form.text("structure"), on: date_or_today(state, form, "on")? },
        "leave" => {
            Step::Leave { on: date_or_today(state, form, "on")?, reason: super::leave_reason(&form.text("reason"))? }
        }
        "allowance" => Step::Allowance(AllowanceDecision {
            measure: measure(&form.text("measure"), &form.text("percent"))?,
            from: date_or_today(state, form, "from")?,
            reasons: form.text("reasons"),
            vulnerability_weighed: form.text("vulnerability_weighed"),
        }),
        "contest" => Step::Contest { grounds: form.text("grounds") },
        "decide_contest" => Step::DecideContest {
            upheld: choice("contest_answer", &form.text("contest_answer"), "uphold", "reject")?,
            reasons: form.text("reasons"),
        },
        "refuse" => Step::Refuse,
        "no_show" => Step::NoShow,
        "observations" => Step::Observations { text: form.text("text") },
        "decide_ending" => Step::DecideEnding {
            end: choice("ending_answer", &form.text("ending_answer"), "end", "maintain")?,
            reasons: form.text("reasons"),
            vulnerability_weighed: form.text("vulnerability_weighed"),
        },
        other => return Err(WebError::NotFound(format!("step {other:?}"))),
    })
}

pub(crate) async fn perform(state: &AppState, agent: &Agent, id: &str, step: Step) -> Result<(), WebError> {
    match step {
        Step::Assess(a) => reception::assess(state, agent, id, a).await?,
        Step::Medical(m) => reception::record_medical(state, agent, id, m).await?,
        Step::Offer(o) => reception::answer_offer(state, agent, id, o).await?,
        Step::Arrive { structure, on } => reception::arrive(state, agent, id, &structure, on).await?,
        Step::Leave { on, reason } => reception::leave(state, agent, id, on, reason).await?,
        Step::Allowance(d) => reception::decide_allowance(state, agent, id, d).await?,
        Step::Contest { grounds } => orientation::contest(state, agent, id, grounds).await?,
        Step::DecideContest { upheld, reasons } => {
            orientation::decide_contest(state, agent, id, upheld, reasons).await?
        }
        Step::Refuse => orientation::refuse(state, agent, id).await?,
        Step::NoShow => orientation::no_show(state, agent, id).await?,
        Step::Observations { text } => orientation::observations(state, agent, id, text).await?,
        Step::DecideEnding { end, reasons, vulnerability_weighed } => {
            orientation::decide_ending(state, agent, id, end, reasons, vulnerability_weighed).await?
        }
    }
    Ok(())
}

async fn step_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((id, step)): Path<(String, String)>,
    SignedForm(form): SignedForm,
) -> Response {
    let result = match step_of(&state, &step, &form) {
        Ok(s) => perform(&state, &agent, &id, s).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Redirect::to(&format!("/reception/households/{id}?done={step}")).into_response(),
        Err(e @ (WebError::Forbidden { .. } | WebError::NotFound(_) | WebError::Internal(_))) => {
            error_page(&state, &headers, Some(&agent), &e)
        }
        Err(e) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let form = super::refused(step.clone(), form.values(), &e, &tr);
            show(&state, &headers, &agent, &id, form, None, e.status()).await
        }
    }
}

/// A letter the agency issued to the household (`n` from 1, as listed on its page).
async fn letter_download(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path((id, n)): Path<(String, usize)>,
) -> Response {
    let result = async {
        let index = n.checked_sub(1).ok_or_else(|| WebError::NotFound("letter".into()))?;
        Ok::<_, WebError>(nansen_office::reception::letters::read(&state, &agent, &id, index).await?)
    }
    .await;
    match result {
        Ok(bytes) => crate::documents::send_letter(bytes),
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
