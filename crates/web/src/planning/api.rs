//! `/api/v1/planning/…`: the register, the officers' calendars, the division's week and the
//! interpreter's own schedule as JSON, documented in the OpenAPI document. The same office
//! calls as the pages.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use nansen_office::planning::week::{self, WeekView};
use nansen_office::planning::{self, InterpreterChange, InterpreterLine, NewInterpreterForm, NewRoomForm};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::Agent;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/planning/interpreters", get(interpreters).post(register_interpreter))
        .route("/planning/interpreters/{id}/half-days", post(half_days))
        .route("/planning/rooms", get(rooms).post(open_room))
        .route("/planning/calendars/{officer}", post(calendar))
        .route("/planning/week", get(week_read))
        .route("/planning/week/send", post(week_send))
        .route("/planning/schedule", get(schedule))
        .route("/planning/firms/{firm}/statements/{month}", get(statement))
        .route("/planning/balance", get(balance_read).post(balance_accept))
}

/// An interpreter of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterpreterJson {
    pub id: String,
    pub name: String,
    pub firm: String,
    /// female or male.
    pub sex: String,
    /// ISO 639-3 codes, a dialect after a colon (`ara:Sudanese`).
    pub languages: Vec<String>,
    pub in_person: bool,
    pub video: bool,
    /// The day the charter was signed; never booked before.
    pub code_of_conduct: Option<String>,
    /// Half-days offered from today on (`2026-12-07am`).
    pub offered: Vec<String>,
    /// Half-days booked from today on.
    pub booked: Vec<String>,
    /// Bookings on half-days no longer offered: to replan.
    pub unstaffed: usize,
}

fn interpreter_json(line: InterpreterLine, today: time::Date) -> InterpreterJson {
    let i = line.interpreter;
    InterpreterJson {
        id: i.id.as_ref().map(|id| id.to_string()).unwrap_or_default(),
        name: i.name.clone(),
        firm: i.firm.as_ref().map(|f| f.to_string()).unwrap_or_default(),
        sex: match i.sex {
            Some(nansen_domain::Sex::Female) => "female".into(),
            Some(nansen_domain::Sex::Male) => "male".into(),
            _ => String::new(),
        },
        languages: i.languages.iter().map(|l| l.to_string()).collect(),
        in_person: i.in_person,
        video: i.video,
        code_of_conduct: i.code_of_conduct.map(|d| d.to_string()),
        offered: i.available.iter().filter(|h| h.date >= today).map(|h| h.to_string()).collect(),
        booked: i.bookings.keys().filter(|h| h.date >= today).map(|h| h.to_string()).collect(),
        unstaffed: line.unstaffed,
    }
}

/// The register's interpreters (journaled with the interpreters shown).
#[utoipa::path(get, path = "/api/v1/planning/interpreters", responses((status = 200, body = Vec<InterpreterJson>)))]
async fn interpreters(State(state): State<AppState>, agent: Agent) -> Result<Json<Vec<InterpreterJson>>, WebError> {
    let view = planning::register(&state, &agent).await?;
    let today = view.today;
    Ok(Json(view.interpreters.into_iter().map(|l| interpreter_json(l, today)).collect()))
}

/// An interpreter to register.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewInterpreterJson {
    /// Like `ISM-0042`.
    pub id: String,
    pub name: String,
    /// The firm's code, like `ism`.
    pub firm: String,
    /// female or male.
    pub sex: String,
    /// ISO 639-3 codes, a dialect after a colon (`ara:Sudanese`).
    pub languages: Vec<String>,
    pub in_person: bool,
    pub video: bool,
    /// The interpreter's own account, which sees only their schedule.
    pub login: Option<String>,
    /// YYYY-MM-DD: the day the charter was signed.
    pub code_of_conduct: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/planning/interpreters", request_body = NewInterpreterJson,
    responses((status = 200, body = InterpreterJson)))]
async fn register_interpreter(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<NewInterpreterJson>,
) -> Result<Json<InterpreterJson>, WebError> {
    let code_of_conduct = match body.code_of_conduct.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => Some(forms::date("code_of_conduct", d)?),
        None => None,
    };
    let form = NewInterpreterForm {
        id: body.id,
        name: body.name,
        firm: body.firm,
        sex: body.sex,
        languages: body.languages.join(","),
        in_person: body.in_person,
        video: body.video,
        login: body.login,
        code_of_conduct,
    };
    let id = planning::add_interpreter(&state, &agent, form).await?;
    let view = planning::interpreter(&state, &agent, id.as_str()).await?;
    Ok(Json(interpreter_json(view.line, view.today)))
}

/// Half-days offered for the interpreter, or withdrawn (a cancellation: the bookings on them
/// stay, to be replanned).
#[derive(Debug, Deserialize, ToSchema)]
pub struct HalfDaysJson {
    /// offer or withdraw.
    pub action: String,
    /// Like `2026-12-07am`, `2026-12-07pm`.
    pub half_days: Vec<String>,
}

#[utoipa::path(post, path = "/api/v1/planning/interpreters/{id}/half-days", params(("id" = String, Path)),
    request_body = HalfDaysJson, responses((status = 200, body = InterpreterJson)))]
async fn half_days(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<HalfDaysJson>,
) -> Result<Json<InterpreterJson>, WebError> {
    let text = body.half_days.join(" ");
    let change = match body.action.as_str() {
        "offer" => InterpreterChange::Offer(text),
        "withdraw" => InterpreterChange::Withdraw(text),
        _ => return Err(WebError::field("action", "offer or withdraw")),
    };
    planning::change_interpreter(&state, &agent, &id, change).await?;
    let view = planning::interpreter(&state, &agent, &id).await?;
    Ok(Json(interpreter_json(view.line, view.today)))
}

/// A room of the register.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomJson {
    pub code: String,
    pub name: String,
    /// booth, video_booth or video_room.
    pub kind: String,
    pub site: String,
    /// Half-days closed from today on.
    pub closed: Vec<String>,
}

#[utoipa::path(get, path = "/api/v1/planning/rooms", responses((status = 200, body = Vec<RoomJson>)))]
async fn rooms(State(state): State<AppState>, agent: Agent) -> Result<Json<Vec<RoomJson>>, WebError> {
    let view = planning::register(&state, &agent).await?;
    let today = view.today;
    Ok(Json(
        view.rooms
            .into_iter()
            .map(|r| RoomJson {
                code: r.code.as_ref().map(|c| c.to_string()).unwrap_or_default(),
                name: r.name.clone(),
                kind: r.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
                site: r.site.clone(),
                closed: r.closed.keys().filter(|h| h.date >= today).map(|h| h.to_string()).collect(),
            })
            .collect(),
    ))
}

/// A room to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct NewRoomJson {
    /// Like `B-12`.
    pub code: String,
    pub name: String,
    /// booth, video_booth or video_room.
    pub kind: String,
    pub site: String,
}

#[utoipa::path(post, path = "/api/v1/planning/rooms", request_body = NewRoomJson,
    responses((status = 200, body = Vec<RoomJson>)))]
async fn open_room(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<NewRoomJson>,
) -> Result<Json<Vec<RoomJson>>, WebError> {
    let form = NewRoomForm { code: body.code, name: body.name, kind: body.kind, site: body.site };
    planning::add_room(&state, &agent, form).await?;
    rooms(State(state), agent).await
}

/// Half-days of an officer marked away (with a reason) or back (no reason).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CalendarJson {
    #[serde(default)]
    pub half_days: Vec<String>,
    /// leave, mission, training, sick or drafting; none: back.
    pub reason: Option<String>,
    /// `female` or `male`: the officer's sex, for the applicants' requests (L.531-17).
    #[serde(default)]
    pub sex: Option<String>,
}

/// What an officer's calendar holds over four weeks from this one.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarStateJson {
    pub officer: String,
    /// Half-day → reason of absence.
    pub absences: std::collections::BTreeMap<String, String>,
    /// Half-day → interviews held.
    pub interviews: std::collections::BTreeMap<String, usize>,
    /// The officer's sex as declared: female or male.
    pub sex: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/planning/calendars/{officer}", params(("officer" = String, Path)),
    request_body = CalendarJson, responses((status = 200, body = CalendarStateJson)))]
async fn calendar(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath(officer): ApiPath<String>,
    ApiJson(body): ApiJson<CalendarJson>,
) -> Result<Json<CalendarStateJson>, WebError> {
    // Half-days, the sex, or both; nothing at all is a mistake about the half-days.
    if let Some(sex) = body.sex.as_deref() {
        planning::profile(&state, &agent, &officer, sex, "").await?;
    }
    if !body.half_days.is_empty() || body.sex.is_none() {
        planning::mark(&state, &agent, &officer, &body.half_days.join(" "), body.reason.as_deref()).await?;
    }
    let view = planning::calendar(&state, &agent, &officer, week::monday_of(state.today())).await?;
    Ok(Json(CalendarStateJson {
        officer: view.officer,
        absences: view.calendar.absences.iter().map(|(h, r)| (h.to_string(), r.as_str().to_owned())).collect(),
        interviews: view.calendar.bookings.iter().map(|(h, c)| (h.to_string(), c.len())).collect(),
        sex: view.calendar.sex.map(|s| if s == nansen_domain::Sex::Female { "female" } else { "male" }.to_owned()),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WeekParams {
    /// YYYY-MM-DD, a day of the week to plan (next week when absent).
    pub monday: Option<String>,
}

/// One planned interview.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlannedJson {
    pub case: String,
    pub officer: String,
    pub half_day: String,
    pub interpreter: Option<String>,
    pub language: Option<String>,
    pub room: String,
    pub video: bool,
    /// The convocation was sent already.
    pub sent: bool,
    /// Keys: already-convened, deadline-within:N, overdue:N, detention, accelerated, …
    pub reasons: Vec<String>,
}

/// Interviews due before the week ends that the plan cannot hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShortageJson {
    pub language: Option<String>,
    pub due_by: Option<String>,
    pub cases: Vec<String>,
    /// notice, officer-busy, no-interpreter, interpreters-booked, no-room or displaced.
    pub cause: String,
    pub half_days: Vec<String>,
}

/// A change to a convocation already sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeJson {
    pub case: String,
    /// rebooked, moved or cancelled.
    pub kind: String,
    pub from: String,
    pub to: Option<String>,
}

/// The division's week.
#[derive(Debug, Serialize, ToSchema)]
pub struct WeekJson {
    pub division: String,
    pub monday: String,
    pub candidates: usize,
    pub interviews: Vec<PlannedJson>,
    pub shortages: Vec<ShortageJson>,
    pub changes: Vec<ChangeJson>,
    /// optimal, within-gap or time-limit.
    pub status: String,
    pub gap_percent: f64,
    pub seconds: f64,
    /// Interviews the earliest-deadline-first baseline holds on the same week.
    pub baseline_held: usize,
    pub already_sent: usize,
    pub to_send: usize,
    pub replanning: bool,
}

fn week_json(v: WeekView) -> WeekJson {
    WeekJson {
        division: v.division,
        monday: v.monday.to_string(),
        candidates: v.candidates,
        interviews: v
            .interviews
            .into_iter()
            .map(|p| PlannedJson {
                case: p.case.to_string(),
                officer: p.officer,
                half_day: p.half_day.to_string(),
                interpreter: p.interpreter,
                language: p.language,
                room: p.room,
                video: p.video,
                sent: p.sent,
                reasons: p.reasons,
            })
            .collect(),
        shortages: v
            .shortages
            .into_iter()
            .map(|s| ShortageJson {
                language: s.language,
                due_by: s.due_by.map(|h| h.to_string()),
                cases: s.cases.iter().map(|c| c.to_string()).collect(),
                cause: s.cause.to_owned(),
                half_days: s.half_days.iter().map(|h| h.to_string()).collect(),
            })
            .collect(),
        changes: v
            .changes
            .into_iter()
            .map(|c| ChangeJson {
                case: c.case.to_string(),
                kind: c.kind.to_owned(),
                from: c.from.to_string(),
                to: c.to.map(|h| h.to_string()),
            })
            .collect(),
        status: v.status.to_owned(),
        gap_percent: v.gap_percent,
        seconds: v.seconds,
        baseline_held: v.baseline_held,
        already_sent: v.already_sent,
        to_send: v.to_send,
        replanning: v.replanning,
    }
}

fn monday(state: &AppState, text: Option<&str>) -> Result<time::Date, WebError> {
    match text.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => forms::date("monday", d),
        None => Ok(week::monday_of(state.today()) + time::Duration::weeks(1)),
    }
}

/// The plan of the agent's division for a week, computed and not sent.
#[utoipa::path(get, path = "/api/v1/planning/week", params(WeekParams), responses((status = 200, body = WeekJson)))]
async fn week_read(
    State(state): State<AppState>,
    agent: Agent,
    ApiQuery(q): ApiQuery<WeekParams>,
) -> Result<Json<WeekJson>, WebError> {
    let monday = monday(&state, q.monday.as_deref())?;
    Ok(Json(week_json(week::week(&state, &agent, monday).await?)))
}

/// The week to send.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SendJson {
    /// YYYY-MM-DD, a day of the week.
    pub monday: String,
}

/// What sending did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentJson {
    pub sent: Vec<String>,
    /// Convocations already sent that the replanning moved: a new letter for each.
    pub moved: Vec<String>,
    /// Convocations kept as sent, with another interpreter.
    pub rebooked: Vec<String>,
    /// Convocations the plan could not hold, left to handle by hand.
    pub cancelled: Vec<String>,
    /// Convocations refused at sending (something changed since), with the reason.
    pub refused: Vec<RefusedJson>,
}

/// A convocation refused at sending.
#[derive(Debug, Serialize, ToSchema)]
pub struct RefusedJson {
    pub case: String,
    pub reason: String,
}

/// Plans the week again and sends its new convocations, each one with its bookings in one commit.
#[utoipa::path(post, path = "/api/v1/planning/week/send", request_body = SendJson,
    responses((status = 200, body = SentJson)))]
async fn week_send(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<SendJson>,
) -> Result<Json<SentJson>, WebError> {
    let monday = monday(&state, Some(&body.monday))?;
    let sent = week::send(&state, &agent, monday).await?;
    Ok(Json(SentJson {
        sent: sent.sent.iter().map(|c| c.to_string()).collect(),
        moved: sent.moved.iter().map(|c| c.to_string()).collect(),
        rebooked: sent.rebooked.iter().map(|c| c.to_string()).collect(),
        cancelled: sent.cancelled.iter().map(|c| c.to_string()).collect(),
        refused: sent.refused.into_iter().map(|(c, reason)| RefusedJson { case: c.to_string(), reason }).collect(),
    }))
}

/// One line of an interpreter's schedule: nothing of the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleLineJson {
    pub half_day: String,
    pub starts_at: String,
    pub room: String,
    pub site: String,
    pub video: bool,
    pub language: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScheduleJson {
    pub name: String,
    pub lines: Vec<ScheduleLineJson>,
    pub offered: Vec<String>,
}

/// The interpreter's own schedule (the interpreter's account only).
#[utoipa::path(get, path = "/api/v1/planning/schedule", responses((status = 200, body = ScheduleJson)))]
async fn schedule(State(state): State<AppState>, agent: Agent) -> Result<Json<ScheduleJson>, WebError> {
    let view = planning::own_schedule(&state, &agent).await?;
    Ok(Json(ScheduleJson {
        name: view.name,
        lines: view
            .lines
            .into_iter()
            .map(|l| ScheduleLineJson {
                half_day: l.half_day.to_string(),
                starts_at: l.starts_at.to_owned(),
                room: l.room,
                site: l.site,
                video: l.video,
                language: l.language,
            })
            .collect(),
        offered: view.offered.iter().map(|h| h.to_string()).collect(),
    }))
}

/// One interpreter's line of a firm's monthly statement.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementLineJson {
    pub interpreter: String,
    pub name: String,
    pub in_person: u32,
    pub video: u32,
    pub hours: f64,
    pub amount_cents: i64,
    /// The half-days held (`2026-11-02am`).
    pub half_days: Vec<String>,
}

/// A firm's statement of a month, for payment under its contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatementJson {
    pub firm: String,
    pub firm_name: String,
    pub contract: String,
    /// YYYY-MM.
    pub month: String,
    pub hourly_rate_cents: i64,
    pub lines: Vec<StatementLineJson>,
    pub half_days: u32,
    pub hours: f64,
    pub amount_cents: i64,
    /// The month is not over.
    pub provisional: bool,
}

/// A firm's monthly statement: the half-days its interpreters held in the month (before today),
/// the hours billed and the amount under the contract.
#[utoipa::path(get, path = "/api/v1/planning/firms/{firm}/statements/{month}",
    params(("firm" = String, Path), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = StatementJson), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn statement(
    State(state): State<AppState>,
    agent: Agent,
    ApiPath((firm, month)): ApiPath<(String, String)>,
) -> Result<Json<StatementJson>, WebError> {
    let s = planning::statement(&state, &agent, &firm, &month).await?;
    Ok(Json(StatementJson {
        firm: s.firm.to_string(),
        firm_name: s.firm_name,
        contract: s.contract,
        month: format!("{}-{:02}", s.year, s.month),
        hourly_rate_cents: s.hourly_rate_cents,
        lines: s
            .lines
            .into_iter()
            .map(|l| StatementLineJson {
                interpreter: l.interpreter.to_string(),
                name: l.name,
                in_person: l.in_person,
                video: l.video,
                hours: l.hours,
                amount_cents: l.amount_cents,
                half_days: l.half_days.iter().map(ToString::to_string).collect(),
            })
            .collect(),
        half_days: s.half_days,
        hours: s.hours,
        amount_cents: s.amount_cents,
        provisional: s.provisional,
    }))
}

/// A proposal of assignment.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProposalJson {
    pub case: String,
    pub nationality: String,
    pub procedure: String,
    pub language: String,
    pub persons: u32,
    /// The case's weight (complexity) in an officer's load.
    pub weight: f64,
    pub officer: String,
    /// The officer's load relative to presence before this case: the lowest of the division.
    pub relative_before: f64,
    /// A pooled nationality's case.
    pub pooled: bool,
}

/// An officer's load before and after the proposals.
#[derive(Debug, Serialize, ToSchema)]
pub struct OfficerLoadJson {
    pub login: String,
    pub section: u8,
    pub open: u32,
    pub load: f64,
    pub presence_percent: u32,
    pub relative: f64,
    pub proposed: u32,
    /// `null` for an officer absent throughout the horizon.
    pub relative_after: Option<f64>,
}

/// A language's demand against interpreting capacity.
#[derive(Debug, Serialize, ToSchema)]
pub struct LanguageDemandJson {
    /// ISO 639-3.
    pub language: String,
    pub label: String,
    pub waiting: u32,
    /// Free interpreter half-days in each coming week, office-wide (`weeks` gives their Mondays).
    pub free_by_week: Vec<u32>,
    pub weeks_to_interview: Option<f64>,
    pub first_week_without: Option<String>,
    pub shortage: bool,
}

/// The division's workload balance.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalanceJson {
    pub division: String,
    pub proposals: Vec<ProposalJson>,
    pub officers: Vec<OfficerLoadJson>,
    /// Pooled cases of this division proposed to another division, by division.
    pub sent_elsewhere: std::collections::BTreeMap<String, u32>,
    pub unplaced: Vec<String>,
    pub weeks: Vec<String>,
    pub languages: Vec<LanguageDemandJson>,
}

fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// Proposals of assignment for the cases waiting for an officer, the officers' loads, and
/// demand against interpreting capacity per language, for the agent's division.
#[utoipa::path(get, path = "/api/v1/planning/balance",
    responses((status = 200, body = BalanceJson), (status = 403, body = crate::error::Problem)))]
async fn balance_read(State(state): State<AppState>, agent: Agent) -> Result<Json<BalanceJson>, WebError> {
    let v = planning::balance::balance(&state, &agent).await?;
    Ok(Json(BalanceJson {
        division: v.division,
        proposals: v
            .proposals
            .into_iter()
            .map(|p| ProposalJson {
                case: p.case.to_string(),
                nationality: p.nationality,
                procedure: p.procedure,
                language: p.language,
                persons: p.persons,
                weight: p.weight,
                officer: p.officer,
                relative_before: p.relative_before,
                pooled: p.pooled,
            })
            .collect(),
        officers: v
            .officers
            .into_iter()
            .map(|o| OfficerLoadJson {
                login: o.login,
                section: o.section,
                open: o.open,
                load: o.load,
                presence_percent: o.presence_percent,
                relative: o.relative,
                proposed: o.proposed,
                relative_after: finite(o.relative_after),
            })
            .collect(),
        sent_elsewhere: v.sent_elsewhere,
        unplaced: v.unplaced.iter().map(|c| c.to_string()).collect(),
        weeks: v.weeks.iter().map(|w| w.to_string()).collect(),
        languages: v
            .languages
            .into_iter()
            .map(|l| LanguageDemandJson {
                language: l.demand.language.to_string(),
                label: l.label,
                waiting: l.demand.waiting,
                free_by_week: l.demand.free_by_week,
                weeks_to_interview: l.demand.weeks_to_interview,
                first_week_without: l.demand.first_week_without.map(|d| d.to_string()),
                shortage: l.demand.shortage,
            })
            .collect(),
    }))
}

/// One proposal accepted, with the officer chosen.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChoiceJson {
    pub case: String,
    pub officer: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AcceptJson {
    pub accept: Vec<ChoiceJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssignedJson {
    pub case: String,
    pub officer: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedJson {
    pub assigned: Vec<AssignedJson>,
    /// Cases refused (each for its own reason); the others are assigned.
    pub refused: Vec<RefusedJson>,
}

/// Accepts proposals (or changes their officer): each case assigned as from its page,
/// authorized and journaled one by one.
#[utoipa::path(post, path = "/api/v1/planning/balance", request_body = AcceptJson,
    responses((status = 200, body = AcceptedJson), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
async fn balance_accept(
    State(state): State<AppState>,
    agent: Agent,
    ApiJson(body): ApiJson<AcceptJson>,
) -> Result<Json<AcceptedJson>, WebError> {
    let choices =
        body.accept.into_iter().map(|c| planning::balance::Choice { case: c.case, officer: c.officer }).collect();
    let a = planning::balance::accept(&state, &agent, choices).await?;
    Ok(Json(AcceptedJson {
        assigned: a.assigned.into_iter().map(|(c, officer)| AssignedJson { case: c.to_string(), officer }).collect(),
        refused: a.refused.into_iter().map(|(case, reason)| RefusedJson { case, reason }).collect(),
    }))
}

#[derive(OpenApi)]
#[openapi(paths(
    interpreters,
    register_interpreter,
    half_days,
    rooms,
    open_room,
    calendar,
    week_read,
    week_send,
    schedule,
    statement,
    balance_read,
    balance_accept
))]
pub struct PlanningDoc;
