//! Half-days, the unit of every calendar of the planning: an interview takes one.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::calendar::non_working_reason;
use crate::error::DomainError;
use crate::serde_dates::{format_date, parse_date};

/// A morning or an afternoon of a working day, written `2026-12-07am` / `2026-12-07pm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HalfDay {
    pub date: Date,
    pub afternoon: bool,
}

impl HalfDay {
    pub fn morning(date: Date) -> HalfDay {
        HalfDay { date, afternoon: false }
    }

    pub fn afternoon(date: Date) -> HalfDay {
        HalfDay { date, afternoon: true }
    }

    /// Parses `YYYY-MM-DDam` or `YYYY-MM-DDpm` (also with a space or a dash before the part).
    /// A weekend or public holiday is refused: nobody is convened then.
    pub fn parse(s: &str) -> Result<HalfDay, DomainError> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || DomainError::validation("half_day", format!("{s:?} is not a half-day like 2026-12-07am"));
        // By bytes, but only where a character starts: typed text may be anything.
        let (Some(date), Some(part)) = (t.get(..10), t.get(10..)) else { return Err(bad()) };
        let date = parse_date(date).map_err(|_| bad())?;
        let afternoon = match part.trim_start_matches([' ', '-']) {
            "am" => false,
            "pm" => true,
            _ => return Err(bad()),
        };
        let half = HalfDay { date, afternoon };
        half.working()?;
        Ok(half)
    }

    /// Refuses a weekend or public holiday.
    pub fn working(self) -> Result<HalfDay, DomainError> {
        match non_working_reason(self.date) {
            Some(why) => Err(DomainError::validation(
                "half_day",
                format!("{} is not a working day ({why}): no interview is held then", format_date(self.date)),
            )),
            None => Ok(self),
        }
    }

    /// The ten half-days of the working week that starts on `monday` (fewer when it has public
    /// holidays).
    pub fn week(monday: Date) -> Vec<HalfDay> {
        (0..5)
            .map(|d| monday + Duration::days(d))
            .filter(|d| non_working_reason(*d).is_none())
            .flat_map(|d| [HalfDay::morning(d), HalfDay::afternoon(d)])
            .collect()
    }

    /// The hour the half-day starts, as the convocation states it.
    pub fn starts_at(self) -> &'static str {
        if self.afternoon {
            "14:00"
        } else {
            "09:00"
        }
    }
}

impl TryFrom<String> for HalfDay {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        // Stored half-days are kept as they were, even a day that later became a holiday.
        let t = s.trim().to_ascii_lowercase();
        let bad = || DomainError::validation("half_day", format!("{s:?} is not a half-day like 2026-12-07am"));
        let (Some(date), Some(part)) = (t.get(..10), t.get(10..)) else { return Err(bad()) };
        let date = parse_date(date).map_err(|_| bad())?;
        match part {
            "am" => Ok(HalfDay::morning(date)),
            "pm" => Ok(HalfDay::afternoon(date)),
            _ => Err(bad()),
        }
    }
}

impl From<HalfDay> for String {
    fn from(h: HalfDay) -> String {
        h.to_string()
    }
}

impl std::fmt::Display for HalfDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", format_date(self.date), if self.afternoon { "pm" } else { "am" })
    }
}
