//! Workload balancing for a division (répartition): proposals of which officer takes each case
//! waiting for assignment, weighted by case complexity, each officer's open cases and presence
//! (the domain's `planning::propose`); and the division's demand for interviews against
//! interpreting capacity per language. The page is read under `plan_interviews`; accepting a
//! proposal is an assignment like any other, authorized (`assign_case`) and journaled per case.
//!
//! The proposals are computed office-wide, so that a pooled nationality's cases go to the
//! division with the lightest load; a section head sees those proposed to their division's
//! officers, and counts of the rest.

use std::collections::{BTreeMap, HashMap};

use nansen_authz::{Action as Act, Role};
use nansen_domain::ids::{DivisionId, Nationality, SectionId};
use nansen_domain::planning::{self as domain, HalfDay, LanguageCode, LanguageDemand, PlanningRules, Spoken};
use nansen_domain::{CaseNumber, Login};
use serde::Serialize;
use time::{Date, Duration};

use super::language_label;
use crate::actor::Agent;
use crate::cases::CaseOp;
use crate::{Office, OfficeError};

/// Cases waiting for an officer read at most, office-wide.
const AWAITING_LIMIT: u32 = 20_000;

/// Proposals accepted in one go at most.
pub const ACCEPT_LIMIT: usize = 500;

/// A proposal, as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalLine {
    pub case: CaseNumber,
    pub nationality: String,
    pub procedure: String,
    pub language: String,
    pub persons: u32,
    pub weight: f64,
    pub officer: String,
    /// The officer's load relative to presence before this case: the lowest of the division.
    pub relative_before: f64,
    /// A pooled nationality's case, proposed here from another division's queue or kept here.
    pub pooled: bool,
}

/// An officer's portfolio before and after the proposals.
#[derive(Debug, Clone, Serialize)]
pub struct OfficerLine {
    pub login: String,
    pub name: String,
    pub section: u8,
    pub open: u32,
    pub load: f64,
    /// Present on this share of the coming half-days, in percent.
    pub presence_percent: u32,
    pub relative: f64,
    pub proposed: u32,
    pub relative_after: f64,
}

/// A language's demand against capacity.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageLine {
    pub label: String,
    pub demand: LanguageDemand,
}

/// The division's balance page.
#[derive(Debug, Clone, Serialize)]
pub struct BalanceView {
    pub division: String,
    pub proposals: Vec<ProposalLine>,
    pub officers: Vec<OfficerLine>,
    /// Pooled cases of this division's queue proposed to another division, by division.
    pub sent_elsewhere: BTreeMap<String, u32>,
    /// Cases of the division that no officer present could take.
    pub unplaced: Vec<CaseNumber>,
    pub languages: Vec<LanguageLine>,
    /// The Mondays of the weeks the capacity is counted over.
    pub weeks: Vec<Date>,
    pub horizon_half_days: u32,
    pub rule_source: String,
    pub may_assign: bool,
}

fn round1(x: f64) -> f64 {
    if x.is_finite() {
        (x * 10.0).round() / 10.0
    } else {
        x
    }
}

/// The working half-days after `today`, `n` of them.
fn horizon(today: Date, n: u32) -> Vec<HalfDay> {
    let mut out = Vec::with_capacity(n as usize);
    let mut monday = super::week::monday_of(today);
    while out.len() < n as usize {
        out.extend(HalfDay::week(monday).into_iter().filter(|h| h.date > today));
        monday += Duration::weeks(1);
    }
    out.truncate(n as usize);
    out
}

fn division_of(agent: &Agent) -> Result<DivisionId, OfficeError> {
    agent
        .principal
        .division
        .as_deref()
        .and_then(|d| DivisionId::parse(d).ok())
        .ok_or_else(|| OfficeError::field("division", "your account belongs to no division"))
}

/// The balance of the agent's division: proposals for the cases waiting for an officer, the
/// officers' loads, and demand against interpreting capacity per language.
pub async fn balance(office: &Office, agent: &Agent) -> Result<BalanceView, OfficeError> {
    let mine = division_of(agent);
    let mut views = office
        .ask_listing(agent, Act::PlanInterviews, async || {
            let view = compute(office, mine?).await?;
            let shown = serde_json::json!(view.proposals.iter().map(|p| p.case.to_string()).collect::<Vec<_>>());
            Ok((vec![view], shown))
        })
        .await?;
    let mut view = views.pop().ok_or_else(|| OfficeError::Internal("the balance is empty".into()))?;
    // A section head assigns; a planner reads the proposals.
    view.may_assign = agent.principal.role == Role::SectionHead;
    Ok(view)
}

async fn compute(office: &Office, mine: DivisionId) -> Result<BalanceView, OfficeError> {
    let today = office.today();
    let rules = office.rules();
    let rule = PlanningRules::embedded().balance(today).map_err(OfficeError::Domain)?;
    let store = office.store();
    let awaiting = store.cases_awaiting_assignment(AWAITING_LIMIT).await?;
    let open = store.officers_open_cases().await?;
    let accounts = store.accounts(Some("protection_officer"), None).await?;
    let calendars: HashMap<String, domain::OfficerCalendar> = store.calendars().await?.into_iter().collect();
    let interpreters = store.interpreters().await?;

    let ahead = horizon(today, rule.horizon_half_days);
    let mut loads: HashMap<&str, (u32, f64)> = HashMap::new();
    for o in &open {
        let per_case = rule.weight(&o.procedure, &o.kind, 1) * rule.remaining(&o.status);
        let persons = f64::from(o.persons.saturating_sub(o.cases)) * rule.per_other_person * rule.remaining(&o.status);
        let entry = loads.entry(o.officer.as_str()).or_default();
        entry.0 += o.cases;
        entry.1 += per_case * f64::from(o.cases) + persons;
    }
    let mut names = HashMap::new();
    let officers: Vec<domain::OfficerLoad> = accounts
        .iter()
        .filter(|a| !a.disabled)
        .filter_map(|a| {
            let division = DivisionId::parse(a.division.as_deref()?).ok()?;
            let section = SectionId::new(a.section?).ok()?;
            let officer = Login::parse(&a.login).ok()?;
            let absent =
                calendars.get(&a.login).map_or(0, |c| ahead.iter().filter(|h| c.absences.contains_key(h)).count());
            let presence = 1.0 - absent as f64 / ahead.len().max(1) as f64;
            let (open, load) = loads.get(a.login.as_str()).copied().unwrap_or_default();
            names.insert(a.login.clone(), a.display_name.clone());
            Some(domain::OfficerLoad { officer, division, section, open, load, presence })
        })
        .collect();

    let mut facts = HashMap::new();
    let cases: Vec<domain::ToAssign> = awaiting
        .iter()
        .filter_map(|c| {
            let case = CaseNumber::parse(&c.number).ok()?;
            let competent = c.division.as_deref().and_then(|d| DivisionId::parse(d).ok());
            let pooled = Nationality::parse(&c.nationality).is_ok_and(|n| rules.is_pooled(n, today));
            let weight = rule.weight(&c.procedure, &c.kind, c.persons);
            facts.insert(case, (c, competent));
            Some(domain::ToAssign { case, weight, division: if pooled { None } else { competent } })
        })
        .collect();
    let balance = domain::propose(&cases, &officers);

    let ours = |login: &Login| officers.iter().any(|o| &o.officer == login && o.division == mine);
    let mut sent_elsewhere = BTreeMap::new();
    let mut proposals = Vec::new();
    for p in &balance.proposals {
        let Some((c, competent)) = facts.get(&p.case) else { continue };
        if ours(&p.officer) {
            proposals.push(ProposalLine {
                case: p.case,
                nationality: c.nationality.clone(),
                procedure: c.procedure.split(':').next().unwrap_or_default().to_owned(),
                language: c.language.clone(),
                persons: c.persons,
                weight: round1(p.weight),
                officer: p.officer.to_string(),
                relative_before: round1(p.relative_before),
                pooled: p.pooled,
            });
        } else if *competent == Some(mine) {
            if let Some(o) = officers.iter().find(|o| o.officer == p.officer) {
                *sent_elsewhere.entry(o.division.as_str().to_owned()).or_insert(0) += 1;
            }
        }
    }
    let unplaced = balance
        .unplaced
        .iter()
        .filter(|n| facts.get(*n).is_some_and(|(_, competent)| *competent == Some(mine)))
        .copied()
        .collect();
    let mut officer_lines: Vec<OfficerLine> = officers
        .iter()
        .zip(&balance.officers)
        .filter(|(before, _)| before.division == mine)
        .map(|(before, after)| OfficerLine {
            login: before.officer.to_string(),
            name: names.get(before.officer.as_str()).cloned().unwrap_or_default(),
            section: before.section.get(),
            open: before.open,
            load: round1(before.load),
            presence_percent: (before.presence * 100.0).round() as u32,
            relative: round1(before.relative()),
            proposed: after.open - before.open,
            relative_after: round1(after.relative()),
        })
        .collect();
    officer_lines.sort_by(|a, b| a.section.cmp(&b.section).then_with(|| a.login.cmp(&b.login)));

    let waiting = store.waiting_by_language(mine.as_str()).await?;
    let mut by_language: BTreeMap<LanguageCode, u32> = BTreeMap::new();
    for (code, n) in waiting {
        if code == "fr" || code == "fra" {
            continue;
        }
        if let Ok(spoken) = Spoken::parse(&code) {
            *by_language.entry(spoken.code).or_insert(0) += n;
        }
    }
    let languages = domain::demand(&by_language, &interpreters, today)
        .into_iter()
        .map(|demand| LanguageLine {
            label: language_label(&Spoken { code: demand.language.clone(), dialect: None }),
            demand,
        })
        .collect();
    Ok(BalanceView {
        division: mine.as_str().to_owned(),
        proposals,
        officers: officer_lines,
        sent_elsewhere,
        unplaced,
        languages,
        weeks: domain::demand::weeks_ahead(today),
        horizon_half_days: rule.horizon_half_days,
        rule_source: rule.source.clone(),
        may_assign: false,
    })
}

/// A proposal accepted as it is or with another officer.
#[derive(Debug, Clone)]
pub struct Choice {
    pub case: String,
    pub officer: String,
}

/// What accepting did: each case assigned, or refused with the reason (the others are kept).
#[derive(Debug, Clone, Serialize)]
pub struct Accepted {
    pub assigned: Vec<(CaseNumber, String)>,
    pub refused: Vec<(String, String)>,
}

/// Assigns each chosen case to its officer, each one authorized and journaled as an assignment
/// from the case page would be.
pub async fn accept(office: &Office, agent: &Agent, choices: Vec<Choice>) -> Result<Accepted, OfficeError> {
    if choices.is_empty() {
        return Err(OfficeError::field("accept", "tick at least one proposal to accept"));
    }
    if choices.len() > ACCEPT_LIMIT {
        return Err(OfficeError::field("accept", format!("accept at most {ACCEPT_LIMIT} proposals at once")));
    }
    let mut assigned = Vec::new();
    let mut refused = Vec::new();
    for choice in choices {
        let officer = choice.officer.trim().to_owned();
        match crate::cases::perform(office, agent, choice.case.trim(), CaseOp::Assign { officer: officer.clone() })
            .await
        {
            Ok(case) => assigned.push((case.number, officer)),
            Err(e @ (OfficeError::Store(_) | OfficeError::Internal(_))) => return Err(e),
            Err(e) => refused.push((choice.case, e.to_string())),
        }
    }
    Ok(Accepted { assigned, refused })
}
