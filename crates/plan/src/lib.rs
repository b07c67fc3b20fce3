//! Nansen planning adapter: places groups of interchangeable households into bins with
//! capacity by kind, as a mixed-integer program solved with HiGHS.
//!
//! It knows nothing about the domain: the caller decides which bins each group may go to and
//! what each placement is worth. [`solve`] is the exact planner, [`greedy`] the baseline,
//! [`potentials`] prices capacity for arrivals still to come, and [`simulate`] replays a
//! synthetic year to compare the policies. [`interviews`] plans the week's interviews
//! (applicants, officers, interpreters, rooms) the same way: a MIP solved with HiGHS against a
//! greedy baseline.

mod greedy;
pub mod interviews;
mod model;
mod potentials;
pub mod simulate;
mod solve;

pub use greedy::greedy;
pub use interviews::{
    generate as generate_interviews, greedy_interviews, metrics as interview_metrics, solve_interviews,
    validate as validate_interviews, Candidate, Change, Convocation, Instance as InterviewInstance, Interpreter,
    InterviewPlan, Language, Metrics as InterviewMetrics, Officer, PlannedInterview, Reason, Room, RoomKind, Sex,
    SexMismatch, Shortage, ShortageCause, Size, Slot, Urgency, Violation,
};
pub use model::{Bin, Group, Limits, Plan, PlanError, Problem, Status, KINDS};
pub use potentials::potentials;
pub use solve::solve;
