//! When an archive may be read, computed from the law (Code du patrimoine, L.213-2) and its
//! dates: each category of what an item holds has a period (`rules/archives.toml`), running from
//! its most recent document, from the death of the person concerned, or from their birth; the
//! item opens on the latest of its categories' dates. Nobody opens it: on that day it is open.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::rules::{AccessPeriod, ArchiveRules};
use crate::error::DomainError;
use crate::serde_dates;

/// What access needs to know of an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessFacts {
    /// The categories of what the item holds (codes of `[[access]]`); none: communicable at once.
    pub categories: Vec<String>,
    /// The date of the most recent document of the item (the file, for a file).
    #[serde(with = "serde_dates::date")]
    pub latest_document: Date,
    /// The birth and the death of the person concerned, when known.
    #[serde(default, with = "serde_dates::date::option")]
    pub born: Option<Date>,
    #[serde(default, with = "serde_dates::date::option")]
    pub died: Option<Date>,
    /// Whether the item names people (an index card, a certificate): communicable, it is still
    /// shown to registered researchers only until `online_years_from_document` have passed.
    pub names_people: bool,
}

/// Who may see an item's images on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "access", rename_all = "snake_case")]
pub enum Visibility {
    /// Anyone, anonymous visitors included.
    Public,
    /// Registered researchers: communicable, but it names people and is not on the open web yet.
    Researchers {
        #[serde(with = "serde_dates::date")]
        public_on: Date,
    },
    /// Not communicable before `opens_on`: only a researcher granted a dérogation for the file sees it.
    Closed {
        #[serde(with = "serde_dates::date")]
        opens_on: Date,
    },
}

impl Visibility {
    pub fn code(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Researchers { .. } => "researchers",
            Visibility::Closed { .. } => "closed",
        }
    }
}

/// `d` plus `years` calendar years; the 29th of February gives the 1st of March in a common year.
pub fn add_years(d: Date, years: i32) -> Date {
    let year = d.year() + years;
    d.replace_year(year).unwrap_or_else(|_| Date::from_calendar_date(year, Month::March, 1).unwrap_or(d))
}

/// The day a category's period ends for these facts.
fn opens_by(period: &AccessPeriod, facts: &AccessFacts) -> Date {
    let by_document = period.years_from_document.map(|y| add_years(facts.latest_document, y));
    let by_death = facts.died.zip(period.years_after_death).map(|(d, y)| add_years(d, y));
    match (by_document, by_death) {
        // "or 25 years after death": the earlier of the two.
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        // Medical secrecy with the death unknown: from the birth, or, when that is unknown too,
        // from the most recent document (which is after the birth: never earlier than the law).
        (None, None) => match period.years_from_birth {
            Some(y) => add_years(facts.born.unwrap_or(facts.latest_document), y),
            None => facts.latest_document,
        },
    }
}

/// The day the item becomes communicable as of right.
pub fn opens_on(facts: &AccessFacts, rules: &ArchiveRules) -> Result<Date, DomainError> {
    let mut opens = facts.latest_document;
    for category in &facts.categories {
        let period = rules.access(category).ok_or_else(|| {
            DomainError::validation("categories", format!("{category:?} is not a category of the law's periods"))
        })?;
        opens = opens.max(opens_by(period, facts));
    }
    Ok(opens)
}

/// Who may see the item on `today`.
pub fn visibility(facts: &AccessFacts, rules: &ArchiveRules, today: Date) -> Result<Visibility, DomainError> {
    let opens_on = opens_on(facts, rules)?;
    if today < opens_on {
        return Ok(Visibility::Closed { opens_on });
    }
    let public_on = add_years(facts.latest_document, rules.online_years_from_document).max(opens_on);
    if facts.names_people && today < public_on {
        return Ok(Visibility::Researchers { public_on });
    }
    Ok(Visibility::Public)
}
