//! Reads of the civil-status register (workspace `protection`): an act by number, acts by name
//! (prefix of the family name, in Latin letters or in the original script), a year's register,
//! and a copy by its reference or by the hash of its PDF (the public verification page).

use nansen_domain::protection::ActNumber;
use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::projection::{latin_key, original_key};
use crate::{on_db, Store, StoreError};

/// A line of the register: enough to find the act; its content is read from the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActLine {
    pub number: String,
    pub case_number: String,
    pub person: i64,
    pub kind: String,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    pub event_on: String,
    pub version: i64,
    pub drawn_up_at: String,
}

/// A copy as the register knows it, with its act's current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyLine {
    pub id: String,
    pub act: String,
    pub case_number: String,
    pub kind: String,
    pub version: i64,
    pub current_version: i64,
    pub sha256: String,
    pub issued_at: String,
}

/// What to look for in the register; all given parts must match.
#[derive(Debug, Clone, Default)]
pub struct RegisterQuery {
    pub number: Option<ActNumber>,
    /// The start of a family name, in Latin letters or in its script.
    pub name: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<String>,
}

/// A register page never returns more than this.
pub const REGISTER_LIMIT: u32 = 200;

const ACT_COLUMNS: &str = "SELECT number, case_number, person, kind, family_latin, given_latin, family_original, \
                           given_original, event_on, version, drawn_up_at FROM civil_acts";

macro_rules! act_lines {
    ($rows:expr) => {
        $rows
            .iter()
            .map(|r| {
                Ok(ActLine {
                    number: r.try_get("number")?,
                    case_number: r.try_get("case_number")?,
                    person: r.try_get("person")?,
                    kind: r.try_get("kind")?,
                    family_latin: r.try_get("family_latin")?,
                    given_latin: r.try_get("given_latin")?,
                    family_original: r.try_get("family_original")?,
                    given_original: r.try_get("given_original")?,
                    event_on: r.try_get("event_on")?,
                    version: r.try_get("version")?,
                    drawn_up_at: r.try_get("drawn_up_at")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    };
}

const COPY_COLUMNS: &str = "SELECT c.id, c.act, c.case_number, a.kind, c.version, a.version AS current_version, \
                            c.sha256, c.issued_at FROM civil_copies c JOIN civil_acts a ON a.number = c.act";

macro_rules! copy_line {
    ($row:expr) => {
        match $row {
            None => None,
            Some(r) => Some(CopyLine {
                id: r.try_get("id")?,
                act: r.try_get("act")?,
                case_number: r.try_get("case_number")?,
                kind: r.try_get("kind")?,
                version: r.try_get("version")?,
                current_version: r.try_get("current_version")?,
                sha256: r.try_get("sha256")?,
                issued_at: r.try_get("issued_at")?,
            }),
        }
    };
}

impl Store {
    /// The acts matching `query`, at most `limit`: by family name then number when a name is
    /// given (in Latin letters, then in the original script), otherwise newest first.
    pub async fn register(&self, query: &RegisterQuery, limit: u32) -> Result<Vec<ActLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, REGISTER_LIMIT));
        let name = query.name.as_deref().map(str::trim).filter(|n| !n.is_empty());
        let Some(name) = name else {
            return self.register_part(query, None, limit).await;
        };
        // One prefix range per key, each read in the order of its index (name, number), so that
        // the limit stops the scan however many acts share a common prefix.
        let mut lines = self.register_part(query, Some(("latin_key", latin_key(name))), limit).await?;
        let original = self.register_part(query, Some(("original_key", original_key(name))), limit).await?;
        for l in original {
            if !lines.iter().any(|x| x.number == l.number) {
                lines.push(l);
            }
        }
        lines.truncate(limit as usize);
        Ok(lines)
    }

    async fn register_part(
        &self,
        query: &RegisterQuery,
        key: Option<(&'static str, String)>,
        limit: i64,
    ) -> Result<Vec<ActLine>, StoreError> {
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(ACT_COLUMNS);
            q.push(" WHERE 1 = 1");
            if let Some(n) = query.number {
                q.push(" AND number = ").push_bind(n.to_string());
            }
            if let Some((column, prefix)) = &key {
                // A prefix range rather than LIKE, so both databases use the index whatever
                // their collation.
                q.push(format!(" AND {column} >= "))
                    .push_bind(prefix.clone())
                    .push(format!(" AND {column} < "))
                    .push_bind(format!("{prefix}\u{10FFFF}"));
            }
            if let Some(y) = query.year {
                q.push(" AND year = ").push_bind(i64::from(y));
            }
            if let Some(k) = &query.kind {
                q.push(" AND kind = ").push_bind(k.clone());
            }
            match &key {
                Some((column, _)) => q.push(format!(" ORDER BY {column}, number LIMIT ")),
                None => q.push(" ORDER BY year DESC, seq DESC LIMIT "),
            };
            q.push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            act_lines!(rows)
        })
    }

    /// The case whose register holds the act, if any.
    pub async fn act_case(&self, number: ActNumber) -> Result<Option<String>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT case_number FROM civil_acts WHERE number = $1")
                .bind(number.to_string())
                .fetch_optional(pool)
                .await?;
            Ok(match row {
                Some(r) => Some(r.try_get("case_number")?),
                None => None,
            })
        })
    }

    /// A copy by its reference (the QR code's).
    pub async fn copy_by_id(&self, id: &str) -> Result<Option<CopyLine>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query(&format!("{COPY_COLUMNS} WHERE c.id = $1")).bind(id).fetch_optional(pool).await?;
            Ok(copy_line!(row))
        })
    }

    /// A copy by the SHA-256 of its PDF: a file handed to the verification page is the copy
    /// issued, byte for byte, only if this finds it.
    pub async fn copy_by_sha256(&self, sha256: &str) -> Result<Option<CopyLine>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query(&format!("{COPY_COLUMNS} WHERE c.sha256 = $1 ORDER BY c.issued_at LIMIT 1"))
                .bind(sha256)
                .fetch_optional(pool)
                .await?;
            Ok(copy_line!(row))
        })
    }

    /// Takes the next act number of `year` ahead of drawing up the act (like
    /// [`Store::reserve_case_number`]): a number whose act is refused stays unused.
    pub async fn reserve_act_number(&self, year: i32) -> Result<ActNumber, StoreError> {
        let seq = self.bump_counter(&format!("civil-act-{year}")).await?;
        ActNumber::new(year, u32::try_from(seq).map_err(|e| StoreError::WriteFailed(e.to_string()))?)
            .map_err(|e| StoreError::WriteFailed(e.to_string()))
    }

    /// The number of acts in the register (for the benchmark's report).
    pub async fn register_size(&self) -> Result<i64, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM civil_acts").fetch_one(pool).await?;
            Ok(row.try_get("n")?)
        })
    }
}

/// A line of the register for [`Store::fill_register_for_bench`].
#[derive(Debug, Clone)]
pub struct BenchAct {
    pub year: i32,
    pub seq: u32,
    pub kind: &'static str,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
    pub event_on: String,
}

impl Store {
    /// **Benchmarks only**: writes register lines that no journal entry backs (case numbers
    /// `BENCH-…`), to time the register's reads at a national size without drawing up a million
    /// acts through the write path. `nansen rebuild` removes them; use a throwaway database.
    pub async fn fill_register_for_bench(&self, acts: &[BenchAct]) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            for chunk in acts.chunks(1000) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO civil_acts (number, year, seq, case_number, person, kind, family_latin, given_latin, \
                     family_original, given_original, latin_key, original_key, event_on, version, drawn_up_at) ",
                );
                q.push_values(chunk.iter(), |mut b, a| {
                    let number = ActNumber { year: a.year, seq: a.seq };
                    b.push_bind(number.to_string())
                        .push_bind(i64::from(a.year))
                        .push_bind(i64::from(a.seq))
                        .push_bind(format!("BENCH-{}", a.seq))
                        .push_bind(0_i64)
                        .push_bind(a.kind)
                        .push_bind(a.family_latin.clone())
                        .push_bind(a.given_latin.clone())
                        .push_bind(a.family_original.clone())
                        .push_bind(a.given_original.clone())
                        .push_bind(latin_key(&a.family_latin))
                        .push_bind(original_key(&a.family_original))
                        .push_bind(a.event_on.clone())
                        .push_bind(0_i64)
                        .push_bind("2026-01-01T00:00:00Z");
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
