//! Behaviour of `solve`, `greedy` and `potentials` on small instances.

use nansen_plan::simulate::{simulate_year, YearConfig};
use nansen_plan::{greedy, potentials, solve, Bin, Group, Limits, Plan, PlanError, Problem, Status, KINDS};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const FAMILY: usize = 1;

fn family(count: u32, size: u32, value: f64) -> Group {
    Group { count, kind: FAMILY, size, options: vec![(0, value)] }
}

/// Checks counts, capacities and that every household sits whole in one bin of its options.
fn assert_feasible(problem: &Problem, plan: &Plan) {
    assert_eq!(plan.placed.len(), problem.groups.len());
    let mut used = vec![[0u64; KINDS]; problem.bins.len()];
    let mut value = 0.0;
    for (group, placed) in problem.groups.iter().zip(&plan.placed) {
        let total: u64 = placed.iter().map(|&(_, n)| u64::from(n)).sum();
        assert!(total <= u64::from(group.count), "count exceeded");
        for &(bin, n) in placed {
            assert!(n > 0, "empty entry in plan");
            let option = group.options.iter().find(|&&(b, _)| b == bin).expect("placed in a bin that is no option");
            used[bin as usize][group.kind] += u64::from(n) * u64::from(group.size);
            value += f64::from(n) * option.1;
        }
    }
    for (bin, used) in problem.bins.iter().zip(&used) {
        for (&used, &capacity) in used.iter().zip(&bin.capacity) {
            assert!(used <= u64::from(capacity), "capacity exceeded");
        }
    }
    assert!((value - plan.objective).abs() <= 1e-6 * value.abs().max(1.0), "objective {} != {value}", plan.objective);
}

#[test]
fn mip_beats_greedy_on_a_hand_made_instance() {
    // One bin with 4 family places; a family of 3 worth 10, two families of 2 worth 7 each.
    let problem = Problem {
        bins: vec![Bin { capacity: [0, 4, 0] }],
        groups: vec![family(1, 3, 10.0), family(1, 2, 7.0), family(1, 2, 7.0)],
    };
    let plan = solve(&problem, &Limits::default()).expect("solve");
    assert_feasible(&problem, &plan);
    assert_eq!(plan.placed, vec![vec![], vec![(0, 1)], vec![(0, 1)]]);
    assert!((plan.objective - 14.0).abs() < 1e-9);
    assert_eq!(plan.status, Status::Optimal);
    assert!(plan.gap <= 1e-6 && (plan.bound - 14.0).abs() < 1e-6);

    // Greedy goes by value per place (3.5 > 3.33), so it also takes the two families of 2 ...
    let base = greedy(&problem);
    assert_feasible(&problem, &base);
    assert!((base.objective - 14.0).abs() < 1e-9);
    // ... but when the 3 is worth more per place it takes it first and blocks the bin.
    let problem =
        Problem { bins: vec![Bin { capacity: [0, 4, 0] }], groups: vec![family(1, 3, 12.0), family(2, 2, 7.0)] };
    let base = greedy(&problem);
    assert_feasible(&problem, &base);
    assert_eq!(base.placed, vec![vec![(0, 1)], vec![]]);
    assert!((base.objective - 12.0).abs() < 1e-9);
    assert_eq!(base.status, Status::WithinGap);
    assert!(base.bound >= 14.0 - 1e-6);
    let plan = solve(&problem, &Limits::default()).expect("solve");
    assert_feasible(&problem, &plan);
    assert_eq!(plan.placed, vec![vec![], vec![(0, 2)]]);
    assert!(plan.objective >= base.objective);
}

#[test]
fn families_are_never_split_across_bins() {
    // Two bins with 3 family places each: a family of 4 fits nowhere, even though 6 places are free.
    let problem = Problem {
        bins: vec![Bin { capacity: [0, 3, 0] }, Bin { capacity: [0, 3, 0] }],
        groups: vec![Group { count: 1, kind: FAMILY, size: 4, options: vec![(0, 50.0), (1, 50.0)] }],
    };
    let plan = solve(&problem, &Limits::default()).expect("solve");
    assert_eq!(plan.placed, vec![Vec::<(u32, u32)>::new()]);
    assert_eq!(greedy(&problem).placed, vec![Vec::<(u32, u32)>::new()]);
}

fn random_problem(seed: u64) -> Problem {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let bins: Vec<Bin> =
        (0..30).map(|_| Bin { capacity: [rng.gen_range(0..6), rng.gen_range(0..10), rng.gen_range(0..3)] }).collect();
    let groups = (0..25)
        .map(|_| {
            let kind = rng.gen_range(0..KINDS);
            let size = if kind == 0 { 1 } else { rng.gen_range(1..7) };
            let mut options = Vec::new();
            for b in 0..bins.len() as u32 {
                if rng.gen_bool(0.5) {
                    options.push((b, rng.gen_range(50.0..150.0)));
                }
            }
            Group { count: rng.gen_range(1..8), kind, size, options }
        })
        .collect();
    Problem { bins, groups }
}

#[test]
fn capacities_and_counts_hold_on_random_instances() {
    for seed in 0..8 {
        let problem = random_problem(seed);
        let plan = solve(&problem, &Limits::default()).expect("solve");
        assert_feasible(&problem, &plan);
        let base = greedy(&problem);
        assert_feasible(&problem, &base);
        assert!(plan.objective >= base.objective - 1e-6, "seed {seed}: MIP below greedy");
        assert!(plan.bound >= plan.objective - 1e-6);
        assert!(base.bound >= plan.objective * (1.0 - Limits::default().relative_gap) - 1e-6);
        assert!(matches!(plan.status, Status::Optimal | Status::WithinGap));
        assert!(plan.gap <= Limits::default().relative_gap + 1e-9);
    }
}

#[test]
fn solving_twice_gives_the_same_plan() {
    for seed in [3, 11] {
        let problem = random_problem(seed);
        let a = solve(&problem, &Limits::default()).expect("first solve");
        let b = solve(&problem, &Limits::default()).expect("second solve");
        assert_eq!(a.placed, b.placed);
        assert_eq!(a.objective, b.objective);
        assert_eq!(greedy(&problem).placed, greedy(&problem).placed);
    }
}

#[test]
fn bad_input_is_rejected() {
    let ok = || Problem { bins: vec![Bin { capacity: [1, 4, 1] }], groups: vec![family(1, 2, 5.0)] };
    let limits = Limits::default();
    let mut p = ok();
    p.groups[0].options[0].0 = 1;
    assert!(matches!(solve(&p, &limits), Err(PlanError::Invalid(_))));
    let mut p = ok();
    p.groups[0].kind = KINDS;
    assert!(matches!(solve(&p, &limits), Err(PlanError::Invalid(_))));
    let mut p = ok();
    p.groups[0].size = 0;
    assert!(matches!(solve(&p, &limits), Err(PlanError::Invalid(_))));
    let mut p = ok();
    p.groups[0].options[0].1 = f64::NAN;
    assert!(matches!(solve(&p, &limits), Err(PlanError::Invalid(_))));
    assert!(matches!(potentials(&p), Err(PlanError::Invalid(_))));
    let mut p = ok();
    p.groups[0].options.push((0, 3.0));
    assert!(matches!(solve(&p, &limits), Err(PlanError::Invalid(_))));
    let bad_limits = Limits { time_limit_s: 0.0, ..limits };
    assert!(matches!(solve(&ok(), &bad_limits), Err(PlanError::Invalid(_))));
    // Greedy never fails: it skips what it cannot use.
    let mut p = ok();
    p.groups[0].options.push((7, 9.0));
    assert_eq!(greedy(&p).placed, vec![vec![(0, 1)]]);
}

#[test]
fn empty_problems_are_trivially_optimal() {
    let plan = solve(&Problem::default(), &Limits::default()).expect("solve");
    assert_eq!(plan.status, Status::Optimal);
    assert_eq!(plan.objective, 0.0);
    let p = Problem { bins: vec![Bin { capacity: [0, 1, 0] }], groups: vec![family(2, 2, 5.0)] };
    let plan = solve(&p, &Limits::default()).expect("solve");
    assert_eq!(plan.placed, vec![Vec::<(u32, u32)>::new()]);
    assert_eq!(potentials(&p).expect("potentials"), vec![[0.0; KINDS]]);
}

#[test]
fn potentials_price_scarce_places_only() {
    // One place, two future households worth 10 and 4: the place is scarce.
    let scarce = Problem {
        bins: vec![Bin { capacity: [1, 0, 0] }],
        groups: vec![
            Group { count: 1, kind: 0, size: 1, options: vec![(0, 10.0)] },
            Group { count: 1, kind: 0, size: 1, options: vec![(0, 4.0)] },
        ],
    };
    let prices = potentials(&scarce).expect("potentials");
    assert_eq!(prices.len(), 1);
    assert!((4.0 - 1e-6..=10.0 + 1e-6).contains(&prices[0][0]), "price {}", prices[0][0]);
    assert_eq!(prices[0][1], 0.0);
    // One group alone that does not fit either: the place is still scarce.
    let crowded = Problem {
        bins: vec![Bin { capacity: [1, 0, 0] }],
        groups: vec![Group { count: 5, kind: 0, size: 1, options: vec![(0, 10.0)] }],
    };
    let prices = potentials(&crowded).expect("potentials");
    assert!((prices[0][0] - 10.0).abs() < 1e-6, "price {}", prices[0][0]);
    // Plenty of room: nothing to hold back.
    let abundant = Problem { bins: vec![Bin { capacity: [5, 0, 0] }], ..scarce.clone() };
    assert_eq!(potentials(&abundant).expect("potentials"), vec![[0.0; KINDS]]);
    // A family place priced per place: one family of 2 worth 10 and one of 2 worth 6 for 2 places.
    let families = Problem {
        bins: vec![Bin { capacity: [0, 2, 0] }, Bin { capacity: [0, 9, 0] }],
        groups: vec![family(1, 2, 10.0), family(1, 2, 6.0)],
    };
    let prices = potentials(&families).expect("potentials");
    assert!(prices[0][FAMILY] >= 3.0 - 1e-6 && prices[0][FAMILY] <= 5.0 + 1e-6, "price {}", prices[0][FAMILY]);
    assert!(prices.iter().flatten().all(|&p| p >= 0.0));
}

#[test]
fn small_year_simulation_is_consistent() {
    let config = YearConfig { weeks: 8, bins: 40, per_week: 20.0, ..YearConfig::default() };
    let report = simulate_year(&config).expect("simulation");
    assert_eq!(report.families_split, 0);
    assert!(report.households > 0);
    assert!(report.online > 0.0 && report.greedy > 0.0);
    assert!(report.online <= report.hindsight + 1e-6, "online {} > hindsight {}", report.online, report.hindsight);
    assert!(report.greedy <= report.hindsight + 1e-6, "greedy {} > hindsight {}", report.greedy, report.hindsight);
    assert!(report.placed_online <= report.households && report.placed_greedy <= report.households);
    let again = simulate_year(&config).expect("simulation");
    assert_eq!(report.online, again.online);
}
