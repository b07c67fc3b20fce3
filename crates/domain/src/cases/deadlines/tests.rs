use time::macros::date;
use time::OffsetDateTime;

use super::*;
use crate::application::{AcceleratedGround, ApplicationKind};
use crate::cases::{Extension, LegalAidPeriod};
use crate::decision::{ClosureGround, InadmissibilityGround};
use crate::test_support::*;

fn rules() -> Rules {
    Rules::embedded()
}

/// A registered case, built field by field (the deadlines only read fields).
fn case(procedure: Procedure, introduced_on: Date) -> Case {
    Case {
        number: crate::ids::CaseNumber::new(2026, 1).expect("valid"),
        status: Status::Registered,
        procedure,
        introduced_on,
        registered_at: at(introduced_on),
        ..Case::initial()
    }
}

/// A case notified on `notified_on` of a rejection.
fn notified(notified_on: Date, basis: NotificationBasis, made_available: OffsetDateTime) -> Case {
    Case {
        status: Status::Notified,
        draft: Some(rejection()),
        made_available_at: Some(made_available),
        notified_on: Some(notified_on),
        notification_basis: Some(basis),
        ..case(Procedure::Normal, date!(2026 - 01 - 05))
    }
}

fn opened(notified_on: Date) -> Case {
    notified(notified_on, NotificationBasis::FirstOpened, at(notified_on))
}

fn one(case: &Case, kind: DeadlineKind) -> Deadline {
    deadline(case, kind, &rules()).expect("rule in force").expect("deadline applies")
}

#[test]
fn decision_deadline_per_procedure() {
    let on = date!(2026 - 03 - 03);
    let d = one(&case(Procedure::Normal, on), DeadlineKind::Decision);
    assert_eq!(d.due_on, date!(2026 - 09 - 03));
    assert_eq!(d.starts_on, on);
    assert_eq!(d.rule, "decision.normal");
    assert_eq!(d.explanation, "6 months from introduction on 3 March 2026 (normal procedure): 3 September 2026");

    let d = one(&case(Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin), on), DeadlineKind::Decision);
    assert_eq!(d.due_on, date!(2026 - 03 - 18));
    assert_eq!(d.source, "CESEDA R.531-23");
    assert_eq!(
        d.explanation,
        "15 days from introduction on 3 March 2026 (accelerated procedure, safe country of origin): 18 March 2026"
    );

    let d = one(&case(Procedure::Detention, on), DeadlineKind::Decision);
    assert_eq!(d.due_on, date!(2026 - 03 - 07));
    assert_eq!(d.explanation, "96 hours from receipt on 3 March 2026 (application in detention): 7 March 2026");

    let d = one(&case(Procedure::Border, on), DeadlineKind::Decision);
    assert!(d.explanation.ends_with("(to verify)"), "{}", d.explanation);
    assert!(d.explanation.starts_with("2 days from introduction on 3 March 2026 (application at the border)"));
}

#[test]
fn decision_deadline_after_reclassification_runs_from_the_interview() {
    let c = Case {
        status: Status::Interviewed,
        procedure: Procedure::Accelerated(AcceleratedGround::FalseDocuments),
        reclassified_accelerated_on: Some(date!(2026 - 04 - 14)),
        interviewed_on: Some(date!(2026 - 04 - 14)),
        ..case(Procedure::Normal, date!(2026 - 03 - 03))
    };
    let d = one(&c, DeadlineKind::Decision);
    assert_eq!(d.starts_on, date!(2026 - 04 - 14));
    assert_eq!(d.due_on, date!(2026 - 04 - 29));
    assert_eq!(
        d.explanation,
        "15 days from the interview on 14 April 2026 (accelerated procedure decided at the end of the interview, \
         false documents or identity): 29 April 2026"
    );
}

#[test]
fn decision_deadline_with_extensions_and_month_ends() {
    let mut c = case(Procedure::Normal, date!(2026 - 08 - 31));
    assert_eq!(one(&c, DeadlineKind::Decision).due_on, date!(2027 - 02 - 28), "clamped to the end of February");
    c.extensions = vec![
        Extension { months: 9, reason: "many applications at once".into(), on: date!(2027 - 02 - 01) },
        Extension { months: 3, reason: "exceptional complexity".into(), on: date!(2027 - 11 - 01) },
    ];
    let d = one(&c, DeadlineKind::Decision);
    assert_eq!(d.due_on, date!(2028 - 02 - 28));
    assert_eq!(
        d.explanation,
        "6 months from introduction on 31 August 2026 (normal procedure): 28 February 2027, extended by 9 months on \
         1 February 2027 (many applications at once): 28 November 2027, extended by 3 months on 1 November 2027 \
         (exceptional complexity): 28 February 2028"
    );
    assert!(deadline(&c, DeadlineKind::InformOfExtension, &rules()).expect("ok").is_none(), "already extended");
}

#[test]
fn inform_of_extension_fifteen_days_before_the_six_months() {
    let d = one(&case(Procedure::Normal, date!(2026 - 03 - 03)), DeadlineKind::InformOfExtension);
    assert_eq!(d.due_on, date!(2026 - 08 - 19));
    assert_eq!(d.source, "CESEDA R.531-7");
    assert_eq!(
        d.explanation,
        "if no decision can be taken in time, the applicant is told 15 days before the end of the 6 months from \
         introduction on 3 March 2026 (on 3 September 2026): 19 August 2026"
    );
    let accelerated = case(Procedure::Accelerated(AcceleratedGround::LateApplication), date!(2026 - 03 - 03));
    assert!(deadline(&accelerated, DeadlineKind::InformOfExtension, &rules()).expect("ok").is_none());
}

#[test]
fn no_decision_deadline_once_signed() {
    let c = Case { status: Status::Signed, ..case(Procedure::Normal, date!(2026 - 03 - 03)) };
    assert!(c.decision_due(&rules()).is_none());
    assert!(deadlines(&c, &rules()).is_empty());
}

#[test]
fn deemed_notification_fifteen_days_after_being_made_available() {
    let c = Case {
        status: Status::Signed,
        made_available_at: Some(at(date!(2026 - 06 - 29))),
        ..case(Procedure::Normal, date!(2026 - 01 - 05))
    };
    let d = one(&c, DeadlineKind::Notification);
    assert_eq!(d.due_on, date!(2026 - 07 - 14));
    assert_eq!(d.source, "CESEDA R.531-17");
    assert_eq!(
        d.explanation,
        "deemed notified 15 days after being made available on 29 June 2026, unless first opened before: 14 July 2026"
    );
}

#[test]
fn appeal_deadline_moved_over_a_holiday_weekend() {
    let c = notified(date!(2026 - 07 - 15), NotificationBasis::Deemed, at(date!(2026 - 06 - 30)));
    let d = one(&c, DeadlineKind::Appeal);
    assert_eq!(d.due_on, date!(2026 - 08 - 17));
    assert_eq!(d.source, "CESEDA L.532-1");
    assert_eq!(
        d.explanation,
        "1 month from notification on 15 July 2026 (deemed notified 15 days after being made available on \
         30 June 2026): 15 August 2026, moved to Monday 17 August 2026 (15 August is a public holiday, 16 August a \
         Sunday)"
    );
    // 14 August 2026 is a Friday: no shift.
    let c = notified(date!(2026 - 07 - 14), NotificationBasis::Deemed, at(date!(2026 - 06 - 29)));
    let d = one(&c, DeadlineKind::Appeal);
    assert_eq!(d.due_on, date!(2026 - 08 - 14));
    assert!(!d.explanation.contains("moved"), "{}", d.explanation);
}

#[test]
fn appeal_deadline_across_month_ends_and_holidays() {
    let cases = [
        // notified, due
        (date!(2026 - 01 - 31), date!(2026 - 03 - 02)), // 28 February is a Saturday
        (date!(2026 - 03 - 31), date!(2026 - 04 - 30)), // clamped to 30 April, a Thursday
        (date!(2026 - 04 - 30), date!(2026 - 06 - 01)), // 30 May is a Saturday
        (date!(2026 - 04 - 01), date!(2026 - 05 - 04)), // 1 May Labour Day (Friday), then the weekend
        (date!(2026 - 03 - 05), date!(2026 - 04 - 07)), // 5 April Easter Sunday, 6 April Easter Monday
        (date!(2026 - 04 - 14), date!(2026 - 05 - 15)), // 14 May Ascension Day
        (date!(2026 - 11 - 25), date!(2026 - 12 - 28)), // Christmas Friday, then the weekend
        (date!(2026 - 12 - 31), date!(2027 - 02 - 01)), // 31 January 2027 is a Sunday
        (date!(2028 - 01 - 31), date!(2028 - 02 - 29)), // leap year, a Tuesday
        (date!(2025 - 03 - 20), date!(2025 - 04 - 22)), // 20 April 2025 Easter Sunday, 21 Easter Monday
        (date!(2024 - 04 - 30), date!(2024 - 05 - 30)), // a Thursday
        (date!(2024 - 04 - 09), date!(2024 - 05 - 10)), // 9 May 2024 Ascension Day
    ];
    for (notified_on, due) in cases {
        assert_eq!(one(&opened(notified_on), DeadlineKind::Appeal).due_on, due, "notified on {notified_on}");
    }
    assert_eq!(
        one(&opened(date!(2026 - 04 - 01)), DeadlineKind::Appeal).explanation,
        "1 month from notification on 1 April 2026 (first opened in the applicant's secure space that day): 1 May \
         2026, moved to Monday 4 May 2026 (1 May is a public holiday, 2 May a Saturday, 3 May a Sunday)"
    );
    assert!(one(&opened(date!(2026 - 03 - 05)), DeadlineKind::Appeal)
        .explanation
        .ends_with("moved to Tuesday 7 April 2026 (5 April is a Sunday, 6 April a public holiday)"));
}

#[test]
fn legal_aid_suspension_arithmetic() {
    let mut c = opened(date!(2026 - 07 - 14));
    // Pending: suspended, with the days that remain.
    c.legal_aid = vec![LegalAidPeriod { requested_on: date!(2026 - 07 - 20), decided_on: None }];
    let d = one(&c, DeadlineKind::Appeal);
    assert!(d.suspended);
    assert_eq!(d.due_on, date!(2026 - 08 - 14));
    assert!(d
        .explanation
        .contains("suspended by a legal-aid request on 20 July 2026 with 25 days remaining, which will run again"));
    // Decided on 1 September: 25 days from 2 September is 26 September, a Saturday.
    c.legal_aid[0].decided_on = Some(date!(2026 - 09 - 01));
    let d = one(&c, DeadlineKind::Appeal);
    assert!(!d.suspended);
    assert_eq!(d.due_on, date!(2026 - 09 - 28));
    assert_eq!(
        d.explanation,
        "1 month from notification on 14 July 2026 (first opened in the applicant's secure space that day): \
         14 August 2026; suspended by a legal-aid request on 20 July 2026 with 25 days remaining, which ran again \
         from the day after legal aid was decided on 1 September 2026: 26 September 2026, moved to Monday \
         28 September 2026 (26 September is a Saturday, 27 September a Sunday)"
    );
    assert!(d.source.contains("art. 9-4"), "{}", d.source);
    // Requested the day of notification: the whole month remains.
    c.legal_aid = vec![LegalAidPeriod { requested_on: date!(2026 - 07 - 14), decided_on: Some(date!(2026 - 08 - 03)) }];
    assert_eq!(one(&c, DeadlineKind::Appeal).due_on, date!(2026 - 09 - 03), "31 days from 4 August");
    // Requested on the last day of the 15-day window (29 July): 16 days remain.
    c.legal_aid = vec![LegalAidPeriod { requested_on: date!(2026 - 07 - 29), decided_on: Some(date!(2026 - 10 - 01)) }];
    assert_eq!(one(&c, DeadlineKind::Appeal).due_on, date!(2026 - 10 - 19), "17 October is a Saturday");
    // After the window: no suspension.
    c.legal_aid = vec![LegalAidPeriod { requested_on: date!(2026 - 07 - 30), decided_on: None }];
    let d = one(&c, DeadlineKind::Appeal);
    assert!(!d.suspended);
    assert_eq!(d.due_on, date!(2026 - 08 - 14));
    assert!(d.explanation.contains("came more than 15 days after notification and does not suspend it"));
}

#[test]
fn no_appeal_deadline_for_a_grant_of_refugee_status() {
    let mut c = opened(date!(2026 - 07 - 14));
    c.draft = Some(draft(crate::decision::Outcome::Stateless));
    assert!(deadline(&c, DeadlineKind::Appeal, &rules()).expect("ok").is_none());
}

#[test]
fn court_ruling_collegial_or_single_judge() {
    let mut c = opened(date!(2026 - 07 - 14));
    c.status = Status::Appealed;
    c.appeal_lodged_on = Some(date!(2026 - 08 - 03));
    let d = one(&c, DeadlineKind::CourtRuling);
    assert_eq!(d.due_on, date!(2027 - 01 - 03));
    assert_eq!(
        d.explanation,
        "5 months from the appeal lodged on 3 August 2026 (collegial formation): 3 January 2027 (to verify)"
    );
    c.procedure = Procedure::Accelerated(AcceleratedGround::SafeCountryOfOrigin);
    let d = one(&c, DeadlineKind::CourtRuling);
    assert_eq!(d.due_on, date!(2026 - 09 - 07));
    assert!(d.explanation.contains("single judge: decision made in accelerated procedure"));
    c.procedure = Procedure::Normal;
    c.draft = Some(draft(crate::decision::Outcome::Inadmissibility(InadmissibilityGround::SafeThirdCountry)));
    assert_eq!(one(&c, DeadlineKind::CourtRuling).due_on, date!(2026 - 09 - 07));
    c.kind = ApplicationKind::Statelessness;
    assert!(deadline(&c, DeadlineKind::CourtRuling, &rules()).expect("ok").is_none());
}

#[test]
fn reopening_window_after_closure() {
    let c = Case {
        status: Status::Closed,
        closed: Some(ClosureGround::Withdrawal),
        closed_on: Some(date!(2026 - 01 - 10)),
        closed_from: Some(Status::Registered),
        ..case(Procedure::Normal, date!(2026 - 01 - 05))
    };
    let d = one(&c, DeadlineKind::Reopening);
    assert_eq!(d.due_on, date!(2026 - 10 - 10));
    assert_eq!(
        d.explanation,
        "9 months from the closure on 10 January 2026 (withdrawal of the application): 10 October 2026; after that, \
         a new application is a re-examination"
    );
    let reopened_once = Case { reopened_on: Some(date!(2026 - 02 - 01)), ..c };
    assert!(deadline(&reopened_once, DeadlineKind::Reopening, &rules()).expect("ok").is_none());
}

#[test]
fn the_list_follows_the_case() {
    let c = case(Procedure::Normal, date!(2026 - 03 - 03));
    let kinds: Vec<DeadlineKind> = deadlines(&c, &rules()).iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DeadlineKind::Decision, DeadlineKind::InformOfExtension]);
    let kinds: Vec<DeadlineKind> = deadlines(&opened(date!(2026 - 07 - 14)), &rules()).iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [DeadlineKind::Appeal]);
    // Before the rules' first entry, nothing is computed rather than something wrong.
    assert!(deadlines(&case(Procedure::Normal, date!(2019 - 03 - 03)), &rules()).is_empty());
    let json = serde_json::to_string(&one(&c, DeadlineKind::Decision)).expect("serializes");
    assert!(json.contains(r#""kind":"decision","starts_on":"2026-03-03","due_on":"2026-09-03""#), "{json}");
}
