//! What happened to a case: the events of the journal, each carrying the dated facts `evolve` needs.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::application::{AcceleratedGround, ApplicationKind, Procedure};
use crate::decision::{ClosureGround, DecisionDraft};
use crate::documents::{CustodyChange, Document, Original};
use crate::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use crate::messages::Message;
use crate::person::Person;
use crate::protection::{
    ActNumber, Appeal, Cassation, Certificate, CopyIssued, EndingAnswer, EndingDecision, EndingDraft, EndingGround,
    Hearing, NewAct, NewMention, Report,
};

use super::case::{Absence, CourtRuling, Interview, InterviewNeeds, InterviewRecord};

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
    InterviewNeedsRecorded {
        needs: InterviewNeeds,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    AbsenceRecorded {
        absence: Absence,
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
        /// The appeal as the court's notice opens it, with its chamber.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        appeal: Option<Appeal>,
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
    HearingScheduled {
        hearing: Hearing,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DefenceDrafted {
        text: String,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DefenceReviewed {
        approved: bool,
        comments: String,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    DefenceSent {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    CassationLodged {
        cassation: Cassation,
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
    ActDrawnUp {
        act: Box<NewAct>,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    MentionAdded {
        act: ActNumber,
        mention: NewMention,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The copy's document joined the file and the applicant's space in the events before.
    CopyIssued {
        act: ActNumber,
        copy: CopyIssued,
    },
    FgmFollowUpOpened {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        ends_on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    FgmLetterSent {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        /// The printed letter, a document of the file (joined in the events before).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        document: Option<u32>,
        #[serde(with = "crate::serde_dates::date")]
        due_on: Date,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// The certificate, a restricted document of the file; a finding prepares its report.
    FgmCertificateReceived {
        person: u16,
        certificate: Certificate,
        document: Document,
        #[serde(with = "crate::serde_dates::date")]
        due_on: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report: Option<Report>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    FgmReportPrepared {
        person: u16,
        report: Report,
    },
    FgmExaminationAdvanced {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        grounds: String,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    FgmReportSigned {
        person: u16,
        report: u32,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    /// A procedure to end the protection opened; its letter joined the file in the events before.
    EndingOpened {
        ground: EndingGround,
        facts: String,
        letter: u32,
        #[serde(with = "crate::serde_dates::date")]
        answer_due: Date,
        by: Login,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    EndingAnswered {
        answer: EndingAnswer,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    },
    EndingDrafted {
        draft: EndingDraft,
    },
    /// The decision signed; its letter joined the file in the events before. Ending the
    /// protection mentions it on every act and closes the FGM follow-ups.
    EndingDecided {
        decision: EndingDecision,
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
            Event::InterviewNeedsRecorded { .. } => "interview_needs_recorded",
            Event::AbsenceRecorded { .. } => "absence_recorded",
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
            Event::HearingScheduled { .. } => "hearing_scheduled",
            Event::DefenceDrafted { .. } => "defence_drafted",
            Event::DefenceReviewed { .. } => "defence_reviewed",
            Event::DefenceSent { .. } => "defence_sent",
            Event::CassationLodged { .. } => "cassation_lodged",
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
            Event::ActDrawnUp { .. } => "act_drawn_up",
            Event::MentionAdded { .. } => "mention_added",
            Event::CopyIssued { .. } => "copy_issued",
            Event::FgmFollowUpOpened { .. } => "fgm_follow_up_opened",
            Event::FgmLetterSent { .. } => "fgm_letter_sent",
            Event::FgmCertificateReceived { .. } => "fgm_certificate_received",
            Event::FgmReportPrepared { .. } => "fgm_report_prepared",
            Event::FgmExaminationAdvanced { .. } => "fgm_examination_advanced",
            Event::FgmReportSigned { .. } => "fgm_report_signed",
            Event::EndingOpened { .. } => "ending_opened",
            Event::EndingAnswered { .. } => "ending_answered",
            Event::EndingDrafted { .. } => "ending_drafted",
            Event::EndingDecided { .. } => "ending_decided",
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
            | Event::InterviewNeedsRecorded { at, .. }
            | Event::AbsenceRecorded { at, .. }
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
            | Event::HearingScheduled { at, .. }
            | Event::DefenceDrafted { at, .. }
            | Event::DefenceReviewed { at, .. }
            | Event::DefenceSent { at, .. }
            | Event::CassationLodged { at, .. }
            | Event::DeadlineExtended { at, .. }
            | Event::Withdrawn { at }
            | Event::Closed { at, .. }
            | Event::Reopened { at }
            | Event::DocumentsAttached { at, .. }
            | Event::OriginalReceived { at, .. }
            | Event::CustodyChanged { at, .. }
            | Event::DocumentShared { at, .. }
            | Event::DocumentOpened { at, .. }
            | Event::MessageReceived { at, .. }
            | Event::ActDrawnUp { at, .. }
            | Event::MentionAdded { at, .. }
            | Event::FgmFollowUpOpened { at, .. }
            | Event::FgmLetterSent { at, .. }
            | Event::FgmCertificateReceived { at, .. }
            | Event::FgmExaminationAdvanced { at, .. }
            | Event::FgmReportSigned { at, .. }
            | Event::EndingOpened { at, .. }
            | Event::EndingAnswered { at, .. } => *at,
            Event::EndingDrafted { draft } => draft.at,
            Event::EndingDecided { decision } => decision.signed_at,
            Event::CopyIssued { copy, .. } => copy.at,
            Event::FgmReportPrepared { report, .. } => report.prepared_at,
        }
    }
}
