//! The demo's reception agency: the national network (13 regions, about a thousand structures,
//! some 113,800 places, occupancy declared by their operators), households registered at the
//! single windows for applications of the demo (assessed, some seen by the doctor, the offer
//! answered, many placed, a few decisions on the allowance), and last month's allowance paid.
//! Everything goes through the domain as real acts do, at the days it says; seeded, so the same
//! seed gives the same network and households.

use nansen_domain::lifecycle::Case;
use nansen_domain::person::{FamilyRole, Sex};
use nansen_domain::protection::Department;
use nansen_domain::reception::{
    check_foreigner_number, AllowanceDecision, AllowanceMeasure, Assessment, AsylumProcedure, HouseholdCommand,
    LeaveReason, MedicalOpinion, MedicalPriority, Member, Need, NewHousehold, NewStructure, Offer, PayMonth, PlaceKind,
    Places, ReceptionCommand, ReceptionRules, Relationship, StructureCode, StructureCommand, StructureKind,
    VulnerabilityKind,
};
use nansen_domain::{CaseNumber, Login, Procedure};
use nansen_office::Office;
use nansen_store::{Action, CaseFilter, Op, Store};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, OffsetDateTime, Time};

use crate::CliError;

/// The national capacity the demo network adds up to (places on 9 January 2025: 113,832).
const CAPACITY: u32 = 113_800;
/// Structures in the network.
const STRUCTURES: u32 = 1000;
/// Operators of the network and the login of each one's manager.
const OPERATORS: [(&str, &str); 6] = [
    ("adoma", "gest.adoma"),
    ("coallia", "gest.coallia"),
    ("france-terre-asile", "gest.fta"),
    ("forum-refugies", "gest.forum"),
    ("croix-rouge", "gest.croixrouge"),
    ("cos", "gest.cos"),
];
/// Households registered, at most (one per recent application of the demo).
const HOUSEHOLDS: u32 = 600;
const DIRECTOR: &str = "dt.moreau";
const DOCTOR: &str = "med.ferreira";

fn login(s: &str) -> Result<Login, CliError> {
    Login::parse(s).map_err(|e| CliError::Usage(e.to_string()))
}

fn at(day: Date) -> OffsetDateTime {
    OffsetDateTime::new_utc(day, Time::from_hms(10, 0, 0).unwrap_or(Time::MIDNIGHT))
}

fn op(actor: &Login, day: Date, commands: Vec<ReceptionCommand>) -> Op {
    Op { actor: actor.clone(), now: at(day), action: Action::Reception(commands) }
}

/// Commits operations in batches; a refusal is a bug of the demo and stops it.
async fn commit(store: &Store, ops: Vec<Op>) -> Result<(), CliError> {
    for chunk in ops.chunks(400) {
        for (i, result) in store.execute(chunk.to_vec()).await?.into_iter().enumerate() {
            if let Err(e) = result {
                let what = chunk.get(i).map(|o| format!("{:?}", o.action)).unwrap_or_default();
                let what: String = what.chars().take(300).collect();
                return Err(CliError::Usage(format!("a demo reception act was refused: {e} ({what})")));
            }
        }
    }
    Ok(())
}

/// One structure of the demo network, kept to place households.
struct Built {
    code: StructureCode,
    region: String,
    kind: StructureKind,
    places: Places,
    occupied: Places,
}

impl Built {
    fn free(&self, kind: PlaceKind) -> u32 {
        self.places.of(kind).saturating_sub(self.occupied.of(kind))
    }
}

/// Structures of a region, their places spread over them.
fn network(rules: &ReceptionRules, rng: &mut ChaCha8Rng) -> Result<Vec<(NewStructure, Places)>, CliError> {
    let mut out = Vec::new();
    let mut serial = 0;
    for region in rules.regions() {
        let count = (STRUCTURES * region.share_permille).div_ceil(1000).max(1);
        let capacity = CAPACITY * region.share_permille / 1000;
        for i in 0..count {
            serial += 1;
            let department = &region.departments[(i as usize) % region.departments.len()];
            // CADA and HUDA make most of the network; CAES and CPH a tenth each.
            let kind = match rng.gen_range(0..100) {
                0..=41 => StructureKind::Cada,
                42..=83 => StructureKind::Huda,
                84..=91 => StructureKind::Caes,
                _ => StructureKind::Cph,
            };
            let share = capacity / count;
            let total = if i + 1 == count { capacity - share * (count - 1) } else { share };
            let jitter = rng.gen_range(0..=total / 5);
            let total = (total + jitter).saturating_sub(total / 10).max(12);
            let accessible = (total / 20).max(1);
            let family = total * 55 / 100;
            let single = total - family - accessible;
            let places = Places { single, family, accessible };
            let rate = rng.gen_range(88..=99);
            let occupied = Places {
                single: single * rate / 100,
                family: family * rate / 100,
                accessible: accessible * rate / 100,
            };
            let (operator, _) = OPERATORS[rng.gen_range(0..OPERATORS.len())];
            let code = StructureCode::parse(&format!("{}-{department}-{serial:03}", kind.as_str()))
                .map_err(|e| CliError::Usage(e.to_string()))?;
            let department = Department::parse(department).map_err(|e| CliError::Usage(e.to_string()))?;
            let name = format!("{} {} n° {serial}", kind.as_str().to_uppercase(), region.name);
            out.push((
                NewStructure {
                    code,
                    name,
                    kind,
                    operator: operator.to_owned(),
                    department,
                    places,
                    hospital_nearby: rng.gen_bool(0.6),
                    opened_on: Date::from_calendar_date(2015 + rng.gen_range(0..9), time::Month::January, 1)
                        .unwrap_or(Date::MIN),
                },
                occupied,
            ));
        }
    }
    Ok(out)
}

/// A member of the household from a person of the application.
fn member(p: &nansen_domain::Person, foreigner: Option<String>) -> Member {
    Member {
        family_name: p.family_name.clone(),
        given_names: p.given_names.clone(),
        sex: p.sex,
        birth_date: p.birth_date,
        relationship: match p.role {
            FamilyRole::Applicant => Relationship::Head,
            FamilyRole::Spouse => Relationship::Spouse,
            FamilyRole::Child => Relationship::Child,
            FamilyRole::Parent => Relationship::Parent,
            FamilyRole::Sibling => Relationship::Sibling,
            FamilyRole::Other => Relationship::Other,
        },
        foreigner_number: foreigner,
    }
}

/// The region of a single window: Île-de-France takes about 46 % of the demand.
fn region_of(rules: &ReceptionRules, rng: &mut ChaCha8Rng) -> String {
    if rng.gen_bool(0.46) {
        return "IDF".into();
    }
    let others: Vec<_> = rules.regions().iter().filter(|r| r.code != "IDF").collect();
    let total: u32 = others.iter().map(|r| r.share_permille).sum();
    let mut pick = rng.gen_range(0..total);
    for r in &others {
        if pick < r.share_permille {
            return r.code.clone();
        }
        pick -= r.share_permille;
    }
    "IDF".into()
}

/// Builds the network and the households; returns (structures, places, households).
pub async fn agency(store: &Store, office: &Office, seed: u64, today: Date) -> Result<(usize, u32, usize), CliError> {
    let rules = ReceptionRules::embedded();
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x0F11);
    let director = login(DIRECTOR)?;
    let doctor = login(DOCTOR)?;
    let opened_day = today - Duration::days(400);
    let declared_day = today - Duration::days(370);

    // The network: opened by the regional director, occupancy declared by each operator.
    let structures = network(rules, &mut rng)?;
    let mut ops = Vec::with_capacity(structures.len() * 2);
    let mut built = Vec::with_capacity(structures.len());
    let mut places_total = 0;
    for (new, occupied) in &structures {
        let manager = OPERATORS.iter().find(|(o, _)| *o == new.operator).map(|(_, m)| *m).unwrap_or(DIRECTOR);
        places_total += new.places.total();
        let region = rules.region_of(&new.department).map(|r| r.code.clone()).unwrap_or_default();
        let mut opened = new.clone();
        opened.opened_on = opened.opened_on.min(opened_day);
        ops.push(op(
            &director,
            opened_day,
            vec![ReceptionCommand::Structure { code: new.code.clone(), command: StructureCommand::Open(opened) }],
        ));
        ops.push(op(
            &login(manager)?,
            declared_day,
            vec![ReceptionCommand::Structure {
                code: new.code.clone(),
                command: StructureCommand::DeclareOccupancy { occupied: *occupied, on: declared_day },
            }],
        ));
        built.push(Built { code: new.code.clone(), region, kind: new.kind, places: new.places, occupied: *occupied });
    }
    commit(store, ops).await?;

    // Households for the most recent applications of the demo.
    let summaries = store.list_cases(&CaseFilter { limit: HOUSEHOLDS * 3, ..Default::default() }).await?;
    let mut cases: Vec<Case> = Vec::new();
    for s in summaries {
        let Ok(number) = CaseNumber::parse(&s.number) else { continue };
        if let Some(case) = store.case(&number).await? {
            if case.introduced_on > today - Duration::days(300) {
                cases.push(case);
            }
        }
    }
    cases.sort_by_key(|c| c.number);
    cases.truncate(HOUSEHOLDS as usize);
    let agents: Vec<(String, Login)> = super::staff::AGENCY
        .iter()
        .filter(|a| a.2 == "reception_agent")
        .filter_map(|a| Login::parse(a.0).ok().map(|l| (a.3.to_owned(), l)))
        .collect();
    let fallback_agent = login("ofii.roux")?;
    let mut ops = Vec::new();
    let mut later = Vec::new();
    let mut households = 0;
    for case in &cases {
        let registered = (case.introduced_on - Duration::days(rng.gen_range(3..15))).max(today - Duration::days(320));
        let year = registered.year();
        let region = region_of(rules, &mut rng);
        let agent = agents.iter().find(|(r, _)| *r == region).map(|(_, l)| l.clone()).unwrap_or(fallback_agent.clone());
        let foreigner = check_foreigner_number(&format!(
            "{:02}{:08}",
            (case.number.seq() % 90) + 10,
            rng.gen_range(0..100_000_000u32)
        ))
        .ok();
        let mut members = vec![member(&case.applicant, foreigner)];
        members.extend(case.family.iter().map(|p| member(p, None)));
        let procedure = match case.procedure {
            Procedure::Accelerated(_) => AsylumProcedure::Accelerated,
            _ if rng.gen_bool(0.08) => AsylumProcedure::Dublin,
            _ => AsylumProcedure::Normal,
        };
        let address = format!("SPADA {region}, {} rue de la République", rng.gen_range(1..120));
        // The numbers a running agency would take next come from the same counter.
        let id = store.next_household_id(year).await?;
        let mut new = NewHousehold {
            id: id.clone(),
            region: region.clone(),
            case: Some(case.number),
            procedure,
            language: case.language.clone(),
            members: members.clone(),
            address,
        };
        // The application's family as the generator made it may not fit a household's rules
        // (a minor applicant alone, ages that contradict the links): the head alone, or none.
        let check = |new: &NewHousehold| {
            nansen_domain::reception::Household::default()
                .decide(&HouseholdCommand::Register(new.clone()), rules, registered)
                .is_ok()
        };
        if !check(&new) {
            new.members.truncate(1);
            members.truncate(1);
            if !check(&new) {
                continue;
            }
        }
        let register = HouseholdCommand::Register(new);
        let hid = |command| ReceptionCommand::Household { id: id.clone(), command };
        let mut steps = vec![hid(register)];
        // The assessment: some points found at the single window.
        let mut needs = std::collections::BTreeSet::new();
        let adult_woman = members.iter().position(|m| m.sex == Sex::Female && m.is_adult(registered));
        if rng.gen_bool(0.12) {
            needs.insert(Need { member: 0, kind: VulnerabilityKind::Torture });
        }
        if rng.gen_bool(0.06) {
            needs.insert(Need { member: 0, kind: VulnerabilityKind::SeriousIllness });
        }
        if let Some(w) = adult_woman.filter(|_| rng.gen_bool(0.1)) {
            needs.insert(Need { member: w, kind: VulnerabilityKind::Pregnancy });
        }
        let medical = needs.iter().any(|n| n.kind.is_medical());
        steps.push(hid(HouseholdCommand::AssessVulnerability(Assessment {
            on: registered,
            needs,
            accessible_place: rng.gen_bool(0.03),
            notes: String::new(),
        })));
        let accepted = rng.gen_bool(0.92);
        let needs_accommodation = accepted && rng.gen_bool(0.75);
        steps.push(hid(HouseholdCommand::DecideOffer(Offer { accepted, needs_accommodation, signed_on: registered })));
        ops.push(op(&agent, registered, steps));
        households += 1;

        if medical && rng.gen_bool(0.7) {
            let day = (registered + Duration::days(10)).min(today);
            let opinion = MedicalOpinion {
                on: day,
                priority: if rng.gen_bool(0.3) { MedicalPriority::Priority } else { MedicalPriority::FollowUp },
                hospital_nearby: true,
                accessible_place: false,
                notes: "Suivi spécialisé nécessaire ; certificat médical confidentiel conservé au service médical."
                    .into(),
            };
            later.push(op(&doctor, day, vec![hid(HouseholdCommand::RecordMedicalOpinion(opinion))]));
        }
        // A place in the region for most of those who asked, when one is free.
        if needs_accommodation && rng.gen_bool(0.65) {
            let day = registered + Duration::days(rng.gen_range(5..60));
            if day <= today {
                let kind = if members.len() > 1 { PlaceKind::Family } else { PlaceKind::Single };
                let persons = members.len() as u32;
                let start = rng.gen_range(0..built.len());
                let found = (0..built.len()).map(|i| (start + i) % built.len()).find(|&i| {
                    let b = &built[i];
                    b.region == region && b.kind != StructureKind::Cph && b.free(kind) >= persons
                });
                if let Some(i) = found {
                    let b = &mut built[i];
                    match kind {
                        PlaceKind::Single => b.occupied.single += persons,
                        PlaceKind::Family => b.occupied.family += persons,
                        PlaceKind::Accessible => b.occupied.accessible += persons,
                    }
                    let code = b.code.clone();
                    later.push(op(
                        &agent,
                        day,
                        vec![
                            ReceptionCommand::Structure {
                                code: code.clone(),
                                command: StructureCommand::Admit { household: id.clone(), kind, persons, on: day },
                            },
                            hid(HouseholdCommand::Arrive { structure: code.clone(), kind, on: day }),
                        ],
                    ));
                    // A few leave of their own accord.
                    let left = day + Duration::days(rng.gen_range(20..90));
                    if rng.gen_bool(0.05) && left <= today {
                        later.push(op(
                            &agent,
                            left,
                            vec![
                                ReceptionCommand::Structure {
                                    code: code.clone(),
                                    command: StructureCommand::Release { household: id.clone(), on: left },
                                },
                                hid(HouseholdCommand::Leave { on: left, reason: LeaveReason::LeftVoluntarily }),
                            ],
                        ));
                        if accepted && region == "IDF" {
                            let decided = left + Duration::days(20);
                            if decided <= today {
                                later.push(op(
                                    &director,
                                    decided,
                                    vec![hid(HouseholdCommand::DecideAllowance(AllowanceDecision {
                                        measure: AllowanceMeasure::Suspend,
                                        from: decided,
                                        reasons: "Le foyer a quitté sans motif légitime l'hébergement proposé, et ne \
                                                  s'est pas présenté à deux convocations de l'OFII."
                                            .into(),
                                        vulnerability_weighed: "Situation du foyer examinée : pas d'élément de \
                                                                vulnérabilité s'opposant à la suspension."
                                            .into(),
                                    }))],
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    // The vulnerable households' decisions weigh their vulnerability too; the ones above are
    // written for that. Registrations first, then what followed, in time order.
    commit(store, ops).await?;
    later.sort_by_key(|o| o.now);
    commit(store, later).await?;

    // Last month's allowance, paid on the 5th of this month by the regional director.
    let this_month = PayMonth::of(today);
    let last_month = PayMonth::of(this_month.first_day().previous_day().unwrap_or(today));
    let pay_day = (this_month.first_day() + Duration::days(4)).min(today);
    nansen_office::reception::allowance::pay_as_of(office, &director, last_month, at(pay_day))
        .await
        .map_err(|e| CliError::Usage(format!("the demo's allowance run failed: {e}")))?;

    // This week's regional orientation of Île-de-France (above its share), run this morning
    // by the regional director; a few households already answered: one contests, one refused,
    // three arrived (the procedure that may end its conditions is open).
    orientation(store, office, &director, today).await?;
    Ok((structures.len(), places_total, households))
}

async fn orientation(store: &Store, office: &Office, director: &Login, today: Date) -> Result<(), CliError> {
    use nansen_office::reception::orientation;
    let rules = ReceptionRules::embedded();
    let o = rules.orientation(today).map_err(|e| CliError::Usage(e.to_string()))?;
    let run_at = OffsetDateTime::new_utc(today, Time::from_hms(8, 0, 0).unwrap_or(Time::MIDNIGHT));
    orientation::run_as_of(office, director, "IDF", run_at, today + Duration::days(o.contest_days))
        .await
        .map_err(|e| CliError::Usage(format!("the demo's orientation failed: {e}")))?;
    let agent = login("ofii.roux")?;
    let mut proposed: Vec<(nansen_domain::reception::HouseholdId, nansen_domain::reception::Proposal)> = store
        .households_accepted()
        .await?
        .into_iter()
        .filter_map(|h| Some((h.id.clone()?, h.pending_proposal()?.clone())))
        .collect();
    proposed.sort_by(|a, b| a.0.cmp(&b.0));
    let mut ops = Vec::new();
    for (i, (id, p)) in proposed.iter().take(5).enumerate() {
        let hid = |command| ReceptionCommand::Household { id: id.clone(), command };
        let commands = match i {
            2.. => vec![
                ReceptionCommand::Structure {
                    code: p.structure.clone(),
                    command: StructureCommand::Admit {
                        household: id.clone(),
                        kind: p.kind,
                        persons: p.persons,
                        on: today,
                    },
                },
                hid(HouseholdCommand::Arrive { structure: p.structure.clone(), kind: p.kind, on: today }),
            ],
            0 => vec![hid(HouseholdCommand::Contest {
                on: today,
                grounds: "Notre fille est suivie à l'hôpital Necker pour une maladie rare ; le suivi ne peut pas \
                          être interrompu."
                    .into(),
            })],
            1 => {
                // The refusal opens the ending procedure: its notice is printed and filed with it.
                let refuse = HouseholdCommand::RefuseOrientation { on: today };
                let (household, _) = store
                    .household(id)
                    .await?
                    .ok_or_else(|| CliError::Usage(format!("the demo's household {id} is missing")))?;
                let letter = nansen_office::reception::letters::letter_for(office, &household, &refuse, "", at(today))
                    .await
                    .map_err(|e| CliError::Usage(format!("the demo's letter failed: {e}")))?;
                let mut commands = vec![hid(refuse)];
                commands.extend(letter.map(hid));
                commands.push(ReceptionCommand::Structure {
                    code: p.structure.clone(),
                    command: StructureCommand::Unhold { household: id.clone(), on: today },
                });
                commands
            }
        };
        ops.push(Op { actor: agent.clone(), now: at(today), action: Action::Reception(commands) });
    }
    commit(store, ops).await
}
