//! Appeals before the asylum court (Cour nationale du droit d'asile, CNDA): the court's notice of
//! an appeal, the chamber competent for the applicant's address, the formation (single judge or
//! panel), the hearing and its notice, the office's defence (mémoire en défense), and the further
//! appeal to the Conseil d'État (pourvoi en cassation).
//!
//! The rules here are pure checks and computations; `cases::decide` applies them to a case.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::{self, format_date};
use crate::decision::DecisionDraft;
use crate::error::DomainError;
use crate::ids::Login;
use crate::rules::{rule_id, Rules};
use crate::serde_dates;

/// Who sits: a single judge (the default since law 2024-42, L.131-7) or a panel of three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Formation {
    SingleJudge,
    Panel,
}

impl Formation {
    pub const ALL: [Formation; 2] = [Formation::SingleJudge, Formation::Panel];

    pub fn as_str(&self) -> &'static str {
        match self {
            Formation::SingleJudge => "single_judge",
            Formation::Panel => "panel",
        }
    }

    pub fn parse(s: &str) -> Option<Formation> {
        Formation::ALL.into_iter().find(|f| f.as_str() == s)
    }

    /// The rule giving the notice the court owes the parties before a hearing.
    fn notice_rule(&self) -> &'static str {
        match self {
            Formation::SingleJudge => rule_id::COURT_HEARING_NOTICE_SINGLE_JUDGE,
            Formation::Panel => rule_id::COURT_HEARING_NOTICE_PANEL,
        }
    }
}

/// Where the court sits for an appeal: its seat, or a territorial chamber (since 1 September 2024).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chamber {
    Montreuil,
    Bordeaux,
    Lyon,
    Nancy,
    Toulouse,
}

impl Chamber {
    pub const ALL: [Chamber; 5] =
        [Chamber::Montreuil, Chamber::Bordeaux, Chamber::Lyon, Chamber::Nancy, Chamber::Toulouse];

    pub fn as_str(&self) -> &'static str {
        match self {
            Chamber::Montreuil => "montreuil",
            Chamber::Bordeaux => "bordeaux",
            Chamber::Lyon => "lyon",
            Chamber::Nancy => "nancy",
            Chamber::Toulouse => "toulouse",
        }
    }

    pub fn parse(s: &str) -> Option<Chamber> {
        Chamber::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// A French department, as the court's notice gives the applicant's address: `"33"`, `"2A"`,
/// `"971"`; a five-digit postcode is accepted and reduced to its department.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Department(String);

impl Department {
    pub fn parse(s: &str) -> Result<Department, DomainError> {
        let s = s.trim().to_ascii_uppercase();
        let bad = || {
            DomainError::validation(
                "department",
                format!("{s:?} is not a French department (\"33\", \"2A\", \"971\") nor a postcode (\"33000\")"),
            )
        };
        let code = match s.len() {
            5 if s.bytes().all(|b| b.is_ascii_digit()) => {
                if s.starts_with("97") {
                    s[..3].to_owned()
                } else if s.starts_with("20") {
                    // Corsica: 200xx and 201xx are Corse-du-Sud, 202xx and 206xx Haute-Corse.
                    if s.as_bytes()[2] < b'2' {
                        "2A".to_owned()
                    } else {
                        "2B".to_owned()
                    }
                } else {
                    s[..2].to_owned()
                }
            }
            _ => s.clone(),
        };
        let valid = match code.as_str() {
            "2A" | "2B" => true,
            c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = c.parse().map_err(|_| bad())?;
                (1..=95).contains(&n) && n != 20
            }
            c if c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()) => {
                ["971", "972", "973", "974", "976"].contains(&c)
            }
            _ => false,
        };
        if valid {
            Ok(Department(code))
        } else {
            Err(bad())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Department {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Department::parse(&s)
    }
}

impl From<Department> for String {
    fn from(d: Department) -> String {
        d.0
    }
}

/// The court's notice that an appeal was lodged against the office's decision, as the legal
/// consultant records it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AppealNotice {
    /// The court's own number for the appeal.
    pub court_reference: String,
    pub formation: Formation,
    /// The applicant's department on the date of the office's decision (it fixes the chamber).
    pub department: Department,
}

impl AppealNotice {
    pub fn parse(court_reference: &str, formation: Formation, department: &str) -> Result<AppealNotice, DomainError> {
        let reference = court_reference.trim();
        if reference.is_empty()
            || reference.chars().count() > 20
            || !reference.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/')
        {
            return Err(DomainError::validation(
                "court_reference",
                "the court's reference is 1 to 20 letters, digits, '-' or '/'",
            ));
        }
        Ok(AppealNotice {
            court_reference: reference.to_owned(),
            formation,
            department: Department::parse(department)?,
        })
    }
}

/// A hearing before the court, with the date the parties were notified of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Hearing {
    #[serde(with = "serde_dates::date")]
    pub on: Date,
    #[serde(with = "serde_dates::date")]
    pub notified_on: Date,
    pub formation: Formation,
}

/// Where the office's defence stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DefenceStage {
    /// Written by a legal consultant, waiting for a second reading.
    Drafted,
    /// Sent back to its author with comments.
    Returned,
    /// Read and approved by another legal consultant.
    Approved,
    /// Sent to the court (and so filed with the case).
    Sent,
}

impl DefenceStage {
    pub fn as_str(&self) -> &'static str {
        match self {
            DefenceStage::Drafted => "drafted",
            DefenceStage::Returned => "returned",
            DefenceStage::Approved => "approved",
            DefenceStage::Sent => "sent",
        }
    }
}

/// The office's written defence before the court (mémoire en défense).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Defence {
    pub text: String,
    pub drafted_by: Login,
    pub stage: DefenceStage,
    pub reviewed_by: Option<Login>,
    /// Every comment of a reviewer, oldest first.
    pub comments: Vec<String>,
    #[serde(with = "serde_dates::date::option")]
    pub sent_on: Option<Date>,
}

/// The longest defence accepted, in characters.
pub const DEFENCE_MAX_CHARS: usize = 100_000;

/// Checks the text of a defence: something to say, and not a whole library.
pub fn check_defence_text(text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::validation("text", "the defence must say something"));
    }
    if text.chars().count() > DEFENCE_MAX_CHARS {
        return Err(DomainError::validation("text", format!("the defence is at most {DEFENCE_MAX_CHARS} characters")));
    }
    Ok(())
}

/// The outline a first defence starts from, in French (the court's language): the decision under
/// appeal, its dates, its reasons in fact (with the sources the officer cited) and in law, and the
/// office's conclusion. The consultant rewrites it; nothing is sent without a second reading.
pub fn defence_outline(
    decision: Option<&DecisionDraft>,
    interviewed_on: Option<Date>,
    signed_on: Option<Date>,
    notified_on: Option<Date>,
) -> String {
    let Some(decision) = decision else {
        return String::new();
    };
    let date = |d: Option<Date>| d.map_or_else(|| "—".to_owned(), |d| d.to_string());
    format!(
        "MÉMOIRE EN DÉFENSE\n\n\
         I. La décision attaquée\n\
         Décision de l'Office signée le {}, notifiée le {}, après un entretien personnel le {}.\n\n\
         II. Les faits (motifs de la décision)\n{}\n\n\
         III. Le droit\n{}\n\n\
         IV. Discussion\n[Répondre aux moyens du recours, point par point, en citant les sources.]\n\n\
         Par ces motifs, l'Office conclut au rejet du recours.\n",
        date(signed_on),
        date(notified_on),
        date(interviewed_on),
        decision.facts.trim(),
        decision.law.trim(),
    )
}

/// Who took the court's ruling to the Conseil d'État.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CassationParty {
    Office,
    Applicant,
}

impl CassationParty {
    pub fn as_str(&self) -> &'static str {
        match self {
            CassationParty::Office => "office",
            CassationParty::Applicant => "applicant",
        }
    }

    pub fn parse(s: &str) -> Option<CassationParty> {
        [CassationParty::Office, CassationParty::Applicant].into_iter().find(|p| p.as_str() == s)
    }
}

/// A further appeal to the Conseil d'État against the court's ruling.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Cassation {
    #[serde(with = "serde_dates::date")]
    pub lodged_on: Date,
    pub by: CassationParty,
}

/// An appeal as the office follows it: the notice, the chamber, and what happened since.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Appeal {
    pub court_reference: String,
    pub formation: Formation,
    pub department: Department,
    pub chamber: Chamber,
    pub hearing: Option<Hearing>,
    pub defence: Option<Defence>,
    pub cassation: Option<Cassation>,
}

impl Appeal {
    /// The appeal a notice opens, before the court's chamber sets a hearing.
    pub fn from_notice(notice: AppealNotice, chamber: Chamber) -> Appeal {
        Appeal {
            court_reference: notice.court_reference,
            formation: notice.formation,
            department: notice.department,
            chamber,
            hearing: None,
            defence: None,
            cassation: None,
        }
    }
}

/// Checks that a hearing respects the notice owed to the parties (15 days before a single judge,
/// 30 before a panel, as dated rules) and comes after the appeal was lodged.
pub fn check_hearing(rules: &Rules, lodged_on: Date, hearing: &Hearing) -> Result<(), DomainError> {
    if hearing.notified_on < lodged_on {
        return Err(DomainError::validation("notified_on", "the hearing is notified after the appeal is lodged"));
    }
    let rule = rules.duration(hearing.formation.notice_rule(), hearing.notified_on)?;
    let earliest = rule.after(hearing.notified_on);
    if hearing.on < earliest {
        let before = match hearing.formation {
            Formation::SingleJudge => "a single judge",
            Formation::Panel => "a panel",
        };
        return Err(DomainError::validation(
            "hearing_on",
            format!(
                "a hearing before {before} needs {rule}' notice ({}): notified on {}, it can be held on {} at the earliest",
                rule.source,
                format_date(hearing.notified_on),
                format_date(earliest)
            ),
        ));
    }
    Ok(())
}

/// The last day to take a ruling of `ruled_on` to the Conseil d'État, and the rule's summary.
pub fn cassation_due(rules: &Rules, ruled_on: Date) -> Result<(Date, String), DomainError> {
    let rule = rules.duration(rule_id::CASSATION, ruled_on)?;
    let end = rule.after(ruled_on);
    let due = if rule.working_days { calendar::next_working_day(end) } else { end };
    Ok((due, format!("{} ({}): {}", rule.summary, rule.source, format_date(due))))
}

/// The chambers' competence by department, in dated periods (`rules/chambers.toml`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chambers(Vec<ChamberPeriod>);

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct ChamberPeriod {
    #[serde(with = "serde_dates::date")]
    effective_from: Date,
    #[serde(default)]
    chamber: Vec<ChamberEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct ChamberEntry {
    id: String,
    departments: Vec<String>,
}

#[derive(Deserialize)]
struct RawChambers {
    period: Vec<ChamberPeriod>,
}

const CHAMBERS_FILE: &str = "chambers.toml";
const EMBEDDED_CHAMBERS: &str = include_str!("../../rules/chambers.toml");

impl Chambers {
    pub fn from_toml(text: &str) -> Result<Chambers, DomainError> {
        let invalid = |reason: String| DomainError::InvalidRules { file: CHAMBERS_FILE, reason };
        let mut raw: RawChambers = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        for period in &raw.period {
            let mut seen = std::collections::BTreeSet::new();
            for entry in &period.chamber {
                if Chamber::parse(&entry.id).is_none() {
                    return Err(invalid(format!("{:?} is not a chamber", entry.id)));
                }
                for d in &entry.departments {
                    Department::parse(d).map_err(|_| invalid(format!("{d:?} is not a department")))?;
                    if !seen.insert(d.clone()) {
                        return Err(invalid(format!("department {d} is given to two chambers")));
                    }
                }
            }
        }
        raw.period.sort_by_key(|p| p.effective_from);
        Ok(Chambers(raw.period))
    }

    /// The table compiled in, parsed once.
    pub fn embedded() -> &'static Chambers {
        static CHAMBERS: OnceLock<Chambers> = OnceLock::new();
        // The embedded file is checked by a test; an unreadable one would give the seat everywhere.
        CHAMBERS.get_or_init(|| Chambers::from_toml(EMBEDDED_CHAMBERS).unwrap_or(Chambers(Vec::new())))
    }

    /// The chamber competent on `on` for an applicant living in `department`: a territorial
    /// chamber that lists it in the period in force, otherwise the court's seat.
    pub fn chamber_for(&self, department: &Department, on: Date) -> Chamber {
        self.0
            .iter()
            .rev()
            .find(|p| p.effective_from <= on)
            .and_then(|p| p.chamber.iter().find(|c| c.departments.iter().any(|d| d == department.as_str())))
            .and_then(|c| Chamber::parse(&c.id))
            .unwrap_or(Chamber::Montreuil)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn departments_parse_from_codes_and_postcodes() {
        assert_eq!(Department::parse("33").map(|d| d.0), Ok("33".into()));
        assert_eq!(Department::parse("33000").map(|d| d.0), Ok("33".into()));
        assert_eq!(Department::parse("20000").map(|d| d.0), Ok("2A".into()));
        assert_eq!(Department::parse("20200").map(|d| d.0), Ok("2B".into()));
        assert_eq!(Department::parse("97400").map(|d| d.0), Ok("974".into()));
        assert_eq!(Department::parse("2b").map(|d| d.0), Ok("2B".into()));
        for bad in ["", "00", "20", "96", "975", "3", "Paris", "330000"] {
            assert!(Department::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_chamber_follows_the_address_from_september_2024() {
        let chambers = Chambers::from_toml(EMBEDDED_CHAMBERS).expect("valid table");
        let gironde = Department::parse("33").expect("valid");
        let paris = Department::parse("75").expect("valid");
        assert_eq!(chambers.chamber_for(&gironde, date!(2024 - 08 - 31)), Chamber::Montreuil);
        assert_eq!(chambers.chamber_for(&gironde, date!(2024 - 09 - 01)), Chamber::Bordeaux);
        assert_eq!(
            chambers.chamber_for(&Department::parse("69").expect("valid"), date!(2026 - 01 - 01)),
            Chamber::Lyon
        );
        assert_eq!(
            chambers.chamber_for(&Department::parse("67").expect("valid"), date!(2026 - 01 - 01)),
            Chamber::Nancy
        );
        assert_eq!(
            chambers.chamber_for(&Department::parse("31").expect("valid"), date!(2026 - 01 - 01)),
            Chamber::Toulouse
        );
        assert_eq!(chambers.chamber_for(&paris, date!(2026 - 01 - 01)), Chamber::Montreuil);
        assert_eq!(Chambers::embedded(), &chambers);
    }

    #[test]
    fn a_department_given_twice_or_an_unknown_chamber_is_refused() {
        let twice =
            "[[period]]\neffective_from = \"2024-09-01\"\n[[period.chamber]]\nid = \"lyon\"\ndepartments = [\"69\"]\n\
                     [[period.chamber]]\nid = \"nancy\"\ndepartments = [\"69\"]\n";
        assert!(Chambers::from_toml(twice).is_err());
        let unknown =
            "[[period]]\neffective_from = \"2024-09-01\"\n[[period.chamber]]\nid = \"lille\"\ndepartments = [\"59\"]\n";
        assert!(Chambers::from_toml(unknown).is_err());
    }

    #[test]
    fn a_hearing_needs_15_days_notice_before_a_judge_and_30_before_a_panel() {
        let rules = Rules::embedded();
        let lodged = date!(2026 - 03 - 02);
        let notified = date!(2026 - 04 - 01);
        let judge = |on| Hearing { on, notified_on: notified, formation: Formation::SingleJudge };
        let panel = |on| Hearing { on, notified_on: notified, formation: Formation::Panel };
        assert!(check_hearing(&rules, lodged, &judge(date!(2026 - 04 - 16))).is_ok());
        assert!(check_hearing(&rules, lodged, &judge(date!(2026 - 04 - 15))).is_err());
        assert!(check_hearing(&rules, lodged, &panel(date!(2026 - 05 - 01))).is_ok());
        let refused = check_hearing(&rules, lodged, &panel(date!(2026 - 04 - 30)));
        assert!(
            matches!(&refused, Err(DomainError::Validation { field: "hearing_on", reason }) if reason.contains("30 days"))
        );
        let early = Hearing {
            on: date!(2026 - 05 - 01),
            notified_on: date!(2026 - 03 - 01),
            formation: Formation::SingleJudge,
        };
        assert!(check_hearing(&rules, lodged, &early).is_err());
    }

    #[test]
    fn cassation_is_due_two_months_after_the_ruling_on_a_working_day() {
        let rules = Rules::embedded();
        // 2026-05-15 + 2 months = Wednesday 15 July 2026: the day after the national holiday.
        assert_eq!(cassation_due(&rules, date!(2026 - 05 - 15)).map(|d| d.0), Ok(date!(2026 - 07 - 15)));
        // 2026-05-14 + 2 months = 14 July (holiday): moved to the 15th.
        assert_eq!(cassation_due(&rules, date!(2026 - 05 - 14)).map(|d| d.0), Ok(date!(2026 - 07 - 15)));
    }

    #[test]
    fn notices_check_the_court_reference() {
        assert!(AppealNotice::parse("26012345", Formation::SingleJudge, "75").is_ok());
        assert!(AppealNotice::parse("  ", Formation::SingleJudge, "75").is_err());
        assert!(AppealNotice::parse("26 012 345", Formation::SingleJudge, "75").is_err());
        assert!(AppealNotice::parse("26012345", Formation::Panel, "Lyon").is_err());
        assert!(check_defence_text(" \n").is_err());
        assert!(check_defence_text("The office maintains its decision.").is_ok());
    }
}
