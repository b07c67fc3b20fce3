//! The reception agency in the workbench (workspace `reception`): the single window's
//! households (`households.rs`), the network and the operators' declarations (`network.rs`),
//! the monthly allowance (`allowance.rs`) and the API (`api.rs`). The pages carry the agency's
//! own name; they work without JavaScript, and an error is shown next to its field in the
//! agent's language.

pub mod allowance;
pub mod api;
pub mod households;
pub mod network;
pub mod orientation;

use axum::Router;
use nansen_domain::person::{BirthDate, Name, Sex};
use nansen_domain::reception::{LeaveReason, Member, Places, Relationship, VulnerabilityKind};

use crate::forms;
use crate::{AppState, WebError};

pub fn routes() -> Router<AppState> {
    households::routes().merge(network::routes()).merge(allowance::routes()).merge(orientation::routes())
}

/// Rows of the registration form (the head, then up to seven members).
pub const MEMBER_ROWS: usize = 8;

/// A member as typed (the form's row `i` or the API's item), before the domain checks it.
#[derive(Debug, Default, Clone)]
pub struct MemberInput {
    pub family_name: String,
    pub given_names: String,
    pub family_name_original: String,
    pub given_names_original: String,
    pub sex: String,
    pub birth_date: String,
    pub relationship: String,
    pub foreigner_number: String,
}

impl MemberInput {
    pub fn is_empty(&self) -> bool {
        self.family_name.trim().is_empty()
            && self.given_names.trim().is_empty()
            && self.birth_date.trim().is_empty()
            && self.foreigner_number.trim().is_empty()
    }

    /// The member, or an error on the row's field (`member_birth_2`).
    pub fn parse(&self, i: usize) -> Result<Member, WebError> {
        let field = |f: &str| format!("member_{f}_{i}");
        let family = self.family_name.trim();
        if family.is_empty() {
            return Err(WebError::field(field("family"), "the family name in Latin letters"));
        }
        let given = self.given_names.trim();
        let family_original = Some(self.family_name_original.trim()).filter(|s| !s.is_empty()).unwrap_or(family);
        let given_original = Some(self.given_names_original.trim()).filter(|s| !s.is_empty()).unwrap_or(given);
        let sex = match self.sex.trim() {
            "female" => Sex::Female,
            "male" => Sex::Male,
            "" | "unspecified" => Sex::Unspecified,
            _ => return Err(WebError::field(field("sex"), "female, male or unspecified")),
        };
        let birth = self.birth_date.trim();
        let birth_date = if birth.is_empty() {
            BirthDate::Unknown
        } else if birth.len() == 4 {
            BirthDate::Year(
                birth.parse().map_err(|_| WebError::field(field("birth"), "a date as YYYY-MM-DD, or a year"))?,
            )
        } else {
            BirthDate::Exact(
                forms::date("birth", birth)
                    .map_err(|_| WebError::field(field("birth"), "a date as YYYY-MM-DD, or a year"))?,
            )
        };
        let relationship = if i == 0 && self.relationship.trim().is_empty() {
            Relationship::Head
        } else {
            relationship(self.relationship.trim())
                .ok_or_else(|| WebError::field(field("relationship"), "the member's link to the head of household"))?
        };
        let foreigner = self.foreigner_number.trim();
        let foreigner_number = if foreigner.is_empty() {
            None
        } else {
            Some(
                nansen_domain::reception::check_foreigner_number(foreigner)
                    .map_err(|_| WebError::field(field("foreigner"), "ten digits"))?,
            )
        };
        Ok(Member {
            family_name: Name::new(family_original, family),
            given_names: Name::new(given_original, given),
            sex,
            birth_date,
            relationship,
            foreigner_number,
        })
    }
}

pub(crate) fn relationship(s: &str) -> Option<Relationship> {
    Relationship::ALL.into_iter().find(|r| r.as_str() == s)
}

pub(crate) fn procedure(s: &str) -> Result<nansen_domain::reception::AsylumProcedure, WebError> {
    nansen_domain::reception::AsylumProcedure::ALL
        .into_iter()
        .find(|p| p.as_str() == s.trim())
        .ok_or_else(|| WebError::field("procedure", "normal, accelerated or dublin"))
}

pub(crate) fn leave_reason(s: &str) -> Result<LeaveReason, WebError> {
    LeaveReason::ALL
        .into_iter()
        .find(|r| r.as_str() == s.trim())
        .ok_or_else(|| WebError::field("reason", "why the household left"))
}

pub(crate) fn priority(s: &str) -> Result<nansen_domain::reception::MedicalPriority, WebError> {
    nansen_domain::reception::MedicalPriority::ALL
        .into_iter()
        .find(|p| p.as_str() == s.trim())
        .ok_or_else(|| WebError::field("priority", "none, follow_up or priority"))
}

pub(crate) fn need_kind(s: &str) -> Result<VulnerabilityKind, WebError> {
    VulnerabilityKind::parse(s.trim()).map_err(|_| WebError::field("needs", "a point of vulnerability from the list"))
}

/// A count of places or people: a whole number from 0 to 100,000.
pub(crate) fn count(field: &str, s: &str) -> Result<u32, WebError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(0);
    }
    s.parse::<u32>().ok().filter(|n| *n <= 100_000).ok_or_else(|| WebError::field(field, "a whole number, 0 or more"))
}

pub(crate) fn places(prefix: &str, single: &str, family: &str, accessible: &str) -> Result<Places, WebError> {
    Ok(Places {
        single: count(&format!("{prefix}_single"), single)?,
        family: count(&format!("{prefix}_family"), family)?,
        accessible: count(&format!("{prefix}_accessible"), accessible)?,
    })
}

/// Euros from cents, as the pages and the statements show them: `28.40`.
pub fn euros(cents: &i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

/// A refused form of the agency's pages: what was typed, the field at fault, and the reason in
/// the agent's language, the agency's own words for its fields first (`error-reception-<field>`,
/// a row's field without its number).
pub(crate) fn refused(
    form: impl Into<String>,
    values: std::collections::HashMap<String, String>,
    e: &WebError,
    tr: &crate::i18n::Tr,
) -> crate::ui::FormState {
    let mut state = crate::ui::FormState::refused(form, values, e, tr);
    if matches!(e.code(), "validation" | "already_done") || matches!(e, WebError::Field { .. }) {
        if let Some(field) = e.field_name() {
            let base = field.trim_end_matches(|c: char| c.is_ascii_digit()).trim_end_matches('_');
            let key = format!("error-reception-{base}");
            let text = tr.t(&key);
            if text != key {
                state.message = Some(text);
            }
        }
    }
    state
}
