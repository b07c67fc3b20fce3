//! The weekly regional orientation (L.551-3), run by a regional director for the households
//! registered in their region while it holds more than its share of the demand: the domain says
//! who is a candidate, where each may go and what it is worth; the planning adapter (HiGHS)
//! finds the best plan, with capacity held back for the arrivals still expected this month
//! (potentials); every proposal and the places it holds are committed together. Then the
//! proposal's life: contest and decision, refusal, no-show, and the procedure that may end the
//! reception conditions (D.551-17).

use std::collections::BTreeMap;

use nansen_authz::{Action as Act, Resource};
use nansen_domain::reception::orientation::{figures, reasons, regions_above_share, Above};
use nansen_domain::reception::{
    iso_week, kind_slot, orientation_problem, Household, HouseholdCommand, HouseholdId, Orientation, Outcome,
    PlaceKind, PlanNote, Proposal, ReceptionCommand, ReceptionRules, RegionFigures, Structure, StructureCode,
    StructureCommand,
};
use serde::Serialize;
use time::{Date, Duration};

use super::{agent_unit, letters, load_household};
use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The solver's limits for one weekly plan (the benchmark's target: 15 s, 0.5 %).
pub const LIMITS: nansen_plan::Limits = nansen_plan::Limits { time_limit_s: 15.0, relative_gap: 0.005 };

/// What could not be placed, and why, in words the director acts on.
#[derive(Debug, Clone, Serialize)]
pub struct Shortage {
    pub kind: PlaceKind,
    pub persons: u32,
    pub households: usize,
    /// `no-place-fits`: no structure outside the region has room of that kind for the whole
    /// household (with a hospital, a school, as needed); `outranked`: the places that fit went
    /// to households placed first or are held for the arrivals still expected this month.
    pub why: &'static str,
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub week: String,
    pub region: String,
    pub candidates: usize,
    pub proposals: usize,
    /// `optimal`, `within-gap` or `time-limit`.
    pub status: String,
    pub gap_percent: f64,
    pub seconds: f64,
    pub objective: f64,
    /// The greedy baseline on the same problem, for comparison.
    pub greedy_objective: f64,
    pub greedy_placed: u32,
    pub shortages: Vec<Shortage>,
    pub above: Vec<AboveLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AboveLine {
    pub region: String,
    pub demand_permille: u32,
    pub share_permille: u32,
}

impl From<&Above> for AboveLine {
    fn from(a: &Above) -> AboveLine {
        AboveLine { region: a.region.clone(), demand_permille: a.demand_permille, share_permille: a.share_permille }
    }
}

/// A proposal as the director's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalLine {
    pub household: String,
    pub head: String,
    pub persons: u32,
    pub structure: String,
    pub structure_name: String,
    pub region: String,
    #[serde(with = "nansen_domain::serde_dates::date")]
    pub on: Date,
    #[serde(with = "nansen_domain::serde_dates::date")]
    pub contest_by: Date,
    #[serde(with = "nansen_domain::serde_dates::date")]
    pub reach_by: Date,
    /// `pending`, `contested`, or the outcome.
    pub state: String,
}

/// The director's page: the region's standing, its proposals, and the ex-post figures.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub region: String,
    pub week: String,
    #[serde(with = "nansen_domain::serde_dates::date")]
    pub today: Date,
    pub above: Vec<AboveLine>,
    /// Households of the region awaiting a place.
    pub waiting: usize,
    pub proposals: Vec<ProposalLine>,
    /// Per destination region, from the proposals made by this region.
    pub figures: Vec<(String, RegionFigures)>,
    /// The default deadline to contest, for the form.
    #[serde(with = "nansen_domain::serde_dates::date")]
    pub contest_by: Date,
}

/// Persons placed by the orientation in each region since the scheme's start (arrived or
/// awaited), for regional balance over the weeks.
fn taken(households: &[Household]) -> BTreeMap<String, u32> {
    let mut out = BTreeMap::new();
    for h in households {
        for p in &h.proposals {
            if matches!(p.outcome, None | Some(Outcome::Arrived { .. })) {
                *out.entry(p.region.clone()).or_default() += p.persons;
            }
        }
    }
    out
}

fn region_of(agent: &Agent) -> Result<String, OfficeError> {
    agent_unit(agent)
        .map(str::to_owned)
        .ok_or_else(|| OfficeError::Forbidden { action: "orient_households", resource: "region".into() })
}

pub async fn overview(office: &Office, agent: &Agent) -> Result<Overview, OfficeError> {
    office.ask(agent, &[Act::OrientHouseholds], &Resource::Office, "orientation").await?;
    let region = region_of(agent)?;
    let today = office.today();
    let rules = ReceptionRules::embedded();
    let households = office.store().households_accepted().await?;
    let structures = office.store().structure_states().await?;
    let (above, _) = regions_above_share(&households, rules, today);
    let mine: Vec<&Household> = households.iter().filter(|h| h.region == region).collect();
    let waiting = mine.iter().filter(|h| nansen_domain::reception::awaits_place(h, today)).count();
    let mut proposals = Vec::new();
    for h in &mine {
        for p in h.proposals.iter().rev().take(1) {
            let state = match (&p.outcome, &p.contest) {
                (Some(o), _) => o.as_str().to_owned(),
                (None, Some(c)) if c.decision.is_none() => "contested".to_owned(),
                (None, _) => "pending".to_owned(),
            };
            proposals.push(ProposalLine {
                household: h.id.as_ref().map(|i| i.to_string()).unwrap_or_default(),
                head: h.head().map(|m| m.family_name.latin.clone()).unwrap_or_default(),
                persons: p.persons,
                structure: p.structure.to_string(),
                structure_name: p.structure_name.clone(),
                region: p.region.clone(),
                on: p.on,
                contest_by: p.contest_by,
                reach_by: p.reach_by,
                state,
            });
        }
    }
    proposals.sort_by(|a, b| b.on.cmp(&a.on).then(a.household.cmp(&b.household)));
    proposals.truncate(500);
    let regions: BTreeMap<&StructureCode, &str> =
        structures.iter().filter_map(|s| s.code.as_ref().map(|c| (c, s.region.as_str()))).collect();
    let figures = figures(mine.iter().copied(), &|code| regions.get(code).map(|r| (*r).to_owned()));
    let o = rules.orientation(today)?;
    Ok(Overview {
        region,
        week: iso_week(today),
        today,
        above: above.iter().map(AboveLine::from).collect(),
        waiting,
        proposals,
        figures: figures.into_iter().collect(),
        contest_by: today + Duration::days(o.contest_days),
    })
}

/// The plan's problem for the solver, values less the potentials (the price of holding a place
/// back for the households still expected this month: `weeks_left` more weeks of this week's
/// inflow).
fn to_plan(problem: &Orientation, weeks_left: u32) -> Result<nansen_plan::Problem, OfficeError> {
    let bins: Vec<nansen_plan::Bin> = problem.free.iter().map(|f| nansen_plan::Bin { capacity: *f }).collect();
    let group = |count: u32, g: &nansen_domain::reception::orientation::Group, options: Vec<(u32, f64)>| {
        nansen_plan::Group { count, kind: kind_slot(g.kind), size: g.persons, options }
    };
    let raw: Vec<nansen_plan::Group> = problem
        .groups
        .iter()
        .map(|g| group(g.households.len() as u32, g, g.options.iter().map(|(i, v)| (*i as u32, *v)).collect()))
        .collect();
    if weeks_left == 0 {
        return Ok(nansen_plan::Problem { bins, groups: raw });
    }
    // The arrivals still expected: this week's inflow of each kind of household (those
    // registered in the last 7 days), once per week left.
    let future = nansen_plan::Problem {
        bins: bins.clone(),
        groups: raw
            .iter()
            .zip(&problem.groups)
            .map(|(g, d)| nansen_plan::Group { count: d.recent * weeks_left, ..g.clone() })
            .filter(|g| g.count > 0)
            .collect(),
    };
    if future.groups.is_empty() {
        return Ok(nansen_plan::Problem { bins, groups: raw });
    }
    let prices = nansen_plan::potentials(&future).map_err(|e| OfficeError::Internal(format!("planning: {e}")))?;
    let groups = raw
        .iter()
        .map(|g| {
            let options = g
                .options
                .iter()
                .filter_map(|(b, v)| {
                    let price = prices.get(*b as usize).map_or(0.0, |p| p[g.kind]) * f64::from(g.size);
                    let net = v - price;
                    (net > 1e-6).then_some((*b, net))
                })
                .collect();
            nansen_plan::Group { options, ..g.clone() }
        })
        .collect();
    Ok(nansen_plan::Problem { bins, groups })
}

/// Solves a week's problem (HiGHS, within [`LIMITS`]), values less the potentials of the
/// `weeks_left` weeks still expected this month; and the greedy baseline on the same problem.
/// CPU-bound: the server calls it off the async runtime; the benchmark times it.
pub fn solve(problem: &Orientation, weeks_left: u32) -> Result<(nansen_plan::Plan, nansen_plan::Plan), OfficeError> {
    let plan_problem = to_plan(problem, weeks_left)?;
    let plan =
        nansen_plan::solve(&plan_problem, &LIMITS).map_err(|e| OfficeError::Internal(format!("planning: {e}")))?;
    let baseline = nansen_plan::greedy(&plan_problem);
    Ok((plan, baseline))
}

/// Weeks of this month after the current one (arrivals still expected).
pub fn weeks_left_in_month(today: Date) -> u32 {
    let days_in_month = today.month().length(today.year());
    u32::from(days_in_month - today.day()) / 7
}

/// Runs the week's orientation for the director's region and commits its proposals.
pub async fn run(office: &Office, agent: &Agent, contest_by: Date) -> Result<RunReport, OfficeError> {
    office.ask(agent, &[Act::OrientHouseholds], &Resource::Office, "orientation").await?;
    let region = region_of(agent)?;
    // One instant for the plan, its letters and the commit that files them.
    let now = office.now();
    let (report, commands) = plan_week(office, &region, now, contest_by).await?;
    if !commands.is_empty() {
        let subject = format!("orientation:{}:{region}", report.week);
        office
            .act(agent, Act::OrientHouseholds, &Resource::Office, &subject, async || {
                Ok(vec![nansen_store::Op {
                    actor: agent.login.clone(),
                    now,
                    action: nansen_store::Action::Reception(commands.clone()),
                }])
            })
            .await?;
    }
    Ok(report)
}

/// Runs a week's orientation as `login` at `now` without asking the policies: for the demo
/// data, which replays what a regional director would have done (like `allowance::pay_as_of`).
pub async fn run_as_of(
    office: &Office,
    login: &nansen_domain::Login,
    region: &str,
    now: time::OffsetDateTime,
    contest_by: Date,
) -> Result<RunReport, OfficeError> {
    let (report, commands) = plan_week(office, region, now, contest_by).await?;
    if !commands.is_empty() {
        let op = nansen_store::Op { actor: login.clone(), now, action: nansen_store::Action::Reception(commands) };
        office.commit(vec![op]).await?;
    }
    Ok(report)
}

/// The week's plan for the households of `region` as of `now`: the report and the commands
/// (each proposal, its letter, and the places it holds), not committed; the letters are printed
/// and stored.
pub async fn plan_week(
    office: &Office,
    region: &str,
    now: time::OffsetDateTime,
    contest_by: Date,
) -> Result<(RunReport, Vec<ReceptionCommand>), OfficeError> {
    let today = now.date();
    let rules = ReceptionRules::embedded();
    let o = rules.orientation(today)?;
    let reach_by = today + Duration::days(o.reach_days);
    if contest_by < today {
        return Err(OfficeError::field("contest_by", format!("{contest_by} is in the past")));
    }
    if contest_by >= reach_by {
        return Err(OfficeError::field(
            "contest_by",
            format!("the deadline to contest must fall before {reach_by}, the day the place must be reached (R.551-3)"),
        ));
    }
    let households = office.store().households_accepted().await?;
    let structures = office.store().structure_states().await?;
    let taken = taken(&households);
    let mut problem = orientation_problem(&households, &structures, &taken, rules, today)?;
    problem.groups.retain(|g| g.from_region == region);
    let weeks_left = weeks_left_in_month(today);
    let (problem, plan, baseline) = tokio::task::spawn_blocking(move || {
        solve(&problem, weeks_left).map(|(plan, baseline)| (problem, plan, baseline))
    })
    .await
    .map_err(|e| OfficeError::Internal(format!("planning: {e}")))??;
    let status = match plan.status {
        nansen_plan::Status::Optimal => "optimal",
        nansen_plan::Status::WithinGap => "within-gap",
        nansen_plan::Status::TimeLimit => "time-limit",
    };
    let note = PlanNote { status: status.to_owned(), gap_bp: (plan.gap.max(0.0) * 10_000.0).round() as u32 };
    let by_code: BTreeMap<&StructureCode, &Structure> =
        structures.iter().filter_map(|s| s.code.as_ref().map(|c| (c, s))).collect();
    let by_id: BTreeMap<&HouseholdId, &Household> =
        households.iter().filter_map(|h| h.id.as_ref().map(|i| (i, h))).collect();
    let week = iso_week(today);
    let mut commands = Vec::new();
    let mut shortages = Vec::new();
    let mut candidates = 0;
    let mut proposals = 0;
    for (gi, g) in problem.groups.iter().enumerate() {
        candidates += g.households.len();
        let mut ids = g.households.iter();
        let placed = plan.placed.get(gi).cloned().unwrap_or_default();
        let mut n_placed = 0;
        for (bin, n) in placed {
            let code = &problem.sites[bin as usize];
            let Some(s) = by_code.get(code) else { continue };
            for _ in 0..n {
                let Some(id) = ids.next() else { break };
                let Some(h) = by_id.get(id) else { continue };
                n_placed += 1;
                let proposal = Proposal {
                    week: week.clone(),
                    structure: code.clone(),
                    structure_name: s.name.clone(),
                    region: s.region.clone(),
                    from_region: h.region.clone(),
                    department: s.department.as_ref().map(|d| d.as_str().to_owned()).unwrap_or_default(),
                    kind: g.kind,
                    persons: g.persons,
                    reasons: reasons(h, s, &problem.above, &taken, rules, today),
                    on: today,
                    contest_by,
                    reach_by,
                    plan: note.clone(),
                    contest: None,
                    outcome: None,
                };
                let propose = HouseholdCommand::Propose(proposal);
                let letter = letters::letter_for(office, h, &propose, "", now).await?;
                commands.push(ReceptionCommand::Household { id: (*id).clone(), command: propose });
                if let Some(letter) = letter {
                    commands.push(ReceptionCommand::Household { id: (*id).clone(), command: letter });
                }
                proposals += 1;
                commands.push(ReceptionCommand::Structure {
                    code: code.clone(),
                    command: StructureCommand::Hold {
                        household: (*id).clone(),
                        kind: g.kind,
                        persons: g.persons,
                        on: today,
                    },
                });
            }
        }
        let left = g.households.len() - n_placed;
        if left > 0 {
            let why = if g.options.is_empty() { "no-place-fits" } else { "outranked" };
            shortages.push(Shortage { kind: g.kind, persons: g.persons, households: left, why });
        }
    }
    let report = RunReport {
        week,
        region: region.to_owned(),
        candidates,
        proposals,
        status: status.to_owned(),
        gap_percent: plan.gap.max(0.0) * 100.0,
        seconds: plan.seconds,
        objective: plan.objective,
        greedy_objective: baseline.objective,
        greedy_placed: baseline.placed.iter().flatten().map(|(_, n)| n).sum(),
        shortages,
        above: problem.above.iter().map(AboveLine::from).collect(),
    };
    Ok((report, commands))
}

/// A change to a household's proposal, with the release of the places held for it when the
/// proposal ends without an arrival.
async fn proposal_change(
    office: &Office,
    agent: &Agent,
    id: &str,
    action: Act,
    command: HouseholdCommand,
    unhold: bool,
) -> Result<(), OfficeError> {
    let (household, resource, subject) = load_household(office, id).await?;
    let hid = household.id.clone().ok_or_else(|| OfficeError::NotFound(format!("household {id}")))?;
    let now = office.now();
    let on = now.date();
    office
        .act(agent, action, &resource, &subject, async || {
            let mut commands = vec![ReceptionCommand::Household { id: hid.clone(), command: command.clone() }];
            if let Some(letter) = letters::letter_for(office, &household, &command, &agent.display_name, now).await? {
                commands.push(ReceptionCommand::Household { id: hid.clone(), command: letter });
            }
            if let Some(p) = household.pending_proposal().filter(|_| unhold) {
                commands.push(ReceptionCommand::Structure {
                    code: p.structure.clone(),
                    command: StructureCommand::Unhold { household: hid.clone(), on },
                });
            }
            Ok(vec![nansen_store::Op {
                actor: agent.login.clone(),
                now,
                action: nansen_store::Action::Reception(commands),
            }])
        })
        .await?;
    Ok(())
}

/// The household contests the proposal (recorded by the single window).
pub async fn contest(office: &Office, agent: &Agent, id: &str, grounds: String) -> Result<(), OfficeError> {
    let on = office.today();
    proposal_change(office, agent, id, Act::RecordHousehold, HouseholdCommand::Contest { on, grounds }, false).await
}

/// The director decides on a contest; an upheld contest frees the places held.
pub async fn decide_contest(
    office: &Office,
    agent: &Agent,
    id: &str,
    upheld: bool,
    reasons: String,
) -> Result<(), OfficeError> {
    let on = office.today();
    let command = HouseholdCommand::DecideContest { on, upheld, reasons };
    proposal_change(office, agent, id, Act::DecideAllowance, command, upheld).await
}

/// The household refuses the place: the places are freed and the ending procedure opens.
pub async fn refuse(office: &Office, agent: &Agent, id: &str) -> Result<(), OfficeError> {
    let on = office.today();
    proposal_change(office, agent, id, Act::RecordHousehold, HouseholdCommand::RefuseOrientation { on }, true).await
}

/// The place was not reached in time: the places are freed and the ending procedure opens.
pub async fn no_show(office: &Office, agent: &Agent, id: &str) -> Result<(), OfficeError> {
    let on = office.today();
    proposal_change(office, agent, id, Act::RecordHousehold, HouseholdCommand::RecordNoShow { on }, true).await
}

/// The household's written observations.
pub async fn observations(office: &Office, agent: &Agent, id: &str, text: String) -> Result<(), OfficeError> {
    let on = office.today();
    let command = HouseholdCommand::RecordObservations { on, text };
    proposal_change(office, agent, id, Act::RecordHousehold, command, false).await
}

/// The director's reasoned decision: the reception conditions end, or are maintained.
pub async fn decide_ending(
    office: &Office,
    agent: &Agent,
    id: &str,
    end: bool,
    reasons: String,
    vulnerability_weighed: String,
) -> Result<(), OfficeError> {
    let on = office.today();
    let command = HouseholdCommand::DecideEnding { on, end, reasons, vulnerability_weighed };
    proposal_change(office, agent, id, Act::DecideAllowance, command, false).await
}
