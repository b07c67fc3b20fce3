//! Benchmarks of the planning adapter.
//!
//! `plan-bench national [--households 2500] [--bins 1000] [--seed 1]`: one synthetic national
//! weekly instance, solved with `solve` (15 s, 0.5 %) and `greedy`.
//! `plan-bench year [--seed 1] [--weeks 52] [--bins 300] [--per-week 60] [--horizon 4] [--supply 1.0]`:
//! the simulated year (horizon: weeks of expected arrivals the potentials look ahead;
//! supply: places becoming available over the year per place needed).
//! `plan-bench interviews [--size division|office] [--seed 1] [--time S]`: a synthetic week of
//! interviews planned by `solve_interviews` and `greedy_interviews`, both checked by `validate`.
//! `plan-bench replan [--size division|office] [--seed 1] [--time S]`: plan, take every
//! interview as convened, make the busiest officer absent all week, replan; then the same with the
//! busiest interpreter; time and changes.

use std::process::ExitCode;

use nansen_plan::simulate::{simulate_year, YearConfig};
use nansen_plan::{
    generate_interviews, greedy, greedy_interviews, interview_metrics, solve, solve_interviews, validate_interviews,
    Bin, Group, InterviewInstance, InterviewPlan, Limits, Problem, Size, KINDS,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const USAGE: &str = "usage: plan-bench national [--households N] [--bins N] [--seed N]\n       \
                     plan-bench year [--seed N] [--weeks N] [--bins N] [--per-week N] [--horizon N] [--supply R]\n       \
                     plan-bench interviews [--size division|office] [--seed N] [--time S]\n       \
                     plan-bench replan [--size division|office] [--seed N] [--time S]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("national") => national(&args[1..]),
        Some("year") => year(&args[1..]),
        Some("interviews") => interviews(&args[1..]),
        Some("replan") => replan(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs; every name must be one of `known`.
fn flags(args: &[String], known: &[&str]) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let key = name
            .strip_prefix("--")
            .filter(|k| known.contains(k))
            .ok_or_else(|| format!("unknown flag {name}\n{USAGE}"))?;
        let value = it.next().ok_or_else(|| format!("{name} needs a value"))?;
        let value: f64 = value.parse().map_err(|_| format!("{name}: not a number: {value}"))?;
        out.push((key.to_string(), value));
    }
    Ok(out)
}

fn flag(flags: &[(String, f64)], name: &str, default: f64) -> f64 {
    flags.iter().rev().find(|(k, _)| k == name).map_or(default, |&(_, v)| v)
}

const REGIONS: usize = 13;
/// Regions that host a registration centre: where households are registered from.
const REGISTRATION: [(usize, f64); 4] = [(0, 0.5), (4, 0.2), (8, 0.2), (11, 0.1)];

/// A household as the national instance sees it; households equal in all fields form a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Household {
    kind: usize,
    size: u32,
    level: u32,
    registered: usize,
    hospital: bool,
}

/// A synthetic weekly national instance: a network about 97 % full (a few free places per bin),
/// 13 regions, households grouped by (kind, size, level, region of registration, needs a hospital).
fn national_instance(households: usize, bins: usize, seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let position: Vec<(f64, f64)> = (0..REGIONS).map(|_| (rng.gen_range(0.0..1.0), rng.gen_range(0.0..1.0))).collect();
    let penalty = |a: usize, b: usize| {
        let (dx, dy) = (position[a].0 - position[b].0, position[a].1 - position[b].1);
        (40.0 * (dx * dx + dy * dy).sqrt()).round()
    };
    // The network scales with the arrivals; free places fall short of what the week needs
    // (about 90 % for single places, 65 % for family places): a tight week, where planning matters.
    let scale = households as f64 / bins as f64 / 2.5;
    let mut network = Vec::with_capacity(bins);
    for _ in 0..bins {
        let region = rng.gen_range(0..REGIONS);
        let class = rng.gen_range(0..4usize);
        let hospital = rng.gen_bool(0.3);
        let places: [f64; KINDS] = match rng.gen_range(0..10) {
            0..=3 => [rng.gen_range(40.0..110.0), rng.gen_range(0.0..10.0), rng.gen_range(0.0..4.0)],
            4..=7 => [rng.gen_range(0.0..20.0), rng.gen_range(80.0..240.0), rng.gen_range(0.0..4.0)],
            _ => [rng.gen_range(20.0..60.0), rng.gen_range(30.0..100.0), rng.gen_range(0.0..8.0)],
        };
        let free = places.map(|p| (0..(p * scale).round() as u32).filter(|_| rng.gen_bool(0.03)).count() as u32);
        network.push((region, class, hospital, free));
    }
    // A small value per bin class breaks the symmetry between otherwise equal bins.
    let noise: Vec<f64> = (0..REGIONS * 4 * 2).map(|_| rng.gen_range(0.0..5.0)).collect();
    let mut arrivals = std::collections::BTreeMap::new();
    for _ in 0..households {
        let kind = match rng.gen_range(0..100) {
            0..=54 => 0,
            55..=94 => 1,
            _ => 2,
        };
        let size = match kind {
            0 => 1,
            1 => [2, 2, 2, 3, 3, 3, 4, 4, 5, 6][rng.gen_range(0..10)],
            _ => [1, 1, 1, 2, 3][rng.gen_range(0..5)],
        };
        let level = [0, 0, 0, 0, 0, 0, 1, 1, 1, 2][rng.gen_range(0..10)];
        let mut pick = rng.gen_range(0.0..1.0);
        let mut registered = REGISTRATION[0].0;
        for &(r, p) in &REGISTRATION {
            if pick < p {
                registered = r;
                break;
            }
            pick -= p;
        }
        let hospital = level > 0 && rng.gen_bool(0.25);
        *arrivals.entry(Household { kind, size, level, registered, hospital }).or_insert(0u32) += 1;
    }
    let groups = arrivals
        .into_iter()
        .map(|(h, count)| {
            let options = network
                .iter()
                .enumerate()
                .filter(|(_, &(_, _, hospital, free))| free[h.kind] >= h.size && (hospital || !h.hospital))
                .map(|(b, &(region, class, hospital, _))| {
                    let v = 100.0 + 40.0 * f64::from(h.level) - penalty(h.registered, region)
                        + noise[(region * 4 + class) * 2 + usize::from(hospital)];
                    (b as u32, v)
                })
                .collect();
            Group { count, kind: h.kind, size: h.size, options }
        })
        .collect();
    Problem { bins: network.into_iter().map(|(_, _, _, capacity)| Bin { capacity }).collect(), groups }
}

fn national(args: &[String]) -> Result<(), String> {
    let f = flags(args, &["households", "bins", "seed"])?;
    let households = flag(&f, "households", 2500.0) as usize;
    let bins = flag(&f, "bins", 1000.0) as usize;
    let seed = flag(&f, "seed", 1.0) as u64;
    let problem = national_instance(households, bins, seed);
    let mut free = [0u64; KINDS];
    for b in &problem.bins {
        for (total, &capacity) in free.iter_mut().zip(&b.capacity) {
            *total += u64::from(capacity);
        }
    }
    let mut need = [0u64; KINDS];
    for g in &problem.groups {
        need[g.kind] += u64::from(g.count) * u64::from(g.size);
    }
    let options: usize = problem.groups.iter().map(|g| g.options.len()).sum();
    println!(
        "national instance: {households} households in {} groups, {bins} bins, {options} options",
        problem.groups.len()
    );
    println!("free places by kind {free:?}, places needed by kind {need:?}");
    let plan = solve(&problem, &Limits::default()).map_err(|e| e.to_string())?;
    let base = greedy(&problem);
    println!(
        "solve:  {:.2} s, status {:?}, gap {:.4} %, objective {:.1}, bound {:.1}, households placed {}",
        plan.seconds,
        plan.status,
        plan.gap * 100.0,
        plan.objective,
        plan.bound,
        plan.households_placed()
    );
    println!(
        "greedy: {:.2} s (incl. LP bound), objective {:.1} ({:.2} % of solve, gap to bound {:.2} %), households placed {}",
        base.seconds,
        base.objective,
        100.0 * base.objective / plan.objective.max(1e-9),
        base.gap * 100.0,
        base.households_placed()
    );
    Ok(())
}

fn year(args: &[String]) -> Result<(), String> {
    let f = flags(args, &["seed", "weeks", "bins", "per-week", "horizon", "supply"])?;
    let defaults = YearConfig::default();
    let config = YearConfig {
        seed: flag(&f, "seed", defaults.seed as f64) as u64,
        weeks: flag(&f, "weeks", defaults.weeks as f64) as usize,
        bins: flag(&f, "bins", defaults.bins as f64) as usize,
        per_week: flag(&f, "per-week", defaults.per_week),
        horizon_weeks: flag(&f, "horizon", defaults.horizon_weeks as f64) as usize,
        supply_ratio: flag(&f, "supply", defaults.supply_ratio),
        ..defaults
    };
    let started = std::time::Instant::now();
    let r = simulate_year(&config).map_err(|e| e.to_string())?;
    println!("{config:?}");
    println!(
        "households {}, placed online {}, placed greedy {}, placed hindsight LP {:.1}",
        r.households, r.placed_online, r.placed_greedy, r.placed_hindsight
    );
    println!("online {:.1}, greedy {:.1}, hindsight LP bound {:.1}", r.online, r.greedy, r.hindsight);
    println!(
        "online/hindsight {:.4}, greedy/hindsight {:.4}, families split {}",
        r.online_ratio, r.greedy_ratio, r.families_split
    );
    println!(
        "slowest online week {:.2} s, hindsight bound {:.2} s, total {:.1} s",
        r.seconds_per_week_max,
        r.seconds_hindsight,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Splits `--size division|office` off the numeric flags.
fn size_flag(args: &[String]) -> Result<(Size, Vec<String>), String> {
    let mut size = Size::Division;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--size" {
            size = match it.next().map(String::as_str) {
                Some("division") => Size::Division,
                Some("office") => Size::Office,
                other => return Err(format!("--size: division or office, not {other:?}")),
            };
        } else {
            rest.push(a.clone());
        }
    }
    Ok((size, rest))
}

fn report(name: &str, instance: &InterviewInstance, plan: &InterviewPlan) -> Result<(), String> {
    validate_interviews(instance, plan).map_err(|v| format!("{name}: invalid plan: {v}"))?;
    let m = interview_metrics(instance, plan);
    let short: usize = plan.shortages.iter().map(|s| s.cases.len()).sum();
    println!(
        "{name:7} {:7.2} s  status {:?}  gap {:.3} %  objective {:.1}  bound {:.1}\n        \
         planned {} (upper bound {})  held before deadline {}  due this week held {}/{}  \
         interpreter half-days {}  convened twice {}  sex requests honoured {}/{}  shortages {} groups, {} cases",
        plan.seconds,
        plan.status,
        plan.gap * 100.0,
        plan.objective,
        plan.bound,
        m.planned,
        m.placeable_upper_bound,
        m.held_before_deadline,
        m.due_in_horizon_held,
        m.due_in_horizon,
        m.interpreter_half_days,
        m.convened_twice,
        m.sex_honoured,
        m.sex_requests,
        plan.shortages.len(),
        short
    );
    Ok(())
}

fn interviews(args: &[String]) -> Result<(), String> {
    let (size, rest) = size_flag(args)?;
    let f = flags(&rest, &["seed", "time"])?;
    let seed = flag(&f, "seed", 1.0) as u64;
    let default_time = if size == Size::Office { 120.0 } else { 30.0 };
    let gap = if size == Size::Office { 0.01 } else { 0.005 };
    let limits = Limits { time_limit_s: flag(&f, "time", default_time), relative_gap: gap };
    let instance = generate_interviews(seed, size);
    println!(
        "interviews {size:?} seed {seed}: {} candidates, {} officers, {} interpreters, {} rooms, {} half-days; limits {limits:?}",
        instance.candidates.len(),
        instance.officers.len(),
        instance.interpreters.len(),
        instance.rooms.len(),
        instance.slots
    );
    let plan = solve_interviews(&instance, &limits).map_err(|e| e.to_string())?;
    report("solve", &instance, &plan)?;
    let base = greedy_interviews(&instance).map_err(|e| e.to_string())?;
    report("greedy", &instance, &base)?;
    Ok(())
}

fn replan(args: &[String]) -> Result<(), String> {
    let (size, rest) = size_flag(args)?;
    let f = flags(&rest, &["seed", "time"])?;
    let seed = flag(&f, "seed", 1.0) as u64;
    let limits = Limits { time_limit_s: flag(&f, "time", 30.0), relative_gap: 0.005 };
    let mut instance = generate_interviews(seed, size);
    let plan = solve_interviews(&instance, &limits).map_err(|e| e.to_string())?;
    report("plan", &instance, &plan)?;
    instance.fixed = plan.interviews.iter().map(|p| p.convocation.clone()).collect();
    let convened = instance.clone();
    // The officer with the most convocations is absent all week.
    let mut load = vec![0usize; instance.officers.len()];
    for p in &plan.interviews {
        load[p.officer] += 1;
    }
    let absent = (0..load.len()).max_by_key(|&o| (load[o], std::cmp::Reverse(o))).ok_or("no officers")?;
    instance.officers[absent].available.iter_mut().for_each(|a| *a = false);
    instance.replanning = true;
    let replan_limits = Limits { time_limit_s: 5.0, relative_gap: 0.005 };
    let again = solve_interviews(&instance, &replan_limits).map_err(|e| e.to_string())?;
    report("replan", &instance, &again)?;
    let rebooked = again.changes.len() - again.new_convocations();
    println!(
        "officer {absent} absent ({} convocations): replanned in {:.2} s, {} new convocations (moved or cancelled), \
         {rebooked} rebooked (same half-day, other interpreter or room), {} kept",
        load[absent],
        again.seconds,
        again.new_convocations(),
        instance.fixed.len() - again.changes.len()
    );
    let base = greedy_interviews(&instance).map_err(|e| e.to_string())?;
    report("greedy", &instance, &base)?;
    println!("greedy replan: {} new convocations", base.new_convocations());

    // Second scenario: the interpreter with the most convocations is absent all week.
    let mut instance = convened;
    let mut load = vec![0usize; instance.interpreters.len()];
    for i in plan.interviews.iter().filter_map(|p| p.convocation.interpreter) {
        load[i] += 1;
    }
    let absent = (0..load.len()).max_by_key(|&i| (load[i], std::cmp::Reverse(i))).ok_or("no interpreters")?;
    instance.interpreters[absent].available.iter_mut().for_each(|a| *a = false);
    instance.replanning = true;
    let again = solve_interviews(&instance, &replan_limits).map_err(|e| e.to_string())?;
    report("replan", &instance, &again)?;
    println!(
        "interpreter {absent} absent ({} convocations): replanned in {:.2} s, {} new convocations, {} rebooked, {} kept",
        load[absent],
        again.seconds,
        again.new_convocations(),
        again.changes.len() - again.new_convocations(),
        instance.fixed.len() - again.changes.len()
    );
    let base = greedy_interviews(&instance).map_err(|e| e.to_string())?;
    println!(
        "greedy replan: {} new convocations, {} rebooked",
        base.new_convocations(),
        base.changes.len() - base.new_convocations()
    );
    Ok(())
}
