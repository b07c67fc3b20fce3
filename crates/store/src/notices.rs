//! The outbox of notices to applicants: a projection that follows the journal (every
//! `document_shared` entry of a case whose applicant gave an address becomes one notice per
//! channel), claimed by whichever node is free (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite
//! has one writer), tried again later after a failure, and marked once delivered.
//!
//! It is an operational table, not a read table: `nansen rebuild` leaves it alone (recomputing
//! it would announce every old document again).

use sqlx::Row;

use crate::{on_db, Db, Store, StoreError};

/// Journal entries read per step of [`Store::notices_follow`].
const FOLLOW_SPAN: i64 = 5000;

/// A notice claimed for sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedNotice {
    pub id: i64,
    /// The journal entry that shared the document.
    pub seq: u64,
    pub channel: String,
    pub case_number: String,
    /// Tries before this one.
    pub attempts: u32,
    /// When it was queued (Unix seconds).
    pub created_at: i64,
}

/// How an applicant wants to be told (addresses as stored: sealed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredContact {
    pub email: Option<String>,
    pub mobile: Option<String>,
    pub notify_email: bool,
    pub notify_sms: bool,
}

/// The outbox at a glance (for `/metrics` and the operations page).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub pending: u64,
    /// When the oldest waiting notice was queued (Unix seconds): the outbox's delay.
    pub oldest_pending_at: Option<i64>,
    pub given_up: u64,
}

/// A notice of one applicant, for their space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeLine {
    pub channel: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
    pub given_up_at: Option<i64>,
    pub attempts: u32,
}

impl Store {
    pub async fn portal_contact(&self, case_number: &str) -> Result<Option<StoredContact>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query(
                "SELECT email, mobile, notify_email, notify_sms FROM portal_accounts WHERE case_number = $1",
            )
            .bind(case_number)
            .fetch_optional(pool)
            .await?;
            Ok(match row {
                Some(r) => Some(StoredContact {
                    email: r.try_get("email")?,
                    mobile: r.try_get("mobile")?,
                    notify_email: r.try_get::<i64, _>("notify_email")? != 0,
                    notify_sms: r.try_get::<i64, _>("notify_sms")? != 0,
                }),
                None => None,
            })
        })
    }

    pub async fn portal_set_contact(&self, case_number: &str, contact: &StoredContact) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "UPDATE portal_accounts SET email = $1, mobile = $2, notify_email = $3, notify_sms = $4 \
                 WHERE case_number = $5",
            )
            .bind(&contact.email)
            .bind(&contact.mobile)
            .bind(i64::from(contact.notify_email))
            .bind(i64::from(contact.notify_sms))
            .bind(case_number)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// Follows the journal one span further: the documents shared in it become notices, for
    /// each channel the applicant chose and has an address for, and the cursor moves, in one
    /// transaction (nodes that follow at once wait for each other on the cursor's row).
    /// Returns the notices queued and whether the journal's head was reached.
    pub async fn notices_follow(&self, now: i64) -> Result<(u64, bool), StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE notice_cursor SET seq = seq WHERE id = 1").execute(&mut *tx).await?;
            let from: i64 = sqlx::query_scalar("SELECT seq FROM notice_cursor WHERE id = 1").fetch_one(&mut *tx).await?;
            let head: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM journal").fetch_one(&mut *tx).await?;
            let to = head.min(from + FOLLOW_SPAN);
            let mut queued = 0u64;
            for (channel, address, wanted) in [("email", "email", "notify_email"), ("sms", "mobile", "notify_sms")] {
                let done = sqlx::query(&format!(
                    "INSERT INTO notices (seq, channel, case_number, created_at, due_at) \
                     SELECT j.seq, '{channel}', a.case_number, $1, $1 FROM journal j \
                     JOIN portal_accounts a ON a.case_number = substr(j.subject, 6) \
                     WHERE j.seq > $2 AND j.seq <= $3 AND j.kind = 'document_shared' \
                     AND a.{address} IS NOT NULL AND a.{wanted} = 1 \
                     ON CONFLICT (seq, channel) DO NOTHING"
                ))
                .bind(now)
                .bind(from)
                .bind(to)
                .execute(&mut *tx)
                .await?;
                queued += done.rows_affected();
            }
            sqlx::query("UPDATE notice_cursor SET seq = $1 WHERE id = 1").bind(to).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok((queued, to >= head))
        })
    }

    /// Claims up to `limit` notices of `channels` (the ones this node can send) due at `now` and
    /// not claimed by a live node, until `lease_until`: a node that dies mid-send lets another
    /// take them when the lease ends.
    pub async fn notices_claim(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
        channels: &[&str],
    ) -> Result<Vec<ClaimedNotice>, StoreError> {
        // Channel names are the code's own (email, sms), never input.
        let channels: Vec<String> =
            channels.iter().filter(|c| c.bytes().all(|b| b.is_ascii_lowercase())).map(|c| format!("'{c}'")).collect();
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        let channels = channels.join(", ");
        let skip_locked = match self.db() {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE notices SET claimed_until = $1 WHERE id IN (\
               SELECT id FROM notices WHERE sent_at IS NULL AND given_up_at IS NULL AND due_at <= $2 \
               AND channel IN ({channels}) \
               AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY due_at, id LIMIT $3{skip_locked}) \
             RETURNING id, seq, channel, case_number, attempts, created_at"
        );
        on_db!(self.db(), pool => {
            let rows = sqlx::query(&sql).bind(lease_until).bind(now).bind(limit).fetch_all(pool).await?;
            let mut claimed = Vec::with_capacity(rows.len());
            for r in &rows {
                claimed.push(ClaimedNotice {
                    id: r.try_get("id")?,
                    seq: u64::try_from(r.try_get::<i64, _>("seq")?).unwrap_or(0),
                    channel: r.try_get("channel")?,
                    case_number: r.try_get("case_number")?,
                    attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                    created_at: r.try_get("created_at")?,
                });
            }
            claimed.sort_by_key(|n| n.id);
            Ok(claimed)
        })
    }

    /// The provider accepted the notice.
    pub async fn notice_sent(&self, id: i64, now: i64) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE notices SET sent_at = $1, attempts = attempts + 1, claimed_until = NULL, last_error = NULL WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The try failed: again at `due_at`, or never (`None`: given up at `now`).
    pub async fn notice_failed(&self, id: i64, now: i64, due_at: Option<i64>, error: &str) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        on_db!(self.db(), pool => {
            sqlx::query(
                "UPDATE notices SET attempts = attempts + 1, claimed_until = NULL, last_error = $1, \
                 due_at = COALESCE($2, due_at), given_up_at = CASE WHEN $2 IS NULL THEN $3 ELSE NULL END WHERE id = $4",
            )
            .bind(error)
            .bind(due_at)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    /// The notices waiting and the ones given up, through the partial indexes on both (cheap
    /// enough for every scrape of `/metrics`, however many notices were ever sent).
    pub async fn outbox_counts(&self) -> Result<OutboxCounts, StoreError> {
        on_db!(self.db(), pool => {
            let r = sqlx::query(
                "SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM notices \
                 WHERE sent_at IS NULL AND given_up_at IS NULL",
            )
            .fetch_one(pool)
            .await?;
            let given_up: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM notices WHERE given_up_at IS NOT NULL").fetch_one(pool).await?;
            Ok(OutboxCounts {
                pending: u64::try_from(r.try_get::<i64, _>("pending")?).unwrap_or(0),
                oldest_pending_at: r.try_get("oldest")?,
                given_up: u64::try_from(given_up).unwrap_or(0),
            })
        })
    }

    /// The latest notices of one case, newest first.
    pub async fn notices_of_case(&self, case_number: &str, limit: i64) -> Result<Vec<NoticeLine>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT channel, created_at, sent_at, given_up_at, attempts FROM notices WHERE case_number = $1 \
                 ORDER BY seq DESC, channel LIMIT $2",
            )
            .bind(case_number)
            .bind(limit)
            .fetch_all(pool)
            .await?;
            let mut lines = Vec::with_capacity(rows.len());
            for r in &rows {
                lines.push(NoticeLine {
                    channel: r.try_get("channel")?,
                    created_at: r.try_get("created_at")?,
                    sent_at: r.try_get("sent_at")?,
                    given_up_at: r.try_get("given_up_at")?,
                    attempts: u32::try_from(r.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                });
            }
            Ok(lines)
        })
    }
}

impl Store {
    /// Benchmarks only (`nansen bench notices`, on a throwaway database): every case gets an
    /// active space whose applicant asked for SMS notices at `mobile` (sealed), and the outbox
    /// follows the journal again from its start.
    pub async fn bench_notices_for_every_case(&self, mobile: &str, now: i64) -> Result<u64, StoreError> {
        on_db!(self.db(), pool => {
            let mut tx = pool.begin().await?;
            let done = sqlx::query(
                "INSERT INTO portal_accounts (case_number, activated_at, mobile, notify_email, notify_sms) \
                 SELECT number, $1, $2, 0, 1 FROM cases WHERE true \
                 ON CONFLICT (case_number) DO UPDATE SET mobile = excluded.mobile, notify_email = 0, notify_sms = 1",
            )
            .bind(now)
            .bind(mobile)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE notice_cursor SET seq = 0 WHERE id = 1").execute(&mut *tx).await?;
            tx.commit().await?;
            Ok(done.rows_affected())
        })
    }
}
