//! `nansen audit verify`: recompute the whole chain and Merkle tree, check every signed head, and
//! name the first entry that does not match. Also inclusion proofs (`nansen audit prove SEQ`).

use std::time::{Duration, Instant};

use ed25519_dalek::VerifyingKey;
use futures_util::TryStreamExt;
use sqlx::Row;

use crate::journal::{to_hash, Entry};
use crate::merkle::{inclusion_proof, root_from_proof, Frontier, Hash};
use crate::queries::entry_from_row;
use crate::signing::{key_id, verify_head};
use crate::{on_db, Store, StoreError};

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

impl Store {
    async fn signed_heads(&self) -> Result<(Option<SignedHead>, Vec<SignedHead>), StoreError> {
        on_db!(self.db(), pool => {
            let head = sqlx::query("SELECT size, root, last_hash, signed_at, key_id, signature FROM journal_head WHERE id = 1")
                .fetch_one(pool)
                .await?;
            let latest = match head.try_get::<Option<Vec<u8>>, _>("root")? {
                Some(root) => Some(SignedHead {
                    size: head.try_get::<i64, _>("size")? as u64,
                    root,
                    last_hash: head.try_get("last_hash")?,
                    signed_at: head.try_get::<Option<String>, _>("signed_at")?.unwrap_or_default(),
                    key_id: head.try_get::<Option<String>, _>("key_id")?.unwrap_or_default(),
                    signature: head.try_get::<Option<Vec<u8>>, _>("signature")?.unwrap_or_default(),
                }),
                None => None,
            };
            let rows = sqlx::query("SELECT size, root, last_hash, signed_at, key_id, signature FROM tree_heads ORDER BY size")
                .fetch_all(pool)
                .await?;
            let mut checkpoints = Vec::with_capacity(rows.len());
            for r in rows {
                checkpoints.push(SignedHead {
                    size: r.try_get::<i64, _>("size")? as u64,
                    root: r.try_get("root")?,
                    last_hash: r.try_get("last_hash")?,
                    signed_at: r.try_get("signed_at")?,
                    key_id: r.try_get("key_id")?,
                    signature: r.try_get("signature")?,
                });
            }
            Ok((latest, checkpoints))
        })
    }

    /// Verifies the whole journal. `Ok(Err(..))` names the first mismatch; `Err` is a database
    /// error that prevented the check.
    pub async fn verify(&self) -> Result<Result<VerifyReport, VerifyFailure>, StoreError> {
        let started = Instant::now();
        let key = self.signer().verifying_key();
        let (latest, checkpoints) = self.signed_heads().await?;
        let mut checked = Vec::with_capacity(checkpoints.len());
        for c in &checkpoints {
            match c.check(&key, "the signed checkpoint") {
                Ok(v) => checked.push((c.size, v)),
                Err(e) => return Ok(Err(e)),
            }
        }
        let mut next_checkpoint = checked.iter().peekable();
        let mut frontier = Frontier::default();
        let mut prev: Hash = [0; 32];
        let mut last_good_checkpoint = 0u64;
        let outcome: Result<(), VerifyFailure> = on_db!(self.db(), pool => {
            let mut rows = sqlx::query(
                "SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal ORDER BY seq",
            )
            .fetch(pool);
            let mut outcome = Ok(());
            while let Some(row) = rows.try_next().await? {
                let entry = match entry_from_row!(&row) {
                    Ok(e) => e,
                    Err(StoreError::Corrupt { subject, reason }) => {
                        outcome = Err(fail(frontier.size() + 1, format!("{subject}: {reason}")));
                        break;
                    }
                    Err(e) => return Err(e),
                };
                let expected = frontier.size() + 1;
                if entry.seq != expected {
                    outcome = Err(fail(expected, format!("is missing: the next stored entry is {}", entry.seq)));
                    break;
                }
                if entry.prev_hash != prev {
                    outcome = Err(fail(
                        entry.seq,
                        format!(
                            "its link to the previous entry does not match entry {} (an entry was deleted, moved or replaced here)",
                            entry.seq - 1
                        ),
                    ));
                    break;
                }
                if entry.expected_hash() != entry.hash {
                    outcome = Err(fail(
                        entry.seq,
                        format!(
                            "its content (time, actor, subject, kind or payload; kind {:?}, actor {:?}) does not match its hash",
                            entry.kind, entry.actor
                        ),
                    ));
                    break;
                }
                frontier.push(&entry.hash);
                prev = entry.hash;
                while let Some((size, (root, last))) = next_checkpoint.peek() {
                    if *size != frontier.size() {
                        break;
                    }
                    if frontier.root() != *root || prev != *last {
                        outcome = Err(fail(
                            last_good_checkpoint + 1,
                            format!(
                                "entries {}..={} do not match the signed checkpoint at size {size}: they were rewritten after being signed",
                                last_good_checkpoint + 1,
                                size
                            ),
                        ));
                        break;
                    }
                    last_good_checkpoint = *size;
                    next_checkpoint.next();
                }
                if outcome.is_err() {
                    break;
                }
            }
            Ok::<_, StoreError>(outcome)
        })?;
        if let Err(e) = outcome {
            return Ok(Err(e));
        }
        let size = frontier.size();
        if let Some((missing, _)) = next_checkpoint.next() {
            return Ok(Err(fail(
                size + 1,
                format!("is missing: a signed checkpoint covers {missing} entries but the journal ends at {size}"),
            )));
        }
        let root = frontier.root();
        match latest {
            None if size == 0 => {}
            None => return Ok(Err(fail(1, "the journal has entries but no signed tree head"))),
            Some(head) => {
                let (signed_root, signed_last) = match head.check(&key, "the signed tree head") {
                    Ok(v) => v,
                    Err(e) => return Ok(Err(e)),
                };
                if head.size > size {
                    return Ok(Err(fail(
                        size + 1,
                        format!(
                            "is missing: the signed tree head covers {} entries but the journal ends at {size}",
                            head.size
                        ),
                    )));
                }
                if head.size < size {
                    return Ok(Err(fail(
                        head.size + 1,
                        format!(
                            "entries {}..={size} are not covered by the signed tree head (added without the key)",
                            head.size + 1
                        ),
                    )));
                }
                if signed_root != root || signed_last != prev {
                    return Ok(Err(fail(
                        last_good_checkpoint + 1,
                        format!(
                            "entries {}..={size} do not match the signed tree head (signed at {}): they were rewritten after being signed",
                            last_good_checkpoint + 1,
                            head.signed_at
                        ),
                    )));
                }
            }
        }
        Ok(Ok(VerifyReport {
            entries: size,
            head_hash: hex::encode(prev),
            root: hex::encode(root),
            checkpoints: checked.len() as u64,
            elapsed: started.elapsed(),
        }))
    }

    /// An inclusion proof of entry `seq` against the latest signed tree head.
    pub async fn prove(&self, seq: u64) -> Result<Proof, StoreError> {
        let (latest, _) = self.signed_heads().await?;
        let head = latest.ok_or(StoreError::NotSealed(seq))?;
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
