//! The case file's documents and the custody of originals, for the workbench and the API alike:
//! uploads streamed to a staging file while hashed and checked by content, stored once by their
//! SHA-256, filed with one journaled command; downloads journaled as reads; the office's letters
//! (receipt, request for missing items, convocation) printed as PDF/A and filed the same way; and
//! every move of an original.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::Multipart;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use nansen_authz::{Action as Act, Resource};
use nansen_docs::inspect::{Refusal, Staged, Stager};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::print::{
    Addressee, Convocation, ConvocationMode, Decision, Label, Letter, LetterHead, MissingItems, Receipt,
};
use nansen_domain::documents::{
    ContentHash, CustodyChange, Document, DocumentKind, Location, NewDocument, NewOriginal, Origin, Original,
};
use nansen_domain::ids::{Language, Login};
use nansen_domain::lifecycle::{Case, Command, InterviewMode};
use nansen_store::{Action, Entry, Op};
use time::{Date, OffsetDateTime};

use crate::auth::Agent;
use crate::service::{authorize, case_attrs, forbidden, load, today, OFFICE};
use crate::{AppState, WebError};

/// Most files in one upload form.
pub const MAX_FILES: usize = 20;
/// Days the applicant has to send missing items (the office's practice; to verify).
const MISSING_ITEMS_DAYS: i64 = 15;

/// One row of an upload: the index typed by the secretary and the staged file.
struct Row {
    fields: HashMap<String, String>,
    staged: Option<(Staged, String)>,
}

/// The error of a refused file: a stable code per kind of refusal (translated in the workbench)
/// and a message for API clients.
fn refused(field: String, r: &Refusal) -> WebError {
    let code = match r {
        Refusal::Empty => "upload_empty",
        Refusal::TooLarge { .. } => "upload_too_large",
        Refusal::UnknownType => "upload_unknown_type",
        Refusal::Encrypted => "upload_encrypted",
        Refusal::Malformed { .. } => "upload_malformed",
        Refusal::TooManyPages { .. } => "upload_too_many_pages",
        Refusal::ImageTooLarge { .. } => "upload_image_too_large",
        _ => "upload_unreadable",
    };
    WebError::Upload { field, code, message: refusal_message(r) }
}

fn refusal_message(r: &Refusal) -> String {
    match r {
        Refusal::Empty => "the file is empty".into(),
        Refusal::TooLarge { limit } => format!("the file is larger than {} MB", limit / (1024 * 1024)),
        Refusal::UnknownType => "the content is not a PDF, JPEG, PNG or TIFF file".into(),
        Refusal::Encrypted => "the PDF is encrypted or password-protected; scan the paper instead".into(),
        Refusal::Malformed { detail } => format!("the file is damaged or incomplete ({detail})"),
        Refusal::TooManyPages { pages, limit } => format!("{pages} pages: at most {limit} in one file"),
        Refusal::ImageTooLarge { width, height } => {
            format!("the image is {width}×{height} pixels, too large; scan at 300 dpi")
        }
        other => other.to_string(),
    }
}

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
    let case = load(state, number).await?;
    let resource = Resource::Case(case_attrs(&case, state));
    let subject = format!("case:{}", case.number);
    if !state.authz().decide(&agent.principal, Act::FileDocuments, &resource).allowed {
        authorize(state, agent, &[Act::FileDocuments], &resource, &subject, None).await?;
        return Err(forbidden(Act::FileDocuments, &resource));
    }
    let mut csrf_ok = csrf_header.is_some_and(|t| agent.check_csrf(Some(t)).is_ok());
    let mut rows: Vec<Row> = Vec::new();
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
            rows.push(Row { fields: HashMap::new(), staged: None });
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
    let mut documents = Vec::new();
    let mut files = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let Some((staged, file_name)) = row.staged else { continue };
        let text = |name: &str| row.fields.get(name).map(|s| s.trim().to_owned()).unwrap_or_default();
        let kind = DocumentKind::parse(&text("kind"))
            .ok()
            .filter(|k| !k.is_issued_by_office())
            .ok_or_else(|| WebError::field(row_field("kind", i), "choose the type of the document"))?;
        let language = match text("language").as_str() {
            "" => None,
            code => Some(
                Language::parse(code)
                    .map_err(|_| WebError::field(row_field("language", i), "an ISO 639 code, like fr, ar or prs"))?,
            ),
        };
        let received_on = match text("received_on").as_str() {
            "" => today(),
            s => crate::forms::date(&row_field("received_on", i), s)?,
        };
        if received_on > today() {
            return Err(WebError::field(row_field("received_on", i), "a date received cannot be in the future"));
        }
        if text("description").chars().count() > 500 {
            return Err(WebError::field(row_field("description", i), "at most 500 characters"));
        }
        documents.push(new_document(
            &staged,
            file_name,
            kind,
            language,
            received_on,
            text("description"),
            Origin::Scan,
        )?);
        files.push(staged);
    }
    if documents.is_empty() {
        return Err(WebError::field("file_0", "choose at least one file"));
    }
    store_staged(state, &files).await?;
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Case { number: case.number, command: Command::AttachDocuments { documents } },
    };
    let (_, result) = authorize(state, agent, &[Act::FileDocuments], &resource, &subject, Some(op)).await?;
    drop(files);
    match result {
        Some(Ok(applied)) => Ok(applied
            .events
            .into_iter()
            .flat_map(|e| match e {
                nansen_domain::lifecycle::Event::DocumentsAttached { documents, .. } => documents,
                _ => vec![],
            })
            .collect()),
        Some(Err(e)) => Err(WebError::Domain(e)),
        None => Err(WebError::Internal("the writer returned no result".into())),
    }
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
    let mut stager = Stager::new(state.staging_dir(), state.upload_limits())
        .map_err(|e| WebError::Internal(format!("staging directory: {e}")))?;
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

/// The document a staged file becomes (type from its content, hash, pages).
pub(crate) fn new_document(
    staged: &Staged,
    file_name: String,
    kind: DocumentKind,
    language: Option<Language>,
    received_on: Date,
    description: String,
    origin: Origin,
) -> Result<NewDocument, WebError> {
    Ok(NewDocument {
        sha256: ContentHash::parse(&staged.sha256_hex()).map_err(WebError::Domain)?,
        media_type: staged.inspection.media_type.as_mime().to_owned(),
        size: staged.size,
        pages: staged.inspection.pages,
        kind,
        language,
        received_on,
        description,
        file_name,
        origin,
    })
}

/// Stores staged files. The bytes first, the journal after: a document the journal names is
/// always stored. A crash in between leaves an unreferenced object, which the same upload will
/// find again.
pub(crate) async fn store_staged(state: &AppState, files: &[Staged]) -> Result<(), WebError> {
    for staged in files {
        state
            .documents()
            .put_file(&StoreHash(staged.sha256), staged.path())
            .await
            .map_err(|e| WebError::Internal(format!("document store: {e}")))?;
    }
    Ok(())
}

/// Sends a document's bytes (streamed from the store); the read is authorized and journaled.
pub async fn download(state: &AppState, agent: &Agent, number: &str, id: u32) -> Result<Response, WebError> {
    let case = load(state, number).await?;
    let resource = Resource::Case(case_attrs(&case, state));
    let subject = format!("case:{}", case.number);
    let (d, _) =
        authorize(state, agent, &[Act::ReadDocuments], &resource, &format!("{subject}:document:{id}"), None).await?;
    if !d.first().is_some_and(|d| d.allowed) {
        return Err(forbidden(Act::ReadDocuments, &resource));
    }
    let doc = case.documents.iter().find(|d| d.id == id).ok_or_else(|| WebError::NotFound(format!("document {id}")))?;
    send(state, &case, doc).await
}

/// A document's bytes as a response: type from its content, a download name, and a sandbox so
/// that nothing in it runs in the page's origin.
pub(crate) async fn send(state: &AppState, case: &Case, doc: &Document) -> Result<Response, WebError> {
    let hash: StoreHash =
        doc.document.sha256.as_str().parse().map_err(|_| WebError::Internal("a stored hash does not parse".into()))?;
    let (size, stream) =
        state.documents().get(&hash).await.map_err(|e| WebError::Internal(format!("document store: {e}")))?;
    let extension = match doc.document.media_type.as_str() {
        "application/pdf" => "pdf",
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "tif",
    };
    let name = format!("{}-{:03}-{}.{extension}", case.number, doc.id, doc.document.kind.as_str());
    // Images are shown in the browser; PDFs and TIFFs are saved (no plugin runs under our CSP).
    let disposition = if matches!(extension, "jpg" | "png") { "inline" } else { "attachment" };
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
    Ok(response)
}

/// A letter the office issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    Receipt,
    MissingItems,
    Convocation,
    /// Printed when the signed decision is notified (never on request: the decision is notified once).
    Decision,
}

impl LetterKind {
    pub fn parse(s: &str) -> Option<LetterKind> {
        match s {
            "receipt" => Some(LetterKind::Receipt),
            "missing_items" => Some(LetterKind::MissingItems),
            "convocation" => Some(LetterKind::Convocation),
            _ => None,
        }
    }
}

const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const WEEKDAYS_FR: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// "3 mars 2026", as French letters write dates.
pub fn date_fr(d: Date) -> String {
    let day = if d.day() == 1 { "1er".to_owned() } else { d.day().to_string() };
    format!("{day} {} {}", MONTHS_FR[usize::from(u8::from(d.month())) - 1], d.year())
}

fn weekday_date_fr(d: Date) -> String {
    format!("{} {}", WEEKDAYS_FR[usize::from(d.weekday().number_days_from_monday())], date_fr(d))
}

fn head(case: &Case, now: OffsetDateTime, service: &str) -> LetterHead {
    let a = &case.applicant;
    LetterHead {
        case_number: case.number.to_string(),
        issued_on: date_fr(now.date()),
        issued_at: now,
        addressee: Addressee {
            name: format!("{} {}", a.given_names.latin, a.family_name.latin.to_uppercase()),
            lines: vec![format!("Dossier n° {}", case.number)],
        },
        service: service.to_owned(),
    }
}

/// The French name of a language for the letters (the code where the office's list has no name).
fn language_name(l: &Language) -> String {
    let name = match l.as_str() {
        "fr" => "français",
        "en" => "anglais",
        "ar" => "arabe",
        "prs" => "dari",
        "fa" => "persan",
        "ps" => "pachto",
        "ru" => "russe",
        "es" => "espagnol",
        "tr" => "turc",
        "ti" => "tigrigna",
        "so" => "somali",
        "bn" => "bengali",
        "ur" => "ourdou",
        "sq" => "albanais",
        "ka" => "géorgien",
        "uk" => "ukrainien",
        "am" => "amharique",
        "ln" => "lingala",
        "ht" => "créole haïtien",
        "pt" => "portugais",
        "ku" => "kurde",
        "ta" => "tamoul",
        other => other,
    };
    name.to_owned()
}

/// Prints a letter from the case as it is now.
/// `activation_code` is printed on a receipt issued with the registration (never on a copy).
pub fn letter(
    state: &AppState,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
) -> Result<Letter, WebError> {
    letter_signed(state, case, kind, now, activation_code, None)
}

/// A letter; `signer` names who signed a decision (else their login).
fn letter_signed(
    state: &AppState,
    case: &Case,
    kind: LetterKind,
    now: OffsetDateTime,
    activation_code: Option<&str>,
    signer: Option<String>,
) -> Result<Letter, WebError> {
    let checklist = state.checklist();
    let rules = state.store().rules();
    Ok(match kind {
        LetterKind::Receipt => Letter::Receipt(Receipt {
            head: head(case, now, "Service de l'enregistrement"),
            application_kind: match case.kind {
                nansen_domain::ApplicationKind::Asylum => "Demande d'asile".into(),
                nansen_domain::ApplicationKind::ReExamination => "Demande de réexamen".into(),
                nansen_domain::ApplicationKind::Statelessness => "Demande du statut d'apatride".into(),
            },
            procedure: if case.procedure.is_accelerated() {
                "Procédure accélérée".into()
            } else {
                "Procédure normale".into()
            },
            introduced_on: date_fr(case.introduced_on),
            registered_on: date_fr(case.registered_at.date()),
            nationality: rules
                .nationality(case.nationality)
                .map(|n| n.name_fr.clone())
                .unwrap_or_else(|| case.nationality.to_string()),
            language: language_name(&case.language),
            documents_received: checklist
                .for_kind(case.kind)
                .filter(|i| !case.missing.contains(&i.id))
                .filter(|i| i.required)
                .map(|i| i.label_fr.clone())
                .collect(),
            missing: case.missing.iter().map(|m| checklist.label_fr(m).to_owned()).collect(),
            decision_deadline: case.decision_due(rules).map(date_fr),
            activation_code: activation_code.map(str::to_owned),
        }),
        LetterKind::MissingItems => {
            if case.missing.is_empty() {
                return Err(WebError::field("letter", "nothing is missing from this file"));
            }
            Letter::MissingItems(MissingItems {
                head: head(case, now, "Service de l'enregistrement"),
                missing: case.missing.iter().map(|m| checklist.label_fr(m).to_owned()).collect(),
                reply_by: date_fr(now.date() + time::Duration::days(MISSING_ITEMS_DAYS)),
            })
        }
        LetterKind::Decision => {
            let (Some(draft), Some(signed_at)) = (&case.draft, case.signed_at) else {
                return Err(WebError::field("letter", "the decision is not signed"));
            };
            use nansen_domain::decision::Outcome;
            let outcome = match &draft.outcome {
                Outcome::RefugeeStatus { .. } => "La qualité de réfugié vous est reconnue.",
                Outcome::SubsidiaryProtection { .. } => "Le bénéfice de la protection subsidiaire vous est accordé.",
                Outcome::Stateless => "La qualité d'apatride vous est reconnue.",
                Outcome::Rejection => "Votre demande est rejetée.",
                Outcome::Inadmissibility(_) => "Votre demande est déclarée irrecevable.",
                Outcome::Closure(_) => "L'examen de votre demande est clôturé.",
            };
            let signer = signer.unwrap_or_else(|| case.signed_by.as_ref().map(|l| l.to_string()).unwrap_or_default());
            let service = match (case.division, case.section) {
                (Some(d), Some(s)) => format!("Division {}, section {}", d.as_str(), s.get()),
                _ => "Service de l'instruction".into(),
            };
            Letter::Decision(Decision {
                head: head(case, now, &service),
                outcome: outcome.into(),
                facts: draft.facts.clone(),
                law: draft.law.clone(),
                signed_by: format!("{signer}, chef(fe) de section"),
                signed_on: date_fr(signed_at.date()),
                appeal: draft.outcome.is_appealable().then(|| "un mois".to_owned()),
            })
        }
        LetterKind::Convocation => {
            let Some(interview) = &case.interview else {
                return Err(WebError::field("letter", "no interview is scheduled"));
            };
            let place = interview.place.clone().unwrap_or_default();
            let service = match (case.division, case.section) {
                (Some(d), Some(s)) => format!("Division {}, section {}", d.as_str(), s.get()),
                _ => "Service de l'instruction".into(),
            };
            Letter::Convocation(Convocation {
                head: head(case, now, &service),
                date: weekday_date_fr(interview.on),
                mode: match interview.mode {
                    InterviewMode::VideoLink => ConvocationMode::Video { link_or_room: place },
                    _ => ConvocationMode::InPerson { place },
                },
                interpreter_language: interview.interpreter.as_ref().map(language_name),
                to_bring: vec![
                    "la présente convocation".into(),
                    "votre attestation de demande d'asile".into(),
                    "vos documents d'identité ou de voyage, s'il y en a (originaux)".into(),
                    "tout document utile à l'appui de votre demande, avec sa traduction si possible".into(),
                ],
                children_must_come: case.family.iter().any(|p| p.role == nansen_domain::FamilyRole::Child),
            })
        }
    })
}

/// Prints a letter, stores it and files it in the case (journaled under the agent who caused it).
pub async fn issue(
    state: &AppState,
    agent: &Agent,
    case: &Case,
    kind: LetterKind,
    activation_code: Option<&str>,
) -> Result<Case, WebError> {
    let now = OffsetDateTime::now_utc();
    let letter = letter(state, case, kind, now, activation_code)?;
    let document = print_and_store(state, &letter, kind, now).await?;
    let op = Op {
        actor: agent.login.clone(),
        now,
        // Every letter the office sends is also put in the applicant's secure space.
        action: Action::Case {
            number: case.number,
            command: Command::IssueLetter { letter: document, reference: crate::portal::new_reference() },
        },
    };
    match state.store().execute_one(op).await? {
        Ok(applied) => applied.case.ok_or_else(|| WebError::Internal("the writer returned no case".into())),
        Err(e) => Err(WebError::Domain(e)),
    }
}

/// The signed decision printed and stored, ready to be notified with [`Command::NotifyDecision`].
pub async fn decision_letter(state: &AppState, case: &Case) -> Result<NewDocument, WebError> {
    let now = OffsetDateTime::now_utc();
    let signer = match &case.signed_by {
        Some(l) => state.store().account(l.as_str()).await?.map(|a| a.display_name),
        None => None,
    };
    let letter = letter_signed(state, case, LetterKind::Decision, now, None, signer)?;
    print_and_store(state, &letter, LetterKind::Decision, now).await
}

/// Renders a letter to PDF/A, stores it, and describes it as a document of the file.
async fn print_and_store(
    state: &AppState,
    letter: &Letter,
    kind: LetterKind,
    now: OffsetDateTime,
) -> Result<NewDocument, WebError> {
    let pdf = state.printer().render(letter).map_err(|e| WebError::Internal(format!("printing: {e}")))?;
    let hash = StoreHash::of(&pdf);
    let size = pdf.len() as u64;
    let pages = nansen_docs::inspect::inspect_bytes(&pdf, &state.upload_limits()).map(|i| i.pages).unwrap_or(1);
    state
        .documents()
        .put_bytes(&hash, pdf.into())
        .await
        .map_err(|e| WebError::Internal(format!("document store: {e}")))?;
    Ok(NewDocument {
        sha256: ContentHash::parse(&hash.to_hex()).map_err(WebError::Domain)?,
        media_type: "application/pdf".into(),
        size,
        pages,
        kind: match kind {
            LetterKind::Receipt => DocumentKind::Receipt,
            LetterKind::MissingItems => DocumentKind::MissingItemsRequest,
            LetterKind::Convocation => DocumentKind::Convocation,
            LetterKind::Decision => DocumentKind::Decision,
        },
        language: Language::parse("fr").ok(),
        received_on: now.date(),
        description: letter.title(),
        file_name: format!("{}.pdf", letter.kind()),
        origin: Origin::Issued,
    })
}

/// Issues letters after the act that calls for them; a failure is logged and the case page offers
/// to issue the letter again (the act itself is already committed).
pub async fn issue_after(
    state: &AppState,
    agent: &Agent,
    mut case: Case,
    kinds: &[LetterKind],
    activation_code: Option<&str>,
) -> Case {
    for kind in kinds {
        let code = activation_code.filter(|_| *kind == LetterKind::Receipt);
        match issue(state, agent, &case, *kind, code).await {
            Ok(c) => case = c,
            Err(e) => tracing::error!(case = %case.number, letter = ?kind, error = %e, "letter not issued"),
        }
    }
    case
}

/// Issues a letter on request (the "print again" button): filing documents must be allowed.
pub async fn issue_on_request(
    state: &AppState,
    agent: &Agent,
    number: &str,
    kind: LetterKind,
) -> Result<Case, WebError> {
    let case = load(state, number).await?;
    let resource = Resource::Case(case_attrs(&case, state));
    let subject = format!("case:{}", case.number);
    let (d, _) = authorize(state, agent, &[Act::FileDocuments], &resource, &subject, None).await?;
    if !d.first().is_some_and(|d| d.allowed) {
        return Err(forbidden(Act::FileDocuments, &resource));
    }
    issue(state, agent, &case, kind, None).await
}

/// The office gives the applicant a new activation code (lost receipt, forgotten password): the
/// old password and second factor stop working. Filing documents must be allowed (secretaries,
/// the assigned officer); the code is shown once to hand over in person.
pub async fn reset_portal_access(state: &AppState, agent: &Agent, number: &str) -> Result<String, WebError> {
    let case = load(state, number).await?;
    let resource = Resource::Case(case_attrs(&case, state));
    let subject = format!("case:{}", case.number);
    let (d, _) = authorize(state, agent, &[Act::FileDocuments], &resource, &subject, None).await?;
    if !d.first().is_some_and(|d| d.allowed) {
        return Err(forbidden(Act::FileDocuments, &resource));
    }
    crate::portal::issue_activation_code(state, &agent.login, case.number).await
}

// ---- originals ---------------------------------------------------------------------------------------------------

/// What a form or a JSON body says about an original's arrival.
pub struct OriginalForm {
    pub kind: String,
    pub description: String,
    pub received_on: String,
    pub store: String,
    pub shelf: String,
    pub r#box: String,
}

fn location(store: &str, shelf: &str, r#box: &str) -> Result<Location, WebError> {
    Location::new(store, shelf, r#box).map_err(WebError::Domain)
}

async fn commit_custody(
    state: &AppState,
    agent: &Agent,
    case: &Case,
    command: Result<Command, WebError>,
) -> Result<Case, WebError> {
    let resource = Resource::Case(case_attrs(case, state));
    let subject = format!("case:{}", case.number);
    let allowed = state.authz().decide(&agent.principal, Act::KeepOriginals, &resource).allowed;
    let command = match (allowed, command) {
        (true, Ok(c)) => c,
        (allowed, refused) => {
            authorize(state, agent, &[Act::KeepOriginals], &resource, &subject, None).await?;
            return Err(if allowed {
                refused.err().unwrap_or(WebError::Internal("no command".into()))
            } else {
                forbidden(Act::KeepOriginals, &resource)
            });
        }
    };
    let op = Op {
        actor: agent.login.clone(),
        now: OffsetDateTime::now_utc(),
        action: Action::Case { number: case.number, command },
    };
    let (_, result) = authorize(state, agent, &[Act::KeepOriginals], &resource, &subject, Some(op)).await?;
    crate::service::applied_case(result)
}

/// Records an original handed over and where it is shelved; returns it with its identifier.
pub async fn receive_original(
    state: &AppState,
    agent: &Agent,
    number: &str,
    f: &OriginalForm,
) -> Result<Original, WebError> {
    let case = load(state, number).await?;
    let command = (|| {
        let kind = DocumentKind::parse(f.kind.trim())
            .ok()
            .filter(|k| !k.is_issued_by_office())
            .ok_or_else(|| WebError::field("original_kind", "choose the type of the document"))?;
        let received_on = match f.received_on.trim() {
            "" => today(),
            s => crate::forms::date("received_on", s)?,
        };
        Ok(Command::ReceiveOriginal(NewOriginal {
            kind,
            description: f.description.clone(),
            received_on,
            location: location(&f.store, &f.shelf, &f.r#box)?,
        }))
    })();
    let case = commit_custody(state, agent, &case, command).await?;
    case.originals.last().cloned().ok_or_else(|| WebError::Internal("no original recorded".into()))
}

/// A change of custody as typed: `change` is move | lend | take_back | return.
pub struct CustodyForm {
    pub change: String,
    pub store: String,
    pub shelf: String,
    pub r#box: String,
    pub to: String,
    pub on: String,
    pub signed_by: String,
}

/// The case holding an original, found by the identifier on its label.
pub async fn case_of_original(state: &AppState, id: &str) -> Result<Case, WebError> {
    let line = state.store().original(id).await?.ok_or_else(|| WebError::NotFound(format!("original {id:?}")))?;
    load(state, &line.case_number).await
}

pub async fn change_custody(state: &AppState, agent: &Agent, id: &str, f: &CustodyForm) -> Result<Original, WebError> {
    let case = case_of_original(state, id).await?;
    let change = match f.change.as_str() {
        "move" => location(&f.store, &f.shelf, &f.r#box).map(|location| CustodyChange::Move { location }),
        "take_back" => location(&f.store, &f.shelf, &f.r#box).map(|location| CustodyChange::TakeBack { location }),
        "lend" => match Login::parse(f.to.trim()) {
            Ok(to) => match state.store().account(to.as_str()).await? {
                Some(a) if !a.disabled => Ok(CustodyChange::Lend { to }),
                _ => Err(WebError::field("to", "no agent has this login")),
            },
            Err(_) => Err(WebError::field("to", "the login of the agent who takes it")),
        },
        "return" => match f.on.trim() {
            "" => Ok(today()),
            s => crate::forms::date("returned_on", s),
        }
        .map(|on| CustodyChange::ReturnToApplicant { on, signed_by: f.signed_by.clone() }),
        other => return Err(WebError::NotFound(format!("custody change {other:?}"))),
    };
    let command = change.map(|change| Command::ChangeCustody { original: id.trim().to_owned(), change });
    let case = commit_custody(state, agent, &case, command).await?;
    case.originals.into_iter().find(|o| o.id == id.trim()).ok_or_else(|| WebError::NotFound(format!("original {id:?}")))
}

/// An original and its history, for whoever keeps originals (not the case's content).
pub struct OriginalView {
    pub case_number: String,
    pub original: Original,
    pub history: Vec<(Entry, String)>,
}

pub async fn read_original(state: &AppState, agent: &Agent, id: &str) -> Result<OriginalView, WebError> {
    let case = case_of_original(state, id).await?;
    let resource = Resource::Case(case_attrs(&case, state));
    let subject = format!("case:{}", case.number);
    let (d, _) =
        authorize(state, agent, &[Act::KeepOriginals], &resource, &format!("{subject}:original:{id}"), None).await?;
    if !d.first().is_some_and(|d| d.allowed) {
        return Err(forbidden(Act::KeepOriginals, &resource));
    }
    let original = case
        .originals
        .iter()
        .find(|o| o.id == id.trim())
        .cloned()
        .ok_or_else(|| WebError::NotFound(format!("original {id:?}")))?;
    let history = state
        .store()
        .entries_of(&subject)
        .await?
        .into_iter()
        .filter(|e| e.kind == "original_received" || e.kind == "custody_changed")
        .filter_map(|mut e| {
            let payload: serde_json::Value = serde_json::from_str(&e.payload).ok()?;
            let (about, what) = match e.kind.as_str() {
                "original_received" => (payload["original"]["id"].as_str()?.to_owned(), "received".to_owned()),
                _ => (payload["original"].as_str()?.to_owned(), payload["change"]["change"].as_str()?.to_owned()),
            };
            let detail = match e.kind.as_str() {
                "original_received" => location_text(&payload["original"]["custody"]["location"]),
                _ => match what.as_str() {
                    "lend" => payload["change"]["to"].as_str().unwrap_or_default().to_owned(),
                    "return_to_applicant" => payload["change"]["signed_by"].as_str().unwrap_or_default().to_owned(),
                    _ => location_text(&payload["change"]["location"]),
                },
            };
            e.payload = detail;
            (about == original.id).then_some((e, what))
        })
        .collect();
    Ok(OriginalView { case_number: case.number.to_string(), original, history })
}

fn location_text(v: &serde_json::Value) -> String {
    format!(
        "{} / {} / {}",
        v["store"].as_str().unwrap_or_default(),
        v["shelf"].as_str().unwrap_or_default(),
        v["box"].as_str().unwrap_or_default()
    )
}

/// The printable label of an original (PDF/A with its QR code).
pub async fn label(state: &AppState, agent: &Agent, id: &str) -> Result<Vec<u8>, WebError> {
    let view = read_original(state, agent, id).await?;
    let o = &view.original;
    let label = Label {
        identifier: o.id.clone(),
        lines: vec![
            format!("Dossier {}", view.case_number),
            state.i18n().tr("fr").t(&format!("kind-{}", o.kind.as_str())),
            format!("Reçu le {}", date_fr(o.received_on)),
        ],
    };
    state.printer().label(&label).map_err(|e| WebError::Internal(format!("printing: {e}")))
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

/// An original by the identifier a scanner read from its label; only for those who may list the
/// originals (authorized and journaled first, so that nobody else learns which identifiers exist).
pub async fn find_original(state: &AppState, agent: &Agent, id: &str) -> Result<Option<String>, WebError> {
    crate::service::require(state, agent, Act::ListOriginals, &Resource::Office, OFFICE).await?;
    Ok(state.store().original(id).await?.map(|o| o.id))
}

/// Most lines of the originals page; the counts above it give the totals.
pub const ORIGINALS_PAGE: u32 = 200;

/// The list of originals in custody: the office action is authorized and journaled.
pub async fn originals(
    state: &AppState,
    agent: &Agent,
    lent_only: bool,
) -> Result<(Vec<nansen_store::OriginalLine>, (u64, u64)), WebError> {
    crate::service::require(state, agent, Act::ListOriginals, &Resource::Office, OFFICE).await?;
    let filter = nansen_store::OriginalFilter { lent_only, division: None, limit: ORIGINALS_PAGE };
    Ok((state.store().originals_in_custody(&filter).await?, state.store().originals_counts().await?))
}

/// What `audit verify --documents` found.
#[derive(Debug, Default)]
pub struct DocumentAudit {
    pub checked: u64,
    pub bytes: u64,
    pub missing: Vec<(String, String)>,
    pub mismatched: Vec<(String, String)>,
}
