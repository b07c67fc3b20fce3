//! Sign-in (argon2id), lockout after repeated failures, the signed-in agent as an extractor,
//! CSRF tokens, the same-origin check on state-changing requests, and the step-up password
//! check before a decision is signed.

use argon2::{Argon2, PasswordHash, PasswordVerifier};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nansen_authz::{Principal, Role};
use nansen_domain::ids::Login;
use nansen_store::{Action, Op};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tower_sessions::Session;

use crate::{AppState, WebError};

const AGENT_KEY: &str = "agent";

/// What the session remembers of the signed-in agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionAgent {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    /// Unix time of the sign-in, for the absolute lifetime.
    pub signed_in_at: i64,
    /// The token every state-changing form and API call must carry.
    pub csrf: String,
    /// The workbench's language: "fr" or "en".
    #[serde(default)]
    pub lang: String,
    /// Unix time the session was last extended; the idle timeout counts from it (to the minute:
    /// the row is rewritten at most once a minute, not on every request).
    #[serde(default)]
    pub seen_at: i64,
}

/// The signed-in agent of a request.
#[derive(Debug, Clone)]
pub struct Agent {
    pub login: Login,
    pub principal: Principal,
    pub display_name: String,
    pub csrf: String,
    pub session: Session,
}

impl Agent {
    pub fn role(&self) -> Role {
        self.principal.role
    }

    /// Checks a submitted CSRF token in constant time.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), WebError> {
        let given = Sha256::digest(token.unwrap_or_default().as_bytes());
        let expected = Sha256::digest(self.csrf.as_bytes());
        if given.as_slice() == expected.as_slice() && token.is_some() {
            Ok(())
        } else {
            Err(WebError::BadRequest("the form has expired or did not come from Nansen; reload the page".into()))
        }
    }
}

impl FromRequestParts<AppState> for Agent {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state).await.map_err(|_| WebError::Unauthenticated)?;
        let Some(mut s) =
            session.get::<SessionAgent>(AGENT_KEY).await.map_err(|e| WebError::Internal(e.to_string()))?
        else {
            return Err(WebError::Unauthenticated);
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        if now - s.signed_in_at > state.config().absolute_lifetime.whole_seconds() {
            session.flush().await.map_err(|e| WebError::Internal(e.to_string()))?;
            return Err(WebError::Unauthenticated);
        }
        if now - s.seen_at >= 60 {
            s.seen_at = now;
            session.insert(AGENT_KEY, &s).await.map_err(|e| WebError::Internal(e.to_string()))?;
        }
        let role = Role::parse(&s.role).ok_or_else(|| WebError::Internal(format!("unknown role {:?}", s.role)))?;
        let login = Login::parse(&s.login).map_err(|e| WebError::Internal(e.to_string()))?;
        Ok(Agent {
            principal: Principal { login: s.login.clone(), role, division: s.division.clone(), section: s.section },
            login,
            display_name: s.display_name,
            csrf: s.csrf,
            session,
        })
    }
}

pub(crate) fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Verifies a password against an argon2 hash off the async threads (it takes tens of ms).
pub(crate) async fn verify_password(hash: String, password: String) -> Result<bool, WebError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash).map_err(|e| WebError::Internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
}

/// A hash of a password nobody has, so that an unknown login takes as long as a wrong password.
pub(crate) fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| {
            use argon2::password_hash::{PasswordHasher, SaltString};
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default().hash_password(random_token().as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
        })
        .clone()
}

/// Checks the login and password; counts failures, locks the account after too many, and
/// journals every refusal and every lockout (without the password).
pub async fn authenticate(state: &AppState, login: &str, password: &str) -> Result<nansen_store::Account, WebError> {
    let store = state.store();
    let now = OffsetDateTime::now_utc();
    let account = match Login::parse(login.trim()) {
        Ok(l) => store.account(l.as_str()).await?,
        Err(_) => None,
    };
    let Some(account) = account.filter(|a| !a.disabled) else {
        let _ = verify_password(decoy_hash(), password.to_owned()).await;
        return Err(WebError::BadCredentials);
    };
    if let Some(until) = account.locked_until.filter(|u| *u > now) {
        return Err(WebError::Locked(format_time(until)));
    }
    if verify_password(account.password_hash.clone(), password.to_owned()).await? {
        store.note_login_success(&account.login).await?;
        return Ok(account);
    }
    let config = state.config();
    let locked = store.note_login_failure(&account.login, now, config.max_failed_logins, config.lockout).await?;
    let kind = if locked.is_some() { "account.locked" } else { "account.sign_in_refused" };
    journal(state, &account.login, &format!("account:{}", account.login), kind, serde_json::json!({})).await?;
    match locked {
        Some(until) => Err(WebError::Locked(format_time(until))),
        None => Err(WebError::BadCredentials),
    }
}

/// Step-up: the signed-in agent types their password again before signing a decision.
pub async fn confirm_password(state: &AppState, agent: &Agent, password: &str) -> Result<(), WebError> {
    if password.is_empty() {
        return Err(WebError::field("password", "type your password to sign"));
    }
    match authenticate(state, agent.login.as_str(), password).await {
        Ok(_) => Ok(()),
        Err(WebError::BadCredentials) => Err(WebError::WrongPassword),
        Err(other) => Err(other),
    }
}

pub fn format_time(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

async fn journal(
    state: &AppState,
    actor: &str,
    subject: &str,
    kind: &str,
    payload: serde_json::Value,
) -> Result<(), WebError> {
    let actor = Login::parse(actor).map_err(|e| WebError::Internal(e.to_string()))?;
    state
        .store()
        .execute_one(Op {
            actor,
            now: OffsetDateTime::now_utc(),
            action: Action::Record { subject: subject.to_owned(), kind: kind.to_owned(), payload },
        })
        .await?
        .map_err(WebError::Domain)?;
    Ok(())
}

/// Opens a session for the account: a new session id (no fixation), a fresh CSRF token.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    account: &nansen_store::Account,
    lang: &str,
) -> Result<SessionAgent, WebError> {
    session.cycle_id().await.map_err(|e| WebError::Internal(e.to_string()))?;
    let agent = SessionAgent {
        login: account.login.clone(),
        display_name: account.display_name.clone(),
        role: account.role.clone(),
        division: account.division.clone(),
        section: account.section,
        signed_in_at: OffsetDateTime::now_utc().unix_timestamp(),
        csrf: random_token(),
        lang: lang.to_owned(),
        seen_at: OffsetDateTime::now_utc().unix_timestamp(),
    };
    session.insert(AGENT_KEY, &agent).await.map_err(|e| WebError::Internal(e.to_string()))?;
    journal(state, &account.login, &format!("account:{}", account.login), "account.signed_in", serde_json::json!({}))
        .await?;
    Ok(agent)
}

/// Ends the session on the server (the row is deleted), not only in the browser.
pub async fn end_session(state: &AppState, agent: &Agent) -> Result<(), WebError> {
    agent.session.flush().await.map_err(|e| WebError::Internal(e.to_string()))?;
    journal(
        state,
        agent.login.as_str(),
        &format!("account:{}", agent.login),
        "account.signed_out",
        serde_json::json!({}),
    )
    .await
}

/// Refuses state-changing requests that come from another site: the `Origin` (or, failing it,
/// the `Referer`) must name this host. With SameSite=Strict cookies and CSRF tokens, this is
/// the third lock on the door.
pub async fn same_origin(State(_): State<AppState>, request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    let origin = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|h| h.to_str().ok());
    // A browser that hides the origin ("null") still says whether the request is same-site.
    let fetch_site = headers.get("sec-fetch-site").and_then(|h| h.to_str().ok());
    let same = match origin {
        None => fetch_site.is_none_or(|s| s == "same-origin" || s == "none"),
        Some("null") => fetch_site == Some("same-origin"),
        Some(origin) => origin.split("://").nth(1).unwrap_or_default().split('/').next().unwrap_or_default() == host,
    };
    if !same {
        return WebError::BadRequest("cross-site request refused".into()).into_response();
    }
    next.run(request).await
}
