//! The monthly statement of a firm (relevé mensuel): the half-days its interpreters were booked
//! and held in a month, billed under the contract, for payment. A half-day freed before it
//! came (an excused absence known ahead, a replanning) is not billed; one held, even for an
//! applicant who did not come, is.

use serde::Serialize;
use time::{Date, Month};

use super::{Firm, FirmCode, HalfDay, Interpreter, InterpreterId, PlanningRules};
use crate::error::DomainError;

/// One interpreter's line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatementLine {
    pub interpreter: InterpreterId,
    pub name: String,
    /// Half-days held in the office's booths.
    pub in_person: u32,
    /// Half-days held by video link.
    pub video: u32,
    pub hours: f64,
    pub amount_cents: i64,
    /// The half-days, for the firm's own check.
    pub half_days: Vec<HalfDay>,
}

/// A firm's statement for one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statement {
    pub firm: FirmCode,
    pub firm_name: String,
    pub contract: String,
    pub year: i32,
    pub month: u8,
    pub hourly_rate_cents: i64,
    pub lines: Vec<StatementLine>,
    pub half_days: u32,
    pub hours: f64,
    pub amount_cents: i64,
    /// The month is not over: half-days still to come are not counted yet.
    pub provisional: bool,
}

/// The statement of `firm` for `month` of `year`, as of `today`: the half-days booked before
/// today (those to come are not yet held), each billed the hours its date's rule gives.
pub fn statement(
    firm: &Firm,
    interpreters: &[Interpreter],
    year: i32,
    month: Month,
    today: Date,
    rules: &PlanningRules,
) -> Result<Statement, DomainError> {
    let code = firm.code.clone().ok_or_else(|| DomainError::validation("firm", "no such firm"))?;
    let first =
        Date::from_calendar_date(year, month, 1).map_err(|_| DomainError::validation("month", "no such month"))?;
    let mut lines = Vec::new();
    for i in interpreters.iter().filter(|i| i.firm.as_ref() == Some(&code)) {
        let Some(id) = i.id.clone() else { continue };
        let mut line = StatementLine {
            interpreter: id,
            name: i.name.clone(),
            in_person: 0,
            video: 0,
            hours: 0.0,
            amount_cents: 0,
            half_days: Vec::new(),
        };
        for (h, booking) in &i.bookings {
            if h.date.year() != year || h.date.month() != month || h.date >= today {
                continue;
            }
            if booking.video {
                line.video += 1;
            } else {
                line.in_person += 1;
            }
            line.hours += rules.hours_per_half_day(h.date)?;
            line.half_days.push(*h);
        }
        if line.half_days.is_empty() {
            continue;
        }
        line.amount_cents = cents(line.hours, firm.hourly_rate_cents);
        lines.push(line);
    }
    lines.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.interpreter.cmp(&b.interpreter)));
    let hours = lines.iter().map(|l| l.hours).sum();
    let next = first.replace_day(28).ok().and_then(|d| d.checked_add(time::Duration::days(4)));
    let provisional = next.is_none_or(|n| today < n.replace_day(1).unwrap_or(n));
    Ok(Statement {
        firm: code,
        firm_name: firm.name.clone(),
        contract: firm.contract.clone(),
        year,
        month: u8::from(month),
        hourly_rate_cents: firm.hourly_rate_cents,
        half_days: lines.iter().map(|l| l.in_person + l.video).sum(),
        amount_cents: lines.iter().map(|l| l.amount_cents).sum(),
        hours,
        lines,
        provisional,
    })
}

/// Hours at an hourly rate, rounded to the cent (hours are counted in quarter hours, so the
/// product is exact in binary floating point for any realistic rate).
fn cents(hours: f64, rate_cents: i64) -> i64 {
    let quarters = (hours * 4.0).round() as i64;
    (quarters * rate_cents + 2) / 4
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::planning::{Booking, RoomCode, Spoken};
    use crate::CaseNumber;

    fn interpreter(id: &str, firm: &str, bookings: &[(&str, bool)]) -> Interpreter {
        let mut i = Interpreter {
            id: Some(InterpreterId::parse(id).expect("valid")),
            name: format!("Interprète {id}"),
            firm: Some(FirmCode::parse(firm).expect("valid")),
            ..Interpreter::default()
        };
        for (n, (h, video)) in bookings.iter().enumerate() {
            i.bookings.insert(
                HalfDay::parse(h).expect("valid"),
                Booking {
                    case: CaseNumber::new(2026, n as u32 + 1).expect("valid"),
                    language: Spoken::parse("tir").expect("valid"),
                    room: RoomCode::parse("B01").expect("valid"),
                    video: *video,
                },
            );
        }
        i
    }

    #[test]
    fn a_month_bills_the_half_days_held_before_today() {
        let firm = Firm {
            code: Some(FirmCode::parse("ISM").expect("valid")),
            name: "ISM Interprétariat".into(),
            contract: "2025-INT-01".into(),
            contract_from: Some(date!(2025 - 01 - 01)),
            hourly_rate_cents: 4250,
            ended_on: None,
        };
        let interpreters = [
            interpreter("I-1", "ISM", &[("2026-11-02am", false), ("2026-11-03pm", true), ("2026-12-01am", false)]),
            interpreter("I-2", "ISM", &[("2026-11-30am", false)]),
            interpreter("I-3", "OTHER", &[("2026-11-04am", false)]),
        ];
        let rules = PlanningRules::embedded();
        let s =
            statement(&firm, &interpreters, 2026, Month::November, date!(2026 - 11 - 30), rules).expect("statement");
        // I-2's half-day is today: not held yet; the other firm's interpreter is not on it.
        assert_eq!(s.lines.len(), 1);
        assert_eq!((s.lines[0].in_person, s.lines[0].video), (1, 1));
        assert_eq!(s.half_days, 2);
        assert!((s.hours - 7.0).abs() < 1e-9);
        assert_eq!(s.amount_cents, 7 * 4250);
        assert!(s.provisional);
        let done =
            statement(&firm, &interpreters, 2026, Month::November, date!(2026 - 12 - 02), rules).expect("statement");
        assert_eq!(done.half_days, 3);
        assert!(!done.provisional);
        assert_eq!(done.amount_cents, 3 * 35 * 425);
    }

    #[test]
    fn cents_round_half_up() {
        assert_eq!(cents(3.5, 4251), 14879);
        assert_eq!(cents(0.0, 4251), 0);
    }
}
