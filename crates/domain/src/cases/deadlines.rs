//! Legal deadlines of a case, each computed from dated events and the rules in force, with an explanation in
//! plain English of how the date was reached: the start event and its date, the rule, and any shift.
//!
//! The durations come from `rules/procedures.toml`; this module only knows how to count them.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::application::Procedure;
use crate::calendar::{self, format_date, format_date_with_weekday, format_day_month};
use crate::decision::Outcome;
use crate::error::DomainError;
use crate::rules::{rule_id, DurationRule, Rules};

use super::case::{Case, NotificationBasis, Status};

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
    /// How the date was reached, in plain English.
    pub explanation: String,
    /// The deadline does not run for now (the appeal deadline during a legal-aid request).
    pub suspended: bool,
}

impl Case {
    /// The decision deadline, if the office has yet to decide.
    pub fn decision_due(&self, rules: &Rules) -> Option<Date> {
        deadline(self, DeadlineKind::Decision, rules).ok().flatten().map(|d| d.due_on)
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

fn to_verify(rule: &DurationRule) -> &'static str {
    if rule.note.starts_with("(to verify)") {
        " (to verify)"
    } else {
        ""
    }
}

fn months(n: u8) -> String {
    format!("{n} month{}", if n == 1 { "" } else { "s" })
}

fn days(n: i64) -> String {
    format!("{n} day{}", if n == 1 { "" } else { "s" })
}

/// Move `due` to the next working day when the rule says so: the new date and the words that say why.
fn shift(due: Date, rule: &DurationRule) -> (Date, String) {
    if !rule.working_days {
        return (due, String::new());
    }
    let moved = calendar::next_working_day(due);
    if moved == due {
        return (due, String::new());
    }
    let reasons: Vec<String> = calendar::skipped_days(due)
        .into_iter()
        .enumerate()
        .map(|(i, (d, why))| {
            if i == 0 {
                format!("{} is {why}", format_day_month(d))
            } else {
                format!("{} {why}", format_day_month(d))
            }
        })
        .collect();
    (moved, format!(", moved to {} ({})", format_date_with_weekday(moved), reasons.join(", ")))
}

fn decision(case: &Case, rules: &Rules) -> Result<Option<Deadline>, DomainError> {
    if !case.status.is_pre_decision() {
        return Ok(None);
    }
    let intro = case.introduced_on;
    let (rule, start, mut text) = match case.procedure {
        Procedure::Normal | Procedure::Border => {
            let id =
                if case.procedure == Procedure::Normal { rule_id::DECISION_NORMAL } else { rule_id::DECISION_BORDER };
            let rule = rules.duration(id, intro)?;
            (rule, intro, format!("{rule} from introduction on {} ({})", format_date(intro), case.procedure))
        }
        Procedure::Accelerated(ground) => match case.reclassified_accelerated_on {
            Some(on) => {
                let rule = rules.duration(rule_id::DECISION_ACCELERATED, on)?;
                let text = format!(
                    "{rule} from the interview on {} (accelerated procedure decided at the end of the interview, {})",
                    format_date(on),
                    ground.describe()
                );
                (rule, on, text)
            }
            None => {
                let rule = rules.duration(rule_id::DECISION_ACCELERATED, intro)?;
                (rule, intro, format!("{rule} from introduction on {} ({})", format_date(intro), case.procedure))
            }
        },
        Procedure::Detention => {
            let rule = rules.duration(rule_id::DECISION_DETENTION, intro)?;
            (rule, intro, format!("{rule} from receipt on {} ({})", format_date(intro), case.procedure))
        }
    };
    let mut due = rule.after(start);
    text.push_str(&format!(": {}", format_date(due)));
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
        if note.is_empty() {
            note = to_verify(ext_rule);
        }
        due = calendar::add_months(due, u32::from(ext.months));
        text.push_str(&format!(
            ", extended by {} on {} ({}): {}",
            months(ext.months),
            format_date(ext.on),
            ext.reason.trim(),
            format_date(due)
        ));
    }
    let (due, moved) = shift(due, rule);
    Ok(Some(Deadline {
        kind: DeadlineKind::Decision,
        starts_on: start,
        due_on: due,
        rule: rule.id.clone(),
        source,
        explanation: format!("{text}{moved}{note}"),
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
    Ok(Some(Deadline {
        kind: DeadlineKind::InformOfExtension,
        starts_on: intro,
        due_on: due,
        rule: inform.id.clone(),
        source: inform.source.clone(),
        explanation: format!(
            "if no decision can be taken in time, the applicant is told {inform} before the end of the {normal} \
             from introduction on {} (on {}): {}{}",
            format_date(intro),
            format_date(end),
            format_date(due),
            to_verify(inform)
        ),
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
    Ok(Some(Deadline {
        kind: DeadlineKind::Notification,
        starts_on: start,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation: format!(
            "deemed notified {rule} after being made available on {}, unless first opened before: {}{}",
            format_date(start),
            format_date(due),
            to_verify(rule)
        ),
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
            format!("deemed notified {deemed} after being made available on {}", format_date(m.date()))
        }
        _ => "first opened in the applicant's secure space that day".to_owned(),
    };
    let mut due = rule.after(n);
    let mut text = format!("{rule} from notification on {} ({how}): {}", format_date(n), format_date(due));
    let mut source = rule.source.clone();
    let mut suspended = false;
    for p in &case.legal_aid {
        let window = rules.duration(rule_id::APPEAL_LEGAL_AID_WINDOW, n)?;
        if !source.contains(&window.source) {
            source = format!("{source}; {}", window.source);
        }
        let window_end = window.after(n);
        if p.requested_on > window_end {
            text.push_str(&format!(
                "; the legal-aid request on {} came more than {window} after notification and does not suspend it",
                format_date(p.requested_on)
            ));
            continue;
        }
        let remaining = (due - p.requested_on).whole_days().max(0);
        match p.decided_on {
            None => {
                suspended = true;
                text.push_str(&format!(
                    "; suspended by a legal-aid request on {} with {} remaining, which will run again from the \
                     day after legal aid is decided",
                    format_date(p.requested_on),
                    days(remaining)
                ));
            }
            Some(d) => {
                due = calendar::add_days(d, remaining);
                text.push_str(&format!(
                    "; suspended by a legal-aid request on {} with {} remaining, which ran again from the day \
                     after legal aid was decided on {}: {}",
                    format_date(p.requested_on),
                    days(remaining),
                    format_date(d),
                    format_date(due)
                ));
            }
        }
    }
    let (due, moved) = if suspended { (due, String::new()) } else { shift(due, rule) };
    Ok(Some(Deadline {
        kind: DeadlineKind::Appeal,
        starts_on: n,
        due_on: due,
        rule: rule.id.clone(),
        source,
        explanation: format!("{text}{moved}{}", to_verify(rule)),
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
    let (id, why) = if case.procedure.is_accelerated() {
        (rule_id::COURT_SINGLE_JUDGE, "single judge: decision made in accelerated procedure")
    } else if inadmissible {
        (rule_id::COURT_SINGLE_JUDGE, "single judge: decision of inadmissibility")
    } else {
        (rule_id::COURT_COLLEGIAL, "collegial formation")
    };
    let rule = rules.duration(id, lodged)?;
    let due = rule.after(lodged);
    Ok(Some(Deadline {
        kind: DeadlineKind::CourtRuling,
        starts_on: lodged,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation: format!(
            "{rule} from the appeal lodged on {} ({why}): {}{}",
            format_date(lodged),
            format_date(due),
            to_verify(rule)
        ),
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
    Ok(Some(Deadline {
        kind: DeadlineKind::Reopening,
        starts_on: closed_on,
        due_on: due,
        rule: rule.id.clone(),
        source: rule.source.clone(),
        explanation: format!(
            "{rule} from the closure on {} ({}): {}; after that, a new application is a re-examination{}",
            format_date(closed_on),
            ground.describe(),
            format_date(due),
            to_verify(rule)
        ),
        suspended: false,
    }))
}

#[cfg(test)]
mod tests;
