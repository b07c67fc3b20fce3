//! The API's extractors: the JSON body, the query string and the path, each refused as a
//! problem document that names the field at fault (axum's own rejections are `text/plain`).

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::WebError;

/// Deserializes with the path of the field at fault: `("limit", "invalid digit found in string")`.
fn field_error<E: std::fmt::Display>(e: serde_path_to_error::Error<E>, whole: &str) -> WebError {
    let message = e.inner().to_string();
    let path = e.path().to_string();
    // A missing field is reported at its parent: name the field itself.
    let field = match message.strip_prefix("missing field `").and_then(|m| m.split('`').next()) {
        Some(name) if path == "." => name.to_owned(),
        Some(name) => format!("{path}.{name}"),
        None if path == "." => whole.to_owned(),
        None => path,
    };
    WebError::field(field, message)
}

/// A JSON body whose refusal is a problem document like every other error.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json =
            req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !json {
            return Err(WebError::Protocol {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "send the body as application/json".into(),
            });
        }
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest(format!("the body could not be read: {}", e.body_text())))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            if e.inner().is_syntax() || e.inner().is_eof() {
                WebError::BadRequest(format!("the body is not JSON: {}", e.inner()))
            } else {
                field_error(e, "body")
            }
        })?;
        de.end().map_err(|e| WebError::BadRequest(format!("the body is not JSON: {e}")))?;
        Ok(ApiJson(value))
    }
}

/// A query string; an unknown value or a missing parameter names the parameter.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(ApiQuery).map_err(|e| field_error(e, "query"))
    }
}

/// Path parameters; a value of the wrong kind names the parameter.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(ApiPath(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                use axum::extract::path::ErrorKind;
                let message = e.body_text();
                // A tuple of parameters reports an index: the route's template names it.
                let nth = |index: usize| {
                    parts.extensions.get::<axum::extract::MatchedPath>().and_then(|m| {
                        m.as_str()
                            .split('/')
                            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                            .nth(index)
                            .map(str::to_owned)
                    })
                };
                Err(match e.into_kind() {
                    ErrorKind::ParseErrorAtKey { key, .. } | ErrorKind::InvalidUtf8InPathParam { key } => {
                        WebError::field(key, message)
                    }
                    ErrorKind::ParseErrorAtIndex { index, .. } => match nth(index) {
                        Some(name) => WebError::field(name, message),
                        None => WebError::BadRequest(message),
                    },
                    _ => WebError::BadRequest(message),
                })
            }
            Err(other) => Err(WebError::Internal(other.body_text())),
        }
    }
}

/// The API answers every error as `application/problem+json`: what the router or a layer sent
/// otherwise (an unknown route, a method not allowed, a body over the limit) is turned into one.
pub async fn problems_only(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let allow = response.headers().get(header::ALLOW).cloned();
    let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_owned();
    let error = match status {
        StatusCode::NOT_FOUND => WebError::NotFound("such address in the API".into()),
        StatusCode::BAD_REQUEST if !text.is_empty() => WebError::BadRequest(text),
        _ => WebError::Protocol {
            status,
            message: if text.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { text },
        },
    };
    let mut out = error.into_response();
    if let Some(allow) = allow {
        out.headers_mut().insert(header::ALLOW, allow);
    }
    out
}

/// Unknown addresses under the API.
pub async fn not_found() -> WebError {
    WebError::NotFound("such address in the API".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Q {
        subject: String,
        limit: Option<u32>,
    }

    fn query(q: &str) -> Result<Q, WebError> {
        serde_path_to_error::deserialize(serde_urlencoded::Deserializer::new(form_urlencoded::parse(q.as_bytes())))
            .map_err(|e| field_error(e, "query"))
    }

    #[test]
    fn a_missing_or_malformed_parameter_is_named() {
        assert!(query("subject=case:1&limit=5").is_ok());
        let missing = query("limit=5").expect_err("subject is missing");
        assert_eq!(missing.field_name(), Some("subject"), "{missing}");
        let bad = query("subject=x&limit=abc").expect_err("limit is not a number");
        assert_eq!(bad.field_name(), Some("limit"), "{bad}");
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
}
