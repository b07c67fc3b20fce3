//! The reception agency's dated data (`rules/reception.toml`): the allowance's barème and the
//! regions with their departments and their share of the national capacity.

use std::sync::LazyLock;

use serde::Deserialize;
use time::Date;

use crate::error::DomainError;
use crate::protection::Department;
use crate::serde_dates;

const FILE: &str = "rules/reception.toml";
const EMBEDDED: &str = include_str!("../../rules/reception.toml");

/// One dated line of the barème of the daily allowance (allocation pour demandeur d'asile).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AllowanceRate {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    /// The household's first person, per day.
    pub first_person_cents: i64,
    /// Each further person, per day.
    pub additional_person_cents: i64,
    /// Each adult who accepted the offer, needs accommodation and was offered none, per day.
    pub unaccommodated_adult_cents: i64,
    pub source: String,
}

/// A region of the national reception scheme.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RegionInfo {
    /// ISO 3166-2:FR code without the country, e.g. `IDF`.
    pub code: String,
    pub name: String,
    /// Its share of the national capacity under the scheme, in thousandths.
    pub share_permille: u32,
    pub departments: Vec<String>,
    /// Latitude and longitude of the regional prefecture, for distances.
    pub seat: [f64; 2],
}

/// The weekly orientation's deadlines (law) and its objective's weights (agency policy), dated.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct OrientationRules {
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    pub contest_days: i64,
    /// R.551-3: the place must be reached within this many days.
    pub reach_days: i64,
    /// D.551-17: days for written observations before an ending.
    pub observation_days: i64,
    /// L.555-1: days to challenge an ending in court.
    pub court_days: i64,
    pub interview_site: [f64; 2],
    pub housed: f64,
    pub vulnerable: f64,
    pub per_100km_to_interview: f64,
    pub per_100km_from_care: f64,
    pub per_permille_above_share: f64,
    pub source: String,
}

#[derive(Deserialize)]
struct File {
    allowance: Vec<AllowanceRate>,
    region: Vec<RegionInfo>,
    orientation: Vec<OrientationRules>,
}

/// The reception data, checked when loaded.
#[derive(Debug, Clone)]
pub struct ReceptionRules {
    rates: Vec<AllowanceRate>,
    regions: Vec<RegionInfo>,
    orientation: Vec<OrientationRules>,
}

static EMBEDDED_RULES: LazyLock<Result<ReceptionRules, DomainError>> =
    LazyLock::new(|| ReceptionRules::from_toml(EMBEDDED));

impl ReceptionRules {
    /// The data compiled in. Its tests prove it loads; a failure here is a build defect.
    pub fn embedded() -> &'static ReceptionRules {
        match &*EMBEDDED_RULES {
            Ok(rules) => rules,
            Err(e) => panic!("the embedded reception rules are invalid: {e}"),
        }
    }

    pub fn from_toml(src: &str) -> Result<ReceptionRules, DomainError> {
        let bad = |reason: String| DomainError::InvalidRules { file: FILE, reason };
        let mut file: File = toml::from_str(src).map_err(|e| bad(e.to_string()))?;
        file.allowance.sort_by_key(|r| r.effective_from);
        if file.allowance.is_empty() {
            return Err(bad("no allowance rate".into()));
        }
        if file.allowance.windows(2).any(|w| w[0].effective_from == w[1].effective_from) {
            return Err(bad("two allowance rates take effect on the same day".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut total = 0;
        for region in &file.region {
            if !seen.insert(region.code.clone()) {
                return Err(bad(format!("region {} is listed twice", region.code)));
            }
            for d in &region.departments {
                Department::parse(d).map_err(|e| bad(format!("region {}: {e}", region.code)))?;
                if !seen.insert(format!("dept:{d}")) {
                    return Err(bad(format!("department {d} is in two regions")));
                }
            }
            total += region.share_permille;
        }
        if total != 1000 {
            return Err(bad(format!("the regions' shares add up to {total}‰, not 1000‰")));
        }
        file.orientation.sort_by_key(|r| r.effective_from);
        for o in &file.orientation {
            if o.contest_days < 1 || o.reach_days < 1 || o.observation_days < 1 || o.court_days < 1 {
                return Err(bad("an orientation deadline is shorter than a day".into()));
            }
            let weights =
                [o.housed, o.vulnerable, o.per_100km_to_interview, o.per_100km_from_care, o.per_permille_above_share];
            if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || o.housed <= 0.0 {
                return Err(bad("the orientation's weights are finite and not negative, `housed` positive".into()));
            }
        }
        Ok(ReceptionRules { rates: file.allowance, regions: file.region, orientation: file.orientation })
    }

    /// The barème in force on `on`.
    pub fn rate(&self, on: Date) -> Result<&AllowanceRate, DomainError> {
        self.rates
            .iter()
            .rev()
            .find(|r| r.effective_from <= on)
            .ok_or_else(|| DomainError::MissingRule { id: "allowance".into(), on: on.to_string() })
    }

    /// The orientation's rules in force on `on`.
    pub fn orientation(&self, on: Date) -> Result<&OrientationRules, DomainError> {
        self.orientation
            .iter()
            .rev()
            .find(|r| r.effective_from <= on)
            .ok_or_else(|| DomainError::MissingRule { id: "orientation".into(), on: on.to_string() })
    }

    pub fn regions(&self) -> &[RegionInfo] {
        &self.regions
    }

    pub fn region(&self, code: &str) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.code == code)
    }

    /// The region a department belongs to.
    pub fn region_of(&self, department: &Department) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.departments.iter().any(|d| d == department.as_str()))
    }

    /// A region code the scheme knows, or a validation error on `field`.
    pub fn check_region(&self, field: &'static str, code: &str) -> Result<String, DomainError> {
        let code = code.trim().to_ascii_uppercase();
        match self.region(&code) {
            Some(r) => Ok(r.code.clone()),
            None => Err(DomainError::validation(
                field,
                format!("{code:?} is not a region of the national scheme (e.g. IDF, ARA, NAQ)"),
            )),
        }
    }
}
