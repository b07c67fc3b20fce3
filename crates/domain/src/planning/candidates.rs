//! Which cases a week's plan convenes, and what the law says of each: its urgency, the last day
//! it can be heard in time, and the first day the notice allows.

use serde::Serialize;
use time::{Date, Duration};

use super::{PlanningRules, Spoken, Urgency};
use crate::application::Procedure;
use crate::cases::deadlines::{deadlines, DeadlineKind};
use crate::cases::Status;
use crate::cases::{Case, InterviewNeeds};
use crate::error::DomainError;
use crate::ids::{CaseNumber, Login};
use crate::rules::Rules;

/// A case to convene, as the planner needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateFacts {
    pub case: CaseNumber,
    pub officer: Login,
    /// The interpreter's language; `None` when the interview is held in French.
    pub language: Option<Spoken>,
    pub urgency: Urgency,
    /// The day the decision is due: the interview comes before it.
    pub due_on: Date,
    /// The first day the convocation's notice allows, if it is sent today.
    pub earliest: Date,
    pub introduced_on: Date,
    /// Detention cases are heard by video link from an approved room (L.531-16).
    pub video_only: bool,
    /// What the applicant asked for or needs (sex of the officer and interpreter, vulnerability,
    /// family members heard together).
    pub needs: InterviewNeeds,
}

/// Why a case ready for interview cannot be planned by the software (it is listed, to be
/// convened by hand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplannable {
    pub case: CaseNumber,
    pub reason: String,
}

/// The urgency of a case's procedure.
pub fn urgency(procedure: &Procedure) -> Urgency {
    match procedure {
        Procedure::Detention | Procedure::Border => Urgency::Detention,
        Procedure::Accelerated(_) => Urgency::Accelerated,
        Procedure::Normal => Urgency::Normal,
    }
}

/// A case assigned to an officer and not yet convened is a candidate; anything else is not
/// (`Ok(None)`). A candidate the planner cannot take (an unknown language) is `Err`.
pub fn candidate(
    case: &Case,
    rules: &Rules,
    planning: &PlanningRules,
    today: Date,
) -> Result<Option<CandidateFacts>, Unplannable> {
    if case.status != Status::Assigned {
        return Ok(None);
    }
    let Some(officer) = case.officer.clone() else { return Ok(None) };
    let refuse = |reason: String| Unplannable { case: case.number, reason };
    let language = match case.language.as_str() {
        "fr" | "fra" => None,
        code => Some(
            Spoken::parse(code)
                .map_err(|_| refuse(format!("the language {code:?} is not an ISO 639-3 code: convene by hand")))?,
        ),
    };
    let urgency = urgency(&case.procedure);
    let notice = planning.notice_days(today, urgency).map_err(|e: DomainError| refuse(e.to_string()))?;
    let due_on = deadlines(case, rules)
        .into_iter()
        .find(|d| d.kind == DeadlineKind::Decision)
        .map(|d| d.due_on)
        .unwrap_or(today + Duration::days(180));
    Ok(Some(CandidateFacts {
        case: case.number,
        officer,
        language,
        urgency,
        due_on,
        earliest: today + Duration::days(notice),
        introduced_on: case.introduced_on,
        video_only: urgency == Urgency::Detention,
        needs: case.interview_needs.clone().unwrap_or_default(),
    }))
}
