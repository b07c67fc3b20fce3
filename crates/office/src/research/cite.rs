//! Citations of library passages, as research answers and decision drafts write them: one per
//! line, `coi-…#3 the words quoted` (the reference each passage's page shows under "Cite as"),
//! each pinned to the document's version (its SHA-256) and checked against its passages.

use nansen_domain::decision::{DecisionSource, MAX_SOURCES};
use nansen_domain::documents::ContentHash;
use nansen_domain::research::{Citation, DocumentType};
use nansen_store::LibraryDocumentRow;
use time::macros::format_description;
use time::Date;

use crate::{Office, OfficeError};

/// The most citations one answer or draft holds.
const MAX_CITATIONS: usize = 100;

/// The citations written in `lines` (blank lines skipped), pinned to each document's version
/// and checked, each with its document; an error names `field` and the line.
pub(crate) async fn citations(
    office: &Office,
    field: &'static str,
    lines: &str,
) -> Result<Vec<(Citation, LibraryDocumentRow)>, OfficeError> {
    // Counted before any is looked up: a paste of a whole report costs no lookup.
    if lines.lines().filter(|l| !l.trim().is_empty()).count() > MAX_CITATIONS {
        return Err(OfficeError::field(field, format!("cite at most {MAX_CITATIONS} passages")));
    }
    let mut citations = Vec::new();
    for (i, line) in lines.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let line_no = i + 1;
        let bad = |what: String| OfficeError::field(field, format!("line {line_no}: {what}"));
        let (reference, quote) = line.trim().split_once(char::is_whitespace).unwrap_or((line.trim(), ""));
        let (document, passage) = reference.split_once('#').ok_or_else(|| {
            bad(format!(
                "{reference:?} is not a reference: write the document, # and the passage, as coi-0123456789abcdef#3"
            ))
        })?;
        let passage: u32 =
            passage.trim_start_matches('p').parse().map_err(|_| bad(format!("{passage:?} is not a passage number")))?;
        let quote = quote.trim().trim_matches(|c| matches!(c, '"' | '“' | '”' | '«' | '»')).trim().to_owned();
        let Some(stored) = office.store().library_document(document).await? else {
            return Err(bad(format!("there is no document {document} in the library")));
        };
        let version = ContentHash::parse(&stored.sha256).map_err(crate::error::internal)?;
        let citation = Citation { document: document.to_owned(), version, passage, quote };
        check(office, &citation).await?.map_err(bad)?;
        citations.push((citation, stored));
    }
    Ok(citations)
}

/// A citation against its document's passages: `Ok(Err(reason))` when the passage does not
/// exist or does not say the words quoted.
async fn check(office: &Office, citation: &Citation) -> Result<Result<(), String>, OfficeError> {
    let passages = office.store().library_passages(&citation.document).await?;
    Ok(citation.check(Some(&passages)).map_err(|e| match e {
        nansen_domain::DomainError::Validation { reason, .. } => reason,
        other => other.to_string(),
    }))
}

/// A decision draft's sources, checked against the library whatever edge wrote them: each
/// document exists in the version cited and says the words quoted at that passage; the
/// reference the letter prints is set from the library (never taken as sent).
pub(crate) async fn decision_sources(
    office: &Office,
    sources: Vec<DecisionSource>,
) -> Result<Vec<DecisionSource>, OfficeError> {
    if sources.len() > MAX_SOURCES {
        return Err(OfficeError::field("sources", format!("a decision lists at most {MAX_SOURCES} sources")));
    }
    let mut checked = Vec::with_capacity(sources.len());
    for (i, source) in sources.into_iter().enumerate() {
        let c = &source.citation;
        let bad = |what: String| OfficeError::field("sources", format!("source {}: {what}", i + 1));
        let Some(stored) = office.store().library_document(&c.document).await? else {
            return Err(bad(format!("there is no document {} in the library", c.document)));
        };
        if stored.sha256 != c.version.as_str() {
            return Err(bad(format!(
                "{} is not the version of {} (its SHA-256 is {})",
                c.version, c.document, stored.sha256
            )));
        }
        check(office, c).await?.map_err(bad)?;
        let reference = reference(office, &stored);
        checked.push(DecisionSource { reference, ..source });
    }
    Ok(checked)
}

/// A draft's sources written as citation lines: checked once by [`citations`], each named for
/// the letter from the document already read.
pub(crate) async fn decision_sources_of_lines(
    office: &Office,
    lines: &str,
) -> Result<Vec<DecisionSource>, OfficeError> {
    if lines.lines().filter(|l| !l.trim().is_empty()).count() > MAX_SOURCES {
        return Err(OfficeError::field("sources", format!("a decision lists at most {MAX_SOURCES} sources")));
    }
    Ok(citations(office, "sources", lines)
        .await?
        .into_iter()
        .map(|(citation, stored)| DecisionSource { reference: reference(office, &stored), citation })
        .collect())
}

/// A citation as shown: the document's title, and whether a newer version replaced the one cited.
#[derive(Debug, Clone)]
pub struct CitationView {
    pub citation: Citation,
    pub document: Option<LibraryDocumentRow>,
    /// The newer version's id, when the cited version was replaced since.
    pub replaced_by: Option<String>,
}

/// The citations as shown, with their documents read in one query.
pub async fn views<'a>(
    office: &Office,
    citations: impl Iterator<Item = &'a Citation> + Clone,
) -> Result<Vec<CitationView>, OfficeError> {
    let mut ids: Vec<String> = citations.clone().map(|c| c.document.clone()).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let documents = office.store().library_documents_by_id(&ids).await?;
    Ok(citations
        .map(|c| {
            let document = documents.iter().find(|d| d.id == c.document).cloned();
            let replaced_by = document.as_ref().and_then(|d| d.replaced_by.clone());
            CitationView { citation: c.clone(), document, replaced_by }
        })
        .collect())
}

/// How a decision letter names a document (in French, the letter's language): its publisher,
/// title and date; the office's own notes and mission reports, which never leave the office,
/// without their title.
fn reference(office: &Office, d: &LibraryDocumentRow) -> String {
    let date = Date::parse(&d.published_on, format_description!("[year]-[month]-[day]"))
        .map(crate::letters::date_fr)
        .unwrap_or_else(|_| d.published_on.clone());
    let kind = serde_json::from_value::<DocumentType>(serde_json::Value::String(d.kind.clone())).ok();
    match kind {
        Some(DocumentType::ResearchNote) => format!("Note de recherche de l'Office (document interne), {date}"),
        Some(DocumentType::MissionReport) => format!("Rapport de mission de l'Office (document interne), {date}"),
        _ => {
            let publisher = office.library().sources().get(&d.source).map_or(d.source.as_str(), |s| s.name.as_str());
            format!("{publisher}, « {} », {date}", d.title)
        }
    }
}
