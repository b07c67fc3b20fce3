//! Property tests of the case lifecycle: arbitrary sequences of (actor, command, time advance), biased towards
//! the legal next command so that runs reach deep states, go through `decide` then `evolve`, and must
//!
//! 1. never panic,
//! 2. leave every intermediate case satisfying `Case::check_invariants`,
//! 3. keep the two forms the store keeps in agreement: the case as stored in its read table (its JSON, read
//!    back) equals the replay of its events as journaled (each event's JSON, read back),
//! 4. produce events that round-trip exactly through serde_json,
//! 5. refuse a command as an illegal transition exactly when `Case::allows` says its kind is not allowed,
//! 6. leave no trace of a refused command: a run with refused commands interleaved decides every other command
//!    the same way, and ends in the same case with the same events, as the run without them (`decide` and
//!    `evolve` keep no state of their own).

use std::collections::BTreeMap;

use nansen_domain::documents::{self, DocumentKind};
use nansen_domain::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use time::{Date, Duration, OffsetDateTime};

const ACTORS: [&str; 4] = ["clerk", "officer.a", "officer.b", "head.s1"];

#[derive(Debug, Clone)]
struct Step {
    actor: usize,
    /// Take the legal next command (most of the time) or an arbitrary one.
    legal: bool,
    /// Picks among variants and parameters.
    pick: u32,
    advance: Duration,
}

fn advance() -> impl Strategy<Value = Duration> {
    prop_oneof![
        4 => (0i64..180).prop_map(Duration::minutes),
        3 => (1i64..48).prop_map(Duration::hours),
        3 => (1i64..6).prop_map(Duration::days),
        2 => (14i64..20).prop_map(Duration::days),
        1 => (30i64..70).prop_map(Duration::days),
        1 => (200i64..320).prop_map(Duration::days),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (0usize..ACTORS.len(), prop::bool::weighted(0.85), any::<u32>(), advance())
        .prop_map(|(actor, legal, pick, advance)| Step { actor, legal, pick, advance })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 1..70)
}

fn login(s: &str) -> Login {
    Login::parse(s).expect("valid login")
}

fn days(d: Date, n: i64) -> Date {
    d + Duration::days(n)
}

/// A small deterministic generator of choices from one `pick`.
struct Picker(u32);

impl Picker {
    fn next(&mut self, n: usize) -> usize {
        // xorshift: spread the bits, then take a bucket.
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        (self.0 as usize) % n.max(1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.next(100) < percent
    }

    fn of<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.next(items.len())].clone()
    }
}

fn person(p: &mut Picker, role: FamilyRole, nationality: Nationality) -> Person {
    let family = p.of(&[("حداد", "Haddad"), ("Kaya", "Kaya"), ("ابراهیمی", "Ebrahimi"), ("Diallo", "Diallo")]);
    let given = p.of(&[("ليلى", "Layla"), ("Mehmet", "Mehmet"), ("", ""), ("Aïssatou", "Aissatou")]);
    let birth_date = match p.next(4) {
        // Children are minors (a girl among them may be followed up for FGM).
        _ if role == FamilyRole::Child => BirthDate::Year(2012 + p.next(12) as i32),
        0 => BirthDate::Exact(Date::from_calendar_date(1990, time::Month::April, 2).expect("valid")),
        1 => BirthDate::YearMonth { year: 1985 + p.next(20) as i32, month: 1 + p.next(12) as u8 },
        2 => BirthDate::Year(1960 + p.next(50) as i32),
        _ => BirthDate::Unknown,
    };
    Person {
        role,
        family_name: Name::new(family.0, family.1),
        given_names: Name::new(given.0, given.1),
        birth_date,
        sex: p.of(&[Sex::Female, Sex::Male, Sex::Unspecified]),
        nationality,
        birth_place: if p.chance(50) { Some("Kabul".into()) } else { None },
    }
}

fn registration(p: &mut Picker, today: Date, seq: u32) -> Registration {
    let kind = p.of(&[
        ApplicationKind::Asylum,
        ApplicationKind::Asylum,
        ApplicationKind::Asylum,
        ApplicationKind::ReExamination,
        ApplicationKind::Statelessness,
    ]);
    let procedure = if kind == ApplicationKind::Statelessness {
        Procedure::Normal
    } else {
        let mut grounds = vec![
            AcceleratedGround::SafeCountryOfOrigin,
            AcceleratedGround::LateApplication,
            AcceleratedGround::FalseDocuments,
            AcceleratedGround::PublicOrderThreat,
        ];
        if kind == ApplicationKind::ReExamination {
            grounds.push(AcceleratedGround::AdmissibleReExamination);
        }
        match p.next(6) {
            0 => Procedure::Accelerated(p.of(&grounds)),
            1 => Procedure::Detention,
            2 => Procedure::Border,
            _ => Procedure::Normal,
        }
    };
    let nationality = Nationality::parse(p.of(&["AFG", "SYR", "GIN", "TUR", "XXA"])).expect("valid");
    let family = (0..p.next(3))
        .map(|_| {
            let role = p.of(&[FamilyRole::Spouse, FamilyRole::Child, FamilyRole::Child, FamilyRole::Parent]);
            person(p, role, nationality)
        })
        .collect();
    let missing = if p.chance(30) { vec!["birth certificate".to_owned()] } else { vec![] };
    Registration {
        number: CaseNumber::new(today.year(), seq).expect("valid"),
        kind,
        procedure,
        nationality,
        language: Language::parse(p.of(&["ar", "prs", "ps", "tr", "ku", "fr"])).expect("valid"),
        applicant: person(p, FamilyRole::Applicant, nationality),
        family,
        introduced_on: days(today, -(p.next(20) as i64)),
        missing,
    }
}

fn outcome(p: &mut Picker, kind: ApplicationKind) -> Outcome {
    let refugee = Outcome::RefugeeStatus {
        basis: p.of(&[RefugeeBasis::Convention, RefugeeBasis::Convention, RefugeeBasis::Constitutional]),
        grounds: p.of(&[
            vec![ConventionGround::PoliticalOpinion],
            vec![ConventionGround::Religion, ConventionGround::Nationality],
            vec![ConventionGround::SocialGroup],
        ]),
    };
    let subsidiary = Outcome::SubsidiaryProtection {
        basis: p.of(&[
            SubsidiaryBasis::DeathPenalty,
            SubsidiaryBasis::Torture,
            SubsidiaryBasis::IndiscriminateViolence,
        ]),
    };
    let options: Vec<Outcome> = match kind {
        ApplicationKind::Statelessness => vec![Outcome::Stateless, Outcome::Rejection, Outcome::Rejection],
        ApplicationKind::ReExamination => vec![
            refugee,
            subsidiary,
            Outcome::Rejection,
            Outcome::Inadmissibility(InadmissibilityGround::ReExaminationWithoutNewElements),
        ],
        ApplicationKind::Asylum => vec![
            refugee,
            subsidiary,
            Outcome::Rejection,
            Outcome::Rejection,
            Outcome::Inadmissibility(InadmissibilityGround::ProtectionInOtherMemberState),
            Outcome::Closure(ClosureGround::RefusalToProvideInformation),
        ],
    };
    p.of(&options)
}

fn draft(p: &mut Picker, kind: ApplicationKind) -> DecisionDraft {
    let outcome = outcome(p, kind);
    let exclusion = if outcome == Outcome::Rejection && p.chance(20) {
        Some(p.of(&[ExclusionClause::Art1Fa, ExclusionClause::Art1Fb, ExclusionClause::SubsidiaryL512_2]))
    } else {
        None
    };
    DecisionDraft {
        outcome,
        exclusion,
        facts: "Facts as established.".into(),
        law: "Law as applied.".into(),
        sources: Vec::new(),
    }
}

fn court_outcome(p: &mut Picker) -> CourtOutcome {
    p.of(&[
        CourtOutcome::AppealRejected,
        CourtOutcome::RefugeeStatusGranted,
        CourtOutcome::SubsidiaryProtectionGranted,
        CourtOutcome::DecisionAnnulled,
    ])
}

fn officer_of(case: &Case) -> Login {
    case.officer.clone().unwrap_or_else(|| login("officer.a"))
}

/// The command a diligent office would issue next, with the right actor; sometimes a withdrawal or closure.
fn legal_next(case: &Case, now: OffsetDateTime, p: &mut Picker, rules: &Rules) -> (Login, Command) {
    let today = now.date();
    let clerk = login("clerk");
    let head = login("head.s1");
    if case.status.is_pre_decision() && p.chance(3) {
        let ground = p.of(&[ClosureGround::Withdrawal, ClosureGround::RefusalToProvideInformation]);
        return (clerk, if p.chance(50) { Command::Withdraw } else { Command::Close { ground } });
    }
    match case.status {
        Status::Unregistered => {
            let seq = 1 + p.next(9_999_999) as u32;
            (clerk, Command::Register(registration(p, today, seq)))
        }
        Status::Registered | Status::Incomplete => {
            if p.chance(20) {
                (clerk, Command::MarkIncomplete { missing: vec!["photo".into(), "passport copy".into()] })
            } else {
                (clerk, Command::MarkComplete)
            }
        }
        Status::Complete => {
            let division = rules.division_of(case.nationality, today).unwrap_or(DivisionId::EuropeMiddleEast);
            let officer = login(p.of(&["officer.a", "officer.b"]));
            (clerk, Command::Assign { officer, division, section: SectionId::new(1 + p.next(4) as u8).expect("valid") })
        }
        Status::Assigned => {
            if p.chance(5) {
                (officer_of(case), Command::DraftDecision(draft(p, case.kind)))
            } else if p.chance(5) {
                (clerk, Command::ExtendDeadline { months: 9, reason: "complex case".into() })
            } else {
                let on = days(today, p.next(20) as i64);
                (
                    clerk,
                    Command::ScheduleInterview(Interview::new(
                        on,
                        p.of(&[InterviewMode::InPerson, InterviewMode::VideoLink]),
                    )),
                )
            }
        }
        Status::InterviewScheduled => {
            let on = case.interview.as_ref().map_or(today, |i| i.on);
            if case.unexcused_absence().is_some() {
                (clerk, Command::Close { ground: ClosureGround::AbsenceFromInterview })
            } else if on <= today && p.chance(8) {
                (officer_of(case), Command::RecordAbsence { on, excused: p.chance(50), reason: "Malade.".into() })
            } else {
                (
                    officer_of(case),
                    Command::RecordInterview {
                        held_on: if on <= today { today } else { on },
                        record: Default::default(),
                    },
                )
            }
        }
        Status::Interviewed => {
            if case.procedure == Procedure::Normal && case.kind != ApplicationKind::Statelessness && p.chance(10) {
                (officer_of(case), Command::ReclassifyAccelerated { ground: AcceleratedGround::FalseDocuments })
            } else {
                (officer_of(case), Command::DraftDecision(draft(p, case.kind)))
            }
        }
        Status::DecisionDrafted => (officer_of(case), Command::SubmitForReview),
        Status::UnderReview => {
            if p.chance(20) {
                (head, Command::ReturnToOfficer { comments: "Please develop the analysis.".into() })
            } else {
                (head, Command::Sign)
            }
        }
        Status::ReturnedToOfficer => (officer_of(case), Command::DraftDecision(draft(p, case.kind))),
        Status::Signed => match case.made_available_at {
            None if p.chance(50) => (clerk, Command::MakeAvailable),
            None => (
                clerk,
                Command::NotifyDecision { letter: letter(DocumentKind::Decision, today), reference: reference(p) },
            ),
            Some(m) if now - m >= Duration::days(15) => (clerk, Command::DeemNotified),
            Some(_) => {
                // The applicant opens the decision in their space when there is one to open.
                let decision =
                    case.documents.iter().find(|d| d.document.kind == DocumentKind::Decision && d.shared.is_some());
                match decision {
                    Some(d) if p.chance(50) => (login("applicant-1"), Command::OpenDocument { document: d.id }),
                    _ => (
                        clerk,
                        if p.chance(50) { Command::RecordFirstOpening { at: now } } else { Command::DeemNotified },
                    ),
                }
            }
        },
        Status::Notified => {
            let pending = case.legal_aid.last().is_some_and(|l| l.decided_on.is_none());
            match p.next(5) {
                0 if pending => (clerk, Command::DecideLegalAid { on: today }),
                0 => (clerk, Command::RequestLegalAid { on: today }),
                1 => (clerk, Command::LodgeAppeal { on: today, notice: None }),
                2 => (clerk, Command::LodgeAppeal { on: today, notice: Some(notice(p)) }),
                _ => (clerk, Command::BecomeFinal),
            }
        }
        Status::Appealed => {
            let stage = case.defence_stage();
            let consultant = login(p.of(&["consultant.a", "consultant.b"]));
            match p.next(6) {
                0 if case.appeal.is_some() && stage.is_none_or(|s| s == protection::DefenceStage::Returned) => {
                    (consultant, Command::DraftDefence { text: "The office maintains its decision.".into() })
                }
                0 if stage == Some(protection::DefenceStage::Drafted) => {
                    (consultant, Command::ReviewDefence { approve: p.chance(70), comments: "Cite the sources.".into() })
                }
                0 if stage == Some(protection::DefenceStage::Approved) => {
                    (consultant, Command::SendDefence { on: today })
                }
                1 if case.appeal.is_some() => (
                    consultant,
                    Command::ScheduleHearing {
                        on: today + Duration::days(31),
                        notified_on: today,
                        formation: p.of(&protection::Formation::ALL),
                    },
                ),
                _ => (clerk, Command::RecordCourtRuling { on: today, ruling: court_outcome(p) }),
            }
        }
        Status::Closed => (clerk, Command::Reopen),
        Status::Final | Status::CourtDecided if case.court_ruling.is_some() && p.chance(30) => {
            (clerk, Command::LodgeCassation { on: today, by: protection::CassationParty::Office })
        }
        Status::Final | Status::CourtDecided if case.protection_final() && p.chance(30) => {
            let girl_without = case
                .persons()
                .iter()
                .enumerate()
                .find(|(i, x)| {
                    x.sex == nansen_domain::Sex::Female
                        && protection::fgm::majority(&x.birth_date).is_some_and(|m| m > today)
                        && !case.fgm.iter().any(|f| usize::from(f.person) == *i)
                })
                .map(|(i, _)| i as u16);
            let keeper = login("registrar.a");
            match (girl_without, case.fgm.first()) {
                (Some(person), _) if case.fgm.is_empty() || p.chance(30) => {
                    (keeper, Command::OpenFgmFollowUp { person })
                }
                (_, Some(f)) if f.unsigned_reports() > 0 && p.chance(50) => {
                    let report = f.reports.iter().position(|r| r.signed_by.is_none()).map_or(1, |i| i as u32 + 1);
                    (login("dg.a"), Command::SignFgmReport { person: f.person, report })
                }
                (_, Some(f)) => match p.next(4) {
                    0 => (
                        keeper,
                        Command::SendFgmLetter {
                            person: f.person,
                            on: today,
                            letter: p.chance(50).then(|| letter(DocumentKind::FgmLetter, today)),
                            reference: Some(reference(p)),
                        },
                    ),
                    1 => (
                        keeper,
                        Command::ReceiveFgmCertificate {
                            person: f.person,
                            examined_on: today,
                            mutilation_found: p.chance(10),
                            document: letter(DocumentKind::FgmCertificate, today),
                        },
                    ),
                    2 => (
                        keeper,
                        Command::ReportFgmIncident {
                            person: f.person,
                            on: today,
                            kind: p.of(&protection::IncidentKind::ALL),
                        },
                    ),
                    _ => (
                        keeper,
                        Command::AdvanceFgmExamination {
                            person: f.person,
                            on: today,
                            grounds: "Signalement de l'école.".into(),
                        },
                    ),
                },
                _ => (clerk, Command::Withdraw),
            }
        }
        Status::Final | Status::CourtDecided
            if case.open_ending().is_some() || (case.protection_final() && p.chance(8)) =>
        {
            let officer = login("officer.p");
            match case.open_ending() {
                None => (
                    officer,
                    Command::OpenEnding {
                        ground: p.of(&protection::EndingGround::ALL),
                        facts: FACTS.into(),
                        letter: letter(DocumentKind::EndingLetter, today),
                        reference: reference(p),
                    },
                ),
                Some(e) if e.draft.is_some() => (
                    login("head.p"),
                    Command::SignEnding {
                        letter: letter(DocumentKind::EndingDecision, today),
                        reference: reference(p),
                    },
                ),
                Some(e) if e.answer.is_none() && p.chance(50) => (
                    login("applicant"),
                    Command::RecordEndingAnswer { received_on: today, text: "Je conteste.".into(), via_portal: true },
                ),
                Some(_) => (officer, Command::DraftEnding { ends: p.chance(60), reasons: REASONS.into() }),
            }
        }
        Status::Final | Status::CourtDecided if case.protection_final() && p.chance(60) => {
            let registrar = login("registrar.a");
            match p.next(3) {
                0 if !case.civil_acts.is_empty() => {
                    (registrar, Command::AddMention { act: some_act(case, p), mention: mention(p, today) })
                }
                1 if !case.civil_acts.is_empty() => {
                    let act = some_act(case, p);
                    let version = case.civil_act(act).map_or(0, |a| a.version());
                    (
                        registrar,
                        Command::IssueCopy {
                            act,
                            copy: format!("c{:019}", p.next(1_000_000)),
                            version,
                            letter: letter(DocumentKind::CertifiedCopy, today),
                            reference: reference(p),
                            requested: p.chance(30),
                        },
                    )
                }
                2 if case.has_family_acts() && p.chance(20) => (
                    registrar,
                    Command::IssueFamilyBook {
                        letter: letter(DocumentKind::FamilyBook, today),
                        reference: reference(p),
                    },
                ),
                _ => (registrar, Command::DrawUpAct(Box::new(new_act(case, p, today)))),
            }
        }
        Status::Final | Status::CourtDecided => (clerk, Command::Withdraw),
    }
}

/// An act for a person of the case (or of a person it does not name), valid or not.
fn new_act(case: &Case, p: &mut Picker, today: Date) -> protection::NewAct {
    let kind = p.of(&protection::ActKind::ALL);
    let person = p.next(case.family.len() + 2) as u16;
    let born = nansen_domain::BirthDate::Year(1990);
    let party = protection::Party {
        family_name: nansen_domain::Name::new("احمدی", "Ahmadi"),
        given_names: nansen_domain::Name::new("مریم", "Maryam"),
        born_on: p.of(&[born, nansen_domain::BirthDate::Year(2030)]),
    };
    let event_on = match kind {
        protection::ActKind::Birth => born,
        _ => nansen_domain::BirthDate::Exact(today - Duration::days(p.next(4000) as i64)),
    };
    protection::NewAct {
        number: protection::ActNumber::new(today.year(), 1 + p.next(1_000_000) as u32).expect("valid"),
        kind,
        facts: protection::ActFacts {
            person,
            family_name: nansen_domain::Name::new("احمدی", "Ahmadi"),
            given_names: nansen_domain::Name::new("محمد", "Mohammad"),
            sex: nansen_domain::Sex::Male,
            born_on: if kind == protection::ActKind::Birth { nansen_domain::BirthDate::Unknown } else { born },
            event_on,
            place: nansen_domain::Name::new("کابل", "Kabul"),
            father: None,
            mother: None,
            spouse: (kind == protection::ActKind::Marriage).then_some(party),
        },
        documents: vec![],
    }
}

/// A person with a follow-up, or any person of the case.
fn girl(case: &Case, p: &mut Picker) -> u16 {
    match case.fgm.first() {
        Some(f) if p.chance(80) => f.person,
        _ => p.next(case.family.len() + 2) as u16,
    }
}

/// One of the case's acts, or a number it does not have.
fn some_act(case: &Case, p: &mut Picker) -> protection::ActNumber {
    let known: Vec<protection::ActNumber> = case.civil_acts.iter().map(|a| a.number).collect();
    if known.is_empty() || p.chance(10) {
        protection::ActNumber::new(2020, 999_999).expect("valid")
    } else {
        p.of(&known)
    }
}

fn mention(p: &mut Picker, today: Date) -> protection::NewMention {
    protection::NewMention {
        kind: p.of(&protection::MentionKind::ALL),
        on: today - Duration::days(p.next(30) as i64),
        text: p.of(&["".to_owned(), "Marié le … à Paris.".to_owned()]),
    }
}

/// Any command at all, with parameters near the current date: mostly refused, which is the point.
fn arbitrary(case: &Case, now: OffsetDateTime, actor: Login, p: &mut Picker, _rules: &Rules) -> (Login, Command) {
    let which = p.next(ARBITRARY_KINDS);
    (actor, arbitrary_nth(which, case, now, p))
}

/// How many kinds of command `arbitrary` picks from.
const ARBITRARY_KINDS: usize = 49;

/// The `which`-th kind of arbitrary command.
fn arbitrary_nth(which: usize, case: &Case, now: OffsetDateTime, p: &mut Picker) -> Command {
    let today = now.date();
    let near = |p: &mut Picker| days(today, p.next(61) as i64 - 40);
    match which {
        0 => {
            let seq = p.next(3) as u32;
            Command::Register(registration(p, today, seq))
        }
        1 => Command::MarkIncomplete { missing: p.of(&[vec![], vec!["photo".to_owned()], vec![" ".to_owned()]]) },
        2 => Command::MarkComplete,
        3 => Command::Assign {
            officer: login(p.of(&["officer.a", "officer.b", "head.s1"])),
            division: p.of(DivisionId::all()),
            section: SectionId::new(1 + p.next(3) as u8).expect("valid"),
        },
        4 => Command::ScheduleInterview(Interview::new(near(p), InterviewMode::InPerson)),
        5 => Command::RecordInterview { held_on: near(p), record: Default::default() },
        6 => Command::ReclassifyAccelerated {
            ground: p.of(&[AcceleratedGround::AdmissibleReExamination, AcceleratedGround::DefeatRemoval]),
        },
        7 => {
            let kind = p.of(&[ApplicationKind::Asylum, ApplicationKind::Statelessness, case.kind]);
            let mut d = draft(p, kind);
            if p.chance(10) {
                d.facts.clear();
            }
            Command::DraftDecision(d)
        }
        8 => Command::SubmitForReview,
        9 => Command::ReturnToOfficer { comments: p.of(&["".to_owned(), "Redo.".to_owned()]) },
        10 => Command::Sign,
        11 => Command::MakeAvailable,
        12 => Command::RecordFirstOpening { at: now - Duration::hours(p.next(24 * 30) as i64) },
        13 => Command::DeemNotified,
        14 => Command::RequestLegalAid { on: near(p) },
        15 => Command::DecideLegalAid { on: near(p) },
        16 => Command::LodgeAppeal { on: near(p), notice: None },
        17 => Command::BecomeFinal,
        18 => Command::RecordCourtRuling { on: near(p), ruling: court_outcome(p) },
        19 => Command::ExtendDeadline { months: p.next(12) as u8, reason: "many applications".into() },
        20 => Command::Withdraw,
        21 => Command::Close {
            ground: p.of(&[
                ClosureGround::Withdrawal,
                ClosureGround::AbsenceFromInterview,
                ClosureGround::RefusalToProvideInformation,
            ]),
        },
        22 => Command::Reopen,
        23 => Command::IssueLetter {
            letter: letter(p.of(&[DocumentKind::Receipt, DocumentKind::Convocation, DocumentKind::Decision]), today),
            reference: reference(p),
        },
        24 => Command::NotifyDecision { letter: letter(DocumentKind::Decision, near(p)), reference: reference(p) },
        25 => Command::OpenDocument { document: p.next(4) as u32 },
        26 => Command::LodgeAppeal { on: near(p), notice: Some(notice(p)) },
        27 => Command::ScheduleHearing {
            on: near(p) + Duration::days(p.next(60) as i64),
            notified_on: near(p),
            formation: p.of(&protection::Formation::ALL),
        },
        28 => Command::DraftDefence { text: p.of(&["".to_owned(), "The office maintains its decision.".to_owned()]) },
        29 => Command::ReviewDefence {
            approve: p.chance(50),
            comments: p.of(&["".to_owned(), "Cite the COI.".to_owned()]),
        },
        30 => Command::SendDefence { on: near(p) },
        31 => Command::LodgeCassation {
            on: near(p),
            by: p.of(&[protection::CassationParty::Office, protection::CassationParty::Applicant]),
        },
        32 => Command::DrawUpAct(Box::new(new_act(case, p, today))),
        33 => Command::AddMention { act: some_act(case, p), mention: mention(p, today) },
        34 => Command::IssueCopy {
            act: some_act(case, p),
            copy: p.of(&["0123456789abcdef0123".to_owned(), "short".to_owned()]),
            version: p.next(2) as u32,
            letter: letter(p.of(&[DocumentKind::CertifiedCopy, DocumentKind::Receipt]), today),
            reference: reference(p),
            requested: p.chance(50),
        },
        35 => Command::OpenFgmFollowUp { person: p.next(case.family.len() + 2) as u16 },
        36 => Command::SendFgmLetter {
            person: girl(case, p),
            on: near(p),
            letter: p.chance(50).then(|| letter(p.of(&[DocumentKind::FgmLetter, DocumentKind::Receipt]), today)),
            reference: Some(reference(p)),
        },
        37 => Command::ReceiveFgmCertificate {
            person: girl(case, p),
            examined_on: near(p),
            mutilation_found: p.chance(20),
            document: letter(p.of(&[DocumentKind::FgmCertificate, DocumentKind::MedicalCertificate]), today),
        },
        38 => Command::ReportFgmIncident {
            person: girl(case, p),
            on: near(p),
            kind: p.of(&protection::IncidentKind::ALL),
        },
        39 => Command::AdvanceFgmExamination {
            person: girl(case, p),
            on: near(p),
            grounds: p.of(&["".to_owned(), "Signalement de l'école.".to_owned()]),
        },
        40 => Command::SignFgmReport { person: girl(case, p), report: p.next(3) as u32 },
        41 => Command::OpenEnding {
            ground: p.of(&protection::EndingGround::ALL),
            facts: p.of(&["".to_owned(), FACTS.to_owned()]),
            letter: letter(p.of(&[DocumentKind::EndingLetter, DocumentKind::EndingDecision]), today),
            reference: reference(p),
        },
        42 => Command::RecordEndingAnswer {
            received_on: near(p),
            text: p.of(&["".to_owned(), "Je conteste.".to_owned()]),
            via_portal: p.chance(50),
        },
        43 => Command::DraftEnding { ends: p.chance(50), reasons: p.of(&["".to_owned(), REASONS.to_owned()]) },
        44 => Command::SignEnding {
            letter: letter(p.of(&[DocumentKind::EndingDecision, DocumentKind::Decision]), today),
            reference: reference(p),
        },
        45 => Command::IssueFamilyBook {
            letter: letter(p.of(&[DocumentKind::FamilyBook, DocumentKind::CertifiedCopy]), today),
            reference: reference(p),
        },
        46 => Command::RecordAbsence {
            on: case.interview.as_ref().map_or_else(|| near(p), |i| i.on),
            excused: p.chance(50),
            reason: p.of(&["".to_owned(), "Hospitalisé, certificat joint.".to_owned()]),
        },
        47 => Command::RecordInterviewNeeds(InterviewNeeds {
            officer_sex: p.of(&[None, Some(Sex::Female), Some(Sex::Unspecified)]),
            interpreter_sex: p.of(&[None, Some(Sex::Female)]),
            grounds: p.of(&["".to_owned(), "Violences sexuelles.".to_owned()]),
            vulnerable: p.chance(30),
            heard_with: p.of(&[vec![], vec![case.number]]),
        }),
        _ => Command::ReceiveMessage {
            text: p.of(&["".to_owned(), "Nouvelle adresse".to_owned()]),
            documents: if p.chance(50) { vec![] } else { vec![letter(DocumentKind::MedicalCertificate, today)] },
        },
    }
}

const FACTS: &str = "Retour volontaire au pays d'origine en 2026, passeport national renouvelé.";
const REASONS: &str = "La personne s'est volontairement réclamée à nouveau de la protection de son pays.";

/// A court's notice of appeal, valid or not.
fn notice(p: &mut Picker) -> protection::AppealNotice {
    let department = p.of(&["75", "33", "69", "2A", "971"]);
    protection::AppealNotice::parse("26012345", p.of(&protection::Formation::ALL), department).expect("valid notice")
}

/// A letter the office printed (or, for the applicant's kinds, a document they send).
fn letter(kind: DocumentKind, on: Date) -> documents::NewDocument {
    documents::NewDocument {
        sha256: documents::ContentHash::parse(&"cd".repeat(32)).expect("hash"),
        media_type: "application/pdf".into(),
        size: 2048,
        pages: 2,
        kind,
        language: None,
        received_on: on,
        description: String::new(),
        file_name: "letter.pdf".into(),
        origin: if kind.is_issued_by_office() {
            documents::Origin::Issued
        } else if kind.is_restricted() {
            documents::Origin::Scan
        } else {
            documents::Origin::Applicant
        },
        active_content: Vec::new(),
    }
}

/// A fresh reference in the applicant's space (sometimes a malformed one).
fn reference(p: &mut Picker) -> String {
    if p.chance(5) {
        return "not-a-reference".into();
    }
    (0..26).map(|_| (b'a' + p.next(26) as u8) as char).collect()
}

/// What one run did.
struct Run {
    case: Case,
    events: Vec<Event>,
    reached: Vec<Status>,
    /// Whether each step's command was accepted.
    accepted: Vec<bool>,
}

fn run(steps: &[Step], rules: &Rules) -> Result<Run, TestCaseError> {
    run_probed(steps, rules, |_, _| Ok(()))
}

/// (5) `Case::allows` is exactly the status gate of `decide`: refused as an illegal transition (naming the case's
/// status and the command's kind) if and only if the kind is not allowed.
fn check_gate(case: &Case, command: &Command, decided: &Result<Vec<Event>, DomainError>) -> Result<(), TestCaseError> {
    let kind = command.kind();
    let allowed = case.allows(kind);
    prop_assert_eq!(allowed, case.next_commands().contains(&kind));
    match decided {
        Err(DomainError::IllegalTransition { status, command: name }) => {
            prop_assert!(!allowed, "{} is allowed when {} but refused: {:?}", kind, case.status.as_str(), command);
            prop_assert_eq!(*status, case.status);
            prop_assert_eq!(*name, kind.as_str());
        }
        other => prop_assert!(
            allowed,
            "{} is not allowed when {} but decide gave {:?}",
            kind,
            case.status.as_str(),
            other.as_ref().map(|events| events.len())
        ),
    }
    Ok(())
}

/// A command of each kind, with parameters near the current date and the case's own documents and originals.
fn one_of_each(case: &Case, now: OffsetDateTime, p: &mut Picker, rules: &Rules) -> Vec<Command> {
    let today = now.date();
    let location = documents::Location::new("Fontenay", "T3", "B12").expect("valid");
    let original = case.originals.first().map_or_else(|| "nope".to_owned(), |o| o.id.clone());
    let document = 1 + p.next(case.documents.len() + 1) as u32;
    let mut commands: Vec<Command> = (0..ARBITRARY_KINDS).map(|i| arbitrary_nth(i, case, now, p)).collect();
    commands.extend([
        legal_next(case, now, p, rules).1,
        Command::AttachDocuments { documents: vec![letter(DocumentKind::Receipt, today)] },
        Command::ReceiveOriginal(documents::NewOriginal {
            kind: DocumentKind::IdentityDocument,
            description: "Passport".into(),
            received_on: today,
            location: location.clone(),
        }),
        Command::ChangeCustody {
            original,
            change: p.of(&[
                documents::CustodyChange::Move { location },
                documents::CustodyChange::Lend { to: login("officer.a") },
            ]),
        },
        Command::ShareDocument { document, reference: reference(p) },
        Command::OpenDocument { document },
    ]);
    commands.push(Command::Close { ground: ClosureGround::AbsenceFromInterview });
    let kinds: Vec<CommandKind> = commands.iter().map(Command::kind).collect();
    assert!(CommandKind::ALL.iter().all(|k| kinds.contains(k)), "a command of every kind");
    commands
}

fn run_probed(
    steps: &[Step],
    rules: &Rules,
    mut probe: impl FnMut(&Case, OffsetDateTime) -> Result<(), TestCaseError>,
) -> Result<Run, TestCaseError> {
    let start = Date::from_calendar_date(2026, time::Month::January, 5).expect("valid");
    let mut now = start.with_hms(9, 0, 0).expect("valid").assume_utc();
    let mut case = Case::initial();
    let mut events: Vec<Event> = Vec::new();
    let mut reached = vec![Status::Unregistered];
    let mut registered = false;
    let mut accepted = Vec::with_capacity(steps.len());
    for step in steps {
        now += step.advance;
        let mut p = Picker(step.pick | 1);
        let actor = login(ACTORS[step.actor]);
        let (actor, command) = if step.legal {
            legal_next(&case, now, &mut p, rules)
        } else {
            arbitrary(&case, now, actor, &mut p, rules)
        };
        let ctx = Ctx::new(actor, now, rules);
        probe(&case, now)?;
        // (1) decide never panics: a panic fails the test with the command in the shrunk case.
        let decided = decide(&case, &command, &ctx);
        check_gate(&case, &command, &decided)?;
        accepted.push(decided.is_ok());
        let Ok(produced) = decided else {
            continue;
        };
        prop_assert!(!produced.is_empty(), "an accepted command produces events: {command:?}");
        for event in produced {
            // (4) exact serde round trip, and a deterministic serialization.
            let json = serde_json::to_string(&event).map_err(|e| TestCaseError::fail(e.to_string()))?;
            let back: Event = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            prop_assert_eq!(&back, &event);
            prop_assert_eq!(serde_json::to_string(&back).map_err(|e| TestCaseError::fail(e.to_string()))?, json);
            prop_assert_eq!(serde_json::to_value(&event).ok().map(|v| v["type"].clone()), Some(event.kind().into()));
            case = evolve(case, &event);
            events.push(event);
        }
        // (2) the invariants hold after every accepted command.
        if let Err(broken) = case.check_invariants() {
            return Err(TestCaseError::fail(format!("{broken} after {command:?}: {case:#?}")));
        }
        registered |= case.status != Status::Unregistered;
        prop_assert!(!registered || case.status != Status::Unregistered);
        if !reached.contains(&case.status) {
            reached.push(case.status);
        }
        // Deadlines are computable at every step without panicking.
        let _ = deadlines(&case, rules);
    }
    // (3) The store decides on the case kept in its read table (serialized) and rebuilds that table by
    // replaying the journal's payloads (serialized events): both forms, read back, agree with the case.
    let json = serde_json::to_string(&case).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let kept: Case = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&kept, &case);
    let journaled = events
        .iter()
        .map(|e| {
            let payload = serde_json::to_string(e).map_err(|e| TestCaseError::fail(e.to_string()))?;
            serde_json::from_str::<Event>(&payload).map_err(|e| TestCaseError::fail(format!("{e}: {payload}")))
        })
        .collect::<Result<Vec<Event>, TestCaseError>>()?;
    prop_assert_eq!(&Case::replay(&journaled), &kept);
    Ok(Run { case, events, reached, accepted })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_command_sequences_keep_cases_legal_and_replayable(steps in steps()) {
        let rules = Rules::embedded();
        run(&steps, &rules)?;
    }

    #[test]
    fn interleaving_rejected_commands_changes_nothing(steps in steps()) {
        // (6) Every step is first tried with an arbitrary command (mostly refused). The same run with the
        // refused ones left out must decide every remaining command the same way (accepted or refused), end
        // in the same case and journal the same events.
        let rules = Rules::embedded();
        let noisy: Vec<Step> = steps.iter().flat_map(|s| {
            [Step { legal: false, advance: Duration::ZERO, ..s.clone() }, s.clone()]
        }).collect();
        let r = run(&noisy, &rules)?;
        prop_assert_eq!(r.accepted.len(), noisy.len());
        // The arbitrary commands sit at even places and take no time: leaving one out moves nothing.
        let kept: Vec<usize> = (0..noisy.len()).filter(|&i| i % 2 == 1 || r.accepted[i]).collect();
        let quiet: Vec<Step> = kept.iter().map(|&i| noisy[i].clone()).collect();
        let q = run(&quiet, &rules)?;
        let decided_before: Vec<bool> = kept.iter().map(|&i| r.accepted[i]).collect();
        prop_assert_eq!(&q.accepted, &decided_before, "the same commands accepted without the refused ones");
        prop_assert_eq!(&q.events, &r.events);
        prop_assert_eq!(&q.case, &r.case);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn allows_is_exactly_the_status_gate_of_decide(steps in steps(), pick in any::<u32>()) {
        // In every case a run reaches, a command of every kind: refused as an illegal transition exactly when
        // the case does not allow its kind.
        let rules = Rules::embedded();
        let mut p = Picker(pick | 1);
        run_probed(&steps, &rules, |case, now| {
            for command in one_of_each(case, now, &mut p, &rules) {
                let actor = login(p.of(&ACTORS));
                let decided = decide(case, &command, &Ctx::new(actor, now, &rules));
                check_gate(case, &command, &decided)?;
            }
            Ok(())
        })?;
    }
}

/// The generator reaches deep states often: a fixed-seed sample of runs, with the share reaching each status.
#[test]
fn the_generator_reaches_deep_states() {
    let rules = Rules::embedded();
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::deterministic_rng(RngAlgorithm::ChaCha));
    let strategy = steps();
    let runs = 400;
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    let mut events = 0;
    let (mut acts, mut mentions, mut copies, mut follow_ups, mut certificates) = (0, 0, 0, 0, 0);
    let (mut endings, mut ended) = (0, 0);
    for _ in 0..runs {
        let steps = strategy.new_tree(&mut runner).expect("generates").current();
        let r = run(&steps, &rules).expect("a legal run");
        events += r.events.len();
        acts += r.case.civil_acts.len();
        mentions += r.case.civil_acts.iter().map(|a| a.mentions.len()).sum::<usize>();
        copies += r.case.civil_acts.iter().map(|a| a.copies.len()).sum::<usize>();
        follow_ups += r.case.fgm.len();
        certificates += r.case.fgm.iter().map(|f| f.certificates.len()).sum::<usize>();
        endings += r.case.endings.len();
        ended += usize::from(r.case.protection_ended().is_some());
        for s in r.reached {
            *counts.entry(s).or_default() += 1;
        }
    }
    println!("{runs} runs, {events} events; runs reaching each status:");
    for (status, n) in &counts {
        println!("  {:<20} {:>4} ({:>3} %)", status.as_str(), n, n * 100 / runs);
    }
    println!("civil status: {acts} acts, {mentions} mentions, {copies} copies");
    println!("FGM follow-up: {follow_ups} girls, {certificates} certificates");
    println!("end of protection: {endings} procedures, {ended} protections ended");
    assert!(follow_ups > 0 && certificates > 0, "FGM follow-ups reached: {follow_ups}, {certificates}");
    assert!(endings > 0 && ended > 0, "end of protection reached: {endings} procedures, {ended} ended");
    assert!(
        acts > 0 && mentions > 0 && copies > 0,
        "civil status reached: {acts} acts, {mentions} mentions, {copies} copies"
    );
    let share = |s: Status| counts.get(&s).copied().unwrap_or(0) * 100 / runs;
    assert!(share(Status::Signed) >= 30, "signed in {} % of runs", share(Status::Signed));
    assert!(share(Status::Notified) >= 20, "notified in {} % of runs", share(Status::Notified));
    for s in [Status::Final, Status::Appealed, Status::CourtDecided, Status::Closed, Status::ReturnedToOfficer] {
        assert!(counts.get(&s).copied().unwrap_or(0) > 0, "no run reached {}", s.as_str());
    }
}
