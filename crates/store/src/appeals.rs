//! Reads of the workspace `protection`: the appeals before the court, most urgent first, and the
//! hearings of a period (the legal consultants' calendar), from the `cases` columns that
//! migration 0007 added.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::{on_db, Store, StoreError};

/// A line of the appeals list or of the hearings' calendar. No name of the applicant: the list
/// is office-wide; the case page (authorized per case) shows who it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppealLine {
    pub number: String,
    pub status: String,
    pub procedure: String,
    pub nationality: String,
    pub chamber: Option<String>,
    /// The court's deadline to rule (`YYYY-MM-DD`).
    pub appeal_due: Option<String>,
    pub hearing_on: Option<String>,
}

/// Lists never return more than this.
pub const APPEALS_LIMIT: u32 = 1000;

macro_rules! appeal_lines {
    ($rows:expr) => {
        $rows
            .iter()
            .map(|r| {
                Ok(AppealLine {
                    number: r.try_get("number")?,
                    status: r.try_get("status")?,
                    procedure: r.try_get("procedure")?,
                    nationality: r.try_get("nationality")?,
                    chamber: r.try_get("chamber")?,
                    appeal_due: r.try_get("appeal_due")?,
                    hearing_on: r.try_get("hearing_on")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    };
}

const COLUMNS: &str = "SELECT number, status, procedure, nationality, chamber, appeal_due, hearing_on FROM cases";

impl Store {
    /// The appeals before the court, the court's deadline soonest first (then by number), at most
    /// `limit`; `chamber` narrows to one chamber.
    pub async fn appeals_pending(&self, chamber: Option<&str>, limit: u32) -> Result<Vec<AppealLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, APPEALS_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE status = 'appealed'");
            if let Some(c) = chamber {
                q.push(" AND chamber = ").push_bind(c.to_owned());
            }
            // Appeals without a court deadline (statelessness goes to the administrative courts)
            // last on both databases (SQLite sorts NULL first, PostgreSQL last).
            q.push(" ORDER BY appeal_due IS NULL, appeal_due, number LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            appeal_lines!(rows)
        })
    }

    /// The hearings from `from` to `to` (inclusive, `YYYY-MM-DD`), in date order.
    pub async fn hearings(&self, from: &str, to: &str, limit: u32) -> Result<Vec<AppealLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, APPEALS_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE hearing_on >= ")
                .push_bind(from.to_owned())
                .push(" AND hearing_on <= ")
                .push_bind(to.to_owned())
                .push(" ORDER BY hearing_on, number LIMIT ")
                .push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            appeal_lines!(rows)
        })
    }
}
