//! The signed-in agent as an extractor (its session, cookie and timeouts), CSRF tokens, and the
//! same-origin check on state-changing requests. Passwords, lockout and their journal are the
//! office's (`nansen_office::accounts`).

use axum::extract::{Form, FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use nansen_domain::ids::Login;
pub use nansen_office::portal::random_token;
use nansen_office::{Principal, Role};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tower_sessions::Session;

use crate::forms::FormData;
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
    /// The identity provider's ID token, when the agent signed in through it: named when
    /// signing out there too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// The signed-in agent of a request: the office's actor, with what the web keeps of the session.
#[derive(Debug, Clone)]
pub struct Agent {
    pub agent: nansen_office::Agent,
    pub csrf: String,
    pub session: Session,
    /// Signed in through the state's identity provider: it confirms who signs, not a password.
    pub federated: bool,
}

/// The web's agent reads as the office's actor: `cases::read_case(&state, &agent, …)`.
impl std::ops::Deref for Agent {
    type Target = nansen_office::Agent;

    fn deref(&self) -> &nansen_office::Agent {
        &self.agent
    }
}

/// Checks a submitted CSRF token against the session's, in constant time.
pub fn check_token(expected: &str, token: Option<&str>, message: &str) -> Result<(), WebError> {
    let given = Sha256::digest(token.unwrap_or_default().as_bytes());
    let wanted = Sha256::digest(expected.as_bytes());
    if token.is_some() && given.as_slice() == wanted.as_slice() {
        Ok(())
    } else {
        Err(WebError::BadRequest(message.into()))
    }
}

impl Agent {
    /// Checks a submitted CSRF token in constant time.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), WebError> {
        check_token(&self.csrf, token, "the form has expired or did not come from Nansen; reload the page")
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
        let now = state.now().unix_timestamp();
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
            agent: nansen_office::Agent {
                principal: Principal { login: s.login.clone(), role, division: s.division.clone(), section: s.section },
                login,
                display_name: s.display_name,
            },
            csrf: s.csrf,
            session,
            federated: s.id_token.is_some(),
        })
    }
}

/// A submitted form of the workbench, its CSRF token checked against the signed-in agent's
/// session before the handler runs (no session, or a wrong token, is refused here).
pub struct SignedForm(pub FormData);

impl FromRequest<AppState> for SignedForm {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let agent = Agent::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("the form could not be read: {e}")))?;
        let form = FormData::new(pairs);
        agent.check_csrf(form.get("csrf"))?;
        Ok(SignedForm(form))
    }
}

/// Opens a session for the agent just signed in: a new session id (no fixation), a fresh CSRF token.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    agent: &nansen_office::Agent,
    lang: &str,
    id_token: Option<String>,
) -> Result<SessionAgent, WebError> {
    session.cycle_id().await.map_err(|e| WebError::Internal(e.to_string()))?;
    let now = state.now().unix_timestamp();
    let s = SessionAgent {
        login: agent.login.to_string(),
        display_name: agent.display_name.clone(),
        role: agent.principal.role.as_str().to_owned(),
        division: agent.principal.division.clone(),
        section: agent.principal.section,
        signed_in_at: now,
        csrf: random_token(),
        lang: lang.to_owned(),
        seen_at: now,
        id_token,
    };
    session.insert(AGENT_KEY, &s).await.map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(s)
}

/// Ends the session on the server (the row is deleted), not only in the browser. Returns the
/// ID token the identity provider gave at sign-in, if any, to end its session too.
pub async fn end_session(state: &AppState, agent: &Agent) -> Result<Option<String>, WebError> {
    let id_token = agent
        .session
        .get::<SessionAgent>(AGENT_KEY)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .and_then(|s| s.id_token);
    agent.session.flush().await.map_err(|e| WebError::Internal(e.to_string()))?;
    nansen_office::accounts::signed_out(state, agent).await?;
    Ok(id_token)
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
