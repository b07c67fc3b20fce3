//! Notices to applicants (avis de mise à disposition): when a document lands in the secure space,
//! the applicant is told by e-mail and, when a mobile number is known, by SMS that something is
//! waiting — never what it says, which stays behind sign-in. Here: the addresses an applicant
//! gives (checked), how often a failed notice is tried again, and the key that makes a notice
//! sent twice (after a crash, a timeout) arrive once.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// How a notice travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

impl Channel {
    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
        }
    }

    pub fn parse(text: &str) -> Option<Channel> {
        match text {
            "email" => Some(Channel::Email),
            "sms" => Some(Channel::Sms),
            _ => None,
        }
    }
}

/// An e-mail address as an applicant types it: trimmed, one `@`, a domain with a dot, no spaces
/// or control characters, at most 254 characters (RFC 5321's path limit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, DomainError> {
        let text = text.trim();
        let bad = || DomainError::validation("email", "an e-mail address looks like name@example.org");
        if text.is_empty() || text.len() > 254 || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = text.split_once('@').ok_or_else(bad)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if local.is_empty() || local.len() > 64 || !domain_ok || local.contains(['<', '>', '"', ',', ';']) {
            return Err(bad());
        }
        Ok(Email(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mobile number in international form (E.164): `+`, then 8 to 15 digits; spaces, dots, dashes
/// and brackets typed between them are dropped, and a leading `00` is read as `+`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mobile(String);

impl Mobile {
    pub fn parse(text: &str) -> Result<Mobile, DomainError> {
        let bad = || DomainError::validation("mobile", "a mobile number in international form, like +33 6 12 34 56 78");
        let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        let digits = if let Some(rest) = compact.strip_prefix('+') {
            rest
        } else if let Some(rest) = compact.strip_prefix("00") {
            rest
        } else {
            return Err(bad());
        };
        if !(8..=15).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.starts_with('0') {
            return Err(bad());
        }
        Ok(Mobile(format!("+{digits}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Tries after the first: 1 min, 5 min, 30 min, 2 h, 6 h, then every 12 h; after
/// [`MAX_ATTEMPTS`] tries the notice is given up (the document stays in the space, and its
/// notice is listed as undelivered).
pub const MAX_ATTEMPTS: u32 = 10;

/// How long to wait before the next try, after `attempts` failed ones; `None`: give up.
pub fn retry_after(attempts: u32) -> Option<Duration> {
    const MINUTE: u64 = 60;
    let minutes = match attempts {
        0 => 0,
        1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        5 => 360,
        n if n < MAX_ATTEMPTS => 720,
        _ => return None,
    };
    Some(Duration::from_secs(minutes * MINUTE))
}

/// The key a provider deduplicates on: the same for every try of one notice (the journal entry
/// that shared the document, and the channel), so a notice tried again after a crash between
/// sending and recording is delivered once.
pub fn idempotency_key(seq: u64, channel: Channel) -> String {
    format!("nansen-notice-{seq}-{}", channel.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_applicants_type_are_read_and_mistakes_named() {
        assert_eq!(Email::parse("  amal.haddad@example.org ").map(|e| e.0), Ok("amal.haddad@example.org".into()));
        assert!(Email::parse("أمل@مثال.مصر").is_ok(), "internationalized addresses are addresses");
        for wrong in
            ["", "amal", "amal@", "@example.org", "amal@example", "a b@example.org", "a@b@c.org", "a@.org", "<a@b.org>"]
        {
            assert!(Email::parse(wrong).is_err(), "{wrong:?}");
        }
        assert_eq!(Mobile::parse("+33 6 12 34 56 78").map(|m| m.0), Ok("+33612345678".into()));
        assert_eq!(Mobile::parse("0033 (6) 12.34.56.78").map(|m| m.0), Ok("+33612345678".into()));
        for wrong in ["", "0612345678", "+33", "+33 6 12 34 56 78 90 12 34", "+33 6 12 AB 56 78", "+0612345678"] {
            assert!(Mobile::parse(wrong).is_err(), "{wrong:?}");
        }
    }

    #[test]
    fn a_failing_notice_is_tried_again_later_and_later_then_given_up() {
        let waits: Vec<_> = (0..=MAX_ATTEMPTS).map(retry_after).collect();
        assert_eq!(waits[0], Some(Duration::ZERO));
        assert!(waits.windows(2).take(MAX_ATTEMPTS as usize - 1).all(|w| w[0] <= w[1]), "{waits:?}");
        assert_eq!(waits[MAX_ATTEMPTS as usize], None);
        assert_eq!(idempotency_key(42, Channel::Sms), "nansen-notice-42-sms");
    }
}
