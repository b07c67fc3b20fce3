//! The one mapping from what can go wrong to HTTP: `application/problem+json` (RFC 9457) for
//! the API. The workbench renders the same errors as pages or next to the fields.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use nansen_domain::DomainError;
use nansen_office::OfficeError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No valid session (or it expired).
    #[error("sign in first")]
    Unauthenticated,
    /// Wrong login or password; says nothing about which.
    #[error("the login or the password is not right")]
    BadCredentials,
    /// Too many failed sign-ins: the account is locked until the given time.
    #[error("the account is locked until {0} after too many failed sign-ins")]
    Locked(String),
    /// The password typed again before signing is not the agent's.
    #[error("the password is not right")]
    WrongPassword,
    /// The identity provider vouched for someone no account is linked to.
    #[error("no Nansen account is linked to this identity")]
    UnknownIdentity,
    /// Passwords are turned off.
    #[error("sign-in with a password is turned off; sign in through the identity provider")]
    PasswordsOff,
    /// The sign-in through the identity provider failed (state, code, token); details in the log.
    #[error("the sign-in through the identity provider failed: {0}")]
    Provider(String),
    /// The authorization policies refused; the refusal is journaled.
    #[error("you may not {action} this {resource}")]
    Forbidden { action: &'static str, resource: String },
    #[error("no such {0}")]
    NotFound(String),
    /// The form of the request is wrong (CSRF token, origin, malformed body).
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
    /// The request does not follow the protocol (method, media type, size): the status says which.
    #[error("{message}")]
    Protocol { status: StatusCode, message: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<OfficeError> for WebError {
    fn from(e: OfficeError) -> Self {
        match e {
            OfficeError::Unauthenticated => WebError::Unauthenticated,
            OfficeError::BadCredentials => WebError::BadCredentials,
            OfficeError::Locked(until) => WebError::Locked(until),
            OfficeError::WrongPassword => WebError::WrongPassword,
            OfficeError::UnknownIdentity => WebError::UnknownIdentity,
            OfficeError::PasswordsOff => WebError::PasswordsOff,
            OfficeError::Forbidden { action, resource } => WebError::Forbidden { action, resource },
            OfficeError::NotFound(what) => WebError::NotFound(what),
            OfficeError::BadRequest(why) => WebError::BadRequest(why),
            OfficeError::Field { field, message } => WebError::Field { field, message },
            OfficeError::Upload { field, code, message } => WebError::Upload { field, code, message },
            OfficeError::Domain(e) => WebError::Domain(e),
            OfficeError::Store(e) => WebError::Internal(format!("storage: {e}")),
            OfficeError::Internal(e) => WebError::Internal(e),
        }
    }
}

impl WebError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        WebError::Field { field: field.into(), message: message.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::Unauthenticated | WebError::BadCredentials => StatusCode::UNAUTHORIZED,
            WebError::Locked(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Forbidden { .. } | WebError::UnknownIdentity | WebError::PasswordsOff => StatusCode::FORBIDDEN,
            WebError::Provider(_) => StatusCode::UNAUTHORIZED,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::Field { .. } | WebError::WrongPassword | WebError::Upload { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            WebError::Domain(e) => match e {
                DomainError::Validation { .. } => StatusCode::UNPROCESSABLE_ENTITY,
                DomainError::SelfSignature | DomainError::NotAssignedOfficer { .. } => StatusCode::FORBIDDEN,
                _ => StatusCode::CONFLICT,
            },
            WebError::Protocol { status, .. } => *status,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable key for translations and API clients.
    pub fn code(&self) -> &'static str {
        match self {
            WebError::Unauthenticated => "unauthenticated",
            WebError::BadCredentials => "bad_credentials",
            WebError::Locked(_) => "locked",
            WebError::Forbidden { .. } => "forbidden",
            WebError::UnknownIdentity => "unknown_identity",
            WebError::PasswordsOff => "passwords_off",
            WebError::Provider(_) => "provider_refused",
            WebError::NotFound(_) => "not_found",
            WebError::BadRequest(_) => "bad_request",
            WebError::Field { .. } => "validation",
            WebError::Upload { code, .. } => code,
            WebError::WrongPassword => "wrong_password",
            WebError::Domain(e) => e.code(),
            WebError::Protocol { status, .. } => match *status {
                StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
                StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
                StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
                StatusCode::NOT_ACCEPTABLE => "not_acceptable",
                _ => "bad_request",
            },
            WebError::Internal(_) => "internal",
        }
    }

    /// The field the error is about, when there is one.
    pub fn field_name(&self) -> Option<&str> {
        match self {
            WebError::Field { field, .. } | WebError::Upload { field, .. } => Some(field),
            WebError::WrongPassword => Some("password"),
            WebError::Domain(DomainError::Validation { field, .. }) => Some(field),
            _ => None,
        }
    }

    /// What the person reads: internal details stay in the log.
    pub fn public_message(&self) -> String {
        match self {
            WebError::Internal(_) => "something went wrong on our side; nothing was changed".into(),
            WebError::Field { message, .. } | WebError::Upload { message, .. } => message.clone(),
            WebError::Domain(DomainError::Validation { reason, .. }) => reason.clone(),
            other => other.to_string(),
        }
    }
}

/// The error a response was made of, kept in its extensions so that a layer can show it as a
/// page (the workbench's and the portal's error pages) instead of a problem document.
#[derive(Clone)]
pub struct Failed(pub std::sync::Arc<WebError>);

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable key of the error kind.
    pub code: String,
    /// The fields at fault, each with its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let detail = self.public_message();
        let errors = self
            .field_name()
            .map(|f| vec![FieldProblem { field: f.to_owned(), message: detail.clone() }])
            .unwrap_or_default();
        let problem = Problem {
            kind: format!("https://nansen.invalid/problems/{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: self.code().to_owned(),
            errors,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, "application/problem+json")], body).into_response();
        response.extensions_mut().insert(Failed(std::sync::Arc::new(self)));
        response
    }
}
