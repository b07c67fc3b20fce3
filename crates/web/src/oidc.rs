//! Agents sign in through the state's identity provider (OpenID Connect), and confirm who they
//! are there again before signing a decision. The flow's secrets (`state`, `nonce`, the PKCE
//! verifier, and what the flow is for) travel in a short-lived cookie sealed with the office's
//! secrets key, `SameSite=Lax` so that it comes back with the provider's redirect; the session
//! cookie itself stays `Strict`, so the callback answers with a page that continues to Nansen
//! (a same-site navigation, which carries it).

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use nansen_office::accounts::{self, StepUp};
use nansen_office::cases::{self, CaseOp};
use nansen_oidc::OidcError;
use serde::Deserialize;
use tower_sessions::Session;

use crate::client::{with_device, Caller, AGENT_DEVICE_COOKIE};
use crate::oidc_flow::{flow_of, provider, provider_error, redirect, set_flow_cookie, Purpose};
use crate::ui::{error_page, lang_of, render};
use crate::{auth, AppState, WebError};

pub(crate) fn routes() -> Router<AppState> {
    Router::new().route("/login/oidc", get(start)).route("/login/oidc/callback", get(callback))
}

/// `GET /login/oidc`: off to the provider to sign in.
async fn start(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match redirect(&state, false, Purpose::SignIn).await {
        Ok(r) => r,
        Err(e) => error_page(&state, &headers, None, &e),
    }
}

#[derive(Debug, Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    /// The issuer the response comes from (RFC 9207), against mix-up attacks.
    iss: Option<String>,
}

/// `GET /login/oidc/callback`: the provider's answer. The flow's cookie is cleared whatever
/// happens: a code is tried once.
async fn callback(
    State(state): State<AppState>,
    headers: HeaderMap,
    caller: Caller,
    session: Session,
    Query(answer): Query<Callback>,
) -> Response {
    let mut response = match finish(&state, &headers, &caller, &session, answer).await {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, "sign-in through the identity provider");
            error_page(&state, &headers, None, &e)
        }
    };
    set_flow_cookie(&mut response, "", 0, state.config().tls);
    response
}

async fn finish(
    state: &AppState,
    headers: &HeaderMap,
    caller: &Caller,
    session: &Session,
    answer: Callback,
) -> Result<Response, WebError> {
    let provider = provider(state)?;
    let flow = flow_of(state, headers)?;
    if let Some(error) = answer.error {
        let detail = answer.error_description.map(|d| format!("{error}: {d}")).unwrap_or(error);
        return Err(provider_error(OidcError::Refused(detail)));
    }
    if answer
        .iss
        .as_deref()
        .is_some_and(|iss| iss.trim_end_matches('/') != provider.settings().issuer.trim_end_matches('/'))
    {
        return Err(WebError::Provider("the answer comes from another issuer".into()));
    }
    let (Some(code), Some(given_state)) = (answer.code, answer.state) else {
        return Err(WebError::Provider("the answer carries no code".into()));
    };
    let vouched = provider.finish(&flow.pending, &given_state, &code, state.now()).await.map_err(provider_error)?;
    let lang = lang_of(state, headers);
    match flow.purpose {
        Purpose::SignIn => {
            let signed = accounts::sign_in_vouched(state, &vouched.identity, &vouched.subject, caller.agent()).await?;
            auth::start_session(state, session, &signed.agent, lang, Some(vouched.id_token)).await?;
            let page = continue_page(state, headers, "/", "oidc-signed-in");
            Ok(with_device(page, AGENT_DEVICE_COOKIE, &signed.device, "/", state.config().tls))
        }
        Purpose::Sign { login, case, closure } => {
            let agent = accounts::vouched_agent(state, &vouched.identity).await?;
            let authenticated_at = vouched.authenticated_at.ok_or_else(|| provider_error(OidcError::NotFresh))?;
            let proof = StepUp::Provider { login, authenticated_at };
            let (op, done) = if closure {
                (CaseOp::CloseForAbsence { proof }, "close_absence")
            } else {
                (CaseOp::Sign { proof }, "sign")
            };
            cases::perform(state, &agent, &case, op).await?;
            Ok(continue_page(state, headers, &format!("/cases/{case}?done={done}"), "oidc-signed"))
        }
    }
}

#[derive(askama::Template)]
#[template(path = "continue.html")]
struct ContinuePage<'a> {
    tr: crate::i18n::Tr<'a>,
    nav: Option<crate::ui::Nav>,
    to: String,
    message: String,
}

/// A page that continues to `to` at once: a navigation from Nansen's own page, so that the
/// `SameSite=Strict` session cookie goes with it (the provider's redirect could not carry it).
fn continue_page(state: &AppState, headers: &HeaderMap, to: &str, message: &str) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    let message = tr.t(message);
    render(&ContinuePage { tr, nav: None, to: to.to_owned(), message })
}
