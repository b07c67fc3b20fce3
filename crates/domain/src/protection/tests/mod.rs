//! The appeal as the legal consultants follow it, on a case: notice and chamber, hearing,
//! defence, and what each ruling does to the case.

use time::macros::date;

use crate::application::Procedure;
use crate::cases::{Command, CommandKind, CourtOutcome, Status};
use crate::error::DomainError;
use crate::protection::{AppealNotice, CassationParty, Chamber, DefenceStage, Formation};
use crate::test_support::*;

mod civil;
mod ending;
mod fgm;

const CONSULTANT: &str = "consultant.a";
const SECOND: &str = "consultant.b";

/// A rejection notified on 14 July 2026 and appealed on 1 August, from an applicant in Gironde.
fn appealed() -> Harness {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), rejection(), date!(2026 - 07 - 10));
    h.on(date!(2026 - 07 - 14)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 14)) });
    let notice = AppealNotice::parse("26012345", Formation::SingleJudge, "33000").expect("valid");
    h.on(date!(2026 - 08 - 03))
        .run(CONSULTANT, Command::LodgeAppeal { on: date!(2026 - 08 - 01), notice: Some(notice) });
    h
}

#[test]
fn the_notice_fixes_the_chamber_by_the_applicants_department() {
    let h = appealed();
    let appeal = h.case.appeal.as_ref().expect("an appeal");
    assert_eq!(appeal.chamber, Chamber::Bordeaux);
    assert_eq!(appeal.court_reference, "26012345");
    assert_eq!(appeal.department.as_str(), "33");
    assert_eq!(h.case.status, Status::Appealed);
}

#[test]
fn a_hearing_respects_its_notice_and_a_panel_needs_thirty_days() {
    let mut h = appealed();
    h.on(date!(2026 - 09 - 01));
    let hearing = |on, formation| Command::ScheduleHearing { on, notified_on: date!(2026 - 09 - 01), formation };
    let e = h.err(CONSULTANT, hearing(date!(2026 - 09 - 20), Formation::Panel));
    assert!(
        matches!(&e, DomainError::Validation { field: "hearing_on", reason } if reason.contains("1 October 2026")),
        "{e}"
    );
    h.run(CONSULTANT, hearing(date!(2026 - 10 - 01), Formation::Panel));
    let appeal = h.case.appeal.as_ref().expect("an appeal");
    assert_eq!(appeal.formation, Formation::Panel);
    assert_eq!(appeal.hearing.as_ref().map(|x| x.on), Some(date!(2026 - 10 - 01)));
    // A notice dated in the future is refused.
    assert_eq!(
        h.err(
            CONSULTANT,
            Command::ScheduleHearing {
                on: date!(2026 - 12 - 01),
                notified_on: date!(2026 - 09 - 02),
                formation: Formation::SingleJudge
            }
        )
        .code(),
        "not_yet"
    );
    // The court cannot rule before its hearing.
    h.on(date!(2026 - 10 - 05));
    let early = Command::RecordCourtRuling { on: date!(2026 - 09 - 30), ruling: CourtOutcome::AppealRejected };
    assert_eq!(h.err(CONSULTANT, early).code(), "validation");
}

#[test]
fn the_defence_is_reviewed_by_another_consultant_then_sent() {
    let mut h = appealed();
    assert_eq!(h.err(CONSULTANT, Command::DraftDefence { text: "  ".into() }).code(), "validation");
    h.run(CONSULTANT, Command::DraftDefence { text: "The office maintains its decision.".into() });
    assert!(h.case.offers(CommandKind::ReviewDefence) && !h.case.offers(CommandKind::SendDefence));
    assert_eq!(
        h.err(CONSULTANT, Command::ReviewDefence { approve: true, comments: String::new() }).code(),
        "validation"
    );
    assert_eq!(h.err(SECOND, Command::ReviewDefence { approve: false, comments: " ".into() }).code(), "validation");
    h.run(SECOND, Command::ReviewDefence { approve: false, comments: "Cite the COI note of May.".into() });
    assert_eq!(h.case.defence_stage(), Some(DefenceStage::Returned));
    assert_eq!(h.err(CONSULTANT, Command::SendDefence { on: date!(2026 - 08 - 03) }).code(), "validation");
    h.run(CONSULTANT, Command::DraftDefence { text: "The office maintains its decision; see the COI note.".into() });
    h.run(SECOND, Command::ReviewDefence { approve: true, comments: String::new() });
    h.run(CONSULTANT, Command::SendDefence { on: date!(2026 - 08 - 03) });
    let defence = h.case.appeal.as_ref().and_then(|a| a.defence.as_ref()).expect("a defence");
    assert_eq!((defence.stage, defence.sent_on), (DefenceStage::Sent, Some(date!(2026 - 08 - 03))));
    assert_eq!(defence.comments, vec!["Cite the COI note of May.".to_owned()]);
    assert_eq!(h.err(CONSULTANT, Command::DraftDefence { text: "Another.".into() }).code(), "already_done");
}

#[test]
fn a_rejected_appeal_makes_the_decision_final_and_may_go_to_the_conseil_detat() {
    let mut h = appealed();
    h.on(date!(2026 - 12 - 01)).run(
        CONSULTANT,
        Command::RecordCourtRuling { on: date!(2026 - 11 - 30), ruling: CourtOutcome::AppealRejected },
    );
    assert_eq!(h.case.status, Status::Final);
    assert!(h.case.offers(CommandKind::LodgeCassation));
    let by = CassationParty::Applicant;
    // Two months from 30 November 2026: 30 January 2027 is a Saturday, so Monday 1 February.
    h.on(date!(2027 - 02 - 02));
    assert_eq!(h.err(CONSULTANT, Command::LodgeCassation { on: date!(2027 - 02 - 02), by }).code(), "deadline_passed");
    assert_eq!(h.err(CONSULTANT, Command::LodgeCassation { on: date!(2026 - 11 - 29), by }).code(), "validation");
    h.run(CONSULTANT, Command::LodgeCassation { on: date!(2027 - 02 - 01), by });
    assert!(!h.case.offers(CommandKind::LodgeCassation));
    assert_eq!(h.err(CONSULTANT, Command::LodgeCassation { on: date!(2027 - 02 - 01), by }).code(), "already_done");
}

#[test]
fn a_grant_by_the_court_moves_the_case_to_protection() {
    let mut h = appealed();
    h.on(date!(2026 - 12 - 01)).run(
        CONSULTANT,
        Command::RecordCourtRuling { on: date!(2026 - 11 - 30), ruling: CourtOutcome::SubsidiaryProtectionGranted },
    );
    assert_eq!(h.case.status, Status::CourtDecided);
    assert!(h.case.court_ruling.as_ref().is_some_and(|r| r.outcome.grants_protection()));
}

#[test]
fn an_annulment_sends_the_case_back_to_the_officer_who_may_hear_the_applicant_again() {
    let mut h = appealed();
    h.on(date!(2026 - 12 - 01)).run(
        CONSULTANT,
        Command::RecordCourtRuling { on: date!(2026 - 11 - 30), ruling: CourtOutcome::DecisionAnnulled },
    );
    assert_eq!(h.case.status, Status::Interviewed);
    assert_eq!(h.case.referred_by_court_on, Some(date!(2026 - 11 - 30)));
    assert!(h.case.draft.is_none() && h.case.signed_by.is_none() && h.case.notified_on.is_none());
    assert!(h.case.appeal.is_some(), "the appeal stays on file");
    assert!(h.case.offers(CommandKind::ScheduleInterview) && h.case.offers(CommandKind::DraftDecision));
    h.run(
        OFFICER,
        Command::ScheduleInterview(crate::cases::Interview::new(
            date!(2026 - 12 - 15),
            crate::cases::InterviewMode::InPerson,
        )),
    );
    assert_eq!(h.case.status, Status::InterviewScheduled);
}

#[test]
fn an_interviewed_case_not_sent_back_is_not_heard_again() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 01));
    assert!(!h.case.offers(CommandKind::ScheduleInterview));
    let again = Command::ScheduleInterview(crate::cases::Interview::new(
        date!(2026 - 05 - 01),
        crate::cases::InterviewMode::InPerson,
    ));
    assert_eq!(h.err(OFFICER, again).code(), "validation");
}

#[test]
fn the_applicant_follows_the_appeal_in_plain_steps() {
    use crate::portal::{progress, Milestone, Step};
    let mut h = appealed();
    let rules = crate::rules::Rules::embedded();
    assert_eq!(progress(&h.case, &rules, date!(2026 - 08 - 03)).step, Step::Appealed);
    h.on(date!(2026 - 09 - 01)).run(
        CONSULTANT,
        Command::ScheduleHearing {
            on: date!(2026 - 10 - 01),
            notified_on: date!(2026 - 09 - 01),
            formation: Formation::Panel,
        },
    );
    let p = progress(&h.case, &rules, date!(2026 - 09 - 02));
    assert_eq!(p.next, vec![Milestone::Hearing { on: date!(2026 - 10 - 01) }]);
    let mut rejected = h.clone_for_ruling(CourtOutcome::AppealRejected);
    assert_eq!(progress(&rejected.case, &rules, date!(2026 - 11 - 01)).step, Step::CourtRejected);
    rejected = h.clone_for_ruling(CourtOutcome::RefugeeStatusGranted);
    assert_eq!(progress(&rejected.case, &rules, date!(2026 - 11 - 01)).step, Step::ProtectedByCourt);
    let sent_back = h.clone_for_ruling(CourtOutcome::DecisionAnnulled);
    assert_eq!(progress(&sent_back.case, &rules, date!(2026 - 11 - 01)).step, Step::SentBack);
}

impl Harness {
    /// A copy of the harness after the court ruled on 1 October 2026.
    fn clone_for_ruling(&self, outcome: CourtOutcome) -> Harness {
        let mut h =
            Harness { rules: self.rules.clone(), case: self.case.clone(), events: self.events.clone(), now: self.now };
        h.on(date!(2026 - 10 - 02))
            .run(CONSULTANT, Command::RecordCourtRuling { on: date!(2026 - 10 - 01), ruling: outcome });
        h
    }
}
