//! Reads: a case's state, case lists for queues and search, a case's timeline, the journal head.

use nansen_domain::ids::CaseNumber;
use nansen_domain::lifecycle::Case;
use sqlx::{QueryBuilder, Row};

use crate::journal::{case_subject, to_hash, Entry};
use crate::projection::CaseSummary;
use crate::{on_db, Store, StoreError};

/// Reads an [`Entry`] from a row of `journal`; a hash of the wrong length is reported as corrupt.
macro_rules! entry_from_row {
    ($r:expr) => {{
        let r = $r;
        let seq: i64 = r.try_get("seq")?;
        let prev: Vec<u8> = r.try_get("prev_hash")?;
        let hash: Vec<u8> = r.try_get("hash")?;
        let bad = |what: &str| StoreError::Corrupt {
            subject: format!("journal entry {seq}"),
            reason: format!("{what} is not 32 bytes"),
        };
        Ok::<Entry, StoreError>(Entry {
            seq: seq as u64,
            recorded_at: r.try_get("recorded_at")?,
            actor: r.try_get("actor")?,
            subject: r.try_get("subject")?,
            kind: r.try_get("kind")?,
            payload: r.try_get("payload")?,
            prev_hash: to_hash(&prev).ok_or_else(|| bad("prev_hash"))?,
            hash: to_hash(&hash).ok_or_else(|| bad("hash"))?,
        })
    }};
}
pub(crate) use entry_from_row;

/// The columns of a [`CaseSummary`], from `cases` (aliased `c` where it is joined).
pub(crate) const SUMMARY_COLUMNS: &str = "c.number, c.status, c.procedure, c.nationality, c.division, c.section, \
     c.officer, c.applicant_latin, c.applicant_original, c.decision_due";

/// Reads a [`CaseSummary`] from a row with [`SUMMARY_COLUMNS`].
macro_rules! summary_from_row {
    ($r:expr) => {{
        let r = $r;
        Ok::<CaseSummary, sqlx::Error>(CaseSummary {
            number: r.try_get("number")?,
            status: r.try_get("status")?,
            procedure: r.try_get("procedure")?,
            nationality: r.try_get("nationality")?,
            division: r.try_get("division")?,
            section: r.try_get::<Option<i64>, _>("section")?.and_then(|s| u8::try_from(s).ok()),
            officer: r.try_get("officer")?,
            applicant_latin: r.try_get("applicant_latin")?,
            applicant_original: r.try_get("applicant_original")?,
            decision_due: r.try_get("decision_due")?,
        })
    }};
}
pub(crate) use summary_from_row;

/// The conditions of a [`CaseFilter`] on `cases` (everything but the name), each as ` AND …`.
macro_rules! push_case_filter {
    ($q:expr, $filter:expr) => {{
        let (q, filter) = (&mut $q, $filter);
        if let Some(division) = &filter.division {
            q.push(" AND division = ").push_bind(division.clone());
        }
        if let Some(officer) = &filter.officer {
            q.push(" AND officer = ").push_bind(officer.clone());
        }
        if let Some(status) = &filter.status {
            q.push(" AND status = ").push_bind(status.clone());
        }
        if let Some(nationality) = &filter.nationality {
            q.push(" AND nationality = ").push_bind(nationality.clone());
        }
        if filter.unassigned {
            q.push(" AND officer IS NULL");
        }
        if let Some(v) = &filter.visible {
            q.push(" AND (1 = 0");
            if let Some(division) = &v.division {
                q.push(" OR division = ").push_bind(division.clone());
            }
            if let Some(officer) = &v.officer {
                q.push(" OR officer = ").push_bind(officer.clone());
            }
            if !v.pooled.is_empty() {
                q.push(" OR nationality IN (");
                let mut list = q.separated(", ");
                for n in &v.pooled {
                    list.push_bind(n.clone());
                }
                q.push(")");
            }
            q.push(")");
        }
    }};
}
pub(crate) use push_case_filter;

/// What a case list shows; every field narrows it. Lists are ordered by decision deadline (the
/// most urgent first), then number.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub division: Option<String>,
    pub officer: Option<String>,
    pub status: Option<String>,
    pub nationality: Option<String>,
    /// A name, in any spelling or script: the list is then ordered by how well it matches
    /// (`nansen_domain::names`), not by deadline.
    pub name: Option<String>,
    /// Only the cases not yet assigned to an officer.
    pub unassigned: bool,
    /// Need-to-know: only the cases of this division, of these (pooled) nationalities, or
    /// assigned to this officer. Each row is still authorized one by one by the caller.
    pub visible: Option<Visibility>,
    pub limit: u32,
}

/// The cases an agent may see in a list, as SQL can narrow them before authorization.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    pub division: Option<String>,
    pub pooled: Vec<String>,
    pub officer: Option<String>,
}

/// The journal's current head.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HeadInfo {
    pub size: u64,
    pub last_hash: String,
    pub signed_size: u64,
    pub signed_root: Option<String>,
}

impl Store {
    /// A case's current state, or `None` when there is no such case.
    pub async fn case(&self, number: &CaseNumber) -> Result<Option<Case>, StoreError> {
        let number = number.to_string();
        let state: Option<String> = on_db!(self.db(), pool => match sqlx::query("SELECT state FROM cases WHERE number = $1")
            .bind(&number)
            .fetch_optional(pool)
            .await?
        {
            Some(row) => Some(row.try_get("state")?),
            None => None,
        });
        let Some(state) = state else { return Ok(None) };
        serde_json::from_str(&state)
            .map(Some)
            .map_err(|e| StoreError::Corrupt { subject: case_subject(&number), reason: e.to_string() })
    }

    /// How many applications the read table holds.
    pub async fn count_cases(&self) -> Result<u64, StoreError> {
        let n: i64 = on_db!(self.db(), pool => sqlx::query("SELECT COUNT(*) AS n FROM cases").fetch_one(pool).await?.try_get("n")?);
        Ok(n as u64)
    }

    /// The cases a filter selects: by decision deadline, or, when it searches a name, by how well
    /// the name matches (the store's `names` module).
    pub async fn list_cases(&self, filter: &CaseFilter) -> Result<Vec<CaseSummary>, StoreError> {
        if let Some(name) = &filter.name {
            return self.cases_by_name(filter, name).await;
        }
        let limit = i64::from(filter.limit.clamp(1, 1000));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(
                "SELECT number, status, procedure, nationality, division, section, officer, applicant_latin, \
                 applicant_original, decision_due FROM cases WHERE 1 = 1",
            );
            push_case_filter!(q, filter);
            // The indexes (division, queue_key) etc. give the first rows in order without a sort.
            q.push(" ORDER BY queue_key LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| summary_from_row!(r)).collect::<Result<Vec<_>, sqlx::Error>>().map_err(StoreError::from)
        })
    }

    /// Every journal entry about a subject, oldest first (a case's timeline).
    pub async fn entries_of(&self, subject: &str) -> Result<Vec<Entry>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal \
                 WHERE subject = $1 ORDER BY seq",
            )
            .bind(subject)
            .fetch_all(pool)
            .await?;
            rows.iter().map(|r| entry_from_row!(r)).collect()
        })
    }

    /// The entries of a subject without their payloads, oldest first: what happened and when, for
    /// a timeline shown to someone who may not read every payload (and without carrying them).
    pub async fn timeline_of(&self, subject: &str) -> Result<Vec<Entry>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT seq, recorded_at, actor, subject, kind, CAST('' AS TEXT) AS payload, prev_hash, hash \
                 FROM journal WHERE subject = $1 ORDER BY seq",
            )
            .bind(subject)
            .fetch_all(pool)
            .await?;
            rows.iter().map(|r| entry_from_row!(r)).collect()
        })
    }

    /// The latest `limit` entries about a subject, newest first (an access log can be long).
    pub async fn recent_entries_of(&self, subject: &str, limit: u32) -> Result<Vec<Entry>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal \
                 WHERE subject = $1 ORDER BY seq DESC LIMIT $2",
            )
            .bind(subject)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter().map(|r| entry_from_row!(r)).collect()
        })
    }

    pub async fn head(&self) -> Result<HeadInfo, StoreError> {
        on_db!(self.db(), pool => {
            let head = sqlx::query("SELECT size, last_hash FROM journal_head WHERE id = 1")
                .fetch_one(pool)
                .await?;
            let signed = sqlx::query("SELECT size, root FROM tree_heads ORDER BY size DESC LIMIT 1")
                .fetch_optional(pool)
                .await?;
            let (signed_size, signed_root) = match signed {
                Some(r) => (r.try_get::<i64, _>("size")? as u64, Some(hex::encode(r.try_get::<Vec<u8>, _>("root")?))),
                None => (0, None),
            };
            Ok(HeadInfo {
                size: head.try_get::<i64, _>("size")? as u64,
                last_hash: hex::encode(head.try_get::<Vec<u8>, _>("last_hash")?),
                signed_size,
                signed_root,
            })
        })
    }
}
