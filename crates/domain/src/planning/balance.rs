//! Workload balancing (répartition de la charge): which officer could take each case waiting for
//! assignment, so that officers' weighted open cases, divided by their presence over the coming
//! half-days, come out as even as possible. These are proposals: the section head accepts or
//! changes each one, and the assignment itself goes through the case as always.
//!
//! The rule is the classic one for spreading jobs over machines, longest processing time first:
//! the heaviest case first, to the officer whose load relative to presence is lowest once it is
//! added. It is simple enough that every proposal states its reason.

use std::cmp::Ordering;

use serde::Serialize;

use crate::ids::{CaseNumber, DivisionId, Login, SectionId};

/// A case waiting for an officer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ToAssign {
    pub case: CaseNumber,
    pub weight: f64,
    /// The division competent for the nationality; `None` when the nationality is pooled and any
    /// division may examine it.
    pub division: Option<DivisionId>,
}

/// An officer's portfolio as the balance reads it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficerLoad {
    pub officer: Login,
    pub division: DivisionId,
    pub section: SectionId,
    /// Open cases (assigned and not yet signed).
    pub open: u32,
    /// Their weight still ahead of the officer.
    pub load: f64,
    /// The share of the coming half-days the officer is present, 0 to 1; an officer absent
    /// throughout is proposed nothing.
    pub presence: f64,
}

impl OfficerLoad {
    /// Load relative to presence: what the balance evens out.
    pub fn relative(&self) -> f64 {
        if self.presence > 0.0 {
            self.load / self.presence
        } else {
            f64::INFINITY
        }
    }
}

/// One proposal: the case, the officer, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposal {
    pub case: CaseNumber,
    pub officer: Login,
    pub weight: f64,
    /// The officer's relative load before this case (the lowest among those who could take it).
    pub relative_before: f64,
    /// The case went to another division than the one its nationality belongs to (pooled).
    pub pooled: bool,
}

/// The proposals, and the officers' loads once they are accepted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Balance {
    pub proposals: Vec<Proposal>,
    /// Cases no officer could take (nobody present in the division).
    pub unplaced: Vec<CaseNumber>,
    pub officers: Vec<OfficerLoad>,
}

fn heaviest_first(a: &ToAssign, b: &ToAssign) -> Ordering {
    b.weight.total_cmp(&a.weight).then_with(|| a.case.cmp(&b.case))
}

/// Proposes an officer for each case. An officer of the case's division, or of any division
/// for a pooled nationality; among them, the one whose relative load is lowest once the case
/// is added (ties: the lower relative load before, then the login).
pub fn propose(cases: &[ToAssign], officers: &[OfficerLoad]) -> Balance {
    let mut officers: Vec<OfficerLoad> = officers.to_vec();
    let mut order: Vec<&ToAssign> = cases.iter().collect();
    order.sort_by(|a, b| heaviest_first(a, b));
    let mut proposals = Vec::with_capacity(order.len());
    let mut unplaced = Vec::new();
    for case in order {
        let weight = case.weight.max(0.0);
        let best = officers
            .iter()
            .enumerate()
            .filter(|(_, o)| o.presence > 0.0 && case.division.is_none_or(|d| d == o.division))
            .min_by(|(_, a), (_, b)| {
                let after = |o: &OfficerLoad| (o.load + weight) / o.presence;
                after(a)
                    .total_cmp(&after(b))
                    .then_with(|| a.relative().total_cmp(&b.relative()))
                    .then_with(|| a.officer.cmp(&b.officer))
            })
            .map(|(i, _)| i);
        let Some(i) = best else {
            unplaced.push(case.case);
            continue;
        };
        let officer = &mut officers[i];
        proposals.push(Proposal {
            case: case.case,
            officer: officer.officer.clone(),
            weight,
            relative_before: officer.relative(),
            pooled: case.division.is_none(),
        });
        officer.load += weight;
        officer.open += 1;
    }
    proposals.sort_by_key(|p| p.case);
    Balance { proposals, unplaced, officers }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn officer(login: &str, division: DivisionId, load: f64, presence: f64) -> OfficerLoad {
        OfficerLoad {
            officer: Login::parse(login).expect("login"),
            division,
            section: SectionId::new(1).expect("section"),
            open: 0,
            load,
            presence,
        }
    }

    fn case(n: u32, weight: f64, division: Option<DivisionId>) -> ToAssign {
        ToAssign { case: CaseNumber::new(2026, n).expect("number"), weight, division }
    }

    #[test]
    fn equal_officers_get_equal_shares_and_the_loaded_one_less() {
        let asia = DivisionId::Asia;
        let officers =
            [officer("opi.a", asia, 0.0, 1.0), officer("opi.b", asia, 0.0, 1.0), officer("opi.c", asia, 6.0, 1.0)];
        let cases: Vec<_> = (1..=12).map(|n| case(n, 1.0, Some(asia))).collect();
        let b = propose(&cases, &officers);
        let count = |login: &str| b.proposals.iter().filter(|p| p.officer.as_str() == login).count();
        assert_eq!((count("opi.a"), count("opi.b"), count("opi.c")), (6, 6, 0));
        assert!(b.unplaced.is_empty());
    }

    #[test]
    fn an_officer_away_half_the_time_takes_half_and_one_away_takes_nothing() {
        let asia = DivisionId::Asia;
        let officers =
            [officer("opi.a", asia, 0.0, 1.0), officer("opi.b", asia, 0.0, 0.5), officer("opi.c", asia, 0.0, 0.0)];
        let cases: Vec<_> = (1..=9).map(|n| case(n, 1.0, Some(asia))).collect();
        let b = propose(&cases, &officers);
        let count = |login: &str| b.proposals.iter().filter(|p| p.officer.as_str() == login).count();
        assert_eq!((count("opi.a"), count("opi.b"), count("opi.c")), (6, 3, 0));
    }

    #[test]
    fn a_pooled_case_may_cross_divisions_and_others_stay_home() {
        let officers =
            [officer("opi.asia", DivisionId::Asia, 10.0, 1.0), officer("opi.africa", DivisionId::Africa, 0.0, 1.0)];
        let b = propose(&[case(1, 1.0, Some(DivisionId::Asia)), case(2, 1.0, None)], &officers);
        assert_eq!(b.proposals[0].officer.as_str(), "opi.asia");
        assert!(!b.proposals[0].pooled);
        assert_eq!(b.proposals[1].officer.as_str(), "opi.africa");
        assert!(b.proposals[1].pooled);
    }

    #[test]
    fn a_division_with_nobody_present_leaves_its_cases_unplaced() {
        let officers = [officer("opi.asia", DivisionId::Asia, 0.0, 0.0)];
        let b = propose(&[case(1, 1.0, Some(DivisionId::Asia))], &officers);
        assert!(b.proposals.is_empty());
        assert_eq!(b.unplaced.len(), 1);
    }

    proptest! {
        /// Every case is proposed once (or left unplaced for want of an officer present), always
        /// to a present officer of its division when it is not pooled, and the loads add up.
        #[test]
        fn proposals_are_complete_and_eligible_and_loads_add_up(
            weights in proptest::collection::vec((1u32..40, 0usize..3), 0..60),
            loads in proptest::collection::vec((0u32..200, 0u32..=4, 0usize..2), 1..8),
        ) {
            let divisions = [DivisionId::Asia, DivisionId::Africa];
            let officers: Vec<OfficerLoad> = loads.iter().enumerate()
                .map(|(i, (l, p, d))| officer(&format!("opi.o{i}"), divisions[*d], f64::from(*l) / 10.0, f64::from(*p) / 4.0))
                .collect();
            let cases: Vec<ToAssign> = weights.iter().enumerate()
                .map(|(n, (w, d))| case(n as u32 + 1, f64::from(*w) / 10.0, divisions.get(*d).copied()))
                .collect();
            let b = propose(&cases, &officers);
            prop_assert_eq!(b.proposals.len() + b.unplaced.len(), cases.len());
            for p in &b.proposals {
                let c = cases.iter().find(|c| c.case == p.case).expect("case");
                let o = officers.iter().find(|o| o.officer == p.officer).expect("officer");
                prop_assert!(o.presence > 0.0);
                if let Some(d) = c.division { prop_assert_eq!(o.division, d); }
            }
            for u in &b.unplaced {
                let c = cases.iter().find(|c| c.case == *u).expect("case");
                prop_assert!(!officers.iter().any(|o| o.presence > 0.0 && c.division.is_none_or(|d| d == o.division)));
            }
            let total: f64 = b.officers.iter().map(|o| o.load).sum::<f64>();
            let expected: f64 = officers.iter().map(|o| o.load).sum::<f64>() + b.proposals.iter().map(|p| p.weight).sum::<f64>();
            prop_assert!((total - expected).abs() < 1e-6);
        }
    }
}
