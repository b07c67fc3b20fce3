//! The exact planner: the placement MIP solved with HiGHS.

use std::time::Instant;

use highs::HighsModelStatus;

use crate::greedy::{greedy_complete, greedy_placement};
use crate::model::{
    formulate, is_feasible, lp_relaxation, plan_value, relative_gap, run, validate, Limits, Plan, PlanError, Problem,
    RunOptions, Status, KINDS,
};

/// Gap under which a plan counts as proven optimal (HiGHS' own feasibility noise).
const OPTIMAL_GAP: f64 = 1e-6;
/// Columns whose LP reduced cost is within this share of their value stay in the restricted MIP.
const RESTRICT_REDUCED_COST: f64 = 0.02;
/// Share of the time left that the restricted MIP may use.
const RESTRICT_TIME_SHARE: f64 = 0.3;

type Placement = Vec<Vec<(u32, u32)>>;

/// Solves the placement MIP: integer `x[g,b] >= 0` per option, `Σ_b x[g,b] <= count_g`,
/// per bin and kind `Σ size_g·x[g,b] <= capacity`, maximising `Σ value·x`.
///
/// Kinds share no constraint, so each kind is solved on its own; the allowed gap is spent
/// where it is needed (single places, all of size 1, are usually solved exactly by the LP).
/// HiGHS proves good bounds on these assignment-like models quickly but is slow to find plans
/// that pack families tightly, so each kind is staged: the LP relaxation gives the bound; its
/// rounding completed greedily, then a MIP over the columns the LP finds promising (small
/// reduced cost), give start plans; only if those are not good enough does HiGHS branch on the
/// kind's full model from the best of them.
///
/// HiGHS runs on one thread with a fixed seed: the plan is never worse than [`crate::greedy`],
/// and the same problem gives the same plan unless a time limit cuts a search short (where it
/// stops depends on the machine).
pub fn solve(problem: &Problem, limits: &Limits) -> Result<Plan, PlanError> {
    let started = Instant::now();
    validate(problem)?;
    limits.check()?;
    let time_left = || limits.time_limit_s - started.elapsed().as_secs_f64();

    let mut parts = Vec::new();
    for kind in 0..KINDS {
        let groups: Vec<usize> = (0..problem.groups.len()).filter(|&g| problem.groups[g].kind == kind).collect();
        if !groups.is_empty() {
            let sub = Problem {
                bins: problem.bins.clone(),
                groups: groups.iter().map(|&g| problem.groups[g].clone()).collect(),
            };
            parts.push(Part::start(sub, groups)?);
        }
    }
    // The gap allowed for the whole plan, in value; each part may use what the others leave.
    let budget = limits.relative_gap * parts.iter().map(|p| p.bound).sum::<f64>().abs();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|&a, &b| parts[b].slack().total_cmp(&parts[a].slack()).then(a.cmp(&b)));
    let mut timed_out = false;
    for &p in &order {
        let others: f64 = parts.iter().enumerate().filter(|&(o, _)| o != p).map(|(_, o)| o.slack()).sum();
        let allowed = (budget - others).max(0.0);
        if parts[p].slack() <= allowed {
            continue;
        }
        // The hardest part comes first and may take all the time left: the others rarely need any.
        let share = time_left();
        let target = allowed / parts[p].bound.abs().max(1e-9);
        timed_out |= parts[p].improve(target, share)?;
    }

    let mut placed = vec![Vec::new(); problem.groups.len()];
    for part in &parts {
        for (&g, bins) in part.groups.iter().zip(&part.best) {
            placed[g].clone_from(bins);
        }
    }
    let objective = plan_value(problem, &placed);
    let bound = parts.iter().map(|p| p.bound).sum::<f64>().max(objective);
    let gap = relative_gap(bound, objective);
    let status = if gap <= OPTIMAL_GAP {
        Status::Optimal
    } else if timed_out && gap > limits.relative_gap {
        Status::TimeLimit
    } else {
        Status::WithinGap
    };
    Ok(Plan { placed, objective, bound, gap, status, seconds: started.elapsed().as_secs_f64() })
}

/// The groups of one kind, with the best plan and the best bound known for them.
struct Part {
    problem: Problem,
    /// Original index of each group.
    groups: Vec<usize>,
    lp: crate::model::LpSolution,
    best: Placement,
    best_value: f64,
    bound: f64,
}

impl Part {
    /// Solves the LP relaxation and takes the better of greedy and the rounded-down LP
    /// completed greedily (rounding down keeps every constraint, all coefficients being >= 0;
    /// the tolerance absorbs the simplex' round-off on whole values).
    fn start(problem: Problem, groups: Vec<usize>) -> Result<Self, PlanError> {
        let lp = lp_relaxation(&problem, true)?;
        let mut rounded = vec![Vec::new(); problem.groups.len()];
        for (c, &x) in lp.columns.iter().zip(&lp.x) {
            let n = ((x + 1e-6).floor().max(0.0) as u32).min(c.upper);
            if n > 0 {
                rounded[c.group].push((c.bin, n));
            }
        }
        for r in &mut rounded {
            r.sort_unstable();
        }
        let best = greedy_placement(&problem);
        let best_value = plan_value(&problem, &best);
        let bound = lp.objective;
        let mut part = Self { problem, groups, lp, best, best_value, bound };
        let repaired = greedy_complete(&part.problem, rounded);
        part.consider(repaired);
        Ok(part)
    }

    /// Value between the bound and the best plan.
    fn slack(&self) -> f64 {
        (self.bound - self.best_value).max(0.0)
    }

    /// Replaces the best plan by `candidate` if it is feasible and better.
    fn consider(&mut self, candidate: Placement) {
        let value = plan_value(&self.problem, &candidate);
        if value > self.best_value && is_feasible(&self.problem, &candidate) {
            self.best = candidate;
            self.best_value = value;
        }
    }

    /// Improves the plan until its gap to the bound is at most `target`, within `seconds`;
    /// returns whether the time ran out first.
    fn improve(&mut self, target: f64, seconds: f64) -> Result<bool, PlanError> {
        let started = Instant::now();
        let within = |part: &Self| relative_gap(part.bound, part.best_value) <= target;
        // The MIP restricted to the LP's promising columns, from the best plan restricted to
        // them (a plan of the restricted problem is one of the full problem).
        let mut restricted = self.problem.clone();
        for g in &mut restricted.groups {
            g.options.clear();
        }
        for ((c, &x), &d) in self.lp.columns.iter().zip(&self.lp.x).zip(&self.lp.reduced) {
            if x > 1e-9 || d.abs() <= RESTRICT_REDUCED_COST * c.value {
                restricted.groups[c.group].options.push((c.bin, c.value));
            }
        }
        let start = keep_options(&restricted, &self.best);
        let (placed, _, _) = mip(&restricted, start, seconds * RESTRICT_TIME_SHARE, target / 2.0)?;
        self.consider(placed);
        if within(self) {
            return Ok(false);
        }
        let left = seconds - started.elapsed().as_secs_f64();
        if left <= 0.0 {
            return Ok(true);
        }
        let (placed, mip_bound, status) = mip(&self.problem, self.best.clone(), left, target)?;
        self.consider(placed);
        self.bound = self.bound.min(mip_bound).max(self.best_value);
        Ok(status == Status::TimeLimit)
    }
}

/// The part of a placement that uses options `problem` still has.
fn keep_options(problem: &Problem, placed: &Placement) -> Placement {
    problem
        .groups
        .iter()
        .zip(placed)
        .map(|(g, bins)| bins.iter().copied().filter(|&(b, _)| g.options.iter().any(|&(o, _)| o == b)).collect())
        .collect()
}

/// Runs HiGHS on the MIP from a feasible start; returns the placement, HiGHS' dual bound
/// (`+inf` if unknown) and whether it stopped on time ([`Status::TimeLimit`]) or on the gap.
fn mip(
    problem: &Problem,
    start: Placement,
    time_limit_s: f64,
    gap: f64,
) -> Result<(Placement, f64, Status), PlanError> {
    let form = formulate(problem, true, true);
    let columns = form.columns.clone();
    if columns.is_empty() || time_limit_s <= 0.0 {
        return Ok((start, f64::INFINITY, Status::TimeLimit));
    }
    let x0: Vec<f64> = columns
        .iter()
        .map(|c| match start[c.group].binary_search_by_key(&c.bin, |&(b, _)| b) {
            Ok(at) => f64::from(start[c.group][at].1),
            Err(_) => 0.0,
        })
        .collect();
    let solved = run(form.problem, &RunOptions { time_limit_s, relative_gap: gap, start: Some(x0) })?;
    let solution = solved.get_solution();
    let mut placed = vec![Vec::new(); problem.groups.len()];
    for (c, &x) in columns.iter().zip(solution.columns()) {
        let n = x.round().clamp(0.0, f64::from(c.upper)) as u32;
        if n > 0 {
            placed[c.group].push((c.bin, n));
        }
    }
    for p in &mut placed {
        p.sort_unstable();
    }
    // HiGHS reports gap = |primal - dual| / |primal|, so its dual bound follows from it.
    let objective = solved.objective_value();
    let highs_gap = solved.mip_gap();
    let bound = if highs_gap.is_finite() { objective + highs_gap * objective.abs() } else { f64::INFINITY };
    let status = match solved.status() {
        HighsModelStatus::ReachedTimeLimit => Status::TimeLimit,
        _ => Status::WithinGap,
    };
    Ok((placed, bound, status))
}
