//! The baseline: earliest deadline first, each interview on the earliest half-day where its
//! officer, an interpreter and a room are free. Also the bookkeeping (`State`) the exact
//! planner uses to complete and explain its plans.

use std::time::Instant;

use super::solve::{finish, kind_preference, suits, Prep};
use super::{check, Convocation, Instance, InterviewPlan, Slot, Urgency};
use crate::model::PlanError;

/// Greedy plan: in a fresh plan the fixed convocations first; when replanning, each
/// already-convened family or candidate first on its previous half-day (previous interpreter
/// and room preferred). Then the others by earliest deadline (ties: detention, accelerated,
/// vulnerable, older introduction, index), each on the earliest possible half-day where the
/// officer has capacity and every member gets an interpreter (previous one, then one of the
/// requested sex, in person before video) and a suitable room (the least versatile first).
///
/// Deterministic; `bound` and `gap` are `NaN` (no bound is computed).
pub fn greedy_interviews(instance: &Instance) -> Result<InterviewPlan, PlanError> {
    let started = Instant::now();
    check(instance)?;
    let prep = Prep::new(instance);
    let state = complete(instance, &prep, State::new(instance, &prep));
    Ok(finish(instance, &prep, state.convocations(), f64::NAN, false, 0.0, started))
}

/// Completes a (feasible) partial plan greedily as [`greedy_interviews`] describes.
pub(super) fn complete(instance: &Instance, prep: &Prep, mut state: State) -> State {
    if !instance.replanning {
        for f in &instance.fixed {
            if state.convs[f.candidate].is_none() {
                state.apply(instance, prep, f);
            }
        }
    }
    let mut done: Vec<bool> =
        prep.units.iter().map(|members| members.iter().any(|&c| state.convs[c].is_some())).collect();
    if instance.replanning {
        for f in &instance.fixed {
            let u = prep.unit_of[f.candidate];
            if !done[u] && prep.days[u].contains(&f.slot) && state.place_unit(instance, prep, u, f.slot) {
                done[u] = true;
            }
        }
    }
    let urgency_rank = |u: Urgency| match u {
        Urgency::Detention => 0u8,
        Urgency::Accelerated => 1,
        Urgency::Normal => 2,
    };
    let mut order: Vec<usize> = (0..prep.units.len()).filter(|&u| !done[u]).collect();
    order.sort_by_key(|&u| {
        let members = &prep.units[u];
        let cands = members.iter().map(|&c| &instance.candidates[c]);
        let deadline = cands.clone().map(|c| c.deadline).min().unwrap_or(i64::MAX);
        let urgency = cands.clone().map(|c| urgency_rank(c.urgency)).min().unwrap_or(2);
        let vulnerable = cands.clone().any(|c| c.vulnerable);
        let introduced = cands.map(|c| c.introduced).min().unwrap_or(0);
        (deadline, urgency, !vulnerable, introduced, u)
    });
    for u in order {
        for &d in &prep.days[u] {
            if state.place_unit(instance, prep, u, d) {
                break;
            }
        }
    }
    state
}

/// Resources booked so far.
#[derive(Clone)]
pub(super) struct State {
    h: usize,
    officer_load: Vec<u32>,
    /// Per interpreter and half-day: (language class, video, interviews).
    interp: Vec<Option<(usize, bool, u32)>>,
    room_used: Vec<bool>,
    /// Per candidate.
    pub convs: Vec<Option<Convocation>>,
}

impl State {
    pub fn new(instance: &Instance, prep: &Prep) -> Self {
        let h = prep.h as usize;
        Self {
            h,
            officer_load: vec![0; instance.officers.len() * h],
            interp: vec![None; instance.interpreters.len() * h],
            room_used: vec![false; instance.rooms.len() * h],
            convs: vec![None; instance.candidates.len()],
        }
    }

    /// Books a convocation (assumed possible).
    pub fn apply(&mut self, instance: &Instance, prep: &Prep, cv: &Convocation) {
        let d = cv.slot as usize;
        self.officer_load[instance.candidates[cv.candidate].officer * self.h + d] += 1;
        if let (Some(i), Some(k)) = (cv.interpreter, prep.class_of[cv.candidate]) {
            match &mut self.interp[i * self.h + d] {
                Some((_, _, n)) => *n += 1,
                slot => *slot = Some((k, cv.video, 1)),
            }
        }
        self.room_used[cv.room * self.h + d] = true;
        self.convs[cv.candidate] = Some(cv.clone());
    }

    /// Undoes [`State::apply`].
    fn undo(&mut self, instance: &Instance, cv: &Convocation) {
        let d = cv.slot as usize;
        self.officer_load[instance.candidates[cv.candidate].officer * self.h + d] -= 1;
        if let Some(i) = cv.interpreter {
            let slot = &mut self.interp[i * self.h + d];
            if let Some((_, _, n)) = slot {
                *n -= 1;
                if *n == 0 {
                    *slot = None;
                }
            }
        }
        self.room_used[cv.room * self.h + d] = false;
        self.convs[cv.candidate] = None;
    }

    /// The booked convocations, by candidate.
    pub fn convocations(&self) -> Vec<Convocation> {
        self.convs.iter().flatten().cloned().collect()
    }

    pub fn officer_free(&self, instance: &Instance, o: usize, d: Slot, size: u32) -> bool {
        let officer = &instance.officers[o];
        officer.available[d as usize] && self.officer_load[o * self.h + d as usize] + size <= officer.capacity
    }

    /// Whether interpreter `i` can take one more interview of class `k` in the mode on `d`.
    pub fn interpreter_free(&self, instance: &Instance, i: usize, k: usize, video: bool, d: Slot) -> bool {
        let int = &instance.interpreters[i];
        let mode = if video { int.video } else { int.in_person };
        mode && int.available[d as usize]
            && match self.interp[i * self.h + d as usize] {
                None => true,
                Some((kk, v, n)) => kk == k && v == video && n < instance.interpreter_capacity,
            }
    }

    /// A free room on `d` for interview type `t` (0 interpreter in person, 1 by video, 2 none):
    /// `prefer` if possible, else the least versatile kind, lowest index.
    pub fn room_for(&self, instance: &Instance, t: usize, d: Slot, prefer: Option<usize>) -> Option<usize> {
        let free = |r: usize| {
            let room = &instance.rooms[r];
            room.available[d as usize] && !self.room_used[r * self.h + d as usize] && suits(t, room.kind)
        };
        if let Some(r) = prefer.filter(|&r| r < instance.rooms.len() && free(r)) {
            return Some(r);
        }
        (0..instance.rooms.len()).filter(|&r| free(r)).min_by_key(|&r| (kind_preference(t, instance.rooms[r].kind), r))
    }

    /// Books the whole unit on `d` if every member gets an interpreter and a room.
    pub fn place_unit(&mut self, instance: &Instance, prep: &Prep, u: usize, d: Slot) -> bool {
        let members = &prep.units[u];
        let officer = instance.candidates[members[0]].officer;
        if !self.officer_free(instance, officer, d, members.len() as u32) {
            return false;
        }
        let mut booked: Vec<Convocation> = Vec::new();
        for &c in members {
            let cand = &instance.candidates[c];
            let previous = prep.previous(instance, c).filter(|f| f.slot == d);
            let prefer_room = previous.map(|f| f.room);
            let conv = match prep.class_of[c] {
                None => self.room_for(instance, 2, d, prefer_room).map(|room| Convocation {
                    candidate: c,
                    slot: d,
                    interpreter: None,
                    video: false,
                    room,
                }),
                Some(k) => {
                    let mut options: Vec<(usize, bool)> = Vec::new();
                    for &i in &prep.class_interpreters[k] {
                        for video in [false, true] {
                            if (!video || cand.video_allowed) && self.interpreter_free(instance, i, k, video, d) {
                                options.push((i, video));
                            }
                        }
                    }
                    options.sort_by_key(|&(i, video)| {
                        let same = previous.is_some_and(|f| f.interpreter == Some(i) && f.video == video);
                        let working = self.interp[i * self.h + d as usize].is_some();
                        let sex = cand.interpreter_sex.is_some_and(|s| instance.interpreters[i].sex == Some(s));
                        (!same, !working, !sex, video, i)
                    });
                    options.into_iter().find_map(|(i, video)| {
                        self.room_for(instance, usize::from(video), d, prefer_room).map(|room| Convocation {
                            candidate: c,
                            slot: d,
                            interpreter: Some(i),
                            video,
                            room,
                        })
                    })
                }
            };
            match conv {
                Some(cv) => {
                    self.apply(instance, prep, &cv);
                    booked.push(cv);
                }
                None => {
                    for cv in booked.iter().rev() {
                        self.undo(instance, cv);
                    }
                    return false;
                }
            }
        }
        true
    }
}
