//! The case lifecycle as an explicit state machine, in the decider style: [`decide`] turns a command into events
//! against the current [`Case`], [`evolve`] folds one event into the case, [`Case::initial`] is where every fold
//! starts, and [`Case::allows`] says which commands the case's status admits now.
//!
//! ```text
//! registered → (incomplete ↔ complete) → assigned → interview scheduled → interviewed → decision drafted
//!   → under review (→ returned to the officer → decision drafted …) → signed → notified → final
//!                                                                               → appealed → court decided
//! any state from registered to returned-to-officer → closed (withdrawal, absence, refusal) → reopened once
//! ```
//!
//! `decide` checks everything the law and the office's rules require and reads the time only from [`Ctx`];
//! events carry every dated fact, so `evolve` never needs the clock and replaying a journal gives back the
//! same case. `evolve` is total: it never fails and never panics.
//!
//! The files, from the bottom up; each imports only the ones above it in this list:
//!
//! - `case`: the [`Case`] state and the types it is made of ([`Status`], [`Interview`], [`Registration`]…);
//! - `deadlines`: the legal deadlines of a case (the public path stays `nansen_domain::deadlines`);
//! - `command`: the [`Command`]s, their [`CommandKind`]s and the status gate behind [`Case::allows`];
//! - `event`: the [`Event`]s of the journal;
//! - `evolve`: [`evolve`] and [`Case::replay`];
//! - `decide`: [`decide`] and its [`Ctx`].

mod case;
mod command;
pub(crate) mod deadlines;
mod decide;
mod event;
mod evolve;

pub use case::{
    Absence, Case, CourtOutcome, CourtRuling, Extension, Interview, InterviewMode, InterviewNeeds, InterviewRecord,
    LegalAidPeriod, NotificationBasis, QuestionAnswer, Registration, Status,
};
pub use command::{Command, CommandKind};
pub use decide::{decide, Ctx};
pub use event::Event;
pub use evolve::evolve;

#[cfg(test)]
mod tests;
