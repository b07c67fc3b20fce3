//! The domain's one error type: every refusal of a command, every malformed value, every bad rules file.

use crate::status::Status;

/// Why the domain refused something. Messages are plain English for the agent who sees them; [`code`] gives a
/// stable machine-readable key for the API and the UI's translations.
///
/// [`code`]: DomainError::code
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// The command does not apply to a case in this status.
    #[error("the command `{command}` does not apply to a case that is {}", .status.describe())]
    IllegalTransition { status: Status, command: &'static str },
    /// A value is malformed or inconsistent with the case.
    #[error("{field}: {reason}")]
    Validation { field: &'static str, reason: String },
    /// A section head signs the decision; the officer who drafted it never does.
    #[error("the officer who drafted a decision cannot sign it; a section head must")]
    SelfSignature,
    /// Only the officer the case is assigned to may do this.
    #[error("only the officer assigned to the case ({assigned}) may do this")]
    NotAssignedOfficer { assigned: String },
    /// Too early: the fact this command records cannot have happened yet.
    #[error("not yet: {0}")]
    NotYet(String),
    /// Too late: a legal deadline has passed.
    #[error("deadline passed: {0}")]
    DeadlinePassed(String),
    /// Something that happens once has already happened.
    #[error("already done: {0}")]
    AlreadyDone(&'static str),
    /// The decision cannot be appealed by the applicant (a grant of refugee status or of stateless status).
    #[error("this decision cannot be appealed by the applicant")]
    NotAppealable,
    /// No rule in the rules data applies on that date.
    #[error("no rule `{id}` is in force on {on}")]
    MissingRule { id: String, on: String },
    /// A rules data file does not parse or is inconsistent.
    #[error("invalid rules file {file}: {reason}")]
    InvalidRules { file: &'static str, reason: String },
}

impl DomainError {
    /// A stable key naming the kind of error, for APIs and translations.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::IllegalTransition { .. } => "illegal_transition",
            DomainError::Validation { .. } => "validation",
            DomainError::SelfSignature => "self_signature",
            DomainError::NotAssignedOfficer { .. } => "not_assigned_officer",
            DomainError::NotYet(_) => "not_yet",
            DomainError::DeadlinePassed(_) => "deadline_passed",
            DomainError::AlreadyDone(_) => "already_done",
            DomainError::NotAppealable => "not_appealable",
            DomainError::MissingRule { .. } => "missing_rule",
            DomainError::InvalidRules { .. } => "invalid_rules",
        }
    }

    pub(crate) fn validation(field: &'static str, reason: impl Into<String>) -> Self {
        DomainError::Validation { field, reason: reason.into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_plain_english_and_codes_stable() {
        let e = DomainError::IllegalTransition { status: Status::Registered, command: "sign" };
        assert_eq!(e.to_string(), "the command `sign` does not apply to a case that is registered");
        assert_eq!(e.code(), "illegal_transition");
        assert_eq!(DomainError::SelfSignature.code(), "self_signature");
        assert_eq!(DomainError::validation("facts", "must not be empty").to_string(), "facts: must not be empty");
    }
}
