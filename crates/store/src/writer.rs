//! The single writer of a process: it takes the operations submitted concurrently, decides each
//! with the domain, and commits a whole batch in one transaction: journal entries (chained and
//! covered by a new signed tree head), read tables, and the journal head. Batching is what makes
//! durable appends fast: one fsync covers every command waiting at that moment. Across processes
//! (several web nodes on one PostgreSQL) the row lock on `journal_head` serializes the batches.

use std::sync::Arc;

use nansen_domain::ids::{CaseNumber, Login};
use nansen_domain::lifecycle::{decide, evolve, Case, Command, Ctx, Event};
use nansen_domain::rules::Rules;
use nansen_domain::DomainError;
use sqlx::{QueryBuilder, Row};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

use crate::journal::{case_subject, entry_hash, to_hash, Entry};
use crate::merkle::{Frontier, Hash};
use crate::projection::CaseRow;
use crate::signing::HeadSigner;
use crate::{on_db, Db, StoreError};

/// Most operations committed in one transaction.
const MAX_BATCH_OPS: usize = 512;
/// A signed tree head is kept as a checkpoint each time the journal crosses a multiple of this.
pub(crate) const CHECKPOINT_EVERY: u64 = 1024;
/// Journal rows per INSERT statement (SQLite allows 32,766 bound values).
const INSERT_CHUNK: usize = 500;

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
            while count < MAX_BATCH_OPS {
                match rx.try_recv() {
                    Ok(job) => {
                        count += job.ops.len();
                        jobs.push(job);
                    }
                    Err(_) => break,
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
        let mut tx = pool.begin().await?;
        // The first statement writes: it takes the head's row lock (PostgreSQL) or the write
        // lock (SQLite) before anything is read, so batches never interleave.
        let head = sqlx::query("UPDATE journal_head SET size = size WHERE id = 1 RETURNING size, last_hash, frontier")
            .fetch_one(&mut *tx)
            .await?;
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
        let mut results = Vec::with_capacity(ops.len());
        for op in ops {
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
                    let (number, before) = match &op.action {
                        Action::Case { number, .. } => {
                            let row = sqlx::query("SELECT state FROM cases WHERE number = $1")
                                .bind(number.to_string())
                                .fetch_optional(&mut *tx)
                                .await?;
                            let Some(row) = row else {
                                results.push(Err(DomainError::Validation { field: "number", reason: format!("there is no case {number}") }));
                                continue;
                            };
                            let state: String = row.try_get("state")?;
                            let case: Case = serde_json::from_str(&state)
                                .map_err(|e| corrupt(&case_subject(&number.to_string()), e))?;
                            (*number, case)
                        }
                        _ => {
                            let year = op.now.year();
                            let row = sqlx::query("INSERT INTO counters (name, value) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value")
                                .bind(format!("case-{year}"))
                                .fetch_one(&mut *tx)
                                .await?;
                            let value: i64 = row.try_get("value")?;
                            let number = CaseNumber::new(year, value as u32)
                                .map_err(|e| corrupt("counters", e))?;
                            (number, Case::initial())
                        }
                    };
                    let command = match command {
                        Command::Register(registration) => {
                            let mut registration = registration.clone();
                            registration.number = number;
                            Command::Register(registration)
                        }
                        other => other.clone(),
                    };
                    let ctx = Ctx { actor: op.actor.clone(), now: op.now, rules };
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
                        let payload = serde_json::to_string(event).map_err(|e| corrupt(&subject, e))?;
                        last = chain.push(actor, &subject, event.kind(), payload);
                        first.get_or_insert(last);
                    }
                    if let Some(first) = first {
                        let row = CaseRow::of(&case, rules, last).map_err(|e| corrupt(&subject, e))?;
                        upsert_case!(tx, row);
                        if registered {
                            insert_persons!(tx, row);
                        }
                        results.push(Ok(Applied { subject, seqs: first..=last, events, case: Some(case) }));
                    } else {
                        // An empty range: the command changed nothing, so nothing was appended.
                        results.push(Ok(Applied { subject, seqs: std::ops::RangeInclusive::new(1, 0), events, case: Some(case) }));
                    }
                }
            }
        }
        if chain.pending.is_empty() {
            tx.rollback().await?;
            return Ok(results);
        }
        for chunk in chain.pending.chunks(INSERT_CHUNK) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO journal (seq, recorded_at, actor, subject, kind, payload, prev_hash, hash) ",
            );
            insert.push_values(chunk, |mut b, e| {
                b.push_bind(e.seq as i64)
                    .push_bind(e.recorded_at.clone())
                    .push_bind(e.actor.clone())
                    .push_bind(e.subject.clone())
                    .push_bind(e.kind.clone())
                    .push_bind(e.payload.clone())
                    .push_bind(e.prev_hash.to_vec())
                    .push_bind(e.hash.to_vec());
            });
            insert.build().execute(&mut *tx).await?;
        }
        let new_size = chain.next_seq - 1;
        let root = chain.frontier.root();
        let signature = signer.sign_head(new_size, &root, &chain.last_hash);
        sqlx::query(
            "UPDATE journal_head SET size = $1, last_hash = $2, frontier = $3, root = $4, signed_at = $5, \
             key_id = $6, signature = $7 WHERE id = 1",
        )
        .bind(new_size as i64)
        .bind(chain.last_hash.to_vec())
        .bind(chain.frontier.to_bytes())
        .bind(root.to_vec())
        .bind(&chain.recorded_at)
        .bind(signer.key_id())
        .bind(signature.to_vec())
        .execute(&mut *tx)
        .await?;
        if new_size / CHECKPOINT_EVERY > size as u64 / CHECKPOINT_EVERY {
            sqlx::query("INSERT INTO tree_heads (size, root, last_hash, signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(new_size as i64)
                .bind(root.to_vec())
                .bind(chain.last_hash.to_vec())
                .bind(&chain.recorded_at)
                .bind(signer.key_id())
                .bind(signature.to_vec())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(results)
    })
}
