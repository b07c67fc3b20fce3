//! Journal entries and their chain hash. Every change (and every read of a sensitive record) is
//! an entry; each entry's hash covers the previous entry's hash, so editing, deleting or
//! reordering any entry breaks the chain from that point on.

use sha2::{Digest, Sha256};

use crate::merkle::Hash;

/// One journal entry as stored (table `journal`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Position in the journal, from 1, without gaps.
    pub seq: u64,
    /// When the entry was written (UTC, RFC 3339); the facts' own dates are in the payload.
    pub recorded_at: String,
    /// Who caused it: an agent's login, an applicant's portal identity, or `system:<task>`.
    pub actor: String,
    /// What it is about, e.g. `case:2026-0001234` or `account:jdupont`.
    pub subject: String,
    /// The event's kind, e.g. `registered`, `decision_signed`.
    pub kind: String,
    /// The event as canonical JSON, hashed exactly as stored.
    pub payload: String,
    #[serde(with = "hex_hash")]
    pub prev_hash: Hash,
    #[serde(with = "hex_hash")]
    pub hash: Hash,
}

/// The chain hash: SHA-256 over a domain tag, the previous hash, the sequence number and every
/// field, each length-prefixed so that no two different entries encode the same.
pub fn entry_hash(
    prev_hash: &Hash,
    seq: u64,
    recorded_at: &str,
    actor: &str,
    subject: &str,
    kind: &str,
    payload: &str,
) -> Hash {
    let mut h = Sha256::new();
    h.update(b"nansen-journal-v1");
    h.update(prev_hash);
    h.update(seq.to_be_bytes());
    for field in [recorded_at, actor, subject, kind, payload] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    h.finalize().into()
}

impl Entry {
    /// The hash this entry should have, given its own fields and its stored `prev_hash`.
    pub fn expected_hash(&self) -> Hash {
        entry_hash(&self.prev_hash, self.seq, &self.recorded_at, &self.actor, &self.subject, &self.kind, &self.payload)
    }
}

/// The subject of a case's entries.
pub fn case_subject(number: &str) -> String {
    format!("case:{number}")
}

pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(h: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(h))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let text = String::deserialize(d)?;
        let bytes = hex::decode(&text).map_err(serde::de::Error::custom)?;
        bytes.try_into().map_err(|_| serde::de::Error::custom("expected a 32-byte hash"))
    }
}

pub(crate) fn to_hash(bytes: &[u8]) -> Option<Hash> {
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_changes_the_hash() {
        let base = entry_hash(&[0; 32], 1, "t", "a", "s", "k", "{}");
        assert_ne!(base, entry_hash(&[1; 32], 1, "t", "a", "s", "k", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 2, "t", "a", "s", "k", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 1, "u", "a", "s", "k", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 1, "t", "b", "s", "k", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 1, "t", "a", "x", "k", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 1, "t", "a", "s", "j", "{}"));
        assert_ne!(base, entry_hash(&[0; 32], 1, "t", "a", "s", "k", "[]"));
        // Moving a character from one field to the next is a different entry too.
        assert_ne!(
            entry_hash(&[0; 32], 1, "t", "ab", "s", "k", "{}"),
            entry_hash(&[0; 32], 1, "t", "a", "bs", "k", "{}")
        );
    }
}
