//! `nansen backup DIR` and `nansen restore DIR`: the database (a consistent copy taken while the
//! server runs), every stored document (each checked against its SHA-256 on the way), and the
//! keys kept outside the database (the journal's signing key, the secrets key, the seal key),
//! those encrypted with a passphrase (age, scrypt). A backup is complete when its
//! `manifest.json` exists: it is written last.
//!
//! The database is copied first and the documents after: a document's bytes are stored before
//! the commit that references it, and objects are only removed when no document references them
//! (`nansen documents gc`), so every document the copied database names is in the backup.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use futures_util::{StreamExt as _, TryStreamExt as _};
use nansen_docs::objects::{ContentHash, ContentHasher, DocumentStore, ObjectError};
use nansen_store::{Backend, Config, Store};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt as _;

use crate::progress::{Progress, Unit};
use crate::CliError;

/// The manifest's format; a restore refuses any other.
const FORMAT: &str = "nansen-backup/1";
const MANIFEST: &str = "manifest.json";
const KEYS: &str = "keys.age";
/// Objects copied at once (an S3 store answers each request with some latency).
const COPIES_IN_FLIGHT: usize = 8;
/// The shortest passphrase accepted for a new backup.
const MIN_PASSPHRASE: usize = 12;

#[derive(clap::Args)]
pub struct BackupArgs {
    /// The directory to write the backup to (created; must be empty).
    pub dir: PathBuf,
    #[command(flatten)]
    pub keys: KeyArgs,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The directory a backup was written to.
    pub dir: PathBuf,
    #[command(flatten)]
    pub keys: KeyArgs,
}

#[derive(clap::Args)]
pub struct KeyArgs {
    /// The secrets key (as `serve --secrets-key`; default DATA_DIR/keys/secrets.key).
    #[arg(long, env = "NANSEN_SECRETS_KEY")]
    secrets_key: Option<PathBuf>,
    /// The seal key (as `serve --seal-key`; default DATA_DIR/keys/seal.key).
    #[arg(long, env = "NANSEN_SEAL_KEY")]
    seal_key: Option<PathBuf>,
    /// A file whose first line is the passphrase that encrypts the keys in the backup;
    /// otherwise the NANSEN_BACKUP_PASSPHRASE environment variable.
    #[arg(long)]
    passphrase_file: Option<PathBuf>,
}

impl KeyArgs {
    /// The key files, by the name they have in a backup.
    fn paths(&self, config: &Config) -> [(&'static str, PathBuf); 3] {
        [
            ("journal-signing.key", config.signing_key_path()),
            ("secrets.key", self.secrets_key.clone().unwrap_or_else(|| config.data_dir.join("keys/secrets.key"))),
            ("seal.key", self.seal_key.clone().unwrap_or_else(|| config.data_dir.join("keys/seal.key"))),
        ]
    }

    fn passphrase(&self) -> Result<String, CliError> {
        let passphrase = match &self.passphrase_file {
            Some(file) => std::fs::read_to_string(file)
                .map_err(|e| CliError::Usage(format!("{}: {e}", file.display())))?
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
            None => std::env::var("NANSEN_BACKUP_PASSPHRASE").map_err(|_| {
                CliError::Usage(
                    "the keys in a backup are encrypted: give a passphrase with --passphrase-file FILE or \
                     NANSEN_BACKUP_PASSPHRASE"
                        .into(),
                )
            })?,
        };
        Ok(passphrase)
    }
}

/// What a backup holds, written last.
#[derive(Serialize, Deserialize, Debug)]
struct Manifest {
    format: String,
    nansen: String,
    created_at: String,
    backend: String,
    database: FileRecord,
    /// Journal entries committed before the copy began: the restored journal has at least these.
    journal_entries: u64,
    documents: DocumentsRecord,
    /// The key files in `keys.age`.
    keys: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug)]
struct FileRecord {
    file: String,
    sha256: String,
    size: u64,
}

#[derive(Serialize, Deserialize, Debug)]
struct DocumentsRecord {
    objects: u64,
    bytes: u64,
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgresql",
    }
}

fn usage(e: impl std::fmt::Display) -> CliError {
    CliError::Usage(e.to_string())
}

fn at(path: &Path) -> impl Fn(std::io::Error) -> CliError + '_ {
    move |e| CliError::Usage(format!("{}: {e}", path.display()))
}

/// Takes a backup of the running place into `args.dir`.
pub async fn backup(
    store: &Store,
    config: &Config,
    documents: &DocumentStore,
    args: &BackupArgs,
) -> Result<(), CliError> {
    let passphrase = args.keys.passphrase()?;
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(CliError::Usage(format!("the passphrase must have at least {MIN_PASSPHRASE} characters")));
    }
    let dir = &args.dir;
    std::fs::create_dir_all(dir).map_err(at(dir))?;
    if std::fs::read_dir(dir).map_err(at(dir))?.next().is_some() {
        return Err(CliError::Usage(format!("{} is not empty: a backup goes into a new directory", dir.display())));
    }
    let started = std::time::Instant::now();

    // 1. The database, while the server keeps writing.
    let progress = Progress::new("database", None, Unit::Items("journal entries"));
    let copy = store.copy_database(config, dir).await?;
    progress.set(copy.journal_entries);
    progress.finish();
    let database = record(&copy.file).await?;

    // 2. The documents, each checked against its hash.
    let target = DocumentStore::local(&dir.join("documents")).map_err(usage)?;
    let (objects, bytes) = copy_objects(documents, &target, &dir.join(".staging"), "documents").await?;
    let _ = std::fs::remove_dir(dir.join(".staging"));

    // 3. The keys, encrypted.
    let mut keys = BTreeMap::new();
    for (name, path) in args.keys.paths(config) {
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                keys.insert(name.to_owned(), text);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(at(&path)(e)),
        }
    }
    let plain = serde_json::to_vec(&keys).map_err(usage)?;
    let sealed = tokio::task::spawn_blocking(move || encrypt(&plain, passphrase)).await.map_err(usage)??;
    write_durably(&dir.join(KEYS), &sealed)?;

    // 4. The manifest, last: its presence says the backup is whole.
    let manifest = Manifest {
        format: FORMAT.into(),
        nansen: env!("CARGO_PKG_VERSION").into(),
        created_at: time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .map_err(usage)?,
        backend: backend_name(store.backend()).into(),
        database,
        journal_entries: copy.journal_entries,
        documents: DocumentsRecord { objects, bytes },
        keys: keys.keys().cloned().collect(),
    };
    write_durably(&dir.join(MANIFEST), &serde_json::to_vec_pretty(&manifest).map_err(usage)?)?;
    println!(
        "backup written to {}: {} database ({} journal entries), {objects} documents ({}), {} keys, in {:.1} s",
        dir.display(),
        manifest.backend,
        copy.journal_entries,
        indicatif::HumanBytes(bytes),
        manifest.keys.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Restores the backup in `args.dir` into the place `config` and `documents_url` name, which
/// must be empty. Runs before any store is opened (opening would create tables and a key).
pub async fn restore(config: &Config, documents_url: &str, args: &RestoreArgs) -> Result<(), CliError> {
    let dir = &args.dir;
    let manifest_path = dir.join(MANIFEST);
    let manifest: Manifest = match std::fs::read(&manifest_path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| CliError::Usage(format!("{}: not a backup manifest ({e})", manifest_path.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CliError::Usage(format!(
                "{} has no {MANIFEST}: not a backup, or one that did not finish",
                dir.display()
            )))
        }
        Err(e) => return Err(at(&manifest_path)(e)),
    };
    if manifest.format != FORMAT {
        return Err(CliError::Usage(format!(
            "{}: format {:?}, this Nansen reads {FORMAT:?}",
            dir.display(),
            manifest.format
        )));
    }
    let target_backend = match &config.database_url {
        Some(url) if url.starts_with("postgres") => Backend::Postgres,
        _ => Backend::Sqlite,
    };
    if manifest.backend != backend_name(target_backend) {
        return Err(CliError::Usage(format!(
            "this backup is of a {} database; restore it into the same kind (the target is {})",
            manifest.backend,
            backend_name(target_backend)
        )));
    }

    // Everything is checked before anything is written: the passphrase, the database copy.
    let passphrase = args.keys.passphrase()?;
    let sealed = std::fs::read(dir.join(KEYS)).map_err(at(&dir.join(KEYS)))?;
    let plain = tokio::task::spawn_blocking(move || decrypt(&sealed, passphrase)).await.map_err(usage)??;
    let keys: BTreeMap<String, String> = serde_json::from_slice(&plain).map_err(usage)?;
    let database_file = dir.join(&manifest.database.file);
    let found = record(&database_file).await?;
    if found.sha256 != manifest.database.sha256 || found.size != manifest.database.size {
        return Err(CliError::Usage(format!(
            "{}: its SHA-256 is not the one the manifest recorded; the backup is damaged",
            database_file.display()
        )));
    }
    let key_paths = args.keys.paths(config);
    for (_, path) in &key_paths {
        if path.exists() {
            return Err(CliError::Usage(format!(
                "{} exists: a restore goes into an empty place (another --data-dir, or move the key)",
                path.display()
            )));
        }
    }

    let started = std::time::Instant::now();
    let progress = Progress::new("database", None, Unit::Items("journal entries"));
    nansen_store::backup::restore_database(config, &database_file).await?;
    progress.finish();
    for (name, path) in &key_paths {
        if let Some(text) = keys.get(*name) {
            write_key(path, text)?;
        }
    }
    let source = DocumentStore::local(&dir.join("documents")).map_err(usage)?;
    let target = DocumentStore::from_url(documents_url).map_err(usage)?;
    let (objects, bytes) = copy_objects(&source, &target, &config.data_dir.join("staging"), "documents").await?;

    // Open it as the server will (migrations of a newer Nansen run here), and count.
    let store = Store::open(config).await?;
    let entries = store.journal_entries().await?;
    store.close().await;
    if entries < manifest.journal_entries {
        return Err(CliError::Usage(format!(
            "the restored journal has {entries} entries, the backup recorded {}",
            manifest.journal_entries
        )));
    }
    println!(
        "restored the backup of {} into {}: {entries} journal entries, {objects} documents ({}), {} keys, in {:.1} s; \
         check it with `nansen audit verify --documents`",
        manifest.created_at,
        config.database_url.as_deref().map_or_else(|| config.data_dir.display().to_string(), |_| "PostgreSQL".into()),
        indicatif::HumanBytes(bytes),
        keys.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Copies every object of `from` into `to` (those already there are kept), each re-hashed on
/// the way: an object whose bytes no longer match its address is named and stops the copy.
async fn copy_objects(
    from: &DocumentStore,
    to: &DocumentStore,
    staging: &Path,
    label: &str,
) -> Result<(u64, u64), CliError> {
    let listed: Vec<_> = from.list().try_collect().await.map_err(usage)?;
    let bytes: u64 = listed.iter().map(|o| o.size).sum();
    let objects = listed.len() as u64;
    tokio::fs::create_dir_all(staging).await.map_err(at(staging))?;
    let progress = Progress::new(label, Some(bytes), Unit::Bytes);
    futures_util::stream::iter(listed)
        .map(|object| {
            let progress = &progress;
            async move {
                copy_object(from, to, &object.hash, staging).await?;
                progress.inc(object.size);
                Ok::<_, CliError>(())
            }
        })
        .buffer_unordered(COPIES_IN_FLIGHT)
        .try_collect::<()>()
        .await?;
    progress.finish();
    Ok((objects, bytes))
}

async fn copy_object(
    from: &DocumentStore,
    to: &DocumentStore,
    hash: &ContentHash,
    staging: &Path,
) -> Result<(), CliError> {
    if to.exists(hash).await.map_err(usage)? {
        return Ok(());
    }
    let fail = |e: ObjectError| CliError::Usage(format!("document {hash} in {}: {e}", from.describe()));
    let (_, mut chunks) = from.get(hash).await.map_err(fail)?;
    let part = staging.join(format!("{}.part", hash.to_hex()));
    let written = async {
        let mut file = tokio::fs::File::create(&part).await.map_err(at(&part))?;
        while let Some(chunk) = chunks.next().await {
            file.write_all(&chunk.map_err(fail)?).await.map_err(at(&part))?;
        }
        file.flush().await.map_err(at(&part))?;
        drop(file);
        // Hashed again as it is stored: a damaged object is refused, never copied as if whole.
        to.put_file(hash, &part).await.map_err(fail)
    }
    .await;
    let _ = tokio::fs::remove_file(&part).await;
    written.map(|_| ())
}

/// The name, SHA-256 and size of a file, streamed.
async fn record(path: &Path) -> Result<FileRecord, CliError> {
    use tokio::io::AsyncReadExt as _;
    let mut file = tokio::fs::File::open(path).await.map_err(at(path))?;
    let mut hasher = ContentHasher::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buffer).await.map_err(at(path))?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buffer[..n]);
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(FileRecord { file: name, sha256: hasher.finish().to_hex(), size })
}

fn encrypt(plain: &[u8], passphrase: String) -> Result<Vec<u8>, CliError> {
    use std::io::Write as _;
    let encryptor = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(passphrase));
    let mut out = Vec::new();
    let mut writer = encryptor.wrap_output(&mut out).map_err(usage)?;
    writer.write_all(plain).map_err(usage)?;
    writer.finish().map_err(usage)?;
    Ok(out)
}

fn decrypt(sealed: &[u8], passphrase: String) -> Result<Vec<u8>, CliError> {
    use std::io::Read as _;
    let decryptor = age::Decryptor::new(sealed).map_err(|e| CliError::Usage(format!("{KEYS}: {e}")))?;
    let identity = age::scrypt::Identity::new(age::secrecy::SecretString::from(passphrase));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|e| CliError::Usage(format!("{KEYS} cannot be opened with this passphrase ({e})")))?;
    let mut plain = Vec::new();
    reader.read_to_end(&mut plain).map_err(usage)?;
    Ok(plain)
}

/// Writes a file and syncs it and its directory.
fn write_durably(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    use std::io::Write as _;
    let mut file = std::fs::File::create(path).map_err(at(path))?;
    file.write_all(bytes).and_then(|_| file.sync_all()).map_err(at(path))?;
    if let Some(dir) = path.parent() {
        std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(at(dir))?;
    }
    Ok(())
}

/// Writes a key file as the server creates one: new, mode 0600, synced.
fn write_key(path: &Path, text: &str) -> Result<(), CliError> {
    use std::io::Write as _;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(at(dir))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(at(path))?;
    file.write_all(text.as_bytes()).and_then(|_| file.sync_all()).map_err(at(path))
}
