//! The planning's dated data (`rules/planning.toml`): the minimum notice of a convocation by
//! procedure, and how a half-day of interpreting is billed.

use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;

use crate::error::DomainError;
use crate::serde_dates;

const FILE: &str = "rules/planning.toml";
const EMBEDDED: &str = include_str!("../../rules/planning.toml");

/// The minimum notice between sending a convocation and the interview.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct NoticeRule {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    pub normal_days: i64,
    pub accelerated_days: i64,
    pub detention_days: i64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BillingRule {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    pub hours_per_half_day: f64,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlanningRules {
    pub notice: Vec<NoticeRule>,
    pub billing: Vec<BillingRule>,
}

/// A case's urgency for the planning, from its procedure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    Detention,
    Accelerated,
    Normal,
}

static RULES: LazyLock<PlanningRules> =
    LazyLock::new(|| PlanningRules::parse(EMBEDDED).unwrap_or_else(|e| panic!("{e}")));

fn in_force<'a, T>(lines: &'a [T], on: Date, from: impl Fn(&T) -> Date, id: &str) -> Result<&'a T, DomainError> {
    lines
        .iter()
        .filter(|l| from(l) <= on)
        .max_by_key(|l| from(l))
        .ok_or_else(|| DomainError::MissingRule { id: id.to_owned(), on: on.to_string() })
}

impl PlanningRules {
    /// The rules built into this release (checked by a test, so the `panic` cannot happen).
    pub fn embedded() -> &'static PlanningRules {
        &RULES
    }

    pub fn parse(src: &str) -> Result<PlanningRules, DomainError> {
        let rules: PlanningRules =
            toml::from_str(src).map_err(|e| DomainError::InvalidRules { file: FILE, reason: e.to_string() })?;
        if rules.notice.is_empty() || rules.billing.is_empty() {
            return Err(DomainError::InvalidRules { file: FILE, reason: "notice and billing need a line each".into() });
        }
        for n in &rules.notice {
            if [n.normal_days, n.accelerated_days, n.detention_days].iter().any(|d| !(0..=60).contains(d)) {
                return Err(DomainError::InvalidRules { file: FILE, reason: "a notice is 0 to 60 days".into() });
            }
        }
        Ok(rules)
    }

    /// The notice in force on `on` for a case of this urgency, in days.
    pub fn notice_days(&self, on: Date, urgency: Urgency) -> Result<i64, DomainError> {
        let rule = in_force(&self.notice, on, |r| r.effective_from, "planning.notice")?;
        Ok(match urgency {
            Urgency::Detention => rule.detention_days,
            Urgency::Accelerated => rule.accelerated_days,
            Urgency::Normal => rule.normal_days,
        })
    }

    /// Hours billed for a half-day of interpreting on `on`.
    pub fn hours_per_half_day(&self, on: Date) -> Result<f64, DomainError> {
        Ok(in_force(&self.billing, on, |r| r.effective_from, "planning.billing")?.hours_per_half_day)
    }
}
