//! Random references and one-time codes: the reference of a document in an applicant's space,
//! the activation code printed on a receipt (kept only as a hash), and the operation that
//! records a new code in the commit that issues it.

use nansen_domain::ids::{CaseNumber, Login};
use nansen_domain::portal::REFERENCE_LEN;
use nansen_store::{Action, Op};
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::Office;

/// A fresh reference for a document in an applicant's space: 130 random bits in lowercase base32.
pub fn new_reference() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut bytes = [0u8; REFERENCE_LEN];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect()
}

/// A one-time activation code: 16 characters without look-alikes (80 bits), shown in groups of four.
pub fn new_activation_code() -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    let chars: Vec<char> = bytes.iter().map(|b| ALPHABET[usize::from(b & 31)] as char).collect();
    chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// What is kept of a code: the hash of the case and the code as typed without spaces or dashes.
pub(crate) fn code_hash(case: &str, code: &str) -> Vec<u8> {
    let normalized: String =
        code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    Sha256::digest(format!("{case}:{normalized}").as_bytes()).to_vec()
}

/// A random token (session secrets, CSRF): 256 bits in hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The operation that gives the case's applicant a new activation code: the previous password and
/// second factor stop working. Journaled without the code.
pub(crate) fn activation_code_op(
    office: &Office,
    actor: &Login,
    case: CaseNumber,
    code: &str,
    now: OffsetDateTime,
) -> Op {
    let number = case.to_string();
    let expires = now + office.config().activation_code_validity;
    Op {
        actor: actor.clone(),
        now,
        action: Action::IssueActivationCode {
            case,
            code_hash: code_hash(&number, code),
            expires_at: expires.unix_timestamp(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_codes_are_random_and_well_formed() {
        let a = new_reference();
        assert!(nansen_domain::portal::check_reference(&a).is_ok(), "{a}");
        assert_ne!(a, new_reference());
        let code = new_activation_code();
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code_hash("2026-0000001", &code), code_hash("2026-0000001", &code.to_lowercase().replace('-', " ")));
        assert_ne!(code_hash("2026-0000001", &code), code_hash("2026-0000002", &code));
    }
}
