//! Interview planning (workspace `planning`): the register of interpreting firms and their
//! interpreters, rooms and officers' calendars, all counted in half-days, and the dated rules of
//! a convocation's notice. The plan itself is computed by `nansen-plan` from what this register
//! holds; sending it books the interpreter, the room and the officer's half-day in the same
//! commit as the case's convocation, so nothing is ever double-booked.

pub mod balance;
pub mod candidates;
pub mod demand;
pub mod halfday;
pub mod languages;
pub mod register;
pub mod rules;
pub mod statement;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};
use time::Date;

pub use balance::{propose, Balance, OfficerLoad, Proposal, ToAssign};
pub use candidates::{candidate, urgency, CandidateFacts, Unplannable};
pub use demand::{demand, LanguageDemand};
pub use halfday::HalfDay;
pub use languages::{LanguageCode, Spoken};
pub use register::{
    AbsenceReason, Booking, CalendarCommand, CalendarEvent, Conflict, Firm, FirmCode, FirmCommand, FirmEvent,
    Interpreter, InterpreterCommand, InterpreterEvent, InterpreterId, NewFirm, NewInterpreter, NewRoom,
    OfficerCalendar, Room, RoomCode, RoomCommand, RoomEvent, RoomKind,
};
pub use rules::{BalanceRule, PlanningRules, Urgency};
pub use statement::{statement, Statement, StatementLine};

use crate::error::DomainError;
use crate::ids::Login;

/// A change to the register: to a firm, an interpreter, a room or an officer's calendar. A
/// convocation sent is several of them (interpreter, room, calendar), committed with the case's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum PlanningCommand {
    Firm { code: FirmCode, command: FirmCommand },
    Interpreter { id: InterpreterId, command: InterpreterCommand },
    Room { code: RoomCode, command: RoomCommand },
    Calendar { officer: Login, command: CalendarCommand },
}

/// The kinds of the register's entries, as the store keeps them.
pub const KINDS: [&str; 4] = ["firm", "interpreter", "room", "calendar"];

impl PlanningCommand {
    /// The journal subject it changes: `firm:<code>`, `interpreter:<id>`, `room:<code>`,
    /// `calendar:<login>`.
    pub fn subject(&self) -> String {
        match self {
            PlanningCommand::Firm { code, .. } => format!("firm:{code}"),
            PlanningCommand::Interpreter { id, .. } => format!("interpreter:{id}"),
            PlanningCommand::Room { code, .. } => format!("room:{code}"),
            PlanningCommand::Calendar { officer, .. } => format!("calendar:{officer}"),
        }
    }
}

/// One of the register's aggregates, for the writer: decide a command as of `today`, evolve by
/// an event, name the event for the journal.
pub trait Entry: Clone + Default + Serialize + for<'de> Deserialize<'de> {
    type Command;
    type Event: Serialize;
    fn decide_on(&self, command: &Self::Command, today: Date) -> Result<Vec<Self::Event>, DomainError>;
    fn evolve_by(self, event: &Self::Event) -> Self;
    fn kind(event: &Self::Event) -> &'static str;
}

macro_rules! entry {
    ($state:ty, $command:ty, $event:ty) => {
        impl Entry for $state {
            type Command = $command;
            type Event = $event;
            fn decide_on(&self, command: &$command, today: Date) -> Result<Vec<$event>, DomainError> {
                self.decide(command, today)
            }
            fn evolve_by(self, event: &$event) -> Self {
                self.evolve(event)
            }
            fn kind(event: &$event) -> &'static str {
                event.kind()
            }
        }
    };
}

entry!(Firm, FirmCommand, FirmEvent);
entry!(Interpreter, InterpreterCommand, InterpreterEvent);
entry!(Room, RoomCommand, RoomEvent);
entry!(OfficerCalendar, CalendarCommand, CalendarEvent);
