//! The rules that change with the law, as dated data: legal durations (`rules/procedures.toml`) and the
//! nationalities with their division and pooling periods (`rules/nationalities.toml`).
//!
//! Both files are compiled in with `include_str!` and checked when loaded: every duration the code needs is
//! present, no entry is duplicated, every code parses. A change of law is a new dated entry, not a code change.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar;
use crate::error::DomainError;
use crate::ids::{DivisionId, Language, Nationality};
use crate::serde_dates;

/// The ids of the durations in `procedures.toml` that the code uses.
pub mod rule_id {
    /// Normal procedure: decision within 6 months of introduction.
    pub const DECISION_NORMAL: &str = "decision.normal";
    /// First extension of the normal decision deadline (at most 9 months).
    pub const DECISION_EXTENSION_FIRST: &str = "decision.extension.first";
    /// Second extension (at most 3 months).
    pub const DECISION_EXTENSION_SECOND: &str = "decision.extension.second";
    /// Telling the applicant of an extension, before the 6 months end.
    pub const DECISION_INFORM_OF_EXTENSION: &str = "decision.inform_of_extension";
    /// Accelerated procedure: 15 days.
    pub const DECISION_ACCELERATED: &str = "decision.accelerated";
    /// Detention: 96 hours.
    pub const DECISION_DETENTION: &str = "decision.detention";
    /// Border: the office's opinion.
    pub const DECISION_BORDER: &str = "decision.border";
    /// Deemed notification after being made available.
    pub const NOTIFICATION_DEEMED: &str = "notification.deemed";
    /// Appeal to the asylum court.
    pub const APPEAL: &str = "appeal";
    /// Window in which a legal-aid request suspends the appeal deadline.
    pub const APPEAL_LEGAL_AID_WINDOW: &str = "appeal.legal_aid_window";
    /// Court ruling, collegial formation.
    pub const COURT_COLLEGIAL: &str = "court.collegial";
    /// Court ruling, single judge.
    pub const COURT_SINGLE_JUDGE: &str = "court.single_judge";
    /// Reopening a closed case.
    pub const REOPENING: &str = "reopening";
    /// Notice of a hearing before a single judge of the asylum court.
    pub const COURT_HEARING_NOTICE_SINGLE_JUDGE: &str = "court.hearing_notice.single_judge";
    /// Notice of a hearing before a panel of the asylum court.
    pub const COURT_HEARING_NOTICE_PANEL: &str = "court.hearing_notice.panel";
    /// A further appeal to the Conseil d'État against the court's ruling.
    pub const CASSATION: &str = "cassation";
    /// Five years between two medical examinations of a girl protected from FGM.
    pub const FGM_EXAMINATION_INTERVAL: &str = "fgm.examination_interval";
    /// The time the office's letter gives the legal representatives to send the certificate.
    pub const FGM_CERTIFICATE_AFTER_LETTER: &str = "fgm.certificate_after_letter";
    /// The time the protected person has to answer before a protection is ended.
    pub const ENDING_ANSWER_PERIOD: &str = "ending.answer_period";

    /// Every id the code looks up; each must be present in the data.
    pub const ALL: [&str; 19] = [
        DECISION_NORMAL,
        DECISION_EXTENSION_FIRST,
        DECISION_EXTENSION_SECOND,
        DECISION_INFORM_OF_EXTENSION,
        DECISION_ACCELERATED,
        DECISION_DETENTION,
        DECISION_BORDER,
        NOTIFICATION_DEEMED,
        APPEAL,
        APPEAL_LEGAL_AID_WINDOW,
        COURT_COLLEGIAL,
        COURT_SINGLE_JUDGE,
        REOPENING,
        COURT_HEARING_NOTICE_SINGLE_JUDGE,
        COURT_HEARING_NOTICE_PANEL,
        CASSATION,
        FGM_EXAMINATION_INTERVAL,
        FGM_CERTIFICATE_AFTER_LETTER,
        ENDING_ANSWER_PERIOD,
    ];
}

const PROCEDURES_FILE: &str = "rules/procedures.toml";
const NATIONALITIES_FILE: &str = "rules/nationalities.toml";
const EMBEDDED_PROCEDURES: &str = include_str!("../rules/procedures.toml");
const EMBEDDED_NATIONALITIES: &str = include_str!("../rules/nationalities.toml");

/// The unit of a legal duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    /// Rounded up to whole days: 96 hours from a day is 4 days after it.
    Hours,
    Days,
    Weeks,
    /// Same date in the later month, clamped to its end.
    Months,
}

/// One dated entry of `procedures.toml`: a legal duration in force from `effective_from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DurationRule {
    pub id: String,
    #[serde(with = "serde_dates::date")]
    pub effective_from: Date,
    pub amount: u32,
    pub unit: DurationUnit,
    /// A deadline ending on a Saturday, a Sunday or a public holiday moves to the next working day.
    pub working_days: bool,
    pub source: String,
    /// "(to verify)" and the like; empty when the rule is checked against its source.
    pub note: String,
    pub summary: String,
}

impl DurationRule {
    /// The date `self` after `start`, before any move to a working day.
    pub fn after(&self, start: Date) -> Date {
        let amount = i64::from(self.amount);
        match self.unit {
            DurationUnit::Hours => calendar::add_days(start, (amount + 23) / 24),
            DurationUnit::Days => calendar::add_days(start, amount),
            DurationUnit::Weeks => calendar::add_days(start, amount * 7),
            DurationUnit::Months => calendar::add_months(start, self.amount),
        }
    }

    /// The duration in whole days when it is counted in days (hours rounded up, weeks times 7).
    pub fn whole_days(&self) -> Option<i64> {
        let amount = i64::from(self.amount);
        match self.unit {
            DurationUnit::Hours => Some((amount + 23) / 24),
            DurationUnit::Days => Some(amount),
            DurationUnit::Weeks => Some(amount * 7),
            DurationUnit::Months => None,
        }
    }
}

impl fmt::Display for DurationRule {
    /// "6 months", "1 month", "15 days", "96 hours", "5 weeks".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            DurationUnit::Hours => "hour",
            DurationUnit::Days => "day",
            DurationUnit::Weeks => "week",
            DurationUnit::Months => "month",
        };
        write!(f, "{} {}{}", self.amount, unit, if self.amount == 1 { "" } else { "s" })
    }
}

/// A period during which a nationality is pooled: any division may examine its applications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PooledPeriod {
    #[serde(with = "serde_dates::date")]
    pub from: Date,
    /// Last day of the period, if it has ended.
    #[serde(with = "serde_dates::date::option")]
    pub until: Option<Date>,
    pub source: String,
    pub note: String,
}

impl PooledPeriod {
    pub fn contains(&self, on: Date) -> bool {
        self.from <= on && self.until.is_none_or(|u| on <= u)
    }
}

/// One nationality of `nationalities.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NationalityInfo {
    pub code: Nationality,
    pub name_en: String,
    pub name_fr: String,
    /// The division that examines its applications.
    pub division: DivisionId,
    /// The usual interview languages.
    pub languages: Vec<Language>,
    pub pooled: Vec<PooledPeriod>,
}

/// All the rules, loaded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// By id, each list sorted by `effective_from`.
    durations: BTreeMap<String, Vec<DurationRule>>,
    nationalities: BTreeMap<Nationality, NationalityInfo>,
}

static EMBEDDED: LazyLock<Result<Rules, DomainError>> =
    LazyLock::new(|| Rules::from_toml(EMBEDDED_PROCEDURES, EMBEDDED_NATIONALITIES));

impl Rules {
    /// The rules compiled into this build, from `crates/domain/rules/`. Parsed once per process.
    ///
    /// # Panics
    /// If the embedded files are invalid, which the crate's tests rule out before any release.
    pub fn embedded() -> Rules {
        match Self::try_embedded() {
            Ok(rules) => rules,
            Err(e) => panic!("the rules compiled into nansen-domain are invalid: {e}"),
        }
    }

    /// The rules compiled into this build, or why they do not load.
    pub fn try_embedded() -> Result<Rules, DomainError> {
        EMBEDDED.clone()
    }

    /// Load and check rules from the text of `procedures.toml` and `nationalities.toml`.
    pub fn from_toml(procedures: &str, nationalities: &str) -> Result<Rules, DomainError> {
        Ok(Rules { durations: load_procedures(procedures)?, nationalities: load_nationalities(nationalities)? })
    }

    /// The entry of rule `id` in force on `on`: the one with the latest `effective_from` not after `on`.
    pub fn duration(&self, id: &str, on: Date) -> Result<&DurationRule, DomainError> {
        self.durations
            .get(id)
            .and_then(|entries| entries.iter().rev().find(|r| r.effective_from <= on))
            .ok_or_else(|| DomainError::MissingRule { id: id.to_owned(), on: serde_dates::format_date(on) })
    }

    /// Every duration entry, by id then date.
    pub fn durations(&self) -> impl Iterator<Item = &DurationRule> {
        self.durations.values().flatten()
    }

    /// The division that examines applications of this nationality, if the nationality is listed.
    /// (`on` is for divisions that change over time; the data has none yet.)
    pub fn division_of(&self, nationality: Nationality, on: Date) -> Option<DivisionId> {
        let _ = on;
        self.nationalities.get(&nationality).map(|n| n.division)
    }

    /// Whether the nationality is pooled on that date: any division may examine it.
    pub fn is_pooled(&self, nationality: Nationality, on: Date) -> bool {
        self.nationalities.get(&nationality).is_some_and(|n| n.pooled.iter().any(|p| p.contains(on)))
    }

    /// The listed nationalities, by code.
    pub fn nationalities(&self) -> impl Iterator<Item = &NationalityInfo> {
        self.nationalities.values()
    }

    pub fn nationality(&self, code: Nationality) -> Option<&NationalityInfo> {
        self.nationalities.get(&code)
    }
}

/// A date in a rules file: a "YYYY-MM-DD" string, or a bare TOML date.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawDate {
    Text(String),
    Toml(toml::value::Datetime),
}

impl RawDate {
    fn parse(&self, file: &'static str, what: &str) -> Result<Date, DomainError> {
        let text = match self {
            RawDate::Text(s) => s.clone(),
            RawDate::Toml(dt) => match (dt.date, dt.time) {
                (Some(d), None) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
                _ => String::new(),
            },
        };
        serde_dates::parse_date(&text)
            .map_err(|_| DomainError::InvalidRules { file, reason: format!("{what}: a date is written YYYY-MM-DD") })
    }
}

#[derive(Deserialize)]
struct RawProcedures {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    effective_from: RawDate,
    amount: u32,
    unit: DurationUnit,
    #[serde(default)]
    working_days: bool,
    source: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    summary: String,
}

fn load_procedures(text: &str) -> Result<BTreeMap<String, Vec<DurationRule>>, DomainError> {
    let invalid = |reason: String| DomainError::InvalidRules { file: PROCEDURES_FILE, reason };
    let raw: RawProcedures = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let mut out: BTreeMap<String, Vec<DurationRule>> = BTreeMap::new();
    for r in raw.rule {
        if !rule_id::ALL.contains(&r.id.as_str()) {
            return Err(invalid(format!("unknown rule id {:?}", r.id)));
        }
        let effective_from = r.effective_from.parse(PROCEDURES_FILE, &r.id)?;
        if r.amount == 0 {
            return Err(invalid(format!("{}: the amount must be positive", r.id)));
        }
        if r.source.trim().is_empty() {
            return Err(invalid(format!("{}: every rule names its source", r.id)));
        }
        let entries = out.entry(r.id.clone()).or_default();
        if entries.iter().any(|e| e.effective_from == effective_from) {
            return Err(invalid(format!("{}: two entries take effect on the same day", r.id)));
        }
        entries.push(DurationRule {
            id: r.id,
            effective_from,
            amount: r.amount,
            unit: r.unit,
            working_days: r.working_days,
            source: r.source,
            note: r.note,
            summary: r.summary,
        });
    }
    for id in rule_id::ALL {
        if !out.contains_key(id) {
            return Err(invalid(format!("the rule {id:?} is missing")));
        }
    }
    for entries in out.values_mut() {
        entries.sort_by_key(|e| e.effective_from);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct RawNationalities {
    #[serde(default)]
    nationality: Vec<RawNationality>,
}

#[derive(Deserialize)]
struct RawNationality {
    code: String,
    name_en: String,
    name_fr: String,
    division: String,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default)]
    pooled: Vec<RawPooled>,
}

#[derive(Deserialize)]
struct RawPooled {
    from: RawDate,
    #[serde(default)]
    until: Option<RawDate>,
    #[serde(default)]
    source: String,
    #[serde(default)]
    note: String,
}

fn load_nationalities(text: &str) -> Result<BTreeMap<Nationality, NationalityInfo>, DomainError> {
    let invalid = |reason: String| DomainError::InvalidRules { file: NATIONALITIES_FILE, reason };
    let raw: RawNationalities = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
    let mut out = BTreeMap::new();
    for n in raw.nationality {
        let code = Nationality::parse(&n.code).map_err(|e| invalid(e.to_string()))?;
        let division = DivisionId::parse(&n.division).map_err(|e| invalid(format!("{code}: {e}")))?;
        if n.name_en.trim().is_empty() || n.name_fr.trim().is_empty() {
            return Err(invalid(format!("{code}: names in English and French are required")));
        }
        let languages = n
            .languages
            .iter()
            .map(|l| Language::parse(l))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(format!("{code}: {e}")))?;
        let mut pooled = Vec::new();
        for p in n.pooled {
            let from = p.from.parse(NATIONALITIES_FILE, code.as_str())?;
            let until = p.until.map(|u| u.parse(NATIONALITIES_FILE, code.as_str())).transpose()?;
            if until.is_some_and(|u| u < from) {
                return Err(invalid(format!("{code}: a pooling period ends before it starts")));
            }
            pooled.push(PooledPeriod { from, until, source: p.source, note: p.note });
        }
        let info = NationalityInfo { code, name_en: n.name_en, name_fr: n.name_fr, division, languages, pooled };
        if out.insert(code, info).is_some() {
            return Err(invalid(format!("{code} is listed twice")));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const NATIONALITIES: &str = r#"
[[nationality]]
code = "AFG"
name_en = "Afghanistan"
name_fr = "Afghanistan"
division = "asia"
languages = ["prs", "ps"]
[[nationality.pooled]]
from = "2024-01-01"
until = 2024-12-31
source = "Director's decision (example)"

[[nationality]]
code = "SYR"
name_en = "Syria"
name_fr = "Syrie"
division = "europe-middle-east"
languages = ["ar", "ku"]
"#;

    fn rules() -> Rules {
        Rules::from_toml(EMBEDDED_PROCEDURES, NATIONALITIES).expect("valid rules")
    }

    #[test]
    fn embedded_rules_load() {
        let rules = Rules::try_embedded().expect("the embedded rules are valid");
        for id in rule_id::ALL {
            assert!(rules.duration(id, date!(2026 - 01 - 01)).is_ok(), "{id}");
        }
        for n in rules.nationalities() {
            assert!(!n.name_en.is_empty());
        }
        assert!(rules.nationalities().count() >= 40);
        for division in DivisionId::ALL {
            assert!(rules.nationalities().any(|n| n.division == division), "{division} has nationalities");
        }
        assert_eq!(Rules::embedded(), rules);
    }

    #[test]
    fn nationalities_division_and_pooling() {
        let rules = rules();
        let afg = Nationality::parse("AFG").expect("valid");
        let syr = Nationality::parse("SYR").expect("valid");
        assert_eq!(rules.division_of(afg, date!(2026 - 01 - 01)), Some(DivisionId::Asia));
        assert_eq!(rules.division_of(Nationality::parse("NOR").expect("valid"), date!(2026 - 01 - 01)), None);
        assert!(rules.is_pooled(afg, date!(2024 - 06 - 01)));
        assert!(rules.is_pooled(afg, date!(2024 - 12 - 31)), "the last day is included");
        assert!(!rules.is_pooled(afg, date!(2025 - 01 - 01)));
        assert!(!rules.is_pooled(afg, date!(2023 - 12 - 31)));
        assert!(!rules.is_pooled(syr, date!(2024 - 06 - 01)));
        assert_eq!(rules.nationalities().count(), 2);
        assert_eq!(rules.nationality(syr).map(|n| n.name_fr.as_str()), Some("Syrie"));
        assert_eq!(rules.nationality(afg).map(|n| n.languages.len()), Some(2));
    }

    #[test]
    fn the_entry_in_force_applies() {
        let text = format!(
            "{EMBEDDED_PROCEDURES}\n[[rule]]\nid = \"appeal\"\neffective_from = \"2030-01-01\"\namount = 2\n\
             unit = \"months\"\nsource = \"a future law\"\n"
        );
        let rules = Rules::from_toml(&text, "").expect("valid");
        assert_eq!(rules.duration(rule_id::APPEAL, date!(2029 - 12 - 31)).map(|r| r.amount), Ok(1));
        assert_eq!(rules.duration(rule_id::APPEAL, date!(2030 - 01 - 01)).map(|r| r.amount), Ok(2));
        assert_eq!(
            rules.duration(rule_id::APPEAL, date!(2020 - 01 - 01)).map_err(|e| e.code()),
            Err("missing_rule"),
            "no rule before the first entry"
        );
    }

    #[test]
    fn bad_files_are_refused() {
        let missing = EMBEDDED_PROCEDURES.replace("id = \"reopening\"", "id = \"appeal\"");
        assert!(Rules::from_toml(&missing, "").is_err(), "missing and duplicated");
        let unknown = format!("{EMBEDDED_PROCEDURES}\n[[rule]]\nid = \"apeal\"\neffective_from = \"2030-01-01\"\namount = 2\nunit = \"months\"\nsource = \"x\"\n");
        assert!(Rules::from_toml(&unknown, "").is_err());
        let zero = EMBEDDED_PROCEDURES.replacen("amount = 6", "amount = 0", 1);
        assert!(Rules::from_toml(&zero, "").is_err());
        let bad_unit = EMBEDDED_PROCEDURES.replacen("unit = \"months\"", "unit = \"fortnights\"", 1);
        assert!(Rules::from_toml(&bad_unit, "").is_err());
        let twice = format!(
            "{NATIONALITIES}\n[[nationality]]\ncode = \"SYR\"\nname_en = \"S\"\nname_fr = \"S\"\ndivision = \"asia\"\n"
        );
        assert!(Rules::from_toml(EMBEDDED_PROCEDURES, &twice).is_err());
        let bad_division = NATIONALITIES.replace("\"asia\"", "\"oceania\"");
        assert!(Rules::from_toml(EMBEDDED_PROCEDURES, &bad_division).is_err());
        let bad_code = NATIONALITIES.replace("\"SYR\"", "\"SY\"");
        assert!(Rules::from_toml(EMBEDDED_PROCEDURES, &bad_code).is_err());
        let backwards = NATIONALITIES.replace("until = 2024-12-31", "until = 2023-12-31");
        assert!(Rules::from_toml(EMBEDDED_PROCEDURES, &backwards).is_err());
    }

    #[test]
    fn durations_apply_and_read() {
        let rules = rules();
        let on = date!(2026 - 03 - 03);
        let normal = rules.duration(rule_id::DECISION_NORMAL, on).expect("present");
        assert_eq!(normal.to_string(), "6 months");
        assert_eq!(normal.after(on), date!(2026 - 09 - 03));
        let detention = rules.duration(rule_id::DECISION_DETENTION, on).expect("present");
        assert_eq!(detention.to_string(), "96 hours");
        assert_eq!(detention.after(on), date!(2026 - 03 - 07));
        assert_eq!(detention.whole_days(), Some(4));
        let single = rules.duration(rule_id::COURT_SINGLE_JUDGE, on).expect("present");
        assert_eq!(single.after(on), date!(2026 - 04 - 07));
        assert_eq!(rules.duration(rule_id::APPEAL, on).map(|r| r.to_string()), Ok("1 month".to_owned()));
        assert!(rules.duration(rule_id::APPEAL, on).is_ok_and(|r| r.working_days));
        assert!(rules.duration(rule_id::DECISION_BORDER, on).is_ok_and(|r| r.note.contains("(to verify)")));
    }
}
