//! A dérogation (Code du patrimoine, L.213-3): a researcher asks to consult named files before
//! they are communicable, with their reasons; the archivist gives an opinion, the office that
//! produced the files gives its agreement or not, and the decision is recorded with its reasons.
//! No dérogation is granted without the producer's agreement. Journaled under `derogation:<id>`.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::DomainError;
use crate::ids::Login;
use crate::serde_dates;

/// The most files one request names.
pub const MAX_FILES: usize = 50;
/// The longest reasons or opinion (characters).
pub const TEXT_MAX: usize = 4_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DerogationStatus {
    #[default]
    New,
    /// Asked, waiting for the archivist's opinion.
    Asked,
    /// The archivist gave an opinion; waiting for the producing office's.
    WithOffice,
    /// Both opinions given; waiting for the decision.
    ToDecide,
    Granted,
    Refused,
}

/// An opinion, favourable or not, with its reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opinion {
    pub by: Login,
    pub favourable: bool,
    pub reasons: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Derogation {
    pub id: String,
    pub status: DerogationStatus,
    /// The researcher's account (the portal's own accounts, not the office's logins).
    pub researcher: String,
    /// The files asked for (their references in the collection).
    pub files: Vec<String>,
    pub reasons: String,
    pub archivist: Option<Opinion>,
    pub office: Option<Opinion>,
    /// The decision's reasons (said to the researcher, and what the CADA would read).
    pub decision: Option<Opinion>,
    #[serde(default, with = "serde_dates::date::option")]
    pub decided_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum DerogationCommand {
    Ask {
        id: String,
        researcher: String,
        files: Vec<String>,
        reasons: String,
    },
    /// The archivist's opinion.
    Advise {
        favourable: bool,
        reasons: String,
    },
    /// The producing office's agreement, or not.
    Agree {
        favourable: bool,
        reasons: String,
    },
    Decide {
        grant: bool,
        reasons: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum DerogationEvent {
    Asked {
        id: String,
        researcher: String,
        files: Vec<String>,
        reasons: String,
    },
    Advised {
        opinion: Opinion,
    },
    Agreed {
        opinion: Opinion,
    },
    Decided {
        decision: Opinion,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

impl DerogationEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            DerogationEvent::Asked { .. } => "derogation.asked",
            DerogationEvent::Advised { .. } => "derogation.advised",
            DerogationEvent::Agreed { .. } => "derogation.agreed",
            DerogationEvent::Decided { .. } => "derogation.decided",
        }
    }
}

fn text(field: &'static str, s: &str) -> Result<String, DomainError> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > TEXT_MAX {
        return Err(DomainError::validation(field, format!("write 1 to {TEXT_MAX} characters")));
    }
    Ok(s.to_owned())
}

impl Derogation {
    /// Whether this dérogation lets its researcher see `file`.
    pub fn grants(&self, researcher: &str, file: &str) -> bool {
        self.status == DerogationStatus::Granted
            && self.researcher == researcher
            && self.files.iter().any(|f| f == file)
    }

    /// Who gives which opinion is Cedar's to say (archivists advise; the office's director
    /// agrees and decides); this checks the order of the steps and the law's condition.
    pub fn decide(
        &self,
        command: &DerogationCommand,
        actor: &Login,
        today: Date,
    ) -> Result<Vec<DerogationEvent>, DomainError> {
        use DerogationStatus as S;
        let out_of_turn =
            |what: &str| Err(DomainError::validation("derogation", format!("{what} comes later or is done")));
        match command {
            DerogationCommand::Ask { id, researcher, files, reasons } => {
                if self.status != S::New {
                    return Err(DomainError::AlreadyDone("the dérogation was asked already"));
                }
                let mut files: Vec<String> =
                    files.iter().map(|f| f.trim().to_owned()).filter(|f| !f.is_empty()).collect();
                files.sort();
                files.dedup();
                if files.is_empty() || files.len() > MAX_FILES {
                    return Err(DomainError::validation("files", format!("name 1 to {MAX_FILES} files")));
                }
                Ok(vec![DerogationEvent::Asked {
                    id: id.clone(),
                    researcher: researcher.clone(),
                    files,
                    reasons: text("reasons", reasons)?,
                }])
            }
            DerogationCommand::Advise { favourable, reasons } => {
                if self.status != S::Asked {
                    return out_of_turn("the archivist's opinion");
                }
                let opinion =
                    Opinion { by: actor.clone(), favourable: *favourable, reasons: text("reasons", reasons)? };
                Ok(vec![DerogationEvent::Advised { opinion }])
            }
            DerogationCommand::Agree { favourable, reasons } => {
                if self.status != S::WithOffice {
                    return out_of_turn("the office's agreement");
                }
                let opinion =
                    Opinion { by: actor.clone(), favourable: *favourable, reasons: text("reasons", reasons)? };
                Ok(vec![DerogationEvent::Agreed { opinion }])
            }
            DerogationCommand::Decide { grant, reasons } => {
                if self.status != S::ToDecide {
                    return out_of_turn("the decision");
                }
                if *grant && !self.office.as_ref().is_some_and(|o| o.favourable) {
                    return Err(DomainError::validation(
                        "grant",
                        "a dérogation needs the agreement of the office that produced the files (L.213-3)",
                    ));
                }
                let decision = Opinion { by: actor.clone(), favourable: *grant, reasons: text("reasons", reasons)? };
                Ok(vec![DerogationEvent::Decided { decision, on: today }])
            }
        }
    }

    pub fn evolve(mut self, event: &DerogationEvent) -> Derogation {
        match event {
            DerogationEvent::Asked { id, researcher, files, reasons } => {
                self.id = id.clone();
                self.researcher = researcher.clone();
                self.files = files.clone();
                self.reasons = reasons.clone();
                self.status = DerogationStatus::Asked;
            }
            DerogationEvent::Advised { opinion } => {
                self.archivist = Some(opinion.clone());
                self.status = DerogationStatus::WithOffice;
            }
            DerogationEvent::Agreed { opinion } => {
                self.office = Some(opinion.clone());
                self.status = DerogationStatus::ToDecide;
            }
            DerogationEvent::Decided { decision, on } => {
                self.status = if decision.favourable { DerogationStatus::Granted } else { DerogationStatus::Refused };
                self.decision = Some(decision.clone());
                self.decided_on = Some(*on);
            }
        }
        self
    }
}
