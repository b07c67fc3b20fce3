//! The reception rules: households, the network and the allowance.

use std::collections::BTreeSet;

use proptest::prelude::*;
use time::macros::date;
use time::Date;

use super::*;
use crate::error::DomainError;
use crate::ids::Language;
use crate::person::{BirthDate, Name, Sex};
use crate::protection::Department;

fn rules() -> &'static ReceptionRules {
    ReceptionRules::embedded()
}

fn member(name: &str, relationship: Relationship, born: Date, sex: Sex) -> Member {
    Member {
        family_name: Name::latin_only(name),
        given_names: Name::latin_only("A"),
        sex,
        birth_date: BirthDate::Exact(born),
        relationship,
        foreigner_number: None,
    }
}

fn family() -> Vec<Member> {
    vec![
        member("Haidari", Relationship::Head, date!(1988 - 03 - 02), Sex::Male),
        member("Haidari", Relationship::Spouse, date!(1990 - 07 - 14), Sex::Female),
        member("Haidari", Relationship::Child, date!(2016 - 01 - 20), Sex::Female),
    ]
}

fn new_household(members: Vec<Member>) -> NewHousehold {
    NewHousehold {
        id: HouseholdId::new(2026, 1).expect("valid test data"),
        region: "idf".into(),
        case: None,
        procedure: AsylumProcedure::Normal,
        language: Language::parse("prs").expect("valid test data"),
        members,
        address: "SPADA, 12 rue de la Paix, 75002 Paris".into(),
    }
}

const TODAY: Date = date!(2026 - 11 - 02);

fn apply(h: Household, c: HouseholdCommand, today: Date) -> Result<Household, DomainError> {
    let events = h.decide(&c, rules(), today)?;
    Ok(events.iter().fold(h, |h, e| h.evolve(e)))
}

fn registered() -> Household {
    apply(Household::default(), HouseholdCommand::Register(new_household(family())), TODAY).expect("valid test data")
}

fn accepted(h: Household, needs_accommodation: bool, on: Date) -> Household {
    apply(h, HouseholdCommand::DecideOffer(Offer { accepted: true, needs_accommodation, signed_on: on }), on)
        .expect("valid test data")
}

#[test]
fn the_embedded_data_loads_and_shares_add_up() {
    let r = rules();
    assert_eq!(r.regions().len(), 13);
    assert_eq!(r.rate(date!(2026 - 01 - 01)).expect("valid test data").unaccommodated_adult_cents, 740);
    assert_eq!(r.rate(date!(2017 - 01 - 01)).expect("valid test data").unaccommodated_adult_cents, 420);
    assert!(r.rate(date!(2010 - 01 - 01)).is_err());
    assert_eq!(r.region_of(&Department::parse("93").expect("valid test data")).expect("valid test data").code, "IDF");
    assert_eq!(r.region_of(&Department::parse("2A").expect("valid test data")).expect("valid test data").code, "COR");
    assert_eq!(r.regions().iter().map(|r| r.departments.len()).sum::<usize>(), 96);
}

#[test]
fn a_household_needs_one_head_and_an_adult_and_ages_that_fit() {
    let h = registered();
    assert_eq!(h.region, "IDF", "the region is normalised");
    assert_eq!(h.registered_on, Some(TODAY));

    let children = vec![
        member("Lone", Relationship::Head, date!(2012 - 01 - 01), Sex::Male),
        member("Lone", Relationship::Sibling, date!(2014 - 01 - 01), Sex::Female),
    ];
    let e = Household::default().decide(&HouseholdCommand::Register(new_household(children)), rules(), TODAY);
    assert!(matches!(e, Err(DomainError::Validation { field: "members", .. })), "{e:?}");

    let older_child = vec![
        member("Odd", Relationship::Head, date!(1990 - 01 - 01), Sex::Male),
        member("Odd", Relationship::Child, date!(1980 - 01 - 01), Sex::Male),
    ];
    let e = Household::default().decide(&HouseholdCommand::Register(new_household(older_child)), rules(), TODAY);
    assert!(
        matches!(&e, Err(DomainError::Validation { field: "members", reason }) if reason.contains("child")),
        "{e:?}"
    );

    let two_heads = vec![
        member("A", Relationship::Head, date!(1990 - 01 - 01), Sex::Male),
        member("B", Relationship::Head, date!(1991 - 01 - 01), Sex::Female),
    ];
    assert!(Household::default()
        .decide(&HouseholdCommand::Register(new_household(two_heads)), rules(), TODAY)
        .is_err());

    let mut unknown_region = new_household(family());
    unknown_region.region = "XYZ".into();
    let e = Household::default().decide(&HouseholdCommand::Register(unknown_region), rules(), TODAY);
    assert!(matches!(e, Err(DomainError::Validation { field: "region", .. })));
}

#[test]
fn vulnerability_follows_from_the_household_and_the_assessment() {
    let h = registered();
    let derived = h.derived_needs(TODAY);
    assert!(derived.contains(&Need { member: 2, kind: VulnerabilityKind::Minor }));
    assert!(!h.awaits_doctor());

    let assess = |needs: Vec<Need>| {
        HouseholdCommand::AssessVulnerability(Assessment {
            on: TODAY,
            needs: needs.into_iter().collect::<BTreeSet<_>>(),
            accessible_place: false,
            notes: String::new(),
        })
    };
    // Pregnancy of the head, a man: refused.
    let e = h.decide(&assess(vec![Need { member: 0, kind: VulnerabilityKind::Pregnancy }]), rules(), TODAY);
    assert!(matches!(e, Err(DomainError::Validation { field: "needs", .. })));
    // A member who does not exist.
    assert!(h.decide(&assess(vec![Need { member: 9, kind: VulnerabilityKind::Torture }]), rules(), TODAY).is_err());
    let h =
        apply(h, assess(vec![Need { member: 1, kind: VulnerabilityKind::Pregnancy }]), TODAY).expect("valid test data");
    assert!(h.awaits_doctor(), "a medical point goes to the doctor");
    let h = apply(
        h,
        HouseholdCommand::RecordMedicalOpinion(MedicalOpinion {
            on: TODAY,
            priority: MedicalPriority::FollowUp,
            hospital_nearby: true,
            accessible_place: true,
            notes: "third trimester, follow-up at a maternity".into(),
        }),
        TODAY,
    )
    .expect("valid test data");
    assert!(!h.awaits_doctor());
    assert_eq!(h.place_kind(), PlaceKind::Accessible);
}

#[test]
fn the_allowance_follows_the_bareme_and_the_accommodation() {
    let h = accepted(registered(), true, TODAY);
    // Three people, two adults without a place: 6.80 + 2 × 3.40 + 2 × 7.40 = 28.40 €.
    let d = day(&h, TODAY, None, rules());
    assert_eq!(d.cents, 2840);
    assert_eq!(d.why, DayWhy::Paid { persons: 3, unhoused_adults: 2, reduced: 0 });
    // The day before the offer: nothing.
    assert_eq!(day(&h, date!(2026 - 11 - 01), None, rules()).cents, 0);
    // Placed on the 10th: 13.60 € from then.
    let code = StructureCode::parse("cada-75-001").expect("valid test data");
    let h = apply(
        h,
        HouseholdCommand::Arrive { structure: code, kind: PlaceKind::Family, on: date!(2026 - 11 - 10) },
        date!(2026 - 11 - 10),
    )
    .expect("valid test data");
    assert_eq!(day(&h, date!(2026 - 11 - 10), None, rules()).cents, 1360);
    let s = statement(&h, PayMonth::parse("2026-11").expect("valid test data"), None, rules());
    // 1 day unpaid, 8 days at 28.40, 21 days at 13.60.
    assert_eq!(s.days_paid, 29);
    assert_eq!(s.total_cents, 8 * 2840 + 21 * 1360);
    assert_eq!(s.periods.len(), 3);
    // A final decision notified on 5 December ends it on 31 January.
    let notified = Some(date!(2026 - 12 - 05));
    assert_eq!(day(&h, date!(2027 - 01 - 31), notified, rules()).cents, 1360);
    assert_eq!(day(&h, date!(2027 - 02 - 01), notified, rules()).why, DayWhy::RightsEnded);
}

#[test]
fn a_refused_offer_pays_nothing_and_takes_no_place() {
    let h = apply(
        registered(),
        HouseholdCommand::DecideOffer(Offer { accepted: false, needs_accommodation: false, signed_on: TODAY }),
        TODAY,
    )
    .expect("valid test data");
    assert_eq!(day(&h, TODAY, None, rules()).why, DayWhy::Refused);
    let arrive = HouseholdCommand::Arrive {
        structure: StructureCode::parse("CADA-75-001").expect("valid test data"),
        kind: PlaceKind::Family,
        on: TODAY,
    };
    assert!(h.decide(&arrive, rules(), TODAY).is_err());
    let again = HouseholdCommand::DecideOffer(Offer { accepted: true, needs_accommodation: true, signed_on: TODAY });
    assert_eq!(
        h.decide(&again, rules(), TODAY),
        Err(DomainError::AlreadyDone("the household already answered the offer"))
    );
}

#[test]
fn a_decision_on_a_vulnerable_household_weighs_its_vulnerability() {
    let h = accepted(registered(), false, TODAY);
    let mut d = AllowanceDecision {
        measure: AllowanceMeasure::Reduce { percent: 50 },
        from: TODAY,
        reasons: "the household left the accommodation offered without a legitimate reason".into(),
        vulnerability_weighed: String::new(),
    };
    // A child makes the household vulnerable.
    let e = h.decide(&HouseholdCommand::DecideAllowance(d.clone()), rules(), TODAY);
    assert!(matches!(e, Err(DomainError::Validation { field: "vulnerability_weighed", .. })), "{e:?}");
    d.vulnerability_weighed = "a child of ten in school nearby; reduction rather than suspension".into();
    let h = apply(h, HouseholdCommand::DecideAllowance(d), TODAY).expect("valid test data");
    // 6.80 + 2 × 3.40 = 13.60 €, halved.
    assert_eq!(day(&h, TODAY, None, rules()).cents, 680);
}

fn structure() -> Structure {
    let new = NewStructure {
        code: StructureCode::parse("CADA-93-001").expect("valid test data"),
        name: "CADA de Bobigny".into(),
        kind: StructureKind::Cada,
        operator: "adoma".into(),
        department: Department::parse("93").expect("valid test data"),
        places: Places { single: 10, family: 20, accessible: 2 },
        hospital_nearby: true,
        opened_on: date!(2010 - 01 - 01),
    };
    let s = Structure::default();
    let events = s.decide(&StructureCommand::Open(new), rules(), TODAY).expect("valid test data");
    events.iter().fold(s, |s, e| s.evolve(e))
}

#[test]
fn a_structure_never_holds_more_people_than_places() {
    let s = structure();
    assert_eq!(s.region, "IDF");
    let too_many =
        StructureCommand::DeclareOccupancy { occupied: Places { single: 11, family: 0, accessible: 0 }, on: TODAY };
    assert!(matches!(
        s.decide(&too_many, rules(), TODAY),
        Err(DomainError::Validation { field: "occupied_single", .. })
    ));
    let declare =
        StructureCommand::DeclareOccupancy { occupied: Places { single: 5, family: 18, accessible: 0 }, on: TODAY };
    let s = s.decide(&declare, rules(), TODAY).expect("valid test data").iter().fold(s, |s, e| s.evolve(e));
    let id = HouseholdId::new(2026, 1).expect("valid test data");
    let admit =
        |persons| StructureCommand::Admit { household: id.clone(), kind: PlaceKind::Family, persons, on: TODAY };
    assert!(s.decide(&admit(3), rules(), TODAY).is_err(), "2 family places free, 3 needed");
    let s = s.decide(&admit(2), rules(), TODAY).expect("valid test data").iter().fold(s, |s, e| s.evolve(e));
    assert_eq!(s.free(PlaceKind::Family), 0);
    // The operator cannot declare fewer people than the agency placed there.
    let low =
        StructureCommand::DeclareOccupancy { occupied: Places { single: 5, family: 1, accessible: 0 }, on: TODAY };
    assert!(s.decide(&low, rules(), TODAY).is_err());
    let s = s
        .decide(&StructureCommand::Release { household: id, on: TODAY }, rules(), TODAY)
        .expect("valid test data")
        .iter()
        .fold(s, |s, e| s.evolve(e));
    assert_eq!(s.free(PlaceKind::Family), 2);
}

#[test]
fn the_payment_file_has_a_header_lines_and_a_total() {
    let month = PayMonth::parse("2026-11").expect("valid test data");
    let lines = vec![
        PaymentLine {
            household: "H-2026-000001".into(),
            foreigner_number: "7501234567".into(),
            persons: 3,
            days_paid: 30,
            cents: 85200,
        },
        PaymentLine {
            household: "H-2026-000002".into(),
            foreigner_number: "".into(),
            persons: 1,
            days_paid: 10,
            cents: 14200,
        },
    ];
    let file = payment_file(month, &lines);
    let rows: Vec<&str> = file.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows[0], allowance::PAYMENT_FILE_HEADER);
    assert_eq!(rows[1], "P;2026-11;H-2026-000001;7501234567;3;30;85200");
    assert_eq!(rows[3], "T;2026-11;2;;;;99400");
    assert!(PayMonth::parse("2026-13").is_err());
    assert_eq!(PayMonth::parse("2026-12").expect("valid test data").next().to_string(), "2027-01");
}

proptest! {
    /// Whatever the household's size, its accommodation and the decisions on it, a day never
    /// pays less than nothing nor more than the barème's full amount, and a statement is the
    /// sum of its days.
    #[test]
    fn a_day_is_bounded_by_the_bareme(
        children in 0usize..8,
        housed_from in 0i64..40,
        reduced in proptest::option::of(1u8..100),
        notified_after in proptest::option::of(0i64..60),
    ) {
        let mut members = family();
        members.truncate(2);
        for i in 0..children {
            members.push(member("Haidari", Relationship::Child, date!(2012 - 01 - 01) + time::Duration::days(i as i64 * 200), Sex::Male));
        }
        let start = date!(2026 - 10 - 01);
        let h = apply(Household::default(), HouseholdCommand::Register(new_household(members.clone())), start).expect("valid test data");
        let mut h = accepted(h, true, start);
        let housed = start + time::Duration::days(housed_from);
        h = apply(h, HouseholdCommand::Arrive { structure: StructureCode::parse("CADA-75-001").expect("valid test data"), kind: PlaceKind::Family, on: housed }, housed).expect("valid test data");
        if let Some(percent) = reduced {
            h = apply(h, HouseholdCommand::DecideAllowance(AllowanceDecision {
                measure: AllowanceMeasure::Reduce { percent },
                from: start + time::Duration::days(15),
                reasons: "the household missed two appointments without a legitimate reason".into(),
                vulnerability_weighed: "children in school; a reduction keeps them housed and fed".into(),
            }), start + time::Duration::days(15)).expect("valid test data");
        }
        let notified = notified_after.map(|d| start + time::Duration::days(d));
        let full = 680 + 340 * (members.len() as i64 - 1) + 740 * 2;
        for month in ["2026-10", "2026-11", "2026-12", "2027-01"] {
            let month = PayMonth::parse(month).expect("valid test data");
            let s = statement(&h, month, notified, rules());
            let mut sum = 0;
            for on in month.days() {
                let d = day(&h, on, notified, rules());
                prop_assert!(d.cents >= 0 && d.cents <= full);
                sum += d.cents;
            }
            prop_assert_eq!(s.total_cents, sum);
            prop_assert_eq!(s.periods.iter().map(|p| p.days).sum::<u32>(), month.last_day().day() as u32);
        }
    }
}

mod orientation;

#[test]
fn a_letter_is_filed_only_for_the_step_that_calls_for_it_and_on_its_day() {
    let letter = |kind| HouseholdLetter {
        kind,
        sha256: crate::documents::ContentHash::parse(&"ab".repeat(32)).expect("valid test data"),
        size: 1200,
        issued_on: TODAY,
        translation: Some("fa-AF".into()),
    };
    let h = registered();
    let refusal = HouseholdCommand::FileLetter(letter(HouseholdLetterKind::OfferRefusal));
    let e = h.decide(&refusal, rules(), TODAY);
    assert!(matches!(e, Err(DomainError::Validation { field: "letter", .. })), "no offer refused yet: {e:?}");

    let refused = apply(
        h,
        HouseholdCommand::DecideOffer(Offer { accepted: false, needs_accommodation: false, signed_on: TODAY }),
        TODAY,
    )
    .expect("valid test data");
    let e = refused.decide(&refusal, rules(), TODAY + time::Duration::days(1));
    assert!(matches!(e, Err(DomainError::Validation { field: "letter", .. })), "filed a day late: {e:?}");
    for kind in [HouseholdLetterKind::OrientationProposal, HouseholdLetterKind::ConditionsEndingDecision] {
        let e = refused.decide(&HouseholdCommand::FileLetter(letter(kind)), rules(), TODAY);
        assert!(e.is_err(), "{kind:?} follows no step: {e:?}");
    }
    let events = registered()
        .decide(
            &HouseholdCommand::DecideOffer(Offer { accepted: false, needs_accommodation: false, signed_on: TODAY }),
            rules(),
            TODAY,
        )
        .expect("valid test data");
    assert_eq!(letter_called_for(&events), Some(HouseholdLetterKind::OfferRefusal));
    let events = registered()
        .decide(
            &HouseholdCommand::DecideOffer(Offer { accepted: true, needs_accommodation: true, signed_on: TODAY }),
            rules(),
            TODAY,
        )
        .expect("valid test data");
    assert_eq!(letter_called_for(&events), None, "an accepted offer needs no letter");
    let filed = apply(refused, refusal, TODAY).expect("the refusal's letter");
    assert_eq!(filed.letters.len(), 1);
    assert_eq!(filed.letters[0].kind.as_str(), "offer_refusal");
    let round: Household =
        serde_json::from_value(serde_json::to_value(&filed).expect("serializes")).expect("deserializes");
    assert_eq!(round, filed, "the letters survive the stored state");
}
