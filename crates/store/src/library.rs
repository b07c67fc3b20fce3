//! The research division's library (workspace `research`): each document's description and its
//! numbered passages, as read tables of the `library:<id>` journal entries. The search index is a
//! projection of these rows, kept by the office with `nansen-search`.

use futures_util::TryStreamExt;
use nansen_domain::research::LibraryEntry;
use sqlx::{QueryBuilder, Row};

use crate::{on_db, Store, StoreError};

/// The journal's kind for a document added to the library.
pub(crate) const DOCUMENT_ADDED: &str = "library.document_added";

/// A library document as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryDocumentRow {
    pub id: String,
    pub source: String,
    pub title: String,
    pub kind: String,
    pub language: String,
    pub countries: Vec<String>,
    pub topics: Vec<String>,
    pub published_on: String,
    pub added_on: String,
    pub sha256: String,
    pub media_type: String,
    pub bytes: i64,
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
    pub passages: i64,
    pub added_by: String,
    pub seq: i64,
}

/// A document with its passages, for the search index.
#[derive(Debug, Clone)]
pub struct IndexableDocument {
    pub document: LibraryDocumentRow,
    pub passages: Vec<String>,
}

const COLUMNS: &str = "id, source, title, kind, language, countries, topics, published_on, added_on, sha256, \
                       media_type, bytes, replaces, replaced_by, passages, added_by, seq";

/// Passages inserted per statement (three binds each).
pub(crate) const PASSAGE_CHUNK_SIZE: usize = 300;

/// Writes a document added by the journal entry `$seq` (`$entry: &LibraryEntry`, `$actor: &str`):
/// its row, its passages, and the replaced document's `replaced_by`.
macro_rules! insert_library_document {
    ($conn:expr, $entry:expr, $actor:expr, $seq:expr) => {{
        let d = &$entry.document;
        sqlx::query(
            "INSERT INTO library_documents (id, source, title, kind, language, countries, topics, published_on, \
             added_on, sha256, media_type, bytes, replaces, replaced_by, passages, added_by, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $16)",
        )
        .bind(d.id.clone())
        .bind(d.source.clone())
        .bind(d.title.clone())
        .bind(d.kind.as_str())
        .bind(d.language.as_str().to_owned())
        .bind(d.countries.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(" "))
        .bind(d.topics.join(" "))
        .bind(d.published_on.to_string())
        .bind(d.added_on.to_string())
        .bind(d.content.as_str().to_owned())
        .bind($entry.media_type.clone())
        .bind($entry.bytes as i64)
        .bind(d.replaces.clone())
        .bind($entry.passages.len() as i64)
        .bind($actor.to_owned())
        .bind($seq)
        .execute(&mut *$conn)
        .await?;
        if let Some(replaced) = &d.replaces {
            sqlx::query("UPDATE library_documents SET replaced_by = $1 WHERE id = $2")
                .bind(d.id.clone())
                .bind(replaced.clone())
                .execute(&mut *$conn)
                .await?;
        }
        for (c, chunk) in $entry.passages.chunks($crate::library::PASSAGE_CHUNK_SIZE).enumerate() {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO library_passages (document, n, text) ");
            q.push_values(chunk.iter().enumerate(), |mut b, (i, text)| {
                let n = (c * $crate::library::PASSAGE_CHUNK_SIZE + i + 1) as i64;
                b.push_bind(d.id.clone()).push_bind(n).push_bind(text.clone());
            });
            q.build().execute(&mut *$conn).await?;
        }
    }};
}
pub(crate) use insert_library_document;

/// The library's tables, digested before and after a rebuild.
pub(crate) const LIBRARY_DIGEST: [(&str, &[&str], &str); 2] = [
    (
        "library_documents",
        &[
            "id",
            "source",
            "title",
            "kind",
            "language",
            "countries",
            "topics",
            "published_on",
            "added_on",
            "sha256",
            "media_type",
            "bytes",
            "replaces",
            "replaced_by",
            "passages",
            "added_by",
            "seq",
        ],
        "id",
    ),
    ("library_passages", &["document", "n", "text"], "document, n"),
];

/// Whether a digested column of the library holds an integer.
pub(crate) fn numeric(col: &str) -> bool {
    ["bytes", "passages", "n"].contains(&col)
}

/// A journal entry of the library, read back (rebuild).
pub(crate) fn replayed(payload: &str, seq: i64) -> Result<LibraryEntry, StoreError> {
    serde_json::from_str(payload)
        .map_err(|e| StoreError::Corrupt { subject: format!("journal entry {seq}"), reason: e.to_string() })
}

/// A `LibraryDocumentRow` from a row of [`COLUMNS`], on either database.
macro_rules! library_row {
    ($r:expr) => {{
        let r = &$r;
        let words = |s: String| s.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
        LibraryDocumentRow {
            id: r.try_get("id")?,
            source: r.try_get("source")?,
            title: r.try_get("title")?,
            kind: r.try_get("kind")?,
            language: r.try_get("language")?,
            countries: words(r.try_get("countries")?),
            topics: words(r.try_get("topics")?),
            published_on: r.try_get("published_on")?,
            added_on: r.try_get("added_on")?,
            sha256: r.try_get("sha256")?,
            media_type: r.try_get("media_type")?,
            bytes: r.try_get("bytes")?,
            replaces: r.try_get("replaces")?,
            replaced_by: r.try_get("replaced_by")?,
            passages: r.try_get("passages")?,
            added_by: r.try_get("added_by")?,
            seq: r.try_get("seq")?,
        }
    }};
}

impl Store {
    /// One document of the library.
    pub async fn library_document(&self, id: &str) -> Result<Option<LibraryDocumentRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM library_documents WHERE id = $1");
        on_db!(self.db(), pool => {
            match sqlx::query(&sql).bind(id.to_owned()).fetch_optional(pool).await? {
                Some(r) => Ok(Some(library_row!(r))),
                None => Ok(None),
            }
        })
    }

    /// Several documents by id (the documents of a page of search results), in no order.
    pub async fn library_documents_by_id(&self, ids: &[String]) -> Result<Vec<LibraryDocumentRow>, StoreError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM library_documents WHERE id IN ("));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(id.clone());
            }
            q.push(")");
            let mut out = Vec::with_capacity(ids.len());
            for r in q.build().fetch_all(pool).await? {
                out.push(library_row!(r));
            }
            Ok(out)
        })
    }

    /// The documents most recently added, newest first.
    pub async fn library_recent(&self, limit: i64) -> Result<Vec<LibraryDocumentRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM library_documents ORDER BY seq DESC LIMIT $1");
        on_db!(self.db(), pool => {
            let mut out = Vec::new();
            for r in sqlx::query(&sql).bind(limit).fetch_all(pool).await? {
                out.push(library_row!(r));
            }
            Ok(out)
        })
    }

    /// A document's passages, in order (passage `n` at index `n - 1`).
    pub async fn library_passages(&self, id: &str) -> Result<Vec<String>, StoreError> {
        on_db!(self.db(), pool => {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT text FROM library_passages WHERE document = $1 ORDER BY n")
                    .bind(id.to_owned())
                    .fetch_all(pool)
                    .await?;
            Ok(rows.into_iter().map(|(t,)| t).collect())
        })
    }

    /// How many documents and passages the library holds.
    pub async fn library_size(&self) -> Result<(u64, u64), StoreError> {
        on_db!(self.db(), pool => {
            // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back.
            let row = sqlx::query(
                "SELECT COUNT(*) AS documents, CAST(COALESCE(SUM(passages), 0) AS BIGINT) AS passages FROM library_documents",
            )
            .fetch_one(pool)
            .await?;
            let documents: i64 = row.try_get("documents")?;
            let passages: i64 = row.try_get("passages")?;
            Ok((documents as u64, passages as u64))
        })
    }

    /// The journal position of the library's last document (0 when empty): what the search
    /// index compares with its own to catch up.
    pub async fn library_latest_seq(&self) -> Result<i64, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT CAST(COALESCE(MAX(seq), 0) AS BIGINT) AS seq FROM library_documents")
                .fetch_one(pool)
                .await?;
            Ok(row.try_get("seq")?)
        })
    }

    /// The documents added after the journal position `after_seq`, in journal order, `limit` at a
    /// time, with their passages: what the search index is rebuilt or caught up from.
    pub async fn library_for_index(&self, after_seq: i64, limit: i64) -> Result<Vec<IndexableDocument>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM library_documents WHERE seq > $1 ORDER BY seq LIMIT $2");
        on_db!(self.db(), pool => {
            let mut documents = Vec::new();
            for r in sqlx::query(&sql).bind(after_seq).bind(limit).fetch_all(pool).await? {
                documents.push(library_row!(r));
            }
            if documents.is_empty() {
                return Ok(Vec::new());
            }
            let mut passages: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
            let mut q = QueryBuilder::new("SELECT document, text FROM library_passages WHERE document IN (");
            let mut list = q.separated(", ");
            for d in &documents {
                list.push_bind(d.id.clone());
            }
            q.push(") ORDER BY document, n");
            let mut rows = q.build().fetch(pool);
            while let Some(r) = rows.try_next().await? {
                let document: String = r.try_get("document")?;
                passages.entry(document).or_default().push(r.try_get("text")?);
            }
            Ok(documents
                .into_iter()
                .map(|d| {
                    let p = passages.remove(&d.id).unwrap_or_default();
                    IndexableDocument { document: d, passages: p }
                })
                .collect())
        })
    }
}
