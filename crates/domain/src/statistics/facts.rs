//! What the statistics count, derived from the events one by one: a pure function of the case
//! before and after each event. The store keeps these facts as a projection (maintained in the
//! writer's transaction, recomputed by `nansen rebuild`), so that a table is a `GROUP BY` over
//! facts whose journal sequence is at most the head it names.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::application::ApplicationKind;
use crate::cases::{Case, CourtOutcome, Event, Status};
use crate::decision::Outcome;
use crate::person::{BirthDate, FamilyRole, Person, Sex};

/// Eurostat's age groups (`age` dimension), at the date of the fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeGroup {
    #[serde(rename = "Y_LT14")]
    Under14,
    #[serde(rename = "Y14-17")]
    From14To17,
    #[serde(rename = "Y18-34")]
    From18To34,
    #[serde(rename = "Y35-64")]
    From35To64,
    #[serde(rename = "Y_GE65")]
    From65,
    #[serde(rename = "UNK")]
    Unknown,
}

impl AgeGroup {
    pub const ALL: [AgeGroup; 6] = [
        AgeGroup::Under14,
        AgeGroup::From14To17,
        AgeGroup::From18To34,
        AgeGroup::From35To64,
        AgeGroup::From65,
        AgeGroup::Unknown,
    ];

    /// Eurostat's code: `Y_LT14`, `Y14-17`, `Y18-34`, `Y35-64`, `Y_GE65`, `UNK`.
    pub fn code(&self) -> &'static str {
        match self {
            AgeGroup::Under14 => "Y_LT14",
            AgeGroup::From14To17 => "Y14-17",
            AgeGroup::From18To34 => "Y18-34",
            AgeGroup::From35To64 => "Y35-64",
            AgeGroup::From65 => "Y_GE65",
            AgeGroup::Unknown => "UNK",
        }
    }

    pub fn parse(code: &str) -> Option<AgeGroup> {
        Self::ALL.into_iter().find(|a| a.code() == code)
    }

    /// The group of someone born on `born` (the earliest day a partial birth date denotes: a
    /// person born "in 1990" is counted at the oldest age they may have) on the day `on`.
    pub fn at(born: Option<Date>, on: Date) -> AgeGroup {
        match born.map(|b| completed_years(b, on)) {
            None => AgeGroup::Unknown,
            Some(y) if y < 0 => AgeGroup::Unknown,
            Some(y) if y < 14 => AgeGroup::Under14,
            Some(y) if y < 18 => AgeGroup::From14To17,
            Some(y) if y < 35 => AgeGroup::From18To34,
            Some(y) if y < 65 => AgeGroup::From35To64,
            Some(_) => AgeGroup::From65,
        }
    }

    /// Whether the group is under 18.
    pub fn is_minor(&self) -> bool {
        matches!(self, AgeGroup::Under14 | AgeGroup::From14To17)
    }

    /// The latest birth dates of the groups' lower bounds on `on`, oldest group first: born on
    /// or before `thresholds[0]` is 65 or more, … For queries that group by birth date at a
    /// reference day.
    pub fn thresholds(on: Date) -> [Date; 4] {
        [65, 35, 18, 14].map(|years| years_before(on, years))
    }
}

/// Full years between `born` and `on` (negative when born after `on`).
pub fn completed_years(born: Date, on: Date) -> i32 {
    let mut years = on.year() - born.year();
    if (on.month() as u8, on.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    years
}

/// The same day `years` earlier (29 February becomes 28 February).
fn years_before(on: Date, years: i32) -> Date {
    let year = on.year() - years;
    Date::from_calendar_date(year, on.month(), on.day())
        .or_else(|_| Date::from_calendar_date(year, on.month(), 28))
        .unwrap_or(on)
}

/// A first-instance decision as the statistics class it: Eurostat's `decision` dimension and the
/// office's own distinctions (inadmissibility and closures are not decisions on the merits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionClass {
    /// Refugee status, on any basis (Geneva Convention, constitutional asylum, UNHCR mandate):
    /// Eurostat's `GENCONV`.
    RefugeeStatus,
    /// Eurostat's `SUB_PROT`.
    SubsidiaryProtection,
    /// Eurostat's `HUMSTAT`: the office grants no humanitarian status; always 0, kept for the
    /// table's shape.
    Humanitarian,
    /// Rejected on the merits (Eurostat `REJECTED`).
    Rejected,
    /// Inadmissible (Eurostat counts it as `REJECTED`; the office's rate on the merits leaves it out).
    Inadmissible,
    /// Examination closed (withdrawal, absence, refusal): not a decision for Eurostat.
    Closure,
    /// Recognised stateless: not an asylum decision (outside the Eurostat asylum tables).
    Stateless,
}

impl DecisionClass {
    pub const ALL: [DecisionClass; 7] = [
        DecisionClass::RefugeeStatus,
        DecisionClass::SubsidiaryProtection,
        DecisionClass::Humanitarian,
        DecisionClass::Rejected,
        DecisionClass::Inadmissible,
        DecisionClass::Closure,
        DecisionClass::Stateless,
    ];

    pub fn of(outcome: &Outcome) -> DecisionClass {
        match outcome {
            Outcome::RefugeeStatus { .. } => DecisionClass::RefugeeStatus,
            Outcome::SubsidiaryProtection { .. } => DecisionClass::SubsidiaryProtection,
            Outcome::Stateless => DecisionClass::Stateless,
            Outcome::Rejection => DecisionClass::Rejected,
            Outcome::Inadmissibility(_) => DecisionClass::Inadmissible,
            Outcome::Closure(_) => DecisionClass::Closure,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionClass::RefugeeStatus => "refugee_status",
            DecisionClass::SubsidiaryProtection => "subsidiary_protection",
            DecisionClass::Humanitarian => "humanitarian",
            DecisionClass::Rejected => "rejected",
            DecisionClass::Inadmissible => "inadmissible",
            DecisionClass::Closure => "closure",
            DecisionClass::Stateless => "stateless",
        }
    }

    pub fn parse(s: &str) -> Option<DecisionClass> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Eurostat's `decision` code, or `None` when Eurostat does not count it as an asylum decision.
    pub fn eurostat(&self) -> Option<&'static str> {
        match self {
            DecisionClass::RefugeeStatus => Some("GENCONV"),
            DecisionClass::SubsidiaryProtection => Some("SUB_PROT"),
            DecisionClass::Humanitarian => Some("HUMSTAT"),
            DecisionClass::Rejected | DecisionClass::Inadmissible => Some("REJECTED"),
            DecisionClass::Closure | DecisionClass::Stateless => None,
        }
    }

    /// Protection granted (refugee status, subsidiary protection, humanitarian status).
    pub fn is_positive(&self) -> bool {
        matches!(self, DecisionClass::RefugeeStatus | DecisionClass::SubsidiaryProtection | DecisionClass::Humanitarian)
    }

    /// A decision on the merits: positive or rejected (not inadmissible, closed or stateless).
    pub fn on_merits(&self) -> bool {
        self.is_positive() || *self == DecisionClass::Rejected
    }
}

/// What a fact records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// An application lodged (its introduction date).
    Lodged,
    /// A first-instance decision signed.
    Decided,
    /// An examination closed without a decision (withdrawal, absence…).
    Closed,
    /// A closed examination reopened.
    Reopened,
    /// An interview held.
    Interviewed,
    /// An appeal lodged before the asylum court.
    Appealed,
    /// The asylum court ruled.
    CourtRuled,
}

impl FactKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            FactKind::Lodged => "lodged",
            FactKind::Decided => "decided",
            FactKind::Closed => "closed",
            FactKind::Reopened => "reopened",
            FactKind::Interviewed => "interviewed",
            FactKind::Appealed => "appealed",
            FactKind::CourtRuled => "court_ruled",
        }
    }
}

/// One counted fact about one person of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    pub kind: FactKind,
    /// The day it happened (introduction, signature, interview, ruling…).
    pub on: Date,
    /// The person's position in the application: 0 the applicant, then accompanying minors.
    pub person: u8,
    /// Who the person is across applications (first-time applicants): see [`person_key`].
    pub person_key: String,
    pub application: ApplicationKind,
    /// `normal`, `accelerated`, `detention`, `border`.
    pub procedure: &'static str,
    pub nationality: String,
    pub sex: Sex,
    /// Age group on `on`.
    pub age: AgeGroup,
    /// For a decision or a closure.
    pub decision: Option<DecisionClass>,
    /// For a court ruling.
    pub court: Option<CourtOutcome>,
    pub division: Option<String>,
    pub section: Option<u8>,
    pub officer: Option<String>,
    pub language: String,
    pub lodged_on: Date,
    /// Days from the introduction to `on` (processing time, time to interview).
    pub days: i64,
}

/// A person's first-instance examination starts or ends being pending (Eurostat's stock).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingChange {
    pub person: u8,
    pub on: Date,
    /// `true`: becomes pending; `false`: no longer pending.
    pub starts: bool,
    pub nationality: String,
    pub sex: Sex,
    /// The earliest day the birth date denotes (the age on a later day is computed from it).
    pub born: Option<Date>,
    pub procedure: &'static str,
    pub lodged_on: Date,
}

/// The persons Eurostat counts in an application: the applicant and the accompanying minors (the
/// children under 18 on the day of the introduction); an adult family member lodges their own
/// application and is counted with it. Positions are those of the application (applicant 0,
/// family from 1).
pub fn counted_persons(case: &Case) -> Vec<(u8, &Person)> {
    let mut out = vec![(0u8, &case.applicant)];
    for (i, p) in case.family.iter().enumerate() {
        let minor = p.role == FamilyRole::Child && AgeGroup::at(p.birth_date.earliest(), case.introduced_on).is_minor();
        if minor {
            if let Ok(position) = u8::try_from(i + 1) {
                out.push((position, p));
            }
        }
    }
    out
}

/// Who a person is across applications, as far as the file tells: the Latin names (letters and
/// digits only, upper case) and the birth date as recorded. The office has no national identifier
/// for every applicant; two applications with the same key are the same person for the
/// "first-time applicant" definition.
pub fn person_key(p: &Person) -> String {
    let clean = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect::<String>();
    let born = match p.birth_date {
        BirthDate::Exact(d) => d.to_string(),
        BirthDate::YearMonth { year, month } => format!("{year}-{month:02}"),
        BirthDate::Year(y) => y.to_string(),
        BirthDate::Unknown => "?".into(),
    };
    format!("{}|{}|{born}", clean(&p.family_name.latin), clean(&p.given_names.latin))
}

/// Whether the first-instance examination is under way: registered, not yet decided, not closed
/// (the status's own [`Status::is_pre_decision`]).
pub fn pending_at_first_instance(status: Status) -> bool {
    status.is_pre_decision()
}

/// The facts an event adds, given the case's status before it and the case after it; and how
/// pending-ness changed.
pub fn facts_of(before: Status, after: &Case, event: &Event) -> (Vec<Fact>, Vec<PendingChange>) {
    let day = event.recorded_at().date();
    let (kind, on) = match event {
        Event::Registered { introduced_on, .. } => (Some(FactKind::Lodged), *introduced_on),
        Event::DecisionSigned { .. } => (Some(FactKind::Decided), day),
        Event::Closed { .. } | Event::Withdrawn { .. } if before != Status::Closed => {
            (Some(FactKind::Closed), after.closed_on.unwrap_or(day))
        }
        Event::Reopened { .. } => (Some(FactKind::Reopened), day),
        Event::InterviewRecorded { held_on, .. } => (Some(FactKind::Interviewed), *held_on),
        Event::AppealLodged { on, .. } => (Some(FactKind::Appealed), *on),
        Event::CourtRuled { ruling, .. } => (Some(FactKind::CourtRuled), ruling.on),
        _ => (None, day),
    };
    let persons = counted_persons(after);
    let mut facts = Vec::new();
    if let Some(kind) = kind {
        let decision = match kind {
            FactKind::Decided => after.draft.as_ref().map(|d| DecisionClass::of(&d.outcome)),
            FactKind::Closed => Some(DecisionClass::Closure),
            _ => None,
        };
        let court = after.court_ruling.as_ref().filter(|_| kind == FactKind::CourtRuled).map(|r| r.outcome);
        for (person, p) in &persons {
            facts.push(Fact {
                kind,
                on,
                person: *person,
                person_key: person_key(p),
                application: after.kind,
                procedure: after.procedure.as_str(),
                nationality: p.nationality.as_str().to_owned(),
                sex: p.sex,
                age: AgeGroup::at(p.birth_date.earliest(), on),
                decision,
                court,
                division: after.division.map(|d| d.as_str().to_owned()),
                section: after.section.map(|s| s.get()),
                officer: after.officer.as_ref().map(|o| o.as_str().to_owned()),
                language: after.language.as_str().to_owned(),
                lodged_on: after.introduced_on,
                days: (on - after.introduced_on).whole_days(),
            });
        }
    }
    let was = pending_at_first_instance(before);
    let is = pending_at_first_instance(after.status);
    let mut changes = Vec::new();
    if was != is {
        for (person, p) in &persons {
            changes.push(PendingChange {
                person: *person,
                on,
                starts: is,
                nationality: p.nationality.as_str().to_owned(),
                sex: p.sex,
                born: p.birth_date.earliest(),
                procedure: after.procedure.as_str(),
                lodged_on: after.introduced_on,
            });
        }
    }
    (facts, changes)
}
