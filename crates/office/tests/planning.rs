//! The planning workspace through the office, on both databases: the register refuses bad input
//! and stores nothing; a week is planned from the division's cases and the register and sent in
//! one step (the interpreter, the room and the officer's half-day booked with the case's
//! scheduling and its letter); the interpreter's own schedule shows nothing of the case; an
//! officer's absence makes the next plan a replanning; the register is rebuilt identical.

use nansen_domain::lifecycle::Status;
use nansen_office::cases::{self, CaseOp};
use nansen_office::planning::week;
use nansen_office::planning::{self, InterpreterChange, NewFirmForm, NewInterpreterForm, NewRoomForm};
use nansen_office::testing::{registration, TestOffice, BACKENDS};
use nansen_office::{OfficeError, Role};
use time::macros::date;

const DIVISION: &str = "europe-middle-east";

fn interpreter(id: &str, languages: &str, login: Option<&str>) -> NewInterpreterForm {
    NewInterpreterForm {
        id: id.into(),
        name: "Omar Khalil".into(),
        firm: "ism".into(),
        sex: "male".into(),
        languages: languages.into(),
        in_person: true,
        video: false,
        login: login.map(str::to_owned),
        code_of_conduct: Some(date!(2026 - 01 - 05)),
    }
}

fn field_of(e: OfficeError) -> String {
    match e {
        OfficeError::Field { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_week_is_planned_from_the_register_and_sent_in_one_step() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let planner = t.agent("plan.one", Role::Planner, Some(DIVISION), None).await;
        let account = t.agent("int.one", Role::Interpreter, None, None).await;

        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");

        // The register refuses bad input on its field and stores nothing.
        let firm = NewFirmForm {
            code: "ism".into(),
            name: "ISM Interprétariat".into(),
            contract: "2024-OFP-017".into(),
            contract_from: date!(2024 - 01 - 01),
            hourly_rate: "38.50".into(),
        };
        let refused = planning::add_interpreter(&t.office, &planner, interpreter("ISM-0001", "ara", None)).await;
        assert_eq!(field_of(refused.expect_err("refused")), "firm", "{backend:?}: no such firm yet");
        planning::add_firm(&t.office, &planner, firm).await.expect("firm");
        let refused = planning::add_interpreter(&t.office, &planner, interpreter("ISM-0001", "xqz", None)).await;
        assert_eq!(field_of(refused.expect_err("refused")), "languages", "{backend:?}: not an ISO 639-3 code");
        let refused =
            planning::add_interpreter(&t.office, &planner, interpreter("ISM-0001", "ara", Some("opi.one"))).await;
        assert_eq!(
            field_of(refused.expect_err("refused")),
            "login",
            "{backend:?}: an officer's account is not an interpreter's"
        );
        assert!(t.store.store.interpreters().await.expect("store").is_empty(), "{backend:?}: nothing stored");
        // An officer may read the register but not change it.
        let forbidden = planning::add_interpreter(&t.office, &officer, interpreter("ISM-0001", "ara", None)).await;
        assert!(matches!(forbidden, Err(OfficeError::Forbidden { .. })), "{backend:?}");

        planning::add_interpreter(&t.office, &planner, interpreter("ISM-0001", "ara:Levantine, apc", Some("int.one")))
            .await
            .expect("interpreter");
        let monday = date!(2026 - 03 - 16);
        let week_text: Vec<String> =
            nansen_domain::planning::HalfDay::week(monday).iter().map(|h| h.to_string()).collect();
        let refused = planning::change_interpreter(
            &t.office,
            &planner,
            "ISM-0001",
            InterpreterChange::Offer("2026-03-14am".into()),
        )
        .await;
        assert_eq!(field_of(refused.expect_err("refused")), "half_days", "{backend:?}: a Saturday");
        planning::change_interpreter(&t.office, &planner, "ISM-0001", InterpreterChange::Offer(week_text.join(" ")))
            .await
            .expect("offered");
        for (code, kind) in [("B-01", "booth"), ("V-01", "video_room")] {
            let room = NewRoomForm {
                code: code.into(),
                name: format!("Box {code}"),
                kind: kind.into(),
                site: "Fontenay".into(),
            };
            planning::add_room(&t.office, &planner, room).await.expect("room");
        }
        let bad_room =
            NewRoomForm { code: "B-02".into(), name: "Box".into(), kind: "cupboard".into(), site: "x".into() };
        assert_eq!(field_of(planning::add_room(&t.office, &planner, bad_room).await.expect_err("refused")), "kind");

        // The plan: the one case, with the Arabic interpreter, in the booth, with its reasons.
        let view = week::week(&t.office, &planner, monday).await.expect("week");
        assert_eq!(view.candidates, 1, "{backend:?}: {view:?}");
        assert_eq!(view.interviews.len(), 1, "{backend:?}: {view:?}");
        let planned = &view.interviews[0];
        assert_eq!(planned.interpreter.as_deref(), Some("ISM-0001"));
        assert_eq!(planned.room, "B-01");
        assert!(!planned.reasons.is_empty(), "every interview carries its reasons");
        assert_eq!(view.status, "optimal");
        assert!(view.may_send);

        // Sent in one step: the case is convened, its letter filed, and the bookings made.
        let sent = week::send(&t.office, &planner, monday).await.expect("sent");
        assert_eq!(sent.sent.len(), 1, "{backend:?}: {sent:?}");
        let case = t.store.store.case(&case.number).await.expect("store").expect("case");
        assert_eq!(case.status, Status::InterviewScheduled, "{backend:?}");
        assert!(case.documents.iter().any(|d| d.document.kind.as_str() == "convocation"), "{backend:?}: the letter");
        let booked = &t.store.store.interpreters().await.expect("store")[0];
        assert_eq!(booked.bookings.len(), 1, "{backend:?}");
        // Planned again, the week keeps the convocation and sends nothing new.
        let again = week::week(&t.office, &planner, monday).await.expect("week");
        assert_eq!((again.already_sent, again.to_send), (1, 0), "{backend:?}: {again:?}");

        // The interpreter sees when, where and in which language; nothing of the case.
        let schedule = planning::own_schedule(&t.office, &account).await.expect("schedule");
        assert_eq!(schedule.lines.len(), 1, "{backend:?}");
        let shown = serde_json::to_string(&schedule).expect("json");
        assert!(!shown.contains(&number) && !shown.contains("Haddad") && !shown.contains("SYR"), "{shown}");
        let refused = week::week(&t.office, &account, monday).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: the interpreter plans nothing");

        // The officer falls sick that week: the next plan replans the convocation.
        planning::mark(&t.office, &officer, "opi.one", &week_text.join(" "), Some("sick")).await.expect("marked");
        let replanned = week::week(&t.office, &planner, monday).await.expect("week");
        assert!(replanned.replanning, "{backend:?}: {replanned:?}");
        assert_eq!(replanned.changes.len(), 1, "{backend:?}: the convocation is cancelled: {replanned:?}");
        // A colleague may not touch the officer's calendar.
        let colleague = t.agent("opi.two", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let refused = planning::mark(&t.office, &colleague, "opi.one", "2026-03-16am", None).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}");

        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: the register is rebuilt identical");
    }
}
