//! What follows the office's decision (workspace `protection`): appeals before the asylum court,
//! and, to come, civil status for protected people, the follow-up of girls protected from female
//! genital mutilation, and the end of protection.

pub mod appeals;

pub use appeals::{
    cassation_due, check_defence_text, check_hearing, defence_outline, Appeal, AppealNotice, Cassation, CassationParty,
    Chamber, Chambers, Defence, DefenceStage, Department, Formation, Hearing,
};

#[cfg(test)]
mod tests;
