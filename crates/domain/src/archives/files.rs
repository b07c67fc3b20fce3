//! A case's physical file (le dossier papier) and its whereabouts: where it sits in a store,
//! who asked for it and why, who holds it now. A file has one holder at a time; a request for a
//! file that is out joins its waiting list, and the holder is asked to pass it on; every movement
//! is an event, journaled under `file:<label>`.

use serde::{Deserialize, Serialize};
use time::Date;

use super::rules::ArchiveRules;
use crate::error::DomainError;
use crate::ids::{CaseNumber, Login};
use crate::serde_dates;

/// Why an agent borrows a file; the loan period depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The applicant's interview.
    Interview,
    /// A review of the decision, a re-examination.
    Review,
    /// The defence before the asylum court.
    Appeal,
    /// An act of civil status for a protected person.
    CivilStatus,
    Other,
}

impl Purpose {
    pub const ALL: [Purpose; 5] =
        [Purpose::Interview, Purpose::Review, Purpose::Appeal, Purpose::CivilStatus, Purpose::Other];

    pub fn code(self) -> &'static str {
        match self {
            Purpose::Interview => "interview",
            Purpose::Review => "review",
            Purpose::Appeal => "appeal",
            Purpose::CivilStatus => "civil_status",
            Purpose::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.code() == s)
    }
}

/// Where a file sits: store, room, row, shelf, box.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Place {
    pub store: String,
    pub room: String,
    pub row: String,
    pub shelf: String,
    #[serde(rename = "box")]
    pub r#box: String,
}

impl Place {
    /// Each part written, none longer than 40 characters.
    pub fn checked(self) -> Result<Place, DomainError> {
        let part = |field: &'static str, s: String| {
            let s = s.trim().to_owned();
            if s.is_empty() || s.chars().count() > 40 {
                Err(DomainError::validation(field, "1 to 40 characters"))
            } else {
                Ok(s)
            }
        };
        Ok(Place {
            store: part("store", self.store)?,
            room: part("room", self.room)?,
            row: part("row", self.row)?,
            shelf: part("shelf", self.shelf)?,
            r#box: part("box", self.r#box)?,
        })
    }
}

/// An agent's request for a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRequest {
    pub by: Login,
    pub purpose: Purpose,
    #[serde(with = "serde_dates::date")]
    pub on: Date,
}

/// Where the file is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Whereabouts {
    /// Not yet placed in a store.
    #[default]
    Unplaced,
    /// On its shelf.
    Shelved,
    /// Sent to an agent (by the archivist, or passed on by the last holder), not yet received.
    Sent {
        to: Login,
        purpose: Purpose,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    /// Received by an agent, who holds it until the due date.
    Held {
        by: Login,
        purpose: Purpose,
        #[serde(with = "serde_dates::date")]
        since: Date,
        #[serde(with = "serde_dates::date")]
        due: Date,
    },
    /// Sent back to the store by its holder, not yet shelved.
    Returning {
        from: Login,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
}

/// A physical file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PhysicalFile {
    /// The label printed on the file (its QR code).
    pub label: String,
    pub case: Option<CaseNumber>,
    /// Its retention category (`rules/archives.toml`).
    pub category: String,
    pub place: Option<Place>,
    pub whereabouts: Whereabouts,
    /// Requests waiting while the file is out, the oldest first.
    pub waiting: Vec<FileRequest>,
    /// Movements so far.
    pub movements: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum FileCommand {
    /// The archivist places a new file in a store.
    Place { label: String, case: Option<CaseNumber>, category: String, place: Place },
    /// An agent asks for the file.
    Request { purpose: Purpose },
    /// The requester gives up a request.
    CancelRequest,
    /// The archivist pulls the shelved file and sends it to the first request waiting.
    Send,
    /// The agent it was sent to confirms receipt (the label scanned).
    Receive,
    /// The holder hands it straight to the next request waiting.
    PassOn,
    /// The holder sends it back to the store.
    Return,
    /// The archivist shelves it again on receipt (the label scanned).
    Reshelve,
    /// The archivist moves a shelved file to another place or store.
    Transfer { place: Place },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum FileEvent {
    Placed {
        label: String,
        case: Option<CaseNumber>,
        category: String,
        place: Place,
    },
    Requested {
        request: FileRequest,
    },
    RequestCancelled {
        by: Login,
    },
    Sent {
        to: Login,
        purpose: Purpose,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Received {
        by: Login,
        #[serde(with = "serde_dates::date")]
        on: Date,
        #[serde(with = "serde_dates::date")]
        due: Date,
    },
    PassedOn {
        from: Login,
        to: Login,
        purpose: Purpose,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Returned {
        by: Login,
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Reshelved {
        #[serde(with = "serde_dates::date")]
        on: Date,
    },
    Transferred {
        from: Place,
        to: Place,
    },
}

impl FileEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            FileEvent::Placed { .. } => "file.placed",
            FileEvent::Requested { .. } => "file.requested",
            FileEvent::RequestCancelled { .. } => "file.request_cancelled",
            FileEvent::Sent { .. } => "file.sent",
            FileEvent::Received { .. } => "file.received",
            FileEvent::PassedOn { .. } => "file.passed_on",
            FileEvent::Returned { .. } => "file.returned",
            FileEvent::Reshelved { .. } => "file.reshelved",
            FileEvent::Transferred { .. } => "file.transferred",
        }
    }
}

fn refused(reason: impl Into<String>) -> DomainError {
    DomainError::validation("file", reason)
}

impl PhysicalFile {
    /// Who holds the file now (the agent it was sent to counts from the sending).
    pub fn holder(&self) -> Option<&Login> {
        match &self.whereabouts {
            Whereabouts::Held { by, .. } => Some(by),
            Whereabouts::Sent { to, .. } => Some(to),
            _ => None,
        }
    }

    /// Whether the holder is asked to pass the file on: someone is waiting for it.
    pub fn pass_on_asked(&self) -> bool {
        matches!(self.whereabouts, Whereabouts::Held { .. }) && !self.waiting.is_empty()
    }

    /// Days past its due date on `today` (`None` when not overdue or not held).
    pub fn overdue_days(&self, today: Date) -> Option<i64> {
        match &self.whereabouts {
            Whereabouts::Held { due, .. } if *due < today => Some((today - *due).whole_days()),
            _ => None,
        }
    }

    /// What a command does to the file, on `today`, done by `actor`. Who may act at all is
    /// Cedar's to say (archivists place, send, reshelve and transfer; agents request); this
    /// checks what the file allows: one holder at a time, a receipt or a return only by the
    /// agent concerned.
    pub fn decide(
        &self,
        command: &FileCommand,
        actor: &Login,
        today: Date,
        rules: &ArchiveRules,
    ) -> Result<Vec<FileEvent>, DomainError> {
        use Whereabouts as W;
        let placed = !matches!(self.whereabouts, W::Unplaced);
        if !placed && !matches!(command, FileCommand::Place { .. }) {
            return Err(refused("this file is not in any store yet"));
        }
        match command {
            FileCommand::Place { label, case, category, place } => {
                if placed {
                    return Err(DomainError::AlreadyDone("the file is placed already"));
                }
                let label = label.trim();
                if label.is_empty() || label.len() > 40 || !label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                {
                    return Err(DomainError::validation("label", "1 to 40 letters, digits or dashes"));
                }
                rules.retention(category).ok_or_else(|| {
                    DomainError::validation("category", format!("{category:?} is not a category of the archives"))
                })?;
                Ok(vec![FileEvent::Placed {
                    label: label.to_owned(),
                    case: *case,
                    category: category.clone(),
                    place: place.clone().checked()?,
                }])
            }
            FileCommand::Request { purpose } => {
                if self.holder() == Some(actor) {
                    return Err(refused("you hold this file already"));
                }
                if self.waiting.iter().any(|r| &r.by == actor) {
                    return Err(DomainError::AlreadyDone("you asked for this file already"));
                }
                Ok(vec![FileEvent::Requested {
                    request: FileRequest { by: actor.clone(), purpose: *purpose, on: today },
                }])
            }
            FileCommand::CancelRequest => {
                if !self.waiting.iter().any(|r| &r.by == actor) {
                    return Err(refused("you have no request for this file"));
                }
                Ok(vec![FileEvent::RequestCancelled { by: actor.clone() }])
            }
            FileCommand::Send => {
                if self.whereabouts != W::Shelved {
                    return Err(refused(format!("the file is out: {}", self.describe())));
                }
                let Some(next) = self.waiting.first() else {
                    return Err(refused("no one has asked for this file"));
                };
                Ok(vec![FileEvent::Sent { to: next.by.clone(), purpose: next.purpose, on: today }])
            }
            FileCommand::Receive => match &self.whereabouts {
                W::Sent { to, purpose, .. } if to == actor => {
                    Ok(vec![FileEvent::Received { by: actor.clone(), on: today, due: rules.due(*purpose, today) }])
                }
                W::Sent { .. } => Err(refused("this file was sent to another agent")),
                _ => Err(refused(format!("this file was not sent to anyone: {}", self.describe()))),
            },
            FileCommand::PassOn => match &self.whereabouts {
                W::Held { by, .. } if by == actor => {
                    let Some(next) = self.waiting.first() else {
                        return Err(refused("no one is waiting for this file: return it to the store"));
                    };
                    Ok(vec![FileEvent::PassedOn {
                        from: actor.clone(),
                        to: next.by.clone(),
                        purpose: next.purpose,
                        on: today,
                    }])
                }
                _ => Err(refused("only the agent who holds the file passes it on")),
            },
            FileCommand::Return => match &self.whereabouts {
                W::Held { by, .. } if by == actor => Ok(vec![FileEvent::Returned { by: actor.clone(), on: today }]),
                _ => Err(refused("only the agent who holds the file returns it")),
            },
            FileCommand::Reshelve => match &self.whereabouts {
                W::Returning { .. } => Ok(vec![FileEvent::Reshelved { on: today }]),
                _ => Err(refused(format!("the file is not on its way back: {}", self.describe()))),
            },
            FileCommand::Transfer { place } => {
                if self.whereabouts != W::Shelved {
                    return Err(refused(format!("only a shelved file moves: {}", self.describe())));
                }
                let to = place.clone().checked()?;
                let from = self.place.clone().unwrap_or_else(|| to.clone());
                if from == to {
                    return Err(DomainError::validation("place", "the file is there already"));
                }
                Ok(vec![FileEvent::Transferred { from, to }])
            }
        }
    }

    pub fn evolve(mut self, event: &FileEvent) -> PhysicalFile {
        use Whereabouts as W;
        match event {
            FileEvent::Placed { label, case, category, place } => {
                self.label = label.clone();
                self.case = *case;
                self.category = category.clone();
                self.place = Some(place.clone());
                self.whereabouts = W::Shelved;
            }
            FileEvent::Requested { request } => self.waiting.push(request.clone()),
            FileEvent::RequestCancelled { by } => self.waiting.retain(|r| &r.by != by),
            FileEvent::Sent { to, purpose, on } | FileEvent::PassedOn { to, purpose, on, .. } => {
                self.waiting.retain(|r| &r.by != to);
                self.whereabouts = W::Sent { to: to.clone(), purpose: *purpose, on: *on };
                self.movements += 1;
            }
            FileEvent::Received { by, on, due } => {
                let purpose = match &self.whereabouts {
                    W::Sent { purpose, .. } => *purpose,
                    _ => Purpose::Other,
                };
                self.whereabouts = W::Held { by: by.clone(), purpose, since: *on, due: *due };
                self.movements += 1;
            }
            FileEvent::Returned { by, on } => {
                self.whereabouts = W::Returning { from: by.clone(), on: *on };
                self.movements += 1;
            }
            FileEvent::Reshelved { .. } => {
                self.whereabouts = W::Shelved;
                self.movements += 1;
            }
            FileEvent::Transferred { to, .. } => {
                self.place = Some(to.clone());
                self.movements += 1;
            }
        }
        self
    }

    /// Where the file is, in a few words (for errors and lists).
    pub fn describe(&self) -> String {
        match &self.whereabouts {
            Whereabouts::Unplaced => "not placed yet".into(),
            Whereabouts::Shelved => "on its shelf".into(),
            Whereabouts::Sent { to, .. } => format!("sent to {to}"),
            Whereabouts::Held { by, due, .. } => format!("held by {by} until {}", serde_dates::format_date(*due)),
            Whereabouts::Returning { from, .. } => format!("on its way back from {from}"),
        }
    }
}
