//! Follow-up of girls protected from female genital mutilation (CESEDA L.561-8): while she is a
//! minor, the office writes to her legal representatives asking for a medical examination
//! establishing the absence of mutilation (model certificate, arrêté of 6 February 2024); five
//! years between two examinations, sooner on serious grounds (recorded); the certificate comes
//! from an approved medical unit and is kept apart (restricted); an unjustified absence, a refusal
//! or a finding of mutilation is reported to the prosecutor without delay: the report is prepared
//! here and signed by a person. The follow-up ends at majority.

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::calendar::format_date;
use crate::error::DomainError;
use crate::ids::Login;
use crate::person::{BirthDate, Person, Sex};
use crate::rules::{rule_id, Rules};

/// What prompts a report to the prosecutor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// The examination did not take place, without a valid reason.
    UnjustifiedAbsence,
    /// The legal representatives refused the examination.
    Refusal,
    /// The certificate finds a mutilation.
    MutilationFound,
}

impl IncidentKind {
    pub const ALL: [IncidentKind; 3] =
        [IncidentKind::UnjustifiedAbsence, IncidentKind::Refusal, IncidentKind::MutilationFound];

    pub fn as_str(&self) -> &'static str {
        match self {
            IncidentKind::UnjustifiedAbsence => "unjustified_absence",
            IncidentKind::Refusal => "refusal",
            IncidentKind::MutilationFound => "mutilation_found",
        }
    }

    pub fn parse(s: &str) -> Option<IncidentKind> {
        IncidentKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The report's text, in French, for the signatory to read before signing.
    pub fn report_text(&self) -> &'static str {
        match self {
            IncidentKind::UnjustifiedAbsence => {
                "L'examen médical demandé n'a pas eu lieu sans motif légitime (CESEDA L.561-8) : \
                 l'office en informe le procureur de la République."
            }
            IncidentKind::Refusal => {
                "Les représentants légaux ont refusé l'examen médical demandé (CESEDA L.561-8) : \
                 l'office en informe le procureur de la République."
            }
            IncidentKind::MutilationFound => {
                "Le certificat médical constate une mutilation sexuelle (CESEDA L.561-8) : \
                 l'office en informe sans délai le procureur de la République."
            }
        }
    }
}

/// A certificate received from the medical unit (its document is restricted).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    #[serde(with = "crate::serde_dates::date")]
    pub examined_on: Date,
    /// The document of the file holding it.
    pub document: u32,
    pub mutilation_found: bool,
}

/// A report to the prosecutor: prepared at once, signed by a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub kind: IncidentKind,
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
    pub text: String,
    #[serde(with = "time::serde::rfc3339")]
    pub prepared_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<Login>,
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<OffsetDateTime>,
}

/// One girl's follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FgmFollowUp {
    /// The girl: n-th person of the case (0 the applicant).
    pub person: u16,
    #[serde(with = "crate::serde_dates::date")]
    pub opened_on: Date,
    /// Her majority: the follow-up ends that day (the latest her recorded birth date allows).
    #[serde(with = "crate::serde_dates::date")]
    pub ends_on: Date,
    /// When the next certificate is expected.
    #[serde(with = "crate::serde_dates::date")]
    pub due_on: Date,
    /// The letters to the legal representatives.
    #[serde(default)]
    pub letters: Vec<Date>,
    /// The documents of the file holding the letters the office printed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub letter_documents: Vec<u32>,
    #[serde(default)]
    pub certificates: Vec<Certificate>,
    /// An examination asked sooner, on serious grounds: the day and the grounds.
    #[serde(default)]
    pub advanced: Vec<(Date, String)>,
    #[serde(default)]
    pub reports: Vec<Report>,
    /// Closed before her majority, when the protection ended.
    #[serde(default, with = "crate::serde_dates::date::option", skip_serializing_if = "Option::is_none")]
    pub closed_on: Option<Date>,
}

impl FgmFollowUp {
    /// Whether the follow-up is over on `today`: she has come of age, or the protection ended.
    pub fn ended(&self, today: Date) -> bool {
        today >= self.last_day()
    }

    /// The day the follow-up ends: her majority, or the end of her protection.
    pub fn last_day(&self) -> Date {
        self.closed_on.map_or(self.ends_on, |c| c.min(self.ends_on))
    }

    /// Reports prepared and not signed yet.
    pub fn unsigned_reports(&self) -> usize {
        self.reports.iter().filter(|r| r.signed_by.is_none()).count()
    }
}

/// The day she comes of age: her 18th birthday, the latest one her recorded birth date allows.
pub fn majority(born: &BirthDate) -> Option<Date> {
    let last = match *born {
        BirthDate::Exact(d) => d,
        BirthDate::YearMonth { year, month } => {
            let m = Month::try_from(month).ok()?;
            Date::from_calendar_date(year, m, m.length(year)).ok()?
        }
        BirthDate::Year(y) => Date::from_calendar_date(y, Month::December, 31).ok()?,
        BirthDate::Unknown => return None,
    };
    let year = last.year() + 18;
    // A birthday on 29 February falls on 1 March in a common year.
    Date::from_calendar_date(year, last.month(), last.day())
        .or_else(|_| Date::from_calendar_date(year, Month::March, 1))
        .ok()
}

/// Checks that a follow-up may open for `person` of the case on `today`, and gives its end.
pub fn check_opening(
    persons: &[&Person],
    follow_ups: &[FgmFollowUp],
    person: u16,
    today: Date,
) -> Result<Date, DomainError> {
    let Some(p) = persons.get(usize::from(person)) else {
        return Err(DomainError::validation("person", format!("the case names no person n° {person}")));
    };
    if p.sex != Sex::Female {
        return Err(DomainError::validation(
            "person",
            "the follow-up protects a girl: this person is not recorded as female",
        ));
    }
    let Some(ends_on) = majority(&p.birth_date) else {
        return Err(DomainError::validation("person", "her birth date is unknown: record it before the follow-up"));
    };
    if ends_on <= today {
        return Err(DomainError::validation("person", "she is of age: the follow-up protects minors"));
    }
    if follow_ups.iter().any(|f| f.person == person) {
        return Err(DomainError::AlreadyDone("her follow-up is already open"));
    }
    Ok(ends_on)
}

/// The follow-up of `person`, open on `today` (refused once she is of age).
pub fn open_follow_up(follow_ups: &[FgmFollowUp], person: u16, today: Date) -> Result<&FgmFollowUp, DomainError> {
    let f = follow_ups
        .iter()
        .find(|f| f.person == person)
        .ok_or_else(|| DomainError::validation("person", format!("no follow-up for person n° {person}")))?;
    if let Some(closed) = f.closed_on.filter(|c| *c <= today) {
        return Err(DomainError::validation(
            "person",
            format!("the follow-up closed when the protection ended, {}", format_date(closed)),
        ));
    }
    if f.ended(today) {
        return Err(DomainError::validation(
            "person",
            format!("the follow-up ended at her majority, {}", format_date(f.ends_on)),
        ));
    }
    Ok(f)
}

/// When the certificate is expected after a letter sent on `on`.
pub fn due_after_letter(rules: &Rules, on: Date) -> Result<Date, DomainError> {
    Ok(rules.duration(rule_id::FGM_CERTIFICATE_AFTER_LETTER, on)?.after(on))
}

/// When the next examination is due after one on `examined_on`.
pub fn next_examination(rules: &Rules, examined_on: Date) -> Result<Date, DomainError> {
    Ok(rules.duration(rule_id::FGM_EXAMINATION_INTERVAL, examined_on)?.after(examined_on))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn majority_is_the_latest_eighteenth_birthday_the_birth_date_allows() {
        assert_eq!(majority(&BirthDate::Exact(date!(2012 - 04 - 03))), Some(date!(2030 - 04 - 03)));
        assert_eq!(majority(&BirthDate::YearMonth { year: 2013, month: 2 }), Some(date!(2031 - 02 - 28)));
        assert_eq!(majority(&BirthDate::Year(2012)), Some(date!(2030 - 12 - 31)));
        assert_eq!(majority(&BirthDate::Exact(date!(2012 - 02 - 29))), Some(date!(2030 - 03 - 01)));
        assert_eq!(majority(&BirthDate::Unknown), None);
    }

    #[test]
    fn five_years_between_examinations() {
        let rules = Rules::embedded();
        assert_eq!(next_examination(&rules, date!(2026 - 03 - 31)).ok(), Some(date!(2031 - 03 - 31)));
        assert_eq!(due_after_letter(&rules, date!(2026 - 11 - 30)).ok(), Some(date!(2027 - 02 - 28)));
    }
}
