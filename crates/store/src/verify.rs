//! `nansen audit verify`: recompute the whole chain and Merkle tree, check every signed head, and
//! name the first entry that does not match. Also inclusion proofs (`nansen audit prove SEQ`).

use std::path::Path;
use std::time::{Duration, Instant};

use ed25519_dalek::VerifyingKey;
use futures_util::TryStreamExt;
use sqlx::Row;

use crate::journal::{to_hash, Entry};
use crate::merkle::{inclusion_proof, root_from_proof, Frontier, Hash};
use crate::queries::entry_from_row;
use crate::signing::{key_id, verify_head};
use crate::{on_db, Db, Store, StoreError};

/// A journal that verified.
#[derive(Debug, Clone, serde::Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub head_hash: String,
    pub root: String,
    pub checkpoints: u64,
    #[serde(skip)]
    pub elapsed: Duration,
}

impl std::fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let secs = self.elapsed.as_secs_f64();
        write!(
            f,
            "journal verified: {} entries, head {}, root {}, {} signed checkpoints, {:.2} s ({:.0} entries/s)",
            self.entries,
            self.head_hash,
            self.root,
            self.checkpoints,
            secs,
            self.entries as f64 / secs.max(1e-9)
        )
    }
}

/// The first thing that does not match, with the entry it concerns when there is one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyFailure {
    pub seq: Option<u64>,
    pub reason: String,
}

impl std::fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            Some(seq) => write!(f, "entry {seq}: {}", self.reason),
            None => write!(f, "{}", self.reason),
        }
    }
}

fn fail(seq: impl Into<Option<u64>>, reason: impl Into<String>) -> VerifyFailure {
    VerifyFailure { seq: seq.into(), reason: reason.into() }
}

/// A signed tree head as stored (the latest in `journal_head`, checkpoints in `tree_heads`).
struct SignedHead {
    size: u64,
    root: Vec<u8>,
    last_hash: Vec<u8>,
    signed_at: String,
    key_id: String,
    signature: Vec<u8>,
}

impl SignedHead {
    fn check(&self, key: &VerifyingKey, what: &str) -> Result<(Hash, Hash), VerifyFailure> {
        let bad = || fail(None, format!("{what} at size {} is malformed", self.size));
        let root = to_hash(&self.root).ok_or_else(bad)?;
        let last = to_hash(&self.last_hash).ok_or_else(bad)?;
        if self.key_id != key_id(key) {
            return Err(fail(
                None,
                format!(
                    "{what} at size {} names signing key {} but the journal key is {}",
                    self.size,
                    self.key_id,
                    key_id(key)
                ),
            ));
        }
        if !verify_head(key, self.size, &root, &last, &self.signature) {
            return Err(fail(
                None,
                format!(
                    "{what} at size {} (signed at {}) has a signature that does not verify: it was not signed with the journal key",
                    self.size, self.signed_at
                ),
            ));
        }
        Ok((root, last))
    }
}

/// An inclusion proof: an entry, its audit path, and the signed tree head it leads to. Anyone
/// with the journal's public key can check it without the database.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Proof {
    pub entry: Entry,
    pub tree_size: u64,
    pub root: String,
    pub head_last_hash: String,
    pub audit_path: Vec<String>,
    pub signed_at: String,
    pub key_id: String,
    pub signature: String,
}

impl Proof {
    /// Checks the entry's hash, the path to the root, and the head's signature.
    pub fn check(&self, key: &VerifyingKey) -> Result<(), VerifyFailure> {
        let seq = self.entry.seq;
        if self.entry.expected_hash() != self.entry.hash {
            return Err(fail(seq, "the entry's fields do not match its hash"));
        }
        let decode = |h: &str| hex::decode(h).ok().and_then(|b| to_hash(&b));
        let path: Option<Vec<Hash>> = self.audit_path.iter().map(|h| decode(h)).collect();
        let path = path.ok_or_else(|| fail(seq, "the audit path is malformed"))?;
        let root = decode(&self.root).ok_or_else(|| fail(seq, "the root is malformed"))?;
        let last = decode(&self.head_last_hash).ok_or_else(|| fail(seq, "the head's last hash is malformed"))?;
        if seq == 0 {
            return Err(fail(seq, "entries are numbered from 1"));
        }
        match root_from_proof(&self.entry.hash, seq - 1, self.tree_size, &path) {
            Some(r) if r == root => {}
            _ => {
                return Err(fail(
                    seq,
                    format!("the audit path does not lead to the root of the tree of size {}", self.tree_size),
                ))
            }
        }
        let signature = hex::decode(&self.signature).unwrap_or_default();
        if key_id(key) != self.key_id || !verify_head(key, self.tree_size, &root, &last, &signature) {
            return Err(fail(seq, "the tree head's signature does not verify with the journal key"));
        }
        Ok(())
    }
}

/// Reads the journal in order and checks each entry as it comes: chain link, content hash,
/// Merkle frontier, and every signed checkpoint it crosses; then the latest signed head.
struct Checker {
    key: VerifyingKey,
    latest: Option<SignedHead>,
    checkpoints: Vec<(u64, (Hash, Hash))>,
    next_checkpoint: usize,
    frontier: Frontier,
    prev: Hash,
    last_good_checkpoint: u64,
}

impl Checker {
    fn new(key: VerifyingKey, latest: Option<SignedHead>, stored: Vec<SignedHead>) -> Result<Checker, VerifyFailure> {
        let mut checkpoints = Vec::with_capacity(stored.len());
        for c in &stored {
            checkpoints.push((c.size, c.check(&key, "the signed checkpoint")?));
        }
        Ok(Checker {
            key,
            latest,
            checkpoints,
            next_checkpoint: 0,
            frontier: Frontier::default(),
            prev: [0; 32],
            last_good_checkpoint: 0,
        })
    }

    /// A stored row that could not even be read as an entry.
    fn unreadable(&self, reason: String) -> VerifyFailure {
        fail(self.frontier.size() + 1, reason)
    }

    fn feed(&mut self, entry: &Entry) -> Result<(), VerifyFailure> {
        let expected = self.frontier.size() + 1;
        if entry.seq != expected {
            return Err(fail(expected, format!("is missing: the next stored entry is {}", entry.seq)));
        }
        if entry.prev_hash != self.prev {
            return Err(fail(
                entry.seq,
                format!(
                    "its link to the previous entry does not match entry {} (an entry was deleted, moved or replaced here)",
                    entry.seq - 1
                ),
            ));
        }
        if entry.expected_hash() != entry.hash {
            return Err(fail(
                entry.seq,
                format!(
                    "its content (time, actor, subject, kind or payload; kind {:?}, actor {:?}) does not match its hash",
                    entry.kind, entry.actor
                ),
            ));
        }
        self.frontier.push(&entry.hash);
        self.prev = entry.hash;
        while let Some((size, (root, last))) = self.checkpoints.get(self.next_checkpoint) {
            if *size != self.frontier.size() {
                break;
            }
            if self.frontier.root() != *root || self.prev != *last {
                return Err(fail(
                    self.last_good_checkpoint + 1,
                    format!(
                        "entries {}..={} do not match the signed checkpoint at size {size}: they were rewritten after being signed",
                        self.last_good_checkpoint + 1,
                        size
                    ),
                ));
            }
            self.last_good_checkpoint = *size;
            self.next_checkpoint += 1;
        }
        Ok(())
    }

    fn finish(self, started: Instant) -> Result<VerifyReport, VerifyFailure> {
        let size = self.frontier.size();
        if let Some((missing, _)) = self.checkpoints.get(self.next_checkpoint) {
            return Err(fail(
                size + 1,
                format!("is missing: a signed checkpoint covers {missing} entries but the journal ends at {size}"),
            ));
        }
        let root = self.frontier.root();
        match &self.latest {
            None if size == 0 => {}
            None => return Err(fail(1, "the journal has entries but no signed tree head")),
            Some(head) => {
                let (signed_root, signed_last) = head.check(&self.key, "the signed tree head")?;
                if head.size > size {
                    return Err(fail(
                        size + 1,
                        format!(
                            "is missing: the signed tree head covers {} entries but the journal ends at {size}",
                            head.size
                        ),
                    ));
                }
                if head.size < size {
                    return Err(fail(
                        head.size + 1,
                        format!(
                            "entries {}..={size} are not covered by the signed tree head (added without the key)",
                            head.size + 1
                        ),
                    ));
                }
                if signed_root != root || signed_last != self.prev {
                    return Err(fail(
                        self.last_good_checkpoint + 1,
                        format!(
                            "entries {}..={size} do not match the signed tree head (signed at {}): they were rewritten after being signed",
                            self.last_good_checkpoint + 1,
                            head.signed_at
                        ),
                    ));
                }
            }
        }
        Ok(VerifyReport {
            entries: size,
            head_hash: hex::encode(self.prev),
            root: hex::encode(root),
            checkpoints: self.checkpoints.len() as u64,
            elapsed: started.elapsed(),
        })
    }
}

const HEAD_SQL: &str = "SELECT size, root, last_hash, signed_at, key_id, signature FROM journal_head WHERE id = 1";
const CHECKPOINTS_SQL: &str =
    "SELECT size, root, last_hash, signed_at, key_id, signature FROM tree_heads ORDER BY size";
const JOURNAL_SQL: &str =
    "SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal ORDER BY seq";

/// Verifies a SQLite journal by reading the file directly, in one read transaction (heads and
/// entries from the same snapshot). Direct reads avoid a thread hand-off per row.
fn verify_sqlite_file(
    path: &Path,
    key: VerifyingKey,
    started: Instant,
    progress: crate::Progress,
) -> Result<Outcome, StoreError> {
    use rusqlite::{Connection, OpenFlags};
    let db_err = |e: rusqlite::Error| StoreError::Config(format!("reading {}: {e}", path.display()));
    let mut conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(db_err)?;
    let tx = conn.transaction().map_err(db_err)?;
    let head_of = |r: &rusqlite::Row<'_>| -> rusqlite::Result<Option<SignedHead>> {
        let root: Option<Vec<u8>> = r.get("root")?;
        Ok(match root {
            Some(root) => Some(SignedHead {
                size: r.get::<_, i64>("size")? as u64,
                root,
                last_hash: r.get("last_hash")?,
                signed_at: r.get::<_, Option<String>>("signed_at")?.unwrap_or_default(),
                key_id: r.get::<_, Option<String>>("key_id")?.unwrap_or_default(),
                signature: r.get::<_, Option<Vec<u8>>>("signature")?.unwrap_or_default(),
            }),
            None => None,
        })
    };
    let latest = tx.query_row(HEAD_SQL, [], head_of).map_err(db_err)?;
    let mut checkpoints = Vec::new();
    {
        let mut stmt = tx.prepare(CHECKPOINTS_SQL).map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(row) = rows.next().map_err(db_err)? {
            if let Some(head) = head_of(row).map_err(db_err)? {
                checkpoints.push(head);
            }
        }
    }
    let total = latest.as_ref().map_or(0, |h| h.size);
    let mut checker = match Checker::new(key, latest, checkpoints) {
        Ok(c) => c,
        Err(f) => return Ok(Err(f)),
    };
    {
        let mut stmt = tx.prepare(JOURNAL_SQL).map_err(db_err)?;
        let mut rows = stmt.query([]).map_err(db_err)?;
        while let Some(row) = rows.next().map_err(db_err)? {
            let read = || -> rusqlite::Result<(Entry, Vec<u8>, Vec<u8>)> {
                let entry = Entry {
                    seq: row.get::<_, i64>(0)? as u64,
                    recorded_at: row.get(1)?,
                    actor: row.get(2)?,
                    subject: row.get(3)?,
                    kind: row.get(4)?,
                    payload: row.get(5)?,
                    prev_hash: [0; 32],
                    hash: [0; 32],
                };
                Ok((entry, row.get(6)?, row.get(7)?))
            };
            let (mut entry, prev, hash) = match read() {
                Ok(v) => v,
                Err(e) => return Ok(Err(checker.unreadable(format!("cannot be read: {e}")))),
            };
            match (to_hash(&prev), to_hash(&hash)) {
                (Some(p), Some(h)) => (entry.prev_hash, entry.hash) = (p, h),
                _ => return Ok(Err(checker.unreadable("a stored hash is not 32 bytes".into()))),
            }
            if entry.seq % crate::PROGRESS_EVERY == 0 {
                progress(entry.seq, total);
            }
            if let Err(f) = checker.feed(&entry) {
                return Ok(Err(f));
            }
        }
    }
    progress(total, total);
    Ok(checker.finish(started))
}

type Outcome = Result<VerifyReport, VerifyFailure>;

/// A signed head from a row of `journal_head` or `tree_heads` (`None` before the first commit).
macro_rules! signed_head_of {
    ($row:expr) => {{
        let r = $row;
        match r.try_get::<Option<Vec<u8>>, _>("root")? {
            Some(root) => Some(SignedHead {
                size: r.try_get::<i64, _>("size")? as u64,
                root,
                last_hash: r.try_get("last_hash")?,
                signed_at: r.try_get::<Option<String>, _>("signed_at")?.unwrap_or_default(),
                key_id: r.try_get::<Option<String>, _>("key_id")?.unwrap_or_default(),
                signature: r.try_get::<Option<Vec<u8>>, _>("signature")?.unwrap_or_default(),
            }),
            None => None,
        }
    }};
}

impl Store {
    /// Verifies the whole journal. `Ok(Err(..))` names the first mismatch; `Err` is a database
    /// error that prevented the check. Heads and entries are read from one snapshot, so a
    /// verification running beside a live server sees a consistent journal.
    pub async fn verify(&self) -> Result<Outcome, StoreError> {
        self.verify_with(crate::no_progress()).await
    }

    /// [`Store::verify`], telling `progress` how many entries are checked.
    pub async fn verify_with(&self, progress: crate::Progress) -> Result<Outcome, StoreError> {
        let started = Instant::now();
        let key = self.signer().verifying_key();
        match self.db() {
            Db::Sqlite(pool) => {
                let path = pool.connect_options().get_filename().to_owned();
                tokio::task::spawn_blocking(move || verify_sqlite_file(&path, key, started, progress))
                    .await
                    .map_err(|e| StoreError::Config(format!("verification stopped: {e}")))?
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?;
                let latest = signed_head_of!(&sqlx::query(HEAD_SQL).fetch_one(&mut *tx).await?);
                let mut checkpoints = Vec::new();
                for row in sqlx::query(CHECKPOINTS_SQL).fetch_all(&mut *tx).await? {
                    if let Some(head) = signed_head_of!(&row) {
                        checkpoints.push(head);
                    }
                }
                let total = latest.as_ref().map_or(0, |h| h.size);
                let mut checker = match Checker::new(key, latest, checkpoints) {
                    Ok(c) => c,
                    Err(f) => return Ok(Err(f)),
                };
                let outcome = {
                    let mut rows = sqlx::query(JOURNAL_SQL).fetch(&mut *tx);
                    let mut outcome = None;
                    while let Some(row) = rows.try_next().await? {
                        let entry = match entry_from_row!(&row) {
                            Ok(e) => e,
                            Err(StoreError::Corrupt { subject, reason }) => {
                                outcome = Some(Err(checker.unreadable(format!("{subject}: {reason}"))));
                                break;
                            }
                            Err(e) => return Err(e),
                        };
                        if entry.seq % crate::PROGRESS_EVERY == 0 {
                            progress(entry.seq, total);
                        }
                        if let Err(f) = checker.feed(&entry) {
                            outcome = Some(Err(f));
                            break;
                        }
                    }
                    outcome
                };
                tx.rollback().await?;
                progress(total, total);
                Ok(outcome.unwrap_or_else(|| checker.finish(started)))
            }
        }
    }

    /// An inclusion proof of entry `seq` against the latest signed tree head.
    pub async fn prove(&self, seq: u64) -> Result<Proof, StoreError> {
        let head = on_db!(self.db(), pool => signed_head_of!(&sqlx::query(HEAD_SQL).fetch_one(pool).await?))
            .ok_or(StoreError::NotSealed(seq))?;
        if seq == 0 || seq > head.size {
            return Err(StoreError::NoSuchEntry(seq));
        }
        let (hashes, entry) = on_db!(self.db(), pool => {
            let mut hashes: Vec<Hash> = Vec::with_capacity(head.size as usize);
            let mut rows = sqlx::query("SELECT seq, hash FROM journal WHERE seq <= $1 ORDER BY seq")
                .bind(head.size as i64)
                .fetch(pool);
            while let Some(row) = rows.try_next().await? {
                let bytes: Vec<u8> = row.try_get("hash")?;
                hashes.push(to_hash(&bytes).ok_or_else(|| StoreError::Corrupt {
                    subject: format!("journal entry {}", hashes.len() + 1),
                    reason: "hash is not 32 bytes".into(),
                })?);
            }
            drop(rows);
            let row = sqlx::query("SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal WHERE seq = $1")
                .bind(seq as i64)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NoSuchEntry(seq))?;
            (hashes, entry_from_row!(&row)?)
        });
        let path = inclusion_proof(&hashes, (seq - 1) as usize).ok_or(StoreError::NoSuchEntry(seq))?;
        Ok(Proof {
            entry,
            tree_size: head.size,
            root: hex::encode(&head.root),
            head_last_hash: hex::encode(&head.last_hash),
            audit_path: path.iter().map(hex::encode).collect(),
            signed_at: head.signed_at,
            key_id: head.key_id,
            signature: hex::encode(&head.signature),
        })
    }
}
