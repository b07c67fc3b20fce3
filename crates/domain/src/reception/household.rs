//! A household at the single window (guichet unique): its members, the vulnerability
//! assessment, the doctor's opinion kept apart, the offer of material reception conditions, its
//! stays in the network and the decisions on its allowance.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::documents::ContentHash;
use crate::error::DomainError;
use crate::ids::{CaseNumber, Language};
use crate::person::{BirthDate, Name, Sex};
use crate::serde_dates;

use super::network::{PlaceKind, StructureCode};
use super::proposal::{
    Contest, ContestDecision, Ending, EndingDecision, EndingGround, Observations, Outcome, Proposal,
};
use super::rules::ReceptionRules;

/// A household's number at the agency: `H-2026-000042` (year of registration, then a sequence).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HouseholdId(String);

impl HouseholdId {
    pub fn new(year: i32, seq: u32) -> Result<HouseholdId, DomainError> {
        if !(2000..=9999).contains(&year) || !(1..=999_999).contains(&seq) {
            return Err(DomainError::validation("household", format!("no household number for {year} and {seq}")));
        }
        Ok(HouseholdId(format!("H-{year}-{seq:06}")))
    }

    pub fn parse(s: &str) -> Result<HouseholdId, DomainError> {
        let s = s.trim().to_ascii_uppercase();
        let bad =
            || DomainError::validation("household", format!("{s:?} is not a household number like H-2026-000042"));
        let rest = s.strip_prefix("H-").ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || seq.len() != 6 {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        HouseholdId::new(year, seq).map_err(|_| bad())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HouseholdId {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        HouseholdId::parse(&s)
    }
}

impl From<HouseholdId> for String {
    fn from(h: HouseholdId) -> String {
        h.0
    }
}

impl std::fmt::Display for HouseholdId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The foreigner number (numéro étranger, AGDREF) printed on the single window's certificate:
/// ten digits. It links the agency's household to the office's case.
pub fn check_foreigner_number(s: &str) -> Result<String, DomainError> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s)
    } else {
        Err(DomainError::validation("foreigner_number", format!("{s:?} is not a foreigner number (ten digits)")))
    }
}

/// The asylum procedure the prefecture set at the single window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsylumProcedure {
    Normal,
    Accelerated,
    /// Another member state is responsible (Dublin regulation).
    Dublin,
}

impl AsylumProcedure {
    pub const ALL: [AsylumProcedure; 3] =
        [AsylumProcedure::Normal, AsylumProcedure::Accelerated, AsylumProcedure::Dublin];
    pub fn as_str(self) -> &'static str {
        match self {
            AsylumProcedure::Normal => "normal",
            AsylumProcedure::Accelerated => "accelerated",
            AsylumProcedure::Dublin => "dublin",
        }
    }
}

/// A member's place in the household, relative to its head (the person who applied).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    Head,
    Spouse,
    Child,
    Parent,
    Sibling,
    Other,
}

impl Relationship {
    pub const ALL: [Relationship; 6] = [
        Relationship::Head,
        Relationship::Spouse,
        Relationship::Child,
        Relationship::Parent,
        Relationship::Sibling,
        Relationship::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Head => "head",
            Relationship::Spouse => "spouse",
            Relationship::Child => "child",
            Relationship::Parent => "parent",
            Relationship::Sibling => "sibling",
            Relationship::Other => "other",
        }
    }
}

/// A member of the household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub family_name: Name,
    pub given_names: Name,
    pub sex: Sex,
    pub birth_date: BirthDate,
    pub relationship: Relationship,
    #[serde(default)]
    pub foreigner_number: Option<String>,
}

/// Age in whole years on `on`, from the earliest day the birth date can denote (a person born
/// "in 1990" is counted from 1 January); `None` when unknown.
pub fn age_on(birth: &BirthDate, on: Date) -> Option<i32> {
    let born = birth.earliest()?;
    let mut age = on.year() - born.year();
    if (on.month() as u8, on.day()) < (born.month() as u8, born.day()) {
        age -= 1;
    }
    Some(age)
}

impl Member {
    /// An adult on `on`. An unknown birth date counts as adult except for a child of the head.
    pub fn is_adult(&self, on: Date) -> bool {
        match age_on(&self.birth_date, on) {
            Some(age) => age >= 18,
            None => self.relationship != Relationship::Child,
        }
    }
}

/// What the single window records to register a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewHousehold {
    pub id: HouseholdId,
    /// The single window's region.
    pub region: String,
    /// The head's application at the office, when already registered there.
    #[serde(default)]
    pub case: Option<CaseNumber>,
    pub procedure: AsylumProcedure,
    /// The language the household understands (letters and reasons are given in it).
    pub language: Language,
    pub members: Vec<Member>,
    /// Where the household can be written to (domiciliation).
    pub address: String,
}

/// A point of vulnerability (Directive 2013/33 art. 21–22).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VulnerabilityKind {
    Minor,
    Disability,
    Elderly,
    Pregnancy,
    SingleParent,
    Trafficking,
    Torture,
    Rape,
    SeriousViolence,
    Fgm,
    SeriousIllness,
    MentalDisorder,
}

impl VulnerabilityKind {
    pub const ALL: [VulnerabilityKind; 12] = [
        VulnerabilityKind::Minor,
        VulnerabilityKind::Disability,
        VulnerabilityKind::Elderly,
        VulnerabilityKind::Pregnancy,
        VulnerabilityKind::SingleParent,
        VulnerabilityKind::Trafficking,
        VulnerabilityKind::Torture,
        VulnerabilityKind::Rape,
        VulnerabilityKind::SeriousViolence,
        VulnerabilityKind::Fgm,
        VulnerabilityKind::SeriousIllness,
        VulnerabilityKind::MentalDisorder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VulnerabilityKind::Minor => "minor",
            VulnerabilityKind::Disability => "disability",
            VulnerabilityKind::Elderly => "elderly",
            VulnerabilityKind::Pregnancy => "pregnancy",
            VulnerabilityKind::SingleParent => "single_parent",
            VulnerabilityKind::Trafficking => "trafficking",
            VulnerabilityKind::Torture => "torture",
            VulnerabilityKind::Rape => "rape",
            VulnerabilityKind::SeriousViolence => "serious_violence",
            VulnerabilityKind::Fgm => "fgm",
            VulnerabilityKind::SeriousIllness => "serious_illness",
            VulnerabilityKind::MentalDisorder => "mental_disorder",
        }
    }

    pub fn parse(s: &str) -> Result<VulnerabilityKind, DomainError> {
        VulnerabilityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::validation("needs", format!("{s:?} is not a point of vulnerability")))
    }

    /// Points that go to the agency's doctor, who alone reads the medical details.
    pub fn is_medical(self) -> bool {
        matches!(
            self,
            VulnerabilityKind::Disability
                | VulnerabilityKind::Pregnancy
                | VulnerabilityKind::SeriousIllness
                | VulnerabilityKind::MentalDisorder
                | VulnerabilityKind::Torture
                | VulnerabilityKind::Fgm
        )
    }
}

/// One point for one member (index in the household's members).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Need {
    pub member: usize,
    pub kind: VulnerabilityKind,
}

/// The agent's structured assessment at the single window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    pub needs: BTreeSet<Need>,
    /// A place accessible to reduced mobility is needed.
    pub accessible_place: bool,
    /// What the agent observed, without medical details (those go to the doctor).
    pub notes: String,
}

/// How urgent the doctor considers the medical needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MedicalPriority {
    None,
    FollowUp,
    Priority,
}

impl MedicalPriority {
    pub const ALL: [MedicalPriority; 3] = [MedicalPriority::None, MedicalPriority::FollowUp, MedicalPriority::Priority];
    pub fn as_str(self) -> &'static str {
        match self {
            MedicalPriority::None => "none",
            MedicalPriority::FollowUp => "follow_up",
            MedicalPriority::Priority => "priority",
        }
    }
}

/// The agency doctor's opinion. Only the constraints it sets (priority, a hospital nearby, an
/// accessible place) reach the agents; `notes` are the doctor's alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MedicalOpinion {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    pub priority: MedicalPriority,
    pub hospital_nearby: bool,
    pub accessible_place: bool,
    pub notes: String,
}

/// The household's answer to the offer of material reception conditions (conditions
/// matérielles d'accueil), signed at the single window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub accepted: bool,
    /// The household asked for accommodation (only with an accepted offer).
    pub needs_accommodation: bool,
    #[serde(with = "serde_dates::date")]
    pub signed_on: Date,
}

/// A letter the agency issued to the household (courrier): printed in French, the authentic
/// text, with a translation in the household's language when it is one of the applicants'
/// portal; kept by its content hash, shown to the agent and in the applicant's secure space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdLetter {
    pub kind: HouseholdLetterKind,
    pub sha256: ContentHash,
    pub size: u64,
    #[serde(with = "serde_dates::date")]
    pub issued_on: Date,
    /// The language of the translation printed after the French text, when there is one.
    #[serde(default)]
    pub translation: Option<String>,
}

/// Which letter: each follows one step of the household's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdLetterKind {
    /// The offer of material reception conditions was refused (L.551-15).
    OfferRefusal,
    /// A place in another region, with its reasons (L.551-3, R.551-3).
    OrientationProposal,
    /// The decision on the household's contest of a proposal, with its reasons.
    ContestDecision,
    /// The agency considers ending the conditions; observations within 15 days (D.551-17).
    ConditionsEndingNotice,
    /// The reasoned decision that ends or maintains the conditions (L.551-16, L.555-1).
    ConditionsEndingDecision,
}

impl HouseholdLetterKind {
    pub const ALL: [HouseholdLetterKind; 5] = [
        HouseholdLetterKind::OfferRefusal,
        HouseholdLetterKind::OrientationProposal,
        HouseholdLetterKind::ContestDecision,
        HouseholdLetterKind::ConditionsEndingNotice,
        HouseholdLetterKind::ConditionsEndingDecision,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            HouseholdLetterKind::OfferRefusal => "offer_refusal",
            HouseholdLetterKind::OrientationProposal => "orientation_proposal",
            HouseholdLetterKind::ContestDecision => "contest_decision",
            HouseholdLetterKind::ConditionsEndingNotice => "conditions_ending_notice",
            HouseholdLetterKind::ConditionsEndingDecision => "conditions_ending_decision",
        }
    }
}

/// The letter a step calls for, from the events it produced: a refused offer, a proposal, an
/// ending procedure opened or decided. At most one per step.
pub fn letter_called_for(events: &[HouseholdEvent]) -> Option<HouseholdLetterKind> {
    events.iter().find_map(|e| match e {
        HouseholdEvent::OfferDecided(o) if !o.accepted => Some(HouseholdLetterKind::OfferRefusal),
        HouseholdEvent::OrientationProposed(_) => Some(HouseholdLetterKind::OrientationProposal),
        HouseholdEvent::ContestDecided { .. } => Some(HouseholdLetterKind::ContestDecision),
        HouseholdEvent::EndingOpened(_) => Some(HouseholdLetterKind::ConditionsEndingNotice),
        HouseholdEvent::EndingDecided(_) => Some(HouseholdLetterKind::ConditionsEndingDecision),
        _ => None,
    })
}

/// Why a household left a structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeaveReason {
    /// To another structure.
    Transfer,
    /// The right to stay ended (after the final decision).
    EndOfRights,
    /// The household left of its own accord.
    LeftVoluntarily,
    /// The reception conditions were ended by decision.
    Excluded,
}

impl LeaveReason {
    pub const ALL: [LeaveReason; 4] =
        [LeaveReason::Transfer, LeaveReason::EndOfRights, LeaveReason::LeftVoluntarily, LeaveReason::Excluded];
    pub fn as_str(self) -> &'static str {
        match self {
            LeaveReason::Transfer => "transfer",
            LeaveReason::EndOfRights => "end_of_rights",
            LeaveReason::LeftVoluntarily => "left_voluntarily",
            LeaveReason::Excluded => "excluded",
        }
    }
}

/// A stay in a structure of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    pub structure: StructureCode,
    pub kind: PlaceKind,
    #[serde(with = "serde_dates::date")]
    pub from: Date,
    #[serde(default, with = "serde_dates::date::option")]
    pub until: Option<Date>,
    #[serde(default)]
    pub reason: Option<LeaveReason>,
}

/// A decision on the allowance (L.551-15, L.551-16).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "measure", rename_all = "snake_case")]
pub enum AllowanceMeasure {
    Suspend,
    /// Paid at `percent` % less.
    Reduce {
        percent: u8,
    },
    End,
    /// Paid again in full after a suspension or a reduction.
    Restore,
}

impl AllowanceMeasure {
    pub fn as_str(self) -> &'static str {
        match self {
            AllowanceMeasure::Suspend => "suspend",
            AllowanceMeasure::Reduce { .. } => "reduce",
            AllowanceMeasure::End => "end",
            AllowanceMeasure::Restore => "restore",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowanceDecision {
    pub measure: AllowanceMeasure,
    #[serde(with = "serde_dates::date")]
    pub from: Date,
    pub reasons: String,
    /// How the household's situation and vulnerability were weighed (D.551-17): required when
    /// the household is vulnerable and the measure takes something away.
    #[serde(default)]
    pub vulnerability_weighed: String,
}

/// What may be done to a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum HouseholdCommand {
    Register(NewHousehold),
    AssessVulnerability(Assessment),
    RecordMedicalOpinion(MedicalOpinion),
    DecideOffer(Offer),
    Arrive {
        structure: StructureCode,
        kind: PlaceKind,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Leave {
        #[serde(with = "serde_dates::date")]
        on: Date,
        reason: LeaveReason,
    },
    DecideAllowance(AllowanceDecision),
    /// The weekly orientation proposes a place in another region (L.551-3).
    Propose(Proposal),
    /// The household contests the proposal, within its deadline.
    Contest {
        #[serde(with = "serde_dates::date")]
        on: Date,
        grounds: String,
    },
    /// An agent decides on the contest, with reasons.
    DecideContest {
        #[serde(with = "serde_dates::date")]
        on: Date,
        upheld: bool,
        reasons: String,
    },
    /// The household refuses the place: the procedure that may end the conditions opens.
    RefuseOrientation {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// The place was not reached in time (R.551-3): the procedure opens.
    RecordNoShow {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// The household's written observations (D.551-17).
    RecordObservations {
        #[serde(with = "serde_dates::date")]
        on: Date,
        text: String,
    },
    /// The reasoned decision that ends the reception conditions or maintains them.
    DecideEnding {
        #[serde(with = "serde_dates::date")]
        on: Date,
        end: bool,
        reasons: String,
        vulnerability_weighed: String,
    },
    /// A letter printed for the step just taken, filed in the same commit.
    FileLetter(HouseholdLetter),
}

/// What happened to a household (journaled under `household:<id>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum HouseholdEvent {
    Registered {
        household: NewHousehold,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    VulnerabilityAssessed(Assessment),
    MedicalOpinionRecorded(MedicalOpinion),
    OfferDecided(Offer),
    Arrived {
        structure: StructureCode,
        kind: PlaceKind,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Left {
        #[serde(with = "serde_dates::date")]
        on: Date,
        reason: LeaveReason,
    },
    AllowanceDecided(AllowanceDecision),
    OrientationProposed(Proposal),
    OrientationContested {
        #[serde(with = "serde_dates::date")]
        on: Date,
        grounds: String,
    },
    ContestDecided {
        decision: ContestDecision,
        /// The new day by which the place must be reached, when the contest fails.
        #[serde(with = "serde_dates::date")]
        reach_by: Date,
    },
    /// The proposal ended (refused, not reached, withdrawn).
    ProposalClosed(Outcome),
    EndingOpened(Ending),
    ObservationsRecorded(Observations),
    EndingDecided(EndingDecision),
    LetterIssued(HouseholdLetter),
}

impl HouseholdEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            HouseholdEvent::Registered { .. } => "household.registered",
            HouseholdEvent::VulnerabilityAssessed(_) => "household.vulnerability_assessed",
            HouseholdEvent::MedicalOpinionRecorded(_) => "household.medical_opinion_recorded",
            HouseholdEvent::OfferDecided(_) => "household.offer_decided",
            HouseholdEvent::Arrived { .. } => "household.arrived",
            HouseholdEvent::Left { .. } => "household.left",
            HouseholdEvent::AllowanceDecided(_) => "household.allowance_decided",
            HouseholdEvent::OrientationProposed(_) => "household.orientation_proposed",
            HouseholdEvent::OrientationContested { .. } => "household.orientation_contested",
            HouseholdEvent::ContestDecided { .. } => "household.contest_decided",
            HouseholdEvent::ProposalClosed(_) => "household.proposal_closed",
            HouseholdEvent::EndingOpened(_) => "household.ending_opened",
            HouseholdEvent::ObservationsRecorded(_) => "household.observations_recorded",
            HouseholdEvent::EndingDecided(_) => "household.ending_decided",
            HouseholdEvent::LetterIssued(_) => "household.letter_issued",
        }
    }
}

/// A household as its events left it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: Option<HouseholdId>,
    #[serde(default, with = "serde_dates::date::option")]
    pub registered_on: Option<Date>,
    pub region: String,
    pub case: Option<CaseNumber>,
    pub procedure: Option<AsylumProcedure>,
    pub language: Option<Language>,
    pub members: Vec<Member>,
    pub address: String,
    pub assessment: Option<Assessment>,
    pub medical: Option<MedicalOpinion>,
    pub offer: Option<Offer>,
    pub stays: Vec<Stay>,
    pub allowance_decisions: Vec<AllowanceDecision>,
    /// Places proposed by the weekly orientation, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<Proposal>,
    /// Procedures that may end the reception conditions, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endings: Vec<Ending>,
    /// The letters the agency issued, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub letters: Vec<HouseholdLetter>,
}

const MAX_MEMBERS: usize = 20;

fn check_members(members: &[Member], today: Date) -> Result<(), DomainError> {
    if members.is_empty() {
        return Err(DomainError::validation("members", "a household has at least one member"));
    }
    if members.len() > MAX_MEMBERS {
        return Err(DomainError::validation("members", format!("at most {MAX_MEMBERS} members")));
    }
    let heads: Vec<&Member> = members.iter().filter(|m| m.relationship == Relationship::Head).collect();
    let [head] = heads.as_slice() else {
        return Err(DomainError::validation("members", "name exactly one head of household (the applicant)"));
    };
    for m in members {
        m.family_name.validate("family_name")?;
        m.birth_date.validate(today)?;
        if let Some(n) = &m.foreigner_number {
            check_foreigner_number(n)?;
        }
    }
    if !members.iter().any(|m| m.is_adult(today)) {
        return Err(DomainError::validation(
            "members",
            "a household has at least one adult (an unaccompanied minor is referred to child welfare)",
        ));
    }
    let head_age = age_on(&head.birth_date, today);
    for m in members {
        let age = age_on(&m.birth_date, today);
        let contradiction = match (m.relationship, age, head_age) {
            (Relationship::Child, Some(a), Some(h)) => a >= h,
            (Relationship::Parent, Some(a), Some(h)) => a <= h,
            (Relationship::Spouse, Some(a), _) => a < 16,
            _ => false,
        };
        if contradiction {
            return Err(DomainError::validation(
                "members",
                format!(
                    "{} is recorded as the head's {} but is {} years old and the head {}",
                    m.family_name.latin,
                    m.relationship.as_str(),
                    age.unwrap_or_default(),
                    head_age.unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}

impl Household {
    pub fn is_registered(&self) -> bool {
        self.id.is_some()
    }

    /// The head of household.
    pub fn head(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.relationship == Relationship::Head)
    }

    /// The stay under way, if any.
    pub fn current_stay(&self) -> Option<&Stay> {
        self.stays.last().filter(|s| s.until.is_none())
    }

    /// The proposal under way (no outcome yet).
    pub fn pending_proposal(&self) -> Option<&Proposal> {
        self.proposals.last().filter(|p| p.is_pending())
    }

    /// The ending procedure not decided yet.
    pub fn open_ending(&self) -> Option<&Ending> {
        self.endings.last().filter(|e| e.decision.is_none())
    }

    /// Accommodated in the network on `on`.
    pub fn accommodated_on(&self, on: Date) -> bool {
        self.stays.iter().any(|s| s.from <= on && s.until.is_none_or(|u| on < u))
    }

    /// The points of vulnerability that follow from the household itself on `on` (minors,
    /// elderly people, a single parent), beside those the agent recorded.
    pub fn derived_needs(&self, on: Date) -> BTreeSet<Need> {
        let mut needs = BTreeSet::new();
        for (i, m) in self.members.iter().enumerate() {
            match age_on(&m.birth_date, on) {
                Some(a) if a < 18 => {
                    needs.insert(Need { member: i, kind: VulnerabilityKind::Minor });
                }
                Some(a) if a >= 65 => {
                    needs.insert(Need { member: i, kind: VulnerabilityKind::Elderly });
                }
                _ => {}
            }
        }
        let adults = self.members.iter().filter(|m| m.is_adult(on)).count();
        if adults == 1 && self.members.iter().any(|m| !m.is_adult(on)) {
            if let Some(i) = self.members.iter().position(|m| m.is_adult(on)) {
                needs.insert(Need { member: i, kind: VulnerabilityKind::SingleParent });
            }
        }
        needs
    }

    /// Every point of vulnerability: derived and assessed.
    pub fn needs(&self, on: Date) -> BTreeSet<Need> {
        let mut needs = self.derived_needs(on);
        if let Some(a) = &self.assessment {
            needs.extend(a.needs.iter().copied());
        }
        needs
    }

    pub fn is_vulnerable(&self, on: Date) -> bool {
        !self.needs(on).is_empty()
    }

    /// The assessment sent medical points to the doctor and no opinion is recorded yet.
    pub fn awaits_doctor(&self) -> bool {
        self.medical.is_none() && self.assessment.as_ref().is_some_and(|a| a.needs.iter().any(|n| n.kind.is_medical()))
    }

    /// The place a stay needs: accessible when the agent or the doctor said so, family for
    /// more than one person, single otherwise.
    pub fn place_kind(&self) -> PlaceKind {
        let accessible = self.assessment.as_ref().is_some_and(|a| a.accessible_place)
            || self.medical.as_ref().is_some_and(|m| m.accessible_place);
        if accessible {
            PlaceKind::Accessible
        } else if self.members.len() > 1 {
            PlaceKind::Family
        } else {
            PlaceKind::Single
        }
    }

    /// The decision on a command, as of `today`.
    pub fn decide(
        &self,
        command: &HouseholdCommand,
        rules: &ReceptionRules,
        today: Date,
    ) -> Result<Vec<HouseholdEvent>, DomainError> {
        let future = |field: &'static str, on: Date| {
            if on > today {
                Err(DomainError::validation(field, format!("{on} is in the future")))
            } else {
                Ok(())
            }
        };
        let before_registration = |field: &'static str, on: Date| match self.registered_on {
            Some(r) if on < r => {
                Err(DomainError::validation(field, format!("{on} is before the household's registration ({r})")))
            }
            _ => Ok(()),
        };
        match command {
            HouseholdCommand::Register(new) => {
                if self.is_registered() {
                    return Err(DomainError::AlreadyDone("the household is already registered"));
                }
                let region = rules.check_region("region", &new.region)?;
                check_members(&new.members, today)?;
                let address = new.address.trim();
                if address.chars().count() < 5 || address.chars().count() > 300 {
                    return Err(DomainError::validation(
                        "address",
                        "give an address where letters reach the household",
                    ));
                }
                let mut new = new.clone();
                new.region = region;
                new.address = address.to_owned();
                Ok(vec![HouseholdEvent::Registered { household: new, on: today }])
            }
            _ if !self.is_registered() => Err(DomainError::validation("household", "there is no such household")),
            HouseholdCommand::AssessVulnerability(a) => {
                future("on", a.on)?;
                before_registration("on", a.on)?;
                for need in &a.needs {
                    let Some(m) = self.members.get(need.member) else {
                        return Err(DomainError::validation("needs", format!("no member {}", need.member + 1)));
                    };
                    let age = age_on(&m.birth_date, a.on);
                    let wrong = match need.kind {
                        VulnerabilityKind::Minor => age.is_some_and(|a| a >= 18),
                        VulnerabilityKind::Elderly => age.is_some_and(|a| a < 60),
                        VulnerabilityKind::Pregnancy => m.sex == Sex::Male || age.is_some_and(|a| a < 10),
                        VulnerabilityKind::SingleParent => !m.is_adult(a.on),
                        _ => false,
                    };
                    if wrong {
                        return Err(DomainError::validation(
                            "needs",
                            format!(
                                "{} does not fit member {} ({})",
                                need.kind.as_str(),
                                need.member + 1,
                                m.family_name.latin
                            ),
                        ));
                    }
                }
                if a.notes.chars().count() > 5_000 {
                    return Err(DomainError::validation("notes", "at most 5,000 characters"));
                }
                Ok(vec![HouseholdEvent::VulnerabilityAssessed(a.clone())])
            }
            HouseholdCommand::RecordMedicalOpinion(m) => {
                future("on", m.on)?;
                before_registration("on", m.on)?;
                if m.notes.trim().chars().count() < 10 {
                    return Err(DomainError::validation("notes", "state the medical grounds (at least 10 characters)"));
                }
                Ok(vec![HouseholdEvent::MedicalOpinionRecorded(m.clone())])
            }
            HouseholdCommand::DecideOffer(o) => {
                if self.offer.is_some() {
                    return Err(DomainError::AlreadyDone("the household already answered the offer"));
                }
                future("signed_on", o.signed_on)?;
                before_registration("signed_on", o.signed_on)?;
                if !o.accepted && o.needs_accommodation {
                    return Err(DomainError::validation(
                        "needs_accommodation",
                        "a household that refuses the offer is offered no accommodation",
                    ));
                }
                Ok(vec![HouseholdEvent::OfferDecided(o.clone())])
            }
            HouseholdCommand::Arrive { structure, kind, on } => {
                future("on", *on)?;
                before_registration("on", *on)?;
                match &self.offer {
                    Some(o) if o.accepted && o.needs_accommodation => {}
                    _ => {
                        return Err(DomainError::validation(
                            "household",
                            "only a household that accepted the offer and asked for accommodation is placed",
                        ))
                    }
                }
                if let Some(stay) = self.current_stay() {
                    return Err(DomainError::validation(
                        "household",
                        format!(
                            "the household is in {} since {}: record its departure first",
                            stay.structure, stay.from
                        ),
                    ));
                }
                if let Some(last) = self.stays.last().and_then(|s| s.until).filter(|u| on < u) {
                    return Err(DomainError::validation("on", format!("the last stay ended on {last}")));
                }
                if self.allowance_ended_on(*on) {
                    return Err(DomainError::validation("household", "the reception conditions were ended"));
                }
                if let Some(p) = self.pending_proposal().filter(|p| &p.structure != structure) {
                    return Err(DomainError::validation(
                        "structure",
                        format!(
                            "the household was oriented to {} ({}): record its arrival there, or its refusal",
                            p.structure_name, p.structure
                        ),
                    ));
                }
                Ok(vec![HouseholdEvent::Arrived { structure: structure.clone(), kind: *kind, on: *on }])
            }
            HouseholdCommand::Leave { on, reason } => {
                future("on", *on)?;
                let Some(stay) = self.current_stay() else {
                    return Err(DomainError::validation("household", "the household is not accommodated"));
                };
                if *on < stay.from {
                    return Err(DomainError::validation("on", format!("the stay began on {}", stay.from)));
                }
                Ok(vec![HouseholdEvent::Left { on: *on, reason: *reason }])
            }
            HouseholdCommand::DecideAllowance(d) => {
                before_registration("from", d.from)?;
                if d.reasons.trim().chars().count() < 40 {
                    return Err(DomainError::validation(
                        "reasons",
                        "a decision on the allowance states its reasons (at least 40 characters)",
                    ));
                }
                if let AllowanceMeasure::Reduce { percent } = d.measure {
                    if !(1..=99).contains(&percent) {
                        return Err(DomainError::validation("percent", "a reduction is 1 to 99 %"));
                    }
                }
                if !self.offer.as_ref().is_some_and(|o| o.accepted) {
                    return Err(DomainError::validation("measure", "no allowance is paid: the offer was not accepted"));
                }
                if self.allowance_ended_on(d.from) {
                    return Err(DomainError::AlreadyDone("the allowance was ended"));
                }
                let takes_away = !matches!(d.measure, AllowanceMeasure::Restore);
                if takes_away && self.is_vulnerable(d.from) && d.vulnerability_weighed.trim().chars().count() < 20 {
                    return Err(DomainError::validation(
                        "vulnerability_weighed",
                        "the household is vulnerable: say how its situation and vulnerability were weighed (D.551-17)",
                    ));
                }
                if let Some(last) = self.allowance_decisions.last().filter(|l| d.from < l.from) {
                    return Err(DomainError::validation(
                        "from",
                        format!("a later decision takes effect on {}: decide from that day or after", last.from),
                    ));
                }
                Ok(vec![HouseholdEvent::AllowanceDecided(d.clone())])
            }
            HouseholdCommand::Propose(p) => self.decide_proposal(p, rules, today),
            HouseholdCommand::Contest { on, grounds } => {
                future("on", *on)?;
                let p = self.proposal_under_way()?;
                if p.contest.is_some() {
                    return Err(DomainError::AlreadyDone("the proposal was already contested"));
                }
                if *on > p.contest_by {
                    return Err(DomainError::validation(
                        "contest_by",
                        format!("the proposal could be contested until {}", p.contest_by),
                    ));
                }
                if grounds.trim().chars().count() < 20 {
                    return Err(DomainError::validation(
                        "grounds",
                        "state the grounds of the contest (at least 20 characters)",
                    ));
                }
                Ok(vec![HouseholdEvent::OrientationContested { on: *on, grounds: grounds.trim().to_owned() }])
            }
            HouseholdCommand::DecideContest { on, upheld, reasons } => {
                future("on", *on)?;
                let p = self.proposal_under_way()?;
                let Some(contest) = p.contest.as_ref().filter(|c| c.decision.is_none()) else {
                    return Err(DomainError::validation("household", "no contest awaits a decision"));
                };
                if *on < contest.on {
                    return Err(DomainError::validation("on", format!("the contest was made on {}", contest.on)));
                }
                if reasons.trim().chars().count() < 40 {
                    return Err(DomainError::validation(
                        "reasons",
                        "a decision on a contest states its reasons (at least 40 characters)",
                    ));
                }
                let o = rules.orientation(*on)?;
                let decision = ContestDecision { on: *on, upheld: *upheld, reasons: reasons.trim().to_owned() };
                let reach_by = if *upheld { p.reach_by } else { *on + time::Duration::days(o.reach_days) };
                let mut events = vec![HouseholdEvent::ContestDecided { decision, reach_by }];
                if *upheld {
                    events.push(HouseholdEvent::ProposalClosed(Outcome::Withdrawn { on: *on }));
                }
                Ok(events)
            }
            HouseholdCommand::RefuseOrientation { on } => {
                future("on", *on)?;
                let p = self.proposal_under_way()?;
                if p.contest_pending() {
                    return Err(DomainError::validation(
                        "household",
                        "the contest awaits a decision: decide it before recording a refusal",
                    ));
                }
                self.close_and_open(Outcome::Refused { on: *on }, EndingGround::RefusedOrientation, *on, rules)
            }
            HouseholdCommand::RecordNoShow { on } => {
                future("on", *on)?;
                let p = self.proposal_under_way()?;
                if *on <= p.reach_by || p.contest_pending() {
                    return Err(DomainError::validation(
                        "reach_by",
                        format!("the household has until {} to reach the place (R.551-3)", p.reach_by),
                    ));
                }
                self.close_and_open(Outcome::NoShow { on: *on }, EndingGround::DidNotReach, *on, rules)
            }
            HouseholdCommand::RecordObservations { on, text } => {
                future("on", *on)?;
                let Some(e) = self.open_ending() else {
                    return Err(DomainError::validation("household", "no procedure awaits observations"));
                };
                if e.observations.is_some() {
                    return Err(DomainError::AlreadyDone("the observations were already recorded"));
                }
                if *on < e.opened_on {
                    return Err(DomainError::validation("on", format!("the procedure opened on {}", e.opened_on)));
                }
                if text.trim().chars().count() < 10 {
                    return Err(DomainError::validation("text", "record the observations (at least 10 characters)"));
                }
                Ok(vec![HouseholdEvent::ObservationsRecorded(Observations { on: *on, text: text.trim().to_owned() })])
            }
            HouseholdCommand::DecideEnding { on, end, reasons, vulnerability_weighed } => {
                future("on", *on)?;
                let Some(e) = self.open_ending() else {
                    return Err(DomainError::validation("household", "no procedure awaits a decision"));
                };
                if e.observations.is_none() && *on <= e.observations_by {
                    return Err(DomainError::validation(
                        "observations_by",
                        format!(
                            "the household may send written observations until {} (D.551-17): decide after, or record them",
                            e.observations_by
                        ),
                    ));
                }
                if reasons.trim().chars().count() < 40 {
                    return Err(DomainError::validation(
                        "reasons",
                        "the decision states its reasons (at least 40 characters)",
                    ));
                }
                if vulnerability_weighed.trim().chars().count() < 20 {
                    return Err(DomainError::validation(
                        "vulnerability_weighed",
                        "say how the person's situation and vulnerability were weighed (D.551-17)",
                    ));
                }
                let o = rules.orientation(*on)?;
                let decision = EndingDecision {
                    on: *on,
                    end: *end,
                    reasons: reasons.trim().to_owned(),
                    vulnerability_weighed: vulnerability_weighed.trim().to_owned(),
                    court_by: *on + time::Duration::days(o.court_days),
                };
                let mut events = vec![HouseholdEvent::EndingDecided(decision.clone())];
                if *end && !self.allowance_ended_on(*on) && self.offer.as_ref().is_some_and(|o| o.accepted) {
                    events.push(HouseholdEvent::AllowanceDecided(AllowanceDecision {
                        measure: AllowanceMeasure::End,
                        from: *on,
                        reasons: decision.reasons.clone(),
                        vulnerability_weighed: decision.vulnerability_weighed.clone(),
                    }));
                }
                Ok(events)
            }
            HouseholdCommand::FileLetter(letter) => {
                if letter.issued_on != today || letter.size == 0 {
                    return Err(DomainError::validation("letter", "a letter is filed on the day it is printed"));
                }
                let follows = match letter.kind {
                    HouseholdLetterKind::OfferRefusal => self.offer.as_ref().is_some_and(|o| !o.accepted),
                    HouseholdLetterKind::OrientationProposal => self.proposals.last().is_some(),
                    HouseholdLetterKind::ContestDecision => {
                        self.proposals.last().and_then(|p| p.contest.as_ref()).is_some_and(|c| c.decision.is_some())
                    }
                    HouseholdLetterKind::ConditionsEndingNotice => self.endings.last().is_some(),
                    HouseholdLetterKind::ConditionsEndingDecision => {
                        self.endings.last().is_some_and(|e| e.decision.is_some())
                    }
                };
                if !follows {
                    return Err(DomainError::validation(
                        "letter",
                        format!("no step of the household's file calls for a letter {}", letter.kind.as_str()),
                    ));
                }
                Ok(vec![HouseholdEvent::LetterIssued(letter.clone())])
            }
        }
    }

    fn proposal_under_way(&self) -> Result<&Proposal, DomainError> {
        self.pending_proposal()
            .ok_or_else(|| DomainError::validation("household", "no proposal of the orientation is under way"))
    }

    fn close_and_open(
        &self,
        outcome: Outcome,
        ground: EndingGround,
        on: Date,
        rules: &ReceptionRules,
    ) -> Result<Vec<HouseholdEvent>, DomainError> {
        let o = rules.orientation(on)?;
        Ok(vec![
            HouseholdEvent::ProposalClosed(outcome),
            HouseholdEvent::EndingOpened(Ending {
                ground,
                opened_on: on,
                observations_by: on + time::Duration::days(o.observation_days),
                observations: None,
                decision: None,
            }),
        ])
    }

    fn decide_proposal(
        &self,
        p: &Proposal,
        rules: &ReceptionRules,
        today: Date,
    ) -> Result<Vec<HouseholdEvent>, DomainError> {
        if !self.offer.as_ref().is_some_and(|o| o.accepted && o.needs_accommodation) {
            return Err(DomainError::validation(
                "household",
                "only a household that accepted the offer and asked for accommodation is oriented",
            ));
        }
        if let Some(stay) = self.current_stay() {
            return Err(DomainError::validation("household", format!("the household is in {}", stay.structure)));
        }
        if self.pending_proposal().is_some() {
            return Err(DomainError::AlreadyDone("a proposal is already under way"));
        }
        if self.open_ending().is_some() || self.allowance_ended_on(today) {
            return Err(DomainError::validation("household", "the reception conditions are being ended or were ended"));
        }
        if p.region == self.region {
            return Err(DomainError::validation("structure", "an orientation proposes a place in another region"));
        }
        if p.on != today {
            return Err(DomainError::validation("on", "a proposal is made on the day of the plan"));
        }
        if p.contest_by < today {
            return Err(DomainError::validation(
                "contest_by",
                format!("the deadline to contest ({}) is in the past", p.contest_by),
            ));
        }
        let o = rules.orientation(today)?;
        if p.reach_by != today + time::Duration::days(o.reach_days) || p.contest_by >= p.reach_by {
            return Err(DomainError::validation(
                "contest_by",
                format!("the deadline to contest falls before the day the place must be reached ({})", p.reach_by),
            ));
        }
        if p.reasons.is_empty() || p.persons != self.members.len() as u32 {
            return Err(DomainError::validation("reasons", "a proposal for the whole household, with its reasons"));
        }
        Ok(vec![HouseholdEvent::OrientationProposed(p.clone())])
    }

    /// An `End` decision is in force on `on`.
    pub fn allowance_ended_on(&self, on: Date) -> bool {
        self.allowance_decisions.iter().any(|d| d.measure == AllowanceMeasure::End && d.from <= on)
    }

    /// The measure in force on `on`, if any.
    pub fn measure_on(&self, on: Date) -> Option<AllowanceMeasure> {
        self.allowance_decisions.iter().rev().find(|d| d.from <= on).map(|d| d.measure)
    }

    pub fn evolve(mut self, event: &HouseholdEvent) -> Household {
        match event {
            HouseholdEvent::Registered { household: new, on } => {
                self.id = Some(new.id.clone());
                self.registered_on = Some(*on);
                self.region = new.region.clone();
                self.case = new.case;
                self.procedure = Some(new.procedure);
                self.language = Some(new.language.clone());
                self.members = new.members.clone();
                self.address = new.address.clone();
            }
            HouseholdEvent::VulnerabilityAssessed(a) => self.assessment = Some(a.clone()),
            HouseholdEvent::MedicalOpinionRecorded(m) => self.medical = Some(m.clone()),
            HouseholdEvent::OfferDecided(o) => self.offer = Some(o.clone()),
            HouseholdEvent::Arrived { structure, kind, on } => {
                if let Some(p) = self.proposals.last_mut().filter(|p| p.is_pending() && &p.structure == structure) {
                    p.outcome = Some(Outcome::Arrived { on: *on });
                }
                self.stays.push(Stay {
                    structure: structure.clone(),
                    kind: *kind,
                    from: *on,
                    until: None,
                    reason: None,
                });
            }
            HouseholdEvent::Left { on, reason } => {
                if let Some(stay) = self.stays.last_mut().filter(|s| s.until.is_none()) {
                    stay.until = Some(*on);
                    stay.reason = Some(*reason);
                }
            }
            HouseholdEvent::AllowanceDecided(d) => self.allowance_decisions.push(d.clone()),
            HouseholdEvent::OrientationProposed(p) => self.proposals.push(p.clone()),
            HouseholdEvent::OrientationContested { on, grounds } => {
                if let Some(p) = self.proposals.last_mut() {
                    p.contest = Some(Contest { on: *on, grounds: grounds.clone(), decision: None });
                }
            }
            HouseholdEvent::ContestDecided { decision, reach_by } => {
                if let Some(p) = self.proposals.last_mut() {
                    p.reach_by = *reach_by;
                    if let Some(c) = p.contest.as_mut() {
                        c.decision = Some(decision.clone());
                    }
                }
            }
            HouseholdEvent::ProposalClosed(outcome) => {
                if let Some(p) = self.proposals.last_mut().filter(|p| p.is_pending()) {
                    p.outcome = Some(*outcome);
                }
            }
            HouseholdEvent::EndingOpened(e) => self.endings.push(e.clone()),
            HouseholdEvent::ObservationsRecorded(obs) => {
                if let Some(e) = self.endings.last_mut() {
                    e.observations = Some(obs.clone());
                }
            }
            HouseholdEvent::EndingDecided(d) => {
                if let Some(e) = self.endings.last_mut() {
                    e.decision = Some(d.clone());
                }
            }
            HouseholdEvent::LetterIssued(letter) => self.letters.push(letter.clone()),
        }
        self
    }
}
