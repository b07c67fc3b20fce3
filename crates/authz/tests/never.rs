//! Properties that must hold for every principal and every case: the "never" rules.

use std::sync::OnceLock;

use nansen_authz::{Action, Authorizer, CaseAttrs, Principal, Resource, Role};
use proptest::prelude::*;

fn authz() -> &'static Authorizer {
    static AUTHZ: OnceLock<Authorizer> = OnceLock::new();
    AUTHZ.get_or_init(|| Authorizer::embedded().expect("the embedded policies load"))
}

// Few values, so that logins, divisions and sections often coincide.
const LOGINS: [&str; 4] = ["ana", "ben", "chloe", "dia"];
const DIVISIONS: [&str; 4] = ["africa", "americas-maghreb", "asia", "europe-middle-east"];
const STATUSES: [&str; 9] = [
    "registered",
    "under_review",
    "interview_scheduled",
    "drafted",
    "signed",
    "notified",
    "final",
    "appealed",
    "court_decided",
];

fn login() -> impl Strategy<Value = String> {
    prop::sample::select(LOGINS.as_slice()).prop_map(String::from)
}

fn division() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(DIVISIONS.as_slice()).prop_map(String::from))
}

fn principal_in(roles: &'static [Role]) -> impl Strategy<Value = Principal> {
    (login(), prop::sample::select(roles), division(), prop::option::of(1u8..4))
        .prop_map(|(login, role, division, section)| Principal { login, role, division, section })
}

fn principal() -> impl Strategy<Value = Principal> {
    principal_in(Role::ALL.as_slice())
}

fn case() -> impl Strategy<Value = CaseAttrs> {
    (
        division(),
        prop::option::of(1u8..4),
        prop::option::of(login()),
        prop::option::of(login()),
        any::<bool>(),
        prop::sample::select(STATUSES.as_slice()),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(division, section, officer, drafted_by, pooled, status, protection_granted, recording_open)| CaseAttrs {
                number: "2026-0000042".into(),
                division,
                section,
                officer,
                drafted_by,
                pooled,
                status: status.into(),
                protection_granted,
                recording_open,
            },
        )
}

fn case_action() -> impl Strategy<Value = Action> {
    let on_case: Vec<Action> = Action::ALL.into_iter().filter(Action::on_case).collect();
    prop::sample::select(on_case)
}

/// A login other than `login`, or none.
fn other_login(login: &str) -> impl Strategy<Value = Option<String>> {
    let others: Vec<String> = LOGINS.iter().filter(|l| **l != login).map(|l| l.to_string()).collect();
    prop::option::of(prop::sample::select(others))
}

/// A division other than `division`, or none.
fn other_division(division: Option<&str>) -> impl Strategy<Value = Option<String>> {
    let others: Vec<String> = DIVISIONS.iter().filter(|d| Some(**d) != division).map(|d| d.to_string()).collect();
    prop::option::of(prop::sample::select(others))
}

/// An officer or section head with a case of another division (or of none), not pooled and not
/// assigned to them: generated as such, so that every run tests the rule.
fn outsider_and_case() -> impl Strategy<Value = (Principal, CaseAttrs)> {
    principal_in(&[Role::ProtectionOfficer, Role::SectionHead]).prop_flat_map(|p| {
        (Just(p.clone()), case(), other_login(&p.login), other_division(p.division.as_deref()))
            .prop_map(|(p, c, officer, division)| (p, CaseAttrs { pooled: false, officer, division, ..c }))
    })
}

/// Anyone with a case they drafted, are assigned to, or both; half the time a section head of
/// the case's own division and section with the case under review, whom only this rule stops.
fn author_and_case() -> impl Strategy<Value = (Principal, CaseAttrs)> {
    (principal(), case(), 0u8..3, any::<bool>(), prop::sample::select(DIVISIONS.as_slice()), 1u8..4).prop_map(
        |(p, c, which, reviewer, division, section)| {
            let (p, c) = if reviewer {
                let p =
                    Principal { role: Role::SectionHead, division: Some(division.into()), section: Some(section), ..p };
                let c = CaseAttrs {
                    division: p.division.clone(),
                    section: Some(section),
                    status: "under_review".into(),
                    ..c
                };
                (p, c)
            } else {
                (p, c)
            };
            author(p, c, which)
        },
    )
}

/// `p` made the drafter of `c` (0), its assigned officer (1), or both.
fn author(p: Principal, c: CaseAttrs, which: u8) -> (Principal, CaseAttrs) {
    let me = Some(p.login.clone());
    let c = match which {
        0 => CaseAttrs { drafted_by: me, ..c },
        1 => CaseAttrs { officer: me, ..c },
        _ => CaseAttrs { drafted_by: me.clone(), officer: me, ..c },
    };
    (p, c)
}

proptest! {
    #[test]
    fn officers_never_read_another_divisions_unpooled_unassigned_case(
        (p, c) in outsider_and_case(),
        a in prop::sample::select(vec![Action::ReadCase, Action::ReadInterview, Action::ReadDraft]),
    ) {
        prop_assert_ne!(c.officer.as_ref(), Some(&p.login));
        prop_assert!(c.division.is_none() || c.division != p.division);
        let d = authz().decide(&p, a, &Resource::Case(c));
        prop_assert!(!d.allowed, "{:?}", d);
    }

    #[test]
    fn nobody_signs_their_own_draft_or_assigned_case((p, c) in author_and_case()) {
        prop_assert!(c.drafted_by.as_ref() == Some(&p.login) || c.officer.as_ref() == Some(&p.login));
        let d = authz().decide(&p, Action::SignDecision, &Resource::Case(c));
        prop_assert!(!d.allowed, "{:?}", d);
    }

    #[test]
    fn administrator_and_auditor_never_act_on_a_case(
        p in principal_in(&[Role::Administrator, Role::Auditor]),
        c in case(),
        a in case_action(),
    ) {
        let d = authz().decide(&p, a, &Resource::Case(c));
        prop_assert!(!d.allowed, "{:?}", d);
    }

    #[test]
    fn well_formed_requests_never_err(p in principal(), c in case(), a in prop::sample::select(Action::ALL.as_slice())) {
        let resource = if a.on_case() {
            Resource::Case(c)
        } else if a.on_unit() {
            Resource::Unit(unit())
        } else if a.on_household() {
            Resource::Household(nansen_authz::HouseholdAttrs { id: "H-2026-000001".into(), region: "IDF".into() })
        } else if a.on_structure() {
            Resource::Structure(nansen_authz::StructureAttrs {
                code: "CADA-93-001".into(),
                region: "IDF".into(),
                operator: "adoma".into(),
            })
        } else {
            Resource::Office
        };
        let d = authz().decide(&p, a, &resource);
        prop_assert!(d.errors.is_empty(), "{:?}", d);
        // An allow always names the permit(s) behind it.
        prop_assert!(!d.allowed || !d.policies.is_empty(), "{:?}", d);
    }
}

/// A section of the Africa division as a unit of harmonisation.
fn unit() -> nansen_authz::UnitAttrs {
    nansen_authz::UnitAttrs {
        level: "section".into(),
        division: Some("africa".into()),
        section: Some(2),
        officer: None,
    }
}
