//! Crash test: concurrent commands while the process is killed with SIGKILL at random moments.
//! Every command that was acknowledged (printed after its commit) must be in the journal after
//! restart, and the journal must verify, on SQLite and on PostgreSQL.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{on_db, Backend};
use rand::{Rng, SeedableRng};
use sqlx::Row;

const KILLS: usize = 50;

fn nansen(t: &TestStore) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
    cmd.arg("--data-dir").arg(&t.config.data_dir).env_remove("NANSEN_DATABASE_URL").env_remove("NANSEN_SIGNING_KEY");
    if let Some(url) = &t.config.database_url {
        cmd.env("NANSEN_DATABASE_URL", url);
    }
    cmd
}

async fn crash_many_times(backend: Backend) {
    let t = TestStore::new(backend).await;
    t.store.close().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261122);
    let mut acknowledged: Vec<(String, u64)> = Vec::new();
    for round in 0..KILLS {
        let mut child = nansen(&t)
            .args(["loadgen", "--writers", "8", "--seed"])
            .arg(round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nansen loadgen");
        let stdout = child.stdout.take().expect("stdout");
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .filter_map(|line| {
                    let mut parts = line.split_whitespace();
                    match (parts.next(), parts.next(), parts.next().and_then(|s| s.parse::<u64>().ok())) {
                        (Some("ack"), Some(subject), Some(seq)) => Some((subject.to_owned(), seq)),
                        _ => None,
                    }
                })
                .collect::<Vec<_>>()
        });
        // Let it start and write for a random while, then kill it without warning.
        std::thread::sleep(Duration::from_millis(rng.gen_range(150..700)));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        let acks = reader.join().expect("reader");
        acknowledged.extend(acks);

        let store = t.reopen().await;
        let verified = store.verify().await.expect("verify runs");
        assert!(
            verified.is_ok(),
            "round {round} on {backend:?}: {}",
            verified.err().map(|e| e.to_string()).unwrap_or_default()
        );
        for (subject, seq) in &acknowledged {
            let found: Option<String> = on_db!(store.db(), pool => sqlx::query("SELECT subject FROM journal WHERE seq = $1")
                .bind(*seq as i64)
                .fetch_optional(pool)
                .await
                .expect("query")
                .map(|r| r.get::<String, _>("subject")));
            assert_eq!(
                found.as_deref(),
                Some(subject.as_str()),
                "round {round} on {backend:?}: acknowledged entry {seq} lost"
            );
        }
        store.close().await;
    }
    assert!(
        acknowledged.len() > KILLS * 5,
        "the load acknowledged too little to mean anything: {}",
        acknowledged.len()
    );
    eprintln!("{backend:?}: {KILLS} kills, {} acknowledged commands all present", acknowledged.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_commands_survive_sigkill_on_both_databases() {
    for backend in BACKENDS {
        crash_many_times(backend).await;
    }
}
