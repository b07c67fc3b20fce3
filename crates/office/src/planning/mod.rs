//! Interview planning (workspace `planning`): the register of interpreting firms, interpreters
//! and rooms, the officers' calendars, the interpreter's own schedule (`mod.rs`), and the
//! division's week planned by `nansen-plan` and sent in one step (`week.rs`). Every read and act
//! goes through the gate: the register and the plan on the office, a calendar on the officer's
//! unit, the interpreter's schedule on their own account.

pub mod balance;
pub mod week;

use nansen_authz::{Action as Act, Resource, UnitAttrs};
use nansen_domain::planning::{
    AbsenceReason, CalendarCommand, Conflict, Firm, FirmCode, FirmCommand, HalfDay, Interpreter, InterpreterCommand,
    InterpreterId, NewFirm, NewInterpreter, NewRoom, OfficerCalendar, PlanningCommand, Room, RoomCode, RoomCommand,
    RoomKind, Spoken,
};
use nansen_domain::{CaseNumber, Login, Sex};
use nansen_store::{Action, Op};
use serde::Serialize;
use time::Date;

use crate::actor::Agent;
use crate::{Office, OfficeError};

fn field(name: &'static str) -> impl Fn(nansen_domain::DomainError) -> OfficeError {
    move |e| OfficeError::field(name, e.to_string())
}

pub(crate) fn planning_op(office: &Office, agent: &Agent, commands: Vec<PlanningCommand>) -> Op {
    Op { actor: agent.login.clone(), now: office.now(), action: Action::Planning { commands, case: None } }
}

/// Parses half-days typed one per line or separated by commas or spaces (`2026-12-07am`).
pub fn parse_half_days(text: &str) -> Result<Vec<HalfDay>, OfficeError> {
    let half_days: Vec<HalfDay> = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .map(HalfDay::parse)
        .collect::<Result<_, _>>()
        .map_err(field("half_days"))?;
    if half_days.is_empty() {
        return Err(OfficeError::field("half_days", "give at least one half-day, like 2026-12-07am"));
    }
    Ok(half_days)
}

/// An interpreter as the register lists them.
#[derive(Debug, Clone, Serialize)]
pub struct InterpreterLine {
    pub interpreter: Interpreter,
    /// The languages with their reference names ("tir — Tigrinya").
    pub languages: Vec<String>,
    /// Bookings on half-days the interpreter is no longer offered for.
    pub unstaffed: usize,
}

/// The register: firms, interpreters and rooms.
#[derive(Debug, Clone, Serialize)]
pub struct RegisterView {
    pub firms: Vec<Firm>,
    pub interpreters: Vec<InterpreterLine>,
    pub rooms: Vec<Room>,
    pub may_manage: bool,
    pub may_plan: bool,
    pub today: Date,
}

pub fn language_label(spoken: &Spoken) -> String {
    let name = spoken.code.name();
    match &spoken.dialect {
        Some(d) => format!("{} — {name} ({d})", spoken.code),
        None => format!("{} — {name}", spoken.code),
    }
}

pub async fn register(office: &Office, agent: &Agent) -> Result<RegisterView, OfficeError> {
    let mut view = office
        .ask_listing(agent, Act::ReadPlanning, async || {
            let firms = office.store().firms().await?;
            let interpreters: Vec<InterpreterLine> = office
                .store()
                .interpreters()
                .await?
                .into_iter()
                .map(|i| InterpreterLine {
                    languages: i.languages.iter().map(language_label).collect(),
                    unstaffed: i.unstaffed().count(),
                    interpreter: i,
                })
                .collect();
            let rooms = office.store().rooms().await?;
            let shown = serde_json::json!({
                "interpreters": interpreters.iter().filter_map(|i| i.interpreter.id.as_ref().map(|id| id.to_string())).collect::<Vec<_>>(),
            });
            let view = RegisterView { firms, interpreters, rooms, may_manage: false, may_plan: false, today: office.today() };
            Ok((vec![view], shown))
        })
        .await?;
    let mut view = view.pop().ok_or_else(|| OfficeError::Internal("the register is empty".into()))?;
    view.may_manage = office.may(agent, Act::ManageRegister, &Resource::Office);
    view.may_plan = office.may(agent, Act::PlanInterviews, &Resource::Office);
    Ok(view)
}

/// One interpreter's page.
#[derive(Debug, Clone, Serialize)]
pub struct InterpreterView {
    pub line: InterpreterLine,
    pub may_manage: bool,
    pub today: Date,
}

pub async fn interpreter(office: &Office, agent: &Agent, id: &str) -> Result<InterpreterView, OfficeError> {
    let id = InterpreterId::parse(id).map_err(|_| OfficeError::NotFound(format!("interpreter {id}")))?;
    let answers = office
        .ask(agent, &[Act::ReadPlanning, Act::ManageRegister], &Resource::Office, &format!("interpreter:{id}"))
        .await?;
    let interpreter =
        office.store().interpreter(&id).await?.ok_or_else(|| OfficeError::NotFound(format!("interpreter {id}")))?;
    Ok(InterpreterView {
        line: InterpreterLine {
            languages: interpreter.languages.iter().map(language_label).collect(),
            unstaffed: interpreter.unstaffed().count(),
            interpreter,
        },
        may_manage: answers.allowed(1),
        today: office.today(),
    })
}

/// A firm, as typed.
#[derive(Debug, Clone)]
pub struct NewFirmForm {
    pub code: String,
    pub name: String,
    pub contract: String,
    pub contract_from: Date,
    /// Euros per hour, "38.50".
    pub hourly_rate: String,
}

fn cents(s: &str) -> Result<i64, OfficeError> {
    let bad = || OfficeError::field("hourly_rate", "an amount in euros, like 38.50");
    let s = s.trim().replace(',', ".");
    let (units, decimals) = s.split_once('.').unwrap_or((&s, "0"));
    if decimals.len() > 2 || units.is_empty() {
        return Err(bad());
    }
    let units: i64 = units.parse().map_err(|_| bad())?;
    let decimals: i64 = format!("{decimals:0<2}").parse().map_err(|_| bad())?;
    units.checked_mul(100).and_then(|c| c.checked_add(decimals)).ok_or_else(bad)
}

pub async fn add_firm(office: &Office, agent: &Agent, form: NewFirmForm) -> Result<FirmCode, OfficeError> {
    let code = FirmCode::parse(&form.code).map_err(field("code"))?;
    let subject = format!("firm:{code}");
    office
        .act(agent, Act::ManageRegister, &Resource::Office, &subject, async || {
            let new = NewFirm {
                code: code.clone(),
                name: form.name.clone(),
                contract: form.contract.clone(),
                contract_from: form.contract_from,
                hourly_rate_cents: cents(&form.hourly_rate)?,
            };
            Ok(vec![planning_op(
                office,
                agent,
                vec![PlanningCommand::Firm { code: code.clone(), command: FirmCommand::Register(new) }],
            )])
        })
        .await?;
    Ok(code)
}

/// An interpreter, as typed.
#[derive(Debug, Clone)]
pub struct NewInterpreterForm {
    pub id: String,
    pub name: String,
    pub firm: String,
    pub sex: String,
    /// ISO 639-3 codes, with a dialect after a colon, separated by commas (`tir, ara:Sudanese`).
    pub languages: String,
    pub in_person: bool,
    pub video: bool,
    pub login: Option<String>,
    /// The charter signed, if it is.
    pub code_of_conduct: Option<Date>,
}

pub fn parse_languages(text: &str) -> Result<Vec<Spoken>, OfficeError> {
    let languages: Vec<Spoken> = text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(Spoken::parse)
        .collect::<Result<_, _>>()
        .map_err(field("languages"))?;
    if languages.is_empty() {
        return Err(OfficeError::field("languages", "give at least one ISO 639-3 code, like tir"));
    }
    Ok(languages)
}

pub async fn add_interpreter(
    office: &Office,
    agent: &Agent,
    form: NewInterpreterForm,
) -> Result<InterpreterId, OfficeError> {
    let id = InterpreterId::parse(&form.id).map_err(field("id"))?;
    let subject = format!("interpreter:{id}");
    office
        .act(agent, Act::ManageRegister, &Resource::Office, &subject, async || {
            let firm = FirmCode::parse(&form.firm).map_err(field("firm"))?;
            match office.store().firm(&firm).await? {
                Some(f) if f.is_active(office.today()) => {}
                _ => return Err(OfficeError::field("firm", format!("{firm} is not a firm under contract"))),
            }
            let sex = match form.sex.trim() {
                "female" => Sex::Female,
                "male" => Sex::Male,
                _ => return Err(OfficeError::field("sex", "female or male")),
            };
            let login = match form.login.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
                None => None,
                Some(l) => {
                    let login = Login::parse(l).map_err(field("login"))?;
                    match office.store().account(login.as_str()).await? {
                        Some(a) if a.role == nansen_authz::Role::Interpreter.as_str() => {}
                        _ => {
                            return Err(OfficeError::field("login", format!("{login} is not an interpreter's account")))
                        }
                    }
                    if office.store().interpreter_of_account(login.as_str()).await?.is_some() {
                        return Err(OfficeError::field("login", format!("{login} is linked to another interpreter")));
                    }
                    Some(login)
                }
            };
            let new = NewInterpreter {
                id: id.clone(),
                name: form.name.clone(),
                firm,
                sex,
                languages: parse_languages(&form.languages)?,
                in_person: form.in_person,
                video: form.video,
                login,
            };
            let mut commands =
                vec![PlanningCommand::Interpreter { id: id.clone(), command: InterpreterCommand::Register(new) }];
            if let Some(on) = form.code_of_conduct {
                commands.push(PlanningCommand::Interpreter {
                    id: id.clone(),
                    command: InterpreterCommand::SignCodeOfConduct { on },
                });
            }
            Ok(vec![planning_op(office, agent, commands)])
        })
        .await?;
    Ok(id)
}

/// What can be done to an interpreter from their page.
#[derive(Debug, Clone)]
pub enum InterpreterChange {
    Offer(String),
    Withdraw(String),
    SignCodeOfConduct(Date),
    DeclareConflict { case: String, reason: String },
    EndContract(Date),
}

pub async fn change_interpreter(
    office: &Office,
    agent: &Agent,
    id: &str,
    change: InterpreterChange,
) -> Result<(), OfficeError> {
    let id = InterpreterId::parse(id).map_err(|_| OfficeError::NotFound(format!("interpreter {id}")))?;
    let subject = format!("interpreter:{id}");
    office
        .act(agent, Act::ManageRegister, &Resource::Office, &subject, async || {
            let command = match &change {
                InterpreterChange::Offer(text) => InterpreterCommand::Offer { half_days: parse_half_days(text)? },
                InterpreterChange::Withdraw(text) => InterpreterCommand::Withdraw { half_days: parse_half_days(text)? },
                InterpreterChange::SignCodeOfConduct(on) => InterpreterCommand::SignCodeOfConduct { on: *on },
                InterpreterChange::DeclareConflict { case, reason } => {
                    let case = CaseNumber::parse(case.trim()).map_err(field("case"))?;
                    InterpreterCommand::DeclareConflict(Conflict {
                        declared_on: office.today(),
                        case,
                        reason: reason.trim().to_owned(),
                    })
                }
                InterpreterChange::EndContract(on) => InterpreterCommand::EndContract { on: *on },
            };
            Ok(vec![planning_op(office, agent, vec![PlanningCommand::Interpreter { id: id.clone(), command }])])
        })
        .await?;
    Ok(())
}

/// A room, as typed.
#[derive(Debug, Clone)]
pub struct NewRoomForm {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub site: String,
}

pub async fn add_room(office: &Office, agent: &Agent, form: NewRoomForm) -> Result<RoomCode, OfficeError> {
    let code = RoomCode::parse(&form.code).map_err(field("code"))?;
    let subject = format!("room:{code}");
    office
        .act(agent, Act::ManageRegister, &Resource::Office, &subject, async || {
            let kind = RoomKind::parse(&form.kind).map_err(field("kind"))?;
            let new = NewRoom { code: code.clone(), name: form.name.clone(), kind, site: form.site.clone() };
            Ok(vec![planning_op(
                office,
                agent,
                vec![PlanningCommand::Room { code: code.clone(), command: RoomCommand::Open(new) }],
            )])
        })
        .await?;
    Ok(code)
}

/// Closes a room for half-days (works, an event), or reopens it (`reason` empty).
pub async fn close_room(
    office: &Office,
    agent: &Agent,
    code: &str,
    half_days: &str,
    reason: Option<&str>,
) -> Result<(), OfficeError> {
    let code = RoomCode::parse(code).map_err(|_| OfficeError::NotFound(format!("room {code}")))?;
    let subject = format!("room:{code}");
    office
        .act(agent, Act::ManageRegister, &Resource::Office, &subject, async || {
            let half_days = parse_half_days(half_days)?;
            let command = match reason.map(str::trim).filter(|r| !r.is_empty()) {
                Some(reason) => RoomCommand::Close { half_days, reason: reason.to_owned() },
                None => RoomCommand::Reopen { half_days },
            };
            Ok(vec![planning_op(office, agent, vec![PlanningCommand::Room { code: code.clone(), command }])])
        })
        .await?;
    Ok(())
}

/// The unit an officer's calendar is asked on: their division and section.
async fn officer_unit(office: &Office, officer: &str) -> Result<(Login, UnitAttrs), OfficeError> {
    let login = Login::parse(officer).map_err(|_| OfficeError::NotFound(format!("officer {officer}")))?;
    let account = office
        .store()
        .account(login.as_str())
        .await?
        .filter(|a| a.role == nansen_authz::Role::ProtectionOfficer.as_str())
        .ok_or_else(|| OfficeError::NotFound(format!("officer {officer}")))?;
    let unit = UnitAttrs {
        level: "officer".into(),
        division: account.division.clone(),
        section: account.section,
        officer: Some(login.to_string()),
    };
    Ok((login, unit))
}

/// An officer's calendar over some weeks.
#[derive(Debug, Clone, Serialize)]
pub struct CalendarView {
    pub officer: String,
    pub calendar: OfficerCalendar,
    pub half_days: Vec<HalfDay>,
    pub today: Date,
}

/// The officer's calendar for the four weeks from `monday`.
pub async fn calendar(
    office: &Office,
    agent: &Agent,
    officer: &str,
    monday: Date,
) -> Result<CalendarView, OfficeError> {
    let (login, unit) = officer_unit(office, officer).await?;
    office.ask(agent, &[Act::KeepCalendar], &Resource::Unit(unit), &format!("calendar:{login}")).await?;
    let calendar = office.store().calendar(&login).await?;
    let half_days = (0..4).flat_map(|w| HalfDay::week(monday + time::Duration::weeks(w))).collect::<Vec<_>>();
    Ok(CalendarView { officer: login.to_string(), calendar, half_days, today: office.today() })
}

/// Marks half-days away (with a reason) or back (`reason` none).
pub async fn mark(
    office: &Office,
    agent: &Agent,
    officer: &str,
    half_days: &str,
    reason: Option<&str>,
) -> Result<(), OfficeError> {
    let (login, unit) = officer_unit(office, officer).await?;
    let subject = format!("calendar:{login}");
    office
        .act(agent, Act::KeepCalendar, &Resource::Unit(unit), &subject, async || {
            let half_days = parse_half_days(half_days)?;
            let command = match reason.map(str::trim).filter(|r| !r.is_empty()) {
                Some(r) => {
                    CalendarCommand::MarkAbsent { half_days, reason: AbsenceReason::parse(r).map_err(field("reason"))? }
                }
                None => CalendarCommand::MarkPresent { half_days },
            };
            Ok(vec![planning_op(office, agent, vec![PlanningCommand::Calendar { officer: login.clone(), command }])])
        })
        .await?;
    Ok(())
}

/// One line of an interpreter's own schedule: when, where, in which language. Nothing of the
/// case (no number, no name, no nationality).
#[derive(Debug, Clone, Serialize)]
pub struct ScheduleLine {
    pub half_day: HalfDay,
    pub starts_at: &'static str,
    pub room: String,
    pub site: String,
    pub video: bool,
    pub language: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleView {
    pub name: String,
    pub lines: Vec<ScheduleLine>,
    pub offered: Vec<HalfDay>,
}

/// The interpreter's own schedule from today on, for the interpreter's account.
pub async fn own_schedule(office: &Office, agent: &Agent) -> Result<ScheduleView, OfficeError> {
    office.ask(agent, &[Act::ReadOwnSchedule], &Resource::Office, &format!("schedule:{}", agent.login)).await?;
    let Some(interpreter) = office.store().interpreter_of_account(agent.login.as_str()).await? else {
        return Ok(ScheduleView { name: agent.display_name.clone(), lines: Vec::new(), offered: Vec::new() });
    };
    let today = office.today();
    let rooms = office.store().rooms().await?;
    let lines = interpreter
        .bookings
        .iter()
        .filter(|(h, _)| h.date >= today)
        .map(|(h, b)| {
            let room = rooms.iter().find(|r| r.code.as_ref() == Some(&b.room));
            ScheduleLine {
                half_day: *h,
                starts_at: h.starts_at(),
                room: room.map(|r| r.name.clone()).unwrap_or_else(|| b.room.to_string()),
                site: room.map(|r| r.site.clone()).unwrap_or_default(),
                video: b.video,
                language: language_label(&b.language),
            }
        })
        .collect();
    let offered = interpreter.available.iter().filter(|h| h.date >= today).copied().collect();
    Ok(ScheduleView { name: interpreter.name, lines, offered })
}

/// Sets what the plan knows of an officer: their sex (for an applicant's request under
/// L.531-17) and how many interviews they hold a half-day (two for a family heard together).
/// An empty value leaves that part as it is.
pub async fn profile(
    office: &Office,
    agent: &Agent,
    officer: &str,
    sex: &str,
    capacity: &str,
) -> Result<(), OfficeError> {
    let (login, unit) = officer_unit(office, officer).await?;
    let subject = format!("calendar:{login}");
    office
        .act(agent, Act::KeepCalendar, &Resource::Unit(unit), &subject, async || {
            let mut commands = Vec::new();
            match sex.trim() {
                "" => {}
                "female" => commands.push(CalendarCommand::DeclareSex { sex: Sex::Female }),
                "male" => commands.push(CalendarCommand::DeclareSex { sex: Sex::Male }),
                _ => return Err(OfficeError::field("sex", "a woman or a man")),
            }
            match capacity.trim() {
                "" => {}
                n => {
                    let capacity =
                        n.parse().map_err(|_| OfficeError::field("capacity", "one to three interviews a half-day"))?;
                    commands.push(CalendarCommand::SetCapacity { capacity });
                }
            }
            if commands.is_empty() {
                return Err(OfficeError::field("sex", "choose the sex, the interviews a half-day, or both"));
            }
            let commands =
                commands.into_iter().map(|command| PlanningCommand::Calendar { officer: login.clone(), command });
            Ok(vec![planning_op(office, agent, commands.collect())])
        })
        .await?;
    Ok(())
}

/// A firm's statement of a month (`YYYY-MM`), for payment under its contract.
pub async fn statement(
    office: &Office,
    agent: &Agent,
    firm: &str,
    month: &str,
) -> Result<nansen_domain::planning::Statement, OfficeError> {
    let code = FirmCode::parse(firm.trim()).map_err(field("firm"))?;
    // The contract's figures are for whoever keeps the register (planners, section heads).
    office.ask(agent, &[Act::ManageRegister], &Resource::Office, &format!("firm:{code}")).await?;
    let (year, month) = parse_month(month)?;
    let store = office.store();
    let Some(found) = store.firm(&code).await?.filter(|f| f.code.is_some()) else {
        return Err(OfficeError::field("firm", format!("no firm {code} in the register")));
    };
    let interpreters = store.interpreters().await?;
    nansen_domain::planning::statement(
        &found,
        &interpreters,
        year,
        month,
        office.today(),
        nansen_domain::planning::PlanningRules::embedded(),
    )
    .map_err(OfficeError::Domain)
}

/// `2026-11` → (2026, November).
pub fn parse_month(text: &str) -> Result<(i32, time::Month), OfficeError> {
    let bad = || OfficeError::field("month", "a month as YYYY-MM");
    let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    Ok((year, time::Month::try_from(month).map_err(|_| bad())?))
}
