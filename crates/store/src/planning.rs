//! The planning's register (workspace `planning`, migration 0015): firms, interpreters, rooms
//! and officers' calendars, one row per aggregate with its state. Written by the writer in the
//! same transaction as their journal entries, and by `nansen rebuild` from the journal.

use std::collections::BTreeMap;

use nansen_domain::planning::{Entry, Firm, Interpreter, InterpreterId, OfficerCalendar, PlanningCommand, Room};
use nansen_domain::{DomainError, Login};
use serde::de::DeserializeOwned;

use crate::{on_db, Store, StoreError};

/// Rows written per statement.
pub(crate) const PLANNING_CHUNK: usize = 500;

/// A command decided: the new state and each event's (kind, payload), or the domain's refusal.
pub(crate) type Decided = Result<(RegisterState, Vec<(&'static str, String)>), DomainError>;

/// One of the register's aggregates, as the writer holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RegisterState {
    Firm(Firm),
    Interpreter(Interpreter),
    Room(Room),
    Calendar(OfficerCalendar),
}

impl RegisterState {
    /// The empty state of a subject's kind, or `None` for a subject outside the register.
    pub(crate) fn empty(subject: &str) -> Option<RegisterState> {
        Some(match subject.split_once(':')?.0 {
            "firm" => RegisterState::Firm(Firm::default()),
            "interpreter" => RegisterState::Interpreter(Interpreter::default()),
            "room" => RegisterState::Room(Room::default()),
            "calendar" => RegisterState::Calendar(OfficerCalendar::default()),
            _ => return None,
        })
    }

    pub(crate) fn parse(subject: &str, state: &str) -> Result<RegisterState, StoreError> {
        let bad = |e: serde_json::Error| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() };
        Ok(match RegisterState::empty(subject) {
            Some(RegisterState::Firm(_)) => RegisterState::Firm(serde_json::from_str(state).map_err(bad)?),
            Some(RegisterState::Interpreter(_)) => {
                RegisterState::Interpreter(serde_json::from_str(state).map_err(bad)?)
            }
            Some(RegisterState::Room(_)) => RegisterState::Room(serde_json::from_str(state).map_err(bad)?),
            Some(RegisterState::Calendar(_)) => RegisterState::Calendar(serde_json::from_str(state).map_err(bad)?),
            None => {
                return Err(StoreError::Corrupt {
                    subject: subject.to_owned(),
                    reason: "not a register subject".into(),
                })
            }
        })
    }

    /// Decides `command` against this state; the new state and the journal's (kind, payload) of
    /// each event, or the domain's refusal. A command of another kind than the state is a refusal.
    pub(crate) fn decide(&self, command: &PlanningCommand, today: time::Date) -> Result<Decided, StoreError> {
        fn run<E: Entry>(
            state: &E,
            command: &E::Command,
            today: time::Date,
            wrap: fn(E) -> RegisterState,
        ) -> Result<Decided, StoreError> {
            let events = match state.decide_on(command, today) {
                Ok(events) => events,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let mut state = state.clone();
            let mut out = Vec::with_capacity(events.len());
            for event in &events {
                state = state.evolve_by(event);
                let payload = serde_json::to_string(event)
                    .map_err(|e| StoreError::Corrupt { subject: "planning".into(), reason: e.to_string() })?;
                out.push((E::kind(event), payload));
            }
            Ok(Ok((wrap(state), out)))
        }
        match (self, command) {
            (RegisterState::Firm(s), PlanningCommand::Firm { command, .. }) => {
                run(s, command, today, RegisterState::Firm)
            }
            (RegisterState::Interpreter(s), PlanningCommand::Interpreter { command, .. }) => {
                run(s, command, today, RegisterState::Interpreter)
            }
            (RegisterState::Room(s), PlanningCommand::Room { command, .. }) => {
                run(s, command, today, RegisterState::Room)
            }
            (RegisterState::Calendar(s), PlanningCommand::Calendar { command, .. }) => {
                run(s, command, today, RegisterState::Calendar)
            }
            _ => Ok(Err(DomainError::Validation {
                field: "subject",
                reason: "the command does not fit its subject".into(),
            })),
        }
    }

    /// Evolves by a journaled event (rebuild).
    pub(crate) fn replay(self, subject: &str, payload: &str) -> Result<RegisterState, StoreError> {
        fn ev<E: Entry>(state: E, payload: &str, subject: &str) -> Result<E, StoreError>
        where
            E::Event: DeserializeOwned,
        {
            let event: E::Event = serde_json::from_str(payload)
                .map_err(|e| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() })?;
            Ok(state.evolve_by(&event))
        }
        Ok(match self {
            RegisterState::Firm(s) => RegisterState::Firm(ev(s, payload, subject)?),
            RegisterState::Interpreter(s) => RegisterState::Interpreter(ev(s, payload, subject)?),
            RegisterState::Room(s) => RegisterState::Room(ev(s, payload, subject)?),
            RegisterState::Calendar(s) => RegisterState::Calendar(ev(s, payload, subject)?),
        })
    }

    pub(crate) fn row(&self, subject: &str, last_seq: u64) -> Result<PlanningRow, StoreError> {
        let bad = |e: serde_json::Error| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() };
        let (kind, state, login) = match self {
            RegisterState::Firm(s) => ("firm", serde_json::to_string(s).map_err(bad)?, None),
            RegisterState::Interpreter(s) => {
                ("interpreter", serde_json::to_string(s).map_err(bad)?, s.login.as_ref().map(|l| l.to_string()))
            }
            RegisterState::Room(s) => ("room", serde_json::to_string(s).map_err(bad)?, None),
            RegisterState::Calendar(s) => ("calendar", serde_json::to_string(s).map_err(bad)?, None),
        };
        Ok(PlanningRow { subject: subject.to_owned(), kind, state, last_seq: last_seq as i64, login })
    }
}

/// A `planning_register` row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlanningRow {
    pub subject: String,
    pub kind: &'static str,
    pub state: String,
    pub last_seq: i64,
    pub login: Option<String>,
}

/// Writes `$rows: &[&PlanningRow]` on `$conn`, replacing what is there.
macro_rules! upsert_planning {
    ($conn:expr, $rows:expr) => {
        for chunk in $rows.chunks($crate::planning::PLANNING_CHUNK) {
            let mut q =
                sqlx::QueryBuilder::new("INSERT INTO planning_register (subject, kind, state, last_seq, login) ");
            q.push_values(chunk.iter(), |mut b, r| {
                b.push_bind(r.subject.clone())
                    .push_bind(r.kind)
                    .push_bind(r.state.clone())
                    .push_bind(r.last_seq)
                    .push_bind(r.login.clone());
            });
            q.push(
                " ON CONFLICT (subject) DO UPDATE SET kind = excluded.kind, state = excluded.state, \
                 last_seq = excluded.last_seq, login = excluded.login",
            );
            q.build().execute(&mut *$conn).await?;
        }
    };
}
pub(crate) use upsert_planning;

/// The register as the journal replays it (rebuild).
#[derive(Default)]
pub(crate) struct ReplayedRegister {
    pub entries: BTreeMap<String, (RegisterState, u64)>,
}

impl ReplayedRegister {
    pub(crate) fn apply(&mut self, subject: &str, seq: i64, payload: &str) -> Result<(), StoreError> {
        let Some(empty) = RegisterState::empty(subject) else { return Ok(()) };
        let (state, _) = self.entries.remove(subject).unwrap_or((empty, 0));
        let state = state.replay(subject, payload)?;
        self.entries.insert(subject.to_owned(), (state, seq as u64));
        Ok(())
    }

    pub(crate) fn rows(&self) -> Result<Vec<PlanningRow>, StoreError> {
        self.entries.iter().map(|(subject, (state, seq))| state.row(subject, *seq)).collect()
    }
}

/// The register's table, its columns and key order, digested before and after a rebuild.
pub(crate) const PLANNING_DIGEST: [(&str, &[&str], &str); 1] =
    [("planning_register", &["subject", "kind", "state", "last_seq", "login"], "subject")];

/// The journal subjects the register replays from.
pub(crate) const PLANNING_SUBJECTS: &str =
    "subject LIKE 'firm:%' OR subject LIKE 'interpreter:%' OR subject LIKE 'room:%' OR subject LIKE 'calendar:%'";

impl Store {
    async fn register_of<T: DeserializeOwned>(&self, kind: &str) -> Result<Vec<(String, T)>, StoreError> {
        let rows: Vec<(String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT subject, state FROM planning_register WHERE kind = $1 ORDER BY subject")
                .bind(kind)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter()
            .map(|(subject, state)| {
                let value = serde_json::from_str(&state)
                    .map_err(|e| StoreError::Corrupt { subject: subject.clone(), reason: e.to_string() })?;
                let key = subject.split_once(':').map(|(_, k)| k.to_owned()).unwrap_or_default();
                Ok((key, value))
            })
            .collect()
    }

    /// Every firm of the register, by code.
    pub async fn firms(&self) -> Result<Vec<Firm>, StoreError> {
        Ok(self.register_of::<Firm>("firm").await?.into_iter().map(|(_, f)| f).collect())
    }

    /// Every interpreter of the register, by number.
    pub async fn interpreters(&self) -> Result<Vec<Interpreter>, StoreError> {
        Ok(self.register_of::<Interpreter>("interpreter").await?.into_iter().map(|(_, i)| i).collect())
    }

    /// Every room, by code.
    pub async fn rooms(&self) -> Result<Vec<Room>, StoreError> {
        Ok(self.register_of::<Room>("room").await?.into_iter().map(|(_, r)| r).collect())
    }

    /// Every officer's calendar that has an entry, by login.
    pub async fn calendars(&self) -> Result<Vec<(String, OfficerCalendar)>, StoreError> {
        self.register_of::<OfficerCalendar>("calendar").await
    }

    /// One entry of the register by its subject (`interpreter:ISM-0042`), as JSON.
    async fn register_entry<T: DeserializeOwned>(&self, subject: &str) -> Result<Option<T>, StoreError> {
        let row: Option<(String,)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT state FROM planning_register WHERE subject = $1").bind(subject).fetch_optional(pool).await?
        });
        row.map(|(state,)| {
            serde_json::from_str(&state)
                .map_err(|e| StoreError::Corrupt { subject: subject.to_owned(), reason: e.to_string() })
        })
        .transpose()
    }

    pub async fn interpreter(&self, id: &InterpreterId) -> Result<Option<Interpreter>, StoreError> {
        self.register_entry(&format!("interpreter:{id}")).await
    }

    pub async fn firm(&self, code: &nansen_domain::planning::FirmCode) -> Result<Option<Firm>, StoreError> {
        self.register_entry(&format!("firm:{code}")).await
    }

    pub async fn room(&self, code: &nansen_domain::planning::RoomCode) -> Result<Option<Room>, StoreError> {
        self.register_entry(&format!("room:{code}")).await
    }

    pub async fn calendar(&self, officer: &Login) -> Result<OfficerCalendar, StoreError> {
        Ok(self.register_entry(&format!("calendar:{officer}")).await?.unwrap_or_default())
    }

    /// The interpreter whose own account is `login`.
    pub async fn interpreter_of_account(&self, login: &str) -> Result<Option<Interpreter>, StoreError> {
        let row: Option<(String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as("SELECT subject, state FROM planning_register WHERE login = $1 AND kind = 'interpreter'")
                .bind(login)
                .fetch_optional(pool)
                .await?
        });
        row.map(|(subject, state)| {
            serde_json::from_str(&state).map_err(|e| StoreError::Corrupt { subject, reason: e.to_string() })
        })
        .transpose()
    }

    /// The cases of a division a week's plan looks at: assigned and not yet convened, and
    /// convened (whose convocations are kept). At most `limit`, the oldest first.
    pub async fn cases_for_planning(
        &self,
        division: &str,
        limit: u32,
    ) -> Result<Vec<nansen_domain::lifecycle::Case>, StoreError> {
        let rows: Vec<(String, String)> = on_db!(self.db(), pool => {
            sqlx::query_as(
                "SELECT number, state FROM cases WHERE division = $1 \
                 AND status IN ('assigned', 'interview_scheduled') ORDER BY number LIMIT $2",
            )
            .bind(division)
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(number, state)| {
                serde_json::from_str(&state)
                    .map_err(|e| StoreError::Corrupt { subject: format!("case:{number}"), reason: e.to_string() })
            })
            .collect()
    }

    /// Cases waiting for an officer (complete, not yet assigned), in queue order, without their
    /// state: what the workload balance weighs them by.
    pub async fn cases_awaiting_assignment(&self, limit: u32) -> Result<Vec<AwaitingCase>, StoreError> {
        on_db!(self.db(), pool => {
            let rows: Vec<AwaitingRow> = sqlx::query_as(
                "SELECT c.number, c.nationality, c.procedure, c.kind, c.language, c.division, \
                 (SELECT COUNT(*) FROM persons p WHERE p.case_number = c.number) \
                 FROM cases c WHERE c.status = 'complete' ORDER BY c.queue_key LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(number, nationality, procedure, kind, language, division, persons)| AwaitingCase {
                    number,
                    nationality,
                    procedure,
                    kind,
                    language,
                    division,
                    persons: u32::try_from(persons).unwrap_or(1),
                })
                .collect())
        })
    }

    /// A division's cases waiting for an interview (complete, or assigned and not yet convened),
    /// counted by language.
    pub async fn waiting_by_language(&self, division: &str) -> Result<Vec<(String, u32)>, StoreError> {
        on_db!(self.db(), pool => {
            let rows: Vec<(String, i64)> = sqlx::query_as(
                "SELECT language, COUNT(*) FROM cases WHERE division = $1 \
                 AND status IN ('complete', 'assigned') GROUP BY language ORDER BY language",
            )
            .bind(division)
            .fetch_all(pool)
            .await?;
            Ok(rows.into_iter().map(|(l, n)| (l, u32::try_from(n).unwrap_or(u32::MAX))).collect())
        })
    }

    /// Officers' open cases (assigned, not yet signed), counted by status, procedure and kind,
    /// with the persons in them: an officer's load is their weighted sum.
    pub async fn officers_open_cases(&self) -> Result<Vec<OpenCases>, StoreError> {
        on_db!(self.db(), pool => {
            let rows: Vec<(String, String, String, String, i64, i64)> = sqlx::query_as(
                "SELECT c.officer, c.status, c.procedure, c.kind, COUNT(*), \
                 CAST(SUM((SELECT COUNT(*) FROM persons p WHERE p.case_number = c.number)) AS BIGINT) \
                 FROM cases c WHERE c.officer IS NOT NULL AND c.status IN \
                 ('assigned', 'interview_scheduled', 'interviewed', 'decision_drafted', 'under_review', 'returned_to_officer') \
                 GROUP BY c.officer, c.status, c.procedure, c.kind",
            )
            .fetch_all(pool)
            .await?;
            Ok(rows
                .into_iter()
                .map(|(officer, status, procedure, kind, cases, persons)| OpenCases {
                    officer,
                    status,
                    procedure,
                    kind,
                    cases: u32::try_from(cases).unwrap_or(0),
                    persons: u32::try_from(persons).unwrap_or(0),
                })
                .collect())
        })
    }
}

/// A row of `cases_awaiting_assignment`: number, nationality, procedure, kind, language,
/// division, persons.
type AwaitingRow = (String, String, String, String, String, Option<String>, i64);

/// A case waiting for assignment, as the workload balance reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingCase {
    pub number: String,
    pub nationality: String,
    /// As the cases table labels it (`normal`, `accelerated:…`).
    pub procedure: String,
    pub kind: String,
    pub language: String,
    /// The division competent for the nationality.
    pub division: Option<String>,
    pub persons: u32,
}

/// One officer's open cases of one status, procedure and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCases {
    pub officer: String,
    pub status: String,
    pub procedure: String,
    pub kind: String,
    pub cases: u32,
    /// The persons in those cases, applicants included.
    pub persons: u32,
}
