//! Limits on guessing, built so that they cannot be turned against the rightful user (issue:
//! "lockout as a weapon"). A case number is printed on every letter and an agent's login is no
//! secret, so whoever knows one could keep its owner out by failing on purpose. Hence:
//!
//! - failures from one **address** are limited (per window), whatever the account;
//! - an **account** locks, with delays that grow (1, 2, 4… minutes up to the configured
//!   longest), only for devices it never signed in from: the rightful user's **known device**
//!   (a cookie set at an earlier successful sign-in, kept hashed) still gets in, and its own
//!   failures are counted on that device alone (it is forgotten after too many);
//! - one address failing on many accounts is **password spraying**: it is journaled (subject
//!   `security`) and logged for the operators.

use nansen_domain::ids::Login;
use sha2::{Digest, Sha256};

use crate::clock::format_time;
use crate::codes::random_token;
use crate::{Office, OfficeError};

/// The window in which failures from one address (or on one device) are counted.
pub(crate) const WINDOW_SECS: i64 = 900;
/// Distinct accounts failed from one address in a window that make it spraying.
pub const SPRAY_ACCOUNTS: u64 = 5;
/// How long a device is remembered after its last successful sign-in.
pub const DEVICE_DAYS: i64 = 90;

/// Where a sign-in attempt comes from.
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    /// The client's address, as the edge established it (trusted proxies included).
    pub address: &'a str,
    /// The device token from an earlier successful sign-in, if the browser sent one.
    pub device: Option<&'a str>,
}

/// Who is counted: agents and applicants are kept apart (an office behind one address must not
/// lose its agents' sign-ins to applicants' failures, nor the reverse).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    Agent,
    Portal,
}

impl Scope {
    fn name(self) -> &'static str {
        match self {
            Scope::Agent => "agent",
            Scope::Portal => "portal",
        }
    }

    pub(crate) fn account(self, id: &str) -> String {
        format!("{}:{id}", self.name())
    }
}

fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The lock after `past` failures beyond the threshold: 1 minute, doubled each time, at most the
/// configured longest lockout.
pub(crate) fn lock_duration(office: &Office, past: u32) -> time::Duration {
    let longest = office.config().lockout;
    let first = office.config().lockout_first;
    first.checked_mul(1i32 << past.min(20)).map_or(longest, |d| d.min(longest))
}

/// Refuses further attempts from an address that failed too often in the current window.
pub(crate) async fn check_address(office: &Office, scope: Scope, address: &str) -> Result<(), OfficeError> {
    let now = office.now();
    let bucket = format!("{}:{address}", scope.name());
    let n = office.store().rate_limit_count(&bucket, now.unix_timestamp(), WINDOW_SECS).await?;
    if n >= u64::from(office.config().portal_failures_per_address) {
        return Err(OfficeError::Locked(format_time(now + time::Duration::seconds(WINDOW_SECS))));
    }
    Ok(())
}

/// Counts a failure from an address (on `account`, when one was named): the per-address limit,
/// and the alert when one address fails on many accounts.
pub(crate) async fn count_failure(
    office: &Office,
    scope: Scope,
    address: &str,
    account: Option<&str>,
) -> Result<(), OfficeError> {
    let now = office.now().unix_timestamp();
    let store = office.store();
    store.rate_limit_hit(&format!("{}:{address}", scope.name()), now, WINDOW_SECS).await?;
    let Some(account) = account else { return Ok(()) };
    let first_on_account =
        store.rate_limit_hit(&format!("{}-pair:{address}:{account}", scope.name()), now, WINDOW_SECS).await? == 1;
    if first_on_account {
        let accounts = store.rate_limit_hit(&format!("{}-spray:{address}", scope.name()), now, WINDOW_SECS).await?;
        if accounts == SPRAY_ACCOUNTS {
            tracing::warn!(address, accounts, scope = scope.name(), "password spraying suspected");
            let system = Login::parse("system").map_err(crate::error::internal)?;
            office
                .journal(
                    &system,
                    "security",
                    "security.spraying_suspected",
                    serde_json::json!({ "address": address, "scope": scope.name(), "accounts": accounts,
                        "window_seconds": WINDOW_SECS }),
                )
                .await?;
        }
    }
    Ok(())
}

/// Whether the request comes from a device the account signed in from recently.
pub(crate) async fn known_device(office: &Office, account: &str, client: Client<'_>) -> Result<bool, OfficeError> {
    let Some(token) = client.device.filter(|t| !t.is_empty() && t.len() <= 128) else { return Ok(false) };
    let since = office.now().unix_timestamp() - DEVICE_DAYS * 86_400;
    Ok(office.store().device_known(account, &token_hash(token), since).await?)
}

/// A failure from a known device: counted on the device only; after as many failures as lock an
/// account, the device is forgotten (a stolen cookie does not give endless guesses).
pub(crate) async fn device_failure(office: &Office, account: &str, client: Client<'_>) -> Result<(), OfficeError> {
    let Some(token) = client.device else { return Ok(()) };
    let hash = token_hash(token);
    let n = office
        .store()
        .rate_limit_hit(&format!("device:{}", hex::encode(&hash)), office.now().unix_timestamp(), WINDOW_SECS)
        .await?;
    if n >= u64::from(office.config().max_failed_logins) {
        office.store().device_forget(account, &hash).await?;
    }
    Ok(())
}

/// After a successful sign-in: a fresh device token for this browser (the old one is replaced).
pub(crate) async fn remember_device(office: &Office, account: &str, client: Client<'_>) -> Result<String, OfficeError> {
    let store = office.store();
    if let Some(old) = client.device {
        store.device_forget(account, &token_hash(old)).await?;
    }
    let token = random_token();
    store.device_remember(account, &token_hash(&token), office.now().unix_timestamp()).await?;
    Ok(token)
}
