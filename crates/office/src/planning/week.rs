//! A division's week of interviews: the problem built from the cases and the register, solved by
//! `nansen-plan` off the async runtime (with its earliest-deadline-first baseline for
//! comparison), shown with each interview's reasons and the shortages named; then sent in one
//! step, each convocation a commit of its own that books the interpreter, the room and the
//! officer's half-day with the case's scheduling and its letter.

use std::collections::{BTreeMap, HashMap, HashSet};

use nansen_authz::{Action as Act, Resource};
use nansen_domain::cases::{Interview, InterviewMode};
use nansen_domain::lifecycle::{Case, Command};
use nansen_domain::planning::{
    candidate, Booking, CalendarCommand, HalfDay, Interpreter, InterpreterCommand, OfficerCalendar, PlanningCommand,
    PlanningRules, Room, RoomCommand, RoomKind, Spoken, Unplannable, Urgency,
};
use nansen_domain::{CaseNumber, Language, Login};
use nansen_plan::interviews as plan;
use nansen_store::{Action, Op};
use serde::Serialize;
use time::{Date, Duration};

use super::language_label;
use crate::actor::Agent;
use crate::letters::LetterKind;
use crate::{Office, OfficeError};

/// Cases a week's plan reads at most (a division holds a few hundred ready for interview).
const CASES_LIMIT: u32 = 5000;

/// The solver's limits for a division's week: the benchmark proves a 600-candidate week optimal
/// in about a second, so 20 s is a wide margin.
const LIMITS: nansen_plan::Limits = nansen_plan::Limits { time_limit_s: 20.0, relative_gap: 0.001 };

/// One planned interview, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedLine {
    pub case: CaseNumber,
    pub officer: String,
    pub half_day: HalfDay,
    pub interpreter: Option<String>,
    pub interpreter_name: Option<String>,
    pub language: Option<String>,
    pub room: String,
    pub video: bool,
    /// The convocation was sent already.
    pub sent: bool,
    /// Reasons, as keys the page words (`deadline-within:3`, `accelerated`, …).
    pub reasons: Vec<String>,
}

/// Interviews due before the week ends that the plan cannot hold, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ShortageLine {
    pub language: Option<String>,
    pub due_by: Option<HalfDay>,
    pub cases: Vec<CaseNumber>,
    /// `notice`, `officer-busy`, `no-interpreter`, `interpreters-booked`, `no-room`, `displaced`.
    pub cause: &'static str,
    pub officer: Option<String>,
    pub half_days: Vec<HalfDay>,
}

/// A change to a convocation already sent (replanning).
#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    pub case: CaseNumber,
    /// `rebooked` (same half-day), `moved` (a new convocation), `cancelled`.
    pub kind: &'static str,
    pub from: HalfDay,
    pub to: Option<HalfDay>,
}

/// The week's plan.
#[derive(Debug, Clone, Serialize)]
pub struct WeekView {
    pub division: String,
    pub monday: Date,
    pub half_days: Vec<HalfDay>,
    pub interviews: Vec<PlannedLine>,
    pub shortages: Vec<ShortageLine>,
    pub changes: Vec<ChangeLine>,
    pub unplannable: Vec<Unplannable>,
    pub candidates: usize,
    /// `optimal`, `within-gap`, `time-limit`.
    pub status: &'static str,
    pub gap_percent: f64,
    pub seconds: f64,
    /// The earliest-deadline-first baseline on the same week: interviews it holds.
    pub baseline_held: usize,
    /// Convocations already sent that the plan keeps or replans.
    pub already_sent: usize,
    /// New convocations the plan would send.
    pub to_send: usize,
    pub replanning: bool,
    pub may_send: bool,
}

/// The Monday of the week of `day`.
pub fn monday_of(day: Date) -> Date {
    day.checked_sub(Duration::days(i64::from(day.weekday().number_days_from_monday()))).unwrap_or(day)
}

/// A week is planned within a year of today, either way.
fn within_reach(office: &Office, day: Date) -> Result<Date, OfficeError> {
    let today = office.today();
    if (day - today).whole_days().abs() > 366 {
        return Err(OfficeError::field("monday", "a week within a year of today"));
    }
    Ok(monday_of(day))
}

struct Built {
    instance: plan::Instance,
    half_days: Vec<HalfDay>,
    cases: Vec<Case>,
    officers: Vec<Login>,
    interpreters: Vec<Interpreter>,
    rooms: Vec<Room>,
    unplannable: Vec<Unplannable>,
    fixed_cases: HashSet<CaseNumber>,
}

fn slot_deadline(half_days: &[HalfDay], due: Date) -> i64 {
    let (Some(first), Some(last)) = (half_days.first(), half_days.last()) else { return -1 };
    if due < first.date {
        -2 * (first.date - due).whole_days()
    } else if due >= last.date {
        half_days.len() as i64 - 1 + 2 * (due - last.date).whole_days()
    } else {
        half_days.iter().rposition(|h| h.date <= due).map_or(-1, |i| i as i64)
    }
}

fn plan_language(spoken: &Spoken) -> plan::Language {
    plan::Language { code: spoken.code.to_string(), dialect: spoken.dialect.clone() }
}

fn room_kind(kind: RoomKind) -> plan::RoomKind {
    match kind {
        RoomKind::Booth => plan::RoomKind::Booth,
        RoomKind::VideoBooth => plan::RoomKind::VideoBooth,
        RoomKind::VideoRoom => plan::RoomKind::VideoRoom,
    }
}

fn sex(s: Option<nansen_domain::Sex>) -> Option<plan::Sex> {
    match s {
        Some(nansen_domain::Sex::Female) => Some(plan::Sex::Female),
        Some(nansen_domain::Sex::Male) => Some(plan::Sex::Male),
        _ => None,
    }
}

async fn build(office: &Office, division: &str, monday: Date) -> Result<Built, OfficeError> {
    let today = office.today();
    let rules = office.rules();
    let planning = PlanningRules::embedded();
    let half_days = HalfDay::week(monday);
    let slots = half_days.len();
    let slot_of: HashMap<HalfDay, usize> = half_days.iter().enumerate().map(|(i, h)| (*h, i)).collect();
    let store = office.store();
    let all_cases = store.cases_for_planning(division, CASES_LIMIT).await?;
    let interpreters: Vec<Interpreter> =
        store.interpreters().await?.into_iter().filter(|i| half_days.iter().any(|h| i.bookable(h.date))).collect();
    let rooms: Vec<Room> = store.rooms().await?.into_iter().filter(|r| r.code.is_some()).collect();
    let calendars: BTreeMap<String, OfficerCalendar> = store.calendars().await?.into_iter().collect();

    let mut officers: Vec<Login> = Vec::new();
    let mut officer_index: HashMap<Login, usize> = HashMap::new();
    let mut cases = Vec::new();
    let mut candidates = Vec::new();
    let mut unplannable = Vec::new();
    let mut fixed = Vec::new();
    let mut fixed_cases = HashSet::new();
    let mut index_of = |login: &Login, officers: &mut Vec<Login>| -> usize {
        *officer_index.entry(login.clone()).or_insert_with(|| {
            officers.push(login.clone());
            officers.len() - 1
        })
    };
    for case in all_cases {
        let Some(officer) = case.officer.clone() else { continue };
        // A convocation already sent in this week, booked through the register: kept.
        let booked = match &case.interview {
            Some(interview) if case.status == nansen_domain::Status::InterviewScheduled => {
                let calendar = calendars.get(officer.as_str());
                calendar.and_then(|c| {
                    c.bookings
                        .iter()
                        .find(|(h, cs)| h.date == interview.on && cs.contains(&case.number))
                        .map(|(h, _)| *h)
                })
            }
            _ => None,
        };
        let facts = if let Some(half_day) = booked {
            let Some(&slot) = slot_of.get(&half_day) else { continue };
            let room = rooms.iter().position(|r| r.bookings.get(&half_day) == Some(&case.number));
            let interpreter =
                interpreters.iter().position(|i| i.bookings.get(&half_day).is_some_and(|b| b.case == case.number));
            let Some(room) = room else { continue };
            let language =
                interpreter.and_then(|i| interpreters[i].bookings.get(&half_day)).map(|b| b.language.clone());
            let video = interpreter.and_then(|i| interpreters[i].bookings.get(&half_day)).is_some_and(|b| b.video);
            let c = candidates.len();
            fixed.push(plan::Convocation { candidate: c, slot: slot as u32, interpreter, video, room });
            fixed_cases.insert(case.number);
            let urgency = nansen_domain::planning::urgency(&case.procedure);
            let needs = case.interview_needs.clone().unwrap_or_default();
            (language, urgency, case.introduced_on, i64::MAX, 0u32, needs)
        } else {
            if case.status != nansen_domain::Status::Assigned {
                continue;
            }
            match candidate(&case, rules, planning, today) {
                Ok(Some(f)) => {
                    let earliest = half_days.iter().position(|h| h.date >= f.earliest).unwrap_or(slots) as u32;
                    (f.language, f.urgency, f.introduced_on, slot_deadline(&half_days, f.due_on), earliest, f.needs)
                }
                Ok(None) => continue,
                Err(u) => {
                    unplannable.push(u);
                    continue;
                }
            }
        };
        let (language, urgency, introduced, deadline, earliest, needs) = facts;
        let officer = index_of(&officer, &mut officers);
        candidates.push(plan::Candidate {
            case: case.number.to_string(),
            officer,
            language: language.as_ref().map(plan_language),
            deadline: if deadline == i64::MAX { slots as i64 } else { deadline },
            urgency: match urgency {
                Urgency::Detention => plan::Urgency::Detention,
                Urgency::Accelerated => plan::Urgency::Accelerated,
                Urgency::Normal => plan::Urgency::Normal,
            },
            vulnerable: needs.vulnerable,
            introduced: i64::from(introduced.to_julian_day()),
            interpreter_sex: sex(needs.interpreter_sex),
            officer_sex: sex(needs.officer_sex),
            earliest,
            family: None,
            video_allowed: true,
        });
        cases.push(case);
    }
    families(&mut candidates, &cases, &fixed_cases);
    let default_calendar = OfficerCalendar::default();
    let plan_officers = officers
        .iter()
        .map(|login| {
            let calendar = calendars.get(login.as_str()).unwrap_or(&default_calendar);
            plan::Officer {
                available: half_days.iter().map(|h| !calendar.absences.contains_key(h)).collect(),
                capacity: calendar.capacity,
                sex: sex(calendar.sex),
            }
        })
        .collect();
    // Another division's bookings take the interpreter or room; this division's kept ones do not.
    let plan_interpreters = interpreters
        .iter()
        .map(|i| plan::Interpreter {
            languages: i.languages.iter().map(plan_language).collect(),
            sex: sex(i.sex),
            in_person: i.in_person,
            video: i.video,
            available: half_days
                .iter()
                .map(|h| {
                    i.bookable(h.date)
                        && i.available.contains(h)
                        && i.bookings.get(h).is_none_or(|b| fixed_cases.contains(&b.case))
                })
                .collect(),
        })
        .collect();
    let plan_rooms = rooms
        .iter()
        .map(|r| plan::Room {
            kind: room_kind(r.kind.unwrap_or(RoomKind::Booth)),
            available: half_days
                .iter()
                .map(|h| !r.closed.contains_key(h) && r.bookings.get(h).is_none_or(|c| fixed_cases.contains(c)))
                .collect(),
        })
        .collect();
    let instance = plan::Instance {
        slots: slots as u32,
        interpreter_capacity: 1,
        candidates,
        officers: plan_officers,
        interpreters: plan_interpreters,
        rooms: plan_rooms,
        fixed,
        replanning: false,
    };
    Ok(Built { instance, half_days, cases, officers, interpreters, rooms, unplannable, fixed_cases })
}

/// Family members whose fears are heard together (each case naming the others) are one group,
/// convened the same half-day by their officer; a group whose cases have different officers,
/// or one already convened, is planned case by case.
fn families(candidates: &mut [plan::Candidate], cases: &[Case], fixed: &HashSet<CaseNumber>) {
    let index: HashMap<CaseNumber, usize> = cases.iter().enumerate().map(|(i, c)| (c.number, i)).collect();
    let mut parent: Vec<usize> = (0..cases.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, case) in cases.iter().enumerate() {
        let Some(needs) = &case.interview_needs else { continue };
        for other in &needs.heard_with {
            if let Some(&j) = index.get(other) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..cases.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut next = 0u32;
    for members in groups.values().filter(|m| m.len() > 1) {
        let one_officer = members.iter().all(|&m| candidates[m].officer == candidates[members[0]].officer);
        if !one_officer || members.iter().any(|&m| fixed.contains(&cases[m].number)) {
            continue;
        }
        for &m in members {
            candidates[m].family = Some(next);
        }
        next += 1;
    }
}

/// Whether a convocation already sent is still possible as it is (else the week is replanned).
fn still_possible(instance: &plan::Instance, f: &plan::Convocation) -> bool {
    let s = f.slot as usize;
    let c = &instance.candidates[f.candidate];
    instance.officers[c.officer].available[s]
        && instance.rooms[f.room].available[s]
        && f.interpreter.is_none_or(|i| instance.interpreters[i].available[s])
}

fn reason_key(r: &plan::Reason) -> String {
    use plan::Reason as R;
    match r {
        R::AlreadyConvened => "already-convened".into(),
        R::DeadlineWithin(n) => format!("deadline-within:{n}"),
        R::Overdue(n) => format!("overdue:{n}"),
        R::Detention => "detention".into(),
        R::Accelerated => "accelerated".into(),
        R::Vulnerable => "vulnerable".into(),
        R::OldestFirst => "oldest-first".into(),
        R::EarliestFreeSlot => "earliest-free-slot".into(),
        R::Family(_) => "family".into(),
        R::Video => "video".into(),
        R::SexPreferenceHonoured => "sex-honoured".into(),
        R::SexPreferenceNotHonoured(plan::SexMismatch::Officer) => "sex-not-honoured-officer".into(),
        R::SexPreferenceNotHonoured(plan::SexMismatch::Interpreter) => "sex-not-honoured-interpreter".into(),
    }
}

struct Solved {
    built: Built,
    plan: plan::InterviewPlan,
    baseline_held: usize,
}

async fn solve(office: &Office, division: &str, monday: Date) -> Result<Solved, OfficeError> {
    let mut built = build(office, division, monday).await?;
    built.instance.replanning = !built.instance.fixed.iter().all(|f| still_possible(&built.instance, f));
    let instance = built.instance.clone();
    let (plan, baseline) = tokio::task::spawn_blocking(move || {
        let plan = plan::solve_interviews(&instance, &LIMITS)?;
        let baseline = plan::greedy_interviews(&instance).ok();
        Ok::<_, nansen_plan::PlanError>((plan, baseline))
    })
    .await
    .map_err(|e| OfficeError::Internal(format!("planning: {e}")))?
    .map_err(|e| OfficeError::Internal(format!("planning: {e}")))?;
    let baseline_held = baseline.map_or(0, |b| b.interviews.len());
    Ok(Solved { built, plan, baseline_held })
}

fn view(solved: &Solved, division: &str, monday: Date, may_send: bool) -> WeekView {
    let Solved { built, plan, baseline_held } = solved;
    let half_day = |s: u32| built.half_days[s as usize];
    let interviews: Vec<PlannedLine> = plan
        .interviews
        .iter()
        .map(|p| {
            let cv = &p.convocation;
            let case = &built.cases[cv.candidate];
            let interpreter = cv.interpreter.map(|i| &built.interpreters[i]);
            PlannedLine {
                case: case.number,
                officer: built.officers[p.officer].to_string(),
                half_day: half_day(cv.slot),
                interpreter: interpreter.and_then(|i| i.id.as_ref().map(|id| id.to_string())),
                interpreter_name: interpreter.map(|i| i.name.clone()),
                language: built.instance.candidates[cv.candidate].language.as_ref().and_then(|l| {
                    let code = match &l.dialect {
                        Some(d) => format!("{}:{d}", l.code),
                        None => l.code.clone(),
                    };
                    Spoken::parse(&code).ok().map(|s| language_label(&s))
                }),
                room: built.rooms[cv.room].code.as_ref().map(|c| c.to_string()).unwrap_or_default(),
                video: cv.video,
                sent: built.fixed_cases.contains(&case.number),
                reasons: p.reasons.iter().map(reason_key).collect(),
            }
        })
        .collect();
    let shortages = plan
        .shortages
        .iter()
        .map(|s| {
            let (cause, officer, slots): (&'static str, Option<String>, Vec<u32>) = match &s.cause {
                plan::ShortageCause::NoticeTooShort => ("notice", None, vec![]),
                plan::ShortageCause::OfficerBusy { officer } => {
                    ("officer-busy", Some(built.officers[*officer].to_string()), vec![])
                }
                plan::ShortageCause::NoInterpreter { slots, booked_out: false } => {
                    ("no-interpreter", None, slots.clone())
                }
                plan::ShortageCause::NoInterpreter { slots, booked_out: true } => {
                    ("interpreters-booked", None, slots.clone())
                }
                plan::ShortageCause::NoRoom { slots } => ("no-room", None, slots.clone()),
                plan::ShortageCause::Displaced => ("displaced", None, vec![]),
            };
            ShortageLine {
                language: s.language.as_ref().and_then(|l| Spoken::parse(&l.code).ok()).map(|l| language_label(&l)),
                due_by: usize::try_from(s.due_by).ok().and_then(|i| built.half_days.get(i).copied()),
                cases: s.cases.iter().map(|c| built.cases[*c].number).collect(),
                cause,
                officer,
                half_days: slots.into_iter().map(half_day).collect(),
            }
        })
        .collect();
    let changes = plan
        .changes
        .iter()
        .map(|c| match c {
            plan::Change::Rebooked { from, to } => ChangeLine {
                case: built.cases[from.candidate].number,
                kind: "rebooked",
                from: half_day(from.slot),
                to: Some(half_day(to.slot)),
            },
            plan::Change::Moved { from, to } => ChangeLine {
                case: built.cases[from.candidate].number,
                kind: "moved",
                from: half_day(from.slot),
                to: Some(half_day(to.slot)),
            },
            plan::Change::Cancelled { from } => ChangeLine {
                case: built.cases[from.candidate].number,
                kind: "cancelled",
                from: half_day(from.slot),
                to: None,
            },
        })
        .collect();
    let to_send = interviews.iter().filter(|i| !i.sent).count();
    WeekView {
        division: division.to_owned(),
        monday,
        half_days: built.half_days.clone(),
        candidates: built.instance.candidates.len(),
        interviews,
        shortages,
        changes,
        unplannable: built.unplannable.clone(),
        status: match plan.status {
            nansen_plan::Status::Optimal => "optimal",
            nansen_plan::Status::WithinGap => "within-gap",
            nansen_plan::Status::TimeLimit => "time-limit",
        },
        gap_percent: if plan.gap.is_finite() { (plan.gap * 10_000.0).round() / 100.0 } else { 0.0 },
        seconds: (plan.seconds * 100.0).round() / 100.0,
        baseline_held: *baseline_held,
        already_sent: built.fixed_cases.len(),
        to_send,
        replanning: built.instance.replanning,
        may_send,
    }
}

fn division_of(agent: &Agent) -> Result<String, OfficeError> {
    agent
        .principal
        .division
        .clone()
        .ok_or_else(|| OfficeError::field("division", "your account belongs to no division"))
}

/// The plan of the agent's division for the week of `monday` (computed, not sent).
pub async fn week(office: &Office, agent: &Agent, monday: Date) -> Result<WeekView, OfficeError> {
    let answers = office
        .ask(agent, &[Act::ReadPlanning, Act::PlanInterviews], &Resource::Office, &format!("planning:{monday}"))
        .await?;
    let monday = within_reach(office, monday)?;
    let division = division_of(agent)?;
    let solved = solve(office, &division, monday).await?;
    Ok(view(&solved, &division, monday, answers.allowed(1) && monday > office.today()))
}

/// What sending did.
#[derive(Debug, Clone, Serialize)]
pub struct Sent {
    pub sent: Vec<CaseNumber>,
    /// Convocations already sent that the replanning moved to another half-day (or room): each
    /// a new convocation letter in the applicant's space.
    pub moved: Vec<CaseNumber>,
    /// Convocations kept as sent with another interpreter: the applicant's letter stays valid.
    pub rebooked: Vec<CaseNumber>,
    /// Convocations the replanning could not hold: still booked, to be replanned or excused by
    /// hand (the plan names the cause).
    pub cancelled: Vec<CaseNumber>,
    /// Convocations refused at sending (something changed since the plan was computed), with
    /// the reason; the rest were sent.
    pub refused: Vec<(CaseNumber, String)>,
}

/// Plans the week again and sends its new convocations: each one books the interpreter, the
/// room and the officer's half-day, schedules the case and files its convocation letter in the
/// applicant's space, in one commit. A convocation another agent's booking made impossible in
/// the meantime is refused alone and reported.
pub async fn send(office: &Office, agent: &Agent, monday: Date) -> Result<Sent, OfficeError> {
    let subject = format!("planning:{monday}");
    let mut refused = Vec::new();
    let mut cases = Vec::new();
    let mut cancelled = Vec::new();
    let results = office
        .act_each(agent, Act::PlanInterviews, &Resource::Office, &subject, async || {
            let monday = within_reach(office, monday)?;
            if monday <= office.today() {
                return Err(OfficeError::field("monday", "a week is sent before it starts"));
            }
            let division = division_of(agent)?;
            let solved = solve(office, &division, monday).await?;
            let now = office.now();
            let mut ops = Vec::new();
            // Changes to convocations already sent go first: what they free, new ones may take.
            for change in ordered_changes(&solved.plan.changes) {
                let built = &solved.built;
                let (from, to) = match change {
                    plan::Change::Moved { from, to } | plan::Change::Rebooked { from, to } => (from, to),
                    plan::Change::Cancelled { from } => {
                        cancelled.push(built.cases[from.candidate].number);
                        continue;
                    }
                };
                let case = &built.cases[from.candidate];
                let Some(p) = solved.plan.interviews.iter().find(|p| p.convocation.candidate == to.candidate) else {
                    continue;
                };
                let kind = if from.slot != to.slot || from.room != to.room { Moved::Letter } else { Moved::Quiet };
                match change_ops(office, agent, built, p, from, case, now, kind).await {
                    Ok(op) => {
                        ops.push(op);
                        cases.push((case.number, Some(kind)));
                    }
                    Err(e) => refused.push((case.number, e.to_string())),
                }
            }
            for p in &solved.plan.interviews {
                let built = &solved.built;
                let case = &built.cases[p.convocation.candidate];
                if built.fixed_cases.contains(&case.number) {
                    continue;
                }
                match convocation_ops(office, agent, built, p, case, now).await {
                    Ok(op) => {
                        ops.push(op);
                        cases.push((case.number, None));
                    }
                    Err(e) => refused.push((case.number, e.to_string())),
                }
            }
            Ok(ops)
        })
        .await?;
    let (mut sent, mut moved, mut rebooked) = (Vec::new(), Vec::new(), Vec::new());
    for ((case, change), result) in cases.into_iter().zip(results) {
        match (result, change) {
            (Ok(_), None) => sent.push(case),
            (Ok(_), Some(Moved::Letter)) => moved.push(case),
            (Ok(_), Some(Moved::Quiet)) => rebooked.push(case),
            (Err(e), _) => refused.push((case, e.to_string())),
        }
    }
    Ok(Sent { sent, moved, rebooked, cancelled, refused })
}

/// Whether a change to a convocation sent needs a new letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Moved {
    /// Another half-day or room: the case is scheduled again and a new letter filed.
    Letter,
    /// Another interpreter only: the bookings change, the letter stays valid.
    Quiet,
}

/// The changes in an order where a change that frees a room or an interpreter comes before one
/// that takes it (a swap, which no order serves, is left as it comes: its second half is
/// refused and reported).
fn ordered_changes(changes: &[plan::Change]) -> Vec<&plan::Change> {
    let holds = |c: &plan::Change, slot: u32, room: usize, interpreter: Option<usize>| {
        let from = match c {
            plan::Change::Moved { from, .. } | plan::Change::Rebooked { from, .. } => from,
            plan::Change::Cancelled { .. } => return false,
        };
        from.slot == slot && (from.room == room || (interpreter.is_some() && from.interpreter == interpreter))
    };
    let mut left: Vec<&plan::Change> = changes.iter().collect();
    let mut out = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let free = left.iter().position(|c| match c {
            plan::Change::Moved { to, .. } | plan::Change::Rebooked { to, .. } => {
                !left.iter().any(|o| !std::ptr::eq(*o, *c) && holds(o, to.slot, to.room, to.interpreter))
            }
            plan::Change::Cancelled { .. } => true,
        });
        out.push(left.remove(free.unwrap_or(0)));
    }
    out
}

/// A convocation sent that the new plan changes: the old bookings released and the new ones
/// made in one commit, with, for another half-day or room, the case scheduled again and a new
/// convocation letter filed in the applicant's space.
#[allow(clippy::too_many_arguments)]
async fn change_ops(
    office: &Office,
    agent: &Agent,
    built: &Built,
    p: &plan::PlannedInterview,
    from: &plan::Convocation,
    case: &Case,
    now: time::OffsetDateTime,
    kind: Moved,
) -> Result<Op, OfficeError> {
    let old = built.half_days[from.slot as usize];
    let number = case.number;
    let mut commands = vec![PlanningCommand::Calendar {
        officer: built.officers[p.officer].clone(),
        command: CalendarCommand::Release { half_day: old, case: number },
    }];
    if let Some(code) = built.rooms[from.room].code.clone() {
        commands.push(PlanningCommand::Room { code, command: RoomCommand::Release { half_day: old, case: number } });
    }
    if let Some(id) = from.interpreter.and_then(|i| built.interpreters[i].id.clone()) {
        commands.push(PlanningCommand::Interpreter {
            id,
            command: InterpreterCommand::Release { half_day: old, case: number },
        });
    }
    let (bookings, schedule) = bookings_of(built, p, case)?;
    commands.extend(bookings);
    let case_commands = match kind {
        Moved::Letter => {
            let scheduled =
                crate::target::predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&schedule))?;
            let letter = crate::letters::print(office, &scheduled, LetterKind::Convocation, now, None).await?;
            vec![schedule, crate::letters::issue_command(letter)]
        }
        Moved::Quiet => Vec::new(),
    };
    let action = if case_commands.is_empty() {
        Action::Planning { commands, case: None }
    } else {
        Action::Planning { commands, case: Some((number, case_commands)) }
    };
    Ok(Op { actor: agent.login.clone(), now, action })
}

async fn convocation_ops(
    office: &Office,
    agent: &Agent,
    built: &Built,
    p: &plan::PlannedInterview,
    case: &Case,
    now: time::OffsetDateTime,
) -> Result<Op, OfficeError> {
    let (commands, schedule) = bookings_of(built, p, case)?;
    let scheduled = crate::target::predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&schedule))?;
    let letter = crate::letters::print(office, &scheduled, LetterKind::Convocation, now, None).await?;
    let issue = crate::letters::issue_command(letter);
    Ok(Op {
        actor: agent.login.clone(),
        now,
        action: Action::Planning { commands, case: Some((case.number, vec![schedule, issue])) },
    })
}

/// The bookings of a planned interview (interpreter, room, the officer's half-day) and the
/// case's scheduling that states them.
fn bookings_of(
    built: &Built,
    p: &plan::PlannedInterview,
    case: &Case,
) -> Result<(Vec<PlanningCommand>, Command), OfficeError> {
    let cv = &p.convocation;
    let half_day = built.half_days[cv.slot as usize];
    let room = &built.rooms[cv.room];
    let room_code = room.code.clone().ok_or_else(|| OfficeError::Internal("a room without a code".into()))?;
    let mut commands = Vec::new();
    let mut language = None;
    if let (Some(i), Some(wanted)) = (cv.interpreter, built.instance.candidates[cv.candidate].language.as_ref()) {
        let interpreter = &built.interpreters[i];
        let id =
            interpreter.id.clone().ok_or_else(|| OfficeError::Internal("an interpreter without a number".into()))?;
        let code = match &wanted.dialect {
            Some(d) => format!("{}:{d}", wanted.code),
            None => wanted.code.clone(),
        };
        let spoken = Spoken::parse(&code).map_err(OfficeError::Domain)?;
        language = Some(spoken.clone());
        commands.push(PlanningCommand::Interpreter {
            id,
            command: InterpreterCommand::Book {
                half_day,
                booking: Booking { case: case.number, language: spoken, room: room_code.clone(), video: cv.video },
            },
        });
    }
    commands.push(PlanningCommand::Room {
        code: room_code.clone(),
        command: RoomCommand::Book { half_day, case: case.number },
    });
    commands.push(PlanningCommand::Calendar {
        officer: built.officers[p.officer].clone(),
        command: CalendarCommand::Book { half_day, case: case.number },
    });
    let mode = if cv.video && room.kind == Some(RoomKind::VideoRoom) {
        InterviewMode::VideoLink
    } else {
        InterviewMode::InPerson
    };
    let mut interview = Interview::new(half_day.date, mode);
    interview.place = Some(format!("{} — {}, {} ({})", room.name, room.site, half_day.starts_at(), room_code));
    interview.interpreter = match &language {
        Some(l) => Some(Language::parse(l.code.as_str()).map_err(OfficeError::Domain)?),
        None => None,
    };
    Ok((commands, Command::ScheduleInterview(interview)))
}
