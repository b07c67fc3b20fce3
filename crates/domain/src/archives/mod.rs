//! Archives (workspace `archives`): the whereabouts of the cases' physical files (movements,
//! waiting lists, loans and their due dates, transfers between stores, retention) and the access
//! to the historical collection computed from the law's periods.

pub mod access;
pub mod derogations;
pub mod files;
pub mod retention;
pub mod rules;
#[cfg(test)]
mod tests;

pub use access::{opens_on, visibility, AccessFacts, Visibility};
pub use derogations::{Derogation, DerogationCommand, DerogationEvent, DerogationStatus, Opinion};
pub use files::{FileCommand, FileEvent, FileRequest, PhysicalFile, Place, Purpose, Whereabouts};
pub use rules::{ArchiveRules, Fate, Retention, StoreRoom};
