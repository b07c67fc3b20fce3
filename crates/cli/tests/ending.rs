//! The end of a protection end to end (workspace `protection`), on a real server over SQLite
//! and PostgreSQL: the list (answers soonest due first), a procedure opened with its letter in
//! the person's space, bad input refused next to its field with nothing stored, an answer, a
//! draft signed by a section head of the division and not by the officer nor another division,
//! a protection maintained, the demo's drafted procedure signed and what it does to the acts
//! (a mention, no more copies), other roles refused, and the projection identical after
//! `nansen rebuild`.

mod common;

use common::{pdf_text, serve_demo, today, Client, Documents};
use nansen_store::testing::BACKENDS;
use reqwest::StatusCode;
use serde_json::{json, Value};

const REGISTRAR: &str = "ec.morel";

fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or_default()
}

/// An officer and the section head of a division, and a section head of another division.
fn staff(division: &str) -> (&'static str, &'static str, &'static str) {
    match division {
        "africa" => ("opi.mercier", "cs.diallo", "cs.fontaine"),
        "americas-maghreb" => ("opi.garcia", "cs.haddad", "cs.fontaine"),
        "asia" => ("opi.karimi", "cs.fontaine", "cs.diallo"),
        _ => ("opi.petrov", "cs.dubois", "cs.fontaine"),
    }
}

const FACTS: &str = "Vous avez obtenu un passeport de votre pays d'origine en 2026 et y avez séjourné deux fois.";
const REASONS: &str = "Les observations établissent que ces séjours étaient contraints ; la protection est maintenue.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_protection_is_ended_only_after_the_person_was_heard_and_by_a_signed_decision() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 600).await;
        let base = server.base.clone();
        let registrar = Client::sign_in(&base, REGISTRAR).await;
        let director = Client::sign_in(&base, "dg.vasseur").await;
        let today = today();

        // The list: the demo's procedures under way, the answer soonest due first.
        let (status, list) = director.get("/endings").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {list}");
        let open = list["open"].as_array().cloned().unwrap_or_default();
        assert!(open.len() >= 2, "{backend:?}: {list}");
        let dues: Vec<&str> = open.iter().filter_map(|l| l["answer_due"].as_str()).collect();
        assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{backend:?}: soonest first");
        assert!(!list["decided"].as_array().cloned().unwrap_or_default().is_empty(), "{backend:?}");
        assert_eq!(registrar.get("/endings").await.0, StatusCode::FORBIDDEN);
        let (status, bad) = director.get("/endings?days=-1").await;
        assert_eq!((status, field(&bad)), (StatusCode::UNPROCESSABLE_ENTITY, "days"));

        // The demo's drafted procedure: signed by the section head of the case's division.
        let drafted = open.iter().find(|l| !l["drafted_on"].is_null()).expect("a drafted procedure");
        let number = drafted["case_number"].as_str().expect("case").to_owned();
        let (_, case) = registrar.get(&format!("/cases/{number}")).await;
        let (officer_login, head_login, other_head) = staff(case["case"]["division"].as_str().unwrap_or_default());
        let officer = Client::sign_in(&base, officer_login).await;
        let head = Client::sign_in(&base, head_login).await;
        let stranger = Client::sign_in(&base, other_head).await;
        let path = format!("/cases/{number}/ending");
        let (status, view) = head.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {view}");
        assert_eq!(view["stage"], "drafted", "{backend:?}: {view}");
        let seq = view["endings"].as_array().map_or(0, Vec::len);
        let sign = json!({"step": "sign", "seq": seq});
        assert_eq!(officer.post(&path, sign.clone()).await.0, StatusCode::FORBIDDEN, "{backend:?}");
        assert_eq!(stranger.post(&path, sign.clone()).await.0, StatusCode::FORBIDDEN, "{backend:?}");
        let (status, body) = head.post(&path, json!({"step": "sign", "seq": seq + 1})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "seq"), "{backend:?}: {body}");
        let (status, after) = head.post(&path, sign).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {after}");
        assert_eq!(after["ended_on"], today.as_str(), "{backend:?}: {after}");
        // The decision's letter, in French, with the way to appeal.
        let decision = after["endings"][0]["decision"]["document"].as_u64().expect("the decision's document");
        let (status, _, pdf) = head.bytes(&format!("/cases/{number}/documents/{decision}")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let text = pdf_text(&pdf);
        assert!(text.contains("Cour nationale du droit d"), "{backend:?}: {text}");
        // Every act carries the mention; no copy is issued any more.
        let (_, civil) = registrar.get(&format!("/cases/{number}/civil")).await;
        let acts = civil["acts"].as_array().cloned().unwrap_or_default();
        assert!(!acts.is_empty(), "{backend:?}: {civil}");
        for act in &acts {
            let kinds: Vec<&str> =
                act["mentions"].as_array().into_iter().flatten().filter_map(|m| m["kind"].as_str()).collect();
            assert!(kinds.contains(&"end_of_protection"), "{backend:?}: {act}");
        }
        let act = acts[0]["number"].as_str().expect("an act").to_owned();
        let (status, body) =
            registrar.post(&format!("/cases/{number}/civil"), json!({"step": "copy", "act": act})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {body}");

        // A fresh procedure on another protected person of the division.
        let (_, register) = registrar.get("/civil/register").await;
        let mut fresh = None;
        for line in register.as_array().cloned().unwrap_or_default() {
            let n = line["case_number"].as_str().unwrap_or_default().to_owned();
            let (_, c) = registrar.get(&format!("/cases/{n}")).await;
            let (_, e) = head.get(&format!("/cases/{n}/ending")).await;
            if c["case"]["division"] == case["case"]["division"] && e["endings"].as_array().is_some_and(Vec::is_empty) {
                fresh = Some(n);
                break;
            }
        }
        let number = fresh.expect("another protected person of the division");
        let path = format!("/cases/{number}/ending");
        let (status, body) = officer.post(&path, json!({"step": "open", "ground": "boredom", "facts": FACTS})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "ground"), "{backend:?}: {body}");
        let (status, body) =
            officer.post(&path, json!({"step": "open", "ground": "cessation", "facts": "Short."})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "facts"), "{backend:?}: {body}");
        let (_, unchanged) = officer.get(&path).await;
        assert_eq!(unchanged["endings"].as_array().map(Vec::len), Some(0), "{backend:?}: nothing stored");
        assert_eq!(
            head.post(&path, json!({"step": "open", "ground": "cessation", "facts": FACTS})).await.0,
            StatusCode::FORBIDDEN,
            "{backend:?}: a section head does not open"
        );
        let (status, opened) =
            officer.post(&path, json!({"step": "open", "ground": "cessation", "facts": FACTS})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {opened}");
        assert_eq!(opened["stage"], "awaiting_answer", "{backend:?}: {opened}");
        let letter = opened["endings"][0]["letter"].as_u64().expect("the letter");
        let (_, _, pdf) = officer.bytes(&format!("/cases/{number}/documents/{letter}")).await;
        let text = pdf_text(&pdf);
        assert!(text.contains("cessation") && text.contains("passeport"), "{backend:?}: {text}");
        // Not drafted before the person is heard; an answer from the future is refused.
        let draft = json!({"step": "draft", "ends": "maintain", "reasons": REASONS});
        let (status, body) = officer.post(&path, draft.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: {body}");
        let (status, body) =
            officer.post(&path, json!({"step": "answer", "received_on": "2999-01-01", "text": "Je conteste."})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "received_on"), "{backend:?}: {body}");
        let (status, body) =
            officer.post(&path, json!({"step": "answer", "received_on": today, "text": "Je conteste."})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let (status, body) = officer.post(&path, json!({"step": "draft", "ends": "maintain", "reasons": "Non."})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reasons"), "{backend:?}: {body}");
        let (status, body) = officer.post(&path, draft).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        let (status, body) = head.post(&path, json!({"step": "sign", "seq": 1})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {body}");
        assert!(body["ended_on"].is_null(), "{backend:?}: maintained: {body}");
        assert_eq!(body["endings"][0]["decision"]["ends"], false, "{backend:?}: {body}");

        // Roles with no part in it.
        for login in ["ec.morel", "jur.fontana", "sec.martin", "arch.renard"] {
            let c = Client::sign_in(&base, login).await;
            assert_eq!(c.post(&path, json!({"step": "sign", "seq": 1})).await.0, StatusCode::FORBIDDEN, "{login}");
        }

        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}
