//! `nansen serve`: the HTTP server. For now it exposes health, readiness and the journal's signed
//! head; the agents' workbench and the API come with `nansen-web`. It serves no applicant data:
//! nothing personal leaves the store without an authenticated, authorized, journaled request.

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use nansen_store::Store;

use crate::CliError;

#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "NANSEN_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Fill the database with demo data first, when it holds no application yet.
    #[arg(long)]
    demo: bool,
}

pub async fn run(store: Store, args: ServeArgs) -> Result<(), CliError> {
    if args.demo {
        crate::demo::ensure(&store).await?;
    }
    let app = router(store);
    let listener = tokio::net::TcpListener::bind(args.listen).await?;
    println!("Nansen listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

pub fn router(store: Store) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
        .route("/api/v1/journal/head", get(journal_head))
        .with_state(store)
}

fn secure(mut response: Response) -> Response {
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'; frame-ancestors 'none'"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
    ] {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    response
}

async fn home(State(store): State<Store>) -> Response {
    let head = store.head().await.ok();
    let size = head.as_ref().map(|h| h.size).unwrap_or_default();
    secure(
        Html(format!(
            "<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Nansen</title></head>\
             <body><main><h1>Nansen</h1><p>Le service fonctionne. Journal : {size} entrées signées.</p>\
             <p lang=\"en\">The service is running. Journal: {size} signed entries.</p></main></body></html>"
        ))
        .into_response(),
    )
}

async fn ready(State(store): State<Store>) -> Response {
    match store.head().await {
        Ok(_) => "ready".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn journal_head(State(store): State<Store>) -> Response {
    match store.head().await {
        Ok(head) => secure(Json(head).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "journal head");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "application/problem+json")],
                r#"{"type":"about:blank","title":"Database unavailable","status":503}"#,
            )
                .into_response()
        }
    }
}
