//! The relying party against a real OpenID provider on loopback (panva's oidc-provider, started
//! by the test): a good sign-in, and each way a sign-in must fail — a wrong audience, an
//! expired token, a tampered signature or payload, a replayed code, a forged state, a wrong
//! nonce — and a fresh authentication, and the provider's key rotation.

use std::time::Duration;

use nansen_oidc::testing::{authorize, TestProvider};
use nansen_oidc::{Claim, OidcError, Provider, Settings};
use serde_json::json;
use time::OffsetDateTime;

const BACK: &str = "http://127.0.0.1:9/login/oidc/callback";
const SECRET: &str = "a-client-secret-long-enough-for-hs256-0123456789";

fn clients() -> serde_json::Value {
    json!([
        { "client_id": "nansen", "client_secret": SECRET, "redirect_uris": [BACK] },
        { "client_id": "another-service", "client_secret": SECRET, "redirect_uris": [BACK] },
    ])
}

fn accounts() -> serde_json::Value {
    json!({
        "k-001": { "email": "Opi.Karimi@Nansen.example", "email_verified": true, "preferred_username": "opi.karimi" },
        "k-002": { "email": "unverified@nansen.example", "email_verified": false },
    })
}

fn settings(issuer: &str, client_id: &str, claim: Claim) -> Settings {
    Settings {
        issuer: issuer.to_owned(),
        client_id: client_id.to_owned(),
        client_secret: SECRET.to_owned(),
        redirect_url: BACK.to_owned(),
        post_logout_url: Some("http://127.0.0.1:9/login".to_owned()),
        claim,
        key_refetch_gap: Duration::ZERO,
    }
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn query(url: &str, name: &str) -> String {
    let url = url::Url::parse(url).expect("url");
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned()).unwrap_or_default()
}

/// Signs `login` in through `rp`: the callback's address (code and state in it) and the flow.
async fn through(
    rp: &Provider,
    browser: &reqwest::Client,
    login: &str,
    fresh: bool,
) -> (String, nansen_oidc::Pending, bool) {
    let begun = rp.begin(fresh, OffsetDateTime::now_utc()).await.expect("begin");
    let (back, form) = authorize(browser, &begun.url, login, BACK).await;
    (back, begun.pending, form)
}

#[tokio::test]
async fn a_good_sign_in_names_the_agent_by_the_configured_claim() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let browser = browser();
    let (back, pending, form) = through(&rp, &browser, "k-001", false).await;
    assert!(form, "the provider asked who signs in");
    assert_eq!(query(&back, "iss"), op.issuer, "the answer names its issuer (RFC 9207)");
    let now = OffsetDateTime::now_utc();
    let vouched = rp.finish(&pending, &query(&back, "state"), &query(&back, "code"), now).await.expect("signed in");
    assert_eq!(vouched.identity, "opi.karimi@nansen.example", "e-mail addresses compare lowercased");
    assert_eq!(vouched.subject, "k-001");
    // The same token, read against another nonce, is refused: it belongs to that one flow.
    let replayed = rp.verify(&vouched.id_token, "another-nonce", now).await;
    assert!(matches!(&replayed, Err(OidcError::Token(why)) if why.contains("once")), "{replayed:?}");
    // Sign-out at the provider names the session.
    let out = rp.end_session_url(Some(&vouched.id_token)).await.expect("end-session endpoint");
    assert!(out.starts_with(&format!("{}/session/end", op.issuer)) && out.contains("id_token_hint="), "{out}");

    // Matched on another claim, the same person is named by it.
    let by_name =
        Provider::discover(settings(&op.issuer, "nansen", Claim::PreferredUsername)).await.expect("discovery");
    let (back, pending, form) = through(&by_name, &browser, "k-001", false).await;
    assert!(!form, "the provider's session signs in without the form");
    let vouched =
        by_name.finish(&pending, &query(&back, "state"), &query(&back, "code"), now).await.expect("signed in");
    assert_eq!(vouched.identity, "opi.karimi");
}

#[tokio::test]
async fn a_token_for_another_client_is_refused() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let nansen = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let other = Provider::discover(settings(&op.issuer, "another-service", Claim::Email)).await.expect("discovery");
    let (back, pending, _) = through(&other, &browser(), "k-001", false).await;
    let now = OffsetDateTime::now_utc();
    let theirs = other.finish(&pending, &query(&back, "state"), &query(&back, "code"), now).await.expect("their token");
    let refused = nansen.verify(&theirs.id_token, &pending.nonce, now).await;
    assert!(matches!(&refused, Err(OidcError::Token(why)) if why.contains("audience")), "{refused:?}");
}

#[tokio::test]
async fn an_expired_or_tampered_token_is_refused() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let (back, pending, _) = through(&rp, &browser(), "k-001", false).await;
    let now = OffsetDateTime::now_utc();
    let good = rp.finish(&pending, &query(&back, "state"), &query(&back, "code"), now).await.expect("token");
    rp.verify(&good.id_token, &pending.nonce, now).await.expect("the token reads again with its nonce");

    let later = now + time::Duration::hours(2);
    let expired = rp.verify(&good.id_token, &pending.nonce, later).await;
    assert!(matches!(&expired, Err(OidcError::Token(why)) if why.starts_with("Expired")), "{expired:?}");

    let parts: Vec<&str> = good.id_token.split('.').collect();
    assert_eq!(parts.len(), 3);
    // One character of the signature changed.
    let mut signature = parts[2].to_owned();
    let flipped = if signature.starts_with('A') { "B" } else { "A" };
    signature.replace_range(0..1, flipped);
    let tampered = format!("{}.{}.{}", parts[0], parts[1], signature);
    let refused = rp.verify(&tampered, &pending.nonce, now).await;
    assert!(matches!(&refused, Err(OidcError::Token(why)) if why.contains("ignature")), "{refused:?}");
    // The payload changed to name someone else, the signature kept.
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = String::from_utf8(engine.decode(parts[1]).expect("payload")).expect("json");
    let forged = payload.replace("\"k-001\"", "\"k-002\"");
    assert_ne!(forged, payload);
    let forged = format!("{}.{}.{}", parts[0], engine.encode(forged), parts[2]);
    let refused = rp.verify(&forged, &pending.nonce, now).await;
    assert!(matches!(&refused, Err(OidcError::Token(why)) if why.contains("ignature")), "{refused:?}");
    // Unsigned ("alg": "none") is never accepted.
    let none = format!("{}.{}.", engine.encode(r#"{"alg":"none","typ":"JWT"}"#), parts[1]);
    assert!(rp.verify(&none, &pending.nonce, now).await.is_err());
}

#[tokio::test]
async fn a_code_is_exchanged_once_and_only_with_its_state() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let (back, pending, _) = through(&rp, &browser(), "k-001", false).await;
    let now = OffsetDateTime::now_utc();
    let (state, code) = (query(&back, "state"), query(&back, "code"));
    let forged = rp.finish(&pending, "a-state-from-elsewhere", &code, now).await;
    assert!(matches!(forged, Err(OidcError::StateMismatch)), "{forged:?}");
    rp.finish(&pending, &state, &code, now).await.expect("the first exchange");
    let replayed = rp.finish(&pending, &state, &code, now).await;
    assert!(matches!(&replayed, Err(OidcError::Exchange(why)) if why.contains("invalid_grant")), "{replayed:?}");
    // A code taken from another flow (another PKCE verifier) is refused too.
    let (back2, _, _) = through(&rp, &browser(), "k-001", false).await;
    let stolen = rp.finish(&pending, &state, &query(&back2, "code"), now).await;
    assert!(matches!(stolen, Err(OidcError::Exchange(_))), "{stolen:?}");
}

#[tokio::test]
async fn an_unverified_address_names_nobody() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let (back, pending, _) = through(&rp, &browser(), "k-002", false).await;
    let refused = rp.finish(&pending, &query(&back, "state"), &query(&back, "code"), OffsetDateTime::now_utc()).await;
    assert!(matches!(refused, Err(OidcError::Unverified)), "{refused:?}");
}

#[tokio::test]
async fn a_fresh_authentication_is_asked_for_and_checked() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    let browser = browser();
    let (back, pending, _) = through(&rp, &browser, "k-001", false).await;
    rp.finish(&pending, &query(&back, "state"), &query(&back, "code"), OffsetDateTime::now_utc()).await.expect("in");
    // The provider has a session now; a step-up still asks for the form.
    let begun = rp.begin(true, OffsetDateTime::now_utc()).await.expect("begin");
    assert!(begun.url.contains("prompt=login") && begun.url.contains("max_age=0"), "{}", begun.url);
    let (back, form) = authorize(&browser, &begun.url, "k-001", BACK).await;
    assert!(form, "the provider authenticated the agent again");
    let vouched = rp
        .finish(&begun.pending, &query(&back, "state"), &query(&back, "code"), OffsetDateTime::now_utc())
        .await
        .expect("fresh");
    let at = vouched.authenticated_at.expect("auth_time");
    assert!(at.unix_timestamp() + 5 >= begun.pending.started_at);
    // A flow that asked to be fresh refuses an authentication older than itself.
    let mut late = begun.pending.clone();
    late.started_at += 3600;
    let (back, _) = authorize(&browser, &begun.url, "k-001", BACK).await;
    let stale = rp.finish(&late, &query(&back, "state"), &query(&back, "code"), OffsetDateTime::now_utc()).await;
    assert!(matches!(stale, Err(OidcError::NotFresh) | Err(OidcError::Exchange(_))), "{stale:?}");
}

#[tokio::test]
async fn a_rotated_signing_key_is_fetched_when_a_token_names_it() {
    let op = TestProvider::start(0, &clients(), &accounts());
    let port = op.port;
    let rp = Provider::discover(settings(&op.issuer, "nansen", Claim::Email)).await.expect("discovery");
    // The provider restarts with a new key on the same address; Nansen knows only the old one.
    drop(op);
    let op = TestProvider::start(port, &clients(), &accounts());
    let (back, pending, _) = through(&rp, &browser(), "k-001", false).await;
    let vouched = rp
        .finish(&pending, &query(&back, "state"), &query(&back, "code"), OffsetDateTime::now_utc())
        .await
        .expect("the new key is fetched and the token verifies");
    assert_eq!(vouched.subject, "k-001");
    drop(op);
}

#[tokio::test]
async fn settings_that_cannot_work_are_refused_at_start() {
    let unreachable = settings("http://127.0.0.1:9", "nansen", Claim::Email);
    assert!(matches!(Provider::discover(unreachable).await, Err(OidcError::Discovery(_))));
    let op = TestProvider::start(0, &clients(), &accounts());
    let mut no_client = settings(&op.issuer, "", Claim::Email);
    assert!(matches!(Provider::discover(no_client.clone()).await, Err(OidcError::Setting("NANSEN_OIDC_CLIENT_ID", _))));
    no_client.client_id = "nansen".into();
    no_client.redirect_url = "not a url".into();
    assert!(matches!(Provider::discover(no_client).await, Err(OidcError::Setting(..))));
}
