//! The case file's documents (pièces du dossier) and the custody of originals.
//!
//! A *document* is a scan or a letter the office issued, stored elsewhere under the SHA-256 of its
//! content: the case keeps its index (type, language, pages, date received, description) and its
//! hash, so the journal proves which bytes were filed. An *original* is a paper the applicant
//! handed over (a passport, a birth certificate): it must never be lost, so every move of it is an
//! event: received into a store, moved, lent to an officer, taken back, returned to the applicant
//! against a signature. Also here: which documents are shared in the applicant's secure space and
//! under which reference, and the completeness checklist per application type (rules as data).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::application::ApplicationKind;
use crate::error::DomainError;
use crate::ids::{CaseNumber, Language, Login};

/// The SHA-256 of a document's content, 64 lower-case hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContentHash(String);

impl ContentHash {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            Ok(ContentHash(s.to_owned()))
        } else {
            Err(DomainError::validation("sha256", "a SHA-256 is 64 lower-case hexadecimal digits"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ContentHash {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ContentHash> for String {
    fn from(h: ContentHash) -> String {
        h.0
    }
}

/// What a document is: the controlled list the secretary indexes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// The application form (formulaire de demande).
    ApplicationForm,
    /// Identity photographs.
    Photograph,
    /// The certificate of asylum application or residence document issued by the prefecture
    /// (attestation de demande d'asile, titre de séjour).
    ResidenceDocument,
    /// The applicant's account of the reasons for the application (récit).
    AccountOfReasons,
    /// Passport, identity card, travel document.
    IdentityDocument,
    /// Birth, marriage or death certificate, family book.
    CivilStatus,
    /// Medical certificate.
    MedicalCertificate,
    /// Evidence of the facts told: press articles, photographs, summonses, court papers.
    Evidence,
    /// A letter from the applicant or their counsel.
    Correspondence,
    /// Issued by the office: the registration receipt (récépissé d'enregistrement).
    Receipt,
    /// Issued by the office: the request for missing items (demande de pièces manquantes).
    MissingItemsRequest,
    /// Issued by the office: the convocation to the interview.
    Convocation,
    /// Issued by the office: the signed decision on the application.
    Decision,
    Other,
    /// Issued by the office: a sealed certified copy of a civil-status act (copie intégrale).
    CertifiedCopy,
    /// The certificate of a protected girl's medical examination (FGM follow-up): restricted to
    /// those who keep the follow-up.
    FgmCertificate,
    /// Issued by the office: the letter telling a protected person why it considers ending their
    /// protection, and until when they may answer.
    EndingLetter,
    /// Issued by the office: the signed decision ending or maintaining a protection.
    EndingDecision,
    /// Issued by the office: the letter asking a protected girl's legal representatives for her
    /// medical examination, with the model certificate.
    FgmLetter,
    /// Issued by the office: the family record book (livret de famille).
    FamilyBook,
    /// The interview's sound recording (enregistrement sonore de l'entretien): heard, for an
    /// appeal, only after a rejection or a grant of subsidiary protection.
    InterviewRecording,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 21] = [
        DocumentKind::ApplicationForm,
        DocumentKind::Photograph,
        DocumentKind::ResidenceDocument,
        DocumentKind::AccountOfReasons,
        DocumentKind::IdentityDocument,
        DocumentKind::CivilStatus,
        DocumentKind::MedicalCertificate,
        DocumentKind::Evidence,
        DocumentKind::Correspondence,
        DocumentKind::Receipt,
        DocumentKind::MissingItemsRequest,
        DocumentKind::Convocation,
        DocumentKind::Decision,
        DocumentKind::Other,
        DocumentKind::CertifiedCopy,
        DocumentKind::FgmCertificate,
        DocumentKind::EndingLetter,
        DocumentKind::EndingDecision,
        DocumentKind::FgmLetter,
        DocumentKind::FamilyBook,
        DocumentKind::InterviewRecording,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            DocumentKind::ApplicationForm => "application_form",
            DocumentKind::Photograph => "photograph",
            DocumentKind::ResidenceDocument => "residence_document",
            DocumentKind::AccountOfReasons => "account_of_reasons",
            DocumentKind::IdentityDocument => "identity_document",
            DocumentKind::CivilStatus => "civil_status",
            DocumentKind::MedicalCertificate => "medical_certificate",
            DocumentKind::Evidence => "evidence",
            DocumentKind::Correspondence => "correspondence",
            DocumentKind::Receipt => "receipt",
            DocumentKind::MissingItemsRequest => "missing_items_request",
            DocumentKind::Convocation => "convocation",
            DocumentKind::Decision => "decision",
            DocumentKind::Other => "other",
            DocumentKind::CertifiedCopy => "certified_copy",
            DocumentKind::FgmCertificate => "fgm_certificate",
            DocumentKind::EndingLetter => "ending_letter",
            DocumentKind::EndingDecision => "ending_decision",
            DocumentKind::FgmLetter => "fgm_letter",
            DocumentKind::FamilyBook => "family_book",
            DocumentKind::InterviewRecording => "interview_recording",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::validation("kind", format!("{s:?} is not a document type of the list")))
    }

    /// Letters only the office issues: a scan never claims to be one.
    pub fn is_issued_by_office(&self) -> bool {
        matches!(
            self,
            DocumentKind::Receipt
                | DocumentKind::MissingItemsRequest
                | DocumentKind::Convocation
                | DocumentKind::Decision
                | DocumentKind::CertifiedCopy
                | DocumentKind::EndingLetter
                | DocumentKind::EndingDecision
                | DocumentKind::FgmLetter
                | DocumentKind::FamilyBook
        )
    }

    /// Kinds a secretary may give a scan or an original.
    pub fn scannable() -> impl Iterator<Item = DocumentKind> {
        Self::ALL.into_iter().filter(|k| !k.is_issued_by_office() && !k.is_restricted() && !k.is_recording())
    }

    /// The interview's recording: audio, filed by the officer, never in the file's list of
    /// documents nor in the applicant's space, heard only under its own rule.
    pub fn is_recording(&self) -> bool {
        matches!(self, DocumentKind::InterviewRecording)
    }

    /// Documents only the few who keep a protected girl's follow-up may see (not in the file's
    /// list, not downloadable with the file's documents).
    pub fn is_restricted(&self) -> bool {
        matches!(self, DocumentKind::FgmCertificate)
    }
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Scanned or uploaded by an agent.
    Scan,
    /// Generated by the office from a template (receipt, request, convocation).
    Issued,
    /// Sent by the applicant through their secure space.
    Applicant,
}

/// A document to file, as the edge checked it (type from its content, pages counted, hashed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDocument {
    pub sha256: ContentHash,
    /// `application/pdf`, `image/jpeg`, `image/png` or `image/tiff`, from the content.
    pub media_type: String,
    pub size: u64,
    pub pages: u32,
    pub kind: DocumentKind,
    pub language: Option<Language>,
    #[serde(with = "crate::serde_dates::date")]
    pub received_on: Date,
    pub description: String,
    /// The name the file had on the sender's machine, as received (the journal keeps it so);
    /// informative only, and shown to people only through [`FileName::shown`].
    pub file_name: String,
    pub origin: Origin,
    /// What a PDF holds that could run in a reader (JavaScript, actions, embedded files, forms
    /// that script themselves); empty for a plain file. Only the office's own scans may hold it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub active_content: Vec<ActiveContent>,
}

impl NewDocument {
    /// The file name as people are shown it (pages, API, letters).
    pub fn shown_file_name(&self) -> FileName {
        FileName::shown(&self.file_name)
    }
}

/// Content of a PDF that a desktop reader may act on by itself: the reason to refuse such a file
/// from an applicant and to warn an agent before opening it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActiveContent {
    #[serde(rename = "javascript")]
    JavaScript,
    /// An action run when the document opens (`/OpenAction`).
    OpenAction,
    /// Actions run on events of a page, a field or the document (`/AA`).
    AdditionalActions,
    /// An action starting another program (`/Launch`).
    Launch,
    /// Files carried inside the PDF (`/EmbeddedFiles`, file attachments).
    EmbeddedFiles,
    /// An XFA form (`/XFA`), which scripts itself.
    Xfa,
}

impl ActiveContent {
    pub fn as_str(&self) -> &'static str {
        match self {
            ActiveContent::JavaScript => "javascript",
            ActiveContent::OpenAction => "open_action",
            ActiveContent::AdditionalActions => "additional_actions",
            ActiveContent::Launch => "launch",
            ActiveContent::EmbeddedFiles => "embedded_files",
            ActiveContent::Xfa => "xfa",
        }
    }
}

/// A file's name as shown to people: without the characters that make a name lie about itself.
///
/// A sender chooses the name. Bidirectional controls (U+202E and its kin) reorder what is shown,
/// so that `invoice\u{202E}fdp.exe` reads as `invoiceexe.pdf`; separators make a name look like
/// a path (`../../etc/passwd`, `C:\Users\…\scan.pdf`). The name shown keeps what follows the
/// last separator, without bidirectional or other control characters, trimmed, at most
/// [`FileName::MAX_CHARS`] characters. The name as received stays in the journal, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileName(String);

impl FileName {
    /// The longest name shown, in characters.
    pub const MAX_CHARS: usize = 200;

    /// The name to show for a name as received.
    pub fn shown(received: &str) -> FileName {
        let base = received.rsplit(['/', '\\']).next().unwrap_or_default();
        let shown: String =
            base.chars().filter(|c| !is_bidi_control(*c) && !c.is_control()).take(Self::MAX_CHARS).collect();
        FileName(shown.trim().to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<FileName> for String {
    fn from(name: FileName) -> String {
        name.0
    }
}

/// The Unicode characters that change the direction text is shown in: embeddings and overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069), the left-to-right, right-to-left and Arabic marks.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// A document of the file as the applicant sees it in their space.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shared {
    /// The document's name in the applicant's links: random, so that links cannot be guessed or
    /// counted (the agents' numbering 1, 2, 3… never leaves the office).
    pub reference: String,
    #[serde(with = "time::serde::rfc3339")]
    pub made_available_at: OffsetDateTime,
    /// The first consultation in the secure space (mise à disposition / première consultation).
    #[serde(default, with = "time::serde::rfc3339::option", skip_serializing_if = "Option::is_none")]
    pub first_opened_at: Option<OffsetDateTime>,
}

/// A reference is 26 characters of lowercase base32 (130 random bits drawn by the edge).
pub const REFERENCE_LEN: usize = 26;

pub fn check_reference(reference: &str) -> Result<(), DomainError> {
    let ok = reference.len() == REFERENCE_LEN
        && reference.bytes().all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b));
    if ok {
        Ok(())
    } else {
        Err(DomainError::validation("reference", "a document reference is 26 characters of a-z and 2-7"))
    }
}

/// A document of the case file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// 1, 2, 3… in the order documents joined the file.
    pub id: u32,
    #[serde(flatten)]
    pub document: NewDocument,
    pub added_by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub added_at: OffsetDateTime,
    /// Set once the document is in the applicant's secure space.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Shared>,
}

/// Where an original is shelved: store (magasin), shelf (travée), box (boîte).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub store: String,
    pub shelf: String,
    pub r#box: String,
}

impl Location {
    pub fn new(store: &str, shelf: &str, r#box: &str) -> Result<Self, DomainError> {
        let part = |field: &'static str, v: &str| -> Result<String, DomainError> {
            let v = v.trim();
            if v.is_empty() {
                return Err(DomainError::validation(field, "required to find the original again"));
            }
            if v.chars().count() > 40 {
                return Err(DomainError::validation(field, "at most 40 characters"));
            }
            Ok(v.to_owned())
        };
        Ok(Location { store: part("store", store)?, shelf: part("shelf", shelf)?, r#box: part("box", r#box)? })
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {} / {}", self.store, self.shelf, self.r#box)
    }
}

/// Where an original is now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Custody {
    /// On its shelf.
    InStore { location: Location },
    /// Lent to an agent (usually the officer, for the interview); its shelf waits for it.
    Lent {
        to: Login,
        #[serde(with = "crate::serde_dates::date")]
        since: Date,
        home: Location,
    },
    /// Handed back to the applicant, who signed for it: the end of the office's custody.
    Returned {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        signed_by: String,
    },
}

impl Custody {
    pub fn as_str(&self) -> &'static str {
        match self {
            Custody::InStore { .. } => "in_store",
            Custody::Lent { .. } => "lent",
            Custody::Returned { .. } => "returned",
        }
    }
}

/// An original document handed over by the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Original {
    /// `2026-0000123-O1`: the case number and the original's rank; printed as a QR code on its label.
    pub id: String,
    pub kind: DocumentKind,
    pub description: String,
    #[serde(with = "crate::serde_dates::date")]
    pub received_on: Date,
    pub custody: Custody,
}

/// An original as the secretary records its arrival.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewOriginal {
    pub kind: DocumentKind,
    pub description: String,
    #[serde(with = "crate::serde_dates::date")]
    pub received_on: Date,
    pub location: Location,
}

/// A change of custody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum CustodyChange {
    /// To another shelf or box.
    Move {
        location: Location,
    },
    Lend {
        to: Login,
    },
    /// Back from a loan, onto a shelf.
    TakeBack {
        location: Location,
    },
    /// To the applicant, against their signature.
    ReturnToApplicant {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        signed_by: String,
    },
}

impl CustodyChange {
    pub fn as_str(&self) -> &'static str {
        match self {
            CustodyChange::Move { .. } => "move",
            CustodyChange::Lend { .. } => "lend",
            CustodyChange::TakeBack { .. } => "take_back",
            CustodyChange::ReturnToApplicant { .. } => "return_to_applicant",
        }
    }
}

/// The identifier of the `rank`-th original of a case.
pub fn original_id(case: CaseNumber, rank: usize) -> String {
    format!("{case}-O{rank}")
}

/// Most documents filed by one command (a scanning batch).
pub const MAX_DOCUMENTS_AT_ONCE: usize = 50;
const MAX_DESCRIPTION: usize = 500;

fn description(field: &'static str, s: &str) -> Result<(), DomainError> {
    if s.chars().count() > MAX_DESCRIPTION {
        return Err(DomainError::validation(field, format!("at most {MAX_DESCRIPTION} characters")));
    }
    Ok(())
}

fn received(field: &'static str, on: Date, today: Date, introduced_on: Option<Date>) -> Result<(), DomainError> {
    if on > today {
        return Err(DomainError::validation(field, "a date received cannot be in the future"));
    }
    if let Some(introduced) = introduced_on {
        // Papers may reach the office some weeks before the prefecture's registration is keyed in.
        if on < introduced - time::Duration::days(366) {
            return Err(DomainError::validation(field, "more than a year before the application was introduced"));
        }
    }
    Ok(())
}

/// The media types of a recording, as judged from the content.
pub const AUDIO_TYPES: [&str; 4] = ["audio/wav", "audio/mpeg", "audio/ogg", "audio/mp4"];

/// Checks documents to file; the caller then numbers them.
pub(crate) fn check_new_documents(docs: &[NewDocument], today: Date, introduced_on: Date) -> Result<(), DomainError> {
    if docs.is_empty() {
        return Err(DomainError::validation("documents", "choose at least one file"));
    }
    if docs.len() > MAX_DOCUMENTS_AT_ONCE {
        return Err(DomainError::validation("documents", format!("at most {MAX_DOCUMENTS_AT_ONCE} files at once")));
    }
    for d in docs {
        if d.kind.is_recording() {
            if !AUDIO_TYPES.contains(&d.media_type.as_str()) {
                return Err(DomainError::validation(
                    "file",
                    format!("{} is not a WAV, MP3, Ogg or M4A recording", d.media_type),
                ));
            }
            if d.size == 0 || d.pages != 0 || d.origin != Origin::Scan {
                return Err(DomainError::validation("file", "a recording is an audio file the office files"));
            }
            description("description", &d.description)?;
            received("received_on", d.received_on, today, Some(introduced_on))?;
            continue;
        }
        if !matches!(d.media_type.as_str(), "application/pdf" | "image/jpeg" | "image/png" | "image/tiff") {
            return Err(DomainError::validation("file", format!("{} is not a PDF, JPEG, PNG or TIFF", d.media_type)));
        }
        if d.pages == 0 || d.size == 0 {
            return Err(DomainError::validation("file", "an empty document"));
        }
        if d.kind.is_issued_by_office() != (d.origin == Origin::Issued) {
            return Err(DomainError::validation("kind", "only the office issues receipts, requests and convocations"));
        }
        description("description", &d.description)?;
        received("received_on", d.received_on, today, Some(introduced_on))?;
    }
    Ok(())
}

pub(crate) fn check_new_original(o: &NewOriginal, today: Date, introduced_on: Date) -> Result<(), DomainError> {
    if o.kind.is_issued_by_office() {
        return Err(DomainError::validation("kind", "the office's own letters are not originals"));
    }
    if o.description.trim().is_empty() {
        return Err(DomainError::validation("description", "say what the original is (e.g. passport no. …)"));
    }
    description("description", &o.description)?;
    received("received_on", o.received_on, today, Some(introduced_on))
}

/// Checks a change of custody against where the original is now.
pub(crate) fn check_custody(original: &Original, change: &CustodyChange, today: Date) -> Result<(), DomainError> {
    match (&original.custody, change) {
        (Custody::Returned { .. }, _) => Err(DomainError::AlreadyDone("returned to the applicant")),
        (Custody::InStore { .. }, CustodyChange::TakeBack { .. }) => {
            Err(DomainError::validation("original", "this original is on its shelf, not lent"))
        }
        (Custody::Lent { .. }, CustodyChange::Move { .. } | CustodyChange::Lend { .. }) => {
            Err(DomainError::validation("original", "this original is lent: take it back first"))
        }
        (_, CustodyChange::ReturnToApplicant { on, signed_by }) => {
            if signed_by.trim().is_empty() {
                return Err(DomainError::validation("signed_by", "the name of the person who signed for it"));
            }
            description("signed_by", signed_by)?;
            if *on > today {
                return Err(DomainError::validation("returned_on", "a return cannot be in the future"));
            }
            if *on < original.received_on {
                return Err(DomainError::validation("returned_on", "before the original was received"));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The custody after a change.
pub(crate) fn apply_custody(original: &mut Original, change: &CustodyChange, today: Date) {
    let home = match &original.custody {
        Custody::InStore { location } => Some(location.clone()),
        Custody::Lent { home, .. } => Some(home.clone()),
        Custody::Returned { .. } => None,
    };
    original.custody = match (change, home) {
        (CustodyChange::Move { location } | CustodyChange::TakeBack { location }, _) => {
            Custody::InStore { location: location.clone() }
        }
        (CustodyChange::Lend { to }, Some(home)) => Custody::Lent { to: to.clone(), since: today, home },
        (CustodyChange::ReturnToApplicant { on, signed_by }, _) => {
            Custody::Returned { on: *on, signed_by: signed_by.trim().to_owned() }
        }
        (CustodyChange::Lend { .. }, None) => return,
    };
}

/// An item of the completeness checklist.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ChecklistItem {
    pub id: String,
    pub label_fr: String,
    pub label_en: String,
    /// Application types that need it.
    pub applies: Vec<ApplicationKind>,
    /// A missing required item makes the application incomplete; others are asked for if any exist.
    pub required: bool,
    /// The source of the requirement.
    pub source: String,
}

/// The completeness checklist of every application type (rules/checklists.toml).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Checklist {
    #[serde(rename = "item")]
    pub items: Vec<ChecklistItem>,
}

static EMBEDDED_CHECKLIST: &str = include_str!("../rules/checklists.toml");

impl Checklist {
    /// The checklist compiled into the binary.
    pub fn embedded() -> Result<Checklist, DomainError> {
        Self::from_toml(EMBEDDED_CHECKLIST)
    }

    pub fn from_toml(text: &str) -> Result<Checklist, DomainError> {
        let invalid = |reason: String| DomainError::InvalidRules { file: "checklists.toml", reason };
        let list: Checklist = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let mut ids = std::collections::BTreeSet::new();
        for item in &list.items {
            if item.id.is_empty() || !item.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                return Err(invalid(format!("{:?}: an id is lower-case letters and _", item.id)));
            }
            if !ids.insert(item.id.as_str()) {
                return Err(invalid(format!("{:?} is listed twice", item.id)));
            }
            if item.applies.is_empty() || item.label_fr.is_empty() || item.label_en.is_empty() {
                return Err(invalid(format!("{:?} needs labels and the application types it applies to", item.id)));
            }
        }
        Ok(list)
    }

    /// The items of one application type, in the order of the file.
    pub fn for_kind(&self, kind: ApplicationKind) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(move |i| i.applies.contains(&kind))
    }

    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The missing items of an application of type `kind` whose `present` items were received:
    /// every required item not ticked, in checklist order, then `other` free-text items.
    pub fn missing(&self, kind: ApplicationKind, present: &[&str], other: &[String]) -> Vec<String> {
        self.for_kind(kind)
            .filter(|i| i.required && !present.contains(&i.id.as_str()))
            .map(|i| i.id.clone())
            .chain(other.iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()))
            .collect()
    }

    /// The French label of a missing item (an id of the checklist, or free text kept as typed).
    pub fn label_fr<'a>(&'a self, item: &'a str) -> &'a str {
        self.item(item).map_or(item, |i| i.label_fr.as_str())
    }

    pub fn label_en<'a>(&'a self, item: &'a str) -> &'a str {
        self.item(item).map_or(item, |i| i.label_en.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_name_shown_has_no_bidirectional_control_nor_path() {
        // U+202E would show "invoiceexe.pdf" for an executable.
        assert_eq!(FileName::shown("invoice\u{202E}fdp.exe").as_str(), "invoicefdp.exe");
        for c in ['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'] {
            assert_eq!(FileName::shown(&format!("a{c}b.pdf")).as_str(), "ab.pdf", "{:X}", c as u32);
        }
        for c in ['\u{200E}', '\u{200F}', '\u{061C}'] {
            assert_eq!(FileName::shown(&format!("a{c}b.pdf")).as_str(), "ab.pdf", "{:X}", c as u32);
        }
        assert_eq!(FileName::shown("../../etc/passwd").as_str(), "passwd");
        assert_eq!(FileName::shown("C:\\Users\\amina\\scan.pdf").as_str(), "scan.pdf");
        assert_eq!(FileName::shown("dir/").as_str(), "");
        assert_eq!(FileName::shown(" line\nbreak\t.pdf ").as_str(), "linebreak.pdf");
        // Scripts written right to left keep their letters; only the controls go.
        assert_eq!(FileName::shown("شهادة طبية.pdf").as_str(), "شهادة طبية.pdf");
        assert_eq!(FileName::shown(&"é".repeat(300)).as_str().chars().count(), FileName::MAX_CHARS);
    }

    #[test]
    fn documents_from_before_active_content_was_detected_still_read() {
        let json = serde_json::json!({
            "sha256": "a".repeat(64), "media_type": "application/pdf", "size": 1, "pages": 1,
            "kind": "evidence", "language": null, "received_on": "2026-01-02", "description": "",
            "file_name": "x.pdf", "origin": "scan"
        });
        let d: NewDocument = serde_json::from_value(json).expect("an old document");
        assert!(d.active_content.is_empty());
        // Named as `as_str` says, in the journal as on the page.
        for a in [ActiveContent::JavaScript, ActiveContent::OpenAction, ActiveContent::Xfa] {
            assert_eq!(serde_json::to_value(a).expect("json"), a.as_str());
        }
    }
    use time::macros::date;

    #[test]
    fn references_are_long_and_of_one_alphabet() {
        assert!(check_reference("abcdefghijklmnopqrstuvwx27").is_ok());
        assert!(check_reference("abcdefghijklmnopqrstuvwx2").is_err());
        assert!(check_reference("ABCDEFGHIJKLMNOPQRSTUVWX27").is_err());
        assert!(check_reference("abcdefghijklmnopqrstuvwx18").is_err());
        assert!(check_reference("1").is_err());
    }

    fn location() -> Location {
        Location::new("Magasin A", "Travée 12", "Boîte 2026-041").expect("location")
    }

    fn original() -> Original {
        Original {
            id: "2026-0000001-O1".into(),
            kind: DocumentKind::IdentityDocument,
            description: "Passeport AF1234567".into(),
            received_on: date!(2026 - 03 - 02),
            custody: Custody::InStore { location: location() },
        }
    }

    #[test]
    fn content_hashes_are_64_lower_case_hex_digits() {
        assert!(ContentHash::parse(&"a".repeat(64)).is_ok());
        assert!(ContentHash::parse(&"A".repeat(64)).is_err());
        assert!(ContentHash::parse(&"a".repeat(63)).is_err());
        assert!(ContentHash::parse(&"g".repeat(64)).is_err());
    }

    #[test]
    fn kinds_round_trip_and_office_letters_are_not_scannable() {
        for k in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(k.as_str()), Ok(k));
        }
        assert!(DocumentKind::scannable().all(|k| !k.is_issued_by_office()));
        assert_eq!(DocumentKind::scannable().count(), 10);
    }

    #[test]
    fn a_location_needs_store_shelf_and_box() {
        assert!(Location::new("A", "", "3").is_err());
        assert_eq!(location().to_string(), "Magasin A / Travée 12 / Boîte 2026-041");
    }

    #[test]
    fn custody_follows_the_original_from_shelf_to_officer_to_applicant() {
        let today = date!(2026 - 04 - 01);
        let mut o = original();
        let officer = Login::parse("officer.eu1").expect("login");
        let lend = CustodyChange::Lend { to: officer.clone() };
        assert!(check_custody(&o, &lend, today).is_ok());
        apply_custody(&mut o, &lend, today);
        assert_eq!(o.custody, Custody::Lent { to: officer, since: today, home: location() });
        // A lent original is taken back before it moves or goes to someone else.
        assert!(check_custody(&o, &CustodyChange::Move { location: location() }, today).is_err());
        let back = CustodyChange::TakeBack { location: location() };
        assert!(check_custody(&o, &back, today).is_ok());
        apply_custody(&mut o, &back, today);
        assert!(check_custody(&o, &back, today).is_err(), "not lent any more");
        let give = CustodyChange::ReturnToApplicant { on: today, signed_by: "  Zoë Ahmadi ".into() };
        assert!(check_custody(&o, &give, today).is_ok());
        apply_custody(&mut o, &give, today);
        assert_eq!(o.custody, Custody::Returned { on: today, signed_by: "Zoë Ahmadi".into() });
        assert_eq!(check_custody(&o, &lend, today), Err(DomainError::AlreadyDone("returned to the applicant")));
    }

    #[test]
    fn a_return_names_who_signed_and_is_not_dated_before_receipt_or_in_the_future() {
        let o = original();
        let today = date!(2026 - 04 - 01);
        let no_name = CustodyChange::ReturnToApplicant { on: today, signed_by: " ".into() };
        assert!(check_custody(&o, &no_name, today).is_err());
        let early = CustodyChange::ReturnToApplicant { on: date!(2026 - 03 - 01), signed_by: "Z".into() };
        assert!(check_custody(&o, &early, today).is_err());
        let future = CustodyChange::ReturnToApplicant { on: date!(2026 - 04 - 02), signed_by: "Z".into() };
        assert!(check_custody(&o, &future, today).is_err());
    }

    #[test]
    fn the_embedded_checklist_covers_every_application_type() {
        let list = Checklist::embedded().expect("checklist");
        for kind in [ApplicationKind::Asylum, ApplicationKind::ReExamination, ApplicationKind::Statelessness] {
            let required: Vec<_> = list.for_kind(kind).filter(|i| i.required).map(|i| i.id.as_str()).collect();
            assert!(required.contains(&"form"), "{kind:?}");
            assert!(required.contains(&"signature"), "{kind:?}");
        }
        assert!(list.for_kind(ApplicationKind::ReExamination).any(|i| i.id == "new_elements"));
        assert!(!list.for_kind(ApplicationKind::Asylum).any(|i| i.id == "new_elements"));
    }

    #[test]
    fn missing_items_are_the_required_items_not_ticked_then_the_free_text_ones() {
        let list = Checklist::embedded().expect("checklist");
        let all: Vec<&str> = list.for_kind(ApplicationKind::Asylum).map(|i| i.id.as_str()).collect();
        assert!(list.missing(ApplicationKind::Asylum, &all, &[]).is_empty());
        let missing = list.missing(ApplicationKind::Asylum, &["form", "signature"], &[" Acte de naissance ".into()]);
        assert!(missing.contains(&"photographs".to_owned()));
        assert_eq!(missing.last().map(String::as_str), Some("Acte de naissance"));
        assert_eq!(list.label_fr("Acte de naissance"), "Acte de naissance");
        assert!(list.label_fr("photographs").contains("photographies"));
    }

    #[test]
    fn a_bad_checklist_is_refused() {
        assert!(Checklist::from_toml("[[item]]\nid = \"Form\"\nlabel_fr = \"a\"\nlabel_en = \"a\"\napplies = [\"asylum\"]\nrequired = true\nsource = \"\"").is_err());
        let twice = "[[item]]\nid = \"a\"\nlabel_fr = \"a\"\nlabel_en = \"a\"\napplies = [\"asylum\"]\nrequired = true\nsource = \"\"\n";
        assert!(Checklist::from_toml(&format!("{twice}{twice}")).is_err());
    }
}
