//! The case lifecycle as an explicit state machine, in the decider style: [`decide`] turns a command into events
//! against the current [`Case`], [`evolve`] folds one event into the case, [`Case::initial`] is where every fold
//! starts.
//!
//! ```text
//! registered → (incomplete ↔ complete) → assigned → interview scheduled → interviewed → decision drafted
//!   → under review (→ returned to the officer → decision drafted …) → signed → notified → final
//!                                                                               → appealed → court decided
//! any state from registered to returned-to-officer → closed (withdrawal, absence, refusal) → reopened once
//! ```
//!
//! `decide` checks everything the law and the office's rules require and reads the time only from [`Ctx`];
//! events carry every dated fact, so `evolve` never needs the clock and replaying a journal gives back the
//! same case. `evolve` is total: it never fails and never panics.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::application::{AcceleratedGround, ApplicationKind, Procedure};
use crate::calendar::format_date;
use crate::deadlines::{self, DeadlineKind};
use crate::decision::{ClosureGround, DecisionDraft, Outcome};
use crate::documents::{
    self, Custody, CustodyChange, Document, DocumentKind, NewDocument, NewOriginal, Origin, Original,
};
use crate::error::DomainError;
use crate::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use crate::person::{FamilyRole, Person};
use crate::portal::{self, Message, Shared};
use crate::rules::{rule_id, DurationUnit, Rules};

/// Where a case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The initial state, before registration.
    Unregistered,
    Registered,
    /// Items are missing from the file.
    Incomplete,
    Complete,
    /// Assigned to a protection officer in a section of a division.
    Assigned,
    InterviewScheduled,
    Interviewed,
    DecisionDrafted,
    /// Submitted to the section head.
    UnderReview,
    /// The section head sent the draft back with comments.
    ReturnedToOfficer,
    Signed,
    Notified,
    /// No appeal is possible any more, or none was lodged in time.
    Final,
    Appealed,
    CourtDecided,
    Closed,
}

impl Status {
    const ALL: [Status; 16] = [
        Status::Unregistered,
        Status::Registered,
        Status::Incomplete,
        Status::Complete,
        Status::Assigned,
        Status::InterviewScheduled,
        Status::Interviewed,
        Status::DecisionDrafted,
        Status::UnderReview,
        Status::ReturnedToOfficer,
        Status::Signed,
        Status::Notified,
        Status::Final,
        Status::Appealed,
        Status::CourtDecided,
        Status::Closed,
    ];

    pub fn all() -> &'static [Status] {
        &Self::ALL
    }

    /// The snake_case name, as in serde: `interview_scheduled`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Unregistered => "unregistered",
            Status::Registered => "registered",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
            Status::Assigned => "assigned",
            Status::InterviewScheduled => "interview_scheduled",
            Status::Interviewed => "interviewed",
            Status::DecisionDrafted => "decision_drafted",
            Status::UnderReview => "under_review",
            Status::ReturnedToOfficer => "returned_to_officer",
            Status::Signed => "signed",
            Status::Notified => "notified",
            Status::Final => "final",
            Status::Appealed => "appealed",
            Status::CourtDecided => "court_decided",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// Plain English for messages: "a case that is {describe}".
    pub fn describe(&self) -> &'static str {
        match self {
            Status::Unregistered => "not registered",
            Status::Registered => "registered",
            Status::Incomplete => "incomplete",
            Status::Complete => "complete",
            Status::Assigned => "assigned",
            Status::InterviewScheduled => "awaiting its interview",
            Status::Interviewed => "interviewed",
            Status::DecisionDrafted => "with a drafted decision",
            Status::UnderReview => "under review",
            Status::ReturnedToOfficer => "returned to the officer",
            Status::Signed => "signed",
            Status::Notified => "notified",
            Status::Final => "final",
            Status::Appealed => "under appeal",
            Status::CourtDecided => "decided by the court",
            Status::Closed => "closed",
        }
    }

    /// From registration until the decision is signed: the office is still examining the application; it may
    /// be withdrawn or closed.
    pub fn is_pre_decision(&self) -> bool {
        matches!(
            self,
            Status::Registered
                | Status::Incomplete
                | Status::Complete
                | Status::Assigned
                | Status::InterviewScheduled
                | Status::Interviewed
                | Status::DecisionDrafted
                | Status::UnderReview
                | Status::ReturnedToOfficer
        )
    }

    /// How far along the main path a status is (for invariants): 0 unregistered … 13 court decided. Closed has
    /// no rank of its own.
    fn rank(&self) -> Option<u8> {
        Some(match self {
            Status::Unregistered => 0,
            Status::Registered => 1,
            Status::Incomplete => 2,
            Status::Complete => 3,
            Status::Assigned => 4,
            Status::InterviewScheduled => 5,
            Status::Interviewed => 6,
            Status::DecisionDrafted => 7,
            Status::UnderReview => 8,
            Status::ReturnedToOfficer => 9,
            Status::Signed => 10,
            Status::Notified => 11,
            Status::Final | Status::Appealed => 12,
            Status::CourtDecided => 13,
            Status::Closed => return None,
        })
    }
}

/// How the interview is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterviewMode {
    /// In the office's booths.
    InPerson,
    /// By audiovisual link, from an approved room (CESEDA L.531-16).
    VideoLink,
}

/// A scheduled interview (convocation à l'entretien).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Interview {
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
    pub mode: InterviewMode,
    /// The booth for an interview in person, the link or approved room for a video link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// The language of the interpreter the office provides, when the applicant needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Language>,
}

impl Interview {
    pub fn new(on: Date, mode: InterviewMode) -> Interview {
        Interview { on, mode, place: None, interpreter: None }
    }
}

/// One question of the officer and the applicant's answer, as written in the interview record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct QuestionAnswer {
    pub question: String,
    pub answer: String,
}

/// The interview record (compte rendu d'entretien) in its two parts: civil status and family, then
/// the fears in case of return.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InterviewRecord {
    #[serde(default)]
    pub civil_status: Vec<QuestionAnswer>,
    #[serde(default)]
    pub fears: Vec<QuestionAnswer>,
}

impl InterviewRecord {
    pub fn is_empty(&self) -> bool {
        self.civil_status.is_empty() && self.fears.is_empty()
    }
}

/// How the notification date was established (CESEDA R.531-17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationBasis {
    /// The applicant opened the decision in their secure space.
    FirstOpened,
    /// Not opened within the period after being made available: deemed notified at its end.
    Deemed,
}

/// A request for legal aid before the asylum court, which suspends the appeal deadline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LegalAidPeriod {
    #[serde(with = "crate::serde_dates::date")]
    pub requested_on: Date,
    #[serde(with = "crate::serde_dates::date::option")]
    pub decided_on: Option<Date>,
}

/// What the asylum court decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CourtOutcome {
    /// The appeal is rejected; the office's decision stands.
    AppealRejected,
    RefugeeStatusGranted,
    SubsidiaryProtectionGranted,
    /// The office's decision is annulled and the case sent back to it.
    DecisionAnnulled,
}

/// The court's ruling and its date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CourtRuling {
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
    pub outcome: CourtOutcome,
}

/// An extension of the normal procedure's decision deadline.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Extension {
    pub months: u8,
    pub reason: String,
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
}

/// What the single window sends the office: everything needed to register a case. The case number is
/// allocated by the store before [`decide`] is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub number: CaseNumber,
    pub kind: ApplicationKind,
    pub procedure: Procedure,
    pub nationality: Nationality,
    /// The language the applicant chose, kept for the whole procedure.
    pub language: Language,
    pub applicant: Person,
    pub family: Vec<Person>,
    #[serde(with = "crate::serde_dates::date")]
    pub introduced_on: Date,
    /// Items missing from the file at registration.
    pub missing: Vec<String>,
}

/// A case: an application and everything that happened to it. Built only by folding events with [`evolve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Case {
    pub number: CaseNumber,
    pub status: Status,
    pub kind: ApplicationKind,
    pub procedure: Procedure,
    pub nationality: Nationality,
    pub language: Language,
    pub applicant: Person,
    pub family: Vec<Person>,
    #[serde(with = "crate::serde_dates::date")]
    pub introduced_on: Date,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    pub missing: Vec<String>,
    pub division: Option<DivisionId>,
    pub section: Option<SectionId>,
    pub officer: Option<Login>,
    pub interview: Option<Interview>,
    #[serde(with = "crate::serde_dates::date::option")]
    pub interviewed_on: Option<Date>,
    /// The two-part record of the interview, once recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview_record: Option<InterviewRecord>,
    pub draft: Option<DecisionDraft>,
    pub drafted_by: Option<Login>,
    /// Every comment of the section head, oldest first.
    pub review_comments: Vec<String>,
    pub signed_by: Option<Login>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
    /// When the signed decision was put in the applicant's secure space.
    #[serde(with = "time::serde::rfc3339::option")]
    pub made_available_at: Option<OffsetDateTime>,
    #[serde(with = "crate::serde_dates::date::option")]
    pub notified_on: Option<Date>,
    pub notification_basis: Option<NotificationBasis>,
    pub legal_aid: Vec<LegalAidPeriod>,
    #[serde(with = "crate::serde_dates::date::option")]
    pub appeal_lodged_on: Option<Date>,
    pub court_ruling: Option<CourtRuling>,
    pub closed: Option<ClosureGround>,
    #[serde(with = "crate::serde_dates::date::option")]
    pub closed_on: Option<Date>,
    /// The status the case had when it was closed: a reopened case resumes there (ex CESEDA L.723-14).
    pub closed_from: Option<Status>,
    /// A closed case is reopened only once.
    #[serde(with = "crate::serde_dates::date::option")]
    pub reopened_on: Option<Date>,
    pub extensions: Vec<Extension>,
    /// Set when the office decided at the end of the interview to use the accelerated procedure (R.531-23).
    #[serde(with = "crate::serde_dates::date::option")]
    pub reclassified_accelerated_on: Option<Date>,
    /// The case file's documents, in the order they joined it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<Document>,
    /// The originals the applicant handed over, and where each is.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub originals: Vec<Original>,
    /// What the applicant wrote through their secure space, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<Message>,
}

impl Default for Case {
    fn default() -> Self {
        Self::initial()
    }
}

/// What an agent asks the domain to do. Commands carry no time except the date of a fact that differs from
/// "now"; the time of the request comes from [`Ctx::now`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Command {
    Register(Registration),
    MarkIncomplete {
        missing: Vec<String>,
    },
    MarkComplete,
    Assign {
        officer: Login,
        division: DivisionId,
        section: SectionId,
    },
    ScheduleInterview(Interview),
    RecordInterview {
        #[serde(with = "crate::serde_dates::date")]
        held_on: Date,
        #[serde(default)]
        record: InterviewRecord,
    },
    /// At the end of the interview, the office decides to examine the application in accelerated procedure.
    ReclassifyAccelerated {
        ground: AcceleratedGround,
    },
    DraftDecision(DecisionDraft),
    SubmitForReview,
    ReturnToOfficer {
        comments: String,
    },
    Sign,
    /// Put the signed decision in the applicant's secure space.
    MakeAvailable,
    /// The applicant opened the decision in their secure space.
    RecordFirstOpening {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// Record that the decision, not opened in time, is deemed notified.
    DeemNotified,
    RequestLegalAid {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
    DecideLegalAid {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
    LodgeAppeal {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
    BecomeFinal,
    RecordCourtRuling {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        ruling: CourtOutcome,
    },
    ExtendDeadline {
        months: u8,
        reason: String,
    },
    Withdraw,
    Close {
        ground: ClosureGround,
    },
    Reopen,
    /// File scanned, received or issued documents (one scanning batch).
    AttachDocuments {
        documents: Vec<NewDocument>,
    },
    /// An original document was handed over and shelved.
    ReceiveOriginal(NewOriginal),
    /// An original moves, is lent, taken back or returned to the applicant.
    ChangeCustody {
        original: String,
        change: CustodyChange,
    },
    /// Put a document of the file in the applicant's secure space under a random reference.
    ShareDocument {
        document: u32,
        reference: String,
    },
    /// The applicant opened a document in their space (only the first opening is an event; a decision's
    /// first opening is also its notification).
    OpenDocument {
        document: u32,
    },
    /// A letter the office printed joins the file and the applicant's space at once.
    IssueLetter {
        letter: NewDocument,
        reference: String,
    },
    /// The signed decision, printed, joins the file and is made available in the applicant's space: the
    /// notification period runs from here (R.531-17).
    NotifyDecision {
        letter: NewDocument,
        reference: String,
    },
    /// The applicant wrote to the office through their space, with documents or not.
    ReceiveMessage {
        text: String,
        #[serde(default)]
        documents: Vec<NewDocument>,
    },
}

impl Command {
    /// The snake_case name of the command, as in serde.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::Register(_) => "register",
            Command::MarkIncomplete { .. } => "mark_incomplete",
            Command::MarkComplete => "mark_complete",
            Command::Assign { .. } => "assign",
            Command::ScheduleInterview(_) => "schedule_interview",
            Command::RecordInterview { .. } => "record_interview",
            Command::ReclassifyAccelerated { .. } => "reclassify_accelerated",
            Command::DraftDecision(_) => "draft_decision",
            Command::SubmitForReview => "submit_for_review",
            Command::ReturnToOfficer { .. } => "return_to_officer",
            Command::Sign => "sign",
            Command::MakeAvailable => "make_available",
            Command::RecordFirstOpening { .. } => "record_first_opening",
            Command::DeemNotified => "deem_notified",
            Command::RequestLegalAid { .. } => "request_legal_aid",
            Command::DecideLegalAid { .. } => "decide_legal_aid",
            Command::LodgeAppeal { .. } => "lodge_appeal",
            Command::BecomeFinal => "become_final",
            Command::RecordCourtRuling { .. } => "record_court_ruling",
            Command::ExtendDeadline { .. } => "extend_deadline",
            Command::Withdraw => "withdraw",
            Command::Close { .. } => "close",
            Command::Reopen => "reopen",
            Command::AttachDocuments { .. } => "attach_documents",
            Command::ReceiveOriginal(_) => "receive_original",
            Command::ChangeCustody { .. } => "change_custody",
            Command::ShareDocument { .. } => "share_document",
            Command::OpenDocument { .. } => "open_document",
            Command::ReceiveMessage { .. } => "receive_message",
            Command::IssueLetter { .. } => "issue_letter",
            Command::NotifyDecision { .. } => "notify_decision",
        }
    }
}

/// What happened to a case. Serialized as JSON with a `type` tag into the journal; each event carries the
/// dated facts `evolve` needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Registered {
        number: CaseNumber,
        kind: ApplicationKind,
        procedure: Procedure,
        nationality: Nationality,
        language: Language,
        applicant: Person,
        family: Vec<Person>,
        #[serde(with = "crate::serde_dates::date")]
        introduced_on: Date,
        #[serde(with = "time::serde::rfc3339")]
        registered_at: OffsetDateTime,
        missing: Vec<String>,
    },
    MarkedIncomplete {
        missing: Vec<String>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    MarkedComplete {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Assigned {
        officer: Login,
        division: DivisionId,
        section: SectionId,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    InterviewScheduled {
        interview: Interview,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    InterviewRecorded {
        #[serde(with = "crate::serde_dates::date")]
        held_on: Date,
        #[serde(default, skip_serializing_if = "InterviewRecord::is_empty")]
        record: InterviewRecord,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    ReclassifiedAccelerated {
        ground: AcceleratedGround,
        /// The day of the interview, from which the 15 days run.
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DecisionDrafted {
        draft: DecisionDraft,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    SubmittedForReview {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    ReturnedToOfficer {
        comments: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DecisionSigned {
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    MadeAvailable {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// First consultation in the secure space: the decision is notified on that day.
    FirstOpened {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DeemedNotified {
        /// The notification date: the end of the period after being made available.
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    LegalAidRequested {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    LegalAidDecided {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    AppealLodged {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    BecameFinal {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    CourtRuled {
        ruling: CourtRuling,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DeadlineExtended {
        months: u8,
        reason: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Withdrawn {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Closed {
        ground: ClosureGround,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    Reopened {
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DocumentsAttached {
        documents: Vec<Document>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    OriginalReceived {
        original: Original,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    CustodyChanged {
        original: String,
        change: CustodyChange,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// A document was made available in the applicant's secure space.
    DocumentShared {
        document: u32,
        reference: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The applicant opened a document of their space for the first time.
    DocumentOpened {
        document: u32,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The applicant wrote to the office; the documents sent with the message join the file.
    MessageReceived {
        message: Message,
        documents: Vec<Document>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
}

impl Event {
    /// The snake_case tag of the event: the journal's `kind` column.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Registered { .. } => "registered",
            Event::MarkedIncomplete { .. } => "marked_incomplete",
            Event::MarkedComplete { .. } => "marked_complete",
            Event::Assigned { .. } => "assigned",
            Event::InterviewScheduled { .. } => "interview_scheduled",
            Event::InterviewRecorded { .. } => "interview_recorded",
            Event::ReclassifiedAccelerated { .. } => "reclassified_accelerated",
            Event::DecisionDrafted { .. } => "decision_drafted",
            Event::SubmittedForReview { .. } => "submitted_for_review",
            Event::ReturnedToOfficer { .. } => "returned_to_officer",
            Event::DecisionSigned { .. } => "decision_signed",
            Event::MadeAvailable { .. } => "made_available",
            Event::FirstOpened { .. } => "first_opened",
            Event::DeemedNotified { .. } => "deemed_notified",
            Event::LegalAidRequested { .. } => "legal_aid_requested",
            Event::LegalAidDecided { .. } => "legal_aid_decided",
            Event::AppealLodged { .. } => "appeal_lodged",
            Event::BecameFinal { .. } => "became_final",
            Event::CourtRuled { .. } => "court_ruled",
            Event::DeadlineExtended { .. } => "deadline_extended",
            Event::Withdrawn { .. } => "withdrawn",
            Event::Closed { .. } => "closed",
            Event::Reopened { .. } => "reopened",
            Event::DocumentsAttached { .. } => "documents_attached",
            Event::OriginalReceived { .. } => "original_received",
            Event::CustodyChanged { .. } => "custody_changed",
            Event::DocumentShared { .. } => "document_shared",
            Event::DocumentOpened { .. } => "document_opened",
            Event::MessageReceived { .. } => "message_received",
        }
    }

    /// When the event was recorded.
    pub fn recorded_at(&self) -> OffsetDateTime {
        match self {
            Event::Registered { registered_at: at, .. }
            | Event::MarkedIncomplete { at, .. }
            | Event::MarkedComplete { at }
            | Event::Assigned { at, .. }
            | Event::InterviewScheduled { at, .. }
            | Event::InterviewRecorded { at, .. }
            | Event::ReclassifiedAccelerated { at, .. }
            | Event::DecisionDrafted { at, .. }
            | Event::SubmittedForReview { at }
            | Event::ReturnedToOfficer { at, .. }
            | Event::DecisionSigned { at, .. }
            | Event::MadeAvailable { at }
            | Event::FirstOpened { at }
            | Event::DeemedNotified { at, .. }
            | Event::LegalAidRequested { at, .. }
            | Event::LegalAidDecided { at, .. }
            | Event::AppealLodged { at, .. }
            | Event::BecameFinal { at }
            | Event::CourtRuled { at, .. }
            | Event::DeadlineExtended { at, .. }
            | Event::Withdrawn { at }
            | Event::Closed { at, .. }
            | Event::Reopened { at }
            | Event::DocumentsAttached { at, .. }
            | Event::OriginalReceived { at, .. }
            | Event::CustodyChanged { at, .. }
            | Event::DocumentShared { at, .. }
            | Event::DocumentOpened { at, .. }
            | Event::MessageReceived { at, .. } => *at,
        }
    }
}

/// Who acts, when, under which rules. Injected so that `decide` stays pure.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub actor: Login,
    pub now: OffsetDateTime,
    pub rules: &'a Rules,
}

impl<'a> Ctx<'a> {
    pub fn new(actor: Login, now: OffsetDateTime, rules: &'a Rules) -> Self {
        Ctx { actor, now, rules }
    }

    fn today(&self) -> Date {
        self.now.date()
    }
}

impl Case {
    /// The state before registration: the start of every fold.
    pub fn initial() -> Case {
        Case {
            number: CaseNumber::PLACEHOLDER,
            status: Status::Unregistered,
            kind: ApplicationKind::Asylum,
            procedure: Procedure::Normal,
            nationality: Nationality::UNKNOWN,
            language: Language::undetermined(),
            applicant: Person::placeholder(),
            family: Vec::new(),
            introduced_on: time::macros::date!(1970 - 01 - 01),
            registered_at: OffsetDateTime::UNIX_EPOCH,
            missing: Vec::new(),
            division: None,
            section: None,
            officer: None,
            interview: None,
            interviewed_on: None,
            interview_record: None,
            draft: None,
            drafted_by: None,
            review_comments: Vec::new(),
            signed_by: None,
            signed_at: None,
            made_available_at: None,
            notified_on: None,
            notification_basis: None,
            legal_aid: Vec::new(),
            appeal_lodged_on: None,
            court_ruling: None,
            closed: None,
            closed_on: None,
            closed_from: None,
            reopened_on: None,
            extensions: Vec::new(),
            reclassified_accelerated_on: None,
            documents: Vec::new(),
            originals: Vec::new(),
            messages: Vec::new(),
        }
    }

    /// Fold events from the initial state.
    pub fn replay<'e>(events: impl IntoIterator<Item = &'e Event>) -> Case {
        events.into_iter().fold(Case::initial(), evolve)
    }

    /// The decision deadline, if the office has yet to decide.
    pub fn decision_due(&self, rules: &Rules) -> Option<Date> {
        deadlines::deadline(self, DeadlineKind::Decision, rules).ok().flatten().map(|d| d.due_on)
    }

    /// The status the case's fields reflect: for a closed case, the status it was closed from.
    fn effective_status(&self) -> Status {
        match (self.status, self.closed_from) {
            (Status::Closed, Some(from)) => from,
            (s, _) => s,
        }
    }

    /// Check that the case is consistent: every fact its status implies is recorded, nothing recorded is
    /// ahead of its status, and the office's rules hold (an officer never signs their own draft…). `decide`
    /// guarantees these; the property tests check them. Returns the first broken invariant.
    pub fn check_invariants(&self) -> Result<(), String> {
        macro_rules! ensure {
            ($cond:expr, $($msg:tt)+) => {
                if !$cond {
                    return Err(format!($($msg)+));
                }
            };
        }
        let status = self.status;
        if status == Status::Unregistered {
            ensure!(*self == Case::initial(), "an unregistered case has no recorded facts");
            return Ok(());
        }
        ensure!(!self.number.is_placeholder(), "a registered case has a number");
        ensure!(self.applicant.role == FamilyRole::Applicant, "the applicant has the applicant role");
        ensure!(self.family.iter().all(|p| p.role != FamilyRole::Applicant), "one applicant per case");
        ensure!(
            self.kind != ApplicationKind::Statelessness || self.procedure == Procedure::Normal,
            "statelessness applications follow the normal procedure"
        );

        // Closure.
        let closed = status == Status::Closed;
        ensure!(
            closed == self.closed.is_some()
                && closed == self.closed_on.is_some()
                && closed == self.closed_from.is_some(),
            "closure ground, date and previous status are recorded exactly when the case is closed"
        );
        if let Some(from) = self.closed_from {
            ensure!(from.is_pre_decision(), "only a case under examination is closed (was {})", from.as_str());
        }
        if self.closed == Some(ClosureGround::AbsenceFromInterview) {
            ensure!(
                self.closed_from == Some(Status::InterviewScheduled),
                "a closure for absence happens only when an interview was scheduled"
            );
        }

        let eff = self.effective_status();
        let Some(rank) = eff.rank() else {
            return Err("a closed case remembers the status it was closed from".into());
        };

        // Completeness.
        if eff == Status::Incomplete {
            ensure!(!self.missing.is_empty(), "an incomplete case names its missing items");
        }
        if rank >= 3 {
            ensure!(self.missing.is_empty(), "a complete case has no missing items");
        }

        // Assignment.
        let assigned = self.officer.is_some() && self.division.is_some() && self.section.is_some();
        ensure!(
            assigned == (rank >= 4)
                && (self.officer.is_some() == self.division.is_some())
                && (self.division.is_some() == self.section.is_some()),
            "officer, division and section are set together, from assignment on"
        );

        // Interview.
        if eff == Status::InterviewScheduled {
            ensure!(self.interview.is_some(), "a scheduled interview has a date");
        }
        if rank < 5 {
            ensure!(self.interview.is_none() && self.interviewed_on.is_none(), "no interview before scheduling");
        }
        if eff == Status::Interviewed {
            ensure!(self.interviewed_on.is_some(), "an interviewed case records the interview date");
        }
        if let (Some(held), Some(iv)) = (self.interviewed_on, &self.interview) {
            ensure!(held >= iv.on, "the interview is not held before the scheduled date");
        }
        if self.interviewed_on.is_some() {
            ensure!(self.interview.is_some(), "an interview held was scheduled");
        }

        // Draft and review.
        ensure!(
            (rank >= 7) == self.draft.is_some() && self.draft.is_some() == self.drafted_by.is_some(),
            "a draft and its author exist exactly from drafting on"
        );
        if let Some(draft) = &self.draft {
            draft.validate_for(self.kind).map_err(|e| format!("the draft is invalid: {e}"))?;
            ensure!(self.drafted_by == self.officer, "the draft is written by the assigned officer");
            ensure!(
                self.interviewed_on.is_some() || matches!(draft.outcome, Outcome::RefugeeStatus { .. }),
                "without an interview, only refugee status may be granted"
            );
        }
        if eff == Status::ReturnedToOfficer {
            ensure!(!self.review_comments.is_empty(), "a returned draft carries the section head's comments");
        }

        // Signature.
        let signed = rank >= 10;
        ensure!(
            signed == self.signed_by.is_some() && signed == self.signed_at.is_some(),
            "signer and signature time are recorded exactly from signature on"
        );
        if signed {
            ensure!(self.signed_by != self.drafted_by, "the officer who drafted the decision did not sign it");
        }
        if !signed {
            ensure!(self.made_available_at.is_none(), "only a signed decision is made available");
        }

        // Notification.
        let notified = rank >= 11;
        ensure!(
            notified == self.notified_on.is_some() && notified == self.notification_basis.is_some(),
            "notification date and basis are recorded exactly from notification on"
        );
        if let Some(n) = self.notified_on {
            let Some(m) = self.made_available_at else {
                return Err("a notified decision was made available".into());
            };
            ensure!(n >= m.date(), "a decision is notified after it was made available");
        }
        if !notified {
            ensure!(self.legal_aid.is_empty(), "legal aid is requested after notification");
        }

        // Legal aid.
        ensure!(self.legal_aid.len() <= 1, "one legal-aid request per case");
        for p in &self.legal_aid {
            ensure!(self.notified_on.is_some_and(|n| p.requested_on >= n), "legal aid is requested after notification");
            ensure!(p.decided_on.is_none_or(|d| d >= p.requested_on), "legal aid is decided after it is requested");
        }

        // Appeal and court.
        let appealed = matches!(status, Status::Appealed | Status::CourtDecided);
        ensure!(appealed == self.appeal_lodged_on.is_some(), "an appeal date exactly when appealed");
        if let (Some(a), Some(n)) = (self.appeal_lodged_on, self.notified_on) {
            ensure!(a >= n, "an appeal is lodged after notification");
        }
        if appealed {
            ensure!(
                self.draft.as_ref().is_some_and(|d| d.outcome.is_appealable()),
                "only an appealable decision is appealed"
            );
        }
        ensure!(
            (status == Status::CourtDecided) == self.court_ruling.is_some(),
            "a court ruling exactly when the court decided"
        );
        if let (Some(r), Some(a)) = (&self.court_ruling, self.appeal_lodged_on) {
            ensure!(r.on >= a, "the court rules after the appeal");
        }

        // Deadlines.
        ensure!(self.extensions.len() <= 2, "the decision deadline is extended at most twice");
        if !self.extensions.is_empty() {
            ensure!(self.procedure == Procedure::Normal, "only the normal procedure's deadline is extended");
        }
        if let Some(on) = self.reclassified_accelerated_on {
            ensure!(self.procedure.is_accelerated(), "a reclassified case is in accelerated procedure");
            ensure!(self.interviewed_on == Some(on), "reclassification happens at the end of the interview");
        }
        if self.reopened_on.is_some() {
            ensure!(!closed || self.closed_on >= self.reopened_on, "a reopened case is closed again only later");
        }
        Ok(())
    }
}

fn illegal(case: &Case, command: &Command) -> DomainError {
    DomainError::IllegalTransition { status: case.status, command: command.kind() }
}

fn require_officer(case: &Case, ctx: &Ctx) -> Result<(), DomainError> {
    match &case.officer {
        Some(officer) if *officer == ctx.actor => Ok(()),
        Some(officer) => Err(DomainError::NotAssignedOfficer { assigned: officer.to_string() }),
        None => Err(DomainError::NotAssignedOfficer { assigned: "nobody".into() }),
    }
}

fn non_empty_items(field: &'static str, items: &[String]) -> Result<(), DomainError> {
    if items.iter().any(|i| i.trim().is_empty()) {
        return Err(DomainError::validation(field, "an item must not be empty"));
    }
    let mut sorted: Vec<&String> = items.iter().collect();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != items.len() {
        return Err(DomainError::validation(field, "each item is listed once"));
    }
    Ok(())
}

fn not_in_future(field: &'static str, on: Date, ctx: &Ctx) -> Result<(), DomainError> {
    if on > ctx.today() {
        return Err(DomainError::NotYet(format!("{field} {} is in the future", format_date(on))));
    }
    Ok(())
}

/// The instant a decision made available at `m` is deemed notified: the same time of day, the rule's period
/// later.
fn deemed_instant(m: OffsetDateTime, rules: &Rules) -> Result<OffsetDateTime, DomainError> {
    let rule = rules.duration(rule_id::NOTIFICATION_DEEMED, m.date())?;
    Ok(m.replace_date(rule.after(m.date())))
}

fn check_procedure(kind: ApplicationKind, procedure: Procedure) -> Result<(), DomainError> {
    match (kind, procedure) {
        (ApplicationKind::Statelessness, Procedure::Normal) => Ok(()),
        (ApplicationKind::Statelessness, _) => {
            Err(DomainError::validation("procedure", "a statelessness application follows the normal procedure"))
        }
        (k, Procedure::Accelerated(AcceleratedGround::AdmissibleReExamination))
            if k != ApplicationKind::ReExamination =>
        {
            Err(DomainError::validation(
                "procedure",
                "only a re-examination is accelerated as an admissible re-examination",
            ))
        }
        _ => Ok(()),
    }
}

/// Decide what a command means for a case: the events to record, or why it is refused.
pub fn decide(case: &Case, command: &Command, ctx: &Ctx) -> Result<Vec<Event>, DomainError> {
    let now = ctx.now;
    let today = ctx.today();
    let status = case.status;
    let event = match command {
        Command::Register(r) => {
            if status != Status::Unregistered {
                return Err(illegal(case, command));
            }
            if r.number.is_placeholder() {
                return Err(DomainError::validation("number", "the store allocates a case number before registration"));
            }
            check_procedure(r.kind, r.procedure)?;
            not_in_future("the introduction on", r.introduced_on, ctx)?;
            if r.applicant.role != FamilyRole::Applicant {
                return Err(DomainError::validation("applicant", "the applicant has the applicant role"));
            }
            r.applicant.validate(r.introduced_on)?;
            for p in &r.family {
                if p.role == FamilyRole::Applicant {
                    return Err(DomainError::validation("family", "a family member cannot have the applicant role"));
                }
                p.validate(r.introduced_on)?;
            }
            non_empty_items("missing", &r.missing)?;
            Event::Registered {
                number: r.number,
                kind: r.kind,
                procedure: r.procedure,
                nationality: r.nationality,
                language: r.language.clone(),
                applicant: r.applicant.clone(),
                family: r.family.clone(),
                introduced_on: r.introduced_on,
                registered_at: now,
                missing: r.missing.clone(),
            }
        }
        Command::MarkIncomplete { missing } => {
            if !matches!(status, Status::Registered | Status::Incomplete | Status::Complete) {
                return Err(illegal(case, command));
            }
            if missing.is_empty() {
                return Err(DomainError::validation("missing", "name at least one missing item"));
            }
            non_empty_items("missing", missing)?;
            Event::MarkedIncomplete { missing: missing.clone(), at: now }
        }
        Command::MarkComplete => {
            if !matches!(status, Status::Registered | Status::Incomplete) {
                return Err(illegal(case, command));
            }
            Event::MarkedComplete { at: now }
        }
        Command::Assign { officer, division, section } => {
            if !matches!(status, Status::Complete | Status::Assigned) {
                return Err(illegal(case, command));
            }
            if let Some(expected) = ctx.rules.division_of(case.nationality, today) {
                if expected != *division && !ctx.rules.is_pooled(case.nationality, today) {
                    return Err(DomainError::validation(
                        "division",
                        format!(
                            "applications from {} are examined by the {} division (the nationality is not pooled on {})",
                            case.nationality,
                            expected,
                            format_date(today)
                        ),
                    ));
                }
            }
            Event::Assigned { officer: officer.clone(), division: *division, section: *section, at: now }
        }
        Command::ScheduleInterview(interview) => {
            if !matches!(status, Status::Assigned | Status::InterviewScheduled) {
                return Err(illegal(case, command));
            }
            if interview.on < today {
                return Err(DomainError::validation("interview", "an interview cannot be scheduled in the past"));
            }
            Event::InterviewScheduled { interview: interview.clone(), at: now }
        }
        Command::RecordInterview { held_on, record } => {
            let Some(interview) = case.interview.as_ref().filter(|_| status == Status::InterviewScheduled) else {
                return Err(illegal(case, command));
            };
            if *held_on < interview.on {
                return Err(DomainError::NotYet(format!(
                    "the interview is scheduled for {}",
                    format_date(interview.on)
                )));
            }
            not_in_future("the interview on", *held_on, ctx)?;
            for (part, entries) in [("civil_status", &record.civil_status), ("fears", &record.fears)] {
                if entries.iter().any(|qa| qa.question.trim().is_empty() || qa.answer.trim().is_empty()) {
                    return Err(DomainError::validation(
                        part,
                        "every entry of the record has a question and an answer",
                    ));
                }
            }
            Event::InterviewRecorded { held_on: *held_on, record: record.clone(), at: now }
        }
        Command::ReclassifyAccelerated { ground } => {
            let Some(on) = case.interviewed_on.filter(|_| status == Status::Interviewed) else {
                return Err(illegal(case, command));
            };
            if case.procedure != Procedure::Normal {
                return Err(DomainError::validation("procedure", "only a case in normal procedure is reclassified"));
            }
            if !case.extensions.is_empty() {
                return Err(DomainError::validation("procedure", "the decision deadline of this case was extended"));
            }
            check_procedure(case.kind, Procedure::Accelerated(*ground))?;
            Event::ReclassifiedAccelerated { ground: *ground, on, at: now }
        }
        Command::DraftDecision(draft) => {
            let waived = matches!(status, Status::Assigned | Status::InterviewScheduled);
            if !(waived || matches!(status, Status::Interviewed | Status::DecisionDrafted | Status::ReturnedToOfficer))
            {
                return Err(illegal(case, command));
            }
            require_officer(case, ctx)?;
            draft.validate_for(case.kind)?;
            if case.interviewed_on.is_none() && !matches!(draft.outcome, Outcome::RefugeeStatus { .. }) {
                return Err(DomainError::validation(
                    "outcome",
                    "without an interview the office may only grant refugee status (CESEDA L.531-12)",
                ));
            }
            Event::DecisionDrafted { draft: draft.clone(), by: ctx.actor.clone(), at: now }
        }
        Command::SubmitForReview => {
            if status != Status::DecisionDrafted {
                return Err(illegal(case, command));
            }
            require_officer(case, ctx)?;
            Event::SubmittedForReview { at: now }
        }
        Command::ReturnToOfficer { comments } => {
            if status != Status::UnderReview {
                return Err(illegal(case, command));
            }
            if comments.trim().is_empty() {
                return Err(DomainError::validation("comments", "say why the draft is returned"));
            }
            Event::ReturnedToOfficer { comments: comments.clone(), at: now }
        }
        Command::Sign => {
            if status != Status::UnderReview {
                return Err(illegal(case, command));
            }
            if case.drafted_by.as_ref() == Some(&ctx.actor) || case.officer.as_ref() == Some(&ctx.actor) {
                return Err(DomainError::SelfSignature);
            }
            Event::DecisionSigned { by: ctx.actor.clone(), at: now }
        }
        Command::MakeAvailable => {
            if status != Status::Signed {
                return Err(illegal(case, command));
            }
            if case.made_available_at.is_some() {
                return Err(DomainError::AlreadyDone("the decision is already in the applicant's secure space"));
            }
            Event::MadeAvailable { at: now }
        }
        Command::RecordFirstOpening { at } => {
            if status != Status::Signed {
                return Err(illegal(case, command));
            }
            let Some(m) = case.made_available_at else {
                return Err(DomainError::NotYet("the decision has not been made available".into()));
            };
            if *at < m {
                return Err(DomainError::validation("at", "the decision was opened before it was made available"));
            }
            if *at > now {
                return Err(DomainError::NotYet("an opening cannot be recorded in the future".into()));
            }
            let deemed = deemed_instant(m, ctx.rules)?;
            if *at >= deemed {
                return Err(DomainError::DeadlinePassed(format!(
                    "the decision made available on {} was deemed notified on {}",
                    format_date(m.date()),
                    format_date(deemed.date())
                )));
            }
            // Dates are read in the offset the decision was made available in.
            Event::FirstOpened { at: at.to_offset(m.offset()) }
        }
        Command::DeemNotified => {
            if status != Status::Signed {
                return Err(illegal(case, command));
            }
            let Some(m) = case.made_available_at else {
                return Err(DomainError::NotYet("the decision has not been made available".into()));
            };
            let deemed = deemed_instant(m, ctx.rules)?;
            if now < deemed {
                return Err(DomainError::NotYet(format!(
                    "the decision made available on {} is deemed notified only on {}",
                    format_date(m.date()),
                    format_date(deemed.date())
                )));
            }
            Event::DeemedNotified { on: deemed.date(), at: now }
        }
        Command::RequestLegalAid { on } => {
            let Some(notified_on) = case.notified_on.filter(|_| status == Status::Notified) else {
                return Err(illegal(case, command));
            };
            appealable(case)?;
            if !case.legal_aid.is_empty() {
                return Err(DomainError::AlreadyDone("legal aid was already requested"));
            }
            if *on < notified_on {
                return Err(DomainError::validation("on", "legal aid is requested after notification"));
            }
            not_in_future("the request on", *on, ctx)?;
            let deadline = appeal_deadline(case, ctx.rules)?;
            if *on > deadline.due_on {
                return Err(DomainError::DeadlinePassed(deadline.explanation));
            }
            Event::LegalAidRequested { on: *on, at: now }
        }
        Command::DecideLegalAid { on } => {
            if status != Status::Notified {
                return Err(illegal(case, command));
            }
            let Some(pending) = case.legal_aid.last().filter(|p| p.decided_on.is_none()) else {
                return Err(DomainError::validation("legal_aid", "no legal-aid request is pending"));
            };
            if *on < pending.requested_on {
                return Err(DomainError::validation("on", "legal aid is decided after it is requested"));
            }
            not_in_future("the legal-aid decision on", *on, ctx)?;
            Event::LegalAidDecided { on: *on, at: now }
        }
        Command::LodgeAppeal { on } => {
            let Some(notified_on) = case.notified_on.filter(|_| status == Status::Notified) else {
                return Err(illegal(case, command));
            };
            appealable(case)?;
            if *on < notified_on {
                return Err(DomainError::validation("on", "an appeal is lodged after notification"));
            }
            not_in_future("the appeal on", *on, ctx)?;
            let deadline = appeal_deadline(case, ctx.rules)?;
            if !deadline.suspended && *on > deadline.due_on {
                return Err(DomainError::DeadlinePassed(deadline.explanation));
            }
            Event::AppealLodged { on: *on, at: now }
        }
        Command::BecomeFinal => {
            if status != Status::Notified {
                return Err(illegal(case, command));
            }
            if appealable(case).is_ok() {
                let deadline = appeal_deadline(case, ctx.rules)?;
                if deadline.suspended || today <= deadline.due_on {
                    return Err(DomainError::NotYet(format!(
                        "the decision can still be appealed: {}",
                        deadline.explanation
                    )));
                }
            }
            Event::BecameFinal { at: now }
        }
        Command::RecordCourtRuling { on, ruling } => {
            let Some(lodged) = case.appeal_lodged_on.filter(|_| status == Status::Appealed) else {
                return Err(illegal(case, command));
            };
            if *on < lodged {
                return Err(DomainError::validation("on", "the court rules after the appeal is lodged"));
            }
            not_in_future("the ruling on", *on, ctx)?;
            Event::CourtRuled { ruling: CourtRuling { on: *on, outcome: *ruling }, at: now }
        }
        Command::ExtendDeadline { months, reason } => {
            if !status.is_pre_decision() {
                return Err(illegal(case, command));
            }
            if case.procedure != Procedure::Normal {
                return Err(DomainError::validation("procedure", "only the normal procedure's deadline is extended"));
            }
            let id = match case.extensions.len() {
                0 => rule_id::DECISION_EXTENSION_FIRST,
                1 => rule_id::DECISION_EXTENSION_SECOND,
                _ => {
                    return Err(DomainError::AlreadyDone("the decision deadline was extended twice, the most allowed"))
                }
            };
            let rule = ctx.rules.duration(id, today)?;
            if rule.unit != DurationUnit::Months || *months == 0 || u32::from(*months) > rule.amount {
                return Err(DomainError::validation(
                    "months",
                    format!("this extension is of 1 to {} ({})", rule, rule.source),
                ));
            }
            if reason.trim().is_empty() {
                return Err(DomainError::validation("reason", "say why the case needs more time"));
            }
            if let Some(due) = deadlines::deadline(case, DeadlineKind::Decision, ctx.rules)? {
                if today > due.due_on {
                    return Err(DomainError::DeadlinePassed(due.explanation));
                }
            }
            Event::DeadlineExtended { months: *months, reason: reason.clone(), at: now }
        }
        Command::Withdraw | Command::Close { ground: ClosureGround::Withdrawal } => {
            if !status.is_pre_decision() {
                return Err(illegal(case, command));
            }
            Event::Withdrawn { at: now }
        }
        Command::Close { ground } => {
            if !status.is_pre_decision() {
                return Err(illegal(case, command));
            }
            if *ground == ClosureGround::AbsenceFromInterview {
                let Some(interview) = case.interview.as_ref().filter(|_| status == Status::InterviewScheduled) else {
                    return Err(illegal(case, command));
                };
                if today < interview.on {
                    return Err(DomainError::NotYet(format!(
                        "the interview is scheduled for {}",
                        format_date(interview.on)
                    )));
                }
            }
            Event::Closed { ground: *ground, at: now }
        }
        Command::Reopen => {
            let Some(closed_on) = case.closed_on.filter(|_| status == Status::Closed) else {
                return Err(illegal(case, command));
            };
            if case.reopened_on.is_some() {
                return Err(DomainError::AlreadyDone("a closed case is reopened only once"));
            }
            let rule = ctx.rules.duration(rule_id::REOPENING, closed_on)?;
            if today > rule.after(closed_on) {
                let explanation = deadlines::deadline(case, DeadlineKind::Reopening, ctx.rules)?
                    .map_or_else(|| format!("{rule} from the closure"), |d| d.explanation);
                return Err(DomainError::DeadlinePassed(explanation));
            }
            Event::Reopened { at: now }
        }
        Command::AttachDocuments { documents: new } => {
            // Mail keeps arriving whatever the status: every registered case takes documents.
            if status == Status::Unregistered {
                return Err(illegal(case, command));
            }
            documents::check_new_documents(new, today, case.introduced_on)?;
            Event::DocumentsAttached { documents: numbered(case, new, ctx), at: now }
        }
        Command::ReceiveOriginal(new) => {
            if status == Status::Unregistered {
                return Err(illegal(case, command));
            }
            documents::check_new_original(new, today, case.introduced_on)?;
            let original = Original {
                id: documents::original_id(case.number, case.originals.len() + 1),
                kind: new.kind,
                description: new.description.trim().to_owned(),
                received_on: new.received_on,
                custody: Custody::InStore { location: new.location.clone() },
            };
            Event::OriginalReceived { original, at: now }
        }
        Command::ChangeCustody { original, change } => {
            let Some(o) = case.originals.iter().find(|o| o.id == *original) else {
                return Err(DomainError::validation("original", format!("no original {original} in this case")));
            };
            documents::check_custody(o, change, today)?;
            Event::CustodyChanged { original: original.clone(), change: change.clone(), at: now }
        }
        Command::ShareDocument { document, reference } => {
            portal::check_reference(reference)?;
            let Some(d) = case.documents.iter().find(|d| d.id == *document) else {
                return Err(DomainError::validation("document", format!("no document {document} in this file")));
            };
            if d.document.origin == Origin::Applicant {
                return Err(DomainError::validation("document", "the applicant already has the documents they sent"));
            }
            if d.shared.is_some() {
                return Err(DomainError::validation("document", "the document is already in the applicant's space"));
            }
            if case.documents.iter().any(|d| d.shared.as_ref().is_some_and(|s| s.reference == *reference)) {
                return Err(DomainError::validation("reference", "this reference is already used in the file"));
            }
            Event::DocumentShared { document: *document, reference: reference.clone(), at: now }
        }
        Command::OpenDocument { document } => {
            let Some(d) = case.documents.iter().find(|d| d.id == *document) else {
                return Err(DomainError::validation("document", format!("no document {document} in this file")));
            };
            let Some(shared) = &d.shared else {
                return Err(DomainError::validation("document", "the document is not in the applicant's space"));
            };
            if shared.first_opened_at.is_some() {
                return Err(DomainError::validation("document", "the document was already opened"));
            }
            let opened = Event::DocumentOpened { document: *document, at: now };
            // The decision's first consultation is its notification (R.531-17), unless it was already deemed
            // notified at the end of the 15 days.
            let notifies = d.document.kind == DocumentKind::Decision
                && status == Status::Signed
                && case
                    .made_available_at
                    .is_some_and(|m| deemed_instant(m, ctx.rules).is_ok_and(|deemed| now < deemed) && now >= m);
            if notifies {
                let first = decide(case, &Command::RecordFirstOpening { at: now }, ctx)?;
                return Ok(std::iter::once(opened).chain(first).collect());
            }
            opened
        }
        Command::IssueLetter { letter, reference } | Command::NotifyDecision { letter, reference } => {
            let notify = matches!(command, Command::NotifyDecision { .. });
            if letter.origin != Origin::Issued || (letter.kind == DocumentKind::Decision) != notify {
                return Err(DomainError::validation(
                    "letter",
                    "a letter the office issues, and the decision only to notify it",
                ));
            }
            let mut events = if notify { decide(case, &Command::MakeAvailable, ctx)? } else { Vec::new() };
            let mut after = case.clone();
            for e in &events {
                after = evolve(after, e);
            }
            let attached = decide(&after, &Command::AttachDocuments { documents: vec![letter.clone()] }, ctx)?;
            for e in &attached {
                after = evolve(after, e);
            }
            events.extend(attached);
            let document = after.documents.len() as u32;
            events.extend(decide(&after, &Command::ShareDocument { document, reference: reference.clone() }, ctx)?);
            return Ok(events);
        }
        Command::ReceiveMessage { text, documents: new } => {
            if status == Status::Unregistered {
                return Err(illegal(case, command));
            }
            let text = portal::check_message(text, new)?;
            documents::check_new_documents(new, today, case.introduced_on)?;
            let documents = numbered(case, new, ctx);
            let message = Message {
                id: case.messages.len() as u32 + 1,
                text,
                documents: documents.iter().map(|d| d.id).collect(),
                at: now,
            };
            Event::MessageReceived { message, documents, at: now }
        }
    };
    Ok(vec![event])
}

/// New documents numbered after the file's last one, added by the actor now.
fn numbered(case: &Case, new: &[NewDocument], ctx: &Ctx) -> Vec<Document> {
    let first = case.documents.len() as u32 + 1;
    new.iter()
        .zip(first..)
        .map(|(d, id)| Document {
            id,
            document: d.clone(),
            added_by: ctx.actor.clone(),
            added_at: ctx.now,
            shared: None,
        })
        .collect()
}

fn appealable(case: &Case) -> Result<(), DomainError> {
    match &case.draft {
        Some(d) if d.outcome.is_appealable() => Ok(()),
        _ => Err(DomainError::NotAppealable),
    }
}

fn appeal_deadline(case: &Case, rules: &Rules) -> Result<deadlines::Deadline, DomainError> {
    deadlines::deadline(case, DeadlineKind::Appeal, rules)?
        .ok_or_else(|| DomainError::validation("appeal", "no appeal deadline runs for this case"))
}

/// Fold one event into the case. Total: an event that does not fit the case still only sets the facts it
/// carries (`decide` never produces such an event).
pub fn evolve(mut case: Case, event: &Event) -> Case {
    match event {
        Event::Registered {
            number,
            kind,
            procedure,
            nationality,
            language,
            applicant,
            family,
            introduced_on,
            registered_at,
            missing,
        } => {
            case = Case {
                number: *number,
                status: Status::Registered,
                kind: *kind,
                procedure: *procedure,
                nationality: *nationality,
                language: language.clone(),
                applicant: applicant.clone(),
                family: family.clone(),
                introduced_on: *introduced_on,
                registered_at: *registered_at,
                missing: missing.clone(),
                ..Case::initial()
            };
        }
        Event::MarkedIncomplete { missing, .. } => {
            case.status = Status::Incomplete;
            case.missing = missing.clone();
        }
        Event::MarkedComplete { .. } => {
            case.status = Status::Complete;
            case.missing.clear();
        }
        Event::Assigned { officer, division, section, .. } => {
            case.status = Status::Assigned;
            case.officer = Some(officer.clone());
            case.division = Some(*division);
            case.section = Some(*section);
        }
        Event::InterviewScheduled { interview, .. } => {
            case.status = Status::InterviewScheduled;
            case.interview = Some(interview.clone());
        }
        Event::InterviewRecorded { held_on, record, .. } => {
            case.status = Status::Interviewed;
            case.interviewed_on = Some(*held_on);
            case.interview_record = Some(record.clone());
        }
        Event::ReclassifiedAccelerated { ground, on, .. } => {
            case.procedure = Procedure::Accelerated(*ground);
            case.reclassified_accelerated_on = Some(*on);
        }
        Event::DecisionDrafted { draft, by, .. } => {
            case.status = Status::DecisionDrafted;
            case.draft = Some(draft.clone());
            case.drafted_by = Some(by.clone());
        }
        Event::SubmittedForReview { .. } => case.status = Status::UnderReview,
        Event::ReturnedToOfficer { comments, .. } => {
            case.status = Status::ReturnedToOfficer;
            case.review_comments.push(comments.clone());
        }
        Event::DecisionSigned { by, at } => {
            case.status = Status::Signed;
            case.signed_by = Some(by.clone());
            case.signed_at = Some(*at);
        }
        Event::MadeAvailable { at } => case.made_available_at = Some(*at),
        Event::FirstOpened { at } => {
            case.status = Status::Notified;
            case.notified_on = Some(at.date());
            case.notification_basis = Some(NotificationBasis::FirstOpened);
        }
        Event::DeemedNotified { on, .. } => {
            case.status = Status::Notified;
            case.notified_on = Some(*on);
            case.notification_basis = Some(NotificationBasis::Deemed);
        }
        Event::LegalAidRequested { on, .. } => {
            case.legal_aid.push(LegalAidPeriod { requested_on: *on, decided_on: None });
        }
        Event::LegalAidDecided { on, .. } => {
            if let Some(p) = case.legal_aid.iter_mut().rev().find(|p| p.decided_on.is_none()) {
                p.decided_on = Some(*on);
            }
        }
        Event::AppealLodged { on, .. } => {
            case.status = Status::Appealed;
            case.appeal_lodged_on = Some(*on);
        }
        Event::BecameFinal { .. } => case.status = Status::Final,
        Event::CourtRuled { ruling, .. } => {
            case.status = Status::CourtDecided;
            case.court_ruling = Some(ruling.clone());
        }
        Event::DeadlineExtended { months, reason, at } => {
            case.extensions.push(Extension { months: *months, reason: reason.clone(), on: at.date() });
        }
        Event::Withdrawn { at } => close(&mut case, ClosureGround::Withdrawal, at.date()),
        Event::Closed { ground, at } => close(&mut case, *ground, at.date()),
        Event::Reopened { at } => {
            case.status = case.closed_from.take().unwrap_or(Status::Registered);
            case.closed = None;
            case.closed_on = None;
            case.reopened_on = Some(at.date());
        }
        Event::DocumentsAttached { documents, .. } => case.documents.extend(documents.iter().cloned()),
        Event::OriginalReceived { original, .. } => case.originals.push(original.clone()),
        Event::CustodyChanged { original, change, at } => {
            if let Some(o) = case.originals.iter_mut().find(|o| o.id == *original) {
                documents::apply_custody(o, change, at.date());
            }
        }
        Event::DocumentShared { document, reference, at } => {
            if let Some(d) = case.documents.iter_mut().find(|d| d.id == *document) {
                d.shared = Some(Shared { reference: reference.clone(), made_available_at: *at, first_opened_at: None });
            }
        }
        Event::DocumentOpened { document, at } => {
            if let Some(s) = case.documents.iter_mut().find(|d| d.id == *document).and_then(|d| d.shared.as_mut()) {
                s.first_opened_at.get_or_insert(*at);
            }
        }
        Event::MessageReceived { message, documents, .. } => {
            case.documents.extend(documents.iter().cloned());
            case.messages.push(message.clone());
        }
    }
    case
}

fn close(case: &mut Case, ground: ClosureGround, on: Date) {
    if case.status != Status::Closed {
        case.closed_from = Some(case.status);
    }
    case.status = Status::Closed;
    case.closed = Some(ground);
    case.closed_on = Some(on);
}

#[cfg(test)]
mod tests;
