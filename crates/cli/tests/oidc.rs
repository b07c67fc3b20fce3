//! Agents sign in through a real OpenID provider (panva's oidc-provider on loopback, started by
//! the test) with `nansen serve` on SQLite and PostgreSQL, local passwords turned off: a good
//! sign-in, an unknown agent, a replayed code, a forged callback, the step-up at the provider
//! before signing a decision, and sign-out at the provider too.

mod common;

use common::{serve_demo, Documents};
use nansen_oidc::testing::{authorize, TestProvider};
use nansen_store::testing::BACKENDS;
use nansen_store::Backend;
use reqwest::StatusCode;
use serde_json::{json, Value};

const SECRET: &str = "a-client-secret-long-enough-for-hs256-0123456789";

fn browser() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn location(r: &reqwest::Response) -> String {
    r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

/// The page's CSRF token (the sign-out form's hidden field).
fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with its token") + 19;
    html[at..].split('"').next().expect("token").to_owned()
}

/// Signs in through the provider as `account` from Nansen's sign-in page; returns the
/// callback's response.
async fn sign_in(base: &str, browser: &reqwest::Client, account: &str) -> reqwest::Response {
    let r = browser.get(format!("{base}/login/oidc")).send().await.expect("start");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cookie = r.headers().get("set-cookie").and_then(|c| c.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("nansen_oidc=sealed:v1:") && cookie.contains("SameSite=Lax"), "{cookie}");
    let (back, _) = authorize(browser, &location(&r), account, &format!("{base}/login/oidc/callback")).await;
    browser.get(back).send().await.expect("callback")
}

async fn scenario(backend: Backend) {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let clients = json!([{
        "client_id": "nansen", "client_secret": SECRET,
        "redirect_uris": [format!("{base}/login/oidc/callback")],
        "post_logout_redirect_uris": [format!("{base}/login")],
    }]);
    let accounts = json!({
        "k-chevalier": { "email": "cs.chevalier@nansen.example", "email_verified": true },
        "k-karimi": { "email": "opi.karimi@nansen.example", "email_verified": true },
        "k-stranger": { "email": "stranger@nansen.example", "email_verified": true },
    });
    let op = TestProvider::start(0, &clients, &accounts);
    let listen = format!("127.0.0.1:{port}");
    let env = [
        ("NANSEN_LISTEN", listen.as_str()),
        ("NANSEN_PUBLIC_URL", base.as_str()),
        ("NANSEN_OIDC_ISSUER", op.issuer.as_str()),
        ("NANSEN_OIDC_CLIENT_ID", "nansen"),
        ("NANSEN_OIDC_CLIENT_SECRET", SECRET),
        ("NANSEN_LOCAL_PASSWORDS", "off"),
    ];
    let (_t, server) = serve_demo(backend, &Documents::Directory, &env, 300).await;
    assert_eq!(server.base, base);

    // The sign-in page offers the provider, and no password field; passwords are refused.
    let b = browser();
    let page = b.get(format!("{base}/login")).send().await.expect("login page");
    let csp =
        page.headers().get("content-security-policy").and_then(|c| c.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains(&format!("form-action 'self' {}", op.issuer)), "{csp}");
    let html = page.text().await.expect("html");
    assert!(html.contains("href=\"/login/oidc\"") && !html.contains("type=\"password\""), "{html}");
    let r = b
        .post(format!("{base}/api/v1/session"))
        .json(&json!({"login": "cs.fontaine", "password": common::PASSWORD}))
        .send()
        .await
        .expect("password");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(r.json::<Value>().await.expect("problem")["code"], "passwords_off");

    // A good sign-in: the callback continues to the workbench from Nansen's own page.
    let back = sign_in(&base, &b, "k-chevalier").await;
    assert_eq!(back.status(), StatusCode::OK);
    let cleared =
        back.headers().get_all("set-cookie").iter().any(|c| c.to_str().unwrap_or("").starts_with("nansen_oidc=;"));
    assert!(cleared, "the flow's cookie is spent");
    let page = back.text().await.expect("continue page");
    assert!(page.contains("http-equiv=\"refresh\" content=\"0; url=/\""), "{page}");
    let me: Value = b.get(format!("{base}/api/v1/session")).send().await.expect("whoami").json().await.expect("json");
    assert_eq!(me["login"], "cs.chevalier", "{me}");
    assert_eq!(me["role"], "section_head");
    let csrf = me["csrf_token"].as_str().expect("csrf").to_owned();

    // The step-up before signing: the provider authenticates the head again, then Nansen signs.
    let cases: Value = b
        .get(format!("{base}/api/v1/cases?view=division&limit=500"))
        .send()
        .await
        .expect("queue")
        .json()
        .await
        .expect("json");
    let number = cases
        .as_array()
        .or_else(|| cases["cases"].as_array())
        .expect("a list")
        .iter()
        .find(|c| c["status"] == "under_review" && c["section"] == 2)
        .and_then(|c| c["number"].as_str())
        .expect("a decision under review in the head's section")
        .to_owned();
    let case_page = b.get(format!("{base}/cases/{number}")).send().await.expect("case").text().await.expect("html");
    assert!(!case_page.contains("id=\"sign-password\""), "no password to type when the provider confirms");
    let r = b
        .post(format!("{base}/cases/{number}/sign"))
        .header("origin", &base)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("sign");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to_provider = location(&r);
    assert!(to_provider.starts_with(&op.issuer) && to_provider.contains("prompt=login"), "{to_provider}");
    let (back, form) = authorize(&b, &to_provider, "k-chevalier", &format!("{base}/login/oidc/callback")).await;
    assert!(form, "the provider asked again although its session was open");
    let r = b.get(back).send().await.expect("callback");
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap_or_default());
    let case: Value =
        b.get(format!("{base}/api/v1/cases/{number}")).send().await.expect("case").json().await.expect("json");
    assert_eq!(case["case"]["status"], "signed");
    assert_eq!(case["case"]["signed_by"], "cs.chevalier");

    // Sign-out ends Nansen's session and sends the browser to end the provider's.
    let home = b.get(format!("{base}/cases?view=division")).send().await.expect("queue").text().await.expect("html");
    let r = b
        .post(format!("{base}/logout"))
        .header("origin", &base)
        .form(&[("csrf", csrf_of(&home).as_str())])
        .send()
        .await
        .expect("logout");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let out = location(&r);
    assert!(out.starts_with(&format!("{}/session/end", op.issuer)) && out.contains("id_token_hint="), "{out}");
    let r = b.get(format!("{base}/api/v1/session")).send().await.expect("whoami");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the session ended");

    // Someone the provider knows but no account is linked to: refused, never created.
    let stranger = browser();
    let r = sign_in(&base, &stranger, "k-stranger").await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = stranger.get(format!("{base}/api/v1/session")).send().await.expect("whoami");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "no session for an unknown agent");

    // A replayed code (with its flow's cookie kept by an attacker) and a forged callback.
    let thief = browser();
    let r = thief.get(format!("{base}/login/oidc")).send().await.expect("start");
    let flow = r
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_owned();
    let (back, _) = authorize(&thief, &location(&r), "k-karimi", &format!("{base}/login/oidc/callback")).await;
    assert_eq!(thief.get(&back).send().await.expect("callback").status(), StatusCode::OK);
    let replay = browser().get(&back).header("cookie", &flow).send().await.expect("replay");
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED, "a code is exchanged once");
    let forged = browser().get(&back).send().await.expect("no flow");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED, "a callback this browser did not start is refused");
    let tampered = browser().get(&back).header("cookie", "nansen_oidc=sealed:v1:00ff").send().await.expect("forged");
    assert_eq!(tampered.status(), StatusCode::UNAUTHORIZED);
    drop(server);
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_sign_in_through_the_identity_provider_on_sqlite() {
    scenario(BACKENDS[0]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn agents_sign_in_through_the_identity_provider_on_postgresql() {
    scenario(BACKENDS[1]).await;
}
