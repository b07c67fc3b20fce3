//! The statistics projection (`stat_facts`, `stat_pending`): written with the events they come
//! from, rebuilt from the journal, and grouped for the tables. Every query takes the journal
//! head it answers for and ignores rows after it, so a table computed while writes continue is
//! the table of the head it names.

use nansen_domain::lifecycle::{Case, Event, Status};
use nansen_domain::person::Sex;
use nansen_domain::statistics::{
    facts_of, AgeGroup, ApplicantCount, DaysCount, DecisionClass, DecisionCount, Fact, FactCount, FactKind,
    PendingChange, PendingCount, Period, Snapshot,
};
use nansen_domain::{ApplicationKind, CourtOutcome};
use sqlx::Row;
use time::Date;

use crate::{on_db, Store, StoreError};

/// Rows per INSERT (19 values each).
pub(crate) const CHUNK: usize = 1_000;

/// What a batch (or a rebuild page) adds to the projection.
#[derive(Debug, Default)]
pub(crate) struct StatWrites {
    pub facts: Vec<(i64, String, Fact)>,
    pub pending: Vec<(i64, String, PendingChange)>,
}

impl StatWrites {
    /// The facts of one event, appended at `seq`, given the case's status before it.
    pub fn record(&mut self, seq: u64, number: &str, before: Status, after: &Case, event: &Event) {
        let (facts, pending) = facts_of(before, after, event);
        let seq = seq as i64;
        self.facts.extend(facts.into_iter().map(|f| (seq, number.to_owned(), f)));
        self.pending.extend(pending.into_iter().map(|p| (seq, number.to_owned(), p)));
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty() && self.pending.is_empty()
    }
}

pub(crate) fn sex_code(s: Sex) -> &'static str {
    match s {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Unspecified => "unspecified",
    }
}

fn parse_sex(s: &str) -> Sex {
    match s {
        "female" => Sex::Female,
        "male" => Sex::Male,
        _ => Sex::Unspecified,
    }
}

pub(crate) fn date_text(d: Date) -> String {
    nansen_domain::serde_dates::format_date(d)
}

/// Writes a [`StatWrites`] on a connection of either database, in the caller's transaction.
macro_rules! write_stats {
    ($conn:expr, $w:expr) => {{
        let w: &$crate::statistics::StatWrites = $w;
        for chunk in w.facts.chunks($crate::statistics::CHUNK) {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO stat_facts (seq, person, kind, number, on_date, person_key, application, procedure, \
                 nationality, sex, age, decision, court, division, section, officer, language, lodged_on, days) ",
            );
            qb.push_values(chunk, |mut b, (seq, number, f)| {
                b.push_bind(*seq)
                    .push_bind(i64::from(f.person))
                    .push_bind(f.kind.as_str())
                    .push_bind(number.clone())
                    .push_bind($crate::statistics::date_text(f.on))
                    .push_bind(f.person_key.clone())
                    .push_bind(f.application.as_str())
                    .push_bind(f.procedure)
                    .push_bind(f.nationality.clone())
                    .push_bind($crate::statistics::sex_code(f.sex))
                    .push_bind(f.age.code())
                    .push_bind(f.decision.map(|d| d.as_str()))
                    .push_bind(f.court.map(|c| c.as_str()))
                    .push_bind(f.division.clone())
                    .push_bind(f.section.map(i64::from))
                    .push_bind(f.officer.clone())
                    .push_bind(f.language.clone())
                    .push_bind($crate::statistics::date_text(f.lodged_on))
                    .push_bind(f.days);
            });
            qb.build().execute(&mut *$conn).await?;
        }
        for (seq, number, p) in &w.pending {
            if p.starts {
                sqlx::query(
                    "INSERT INTO stat_pending (number, person, start_seq, start_on, nationality, sex, born, procedure, \
                     lodged_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                )
                .bind(number)
                .bind(i64::from(p.person))
                .bind(*seq)
                .bind($crate::statistics::date_text(p.on))
                .bind(&p.nationality)
                .bind($crate::statistics::sex_code(p.sex))
                .bind(p.born.map($crate::statistics::date_text))
                .bind(p.procedure)
                .bind($crate::statistics::date_text(p.lodged_on))
                .execute(&mut *$conn)
                .await?;
            } else {
                sqlx::query(
                    "UPDATE stat_pending SET end_seq = $1, end_on = $2 \
                     WHERE number = $3 AND person = $4 AND end_seq IS NULL",
                )
                .bind(*seq)
                .bind($crate::statistics::date_text(p.on))
                .bind(number)
                .bind(i64::from(p.person))
                .execute(&mut *$conn)
                .await?;
            }
        }
    }};
}
pub(crate) use write_stats;

fn parse_date(s: &str) -> Result<Date, StoreError> {
    nansen_domain::serde_dates::parse_date(s)
        .map_err(|e| StoreError::Corrupt { subject: "stat_facts".into(), reason: e.to_string() })
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt { subject: "stat_facts".into(), reason: format!("unexpected value {what:?}") }
}

fn parse_kind(s: &str) -> Result<FactKind, StoreError> {
    [
        FactKind::Lodged,
        FactKind::Decided,
        FactKind::Closed,
        FactKind::Reopened,
        FactKind::Interviewed,
        FactKind::Appealed,
        FactKind::CourtRuled,
    ]
    .into_iter()
    .find(|k| k.as_str() == s)
    .ok_or_else(|| corrupt(s))
}

fn parse_application(s: &str) -> Result<ApplicationKind, StoreError> {
    [ApplicationKind::Asylum, ApplicationKind::ReExamination, ApplicationKind::Statelessness]
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| corrupt(s))
}

fn parse_court(s: &str) -> Result<CourtOutcome, StoreError> {
    CourtOutcome::parse(s).ok_or_else(|| corrupt(s))
}

fn age(s: &str) -> Result<AgeGroup, StoreError> {
    AgeGroup::parse(s).ok_or_else(|| corrupt(s))
}

/// The SQL that puts a birth date (`born`) into Eurostat's age groups on a day, given the
/// thresholds of [`AgeGroup::thresholds`] bound as $2…$5.
const AGE_AT: &str = "CASE WHEN born IS NULL THEN 'UNK' WHEN born > $5 THEN 'Y_LT14' WHEN born > $4 THEN 'Y14-17' \
    WHEN born > $3 THEN 'Y18-34' WHEN born > $2 THEN 'Y35-64' ELSE 'Y_GE65' END";

/// A harmonisation row: decisions of one outcome class by one officer for one nationality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitDecisions {
    pub nationality: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub officer: Option<String>,
    pub class: DecisionClass,
    pub count: u64,
}

impl Store {
    /// The journal head now: the size and Merkle root every statistics query is bounded by.
    pub async fn stat_snapshot(&self) -> Result<Snapshot, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT size, root FROM journal_head WHERE id = 1").fetch_one(pool).await?;
            let root: Option<Vec<u8>> = row.try_get("root")?;
            Ok(Snapshot { size: row.try_get::<i64, _>("size")? as u64, root: root.map(hex::encode).unwrap_or_default() })
        })
    }

    /// Persons lodging in each bucket of the period (each once per bucket: their first lodging
    /// in it), and of them the first-time applicants. Statelessness applications are left out.
    pub async fn applicant_counts(&self, period: &Period, head: &Snapshot) -> Result<Vec<ApplicantCount>, StoreError> {
        let len = period.granularity.prefix_len() as i64;
        let sql = "SELECT substr(f.on_date, 1, CAST($1 AS INTEGER)) AS bucket, f.nationality, f.sex, f.age, COUNT(*) AS persons, \
            CAST(SUM(CASE WHEN f.application = 'asylum' AND NOT EXISTS (SELECT 1 FROM stat_facts g \
              WHERE g.person_key = f.person_key AND g.seq < f.seq AND g.kind = 'lodged') THEN 1 ELSE 0 END) AS BIGINT) \
              AS first_time \
            FROM stat_facts f \
            WHERE f.kind = 'lodged' AND f.on_date >= $2 AND f.on_date <= $3 AND f.seq <= $4 \
              AND f.application <> 'statelessness' \
              AND NOT EXISTS (SELECT 1 FROM stat_facts e WHERE e.person_key = f.person_key AND e.seq < f.seq \
                AND e.kind = 'lodged' AND e.application <> 'statelessness' \
                AND substr(e.on_date, 1, CAST($1 AS INTEGER)) = substr(f.on_date, 1, CAST($1 AS INTEGER))) \
            GROUP BY substr(f.on_date, 1, CAST($1 AS INTEGER)), f.nationality, f.sex, f.age";
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sql)
                .bind(len)
                .bind(date_text(period.from))
                .bind(date_text(period.to))
                .bind(head.size as i64)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(ApplicantCount {
                        bucket: r.try_get("bucket")?,
                        nationality: r.try_get("nationality")?,
                        sex: parse_sex(&r.try_get::<String, _>("sex")?),
                        age: age(&r.try_get::<String, _>("age")?)?,
                        persons: r.try_get::<i64, _>("persons")? as u64,
                        first_time: r.try_get::<i64, _>("first_time")? as u64,
                    })
                })
                .collect()
        })
    }

    /// Persons covered by decisions signed in each bucket, by outcome.
    pub async fn decision_counts(&self, period: &Period, head: &Snapshot) -> Result<Vec<DecisionCount>, StoreError> {
        let len = period.granularity.prefix_len() as i64;
        let sql = "SELECT substr(on_date, 1, CAST($1 AS INTEGER)) AS bucket, nationality, sex, age, decision, COUNT(*) AS persons \
            FROM stat_facts WHERE kind = 'decided' AND on_date >= $2 AND on_date <= $3 AND seq <= $4 \
            AND decision IS NOT NULL GROUP BY substr(on_date, 1, CAST($1 AS INTEGER)), nationality, sex, age, decision";
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sql)
                .bind(len)
                .bind(date_text(period.from))
                .bind(date_text(period.to))
                .bind(head.size as i64)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let class: String = r.try_get("decision")?;
                    Ok(DecisionCount {
                        bucket: r.try_get("bucket")?,
                        nationality: r.try_get("nationality")?,
                        sex: parse_sex(&r.try_get::<String, _>("sex")?),
                        age: age(&r.try_get::<String, _>("age")?)?,
                        class: DecisionClass::parse(&class).ok_or_else(|| corrupt(&class))?,
                        persons: r.try_get::<i64, _>("persons")? as u64,
                    })
                })
                .collect()
        })
    }

    /// Persons pending at the end of each bucket (age on that day).
    pub async fn pending_counts(&self, period: &Period, head: &Snapshot) -> Result<Vec<PendingCount>, StoreError> {
        let sql = format!(
            "SELECT nationality, sex, {AGE_AT} AS age, COUNT(*) AS persons FROM stat_pending \
             WHERE start_on <= $1 AND start_seq <= $6 AND (end_seq IS NULL OR end_seq > $6 OR end_on > $1) \
             GROUP BY nationality, sex, {AGE_AT}"
        );
        let mut out = Vec::new();
        for (bucket, end) in period.bucket_ends() {
            let t = AgeGroup::thresholds(end).map(date_text);
            on_db!(self.db(), pool => {
                let rows = sqlx::query(&sql)
                    .bind(date_text(end))
                    .bind(&t[0])
                    .bind(&t[1])
                    .bind(&t[2])
                    .bind(&t[3])
                    .bind(head.size as i64)
                    .fetch_all(pool)
                    .await?;
                for r in &rows {
                    out.push(PendingCount {
                        bucket: bucket.clone(),
                        nationality: r.try_get("nationality")?,
                        sex: parse_sex(&r.try_get::<String, _>("sex")?),
                        age: age(&r.try_get::<String, _>("age")?)?,
                        persons: r.try_get::<i64, _>("persons")? as u64,
                    });
                }
            })
        }
        Ok(out)
    }

    /// Applications pending on `on`, by procedure and introduction date (applicants only).
    pub async fn pending_stock(&self, on: Date, head: &Snapshot) -> Result<Vec<(String, Date, u64)>, StoreError> {
        let sql = "SELECT procedure, lodged_on, COUNT(*) AS n FROM stat_pending \
             WHERE person = 0 AND start_on <= $1 AND start_seq <= $2 AND (end_seq IS NULL OR end_seq > $2 OR end_on > $1) \
             GROUP BY procedure, lodged_on";
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sql).bind(date_text(on)).bind(head.size as i64).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    Ok((
                        r.try_get("procedure")?,
                        parse_date(&r.try_get::<String, _>("lodged_on")?)?,
                        r.try_get::<i64, _>("n")? as u64,
                    ))
                })
                .collect()
        })
    }

    /// Every fact of the period, grouped by what the annual report, the bridge and the charts need.
    pub async fn fact_counts(&self, period: &Period, head: &Snapshot) -> Result<Vec<FactCount>, StoreError> {
        let len = period.granularity.prefix_len() as i64;
        let sql = "SELECT kind, substr(on_date, 1, CAST($1 AS INTEGER)) AS bucket, application, procedure, nationality, decision, court, \
            CAST(CASE WHEN person > 0 THEN 1 ELSE 0 END AS BIGINT) AS accompanying, COUNT(*) AS n \
            FROM stat_facts WHERE on_date >= $2 AND on_date <= $3 AND seq <= $4 \
            GROUP BY kind, substr(on_date, 1, CAST($1 AS INTEGER)), application, procedure, nationality, decision, court, \
              CASE WHEN person > 0 THEN 1 ELSE 0 END";
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sql)
                .bind(len)
                .bind(date_text(period.from))
                .bind(date_text(period.to))
                .bind(head.size as i64)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let decision: Option<String> = r.try_get("decision")?;
                    let court: Option<String> = r.try_get("court")?;
                    Ok(FactCount {
                        kind: parse_kind(&r.try_get::<String, _>("kind")?)?,
                        bucket: r.try_get("bucket")?,
                        application: parse_application(&r.try_get::<String, _>("application")?)?,
                        procedure: r.try_get("procedure")?,
                        nationality: r.try_get("nationality")?,
                        decision: decision.map(|d| DecisionClass::parse(&d).ok_or_else(|| corrupt(&d))).transpose()?,
                        court: court.map(|c| parse_court(&c)).transpose()?,
                        accompanying: r.try_get::<i64, _>("accompanying")? == 1,
                        count: r.try_get::<i64, _>("n")? as u64,
                    })
                })
                .collect()
        })
    }

    /// The distribution of days from introduction to facts of `kind` in the period (applicants
    /// only), keyed by procedure or, with `by_language`, by the case's language.
    pub async fn days_counts(
        &self,
        kind: FactKind,
        by_language: bool,
        period: &Period,
        head: &Snapshot,
    ) -> Result<Vec<DaysCount>, StoreError> {
        let key = if by_language { "language" } else { "procedure" };
        let sql = format!(
            "SELECT {key} AS k, days, COUNT(*) AS n FROM stat_facts WHERE kind = $1 AND person = 0 \
             AND on_date >= $2 AND on_date <= $3 AND seq <= $4 GROUP BY {key}, days"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(&sql)
                .bind(kind.as_str())
                .bind(date_text(period.from))
                .bind(date_text(period.to))
                .bind(head.size as i64)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(DaysCount {
                        key: r.try_get("k")?,
                        days: r.try_get("days")?,
                        count: r.try_get::<i64, _>("n")? as u64,
                    })
                })
                .collect()
        })
    }

    /// Decisions signed in the period by unit (division, section, officer), nationality and
    /// outcome, applications only: the harmonisation views' input.
    pub async fn unit_decisions(
        &self,
        period: &Period,
        nationality: Option<&str>,
        head: &Snapshot,
    ) -> Result<Vec<UnitDecisions>, StoreError> {
        let sql = "SELECT nationality, division, section, officer, decision, COUNT(*) AS n FROM stat_facts \
            WHERE kind = 'decided' AND person = 0 AND on_date >= $1 AND on_date <= $2 AND seq <= $3 \
              AND decision IS NOT NULL AND ($4 = '' OR nationality = $4) \
            GROUP BY nationality, division, section, officer, decision";
        on_db!(self.db(), pool => {
            let rows = sqlx::query(sql)
                .bind(date_text(period.from))
                .bind(date_text(period.to))
                .bind(head.size as i64)
                .bind(nationality.unwrap_or(""))
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    let class: String = r.try_get("decision")?;
                    let section: Option<i64> = r.try_get("section")?;
                    Ok(UnitDecisions {
                        nationality: r.try_get("nationality")?,
                        division: r.try_get("division")?,
                        section: section.and_then(|s| u8::try_from(s).ok()),
                        officer: r.try_get("officer")?,
                        class: DecisionClass::parse(&class).ok_or_else(|| corrupt(&class))?,
                        count: r.try_get::<i64, _>("n")? as u64,
                    })
                })
                .collect()
        })
    }
}

impl Store {
    /// The database's size in bytes (SQLite: pages × page size; PostgreSQL: `pg_database_size`),
    /// for the benchmarks' reports.
    pub async fn database_bytes(&self) -> Result<u64, StoreError> {
        let sql = match self.db() {
            crate::db::Db::Sqlite(_) => {
                "SELECT CAST(page_count * page_size AS BIGINT) AS n FROM pragma_page_count(), pragma_page_size()"
            }
            crate::db::Db::Postgres(_) => "SELECT CAST(pg_database_size(current_database()) AS BIGINT) AS n",
        };
        on_db!(self.db(), pool => {
            let row = sqlx::query(sql).fetch_one(pool).await?;
            Ok(row.try_get::<i64, _>("n")? as u64)
        })
    }
}

impl Store {
    /// Whether the statistics projection lacks the journal's cases (a database written before
    /// the projection existed): `nansen serve` then rebuilds the read tables once.
    pub async fn statistics_missing(&self) -> Result<bool, StoreError> {
        on_db!(self.db(), pool => {
            let facts = sqlx::query("SELECT 1 FROM stat_facts LIMIT 1").fetch_optional(pool).await?;
            let cases = sqlx::query("SELECT 1 FROM cases LIMIT 1").fetch_optional(pool).await?;
            Ok(facts.is_none() && cases.is_some())
        })
    }
}

impl Store {
    /// Refreshes the planner's statistics after a bulk load (PostgreSQL's autovacuum does it in
    /// time; a benchmark that loads millions of rows and queries at once asks for it).
    pub async fn analyze(&self) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("ANALYZE").execute(pool).await?;
            Ok(())
        })
    }
}
