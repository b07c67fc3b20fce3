//! The library: search with facets and snippets, a document with its passages, its bytes, and
//! the import of a document (checked by the domain, its text read by `nansen-docs`, its bytes
//! stored before the commit that journals it).

use std::path::Path;
use std::sync::Arc;

use nansen_authz::{Action as Act, Resource};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::text::{self, TextRefusal};
use nansen_domain::documents::ContentHash;
use nansen_domain::ids::Nationality;
use nansen_domain::planning::languages::LanguageCode;
use nansen_domain::research::{
    document_id, mended, CountryMatch, DocumentType, LibraryEntry, NewLibraryDocument, Source, Sources, Topics,
};
use nansen_search::{LibraryIndex, Mark, PassageDoc, SearchFacets, SortBy};
use nansen_store::{Action, IndexableDocument, LibraryDocumentRow, Op, Store};
use time::Date;

use crate::{Agent, Office, OfficeError};

/// The journal subject of the library's reads.
const LIBRARY: &str = "library";

/// Documents read from the store per page while the index catches up.
const INDEX_PAGE: i64 = 200;

/// The most results a search lists.
pub const MAX_RESULTS: usize = 100;

/// The library's index and taxonomy, held by the office.
pub(crate) struct Library {
    index: Arc<LibraryIndex>,
    /// One writer at a time in this process (tantivy also locks across processes).
    writing: tokio::sync::Mutex<()>,
    topics: Topics,
    sources: Sources,
}

impl Library {
    /// The index in `dir` (created when absent), or in memory.
    pub(crate) fn open(dir: Option<&Path>) -> Result<Library, OfficeError> {
        let index = match dir {
            Some(dir) => LibraryIndex::open(dir),
            None => LibraryIndex::in_memory(),
        }
        .map_err(|e| OfficeError::Internal(format!("library index: {e}")))?;
        Ok(Library {
            index: Arc::new(index),
            writing: tokio::sync::Mutex::new(()),
            topics: Topics::embedded()?,
            sources: Sources::embedded()?,
        })
    }

    pub(crate) fn topics(&self) -> &Topics {
        &self.topics
    }

    pub(crate) fn sources(&self) -> &Sources {
        &self.sources
    }
}

/// What the library's forms offer: sources, topics (code, French, English), document types.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    pub sources: Vec<Source>,
    pub topics: Vec<(String, String, String)>,
    pub kinds: Vec<&'static str>,
}

/// The library's vocabulary (taxonomy and sources are data, not secrets: no authorization).
pub fn vocabulary(office: &Office) -> Vocabulary {
    let library = office.library();
    Vocabulary {
        sources: library.sources().all().cloned().collect(),
        topics: library.topics().all().map(|t| (t.code.clone(), t.fr.clone(), t.en.clone())).collect(),
        kinds: ["report", "news", "legal_text", "research_note", "mission_report"].to_vec(),
    }
}

/// A search of the library, as the edges parse it (codes as typed; the office checks them).
#[derive(Debug, Clone, Default)]
pub struct LibraryQuery {
    pub q: String,
    pub countries: Vec<String>,
    pub country_match: CountryMatch,
    pub sources: Vec<String>,
    pub kinds: Vec<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    pub published_from: Option<Date>,
    pub published_to: Option<Date>,
    /// Newest first rather than best first.
    pub by_date: bool,
    /// At most [`MAX_RESULTS`]; 0 means 20.
    pub limit: usize,
}

impl LibraryQuery {
    /// Neither words nor facets: the page lists the documents added last.
    pub fn is_empty(&self) -> bool {
        self.q.trim().is_empty()
            && self.countries.is_empty()
            && self.sources.is_empty()
            && self.kinds.is_empty()
            && self.languages.is_empty()
            && self.topics.is_empty()
            && self.published_from.is_none()
            && self.published_to.is_none()
    }
}

/// How many of the documents added last an empty search lists.
const RECENT: i64 = 15;

/// One passage found.
#[derive(Debug, Clone)]
pub struct LibraryHit {
    pub document: LibraryDocumentRow,
    pub passage: u32,
    pub score: f32,
    pub snippet: Vec<Mark>,
}

#[derive(Debug, Clone)]
pub struct LibraryResults {
    /// The query as searched, when it had to be mended (quotes or parentheses paired, dangling
    /// operators dropped).
    pub mended: Option<String>,
    pub hits: Vec<LibraryHit>,
    /// More passages matched than were listed.
    pub more: bool,
    /// Whether the agent may add documents (the page offers the import).
    pub may_manage: bool,
    pub documents: u64,
    pub passages: u64,
    /// The documents added last, when the search names neither words nor facets.
    pub recent: Vec<LibraryDocumentRow>,
}

/// Searches the library; the read is authorized and journaled.
pub async fn search(office: &Office, agent: &Agent, query: &LibraryQuery) -> Result<LibraryResults, OfficeError> {
    let answers = office.ask(agent, &[Act::ReadLibrary, Act::ManageLibrary], &Resource::Office, LIBRARY).await?;
    let Found { mended, hits, more } = find(office, query).await?;
    let (documents, passages) = office.store().library_size().await?;
    let recent = if query.is_empty() { office.store().library_recent(RECENT).await? } else { Vec::new() };
    Ok(LibraryResults { mended, hits, more, may_manage: answers.allowed(1), documents, passages, recent })
}

/// What a search found.
pub(crate) struct Found {
    pub mended: Option<String>,
    pub hits: Vec<LibraryHit>,
    pub more: bool,
}

/// The search itself, for a read authorized by the caller.
pub(crate) async fn find(office: &Office, query: &LibraryQuery) -> Result<Found, OfficeError> {
    let library = office.library();
    let facets = facets_of(office, library, query)?;
    // The case search's `q` has its own message: this one is the library's.
    let q = mended(&query.q).map_err(|e| OfficeError::field("library_q", e.to_string()))?;
    let mended = q.clone().filter(|m| m.as_str() != query.q.split_whitespace().collect::<Vec<_>>().join(" "));
    catch_up(office).await?;
    let limit = match query.limit {
        0 => 20,
        n => n.min(MAX_RESULTS),
    };
    let index = library.index.clone();
    let sort = if query.by_date { SortBy::Date } else { SortBy::Relevance };
    let empty = query.is_empty();
    let found = tokio::task::spawn_blocking(move || {
        if empty {
            return Ok(Vec::new());
        }
        index.search(q.as_deref(), &facets, sort, limit + 1)
    })
    .await
    .map_err(crate::error::internal)?
    .map_err(|e| OfficeError::Internal(format!("library search: {e}")))?;
    let mut found = found;
    // Ties (the same words in two versions of a report) in a stable order, whatever the index's
    // segments: the score or the date, then the document and the passage.
    found.sort_by(|a, b| {
        let first =
            if sort == SortBy::Date { b.published_day.cmp(&a.published_day) } else { b.score.total_cmp(&a.score) };
        first.then_with(|| a.document.cmp(&b.document)).then(a.passage.cmp(&b.passage))
    });
    let more = found.len() > limit;
    let mut ids: Vec<String> = found.iter().take(limit).map(|h| h.document.clone()).collect();
    ids.sort();
    ids.dedup();
    let documents = office.store().library_documents_by_id(&ids).await?;
    let hits = found
        .into_iter()
        .take(limit)
        .filter_map(|h| {
            let document = documents.iter().find(|d| d.id == h.document)?.clone();
            Some(LibraryHit { document, passage: h.passage, score: h.score, snippet: h.snippet })
        })
        .collect();
    Ok(Found { mended, hits, more })
}

/// The facets checked against what the office knows, field by field.
fn facets_of(office: &Office, library: &Library, query: &LibraryQuery) -> Result<SearchFacets, OfficeError> {
    let mut countries = Vec::new();
    for c in &query.countries {
        let code = Nationality::parse(c.trim())
            .map_err(|_| OfficeError::field("countries", format!("{c:?} is not a country code")))?;
        if office.rules().nationality(code).is_none() {
            return Err(OfficeError::field("countries", format!("{c} is not a country the office knows")));
        }
        countries.push(code.as_str().to_owned());
    }
    for s in &query.sources {
        if library.sources.get(s).is_none() {
            return Err(OfficeError::field("source", format!("no source {s:?} in the library")));
        }
    }
    let mut kinds = Vec::new();
    for k in &query.kinds {
        kinds.push(
            kind_of(k)
                .ok_or_else(|| OfficeError::field("type", format!("no document type {k:?}")))?
                .as_str()
                .to_owned(),
        );
    }
    let mut languages = Vec::new();
    for l in &query.languages {
        languages.push(
            LanguageCode::parse(l).map_err(|e| OfficeError::field("language", e.to_string()))?.as_str().to_owned(),
        );
    }
    for t in &query.topics {
        if library.topics.get(t).is_none() {
            return Err(OfficeError::field("topic", format!("{t:?} is not in the taxonomy")));
        }
    }
    if let (Some(from), Some(to)) = (query.published_from, query.published_to) {
        if from > to {
            return Err(OfficeError::field("published_to", "the end of the period comes after its start"));
        }
    }
    Ok(SearchFacets {
        countries,
        country_match: query.country_match,
        sources: query.sources.clone(),
        kinds,
        languages,
        topics: query.topics.clone(),
        published_from: query.published_from.map(day_of),
        published_to: query.published_to.map(day_of),
        external_only: false,
    })
}

fn kind_of(code: &str) -> Option<DocumentType> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

/// Days since 1970-01-01, as the index keeps publication dates.
fn day_of(date: Date) -> i64 {
    i64::from(date.to_julian_day() - time::macros::date!(1970 - 01 - 01).to_julian_day())
}

/// A document with its passages.
#[derive(Debug, Clone)]
pub struct LibraryDocumentView {
    /// The version that replaced this one, if any (its id, title and date).
    pub newer: Option<LibraryDocumentRow>,
    /// The version this one replaced.
    pub older: Option<LibraryDocumentRow>,
    pub document: LibraryDocumentRow,
    pub source: Option<Source>,
    /// Topics with their labels: (code, French, English).
    pub topics: Vec<(String, String, String)>,
    pub passages: Vec<String>,
    pub may_manage: bool,
}

/// One document of the library; the read is authorized and journaled under `library:<id>`.
pub async fn document(office: &Office, agent: &Agent, id: &str) -> Result<LibraryDocumentView, OfficeError> {
    let answers =
        office.ask(agent, &[Act::ReadLibrary, Act::ManageLibrary], &Resource::Office, &format!("library:{id}")).await?;
    let document =
        office.store().library_document(id).await?.ok_or_else(|| OfficeError::NotFound(format!("document {id}")))?;
    let passages = office.store().library_passages(id).await?;
    let library = office.library();
    let topics = document
        .topics
        .iter()
        .map(|t| match library.topics.get(t) {
            Some(topic) => (t.clone(), topic.fr.clone(), topic.en.clone()),
            None => (t.clone(), t.clone(), t.clone()),
        })
        .collect();
    let newer = match &document.replaced_by {
        Some(id) => office.store().library_document(id).await?,
        None => None,
    };
    let older = match &document.replaces {
        Some(id) => office.store().library_document(id).await?,
        None => None,
    };
    Ok(LibraryDocumentView {
        newer,
        older,
        source: library.sources.get(&document.source).cloned(),
        document,
        topics,
        passages,
        may_manage: answers.allowed(1),
    })
}

/// A library document's bytes, as stored.
pub struct LibraryContent {
    pub id: String,
    pub media_type: String,
    pub size: u64,
    pub stream: futures_util::stream::BoxStream<'static, Result<bytes::Bytes, nansen_docs::objects::ObjectError>>,
}

/// The stored file of a document; the read is journaled under `library:<id>:content`.
pub async fn content(office: &Office, agent: &Agent, id: &str) -> Result<LibraryContent, OfficeError> {
    office.ask(agent, &[Act::ReadLibrary], &Resource::Office, &format!("library:{id}:content")).await?;
    let document =
        office.store().library_document(id).await?.ok_or_else(|| OfficeError::NotFound(format!("document {id}")))?;
    let hash: StoreHash = document.sha256.parse().map_err(crate::error::internal)?;
    let (size, stream) =
        office.documents().get(&hash).await.map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    Ok(LibraryContent { id: document.id, media_type: document.media_type, size, stream })
}

/// The library's id of a file: the same bytes are the same document.
pub fn id_of(bytes: &[u8]) -> String {
    let hash = StoreHash::of(bytes);
    ContentHash::parse(&hash.to_hex()).map(|h| document_id(&h)).unwrap_or_default()
}

/// A document to import, as the edges parse it.
#[derive(Debug, Clone, Default)]
pub struct NewDocumentForm {
    pub bytes: Vec<u8>,
    pub title: String,
    pub source: String,
    pub kind: String,
    pub language: String,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub published_on: Option<Date>,
    pub replaces: Option<String>,
}

/// Imports a document: its text read (a PDF without a text layer is kept, flagged "no text"),
/// its description checked, its bytes stored, then one commit journals it with its passages.
/// Returns its id.
pub async fn add_document(office: &Office, agent: &Agent, form: NewDocumentForm) -> Result<String, OfficeError> {
    let applied = office
        .act(agent, Act::ManageLibrary, &Resource::Office, LIBRARY, async || {
            let op = import_op(office, agent, form).await?;
            Ok(vec![op])
        })
        .await?;
    let id = applied.first().and_then(|a| a.subject.strip_prefix("library:")).unwrap_or_default().to_owned();
    // The store is the truth: an index that fails here catches up on the next search.
    if let Err(e) = catch_up(office).await {
        tracing::warn!(error = %e, "the library index will catch up on the next search");
    }
    Ok(id)
}

async fn import_op(office: &Office, agent: &Agent, form: NewDocumentForm) -> Result<Op, OfficeError> {
    let NewDocumentForm { bytes, title, source, kind, language, countries, topics, published_on, replaces } = form;
    let kind = kind_of(&kind).ok_or_else(|| OfficeError::field("type", format!("no document type {kind:?}")))?;
    let language = LanguageCode::parse(&language).map_err(|e| OfficeError::field("language", e.to_string()))?;
    let mut codes = Vec::new();
    for c in countries.iter().filter(|c| !c.trim().is_empty()) {
        codes.push(
            Nationality::parse(c.trim())
                .map_err(|_| OfficeError::field("countries", format!("{c:?} is not a country code")))?,
        );
    }
    let published_on = published_on.ok_or_else(|| OfficeError::field("published_on", "the date of publication"))?;
    let (bytes, extracted) = tokio::task::spawn_blocking(move || {
        let extracted = text::extract(&bytes);
        (bytes, extracted)
    })
    .await
    .map_err(crate::error::internal)?;
    let extracted = extracted.map_err(|refusal: TextRefusal| OfficeError::Upload {
        field: "file".into(),
        code: refusal.code(),
        message: refusal.to_string(),
    })?;
    let hash = StoreHash::of(&bytes);
    let content = ContentHash::parse(&hash.to_hex())?;
    let library = office.library();
    let document = NewLibraryDocument {
        id: document_id(&content),
        source,
        title,
        kind,
        language,
        countries: codes,
        topics: topics.into_iter().filter(|t| !t.trim().is_empty()).collect(),
        published_on,
        added_on: office.today(),
        content,
        replaces: replaces.filter(|r| !r.trim().is_empty()),
        has_text: extracted.text.is_some(),
    }
    .checked(office.rules(), &library.topics, &library.sources.codes())?;
    let size = bytes.len() as u64;
    office
        .documents()
        .put_bytes(&hash, bytes.into())
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    let entry = LibraryEntry::new(document, extracted.kind.as_mime(), size, extracted.text.as_deref());
    Ok(Op { actor: agent.login.clone(), now: office.now(), action: Action::AddLibraryDocument(Box::new(entry)) })
}

/// Brings the index up to the store's last library entry: what another process added, or what a
/// crash between a commit and the index left out; from scratch when the index is ahead of the
/// store (a database restored from a backup).
pub async fn catch_up(office: &Office) -> Result<(), OfficeError> {
    let library = office.library();
    let latest = office.store().library_latest_seq().await? as u64;
    if library.index.indexed_seq() == latest {
        return Ok(());
    }
    let _writing = library.writing.lock().await;
    library.index.refresh().map_err(|e| OfficeError::Internal(format!("library index: {e}")))?;
    let indexed = library.index.indexed_seq();
    if indexed == latest {
        return Ok(());
    }
    let from_scratch = indexed > latest;
    index_from(office.store().clone(), library.index.clone(), if from_scratch { 0 } else { indexed }, from_scratch)
        .await
        .map(|_| ())
}

/// Rebuilds the index from the store (`nansen rebuild`): how many passages it holds.
pub async fn rebuild_index(office: &Office) -> Result<u64, OfficeError> {
    let library = office.library();
    let _writing = library.writing.lock().await;
    index_from(office.store().clone(), library.index.clone(), 0, true).await?;
    Ok(library.index.len())
}

async fn index_from(
    store: Store,
    index: Arc<LibraryIndex>,
    after: u64,
    from_scratch: bool,
) -> Result<u64, OfficeError> {
    let runtime = tokio::runtime::Handle::current();
    tokio::task::spawn_blocking(move || {
        let failed = |e: nansen_search::SearchError| OfficeError::Internal(format!("library index: {e}"));
        let mut writer = index.writer(from_scratch).map_err(failed)?;
        let mut last = after;
        loop {
            let page = runtime.block_on(store.library_for_index(last as i64, INDEX_PAGE))?;
            let Some(end) = page.last() else { break };
            let end = end.document.seq as u64;
            for d in &page {
                writer.add(passage_docs(d)).map_err(failed)?;
            }
            last = end;
        }
        writer.commit(last).map_err(failed)
    })
    .await
    .map_err(crate::error::internal)?
}

/// A document's passages as the index takes them.
fn passage_docs(d: &IndexableDocument) -> Vec<PassageDoc<'_>> {
    let doc = &d.document;
    let published_day =
        Date::parse(&doc.published_on, &time::format_description::well_known::Iso8601::DATE).map(day_of).unwrap_or(0);
    let internal = kind_of(&doc.kind).is_some_and(DocumentType::is_internal);
    d.passages
        .iter()
        .enumerate()
        .map(|(i, text)| PassageDoc {
            document: &doc.id,
            version: &doc.sha256,
            passage: i as u32 + 1,
            text,
            language: &doc.language,
            countries: &doc.countries,
            topics: &doc.topics,
            source: &doc.source,
            kind: &doc.kind,
            published_day,
            internal,
        })
        .collect()
}
