//! A copy of the database taken while Nansen runs, and its restore into an empty place.
//!
//! SQLite goes through its online backup API (one step, so the copy is one read snapshot and
//! writers are never blocked in WAL mode); PostgreSQL through Debian's `pg_dump` in its custom
//! format (one repeatable-read snapshot) and `pg_restore` in one transaction. Either way the copy
//! holds every write acknowledged before it began, and the journal's chain and signed heads as
//! they were, so `nansen audit verify` checks the restored place with the same key.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::{Backend, Config, Db, Store, StoreError};

/// The file a database copy is written to, by backend.
pub fn copy_file_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "nansen.sqlite3",
        Backend::Postgres => "nansen.pgdump",
    }
}

/// What [`Store::copy_database`] wrote.
#[derive(Debug, Clone)]
pub struct DatabaseCopy {
    pub file: PathBuf,
    /// Journal entries committed before the copy began: all of them are in it.
    pub journal_entries: u64,
}

fn io_error(what: &Path, e: std::io::Error) -> StoreError {
    StoreError::Config(format!("{}: {e}", what.display()))
}

impl Store {
    /// The number of journal entries committed (the head's sequence number).
    pub async fn journal_entries(&self) -> Result<u64, StoreError> {
        let count: i64 = crate::on_db!(self.db(), pool => {
            sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM journal").fetch_one(pool).await?
        });
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// Writes a consistent copy of the database into `dir` (which must exist) while the store
    /// keeps serving. `config` names the PostgreSQL database for `pg_dump`.
    pub async fn copy_database(&self, config: &Config, dir: &Path) -> Result<DatabaseCopy, StoreError> {
        let journal_entries = self.journal_entries().await?;
        let file = dir.join(copy_file_name(self.backend()));
        let partial = dir.join(format!("{}.partial", copy_file_name(self.backend())));
        let _ = std::fs::remove_file(&partial);
        match self.db() {
            Db::Sqlite(pool) => {
                let source = pool.connect_options().get_filename().to_owned();
                let target = partial.clone();
                tokio::task::spawn_blocking(move || sqlite_backup(&source, &target))
                    .await
                    .map_err(|e| StoreError::Config(format!("the copy stopped: {e}")))??;
            }
            Db::Postgres(_) => {
                let url = config
                    .database_url
                    .as_deref()
                    .ok_or_else(|| StoreError::Config("no PostgreSQL URL to copy from".into()))?;
                let (url, password) = without_password(url)?;
                let mut command = tokio::process::Command::new("pg_dump");
                command
                    .args(["--format=custom", "--no-owner", "--no-privileges", "--compress=6"])
                    .arg(format!("--file={}", partial.display()))
                    .arg(format!("--dbname={url}"));
                run_pg_tool(command, password, "pg_dump").await?;
            }
        }
        sync_file(&partial)?;
        std::fs::rename(&partial, &file).map_err(|e| io_error(&file, e))?;
        sync_dir(dir)?;
        Ok(DatabaseCopy { file, journal_entries })
    }
}

/// Puts the database copied by [`Store::copy_database`] (`file`) where `config` says the
/// database lives. The place must be empty: no SQLite file there, or a PostgreSQL database
/// without tables. Nothing is written when it is not.
pub async fn restore_database(config: &Config, file: &Path) -> Result<(), StoreError> {
    match &config.database_url {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let db = Db::open_postgres(url).await?;
            let tables: i64 = match &db {
                Db::Postgres(pool) => {
                    sqlx::query_scalar(
                        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                    )
                    .fetch_one(pool)
                    .await?
                }
                Db::Sqlite(_) => 0,
            };
            db.close().await;
            if tables > 0 {
                return Err(StoreError::Config(format!(
                    "the PostgreSQL database already holds {tables} tables: a restore goes into an empty database \
                     (create one with createdb)"
                )));
            }
            let (url, password) = without_password(url)?;
            let mut command = tokio::process::Command::new("pg_restore");
            command
                .args(["--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"])
                .arg(format!("--dbname={url}"))
                .arg(file);
            run_pg_tool(command, password, "pg_restore").await
        }
        Some(url) if url.starts_with("sqlite:") => {
            let target = PathBuf::from(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:"));
            restore_sqlite(file, &target).await
        }
        Some(_) => Err(StoreError::Config("NANSEN_DATABASE_URL must start with postgres:// or sqlite:".into())),
        None => restore_sqlite(file, &config.sqlite_file()).await,
    }
}

async fn restore_sqlite(file: &Path, target: &Path) -> Result<(), StoreError> {
    for existing in [target.to_owned(), PathBuf::from(format!("{}-wal", target.display()))] {
        if existing.exists() {
            return Err(StoreError::Config(format!(
                "{} exists: a restore goes into an empty place (another --data-dir)",
                existing.display()
            )));
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let partial = PathBuf::from(format!("{}.partial", target.display()));
    let (source, copy) = (file.to_owned(), partial.clone());
    tokio::task::spawn_blocking(move || sqlite_backup(&source, &copy))
        .await
        .map_err(|e| StoreError::Config(format!("the restore stopped: {e}")))??;
    sync_file(&partial)?;
    std::fs::rename(&partial, target).map_err(|e| io_error(target, e))?;
    sync_dir(dir)
}

/// SQLite's online backup of `source` into a new file `target`, in one step: the copy is one
/// read snapshot (a stepwise copy restarts whenever another connection writes), and in WAL mode
/// the server's writes go on meanwhile. The copy is checked (`PRAGMA integrity_check`).
fn sqlite_backup(source: &Path, target: &Path) -> Result<(), StoreError> {
    use rusqlite::backup::{Backup, StepResult};
    use rusqlite::{Connection, OpenFlags};
    let err = |what: &Path| {
        let what = what.display().to_string();
        move |e: rusqlite::Error| StoreError::Config(format!("{what}: {e}"))
    };
    let from = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(err(source))?;
    let mut to = Connection::open(target).map_err(err(target))?;
    {
        let backup = Backup::new(&from, &mut to).map_err(err(target))?;
        loop {
            match backup.step(-1).map_err(err(source))? {
                StepResult::Done => break,
                // Busy or locked: another connection holds a lock for a moment; try again.
                _ => std::thread::sleep(std::time::Duration::from_millis(50)),
            }
        }
    }
    let check: String = to.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(err(target))?;
    if check != "ok" {
        return Err(StoreError::Config(format!("{}: the copy is damaged ({check})", target.display())));
    }
    to.close().map_err(|(_, e)| err(target)(e))
}

/// Runs `pg_dump` or `pg_restore`, the password given through the environment rather than on
/// the command line (where any local user could read it).
async fn run_pg_tool(
    mut command: tokio::process::Command,
    password: Option<String>,
    tool: &str,
) -> Result<(), StoreError> {
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    let output =
        command.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).output().await.map_err(|e| {
            StoreError::Config(format!("{tool} could not start ({e}): install PostgreSQL's client programs"))
        })?;
    if output.status.success() {
        Ok(())
    } else {
        Err(StoreError::Config(format!("{tool} failed: {}", String::from_utf8_lossy(&output.stderr).trim())))
    }
}

/// The URL without its password, and the password (percent-decoded).
fn without_password(url: &str) -> Result<(String, Option<String>), StoreError> {
    let mut parsed = url::Url::parse(url).map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
    let password = parsed.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    if password.is_some() {
        parsed
            .set_password(None)
            .map_err(|()| StoreError::Config("invalid PostgreSQL URL: cannot remove its password".into()))?;
    }
    Ok((parsed.to_string(), password))
}

fn sync_file(path: &Path) -> Result<(), StoreError> {
    std::fs::File::open(path).and_then(|f| f.sync_all()).map_err(|e| io_error(path, e))
}

fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    // A directory's entry (the rename) is durable once the directory itself is synced.
    std::fs::File::open(dir).and_then(|f| f.sync_all()).map_err(|e| io_error(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_leaves_the_url_for_the_environment() -> Result<(), StoreError> {
        let (url, password) = without_password("postgres://nansen:s%40cret@db.internal:5433/nansen?sslmode=require")?;
        assert_eq!(url, "postgres://nansen@db.internal:5433/nansen?sslmode=require");
        assert_eq!(password.as_deref(), Some("s@cret"));
        let (url, password) = without_password("postgres://postgres@127.0.0.1:5432/postgres")?;
        assert_eq!(url, "postgres://postgres@127.0.0.1:5432/postgres");
        assert_eq!(password, None);
        Ok(())
    }
}
