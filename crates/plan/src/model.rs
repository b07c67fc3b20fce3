//! Problem data, validation and the HiGHS formulation shared by `solve`,
//! `greedy` (for its LP bound) and `potentials`.

use highs::{ColProblem, HighsModelStatus, Sense, SolvedModel};

/// Place kinds: 0 single, 1 family, 2 accessible.
pub const KINDS: usize = 3;

/// A place to put households: free places by kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bin {
    /// Free places by kind.
    pub capacity: [u32; KINDS],
}

/// Households that are identical for planning (same kind, size and values).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// How many households.
    pub count: u32,
    /// The place kind each household needs (`< KINDS`).
    pub kind: usize,
    /// Places per household; a household is never split, it takes `size` places in one bin.
    pub size: u32,
    /// `(bin index, value of placing one household there)`. Options with a value `<= 0` are
    /// never taken: leaving a household unplaced is worth 0.
    pub options: Vec<(u32, f64)>,
}

/// A planning instance.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Problem {
    /// The bins.
    pub bins: Vec<Bin>,
    /// The groups.
    pub groups: Vec<Group>,
}

/// Solver limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Wall-clock limit for the MIP, in seconds.
    pub time_limit_s: f64,
    /// Stop when the relative gap between plan and bound is at most this.
    pub relative_gap: f64,
}

impl Limits {
    /// Refuses a limit HiGHS would misread: a time limit that is not positive, a gap that is
    /// negative or not finite.
    pub(crate) fn check(&self) -> Result<(), PlanError> {
        if self.time_limit_s.is_nan() || self.time_limit_s <= 0.0 {
            return Err(PlanError::Invalid(format!("time limit {} s must be positive", self.time_limit_s)));
        }
        if !self.relative_gap.is_finite() || self.relative_gap < 0.0 {
            return Err(PlanError::Invalid(format!("relative gap {} must be finite and >= 0", self.relative_gap)));
        }
        Ok(())
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self { time_limit_s: 15.0, relative_gap: 0.005 }
    }
}

/// How good a plan is known to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Proven optimal (gap about 0).
    Optimal,
    /// The gap to the proven bound is positive; for `solve` it is within
    /// [`Limits::relative_gap`], for `greedy` it is whatever `gap` says.
    WithinGap,
    /// The time limit stopped the search; `gap` says how far from the bound.
    TimeLimit,
}

/// A plan: how many households of each group go to which bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Per group: `(bin, number of households)` with number > 0, bins in ascending order.
    pub placed: Vec<Vec<(u32, u32)>>,
    /// Value of the plan.
    pub objective: f64,
    /// Proven upper bound of the optimum (`NaN` when unknown).
    pub bound: f64,
    /// `(bound - objective) / max(|bound|, 1e-9)` (`NaN` when the bound is unknown).
    pub gap: f64,
    /// How good the plan is known to be.
    pub status: Status,
    /// Wall-clock seconds spent.
    pub seconds: f64,
}

impl Plan {
    /// Number of households placed.
    pub fn households_placed(&self) -> u64 {
        self.placed.iter().flatten().map(|&(_, n)| u64::from(n)).sum()
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanError {
    /// The input is malformed (bin index out of range, kind >= KINDS, size 0, non-finite value...).
    #[error("invalid planning problem: {0}")]
    Invalid(String),
    /// HiGHS failed.
    #[error("solver failure: {0}")]
    Solver(String),
}

/// Rejects input the formulation cannot represent faithfully.
pub(crate) fn validate(problem: &Problem) -> Result<(), PlanError> {
    let bins = problem.bins.len();
    if u32::try_from(bins).is_err() {
        return Err(PlanError::Invalid(format!("{bins} bins: more than u32 can index")));
    }
    let mut seen = vec![usize::MAX; bins];
    for (g, group) in problem.groups.iter().enumerate() {
        if group.kind >= KINDS {
            return Err(PlanError::Invalid(format!("group {g}: kind {} >= {KINDS}", group.kind)));
        }
        if group.size == 0 {
            return Err(PlanError::Invalid(format!("group {g}: size 0")));
        }
        for &(bin, value) in &group.options {
            let b = bin as usize;
            if b >= bins {
                return Err(PlanError::Invalid(format!("group {g}: bin {bin} out of range ({bins} bins)")));
            }
            if !value.is_finite() {
                return Err(PlanError::Invalid(format!("group {g}: non-finite value {value} for bin {bin}")));
            }
            // A repeated bin would make the plan ambiguous (two entries for one bin).
            if seen[b] == g {
                return Err(PlanError::Invalid(format!("group {g}: bin {bin} listed twice")));
            }
            seen[b] = g;
        }
    }
    Ok(())
}

/// Most households of `group` that fit into `bin` on their own.
pub(crate) fn fits(problem: &Problem, group: &Group, bin: u32) -> u32 {
    let free = problem.bins[bin as usize].capacity[group.kind];
    (free / group.size).min(group.count)
}

/// One column of the formulation: households of `group` placed in `bin`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub group: usize,
    pub bin: u32,
    pub value: f64,
    pub upper: u32,
}

/// The placement model as a HiGHS problem, with the bookkeeping to read its answer.
pub(crate) struct Formulation {
    /// Columns in HiGHS order.
    pub columns: Vec<Column>,
    /// For each HiGHS row that is a capacity row: `(row index, bin, kind)`.
    pub capacity_rows: Vec<(usize, u32, usize)>,
    pub problem: ColProblem,
}

/// Builds `max Σ value·x` s.t. `Σ_b x[g,b] <= count_g` and, per bin and kind,
/// `Σ size_g·x[g,b] <= capacity`. Options that cannot hold one household, or are worth
/// nothing, get no column: their variable would be 0 anyway, and fewer columns solve faster.
///
/// With `tight`, each column is also bounded by the households that fit in its bin alone,
/// which tightens the LP bound; without it, capacity is limited by the capacity rows only, so
/// that their duals carry the whole price of a place (what `potentials` needs).
pub(crate) fn formulate(problem: &Problem, integer: bool, tight: bool) -> Formulation {
    let mut columns = Vec::new();
    for (g, group) in problem.groups.iter().enumerate() {
        for &(bin, value) in &group.options {
            let fit = fits(problem, group, bin);
            if fit > 0 && value > 0.0 {
                let upper = if tight { fit } else { group.count };
                columns.push(Column { group: g, bin, value, upper });
            }
        }
    }
    let mut highs = ColProblem::default();
    // Count rows only for groups whose columns could exceed the count together.
    let mut count_row = vec![None; problem.groups.len()];
    let mut reach = vec![0u64; problem.groups.len()];
    for c in &columns {
        reach[c.group] += u64::from(c.upper);
    }
    let mut rows = 0usize;
    for (g, group) in problem.groups.iter().enumerate() {
        if reach[g] > u64::from(group.count) {
            count_row[g] = Some(highs.add_row(..=f64::from(group.count)));
            rows += 1;
        }
    }
    // Capacity rows for (bin, kind) pairs whose columns could exceed the capacity together.
    let mut load = vec![0u64; problem.bins.len() * KINDS];
    for c in &columns {
        let group = &problem.groups[c.group];
        load[c.bin as usize * KINDS + group.kind] += u64::from(c.upper) * u64::from(group.size);
    }
    let mut cap_row = vec![None; problem.bins.len() * KINDS];
    let mut capacity_rows = Vec::new();
    for (b, bin) in problem.bins.iter().enumerate() {
        for k in 0..KINDS {
            if load[b * KINDS + k] > u64::from(bin.capacity[k]) {
                cap_row[b * KINDS + k] = Some(highs.add_row(..=f64::from(bin.capacity[k])));
                capacity_rows.push((rows, b as u32, k));
                rows += 1;
            }
        }
    }
    for c in &columns {
        let group = &problem.groups[c.group];
        let mut factors = Vec::with_capacity(2);
        if let Some(row) = count_row[c.group] {
            factors.push((row, 1.0));
        }
        if let Some(row) = cap_row[c.bin as usize * KINDS + group.kind] {
            factors.push((row, f64::from(group.size)));
        }
        highs.add_column_with_integrality(c.value, 0.0..=f64::from(c.upper), factors, integer);
    }
    Formulation { columns, capacity_rows, problem: highs }
}

/// HiGHS options used for every run: quiet, one thread and a fixed seed so that the
/// same problem always gives the same answer.
pub(crate) struct RunOptions {
    pub time_limit_s: f64,
    pub relative_gap: f64,
    pub start: Option<Vec<f64>>,
}

/// Solves a formulation (maximising) and checks that HiGHS produced a usable answer.
pub(crate) fn run(problem: ColProblem, options: &RunOptions) -> Result<SolvedModel, PlanError> {
    let mut model = problem
        .try_optimise(Sense::Maximise)
        .map_err(|e| PlanError::Solver(format!("HiGHS rejected the model: {e:?}")))?;
    model.make_quiet();
    model.set_option("output_flag", false);
    model.set_option("threads", 1);
    model.set_option("random_seed", 0);
    model.set_option("time_limit", options.time_limit_s);
    model.set_option("mip_rel_gap", options.relative_gap);
    if let Some(start) = &options.start {
        model
            .try_set_solution(Some(start), None, None, None)
            .map_err(|e| PlanError::Solver(format!("HiGHS rejected the start solution: {e:?}")))?;
    }
    let solved = model.try_solve().map_err(|e| PlanError::Solver(format!("HiGHS run failed: {e:?}")))?;
    match solved.status() {
        HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ModelEmpty => Ok(solved),
        other => Err(PlanError::Solver(format!("HiGHS ended with status {other:?}"))),
    }
}

/// The LP relaxation of a problem, solved to optimality.
pub(crate) struct LpSolution {
    /// Optimal value: a proven upper bound of the MIP.
    pub objective: f64,
    /// The columns and their (fractional) values.
    pub columns: Vec<Column>,
    pub x: Vec<f64>,
    /// Reduced cost of each column.
    pub reduced: Vec<f64>,
    /// Dual value of each capacity row as `(bin, kind, dual)`.
    pub duals: Vec<(u32, usize, f64)>,
}

/// Solves the LP relaxation (see [`formulate`] for `tight`; either way it is a relaxation
/// of the MIP).
pub(crate) fn lp_relaxation(problem: &Problem, tight: bool) -> Result<LpSolution, PlanError> {
    let form = formulate(problem, false, tight);
    if form.columns.is_empty() {
        return Ok(LpSolution {
            objective: 0.0,
            columns: Vec::new(),
            x: Vec::new(),
            reduced: Vec::new(),
            duals: Vec::new(),
        });
    }
    let solved = run(form.problem, &RunOptions { time_limit_s: f64::INFINITY, relative_gap: 0.0, start: None })?;
    if solved.status() != HighsModelStatus::Optimal {
        return Err(PlanError::Solver(format!("LP relaxation ended with status {:?}", solved.status())));
    }
    let solution = solved.get_solution();
    let duals = solution.dual_rows();
    let duals = form.capacity_rows.iter().map(|&(row, bin, kind)| (bin, kind, duals[row])).collect();
    Ok(LpSolution {
        objective: solved.objective_value(),
        columns: form.columns,
        x: solution.columns().to_vec(),
        reduced: solution.dual_columns().to_vec(),
        duals,
    })
}

/// Relative gap as documented on [`Plan::gap`].
pub(crate) fn relative_gap(bound: f64, objective: f64) -> f64 {
    ((bound - objective) / bound.abs().max(1e-9)).max(0.0)
}

/// Whether a placement respects counts and capacities (families are whole by construction:
/// a household is one unit of `x`).
pub(crate) fn is_feasible(problem: &Problem, placed: &[Vec<(u32, u32)>]) -> bool {
    if placed.len() != problem.groups.len() {
        return false;
    }
    let mut used = vec![0u64; problem.bins.len() * KINDS];
    for (group, bins) in problem.groups.iter().zip(placed) {
        let mut total = 0u64;
        for &(bin, n) in bins {
            if bin as usize >= problem.bins.len() || !group.options.iter().any(|&(b, _)| b == bin) {
                return false;
            }
            total += u64::from(n);
            used[bin as usize * KINDS + group.kind] += u64::from(n) * u64::from(group.size);
        }
        if total > u64::from(group.count) {
            return false;
        }
    }
    problem
        .bins
        .iter()
        .enumerate()
        .all(|(b, bin)| (0..KINDS).all(|k| used[b * KINDS + k] <= u64::from(bin.capacity[k])))
}

/// Value of a placement (first listed value of each option).
pub(crate) fn plan_value(problem: &Problem, placed: &[Vec<(u32, u32)>]) -> f64 {
    let mut total = 0.0;
    for (group, bins) in problem.groups.iter().zip(placed) {
        for &(bin, n) in bins {
            if let Some(&(_, value)) = group.options.iter().find(|&&(b, _)| b == bin) {
                total += f64::from(n) * value;
            }
        }
    }
    total
}
