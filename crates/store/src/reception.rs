//! The reception agency's read tables (workspace `reception`, migration 0011): households and
//! structures with their state, the allowance runs, and the final decisions that cross from the
//! office. Written by the writer in the same transaction as their journal entries, and by
//! `nansen rebuild` from the journal.

use std::collections::BTreeMap;

use futures_util::TryStreamExt;
use nansen_domain::reception::{Household, HouseholdId, PayMonth, Structure, StructureCode};
use serde::Serialize;
use sqlx::{QueryBuilder, Row};

use crate::projection::latin_key;
use crate::{on_db, Store, StoreError};

/// Lists never return more than this.
pub const RECEPTION_LIMIT: u32 = 2000;

/// A `households` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HouseholdRow {
    pub id: String,
    pub state: String,
    pub last_seq: i64,
    pub region: String,
    pub case_number: Option<String>,
    pub head_latin: String,
    pub head_key: String,
    pub registered_on: String,
    pub persons: i64,
    pub offer: String,
    pub structure: Option<String>,
    pub awaits_doctor: i64,
    pub vulnerable: i64,
    /// The letters issued: number, kind, content hash, day (`household_letters`).
    pub letters: Vec<(i64, &'static str, String, String)>,
}

impl HouseholdRow {
    pub(crate) fn of(h: &Household, last_seq: u64) -> Result<HouseholdRow, serde_json::Error> {
        let head = h.head();
        let registered_on = h.registered_on.unwrap_or(time::Date::MIN);
        Ok(HouseholdRow {
            id: h.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
            state: serde_json::to_string(h)?,
            last_seq: last_seq as i64,
            region: h.region.clone(),
            case_number: h.case.map(|c| c.to_string()),
            head_latin: head.map(|m| format!("{} {}", m.family_name.latin, m.given_names.latin)).unwrap_or_default(),
            head_key: head.map(|m| latin_key(&m.family_name.latin)).unwrap_or_default(),
            registered_on: registered_on.to_string(),
            persons: h.members.len() as i64,
            offer: match &h.offer {
                None => "pending",
                Some(o) if o.accepted => "accepted",
                Some(_) => "refused",
            }
            .to_owned(),
            structure: h.current_stay().map(|s| s.structure.to_string()),
            awaits_doctor: i64::from(h.awaits_doctor()),
            vulnerable: i64::from(h.is_vulnerable(registered_on)),
            letters: h
                .letters
                .iter()
                .enumerate()
                .map(|(i, l)| (i as i64, l.kind.as_str(), l.sha256.as_str().to_owned(), l.issued_on.to_string()))
                .collect(),
        })
    }
}

/// A `structures` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StructureRow {
    pub code: String,
    pub state: String,
    pub last_seq: i64,
    pub name: String,
    pub kind: String,
    pub operator: String,
    pub region: String,
    pub department: String,
    pub places: [i64; 3],
    pub occupied: [i64; 3],
    pub hospital_nearby: i64,
    pub declared_on: Option<String>,
}

impl StructureRow {
    pub(crate) fn of(s: &Structure, last_seq: u64) -> Result<StructureRow, serde_json::Error> {
        let p = s.places;
        let o = s.occupied;
        Ok(StructureRow {
            code: s.code.as_ref().map(|c| c.to_string()).unwrap_or_default(),
            state: serde_json::to_string(s)?,
            last_seq: last_seq as i64,
            name: s.name.clone(),
            kind: s.kind.map(|k| k.as_str()).unwrap_or_default().to_owned(),
            operator: s.operator.clone(),
            region: s.region.clone(),
            department: s.department.as_ref().map(|d| d.as_str().to_owned()).unwrap_or_default(),
            places: [p.single.into(), p.family.into(), p.accessible.into()],
            occupied: [o.single.into(), o.family.into(), o.accessible.into()],
            hospital_nearby: i64::from(s.hospital_nearby),
            declared_on: s.declared_on.map(|d| d.to_string()),
        })
    }
}

/// Rows written per statement.
pub(crate) const RECEPTION_CHUNK: usize = 500;

/// Inserts or replaces `$rows: &[&HouseholdRow]` on the connection `$conn`.
macro_rules! upsert_households {
    ($conn:expr, $rows:expr) => {
        for chunk in $rows.chunks($crate::reception::RECEPTION_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO households (id, state, last_seq, region, case_number, head_latin, head_key, \
                 registered_on, persons, offer, structure, awaits_doctor, vulnerable) ",
            );
            q.push_values(chunk.iter(), |mut b, r| {
                b.push_bind(r.id.clone())
                    .push_bind(r.state.clone())
                    .push_bind(r.last_seq)
                    .push_bind(r.region.clone())
                    .push_bind(r.case_number.clone())
                    .push_bind(r.head_latin.clone())
                    .push_bind(r.head_key.clone())
                    .push_bind(r.registered_on.clone())
                    .push_bind(r.persons)
                    .push_bind(r.offer.clone())
                    .push_bind(r.structure.clone())
                    .push_bind(r.awaits_doctor)
                    .push_bind(r.vulnerable);
            });
            q.push(
                " ON CONFLICT (id) DO UPDATE SET state = excluded.state, last_seq = excluded.last_seq, \
                 region = excluded.region, case_number = excluded.case_number, head_latin = excluded.head_latin, \
                 head_key = excluded.head_key, registered_on = excluded.registered_on, persons = excluded.persons, \
                 offer = excluded.offer, structure = excluded.structure, awaits_doctor = excluded.awaits_doctor, \
                 vulnerable = excluded.vulnerable",
            );
            q.build().execute(&mut *$conn).await?;
        }
        // Letters are only ever added: the ones already projected stay as they are.
        let letters: Vec<(&str, &(i64, &'static str, String, String))> =
            $rows.iter().flat_map(|r| r.letters.iter().map(move |l| (r.id.as_str(), l))).collect();
        for chunk in letters.chunks($crate::reception::RECEPTION_CHUNK) {
            let mut q =
                sqlx::QueryBuilder::new("INSERT INTO household_letters (household_id, n, kind, sha256, issued_on) ");
            q.push_values(chunk.iter(), |mut b, (id, (n, kind, sha256, issued_on))| {
                b.push_bind(id.to_string())
                    .push_bind(*n)
                    .push_bind(kind.to_string())
                    .push_bind(sha256.clone())
                    .push_bind(issued_on.clone());
            });
            q.push(" ON CONFLICT (household_id, n) DO NOTHING");
            q.build().execute(&mut *$conn).await?;
        }
    };
}

/// Inserts or replaces `$rows: &[&StructureRow]` on the connection `$conn`.
macro_rules! upsert_structures {
    ($conn:expr, $rows:expr) => {
        for chunk in $rows.chunks($crate::reception::RECEPTION_CHUNK) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO structures (code, state, last_seq, name, kind, operator, region, department, \
                 places_single, places_family, places_accessible, occupied_single, occupied_family, \
                 occupied_accessible, hospital_nearby, declared_on) ",
            );
            q.push_values(chunk.iter(), |mut b, r| {
                b.push_bind(r.code.clone())
                    .push_bind(r.state.clone())
                    .push_bind(r.last_seq)
                    .push_bind(r.name.clone())
                    .push_bind(r.kind.clone())
                    .push_bind(r.operator.clone())
                    .push_bind(r.region.clone())
                    .push_bind(r.department.clone())
                    .push_bind(r.places[0])
                    .push_bind(r.places[1])
                    .push_bind(r.places[2])
                    .push_bind(r.occupied[0])
                    .push_bind(r.occupied[1])
                    .push_bind(r.occupied[2])
                    .push_bind(r.hospital_nearby)
                    .push_bind(r.declared_on.clone());
            });
            q.push(
                " ON CONFLICT (code) DO UPDATE SET state = excluded.state, last_seq = excluded.last_seq, \
                 name = excluded.name, kind = excluded.kind, operator = excluded.operator, region = excluded.region, \
                 department = excluded.department, places_single = excluded.places_single, \
                 places_family = excluded.places_family, places_accessible = excluded.places_accessible, \
                 occupied_single = excluded.occupied_single, occupied_family = excluded.occupied_family, \
                 occupied_accessible = excluded.occupied_accessible, hospital_nearby = excluded.hospital_nearby, \
                 declared_on = excluded.declared_on",
            );
            q.build().execute(&mut *$conn).await?;
        }
    };
}

/// Sets the final decision of the cases `$set: &[(String, String)]` and clears it for the cases
/// `$clear: &[String]` (a case reopened, or appealed after all), two statements per chunk.
macro_rules! write_final_decisions {
    ($conn:expr, $set:expr, $clear:expr) => {
        for chunk in $set.chunks($crate::reception::RECEPTION_CHUNK) {
            let mut q = sqlx::QueryBuilder::new("INSERT INTO final_decisions (case_number, notified_on) ");
            q.push_values(chunk.iter(), |mut b, (number, on)| {
                b.push_bind(number.clone()).push_bind(on.clone());
            });
            q.push(" ON CONFLICT (case_number) DO UPDATE SET notified_on = excluded.notified_on");
            q.build().execute(&mut *$conn).await?;
        }
        for chunk in $clear.chunks($crate::reception::RECEPTION_CHUNK) {
            let mut q = sqlx::QueryBuilder::new("DELETE FROM final_decisions WHERE case_number IN (");
            let mut list = q.separated(", ");
            for number in chunk.iter() {
                list.push_bind(number.clone());
            }
            q.push(")");
            q.build().execute(&mut *$conn).await?;
        }
    };
}

/// Records an allowance run (`$run: &AllowanceRun`); the month's primary key refuses a second.
macro_rules! insert_allowance_run {
    ($conn:expr, $run:expr, $seq:expr) => {
        sqlx::query(
            "INSERT INTO allowance_runs (month, households, total_cents, sha256, run_at, run_by, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind($run.month.to_string())
        .bind($run.households)
        .bind($run.total_cents)
        .bind($run.sha256.clone())
        .bind($run.run_at.clone())
        .bind($run.run_by.clone())
        .bind($seq)
        .execute(&mut *$conn)
        .await?;
    };
}

/// A month's payment, as the writer records it and the journal keeps it (`allowance:<month>`,
/// kind `allowance.paid`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct AllowanceRun {
    pub month: PayMonth,
    pub households: i64,
    pub total_cents: i64,
    pub sha256: String,
    #[serde(default)]
    pub run_by: String,
    /// When it was run (RFC 3339), as the operation's time says.
    #[serde(default)]
    pub run_at: String,
}

/// A month paid, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AllowanceRunLine {
    pub month: String,
    pub households: i64,
    pub total_cents: i64,
    pub sha256: String,
    pub run_at: String,
    pub run_by: String,
    pub seq: i64,
}

/// A household as the agency's lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HouseholdLine {
    pub id: String,
    pub region: String,
    pub case_number: Option<String>,
    pub head_latin: String,
    pub registered_on: String,
    pub persons: i64,
    pub offer: String,
    pub structure: Option<String>,
    pub awaits_doctor: bool,
    pub vulnerable: bool,
}

/// What the agency's list of households is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct HouseholdQuery {
    pub region: Option<String>,
    /// The start of a family name in Latin letters, a household number or a case number.
    pub text: Option<String>,
    pub awaits_doctor: bool,
    /// Accepted the offer, asked for accommodation and has none.
    pub waiting_place: bool,
    pub limit: u32,
}

/// A structure as the network's lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StructureLine {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub operator: String,
    pub region: String,
    pub department: String,
    pub places: [i64; 3],
    pub occupied: [i64; 3],
    pub hospital_nearby: bool,
    pub declared_on: Option<String>,
}

/// Places and people by region: `(region, places, occupied)` summed over kinds and structures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegionLine {
    pub region: String,
    pub structures: i64,
    pub places: i64,
    pub occupied: i64,
}

const HOUSEHOLD_COLUMNS: &str =
    "SELECT id, region, case_number, head_latin, registered_on, persons, offer, structure, \
                                 awaits_doctor, vulnerable FROM households";
const STRUCTURE_COLUMNS: &str = "SELECT code, name, kind, operator, region, department, places_single, places_family, \
    places_accessible, occupied_single, occupied_family, occupied_accessible, hospital_nearby, declared_on FROM structures";

macro_rules! household_line {
    ($r:expr) => {
        HouseholdLine {
            id: $r.try_get("id")?,
            region: $r.try_get("region")?,
            case_number: $r.try_get("case_number")?,
            head_latin: $r.try_get("head_latin")?,
            registered_on: $r.try_get("registered_on")?,
            persons: $r.try_get("persons")?,
            offer: $r.try_get("offer")?,
            structure: $r.try_get("structure")?,
            awaits_doctor: $r.try_get::<i64, _>("awaits_doctor")? != 0,
            vulnerable: $r.try_get::<i64, _>("vulnerable")? != 0,
        }
    };
}

macro_rules! structure_line {
    ($r:expr) => {
        StructureLine {
            code: $r.try_get("code")?,
            name: $r.try_get("name")?,
            kind: $r.try_get("kind")?,
            operator: $r.try_get("operator")?,
            region: $r.try_get("region")?,
            department: $r.try_get("department")?,
            places: [$r.try_get("places_single")?, $r.try_get("places_family")?, $r.try_get("places_accessible")?],
            occupied: [
                $r.try_get("occupied_single")?,
                $r.try_get("occupied_family")?,
                $r.try_get("occupied_accessible")?,
            ],
            hospital_nearby: $r.try_get::<i64, _>("hospital_nearby")? != 0,
            declared_on: $r.try_get("declared_on")?,
        }
    };
}

fn corrupt(subject: String, e: impl ToString) -> StoreError {
    StoreError::Corrupt { subject, reason: e.to_string() }
}

impl Store {
    /// The next household number of `year` (a number never used twice; a refused registration
    /// leaves a gap).
    pub async fn next_household_id(&self, year: i32) -> Result<HouseholdId, StoreError> {
        let last = self.bump_counter(&format!("household-{year}")).await?;
        let seq = u32::try_from(last).map_err(|e| corrupt("counters".into(), e))?;
        HouseholdId::new(year, seq).map_err(|e| corrupt("counters".into(), e))
    }

    /// A household's state and its last journal entry.
    pub async fn household(&self, id: &HouseholdId) -> Result<Option<(Household, u64)>, StoreError> {
        let row: Option<(String, i64)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT state, last_seq FROM households WHERE id = $1")
                .bind(id.as_str())
                .fetch_optional(pool)
                .await?
        });
        row.map(|(state, seq)| {
            serde_json::from_str(&state).map(|h| (h, seq as u64)).map_err(|e| corrupt(format!("household:{id}"), e))
        })
        .transpose()
    }

    /// A structure's state.
    pub async fn structure(&self, code: &StructureCode) -> Result<Option<Structure>, StoreError> {
        let row: Option<(String,)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT state FROM structures WHERE code = $1").bind(code.as_str()).fetch_optional(pool).await?
        });
        row.map(|(state,)| serde_json::from_str(&state).map_err(|e| corrupt(format!("structure:{code}"), e)))
            .transpose()
    }

    /// Households, the latest registered first.
    pub async fn households(&self, query: &HouseholdQuery) -> Result<Vec<HouseholdLine>, StoreError> {
        let limit = i64::from(query.limit.clamp(1, RECEPTION_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(HOUSEHOLD_COLUMNS);
            q.push(" WHERE 1 = 1");
            if let Some(region) = &query.region {
                q.push(" AND region = ").push_bind(region.clone());
            }
            if let Some(text) = query.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                let upper = text.to_ascii_uppercase();
                q.push(" AND (id = ").push_bind(upper.clone());
                q.push(" OR case_number = ").push_bind(text.to_owned());
                q.push(" OR head_key LIKE ").push_bind(format!("{}%", latin_key(text)));
                q.push(")");
            }
            if query.awaits_doctor {
                q.push(" AND awaits_doctor = 1");
            }
            if query.waiting_place {
                q.push(" AND offer = 'accepted' AND structure IS NULL AND state LIKE '%\"needs_accommodation\":true%'");
            }
            q.push(" ORDER BY registered_on DESC, id DESC LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| Ok(household_line!(r))).collect::<Result<Vec<_>, sqlx::Error>>().map_err(StoreError::from)
        })
    }

    /// Structures of a region, of an operator, or all, by code.
    pub async fn structures(
        &self,
        region: Option<&str>,
        operator: Option<&str>,
        limit: u32,
    ) -> Result<Vec<StructureLine>, StoreError> {
        let limit = i64::from(limit.clamp(1, RECEPTION_LIMIT));
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new(STRUCTURE_COLUMNS);
            q.push(" WHERE 1 = 1");
            if let Some(region) = region {
                q.push(" AND region = ").push_bind(region.to_owned());
            }
            if let Some(operator) = operator {
                q.push(" AND operator = ").push_bind(operator.to_owned());
            }
            q.push(" ORDER BY code LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| Ok(structure_line!(r))).collect::<Result<Vec<_>, sqlx::Error>>().map_err(StoreError::from)
        })
    }

    /// Places and occupancy by region, in region order.
    pub async fn network_by_region(&self) -> Result<Vec<RegionLine>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT region, COUNT(*) AS structures, \
                 CAST(SUM(places_single + places_family + places_accessible) AS BIGINT) AS places, \
                 CAST(SUM(occupied_single + occupied_family + occupied_accessible) AS BIGINT) AS occupied \
                 FROM structures GROUP BY region ORDER BY region",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(RegionLine {
                        region: r.try_get("region")?,
                        structures: r.try_get("structures")?,
                        places: r.try_get::<Option<i64>, _>("places")?.unwrap_or(0),
                        occupied: r.try_get::<Option<i64>, _>("occupied")?.unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        })
    }

    /// Every household with an offer accepted on or before `until`, with the day the final
    /// decision on its case was notified, in household order: what a month's allowance run
    /// reads. One query streamed, so that memory holds the states only once.
    pub async fn households_for_allowance(
        &self,
        until: &str,
    ) -> Result<Vec<(Household, Option<time::Date>)>, StoreError> {
        on_db!(self.db(), pool => {
            let mut rows = sqlx::query(
                "SELECT h.id, h.state, f.notified_on FROM households h \
                 LEFT JOIN final_decisions f ON f.case_number = h.case_number \
                 WHERE h.offer = 'accepted' AND h.registered_on <= $1 ORDER BY h.id",
            )
            .bind(until.to_owned())
            .fetch(pool);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let id: String = r.try_get("id")?;
                let state: String = r.try_get("state")?;
                let household: Household =
                    serde_json::from_str(&state).map_err(|e| corrupt(format!("household:{id}"), e))?;
                let notified: Option<String> = r.try_get("notified_on")?;
                let notified = notified
                    .map(|n| nansen_domain::serde_dates::parse_date(&n))
                    .transpose()
                    .map_err(|e| corrupt(format!("final decision of household:{id}"), e))?;
                out.push((household, notified));
            }
            Ok(out)
        })
    }

    /// The day the final decision on a case was notified, if it was.
    pub async fn final_decision_of(&self, case_number: &str) -> Result<Option<time::Date>, StoreError> {
        let row: Option<(String,)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT notified_on FROM final_decisions WHERE case_number = $1")
                .bind(case_number.to_owned())
                .fetch_optional(pool)
                .await?
        });
        row.map(|(on,)| {
            nansen_domain::serde_dates::parse_date(&on).map_err(|e| corrupt(format!("case:{case_number}"), e))
        })
        .transpose()
    }

    /// The letters the agency filed with households, in (household, number) order, `limit` at a
    /// time after `after`: (household, number from 0, SHA-256), for the documents' audit.
    pub async fn household_letter_hashes(
        &self,
        after: (&str, i64),
        limit: u32,
    ) -> Result<Vec<(String, i64, String)>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT household_id, n, sha256 FROM household_letters \
                 WHERE household_id > $1 OR (household_id = $1 AND n > $2) ORDER BY household_id, n LIMIT $3",
            )
            .bind(after.0.to_owned())
            .bind(after.1)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| Ok((r.try_get("household_id")?, r.try_get("n")?, r.try_get("sha256")?)))
                .collect()
        })
    }

    /// The months paid, the latest first.
    pub async fn allowance_runs(&self) -> Result<Vec<AllowanceRunLine>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT month, households, total_cents, sha256, run_at, run_by, seq FROM allowance_runs \
                 ORDER BY month DESC LIMIT 240",
            )
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    Ok(AllowanceRunLine {
                        month: r.try_get("month")?,
                        households: r.try_get("households")?,
                        total_cents: r.try_get("total_cents")?,
                        sha256: r.try_get("sha256")?,
                        run_at: r.try_get("run_at")?,
                        run_by: r.try_get("run_by")?,
                        seq: r.try_get("seq")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        })
    }

    /// Every household that accepted the offer, in household order: what the weekly orientation
    /// reads (the demand of every region, the candidates of one) and its figures. One query
    /// streamed.
    pub async fn households_accepted(&self) -> Result<Vec<Household>, StoreError> {
        on_db!(self.db(), pool => {
            let mut rows =
                sqlx::query("SELECT id, state FROM households WHERE offer = 'accepted' ORDER BY id").fetch(pool);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let id: String = r.try_get("id")?;
                let state: String = r.try_get("state")?;
                out.push(serde_json::from_str(&state).map_err(|e| corrupt(format!("household:{id}"), e))?);
            }
            Ok(out)
        })
    }

    /// Every structure of the network with its state, by code.
    pub async fn structure_states(&self) -> Result<Vec<Structure>, StoreError> {
        on_db!(self.db(), pool => {
            let mut rows = sqlx::query("SELECT code, state FROM structures ORDER BY code").fetch(pool);
            let mut out = Vec::new();
            while let Some(r) = rows.try_next().await? {
                let code: String = r.try_get("code")?;
                let state: String = r.try_get("state")?;
                out.push(serde_json::from_str(&state).map_err(|e| corrupt(format!("structure:{code}"), e))?);
            }
            Ok(out)
        })
    }

    /// The households of a case (the office's side reads only the address from them).
    pub async fn households_of_case(&self, case_number: &str) -> Result<Vec<Household>, StoreError> {
        let rows: Vec<(String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT id, state FROM households WHERE case_number = $1 ORDER BY id")
                .bind(case_number.to_owned())
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(id, state)| serde_json::from_str(&state).map_err(|e| corrupt(format!("household:{id}"), e)))
            .collect()
    }
}

/// The reception aggregates rebuilt from the journal: every `household:*` and `structure:*`
/// entry replayed in order, and every `allowance.paid` entry.
pub(crate) struct Replayed {
    pub households: BTreeMap<String, (Household, u64)>,
    pub structures: BTreeMap<String, (Structure, u64)>,
    pub runs: Vec<(AllowanceRun, i64)>,
}

impl Replayed {
    pub(crate) fn new() -> Replayed {
        Replayed { households: BTreeMap::new(), structures: BTreeMap::new(), runs: Vec::new() }
    }

    /// Applies one journal entry of the agency's subjects.
    pub(crate) fn apply(&mut self, subject: &str, kind: &str, seq: i64, payload: &str) -> Result<(), StoreError> {
        let bad = |e: serde_json::Error| corrupt(format!("journal entry {seq}"), e);
        if let Some(id) = subject.strip_prefix("household:") {
            let event: nansen_domain::reception::HouseholdEvent = serde_json::from_str(payload).map_err(bad)?;
            let entry = self.households.entry(id.to_owned()).or_default();
            entry.0 = std::mem::take(&mut entry.0).evolve(&event);
            entry.1 = seq as u64;
        } else if let Some(code) = subject.strip_prefix("structure:") {
            let event: nansen_domain::reception::StructureEvent = serde_json::from_str(payload).map_err(bad)?;
            let entry = self.structures.entry(code.to_owned()).or_default();
            entry.0 = std::mem::take(&mut entry.0).evolve(&event);
            entry.1 = seq as u64;
        } else if kind == "allowance.paid" {
            let run: AllowanceRun = serde_json::from_str(payload).map_err(bad)?;
            self.runs.push((run, seq));
        }
        Ok(())
    }
}

/// The agency's tables, their columns and key order, digested before and after a rebuild.
pub(crate) const RECEPTION_DIGEST: [(&str, &[&str], &str); 5] = [
    (
        "households",
        &[
            "id",
            "state",
            "last_seq",
            "region",
            "case_number",
            "head_latin",
            "head_key",
            "registered_on",
            "persons",
            "offer",
            "structure",
            "awaits_doctor",
            "vulnerable",
        ],
        "id",
    ),
    (
        "structures",
        &[
            "code",
            "state",
            "last_seq",
            "name",
            "kind",
            "operator",
            "region",
            "department",
            "places_single",
            "places_family",
            "places_accessible",
            "occupied_single",
            "occupied_family",
            "occupied_accessible",
            "hospital_nearby",
            "declared_on",
        ],
        "code",
    ),
    ("allowance_runs", &["month", "households", "total_cents", "sha256", "run_at", "run_by", "seq"], "month"),
    ("final_decisions", &["case_number", "notified_on"], "case_number"),
    ("household_letters", &["household_id", "n", "kind", "sha256", "issued_on"], "household_id, n"),
];

/// Whether a digested column holds an integer.
pub(crate) fn numeric(col: &str) -> bool {
    col.starts_with("places_")
        || col.starts_with("occupied_")
        || ["persons", "awaits_doctor", "vulnerable", "hospital_nearby", "households", "total_cents", "n"]
            .contains(&col)
}

impl Store {
    /// Whether a case with that number is registered (the single window links a household to
    /// it; nothing else of the case is read).
    pub async fn case_exists(&self, number: &str) -> Result<bool, StoreError> {
        on_db!(self.db(), pool => {
            Ok(sqlx::query("SELECT 1 FROM cases WHERE number = $1").bind(number.to_owned()).fetch_optional(pool).await?.is_some())
        })
    }
}
