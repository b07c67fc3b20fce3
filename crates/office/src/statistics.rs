//! The statistics workspace: tables by definition, the charts' figures, harmonisation views and
//! the committee's reference notes. Every read is authorized and journaled through the gate;
//! per-unit figures are asked unit by unit and the units shown are journaled.

use std::collections::BTreeMap;

use nansen_authz::{Action as Act, Resource, UnitAttrs};
use nansen_domain::ids::Nationality;
use nansen_domain::statistics::funnel::{self, Position, UnitRate};
use nansen_domain::statistics::{
    publish, tables, DecisionClass, DisclosureRules, FactKind, Granularity, Period, Snapshot, Table, TableId,
};
use nansen_store::statistics::UnitDecisions;
use nansen_store::{Action, Entry, Op};
use serde::{Deserialize, Serialize};

use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The journal subject of statistics reads.
pub const STATISTICS: &str = "statistics";

/// Parses a table's name and period for today: a clear error for an unknown table, a period
/// that ends before it starts or lies in the future.
pub fn parse_request(office: &Office, table: &str, period: &str) -> Result<(TableId, Period), OfficeError> {
    let id = TableId::parse(table)?;
    let period = Period::parse(period, office.today())?;
    if id == TableId::ApplicantsYearly && period.granularity == Granularity::Month {
        return Err(OfficeError::field("period", "migr_asyappctza is yearly: give a year (2025) or years (2016/2025)"));
    }
    Ok((id, period))
}

/// A table, for an agent who may read statistics. `published`: fit to leave the office (small
/// cells suppressed, rounded).
pub async fn table(
    office: &Office,
    agent: &Agent,
    table: &str,
    period: &str,
    published: bool,
) -> Result<Table, OfficeError> {
    office.ask(agent, &[Act::ReadStatistics], &Resource::Office, STATISTICS).await?;
    let (id, period) = parse_request(office, table, period)?;
    compute(office, id, &period, published).await
}

/// A table computed from the journal's current head. Also what `nansen stats` runs (the
/// administrator's command line reads the database directly).
pub async fn compute(office: &Office, id: TableId, period: &Period, published: bool) -> Result<Table, OfficeError> {
    let store = office.store();
    let head = store.stat_snapshot().await?;
    let today = office.today();
    let t = match id {
        TableId::ApplicantsMonthly => {
            let period = period.in_months(today);
            tables::applicants(id, &period, &head, &store.applicant_counts(&period, &head).await?)
        }
        TableId::ApplicantsYearly => {
            tables::applicants(id, period, &head, &store.applicant_counts(period, &head).await?)
        }
        TableId::Decisions => tables::decisions(period, &head, &store.decision_counts(period, &head).await?),
        TableId::Pending => {
            let period = period.in_months(today);
            tables::pending(&period, &head, &store.pending_counts(&period, &head).await?)
        }
        TableId::ReportApplications => {
            tables::report_applications(period, &head, &store.fact_counts(period, &head).await?)
        }
        TableId::ReportDecisions => tables::report_decisions(period, &head, &store.fact_counts(period, &head).await?),
        TableId::ReportProcessingTime => tables::report_processing_time(
            period,
            &head,
            &store.days_counts(FactKind::Decided, false, period, &head).await?,
        ),
        TableId::ReportPending => {
            let on = period.to.min(today);
            tables::report_pending(period, &head, &store.pending_stock(on, &head).await?)
        }
        TableId::ReportActivity => tables::report_activity(period, &head, &store.fact_counts(period, &head).await?),
        TableId::Bridge => tables::bridge(
            period,
            &head,
            &store.fact_counts(period, &head).await?,
            &store.applicant_counts(period, &head).await?,
            &store.decision_counts(period, &head).await?,
        ),
    };
    if published {
        let rules = DisclosureRules::embedded()?;
        return Ok(publish(t, rules.on(today)?));
    }
    Ok(t)
}

/// A nationality's protection rate on the merits, with its Wilson interval.
#[derive(Debug, Clone, Serialize)]
pub struct NationalityRate {
    pub nationality: String,
    pub name_en: String,
    pub name_fr: String,
    pub positive: u64,
    pub decisions: u64,
    pub interval: Option<(f64, f64)>,
}

/// The figures of the statistics home page, month by month over the period.
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub snapshot: Snapshot,
    pub period: Period,
    pub months: Vec<String>,
    /// Applications lodged (applicants, all kinds).
    pub applications: Vec<u64>,
    /// Decisions granting protection, rejecting (merits and inadmissibility), and closures.
    pub positive: Vec<u64>,
    pub negative: Vec<u64>,
    pub closures: Vec<u64>,
    /// Persons pending at the end of each month.
    pub pending: Vec<u64>,
    /// Protection rate on the merits by nationality, the 15 with most decisions.
    pub rates: Vec<NationalityRate>,
    /// Pending applications at the end of the period by age band.
    pub pending_age: Vec<(String, u64)>,
    /// Days from introduction to interview by language: (language, interviews, median, p90).
    pub interview_delay: Vec<(String, u64, Option<i64>, Option<i64>)>,
}

/// The statistics home page.
pub async fn dashboard(office: &Office, agent: &Agent, period: &str) -> Result<Dashboard, OfficeError> {
    office.ask(agent, &[Act::ReadStatistics], &Resource::Office, STATISTICS).await?;
    let today = office.today();
    let period = Period::parse(period, today)?.in_months(today);
    let store = office.store();
    let head = store.stat_snapshot().await?;
    let months = period.buckets();
    let facts = store.fact_counts(&period, &head).await?;
    let at = |bucket: &str| months.iter().position(|m| m == bucket);
    let (mut applications, mut positive, mut negative, mut closures) =
        (vec![0; months.len()], vec![0; months.len()], vec![0; months.len()], vec![0; months.len()]);
    let mut by_nat: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for f in facts.iter().filter(|f| !f.accompanying) {
        let Some(i) = at(&f.bucket) else { continue };
        match (f.kind, f.decision) {
            (FactKind::Lodged, _) => applications[i] += f.count,
            (FactKind::Decided, Some(d)) if d.is_positive() => positive[i] += f.count,
            (FactKind::Decided, Some(DecisionClass::Rejected | DecisionClass::Inadmissible)) => negative[i] += f.count,
            (FactKind::Closed, _) => closures[i] += f.count,
            _ => {}
        }
        if let (FactKind::Decided, Some(d)) = (f.kind, f.decision) {
            if d.on_merits() {
                let e = by_nat.entry(f.nationality.clone()).or_default();
                e.1 += f.count;
                if d.is_positive() {
                    e.0 += f.count;
                }
            }
        }
    }
    let mut pending = vec![0; months.len()];
    for p in store.pending_counts(&period, &head).await? {
        if let Some(i) = at(&p.bucket) {
            pending[i] += p.persons;
        }
    }
    let mut rates: Vec<NationalityRate> = by_nat
        .into_iter()
        .map(|(nat, (pos, n))| {
            let info = Nationality::parse(&nat).ok().and_then(|c| office.rules().nationality(c));
            NationalityRate {
                name_en: info.map(|i| i.name_en.clone()).unwrap_or_else(|| nat.clone()),
                name_fr: info.map(|i| i.name_fr.clone()).unwrap_or_else(|| nat.clone()),
                nationality: nat,
                positive: pos,
                decisions: n,
                interval: funnel::wilson(pos, n, funnel::Z95),
            }
        })
        .collect();
    rates.sort_by(|a, b| b.decisions.cmp(&a.decisions).then(a.nationality.cmp(&b.nationality)));
    rates.truncate(15);
    let stock = store.pending_stock(period.to.min(today), &head).await?;
    let pending_age = tables::AGE_BANDS
        .iter()
        .map(|band| {
            let n = stock
                .iter()
                .filter(|(_, lodged, _)| tables::age_band(*lodged, period.to.min(today)) == *band)
                .map(|s| s.2)
                .sum();
            ((*band).to_owned(), n)
        })
        .collect();
    let delays = store.days_counts(FactKind::Interviewed, true, &period, &head).await?;
    let mut by_lang: BTreeMap<&str, Vec<(i64, u64)>> = BTreeMap::new();
    for d in &delays {
        by_lang.entry(&d.key).or_default().push((d.days, d.count));
    }
    let mut interview_delay: Vec<(String, u64, Option<i64>, Option<i64>)> = by_lang
        .into_iter()
        .map(|(lang, mut dist)| {
            dist.sort();
            let n = dist.iter().map(|d| d.1).sum();
            (lang.to_owned(), n, tables::quantile(&dist, 0.5), tables::quantile(&dist, 0.9))
        })
        .collect();
    interview_delay.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    interview_delay.truncate(15);
    Ok(Dashboard {
        snapshot: head,
        period,
        months,
        applications,
        positive,
        negative,
        closures,
        pending,
        rates,
        pending_age,
        interview_delay,
    })
}

/// One point of the funnel's control limits.
#[derive(Debug, Clone, Serialize)]
pub struct LimitPoint {
    pub n: u64,
    pub low95: f64,
    pub high95: f64,
    pub low998: f64,
    pub high998: f64,
}

/// Protection rates on the merits for one nationality, per unit the agent may see.
#[derive(Debug, Clone, Serialize)]
pub struct Harmonisation {
    pub snapshot: Snapshot,
    pub period: Period,
    pub nationality: String,
    /// The office as a whole: the funnel's centre.
    pub overall: UnitRate,
    /// Divisions, sections and officers the agent may see, by level then name.
    pub units: Vec<UnitRate>,
    /// How many units exist that the agent may not see.
    pub hidden: usize,
    pub limits: Vec<LimitPoint>,
}

fn level_unit(level: &str, d: &UnitDecisions) -> Option<UnitAttrs> {
    let division = d.division.clone()?;
    Some(match level {
        "division" => UnitAttrs { level: level.into(), division: Some(division), section: None, officer: None },
        "section" => {
            UnitAttrs { level: level.into(), division: Some(division), section: Some(d.section?), officer: None }
        }
        _ => UnitAttrs {
            level: level.into(),
            division: Some(division),
            section: Some(d.section?),
            officer: Some(d.officer.clone()?),
        },
    })
}

/// The harmonisation view of a nationality over a period. Every unit's figures are asked to the
/// policies; the units shown are journaled (per-officer figures are never shown unrecorded).
pub async fn harmonisation(
    office: &Office,
    agent: &Agent,
    nationality: &str,
    period: &str,
) -> Result<Harmonisation, OfficeError> {
    let nat = Nationality::parse(nationality).map_err(|e| OfficeError::field("nationality", e.to_string()))?;
    let period = Period::parse(period, office.today())?;
    let store = office.store();
    let head = store.stat_snapshot().await?;
    let rows = store.unit_decisions(&period, Some(nat.as_str()), &head).await?;
    let mut sums: BTreeMap<(String, String), (u64, u64, UnitAttrs)> = BTreeMap::new();
    let (mut pos_all, mut n_all) = (0, 0);
    for r in rows.iter().filter(|r| r.class.on_merits()) {
        let positive = if r.class.is_positive() { r.count } else { 0 };
        pos_all += positive;
        n_all += r.count;
        for level in ["division", "section", "officer"] {
            if let Some(unit) = level_unit(level, r) {
                let e = sums.entry((level.to_owned(), unit.name())).or_insert((0, 0, unit));
                e.0 += positive;
                e.1 += r.count;
            }
        }
    }
    let office_unit = UnitAttrs { level: "office".into(), division: None, section: None, officer: None };
    let mut asked: Vec<UnitAttrs> = vec![office_unit];
    asked.extend(sums.values().map(|(_, _, u)| u.clone()));
    let answers =
        office.ask_units(agent, Act::ReadHarmonisation, &asked, &format!("{STATISTICS}:harmonisation:{nat}")).await?;
    if !answers.first().copied().unwrap_or(false) {
        return Err(crate::gate::forbidden(Act::ReadHarmonisation, &Resource::Unit(asked[0].clone())));
    }
    let p0 = if n_all > 0 { pos_all as f64 / n_all as f64 } else { 0.0 };
    let overall = funnel::unit_rate("office", "office", pos_all, n_all, p0);
    let mut units = Vec::new();
    let mut hidden = 0;
    for (((level, name), (pos, n, _)), allowed) in sums.iter().zip(answers.iter().skip(1)) {
        if *allowed {
            units.push(funnel::unit_rate(level, name, *pos, *n, p0));
        } else {
            hidden += 1;
        }
    }
    let order = |l: &str| ["division", "section", "officer"].iter().position(|x| *x == l).unwrap_or(9);
    units.sort_by(|a, b| order(&a.level).cmp(&order(&b.level)).then(a.unit.cmp(&b.unit)));
    let max_n = units.iter().map(|u| u.decisions).max().unwrap_or(0).max(10);
    let limits = (1..=40)
        .map(|i| {
            let n = (max_n * i / 40).max(1);
            let (low95, high95, low998, high998) = funnel::limits(p0, n);
            LimitPoint { n, low95, high95, low998, high998 }
        })
        .collect();
    Ok(Harmonisation { snapshot: head, period, nationality: nat.as_str().to_owned(), overall, units, hidden, limits })
}

/// Whether a unit lies outside the funnel (for the pages' words).
pub fn is_outlier(u: &UnitRate) -> bool {
    u.position != Position::Inside
}

/// The journal subject of a nationality's reference notes.
fn note_subject(nat: &Nationality) -> String {
    format!("reference-note:{nat}")
}

/// What the committee writes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NewNote {
    pub title: String,
    /// Doctrine, key country information and reference decisions, in plain text.
    pub body: String,
    /// Sources and reference decisions, one per line.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A version of a nationality's reference note.
#[derive(Debug, Clone, Serialize)]
pub struct ReferenceNote {
    pub nationality: String,
    /// 1 for the first version.
    pub version: usize,
    pub title: String,
    pub body: String,
    pub sources: Vec<String>,
    pub published_by: String,
    pub published_at: String,
    /// The journal entry that holds it.
    pub seq: u64,
}

fn note_of(nat: &Nationality, version: usize, e: &Entry) -> Option<ReferenceNote> {
    let n: NewNote = serde_json::from_str(&e.payload).ok()?;
    Some(ReferenceNote {
        nationality: nat.as_str().to_owned(),
        version,
        title: n.title,
        body: n.body,
        sources: n.sources,
        published_by: e.actor.clone(),
        published_at: e.recorded_at.clone(),
        seq: e.seq,
    })
}

/// Every version of a nationality's reference note, newest first.
pub async fn reference_notes(
    office: &Office,
    agent: &Agent,
    nationality: &str,
) -> Result<Vec<ReferenceNote>, OfficeError> {
    let nat = Nationality::parse(nationality).map_err(|e| OfficeError::field("nationality", e.to_string()))?;
    office.ask(agent, &[Act::ReadReferenceNotes], &Resource::Office, &note_subject(&nat)).await?;
    let entries = office.store().entries_of(&note_subject(&nat)).await?;
    let mut notes: Vec<ReferenceNote> = entries
        .iter()
        .filter(|e| e.kind == "reference_note.published")
        .enumerate()
        .filter_map(|(i, e)| note_of(&nat, i + 1, e))
        .collect();
    notes.reverse();
    Ok(notes)
}

/// Whether the agent may read reference notes (for the link from a case's draft page).
pub fn may_read_notes(office: &Office, agent: &Agent) -> bool {
    office.may(agent, Act::ReadReferenceNotes, &Resource::Office)
}

/// Whether the agent may publish reference notes (for the page's form).
pub fn may_manage_notes(office: &Office, agent: &Agent) -> bool {
    office.may(agent, Act::ManageReferenceNotes, &Resource::Office)
}

/// Publishes a new version of a nationality's reference note (the harmonisation committee).
/// Earlier versions stay, dated, in the journal.
pub async fn publish_note(office: &Office, agent: &Agent, nationality: &str, note: NewNote) -> Result<(), OfficeError> {
    let nat = Nationality::parse(nationality).map_err(|e| OfficeError::field("nationality", e.to_string()))?;
    let subject = note_subject(&nat);
    office
        .act(agent, Act::ManageReferenceNotes, &Resource::Office, &subject, async || {
            if office.rules().nationality(nat).is_none() {
                return Err(OfficeError::field("nationality", format!("{nat} is not a nationality the office lists")));
            }
            let title = note.title.trim();
            if title.is_empty() || title.chars().count() > 200 {
                return Err(OfficeError::field("title", "give a title of 1 to 200 characters"));
            }
            let body = note.body.trim();
            if body.chars().count() < 20 || body.chars().count() > 50_000 {
                return Err(OfficeError::field("body", "the note must be 20 to 50,000 characters"));
            }
            let sources: Vec<String> =
                note.sources.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect();
            let payload = serde_json::to_value(NewNote { title: title.to_owned(), body: body.to_owned(), sources })
                .map_err(crate::error::internal)?;
            Ok(vec![Op {
                actor: agent.login.clone(),
                now: office.now(),
                action: Action::Record { subject: subject.clone(), kind: "reference_note.published".into(), payload },
            }])
        })
        .await?;
    Ok(())
}
