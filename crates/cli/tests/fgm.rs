//! The follow-up of girls protected from FGM end to end, on a real server over SQLite and
//! PostgreSQL: the daily list (due soonest first, overdue flagged), a letter, a certificate
//! uploaded and kept restricted (its keepers read it; the officer and the case page never see
//! it), a file that is neither PDF nor image refused next to its field, an incident's report
//! signed by the director and not by the registrar, other roles refused, and the projection
//! identical after `nansen rebuild`.

mod common;

use common::{png, serve_demo, today, Client, Documents};
use nansen_store::testing::BACKENDS;
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Her follow-up in a response.
fn hers(body: &Value, person: &str) -> Value {
    let person: i64 = person.parse().expect("a person");
    body["follow_ups"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["person"].as_i64() == Some(person)))
        .expect("her follow-up")
        .clone()
}

fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or_default()
}

/// Posts the certificate's page form (multipart, with the form's CSRF token).
async fn certificate(
    c: &Client,
    number: &str,
    person: &str,
    examined_on: &str,
    file: Vec<u8>,
    name: &str,
) -> StatusCode {
    let form = reqwest::multipart::Form::new()
        .text("csrf", c.csrf.clone())
        .text("person", person.to_owned())
        .text("examined_on", examined_on.to_owned())
        .part("file", reqwest::multipart::Part::bytes(file).file_name(name.to_owned()));
    let r =
        c.http.post(format!("{}/cases/{number}/fgm/certificate", c.base)).multipart(form).send().await.expect("post");
    r.status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn girls_are_followed_up_until_majority_and_certificates_stay_restricted() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 600).await;
        let registrar = Client::sign_in(&server.base, "ec.morel").await;
        let director = Client::sign_in(&server.base, "dg.vasseur").await;
        let officer = Client::sign_in(&server.base, "opi.karimi").await;
        let today = today();

        // The daily list: a year ahead, soonest first, overdue flagged.
        let (status, list) = registrar.get("/fgm?days=366").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {list}");
        let due = list["due"].as_array().expect("due").clone();
        assert!(!due.is_empty(), "{backend:?}: the demo follows girls up");
        let dates: Vec<&str> = due.iter().filter_map(|l| l["due_on"].as_str()).collect();
        assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{backend:?}: soonest first");
        for l in &due {
            assert_eq!(l["overdue"], l["due_on"].as_str().is_some_and(|d| d < today.as_str()), "{l}");
        }
        let (status, bad) = registrar.get("/fgm?days=400").await;
        assert_eq!((status, field(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, "days"));
        assert_eq!(officer.get("/fgm").await.0, StatusCode::FORBIDDEN);
        assert_eq!(director.get("/fgm").await.0, StatusCode::OK);

        let number = due[0]["case_number"].as_str().expect("case").to_owned();
        let person = due[0]["person"].as_i64().expect("person").to_string();
        let path = format!("/cases/{number}/fgm");
        let (status, view) = registrar.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {view}");
        assert_eq!(officer.get(&path).await.0, StatusCode::FORBIDDEN);

        // A letter: the certificate is due three months later.
        let (status, after) = registrar
            .post(&path, json!({"step": "letter", "person": person.parse::<u16>().expect("n"), "on": today}))
            .await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {after}");
        let f = hers(&after, &person);
        assert!(f["due_on"].as_str().expect("due") > today.as_str());
        // Sent today, the letter is printed with the model certificate, in the family's space.
        let letter = f["letter_documents"].as_array().and_then(|d| d.last()).cloned().expect("a printed letter");
        let (status, _, pdf) = registrar.bytes(&format!("/cases/{number}/documents/{letter}")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let text = common::pdf_text(&pdf);
        assert!(
            text.contains("procureur de la République") && text.contains("Certificat médical"),
            "{backend:?}: {text}"
        );

        // A certificate that is not a PDF or an image is refused; a real one is filed, restricted.
        let status = certificate(&registrar, &number, &person, &today, b"hello".to_vec(), "note.txt").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}");
        let status = certificate(&registrar, &number, &person, &today, png(60, 40), "certificat.png").await;
        assert!(status.is_success() || status.is_redirection(), "{backend:?}: {status}");
        let (_, after) = registrar.get(&path).await;
        let f = hers(&after, &person);
        let certificate_id = f["certificates"][0]["document"].as_u64().expect("a certificate");
        let (status, _, _) = registrar.bytes(&format!("/cases/{number}/documents/{certificate_id}")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: its keeper reads it");
        let (status, _, _) = officer.bytes(&format!("/cases/{number}/documents/{certificate_id}")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}: not the officer");
        let (_, page) = registrar.get(&format!("/cases/{number}")).await;
        let listed = page["documents"].as_array().cloned().unwrap_or_default();
        assert!(listed.iter().all(|d| d["kind"] != "fgm_certificate"), "{backend:?}: not in the file's list");

        // An incident: the report is prepared; the director signs it, the registrar cannot.
        let p: u16 = person.parse().expect("n");
        let (status, after) =
            registrar.post(&path, json!({"step": "incident", "person": p, "on": today, "kind": "refusal"})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {after}");
        let f = hers(&after, &person);
        let n = f["reports"].as_array().map_or(0, Vec::len) as u32;
        assert_eq!(
            registrar.post(&path, json!({"step": "sign", "person": p, "report": n})).await.0,
            StatusCode::FORBIDDEN
        );
        let (status, body) = director.post(&path, json!({"step": "sign", "person": p, "report": n + 1})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "report"), "{backend:?}: {body}");
        let (status, body) = director.post(&path, json!({"step": "sign", "person": p, "report": n})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let f = hers(&body, &person);
        assert_eq!(f["reports"][n as usize - 1]["signed_by"], "dg.vasseur");
        // Grounds are required for an earlier examination.
        let (status, body) =
            registrar.post(&path, json!({"step": "advance", "person": p, "on": today, "grounds": " "})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "grounds"), "{backend:?}: {body}");

        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}
