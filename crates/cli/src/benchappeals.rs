//! `nansen bench appeals`: the legal consultants' reads at national scale. On the statistics
//! benchmark's database (years of activity through the real write path), times the appeals list
//! with the hearings' calendar and the appeal page of random appeals, each authorized and
//! journaled as a consultant's request is.

use std::time::{Duration, Instant};

use nansen_office::Office;
use nansen_store::Store;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use time::{Date, Month};

use crate::benchstats::{ensure_activity, median_p99, ms, usage, StatsBenchArgs};
use crate::CliError;

fn line(what: &str, rows: usize, mut times: Vec<Duration>) {
    let cold = times.remove(0);
    times.sort();
    let (median, p99) = median_p99(&times);
    println!("| {what} | {rows} | {:.1} ms | {:.1} ms | {:.1} ms |", ms(cold), ms(median), ms(p99));
}

pub async fn run(store: &Store, office: &Office, args: &StatsBenchArgs) -> Result<(), CliError> {
    let last_year = ensure_activity(store, office, args).await?;
    let login = nansen_domain::ids::Login::parse("jur.fontana").map_err(usage)?;
    let consultant = nansen_office::Agent {
        principal: nansen_office::Principal {
            login: login.to_string(),
            role: nansen_office::Role::LegalConsultant,
            division: None,
            section: None,
        },
        login,
        display_name: "Sarah Fontana".into(),
    };
    println!(
        "database: {} cases, {} journal entries ({:?})",
        store.count_cases().await?,
        store.head().await?.size,
        store.backend()
    );
    println!("| request | rows | first (cold) | warm median | warm p99 |");
    println!("|---|---|---|---|---|");
    // The generated years end on 31 December: their hearings fall around the turn of the year.
    let from = Date::from_calendar_date(last_year, Month::November, 1).map_err(usage)?;
    let until = Date::from_calendar_date(last_year + 1, Month::January, 31).map_err(usage)?;
    let mut times = Vec::new();
    let mut shown = (0, 0);
    let mut numbers = Vec::new();
    for _ in 0..=args_repeat(args) {
        let started = Instant::now();
        let v = nansen_office::protection::appeals(office, &consultant, None, Some(from), Some(until))
            .await
            .map_err(usage)?;
        times.push(started.elapsed());
        shown = (v.pending.len(), v.hearings.len());
        numbers = v.pending.iter().map(|l| l.number.clone()).collect();
    }
    line("appeals list and 3 months of hearings", shown.0 + shown.1, times);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    numbers.shuffle(&mut rng);
    let mut times = Vec::new();
    for number in numbers.iter().take(200) {
        let started = Instant::now();
        nansen_office::protection::read_appeal(office, &consultant, number).await.map_err(usage)?;
        times.push(started.elapsed());
    }
    if !times.is_empty() {
        line("one appeal's page (random appeals)", times.len(), times);
    }
    Ok(())
}

fn args_repeat(args: &StatsBenchArgs) -> usize {
    args.repeat().max(1)
}
