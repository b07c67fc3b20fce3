//! The country-of-origin library: what a document is (its source, type, countries, topics from
//! the division's taxonomy, language, dates, the version it stores), and who may take it out of
//! the office. A new version of a report is a new document that names the one it replaces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::documents::ContentHash;
use crate::error::DomainError;
use crate::ids::Nationality;
use crate::planning::languages::LanguageCode;
use crate::rules::Rules;
use crate::serde_dates;

const TOPICS: &str = include_str!("../../rules/coi-topics.toml");
const SOURCES: &str = include_str!("../../rules/coi-sources.toml");

/// The kind of a library document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// A report by an agency, an NGO or a government.
    Report,
    News,
    /// A law, a decree, a judgment.
    LegalText,
    /// The office's own research note (an answered research request, among others).
    ResearchNote,
    /// The report of the office's mission to a country.
    MissionReport,
}

impl DocumentType {
    /// The office's own documents: they never leave the office.
    pub fn is_internal(self) -> bool {
        matches!(self, DocumentType::ResearchNote | DocumentType::MissionReport)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DocumentType::Report => "report",
            DocumentType::News => "news",
            DocumentType::LegalText => "legal_text",
            DocumentType::ResearchNote => "research_note",
            DocumentType::MissionReport => "mission_report",
        }
    }
}

/// A topic of the taxonomy (`rules/coi-topics.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Topic {
    pub code: String,
    pub fr: String,
    pub en: String,
}

/// The division's controlled taxonomy of topics.
#[derive(Debug, Clone)]
pub struct Topics {
    by_code: BTreeMap<String, Topic>,
}

#[derive(Deserialize)]
struct TopicsFile {
    topic: Vec<Topic>,
}

impl Topics {
    /// The taxonomy compiled in, checked: codes unique, lower case, `theme` or `theme.subject`
    /// with the theme present.
    pub fn embedded() -> Result<Topics, DomainError> {
        Topics::parse(TOPICS)
    }

    pub fn parse(text: &str) -> Result<Topics, DomainError> {
        let bad = |reason: String| DomainError::InvalidRules { file: "coi-topics.toml", reason };
        let file: TopicsFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut by_code = BTreeMap::new();
        for t in file.topic {
            let well_formed = !t.code.is_empty()
                && t.code.split('.').count() <= 2
                && t.code.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            if !well_formed || t.fr.trim().is_empty() || t.en.trim().is_empty() {
                return Err(bad(format!("topic {:?}: a code like `gender.fgm` and labels in fr and en", t.code)));
            }
            if let Some((theme, _)) = t.code.split_once('.') {
                if !by_code.contains_key(theme) {
                    return Err(bad(format!("topic {}: its theme {theme} comes first", t.code)));
                }
            }
            if by_code.insert(t.code.clone(), t.clone()).is_some() {
                return Err(bad(format!("topic {} twice", t.code)));
            }
        }
        Ok(Topics { by_code })
    }

    pub fn get(&self, code: &str) -> Option<&Topic> {
        self.by_code.get(code)
    }

    pub fn all(&self) -> impl Iterator<Item = &Topic> {
        self.by_code.values()
    }
}

/// Who publishes a source, with its mandate and how far the division relies on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub code: String,
    pub name: String,
    /// Its mandate, as the division describes it (a UN agency, an NGO, a ministry…).
    pub mandate: String,
    /// How far the division relies on it, in a sentence.
    pub reliability: String,
}

/// The publishers the division takes documents from (`rules/coi-sources.toml`).
#[derive(Debug, Clone)]
pub struct Sources {
    by_code: BTreeMap<String, Source>,
}

#[derive(Deserialize)]
struct SourcesFile {
    source: Vec<Source>,
}

impl Sources {
    pub fn embedded() -> Result<Sources, DomainError> {
        Sources::parse(SOURCES)
    }

    pub fn parse(text: &str) -> Result<Sources, DomainError> {
        let bad = |reason: String| DomainError::InvalidRules { file: "coi-sources.toml", reason };
        let file: SourcesFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut by_code = BTreeMap::new();
        for s in file.source {
            let well_formed = !s.code.is_empty() && s.code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            if !well_formed || s.name.trim().is_empty() || s.mandate.trim().is_empty() {
                return Err(bad(format!("source {:?}: a lower-case code, a name and a mandate", s.code)));
            }
            if by_code.insert(s.code.clone(), s.clone()).is_some() {
                return Err(bad(format!("source {} twice", s.code)));
            }
        }
        Ok(Sources { by_code })
    }

    pub fn get(&self, code: &str) -> Option<&Source> {
        self.by_code.get(code)
    }

    pub fn all(&self) -> impl Iterator<Item = &Source> {
        self.by_code.values()
    }

    pub fn codes(&self) -> Vec<&str> {
        self.by_code.keys().map(String::as_str).collect()
    }
}

/// A document's identifier in the library, from its content: the same file imported twice is the
/// same document, and an import can be run again.
pub fn document_id(content: &ContentHash) -> String {
    format!("coi-{}", &content.as_str()[..16])
}

/// A document as the library journals it (`library:<id>`, kind `library.document_added`): its
/// description, the kind of file stored, and its text cut into numbered passages, so that the
/// library's tables and its index are rebuilt from the journal alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryEntry {
    pub document: NewLibraryDocument,
    /// `application/pdf`, `text/html` or `text/plain`.
    pub media_type: String,
    pub bytes: u64,
    /// Passage `n` is `passages[n - 1]`; empty for a document without text.
    pub passages: Vec<String>,
}

impl LibraryEntry {
    /// A checked description and the document's text (`None`: a PDF without a text layer, flagged
    /// "no text", kept without passages).
    pub fn new(mut document: NewLibraryDocument, media_type: &str, bytes: u64, text: Option<&str>) -> LibraryEntry {
        let passages = text.map(super::passages::split).unwrap_or_default();
        document.has_text = !passages.is_empty();
        LibraryEntry { document, media_type: media_type.to_owned(), bytes, passages }
    }
}

/// A document entering the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLibraryDocument {
    pub id: String,
    pub source: String,
    pub title: String,
    pub kind: DocumentType,
    pub language: LanguageCode,
    pub countries: Vec<Nationality>,
    pub topics: Vec<String>,
    #[serde(with = "serde_dates::date")]
    pub published_on: Date,
    #[serde(with = "serde_dates::date")]
    pub added_on: Date,
    /// The version stored: the SHA-256 of its content.
    pub content: ContentHash,
    /// The document this version replaces.
    pub replaces: Option<String>,
    /// A PDF without a text layer: accepted, flagged, with no passages.
    pub has_text: bool,
}

impl NewLibraryDocument {
    /// Checks the document's description: a title, known countries and topics, a publication not
    /// after its addition, countries and topics sorted without repeats. `sources` are the codes
    /// the library knows.
    pub fn checked(
        mut self,
        rules: &Rules,
        topics: &Topics,
        sources: &[&str],
    ) -> Result<NewLibraryDocument, DomainError> {
        self.title = self.title.trim().to_owned();
        if self.title.is_empty() || self.title.chars().count() > 200 {
            return Err(DomainError::validation("title", "a title of 1 to 200 characters"));
        }
        if !sources.contains(&self.source.as_str()) {
            return Err(DomainError::validation("source", format!("no source {:?} in the library", self.source)));
        }
        self.countries.sort();
        self.countries.dedup();
        if self.countries.is_empty() {
            return Err(DomainError::validation("countries", "name at least one country"));
        }
        if let Some(unknown) = self.countries.iter().find(|c| rules.nationality(**c).is_none()) {
            return Err(DomainError::validation("countries", format!("{unknown} is not a country the office knows")));
        }
        self.topics.sort();
        self.topics.dedup();
        if self.topics.is_empty() {
            return Err(DomainError::validation("topics", "name at least one topic"));
        }
        if let Some(unknown) = self.topics.iter().find(|t| topics.get(t).is_none()) {
            return Err(DomainError::validation("topics", format!("{unknown:?} is not in the taxonomy")));
        }
        if self.published_on > self.added_on {
            return Err(DomainError::validation("published_on", "a document is published before it is added"));
        }
        if self.replaces.as_deref() == Some(self.id.as_str()) {
            return Err(DomainError::validation("replaces", "a document does not replace itself"));
        }
        Ok(self)
    }

    /// Whether the document may leave the office (an export, the applicants' space): never for
    /// the office's own notes and mission reports.
    pub fn may_leave_the_office(&self) -> bool {
        !self.kind.is_internal()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn document() -> NewLibraryDocument {
        NewLibraryDocument {
            id: "coi-2026-0001".into(),
            source: "euaa".into(),
            title: "  Afghanistan – Security situation  ".into(),
            kind: DocumentType::Report,
            language: LanguageCode::parse("eng").expect("language"),
            countries: vec![Nationality::parse("AFG").expect("code"), Nationality::parse("AFG").expect("code")],
            topics: vec!["security.checkpoints".into(), "security".into()],
            published_on: date!(2026 - 05 - 01),
            added_on: date!(2026 - 06 - 01),
            content: ContentHash::parse(&"cd".repeat(32)).expect("hash"),
            replaces: None,
            has_text: true,
        }
    }

    #[test]
    fn the_taxonomy_is_well_formed_and_read() {
        let topics = Topics::embedded().expect("topics");
        assert!(topics.all().count() >= 20);
        assert_eq!(topics.get("gender.fgm").map(|t| t.en.as_str()), Some("Female genital mutilation"));
        assert!(Topics::parse("[[topic]]\ncode = \"a.b\"\nfr = \"x\"\nen = \"y\"\n").is_err(), "theme first");
        assert!(Topics::parse("[[topic]]\ncode = \"A\"\nfr = \"x\"\nen = \"y\"\n").is_err(), "lower case");
    }

    #[test]
    fn a_document_is_checked_field_by_field() {
        let rules = Rules::embedded();
        let topics = Topics::embedded().expect("topics");
        let ok = document().checked(&rules, &topics, &["euaa"]).expect("valid");
        assert_eq!(ok.title, "Afghanistan – Security situation");
        assert_eq!(ok.countries.len(), 1);
        assert_eq!(ok.topics, vec!["security".to_owned(), "security.checkpoints".to_owned()]);
        let field = |d: NewLibraryDocument| match d.checked(&rules, &topics, &["euaa"]) {
            Err(DomainError::Validation { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(NewLibraryDocument { title: " ".into(), ..document() }), "title");
        assert_eq!(field(NewLibraryDocument { source: "blog".into(), ..document() }), "source");
        assert_eq!(field(NewLibraryDocument { countries: vec![], ..document() }), "countries");
        assert_eq!(
            field(NewLibraryDocument { countries: vec![Nationality::parse("QQQ").expect("code")], ..document() }),
            "countries"
        );
        assert_eq!(field(NewLibraryDocument { topics: vec!["weather".into()], ..document() }), "topics");
        assert_eq!(field(NewLibraryDocument { published_on: date!(2026 - 07 - 01), ..document() }), "published_on");
        assert_eq!(field(NewLibraryDocument { replaces: Some("coi-2026-0001".into()), ..document() }), "replaces");
    }

    #[test]
    fn the_sources_are_well_formed_and_ids_come_from_the_content() {
        let sources = Sources::embedded().expect("sources");
        assert!(sources.get("unhcr").is_some());
        assert!(sources.codes().contains(&"ofpra"));
        assert!(
            Sources::parse("[[source]]\ncode = \"A\"\nname = \"x\"\nmandate = \"y\"\nreliability = \"z\"\n").is_err()
        );
        let hash = ContentHash::parse(&"ab".repeat(32)).expect("hash");
        assert_eq!(document_id(&hash), "coi-abababababababab");
        let entry = LibraryEntry::new(
            document(),
            "text/plain",
            12,
            Some("First.\n\nSecond paragraph, long enough to stand alone as a passage of its own."),
        );
        assert!(entry.document.has_text);
        assert!(!entry.passages.is_empty());
        let scan = LibraryEntry::new(document(), "application/pdf", 12, None);
        assert!(!scan.document.has_text && scan.passages.is_empty());
    }

    #[test]
    fn the_offices_own_notes_never_leave_it() {
        assert!(document().may_leave_the_office());
        assert!(!NewLibraryDocument { kind: DocumentType::ResearchNote, ..document() }.may_leave_the_office());
        assert!(!NewLibraryDocument { kind: DocumentType::MissionReport, ..document() }.may_leave_the_office());
    }
}
