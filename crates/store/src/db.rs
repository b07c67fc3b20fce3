//! Connections to SQLite (embedded default) or PostgreSQL, and their migrations.

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::StoreError;

/// The database behind a store. Queries are written once where both dialects agree and run on
/// either pool through [`on_db!`].
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same code on whichever pool `db` holds; the body is compiled once per backend.
#[macro_export]
#[doc(hidden)]
macro_rules! on_db {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Which database a store uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Opens the SQLite file (created if missing) in WAL mode with `synchronous=FULL`, so that an
    /// acknowledged commit survives a crash of the process or the machine.
    pub async fn open_sqlite(file: &Path) -> Result<Db, StoreError> {
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("{}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::new()
            .filename(file)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            .pragma("cache_size", "-65536");
        let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
        Ok(Db::Sqlite(pool))
    }

    pub async fn open_postgres(url: &str) -> Result<Db, StoreError> {
        let options =
            PgConnectOptions::from_str(url).map_err(|e| StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(Db::Postgres(pool))
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => migrator(SQLITE_MIGRATIONS).run(pool).await?,
            Db::Postgres(pool) => migrator(POSTGRES_MIGRATIONS).run(pool).await?,
        }
        Ok(())
    }

    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }
}

type MigrationSource = &'static [(i64, &'static str, &'static str)];

const SQLITE_MIGRATIONS: MigrationSource = &[
    (1, "journal and cases", include_str!("../migrations/sqlite/0001_journal_and_cases.sql")),
    (2, "sessions and logins", include_str!("../migrations/sqlite/0002_sessions_and_logins.sql")),
    (3, "documents and originals", include_str!("../migrations/sqlite/0003_documents_and_originals.sql")),
    (4, "applicant portal", include_str!("../migrations/sqlite/0004_applicant_portal.sql")),
    (5, "known devices", include_str!("../migrations/sqlite/0005_known_devices.sql")),
    (6, "statistics", include_str!("../migrations/sqlite/0006_statistics.sql")),
    (7, "appeals", include_str!("../migrations/sqlite/0007_appeals.sql")),
    (8, "civil status", include_str!("../migrations/sqlite/0008_civil_status.sql")),
    (9, "fgm follow-up", include_str!("../migrations/sqlite/0009_fgm_follow_up.sql")),
    (10, "protection endings", include_str!("../migrations/sqlite/0010_protection_endings.sql")),
    (11, "reception", include_str!("../migrations/sqlite/0011_reception.sql")),
    (12, "household letters", include_str!("../migrations/sqlite/0012_household_letters.sql")),
    (13, "notices", include_str!("../migrations/sqlite/0013_notices.sql")),
    (14, "agent identities", include_str!("../migrations/sqlite/0014_agent_identities.sql")),
    (15, "planning", include_str!("../migrations/sqlite/0015_planning.sql")),
    (16, "name keys", include_str!("../migrations/sqlite/0016_name_keys.sql")),
    (17, "library", include_str!("../migrations/sqlite/0017_library.sql")),
    (18, "research requests", include_str!("../migrations/sqlite/0018_research_requests.sql")),
    (19, "saved searches", include_str!("../migrations/sqlite/0019_saved_searches.sql")),
    (20, "physical files", include_str!("../migrations/sqlite/0020_physical_files.sql")),
];

const POSTGRES_MIGRATIONS: MigrationSource = &[
    (1, "journal and cases", include_str!("../migrations/postgres/0001_journal_and_cases.sql")),
    (2, "sessions and logins", include_str!("../migrations/postgres/0002_sessions_and_logins.sql")),
    (3, "documents and originals", include_str!("../migrations/postgres/0003_documents_and_originals.sql")),
    (4, "applicant portal", include_str!("../migrations/postgres/0004_applicant_portal.sql")),
    (5, "known devices", include_str!("../migrations/postgres/0005_known_devices.sql")),
    (6, "statistics", include_str!("../migrations/postgres/0006_statistics.sql")),
    (7, "appeals", include_str!("../migrations/postgres/0007_appeals.sql")),
    (8, "civil status", include_str!("../migrations/postgres/0008_civil_status.sql")),
    (9, "fgm follow-up", include_str!("../migrations/postgres/0009_fgm_follow_up.sql")),
    (10, "protection endings", include_str!("../migrations/postgres/0010_protection_endings.sql")),
    (11, "reception", include_str!("../migrations/postgres/0011_reception.sql")),
    (12, "household letters", include_str!("../migrations/postgres/0012_household_letters.sql")),
    (13, "notices", include_str!("../migrations/postgres/0013_notices.sql")),
    (14, "agent identities", include_str!("../migrations/postgres/0014_agent_identities.sql")),
    (15, "planning", include_str!("../migrations/postgres/0015_planning.sql")),
    (16, "name keys", include_str!("../migrations/postgres/0016_name_keys.sql")),
    (17, "library", include_str!("../migrations/postgres/0017_library.sql")),
    (18, "research requests", include_str!("../migrations/postgres/0018_research_requests.sql")),
    (19, "saved searches", include_str!("../migrations/postgres/0019_saved_searches.sql")),
    (20, "physical files", include_str!("../migrations/postgres/0020_physical_files.sql")),
];

/// Migrations compiled into the binary, so that `nansen migrate` needs no files beside it.
fn migrator(source: MigrationSource) -> Migrator {
    let migrations: Vec<Migration> = source
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(*version, Cow::Borrowed(*description), MigrationType::Simple, Cow::Borrowed(*sql), false)
        })
        .collect();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}
