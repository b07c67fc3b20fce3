//! Potentials (Ahani, Gölz, Procaccia, Teytelboym & Trapp, "Dynamic placement in refugee
//! resettlement", Operations Research 2024): the shadow price of a place, learnt from the
//! arrivals still expected, so that today's plan holds capacity back for them.

use crate::model::{lp_relaxation, validate, PlanError, Problem, KINDS};

/// Per bin, per kind: the price of one place, i.e. the dual value (>= 0) of the capacity row
/// in the LP relaxation of `future` (the arrivals still expected, against the capacity there
/// will be for them).
///
/// The caller subtracts `size · price` from the value of placing a current household in that
/// bin; a place nobody in `future` competes for costs 0, a scarce one costs what the marginal
/// future household would have gained from it.
pub fn potentials(future: &Problem) -> Result<Vec<[f64; KINDS]>, PlanError> {
    validate(future)?;
    let duals = lp_relaxation(future, false)?.duals;
    let mut prices = vec![[0.0; KINDS]; future.bins.len()];
    for (bin, kind, dual) in duals {
        // HiGHS reports duals of a maximisation with the sign of the minimisation it solves
        // (a binding `<=` row has a dual <= 0 there); a price is the gain per extra place.
        prices[bin as usize][kind] = DUAL_SIGN * dual;
    }
    for p in prices.iter_mut().flatten() {
        // Round-off from the simplex can leave tiny negative values.
        *p = p.max(0.0);
    }
    Ok(prices)
}

const DUAL_SIGN: f64 = 1.0;
