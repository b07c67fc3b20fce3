//! Search by name across spellings and scripts, through `name_keys` (the keys of
//! `nansen_domain::names`), and the keys of a database opened for the first time since they exist.
//!
//! A search reads in stages, each in the index's order `(key, case_number)` (backwards: the newest
//! applications first) so that a very common name stops at the limit instead of sorting its
//! thousands of matches: every word by its key,
//! then the last word as the start of a key (a name still being typed), then one typo away. Within
//! a stage, the cases whose names are spelled as typed come first.

use std::collections::HashSet;

use nansen_domain::names::NameQuery;
use sqlx::{QueryBuilder, Row};

use crate::db::Db;
use crate::projection::CaseSummary;
use crate::queries::{push_case_filter, summary_from_row, CaseFilter, SUMMARY_COLUMNS};
use crate::{on_db, Store, StoreError};

/// The most rows of one driving key a stage reads first (newest first): a name common in another
/// division costs a bounded read. When that read leaves the page short and the key has more
/// rows, the stage is read again without the bound, so that no match is lost.
const SCAN_CAP: i64 = 1_000;

/// How the driving word of a stage is looked up.
enum Drive<'a> {
    /// Any of these keys.
    Keys(&'a [String]),
    /// A key that starts with this one.
    Prefix(&'a str),
}

/// The page being filled: each stage's rows after the earlier ones', those spelled as typed
/// first within a stage.
struct Page {
    limit: usize,
    found: Vec<CaseSummary>,
    seen: HashSet<String>,
    typed: Vec<String>,
}

impl Page {
    fn full(&self) -> bool {
        self.found.len() >= self.limit
    }

    /// A stage's rows (asked for a whole page: some may be listed already).
    fn add(&mut self, mut rows: Vec<CaseSummary>) {
        rows.retain(|c| self.seen.insert(c.number.clone()));
        rows.truncate(self.limit.saturating_sub(self.found.len()));
        let typed = &self.typed;
        rows.sort_by_key(|c| {
            let (latin, original) = (c.applicant_latin.to_lowercase(), c.applicant_original.to_lowercase());
            !typed.iter().all(|w| latin.contains(w.as_str()) || original.contains(w.as_str()))
        });
        self.found.extend(rows);
    }
}

/// One stage's query: the driving word, and the other words a case must also have.
struct Stage<'a> {
    drive: Drive<'a>,
    others: Vec<&'a [String]>,
}

impl Store {
    pub(crate) async fn cases_by_name(&self, filter: &CaseFilter, name: &str) -> Result<Vec<CaseSummary>, StoreError> {
        let limit = filter.limit.clamp(1, 1000) as usize;
        let Some(query) = NameQuery::parse(name) else { return Ok(vec![]) };
        // The rarest word drives (counted up to the cap); the last word is the one being typed.
        let driving = self.rarest(&query).await?;
        let last = query.groups.len() - 1;
        let joined = query.joined.as_ref().map(std::slice::from_ref);
        let mut stages =
            vec![Stage { drive: Drive::Keys(&query.groups[driving]), others: Self::others_of(&query, driving) }];
        if let Some(joined) = joined {
            stages.push(Stage { drive: Drive::Keys(joined), others: vec![] });
        }
        let words = query.words.as_ref().map(|w| NameQuery { groups: w.clone(), joined: None, words: None });
        if let Some(words) = &words {
            let drive = Self::longest(words, None);
            stages.push(Stage { drive: Drive::Keys(&words.groups[drive]), others: Self::others_of(words, drive) });
        }
        stages.push(Stage { drive: Drive::Prefix(&query.groups[last][0]), others: Self::others_of(&query, last) });

        let typed: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let mut page = Page { limit, found: Vec::new(), seen: HashSet::new(), typed };
        for stage in &stages {
            if page.full() {
                return Ok(page.found);
            }
            page.add(self.stage_by_key(filter, stage, limit).await?);
        }
        // One typo in one word: the word's keys one edit away that some case has (looked up first,
        // so that a rare name's neighbours cost a few index seeks), with the other words as typed;
        // an exact word drives when there is one.
        let mut order: Vec<usize> = (0..query.groups.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(query.groups[i][0].len()));
        for g in order {
            if page.full() {
                break;
            }
            let mut near: Vec<String> = query.groups[g].iter().flat_map(|k| nansen_domain::names::near(k)).collect();
            near.sort();
            near.dedup();
            let near = self.existing_keys(&near).await?;
            if near.is_empty() {
                continue;
            }
            let stage = if query.groups.len() > 1 {
                let drive = Self::longest(&query, Some(g));
                let mut others = vec![near.as_slice()];
                others.extend(
                    query.groups.iter().enumerate().filter(|(i, _)| *i != g && *i != drive).map(|(_, k)| k.as_slice()),
                );
                Stage { drive: Drive::Keys(&query.groups[drive]), others }
            } else {
                Stage { drive: Drive::Keys(&near), others: vec![] }
            };
            page.add(self.stage_by_key(filter, &stage, limit).await?);
        }
        Ok(page.found)
    }

    /// A stage driven by several keys, one key after the other (the newest first within each):
    /// each query reads its key's range in index order and stops at the limit, where one query
    /// over all the keys would sort every match of a common one.
    async fn stage_by_key(
        &self,
        filter: &CaseFilter,
        stage: &Stage<'_>,
        limit: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let Drive::Keys(keys) = stage.drive else { return self.name_stage(filter, stage, limit).await };
        let mut rows: Vec<CaseSummary> = Vec::new();
        for key in keys.iter().rev() {
            if rows.len() >= limit {
                break;
            }
            let one = Stage { drive: Drive::Keys(std::slice::from_ref(key)), others: stage.others.clone() };
            rows.extend(self.name_stage(filter, &one, limit - rows.len()).await?);
        }
        Ok(rows)
    }

    /// The group whose keys have the fewest rows (counted up to [`SCAN_CAP`]), the longest key
    /// among equals; the only one without asking when there is one.
    async fn rarest(&self, q: &NameQuery) -> Result<usize, StoreError> {
        if q.groups.len() < 2 {
            return Ok(0);
        }
        let mut best = (i64::MAX, 0_usize, 0_usize);
        for (i, keys) in q.groups.iter().enumerate() {
            let n = self.drive_rows(&Stage { drive: Drive::Keys(keys), others: vec![] }).await?;
            let len = keys[0].len();
            if n < best.0 || (n == best.0 && len > best.2) {
                best = (n, i, len);
            }
        }
        Ok(best.1)
    }

    /// The group with the longest key, but `skip`.
    fn longest(q: &NameQuery, skip: Option<usize>) -> usize {
        (0..q.groups.len()).filter(|i| Some(*i) != skip).max_by_key(|&i| q.groups[i][0].len()).unwrap_or(0)
    }

    /// Those of `keys` that some case has.
    async fn existing_keys(&self, keys: &[String]) -> Result<Vec<String>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        on_db!(self.db(), pool => {
            let mut q = QueryBuilder::new("WITH v(key) AS (VALUES ");
            let mut first = true;
            for key in keys {
                if !first {
                    q.push(", ");
                }
                first = false;
                q.push("(CAST(").push_bind(key.clone()).push(" AS TEXT))");
            }
            q.push(") SELECT key FROM v WHERE EXISTS (SELECT 1 FROM name_keys n WHERE n.key = v.key)");
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| r.try_get::<String, _>("key")).collect::<Result<Vec<_>, sqlx::Error>>().map_err(StoreError::from)
        })
    }

    /// The groups of a query but one (the stage's driving group).
    fn others_of(q: &NameQuery, skip: usize) -> Vec<&[String]> {
        q.groups.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, g)| g.as_slice()).collect()
    }

    /// A stage's rows, the driving key's first [`SCAN_CAP`] rows read first, then all of them if
    /// that left the page short and the key has more.
    async fn name_stage(
        &self,
        filter: &CaseFilter,
        stage: &Stage<'_>,
        limit: usize,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let rows = self.name_stage_read(filter, stage, limit, Some(SCAN_CAP)).await?;
        if rows.len() >= limit || self.drive_rows(stage).await? < SCAN_CAP {
            return Ok(rows);
        }
        self.name_stage_read(filter, stage, limit, None).await
    }

    /// How many rows the stage's driving keys have, counted up to [`SCAN_CAP`].
    async fn drive_rows(&self, stage: &Stage<'_>) -> Result<i64, StoreError> {
        on_db!(self.db(), pool => {
            let mut c = QueryBuilder::new("SELECT COUNT(*) AS n FROM (SELECT 1 FROM name_keys WHERE ");
            match stage.drive {
                Drive::Keys(keys) => {
                    c.push("key IN (");
                    let mut list = c.separated(", ");
                    for key in keys {
                        list.push_bind(key.clone());
                    }
                    c.push(")");
                }
                Drive::Prefix(start) => {
                    c.push("key >= ").push_bind(start.to_owned()).push(" AND key < ").push_bind(format!("{start}~"));
                }
            }
            c.push(" LIMIT ").push_bind(SCAN_CAP).push(") t");
            Ok::<i64, StoreError>(c.build().fetch_one(pool).await?.try_get("n")?)
        })
    }

    async fn name_stage_read(
        &self,
        filter: &CaseFilter,
        stage: &Stage<'_>,
        limit: usize,
        cap: Option<i64>,
    ) -> Result<Vec<CaseSummary>, StoreError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        on_db!(self.db(), pool => {
            // The driving key's rows, newest first, at most SCAN_CAP of them: a name common in
            // another division costs a bounded read, not every one of its rows.
            let mut q = QueryBuilder::new(format!(
                "SELECT {SUMMARY_COLUMNS} FROM (SELECT key, case_number FROM name_keys WHERE "
            ));
            match stage.drive {
                Drive::Keys(keys) => {
                    q.push("key IN (");
                    let mut list = q.separated(", ");
                    for key in keys {
                        list.push_bind(key.clone());
                    }
                    q.push(")");
                }
                Drive::Prefix(start) => {
                    // Keys are ASCII letters: `~` sorts after every one of them.
                    q.push("key >= ").push_bind(start.to_owned()).push(" AND key < ").push_bind(format!("{start}~"));
                }
            }
            q.push(" ORDER BY key DESC, case_number DESC");
            if let Some(cap) = cap {
                q.push(" LIMIT ").push_bind(cap);
            }
            q.push(") k JOIN cases c ON c.number = k.case_number WHERE 1 = 1");
            for keys in &stage.others {
                q.push(" AND EXISTS (SELECT 1 FROM name_keys o WHERE o.case_number = k.case_number AND o.key IN (");
                let mut list = q.separated(", ");
                for key in keys.iter() {
                    list.push_bind(key.clone());
                }
                q.push("))");
            }
            push_case_filter!(q, filter);
            // Newest first: the index read backwards, so a common name still stops at the limit.
            q.push(" ORDER BY k.key DESC, k.case_number DESC LIMIT ").push_bind(limit);
            let rows = q.build().fetch_all(pool).await?;
            rows.iter().map(|r| summary_from_row!(r)).collect::<Result<Vec<_>, sqlx::Error>>().map_err(StoreError::from)
        })
    }
}

/// Fills `name_keys` from `persons` when a database has persons and no keys yet (opened for the
/// first time since the keys exist); a no-op otherwise.
pub(crate) async fn fill_missing_keys(db: &Db) -> Result<(), StoreError> {
    on_db!(db, pool => {
        let has_keys = sqlx::query("SELECT 1 FROM name_keys LIMIT 1").fetch_optional(pool).await?.is_some();
        let has_persons = sqlx::query("SELECT 1 FROM persons LIMIT 1").fetch_optional(pool).await?.is_some();
        if has_keys || !has_persons {
            return Ok(());
        }
        // One transaction, read a page of persons at a time: a crash leaves no half-filled table.
        let mut tx = pool.begin().await?;
        let (mut after, mut position) = (String::new(), -1_i64);
        loop {
            let rows = sqlx::query(
                "SELECT case_number, position, family_latin, given_latin, family_original, given_original \
                 FROM persons WHERE (case_number, position) > ($1, $2) ORDER BY case_number, position LIMIT 20000",
            )
            .bind(&after)
            .bind(position)
            .fetch_all(&mut *tx)
            .await?;
            let mut keys: std::collections::BTreeSet<(String, String)> = std::collections::BTreeSet::new();
            for r in &rows {
                let number: String = r.try_get("case_number")?;
                for col in ["family_latin", "given_latin", "family_original", "given_original"] {
                    let name: String = r.try_get(col)?;
                    keys.extend(nansen_domain::names::keys_of(&name).into_iter().map(|k| (number.clone(), k)));
                }
                (after, position) = (number, r.try_get("position")?);
            }
            // A case cut between two pages writes a key twice at most: the second is ignored.
            let refs: Vec<(&String, &String)> = keys.iter().map(|(n, k)| (n, k)).collect();
            insert_name_keys!(tx, refs);
            if rows.len() < 20000 {
                break;
            }
        }
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })
}

/// A benchmark line of `cases` with its name keys (see [`Store::fill_cases_for_bench`]).
#[derive(Debug, Clone)]
pub struct BenchCase {
    /// A case number of a year before any real case (`2019-…`).
    pub number: String,
    pub nationality: String,
    pub division: Option<String>,
    pub family_latin: String,
    pub given_latin: String,
    pub family_original: String,
    pub given_original: String,
}

impl Store {
    /// **Benchmarks only**: writes case rows and their name keys that no journal entry backs, to
    /// time the search by name at a national size without registering a million applications
    /// through the write path. Their state is empty (they cannot be opened); use a throwaway
    /// database.
    pub async fn fill_cases_for_bench(&self, cases: &[BenchCase]) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            for chunk in cases.chunks(500) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO cases (number, status, kind, procedure, nationality, language, division, \
                     applicant_latin, applicant_original, introduced_on, queue_key, last_seq, state) ",
                );
                q.push_values(chunk.iter(), |mut b, c| {
                    b.push_bind(c.number.clone())
                        .push_bind("registered")
                        .push_bind("first")
                        .push_bind("normal")
                        .push_bind(c.nationality.clone())
                        .push_bind("und")
                        .push_bind(c.division.clone())
                        .push_bind(format!("{} {}", c.family_latin, c.given_latin))
                        .push_bind(format!("{} {}", c.family_original, c.given_original))
                        .push_bind("2019-01-01")
                        .push_bind(format!("9999-12-31|{}", c.number))
                        .push_bind(0_i64)
                        .push_bind("{}");
                });
                q.build().execute(&mut *tx).await?;
                let mut keys = std::collections::BTreeSet::new();
                for c in chunk {
                    for name in [&c.family_latin, &c.given_latin, &c.family_original, &c.given_original] {
                        keys.extend(nansen_domain::names::keys_of(name).into_iter().map(|k| (c.number.clone(), k)));
                    }
                }
                let refs: Vec<(&String, &String)> = keys.iter().map(|(n, k)| (n, k)).collect();
                insert_name_keys!(tx, refs);
            }
            tx.commit().await?;
            Ok(())
        })
    }
}
