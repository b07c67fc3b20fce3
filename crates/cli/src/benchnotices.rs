//! `nansen bench notices`: the outbox of notices to applicants at scale, on a throwaway
//! database. Fills it with the demo (`--applications`, every letter shared in the applicants'
//! spaces as real ones are) when it is empty, gives every applicant an SMS number, then has
//! `--nodes` notifiers drain the outbox at once through the real SMS sender (HTTP) to a receiver
//! on loopback that accepts every message. Reports notices per second and, per notice, the time
//! from the moment it was queued to its acceptance by the provider (p50, p99), and checks that
//! each notice reached the provider once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use nansen_office::notices::{NoticeSender, Notifier};
use nansen_office::Office;
use nansen_store::Store;

use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct NoticesBenchArgs {
    /// Applications of the demo generated first when the database is empty.
    #[arg(long, default_value_t = 20_000)]
    pub applications: usize,
    /// Notifiers working the outbox at once (nodes).
    #[arg(long, default_value_t = 4)]
    pub nodes: usize,
}

/// What the provider received: per idempotency key, when it first arrived and how many times.
type Received = Arc<Mutex<HashMap<String, (Instant, u32)>>>;

fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

pub async fn run(store: &Store, office: &Office, args: &NoticesBenchArgs) -> Result<(), CliError> {
    if store.count_cases().await? == 0 {
        let demo = crate::demo::DemoArgs { seed: 1, applications: args.applications, today: None };
        crate::demo::run(store, office, &demo).await?;
    }
    let sealed = office.config().secrets.seal("+33612345678").map_err(usage)?;
    let accounts = store.bench_notices_for_every_case(&sealed, office.now().unix_timestamp()).await?;

    // The provider: accepts every message, remembers when each key arrived and how often.
    let received: Received = Arc::default();
    let app = axum::Router::new()
        .route(
            "/messages",
            axum::routing::post(
                |axum::extract::State(seen): axum::extract::State<Received>, headers: HeaderMap| async move {
                    let key =
                        headers.get("idempotency-key").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
                    if let Ok(mut seen) = seen.lock() {
                        seen.entry(key).or_insert((Instant::now(), 0)).1 += 1;
                    }
                    StatusCode::ACCEPTED
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/messages", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let started = Instant::now();
    let mut nodes = Vec::new();
    for _ in 0..args.nodes.max(1) {
        let sender: Arc<dyn NoticeSender> = Arc::new(nansen_notify::SmsSender::new(&url, None).map_err(usage)?);
        let notifier = Notifier::new(office.clone(), vec![sender]);
        nodes.push(tokio::spawn(async move {
            let mut sent = 0u64;
            loop {
                let round = notifier.round().await?;
                sent += round.sent;
                if !round.busy() {
                    return Ok::<u64, nansen_office::OfficeError>(sent);
                }
            }
        }));
    }
    let mut sent = 0u64;
    for node in nodes {
        sent += node.await.map_err(usage)?.map_err(usage)?;
    }
    let elapsed = started.elapsed();
    let outbox = store.outbox_counts().await?;
    let seen = received.lock().map_err(|_| usage("the receiver stopped"))?;
    let twice = seen.values().filter(|(_, n)| *n > 1).count();
    let mut delays: Vec<Duration> = seen.values().map(|(at, _)| at.saturating_duration_since(started)).collect();
    delays.sort();
    let at = |p: f64| {
        delays.get(((delays.len().saturating_sub(1)) as f64 * p).round() as usize).copied().unwrap_or_default()
    };
    println!(
        "notices: {accounts} applicants with an SMS number; {sent} notices sent by {} nodes in {:.1} s = {:.0} notices/s; \
         queued to accepted: p50 {:.0} ms, p99 {:.0} ms; {} still pending, {} given up, {twice} received twice ({:?})",
        args.nodes.max(1),
        elapsed.as_secs_f64(),
        sent as f64 / elapsed.as_secs_f64().max(1e-9),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        outbox.pending,
        outbox.given_up,
        store.backend(),
    );
    if twice > 0 || outbox.pending > 0 || seen.len() as u64 != sent {
        return Err(CliError::Usage(format!(
            "the outbox did not deliver each notice once: {sent} sent, {} distinct keys received, {twice} twice",
            seen.len()
        )));
    }
    Ok(())
}
