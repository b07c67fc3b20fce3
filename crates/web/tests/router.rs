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

fn session_cookie(response: &axum::response::Response) -> String {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .find(|c| c.starts_with("nansen_session="))
        .expect("session cookie")
        .to_owned()
}

/// Signs in through the API; returns the session cookie and the CSRF token.
async fn sign_in(app: &axum::Router, login: &str) -> (String, String) {
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!(r#"{{"login":"{login}","password":"{PASSWORD}"}}"#)))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK, "sign-in of {login}");
    let cookie = session_cookie(&response);
    let csrf = body_json(response).await["csrf_token"].as_str().expect("token").to_owned();
    (cookie, csrf)
}

/// Sends a request with the session; returns the status, the content type and the body as JSON
/// (`Null` when it is not JSON).
async fn send(app: &axum::Router, request: Request<Body>) -> (StatusCode, String, serde_json::Value) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let kind = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, kind, serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn every_api_error_is_a_problem_that_names_its_field() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        t.agent("audit.one", Role::Auditor, None, None).await;
        let app = app(&t).await;
        let (secretary, csrf) = sign_in(&app, "sec.one").await;
        let (auditor, _) = sign_in(&app, "audit.one").await;
        let get =
            |uri: &str, cookie: &str| Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).expect("r");
        let cases: Vec<(Request<Body>, StatusCode, &str, Option<&str>)> = vec![
            (get("/api/v1/journal/entries", &auditor), StatusCode::UNPROCESSABLE_ENTITY, "validation", Some("subject")),
            (get("/api/v1/cases?limit=abc", &secretary), StatusCode::UNPROCESSABLE_ENTITY, "validation", Some("limit")),
            (
                get("/api/v1/cases/0/documents/-1", &secretary),
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                Some("id"),
            ),
            // A default the caller can use: a secretary has no queue, so the answer says to search.
            (get("/api/v1/cases", &secretary), StatusCode::UNPROCESSABLE_ENTITY, "validation", Some("q")),
            (get("/api/v1/nope", &secretary), StatusCode::NOT_FOUND, "not_found", None),
            (
                Request::post("/api/v1/cases")
                    .header(header::COOKIE, &secretary)
                    .header("x-csrf-token", &csrf)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from("{not json"))
                    .expect("r"),
                StatusCode::BAD_REQUEST,
                "bad_request",
                None,
            ),
            (
                Request::post("/api/v1/cases")
                    .header(header::COOKIE, &secretary)
                    .header("x-csrf-token", &csrf)
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(Body::from("{}"))
                    .expect("r"),
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                None,
            ),
            (
                Request::post("/api/v1/cases/2026-0000001/documents")
                    .header(header::COOKIE, &secretary)
                    .header("x-csrf-token", &csrf)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from("{}"))
                    .expect("r"),
                StatusCode::BAD_REQUEST,
                "bad_request",
                None,
            ),
            (
                Request::patch("/api/v1/session").header(header::COOKIE, &secretary).body(Body::empty()).expect("r"),
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                None,
            ),
        ];
        for (request, status, code, field) in cases {
            let what = format!("{backend:?} {} {}", request.method(), request.uri());
            let (got, kind, body) = send(&app, request).await;
            assert_eq!(got, status, "{what}: {body}");
            assert_eq!(kind, "application/problem+json", "{what}");
            assert_eq!(body["code"], code, "{what}: {body}");
            assert_eq!(body["status"], status.as_u16(), "{what}");
            if let Some(field) = field {
                assert_eq!(body["errors"][0]["field"], field, "{what}: {body}");
            }
        }
    }
}

#[tokio::test]
async fn the_auditor_sees_who_and_when_but_not_what_the_applicant_said() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        t.agent("audit.one", Role::Auditor, None, None).await;
        let registration = nansen_office::testing::registration(t.now().date());
        let family = registration.applicant.family_name.latin.clone();
        let (case, _) = nansen_office::cases::register(&t.office, &secretary, registration).await.expect("registered");
        let app = app(&t).await;
        let (auditor, csrf) = sign_in(&app, "audit.one").await;
        let uri = format!("/api/v1/journal/entries?subject=case:{}", case.number);
        let (status, _, body) =
            send(&app, Request::get(&uri).header(header::COOKIE, &auditor).body(Body::empty()).expect("r")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        let text = body.to_string();
        assert!(body.as_array().is_some_and(|a| !a.is_empty()), "{text}");
        assert!(!text.contains(&family), "{backend:?}: the applicant's name reaches the auditor: {text}");
        assert!(body[0].get("payload").is_none() && body[0]["payload_sha256"].is_string(), "{text}");
        // The payloads need a justified access, which the response names.
        let payloads = format!("/api/v1/journal/payloads?subject=case:{}", case.number);
        let (status, kind, _) =
            send(&app, Request::get(&payloads).header(header::COOKIE, &auditor).body(Body::empty()).expect("r")).await;
        assert_eq!((status, kind.as_str()), (StatusCode::FORBIDDEN, "application/problem+json"), "{backend:?}");
        let open = Request::post("/api/v1/journal/payload-access")
            .header(header::COOKIE, &auditor)
            .header("x-csrf-token", &csrf)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(format!(
                r#"{{"subject":"case:{}","reason":"data-subject request DSR-2026-044","minutes":10}}"#,
                case.number
            )))
            .expect("r");
        let (status, _, access) = send(&app, open).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {access}");
        let (status, _, body) =
            send(&app, Request::get(&payloads).header(header::COOKIE, &auditor).body(Body::empty()).expect("r")).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}");
        assert!(body.to_string().contains(&family), "{backend:?}: readable under the access");
    }
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
        let cookie = session_cookie(&good);
        assert!(
            good.headers()
                .get_all(header::SET_COOKIE)
                .iter()
                .any(|c| c.to_str().is_ok_and(|c| c.starts_with("nansen_device="))),
            "the device is remembered"
        );
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
