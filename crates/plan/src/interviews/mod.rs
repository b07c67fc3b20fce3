//! Interview planning (issue 12): which applicants to convene in which half-day, with which
//! interpreter and in which room, for a week of half-days.
//!
//! Like the rest of the crate it is a pure adapter: the caller supplies the instance (plain
//! data, indices into its own lists) and words the structured answers (reasons, shortages,
//! changes) in the user's language. [`solve_interviews`] is the exact planner (a MIP over
//! `case × half-day` with interpreters and rooms counted, then matched per half-day),
//! [`greedy_interviews`] the earliest-deadline-first baseline, [`validate`] the checker both are
//! held to, [`metrics`] the figures to compare plans, and [`generate`] a seeded synthetic office.

mod generate;
mod greedy;
mod solve;

pub use generate::{generate, Size};
pub use greedy::greedy_interviews;
pub use solve::solve_interviews;

use crate::model::{PlanError, Status};

/// A half-day of the horizon, `0..Instance::slots` (a week is 10).
pub type Slot = u32;

/// Sex of an officer or interpreter, or the one an applicant asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sex {
    /// Female.
    Female,
    /// Male.
    Male,
}

/// How urgent a case is by law; detention cases come first, then accelerated procedures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Urgency {
    /// The applicant is detained: the shortest legal deadlines.
    Detention,
    /// Accelerated procedure.
    Accelerated,
    /// Normal procedure.
    Normal,
}

impl Urgency {
    /// Relative weight of holding such an interview.
    fn weight(self) -> f64 {
        match self {
            Urgency::Detention => 4.0,
            Urgency::Accelerated => 2.0,
            Urgency::Normal => 1.0,
        }
    }
}

/// A language as a code (ISO 639-3, e.g. `"tir"`) and an optional dialect.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language {
    /// Language code.
    pub code: String,
    /// Dialect, when it matters.
    pub dialect: Option<String>,
}

impl Language {
    /// A language without dialect.
    pub fn new(code: &str) -> Self {
        Self { code: code.to_string(), dialect: None }
    }

    /// Whether an interpreter speaking `self` can interpret for an applicant asking for
    /// `wanted`: same code, and same dialect when the applicant asks for one (an applicant who
    /// asks for no dialect is served by any interpreter of the language).
    pub fn serves(&self, wanted: &Language) -> bool {
        self.code == wanted.code && (wanted.dialect.is_none() || self.dialect == wanted.dialect)
    }
}

/// An interview to convene (one applicant; interviews take one half-day of the officer).
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The caller's case id (only echoed back).
    pub case: String,
    /// Index of the case's officer (fixed: the officer who handles the case holds the interview).
    pub officer: usize,
    /// Language to interpret; `None` when the interview needs no interpreter (e.g. French).
    pub language: Option<Language>,
    /// Last half-day on which the interview is held in time. May lie beyond the horizon, or
    /// before it (negative: the deadline has already passed).
    pub deadline: i64,
    /// Legal urgency.
    pub urgency: Urgency,
    /// Vulnerable applicant: comes before others of the same urgency.
    pub vulnerable: bool,
    /// Day the application was introduced (any monotone scale, e.g. days since an epoch);
    /// older cases come slightly first.
    pub introduced: i64,
    /// Sex of interpreter the applicant asked for (soft).
    pub interpreter_sex: Option<Sex>,
    /// Sex of officer the applicant asked for (soft; the officer is fixed, so the plan can only
    /// report whether it is honoured).
    pub officer_sex: Option<Sex>,
    /// Earliest half-day (minimum notice between the convocation and the interview).
    pub earliest: Slot,
    /// Family group: members are convened on the same half-day with the same officer; each
    /// member is an interview of its own (one unit of the officer's capacity, an interpreter
    /// and a room each), so a family of two needs an officer who holds two that half-day.
    pub family: Option<u32>,
    /// Whether the interpreter may join by video (else in person only).
    pub video_allowed: bool,
}

/// A protection officer.
#[derive(Debug, Clone, PartialEq)]
pub struct Officer {
    /// Per half-day: whether the officer can hold interviews (`len == slots`).
    pub available: Vec<bool>,
    /// Interviews per half-day (usually 1, sometimes 2).
    pub capacity: u32,
    /// Sex, if known.
    pub sex: Option<Sex>,
}

/// An interpreter.
#[derive(Debug, Clone, PartialEq)]
pub struct Interpreter {
    /// Languages (and dialects) the interpreter works in.
    pub languages: Vec<Language>,
    /// Sex, if known.
    pub sex: Option<Sex>,
    /// Comes to the office.
    pub in_person: bool,
    /// Works by video.
    pub video: bool,
    /// Per half-day: whether the interpreter is booked for the office (`len == slots`).
    pub available: Vec<bool>,
}

/// What a room is equipped for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoomKind {
    /// Interview booth without video: in-person interpreter or no interpreter.
    Booth,
    /// Booth with video: any interview.
    VideoBooth,
    /// Video room: interpreter by video, or no interpreter (no seat for an interpreter).
    VideoRoom,
}

/// An interview room.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Equipment.
    pub kind: RoomKind,
    /// Per half-day: whether the room is free (`len == slots`).
    pub available: Vec<bool>,
}

/// A convocation: who, when, with which interpreter (by video or not) and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Convocation {
    /// Candidate index.
    pub candidate: usize,
    /// Half-day.
    pub slot: Slot,
    /// Interpreter index, `None` without interpreter.
    pub interpreter: Option<usize>,
    /// Whether the interpreter joins by video.
    pub video: bool,
    /// Room index.
    pub room: usize,
}

/// An interview planning instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Instance {
    /// Number of half-days in the horizon.
    pub slots: u32,
    /// Interviews an interpreter can interpret in one half-day (usually 1); in one half-day an
    /// interpreter works in one language and one mode.
    pub interpreter_capacity: u32,
    /// Interviews to convene.
    pub candidates: Vec<Candidate>,
    /// Officers.
    pub officers: Vec<Officer>,
    /// Interpreters.
    pub interpreters: Vec<Interpreter>,
    /// Rooms.
    pub rooms: Vec<Room>,
    /// Convocations already sent. In a fresh plan (`replanning == false`) they are part of the
    /// plan as they are; when replanning they are kept as far as possible (see
    /// [`solve_interviews`]), and every change is reported.
    pub fixed: Vec<Convocation>,
    /// Replanning after an absence: the fixed convocations may be changed, at a high price.
    pub replanning: bool,
}

/// Why an interview is planned where it is (machine-readable; the caller words it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reason {
    /// The convocation was already sent and is kept.
    AlreadyConvened,
    /// Held `n` half-days before its deadline, which falls inside the horizon.
    DeadlineWithin(u32),
    /// The deadline has passed (`n` half-days late at this slot): as early as could be.
    Overdue(u32),
    /// Detention case.
    Detention,
    /// Accelerated procedure.
    Accelerated,
    /// Vulnerable applicant.
    Vulnerable,
    /// Introduced before most other candidates.
    OldestFirst,
    /// The earliest half-day the officer could hold it.
    EarliestFreeSlot,
    /// Convened with its family on the same half-day.
    Family(u32),
    /// The interpreter joins by video.
    Video,
    /// The requested sex (of interpreter or officer) is honoured.
    SexPreferenceHonoured,
    /// The requested sex is not honoured, and why.
    SexPreferenceNotHonoured(SexMismatch),
}

/// Why a sex preference is not honoured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SexMismatch {
    /// The case's officer is of the other sex (officers are not reassigned by the plan).
    Officer,
    /// No interpreter of the requested sex was free for the language on that half-day.
    Interpreter,
}

/// One planned interview.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedInterview {
    /// The candidate's case id (as given).
    pub case: String,
    /// The convocation.
    pub convocation: Convocation,
    /// Officer (the candidate's).
    pub officer: usize,
    /// Why it is there.
    pub reasons: Vec<Reason>,
}

/// What kept interviews due before the end of the horizon out of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ShortageCause {
    /// The deadline (or the end of the horizon) comes before the minimum notice allows.
    NoticeTooShort,
    /// The officer has no free half-day (absent or full) in the window.
    OfficerBusy {
        /// The officer.
        officer: usize,
    },
    /// On these half-days the officer was free, but no interpreter of the language was
    /// (`booked_out` false: none available at all; true: all were busy).
    NoInterpreter {
        /// The half-days.
        slots: Vec<Slot>,
        /// Whether interpreters were available but all busy.
        booked_out: bool,
    },
    /// On these half-days the officer and an interpreter were free, but no suitable room.
    NoRoom {
        /// The half-days.
        slots: Vec<Slot>,
    },
    /// Resources were free, but using them for this interview would have displaced a more
    /// valuable one (e.g. a family member could not be convened with the others), or the
    /// solver stopped before finding a place.
    Displaced,
}

/// Interviews due before the horizon ends that the plan does not hold, grouped by language and
/// cause: "`cases.len()` interviews in `language` due by slot `due_by`: `cause`".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortage {
    /// The language (`None`: no interpreter needed).
    pub language: Option<Language>,
    /// Latest deadline among the cases (negative: all overdue already).
    pub due_by: i64,
    /// Candidate indices.
    pub cases: Vec<usize>,
    /// Why.
    pub cause: ShortageCause,
}

/// What happened to an already-sent convocation when replanning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Same half-day, but another interpreter and/or room (internal rebooking; the applicant's
    /// convocation, which states the half-day, stays valid).
    Rebooked {
        /// The old convocation.
        from: Convocation,
        /// The new one.
        to: Convocation,
    },
    /// Moved to another half-day: a new convocation must be sent.
    Moved {
        /// The old convocation.
        from: Convocation,
        /// The new one.
        to: Convocation,
    },
    /// No longer in the plan: the applicant must be told.
    Cancelled {
        /// The old convocation.
        from: Convocation,
    },
}

/// A plan and how good it is known to be.
#[derive(Debug, Clone, PartialEq)]
pub struct InterviewPlan {
    /// Planned interviews, by slot then candidate.
    pub interviews: Vec<PlannedInterview>,
    /// Interviews due before the end of the horizon that are not planned.
    pub shortages: Vec<Shortage>,
    /// When replanning: every already-sent convocation not kept exactly as it was.
    pub changes: Vec<Change>,
    /// Value of the plan (see [`solve_interviews`]).
    pub objective: f64,
    /// Proven upper bound of the value (`NaN` when unknown).
    pub bound: f64,
    /// Relative gap between value and bound (`NaN` when unknown).
    pub gap: f64,
    /// How good the plan is known to be.
    pub status: Status,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl InterviewPlan {
    /// Convocations that must be sent again (moved to another half-day or cancelled).
    pub fn new_convocations(&self) -> usize {
        self.changes.iter().filter(|c| !matches!(c, Change::Rebooked { .. })).count()
    }
}

/// A way a plan breaks the instance's rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// An index (candidate, officer, interpreter, room) or slot is out of range.
    #[error("interview of candidate {0}: index or slot out of range")]
    OutOfRange(usize),
    /// A candidate is convened more than once.
    #[error("candidate {0} convened twice")]
    ConvenedTwice(usize),
    /// The officer is not the candidate's, is absent, or holds more than their capacity.
    #[error("officer {officer} on slot {slot}: absent, over capacity or not the case's")]
    Officer {
        /// Officer.
        officer: usize,
        /// Slot.
        slot: Slot,
    },
    /// The interview is before the candidate's earliest slot.
    #[error("candidate {0} convened before the minimum notice")]
    TooEarly(usize),
    /// Missing or superfluous interpreter, wrong language, absent, wrong mode, over capacity or
    /// working in two languages or modes in one half-day.
    #[error("interpreter {interpreter:?} on slot {slot} for candidate {candidate}")]
    Interpreter {
        /// Candidate.
        candidate: usize,
        /// Interpreter.
        interpreter: Option<usize>,
        /// Slot.
        slot: Slot,
    },
    /// Room unavailable, double-booked or unsuited to the mode.
    #[error("room {room} on slot {slot}")]
    Room {
        /// Room.
        room: usize,
        /// Slot.
        slot: Slot,
    },
    /// Video for a candidate who needs the interpreter in person.
    #[error("candidate {0}: video not allowed")]
    Video(usize),
    /// Members of a family are not all convened on the same half-day with the same officer.
    #[error("family {0} split")]
    FamilySplit(u32),
    /// A fixed convocation (fresh plan) is not in the plan as it was.
    #[error("fixed convocation of candidate {0} changed")]
    FixedChanged(usize),
    /// When replanning, a change is not reported, or reported wrongly.
    #[error("change for candidate {0} not reported correctly")]
    ChangeReport(usize),
}

/// Checks that `plan` keeps every rule of `instance`: each candidate at most once, on or after
/// its earliest slot, with its own officer while available and within capacity; an interpreter
/// exactly when a language is needed, serving it, available, in a mode both allow, within
/// capacity and in one language and mode per half-day; a room available, suited and booked
/// once per half-day; families together; fixed convocations unchanged in a fresh plan and
/// changes reported exactly when replanning.
pub fn validate(instance: &Instance, plan: &InterviewPlan) -> Result<(), Violation> {
    let h = instance.slots;
    let mut seen = vec![false; instance.candidates.len()];
    let mut officer_load = vec![0u32; instance.officers.len() * h as usize];
    let mut interp_use: Vec<Option<(usize, bool, u32)>> = vec![None; instance.interpreters.len() * h as usize];
    let mut room_used = vec![false; instance.rooms.len() * h as usize];
    let mut family_at: std::collections::HashMap<u32, Slot> = std::collections::HashMap::new();
    let mut slot_of = vec![None; instance.candidates.len()];
    for p in &plan.interviews {
        let cv = &p.convocation;
        let c = cv.candidate;
        let cand = instance.candidates.get(c).ok_or(Violation::OutOfRange(c))?;
        if cv.slot >= h || p.officer >= instance.officers.len() || cv.room >= instance.rooms.len() {
            return Err(Violation::OutOfRange(c));
        }
        let d = cv.slot as usize;
        if std::mem::replace(&mut seen[c], true) {
            return Err(Violation::ConvenedTwice(c));
        }
        slot_of[c] = Some(cv.slot);
        let officer = &instance.officers[p.officer];
        let load = &mut officer_load[p.officer * h as usize + d];
        *load += 1;
        if p.officer != cand.officer || !officer.available.get(d).copied().unwrap_or(false) || *load > officer.capacity
        {
            return Err(Violation::Officer { officer: p.officer, slot: cv.slot });
        }
        if cv.slot < cand.earliest {
            return Err(Violation::TooEarly(c));
        }
        let bad_interp = Violation::Interpreter { candidate: c, interpreter: cv.interpreter, slot: cv.slot };
        match (&cand.language, cv.interpreter) {
            (None, None) => {
                if cv.video {
                    return Err(bad_interp);
                }
            }
            (Some(lang), Some(i)) => {
                let interp = instance.interpreters.get(i).ok_or(Violation::OutOfRange(c))?;
                let class = interp.languages.iter().position(|l| l.serves(lang)).ok_or(bad_interp.clone())?;
                let _ = class;
                if !interp.available.get(d).copied().unwrap_or(false)
                    || (cv.video && !interp.video)
                    || (!cv.video && !interp.in_person)
                {
                    return Err(bad_interp);
                }
                if cv.video && !cand.video_allowed {
                    return Err(Violation::Video(c));
                }
                // One language (as asked by the applicants) and one mode per half-day.
                let key = language_key(instance, lang);
                let slot_use = &mut interp_use[i * h as usize + d];
                match slot_use {
                    None => *slot_use = Some((key, cv.video, 1)),
                    Some((k, v, n)) => {
                        *n += 1;
                        if *k != key || *v != cv.video || *n > instance.interpreter_capacity {
                            return Err(bad_interp);
                        }
                    }
                }
            }
            _ => return Err(bad_interp),
        }
        let room = &instance.rooms[cv.room];
        let suited = match (cand.language.is_some(), cv.video) {
            (false, _) => true,
            (true, false) => room.kind != RoomKind::VideoRoom,
            (true, true) => room.kind != RoomKind::Booth,
        };
        if !suited
            || !room.available.get(d).copied().unwrap_or(false)
            || std::mem::replace(&mut room_used[cv.room * h as usize + d], true)
        {
            return Err(Violation::Room { room: cv.room, slot: cv.slot });
        }
        if let Some(f) = cand.family {
            if *family_at.entry(f).or_insert(cv.slot) != cv.slot {
                return Err(Violation::FamilySplit(f));
            }
        }
    }
    for (c, cand) in instance.candidates.iter().enumerate() {
        if let Some(f) = cand.family {
            let together = family_at.get(&f).is_none_or(|_| seen[c]);
            let same_officer = instance
                .candidates
                .iter()
                .filter(|o| o.family == Some(f))
                .all(|o| o.officer == cand.officer || !family_at.contains_key(&f));
            if !together || !same_officer {
                return Err(Violation::FamilySplit(f));
            }
        }
    }
    let planned: std::collections::HashMap<usize, &Convocation> =
        plan.interviews.iter().map(|p| (p.convocation.candidate, &p.convocation)).collect();
    for f in &instance.fixed {
        let now = planned.get(&f.candidate).copied();
        if !instance.replanning {
            if now != Some(f) {
                return Err(Violation::FixedChanged(f.candidate));
            }
            continue;
        }
        let expected = match now {
            Some(to) if to == f => None,
            Some(to) if to.slot == f.slot => Some(Change::Rebooked { from: f.clone(), to: to.clone() }),
            Some(to) => Some(Change::Moved { from: f.clone(), to: to.clone() }),
            None => Some(Change::Cancelled { from: f.clone() }),
        };
        let reported = plan.changes.iter().filter(|ch| change_candidate(ch) == f.candidate).collect::<Vec<_>>();
        let ok = match &expected {
            None => reported.is_empty(),
            Some(e) => reported.len() == 1 && reported[0] == e,
        };
        if !ok {
            return Err(Violation::ChangeReport(f.candidate));
        }
    }
    if plan.changes.iter().any(|ch| !instance.fixed.iter().any(|f| f.candidate == change_candidate(ch))) {
        let c = plan.changes.iter().map(change_candidate).next().unwrap_or(0);
        return Err(Violation::ChangeReport(c));
    }
    Ok(())
}

fn change_candidate(change: &Change) -> usize {
    match change {
        Change::Rebooked { from, .. } | Change::Moved { from, .. } | Change::Cancelled { from } => from.candidate,
    }
}

/// Index of a requested language among the distinct requested languages (stable key).
fn language_key(instance: &Instance, lang: &Language) -> usize {
    instance.candidates.iter().position(|c| c.language.as_ref() == Some(lang)).unwrap_or(usize::MAX)
}

/// Figures to compare plans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Metrics {
    /// Interviews planned.
    pub planned: usize,
    /// Interviews planned on or before their deadline.
    pub held_before_deadline: usize,
    /// Candidates whose deadline falls inside the horizon (not yet passed).
    pub due_in_horizon: usize,
    /// Of those, held on or before the deadline.
    pub due_in_horizon_held: usize,
    /// Half-days on which an interpreter interprets at least one interview.
    pub interpreter_half_days: usize,
    /// Candidates convened more than once (0 by construction; counted anyway).
    pub convened_twice: usize,
    /// Planned interviews with a sex request, and how many of those are honoured.
    pub sex_requests: usize,
    /// See `sex_requests`.
    pub sex_honoured: usize,
    /// An upper bound on the interviews any plan can hold: per officer, the candidates with a
    /// possible half-day capped by the officer's capacity, further capped by the rooms.
    pub placeable_upper_bound: usize,
}

/// Computes [`Metrics`] of a plan.
pub fn metrics(instance: &Instance, plan: &InterviewPlan) -> Metrics {
    let h = instance.slots as usize;
    let mut m = Metrics::default();
    let mut count = vec![0u32; instance.candidates.len()];
    let mut interp_days = std::collections::HashSet::new();
    for p in &plan.interviews {
        let cv = &p.convocation;
        let Some(cand) = instance.candidates.get(cv.candidate) else { continue };
        m.planned += 1;
        count[cv.candidate] += 1;
        if i64::from(cv.slot) <= cand.deadline {
            m.held_before_deadline += 1;
            if cand.deadline < h as i64 {
                m.due_in_horizon_held += 1;
            }
        }
        if let Some(i) = cv.interpreter {
            interp_days.insert((i, cv.slot));
        }
        if cand.interpreter_sex.is_some() || cand.officer_sex.is_some() {
            m.sex_requests += 1;
            if !p.reasons.iter().any(|r| matches!(r, Reason::SexPreferenceNotHonoured(_))) {
                m.sex_honoured += 1;
            }
        }
    }
    m.due_in_horizon = instance.candidates.iter().filter(|c| (0..h as i64).contains(&c.deadline)).count();
    m.convened_twice = count.iter().filter(|&&n| n > 1).count();
    m.interpreter_half_days = interp_days.len();
    m.placeable_upper_bound = placeable_upper_bound(instance);
    m
}

/// See [`Metrics::placeable_upper_bound`].
fn placeable_upper_bound(instance: &Instance) -> usize {
    let h = instance.slots as usize;
    let mut per_officer = vec![0usize; instance.officers.len()];
    for c in &instance.candidates {
        let Some(o) = instance.officers.get(c.officer) else { continue };
        let possible = (c.earliest as usize..h).any(|d| {
            o.available.get(d).copied().unwrap_or(false)
                && c.language.as_ref().is_none_or(|l| {
                    instance.interpreters.iter().any(|i| {
                        i.available.get(d).copied().unwrap_or(false) && i.languages.iter().any(|il| il.serves(l))
                    })
                })
        });
        per_officer[c.officer] += usize::from(possible);
    }
    let officers: usize = instance
        .officers
        .iter()
        .zip(&per_officer)
        .map(|(o, &n)| n.min(o.available.iter().filter(|&&a| a).count() * o.capacity as usize))
        .sum();
    let rooms: usize = instance.rooms.iter().map(|r| r.available.iter().take(h).filter(|&&a| a).count()).sum();
    officers.min(rooms)
}

/// Relative weight of a candidate: urgency, vulnerability, and (slightly) age of the case.
/// `age` is in `[0, 1]`, 1 for the oldest introduction.
fn candidate_weight(c: &Candidate, age: f64) -> f64 {
    c.urgency.weight() * if c.vulnerable { 1.5 } else { 1.0 } * (1.0 + 0.1 * age)
}

/// Value of holding candidate `c` on slot `d`, the core of the objective:
/// a base of 10 for being heard at all, 100 more when a deadline inside the horizon is met,
/// 40 more when it is missed or already passed (late interviews are still urgent), plus up to
/// 2 for an earlier slot; all scaled by [`candidate_weight`]. Interviews due after the horizon
/// thus only take what the due ones leave, and among the due ones detention, then accelerated,
/// vulnerable and older cases come first.
fn interview_value(c: &Candidate, age: f64, d: Slot, slots: u32) -> f64 {
    let w = candidate_weight(c, age);
    let on_time = i64::from(d) <= c.deadline;
    let due = c.deadline < i64::from(slots);
    let deadline = if !on_time {
        40.0
    } else if due {
        100.0
    } else {
        0.0
    };
    w * (10.0 + deadline + 2.0 * f64::from(slots - d.min(slots)) / f64::from(slots.max(1)))
}

/// Per candidate, the age in `[0, 1]` (1: introduced first).
fn ages(instance: &Instance) -> Vec<f64> {
    let min = instance.candidates.iter().map(|c| c.introduced).min().unwrap_or(0);
    let max = instance.candidates.iter().map(|c| c.introduced).max().unwrap_or(0);
    let span = (max - min).max(1) as f64;
    instance.candidates.iter().map(|c| (max - c.introduced) as f64 / span).collect()
}

/// Rejects instances the planner cannot represent faithfully.
fn check(instance: &Instance) -> Result<(), PlanError> {
    let h = instance.slots as usize;
    let bad = |m: String| Err(PlanError::Invalid(m));
    if instance.interpreter_capacity == 0 {
        return bad("interpreter capacity 0".into());
    }
    for (o, off) in instance.officers.iter().enumerate() {
        if off.available.len() != h {
            return bad(format!("officer {o}: {} availabilities for {h} slots", off.available.len()));
        }
    }
    for (i, int) in instance.interpreters.iter().enumerate() {
        if int.available.len() != h {
            return bad(format!("interpreter {i}: {} availabilities for {h} slots", int.available.len()));
        }
    }
    for (r, room) in instance.rooms.iter().enumerate() {
        if room.available.len() != h {
            return bad(format!("room {r}: {} availabilities for {h} slots", room.available.len()));
        }
    }
    let mut family_officer = std::collections::HashMap::new();
    for (c, cand) in instance.candidates.iter().enumerate() {
        if cand.officer >= instance.officers.len() {
            return bad(format!("candidate {c}: officer {} out of range", cand.officer));
        }
        if let Some(f) = cand.family {
            if *family_officer.entry(f).or_insert(cand.officer) != cand.officer {
                return bad(format!("family {f}: members have different officers"));
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for f in &instance.fixed {
        let Some(cand) = instance.candidates.get(f.candidate) else {
            return bad(format!("fixed convocation: candidate {} out of range", f.candidate));
        };
        if !seen.insert(f.candidate) {
            return bad(format!("candidate {} has two fixed convocations", f.candidate));
        }
        if f.slot as usize >= h
            || f.room >= instance.rooms.len()
            || f.interpreter.is_some_and(|i| i >= instance.interpreters.len())
            || f.interpreter.is_some() != cand.language.is_some()
        {
            return bad(format!("fixed convocation of candidate {}: out of range", f.candidate));
        }
    }
    if !instance.replanning {
        for (c, cand) in instance.candidates.iter().enumerate() {
            let Some(fam) = cand.family else { continue };
            let fixed = |x: usize| instance.fixed.iter().any(|f| f.candidate == x);
            let members = instance.candidates.iter().enumerate().filter(|(_, o)| o.family == Some(fam));
            if members.map(|(m, _)| fixed(m)).any(|f| f != fixed(c)) {
                return bad(format!("family {fam}: only some members have fixed convocations"));
            }
        }
        // A fresh plan takes the fixed convocations as they are: they must still be possible.
        let plan = InterviewPlan {
            interviews: instance
                .fixed
                .iter()
                .map(|f| PlannedInterview {
                    case: instance.candidates[f.candidate].case.clone(),
                    convocation: f.clone(),
                    officer: instance.candidates[f.candidate].officer,
                    reasons: Vec::new(),
                })
                .collect(),
            shortages: Vec::new(),
            changes: Vec::new(),
            objective: 0.0,
            bound: f64::NAN,
            gap: f64::NAN,
            status: Status::WithinGap,
            seconds: 0.0,
        };
        let mut partial = instance.clone();
        partial.fixed.clear();
        // Families are checked by the planner (the rest of a family may still be convened).
        for c in &mut partial.candidates {
            c.family = None;
        }
        if let Err(v) = validate(&partial, &plan) {
            return bad(format!("fixed convocations no longer possible ({v}): replan"));
        }
    }
    Ok(())
}
