//! Agents' accounts: sign-in (argon2id, the same check and decoy as applicants'), lockout after
//! repeated failures, the step-up before signing (with its short signing window), and the
//! journal entries of each.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use nansen_authz::{Principal, Role};
use nansen_domain::ids::Login;
use nansen_store::Account;
use time::OffsetDateTime;

use crate::actor::Agent;
use crate::error::internal;
use crate::throttle::{
    check_address, count_failure, device_failure, known_device, lock_duration, remember_device, Client, Scope,
    WINDOW_SECS,
};
use crate::{Office, OfficeError};

/// Verifies a password against an argon2 hash off the async threads (it takes tens of ms).
pub(crate) async fn verify_password(hash: String, password: String) -> Result<bool, OfficeError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| OfficeError::Internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(internal)?
}

/// Hashes a new password with argon2id (the crate's default parameters), off the async threads.
pub(crate) async fn hash_password(password: String) -> Result<String, OfficeError> {
    tokio::task::spawn_blocking(move || {
        use argon2::password_hash::{PasswordHasher, SaltString};
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| OfficeError::Internal(format!("hashing: {e}")))
    })
    .await
    .map_err(internal)?
}

/// A hash of a password nobody has, so that an unknown login takes as long as a wrong password.
pub(crate) fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| {
            use argon2::password_hash::{PasswordHasher, SaltString};
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(crate::codes::random_token().as_bytes(), &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

pub use crate::clock::format_time;

/// The refusal of a locked account, until a Unix time.
pub(crate) fn locked_until(unix: i64) -> OfficeError {
    OfficeError::Locked(OffsetDateTime::from_unix_timestamp(unix).map(format_time).unwrap_or_default())
}

/// The agent an account signs in as.
pub fn agent_of(account: &Account) -> Result<Agent, OfficeError> {
    let role = Role::parse(&account.role).ok_or_else(|| internal(format!("unknown role {:?}", account.role)))?;
    Ok(Agent {
        login: Login::parse(&account.login).map_err(internal)?,
        principal: Principal {
            login: account.login.clone(),
            role,
            division: account.division.clone(),
            section: account.section,
        },
        display_name: account.display_name.clone(),
    })
}

/// Checks the login and password. Failures count against the address; on an account, against
/// the device when it is one the account signed in from, else against the account, which locks
/// with growing delays for unknown devices only (`throttle`). Every refusal and lockout is
/// journaled (without the password).
pub async fn authenticate(
    office: &Office,
    login: &str,
    password: &str,
    client: Client<'_>,
) -> Result<Account, OfficeError> {
    if !office.config().local_passwords {
        return Err(OfficeError::PasswordsOff);
    }
    check_address(office, Scope::Agent, client.address).await?;
    let store = office.store();
    let now = office.now();
    let account = match Login::parse(login.trim()) {
        Ok(l) => store.account(l.as_str()).await?,
        Err(_) => None,
    };
    let Some(account) = account.filter(|a| !a.disabled) else {
        let _ = verify_password(decoy_hash(), password.to_owned()).await;
        count_failure(office, Scope::Agent, client.address, None).await?;
        return Err(OfficeError::BadCredentials);
    };
    let key = Scope::Agent.account(&account.login);
    let known = known_device(office, &key, client).await?;
    if let Some(until) = account.locked_until.filter(|u| *u > now && !known) {
        return Err(OfficeError::Locked(format_time(until)));
    }
    if verify_password(account.password_hash.clone(), password.to_owned()).await? {
        store.note_login_success(&account.login).await?;
        return Ok(account);
    }
    count_failure(office, Scope::Agent, client.address, Some(&key)).await?;
    let actor = Login::parse(&account.login).map_err(internal)?;
    let subject = format!("account:{}", account.login);
    if known {
        device_failure(office, &key, client).await?;
        office
            .journal(&actor, &subject, "account.sign_in_refused", serde_json::json!({ "known_device": true }))
            .await?;
        return Err(OfficeError::BadCredentials);
    }
    let config = office.config();
    let locked = store
        .note_login_failure(&account.login, now, config.max_failed_logins, |past| lock_duration(office, past))
        .await?;
    let kind = if locked.is_some() { "account.locked" } else { "account.sign_in_refused" };
    office.journal(&actor, &subject, kind, serde_json::json!({ "address": client.address })).await?;
    match locked {
        Some(until) => Err(OfficeError::Locked(format_time(until))),
        None => Err(OfficeError::BadCredentials),
    }
}

/// A signed-in agent, and the device token to give this browser (it marks the device as known).
pub struct SignedIn {
    pub agent: Agent,
    pub device: String,
}

/// Signs an agent in: checks the password, journals the sign-in, remembers the device.
pub async fn sign_in(
    office: &Office,
    login: &str,
    password: &str,
    client: Client<'_>,
) -> Result<SignedIn, OfficeError> {
    let account = authenticate(office, login, password, client).await?;
    let agent = agent_of(&account)?;
    let device = remember_device(office, &Scope::Agent.account(&account.login), client).await?;
    office
        .journal(&agent.login, &format!("account:{}", agent.login), "account.signed_in", serde_json::json!({}))
        .await?;
    Ok(SignedIn { agent, device })
}

/// Signs in the agent the state's identity provider vouched for (the edge checked the token):
/// the account linked to that identity, never one made from the token. An identity no enabled
/// account is linked to is refused and journaled (with the identity and the provider's subject:
/// an unknown agent at the door is worth an auditor's look).
pub async fn sign_in_vouched(
    office: &Office,
    identity: &str,
    subject: &str,
    client: Client<'_>,
) -> Result<SignedIn, OfficeError> {
    check_address(office, Scope::Agent, client.address).await?;
    let account = office.store().account_by_identity(identity).await?.filter(|a| !a.disabled);
    let Some(account) = account else {
        count_failure(office, Scope::Agent, client.address, None).await?;
        let system = Login::parse("system").map_err(internal)?;
        let facts = serde_json::json!({ "provider": true, "identity": identity, "subject": subject, "address": client.address });
        office.journal(&system, "accounts", "account.sign_in_refused", facts).await?;
        return Err(OfficeError::UnknownIdentity);
    };
    let agent = agent_of(&account)?;
    office.store().note_login_success(&account.login).await?;
    let device = remember_device(office, &Scope::Agent.account(&account.login), client).await?;
    office
        .journal(
            &agent.login,
            &format!("account:{}", agent.login),
            "account.signed_in",
            serde_json::json!({ "provider": true, "subject": subject }),
        )
        .await?;
    Ok(SignedIn { agent, device })
}

/// The agent whose enabled account is linked to an identity the provider vouched for (the
/// step-up before signing comes back from the provider with the identity, not the session).
pub async fn vouched_agent(office: &Office, identity: &str) -> Result<Agent, OfficeError> {
    let account = office.store().account_by_identity(identity).await?.filter(|a| !a.disabled);
    agent_of(&account.ok_or(OfficeError::UnknownIdentity)?)
}

/// How a signing agent proved, a moment ago, that they are at the keyboard.
#[derive(Debug, Clone)]
pub enum StepUp {
    /// Their Nansen password, typed again.
    Password(String),
    /// The identity provider authenticated them again (`prompt=login`, `max_age=0`) at this
    /// time, for this account; the edge checked the token.
    Provider { login: String, authenticated_at: OffsetDateTime },
}

/// Checks a step-up: a password now, or a fresh authentication by the provider within the
/// signing window, of the same agent.
pub async fn confirm_step_up(office: &Office, agent: &Agent, proof: &StepUp) -> Result<(), OfficeError> {
    match proof {
        StepUp::Password(password) => confirm_password(office, agent, password).await,
        StepUp::Provider { login, authenticated_at } => {
            let age = office.now() - *authenticated_at;
            if login != agent.login.as_str() {
                return Err(OfficeError::UnknownIdentity);
            }
            if age > office.config().signing_window || age < -time::Duration::minutes(1) {
                return Err(OfficeError::BadRequest(
                    "the identity provider's confirmation is too old: sign again".into(),
                ));
            }
            Ok(())
        }
    }
}

/// The end of an agent's session, journaled (the edge ends the session itself).
pub async fn signed_out(office: &Office, agent: &Agent) -> Result<(), OfficeError> {
    office.journal(&agent.login, &format!("account:{}", agent.login), "account.signed_out", serde_json::json!({})).await
}

/// Step-up: the signed-in agent types their password again before signing a decision. The
/// session stands for the device: a lockout others caused does not stop a signed-in head from
/// signing; their own wrong passwords are limited per login (then refused for the window).
pub async fn confirm_password(office: &Office, agent: &Agent, password: &str) -> Result<(), OfficeError> {
    if !office.config().local_passwords {
        return Err(OfficeError::PasswordsOff);
    }
    if password.is_empty() {
        return Err(OfficeError::field("password", "type your password to sign"));
    }
    let store = office.store();
    let now = office.now();
    let bucket = format!("step-up:{}", agent.login);
    let max = u64::from(office.config().max_failed_logins);
    if store.rate_limit_count(&bucket, now.unix_timestamp(), WINDOW_SECS).await? >= max {
        return Err(OfficeError::Locked(format_time(now + time::Duration::seconds(WINDOW_SECS))));
    }
    let account =
        store.account(agent.login.as_str()).await?.filter(|a| !a.disabled).ok_or(OfficeError::Unauthenticated)?;
    if verify_password(account.password_hash, password.to_owned()).await? {
        return Ok(());
    }
    store.rate_limit_hit(&bucket, now.unix_timestamp(), WINDOW_SECS).await?;
    office
        .journal(&agent.login, &format!("account:{}", agent.login), "account.step_up_refused", serde_json::json!({}))
        .await?;
    Err(OfficeError::WrongPassword)
}
