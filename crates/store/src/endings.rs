//! Reads of the end of protection (workspace `protection`): the procedures under way (answers
//! due, drafts to sign) and the decisions of a recent period, from the `protection_endings`
//! lines that migration 0010 added.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::{on_db, Store, StoreError};

/// One procedure as the list shows it: no name (the procedure's page, authorized per case,
/// shows who it is about).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndingLine {
    pub case_number: String,
    pub seq: i64,
    pub ground: String,
    pub opened_on: String,
    pub answer_due: String,
    pub answered_on: Option<String>,
    pub drafted_on: Option<String>,
    pub decided_on: Option<String>,
    /// Whether the decision ended the protection (None before the decision).
    pub ends: Option<bool>,
}

/// Lists never return more than this.
pub const ENDINGS_LIMIT: u32 = 1000;

const COLUMNS: &str = "SELECT case_number, seq, ground, opened_on, answer_due, answered_on, drafted_on, \
                       decided_on, ends FROM protection_endings";

macro_rules! ending_lines {
    ($rows:expr) => {
        $rows
            .iter()
            .map(|r| {
                Ok(EndingLine {
                    case_number: r.try_get("case_number")?,
                    seq: r.try_get("seq")?,
                    ground: r.try_get("ground")?,
                    opened_on: r.try_get("opened_on")?,
                    answer_due: r.try_get("answer_due")?,
                    answered_on: r.try_get("answered_on")?,
                    drafted_on: r.try_get("drafted_on")?,
                    decided_on: r.try_get("decided_on")?,
                    ends: r.try_get::<Option<i64>, _>("ends")?.map(|e| e != 0),
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    };
}

impl Store {
    /// The procedures not decided yet, the answer soonest due first, at most `limit`.
    pub async fn endings_open(&self, limit: u32) -> Result<Vec<EndingLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, ENDINGS_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE decided_on IS NULL ORDER BY answer_due, case_number LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            ending_lines!(rows)
        })
    }

    /// The decisions signed since `since` (a date), the latest first, at most `limit`.
    pub async fn endings_decided(&self, since: &str, limit: u32) -> Result<Vec<EndingLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, ENDINGS_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE decided_on IS NOT NULL AND decided_on >= ")
                .push_bind(since.to_owned())
                .push(" ORDER BY decided_on DESC, case_number LIMIT ")
                .push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            ending_lines!(rows)
        })
    }
}
