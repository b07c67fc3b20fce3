//! `nansen demo`: deterministic, realistic demo data. The same seed and the same day give the
//! same applications, persons, events and dates. Everything goes through the real path (domain
//! decisions, journal, read tables), as if agents had worked for months.

pub mod catalog;
mod generator;
mod staff;
mod texts;

use std::time::Instant;

use nansen_store::{Action, Op, Store};
use time::{Date, OffsetDateTime};

pub use generator::Generator;

use crate::CliError;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "nansen-demo";

#[derive(clap::Args, Clone)]
pub struct DemoArgs {
    /// Seed of the random choices: the same seed gives the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// How many applications to create.
    #[arg(long, default_value_t = 2000)]
    pub applications: usize,
    /// The day the demo treats as today (default: the current UTC date).
    #[arg(long, value_parser = parse_date)]
    pub today: Option<Date>,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s, time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("{s}: {e} (expected YYYY-MM-DD)"))
}

/// Fills an empty database with the default demo data; does nothing when it holds applications.
pub async fn ensure(store: &Store) -> Result<(), CliError> {
    if store.count_cases().await? > 0 {
        println!("The database already holds applications: demo data not added.");
        staff::print_table(&staff::Staff::demo());
        return Ok(());
    }
    run(store, &DemoArgs { seed: 1, applications: 2000, today: None }).await
}

/// Applications committed per transaction.
const CASES_PER_BATCH: usize = 200;

pub async fn run(store: &Store, args: &DemoArgs) -> Result<(), CliError> {
    let existing = store.count_cases().await?;
    if existing > 0 {
        return Err(CliError::Usage(format!(
            "the database already holds {existing} applications; demo data goes into an empty database \
             (choose another --data-dir or NANSEN_DATABASE_URL)"
        )));
    }
    let started = Instant::now();
    let today = args.today.unwrap_or_else(|| OffsetDateTime::now_utc().date());
    let staff = staff::Staff::demo();
    staff::create_accounts(store, &staff, today).await?;
    let mut generator = Generator::new(args.seed, today).map_err(CliError::Usage)?;
    let events_before = store.head().await?.size;
    let mut created = 0usize;
    let mut refused = Vec::new();
    let mut pending: Option<tokio::task::JoinHandle<Result<Vec<String>, CliError>>> = None;
    while created < args.applications {
        let n = CASES_PER_BATCH.min(args.applications - created);
        let scripts: Vec<Vec<Op>> = (0..n).map(|_| generator.case_script()).collect();
        created += n;
        // Commit the previous batch while this one was generated; keep one in flight.
        if let Some(task) = pending.take() {
            refused.extend(task.await.map_err(|e| CliError::Usage(e.to_string()))??);
        }
        let store = store.clone();
        pending = Some(tokio::spawn(async move { commit_scripts(&store, scripts).await }));
    }
    if let Some(task) = pending.take() {
        refused.extend(task.await.map_err(|e| CliError::Usage(e.to_string()))??);
    }
    if !refused.is_empty() {
        return Err(CliError::Usage(format!(
            "{} demo commands were refused by the domain rules (a bug in the generator); first: {}",
            refused.len(),
            refused.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
        )));
    }
    let events = store.head().await?.size - events_before;
    let elapsed = started.elapsed();
    staff::print_table(&staff);
    println!(
        "demo data: {created} applications, {events} journal events, in {:.1} s (seed {}, today {today}, {:?})",
        elapsed.as_secs_f64(),
        args.seed,
        store.backend()
    );
    portal_accounts(store).await?;
    println!("every demo account's password is {DEMO_PASSWORD}");
    Ok(())
}

/// A few applicants, one per step of the procedure, get an active secure space (password
/// `nansen-demo`) so that the portal can be tried at once; the others activate theirs with the
/// code of their receipt as real applicants do.
async fn portal_accounts(store: &Store) -> Result<(), CliError> {
    use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(DEMO_PASSWORD.as_bytes(), &salt)
        .map_err(|e| CliError::Usage(format!("hashing: {e}")))?
        .to_string();
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let mut shown = Vec::new();
    for status in ["incomplete", "interview_scheduled", "signed", "notified"] {
        let filter = nansen_store::CaseFilter { status: Some(status.into()), limit: 1, ..Default::default() };
        if let Some(case) = store.list_cases(&filter).await?.into_iter().next() {
            store.portal_set_password(&case.number, &hash, now).await?;
            shown.push(format!("{} ({status})", case.number));
        }
    }
    if !shown.is_empty() {
        println!("applicants' secure space (/portal), file number and password {DEMO_PASSWORD}: {}", shown.join(", "));
    }
    Ok(())
}

/// Registers each scripted case (the store allocates its number), then applies the rest of its
/// script to that number, all in one transaction per batch; returns the domain refusals.
async fn commit_scripts(store: &Store, scripts: Vec<Vec<Op>>) -> Result<Vec<String>, CliError> {
    let mut refused = Vec::new();
    let mut registrations = Vec::with_capacity(scripts.len());
    let mut rests = Vec::with_capacity(scripts.len());
    for script in scripts {
        let mut ops = script.into_iter();
        if let Some(first) = ops.next() {
            registrations.push(first);
            rests.push(ops.collect::<Vec<_>>());
        }
    }
    let results = store.execute(registrations).await?;
    let mut follow_ups = Vec::new();
    for (result, rest) in results.into_iter().zip(rests) {
        match result {
            Ok(applied) => {
                let Some(case) = applied.case else { continue };
                for mut op in rest {
                    if let Action::Case { number, .. } = &mut op.action {
                        *number = case.number;
                    }
                    follow_ups.push(op);
                }
            }
            Err(e) => refused.push(format!("registration: {e}")),
        }
    }
    let labels: Vec<String> = follow_ups.iter().map(describe).collect();
    for (result, label) in store.execute(follow_ups).await?.into_iter().zip(labels) {
        if let Err(e) = result {
            refused.push(format!("{label}: {e}"));
        }
    }
    Ok(refused)
}

fn describe(op: &Op) -> String {
    match &op.action {
        Action::Case { number, command } => format!("{number} {} at {}", command.kind(), op.now),
        other => format!("{other:?}"),
    }
}
