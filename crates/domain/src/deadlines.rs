//! The former path of the legal deadlines, kept for the edges: they are computed in `cases::deadlines`, next to
//! the case they read and the `decide` that enforces them.

pub use crate::cases::deadlines::{
    deadline, deadlines, english, Context, DayOff, Deadline, DeadlineKind, Period, Start, Why,
};
