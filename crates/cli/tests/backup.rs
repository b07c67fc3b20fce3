//! `nansen backup` and `nansen restore`, as an operations team runs them: a backup of a running
//! server under write load (applications registered through the API while it copies), restored
//! into a fresh place, where `nansen audit verify --documents` passes and every registration
//! acknowledged before the backup began is found. On SQLite with documents in a directory, and
//! on PostgreSQL with documents in S3 (a real S3 server on loopback) restored into another
//! bucket prefix. A wrong passphrase, a damaged copy and a place that is not empty are refused
//! before anything is written.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use nansen_docs::objects::testing::start_s3_test_server;
use nansen_store::testing::PgDatabase;
use nansen_store::Backend;
use reqwest::StatusCode;

mod common;
use common::*;

const PASSPHRASE: &str = "correct horse battery staple";

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The place a backup is restored into: a new data directory, an empty PostgreSQL database,
/// and (with S3) another prefix of the bucket.
struct Place {
    dir: tempfile::TempDir,
    pg: Option<PgDatabase>,
    documents: Option<(String, Vec<(&'static str, String)>)>,
}

impl Place {
    fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
        cmd.arg("--data-dir")
            .arg(self.dir.path())
            .env_remove("NANSEN_DATABASE_URL")
            .env_remove("NANSEN_SIGNING_KEY")
            .env_remove("NANSEN_DOCUMENTS")
            .env_remove("NANSEN_SECRETS_KEY")
            .env_remove("NANSEN_SEAL_KEY")
            .env_remove("NANSEN_BACKUP_PASSPHRASE");
        if let Some(pg) = &self.pg {
            cmd.env("NANSEN_DATABASE_URL", &pg.url);
        }
        if let Some((url, env)) = &self.documents {
            cmd.env("NANSEN_DOCUMENTS", url);
            cmd.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        }
        cmd
    }

    fn run(&self, args: &[&str], passphrase: Option<&str>) -> Output {
        let mut cmd = self.command();
        cmd.args(args);
        if let Some(p) = passphrase {
            cmd.env("NANSEN_BACKUP_PASSPHRASE", p);
        }
        cmd.output().expect("nansen runs")
    }

    /// Whether nothing has been written here yet.
    async fn is_empty(&self) -> bool {
        let files = std::fs::read_dir(self.dir.path()).map(|d| d.count()).unwrap_or(0);
        let tables: i64 = match &self.pg {
            Some(pg) => {
                use sqlx::Connection as _;
                let mut conn = sqlx::PgConnection::connect(&pg.url).await.expect("connect");
                sqlx::query_scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'")
                    .fetch_one(&mut conn)
                    .await
                    .expect("count tables")
            }
            None => 0,
        };
        files == 0 && tables == 0
    }
}

async fn scenario(backend: Backend, docs: Documents) {
    let restored_documents = match &docs {
        Documents::S3(s3) => Some((s3.url("restored"), s3.env())),
        Documents::Directory => None,
    };
    let (t, server) = serve_demo(backend, &docs, &[], 12).await;
    let sec = Arc::new(Client::sign_in(&server.base, "sec.martin").await);

    // Registrations go on while the backup copies; each one's number is kept once acknowledged.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let load = tokio::spawn({
        let (sec, acknowledged, stop) = (sec.clone(), acknowledged.clone(), stop.clone());
        async move {
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let (number, _) = register(&sec, &format!("Sauvegarde{i}"), &["photographs"]).await;
                acknowledged.lock().expect("lock").push(number);
                i += 1;
            }
        }
    });
    while acknowledged.lock().expect("lock").len() < 3 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let before: Vec<String> = acknowledged.lock().expect("lock").clone();
    let backup_dir = tempfile::tempdir().expect("dir");
    let target = backup_dir.path().join("nightly");
    let mut cmd = nansen(&t, &docs);
    cmd.args(["backup", target.to_str().expect("utf-8")])
        .env("NANSEN_BACKUP_PASSPHRASE", PASSPHRASE)
        .stdin(Stdio::null());
    let out = tokio::task::spawn_blocking(move || cmd.output().expect("backup runs")).await.expect("join");
    assert!(out.status.success(), "backup: {}", text(&out));
    assert!(text(&out).contains("backup written to"), "{}", text(&out));
    // The load went on during the backup.
    while acknowledged.lock().expect("lock").len() < before.len() + 2 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    stop.store(true, Ordering::SeqCst);
    load.await.expect("the load ends");
    for file in ["manifest.json", "keys.age"] {
        assert!(target.join(file).exists(), "{file} in the backup");
    }
    // The keys are not in the clear.
    let sealed = std::fs::read(target.join("keys.age")).expect("keys");
    let signing = std::fs::read_to_string(t.config.data_dir.join("journal-signing.key")).expect("key");
    assert!(!String::from_utf8_lossy(&sealed).contains(signing.trim()), "the signing key is encrypted");

    // A second backup into the same directory is refused: it is not empty.
    let out = nansen(&t, &docs)
        .args(["backup", target.to_str().expect("utf-8")])
        .env("NANSEN_BACKUP_PASSPHRASE", PASSPHRASE)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(text(&out).contains("not empty"), "{}", text(&out));
    drop(server);

    let place = Place {
        dir: tempfile::tempdir().expect("dir"),
        pg: match backend {
            Backend::Postgres => Some(PgDatabase::create().await),
            Backend::Sqlite => None,
        },
        documents: restored_documents,
    };
    let backup = target.to_str().expect("utf-8");

    // A wrong passphrase, or none, is refused before anything is written.
    let out = place.run(&["restore", backup], Some("not the passphrase at all"));
    assert!(!out.status.success());
    assert!(text(&out).contains("cannot be opened with this passphrase"), "{}", text(&out));
    let out = place.run(&["restore", backup], None);
    assert!(!out.status.success());
    assert!(text(&out).contains("passphrase"), "{}", text(&out));
    assert!(place.is_empty().await, "a refused restore writes nothing");

    // A damaged database copy is refused too.
    let damaged_dir = tempfile::tempdir().expect("dir");
    copy_dir(&target, damaged_dir.path());
    let copy = std::fs::read_dir(damaged_dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sqlite3" || e == "pgdump"))
        .expect("the database copy");
    let mut bytes = std::fs::read(&copy).expect("read");
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x55;
    std::fs::write(&copy, bytes).expect("write");
    let out = place.run(&["restore", damaged_dir.path().to_str().expect("utf-8")], Some(PASSPHRASE));
    assert!(!out.status.success());
    assert!(text(&out).contains("damaged"), "{}", text(&out));
    assert!(place.is_empty().await, "a refused restore writes nothing");

    // The restore, then the audit of the journal and of every document there.
    let out = place.run(&["restore", backup], Some(PASSPHRASE));
    assert!(out.status.success(), "restore: {}", text(&out));
    let out = place.run(&["audit", "verify", "--documents"], None);
    assert!(out.status.success(), "audit there: {}", text(&out));
    assert!(text(&out).contains("journal verified"), "{}", text(&out));
    // Restoring again into the same place is refused.
    let out = place.run(&["restore", backup], Some(PASSPHRASE));
    assert!(!out.status.success());
    assert!(text(&out).contains("empty"), "{}", text(&out));

    // The restored place serves every registration acknowledged before the backup began, and
    // its receipt (the document the registration stored).
    let mut child =
        place.command().arg("serve").env("NANSEN_LISTEN", "127.0.0.1:0").stdout(Stdio::piped()).spawn().expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut line).expect("the server says where");
    let restored = Server { child, base: line.trim().rsplit(' ').next().expect("address").to_owned() };
    let sec = Client::sign_in(&restored.base, "sec.martin").await;
    for number in &before {
        let (status, case) = sec.get(&format!("/cases/{number}")).await;
        assert_eq!(status, StatusCode::OK, "{number} was acknowledged before the backup: {case}");
        let documents = &case["case"]["documents"];
        let receipt = documents.as_array().and_then(|d| d.first()).cloned().unwrap_or_default();
        let id = receipt["id"].as_i64().unwrap_or_else(|| panic!("a document on {number}: {documents}"));
        let (status, _, pdf) = sec.bytes(&format!("/cases/{number}/documents/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(pdf.starts_with(b"%PDF"), "the receipt of {number} is there");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("dir").filter_map(Result::ok) {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_of_a_running_sqlite_server_restores_with_every_acknowledged_write() {
    scenario(Backend::Sqlite, Documents::Directory).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_of_a_running_postgresql_server_with_documents_in_s3_restores_with_every_acknowledged_write() {
    let dir = tempfile::tempdir().expect("dir");
    let s3 = start_s3_test_server(dir.path()).await;
    scenario(Backend::Postgres, Documents::S3(s3)).await;
}
