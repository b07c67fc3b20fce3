//! Helpers for the unit tests: a registration, logins, instants, and a harness that runs commands.

use time::{Date, OffsetDateTime, Time};

use crate::application::{ApplicationKind, Procedure};
use crate::cases::{decide, evolve, Case, Command, Ctx, Event, Interview, InterviewMode, Registration};
use crate::decision::{DecisionDraft, Outcome};
use crate::error::DomainError;
use crate::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use crate::person::{BirthDate, FamilyRole, Name, Person, Sex};
use crate::rules::Rules;

pub const CLERK: &str = "clerk";
pub const OFFICER: &str = "officer.a";
pub const OTHER_OFFICER: &str = "officer.b";
pub const HEAD: &str = "head.s1";

pub fn login(s: &str) -> Login {
    Login::parse(s).expect("valid login")
}

/// 10:00 UTC on that day.
pub fn at(d: Date) -> OffsetDateTime {
    d.with_time(Time::from_hms(10, 0, 0).expect("valid time")).assume_utc()
}

pub fn applicant() -> Person {
    Person {
        role: FamilyRole::Applicant,
        family_name: Name::new("حداد", "Haddad"),
        given_names: Name::new("ليلى", "Layla"),
        birth_date: BirthDate::YearMonth { year: 1990, month: 4 },
        sex: Sex::Female,
        nationality: Nationality::parse("SYR").expect("valid"),
        birth_place: Some("Homs".into()),
    }
}

pub fn registration(introduced_on: Date, procedure: Procedure) -> Registration {
    Registration {
        number: CaseNumber::new(introduced_on.year(), 1234).expect("valid"),
        kind: ApplicationKind::Asylum,
        procedure,
        nationality: Nationality::parse("SYR").expect("valid"),
        language: Language::parse("ar").expect("valid"),
        applicant: applicant(),
        family: vec![],
        introduced_on,
        missing: vec![],
    }
}

pub fn rejection() -> DecisionDraft {
    DecisionDraft {
        outcome: Outcome::Rejection,
        exclusion: None,
        facts: "The account is vague on the key events.".into(),
        law: "Geneva Convention art. 1A2; CESEDA L.512-1.".into(),
        sources: Vec::new(),
    }
}

pub fn draft(outcome: Outcome) -> DecisionDraft {
    DecisionDraft { outcome, ..rejection() }
}

/// A case and the events that built it, with a clock.
pub struct Harness {
    pub rules: Rules,
    pub case: Case,
    pub events: Vec<Event>,
    pub now: OffsetDateTime,
}

impl Harness {
    pub fn new(today: Date) -> Self {
        Harness { rules: Rules::embedded(), case: Case::initial(), events: vec![], now: at(today) }
    }

    pub fn with_rules(mut self, rules: Rules) -> Self {
        self.rules = rules;
        self
    }

    pub fn on(&mut self, d: Date) -> &mut Self {
        self.now = at(d);
        self
    }

    pub fn try_run(&mut self, actor: &str, command: Command) -> Result<(), DomainError> {
        let ctx = Ctx::new(login(actor), self.now, &self.rules);
        let events = decide(&self.case, &command, &ctx)?;
        for e in &events {
            self.case = evolve(self.case.clone(), e);
        }
        self.events.extend(events);
        self.case.check_invariants().expect("invariants hold");
        assert_eq!(Case::replay(&self.events), self.case);
        Ok(())
    }

    pub fn run(&mut self, actor: &str, command: Command) -> &mut Self {
        let kind = command.kind();
        if let Err(e) = self.try_run(actor, command) {
            panic!("{kind} refused: {e}");
        }
        self
    }

    pub fn err(&mut self, actor: &str, command: Command) -> DomainError {
        let before = self.case.clone();
        let e = self.try_run(actor, command).expect_err("the command should be refused");
        assert_eq!(self.case, before);
        e
    }

    /// Register on `introduced_on`, mark complete, assign to OFFICER.
    pub fn assigned(introduced_on: Date, procedure: Procedure) -> Self {
        Self::assigned_from(registration(introduced_on, procedure))
    }

    /// Register `r`, mark complete, assign to OFFICER.
    pub fn assigned_from(r: Registration) -> Self {
        let introduced_on = r.introduced_on;
        let mut h = Harness::new(introduced_on);
        h.run(CLERK, Command::Register(r)).run(CLERK, Command::MarkComplete).run(
            CLERK,
            Command::Assign {
                officer: login(OFFICER),
                division: DivisionId::EuropeMiddleEast,
                section: SectionId::new(1).expect("valid"),
            },
        );
        h
    }

    /// ... then interviewed on `interview_on`.
    pub fn interviewed(introduced_on: Date, procedure: Procedure, interview_on: Date) -> Self {
        Self::interviewed_from(registration(introduced_on, procedure), interview_on)
    }

    /// `r` registered, assigned and interviewed on `interview_on`.
    pub fn interviewed_from(r: Registration, interview_on: Date) -> Self {
        let mut h = Self::assigned_from(r);
        h.run(CLERK, Command::ScheduleInterview(Interview::new(interview_on, InterviewMode::InPerson)))
            .on(interview_on)
            .run(OFFICER, Command::RecordInterview { held_on: interview_on, record: Default::default() });
        h
    }

    /// ... then drafted, reviewed, signed by HEAD and made available on `available_on`.
    pub fn made_available(introduced_on: Date, draft: DecisionDraft, available_on: Date) -> Self {
        Self::made_available_from(registration(introduced_on, Procedure::Normal), draft, available_on)
    }

    /// `r` through to a decision made available on `available_on`.
    pub fn made_available_from(r: Registration, draft: DecisionDraft, available_on: Date) -> Self {
        let interview_on = crate::calendar::add_days(r.introduced_on, 30);
        let mut h = Self::interviewed_from(r, interview_on);
        h.run(OFFICER, Command::DraftDecision(draft))
            .run(OFFICER, Command::SubmitForReview)
            .run(HEAD, Command::Sign)
            .on(available_on)
            .run(CLERK, Command::MakeAvailable);
        h
    }
}

pub fn divisions_rules() -> Rules {
    let nationalities = r#"
[[nationality]]
code = "SYR"
name_en = "Syria"
name_fr = "Syrie"
division = "europe-middle-east"
languages = ["ar"]

[[nationality]]
code = "AFG"
name_en = "Afghanistan"
name_fr = "Afghanistan"
division = "asia"
languages = ["prs", "ps"]
[[nationality.pooled]]
from = "2024-01-01"
source = "example"
"#;
    Rules::from_toml(include_str!("../rules/procedures.toml"), nationalities).expect("valid rules")
}
