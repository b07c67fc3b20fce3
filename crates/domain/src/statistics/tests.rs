use time::macros::{date, datetime};

use super::tables::*;
use super::*;
use crate::person::Sex;

fn snapshot() -> Snapshot {
    Snapshot { size: 10, root: "ab".into() }
}

fn year() -> Period {
    Period::parse("2025", date!(2026 - 01 - 15)).expect("valid")
}

#[test]
fn age_groups_at_the_date_of_the_fact() {
    let born = Some(date!(2008 - 06 - 15));
    assert_eq!(AgeGroup::at(born, date!(2022 - 06 - 14)), AgeGroup::Under14);
    assert_eq!(AgeGroup::at(born, date!(2022 - 06 - 15)), AgeGroup::From14To17);
    assert_eq!(AgeGroup::at(born, date!(2026 - 06 - 15)), AgeGroup::From18To34);
    assert_eq!(AgeGroup::at(None, date!(2026 - 06 - 15)), AgeGroup::Unknown);
    assert_eq!(completed_years(date!(2000 - 02 - 29), date!(2001 - 02 - 28)), 0);
    let t = AgeGroup::thresholds(date!(2026 - 03 - 31));
    assert_eq!(t, [date!(1961 - 03 - 31), date!(1991 - 03 - 31), date!(2008 - 03 - 31), date!(2012 - 03 - 31)]);
}

#[test]
fn a_registration_counts_the_applicant_and_accompanying_minors_and_starts_pending() {
    use crate::cases::{evolve, Case, Event};
    let mut reg = crate::test_support::registration(date!(2026 - 03 - 02), crate::application::Procedure::Normal);
    // An adult child is not an accompanying minor.
    let mut adult = reg.applicant.clone();
    adult.role = crate::person::FamilyRole::Child;
    adult.birth_date = crate::person::BirthDate::Year(1990);
    let mut minor = adult.clone();
    minor.birth_date = crate::person::BirthDate::Year(2015);
    reg.family = vec![adult, minor];
    let event = Event::Registered {
        number: reg.number,
        kind: reg.kind,
        procedure: reg.procedure,
        nationality: reg.nationality,
        language: reg.language.clone(),
        applicant: reg.applicant.clone(),
        family: reg.family.clone(),
        introduced_on: reg.introduced_on,
        registered_at: datetime!(2026-03-03 10:00 UTC),
        missing: vec![],
    };
    let before = Case::initial();
    let after = evolve(before.clone(), &event);
    let (facts, pending) = facts_of(before.status, &after, &event);
    assert_eq!(facts.iter().map(|f| f.person).collect::<Vec<_>>(), [0, 2]);
    assert!(facts.iter().all(|f| f.kind == FactKind::Lodged && f.on == reg.introduced_on));
    assert_eq!(pending.len(), 2);
    assert!(pending.iter().all(|p| p.starts));
    // Nothing counted for an event that changes nothing statistics count.
    let e = Event::MarkedComplete { at: datetime!(2026-03-04 10:00 UTC) };
    let next = evolve(after.clone(), &e);
    assert_eq!(facts_of(after.status, &next, &e), (vec![], vec![]));
}

fn applicant(nat: &str, sex: Sex, age: AgeGroup, persons: u64, first: u64) -> ApplicantCount {
    ApplicantCount { bucket: "2025".into(), nationality: nat.into(), sex, age, persons, first_time: first }
}

#[test]
fn eurostat_applicants_carry_every_total() {
    let t = applicants(
        TableId::ApplicantsYearly,
        &year(),
        &snapshot(),
        &[
            applicant("AFG", Sex::Male, AgeGroup::From18To34, 7, 6),
            applicant("SYR", Sex::Female, AgeGroup::Under14, 3, 3),
        ],
    );
    let get = |k: [&str; 5]| t.rows.iter().find(|r| r.key == k).map(|r| r.value);
    assert_eq!(get(["TOTAL", "T", "TOTAL", "ASY_APP", "2025"]), Some(Value::Count(10)));
    assert_eq!(get(["TOTAL", "T", "TOTAL", "NASY_APP", "2025"]), Some(Value::Count(9)));
    assert_eq!(get(["AF", "M", "TOTAL", "ASY_APP", "2025"]), Some(Value::Count(7)));
    assert_eq!(get(["SY", "T", "Y_LT14", "NASY_APP", "2025"]), Some(Value::Count(3)));
    assert_eq!(get(["SY", "M", "TOTAL", "ASY_APP", "2025"]), None);
}

#[test]
fn published_tables_hide_small_cells_so_that_totals_do_not_reveal_them() {
    let rule = DisclosureRules::embedded().expect("valid").on(date!(2026 - 01 - 01)).expect("in force").clone();
    let t = applicants(
        TableId::ApplicantsYearly,
        &year(),
        &snapshot(),
        &[
            applicant("AFG", Sex::Male, AgeGroup::From18To34, 40, 40),
            applicant("AFG", Sex::Female, AgeGroup::From18To34, 2, 2),
            applicant("SYR", Sex::Male, AgeGroup::From18To34, 12, 12),
            applicant("SYR", Sex::Female, AgeGroup::From18To34, 23, 23),
        ],
    );
    let p = publish(t.clone(), &rule);
    let get = |k: [&str; 5]| p.rows.iter().find(|r| r.key == k).map(|r| r.value);
    assert_eq!(get(["AF", "F", "Y18-34", "ASY_APP", "2025"]), Some(Value::Suppressed));
    // AF: T = M + F: M must be suppressed too, or F = T − M. And along the citizen line of F,
    // TOTAL(F) = AF + SY: SY's F must go too.
    assert_eq!(get(["AF", "M", "Y18-34", "ASY_APP", "2025"]), Some(Value::Suppressed));
    assert_eq!(get(["SY", "F", "Y18-34", "ASY_APP", "2025"]), Some(Value::Suppressed));
    // Totals are rounded to 5.
    assert_eq!(get(["TOTAL", "T", "TOTAL", "ASY_APP", "2025"]), Some(Value::Count(75)));
    assert!(p.published);
    // No additive line of the published table holds exactly one suppressed cell.
    for d in [0usize, 1, 2] {
        let mut lines: std::collections::BTreeMap<Vec<String>, usize> = Default::default();
        for r in &p.rows {
            let mut rest = r.key.clone();
            rest.remove(d);
            *lines.entry(rest).or_default() += usize::from(r.value == Value::Suppressed);
        }
        assert!(lines.values().all(|n| *n != 1), "dimension {d}: {lines:?}");
    }
}

#[test]
fn rounding_and_quantiles() {
    assert_eq!([0, 1, 2, 3, 7, 8, 12, 13].map(|n| round_to(n, 5)), [0, 0, 0, 5, 5, 10, 10, 15]);
    assert_eq!(quantile(&[(10, 1), (20, 1), (30, 1), (40, 1)], 0.5), Some(20));
    assert_eq!(quantile(&[(10, 9), (100, 1)], 0.9), Some(10));
    assert_eq!(quantile(&[(10, 8), (100, 2)], 0.9), Some(100));
    assert_eq!(quantile(&[], 0.5), None);
}

#[test]
fn sdmx_names_the_dataset_and_flags_confidential_cells() {
    let rule = DisclosureRules::embedded().expect("valid").on(date!(2026 - 01 - 01)).expect("in force").clone();
    let t = applicants(
        TableId::ApplicantsYearly,
        &year(),
        &snapshot(),
        &[applicant("AFG", Sex::Male, AgeGroup::From18To34, 2, 2)],
    );
    let csv = to_sdmx(&publish(t, &rule)).expect("an Eurostat table");
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("DATAFLOW,freq,unit,citizen,sex,age,asyl_app,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG"));
    assert!(csv.contains("ESTAT:MIGR_ASYAPPCTZA(1.0),A,PER,AF,M,Y18-34,ASY_APP,FR,2025,,c\n"), "{csv}");
    let report = report_activity(&year(), &snapshot(), &[]);
    assert!(to_sdmx(&report).is_err());
    assert!(TableId::parse("migr_nope").expect_err("unknown").to_string().contains("migr_asydcfsta"));
}
