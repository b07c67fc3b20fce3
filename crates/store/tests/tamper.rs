//! Tamper tests on both databases: each way of altering the journal is detected and named; an
//! untouched journal verifies.

mod common;

use nansen_store::journal::entry_hash;
use nansen_store::merkle::Frontier;
use nansen_store::signing::head_message;
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{on_db, Backend, Store, VerifyFailure};
use sqlx::Row;

async fn journal_store(backend: Backend) -> TestStore {
    let t = TestStore::new(backend).await;
    // 700 cases: about 1,050 entries, so the journal crosses a signed checkpoint (1,024).
    common::populate(&t.store, 700).await;
    let report = t.store.verify().await.expect("verify runs").expect("an untouched journal verifies");
    assert!(report.entries > 1024, "{report}");
    assert_eq!(report.checkpoints, 1);
    t
}

async fn size(store: &Store) -> i64 {
    on_db!(store.db(), pool => sqlx::query("SELECT size FROM journal_head").fetch_one(pool).await.expect("head").get::<i64, _>("size"))
}

async fn exec(store: &Store, sql: &str) {
    on_db!(store.db(), pool => { sqlx::query(sql).execute(pool).await.expect(sql); })
}

async fn failure(store: &Store) -> VerifyFailure {
    match store.verify().await.expect("verify runs") {
        Ok(report) => panic!("tampering went unnoticed: {report}"),
        Err(f) => f,
    }
}

#[tokio::test]
async fn an_untouched_journal_verifies_and_survives_a_restart() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        let again = t.reopen().await;
        assert!(again.verify().await.expect("verify").is_ok(), "{backend:?}");
    }
}

#[tokio::test]
async fn one_changed_byte_of_a_payload_is_named() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        exec(&t.store, "UPDATE journal SET payload = replace(payload, 'Mohammad', 'Mohammed') WHERE seq = 500").await;
        let f = failure(&t.store).await;
        assert_eq!(f.seq, Some(500), "{backend:?}: {f}");
        assert!(f.reason.contains("does not match its hash"), "{f}");
    }
}

#[tokio::test]
async fn a_changed_actor_is_named() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        exec(&t.store, "UPDATE journal SET actor = 'opi.mercier' WHERE seq = 42").await;
        let f = failure(&t.store).await;
        assert_eq!(f.seq, Some(42), "{backend:?}: {f}");
        assert!(f.reason.contains("actor"), "{f}");
    }
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        exec(&t.store, "DELETE FROM journal WHERE seq = 77").await;
        let f = failure(&t.store).await;
        assert_eq!(f.seq, Some(77), "{backend:?}: {f}");
        assert!(f.reason.contains("missing"), "{f}");
    }
}

#[tokio::test]
async fn deleting_the_last_row_is_named() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        let n = size(&t.store).await;
        exec(&t.store, &format!("DELETE FROM journal WHERE seq = {n}")).await;
        let f = failure(&t.store).await;
        assert_eq!(f.seq, Some(n as u64), "{backend:?}: {f}");
        assert!(f.reason.contains("missing"), "{f}");
    }
}

#[tokio::test]
async fn two_swapped_rows_are_named() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        // Swap every column but the sequence number between entries 10 and 20.
        exec(&t.store, "UPDATE journal SET seq = -10 WHERE seq = 10").await;
        exec(&t.store, "UPDATE journal SET seq = 10 WHERE seq = 20").await;
        exec(&t.store, "UPDATE journal SET seq = 20 WHERE seq = -10").await;
        let f = failure(&t.store).await;
        assert_eq!(f.seq, Some(10), "{backend:?}: {f}");
        assert!(f.reason.contains("link to the previous entry"), "{f}");
    }
}

/// Rewrites the payload of the last `k` entries and recomputes their hashes and the head's
/// chain hash, root and frontier, as someone with database access but without the key would.
async fn rewrite_tail(store: &Store, k: i64) -> i64 {
    let n = size(store).await;
    let first = n - k + 1;
    on_db!(store.db(), pool => {
        let rows = sqlx::query("SELECT seq, recorded_at, actor, subject, kind, payload, prev_hash, hash FROM journal ORDER BY seq")
            .fetch_all(pool)
            .await
            .expect("journal");
        let mut frontier = Frontier::default();
        let mut prev = [0u8; 32];
        for r in rows {
            let seq: i64 = r.get("seq");
            let mut hash: [u8; 32] = r.get::<Vec<u8>, _>("hash").try_into().expect("32 bytes");
            if seq >= first {
                let payload = r.get::<String, _>("payload").replace("Mohammad", "Mahmoud");
                hash = entry_hash(&prev, seq as u64, r.get("recorded_at"), r.get("actor"), r.get("subject"), r.get("kind"), &payload);
                sqlx::query("UPDATE journal SET payload = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
                    .bind(&payload)
                    .bind(prev.to_vec())
                    .bind(hash.to_vec())
                    .bind(seq)
                    .execute(pool)
                    .await
                    .expect("rewrite");
            }
            frontier.push(&hash);
            prev = hash;
        }
        sqlx::query("UPDATE journal_head SET last_hash = $1, root = $2, frontier = $3")
            .bind(prev.to_vec())
            .bind(frontier.root().to_vec())
            .bind(frontier.to_bytes())
            .execute(pool)
            .await
            .expect("head");
    });
    first
}

#[tokio::test]
async fn rewriting_the_last_entries_and_their_hashes_without_the_key_is_detected() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        let first = rewrite_tail(&t.store, 3).await;
        let f = failure(&t.store).await;
        assert!(f.reason.contains("signature") || f.reason.contains("rewritten"), "{backend:?}: {f}");
        // The head's signature no longer matches the rewritten root.
        assert!(f.seq.is_none() || f.seq <= Some(first as u64), "{backend:?}: {f}");
    }
}

#[tokio::test]
async fn a_replaced_signed_head_is_detected() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        rewrite_tail(&t.store, 2).await;
        // The forger signs the rewritten head with a key of their own.
        let forged = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        on_db!(t.store.db(), pool => {
            let head = sqlx::query("SELECT size, root, last_hash FROM journal_head").fetch_one(pool).await.expect("head");
            let size: i64 = head.get("size");
            let root: [u8; 32] = head.get::<Vec<u8>, _>("root").try_into().expect("root");
            let last: [u8; 32] = head.get::<Vec<u8>, _>("last_hash").try_into().expect("last");
            use ed25519_dalek::Signer;
            let signature = forged.sign(&head_message(size as u64, &root, &last)).to_bytes();
            sqlx::query("UPDATE journal_head SET signature = $1")
                .bind(signature.to_vec())
                .execute(pool)
                .await
                .expect("forge");
        });
        let f = failure(&t.store).await;
        assert!(f.reason.contains("signature that does not verify"), "{backend:?}: {f}");
    }
}

#[tokio::test]
async fn a_replaced_checkpoint_is_detected() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        exec(&t.store, "UPDATE tree_heads SET root = last_hash").await;
        let f = failure(&t.store).await;
        assert!(f.reason.contains("checkpoint"), "{backend:?}: {f}");
    }
}

#[tokio::test]
async fn inclusion_proofs_verify_and_a_forged_one_does_not() {
    for backend in BACKENDS {
        let t = journal_store(backend).await;
        let key = t.store.signer().verifying_key();
        for seq in [1, 2, 500, 1024, 1025] {
            let proof = t.store.prove(seq).await.expect("prove");
            proof.check(&key).unwrap_or_else(|e| panic!("{backend:?} entry {seq}: {e}"));
        }
        let mut forged = t.store.prove(300).await.expect("prove");
        forged.entry.actor = "someone.else".into();
        assert!(forged.check(&key).is_err());
        let mut moved = t.store.prove(300).await.expect("prove");
        moved.entry = t.store.prove(301).await.expect("prove").entry;
        assert!(moved.check(&key).is_err(), "a proof must not fit another entry");
    }
}
