//! The content-addressed document store: where the bytes of scans and generated letters live, in a
//! directory by default or in S3-compatible storage in production, under their SHA-256.
//!
//! One interface, [`DocumentStore`], over both backends (the `object_store` crate's
//! `LocalFileSystem` and `AmazonS3`):
//!
//! - **Addressed by content.** An object's key is derived from the SHA-256 of its bytes:
//!   `[prefix/]sha256/ab/cd/abcd…` (two levels of fan-out, see [`DocumentStore::key_of`]). The same
//!   file uploaded twice is stored once ([`PutOutcome::AlreadyPresent`]); callers journal the hash,
//!   and [`DocumentStore::verify`] re-reads an object to find any whose content no longer matches
//!   (`nansen audit verify --documents`).
//! - **Never trusts the address it is given.** [`DocumentStore::put_file`] and
//!   [`DocumentStore::put_bytes`] recompute the SHA-256 of what they store and refuse
//!   ([`ObjectError::ContentMismatch`]) anything that does not hash to the announced address: a file
//!   changed since it was hashed can never be stored under the old hash.
//! - **Nothing half-written.** A directory write goes to a temporary file renamed into place once
//!   complete (then `fsync`ed, file and directory); an S3 write is a single `PUT` or a multipart
//!   upload that becomes visible only when completed. A refused or failed upload is aborted; a
//!   `put_file` future dropped half-way (client gone, timeout) aborts its upload in the background.
//!   Only a crash of the process itself can leave debris, never a visible object: staging files
//!   named `…#<digits>` in the directory, or an incomplete multipart upload in the bucket; give
//!   production buckets a lifecycle rule `AbortIncompleteMultipartUpload` (e.g. after one day).
//! - **Bounded memory.** Files are streamed in parts ([`LOCAL_PART_SIZE`] in a directory,
//!   [`S3_PART_SIZE`] to S3, at most [`PARTS_IN_FLIGHT`] parts uploading at once, so about
//!   3 × 8 MiB per S3 upload whatever the file's size); downloads and verification read chunks.
//! - **Shared by several web nodes.** The store keeps no state in process memory: two nodes
//!   writing the same content write the same bytes under the same key, whichever finishes last.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use bytes::{BufMut, Bytes, BytesMut};
use futures_util::stream::BoxStream;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;
use object_store::{
    ClientOptions, GetResultPayload, MultipartUpload, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig,
};
use sha2::{Digest, Sha256};
use tokio::io::AsyncReadExt;
use tokio::task::JoinSet;

#[cfg(feature = "s3-test-server")]
pub mod testing;

/// Part size of a multipart upload into a directory.
pub const LOCAL_PART_SIZE: usize = 1024 * 1024;
/// Part size of a multipart upload to S3 (S3 requires at least 5 MiB for every part but the last).
pub const S3_PART_SIZE: usize = 8 * 1024 * 1024;
/// How many parts of one upload may be sent at the same time.
pub const PARTS_IN_FLIGHT: usize = 2;
/// Size of the chunks read from a directory when streaming an object out.
const READ_CHUNK: usize = 128 * 1024;
/// Key of every object under the store's prefix: `sha256/ab/cd/<64 hex digits>`.
const KEY_ROOT: &str = "sha256";

// ---------------------------------------------------------------------------------------------
// Content hash

/// The SHA-256 of a document's bytes: its address in the store.
///
/// Displayed (and parsed, [`FromStr`]) as 64 lowercase hexadecimal digits, nothing else;
/// serialized the same way.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct ContentHash(pub [u8; 32]);

impl ContentHash {
    /// The SHA-256 of `bytes`.
    pub fn of(bytes: &[u8]) -> ContentHash {
        ContentHash(Sha256::digest(bytes).into())
    }

    /// 64 lowercase hexadecimal digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The key of this content under a store's prefix: `sha256/ab/cd/abcd…`.
    pub fn object_key(&self) -> String {
        let hex = self.to_hex();
        format!("{KEY_ROOT}/{}/{}/{hex}", &hex[0..2], &hex[2..4])
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// A string that is not 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a SHA-256 is written as 64 lowercase hexadecimal digits")]
pub struct ParseContentHashError;

impl FromStr for ContentHash {
    type Err = ParseContentHashError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let canonical = s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
        if !canonical {
            return Err(ParseContentHashError);
        }
        let mut out = [0_u8; 32];
        hex::decode_to_slice(s, &mut out).map_err(|_| ParseContentHashError)?;
        Ok(ContentHash(out))
    }
}

impl serde::Serialize for ContentHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for ContentHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Computes a [`ContentHash`] over bytes fed in pieces.
#[derive(Clone, Default)]
pub struct ContentHasher(Sha256);

impl ContentHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> ContentHash {
        ContentHash(self.0.finalize().into())
    }
}

// ---------------------------------------------------------------------------------------------
// Errors and outcomes

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    /// No object is stored under this hash.
    #[error("no document is stored under this hash")]
    Missing,
    /// The bytes offered do not hash to the address they were offered under; nothing was stored.
    #[error("the content offered does not match its address: expected SHA-256 {expected}, read {actual}; nothing was stored")]
    ContentMismatch { expected: ContentHash, actual: ContentHash },
    /// An object is stored under this hash but its size differs from the file offered: the stored
    /// copy is damaged. It is left as it is, for `nansen audit verify --documents` to report.
    #[error("the object stored for {hash} has {stored} bytes but the content has {offered}: the stored copy is damaged (see `nansen audit verify --documents`)")]
    Damaged { hash: ContentHash, stored: u64, offered: u64 },
    /// The backend refused the credentials or the access (HTTP 401 or 403, or file permissions).
    #[error("{store} refused access (check the credentials and permissions): {source}")]
    Denied { store: String, source: object_store::Error },
    /// Any other failure of the backend (network, server, file system behind `object_store`).
    #[error("{store}: {source}")]
    Backend { store: String, source: object_store::Error },
    /// Reading or syncing a local file failed.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// The store's configuration is incomplete or malformed.
    #[error("document store configuration: {message}")]
    Config { message: String },
}

impl ObjectError {
    fn config(message: impl Into<String>) -> Self {
        ObjectError::Config { message: message.into() }
    }

    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ObjectError + '_ {
        move |source| ObjectError::Io { path: path.to_owned(), source }
    }
}

/// What [`DocumentStore::put_file`] or [`DocumentStore::put_bytes`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The content was written.
    Stored,
    /// An object with this hash (hence these bytes) was already stored; nothing was written.
    AlreadyPresent,
}

/// What [`DocumentStore::verify`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The stored bytes hash to their address.
    Intact,
    /// Nothing is stored under this hash.
    Missing,
    /// The stored bytes hash to something else.
    Mismatch { actual: ContentHash },
}

// ---------------------------------------------------------------------------------------------
// Configuration

/// Where and how to reach an S3-compatible bucket. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct S3Config {
    pub bucket: String,
    /// Keys are placed under this prefix (`""` for none); leading and trailing `/` are ignored.
    pub prefix: String,
    /// `None` for AWS itself; otherwise the base URL of the S3-compatible service, e.g.
    /// `https://s3.example.org` (requests are path-style: `<endpoint>/<bucket>/<key>`).
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Allow a plain `http://` endpoint (loopback test servers only).
    pub allow_http: bool,
}

impl fmt::Debug for S3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3Config")
            .field("bucket", &self.bucket)
            .field("prefix", &self.prefix)
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<hidden>")
            .field("allow_http", &self.allow_http)
            .finish()
    }
}

/// Environment variables read by [`DocumentStore::from_url`] for an `s3://` URL.
pub mod env {
    /// Base URL of an S3-compatible service; unset for AWS itself.
    pub const ENDPOINT: &str = "NANSEN_S3_ENDPOINT";
    /// Region used to sign requests; `us-east-1` when unset.
    pub const REGION: &str = "NANSEN_S3_REGION";
    pub const ACCESS_KEY_ID: &str = "AWS_ACCESS_KEY_ID";
    pub const SECRET_ACCESS_KEY: &str = "AWS_SECRET_ACCESS_KEY";
    /// `1` (or `true`) to allow a plain `http://` endpoint, for loopback test servers.
    pub const ALLOW_HTTP: &str = "NANSEN_S3_ALLOW_HTTP";
    /// Region used when [`REGION`] is unset.
    pub const DEFAULT_REGION: &str = "us-east-1";
}

// ---------------------------------------------------------------------------------------------
// The store

/// An object found by [`DocumentStore::list`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredObject {
    pub hash: ContentHash,
    pub size: u64,
    /// When it was last written (to the second).
    pub modified: std::time::SystemTime,
}

/// The document store: cheap to clone (an `Arc` inside), shareable between tasks and threads.
#[derive(Clone)]
pub struct DocumentStore {
    inner: Arc<Inner>,
}

struct Inner {
    store: Box<dyn ObjectStore>,
    backend: Backend,
    /// Normalized prefix, without leading or trailing `/`; empty for none.
    prefix: String,
    part_size: usize,
}

enum Backend {
    /// Canonical path of the directory.
    Local {
        root: PathBuf,
    },
    S3 {
        bucket: String,
        endpoint: Option<String>,
        region: String,
    },
}

impl fmt::Debug for DocumentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DocumentStore").field(&self.describe()).finish()
    }
}

impl DocumentStore {
    /// A directory (created if absent).
    pub fn local(dir: &Path) -> Result<Self, ObjectError> {
        std::fs::create_dir_all(dir).map_err(ObjectError::io(dir))?;
        let root = std::fs::canonicalize(dir).map_err(ObjectError::io(dir))?;
        let store = LocalFileSystem::new_with_prefix(&root)
            .map_err(|source| ObjectError::Backend { store: format!("directory {}", root.display()), source })?;
        Ok(Self::with(Box::new(store), Backend::Local { root }, String::new(), LOCAL_PART_SIZE))
    }

    /// S3-compatible storage.
    pub fn s3(config: &S3Config) -> Result<Self, ObjectError> {
        if config.bucket.is_empty() {
            return Err(ObjectError::config("the S3 bucket is empty"));
        }
        if config.region.is_empty() {
            return Err(ObjectError::config("the S3 region is empty"));
        }
        if config.access_key_id.is_empty() || config.secret_access_key.is_empty() {
            return Err(ObjectError::config("the S3 access key id and secret access key are required"));
        }
        let prefix = config.prefix.trim_matches('/').to_owned();
        if !prefix.is_empty() {
            ObjectPath::parse(&prefix)
                .map_err(|e| ObjectError::config(format!("the S3 prefix {prefix:?} is not a valid key prefix: {e}")))?;
        }
        let retry = RetryConfig { max_retries: 5, retry_timeout: Duration::from_secs(60), ..RetryConfig::default() };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&config.bucket)
            .with_region(&config.region)
            .with_access_key_id(&config.access_key_id)
            .with_secret_access_key(&config.secret_access_key)
            .with_allow_http(config.allow_http)
            .with_virtual_hosted_style_request(false)
            .with_retry(retry)
            .with_client_options(
                ClientOptions::new()
                    .with_allow_http(config.allow_http)
                    .with_connect_timeout(Duration::from_secs(10))
                    .with_timeout(Duration::from_secs(120)),
            );
        let endpoint = config.endpoint.as_deref().map(|e| e.trim_end_matches('/').to_owned());
        if let Some(endpoint) = &endpoint {
            builder = builder.with_endpoint(endpoint);
        }
        let store = builder.build().map_err(|e| ObjectError::config(format!("S3 bucket {:?}: {e}", config.bucket)))?;
        let backend = Backend::S3 { bucket: config.bucket.clone(), endpoint, region: config.region.clone() };
        Ok(Self::with(Box::new(store), backend, prefix, S3_PART_SIZE))
    }

    /// From a URL, as given in Nansen's configuration (`NANSEN_DOCUMENTS_URL` or the TOML file):
    ///
    /// - a plain path (`./data/documents`) or `file:///absolute/path` → a directory, created if
    ///   absent ([`DocumentStore::local`]; the `file://` path is taken literally, not
    ///   percent-decoded);
    /// - `s3://bucket` or `s3://bucket/prefix` → S3-compatible storage ([`DocumentStore::s3`]),
    ///   the rest read from the environment (see [`env`]):
    ///   - `NANSEN_S3_ENDPOINT`: the service's base URL, e.g. `https://s3.example.org`; unset for
    ///     AWS itself;
    ///   - `NANSEN_S3_REGION`: the signing region, `us-east-1` when unset;
    ///   - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`: required;
    ///   - `NANSEN_S3_ALLOW_HTTP=1`: accept a plain `http://` endpoint (loopback test servers).
    ///
    /// Any other scheme is a [`ObjectError::Config`].
    pub fn from_url(url: &str) -> Result<Self, ObjectError> {
        Self::from_url_with(url, |name| std::env::var(name).ok())
    }

    /// [`DocumentStore::from_url`] with the variables looked up by `lookup` instead of the
    /// process environment (for layered configuration, and for tests).
    pub fn from_url_with(url: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ObjectError> {
        match parse_url(url, lookup)? {
            Location::Local(dir) => Self::local(&dir),
            Location::S3(config) => Self::s3(&config),
        }
    }

    fn with(store: Box<dyn ObjectStore>, backend: Backend, prefix: String, part_size: usize) -> Self {
        DocumentStore { inner: Arc::new(Inner { store, backend, prefix, part_size }) }
    }

    /// Where the documents are, for logs and status pages (no secrets), e.g.
    /// `directory /srv/nansen/documents` or `s3://bucket/prefix at https://s3.example.org (region fr-par)`.
    pub fn describe(&self) -> String {
        match &self.inner.backend {
            Backend::Local { root } => format!("directory {}", root.display()),
            Backend::S3 { bucket, endpoint, region } => {
                let prefix =
                    if self.inner.prefix.is_empty() { String::new() } else { format!("/{}", self.inner.prefix) };
                match endpoint {
                    Some(endpoint) => format!("s3://{bucket}{prefix} at {endpoint} (region {region})"),
                    None => format!("s3://{bucket}{prefix} (AWS, region {region})"),
                }
            }
        }
    }

    /// The directory, for a local store.
    pub fn local_dir(&self) -> Option<&Path> {
        match &self.inner.backend {
            Backend::Local { root } => Some(root),
            Backend::S3 { .. } => None,
        }
    }

    /// The full key of `hash` in this store: `[prefix/]sha256/ab/cd/abcd…` (a path relative to the
    /// directory, or the key in the bucket).
    pub fn key_of(&self, hash: &ContentHash) -> String {
        if self.inner.prefix.is_empty() {
            hash.object_key()
        } else {
            format!("{}/{}", self.inner.prefix, hash.object_key())
        }
    }

    fn location(&self, hash: &ContentHash) -> ObjectPath {
        ObjectPath::from(self.key_of(hash))
    }

    /// Streams the file at `path` (already hashed by the caller) into the store under its hash.
    ///
    /// If the object already exists, nothing is written (dedup), unless its size differs from the
    /// file's ([`ObjectError::Damaged`]). Otherwise the file is read in parts, hashed again as it
    /// is read, and written atomically: a single write for a file smaller than a part, a multipart
    /// upload otherwise (memory bounded by [`PARTS_IN_FLIGHT`] + 1 parts). If the content does not
    /// hash to `hash` ([`ObjectError::ContentMismatch`]), or reading or writing fails, the upload
    /// is aborted and leaves nothing behind; so does dropping the future half-way (the abort is
    /// then sent in the background).
    pub async fn put_file(&self, hash: &ContentHash, path: &Path) -> Result<PutOutcome, ObjectError> {
        let mut file = tokio::fs::File::open(path).await.map_err(ObjectError::io(path))?;
        let metadata = file.metadata().await.map_err(ObjectError::io(path))?;
        let location = self.location(hash);
        if let Some(stored) = self.stored_size(&location).await? {
            if metadata.is_file() && stored != metadata.len() {
                return Err(ObjectError::Damaged { hash: *hash, stored, offered: metadata.len() });
            }
            tracing::debug!(%hash, store = %self.describe(), "document already stored");
            return Ok(PutOutcome::AlreadyPresent);
        }

        let part_size = self.inner.part_size;
        let mut hasher = ContentHasher::new();
        let first = read_part(&mut file, path, part_size, &mut hasher).await?;
        if first.len() < part_size {
            check(hash, hasher)?;
            self.write_whole(&location, first.freeze()).await?;
        } else {
            self.write_parts(hash, &location, first, &mut file, path, hasher).await?;
        }
        self.sync(hash).await?;
        tracing::info!(%hash, store = %self.describe(), "document stored");
        Ok(PutOutcome::Stored)
    }

    /// Stores bytes held in memory (generated PDFs) under their hash; like
    /// [`DocumentStore::put_file`], refuses bytes that do not hash to `hash`.
    pub async fn put_bytes(&self, hash: &ContentHash, bytes: Bytes) -> Result<PutOutcome, ObjectError> {
        let actual = ContentHash::of(&bytes);
        if actual != *hash {
            return Err(ObjectError::ContentMismatch { expected: *hash, actual });
        }
        let location = self.location(hash);
        if let Some(stored) = self.stored_size(&location).await? {
            let offered = bytes.len() as u64;
            if stored != offered {
                return Err(ObjectError::Damaged { hash: *hash, stored, offered });
            }
            return Ok(PutOutcome::AlreadyPresent);
        }
        self.write_whole(&location, bytes).await?;
        self.sync(hash).await?;
        tracing::info!(%hash, store = %self.describe(), "document stored");
        Ok(PutOutcome::Stored)
    }

    /// Whether an object is stored under `hash`.
    pub async fn exists(&self, hash: &ContentHash) -> Result<bool, ObjectError> {
        Ok(self.stored_size(&self.location(hash)).await?.is_some())
    }

    /// Size and a stream of chunks, to serve a download without holding the file in memory.
    /// [`ObjectError::Missing`] if nothing is stored under `hash`.
    pub async fn get(
        &self,
        hash: &ContentHash,
    ) -> Result<(u64, BoxStream<'static, Result<Bytes, ObjectError>>), ObjectError> {
        let result = self.inner.store.get(&self.location(hash)).await.map_err(|e| self.error(e))?;
        let size = result.meta.size;
        let stream = match result.payload {
            GetResultPayload::File(file, path) => file_chunks(tokio::fs::File::from_std(file), path),
            GetResultPayload::Stream(stream) => {
                let this = self.clone();
                stream.map_err(move |e| this.error(e)).boxed()
            }
        };
        Ok((size, stream))
    }

    /// Re-reads the object (streaming) and recomputes its SHA-256.
    pub async fn verify(&self, hash: &ContentHash) -> Result<Verification, ObjectError> {
        let mut stream = match self.get(hash).await {
            Ok((_, stream)) => stream,
            Err(ObjectError::Missing) => return Ok(Verification::Missing),
            Err(e) => return Err(e),
        };
        let mut hasher = ContentHasher::new();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(chunk) => hasher.update(&chunk),
                // Deleted while being read.
                Err(ObjectError::Missing) => return Ok(Verification::Missing),
                Err(e) => return Err(e),
            }
        }
        let actual = hasher.finish();
        if actual == *hash {
            Ok(Verification::Intact)
        } else {
            tracing::warn!(%hash, %actual, store = %self.describe(), "stored document does not match its hash");
            Ok(Verification::Mismatch { actual })
        }
    }

    /// Every object stored under a content address (`[prefix/]sha256/…`), in no particular order,
    /// with its size and when it was last written; anything else under the prefix (a staging
    /// file left by a crash, a foreign key) is not listed. Streams the listing: memory does not
    /// grow with the number of objects.
    pub fn list(&self) -> BoxStream<'static, Result<StoredObject, ObjectError>> {
        let root = if self.inner.prefix.is_empty() {
            ObjectPath::from(KEY_ROOT)
        } else {
            ObjectPath::from(format!("{}/{KEY_ROOT}", self.inner.prefix))
        };
        let this = self.clone();
        self.inner
            .store
            .list(Some(&root))
            .map_err({
                let this = self.clone();
                move |e| this.error(e)
            })
            .try_filter_map(move |meta| {
                let key = meta.location.to_string();
                let listed = key
                    .rsplit('/')
                    .next()
                    .and_then(|name| name.parse::<ContentHash>().ok())
                    // The address must be the one this store would give the content.
                    .filter(|hash| this.key_of(hash) == key)
                    .map(|hash| StoredObject {
                        hash,
                        size: meta.size,
                        modified: std::time::UNIX_EPOCH
                            + Duration::from_secs(u64::try_from(meta.last_modified.timestamp()).unwrap_or(0)),
                    });
                futures_util::future::ready(Ok(listed))
            })
            .boxed()
    }

    /// Removes the object stored under `hash` (nothing if there is none). Only for objects no
    /// document references: see `nansen documents gc`.
    pub async fn delete(&self, hash: &ContentHash) -> Result<(), ObjectError> {
        match self.inner.store.delete(&self.location(hash)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                tracing::info!(%hash, store = %self.describe(), "document removed");
                Ok(())
            }
            Err(e) => Err(self.error(e)),
        }
    }

    /// The size of the object at `location`, if there is one.
    async fn stored_size(&self, location: &ObjectPath) -> Result<Option<u64>, ObjectError> {
        match self.inner.store.head(location).await {
            Ok(meta) => Ok(Some(meta.size)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.error(e)),
        }
    }

    /// One atomic write of content already checked.
    async fn write_whole(&self, location: &ObjectPath, bytes: Bytes) -> Result<(), ObjectError> {
        self.inner.store.put(location, PutPayload::from(bytes)).await.map_err(|e| self.error(e))?;
        Ok(())
    }

    /// A multipart upload of the rest of `file`, `first` already read; completed only if the whole
    /// content hashes to `hash`, aborted otherwise.
    async fn write_parts(
        &self,
        hash: &ContentHash,
        location: &ObjectPath,
        first: BytesMut,
        file: &mut tokio::fs::File,
        path: &Path,
        mut hasher: ContentHasher,
    ) -> Result<(), ObjectError> {
        let upload = self.inner.store.put_multipart(location).await.map_err(|e| self.error(e))?;
        let mut upload = PendingUpload::new(upload, self.describe());
        let sent = async {
            let part_size = self.inner.part_size;
            let mut part = first;
            loop {
                let last = part.len() < part_size;
                if !part.is_empty() {
                    upload.send(PutPayload::from(part.freeze())).await.map_err(|e| self.error(e))?;
                }
                if last {
                    break;
                }
                // Read the next part while the previous ones are being sent.
                part = read_part(file, path, part_size, &mut hasher).await?;
            }
            upload.sent().await.map_err(|e| self.error(e))?;
            check(hash, hasher)
        }
        .await;
        match sent {
            Ok(()) => upload.complete().await.map_err(|e| self.error(e)),
            Err(e) => {
                upload.abort().await;
                Err(e)
            }
        }
    }

    /// Makes a write to a directory durable: the file's data, then the directory entries up to the
    /// store's root.
    async fn sync(&self, hash: &ContentHash) -> Result<(), ObjectError> {
        let Backend::Local { root } = &self.inner.backend else {
            return Ok(());
        };
        let file = root.join(hash.object_key());
        let root = root.clone();
        tokio::task::spawn_blocking(move || -> Result<(), ObjectError> {
            std::fs::File::open(&file).and_then(|f| f.sync_all()).map_err(ObjectError::io(&file))?;
            let mut dir = file.parent();
            while let Some(d) = dir {
                std::fs::File::open(d).and_then(|f| f.sync_all()).map_err(ObjectError::io(d))?;
                if d == root {
                    break;
                }
                dir = d.parent();
            }
            Ok(())
        })
        .await
        .map_err(|e| ObjectError::Io { path: PathBuf::from(hash.object_key()), source: std::io::Error::other(e) })?
    }

    fn error(&self, source: object_store::Error) -> ObjectError {
        let store = self.describe();
        match source {
            object_store::Error::NotFound { .. } => ObjectError::Missing,
            object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. } => {
                ObjectError::Denied { store, source }
            }
            source => ObjectError::Backend { store, source },
        }
    }
}

/// Checks that what was read hashes to the announced address.
fn check(expected: &ContentHash, hasher: ContentHasher) -> Result<(), ObjectError> {
    let actual = hasher.finish();
    if actual == *expected {
        Ok(())
    } else {
        Err(ObjectError::ContentMismatch { expected: *expected, actual })
    }
}

/// Reads up to `part_size` bytes (fewer only at the end of the file), feeding them to `hasher`.
async fn read_part(
    file: &mut tokio::fs::File,
    path: &Path,
    part_size: usize,
    hasher: &mut ContentHasher,
) -> Result<BytesMut, ObjectError> {
    let mut part = BytesMut::with_capacity(part_size);
    while part.len() < part_size {
        let before = part.len();
        let read = file.read_buf(&mut (&mut part).limit(part_size - before)).await.map_err(ObjectError::io(path))?;
        if read == 0 {
            break;
        }
        hasher.update(&part[before..]);
    }
    Ok(part)
}

/// A local file as a stream of chunks of at most [`READ_CHUNK`] bytes.
fn file_chunks(file: tokio::fs::File, path: PathBuf) -> BoxStream<'static, Result<Bytes, ObjectError>> {
    futures_util::stream::try_unfold((file, path), |(mut file, path)| async move {
        let mut chunk = BytesMut::with_capacity(READ_CHUNK);
        let read = file.read_buf(&mut chunk).await.map_err(ObjectError::io(&path))?;
        if read == 0 {
            Ok(None)
        } else {
            Ok(Some((chunk.freeze(), (file, path))))
        }
    })
    .boxed()
}

/// A multipart upload that is aborted unless completed, even when the future driving it is
/// dropped: the parts still being sent are then awaited and the upload aborted in a background task.
struct PendingUpload {
    upload: Option<Box<dyn MultipartUpload>>,
    /// Parts being sent, at most [`PARTS_IN_FLIGHT`].
    parts: JoinSet<Result<(), object_store::Error>>,
    store: String,
}

impl PendingUpload {
    fn new(upload: Box<dyn MultipartUpload>, store: String) -> Self {
        PendingUpload { upload: Some(upload), parts: JoinSet::new(), store }
    }

    /// Starts sending the next part, once fewer than [`PARTS_IN_FLIGHT`] are being sent.
    async fn send(&mut self, data: PutPayload) -> Result<(), object_store::Error> {
        while self.parts.len() >= PARTS_IN_FLIGHT {
            if let Some(done) = self.parts.join_next().await {
                done??;
            }
        }
        if let Some(upload) = self.upload.as_mut() {
            self.parts.spawn(upload.put_part(data));
        }
        Ok(())
    }

    /// Waits until every part is sent.
    async fn sent(&mut self) -> Result<(), object_store::Error> {
        while let Some(done) = self.parts.join_next().await {
            done??;
        }
        Ok(())
    }

    async fn complete(mut self) -> Result<(), object_store::Error> {
        if let Some(mut upload) = self.upload.take() {
            if let Err(e) = upload.complete().await {
                abort(upload, std::mem::take(&mut self.parts), &self.store).await;
                return Err(e);
            }
        }
        Ok(())
    }

    async fn abort(mut self) {
        if let Some(upload) = self.upload.take() {
            abort(upload, std::mem::take(&mut self.parts), &self.store).await;
        }
    }
}

/// Aborts `upload` once none of its `parts` is being sent any more (a part arriving after the
/// abort could otherwise be kept by the server).
async fn abort(mut upload: Box<dyn MultipartUpload>, mut parts: JoinSet<Result<(), object_store::Error>>, store: &str) {
    while parts.join_next().await.is_some() {}
    match upload.abort().await {
        Ok(()) => tracing::debug!(store, "unfinished upload aborted"),
        Err(e) => tracing::warn!(store, error = %e, "could not abort an unfinished upload"),
    }
}

impl Drop for PendingUpload {
    fn drop(&mut self) {
        if let Some(upload) = self.upload.take() {
            let parts = std::mem::take(&mut self.parts);
            let store = std::mem::take(&mut self.store);
            match tokio::runtime::Handle::try_current() {
                Ok(runtime) => {
                    runtime.spawn(async move { abort(upload, parts, &store).await });
                }
                Err(_) => tracing::warn!(store, "an interrupted upload could not be aborted (no runtime)"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// URLs

#[derive(Debug, PartialEq, Eq)]
enum Location {
    Local(PathBuf),
    S3(S3Config),
}

fn parse_url(url: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<Location, ObjectError> {
    let url = url.trim();
    if url.is_empty() {
        return Err(ObjectError::config("the documents location is empty"));
    }
    if let Some(rest) = url.strip_prefix("s3://") {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(ObjectError::config(format!("no bucket in {url:?} (expected s3://bucket[/prefix])")));
        }
        let required = |name: &str| {
            lookup(name)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| ObjectError::config(format!("{url} needs the environment variable {name}")))
        };
        let allow_http = match lookup(env::ALLOW_HTTP).as_deref().map(str::trim) {
            None | Some("") | Some("0") | Some("false") => false,
            Some("1") | Some("true") => true,
            Some(other) => {
                return Err(ObjectError::config(format!("{} must be 1 or 0, not {other:?}", env::ALLOW_HTTP)))
            }
        };
        return Ok(Location::S3(S3Config {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            endpoint: lookup(env::ENDPOINT).filter(|v| !v.is_empty()),
            region: lookup(env::REGION).filter(|v| !v.is_empty()).unwrap_or_else(|| env::DEFAULT_REGION.to_owned()),
            access_key_id: required(env::ACCESS_KEY_ID)?,
            secret_access_key: required(env::SECRET_ACCESS_KEY)?,
            allow_http,
        }));
    }
    if let Some(rest) = url.strip_prefix("file://") {
        let path = rest.strip_prefix("localhost").unwrap_or(rest);
        if !path.starts_with('/') {
            return Err(ObjectError::config(format!("{url:?} is not an absolute file:/// URL")));
        }
        return Ok(Location::Local(PathBuf::from(path)));
    }
    if let Some((scheme, _)) = url.split_once("://") {
        return Err(ObjectError::config(format!(
            "unsupported documents location scheme {scheme:?} (use a directory path, file:///… or s3://bucket[/prefix])"
        )));
    }
    Ok(Location::Local(PathBuf::from(url)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_64_lowercase_hex_digits_and_nothing_else() {
        let hash = ContentHash::of(b"abc");
        let hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        assert_eq!(hash.to_hex(), hex);
        assert_eq!(hash.to_string(), hex);
        assert_eq!(hex.parse::<ContentHash>(), Ok(hash));
        for bad in [
            "",
            &hex[..63],
            &format!("{hex}0"),
            &hex.to_uppercase(),
            &format!(" {}", &hex[1..]),
            &format!("g{}", &hex[1..]),
            &format!("+{}", &hex[1..]),
        ] {
            assert_eq!(bad.parse::<ContentHash>(), Err(ParseContentHashError), "{bad:?}");
        }
    }

    #[test]
    fn a_hash_serializes_as_its_hex_form() {
        let hash = ContentHash::of(b"abc");
        let json = serde_json::to_string(&hash).expect("serializes");
        assert_eq!(json, format!("\"{hash}\""));
        assert_eq!(serde_json::from_str::<ContentHash>(&json).expect("parses"), hash);
        assert!(serde_json::from_str::<ContentHash>("\"ABC\"").is_err());
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    const KEYS: [(&str, &str); 2] = [("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "s3cr3t")];

    #[test]
    fn keys_fan_out_on_the_first_two_bytes() {
        let hash = ContentHash::of(b"abc");
        assert_eq!(hash.object_key(), "sha256/ba/78/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        let config = S3Config {
            bucket: "b".into(),
            prefix: "/nansen/prod/".into(),
            endpoint: None,
            region: "eu-west-3".into(),
            access_key_id: "AKID".into(),
            secret_access_key: "s3cr3t".into(),
            allow_http: false,
        };
        let store = DocumentStore::s3(&config).expect("valid configuration");
        assert_eq!(store.key_of(&hash), format!("nansen/prod/{}", hash.object_key()));
    }

    #[test]
    fn plain_paths_and_file_urls_are_directories() {
        let none = vars(&[]);
        assert_eq!(parse_url("./data/documents", &none).ok(), Some(Location::Local("./data/documents".into())));
        assert_eq!(parse_url("file:///srv/docs", &none).ok(), Some(Location::Local("/srv/docs".into())));
        assert_eq!(parse_url("file://localhost/srv/docs", &none).ok(), Some(Location::Local("/srv/docs".into())));
        assert!(matches!(parse_url("file://relative/x", &none), Err(ObjectError::Config { .. })));
        assert!(matches!(parse_url("gs://bucket", &none), Err(ObjectError::Config { .. })));
        assert!(matches!(parse_url("  ", &none), Err(ObjectError::Config { .. })));
    }

    #[test]
    fn s3_urls_take_the_rest_from_the_environment() {
        let lookup = vars(&[
            KEYS[0],
            KEYS[1],
            ("NANSEN_S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("NANSEN_S3_REGION", "fr-par"),
            ("NANSEN_S3_ALLOW_HTTP", "1"),
        ]);
        let Ok(Location::S3(config)) = parse_url("s3://docs/nansen/", &lookup) else {
            panic!("an S3 location");
        };
        assert_eq!(
            config,
            S3Config {
                bucket: "docs".into(),
                prefix: "nansen".into(),
                endpoint: Some("http://127.0.0.1:9000".into()),
                region: "fr-par".into(),
                access_key_id: "AKID".into(),
                secret_access_key: "s3cr3t".into(),
                allow_http: true,
            }
        );

        let Ok(Location::S3(config)) = parse_url("s3://docs", vars(&KEYS)) else {
            panic!("an S3 location");
        };
        assert_eq!(
            (config.prefix.as_str(), config.region.as_str(), config.endpoint, config.allow_http),
            ("", "us-east-1", None, false)
        );
    }

    #[test]
    fn s3_urls_without_keys_or_bucket_are_refused_clearly() {
        let Err(ObjectError::Config { message }) = parse_url("s3://docs", vars(&[KEYS[0]])) else {
            panic!("a configuration error");
        };
        assert!(message.contains("AWS_SECRET_ACCESS_KEY"), "{message}");
        assert!(matches!(parse_url("s3:///prefix", vars(&KEYS)), Err(ObjectError::Config { .. })));
        let lookup = vars(&[KEYS[0], KEYS[1], ("NANSEN_S3_ALLOW_HTTP", "yes please")]);
        assert!(matches!(parse_url("s3://docs", &lookup), Err(ObjectError::Config { .. })));
    }

    #[test]
    fn descriptions_and_debug_output_hold_no_secret() {
        let lookup = vars(&[KEYS[0], KEYS[1], ("NANSEN_S3_ENDPOINT", "https://s3.example.org/")]);
        let store = DocumentStore::from_url_with("s3://docs/nansen", &lookup).expect("valid configuration");
        assert_eq!(store.describe(), "s3://docs/nansen at https://s3.example.org (region us-east-1)");
        assert!(!format!("{store:?}").contains("s3cr3t"));
        let Ok(Location::S3(config)) = parse_url("s3://docs", &lookup) else {
            panic!("an S3 location");
        };
        assert!(!format!("{config:?}").contains("s3cr3t"));
        assert!(format!("{config:?}").contains("<hidden>"));
    }

    #[test]
    fn a_directory_is_created_and_described() {
        let dir = tempfile::tempdir().expect("temporary directory");
        let path = dir.path().join("a/b");
        let store = DocumentStore::from_url(path.to_str().expect("utf-8 path")).expect("directory store");
        assert!(path.is_dir());
        let root = std::fs::canonicalize(&path).expect("exists");
        assert_eq!(store.describe(), format!("directory {}", root.display()));
        assert_eq!(store.local_dir(), Some(root.as_path()));
    }
}
