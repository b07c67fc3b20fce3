//! The weekly regional orientation (L.551-3): households registered in a region that holds more
//! than its share of the demand are proposed a place elsewhere. This module is the rule side:
//! who is a candidate, which places each may take (hard constraints), what each placement is
//! worth (the objective), and why a proposal was made (its reasons, rendered in the household's
//! language). The plan itself is solved by the planning adapter (`nansen-plan`, HiGHS).
//!
//! Then the proposal's life: contested within its deadline and decided by an agent, reached
//! within 5 days (R.551-3), or refused or not reached, which opens the procedure that may end
//! the reception conditions (D.551-17: 15 days for written observations, a reasoned decision
//! that weighs the person's situation and vulnerability, 7 days to go to court, L.555-1).

use std::collections::BTreeMap;

use serde::Serialize;
use time::Date;

use super::household::{age_on, Household};
use super::network::{PlaceKind, Structure, StructureCode, StructureKind};
use super::proposal::{Outcome, Reason};
use super::rules::{OrientationRules, ReceptionRules};

/// Great-circle distance in km.
pub fn km(a: [f64; 2], b: [f64; 2]) -> f64 {
    let (la1, lo1, la2, lo2) = (a[0].to_radians(), a[1].to_radians(), b[0].to_radians(), b[1].to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

/// A household awaits a place: it accepted the offer and asked for accommodation, is not housed,
/// has no proposal under way, and its reception conditions were not ended.
pub fn awaits_place(h: &Household, today: Date) -> bool {
    h.offer.as_ref().is_some_and(|o| o.accepted && o.needs_accommodation)
        && h.current_stay().is_none()
        && h.pending_proposal().is_none()
        && h.open_ending().is_none()
        && !h.allowance_ended_on(today)
}

/// A household counts in its region's demand: it accepted the offer, asked for accommodation,
/// and its reception conditions were not ended.
fn needs_place(h: &Household, today: Date) -> bool {
    h.offer.as_ref().is_some_and(|o| o.accepted && o.needs_accommodation) && !h.allowance_ended_on(today)
}

/// Children of compulsory school age (3 to 16, Code de l'éducation L.131-1).
fn school_age_children(h: &Household, on: Date) -> bool {
    h.members.iter().any(|m| age_on(&m.birth_date, on).is_some_and(|a| (3..16).contains(&a)))
}

/// What a household needs of a place, and what weighs on its value: households equal in all
/// of these are interchangeable for the plan.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Profile {
    kind: PlaceKind,
    persons: u32,
    vulnerable: bool,
    hospital: bool,
    school: bool,
    from_region: String,
}

/// Households the plan treats alike, and the places they may take with their value.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub households: Vec<super::HouseholdId>,
    pub kind: PlaceKind,
    pub persons: u32,
    /// The region the households were registered in.
    pub from_region: String,
    /// Of them, those registered in the last 7 days: the week's inflow, from which the
    /// arrivals still expected this month are estimated (the potentials).
    pub recent: u32,
    /// (index into [`Orientation::sites`], value of placing one household there).
    pub options: Vec<(usize, f64)>,
}

/// A region above its share: the reason its households are oriented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Above {
    pub region: String,
    pub demand_permille: u32,
    pub share_permille: u32,
}

/// One week's orientation problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Orientation {
    pub sites: Vec<StructureCode>,
    /// Free places of each site by kind (single, family, accessible).
    pub free: Vec<[u32; 3]>,
    pub groups: Vec<Group>,
    pub above: Vec<Above>,
    /// Persons needing a place under the conditions, by region of registration.
    pub demand: BTreeMap<String, u32>,
}

/// The index of a place kind in [`Orientation::free`].
pub fn kind_slot(kind: PlaceKind) -> usize {
    match kind {
        PlaceKind::Single => 0,
        PlaceKind::Family => 1,
        PlaceKind::Accessible => 2,
    }
}

/// The share (‰) of the places the orientation filled so far that went to each region.
fn taken_permille(taken: &BTreeMap<String, u32>) -> BTreeMap<String, f64> {
    let total: u32 = taken.values().sum();
    taken
        .iter()
        .map(|(r, n)| (r.clone(), if total == 0 { 0.0 } else { 1000.0 * f64::from(*n) / f64::from(total) }))
        .collect()
}

/// The regions holding more than their share of the persons who need a place (housed,
/// proposed or waiting, so that a week's proposals do not hide a region's load), and that
/// demand by region of registration.
pub fn regions_above_share(
    households: &[Household],
    rules: &ReceptionRules,
    today: Date,
) -> (Vec<Above>, BTreeMap<String, u32>) {
    let mut demand: BTreeMap<String, u32> = BTreeMap::new();
    for h in households.iter().filter(|h| needs_place(h, today)) {
        *demand.entry(h.region.clone()).or_default() += h.members.len() as u32;
    }
    let total: u32 = demand.values().sum();
    let mut above = Vec::new();
    for region in rules.regions() {
        let d = demand.get(&region.code).copied().unwrap_or(0);
        let permille = if total == 0 { 0 } else { (u64::from(d) * 1000 / u64::from(total)) as u32 };
        if permille > region.share_permille {
            above.push(Above {
                region: region.code.clone(),
                demand_permille: permille,
                share_permille: region.share_permille,
            });
        }
    }
    (above, demand)
}

/// Builds the week's problem. `households` are every household of the agency that may await a
/// place; `taken` the persons the orientation placed in each region since the scheme's start
/// (for regional balance over the weeks).
pub fn orientation_problem(
    households: &[Household],
    structures: &[Structure],
    taken: &BTreeMap<String, u32>,
    rules: &ReceptionRules,
    today: Date,
) -> Result<Orientation, crate::DomainError> {
    let o = rules.orientation(today)?;
    let waiting: Vec<&Household> = households.iter().filter(|h| awaits_place(h, today)).collect();
    let (above, demand) = regions_above_share(households, rules, today);
    let sites: Vec<&Structure> = structures
        .iter()
        .filter(|s| s.is_open() && s.kind != Some(StructureKind::Cph))
        .filter(|s| PlaceKind::ALL.iter().any(|k| s.free(*k) > 0))
        .collect();
    let mut profiles: BTreeMap<Profile, (Vec<super::HouseholdId>, u32)> = BTreeMap::new();
    for h in waiting.iter().filter(|h| above.iter().any(|a| a.region == h.region)) {
        let Some(id) = h.id.clone() else { continue };
        let profile = Profile {
            kind: h.place_kind(),
            persons: h.members.len() as u32,
            vulnerable: h.is_vulnerable(today),
            hospital: h.medical.as_ref().is_some_and(|m| m.hospital_nearby),
            school: school_age_children(h, today),
            from_region: h.region.clone(),
        };
        let entry = profiles.entry(profile).or_default();
        entry.0.push(id);
        if h.registered_on.is_some_and(|r| r > today - time::Duration::days(7)) {
            entry.1 += 1;
        }
    }
    let shares = taken_permille(taken);
    let mut groups = Vec::new();
    for (p, (ids, recent)) in profiles {
        let options = sites
            .iter()
            .enumerate()
            .filter(|(_, s)| fits(&p, s))
            .filter_map(|(i, s)| value(&p, s, &shares, rules, o).map(|v| (i, v)))
            .collect();
        groups.push(Group {
            households: ids,
            kind: p.kind,
            persons: p.persons,
            from_region: p.from_region.clone(),
            recent,
            options,
        });
    }
    Ok(Orientation {
        sites: sites.iter().filter_map(|s| s.code.clone()).collect(),
        free: sites
            .iter()
            .map(|s| [s.free(PlaceKind::Single), s.free(PlaceKind::Family), s.free(PlaceKind::Accessible)])
            .collect(),
        groups,
        above,
        demand,
    })
}

/// The hard constraints: elsewhere than the region of registration, the kind of place the
/// household needs with room for all of it (families are never split), a hospital nearby when
/// the doctor asked for one, and no short-stay assessment centre for school-age children.
fn fits(p: &Profile, s: &Structure) -> bool {
    s.region != p.from_region
        && s.free(p.kind) >= p.persons
        && (!p.hospital || s.hospital_nearby)
        && !(p.school && s.kind == Some(StructureKind::Caes))
}

/// What a placement is worth; `None` when it is worth nothing (too far for what it brings).
fn value(
    p: &Profile,
    s: &Structure,
    shares: &BTreeMap<String, f64>,
    rules: &ReceptionRules,
    o: &OrientationRules,
) -> Option<f64> {
    let seat = rules.region(&s.region)?.seat;
    let mut v = o.housed;
    if p.vulnerable {
        v += o.vulnerable;
    }
    v -= o.per_100km_to_interview * km(seat, o.interview_site) / 100.0;
    if p.hospital {
        let from = rules.region(&p.from_region)?.seat;
        v -= o.per_100km_from_care * km(seat, from) / 100.0;
    }
    let share = f64::from(rules.region(&s.region)?.share_permille);
    let taken = shares.get(&s.region).copied().unwrap_or(0.0);
    v -= o.per_permille_above_share * (taken - share).max(0.0);
    (v > 0.0).then_some(v)
}

/// The reasons of a proposal to `h` for a place in `s`.
pub fn reasons(
    h: &Household,
    s: &Structure,
    above: &[Above],
    taken: &BTreeMap<String, u32>,
    rules: &ReceptionRules,
    today: Date,
) -> Vec<Reason> {
    let mut out = Vec::new();
    if let Some(a) = above.iter().find(|a| a.region == h.region) {
        out.push(Reason::RegionAboveShare {
            region: a.region.clone(),
            demand_permille: a.demand_permille,
            share_permille: a.share_permille,
        });
    }
    out.push(Reason::Together { persons: h.members.len() as u32 });
    if h.is_vulnerable(today) {
        out.push(Reason::Vulnerable);
    }
    if h.medical.as_ref().is_some_and(|m| m.hospital_nearby) {
        out.push(Reason::HospitalNearby);
    }
    if school_age_children(h, today) {
        out.push(Reason::School);
    }
    if h.place_kind() == PlaceKind::Accessible {
        out.push(Reason::Accessible);
    }
    if let (Some(region), Ok(o)) = (rules.region(&s.region), rules.orientation(today)) {
        out.push(Reason::Distance { km: km(region.seat, o.interview_site).round() as u32 });
        let shares = taken_permille(taken);
        if shares.get(&s.region).copied().unwrap_or(0.0) < f64::from(region.share_permille) {
            out.push(Reason::RegionBelowShare { region: s.region.clone() });
        }
    }
    out
}

/// ISO week label of a day, e.g. `2026-W49`.
pub fn iso_week(on: Date) -> String {
    let (year, week, _) = on.to_iso_week_date();
    format!("{year}-W{week:02}")
}

/// Per region: proposals, refusals (and contests upheld), arrivals, and returns to the first
/// region (a household placed by the orientation whose later stay is back in the region it was
/// registered in).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegionFigures {
    pub proposals: u32,
    pub contested: u32,
    pub withdrawn: u32,
    pub refused: u32,
    pub no_show: u32,
    pub arrived: u32,
    pub returned: u32,
    pub pending: u32,
}

/// Ex-post figures per destination region, from the households' proposals.
pub fn figures<'a>(
    households: impl IntoIterator<Item = &'a Household>,
    structures_region: &dyn Fn(&StructureCode) -> Option<String>,
) -> BTreeMap<String, RegionFigures> {
    let mut out: BTreeMap<String, RegionFigures> = BTreeMap::new();
    for h in households {
        for p in &h.proposals {
            let f = out.entry(p.region.clone()).or_default();
            f.proposals += 1;
            if p.contest.is_some() {
                f.contested += 1;
            }
            match p.outcome {
                None => f.pending += 1,
                Some(Outcome::Arrived { on }) => {
                    f.arrived += 1;
                    let back = h
                        .stays
                        .iter()
                        .any(|s| s.from > on && structures_region(&s.structure).is_some_and(|r| r == p.from_region));
                    if back {
                        f.returned += 1;
                    }
                }
                Some(Outcome::Refused { .. }) => f.refused += 1,
                Some(Outcome::NoShow { .. }) => f.no_show += 1,
                Some(Outcome::Withdrawn { .. }) => f.withdrawn += 1,
            }
        }
    }
    out
}
