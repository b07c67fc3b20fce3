//! What an uploaded file really is: its type judged by content (magic bytes, never the name), and
//! whether it fits the office's limits (size, pages, image dimensions), without ever decoding
//! pixel data. Also stages uploads to a temporary file while hashing them ([`Stager`]).
//!
//! Accepted types: PDF, JPEG, PNG, TIFF. Everything else is refused with a [`Refusal`] whose
//! [`Refusal::code`] is a stable i18n key suffix.
//!
//! Memory:
//! - images (JPEG, PNG, TIFF): only headers and structure are read, through a 64 KiB window;
//!   memory does not grow with the file or with the dimensions it claims;
//! - PDF: the whole file (at most [`Limits::max_bytes`]) is read and its objects are parsed by
//!   `lopdf`, with stream contents dropped as soon as they are parsed and every object or
//!   cross-reference stream bounded to [`PDF_MAX_INFLATED`] bytes once decompressed; see
//!   [`inspect_file`].

pub mod audio;
mod image;
mod pdf;
mod source;
mod stage;

use std::fmt;
use std::path::Path;

pub use audio::{AudioFormat, AudioInfo, AudioRefusal};
pub use pdf::{without_active_content, PDF_MAX_INFLATED};
pub use stage::{Staged, StagedAudio, Stager};

use source::{FileSource, SliceSource, Source};

/// The four kinds of file the office accepts, as recognised from their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaType {
    Pdf,
    Jpeg,
    Png,
    Tiff,
}

impl MediaType {
    /// All accepted types, in a stable order.
    pub const ALL: [MediaType; 4] = [MediaType::Pdf, MediaType::Jpeg, MediaType::Png, MediaType::Tiff];

    /// The IANA media type, e.g. `application/pdf`.
    pub fn as_mime(&self) -> &'static str {
        match self {
            MediaType::Pdf => "application/pdf",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Tiff => "image/tiff",
        }
    }

    /// The usual file name extension, without the dot: `pdf`, `jpg`, `png`, `tif`.
    pub fn extension(&self) -> &'static str {
        match self {
            MediaType::Pdf => "pdf",
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Tiff => "tif",
        }
    }

    /// Parses a media type as sent by a browser (case-insensitive, parameters after `;` ignored,
    /// `image/jpg` and `application/x-pdf` accepted as aliases). Only a hint: the content decides.
    pub fn parse_mime(s: &str) -> Option<MediaType> {
        let essence = s.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "application/pdf" | "application/x-pdf" => Some(MediaType::Pdf),
            "image/jpeg" | "image/jpg" | "image/pjpeg" => Some(MediaType::Jpeg),
            "image/png" => Some(MediaType::Png),
            "image/tiff" => Some(MediaType::Tiff),
            _ => None,
        }
    }

    /// Recognises a type from the start of a file (at least 8 bytes are needed to be sure).
    pub fn sniff(head: &[u8]) -> Option<MediaType> {
        match sniff_prefix(head) {
            Sniff::Is(media_type) => Some(media_type),
            Sniff::MaybeLater | Sniff::Not => None,
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_mime())
    }
}

/// How many leading bytes [`MediaType::sniff`] needs at most.
pub(crate) const SNIFF_LEN: usize = 8;

const MAGIC: [(&[u8], MediaType); 5] = [
    (b"%PDF-", MediaType::Pdf),
    (&[0xFF, 0xD8, 0xFF], MediaType::Jpeg),
    (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A], MediaType::Png),
    (b"II*\0", MediaType::Tiff),
    (b"MM\0*", MediaType::Tiff),
];

/// What the first bytes seen so far say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sniff {
    Is(MediaType),
    /// A prefix of some magic number: more bytes are needed.
    MaybeLater,
    Not,
}

pub(crate) fn sniff_prefix(head: &[u8]) -> Sniff {
    let mut maybe = false;
    for (magic, media_type) in MAGIC {
        if head.starts_with(magic) {
            return Sniff::Is(media_type);
        }
        if magic.starts_with(head) {
            maybe = true;
        }
    }
    if maybe {
        Sniff::MaybeLater
    } else {
        Sniff::Not
    }
}

/// The limits an upload must respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub max_bytes: u64,
    /// Most pages in a PDF or a multi-page TIFF.
    pub max_pages: u32,
    /// Largest width × height of any image or TIFF page.
    pub max_pixels: u64,
    /// Largest width or height of any image or TIFF page.
    pub max_side: u32,
}

impl Default for Limits {
    /// 50 MiB, 1000 pages, 100 megapixels, 30 000 pixels per side.
    fn default() -> Self {
        Limits { max_bytes: 50 * 1024 * 1024, max_pages: 1000, max_pixels: 100_000_000, max_side: 30_000 }
    }
}

impl Limits {
    fn check_image(&self, width: u32, height: u32) -> Result<(), Refusal> {
        if width > self.max_side || height > self.max_side || u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(Refusal::ImageTooLarge { width, height });
        }
        Ok(())
    }
}

/// What inspection found in an accepted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub media_type: MediaType,
    /// Pages of a PDF or TIFF; 1 for JPEG and PNG.
    pub pages: u32,
    /// largest page/image in pixels, if an image
    pub dimensions: Option<(u32, u32)>,
    /// What a PDF holds that a reader may run or open by itself, each kind once, in a stable
    /// order; empty for a plain PDF and for images. Not a refusal here: who sent it decides.
    pub active_content: Vec<Active>,
}

/// Active content of a PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Active {
    /// A script (`/JS`, `/JavaScript`, an action `/S /JavaScript`).
    JavaScript,
    /// An action on opening other than going to a page (`/OpenAction`).
    OpenAction,
    /// Actions on events of the document, a page or a field (`/AA`).
    AdditionalActions,
    /// An action starting a program (`/S /Launch`).
    Launch,
    /// Files carried inside (`/EmbeddedFiles`, a file specification's `/EF`).
    EmbeddedFiles,
    /// An XFA form (`/XFA`).
    Xfa,
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum Refusal {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the file is not a PDF, JPEG, PNG or TIFF (judged by its content, not its name)")]
    UnknownType,
    #[error("the PDF is encrypted or protected by a password")]
    Encrypted,
    #[error("the file is damaged or malformed: {detail}")]
    Malformed { detail: String },
    #[error("the document has {pages} pages, more than the limit of {limit}")]
    TooManyPages { pages: u32, limit: u32 },
    #[error("the image is {width}×{height} pixels, more than allowed")]
    ImageTooLarge { width: u32, height: u32 },
    #[error("the upload could not be read or written: {detail}")]
    Io { detail: String },
    #[error("the file is not a WAV, MP3, Ogg or M4A recording (judged by its content, not its name)")]
    NotAudio,
    #[error("the recording lasts more than {minutes} minutes")]
    TooLong { minutes: u64 },
}

impl From<AudioRefusal> for Refusal {
    fn from(r: AudioRefusal) -> Refusal {
        match r {
            AudioRefusal::NotAudio => Refusal::NotAudio,
            AudioRefusal::TooLong { max_ms } => Refusal::TooLong { minutes: max_ms / 60_000 },
            other => Refusal::Malformed { detail: other.to_string() },
        }
    }
}

impl Refusal {
    /// stable kebab-case code used as an i18n key suffix: "empty", "too-large", "unknown-type",
    /// "encrypted", "malformed", "too-many-pages", "image-too-large", "io"
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Empty => "empty",
            Refusal::TooLarge { .. } => "too-large",
            Refusal::UnknownType => "unknown-type",
            Refusal::Encrypted => "encrypted",
            Refusal::Malformed { .. } => "malformed",
            Refusal::TooManyPages { .. } => "too-many-pages",
            Refusal::ImageTooLarge { .. } => "image-too-large",
            Refusal::Io { .. } => "io",
            Refusal::NotAudio => "not-audio",
            Refusal::TooLong { .. } => "too-long",
        }
    }

    pub(crate) fn malformed(detail: impl Into<String>) -> Refusal {
        Refusal::Malformed { detail: detail.into() }
    }

    pub(crate) fn io(error: &std::io::Error) -> Refusal {
        Refusal::Io { detail: error.to_string() }
    }
}

/// Pure check of a whole file held in memory; the fuzz target. Never panics, never allocates unboundedly.
///
/// Allocation is bounded by the input: images allocate a few hundred bytes (plus one visited
/// offset per TIFF page, at most `max_pages + 1`); a PDF is parsed as described in
/// [`inspect_file`].
pub fn inspect_bytes(bytes: &[u8], limits: &Limits) -> Result<Inspection, Refusal> {
    let media_type = preflight(bytes.len() as u64, bytes, limits)?;
    match media_type {
        MediaType::Pdf => pdf::inspect(bytes, limits),
        image_type => image::inspect(image_type, &mut SliceSource::new(bytes), limits),
    }
}

/// Same check reading from a file on disk, with memory bounded independently of the file size as far as possible (images: headers only; PDF: say in a doc comment what is read).
///
/// - JPEG, PNG, TIFF: the file is read through one 64 KiB window, moved to the segment, chunk or
///   directory being examined; memory is independent of the file's size.
/// - PDF: the whole file is read into memory (it is at most `limits.max_bytes`, checked on the
///   file's metadata before reading and again while reading), then parsed by `lopdf`. Stream
///   contents (page contents, images, fonts) are dropped as soon as each object is parsed, so
///   what stays is the document's dictionaries and arrays; object and cross-reference streams are
///   decompressed (each bounded to [`PDF_MAX_INFLATED`] bytes, a larger one is refused as
///   malformed) because they hold the objects of the page tree. Peak memory is thus the file plus
///   its parsed non-stream objects, typically a small multiple of the file's size.
pub fn inspect_file(path: &Path, limits: &Limits) -> Result<Inspection, Refusal> {
    let mut source = FileSource::open(path)?;
    let mut head = [0u8; SNIFF_LEN];
    let len = source.len();
    let head_len = head.len().min(usize::try_from(len).unwrap_or(SNIFF_LEN));
    if let Some(head) = head.get_mut(..head_len) {
        source.read_at(0, head)?;
    }
    let media_type = preflight(len, head.get(..head_len).unwrap_or_default(), limits)?;
    match media_type {
        MediaType::Pdf => {
            let bytes = source.read_all(limits.max_bytes)?;
            pdf::inspect(&bytes, limits)
        }
        image_type => image::inspect(image_type, &mut source, limits),
    }
}

/// Empty, too large or of an unknown type, in that order.
fn preflight(len: u64, head: &[u8], limits: &Limits) -> Result<MediaType, Refusal> {
    if len == 0 {
        return Err(Refusal::Empty);
    }
    if len > limits.max_bytes {
        return Err(Refusal::TooLarge { limit: limits.max_bytes });
    }
    MediaType::sniff(head).ok_or(Refusal::UnknownType)
}

#[cfg(test)]
pub(crate) mod samples;

#[cfg(test)]
mod tests;
