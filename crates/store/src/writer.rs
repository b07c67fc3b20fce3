//! The single writer of a process: it takes the operations submitted concurrently, decides each
//! with the domain, and commits a whole batch in one transaction: journal entries (chained and
//! covered by a new signed tree head), read tables, and the journal head. Batching is what makes
//! durable appends fast: one fsync covers every command waiting at that moment. Across processes
//! (several web nodes on one PostgreSQL) the row lock on `journal_head` serializes the batches.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use nansen_domain::ids::{CaseNumber, Login};
use nansen_domain::lifecycle::{decide, evolve, Case, Command, Ctx, Event};
use nansen_domain::rules::Rules;
use nansen_domain::DomainError;
use sqlx::{QueryBuilder, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::batch::{BatchWrites, NewHead, WriteBatch};
use crate::journal::{case_subject, entry_hash, to_hash, Entry};
use crate::merkle::{Frontier, Hash};
use crate::projection::CaseRow;
use crate::signing::HeadSigner;
use crate::{on_db, Db, StoreError};

/// Most operations committed in one transaction.
const MAX_BATCH_OPS: usize = 512;
/// A signed tree head is kept as a checkpoint each time the journal crosses a multiple of this.
pub(crate) const CHECKPOINT_EVERY: u64 = 1024;
/// One thing to do, by someone, at a moment (the moment is injected: demo data and tests
/// replay the past).
#[derive(Debug, Clone)]
pub struct Op {
    pub actor: Login,
    pub now: OffsetDateTime,
    pub action: Action,
}

#[derive(Debug, Clone)]
pub enum Action {
    /// A command on an existing case.
    Case { number: CaseNumber, command: Command },
    /// `Command::Register`; the store allocates the case number (the one in the command is
    /// replaced) from the year of `now`.
    Register(Command),
    /// An agent account: the row and a journal entry without the password hash.
    CreateAccount(NewAccount),
    /// Any other journaled fact (e.g. a read of a file): `payload` is JSON.
    Record { subject: String, kind: String, payload: serde_json::Value },
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NewAccount {
    pub login: String,
    pub display_name: String,
    pub role: String,
    pub division: Option<String>,
    pub section: Option<i64>,
    #[serde(skip)]
    pub password_hash: String,
}

/// What a committed operation did.
#[derive(Debug, Clone)]
pub struct Applied {
    pub subject: String,
    /// Sequence numbers of the journal entries written, first..=last (empty when none).
    pub seqs: std::ops::RangeInclusive<u64>,
    pub events: Vec<Event>,
    /// The case after the operation, for case operations.
    pub case: Option<Case>,
}

type OpResult = Result<Applied, DomainError>;

struct Job {
    ops: Vec<Op>,
    reply: oneshot::Sender<Result<Vec<OpResult>, StoreError>>,
}

pub(crate) struct WriterHandle {
    tx: mpsc::Sender<Job>,
}

impl WriterHandle {
    pub(crate) async fn submit(&self, ops: Vec<Op>) -> Result<Vec<OpResult>, StoreError> {
        let (reply, rx) = oneshot::channel();
        self.tx.send(Job { ops, reply }).await.map_err(|_| StoreError::WriterGone)?;
        rx.await.map_err(|_| StoreError::WriterGone)?
    }
}

pub(crate) fn spawn(db: Db, signer: Arc<HeadSigner>, rules: Arc<Rules>) -> WriterHandle {
    let (tx, mut rx) = mpsc::channel::<Job>(1024);
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut count = first.ops.len();
            let mut jobs = vec![first];
            // Group commit: take what is waiting, then let the writers just woken by the previous
            // commit submit too (a yield, not a timer), so one fsync covers them all.
            let mut quiet_rounds = 0;
            while count < MAX_BATCH_OPS && quiet_rounds < 2 {
                match rx.try_recv() {
                    Ok(job) => {
                        count += job.ops.len();
                        jobs.push(job);
                        quiet_rounds = 0;
                    }
                    Err(_) => {
                        quiet_rounds += 1;
                        tokio::task::yield_now().await;
                    }
                }
            }
            let ops: Vec<&Op> = jobs.iter().flat_map(|j| j.ops.iter()).collect();
            match commit_batch(&db, &signer, &rules, &ops).await {
                Ok(results) => {
                    let mut results = results.into_iter();
                    for job in jobs {
                        let mine: Vec<OpResult> = results.by_ref().take(job.ops.len()).collect();
                        let _ = job.reply.send(Ok(mine));
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, ops = ops.len(), "batch not committed");
                    let message = e.to_string();
                    for job in jobs {
                        let _ = job.reply.send(Err(StoreError::WriteFailed(message.clone())));
                    }
                }
            }
        }
    });
    WriterHandle { tx }
}

/// The chain as it grows inside one transaction.
struct Chain {
    next_seq: u64,
    last_hash: Hash,
    frontier: Frontier,
    recorded_at: String,
    pending: Vec<Entry>,
}

impl Chain {
    fn push(&mut self, actor: &str, subject: &str, kind: &str, payload: String) -> u64 {
        let seq = self.next_seq;
        let hash = entry_hash(&self.last_hash, seq, &self.recorded_at, actor, subject, kind, &payload);
        self.pending.push(Entry {
            seq,
            recorded_at: self.recorded_at.clone(),
            actor: actor.to_owned(),
            subject: subject.to_owned(),
            kind: kind.to_owned(),
            payload,
            prev_hash: self.last_hash,
            hash,
        });
        self.frontier.push(&hash);
        self.last_hash = hash;
        self.next_seq += 1;
        seq
    }
}

fn corrupt(subject: &str, reason: impl ToString) -> StoreError {
    StoreError::Corrupt { subject: subject.to_owned(), reason: reason.to_string() }
}

async fn commit_batch(db: &Db, signer: &HeadSigner, rules: &Rules, ops: &[&Op]) -> Result<Vec<OpResult>, StoreError> {
    on_db!(db, pool => {
        // Registrations the domain accepts get consecutive numbers, allocated for the whole batch
        // with one statement per year (a refused registration takes no number).
        let accepted: Vec<bool> = ops
            .iter()
            .map(|op| match &op.action {
                Action::Register(command) => {
                    let ctx = Ctx { actor: op.actor.clone(), now: op.now, rules };
                    decide(&Case::initial(), command, &ctx).is_ok()
                }
                _ => false,
            })
            .collect();
        let mut wanted: BTreeMap<i32, i64> = BTreeMap::new();
        for (op, _) in ops.iter().zip(&accepted).filter(|(_, accepted)| **accepted) {
            *wanted.entry(op.now.year()).or_default() += 1;
        }
        // The lock comes first, so batches never interleave: on PostgreSQL the head's row lock is
        // taken in the same round trip as BEGIN; on SQLite BEGIN IMMEDIATE takes the write lock.
        let postgres = matches!(db, Db::Postgres(_));
        let begin = if postgres { "BEGIN; UPDATE journal_head SET size = size WHERE id = 1" } else { "BEGIN IMMEDIATE" };
        let mut tx = pool.begin_with(begin).await?;
        // On PostgreSQL the numbers of a one-year batch are allocated with the head's read.
        let merged_year = if postgres && wanted.len() == 1 { wanted.pop_first() } else { None };
        let head = match merged_year {
            Some((year, count)) => sqlx::query(
                "WITH c AS (INSERT INTO counters (name, value) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value) \
                 SELECT size, last_hash, frontier, (SELECT value FROM c) AS counter FROM journal_head WHERE id = 1",
            )
            .bind(format!("case-{year}"))
            .bind(count)
            .fetch_one(&mut *tx)
            .await?,
            None => sqlx::query(
                "SELECT size, last_hash, frontier, CAST(NULL AS BIGINT) AS counter FROM journal_head WHERE id = 1",
            )
            .fetch_one(&mut *tx)
            .await?,
        };
        let size: i64 = head.try_get("size")?;
        let last_hash = to_hash(&head.try_get::<Vec<u8>, _>("last_hash")?)
            .ok_or_else(|| corrupt("journal_head", "last_hash is not 32 bytes"))?;
        let frontier = Frontier::from_bytes(&head.try_get::<Vec<u8>, _>("frontier")?)
            .ok_or_else(|| corrupt("journal_head", "frontier is malformed"))?;
        if frontier.size() != size as u64 {
            return Err(corrupt("journal_head", "frontier size differs from the journal size"));
        }
        let mut chain = Chain {
            next_seq: size as u64 + 1,
            last_hash,
            frontier,
            recorded_at: OffsetDateTime::now_utc().format(&Rfc3339).map_err(|e| corrupt("clock", e))?,
            pending: Vec::new(),
        };
        let mut next_number: BTreeMap<i32, u32> = BTreeMap::new();
        if let Some((year, count)) = merged_year {
            let last: i64 = head.try_get("counter")?;
            let first = u32::try_from(last - count + 1).map_err(|e| corrupt("counters", e))?;
            next_number.insert(year, first);
        }
        for (year, count) in wanted {
            let row = sqlx::query(
                "INSERT INTO counters (name, value) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value",
            )
            .bind(format!("case-{year}"))
            .bind(count)
            .fetch_one(&mut *tx)
            .await?;
            let last: i64 = row.try_get("value")?;
            let first = u32::try_from(last - count + 1).map_err(|e| corrupt("counters", e))?;
            next_number.insert(year, first);
        }
        // The current state of every case the batch touches, read in one statement.
        let mut cases: HashMap<CaseNumber, Case> = HashMap::new();
        let wanted_cases: BTreeSet<String> = ops
            .iter()
            .filter_map(|op| match &op.action {
                Action::Case { number, .. } => Some(number.to_string()),
                _ => None,
            })
            .collect();
        let wanted_cases: Vec<String> = wanted_cases.into_iter().collect();
        for chunk in wanted_cases.chunks(crate::projection::CASE_CHUNK) {
            let mut q = QueryBuilder::new("SELECT number, state FROM cases WHERE number IN (");
            let mut list = q.separated(", ");
            for number in chunk {
                list.push_bind(number.clone());
            }
            q.push(")");
            for row in q.build().fetch_all(&mut *tx).await? {
                let number: String = row.try_get("number")?;
                let state: String = row.try_get("state")?;
                let case: Case = serde_json::from_str(&state).map_err(|e| corrupt(&case_subject(&number), e))?;
                cases.insert(case.number, case);
            }
        }
        // Cases changed by the batch, in first-touch order, with their last entry and whether
        // their persons must be (re)written.
        let mut touched: Vec<CaseNumber> = Vec::new();
        let mut touched_info: HashMap<CaseNumber, (u64, bool)> = HashMap::new();
        // Cases whose documents or originals changed: their `documents`/`originals` rows are rewritten.
        let mut files_changed: BTreeSet<String> = BTreeSet::new();
        let mut results = Vec::with_capacity(ops.len());
        for (op, accepted) in ops.iter().zip(&accepted) {
            let actor = op.actor.as_str();
            match &op.action {
                Action::Record { subject, kind, payload } => {
                    let seq = chain.push(actor, subject, kind, payload.to_string());
                    results.push(Ok(Applied { subject: subject.clone(), seqs: seq..=seq, events: vec![], case: None }));
                }
                Action::CreateAccount(account) => {
                    let subject = format!("account:{}", account.login);
                    let exists = sqlx::query("SELECT 1 FROM accounts WHERE login = $1")
                        .bind(&account.login)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if exists.is_some() {
                        results.push(Err(DomainError::Validation {
                            field: "login",
                            reason: format!("the account {} already exists", account.login),
                        }));
                        continue;
                    }
                    sqlx::query("INSERT INTO accounts (login, display_name, role, division, section, password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                        .bind(&account.login)
                        .bind(&account.display_name)
                        .bind(&account.role)
                        .bind(&account.division)
                        .bind(account.section)
                        .bind(&account.password_hash)
                        .bind(&chain.recorded_at)
                        .execute(&mut *tx)
                        .await?;
                    let payload = serde_json::to_string(account).map_err(|e| corrupt(&subject, e))?;
                    let seq = chain.push(actor, &subject, "account_created", payload);
                    results.push(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }));
                }
                Action::Register(command) | Action::Case { command, .. } => {
                    let ctx = Ctx { actor: op.actor.clone(), now: op.now, rules };
                    let (number, before, command) = match (&op.action, command) {
                        (Action::Case { number, .. }, _) => match cases.get(number) {
                            Some(case) => (*number, case.clone(), command.clone()),
                            None => {
                                results.push(Err(DomainError::Validation {
                                    field: "number",
                                    reason: format!("there is no case {number}"),
                                }));
                                continue;
                            }
                        },
                        (_, Command::Register(registration)) => {
                            // Only an accepted registration takes a number; a refused one keeps
                            // the placeholder and gets the domain's reason below.
                            let mut registration = registration.clone();
                            if *accepted {
                                let year = op.now.year();
                                let next = next_number.get_mut(&year).ok_or_else(|| corrupt("counters", year))?;
                                registration.number =
                                    CaseNumber::new(year, *next).map_err(|e| corrupt("counters", e))?;
                                *next += 1;
                            }
                            (registration.number, Case::initial(), Command::Register(registration))
                        }
                        (_, other) => (CaseNumber::PLACEHOLDER, Case::initial(), other.clone()),
                    };
                    let events = match decide(&before, &command, &ctx) {
                        Ok(events) => events,
                        Err(refusal) => {
                            results.push(Err(refusal));
                            continue;
                        }
                    };
                    let subject = case_subject(&number.to_string());
                    let mut case = before;
                    let mut first = None;
                    let mut last = 0;
                    let mut registered = false;
                    for event in &events {
                        case = evolve(case, event);
                        registered |= matches!(event, Event::Registered { .. });
                        if matches!(
                            event,
                            Event::DocumentsAttached { .. }
                                | Event::OriginalReceived { .. }
                                | Event::CustodyChanged { .. }
                                | Event::MessageReceived { .. }
                        ) {
                            files_changed.insert(number.to_string());
                        }
                        let payload = serde_json::to_string(event).map_err(|e| corrupt(&subject, e))?;
                        last = chain.push(actor, &subject, event.kind(), payload);
                        first.get_or_insert(last);
                    }
                    if let Some(first) = first {
                        match touched_info.get_mut(&number) {
                            Some(info) => *info = (last, info.1 || registered),
                            None => {
                                touched.push(number);
                                touched_info.insert(number, (last, registered));
                            }
                        }
                        cases.insert(number, case.clone());
                        results.push(Ok(Applied { subject, seqs: first..=last, events, case: Some(case) }));
                    } else {
                        // An empty range: the command changed nothing, so nothing was appended.
                        let seqs = std::ops::RangeInclusive::new(1, 0);
                        results.push(Ok(Applied { subject, seqs, events, case: Some(case) }));
                    }
                }
            }
        }
        if chain.pending.is_empty() {
            tx.rollback().await?;
            return Ok(results);
        }
        // The read tables' rows of every case the batch changed.
        let mut rows = Vec::with_capacity(touched.len());
        let mut with_persons = Vec::new();
        for number in &touched {
            let (Some(case), Some((last, registered))) = (cases.get(number), touched_info.get(number)) else {
                continue;
            };
            let row = CaseRow::of(case, rules, *last).map_err(|e| corrupt(&case_subject(&number.to_string()), e))?;
            if *registered {
                with_persons.push(rows.len());
            }
            rows.push(row);
        }
        let row_refs: Vec<&CaseRow> = rows.iter().collect();
        // Persons are written with the registration only (a new case has none yet).
        let new_cases: Vec<&CaseRow> = with_persons.iter().map(|&i| &rows[i]).collect();
        let persons = crate::projection::persons_of(&new_cases);
        let new_size = chain.next_seq - 1;
        let root = chain.frontier.root();
        let signature = signer.sign_head(new_size, &root, &chain.last_hash);
        let checkpoint = new_size / CHECKPOINT_EVERY > size as u64 / CHECKPOINT_EVERY;
        let batch = BatchWrites {
            entries: &chain.pending,
            cases: &row_refs,
            persons: &persons,
            head: NewHead {
                size: new_size as i64,
                last_hash: chain.last_hash.to_vec(),
                frontier: chain.frontier.to_bytes(),
                root: root.to_vec(),
                signed_at: chain.recorded_at.clone(),
                key_id: signer.key_id(),
                signature: signature.to_vec(),
                checkpoint,
            },
        };
        WriteBatch::write_batch(&mut *tx, &batch).await?;
        let with_files: Vec<&CaseRow> = rows.iter().filter(|row| files_changed.contains(&row.number)).collect();
        if !with_files.is_empty() {
            replace_files!(tx, with_files);
        }
        tx.commit().await?;
        Ok(results)
    })
}
