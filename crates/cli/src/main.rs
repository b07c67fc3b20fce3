//! `nansen`: the one binary. It owns the command line and the wiring of the adapters (store,
//! web); rules live in `nansen-domain`, storage in `nansen-store`.

#![forbid(unsafe_code)]

mod backup;
mod bench;
mod benchappeals;
mod benchcivil;
mod benchlibrary;
mod benchnames;
mod benchnotices;
mod benchorientation;
mod benchreception;
mod benchstats;
mod coi;
mod demo;
mod loadweb;
mod progress;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use nansen_store::{CaseFilter, Config, Store};

#[derive(Parser)]
#[command(name = "nansen", version, about = "Nansen: the information system of a refugee protection office")]
struct Cli {
    /// Where the SQLite file, the journal signing key and stored documents live.
    #[arg(long, env = "NANSEN_DATA_DIR", default_value = "data", global = true)]
    data_dir: PathBuf,
    /// A PostgreSQL URL (postgres://…) to use instead of the embedded SQLite file.
    #[arg(long, env = "NANSEN_DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// The Ed25519 key that signs journal heads (default: DATA_DIR/journal-signing.key).
    #[arg(long, env = "NANSEN_SIGNING_KEY", global = true)]
    signing_key: Option<PathBuf>,
    /// Where documents are stored: a directory (default DATA_DIR/documents) or `s3://bucket/prefix`
    /// (endpoint, region and keys from NANSEN_S3_ENDPOINT, NANSEN_S3_REGION, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY; NANSEN_S3_ALLOW_HTTP=1 for a server without TLS).
    #[arg(long, env = "NANSEN_DOCUMENTS", global = true)]
    document_store: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Prepare the database (create or upgrade its tables).
    Migrate,
    /// Create deterministic, realistic demo data and one account per role.
    Demo(demo::DemoArgs),
    /// Serve Nansen over HTTP.
    Serve(Box<serve::ServeArgs>),
    /// Check the tamper-evident journal.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Look after the document store.
    Documents {
        #[command(subcommand)]
        command: DocumentsCommand,
    },
    /// Look after agents' accounts.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Recompute every read table from the journal and compare with what was there; rebuild the
    /// library's search index from them.
    Rebuild,
    /// The research division's country-of-origin library.
    Coi {
        #[command(subcommand)]
        command: CoiCommand,
    },
    /// Write a backup of the database, the documents and the keys (encrypted) into a new
    /// directory, while the server runs.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty place (a new data directory, an empty PostgreSQL database).
    Restore(backup::RestoreArgs),
    /// List cases, most urgent decision deadline first (the query behind the queues).
    Cases {
        #[arg(long)]
        division: Option<String>,
        #[arg(long)]
        officer: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        nationality: Option<String>,
        /// A name in any spelling or script (Mohamed finds Muhammad, Мухаммед, محمد; one typo forgiven).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// Run the query this many times and report the median and slowest time (a server
        /// keeps its connections and prepared statements; the first run pays for both).
        #[arg(long, default_value_t = 1)]
        repeat: u32,
    },
    /// Compute a statistics table from the journal's current head (Eurostat, annual report, bridge).
    Stats(StatsArgs),
    /// Measure durable appends (see the README's performance section).
    Bench(bench::BenchArgs),
    /// Put a bounded HTTP load on a running server: page and signature latencies.
    Load(loadweb::LoadArgs),
    /// Run concurrent commands and print each acknowledged one (used by the crash test).
    #[command(hide = true)]
    Loadgen(bench::LoadgenArgs),
}

#[derive(clap::Args)]
struct StatsArgs {
    /// The table: migr_asyappctzm, migr_asyappctza, migr_asydcfsta, migr_asypenctzm,
    /// report_applications, report_decisions, report_processing_time, report_pending,
    /// report_activity, bridge.
    table: String,
    /// A month (2025-03), a year (2025) or a range (2025-01/2025-06, 2016/2025).
    #[arg(long)]
    period: String,
    /// csv, sdmx (Eurostat datasets only; always published) or json.
    #[arg(long, default_value = "csv")]
    format: String,
    /// Fit to leave the office: small cells suppressed, counts rounded (dated rules).
    #[arg(long)]
    published: bool,
    /// Compute it this many times and report the median and slowest time on standard error.
    #[arg(long, default_value_t = 1)]
    repeat: u32,
}

#[derive(Subcommand)]
enum CoiCommand {
    /// Import every document a directory's `catalogue.toml` describes (PDF, HTML, plain text), as
    /// a research assistant (`--as`); a document already in the library is skipped, so an import
    /// can be run again.
    Import {
        dir: PathBuf,
        /// The research assistant's login the import is journaled under.
        #[arg(long = "as")]
        login: String,
    },
}

#[derive(Subcommand)]
enum AccountsCommand {
    /// Link an agent's account to the identity the state's provider vouches for: the value of
    /// the claim NANSEN_OIDC_CLAIM names (the work e-mail address by default). Journaled.
    Link { login: String, identity: String },
    /// Unlink it: the agent can no longer sign in through the provider. Journaled.
    Unlink { login: String },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Verify the whole journal; exits non-zero naming the first entry that does not match.
    Verify {
        /// Check an inclusion proof made by `nansen audit prove` instead of the whole journal.
        #[arg(long)]
        proof: Option<PathBuf>,
        /// Also re-read every stored document and check that its content still has the SHA-256
        /// the journal recorded; names each missing or altered one.
        #[arg(long)]
        documents: bool,
    },
    /// Print an inclusion proof of entry SEQ against the latest signed tree head (JSON).
    Prove { seq: u64 },
}

#[derive(Subcommand)]
enum DocumentsCommand {
    /// Remove stored objects that no document references (a batch refused after its bytes were
    /// stored, a crash between storing and committing), if they were written longer ago than
    /// the grace period: an object stored just before its commit is referenced a moment later.
    Gc {
        /// The grace period, e.g. `24h`, `7d`, `90m`: at least the longest upload plus its commit.
        #[arg(long, value_parser = parse_duration)]
        older_than: std::time::Duration,
        /// Name what would be removed, and remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// `nansen stats`: the table on standard output, the head it was computed from on standard error.
async fn stats(office: &nansen_office::Office, args: &StatsArgs) -> Result<(), CliError> {
    use nansen_domain::statistics::{to_csv, to_sdmx};
    use nansen_office::statistics::{compute, parse_request};
    let usage = |e: nansen_office::OfficeError| CliError::Usage(e.to_string());
    let (id, period) = parse_request(office, &args.table, &args.period).map_err(usage)?;
    let sdmx = match args.format.as_str() {
        "csv" | "json" => false,
        "sdmx" => true,
        other => return Err(CliError::Usage(format!("--format {other:?}: csv, sdmx or json"))),
    };
    if sdmx && !id.is_eurostat() {
        return Err(CliError::Usage(format!("{id} is not an Eurostat dataset: use --format csv or json")));
    }
    let mut times = Vec::new();
    let mut table = None;
    for _ in 0..args.repeat.max(1) {
        let started = std::time::Instant::now();
        table = Some(compute(office, id, &period, args.published || sdmx).await.map_err(usage)?);
        times.push(started.elapsed());
    }
    let Some(table) = table else { return Ok(()) };
    let out = match args.format.as_str() {
        "json" => serde_json::to_string_pretty(&table).map_err(|e| CliError::Usage(e.to_string()))?,
        "sdmx" => to_sdmx(&table).map_err(|e| CliError::Usage(e.to_string()))?,
        _ => to_csv(&table),
    };
    print!("{out}");
    times.sort();
    eprintln!(
        "{id} {period}: {} rows from journal head {} (root {}); computed in {:.1} ms (median of {}), slowest {:.1} ms",
        table.rows.len(),
        table.snapshot.size,
        table.snapshot.root,
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times.len(),
        times.last().map(|t| t.as_secs_f64() * 1000.0).unwrap_or_default()
    );
    Ok(())
}

/// The office an administrative command (demo, stats, bench) works through: the data
/// directory's document store and seal key (the ones `serve` uses), the system clock.
fn command_office(
    store: &Store,
    documents_url: &str,
    staging_dir: PathBuf,
    data_dir: &std::path::Path,
) -> Result<nansen_office::Office, CliError> {
    let documents = open_documents(documents_url)?;
    let office_config = nansen_office::OfficeConfig {
        staging_dir,
        // Copies are sealed with the key `serve` verifies them with.
        seal: std::sync::Arc::new(serve::seal_key(data_dir, None)?),
        public_url: serve::public_url(None, None),
        library_index: Some(data_dir.join("library-index")),
        ..nansen_office::OfficeConfig::default()
    };
    nansen_office::Office::new(store.clone(), office_config, documents, nansen_office::Clock::system())
        .map_err(|e| CliError::Usage(e.to_string()))
}
/// A duration as `<number><unit>`, the unit one of `s`, `m`, `h`, `d`.
fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let unit_at = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(unit_at);
    let number: u64 = number.parse().map_err(|_| format!("{text:?}: a number and a unit, like 24h or 7d"))?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{text:?}: the unit is s, m, h or d, like 24h or 7d")),
    };
    number.checked_mul(seconds).map(std::time::Duration::from_secs).ok_or_else(|| format!("{text:?}: too long"))
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Store(#[from] nansen_store::StoreError),
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("NANSEN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("nansen: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("nansen: {e}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode, CliError> {
    // The load generator talks to a server over HTTP; it opens no store of its own.
    if let Command::Load(args) = &cli.command {
        loadweb::run(args).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let documents_url = match &cli.document_store {
        Some(url) if !url.is_empty() => url.clone(),
        _ => cli.data_dir.join("documents").display().to_string(),
    };
    let staging_dir = cli.data_dir.join("staging");
    let data_dir = cli.data_dir.clone();
    let config = Config {
        data_dir: cli.data_dir,
        database_url: cli.database_url.filter(|u| !u.is_empty()),
        signing_key: cli.signing_key,
    };
    // A restore writes the database and the keys that opening a store would create.
    if let Command::Restore(args) = &cli.command {
        backup::restore(&config, &documents_url, args).await?;
        return Ok(ExitCode::SUCCESS);
    }
    let store = Store::open(&config).await?;
    let code = match cli.command {
        Command::Restore(_) => ExitCode::SUCCESS,
        Command::Backup(args) => {
            let documents = open_documents(&documents_url)?;
            backup::backup(&store, &config, &documents, &args).await?;
            ExitCode::SUCCESS
        }
        Command::Migrate => {
            println!("database ready ({:?})", store.backend());
            ExitCode::SUCCESS
        }
        Command::Demo(args) => {
            // The demo's letters are printed and stored as the office does: through an office.
            let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
            demo::run(&store, &office, &args).await?;
            ExitCode::SUCCESS
        }
        Command::Coi { command: CoiCommand::Import { dir, login } } => {
            let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
            let report = coi::import(&office, &store, &dir, &login).await?;
            println!("{report}");
            if report.refused.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Serve(args) => {
            let documents = open_documents(&documents_url)?;
            serve::run(store.clone(), *args, documents, staging_dir, &data_dir).await?;
            ExitCode::SUCCESS
        }
        Command::Audit { command: AuditCommand::Verify { proof: None, documents } } => {
            let progress =
                std::sync::Arc::new(progress::Progress::new("journal", Some(0), progress::Unit::Items("entries")));
            let outcome = store.verify_with(progress.for_store()).await?;
            progress.finish();
            let journal = match outcome {
                Ok(report) => {
                    println!("{report}");
                    true
                }
                Err(failure) => {
                    println!("journal verification FAILED: {failure}");
                    false
                }
            };
            let files = if documents {
                let objects = open_documents(&documents_url)?;
                let intact = audit_documents(&store, &objects).await?;
                // Harmless (nothing refers to them), but named: `nansen documents gc` removes them.
                let unreferenced = unreferenced_objects(&store, &objects, std::time::Duration::ZERO).await?;
                for object in &unreferenced {
                    println!(
                        "object {} ({} bytes, written {}) is referenced by no document",
                        object.hash,
                        object.size,
                        time::OffsetDateTime::from(object.modified)
                    );
                }
                if !unreferenced.is_empty() {
                    println!(
                        "{} stored objects are referenced by no document; `nansen documents gc --older-than 24h` \
                         removes those written more than a day ago",
                        unreferenced.len()
                    );
                }
                intact
            } else {
                true
            };
            if journal && files {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Audit { command: AuditCommand::Verify { proof: Some(path), .. } } => {
            let text = std::fs::read_to_string(&path)?;
            let proof: nansen_store::Proof = serde_json::from_str(&text)
                .map_err(|e| CliError::Usage(format!("{}: not a Nansen inclusion proof: {e}", path.display())))?;
            match proof.check(&store.signer().verifying_key()) {
                Ok(()) => {
                    println!(
                        "proof verified: entry {} ({}, {}) is in the journal of {} entries signed at {}",
                        proof.entry.seq, proof.entry.kind, proof.entry.subject, proof.tree_size, proof.signed_at
                    );
                    ExitCode::SUCCESS
                }
                Err(failure) => {
                    println!("proof verification FAILED: {failure}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Audit { command: AuditCommand::Prove { seq } } => {
            let proof = store.prove(seq).await?;
            println!("{}", serde_json::to_string_pretty(&proof).map_err(|e| CliError::Usage(e.to_string()))?);
            ExitCode::SUCCESS
        }
        Command::Documents { command: DocumentsCommand::Gc { older_than, dry_run } } => {
            let objects = open_documents(&documents_url)?;
            let unreferenced = unreferenced_objects(&store, &objects, older_than).await?;
            let bytes: u64 = unreferenced.iter().map(|o| o.size).sum();
            for object in &unreferenced {
                if !dry_run {
                    objects.delete(&object.hash).await.map_err(|e| CliError::Usage(format!("document store: {e}")))?;
                }
                println!(
                    "{} {} ({} bytes)",
                    if dry_run { "would remove" } else { "removed" },
                    object.hash,
                    object.size
                );
            }
            println!(
                "{} unreferenced objects ({bytes} bytes) older than {} s {} from {}",
                unreferenced.len(),
                older_than.as_secs(),
                if dry_run { "would be removed" } else { "removed" },
                objects.describe()
            );
            ExitCode::SUCCESS
        }
        Command::Stats(args) => {
            let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
            stats(&office, &args).await?;
            ExitCode::SUCCESS
        }
        Command::Accounts { command } => {
            let (login, identity) = match command {
                AccountsCommand::Link { login, identity } => (login, Some(identity.trim().to_owned())),
                AccountsCommand::Unlink { login } => (login, None),
            };
            // E-mail addresses compare lowercased, as the provider's are read.
            let identity = identity.map(|i| if i.contains('@') { i.to_lowercase() } else { i });
            let op = nansen_store::Op {
                actor: nansen_domain::ids::Login::parse("admin").map_err(|e| CliError::Usage(e.to_string()))?,
                now: time::OffsetDateTime::now_utc(),
                action: nansen_store::Action::LinkIdentity { login: login.clone(), identity: identity.clone() },
            };
            match store.execute_one(op).await? {
                Ok(_) => {
                    match identity {
                        Some(i) => println!("{login} signs in through the identity provider as {i}"),
                        None => println!("{login} no longer signs in through the identity provider"),
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Rebuild => {
            let progress =
                std::sync::Arc::new(progress::Progress::new("rebuild", Some(0), progress::Unit::Items("entries")));
            let report = store.rebuild_with(progress.for_store()).await?;
            progress.finish();
            // The library's search index, a projection of the library's rows (said before the
            // report, whose digest ends the output).
            let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
            let started = std::time::Instant::now();
            let passages =
                nansen_office::research::rebuild_index(&office).await.map_err(|e| CliError::Usage(e.to_string()))?;
            println!("library index: {passages} passages indexed in {:.1} s", started.elapsed().as_secs_f64());
            println!("{report}");
            if report.identical {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Command::Cases { division, officer, status, nationality, name, limit, repeat } => {
            let filter = CaseFilter { division, officer, status, nationality, name, limit, ..Default::default() };
            let mut times = Vec::new();
            let mut cases = Vec::new();
            for _ in 0..repeat.max(1) {
                let started = std::time::Instant::now();
                cases = store.list_cases(&filter).await?;
                times.push(started.elapsed());
            }
            let first = times[0];
            times.sort();
            let (median, p99, slowest) =
                (times[times.len() / 2], times[(times.len() * 99 / 100).min(times.len() - 1)], times[times.len() - 1]);
            for c in &cases {
                println!(
                    "{:<14} {:<20} {:<5} {:<12} {:<11} {} / {}",
                    c.number,
                    c.status,
                    c.nationality,
                    c.decision_due.as_deref().unwrap_or("-"),
                    c.officer.as_deref().unwrap_or("-"),
                    c.applicant_latin,
                    c.applicant_original
                );
            }
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
            if times.len() == 1 {
                eprintln!("{} cases in {:.1} ms", cases.len(), ms(first));
            } else {
                eprintln!(
                    "{} cases; {} runs: first {:.1} ms, median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
                    cases.len(),
                    times.len(),
                    ms(first),
                    ms(median),
                    ms(p99),
                    ms(slowest)
                );
            }
            ExitCode::SUCCESS
        }
        Command::Bench(args) => {
            if let Some(orientation_args) = args.orientation() {
                benchorientation::run(orientation_args)?;
            } else if let Some(notices_args) = args.notices() {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                benchnotices::run(&store, &office, notices_args).await?;
            } else if let Some(reception_args) = args.reception() {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                benchreception::run(&store, &office, reception_args).await?;
            } else if let Some(library_args) = args.library() {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                benchlibrary::run(&store, &office, library_args).await?;
            } else if let Some(names_args) = args.names() {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                benchnames::run(&store, &office, names_args).await?;
            } else if let Some(civil_args) = args.civil() {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                benchcivil::run(&store, &office, civil_args).await?;
            } else if let Some(stats_args) = args.stats().or(args.appeals()) {
                let office = command_office(&store, &documents_url, staging_dir, &data_dir)?;
                if args.appeals().is_some() {
                    benchappeals::run(&store, &office, stats_args).await?;
                } else {
                    benchstats::run(&store, &office, stats_args).await?;
                }
            } else {
                bench::run(&store, &args).await?;
            }
            ExitCode::SUCCESS
        }
        Command::Load(_) => ExitCode::SUCCESS,
        Command::Loadgen(args) => {
            bench::loadgen(&store, &args).await?;
            ExitCode::SUCCESS
        }
    };
    store.close().await;
    Ok(code)
}

fn open_documents(url: &str) -> Result<nansen_docs::objects::DocumentStore, CliError> {
    nansen_docs::objects::DocumentStore::from_url(url).map_err(|e| CliError::Usage(format!("document store: {e}")))
}

/// The objects of the document store that no document references and that were written more
/// than `grace` ago, in hash order. Each page of the listing is checked against the database
/// once; an object is looked up again just before it is reported, so that one referenced while
/// the listing ran is kept.
async fn unreferenced_objects(
    store: &Store,
    documents: &nansen_docs::objects::DocumentStore,
    grace: std::time::Duration,
) -> Result<Vec<nansen_docs::objects::StoredObject>, CliError> {
    use futures_util::StreamExt;
    let cutoff = std::time::SystemTime::now().checked_sub(grace).unwrap_or(std::time::UNIX_EPOCH);
    let mut found = Vec::new();
    let mut listing = documents.list().chunks(500);
    while let Some(page) = listing.next().await {
        let page: Vec<_> =
            page.into_iter().collect::<Result<_, _>>().map_err(|e| CliError::Usage(format!("document store: {e}")))?;
        let old: Vec<nansen_docs::objects::StoredObject> =
            page.into_iter().filter(|o| grace.is_zero() || o.modified <= cutoff).collect();
        let hashes: Vec<String> = old.iter().map(|o| o.hash.to_hex()).collect();
        let referenced = store.referenced_hashes(&hashes).await?;
        found.extend(old.into_iter().filter(|o| !referenced.contains(&o.hash.to_hex())));
    }
    if !found.is_empty() {
        let hashes: Vec<String> = found.iter().map(|o| o.hash.to_hex()).collect();
        let referenced = store.referenced_hashes(&hashes).await?;
        found.retain(|o| !referenced.contains(&o.hash.to_hex()));
    }
    found.sort_by_key(|o| o.hash.to_hex());
    Ok(found)
}

/// What is wrong with a stored content, or `None` when it is intact.
fn problem_of(verdict: nansen_docs::objects::Verification) -> Option<String> {
    use nansen_docs::objects::Verification;
    match verdict {
        Verification::Intact => None,
        Verification::Missing => Some("MISSING".to_owned()),
        Verification::Mismatch { actual } => Some(format!("ALTERED (its content now hashes to {actual})")),
    }
}

/// Re-reads every document the case files name, every payment file of the allowance and every
/// letter filed with a household, and checks its SHA-256; prints each missing or altered one
/// with a case that holds it (or its month, or its household). Returns whether all are intact.
async fn audit_documents(store: &Store, documents: &nansen_docs::objects::DocumentStore) -> Result<bool, CliError> {
    use nansen_docs::objects::ContentHash;
    let started = std::time::Instant::now();
    let progress = progress::Progress::new("documents", None, progress::Unit::Items("documents"));
    let (mut checked, mut bytes, mut bad) = (0u64, 0u64, 0u64);
    let mut after = String::new();
    loop {
        let page = store.stored_hashes(&after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.sha256.clone();
        for h in &page {
            let hash: ContentHash = h
                .sha256
                .parse()
                .map_err(|_| CliError::Usage(format!("the read table holds a malformed hash {:?}", h.sha256)))?;
            let verdict = documents.verify(&hash).await.map_err(|e| CliError::Usage(format!("document store: {e}")))?;
            checked += 1;
            bytes += h.size;
            progress.inc(1);
            let Some(problem) = problem_of(verdict) else { continue };
            bad += 1;
            println!(
                "document {} {problem}: case {} document {}{}",
                h.sha256,
                h.case_number,
                h.document,
                if h.copies > 1 { format!(" and {} other filing(s)", h.copies - 1) } else { String::new() }
            );
        }
    }
    // The reception agency's monthly payment files, named by their month.
    for run in store.allowance_runs().await? {
        let hash: ContentHash = run
            .sha256
            .parse()
            .map_err(|_| CliError::Usage(format!("allowance_runs holds a malformed hash {:?}", run.sha256)))?;
        let verdict = documents.verify(&hash).await.map_err(|e| CliError::Usage(format!("document store: {e}")))?;
        checked += 1;
        let Some(problem) = problem_of(verdict) else { continue };
        bad += 1;
        println!("payment file {} {problem}: the allowance of {}", run.sha256, run.month);
    }
    // The letters the agency filed with households, named by household and number.
    let mut after = (String::new(), -1i64);
    loop {
        let page = store.household_letter_hashes((&after.0, after.1), 1000).await?;
        let Some(last) = page.last() else { break };
        after = (last.0.clone(), last.1);
        for (household, n, sha256) in &page {
            let hash: ContentHash = sha256
                .parse()
                .map_err(|_| CliError::Usage(format!("household_letters holds a malformed hash {sha256:?}")))?;
            let verdict = documents.verify(&hash).await.map_err(|e| CliError::Usage(format!("document store: {e}")))?;
            checked += 1;
            let Some(problem) = problem_of(verdict) else { continue };
            bad += 1;
            println!("letter {sha256} {problem}: household {household} letter {}", n + 1);
        }
    }
    progress.finish();
    let secs = started.elapsed().as_secs_f64();
    if bad == 0 {
        println!(
            "documents verified: {checked} stored contents ({:.1} MB) in {} match their SHA-256 ({secs:.1} s)",
            bytes as f64 / 1e6,
            documents.describe()
        );
        Ok(true)
    } else {
        println!("document verification FAILED: {bad} of {checked} stored contents are missing or altered");
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;
    use std::time::Duration;

    #[test]
    fn a_grace_period_is_a_number_and_a_unit() {
        assert_eq!(parse_duration("24h"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5_400)));
        assert_eq!(parse_duration("0s"), Ok(Duration::ZERO));
        for wrong in ["", "24", "h", "1.5h", "-1h", "24 hours", "99999999999999999999d"] {
            assert!(parse_duration(wrong).is_err(), "{wrong}");
        }
    }
}
