//! The archives' rules as data (`rules/archives.toml`): loan periods per purpose, the periods of
//! the Code du patrimoine after which an item is communicable, retention per file category, and
//! the stores' capacity.

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

use super::files::Purpose;
use crate::error::DomainError;
use crate::serde_dates;

const ARCHIVES: &str = include_str!("../../rules/archives.toml");

/// The loan periods in force from a date.
#[derive(Debug, Clone, Deserialize)]
pub struct LoanPeriods {
    #[serde(with = "serde_dates::date")]
    pub from: Date,
    pub interview: u32,
    pub review: u32,
    pub appeal: u32,
    pub civil_status: u32,
    pub other: u32,
}

impl LoanPeriods {
    pub fn days(&self, purpose: Purpose) -> u32 {
        match purpose {
            Purpose::Interview => self.interview,
            Purpose::Review => self.review,
            Purpose::Appeal => self.appeal,
            Purpose::CivilStatus => self.civil_status,
            Purpose::Other => self.other,
        }
    }
}

/// The period after which an item of a category is communicable (L.213-2).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessPeriod {
    pub category: String,
    pub label: String,
    #[serde(default)]
    pub years_from_document: Option<i32>,
    #[serde(default)]
    pub years_after_death: Option<i32>,
    #[serde(default)]
    pub years_from_birth: Option<i32>,
}

/// What becomes of a file at the end of its retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    /// Transferred to the national archives (versement).
    Transfer,
    /// Destroyed with the national archives' approval (élimination).
    Destroy,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub category: String,
    pub label: String,
    pub years: i32,
    pub fate: Fate,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoreRoom {
    pub code: String,
    pub name: String,
    pub capacity_metres: f64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchivesFile {
    online_years_from_document: i32,
    loan: Vec<LoanPeriods>,
    access: Vec<AccessPeriod>,
    retention: Vec<Retention>,
    store: Vec<StoreRoom>,
}

/// The archives' rules, checked.
#[derive(Debug, Clone)]
pub struct ArchiveRules {
    /// Sorted by `from`.
    loans: Vec<LoanPeriods>,
    access: BTreeMap<String, AccessPeriod>,
    retention: BTreeMap<String, Retention>,
    stores: Vec<StoreRoom>,
    /// Years after an item's most recent document before the portal shows it to anonymous
    /// visitors when it names people.
    pub online_years_from_document: i32,
}

impl ArchiveRules {
    pub fn embedded() -> Result<ArchiveRules, DomainError> {
        ArchiveRules::parse(ARCHIVES)
    }

    pub fn parse(text: &str) -> Result<ArchiveRules, DomainError> {
        let bad = |reason: String| DomainError::InvalidRules { file: "archives.toml", reason };
        let file: ArchivesFile = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        let mut loans = file.loan;
        loans.sort_by_key(|l| l.from);
        if loans.is_empty() {
            return Err(bad("at least one [[loan]]".into()));
        }
        let mut access = BTreeMap::new();
        for a in file.access {
            if a.years_from_document.is_none() && a.years_after_death.is_none() && a.years_from_birth.is_none() {
                return Err(bad(format!("access {:?} names no period", a.category)));
            }
            if let Some(old) = access.insert(a.category.clone(), a) {
                return Err(bad(format!("access {:?} twice", old.category)));
            }
        }
        let mut retention = BTreeMap::new();
        for r in file.retention {
            if r.years <= 0 {
                return Err(bad(format!("retention {:?}: a period in years", r.category)));
            }
            if let Some(old) = retention.insert(r.category.clone(), r) {
                return Err(bad(format!("retention {:?} twice", old.category)));
            }
        }
        if file.store.iter().any(|s| s.capacity_metres <= 0.0) {
            return Err(bad("a store's capacity is positive".into()));
        }
        Ok(ArchiveRules {
            loans,
            access,
            retention,
            stores: file.store,
            online_years_from_document: file.online_years_from_document,
        })
    }

    /// The due date of a file received on `on` for `purpose`, by the periods in force that day.
    pub fn due(&self, purpose: Purpose, on: Date) -> Date {
        let periods = self.loans.iter().rev().find(|l| l.from <= on).unwrap_or(&self.loans[0]);
        on + time::Duration::days(i64::from(periods.days(purpose)))
    }

    pub fn access(&self, category: &str) -> Option<&AccessPeriod> {
        self.access.get(category)
    }

    pub fn access_periods(&self) -> impl Iterator<Item = &AccessPeriod> {
        self.access.values()
    }

    pub fn retention(&self, category: &str) -> Option<&Retention> {
        self.retention.get(category)
    }

    pub fn retentions(&self) -> impl Iterator<Item = &Retention> {
        self.retention.values()
    }

    pub fn stores(&self) -> &[StoreRoom] {
        &self.stores
    }
}
