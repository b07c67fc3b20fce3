//! What auditors, the data-protection officer and administrators read of the office as a whole:
//! the journal's head, a subject's entries, the agents' accounts; each read authorized and
//! journaled.
//!
//! An auditor needs who did what, when, to which subject, and the proof that nothing was
//! altered — not what an applicant feared. Entries are shown without their payloads (a hash
//! stands for each); opening payloads is a separate access with a stated reason, limited in time,
//! itself journaled and listed for the data-protection officer.

use nansen_authz::{Action as Act, Resource};
use nansen_store::{AccountSummary, Entry, HeadInfo};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::actor::Agent;
use crate::clock::format_time;
use crate::gate::OFFICE;
use crate::{Office, OfficeError};

/// The journal subject of justified accesses to payloads (opened, used).
pub const PAYLOAD_ACCESS: &str = "payload-access";
/// Shortest reason accepted for opening payloads: a case reference and a purpose, not "audit".
pub const MIN_REASON: usize = 20;
/// Longest time an access to payloads stays open.
pub const MAX_ACCESS_MINUTES: u32 = 60;
/// How many recent accesses are searched for an open one (accesses are rare).
const ACCESS_LOOKBACK: u32 = 1000;

/// An entry as auditors see it: everything but the payload, which its SHA-256 stands for.
#[derive(Debug, Clone, Serialize)]
pub struct EntryMeta {
    pub seq: u64,
    pub recorded_at: String,
    pub actor: String,
    pub subject: String,
    pub kind: String,
    /// SHA-256 of the payload as stored (hex): equal payloads, equal hashes; the text stays closed.
    pub payload_sha256: String,
    /// The entry's hash in the chain (hex).
    pub hash: String,
}

impl From<&Entry> for EntryMeta {
    fn from(e: &Entry) -> Self {
        EntryMeta {
            seq: e.seq,
            recorded_at: e.recorded_at.clone(),
            actor: e.actor.clone(),
            subject: e.subject.clone(),
            kind: e.kind.clone(),
            payload_sha256: hex::encode(Sha256::digest(e.payload.as_bytes())),
            hash: hex::encode(e.hash),
        }
    }
}

/// The journal's current head and the latest signed tree head (public: it reveals nothing).
pub async fn journal_head(office: &Office) -> Result<HeadInfo, OfficeError> {
    Ok(office.store().head().await?)
}

/// The latest journal entries of a subject, newest first, without payloads (auditors only).
pub async fn journal_entries(
    office: &Office,
    agent: &Agent,
    subject: &str,
    limit: u32,
) -> Result<Vec<EntryMeta>, OfficeError> {
    office.ask(agent, &[Act::ReadJournal], &Resource::Office, OFFICE).await?;
    Ok(office.store().recent_entries_of(subject, limit).await?.iter().map(EntryMeta::from).collect())
}

/// An open access to one subject's payloads.
#[derive(Debug, Clone, Serialize)]
pub struct PayloadAccess {
    /// The journal entry that opened it.
    pub seq: u64,
    pub login: String,
    pub subject: String,
    pub reason: String,
    pub opened_at: String,
    pub expires_at: String,
    #[serde(skip)]
    expires_unix: i64,
    /// `opened` or `used` (each read of payloads under the access is listed).
    pub kind: String,
}

/// Opens a justified access to the payloads of one subject, for `minutes` (auditors only); the
/// reason is journaled and listed for the data-protection officer.
pub async fn open_payload_access(
    office: &Office,
    agent: &Agent,
    subject: &str,
    reason: &str,
    minutes: u32,
) -> Result<PayloadAccess, OfficeError> {
    office.ask(agent, &[Act::ReadJournalPayloads], &Resource::Office, OFFICE).await?;
    let subject = subject.trim();
    let reason = reason.trim();
    if subject.is_empty() {
        return Err(OfficeError::field("subject", "name the subject, e.g. case:2026-0000042"));
    }
    if reason.chars().count() < MIN_REASON {
        return Err(OfficeError::field(
            "reason",
            format!("state why, in at least {MIN_REASON} characters (the request or the incident it answers)"),
        ));
    }
    if minutes == 0 || minutes > MAX_ACCESS_MINUTES {
        return Err(OfficeError::field("minutes", format!("between 1 and {MAX_ACCESS_MINUTES} minutes")));
    }
    let now = office.now();
    let expires = now + time::Duration::minutes(i64::from(minutes));
    office
        .journal(
            &agent.login,
            PAYLOAD_ACCESS,
            "payload_access.opened",
            serde_json::json!({
                "login": agent.login.as_str(), "subject": subject, "reason": reason,
                "expires_at": format_time(expires), "expires_unix": expires.unix_timestamp(),
            }),
        )
        .await?;
    let opened = open_access(office, agent, subject, now).await?;
    opened.ok_or_else(|| OfficeError::Internal("the access just opened is not in the journal".into()))
}

/// The latest entries of a subject with their payloads, under an open justified access.
pub async fn journal_payloads(
    office: &Office,
    agent: &Agent,
    subject: &str,
    limit: u32,
) -> Result<Vec<Entry>, OfficeError> {
    office.ask(agent, &[Act::ReadJournalPayloads], &Resource::Office, OFFICE).await?;
    let now = office.now();
    let Some(access) = open_access(office, agent, subject, now).await? else {
        return Err(OfficeError::Forbidden {
            action: "read_journal_payloads",
            resource: format!(
                "subject {subject} without an open justified access (POST /api/v1/journal/payload-access)"
            ),
        });
    };
    let entries = office.store().recent_entries_of(subject, limit).await?;
    office
        .journal(
            &agent.login,
            PAYLOAD_ACCESS,
            "payload_access.used",
            serde_json::json!({
                "login": agent.login.as_str(), "subject": subject, "access": access.seq,
                "entries": entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            }),
        )
        .await?;
    Ok(entries)
}

/// Every access to payloads, newest first (the data-protection officer).
pub async fn payload_accesses(office: &Office, agent: &Agent, limit: u32) -> Result<Vec<PayloadAccess>, OfficeError> {
    office.ask(agent, &[Act::ReviewPayloadAccess], &Resource::Office, OFFICE).await?;
    let entries = office.store().recent_entries_of(PAYLOAD_ACCESS, limit).await?;
    Ok(entries.iter().filter_map(access_of).collect())
}

/// The agent's latest access to `subject` that is still open at `now`.
async fn open_access(
    office: &Office,
    agent: &Agent,
    subject: &str,
    now: OffsetDateTime,
) -> Result<Option<PayloadAccess>, OfficeError> {
    let entries = office.store().recent_entries_of(PAYLOAD_ACCESS, ACCESS_LOOKBACK).await?;
    let now = now.unix_timestamp();
    Ok(entries.iter().filter_map(access_of).find(|a| {
        a.kind == "opened" && a.login == agent.login.as_str() && a.subject == subject && a.expires_unix > now
    }))
}

fn access_of(e: &Entry) -> Option<PayloadAccess> {
    let p: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
    Some(PayloadAccess {
        seq: e.seq,
        login: text("login"),
        subject: text("subject"),
        reason: text("reason"),
        opened_at: e.recorded_at.clone(),
        expires_at: text("expires_at"),
        expires_unix: p.get("expires_unix").and_then(|v| v.as_i64()).unwrap_or(0),
        kind: e.kind.strip_prefix("payload_access.")?.to_owned(),
    })
}

/// The agents' accounts (administrators only; no secret is shown).
pub async fn accounts(office: &Office, agent: &Agent) -> Result<Vec<AccountSummary>, OfficeError> {
    office.ask(agent, &[Act::ManageAccounts], &Resource::Office, OFFICE).await?;
    Ok(office.store().accounts(None, None).await?)
}
