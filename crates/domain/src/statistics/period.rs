//! The period a table covers: a month, a year, or a range of either, never ending in the future.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::DomainError;

/// How a table's time dimension is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Month,
    Year,
}

impl Granularity {
    /// The length of the `YYYY-MM-DD` prefix that names a bucket: 7 for a month, 4 for a year.
    pub fn prefix_len(&self) -> usize {
        match self {
            Granularity::Month => 7,
            Granularity::Year => 4,
        }
    }

    /// Eurostat's `freq` code.
    pub fn freq(&self) -> &'static str {
        match self {
            Granularity::Month => "M",
            Granularity::Year => "A",
        }
    }
}

/// A closed range of whole months or years: `2025`, `2025-03`, `2024-01/2024-06`, `2016/2025`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    pub granularity: Granularity,
    /// The first day.
    pub from: Date,
    /// The last day.
    pub to: Date,
}

fn bad(reason: impl Into<String>) -> DomainError {
    DomainError::validation("period", reason)
}

/// `YYYY` or `YYYY-MM`: the first day and the granularity.
fn parse_bound(s: &str) -> Result<(Granularity, i32, Month), DomainError> {
    let s = s.trim();
    let year = |y: &str| -> Result<i32, DomainError> {
        match y.parse::<i32>() {
            Ok(v) if y.len() == 4 && (1950..=9999).contains(&v) => Ok(v),
            _ => Err(bad(format!("{s:?} is not a year (YYYY) or a month (YYYY-MM)"))),
        }
    };
    match s.split_once('-') {
        None => Ok((Granularity::Year, year(s)?, Month::January)),
        Some((y, m)) => {
            let month = m
                .parse::<u8>()
                .ok()
                .filter(|_| m.len() == 2)
                .and_then(|m| Month::try_from(m).ok())
                .ok_or_else(|| bad(format!("{s:?}: the month must be 01 to 12")))?;
            Ok((Granularity::Month, year(y)?, month))
        }
    }
}

fn last_day(g: Granularity, year: i32, month: Month) -> Result<Date, DomainError> {
    let month = if g == Granularity::Year { Month::December } else { month };
    Date::from_calendar_date(year, month, month.length(year)).map_err(|e| bad(e.to_string()))
}

impl Period {
    /// Parse a period and check it against `today`: it must not end before it starts, mix months
    /// and years, or start after the current month (a month not begun has no figures).
    pub fn parse(text: &str, today: Date) -> Result<Period, DomainError> {
        let (a, b) = text.split_once('/').unwrap_or((text, text));
        let (g1, y1, m1) = parse_bound(a)?;
        let (g2, y2, m2) = parse_bound(b)?;
        if g1 != g2 {
            return Err(bad("both ends must be months (YYYY-MM) or both years (YYYY)"));
        }
        let from = Date::from_calendar_date(y1, m1, 1).map_err(|e| bad(e.to_string()))?;
        let to = last_day(g2, y2, m2)?;
        if to < from {
            return Err(bad(format!("the period ends ({b}) before it starts ({a})")));
        }
        let end_start = Date::from_calendar_date(y2, if g2 == Granularity::Year { Month::January } else { m2 }, 1)
            .map_err(|e| bad(e.to_string()))?;
        if end_start > today {
            return Err(bad(format!("{b} is in the future: figures exist up to {today}")));
        }
        let period = Period { granularity: g1, from, to };
        if period.buckets().len() > 240 {
            return Err(bad("at most 240 months or years at once"));
        }
        Ok(period)
    }

    /// The same span cut in months, ending no later than the month of `today` (a year asked of a
    /// monthly table is its months so far).
    pub fn in_months(&self, today: Date) -> Period {
        let cap =
            Date::from_calendar_date(today.year(), today.month(), today.month().length(today.year())).unwrap_or(today);
        Period { granularity: Granularity::Month, from: self.from, to: self.to.min(cap).max(self.from) }
    }

    /// The year containing `on`.
    pub fn year_of(on: Date) -> Period {
        let from = Date::from_calendar_date(on.year(), Month::January, 1).unwrap_or(on);
        let to = Date::from_calendar_date(on.year(), Month::December, 31).unwrap_or(on);
        Period { granularity: Granularity::Year, from, to }
    }

    /// The names of the months or years covered, in order: `2025-01`, … or `2016`, …
    pub fn buckets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.granularity {
            Granularity::Year => {
                for y in self.from.year()..=self.to.year() {
                    out.push(format!("{y:04}"));
                }
            }
            Granularity::Month => {
                let (mut y, mut m) = (self.from.year(), self.from.month());
                while (y, m as u8) <= (self.to.year(), self.to.month() as u8) && out.len() <= 241 {
                    out.push(format!("{y:04}-{:02}", m as u8));
                    if m == Month::December {
                        y += 1;
                    }
                    m = m.next();
                }
            }
        }
        out
    }

    /// The last day of each bucket (stock figures are taken at the end of each month or year).
    pub fn bucket_ends(&self) -> Vec<(String, Date)> {
        self.buckets()
            .into_iter()
            .filter_map(|b| {
                let (g, y, m) = parse_bound(&b).ok()?;
                Some((b, last_day(g, y, m).ok()?))
            })
            .collect()
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.buckets();
        match (b.first(), b.last()) {
            (Some(a), Some(z)) if a == z => f.write_str(a),
            (Some(a), Some(z)) => write!(f, "{a}/{z}"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 30);

    #[test]
    fn months_years_and_ranges() {
        let p = Period::parse("2025", TODAY).expect("a year");
        assert_eq!((p.from, p.to, p.granularity), (date!(2025 - 01 - 01), date!(2025 - 12 - 31), Granularity::Year));
        let p = Period::parse("2024-02", TODAY).expect("a month");
        assert_eq!(p.to, date!(2024 - 02 - 29));
        let p = Period::parse("2025-11/2026-02", TODAY).expect("a range");
        assert_eq!(p.buckets(), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(p.to_string(), "2025-11/2026-02");
        assert_eq!(Period::parse("2016/2025", TODAY).expect("years").buckets().len(), 10);
        assert!(Period::parse("2026-11", TODAY).is_ok(), "the current month may be asked (partial)");
        let months = Period::parse("2026", TODAY).expect("this year").in_months(TODAY);
        assert_eq!(months.buckets().len(), 11, "January to November");
    }

    #[test]
    fn bad_periods_say_why() {
        let why = |s: &str| Period::parse(s, TODAY).expect_err(s).to_string();
        assert!(why("2025-06/2025-01").contains("before it starts"));
        assert!(why("2026-12").contains("future"));
        assert!(why("2027").contains("future"));
        assert!(why("2025-13").contains("01 to 12"));
        assert!(why("2025/2025-03").contains("both ends"));
        assert!(why("last year").contains("not a year"));
        assert!(why("1900/2025").contains("not a year"));
    }
}
