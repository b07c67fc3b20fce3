//! The former path of the case lifecycle, kept for the edges: `nansen_domain::lifecycle::{Case, Command, decide,
//! …}` still names everything. The lifecycle itself lives in [`crate::cases`].

pub use crate::cases::*;
