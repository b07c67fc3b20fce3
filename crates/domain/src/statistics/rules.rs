//! Dated rules for what leaves the office: the small-cell threshold and the rounding base.

use serde::Deserialize;
use time::Date;

use crate::error::DomainError;
use crate::serde_dates;

const FILE: &str = "statistics.toml";
const EMBEDDED: &str = include_str!("../../rules/statistics.toml");

/// One entry of `statistics.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct DisclosureRule {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    pub small_cell: u64,
    pub round_to: u64,
    pub source: String,
    pub note: String,
}

#[derive(Deserialize)]
struct Raw {
    rule: Vec<DisclosureRule>,
}

/// The disclosure rules, sorted by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRules(Vec<DisclosureRule>);

impl DisclosureRules {
    pub fn from_toml(text: &str) -> Result<Self, DomainError> {
        let invalid = |reason: String| DomainError::InvalidRules { file: FILE, reason };
        let mut raw: Raw = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        if raw.rule.is_empty() {
            return Err(invalid("no rule".into()));
        }
        if raw.rule.iter().any(|r| r.round_to == 0 || r.small_cell == 0) {
            return Err(invalid("small_cell and round_to must be at least 1".into()));
        }
        raw.rule.sort_by_key(|r| r.effective_from);
        Ok(DisclosureRules(raw.rule))
    }

    /// The rules compiled in.
    pub fn embedded() -> Result<Self, DomainError> {
        Self::from_toml(EMBEDDED)
    }

    /// The entry in force on `on`.
    pub fn on(&self, on: Date) -> Result<&DisclosureRule, DomainError> {
        self.0.iter().rev().find(|r| r.effective_from <= on).ok_or_else(|| DomainError::MissingRule {
            id: "statistics.disclosure".into(),
            on: serde_dates::format_date(on),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn embedded_rules_load_and_are_dated() {
        let rules = DisclosureRules::embedded().expect("valid");
        assert_eq!(rules.on(date!(2026 - 01 - 01)).expect("in force").round_to, 5);
        assert!(rules.on(date!(2019 - 01 - 01)).is_err());
        assert!(DisclosureRules::from_toml("rule = []").is_err());
    }
}
