//! `nansen bench library`: the country-of-origin library's index rebuilt from the store at a
//! national size. Writes `--passages` generated passages (the seeded library of
//! `nansen_search::synthetic`, documents of 40 passages) through the journal as the library's own
//! entries, then rebuilds the search index from the store's rows exactly as `nansen rebuild` does,
//! and reports the time per million passages. Use a throwaway database: the generated documents'
//! bytes are not put in the document store.

use std::time::Instant;

use nansen_domain::documents::ContentHash;
use nansen_domain::ids::{Login, Nationality};
use nansen_domain::planning::languages::LanguageCode;
use nansen_domain::research::{document_id, DocumentType, LibraryEntry, NewLibraryDocument};
use nansen_office::Office;
use nansen_search::synthetic::{passage, PASSAGES_PER_DOCUMENT};
use nansen_store::{Action, Op, Store};
use time::{Date, OffsetDateTime};

use crate::benchstats::usage;
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct LibraryBenchArgs {
    /// Passages in the generated library.
    #[arg(long, default_value_t = 1_000_000)]
    pub passages: usize,
}

/// Documents written per commit.
const BATCH: usize = 100;

/// The Julian day of 1970-01-01: the generator's days count from it.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

pub async fn run(store: &Store, office: &Office, args: &LibraryBenchArgs) -> Result<(), CliError> {
    let actor = Login::parse("bench.research").map_err(usage)?;
    let now = OffsetDateTime::now_utc();
    let documents = args.passages.div_ceil(PASSAGES_PER_DOCUMENT);
    let started = Instant::now();
    let mut ops = Vec::with_capacity(BATCH);
    for d in 0..documents {
        let from = d * PASSAGES_PER_DOCUMENT;
        let to = (from + PASSAGES_PER_DOCUMENT).min(args.passages);
        let generated: Vec<_> = (from..to).map(passage).collect();
        let first = &generated[0];
        let passages: Vec<String> = generated.iter().map(|p| p.text.clone()).collect();
        let text = passages.join("\n\n");
        let content =
            ContentHash::parse(&nansen_docs::objects::ContentHash::of(text.as_bytes()).to_hex()).map_err(usage)?;
        let day = i32::try_from(first.day).map_err(usage)?;
        let document = NewLibraryDocument {
            id: document_id(&content),
            source: first.source.clone(),
            title: format!("Synthetic report {d}"),
            kind: serde_json::from_value::<DocumentType>(serde_json::Value::from(first.kind)).map_err(usage)?,
            language: LanguageCode::parse(first.language).map_err(usage)?,
            countries: first
                .countries
                .iter()
                .map(|c| Nationality::parse(c))
                .collect::<Result<_, _>>()
                .map_err(usage)?,
            topics: first.topics.clone(),
            published_on: Date::from_julian_day(UNIX_EPOCH_JULIAN_DAY + day).map_err(usage)?,
            added_on: now.date(),
            content,
            replaces: None,
            has_text: true,
        };
        let entry = LibraryEntry { document, media_type: "text/plain".into(), bytes: text.len() as u64, passages };
        ops.push(Op { actor: actor.clone(), now, action: Action::AddLibraryDocument(Box::new(entry)) });
        if ops.len() == BATCH || d + 1 == documents {
            for result in store.execute(std::mem::take(&mut ops)).await? {
                result.map_err(|e| CliError::Usage(format!("a bench document was refused: {e}")))?;
            }
        }
    }
    let written = started.elapsed().as_secs_f64();
    println!(
        "wrote {documents} documents ({} passages) through the journal in {written:.1} s ({:.0} passages/s)",
        args.passages,
        args.passages as f64 / written
    );
    let started = Instant::now();
    let indexed = nansen_office::research::rebuild_index(office).await.map_err(usage)?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rebuilt the library index from the store: {indexed} passages in {seconds:.1} s ({:.0} passages/s; {:.1} s per million)",
        indexed as f64 / seconds,
        seconds * 1e6 / indexed.max(1) as f64
    );
    Ok(())
}
