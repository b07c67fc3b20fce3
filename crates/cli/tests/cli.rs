//! The `nansen` command end to end: demo data (deterministic, realistic, every state), audit
//! verify and its failure naming the entry, proofs, rebuild, on SQLite and PostgreSQL; a smoke run
//! of `nansen bench` and of `nansen load` so that they cannot break unnoticed.

use std::path::Path;
use std::process::{Command, Output};

use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{on_db, Backend};
use sqlx::Row;

mod common;

fn nansen(t: &TestStore, args: &[&str]) -> Output {
    nansen_in(&t.config.data_dir, t.config.database_url.as_deref(), args)
}

fn nansen_in(dir: &Path, url: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
    cmd.arg("--data-dir").arg(dir).args(args).env_remove("NANSEN_DATABASE_URL").env_remove("NANSEN_SIGNING_KEY");
    if let Some(url) = url {
        cmd.env("NANSEN_DATABASE_URL", url);
    }
    cmd.output().expect("run nansen")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

async fn demo_store(backend: Backend, applications: &str) -> TestStore {
    let t = TestStore::new(backend).await;
    t.store.close().await;
    let out = nansen(&t, &["demo", "--seed", "3", "--applications", applications, "--today", "2026-11-01"]);
    assert!(out.status.success(), "{backend:?}: demo failed: {}", text(&out));
    let printed = text(&out);
    for role in ["protection_officer", "section_head", "digitization_secretary", "auditor", "administrator"] {
        assert!(printed.contains(role), "the demo prints its accounts: {printed}");
    }
    t
}

async fn scalar(t: &TestStore, sql: &str) -> i64 {
    let store = t.reopen().await;
    let n = on_db!(store.db(), pool => sqlx::query(sql).fetch_one(pool).await.expect(sql).get::<i64, _>(0));
    store.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_realistic_and_covers_every_state() {
    for backend in BACKENDS {
        let t = demo_store(backend, "2000").await;
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM cases").await, 2000);
        assert!(scalar(&t, "SELECT COUNT(DISTINCT nationality) FROM cases").await >= 30);
        assert_eq!(scalar(&t, "SELECT COUNT(DISTINCT division) FROM cases WHERE division IS NOT NULL").await, 4);
        assert_eq!(
            scalar(&t, "SELECT COUNT(DISTINCT status) FROM cases").await,
            15,
            "every lifecycle state but unregistered"
        );
        assert_eq!(scalar(&t, "SELECT COUNT(DISTINCT kind) FROM cases").await, 3);
        for p in ["normal", "accelerated:%", "detention", "border"] {
            assert!(scalar(&t, &format!("SELECT COUNT(*) FROM cases WHERE procedure LIKE '{p}'")).await > 0, "{p}");
        }
        // Names in their original script beside the transliteration.
        assert!(scalar(&t, "SELECT COUNT(*) FROM persons WHERE family_original <> family_latin").await > 500);
        // Uncertain birth dates (year only, or year and month) and families.
        assert!(scalar(&t, "SELECT COUNT(*) FROM persons WHERE LENGTH(birth_date) < 10").await > 100);
        assert!(scalar(&t, "SELECT COUNT(*) FROM persons WHERE role = 'child'").await > 100);
        assert!(scalar(&t, "SELECT COUNT(*) FROM accounts").await >= 10);
        // Each case carries the letters a real one would: a receipt, a convocation once the
        // interview is scheduled, the decision once it was put in the applicant's space.
        let without = |kind: &str, statuses: &str| {
            format!(
                "SELECT COUNT(*) FROM cases c WHERE c.status IN ({statuses}) AND NOT EXISTS \
                 (SELECT 1 FROM documents d WHERE d.case_number = c.number AND d.kind = '{kind}')"
            )
        };
        let all = "SELECT status FROM cases";
        let notified = "'notified', 'final', 'appealed', 'court_decided'";
        assert_eq!(scalar(&t, &without("receipt", all)).await, 0, "{backend:?}: cases without their receipt");
        assert_eq!(scalar(&t, &without("missing_items_request", "'incomplete'")).await, 0, "{backend:?}");
        assert_eq!(scalar(&t, &without("decision", notified)).await, 0, "{backend:?}: notified without the decision");
        assert_eq!(scalar(&t, &without("convocation", "'interview_scheduled'")).await, 0, "{backend:?}");
        assert!(scalar(&t, "SELECT COUNT(*) FROM documents WHERE kind = 'convocation'").await > 100, "{backend:?}");
        // The journal verifies and the read tables rebuild identically.
        let out = nansen(&t, &["audit", "verify"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).starts_with("journal verified:"), "{}", text(&out));
        let out = nansen(&t, &["rebuild"]);
        assert!(out.status.success(), "{}", text(&out));
        assert!(text(&out).contains("identical"), "{}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_seed_gives_the_same_data() {
    let a = demo_store(Backend::Sqlite, "150").await;
    let b = demo_store(Backend::Sqlite, "150").await;
    let digest = |t: &TestStore| {
        let out = nansen(t, &["rebuild"]);
        let s = text(&out);
        // Only the digest: the rebuild's other lines carry timings.
        s.rsplit("digest ").next().and_then(|d| d.split(')').next()).unwrap_or_default().trim().to_owned()
    };
    assert_eq!(digest(&a), digest(&b));
    assert!(!digest(&a).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_the_tampered_entry_and_proofs_check() {
    for backend in BACKENDS {
        let t = demo_store(backend, "100").await;
        let out = nansen(&t, &["audit", "prove", "57"]);
        assert!(out.status.success(), "{}", text(&out));
        let proof_file = t.dir.path().join("proof.json");
        std::fs::write(&proof_file, &out.stdout).expect("write proof");
        let out = nansen(&t, &["audit", "verify", "--proof", proof_file.to_str().expect("utf-8 path")]);
        assert!(out.status.success(), "{}", text(&out));
        // A proof edited by hand fails.
        let forged = String::from_utf8_lossy(&std::fs::read(&proof_file).expect("read")).replacen(
            "\"seq\": 57",
            "\"seq\": 58",
            1,
        );
        std::fs::write(&proof_file, forged).expect("write");
        let out = nansen(&t, &["audit", "verify", "--proof", proof_file.to_str().expect("utf-8 path")]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));

        let store = t.reopen().await;
        on_db!(store.db(), pool => { sqlx::query("UPDATE journal SET actor = 'intruder' WHERE seq = 123").execute(pool).await.expect("tamper"); });
        store.close().await;
        let out = nansen(&t, &["audit", "verify"]);
        assert_eq!(out.status.code(), Some(1), "{}", text(&out));
        assert!(text(&out).contains("entry 123"), "{}", text(&out));
    }
}

#[test]
fn bad_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().expect("dir");
    let out = nansen_in(dir.path(), Some("mysql://nope"), &["migrate"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("NANSEN_DATABASE_URL"), "{}", text(&out));
    let out = nansen_in(dir.path(), None, &["demo", "--today", "2026-13-01"]);
    assert!(!out.status.success());
    assert!(text(&out).contains("YYYY-MM-DD"), "{}", text(&out));
    let out = nansen_in(dir.path(), None, &["audit", "prove", "999"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
}

/// `scripts/test` run directly builds into the same target directory as `scripts/e2e` (and CI),
/// so the workspace is built once: each exports the same default before it runs cargo.
#[test]
fn the_test_scripts_share_one_target_directory() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let default = r#"export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/nansen/target}""#;
    for script in ["scripts/test", "scripts/e2e", ".ci/run"] {
        let text = std::fs::read_to_string(root.join(script)).expect("the script");
        let export = text.find(default).unwrap_or_else(|| panic!("{script} does not export {default}"));
        let first_cargo = text.find("\ncargo ").unwrap_or(text.len());
        assert!(export < first_cargo, "{script} runs cargo before it exports CARGO_TARGET_DIR");
    }
}

/// The first number after `label` in `text` (e.g. "50" after "commands, ").
fn number_after(text: &str, label: &str) -> Option<f64> {
    let at = text.find(label)? + label.len();
    let digits: String = text[at..].trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bench_appends_what_it_says_on_both_databases() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        t.store.close().await;
        let out = nansen(&t, &["bench", "append", "--writers", "3", "--commands", "60", "--seed", "2"]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
        let printed = text(&out);
        assert!(printed.starts_with(&format!("durable appends on {backend:?}: 3 writers, 60 commands, ")), "{printed}");
        // One registration event per command, all of them in the journal and the read tables.
        assert_eq!(number_after(&printed, "commands,"), Some(60.0), "{printed}");
        let rate = number_after(&printed, "s =").expect("a rate");
        assert!(rate > 0.0, "{printed}");
        let (p50, p99) = (number_after(&printed, "p50").expect("p50"), number_after(&printed, "p99").expect("p99"));
        assert!(p50 > 0.0 && p50 <= p99, "{printed}");
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM journal WHERE kind = 'registered'").await, 60);
        assert_eq!(scalar(&t, "SELECT COUNT(*) FROM cases").await, 60);
        let out = nansen(&t, &["audit", "verify"]);
        assert!(out.status.success(), "{backend:?}: {}", text(&out));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_measures_pages_and_signatures_against_a_server() {
    let (t, server) = common::serve(Backend::Sqlite, &common::Documents::Directory).await;
    let signed = "SELECT COUNT(*) FROM journal WHERE kind = 'decision_signed'";
    let signed_before = scalar(&t, signed).await;
    let out = nansen(
        &t,
        &["load", "--url", &server.base, "--sessions", "3", "--requests", "30", "--signatures", "2", "--signers", "1"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let printed = text(&out);
    assert!(printed.contains("3 sessions signed in; 30 page requests, 2 signatures"), "{printed}");
    // Every page answered, none refused; the two lines count the 30 requests between them.
    let line = |kind: &str| printed.lines().find(|l| l.starts_with(kind)).map(str::to_owned);
    let mine = line("my cases").expect("a line for the queue");
    let case = line("case page").expect("a line for case pages");
    let pages = number_after(&mine, "my cases").expect("count") + number_after(&case, "case page").expect("count");
    assert_eq!(pages, 30.0, "{printed}");
    for l in [&mine, &case] {
        assert_eq!(number_after(l, "errors"), Some(0.0), "{printed}");
    }
    // Signatures: measured and recorded, or said to be impossible on this data.
    let signature = line("signature").expect("a line for signatures");
    let signatures = number_after(&signature, "signature").expect("count");
    if signatures == 0.0 {
        assert!(printed.contains("no case under review"), "{printed}");
    } else {
        assert_eq!(number_after(&signature, "errors"), Some(0.0), "{printed}");
    }
    drop(server);
    assert_eq!(scalar(&t, signed).await - signed_before, signatures as i64, "{printed}");
}
