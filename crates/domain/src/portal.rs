//! The applicant's secure space (Espace usager) as the applicant sees it: where the case stands in plain words
//! and the dates ahead ([`progress`]).
//!
//! What the space holds is owned lower down and re-exported here for the edges: the documents made available
//! and their references ([`Shared`], in `documents`: CESEDA R.531-17, the notification date of a decision
//! follows from them) and the messages the applicant sends ([`Message`], in `messages`).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::cases::deadlines::{self, DeadlineKind};
use crate::cases::{Case, Status};
use crate::rules::Rules;

pub use crate::documents::{check_reference, Shared, REFERENCE_LEN};
pub use crate::messages::{check_message, Message, MAX_MESSAGE_CHARS, MAX_MESSAGE_FILES};

/// Where the case stands, as the applicant is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Registered; the file is being checked.
    Registered,
    /// Items are missing: the applicant must send them.
    ItemsMissing,
    /// The file is complete and waits for its interview to be set.
    WaitingForInterview,
    InterviewScheduled,
    /// Interviewed: the office is examining the application and preparing the decision.
    UnderExamination,
    /// The decision is in the secure space, to be read.
    DecisionAvailable,
    /// The decision was notified; an appeal may be lodged (when the decision allows one).
    DecisionNotified,
    /// An appeal is before the asylum court.
    Appealed,
    /// The court rejected the appeal: the office's decision is final.
    CourtRejected,
    /// The court granted a protection.
    ProtectedByCourt,
    /// The court annulled the decision and sent the application back to the office.
    SentBack,
    /// The procedure before the office is over.
    Finished,
    /// The case was closed (withdrawal, absence…); it may be reopened on request.
    Closed,
}

impl Step {
    pub fn as_str(&self) -> &'static str {
        match self {
            Step::Registered => "registered",
            Step::ItemsMissing => "items_missing",
            Step::WaitingForInterview => "waiting_for_interview",
            Step::InterviewScheduled => "interview_scheduled",
            Step::UnderExamination => "under_examination",
            Step::DecisionAvailable => "decision_available",
            Step::DecisionNotified => "decision_notified",
            Step::Appealed => "appealed",
            Step::CourtRejected => "court_rejected",
            Step::ProtectedByCourt => "protected_by_court",
            Step::SentBack => "sent_back",
            Step::Finished => "finished",
            Step::Closed => "closed",
        }
    }

    pub const ALL: [Step; 13] = [
        Step::Registered,
        Step::ItemsMissing,
        Step::WaitingForInterview,
        Step::InterviewScheduled,
        Step::UnderExamination,
        Step::DecisionAvailable,
        Step::DecisionNotified,
        Step::Appealed,
        Step::CourtRejected,
        Step::ProtectedByCourt,
        Step::SentBack,
        Step::Finished,
        Step::Closed,
    ];
}

/// A date that matters to the applicant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Milestone {
    /// The interview (date of the convocation).
    Interview {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
    /// The date by which the office should decide (indicative).
    DecisionExpected {
        #[serde(with = "crate::serde_dates::date")]
        by: Date,
    },
    /// After this day an unopened decision counts as notified.
    OpenDecisionBy {
        #[serde(with = "crate::serde_dates::date")]
        by: Date,
    },
    /// The last day to appeal to the asylum court.
    AppealBy {
        #[serde(with = "crate::serde_dates::date")]
        by: Date,
    },
    /// The hearing before the asylum court.
    Hearing {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
}

impl Milestone {
    pub fn as_str(&self) -> &'static str {
        match self {
            Milestone::Interview { .. } => "interview",
            Milestone::DecisionExpected { .. } => "decision_expected",
            Milestone::OpenDecisionBy { .. } => "open_decision_by",
            Milestone::AppealBy { .. } => "appeal_by",
            Milestone::Hearing { .. } => "hearing",
        }
    }

    pub fn date(&self) -> Date {
        match self {
            Milestone::Interview { on } | Milestone::Hearing { on } => *on,
            Milestone::DecisionExpected { by } | Milestone::OpenDecisionBy { by } | Milestone::AppealBy { by } => *by,
        }
    }
}

/// The applicant's view of their case: the step, and the dates ahead (soonest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub step: Step,
    pub next: Vec<Milestone>,
}

/// Where the case stands for the applicant on `today`: internal steps (assignment, drafting,
/// review, signature) are not told apart, and a signed decision counts only once it is available.
pub fn progress(case: &Case, rules: &Rules, today: Date) -> Progress {
    let deadline = |kind| deadlines::deadline(case, kind, rules).ok().flatten().map(|d| d.due_on);
    let step = match case.status {
        Status::Unregistered | Status::Registered => Step::Registered,
        Status::Incomplete => Step::ItemsMissing,
        Status::Complete | Status::Assigned => Step::WaitingForInterview,
        Status::InterviewScheduled => Step::InterviewScheduled,
        // Sent back by the court: said so until the new decision is available.
        Status::Interviewed | Status::DecisionDrafted | Status::UnderReview | Status::ReturnedToOfficer
            if case.referred_by_court_on.is_some() =>
        {
            Step::SentBack
        }
        Status::Interviewed | Status::DecisionDrafted | Status::UnderReview | Status::ReturnedToOfficer => {
            Step::UnderExamination
        }
        Status::Signed if case.made_available_at.is_none() && case.referred_by_court_on.is_some() => Step::SentBack,
        Status::Signed if case.made_available_at.is_some() => Step::DecisionAvailable,
        Status::Signed => Step::UnderExamination,
        Status::Notified => Step::DecisionNotified,
        Status::Appealed => Step::Appealed,
        Status::Final if case.court_ruling.is_some() => Step::CourtRejected,
        Status::CourtDecided => Step::ProtectedByCourt,
        Status::Final => Step::Finished,
        Status::Closed => Step::Closed,
    };
    let mut next = Vec::new();
    match step {
        Step::InterviewScheduled => {
            if let Some(i) = &case.interview {
                next.push(Milestone::Interview { on: i.on });
            }
            if let Some(by) = deadline(DeadlineKind::Decision) {
                next.push(Milestone::DecisionExpected { by });
            }
        }
        Step::Registered | Step::ItemsMissing | Step::WaitingForInterview | Step::UnderExamination | Step::SentBack => {
            if let Some(by) = deadline(DeadlineKind::Decision) {
                next.push(Milestone::DecisionExpected { by });
            }
        }
        Step::DecisionAvailable => {
            if let Some(by) = deadline(DeadlineKind::Notification) {
                next.push(Milestone::OpenDecisionBy { by });
            }
        }
        Step::DecisionNotified => {
            if let Some(by) = deadline(DeadlineKind::Appeal) {
                next.push(Milestone::AppealBy { by });
            }
        }
        Step::Appealed => {
            if let Some(h) = case.appeal.as_ref().and_then(|a| a.hearing.as_ref()) {
                next.push(Milestone::Hearing { on: h.on });
            }
        }
        Step::CourtRejected | Step::ProtectedByCourt | Step::Finished | Step::Closed => {}
    }
    // A date already past is no longer "next" (an overdue decision deadline is not the applicant's to watch).
    next.retain(|m| m.date() >= today);
    next.sort_by_key(Milestone::date);
    Progress { step, next }
}
