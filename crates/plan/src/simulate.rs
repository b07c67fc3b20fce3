//! A seeded synthetic year of arrivals and releases, to compare three policies:
//! `online` (weekly MIP with potentials), `greedy` (weekly greedy) and `hindsight`
//! (an upper bound that knows the whole year in advance).

use std::collections::BTreeMap;
use std::time::Instant;

use highs::{ColProblem, HighsModelStatus};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::greedy::greedy;
use crate::model::{run, Bin, Group, Limits, PlanError, Problem, RunOptions, KINDS};
use crate::potentials::potentials;
use crate::solve::solve;

/// Parameters of a simulated year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearConfig {
    /// Seed of the generator (ChaCha8).
    pub seed: u64,
    /// Number of weeks.
    pub weeks: usize,
    /// Number of bins (reception centres).
    pub bins: usize,
    /// Mean arrivals (households) per week; the actual number varies by season and by chance.
    pub per_week: f64,
    /// Number of regions.
    pub regions: usize,
    /// Places that become available over the year (initially free + released), as a share of
    /// the places the year's expected arrivals need, per kind. Below 1 the network is short.
    pub supply_ratio: f64,
    /// Weeks of expected arrivals after the current one that the potentials hold capacity for
    /// (see `future_problem`).
    pub horizon_weeks: usize,
    /// Limits of each weekly MIP.
    pub limits: Limits,
}

impl Default for YearConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            weeks: 52,
            bins: 300,
            per_week: 60.0,
            regions: 8,
            supply_ratio: 1.0,
            horizon_weeks: 8,
            limits: Limits::default(),
        }
    }
}

/// Outcome of the three policies over one simulated year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearReport {
    /// Value reached by the online policy (weekly MIP with potentials), in raw values.
    pub online: f64,
    /// Value reached by weekly greedy.
    pub greedy: f64,
    /// Upper bound: LP relaxation of the whole year known in advance.
    pub hindsight: f64,
    /// `online / hindsight`.
    pub online_ratio: f64,
    /// `greedy / hindsight`.
    pub greedy_ratio: f64,
    /// Households that arrived.
    pub households: u64,
    /// Households placed by the online policy.
    pub placed_online: u64,
    /// Households placed by greedy.
    pub placed_greedy: u64,
    /// Households placed by the hindsight LP (fractional: the LP may place parts of households).
    pub placed_hindsight: f64,
    /// Households (of either policy) that did not get all their places in one bin; must be 0.
    pub families_split: u64,
    /// Slowest week of the online policy (potentials + MIP), seconds.
    pub seconds_per_week_max: f64,
    /// Seconds spent on the hindsight bound.
    pub seconds_hindsight: f64,
}

/// What planning can tell apart about a household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Profile {
    kind: usize,
    size: u32,
    level: u32,
    home: usize,
}

/// Probability of each place kind (single, family, accessible).
const KIND_SHARE: [f64; KINDS] = [0.55, 0.40, 0.05];
/// Size distribution per kind, as `(size, probability)`.
const SIZES: [&[(u32, f64)]; KINDS] =
    [&[(1, 1.0)], &[(2, 0.30), (3, 0.25), (4, 0.25), (5, 0.12), (6, 0.08)], &[(1, 0.70), (2, 0.20), (3, 0.10)]];
/// Vulnerability levels 0, 1, 2.
const LEVEL_SHARE: [f64; 3] = [0.6, 0.3, 0.1];
/// Share of places free at the start: the network runs about 97 % full.
const INITIAL_FREE: f64 = 0.03;

/// The generated year: everything the hindsight bound knows, and the distribution the
/// online policy may use.
struct Year {
    bin_region: Vec<usize>,
    initial: Vec<[u32; KINDS]>,
    /// `releases[week][bin]`: places freed that week.
    releases: Vec<Vec<[u32; KINDS]>>,
    /// `arrivals[week]`: households that week.
    arrivals: Vec<Vec<Profile>>,
    /// Expected arrivals per week (seasonal).
    expected_per_week: Vec<f64>,
    /// Expected places freed per bin and week.
    expected_release: Vec<[f64; KINDS]>,
    /// `(type, probability)` of one arrival.
    types: Vec<(Profile, f64)>,
    care: Vec<f64>,
    regions: usize,
}

impl Year {
    /// Being housed is worth 100 and dominates (the terms below move it by at most +50 / -20):
    /// a vulnerable household gains from a region with specialised care; being far from the
    /// region of registration (ties, schools, the asylum office) costs a little. Values depend
    /// on the bin's region only, which is what lets the hindsight bound pool bins by region.
    fn value(&self, t: Profile, region: usize) -> f64 {
        let distance = t.home.abs_diff(region) as f64 / (self.regions.max(2) - 1) as f64;
        100.0 + 25.0 * f64::from(t.level) * self.care[region] - 20.0 * distance
    }

    fn generate(config: &YearConfig) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
        let regions = config.regions.max(1);
        let weeks = config.weeks;
        let care: Vec<f64> =
            (0..regions).map(|r| if r % 3 == 0 { 1.0 } else { [0.0, 0.5][rng.gen_range(0..2)] }).collect();
        let home_weight: Vec<f64> = (0..regions).map(|_| rng.gen_range(0.5..1.5)).collect();
        let home_total: f64 = home_weight.iter().sum();
        let mut types = Vec::new();
        for (kind, sizes) in SIZES.iter().enumerate() {
            for &(size, ps) in sizes.iter() {
                for (level, pl) in LEVEL_SHARE.iter().enumerate() {
                    for (home, w) in home_weight.iter().enumerate() {
                        let p = KIND_SHARE[kind] * ps * pl * w / home_total;
                        types.push((Profile { kind, size, level: level as u32, home }, p));
                    }
                }
            }
        }
        let expected_per_week: Vec<f64> = (0..weeks)
            .map(|t| config.per_week * (1.0 + 0.25 * (2.0 * std::f64::consts::PI * t as f64 / 52.0).sin()))
            .collect();
        let arrivals: Vec<Vec<Profile>> = expected_per_week
            .iter()
            .map(|&mean| {
                let n = (mean * rng.gen_range(0.85..1.15)).round() as usize;
                (0..n).map(|_| draw(&types, &mut rng)).collect()
            })
            .collect();
        // Bins: single centres, family centres and mixed ones, in random regions.
        let bin_region: Vec<usize> = (0..config.bins).map(|_| rng.gen_range(0..regions)).collect();
        let places: Vec<[u32; KINDS]> = (0..config.bins)
            .map(|_| match rng.gen_range(0..10) {
                0..=3 => [rng.gen_range(20..60), rng.gen_range(0..6), rng.gen_range(0..3)],
                4..=7 => [rng.gen_range(0..10), rng.gen_range(20..80), rng.gen_range(0..5)],
                _ => [rng.gen_range(10..30), rng.gen_range(10..40), rng.gen_range(0..4)],
            })
            .collect();
        // Places needed by the expected arrivals, per kind; releases are calibrated to them.
        let total_expected: f64 = expected_per_week.iter().sum();
        let mut demand = [0.0; KINDS];
        for &(t, p) in &types {
            demand[t.kind] += total_expected * p * f64::from(t.size);
        }
        // Places are held by households: a departure frees a whole room of the household's
        // size at once (a single bed, a family room), as in a real network.
        let mean_size: [f64; KINDS] = std::array::from_fn(|k| SIZES[k].iter().map(|&(s, p)| f64::from(s) * p).sum());
        let units: Vec<[u32; KINDS]> =
            places.iter().map(|p| std::array::from_fn(|k| (f64::from(p[k]) / mean_size[k]).round() as u32)).collect();
        let mut total_units = [0.0; KINDS];
        for u in &units {
            for k in 0..KINDS {
                total_units[k] += f64::from(u[k]);
            }
        }
        let freed = |units: &[u32; KINDS], prob: &[f64; KINDS], rng: &mut ChaCha8Rng| -> [u32; KINDS] {
            let mut out = [0u32; KINDS];
            for k in 0..KINDS {
                for _ in 0..units[k] {
                    if rng.gen_bool(prob[k]) {
                        out[k] += draw(SIZES[k], rng);
                    }
                }
            }
            out
        };
        let initial: Vec<[u32; KINDS]> = units.iter().map(|u| freed(u, &[INITIAL_FREE; KINDS], &mut rng)).collect();
        let mut release_prob = [0.0; KINDS];
        for k in 0..KINDS {
            let initially = total_units[k] * mean_size[k] * INITIAL_FREE;
            let needed = (config.supply_ratio * demand[k] - initially).max(0.0);
            release_prob[k] = (needed / (total_units[k] * mean_size[k] * weeks.max(1) as f64).max(1.0)).min(1.0);
        }
        let releases: Vec<Vec<[u32; KINDS]>> =
            (0..weeks).map(|_| units.iter().map(|u| freed(u, &release_prob, &mut rng)).collect()).collect();
        let expected_release =
            units.iter().map(|u| std::array::from_fn(|k| f64::from(u[k]) * release_prob[k] * mean_size[k])).collect();
        Self { bin_region, initial, releases, arrivals, expected_per_week, expected_release, types, care, regions }
    }

    /// Expected arrivals of `weeks`, as whole households per type: expected counts rounded by
    /// largest remainder, so that the total stays the expected total. Expected counts (not a
    /// random sample) keep the online policy deterministic and free of sampling noise; rare
    /// types round to 0, which only makes the prices slightly low for them.
    fn expected_arrivals(&self, weeks: std::ops::Range<usize>) -> Vec<(Profile, u32)> {
        let total: f64 = weeks.map(|w| self.expected_per_week.get(w).copied().unwrap_or(0.0)).sum();
        let exact: Vec<f64> = self.types.iter().map(|&(_, p)| p * total).collect();
        let mut counts: Vec<u32> = exact.iter().map(|e| e.floor() as u32).collect();
        let target = total.round() as u32;
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| (exact[b] - exact[b].floor()).total_cmp(&(exact[a] - exact[a].floor())).then(a.cmp(&b)));
        let mut short = target.saturating_sub(counts.iter().sum());
        for i in order {
            if short == 0 {
                break;
            }
            counts[i] += 1;
            short -= 1;
        }
        self.types.iter().zip(counts).filter(|&(_, c)| c > 0).map(|(&(t, _), c)| (t, c)).collect()
    }
}

fn draw<T: Copy>(items: &[(T, f64)], rng: &mut ChaCha8Rng) -> T {
    let total: f64 = items.iter().map(|&(_, p)| p).sum();
    let mut x = rng.gen_range(0.0..total);
    for &(item, p) in items {
        if x < p {
            return item;
        }
        x -= p;
    }
    items[items.len() - 1].0
}

fn group_by_type(households: &[Profile]) -> Vec<(Profile, u32)> {
    let mut map = BTreeMap::new();
    for &h in households {
        *map.entry(h).or_insert(0u32) += 1;
    }
    map.into_iter().collect()
}

/// The week's problem: every bin of the right kind that can hold one household, valued
/// `value(type, region) - size · price(bin, kind)`; options worth nothing are left out.
fn week_problem(
    year: &Year,
    free: &[[u32; KINDS]],
    types: &[(Profile, u32)],
    prices: Option<&[[f64; KINDS]]>,
) -> Problem {
    let bins = free.iter().map(|&capacity| Bin { capacity }).collect();
    let groups = types
        .iter()
        .map(|&(t, count)| {
            let options = (0..free.len())
                .filter(|&b| free[b][t.kind] >= t.size)
                .filter_map(|b| {
                    let price = prices.map_or(0.0, |p| p[b][t.kind] * f64::from(t.size));
                    let v = year.value(t, year.bin_region[b]) - price;
                    (v > 1e-9).then_some((b as u32, v))
                })
                .collect();
            Group { count, kind: t.kind, size: t.size, options }
        })
        .collect();
    Problem { bins, groups }
}

/// Applies a week's plan household by household; returns (raw value, households placed,
/// households that did not fit whole in their bin).
fn apply(
    year: &Year,
    free: &mut [[u32; KINDS]],
    types: &[(Profile, u32)],
    placed: &[Vec<(u32, u32)>],
) -> (f64, u64, u64) {
    let (mut value, mut n_placed, mut split) = (0.0, 0u64, 0u64);
    for (&(t, count), bins) in types.iter().zip(placed) {
        let total: u32 = bins.iter().map(|&(_, n)| n).sum();
        split += u64::from(total.saturating_sub(count));
        for &(b, n) in bins {
            for _ in 0..n {
                let room = &mut free[b as usize][t.kind];
                if *room >= t.size {
                    *room -= t.size;
                    value += year.value(t, year.bin_region[b as usize]);
                    n_placed += 1;
                } else {
                    split += 1;
                }
            }
        }
    }
    (value, n_placed, split)
}

fn add_releases(free: &mut [[u32; KINDS]], released: &[[u32; KINDS]]) {
    for (f, r) in free.iter_mut().zip(released) {
        for k in 0..KINDS {
            f[k] += r[k];
        }
    }
}

/// Runs the three policies on the year generated from `config`.
pub fn simulate_year(config: &YearConfig) -> Result<YearReport, PlanError> {
    let year = Year::generate(config);
    let weeks = config.weeks;
    let mut report = YearReport {
        online: 0.0,
        greedy: 0.0,
        hindsight: 0.0,
        online_ratio: 0.0,
        greedy_ratio: 0.0,
        households: year.arrivals.iter().map(|a| a.len() as u64).sum(),
        placed_online: 0,
        placed_greedy: 0,
        placed_hindsight: 0.0,
        families_split: 0,
        seconds_per_week_max: 0.0,
        seconds_hindsight: 0.0,
    };
    let mut free_online = year.initial.clone();
    let mut free_greedy = year.initial.clone();
    for week in 0..weeks {
        add_releases(&mut free_online, &year.releases[week]);
        add_releases(&mut free_greedy, &year.releases[week]);
        let types = group_by_type(&year.arrivals[week]);

        let started = Instant::now();
        let prices = potentials(&future_problem(&year, &free_online, &types, week, config.horizon_weeks))?;
        let plan = solve(&week_problem(&year, &free_online, &types, Some(&prices)), &config.limits)?;
        let (value, placed, split) = apply(&year, &mut free_online, &types, &plan.placed);
        report.seconds_per_week_max = report.seconds_per_week_max.max(started.elapsed().as_secs_f64());
        report.online += value;
        report.placed_online += placed;
        report.families_split += split;

        let plan = greedy(&week_problem(&year, &free_greedy, &types, None));
        let (value, placed, split) = apply(&year, &mut free_greedy, &types, &plan.placed);
        report.greedy += value;
        report.placed_greedy += placed;
        report.families_split += split;
    }
    let started = Instant::now();
    (report.hindsight, report.placed_hindsight) = hindsight_lp(&year)?;
    report.seconds_hindsight = started.elapsed().as_secs_f64();
    report.online_ratio = report.online / report.hindsight.max(1e-9);
    report.greedy_ratio = report.greedy / report.hindsight.max(1e-9);
    Ok(report)
}

/// What the potentials price capacity against: this week's actual arrivals plus the expected
/// arrivals of the next `horizon` weeks, against the free places now plus the places expected
/// to be released in those weeks (rounded). Both sides of the market are cut at the same time,
/// so a balanced network gets low prices and only real shortage holds places back.
///
/// Expected counts come from the generator's distribution (what a planner would estimate from
/// past arrivals), not from the actual future. Eight weeks rather than four: shorter horizons
/// see too little of a seasonal peak to hold places back for it (seed 1: ratio 0.980 with 4
/// weeks, 0.983 with 8; seeds 2 to 4 with 8 weeks: 0.980, 0.988, 0.980).
fn future_problem(year: &Year, free: &[[u32; KINDS]], now: &[(Profile, u32)], week: usize, horizon: usize) -> Problem {
    let end = (week + 1 + horizon).min(year.arrivals.len());
    let mut types: BTreeMap<Profile, u32> = now.iter().copied().collect();
    for (t, c) in year.expected_arrivals(week + 1..end) {
        *types.entry(t).or_insert(0) += c;
    }
    let weeks_ahead = (end - week - 1) as f64;
    let capacity: Vec<[u32; KINDS]> = free
        .iter()
        .zip(&year.expected_release)
        .map(|(f, e)| std::array::from_fn(|k| f[k] + (e[k] * weeks_ahead).round() as u32))
        .collect();
    // Pricing looks at every bin of the right kind, not only those with room today.
    let groups = types
        .into_iter()
        .map(|(t, count)| Group {
            count,
            kind: t.kind,
            size: t.size,
            options: (0..capacity.len())
                .filter(|&b| capacity[b][t.kind] >= t.size)
                .map(|b| (b as u32, year.value(t, year.bin_region[b])))
                .collect(),
        })
        .collect();
    Problem { bins: capacity.into_iter().map(|capacity| Bin { capacity }).collect(), groups }
}

/// Upper bound knowing the whole year: LP relaxation with, per region, kind and week, places
/// used up to that week <= initially free + released up to that week, each household placed
/// only in its arrival week or never.
///
/// Bins are pooled per region. Since values depend on the region only, this LP has the same
/// value as the per-bin LP relaxation (fractional placements can always be spread over the
/// region's bins in proportion to their free places), and it is far smaller.
fn hindsight_lp(year: &Year) -> Result<(f64, f64), PlanError> {
    let weeks = year.arrivals.len();
    let regions = year.regions;
    let mut supply = vec![vec![[0.0f64; KINDS]; regions]; weeks];
    for (b, &r) in year.bin_region.iter().enumerate() {
        for k in 0..KINDS {
            if weeks > 0 {
                supply[0][r][k] += f64::from(year.initial[b][k]);
            }
            for (w, released) in year.releases.iter().enumerate() {
                supply[w][r][k] += f64::from(released[b][k]);
            }
        }
    }
    let mut lp = ColProblem::default();
    let stock_row = |w: usize, r: usize, k: usize| (w * regions + r) * KINDS + k;
    let mut stock_rows = Vec::with_capacity(weeks * regions * KINDS);
    for week in &supply {
        for region in week {
            for &s in region {
                stock_rows.push(lp.add_row(s..=s));
            }
        }
    }
    let groups: Vec<Vec<(Profile, u32)>> = year.arrivals.iter().map(|a| group_by_type(a)).collect();
    let mut count_rows = Vec::new();
    for week in &groups {
        for &(_, count) in week {
            count_rows.push(lp.add_row(..=f64::from(count)));
        }
    }
    let mut i = 0;
    for (w, week) in groups.iter().enumerate() {
        for &(t, count) in week {
            for r in 0..regions {
                let factors = [(count_rows[i], 1.0), (stock_rows[stock_row(w, r, t.kind)], f64::from(t.size))];
                lp.add_column(year.value(t, r), 0.0..=f64::from(count), factors);
            }
            i += 1;
        }
    }
    let placement_columns = lp.num_cols();
    // Stock carried from week w to w + 1 (places left free).
    for w in 0..weeks {
        for r in 0..regions {
            for k in 0..KINDS {
                let mut factors = vec![(stock_rows[stock_row(w, r, k)], 1.0)];
                if w + 1 < weeks {
                    factors.push((stock_rows[stock_row(w + 1, r, k)], -1.0));
                }
                lp.add_column(0.0, 0.0.., factors);
            }
        }
    }
    if placement_columns == 0 {
        return Ok((0.0, 0.0));
    }
    let solved = run(lp, &RunOptions { time_limit_s: f64::INFINITY, relative_gap: 0.0, start: None })?;
    if solved.status() != HighsModelStatus::Optimal {
        return Err(PlanError::Solver(format!("hindsight LP ended with status {:?}", solved.status())));
    }
    let placed = solved.get_solution().columns()[..placement_columns].iter().sum();
    Ok((solved.objective_value(), placed))
}
