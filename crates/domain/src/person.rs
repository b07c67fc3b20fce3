//! Persons named in an application: the applicant and the family members, with names in their original script.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use crate::error::DomainError;
use crate::ids::Nationality;

/// A person's place in the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyRole {
    Applicant,
    Spouse,
    Child,
    Parent,
    Sibling,
    Other,
}

/// Sex as recorded in the application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    Unspecified,
}

/// A name in its original script (e.g. Arabic) and its Latin transliteration; both are equal when the original
/// is written in Latin script.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Name {
    pub original: String,
    pub latin: String,
}

impl Name {
    /// A name written in Latin script: the original and the transliteration are the same.
    pub fn latin_only(s: impl Into<String>) -> Self {
        let s = s.into();
        Name { original: s.clone(), latin: s }
    }

    /// A name in another script with its transliteration.
    pub fn new(original: impl Into<String>, latin: impl Into<String>) -> Self {
        Name { original: original.into(), latin: latin.into() }
    }

    /// Both forms must have visible characters.
    pub fn validate(&self, field: &'static str) -> Result<(), DomainError> {
        if self.original.trim().is_empty() || self.latin.trim().is_empty() {
            return Err(DomainError::validation(field, "the name and its Latin transliteration must not be empty"));
        }
        Ok(())
    }
}

/// A birth date, often known only in part (many applicants have no civil-status documents).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BirthDate {
    Exact(#[serde(with = "crate::serde_dates::date")] Date),
    YearMonth { year: i32, month: u8 },
    Year(i32),
    Unknown,
}

impl BirthDate {
    /// The earliest day this birth date can denote, if any.
    pub fn earliest(&self) -> Option<Date> {
        match *self {
            BirthDate::Exact(d) => Some(d),
            BirthDate::YearMonth { year, month } => {
                Month::try_from(month).ok().and_then(|m| Date::from_calendar_date(year, m, 1).ok())
            }
            BirthDate::Year(year) => Date::from_calendar_date(year, Month::January, 1).ok(),
            BirthDate::Unknown => None,
        }
    }

    /// A partial date must name a real month and a plausible year, and not lie after `not_after`.
    pub fn validate(&self, not_after: Date) -> Result<(), DomainError> {
        let year_ok = |y: i32| (1900..=not_after.year()).contains(&y);
        match *self {
            BirthDate::Exact(_) | BirthDate::Unknown => {}
            BirthDate::YearMonth { year, month } => {
                if !(1..=12).contains(&month) {
                    return Err(DomainError::validation("birth_date", format!("month {month} is not 1 to 12")));
                }
                if !year_ok(year) {
                    return Err(DomainError::validation("birth_date", format!("year {year} is implausible")));
                }
            }
            BirthDate::Year(year) => {
                if !year_ok(year) {
                    return Err(DomainError::validation("birth_date", format!("year {year} is implausible")));
                }
            }
        }
        if self.earliest().is_some_and(|d| d > not_after) {
            return Err(DomainError::validation("birth_date", "the birth date is after the application"));
        }
        Ok(())
    }
}

/// A person named in an application.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Person {
    pub role: FamilyRole,
    pub family_name: Name,
    pub given_names: Name,
    pub birth_date: BirthDate,
    pub sex: Sex,
    pub nationality: Nationality,
    pub birth_place: Option<String>,
}

impl Person {
    /// The placeholder applicant of an unregistered case.
    pub fn placeholder() -> Self {
        Person {
            role: FamilyRole::Applicant,
            family_name: Name::latin_only(""),
            given_names: Name::latin_only(""),
            birth_date: BirthDate::Unknown,
            sex: Sex::Unspecified,
            nationality: Nationality::UNKNOWN,
            birth_place: None,
        }
    }

    /// Names present (a family name may be the only name: given names may be empty), birth date consistent.
    pub fn validate(&self, not_after: Date) -> Result<(), DomainError> {
        self.family_name.validate("family_name")?;
        if self.given_names.original.trim().is_empty() != self.given_names.latin.trim().is_empty() {
            return Err(DomainError::validation(
                "given_names",
                "the given names and their transliteration must be both present or both absent",
            ));
        }
        self.birth_date.validate(not_after)?;
        if self.birth_place.as_deref().is_some_and(|p| p.trim().is_empty()) {
            return Err(DomainError::validation("birth_place", "leave the birth place out rather than empty"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn person() -> Person {
        Person {
            role: FamilyRole::Applicant,
            family_name: Name::new("حداد", "Haddad"),
            given_names: Name::new("ليلى", "Layla"),
            birth_date: BirthDate::YearMonth { year: 1990, month: 4 },
            sex: Sex::Female,
            nationality: Nationality::parse("SYR").expect("valid"),
            birth_place: Some("Homs".into()),
        }
    }

    #[test]
    fn partial_birth_dates() {
        let today = date!(2026 - 03 - 03);
        assert!(person().validate(today).is_ok());
        assert!(BirthDate::YearMonth { year: 1990, month: 13 }.validate(today).is_err());
        assert!(BirthDate::Year(1850).validate(today).is_err());
        assert!(BirthDate::Exact(date!(2026 - 03 - 04)).validate(today).is_err());
        assert_eq!(BirthDate::YearMonth { year: 1990, month: 4 }.earliest(), Some(date!(1990 - 04 - 01)));
        assert_eq!(BirthDate::Unknown.earliest(), None);
    }

    #[test]
    fn names_are_required_in_both_scripts() {
        let today = date!(2026 - 03 - 03);
        let mut p = person();
        p.family_name.latin = " ".into();
        assert!(p.validate(today).is_err());
        let mut p = person();
        p.given_names = Name::latin_only("");
        assert!(p.validate(today).is_ok(), "a person may have no given names");
        assert!(Person::placeholder().validate(today).is_err());
    }

    #[test]
    fn serde_shape() {
        let json = serde_json::to_string(&BirthDate::Exact(date!(1990 - 04 - 02))).expect("ok");
        assert_eq!(json, r#"{"exact":"1990-04-02"}"#);
        let back: BirthDate = serde_json::from_str(&json).expect("ok");
        assert_eq!(back, BirthDate::Exact(date!(1990 - 04 - 02)));
        assert_eq!(serde_json::to_string(&BirthDate::Unknown).expect("ok"), r#""unknown""#);
    }
}
