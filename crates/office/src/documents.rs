//! The case file's documents and the custody of originals (workspace `documents`): scans
//! filed after their content was checked and the domain's rules passed (bytes stored only then),
//! downloads journaled as reads, originals received, moved, lent and returned, and their labels.

use std::collections::HashMap;

use nansen_authz::{Action as Act, Resource};
use nansen_docs::objects::ContentHash as StoreHash;
use nansen_docs::print::Label;
use nansen_domain::documents::{
    ActiveContent, ContentHash, CustodyChange, Document, DocumentKind, Location, NewDocument, NewOriginal, Origin,
    Original,
};
use nansen_domain::ids::{Language, Login};
use nansen_domain::lifecycle::{Case, Command, Event};
use nansen_store::Entry;
use time::Date;

pub use nansen_docs::inspect::{Active, Refusal, Staged, Stager};
pub use nansen_docs::objects::ObjectError;

use crate::actor::Agent;
use crate::gate::OFFICE;
use crate::letters::date_fr;
use crate::target::{case_attrs, case_op, last_case, load, load_target, predict, CaseTarget};
use crate::{Office, OfficeError};

/// Most files in one upload form.
pub const MAX_FILES: usize = 20;

/// A date as typed in a form (`YYYY-MM-DD`), or the field's error.
/// The kinds of documents a civil registrar needs: civil status and identity, never the account
/// of fears, the evidence of persecution or the decision's reasons.
pub const REGISTRAR_KINDS: [DocumentKind; 7] = [
    DocumentKind::CivilStatus,
    DocumentKind::IdentityDocument,
    DocumentKind::Photograph,
    DocumentKind::ResidenceDocument,
    DocumentKind::CertifiedCopy,
    DocumentKind::FamilyBook,
    DocumentKind::FgmLetter,
];

/// Keeps, of a file's documents, those a civil registrar needs.
pub fn registrar_documents(documents: &mut Vec<Document>) {
    documents.retain(|d| REGISTRAR_KINDS.contains(&d.document.kind));
}

/// Whether the agent is a civil registrar (their case page shows only civil-status documents).
pub fn is_registrar(agent: &Agent) -> bool {
    agent.role() == nansen_authz::Role::CivilRegistrar
}

pub fn parse_date(field: &str, value: &str) -> Result<Date, OfficeError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(value.trim(), &format).map_err(|_| OfficeError::field(field, "a date like 2026-03-31"))
}

/// A new staging file for an upload, under the office's limits.
pub fn stager(office: &Office) -> Result<Stager, OfficeError> {
    Stager::new(office.staging_dir(), office.upload_limits())
        .map_err(|e| OfficeError::Internal(format!("staging directory: {e}")))
}

/// One row of an upload form: what was typed (`kind`, `language`, `received_on`, `description`)
/// and the staged file with the name it came with.
pub struct ScanRow {
    pub fields: HashMap<String, String>,
    pub staged: Option<(Staged, String)>,
}

/// The field of the `i`-th row, e.g. `kind_2`.
fn row_field(name: &str, i: usize) -> String {
    format!("{name}_{i}")
}

/// Before a byte of an upload is read: may this agent file documents into this case? A refusal
/// is journaled; an allowance is journaled with the filing itself.
pub async fn may_file(office: &Office, agent: &Agent, number: &str) -> Result<(), OfficeError> {
    let case = load(office, number).await?;
    let resource = Resource::Case(case_attrs(&case, office));
    office.ask_quietly(agent, Act::FileDocuments, &resource, &format!("case:{}", case.number)).await
}

/// Files scans into a case in one commit. Everything the domain will check is checked first (a
/// dry run), then the bytes are stored, then the authorization and the command commit: a refused
/// batch stores nothing.
pub async fn file_scans(
    office: &Office,
    agent: &Agent,
    number: &str,
    rows: Vec<ScanRow>,
) -> Result<Vec<Document>, OfficeError> {
    let CaseTarget { case, resource, subject } = load_target(office, number).await?;
    let applied = office
        .act(agent, Act::FileDocuments, &resource, &subject, async || {
            let now = office.now();
            let today = now.date();
            let mut documents = Vec::new();
            let mut files = Vec::new();
            for (i, row) in rows.into_iter().enumerate() {
                let Some((staged, file_name)) = row.staged else { continue };
                let text = |name: &str| row.fields.get(name).map(|s| s.trim().to_owned()).unwrap_or_default();
                let kind = DocumentKind::parse(&text("kind"))
                    .ok()
                    .filter(|k| !k.is_issued_by_office())
                    .ok_or_else(|| OfficeError::field(row_field("kind", i), "choose the type of the document"))?;
                let language = match text("language").as_str() {
                    "" => None,
                    code => Some(Language::parse(code).map_err(|_| {
                        OfficeError::field(row_field("language", i), "an ISO 639 code, like fr, ar or prs")
                    })?),
                };
                let received_on = match text("received_on").as_str() {
                    "" => today,
                    s => parse_date(&row_field("received_on", i), s)?,
                };
                if received_on > today {
                    return Err(OfficeError::field(
                        row_field("received_on", i),
                        "a date received cannot be in the future",
                    ));
                }
                if text("description").chars().count() > 500 {
                    return Err(OfficeError::field(row_field("description", i), "at most 500 characters"));
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
                return Err(OfficeError::field("file_0", "choose at least one file"));
            }
            let command = Command::AttachDocuments { documents };
            // The domain's rules first, so that nothing is stored for a refused batch.
            predict(office, &agent.login, now, case.clone(), std::slice::from_ref(&command))?;
            store_staged(office, &files).await?;
            Ok(vec![case_op(agent, now, case.number, command)])
        })
        .await?;
    let mut filed: Vec<Document> = applied
        .into_iter()
        .flat_map(|a| a.events)
        .flat_map(|e| match e {
            Event::DocumentsAttached { documents, .. } => documents,
            _ => vec![],
        })
        .collect();
    shown(&mut filed);
    Ok(filed)
}

/// A document's bytes, streamed from the store, with what a download needs to name it.
pub struct DocumentBytes {
    pub case_number: String,
    pub document: Document,
    pub size: u64,
    pub stream: futures_util::stream::BoxStream<'static, Result<bytes::Bytes, ObjectError>>,
    /// A copy without the active content of the stored PDF (not the bytes under its hash).
    pub without_active_content: bool,
}

/// Which bytes of a document an agent asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Served {
    /// The stored bytes, or, for a PDF with active content, a copy without it: what an officer
    /// opens in a desktop reader.
    #[default]
    Safe,
    /// The bytes as received, under their hash (for evidence), even with active content.
    Original,
}

/// A document of a case, for an agent: the read is authorized and journaled (the original of a
/// PDF with active content under its own subject, `…:original`).
pub async fn download(
    office: &Office,
    agent: &Agent,
    number: &str,
    id: u32,
    served: Served,
) -> Result<DocumentBytes, OfficeError> {
    let case = load(office, number).await?;
    let resource = Resource::Case(case_attrs(&case, office));
    let doc = case.documents.iter().find(|d| d.id == id);
    let cleaned = served == Served::Safe && doc.is_some_and(|d| !d.document.active_content.is_empty());
    let original = served == Served::Original && doc.is_some_and(|d| !d.document.active_content.is_empty());
    let subject = format!("case:{}:document:{id}{}", case.number, if original { ":original" } else { "" });
    // A restricted document (a protected girl's certificate) is read by her follow-up's keepers.
    // The interview's recording is heard under its own rule (after a rejection or subsidiary
    // protection), each listening journaled as a read of that document.
    let needed = match doc.map(|d| d.document.kind) {
        Some(k) if k.is_restricted() => Act::FollowUpFgm,
        Some(k) if k.is_recording() => Act::ListenRecording,
        _ => Act::ReadDocuments,
    };
    office.ask(agent, &[needed], &resource, &subject).await?;
    let registrar_may = |d: &&Document| {
        !is_registrar(agent) || REGISTRAR_KINDS.contains(&d.document.kind) || d.document.kind.is_restricted()
    };
    let doc = doc.filter(registrar_may).ok_or_else(|| OfficeError::NotFound(format!("document {id}")))?;
    let mut bytes = bytes_of(office, &case, doc).await?;
    if cleaned {
        bytes = without_active_content(bytes).await?;
    }
    shown(std::slice::from_mut(&mut bytes.document));
    Ok(bytes)
}

/// The stored PDF read whole (it is at most the upload limit) and written again without its
/// active content.
async fn without_active_content(bytes: DocumentBytes) -> Result<DocumentBytes, OfficeError> {
    use futures_util::TryStreamExt;
    let DocumentBytes { case_number, document, stream, .. } = bytes;
    let stored: Vec<u8> = stream
        .try_fold(Vec::new(), |mut all, chunk| async move {
            all.extend_from_slice(&chunk);
            Ok(all)
        })
        .await
        .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    let clean = tokio::task::spawn_blocking(move || nansen_docs::inspect::without_active_content(&stored))
        .await
        .map_err(|e| OfficeError::Internal(format!("copy without active content: {e}")))?
        .map_err(|e| OfficeError::Internal(format!("copy without active content: {e}")))?;
    let size = clean.len() as u64;
    let stream = futures_util::stream::once(async move { Ok(bytes::Bytes::from(clean)) });
    Ok(DocumentBytes {
        case_number,
        document,
        size,
        stream: futures_util::StreamExt::boxed(stream),
        without_active_content: true,
    })
}

pub(crate) async fn bytes_of(office: &Office, case: &Case, doc: &Document) -> Result<DocumentBytes, OfficeError> {
    let hash: StoreHash = doc
        .document
        .sha256
        .as_str()
        .parse()
        .map_err(|_| OfficeError::Internal("a stored hash does not parse".into()))?;
    let (size, stream) =
        office.documents().get(&hash).await.map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    Ok(DocumentBytes {
        case_number: case.number.to_string(),
        document: doc.clone(),
        size,
        stream,
        without_active_content: false,
    })
}

/// The error of a refused file: a stable code per kind of refusal (translated in the workbench)
/// and a message for API clients.
pub fn refused(field: String, r: &Refusal) -> OfficeError {
    let code = match r {
        Refusal::Empty => "upload_empty",
        Refusal::TooLarge { .. } => "upload_too_large",
        Refusal::UnknownType => "upload_unknown_type",
        Refusal::Encrypted => "upload_encrypted",
        Refusal::Malformed { .. } => "upload_malformed",
        Refusal::TooManyPages { .. } => "upload_too_many_pages",
        Refusal::ImageTooLarge { .. } => "upload_image_too_large",
        Refusal::NotAudio => "upload_not_audio",
        Refusal::TooLong { .. } => "upload_too_long",
        _ => "upload_unreadable",
    };
    OfficeError::Upload { field, code, message: refusal_message(r) }
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

/// The document a staged file becomes (type from its content, hash, pages).
pub fn new_document(
    staged: &Staged,
    file_name: String,
    kind: DocumentKind,
    language: Option<Language>,
    received_on: Date,
    description: String,
    origin: Origin,
) -> Result<NewDocument, OfficeError> {
    let active_content = staged.inspection.active_content.iter().map(|a| active(*a)).collect();
    Ok(NewDocument {
        sha256: ContentHash::parse(&staged.sha256_hex()).map_err(OfficeError::Domain)?,
        media_type: staged.inspection.media_type.as_mime().to_owned(),
        size: staged.size,
        pages: staged.inspection.pages,
        kind,
        language,
        received_on,
        description,
        file_name,
        origin,
        active_content,
    })
}

/// The domain's name for what the inspection found.
fn active(found: Active) -> ActiveContent {
    match found {
        Active::JavaScript => ActiveContent::JavaScript,
        Active::OpenAction => ActiveContent::OpenAction,
        Active::AdditionalActions => ActiveContent::AdditionalActions,
        Active::Launch => ActiveContent::Launch,
        Active::EmbeddedFiles => ActiveContent::EmbeddedFiles,
        Active::Xfa => ActiveContent::Xfa,
    }
}

/// The refusal of a PDF with active content from an applicant, with how to send a plain copy.
pub fn refused_active(field: String) -> OfficeError {
    OfficeError::Upload {
        field,
        code: "upload_active_content",
        message: "the PDF contains active content (scripts, actions or embedded files); open it and print it \
                  to a new PDF (\"Print to PDF\" or \"Save as PDF\"), then send that copy"
            .into(),
    }
}

/// A case's documents as people are shown them: each file name without what could make it lie
/// about itself ([`nansen_domain::documents::FileName`]); the journal keeps the name as received.
pub fn shown(documents: &mut [Document]) {
    for d in documents {
        d.document.file_name = d.document.shown_file_name().into();
    }
}

/// Stores staged files. The bytes first, the journal after: a document the journal names is
/// always stored. A crash in between leaves an unreferenced object, which the same upload will
/// find again.
pub(crate) async fn store_staged(office: &Office, files: &[Staged]) -> Result<(), OfficeError> {
    for staged in files {
        office
            .documents()
            .put_file(&StoreHash(staged.sha256), staged.path())
            .await
            .map_err(|e| OfficeError::Internal(format!("document store: {e}")))?;
    }
    Ok(())
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

fn location(store: &str, shelf: &str, r#box: &str) -> Result<Location, OfficeError> {
    Location::new(store, shelf, r#box).map_err(OfficeError::Domain)
}

async fn commit_custody(
    office: &Office,
    agent: &Agent,
    case: &Case,
    command: Result<Command, OfficeError>,
) -> Result<Case, OfficeError> {
    let resource = Resource::Case(case_attrs(case, office));
    let subject = format!("case:{}", case.number);
    let applied = office
        .act(agent, Act::KeepOriginals, &resource, &subject, async || {
            Ok(vec![case_op(agent, office.now(), case.number, command?)])
        })
        .await?;
    last_case(applied)
}

/// Records an original handed over and where it is shelved; returns it with its identifier.
pub async fn receive_original(
    office: &Office,
    agent: &Agent,
    number: &str,
    f: &OriginalForm,
) -> Result<Original, OfficeError> {
    let case = load(office, number).await?;
    let command = (|| {
        let kind = DocumentKind::parse(f.kind.trim())
            .ok()
            .filter(|k| !k.is_issued_by_office())
            .ok_or_else(|| OfficeError::field("original_kind", "choose the type of the document"))?;
        let received_on = match f.received_on.trim() {
            "" => office.today(),
            s => parse_date("received_on", s)?,
        };
        Ok(Command::ReceiveOriginal(NewOriginal {
            kind,
            description: f.description.clone(),
            received_on,
            location: location(&f.store, &f.shelf, &f.r#box)?,
        }))
    })();
    let case = commit_custody(office, agent, &case, command).await?;
    case.originals.last().cloned().ok_or_else(|| OfficeError::Internal("no original recorded".into()))
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
pub async fn case_of_original(office: &Office, id: &str) -> Result<Case, OfficeError> {
    let line = office.store().original(id).await?.ok_or_else(|| OfficeError::NotFound(format!("original {id:?}")))?;
    load(office, &line.case_number).await
}

pub async fn change_custody(
    office: &Office,
    agent: &Agent,
    id: &str,
    f: &CustodyForm,
) -> Result<Original, OfficeError> {
    let case = case_of_original(office, id).await?;
    let change = match f.change.as_str() {
        "move" => location(&f.store, &f.shelf, &f.r#box).map(|location| CustodyChange::Move { location }),
        "take_back" => location(&f.store, &f.shelf, &f.r#box).map(|location| CustodyChange::TakeBack { location }),
        "lend" => match Login::parse(f.to.trim()) {
            Ok(to) => match office.store().account(to.as_str()).await? {
                Some(a) if !a.disabled => Ok(CustodyChange::Lend { to }),
                _ => Err(OfficeError::field("to", "no agent has this login")),
            },
            Err(_) => Err(OfficeError::field("to", "the login of the agent who takes it")),
        },
        "return" => match f.on.trim() {
            "" => Ok(office.today()),
            s => parse_date("returned_on", s),
        }
        .map(|on| CustodyChange::ReturnToApplicant { on, signed_by: f.signed_by.clone() }),
        other => return Err(OfficeError::NotFound(format!("custody change {other:?}"))),
    };
    let command = change.map(|change| Command::ChangeCustody { original: id.trim().to_owned(), change });
    let case = commit_custody(office, agent, &case, command).await?;
    case.originals
        .into_iter()
        .find(|o| o.id == id.trim())
        .ok_or_else(|| OfficeError::NotFound(format!("original {id:?}")))
}

/// An original and its history, for whoever keeps originals (not the case's content).
pub struct OriginalView {
    pub case_number: String,
    pub original: Original,
    pub history: Vec<(Entry, String)>,
}

pub async fn read_original(office: &Office, agent: &Agent, id: &str) -> Result<OriginalView, OfficeError> {
    let case = case_of_original(office, id).await?;
    let resource = Resource::Case(case_attrs(&case, office));
    let subject = format!("case:{}", case.number);
    office.ask(agent, &[Act::KeepOriginals], &resource, &format!("{subject}:original:{id}")).await?;
    let original = case
        .originals
        .iter()
        .find(|o| o.id == id.trim())
        .cloned()
        .ok_or_else(|| OfficeError::NotFound(format!("original {id:?}")))?;
    let history = office
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

/// The printable label of an original (PDF/A with its QR code); `kind_label` is the type of the
/// document in French, as the edge translates it.
pub async fn label(
    office: &Office,
    agent: &Agent,
    id: &str,
    kind_label: impl Fn(DocumentKind) -> String,
) -> Result<Vec<u8>, OfficeError> {
    let view = read_original(office, agent, id).await?;
    let o = &view.original;
    let label = Label {
        identifier: o.id.clone(),
        lines: vec![
            format!("Dossier {}", view.case_number),
            kind_label(o.kind),
            format!("Reçu le {}", date_fr(o.received_on)),
        ],
    };
    office.printer().label(&label).map_err(|e| OfficeError::Internal(format!("printing: {e}")))
}

/// An original by the identifier a scanner read from its label; only for those who may list the
/// originals (authorized and journaled first, so that nobody else learns which identifiers exist).
pub async fn find_original(office: &Office, agent: &Agent, id: &str) -> Result<Option<String>, OfficeError> {
    office.ask(agent, &[Act::ListOriginals], &Resource::Office, OFFICE).await?;
    Ok(office.store().original(id).await?.map(|o| o.id))
}

/// Most lines of the originals page (a page one reads, and a browser test audits, whole); the
/// counts above it give the totals, and the find box opens any other.
pub const ORIGINALS_PAGE: u32 = 50;

/// The list of originals in custody: the office action is authorized and journaled.
pub async fn originals(
    office: &Office,
    agent: &Agent,
    lent_only: bool,
) -> Result<(Vec<nansen_store::OriginalLine>, (u64, u64)), OfficeError> {
    office.ask(agent, &[Act::ListOriginals], &Resource::Office, OFFICE).await?;
    let filter = nansen_store::OriginalFilter { lent_only, division: None, limit: ORIGINALS_PAGE };
    Ok((office.store().originals_in_custody(&filter).await?, office.store().originals_counts().await?))
}
