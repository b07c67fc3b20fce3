//! Legal deadlines of a case, each computed from dated events and the rules in force, with how the date was
//! reached (the start event and its date, the rule, and any shift) as facts ([`Why`]) and in plain English.
//!
//! The durations come from `rules/procedures.toml`; this module only knows how to count them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::application::Procedure;
use crate::calendar;
use crate::decision::Outcome;
use crate::error::DomainError;
use crate::rules::{rule_id, DurationRule, Rules};

use super::case::{Case, NotificationBasis, Status};

mod why;
pub use why::{english, Context, DayOff, Period, Start, Why};

/// Which deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The office's decision deadline (indicative: no decision arises from silence).
    Decision,
    /// The day by which the applicant must be told that the normal 6 months will not be enough.
    InformOfExtension,
    /// The day a decision made available but not opened is deemed notified.
    Notification,
    /// The last day to appeal to the asylum court.
    Appeal,
    /// The court's own deadline to rule.
    CourtRuling,
    /// The last day to reopen a closed case.
    Reopening,
}

impl DeadlineKind {
    pub const ALL: [DeadlineKind; 6] = [
        DeadlineKind::Decision,
        DeadlineKind::InformOfExtension,
        DeadlineKind::Notification,
        DeadlineKind::Appeal,
        DeadlineKind::CourtRuling,
        DeadlineKind::Reopening,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            DeadlineKind::Decision => "decision",
            DeadlineKind::InformOfExtension => "inform_of_extension",
            DeadlineKind::Notification => "notification",
            DeadlineKind::Appeal => "appeal",
            DeadlineKind::CourtRuling => "court_ruling",
            DeadlineKind::Reopening => "reopening",
        }
    }
}

/// A deadline and how it was computed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub kind: DeadlineKind,
    /// The date of the event the period runs from.
    #[serde(with = "crate::serde_dates::date")]
    pub starts_on: Date,
    /// The last day. While `suspended`, the date the deadline had before the suspension.
    #[serde(with = "crate::serde_dates::date")]
    pub due_on: Date,
    /// The id of the rule in `procedures.toml`.
    pub rule: String,
    /// The legal text, e.g. "CESEDA R.531-23".
    pub source: String,
    /// How the date was reached, in plain English (for the API and the domain's refusals).
    pub explanation: String,
    /// The same, as facts for each edge to put into words in its reader's language.
    #[serde(skip)]
    pub why: Vec<Why>,
    /// The deadline does not run for now (the appeal deadline during a legal-aid request).
    pub suspended: bool,
}

impl Case {
    /// The decision deadline, if the office has yet to decide.
    pub fn decision_due(&self, rules: &Rules) -> Option<Date> {
        deadline(self, DeadlineKind::Decision, rules).ok().flatten().map(|d| d.due_on)
    }

    /// The day by which the asylum court should rule, while the appeal is before it.
    pub fn appeal_due(&self, rules: &Rules) -> Option<Date> {
        deadline(self, DeadlineKind::CourtRuling, rules).ok().flatten().map(|d| d.due_on)
    }
}

/// Every deadline that currently applies to the case, in the order of [`DeadlineKind::ALL`]. A deadline whose
/// rule is not in force on its start date is left out.
pub fn deadlines(case: &Case, rules: &Rules) -> Vec<Deadline> {
    DeadlineKind::ALL.into_iter().filter_map(|kind| deadline(case, kind, rules).ok().flatten()).collect()
}

/// One deadline, if it currently applies to the case; an error if its rule is not in force on its start date.
pub fn deadline(case: &Case, kind: DeadlineKind, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    match kind {
        DeadlineKind::Decision => decision(case, rules),
        DeadlineKind::InformOfExtension => inform_of_extension(case, rules),
        DeadlineKind::Notification => notification(case, rules),
        DeadlineKind::Appeal => appeal(case, rules),
        DeadlineKind::CourtRuling => court_ruling(case, rules),
        DeadlineKind::Reopening => reopening(case, rules),
    }
}

fn to_verify(rule: &DurationRule) -> Option<Why> {
    rule.note.starts_with("(to verify)").then_some(Why::ToVerify)
}

/// The facts and their English, as a deadline carries them.
fn explained(why: Vec<Why>) -> (String, Vec<Why>) {
    (why::english(&why), why)
}

/// Move `due` to the next working day when the rule says so: the new date and the fact that says why.
fn shift(due: Date, rule: &DurationRule) -> (Date, Option<Why>) {
    if !rule.working_days {
        return (due, None);
    }
    let moved = calendar::next_working_day(due);
    if moved == due {
        return (due, None);
    }
    let skipped = calendar::skipped_days(due)
        .into_iter()
        .map(|(d, _)| {
            let off = if calendar::is_public_holiday(d) {
                DayOff::PublicHoliday
            } else if d.weekday() == time::Weekday::Saturday {
                DayOff::Saturday
            } else {
                DayOff::Sunday
            };
            (d, off)
        })
        .collect();
    (moved, Some(Why::Moved { to: moved, skipped }))
}

fn decision(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    if !case.status.is_pre_decision() {
        return Ok(None);
    }
    let intro = case.introduced_on;
    let (rule, start, from, context) = match case.procedure {
        Procedure::Normal | Procedure::Border => {
            let id =
                if case.procedure == Procedure::Normal { rule_id::DECISION_NORMAL } else { rule_id::DECISION_BORDER };
            (rules.duration(id, intro)?, intro, Start::Introduction, Context::Procedure(case.procedure))
        }
        Procedure::Accelerated(ground) => match case.reclassified_accelerated_on {
            Some(on) => (
                rules.duration(rule_id::DECISION_ACCELERATED, on)?,
                on,
                Start::Interview,
                Context::AcceleratedAtInterview(ground),
            ),
            None => (
                rules.duration(rule_id::DECISION_ACCELERATED, intro)?,
                intro,
                Start::Introduction,
                Context::Procedure(case.procedure),
            ),
        },
        Procedure::Detention => (
            rules.duration(rule_id::DECISION_DETENTION, intro)?,
            intro,
            Start::Receipt,
            Context::Procedure(case.procedure),
        ),
    };
    let mut due = rule.after(start);
    let mut why = vec![Why::Runs { period: Period::of(rule), from, on: start, context }, Why::Reaches(due)];
    let mut source = rule.source.clone();
    let mut note = to_verify(rule);
    for (i, ext) in case.extensions.iter().enumerate() {
        let ext_rule = rules.duration(
            if i == 0 { rule_id::DECISION_EXTENSION_FIRST } else { rule_id::DECISION_EXTENSION_SECOND },
            ext.on,
        )?;
        if !source.contains(&ext_rule.source) {
            source = format!("{source}; {}", ext_rule.source);
        }
        if note.is_none() {
            note = to_verify(ext_rule);
        }
        due = calendar::add_months(due, u32::from(ext.months));
        why.push(Why::Extended { by: Period::months(ext.months), on: ext.on, reason: ext.reason.clone(), due });
    }
    let (due, moved) = shift(due, rule);
    why.extend(moved);
    why.extend(note);
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::Decision,
        starts_on: start,
        due_on: due,
        rule: rule.id.clone(),
        source,
        explanation,
        why,
        suspended: false,
    }))
}

fn inform_of_extension(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    if !case.status.is_pre_decision() || case.procedure != Procedure::Normal || !case.extensions.is_empty() {
        return Ok(None);
    }
    let intro = case.introduced_on;
    let normal = rules.duration(rule_id::DECISION_NORMAL, intro)?;
    let inform = rules.duration(rule_id::DECISION_INFORM_OF_EXTENSION, intro)?;
    let end = normal.after(intro);
    let Some(before) = inform.whole_days() else {
        return Err(DomainError::InvalidRules {
            file: "rules/procedures.toml",
            reason: format!("{} is counted in days, hours or weeks", inform.id),
        });
    };
    let due = calendar::add_days(end, -before);
    let mut why = vec![
        Why::InformBefore {
            period: Period::of(inform),
            normal: Period::of(normal),
            introduced_on: intro,
            ends_on: end,
        },
        Why::Reaches(due),
    ];
    why.extend(to_verify(inform));
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::InformOfExtension,
        starts_on: intro,
        due_on: due,
        rule: inform.id.clone(),
        source: inform.source.clone(),
        explanation,
        why,
        suspended: false,
    }))
}

fn notification(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    let Some(m) = case.made_available_at.filter(|_| case.status == Status::Signed && case.notified_on.is_none()) else {
        return Ok(None);
    };
    let start = m.date();
    let rule = rules.duration(rule_id::NOTIFICATION_DEEMED, start)?;
    let due = rule.after(start);
    let mut why =
        vec![Why::DeemedUnlessOpened { period: Period::of(rule), made_available_on: start }, Why::Reaches(due)];
    why.extend(to_verify(rule));
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::Notification,
        starts_on: start,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation,
        why,
        suspended: false,
    }))
}

fn appeal(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    let (Some(n), Some(draft)) = (case.notified_on.filter(|_| case.status == Status::Notified), &case.draft) else {
        return Ok(None);
    };
    if !draft.outcome.is_appealable() {
        return Ok(None);
    }
    let rule = rules.duration(rule_id::APPEAL, n)?;
    let how = match (case.notification_basis, case.made_available_at) {
        (Some(NotificationBasis::Deemed), Some(m)) => {
            let deemed = rules.duration(rule_id::NOTIFICATION_DEEMED, m.date())?;
            Context::DeemedNotified { period: Period::of(deemed), made_available_on: m.date() }
        }
        _ => Context::OpenedThatDay,
    };
    let mut due = rule.after(n);
    let mut why =
        vec![Why::Runs { period: Period::of(rule), from: Start::Notification, on: n, context: how }, Why::Reaches(due)];
    let mut source = rule.source.clone();
    let mut suspended = false;
    for p in &case.legal_aid {
        let window = rules.duration(rule_id::APPEAL_LEGAL_AID_WINDOW, n)?;
        if !source.contains(&window.source) {
            source = format!("{source}; {}", window.source);
        }
        let window_end = window.after(n);
        if p.requested_on > window_end {
            why.push(Why::LegalAidTooLate { requested_on: p.requested_on, window: Period::of(window) });
            continue;
        }
        let remaining = (due - p.requested_on).whole_days().max(0);
        match p.decided_on {
            None => {
                suspended = true;
                why.push(Why::LegalAidPending { requested_on: p.requested_on, remaining_days: remaining });
            }
            Some(d) => {
                due = calendar::add_days(d, remaining);
                why.push(Why::LegalAidDecided {
                    requested_on: p.requested_on,
                    remaining_days: remaining,
                    decided_on: d,
                    due,
                });
            }
        }
    }
    let (due, moved) = if suspended { (due, None) } else { shift(due, rule) };
    why.extend(moved);
    why.extend(to_verify(rule));
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::Appeal,
        starts_on: n,
        due_on: due,
        rule: rule.id.clone(),
        source,
        explanation,
        why,
        suspended,
    }))
}

fn court_ruling(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    let Some(lodged) = case.appeal_lodged_on.filter(|_| case.status == Status::Appealed) else {
        return Ok(None);
    };
    if !case.kind.is_asylum() {
        // Statelessness decisions go to the administrative courts, which have no such deadline.
        return Ok(None);
    }
    let inadmissible = matches!(case.draft.as_ref().map(|d| &d.outcome), Some(Outcome::Inadmissibility(_)));
    let (id, formation) = if case.procedure.is_accelerated() {
        (rule_id::COURT_SINGLE_JUDGE, Context::SingleJudgeAccelerated)
    } else if inadmissible {
        (rule_id::COURT_SINGLE_JUDGE, Context::SingleJudgeInadmissible)
    } else {
        (rule_id::COURT_COLLEGIAL, Context::Collegial)
    };
    let rule = rules.duration(id, lodged)?;
    let due = rule.after(lodged);
    let mut why = vec![
        Why::Runs { period: Period::of(rule), from: Start::AppealLodged, on: lodged, context: formation },
        Why::Reaches(due),
    ];
    why.extend(to_verify(rule));
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::CourtRuling,
        starts_on: lodged,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation,
        why,
        suspended: false,
    }))
}

fn reopening(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    let (Some(closed_on), Some(ground)) = (case.closed_on.filter(|_| case.status == Status::Closed), case.closed)
    else {
        return Ok(None);
    };
    if case.reopened_on.is_some() {
        return Ok(None);
    }
    let rule = rules.duration(rule_id::REOPENING, closed_on)?;
    let due = rule.after(closed_on);
    let mut why = vec![
        Why::Runs { period: Period::of(rule), from: Start::Closure, on: closed_on, context: Context::Closure(ground) },
        Why::Reaches(due),
        Why::ThenReExamination,
    ];
    why.extend(to_verify(rule));
    let (explanation, why) = explained(why);
    Ok(Some(Deadline {
        kind: DeadlineKind::Reopening,
        starts_on: closed_on,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation,
        why,
        suspended: false,
    }))
}

#[cfg(test)]
mod tests;
