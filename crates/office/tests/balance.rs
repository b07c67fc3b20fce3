//! Workload balancing and replanning through the office, on both databases: the cases waiting
//! for an officer are proposed to the least loaded officer, a section head accepts or changes
//! the proposals (each an assignment journaled as from the case page), a planner reads them and
//! an officer may not; demand against interpreting capacity per language; and a replanning
//! after an officer's half-day off sends the moved convocation with a new letter.

use nansen_domain::lifecycle::Status;
use nansen_domain::CaseNumber;
use nansen_office::cases::{self, CaseOp};
use nansen_office::planning::balance::{self, Choice};
use nansen_office::planning::week;
use nansen_office::planning::{self, InterpreterChange, NewFirmForm, NewInterpreterForm, NewRoomForm};
use nansen_office::testing::{registration, TestOffice, BACKENDS};
use nansen_office::{OfficeError, Role};
use time::macros::date;

const DIVISION: &str = "europe-middle-east";

fn firm() -> NewFirmForm {
    NewFirmForm {
        code: "ism".into(),
        name: "ISM Interprétariat".into(),
        contract: "2024-OFP-017".into(),
        contract_from: date!(2024 - 01 - 01),
        hourly_rate: "38.50".into(),
    }
}

fn interpreter() -> NewInterpreterForm {
    NewInterpreterForm {
        id: "ISM-0001".into(),
        name: "Omar Khalil".into(),
        firm: "ism".into(),
        sex: "male".into(),
        languages: "ara".into(),
        in_person: true,
        video: false,
        login: None,
        code_of_conduct: Some(date!(2026 - 01 - 05)),
    }
}

fn room(code: &str) -> NewRoomForm {
    NewRoomForm { code: code.into(), name: format!("Box {code}"), kind: "booth".into(), site: "Fontenay".into() }
}

#[tokio::test]
async fn waiting_cases_go_to_the_least_loaded_officer_and_the_head_accepts_or_changes() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let planner = t.agent("plan.one", Role::Planner, Some(DIVISION), None).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        t.agent("opi.two", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;

        let mut numbers = Vec::new();
        for n in 1..=6 {
            let mut r = registration(t.now().date());
            r.number = CaseNumber::new(2026, n).expect("number");
            let (case, _) = cases::register(&t.office, &secretary, r).await.expect("registered");
            numbers.push(case.number.to_string());
        }
        // opi.one already holds three cases.
        for number in &numbers[..3] {
            cases::perform(&t.office, &head, number, CaseOp::Assign { officer: "opi.one".into() })
                .await
                .expect("assigned");
        }

        let view = balance::balance(&t.office, &head).await.expect("balance");
        assert_eq!(view.proposals.len(), 3, "{backend:?}: {view:?}");
        assert!(view.proposals.iter().all(|p| p.officer == "opi.two"), "{backend:?}: the lighter officer: {view:?}");
        assert!(view.may_assign);
        let one = view.officers.iter().find(|o| o.login == "opi.one").expect("opi.one");
        assert_eq!((one.open, one.proposed), (3, 0), "{backend:?}");
        assert!((one.load - 3.0).abs() < 1e-9, "{backend:?}: three normal cases weigh 3: {one:?}");
        // The six cases wait for an Arabic interview, and no interpreter is registered.
        let arabic = view.languages.iter().find(|l| l.demand.language.as_str() == "ara").expect("ara");
        assert_eq!(arabic.demand.waiting, 6, "{backend:?}");
        assert!(arabic.demand.shortage && arabic.demand.weeks_to_interview.is_none(), "{backend:?}");

        // A planner reads the proposals, may not assign; an officer may not read them.
        let read = balance::balance(&t.office, &planner).await.expect("the planner reads");
        assert!(!read.may_assign);
        let forbidden = balance::balance(&t.office, &officer).await;
        assert!(matches!(forbidden, Err(OfficeError::Forbidden { .. })), "{backend:?}");
        let by_planner =
            balance::accept(&t.office, &planner, vec![Choice { case: numbers[3].clone(), officer: "opi.two".into() }])
                .await
                .expect("answered");
        assert!(by_planner.assigned.is_empty() && by_planner.refused.len() == 1, "{backend:?}: {by_planner:?}");

        // Nothing ticked: refused on its field.
        let empty = balance::accept(&t.office, &head, vec![]).await;
        assert!(matches!(empty, Err(OfficeError::Field { ref field, .. }) if field == "accept"), "{backend:?}");

        // The head accepts one, changes another's officer, and a third names a secretary.
        let accepted = balance::accept(
            &t.office,
            &head,
            vec![
                Choice { case: numbers[3].clone(), officer: "opi.two".into() },
                Choice { case: numbers[4].clone(), officer: "opi.one".into() },
                Choice { case: numbers[5].clone(), officer: "sec.one".into() },
            ],
        )
        .await
        .expect("accepted");
        assert_eq!(accepted.assigned.len(), 2, "{backend:?}: {accepted:?}");
        assert_eq!(accepted.refused.len(), 1, "{backend:?}: {accepted:?}");
        assert!(accepted.refused[0].1.contains("officer"), "{backend:?}: {accepted:?}");
        let store = &t.store.store;
        let officer_of = |n: &str| {
            let n = CaseNumber::parse(n).expect("number");
            async move { store.case(&n).await.expect("store").expect("case").officer.map(|l| l.to_string()) }
        };
        assert_eq!(officer_of(&numbers[3]).await.as_deref(), Some("opi.two"));
        assert_eq!(officer_of(&numbers[4]).await.as_deref(), Some("opi.one"));
        assert_eq!(officer_of(&numbers[5]).await, None, "{backend:?}: the refused one is left waiting");
        // Each assignment is journaled on its case, by the head.
        let entries = t.entries(&format!("case:{}", numbers[3])).await;
        assert!(entries.iter().any(|e| e.kind == "assigned" && e.actor == "cs.one"), "{backend:?}");

        // The last one is now proposed alone.
        let after = balance::balance(&t.office, &head).await.expect("balance");
        assert_eq!(after.proposals.len(), 1, "{backend:?}: {after:?}");
        assert_eq!(after.proposals[0].case.to_string(), numbers[5]);
    }
}

#[tokio::test]
async fn a_replanning_sends_the_moved_convocation_with_a_new_letter() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let planner = t.agent("plan.one", Role::Planner, Some(DIVISION), None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");
        planning::add_firm(&t.office, &planner, firm()).await.expect("firm");
        planning::add_interpreter(&t.office, &planner, interpreter()).await.expect("interpreter");
        let monday = date!(2026 - 03 - 16);
        let week_text: Vec<String> =
            nansen_domain::planning::HalfDay::week(monday).iter().map(|h| h.to_string()).collect();
        planning::change_interpreter(&t.office, &planner, "ISM-0001", InterpreterChange::Offer(week_text.join(" ")))
            .await
            .expect("offered");
        planning::add_room(&t.office, &planner, room("B-01")).await.expect("room");

        // With an interpreter now free, the balance counts the capacity of the week planned.
        let balance = balance::balance(&t.office, &head).await.expect("balance");
        let arabic = balance.languages.iter().find(|l| l.demand.language.as_str() == "ara").expect("ara");
        assert_eq!(arabic.demand.waiting, 1, "{backend:?}");
        assert_eq!(arabic.demand.free_by_week, vec![0, 10, 0, 0], "{backend:?}: {arabic:?}");
        assert_eq!(arabic.demand.first_week_without, Some(date!(2026 - 03 - 09)));

        let sent = week::send(&t.office, &planner, monday).await.expect("sent");
        assert_eq!(sent.sent.len(), 1, "{backend:?}: {sent:?}");
        let first = t.store.store.case(&case.number).await.expect("store").expect("case");
        let booked = first.interview.clone().expect("interview");
        let calendar = t.store.store.calendar(&officer.login).await.expect("store");
        let (half_day, _) = calendar.bookings.iter().next().expect("a booking");
        let half_day = *half_day;

        // The officer takes that half-day off: the plan moves the convocation and sends it.
        planning::mark(&t.office, &officer, "opi.one", &half_day.to_string(), Some("leave")).await.expect("marked");
        let replanned = week::week(&t.office, &planner, monday).await.expect("week");
        assert!(replanned.replanning, "{backend:?}");
        assert_eq!(replanned.changes.len(), 1, "{backend:?}: {replanned:?}");
        assert_eq!(replanned.changes[0].kind, "moved", "{backend:?}: {replanned:?}");
        let resent = week::send(&t.office, &planner, monday).await.expect("sent");
        assert_eq!(resent.moved.len(), 1, "{backend:?}: {resent:?}");
        assert!(resent.sent.is_empty() && resent.refused.is_empty(), "{backend:?}: {resent:?}");

        let moved = t.store.store.case(&case.number).await.expect("store").expect("case");
        assert_eq!(moved.status, Status::InterviewScheduled);
        let letters = moved.documents.iter().filter(|d| d.document.kind.as_str() == "convocation").count();
        assert_eq!(letters, 2, "{backend:?}: a new convocation letter");
        let calendar = t.store.store.calendar(&officer.login).await.expect("store");
        assert_eq!(calendar.bookings.len(), 1, "{backend:?}: {calendar:?}");
        let (new_half_day, _) = calendar.bookings.iter().next().expect("a booking");
        assert_ne!(*new_half_day, half_day, "{backend:?}");
        assert_eq!(moved.interview.as_ref().map(|i| i.on), Some(new_half_day.date), "{backend:?}: {booked:?}");
        let interpreter = &t.store.store.interpreters().await.expect("store")[0];
        assert_eq!(interpreter.bookings.keys().copied().collect::<Vec<_>>(), vec![*new_half_day], "{backend:?}");
        let room = &t.store.store.rooms().await.expect("store")[0];
        assert_eq!(room.bookings.keys().copied().collect::<Vec<_>>(), vec![*new_half_day], "{backend:?}");

        // Planned again, nothing more moves.
        let again = week::week(&t.office, &planner, monday).await.expect("week");
        assert!(again.changes.is_empty() && !again.replanning, "{backend:?}: {again:?}");
        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}");
    }
}
