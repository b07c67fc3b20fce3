//! Who acts: an agent of the office or of the agency (with the role, division and section the
//! policies look at), or an applicant (one case, nothing else). The edges authenticate; the
//! office only ever receives an actor.

use nansen_authz::{Principal, Role};
use nansen_domain::ids::{CaseNumber, Login};

/// A signed-in agent.
#[derive(Debug, Clone)]
pub struct Agent {
    pub login: Login,
    pub principal: Principal,
    pub display_name: String,
}

impl Agent {
    pub fn role(&self) -> Role {
        self.principal.role
    }
}

/// A signed-in applicant: their case is all they may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applicant {
    pub case: CaseNumber,
}

impl Applicant {
    /// The journal's actor for an applicant: `applicant-2026-0000123`.
    pub fn login(&self) -> Login {
        applicant_login(self.case)
    }
}

/// The journal's actor for the applicant of a case.
pub fn applicant_login(case: CaseNumber) -> Login {
    #[allow(clippy::expect_used)]
    Login::parse(&format!("applicant-{case}")).expect("a case number makes a valid login")
}

/// One actor type with two kinds.
#[derive(Debug, Clone)]
pub enum Actor {
    Agent(Agent),
    Applicant(Applicant),
}

impl Actor {
    pub fn login(&self) -> Login {
        match self {
            Actor::Agent(a) => a.login.clone(),
            Actor::Applicant(a) => a.login(),
        }
    }
}
