//! Nansen's web edge: the agents' workbench (server-rendered HTML that works without
//! JavaScript), the JSON API under `/api/v1` with its OpenAPI document, sign-in and sessions,
//! security headers and metrics.
//!
//! It owns parsing requests into typed intents, sessions and cookies, CSRF and origin checks,
//! and rendering (pages, JSON, problems). Everything else goes through `nansen-office`, the one
//! door: the web does not depend on the store or the policies (the compiler checks it), and
//! asks the office what an actor may see and do rather than restating a rule.

#![forbid(unsafe_code)]

mod api;
mod auth;
mod client;
mod deadlines;
pub mod documents;
mod error;
mod extract;
mod forms;
mod i18n;
mod metrics;
mod oidc;
mod oidc_flow;
mod planning;
pub mod portal;
mod protection;
mod reception;
mod research;
mod session;
mod statistics;
mod ui;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use nansen_office::Office;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use client::parse_trusted_proxies;
pub use error::WebError;

/// How the web edge behaves; the defaults suit a workstation on loopback.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Cookies marked `Secure` and HSTS sent: set when Nansen is served over TLS (directly or
    /// behind a proxy that terminates it).
    pub tls: bool,
    /// A session unused for this long ends.
    pub idle_timeout: time::Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_lifetime: time::Duration,
    /// An applicant's session unused for this long ends.
    pub portal_idle_timeout: time::Duration,
    /// An applicant's session ends this long after sign-in.
    pub portal_absolute_lifetime: time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (per-address limits).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            tls: false,
            idle_timeout: time::Duration::minutes(30),
            absolute_lifetime: time::Duration::hours(10),
            portal_idle_timeout: time::Duration::minutes(20),
            portal_absolute_lifetime: time::Duration::hours(4),
            trusted_proxies: Vec::new(),
        }
    }
}

/// What every request handler shares: the office (the one door to everything below) and what
/// the web adds to it: translations, metrics, its own settings.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    office: Office,
    config: WebConfig,
    i18n: i18n::Catalog,
    portal_i18n: i18n::Catalog,
    metrics: metrics::Metrics,
    /// The state's identity provider, when agents sign in through it (OpenID Connect).
    oidc: Option<nansen_oidc::Provider>,
}

impl AppState {
    /// The state of the edge over an office; the translations are loaded once.
    pub fn new(office: Office, config: WebConfig) -> Result<AppState, WebError> {
        let i18n = i18n::Catalog::embedded().map_err(WebError::Internal)?;
        let portal_i18n = i18n::Catalog::portal().map_err(WebError::Internal)?;
        let inner = Inner { office, config, i18n, portal_i18n, metrics: metrics::Metrics::new(), oidc: None };
        Ok(AppState { inner: Arc::new(inner) })
    }

    /// The same state, agents signing in through the state's identity provider. Called once,
    /// before the state is shared.
    pub fn with_identity_provider(mut self, provider: nansen_oidc::Provider) -> Result<AppState, WebError> {
        let inner = Arc::get_mut(&mut self.inner)
            .ok_or_else(|| WebError::Internal("the identity provider is set before the state is shared".into()))?;
        inner.oidc = Some(provider);
        Ok(self)
    }

    pub(crate) fn oidc(&self) -> Option<&nansen_oidc::Provider> {
        self.inner.oidc.as_ref()
    }

    pub fn office(&self) -> &Office {
        &self.inner.office
    }

    pub(crate) fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    pub(crate) fn i18n(&self) -> &i18n::Catalog {
        &self.inner.i18n
    }

    pub(crate) fn portal_i18n(&self) -> &i18n::Catalog {
        &self.inner.portal_i18n
    }
}

/// The web's state reads as the office it serves: `cases::read_case(&state, …)`.
impl std::ops::Deref for AppState {
    type Target = Office;

    fn deref(&self) -> &Office {
        &self.inner.office
    }
}

/// The whole application: workbench, API, health and metrics, behind sessions and security headers.
pub fn router(state: AppState) -> Router {
    let config = state.config().clone();
    // Forms may lead to the identity provider (sign-in, step-up, sign-out at the provider).
    let form_action = match state.oidc().and_then(|p| origin_of(&p.settings().issuer)) {
        Some(origin) => format!("'self' {origin}"),
        None => "'self'".to_owned(),
    };
    let csp = format!(
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action {form_action}; \
         frame-ancestors 'none'; base-uri 'none'"
    );
    let sessions = SessionManagerLayer::new(session::DbSessionStore::new(state.office().clone()))
        .with_name("nansen_session")
        .with_secure(config.tls)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(config.idle_timeout));
    // The applicants' sessions: another cookie, sent only to the portal, in the same table.
    let portal_sessions = SessionManagerLayer::new(session::DbSessionStore::new(state.office().clone()))
        .with_name(portal::SESSION_COOKIE)
        .with_secure(config.tls)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/portal")
        .with_expiry(Expiry::OnInactivity(config.portal_idle_timeout));
    let agents = Router::new()
        .merge(
            ui::routes()
                .merge(statistics::routes())
                .merge(protection::routes())
                .merge(reception::routes())
                .merge(planning::routes())
                .merge(research::routes())
                .merge(oidc::routes())
                .layer(middleware::from_fn_with_state(state.clone(), ui::failures_as_pages)),
        )
        .nest("/api/v1", api::routes().layer(middleware::from_fn_with_state(state.clone(), api::csrf_first)))
        .route("/api/openapi.json", get(api::openapi))
        .layer(sessions);
    let mut app = agents
        .merge(
            portal::routes()
                .layer(middleware::from_fn_with_state(state.clone(), portal::failures_as_pages))
                .layer(portal_sessions),
        )
        .merge(
            protection::civil::public_routes()
                .layer(DefaultBodyLimit::max(protection::civil::VERIFY_MAX_BYTES + 64 * 1024)),
        )
        .route("/static/nansen.css", get(stylesheet))
        .route("/static/fonts/{file}", get(font))
        .layer(middleware::from_fn_with_state(state.clone(), auth::same_origin))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics::render))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .with_state(state);
    if let Ok(csp) = HeaderValue::from_str(&csp) {
        app = app.layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, csp));
    }
    for (name, value) in [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        // Same-origin: the browser sends our own Origin on form posts (checked below) and nothing to others.
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        app = app.layer(SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value)));
    }
    if config.tls {
        app = app.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    app
}

/// `scheme://host[:port]` of a URL, as a CSP source.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next().filter(|h| !h.is_empty() && !h.contains([' ', ';', '\'', ',']))?;
    Some(format!("{scheme}://{host}"))
}

/// An address that names nothing: a page in the reader's language with a way back, the portal's
/// under `/portal` and the workbench's elsewhere; the API's clients keep their problem document.
async fn not_found(State(state): State<AppState>, uri: axum::http::Uri, headers: axum::http::HeaderMap) -> Response {
    let path = uri.path();
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    let e = WebError::NotFound("page".into());
    if under("/api") || under("/portal/api") {
        e.into_response()
    } else if under("/portal") {
        portal::page_of_error(&state, &headers, &e)
    } else {
        ui::error_page(&state, &headers, None, &e)
    }
}

async fn ready(State(state): State<AppState>) -> Response {
    match state.office().ready().await {
        Ok(_) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// The stylesheet: the French state design system's look (colours, type scale, components'
/// class names), compiled into the binary so that Nansen needs no network to look right.
/// A script's font (the same Noto faces the certified copies embed), cached for a day.
async fn font(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    match nansen_office::script_font(&file) {
        Some(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(if file.ends_with(".otf") { "font/otf" } else { "font/ttf" }),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        include_str!("../static/nansen.css"),
    )
        .into_response()
}

/// Removes expired sessions and old rate-limit windows now and then; any node may do it.
pub async fn purge_sessions_forever(office: Office) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = office.purge().await {
            tracing::warn!(error = %e, "session purge");
        }
    }
}
