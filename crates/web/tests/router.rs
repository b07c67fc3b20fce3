//! The web's adapters in process (`tower::ServiceExt::oneshot`), without a socket: sign-in through
//! the API, the session cookie, problems on the API's contract, the same-origin lock, on both
//! databases through the office's fixture.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use nansen_office::testing::{TestOffice, BACKENDS, PASSWORD};
use nansen_office::Role;
use nansen_web::{router, AppState, WebConfig};
use tower::ServiceExt;

async fn app(t: &TestOffice) -> axum::Router {
    router(AppState::new(t.office.clone(), WebConfig::default()).expect("state"))
}

async fn body_json(response: axum::response::Response) -> serde_json::Value {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    serde_json::from_slice(&bytes).expect("json")
}

#[tokio::test]
async fn the_api_signs_in_and_answers_problems() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let app = app(&t).await;

        let anonymous =
            app.clone().oneshot(Request::get("/api/v1/cases?view=mine").body(Body::empty()).expect("request"));
        let anonymous = anonymous.await.expect("response");
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        assert_eq!(anonymous.headers()[header::CONTENT_TYPE], "application/problem+json");
        assert_eq!(body_json(anonymous).await["code"], "unauthenticated");

        let wrong = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"login":"sec.one","password":"not it"}"#))
            .expect("request");
        let wrong = app.clone().oneshot(wrong).await.expect("response");
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED, "{backend:?}");
        assert_eq!(body_json(wrong).await["code"], "bad_credentials");

        let good = Request::post("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(r#"{{"login":"sec.one","password":"{PASSWORD}"}}"#)))
            .expect("request");
        let good = app.clone().oneshot(good).await.expect("response");
        assert_eq!(good.status(), StatusCode::OK, "{backend:?}");
        let cookie =
            good.headers()[header::SET_COOKIE].to_str().expect("cookie").split(';').next().expect("pair").to_owned();
        assert!(cookie.starts_with("nansen_session="), "{cookie}");
        let info = body_json(good).await;
        assert_eq!(info["role"], "digitization_secretary");

        let me = Request::get("/api/v1/session").header(header::COOKIE, &cookie).body(Body::empty()).expect("request");
        let me = app.clone().oneshot(me).await.expect("response");
        assert_eq!(me.status(), StatusCode::OK, "{backend:?}");
        assert_eq!(body_json(me).await["login"], "sec.one");

        // A state-changing call from another site is refused before it reaches the office.
        let foreign = Request::delete("/api/v1/session")
            .header(header::COOKIE, &cookie)
            .header(header::HOST, "nansen.test")
            .header(header::ORIGIN, "https://elsewhere.example")
            .header("x-csrf-token", info["csrf_token"].as_str().expect("token"))
            .body(Body::empty())
            .expect("request");
        let foreign = app.clone().oneshot(foreign).await.expect("response");
        assert_eq!(foreign.status(), StatusCode::BAD_REQUEST, "{backend:?}");

        let health = app.clone().oneshot(Request::get("/healthz").body(Body::empty()).expect("request"));
        assert_eq!(health.await.expect("response").status(), StatusCode::OK);
    }
}

#[tokio::test]
async fn a_page_without_a_session_goes_to_sign_in() {
    let t = TestOffice::new(nansen_office::Backend::Sqlite).await;
    let app = app(&t).await;
    let page = app.oneshot(Request::get("/cases").body(Body::empty()).expect("request")).await.expect("response");
    assert!(page.status().is_redirection() || page.status() == StatusCode::UNAUTHORIZED, "{}", page.status());
}

async fn body_text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    String::from_utf8(bytes.to_vec()).expect("utf-8")
}

/// An unknown address is a page in the reader's language with a way back, not an empty 404; the
/// API's clients keep their problem document.
#[tokio::test]
async fn an_unknown_address_answers_a_page_in_the_readers_language() {
    let t = TestOffice::new(nansen_office::Backend::Sqlite).await;
    let app = app(&t).await;
    let get = |path: &str, headers: &[(header::HeaderName, &str)]| {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        app.clone().oneshot(request.body(Body::empty()).expect("request"))
    };

    let workbench = get("/nope", &[]).await.expect("response");
    assert_eq!(workbench.status(), StatusCode::NOT_FOUND);
    assert!(workbench.headers()[header::CONTENT_TYPE].to_str().expect("type").starts_with("text/html"));
    let html = body_text(workbench).await;
    assert!(
        html.contains(r#"<html lang="fr">"#) && html.contains("Cette page ou ce dossier n&#39;existe pas"),
        "{html}"
    );
    assert!(html.contains(r#"<a class="fr-link" href="/">"#), "a way back: {html}");

    let english = get("/nope/deeper", &[(header::COOKIE, "nansen_lang=en")]).await.expect("response");
    assert_eq!(english.status(), StatusCode::NOT_FOUND);
    let html = body_text(english).await;
    assert!(html.contains(r#"<html lang="en""#) && html.contains("This page or case does not exist."), "{html}");

    let portal = get("/portal/nope", &[(header::ACCEPT_LANGUAGE, "ar-SY,ar;q=0.9")]).await.expect("response");
    assert_eq!(portal.status(), StatusCode::NOT_FOUND);
    let html = body_text(portal).await;
    assert!(html.contains(r#"lang="ar""#) && html.contains(r#"dir="rtl""#), "{html}");
    assert!(html.contains("هذه الصفحة أو هذا المستند غير موجود"), "{html}");
    assert!(html.contains(r#"href="/portal""#), "a way back to the applicant's space: {html}");

    for path in ["/api/v1/nope", "/api", "/portal/api/nope"] {
        let api = get(path, &[]).await.expect("response");
        assert_eq!(api.status(), StatusCode::NOT_FOUND, "{path}");
        assert_eq!(api.headers()[header::CONTENT_TYPE], "application/problem+json", "{path}");
        let code = body_json(api).await["code"].as_str().map(str::to_owned);
        assert!(matches!(code.as_deref(), Some("not_found" | "not-found")), "{path}: {code:?}");
    }
}
