//! `search-bench`: the COI library at national scale. Generates a seeded library of
//! `--passages` passages (reports of realistic length in English, French and Arabic, over 30
//! countries, 20 sources, 5 types, 15 years, topics of the taxonomy), indexes it in a directory
//! (the rebuild: passages per second, index size), then times queries: two terms with three
//! facets (countries, type, publication period), and a phrase ending in a wildcard.
//!
//! `cargo run --release -p nansen-search --bin search-bench -- --passages 1000000`

use std::time::{Duration, Instant};

use nansen_domain::research::{mended, CountryMatch};
use nansen_search::synthetic::{passage, Passage, AR, COUNTRIES, EN, FR};
use nansen_search::{LibraryIndex, PassageDoc, SearchFacets, SortBy};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len().saturating_sub(1)) as f64 * p).round() as usize;
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let passages = arg("--passages", 1_000_000);
    let queries = arg("--queries", 300);
    let dir = std::env::temp_dir().join(format!("nansen-search-bench-{}", std::process::id()));
    let index = LibraryIndex::open(&dir)?;
    let started = Instant::now();
    const CHUNK: usize = 50_000;
    let mut done = 0;
    let mut first = true;
    while done < passages {
        let to = (done + CHUNK).min(passages);
        let chunk: Vec<Passage> = (done..to).map(passage).collect();
        let docs = chunk.iter().map(|p| PassageDoc {
            document: &p.document,
            version: "0000",
            passage: p.passage,
            text: &p.text,
            language: p.language,
            countries: &p.countries,
            topics: &p.topics,
            source: &p.source,
            kind: p.kind,
            published_day: p.day,
            internal: p.internal,
        });
        if first {
            index.rebuild(docs)?;
            first = false;
        } else {
            index.add(docs)?;
        }
        done = to;
    }
    let indexing = started.elapsed();
    println!(
        "indexed {} passages in {:.1} s ({:.0} passages/s); index {:.0} MB",
        index.len(),
        indexing.as_secs_f64(),
        passages as f64 / indexing.as_secs_f64(),
        dir_size(&dir) as f64 / 1e6
    );
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut two_terms = Vec::with_capacity(queries);
    let mut phrase = Vec::with_capacity(queries);
    let mut rows = (0, 0);
    for _ in 0..queries {
        let words = match rng.gen_range(0..3) {
            0 => EN,
            1 => FR,
            _ => AR,
        };
        let q = format!("{} {}", words[rng.gen_range(5..words.len())], words[rng.gen_range(5..words.len())]);
        let from = 14_600 + rng.gen_range(0..4_000);
        let facets = SearchFacets {
            countries: vec![COUNTRIES[rng.gen_range(0..COUNTRIES.len())].to_owned()],
            country_match: CountryMatch::AnyOf,
            kinds: vec!["report".into()],
            published_from: Some(from),
            published_to: Some(from + 1_500),
            ..Default::default()
        };
        let mended = mended(&q)?;
        let t = Instant::now();
        rows.0 += index.search(mended.as_deref(), &facets, SortBy::Relevance, 20)?.len();
        two_terms.push(t.elapsed());
        let a = words[rng.gen_range(5..words.len())];
        let b = words[rng.gen_range(5..words.len())];
        let prefix: String = b.chars().take(3).collect();
        let q = format!("\"{a} {prefix}\"*");
        let t = Instant::now();
        rows.1 += index.search(Some(&q), &SearchFacets::default(), SortBy::Relevance, 20)?.len();
        phrase.push(t.elapsed());
    }
    two_terms.sort();
    phrase.sort();
    println!("| query | runs | median | p99 | rows a page |");
    println!("|---|---|---|---|---|");
    println!(
        "| two terms, three facets (country, type, period) | {queries} | {:.1} ms | {:.1} ms | {:.1} |",
        percentile(&two_terms, 0.5),
        percentile(&two_terms, 0.99),
        rows.0 as f64 / queries as f64
    );
    println!(
        "| a phrase ending in a wildcard | {queries} | {:.1} ms | {:.1} ms | {:.1} |",
        percentile(&phrase, 0.5),
        percentile(&phrase, 0.99),
        rows.1 as f64 / queries as f64
    );
    drop(index);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
