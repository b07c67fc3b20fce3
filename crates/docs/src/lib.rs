//! Nansen's documents adapter: what an uploaded file really is, where its bytes live, and the
//! official letters the office prints.
//!
//! - [`inspect`]: checks an upload by its content (magic bytes, size, pages, image dimensions,
//!   encrypted or malformed PDFs) and stages it to a temporary file while hashing it (SHA-256),
//!   so that memory stays bounded whatever the file's size.
//! - [`objects`]: one content-addressed object store (a directory by default, S3-compatible storage
//!   in production), keyed by SHA-256, so that the same file is stored once and any change of
//!   content can be found (`nansen audit verify --documents`).
//! - [`print`]: PDF/A letters from templates kept in this crate: the office's (registration
//!   receipt, request for missing items, interview convocation, decision, notice and decision on
//!   ending a protection, request for a medical certificate, family record book) and the reception
//!   agency's under its own letterhead (refused reception offer, orientation proposal, notice and
//!   decision on ending the material reception conditions), these with a translation in the
//!   household's language from a Project Fluent catalog; custody labels with a QR code, and
//!   sealed certified copies of civil-status acts with names in any script.
//!
//! It knows nothing of cases, accounts, HTTP or databases: callers pass plain facts in and get
//! bytes, hashes and typed errors out.

#![forbid(unsafe_code)]

pub mod inspect;
pub mod objects;
pub mod print;
pub mod text;
