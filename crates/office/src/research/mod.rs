//! Research (workspace `research`; la division de l'information, de la documentation et des
//! recherches): the country-of-origin library, searched by whoever examines, reviews, researches
//! or defends decisions, and kept by the research assistants.
//!
//! Research requests (`requests.rs`) go from the case page to the division's queue and back,
//! the published answers joining the library as research notes.
//!
//! The store holds each document's description and passages (journaled under `library:<id>`);
//! its bytes are in the document store under their SHA-256; the search index (`nansen-search`) is
//! a projection of the store's rows, which records the journal position it reflects and catches
//! up before each search and after each import, so that a crash between a commit and the index,
//! or an import by another process (`nansen coi import`), is made good on the next read.

pub(crate) mod cite;
pub mod library;
pub mod requests;
pub mod saved;

pub use cite::{views as citation_views, CitationView};
pub(crate) use library::Library;
pub use library::{
    add_document, catch_up, content, document, id_of, rebuild_index, search, vocabulary, LibraryContent,
    LibraryDocumentView, LibraryHit, LibraryQuery, LibraryResults, NewDocumentForm, Vocabulary, MAX_RESULTS,
};
pub use nansen_docs::text::MAX_LIBRARY_BYTES;
pub use nansen_domain::research::RequestStatus;
pub use nansen_search::Mark;
pub use nansen_store::LibraryDocumentRow;
pub use requests::{AskForm, Queue, RequestLine, RequestStep, RequestView};
pub use saved::SavedSearch;
