//! Reads of the case files' documents and originals: the originals still in the office's custody
//! (the archivists' list), an original by the identifier on its label, and every stored content
//! hash (for `audit verify --documents`).

use serde::Serialize;
use sqlx::Row;

use crate::{on_db, Store, StoreError};

/// A line of the list of originals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OriginalLine {
    pub id: String,
    pub case_number: String,
    pub kind: String,
    pub description: String,
    /// `in_store`, `lent` or `returned`.
    pub custody: String,
    /// Store / shelf / box (for a lent original: where it goes back).
    pub location: String,
    /// The agent it is lent to, or who signed for it on return.
    pub holder: Option<String>,
    pub received_on: String,
    pub division: Option<String>,
}

/// What the originals list shows.
#[derive(Debug, Clone, Default)]
pub struct OriginalFilter {
    /// Only originals lent to someone.
    pub lent_only: bool,
    pub division: Option<String>,
    /// Start after this identifier (paging in identifier order within a custody state).
    pub limit: u32,
}

/// A content hash held by the case files, with one document that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredHash {
    pub sha256: String,
    pub size: u64,
    pub case_number: String,
    pub document: u32,
    /// How many documents share this content.
    pub copies: u64,
}

macro_rules! original_line {
    ($r:expr) => {{
        let r = $r;
        Ok::<OriginalLine, StoreError>(OriginalLine {
            id: r.try_get("id")?,
            case_number: r.try_get("case_number")?,
            kind: r.try_get("kind")?,
            description: r.try_get("description")?,
            custody: r.try_get("custody")?,
            location: r.try_get("location")?,
            holder: r.try_get("holder")?,
            received_on: r.try_get("received_on")?,
            division: r.try_get("division")?,
        })
    }};
}

const ORIGINAL_COLUMNS: &str = "id, case_number, kind, description, custody, location, holder, received_on, division";

impl Store {
    /// Originals not yet returned to the applicant: on their shelf or lent, ordered by where
    /// they are (lent ones first, then by location), so a round of the stores follows the list.
    pub async fn originals_in_custody(&self, filter: &OriginalFilter) -> Result<Vec<OriginalLine>, StoreError> {
        let custody = if filter.lent_only { "custody = 'lent'" } else { "custody IN ('lent', 'in_store')" };
        let limit = i64::from(filter.limit.clamp(1, 5000));
        on_db!(self.db(), pool => {
            let mut q = sqlx::QueryBuilder::new(format!("SELECT {ORIGINAL_COLUMNS} FROM originals WHERE {custody}"));
            if let Some(division) = &filter.division {
                q.push(" AND division = ").push_bind(division.clone());
            }
            q.push(" ORDER BY custody DESC, location, id LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| original_line!(r)).collect()
        })
    }

    /// How many originals are lent and how many on their shelves.
    pub async fn originals_counts(&self) -> Result<(u64, u64), StoreError> {
        on_db!(self.db(), pool => {
            let r = sqlx::query(
                "SELECT COALESCE(SUM(CASE WHEN custody = 'lent' THEN 1 ELSE 0 END), 0) AS lent, \
                 COALESCE(SUM(CASE WHEN custody = 'in_store' THEN 1 ELSE 0 END), 0) AS in_store \
                 FROM originals WHERE custody IN ('lent', 'in_store')",
            )
            .fetch_one(pool)
            .await?;
            let lent: i64 = r.try_get("lent")?;
            let in_store: i64 = r.try_get("in_store")?;
            Ok((lent as u64, in_store as u64))
        })
    }

    /// An original by the identifier printed on its label.
    pub async fn original(&self, id: &str) -> Result<Option<OriginalLine>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query(&format!("SELECT {ORIGINAL_COLUMNS} FROM originals WHERE id = $1"))
                .bind(id.trim())
                .fetch_optional(pool)
                .await?;
            row.map(|r| original_line!(r)).transpose()
        })
    }

    /// Which of `hashes` some document of a case file holds (scans, letters, files sent through
    /// the secure space), a month's allowance run names (its payment file) or a household's
    /// letter is, or a library document stores: the rest are
    /// objects nothing references (`nansen documents gc`).
    pub async fn referenced_hashes(&self, hashes: &[String]) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut referenced = std::collections::HashSet::new();
        // A few hundred binds per query keep under every database's limit.
        for chunk in hashes.chunks(500) {
            on_db!(self.db(), pool => {
                let mut q = sqlx::QueryBuilder::new("SELECT DISTINCT sha256 FROM documents WHERE sha256 IN (");
                let mut list = q.separated(", ");
                for hash in chunk {
                    list.push_bind(hash.clone());
                }
                // The reception agency's monthly payment files are kept too.
                q.push(") UNION SELECT sha256 FROM allowance_runs WHERE sha256 IN (");
                let mut list = q.separated(", ");
                for hash in chunk {
                    list.push_bind(hash.clone());
                }
                // And the letters the agency issued to households.
                q.push(") UNION SELECT sha256 FROM household_letters WHERE sha256 IN (");
                let mut list = q.separated(", ");
                for hash in chunk {
                    list.push_bind(hash.clone());
                }
                // And the country-of-origin library's files.
                q.push(") UNION SELECT sha256 FROM library_documents WHERE sha256 IN (");
                let mut list = q.separated(", ");
                for hash in chunk {
                    list.push_bind(hash.clone());
                }
                q.push(")");
                for row in q.build().fetch_all(pool).await? {
                    referenced.insert(row.try_get::<String, _>("sha256")?);
                }
                Ok::<(), StoreError>(())
            })?;
        }
        Ok(referenced)
    }

    /// Every distinct content hash the case files and the library hold, in hash order, `limit` at a time after
    /// `after` (paging keeps memory flat over millions of documents).
    pub async fn stored_hashes(&self, after: &str, limit: u32) -> Result<Vec<StoredHash>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                // The library's files too, named `library:<id>` (document 0).
                "SELECT sha256, MIN(size) AS size, MIN(case_number) AS case_number, MIN(id) AS document, \
                 COUNT(*) AS copies FROM (SELECT sha256, size, case_number, id FROM documents \
                 UNION ALL SELECT sha256, bytes AS size, 'library:' || id AS case_number, 0 AS id FROM library_documents) \
                 AS held WHERE sha256 > $1 GROUP BY sha256 ORDER BY sha256 LIMIT $2",
            )
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let size: i64 = r.try_get("size")?;
                    let document: i64 = r.try_get("document")?;
                    let copies: i64 = r.try_get("copies")?;
                    Ok(StoredHash {
                        sha256: r.try_get("sha256")?,
                        size: size as u64,
                        case_number: r.try_get("case_number")?,
                        document: document as u32,
                        copies: copies as u64,
                    })
                })
                .collect()
        })
    }
}
