//! The planning workspace through the office, on both databases: the register refuses bad input
//! and stores nothing; a week is planned from the division's cases and the register and sent in
//! one step (the interpreter, the room and the officer's half-day booked with the case's
//! scheduling and its letter); the interpreter's own schedule shows nothing of the case; an
//! officer's absence makes the next plan a replanning; the register is rebuilt identical.

mod common;

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
        OfficeError::Domain(nansen_domain::DomainError::Validation { field, .. }) => field.to_string(),
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

fn room(code: &str) -> NewRoomForm {
    NewRoomForm { code: code.into(), name: format!("Box {code}"), kind: "booth".into(), site: "Fontenay".into() }
}

/// The applicants' needs reach the plan (a woman interpreter asked for, a vulnerable applicant,
/// a couple heard the same half-day); an excused absence known ahead frees the bookings and
/// sends the case back to be convened; an unexcused one opens the closure, signed by the
/// section head; the firm's statement bills the half-days held and nothing freed.
#[tokio::test]
async fn needs_reach_the_plan_absences_free_or_close_and_the_firm_is_billed() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let d_officer = t.agent("opi.two", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let planner = t.agent("plan.one", Role::Planner, Some(DIVISION), None).await;
        let mut numbers = Vec::new();
        for who in ["opi.one", "opi.one", "opi.one", "opi.two"] {
            let (case, _) =
                cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
            let number = case.number.to_string();
            cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: who.into() }).await.expect("assigned");
            numbers.push(case.number);
        }
        let [a, b, c, d] = [numbers[0], numbers[1], numbers[2], numbers[3]];
        let firm = NewFirmForm {
            code: "ism".into(),
            name: "ISM Interprétariat".into(),
            contract: "2024-OFP-017".into(),
            contract_from: date!(2024 - 01 - 01),
            hourly_rate: "40.00".into(),
        };
        planning::add_firm(&t.office, &planner, firm).await.expect("firm");
        let monday = date!(2026 - 03 - 16);
        let week_text: Vec<String> =
            nansen_domain::planning::HalfDay::week(monday).iter().map(|h| h.to_string()).collect();
        for (id, sex) in [("ISM-0001", "male"), ("ISM-0002", "female"), ("ISM-0003", "male")] {
            let mut form = interpreter(id, "ara", None);
            form.sex = sex.into();
            planning::add_interpreter(&t.office, &planner, form).await.expect("interpreter");
            planning::change_interpreter(&t.office, &planner, id, InterpreterChange::Offer(week_text.join(" ")))
                .await
                .expect("offered");
        }
        for code in ["B-01", "B-02", "B-03"] {
            planning::add_room(&t.office, &planner, room(code)).await.expect("room");
        }

        // The officer's profile: a woman, two interviews a half-day; a bad capacity is refused.
        let refused = planning::profile(&t.office, &planner, "opi.one", "", "9").await;
        assert_eq!(field_of(refused.expect_err("refused")), "capacity", "{backend:?}");
        planning::profile(&t.office, &planner, "opi.one", "female", "2").await.expect("profile");

        // The needs: a case of another officer cannot be heard together; nothing is stored.
        let needs = |interpreter_sex, vulnerable, heard_with: Vec<nansen_domain::CaseNumber>| {
            CaseOp::InterviewNeeds(nansen_domain::InterviewNeeds {
                officer_sex: None,
                interpreter_sex,
                grounds: if interpreter_sex.is_some() { "Violences sexuelles.".into() } else { String::new() },
                vulnerable,
                heard_with,
            })
        };
        let refused = cases::perform(&t.office, &officer, &b.to_string(), needs(None, false, vec![d])).await;
        assert_eq!(field_of(refused.expect_err("refused")), "heard_with", "{backend:?}");
        let stored = t.store.store.case(&b).await.expect("store").expect("case");
        assert!(stored.interview_needs.is_none(), "{backend:?}: nothing stored");
        let female = Some(nansen_domain::Sex::Female);
        cases::perform(&t.office, &officer, &a.to_string(), needs(female, true, vec![])).await.expect("needs");
        cases::perform(&t.office, &officer, &b.to_string(), needs(None, false, vec![c])).await.expect("needs");

        let view = week::week(&t.office, &planner, monday).await.expect("week");
        assert_eq!(view.interviews.len(), 4, "{backend:?}: {view:?}");
        let line = |n: nansen_domain::CaseNumber| {
            view.interviews.iter().find(|l| l.case == n).unwrap_or_else(|| panic!("{n} planned: {view:?}"))
        };
        assert_eq!(line(a).interpreter.as_deref(), Some("ISM-0002"), "{backend:?}: the woman interpreter asked for");
        assert!(line(a).reasons.iter().any(|r| r == "vulnerable"), "{backend:?}: {:?}", line(a).reasons);
        assert!(line(a).reasons.iter().any(|r| r == "sex-honoured"), "{backend:?}: {:?}", line(a).reasons);
        assert_eq!(line(b).half_day, line(c).half_day, "{backend:?}: the couple is heard the same half-day");
        assert!(line(b).reasons.iter().any(|r| r == "family"), "{backend:?}: {:?}", line(b).reasons);
        week::send(&t.office, &planner, monday).await.expect("sent");

        // An excused absence, known ahead: the case goes back to be convened, the bookings freed.
        let on_a = line(a).half_day.date;
        let absence = |on, excused: bool, reason: &str| CaseOp::Absence { on, excused, reason: reason.into() };
        let refused = cases::perform(&t.office, &officer, &a.to_string(), absence(on_a, true, " ")).await;
        assert_eq!(field_of(refused.expect_err("refused")), "reason", "{backend:?}: an excuse says why");
        cases::perform(&t.office, &officer, &a.to_string(), absence(on_a, true, "Hospitalisée.")).await.expect("ok");
        let case_a = t.store.store.case(&a).await.expect("store").expect("case");
        assert_eq!(case_a.status, Status::Assigned, "{backend:?}: back among the cases to convene");
        let interpreters = t.store.store.interpreters().await.expect("store");
        assert!(
            interpreters.iter().all(|i| i.bookings.values().all(|bk| bk.case != a)),
            "{backend:?}: the interpreter is freed"
        );
        assert!(t.store.store.rooms().await.expect("store").iter().all(|r| r.bookings.values().all(|n| *n != a)));

        // On the day, D's applicant does not come: unexcused, the section head closes.
        let on_d = line(d).half_day.date;
        t.clock.set(time::PrimitiveDateTime::new(on_d, time::macros::time!(17:00)).assume_utc());
        let other = t.agent("opi.two2", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let refused = cases::perform(&t.office, &other, &d.to_string(), absence(on_d, false, "")).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: only the case's officer");
        let close = || CaseOp::CloseForAbsence { proof: nansen_office::accounts::StepUp::Password("wrong".into()) };
        let early = cases::perform(&t.office, &head, &d.to_string(), close()).await;
        assert!(matches!(early, Err(OfficeError::Domain(_))), "{backend:?}: the absence comes first: {early:?}");
        cases::perform(&t.office, &d_officer, &d.to_string(), absence(on_d, false, "")).await.expect("absent");
        let wrong = cases::perform(&t.office, &head, &d.to_string(), close()).await;
        assert!(wrong.is_err(), "{backend:?}: a wrong password closes nothing");
        let case_d = t.store.store.case(&d).await.expect("store").expect("case");
        assert_eq!(case_d.status, Status::InterviewScheduled, "{backend:?}");
        let proof = nansen_office::accounts::StepUp::Password(nansen_office::testing::PASSWORD.into());
        cases::perform(&t.office, &head, &d.to_string(), CaseOp::CloseForAbsence { proof }).await.expect("closed");
        let case_d = t.store.store.case(&d).await.expect("store").expect("case");
        assert_eq!(case_d.status, Status::Closed, "{backend:?}");
        // The closure is a decision: its letter, in the applicant's space, says why and how to
        // ask for the reopening.
        let letter = case_d.documents.iter().rev().find(|x| x.document.kind.as_str() == "decision").expect("letter");
        let text = common::pdf_text(&t.office, &head, &d.to_string(), letter.id).await;
        assert!(text.contains("L.531-38") && text.contains("neuf mois"), "{backend:?}: {text}");

        // A month later: the statement bills the three half-days held, not the one freed.
        t.clock.set(time::macros::datetime!(2026-04-02 09:00 UTC));
        let s = planning::statement(&t.office, &planner, "ism", "2026-03").await.expect("statement");
        assert_eq!(s.half_days, 3, "{backend:?}: {s:?}");
        assert_eq!(s.amount_cents, 3 * 350 * 40, "{backend:?}: 3 × 3.5 h × 40 €");
        assert!(!s.provisional);
        let bad = planning::statement(&t.office, &planner, "ism", "2026-13").await;
        assert_eq!(field_of(bad.expect_err("refused")), "month", "{backend:?}");
        let interpreter = t.agent("int.one", Role::Interpreter, None, None).await;
        let forbidden = planning::statement(&t.office, &interpreter, "ism", "2026-03").await;
        assert!(matches!(forbidden, Err(OfficeError::Forbidden { .. })), "{backend:?}");

        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}");
    }
}
