//! The baseline: place households one by one, most valuable per place first.

use std::cmp::Ordering;
use std::time::Instant;

use crate::model::{lp_relaxation, plan_value, relative_gap, Plan, Problem, Status, KINDS};

/// Above this many option variables the LP bound is not worth its time for a baseline.
const LP_BOUND_MAX_COLUMNS: usize = 200_000;

/// Greedy plan: households in order of decreasing best value per place (ties: lower group
/// index first); each takes its most valuable option that still fits (ties: lower bin index).
///
/// Deterministic and never fails: malformed groups or options (see [`crate::PlanError::Invalid`])
/// are skipped rather than reported, since a baseline should always produce something;
/// `solve` reports them. `bound` is the LP relaxation's value when that is cheap
/// to get, else `NaN`; `status` is [`Status::Optimal`] only when that bound proves it.
pub fn greedy(problem: &Problem) -> Plan {
    let started = Instant::now();
    let placed = greedy_placement(problem);
    let objective = plan_value(problem, &placed);
    let columns: usize = problem.groups.iter().map(|g| g.options.len()).sum();
    let bound = if columns <= LP_BOUND_MAX_COLUMNS && crate::model::validate(problem).is_ok() {
        lp_relaxation(problem, true).map(|lp| lp.objective.max(objective)).unwrap_or(f64::NAN)
    } else {
        f64::NAN
    };
    let gap = if bound.is_nan() { f64::NAN } else { relative_gap(bound, objective) };
    let status = if gap <= 1e-6 { Status::Optimal } else { Status::WithinGap };
    Plan { placed, objective, bound, gap, status, seconds: started.elapsed().as_secs_f64() }
}

fn usable(problem: &Problem, kind: usize, size: u32, bin: u32, value: f64) -> bool {
    kind < KINDS && size > 0 && (bin as usize) < problem.bins.len() && value.is_finite() && value > 0.0
}

/// The greedy placement itself, per group `(bin, households)` sorted by bin.
pub(crate) fn greedy_placement(problem: &Problem) -> Vec<Vec<(u32, u32)>> {
    greedy_complete(problem, vec![Vec::new(); problem.groups.len()])
}

/// Completes a partial placement (assumed feasible) greedily with the households and places
/// it leaves; used on its own and to repair a rounded-down LP solution.
pub(crate) fn greedy_complete(problem: &Problem, mut placed: Vec<Vec<(u32, u32)>>) -> Vec<Vec<(u32, u32)>> {
    placed.resize(problem.groups.len(), Vec::new());
    let mut free: Vec<[u32; KINDS]> = problem.bins.iter().map(|b| b.capacity).collect();
    let mut left: Vec<u32> = problem.groups.iter().map(|g| g.count).collect();
    for (g, bins) in placed.iter().enumerate() {
        let group = &problem.groups[g];
        for &(bin, n) in bins {
            let room = &mut free[bin as usize][group.kind];
            *room = room.saturating_sub(n * group.size);
            left[g] = left[g].saturating_sub(n);
        }
    }
    let per_place = |g: usize| -> f64 {
        let group = &problem.groups[g];
        group
            .options
            .iter()
            .filter(|&&(b, v)| usable(problem, group.kind, group.size, b, v))
            .map(|&(_, v)| v / f64::from(group.size))
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut order: Vec<(usize, f64)> = (0..problem.groups.len()).map(|g| (g, per_place(g))).collect();
    order.retain(|&(g, v)| v > 0.0 && left[g] > 0);
    order.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0)));
    for (g, _) in order {
        let group = &problem.groups[g];
        let mut options: Vec<(u32, f64)> =
            group.options.iter().copied().filter(|&(b, v)| usable(problem, group.kind, group.size, b, v)).collect();
        options.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0)));
        // Households of a group are identical: each takes the best option that still fits,
        // which stays the same option until it is full.
        for (bin, _) in options {
            if left[g] == 0 {
                break;
            }
            let room = &mut free[bin as usize][group.kind];
            let n = (*room / group.size).min(left[g]);
            if n > 0 {
                *room -= n * group.size;
                left[g] -= n;
                match placed[g].iter_mut().find(|(b, _)| *b == bin) {
                    Some(entry) => entry.1 += n,
                    None => placed[g].push((bin, n)),
                }
            }
        }
        placed[g].sort_unstable();
    }
    placed
}
