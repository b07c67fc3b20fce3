//! `nansen bench names`: the search by name across spellings and scripts at national scale. On a
//! database with the demo (`nansen demo` first), grows the case table to `--applications` rows
//! with benchmark lines (cases and their name keys, not backed by the journal: use a throwaway
//! database) named from the demo's catalogue, the first names of each list the most common (as
//! in life: a few names carry a large share), then times searches as a section head makes them
//! (authorized by Cedar, journaled, narrowed to the division): a case's names in another spelling
//! and order, a very common name, the original script, one typo; and reports how often the case
//! whose name was typed is on the page.

use std::time::{Duration, Instant};

use nansen_domain::ids::{Login, Nationality};
use nansen_office::cases::{self, Listing};
use nansen_office::Office;
use nansen_store::{BenchCase, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::macros::date;

use crate::benchstats::{median_p99, ms, usage};
use crate::demo::catalog::{Catalog, NameEntry};
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct NamesBenchArgs {
    /// Applications in the case table to search.
    #[arg(long, default_value_t = 1_000_000)]
    pub applications: u32,
    /// Searches of each kind.
    #[arg(long, default_value_t = 300)]
    pub searches: usize,
}

/// The section head who searches (the demo's head of the Asia division's first section).
fn section_head() -> Result<nansen_office::Agent, CliError> {
    let login = Login::parse("cs.fontaine").map_err(usage)?;
    Ok(nansen_office::Agent {
        principal: nansen_office::Principal {
            login: login.to_string(),
            role: nansen_office::Role::SectionHead,
            division: Some("asia".into()),
            section: Some(1),
        },
        login,
        display_name: "Hélène Fontaine".into(),
    })
}

/// An entry of a list, the first ones far more often (a cube of a uniform draw).
fn skewed<'a>(list: &'a [NameEntry], rng: &mut ChaCha8Rng) -> &'a NameEntry {
    let u: f64 = rng.gen();
    &list[((u * u * u) * list.len() as f64) as usize % list.len()]
}

/// Another spelling of a Latin name, as another clerk would write it: a vowel changed, `ou` for
/// `u`, `kh` for `h`, a consonant doubled.
fn respelled(name: &str, rng: &mut ChaCha8Rng) -> String {
    let lower = name.to_lowercase();
    let swaps: [(&str, &str); 8] =
        [("ou", "u"), ("u", "ou"), ("kh", "h"), ("a", "e"), ("e", "a"), ("i", "e"), ("o", "u"), ("y", "i")];
    let start = rng.gen_range(0..swaps.len());
    for k in 0..swaps.len() {
        let (from, to) = swaps[(start + k) % swaps.len()];
        // Not the last letter: a final i is part of the name (Ahmadi is not Ahmad).
        let inner = &lower[..lower.len().saturating_sub(1)];
        if let Some(at) = inner.get(1..).and_then(|rest| rest.find(from)).map(|i| i + 1) {
            return format!("{}{}{}", &lower[..at], to, &lower[at + from.len()..]);
        }
    }
    format!("{lower}{}", &lower[lower.len().saturating_sub(1)..])
}

/// The name with one consonant typed wrong (none when it has no consonant on its own).
fn mistyped(name: &str, rng: &mut ChaCha8Rng) -> String {
    let mut chars: Vec<char> = name.to_lowercase().chars().collect();
    // A consonant on its own, not a letter of kh, ch, sh, th, dh, gh (a typo there is two edits
    // of the key).
    let consonants: Vec<usize> = (1..chars.len())
        .filter(|&i| chars[i].is_ascii_alphabetic() && !"aeiouyh".contains(chars[i]))
        .filter(|&i| chars.get(i + 1) != Some(&'h'))
        .collect();
    if let Some(&i) = consonants.get(rng.gen_range(0..consonants.len().max(1))) {
        chars[i] = if chars[i] == 'r' { 'l' } else { 'r' };
    }
    chars.into_iter().collect()
}

fn line(what: &str, mut times: Vec<Duration>, rows: usize, found: Option<(usize, usize)>) {
    times.sort();
    let (median, p99) = median_p99(&times);
    let found = found.map_or("—".to_owned(), |(f, n)| format!("{f} / {n}"));
    println!(
        "| {what} | {} | {:.1} ms | {:.1} ms | {:.1} ms | {:.0} | {found} |",
        times.len(),
        ms(median),
        ms(p99),
        ms(times.last().copied().unwrap_or_default()),
        rows as f64 / times.len().max(1) as f64
    );
}

pub async fn run(store: &Store, office: &Office, args: &NamesBenchArgs) -> Result<(), CliError> {
    if store.count_cases().await? == 0 {
        return Err(CliError::Usage("the database is empty: run `nansen demo` on a throwaway database first".into()));
    }
    let agent = section_head()?;
    let catalog = Catalog::embedded().map_err(usage)?;
    let rules = store.rules().clone();
    let mut rng = ChaCha8Rng::seed_from_u64(13);
    // Line `i` is drawn from its own seed: a second run on the grown table finds the same names.
    let bench_line = |i: u32| -> BenchCase {
        let mut rng = ChaCha8Rng::seed_from_u64(u64::from(i));
        let n = &catalog.nationalities[rng.gen_range(0..catalog.nationalities.len())];
        let family = skewed(&n.family_names, &mut rng);
        let given = if rng.gen_bool(0.5) {
            skewed(&n.male_given_names, &mut rng)
        } else {
            skewed(&n.female_given_names, &mut rng)
        };
        let division = Nationality::parse(&n.code)
            .ok()
            .and_then(|code| rules.division_of(code, date!(2019 - 01 - 01)))
            .map(|d| d.as_str().to_owned());
        BenchCase {
            number: format!("2019-{:07}", i + 1),
            nationality: n.code.clone(),
            division,
            family_latin: family.latin.clone(),
            given_latin: given.latin.clone(),
            family_original: family.original.clone(),
            given_original: given.original.clone(),
        }
    };
    let have = u32::try_from(store.count_cases().await?).unwrap_or(u32::MAX);
    // The sample is drawn from the later half of the lines: they must be benchmark lines (a run
    // again on a table already grown finds them there).
    if have < args.applications && have * 2 > args.applications {
        return Err(CliError::Usage(format!(
            "the database holds {have} applications: use a throwaway database with the demo only, or an --applications of at least twice that"
        )));
    }
    let started = Instant::now();
    let mut at = have;
    while at < args.applications {
        let to = (at + 20_000).min(args.applications);
        let lines: Vec<BenchCase> = (at..to).map(bench_line).collect();
        store.fill_cases_for_bench(&lines).await?;
        at = to;
    }
    if at > have {
        println!("case table grown to {} rows in {:.0} s", args.applications, started.elapsed().as_secs_f64());
    }
    // The division's cases among the later half of the lines (benchmark lines in any run).
    let sample: Vec<BenchCase> = (args.applications / 2..args.applications)
        .step_by(7)
        .map(bench_line)
        .filter(|c| c.division.as_deref() == Some("asia"))
        .take(5_000)
        .collect();
    if sample.is_empty() {
        return Err(CliError::Usage(
            "no benchmark lines of the Asia division to search: a larger --applications".into(),
        ));
    }
    println!(
        "database: {} applications, {} journal entries ({:?}); searches by {} (division asia), 50 a page",
        store.count_cases().await?,
        store.head().await?.size,
        store.backend(),
        agent.login
    );
    println!("| search | runs | median | p99 | slowest | rows a page | the case on the page |");
    println!("|---|---|---|---|---|---|---|");
    let most_common = catalog
        .nationalities
        .iter()
        .find(|n| n.code == "AFG")
        .map(|n| (n.family_names[0].latin.clone(), n.male_given_names[0].latin.clone()))
        .ok_or_else(|| CliError::Usage("the catalogue has no AFG names".into()))?;
    let kinds: [(&str, u8); 5] = [
        ("given and family name, another spelling, swapped", 0),
        ("family name in the original script", 1),
        ("family name with one typo", 2),
        ("a very common family name, another spelling", 3),
        ("a very common given name, another spelling", 4),
    ];
    for (what, kind) in kinds {
        let mut times = Vec::with_capacity(args.searches);
        let (mut rows, mut found, mut checked) = (0, 0, 0);
        let mut missed: Vec<String> = Vec::new();
        for i in 0..args.searches {
            let c = &sample[(i * 7919 + usize::from(kind)) % sample.len()];
            let query = match kind {
                0 => format!("{} {}", respelled(&c.given_latin, &mut rng), respelled(&c.family_latin, &mut rng)),
                1 => c.family_original.clone(),
                2 => mistyped(&c.family_latin, &mut rng),
                3 => respelled(&most_common.0, &mut rng),
                _ => respelled(&most_common.1, &mut rng),
            };
            let t = Instant::now();
            let page = cases::list(office, &agent, &Listing::Search(query.clone()), 50).await.map_err(usage)?;
            times.push(t.elapsed());
            rows += page.len();
            // Whether the case is on the page, where the page is not full (a full page of a
            // common name lists the newest 50, not necessarily this one).
            if kind <= 2 && page.len() < 50 {
                checked += 1;
                let on_page = page.iter().any(|p| p.number == c.number);
                found += usize::from(on_page);
                if !on_page && missed.len() < 8 {
                    missed.push(format!("{query:?} for {} {}", c.family_latin, c.given_latin));
                }
            }
        }
        line(what, times, rows, (kind <= 2).then_some((found, checked)));
        if !missed.is_empty() {
            eprintln!("{what}: not on the page: {}", missed.join("; "));
        }
    }
    Ok(())
}
