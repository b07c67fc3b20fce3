//! `nansen bench orientation`: one national weekly orientation at the scale of the issue
//! (2,500 households to orient × 1,000 structures), in memory: the domain builds the problem
//! (candidates, hard constraints, values), the planning adapter solves it with HiGHS (values
//! less the potentials of the weeks still expected this month), beside the greedy baseline on
//! the same problem. Prints the time to build, the solver's time, status and gap, both
//! objectives and households placed, and checks that no family is split and no place is
//! given twice.

use std::collections::BTreeMap;
use std::time::Instant;

use nansen_domain::person::{BirthDate, Name, Sex};
use nansen_domain::protection::Department;
use nansen_domain::reception::{
    orientation_problem, Assessment, AsylumProcedure, Household, HouseholdCommand, HouseholdId, MedicalOpinion,
    MedicalPriority, Member, Need, NewHousehold, NewStructure, Offer, PlaceKind, Places, ReceptionRules, Relationship,
    Structure, StructureCode, StructureCommand, StructureKind, VulnerabilityKind,
};
use nansen_domain::Language;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, OffsetDateTime};

use crate::benchstats::usage;
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct OrientationBenchArgs {
    /// Households of Île-de-France awaiting a place (the candidates).
    #[arg(long, default_value_t = 2_500)]
    pub households: u32,
    #[arg(long, default_value_t = 1_000)]
    pub structures: u32,
    /// Weeks still expected this month (the potentials hold capacity back for them).
    #[arg(long, default_value_t = 2)]
    pub weeks_left: u32,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

fn applied<A: nansen_domain::reception::Aggregate>(
    state: A,
    command: &A::Command,
    rules: &ReceptionRules,
    today: Date,
) -> Result<A, CliError> {
    let events = state.decide_on(command, rules, today).map_err(|e| CliError::Usage(e.to_string()))?;
    Ok(events.iter().fold(state, |s, e| s.evolve_by(e)))
}

fn network(
    args: &OrientationBenchArgs,
    rng: &mut ChaCha8Rng,
    rules: &ReceptionRules,
    today: Date,
) -> Result<Vec<Structure>, CliError> {
    let mut out = Vec::new();
    let regions = rules.regions();
    let mut n = 0;
    for region in regions {
        let count = (args.structures * region.share_permille).div_ceil(1000);
        for _ in 0..count {
            n += 1;
            let dept = &region.departments[rng.gen_range(0..region.departments.len())];
            let kind = match rng.gen_range(0..100) {
                0..45 => StructureKind::Cada,
                45..85 => StructureKind::Huda,
                85..95 => StructureKind::Caes,
                _ => StructureKind::Cph,
            };
            let total = rng.gen_range(40..190u32);
            let accessible = total / 25;
            let family = total * rng.gen_range(35..65) / 100;
            let places = Places { single: total - family - accessible, family, accessible };
            let new = NewStructure {
                code: StructureCode::parse(&format!("B-{dept}-{n:04}")).map_err(usage)?,
                name: format!("Centre {n}"),
                kind,
                operator: "adoma".into(),
                department: Department::parse(dept).map_err(usage)?,
                places,
                hospital_nearby: rng.gen_bool(0.4),
                opened_on: today - Duration::days(400),
            };
            let s = applied(Structure::default(), &StructureCommand::Open(new), rules, today)?;
            // A network about 97 % full: a few free places per structure, none in some.
            let occupied = |p: u32, rng: &mut ChaCha8Rng| p - rng.gen_range(0..=(p / 12).min(p));
            let declared = Places {
                single: occupied(places.single, rng),
                family: occupied(places.family, rng),
                accessible: occupied(places.accessible, rng),
            };
            let s = applied(s, &StructureCommand::DeclareOccupancy { occupied: declared, on: today }, rules, today)?;
            out.push(s);
        }
    }
    Ok(out)
}

fn member(relationship: Relationship, born: Date, sex: Sex) -> Member {
    Member {
        family_name: Name::latin_only("Bench"),
        given_names: Name::latin_only("A"),
        sex,
        birth_date: BirthDate::Exact(born),
        relationship,
        foreigner_number: None,
    }
}

fn households(
    args: &OrientationBenchArgs,
    rng: &mut ChaCha8Rng,
    rules: &ReceptionRules,
    today: Date,
) -> Result<Vec<Household>, CliError> {
    let language = Language::parse("ar").map_err(usage)?;
    let mut out = Vec::new();
    // The candidates (Île-de-France), and a third as many awaiting elsewhere, so that the
    // demand's shares are those of a real week (Île-de-France far above its share).
    let others = ["ARA", "HDF", "GES", "PAC", "OCC", "NAQ"];
    let total = args.households + args.households / 3;
    for n in 0..total {
        let region = if n < args.households { "IDF" } else { others[(n as usize) % others.len()] };
        let head_born = today - Duration::days(rng.gen_range(20 * 365..60 * 365));
        let head_born = head_born.min(today - Duration::days(19 * 365));
        let mut members = vec![member(Relationship::Head, head_born, Sex::Male)];
        if rng.gen_bool(0.45) {
            members.push(member(Relationship::Spouse, head_born + Duration::days(400), Sex::Female));
            for _ in 0..rng.gen_range(0..4) {
                members.push(member(
                    Relationship::Child,
                    today - Duration::days(rng.gen_range(365..15 * 365)),
                    Sex::Female,
                ));
            }
        }
        let id = HouseholdId::new(today.year(), n + 1).map_err(usage)?;
        let new = NewHousehold {
            id,
            region: region.into(),
            case: None,
            procedure: AsylumProcedure::Normal,
            language: language.clone(),
            members,
            address: "SPADA, 4 rue de la Chapelle, Paris".into(),
        };
        // Registered over the last eight weeks: the backlog a region above its share carries.
        let registered = today - Duration::days(rng.gen_range(0..56));
        let mut h = applied(Household::default(), &HouseholdCommand::Register(new), rules, registered)?;
        let mut needs = std::collections::BTreeSet::new();
        if rng.gen_bool(0.2) {
            needs.insert(Need { member: 0, kind: VulnerabilityKind::Torture });
        }
        let accessible = rng.gen_bool(0.03);
        let assessment = Assessment { on: today, needs, accessible_place: accessible, notes: String::new() };
        h = applied(h, &HouseholdCommand::AssessVulnerability(assessment), rules, today)?;
        if rng.gen_bool(0.08) {
            let opinion = MedicalOpinion {
                on: today,
                priority: MedicalPriority::FollowUp,
                hospital_nearby: true,
                accessible_place: false,
                notes: "specialised follow-up needed".into(),
            };
            h = applied(h, &HouseholdCommand::RecordMedicalOpinion(opinion), rules, today)?;
        }
        let offer = Offer { accepted: true, needs_accommodation: true, signed_on: today };
        h = applied(h, &HouseholdCommand::DecideOffer(offer), rules, today)?;
        out.push(h);
    }
    Ok(out)
}

pub fn run(args: &OrientationBenchArgs) -> Result<(), CliError> {
    let rules = ReceptionRules::embedded();
    let today = OffsetDateTime::now_utc().date();
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let structures = network(args, &mut rng, rules, today)?;
    let households = households(args, &mut rng, rules, today)?;
    let free: u32 = structures.iter().map(|s| PlaceKind::ALL.iter().map(|k| s.free(*k)).sum::<u32>()).sum();
    println!(
        "network: {} structures, {} places, {free} free; {} households awaiting a place, {} of them in IDF",
        structures.len(),
        structures.iter().map(|s| s.places.total()).sum::<u32>(),
        households.len(),
        args.households
    );
    let started = Instant::now();
    let mut problem = orientation_problem(&households, &structures, &BTreeMap::new(), rules, today)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    problem.groups.retain(|g| g.from_region == "IDF");
    let built = started.elapsed();
    let options: usize = problem.groups.iter().map(|g| g.options.len()).sum();
    println!(
        "problem built in {:.2} s: {} groups of interchangeable households, {} sites with free places, {options} (group, site) options",
        built.as_secs_f64(),
        problem.groups.len(),
        problem.sites.len()
    );
    let solving = Instant::now();
    let (plan, greedy) = nansen_office::reception::orientation::solve(&problem, args.weeks_left)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let solved = solving.elapsed();
    // Every household in one site, no site over its free places of any kind.
    let mut used = vec![[0u32; 3]; problem.sites.len()];
    for (g, placed) in problem.groups.iter().zip(&plan.placed) {
        let n: u32 = placed.iter().map(|(_, n)| n).sum();
        if n as usize > g.households.len() {
            return Err(CliError::Usage("a group placed more households than it has".into()));
        }
        for (bin, n) in placed {
            used[*bin as usize][nansen_domain::reception::kind_slot(g.kind)] += n * g.persons;
        }
    }
    let over = used.iter().zip(&problem.free).any(|(u, f)| (0..3).any(|k| u[k] > f[k]));
    println!(
        "HiGHS: {:.2} s (wall {:.2} s), {:?}, gap {:.3} %, objective {:.1} (bound {:.1}), {} households placed",
        plan.seconds,
        solved.as_secs_f64(),
        plan.status,
        plan.gap * 100.0,
        plan.objective,
        plan.bound,
        plan.households_placed()
    );
    println!(
        "greedy: objective {:.1} ({:.2} % of HiGHS), {} households placed",
        greedy.objective,
        if plan.objective > 0.0 { 100.0 * greedy.objective / plan.objective } else { 100.0 },
        greedy.households_placed()
    );
    println!(
        "families split: 0 by construction (one household = one site); places over capacity: {}",
        if over { "YES" } else { "none" }
    );
    if over {
        return Err(CliError::Usage("a site was given more places than it has free".into()));
    }
    Ok(())
}
