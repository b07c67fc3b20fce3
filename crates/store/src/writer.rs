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
use crate::planning::{upsert_planning, PlanningRow, RegisterState};
use crate::projection::CaseRow;
use crate::reception::{AllowanceRun, HouseholdRow, StructureRow};
use crate::signing::HeadSigner;
use crate::{on_db, Db, Store, StoreError};
use nansen_domain::planning::PlanningCommand;
use nansen_domain::reception::{
    final_decision_notified, Aggregate, Household, ReceptionCommand, ReceptionRules, Structure,
};

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
    /// `Command::Register` with the number already in the command, reserved with
    /// [`Store::reserve_case_number`] (so that letters showing it can be printed before the one
    /// commit that registers): kept as it is. Refused when a case with that number exists.
    RegisterReserved(Command),
    /// An agent account: the row and a journal entry without the password hash.
    CreateAccount(NewAccount),
    /// Links an agent's account to the identity the state's provider vouches for (or unlinks it
    /// with `None`); refused when another account has that identity.
    LinkIdentity { login: String, identity: Option<String> },
    /// A new activation code for the applicant's space of a case (kept as a hash; the previous
    /// password and second factor stop working), journaled without the code, in the same commit
    /// as what issues it (a registration, a reset by the office).
    IssueActivationCode { case: CaseNumber, code_hash: Vec<u8>, expires_at: i64 },
    /// Any other journaled fact (e.g. a read of a file): `payload` is JSON.
    Record { subject: String, kind: String, payload: serde_json::Value },
    /// Changes to the reception agency's households and structures, decided in order and
    /// committed all together or not at all (a placement changes a household and a structure).
    Reception(Vec<ReceptionCommand>),
    /// Changes to the planning's register (firms, interpreters, rooms, officers' calendars),
    /// decided in order with the case's command if there is one (a convocation books the
    /// interpreter, the room and the officer's half-day with it): all committed or none.
    /// The case's commands (a convocation: the scheduling and its letter) are decided after
    /// the register's, in order.
    Planning { commands: Vec<PlanningCommand>, case: Option<(CaseNumber, Vec<Command>)> },
    /// A month's allowance paid: its line in `allowance_runs` and a journal entry; refused when
    /// the month was paid already.
    PayAllowance(AllowanceRun),
    /// A document added to the research division's library (journaled under `library:<id>` with
    /// its passages); refused when the document is there already or the one it replaces is not,
    /// or was replaced already.
    AddLibraryDocument(Box<nansen_domain::research::LibraryEntry>),
    /// A command on a research request (`research:<id>`). For `Ask` the store allocates the id
    /// (`DR-<year>-<n>`, the one in the command is replaced). `note`: the research note that a
    /// review publishing the answer adds to the library, in the same commit, only if the review
    /// is accepted (and the review only if the note is).
    Research {
        id: String,
        command: nansen_domain::research::RequestCommand,
        note: Option<Box<nansen_domain::research::LibraryEntry>>,
    },
    /// A change to the actor's saved searches of the library (`saved-search:<login>`): a new one
    /// (the id in it is replaced by the store's) refused past [`crate::research::SAVED_SEARCHES_MAX`]
    /// or under a name the agent already uses; a visit or a deletion of one of the actor's own.
    SavedSearch(crate::research::SavedSearchChange),
    /// A command on a case's physical file (`file:<label>`), decided by the domain against the
    /// file's state (one holder at a time, a receipt or a return by the agent concerned), with
    /// the archives' rules compiled in (loan periods, categories).
    PhysicalFile { label: String, command: nansen_domain::archives::FileCommand },
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
    /// The value of the identity provider's claim that names this agent (OpenID Connect).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<String>,
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

/// Adds `$2` to the counter `$1` (created at `$2`) and returns its new value: the last of the
/// numbers just taken.
const BUMP_COUNTER: &str = "INSERT INTO counters (name, value) VALUES ($1, $2) \
     ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value";

/// The counter that numbers the cases of `year`.
fn counter_name(year: i32) -> String {
    format!("case-{year}")
}

/// The first of `count` numbers whose last is `last`.
fn first_of(last: i64, count: i64) -> Result<u32, StoreError> {
    u32::try_from(last - count + 1).map_err(|e| corrupt("counters", e))
}

/// A commit's transaction, on either database.
enum Tx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs the same code on the connection of whichever transaction `$tx: &mut Tx` holds, as
/// [`on_db!`] does with pools: the body is compiled once per backend, `$conn` is the connection.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Tx {
    async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

/// The journal as the batch found it.
struct Head {
    size: u64,
    /// The counter of the year allocated with the head's read (PostgreSQL, one-year batch).
    counter: Option<i64>,
}

/// The batch as its operations apply: the cases, the chain, and what changed for the read tables.
struct Batch {
    /// Every case the batch touches, as the operations applied so far left it.
    cases: HashMap<CaseNumber, Case>,
    chain: Chain,
    /// Cases changed by the batch, in first-touch order.
    touched: Vec<CaseNumber>,
    /// Each touched case's last entry, and whether its persons must be (re)written.
    touched_info: HashMap<CaseNumber, (u64, bool)>,
    /// Cases whose documents or originals changed: their `documents`/`originals` rows are rewritten.
    files_changed: BTreeSet<String>,
    /// The statistics facts of the batch's events.
    stats: crate::statistics::StatWrites,
    /// The reception agency's aggregates the batch touched, by journal subject, with their
    /// last entry (0 when loaded and not changed).
    households: HashMap<String, (Household, u64)>,
    structures: HashMap<String, (Structure, u64)>,
    /// Months paid by the batch, with their entry.
    runs: Vec<(AllowanceRun, u64)>,
    /// The planning register's entries the batch touched, like the agency's aggregates.
    register: HashMap<String, (RegisterState, u64)>,
    /// Library documents added by the batch, with who added them and their entry.
    library: Vec<(nansen_domain::research::LibraryEntry, String, u64)>,
    /// Research requests the batch touched, by id: the state and its last entry.
    research: HashMap<String, (nansen_domain::research::ResearchRequest, u64)>,
    /// Physical files the batch touched, by label: the state and its last entry.
    physical_files: HashMap<String, (nansen_domain::archives::PhysicalFile, u64)>,
}

/// One transaction for the whole batch: the phases below, in this order. A batch that appends
/// nothing (every operation refused) is rolled back.
async fn commit_batch(db: &Db, signer: &HeadSigner, rules: &Rules, ops: &[&Op]) -> Result<Vec<OpResult>, StoreError> {
    let (accepted, mut wanted) = numbers_wanted(ops, rules);
    // On PostgreSQL the numbers of a one-year batch are allocated with the head's read.
    let postgres = matches!(db, Db::Postgres(_));
    let merged_year = if postgres && wanted.len() == 1 { wanted.pop_first() } else { None };
    let (mut tx, head, chain) = lock_and_read_head(db, merged_year).await?;
    let mut next_number = allocate_numbers(&mut tx, merged_year, head.counter, wanted).await?;
    let cases = load_cases(&mut tx, ops).await?;
    let mut batch = Batch {
        cases,
        chain,
        touched: Vec::new(),
        touched_info: HashMap::new(),
        files_changed: BTreeSet::new(),
        stats: Default::default(),
        households: HashMap::new(),
        structures: HashMap::new(),
        runs: Vec::new(),
        register: HashMap::new(),
        library: Vec::new(),
        research: HashMap::new(),
        physical_files: HashMap::new(),
    };
    let results = apply_ops(&mut tx, ops, &accepted, rules, &mut next_number, &mut batch).await?;
    if batch.chain.pending.is_empty() {
        tx.rollback().await?;
        return Ok(results);
    }
    let (rows, with_persons) = project_rows(&batch, rules)?;
    sign_and_write(&mut tx, signer, &batch, head.size, &rows, &with_persons).await?;
    tx.commit().await?;
    Ok(results)
}

/// Registrations the domain accepts get consecutive numbers, allocated for the whole batch with
/// one statement per year (a refused registration takes no number): which operations take one,
/// and how many each year needs. Decided before the transaction, so that it stays short.
fn numbers_wanted(ops: &[&Op], rules: &Rules) -> (Vec<bool>, BTreeMap<i32, i64>) {
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
    (accepted, wanted)
}

/// Opens the transaction with the lock, so that batches never interleave, and reads the journal
/// head the batch's chain grows from (with `merged_year`'s numbers on PostgreSQL: one round trip).
async fn lock_and_read_head(db: &Db, merged_year: Option<(i32, i64)>) -> Result<(Tx, Head, Chain), StoreError> {
    // The lock comes first: on PostgreSQL the head's row lock is taken in the same round trip as
    // BEGIN; on SQLite BEGIN IMMEDIATE takes the write lock.
    let postgres = matches!(db, Db::Postgres(_));
    let begin = if postgres { "BEGIN; UPDATE journal_head SET size = size WHERE id = 1" } else { "BEGIN IMMEDIATE" };
    let mut tx = match db {
        Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with(begin).await?),
        Db::Postgres(pool) => Tx::Postgres(pool.begin_with(begin).await?),
    };
    let (size, last_hash, frontier, counter) = on_tx!(&mut tx, conn => {
        let head = match merged_year {
            Some((year, count)) => sqlx::query(
                "WITH c AS (INSERT INTO counters (name, value) VALUES ($1, $2) \
                 ON CONFLICT (name) DO UPDATE SET value = counters.value + excluded.value RETURNING value) \
                 SELECT size, last_hash, frontier, (SELECT value FROM c) AS counter FROM journal_head WHERE id = 1",
            )
            .bind(counter_name(year))
            .bind(count)
            .fetch_one(&mut *conn)
            .await?,
            None => sqlx::query(
                "SELECT size, last_hash, frontier, CAST(NULL AS BIGINT) AS counter FROM journal_head WHERE id = 1",
            )
            .fetch_one(&mut *conn)
            .await?,
        };
        let size: i64 = head.try_get("size")?;
        let last_hash: Vec<u8> = head.try_get("last_hash")?;
        let frontier: Vec<u8> = head.try_get("frontier")?;
        let counter: Option<i64> = match merged_year {
            Some(_) => Some(head.try_get("counter")?),
            None => None,
        };
        (size, last_hash, frontier, counter)
    });
    let last_hash = to_hash(&last_hash).ok_or_else(|| corrupt("journal_head", "last_hash is not 32 bytes"))?;
    let frontier = Frontier::from_bytes(&frontier).ok_or_else(|| corrupt("journal_head", "frontier is malformed"))?;
    if frontier.size() != size as u64 {
        return Err(corrupt("journal_head", "frontier size differs from the journal size"));
    }
    let chain = Chain {
        next_seq: size as u64 + 1,
        last_hash,
        frontier,
        recorded_at: OffsetDateTime::now_utc().format(&Rfc3339).map_err(|e| corrupt("clock", e))?,
        pending: Vec::new(),
    };
    Ok((tx, Head { size: size as u64, counter }, chain))
}

/// Takes the numbers the accepted registrations need from each year's counter (the merged year's
/// were taken with the head, its counter's new value is `merged_counter`); returns the first
/// number of each year.
async fn allocate_numbers(
    tx: &mut Tx,
    merged_year: Option<(i32, i64)>,
    merged_counter: Option<i64>,
    wanted: BTreeMap<i32, i64>,
) -> Result<BTreeMap<i32, u32>, StoreError> {
    let mut next_number: BTreeMap<i32, u32> = BTreeMap::new();
    if let (Some((year, count)), Some(last)) = (merged_year, merged_counter) {
        next_number.insert(year, first_of(last, count)?);
    }
    for (year, count) in wanted {
        let last: i64 = on_tx!(&mut *tx, conn => {
            let row = sqlx::query(BUMP_COUNTER).bind(counter_name(year)).bind(count).fetch_one(&mut *conn).await?;
            row.try_get("value")?
        });
        next_number.insert(year, first_of(last, count)?);
    }
    Ok(next_number)
}

/// The current state of every case the batch touches (or registers with a reserved number, to
/// refuse a number already taken), read in one statement per chunk.
async fn load_cases(tx: &mut Tx, ops: &[&Op]) -> Result<HashMap<CaseNumber, Case>, StoreError> {
    let mut cases: HashMap<CaseNumber, Case> = HashMap::new();
    let wanted_cases: BTreeSet<String> = ops
        .iter()
        .filter_map(|op| match &op.action {
            Action::Case { number, .. } => Some(number.to_string()),
            Action::Planning { case: Some((number, _)), .. } => Some(number.to_string()),
            Action::RegisterReserved(Command::Register(registration)) => Some(registration.number.to_string()),
            _ => None,
        })
        .collect();
    let wanted_cases: Vec<String> = wanted_cases.into_iter().collect();
    for chunk in wanted_cases.chunks(crate::projection::CASE_CHUNK) {
        let stored: Vec<(String, String)> = on_tx!(&mut *tx, conn => {
            let mut q = QueryBuilder::new("SELECT number, state FROM cases WHERE number IN (");
            let mut list = q.separated(", ");
            for number in chunk {
                list.push_bind(number.clone());
            }
            q.push(")");
            let mut stored = Vec::new();
            for row in q.build().fetch_all(&mut *conn).await? {
                stored.push((row.try_get("number")?, row.try_get("state")?));
            }
            stored
        });
        for (number, state) in stored {
            let case: Case = serde_json::from_str(&state).map_err(|e| corrupt(&case_subject(&number), e))?;
            cases.insert(case.number, case);
        }
    }
    Ok(cases)
}

/// Decides each operation in order, against the cases as the earlier operations of the batch
/// left them, and appends what it did to the chain. A refusal is that operation's result and
/// changes nothing; the others still apply.
async fn apply_ops(
    tx: &mut Tx,
    ops: &[&Op],
    accepted: &[bool],
    rules: &Rules,
    next_number: &mut BTreeMap<i32, u32>,
    batch: &mut Batch,
) -> Result<Vec<OpResult>, StoreError> {
    let mut results = Vec::with_capacity(ops.len());
    for (op, accepted) in ops.iter().zip(accepted) {
        let actor = op.actor.as_str();
        let result = match &op.action {
            Action::Record { subject, kind, payload } => {
                let seq = batch.chain.push(actor, subject, kind, payload.to_string());
                Ok(Applied { subject: subject.clone(), seqs: seq..=seq, events: vec![], case: None })
            }
            Action::CreateAccount(account) => create_account(tx, actor, account, &mut batch.chain).await?,
            Action::LinkIdentity { login, identity } => {
                link_identity(tx, actor, login, identity.as_deref(), &mut batch.chain).await?
            }
            Action::Reception(commands) => apply_reception(tx, op, commands, batch).await?,
            Action::Planning { commands, case } => {
                apply_planning(tx, op, commands, case.as_ref(), rules, batch).await?
            }
            Action::PayAllowance(run) => pay_allowance(tx, op, run, batch).await?,
            Action::AddLibraryDocument(entry) => add_library_document(tx, op, entry, batch).await?,
            Action::Research { id, command, note } => research(tx, op, id, command, note.as_deref(), batch).await?,
            Action::PhysicalFile { label, command } => physical_file(tx, op, label, command, batch).await?,
            Action::SavedSearch(change) => saved_search(tx, op, change, batch).await?,
            Action::IssueActivationCode { case, code_hash, expires_at } => {
                issue_activation_code(tx, actor, *case, code_hash, *expires_at, &mut batch.chain).await?
            }
            Action::Case { number, command } => match batch.cases.get(number) {
                Some(case) => {
                    let before = case.clone();
                    apply_command(op, *number, before, command.clone(), rules, batch)?
                }
                None => Err(DomainError::Validation { field: "number", reason: format!("there is no case {number}") }),
            },
            Action::Register(command) => {
                let (number, command) = numbered(command, *accepted, op.now.year(), next_number)?;
                apply_command(op, number, Case::initial(), command, rules, batch)?
            }
            Action::RegisterReserved(command) => {
                let number = match command {
                    Command::Register(registration) => registration.number,
                    _ => CaseNumber::PLACEHOLDER,
                };
                // Already registered, before this batch or earlier in it.
                if batch.cases.contains_key(&number) {
                    Err(DomainError::Validation {
                        field: "number",
                        reason: format!("the case {number} already exists"),
                    })
                } else {
                    apply_command(op, number, Case::initial(), command.clone(), rules, batch)?
                }
            }
        };
        results.push(result);
    }
    Ok(results)
}

/// An agent account: its row, and a journal entry without the password hash. A login that exists
/// already is refused.
async fn create_account(
    tx: &mut Tx,
    actor: &str,
    account: &NewAccount,
    chain: &mut Chain,
) -> Result<OpResult, StoreError> {
    let subject = format!("account:{}", account.login);
    let exists = on_tx!(&mut *tx, conn => {
        sqlx::query("SELECT 1 FROM accounts WHERE login = $1")
            .bind(&account.login)
            .fetch_optional(&mut *conn)
            .await?
            .is_some()
    });
    if exists {
        return Ok(Err(DomainError::Validation {
            field: "login",
            reason: format!("the account {} already exists", account.login),
        }));
    }
    on_tx!(&mut *tx, conn => {
        sqlx::query("INSERT INTO accounts (login, display_name, role, division, section, password_hash, created_at, identity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(&account.login)
            .bind(&account.display_name)
            .bind(&account.role)
            .bind(&account.division)
            .bind(account.section)
            .bind(&account.password_hash)
            .bind(&chain.recorded_at)
            .bind(&account.identity)
            .execute(&mut *conn)
            .await?;
    });
    let payload = serde_json::to_string(account).map_err(|e| corrupt(&subject, e))?;
    let seq = chain.push(actor, &subject, "account_created", payload);
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// An agent's identity at the provider: the row and a journal entry. A login that does not exist,
/// or an identity another account has, is refused.
async fn link_identity(
    tx: &mut Tx,
    actor: &str,
    login: &str,
    identity: Option<&str>,
    chain: &mut Chain,
) -> Result<OpResult, StoreError> {
    let subject = format!("account:{login}");
    let holder: Option<String> = match identity {
        None => None,
        Some(identity) => on_tx!(&mut *tx, conn => {
            sqlx::query_scalar("SELECT login FROM accounts WHERE identity = $1")
                .bind(identity)
                .fetch_optional(&mut *conn)
                .await?
        }),
    };
    if let Some(other) = holder.filter(|other| other != login) {
        return Ok(Err(DomainError::Validation {
            field: "identity",
            reason: format!("the account {other} has this identity already"),
        }));
    }
    let updated = on_tx!(&mut *tx, conn => {
        sqlx::query("UPDATE accounts SET identity = $1 WHERE login = $2")
            .bind(identity)
            .bind(login)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if updated == 0 {
        return Ok(Err(DomainError::Validation { field: "login", reason: format!("no account {login}") }));
    }
    let payload = serde_json::json!({ "identity": identity }).to_string();
    let seq = chain.push(actor, &subject, "account.identity_linked", payload);
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// An applicant's activation code: the account's row (created or reset) and a journal entry
/// without the code.
async fn issue_activation_code(
    tx: &mut Tx,
    actor: &str,
    case: CaseNumber,
    code_hash: &[u8],
    expires_at: i64,
    chain: &mut Chain,
) -> Result<OpResult, StoreError> {
    let number = case.to_string();
    on_tx!(&mut *tx, conn => {
        sqlx::query(
            "INSERT INTO portal_accounts (case_number, code_hash, code_expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (case_number) DO UPDATE SET code_hash = excluded.code_hash, \
             code_expires_at = excluded.code_expires_at, password_hash = NULL, totp_secret = NULL, \
             failed_logins = 0, locked_until = NULL",
        )
        .bind(&number)
        .bind(code_hash)
        .bind(expires_at)
        .execute(&mut *conn)
        .await?;
    });
    let expires =
        OffsetDateTime::from_unix_timestamp(expires_at).ok().and_then(|t| t.format(&Rfc3339).ok()).unwrap_or_default();
    let subject = format!("portal:{number}");
    let payload = serde_json::json!({ "expires_at": expires }).to_string();
    let seq = chain.push(actor, &subject, "portal.activation_code_issued", payload);
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// A registration's command with the number it takes: the next of its year when the domain
/// accepts it. A refused one keeps the placeholder and gets the domain's reason when decided.
fn numbered(
    command: &Command,
    accepted: bool,
    year: i32,
    next_number: &mut BTreeMap<i32, u32>,
) -> Result<(CaseNumber, Command), StoreError> {
    match command {
        Command::Register(registration) => {
            let mut registration = registration.clone();
            if accepted {
                let next = next_number.get_mut(&year).ok_or_else(|| corrupt("counters", year))?;
                registration.number = CaseNumber::new(year, *next).map_err(|e| corrupt("counters", e))?;
                *next += 1;
            }
            Ok((registration.number, Command::Register(registration)))
        }
        other => Ok((CaseNumber::PLACEHOLDER, other.clone())),
    }
}

/// Decides one command on a case, evolves the case by its events and chains them; records what
/// changed for the read tables.
fn apply_command(
    op: &Op,
    number: CaseNumber,
    before: Case,
    command: Command,
    rules: &Rules,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    let ctx = Ctx { actor: op.actor.clone(), now: op.now, rules };
    let events = match decide(&before, &command, &ctx) {
        Ok(events) => events,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let subject = case_subject(&number.to_string());
    let mut case = before;
    let mut first = None;
    let mut last = 0;
    let mut registered = false;
    let number_text = number.to_string();
    for event in &events {
        let status_before = case.status;
        case = evolve(case, event);
        registered |= matches!(event, Event::Registered { .. });
        if matches!(
            event,
            Event::DocumentsAttached { .. }
                | Event::OriginalReceived { .. }
                | Event::CustodyChanged { .. }
                | Event::MessageReceived { .. }
                | Event::ActDrawnUp { .. }
                | Event::MentionAdded { .. }
                | Event::CopyIssued { .. }
                | Event::FgmFollowUpOpened { .. }
                | Event::FgmLetterSent { .. }
                | Event::FgmCertificateReceived { .. }
                | Event::FgmReportPrepared { .. }
                | Event::FgmExaminationAdvanced { .. }
                | Event::FgmReportSigned { .. }
                | Event::EndingOpened { .. }
                | Event::EndingAnswered { .. }
                | Event::EndingDrafted { .. }
                | Event::EndingDecided { .. }
        ) {
            batch.files_changed.insert(number.to_string());
        }
        let payload = serde_json::to_string(event).map_err(|e| corrupt(&subject, e))?;
        last = batch.chain.push(op.actor.as_str(), &subject, event.kind(), payload);
        first.get_or_insert(last);
        batch.stats.record(last, &number_text, status_before, &case, event);
    }
    if let Some(first) = first {
        match batch.touched_info.get_mut(&number) {
            Some(info) => *info = (last, info.1 || registered),
            None => {
                batch.touched.push(number);
                batch.touched_info.insert(number, (last, registered));
            }
        }
        batch.cases.insert(number, case.clone());
        Ok(Ok(Applied { subject, seqs: first..=last, events, case: Some(case) }))
    } else {
        // An empty range: the command changed nothing, so nothing was appended.
        let seqs = std::ops::RangeInclusive::new(1, 0);
        Ok(Ok(Applied { subject, seqs, events, case: Some(case) }))
    }
}

/// The read tables' rows of every case the batch changed, and which of them were registered in
/// this batch (their persons are written with them).
fn project_rows(batch: &Batch, rules: &Rules) -> Result<(Vec<CaseRow>, Vec<usize>), StoreError> {
    let mut rows = Vec::with_capacity(batch.touched.len());
    let mut with_persons = Vec::new();
    for number in &batch.touched {
        let (Some(case), Some((last, registered))) = (batch.cases.get(number), batch.touched_info.get(number)) else {
            continue;
        };
        let row = CaseRow::of(case, rules, *last).map_err(|e| corrupt(&case_subject(&number.to_string()), e))?;
        if *registered {
            with_persons.push(rows.len());
        }
        rows.push(row);
    }
    Ok((rows, with_persons))
}

/// Signs the new tree head and writes everything in the transaction: journal entries, case rows,
/// new persons, the head (and a checkpoint when the journal crossed a multiple of
/// [`CHECKPOINT_EVERY`]), then the documents and originals of the cases whose files changed.
async fn sign_and_write(
    tx: &mut Tx,
    signer: &HeadSigner,
    batch: &Batch,
    size: u64,
    rows: &[CaseRow],
    with_persons: &[usize],
) -> Result<(), StoreError> {
    let chain = &batch.chain;
    let row_refs: Vec<&CaseRow> = rows.iter().collect();
    // Persons are written with the registration only (a new case has none yet).
    let new_cases: Vec<&CaseRow> = with_persons.iter().map(|&i| &rows[i]).collect();
    let persons = crate::projection::persons_of(&new_cases);
    let name_keys = crate::projection::name_keys_of(&new_cases);
    let new_size = chain.next_seq - 1;
    let root = chain.frontier.root();
    let signature = signer.sign_head(new_size, &root, &chain.last_hash);
    let checkpoint = new_size / CHECKPOINT_EVERY > size / CHECKPOINT_EVERY;
    let writes = BatchWrites {
        entries: &chain.pending,
        cases: &row_refs,
        persons: &persons,
        name_keys: &name_keys,
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
    let with_files: Vec<&CaseRow> = rows.iter().filter(|row| batch.files_changed.contains(&row.number)).collect();
    let reception = ReceptionWrites::of(batch)?;
    let mut register_rows = Vec::new();
    for (subject, (state, seq)) in &batch.register {
        if *seq > 0 {
            register_rows.push(state.row(subject, *seq)?);
        }
    }
    register_rows.sort_by(|a, b| a.subject.cmp(&b.subject));
    let mut research_rows = Vec::with_capacity(batch.research.len());
    for (id, (request, seq)) in &batch.research {
        research_rows.push(
            crate::research::ResearchRequestRow::of(request, *seq as i64)
                .map_err(|e| corrupt(&format!("research:{id}"), e))?,
        );
    }
    research_rows.sort_by(|a, b| a.id.cmp(&b.id));
    let mut file_rows = Vec::with_capacity(batch.physical_files.len());
    for (label, (file, seq)) in &batch.physical_files {
        file_rows.push(
            crate::archives::PhysicalFileRow::of(file, *seq as i64)
                .map_err(|e| corrupt(&format!("file:{label}"), e))?,
        );
    }
    file_rows.sort_by(|a, b| a.label.cmp(&b.label));
    on_tx!(tx, conn => {
        let households: Vec<&HouseholdRow> = reception.households.iter().collect();
        let structures: Vec<&StructureRow> = reception.structures.iter().collect();
        upsert_households!(conn, households);
        upsert_structures!(conn, structures);
        for (run, seq) in &reception.runs {
            insert_allowance_run!(conn, run, *seq);
        }
        write_final_decisions!(conn, reception.finals_set, reception.finals_clear);
        let planning: Vec<&PlanningRow> = register_rows.iter().collect();
        upsert_planning!(conn, planning);
        for (entry, actor, seq) in &batch.library {
            crate::library::insert_library_document!(conn, entry, actor, *seq as i64);
        }
        for row in &research_rows {
            crate::research::upsert_research_request!(conn, row);
        }
        for row in &file_rows {
            crate::archives::upsert_physical_file!(conn, row);
        }
        WriteBatch::write_batch(&mut *conn, &writes).await?;
        if !with_files.is_empty() {
            replace_files!(conn, with_files);
        }
        if !batch.stats.is_empty() {
            crate::statistics::write_stats!(conn, &batch.stats);
        }
    });
    Ok(())
}

impl Store {
    /// Takes the next case number of `year` ahead of the registration, in its own transaction:
    /// the same counter as the writer's, so no registration takes it after. Pass it in the
    /// registration and submit [`Action::RegisterReserved`]. A reserved number that is never
    /// registered is a gap in the year's numbering.
    pub async fn reserve_case_number(&self, year: i32) -> Result<CaseNumber, StoreError> {
        CaseNumber::new(year, 1).map_err(|e| StoreError::WriteFailed(e.to_string()))?;
        let last = self.bump_counter(&counter_name(year)).await?;
        let seq = u32::try_from(last).map_err(|e| corrupt("counters", e))?;
        CaseNumber::new(year, seq).map_err(|e| corrupt("counters", e))
    }

    /// Adds one to a counter in its own transaction and returns its new value.
    pub(crate) async fn bump_counter(&self, name: &str) -> Result<i64, StoreError> {
        on_db!(self.db(), pool => {
            let postgres = matches!(self.db(), Db::Postgres(_));
            let mut tx = pool.begin_with(if postgres { "BEGIN" } else { "BEGIN IMMEDIATE" }).await?;
            let row = sqlx::query(BUMP_COUNTER).bind(name).bind(1_i64).fetch_one(&mut *tx).await?;
            let last: i64 = row.try_get("value")?;
            tx.commit().await?;
            Ok(last)
        })
    }
}

/// Reads an agency aggregate's state in the transaction, unless the batch holds it already.
async fn load_reception(tx: &mut Tx, batch: &mut Batch, subject: &str) -> Result<(), StoreError> {
    let (table, key_col, key) = if let Some(id) = subject.strip_prefix("household:") {
        if batch.households.contains_key(subject) {
            return Ok(());
        }
        ("households", "id", id)
    } else if let Some(code) = subject.strip_prefix("structure:") {
        if batch.structures.contains_key(subject) {
            return Ok(());
        }
        ("structures", "code", code)
    } else {
        return Ok(());
    };
    let sql = format!("SELECT state FROM {table} WHERE {key_col} = $1");
    let state: Option<String> = on_tx!(&mut *tx, conn => {
        match sqlx::query(&sql).bind(key.to_owned()).fetch_optional(&mut *conn).await? {
            Some(row) => Some(row.try_get("state")?),
            None => None,
        }
    });
    if table == "households" {
        let h: Household = match state {
            Some(s) => serde_json::from_str(&s).map_err(|e| corrupt(subject, e))?,
            None => Household::default(),
        };
        batch.households.insert(subject.to_owned(), (h, 0));
    } else {
        let st: Structure = match state {
            Some(s) => serde_json::from_str(&s).map_err(|e| corrupt(subject, e))?,
            None => Structure::default(),
        };
        batch.structures.insert(subject.to_owned(), (st, 0));
    }
    Ok(())
}

/// Decides the agency's commands in order, against the states as the earlier ones left them;
/// the first refusal refuses them all and nothing is appended.
async fn apply_reception(
    tx: &mut Tx,
    op: &Op,
    commands: &[ReceptionCommand],
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    let rules = ReceptionRules::embedded();
    let today = op.now.date();
    for command in commands {
        load_reception(tx, batch, &command.subject()).await?;
    }
    // Decide on copies: the batch's states change only once every command is accepted.
    let mut households: HashMap<String, Household> = HashMap::new();
    let mut structures: HashMap<String, Structure> = HashMap::new();
    let mut decided: Vec<(String, &'static str, String)> = Vec::new();
    for command in commands {
        let subject = command.subject();
        let decision = match command {
            ReceptionCommand::Household { command, .. } => {
                decide_one(&mut households, &batch.households, subject, command, rules, today, &mut decided)?
            }
            ReceptionCommand::Structure { command, .. } => {
                decide_one(&mut structures, &batch.structures, subject, command, rules, today, &mut decided)?
            }
        };
        if let Err(refusal) = decision {
            return Ok(Err(refusal));
        }
    }
    let mut first = None;
    let mut last = 0;
    let mut lasts: HashMap<String, u64> = HashMap::new();
    for (subject, kind, payload) in decided {
        last = batch.chain.push(op.actor.as_str(), &subject, kind, payload);
        first.get_or_insert(last);
        lasts.insert(subject, last);
    }
    for (subject, h) in households {
        let seq = lasts.get(&subject).copied().unwrap_or(0);
        batch.households.insert(subject, (h, seq));
    }
    for (subject, s) in structures {
        let seq = lasts.get(&subject).copied().unwrap_or(0);
        batch.structures.insert(subject, (s, seq));
    }
    let subject = commands.first().map(|c| c.subject()).unwrap_or_default();
    let seqs = match first {
        Some(first) => first..=last,
        None => std::ops::RangeInclusive::new(1, 0),
    };
    Ok(Ok(Applied { subject, seqs, events: vec![], case: None }))
}

/// Decides one command on an agency aggregate, against the state the earlier commands of the
/// operation left (`pending`) or the batch holds (`stored`); appends its events to `decided`.
fn decide_one<A: Aggregate>(
    pending: &mut HashMap<String, A>,
    stored: &HashMap<String, (A, u64)>,
    subject: String,
    command: &A::Command,
    rules: &ReceptionRules,
    today: time::Date,
    decided: &mut Vec<(String, &'static str, String)>,
) -> Result<Result<(), DomainError>, StoreError> {
    let state = match pending.remove(&subject) {
        Some(s) => s,
        None => stored.get(&subject).map(|(s, _)| s.clone()).unwrap_or_default(),
    };
    let events = match state.decide_on(command, rules, today) {
        Ok(events) => events,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut state = state;
    for event in &events {
        state = state.evolve_by(event);
        let payload = serde_json::to_string(event).map_err(|e| corrupt(&subject, e))?;
        decided.push((subject.clone(), A::kind(event), payload));
    }
    pending.insert(subject, state);
    Ok(Ok(()))
}

/// Decides the register's commands in order against the states as the earlier ones left them,
/// then the case's command if there is one; the first refusal refuses them all and nothing is
/// appended.
async fn apply_planning(
    tx: &mut Tx,
    op: &Op,
    commands: &[PlanningCommand],
    case: Option<&(CaseNumber, Vec<Command>)>,
    rules: &Rules,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    let today = op.now.date();
    for command in commands {
        let subject = command.subject();
        if batch.register.contains_key(&subject) {
            continue;
        }
        let stored: Option<String> = on_tx!(&mut *tx, conn => {
            match sqlx::query("SELECT state FROM planning_register WHERE subject = $1")
                .bind(&subject)
                .fetch_optional(&mut *conn)
                .await?
            {
                Some(row) => Some(row.try_get("state")?),
                None => None,
            }
        });
        let state = match stored {
            Some(s) => RegisterState::parse(&subject, &s)?,
            None => RegisterState::empty(&subject).ok_or_else(|| corrupt(&subject, "not a register subject"))?,
        };
        batch.register.insert(subject, (state, 0));
    }
    // Decide on copies: the batch's states change only once every command is accepted.
    let mut pending: HashMap<String, RegisterState> = HashMap::new();
    let mut decided: Vec<(String, &'static str, String)> = Vec::new();
    for command in commands {
        let subject = command.subject();
        let state = match pending.remove(&subject) {
            Some(s) => s,
            None => {
                batch.register.get(&subject).map(|(s, _)| s.clone()).ok_or_else(|| corrupt(&subject, "not loaded"))?
            }
        };
        match state.decide(command, today)? {
            Ok((state, events)) => {
                decided.extend(events.into_iter().map(|(kind, payload)| (subject.clone(), kind, payload)));
                pending.insert(subject, state);
            }
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    // The case's commands are tried on a copy first, so that none applies unless all do.
    let mut case_applied: Option<Applied> = None;
    if let Some((number, commands)) = case {
        let Some(before) = batch.cases.get(number).cloned() else {
            return Ok(Err(DomainError::Validation { field: "number", reason: format!("there is no case {number}") }));
        };
        let ctx = Ctx { actor: op.actor.clone(), now: op.now, rules };
        let mut probe = before;
        for command in commands {
            match decide(&probe, command, &ctx) {
                Ok(events) => probe = events.iter().fold(probe, evolve),
                Err(refusal) => return Ok(Err(refusal)),
            }
        }
        for command in commands {
            let before = batch.cases.get(number).cloned().ok_or_else(|| corrupt(&number.to_string(), "case lost"))?;
            match apply_command(op, *number, before, command.clone(), rules, batch)? {
                Ok(applied) => {
                    case_applied = Some(match case_applied.take() {
                        Some(earlier) if !earlier.seqs.is_empty() && !applied.seqs.is_empty() => Applied {
                            seqs: *earlier.seqs.start()..=*applied.seqs.end(),
                            events: earlier.events.into_iter().chain(applied.events.clone()).collect(),
                            ..applied
                        },
                        Some(earlier) if applied.seqs.is_empty() => Applied { case: applied.case, ..earlier },
                        _ => applied,
                    })
                }
                Err(refusal) => {
                    return Err(corrupt(&number.to_string(), format!("decided twice differently: {refusal}")))
                }
            }
        }
    }
    let mut first = case_applied.as_ref().and_then(|a| (!a.seqs.is_empty()).then(|| *a.seqs.start()));
    let mut last = case_applied.as_ref().map(|a| *a.seqs.end()).unwrap_or(0);
    let mut lasts: HashMap<String, u64> = HashMap::new();
    for (subject, kind, payload) in decided {
        last = batch.chain.push(op.actor.as_str(), &subject, kind, payload);
        first.get_or_insert(last);
        lasts.insert(subject, last);
    }
    for (subject, state) in pending {
        let seq = lasts.get(&subject).copied().unwrap_or(0);
        batch.register.insert(subject, (state, seq));
    }
    let seqs = match first {
        Some(first) => first..=last,
        None => std::ops::RangeInclusive::new(1, 0),
    };
    Ok(Ok(match case_applied {
        Some(applied) => Applied { seqs, ..applied },
        None => Applied {
            subject: commands.first().map(|c| c.subject()).unwrap_or_default(),
            seqs,
            events: vec![],
            case: None,
        },
    }))
}

/// A month's payment: refused when the month was paid, before this batch or in it.
/// A library document: refused when its id is taken, or when the document it replaces is not in
/// the library or was replaced already (a version replaces one version).
async fn add_library_document(
    tx: &mut Tx,
    op: &Op,
    entry: &nansen_domain::research::LibraryEntry,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    let id = entry.document.id.clone();
    let in_batch = |id: &str| batch.library.iter().find(|(e, _, _)| e.document.id == id).map(|(e, _, _)| e.clone());
    if in_batch(&id).is_some() || stored_library_document(tx, &id).await?.is_some() {
        return Ok(Err(DomainError::Validation {
            field: "file",
            reason: format!("this file is in the library already, as {id}"),
        }));
    }
    if let Some(replaced) = &entry.document.replaces {
        let replaced_in_batch = batch.library.iter().any(|(e, _, _)| e.document.replaces.as_deref() == Some(replaced));
        let state =
            if in_batch(replaced).is_some() { Some((None,)) } else { stored_library_document(tx, replaced).await? };
        match state {
            None => {
                return Ok(Err(DomainError::Validation {
                    field: "replaces",
                    reason: format!("there is no document {replaced} in the library"),
                }))
            }
            Some((Some(newer),)) => {
                return Ok(Err(DomainError::Validation {
                    field: "replaces",
                    reason: format!("{replaced} was replaced already, by {newer}"),
                }))
            }
            Some((None,)) if replaced_in_batch => {
                return Ok(Err(DomainError::Validation {
                    field: "replaces",
                    reason: format!("{replaced} is being replaced already"),
                }))
            }
            Some((None,)) => {}
        }
    }
    let subject = format!("library:{id}");
    let payload = serde_json::to_string(entry).map_err(|e| corrupt(&subject, e))?;
    let seq = batch.chain.push(op.actor.as_str(), &subject, crate::library::DOCUMENT_ADDED, payload);
    batch.library.push((entry.clone(), op.actor.as_str().to_owned(), seq));
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// A command on a research request, decided against its state in the batch or the store.
/// An aggregate's state as its read table keeps it (`SELECT state FROM {table} WHERE {key} = $1`),
/// `None` when there is no row.
async fn stored_state<T: serde::de::DeserializeOwned>(
    tx: &mut Tx,
    table: &str,
    key: &str,
    id: &str,
    subject: &str,
) -> Result<Option<T>, StoreError> {
    let sql = format!("SELECT state FROM {table} WHERE {key} = $1");
    let stored: Option<(String,)> = on_tx!(&mut *tx, conn => {
        sqlx::query_as(&sql).bind(id.to_owned()).fetch_optional(&mut *conn).await?
    });
    stored.map(|(state,)| serde_json::from_str(&state).map_err(|e| corrupt(subject, e))).transpose()
}

/// An event of an aggregate journaled under its own subject, with its kind.
trait Journaled: serde::Serialize {
    fn kind(&self) -> &'static str;
}

impl Journaled for nansen_domain::archives::FileEvent {
    fn kind(&self) -> &'static str {
        nansen_domain::archives::FileEvent::kind(self)
    }
}

impl Journaled for nansen_domain::research::RequestEvent {
    fn kind(&self) -> &'static str {
        nansen_domain::research::RequestEvent::kind(self)
    }
}

/// Journals an aggregate's events under `subject` in order, folding each into `state`: the new
/// state, its last entry, and what the op applied (from `first`, when the op journaled something
/// before them).
fn journal_events<S, E: Journaled>(
    batch: &mut Batch,
    op: &Op,
    subject: String,
    mut state: S,
    events: &[E],
    evolve: impl Fn(S, &E) -> S,
    mut first: Option<u64>,
) -> Result<(S, u64, Applied), StoreError> {
    let mut last = 0;
    for event in events {
        let payload = serde_json::to_string(event).map_err(|e| corrupt(&subject, e))?;
        last = batch.chain.push(op.actor.as_str(), &subject, event.kind(), payload);
        first.get_or_insert(last);
        state = evolve(state, event);
    }
    let seqs = match first {
        Some(first) => first..=last,
        None => std::ops::RangeInclusive::new(1, 0),
    };
    Ok((state, last, Applied { subject, seqs, events: vec![], case: None }))
}

async fn physical_file(
    tx: &mut Tx,
    op: &Op,
    label: &str,
    command: &nansen_domain::archives::FileCommand,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    use nansen_domain::archives::{FileCommand, PhysicalFile};
    let subject = format!("file:{label}");
    let state = match batch.physical_files.get(label) {
        Some((state, _)) => state.clone(),
        None => match stored_state::<PhysicalFile>(tx, "physical_files", "label", label, &subject).await? {
            Some(state) => state,
            None if matches!(command, FileCommand::Place { .. }) => PhysicalFile::default(),
            None => {
                return Ok(Err(DomainError::Validation {
                    field: "file",
                    reason: format!("there is no physical file {label}"),
                }))
            }
        },
    };
    // The label in the command is the file's: a placement under another label is refused.
    if let FileCommand::Place { label: placed, .. } = command {
        if placed.trim() != label {
            return Ok(Err(DomainError::Validation {
                field: "label",
                reason: "the label placed is the file's own".into(),
            }));
        }
    }
    let events = match state.decide(command, &op.actor, op.now.date(), crate::archives::rules()?) {
        Ok(events) => events,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let (state, last, applied) = journal_events(batch, op, subject, state, &events, PhysicalFile::evolve, None)?;
    batch.physical_files.insert(label.to_owned(), (state, last));
    Ok(Ok(applied))
}

async fn research(
    tx: &mut Tx,
    op: &Op,
    id: &str,
    command: &nansen_domain::research::RequestCommand,
    note: Option<&nansen_domain::research::LibraryEntry>,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    use nansen_domain::research::{RequestCommand, ResearchRequest};
    let mut command = command.clone();
    let id = match &mut command {
        RequestCommand::Ask { id: asked, .. } => {
            let year = op.now.year();
            let prefix = format!("DR-{year}-");
            let stored: i64 = on_tx!(&mut *tx, conn => {
                sqlx::query("SELECT COUNT(*) AS n FROM research_requests WHERE id LIKE $1")
                    .bind(format!("{prefix}%"))
                    .fetch_one(&mut *conn)
                    .await?
                    .try_get("n")?
            });
            let in_batch = batch.research.keys().filter(|k| k.starts_with(&prefix)).count() as i64;
            *asked = format!("{prefix}{:05}", stored + in_batch + 1);
            asked.clone()
        }
        _ => id.to_owned(),
    };
    let subject = format!("research:{id}");
    let state = match batch.research.get(&id) {
        Some((state, _)) => state.clone(),
        None => match stored_state::<ResearchRequest>(tx, "research_requests", "id", &id, &subject).await? {
            Some(state) => state,
            None if matches!(command, RequestCommand::Ask { .. }) => ResearchRequest::default(),
            None => {
                return Ok(Err(DomainError::Validation {
                    field: "request",
                    reason: format!("there is no research request {id}"),
                }))
            }
        },
    };
    let events = match state.decide(&command, &op.actor, op.now.date()) {
        Ok(events) => events,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let mut first = None;
    if let Some(note) = note {
        match add_library_document(tx, op, note, batch).await? {
            Ok(applied) => first = Some(*applied.seqs.start()),
            Err(refusal) => return Ok(Err(refusal)),
        }
    }
    let (state, last, applied) = journal_events(batch, op, subject, state, &events, ResearchRequest::evolve, first)?;
    batch.research.insert(id, (state, last));
    Ok(Ok(applied))
}

/// A change to the actor's saved searches, checked and written in the transaction.
async fn saved_search(
    tx: &mut Tx,
    op: &Op,
    change: &crate::research::SavedSearchChange,
    batch: &mut Batch,
) -> Result<OpResult, StoreError> {
    use crate::research::SavedSearchChange as C;
    let login = op.actor.as_str().to_owned();
    let subject = format!("saved-search:{login}");
    let mut change = change.clone();
    let refuse = |field: &'static str, reason: String| Ok(Err(DomainError::Validation { field, reason }));
    match &mut change {
        C::Saved { id, name, query, .. } => {
            *name = name.trim().to_owned();
            if name.is_empty() || name.chars().count() > 80 {
                return refuse("name", "a name of 1 to 80 characters".into());
            }
            if query.len() > 2_000 {
                return refuse("query", "a search of at most 2,000 characters".into());
            }
            let (count, same): (i64, i64) = on_tx!(&mut *tx, conn => {
                sqlx::query_as(
                    "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN name = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     FROM saved_searches WHERE login = $1",
                )
                .bind(login.clone())
                .bind(name.clone())
                .fetch_one(&mut *conn)
                .await?
            });
            if same > 0 {
                return refuse("name", format!("you have a search named {name:?} already"));
            }
            if count >= crate::research::SAVED_SEARCHES_MAX {
                return refuse(
                    "name",
                    format!("at most {} saved searches: delete one first", crate::research::SAVED_SEARCHES_MAX),
                );
            }
            *id = format!("S{}", batch.chain.next_seq);
        }
        C::Visited { id, .. } | C::Deleted { id } => {
            let owner: Option<(String,)> = on_tx!(&mut *tx, conn => {
                sqlx::query_as("SELECT login FROM saved_searches WHERE id = $1")
                    .bind(id.clone())
                    .fetch_optional(&mut *conn)
                    .await?
            });
            if owner.map(|(o,)| o) != Some(login.clone()) {
                return refuse("search", format!("you have no saved search {id}"));
            }
        }
    }
    let payload = serde_json::to_string(&change).map_err(|e| corrupt(&subject, e))?;
    let seq = batch.chain.push(&login, &subject, change.kind(), payload);
    on_tx!(&mut *tx, conn => {
        crate::research::apply_saved_search!(conn, &login, &change, seq as i64);
    });
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// Whether a library document is stored, and what replaced it.
async fn stored_library_document(tx: &mut Tx, id: &str) -> Result<Option<(Option<String>,)>, StoreError> {
    Ok(on_tx!(&mut *tx, conn => {
        sqlx::query_as("SELECT replaced_by FROM library_documents WHERE id = $1")
            .bind(id.to_owned())
            .fetch_optional(&mut *conn)
            .await?
    }))
}

async fn pay_allowance(tx: &mut Tx, op: &Op, run: &AllowanceRun, batch: &mut Batch) -> Result<OpResult, StoreError> {
    let actor = op.actor.as_str();
    let month = run.month.to_string();
    let paid = batch.runs.iter().any(|(r, _)| r.month == run.month)
        || on_tx!(&mut *tx, conn => {
            sqlx::query("SELECT 1 FROM allowance_runs WHERE month = $1")
                .bind(&month)
                .fetch_optional(&mut *conn)
                .await?
                .is_some()
        });
    if paid {
        return Ok(Err(DomainError::Validation {
            field: "month",
            reason: format!("the allowance of {month} was already paid: a month is never paid twice"),
        }));
    }
    let subject = format!("allowance:{month}");
    let mut run = run.clone();
    run.run_by = actor.to_owned();
    run.run_at = op.now.format(&Rfc3339).map_err(|e| corrupt(&subject, e))?;
    let payload = serde_json::to_string(&run).map_err(|e| corrupt(&subject, e))?;
    let seq = batch.chain.push(actor, &subject, "allowance.paid", payload);
    batch.runs.push((run, seq));
    Ok(Ok(Applied { subject, seqs: seq..=seq, events: vec![], case: None }))
}

/// What a batch writes to the agency's tables and to the final decisions.
struct ReceptionWrites {
    households: Vec<HouseholdRow>,
    structures: Vec<StructureRow>,
    runs: Vec<(AllowanceRun, i64)>,
    finals_set: Vec<(String, String)>,
    finals_clear: Vec<String>,
}

impl ReceptionWrites {
    fn of(batch: &Batch) -> Result<ReceptionWrites, StoreError> {
        let mut households = Vec::new();
        for (subject, (h, seq)) in &batch.households {
            if *seq > 0 {
                households.push(HouseholdRow::of(h, *seq).map_err(|e| corrupt(subject, e))?);
            }
        }
        households.sort_by(|a, b| a.id.cmp(&b.id));
        let mut structures = Vec::new();
        for (subject, (s, seq)) in &batch.structures {
            if *seq > 0 {
                structures.push(StructureRow::of(s, *seq).map_err(|e| corrupt(subject, e))?);
            }
        }
        structures.sort_by(|a, b| a.code.cmp(&b.code));
        let (mut finals_set, mut finals_clear) = (Vec::new(), Vec::new());
        for number in &batch.touched {
            if let Some(case) = batch.cases.get(number) {
                match final_decision_notified(case) {
                    Some(on) => finals_set.push((number.to_string(), on.to_string())),
                    None => finals_clear.push(number.to_string()),
                }
            }
        }
        let runs = batch.runs.iter().map(|(r, seq)| (r.clone(), *seq as i64)).collect();
        Ok(ReceptionWrites { households, structures, runs, finals_set, finals_clear })
    }
}
