//! The reception agency end to end (workspace `reception`), on a real server over SQLite and
//! PostgreSQL, through the API: bad input refused with its field and nothing stored (a household
//! without an adult, ages that contradict the links, a case number the office does not know, a
//! structure holding more people than places, a month not over or paid already); a household
//! registered, assessed, the offer accepted and the household placed, the structure's occupancy
//! following; an operator refused on another operator's centre; a month paid once, its file's
//! lines adding up to its total; and the read tables identical after `nansen rebuild`.

mod common;

use common::{pdf_text, serve_demo, Client, Documents};
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
        let (_, h) = agent.get(&path).await;
        assert!(h["household"]["household"]["letters"].is_null(), "{backend:?}: an accepted offer needs no letter");

        // A household that refuses the offer gets the letter that explains what it means: in
        // French, then in Dari.
        let mut new = household(vec![member("Karimi", "head", "1990-05-06", "female")]);
        new["language"] = json!("prs");
        let (status, created) = agent.post("/reception/households", new).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {created}");
        let other = created["household"]["household"]["id"].as_str().expect("an id").to_owned();
        let (status, refused) =
            agent.post(&format!("/reception/households/{other}"), json!({"step": "offer", "accepted": false})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {refused}");
        let letter = &refused["household"]["household"]["letters"][0];
        assert_eq!(
            (&letter["kind"], &letter["translation"]),
            (&json!("offer_refusal"), &json!("fa-AF")),
            "{backend:?}"
        );
        let (status, _, pdf) = agent.bytes(&format!("/reception/households/{other}/letters/1")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let text = pdf_text(&pdf);
        assert!(text.contains("L.551-15") && text.contains("dari"), "{backend:?}: {text}");

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

/// Days after a `YYYY-MM-DD` date.
fn plus_days(day: &str, n: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(day, &format).expect("a date");
    (d + time::Duration::days(n)).format(&format).expect("formats")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_orientation_proposes_places_with_reasons_and_its_proposals_are_contested_refused_and_decided() {
    for backend in BACKENDS {
        let (t, server) = serve_demo(backend, &Documents::Directory, &[], 200).await;
        let base = server.base.clone();
        let agent = Client::sign_in(&base, "ofii.roux").await;
        let director = Client::sign_in(&base, "dt.moreau").await;
        let coallia = Client::sign_in(&base, "gest.coallia").await;

        // Two households of Île-de-France await a place.
        let mut ids = Vec::new();
        for (name, language) in [("Rahimi", "ps"), ("Haddad", "ar")] {
            let mut new = household(vec![member(name, "head", "1994-02-03", "male")]);
            new["language"] = json!(language);
            let (status, h) = agent.post("/reception/households", new).await;
            assert_eq!(status, StatusCode::OK, "{backend:?}: {h}");
            let id = h["household"]["household"]["id"].as_str().expect("an id").to_owned();
            let path = format!("/reception/households/{id}");
            let (status, _) =
                agent.post(&path, json!({"step": "offer", "accepted": true, "needs_accommodation": true})).await;
            assert_eq!(status, StatusCode::OK, "{backend:?}");
            ids.push(id);
        }
        let (status, view) = director.get("/reception/orientation").await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {view}");
        let today = view["orientation"]["today"].as_str().expect("today").to_owned();
        assert!(
            view["orientation"]["above"].as_array().expect("above").iter().any(|a| a["region"] == "IDF"),
            "{backend:?}: Île-de-France is above its share: {view}"
        );

        // Bad input: a deadline in the past, or after the day the place must be reached; the
        // single window may not run the plan. Nothing is proposed.
        for contest_by in [plus_days(&today, -1), plus_days(&today, 5)] {
            let (status, problem) = director.post("/reception/orientation", json!({"contest_by": contest_by})).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: {problem}");
            assert_eq!(field(&problem), "contest_by", "{backend:?}: {problem}");
        }
        let (status, _) = agent.post("/reception/orientation", json!({"contest_by": plus_days(&today, 1)})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}");
        for id in &ids {
            let (_, h) = agent.get(&format!("/reception/households/{id}")).await;
            assert!(h["household"]["household"]["proposals"].is_null(), "{backend:?}: {h}");
        }

        // The plan: both households get a place elsewhere, held for them, with reasons.
        let (status, report) =
            director.post("/reception/orientation", json!({"contest_by": plus_days(&today, 1)})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {report}");
        let report = &report["report"];
        assert!(report["proposals"].as_u64().expect("proposals") >= 2, "{backend:?}: {report}");
        assert!(
            ["optimal", "within-gap"].contains(&report["status"].as_str().expect("status")),
            "{backend:?}: {report}"
        );
        let mut proposals = Vec::new();
        for id in &ids {
            let (_, h) = agent.get(&format!("/reception/households/{id}")).await;
            let p = h["household"]["household"]["proposals"][0].clone();
            assert_ne!(p["region"], "IDF", "{backend:?}: {p}");
            assert_eq!(p["reach_by"], plus_days(&today, 5), "{backend:?}: R.551-3");
            let reasons: Vec<&str> =
                p["reasons"].as_array().expect("reasons").iter().filter_map(|r| r["reason"].as_str()).collect();
            assert!(reasons.contains(&"region_above_share") && reasons.contains(&"distance"), "{backend:?}: {p}");
            let steps = h["next_steps"].as_array().expect("steps");
            assert!(steps.iter().any(|s| s == "contest") && steps.iter().any(|s| s == "refuse"), "{backend:?}: {h}");
            let code = p["structure"].as_str().expect("a structure").to_owned();
            let (_, s) = agent.get(&format!("/reception/structures/{code}")).await;
            assert!(s["structure"]["held"][id].is_object(), "{backend:?}: {s}");
            // Its letter, filed with it: in French, then in Arabic for the household that reads
            // it; for the Pashto reader, the way to have it explained by an interpreter.
            let letter = &h["household"]["household"]["letters"][0];
            assert_eq!(letter["kind"], "orientation_proposal", "{backend:?}: {h}");
            let (status, kind, pdf) = agent.bytes(&format!("/reception/households/{id}/letters/1")).await;
            assert_eq!((status, kind.as_deref()), (StatusCode::OK, Some("application/pdf")), "{backend:?}");
            let text = pdf_text(&pdf);
            let name = p["structure_name"].as_str().expect("a name");
            assert!(text.contains(name) && text.contains("R.551-3"), "{backend:?}: {text}");
            if proposals.is_empty() {
                assert!(letter["translation"].is_null() && text.contains("interpr"), "{backend:?}: {text}");
            } else {
                assert_eq!(letter["translation"], "ar", "{backend:?}: {letter}");
                assert!(text.contains("arabe"), "{backend:?}: {text}");
            }
            assert_eq!(agent.bytes(&format!("/reception/households/{id}/letters/2")).await.0, StatusCode::NOT_FOUND);
            let (status, _, _) = coallia.bytes(&format!("/reception/households/{id}/letters/1")).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{backend:?}: an operator reads no household's letter");
            proposals.push((id.clone(), code));
        }

        // The first contests; a short ground is refused, the director decides, not the window.
        let first = format!("/reception/households/{}", proposals[0].0);
        let (status, problem) = agent.post(&first, json!({"step": "contest", "grounds": "no"})).await;
        assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "grounds"), "{backend:?}");
        let grounds = "my brother, who supports me, lives in Créteil and I have no one else";
        assert_eq!(agent.post(&first, json!({"step": "contest", "grounds": grounds})).await.0, StatusCode::OK);
        let reasons = "the applicant is an adult without any vulnerability; a brother's presence is not a ground";
        let decide = json!({"step": "decide_contest", "upheld": false, "reasons": reasons});
        assert_eq!(agent.post(&first, decide.clone()).await.0, StatusCode::FORBIDDEN, "{backend:?}");
        let (status, h) = director.post(&first, decide).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {h}");
        let p = &h["household"]["household"]["proposals"][0];
        assert!(p["outcome"].is_null() && p["contest"]["decision"]["upheld"] == false, "{backend:?}: {p}");
        // The decision's letter: the place is maintained, to be reached by the day it names.
        assert_eq!(h["household"]["household"]["letters"][1]["kind"], "contest_decision", "{backend:?}: {h}");
        let (_, _, pdf) = agent.bytes(&format!("{first}/letters/2")).await;
        let text = pdf_text(&pdf);
        assert!(text.contains("rejetée") && text.contains("a brother's presence"), "{backend:?}: {text}");

        // The second refuses: its places are freed and the procedure opens; the director must
        // wait for the observations (15 days) or have them.
        let second = format!("/reception/households/{}", proposals[1].0);
        assert_eq!(agent.post(&second, json!({"step": "refuse"})).await.0, StatusCode::OK, "{backend:?}");
        let (_, s) = agent.get(&format!("/reception/structures/{}", proposals[1].1)).await;
        assert!(s["structure"]["held"][&proposals[1].0].is_null(), "{backend:?}: {s}");
        let end = json!({
            "step": "decide_ending", "end": true,
            "reasons": "the household refused the place proposed in another region without a legitimate ground",
            "vulnerability_weighed": "a single adult; no point of vulnerability was assessed"
        });
        let (status, problem) = director.post(&second, end.clone()).await;
        assert_eq!((status, field(&problem)), (StatusCode::UNPROCESSABLE_ENTITY, "observations_by"), "{backend:?}");
        let observations = json!({"step": "observations", "text": "I did not understand the letter; I accept now."});
        assert_eq!(agent.post(&second, observations).await.0, StatusCode::OK, "{backend:?}");
        let (status, h) = director.post(&second, end).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {h}");
        let ending = &h["household"]["household"]["endings"][0];
        assert_eq!(ending["decision"]["court_by"], plus_days(&today, 7), "{backend:?}: L.555-1");
        // The refusal's notice and the decision, each with its letter, after the proposal's.
        let kinds: Vec<&str> = h["household"]["household"]["letters"]
            .as_array()
            .expect("letters")
            .iter()
            .filter_map(|l| l["kind"].as_str())
            .collect();
        assert_eq!(
            kinds,
            ["orientation_proposal", "conditions_ending_notice", "conditions_ending_decision"],
            "{backend:?}: {h}"
        );
        let (_, _, pdf) = agent.bytes(&format!("{second}/letters/3")).await;
        let text = pdf_text(&pdf);
        assert!(text.contains("without a legitimate ground") && text.contains("L.555-1"), "{backend:?}: {text}");
        assert_eq!(
            h["household"]["household"]["allowance_decisions"][0]["measure"]["measure"], "end",
            "{backend:?}: {h}"
        );

        // The director's figures count them by destination.
        let (_, view) = director.get("/reception/orientation").await;
        let figures = view["orientation"]["figures"].as_array().expect("figures");
        let refused: u64 = figures.iter().map(|f| f[1]["refused"].as_u64().unwrap_or(0)).sum();
        assert!(refused >= 1, "{backend:?}: {view}");

        drop(server);
        let out = common::nansen(&t, &Documents::Directory).arg("rebuild").output().expect("rebuild");
        let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success() && said.contains("identical"), "{backend:?}: {said}");
    }
}

/// The applicant's browser, signed in to their secure space with the code of their receipt.
async fn applicant(base: &str, number: &str, code: &str) -> reqwest::Client {
    let http = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let password = "a long enough password";
    let r = http
        .post(format!("{base}/portal/activate"))
        .form(&[("case_number", number), ("code", code), ("password", password), ("confirm", password)])
        .send()
        .await
        .expect("activate");
    assert!(r.status().is_success(), "{number} activates: {}", r.status());
    http
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_agencys_letters_reach_the_applicants_secure_space_and_no_one_elses() {
    for backend in BACKENDS {
        let (_t, server) = serve_demo(backend, &Documents::Directory, &[], 200).await;
        let base = server.base.clone();
        let sec = Client::sign_in(&base, "sec.martin").await;
        let agent = Client::sign_in(&base, "ofii.roux").await;
        let (number, code) = common::register(&sec, "Saleh", &[]).await;
        let (other, other_code) = common::register(&sec, "Mansour", &[]).await;

        // The single window links the household to the application; the offer is refused.
        let mut new = household(vec![member("Saleh", "head", "1990-01-01", "female")]);
        new["case"] = json!(number);
        new["language"] = json!("ar");
        let (status, created) = agent.post("/reception/households", new).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {created}");
        let id = created["household"]["household"]["id"].as_str().expect("an id").to_owned();
        let path = format!("/reception/households/{id}");
        let (status, _) = agent.post(&path, json!({"step": "offer", "accepted": false})).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");

        // The applicant reads it in their space, apart from the office's documents.
        let mine = applicant(&base, &number, &code).await;
        let home = mine.get(format!("{base}/portal")).send().await.expect("home").text().await.expect("page");
        let link = format!("/portal/reception-letters/{id}/1");
        assert!(home.contains("reception-letters") && home.contains(&link), "{backend:?}: {home}");
        let r = mine.get(format!("{base}{link}")).send().await.expect("letter");
        assert_eq!(r.status(), StatusCode::OK, "{backend:?}");
        let pdf = r.bytes().await.expect("bytes").to_vec();
        assert!(pdf_text(&pdf).contains("L.551-15"), "{backend:?}");
        for wrong in [format!("/portal/reception-letters/{id}/2"), format!("/portal/reception-letters/{id}/0")] {
            let status = mine.get(format!("{base}{wrong}")).send().await.expect("get").status();
            assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}: {wrong}");
        }

        // Another applicant is told there is no such letter; their space lists none.
        let theirs = applicant(&base, &other, &other_code).await;
        let status = theirs.get(format!("{base}{link}")).send().await.expect("get").status();
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}");
        let home = theirs.get(format!("{base}/portal")).send().await.expect("home").text().await.expect("page");
        assert!(!home.contains("reception-letters"), "{backend:?}");

        // The reading is in the journal, as the auditor sees it.
        let auditor = Client::sign_in(&base, "audit").await;
        let (status, entries) = auditor.get(&format!("/journal/entries?subject=household:{id}:letter:0")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {entries}");
        assert!(entries.to_string().contains("portal.reception_letter_read"), "{backend:?}: {entries}");
    }
}
