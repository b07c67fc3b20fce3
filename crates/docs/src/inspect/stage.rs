//! Staging an upload: streamed to a temporary file while hashed, refused as early as possible,
//! and deleted unless the caller keeps it.

use std::path::Path;

use sha2::{Digest, Sha256};
use tempfile::TempPath;
use tokio::io::{AsyncWriteExt, BufWriter};

use super::audio::{inspect_audio, AudioInfo};
use super::{inspect_file, sniff_prefix, Inspection, Limits, Refusal, Sniff, SNIFF_LEN};

/// Bytes gathered in memory before each write to the temporary file.
const WRITE_BUFFER: usize = 256 * 1024;

/// Streams an upload into a temporary file inside `dir` while computing its SHA-256 and size, refusing early: on the first bytes if the magic bytes are not one of the four types, and as soon as the size passes max_bytes.
///
/// Memory is bounded by one write buffer (256 KiB) whatever the upload's size. The temporary
/// file is deleted as soon as the upload is refused, and when the `Stager` is dropped (an
/// interrupted upload) unless [`Stager::finish`] handed it on as a [`Staged`] file.
#[derive(Debug)]
pub struct Stager {
    limits: Limits,
    /// `None` once the upload was refused and its file deleted.
    file: Option<(BufWriter<tokio::fs::File>, TempPath)>,
    refused: Option<Refusal>,
    hasher: Sha256,
    size: u64,
    head: Vec<u8>,
    /// A recording: judged as audio when finished ([`Stager::finish_audio`]), not as a scan.
    audio: bool,
}

impl Stager {
    /// A stager for an interview's recording: the same streaming and hashing, the content
    /// judged as audio (WAV, MP3, Ogg, M4A) when finished, within `max_bytes`.
    pub fn for_audio(dir: &Path, max_bytes: u64) -> Result<Stager, Refusal> {
        let limits = Limits { max_bytes, ..Limits::default() };
        let mut stager = Stager::new(dir, limits)?;
        stager.audio = true;
        Ok(stager)
    }

    /// Creates the temporary file (named `.upload-*` in `dir`, which should be on the same file
    /// system as the object store, so that keeping the file is a rename).
    pub fn new(dir: &Path, limits: Limits) -> Result<Stager, Refusal> {
        let file = tempfile::Builder::new().prefix(".upload-").tempfile_in(dir).map_err(|e| Refusal::io(&e))?;
        let (file, path) = file.into_parts();
        let file = BufWriter::with_capacity(WRITE_BUFFER, tokio::fs::File::from_std(file));
        Ok(Stager {
            limits,
            file: Some((file, path)),
            refused: None,
            hasher: Sha256::new(),
            size: 0,
            head: Vec::with_capacity(SNIFF_LEN),
            audio: false,
        })
    }

    /// Appends a chunk of the upload. After a refusal, every later call returns the same refusal.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        if let Some(refusal) = &self.refused {
            return Err(refusal.clone());
        }
        match self.accept(chunk).await {
            Ok(()) => Ok(()),
            Err(refusal) => Err(self.refuse(refusal)),
        }
    }

    async fn accept(&mut self, chunk: &[u8]) -> Result<(), Refusal> {
        if chunk.is_empty() {
            return Ok(());
        }
        self.size = self.size.saturating_add(chunk.len() as u64);
        if self.size > self.limits.max_bytes {
            return Err(Refusal::TooLarge { limit: self.limits.max_bytes });
        }
        if self.head.len() < SNIFF_LEN && !self.audio {
            let wanted = (SNIFF_LEN - self.head.len()).min(chunk.len());
            self.head.extend_from_slice(chunk.get(..wanted).unwrap_or_default());
            if sniff_prefix(&self.head) == Sniff::Not {
                return Err(Refusal::UnknownType);
            }
        }
        self.hasher.update(chunk);
        let (file, _) = self.file.as_mut().ok_or(Refusal::Io { detail: "upload already refused".into() })?;
        file.write_all(chunk).await.map_err(|e| Refusal::io(&e))
    }

    /// Records the refusal and deletes the temporary file at once.
    fn refuse(&mut self, refusal: Refusal) -> Refusal {
        if let Some((file, path)) = self.file.take() {
            drop(file);
            if let Err(error) = path.close() {
                tracing::warn!(%error, "could not delete a refused upload's temporary file");
            }
        }
        self.refused = Some(refusal.clone());
        refusal
    }

    /// The upload's file, flushed and fsynced, unless it was refused or is empty.
    async fn close(&mut self) -> Result<TempPath, Refusal> {
        if let Some(refusal) = self.refused.take() {
            return Err(refusal);
        }
        let Some((mut file, path)) = self.file.take() else {
            return Err(Refusal::Io { detail: "upload already refused".into() });
        };
        if self.size == 0 {
            return Err(Refusal::Empty);
        }
        file.flush().await.map_err(|e| Refusal::io(&e))?;
        file.get_mut().sync_all().await.map_err(|e| Refusal::io(&e))?;
        Ok(path)
    }

    /// Flushes + fsyncs, then runs inspect_file (in spawn_blocking) and returns the staged file.
    pub async fn finish(mut self) -> Result<Staged, Refusal> {
        let path = self.close().await?;
        let limits = self.limits;
        let (inspection, path) = tokio::task::spawn_blocking(move || (inspect_file(&path, &limits), path))
            .await
            .map_err(|e| Refusal::Io { detail: format!("inspection did not complete: {e}") })?;
        // On refusal `path` is dropped here, which deletes the file.
        let inspection = inspection?;
        Ok(Staged { sha256: self.hasher.finalize().into(), size: self.size, inspection, path })
    }
}

impl Stager {
    /// Flushes + fsyncs, then judges the file as audio (headers only, in `spawn_blocking`):
    /// a recording longer than `max_ms` is refused.
    pub async fn finish_audio(mut self, max_ms: u64) -> Result<StagedAudio, Refusal> {
        let path = self.close().await?;
        let size = self.size;
        let (info, path) = tokio::task::spawn_blocking(move || {
            let judged = std::fs::File::open(&path)
                .map_err(|e| Refusal::io(&e))
                .and_then(|f| inspect_audio(&mut std::io::BufReader::new(f), size, max_ms).map_err(Refusal::from));
            (judged, path)
        })
        .await
        .map_err(|e| Refusal::Io { detail: format!("inspection did not complete: {e}") })?;
        let info = info?;
        Ok(StagedAudio { sha256: self.hasher.finalize().into(), size, info, path })
    }
}

/// An accepted recording in its temporary file, deleted when dropped.
#[derive(Debug)]
pub struct StagedAudio {
    pub sha256: [u8; 32],
    pub size: u64,
    pub info: AudioInfo,
    path: TempPath,
}

impl StagedAudio {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SHA-256 in lowercase hexadecimal (64 characters).
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }
}

/// An accepted upload in its temporary file, deleted when dropped unless taken with
/// [`Staged::into_temp_path`] (e.g. to `persist` it into the object store).
#[derive(Debug)]
pub struct Staged {
    pub sha256: [u8; 32],
    pub size: u64,
    pub inspection: Inspection,
    path: TempPath,
}

impl Staged {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SHA-256 in lowercase hexadecimal (64 characters).
    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }

    /// The temporary file, for the caller to `persist` (rename) or `keep`; still deleted when
    /// the returned value is dropped.
    pub fn into_temp_path(self) -> TempPath {
        self.path
    }
}
