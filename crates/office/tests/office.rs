//! The office layer without HTTP, on both databases: registration is one commit, refusals are
//! journaled by the same gate as allowances, the case page's offers come from the policies and
//! the domain together, and a refused upload stores nothing.

use nansen_domain::lifecycle::Status;
use nansen_office::cases::{self, CaseOp};
use nansen_office::testing::{registration, TestOffice, BACKENDS, PASSWORD};
use nansen_office::{OfficeError, Role};

const DIVISION: &str = "europe-middle-east";

#[tokio::test]
async fn registration_is_one_commit_with_its_completeness_letters_and_code() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let (case, code) =
            cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        assert_eq!(case.status, Status::Complete, "{backend:?}");
        assert_eq!(code.len(), 19, "the activation code is printed on the receipt");
        assert!(case.documents.iter().any(|d| d.document.kind.as_str() == "receipt"), "{backend:?}: the receipt");
        let entries = t.entries(&format!("case:{}", case.number)).await;
        let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.contains(&"registered") && kinds.contains(&"documents_attached"), "{backend:?}: {kinds:?}");
        // One transaction: every entry of the registration carries the same commit time, and
        // the authorization record is the entry just before the first of them.
        let at = &entries[0].recorded_at;
        assert!(entries.iter().all(|e| &e.recorded_at == at), "{backend:?}: several commits: {entries:?}");
        let access = t.entries("access:office").await;
        let record = access.last().expect("authorization record");
        assert_eq!(record.kind, "authorization.allow");
        assert_eq!(record.seq + 1, entries[0].seq, "{backend:?}: the record and the events are one batch");
        // The activation code works: the applicant can activate their space with it.
        let account = nansen_office::portal::activate(
            &t.office,
            "127.0.0.1",
            &case.number.to_string(),
            &code,
            "a long enough passphrase",
            "a long enough passphrase",
        )
        .await
        .expect("activated with the code of the receipt");
        assert_eq!(account.case_number, case.number.to_string());
    }
}

#[tokio::test]
async fn an_incomplete_registration_is_one_commit_with_the_request_for_missing_items() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let mut r = registration(t.now().date());
        r.missing = vec!["photographs".into()];
        let (case, _) = cases::register(&t.office, &secretary, r).await.expect("registered");
        assert_eq!(case.status, Status::Incomplete, "{backend:?}");
        let kinds: Vec<&str> = case.documents.iter().map(|d| d.document.kind.as_str()).collect();
        assert_eq!(kinds, ["receipt", "missing_items_request"], "{backend:?}");
    }
}

#[tokio::test]
async fn a_refused_registration_takes_no_number_and_is_journaled_as_refused() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let refused = cases::register(&t.office, &officer, registration(t.now().date())).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {refused:?}");
        let access = t.entries("access:office").await;
        assert_eq!(access.last().map(|e| e.kind.as_str()), Some("authorization.deny"), "{backend:?}");
        // The domain's refusal (introduced in the future) comes before a number is reserved.
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let future = registration(t.now().date() + time::Duration::days(3));
        let refused = cases::register(&t.office, &secretary, future).await;
        assert!(matches!(refused, Err(OfficeError::Domain(_))), "{backend:?}: {refused:?}");
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        assert_eq!(case.number.to_string(), "2026-0000001", "{backend:?}: no number was lost");
    }
}

#[tokio::test]
async fn the_case_page_offers_what_the_policies_and_the_domain_both_allow() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let view = cases::read_case(&t.office, &head, &number).await.expect("the head reads the case");
        assert!(view.offers.assign && !view.offers.sign && !view.offers.schedule, "{backend:?}: {:?}", view.offers);
        assert!(view.officers.iter().any(|o| o.login == "opi.one"), "{backend:?}: officers to assign to");
        assert!(view.timeline.iter().any(|e| e.kind == "registered"), "{backend:?}: the timeline");
        assert!(view.timeline.iter().all(|e| e.payload.is_empty()), "{backend:?}: the timeline carries no content");
        let view = cases::read_case(&t.office, &secretary, &number).await.expect("the secretary reads the case");
        assert!(!view.offers.assign && !view.offers.complete, "{backend:?}: complete already: {:?}", view.offers);
        assert!(view.case.draft.is_none() && view.case.interview_record.is_none());
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");
        let view = cases::read_case(&t.office, &officer, &number).await.expect("the officer reads the case");
        assert!(view.offers.schedule && !view.offers.assign, "{backend:?}: {:?}", view.offers);
        // Scheduling prints the convocation in the same commit.
        let on = t.now().date() + time::Duration::days(10);
        let case = cases::perform(
            &t.office,
            &officer,
            &number,
            CaseOp::Schedule {
                on,
                mode: nansen_domain::lifecycle::InterviewMode::InPerson,
                place: Some("Box 4".into()),
                interpreter: Some("ar".into()),
            },
        )
        .await
        .expect("scheduled");
        assert!(case.documents.iter().any(|d| d.document.kind.as_str() == "convocation"), "{backend:?}");
        let entries = t.entries(&format!("case:{number}")).await;
        let scheduled = entries.iter().rev().find(|e| e.kind == "interview_scheduled").expect("scheduled entry");
        let letter = entries.last().expect("last entry");
        assert_eq!(letter.recorded_at, scheduled.recorded_at, "{backend:?}: the convocation is in the same commit");
    }
}

#[tokio::test]
async fn a_forbidden_read_is_journaled_as_a_refusal_and_shows_nothing() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let auditor = t.agent("audit.one", Role::Auditor, None, None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        let read = cases::read_case(&t.office, &auditor, &number).await;
        assert!(matches!(read, Err(OfficeError::Forbidden { .. })), "{backend:?}");
        let access = t.entries(&format!("access:case:{number}")).await;
        assert_eq!(access.last().map(|e| e.kind.as_str()), Some("authorization.deny"), "{backend:?}");
        let wrong = nansen_office::accounts::sign_in(&t.office, "sec.one", "wrong password").await;
        assert!(matches!(wrong, Err(OfficeError::BadCredentials)));
        nansen_office::accounts::sign_in(&t.office, "sec.one", PASSWORD).await.expect("signed in");
    }
}

/// Letters greet the applicant by their recorded sex ("Madame" for Layla Haddad), with the
/// neutral "Madame, Monsieur" only when it is not recorded.
#[tokio::test]
async fn letters_greet_the_applicant_by_their_recorded_sex() {
    use nansen_docs::print::Salutation;
    use nansen_domain::Sex;
    use nansen_office::letters::{letter, LetterKind};
    let t = TestOffice::new(nansen_office::Backend::Sqlite).await;
    let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
    let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
    for (sex, expected) in
        [(Sex::Female, Salutation::Madam), (Sex::Male, Salutation::Sir), (Sex::Unspecified, Salutation::Neutral)]
    {
        let mut case = case.clone();
        case.applicant.sex = sex;
        for kind in [LetterKind::Receipt, LetterKind::MissingItems] {
            case.missing = vec!["photographs".into()];
            let printed = letter(&t.office, &case, kind, t.now(), None).expect("letter");
            assert_eq!(printed.head().addressee.salutation, expected, "{sex:?} {kind:?}");
        }
    }
}
