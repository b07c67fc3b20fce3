use time::macros::date;

use super::*;
use crate::ids::CaseNumber;
use crate::person::Sex;

const TODAY: Date = date!(2026 - 12 - 02);

fn monday() -> HalfDay {
    HalfDay::morning(date!(2026 - 12 - 07))
}

fn interpreter() -> Interpreter {
    let new = NewInterpreter {
        id: InterpreterId::parse("ism-0042").expect("valid test data"),
        name: "Saba Tesfay".into(),
        firm: FirmCode::parse("ism").expect("valid test data"),
        sex: Sex::Female,
        languages: vec![
            Spoken::parse("tir").expect("valid test data"),
            Spoken::parse("ara:Sudanese").expect("valid test data"),
        ],
        in_person: true,
        video: false,
        login: None,
    };
    let mut i = Interpreter::default();
    for c in [
        InterpreterCommand::Register(new),
        InterpreterCommand::SignCodeOfConduct { on: date!(2026 - 01 - 05) },
        InterpreterCommand::Offer { half_days: vec![monday(), HalfDay::afternoon(monday().date)] },
    ] {
        for e in i.decide(&c, TODAY).expect("valid test data") {
            i = i.evolve(&e);
        }
    }
    i
}

fn case(n: u32) -> CaseNumber {
    CaseNumber::new(2026, n).expect("valid test data")
}

fn booking(n: u32, language: &str) -> Booking {
    Booking {
        case: case(n),
        language: Spoken::parse(language).expect("valid test data"),
        room: RoomCode::parse("b-1").expect("valid test data"),
        video: false,
    }
}

#[test]
fn language_codes_are_checked_against_the_iso_table() {
    assert_eq!(LanguageCode::parse("TIR").expect("valid test data").as_str(), "tir");
    assert_eq!(LanguageCode::parse("tir").expect("valid test data").name(), "Tigrinya");
    // ISO 639-1 codes of the cases map to ISO 639-3.
    assert_eq!(LanguageCode::parse("ps").expect("valid test data").as_str(), "pus");
    assert!(LanguageCode::parse("xqz").is_err());
    assert!(LanguageCode::parse("").is_err());
    let dialect = Spoken::parse("ara:Hassaniya").expect("valid test data");
    assert_eq!(dialect.to_string(), "ara:Hassaniya");
    assert!(Spoken::parse("ara:<script>").is_err());
    assert!(dialect.serves(&Spoken::parse("ara").expect("valid test data")));
    assert!(!Spoken::parse("ara").expect("valid test data").serves(&dialect));
}

#[test]
fn half_days_parse_round_trip_and_refuse_days_off() {
    let h = HalfDay::parse("2026-12-07 PM").expect("valid test data");
    assert_eq!(h.to_string(), "2026-12-07pm");
    assert_eq!(HalfDay::try_from(h.to_string()).expect("valid test data"), h);
    assert!(HalfDay::parse("2026-12-05am").is_err(), "a Saturday");
    assert!(HalfDay::parse("2026-12-25am").is_err(), "Christmas Day");
    assert!(HalfDay::parse("2026-12-07").is_err());
    // Text that is not ASCII never splits inside a character.
    assert!(HalfDay::parse("𝕿𝖍𝖊 𝖖𝖚𝖎𝖈𝖐 𝖇𝖗𝖔𝖜𝖓").is_err());
    assert!(HalfDay::parse("2026-12-0\u{e9}am").is_err());
    assert!(HalfDay::try_from("2026-12-0\u{e9}am".to_owned()).is_err());
    assert_eq!(HalfDay::week(date!(2026 - 12 - 07)).len(), 10);
    assert_eq!(HalfDay::week(date!(2026 - 12 - 21)).len(), 8, "Christmas falls on the Friday");
}

#[test]
fn an_interpreter_is_in_one_place_at_a_time() {
    let i = interpreter();
    let first = i
        .decide(&InterpreterCommand::Book { half_day: monday(), booking: booking(1, "tir") }, TODAY)
        .expect("valid test data");
    let i = first.iter().fold(i, |i, e| i.evolve(e));
    let again = i.decide(&InterpreterCommand::Book { half_day: monday(), booking: booking(2, "tir") }, TODAY);
    assert!(again.expect_err("refused").to_string().contains("already booked"));
}

#[test]
fn an_interpreter_is_booked_only_when_offered_in_their_language_and_mode_without_conflict() {
    let i = interpreter();
    let tuesday = HalfDay::morning(date!(2026 - 12 - 08));
    let book = |i: &Interpreter, h: HalfDay, b: Booking| {
        i.decide(&InterpreterCommand::Book { half_day: h, booking: b }, TODAY)
    };
    assert!(book(&i, tuesday, booking(1, "tir")).expect_err("refused").to_string().contains("not offered"));
    assert!(book(&i, monday(), booking(1, "prs")).expect_err("refused").to_string().contains("does not interpret"));
    // A Sudanese Arabic interpreter serves an applicant who asks for Arabic.
    assert!(book(&i, monday(), booking(1, "ara")).is_ok());
    let mut video = booking(1, "tir");
    video.video = true;
    assert!(book(&i, monday(), video).expect_err("refused").to_string().contains("by video"));
    let conflict = Conflict { declared_on: TODAY, case: case(9), reason: "knows the family".into() };
    let i = i
        .decide(&InterpreterCommand::DeclareConflict(conflict), TODAY)
        .expect("valid test data")
        .iter()
        .fold(i, |i, e| i.evolve(e));
    assert!(book(&i, monday(), booking(9, "tir")).expect_err("refused").to_string().contains("conflict"));
}

#[test]
fn no_booking_before_the_charter_is_signed() {
    let mut i = interpreter();
    i.code_of_conduct = None;
    let refused = i.decide(&InterpreterCommand::Book { half_day: monday(), booking: booking(1, "tir") }, TODAY);
    assert!(refused.expect_err("refused").to_string().contains("charter"));
}

#[test]
fn a_withdrawn_half_day_leaves_its_booking_to_replan() {
    let i = interpreter();
    let i = i
        .decide(&InterpreterCommand::Book { half_day: monday(), booking: booking(1, "tir") }, TODAY)
        .expect("valid test data")
        .iter()
        .fold(i, |i, e| i.evolve(e));
    let i = i
        .decide(&InterpreterCommand::Withdraw { half_days: vec![monday()] }, TODAY)
        .expect("valid test data")
        .iter()
        .fold(i, |i, e| i.evolve(e));
    assert_eq!(i.unstaffed().count(), 1);
}

#[test]
fn a_room_holds_one_interview_and_cannot_close_over_one() {
    let mut r = Room::default();
    let open = NewRoom {
        code: RoomCode::parse("b-1").expect("valid test data"),
        name: "Box 1".into(),
        kind: RoomKind::Booth,
        site: "Fontenay".into(),
    };
    for e in r.decide(&RoomCommand::Open(open), TODAY).expect("valid test data") {
        r = r.evolve(&e);
    }
    for e in r.decide(&RoomCommand::Book { half_day: monday(), case: case(1) }, TODAY).expect("valid test data") {
        r = r.evolve(&e);
    }
    let twice = r.decide(&RoomCommand::Book { half_day: monday(), case: case(2) }, TODAY);
    assert!(twice.expect_err("refused").to_string().contains("already booked"));
    let close = r.decide(&RoomCommand::Close { half_days: vec![monday()], reason: "works".into() }, TODAY);
    assert!(close.expect_err("refused").to_string().contains("replan"));
    assert!(
        r.decide(
            &RoomCommand::Close { half_days: vec![HalfDay::morning(date!(2026 - 11 - 30))], reason: "x".into() },
            TODAY
        )
        .is_err(),
        "in the past"
    );
}

#[test]
fn an_officer_away_holds_nothing_and_bookings_made_before_are_shown_displaced() {
    let c = OfficerCalendar::default();
    let c = c
        .decide(&CalendarCommand::Book { half_day: monday(), case: case(1) }, TODAY)
        .expect("valid test data")
        .iter()
        .fold(c, |c, e| c.evolve(e));
    let full = c.decide(&CalendarCommand::Book { half_day: monday(), case: case(2) }, TODAY);
    assert!(full.is_err(), "capacity one");
    let c = c
        .decide(&CalendarCommand::MarkAbsent { half_days: vec![monday()], reason: AbsenceReason::Sick }, TODAY)
        .expect("valid test data")
        .iter()
        .fold(c, |c, e| c.evolve(e));
    assert_eq!(c.displaced().count(), 1);
    let tuesday = HalfDay::morning(date!(2026 - 12 - 08));
    let c = c
        .decide(&CalendarCommand::MarkAbsent { half_days: vec![tuesday], reason: AbsenceReason::Leave }, TODAY)
        .expect("valid test data")
        .iter()
        .fold(c, |c, e| c.evolve(e));
    assert!(c.decide(&CalendarCommand::Book { half_day: tuesday, case: case(3) }, TODAY).is_err());
}

#[test]
fn the_notice_is_dated_data() {
    let rules = PlanningRules::embedded();
    assert_eq!(rules.notice_days(TODAY, Urgency::Normal).expect("valid test data"), 10);
    assert!(
        rules.notice_days(TODAY, Urgency::Detention).expect("valid test data")
            < rules.notice_days(TODAY, Urgency::Accelerated).expect("valid test data")
    );
    assert!(rules.notice_days(date!(2010 - 01 - 01), Urgency::Normal).is_err());
    assert!(PlanningRules::parse("notice = []\nbilling = []").is_err());
}

#[test]
fn a_case_weighs_by_procedure_kind_and_persons_and_less_as_it_advances() {
    let rule = PlanningRules::embedded().balance(TODAY).expect("valid test data");
    let normal = rule.weight("normal", "asylum", 1);
    assert!((normal - 1.0).abs() < 1e-9);
    assert!(rule.weight("accelerated", "asylum", 1) < normal);
    assert!(rule.weight("normal", "re_examination", 1) < normal);
    assert!(rule.weight("normal", "asylum", 4) > normal);
    assert!(rule.remaining("assigned") > rule.remaining("interviewed"));
    assert_eq!(rule.remaining("signed"), 0.0);
}

#[test]
fn states_survive_the_journal() {
    let i = interpreter();
    let json = serde_json::to_string(&i).expect("valid test data");
    assert_eq!(serde_json::from_str::<Interpreter>(&json).expect("valid test data"), i);
    let command = PlanningCommand::Interpreter {
        id: i.id.clone().expect("valid test data"),
        command: InterpreterCommand::Withdraw { half_days: vec![monday()] },
    };
    assert_eq!(command.subject(), "interpreter:ISM-0042");
    let back: PlanningCommand =
        serde_json::from_str(&serde_json::to_string(&command).expect("valid test data")).expect("valid test data");
    assert_eq!(back, command);
}
