//! `nansen bench append`: durable appends with concurrent writers, each command acknowledged
//! only once committed; and the hidden `nansen loadgen` used by the crash test.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use nansen_domain::ids::Login;
use nansen_domain::lifecycle::Command;
use nansen_store::{Action, Op, Store};
use time::OffsetDateTime;

use crate::demo::Generator;
use crate::CliError;

#[derive(clap::Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(clap::Subcommand)]
enum BenchWhat {
    /// Register applications from concurrent writers; report durable events per second.
    Append {
        #[arg(long, default_value_t = 8)]
        writers: usize,
        /// Commands in all (each registration appends one journal event).
        #[arg(long, default_value_t = 20_000)]
        commands: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Fill an empty database with years of office activity (no letters: the statistics' load),
    /// then time each statistics table cold and warm, and the charts' figures.
    Stats(crate::benchstats::StatsBenchArgs),
    /// The legal consultants' appeals list, hearings' calendar and appeal page on the same
    /// years of activity as `bench stats` (generated when the database is empty).
    Appeals(crate::benchstats::StatsBenchArgs),
    /// The civil-status register grown to a national size (benchmark lines: a throwaway database
    /// with the demo's registers), found by number and by name; certified copies issued by
    /// concurrent registrars.
    Civil(crate::benchcivil::CivilBenchArgs),
    /// The search by name across spellings and scripts with the case table grown to
    /// `--applications` rows (benchmark lines: a throwaway database with the demo), searched as a
    /// section head: a variant spelling, the original script, a typo, very common names.
    Names(crate::benchnames::NamesBenchArgs),
    /// The country-of-origin library written through the journal at `--passages` generated
    /// passages (a throwaway database), then its search index rebuilt from the store as
    /// `nansen rebuild` does.
    Library(crate::benchlibrary::LibraryBenchArgs),
    /// The monthly allowance for `--households` households registered through the writer (a
    /// throwaway database), computed twice from the store; both payment files must be equal.
    Reception(crate::benchreception::ReceptionBenchArgs),
    /// One national weekly orientation (2,500 households × 1,000 structures by default) in
    /// memory, solved with HiGHS beside the greedy baseline.
    Orientation(crate::benchorientation::OrientationBenchArgs),
    /// The outbox of notices to applicants drained by several nodes at once through the real SMS
    /// sender (a throwaway database, filled with the demo when empty).
    Notices(crate::benchnotices::NoticesBenchArgs),
}

impl BenchArgs {
    /// The statistics benchmark's arguments, when that is the one asked.
    pub fn stats(&self) -> Option<&crate::benchstats::StatsBenchArgs> {
        match &self.what {
            BenchWhat::Stats(a) => Some(a),
            _ => None,
        }
    }

    /// The civil-status benchmark's arguments, when that is the one asked.
    pub fn civil(&self) -> Option<&crate::benchcivil::CivilBenchArgs> {
        match &self.what {
            BenchWhat::Civil(a) => Some(a),
            _ => None,
        }
    }

    /// The names benchmark's arguments, when that is the one asked.
    pub fn names(&self) -> Option<&crate::benchnames::NamesBenchArgs> {
        match &self.what {
            BenchWhat::Names(a) => Some(a),
            _ => None,
        }
    }

    /// The library benchmark's arguments, when that is the one asked.
    pub fn library(&self) -> Option<&crate::benchlibrary::LibraryBenchArgs> {
        match &self.what {
            BenchWhat::Library(a) => Some(a),
            _ => None,
        }
    }

    /// The reception benchmark's arguments, when that is the one asked.
    pub fn reception(&self) -> Option<&crate::benchreception::ReceptionBenchArgs> {
        match &self.what {
            BenchWhat::Reception(a) => Some(a),
            _ => None,
        }
    }

    /// The orientation benchmark's arguments, when that is the one asked.
    pub fn orientation(&self) -> Option<&crate::benchorientation::OrientationBenchArgs> {
        match &self.what {
            BenchWhat::Orientation(a) => Some(a),
            _ => None,
        }
    }

    /// The notices benchmark's arguments, when that is the one asked.
    pub fn notices(&self) -> Option<&crate::benchnotices::NoticesBenchArgs> {
        match &self.what {
            BenchWhat::Notices(a) => Some(a),
            _ => None,
        }
    }

    /// The appeals benchmark's arguments, when that is the one asked.
    pub fn appeals(&self) -> Option<&crate::benchstats::StatsBenchArgs> {
        match &self.what {
            BenchWhat::Appeals(a) => Some(a),
            _ => None,
        }
    }
}

#[derive(clap::Args)]
pub struct LoadgenArgs {
    #[arg(long, default_value_t = 8)]
    writers: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub async fn run(store: &Store, args: &BenchArgs) -> Result<(), CliError> {
    let BenchWhat::Append { writers, commands, seed } = args.what else {
        return Err(CliError::Usage("nansen bench stats needs the office: see main".into()));
    };
    let writers = writers.max(1);
    let now = OffsetDateTime::now_utc();
    let mut generator = Generator::new(seed, now.date()).map_err(CliError::Usage)?;
    let actor = Login::parse("bench.secretary").map_err(|e| CliError::Usage(e.to_string()))?;
    let mut queues: Vec<Vec<Op>> = vec![Vec::new(); writers];
    for i in 0..commands {
        let command = generator.registration(now.date());
        queues[i % writers].push(Op { actor: actor.clone(), now, action: Action::Register(command) });
    }
    let before = store.head().await?.size;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for queue in queues {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(queue.len());
            for op in queue {
                let t = Instant::now();
                store.execute_one(op).await??;
                latencies.push(t.elapsed());
            }
            Ok::<_, Box<dyn std::error::Error + Send + Sync>>(latencies)
        }));
    }
    let mut latencies = Vec::with_capacity(commands);
    for task in tasks {
        let l = task.await.map_err(|e| CliError::Usage(e.to_string()))?.map_err(|e| CliError::Usage(e.to_string()))?;
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    let events = store.head().await?.size - before;
    latencies.sort();
    println!(
        "durable appends on {:?}: {writers} writers, {commands} commands, {events} events in {:.2} s = {:.0} events/s; \
         command latency p50 {:.2} ms, p99 {:.2} ms",
        store.backend(),
        elapsed.as_secs_f64(),
        events as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
        percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
    );
    Ok(())
}

/// Runs writers forever: each registers an application, marks it complete and assigns it, and
/// prints `ack <subject> <last seq>` after each command is committed. The crash test kills this
/// process at random moments and checks that every acknowledged line is in the journal.
pub async fn loadgen(store: &Store, args: &LoadgenArgs) -> Result<(), CliError> {
    let today = OffsetDateTime::now_utc().date();
    let out = Arc::new(std::sync::Mutex::new(std::io::stdout()));
    let mut tasks = Vec::new();
    for w in 0..args.writers.max(1) {
        let store = store.clone();
        let out = out.clone();
        let mut generator =
            Generator::new(args.seed.wrapping_mul(1000).wrapping_add(w as u64), today).map_err(CliError::Usage)?;
        tasks.push(tokio::spawn(async move {
            loop {
                let now = OffsetDateTime::now_utc();
                let mut steps: Vec<(Login, Command)> = Vec::new();
                let (secretary, registration) = (generator.secretary(), generator.registration(today));
                let applied = store
                    .execute_one(Op { actor: secretary.clone(), now, action: Action::Register(registration) })
                    .await??;
                ack(&out, &applied.subject, *applied.seqs.end());
                let Some(case) = applied.case else { continue };
                steps.push((secretary.clone(), Command::MarkComplete));
                steps.extend(generator.assignment(&case));
                for (actor, command) in steps {
                    let op = Op {
                        actor,
                        now: OffsetDateTime::now_utc(),
                        action: Action::Case { number: case.number, command },
                    };
                    if let Ok(applied) = store.execute_one(op).await? {
                        ack(&out, &applied.subject, *applied.seqs.end());
                    }
                }
            }
            #[allow(unreachable_code)]
            Ok::<(), Box<dyn std::error::Error + Send + Sync>>(())
        }));
    }
    for task in tasks {
        task.await.map_err(|e| CliError::Usage(e.to_string()))?.map_err(|e| CliError::Usage(e.to_string()))?;
    }
    Ok(())
}

fn ack(out: &std::sync::Mutex<std::io::Stdout>, subject: &str, seq: u64) {
    if let Ok(mut out) = out.lock() {
        let _ = writeln!(out, "ack {subject} {seq}");
        let _ = out.flush();
    }
}
