//! What can go wrong in the office's work, in the office's words; each edge maps it once (the
//! web to HTTP problems and fields, the command line to messages).

use nansen_domain::DomainError;
use nansen_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum OfficeError {
    /// No actor, or the actor's session ended.
    #[error("sign in first")]
    Unauthenticated,
    /// Wrong login or password; says nothing about which.
    #[error("the login or the password is not right")]
    BadCredentials,
    /// Too many failed attempts: refused until the given time (RFC 3339).
    #[error("the account is locked until {0} after too many failed sign-ins")]
    Locked(String),
    /// The password typed again before signing is not the agent's.
    #[error("the password is not right")]
    WrongPassword,
    /// The state's identity provider vouched for someone no Nansen account is linked to (or whose
    /// account is disabled); the refusal is journaled.
    #[error("no Nansen account is linked to this identity")]
    UnknownIdentity,
    /// Passwords are turned off: agents sign in through the identity provider only.
    #[error("sign-in with a password is turned off; sign in through the identity provider")]
    PasswordsOff,
    /// The authorization policies refused; the refusal is journaled.
    #[error("you may not {action} this {resource}")]
    Forbidden { action: &'static str, resource: String },
    #[error("no such {0}")]
    NotFound(String),
    /// The intent is malformed in a way no field explains.
    #[error("{0}")]
    BadRequest(String),
    /// A field's value is refused; `field` names it as in the form or the JSON body.
    #[error("{field}: {message}")]
    Field { field: String, message: String },
    /// An uploaded file is refused for what it contains (`code` from the content checks).
    #[error("{field}: {message}")]
    Upload { field: String, code: &'static str, message: String },
    /// The domain refused the command.
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl OfficeError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        OfficeError::Field { field: field.into(), message: message.into() }
    }
}

pub(crate) fn internal(e: impl std::fmt::Display) -> OfficeError {
    OfficeError::Internal(e.to_string())
}
