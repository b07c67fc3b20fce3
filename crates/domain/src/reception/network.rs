//! The national reception network (dispositif national d'accueil, DNA): structures, their places
//! by kind and their occupancy as the operators declare it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::DomainError;
use crate::protection::Department;
use crate::serde_dates;

use super::rules::ReceptionRules;
use super::HouseholdId;

/// The kind of a structure (L.552-1; CASF L.348-1, L.349-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructureKind {
    /// Reception centre for asylum seekers (centre d'accueil pour demandeurs d'asile, CADA).
    Cada,
    /// Emergency accommodation for asylum seekers (hébergement d'urgence, HUDA).
    Huda,
    /// Reception and situation-assessment centre (centre d'accueil et d'examen des situations, CAES).
    Caes,
    /// Temporary centre for refugees (centre provisoire d'hébergement, CPH): protected people only.
    Cph,
}

impl StructureKind {
    pub const ALL: [StructureKind; 4] =
        [StructureKind::Cada, StructureKind::Huda, StructureKind::Caes, StructureKind::Cph];

    pub fn as_str(self) -> &'static str {
        match self {
            StructureKind::Cada => "cada",
            StructureKind::Huda => "huda",
            StructureKind::Caes => "caes",
            StructureKind::Cph => "cph",
        }
    }

    pub fn parse(s: &str) -> Result<StructureKind, DomainError> {
        StructureKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            DomainError::validation("kind", format!("{s:?} is not a kind of structure (cada, huda, caes, cph)"))
        })
    }
}

/// The kind of a place: a single person's, a family's, or accessible to reduced mobility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Single,
    Family,
    Accessible,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 3] = [PlaceKind::Single, PlaceKind::Family, PlaceKind::Accessible];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Single => "single",
            PlaceKind::Family => "family",
            PlaceKind::Accessible => "accessible",
        }
    }

    pub fn parse(s: &str) -> Result<PlaceKind, DomainError> {
        PlaceKind::ALL.into_iter().find(|k| k.as_str() == s.trim()).ok_or_else(|| {
            DomainError::validation("place_kind", format!("{s:?} is not a kind of place (single, family, accessible)"))
        })
    }
}

/// A number of places (or of people in them) by kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Places {
    pub single: u32,
    pub family: u32,
    pub accessible: u32,
}

impl Places {
    pub fn total(&self) -> u32 {
        self.single + self.family + self.accessible
    }

    pub fn of(&self, kind: PlaceKind) -> u32 {
        match kind {
            PlaceKind::Single => self.single,
            PlaceKind::Family => self.family,
            PlaceKind::Accessible => self.accessible,
        }
    }

    fn slot(&mut self, kind: PlaceKind) -> &mut u32 {
        match kind {
            PlaceKind::Single => &mut self.single,
            PlaceKind::Family => &mut self.family,
            PlaceKind::Accessible => &mut self.accessible,
        }
    }
}

/// A structure's code in the agency's register: upper-case letters, digits and dashes
/// (`CADA-75-004`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StructureCode(String);

impl StructureCode {
    pub fn parse(s: &str) -> Result<StructureCode, DomainError> {
        let s = s.trim().to_ascii_uppercase();
        if (3..=32).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            Ok(StructureCode(s))
        } else {
            Err(DomainError::validation("structure", format!("{s:?} is not a structure code like CADA-75-004")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for StructureCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        StructureCode::parse(&s)
    }
}

impl From<StructureCode> for String {
    fn from(c: StructureCode) -> String {
        c.0
    }
}

impl std::fmt::Display for StructureCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// An accommodation operator (gestionnaire): lower-case letters, digits and dashes (`adoma`).
pub fn check_operator(s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if (2..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        Ok(s.to_owned())
    } else {
        Err(DomainError::validation("operator", format!("{s:?} is not an operator's id (lower case, like adoma)")))
    }
}

/// What opens a structure in the register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewStructure {
    pub code: StructureCode,
    pub name: String,
    pub kind: StructureKind,
    pub operator: String,
    pub department: Department,
    pub places: Places,
    /// A hospital that provides medical follow-up is near (for the doctor's constraints).
    pub hospital_nearby: bool,
    #[serde(with = "serde_dates::date")]
    pub opened_on: Date,
}

/// A household staying in the structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resident {
    pub kind: PlaceKind,
    pub persons: u32,
    #[serde(with = "serde_dates::date")]
    pub since: Date,
}

/// A structure of the network, as its events left it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Structure {
    pub code: Option<StructureCode>,
    pub name: String,
    pub kind: Option<StructureKind>,
    pub operator: String,
    /// Region code of the scheme (from the department).
    pub region: String,
    pub department: Option<Department>,
    pub places: Places,
    /// People in the places, by kind: the operator's last declaration, plus the arrivals and
    /// minus the departures of households since.
    pub occupied: Places,
    pub hospital_nearby: bool,
    #[serde(default, with = "serde_dates::date::option")]
    pub declared_on: Option<Date>,
    /// Households the agency placed here and still here.
    #[serde(default)]
    pub residents: BTreeMap<HouseholdId, Resident>,
    /// Places held for households the orientation proposed here, until they arrive or the
    /// proposal ends.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub held: BTreeMap<HouseholdId, Resident>,
}

/// What may be done to a structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum StructureCommand {
    Open(NewStructure),
    /// The operator's declaration of the people in its places (arrivals and departures of people
    /// the agency did not place, vacancies).
    DeclareOccupancy {
        occupied: Places,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// A household the agency placed arrives.
    Admit {
        household: HouseholdId,
        kind: PlaceKind,
        persons: u32,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// Places held for a household proposed here by the orientation.
    Hold {
        household: HouseholdId,
        kind: PlaceKind,
        persons: u32,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// The hold ends without an arrival (refusal, no-show, contest upheld).
    Unhold {
        household: HouseholdId,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// A household placed here leaves.
    Release {
        household: HouseholdId,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

/// What happened to a structure (journaled under `structure:<code>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum StructureEvent {
    Opened {
        structure: NewStructure,
        region: String,
    },
    OccupancyDeclared {
        occupied: Places,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Admitted {
        household: HouseholdId,
        kind: PlaceKind,
        persons: u32,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Released {
        household: HouseholdId,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Held {
        household: HouseholdId,
        kind: PlaceKind,
        persons: u32,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Unheld {
        household: HouseholdId,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

impl StructureEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            StructureEvent::Opened { .. } => "structure.opened",
            StructureEvent::OccupancyDeclared { .. } => "structure.occupancy_declared",
            StructureEvent::Admitted { .. } => "structure.admitted",
            StructureEvent::Released { .. } => "structure.released",
            StructureEvent::Held { .. } => "structure.held",
            StructureEvent::Unheld { .. } => "structure.unheld",
        }
    }
}

fn not_after_today(field: &'static str, on: Date, today: Date) -> Result<(), DomainError> {
    if on > today {
        return Err(DomainError::validation(field, format!("{on} is in the future")));
    }
    Ok(())
}

impl Structure {
    pub fn is_open(&self) -> bool {
        self.code.is_some()
    }

    /// Free places of a kind: neither occupied nor held for a proposal.
    pub fn free(&self, kind: PlaceKind) -> u32 {
        let held: u32 = self.held.values().filter(|r| r.kind == kind).map(|r| r.persons).sum();
        self.places.of(kind).saturating_sub(self.occupied.of(kind)).saturating_sub(held)
    }

    /// The decision on a command, as of `today`.
    pub fn decide(
        &self,
        command: &StructureCommand,
        rules: &ReceptionRules,
        today: Date,
    ) -> Result<Vec<StructureEvent>, DomainError> {
        match command {
            StructureCommand::Open(new) => {
                if self.is_open() {
                    return Err(DomainError::AlreadyDone("the structure is already in the register"));
                }
                let name = new.name.trim();
                if name.is_empty() || name.chars().count() > 200 {
                    return Err(DomainError::validation("name", "give the structure's name (1 to 200 characters)"));
                }
                check_operator(&new.operator)?;
                if new.places.total() == 0 {
                    return Err(DomainError::validation("places", "a structure has at least one place"));
                }
                not_after_today("opened_on", new.opened_on, today)?;
                let region = rules.region_of(&new.department).ok_or_else(|| {
                    DomainError::validation(
                        "department",
                        format!("department {} is not in a region of the national scheme", new.department.as_str()),
                    )
                })?;
                let mut new = new.clone();
                new.name = name.to_owned();
                Ok(vec![StructureEvent::Opened { structure: new, region: region.code.clone() }])
            }
            _ if !self.is_open() => Err(DomainError::validation("structure", "there is no such structure")),
            StructureCommand::DeclareOccupancy { occupied, on } => {
                not_after_today("on", *on, today)?;
                if let Some(last) = self.declared_on.filter(|last| on < last) {
                    return Err(DomainError::validation(
                        "on",
                        format!("a later declaration ({last}) is already recorded: declare as of {last} or after"),
                    ));
                }
                for kind in PlaceKind::ALL {
                    if occupied.of(kind) > self.places.of(kind) {
                        return Err(DomainError::validation(
                            occupied_field(kind),
                            format!(
                                "{} people in {} {} places: a structure cannot hold more people than places",
                                occupied.of(kind),
                                self.places.of(kind),
                                kind.as_str()
                            ),
                        ));
                    }
                }
                let placed = self.placed();
                for kind in PlaceKind::ALL {
                    if occupied.of(kind) < placed.of(kind) {
                        return Err(DomainError::validation(
                            occupied_field(kind),
                            format!(
                                "{} people the agency placed are still in {} places: record their departure first",
                                placed.of(kind),
                                kind.as_str()
                            ),
                        ));
                    }
                }
                Ok(vec![StructureEvent::OccupancyDeclared { occupied: *occupied, on: *on }])
            }
            StructureCommand::Admit { household, kind, persons, on } => {
                not_after_today("on", *on, today)?;
                if self.residents.contains_key(household) {
                    return Err(DomainError::AlreadyDone("the household is already in this structure"));
                }
                if *persons == 0 {
                    return Err(DomainError::validation("persons", "a household has at least one person"));
                }
                if self.kind == Some(StructureKind::Cph) {
                    return Err(DomainError::validation(
                        "structure",
                        "a temporary centre for refugees (CPH) admits protected people, not asylum seekers",
                    ));
                }
                let own = self.held.get(household).filter(|r| r.kind == *kind).map_or(0, |r| r.persons);
                let free = self.free(*kind) + own;
                if free < *persons {
                    return Err(DomainError::validation(
                        "structure",
                        format!("{persons} {} places needed, {free} free in {}", kind.as_str(), self.name),
                    ));
                }
                Ok(vec![StructureEvent::Admitted {
                    household: household.clone(),
                    kind: *kind,
                    persons: *persons,
                    on: *on,
                }])
            }
            StructureCommand::Hold { household, kind, persons, on } => {
                not_after_today("on", *on, today)?;
                if self.held.contains_key(household) || self.residents.contains_key(household) {
                    return Err(DomainError::AlreadyDone("places are already held for this household here"));
                }
                if self.kind == Some(StructureKind::Cph) || *persons == 0 {
                    return Err(DomainError::validation("structure", "this structure takes no asylum seekers"));
                }
                let free = self.free(*kind);
                if free < *persons {
                    return Err(DomainError::validation(
                        "structure",
                        format!("{persons} {} places needed, {free} free in {}", kind.as_str(), self.name),
                    ));
                }
                Ok(vec![StructureEvent::Held { household: household.clone(), kind: *kind, persons: *persons, on: *on }])
            }
            StructureCommand::Unhold { household, on } => {
                not_after_today("on", *on, today)?;
                if !self.held.contains_key(household) {
                    return Err(DomainError::validation("household", "no places are held for this household here"));
                }
                Ok(vec![StructureEvent::Unheld { household: household.clone(), on: *on }])
            }
            StructureCommand::Release { household, on } => {
                not_after_today("on", *on, today)?;
                let Some(resident) = self.residents.get(household) else {
                    return Err(DomainError::validation("household", "this household is not in the structure"));
                };
                if *on < resident.since {
                    return Err(DomainError::validation(
                        "on",
                        format!("the household arrived on {}: it cannot leave before", resident.since),
                    ));
                }
                Ok(vec![StructureEvent::Released { household: household.clone(), on: *on }])
            }
        }
    }

    /// People the agency placed here, by kind of place.
    pub fn placed(&self) -> Places {
        let mut placed = Places::default();
        for r in self.residents.values() {
            *placed.slot(r.kind) += r.persons;
        }
        placed
    }

    pub fn evolve(mut self, event: &StructureEvent) -> Structure {
        match event {
            StructureEvent::Opened { structure, region } => {
                self.code = Some(structure.code.clone());
                self.name = structure.name.clone();
                self.kind = Some(structure.kind);
                self.operator = structure.operator.clone();
                self.region = region.clone();
                self.department = Some(structure.department.clone());
                self.places = structure.places;
                self.hospital_nearby = structure.hospital_nearby;
            }
            StructureEvent::OccupancyDeclared { occupied, on } => {
                self.occupied = *occupied;
                self.declared_on = Some(*on);
            }
            StructureEvent::Admitted { household, kind, persons, on } => {
                *self.occupied.slot(*kind) += persons;
                self.held.remove(household);
                self.residents.insert(household.clone(), Resident { kind: *kind, persons: *persons, since: *on });
            }
            StructureEvent::Held { household, kind, persons, on } => {
                self.held.insert(household.clone(), Resident { kind: *kind, persons: *persons, since: *on });
            }
            StructureEvent::Unheld { household, .. } => {
                self.held.remove(household);
            }
            StructureEvent::Released { household, .. } => {
                if let Some(r) = self.residents.remove(household) {
                    let slot = self.occupied.slot(r.kind);
                    *slot = slot.saturating_sub(r.persons);
                }
            }
        }
        self
    }
}

/// The form field of the people in a kind of place.
pub fn occupied_field(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Single => "occupied_single",
        PlaceKind::Family => "occupied_family",
        PlaceKind::Accessible => "occupied_accessible",
    }
}
