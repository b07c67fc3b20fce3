//! Prometheus metrics at `/metrics`: requests by route family and status, their latency,
//! authorization decisions by outcome, and the outbox of notices to applicants (waiting, the
//! oldest one's age, given up).

use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    allowed: String,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    decisions: Family<DecisionLabels, Counter>,
    notices_pending: Gauge,
    notices_delay: Gauge,
    notices_given_up: Gauge,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("nansen");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.001, 2.0, 14))
        });
        let decisions = Family::<DecisionLabels, Counter>::default();
        registry.register("http_requests", "HTTP requests served", requests.clone());
        registry.register("http_request_duration_seconds", "Time to serve a request", latency.clone());
        registry.register("authorization_decisions", "Authorization decisions, journaled", decisions.clone());
        let (notices_pending, notices_delay, notices_given_up) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("notices_pending", "Notices to applicants waiting to be sent", notices_pending.clone());
        registry.register(
            "notices_oldest_pending_seconds",
            "How long the oldest waiting notice has waited",
            notices_delay.clone(),
        );
        registry.register(
            "notices_given_up",
            "Notices to applicants that could not be delivered",
            notices_given_up.clone(),
        );
        Metrics { registry, requests, latency, decisions, notices_pending, notices_delay, notices_given_up }
    }

    /// Brings the decision counters up to the office's counts (the office counts; the web shows).
    fn sync_decisions(&self, (allowed, denied): (u64, u64)) {
        for (label, total) in [("true", allowed), ("false", denied)] {
            let counter = self.decisions.get_or_create(&DecisionLabels { allowed: label.to_owned() });
            counter.inc_by(total.saturating_sub(counter.get()));
        }
    }
}

/// The family of a path, so that case numbers do not become label values.
fn route_of(path: &str) -> String {
    let mut parts = path.trim_start_matches('/').split('/');
    match (parts.next(), parts.next()) {
        (Some("api"), Some("v1")) => format!("api/{}", parts.next().unwrap_or_default()),
        (Some(first), _) => first.to_owned(),
        _ => String::new(),
    }
}

pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = route_of(request.uri().path());
    let method = request.method().to_string();
    let response = next.run(request).await;
    let labels = RequestLabels { route, method, status: response.status().as_u16() };
    let m = &state.inner.metrics;
    m.requests.get_or_create(&labels).inc();
    m.latency.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    response
}

pub async fn render(State(state): State<AppState>) -> Response {
    let m = &state.inner.metrics;
    m.sync_decisions(state.office().decision_counts());
    if let Ok(outbox) = nansen_office::notices::outbox(state.office()).await {
        let now = state.office().now().unix_timestamp();
        m.notices_pending.set(i64::try_from(outbox.pending).unwrap_or(i64::MAX));
        m.notices_delay.set(outbox.oldest_pending_at.map_or(0, |at| (now - at).max(0)));
        m.notices_given_up.set(i64::try_from(outbox.given_up).unwrap_or(i64::MAX));
    }
    let mut out = String::new();
    if prometheus_client::encoding::text::encode(&mut out, &state.inner.metrics.registry).is_err() {
        return axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8")], out).into_response()
}
