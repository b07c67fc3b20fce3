//! `nansen bench reception`: the monthly allowance at national scale. Registers `--households`
//! households through the writer (throwaway database: they are journaled like real ones), with
//! their offers answered, some waiting for a place and some decisions on their allowance, then
//! computes last month's payment twice from the store (read every household, every day's amount,
//! the payment file) and checks that both runs give the same file.

use std::time::Instant;

use nansen_domain::person::{BirthDate, Name, Sex};
use nansen_domain::reception::{
    AllowanceDecision, AllowanceMeasure, AsylumProcedure, HouseholdCommand, Member, NewHousehold, Offer, PayMonth,
    ReceptionCommand, Relationship,
};
use nansen_domain::{Language, Login};
use nansen_office::Office;
use nansen_store::{Action, Op, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Duration, OffsetDateTime, Time};

use crate::benchstats::usage;
use crate::CliError;

#[derive(clap::Args, Clone)]
pub struct ReceptionBenchArgs {
    /// Households registered before the run.
    #[arg(long, default_value_t = 120_000)]
    pub households: u32,
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

fn member(relationship: Relationship, year: i32, sex: Sex, n: u32) -> Member {
    Member {
        family_name: Name::latin_only(format!("Bench{n}")),
        given_names: Name::latin_only("A"),
        sex,
        birth_date: BirthDate::Year(year),
        relationship,
        foreigner_number: Some(format!("{:010}", 7_500_000_000u64 + u64::from(n))),
    }
}

pub async fn run(store: &Store, office: &Office, args: &ReceptionBenchArgs) -> Result<(), CliError> {
    let mut rng = ChaCha8Rng::seed_from_u64(args.seed);
    let agent = Login::parse("ofii.roux").map_err(usage)?;
    let director = Login::parse("dt.moreau").map_err(usage)?;
    let today = OffsetDateTime::now_utc().date();
    let month = PayMonth::of(PayMonth::of(today).first_day().previous_day().unwrap_or(today));
    let registered = month.first_day() - Duration::days(45);
    let at = |d: time::Date| OffsetDateTime::new_utc(d, Time::from_hms(9, 0, 0).unwrap_or(Time::MIDNIGHT));
    let language = Language::parse("ar").map_err(usage)?;
    let started = Instant::now();
    let mut ops = Vec::with_capacity(2000);
    let mut committed = 0u32;
    for n in 0..args.households {
        let id = store.next_household_id(registered.year()).await?;
        let mut members = vec![member(Relationship::Head, 1985 + (n % 20) as i32, Sex::Male, n)];
        if rng.gen_bool(0.4) {
            members.push(member(Relationship::Spouse, 1988, Sex::Female, n));
            for c in 0..rng.gen_range(0..4) {
                members.push(member(Relationship::Child, 2012 + c, Sex::Female, n));
            }
        }
        let accepted = rng.gen_bool(0.93);
        let commands = vec![
            HouseholdCommand::Register(NewHousehold {
                id: id.clone(),
                region: "IDF".into(),
                case: None,
                procedure: AsylumProcedure::Normal,
                language: language.clone(),
                members,
                address: "SPADA Paris, 4 rue de la Chapelle".into(),
            }),
            HouseholdCommand::DecideOffer(Offer {
                accepted,
                needs_accommodation: accepted && rng.gen_bool(0.5),
                signed_on: registered,
            }),
        ];
        let household = |command| ReceptionCommand::Household { id: id.clone(), command };
        ops.push(Op {
            actor: agent.clone(),
            now: at(registered),
            action: Action::Reception(commands.into_iter().map(household).collect()),
        });
        if accepted && rng.gen_bool(0.03) {
            let decided = registered + Duration::days(50);
            ops.push(Op {
                actor: director.clone(),
                now: at(decided),
                action: Action::Reception(vec![household(HouseholdCommand::DecideAllowance(AllowanceDecision {
                    measure: AllowanceMeasure::Reduce { percent: 20 },
                    from: decided,
                    reasons: "absent without a legitimate reason from two appointments of the agency".into(),
                    vulnerability_weighed: "the household's situation was weighed before the reduction".into(),
                }))]),
            });
        }
        if ops.len() >= 2000 {
            committed += commit(store, std::mem::take(&mut ops)).await?;
        }
    }
    committed += commit(store, ops).await?;
    let inserted = started.elapsed();
    println!(
        "registered {} households (with their offers; {committed} commits of a household's acts) in {:.1} s: {:.0} households/s",
        args.households,
        inserted.as_secs_f64(),
        f64::from(args.households) / inserted.as_secs_f64()
    );
    println!("| run | households read | households paid | total | time | SHA-256 of the file |");
    println!("|---|---|---|---|---|---|");
    let mut digests = Vec::new();
    for run in 1..=2 {
        let t = Instant::now();
        let computed = nansen_office::reception::allowance::compute(office, month).await.map_err(usage)?;
        let elapsed = t.elapsed();
        let digest = nansen_docs::objects::ContentHash::of(computed.file.as_bytes()).to_hex();
        println!(
            "| {run} ({month}) | {} | {} | {:.2} € | {:.2} s | {} |",
            args.households,
            computed.households,
            computed.total_cents as f64 / 100.0,
            elapsed.as_secs_f64(),
            &digest[..16]
        );
        digests.push(digest);
    }
    if digests.windows(2).any(|w| w[0] != w[1]) {
        return Err(CliError::Usage("the two runs gave different payment files".into()));
    }
    println!("both runs gave the same payment file");
    Ok(())
}

async fn commit(store: &Store, ops: Vec<Op>) -> Result<u32, CliError> {
    let mut n = 0;
    for result in store.execute(ops).await? {
        result.map_err(|e| CliError::Usage(format!("a bench household was refused: {e}")))?;
        n += 1;
    }
    Ok(n)
}
