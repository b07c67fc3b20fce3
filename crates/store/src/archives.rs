//! The cases' physical files (workspace `archives`): a read table of the `file:<label>` journal
//! entries, each file's state as the domain left it with the columns the archivists' lists read:
//! where it sits, who holds it, when it is due back.

use std::sync::OnceLock;

use nansen_domain::archives::{ArchiveRules, FileEvent, PhysicalFile, Whereabouts};
use sqlx::Row;

use crate::{on_db, Store, StoreError};

/// The archives' rules compiled into the domain (loan periods, categories), read once.
pub(crate) fn rules() -> Result<&'static ArchiveRules, StoreError> {
    static RULES: OnceLock<Result<ArchiveRules, String>> = OnceLock::new();
    RULES
        .get_or_init(|| ArchiveRules::embedded().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| StoreError::Corrupt { subject: "rules/archives.toml".into(), reason: e.clone() })
}

/// A physical file as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhysicalFileRow {
    pub label: String,
    pub case_number: Option<String>,
    pub category: String,
    /// The store's code.
    pub store: String,
    /// Room, row, shelf and box, as the archivist reads them.
    pub place: String,
    /// `shelved`, `sent`, `held` or `returning`.
    pub whereabouts: String,
    pub holder: Option<String>,
    /// When a held file is due back (YYYY-MM-DD).
    pub due: Option<String>,
    /// Requests waiting for it.
    pub waiting: i64,
    pub file: PhysicalFile,
    pub seq: i64,
}

impl PhysicalFileRow {
    /// The row of a file as `seq` left it.
    pub(crate) fn of(file: &PhysicalFile, seq: i64) -> Result<PhysicalFileRow, String> {
        let place = file.place.as_ref().ok_or("a file without a place")?;
        let (whereabouts, holder, due) = match &file.whereabouts {
            Whereabouts::Unplaced => return Err("a file without a place".into()),
            Whereabouts::Shelved => ("shelved", None, None),
            Whereabouts::Sent { to, .. } => ("sent", Some(to.as_str().to_owned()), None),
            Whereabouts::Held { by, due, .. } => {
                ("held", Some(by.as_str().to_owned()), Some(nansen_domain::serde_dates::format_date(*due)))
            }
            Whereabouts::Returning { from, .. } => ("returning", Some(from.as_str().to_owned()), None),
        };
        Ok(PhysicalFileRow {
            label: file.label.clone(),
            case_number: file.case.map(|c| c.to_string()),
            category: file.category.clone(),
            store: place.store.clone(),
            place: format!("{} / {} / {} / {}", place.room, place.row, place.shelf, place.r#box),
            whereabouts: whereabouts.to_owned(),
            holder,
            due,
            waiting: file.waiting.len() as i64,
            file: file.clone(),
            seq,
        })
    }
}

/// Writes a file's row (`$row: &PhysicalFileRow`), replacing the one it had.
macro_rules! upsert_physical_file {
    ($conn:expr, $row:expr) => {{
        let row = $row;
        let state = serde_json::to_string(&row.file).map_err(|e| $crate::StoreError::Corrupt {
            subject: format!("file:{}", row.label),
            reason: e.to_string(),
        })?;
        sqlx::query("DELETE FROM physical_files WHERE label = $1").bind(row.label.clone()).execute(&mut *$conn).await?;
        sqlx::query(
            "INSERT INTO physical_files (label, case_number, category, store, place, whereabouts, holder, due, \
             waiting, state, seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(row.label.clone())
        .bind(row.case_number.clone())
        .bind(row.category.clone())
        .bind(row.store.clone())
        .bind(row.place.clone())
        .bind(row.whereabouts.clone())
        .bind(row.holder.clone())
        .bind(row.due.clone())
        .bind(row.waiting)
        .bind(state)
        .bind(row.seq)
        .execute(&mut *$conn)
        .await?;
    }};
}
pub(crate) use upsert_physical_file;

/// The physical files' table, digested before and after a rebuild.
pub(crate) const FILES_DIGEST: [(&str, &[&str], &str); 1] = [(
    "physical_files",
    &["label", "case_number", "category", "store", "place", "whereabouts", "holder", "due", "waiting", "state", "seq"],
    "label",
)];

/// Whether a digested column of the physical files holds an integer.
pub(crate) fn numeric(col: &str) -> bool {
    ["waiting", "seq"].contains(&col)
}

/// Replays one `file:<label>` entry onto the files replayed so far (rebuild).
pub(crate) fn replay(
    files: &mut std::collections::BTreeMap<String, (PhysicalFile, i64)>,
    subject: &str,
    seq: i64,
    payload: &str,
) -> Result<(), StoreError> {
    let label = subject.strip_prefix("file:").unwrap_or(subject).to_owned();
    let event: FileEvent = serde_json::from_str(payload)
        .map_err(|e| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() })?;
    let file = files.remove(&label).map(|(f, _)| f).unwrap_or_default();
    files.insert(label, (file.evolve(&event), seq));
    Ok(())
}

fn parsed(label: &str, state: &str, seq: i64) -> Result<PhysicalFileRow, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { subject: format!("file:{label}"), reason };
    let file: PhysicalFile = serde_json::from_str(state).map_err(|e| corrupt(e.to_string()))?;
    PhysicalFileRow::of(&file, seq).map_err(corrupt)
}

impl Store {
    /// One physical file, by its label.
    pub async fn physical_file(&self, label: &str) -> Result<Option<PhysicalFileRow>, StoreError> {
        Ok(self.file_rows("SELECT label, state, seq FROM physical_files WHERE label = $1", label, 1).await?.pop())
    }

    /// A case's physical files.
    pub async fn physical_files_of_case(&self, number: &str) -> Result<Vec<PhysicalFileRow>, StoreError> {
        let sql = "SELECT label, state, seq FROM physical_files WHERE case_number = $1 ORDER BY label LIMIT $2";
        self.file_rows(sql, number, 100).await
    }

    /// The files an agent holds or was sent.
    pub async fn physical_files_held_by(&self, login: &str) -> Result<Vec<PhysicalFileRow>, StoreError> {
        let sql = "SELECT label, state, seq FROM physical_files WHERE holder = $1 AND whereabouts IN ('sent', 'held') \
                   ORDER BY label LIMIT $2";
        self.file_rows(sql, login, 500).await
    }

    /// The files held past their due date on `today` (YYYY-MM-DD), the longest overdue first.
    pub async fn overdue_files(&self, today: &str, limit: i64) -> Result<Vec<PhysicalFileRow>, StoreError> {
        let sql = "SELECT label, state, seq FROM physical_files WHERE due < $1 AND whereabouts = 'held' \
                   ORDER BY due, label LIMIT $2";
        self.file_rows(sql, today, limit).await
    }

    async fn file_rows(&self, sql: &str, bind: &str, limit: i64) -> Result<Vec<PhysicalFileRow>, StoreError> {
        on_db!(self.db(), pool => {
            let mut out = Vec::new();
            for r in sqlx::query(sql).bind(bind.to_owned()).bind(limit).fetch_all(pool).await? {
                let label: String = r.try_get("label")?;
                out.push(parsed(&label, &r.try_get::<String, _>("state")?, r.try_get("seq")?)?);
            }
            Ok(out)
        })
    }
}
