//! How a deadline was reached, as facts rather than sentences: each edge puts them into words in
//! its reader's language (the workbench in French or English, with Fluent), and [`english`] gives
//! the English of [`Deadline::explanation`](super::Deadline) from the same facts, so that the
//! words of every language follow one computation.

use time::Date;

use crate::application::{AcceleratedGround, Procedure};
use crate::calendar::{format_date, format_date_with_weekday, format_day_month};
use crate::decision::ClosureGround;
use crate::rules::{DurationRule, DurationUnit};

/// A legal duration: "6 months", "15 days", "96 hours".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub amount: u32,
    pub unit: DurationUnit,
}

impl Period {
    pub fn of(rule: &DurationRule) -> Period {
        Period { amount: rule.amount, unit: rule.unit }
    }

    pub fn months(n: u8) -> Period {
        Period { amount: u32::from(n), unit: DurationUnit::Months }
    }
}

/// The event a period runs from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    Introduction,
    /// The interview at whose end the accelerated procedure was decided.
    Interview,
    /// Receipt of an application made in detention.
    Receipt,
    Notification,
    AppealLodged,
    Closure,
}

/// What the period depends on, said in brackets after its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Procedure(Procedure),
    /// The accelerated procedure decided at the end of the interview, on this ground.
    AcceleratedAtInterview(AcceleratedGround),
    /// The decision was deemed notified `period` after being made available on `made_available_on`.
    DeemedNotified {
        period: Period,
        made_available_on: Date,
    },
    /// The decision was first opened in the applicant's secure space on the day of notification.
    OpenedThatDay,
    /// The court's formation: one judge (for an accelerated procedure, or an inadmissibility) or three.
    SingleJudgeAccelerated,
    SingleJudgeInadmissible,
    Collegial,
    Closure(ClosureGround),
}

/// Why a day does not count as the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayOff {
    PublicHoliday,
    Saturday,
    Sunday,
}

/// One fact of an explanation, in the order the explanation tells them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// `period` from `from` on `on`, because of `context`.
    Runs { period: Period, from: Start, on: Date, context: Context },
    /// The date reached so far.
    Reaches(Date),
    /// The decision deadline extended by `by` on `on` for `reason` (the officer's words), to `due`.
    Extended { by: Period, on: Date, reason: String, due: Date },
    /// A last day off moved to the next working day `to`, over these days.
    Moved { to: Date, skipped: Vec<(Date, DayOff)> },
    /// The applicant is told `period` before the end of the `normal` period from introduction on
    /// `introduced_on`, which ends on `ends_on`.
    InformBefore { period: Period, normal: Period, introduced_on: Date, ends_on: Date },
    /// Deemed notified `period` after being made available on `made_available_on`, unless opened before.
    DeemedUnlessOpened { period: Period, made_available_on: Date },
    /// A legal-aid request on `requested_on` came more than `window` after notification.
    LegalAidTooLate { requested_on: Date, window: Period },
    /// Suspended by a legal-aid request on `requested_on` with `remaining_days` left, until legal aid is decided.
    LegalAidPending { requested_on: Date, remaining_days: i64 },
    /// Suspended by a legal-aid request, running again after legal aid was decided on `decided_on`, to `due`.
    LegalAidDecided { requested_on: Date, remaining_days: i64, decided_on: Date, due: Date },
    /// After the reopening deadline, a new application is a re-examination.
    ThenReExamination,
    /// The rule is still to be checked against its legal source.
    ToVerify,
}

impl std::fmt::Display for Period {
    /// "6 months", "1 month", "15 days", "96 hours", "5 weeks".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            DurationUnit::Hours => "hour",
            DurationUnit::Days => "day",
            DurationUnit::Weeks => "week",
            DurationUnit::Months => "month",
        };
        write!(f, "{} {}{}", self.amount, unit, if self.amount == 1 { "" } else { "s" })
    }
}

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

fn start(from: Start) -> &'static str {
    match from {
        Start::Introduction => "introduction",
        Start::Interview => "the interview",
        Start::Receipt => "receipt",
        Start::Notification => "notification",
        Start::AppealLodged => "the appeal lodged",
        Start::Closure => "the closure",
    }
}

fn context(c: &Context) -> String {
    match c {
        Context::Procedure(p) => p.to_string(),
        Context::AcceleratedAtInterview(g) => {
            format!("accelerated procedure decided at the end of the interview, {}", g.describe())
        }
        Context::DeemedNotified { period, made_available_on } => {
            format!("deemed notified {period} after being made available on {}", format_date(*made_available_on))
        }
        Context::OpenedThatDay => "first opened in the applicant's secure space that day".to_owned(),
        Context::SingleJudgeAccelerated => "single judge: decision made in accelerated procedure".to_owned(),
        Context::SingleJudgeInadmissible => "single judge: decision of inadmissibility".to_owned(),
        Context::Collegial => "collegial formation".to_owned(),
        Context::Closure(g) => g.describe().to_owned(),
    }
}

fn day_off(d: DayOff) -> &'static str {
    match d {
        DayOff::PublicHoliday => "a public holiday",
        DayOff::Saturday => "a Saturday",
        DayOff::Sunday => "a Sunday",
    }
}

/// The explanation in plain English, as the API and the domain's refusals give it.
pub fn english(why: &[Why]) -> String {
    why.iter().map(clause).collect()
}

fn clause(why: &Why) -> String {
    match why {
        Why::Runs { period, from, on, context: c } => {
            format!("{period} from {} on {} ({})", start(*from), format_date(*on), context(c))
        }
        Why::Reaches(d) => format!(": {}", format_date(*d)),
        Why::Extended { by, on, reason, due } => {
            format!(", extended by {by} on {} ({}): {}", format_date(*on), reason.trim(), format_date(*due))
        }
        Why::Moved { to, skipped } => {
            let reasons: Vec<String> = skipped
                .iter()
                .enumerate()
                .map(|(i, (d, why))| {
                    let verb = if i == 0 { " is" } else { "" };
                    format!("{}{verb} {}", format_day_month(*d), day_off(*why))
                })
                .collect();
            format!(", moved to {} ({})", format_date_with_weekday(*to), reasons.join(", "))
        }
        Why::InformBefore { period, normal, introduced_on, ends_on } => format!(
            "if no decision can be taken in time, the applicant is told {period} before the end of the {normal} \
             from introduction on {} (on {})",
            format_date(*introduced_on),
            format_date(*ends_on)
        ),
        Why::DeemedUnlessOpened { period, made_available_on } => format!(
            "deemed notified {period} after being made available on {}, unless first opened before",
            format_date(*made_available_on)
        ),
        Why::LegalAidTooLate { requested_on, window } => format!(
            "; the legal-aid request on {} came more than {window} after notification and does not suspend it",
            format_date(*requested_on)
        ),
        Why::LegalAidPending { requested_on, remaining_days } => format!(
            "; suspended by a legal-aid request on {} with {} remaining, which will run again from the day after \
             legal aid is decided",
            format_date(*requested_on),
            days(*remaining_days)
        ),
        Why::LegalAidDecided { requested_on, remaining_days, decided_on, due } => format!(
            "; suspended by a legal-aid request on {} with {} remaining, which ran again from the day after legal \
             aid was decided on {}: {}",
            format_date(*requested_on),
            days(*remaining_days),
            format_date(*decided_on),
            format_date(*due)
        ),
        Why::ThenReExamination => "; after that, a new application is a re-examination".to_owned(),
        Why::ToVerify => " (to verify)".to_owned(),
    }
}
