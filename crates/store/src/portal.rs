//! The applicants' accounts of the secure space (Espace usager) and the shared counters that
//! slow down guessing (sign-in, activation codes).
//!
//! Like agents' accounts, these are authoritative tables, not projections: secrets never enter
//! the journal; what happens to an account is journaled by the caller without them.

use sqlx::Row;

use crate::{on_db, Store, StoreError};

/// An applicant's account, keyed by the case it belongs to.
#[derive(Debug, Clone)]
pub struct PortalAccount {
    pub case_number: String,
    /// Unset until the account is activated (and again after a reset by the office).
    pub password_hash: Option<String>,
    /// The second factor's secret (base32), when the applicant turned it on.
    pub totp_secret: Option<String>,
    /// The language the applicant chose.
    pub lang: Option<String>,
    pub failed_logins: u32,
    /// Unix seconds.
    pub locked_until: Option<i64>,
    pub activated_at: Option<i64>,
    /// Unix seconds; set while an unused activation code is pending.
    pub code_expires_at: Option<i64>,
}

const COLUMNS: &str =
    "case_number, password_hash, totp_secret, lang, failed_logins, locked_until, activated_at, code_expires_at";

fn account_of<R: Row>(r: &R) -> Result<PortalAccount, sqlx::Error>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    for<'a> String: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    for<'a> i64: sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let failed: i64 = r.try_get("failed_logins")?;
    Ok(PortalAccount {
        case_number: r.try_get("case_number")?,
        password_hash: r.try_get("password_hash")?,
        totp_secret: r.try_get("totp_secret")?,
        lang: r.try_get("lang")?,
        failed_logins: u32::try_from(failed).unwrap_or(u32::MAX),
        locked_until: r.try_get("locked_until")?,
        activated_at: r.try_get("activated_at")?,
        code_expires_at: r.try_get("code_expires_at")?,
    })
}

impl Store {
    pub async fn portal_account(&self, case_number: &str) -> Result<Option<PortalAccount>, StoreError> {
        on_db!(self.db(), pool => {
            let row = sqlx::query(&format!("SELECT {COLUMNS} FROM portal_accounts WHERE case_number = $1"))
                .bind(case_number)
                .fetch_optional(pool)
                .await?;
            Ok(match row { Some(r) => Some(account_of(&r)?), None => None })
        })
    }

    /// A new activation code for the case's account (at registration, or a reset by the office):
    /// the password and second factor are cleared, so that only the holder of the new code gets in.
    pub async fn portal_issue_code(
        &self,
        case_number: &str,
        code_hash: &[u8],
        expires_at: i64,
    ) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO portal_accounts (case_number, code_hash, code_expires_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (case_number) DO UPDATE SET code_hash = excluded.code_hash, \
                 code_expires_at = excluded.code_expires_at, password_hash = NULL, totp_secret = NULL, \
                 failed_logins = 0, locked_until = NULL",
            )
            .bind(case_number)
            .bind(code_hash)
            .bind(expires_at)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Sets an applicant's password directly, activating the account (demo data only: real
    /// applicants choose theirs with the activation code).
    pub async fn portal_set_password(
        &self,
        case_number: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "INSERT INTO portal_accounts (case_number, password_hash, activated_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (case_number) DO UPDATE SET password_hash = excluded.password_hash, \
                 activated_at = excluded.activated_at, code_hash = NULL, code_expires_at = NULL",
            )
            .bind(case_number)
            .bind(password_hash)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Uses the activation code once: sets the password when the code matches and has not expired.
    /// False when it does not (wrong, used or expired code).
    pub async fn portal_activate(
        &self,
        case_number: &str,
        code_hash: &[u8],
        password_hash: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let n = on_db!(self.db(), pool => sqlx::query(
                "UPDATE portal_accounts SET password_hash = $3, code_hash = NULL, code_expires_at = NULL, \
                 activated_at = $4, failed_logins = 0, locked_until = NULL \
                 WHERE case_number = $1 AND code_hash = $2 AND code_expires_at > $4",
            )
            .bind(case_number)
            .bind(code_hash)
            .bind(password_hash)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(n == 1)
    }

    /// Counts a failed sign-in; from the `max`-th in a row the account is locked until
    /// `now + lock_secs(n)`, `n` counting the failures past the threshold (growing delays).
    /// Returns the end of the lockout when it is now locked.
    pub async fn portal_note_failure(
        &self,
        case_number: &str,
        now: i64,
        max: u32,
        lock_secs: impl Fn(u32) -> i64,
    ) -> Result<Option<i64>, StoreError> {
        let failed: Option<i64> = on_db!(self.db(), pool => {
            let row = sqlx::query(
                "UPDATE portal_accounts SET failed_logins = failed_logins + 1 \
                 WHERE case_number = $1 RETURNING failed_logins",
            )
            .bind(case_number)
            .fetch_optional(pool)
            .await?;
            match row { Some(r) => Some(r.try_get("failed_logins")?), None => None }
        });
        let Some(past) = failed.and_then(|f| u32::try_from(f).ok()).and_then(|f| f.checked_sub(max)) else {
            return Ok(None);
        };
        let until = now + lock_secs(past);
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE portal_accounts SET locked_until = $2 WHERE case_number = $1")
                .bind(case_number)
                .bind(until)
                .execute(pool)
                .await?;
        });
        Ok(Some(until))
    }

    pub async fn portal_note_success(&self, case_number: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query(
                "UPDATE portal_accounts SET failed_logins = 0, locked_until = NULL \
                 WHERE case_number = $1 AND failed_logins <> 0",
            )
            .bind(case_number)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Turns the second factor on (a secret) or off (`None`).
    pub async fn portal_set_totp(&self, case_number: &str, secret: Option<&str>) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE portal_accounts SET totp_secret = $2 WHERE case_number = $1")
                .bind(case_number)
                .bind(secret)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    pub async fn portal_set_lang(&self, case_number: &str, lang: &str) -> Result<(), StoreError> {
        on_db!(self.db(), pool => {
            sqlx::query("UPDATE portal_accounts SET lang = $2 WHERE case_number = $1")
                .bind(case_number)
                .bind(lang)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Counts one attempt in `bucket` (e.g. failed sign-ins from one address) within a fixed window
    /// of `window_secs`; returns the number of attempts in the current window, this one included.
    pub async fn rate_limit_hit(&self, bucket: &str, now: i64, window_secs: i64) -> Result<u64, StoreError> {
        let hits: i64 = on_db!(self.db(), pool => {
            let row = sqlx::query(
                "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
                 ON CONFLICT (bucket) DO UPDATE SET \
                 hits = CASE WHEN rate_limits.window_start <= $2 - $3 THEN 1 ELSE rate_limits.hits + 1 END, \
                 window_start = CASE WHEN rate_limits.window_start <= $2 - $3 THEN $2 ELSE rate_limits.window_start END \
                 RETURNING hits",
            )
            .bind(bucket)
            .bind(now)
            .bind(window_secs)
            .fetch_one(pool)
            .await?;
            row.try_get("hits")?
        });
        Ok(u64::try_from(hits).unwrap_or(0))
    }

    /// The attempts counted in `bucket`'s current window (0 when none or when it has passed).
    pub async fn rate_limit_count(&self, bucket: &str, now: i64, window_secs: i64) -> Result<u64, StoreError> {
        let hits: Option<i64> = on_db!(self.db(), pool => {
            let row = sqlx::query("SELECT hits FROM rate_limits WHERE bucket = $1 AND window_start > $2 - $3")
                .bind(bucket)
                .bind(now)
                .bind(window_secs)
                .fetch_optional(pool)
                .await?;
            match row { Some(r) => Some(r.try_get("hits")?), None => None }
        });
        Ok(hits.and_then(|h| u64::try_from(h).ok()).unwrap_or(0))
    }

    /// Forgets windows that ended (any node may do it).
    pub async fn rate_limits_purge(&self, before: i64) -> Result<u64, StoreError> {
        Ok(on_db!(self.db(), pool => sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected()))
    }
}
