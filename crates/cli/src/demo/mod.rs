//! `nansen demo`: deterministic, realistic demo data. The same seed and the same day give the
//! same applications, persons, events and dates. Everything goes through the real path (domain
//! decisions, journal, read tables), as if agents had worked for months.

pub mod catalog;
mod civil;
mod endings;
mod generator;
mod library;
mod planning;
mod reception;
mod requests;
pub(crate) mod staff;
mod texts;

use std::time::Instant;

use nansen_domain::lifecycle::{decide, evolve, Case, Command, Ctx};
use nansen_office::letters::{self, LetterKind};
use nansen_office::Office;
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
pub async fn ensure(store: &Store, office: &Office) -> Result<(), CliError> {
    if store.count_cases().await? > 0 {
        println!("The database already holds applications: demo data not added.");
        staff::print_table(&staff::Staff::demo());
        return Ok(());
    }
    run(store, office, &DemoArgs { seed: 1, applications: 2000, today: None }).await
}

/// Applications committed per transaction.
const CASES_PER_BATCH: usize = 200;

pub async fn run(store: &Store, office: &Office, args: &DemoArgs) -> Result<(), CliError> {
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
    let progress = crate::progress::Progress::new(
        "demo",
        Some(args.applications as u64),
        crate::progress::Unit::Items("applications"),
    );
    while created < args.applications {
        let n = CASES_PER_BATCH.min(args.applications - created);
        let scripts: Vec<Vec<Op>> = (0..n).map(|_| generator.case_script()).collect();
        created += n;
        // Commit the previous batch while this one was generated; keep one in flight.
        if let Some(task) = pending.take() {
            refused.extend(task.await.map_err(|e| CliError::Usage(e.to_string()))??);
            progress.set((created - n) as u64);
        }
        let (store, office) = (store.clone(), office.clone());
        pending = Some(tokio::spawn(async move { commit_scripts(&store, &office, scripts).await }));
    }
    if let Some(task) = pending.take() {
        refused.extend(task.await.map_err(|e| CliError::Usage(e.to_string()))??);
    }
    progress.set(created as u64);
    progress.finish();
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
    let registrar = nansen_domain::Login::parse("ec.morel").map_err(|e| CliError::Usage(e.to_string()))?;
    let acts = civil::registers(store, office, &registrar, today).await?;
    println!("civil status: {acts} acts drawn up, some with mentions");
    let endings = endings::procedures(store, office, today).await?;
    println!("end of protection: {endings} procedures (awaiting an answer, to sign, ended, maintained)");
    let (structures, places, households) = reception::agency(store, office, args.seed, today).await?;
    println!(
        "reception: {structures} structures, {places} places, {households} households, last month's allowance paid"
    );
    let (interpreters, rooms, sent) = planning::planning(store, office, today).await?;
    println!(
        "planning: {interpreters} interpreters, {rooms} rooms, next week's asia interviews sent ({sent} convocations)"
    );
    portal_accounts(store).await?;
    reference_notes(office).await?;
    let (documents, passages) = library::library(office, args.seed, today).await?;
    println!("library: {documents} country-of-origin documents in French, English and Arabic, {passages} passages");
    let (open, published) = requests::requests(store, office, today).await?;
    println!(
        "research: {open} requests open (in the queue, being researched, in review), {published} published as a note"
    );
    println!("every demo account's password is {DEMO_PASSWORD}");
    Ok(())
}

/// The harmonisation committee's reference notes on two countries (one in its second version),
/// published through the office as the committee does.
async fn reference_notes(office: &Office) -> Result<(), CliError> {
    let login = nansen_domain::ids::Login::parse("harmo.benoit").map_err(|e| CliError::Usage(e.to_string()))?;
    let agent = nansen_office::Agent {
        principal: nansen_office::Principal {
            login: login.to_string(),
            role: nansen_office::Role::HarmonisationOfficer,
            division: None,
            section: None,
        },
        login,
        display_name: "Julie Benoît".into(),
    };
    for (nat, title, body, sources) in texts::REFERENCE_NOTES {
        let note = nansen_office::statistics::NewNote {
            title: (*title).into(),
            body: (*body).into(),
            sources: sources.iter().map(|s| (*s).to_owned()).collect(),
        };
        nansen_office::statistics::publish_note(office, &agent, nat, note)
            .await
            .map_err(|e| CliError::Usage(format!("demo reference note {nat}: {e}")))?;
    }
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
    // A protected person with civil-status acts, who asks for copies from their space.
    let query = nansen_store::RegisterQuery::default();
    if let Some(act) = store.register(&query, 1).await?.into_iter().next() {
        store.portal_set_password(&act.case_number, &hash, now).await?;
        shown.push(format!("{} (protected, civil-status acts)", act.case_number));
    }
    // A protected person asked to answer before the office decides to end their protection.
    let asked = store.endings_open(50).await?.into_iter().find(|l| l.answered_on.is_none() && l.drafted_on.is_none());
    if let Some(l) = asked {
        store.portal_set_password(&l.case_number, &hash, now).await?;
        shown.push(format!("{} (protected, asked to answer before an end of protection)", l.case_number));
    }
    if !shown.is_empty() {
        println!("applicants' secure space (/portal), file number and password {DEMO_PASSWORD}: {}", shown.join(", "));
    }
    Ok(())
}

/// Registers each scripted case (the store allocates its number), then applies the rest of its
/// script to that number, with the letters the office would have issued on the way, all in one
/// transaction per batch; returns the domain refusals.
async fn commit_scripts(store: &Store, office: &Office, scripts: Vec<Vec<Op>>) -> Result<Vec<String>, CliError> {
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
    let registered_by: Vec<_> = registrations.iter().map(|op| (op.actor.clone(), op.now)).collect();
    let results = store.execute(registrations).await?;
    // The letters of each case are printed and stored concurrently (printing and storing
    // overlap), then put back in the order of the scripts so that the same seed gives the same data.
    let mut printing = tokio::task::JoinSet::new();
    for (i, ((result, rest), by)) in results.into_iter().zip(rests).zip(registered_by).enumerate() {
        match result {
            Ok(applied) => {
                let Some(case) = applied.case else { continue };
                let office = office.clone();
                printing.spawn(async move { (i, with_letters(&office, case, by, rest).await) });
            }
            Err(e) => refused.push(format!("registration: {e}")),
        }
    }
    let mut scripts = Vec::with_capacity(printing.len());
    while let Some(done) = printing.join_next().await {
        let (i, ops) = done.map_err(|e| CliError::Usage(format!("printing the demo's letters: {e}")))?;
        scripts.push((i, ops?));
    }
    scripts.sort_by_key(|(i, _)| *i);
    let follow_ups: Vec<Op> = scripts.into_iter().flat_map(|(_, ops)| ops).collect();
    let labels: Vec<String> = follow_ups.iter().map(describe).collect();
    for (result, label) in store.execute(follow_ups).await?.into_iter().zip(labels) {
        if let Err(e) = result {
            refused.push(format!("{label}: {e}"));
        }
    }
    Ok(refused)
}

/// The rest of a registered case's script, named by its number, with the letters a real case
/// carries where the office issues them (printed through the office's letters, as of that day):
/// the receipt with the registration, the request for missing items when the file is found
/// incomplete, the convocation with the interview's scheduling, and the decision with its
/// notification (the script's `MakeAvailable` becomes the product's `NotifyDecision`).
async fn with_letters(
    office: &Office,
    registered: Case,
    (secretary, registered_at): (nansen_domain::Login, OffsetDateTime),
    rest: Vec<Op>,
) -> Result<Vec<Op>, CliError> {
    let number = registered.number;
    let letter = |actor: &nansen_domain::Login, now: OffsetDateTime, command: Command| Op {
        actor: actor.clone(),
        now,
        action: Action::Case { number, command },
    };
    // The n-th document of the case: two letters of one kind (a second convocation) differ.
    let issue = |letter, kind, n: usize| Command::IssueLetter { letter, reference: reference(number, kind, n) };
    let mut out = Vec::with_capacity(rest.len() + 4);
    let receipt = print(office, &registered, LetterKind::Receipt, registered_at).await?;
    out.push(letter(&secretary, registered_at, issue(receipt, LetterKind::Receipt, registered.documents.len())));
    // The case as each step leaves it, to print the next letter from.
    let mut case = registered;
    for mut op in rest {
        let Action::Case { number: n, command } = &mut op.action else {
            out.push(op);
            continue;
        };
        *n = number;
        if matches!(command, Command::MakeAvailable) {
            let decision = print(office, &case, LetterKind::Decision, op.now).await?;
            *command = Command::NotifyDecision {
                letter: decision,
                reference: reference(number, LetterKind::Decision, case.documents.len()),
            };
        }
        let follows = match command {
            Command::ScheduleInterview(_) => Some(LetterKind::Convocation),
            Command::MarkIncomplete { .. } => Some(LetterKind::MissingItems),
            Command::Close { ground: nansen_domain::ClosureGround::AbsenceFromInterview } => {
                Some(LetterKind::ClosureForAbsence)
            }
            _ => None,
        };
        // A step the domain refuses is reported by the store when the batch is applied.
        if let Ok(events) = decide(&case, command, &Ctx::new(op.actor.clone(), op.now, office.rules())) {
            for e in &events {
                case = evolve(case, e);
            }
        }
        let (actor, now) = (op.actor.clone(), op.now);
        out.push(op);
        if let Some(kind) = follows {
            let printed = print(office, &case, kind, now).await?;
            out.push(letter(&actor, now, issue(printed, kind, case.documents.len())));
        }
    }
    Ok(out)
}

/// A letter printed and stored through the office, as of `at`.
async fn print(
    office: &Office,
    case: &Case,
    kind: LetterKind,
    at: OffsetDateTime,
) -> Result<nansen_domain::documents::NewDocument, CliError> {
    letters::print_as_of(office, case, kind, at).await.map_err(|e| CliError::Usage(format!("{}: {e}", case.number)))
}

/// The reference of a demo letter in the applicant's space, drawn from the case and the letter
/// so that the same seed gives the same data (the office draws real ones at random).
fn reference(number: nansen_domain::CaseNumber, kind: LetterKind, n: usize) -> String {
    reference_for(number, &format!("{kind:?}"), n)
}

/// A demo reference drawn from the case, a tag naming the letter, and the file's size.
pub(crate) fn reference_for(number: nansen_domain::CaseNumber, tag: &str, n: usize) -> String {
    use rand::{Rng, SeedableRng};
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let seed = format!("{number}:{tag}:{n}")
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    (0..nansen_domain::portal::REFERENCE_LEN).map(|_| char::from(ALPHABET[rng.gen_range(0..32)])).collect()
}

fn describe(op: &Op) -> String {
    match &op.action {
        Action::Case { number, command } => format!("{number} {} at {}", command.kind(), op.now),
        other => format!("{other:?}"),
    }
}
