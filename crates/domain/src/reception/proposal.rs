//! A proposal of the weekly orientation and what follows it: the contest and its decision, the
//! outcome, and the procedure that may end the reception conditions (D.551-17).

use serde::{Deserialize, Serialize};
use time::Date;

use super::network::{PlaceKind, StructureCode};
use crate::serde_dates;

/// Why a proposal was made. Rendered in the household's language from the code and its values
/// (`orientation-reason-<code>`), so the letter, the portal and the agent read the same reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The region of registration holds more than its share of the persons who need a place.
    RegionAboveShare { region: String, demand_permille: u32, share_permille: u32 },
    /// The place takes the whole household, together.
    Together { persons: u32 },
    /// Vulnerable households are placed first.
    Vulnerable,
    /// The agency's doctor asked for a hospital nearby; this place has one.
    HospitalNearby,
    /// Children of compulsory school age: a lasting place where they can go to school.
    School,
    /// A place accessible to a person with reduced mobility.
    Accessible,
    /// Distance from the place to where the asylum office interviews.
    Distance { km: u32 },
    /// The destination region is below its share of the places taken so far.
    RegionBelowShare { region: String },
}

impl Reason {
    pub fn code(&self) -> &'static str {
        match self {
            Reason::RegionAboveShare { .. } => "region-above-share",
            Reason::Together { .. } => "together",
            Reason::Vulnerable => "vulnerable",
            Reason::HospitalNearby => "hospital-nearby",
            Reason::School => "school",
            Reason::Accessible => "accessible",
            Reason::Distance { .. } => "distance",
            Reason::RegionBelowShare { .. } => "region-below-share",
        }
    }
}

/// How the plan that made a proposal was solved, kept with the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanNote {
    /// `optimal`, `within-gap` or `time-limit`.
    pub status: String,
    /// The remaining gap, in hundredths of a percent.
    pub gap_bp: u32,
}

/// A contest of a proposal and its decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contest {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    pub grounds: String,
    pub decision: Option<ContestDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestDecision {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    /// The contest succeeds: the proposal is withdrawn.
    pub upheld: bool,
    pub reasons: String,
}

/// How a proposal ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Arrived {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Refused {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    NoShow {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Withdrawn {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Arrived { .. } => "arrived",
            Outcome::Refused { .. } => "refused",
            Outcome::NoShow { .. } => "no_show",
            Outcome::Withdrawn { .. } => "withdrawn",
        }
    }
}

/// A place proposed to a household by the weekly orientation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    /// The ISO week of the plan, e.g. `2026-W49`.
    pub week: String,
    pub structure: StructureCode,
    pub structure_name: String,
    pub region: String,
    /// The region the household was registered in.
    pub from_region: String,
    pub department: String,
    pub kind: PlaceKind,
    pub persons: u32,
    pub reasons: Vec<Reason>,
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    #[serde(with = "serde_dates::date")]
    pub contest_by: Date,
    #[serde(with = "serde_dates::date")]
    pub reach_by: Date,
    pub plan: PlanNote,
    pub contest: Option<Contest>,
    pub outcome: Option<Outcome>,
}

impl Proposal {
    pub fn is_pending(&self) -> bool {
        self.outcome.is_none()
    }

    /// Contested and not decided yet.
    pub fn contest_pending(&self) -> bool {
        self.contest.as_ref().is_some_and(|c| c.decision.is_none())
    }
}

/// What opened the procedure that may end the reception conditions (L.551-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndingGround {
    /// The household refused the region or the place proposed.
    RefusedOrientation,
    /// The household did not reach the place within 5 days (R.551-3, R.551-5).
    DidNotReach,
}

impl EndingGround {
    pub fn as_str(self) -> &'static str {
        match self {
            EndingGround::RefusedOrientation => "refused_orientation",
            EndingGround::DidNotReach => "did_not_reach",
        }
    }
}

/// The decision that closes an ending procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingDecision {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    /// The reception conditions end (else they are maintained).
    pub end: bool,
    pub reasons: String,
    /// How the person's situation and vulnerability were weighed (D.551-17).
    pub vulnerability_weighed: String,
    /// Last day to challenge the ending in court (L.555-1).
    #[serde(with = "serde_dates::date")]
    pub court_by: Date,
}

/// The procedure that may end the reception conditions: the household is told and has 15 days
/// for written observations (D.551-17); then an agent decides, with reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub ground: EndingGround,
    #[serde(with = "serde_dates::date")]
    pub opened_on: Date,
    #[serde(with = "serde_dates::date")]
    pub observations_by: Date,
    pub observations: Option<Observations>,
    pub decision: Option<EndingDecision>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observations {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    pub text: String,
}
