//! The applicant's secure space (Espace usager): which documents the office made available to the
//! applicant and when each was first opened (CESEDA R.531-17: the notification date of a decision
//! follows from them), the messages the applicant sends, and where the case stands in plain words.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::deadlines::{self, DeadlineKind};
use crate::documents::NewDocument;
use crate::error::DomainError;
use crate::lifecycle::{Case, Status};
use crate::rules::Rules;

/// A document of the file as the applicant sees it in their space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// The document's name in the applicant's links: random, so that links cannot be guessed or
    /// counted (the agents' numbering 1, 2, 3… never leaves the office).
    pub reference: String,
    #[serde(with = "time::serde::rfc3339")]
    pub made_available_at: OffsetDateTime,
    /// The first consultation in the secure space (mise à disposition / première consultation).
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub first_opened_at: Option<OffsetDateTime>,
}

/// A reference is 26 characters of lowercase base32 (130 random bits drawn by the edge).
pub const REFERENCE_LEN: usize = 26;

pub fn check_reference(reference: &str) -> Result<(), DomainError> {
    let ok = reference.len() == REFERENCE_LEN
        && reference.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(DomainError::validation("reference", "a document reference is 26 characters of a-z and 2-7"))
    }
}

/// A message the applicant sent through their space (a change of address, a question, a
/// certificate sent with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// 1, 2, 3… in the order messages arrived.
    pub id: u32,
    pub text: String,
    /// The documents sent with it (ids in the case file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<u32>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The longest message, in characters (about two pages).
pub const MAX_MESSAGE_CHARS: usize = 5000;
/// At most this many files with one message.
pub const MAX_MESSAGE_FILES: usize = 5;

/// A message says something or brings a document; it is not too long; documents sent with it come
/// from the applicant.
pub fn check_message(text: &str, documents: &[NewDocument]) -> Result<String, DomainError> {
    let text = text.trim();
    if text.is_empty() && documents.is_empty() {
        return Err(DomainError::validation("text", "write a message or add a document"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::validation("text", format!("at most {MAX_MESSAGE_CHARS} characters")));
    }
    if documents.len() > MAX_MESSAGE_FILES {
        return Err(DomainError::validation("file", format!("at most {MAX_MESSAGE_FILES} documents per message")));
    }
    if documents.iter().any(|d| d.origin != crate::documents::Origin::Applicant || d.kind.is_issued_by_office()) {
        return Err(DomainError::validation("file", "documents sent by the applicant are marked as theirs"));
    }
    Ok(text.to_owned())
}

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
            Step::Finished => "finished",
            Step::Closed => "closed",
        }
    }

    pub const ALL: [Step; 10] = [
        Step::Registered,
        Step::ItemsMissing,
        Step::WaitingForInterview,
        Step::InterviewScheduled,
        Step::UnderExamination,
        Step::DecisionAvailable,
        Step::DecisionNotified,
        Step::Appealed,
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
}

impl Milestone {
    pub fn as_str(&self) -> &'static str {
        match self {
            Milestone::Interview { .. } => "interview",
            Milestone::DecisionExpected { .. } => "decision_expected",
            Milestone::OpenDecisionBy { .. } => "open_decision_by",
            Milestone::AppealBy { .. } => "appeal_by",
        }
    }

    pub fn date(&self) -> Date {
        match self {
            Milestone::Interview { on } => *on,
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
        Status::Interviewed | Status::DecisionDrafted | Status::UnderReview | Status::ReturnedToOfficer => {
            Step::UnderExamination
        }
        Status::Signed if case.made_available_at.is_some() => Step::DecisionAvailable,
        Status::Signed => Step::UnderExamination,
        Status::Notified => Step::DecisionNotified,
        Status::Appealed => Step::Appealed,
        Status::Final | Status::CourtDecided => Step::Finished,
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
        Step::Registered | Step::ItemsMissing | Step::WaitingForInterview | Step::UnderExamination => {
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
        Step::Appealed | Step::Finished | Step::Closed => {}
    }
    // A date already past is no longer "next" (an overdue decision deadline is not the applicant's to watch).
    next.retain(|m| m.date() >= today);
    next.sort_by_key(Milestone::date);
    Progress { step, next }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_long_and_of_one_alphabet() {
        assert!(check_reference("abcdefghijklmnopqrstuvwx27").is_ok());
        assert!(check_reference("abcdefghijklmnopqrstuvwx2").is_err());
        assert!(check_reference("ABCDEFGHIJKLMNOPQRSTUVWX27").is_err());
        assert!(check_reference("abcdefghijklmnopqrstuvwx18").is_err());
        assert!(check_reference("1").is_err());
    }

    #[test]
    fn a_message_says_something_and_is_not_endless() {
        assert!(check_message("  ", &[]).is_err());
        assert_eq!(check_message(" Nouvelle adresse ", &[]).ok().as_deref(), Some("Nouvelle adresse"));
        assert!(check_message(&"x".repeat(MAX_MESSAGE_CHARS + 1), &[]).is_err());
        assert!(check_message(&"é".repeat(MAX_MESSAGE_CHARS), &[]).is_ok());
    }
}
