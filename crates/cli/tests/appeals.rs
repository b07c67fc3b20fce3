//! Appeals end to end (workspace `protection`), on a real server over SQLite and PostgreSQL: the
//! legal consultants' list and hearings' calendar, a notice with its chamber, a hearing and its
//! notice, the defence read by a second consultant, each kind of ruling and what it does to the
//! case, the Conseil d'État; bad input refused next to its field with nothing stored; other roles
//! refused; and the projection identical after `nansen rebuild`.

mod common;

use common::{serve_demo, today, Client, Documents};
use nansen_store::on_db;
use nansen_store::testing::{TestStore, BACKENDS};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sqlx::Row;
use time::{Date, Duration};

const CONSULTANT: &str = "jur.fontana";
const SECOND: &str = "jur.haddad";

fn date(s: &str) -> Date {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).expect("a date")
}

fn plus(days: i64) -> String {
    (date(&today()) + Duration::days(days)).to_string()
}

/// The cases of a status in the read table, with the case state's JSON.
async fn cases_in(t: &TestStore, status: &str) -> Vec<(String, Value)> {
    let store = t.reopen().await;
    let rows: Vec<(String, String)> = on_db!(store.db(), pool => {
        sqlx::query("SELECT number, state FROM cases WHERE status = $1 ORDER BY number")
            .bind(status)
            .fetch_all(pool)
            .await
            .expect("cases")
            .iter()
            .map(|r| (r.get("number"), r.get("state")))
            .collect()
    });
    store.close().await;
    rows.into_iter().map(|(n, s)| (n, serde_json::from_str(&s).expect("state"))).collect()
}

/// A problem+json's field, for a refused step.
fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn legal_consultants_follow_appeals_from_the_notice_to_the_ruling() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 300).await;
        let consultant = Client::sign_in(&server.base, CONSULTANT).await;
        let second = Client::sign_in(&server.base, SECOND).await;
        let officer = Client::sign_in(&server.base, "opi.karimi").await;
        let registrar = Client::sign_in(&server.base, "ec.morel").await;
        let today = today();

        // The list: the appeals before the court, the court's deadline soonest first, overdue flagged.
        let (status, list) = consultant.get("/appeals").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {list}");
        let pending = list["pending"].as_array().expect("pending");
        assert!(!pending.is_empty(), "{backend:?}: the demo has appeals before the court");
        let dues: Vec<&str> = pending.iter().filter_map(|l| l["appeal_due"].as_str()).collect();
        assert!(dues.windows(2).all(|w| w[0] <= w[1]), "{backend:?}: soonest first: {dues:?}");
        let undated = pending.iter().position(|l| l["appeal_due"].is_null()).unwrap_or(pending.len());
        assert!(pending[undated..].iter().all(|l| l["appeal_due"].is_null()), "{backend:?}: no deadline, last");
        for l in pending {
            assert_eq!(l["status"], "appealed");
            let overdue = l["appeal_due"].as_str().is_some_and(|d| d < today.as_str());
            assert_eq!(l["overdue"], overdue, "{l}");
        }
        assert_eq!(pending.len(), cases_in(&t, "appealed").await.len(), "{backend:?}: every appeal is listed");
        for l in list["hearings"].as_array().expect("hearings") {
            let on = l["hearing_on"].as_str().expect("a hearing date");
            assert!(on >= list["from"].as_str().expect("from") && on <= list["until"].as_str().expect("until"));
        }
        // Bad periods and chambers are refused next to their field.
        let (status, body) = consultant.get("/appeals?from=2026-13-01").await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "from"), "{body}");
        let (status, body) = consultant.get("/appeals?from=2026-05-01&until=2026-04-01").await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "until"), "{body}");
        let (status, body) = consultant.get("/appeals?chamber=lille").await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "chamber"), "{body}");
        // Who does not follow appeals sees none.
        assert_eq!(officer.get("/appeals").await.0, StatusCode::FORBIDDEN);
        assert_eq!(registrar.get("/appeals").await.0, StatusCode::FORBIDDEN);

        // A notified rejection still open to appeal: the court's notice.
        let mut target = None;
        for (number, state) in cases_in(&t, "notified").await {
            if state["draft"]["outcome"] != "rejection" {
                continue;
            }
            let path = format!("/cases/{number}/appeal");
            let bad = json!({"step": "notice", "on": today, "court_reference": "26012345",
                "formation": "single_judge", "department": "Paris"});
            let (status, body) = consultant.post(&path, bad).await;
            if status == StatusCode::CONFLICT {
                continue; // the appeal deadline has passed for this one
            }
            assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "department"), "{body}");
            let notice = json!({"step": "notice", "on": today, "court_reference": "26012345",
                "formation": "single_judge", "department": "33000"});
            let (status, body) = consultant.post(&path, notice).await;
            if status == StatusCode::OK {
                target = Some((number, body));
                break;
            }
        }
        let (number, body) = target.expect("a notified rejection open to appeal");
        let path = format!("/cases/{number}/appeal");
        assert_eq!(body["status"], "appealed", "{body}");
        assert_eq!(body["appeal"]["chamber"], "bordeaux", "{body}");
        assert_eq!(body["appeal"]["department"], "33");
        assert!(body["deadlines"].as_array().expect("deadlines").iter().any(|d| d["kind"] == "court_ruling"));
        // The officer, the registrar: no need to know the appeal's steps.
        let step = json!({"step": "defence", "text": "x"});
        assert_eq!(officer.post(&path, step.clone()).await.0, StatusCode::FORBIDDEN);
        assert_eq!(registrar.post(&path, step).await.0, StatusCode::FORBIDDEN);

        // The hearing: 15 days' notice before a single judge, 30 before a panel.
        let short = json!({"step": "hearing", "hearing_on": plus(20), "notified_on": today, "formation": "panel"});
        let (status, body) = consultant.post(&path, short).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "hearing_on"), "{body}");
        assert!(consultant.get(&path).await.1["appeal"]["hearing"].is_null(), "nothing stored");
        let hearing =
            json!({"step": "hearing", "hearing_on": plus(20), "notified_on": today, "formation": "single_judge"});
        let (status, body) = consultant.post(&path, hearing).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["appeal"]["hearing"]["on"], plus(20));
        let (_, calendar) = consultant.get(&format!("/appeals?from={today}&until={}", plus(30))).await;
        assert!(
            calendar["hearings"].as_array().expect("hearings").iter().any(|l| l["number"] == number.as_str()),
            "{backend:?}: the hearing is in the calendar"
        );
        // The court does not rule before its hearing.
        let early = json!({"step": "ruling", "ruled_on": today, "outcome": "appeal_rejected"});
        let (status, body) = consultant.post(&path, early).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "ruled_on"), "{body}");

        // The defence: drafted, refused to its own author's review, returned, rewritten, approved, sent.
        let (status, body) = consultant.post(&path, json!({"step": "defence", "text": "   "})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "text"), "{body}");
        let (status, body) =
            consultant.post(&path, json!({"step": "defence", "text": "L'Office conclut au rejet."})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["appeal"]["defence"]["stage"], "drafted");
        assert!(body["next_steps"].as_array().expect("steps").contains(&json!("review")));
        let (status, body) = consultant.post(&path, json!({"step": "review", "approve": true})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "reviewer"), "{body}");
        let (status, body) = second.post(&path, json!({"step": "review", "approve": false})).await;
        assert_eq!((status, field(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "comments"), "{body}");
        let (status, body) =
            second.post(&path, json!({"step": "review", "approve": false, "comments": "Citer la note."})).await;
        assert_eq!((status, body["appeal"]["defence"]["stage"].as_str()), (StatusCode::OK, Some("returned")));
        let text = "L'Office conclut au rejet, voir la note de recherche.";
        assert_eq!(consultant.post(&path, json!({"step": "defence", "text": text})).await.0, StatusCode::OK);
        assert_eq!(second.post(&path, json!({"step": "review", "approve": true})).await.0, StatusCode::OK);
        let (status, body) = consultant.post(&path, json!({"step": "send", "sent_on": today})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let defence = &body["appeal"]["defence"];
        assert_eq!((defence["stage"].as_str(), defence["text"].as_str()), (Some("sent"), Some(text)));
        assert_eq!(defence["comments"], json!(["Citer la note."]));

        // Rulings on appeals already heard: each kind does what the law says to the case.
        let heard: Vec<String> = cases_in(&t, "appealed")
            .await
            .into_iter()
            .filter(|(n, s)| *n != number && s["appeal"]["hearing"]["on"].as_str().is_none_or(|h| h <= today.as_str()))
            .map(|(n, _)| n)
            .collect();
        assert!(heard.len() >= 3, "{backend:?}: appeals ready for a ruling: {heard:?}");
        let rule = |n: &str, outcome: &str| {
            let body = json!({"step": "ruling", "ruled_on": today, "outcome": outcome});
            let path = format!("/cases/{n}/appeal");
            let consultant = &consultant;
            async move { consultant.post(&path, body).await }
        };
        let (status, body) = rule(&heard[0], "appeal_rejected").await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("final")), "{body}");
        assert!(
            body["cassation_due"].is_string()
                && body["next_steps"].as_array().expect("steps").contains(&json!("cassation"))
        );
        let cassation = json!({"step": "cassation", "cassation_on": today, "by": "applicant"});
        let (status, body) = consultant.post(&format!("/cases/{}/appeal", heard[0]), cassation.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["appeal"]["cassation"]["by"], "applicant");
        let (status, _) = consultant.post(&format!("/cases/{}/appeal", heard[0]), cassation).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: one further appeal");

        let (status, body) = rule(&heard[1], "refugee_status_granted").await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("court_decided")), "{body}");
        // Protection granted by the court: the civil registrar now has a need to know the case.
        assert_eq!(registrar.get(&format!("/cases/{}", heard[1])).await.0, StatusCode::OK);

        let (status, body) = rule(&heard[2], "decision_annulled").await;
        assert_eq!((status, body["status"].as_str()), (StatusCode::OK, Some("interviewed")), "{body}");
        assert_eq!(body["referred_by_court_on"], today.as_str());
        // Sent back, the case is the officer's again; the consultant no longer reads it.
        assert_eq!(consultant.get(&format!("/cases/{}", heard[2])).await.0, StatusCode::FORBIDDEN);

        // The projection is a pure function of the journal.
        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}
