//! The applicants' secure space (Espace usager) against the real server, on SQLite and PostgreSQL:
//! activation with the code printed on the receipt, isolation between many applicants (their own
//! references, other applicants' references, guessed ones, the agents' URLs, a session cookie
//! moved from one kind to the other), the first opening of a document recorded once and seen by
//! the office, a message with a document landing in the case, a reset by the office, the TOTP
//! second factor, and the limits on failed sign-ins.

use std::sync::Arc;

use nansen_store::testing::BACKENDS;
use nansen_store::Backend;
use reqwest::StatusCode;
use serde_json::{json, Value};

mod common;
use common::*;

/// An applicant's browser: its own cookie jar.
struct Applicant {
    http: reqwest::Client,
    /// The same cookies, for a client that shows redirects instead of following them.
    jar: Arc<reqwest::cookie::Jar>,
    base: String,
    number: String,
}

impl Applicant {
    fn new(base: &str, number: &str) -> Applicant {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder().cookie_provider(jar.clone()).build().expect("client");
        Applicant { http, jar, base: base.to_owned(), number: number.to_owned() }
    }

    /// The first answer to a GET with this applicant's cookies, redirects not followed: status,
    /// content type and `Location`.
    async fn first_answer(&self, path: &str) -> (StatusCode, String, Option<String>) {
        let http = reqwest::Client::builder()
            .cookie_provider(self.jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = http.get(format!("{}{path}", self.base)).send().await.expect("get");
        let header = |name: &str| r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        (r.status(), header("content-type").unwrap_or_default(), header("location"))
    }

    async fn form(&self, path: &str, fields: &[(&str, &str)]) -> (StatusCode, String, String) {
        let r = self.http.post(format!("{}{path}", self.base)).form(fields).send().await.expect("post");
        let status = r.status();
        let url = r.url().path().to_owned();
        (status, url, r.text().await.unwrap_or_default())
    }

    async fn activate(&self, code: &str, password: &str) -> (StatusCode, String, String) {
        self.form(
            "/portal/activate",
            &[("case_number", &self.number), ("code", code), ("password", password), ("confirm", password)],
        )
        .await
    }

    async fn sign_in(&self, password: &str) -> (StatusCode, String, String) {
        self.form("/portal/sign-in", &[("case_number", &self.number), ("password", password)]).await
    }

    async fn overview(&self) -> (StatusCode, Value) {
        let r = self.http.get(format!("{}/portal/api/overview", self.base)).send().await.expect("get");
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let r = self.http.get(format!("{}{path}", self.base)).send().await.expect("get");
        let status = r.status();
        (status, r.bytes().await.expect("body").to_vec())
    }

    async fn page(&self, path: &str) -> String {
        String::from_utf8_lossy(&self.get(path).await.1).into_owned()
    }

    /// The CSRF token of the signed-in applicant's forms.
    async fn csrf(&self) -> String {
        let page = self.page("/portal").await;
        let at = page.find("name=\"csrf\" value=\"").expect("a form with a token") + 19;
        page[at..at + 64].to_owned()
    }
}

fn totp_now(secret: &str) -> String {
    let bytes = totp_rs::Secret::Encoded(secret.replace(' ', "")).to_bytes().expect("base32");
    totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes, None, String::new())
        .expect("totp")
        .generate_current()
        .expect("code")
}

const APPLICANTS: usize = 12;

async fn scenario(backend: Backend) {
    let (_t, server) = serve(backend, &Documents::Directory).await;
    let base = &server.base;
    let label = format!("{backend:?}");
    let sec = Client::sign_in(base, "sec.martin").await;

    // Many applicants, each with the code of their receipt.
    let mut people = Vec::new();
    for i in 0..APPLICANTS {
        let missing: &[&str] = if i % 3 == 0 { &["photographs"] } else { &[] };
        let (number, code) = register(&sec, &format!("Nasri{i}"), missing).await;
        people.push((Applicant::new(base, &number), code));
    }

    // The code is printed on the receipt, and only there.
    let (n0, code0) = (&people[0].0.number, &people[0].1);
    let (_, _, receipt) = sec.bytes(&format!("/cases/{n0}/documents/1")).await;
    assert!(pdf_text(&receipt).contains(code0.as_str()), "{label}: the receipt carries the code");

    // A wrong code, a code of another case, a too short password: refused, nothing opened.
    let first = &people[0].0;
    let (status, _, page) = first.activate("AAAA-BBBB-CCCC-DDDD", "a long enough secret").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: {page}");
    assert!(page.contains("id=\"code-error\""), "{label}: the error is next to the code");
    let (status, _, _) = first.activate(&people[1].1, "a long enough secret").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: another case's code");
    let (status, _, page) = first.activate(code0, "short").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
    assert!(page.contains("id=\"password-error\""), "{label}");
    assert_eq!(first.overview().await.0, StatusCode::UNAUTHORIZED, "{label}: not signed in");

    // Everyone activates; the same code does not work twice.
    for (i, (a, code)) in people.iter().enumerate() {
        let (status, url, page) = a.activate(code, &format!("password of applicant {i}")).await;
        assert_eq!((status, url.as_str()), (StatusCode::OK, "/portal"), "{label}: {page}");
    }
    let again = Applicant::new(base, n0);
    let (status, _, _) = again.activate(code0, "another password here").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: a used code");

    // Each sees their own case and documents, by random references.
    let mut links: Vec<(usize, String)> = Vec::new();
    for (i, (a, _)) in people.iter().enumerate() {
        let (status, o) = a.overview().await;
        assert_eq!(status, StatusCode::OK, "{label}");
        assert_eq!(o["case_number"], a.number.as_str(), "{label}");
        let docs = o["documents"].as_array().expect("documents");
        let expected = if i % 3 == 0 { 2 } else { 1 };
        assert_eq!(docs.len(), expected, "{label}: receipt (and request for missing items): {o}");
        assert_eq!(o["step"], if i % 3 == 0 { "items_missing" } else { "waiting_for_interview" }, "{label}");
        for d in docs {
            let reference = d["reference"].as_str().expect("reference");
            assert_eq!(reference.len(), 26, "{label}");
            assert!(!reference.contains(&a.number), "{label}: links do not name the case");
            links.push((i, d["href"].as_str().expect("href").to_owned()));
        }
    }

    // Nobody reaches another applicant's document, by link or by guess; the agents' URLs are closed.
    for (i, (a, _)) in people.iter().enumerate() {
        for (owner, href) in &links {
            let (status, _) = a.get(href).await;
            let expected = if *owner == i { StatusCode::OK } else { StatusCode::NOT_FOUND };
            assert_eq!(status, expected, "{label}: applicant {i} asks for {href} of applicant {owner}");
        }
        for guess in ["aaaaaaaaaaaaaaaaaaaaaaaaaa", "1", "../1", "%2e%2e%2fcases", "abcdefghijklmnopqrstuvwxy2"] {
            assert_eq!(a.get(&format!("/portal/documents/{guess}")).await.0, StatusCode::NOT_FOUND, "{label}: {guess}");
        }
        // The agents' API answers 401 with a problem; their pages (the receipt, a PDF, among them) send
        // to the agents' sign-in page, and following that redirect lands there and nowhere else.
        for api_url in [format!("/api/v1/cases/{}", a.number), format!("/api/v1/cases/{}/documents/1", a.number)] {
            let (status, kind, _) = a.first_answer(&api_url).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}: {api_url}");
            assert!(kind.starts_with("application/problem+json"), "{label}: {api_url} answers {kind}");
        }
        for page_url in [format!("/cases/{}", a.number), format!("/cases/{}/documents/1", a.number)] {
            let (status, _, location) = a.first_answer(&page_url).await;
            assert_eq!((status, location.as_deref()), (StatusCode::SEE_OTHER, Some("/login")), "{label}: {page_url}");
            let r = a.http.get(format!("{base}{page_url}")).send().await.expect("get");
            let (status, url) = (r.status(), r.url().path().to_owned());
            let kind = r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let body = r.bytes().await.expect("body");
            assert_eq!((status, url.as_str()), (StatusCode::OK, "/login"), "{label}: {page_url}");
            assert!(kind.starts_with("text/html"), "{label}: {page_url} ends on {kind}");
            assert!(!body.starts_with(b"%PDF") && !String::from_utf8_lossy(&body).contains("Nasri"), "{label}");
        }
        let page = a.page("/portal").await;
        for (other, _) in people.iter().filter(|(o, _)| o.number != a.number) {
            assert!(!page.contains(&other.number), "{label}: another case number on {}'s page", a.number);
        }
    }

    // Sessions do not cross: an agent's cookie is not an applicant's, and the other way round.
    let agent_cookie = sec_cookie(&sec, base).await;
    let forged = reqwest::Client::new()
        .get(format!("{base}/portal/api/overview"))
        .header("cookie", format!("nansen_portal={agent_cookie}"))
        .send()
        .await
        .expect("get");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED, "{label}: an agent's session is not an applicant's");
    assert_eq!(
        sec.http.get(format!("{base}/portal/api/overview")).send().await.expect("get").status(),
        StatusCode::UNAUTHORIZED
    );

    // The first opening is recorded once and the office sees it.
    let (_, o) = first.overview().await;
    let receipt_ref =
        o["documents"].as_array().expect("docs").iter().find(|d| d["kind"] == "receipt").expect("receipt")["href"]
            .as_str()
            .expect("href")
            .to_owned();
    let (_, case) = sec.get(&format!("/cases/{n0}")).await;
    let opened_at = case["case"]["documents"][0]["shared"]["first_opened_at"].clone();
    assert!(!opened_at.is_null(), "{label}: opened above: {}", case["case"]["documents"][0]);
    let (status, bytes) = first.get(&receipt_ref).await;
    assert_eq!(status, StatusCode::OK, "{label}");
    assert!(bytes.starts_with(b"%PDF"), "{label}");
    let (_, case) = sec.get(&format!("/cases/{n0}")).await;
    assert_eq!(case["case"]["documents"][0]["shared"]["first_opened_at"], opened_at, "{label}: still the first");
    let kinds: Vec<&str> =
        case["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "document_opened").count(), 2, "{label}: one per document: {kinds:?}");

    // A message with a medical certificate lands in the case, under the applicant's name.
    let csrf = first.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("text", "Nouvelle adresse : 3 rue des Lilas, 75020 Paris")
        .text("kind_0", "medical_certificate")
        .part("file_0", reqwest::multipart::Part::bytes(png(20, 30)).file_name("certificat.png"));
    let r = first.http.post(format!("{base}/portal/messages")).multipart(form).send().await.expect("post");
    assert_eq!((r.status(), r.url().path()), (StatusCode::OK, "/portal"), "{label}");
    let empty = reqwest::multipart::Form::new().text("csrf", csrf.clone()).text("text", "  ");
    let r = first.http.post(format!("{base}/portal/messages")).multipart(empty).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{label}: an empty message");
    let fake = reqwest::multipart::Form::new()
        .text("csrf", csrf)
        .text("text", "scan")
        .part("file_0", reqwest::multipart::Part::bytes(b"<html>not a pdf</html>".to_vec()).file_name("x.pdf"));
    let r = first.http.post(format!("{base}/portal/messages")).multipart(fake).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{label}: not a PDF");
    let (_, case) = sec.get(&format!("/cases/{n0}")).await;
    let messages = case["case"]["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 1, "{label}: only the good one: {messages:?}");
    assert!(messages[0]["text"].as_str().expect("text").contains("Lilas"), "{label}");
    let doc_id = messages[0]["documents"][0].as_u64().expect("a document with it");
    let doc = &case["case"]["documents"][usize::try_from(doc_id - 1).expect("index")];
    assert_eq!(
        (doc["origin"].as_str(), doc["kind"].as_str()),
        (Some("applicant"), Some("medical_certificate")),
        "{label}"
    );
    assert_eq!(doc["added_by"], format!("applicant-{n0}"), "{label}");
    let (status, _, png_back) = sec.bytes(&format!("/cases/{n0}/documents/{doc_id}")).await;
    assert_eq!((status, png_back), (StatusCode::OK, png(20, 30)), "{label}");
    // Another applicant never sees it.
    assert!(!people[1].0.page("/portal").await.contains("Lilas"), "{label}");

    // A message without a file, as a browser sends it when none is chosen (an empty file part
    // without a name): recorded, and shown in the space.
    let csrf = first.csrf().await;
    let text_only = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("text", "J'ai déménagé : 8 rue des Acacias, 69003 Lyon")
        .text("kind_0", "correspondence")
        .part(
            "file_0",
            reqwest::multipart::Part::bytes(Vec::new())
                .file_name("")
                .mime_str("application/octet-stream")
                .expect("mime"),
        );
    let r = first.http.post(format!("{base}/portal/messages")).multipart(text_only).send().await.expect("post");
    let (status, url) = (r.status(), r.url().path().to_owned());
    let page = r.text().await.unwrap_or_default();
    let refusal = page.find("role=\"alert\"").map(|at| &page[at..(at + 400).min(page.len())]);
    assert_eq!((status, url.as_str()), (StatusCode::OK, "/portal"), "{label}: a text-only message: {refusal:?}");
    assert!(page.contains("Acacias"), "{label}: shown in the space");
    let (_, case) = sec.get(&format!("/cases/{n0}")).await;
    let messages = case["case"]["messages"].as_array().expect("messages");
    assert_eq!(messages.len(), 2, "{label}: {messages:?}");
    assert!(messages[1]["text"].as_str().expect("text").contains("Acacias"), "{label}");
    assert!(messages[1]["documents"].as_array().is_none_or(Vec::is_empty), "{label}: {}", messages[1]);

    // A PDF that runs a script is refused from an applicant, next to the file, saying how to send
    // a plain one; nothing is recorded.
    let hostile = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("text", "certificat")
        .part("file_0", reqwest::multipart::Part::bytes(pdf_with_javascript()).file_name("certificat.pdf"));
    let r = first.http.post(format!("{base}/portal/messages")).multipart(hostile).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{label}: active content");
    let page = r.text().await.unwrap_or_default();
    let error = page.split("id=\"file-error\"").nth(1).unwrap_or_default();
    assert!(error.contains("PDF") && error.contains("Microsoft Print to PDF"), "{label}: next to the file: {page}");

    // A name that lies about itself (U+202E turns "gnp.exe" around) is shown without its controls
    // and without a path, to the applicant and to the office.
    let disguised = reqwest::multipart::Form::new()
        .text("csrf", csrf.clone())
        .text("text", "photo")
        .part("file_0", reqwest::multipart::Part::bytes(png(5, 5)).file_name("..\\tmp\\photo\u{202E}gnp.exe"));
    let r = first.http.post(format!("{base}/portal/messages")).multipart(disguised).send().await.expect("post");
    assert_eq!(r.status(), StatusCode::OK, "{label}");
    let page = r.text().await.unwrap_or_default();
    assert!(page.contains("photognp.exe") && !page.contains('\u{202E}'), "{label}: {page}");
    let (_, case) = sec.get(&format!("/cases/{n0}")).await;
    let names: Vec<&str> =
        case["case"]["documents"].as_array().expect("docs").iter().filter_map(|d| d["file_name"].as_str()).collect();
    assert!(names.contains(&"photognp.exe"), "{label}: {names:?}");
    assert!(names.iter().all(|n| !n.contains('\u{202E}') && !n.contains('\\')), "{label}: {names:?}");

    // Signing out ends the session on the server.
    let csrf = first.csrf().await;
    first.form("/portal/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(first.overview().await.0, StatusCode::UNAUTHORIZED, "{label}");
    let (_, url, _) = first.sign_in("password of applicant 0").await;
    assert_eq!(url, "/portal", "{label}: signs in again");

    // The office resets the access: the old password stops working, the new code opens the space.
    let (status, body) = sec.post(&format!("/cases/{n0}/portal-access"), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{label}: {body}");
    let new_code = body["activation_code"].as_str().expect("code").to_owned();
    let fresh = Applicant::new(base, n0);
    assert_eq!(fresh.sign_in("password of applicant 0").await.0, StatusCode::UNAUTHORIZED, "{label}");
    let (_, url, _) = fresh.activate(&new_code, "a brand new password").await;
    assert_eq!(url, "/portal", "{label}");
    let officer = Client::sign_in(base, "opi.mercier").await;
    let (status, _) = officer.post(&format!("/cases/{n0}/portal-access"), json!({})).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{label}: an officer of no case of theirs");

    // The second factor: turned on with a code from the phone, then asked at each sign-in.
    let a = &people[2].0;
    let csrf = a.csrf().await;
    a.form("/portal/security", &[("csrf", &csrf), ("step", "start")]).await;
    let page = a.page("/portal/security").await;
    let needle = "data-testid=\"totp-secret\">";
    let at = page.find(needle).expect("the secret shown") + needle.len();
    let secret = page[at..].split('<').next().expect("secret").to_owned();
    let (status, _, _) = a.form("/portal/security", &[("csrf", &csrf), ("step", "confirm"), ("code", "000000")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}: a wrong code");
    let (status, _, page) =
        a.form("/portal/security", &[("csrf", &csrf), ("step", "confirm"), ("code", &totp_now(&secret))]).await;
    assert_eq!(status, StatusCode::OK, "{label}: {page}");
    let phone = Applicant::new(base, &a.number);
    let (_, url, _) = phone.sign_in("password of applicant 2").await;
    assert_eq!(url, "/portal/verify", "{label}: the second step");
    assert_eq!(phone.overview().await.0, StatusCode::UNAUTHORIZED, "{label}: not in before the code");
    let (status, _, _) = phone.form("/portal/verify", &[("code", "123456")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{label}");
    let (_, url, _) = phone.form("/portal/verify", &[("code", &totp_now(&secret))]).await;
    assert_eq!(url, "/portal", "{label}");
    assert_eq!(phone.overview().await.0, StatusCode::OK, "{label}");

    // Five wrong passwords in a row lock the account, even for the right one afterwards.
    let target = &people[3].0;
    let thief = Applicant::new(base, &target.number);
    for _ in 0..5 {
        thief.sign_in("guess guess guess").await;
    }
    let (status, _, _) = thief.sign_in("password of applicant 3").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{label}: locked");

    // The journal holds the portal's story, without secrets.
    let (_, entries) = sec.get(&format!("/journal/entries?subject=portal:{n0}")).await;
    let text = entries.to_string();
    assert!(!text.contains(code0.as_str()) && !text.contains(&new_code) && !text.contains("password of"), "{label}");
    drop(server);
}

/// The agent's own session cookie value, as a browser would hold it.
async fn sec_cookie(sec: &Client, base: &str) -> String {
    let _ = base;
    let r = sec.http.get(format!("{}/api/v1/session", sec.base)).send().await.expect("whoami");
    assert_eq!(r.status(), StatusCode::OK);
    // The session cookie is only in the jar; sign in again on a fresh client to read it.
    let fresh = reqwest::Client::builder().build().expect("client");
    let r = fresh
        .post(format!("{}/api/v1/session", sec.base))
        .json(&json!({"login": "sec.martin", "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("nansen_session="))
        .expect("a session cookie")
        .to_owned();
    cookie.trim_start_matches("nansen_session=").split(';').next().expect("value").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applicants_follow_their_case_and_nothing_else() {
    for backend in BACKENDS {
        scenario(backend).await;
    }
}

/// Failed attempts from one address are limited across accounts (guessing codes or passwords).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_attempts_from_one_address_are_limited() {
    for backend in BACKENDS {
        let (_t, server) =
            serve_with(backend, &Documents::Directory, &[("NANSEN_PORTAL_FAILURES_PER_ADDRESS", "6")]).await;
        let base = &server.base;
        let sec = Client::sign_in(base, "sec.martin").await;
        // A guesser spreads the attempts over accounts (none of them reaches its own lockout).
        let (number, code) = register(&sec, "Karimi", &[]).await;
        let (other, _) = register(&sec, "Azizi", &[]).await;
        let a = Applicant::new(base, &number);
        for i in 0..6 {
            let guesser = Applicant::new(base, if i % 2 == 0 { &number } else { &other });
            let guess = format!("AAAA-BBBB-CCCC-DDD{i}");
            let (status, _, _) = guesser.activate(&guess, "a long enough secret").await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: attempt {i}");
        }
        // The right code is refused too until the window ends: the guesser cannot tell.
        let (status, _, page) = a.activate(&code, "a long enough secret").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}: {page}");
        let (status, _, _) = Applicant::new(base, "2026-0000001").sign_in("whatever it is").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{backend:?}: any account from this address");
        drop(server);
    }
}
