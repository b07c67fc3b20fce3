//! What the applicant writes to the office through their secure space: the messages and their checks.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::documents::{NewDocument, Origin};
use crate::error::DomainError;

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
    if documents.iter().any(|d| d.origin != Origin::Applicant || d.kind.is_issued_by_office()) {
        return Err(DomainError::validation("file", "documents sent by the applicant are marked as theirs"));
    }
    // Officers open what applicants send in desktop readers: nothing in it may run there.
    if documents.iter().any(|d| !d.active_content.is_empty()) {
        return Err(DomainError::validation(
            "file",
            "a PDF with active content (scripts, actions, embedded files) is not accepted; print it to a new PDF",
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_says_something_and_is_not_endless() {
        assert!(check_message("  ", &[]).is_err());
        assert_eq!(check_message(" Nouvelle adresse ", &[]).ok().as_deref(), Some("Nouvelle adresse"));
        assert!(check_message(&"x".repeat(MAX_MESSAGE_CHARS + 1), &[]).is_err());
        assert!(check_message(&"é".repeat(MAX_MESSAGE_CHARS), &[]).is_ok());
    }

    #[test]
    fn an_applicant_sends_no_active_content() {
        let mut d = NewDocument {
            sha256: crate::documents::ContentHash::parse(&"ab".repeat(32)).expect("hash"),
            media_type: "application/pdf".into(),
            size: 1234,
            pages: 1,
            kind: crate::documents::DocumentKind::MedicalCertificate,
            language: None,
            received_on: time::macros::date!(2026 - 03 - 02),
            description: String::new(),
            file_name: "certificat.pdf".into(),
            origin: Origin::Applicant,
            active_content: Vec::new(),
        };
        assert!(check_message("", std::slice::from_ref(&d)).is_ok());
        d.active_content = vec![crate::documents::ActiveContent::JavaScript];
        assert!(check_message("certificat", &[d]).is_err());
    }
}
