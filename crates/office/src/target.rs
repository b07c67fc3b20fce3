//! A target of the office's verbs, loaded: a case by its number, with the attributes the
//! policies look at; and the small tools every workspace uses to turn a decided intent into the
//! operations of one commit.

use nansen_authz::{CaseAttrs, Resource};
use nansen_domain::ids::{CaseNumber, Login};
use nansen_domain::lifecycle::{decide, evolve, Case, Command, Ctx};
use nansen_store::{Action, CaseSummary, Op};
use time::OffsetDateTime;

use crate::actor::Agent;
use crate::{Office, OfficeError};

/// The attributes of a case that the policies look at.
pub(crate) fn case_attrs(case: &Case, office: &Office) -> CaseAttrs {
    CaseAttrs {
        number: case.number.to_string(),
        // Before assignment, the division competent for the nationality.
        division: case
            .division
            .or_else(|| office.rules().division_of(case.nationality, case.introduced_on))
            .map(|d| d.as_str().to_owned()),
        section: case.section.map(|s| s.get()),
        officer: case.officer.as_ref().map(|o| o.as_str().to_owned()),
        drafted_by: case.drafted_by.as_ref().map(|o| o.as_str().to_owned()),
        pooled: office.rules().is_pooled(case.nationality, office.today()),
        status: case.status.as_str().to_owned(),
        // Granted by the office's signed decision, or by the court on appeal.
        protection_granted: (case.signed_by.is_some() && case.draft.as_ref().is_some_and(|d| d.outcome.is_positive()))
            || case.court_ruling.as_ref().is_some_and(|r| r.outcome.grants_protection()),
        // The office's signed decision rejected or granted subsidiary protection.
        recording_open: case.signed_by.is_some()
            && case.draft.as_ref().is_some_and(|d| {
                matches!(
                    d.outcome,
                    nansen_domain::decision::Outcome::Rejection
                        | nansen_domain::decision::Outcome::SubsidiaryProtection { .. }
                )
            }),
    }
}

pub(crate) fn summary_attrs(s: &CaseSummary, office: &Office) -> CaseAttrs {
    let pooled = nansen_domain::ids::Nationality::parse(&s.nationality)
        .map(|n| office.rules().is_pooled(n, office.today()))
        .unwrap_or(false);
    CaseAttrs {
        number: s.number.clone(),
        division: s.division.clone(),
        section: s.section,
        officer: s.officer.clone(),
        drafted_by: None,
        pooled,
        status: s.status.clone(),
        protection_granted: false,
        recording_open: false,
    }
}

pub fn parse_number(s: &str) -> Result<CaseNumber, OfficeError> {
    CaseNumber::parse(s).map_err(|_| OfficeError::NotFound(format!("case {s:?}")))
}

/// A case as a target of the gate: the case, its Cedar resource, and its journal subject.
pub(crate) struct CaseTarget {
    pub case: Case,
    pub resource: Resource,
    pub subject: String,
}

/// Loads a case as a target of the gate.
pub(crate) async fn load_target(office: &Office, number: &str) -> Result<CaseTarget, OfficeError> {
    let case = load(office, number).await?;
    let resource = Resource::Case(case_attrs(&case, office));
    let subject = format!("case:{}", case.number);
    Ok(CaseTarget { case, resource, subject })
}

pub(crate) async fn load(office: &Office, number: &str) -> Result<Case, OfficeError> {
    let n = parse_number(number)?;
    office.store().case(&n).await?.ok_or_else(|| OfficeError::NotFound(format!("case {number}")))
}

/// The case the commands would give, decided and evolved here as the writer will (a dry run):
/// letters printed before the one commit show what the commit will record.
pub(crate) fn predict(
    office: &Office,
    actor: &Login,
    now: OffsetDateTime,
    case: Case,
    commands: &[Command],
) -> Result<Case, OfficeError> {
    let ctx = Ctx { actor: actor.clone(), now, rules: office.rules() };
    let mut case = case;
    for command in commands {
        for event in decide(&case, command, &ctx)? {
            case = evolve(case, &event);
        }
    }
    Ok(case)
}

/// The operation of a command on an existing case.
pub(crate) fn case_op(agent: &Agent, now: OffsetDateTime, number: CaseNumber, command: Command) -> Op {
    Op { actor: agent.login.clone(), now, action: Action::Case { number, command } }
}

/// The case after the last of the committed operations.
pub(crate) fn last_case(applied: Vec<nansen_store::Applied>) -> Result<Case, OfficeError> {
    applied
        .into_iter()
        .rev()
        .find_map(|a| a.case)
        .ok_or_else(|| OfficeError::Internal("the writer returned no case".into()))
}
