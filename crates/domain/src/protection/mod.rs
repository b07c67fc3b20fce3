//! What follows the office's decision (workspace `protection`): appeals before the asylum court,
//! civil status for protected people, the follow-up of girls protected from female genital
//! mutilation, and the end of protection.

pub mod appeals;
pub mod civil;
pub mod ending;
pub mod fgm;

pub use appeals::{
    cassation_due, check_defence_text, check_hearing, defence_outline, Appeal, AppealNotice, Cassation, CassationParty,
    Chamber, Chambers, Defence, DefenceStage, Department, Formation, Hearing,
};
pub use civil::{
    check_act, check_mention, copy_is_current, parse_partial, seal_message, ActFacts, ActKind, ActNumber, CivilAct,
    CopyIssued, Mention, MentionKind, NewAct, NewMention, Party,
};

#[cfg(test)]
mod tests;
pub use ending::{Ending, EndingAnswer, EndingDecision, EndingDraft, EndingGround, EndingStage};
pub use fgm::{Certificate, FgmFollowUp, IncidentKind, Report};
