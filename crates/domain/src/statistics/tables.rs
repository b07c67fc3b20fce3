//! The tables, by definition, as pure functions of counts the store groups from the facts. Each
//! table says which journal head it was computed from, so that anyone can recompute it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use super::codes;
use super::facts::{AgeGroup, DecisionClass, FactKind};
use super::period::Period;
use super::rules::DisclosureRule;
use crate::application::ApplicationKind;
use crate::cases::CourtOutcome;
use crate::error::DomainError;
use crate::person::Sex;

/// The tables Nansen computes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TableId {
    /// Eurostat `migr_asyappctzm`: asylum and first-time applicants by citizenship, age and sex, monthly.
    #[serde(rename = "migr_asyappctzm")]
    ApplicantsMonthly,
    /// Eurostat `migr_asyappctza`: the same, yearly.
    #[serde(rename = "migr_asyappctza")]
    ApplicantsYearly,
    /// Eurostat `migr_asydcfsta`: first-instance decisions by outcome, citizenship, age and sex.
    #[serde(rename = "migr_asydcfsta")]
    Decisions,
    /// Eurostat `migr_asypenctzm`: persons whose application is pending at the end of the month.
    #[serde(rename = "migr_asypenctzm")]
    Pending,
    /// Annual report: applications by kind, minors, top 20 nationalities.
    #[serde(rename = "report_applications")]
    ReportApplications,
    /// Annual report: decisions and protection rates (both definitions).
    #[serde(rename = "report_decisions")]
    ReportDecisions,
    /// Annual report: processing time by procedure (median, 90th percentile).
    #[serde(rename = "report_processing_time")]
    ReportProcessingTime,
    /// Annual report: pending stock at the end of the period and its age.
    #[serde(rename = "report_pending")]
    ReportPending,
    /// Annual report: interviews held, appeals lodged and the court's rulings.
    #[serde(rename = "report_activity")]
    ReportActivity,
    /// What the office counts against what Eurostat counts, line by line.
    #[serde(rename = "bridge")]
    Bridge,
}

impl TableId {
    pub const ALL: [TableId; 10] = [
        TableId::ApplicantsMonthly,
        TableId::ApplicantsYearly,
        TableId::Decisions,
        TableId::Pending,
        TableId::ReportApplications,
        TableId::ReportDecisions,
        TableId::ReportProcessingTime,
        TableId::ReportPending,
        TableId::ReportActivity,
        TableId::Bridge,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            TableId::ApplicantsMonthly => "migr_asyappctzm",
            TableId::ApplicantsYearly => "migr_asyappctza",
            TableId::Decisions => "migr_asydcfsta",
            TableId::Pending => "migr_asypenctzm",
            TableId::ReportApplications => "report_applications",
            TableId::ReportDecisions => "report_decisions",
            TableId::ReportProcessingTime => "report_processing_time",
            TableId::ReportPending => "report_pending",
            TableId::ReportActivity => "report_activity",
            TableId::Bridge => "bridge",
        }
    }

    /// A table by name; the error lists the names that exist.
    pub fn parse(s: &str) -> Result<TableId, DomainError> {
        Self::ALL.into_iter().find(|t| t.as_str() == s).ok_or_else(|| {
            let names: Vec<&str> = Self::ALL.iter().map(|t| t.as_str()).collect();
            DomainError::validation("table", format!("unknown table {s:?}; the tables are {}", names.join(", ")))
        })
    }

    /// An Eurostat dataset (exported as SDMX-CSV, rounded and with small cells suppressed).
    pub fn is_eurostat(&self) -> bool {
        matches!(self, TableId::ApplicantsMonthly | TableId::ApplicantsYearly | TableId::Decisions | TableId::Pending)
    }

    /// Plain English title.
    pub fn title(&self) -> &'static str {
        match self {
            TableId::ApplicantsMonthly => "Asylum and first-time asylum applicants, monthly",
            TableId::ApplicantsYearly => "Asylum and first-time asylum applicants, yearly",
            TableId::Decisions => "First-instance decisions on applications",
            TableId::Pending => "Persons with a pending application at the end of the month",
            TableId::ReportApplications => "Applications lodged",
            TableId::ReportDecisions => "Decisions and protection rates",
            TableId::ReportProcessingTime => "Processing time by procedure",
            TableId::ReportPending => "Pending applications and their age",
            TableId::ReportActivity => "Interviews, appeals and the court's rulings",
            TableId::Bridge => "Bridge between the office's counts and Eurostat's",
        }
    }
}

impl fmt::Display for TableId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The journal head a table was computed from: its size (the last sequence number included) and
/// its Merkle root. `nansen audit verify` checks the same head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    pub size: u64,
    pub root: String,
}

/// Applicants lodging in a bucket, grouped (a person once per bucket: their first lodging in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicantCount {
    pub bucket: String,
    pub nationality: String,
    pub sex: Sex,
    pub age: AgeGroup,
    pub persons: u64,
    /// Of which first-time: an asylum (not re-examination) application and no earlier one, ever.
    pub first_time: u64,
}

/// First-instance decisions in a bucket, grouped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecisionCount {
    pub bucket: String,
    pub nationality: String,
    pub sex: Sex,
    pub age: AgeGroup,
    pub class: DecisionClass,
    pub persons: u64,
}

/// Persons pending at the end of a bucket, grouped (age on that day).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingCount {
    pub bucket: String,
    pub nationality: String,
    pub sex: Sex,
    pub age: AgeGroup,
    pub persons: u64,
}

/// Facts of a kind in a bucket, grouped by what the annual report and the bridge need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FactCount {
    pub kind: FactKind,
    pub bucket: String,
    pub application: ApplicationKind,
    pub procedure: String,
    pub nationality: String,
    pub decision: Option<DecisionClass>,
    pub court: Option<CourtOutcome>,
    /// An accompanying minor (person > 0) rather than the applicant.
    pub accompanying: bool,
    pub count: u64,
}

/// How many applications (applicants only) took `days` from introduction to a fact, by a key
/// (the procedure, or the language).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaysCount {
    pub key: String,
    pub days: i64,
    pub count: u64,
}

/// What a table's cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Count(u64),
    /// A share, with its numerator and denominator (so that it can be checked).
    Rate {
        numerator: u64,
        denominator: u64,
    },
    /// Days (medians and percentiles).
    Days(i64),
    /// A signed difference (a line of the bridge that removes what one definition does not count).
    Signed(i64),
    /// Not published: a small cell, or a cell that would reveal one.
    Suppressed,
    /// No value (a rate over nothing, a median of nothing).
    Empty,
}

impl Value {
    pub fn count(&self) -> Option<u64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }

    /// As printed in CSV: a number, a rate in % with one decimal, or empty.
    pub fn csv(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Days(d) | Value::Signed(d) => d.to_string(),
            Value::Rate { numerator, denominator } if *denominator > 0 => {
                format!("{:.1}", *numerator as f64 * 100.0 / *denominator as f64)
            }
            Value::Rate { .. } | Value::Suppressed | Value::Empty => String::new(),
        }
    }

    /// The rate in [0, 1], if any.
    pub fn ratio(&self) -> Option<f64> {
        match self {
            Value::Rate { numerator, denominator } if *denominator > 0 => Some(*numerator as f64 / *denominator as f64),
            _ => None,
        }
    }
}

/// One row: the dimensions' codes in the order of [`Table::dimensions`], and the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub key: Vec<String>,
    pub value: Value,
}

/// A computed table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub id: TableId,
    pub title: String,
    pub period: Period,
    pub snapshot: Snapshot,
    /// The dimensions' names (Eurostat's where it has them), the time dimension last.
    pub dimensions: Vec<String>,
    /// What the value counts: `PER` (persons), `APPL` (applications), `PC`, `DAYS`…
    pub unit: String,
    pub rows: Vec<Row>,
    /// Rounded and small cells suppressed: fit to leave the office.
    pub published: bool,
    /// Definitions, in plain English.
    pub notes: Vec<String>,
}

/// A key's total code per dimension: Eurostat's `TOTAL`, and `T` for sex.
const TOTAL: &str = "TOTAL";

/// The cells of an Eurostat hypercube over (citizen, sex, age, extra, time), with every total.
fn hypercube(cells: impl Iterator<Item = (String, Sex, AgeGroup, Vec<&'static str>, String, u64)>) -> Vec<Row> {
    let mut out: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for (nat, sex, age, extras, bucket, n) in cells {
        let citizen = codes::citizen(&nat);
        for c in [citizen, TOTAL] {
            for s in [codes::sex(sex), "T"] {
                for a in [age.code(), TOTAL] {
                    for x in &extras {
                        let key = vec![c.to_owned(), s.to_owned(), a.to_owned(), (*x).to_owned(), bucket.clone()];
                        *out.entry(key).or_default() += n;
                    }
                }
            }
        }
    }
    out.into_iter().map(|(key, n)| Row { key, value: Value::Count(n) }).collect()
}

fn table(id: TableId, period: &Period, snapshot: &Snapshot, dims: &[&str], unit: &str, rows: Vec<Row>) -> Table {
    Table {
        id,
        title: id.title().to_owned(),
        period: *period,
        snapshot: snapshot.clone(),
        dimensions: dims.iter().map(|d| (*d).to_owned()).collect(),
        unit: unit.to_owned(),
        rows,
        published: false,
        notes: Vec::new(),
    }
}

/// `migr_asyappctzm` / `migr_asyappctza`: `ASY_APP` counts each person once per period (their
/// first lodging in it), `NASY_APP` those among them who never applied before.
pub fn applicants(id: TableId, period: &Period, snapshot: &Snapshot, counts: &[ApplicantCount]) -> Table {
    let cells = counts.iter().flat_map(|c| {
        [(c.persons, "ASY_APP"), (c.first_time, "NASY_APP")]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(move |(n, code)| (c.nationality.clone(), c.sex, c.age, vec![code], c.bucket.clone(), n))
    });
    let mut t =
        table(id, period, snapshot, &["citizen", "sex", "age", "asyl_app", "TIME_PERIOD"], "PER", hypercube(cells));
    t.notes = vec![
        "Persons, not applications: the applicant and the accompanying minors (children under 18 named in the application); each person once per period.".into(),
        "First-time applicant (NASY_APP): an asylum application (not a re-examination) by a person with no earlier application recorded, ever.".into(),
        "Statelessness applications are not asylum applications and are not counted.".into(),
    ];
    t
}

/// `migr_asydcfsta`: persons covered by first-instance decisions, by outcome. Inadmissibility is
/// counted as rejected; closures and statelessness decisions are not asylum decisions.
pub fn decisions(period: &Period, snapshot: &Snapshot, counts: &[DecisionCount]) -> Table {
    let cells = counts.iter().filter_map(|c| {
        let code = c.class.eurostat()?;
        let mut extras = vec![code, TOTAL];
        if c.class.is_positive() {
            extras.push("TOTAL_POS");
        }
        Some((c.nationality.clone(), c.sex, c.age, extras, c.bucket.clone(), c.persons))
    });
    let mut t = table(
        TableId::Decisions,
        period,
        snapshot,
        &["citizen", "sex", "age", "decision", "TIME_PERIOD"],
        "PER",
        hypercube(cells),
    );
    t.notes = vec![
        "Persons covered by first-instance decisions signed in the period (applicant and accompanying minors).".into(),
        "GENCONV: refugee status on any basis (Geneva Convention, constitutional asylum, UNHCR mandate); REJECTED includes inadmissibility; closures and statelessness decisions are left out.".into(),
    ];
    t
}

/// `migr_asypenctzm`: persons whose first-instance examination is pending at the end of each month.
pub fn pending(period: &Period, snapshot: &Snapshot, counts: &[PendingCount]) -> Table {
    let cells = counts.iter().map(|c| (c.nationality.clone(), c.sex, c.age, vec![TOTAL], c.bucket.clone(), c.persons));
    let rows = hypercube(cells)
        .into_iter()
        .map(|mut r| {
            r.key.remove(3);
            r
        })
        .collect();
    let mut t = table(TableId::Pending, period, snapshot, &["citizen", "sex", "age", "TIME_PERIOD"], "PER", rows);
    t.notes = vec![
        "Persons whose application is under examination by the office at the end of the month (registered, not yet decided, not closed); appeals pending before the court are not included.".into(),
        "Age on the last day of the month.".into(),
    ];
    t
}

fn count_where(facts: &[FactCount], f: impl Fn(&FactCount) -> bool) -> u64 {
    facts.iter().filter(|c| f(c)).map(|c| c.count).sum()
}

fn row(key: &[&str], value: Value) -> Row {
    Row { key: key.iter().map(|k| (*k).to_owned()).collect(), value }
}

/// The annual report's applications: by kind (first, re-examination, reopening, statelessness),
/// accompanying minors, and the 20 nationalities with the most first applications.
pub fn report_applications(period: &Period, snapshot: &Snapshot, facts: &[FactCount]) -> Table {
    let lodged = |app: ApplicationKind, minors: bool| {
        count_where(facts, |c| c.kind == FactKind::Lodged && c.application == app && c.accompanying == minors)
    };
    let reopened = count_where(facts, |c| c.kind == FactKind::Reopened && !c.accompanying);
    let mut rows = vec![
        row(&["applications", "first"], Value::Count(lodged(ApplicationKind::Asylum, false))),
        row(&["applications", "re_examination"], Value::Count(lodged(ApplicationKind::ReExamination, false))),
        row(&["applications", "reopening"], Value::Count(reopened)),
        row(&["applications", "statelessness"], Value::Count(lodged(ApplicationKind::Statelessness, false))),
        row(
            &["applications", "accompanying_minors"],
            Value::Count(lodged(ApplicationKind::Asylum, true) + lodged(ApplicationKind::ReExamination, true)),
        ),
    ];
    let mut by_nat: BTreeMap<&str, u64> = BTreeMap::new();
    for c in facts.iter().filter(|c| c.kind == FactKind::Lodged && c.application == ApplicationKind::Asylum) {
        *by_nat.entry(&c.nationality).or_default() += c.count;
    }
    let mut ranked: Vec<(&str, u64)> = by_nat.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (nat, n) in ranked.into_iter().take(20) {
        rows.push(row(&["first_applications_by_nationality", nat], Value::Count(n)));
    }
    let mut t = table(TableId::ReportApplications, period, snapshot, &["measure", "item"], "PER", rows);
    t.notes = vec![
        "First applications, re-examinations and statelessness: applications (the applicant); reopenings: closed examinations reopened; accompanying minors: persons.".into(),
        "By nationality: first applications including accompanying minors (persons).".into(),
    ];
    t
}

/// The annual report's decisions by outcome, and the protection rate under its two definitions.
pub fn report_decisions(period: &Period, snapshot: &Snapshot, facts: &[FactCount]) -> Table {
    let decided = |class: DecisionClass, minors: Option<bool>| {
        count_where(facts, |c| {
            (c.kind == FactKind::Decided || c.kind == FactKind::Closed)
                && c.decision == Some(class)
                && minors.is_none_or(|m| c.accompanying == m)
        })
    };
    let mut rows = Vec::new();
    for class in DecisionClass::ALL {
        rows.push(row(&["decisions", class.as_str()], Value::Count(decided(class, Some(false)))));
    }
    let positive_appl: u64 =
        DecisionClass::ALL.iter().filter(|c| c.is_positive()).map(|c| decided(*c, Some(false))).sum();
    let merits_appl: u64 = DecisionClass::ALL.iter().filter(|c| c.on_merits()).map(|c| decided(*c, Some(false))).sum();
    let positive_pers: u64 = DecisionClass::ALL.iter().filter(|c| c.is_positive()).map(|c| decided(*c, None)).sum();
    let eurostat_pers: u64 =
        DecisionClass::ALL.iter().filter(|c| c.eurostat().is_some()).map(|c| decided(*c, None)).sum();
    rows.push(row(&["rate", "on_merits"], Value::Rate { numerator: positive_appl, denominator: merits_appl }));
    rows.push(row(
        &["rate", "eurostat_recognition"],
        Value::Rate { numerator: positive_pers, denominator: eurostat_pers },
    ));
    let mut t = table(TableId::ReportDecisions, period, snapshot, &["measure", "item"], "APPL", rows);
    t.notes = vec![
        "Decisions: first-instance decisions signed in the period, and closures, counted by application (minors not included).".into(),
        "Rate on the merits (the office's): protection granted / (protection granted + rejected on the merits), by application; inadmissibility, closures and statelessness are left out.".into(),
        "Eurostat recognition rate: persons granted refugee status, subsidiary or humanitarian protection / all persons covered by Eurostat's first-instance decisions (inadmissibility counted as rejected, closures left out), accompanying minors included.".into(),
    ];
    t
}

/// The `q`-quantile (nearest rank) of a distribution given as (days, count), sorted by days.
pub fn quantile(dist: &[(i64, u64)], q: f64) -> Option<i64> {
    let total: u64 = dist.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let rank = ((q * total as f64).ceil() as u64).clamp(1, total);
    let mut seen = 0;
    for (days, n) in dist {
        seen += n;
        if seen >= rank {
            return Some(*days);
        }
    }
    dist.last().map(|(d, _)| *d)
}

/// Median and 90th percentile of days, per key, with the count; `all` first.
pub fn days_rows(counts: &[DaysCount]) -> Vec<Row> {
    let mut by_key: BTreeMap<&str, BTreeMap<i64, u64>> = BTreeMap::new();
    let mut all: BTreeMap<i64, u64> = BTreeMap::new();
    for c in counts {
        *by_key.entry(&c.key).or_default().entry(c.days).or_default() += c.count;
        *all.entry(c.days).or_default() += c.count;
    }
    let mut rows = Vec::new();
    let mut push = |key: &str, dist: &BTreeMap<i64, u64>| {
        let d: Vec<(i64, u64)> = dist.iter().map(|(a, b)| (*a, *b)).collect();
        let n: u64 = d.iter().map(|(_, n)| n).sum();
        let days = |q| quantile(&d, q).map(Value::Days).unwrap_or(Value::Empty);
        rows.push(row(&[key, "count"], Value::Count(n)));
        rows.push(row(&[key, "median"], days(0.5)));
        rows.push(row(&[key, "p90"], days(0.9)));
    };
    push("all", &all);
    for (k, d) in &by_key {
        push(k, d);
    }
    rows
}

/// Processing time: days from the introduction to the signed decision, by procedure.
pub fn report_processing_time(period: &Period, snapshot: &Snapshot, counts: &[DaysCount]) -> Table {
    let mut t =
        table(TableId::ReportProcessingTime, period, snapshot, &["procedure", "measure"], "DAYS", days_rows(counts));
    t.notes = vec!["Calendar days from the introduction of the application to the signature of the first-instance decision, for decisions signed in the period (applications; nearest-rank median and 90th percentile).".into()];
    t
}

/// The age of a pending application at `on`, in the report's bands.
pub fn age_band(lodged_on: Date, on: Date) -> &'static str {
    match (on - lodged_on).whole_days() {
        d if d < 91 => "under_3_months",
        d if d < 183 => "3_to_6_months",
        d if d < 365 => "6_to_12_months",
        d if d < 730 => "1_to_2_years",
        _ => "over_2_years",
    }
}

/// The bands of [`age_band`], youngest first.
pub const AGE_BANDS: [&str; 5] = ["under_3_months", "3_to_6_months", "6_to_12_months", "1_to_2_years", "over_2_years"];

/// Pending applications at the end of the period, by procedure and age band (from
/// (procedure, lodged_on, count) rows).
pub fn report_pending(period: &Period, snapshot: &Snapshot, stock: &[(String, Date, u64)]) -> Table {
    let mut cells: BTreeMap<(String, &'static str), u64> = BTreeMap::new();
    for (procedure, lodged, n) in stock {
        let band = age_band(*lodged, period.to);
        for p in [procedure.as_str(), "all"] {
            for b in [band, "all"] {
                *cells.entry((p.to_owned(), b)).or_default() += n;
            }
        }
    }
    let rows = cells.into_iter().map(|((p, b), n)| row(&[&p, b], Value::Count(n))).collect();
    let mut t = table(TableId::ReportPending, period, snapshot, &["procedure", "age"], "APPL", rows);
    t.notes = vec![
        "Applications under examination by the office on the last day of the period, by time since their introduction."
            .into(),
    ];
    t
}

/// Interviews held, appeals lodged and the court's rulings by outcome.
pub fn report_activity(period: &Period, snapshot: &Snapshot, facts: &[FactCount]) -> Table {
    let applicants = |kind: FactKind| count_where(facts, |c| c.kind == kind && !c.accompanying);
    let mut rows = vec![
        row(&["interviews_held"], Value::Count(applicants(FactKind::Interviewed))),
        row(&["appeals_lodged"], Value::Count(applicants(FactKind::Appealed))),
    ];
    for outcome in CourtOutcome::ALL {
        let n = count_where(facts, |c| c.kind == FactKind::CourtRuled && !c.accompanying && c.court == Some(outcome));
        rows.push(Row { key: vec![format!("court_{}", outcome.as_str())], value: Value::Count(n) });
    }
    let mut t = table(TableId::ReportActivity, period, snapshot, &["measure"], "APPL", rows);
    t.notes = vec!["Interviews recorded as held in the period; appeals lodged before the asylum court and its rulings in the period, by application.".into()];
    t
}

/// The bridge: from what the office counts (applications, decisions) to what Eurostat counts
/// (persons once per period, asylum only), each step its own line.
pub fn bridge(
    period: &Period,
    snapshot: &Snapshot,
    facts: &[FactCount],
    applicants: &[ApplicantCount],
    decisions: &[DecisionCount],
) -> Table {
    let lodged = |f: &dyn Fn(&FactCount) -> bool| count_where(facts, |c| c.kind == FactKind::Lodged && f(c));
    let office_apps = lodged(&|c| !c.accompanying);
    let stateless = lodged(&|c| !c.accompanying && c.application == ApplicationKind::Statelessness);
    let minors = lodged(&|c| c.accompanying && c.application != ApplicationKind::Statelessness);
    let persons_lodging = office_apps - stateless + minors;
    let eurostat_applicants: u64 = applicants.iter().map(|a| a.persons).sum();
    let first_time: u64 = applicants.iter().map(|a| a.first_time).sum();
    let reopenings = count_where(facts, |c| c.kind == FactKind::Reopened && !c.accompanying);
    let decided = |f: &dyn Fn(&FactCount) -> bool| {
        count_where(facts, |c| (c.kind == FactKind::Decided || c.kind == FactKind::Closed) && f(c))
    };
    let office_decisions = decided(&|c| !c.accompanying);
    let closures = decided(&|c| !c.accompanying && c.decision == Some(DecisionClass::Closure));
    let stateless_dec = decided(&|c| !c.accompanying && c.decision == Some(DecisionClass::Stateless));
    let dec_minors = decided(&|c| c.accompanying && c.decision.is_some_and(|d| d.eurostat().is_some()));
    let eurostat_decisions: u64 = decisions.iter().filter(|d| d.class.eurostat().is_some()).map(|d| d.persons).sum();
    let lines: Vec<(&str, i64)> = vec![
        ("applications_registered_by_the_office", office_apps as i64),
        ("minus_statelessness_applications", -(stateless as i64)),
        ("plus_accompanying_minors", minors as i64),
        ("equals_persons_lodging_asylum_applications", persons_lodging as i64),
        ("minus_persons_lodging_twice_in_the_period", eurostat_applicants as i64 - persons_lodging as i64),
        ("equals_eurostat_asylum_applicants", eurostat_applicants as i64),
        ("minus_subsequent_applicants", -((eurostat_applicants - first_time) as i64)),
        ("equals_eurostat_first_time_applicants", first_time as i64),
        ("reopenings_counted_by_the_office_not_by_eurostat", reopenings as i64),
        ("dublin_transfers_not_seen_by_the_office", 0),
        ("decisions_and_closures_by_the_office", office_decisions as i64),
        ("minus_closures", -(closures as i64)),
        ("minus_statelessness_decisions", -(stateless_dec as i64)),
        ("plus_accompanying_minors_covered", dec_minors as i64),
        ("equals_eurostat_first_instance_decisions", eurostat_decisions as i64),
    ];
    let mut rows: Vec<Row> = lines
        .into_iter()
        .map(|(k, v)| {
            let value = if k.starts_with("minus_") { Value::Signed(v) } else { Value::Count(v.max(0) as u64) };
            Row { key: vec![k.to_owned()], value }
        })
        .collect();
    let report = report_decisions(period, snapshot, facts);
    rows.extend(
        report
            .rows
            .into_iter()
            .filter(|r| r.key[0] == "rate")
            .map(|r| Row { key: vec![format!("rate_{}", r.key[1])], value: r.value }),
    );
    let mut t = table(TableId::Bridge, period, snapshot, &["line"], "PER", rows);
    t.notes = vec![
        "Each line is what one definition adds or removes; lines starting with minus_ are signed differences (negative values).".into(),
        "Dublin: the office registers an application once the prefecture has found France responsible; transfers under the Dublin regulation are not in its journal (0 by construction).".into(),
        "Reopenings: the office counts a reopened examination in its activity; for Eurostat it is not a new application.".into(),
    ];
    t
}

/// Makes a table fit to leave the office: cells under the small-cell threshold are suppressed,
/// then as many other cells as needed so that no suppressed cell can be recovered from a total
/// (every line of every additive dimension holds no suppressed cell or at least two), then
/// counts are rounded. Tables whose values are not counts are returned with the flag only.
pub fn publish(mut t: Table, rule: &DisclosureRule) -> Table {
    let dims = t.dimensions.len();
    let mut suppressed: BTreeSet<usize> = BTreeSet::new();
    for (i, r) in t.rows.iter().enumerate() {
        if let Value::Count(n) = r.value {
            if n > 0 && n < rule.small_cell {
                suppressed.insert(i);
            }
        }
    }
    // The additive dimensions of Eurostat's cubes: citizen, sex and age (and the decision outcome).
    let additive: Vec<(usize, &str)> = t
        .dimensions
        .iter()
        .enumerate()
        .filter_map(|(i, d)| match d.as_str() {
            "citizen" | "age" | "decision" => Some((i, TOTAL)),
            "sex" => Some((i, "T")),
            _ => None,
        })
        .collect();
    if t.id.is_eurostat() && !suppressed.is_empty() {
        let index: BTreeMap<&Vec<String>, usize> = t.rows.iter().enumerate().map(|(i, r)| (&r.key, i)).collect();
        loop {
            let mut changed = false;
            for &(d, total) in &additive {
                // Lines along dimension d: every row with the same key elsewhere.
                let mut lines: BTreeMap<Vec<&str>, Vec<usize>> = BTreeMap::new();
                for (i, r) in t.rows.iter().enumerate() {
                    let rest: Vec<&str> = (0..dims).filter(|j| *j != d).map(|j| r.key[j].as_str()).collect();
                    lines.entry(rest).or_default().push(i);
                }
                for (_, members) in lines {
                    // For `decision`, TOTAL_POS is a subtotal: keep the line to TOTAL and its parts.
                    let members: Vec<usize> =
                        members.into_iter().filter(|i| t.rows[*i].key[d] != "TOTAL_POS").collect();
                    let hidden = members.iter().filter(|i| suppressed.contains(i)).count();
                    if hidden != 1 {
                        continue;
                    }
                    let pick = members
                        .iter()
                        .filter(|i| !suppressed.contains(i) && t.rows[**i].key[d] != total)
                        .filter(|i| t.rows[**i].value.count().is_some_and(|n| n > 0))
                        .min_by_key(|i| (t.rows[**i].value.count(), **i))
                        .or_else(|| members.iter().find(|i| t.rows[**i].key[d] == total && !suppressed.contains(i)));
                    if let Some(&i) = pick {
                        suppressed.insert(i);
                        changed = true;
                    }
                }
            }
            // TOTAL_POS = GENCONV + SUB_PROT + HUMSTAT: a second relation on `decision`.
            if let Some(d) = t.dimensions.iter().position(|x| x == "decision") {
                for (i, r) in t.rows.iter().enumerate() {
                    if r.key[d] != "TOTAL_POS" {
                        continue;
                    }
                    let part = |code: &str| {
                        let mut k = r.key.clone();
                        k[d] = code.to_owned();
                        index.get(&k).copied()
                    };
                    let mut members: Vec<usize> =
                        ["GENCONV", "SUB_PROT", "HUMSTAT"].iter().filter_map(|c| part(c)).collect();
                    members.push(i);
                    if members.iter().filter(|m| suppressed.contains(m)).count() == 1 {
                        if let Some(&m) =
                            members.iter().filter(|m| !suppressed.contains(m)).min_by_key(|m| t.rows[**m].value.count())
                        {
                            suppressed.insert(m);
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }
    for (i, r) in t.rows.iter_mut().enumerate() {
        if suppressed.contains(&i) {
            r.value = Value::Suppressed;
        } else if let Value::Count(n) = r.value {
            r.value = Value::Count(round_to(n, rule.round_to));
        }
    }
    t.published = true;
    t.notes.push(format!(
        "Published: cells of 1 to {} persons are suppressed (c), with the cells that would reveal them; counts are rounded to the nearest {}.",
        rule.small_cell.saturating_sub(1),
        rule.round_to
    ));
    t
}

/// Rounded to the nearest multiple of `base` (halves up).
pub fn round_to(n: u64, base: u64) -> u64 {
    if base <= 1 {
        return n;
    }
    (n + base / 2) / base * base
}

/// CSV: the dimensions, then `value` (and `flag`: `c` for a suppressed cell).
pub fn to_csv(t: &Table) -> String {
    let mut out = String::new();
    out.push_str(&t.dimensions.join(","));
    out.push_str(",value,flag\n");
    for r in &t.rows {
        for k in &r.key {
            out.push_str(&csv_field(k));
            out.push(',');
        }
        out.push_str(&r.value.csv());
        out.push(',');
        if r.value == Value::Suppressed {
            out.push('c');
        }
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// SDMX-CSV (version 1) of an Eurostat dataset: `DATAFLOW`, Eurostat's dimension codes, `geo`
/// = FR, `OBS_VALUE`, `OBS_FLAG` (`c`: confidential).
pub fn to_sdmx(t: &Table) -> Result<String, DomainError> {
    if !t.id.is_eurostat() {
        return Err(DomainError::validation("format", format!("{} is not an Eurostat dataset: ask csv or json", t.id)));
    }
    let mut out = String::new();
    let dims: Vec<&str> = t.dimensions.iter().map(String::as_str).filter(|d| *d != "TIME_PERIOD").collect();
    out.push_str("DATAFLOW,freq,unit,");
    out.push_str(&dims.join(","));
    out.push_str(",geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n");
    let flow = format!("ESTAT:{}(1.0)", t.id.as_str().to_uppercase());
    let freq = t.period.granularity.freq();
    for r in &t.rows {
        let (time, rest) = r.key.split_last().ok_or_else(|| DomainError::validation("table", "a row without a key"))?;
        out.push_str(&format!("{flow},{freq},{},", t.unit));
        out.push_str(&rest.join(","));
        out.push_str(&format!(
            ",FR,{time},{},{}\n",
            r.value.csv(),
            if r.value == Value::Suppressed { "c" } else { "" }
        ));
    }
    Ok(out)
}
