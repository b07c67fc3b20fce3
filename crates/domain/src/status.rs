//! Where a case stands: the statuses of the lifecycle, with their names for the journal and for messages.

use serde::{Deserialize, Serialize};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The initial state, before registration.
    Unregistered,
    Registered,
    /// Items are missing from the file.
    Incomplete,
    Complete,
    /// Assigned to a protection officer in a section of a division.
    Assigned,
    InterviewScheduled,
    Interviewed,
    DecisionDrafted,
    /// Submitted to the section head.
    UnderReview,
    /// The section head sent the draft back with comments.
    ReturnedToOfficer,
    Signed,
    Notified,
    /// No appeal is possible any more, or none was lodged in time.
    Final,
    Appealed,
    CourtDecided,
    Closed,
}

impl Status {
    const ALL: [Status; 16] = [
        Status::Unregistered,
        Status::Registered,
        Status::Incomplete,
        Status::Complete,
        Status::Assigned,
        Status::InterviewScheduled,
        Status::Interviewed,
        Status::DecisionDrafted,
        Status::UnderReview,
        Status::ReturnedToOfficer,
        Status::Signed,
        Status::Notified,
        Status::Final,
        Status::Appealed,
        Status::CourtDecided,
        Status::Closed,
    ];

    pub fn all() -> &'static [Status] {
        &Self::ALL
    }

    /// The snake_case name, as in serde: `interview_scheduled`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Unregistered => "unregistered",
            Status::Registered => "registered",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
            Status::Assigned => "assigned",
            Status::InterviewScheduled => "interview_scheduled",
            Status::Interviewed => "interviewed",
            Status::DecisionDrafted => "decision_drafted",
            Status::UnderReview => "under_review",
            Status::ReturnedToOfficer => "returned_to_officer",
            Status::Signed => "signed",
            Status::Notified => "notified",
            Status::Final => "final",
            Status::Appealed => "appealed",
            Status::CourtDecided => "court_decided",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Plain English for messages: "a case that is {describe}".
    pub fn describe(&self) -> &'static str {
        match self {
            Status::Unregistered => "not registered",
            Status::Registered => "registered",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
            Status::Assigned => "assigned",
            Status::InterviewScheduled => "awaiting its interview",
            Status::Interviewed => "interviewed",
            Status::DecisionDrafted => "with a drafted decision",
            Status::UnderReview => "under review",
            Status::ReturnedToOfficer => "returned to the officer",
            Status::Signed => "signed",
            Status::Notified => "notified",
            Status::Final => "final",
            Status::Appealed => "under appeal",
            Status::CourtDecided => "decided by the court",
            Status::Closed => "closed",
        }
    }

    /// From registration until the decision is signed: the office is still examining the application; it may
    /// be withdrawn or closed.
    pub fn is_pre_decision(&self) -> bool {
        matches!(
            self,
            Status::Registered
                | Status::Incomplete
                | Status::Complete
                | Status::Assigned
                | Status::InterviewScheduled
                | Status::Interviewed
                | Status::DecisionDrafted
                | Status::UnderReview
                | Status::ReturnedToOfficer
        )
    }

    /// How far along the main path a status is (for invariants): 0 unregistered … 13 court decided. Closed has
    /// no rank of its own.
    pub(crate) fn rank(&self) -> Option<u8> {
        Some(match self {
            Status::Unregistered => 0,
            Status::Registered => 1,
            Status::Incomplete => 2,
            Status::Complete => 3,
            Status::Assigned => 4,
            Status::InterviewScheduled => 5,
            Status::Interviewed => 6,
            Status::DecisionDrafted => 7,
            Status::UnderReview => 8,
            Status::ReturnedToOfficer => 9,
            Status::Signed => 10,
            Status::Notified => 11,
            Status::Final | Status::Appealed => 12,
            Status::CourtDecided => 13,
            Status::Closed => return None,
        })
    }
}
