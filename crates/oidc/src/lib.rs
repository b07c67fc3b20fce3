//! Agents sign in through the state's identity provider (ProConnect in France, Keycloak or any
//! OpenID provider elsewhere): the authorization code flow with PKCE, `state` and `nonce`, and an
//! ID token whose signature, issuer, audience and expiry are checked here before anything else
//! sees it. The provider is found by discovery; its signing keys are fetched again when a token is
//! signed with a key it did not publish before (rotation), at most once a minute.
//!
//! This crate says *who* the provider vouches for (the value of one claim); which Nansen account
//! that is, and whether it may sign in, is the office's business. It never creates an account.

#[cfg(feature = "testing")]
pub mod testing;

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClient,
    CoreClientAuthMethod, CoreGenderClaim, CoreGrantType, CoreIdToken, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJweKeyManagementAlgorithm, CoreResponseMode, CoreResponseType,
    CoreSubjectIdentifierType,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, EmptyAdditionalClaims,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, LogoutProviderMetadata, LogoutRequest, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadata, RedirectUrl,
    Scope, SignatureVerificationError, TokenResponse, UserInfoClaims,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tokio::sync::RwLock;

/// The provider's discovery document, with its end-session endpoint (RP-initiated logout).
type Metadata = ProviderMetadata<
    LogoutProviderMetadata<openidconnect::EmptyAdditionalProviderMetadata>,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

/// The client discovery makes: authorization endpoint set, token and userinfo as discovered.
type RpClient =
    CoreClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointMaybeSet, EndpointMaybeSet>;

/// How long discovery and keys are trusted before they are fetched again.
const METADATA_LIFETIME: Duration = Duration::from_secs(3600);

/// What goes wrong between Nansen and the provider.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached or described itself wrongly: {0}")]
    Discovery(String),
    #[error("the setting {0} is not valid: {1}")]
    Setting(&'static str, String),
    /// The `state` that came back is not the one this browser was sent with (a forged or stale
    /// callback).
    #[error("the sign-in did not start here, or has expired; start again")]
    StateMismatch,
    /// The provider answered the authorization with an error (`access_denied`, …).
    #[error("the identity provider refused the sign-in: {0}")]
    Refused(String),
    /// The code could not be exchanged (used already, expired, or not ours).
    #[error("the identity provider refused the code: {0}")]
    Exchange(String),
    /// The ID token failed a check: signature, issuer, audience, expiry, nonce.
    #[error("the identity token is not valid: {0}")]
    Token(String),
    /// The token names no value for the claim accounts are matched on.
    #[error("the identity token carries no {0} claim")]
    MissingClaim(String),
    /// The provider says the e-mail address is not verified.
    #[error("the identity provider has not verified the e-mail address")]
    Unverified,
    /// A fresh sign-in was asked for (before signing a decision) and the token is older.
    #[error("the identity provider did not authenticate the agent again")]
    NotFresh,
}

/// The relying party's settings (`NANSEN_OIDC_*`).
#[derive(Debug, Clone)]
pub struct Settings {
    /// The provider's issuer URL; discovery reads `/.well-known/openid-configuration` under it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// Where the provider sends the browser back: Nansen's `/login/oidc/callback`, as registered.
    pub redirect_url: String,
    /// Where the provider sends the browser after signing out (registered too), if anywhere.
    pub post_logout_url: Option<String>,
    /// The claim whose value names the agent's Nansen account: `email` (default), `sub` or
    /// `preferred_username`.
    pub claim: Claim,
    /// The least time between two fetches of the provider's keys caused by a token signed with
    /// an unknown key (a flood of forged tokens must not make Nansen hammer the provider).
    pub key_refetch_gap: Duration,
}

impl Settings {
    /// A minute between two fetches of keys.
    pub const KEY_REFETCH_GAP: Duration = Duration::from_secs(60);
}

/// The claims an account may be matched on: the ones every provider defines the same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    Subject,
    Email,
    PreferredUsername,
}

impl Claim {
    pub fn parse(name: &str) -> Result<Claim, OidcError> {
        match name {
            "sub" => Ok(Claim::Subject),
            "email" => Ok(Claim::Email),
            "preferred_username" => Ok(Claim::PreferredUsername),
            other => Err(OidcError::Setting(
                "NANSEN_OIDC_CLAIM",
                format!("{other:?}: choose sub, email or preferred_username"),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Claim::Subject => "sub",
            Claim::Email => "email",
            Claim::PreferredUsername => "preferred_username",
        }
    }
}

/// A sign-in under way: kept by the browser's sealed cookie between the redirect and the callback.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    pub state: String,
    pub nonce: String,
    pub verifier: String,
    /// A fresh authentication was asked for: the token must say it happened after `started_at`.
    pub fresh: bool,
    /// Unix time the redirect was made.
    pub started_at: i64,
}

/// The redirect to the provider and what the callback will need.
#[derive(Debug, Clone)]
pub struct Begun {
    pub url: String,
    pub pending: Pending,
}

/// Whom the provider vouched for.
#[derive(Debug, Clone)]
pub struct Vouched {
    /// The value of the configured claim (e-mail addresses lowercased).
    pub identity: String,
    /// The provider's subject, for the journal.
    pub subject: String,
    /// The raw ID token, kept to name the session when signing out at the provider.
    pub id_token: String,
    /// When the provider last authenticated the agent (`auth_time`), if it said.
    pub authenticated_at: Option<OffsetDateTime>,
}

struct Known {
    metadata: Metadata,
    fetched: Instant,
}

/// The configured provider: its settings, HTTP client and the last discovery.
pub struct Provider {
    settings: Settings,
    http: reqwest::Client,
    known: RwLock<Arc<Known>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("issuer", &self.settings.issuer).finish_non_exhaustive()
    }
}

impl Provider {
    /// Reads the provider's discovery document and keys; refuses settings that cannot work.
    pub async fn discover(settings: Settings) -> Result<Provider, OidcError> {
        RedirectUrl::new(settings.redirect_url.clone())
            .map_err(|e| OidcError::Setting("NANSEN_OIDC_REDIRECT_URL", e.to_string()))?;
        if let Some(url) = &settings.post_logout_url {
            PostLogoutRedirectUrl::new(url.clone())
                .map_err(|e| OidcError::Setting("NANSEN_PUBLIC_URL", e.to_string()))?;
        }
        if settings.client_id.is_empty() {
            return Err(OidcError::Setting("NANSEN_OIDC_CLIENT_ID", "empty".into()));
        }
        let http = reqwest::Client::builder()
            // Following redirects would open the token request to SSRF.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        let metadata = fetch(&settings, &http).await?;
        Ok(Provider { settings, http, known: RwLock::new(Arc::new(Known { metadata, fetched: Instant::now() })) })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    async fn known(&self) -> Arc<Known> {
        let known = self.known.read().await.clone();
        if known.fetched.elapsed() < METADATA_LIFETIME {
            return known;
        }
        self.refetch(known).await.unwrap_or_else(|k| k)
    }

    /// Fetches discovery and keys again, unless another request just did, or it is too soon.
    /// Returns the newer metadata (`Ok`) or the one there was (`Err`).
    async fn refetch(&self, seen: Arc<Known>) -> Result<Arc<Known>, Arc<Known>> {
        let mut guard = self.known.write().await;
        if !Arc::ptr_eq(&guard, &seen) {
            return Ok(guard.clone());
        }
        if seen.fetched.elapsed() < self.settings.key_refetch_gap {
            return Err(seen);
        }
        match fetch(&self.settings, &self.http).await {
            Ok(metadata) => {
                *guard = Arc::new(Known { metadata, fetched: Instant::now() });
                Ok(guard.clone())
            }
            Err(e) => {
                tracing::warn!(error = %e, "identity provider discovery");
                Err(seen)
            }
        }
    }

    fn client(&self, known: &Known) -> Result<RpClient, OidcError> {
        // The metadata's type differs from CoreProviderMetadata only by the end-session endpoint.
        let client = openidconnect::Client::from_provider_metadata(
            known.metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(
            RedirectUrl::new(self.settings.redirect_url.clone())
                .map_err(|e| OidcError::Setting("NANSEN_OIDC_REDIRECT_URL", e.to_string()))?,
        );
        Ok(client)
    }

    /// The redirect that starts a sign-in. `fresh` asks the provider to authenticate the agent
    /// again whatever session it has (`prompt=login`, `max_age=0`): the step-up before signing.
    pub async fn begin(&self, fresh: bool, now: OffsetDateTime) -> Result<Begun, OidcError> {
        let known = self.known().await;
        let client = self.client(&known)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge);
        if fresh {
            request = request.add_prompt(CoreAuthPrompt::Login).set_max_age(Duration::ZERO);
        }
        let (url, state, nonce) = request.url();
        Ok(Begun {
            url: url.to_string(),
            pending: Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                fresh,
                started_at: now.unix_timestamp(),
            },
        })
    }

    /// The callback: checks `state`, exchanges the code (with the PKCE verifier), and checks the
    /// ID token. `now` is the office's clock.
    pub async fn finish(
        &self,
        pending: &Pending,
        state: &str,
        code: &str,
        now: OffsetDateTime,
    ) -> Result<Vouched, OidcError> {
        if !constant_time_eq(pending.state.as_bytes(), state.as_bytes()) {
            return Err(OidcError::StateMismatch);
        }
        let known = self.known().await;
        let client = self.client(&known)?;
        let response = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Discovery(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(exchange_error(e)))?;
        let token = response.id_token().ok_or_else(|| OidcError::Token("the provider sent no ID token".into()))?;
        let raw = token.to_string();
        let verified = self.verify(&raw, &pending.nonce, now).await?;
        if pending.fresh {
            // Asked with max_age=0: the authentication must be this one, not an older session's.
            let at = verified.authenticated_at.ok_or(OidcError::NotFresh)?;
            if at.unix_timestamp() + 5 < pending.started_at {
                return Err(OidcError::NotFresh);
            }
        }
        // Many providers (ProConnect among them) give e-mail and names at the userinfo endpoint
        // only; its answer must be about the same subject (checked by the library).
        let named = if verified.named.has(self.settings.claim) {
            verified.named.clone()
        } else {
            let subject = openidconnect::SubjectIdentifier::new(verified.subject.clone());
            let info: UserInfoClaims<EmptyAdditionalClaims, CoreGenderClaim> = client
                .user_info(response.access_token().clone(), Some(subject))
                .map_err(|e| {
                    OidcError::MissingClaim(format!("{} (no userinfo endpoint: {e})", self.settings.claim.as_str()))
                })?
                .request_async(&self.http)
                .await
                .map_err(|e| OidcError::Token(format!("userinfo: {}", error_chain(&e))))?;
            Named {
                email: info.email().map(|e| e.to_string()),
                email_verified: info.email_verified(),
                preferred_username: info.preferred_username().map(|u| u.to_string()),
            }
        };
        let identity = identity_of(self.settings.claim, &verified.subject, &named)?;
        Ok(Vouched { identity, subject: verified.subject, id_token: raw, authenticated_at: verified.authenticated_at })
    }

    /// Checks an ID token (signature against the provider's keys, issuer, audience, expiry, issue
    /// time, nonce) and reads the claim accounts are matched on. A token signed with a key the
    /// provider did not publish when last asked makes Nansen ask again once.
    pub async fn verify(&self, raw: &str, nonce: &str, now: OffsetDateTime) -> Result<Verified, OidcError> {
        let token: CoreIdToken = raw.parse().map_err(|e: serde_json::Error| OidcError::Token(e.to_string()))?;
        let known = self.known().await;
        match self.claims(&known, &token, nonce, now) {
            Err(OidcError::Token(why)) if why == NO_KEY => match self.refetch(known).await {
                Ok(newer) => self.claims(&newer, &token, nonce, now),
                Err(_) => Err(OidcError::Token("signed with a key the provider does not publish".into())),
            },
            other => other,
        }
    }

    fn claims(
        &self,
        known: &Known,
        token: &CoreIdToken,
        nonce: &str,
        now: OffsetDateTime,
    ) -> Result<Verified, OidcError> {
        let client = self.client(known)?;
        let at = chrono::DateTime::<chrono::Utc>::from_timestamp(now.unix_timestamp(), 0)
            .ok_or_else(|| OidcError::Token("the clock is out of range".into()))?;
        let verifier = client.id_token_verifier().set_time_fn(move || at);
        let claims = token.claims(&verifier, &Nonce::new(nonce.to_owned())).map_err(|e| match e {
            ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey) => {
                OidcError::Token(NO_KEY.into())
            }
            other => OidcError::Token(other.to_string()),
        })?;
        Ok(Verified {
            subject: claims.subject().to_string(),
            authenticated_at: claims.auth_time().and_then(|t| OffsetDateTime::from_unix_timestamp(t.timestamp()).ok()),
            named: Named {
                email: claims.email().map(|e| e.to_string()),
                email_verified: claims.email_verified(),
                preferred_username: claims.preferred_username().map(|u| u.to_string()),
            },
        })
    }

    /// Where to send the browser to end the provider's session too, when it supports it.
    pub async fn end_session_url(&self, id_token: Option<&str>) -> Option<String> {
        let known = self.known().await;
        let endpoint = known.metadata.additional_metadata().end_session_endpoint.clone()?;
        let mut request = LogoutRequest::from(endpoint).set_client_id(ClientId::new(self.settings.client_id.clone()));
        if let Some(token) = id_token.and_then(|t| t.parse::<CoreIdToken>().ok()) {
            request = request.set_id_token_hint(&token);
        }
        if let Some(url) = self.settings.post_logout_url.clone().and_then(|u| PostLogoutRedirectUrl::new(u).ok()) {
            request = request.set_post_logout_redirect_uri(url);
        }
        Some(request.http_get_url().to_string())
    }
}

const NO_KEY: &str = "no key of the provider matches the token's";

async fn fetch(settings: &Settings, http: &reqwest::Client) -> Result<Metadata, OidcError> {
    let issuer =
        IssuerUrl::new(settings.issuer.clone()).map_err(|e| OidcError::Setting("NANSEN_OIDC_ISSUER", e.to_string()))?;
    Metadata::discover_async(issuer, http).await.map_err(|e| OidcError::Discovery(error_chain(&e)))
}

/// The claims an account may be named by, from the ID token or the userinfo endpoint.
#[derive(Debug, Clone, Default)]
pub struct Named {
    email: Option<String>,
    email_verified: Option<bool>,
    preferred_username: Option<String>,
}

impl Named {
    fn has(&self, claim: Claim) -> bool {
        match claim {
            Claim::Subject => true,
            Claim::Email => self.email.is_some(),
            Claim::PreferredUsername => self.preferred_username.is_some(),
        }
    }
}

/// An ID token whose signature and claims were checked.
#[derive(Debug, Clone)]
pub struct Verified {
    pub subject: String,
    /// When the provider last authenticated the agent (`auth_time`), if it said.
    pub authenticated_at: Option<OffsetDateTime>,
    named: Named,
}

fn identity_of(claim: Claim, subject: &str, named: &Named) -> Result<String, OidcError> {
    let missing = || OidcError::MissingClaim(claim.as_str().to_owned());
    let identity = match claim {
        Claim::Subject => subject.to_owned(),
        Claim::Email => {
            if named.email_verified == Some(false) {
                return Err(OidcError::Unverified);
            }
            named.email.as_deref().ok_or_else(missing)?.to_lowercase()
        }
        Claim::PreferredUsername => named.preferred_username.clone().ok_or_else(missing)?,
    };
    if identity.is_empty() {
        return Err(missing());
    }
    Ok(identity)
}

/// The provider's own words when it refuses a code (`invalid_grant: …`), not the HTTP plumbing.
fn exchange_error<E: std::error::Error>(e: E) -> String {
    error_chain(&e)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_named_in_settings() {
        assert_eq!(Claim::parse("email").ok(), Some(Claim::Email));
        assert_eq!(Claim::parse("sub").ok(), Some(Claim::Subject));
        assert!(matches!(Claim::parse("uid"), Err(OidcError::Setting("NANSEN_OIDC_CLAIM", _))));
    }

    #[test]
    fn states_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
