//! The reception agency end to end (workspace `reception`), on a real server over SQLite and
//! PostgreSQL, through the API: bad input refused with its field and nothing stored (a household
//! without an adult, ages that contradict the links, a case number the office does not know, a
//! structure holding more people than places, a month not over or paid already); a household
//! registered, assessed, the offer accepted and the household placed, the structure's occupancy
//! following; an operator refused on another operator's centre; a month paid once, its file's
//! lines adding up to its total; and the read tables identical after `nansen rebuild`.

mod common;

use common::{serve_demo, Client, Documents};
use nansen_store::testing::BACKENDS;
use reqwest::StatusCode;
use serde_json::{json, Value};

fn field(body: &Value) -> &str {
    body["errors"][0]["field"].as_str().unwrap_or_default()
}

fn member(family: &str, relationship: &str, birth: &str, sex: &str) -> Value {
    json!({"family_name": family, "given_names": "A", "relationship": relationship, "birth_date": birth, "sex": sex})
}

fn household(members: Vec<Value>) -> Value {
    json!({"procedure": "normal", "language": "ps", "address": "SPADA Paris, 4 rue de la Chapelle", "members": members})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_household_goes_from_the_single_window_to_a_place_and_a_month_is_paid_once() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 200).await;
        let base = server.base.clone();
        let agent = Client::sign_in(&base, "ofii.roux").await;
        let director = Client::sign_in(&base, "dt.moreau").await;
        let coallia = Client::sign_in(&base, "gest.coallia").await;

        let (status, before) = agent.get("/reception/households").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {before}");
        let count = before.as_array().map(Vec::len).unwrap_or_default();

        // Bad input: a clear error on its field, and nothing stored.
        let refusals = [
            (household(vec![member("Khan", "head", "2014-01-01", "male")]), "members"),
            (
                household(vec![
                    member("Khan", "head", "1990-01-01", "male"),
                    member("Khan", "child", "1970-01-01", "male"),
                ]),
                "members",
            ),
            (
                household(vec![member("Khan", "head", "1990-01-01", "male"), member("Khan", "cousin", "", "")]),
                "member_relationship_1",
            ),
            (household(vec![member("Khan", "head", "2990-01-01", "male")]), "birth_date"),
            (
                json!({"procedure": "normal", "language": "ps", "address": "x", "members": [member("Khan", "head", "1990-01-01", "male")]}),
                "address",
            ),
            (
                json!({"case": "2026-9999999", "procedure": "normal", "language": "ps", "address": "SPADA Paris",
                    "members": [member("Khan", "head", "1990-01-01", "male")]}),
                "case",
            ),
        ];
        for (body, wanted) in refusals {
            let (status, problem) = agent.post("/reception/households", body.clone()).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {body} → {problem}");
            assert_eq!(field(&problem), wanted, "{backend:?}: {problem}");
        }
        let (_, after) = agent.get("/reception/households").await;
        assert_eq!(after.as_array().map(Vec::len).unwrap_or_default(), count, "{backend:?}: nothing stored");

        // A family registered, assessed, the offer accepted with a request for a place.
        let (status, created) = agent
            .post(
                "/reception/households",
                household(vec![
                    member("Ahmadzai", "head", "1989-05-01", "male"),
                    member("Ahmadzai", "spouse", "1992-03-10", "female"),
                    member("Ahmadzai", "child", "2020-09-09", "female"),
                ]),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {created}");
        let id = created["household"]["household"]["id"].as_str().expect("an id").to_owned();
        assert_eq!(created["household"]["household"]["region"], "IDF", "{backend:?}: the agent's region");
        let path = format!("/reception/households/{id}");
        let (status, assessed) =
            agent.post(&path, json!({"step": "assess", "needs": [{"member": 1, "kind": "torture"}]})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {assessed}");
        // A pregnancy recorded for the head, a man: refused on its field.
        let (status, refused) =
            agent.post(&path, json!({"step": "assess", "needs": [{"member": 0, "kind": "pregnancy"}]})).await;
        assert_eq!((status, field(&refused)), (StatusCode::UNPROCESSABLE_ENTITY, "needs"), "{backend:?}");
        let (status, offered) =
            agent.post(&path, json!({"step": "offer", "accepted": true, "needs_accommodation": true})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {offered}");
        assert!(offered["next_steps"].as_array().expect("steps").contains(&json!("arrive")), "{backend:?}: {offered}");
        let (status, again) = agent.post(&path, json!({"step": "offer", "accepted": false})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: the offer is answered once: {again}");

        // A structure of the region with family places free.
        let (_, network) = agent.get("/reception/network").await;
        let structures = network["network"]["structures"].as_array().cloned().unwrap_or_default();
        let free = structures
            .iter()
            .find(|s| {
                s["kind"] != "cph" && s["places"][1].as_i64().unwrap_or(0) - s["occupied"][1].as_i64().unwrap_or(0) >= 3
            })
            .unwrap_or_else(|| panic!("{backend:?}: a structure of IDF with family places free: {network}"));
        let code = free["code"].as_str().expect("code").to_owned();
        let occupied_before = free["occupied"][1].as_i64().expect("occupied");
        let (status, placed) = agent.post(&path, json!({"step": "arrive", "structure": code})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {placed}");
        let (_, structure) = agent.get(&format!("/reception/structures/{code}")).await;
        assert_eq!(structure["structure"]["occupied"]["family"].as_i64(), Some(occupied_before + 3), "{backend:?}");
        assert!(structure["structure"]["residents"][&id].is_object(), "{backend:?}: {structure}");
        // Placed twice: refused, the structure unchanged.
        let (status, _) = agent.post(&path, json!({"step": "arrive", "structure": code})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{backend:?}: already there");

        // The operator's declaration: never more people than places, never for another's centre.
        let operator = free["operator"].as_str().expect("operator").to_owned();
        let owner = Client::sign_in(
            &base,
            &format!(
                "gest.{}",
                match operator.as_str() {
                    "france-terre-asile" => "fta",
                    "forum-refugies" => "forum",
                    "croix-rouge" => "croixrouge",
                    other => other,
                }
            ),
        )
        .await;
        let structure_path = format!("/reception/structures/{code}");
        let places_family = free["places"][1].as_i64().expect("places");
        let (status, problem) = owner
            .post(&structure_path, json!({"step": "declare", "occupied_single": 0, "occupied_family": places_family + 1, "occupied_accessible": 0}))
            .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "occupied_family"),
            "{backend:?}: {problem}"
        );
        // Fewer people than the agency placed there: refused too.
        let (status, problem) = owner
            .post(
                &structure_path,
                json!({"step": "declare", "occupied_single": 0, "occupied_family": 0, "occupied_accessible": 0}),
            )
            .await;
        assert_eq!(
            (status, field(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, "occupied_family"),
            "{backend:?}: {problem}"
        );
        if operator != "coallia" {
            let (status, _) = coallia
                .post(
                    &structure_path,
                    json!({"step": "declare", "occupied_single": 0, "occupied_family": 3, "occupied_accessible": 0}),
                )
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}: another operator's centre");
        }
        let (_, unchanged) = agent.get(&format!("/reception/structures/{code}")).await;
        assert_eq!(
            unchanged["structure"]["occupied"], structure["structure"]["occupied"],
            "{backend:?}: nothing stored"
        );

        // The office sees where the applicant lives now, for convocations, and nothing else of
        // reception: the section head who may assign the case, not the secretary.
        let (_, lines) = agent.get("/reception/households").await;
        let placed = lines
            .as_array()
            .and_then(|l| l.iter().find(|h| h["case_number"].is_string() && h["structure"].is_string()))
            .cloned()
            .expect("a demo household placed, with its case");
        let number = placed["case_number"].as_str().expect("case");
        let secretary = Client::sign_in(&base, "sec.martin").await;
        let (_, seen) = secretary.get(&format!("/cases/{number}")).await;
        assert!(seen["lives_at"].is_null(), "{backend:?}: {}", seen["lives_at"]);
        let mut convening = 0;
        for head in ["cs.diallo", "cs.haddad", "cs.fontaine", "cs.dubois"] {
            let (status, seen) = Client::sign_in(&base, head).await.get(&format!("/cases/{number}")).await;
            if status == StatusCode::OK && seen["permissions"]["assign"] == json!(true) {
                convening += 1;
                let lives_at = seen["lives_at"].as_str().unwrap_or_default();
                assert!(lives_at.contains('('), "{backend:?} {head}: {lives_at}");
            } else {
                assert!(seen["lives_at"].is_null(), "{backend:?} {head}: {seen}");
            }
        }
        assert!(convening >= 1, "{backend:?}: a section head may assign case {number}");

        // The allowance: a month not over, and a month already paid, are refused.
        let (status, runs) = director.get("/reception/allowance-runs").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {runs}");
        let paid = runs[0]["month"].as_str().expect("the demo paid last month").to_owned();
        let this_month = common::today()[..7].to_owned();
        for month in [this_month.as_str(), paid.as_str(), "2026-13"] {
            let (status, problem) = director.post("/reception/allowance-runs", json!({"month": month})).await;
            assert_eq!(
                (status, field(&problem)),
                (StatusCode::UNPROCESSABLE_ENTITY, "month"),
                "{backend:?} {month}: {problem}"
            );
        }
        // The month before: paid once, its file's lines adding up to its total.
        let (year, month) = (paid[..4].parse::<i32>().expect("year"), paid[5..].parse::<u8>().expect("month"));
        let earlier = if month == 1 { format!("{}-12", year - 1) } else { format!("{year}-{:02}", month - 1) };
        let (status, run) = director.post("/reception/allowance-runs", json!({"month": earlier})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {run}");
        let (status, _) = director.post("/reception/allowance-runs", json!({"month": earlier})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: never twice");
        let session = director.http.get(format!("{base}/reception/allowance/{earlier}.csv")).send().await.expect("csv");
        assert_eq!(session.status(), StatusCode::OK, "{backend:?}");
        let file = session.text().await.expect("text");
        let mut sum = 0i64;
        let mut total = None;
        for line in file.lines().skip(1) {
            let cols: Vec<&str> = line.split(';').collect();
            match cols[0] {
                "P" => sum += cols[6].parse::<i64>().expect("cents"),
                "T" => total = Some(cols[6].parse::<i64>().expect("total")),
                other => panic!("{backend:?}: unexpected record {other}"),
            }
        }
        assert_eq!(Some(sum), total, "{backend:?}");
        assert_eq!(run["total_cents"].as_i64(), total, "{backend:?}");
        assert_eq!(agent.get("/reception/allowance-runs").await.0, StatusCode::FORBIDDEN, "{backend:?}");

        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}
