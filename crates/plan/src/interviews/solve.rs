//! The exact interview planner: an aggregated MIP solved with HiGHS, then a matching per
//! half-day that names the interpreters and rooms.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use highs::{Col, ColProblem, HighsModelStatus, RowProblem};

use super::greedy::{complete, State};
use super::{
    ages, check, interview_value, Candidate, Change, Convocation, Instance, InterviewPlan, Language, PlannedInterview,
    Reason, RoomKind, Sex, SexMismatch, Shortage, ShortageCause, Slot,
};
use crate::model::{relative_gap, run, Limits, PlanError, RunOptions, Status};

/// Bonus for keeping an already-sent convocation on its half-day when replanning: larger than
/// anything else an interview can be worth, so the fewest convocations change.
pub(super) const KEEP_SLOT: f64 = 1000.0;
/// Bonus for keeping its interpreter too (interpreters need rebooking otherwise).
pub(super) const KEEP_INTERPRETER: f64 = 20.0;
/// Penalty per interview whose interpreter-sex request is not honoured.
pub(super) const SEX_UNMET: f64 = 5.0;
/// Penalty per half-day of the most loaded interpreter (load balancing).
pub(super) const MAX_LOAD: f64 = 0.5;
/// Cost per interpreter half-day booked (no interpreter is called in for nothing).
pub(super) const INTERPRETER_HALF_DAY: f64 = 0.01;
/// Gap under which a plan counts as proven optimal.
const OPTIMAL_GAP: f64 = 1e-6;

/// Instance data derived once: language classes, families, who was convened.
pub(super) struct Prep {
    pub h: u32,
    /// Distinct requested languages ("classes": an interpreter works in one per half-day).
    pub classes: Vec<Language>,
    pub class_of: Vec<Option<usize>>,
    /// Interpreters able to serve each class.
    pub class_interpreters: Vec<Vec<usize>>,
    /// Units convened together: a family, or one candidate.
    pub units: Vec<Vec<usize>>,
    pub unit_of: Vec<usize>,
    pub ages: Vec<f64>,
    /// Index into `instance.fixed` per candidate.
    pub fixed_of: Vec<Option<usize>>,
    /// Possible half-days per unit.
    pub days: Vec<Vec<Slot>>,
}

impl Prep {
    pub fn new(instance: &Instance) -> Self {
        let n = instance.candidates.len();
        let mut classes: Vec<Language> = Vec::new();
        let mut class_index: HashMap<&Language, usize> = HashMap::new();
        let mut class_of = vec![None; n];
        for (c, cand) in instance.candidates.iter().enumerate() {
            if let Some(l) = &cand.language {
                let k = *class_index.entry(l).or_insert_with(|| {
                    classes.push(l.clone());
                    classes.len() - 1
                });
                class_of[c] = Some(k);
            }
        }
        let class_interpreters = classes
            .iter()
            .map(|l| {
                (0..instance.interpreters.len())
                    .filter(|&i| instance.interpreters[i].languages.iter().any(|il| il.serves(l)))
                    .collect()
            })
            .collect();
        let mut units: Vec<Vec<usize>> = Vec::new();
        let mut family_unit: HashMap<u32, usize> = HashMap::new();
        let mut unit_of = vec![0; n];
        for (c, cand) in instance.candidates.iter().enumerate() {
            let u = match cand.family {
                Some(f) => *family_unit.entry(f).or_insert_with(|| {
                    units.push(Vec::new());
                    units.len() - 1
                }),
                None => {
                    units.push(Vec::new());
                    units.len() - 1
                }
            };
            units[u].push(c);
            unit_of[c] = u;
        }
        let mut fixed_of = vec![None; n];
        for (f, conv) in instance.fixed.iter().enumerate() {
            fixed_of[conv.candidate] = Some(f);
        }
        let mut prep = Self {
            h: instance.slots,
            classes,
            class_of,
            class_interpreters,
            units,
            unit_of,
            ages: ages(instance),
            fixed_of,
            days: Vec::new(),
        };
        prep.days = (0..prep.units.len()).map(|u| prep.unit_days(instance, u)).collect();
        prep
    }

    /// Half-days a unit could be held on, looking at each resource on its own: officer present
    /// with room for the whole family, minimum notice, an interpreter of each member's
    /// language present in a mode the member accepts. In a fresh plan a unit with a fixed
    /// convocation has only its half-day.
    fn unit_days(&self, instance: &Instance, u: usize) -> Vec<Slot> {
        let members = &self.units[u];
        if !instance.replanning {
            if let Some(f) = members.iter().find_map(|&c| self.fixed_of[c]) {
                return vec![instance.fixed[f].slot];
            }
        }
        let officer = &instance.officers[instance.candidates[members[0]].officer];
        let earliest = members.iter().map(|&c| instance.candidates[c].earliest).max().unwrap_or(0);
        (earliest..self.h)
            .filter(|&d| {
                officer.available[d as usize]
                    && officer.capacity as usize >= members.len()
                    && members.iter().all(|&c| match self.class_of[c] {
                        None => true,
                        Some(k) => self.class_interpreters[k].iter().any(|&i| {
                            let int = &instance.interpreters[i];
                            int.available[d as usize]
                                && (int.in_person || (int.video && instance.candidates[c].video_allowed))
                        }),
                    })
            })
            .collect()
    }

    /// Value of holding the unit on `d` (without replanning bonuses).
    pub fn unit_value(&self, instance: &Instance, u: usize, d: Slot) -> f64 {
        self.units[u].iter().map(|&c| interview_value(&instance.candidates[c], self.ages[c], d, self.h)).sum()
    }

    /// Previous convocation (replanning) of candidate `c`.
    pub fn previous<'a>(&self, instance: &'a Instance, c: usize) -> Option<&'a Convocation> {
        if instance.replanning {
            self.fixed_of[c].map(|f| &instance.fixed[f])
        } else {
            None
        }
    }

    /// Fixed convocation (fresh plan) of candidate `c`.
    pub fn pinned<'a>(&self, instance: &'a Instance, c: usize) -> Option<&'a Convocation> {
        if instance.replanning {
            None
        } else {
            self.fixed_of[c].map(|f| &instance.fixed[f])
        }
    }
}

/// Plans the interviews.
///
/// **Model.** Binary `x[u,d]` per unit (a candidate, or a family convened together) and
/// possible half-day `d` (officer present, minimum notice, an interpreter of the language
/// present); binary `y[i,k,m,d]`: interpreter `i` works in language `k` in mode `m` (in person,
/// video) on `d`, at most one per interpreter and half-day; integer `v[k,d]`: interviews in `k`
/// on `d` by video. Per language and half-day, in-person interviews `Σx − v` fit the in-person
/// interpreters' capacity, `v` the video ones' and the candidates who accept video; per
/// half-day the in-person, video and total interviews fit the suitable rooms (a Hall
/// condition, so rooms can always be matched afterwards); per officer and half-day the
/// capacity holds; each unit at most once. These counts guarantee that concrete interpreters
/// and rooms can be matched per half-day, which is done afterwards, preferring interpreters of
/// the requested sex and, when replanning, the previous interpreter and room. Variables stay
/// at `O(cases × days + interpreters × languages × days)`, never `case × interpreter × room`.
///
/// **Objective** (maximised): per interview its value (see `interview_value`: due within the
/// horizon and held in time counts most, urgency, vulnerability and age scale it, earlier slots
/// get a small bonus), minus 5 per interpreter-sex request the counts cannot honour, 0.5 per
/// half-day of the most loaded interpreter, 0.01 per interpreter half-day booked; when
/// replanning plus [`KEEP_SLOT`] per already-sent convocation kept on its half-day and
/// [`KEEP_INTERPRETER`] when its interpreter is kept too. In a fresh plan fixed convocations are
/// fixed (and must still be possible: else [`PlanError::Invalid`], replan instead).
///
/// HiGHS starts from [`super::greedy_interviews`]' plan, runs single-threaded with a fixed
/// seed, and stops at `limits` (when replanning, at a gap too small to be worth one changed
/// convocation); the matched plan is completed greedily and never worse than the greedy one.
/// `bound` is HiGHS' dual bound. Changes are reported in [`InterviewPlan::changes`]; a moved or
/// cancelled convocation needs a new letter, a rebooked one (same half-day, another
/// interpreter or room, e.g. in a chain that frees an interpreter of the language) does not.
pub fn solve_interviews(instance: &Instance, limits: &Limits) -> Result<InterviewPlan, PlanError> {
    let started = Instant::now();
    check(instance)?;
    limits.check()?;
    let prep = Prep::new(instance);
    let base = complete(instance, &prep, State::new(instance, &prep));
    let base_convs = base.convocations();
    let model = Model::build(instance, &prep);
    let mut timed_out = false;
    let mut bound = f64::INFINITY;
    let mut best = base_convs;
    if model.ncols > 0 {
        let start = model.start(instance, &prep, &best);
        let time_left = (limits.time_limit_s - started.elapsed().as_secs_f64()).max(0.01);
        // When replanning, the keep bonuses dominate the objective: the gap HiGHS may leave is
        // narrowed so that it can never be worth a changed convocation.
        let mut relative_gap = limits.relative_gap;
        if instance.replanning && !instance.fixed.is_empty() {
            let upper: f64 = (0..prep.units.len())
                .map(|u| prep.days[u].iter().map(|&d| prep.unit_value(instance, u, d)).fold(0.0, f64::max))
                .sum::<f64>()
                + (KEEP_SLOT + KEEP_INTERPRETER) * instance.fixed.len() as f64;
            relative_gap = relative_gap.min(0.5 * KEEP_SLOT / upper.max(1.0));
        }
        let problem = ColProblem::from(model.problem.clone());
        let solved = run(problem, &RunOptions { time_limit_s: time_left, relative_gap, start })?;
        let solution = solved.get_solution();
        let values = solution.columns();
        let objective = solved.objective_value();
        let highs_gap = solved.mip_gap();
        if highs_gap.is_finite() {
            bound = objective + highs_gap * objective.abs();
        }
        timed_out = solved.status() == HighsModelStatus::ReachedTimeLimit;
        let state = model.matching(instance, &prep, values);
        let matched = complete(instance, &prep, state).convocations();
        if plan_value(instance, &prep, &matched) > plan_value(instance, &prep, &best) {
            best = matched;
        }
    } else {
        bound = plan_value(instance, &prep, &best);
    }
    Ok(finish(instance, &prep, best, bound, timed_out, limits.relative_gap, started))
}

/// Value of a plan as the objective counts it (with the interpreter sex requests actually
/// honoured and the actual interpreter loads).
pub(super) fn plan_value(instance: &Instance, prep: &Prep, convs: &[Convocation]) -> f64 {
    let mut value = 0.0;
    let mut load: HashMap<usize, u32> = HashMap::new();
    let mut booked = std::collections::HashSet::new();
    for cv in convs {
        let c = cv.candidate;
        let cand = &instance.candidates[c];
        value += interview_value(cand, prep.ages[c], cv.slot, prep.h);
        if let Some(prev) = prep.previous(instance, c) {
            if prev.slot == cv.slot {
                value += KEEP_SLOT;
                if prev.interpreter.is_some() && prev.interpreter == cv.interpreter {
                    value += KEEP_INTERPRETER;
                }
            }
        }
        if let (Some(s), Some(i)) = (cand.interpreter_sex, cv.interpreter) {
            if instance.interpreters[i].sex != Some(s) {
                value -= SEX_UNMET;
            }
        }
        if let Some(i) = cv.interpreter {
            if booked.insert((i, cv.slot)) {
                *load.entry(i).or_default() += 1;
            }
        }
    }
    value -= INTERPRETER_HALF_DAY * booked.len() as f64;
    value -= MAX_LOAD * f64::from(load.values().copied().max().unwrap_or(0));
    value
}

/// Member counts of one `x` column in a (language, half-day) cell.
#[derive(Default, Clone, Copy)]
struct Counts {
    all: f64,
    /// Must have the interpreter in person.
    no_video: f64,
    /// Fixed by video (fresh plan).
    forced_video: f64,
    female: f64,
    male: f64,
}

/// The aggregated MIP and how to read it.
struct Model {
    problem: RowProblem,
    ncols: usize,
    /// `(unit, d) -> column`.
    x: HashMap<(usize, Slot), usize>,
    /// `(i, k, video, d) -> column`.
    y: HashMap<(usize, usize, bool, Slot), usize>,
    /// `(k, d) -> column` of the video count.
    v: HashMap<(usize, Slot), usize>,
    /// `(k, d, female) -> column` of unmet sex requests.
    unmet: HashMap<(usize, Slot, bool), usize>,
    /// Load-balancing column.
    load: Option<usize>,
    /// Replanning: `(fixed index) -> column` of "slot and interpreter kept".
    keep: Vec<(usize, usize)>,
}

impl Model {
    fn build(instance: &Instance, prep: &Prep) -> Self {
        let cap = f64::from(instance.interpreter_capacity);
        let mut p = RowProblem::default();
        let mut cols: Vec<Col> = Vec::new();
        fn add(p: &mut RowProblem, cols: &mut Vec<Col>, cost: f64, lo: f64, hi: f64, int: bool) -> usize {
            cols.push(p.add_column_with_integrality(cost, lo..=hi, int));
            cols.len() - 1
        }
        // x columns and the cells they feed.
        let mut x = HashMap::new();
        let mut unit_rows: Vec<Vec<usize>> = vec![Vec::new(); prep.units.len()];
        let mut officer_cells: BTreeMap<(usize, Slot), Vec<(usize, f64)>> = BTreeMap::new();
        let mut cells: BTreeMap<(usize, Slot), Vec<(usize, Counts)>> = BTreeMap::new();
        let mut room_cells: BTreeMap<Slot, Vec<(usize, f64, f64)>> = BTreeMap::new();
        for (u, members) in prep.units.iter().enumerate() {
            let pinned = members.iter().any(|&c| prep.pinned(instance, c).is_some());
            for &d in &prep.days[u] {
                let mut value = prep.unit_value(instance, u, d);
                for &c in members {
                    if prep.previous(instance, c).is_some_and(|f| f.slot == d) {
                        value += KEEP_SLOT;
                    }
                }
                let col = add(&mut p, &mut cols, value, if pinned { 1.0 } else { 0.0 }, 1.0, true);
                x.insert((u, d), col);
                unit_rows[u].push(col);
                let officer = instance.candidates[members[0]].officer;
                officer_cells.entry((officer, d)).or_default().push((col, members.len() as f64));
                let mut per_class: BTreeMap<usize, Counts> = BTreeMap::new();
                let mut interp = 0.0;
                for &c in members {
                    let cand = &instance.candidates[c];
                    let Some(k) = prep.class_of[c] else { continue };
                    interp += 1.0;
                    let e = per_class.entry(k).or_default();
                    e.all += 1.0;
                    match prep.pinned(instance, c) {
                        Some(f) if f.video => e.forced_video += 1.0,
                        Some(_) => e.no_video += 1.0,
                        None if !cand.video_allowed => e.no_video += 1.0,
                        None => {}
                    }
                    match cand.interpreter_sex {
                        Some(Sex::Female) => e.female += 1.0,
                        Some(Sex::Male) => e.male += 1.0,
                        None => {}
                    }
                }
                for (k, counts) in per_class {
                    cells.entry((k, d)).or_default().push((col, counts));
                }
                room_cells.entry(d).or_default().push((col, interp, members.len() as f64));
            }
        }
        // y columns for cells with demand.
        let mut y = HashMap::new();
        let mut interp_rows: BTreeMap<(usize, Slot), Vec<usize>> = BTreeMap::new();
        let mut load_rows: Vec<Vec<usize>> = vec![Vec::new(); instance.interpreters.len()];
        let mut pinned_y = std::collections::HashSet::new();
        for f in &instance.fixed {
            if let (false, Some(i), Some(k)) = (instance.replanning, f.interpreter, prep.class_of[f.candidate]) {
                pinned_y.insert((i, k, f.video, f.slot));
            }
        }
        for (&(k, d), entries) in &cells {
            let any_video = entries.iter().any(|(_, n)| n.all > n.no_video);
            for &i in &prep.class_interpreters[k] {
                let int = &instance.interpreters[i];
                if !int.available[d as usize] {
                    continue;
                }
                for video in [false, true] {
                    if (video && (!int.video || !any_video)) || (!video && !int.in_person) {
                        continue;
                    }
                    let lo = if pinned_y.contains(&(i, k, video, d)) { 1.0 } else { 0.0 };
                    let col = add(&mut p, &mut cols, -INTERPRETER_HALF_DAY, lo, 1.0, true);
                    y.insert((i, k, video, d), col);
                    interp_rows.entry((i, d)).or_default().push(col);
                    load_rows[i].push(col);
                }
            }
        }
        let mut v = HashMap::new();
        let mut unmet = HashMap::new();
        for (&(k, d), entries) in &cells {
            if prep.class_interpreters[k].iter().any(|&i| y.contains_key(&(i, k, true, d))) {
                v.insert((k, d), add(&mut p, &mut cols, 0.0, 0.0, f64::INFINITY, true));
            }
            for female in [true, false] {
                if entries.iter().any(|(_, n)| if female { n.female } else { n.male } > 0.0) {
                    unmet.insert((k, d, female), add(&mut p, &mut cols, -SEX_UNMET, 0.0, f64::INFINITY, false));
                }
            }
        }
        let load = if y.is_empty() { None } else { Some(add(&mut p, &mut cols, -MAX_LOAD, 0.0, f64::INFINITY, false)) };
        let mut keep = Vec::new();
        if instance.replanning {
            for (f, conv) in instance.fixed.iter().enumerate() {
                let (Some(i), Some(k)) = (conv.interpreter, prep.class_of[conv.candidate]) else { continue };
                let u = prep.unit_of[conv.candidate];
                if let (Some(&xc), Some(&yc)) = (x.get(&(u, conv.slot)), y.get(&(i, k, conv.video, conv.slot))) {
                    let z = add(&mut p, &mut cols, KEEP_INTERPRETER, 0.0, 1.0, false);
                    keep.push((f, z));
                    p.add_row(..=0.0, [(cols[z], 1.0), (cols[xc], -1.0)]);
                    p.add_row(..=0.0, [(cols[z], 1.0), (cols[yc], -1.0)]);
                }
            }
        }
        // Rows.
        for row in &unit_rows {
            if row.len() > 1 {
                p.add_row(..=1.0, row.iter().map(|&c| (cols[c], 1.0)));
            }
        }
        for (&(o, _), terms) in &officer_cells {
            let capacity = f64::from(instance.officers[o].capacity);
            if terms.iter().map(|t| t.1).sum::<f64>() > capacity {
                p.add_row(..=capacity, terms.iter().map(|&(c, n)| (cols[c], n)));
            }
        }
        for terms in interp_rows.values() {
            if terms.len() > 1 {
                p.add_row(..=1.0, terms.iter().map(|&c| (cols[c], 1.0)));
            }
        }
        if let Some(l) = load {
            for terms in &load_rows {
                if !terms.is_empty() {
                    p.add_row(..=0.0, terms.iter().map(|&c| (cols[c], 1.0)).chain([(cols[l], -1.0)]));
                }
            }
        }
        let mut video_by_day: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
        for (&(k, d), entries) in &cells {
            let yp: Vec<usize> =
                prep.class_interpreters[k].iter().filter_map(|&i| y.get(&(i, k, false, d)).copied()).collect();
            let yv: Vec<usize> =
                prep.class_interpreters[k].iter().filter_map(|&i| y.get(&(i, k, true, d)).copied()).collect();
            let vc = v.get(&(k, d)).copied();
            // In person: Σx − v <= cap·Σ y_in_person.
            let mut row: Vec<(Col, f64)> = entries.iter().map(|&(c, n)| (cols[c], n.all)).collect();
            row.extend(yp.iter().map(|&c| (cols[c], -cap)));
            if let Some(vc) = vc {
                row.push((cols[vc], -1.0));
                video_by_day.entry(d).or_default().push(vc);
                p.add_row(..=0.0, row);
                // v <= cap·Σ y_video; v <= Σ x of members who may (or must) use video; v >= forced.
                p.add_row(..=0.0, yv.iter().map(|&c| (cols[c], -cap)).chain([(cols[vc], 1.0)]));
                p.add_row(
                    ..=0.0,
                    entries.iter().map(|&(c, n)| (cols[c], -(n.all - n.no_video))).chain([(cols[vc], 1.0)]),
                );
                if entries.iter().any(|(_, n)| n.forced_video > 0.0) {
                    p.add_row(
                        0.0..,
                        entries
                            .iter()
                            .filter(|(_, n)| n.forced_video > 0.0)
                            .map(|&(c, n)| (cols[c], -n.forced_video))
                            .chain([(cols[vc], 1.0)]),
                    );
                }
            } else {
                p.add_row(..=0.0, row);
            }
            for female in [true, false] {
                let Some(&uc) = unmet.get(&(k, d, female)) else { continue };
                let sex = if female { Sex::Female } else { Sex::Male };
                let mut row: Vec<(Col, f64)> = entries
                    .iter()
                    .map(|&(c, n)| (cols[c], if female { n.female } else { n.male }))
                    .filter(|t| t.1 > 0.0)
                    .collect();
                for video in [false, true] {
                    for &i in &prep.class_interpreters[k] {
                        if instance.interpreters[i].sex == Some(sex) {
                            if let Some(&yc) = y.get(&(i, k, video, d)) {
                                row.push((cols[yc], -cap));
                            }
                        }
                    }
                }
                row.push((cols[uc], -1.0));
                p.add_row(..=0.0, row);
            }
        }
        // Rooms per half-day, net of rooms and interviews pinned by fixed convocations.
        for (&d, terms) in &room_cells {
            let mut free = [0.0f64; 3];
            for (r, room) in instance.rooms.iter().enumerate() {
                let pinned = !instance.replanning && instance.fixed.iter().any(|f| f.slot == d && f.room == r);
                if room.available[d as usize] && !pinned {
                    free[kind_index(room.kind)] += 1.0;
                }
            }
            let (mut pi, mut pv, mut pf) = (0.0, 0.0, 0.0);
            if !instance.replanning {
                for f in instance.fixed.iter().filter(|f| f.slot == d) {
                    match (f.interpreter.is_some(), f.video) {
                        (false, _) => pf += 1.0,
                        (true, false) => pi += 1.0,
                        (true, true) => pv += 1.0,
                    }
                }
            }
            let videos = video_by_day.get(&d).cloned().unwrap_or_default();
            let [b, vb, vr] = free;
            // In person with interpreter: booths of either kind.
            let row: Vec<(Col, f64)> = terms
                .iter()
                .filter(|t| t.1 > 0.0)
                .map(|&(c, n, _)| (cols[c], n))
                .chain(videos.iter().map(|&vc| (cols[vc], -1.0)))
                .collect();
            if !row.is_empty() {
                p.add_row(..=b + vb + pi, row);
            }
            if !videos.is_empty() {
                p.add_row(..=vb + vr + pv, videos.iter().map(|&vc| (cols[vc], 1.0)));
            }
            p.add_row(..=b + vb + vr + pi + pv + pf, terms.iter().map(|&(c, _, n)| (cols[c], n)));
        }
        let ncols = cols.len();
        Self { problem: p, ncols, x, y, v, unmet, load, keep }
    }

    /// The columns' values for a plan (used as HiGHS' start).
    fn start(&self, instance: &Instance, prep: &Prep, convs: &[Convocation]) -> Option<Vec<f64>> {
        let mut s = vec![0.0; self.ncols];
        let mut slot_of = vec![None; instance.candidates.len()];
        for cv in convs {
            slot_of[cv.candidate] = Some(cv);
        }
        for (u, members) in prep.units.iter().enumerate() {
            if let Some(cv) = slot_of[members[0]] {
                s[*self.x.get(&(u, cv.slot))?] = 1.0;
            }
        }
        let mut interp_load: HashMap<usize, f64> = HashMap::new();
        let mut sex_need: HashMap<(usize, Slot, bool), f64> = HashMap::new();
        for cv in convs {
            let (Some(i), Some(k)) = (cv.interpreter, prep.class_of[cv.candidate]) else { continue };
            let col = *self.y.get(&(i, k, cv.video, cv.slot))?;
            if s[col] == 0.0 {
                *interp_load.entry(i).or_default() += 1.0;
            }
            s[col] = 1.0;
            if cv.video {
                s[*self.v.get(&(k, cv.slot))?] += 1.0;
            }
            if let Some(sex) = instance.candidates[cv.candidate].interpreter_sex {
                *sex_need.entry((k, cv.slot, sex == Sex::Female)).or_default() += 1.0;
            }
        }
        let cap = f64::from(instance.interpreter_capacity);
        for (&(k, d, female), &need) in &sex_need {
            let sex = if female { Sex::Female } else { Sex::Male };
            let have: f64 = prep.class_interpreters[k]
                .iter()
                .filter(|&&i| instance.interpreters[i].sex == Some(sex))
                .flat_map(|&i| [false, true].map(|video| self.y.get(&(i, k, video, d))))
                .flatten()
                .map(|&c| s[c])
                .sum();
            s[*self.unmet.get(&(k, d, female))?] = (need - cap * have).max(0.0);
        }
        if let Some(l) = self.load {
            s[l] = interp_load.values().copied().fold(0.0, f64::max);
        }
        for &(f, z) in &self.keep {
            let fixed = &instance.fixed[f];
            s[z] = f64::from(u8::from(convs.iter().any(|cv| {
                cv.candidate == fixed.candidate && cv.slot == fixed.slot && cv.interpreter == fixed.interpreter
            })));
        }
        Some(s)
    }

    /// Turns the solution into concrete convocations: per half-day and language, interviews
    /// are matched to the interpreters the solution books (fixed ones to theirs, then previous
    /// interpreters, then the requested sex), keeping as many by video as the solution counts;
    /// then rooms by kind (fixed and previous rooms first). Each choice is checked to leave
    /// the rest matchable (a Hall condition on counts); a unit that still cannot be matched,
    /// which the counts rule out up to round-off, is left out.
    fn matching(&self, instance: &Instance, prep: &Prep, values: &[f64]) -> State {
        let cap = instance.interpreter_capacity;
        let mut by_day: BTreeMap<Slot, Vec<usize>> = BTreeMap::new();
        for (&(u, d), &col) in &self.x {
            if values[col] > 0.5 {
                by_day.entry(d).or_default().push(u);
            }
        }
        let mut state = State::new(instance, prep);
        for (d, mut units) in by_day {
            units.sort_unstable();
            let mut failed = std::collections::HashSet::new();
            // Interpreters.
            let mut by_class: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for &u in &units {
                for &c in &prep.units[u] {
                    if let Some(k) = prep.class_of[c] {
                        by_class.entry(k).or_default().push(c);
                    }
                }
            }
            let mut interp_of: HashMap<usize, (usize, bool)> = HashMap::new();
            for (k, mut cases) in by_class {
                // (interpreter, video, capacity left)
                let mut slots: Vec<(usize, bool, u32)> = Vec::new();
                for &i in &prep.class_interpreters[k] {
                    for video in [false, true] {
                        if self.y.get(&(i, k, video, d)).is_some_and(|&c| values[c] > 0.5) {
                            slots.push((i, video, cap));
                        }
                    }
                }
                let mut target = self.v.get(&(k, d)).map_or(0, |&c| values[c].round().max(0.0) as u32);
                let priority = |c: usize| {
                    let cand = &instance.candidates[c];
                    let class = if prep.pinned(instance, c).is_some() {
                        0
                    } else if prep.previous(instance, c).is_some_and(|f| f.slot == d) {
                        1
                    } else if cand.interpreter_sex.is_some() {
                        2
                    } else {
                        3
                    };
                    (class, c)
                };
                cases.sort_by_key(|&c| priority(c));
                let video_ok = |c: usize| {
                    let cand = &instance.candidates[c];
                    match prep.pinned(instance, c) {
                        Some(f) => f.video,
                        None => cand.video_allowed,
                    }
                };
                let mut nv: u32 = cases.iter().filter(|&&c| !video_ok(c)).count() as u32;
                let mut vo: u32 = cases.len() as u32 - nv;
                for &c in &cases {
                    let cand = &instance.candidates[c];
                    if video_ok(c) {
                        vo -= 1;
                    } else {
                        nv -= 1;
                    }
                    let want = prep.pinned(instance, c).or(prep.previous(instance, c).filter(|f| f.slot == d));
                    let mut order: Vec<usize> = (0..slots.len()).filter(|&s| slots[s].2 > 0).collect();
                    order.sort_by_key(|&s| {
                        let (i, video, _) = slots[s];
                        let same = want.is_some_and(|f| f.interpreter == Some(i) && f.video == video);
                        let sex = cand.interpreter_sex.is_some_and(|x| instance.interpreters[i].sex == Some(x));
                        (!same, !sex, s)
                    });
                    if let Some(f) = prep.pinned(instance, c) {
                        order.retain(|&s| slots[s].0 == f.interpreter.unwrap_or(usize::MAX) && slots[s].1 == f.video);
                    }
                    let fits = |s: usize, target: u32| {
                        let (_, video, _) = slots[s];
                        if video && (!video_ok(c) || target == 0) {
                            return false;
                        }
                        let t = target - u32::from(video);
                        let (mut p, mut v) = (0u32, 0u32);
                        for (o, &(_, ov, left)) in slots.iter().enumerate() {
                            let left = left - u32::from(o == s);
                            if ov {
                                v += left;
                            } else {
                                p += left;
                            }
                        }
                        t <= v && t <= vo && nv + vo - t <= p
                    };
                    match order.into_iter().find(|&s| fits(s, target)) {
                        Some(s) => {
                            slots[s].2 -= 1;
                            target -= u32::from(slots[s].1);
                            interp_of.insert(c, (slots[s].0, slots[s].1));
                        }
                        None => {
                            failed.insert(prep.unit_of[c]);
                        }
                    }
                }
            }
            // Rooms.
            let mut kinds_free = [0u32; 3];
            let mut free: Vec<usize> = Vec::new();
            for (r, room) in instance.rooms.iter().enumerate() {
                if room.available[d as usize] {
                    free.push(r);
                    kinds_free[kind_index(room.kind)] += 1;
                }
            }
            let mut taken = vec![false; instance.rooms.len()];
            let mut cases: Vec<usize> = units
                .iter()
                .filter(|u| !failed.contains(u))
                .flat_map(|&u| prep.units[u].iter().copied())
                .filter(|c| prep.class_of[*c].is_none() || interp_of.contains_key(c))
                .collect();
            let kind_of = |c: usize| match interp_of.get(&c) {
                None => 2,
                Some(&(_, false)) => 0,
                Some(&(_, true)) => 1,
            };
            cases.sort_by_key(|&c| {
                let class = if prep.pinned(instance, c).is_some() {
                    0
                } else if prep.previous(instance, c).is_some_and(|f| f.slot == d) {
                    1
                } else {
                    2
                };
                (class, c)
            });
            let mut need = [0u32; 3];
            for &c in &cases {
                need[kind_of(c)] += 1;
            }
            let mut room_of: HashMap<usize, usize> = HashMap::new();
            for &c in &cases {
                let t = kind_of(c);
                need[t] -= 1;
                let want = prep.pinned(instance, c).or(prep.previous(instance, c).filter(|f| f.slot == d));
                let mut options: Vec<usize> =
                    free.iter().copied().filter(|&r| !taken[r] && suits(t, instance.rooms[r].kind)).collect();
                options.sort_by_key(|&r| {
                    let same = want.is_some_and(|f| f.room == r);
                    (!same, kind_preference(t, instance.rooms[r].kind), r)
                });
                if let Some(f) = prep.pinned(instance, c) {
                    options.retain(|&r| r == f.room);
                }
                let chosen = options.into_iter().find(|&r| {
                    let mut left = kinds_free;
                    left[kind_index(instance.rooms[r].kind)] -= 1;
                    hall(need, left)
                });
                match chosen {
                    Some(r) => {
                        taken[r] = true;
                        kinds_free[kind_index(instance.rooms[r].kind)] -= 1;
                        room_of.insert(c, r);
                    }
                    None => {
                        failed.insert(prep.unit_of[c]);
                    }
                }
            }
            for &u in &units {
                if failed.contains(&u) {
                    continue;
                }
                let convs: Vec<Convocation> = prep.units[u]
                    .iter()
                    .map(|&c| {
                        let (interpreter, video) = match interp_of.get(&c) {
                            Some(&(i, v)) => (Some(i), v),
                            None => (None, false),
                        };
                        Convocation { candidate: c, slot: d, interpreter, video, room: room_of[&c] }
                    })
                    .collect();
                for cv in &convs {
                    state.apply(instance, prep, cv);
                }
            }
        }
        state
    }
}

/// Index of a room kind: 0 booth, 1 video booth, 2 video room.
fn kind_index(kind: RoomKind) -> usize {
    match kind {
        RoomKind::Booth => 0,
        RoomKind::VideoBooth => 1,
        RoomKind::VideoRoom => 2,
    }
}

/// Whether a room kind suits an interview type (0 interpreter in person, 1 by video, 2 none).
pub(super) fn suits(t: usize, kind: RoomKind) -> bool {
    match t {
        0 => kind != RoomKind::VideoRoom,
        1 => kind != RoomKind::Booth,
        _ => true,
    }
}

/// Order of preference among suitable kinds: the least versatile room first.
pub(super) fn kind_preference(t: usize, kind: RoomKind) -> u8 {
    match (t, kind) {
        (_, RoomKind::VideoBooth) => 2,
        (0, _) | (1, _) => 0,
        (_, RoomKind::Booth) => 0,
        (_, RoomKind::VideoRoom) => 1,
    }
}

/// Whether interviews `need` (in person, video, none) can all get rooms from `free` (booth,
/// video booth, video room).
fn hall(need: [u32; 3], free: [u32; 3]) -> bool {
    let [ip, v, f] = need;
    let [b, vb, vr] = free;
    ip <= b + vb && v <= vb + vr && ip + v + f <= b + vb + vr
}

/// Builds the plan's report: reasons, changes, shortages and the figures.
pub(super) fn finish(
    instance: &Instance,
    prep: &Prep,
    mut convs: Vec<Convocation>,
    bound: f64,
    timed_out: bool,
    gap_target: f64,
    started: Instant,
) -> InterviewPlan {
    convs.sort_by_key(|c| (c.slot, c.candidate));
    let objective = plan_value(instance, prep, &convs);
    let bound = if bound.is_nan() { bound } else { bound.max(objective) };
    let gap = if bound.is_nan() { f64::NAN } else { relative_gap(bound, objective) };
    let status = if gap <= OPTIMAL_GAP {
        Status::Optimal
    } else if timed_out && (gap.is_nan() || gap > gap_target) {
        Status::TimeLimit
    } else {
        Status::WithinGap
    };
    let interviews = convs.iter().map(|cv| planned(instance, prep, cv)).collect();
    let mut at: Vec<Option<&Convocation>> = vec![None; instance.candidates.len()];
    for cv in &convs {
        at[cv.candidate] = Some(cv);
    }
    let mut changes = Vec::new();
    if instance.replanning {
        for f in &instance.fixed {
            match at[f.candidate] {
                Some(to) if to == f => {}
                Some(to) if to.slot == f.slot => changes.push(Change::Rebooked { from: f.clone(), to: to.clone() }),
                Some(to) => changes.push(Change::Moved { from: f.clone(), to: to.clone() }),
                None => changes.push(Change::Cancelled { from: f.clone() }),
            }
        }
    }
    let state = {
        let mut s = State::new(instance, prep);
        for cv in &convs {
            s.apply(instance, prep, cv);
        }
        s
    };
    let shortages = shortages(instance, prep, &state, &at);
    InterviewPlan {
        interviews,
        shortages,
        changes,
        objective,
        bound,
        gap,
        status,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// Reasons for one planned interview.
fn planned(instance: &Instance, prep: &Prep, cv: &Convocation) -> PlannedInterview {
    let c = cv.candidate;
    let cand: &Candidate = &instance.candidates[c];
    let mut reasons = Vec::new();
    if prep.fixed_of[c].is_some_and(|f| instance.fixed[f].slot == cv.slot) {
        reasons.push(Reason::AlreadyConvened);
    }
    let d = i64::from(cv.slot);
    if d > cand.deadline {
        reasons.push(Reason::Overdue((d - cand.deadline) as u32));
    } else if cand.deadline < i64::from(prep.h) {
        reasons.push(Reason::DeadlineWithin((cand.deadline - d) as u32));
    }
    match cand.urgency {
        super::Urgency::Detention => reasons.push(Reason::Detention),
        super::Urgency::Accelerated => reasons.push(Reason::Accelerated),
        super::Urgency::Normal => {}
    }
    if cand.vulnerable {
        reasons.push(Reason::Vulnerable);
    }
    if prep.ages[c] >= 0.75 {
        reasons.push(Reason::OldestFirst);
    }
    if prep.days[prep.unit_of[c]].first() == Some(&cv.slot) {
        reasons.push(Reason::EarliestFreeSlot);
    }
    if let Some(f) = cand.family {
        reasons.push(Reason::Family(f));
    }
    if cv.video {
        reasons.push(Reason::Video);
    }
    let officer = cand.officer;
    if let Some(s) = cand.interpreter_sex {
        reasons.push(match cv.interpreter.map(|i| instance.interpreters[i].sex) {
            Some(Some(x)) if x == s => Reason::SexPreferenceHonoured,
            _ => Reason::SexPreferenceNotHonoured(SexMismatch::Interpreter),
        });
    }
    if let Some(s) = cand.officer_sex {
        reasons.push(if instance.officers[officer].sex == Some(s) {
            Reason::SexPreferenceHonoured
        } else {
            Reason::SexPreferenceNotHonoured(SexMismatch::Officer)
        });
    }
    reasons.dedup();
    PlannedInterview { case: cand.case.clone(), convocation: cv.clone(), officer, reasons }
}

/// What blocks an unplanned candidate on one half-day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Blocker {
    Officer,
    NoInterpreter,
    InterpretersBusy,
    Room,
    Free,
}

/// Shortages: unplanned candidates due before the horizon ends, grouped by language and cause.
fn shortages(instance: &Instance, prep: &Prep, state: &State, at: &[Option<&Convocation>]) -> Vec<Shortage> {
    let h = i64::from(prep.h);
    let mut groups: BTreeMap<(Option<usize>, ShortageCause), (i64, Vec<usize>)> = BTreeMap::new();
    for (c, cand) in instance.candidates.iter().enumerate() {
        if at[c].is_some() || cand.deadline >= h {
            continue;
        }
        let u = prep.unit_of[c];
        let size = prep.units[u].len() as u32;
        let earliest = prep.units[u].iter().map(|&m| instance.candidates[m].earliest).max().unwrap_or(0);
        let end = if cand.deadline >= i64::from(earliest) { cand.deadline + 1 } else { h };
        let window: Vec<Slot> = (i64::from(earliest)..end.min(h)).map(|d| d as Slot).collect();
        let cause = if window.is_empty() {
            ShortageCause::NoticeTooShort
        } else {
            let blockers: Vec<(Slot, Blocker)> =
                window.iter().map(|&d| (d, state.blocker(instance, prep, c, size, d))).collect();
            let slots_of = |b: &[Blocker]| -> Vec<Slot> {
                blockers.iter().filter(|(_, x)| b.contains(x)).map(|&(d, _)| d).collect()
            };
            if blockers.iter().all(|(_, b)| *b == Blocker::Officer) {
                ShortageCause::OfficerBusy { officer: cand.officer }
            } else if blockers.iter().any(|(_, b)| *b == Blocker::Free) {
                ShortageCause::Displaced
            } else {
                let interp = slots_of(&[Blocker::NoInterpreter, Blocker::InterpretersBusy]);
                if !interp.is_empty() {
                    ShortageCause::NoInterpreter {
                        slots: interp,
                        booked_out: blockers.iter().any(|(_, b)| *b == Blocker::InterpretersBusy),
                    }
                } else {
                    ShortageCause::NoRoom { slots: slots_of(&[Blocker::Room]) }
                }
            }
        };
        let entry = groups.entry((prep.class_of[c], cause)).or_insert((i64::MIN, Vec::new()));
        entry.0 = entry.0.max(cand.deadline);
        entry.1.push(c);
    }
    groups
        .into_iter()
        .map(|((k, cause), (due_by, cases))| Shortage {
            language: k.map(|k| prep.classes[k].clone()),
            due_by,
            cases,
            cause,
        })
        .collect()
}

impl State {
    /// What keeps candidate `c` (in a unit of `size`) off half-day `d` in this state.
    fn blocker(&self, instance: &Instance, prep: &Prep, c: usize, size: u32, d: Slot) -> Blocker {
        let cand = &instance.candidates[c];
        // An absent officer explains everything; a full one only when interpreters were free
        // (a missing interpreter is the more useful thing to report).
        if !instance.officers[cand.officer].available[d as usize] {
            return Blocker::Officer;
        }
        let mut video_possible = false;
        let mut in_person_possible = false;
        if let Some(k) = prep.class_of[c] {
            let present: Vec<usize> = prep.class_interpreters[k]
                .iter()
                .copied()
                .filter(|&i| {
                    let int = &instance.interpreters[i];
                    int.available[d as usize] && (int.in_person || (int.video && cand.video_allowed))
                })
                .collect();
            if present.is_empty() {
                return Blocker::NoInterpreter;
            }
            for &i in &present {
                let int = &instance.interpreters[i];
                if int.in_person && self.interpreter_free(instance, i, k, false, d) {
                    in_person_possible = true;
                }
                if int.video && cand.video_allowed && self.interpreter_free(instance, i, k, true, d) {
                    video_possible = true;
                }
            }
            if !in_person_possible && !video_possible {
                return Blocker::InterpretersBusy;
            }
        }
        if !self.officer_free(instance, cand.officer, d, size) {
            return Blocker::Officer;
        }
        let t_ok = |t: usize| self.room_for(instance, t, d, None).is_some();
        let room = match prep.class_of[c] {
            None => t_ok(2),
            Some(_) => (in_person_possible && t_ok(0)) || (video_possible && t_ok(1)),
        };
        if room {
            Blocker::Free
        } else {
            Blocker::Room
        }
    }
}
