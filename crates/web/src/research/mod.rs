//! The research workspace in the workbench: the country-of-origin library (`/library`): search
//! with facets and marked snippets, a document with its numbered passages, its file, and the
//! import form of the research assistants. Pages work without JavaScript; a document's file is
//! always sent as an attachment in a sandbox, so that an imported page's scripts never run.

pub mod api;
pub mod requests;

use askama::Template;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use nansen_domain::research::CountryMatch;
use nansen_office::research::{self, LibraryDocumentView, LibraryQuery, LibraryResults, NewDocumentForm, Vocabulary};

use crate::auth::{Agent, SignedForm};
use crate::forms::FormData;
use crate::i18n::Tr;
use crate::ui::{error_page, lang_of, nav, render, FormState, Nav};
use crate::{AppState, WebError};

/// Languages written right to left.
const RTL: [&str; 5] = ["ara", "fas", "prs", "pus", "urd"];

/// The largest import form accepted: the largest document and its fields.
pub const IMPORT_MAX_BYTES: usize = nansen_office::research::MAX_LIBRARY_BYTES + 64 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/library", get(library_page))
        .route("/library/documents/{id}", get(document_page))
        .route("/library/documents/{id}/file", get(document_file))
        .route("/library/new", get(new_page).post(new_submit).layer(DefaultBodyLimit::max(IMPORT_MAX_BYTES)))
        .route("/library/saved", axum::routing::post(save_submit))
        .route("/library/saved/{id}", get(saved_open))
        .route("/library/saved/{id}/delete", axum::routing::post(saved_delete))
        .merge(requests::routes())
}

/// A document type's label in the reader's language.
pub(crate) fn kind_label(tr: &Tr, kind: &str) -> String {
    tr.t(&format!("library-type-{kind}"))
}

/// A topic's label in the reader's language: (code, French, English).
pub(crate) fn label(tr: &Tr, t: &(String, String, String)) -> String {
    if tr.lang() == "fr" {
        t.1.clone()
    } else {
        t.2.clone()
    }
}

/// A search as the page's form (GET) sends it: repeated fields for the facets.
pub(crate) fn query_of(form: &FormData) -> Result<LibraryQuery, WebError> {
    let date = |name: &str| -> Result<Option<time::Date>, WebError> {
        match form.text(name).trim() {
            "" => Ok(None),
            v => crate::forms::date(name, v).map(Some),
        }
    };
    let list = |name: &str| -> Vec<String> {
        form.all(name)
            .into_iter()
            .flat_map(|v| v.split([',', ' ']))
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
            .collect()
    };
    Ok(LibraryQuery {
        q: form.text("q"),
        countries: list("countries").into_iter().map(|c| c.to_ascii_uppercase()).collect(),
        country_match: match form.text("country_match").as_str() {
            "all_of" => CountryMatch::AllOf,
            "none_of" => CountryMatch::NoneOf,
            _ => CountryMatch::AnyOf,
        },
        sources: list("source"),
        kinds: list("type"),
        languages: list("language"),
        topics: list("topic"),
        published_from: date("published_from")?,
        published_to: date("published_to")?,
        by_date: form.text("sort") == "date",
        limit: form.text("limit").parse().unwrap_or(0),
    })
}

#[derive(Template)]
#[template(path = "research/library.html")]
struct LibraryPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    vocabulary: Vocabulary,
    form: FormState,
    results: Option<LibraryResults>,
    /// The search as typed, to keep in the form.
    typed: FormData,
    /// The search as the URL said it, for the form that saves it.
    raw: String,
    /// The agent's saved searches, with what is new in each.
    saved: Vec<research::SavedSearch>,
    csrf: String,
}

impl LibraryPage<'_> {
    fn v(&self, name: &str) -> String {
        self.typed.text(name)
    }

    fn chosen(&self, name: &str, value: &str) -> bool {
        self.typed.all(name).contains(&value)
    }

    /// Passages in a right-to-left script.
    fn rtl(&self, language: &str) -> bool {
        RTL.contains(&language)
    }

    fn topic_label(&self, t: &(String, String, String)) -> String {
        label(&self.tr, t)
    }

    fn kind_label(&self, kind: &str) -> String {
        kind_label(&self.tr, kind)
    }
}

async fn library_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    RawQuery(raw): RawQuery,
) -> Response {
    library_response(&state, &headers, &agent, raw.unwrap_or_default(), None).await
}

/// The library page for the search `raw` (a URL query), with the form that failed, if any.
async fn library_response(
    state: &AppState,
    headers: &HeaderMap,
    agent: &Agent,
    raw: String,
    failed: Option<(FormState, StatusCode)>,
) -> Response {
    let tr = state.i18n().tr(lang_of(state, headers));
    let typed = FormData::new(form_urlencoded::parse(raw.as_bytes()).into_owned().collect());
    let outcome = match query_of(&typed) {
        Ok(query) => research::search(state, agent, &query).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    let (results, form, status) = match outcome {
        Ok(results) => match failed {
            Some((form, status)) => (Some(results), form, status),
            None => (Some(results), FormState::default(), StatusCode::OK),
        },
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let refused = FormState::refused("search", typed.values(), &e, &tr);
            (None, refused, e.status())
        }
        Err(e) => return error_page(state, headers, Some(agent), &e),
    };
    let saved = match research::saved::saved_searches(state, agent).await {
        Ok(saved) => saved,
        Err(e) => return error_page(state, headers, Some(agent), &WebError::from(e)),
    };
    let page = LibraryPage {
        tr,
        nav: Some(nav(agent)),
        vocabulary: research::vocabulary(state),
        form,
        results,
        typed,
        raw,
        saved,
        csrf: agent.csrf.clone(),
    };
    (status, render(&page)).into_response()
}

/// A search as a URL query of the library page.
pub(crate) fn url_of(q: &LibraryQuery) -> String {
    let mut url = form_urlencoded::Serializer::new(String::new());
    if !q.q.is_empty() {
        url.append_pair("q", &q.q);
    }
    for (name, values) in [
        ("countries", &q.countries),
        ("source", &q.sources),
        ("type", &q.kinds),
        ("language", &q.languages),
        ("topic", &q.topics),
    ] {
        for v in values {
            url.append_pair(name, v);
        }
    }
    match q.country_match {
        CountryMatch::AllOf => {
            url.append_pair("country_match", "all_of");
        }
        CountryMatch::NoneOf => {
            url.append_pair("country_match", "none_of");
        }
        CountryMatch::AnyOf => {}
    }
    if let Some(d) = q.published_from {
        url.append_pair("published_from", &d.to_string());
    }
    if let Some(d) = q.published_to {
        url.append_pair("published_to", &d.to_string());
    }
    if q.by_date {
        url.append_pair("sort", "date");
    }
    url.finish()
}

async fn save_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    SignedForm(form): SignedForm,
) -> Response {
    let raw = form.text("search");
    let typed = FormData::new(form_urlencoded::parse(raw.as_bytes()).into_owned().collect());
    let outcome: Result<String, WebError> = async {
        let query = query_of(&typed)?;
        Ok(research::saved::save_search(&state, &agent, &form.text("name"), &query).await?)
    }
    .await;
    match outcome {
        Ok(_) => Redirect::to(&format!("/library?{raw}")).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Domain(_))) => {
            let tr = state.i18n().tr(lang_of(&state, &headers));
            let refused = FormState::refused("save", form.values(), &e, &tr);
            let status = e.status();
            library_response(&state, &headers, &agent, raw, Some((refused, status))).await
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

async fn saved_open(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
) -> Response {
    match research::saved::open_search(&state, &agent, &id).await {
        Ok(query) => Redirect::to(&format!("/library?{}", url_of(&query))).into_response(),
        Err(e) => error_page(&state, &headers, Some(&agent), &WebError::from(e)),
    }
}

async fn saved_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
    SignedForm(_form): SignedForm,
) -> Response {
    match research::saved::delete_search(&state, &agent, &id).await {
        Ok(()) => Redirect::to("/library").into_response(),
        Err(e) => error_page(&state, &headers, Some(&agent), &WebError::from(e)),
    }
}

#[derive(Template)]
#[template(path = "research/document.html")]
struct DocumentPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    view: LibraryDocumentView,
}

impl DocumentPage<'_> {
    fn kind_label(&self, kind: &str) -> String {
        kind_label(&self.tr, kind)
    }

    fn topic_label(&self, t: &(String, String, String)) -> String {
        label(&self.tr, t)
    }

    /// Right-to-left passages (Arabic, Persian, Pashto, Urdu) are marked so.
    fn dir(&self) -> &'static str {
        if RTL.contains(&self.view.document.language.as_str()) {
            "rtl"
        } else {
            "ltr"
        }
    }
}

async fn document_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
) -> Response {
    match research::document(&state, &agent, &id).await {
        Ok(view) => {
            let page = DocumentPage { tr: state.i18n().tr(lang_of(&state, &headers)), nav: Some(nav(&agent)), view };
            render(&page)
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &WebError::from(e)),
    }
}

/// A document's file, as stored: an attachment, sandboxed, never sniffed.
pub(crate) async fn file_response(state: &AppState, agent: &Agent, id: &str) -> Result<Response, WebError> {
    let content = research::content(state, agent, id).await?;
    let extension = match content.media_type.as_str() {
        "application/pdf" => "pdf",
        "text/html" => "html",
        _ => "txt",
    };
    let mut response = Response::new(Body::from_stream(content.stream));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(content.size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}.{extension}\"", content.id)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

async fn document_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    agent: Agent,
    Path(id): Path<String>,
) -> Response {
    match file_response(&state, &agent, &id).await {
        Ok(r) => r,
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}

#[derive(Template)]
#[template(path = "research/new.html")]
struct NewPage<'a> {
    tr: Tr<'a>,
    nav: Option<Nav>,
    vocabulary: Vocabulary,
    form: FormState,
}

impl NewPage<'_> {
    fn csrf(&self) -> String {
        self.nav.as_ref().map(|n| n.csrf.clone()).unwrap_or_default()
    }

    fn topic_label(&self, t: &(String, String, String)) -> String {
        label(&self.tr, t)
    }

    fn kind_label(&self, kind: &str) -> String {
        kind_label(&self.tr, kind)
    }

    fn topic_chosen(&self, code: &str) -> bool {
        self.form.v("topics").split(' ').any(|t| t == code)
    }
}

async fn new_page(State(state): State<AppState>, headers: HeaderMap, agent: Agent) -> Response {
    // Only who may import sees the form: the policy is asked (and journaled) by a search.
    let page = NewPage {
        tr: state.i18n().tr(lang_of(&state, &headers)),
        nav: Some(nav(&agent)),
        vocabulary: research::vocabulary(&state),
        form: FormState::default(),
    };
    render(&page)
}

/// Reads the import form (`multipart/form-data`, the CSRF token first).
pub(crate) async fn import_form(
    agent: &Agent,
    csrf_header: Option<&str>,
    mut multipart: Multipart,
    typed: &mut std::collections::HashMap<String, String>,
) -> Result<NewDocumentForm, WebError> {
    let mut csrf_ok = csrf_header.is_some_and(|t| agent.check_csrf(Some(t)).is_ok());
    let mut form = NewDocumentForm::default();
    let mut published: Option<String> = None;
    while let Some(field) =
        multipart.next_field().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            let token = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            agent.check_csrf(Some(&token))?;
            csrf_ok = true;
            continue;
        }
        if !csrf_ok {
            return Err(WebError::BadRequest(
                "the form has expired or did not come from Nansen; reload the page".into(),
            ));
        }
        if name == "file" {
            let bytes =
                field.bytes().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?;
            form.bytes = bytes.to_vec();
            continue;
        }
        let value = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
        if value.len() > 2_000 {
            return Err(WebError::field(name, "too long"));
        }
        let entry = typed.entry(name.clone()).or_default();
        if !entry.is_empty() {
            entry.push(' ');
        }
        entry.push_str(value.trim());
        match name.as_str() {
            "title" => form.title = value,
            "source" => form.source = value,
            "type" => form.kind = value,
            "language" => form.language = value,
            "countries" => form.countries.extend(value.split([',', ' ']).map(|c| c.trim().to_ascii_uppercase())),
            "topics" => form.topics.push(value),
            "published_on" => published = Some(value),
            "replaces" => form.replaces = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(WebError::BadRequest("the form has expired or did not come from Nansen; reload the page".into()));
    }
    form.published_on = match published.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(crate::forms::date("published_on", v)?),
    };
    Ok(form)
}

async fn new_submit(State(state): State<AppState>, headers: HeaderMap, agent: Agent, multipart: Multipart) -> Response {
    let tr = state.i18n().tr(lang_of(&state, &headers));
    let mut typed = std::collections::HashMap::new();
    let outcome = match import_form(&agent, None, multipart, &mut typed).await {
        Ok(form) => research::add_document(&state, &agent, form).await.map_err(WebError::from),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(id) => Redirect::to(&format!("/library/documents/{id}")).into_response(),
        Err(e @ (WebError::Field { .. } | WebError::Upload { .. } | WebError::Domain(_))) => {
            let page = NewPage {
                form: FormState::refused("import", typed, &e, &tr),
                tr,
                nav: Some(nav(&agent)),
                vocabulary: research::vocabulary(&state),
            };
            (e.status(), render(&page)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&agent), &e),
    }
}
