//! The writes of one committed batch (journal entries, case rows, new persons, the new signed
//! head), done the fastest way each database allows. PostgreSQL gets one statement whose text
//! never changes: rows travel as arrays (`unnest`), so the statement is prepared and planned once
//! per connection and a batch costs one round trip. SQLite, in-process, runs plain statements.

use std::future::Future;

use sqlx::{PgConnection, QueryBuilder, SqliteConnection};

use crate::journal::Entry;
use crate::projection::{CaseRow, PersonRow};

/// Journal rows per INSERT statement on SQLite (8 values each; it allows 32,766 per statement).
const SQLITE_JOURNAL_CHUNK: usize = 500;

/// The new signed tree head, and whether it is also kept as a checkpoint.
pub(crate) struct NewHead {
    pub size: i64,
    pub last_hash: Vec<u8>,
    pub frontier: Vec<u8>,
    pub root: Vec<u8>,
    pub signed_at: String,
    pub key_id: String,
    pub signature: Vec<u8>,
    pub checkpoint: bool,
}

pub(crate) struct BatchWrites<'a> {
    pub entries: &'a [Entry],
    /// Each case number at most once.
    pub cases: &'a [&'a CaseRow],
    /// Persons of cases registered in this batch (they have none yet).
    pub persons: &'a [(&'a String, &'a PersonRow)],
    /// The name keys of those cases (case number, key).
    pub name_keys: &'a [(&'a String, &'a String)],
    pub head: NewHead,
}

pub(crate) trait WriteBatch {
    fn write_batch(&mut self, batch: &BatchWrites<'_>) -> impl Future<Output = Result<(), sqlx::Error>> + Send;
}

/// One statement: data-modifying CTEs run in one snapshot, all or nothing.
const PG_BATCH: &str = "\
WITH j AS (
  INSERT INTO journal (seq, recorded_at, actor, subject, kind, payload, prev_hash, hash)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::bytea[])
), c AS (
  INSERT INTO cases (number, status, kind, procedure, nationality, language, division, section, officer,
                     applicant_latin, applicant_original, introduced_on, decision_due, queue_key, last_seq, state,
                     appeal_due, hearing_on, chamber)
  SELECT * FROM unnest($9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
                       $16::bigint[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::text[],
                       $23::bigint[], $24::text[], $25::text[], $26::text[], $27::text[])
  ON CONFLICT (number) DO UPDATE SET status = excluded.status, kind = excluded.kind,
    procedure = excluded.procedure, nationality = excluded.nationality, language = excluded.language,
    division = excluded.division, section = excluded.section, officer = excluded.officer,
    applicant_latin = excluded.applicant_latin, applicant_original = excluded.applicant_original,
    introduced_on = excluded.introduced_on, decision_due = excluded.decision_due, queue_key = excluded.queue_key,
    last_seq = excluded.last_seq, state = excluded.state, appeal_due = excluded.appeal_due,
    hearing_on = excluded.hearing_on, chamber = excluded.chamber
), p AS (
  INSERT INTO persons (case_number, position, role, family_latin, given_latin, family_original, given_original,
                       latin_key, original_key, birth_date, sex, nationality)
  SELECT * FROM unnest($28::text[], $29::bigint[], $30::text[], $31::text[], $32::text[], $33::text[], $34::text[],
                       $35::text[], $36::text[], $37::text[], $38::text[], $39::text[])
), k AS (
  INSERT INTO name_keys (key, case_number)
  SELECT * FROM unnest($48::text[], $49::text[]) ON CONFLICT DO NOTHING
), t AS (
  INSERT INTO tree_heads (size, root, last_hash, signed_at, key_id, signature)
  SELECT $40, $43, $41, $44, $45, $46 WHERE $47
)
UPDATE journal_head SET size = $40, last_hash = $41, frontier = $42, root = $43, signed_at = $44, key_id = $45,
  signature = $46
WHERE id = 1";

impl WriteBatch for PgConnection {
    fn write_batch(&mut self, b: &BatchWrites<'_>) -> impl Future<Output = Result<(), sqlx::Error>> + Send {
        let e = b.entries;
        let c = b.cases;
        let p = b.persons;
        let q = sqlx::query(PG_BATCH)
            .bind(e.iter().map(|e| e.seq as i64).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.recorded_at.clone()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.actor.clone()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.subject.clone()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.kind.clone()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.payload.clone()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.prev_hash.to_vec()).collect::<Vec<_>>())
            .bind(e.iter().map(|e| e.hash.to_vec()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.number.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.status.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.kind.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.procedure.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.nationality.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.language.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.division.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.section).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.officer.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.applicant_latin.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.applicant_original.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.introduced_on.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.decision_due.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.queue_key.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.last_seq).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.state.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.appeal_due.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.hearing_on.clone()).collect::<Vec<_>>())
            .bind(c.iter().map(|r| r.chamber.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(n, _)| (*n).clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.position).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.role.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.family_latin.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.given_latin.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.family_original.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.given_original.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.latin_key.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.original_key.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.birth_date.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.sex.clone()).collect::<Vec<_>>())
            .bind(p.iter().map(|(_, p)| p.nationality.clone()).collect::<Vec<_>>())
            .bind(b.head.size)
            .bind(b.head.last_hash.clone())
            .bind(b.head.frontier.clone())
            .bind(b.head.root.clone())
            .bind(b.head.signed_at.clone())
            .bind(b.head.key_id.clone())
            .bind(b.head.signature.clone())
            .bind(b.head.checkpoint)
            .bind(b.name_keys.iter().map(|(_, k)| (*k).clone()).collect::<Vec<_>>())
            .bind(b.name_keys.iter().map(|(n, _)| (*n).clone()).collect::<Vec<_>>());
        async move {
            q.execute(self).await?;
            Ok(())
        }
    }
}

impl WriteBatch for SqliteConnection {
    async fn write_batch(&mut self, b: &BatchWrites<'_>) -> Result<(), sqlx::Error> {
        {
            let tx = self;
            upsert_cases!(tx, b.cases);
            for chunk in b.persons.chunks(crate::projection::PERSON_CHUNK) {
                let mut q = QueryBuilder::new("");
                push_person_values!(q, chunk);
                q.build().execute(&mut *tx).await?;
            }
            insert_name_keys!(tx, b.name_keys);
            for chunk in b.entries.chunks(SQLITE_JOURNAL_CHUNK) {
                let mut q = QueryBuilder::new(
                    "INSERT INTO journal (seq, recorded_at, actor, subject, kind, payload, prev_hash, hash) ",
                );
                q.push_values(chunk.iter(), |mut v, e| {
                    v.push_bind(e.seq as i64)
                        .push_bind(e.recorded_at.clone())
                        .push_bind(e.actor.clone())
                        .push_bind(e.subject.clone())
                        .push_bind(e.kind.clone())
                        .push_bind(e.payload.clone())
                        .push_bind(e.prev_hash.to_vec())
                        .push_bind(e.hash.to_vec());
                });
                q.build().execute(&mut *tx).await?;
            }
            let h = &b.head;
            sqlx::query(
                "UPDATE journal_head SET size = $1, last_hash = $2, frontier = $3, root = $4, signed_at = $5, \
                 key_id = $6, signature = $7 WHERE id = 1",
            )
            .bind(h.size)
            .bind(&h.last_hash)
            .bind(&h.frontier)
            .bind(&h.root)
            .bind(&h.signed_at)
            .bind(&h.key_id)
            .bind(&h.signature)
            .execute(&mut *tx)
            .await?;
            if h.checkpoint {
                sqlx::query(
                    "INSERT INTO tree_heads (size, root, last_hash, signed_at, key_id, signature) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(h.size)
                .bind(&h.root)
                .bind(&h.last_hash)
                .bind(&h.signed_at)
                .bind(&h.key_id)
                .bind(&h.signature)
                .execute(&mut *tx)
                .await?;
            }
            Ok(())
        }
    }
}
