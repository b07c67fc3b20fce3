//! Research (division de l'information, de la documentation et des recherches): the library of
//! country-of-origin information cut into numbered passages, and the officers' research requests
//! answered with cited passages and reviewed by a second research assistant.

pub mod arabic;
pub mod library;
pub mod passages;
pub mod query;
pub mod request;

pub use library::{document_id, DocumentType, LibraryEntry, NewLibraryDocument, Source, Sources, Topic, Topics};
pub use query::{mended, CountryMatch, Facets};
pub use request::{
    anonymised, language_of, Answer, Citation, Question, RequestCommand, RequestEvent, RequestStatus, ResearchRequest,
    ANSWER_MAX, QUESTION_MAX,
};
