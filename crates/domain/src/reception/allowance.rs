//! The daily allowance for asylum seekers (allocation pour demandeur d'asile, ADA): each day's
//! amount from the dated barème and the household's history, a month's statement that explains
//! every day, and the monthly payment file.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::DomainError;

use super::household::{AllowanceMeasure, Household};
use super::rules::ReceptionRules;

/// A calendar month of payment, `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PayMonth {
    pub year: i32,
    pub month: Month,
}

impl PayMonth {
    pub fn parse(s: &str) -> Result<PayMonth, DomainError> {
        let s = s.trim();
        let bad = || DomainError::validation("month", format!("{s:?} is not a month like 2026-11"));
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u8 = m.parse().map_err(|_| bad())?;
        let month = Month::try_from(month).map_err(|_| bad())?;
        if !(2000..=9999).contains(&year) {
            return Err(bad());
        }
        Ok(PayMonth { year, month })
    }

    pub fn of(d: Date) -> PayMonth {
        PayMonth { year: d.year(), month: d.month() }
    }

    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    pub fn last_day(self) -> Date {
        let days = self.month.length(self.year);
        Date::from_calendar_date(self.year, self.month, days).unwrap_or(Date::MIN)
    }

    pub fn next(self) -> PayMonth {
        match self.month {
            Month::December => PayMonth { year: self.year + 1, month: Month::January },
            m => PayMonth { year: self.year, month: m.next() },
        }
    }

    pub fn days(self) -> impl Iterator<Item = Date> {
        let last = self.last_day();
        std::iter::successors(Some(self.first_day()), move |d| d.next_day().filter(|n| *n <= last))
    }
}

impl std::fmt::Display for PayMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month as u8)
    }
}

impl TryFrom<String> for PayMonth {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        PayMonth::parse(&s)
    }
}

impl From<PayMonth> for String {
    fn from(m: PayMonth) -> String {
        m.to_string()
    }
}

/// The last day of allowance after the final decision on the asylum application was notified
/// on `notified`: the end of the following month (L.553-3).
pub fn rights_end(notified: Date) -> Date {
    PayMonth::of(notified).next().last_day()
}

/// Why a day pays what it pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "why", rename_all = "snake_case")]
pub enum DayWhy {
    /// Before the household accepted the offer (or it never did).
    NoOffer,
    Refused,
    /// After the end of the month following the final decision's notification.
    RightsEnded,
    Suspended,
    Ended,
    /// Paid: `persons` in the household, `unhoused_adults` of them adults waiting for a place,
    /// `reduced` % less by decision.
    Paid {
        persons: u32,
        unhoused_adults: u32,
        reduced: u8,
    },
}

/// What one day pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Day {
    pub cents: i64,
    pub why: DayWhy,
}

/// The amount of one day for a household, whose final decision was notified on `notified`.
pub fn day(household: &Household, on: Date, notified: Option<Date>, rules: &ReceptionRules) -> Day {
    let none = |why| Day { cents: 0, why };
    let Some(offer) = household.offer.as_ref().filter(|o| o.signed_on <= on) else {
        return none(DayWhy::NoOffer);
    };
    if !offer.accepted {
        return none(DayWhy::Refused);
    }
    if household.registered_on.is_some_and(|r| on < r) {
        return none(DayWhy::NoOffer);
    }
    if notified.is_some_and(|n| on > rights_end(n)) {
        return none(DayWhy::RightsEnded);
    }
    let reduced = match household.measure_on(on) {
        Some(AllowanceMeasure::Suspend) => return none(DayWhy::Suspended),
        Some(AllowanceMeasure::End) => return none(DayWhy::Ended),
        Some(AllowanceMeasure::Reduce { percent }) => percent,
        Some(AllowanceMeasure::Restore) | None => 0,
    };
    if household.allowance_ended_on(on) {
        return none(DayWhy::Ended);
    }
    let Ok(rate) = rules.rate(on) else {
        return none(DayWhy::NoOffer);
    };
    let persons = household.members.len() as u32;
    let unhoused_adults = if offer.needs_accommodation && !household.accommodated_on(on) {
        household.members.iter().filter(|m| m.is_adult(on)).count() as u32
    } else {
        0
    };
    let full = rate.first_person_cents
        + rate.additional_person_cents * i64::from(persons.saturating_sub(1))
        + rate.unaccommodated_adult_cents * i64::from(unhoused_adults);
    // Reductions round down to the cent, in the household's favour never against the law.
    let cents = full * i64::from(100 - reduced) / 100;
    Day { cents, why: DayWhy::Paid { persons, unhoused_adults, reduced } }
}

/// A run of consecutive days paying the same for the same reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "crate::serde_dates::date")]
    pub from: Date,
    #[serde(with = "crate::serde_dates::date")]
    pub to: Date,
    pub days: u32,
    pub day: Day,
    pub cents: i64,
}

/// A household's month: every day's amount, grouped in periods, and the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub month: PayMonth,
    pub periods: Vec<Period>,
    pub days_paid: u32,
    pub total_cents: i64,
}

pub fn statement(household: &Household, month: PayMonth, notified: Option<Date>, rules: &ReceptionRules) -> Statement {
    let mut periods: Vec<Period> = Vec::new();
    for on in month.days() {
        let d = day(household, on, notified, rules);
        match periods.last_mut() {
            Some(p) if p.day == d => {
                p.to = on;
                p.days += 1;
                p.cents += d.cents;
            }
            _ => periods.push(Period { from: on, to: on, days: 1, day: d, cents: d.cents }),
        }
    }
    let days_paid = periods.iter().filter(|p| p.day.cents > 0).map(|p| p.days).sum();
    let total_cents = periods.iter().map(|p| p.cents).sum();
    Statement { month, periods, days_paid, total_cents }
}

/// One line of the payment file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentLine {
    pub household: String,
    pub foreigner_number: String,
    pub persons: u32,
    pub days_paid: u32,
    pub cents: i64,
}

/// The header of the monthly payment file (documented in `docs/reception-payment-file.md`).
pub const PAYMENT_FILE_HEADER: &str = "record;month;household;foreigner_number;persons;days_paid;amount_cents";

/// The payment file of a month: a header, one line per household paid (in the order given,
/// which the caller makes the households' order), and a total line. Semicolon-separated,
/// UTF-8, CRLF line ends; amounts in cents so that no reader rounds.
pub fn payment_file(month: PayMonth, lines: &[PaymentLine]) -> String {
    let mut out = String::with_capacity(64 * (lines.len() + 2));
    out.push_str(PAYMENT_FILE_HEADER);
    out.push_str("\r\n");
    let mut total: i64 = 0;
    for l in lines {
        total += l.cents;
        out.push_str(&format!(
            "P;{month};{};{};{};{};{}\r\n",
            l.household, l.foreigner_number, l.persons, l.days_paid, l.cents
        ));
    }
    out.push_str(&format!("T;{month};{};;;;{total}\r\n", lines.len()));
    out
}
