//! What auditors and administrators read of the office as a whole: the journal's head, a
//! subject's entries, the agents' accounts; each read authorized and journaled.

use nansen_authz::{Action as Act, Resource};
use nansen_store::{AccountSummary, Entry, HeadInfo};

use crate::actor::Agent;
use crate::gate::OFFICE;
use crate::{Office, OfficeError};

/// The journal's current head and the latest signed tree head (public: it reveals nothing).
pub async fn journal_head(office: &Office) -> Result<HeadInfo, OfficeError> {
    Ok(office.store().head().await?)
}

/// The latest journal entries of a subject, newest first (auditors only).
pub async fn journal_entries(
    office: &Office,
    agent: &Agent,
    subject: &str,
    limit: u32,
) -> Result<Vec<Entry>, OfficeError> {
    office.ask(agent, &[Act::ReadJournal], &Resource::Office, OFFICE).await?;
    Ok(office.store().recent_entries_of(subject, limit).await?)
}

/// The agents' accounts (administrators only; no secret is shown).
pub async fn accounts(office: &Office, agent: &Agent) -> Result<Vec<AccountSummary>, OfficeError> {
    office.ask(agent, &[Act::ManageAccounts], &Resource::Office, OFFICE).await?;
    Ok(office.store().accounts(None, None).await?)
}
