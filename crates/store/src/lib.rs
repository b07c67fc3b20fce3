//! Nansen's storage adapter: SQLite (embedded default) and PostgreSQL behind one API.
//!
//! It owns the database schema and migrations, the tamper-evident journal (hash chain, Merkle
//! tree, signed tree heads), the read tables (cases, persons) and their rebuild from the journal.
//! Every change goes through one writer per process that decides commands with the domain
//! crate and commits the events and the read tables in the same transaction, batching
//! concurrent commands into one commit. It must not know about HTTP, HTML or sessions.

#![forbid(unsafe_code)]

mod accounts;
mod appeals;
mod archives;
pub mod backup;
mod civil;
pub mod db;
mod endings;
mod fgm;
mod files;
pub mod journal;
pub mod merkle;
mod notices;
#[macro_use]
mod projection;
mod batch;
mod library;
mod names;
mod planning;
mod portal;
mod queries;
#[macro_use]
mod reception;
mod rebuild;
mod research;
pub mod signing;
pub mod statistics;
#[cfg(feature = "testing")]
pub mod testing;
mod verify;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nansen_domain::rules::Rules;

pub use accounts::{Account, AccountSummary, QueueCounts};
pub use appeals::{AppealLine, APPEALS_LIMIT};
pub use archives::PhysicalFileRow;
pub use civil::{ActLine, BenchAct, CopyLine, RegisterQuery, REGISTER_LIMIT};
pub use db::{Backend, Db};
pub use endings::{EndingLine, ENDINGS_LIMIT};
pub use fgm::{FgmLine, FGM_LIMIT};
pub use files::{OriginalFilter, OriginalLine, StoredHash};
pub use journal::Entry;
pub use library::{IndexableDocument, LibraryDocumentRow};
pub use names::BenchCase;
pub use notices::{ClaimedNotice, NoticeLine, OutboxCounts, StoredContact};
pub use planning::{AwaitingCase, OpenCases};
pub use portal::PortalAccount;
pub use projection::CaseSummary;
pub use queries::{CaseFilter, HeadInfo, Visibility};
pub use rebuild::RebuildReport;
pub use reception::{
    AllowanceRun, AllowanceRunLine, HouseholdLine, HouseholdQuery, RegionLine, StructureLine, RECEPTION_LIMIT,
};
pub use research::{ResearchRequestRow, SavedSearchChange, SavedSearchRow, SAVED_SEARCHES_MAX};
pub use verify::{Proof, VerifyFailure, VerifyReport};
pub use writer::{Action, Applied, NewAccount, Op};

/// Errors of the storage layer. Domain refusals are not errors here: they come back per command
/// in [`Store::execute`]'s result.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("journal signing key {path}: {reason}")]
    SigningKey { path: String, reason: String },
    #[error("configuration: {0}")]
    Config(String),
    #[error("stored record {subject} cannot be read: {reason}")]
    Corrupt { subject: String, reason: String },
    #[error("the write was not committed: {0}")]
    WriteFailed(String),
    #[error("the journal writer has stopped")]
    WriterGone,
    #[error("no journal entry {0}")]
    NoSuchEntry(u64),
    #[error("the journal has no signed tree head covering entry {0} yet")]
    NotSealed(u64),
}

/// Told how far a long job is: `(done, total)` in the job's unit (journal entries for a
/// verification or a rebuild). Called every few thousand units, from any thread.
pub type Progress = Arc<dyn Fn(u64, u64) + Send + Sync>;

/// A [`Progress`] that tells no one.
pub fn no_progress() -> Progress {
    Arc::new(|_, _| {})
}

/// How many units pass between two calls of a [`Progress`].
pub(crate) const PROGRESS_EVERY: u64 = 8192;

/// Where the store keeps its things. `database_url` selects PostgreSQL; without it the SQLite
/// file `nansen.sqlite3` in `data_dir` is used. The signing key defaults to
/// `data_dir/journal-signing.key`.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub signing_key: Option<PathBuf>,
}

impl Config {
    pub fn sqlite_file(&self) -> PathBuf {
        self.data_dir.join("nansen.sqlite3")
    }

    pub fn signing_key_path(&self) -> PathBuf {
        self.signing_key.clone().unwrap_or_else(|| self.data_dir.join("journal-signing.key"))
    }
}

/// A handle on the store; cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    signer: Arc<signing::HeadSigner>,
    rules: Arc<Rules>,
    writer: writer::WriterHandle,
}

impl Store {
    /// Opens (and migrates) the database and loads or creates the signing key.
    pub async fn open(config: &Config) -> Result<Store, StoreError> {
        let db = match &config.database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Db::open_postgres(url).await?
            }
            Some(url) if url.starts_with("sqlite:") => {
                Db::open_sqlite(Path::new(url.trim_start_matches("sqlite://").trim_start_matches("sqlite:"))).await?
            }
            Some(url) => {
                return Err(StoreError::Config(format!(
                    "NANSEN_DATABASE_URL must start with postgres:// or sqlite: (got {:?})",
                    url.split(':').next().unwrap_or_default()
                )))
            }
            None => Db::open_sqlite(&config.sqlite_file()).await?,
        };
        db.migrate().await?;
        names::fill_missing_keys(&db).await?;
        let signer = Arc::new(signing::HeadSigner::load_or_create(&config.signing_key_path())?);
        let rules = Arc::new(Rules::embedded());
        Ok(Store::with_parts(db, signer, rules))
    }

    fn with_parts(db: Db, signer: Arc<signing::HeadSigner>, rules: Arc<Rules>) -> Store {
        let writer = writer::spawn(db.clone(), signer.clone(), rules.clone());
        Store { inner: Arc::new(Inner { db, signer, rules, writer }) }
    }

    pub fn backend(&self) -> Backend {
        self.inner.db.backend()
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    pub fn rules(&self) -> &Rules {
        &self.inner.rules
    }

    pub fn signer(&self) -> &signing::HeadSigner {
        &self.inner.signer
    }

    /// Decides and commits the operations in one transaction with the journal; returns one
    /// result per operation (a domain refusal leaves the others applied). The `Ok` results are
    /// durable when this returns.
    pub async fn execute(&self, ops: Vec<Op>) -> Result<Vec<Result<Applied, nansen_domain::DomainError>>, StoreError> {
        self.inner.writer.submit(ops).await
    }

    /// One operation: its domain refusal becomes an `Err(Ok(..))`-free `Result` for callers
    /// that only do one thing at a time.
    pub async fn execute_one(&self, op: Op) -> Result<Result<Applied, nansen_domain::DomainError>, StoreError> {
        let mut results = self.execute(vec![op]).await?;
        results.pop().ok_or_else(|| StoreError::WriteFailed("the writer returned no result".into()))
    }

    pub async fn close(&self) {
        self.inner.db.close().await
    }
}
