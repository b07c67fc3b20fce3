//! `nansen load --applicants N`: the applicants' secure space under load. A secretary registers N
//! applications (each prints a receipt with its activation code), the N applicants activate their
//! space (argon2id), sign in again from another browser, then read their home page and open their
//! documents (the first opening is a journaled event, later ones a journaled read).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};

use crate::CliError;

#[derive(clap::Args)]
pub struct PortalArgs {
    /// Applicants to register, activate and sign in (portal phase instead of the agents' pages).
    #[arg(long, default_value_t = 0)]
    applicants: usize,
    /// Portal page and document requests in all, spread over the applicants' sessions.
    #[arg(long, default_value_t = 5_000)]
    portal_requests: usize,
    /// Applicants' requests in flight at the same time.
    #[arg(long, default_value_t = 32)]
    portal_concurrency: usize,
}

impl PortalArgs {
    pub fn wanted(&self) -> bool {
        self.applicants > 0
    }
}

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

struct Applicant {
    number: String,
    code: String,
    http: reqwest::Client,
    documents: Vec<String>,
}

fn browser() -> Result<reqwest::Client, CliError> {
    reqwest::Client::builder().cookie_store(true).pool_max_idle_per_host(2).build().map_err(err)
}

/// Times `n` calls of `f` with `concurrency` in flight; reports them like the other phases.
async fn phase<F, Fut>(kind: &str, n: usize, concurrency: usize, f: F) -> Result<(), CliError>
where
    F: Fn(usize) -> Fut,
    Fut: std::future::Future<Output = Result<(), CliError>>,
{
    let started = Instant::now();
    let results: Vec<(Duration, bool)> = stream::iter(0..n)
        .map(|i| {
            let call = f(i);
            async move {
                let t = Instant::now();
                let ok = call.await.map_err(|e| eprintln!("{kind}: {e}")).is_ok();
                (t.elapsed(), ok)
            }
        })
        .buffer_unordered(concurrency.max(1))
        .collect()
        .await;
    let errors = results.iter().filter(|(_, ok)| !ok).count();
    super::report(kind, results.into_iter().map(|(d, _)| d).collect(), errors, started.elapsed());
    if errors > 0 {
        return Err(CliError::Usage(format!("{kind}: {errors} failed")));
    }
    Ok(())
}

pub async fn run(url: &str, password: &str, args: &PortalArgs) -> Result<(), CliError> {
    let secretary = super::sign_in(url, "sec.martin", password).await?;
    let today = time::OffsetDateTime::now_utc().date();
    let introduced = format!("{}-{:02}-{:02}", today.year(), u8::from(today.month()), today.day());
    let mut applicants = Vec::with_capacity(args.applicants);
    let started = Instant::now();
    for i in 0..args.applicants {
        let r = secretary
            .http
            .post(format!("{url}/api/v1/cases"))
            .header("x-csrf-token", &secretary.csrf)
            .json(&json!({
                "kind": "asylum", "procedure": "normal", "nationality": "SYR", "language": "ar",
                "family_name": {"latin": format!("Load{i}")}, "given_names": {"latin": "Amal"},
                "birth_date": "1990-01-01", "sex": "female", "introduced_on": introduced,
            }))
            .send()
            .await
            .map_err(err)?;
        let v: Value = r.json().await.map_err(err)?;
        let (Some(number), Some(code)) = (v["number"].as_str(), v["activation_code"].as_str()) else {
            return Err(CliError::Usage(format!("registration refused: {v}")));
        };
        applicants.push(Applicant { number: number.into(), code: code.into(), http: browser()?, documents: vec![] });
    }
    println!(
        "registered {} applications (receipt and code each) in {:.1} s",
        applicants.len(),
        started.elapsed().as_secs_f64()
    );
    let applicants = Arc::new(applicants);
    let c = args.portal_concurrency;

    let pass = |i: usize| format!("load password {i:06}");
    phase("activation", applicants.len(), c, |i| {
        let a = &applicants[i];
        let body =
            [("case_number", a.number.clone()), ("code", a.code.clone()), ("password", pass(i)), ("confirm", pass(i))];
        let request = a.http.post(format!("{url}/portal/activate")).form(&body);
        async move {
            let r = request.send().await.map_err(err)?;
            if r.url().path() != "/portal" {
                return Err(CliError::Usage(format!("activation refused: {}", r.status())));
            }
            Ok(())
        }
    })
    .await?;

    // Sign in again from a second browser each: argon2id verification under load.
    let second: Vec<reqwest::Client> = (0..applicants.len()).map(|_| browser()).collect::<Result<_, _>>()?;
    phase("sign-in", applicants.len(), c, |i| {
        let body = [("case_number", applicants[i].number.clone()), ("password", pass(i))];
        let request = second[i].post(format!("{url}/portal/sign-in")).form(&body);
        async move {
            let r = request.send().await.map_err(err)?;
            if r.url().path() != "/portal" {
                return Err(CliError::Usage(format!("sign-in refused: {}", r.status())));
            }
            Ok(())
        }
    })
    .await?;

    // Each applicant's document links, from the JSON overview.
    let mut applicants = Arc::try_unwrap(applicants).map_err(|_| err("applicants still shared"))?;
    for a in &mut applicants {
        let v: Value =
            a.http.get(format!("{url}/portal/api/overview")).send().await.map_err(err)?.json().await.map_err(err)?;
        a.documents = v["documents"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|d| d["href"].as_str().map(str::to_owned))
            .collect();
    }
    let applicants = Arc::new(applicants);
    let n = applicants.len().max(1);
    phase("home page", args.portal_requests, c, |i| {
        let request = applicants[i % n].http.get(format!("{url}/portal"));
        async move {
            let r = request.send().await.map_err(err)?;
            if !r.status().is_success() {
                return Err(CliError::Usage(format!("home page: {}", r.status())));
            }
            r.bytes().await.map_err(err)?;
            Ok(())
        }
    })
    .await?;
    // The first round opens each receipt for the first time (an event); the rest are reads.
    phase("document", args.portal_requests, c, |i| {
        let a = &applicants[i % n];
        let href = a.documents.first().cloned().unwrap_or_default();
        let request = a.http.get(format!("{url}{href}"));
        async move {
            let r = request.send().await.map_err(err)?;
            if !r.status().is_success() {
                return Err(CliError::Usage(format!("document: {}", r.status())));
            }
            r.bytes().await.map_err(err)?;
            Ok(())
        }
    })
    .await
}
