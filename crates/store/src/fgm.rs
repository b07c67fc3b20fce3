//! Reads of the FGM follow-up (workspace `protection`): the daily list of girls whose
//! examination certificate is due or overdue, and of reports awaiting signature, from the
//! `fgm_follow_ups` lines that migration 0009 added.

use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::{on_db, Store, StoreError};

/// One girl's follow-up as the daily list shows it: no name (the page of the follow-up,
/// authorized per case, shows who she is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FgmLine {
    pub case_number: String,
    pub person: i64,
    pub opened_on: String,
    pub ends_on: String,
    pub due_on: String,
    pub certificates: i64,
    pub unsigned_reports: i64,
}

/// Lists never return more than this.
pub const FGM_LIMIT: u32 = 1000;

const COLUMNS: &str = "SELECT case_number, person, opened_on, ends_on, due_on, certificates, unsigned_reports \
                       FROM fgm_follow_ups";

macro_rules! fgm_lines {
    ($rows:expr) => {
        $rows
            .iter()
            .map(|r| {
                Ok(FgmLine {
                    case_number: r.try_get("case_number")?,
                    person: r.try_get("person")?,
                    opened_on: r.try_get("opened_on")?,
                    ends_on: r.try_get("ends_on")?,
                    due_on: r.try_get("due_on")?,
                    certificates: r.try_get("certificates")?,
                    unsigned_reports: r.try_get("unsigned_reports")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    };
}

impl Store {
    /// The follow-ups due by `until` (overdue ones first: soonest due date first) of girls not
    /// of age on `today`, at most `limit`.
    pub async fn fgm_due(&self, today: &str, until: &str, limit: u32) -> Result<Vec<FgmLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, FGM_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE due_on <= ")
                .push_bind(until.to_owned())
                .push(" AND ends_on > ")
                .push_bind(today.to_owned())
                .push(" ORDER BY due_on, case_number, person LIMIT ")
                .push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            fgm_lines!(rows)
        })
    }

    /// The follow-ups with a report to the prosecutor awaiting signature.
    pub async fn fgm_unsigned(&self, limit: u32) -> Result<Vec<FgmLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, FGM_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(COLUMNS);
            q.push(" WHERE unsigned_reports > 0 ORDER BY case_number, person LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            fgm_lines!(rows)
        })
    }

    /// **Benchmarks only**: follow-up lines no journal entry backs (case numbers `BENCH-…`), to
    /// time the daily list at a national size. `nansen rebuild` removes them.
    pub async fn fill_fgm_for_bench(&self, lines: &[FgmLine]) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            for chunk in lines.chunks(1000) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO fgm_follow_ups (case_number, person, opened_on, ends_on, due_on, certificates, \
                     unsigned_reports) ",
                );
                q.push_values(chunk.iter(), |mut b, l| {
                    b.push_bind(l.case_number.clone())
                        .push_bind(l.person)
                        .push_bind(l.opened_on.clone())
                        .push_bind(l.ends_on.clone())
                        .push_bind(l.due_on.clone())
                        .push_bind(l.certificates)
                        .push_bind(l.unsigned_reports);
                });
                q.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
