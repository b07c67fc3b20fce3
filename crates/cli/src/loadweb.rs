//! `nansen load`: a bounded HTTP load against a running server, as agents use it: many signed-in
//! sessions reading "my cases" and case pages (HTML, as the browser gets them), and section
//! heads signing decisions with their password. Prints throughput and p50/p99 per kind.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

use crate::CliError;

#[path = "loaddocs.rs"]
mod loaddocs;
#[path = "loadportal.rs"]
mod loadportal;

#[derive(clap::Args)]
pub struct LoadArgs {
    /// The server, e.g. http://127.0.0.1:8080 (started with demo data).
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// Concurrent signed-in sessions.
    #[arg(long, default_value_t = 100)]
    sessions: usize,
    /// Page requests in all ("my cases" and case pages, half each).
    #[arg(long, default_value_t = 20_000)]
    requests: usize,
    /// Decisions to sign (each consumes a case under review).
    #[arg(long, default_value_t = 200)]
    signatures: usize,
    /// Section heads signing at the same time (at most the demo's 8).
    #[arg(long, default_value_t = 8)]
    signers: usize,
    /// Each session's pause between two pages, as a person reads (0: every session asks again
    /// as soon as it is answered, the server's saturation).
    #[arg(long, default_value_t = 0)]
    think_ms: u64,
    /// The demo accounts' password.
    #[arg(long, default_value = crate::demo::DEMO_PASSWORD)]
    password: String,
    /// Document uploads instead of pages (`--uploads`, `--register-with-documents`).
    #[command(flatten)]
    documents: loaddocs::DocsArgs,
    /// The applicants' secure space instead of pages (`--applicants`).
    #[command(flatten)]
    portal: loadportal::PortalArgs,
}

const OFFICERS: [&str; 16] = [
    "opi.mercier",
    "opi.traore",
    "opi.nguyen",
    "opi.bernard",
    "opi.garcia",
    "opi.lefebvre",
    "opi.rossi",
    "opi.benali",
    "opi.karimi",
    "opi.moreau",
    "opi.rahman",
    "opi.simon",
    "opi.petrov",
    "opi.faure",
    "opi.aziz",
    "opi.blanc",
];
const HEADS: [&str; 8] =
    ["cs.diallo", "cs.lambert", "cs.haddad", "cs.petit", "cs.fontaine", "cs.chevalier", "cs.dubois", "cs.roussel"];

struct Session {
    http: reqwest::Client,
    csrf: String,
    cases: Vec<String>,
}

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

async fn sign_in(url: &str, login: &str, password: &str) -> Result<Session, CliError> {
    let http = reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(4).build().map_err(err)?;
    let r = http
        .post(format!("{url}/api/v1/session"))
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .map_err(err)?;
    if !r.status().is_success() {
        return Err(CliError::Usage(format!("{login} cannot sign in: {}", r.status())));
    }
    let body: Value = r.json().await.map_err(err)?;
    let csrf = body["csrf_token"].as_str().unwrap_or_default().to_owned();
    Ok(Session { http, csrf, cases: vec![] })
}

fn report(kind: &str, mut times: Vec<Duration>, errors: usize, elapsed: Duration) {
    times.sort();
    let p = |q: f64| {
        let i = ((times.len().saturating_sub(1)) as f64 * q).round() as usize;
        times.get(i).copied().unwrap_or_default().as_secs_f64() * 1000.0
    };
    println!(
        "{kind:<14} {:>7} requests {:>8.0}/s  p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms  errors {errors}",
        times.len(),
        times.len() as f64 / elapsed.as_secs_f64(),
        p(0.5),
        p(0.99),
        times.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
    );
}

pub async fn run(args: &LoadArgs) -> Result<(), CliError> {
    let url = args.url.trim_end_matches('/').to_owned();
    if args.documents.wanted() {
        return loaddocs::run(&url, &args.password, &args.documents).await;
    }
    if args.portal.wanted() {
        return loadportal::run(&url, &args.password, &args.portal).await;
    }
    // Sessions, spread over the demo's officers; each knows its own cases.
    let mut sessions = Vec::new();
    for i in 0..args.sessions.max(1) {
        let mut s = sign_in(&url, OFFICERS[i % OFFICERS.len()], &args.password).await?;
        let cases: Value = s
            .http
            .get(format!("{url}/api/v1/cases?view=mine&limit=50"))
            .send()
            .await
            .map_err(err)?
            .json()
            .await
            .map_err(err)?;
        s.cases =
            cases.as_array().into_iter().flatten().filter_map(|c| c["number"].as_str().map(str::to_owned)).collect();
        sessions.push(s);
    }
    println!("{} sessions signed in; {} page requests, {} signatures", sessions.len(), args.requests, args.signatures);
    let sessions = Arc::new(sessions);
    let errors = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let per_session = args.requests.div_ceil(sessions.len());
    let think = Duration::from_millis(args.think_ms);
    // One task per session: a page, a pause, the next page; alternately "my cases" and one of
    // the session's cases.
    let tasks: Vec<_> = (0..sessions.len())
        .map(|k| {
            let (sessions, url, errors) = (sessions.clone(), url.clone(), errors.clone());
            tokio::spawn(async move {
                let s = &sessions[k];
                let mut out = Vec::with_capacity(per_session);
                if !think.is_zero() {
                    // Sessions start spread over one pause, not all at once.
                    tokio::time::sleep(think.mul_f64(k as f64 / sessions.len() as f64)).await;
                }
                for i in 0..per_session {
                    let case_page = i % 2 == 1 && !s.cases.is_empty();
                    let path = if case_page {
                        format!("{url}/cases/{}", s.cases[(i / 2) % s.cases.len()])
                    } else {
                        format!("{url}/cases?view=mine")
                    };
                    let t = Instant::now();
                    match s.http.get(&path).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    out.push((case_page, t.elapsed()));
                    if !think.is_zero() {
                        tokio::time::sleep(think).await;
                    }
                }
                out
            })
        })
        .collect();
    let mut times: Vec<(bool, Duration)> = Vec::new();
    for t in tasks {
        times.extend(t.await.map_err(err)?);
    }
    let elapsed = started.elapsed();
    let (cases, mine): (Vec<_>, Vec<_>) = times.into_iter().partition(|(c, _)| *c);
    println!(
        "pages: {:.0} requests/s over {:.1} s",
        (cases.len() + mine.len()) as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64()
    );
    let errs = errors.load(Ordering::Relaxed);
    report("my cases", mine.into_iter().map(|(_, t)| t).collect(), errs, elapsed);
    report("case page", cases.into_iter().map(|(_, t)| t).collect(), errs, elapsed);

    // Signatures: each section head signs decisions under review in their own section.
    let mut work = Vec::new();
    for (i, head) in HEADS.iter().enumerate() {
        let section = (i % 2 + 1) as u64;
        let s = sign_in(&url, head, &args.password).await?;
        let rows: Value = s
            .http
            .get(format!("{url}/api/v1/cases?view=division&limit=500"))
            .send()
            .await
            .map_err(err)?
            .json()
            .await
            .map_err(err)?;
        let s = Arc::new(s);
        for row in
            rows.as_array().into_iter().flatten().filter(|r| r["status"] == "under_review" && r["section"] == section)
        {
            if let Some(n) = row["number"].as_str() {
                work.push((s.clone(), n.to_owned()));
            }
        }
    }
    // Interleave the heads so that every section signs at once.
    work.sort_by_key(|(_, n)| n.chars().rev().collect::<String>());
    work.truncate(args.signatures);
    let attempted = work.len();
    let started = Instant::now();
    let results: Vec<(bool, Duration)> = stream::iter(work)
        .map(|(s, n)| {
            let (url, password) = (url.clone(), args.password.clone());
            async move {
                let t = Instant::now();
                let r = s
                    .http
                    .post(format!("{url}/api/v1/cases/{n}/signature"))
                    .header("x-csrf-token", &s.csrf)
                    .json(&json!({ "password": password }))
                    .send()
                    .await;
                (r.map(|r| r.status().is_success()).unwrap_or(false), t.elapsed())
            }
        })
        // One signature at a time per section head, as people sign.
        .buffer_unordered(args.signers.clamp(1, HEADS.len()))
        .collect()
        .await;
    let elapsed = started.elapsed();
    let refused = results.iter().filter(|(ok, _)| !ok).count();
    report("signature", results.into_iter().map(|(_, t)| t).collect(), refused, elapsed);
    if attempted == 0 {
        println!("no case under review in the heads' sections: no signature measured");
    }
    Ok(())
}
