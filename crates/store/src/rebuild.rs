//! `nansen rebuild`: recompute every read table from the journal, inside one transaction that
//! holds the journal's write lock, and compare a digest of the tables before and after.

use std::time::{Duration, Instant};

use futures_util::TryStreamExt;
use nansen_domain::lifecycle::{evolve, Case, Event};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::projection::CaseRow;
use crate::reception::{HouseholdRow, Replayed, StructureRow};
use crate::statistics::StatWrites;
use crate::{on_db, Store, StoreError};
use nansen_domain::reception::final_decision_notified;

/// Journal rows read per page while rebuilding (bounded memory at any journal size).
const PAGE: i64 = 20_000;

#[derive(Debug, Clone, serde::Serialize)]
pub struct RebuildReport {
    pub cases: u64,
    pub events: u64,
    pub digest_before: String,
    pub digest_after: String,
    pub identical: bool,
    #[serde(skip)]
    pub elapsed: Duration,
}

impl std::fmt::Display for RebuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "rebuilt {} cases from {} journal entries in {:.2} s: read tables {} (digest {})",
            self.cases,
            self.events,
            self.elapsed.as_secs_f64(),
            if self.identical { "identical to before" } else { "DIFFERENT from before" },
            self.digest_after
        )
    }
}

/// Replays the journal entries matching `$filter` (an SQL condition on `subject`) in journal
/// order, a page at a time, binding each entry's seq, actor, subject, kind and payload for `$body`
/// and counting them in `$events`.
macro_rules! replay_entries {
    ($tx:ident, $events:ident, $filter:expr, |$seq:ident, $actor:ident, $subject:ident, $kind:ident, $payload:ident| $body:block) => {{
        let sql = format!(
            "SELECT seq, actor, subject, kind, payload FROM journal WHERE seq > $1 AND ({}) ORDER BY seq LIMIT $2",
            $filter
        );
        let mut after_seq: i64 = 0;
        loop {
            let rows = sqlx::query(&sql).bind(after_seq).bind(PAGE).fetch_all(&mut *$tx).await?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let $seq: i64 = row.try_get("seq")?;
                let $actor: String = row.try_get("actor")?;
                let $subject: String = row.try_get("subject")?;
                let $kind: String = row.try_get("kind")?;
                let $payload: String = row.try_get("payload")?;
                $body
                $events += 1;
                after_seq = $seq;
            }
        }
    }};
}

/// A digest of the read tables, row by row in key order, every column included.
macro_rules! read_tables_digest {
    ($tx:expr) => {{
        let mut h = Sha256::new();
        {
            let mut rows = sqlx::query(
                "SELECT number, status, kind, procedure, nationality, language, division, section, officer, \
                 applicant_latin, applicant_original, introduced_on, decision_due, queue_key, last_seq, state, appeal_due, \
                 hearing_on, chamber FROM cases \
                 ORDER BY number",
            )
            .fetch(&mut *$tx);
            while let Some(r) = rows.try_next().await? {
                for col in ["number", "status", "kind", "procedure", "nationality", "language", "division", "officer",
                    "applicant_latin", "applicant_original", "introduced_on", "decision_due", "queue_key", "state",
                    "appeal_due", "hearing_on", "chamber"] {
                    let v: Option<String> = r.try_get(col)?;
                    h.update(format!("{v:?}\u{1f}").as_bytes());
                }
                let section: Option<i64> = r.try_get("section")?;
                let last_seq: i64 = r.try_get("last_seq")?;
                h.update(format!("{section:?}\u{1f}{last_seq}\u{1e}").as_bytes());
            }
        }
        {
            let mut rows = sqlx::query(
                "SELECT case_number, position, role, family_latin, given_latin, family_original, given_original, \
                 latin_key, original_key, birth_date, sex, nationality FROM persons ORDER BY case_number, position",
            )
            .fetch(&mut *$tx);
            while let Some(r) = rows.try_next().await? {
                let position: i64 = r.try_get("position")?;
                h.update(format!("{position}\u{1f}").as_bytes());
                for col in ["case_number", "role", "family_latin", "given_latin", "family_original", "given_original",
                    "latin_key", "original_key", "birth_date", "sex", "nationality"] {
                    let v: String = r.try_get(col)?;
                    h.update(format!("{v}\u{1f}").as_bytes());
                }
                h.update(b"\x1e");
            }
        }
        for (table, columns, order) in $crate::rebuild::STAT_DIGEST
            .iter()
            .chain($crate::rebuild::CIVIL_DIGEST.iter())
            .chain($crate::reception::RECEPTION_DIGEST.iter())
            .chain($crate::planning::PLANNING_DIGEST.iter())
            .chain($crate::library::LIBRARY_DIGEST.iter())
            .chain($crate::research::RESEARCH_DIGEST.iter())
            .chain($crate::research::SAVED_DIGEST.iter())
            .chain($crate::archives::FILES_DIGEST.iter())
        {
            let sql = format!("SELECT {} FROM {table} ORDER BY {order}", columns.join(", "));
            let mut rows = sqlx::query(&sql).fetch(&mut *$tx);
            while let Some(r) = rows.try_next().await? {
                for (i, col) in columns.iter().enumerate() {
                    let v: Option<String> = if col.ends_with("seq") || ["person", "section", "days", "year", "version", "requested", "certificates", "unsigned_reports", "ends"].contains(col) || $crate::reception::numeric(col) || $crate::library::numeric(col) || $crate::archives::numeric(col) {
                        r.try_get::<Option<i64>, _>(i)?.map(|n| n.to_string())
                    } else {
                        r.try_get(i)?
                    };
                    h.update(format!("{col}={v:?}\u{1f}").as_bytes());
                }
                h.update(b"\x1e");
            }
        }
        hex::encode(h.finalize())
    }};
}

/// The civil-status tables, digested like the statistics'.
pub(crate) const CIVIL_DIGEST: [(&str, &[&str], &str); 5] = [
    ("name_keys", &["key", "case_number"], "key, case_number"),
    (
        "civil_acts",
        &[
            "number",
            "year",
            "seq",
            "case_number",
            "person",
            "kind",
            "family_latin",
            "given_latin",
            "family_original",
            "given_original",
            "latin_key",
            "original_key",
            "event_on",
            "version",
            "drawn_up_at",
        ],
        "number",
    ),
    ("civil_copies", &["id", "act", "case_number", "version", "sha256", "requested", "issued_at"], "id"),
    (
        "fgm_follow_ups",
        &["case_number", "person", "opened_on", "ends_on", "due_on", "certificates", "unsigned_reports"],
        "case_number, person",
    ),
    (
        "protection_endings",
        &["case_number", "seq", "ground", "opened_on", "answer_due", "answered_on", "drafted_on", "decided_on", "ends"],
        "case_number, seq",
    ),
];

/// The statistics tables, their columns and their key order, as digested before and after a rebuild.
pub(crate) const STAT_DIGEST: [(&str, &[&str], &str); 2] = [
    (
        "stat_facts",
        &[
            "seq",
            "person",
            "kind",
            "number",
            "on_date",
            "person_key",
            "application",
            "procedure",
            "nationality",
            "sex",
            "age",
            "decision",
            "court",
            "division",
            "section",
            "officer",
            "language",
            "lodged_on",
            "days",
        ],
        "seq, person, kind",
    ),
    (
        "stat_pending",
        &[
            "number",
            "person",
            "start_seq",
            "start_on",
            "end_seq",
            "end_on",
            "nationality",
            "sex",
            "born",
            "procedure",
            "lodged_on",
        ],
        "number, person, start_seq",
    ),
];

impl Store {
    pub async fn rebuild(&self) -> Result<RebuildReport, StoreError> {
        self.rebuild_with(crate::no_progress()).await
    }

    /// [`Store::rebuild`], telling `progress` how many journal entries are replayed (out of the
    /// journal's size: entries of no read table are not replayed, so it ends a little short).
    pub async fn rebuild_with(&self, progress: crate::Progress) -> Result<RebuildReport, StoreError> {
        let started = Instant::now();
        let total = self.journal_entries().await?;
        let rules = self.rules();
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            // Hold the journal's write lock: no command commits while the tables are rebuilt.
            sqlx::query("UPDATE journal_head SET size = size WHERE id = 1").execute(&mut *tx).await?;
            let digest_before = read_tables_digest!(tx);
            sqlx::query("DELETE FROM persons").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM name_keys").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM stat_facts").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM stat_pending").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM documents").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM originals").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM civil_acts").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM civil_copies").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM fgm_follow_ups").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM protection_endings").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM cases").execute(&mut *tx).await?;
            for table in ["households", "household_letters", "structures", "allowance_runs", "final_decisions", "planning_register", "library_passages", "library_documents", "research_requests", "saved_searches", "physical_files"] {
                sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
            }
            let (mut cases, mut events) = (0u64, 0u64);
            let mut current: Option<(String, Case, u64)> = None;
            let mut after: (String, i64) = (String::new(), 0);
            loop {
                let rows = sqlx::query(
                    "SELECT subject, seq, payload FROM journal WHERE subject LIKE 'case:%' \
                     AND (subject > $1 OR (subject = $1 AND seq > $2)) ORDER BY subject, seq LIMIT $3",
                )
                .bind(&after.0)
                .bind(after.1)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
                if rows.is_empty() {
                    break;
                }
                let mut finished: Vec<CaseRow> = Vec::new();
                let mut finals: Vec<(String, String)> = Vec::new();
                let mut stats = StatWrites::default();
                for row in &rows {
                    let subject: String = row.try_get("subject")?;
                    let seq: i64 = row.try_get("seq")?;
                    let payload: String = row.try_get("payload")?;
                    let event: Event = serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt {
                        subject: format!("journal entry {seq}"),
                        reason: e.to_string(),
                    })?;
                    events += 1;
                    if events % crate::PROGRESS_EVERY == 0 {
                        progress(events, total);
                    }
                    let number = subject.trim_start_matches("case:");
                    match &mut current {
                        Some((s, case, last)) if *s == subject => {
                            let before = case.status;
                            *case = evolve(std::mem::take(case), &event);
                            *last = seq as u64;
                            stats.record(seq as u64, number, before, case, &event);
                        }
                        _ => {
                            if let Some((s, case, last)) = current.take() {
                                if let Some(on) = final_decision_notified(&case) {
                                    finals.push((case.number.to_string(), on.to_string()));
                                }
                                finished.push(CaseRow::of(&case, rules, last).map_err(|e| StoreError::Corrupt { subject: s, reason: e.to_string() })?);
                            }
                            let start = Case::initial();
                            let before = start.status;
                            let case = evolve(start, &event);
                            stats.record(seq as u64, number, before, &case, &event);
                            current = Some((subject.clone(), case, seq as u64));
                        }
                    }
                    after = (subject, seq);
                }
                let rows: Vec<&CaseRow> = finished.iter().collect();
                upsert_cases!(tx, rows);
                replace_persons!(tx, rows);
                replace_files!(tx, rows);
                crate::statistics::write_stats!(tx, &stats);
                write_final_decisions!(tx, finals, Vec::<String>::new());
                cases += finished.len() as u64;
            }
            if let Some((s, case, last)) = current.take() {
                let row = CaseRow::of(&case, rules, last).map_err(|e| StoreError::Corrupt { subject: s, reason: e.to_string() })?;
                upsert_cases!(tx, [&row]);
                replace_persons!(tx, [&row]);
                replace_files!(tx, [&row]);
                if let Some(on) = final_decision_notified(&case) {
                    write_final_decisions!(tx, [(case.number.to_string(), on.to_string())], Vec::<String>::new());
                }
                cases += 1;
            }
            // The reception agency's aggregates and months paid, replayed in journal order.
            let mut replayed = Replayed::new();
            let mut after_seq: i64 = 0;
            loop {
                let rows = sqlx::query(
                    "SELECT seq, subject, kind, payload FROM journal WHERE seq > $1 \
                     AND (subject LIKE 'household:%' OR subject LIKE 'structure:%' OR subject LIKE 'allowance:%') \
                     ORDER BY seq LIMIT $2",
                )
                .bind(after_seq)
                .bind(PAGE)
                .fetch_all(&mut *tx)
                .await?;
                if rows.is_empty() {
                    break;
                }
                for row in &rows {
                    let seq: i64 = row.try_get("seq")?;
                    let subject: String = row.try_get("subject")?;
                    let kind: String = row.try_get("kind")?;
                    let payload: String = row.try_get("payload")?;
                    replayed.apply(&subject, &kind, seq, &payload)?;
                    events += 1;
                    if events % crate::PROGRESS_EVERY == 0 {
                        progress(events, total);
                    }
                    after_seq = seq;
                }
            }
            let mut households = Vec::with_capacity(replayed.households.len());
            for (id, (h, seq)) in &replayed.households {
                households.push(HouseholdRow::of(h, *seq).map_err(|e| StoreError::Corrupt { subject: format!("household:{id}"), reason: e.to_string() })?);
            }
            let households: Vec<&HouseholdRow> = households.iter().collect();
            upsert_households!(tx, households);
            let mut structures = Vec::with_capacity(replayed.structures.len());
            for (code, (st, seq)) in &replayed.structures {
                structures.push(StructureRow::of(st, *seq).map_err(|e| StoreError::Corrupt { subject: format!("structure:{code}"), reason: e.to_string() })?);
            }
            let structures: Vec<&StructureRow> = structures.iter().collect();
            upsert_structures!(tx, structures);
            for (run, seq) in &replayed.runs {
                insert_allowance_run!(tx, run, *seq);
            }
            // The planning's register, replayed in journal order.
            let mut register = crate::planning::ReplayedRegister::default();
            replay_entries!(tx, events, crate::planning::PLANNING_SUBJECTS, |seq, _actor, subject, _kind, payload| {
                register.apply(&subject, seq, &payload)?;
            });
            let register_rows = register.rows()?;
            let register_rows: Vec<&crate::planning::PlanningRow> = register_rows.iter().collect();
            crate::planning::upsert_planning!(tx, register_rows);
            // The library, replayed in journal order (a version's `replaced_by` set when it comes).
            replay_entries!(tx, events, "subject LIKE 'library:%'", |seq, actor, _subject, kind, payload| {
                if kind == crate::library::DOCUMENT_ADDED {
                    let entry = crate::library::replayed(&payload, seq)?;
                    crate::library::insert_library_document!(tx, entry, actor, seq);
                }
            });
            // The research requests, replayed in journal order.
            let mut requests = std::collections::BTreeMap::new();
            replay_entries!(tx, events, "subject LIKE 'research:%'", |seq, _actor, subject, _kind, payload| {
                crate::research::replay(&mut requests, &subject, seq, &payload)?;
            });
            for (id, (request, seq)) in &requests {
                let row = crate::research::ResearchRequestRow::of(request, *seq)
                    .map_err(|reason| StoreError::Corrupt { subject: format!("research:{id}"), reason })?;
                crate::research::upsert_research_request!(tx, &row);
            }
            // The physical files, replayed in journal order.
            let mut files = std::collections::BTreeMap::new();
            replay_entries!(tx, events, "subject LIKE 'file:%'", |seq, _actor, subject, _kind, payload| {
                crate::archives::replay(&mut files, &subject, seq, &payload)?;
            });
            for (label, (file, seq)) in &files {
                let row = crate::archives::PhysicalFileRow::of(file, *seq)
                    .map_err(|reason| StoreError::Corrupt { subject: format!("file:{label}"), reason })?;
                crate::archives::upsert_physical_file!(tx, &row);
            }
            // The saved searches, replayed in journal order.
            replay_entries!(tx, events, "subject LIKE 'saved-search:%'", |seq, actor, _subject, _kind, payload| {
                let change: crate::research::SavedSearchChange = serde_json::from_str(&payload)
                    .map_err(|e| StoreError::Corrupt { subject: format!("journal entry {seq}"), reason: e.to_string() })?;
                let conn = &mut *tx;
                crate::research::apply_saved_search!(conn, &actor, &change, seq);
            });
            let digest_after = read_tables_digest!(tx);
            tx.commit().await?;
            progress(events, events);
            Ok(RebuildReport {
                cases,
                events,
                identical: digest_before == digest_after,
                digest_before,
                digest_after,
                elapsed: started.elapsed(),
            })
        })
    }
}
