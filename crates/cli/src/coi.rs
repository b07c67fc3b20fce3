//! `nansen coi import DIR`: the research division's bulk import. A directory holds the files
//! (PDF, HTML, plain text) and a `catalogue.toml` describing each one; every document goes
//! through the office as the research assistant named, one commit each, like an import in the
//! workbench. A file already in the library (the same bytes) is skipped, so an import that
//! stopped half-way is run again.

use std::fmt;
use std::path::{Path, PathBuf};

use nansen_office::research::{self, NewDocumentForm};
use nansen_office::{Office, OfficeError};
use nansen_store::Store;
use serde::Deserialize;
use time::Date;

use crate::progress::{Progress, Unit};
use crate::CliError;

/// The catalogue's file name in an import directory.
pub const CATALOGUE: &str = "catalogue.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub document: Vec<CatalogueEntry>,
}

/// One document of a catalogue.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogueEntry {
    /// The file, relative to the directory.
    pub file: String,
    pub title: String,
    pub source: String,
    /// report, news, legal_text, research_note, mission_report.
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 639-3 (fra, eng, ara…).
    pub language: String,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub published: Date,
    /// The earlier version this document replaces: another file of the catalogue.
    #[serde(default)]
    pub replaces_file: Option<String>,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: u64,
    pub skipped: u64,
    pub without_text: u64,
    pub refused: Vec<(String, String)>,
    pub seconds: f64,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} imported ({} without text), {} already in the library, {} refused, in {:.1} s",
            self.imported,
            self.without_text,
            self.skipped,
            self.refused.len(),
            self.seconds
        )?;
        for (file, why) in &self.refused {
            writeln!(f, "  refused {file}: {why}")?;
        }
        Ok(())
    }
}

/// Imports the catalogue of `dir` as the account `login`.
pub async fn import(office: &Office, store: &Store, dir: &Path, login: &str) -> Result<ImportReport, CliError> {
    let account = store.account(login).await?.ok_or_else(|| CliError::Usage(format!("no account {login}")))?;
    let account = nansen_office::accounts::agent_of(&account).map_err(|e| CliError::Usage(e.to_string()))?;
    let text = std::fs::read_to_string(dir.join(CATALOGUE))
        .map_err(|e| CliError::Usage(format!("{}: {e}", dir.join(CATALOGUE).display())))?;
    let catalogue: Catalogue =
        toml::from_str(&text).map_err(|e| CliError::Usage(format!("{}: {e}", dir.join(CATALOGUE).display())))?;
    import_entries(office, store, &account, dir, &catalogue.document, true).await
}

/// Imports `entries` (files in `dir`) in catalogue order, an earlier version before the one
/// replacing it.
pub async fn import_entries(
    office: &Office,
    store: &Store,
    agent: &nansen_office::Agent,
    dir: &Path,
    entries: &[CatalogueEntry],
    show_progress: bool,
) -> Result<ImportReport, CliError> {
    let started = std::time::Instant::now();
    let progress =
        show_progress.then(|| Progress::new("coi import", Some(entries.len() as u64), Unit::Items("documents")));
    let mut report = ImportReport::default();
    let mut ids: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for entry in entries {
        let path: PathBuf = dir.join(&entry.file);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                report.refused.push((entry.file.clone(), e.to_string()));
                continue;
            }
        };
        let id = nansen_office::research::id_of(&bytes);
        ids.insert(entry.file.clone(), id.clone());
        if store.library_document(&id).await?.is_some() {
            report.skipped += 1;
        } else {
            let replaces = match &entry.replaces_file {
                Some(file) => match ids.get(file) {
                    Some(id) => Some(id.clone()),
                    None => {
                        report
                            .refused
                            .push((entry.file.clone(), format!("replaces {file}, which comes later or not at all")));
                        continue;
                    }
                },
                None => None,
            };
            let form = NewDocumentForm {
                bytes,
                title: entry.title.clone(),
                source: entry.source.clone(),
                kind: entry.kind.clone(),
                language: entry.language.clone(),
                countries: entry.countries.clone(),
                topics: entry.topics.clone(),
                published_on: Some(entry.published),
                replaces,
            };
            match research::add_document(office, agent, form).await {
                Ok(_) => {
                    report.imported += 1;
                    if store.library_document(&id).await?.is_some_and(|d| d.passages == 0) {
                        report.without_text += 1;
                    }
                }
                Err(e @ (OfficeError::Forbidden { .. } | OfficeError::Store(_) | OfficeError::Internal(_))) => {
                    return Err(CliError::Usage(format!("{}: {e}", entry.file)))
                }
                Err(e) => report.refused.push((entry.file.clone(), e.to_string())),
            }
        }
        if let Some(p) = &progress {
            p.inc(1);
        }
    }
    if let Some(p) = &progress {
        p.finish();
    }
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}
