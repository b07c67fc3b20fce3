use time::macros::date;
use time::Date;

use super::*;
use crate::application::{AcceleratedGround, ApplicationKind, Procedure};
use crate::decision::{
    ClosureGround, ConventionGround, DecisionDraft, InadmissibilityGround, Outcome, RefugeeBasis, SubsidiaryBasis,
};
use crate::documents::{NewDocument, NewOriginal};
use crate::error::DomainError;
use crate::ids::{CaseNumber, DivisionId, Language, Nationality, SectionId};
use crate::person::{FamilyRole, Sex};
use crate::test_support::*;

fn refugee() -> DecisionDraft {
    draft(Outcome::RefugeeStatus { basis: RefugeeBasis::Convention, grounds: vec![ConventionGround::PoliticalOpinion] })
}

#[test]
fn the_whole_normal_path_with_a_return_and_deemed_notification() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h.run(OFFICER, Command::DraftDecision(rejection()))
        .run(OFFICER, Command::SubmitForReview)
        .run(HEAD, Command::ReturnToOfficer { comments: "Discuss the internal protection alternative.".into() });
    assert_eq!(h.case.status, Status::ReturnedToOfficer);
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
    assert_eq!(h.case.signed_by, Some(login(HEAD)));
    h.on(date!(2026 - 06 - 30)).run(CLERK, Command::MakeAvailable);
    // Deemed notified 15 days after 30 June 2026 at 10:00: not on 15 July at 9:59, yes at 10:00.
    h.now = at(date!(2026 - 07 - 15)) - time::Duration::minutes(1);
    assert_eq!(h.err(CLERK, Command::DeemNotified).code(), "not_yet");
    h.on(date!(2026 - 07 - 15)).run(CLERK, Command::DeemNotified);
    assert_eq!(h.case.status, Status::Notified);
    assert_eq!(h.case.notified_on, Some(date!(2026 - 07 - 15)));
    assert_eq!(h.case.notification_basis, Some(NotificationBasis::Deemed));
    // The appeal deadline, 15 August 2026, moves to Monday 17 August.
    assert_eq!(h.on(date!(2026 - 08 - 17)).err(CLERK, Command::BecomeFinal).code(), "not_yet");
    h.on(date!(2026 - 08 - 18)).run(CLERK, Command::BecomeFinal);
    assert_eq!(h.case.status, Status::Final);
    let kinds: Vec<&str> = h.events.iter().map(Event::kind).collect();
    assert_eq!(
        kinds,
        [
            "registered",
            "marked_complete",
            "assigned",
            "interview_scheduled",
            "interview_recorded",
            "decision_drafted",
            "submitted_for_review",
            "returned_to_officer",
            "decision_drafted",
            "submitted_for_review",
            "decision_signed",
            "made_available",
            "deemed_notified",
            "became_final"
        ]
    );
}

#[test]
fn an_officer_never_signs_their_own_draft() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview);
    assert_eq!(h.err(OFFICER, Command::Sign), DomainError::SelfSignature);
    h.run(HEAD, Command::Sign);
    assert_eq!(h.case.status, Status::Signed);
}

#[test]
fn only_the_assigned_officer_drafts_and_submits() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    assert_eq!(h.err(OTHER_OFFICER, Command::DraftDecision(rejection())).code(), "not_assigned_officer");
    h.run(OFFICER, Command::DraftDecision(rejection()));
    assert_eq!(h.err(OTHER_OFFICER, Command::SubmitForReview).code(), "not_assigned_officer");
    assert_eq!(h.err(HEAD, Command::SubmitForReview).code(), "not_assigned_officer");
}

#[test]
fn an_interview_is_not_recorded_before_its_date() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    let on = date!(2026 - 04 - 14);
    h.run(CLERK, Command::ScheduleInterview(Interview::new(on, InterviewMode::VideoLink)));
    h.on(date!(2026 - 04 - 20));
    assert_eq!(
        h.err(OFFICER, Command::RecordInterview { held_on: date!(2026 - 04 - 13), record: Default::default() }).code(),
        "not_yet"
    );
    assert_eq!(
        h.err(OFFICER, Command::RecordInterview { held_on: date!(2026 - 04 - 21), record: Default::default() }).code(),
        "not_yet"
    );
    h.run(OFFICER, Command::RecordInterview { held_on: date!(2026 - 04 - 15), record: Default::default() });
    assert_eq!(h.case.interviewed_on, Some(date!(2026 - 04 - 15)));
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    assert_eq!(
        h.err(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 03 - 02), InterviewMode::InPerson))).code(),
        "validation"
    );
}

#[test]
fn first_opening_only_after_being_made_available_and_before_deemed_notification() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
    let now = h.now;
    assert_eq!(h.err(CLERK, Command::RecordFirstOpening { at: now }).code(), "not_yet");
    assert_eq!(h.err(CLERK, Command::DeemNotified).code(), "not_yet");
    assert!(h.case.offers(CommandKind::NotifyDecision));
    h.on(date!(2026 - 06 - 29)).run(CLERK, Command::MakeAvailable);
    assert_eq!(h.err(CLERK, Command::MakeAvailable).code(), "already_done");
    // Still allowed by the status (the gate of decide), no longer offered: it is done.
    assert!(h.case.allows(CommandKind::NotifyDecision) && !h.case.offers(CommandKind::NotifyDecision));
    let m = h.now;
    h.on(date!(2026 - 07 - 20));
    assert_eq!(h.err(CLERK, Command::RecordFirstOpening { at: m - time::Duration::hours(1) }).code(), "validation");
    assert_eq!(
        h.err(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 14)) }).code(),
        "deadline_passed",
        "deemed notified on 14 July at 10:00"
    );
    assert_eq!(h.err(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 21)) }).code(), "not_yet");
    h.run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 02)) });
    assert_eq!(h.case.notified_on, Some(date!(2026 - 07 - 02)));
    assert_eq!(h.case.notification_basis, Some(NotificationBasis::FirstOpened));
}

#[test]
fn first_opening_is_dated_in_the_offset_the_decision_was_made_available_in() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
    let paris = time::UtcOffset::from_hms(2, 0, 0).expect("valid");
    h.now = at(date!(2026 - 06 - 30)).to_offset(paris);
    h.run(CLERK, Command::MakeAvailable);
    // 23:30 UTC on 30 June is 1:30 on 1 July in Paris.
    let opened = date!(2026 - 06 - 30).with_hms(23, 30, 0).expect("valid").assume_utc();
    h.on(date!(2026 - 07 - 02)).run(CLERK, Command::RecordFirstOpening { at: opened });
    assert_eq!(h.case.notified_on, Some(date!(2026 - 07 - 01)));
}

#[test]
fn appeal_only_before_the_deadline_moved_to_a_working_day() {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), rejection(), date!(2026 - 06 - 30));
    h.on(date!(2026 - 07 - 20)).run(CLERK, Command::DeemNotified);
    // 15 August 2026 is a Saturday and a public holiday: the deadline is Monday 17 August.
    h.on(date!(2026 - 08 - 20));
    let e = h.err(CLERK, Command::LodgeAppeal { on: date!(2026 - 08 - 18), notice: None });
    assert_eq!(e.code(), "deadline_passed");
    assert!(e.to_string().contains("moved to Monday 17 August 2026"), "{e}");
    assert_eq!(h.err(CLERK, Command::LodgeAppeal { on: date!(2026 - 07 - 14), notice: None }).code(), "validation");
    assert_eq!(h.err(CLERK, Command::LodgeAppeal { on: date!(2026 - 08 - 21), notice: None }).code(), "not_yet");
    h.run(CLERK, Command::LodgeAppeal { on: date!(2026 - 08 - 17), notice: None });
    assert_eq!(h.case.status, Status::Appealed);
    assert_eq!(h.err(CLERK, Command::BecomeFinal).code(), "illegal_transition");
    assert_eq!(
        h.err(CLERK, Command::RecordCourtRuling { on: date!(2026 - 08 - 16), ruling: CourtOutcome::AppealRejected })
            .code(),
        "validation"
    );
    h.on(date!(2027 - 01 - 10)).run(
        CLERK,
        Command::RecordCourtRuling { on: date!(2027 - 01 - 08), ruling: CourtOutcome::RefugeeStatusGranted },
    );
    assert_eq!(h.case.status, Status::CourtDecided);
    assert_eq!(h.case.court_ruling.as_ref().map(|r| r.on), Some(date!(2027 - 01 - 08)));
}

#[test]
fn a_grant_of_refugee_status_is_final_at_once_and_cannot_be_appealed() {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), refugee(), date!(2026 - 06 - 30));
    h.on(date!(2026 - 07 - 01)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 01)) });
    assert_eq!(
        h.err(CLERK, Command::LodgeAppeal { on: date!(2026 - 07 - 01), notice: None }),
        DomainError::NotAppealable
    );
    assert_eq!(h.err(CLERK, Command::RequestLegalAid { on: date!(2026 - 07 - 01) }), DomainError::NotAppealable);
    h.run(CLERK, Command::BecomeFinal);
    assert_eq!(h.case.status, Status::Final);
}

#[test]
fn subsidiary_protection_can_be_appealed() {
    let sp = draft(Outcome::SubsidiaryProtection { basis: SubsidiaryBasis::IndiscriminateViolence });
    let mut h = Harness::made_available(date!(2026 - 03 - 03), sp, date!(2026 - 06 - 30));
    h.on(date!(2026 - 07 - 01)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 01)) });
    assert_eq!(h.err(CLERK, Command::BecomeFinal).code(), "not_yet");
    h.run(CLERK, Command::LodgeAppeal { on: date!(2026 - 07 - 01), notice: None });
    assert_eq!(h.case.status, Status::Appealed);
}

#[test]
fn legal_aid_suspends_the_appeal_deadline() {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), rejection(), date!(2026 - 07 - 10));
    h.on(date!(2026 - 07 - 14)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 14)) });
    assert_eq!(h.err(CLERK, Command::DecideLegalAid { on: date!(2026 - 07 - 14) }).code(), "validation");
    h.on(date!(2026 - 07 - 20)).run(CLERK, Command::RequestLegalAid { on: date!(2026 - 07 - 20) });
    assert_eq!(h.err(CLERK, Command::RequestLegalAid { on: date!(2026 - 07 - 20) }).code(), "already_done");
    // Suspended: never final while legal aid is pending, and an appeal is still possible.
    assert_eq!(h.on(date!(2026 - 12 - 01)).err(CLERK, Command::BecomeFinal).code(), "not_yet");
    assert_eq!(h.err(CLERK, Command::DecideLegalAid { on: date!(2026 - 07 - 19) }).code(), "validation");
    h.on(date!(2026 - 09 - 01)).run(CLERK, Command::DecideLegalAid { on: date!(2026 - 09 - 01) });
    // 25 days remained (20 July to 14 August); they run from 2 September: 26 September, a Saturday -> 28.
    assert_eq!(h.on(date!(2026 - 09 - 28)).err(CLERK, Command::BecomeFinal).code(), "not_yet");
    h.on(date!(2026 - 12 - 01));
    assert_eq!(
        h.err(CLERK, Command::LodgeAppeal { on: date!(2026 - 09 - 29), notice: None }).code(),
        "deadline_passed"
    );
    h.run(CLERK, Command::LodgeAppeal { on: date!(2026 - 09 - 28), notice: None });
    assert_eq!(h.case.status, Status::Appealed);
}

#[test]
fn legal_aid_is_requested_before_the_appeal_deadline() {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), rejection(), date!(2026 - 07 - 10));
    h.on(date!(2026 - 07 - 14)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 07 - 14)) });
    h.on(date!(2026 - 08 - 20));
    assert_eq!(h.err(CLERK, Command::RequestLegalAid { on: date!(2026 - 08 - 15) }).code(), "deadline_passed");
    // After the 15-day window it is recorded but suspends nothing.
    h.run(CLERK, Command::RequestLegalAid { on: date!(2026 - 08 - 01) });
    h.run(CLERK, Command::BecomeFinal);
}

#[test]
fn closure_for_absence_only_once_the_interview_date_has_come() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    let absent = Command::Close { ground: ClosureGround::AbsenceFromInterview };
    // Closing is allowed before the decision; for absence, only once the interview is scheduled.
    assert!(h.case.allows(CommandKind::Close));
    assert_eq!(h.err(CLERK, absent.clone()).code(), "validation");
    h.run(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 04 - 14), InterviewMode::InPerson)));
    assert_eq!(h.err(CLERK, absent.clone()).code(), "not_yet");
    // The absence is established first, unexcused.
    assert_eq!(h.on(date!(2026 - 04 - 14)).err(CLERK, absent.clone()).code(), "validation");
    let missed = Command::RecordAbsence { on: date!(2026 - 04 - 14), excused: false, reason: String::new() };
    h.run(CLERK, missed.clone());
    assert_eq!(h.err(CLERK, missed).code(), "already_done");
    assert!(h.case.unexcused_absence().is_some());
    // The decision letter is issued only once closed (a closure has no notification to follow).
    let closure_letter = || Command::IssueLetter {
        letter: letter(crate::documents::DocumentKind::Decision, date!(2026 - 04 - 14)),
        reference: REF_A.into(),
    };
    assert_eq!(h.err(CLERK, closure_letter()).code(), "validation");
    h.run(CLERK, absent);
    assert_eq!(h.case.status, Status::Closed);
    assert_eq!(h.case.closed, Some(ClosureGround::AbsenceFromInterview));
    assert_eq!(h.case.closed_on, Some(date!(2026 - 04 - 14)));
    h.run(CLERK, closure_letter());
    assert!(h.case.documents.last().is_some_and(|d| d.shared.is_some()), "in the applicant's space");
    // Reopened within 9 months, the examination resumes where it stopped; only once.
    h.on(date!(2026 - 05 - 04)).run(CLERK, Command::Reopen);
    assert_eq!(h.case.status, Status::InterviewScheduled);
    assert_eq!(h.case.closed, None);
    h.run(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 05 - 20), InterviewMode::InPerson)));
    h.run(CLERK, Command::Withdraw);
    assert_eq!(h.case.closed, Some(ClosureGround::Withdrawal));
    assert_eq!(h.err(CLERK, Command::Reopen).code(), "already_done");
}

#[test]
fn reopening_within_nine_months_of_closure() {
    let mut h = Harness::assigned(date!(2026 - 01 - 10), Procedure::Normal);
    h.run(CLERK, Command::Close { ground: ClosureGround::RefusalToProvideInformation });
    h.on(date!(2026 - 10 - 11));
    let e = h.err(CLERK, Command::Reopen);
    assert_eq!(e.code(), "deadline_passed");
    assert!(e.to_string().contains("9 months from the closure on 10 January 2026"), "{e}");
    h.on(date!(2026 - 10 - 10)).run(CLERK, Command::Reopen);
    assert_eq!(h.case.status, Status::Assigned);
}

#[test]
fn withdrawal_and_closure_only_before_the_decision() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview);
    let mut h2 = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    h2.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview);
    h2.run(CLERK, Command::Withdraw);
    assert_eq!((h2.case.status, h2.case.closed_from), (Status::Closed, Some(Status::UnderReview)));
    h.run(HEAD, Command::Sign);
    assert_eq!(h.err(CLERK, Command::Withdraw).code(), "illegal_transition");
    assert_eq!(h.err(CLERK, Command::Close { ground: ClosureGround::Withdrawal }).code(), "illegal_transition");
    assert_eq!(h.err(CLERK, Command::Reopen).code(), "illegal_transition");
    // Close { Withdrawal } is recorded as a withdrawal.
    let mut h3 = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    h3.run(CLERK, Command::Close { ground: ClosureGround::Withdrawal });
    assert_eq!(h3.events.last().map(Event::kind), Some("withdrawn"));
}

#[test]
fn inadmissibility_is_a_decision_that_goes_through_review() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    let inadmissible = draft(Outcome::Inadmissibility(InadmissibilityGround::ProtectionInOtherMemberState));
    h.run(OFFICER, Command::DraftDecision(inadmissible));
    assert_eq!(h.err(HEAD, Command::Sign).code(), "illegal_transition", "not before review");
    h.run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
    // Re-examination without new elements only ends a re-examination.
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    let wrong = draft(Outcome::Inadmissibility(InadmissibilityGround::ReExaminationWithoutNewElements));
    assert_eq!(h.err(OFFICER, Command::DraftDecision(wrong)).code(), "validation");
}

#[test]
fn refugee_status_may_be_granted_without_an_interview_but_nothing_else() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    assert_eq!(h.err(OFFICER, Command::DraftDecision(rejection())).code(), "validation");
    h.run(OFFICER, Command::DraftDecision(refugee()));
    assert_eq!(h.case.status, Status::DecisionDrafted);
    assert_eq!(h.err(OFFICER, Command::DraftDecision(rejection())).code(), "validation");
    h.run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
}

#[test]
fn reclassification_at_the_end_of_the_interview() {
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    assert_eq!(h.case.decision_due(&h.rules), Some(date!(2026 - 09 - 03)));
    let ground = AcceleratedGround::LateApplication;
    h.run(OFFICER, Command::ReclassifyAccelerated { ground });
    assert_eq!(h.case.procedure, Procedure::Accelerated(ground));
    assert_eq!(h.case.reclassified_accelerated_on, Some(date!(2026 - 04 - 14)));
    assert_eq!(h.case.decision_due(&h.rules), Some(date!(2026 - 04 - 29)));
    assert_eq!(h.err(OFFICER, Command::ReclassifyAccelerated { ground }).code(), "validation");
    // Not before the interview, and not as an admissible re-examination of a first application.
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    assert_eq!(h.err(OFFICER, Command::ReclassifyAccelerated { ground }).code(), "illegal_transition");
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    let re = AcceleratedGround::AdmissibleReExamination;
    assert_eq!(h.err(OFFICER, Command::ReclassifyAccelerated { ground: re }).code(), "validation");
}

#[test]
fn extensions_only_in_normal_procedure_nine_then_three_months() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    let extend = |months: u8| Command::ExtendDeadline { months, reason: "complex case".into() };
    assert_eq!(h.err(CLERK, extend(10)).code(), "validation");
    assert_eq!(h.err(CLERK, extend(0)).code(), "validation");
    assert_eq!(h.err(CLERK, Command::ExtendDeadline { months: 9, reason: " ".into() }).code(), "validation");
    h.run(CLERK, extend(9));
    assert_eq!(h.case.decision_due(&h.rules), Some(date!(2027 - 06 - 03)));
    assert_eq!(h.err(CLERK, extend(4)).code(), "validation");
    h.run(CLERK, extend(3));
    assert_eq!(h.case.decision_due(&h.rules), Some(date!(2027 - 09 - 03)));
    assert_eq!(h.err(CLERK, extend(1)).code(), "already_done");
    let mut h =
        Harness::assigned(date!(2026 - 03 - 03), Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin));
    assert_eq!(h.err(CLERK, extend(9)).code(), "validation");
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    h.on(date!(2026 - 09 - 04));
    assert_eq!(h.err(CLERK, extend(9)).code(), "deadline_passed");
}

#[test]
fn registration_checks_its_facts() {
    let today = date!(2026 - 03 - 03);
    let mut h = Harness::new(today);
    let mut r = registration(today, Procedure::Normal);
    r.number = CaseNumber::PLACEHOLDER;
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "validation");
    let mut r = registration(today, Procedure::Detention);
    r.kind = ApplicationKind::Statelessness;
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "validation");
    let mut r = registration(today, Procedure::Normal);
    r.applicant.role = FamilyRole::Spouse;
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "validation");
    let mut r = registration(today, Procedure::Normal);
    r.family.push(applicant());
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "validation");
    let r = registration(date!(2026 - 03 - 04), Procedure::Normal);
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "not_yet");
    let mut r = registration(today, Procedure::Normal);
    r.missing = vec!["photo".into(), "photo".into()];
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "validation");
    let mut r = registration(today, Procedure::Normal);
    r.missing = vec!["photo".into()];
    let mut spouse = applicant();
    spouse.role = FamilyRole::Spouse;
    r.family.push(spouse);
    h.run(CLERK, Command::Register(r.clone()));
    assert_eq!(h.case.status, Status::Registered);
    assert_eq!(h.case.missing, vec!["photo".to_owned()]);
    assert_eq!(h.err(CLERK, Command::Register(r)).code(), "illegal_transition");
}

#[test]
fn completeness_goes_both_ways_until_assignment() {
    let mut h = Harness::new(date!(2026 - 03 - 03));
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 03), Procedure::Normal)));
    assert_eq!(h.err(CLERK, Command::MarkIncomplete { missing: vec![] }).code(), "validation");
    h.run(CLERK, Command::MarkIncomplete { missing: vec!["birth certificate".into()] })
        .run(CLERK, Command::MarkComplete)
        .run(CLERK, Command::MarkIncomplete { missing: vec!["photo".into()] });
    assert_eq!(h.case.status, Status::Incomplete);
    let assign = Command::Assign {
        officer: login(OFFICER),
        division: DivisionId::EuropeMiddleEast,
        section: SectionId::new(2).expect("valid"),
    };
    assert_eq!(h.err(CLERK, assign.clone()).code(), "illegal_transition");
    h.run(CLERK, Command::MarkComplete).run(CLERK, assign);
    assert_eq!(h.case.missing, Vec::<String>::new());
    assert_eq!(h.err(CLERK, Command::MarkIncomplete { missing: vec!["x".into()] }).code(), "illegal_transition");
}

#[test]
fn assignment_respects_divisions_unless_pooled() {
    let today = date!(2026 - 03 - 03);
    let assign =
        |division| Command::Assign { officer: login(OFFICER), division, section: SectionId::new(1).expect("valid") };
    let mut h = Harness::new(today).with_rules(divisions_rules());
    h.run(CLERK, Command::Register(registration(today, Procedure::Normal))).run(CLERK, Command::MarkComplete);
    assert_eq!(h.err(CLERK, assign(DivisionId::Africa)).code(), "validation");
    h.run(CLERK, assign(DivisionId::EuropeMiddleEast));
    // Afghanistan is pooled in these rules: any division.
    let mut h = Harness::new(today).with_rules(divisions_rules());
    let mut r = registration(today, Procedure::Normal);
    r.nationality = Nationality::parse("AFG").expect("valid");
    h.run(CLERK, Command::Register(r)).run(CLERK, Command::MarkComplete).run(CLERK, assign(DivisionId::Africa));
}

#[test]
fn illegal_transitions_are_errors_not_panics() {
    let mut h = Harness::new(date!(2026 - 03 - 03));
    for c in [Command::MarkComplete, Command::Sign, Command::Reopen, Command::BecomeFinal, Command::Withdraw] {
        let e = h.err(CLERK, c);
        assert_eq!(e.code(), "illegal_transition");
    }
    assert_eq!(
        h.err(CLERK, Command::SubmitForReview).to_string(),
        "the command `submit_for_review` does not apply to a case that is not registered"
    );
}

#[test]
fn kinds_are_the_serde_tags() {
    let mut h = Harness::made_available(date!(2026 - 03 - 03), rejection(), date!(2026 - 06 - 30));
    h.on(date!(2026 - 07 - 20)).run(CLERK, Command::DeemNotified);
    h.run(CLERK, Command::RequestLegalAid { on: date!(2026 - 07 - 20) });
    for e in &h.events {
        let json = serde_json::to_value(e).expect("serializes");
        assert_eq!(json["type"], e.kind());
        let back: Event = serde_json::from_value(json).expect("deserializes");
        assert_eq!(&back, e);
    }
    let commands = [
        Command::MarkComplete,
        Command::Register(registration(date!(2026 - 03 - 03), Procedure::Normal)),
        Command::ScheduleInterview(Interview::new(date!(2026 - 03 - 03), InterviewMode::InPerson)),
        Command::DraftDecision(rejection()),
        Command::RecordCourtRuling { on: date!(2026 - 03 - 03), ruling: CourtOutcome::DecisionAnnulled },
        Command::Close { ground: ClosureGround::AbsenceFromInterview },
    ];
    for c in commands {
        let json = serde_json::to_value(&c).expect("serializes");
        assert_eq!(json["type"], c.kind().as_str());
        assert_eq!(serde_json::to_value(c.kind()).expect("serializes"), json["type"]);
        assert_eq!(serde_json::from_value::<Command>(json).expect("deserializes"), c);
    }
    let json = serde_json::to_string(&h.events[0]).expect("serializes");
    assert!(
        json.starts_with(r#"{"type":"registered","number":"2026-0001234","kind":"asylum","procedure":"normal""#),
        "{json}"
    );
    assert!(json.contains(r#""introduced_on":"2026-03-03","registered_at":"2026-03-03T10:00:00Z""#), "{json}");
}

#[test]
fn a_case_serializes_and_statuses_name_themselves() {
    let h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    let json = serde_json::to_string(&h.case).expect("serializes");
    assert_eq!(serde_json::from_str::<Case>(&json).expect("deserializes"), h.case);
    let initial = serde_json::to_string(&Case::initial()).expect("serializes");
    assert_eq!(serde_json::from_str::<Case>(&initial).expect("deserializes"), Case::default());
    for s in Status::all() {
        assert_eq!(serde_json::to_value(s).expect("ok"), s.as_str());
        assert_eq!(Status::parse(s.as_str()), Some(*s));
    }
    assert_eq!(Case::initial().check_invariants(), Ok(()));
}

fn scan(kind: crate::documents::DocumentKind, received_on: Date) -> NewDocument {
    NewDocument {
        sha256: crate::documents::ContentHash::parse(&"ab".repeat(32)).expect("hash"),
        media_type: "application/pdf".into(),
        size: 1234,
        pages: 3,
        kind,
        language: Some(Language::parse("fr").expect("fr")),
        received_on,
        description: "Formulaire signé".into(),
        file_name: "scan-001.pdf".into(),
        origin: crate::documents::Origin::Scan,
        active_content: Vec::new(),
    }
}

#[test]
fn documents_join_the_file_numbered_in_order_and_are_checked() {
    use crate::documents::DocumentKind;
    let mut h = Harness::new(date!(2026 - 03 - 03));
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 02), Procedure::Normal)));
    let today = date!(2026 - 03 - 03);
    h.run(
        CLERK,
        Command::AttachDocuments {
            documents: vec![scan(DocumentKind::ApplicationForm, today), scan(DocumentKind::Photograph, today)],
        },
    );
    h.run(CLERK, Command::AttachDocuments { documents: vec![scan(DocumentKind::Evidence, today)] });
    let ids: Vec<u32> = h.case.documents.iter().map(|d| d.id).collect();
    assert_eq!(ids, [1, 2, 3]);
    assert_eq!(h.case.documents[2].added_by, login(CLERK));
    // Refusals: nothing, the future, a letter only the office issues, a type that is not a scan.
    assert_eq!(h.err(CLERK, Command::AttachDocuments { documents: vec![] }).code(), "validation");
    let future = scan(DocumentKind::Evidence, date!(2026 - 03 - 04));
    assert_eq!(h.err(CLERK, Command::AttachDocuments { documents: vec![future] }).code(), "validation");
    let forged = scan(DocumentKind::Receipt, today);
    assert_eq!(h.err(CLERK, Command::AttachDocuments { documents: vec![forged] }).code(), "validation");
    let mut html = scan(DocumentKind::Evidence, today);
    html.media_type = "text/html".into();
    assert_eq!(h.err(CLERK, Command::AttachDocuments { documents: vec![html] }).code(), "validation");
}

#[test]
fn an_original_is_shelved_lent_taken_back_and_returned_against_a_signature() {
    use crate::documents::{CustodyChange, DocumentKind, Location};
    let mut h = Harness::new(date!(2026 - 03 - 03));
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 02), Procedure::Normal)));
    let shelf = Location::new("Magasin A", "Travée 3", "Boîte 12").expect("location");
    let new = NewOriginal {
        kind: DocumentKind::IdentityDocument,
        description: "Passeport AF1234567".into(),
        received_on: date!(2026 - 03 - 03),
        location: shelf.clone(),
    };
    h.run(CLERK, Command::ReceiveOriginal(new.clone())).run(CLERK, Command::ReceiveOriginal(new));
    let id = h.case.originals[1].id.clone();
    assert_eq!(id, format!("{}-O2", h.case.number));
    let change = |change| Command::ChangeCustody { original: id.clone(), change };
    h.run(CLERK, change(CustodyChange::Lend { to: login(OFFICER) }));
    assert_eq!(h.err(CLERK, change(CustodyChange::Lend { to: login(OFFICER) })).code(), "validation");
    h.run(CLERK, change(CustodyChange::TakeBack { location: shelf }));
    h.on(date!(2026 - 05 - 04))
        .run(CLERK, change(CustodyChange::ReturnToApplicant { on: date!(2026 - 05 - 04), signed_by: "Zoë".into() }));
    assert_eq!(h.case.originals[1].custody.as_str(), "returned");
    assert_eq!(h.case.originals[0].custody.as_str(), "in_store");
    let unknown = Command::ChangeCustody {
        original: "2026-0000001-O9".into(),
        change: CustodyChange::Lend { to: login(OFFICER) },
    };
    assert_eq!(h.err(CLERK, unknown).code(), "validation");
}

fn letter(kind: crate::documents::DocumentKind, on: Date) -> NewDocument {
    NewDocument { origin: crate::documents::Origin::Issued, ..scan(kind, on) }
}

const REF_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaa";
const REF_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbb";
const APPLICANT: &str = "applicant-2026-0000001";

#[test]
fn letters_join_the_applicants_space_and_their_first_opening_is_recorded_once() {
    use crate::documents::DocumentKind;
    let today = date!(2026 - 03 - 03);
    let mut h = Harness::new(today);
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 02), Procedure::Normal)));
    h.run(CLERK, Command::IssueLetter { letter: letter(DocumentKind::Receipt, today), reference: REF_A.into() });
    let shared = h.case.documents[0].shared.clone().expect("in the applicant's space");
    assert_eq!((shared.reference.as_str(), shared.first_opened_at), (REF_A, None));
    // The same reference twice, a bad one, a scan passed off as a letter, the decision outside notification.
    let err = h
        .err(CLERK, Command::IssueLetter { letter: letter(DocumentKind::Convocation, today), reference: REF_A.into() });
    assert_eq!(err.code(), "validation");
    let err =
        h.err(CLERK, Command::IssueLetter { letter: letter(DocumentKind::Convocation, today), reference: "x".into() });
    assert_eq!(err.code(), "validation");
    let err =
        h.err(CLERK, Command::IssueLetter { letter: scan(DocumentKind::Evidence, today), reference: REF_B.into() });
    assert_eq!(err.code(), "validation");
    let err =
        h.err(CLERK, Command::IssueLetter { letter: letter(DocumentKind::Decision, today), reference: REF_B.into() });
    assert_eq!(err.code(), "validation");
    assert_eq!(h.case.documents.len(), 1, "nothing half-done");
    h.on(date!(2026 - 03 - 05)).run(APPLICANT, Command::OpenDocument { document: 1 });
    let opened = h.case.documents[0].shared.as_ref().and_then(|s| s.first_opened_at).expect("opened");
    assert_eq!(opened.date(), date!(2026 - 03 - 05));
    assert_eq!(h.err(APPLICANT, Command::OpenDocument { document: 1 }).code(), "validation", "only the first");
    assert_eq!(h.err(APPLICANT, Command::OpenDocument { document: 9 }).code(), "validation");
    // A scan is shared on purpose; the applicant's own documents are theirs already.
    h.run(CLERK, Command::AttachDocuments { documents: vec![scan(DocumentKind::CivilStatus, today)] });
    h.run(CLERK, Command::ShareDocument { document: 2, reference: REF_B.into() });
    assert_eq!(h.err(CLERK, Command::ShareDocument { document: 2, reference: REF_B.into() }).code(), "validation");
    assert_eq!(h.err(APPLICANT, Command::OpenDocument { document: 3 }).code(), "validation");
}

fn signed(introduced_on: Date) -> Harness {
    let interview_on = crate::calendar::add_days(introduced_on, 30);
    let mut h = Harness::interviewed(introduced_on, Procedure::Normal, interview_on);
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview).run(HEAD, Command::Sign);
    h
}

#[test]
fn the_decision_is_notified_when_the_applicant_first_opens_it() {
    use crate::documents::DocumentKind;
    let mut h = signed(date!(2026 - 01 - 05));
    let available = date!(2026 - 03 - 02);
    let notify = |reference: &str| Command::NotifyDecision {
        letter: letter(DocumentKind::Decision, available),
        reference: reference.into(),
    };
    h.on(available).run(CLERK, notify(REF_A));
    assert_eq!(h.case.status, Status::Signed);
    assert!(h.case.made_available_at.is_some());
    let id = h.case.documents.last().expect("the decision").id;
    h.err(CLERK, notify(REF_B)); // once
                                 // Opened on the 5th: notified that day, the appeal period runs from it.
    h.on(date!(2026 - 03 - 05)).run(APPLICANT, Command::OpenDocument { document: id });
    assert_eq!(h.case.status, Status::Notified);
    assert_eq!(h.case.notified_on, Some(date!(2026 - 03 - 05)));
}

#[test]
fn a_decision_opened_after_fifteen_days_was_already_deemed_notified() {
    use crate::documents::DocumentKind;
    let mut h = signed(date!(2026 - 01 - 05));
    let available = date!(2026 - 03 - 02);
    h.on(available).run(
        CLERK,
        Command::NotifyDecision { letter: letter(DocumentKind::Decision, available), reference: REF_A.into() },
    );
    let id = h.case.documents.last().expect("the decision").id;
    h.on(date!(2026 - 03 - 20)).run(APPLICANT, Command::OpenDocument { document: id });
    assert_eq!(h.case.status, Status::Signed, "the opening is recorded, the notification is the deemed one");
    h.run(CLERK, Command::DeemNotified);
    assert_eq!(h.case.notified_on, Some(date!(2026 - 03 - 17)));
}

#[test]
fn the_applicant_writes_with_documents_of_their_own() {
    use crate::documents::{DocumentKind, Origin};
    let today = date!(2026 - 03 - 03);
    let mut h = Harness::new(today);
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 02), Procedure::Normal)));
    let certificate = NewDocument { origin: Origin::Applicant, ..scan(DocumentKind::MedicalCertificate, today) };
    h.run(APPLICANT, Command::ReceiveMessage { text: " Nouvelle adresse ".into(), documents: vec![certificate] });
    assert_eq!(h.case.messages.len(), 1);
    assert_eq!(h.case.messages[0].text, "Nouvelle adresse");
    assert_eq!(h.case.messages[0].documents, [1]);
    assert_eq!(h.case.documents[0].added_by, login(APPLICANT));
    assert_eq!(h.err(APPLICANT, Command::ReceiveMessage { text: " ".into(), documents: vec![] }).code(), "validation");
    let scanned = scan(DocumentKind::Evidence, today);
    let err = h.err(APPLICANT, Command::ReceiveMessage { text: "x".into(), documents: vec![scanned] });
    assert_eq!(err.code(), "validation", "not passed off as the office's");
    assert_eq!(h.case.messages.len(), 1);
}

#[test]
fn the_applicant_writes_without_a_document() {
    let today = date!(2026 - 03 - 03);
    let mut h = Harness::new(today);
    h.run(CLERK, Command::Register(registration(date!(2026 - 03 - 02), Procedure::Normal)));
    let documents = h.case.documents.len();
    h.run(APPLICANT, Command::ReceiveMessage { text: "J'ai déménagé : 8 rue des Acacias".into(), documents: vec![] });
    assert_eq!(h.case.messages.len(), 1);
    assert!(h.case.messages[0].documents.is_empty());
    assert_eq!(h.case.documents.len(), documents, "no document joins the file");
}

#[test]
fn the_case_says_what_may_happen_next() {
    assert_eq!(Case::initial().next_commands(), [CommandKind::Register]);
    let mut h = Harness::interviewed(date!(2026 - 03 - 03), Procedure::Normal, date!(2026 - 04 - 14));
    assert!(h.case.allows(CommandKind::DraftDecision));
    assert!(h.case.allows(CommandKind::Withdraw));
    assert!(!h.case.allows(CommandKind::Sign));
    assert!(!h.case.allows(CommandKind::Register));
    h.run(OFFICER, Command::DraftDecision(rejection())).run(OFFICER, Command::SubmitForReview);
    let next = h.case.next_commands();
    assert!(next.contains(&CommandKind::Sign) && next.contains(&CommandKind::ReturnToOfficer));
    assert!(!next.contains(&CommandKind::SubmitForReview));
    // What is not allowed is refused as an illegal transition, named as the kind names itself.
    let e = h.err(OFFICER, Command::SubmitForReview);
    assert_eq!(e, DomainError::IllegalTransition { status: Status::UnderReview, command: "submit_for_review" });
    h.run(HEAD, Command::Sign);
    assert!(h.case.allows(CommandKind::NotifyDecision) && h.case.allows(CommandKind::MakeAvailable));
    assert!(!h.case.allows(CommandKind::Withdraw), "a signed decision is no longer withdrawn");
    assert!(h.case.allows(CommandKind::ReceiveMessage), "the file lives on");
}

#[test]
fn command_kinds_name_themselves_as_in_serde() {
    for kind in CommandKind::ALL {
        assert_eq!(CommandKind::parse(kind.as_str()), Some(kind));
        assert_eq!(serde_json::to_value(kind).expect("serializes"), kind.as_str());
        assert_eq!(kind.to_string(), kind.as_str());
    }
    assert_eq!(CommandKind::parse("teleport"), None);
    // Every status admits something, except none: a final case still takes mail.
    for status in Status::all() {
        let case = Case { status: *status, ..Case::initial() };
        assert!(!case.next_commands().is_empty(), "{}", status.as_str());
    }
}

#[test]
fn an_excused_absence_sends_the_case_back_to_be_convened() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    h.run(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 04 - 14), InterviewMode::InPerson)));
    let excused =
        |reason: &str| Command::RecordAbsence { on: date!(2026 - 04 - 14), excused: true, reason: reason.to_owned() };
    // Excused, it needs its reason; it may come before the day (the applicant wrote).
    assert_eq!(h.err(OFFICER, excused("  ")).code(), "validation");
    let wrong_day = Command::RecordAbsence { on: date!(2026 - 04 - 15), excused: true, reason: "Hospitalisé.".into() };
    assert_eq!(h.err(OFFICER, wrong_day).code(), "validation");
    let unexcused = Command::RecordAbsence { on: date!(2026 - 04 - 14), excused: false, reason: String::new() };
    assert_eq!(h.err(OFFICER, unexcused).code(), "not_yet");
    h.run(OFFICER, excused("Hospitalisé, certificat joint."));
    assert_eq!(h.case.status, Status::Assigned);
    assert_eq!(h.case.interview, None);
    assert_eq!(h.case.absences.len(), 1);
    assert!(h.case.unexcused_absence().is_none());
    // Convened again, then absent without excuse: the closure path opens.
    h.run(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 05 - 05), InterviewMode::InPerson)));
    assert!(h.case.offers(CommandKind::RecordAbsence));
    h.on(date!(2026 - 05 - 05))
        .run(OFFICER, Command::RecordAbsence { on: date!(2026 - 05 - 05), excused: false, reason: String::new() });
    assert_eq!(h.case.status, Status::InterviewScheduled);
    assert!(!h.case.offers(CommandKind::RecordAbsence));
    assert!(h.case.unexcused_absence().is_some());
    h.run(CLERK, Command::Close { ground: ClosureGround::AbsenceFromInterview });
    assert_eq!(h.case.status, Status::Closed);
}

#[test]
fn interview_needs_ask_for_a_sex_with_grounds() {
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    let needs = |officer: Option<Sex>, grounds: &str, heard_with: Vec<CaseNumber>| {
        Command::RecordInterviewNeeds(InterviewNeeds {
            officer_sex: officer,
            interpreter_sex: Some(Sex::Female),
            grounds: grounds.to_owned(),
            vulnerable: true,
            heard_with,
        })
    };
    let other = CaseNumber::new(2026, 77).expect("valid");
    assert_eq!(h.err(OFFICER, needs(Some(Sex::Female), "", vec![])).code(), "validation");
    assert_eq!(h.err(OFFICER, needs(Some(Sex::Unspecified), "Violences.", vec![])).code(), "validation");
    assert_eq!(h.err(OFFICER, needs(None, "Violences.", vec![h.case.number])).code(), "validation");
    assert_eq!(h.err(OFFICER, needs(None, "Violences.", vec![other, other])).code(), "validation");
    h.run(OFFICER, needs(Some(Sex::Female), "Violences sexuelles.", vec![other]));
    let recorded = h.case.interview_needs.clone().expect("recorded");
    assert!(recorded.vulnerable);
    assert_eq!(recorded.heard_with, vec![other]);
    // Once heard, the needs of that interview are history.
    h.run(CLERK, Command::ScheduleInterview(Interview::new(date!(2026 - 04 - 14), InterviewMode::InPerson)));
    h.on(date!(2026 - 04 - 14))
        .run(OFFICER, Command::RecordInterview { held_on: date!(2026 - 04 - 14), record: Default::default() });
    assert_eq!(h.err(OFFICER, needs(None, "", vec![])).code(), "illegal_transition");
}

#[test]
fn a_recording_is_audio_filed_by_the_office_and_never_sent_to_the_applicant() {
    use crate::documents::DocumentKind;
    let mut h = Harness::assigned(date!(2026 - 03 - 03), Procedure::Normal);
    let audio = |media_type: &str, pages: u32| {
        let mut d = scan(DocumentKind::InterviewRecording, date!(2026 - 03 - 03));
        d.media_type = media_type.to_owned();
        d.pages = pages;
        d
    };
    let attach = |d: NewDocument| Command::AttachDocuments { documents: vec![d] };
    assert_eq!(h.err(OFFICER, attach(audio("application/pdf", 1))).code(), "validation");
    assert_eq!(h.err(OFFICER, attach(audio("audio/ogg", 3))).code(), "validation");
    let mut not_recording = scan(DocumentKind::Evidence, date!(2026 - 03 - 03));
    not_recording.media_type = "audio/mpeg".into();
    assert_eq!(h.err(OFFICER, attach(not_recording)).code(), "validation", "audio only as a recording");
    h.run(OFFICER, attach(audio("audio/ogg", 0)));
    let id = h.case.documents.last().expect("filed").id;
    let share = Command::ShareDocument { document: id, reference: "abcdefghijklmnopqrstuvwxyz".into() };
    assert_eq!(h.err(OFFICER, share).code(), "validation");
    assert!(!DocumentKind::scannable().any(|k| k.is_recording()), "a secretary never files one as a scan");
}
