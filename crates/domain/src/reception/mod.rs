//! The reception agency (workspace `reception`, modelled on OFII): households at the single
//! window, their vulnerability and the doctor's opinion kept apart, the offer of material
//! reception conditions, the national reception network with its operators' declarations, and
//! the daily allowance. Two aggregates, each with its own journal subject: a household
//! (`household:<id>`) and a structure (`structure:<code>`); a placement changes both in one
//! commit.
//!
//! Nothing here reads the asylum file: the office's side gives the agency only the case number
//! and the date its final decision was notified (which ends the allowance).

pub mod allowance;
pub mod household;
pub mod network;
pub mod orientation;
pub mod proposal;
pub mod rules;

#[cfg(test)]
mod tests;

pub use allowance::{day, payment_file, rights_end, statement, Day, DayWhy, PayMonth, PaymentLine, Period, Statement};
pub use household::{
    age_on, check_foreigner_number, letter_called_for, AllowanceDecision, AllowanceMeasure, Assessment,
    AsylumProcedure, Household, HouseholdCommand, HouseholdEvent, HouseholdId, HouseholdLetter, HouseholdLetterKind,
    LeaveReason, MedicalOpinion, MedicalPriority, Member, Need, NewHousehold, Offer, Relationship, Stay,
    VulnerabilityKind,
};
pub use network::{
    check_operator, NewStructure, PlaceKind, Places, Structure, StructureCode, StructureCommand, StructureEvent,
    StructureKind,
};
pub use orientation::{awaits_place, iso_week, kind_slot, orientation_problem, Orientation, RegionFigures};
pub use proposal::{
    Contest, ContestDecision, Ending, EndingDecision, EndingGround, Observations, Outcome, PlanNote, Proposal, Reason,
};
pub use rules::{AllowanceRate, OrientationRules, ReceptionRules, RegionInfo};

/// A change the agency asks for: to one household, to one structure. A placement is two of
/// them, committed together or not at all.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "on", rename_all = "snake_case")]
pub enum ReceptionCommand {
    Household { id: HouseholdId, command: HouseholdCommand },
    Structure { code: StructureCode, command: StructureCommand },
}

impl ReceptionCommand {
    /// The journal subject it changes.
    pub fn subject(&self) -> String {
        match self {
            ReceptionCommand::Household { id, .. } => household_subject(id),
            ReceptionCommand::Structure { code, .. } => structure_subject(code),
        }
    }
}

pub fn household_subject(id: &HouseholdId) -> String {
    format!("household:{id}")
}

pub fn structure_subject(code: &StructureCode) -> String {
    format!("structure:{code}")
}

/// When the final decision on the asylum application was notified, as far as the reception
/// agency is concerned (it ends the allowance at the end of the following month): the office's
/// decision once it can no longer be appealed, the court's ruling, or the closure of the case.
/// The one fact of the asylum file that crosses to the agency, with the case number.
pub fn final_decision_notified(case: &crate::cases::Case) -> Option<time::Date> {
    use crate::status::Status;
    match case.status {
        Status::Final => case.notified_on,
        Status::CourtDecided => case.court_ruling.as_ref().map(|r| r.on),
        Status::Closed => case.closed_on,
        _ => None,
    }
}

/// What the writer needs of an agency aggregate (a household, a structure): decide a command
/// against the state as of `today`, and evolve the state by an event.
pub trait Aggregate: Clone + Default {
    type Command;
    type Event: serde::Serialize;
    fn decide_on(
        &self,
        command: &Self::Command,
        rules: &ReceptionRules,
        today: time::Date,
    ) -> Result<Vec<Self::Event>, crate::DomainError>;
    fn evolve_by(self, event: &Self::Event) -> Self;
    /// The event's kind, as the journal names it.
    fn kind(event: &Self::Event) -> &'static str;
}

impl Aggregate for Household {
    type Command = HouseholdCommand;
    type Event = HouseholdEvent;
    fn decide_on(
        &self,
        command: &HouseholdCommand,
        rules: &ReceptionRules,
        today: time::Date,
    ) -> Result<Vec<HouseholdEvent>, crate::DomainError> {
        self.decide(command, rules, today)
    }
    fn evolve_by(self, event: &HouseholdEvent) -> Self {
        self.evolve(event)
    }
    fn kind(event: &HouseholdEvent) -> &'static str {
        event.kind()
    }
}

impl Aggregate for Structure {
    type Command = StructureCommand;
    type Event = StructureEvent;
    fn decide_on(
        &self,
        command: &StructureCommand,
        rules: &ReceptionRules,
        today: time::Date,
    ) -> Result<Vec<StructureEvent>, crate::DomainError> {
        self.decide(command, rules, today)
    }
    fn evolve_by(self, event: &StructureEvent) -> Self {
        self.evolve(event)
    }
    fn kind(event: &StructureEvent) -> &'static str {
        event.kind()
    }
}
