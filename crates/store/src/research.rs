//! The officers' research requests (workspace `research`): a read table of the `research:<id>`
//! journal entries, each request's state as the domain left it with the columns the queue and
//! the case page list by.

use nansen_domain::research::{RequestEvent, RequestStatus, ResearchRequest};
use sqlx::Row;

use crate::{on_db, Store, StoreError};

/// A research request as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResearchRequestRow {
    pub id: String,
    pub case_number: String,
    pub status: RequestStatus,
    pub asked_by: String,
    pub taken_by: Option<String>,
    pub answered_by: Option<String>,
    pub reviewed_by: Option<String>,
    pub needed_by: String,
    pub countries: Vec<String>,
    /// The office's date when it was asked (YYYY-MM-DD).
    pub asked_at: String,
    /// The research note the published answer became.
    pub note: Option<String>,
    pub request: ResearchRequest,
    pub seq: i64,
}

impl ResearchRequestRow {
    /// The row of a request as `seq` left it.
    pub(crate) fn of(request: &ResearchRequest, seq: i64) -> Result<ResearchRequestRow, String> {
        let question = request.question.as_ref().ok_or("a request without a question")?;
        Ok(ResearchRequestRow {
            id: request.id.clone().ok_or("a request without an id")?,
            case_number: question.case.to_string(),
            status: request.status,
            asked_by: request.asked_by.as_ref().map(|l| l.as_str().to_owned()).unwrap_or_default(),
            taken_by: request.taken_by.as_ref().map(|l| l.as_str().to_owned()),
            answered_by: request.answered_by.as_ref().map(|l| l.as_str().to_owned()),
            reviewed_by: request.reviewed_by.as_ref().map(|l| l.as_str().to_owned()),
            needed_by: question.needed_by.to_string(),
            countries: question.countries.iter().map(|c| c.as_str().to_owned()).collect(),
            asked_at: request.asked_on.map(|d| d.to_string()).unwrap_or_default(),
            note: request.note.clone(),
            request: request.clone(),
            seq,
        })
    }
}

/// The status as the table keeps it.
pub(crate) fn status_str(status: RequestStatus) -> &'static str {
    status.code()
}

/// Writes a request's row (`$row: &ResearchRequestRow`), replacing the one it had.
macro_rules! upsert_research_request {
    ($conn:expr, $row:expr) => {{
        let row = $row;
        let state = serde_json::to_string(&row.request).map_err(|e| $crate::StoreError::Corrupt {
            subject: format!("research:{}", row.id),
            reason: e.to_string(),
        })?;
        sqlx::query("DELETE FROM research_requests WHERE id = $1").bind(row.id.clone()).execute(&mut *$conn).await?;
        sqlx::query(
            "INSERT INTO research_requests (id, case_number, status, asked_by, taken_by, answered_by, reviewed_by, \
             needed_by, countries, asked_at, note, state, seq) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(row.id.clone())
        .bind(row.case_number.clone())
        .bind($crate::research::status_str(row.status))
        .bind(row.asked_by.clone())
        .bind(row.taken_by.clone())
        .bind(row.answered_by.clone())
        .bind(row.reviewed_by.clone())
        .bind(row.needed_by.clone())
        .bind(row.countries.join(" "))
        .bind(row.asked_at.clone())
        .bind(row.note.clone())
        .bind(state)
        .bind(row.seq)
        .execute(&mut *$conn)
        .await?;
    }};
}
pub(crate) use upsert_research_request;

const COLUMNS: &str = "id, state, seq";

/// The research requests' table, digested before and after a rebuild.
pub(crate) const RESEARCH_DIGEST: [(&str, &[&str], &str); 1] = [(
    "research_requests",
    &[
        "id",
        "case_number",
        "status",
        "asked_by",
        "taken_by",
        "answered_by",
        "reviewed_by",
        "needed_by",
        "countries",
        "asked_at",
        "note",
        "state",
        "seq",
    ],
    "id",
)];

/// A request's state read back from its row.
fn parsed(id: &str, state: &str, seq: i64) -> Result<ResearchRequestRow, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt { subject: format!("research:{id}"), reason };
    let request: ResearchRequest = serde_json::from_str(state).map_err(|e| corrupt(e.to_string()))?;
    ResearchRequestRow::of(&request, seq).map_err(corrupt)
}

/// Replays one `research:<id>` entry onto the requests replayed so far (rebuild).
pub(crate) fn replay(
    requests: &mut std::collections::BTreeMap<String, (ResearchRequest, i64)>,
    subject: &str,
    seq: i64,
    payload: &str,
) -> Result<(), StoreError> {
    let id = subject.strip_prefix("research:").unwrap_or(subject).to_owned();
    let event: RequestEvent = serde_json::from_str(payload)
        .map_err(|e| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() })?;
    let request = requests.remove(&id).map(|(r, _)| r).unwrap_or_default();
    requests.insert(id, (request.evolve(&event), seq));
    Ok(())
}

impl Store {
    /// One research request.
    pub async fn research_request(&self, id: &str) -> Result<Option<ResearchRequestRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM research_requests WHERE id = $1");
        on_db!(self.db(), pool => {
            match sqlx::query(&sql).bind(id.to_owned()).fetch_optional(pool).await? {
                Some(r) => Ok(Some(parsed(id, &r.try_get::<String, _>("state")?, r.try_get("seq")?)?)),
                None => Ok(None),
            }
        })
    }

    /// The requests in one of `statuses`, the most urgent first (needed soonest), at most `limit`.
    pub async fn research_requests(
        &self,
        statuses: &[RequestStatus],
        limit: i64,
    ) -> Result<Vec<ResearchRequestRow>, StoreError> {
        let list: Vec<String> = statuses.iter().map(|s| format!("'{}'", status_str(*s))).collect();
        let order = if statuses == [RequestStatus::Published] { "seq DESC" } else { "needed_by, id" };
        let sql = format!(
            "SELECT {COLUMNS} FROM research_requests WHERE status IN ({}) ORDER BY {order} LIMIT $1",
            list.join(", ")
        );
        self.research_rows(&sql, None, limit).await
    }

    /// The requests asked about a case, oldest first.
    pub async fn research_requests_of_case(&self, number: &str) -> Result<Vec<ResearchRequestRow>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM research_requests WHERE case_number = $1 ORDER BY id LIMIT $2");
        self.research_rows(&sql, Some(number), 200).await
    }

    async fn research_rows(
        &self,
        sql: &str,
        bind: Option<&str>,
        limit: i64,
    ) -> Result<Vec<ResearchRequestRow>, StoreError> {
        on_db!(self.db(), pool => {
            let mut q = sqlx::query(sql);
            if let Some(b) = bind {
                q = q.bind(b.to_owned());
            }
            let mut out = Vec::new();
            for r in q.bind(limit).fetch_all(pool).await? {
                let id: String = r.try_get("id")?;
                out.push(parsed(&id, &r.try_get::<String, _>("state")?, r.try_get("seq")?)?);
            }
            Ok(out)
        })
    }
}

/// The most searches an agent keeps.
pub const SAVED_SEARCHES_MAX: i64 = 20;

/// A change to an agent's saved searches of the library, journaled under
/// `saved-search:<login>`: saved (the id given by the store), opened (what the agent has seen
/// of the library since), deleted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum SavedSearchChange {
    Saved { id: String, name: String, query: String, seen_seq: i64 },
    Visited { id: String, seen_seq: i64 },
    Deleted { id: String },
}

impl SavedSearchChange {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            SavedSearchChange::Saved { .. } => "library.search_saved",
            SavedSearchChange::Visited { .. } => "library.search_visited",
            SavedSearchChange::Deleted { .. } => "library.search_deleted",
        }
    }
}

/// A saved search as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearchRow {
    pub id: String,
    pub login: String,
    pub name: String,
    /// The search as the library page's URL query says it.
    pub query: String,
    /// The library's journal position when the agent last opened it.
    pub seen_seq: i64,
}

/// The saved searches' table, digested before and after a rebuild.
pub(crate) const SAVED_DIGEST: [(&str, &[&str], &str); 1] =
    [("saved_searches", &["id", "login", "name", "query", "seen_seq", "seq"], "id")];

/// Applies one change to the table (`$conn`), as the writer and the rebuild do.
macro_rules! apply_saved_search {
    ($conn:expr, $login:expr, $change:expr, $seq:expr) => {{
        match $change {
            $crate::research::SavedSearchChange::Saved { id, name, query, seen_seq } => {
                sqlx::query(
                    "INSERT INTO saved_searches (id, login, name, query, seen_seq, seq) VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id.clone())
                .bind($login.to_owned())
                .bind(name.clone())
                .bind(query.clone())
                .bind(*seen_seq)
                .bind($seq)
                .execute(&mut *$conn)
                .await?;
            }
            $crate::research::SavedSearchChange::Visited { id, seen_seq } => {
                sqlx::query("UPDATE saved_searches SET seen_seq = $1, seq = $2 WHERE id = $3")
                    .bind(*seen_seq)
                    .bind($seq)
                    .bind(id.clone())
                    .execute(&mut *$conn)
                    .await?;
            }
            $crate::research::SavedSearchChange::Deleted { id } => {
                sqlx::query("DELETE FROM saved_searches WHERE id = $1").bind(id.clone()).execute(&mut *$conn).await?;
            }
        }
    }};
}
pub(crate) use apply_saved_search;

impl Store {
    /// An agent's saved searches, by name.
    pub async fn saved_searches(&self, login: &str) -> Result<Vec<SavedSearchRow>, StoreError> {
        on_db!(self.db(), pool => {
            let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
                "SELECT id, login, name, query, seen_seq FROM saved_searches WHERE login = $1 ORDER BY name, id",
            )
            .bind(login.to_owned())
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(id, login, name, query, seen_seq)| SavedSearchRow { id, login, name, query, seen_seq })
                .collect())
        })
    }
}
