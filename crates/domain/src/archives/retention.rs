//! What each year brings: the files whose retention period ends (to transfer to the national
//! archives or to destroy), and when each store will be full at the pace it fills.

use time::Date;

use super::access::add_years;
use super::rules::{ArchiveRules, Fate};
use crate::error::DomainError;

/// A file as retention sees it: its label, category and the date it closed (its last decision).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closed<'a> {
    pub label: &'a str,
    pub category: &'a str,
    pub closed_on: Date,
}

/// A file whose period ends in the year asked, and what becomes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due<'a> {
    pub label: &'a str,
    pub ends_on: Date,
    pub fate: Fate,
}

/// The day a file's retention period ends.
pub fn ends_on(rules: &ArchiveRules, category: &str, closed_on: Date) -> Result<(Date, Fate), DomainError> {
    let r = rules.retention(category).ok_or_else(|| {
        DomainError::validation("category", format!("{category:?} is not a category of the archives"))
    })?;
    Ok((add_years(closed_on, r.years), r.fate))
}

/// The files whose period ends in `year`, in label order, each with its fate.
pub fn due_in<'a>(
    rules: &ArchiveRules,
    files: impl IntoIterator<Item = Closed<'a>>,
    year: i32,
) -> Result<Vec<Due<'a>>, DomainError> {
    let mut due = Vec::new();
    for f in files {
        let (ends_on, fate) = ends_on(rules, f.category, f.closed_on)?;
        if ends_on.year() == year {
            due.push(Due { label: f.label, ends_on, fate });
        }
    }
    due.sort_by(|a, b| a.label.cmp(b.label));
    Ok(due)
}

/// The day a store is full, filling `metres_a_year` from `used` metres on `today` (`None`: it
/// does not fill). Full already: `today`.
pub fn full_on(capacity: f64, used: f64, metres_a_year: f64, today: Date) -> Option<Date> {
    if used >= capacity {
        return Some(today);
    }
    if metres_a_year <= 0.0 {
        return None;
    }
    let days = ((capacity - used) / metres_a_year * 365.25).ceil();
    if !days.is_finite() || days > 365.25 * 200.0 {
        return None;
    }
    Some(today + time::Duration::days(days as i64))
}
