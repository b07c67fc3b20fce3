//! The domain of Nansen: the types and rules of an asylum office, and nothing else.
//!
//! This crate owns the vocabulary (persons, applications, procedures, identifiers, decision outcomes), the case
//! lifecycle as an explicit state machine in the decider style ([`decide`], [`evolve`], [`Case::initial`]), the
//! legal deadlines with a human-readable explanation of how each was computed, the French working-day calendar,
//! and the rules that change with the law, loaded from dated data files under `rules/`.
//!
//! It must not do I/O: no files, no network, no database, no clock, no randomness, no async. The time is injected
//! through [`Ctx`]; the rules data is compiled in with `include_str!`. Everything here is a pure function of its
//! arguments, which is what makes the journal replayable.
#![forbid(unsafe_code)]

pub mod application;
pub mod archives;
pub mod calendar;
pub mod cases;
pub mod citation;
pub mod deadlines;
pub mod decision;
pub mod documents;
pub mod error;
pub mod ids;
pub mod lifecycle;
mod messages;
pub mod names;
pub mod notices;
pub mod person;
pub mod planning;
pub mod portal;
pub mod protection;
pub mod reception;
pub mod research;
pub mod rules;
pub mod serde_dates;
pub mod statistics;
mod status;

pub use application::{AcceleratedGround, ApplicationKind, Procedure};
pub use cases::{
    decide, evolve, Absence, Case, Command, CommandKind, CourtOutcome, CourtRuling, Ctx, Event, Extension, Interview,
    InterviewMode, InterviewNeeds, LegalAidPeriod, NotificationBasis, Registration, Status,
};
pub use deadlines::{deadlines, Deadline, DeadlineKind};
pub use decision::{
    ClosureGround, ConventionGround, DecisionDraft, ExclusionClause, InadmissibilityGround, Outcome, RefugeeBasis,
    SubsidiaryBasis,
};
pub use documents::{
    ActiveContent, Checklist, ContentHash, Custody, CustodyChange, Document, DocumentKind, FileName, Location,
    NewDocument, NewOriginal, Origin, Original,
};
pub use error::DomainError;
pub use ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
pub use person::{BirthDate, FamilyRole, Name, Person, Sex};
pub use rules::{DurationRule, DurationUnit, NationalityInfo, PooledPeriod, Rules};

#[cfg(test)]
pub(crate) mod test_support;
