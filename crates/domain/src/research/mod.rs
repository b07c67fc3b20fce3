//! Research (division de l'information, de la documentation et des recherches): the library of
//! country-of-origin information cut into numbered passages, and the officers' research requests
//! answered with cited passages and reviewed by a second research assistant.

pub mod passages;
pub mod request;

pub use request::{
    anonymised, Answer, Citation, Question, RequestCommand, RequestEvent, RequestStatus, ResearchRequest,
};
