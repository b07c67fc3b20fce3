//! The weekly orientation: who is a candidate, where each may go, the reasons, and the
//! proposal's life (contest, arrival, refusal, no-show, the ending procedure).

use std::collections::BTreeMap;

use time::macros::date;
use time::Duration;

use super::*;

fn open(code: &str, dept: &str, kind: StructureKind, places: Places, hospital: bool) -> Structure {
    let new = NewStructure {
        code: StructureCode::parse(code).expect("valid test data"),
        name: format!("Centre {code}"),
        kind,
        operator: "adoma".into(),
        department: Department::parse(dept).expect("valid test data"),
        places,
        hospital_nearby: hospital,
        opened_on: date!(2010 - 01 - 01),
    };
    let s = Structure::default();
    let events = s.decide(&StructureCommand::Open(new), rules(), TODAY).expect("valid test data");
    events.iter().fold(s, |s, e| s.evolve(e))
}

fn waiting(seq: u32, region: &str, members: Vec<Member>) -> Household {
    let mut new = new_household(members);
    new.id = HouseholdId::new(2026, seq).expect("valid test data");
    new.region = region.into();
    let h = apply(Household::default(), HouseholdCommand::Register(new), TODAY).expect("valid test data");
    accepted(h, true, TODAY)
}

fn single(seq: u32, region: &str) -> Household {
    waiting(seq, region, vec![member("Solo", Relationship::Head, date!(1995 - 05 - 05), Sex::Male)])
}

fn proposal_for(h: &Household, s: &Structure) -> Proposal {
    let o = rules().orientation(TODAY).expect("valid test data");
    Proposal {
        week: crate::reception::iso_week(TODAY),
        structure: s.code.clone().expect("valid test data"),
        structure_name: s.name.clone(),
        region: s.region.clone(),
        from_region: h.region.clone(),
        department: "69".into(),
        kind: h.place_kind(),
        persons: h.members.len() as u32,
        reasons: vec![Reason::Together { persons: h.members.len() as u32 }],
        on: TODAY,
        contest_by: TODAY + Duration::days(o.contest_days),
        reach_by: TODAY + Duration::days(o.reach_days),
        plan: PlanNote { status: "optimal".into(), gap_bp: 0 },
        contest: None,
        outcome: None,
    }
}

#[test]
fn households_of_a_region_above_its_share_are_candidates_and_families_stay_together() {
    // Île-de-France holds all the demand: above its 19 % share; Lyon's region is not.
    let households = vec![waiting(1, "IDF", family()), single(2, "IDF"), single(3, "IDF")];
    let structures = vec![
        open("CADA-69-001", "69", StructureKind::Cada, Places { single: 2, family: 2, accessible: 0 }, false),
        open("CADA-35-001", "35", StructureKind::Cada, Places { single: 1, family: 6, accessible: 0 }, false),
        open("CADA-93-001", "93", StructureKind::Cada, Places { single: 9, family: 9, accessible: 0 }, true),
        open("CAES-13-001", "13", StructureKind::Caes, Places { single: 0, family: 9, accessible: 0 }, false),
    ];
    let p = orientation_problem(&households, &structures, &BTreeMap::new(), rules(), TODAY).expect("rules in force");
    assert_eq!(p.above.len(), 1);
    assert_eq!(p.above[0].region, "IDF");
    assert_eq!(p.above[0].demand_permille, 1000);
    let family_group = p.groups.iter().find(|g| g.persons == 3).expect("the family is a candidate");
    let sites: Vec<&str> = family_group.options.iter().map(|(i, _)| p.sites[*i].as_str()).collect();
    // Not in its own region, not 2 family places for 3 persons, not a short-stay centre for a
    // school-age child: only Rennes.
    assert_eq!(sites, vec!["CADA-35-001"]);
    let singles = p.groups.iter().find(|g| g.persons == 1).expect("singles are candidates");
    assert_eq!(singles.households.len(), 2, "two interchangeable single men are one group");
    // Lyon is nearer the interview site than Rennes? No: Rennes is nearer; the value says so.
    let value = |code: &str| singles.options.iter().find(|(i, _)| p.sites[*i].as_str() == code).map(|(_, v)| *v);
    assert!(value("CADA-35-001").expect("Rennes fits") > value("CADA-69-001").expect("Lyon fits"));
}

#[test]
fn a_proposal_holds_the_places_and_the_arrival_takes_them() {
    let h = single(1, "IDF");
    let s = open("CADA-69-001", "69", StructureKind::Cada, Places { single: 1, family: 0, accessible: 0 }, false);
    let p = proposal_for(&h, &s);
    let h = apply(h, HouseholdCommand::Propose(p.clone()), TODAY).expect("a valid proposal");
    assert!(h.pending_proposal().is_some());
    let id = h.id.clone().expect("registered");
    let hold = StructureCommand::Hold { household: id.clone(), kind: PlaceKind::Single, persons: 1, on: TODAY };
    let s = s.decide(&hold, rules(), TODAY).expect("a free place").iter().fold(s, |s, e| s.evolve(e));
    assert_eq!(s.free(PlaceKind::Single), 0, "held");
    let other = HouseholdId::new(2026, 9).expect("valid test data");
    let admit_other = StructureCommand::Admit { household: other, kind: PlaceKind::Single, persons: 1, on: TODAY };
    assert!(s.decide(&admit_other, rules(), TODAY).is_err(), "the held place is not another's");
    let admit = StructureCommand::Admit { household: id, kind: PlaceKind::Single, persons: 1, on: TODAY };
    let s = s.decide(&admit, rules(), TODAY).expect("its own place").iter().fold(s, |s, e| s.evolve(e));
    assert!(s.held.is_empty());
    // Arriving elsewhere is refused while the proposal is under way.
    let elsewhere = HouseholdCommand::Arrive {
        structure: StructureCode::parse("CADA-75-001").expect("valid test data"),
        kind: PlaceKind::Single,
        on: TODAY,
    };
    assert!(matches!(h.decide(&elsewhere, rules(), TODAY), Err(DomainError::Validation { field: "structure", .. })));
    let arrive = HouseholdCommand::Arrive { structure: p.structure.clone(), kind: PlaceKind::Single, on: TODAY };
    let h = apply(h, arrive, TODAY).expect("arrives where oriented");
    assert_eq!(h.proposals[0].outcome, Some(Outcome::Arrived { on: TODAY }));
}

#[test]
fn a_proposal_is_refused_when_its_deadline_is_past_or_the_household_cannot_be_oriented() {
    let h = single(1, "IDF");
    let s = open("CADA-69-001", "69", StructureKind::Cada, Places { single: 1, family: 0, accessible: 0 }, false);
    let mut past = proposal_for(&h, &s);
    past.contest_by = TODAY - Duration::days(1);
    assert!(matches!(
        h.decide(&HouseholdCommand::Propose(past), rules(), TODAY),
        Err(DomainError::Validation { field: "contest_by", .. })
    ));
    let mut same_region = proposal_for(&h, &s);
    same_region.region = "IDF".into();
    assert!(h.decide(&HouseholdCommand::Propose(same_region), rules(), TODAY).is_err());
    let refused_offer = registered();
    assert!(refused_offer.decide(&HouseholdCommand::Propose(proposal_for(&h, &s)), rules(), TODAY).is_err());
    let p = proposal_for(&h, &s);
    let h = apply(h, HouseholdCommand::Propose(p), TODAY).expect("valid");
    assert!(matches!(
        h.decide(&HouseholdCommand::Propose(proposal_for(&h, &s)), rules(), TODAY),
        Err(DomainError::AlreadyDone(_))
    ));
}

#[test]
fn a_contest_is_made_in_time_and_decided_with_reasons() {
    let h = single(1, "IDF");
    let s = open("CADA-69-001", "69", StructureKind::Cada, Places { single: 1, family: 0, accessible: 0 }, false);
    let p = proposal_for(&h, &s);
    let h = apply(h, HouseholdCommand::Propose(p.clone()), TODAY).expect("valid");
    let late = HouseholdCommand::Contest {
        on: p.contest_by + Duration::days(1),
        grounds: "my daughter is treated at Necker hospital".into(),
    };
    assert!(h.decide(&late, rules(), p.contest_by + Duration::days(1)).is_err());
    let contest = HouseholdCommand::Contest { on: TODAY, grounds: "my daughter is treated at Necker hospital".into() };
    let h = apply(h, contest, TODAY).expect("in time");
    let refuse = HouseholdCommand::RefuseOrientation { on: TODAY };
    assert!(h.decide(&refuse, rules(), TODAY).is_err(), "the contest is decided first");
    let short = HouseholdCommand::DecideContest { on: TODAY, upheld: false, reasons: "no".into() };
    assert!(matches!(h.decide(&short, rules(), TODAY), Err(DomainError::Validation { field: "reasons", .. })));
    let later = TODAY + Duration::days(1);
    let reject = HouseholdCommand::DecideContest {
        on: later,
        upheld: false,
        reasons: "the hospital in Lyon provides the same follow-up, confirmed by the agency's doctor".into(),
    };
    let rejected = apply(h.clone(), reject, later).expect("decided");
    let o = rules().orientation(later).expect("in force");
    assert_eq!(rejected.proposals[0].reach_by, later + Duration::days(o.reach_days), "5 days from the decision");
    assert!(rejected.pending_proposal().is_some());
    let uphold = HouseholdCommand::DecideContest {
        on: later,
        upheld: true,
        reasons: "the child's treatment cannot be moved: medical certificate of the treating hospital".into(),
    };
    let upheld = apply(h, uphold, later).expect("decided");
    assert_eq!(upheld.proposals[0].outcome, Some(Outcome::Withdrawn { on: later }));
    assert!(crate::reception::awaits_place(&upheld, later), "waits for the next plan");
}

#[test]
fn a_refusal_or_a_no_show_opens_an_ending_decided_after_the_observations() {
    let h = single(1, "IDF");
    let s = open("CADA-69-001", "69", StructureKind::Cada, Places { single: 1, family: 0, accessible: 0 }, false);
    let p = proposal_for(&h, &s);
    let h = apply(h, HouseholdCommand::Propose(p.clone()), TODAY).expect("valid");
    // Not a no-show before the 5 days have passed.
    assert!(h.decide(&HouseholdCommand::RecordNoShow { on: p.reach_by }, rules(), p.reach_by).is_err());
    let day = p.reach_by + Duration::days(1);
    let h = apply(h, HouseholdCommand::RecordNoShow { on: day }, day).expect("after the deadline");
    assert_eq!(h.proposals[0].outcome, Some(Outcome::NoShow { on: day }));
    let e = h.open_ending().expect("the procedure opened");
    assert_eq!(e.observations_by, day + Duration::days(15));
    let decide = |on| HouseholdCommand::DecideEnding {
        on,
        end: true,
        reasons: "the household did not reach the place proposed and gave no reason for it".into(),
        vulnerability_weighed: "a single adult, no point of vulnerability assessed".into(),
    };
    assert!(matches!(
        h.decide(&decide(day), rules(), day),
        Err(DomainError::Validation { field: "observations_by", .. })
    ));
    let later = e.observations_by + Duration::days(1);
    let ended = apply(h.clone(), decide(later), later).expect("after 15 days");
    assert!(ended.allowance_ended_on(later));
    let d = ended.endings[0].decision.as_ref().expect("decided");
    assert_eq!(d.court_by, later + Duration::days(7));
    // With observations, the agent may decide at once, and may maintain the conditions.
    let h = apply(h, HouseholdCommand::RecordObservations { on: day, text: "I was in hospital that week".into() }, day)
        .expect("observations");
    let keep = HouseholdCommand::DecideEnding {
        on: day,
        end: false,
        reasons: "the hospital stay is certified: the conditions are maintained and a new plan will follow".into(),
        vulnerability_weighed: "hospitalised; his health is weighed".into(),
    };
    let kept = apply(h, keep, day).expect("decided");
    assert!(!kept.allowance_ended_on(day));
    assert!(crate::reception::awaits_place(&kept, day));
}

#[test]
fn ex_post_figures_count_each_outcome_by_destination() {
    let s = open("CADA-69-001", "69", StructureKind::Cada, Places { single: 3, family: 0, accessible: 0 }, false);
    let a = single(1, "IDF");
    let a = apply(a.clone(), HouseholdCommand::Propose(proposal_for(&a, &s)), TODAY).expect("valid");
    let b = single(2, "IDF");
    let b = apply(b.clone(), HouseholdCommand::Propose(proposal_for(&b, &s)), TODAY).expect("valid");
    let b = apply(b, HouseholdCommand::RefuseOrientation { on: TODAY }, TODAY).expect("valid");
    let f = crate::reception::orientation::figures([&a, &b], &|_| None);
    let ara = f.get("ARA").expect("figures for Lyon's region");
    assert_eq!((ara.proposals, ara.refused, ara.pending, ara.arrived), (2, 1, 1, 0));
}
