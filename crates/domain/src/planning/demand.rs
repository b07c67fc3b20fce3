//! A division's demand for interviews against interpreting capacity, per language: how many
//! cases wait for an interview in each language, how many interpreter half-days are still free
//! in each of the coming weeks, how many weeks the queue would take at that pace, and the first
//! week with no interpreter at all. Interpreters serve every division: the capacity is the
//! office's, shown beside one division's demand.

use std::collections::BTreeMap;

use serde::Serialize;
use time::{Date, Duration};

use super::{HalfDay, Interpreter, LanguageCode, Spoken};

/// Weeks ahead the capacity is counted over.
pub const WEEKS_AHEAD: usize = 4;

/// One language's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LanguageDemand {
    pub language: LanguageCode,
    /// Cases waiting for an interview in this language (assigned or waiting for an officer).
    pub waiting: u32,
    /// Free interpreter half-days in each of the coming weeks (Monday first).
    pub free_by_week: Vec<u32>,
    /// Weeks the waiting cases take at the mean free capacity; `None` when there is none.
    pub weeks_to_interview: Option<f64>,
    /// The Monday of the first coming week without a free interpreter half-day.
    pub first_week_without: Option<Date>,
    /// Not enough ahead: no interpreter, or more than the weeks counted to absorb the queue.
    pub shortage: bool,
}

/// The Mondays of the weeks counted, from the week after `today`.
pub fn weeks_ahead(today: Date) -> Vec<Date> {
    let next_monday = today + Duration::days(7 - i64::from(today.weekday().number_days_from_monday()));
    (0..WEEKS_AHEAD).map(|w| next_monday + Duration::weeks(w as i64)).collect()
}

/// Demand and capacity per language, for the languages of `waiting` (cases heard in French
/// are not counted: they need no interpreter).
pub fn demand(waiting: &BTreeMap<LanguageCode, u32>, interpreters: &[Interpreter], today: Date) -> Vec<LanguageDemand> {
    let mondays = weeks_ahead(today);
    waiting
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(language, &n)| {
            let wanted = Spoken { code: language.clone(), dialect: None };
            let free_by_week: Vec<u32> = mondays
                .iter()
                .map(|monday| {
                    let week = HalfDay::week(*monday);
                    interpreters
                        .iter()
                        .filter(|i| i.languages.iter().any(|s| s.code == wanted.code))
                        .map(|i| {
                            week.iter()
                                .filter(|h| {
                                    i.bookable(h.date) && i.available.contains(h) && !i.bookings.contains_key(h)
                                })
                                .count() as u32
                        })
                        .sum()
                })
                .collect();
            let total: u32 = free_by_week.iter().sum();
            let weeks_to_interview =
                (total > 0).then(|| (f64::from(n) * WEEKS_AHEAD as f64 / f64::from(total) * 10.0).ceil() / 10.0);
            let first_week_without = mondays.iter().zip(&free_by_week).find(|(_, f)| **f == 0).map(|(m, _)| *m);
            LanguageDemand {
                language: language.clone(),
                waiting: n,
                shortage: weeks_to_interview.is_none_or(|w| w > WEEKS_AHEAD as f64),
                free_by_week,
                weeks_to_interview,
                first_week_without,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planning::InterpreterId;
    use time::macros::date;

    fn interpreter(code: &str, half_days: &[HalfDay]) -> Interpreter {
        Interpreter {
            id: Some(InterpreterId::parse("ism-0001").expect("id")),
            languages: vec![Spoken::parse(code).expect("code")],
            code_of_conduct: Some(date!(2026 - 01 - 01)),
            available: half_days.iter().copied().collect(),
            ..Interpreter::default()
        }
    }

    #[test]
    fn free_half_days_per_week_give_the_weeks_to_interview_and_the_gaps() {
        // Wednesday 2 December 2026: the weeks counted start on Monday 7 December.
        let today = date!(2026 - 12 - 02);
        assert_eq!(weeks_ahead(today)[0], date!(2026 - 12 - 07));
        let tir = LanguageCode::parse("tir").expect("code");
        let prs = LanguageCode::parse("prs").expect("code");
        let tigrinya = interpreter(
            "tir",
            &[
                HalfDay::morning(date!(2026 - 12 - 07)),
                HalfDay::afternoon(date!(2026 - 12 - 07)),
                HalfDay::morning(date!(2026 - 12 - 21)),
                HalfDay::morning(date!(2026 - 12 - 28)),
            ],
        );
        let waiting = BTreeMap::from([(tir.clone(), 6), (prs.clone(), 2)]);
        let lines = demand(&waiting, &[tigrinya], today);
        let prs_line = lines.iter().find(|l| l.language == prs).expect("prs");
        assert_eq!(prs_line.free_by_week, vec![0, 0, 0, 0]);
        assert!(prs_line.shortage && prs_line.weeks_to_interview.is_none());
        let tir_line = lines.iter().find(|l| l.language == tir).expect("tir");
        assert_eq!(tir_line.free_by_week, vec![2, 0, 1, 1]);
        assert_eq!(tir_line.first_week_without, Some(date!(2026 - 12 - 14)));
        // 6 cases at 4 half-days in 4 weeks: 6 weeks, more than the 4 counted.
        assert_eq!(tir_line.weeks_to_interview, Some(6.0));
        assert!(tir_line.shortage);
    }
}
