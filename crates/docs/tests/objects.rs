//! The document store against both backends: a directory, and S3 over real HTTP to a loopback
//! S3-compatible server (s3s-fs, SigV4 checked). The same test body runs on both.

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use nansen_docs::objects::testing::{start_s3_test_server, S3TestServer};
use nansen_docs::objects::{ContentHash, ContentHasher, DocumentStore, ObjectError, PutOutcome, Verification};
use tempfile::TempDir;

#[derive(Debug, Clone, Copy)]
enum Backend {
    Local,
    S3,
}

/// A fresh store, and a way to reach its stored files behind its back.
struct Fixture {
    store: DocumentStore,
    /// Where the backend keeps its files: the store's directory, or the S3 server's bucket.
    objects_dir: PathBuf,
    server: Option<S3TestServer>,
    scratch: TempDir,
    _dir: TempDir,
}

async fn fixture(backend: Backend) -> Fixture {
    let dir = tempfile::tempdir().expect("temporary directory");
    let scratch = tempfile::tempdir().expect("temporary directory");
    match backend {
        Backend::Local => {
            let store = DocumentStore::local(&dir.path().join("documents")).expect("directory store");
            let objects_dir = store.local_dir().expect("a directory").to_owned();
            Fixture { store, objects_dir, server: None, scratch, _dir: dir }
        }
        Backend::S3 => {
            let server = start_s3_test_server(dir.path()).await;
            let store = DocumentStore::s3(&server.config("office/docs")).expect("S3 store");
            let objects_dir = server.bucket_dir();
            Fixture { store, objects_dir, server: Some(server), scratch, _dir: dir }
        }
    }
}

impl Fixture {
    fn stored_file(&self, hash: &ContentHash) -> PathBuf {
        self.objects_dir.join(self.store.key_of(hash))
    }

    /// Every file the backend holds: objects, and any staging file or upload part.
    fn backend_files(&self) -> Vec<PathBuf> {
        let mut files = files_under(&self.objects_dir);
        if let Some(server) = &self.server {
            let internal = std::fs::read_dir(&server.root)
                .expect("server directory")
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && !p.file_name().is_some_and(|n| {
                            n.to_string_lossy().ends_with(".metadata.json")
                                || n.to_string_lossy().ends_with(".internal.json")
                        })
                });
            files.extend(internal);
        }
        files
    }

    /// Waits (a background abort may still be running) until the backend holds nothing but `expected`.
    async fn assert_only(&self, expected: &[PathBuf]) {
        let mut files = self.backend_files();
        for _ in 0..100 {
            files.sort();
            if files == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
            files = self.backend_files();
        }
        panic!("the backend holds {files:#?}, expected {expected:#?}");
    }
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Writes `len` pseudo-random bytes (deterministic for a seed) to a file, returning their hash.
fn write_random_file(path: &Path, len: usize, seed: u64) -> ContentHash {
    use std::io::Write;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create file"));
    let mut hasher = ContentHasher::new();
    let mut state = seed | 1;
    let mut chunk = vec![0_u8; 64 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        for byte in &mut chunk[..n] {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *byte = state as u8;
        }
        hasher.update(&chunk[..n]);
        file.write_all(&chunk[..n]).expect("write file");
        left -= n;
    }
    file.flush().expect("flush file");
    hasher.finish()
}

/// Reads a stored object back, chunk by chunk: its hash, length, and largest chunk.
async fn read_back(store: &DocumentStore, hash: &ContentHash) -> (ContentHash, u64, u64, usize) {
    let (size, mut stream) = store.get(hash).await.expect("stored object");
    let mut hasher = ContentHasher::new();
    let (mut len, mut largest) = (0_u64, 0_usize);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("chunk");
        hasher.update(&chunk);
        len += chunk.len() as u64;
        largest = largest.max(chunk.len());
    }
    (hasher.finish(), size, len, largest)
}

const MB20: usize = 20 * 1000 * 1000;

async fn round_trip_and_dedup(backend: Backend) {
    let f = fixture(backend).await;
    let path = f.scratch.path().join("scan.pdf");
    let hash = write_random_file(&path, MB20, 7);

    assert!(!f.store.exists(&hash).await.expect("exists"));
    assert_eq!(f.store.put_file(&hash, &path).await.expect("put"), PutOutcome::Stored);
    assert!(f.store.exists(&hash).await.expect("exists"));

    let (read_hash, size, len, largest) = read_back(&f.store, &hash).await;
    assert_eq!((read_hash, size, len), (hash, MB20 as u64, MB20 as u64));
    assert!(largest <= 1024 * 1024, "chunks of at most 1 MiB, got {largest}");

    // The same file again, and a copy of it under another name: stored once.
    assert_eq!(f.store.put_file(&hash, &path).await.expect("put again"), PutOutcome::AlreadyPresent);
    let copy = f.scratch.path().join("copy.pdf");
    std::fs::copy(&path, &copy).expect("copy");
    assert_eq!(f.store.put_file(&hash, &copy).await.expect("put copy"), PutOutcome::AlreadyPresent);
    f.assert_only(&[f.stored_file(&hash)]).await;
    assert_eq!(std::fs::metadata(f.stored_file(&hash)).expect("stored file").len(), MB20 as u64);

    assert_eq!(f.store.verify(&hash).await.expect("verify"), Verification::Intact);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_round_trip_and_dedup() {
    round_trip_and_dedup(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_round_trip_and_dedup() {
    round_trip_and_dedup(Backend::S3).await;
}

async fn small_files_and_bytes(backend: Backend) {
    let f = fixture(backend).await;
    let letter = Bytes::from_static(b"%PDF-1.7\n% a generated letter\n%%EOF\n");
    let hash = ContentHash::of(&letter);
    assert_eq!(f.store.put_bytes(&hash, letter.clone()).await.expect("put bytes"), PutOutcome::Stored);
    assert_eq!(f.store.put_bytes(&hash, letter.clone()).await.expect("put bytes"), PutOutcome::AlreadyPresent);
    assert!(f.store.exists(&hash).await.expect("exists"));
    let (read_hash, size, _, _) = read_back(&f.store, &hash).await;
    assert_eq!((read_hash, size), (hash, letter.len() as u64));
    assert_eq!(f.store.verify(&hash).await.expect("verify"), Verification::Intact);

    // A file smaller than a part, and an empty one.
    let small = f.scratch.path().join("small.jpg");
    let small_hash = write_random_file(&small, 300_000, 3);
    assert_eq!(f.store.put_file(&small_hash, &small).await.expect("put"), PutOutcome::Stored);
    let empty = f.scratch.path().join("empty");
    std::fs::write(&empty, b"").expect("write");
    let empty_hash = ContentHash::of(b"");
    assert_eq!(f.store.put_file(&empty_hash, &empty).await.expect("put"), PutOutcome::Stored);
    assert_eq!(read_back(&f.store, &empty_hash).await.1, 0);
    assert_eq!(f.store.verify(&small_hash).await.expect("verify"), Verification::Intact);

    // Bytes offered under another address are refused.
    let wrong = ContentHash::of(b"something else");
    let refused = f.store.put_bytes(&wrong, letter).await;
    assert!(
        matches!(refused, Err(ObjectError::ContentMismatch { expected, actual }) if expected == wrong && actual == hash)
    );
    assert!(!f.store.exists(&wrong).await.expect("exists"));
    let mut expected = vec![f.stored_file(&hash), f.stored_file(&small_hash), f.stored_file(&empty_hash)];
    expected.sort();
    f.assert_only(&expected).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_small_files_and_bytes() {
    small_files_and_bytes(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_small_files_and_bytes() {
    small_files_and_bytes(Backend::S3).await;
}

async fn tampering_and_loss_are_found(backend: Backend) {
    let f = fixture(backend).await;
    let path = f.scratch.path().join("passport.jpg");
    let hash = write_random_file(&path, 2_000_000, 11);
    f.store.put_file(&hash, &path).await.expect("put");
    assert_eq!(f.store.verify(&hash).await.expect("verify"), Verification::Intact);

    // One byte changed behind the store's back, same size.
    let stored = f.stored_file(&hash);
    let mut bytes = std::fs::read(&stored).expect("stored file");
    bytes[1_000_000] ^= 0x01;
    std::fs::write(&stored, &bytes).expect("tamper");
    assert_eq!(
        f.store.verify(&hash).await.expect("verify"),
        Verification::Mismatch { actual: ContentHash::of(&bytes) }
    );
    // Same size: the upload is deduplicated; finding the damage is `verify`'s job.
    assert_eq!(f.store.put_file(&hash, &path).await.expect("put"), PutOutcome::AlreadyPresent);

    // Truncated: an upload of the genuine file says so, and leaves the evidence alone.
    std::fs::write(&stored, &bytes[..1000]).expect("truncate");
    let damaged = f.store.put_file(&hash, &path).await;
    assert!(matches!(damaged, Err(ObjectError::Damaged { stored: 1000, offered: 2_000_000, .. })), "{damaged:?}");
    assert_eq!(std::fs::metadata(&stored).expect("stored").len(), 1000);

    // Deleted.
    std::fs::remove_file(&stored).expect("delete");
    assert_eq!(f.store.verify(&hash).await.expect("verify"), Verification::Missing);
    assert!(!f.store.exists(&hash).await.expect("exists"));
    assert!(matches!(f.store.get(&hash).await, Err(ObjectError::Missing)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_tampering_and_loss_are_found() {
    tampering_and_loss_are_found(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_tampering_and_loss_are_found() {
    tampering_and_loss_are_found(Backend::S3).await;
}

/// What `nansen documents gc` walks: every stored object once, with its size and time, and
/// nothing else under the prefix; a deletion of one leaves the others.
async fn objects_are_listed_and_deleted(backend: Backend) {
    let f = fixture(backend).await;
    let started = std::time::SystemTime::now() - Duration::from_secs(2);
    let mut hashes = Vec::new();
    for (i, len) in [10usize, 2_000, 300_000].into_iter().enumerate() {
        let bytes = Bytes::from(vec![i as u8; len]);
        let hash = ContentHash::of(&bytes);
        f.store.put_bytes(&hash, bytes).await.expect("put");
        hashes.push((hash, len as u64));
    }
    // Debris that is no content address: never listed, so never removed.
    let debris = f.objects_dir.join(f.store.key_of(&hashes[0].0)).with_file_name("not-a-hash");
    std::fs::write(&debris, b"x").expect("debris");
    let mut listed: Vec<(ContentHash, u64)> = Vec::new();
    let mut stream = f.store.list();
    while let Some(object) = stream.next().await {
        let object = object.expect("listed");
        assert!(object.modified >= started, "{object:?}");
        listed.push((object.hash, object.size));
    }
    listed.sort_by_key(|(h, _)| h.to_hex());
    hashes.sort_by_key(|(h, _)| h.to_hex());
    assert_eq!(listed, hashes);

    f.store.delete(&hashes[1].0).await.expect("delete");
    f.store.delete(&hashes[1].0).await.expect("deleting twice is no error");
    assert!(!f.store.exists(&hashes[1].0).await.expect("exists"));
    assert!(f.store.exists(&hashes[0].0).await.expect("exists"));
    let left: Vec<_> = f.store.list().map(|o| o.expect("listed").hash).collect().await;
    assert_eq!(left.len(), 2);
    assert!(debris.exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_objects_are_listed_and_deleted() {
    objects_are_listed_and_deleted(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_objects_are_listed_and_deleted() {
    objects_are_listed_and_deleted(Backend::S3).await;
}

async fn a_refused_upload_leaves_nothing(backend: Backend) {
    let f = fixture(backend).await;
    // The caller hashed one file, but the file at the path is now another (changed, truncated).
    let path = f.scratch.path().join("scan.tiff");
    let announced = write_random_file(&path, MB20, 5);
    let actual = write_random_file(&path, MB20 - 4096, 6);
    let refused = f.store.put_file(&announced, &path).await;
    assert!(
        matches!(refused, Err(ObjectError::ContentMismatch { expected, actual: a }) if expected == announced && a == actual),
        "{refused:?}"
    );
    assert!(!f.store.exists(&announced).await.expect("exists"));
    assert!(!f.store.exists(&actual).await.expect("exists"));
    f.assert_only(&[]).await;
    if let Some(server) = &f.server {
        assert_eq!((server.pending_uploads(), server.pending_parts()), (0, 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_a_refused_upload_leaves_nothing() {
    a_refused_upload_leaves_nothing(Backend::Local).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_a_refused_upload_leaves_nothing() {
    a_refused_upload_leaves_nothing(Backend::S3).await;
}

/// The client goes away half-way: the source is a pipe that delivers 12 MiB then stalls; once
/// the multipart upload has started, the `put_file` future is dropped.
#[cfg(unix)]
async fn an_interrupted_upload_leaves_nothing(backend: Backend) {
    use std::io::Write;
    let f = fixture(backend).await;
    let fifo = f.scratch.path().join("upload.pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    let hash = ContentHash::of(b"whatever was announced");

    let (release, released) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn({
        let fifo = fifo.clone();
        move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).expect("open pipe");
            let chunk = vec![0x5a_u8; 1024 * 1024];
            for _ in 0..12 {
                pipe.write_all(&chunk).expect("write pipe");
            }
            // Hold the pipe open (the reader stalls) until told to go.
            let _ = released.recv();
        }
    });

    let store = f.store.clone();
    let upload = tokio::spawn(async move { store.put_file(&hash, &fifo).await });
    // Wait until the upload has started: a staging file in the directory, an upload on the server.
    let started = async {
        loop {
            let begun = match &f.server {
                None => !files_under(&f.objects_dir).is_empty(),
                Some(server) => server.pending_uploads() > 0,
            };
            if begun {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(30), started).await.expect("the upload starts");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!upload.is_finished(), "the upload waits for the rest of the pipe");
    upload.abort();
    assert!(upload.await.expect_err("aborted").is_cancelled());
    release.send(()).expect("release the writer");
    writer.join().expect("writer thread");

    f.assert_only(&[]).await;
    if let Some(server) = &f.server {
        assert_eq!((server.pending_uploads(), server.pending_parts()), (0, 0));
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_an_interrupted_upload_leaves_nothing() {
    an_interrupted_upload_leaves_nothing(Backend::Local).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_an_interrupted_upload_leaves_nothing() {
    an_interrupted_upload_leaves_nothing(Backend::S3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_wrong_credentials_are_a_clear_error() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = start_s3_test_server(dir.path()).await;
    let mut config = server.config("");
    config.secret_access_key = "not-the-secret".to_owned();
    let store = DocumentStore::s3(&config).expect("S3 store");
    let bytes = Bytes::from_static(b"a receipt");
    let hash = ContentHash::of(&bytes);

    let denied = store.put_bytes(&hash, bytes).await;
    let Err(error @ ObjectError::Denied { .. }) = denied else { panic!("access denied, got {denied:?}") };
    let message = error.to_string();
    assert!(message.contains("refused access"), "{message}");
    assert!(!message.contains("not-the-secret") && !message.contains(&server.secret_key), "{message}");
    assert!(matches!(store.exists(&hash).await, Err(ObjectError::Denied { .. })));
    assert!(files_under(&server.bucket_dir()).is_empty());
}

/// Two web nodes, each with its own client, share one bucket.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn s3_nodes_share_the_store() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let server = start_s3_test_server(dir.path()).await;
    let url = server.url("shared");
    let lookup = |name: &str| server.env().into_iter().find(|(k, _)| *k == name).map(|(_, v)| v);
    let node_a = DocumentStore::from_url_with(&url, lookup).expect("node A");
    let node_b = DocumentStore::from_url_with(&url, lookup).expect("node B");
    assert_eq!(node_a.describe(), format!("s3://{}/shared at {} (region us-east-1)", server.bucket, server.endpoint));

    let bytes = Bytes::from_static(b"a convocation");
    let hash = ContentHash::of(&bytes);
    assert_eq!(node_a.put_bytes(&hash, bytes.clone()).await.expect("put on A"), PutOutcome::Stored);
    assert!(node_b.exists(&hash).await.expect("exists on B"));
    assert_eq!(node_b.put_bytes(&hash, bytes).await.expect("put on B"), PutOutcome::AlreadyPresent);
    assert_eq!(node_b.verify(&hash).await.expect("verify on B"), Verification::Intact);
    assert_eq!(files_under(&server.bucket_dir()), vec![server.object_file(&node_a.key_of(&hash))]);
}
