//! The case file's documents at the web's edge: upload forms read part by part (each file
//! streamed to a staging file while hashed and checked by content, then handed to the office),
//! downloads streamed back with safe headers, and QR codes drawn for labels on screen.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use nansen_domain::documents::Document;
use nansen_office::documents::{self, refused, DocumentBytes, ScanRow, Served, Staged, MAX_FILES};

use crate::auth::Agent;
use crate::{AppState, WebError};

/// The field of the `i`-th row, e.g. `kind_2`.
fn row_field(name: &str, i: usize) -> String {
    format!("{name}_{i}")
}

/// Receives an upload form (`multipart/form-data`): for each row `i`, the fields `kind_i`,
/// `language_i`, `received_on_i`, `description_i` and the file `file_i`. The agent must be
/// allowed to file documents into the case before a byte is read. Every file is staged (hashed,
/// checked by content) before anything is stored; one bad file refuses the whole form with the
/// message next to its row, and the staged files are deleted.
pub async fn upload(
    state: &AppState,
    agent: &Agent,
    number: &str,
    csrf_header: Option<&str>,
    mut multipart: Multipart,
    typed: &mut HashMap<String, String>,
) -> Result<Vec<Document>, WebError> {
    documents::may_file(state, agent, number).await?;
    let mut csrf_ok = csrf_header.is_some_and(|t| agent.check_csrf(Some(t)).is_ok());
    let mut rows: Vec<ScanRow> = Vec::new();
    while let Some(mut field) =
        multipart.next_field().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "csrf" {
            let token = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            agent.check_csrf(Some(&token))?;
            csrf_ok = true;
            continue;
        }
        let Some((base, index)) =
            name.rsplit_once('_').and_then(|(b, i)| Some((b.to_owned(), i.parse::<usize>().ok()?)))
        else {
            continue;
        };
        if index >= MAX_FILES {
            return Err(WebError::field("file_0", format!("at most {MAX_FILES} files at once")));
        }
        if !csrf_ok {
            return Err(WebError::BadRequest(
                "the form has expired or did not come from Nansen; reload the page".into(),
            ));
        }
        while rows.len() <= index {
            rows.push(ScanRow { fields: HashMap::new(), staged: None });
        }
        if base == "file" {
            if let Some(staged) = stage(state, &mut field, &row_field("file", index)).await? {
                rows[index].staged = Some(staged);
            }
        } else {
            let text = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
            if text.len() > 4000 {
                return Err(WebError::field(name, "too long"));
            }
            typed.insert(name, text.clone());
            rows[index].fields.insert(base, text);
        }
    }
    if !csrf_ok {
        return Err(WebError::BadRequest("the form has expired or did not come from Nansen; reload the page".into()));
    }
    Ok(documents::file_scans(state, agent, number, rows).await?)
}

/// Streams one multipart file part to a staging file while hashing and checking it; `None` for a
/// file input left empty. A refused file is reported against `field`.
pub(crate) async fn stage(
    state: &AppState,
    field: &mut axum::extract::multipart::Field<'_>,
    field_name: &str,
) -> Result<Option<(Staged, String)>, WebError> {
    let file_name: String =
        field.file_name().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect();
    let mut stager = documents::stager(state)?;
    let mut received = 0u64;
    while let Some(chunk) =
        field.chunk().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        received += chunk.len() as u64;
        stager.write(&chunk).await.map_err(|r| refused(field_name.to_owned(), &r))?;
    }
    // A file input left empty sends an empty part without a name: not a file.
    if received == 0 && file_name.is_empty() {
        return Ok(None);
    }
    let staged = stager.finish().await.map_err(|r| refused(field_name.to_owned(), &r))?;
    Ok(Some((staged, file_name)))
}

/// Receives the interview's recording (`multipart/form-data`: `csrf`, then the file
/// `recording`): the agent must be allowed to file it before a byte is read; the file is streamed
/// to a staging file while hashed, judged as audio by its content, then filed.
pub async fn upload_recording(
    state: &AppState,
    agent: &Agent,
    number: &str,
    csrf_header: Option<&str>,
    mut multipart: Multipart,
) -> Result<Document, WebError> {
    use nansen_office::recordings;
    recordings::may_file(state, agent, number).await?;
    let mut csrf_ok = csrf_header.is_some_and(|t| agent.check_csrf(Some(t)).is_ok());
    let expired = || WebError::BadRequest("the form has expired or did not come from Nansen; reload the page".into());
    while let Some(mut field) =
        multipart.next_field().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => {
                let token = field.text().await.map_err(|e| WebError::BadRequest(e.to_string()))?;
                agent.check_csrf(Some(&token))?;
                csrf_ok = true;
            }
            "recording" => {
                if !csrf_ok {
                    return Err(expired());
                }
                let file_name: String =
                    field.file_name().unwrap_or_default().chars().filter(|c| !c.is_control()).take(200).collect();
                let mut stager = recordings::stager(state)?;
                let mut received = 0u64;
                while let Some(chunk) =
                    field.chunk().await.map_err(|e| WebError::BadRequest(format!("the upload was interrupted: {e}")))?
                {
                    received += chunk.len() as u64;
                    stager.write(&chunk).await.map_err(|r| refused("recording".to_owned(), &r))?;
                }
                if received == 0 && file_name.is_empty() {
                    return Err(WebError::field("recording", "choose the recording's file"));
                }
                let staged = stager
                    .finish_audio(recordings::MAX_RECORDING_MS)
                    .await
                    .map_err(|r| refused("recording".to_owned(), &r))?;
                return Ok(recordings::file(state, agent, number, staged, file_name).await?);
            }
            _ => {}
        }
    }
    if !csrf_ok {
        return Err(expired());
    }
    Err(WebError::field("recording", "choose the recording's file"))
}

/// Which bytes a download asks for: `?original=1` for the bytes as received of a PDF with active
/// content; without it, a copy without the active content.
#[derive(Debug, Default, serde::Deserialize)]
pub struct DownloadQuery {
    #[serde(default)]
    original: Option<String>,
}

impl DownloadQuery {
    pub fn served(&self) -> Served {
        match self.original.as_deref() {
            Some("1" | "true") => Served::Original,
            _ => Served::Safe,
        }
    }
}

/// A document's bytes as a response: type from its content, a download name, and a sandbox so
/// that nothing in it runs in the page's origin.
pub(crate) fn send(bytes: DocumentBytes) -> Response {
    let DocumentBytes { case_number, document: doc, size, stream, without_active_content } = bytes;
    let extension = match doc.document.media_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "audio/wav" => "wav",
        "audio/mpeg" => "mp3",
        "audio/ogg" => "ogg",
        "audio/mp4" => "m4a",
        _ => "tif",
    };
    let copy = if without_active_content { "-safe-copy" } else { "" };
    let name = format!("{case_number}-{:03}-{}{copy}.{extension}", doc.id, doc.document.kind.as_str());
    // Images are shown and recordings played in the browser; PDFs and TIFFs are saved (no
    // plugin runs under our CSP).
    let disposition =
        if matches!(extension, "jpg" | "png" | "wav" | "mp3" | "ogg" | "m4a") { "inline" } else { "attachment" };
    let mut response = Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&doc.document.media_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(size));
    if let Ok(v) = HeaderValue::from_str(&format!("{disposition}; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    response
}

/// A letter of the reception agency as a PDF download, sandboxed like a case's documents.
pub(crate) fn send_letter(bytes: nansen_office::reception::letters::LetterBytes) -> Response {
    let mut response = Body::from_stream(bytes.stream).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.size));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", bytes.file_name.replace('"', ""))) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; sandbox"));
    response
}

/// The QR code of an identifier as inline SVG (the label shown on screen).
pub fn qr_svg(text: &str) -> String {
    let Ok(code) = qrcode::QrCode::new(text.as_bytes()) else { return String::new() };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    let mut path = String::new();
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % width + quiet, i / width + quiet));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" width=\"160\" height=\"160\" \
         role=\"img\" aria-label=\"QR {text}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" \
         fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>",
        text = askama_escape(text)
    )
}

fn askama_escape(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '&' => "&amp;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}
