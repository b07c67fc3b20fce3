//! The search adapter: the country-of-origin library's passages in an embedded tantivy index.
//!
//! The index is a projection, like the read tables: every passage of every document version is
//! rebuilt from the store by `nansen rebuild`, so nothing is lost with it. Each passage is one
//! tantivy document carrying its document, version and number, the facets of its document
//! (countries, source, type, language, publication day, internal) and its text in the field of its
//! language: French and English analysed with their Snowball stemmers, Arabic normalised and
//! light-stemmed by the domain (`nansen_domain::research::arabic`) before it is indexed. A query
//! is read by tantivy's parser on the three fields at once (BM25, phrases, proximity `"a b"~3`,
//! prefixes `retour*`, `AND`/`OR`/`-`), leniently, after the domain mended it.

#![forbid(unsafe_code)]

mod library;
pub mod synthetic;

pub use library::{Hit, LibraryIndex, LibraryWriter, Mark, PassageDoc, SearchError, SearchFacets, SortBy};
