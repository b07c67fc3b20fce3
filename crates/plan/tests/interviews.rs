//! Behaviour of the interview planner on small hand-built instances and a generated division.

use nansen_plan::interviews::{
    generate, greedy_interviews, metrics, solve_interviews, validate, Candidate, Change, Convocation, Instance,
    Interpreter, InterviewPlan, Language, Officer, Reason, Room, RoomKind, Sex, SexMismatch, ShortageCause, Size,
    Urgency, Violation,
};
use nansen_plan::{Limits, PlanError, Status};

fn officer(h: usize, capacity: u32) -> Officer {
    Officer { available: vec![true; h], capacity, sex: Some(Sex::Female) }
}

fn interpreter(code: &str, sex: Sex, available: Vec<bool>) -> Interpreter {
    Interpreter { languages: vec![Language::new(code)], sex: Some(sex), in_person: true, video: false, available }
}

fn booth(h: usize) -> Room {
    Room { kind: RoomKind::Booth, available: vec![true; h] }
}

fn candidate(officer: usize, language: Option<&str>, deadline: i64) -> Candidate {
    Candidate {
        case: String::new(),
        officer,
        language: language.map(Language::new),
        deadline,
        urgency: Urgency::Normal,
        vulnerable: false,
        introduced: 0,
        interpreter_sex: None,
        officer_sex: None,
        earliest: 0,
        family: None,
        video_allowed: false,
    }
}

fn instance(slots: u32) -> Instance {
    Instance { slots, interpreter_capacity: 1, ..Instance::default() }
}

fn solve(instance: &Instance) -> InterviewPlan {
    let plan = solve_interviews(instance, &Limits::default()).expect("solve");
    validate(instance, &plan).expect("solve gives a valid plan");
    let base = greedy_interviews(instance).expect("greedy");
    validate(instance, &base).expect("greedy gives a valid plan");
    plan
}

fn slot_of(plan: &InterviewPlan, candidate: usize) -> Option<u32> {
    plan.interviews.iter().find(|p| p.convocation.candidate == candidate).map(|p| p.convocation.slot)
}

#[test]
fn interpreter_shortage_is_reported_by_language_and_slots() {
    // Two Tigrinya interviews due by slot 1, one Tigrinya interpreter on slot 0 only; French needs none.
    let mut inst = instance(2);
    inst.officers = vec![officer(2, 2)];
    inst.rooms = vec![booth(2), booth(2)];
    inst.interpreters = vec![interpreter("tir", Sex::Male, vec![true, false])];
    inst.candidates = vec![candidate(0, Some("tir"), 1), candidate(0, Some("tir"), 1), candidate(0, None, 1)];
    let plan = solve(&inst);
    assert_eq!(plan.status, Status::Optimal);
    assert_eq!(plan.interviews.len(), 2);
    assert!(slot_of(&plan, 2).is_some());
    assert_eq!(plan.shortages.len(), 1);
    let s = &plan.shortages[0];
    assert_eq!(s.language, Some(Language::new("tir")));
    assert_eq!(s.cases.len(), 1);
    assert_eq!(s.due_by, 1);
    assert_eq!(s.cause, ShortageCause::NoInterpreter { slots: vec![0, 1], booked_out: true });
}

#[test]
fn officer_and_room_shortages_are_told_apart() {
    let mut inst = instance(2);
    inst.officers = vec![Officer { available: vec![false, true], capacity: 1, sex: None }, officer(2, 1)];
    inst.rooms = vec![Room { kind: RoomKind::Booth, available: vec![true, false] }];
    // Officer 0 holds one on slot 1 at most, and there is no room on slot 1.
    inst.candidates = vec![candidate(0, None, 1), candidate(1, None, 1), candidate(1, None, 1)];
    let plan = solve(&inst);
    assert_eq!(plan.interviews.len(), 1);
    let causes: Vec<_> = plan.shortages.iter().map(|s| s.cause.clone()).collect();
    assert!(causes.contains(&ShortageCause::NoRoom { slots: vec![1] }), "{causes:?}");
}

#[test]
fn fixed_convocations_are_kept_as_they_are() {
    // Candidate 1 is already convened on slot 1 with room 1; the urgent candidate 0 wants slot 1's room too.
    let mut inst = instance(2);
    inst.officers = vec![officer(2, 2)];
    inst.rooms = vec![Room { kind: RoomKind::Booth, available: vec![false, true] }, booth(2)];
    inst.candidates = vec![candidate(0, None, 1), candidate(0, None, 30)];
    inst.candidates[0].urgency = Urgency::Detention;
    let fixed = Convocation { candidate: 1, slot: 1, interpreter: None, video: false, room: 1 };
    inst.fixed = vec![fixed.clone()];
    let plan = solve(&inst);
    let kept = plan.interviews.iter().find(|p| p.convocation.candidate == 1).expect("fixed kept");
    assert_eq!(kept.convocation, fixed);
    assert!(kept.reasons.contains(&Reason::AlreadyConvened));
    assert_eq!(slot_of(&plan, 0), Some(0));
    assert!(plan.changes.is_empty());
}

#[test]
fn replanning_changes_the_fewest_convocations() {
    // Two Tigrinya interpreters A and B; A falls ill on slot 0, where B is busy.
    let mut inst = instance(2);
    inst.officers = vec![officer(2, 2)];
    inst.rooms = vec![booth(2), booth(2)];
    inst.interpreters =
        vec![interpreter("tir", Sex::Female, vec![true, true]), interpreter("tir", Sex::Male, vec![true, true])];
    inst.candidates = vec![candidate(0, Some("tir"), 5), candidate(0, Some("tir"), 5), candidate(0, Some("tir"), 5)];
    let conv = |c, slot, i, room| Convocation { candidate: c, slot, interpreter: Some(i), video: false, room };
    inst.fixed = vec![conv(0, 0, 0, 0), conv(1, 0, 1, 1), conv(2, 1, 0, 0)];
    // As planned: nothing changes.
    inst.replanning = true;
    let plan = solve(&inst);
    assert!(plan.changes.is_empty());
    assert_eq!(plan.new_convocations(), 0);
    inst.interpreters[0].available[0] = false;
    let plan = solve(&inst);
    assert_eq!(plan.new_convocations(), 1, "{:?}", plan.changes);
    assert_eq!(plan.changes.len(), 1);
    assert!(matches!(&plan.changes[0], Change::Moved { from, to } if from.candidate == 0 && to.slot == 1));
    let base = greedy_interviews(&inst).expect("greedy");
    assert!(base.new_convocations() >= plan.new_convocations());
}

#[test]
fn families_are_convened_together_or_not_at_all() {
    // Slot 0 has one room, slot 1 two: the family of two goes to slot 1.
    let mut inst = instance(2);
    inst.officers = vec![officer(2, 2)];
    inst.rooms = vec![booth(2), Room { kind: RoomKind::Booth, available: vec![false, true] }];
    inst.candidates = vec![candidate(0, None, 1), candidate(0, None, 1)];
    for c in &mut inst.candidates {
        c.family = Some(7);
    }
    let plan = solve(&inst);
    assert_eq!(slot_of(&plan, 0), Some(1));
    assert_eq!(slot_of(&plan, 1), Some(1));
    assert!(plan.interviews.iter().all(|p| p.reasons.contains(&Reason::Family(7))));
    // An officer who holds one interview per half-day cannot convene the family.
    inst.officers[0].capacity = 1;
    let plan = solve(&inst);
    assert!(plan.interviews.is_empty());
    assert_eq!(plan.shortages.len(), 1);
    assert_eq!(plan.shortages[0].cause, ShortageCause::OfficerBusy { officer: 0 });
    // Members with different officers are rejected.
    inst.officers.push(officer(2, 2));
    inst.candidates[1].officer = 1;
    assert!(matches!(solve_interviews(&inst, &Limits::default()), Err(PlanError::Invalid(_))));
}

#[test]
fn sex_preferences_are_honoured_when_possible_and_reported_when_not() {
    // One slot, a female and a male Dari interpreter, two applicants; the second asks for a woman.
    let mut inst = instance(1);
    inst.officers = vec![officer(1, 2)];
    inst.rooms = vec![booth(1), booth(1)];
    inst.interpreters = vec![interpreter("prs", Sex::Male, vec![true]), interpreter("prs", Sex::Female, vec![true])];
    inst.candidates = vec![candidate(0, Some("prs"), 3), candidate(0, Some("prs"), 3)];
    inst.candidates[1].interpreter_sex = Some(Sex::Female);
    inst.candidates[1].officer_sex = Some(Sex::Male);
    let plan = solve(&inst);
    assert_eq!(plan.interviews.len(), 2);
    let p = plan.interviews.iter().find(|p| p.convocation.candidate == 1).expect("planned");
    assert_eq!(p.convocation.interpreter, Some(1));
    assert!(p.reasons.contains(&Reason::SexPreferenceHonoured));
    // The officer is a woman: reported, not a reason to leave the applicant out.
    assert!(p.reasons.contains(&Reason::SexPreferenceNotHonoured(SexMismatch::Officer)));
    // Without a female interpreter the interview is still held, and the plan says so.
    inst.interpreters[1].sex = Some(Sex::Male);
    let plan = solve(&inst);
    assert_eq!(plan.interviews.len(), 2);
    let p = plan.interviews.iter().find(|p| p.convocation.candidate == 1).expect("planned");
    assert!(p.reasons.contains(&Reason::SexPreferenceNotHonoured(SexMismatch::Interpreter)));
}

#[test]
fn video_interviews_need_a_video_room_and_consent() {
    // The only interpreter works by video; one applicant accepts video, the other does not.
    let mut inst = instance(1);
    inst.officers = vec![officer(1, 2)];
    inst.rooms = vec![booth(1), Room { kind: RoomKind::VideoRoom, available: vec![true] }];
    inst.interpreters =
        vec![Interpreter { in_person: false, video: true, ..interpreter("som", Sex::Male, vec![true]) }];
    inst.interpreter_capacity = 2;
    inst.candidates = vec![candidate(0, Some("som"), 3), candidate(0, Some("som"), 3)];
    inst.candidates[1].video_allowed = true;
    let plan = solve(&inst);
    assert_eq!(plan.interviews.len(), 1);
    let p = &plan.interviews[0];
    assert_eq!((p.convocation.candidate, p.convocation.video, p.convocation.room), (1, true, 1));
    assert!(p.reasons.contains(&Reason::Video));
}

#[test]
fn solve_holds_at_least_as_many_in_time_as_greedy_on_a_division() {
    let inst = generate(3, Size::Division);
    let plan = solve_interviews(&inst, &Limits { time_limit_s: 10.0, relative_gap: 0.005 }).expect("solve");
    validate(&inst, &plan).expect("valid");
    let base = greedy_interviews(&inst).expect("greedy");
    validate(&inst, &base).expect("valid");
    let (m, g) = (metrics(&inst, &plan), metrics(&inst, &base));
    assert_eq!(m.convened_twice, 0);
    assert!(m.due_in_horizon_held >= g.due_in_horizon_held, "{m:?} vs {g:?}");
    assert!(plan.objective >= base.objective - 1e-6);
    assert!(m.planned <= m.placeable_upper_bound);
    assert!(plan.bound >= plan.objective - 1e-6);
}

#[test]
fn validate_catches_double_bookings() {
    let mut inst = instance(1);
    inst.officers = vec![officer(1, 2), officer(1, 1)];
    inst.rooms = vec![booth(1), booth(1)];
    inst.interpreters = vec![interpreter("tir", Sex::Male, vec![true]), interpreter("tir", Sex::Male, vec![true])];
    inst.candidates = vec![candidate(0, Some("tir"), 3), candidate(1, Some("tir"), 3)];
    let plan = solve(&inst);
    assert_eq!(plan.interviews.len(), 2);
    let mut twice = plan.clone();
    twice.interviews[1].convocation.interpreter = twice.interviews[0].convocation.interpreter;
    assert!(matches!(validate(&inst, &twice), Err(Violation::Interpreter { .. })));
    let mut twice = plan.clone();
    twice.interviews[1].convocation.room = twice.interviews[0].convocation.room;
    assert!(matches!(validate(&inst, &twice), Err(Violation::Room { .. })));
    let mut twice = plan.clone();
    twice.interviews.push(twice.interviews[0].clone());
    assert!(validate(&inst, &twice).is_err());
    let mut wrong = plan;
    wrong.interviews[1].officer = 0;
    assert!(matches!(validate(&inst, &wrong), Err(Violation::Officer { .. })));
}

#[test]
fn solving_twice_gives_the_same_plan() {
    let inst = generate(5, Size::Division);
    let limits = Limits { time_limit_s: 20.0, relative_gap: 0.0 };
    let a = solve_interviews(&inst, &limits).expect("first");
    let b = solve_interviews(&inst, &limits).expect("second");
    if a.status == Status::Optimal && b.status == Status::Optimal {
        assert_eq!(a.interviews, b.interviews);
    }
}

#[test]
fn replanning_a_division_after_an_absence_changes_only_what_it_must() {
    let mut inst = generate(2, Size::Division);
    let plan = solve_interviews(&inst, &Limits { time_limit_s: 10.0, relative_gap: 0.005 }).expect("plan");
    inst.fixed = plan.interviews.iter().map(|p| p.convocation.clone()).collect();
    let absent = plan.interviews[0].officer;
    let load = plan.interviews.iter().filter(|p| p.officer == absent).count();
    inst.officers[absent].available.iter_mut().for_each(|a| *a = false);
    inst.replanning = true;
    let again = solve_interviews(&inst, &Limits { time_limit_s: 5.0, relative_gap: 0.005 }).expect("replan");
    validate(&inst, &again).expect("valid replan");
    assert_eq!(again.new_convocations(), load);
    let base = greedy_interviews(&inst).expect("greedy");
    validate(&inst, &base).expect("valid greedy replan");
    assert!(base.new_convocations() >= again.new_convocations());
}
