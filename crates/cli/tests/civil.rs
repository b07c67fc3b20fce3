//! Civil status end to end (workspace `protection`), on a real server over SQLite and
//! PostgreSQL: the register searched by number and name, a protected person's acts as the
//! registrar sees them (never the account of fears), bad input refused next to its field with
//! nothing stored, a mention, a sealed certified copy (PDF/A with the names in their script and
//! a verification link), the public verification of a genuine, a superseded, an altered and a
//! forged copy, the protected person asking for a copy from their space, other roles refused,
//! and the projection identical after `nansen rebuild`.

mod common;

use common::{pdf_text, serve_demo, Client, Documents};
use nansen_store::testing::BACKENDS;
use reqwest::StatusCode;
use serde_json::{json, Value};

const REGISTRAR: &str = "ec.morel";

/// A problem+json's field, for a refused step.
fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or_default()
}

/// The verification link printed on a copy: `/verify/{id}?seal={hex}`.
fn verify_link(text: &str) -> String {
    let compact: String = text.split_whitespace().collect();
    let at = compact.find("/verify/").expect("a verification link on the copy");
    let rest = &compact[at..];
    let seal = rest.find("?seal=").expect("a seal") + 6;
    // The seal is 64 bytes in hex; the copy's text goes on right after it.
    rest[..seal + 128].to_owned()
}

async fn public(base: &str, path: &str) -> (StatusCode, String) {
    let r = reqwest::get(format!("{base}{path}")).await.expect("get");
    (r.status(), r.text().await.unwrap_or_default())
}

async fn verify_file(base: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name("copie.pdf").mime_str("application/pdf").expect("mime"),
    );
    let r = reqwest::Client::new().post(format!("{base}/verify")).multipart(form).send().await.expect("post");
    (r.status(), r.text().await.unwrap_or_default())
}

fn acts_of(body: &Value) -> Vec<Value> {
    body["acts"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn civil_registrars_keep_the_register_and_copies_verify() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 600).await;
        let base = server.base.clone();
        let registrar = Client::sign_in(&base, REGISTRAR).await;
        let officer = Client::sign_in(&base, "opi.karimi").await;
        let consultant = Client::sign_in(&base, "jur.fontana").await;

        // The register: the demo's acts, newest first; by number, straight to one; by name, by prefix.
        let (status, register) = registrar.get("/civil/register").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {register}");
        let lines = register.as_array().expect("lines").clone();
        assert!(!lines.is_empty(), "{backend:?}: the demo has acts");
        let first = &lines[0];
        let (number, case) =
            (first["number"].as_str().expect("n").to_owned(), first["case_number"].as_str().expect("c").to_owned());
        let (_, by_number) = registrar.get(&format!("/civil/register?number={}", number.to_lowercase())).await;
        assert_eq!(by_number.as_array().map(Vec::len), Some(1), "{backend:?}: {by_number}");
        let prefix: String = first["family_latin"].as_str().expect("name").chars().take(3).collect();
        let (_, by_name) = registrar.get(&format!("/civil/register?name={}", prefix.to_lowercase())).await;
        assert!(by_name
            .as_array()
            .expect("lines")
            .iter()
            .all(|l| l["family_latin"].as_str().is_some_and(|n| n.to_uppercase().starts_with(&prefix.to_uppercase()))
                || l["family_original"].as_str().is_some_and(|n| n.starts_with(&prefix))));
        let original: String = first["family_original"].as_str().expect("original").chars().take(2).collect();
        let (_, by_script) = registrar.get(&format!("/civil/register?name={}", urlencode(&original))).await;
        assert!(
            by_script.as_array().expect("lines").iter().any(|l| l["number"] == number.as_str()),
            "{backend:?}: found by its script"
        );
        let (status, bad) = registrar.get("/civil/register?number=EC-26-1").await;
        assert_eq!((status, field(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, "number"), "{bad}");

        // The person's civil status, as the registrar sees it: no account of fears anywhere.
        let (status, civil) = registrar.get(&format!("/cases/{case}/civil")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {civil}");
        let allowed = ["civil_status", "identity_document", "photograph", "residence_document", "certified_copy"];
        for d in civil["documents"].as_array().expect("documents") {
            assert!(allowed.contains(&d["kind"].as_str().unwrap_or_default()), "{backend:?}: {d}");
        }
        let (_, page) = registrar.get(&format!("/cases/{case}")).await;
        assert!(page["interview_record"].is_null() && page["draft"].is_null(), "{backend:?}: {page}");
        for d in page["documents"].as_array().cloned().unwrap_or_default() {
            assert!(allowed.contains(&d["kind"].as_str().unwrap_or_default()), "{backend:?}: case page {d}");
        }
        let before = acts_of(&civil);
        let act = before.iter().find(|a| a["number"] == number.as_str()).expect("the act").clone();

        // Bad input: named, nothing stored.
        let mut spouse_late = json!({"step": "act", "kind": "marriage", "person": 0, "event_on": "2015-06-12", "place": "Kaboul",
            "spouse_family_name": "Nouri", "spouse_family_name_original": "نوری", "spouse_given_names": "Maryam",
            "spouse_born_on": "2016-01-01"});
        let (status, body) = registrar.post(&format!("/cases/{case}/civil"), spouse_late.clone()).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "spouse_born_on"), "{backend:?}: {body}");
        spouse_late["person"] = json!(99);
        let (status, body) = registrar.post(&format!("/cases/{case}/civil"), spouse_late).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "person"), "{backend:?}: {body}");
        let (status, body) = registrar
            .post(&format!("/cases/{case}/civil"), json!({"step": "mention", "act": "EC-2020-999999", "kind": "correction", "on": common::today(), "text": "x"}))
            .await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "act"), "{backend:?}: {body}");
        let (status, body) = registrar
            .post(
                &format!("/cases/{case}/civil"),
                json!({"step": "mention", "act": number, "kind": "correction", "on": common::today(), "text": "  "}),
            )
            .await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "text"), "{backend:?}: {body}");
        let (_, after) = registrar.get(&format!("/cases/{case}/civil")).await;
        assert_eq!(acts_of(&after), before, "{backend:?}: nothing stored");

        // Other roles: nothing of civil status.
        let (status, _) = officer.get(&format!("/cases/{case}/civil")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}");
        let (status, _) = officer.get("/civil/register").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}");
        let (status, _) =
            consultant.post(&format!("/cases/{case}/civil"), json!({"step": "copy", "act": number})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}");

        // A copy: printed, sealed, in the file; its text carries the act and the names in their script.
        let (status, body) =
            registrar.post(&format!("/cases/{case}/civil"), json!({"step": "copy", "act": number})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let copied = acts_of(&body).into_iter().find(|a| a["number"] == number.as_str()).expect("act");
        let copies = copied["copies"].as_array().expect("copies");
        assert_eq!(copies.len(), act["copies"].as_array().map_or(0, Vec::len) + 1);
        let copy = copies.last().expect("the new copy");
        let (status, kind, pdf) = registrar.bytes(&format!("/cases/{case}/documents/{}", copy["document"])).await;
        assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("application/pdf")), "{backend:?}");
        let text = pdf_text(&pdf);
        let compact: String = text.split_whitespace().collect();
        assert!(compact.contains(&number), "{backend:?}: the act's number on the copy");
        let latin: String =
            act["facts"]["family_name"]["latin"].as_str().expect("latin").to_uppercase().split_whitespace().collect();
        assert!(compact.contains(&latin), "{backend:?}: {latin} in {compact}");
        let link = verify_link(&text);
        let (status, page) = public(&base, &link).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {link}");
        assert!(page.contains("data-verdict=\"genuine\"") && page.contains(&number), "{backend:?}: {page}");
        assert!(!page.contains(&latin) || latin.len() < 3, "{backend:?}: no personal data on the public page");
        let (status, page) = verify_file(&base, pdf.clone()).await;
        assert!(status == StatusCode::OK && page.contains("data-verdict=\"genuine\""), "{backend:?}: the file itself");

        // Altered and forged copies fail, and the page says why.
        let tampered = link.replacen("seal=", "seal=00", 1);
        let (_, page) = public(&base, &tampered).await;
        assert!(page.contains("data-verdict=\"bad_seal\""), "{backend:?}: an altered seal");
        let (status, page) = public(&base, "/verify/aaaaaaaaaaaaaaaaaaaa?seal=00").await;
        assert!(
            status == StatusCode::NOT_FOUND && page.contains("data-verdict=\"unknown\""),
            "{backend:?}: a forged reference"
        );
        let mut altered = pdf.clone();
        let at = altered.len() / 2;
        altered[at] ^= 0x20;
        let (status, page) = verify_file(&base, altered).await;
        assert!(
            status == StatusCode::NOT_FOUND && page.contains("data-verdict=\"unknown\""),
            "{backend:?}: an altered file"
        );
        let (status, _) = verify_file(&base, b"not a pdf".to_vec()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");

        // A mention supersedes the copy: still genuine, no longer current.
        let (status, body) = registrar
            .post(
                &format!("/cases/{case}/civil"),
                json!({"step": "mention", "act": number, "kind": "correction", "on": common::today(),
                "text": "Rectification du prénom sur production de l'acte d'origine."}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let (_, page) = public(&base, &link).await;
        assert!(page.contains("data-verdict=\"superseded\""), "{backend:?}: superseded after the mention");

        // The protected person asks for a copy from their space.
        let (status, portal) = portal_copy(&base, &case, &number).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {portal}");
        let (_, after) = registrar.get(&format!("/cases/{case}/civil")).await;
        let requested = acts_of(&after).into_iter().find(|a| a["number"] == number.as_str()).expect("act");
        let last = requested["copies"].as_array().and_then(|c| c.last().cloned()).expect("a copy");
        assert_eq!(last["requested"], true, "{backend:?}: {last}");

        // The family record book, printed from a family's acts, names in their script.
        let (_, marriages) = registrar.get("/civil/register?kind=marriage").await;
        let married = marriages.as_array().and_then(|l| l.first().cloned()).expect("a marriage act in the demo");
        let family = married["case_number"].as_str().expect("case").to_owned();
        let (status, body) = registrar.post(&format!("/cases/{family}/civil"), json!({"step": "family_book"})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let (_, view) = registrar.get(&format!("/cases/{family}")).await;
        let book = view["case"]["documents"]
            .as_array()
            .and_then(|d| d.iter().rev().find(|d| d["kind"] == "family_book").cloned())
            .expect("the book among the registrar's documents");
        let (status, _, pdf) = registrar.bytes(&format!("/cases/{family}/documents/{}", book["id"])).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let text = pdf_text(&pdf);
        let spouse = married["family_latin"].as_str().expect("a name").to_uppercase();
        assert!(text.contains("Livret de famille") && text.to_uppercase().contains(&spouse), "{backend:?}: {text}");
        // A person whose register holds only their own birth has no family book.
        let (_, births) = registrar.get("/civil/register?kind=birth").await;
        let mut lonely = None;
        for line in births.as_array().cloned().unwrap_or_default() {
            let n = line["case_number"].as_str().unwrap_or_default().to_owned();
            let (_, v) = registrar.get(&format!("/cases/{n}/civil")).await;
            if v["acts"].as_array().is_some_and(|a| a.len() == 1 && a[0]["facts"]["person"] == 0) {
                lonely = Some(n);
                break;
            }
        }
        if let Some(n) = lonely {
            let (status, body) = registrar.post(&format!("/cases/{n}/civil"), json!({"step": "family_book"})).await;
            assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "act"), "{backend:?}: {body}");
        }

        // The projection is rebuilt identical from the journal.
        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}

/// Signs in to the demo's protected person's space and asks for a copy of `act`.
async fn portal_copy(base: &str, case: &str, act: &str) -> (StatusCode, String) {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let r = http
        .post(format!("{base}/portal/sign-in"))
        .form(&[("case_number", case), ("password", common::PASSWORD)])
        .send()
        .await
        .expect("sign in");
    assert!(r.status().is_success(), "sign in: {}", r.status());
    let page = http.get(format!("{base}/portal")).send().await.expect("home").text().await.expect("text");
    assert!(page.contains(act), "the act is listed in the person's space");
    let at = page.find("name=\"csrf\" value=\"").expect("a form") + 19;
    let csrf = page[at..at + 64].to_owned();
    let r = http
        .post(format!("{base}/portal/civil/copy"))
        .form(&[("csrf", csrf.as_str()), ("act", act)])
        .send()
        .await
        .expect("copy");
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    (status, text)
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}
