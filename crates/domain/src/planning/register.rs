//! The register of the planning: contracted interpreting firms, their interpreters, the rooms,
//! and the officers' calendars. Four small aggregates, each journaled under its own subject
//! (`firm:`, `interpreter:`, `room:`, `calendar:`), whose bookings make a double booking
//! impossible: an interpreter in two places, a booth taken twice, an officer over capacity.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::Date;

use super::{HalfDay, Spoken};
use crate::error::DomainError;
use crate::ids::{CaseNumber, Login};
use crate::person::Sex;
use crate::serde_dates;

fn check_code(field: &'static str, s: &str, upper: bool, example: &str) -> Result<String, DomainError> {
    let s = s.trim();
    let s = if upper { s.to_ascii_uppercase() } else { s.to_ascii_lowercase() };
    if (2..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(s)
    } else {
        Err(DomainError::validation(field, format!("{s:?} is not a code like {example} (letters, digits, dashes)")))
    }
}

fn check_name(field: &'static str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 120 || s.chars().any(char::is_control) {
        return Err(DomainError::validation(field, "a name is needed (up to 120 characters)"));
    }
    Ok(s.to_owned())
}

macro_rules! code_type {
    ($name:ident, $field:literal, $upper:literal, $example:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<$name, DomainError> {
                check_code($field, s, $upper, $example).map($name)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = DomainError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::parse(&s)
            }
        }

        impl From<$name> for String {
            fn from(c: $name) -> String {
                c.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

code_type!(FirmCode, "firm", false, "ism-interpretariat", "An interpreting firm's code (lower case).");
code_type!(InterpreterId, "interpreter", true, "ISM-0042", "An interpreter's number in the register.");
code_type!(RoomCode, "room", true, "B-12", "A room's code: a booth, a video room, a mission site's room.");

// ---------------------------------------------------------------------------------------------
// Firms

/// A contracted interpreting firm (prestataire d'interprétariat), under a public contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewFirm {
    pub code: FirmCode,
    pub name: String,
    /// The contract's reference (marché public).
    pub contract: String,
    #[serde(with = "serde_dates::date")]
    pub contract_from: Date,
    /// Paid per hour interpreted, in cents.
    pub hourly_rate_cents: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Firm {
    pub code: Option<FirmCode>,
    pub name: String,
    pub contract: String,
    #[serde(default, with = "serde_dates::date::option")]
    pub contract_from: Option<Date>,
    pub hourly_rate_cents: i64,
    #[serde(default, with = "serde_dates::date::option")]
    pub ended_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum FirmCommand {
    Register(NewFirm),
    EndContract {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FirmEvent {
    Registered(NewFirm),
    ContractEnded {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

impl FirmEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            FirmEvent::Registered(_) => "firm.registered",
            FirmEvent::ContractEnded { .. } => "firm.contract_ended",
        }
    }
}

impl Firm {
    pub fn is_active(&self, on: Date) -> bool {
        self.code.is_some() && self.ended_on.is_none_or(|end| on < end)
    }

    pub fn decide(&self, command: &FirmCommand, _today: Date) -> Result<Vec<FirmEvent>, DomainError> {
        match command {
            FirmCommand::Register(new) => {
                if self.code.is_some() {
                    return Err(DomainError::validation(
                        "firm",
                        format!("the firm {} is registered already", new.code),
                    ));
                }
                let mut new = new.clone();
                new.name = check_name("name", &new.name)?;
                new.contract = check_name("contract", &new.contract)?;
                if !(100..=100_000).contains(&new.hourly_rate_cents) {
                    return Err(DomainError::validation(
                        "hourly_rate",
                        "an hourly rate between 1.00 and 1,000.00 euros",
                    ));
                }
                Ok(vec![FirmEvent::Registered(new)])
            }
            FirmCommand::EndContract { on } => {
                if self.code.is_none() {
                    return Err(DomainError::validation("firm", "no such firm in the register"));
                }
                if self.ended_on.is_some() {
                    return Err(DomainError::AlreadyDone("the firm's contract has ended"));
                }
                Ok(vec![FirmEvent::ContractEnded { on: *on }])
            }
        }
    }

    pub fn evolve(mut self, event: &FirmEvent) -> Firm {
        match event {
            FirmEvent::Registered(new) => {
                self.code = Some(new.code.clone());
                self.name = new.name.clone();
                self.contract = new.contract.clone();
                self.contract_from = Some(new.contract_from);
                self.hourly_rate_cents = new.hourly_rate_cents;
            }
            FirmEvent::ContractEnded { on } => self.ended_on = Some(*on),
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Interpreters

/// What registers an interpreter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewInterpreter {
    pub id: InterpreterId,
    pub name: String,
    pub firm: FirmCode,
    pub sex: Sex,
    pub languages: Vec<Spoken>,
    /// Comes to the office's booths.
    pub in_person: bool,
    /// Interprets by video link.
    pub video: bool,
    /// The interpreter's own limited account: their schedule, nothing of the cases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<Login>,
}

/// A conflict of interest the interpreter declared (knows the applicant, a community tie): they
/// are never booked for that case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    #[serde(with = "serde_dates::date")]
    pub declared_on: Date,
    pub case: CaseNumber,
    pub reason: String,
}

/// A half-day the interpreter is booked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub case: CaseNumber,
    pub language: Spoken,
    pub room: RoomCode,
    pub video: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interpreter {
    pub id: Option<InterpreterId>,
    pub name: String,
    pub firm: Option<FirmCode>,
    pub sex: Option<Sex>,
    pub languages: Vec<Spoken>,
    pub in_person: bool,
    pub video: bool,
    #[serde(default)]
    pub login: Option<Login>,
    /// When the charter (code of conduct) was signed; never booked before.
    #[serde(default, with = "serde_dates::date::option")]
    pub code_of_conduct: Option<Date>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// Half-days the firm offers this interpreter for.
    #[serde(default)]
    pub available: BTreeSet<HalfDay>,
    #[serde(default)]
    pub bookings: BTreeMap<HalfDay, Booking>,
    #[serde(default, with = "serde_dates::date::option")]
    pub ended_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum InterpreterCommand {
    Register(NewInterpreter),
    SignCodeOfConduct {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    DeclareConflict(Conflict),
    /// Half-days the firm offers the interpreter for.
    Offer {
        half_days: Vec<HalfDay>,
    },
    /// Half-days no longer offered (a cancellation): bookings on them stay, to be replanned.
    Withdraw {
        half_days: Vec<HalfDay>,
    },
    Book {
        half_day: HalfDay,
        booking: Booking,
    },
    Release {
        half_day: HalfDay,
        case: CaseNumber,
    },
    EndContract {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum InterpreterEvent {
    Registered(NewInterpreter),
    CodeOfConductSigned {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    ConflictDeclared(Conflict),
    Offered {
        half_days: Vec<HalfDay>,
    },
    Withdrawn {
        half_days: Vec<HalfDay>,
    },
    Booked {
        half_day: HalfDay,
        booking: Booking,
    },
    Released {
        half_day: HalfDay,
        case: CaseNumber,
    },
    ContractEnded {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

impl InterpreterEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            InterpreterEvent::Registered(_) => "interpreter.registered",
            InterpreterEvent::CodeOfConductSigned { .. } => "interpreter.code_of_conduct_signed",
            InterpreterEvent::ConflictDeclared(_) => "interpreter.conflict_declared",
            InterpreterEvent::Offered { .. } => "interpreter.offered",
            InterpreterEvent::Withdrawn { .. } => "interpreter.withdrawn",
            InterpreterEvent::Booked { .. } => "interpreter.booked",
            InterpreterEvent::Released { .. } => "interpreter.released",
            InterpreterEvent::ContractEnded { .. } => "interpreter.contract_ended",
        }
    }
}

fn half_days_ahead(half_days: &[HalfDay], today: Date) -> Result<Vec<HalfDay>, DomainError> {
    if half_days.is_empty() {
        return Err(DomainError::validation("half_days", "choose at least one half-day"));
    }
    let mut out = BTreeSet::new();
    for h in half_days {
        if h.date < today {
            return Err(DomainError::validation("half_days", format!("{h} is in the past")));
        }
        out.insert(h.working()?);
    }
    Ok(out.into_iter().collect())
}

impl Interpreter {
    fn registered(&self) -> Result<&InterpreterId, DomainError> {
        self.id.as_ref().ok_or_else(|| DomainError::validation("interpreter", "no such interpreter in the register"))
    }

    /// Whether the interpreter may be booked on `on`: registered, under contract, charter signed.
    pub fn bookable(&self, on: Date) -> bool {
        self.id.is_some()
            && self.ended_on.is_none_or(|end| on < end)
            && self.code_of_conduct.is_some_and(|signed| signed <= on)
    }

    /// Bookings on half-days no longer offered: convocations to replan.
    pub fn unstaffed(&self) -> impl Iterator<Item = (&HalfDay, &Booking)> {
        self.bookings.iter().filter(|(h, _)| !self.available.contains(h))
    }

    pub fn decide(&self, command: &InterpreterCommand, today: Date) -> Result<Vec<InterpreterEvent>, DomainError> {
        use InterpreterCommand as C;
        use InterpreterEvent as E;
        match command {
            C::Register(new) => {
                if self.id.is_some() {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!("the interpreter {} is registered already", new.id),
                    ));
                }
                let mut new = new.clone();
                new.name = check_name("name", &new.name)?;
                if new.languages.is_empty() {
                    return Err(DomainError::validation("languages", "at least one language"));
                }
                new.languages.sort();
                new.languages.dedup();
                if !new.in_person && !new.video {
                    return Err(DomainError::validation("modes", "in person, by video, or both"));
                }
                Ok(vec![E::Registered(new)])
            }
            C::SignCodeOfConduct { on } => {
                self.registered()?;
                if *on > today {
                    return Err(DomainError::NotYet(format!("the charter cannot be signed on {on}, after today")));
                }
                Ok(vec![E::CodeOfConductSigned { on: *on }])
            }
            C::DeclareConflict(conflict) => {
                self.registered()?;
                if conflict.reason.trim().is_empty() {
                    return Err(DomainError::validation("reason", "say what the conflict is"));
                }
                if self.conflicts.iter().any(|c| c.case == conflict.case) {
                    return Err(DomainError::AlreadyDone("a conflict with this case is declared"));
                }
                Ok(vec![E::ConflictDeclared(conflict.clone())])
            }
            C::Offer { half_days } => {
                self.registered()?;
                Ok(vec![E::Offered { half_days: half_days_ahead(half_days, today)? }])
            }
            C::Withdraw { half_days } => {
                self.registered()?;
                Ok(vec![E::Withdrawn { half_days: half_days_ahead(half_days, today)? }])
            }
            C::Book { half_day, booking } => {
                let id = self.registered()?;
                if !self.bookable(half_day.date) {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!("{id} cannot be booked on {half_day}: no contract, or the charter is not signed"),
                    ));
                }
                if !self.available.contains(half_day) {
                    return Err(DomainError::validation("interpreter", format!("{id} is not offered for {half_day}")));
                }
                if let Some(other) = self.bookings.get(half_day) {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!(
                            "{id} is already booked on {half_day} (room {}): an interpreter is in one place",
                            other.room
                        ),
                    ));
                }
                if !self.languages.iter().any(|l| l.serves(&booking.language)) {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!("{id} does not interpret {}", booking.language),
                    ));
                }
                if (booking.video && !self.video) || (!booking.video && !self.in_person) {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!("{id} does not work {}", if booking.video { "by video" } else { "in person" }),
                    ));
                }
                if self.conflicts.iter().any(|c| c.case == booking.case) {
                    return Err(DomainError::validation(
                        "interpreter",
                        format!("{id} declared a conflict with this case"),
                    ));
                }
                Ok(vec![E::Booked { half_day: *half_day, booking: booking.clone() }])
            }
            C::Release { half_day, case } => {
                self.registered()?;
                match self.bookings.get(half_day) {
                    Some(b) if b.case == *case => Ok(vec![E::Released { half_day: *half_day, case: *case }]),
                    _ => Err(DomainError::validation("interpreter", format!("no booking for {case} on {half_day}"))),
                }
            }
            C::EndContract { on } => {
                self.registered()?;
                if self.ended_on.is_some() {
                    return Err(DomainError::AlreadyDone("the interpreter's contract has ended"));
                }
                Ok(vec![E::ContractEnded { on: *on }])
            }
        }
    }

    pub fn evolve(mut self, event: &InterpreterEvent) -> Interpreter {
        use InterpreterEvent as E;
        match event {
            E::Registered(new) => {
                self.id = Some(new.id.clone());
                self.name = new.name.clone();
                self.firm = Some(new.firm.clone());
                self.sex = Some(new.sex);
                self.languages = new.languages.clone();
                self.in_person = new.in_person;
                self.video = new.video;
                self.login = new.login.clone();
            }
            E::CodeOfConductSigned { on } => self.code_of_conduct = Some(*on),
            E::ConflictDeclared(c) => self.conflicts.push(c.clone()),
            E::Offered { half_days } => self.available.extend(half_days.iter().copied()),
            E::Withdrawn { half_days } => {
                for h in half_days {
                    self.available.remove(h);
                }
            }
            E::Booked { half_day, booking } => {
                self.bookings.insert(*half_day, booking.clone());
            }
            E::Released { half_day, .. } => {
                self.bookings.remove(half_day);
            }
            E::ContractEnded { on } => self.ended_on = Some(*on),
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Rooms

/// What a room is equipped for (the planner's kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    /// An interview booth (box d'entretien): the interpreter sits in, or none is needed.
    Booth,
    /// A booth with video equipment: any interview, the interpreter in person or by video.
    VideoBooth,
    /// A video room approved for overseas and detention (salle de visioconférence, L.531-16):
    /// the officer at the office, the interpreter by video.
    VideoRoom,
}

impl RoomKind {
    pub const ALL: [RoomKind; 3] = [RoomKind::Booth, RoomKind::VideoBooth, RoomKind::VideoRoom];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::Booth => "booth",
            RoomKind::VideoBooth => "video_booth",
            RoomKind::VideoRoom => "video_room",
        }
    }

    pub fn parse(s: &str) -> Result<RoomKind, DomainError> {
        RoomKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            DomainError::validation("kind", format!("{s:?} is not a kind of room (booth, video_booth, video_room)"))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRoom {
    pub code: RoomCode,
    pub name: String,
    pub kind: RoomKind,
    /// Where it is: the office's site, a detention centre, a mission.
    pub site: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Room {
    pub code: Option<RoomCode>,
    pub name: String,
    pub kind: Option<RoomKind>,
    pub site: String,
    /// Half-days the room is out of use, and why.
    #[serde(default)]
    pub closed: BTreeMap<HalfDay, String>,
    #[serde(default)]
    pub bookings: BTreeMap<HalfDay, CaseNumber>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum RoomCommand {
    Open(NewRoom),
    Close { half_days: Vec<HalfDay>, reason: String },
    Reopen { half_days: Vec<HalfDay> },
    Book { half_day: HalfDay, case: CaseNumber },
    Release { half_day: HalfDay, case: CaseNumber },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RoomEvent {
    Opened(NewRoom),
    Closed { half_days: Vec<HalfDay>, reason: String },
    Reopened { half_days: Vec<HalfDay> },
    Booked { half_day: HalfDay, case: CaseNumber },
    Released { half_day: HalfDay, case: CaseNumber },
}

impl RoomEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            RoomEvent::Opened(_) => "room.opened",
            RoomEvent::Closed { .. } => "room.closed",
            RoomEvent::Reopened { .. } => "room.reopened",
            RoomEvent::Booked { .. } => "room.booked",
            RoomEvent::Released { .. } => "room.released",
        }
    }
}

impl Room {
    fn registered(&self) -> Result<&RoomCode, DomainError> {
        self.code.as_ref().ok_or_else(|| DomainError::validation("room", "no such room"))
    }

    pub fn free(&self, half_day: &HalfDay) -> bool {
        self.code.is_some() && !self.closed.contains_key(half_day) && !self.bookings.contains_key(half_day)
    }

    pub fn decide(&self, command: &RoomCommand, today: Date) -> Result<Vec<RoomEvent>, DomainError> {
        match command {
            RoomCommand::Open(new) => {
                if self.code.is_some() {
                    return Err(DomainError::validation("code", format!("the room {} exists already", new.code)));
                }
                let mut new = new.clone();
                new.name = check_name("name", &new.name)?;
                new.site = check_name("site", &new.site)?;
                Ok(vec![RoomEvent::Opened(new)])
            }
            RoomCommand::Close { half_days, reason } => {
                let code = self.registered()?;
                let half_days = half_days_ahead(half_days, today)?;
                if let Some(h) = half_days.iter().find(|h| self.bookings.contains_key(h)) {
                    return Err(DomainError::validation(
                        "half_days",
                        format!("{code} has an interview on {h}: replan it before closing the room"),
                    ));
                }
                let reason = check_name("reason", reason)?;
                Ok(vec![RoomEvent::Closed { half_days, reason }])
            }
            RoomCommand::Reopen { half_days } => {
                self.registered()?;
                Ok(vec![RoomEvent::Reopened { half_days: half_days_ahead(half_days, today)? }])
            }
            RoomCommand::Book { half_day, case } => {
                let code = self.registered()?;
                if let Some(why) = self.closed.get(half_day) {
                    return Err(DomainError::validation("room", format!("{code} is closed on {half_day}: {why}")));
                }
                if let Some(other) = self.bookings.get(half_day) {
                    if other != case {
                        return Err(DomainError::validation(
                            "room",
                            format!("{code} is already booked on {half_day}: a room holds one interview"),
                        ));
                    }
                    return Err(DomainError::AlreadyDone("the room is booked for this interview"));
                }
                Ok(vec![RoomEvent::Booked { half_day: *half_day, case: *case }])
            }
            RoomCommand::Release { half_day, case } => {
                let code = self.registered()?;
                match self.bookings.get(half_day) {
                    Some(c) if c == case => Ok(vec![RoomEvent::Released { half_day: *half_day, case: *case }]),
                    _ => Err(DomainError::validation("room", format!("{code} is not booked for {case} on {half_day}"))),
                }
            }
        }
    }

    pub fn evolve(mut self, event: &RoomEvent) -> Room {
        match event {
            RoomEvent::Opened(new) => {
                self.code = Some(new.code.clone());
                self.name = new.name.clone();
                self.kind = Some(new.kind);
                self.site = new.site.clone();
            }
            RoomEvent::Closed { half_days, reason } => {
                for h in half_days {
                    self.closed.insert(*h, reason.clone());
                }
            }
            RoomEvent::Reopened { half_days } => {
                for h in half_days {
                    self.closed.remove(h);
                }
            }
            RoomEvent::Booked { half_day, case } => {
                self.bookings.insert(*half_day, *case);
            }
            RoomEvent::Released { half_day, .. } => {
                self.bookings.remove(half_day);
            }
        }
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Officers' calendars

/// Why an officer holds no interview on a half-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AbsenceReason {
    Leave,
    Mission,
    Training,
    /// Sick leave: the convocations already sent are replanned.
    Sick,
    /// Writing decisions, not interviewing (temps de rédaction).
    Drafting,
}

impl AbsenceReason {
    pub const ALL: [AbsenceReason; 5] = [
        AbsenceReason::Leave,
        AbsenceReason::Mission,
        AbsenceReason::Training,
        AbsenceReason::Sick,
        AbsenceReason::Drafting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AbsenceReason::Leave => "leave",
            AbsenceReason::Mission => "mission",
            AbsenceReason::Training => "training",
            AbsenceReason::Sick => "sick",
            AbsenceReason::Drafting => "drafting",
        }
    }

    pub fn parse(s: &str) -> Result<AbsenceReason, DomainError> {
        AbsenceReason::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            DomainError::validation(
                "reason",
                format!("{s:?} is not a reason (leave, mission, training, sick, drafting)"),
            )
        })
    }
}

/// An officer's interview calendar: every working half-day is open for interviews unless marked
/// otherwise; at most `capacity` interviews a half-day (a family heard together counts each).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficerCalendar {
    #[serde(default)]
    pub absences: BTreeMap<HalfDay, AbsenceReason>,
    #[serde(default)]
    pub bookings: BTreeMap<HalfDay, Vec<CaseNumber>>,
    pub capacity: u32,
    /// The officer's sex as declared for the plan: an applicant may ask for an officer of a
    /// given sex (L.531-17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
}

impl Default for OfficerCalendar {
    fn default() -> Self {
        OfficerCalendar { absences: BTreeMap::new(), bookings: BTreeMap::new(), capacity: 1, sex: None }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum CalendarCommand {
    MarkAbsent {
        half_days: Vec<HalfDay>,
        reason: AbsenceReason,
    },
    MarkPresent {
        half_days: Vec<HalfDay>,
    },
    SetCapacity {
        capacity: u32,
    },
    /// The sex the plan knows the officer by (for the applicants' requests).
    DeclareSex {
        sex: Sex,
    },
    Book {
        half_day: HalfDay,
        case: CaseNumber,
    },
    Release {
        half_day: HalfDay,
        case: CaseNumber,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum CalendarEvent {
    MarkedAbsent { half_days: Vec<HalfDay>, reason: AbsenceReason },
    MarkedPresent { half_days: Vec<HalfDay> },
    CapacitySet { capacity: u32 },
    SexDeclared { sex: Sex },
    Booked { half_day: HalfDay, case: CaseNumber },
    Released { half_day: HalfDay, case: CaseNumber },
}

impl CalendarEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            CalendarEvent::MarkedAbsent { .. } => "calendar.marked_absent",
            CalendarEvent::MarkedPresent { .. } => "calendar.marked_present",
            CalendarEvent::CapacitySet { .. } => "calendar.capacity_set",
            CalendarEvent::SexDeclared { .. } => "calendar.sex_declared",
            CalendarEvent::Booked { .. } => "calendar.booked",
            CalendarEvent::Released { .. } => "calendar.released",
        }
    }
}

impl OfficerCalendar {
    pub fn holds(&self, half_day: &HalfDay) -> usize {
        self.bookings.get(half_day).map_or(0, Vec::len)
    }

    /// Whether the officer can hold one more interview on the half-day.
    pub fn free(&self, half_day: &HalfDay) -> bool {
        !self.absences.contains_key(half_day) && self.holds(half_day) < self.capacity as usize
    }

    /// Convocations on half-days the officer is now absent: to replan.
    pub fn displaced(&self) -> impl Iterator<Item = (&HalfDay, &CaseNumber)> {
        self.bookings
            .iter()
            .filter(|(h, _)| self.absences.contains_key(h))
            .flat_map(|(h, cases)| cases.iter().map(move |c| (h, c)))
    }

    pub fn decide(&self, command: &CalendarCommand, today: Date) -> Result<Vec<CalendarEvent>, DomainError> {
        use CalendarCommand as C;
        use CalendarEvent as E;
        match command {
            C::MarkAbsent { half_days, reason } => {
                Ok(vec![E::MarkedAbsent { half_days: half_days_ahead(half_days, today)?, reason: *reason }])
            }
            C::MarkPresent { half_days } => {
                Ok(vec![E::MarkedPresent { half_days: half_days_ahead(half_days, today)? }])
            }
            C::SetCapacity { capacity } => {
                if !(1..=3).contains(capacity) {
                    return Err(DomainError::validation("capacity", "one to three interviews a half-day"));
                }
                Ok(vec![E::CapacitySet { capacity: *capacity }])
            }
            C::DeclareSex { sex } => {
                if *sex == Sex::Unspecified {
                    return Err(DomainError::validation("sex", "a woman or a man"));
                }
                Ok(vec![E::SexDeclared { sex: *sex }])
            }
            C::Book { half_day, case } => {
                if let Some(why) = self.absences.get(half_day) {
                    return Err(DomainError::validation(
                        "officer",
                        format!("the officer is away on {half_day} ({})", why.as_str()),
                    ));
                }
                if self.bookings.get(half_day).is_some_and(|c| c.contains(case)) {
                    return Err(DomainError::AlreadyDone("the officer holds this interview then"));
                }
                if !self.free(half_day) {
                    return Err(DomainError::validation(
                        "officer",
                        format!("the officer already holds {} interview(s) on {half_day}", self.holds(half_day)),
                    ));
                }
                Ok(vec![E::Booked { half_day: *half_day, case: *case }])
            }
            C::Release { half_day, case } => {
                if self.bookings.get(half_day).is_some_and(|c| c.contains(case)) {
                    Ok(vec![E::Released { half_day: *half_day, case: *case }])
                } else {
                    Err(DomainError::validation("officer", format!("no interview of {case} on {half_day}")))
                }
            }
        }
    }

    pub fn evolve(mut self, event: &CalendarEvent) -> OfficerCalendar {
        use CalendarEvent as E;
        match event {
            E::MarkedAbsent { half_days, reason } => {
                for h in half_days {
                    self.absences.insert(*h, *reason);
                }
            }
            E::MarkedPresent { half_days } => {
                for h in half_days {
                    self.absences.remove(h);
                }
            }
            E::CapacitySet { capacity } => self.capacity = *capacity,
            E::SexDeclared { sex } => self.sex = Some(*sex),
            E::Booked { half_day, case } => self.bookings.entry(*half_day).or_default().push(*case),
            E::Released { half_day, case } => {
                if let Some(cases) = self.bookings.get_mut(half_day) {
                    cases.retain(|c| c != case);
                    if cases.is_empty() {
                        self.bookings.remove(half_day);
                    }
                }
            }
        }
        self
    }
}
