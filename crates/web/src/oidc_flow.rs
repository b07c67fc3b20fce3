//! The sealed flow of a sign-in or a step-up through the identity provider: its secrets
//! (`state`, `nonce`, the PKCE verifier, and what the flow is for) travel in a short-lived
//! cookie sealed with the office's secrets key. Kept apart from the pages (`oidc.rs`) so that
//! the case page's sign form can start a step-up without depending on them.

use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use nansen_oidc::{OidcError, Pending, Provider};
use serde::{Deserialize, Serialize};

use crate::{auth, AppState, WebError};

/// The cookie that carries a sign-in under way, for ten minutes, to the callback only.
const FLOW_COOKIE: &str = "nansen_oidc";
const FLOW_PATH: &str = "/login/oidc";
const FLOW_SECONDS: i64 = 600;
/// The prefix `SecretKey::seal` writes; a cookie without it was not made here.
const SEALED: &str = "sealed:v1:";

/// What a flow is for.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Purpose {
    /// Opening a session.
    SignIn,
    /// The step-up before signing the decision of a case (or its closure after an unexcused
    /// absence), by the agent signed in when it began.
    Sign {
        login: String,
        case: String,
        #[serde(default)]
        closure: bool,
    },
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Flow {
    pub(crate) pending: Pending,
    pub(crate) purpose: Purpose,
}

pub(crate) fn provider(state: &AppState) -> Result<&Provider, WebError> {
    state.oidc().ok_or_else(|| WebError::NotFound("sign-in through an identity provider".into()))
}

/// The redirect to the provider, with the flow's cookie.
pub(crate) async fn redirect(state: &AppState, fresh: bool, purpose: Purpose) -> Result<Response, WebError> {
    let begun = provider(state)?.begin(fresh, state.now()).await.map_err(provider_error)?;
    let flow = serde_json::to_string(&Flow { pending: begun.pending, purpose })
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let sealed = state.office().config().secrets.seal(&flow)?;
    let mut response = Redirect::to(&begun.url).into_response();
    set_flow_cookie(&mut response, &sealed, FLOW_SECONDS, state.config().tls);
    Ok(response)
}

pub(crate) fn set_flow_cookie(response: &mut Response, value: &str, max_age: i64, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{FLOW_COOKIE}={value}; Path={FLOW_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}");
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// The sign form of a case when the provider is on: off to the provider, which must
/// authenticate the agent again (`prompt=login`, `max_age=0`), then back to sign.
pub(crate) async fn step_up(
    state: &AppState,
    agent: &auth::Agent,
    case: &str,
    closure: bool,
) -> Result<Response, WebError> {
    redirect(state, true, Purpose::Sign { login: agent.login.to_string(), case: case.to_owned(), closure }).await
}

/// The flow this browser started, from its sealed cookie.
pub(crate) fn flow_of(state: &AppState, headers: &HeaderMap) -> Result<Flow, WebError> {
    let stale = || provider_error(OidcError::StateMismatch);
    let value = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(name, _)| *name == FLOW_COOKIE)
        .map(|(_, v)| v.to_owned())
        .filter(|v| v.starts_with(SEALED))
        .ok_or_else(stale)?;
    let plain = state.office().config().secrets.open(&value).map_err(|_| stale())?;
    let flow: Flow = serde_json::from_str(&plain).map_err(|_| stale())?;
    if state.now().unix_timestamp() - flow.pending.started_at > FLOW_SECONDS {
        return Err(stale());
    }
    Ok(flow)
}

pub(crate) fn provider_error(e: OidcError) -> WebError {
    match e {
        OidcError::Discovery(_) | OidcError::Setting(..) => WebError::Internal(e.to_string()),
        other => WebError::Provider(other.to_string()),
    }
}
