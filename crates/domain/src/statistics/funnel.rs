//! Harmonisation: protection rates per unit (division, section, officer) with their confidence
//! interval, and the funnel plot's control limits. An outlier is a prompt for review, never a
//! verdict on a person: the limits only say how far chance alone usually goes at that volume.

use serde::{Deserialize, Serialize};

/// z for a two-sided 95 % interval.
pub const Z95: f64 = 1.959_964;
/// z for a two-sided 99.8 % interval.
pub const Z998: f64 = 3.090_232;

/// Wilson's score interval for `k` successes in `n` trials (sound for small n and rates near 0 or 1).
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = z * ((p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt()) / (1.0 + z2 / n);
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// The funnel's limits at volume `n` around the overall rate `p0` (normal approximation of the
/// binomial, clamped to [0, 1]): (low95, high95, low998, high998).
pub fn limits(p0: f64, n: u64) -> (f64, f64, f64, f64) {
    if n == 0 {
        return (0.0, 1.0, 0.0, 1.0);
    }
    let se = (p0 * (1.0 - p0) / n as f64).sqrt();
    let c = |x: f64| x.clamp(0.0, 1.0);
    (c(p0 - Z95 * se), c(p0 + Z95 * se), c(p0 - Z998 * se), c(p0 + Z998 * se))
}

/// Where a unit lies on the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Position {
    Inside,
    /// Outside the 95 % limits: worth a look.
    Beyond95,
    /// Outside the 99.8 % limits: worth a review.
    Beyond998,
}

/// A unit's figures for one nationality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRate {
    /// `office`, `division`, `section`, `officer`.
    pub level: String,
    /// `africa`, `africa/1`, `africa/1/opi.mercier`.
    pub unit: String,
    /// Decisions on the merits (positive or rejected).
    pub decisions: u64,
    pub positive: u64,
    pub rate: Option<f64>,
    /// Wilson 95 % interval.
    pub interval: Option<(f64, f64)>,
    pub position: Position,
}

/// A unit's rate against the overall rate `p0`.
pub fn unit_rate(level: &str, unit: &str, positive: u64, decisions: u64, p0: f64) -> UnitRate {
    let rate = (decisions > 0).then(|| positive as f64 / decisions as f64);
    let (lo95, hi95, lo998, hi998) = limits(p0, decisions);
    let position = match rate {
        Some(r) if r < lo998 || r > hi998 => Position::Beyond998,
        Some(r) if r < lo95 || r > hi95 => Position::Beyond95,
        _ => Position::Inside,
    };
    UnitRate {
        level: level.to_owned(),
        unit: unit.to_owned(),
        decisions,
        positive,
        rate,
        interval: wilson(positive, decisions, Z95),
        position,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_matches_a_worked_example() {
        // 8 of 10, z = 1.96: Wilson gives [0.490, 0.943].
        let (lo, hi) = wilson(8, 10, Z95).expect("n > 0");
        assert!((lo - 0.490).abs() < 0.001 && (hi - 0.943).abs() < 0.001, "{lo} {hi}");
        assert_eq!(wilson(0, 0, Z95), None);
        let (lo, hi) = wilson(0, 5, Z95).expect("n > 0");
        assert!(lo == 0.0 && hi > 0.4);
    }

    #[test]
    fn funnel_narrows_with_volume() {
        let (l1, h1, _, _) = limits(0.3, 20);
        let (l2, h2, _, _) = limits(0.3, 2000);
        assert!(h1 - l1 > h2 - l2);
        assert_eq!(unit_rate("officer", "x", 30, 100, 0.3).position, Position::Inside);
        assert_eq!(unit_rate("officer", "x", 45, 100, 0.3).position, Position::Beyond998);
        assert_eq!(unit_rate("officer", "x", 40, 100, 0.3).position, Position::Beyond95);
        assert_eq!(unit_rate("officer", "x", 0, 0, 0.3).position, Position::Inside);
    }
}
