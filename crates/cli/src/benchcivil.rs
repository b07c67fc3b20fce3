//! `nansen bench civil`: the civil-status register at national scale and certified copies under
//! concurrency. On a database with the demo's registers (`nansen demo` first), grows the
//! register's read table to `--acts` lines (benchmark lines, not backed by the journal: use a
//! throwaway database), then times, each authorized and journaled as a registrar's request is:
//! finding an act by number, finding acts by the start of a family name (Latin letters and
//! original script), and issuing sealed certified copies (printed PDF/A, stored, committed)
//! with `--concurrency` registrars at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use nansen_office::protection::civil::{self, CivilOp, RegisterQuery};
use nansen_office::Office;
use nansen_store::{BenchAct, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::benchstats::{median_p99, ms, usage};
use crate::demo::catalog::Catalog;
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct CivilBenchArgs {
    /// Lines of the register to time the reads on.
    #[arg(long, default_value_t = 1_000_000)]
    pub acts: u32,
    /// Searches of each kind.
    #[arg(long, default_value_t = 300)]
    pub searches: usize,
    /// Certified copies issued in all.
    #[arg(long, default_value_t = 160)]
    pub copies: usize,
    /// Registrars issuing copies at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Girls followed up against FGM, for the daily list.
    #[arg(long, default_value_t = 50_000)]
    pub girls: u32,
}

fn line(what: &str, rows: usize, mut times: Vec<Duration>) {
    times.sort();
    let (median, p99) = median_p99(&times);
    let max = times.last().copied().unwrap_or_default();
    println!("| {what} | {rows} | {} | {:.1} ms | {:.1} ms | {:.1} ms |", times.len(), ms(median), ms(p99), ms(max));
}

fn registrar() -> Result<nansen_office::Agent, CliError> {
    let login = nansen_domain::ids::Login::parse("ec.morel").map_err(usage)?;
    Ok(nansen_office::Agent {
        principal: nansen_office::Principal {
            login: login.to_string(),
            role: nansen_office::Role::CivilRegistrar,
            division: None,
            section: None,
        },
        login,
        display_name: "Olivier Morel".into(),
    })
}

/// Benchmark lines with the demo catalogue's names, in years before any real act (1952–2019).
fn synthetic(from: u32, to: u32, catalog: &Catalog, rng: &mut ChaCha8Rng) -> Vec<BenchAct> {
    let kinds = ["birth", "birth", "birth", "marriage", "death"];
    (from..to)
        .map(|i| {
            let n = &catalog.nationalities[rng.gen_range(0..catalog.nationalities.len())];
            let family = &n.family_names[rng.gen_range(0..n.family_names.len())];
            let given = &n.male_given_names[rng.gen_range(0..n.male_given_names.len())];
            BenchAct {
                year: 1952 + (i % 68) as i32,
                seq: 1 + i / 68,
                kind: kinds[(i % 5) as usize],
                family_latin: family.latin.clone(),
                given_latin: given.latin.clone(),
                family_original: family.original.clone(),
                given_original: given.original.clone(),
                event_on: format!("{}", 1930 + i % 90),
            }
        })
        .collect()
}

pub async fn run(store: &Store, office: &Office, args: &CivilBenchArgs) -> Result<(), CliError> {
    let agent = registrar()?;
    let mut real = store.register(&RegisterQuery::default(), 200).await?;
    real.retain(|l| !l.case_number.starts_with("BENCH-"));
    if real.is_empty() {
        return Err(CliError::Usage("the register is empty: run `nansen demo` on this database first".into()));
    }
    let catalog = Catalog::embedded().map_err(usage)?;
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let have = u32::try_from(store.register_size().await?).unwrap_or(u32::MAX);
    if have < args.acts {
        let started = Instant::now();
        let mut at = have;
        while at < args.acts {
            let to = (at + 50_000).min(args.acts);
            store.fill_register_for_bench(&synthetic(at, to, &catalog, &mut rng)).await?;
            at = to;
        }
        println!("register filled to {} lines in {:.0} s", args.acts, started.elapsed().as_secs_f64());
    }
    println!(
        "database: {} register lines, {} journal entries ({:?})",
        store.register_size().await?,
        store.head().await?.size,
        store.backend()
    );
    println!("| request | rows | runs | median | p99 | slowest |");
    println!("|---|---|---|---|---|---|");

    // By number: real acts and benchmark lines alike.
    let mut times = Vec::new();
    for i in 0..args.searches {
        let number = if i % 2 == 0 {
            real[i % real.len()].number.clone()
        } else {
            format!("EC-{}-{:06}", 1952 + rng.gen_range(0..68), 1 + rng.gen_range(0..(args.acts / 68).max(1)))
        };
        let query =
            RegisterQuery { number: nansen_domain::protection::ActNumber::parse(&number).ok(), ..Default::default() };
        let started = Instant::now();
        civil::register(office, &agent, &query).await.map_err(usage)?;
        times.push(started.elapsed());
    }
    line("an act by number", 1, times);

    // By the start of a family name, in Latin letters then in the original script.
    for (what, original) in [
        ("acts by name, Latin letters (3 first letters)", false),
        ("acts by name, original script (2 first letters)", true),
    ] {
        let mut times = Vec::new();
        let mut rows = 0;
        for _ in 0..args.searches {
            let n = &catalog.nationalities[rng.gen_range(0..catalog.nationalities.len())];
            let f = &n.family_names[rng.gen_range(0..n.family_names.len())];
            let prefix: String =
                if original { f.original.chars().take(2).collect() } else { f.latin.chars().take(3).collect() };
            let query = RegisterQuery { name: Some(prefix), ..Default::default() };
            let started = Instant::now();
            rows += civil::register(office, &agent, &query).await.map_err(usage)?.len();
            times.push(started.elapsed());
        }
        line(what, rows / args.searches.max(1), times);
    }

    // The daily list of FGM follow-ups over `girls` girls (benchmark lines: due dates over the
    // coming five years, some overdue, majority within eighteen years).
    let have = store.fgm_due("0000-01-01", "9999-12-31", nansen_store::FGM_LIMIT).await?.len() as u32;
    if have < args.girls.min(nansen_store::FGM_LIMIT) {
        let today = time::OffsetDateTime::now_utc().date();
        let lines: Vec<nansen_store::FgmLine> = (0..args.girls)
            .map(|i| {
                let due = today + time::Duration::days(i64::from(i % 1900) - 60);
                let ends = today + time::Duration::days(200 + i64::from(i % 6500));
                nansen_store::FgmLine {
                    case_number: format!("BENCH-{i}"),
                    person: 1,
                    opened_on: (today - time::Duration::days(400)).to_string(),
                    ends_on: ends.to_string(),
                    due_on: due.to_string(),
                    certificates: i64::from(i % 3),
                    unsigned_reports: i64::from(i % 997 == 0),
                }
            })
            .collect();
        store.fill_fgm_for_bench(&lines).await?;
    }
    let mut times = Vec::new();
    let mut rows = 0;
    for _ in 0..args.searches {
        let started = Instant::now();
        let l = nansen_office::protection::fgm::follow_ups(office, &agent, Some(30)).await.map_err(usage)?;
        times.push(started.elapsed());
        rows = l.due.len() + l.unsigned.len();
    }
    line(&format!("the FGM daily list (30 days ahead, {} girls)", args.girls), rows, times);

    // Certified copies, `concurrency` registrars at once, on the demo's real acts.
    let acts: Arc<Vec<(String, String)>> =
        Arc::new(real.iter().map(|l| (l.case_number.clone(), l.number.clone())).collect());
    let per = args.copies.div_ceil(args.concurrency.max(1));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for w in 0..args.concurrency.max(1) {
        let (office, agent, acts) = (office.clone(), agent.clone(), acts.clone());
        tasks.spawn(async move {
            let mut times = Vec::with_capacity(per);
            for i in 0..per {
                let (case, act) = &acts[(w * per + i) % acts.len()];
                let op = CivilOp::Copy { act: nansen_domain::protection::ActNumber::parse(act).map_err(usage)? };
                let t = Instant::now();
                civil::act_on_civil_status(&office, &agent, case, op).await.map_err(usage)?;
                times.push(t.elapsed());
            }
            Ok::<_, CliError>(times)
        });
    }
    let mut times = Vec::new();
    while let Some(done) = tasks.join_next().await {
        times.extend(done.map_err(usage)??);
    }
    let wall = started.elapsed();
    let n = times.len();
    line(&format!("a certified copy issued, {} at once", args.concurrency), 1, times);
    println!("copies: {n} in {:.1} s, {:.1} per second", wall.as_secs_f64(), n as f64 / wall.as_secs_f64());
    Ok(())
}
