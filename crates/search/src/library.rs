//! The library's index: schema, writing passages, searching with facets, snippets.

use std::collections::BTreeSet;
use std::ops::Bound;
use std::path::Path;

use nansen_domain::research::arabic;
use nansen_domain::research::CountryMatch;
use tantivy::collector::TopDocs;
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, RegexQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, IndexWriter, Order, ReloadPolicy, TantivyDocument, Term};

/// Memory the writer may buffer before it writes a segment (bytes).
const WRITER_MEMORY: usize = 64_000_000;

/// Characters of a snippet around its first match.
const SNIPPET_CHARS: usize = 320;

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
}

/// A passage as the index takes it.
#[derive(Debug, Clone)]
pub struct PassageDoc<'a> {
    pub document: &'a str,
    /// The version's SHA-256.
    pub version: &'a str,
    pub passage: u32,
    pub text: &'a str,
    /// ISO 639-3 (`fra`, `eng`, `ara`, …): which analysis the text gets.
    pub language: &'a str,
    pub countries: &'a [String],
    pub topics: &'a [String],
    pub source: &'a str,
    pub kind: &'a str,
    /// Days since 1970-01-01 of the document's publication.
    pub published_day: i64,
    /// The office's own note: never listed for anyone outside the office.
    pub internal: bool,
}

/// The facets of a search, as the index reads them (codes as stored).
#[derive(Debug, Clone, Default)]
pub struct SearchFacets {
    pub countries: Vec<String>,
    pub country_match: CountryMatch,
    pub sources: Vec<String>,
    pub kinds: Vec<String>,
    pub languages: Vec<String>,
    pub topics: Vec<String>,
    /// Publication days (since 1970-01-01), both included.
    pub published_from: Option<i64>,
    pub published_to: Option<i64>,
    /// Leave out the office's own notes.
    pub external_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    Relevance,
    /// The newest publications first.
    Date,
}

/// A piece of a snippet: matched words are marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub text: String,
    pub matched: bool,
}

/// A passage found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub document: String,
    pub version: String,
    pub passage: u32,
    pub score: f32,
    pub published_day: i64,
    pub snippet: Vec<Mark>,
}

#[derive(Clone, Copy)]
struct Fields {
    document: Field,
    version: Field,
    passage: Field,
    text_en: Field,
    text_fr: Field,
    text_ar: Field,
    /// The passage as written (for snippets).
    original: Field,
    country: Field,
    topic: Field,
    source: Field,
    kind: Field,
    language: Field,
    published: Field,
    internal: Field,
}

/// Passages being added, committed together by [`LibraryWriter::commit`].
pub struct LibraryWriter<'a> {
    index: &'a LibraryIndex,
    writer: IndexWriter,
    added: u64,
}

impl LibraryWriter<'_> {
    pub fn add<'p>(&mut self, passages: impl IntoIterator<Item = PassageDoc<'p>>) -> Result<(), SearchError> {
        for p in passages {
            self.writer.add_document(self.index.document_of(&p))?;
            self.added += 1;
        }
        Ok(())
    }

    /// Commits, recording `seq` as the journal position the index reflects; returns how many
    /// passages were added.
    pub fn commit(mut self, seq: u64) -> Result<u64, SearchError> {
        let mut prepared = self.writer.prepare_commit()?;
        prepared.set_payload(&seq.to_string());
        prepared.commit()?;
        self.index.reader.reload()?;
        Ok(self.added)
    }
}

/// The library's passages in a tantivy index.
pub struct LibraryIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        document: b.add_text_field("document", STRING | STORED),
        version: b.add_text_field("version", STRING | STORED),
        passage: b.add_u64_field("passage", INDEXED | STORED),
        text_en: b.add_text_field("text_en", text("nansen_en")),
        text_fr: b.add_text_field("text_fr", text("nansen_fr")),
        text_ar: b.add_text_field("text_ar", text("nansen_ar")),
        original: b.add_text_field("original", STORED),
        country: b.add_text_field("country", STRING),
        topic: b.add_text_field("topic", STRING),
        source: b.add_text_field("source", STRING),
        kind: b.add_text_field("kind", STRING),
        language: b.add_text_field("language", STRING),
        published: b.add_i64_field("published", INDEXED | STORED | FAST),
        internal: b.add_u64_field("internal", INDEXED),
    };
    (b.build(), fields)
}

fn analyzer(language: Option<Language>) -> TextAnalyzer {
    let builder =
        TextAnalyzer::builder(SimpleTokenizer::default()).filter(RemoveLongFilter::limit(40)).filter(LowerCaser);
    match language {
        Some(language) => builder.filter(Stemmer::new(language)).build(),
        None => builder.build(),
    }
}

/// Arabic words replaced by their light stems (other words as they are): what the `text_ar`
/// field indexes and what a query asks of it.
fn arabic_terms(text: &str) -> String {
    text.split_whitespace()
        .map(|token| {
            // Operators' marks around a word stay: `"`, `(`, `)`, `-`, `+`, `*`, `~3`.
            let start = token.find(|c: char| c.is_alphanumeric()).unwrap_or(token.len());
            let end = token
                .rfind(|c: char| c.is_alphanumeric())
                .map_or(start, |i| i + token[i..].chars().next().map_or(0, char::len_utf8));
            if start >= end {
                return token.to_owned();
            }
            format!("{}{}{}", &token[..start], arabic::stem(&token[start..end]), &token[end..])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl LibraryIndex {
    /// The index kept in `dir` (created when absent).
    pub fn open(dir: &Path) -> Result<LibraryIndex, SearchError> {
        std::fs::create_dir_all(dir).map_err(|e| tantivy::TantivyError::IoError(std::sync::Arc::new(e)))?;
        let (schema, fields) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)?;
        let index = Index::open_or_create(directory, schema)?;
        LibraryIndex::with(index, fields)
    }

    /// An index in memory (tests, benchmarks).
    pub fn in_memory() -> Result<LibraryIndex, SearchError> {
        let (schema, fields) = schema();
        LibraryIndex::with(Index::create_in_ram(schema), fields)
    }

    fn with(index: Index, fields: Fields) -> Result<LibraryIndex, SearchError> {
        index.tokenizers().register("nansen_en", analyzer(Some(Language::English)));
        index.tokenizers().register("nansen_fr", analyzer(Some(Language::French)));
        index.tokenizers().register("nansen_ar", analyzer(None));
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(LibraryIndex { index, reader, fields })
    }

    /// Replaces the whole index with `passages` (the rebuild), committed once.
    pub fn rebuild<'a>(&self, passages: impl IntoIterator<Item = PassageDoc<'a>>) -> Result<u64, SearchError> {
        let mut writer = self.writer(true)?;
        writer.add(passages)?;
        writer.commit(0)
    }

    /// Adds the passages of one document version (an import), committed together.
    pub fn add<'a>(&self, passages: impl IntoIterator<Item = PassageDoc<'a>>) -> Result<(), SearchError> {
        let seq = self.indexed_seq();
        let mut writer = self.writer(false)?;
        writer.add(passages)?;
        writer.commit(seq).map(|_| ())
    }

    /// A writer adding passages in as many calls as needed, committed once with the journal
    /// position the index then reflects; `from_scratch` empties the index first (the rebuild).
    /// One writer at a time, across processes (tantivy's lock): [`SearchError`] otherwise.
    pub fn writer(&self, from_scratch: bool) -> Result<LibraryWriter<'_>, SearchError> {
        let writer: IndexWriter = self.index.writer(WRITER_MEMORY)?;
        if from_scratch {
            writer.delete_all_documents()?;
        }
        Ok(LibraryWriter { index: self, writer, added: 0 })
    }

    /// The journal position (`seq` of the last library entry) the index reflects, as its last
    /// commit recorded it; 0 for an index never committed with one.
    pub fn indexed_seq(&self) -> u64 {
        self.index.load_metas().ok().and_then(|m| m.payload).and_then(|p| p.parse().ok()).unwrap_or(0)
    }

    /// Reads what another writer (another process) committed since.
    pub fn refresh(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        Ok(())
    }

    /// How many passages the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn document_of(&self, p: &PassageDoc<'_>) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::default();
        doc.add_text(f.document, p.document);
        doc.add_text(f.version, p.version);
        doc.add_u64(f.passage, u64::from(p.passage));
        match p.language {
            "fra" => doc.add_text(f.text_fr, p.text),
            "ara" | "fas" | "prs" | "pus" | "urd" => doc.add_text(f.text_ar, arabic_terms(p.text)),
            _ => doc.add_text(f.text_en, p.text),
        }
        doc.add_text(f.original, p.text);
        for c in p.countries {
            doc.add_text(f.country, c);
        }
        for t in p.topics {
            doc.add_text(f.topic, t);
            // A subject is also found under its theme (`gender.fgm` under `gender`).
            if let Some((theme, _)) = t.split_once('.') {
                doc.add_text(f.topic, theme);
            }
        }
        doc.add_text(f.source, p.source);
        doc.add_text(f.kind, p.kind);
        doc.add_text(f.language, p.language);
        doc.add_i64(f.published, p.published_day);
        doc.add_u64(f.internal, u64::from(p.internal));
        doc
    }

    /// The passages that match `query` (already mended by the domain; `None`: every passage) and
    /// the facets, best first or newest first, with their snippets.
    pub fn search(
        &self,
        query: Option<&str>,
        facets: &SearchFacets,
        sort: SortBy,
        limit: usize,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = self.fields;
        // A word ending in `*` (outside a phrase) is the start of a term, in any of the three
        // fields: the parser reads prefixes in phrases only.
        let (rest, prefixes) = query.map(split_prefixes).unwrap_or_default();
        let text: Box<dyn Query> = match rest.as_deref() {
            Some(q) => {
                let mut parser = QueryParser::for_index(&self.index, vec![f.text_en, f.text_fr, f.text_ar]);
                parser.set_conjunction_by_default();
                // The Arabic field holds stems: the query's Arabic words are stemmed the same way.
                let (parsed, _errors) = parser.parse_query_lenient(&arabic_terms(q));
                parsed
            }
            None => Box::new(AllQuery),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text)];
        for prefix in &prefixes {
            let mut any_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for field in [f.text_en, f.text_fr, f.text_ar] {
                any_field.push((Occur::Should, Box::new(RegexQuery::from_pattern(&format!("{prefix}.*"), field)?)));
            }
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any_field))));
        }
        let term = |field: Field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic))
        };
        let any_of = |field: Field, values: &[String]| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(values.iter().map(|v| (Occur::Should, term(field, v))).collect()))
        };
        if !facets.countries.is_empty() {
            match facets.country_match {
                CountryMatch::AnyOf => clauses.push((Occur::Must, any_of(f.country, &facets.countries))),
                CountryMatch::AllOf => {
                    clauses.extend(facets.countries.iter().map(|c| (Occur::Must, term(f.country, c))))
                }
                CountryMatch::NoneOf => {
                    clauses.extend(facets.countries.iter().map(|c| (Occur::MustNot, term(f.country, c))))
                }
            }
        }
        for (field, values) in [
            (f.source, &facets.sources),
            (f.kind, &facets.kinds),
            (f.language, &facets.languages),
            (f.topic, &facets.topics),
        ] {
            if !values.is_empty() {
                clauses.push((Occur::Must, any_of(field, values)));
            }
        }
        if facets.published_from.is_some() || facets.published_to.is_some() {
            let lower = facets
                .published_from
                .map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_i64(f.published, d)));
            let upper =
                facets.published_to.map_or(Bound::Unbounded, |d| Bound::Included(Term::from_field_i64(f.published, d)));
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lower, upper))));
        }
        if facets.external_only {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(Term::from_field_u64(f.internal, 1), IndexRecordOption::Basic)),
            ));
        }
        let combined = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let addresses: Vec<(f32, tantivy::DocAddress)> = match sort {
            SortBy::Relevance => searcher.search(&combined, &TopDocs::with_limit(limit.max(1)).order_by_score())?,
            SortBy::Date => searcher
                .search(
                    &combined,
                    &TopDocs::with_limit(limit.max(1)).order_by_fast_field::<i64>("published", Order::Desc),
                )?
                .into_iter()
                .map(|(_, a)| (0.0, a))
                .collect(),
        };
        let mut analyses = Analyses::new();
        let terms = query.map(|q| Terms::of(q, &mut analyses)).unwrap_or_default();
        let mut hits = Vec::with_capacity(addresses.len());
        for (score, address) in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text_of = |field: Field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
            let original = text_of(f.original);
            hits.push(Hit {
                document: text_of(f.document),
                version: text_of(f.version),
                passage: doc
                    .get_first(f.passage)
                    .and_then(|v| v.as_u64())
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0),
                score,
                published_day: doc.get_first(f.published).and_then(|v| v.as_i64()).unwrap_or(0),
                snippet: snippet(&original, &terms, &mut analyses),
            });
        }
        Ok(hits)
    }
}

/// The query without its prefixes (`None` when nothing else is left), and the prefixes in lower
/// case (letters and digits only, at least two).
fn split_prefixes(query: &str) -> (Option<String>, Vec<String>) {
    let mut rest = Vec::new();
    let mut prefixes = Vec::new();
    let mut in_phrase = false;
    for token in query.split(' ') {
        let quotes = token.matches('"').count();
        let bare = token.trim_start_matches(['(', '+']).trim_end_matches(')');
        if !in_phrase && quotes == 0 && bare.ends_with('*') {
            let prefix: String = bare.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect();
            if prefix.chars().count() >= 2 {
                prefixes.push(prefix);
                continue;
            }
        }
        if quotes % 2 == 1 {
            in_phrase = !in_phrase;
        }
        rest.push(token);
    }
    let rest = rest.join(" ");
    let has_words = rest.split(' ').any(|t| t.chars().any(char::is_alphanumeric) && !matches!(t, "AND" | "OR" | "NOT"));
    (has_words.then_some(rest), prefixes)
}

/// The index's analyses of a word, built once per search.
struct Analyses {
    english: TextAnalyzer,
    french: TextAnalyzer,
}

impl Analyses {
    fn new() -> Analyses {
        Analyses { english: analyzer(Some(Language::English)), french: analyzer(Some(Language::French)) }
    }

    /// The forms a word takes in the index's analyses: as written (lower case), its Arabic
    /// light stem, its English and French stems.
    fn forms(&mut self, word: &str) -> Vec<String> {
        let mut out = vec![word.to_lowercase()];
        if word.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
            out.push(arabic::stem(word));
            return out;
        }
        for a in [&mut self.english, &mut self.french] {
            let mut stream = a.token_stream(word);
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
        }
        out
    }
}

/// What a snippet marks: the query's words in each analysis (English and French stems, Arabic
/// light stems, as written), and its prefixes (`retour*`).
#[derive(Default)]
struct Terms {
    forms: BTreeSet<String>,
    prefixes: Vec<String>,
}

impl Terms {
    fn of(query: &str, analyses: &mut Analyses) -> Terms {
        let mut terms = Terms::default();
        for raw in query.split(|c: char| c.is_whitespace() || matches!(c, '"' | '(' | ')' | '+' | '~')) {
            let raw = raw.trim_start_matches('-');
            if raw.is_empty()
                || matches!(raw, "AND" | "OR" | "NOT" | "&&" | "||")
                || raw.chars().all(|c| c.is_ascii_digit())
            {
                continue;
            }
            if let Some(prefix) = raw.strip_suffix('*') {
                if !prefix.is_empty() {
                    terms.prefixes.push(prefix.to_lowercase());
                }
                continue;
            }
            terms.forms.extend(analyses.forms(raw));
        }
        terms
    }

    fn matches(&self, word: &str, analyses: &mut Analyses) -> bool {
        if self.forms.is_empty() && self.prefixes.is_empty() {
            return false;
        }
        let lower = word.to_lowercase();
        self.prefixes.iter().any(|p| lower.starts_with(p.as_str()))
            || analyses.forms(word).iter().any(|f| self.forms.contains(f))
    }
}

/// A passage's snippet: about [`SNIPPET_CHARS`] characters from a little before its first
/// matched word, the matched words marked (the whole passage's start when nothing matched).
fn snippet(text: &str, terms: &Terms, analyses: &mut Analyses) -> Vec<Mark> {
    // The words with their byte ranges.
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push((s, text.len()));
    }
    let matched: Vec<bool> = words.iter().map(|&(a, b)| terms.matches(&text[a..b], analyses)).collect();
    let first = matched.iter().position(|m| *m).unwrap_or(0);
    // A few words of context before the first match.
    let from = words.get(first.saturating_sub(8)).map_or(0, |w| w.0);
    let mut until = text.len();
    let mut taken = 0;
    for (i, c) in text[from..].char_indices() {
        taken += 1;
        if taken > SNIPPET_CHARS && !c.is_alphanumeric() {
            until = from + i;
            break;
        }
    }
    let mut marks: Vec<Mark> = Vec::new();
    let mut at = from;
    let mut push = |text: &str, matched: bool| match marks.last_mut() {
        Some(last) if last.matched == matched => last.text.push_str(text),
        _ => marks.push(Mark { text: text.to_owned(), matched }),
    };
    if from > 0 {
        push("… ", false);
    }
    for (&(a, b), &m) in words.iter().zip(&matched) {
        if a < from || b > until {
            continue;
        }
        push(&text[at..a], false);
        push(&text[a..b], m);
        at = b;
    }
    push(&text[at..until], false);
    if until < text.len() {
        push(" …", false);
    }
    marks.retain(|m| !m.text.is_empty());
    marks
}

#[cfg(test)]
mod tests;
