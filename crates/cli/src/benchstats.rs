//! `nansen bench stats`: the statistics at national scale. Fills an empty database with years of
//! office activity through the real write path (domain, journal, read tables and the statistics
//! projection; letters are left out: they weigh on documents, not on counting), reports the
//! generator's time and the database's size, then times each statistics table for the last full
//! year, first (cold) and repeated (warm), and the charts' figures as the page asks them.

use std::time::{Duration, Instant};

use nansen_domain::statistics::{Period, TableId};
use nansen_office::Office;
use nansen_store::{Action, Op, Store};
use time::{Date, Month};

use crate::demo::staff::{create_accounts, Staff};
use crate::demo::Generator;
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct StatsBenchArgs {
    /// Applications to create in all, spread evenly over the years (skipped if the database
    /// already holds applications: the tables are then timed on what is there).
    #[arg(long, default_value_t = 150_000)]
    applications: usize,
    /// Years of activity, ending with the last full year.
    #[arg(long, default_value_t = 10)]
    years: i32,
    #[arg(long, default_value_t = 11)]
    seed: u64,
    /// Warm runs of each table.
    #[arg(long, default_value_t = 10)]
    repeat: usize,
}

impl StatsBenchArgs {
    /// Warm runs of each measure.
    pub fn repeat(&self) -> usize {
        self.repeat
    }
}

/// Applications per transaction while generating.
const BATCH: usize = 500;

pub(crate) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(crate) fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

async fn generate(store: &Store, args: &StatsBenchArgs, last_year: i32) -> Result<(), CliError> {
    let first_year = last_year - args.years.max(1) + 1;
    let staff = Staff::demo();
    let end = Date::from_calendar_date(last_year, Month::December, 31).map_err(usage)?;
    create_accounts(store, &staff, end).await?;
    let started = Instant::now();
    let per_year = args.applications / args.years.max(1) as usize;
    let mut created = 0usize;
    for year in first_year..=last_year {
        // Each year's histories end before its last day: a year of work, then the next.
        let today = Date::from_calendar_date(year, Month::December, 31).map_err(usage)?;
        let mut generator = Generator::new(args.seed.wrapping_add(year as u64), today).map_err(CliError::Usage)?;
        let mut left = per_year;
        while left > 0 {
            let n = BATCH.min(left);
            left -= n;
            let scripts: Vec<Vec<Op>> = (0..n).map(|_| generator.case_script()).collect();
            let mut registrations = Vec::with_capacity(n);
            let mut rests = Vec::with_capacity(n);
            for script in scripts {
                let mut ops = script.into_iter();
                if let Some(first) = ops.next() {
                    registrations.push(first);
                    rests.push(ops.collect::<Vec<_>>());
                }
            }
            let mut follow_ups = Vec::new();
            for (result, rest) in store.execute(registrations).await?.into_iter().zip(rests) {
                let Ok(applied) = result else { continue };
                let Some(case) = applied.case else { continue };
                for mut op in rest {
                    if let Action::Case { number, .. } = &mut op.action {
                        *number = case.number;
                    }
                    follow_ups.push(op);
                }
            }
            store.execute(follow_ups).await?;
            created += n;
        }
        eprintln!("  {year}: {created} applications so far, {:.0} s", started.elapsed().as_secs_f64());
    }
    let events = store.head().await?.size;
    println!(
        "generated {created} applications over {} years ({first_year}–{last_year}): {events} journal entries in {:.0} s ({:?})",
        args.years,
        started.elapsed().as_secs_f64(),
        store.backend()
    );
    Ok(())
}

/// Fills an empty database with the benchmark's years of activity (a database that holds
/// applications is used as it is); returns the last full year.
pub(crate) async fn ensure_activity(store: &Store, office: &Office, args: &StatsBenchArgs) -> Result<i32, CliError> {
    let last_year = office.today().year() - 1;
    if store.count_cases().await? == 0 {
        generate(store, args, last_year).await?;
        let started = Instant::now();
        store.analyze().await?;
        println!("ANALYZE after the bulk load: {:.0} s", started.elapsed().as_secs_f64());
    }
    Ok(last_year)
}

/// The median and the 99th percentile of sorted durations.
pub(crate) fn median_p99(sorted: &[Duration]) -> (Duration, Duration) {
    if sorted.is_empty() {
        return (Duration::ZERO, Duration::ZERO);
    }
    let p99 = ((sorted.len() as f64 * 0.99).ceil() as usize).clamp(1, sorted.len()) - 1;
    (sorted[sorted.len() / 2], sorted[p99])
}

pub async fn run(store: &Store, office: &Office, args: &StatsBenchArgs) -> Result<(), CliError> {
    let last_year = ensure_activity(store, office, args).await?;
    let size = store.database_bytes().await?;
    let head = store.head().await?.size;
    println!(
        "database: {} cases, {head} journal entries, {:.0} MB ({:?})",
        store.count_cases().await?,
        size as f64 / 1e6,
        store.backend()
    );
    let year = Period::parse(&last_year.to_string(), office.today()).map_err(usage)?;
    println!("| table | period | rows | first (cold) | warm median | warm p99 |");
    println!("|---|---|---|---|---|---|");
    for id in TableId::ALL {
        let period = if id == TableId::ApplicantsMonthly || id == TableId::Pending {
            Period::parse(&format!("{last_year}-01/{last_year}-12"), office.today()).map_err(usage)?
        } else {
            year
        };
        let started = Instant::now();
        let t = nansen_office::statistics::compute(office, id, &period, false).await.map_err(usage)?;
        let cold = started.elapsed();
        let mut warm = Vec::with_capacity(args.repeat);
        for _ in 0..args.repeat.max(1) {
            let started = Instant::now();
            nansen_office::statistics::compute(office, id, &period, false).await.map_err(usage)?;
            warm.push(started.elapsed());
        }
        warm.sort();
        println!(
            "| {id} | {period} | {} | {:.0} ms | {:.0} ms | {:.0} ms |",
            t.rows.len(),
            ms(cold),
            ms(warm[warm.len() / 2]),
            ms(warm[((warm.len() as f64 * 0.99).ceil() as usize).clamp(1, warm.len()) - 1])
        );
    }
    // The charts page's figures, as the director asks them (authorized and journaled each time).
    let login = nansen_domain::ids::Login::parse("dg.vasseur").map_err(usage)?;
    let director = nansen_office::Agent {
        principal: nansen_office::Principal {
            login: login.to_string(),
            role: nansen_office::Role::Director,
            division: None,
            section: None,
        },
        login,
        display_name: "Hélène Vasseur".into(),
    };
    let period = last_year.to_string();
    let mut times = Vec::new();
    for _ in 0..=args.repeat.max(1) {
        let started = Instant::now();
        nansen_office::statistics::dashboard(office, &director, &period).await.map_err(usage)?;
        times.push(started.elapsed());
    }
    let cold = times.remove(0);
    times.sort();
    println!(
        "| charts page figures (dashboard) | {period} | — | {:.0} ms | {:.0} ms | {:.0} ms |",
        ms(cold),
        ms(times[times.len() / 2]),
        ms(times[((times.len() as f64 * 0.99).ceil() as usize).clamp(1, times.len()) - 1])
    );
    Ok(())
}
