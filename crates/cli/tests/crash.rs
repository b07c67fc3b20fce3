//! Crash test: concurrent commands while a process dies with SIGKILL at a random moment, on SQLite
//! and on PostgreSQL. On SQLite the client process is killed. On PostgreSQL, in a throwaway cluster
//! the test owns, rounds alternate between killing the client and killing the database server
//! itself (the postmaster and every backend at once, as a crash of its machine would).
//!
//! After every kill and restart: the round had acknowledged writes (a round killed before its first
//! write would prove nothing), every command acknowledged so far (printed after its commit) is in
//! the journal, the journal verifies, and the read tables are what `nansen rebuild` recomputes from
//! the journal.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nansen_store::{on_db, Config, Store};
use rand::{Rng, SeedableRng};
use sqlx::Row;

/// Kills per database; each round asserts all of the above.
const ROUNDS: usize = 16;

/// What a round kills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Victim {
    Client,
    DatabaseServer,
}

fn nansen(config: &Config) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_nansen"));
    cmd.arg("--data-dir").arg(&config.data_dir).env_remove("NANSEN_DATABASE_URL").env_remove("NANSEN_SIGNING_KEY");
    if let Some(url) = &config.database_url {
        cmd.env("NANSEN_DATABASE_URL", url);
    }
    cmd
}

/// A PostgreSQL cluster of the test's own, in a temporary directory, on a free port: killed at
/// will, restarted (crash recovery included), thrown away at the end.
struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    /// As root, PostgreSQL runs as the `postgres` account.
    as_postgres: bool,
    server: Option<Child>,
}

impl Cluster {
    fn new() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("the crash test needs PostgreSQL's server binaries under /usr/lib/postgresql")
            .filter_map(Result::ok)
            .map(|e| e.path().join("bin"))
            .filter(|b| b.join("initdb").exists())
            .max_by_key(|b| b.to_string_lossy().split('/').nth(4).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0))
            .expect("initdb under /usr/lib/postgresql/*/bin");
        let dir = tempfile::tempdir().expect("temp dir");
        let uid = Command::new("id").arg("-u").output().expect("id -u");
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        if as_postgres {
            let chown = Command::new("chown").arg("postgres").arg(dir.path()).status().expect("chown");
            assert!(chown.success(), "chown the cluster's directory to postgres");
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("addr").port();
        let mut cluster = Cluster { bin, dir, port, as_postgres, server: None };
        let out = cluster
            .command("initdb")
            .arg("-D")
            .arg(cluster.data())
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
            .output()
            .expect("initdb");
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        cluster.start();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn command(&self, program: &str) -> Command {
        let program = self.bin.join(program);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        }
    }

    /// Starts the server (recovering from the last crash) and waits until it accepts connections.
    fn start(&mut self) {
        let log =
            std::fs::File::options().create(true).append(true).open(self.dir.path().join("log")).expect("server log");
        let server = self
            .command("postgres")
            .arg("-D")
            .arg(self.data())
            .args(["-p", &self.port.to_string(), "-c", "listen_addresses=127.0.0.1", "-k"])
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start postgres");
        self.server = Some(server);
        let started = Instant::now();
        loop {
            let ready = self
                .command("pg_isready")
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .expect("pg_isready");
            if ready.success() {
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "PostgreSQL did not start: {}", self.log());
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL to the postmaster and all its backends in one `kill`, then waits for them.
    fn crash(&mut self) {
        let victims = self.kill_all();
        assert!(!victims.is_empty(), "no running server to kill: {}", self.log());
        let started = Instant::now();
        while victims.iter().any(|pid| alive(pid)) {
            assert!(started.elapsed() < Duration::from_secs(30), "the killed server's processes linger");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Kills the running server's processes, if any; returns their ids.
    fn kill_all(&mut self) -> Vec<String> {
        let Some(mut server) = self.server.take() else { return Vec::new() };
        let postmaster = std::fs::read_to_string(self.data().join("postmaster.pid"))
            .ok()
            .and_then(|f| f.lines().next().map(|l| l.trim().to_owned()))
            .unwrap_or_default();
        // The postmaster first: it must not see its backends die and start reinitializing.
        let mut victims = vec![postmaster.clone()];
        if !postmaster.is_empty() {
            victims.extend(children_of(&postmaster));
        }
        victims.retain(|p| !p.is_empty());
        let _ = Command::new("kill").arg("-KILL").args(&victims).status();
        // The server's parent reaps it: a dead postmaster left a zombie would look alive to the
        // next one, which then refuses to start.
        let started = Instant::now();
        while matches!(server.try_wait(), Ok(None)) && started.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = server.kill();
        let _ = server.wait();
        victims
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.kill_all();
    }
}

/// The processes whose parent is `pid` (the postmaster's backends and helpers).
fn children_of(pid: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            // "pid (comm) state ppid …": the command may hold spaces, so read after its ')'.
            let ppid = stat.rsplit_once(')')?.1.split_whitespace().nth(1)?.to_owned();
            (ppid == pid).then_some(name)
        })
        .collect()
}

/// Whether a process runs (a zombie does not: it holds nothing).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(Path::new("/proc").join(pid).join("stat"))
        .ok()
        .and_then(|s| s.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().next().map(str::to_owned)))
        .is_some_and(|state| state != "Z")
}

/// Starts `nansen loadgen`; acknowledged `(subject, seq)` pairs arrive on the receiver as printed.
fn start_load(config: &Config, seed: usize) -> (Child, mpsc::Receiver<(String, u64)>) {
    let mut child = nansen(config)
        .args(["loadgen", "--writers", "8", "--seed"])
        .arg(seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nansen loadgen");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let mut parts = line.split_whitespace();
            if let (Some("ack"), Some(subject), Some(seq)) =
                (parts.next(), parts.next(), parts.next().and_then(|s| s.parse::<u64>().ok()))
            {
                if tx.send((subject.to_owned(), seq)).is_err() {
                    return;
                }
            }
        }
    });
    (child, rx)
}

async fn crash_many_times(config: &Config, mut cluster: Option<&mut Cluster>) {
    let label = if cluster.is_some() { "PostgreSQL" } else { "SQLite" };
    Store::open(config).await.expect("create the store").close().await;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261122);
    let mut acknowledged: Vec<(String, u64)> = Vec::new();
    let mut server_kills = 0;
    for round in 0..ROUNDS {
        let victim = if cluster.is_some() && round % 2 == 0 { Victim::DatabaseServer } else { Victim::Client };
        let (mut child, acks) = start_load(config, round);
        // Kill only once the round has written, then after a random while more.
        let first = acks.recv_timeout(Duration::from_secs(30)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("round {round} on {label}: no command acknowledged in 30 s")
        });
        std::thread::sleep(Duration::from_millis(rng.gen_range(50..500)));
        match (victim, cluster.as_deref_mut()) {
            (Victim::DatabaseServer, Some(cluster)) => {
                cluster.crash();
                server_kills += 1;
                // The client outlives its server for a moment, then goes too.
                std::thread::sleep(Duration::from_millis(rng.gen_range(0..200)));
                child.kill().expect("SIGKILL");
                let _ = child.wait();
                cluster.start();
            }
            _ => {
                child.kill().expect("SIGKILL");
                let _ = child.wait();
            }
        }
        let round_acks: Vec<(String, u64)> = std::iter::once(first).chain(acks.iter()).collect();
        let written = round_acks.len();
        acknowledged.extend(round_acks);

        let store = Store::open(config).await.expect("reopen the store");
        let verified = store.verify().await.expect("verify runs");
        assert!(
            verified.is_ok(),
            "round {round} on {label} ({victim:?} killed): {}",
            verified.err().map(|e| e.to_string()).unwrap_or_default()
        );
        let journal: HashMap<u64, String> = on_db!(store.db(), pool => sqlx::query("SELECT seq, subject FROM journal")
            .fetch_all(pool)
            .await
            .expect("read the journal")
            .into_iter()
            .map(|r| (r.get::<i64, _>("seq") as u64, r.get::<String, _>("subject")))
            .collect());
        store.close().await;
        for (subject, seq) in &acknowledged {
            assert_eq!(
                journal.get(seq),
                Some(subject),
                "round {round} on {label} ({victim:?} killed): acknowledged entry {seq} lost"
            );
        }
        // The read tables after recovery are what the journal gives.
        let out = nansen(config).arg("rebuild").output().expect("nansen rebuild");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && said.contains("identical to before"),
            "round {round} on {label} ({victim:?} killed): {said}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        eprintln!("{label} round {round}: {victim:?} killed after {written} acknowledged commands");
    }
    if cluster.is_some() {
        assert_eq!(server_kills, ROUNDS / 2, "half the rounds on PostgreSQL kill the server");
    }
    eprintln!("{label}: {ROUNDS} kills, {} acknowledged commands all present", acknowledged.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_commands_survive_sigkill_on_both_databases() {
    let sqlite_dir = tempfile::tempdir().expect("temp dir");
    let sqlite = Config { data_dir: sqlite_dir.path().to_owned(), database_url: None, signing_key: None };
    crash_many_times(&sqlite, None).await;

    let mut cluster = Cluster::new();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let postgres =
        Config { data_dir: data_dir.path().to_owned(), database_url: Some(cluster.url()), signing_key: None };
    crash_many_times(&postgres, Some(&mut cluster)).await;
}
