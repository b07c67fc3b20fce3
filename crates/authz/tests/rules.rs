//! The need-to-know rules, one by one, through the public API only.

use std::sync::OnceLock;

use nansen_authz::{Action, Authorizer, CaseAttrs, HouseholdAttrs, Principal, Resource, Role, StructureAttrs};

fn authz() -> &'static Authorizer {
    static AUTHZ: OnceLock<Authorizer> = OnceLock::new();
    AUTHZ.get_or_init(|| Authorizer::embedded().expect("the embedded policies load"))
}

fn agent(login: &str, role: Role, division: Option<&str>, section: Option<u8>) -> Principal {
    Principal { login: login.into(), role, division: division.map(Into::into), section }
}

/// An officer of Africa, section 2.
fn officer() -> Principal {
    agent("o.africa", Role::ProtectionOfficer, Some("africa"), Some(2))
}

/// The head of Africa, section 2.
fn head() -> Principal {
    agent("h.africa", Role::SectionHead, Some("africa"), Some(2))
}

fn role(role: Role) -> Principal {
    agent("someone", role, None, None)
}

/// A case of Africa section 2, assigned to nobody, not pooled, under review.
fn case() -> CaseAttrs {
    CaseAttrs {
        number: "2026-0000042".into(),
        division: Some("africa".into()),
        section: Some(2),
        officer: None,
        drafted_by: None,
        pooled: false,
        status: "under_review".into(),
        protection_granted: false,
        recording_open: false,
    }
}

fn other_division_case() -> CaseAttrs {
    CaseAttrs { division: Some("asia".into()), section: Some(2), ..case() }
}

fn allowed(p: &Principal, a: Action, c: &CaseAttrs) -> bool {
    let d = authz().decide(p, a, &Resource::Case(c.clone()));
    assert!(d.errors.is_empty(), "{a:?} by {p:?} on {c:?}: {:?}", d.errors);
    d.allowed
}

fn office_allowed(p: &Principal, a: Action) -> bool {
    let d = authz().decide(p, a, &Resource::Office);
    assert!(d.errors.is_empty(), "{a:?} by {p:?}: {:?}", d.errors);
    d.allowed
}

const READS: [Action; 3] = [Action::ReadCase, Action::ReadInterview, Action::ReadDraft];
const EXAMINATION: [Action; 3] = [Action::ScheduleInterview, Action::RecordInterview, Action::DraftDecision];

fn case_actions() -> impl Iterator<Item = Action> {
    Action::ALL.into_iter().filter(Action::on_case)
}

fn office_actions() -> impl Iterator<Item = Action> {
    Action::ALL.into_iter().filter(|a| !a.on_case() && !a.on_unit() && !a.on_household() && !a.on_structure())
}

/// A household registered in Île-de-France.
fn household() -> HouseholdAttrs {
    HouseholdAttrs { id: "H-2026-000001".into(), region: "IDF".into() }
}

/// A structure of Île-de-France run by `adoma`.
fn structure() -> StructureAttrs {
    StructureAttrs { code: "CADA-93-001".into(), region: "IDF".into(), operator: "adoma".into() }
}

/// The resource an action applies to, of each kind the samples above.
fn resource_for(a: Action) -> Resource {
    if a.on_case() {
        Resource::Case(case())
    } else if a.on_unit() {
        Resource::Unit(unit())
    } else if a.on_household() {
        Resource::Household(household())
    } else if a.on_structure() {
        Resource::Structure(structure())
    } else {
        Resource::Office
    }
}

// ---- names ----------------------------------------------------------------------------------------------------

#[test]
fn role_names_round_trip() {
    for r in Role::ALL {
        assert_eq!(Role::parse(r.as_str()), Some(r));
    }
    assert_eq!(Role::parse("Auditor"), None);
    assert_eq!(Role::SectionHead.as_str(), "section_head");
}

#[test]
fn the_first_thirteen_actions_and_the_appeal_steps_are_on_a_case() {
    let on_case: Vec<_> = Action::ALL.iter().map(Action::on_case).collect();
    assert_eq!(
        on_case,
        [
            [true; 13].as_slice(),
            &[false; 12],
            &[true; 3],
            &[false],
            &[true; 2],
            &[false],
            &[true; 2],
            &[false],
            &[true; 2],
            &[false],
            &[false; 18],
            &[true],
            &[false; 2],
            // ask_research on the case; the queue and the answers on the office.
            &[true],
            &[false; 2]
        ]
        .concat()
    );
    let on_household: Vec<_> = Action::ALL.iter().filter(|a| a.on_household()).collect();
    assert_eq!(
        on_household,
        [&Action::ReadHousehold, &Action::RecordHousehold, &Action::RecordMedical, &Action::DecideAllowance]
    );
    let on_structure: Vec<_> = Action::ALL.iter().filter(|a| a.on_structure()).collect();
    assert_eq!(on_structure, [&Action::ReadStructure, &Action::DeclareOccupancy, &Action::PlaceHousehold]);
    let on_unit: Vec<_> = Action::ALL.iter().filter(|a| a.on_unit()).collect();
    assert_eq!(on_unit, [&Action::ReadHarmonisation, &Action::KeepCalendar]);
    assert_eq!(Action::NotifyDecision.as_str(), "notify_decision");
    assert_eq!(Action::RegisterApplication.as_str(), "register_application");
}

// ---- read_case, read_interview, read_draft ------------------------------------------------------------------------

#[test]
fn officer_reads_own_division_pooled_and_assigned_cases() {
    for a in READS {
        assert!(allowed(&officer(), a, &case()));
        let pooled = CaseAttrs { pooled: true, ..other_division_case() };
        assert!(allowed(&officer(), a, &pooled));
        let assigned = CaseAttrs { officer: Some("o.africa".into()), ..other_division_case() };
        assert!(allowed(&officer(), a, &assigned));
        assert!(!allowed(&officer(), a, &other_division_case()));
    }
}

#[test]
fn officer_without_division_reads_only_pooled_or_assigned() {
    let floating = agent("o.none", Role::ProtectionOfficer, None, None);
    assert!(!allowed(&floating, Action::ReadCase, &case()));
    let assigned = CaseAttrs { officer: Some("o.none".into()), ..case() };
    assert!(allowed(&floating, Action::ReadCase, &assigned));
    let pooled = CaseAttrs { pooled: true, ..case() };
    assert!(allowed(&floating, Action::ReadDraft, &pooled));
}

#[test]
fn a_case_without_division_is_read_only_when_pooled_or_assigned() {
    let undivided = CaseAttrs { division: None, ..case() };
    assert!(!allowed(&officer(), Action::ReadCase, &undivided));
    assert!(!allowed(&head(), Action::ReadCase, &undivided));
}

#[test]
fn section_head_reads_own_division_and_pooled_cases_only() {
    let other_section = CaseAttrs { section: Some(5), ..case() };
    let assigned_to_head = CaseAttrs { officer: Some("h.africa".into()), ..other_division_case() };
    for a in READS {
        assert!(allowed(&head(), a, &case()));
        assert!(allowed(&head(), a, &other_section));
        let pooled = CaseAttrs { pooled: true, ..other_division_case() };
        assert!(allowed(&head(), a, &pooled));
        assert!(!allowed(&head(), a, &other_division_case()));
        // Being named as officer is the officer's rule, not the section head's.
        assert!(!allowed(&head(), a, &assigned_to_head));
    }
}

#[test]
fn secretary_reads_every_case_but_not_interview_or_draft() {
    let secretary = agent("s", Role::DigitizationSecretary, Some("africa"), None);
    for c in [case(), other_division_case()] {
        assert!(allowed(&secretary, Action::ReadCase, &c));
        assert!(!allowed(&secretary, Action::ReadInterview, &c));
        assert!(!allowed(&secretary, Action::ReadDraft, &c));
    }
}

#[test]
fn legal_consultant_reads_once_signed() {
    let consultant = role(Role::LegalConsultant);
    for status in ["signed", "notified", "final", "appealed", "court_decided"] {
        let c = CaseAttrs { status: status.into(), ..other_division_case() };
        for a in READS {
            assert!(allowed(&consultant, a, &c), "{a:?} {status}");
        }
    }
    for status in ["registered", "under_review", "interview_scheduled", "drafted"] {
        let c = CaseAttrs { status: status.into(), ..case() };
        for a in READS {
            assert!(!allowed(&consultant, a, &c), "{a:?} {status}");
        }
    }
}

#[test]
fn civil_registrar_reads_only_protected_cases_and_never_interview_or_draft() {
    let registrar = role(Role::CivilRegistrar);
    let granted = CaseAttrs { status: "final".into(), protection_granted: true, ..case() };
    assert!(allowed(&registrar, Action::ReadCase, &granted));
    assert!(!allowed(&registrar, Action::ReadInterview, &granted));
    assert!(!allowed(&registrar, Action::ReadDraft, &granted));
    let rejected = CaseAttrs { status: "final".into(), ..case() };
    assert!(!allowed(&registrar, Action::ReadCase, &rejected));
}

#[test]
fn other_roles_read_nothing() {
    let everything = CaseAttrs { pooled: true, status: "final".into(), protection_granted: true, ..case() };
    for r in [
        Role::ResearchAssistant,
        Role::Archivist,
        Role::ReceptionAgent,
        Role::Administrator,
        Role::Auditor,
        Role::DataProtectionOfficer,
        Role::Planner,
        Role::Interpreter,
    ] {
        let p = agent("x", r, Some("africa"), Some(2));
        // The archivist's one case action is the custody of originals (tested below).
        for a in case_actions().filter(|a| !(r == Role::Archivist && *a == Action::KeepOriginals)) {
            assert!(!allowed(&p, a, &everything), "{r:?} {a:?}");
        }
    }
}

// ---- work on a case -----------------------------------------------------------------------------------------------

#[test]
fn section_head_assigns_own_division_and_pooled_cases() {
    assert!(allowed(&head(), Action::AssignCase, &case()));
    let pooled = CaseAttrs { pooled: true, ..other_division_case() };
    assert!(allowed(&head(), Action::AssignCase, &pooled));
    assert!(!allowed(&head(), Action::AssignCase, &other_division_case()));
    assert!(!allowed(&officer(), Action::AssignCase, &case()));
}

#[test]
fn officer_examines_only_assigned_cases() {
    let mine = CaseAttrs { officer: Some("o.africa".into()), ..case() };
    let colleagues = CaseAttrs { officer: Some("o.colleague".into()), ..case() };
    for a in EXAMINATION {
        assert!(allowed(&officer(), a, &mine), "{a:?}");
        assert!(!allowed(&officer(), a, &colleagues), "{a:?}");
        assert!(!allowed(&officer(), a, &case()), "{a:?}");
        assert!(!allowed(&head(), a, &mine), "{a:?}");
    }
}

#[test]
fn review_and_sign_need_the_cases_division_and_section() {
    let drafted = CaseAttrs { officer: Some("o.africa".into()), drafted_by: Some("o.africa".into()), ..case() };
    let other_section = agent("h.africa5", Role::SectionHead, Some("africa"), Some(5));
    let other_division = agent("h.asia", Role::SectionHead, Some("asia"), Some(2));
    let no_section = agent("h.africa", Role::SectionHead, Some("africa"), None);
    let pooled = CaseAttrs { pooled: true, ..drafted.clone() };
    for a in [Action::ReviewDecision, Action::SignDecision] {
        assert!(allowed(&head(), a, &drafted), "{a:?}");
        assert!(!allowed(&other_section, a, &drafted), "{a:?}");
        assert!(!allowed(&other_division, a, &drafted), "{a:?}");
        assert!(!allowed(&no_section, a, &drafted), "{a:?}");
        // Pooling opens reading and assignment, not review and signature.
        assert!(!allowed(&other_division, a, &pooled), "{a:?}");
        assert!(!allowed(&officer(), a, &drafted), "{a:?}");
    }
}

#[test]
fn nobody_signs_their_own_draft() {
    let drafted_by_head = CaseAttrs { officer: Some("o.africa".into()), drafted_by: Some("h.africa".into()), ..case() };
    let d = authz().decide(&head(), Action::SignDecision, &Resource::Case(drafted_by_head.clone()));
    assert!(!d.allowed);
    assert_eq!(d.policies, ["forbid-sign-own-case"]);
    // Reviewing (returning with comments) is not forbidden.
    assert!(allowed(&head(), Action::ReviewDecision, &drafted_by_head));

    let assigned_to_head =
        CaseAttrs { officer: Some("h.africa".into()), drafted_by: Some("o.africa".into()), ..case() };
    assert!(!allowed(&head(), Action::SignDecision, &assigned_to_head));
}

#[test]
fn notify_by_the_cases_section_head_or_assigned_officer() {
    let signed = CaseAttrs { officer: Some("o.africa".into()), status: "signed".into(), ..case() };
    assert!(allowed(&head(), Action::NotifyDecision, &signed));
    assert!(allowed(&officer(), Action::NotifyDecision, &signed));
    let colleague = agent("o.colleague", Role::ProtectionOfficer, Some("africa"), Some(2));
    assert!(!allowed(&colleague, Action::NotifyDecision, &signed));
    let other_section = agent("h.africa5", Role::SectionHead, Some("africa"), Some(5));
    assert!(!allowed(&other_section, Action::NotifyDecision, &signed));
    assert!(!allowed(&role(Role::DigitizationSecretary), Action::NotifyDecision, &signed));
}

#[test]
fn administrator_and_auditor_never_act_on_a_case_even_when_otherwise_matching() {
    // Same login as the assigned officer and the section: only the forbid stops them.
    let c = CaseAttrs { officer: Some("x".into()), pooled: true, ..case() };
    for r in [Role::Administrator, Role::Auditor] {
        let p = agent("x", r, Some("africa"), Some(2));
        for a in case_actions() {
            assert!(!allowed(&p, a, &c), "{r:?} {a:?}");
        }
    }
}

// ---- office actions -----------------------------------------------------------------------------------------------

#[test]
fn office_actions_by_role() {
    use Action::*;
    use Role::*;
    let table: [(Role, &[Action]); 19] = [
        (DigitizationSecretary, &[RegisterApplication, SearchCases, ListOriginals]),
        (ProtectionOfficer, &[SearchCases, ViewQueue, ReadReferenceNotes, ReadEndings, ReadPlanning, ReadLibrary]),
        (
            SectionHead,
            &[
                SearchCases,
                ViewQueue,
                ReadStatistics,
                ReadReferenceNotes,
                ReadEndings,
                ReadPlanning,
                ManageRegister,
                PlanInterviews,
                ReadLibrary,
            ],
        ),
        (ResearchAssistant, &[ReadReferenceNotes, ReadLibrary, ManageLibrary, ReadResearchQueue, AnswerResearch]),
        (LegalConsultant, &[SearchCases, ReadReferenceNotes, ReadAppeals, ReadLibrary]),
        (CivilRegistrar, &[ReadRegister, ReadFgmFollowUps]),
        (Archivist, &[ListOriginals]),
        (ReceptionAgent, &[RegisterHousehold, ReadHouseholds, ReadNetwork]),
        (Administrator, &[ManageAccounts]),
        (Auditor, &[ReadJournal, ReadJournalPayloads, ReadStatistics]),
        (DataProtectionOfficer, &[ReviewPayloadAccess]),
        (Director, &[ReadStatistics, ReadReferenceNotes, ReadAppeals, ReadFgmFollowUps, ReadEndings, ReadLibrary]),
        (DivisionHead, &[ReadStatistics, ReadReferenceNotes, ReadPlanning, ReadLibrary]),
        (HarmonisationOfficer, &[ReadStatistics, ReadReferenceNotes, ManageReferenceNotes, ReadLibrary]),
        (RegionalDirector, &[ReadHouseholds, ReadNetwork, ManageNetwork, RunAllowance, OrientHouseholds]),
        (AgencyDoctor, &[ReadHouseholds, ReadNetwork]),
        (AccommodationOperator, &[ReadNetwork]),
        (Planner, &[ReadPlanning, ManageRegister, PlanInterviews]),
        (Interpreter, &[ReadOwnSchedule]),
    ];
    for (r, permitted) in table {
        let p = agent("x", r, Some("africa"), Some(2));
        for a in office_actions() {
            assert_eq!(office_allowed(&p, a), permitted.contains(&a), "{r:?} {a:?}");
        }
    }
}

#[test]
fn auditor_only_reads_the_journal_administrator_manages_accounts_dpo_reviews_accesses() {
    for (r, only) in [
        (Role::Auditor, &[Action::ReadJournal, Action::ReadJournalPayloads, Action::ReadStatistics][..]),
        (Role::Administrator, &[Action::ManageAccounts]),
        (Role::DataProtectionOfficer, &[Action::ReviewPayloadAccess]),
    ] {
        let p = role(r);
        for a in Action::ALL {
            let resource = resource_for(a);
            assert_eq!(authz().decide(&p, a, &resource).allowed, only.contains(&a), "{r:?} {a:?}");
        }
    }
}

// ---- the decision's details ---------------------------------------------------------------------------------------

#[test]
fn the_decision_names_the_determining_policies() {
    let d = authz().decide(&officer(), Action::ReadCase, &Resource::Case(case()));
    assert!(d.allowed);
    assert_eq!(d.policies, ["case-read-officer"]);

    let d = authz().decide(&officer(), Action::ReadJournal, &Resource::Office);
    assert!(!d.allowed);
    assert!(d.policies.is_empty());
    assert!(d.errors.is_empty());
}

#[test]
fn mismatched_action_and_resource_is_a_deny_with_an_error() {
    for a in Action::ALL {
        let wrong = if a.on_case() { Resource::Office } else { Resource::Case(case()) };
        for r in Role::ALL {
            let d = authz().decide(&agent("x", r, Some("africa"), Some(2)), a, &wrong);
            assert!(!d.allowed, "{r:?} {a:?}");
            assert!(!d.errors.is_empty(), "{r:?} {a:?}");
        }
    }
}

#[test]
fn odd_strings_are_data_not_syntax() {
    let p = agent("o\"; permit(principal,action,resource);", Role::ProtectionOfficer, Some("africa\""), None);
    let c = CaseAttrs { number: "\"::\n".into(), officer: Some(p.login.clone()), ..other_division_case() };
    assert!(allowed(&p, Action::ReadCase, &c));
    assert!(!allowed(&p, Action::SignDecision, &c));
}

// ---- documents and originals ------------------------------------------------------------------------------------

#[test]
fn documents_are_read_by_who_reads_the_case_and_filed_by_secretaries_and_the_assigned_officer() {
    let secretary = agent("s", Role::DigitizationSecretary, Some("africa"), None);
    let archivist = role(Role::Archivist);
    for c in [case(), other_division_case()] {
        assert!(allowed(&secretary, Action::ReadDocuments, &c));
        assert!(allowed(&secretary, Action::FileDocuments, &c));
        assert!(allowed(&secretary, Action::KeepOriginals, &c));
        // The archivist keeps the paper, not the file's content.
        assert!(allowed(&archivist, Action::KeepOriginals, &c));
        assert!(!allowed(&archivist, Action::ReadDocuments, &c));
        assert!(!allowed(&archivist, Action::ReadCase, &c));
    }
    assert!(allowed(&officer(), Action::ReadDocuments, &case()));
    assert!(!allowed(&officer(), Action::ReadDocuments, &other_division_case()));
    assert!(!allowed(&officer(), Action::FileDocuments, &case()), "not assigned");
    let assigned = CaseAttrs { officer: Some("o.africa".into()), ..other_division_case() };
    assert!(allowed(&officer(), Action::FileDocuments, &assigned));
    assert!(!allowed(&officer(), Action::KeepOriginals, &assigned));
    for r in [Role::ResearchAssistant, Role::ReceptionAgent, Role::Administrator, Role::Auditor] {
        for a in [Action::ReadDocuments, Action::FileDocuments, Action::KeepOriginals] {
            assert!(!allowed(&role(r), a, &case()), "{r:?} {a:?}");
        }
    }
}

#[test]
fn originals_are_listed_by_secretaries_and_archivists_only() {
    for r in Role::ALL {
        let expected = matches!(r, Role::DigitizationSecretary | Role::Archivist);
        assert_eq!(office_allowed(&role(r), Action::ListOriginals), expected, "{r:?}");
    }
}

/// The memo gives the answer Cedar gives, for every role, action and status, whatever the case's
/// number (which no policy reads), asked twice (the second time from the memo).
#[test]
fn remembered_answers_are_the_policies_answers() {
    let fresh = Authorizer::embedded().expect("the embedded policies load");
    let statuses = ["registered", "complete", "assigned", "under_review", "signed", "notified", "final"];
    let mut principals: Vec<Principal> = Role::ALL.iter().map(|r| role(*r)).collect();
    principals.extend([officer(), head(), agent("o.asia", Role::ProtectionOfficer, Some("asia"), Some(2))]);
    for p in &principals {
        for a in Action::ALL {
            for (i, status) in statuses.iter().enumerate() {
                for assigned in [None, Some("o.africa".to_owned())] {
                    let c = CaseAttrs {
                        number: format!("2026-{:07}", i + 1),
                        status: (*status).into(),
                        officer: assigned.clone(),
                        ..case()
                    };
                    let resource = if a.on_case() { Resource::Case(c.clone()) } else { resource_for(a) };
                    let evaluated = fresh.evaluate(p, a, &resource);
                    assert_eq!(fresh.decide(p, a, &resource), evaluated, "{a:?} by {p:?} on {c:?}");
                    assert_eq!(fresh.decide(p, a, &resource), evaluated, "{a:?} by {p:?} on {c:?}, remembered");
                    let other = match &resource {
                        Resource::Case(c) => Resource::Case(CaseAttrs { number: "2026-0999999".into(), ..c.clone() }),
                        other => other.clone(),
                    };
                    assert_eq!(fresh.evaluate(p, a, &other), evaluated, "the number changes nothing");
                }
            }
        }
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

// ---- statistics and harmonisation ----------------------------------------------------------------------------------

fn unit_at(level: &str, division: Option<&str>, section: Option<u8>, officer: Option<&str>) -> nansen_authz::UnitAttrs {
    nansen_authz::UnitAttrs {
        level: level.into(),
        division: division.map(Into::into),
        section,
        officer: officer.map(Into::into),
    }
}

fn sees(p: &Principal, u: &nansen_authz::UnitAttrs) -> bool {
    let d = authz().decide(p, Action::ReadHarmonisation, &Resource::Unit(u.clone()));
    assert!(d.errors.is_empty(), "{p:?} {u:?}: {:?}", d.errors);
    d.allowed
}

#[test]
fn harmonisation_figures_reach_only_those_who_lead_the_unit_and_the_officer_themselves() {
    let office = unit_at("office", None, None, None);
    let africa = unit_at("division", Some("africa"), None, None);
    let asia = unit_at("division", Some("asia"), None, None);
    let section = unit_at("section", Some("africa"), Some(2), None);
    let other_section = unit_at("section", Some("africa"), Some(1), None);
    let me = unit_at("officer", Some("africa"), Some(2), Some("o.africa"));
    let colleague = unit_at("officer", Some("africa"), Some(2), Some("o.other"));
    let elsewhere = unit_at("officer", Some("asia"), Some(1), Some("o.asia"));
    let all = [&office, &africa, &asia, &section, &other_section, &me, &colleague, &elsewhere];
    let check = |p: &Principal, expected: [bool; 8]| {
        let got: Vec<bool> = all.iter().map(|u| sees(p, u)).collect();
        assert_eq!(got, expected, "{p:?}");
    };
    check(&officer(), [true, false, false, true, false, true, false, false]);
    check(&head(), [true, true, false, true, false, true, true, false]);
    check(
        &agent("d.africa", Role::DivisionHead, Some("africa"), None),
        [true, true, false, true, true, true, true, false],
    );
    for r in [Role::HarmonisationOfficer, Role::Director] {
        check(&role(r), [true; 8]);
    }
    for r in Role::ALL {
        if ![Role::ProtectionOfficer, Role::SectionHead, Role::DivisionHead, Role::HarmonisationOfficer, Role::Director]
            .contains(&r)
        {
            check(&agent("x", r, Some("africa"), Some(2)), [false; 8]);
        }
    }
}

#[test]
fn statistics_and_reference_notes() {
    let readers = [Role::Director, Role::DivisionHead, Role::SectionHead, Role::HarmonisationOfficer, Role::Auditor];
    for r in Role::ALL {
        assert_eq!(office_allowed(&role(r), Action::ReadStatistics), readers.contains(&r), "{r:?}");
        assert_eq!(office_allowed(&role(r), Action::ManageReferenceNotes), r == Role::HarmonisationOfficer, "{r:?}");
    }
    assert!(office_allowed(&officer(), Action::ReadReferenceNotes));
    assert!(!office_allowed(&role(Role::ReceptionAgent), Action::ReadReferenceNotes));
    assert!(!office_allowed(&role(Role::Auditor), Action::ReadReferenceNotes));
    // The new roles read no case.
    for r in [Role::Director, Role::DivisionHead, Role::HarmonisationOfficer] {
        for a in case_actions() {
            assert!(!allowed(&agent("x", r, Some("africa"), Some(2)), a, &case()), "{r:?} {a:?}");
        }
    }
}

// ---- appeals (workspace `protection`) ----------------------------------------------------------------------------

#[test]
fn only_legal_consultants_follow_appeals_and_only_while_there_is_one() {
    let appeal_actions = [Action::RecordAppeal, Action::DraftDefence, Action::ReviewDefence];
    for status in ["registered", "under_review", "signed", "notified", "appealed", "final", "court_decided"] {
        let c = CaseAttrs { status: status.into(), ..case() };
        for r in Role::ALL {
            let p = agent("x", r, Some("africa"), Some(2));
            for a in appeal_actions {
                let expected = r == Role::LegalConsultant
                    && match a {
                        Action::RecordAppeal => ["notified", "appealed", "final", "court_decided"].contains(&status),
                        _ => status == "appealed",
                    };
                assert_eq!(allowed(&p, a, &c), expected, "{r:?} {a:?} {status}");
            }
        }
    }
}

// ---- civil status (workspace `protection`) -----------------------------------------------------------------------

#[test]
fn only_civil_registrars_keep_civil_status_and_only_for_protected_people() {
    for granted in [false, true] {
        for status in ["notified", "appealed", "final", "court_decided"] {
            let c = CaseAttrs { status: status.into(), protection_granted: granted, ..case() };
            for r in Role::ALL {
                let p = agent("x", r, Some("africa"), Some(2));
                let registrar = r == Role::CivilRegistrar;
                assert_eq!(allowed(&p, Action::ReadCivilStatus, &c), registrar && granted, "{r:?} read {status}");
                let record = registrar && granted && ["final", "court_decided"].contains(&status);
                assert_eq!(allowed(&p, Action::RecordCivilStatus, &c), record, "{r:?} record {status}");
                // The account of fears stays out of the registrar's reach.
                if registrar {
                    assert!(!allowed(&p, Action::ReadInterview, &c));
                    assert!(!allowed(&p, Action::ReadDraft, &c));
                }
            }
        }
    }
}

#[test]
fn only_registrars_follow_up_girls_and_only_the_director_signs_reports() {
    for granted in [false, true] {
        for status in ["notified", "final", "court_decided"] {
            let c = CaseAttrs { status: status.into(), protection_granted: granted, ..case() };
            for r in Role::ALL {
                let p = agent("x", r, Some("africa"), Some(2));
                let keep = r == Role::CivilRegistrar && granted && status != "notified";
                assert_eq!(allowed(&p, Action::FollowUpFgm, &c), keep, "{r:?} {status}");
                assert_eq!(allowed(&p, Action::SignFgmReport, &c), r == Role::Director && granted, "{r:?} {status}");
            }
        }
    }
}

// ---- end of protection (workspace `protection`) ------------------------------------------------------------------

#[test]
fn an_officer_of_the_division_prepares_the_end_of_a_final_protection_and_a_section_head_signs_it() {
    for granted in [false, true] {
        for status in ["notified", "appealed", "final", "court_decided"] {
            for division in ["africa", "asia"] {
                let c = CaseAttrs { status: status.into(), protection_granted: granted, ..case() };
                for r in Role::ALL {
                    let p = agent("x", r, Some(division), Some(3));
                    let open = granted && ["final", "court_decided"].contains(&status) && division == "africa";
                    assert_eq!(
                        allowed(&p, Action::PrepareEnding, &c),
                        r == Role::ProtectionOfficer && open,
                        "{r:?} prepare {status} {division}"
                    );
                    assert_eq!(
                        allowed(&p, Action::SignEnding, &c),
                        r == Role::SectionHead && open,
                        "{r:?} sign {status} {division}"
                    );
                }
            }
        }
    }
}

// ---- the reception agency -----------------------------------------------------------------------------------------

fn agency(login: &str, r: Role, unit: &str) -> Principal {
    agent(login, r, Some(unit), None)
}

/// The two organisations share a platform, not a file: no agency role does anything to a case,
/// and no office role anything to a household or a structure.
#[test]
fn the_agency_and_the_office_see_nothing_of_each_other() {
    let everything = CaseAttrs { pooled: true, status: "final".into(), protection_granted: true, ..case() };
    for r in [Role::ReceptionAgent, Role::RegionalDirector, Role::AgencyDoctor, Role::AccommodationOperator] {
        for unit in ["IDF", "adoma", "africa"] {
            let p = agency("x", r, unit);
            for a in case_actions() {
                assert!(!allowed(&p, a, &everything), "{r:?} {a:?}");
            }
        }
    }
    let agency_roles = [Role::ReceptionAgent, Role::RegionalDirector, Role::AgencyDoctor, Role::AccommodationOperator];
    for r in Role::ALL.into_iter().filter(|r| !agency_roles.contains(r)) {
        for unit in [Some("IDF"), Some("adoma"), Some("africa"), None] {
            let p = agent("x", r, unit, Some(1));
            for a in Action::ALL.into_iter().filter(|a| a.on_household() || a.on_structure()) {
                assert!(!authz().decide(&p, a, &resource_for(a)).allowed, "{r:?} {a:?}");
            }
        }
    }
}

#[test]
fn a_household_is_seen_in_its_region_and_its_medical_notes_by_the_doctor_alone() {
    let h = Resource::Household(household());
    let elsewhere = Resource::Household(HouseholdAttrs { region: "NAQ".into(), ..household() });
    let ask = |p: &Principal, a: Action, r: &Resource| authz().decide(p, a, r).allowed;
    let agent_idf = agency("a", Role::ReceptionAgent, "IDF");
    let director_idf = agency("d", Role::RegionalDirector, "IDF");
    let doctor_idf = agency("m", Role::AgencyDoctor, "IDF");
    for p in [&agent_idf, &director_idf, &doctor_idf] {
        assert!(ask(p, Action::ReadHousehold, &h));
        assert!(!ask(p, Action::ReadHousehold, &elsewhere));
    }
    assert!(ask(&agent_idf, Action::RecordHousehold, &h));
    assert!(!ask(&agent_idf, Action::RecordHousehold, &elsewhere));
    assert!(!ask(&director_idf, Action::RecordHousehold, &h));
    assert!(ask(&doctor_idf, Action::RecordMedical, &h));
    assert!(!ask(&doctor_idf, Action::RecordMedical, &elsewhere));
    for p in [&agent_idf, &director_idf] {
        assert!(!ask(p, Action::RecordMedical, &h), "{p:?}");
    }
    assert!(ask(&director_idf, Action::DecideAllowance, &h));
    assert!(!ask(&agent_idf, Action::DecideAllowance, &h));
    let operator = agency("o", Role::AccommodationOperator, "adoma");
    for a in Action::ALL.into_iter().filter(Action::on_household) {
        assert!(!ask(&operator, a, &h), "{a:?}");
    }
}

#[test]
fn an_operator_declares_for_its_own_structures_only() {
    let own = Resource::Structure(structure());
    let other = Resource::Structure(StructureAttrs { operator: "coallia".into(), ..structure() });
    let ask = |p: &Principal, a: Action, r: &Resource| authz().decide(p, a, r).allowed;
    let operator = agency("o", Role::AccommodationOperator, "adoma");
    for a in [Action::ReadStructure, Action::DeclareOccupancy, Action::PlaceHousehold] {
        assert!(ask(&operator, a, &own), "{a:?}");
        assert!(!ask(&operator, a, &other), "{a:?}");
    }
    let agent_idf = agency("a", Role::ReceptionAgent, "IDF");
    let agent_naq = agency("a", Role::ReceptionAgent, "NAQ");
    assert!(ask(&agent_idf, Action::ReadStructure, &own));
    assert!(ask(&agent_naq, Action::ReadStructure, &own), "the network is national");
    assert!(ask(&agent_idf, Action::PlaceHousehold, &own));
    assert!(!ask(&agent_naq, Action::PlaceHousehold, &own));
    assert!(!ask(&agent_idf, Action::DeclareOccupancy, &own), "occupancy is the operator's word");
    // An operator without an operator id is refused, not an error of evaluation.
    let bare = agent("o", Role::AccommodationOperator, None, None);
    assert!(!ask(&bare, Action::DeclareOccupancy, &own));
}

fn officer_unit(division: &str, officer: &str) -> nansen_authz::UnitAttrs {
    unit_at("officer", Some(division), Some(1), Some(officer))
}

#[test]
fn an_officers_calendar_is_kept_by_the_officer_and_their_divisions_planners_and_heads() {
    let keeps = |p: &Principal, u: &nansen_authz::UnitAttrs| {
        authz().decide(p, Action::KeepCalendar, &Resource::Unit(u.clone())).allowed
    };
    let own = officer_unit("africa", "opi.x");
    assert!(keeps(&agent("opi.x", Role::ProtectionOfficer, Some("africa"), Some(1)), &own));
    assert!(!keeps(&agent("opi.y", Role::ProtectionOfficer, Some("africa"), Some(1)), &own), "a colleague's");
    assert!(keeps(&agent("plan.a", Role::Planner, Some("africa"), None), &own));
    assert!(keeps(&agent("cs.a", Role::SectionHead, Some("africa"), Some(2)), &own));
    assert!(!keeps(&agent("plan.b", Role::Planner, Some("asia"), None), &own), "another division's");
    for r in Role::ALL.into_iter().filter(|r| ![Role::ProtectionOfficer, Role::Planner, Role::SectionHead].contains(r))
    {
        assert!(!keeps(&agent("opi.x", r, Some("africa"), Some(1)), &own), "{r:?}");
    }
}

#[test]
fn an_interpreter_sees_nothing_but_their_own_schedule() {
    let p = agent("int.x", Role::Interpreter, Some("africa"), Some(1));
    let everything = CaseAttrs {
        pooled: true,
        status: "final".into(),
        protection_granted: true,
        recording_open: true,
        officer: Some("int.x".into()),
        ..case()
    };
    for a in Action::ALL {
        let resource = if a.on_case() { Resource::Case(everything.clone()) } else { resource_for(a) };
        assert_eq!(authz().decide(&p, a, &resource).allowed, a == Action::ReadOwnSchedule, "{a:?}");
    }
}

#[test]
fn a_recording_is_heard_only_after_a_rejection_or_subsidiary_protection_and_only_by_the_appeal_side() {
    let signed = |open: bool| CaseAttrs {
        status: "notified".into(),
        officer: Some("opi.x".into()),
        recording_open: open,
        ..case()
    };
    let heard =
        |p: &Principal, c: &CaseAttrs| authz().decide(p, Action::ListenRecording, &Resource::Case(c.clone())).allowed;
    let consultant = agent("jur.x", Role::LegalConsultant, None, None);
    let head = agent("cs.x", Role::SectionHead, Some("africa"), Some(2));
    let officer = agent("opi.x", Role::ProtectionOfficer, Some("africa"), Some(2));
    let colleague = agent("opi.y", Role::ProtectionOfficer, Some("africa"), Some(2));
    for p in [&consultant, &head, &officer] {
        assert!(heard(p, &signed(true)), "{:?} hears it after a rejection or subsidiary protection", p.role);
        assert!(!heard(p, &signed(false)), "{:?} hears nothing before, or after refugee status", p.role);
    }
    assert!(!heard(&colleague, &signed(true)), "another officer does not");
    for r in Role::ALL {
        let p = agent("someone", r, Some("africa"), Some(2));
        if ![Role::LegalConsultant, Role::SectionHead, Role::ProtectionOfficer].contains(&r) {
            assert!(!heard(&p, &signed(true)), "{r:?} never hears a recording");
        }
    }
}

// ---- research requests --------------------------------------------------------------------------------------------

#[test]
fn the_cases_own_officer_asks_the_research_division_while_the_case_is_examined() {
    let mine = CaseAttrs { officer: Some(officer().login.clone()), ..case() };
    for status in ["assigned", "interview_scheduled", "interviewed", "decision_drafted", "returned_to_officer"] {
        let c = CaseAttrs { status: status.into(), ..mine.clone() };
        assert!(allowed(&officer(), Action::AskResearch, &c), "{status}");
        let colleague = agent("o.colleague", Role::ProtectionOfficer, Some("africa"), Some(2));
        assert!(!allowed(&colleague, Action::AskResearch, &c), "another officer, {status}");
        assert!(!allowed(&head(), Action::AskResearch, &c), "the section head, {status}");
    }
    for status in ["registered", "under_review", "signed", "notified", "final", "closed"] {
        let c = CaseAttrs { status: status.into(), ..mine.clone() };
        assert!(!allowed(&officer(), Action::AskResearch, &c), "{status}");
    }
}

#[test]
fn a_research_assistant_answers_questions_and_never_reads_any_case() {
    let assistant = agent("didr.x", Role::ResearchAssistant, Some("africa"), Some(2));
    for c in [case(), other_division_case(), CaseAttrs { pooled: true, officer: Some("didr.x".into()), ..case() }] {
        for a in case_actions() {
            assert!(!allowed(&assistant, a, &c), "{a:?}");
        }
    }
    assert!(office_allowed(&assistant, Action::ReadResearchQueue));
    assert!(office_allowed(&assistant, Action::AnswerResearch));
    for r in Role::ALL.into_iter().filter(|r| *r != Role::ResearchAssistant) {
        let p = agent("x", r, Some("africa"), Some(2));
        assert!(!office_allowed(&p, Action::ReadResearchQueue), "{r:?}");
        assert!(!office_allowed(&p, Action::AnswerResearch), "{r:?}");
    }
}
