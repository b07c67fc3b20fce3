//! Agents' accounts (sign-in, lockout), their sessions, and the queue counts section heads read.
//!
//! Accounts and sessions are authoritative tables, not projections of the journal: a password
//! hash or a session never enters the journal. What happens to them (an account created, a
//! sign-in refused, a lockout) is journaled by the caller without the secret.

use sqlx::Row;
use time::OffsetDateTime;

use crate::{on_db, Store, StoreError};

/// An agent's account as sign-in and authorization need it.
#[derive(Debug, Clone)]
pub struct Account {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub password_hash: String,
    pub disabled: bool,
    pub failed_logins: u32,
    pub locked_until: Option<OffsetDateTime>,
    /// The value of the identity provider's claim that names this agent, once linked.
    pub identity: Option<String>,
}

/// A line of the accounts list: no secret.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AccountSummary {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub disabled: bool,
}

/// Open cases of a queue (a division, or a section of it), as the section head's queue shows them.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct QueueCounts {
    pub division: Option<String>,
    pub section: Option<u8>,
    /// Cases still under examination (registered and not yet signed).
    pub open: u64,
    /// Open cases not yet assigned to an officer.
    pub unassigned: u64,
    /// Open cases whose decision deadline has passed.
    pub overdue: u64,
    /// Open cases whose decision deadline falls within the next 30 days.
    pub due_soon: u64,
    /// The oldest open case's introduction date.
    pub oldest: Option<String>,
}

const OPEN: &str = "('registered', 'incomplete', 'complete', 'assigned', 'interview_scheduled', 'interviewed', \
                    'decision_drafted', 'under_review', 'returned_to_officer')";

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

impl Store {
    pub async fn account(&self, login: &str) -> Result<Option<Account>, StoreError> {
        self.account_where("login", login).await
    }

    /// The account linked to an identity at the state's identity provider (OpenID Connect).
    pub async fn account_by_identity(&self, identity: &str) -> Result<Option<Account>, StoreError> {
        self.account_where("identity", identity).await
    }

    async fn account_where(&self, column: &'static str, value: &str) -> Result<Option<Account>, StoreError> {
        let sql = format!(
            "SELECT login, display_name, role, division, section, password_hash, disabled, failed_logins, \
             locked_until, identity FROM accounts WHERE {column} = $1"
        );
        on_db!(self.db(), pool => {
            let row = sqlx::query(&sql).bind(value).fetch_optional(pool).await?;
            let Some(r) = row else { return Ok(None) };
            let section: Option<i64> = r.try_get("section")?;
            let failed: i64 = r.try_get("failed_logins")?;
            let locked: Option<String> = r.try_get("locked_until")?;
            Ok(Some(Account {
                login: r.try_get("login")?,
                display_name: r.try_get("display_name")?,
                role: r.try_get("role")?,
                division: r.try_get("division")?,
                section: section.and_then(|s| u8::try_from(s).ok()),
                password_hash: r.try_get("password_hash")?,
                disabled: r.try_get("disabled")?,
                failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
                locked_until: locked
                    .and_then(|l| OffsetDateTime::parse(&l, &time::format_description::well_known::Rfc3339).ok()),
                identity: r.try_get("identity")?,
            }))
        })
    }

    /// Accounts, optionally of one role and one division, by login.
    pub async fn accounts(
        &self,
        role: Option<&str>,
        division: Option<&str>,
    ) -> Result<Vec<AccountSummary>, StoreError> {
        on_db!(self.db(), pool => {
            let rows = sqlx::query(
                "SELECT login, display_name, role, division, section, disabled FROM accounts \
                 WHERE ($1 IS NULL OR role = $1) AND ($2 IS NULL OR division = $2) ORDER BY login",
            )
            .bind(role)
            .bind(division)
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|r| {
                    let section: Option<i64> = r.try_get("section")?;
                    Ok(AccountSummary {
                        login: r.try_get("login")?,
                        display_name: r.try_get("display_name")?,
                        role: r.try_get("role")?,
                        division: r.try_get("division")?,
                        section: section.and_then(|s| u8::try_from(s).ok()),
                        disabled: r.try_get("disabled")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        })
    }

    /// Counts a failed sign-in; from the `max`-th failure in a row the account is locked until
    /// `now + lock_for(n)`, `n` counting the failures past the threshold (0 at the threshold), so
    /// that delays can grow. Returns the end of the lockout when the account is now locked.
    pub async fn note_login_failure(
        &self,
        login: &str,
        now: OffsetDateTime,
        max: u32,
        lock_for: impl Fn(u32) -> time::Duration,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        let failed: Option<i64> = on_db!(self.db(), pool => {
            let row = sqlx::query(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE login = $1 RETURNING failed_logins",
            )
            .bind(login)
            .fetch_optional(pool)
            .await?;
            match row { Some(r) => Some(r.try_get("failed_logins")?), None => None }
        });
        let Some(past) = failed.and_then(|f| u32::try_from(f).ok()).and_then(|f| f.checked_sub(max)) else {
            return Ok(None);
        };
        let until = now + lock_for(past);
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE accounts SET locked_until = $2 WHERE login = $1")
                .bind(login)
                .bind(rfc3339(until))
                .execute(pool)
                .await?;
        });
        Ok(Some(until))
    }

    /// Remembers a device on which `account` signed in (`agent:<login>`, `portal:<case>`).
    pub async fn device_remember(&self, account: &str, token_hash: &[u8], now: i64) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO known_devices (account, token_hash, last_seen) VALUES ($1, $2, $3) \
                 ON CONFLICT (account, token_hash) DO UPDATE SET last_seen = $3",
            )
            .bind(account)
            .bind(token_hash)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Whether `account` signed in on this device since `since`.
    pub async fn device_known(&self, account: &str, token_hash: &[u8], since: i64) -> Result<bool, StoreError> {
        Ok(on_db!(self.db(), pool => {
            sqlx::query("SELECT 1 AS one FROM known_devices WHERE account = $1 AND token_hash = $2 AND last_seen >= $3")
                .bind(account)
                .bind(token_hash)
                .bind(since)
                .fetch_optional(pool)
                .await?
                .is_some()
        }))
    }

    /// Forgets a device (too many failures from it, or replaced by a new token).
    pub async fn device_forget(&self, account: &str, token_hash: &[u8]) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("DELETE FROM known_devices WHERE account = $1 AND token_hash = $2")
                .bind(account)
                .bind(token_hash)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn note_login_success(&self, login: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE login = $1 AND failed_logins <> 0")
                .bind(login)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// A session's data, if it has not expired.
    pub async fn session_load(&self, id_hash: &[u8], now: i64) -> Result<Option<String>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT data FROM sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(id_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?;
            Ok(match row { Some(r) => Some(r.try_get("data")?), None => None })
        })
    }

    pub async fn session_save(&self, id_hash: &[u8], data: &str, expires_at: i64) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO sessions (id_hash, data, expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (id_hash) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
            )
            .bind(id_hash)
            .bind(data)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Saves only when no session has this id yet; false when one has.
    pub async fn session_create(&self, id_hash: &[u8], data: &str, expires_at: i64) -> Result<bool, StoreError> {
        let n = on_db!(self.db(), pool => sqlx::query(
                "INSERT INTO sessions (id_hash, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id_hash) DO NOTHING",
            )
            .bind(id_hash)
            .bind(data)
            .bind(expires_at)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    pub async fn session_delete(&self, id_hash: &[u8]) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("DELETE FROM sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Removes expired sessions; returns how many.
    pub async fn sessions_purge(&self, now: i64) -> Result<u64, StoreError> {
        Ok(on_db!(self.db(), pool => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected()))
    }

    /// Counts of the open cases of a division, one line per section plus one for the cases not
    /// yet in a section (section `None`). `today` is "YYYY-MM-DD".
    pub async fn queue_counts(
        &self,
        division: &str,
        today: &str,
        in_30_days: &str,
    ) -> Result<Vec<QueueCounts>, StoreError> {
        on_db!(self.db(), pool => {
            let sql = format!(
                "SELECT section, COUNT(*) AS open, \
                 SUM(CASE WHEN officer IS NULL THEN 1 ELSE 0 END) AS unassigned, \
                 SUM(CASE WHEN decision_due < $2 THEN 1 ELSE 0 END) AS overdue, \
                 SUM(CASE WHEN decision_due >= $2 AND decision_due <= $3 THEN 1 ELSE 0 END) AS due_soon, \
                 MIN(introduced_on) AS oldest \
                 FROM cases WHERE division = $1 AND status IN {OPEN} GROUP BY section ORDER BY section"
            );
            let rows = sqlx::query(&sql).bind(division).bind(today).bind(in_30_days).fetch_all(pool).await?;
            rows.iter()
                .map(|r| {
                    let section: Option<i64> = r.try_get("section")?;
                    let n = |name: &str| -> Result<u64, sqlx::Error> {
                        let v: Option<i64> = r.try_get(name)?;
                        Ok(v.unwrap_or(0).max(0) as u64)
                    };
                    Ok(QueueCounts {
                        division: Some(division.to_owned()),
                        section: section.and_then(|s| u8::try_from(s).ok()),
                        open: n("open")?,
                        unassigned: n("unassigned")?,
                        overdue: n("overdue")?,
                        due_soon: n("due_soon")?,
                        oldest: r.try_get("oldest")?,
                    })
                })
                .collect::<Result<Vec<_>, sqlx::Error>>()
                .map_err(StoreError::from)
        })
    }
}
