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

/// How much a case weighs in an officer's load (workload balancing).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BalanceRule {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    /// The half-days ahead over which an officer's presence is counted.
    pub horizon_half_days: u32,
    pub normal: f64,
    pub accelerated: f64,
    pub detention: f64,
    pub border: f64,
    /// Multipliers of the procedure's weight by kind of application.
    pub re_examination: f64,
    pub statelessness: f64,
    pub per_other_person: f64,
    /// The share of a case's weight still ahead of the officer, by status (`assigned`, …).
    pub remaining: std::collections::BTreeMap<String, f64>,
    pub source: String,
}

impl BalanceRule {
    /// A case's weight from its procedure (`normal`, `accelerated`, `detention`, `border`), its
    /// kind (`asylum`, `re_examination`, `statelessness`) and the persons in its file.
    pub fn weight(&self, procedure: &str, kind: &str, persons: u32) -> f64 {
        // The projection labels an accelerated procedure with its ground (`accelerated:…`).
        let base = match procedure.split(':').next().unwrap_or(procedure) {
            "accelerated" => self.accelerated,
            "detention" => self.detention,
            "border" => self.border,
            _ => self.normal,
        };
        let factor = match kind {
            "re_examination" => self.re_examination,
            "statelessness" => self.statelessness,
            _ => 1.0,
        };
        base * factor + self.per_other_person * f64::from(persons.saturating_sub(1))
    }

    /// The share of the weight still ahead at `status`; 0 for a status the officer is done with.
    pub fn remaining(&self, status: &str) -> f64 {
        self.remaining.get(status).copied().unwrap_or(0.0)
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PlanningRules {
    pub notice: Vec<NoticeRule>,
    pub billing: Vec<BillingRule>,
    pub balance: Vec<BalanceRule>,
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
        if rules.notice.is_empty() || rules.billing.is_empty() || rules.balance.is_empty() {
            return Err(DomainError::InvalidRules {
                file: FILE,
                reason: "notice, billing and balance need a line each".into(),
            });
        }
        for b in &rules.balance {
            let weights = [b.normal, b.accelerated, b.detention, b.border, b.re_examination, b.statelessness];
            if weights.iter().any(|w| !(0.05..=10.0).contains(w))
                || !(0.0..=5.0).contains(&b.per_other_person)
                || b.remaining.values().any(|r| !(0.0..=1.0).contains(r))
                || !(1..=400).contains(&b.horizon_half_days)
            {
                return Err(DomainError::InvalidRules {
                    file: FILE,
                    reason: "a balance weight is 0.05 to 10, a remaining share 0 to 1, the horizon 1 to 400 half-days"
                        .into(),
                });
            }
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

    /// The balancing weights in force on `on`.
    pub fn balance(&self, on: Date) -> Result<&BalanceRule, DomainError> {
        in_force(&self.balance, on, |r| r.effective_from, "planning.balance")
    }

    /// Hours billed for a half-day of interpreting on `on`.
    pub fn hours_per_half_day(&self, on: Date) -> Result<f64, DomainError> {
        Ok(in_force(&self.billing, on, |r| r.effective_from, "planning.billing")?.hours_per_half_day)
    }
}
