//! What an agent may ask of a case: the commands, their kinds, and which kinds each status admits.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::application::AcceleratedGround;
use crate::decision::{ClosureGround, DecisionDraft};
use crate::documents::{CustodyChange, NewDocument, NewOriginal};
use crate::ids::{DivisionId, Login, SectionId};

use crate::protection::{
    ActNumber, AppealNotice, CassationParty, EndingGround, Formation, IncidentKind, NewAct, NewMention,
};

use super::case::{Case, CourtOutcome, Interview, InterviewNeeds, InterviewRecord, Registration, Status};

/// What an agent asks the domain to do. Commands carry no time except the date of a fact that differs from
/// "now"; the time of the request comes from [`Ctx::now`](super::Ctx::now).
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
    /// What the applicant asked for, or needs, at the interview (replaces what was recorded).
    RecordInterviewNeeds(InterviewNeeds),
    /// The applicant did not come to the interview: excused, the case goes back to the cases to
    /// convene; unexcused, it may be closed (L.531-38).
    RecordAbsence {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        excused: bool,
        #[serde(default)]
        reason: String,
    },
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
    /// The court's notice of an appeal (the notice is absent from appeals recorded before the
    /// legal consultants' workspace: the chamber is then unknown).
    LodgeAppeal {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        notice: Option<AppealNotice>,
    },
    BecomeFinal,
    RecordCourtRuling {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        ruling: CourtOutcome,
    },
    /// The court set (or moved) the hearing and notified the parties.
    ScheduleHearing {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(with = "crate::serde_dates::date")]
        notified_on: Date,
        formation: Formation,
    },
    /// A legal consultant writes (or rewrites) the office's defence.
    DraftDefence {
        text: String,
    },
    /// Another legal consultant approves the defence or returns it with comments.
    ReviewDefence {
        approve: bool,
        #[serde(default)]
        comments: String,
    },
    /// The approved defence is sent to the court.
    SendDefence {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
    },
    /// The court's ruling is taken to the Conseil d'État.
    LodgeCassation {
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        by: CassationParty,
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
    /// A civil registrar draws up an act of the register for a person of the case.
    DrawUpAct(Box<NewAct>),
    /// A mention in the margin of an act: a later event, or a correction with its grounds.
    AddMention {
        act: ActNumber,
        mention: NewMention,
    },
    /// The family record book (livret de famille), printed from the register's acts, joins the
    /// file and the protected person's space.
    IssueFamilyBook {
        letter: NewDocument,
        reference: String,
    },
    /// A sealed certified copy of an act, printed, joins the file and the protected person's space.
    IssueCopy {
        act: ActNumber,
        /// The copy's random reference (in its QR code).
        copy: String,
        /// The act's version the copy carries.
        version: u32,
        letter: NewDocument,
        reference: String,
        /// Asked for by the protected person from their space.
        #[serde(default)]
        requested: bool,
    },
    /// A protected girl's follow-up opens (CESEDA L.561-8).
    OpenFgmFollowUp {
        person: u16,
    },
    /// The letter to her legal representatives asking for the examination, with the model
    /// certificate: printed by the office (it joins the file and the family's space), or sent
    /// otherwise and only recorded.
    SendFgmLetter {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        letter: Option<NewDocument>,
        /// The letter's reference in the family's space.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
    },
    /// The medical unit's certificate (a restricted document of the file).
    ReceiveFgmCertificate {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        examined_on: Date,
        mutilation_found: bool,
        document: NewDocument,
    },
    /// An unjustified absence, a refusal or a finding: a report to the prosecutor is prepared.
    ReportFgmIncident {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        kind: IncidentKind,
    },
    /// The next examination is asked sooner, on serious grounds.
    AdvanceFgmExamination {
        person: u16,
        #[serde(with = "crate::serde_dates::date")]
        on: Date,
        grounds: String,
    },
    /// A person signs a prepared report (1, 2, … in the order prepared).
    SignFgmReport {
        person: u16,
        report: u32,
    },
    /// The office tells the protected person why it considers ending their protection, and
    /// until when they may answer (the letter joins the file and their space).
    OpenEnding {
        ground: EndingGround,
        facts: String,
        letter: NewDocument,
        reference: String,
    },
    /// The person's answer: written in their space, or received by post and recorded.
    RecordEndingAnswer {
        #[serde(with = "crate::serde_dates::date")]
        received_on: Date,
        text: String,
        #[serde(default)]
        via_portal: bool,
    },
    /// The officer drafts the decision: end the protection or keep it, with the reasons.
    DraftEnding {
        ends: bool,
        reasons: String,
    },
    /// A section head signs the drafted decision; its letter joins the file and the person's space.
    SignEnding {
        letter: NewDocument,
        reference: String,
    },
}

impl Command {
    /// Which command this is. Its [`CommandKind::as_str`] is the snake_case name, as in serde.
    pub fn kind(&self) -> CommandKind {
        match self {
            Command::Register(_) => CommandKind::Register,
            Command::MarkIncomplete { .. } => CommandKind::MarkIncomplete,
            Command::MarkComplete => CommandKind::MarkComplete,
            Command::Assign { .. } => CommandKind::Assign,
            Command::ScheduleInterview(_) => CommandKind::ScheduleInterview,
            Command::RecordInterviewNeeds(_) => CommandKind::RecordInterviewNeeds,
            Command::RecordAbsence { .. } => CommandKind::RecordAbsence,
            Command::RecordInterview { .. } => CommandKind::RecordInterview,
            Command::ReclassifyAccelerated { .. } => CommandKind::ReclassifyAccelerated,
            Command::DraftDecision(_) => CommandKind::DraftDecision,
            Command::SubmitForReview => CommandKind::SubmitForReview,
            Command::ReturnToOfficer { .. } => CommandKind::ReturnToOfficer,
            Command::Sign => CommandKind::Sign,
            Command::MakeAvailable => CommandKind::MakeAvailable,
            Command::RecordFirstOpening { .. } => CommandKind::RecordFirstOpening,
            Command::DeemNotified => CommandKind::DeemNotified,
            Command::RequestLegalAid { .. } => CommandKind::RequestLegalAid,
            Command::DecideLegalAid { .. } => CommandKind::DecideLegalAid,
            Command::LodgeAppeal { .. } => CommandKind::LodgeAppeal,
            Command::BecomeFinal => CommandKind::BecomeFinal,
            Command::RecordCourtRuling { .. } => CommandKind::RecordCourtRuling,
            Command::ScheduleHearing { .. } => CommandKind::ScheduleHearing,
            Command::DraftDefence { .. } => CommandKind::DraftDefence,
            Command::ReviewDefence { .. } => CommandKind::ReviewDefence,
            Command::SendDefence { .. } => CommandKind::SendDefence,
            Command::LodgeCassation { .. } => CommandKind::LodgeCassation,
            Command::ExtendDeadline { .. } => CommandKind::ExtendDeadline,
            Command::Withdraw => CommandKind::Withdraw,
            Command::Close { .. } => CommandKind::Close,
            Command::Reopen => CommandKind::Reopen,
            Command::AttachDocuments { .. } => CommandKind::AttachDocuments,
            Command::ReceiveOriginal(_) => CommandKind::ReceiveOriginal,
            Command::ChangeCustody { .. } => CommandKind::ChangeCustody,
            Command::ShareDocument { .. } => CommandKind::ShareDocument,
            Command::OpenDocument { .. } => CommandKind::OpenDocument,
            Command::IssueLetter { .. } => CommandKind::IssueLetter,
            Command::NotifyDecision { .. } => CommandKind::NotifyDecision,
            Command::ReceiveMessage { .. } => CommandKind::ReceiveMessage,
            Command::DrawUpAct(_) => CommandKind::DrawUpAct,
            Command::AddMention { .. } => CommandKind::AddMention,
            Command::IssueCopy { .. } => CommandKind::IssueCopy,
            Command::IssueFamilyBook { .. } => CommandKind::IssueFamilyBook,
            Command::OpenFgmFollowUp { .. } => CommandKind::OpenFgmFollowUp,
            Command::SendFgmLetter { .. } => CommandKind::SendFgmLetter,
            Command::ReceiveFgmCertificate { .. } => CommandKind::ReceiveFgmCertificate,
            Command::ReportFgmIncident { .. } => CommandKind::ReportFgmIncident,
            Command::AdvanceFgmExamination { .. } => CommandKind::AdvanceFgmExamination,
            Command::SignFgmReport { .. } => CommandKind::SignFgmReport,
            Command::OpenEnding { .. } => CommandKind::OpenEnding,
            Command::RecordEndingAnswer { .. } => CommandKind::RecordEndingAnswer,
            Command::DraftEnding { .. } => CommandKind::DraftEnding,
            Command::SignEnding { .. } => CommandKind::SignEnding,
        }
    }
}

/// Which command, without its payload: one kind per [`Command`] variant. Its name is the command's serde tag
/// and the `command` of [`DomainError::IllegalTransition`](crate::error::DomainError::IllegalTransition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Register,
    MarkIncomplete,
    MarkComplete,
    Assign,
    ScheduleInterview,
    RecordInterviewNeeds,
    RecordAbsence,
    RecordInterview,
    ReclassifyAccelerated,
    DraftDecision,
    SubmitForReview,
    ReturnToOfficer,
    Sign,
    MakeAvailable,
    RecordFirstOpening,
    DeemNotified,
    RequestLegalAid,
    DecideLegalAid,
    LodgeAppeal,
    BecomeFinal,
    RecordCourtRuling,
    ScheduleHearing,
    DraftDefence,
    ReviewDefence,
    SendDefence,
    LodgeCassation,
    ExtendDeadline,
    Withdraw,
    Close,
    Reopen,
    AttachDocuments,
    ReceiveOriginal,
    ChangeCustody,
    ShareDocument,
    OpenDocument,
    IssueLetter,
    NotifyDecision,
    ReceiveMessage,
    DrawUpAct,
    AddMention,
    IssueCopy,
    IssueFamilyBook,
    OpenFgmFollowUp,
    SendFgmLetter,
    ReceiveFgmCertificate,
    ReportFgmIncident,
    AdvanceFgmExamination,
    SignFgmReport,
    OpenEnding,
    RecordEndingAnswer,
    DraftEnding,
    SignEnding,
}

impl CommandKind {
    /// Every kind, in the order of the [`Command`] variants.
    pub const ALL: [CommandKind; 52] = [
        CommandKind::Register,
        CommandKind::MarkIncomplete,
        CommandKind::MarkComplete,
        CommandKind::Assign,
        CommandKind::ScheduleInterview,
        CommandKind::RecordInterviewNeeds,
        CommandKind::RecordAbsence,
        CommandKind::RecordInterview,
        CommandKind::ReclassifyAccelerated,
        CommandKind::DraftDecision,
        CommandKind::SubmitForReview,
        CommandKind::ReturnToOfficer,
        CommandKind::Sign,
        CommandKind::MakeAvailable,
        CommandKind::RecordFirstOpening,
        CommandKind::DeemNotified,
        CommandKind::RequestLegalAid,
        CommandKind::DecideLegalAid,
        CommandKind::LodgeAppeal,
        CommandKind::BecomeFinal,
        CommandKind::RecordCourtRuling,
        CommandKind::ScheduleHearing,
        CommandKind::DraftDefence,
        CommandKind::ReviewDefence,
        CommandKind::SendDefence,
        CommandKind::LodgeCassation,
        CommandKind::ExtendDeadline,
        CommandKind::Withdraw,
        CommandKind::Close,
        CommandKind::Reopen,
        CommandKind::AttachDocuments,
        CommandKind::ReceiveOriginal,
        CommandKind::ChangeCustody,
        CommandKind::ShareDocument,
        CommandKind::OpenDocument,
        CommandKind::IssueLetter,
        CommandKind::NotifyDecision,
        CommandKind::ReceiveMessage,
        CommandKind::DrawUpAct,
        CommandKind::AddMention,
        CommandKind::IssueCopy,
        CommandKind::IssueFamilyBook,
        CommandKind::OpenFgmFollowUp,
        CommandKind::SendFgmLetter,
        CommandKind::ReceiveFgmCertificate,
        CommandKind::ReportFgmIncident,
        CommandKind::AdvanceFgmExamination,
        CommandKind::SignFgmReport,
        CommandKind::OpenEnding,
        CommandKind::RecordEndingAnswer,
        CommandKind::DraftEnding,
        CommandKind::SignEnding,
    ];

    /// The snake_case name, as in serde: `schedule_interview`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CommandKind::Register => "register",
            CommandKind::MarkIncomplete => "mark_incomplete",
            CommandKind::MarkComplete => "mark_complete",
            CommandKind::Assign => "assign",
            CommandKind::ScheduleInterview => "schedule_interview",
            CommandKind::RecordInterviewNeeds => "record_interview_needs",
            CommandKind::RecordAbsence => "record_absence",
            CommandKind::RecordInterview => "record_interview",
            CommandKind::ReclassifyAccelerated => "reclassify_accelerated",
            CommandKind::DraftDecision => "draft_decision",
            CommandKind::SubmitForReview => "submit_for_review",
            CommandKind::ReturnToOfficer => "return_to_officer",
            CommandKind::Sign => "sign",
            CommandKind::MakeAvailable => "make_available",
            CommandKind::RecordFirstOpening => "record_first_opening",
            CommandKind::DeemNotified => "deem_notified",
            CommandKind::RequestLegalAid => "request_legal_aid",
            CommandKind::DecideLegalAid => "decide_legal_aid",
            CommandKind::LodgeAppeal => "lodge_appeal",
            CommandKind::BecomeFinal => "become_final",
            CommandKind::RecordCourtRuling => "record_court_ruling",
            CommandKind::ScheduleHearing => "schedule_hearing",
            CommandKind::DraftDefence => "draft_defence",
            CommandKind::ReviewDefence => "review_defence",
            CommandKind::SendDefence => "send_defence",
            CommandKind::LodgeCassation => "lodge_cassation",
            CommandKind::ExtendDeadline => "extend_deadline",
            CommandKind::Withdraw => "withdraw",
            CommandKind::Close => "close",
            CommandKind::Reopen => "reopen",
            CommandKind::AttachDocuments => "attach_documents",
            CommandKind::ReceiveOriginal => "receive_original",
            CommandKind::ChangeCustody => "change_custody",
            CommandKind::ShareDocument => "share_document",
            CommandKind::OpenDocument => "open_document",
            CommandKind::IssueLetter => "issue_letter",
            CommandKind::NotifyDecision => "notify_decision",
            CommandKind::ReceiveMessage => "receive_message",
            CommandKind::DrawUpAct => "draw_up_act",
            CommandKind::AddMention => "add_mention",
            CommandKind::IssueCopy => "issue_copy",
            CommandKind::IssueFamilyBook => "issue_family_book",
            CommandKind::OpenFgmFollowUp => "open_fgm_follow_up",
            CommandKind::SendFgmLetter => "send_fgm_letter",
            CommandKind::ReceiveFgmCertificate => "receive_fgm_certificate",
            CommandKind::ReportFgmIncident => "report_fgm_incident",
            CommandKind::AdvanceFgmExamination => "advance_fgm_examination",
            CommandKind::SignFgmReport => "sign_fgm_report",
            CommandKind::OpenEnding => "open_ending",
            CommandKind::RecordEndingAnswer => "record_ending_answer",
            CommandKind::DraftEnding => "draft_ending",
            CommandKind::SignEnding => "sign_ending",
        }
    }

    pub fn parse(s: &str) -> Option<CommandKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for CommandKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The status gate: whether a case in `status` may receive a command of `kind` at all. `decide` refuses with
/// [`DomainError::IllegalTransition`](crate::error::DomainError::IllegalTransition) exactly when this is false,
/// before any other check (payload, actor, dates, deadlines). The one place the lifecycle's arrows are written.
pub(crate) fn status_allows(status: Status, kind: CommandKind) -> bool {
    use CommandKind as K;
    use Status as S;
    match kind {
        K::Register => status == S::Unregistered,
        K::MarkIncomplete => matches!(status, S::Registered | S::Incomplete | S::Complete),
        K::MarkComplete => matches!(status, S::Registered | S::Incomplete),
        K::Assign => matches!(status, S::Complete | S::Assigned),
        // From `Interviewed` only when the court sent the case back: `decide` checks.
        K::ScheduleInterview => matches!(status, S::Assigned | S::InterviewScheduled | S::Interviewed),
        K::RecordInterviewNeeds => {
            matches!(status, S::Registered | S::Incomplete | S::Complete | S::Assigned | S::InterviewScheduled)
        }
        K::RecordInterview | K::RecordAbsence => status == S::InterviewScheduled,
        K::ReclassifyAccelerated => status == S::Interviewed,
        // Before the interview, only to grant refugee status: `decide` checks the draft.
        K::DraftDecision => matches!(
            status,
            S::Assigned | S::InterviewScheduled | S::Interviewed | S::DecisionDrafted | S::ReturnedToOfficer
        ),
        K::SubmitForReview => status == S::DecisionDrafted,
        K::ReturnToOfficer | K::Sign => status == S::UnderReview,
        K::MakeAvailable | K::RecordFirstOpening | K::DeemNotified | K::NotifyDecision => status == S::Signed,
        K::RequestLegalAid | K::DecideLegalAid | K::LodgeAppeal | K::BecomeFinal => status == S::Notified,
        K::RecordCourtRuling | K::ScheduleHearing | K::DraftDefence | K::ReviewDefence | K::SendDefence => {
            status == S::Appealed
        }
        // After a ruling that ends the case at the court: `decide` checks that the court ruled.
        K::LodgeCassation => matches!(status, S::Final | S::CourtDecided),
        // A closure for absence also needs the interview to be scheduled: `decide` checks the ground.
        K::ExtendDeadline | K::Withdraw | K::Close => status.is_pre_decision(),
        K::Reopen => status == S::Closed,
        // The file lives on whatever the status: mail keeps arriving, originals go back to the applicant, the
        // applicant reads and writes in their space.
        K::AttachDocuments
        | K::ReceiveOriginal
        | K::ChangeCustody
        | K::ShareDocument
        | K::OpenDocument
        | K::IssueLetter
        | K::ReceiveMessage => status != S::Unregistered,
        // Once protection is final: `decide` checks that it was granted.
        K::DrawUpAct | K::AddMention | K::IssueCopy | K::IssueFamilyBook => {
            matches!(status, S::Final | S::CourtDecided)
        }
        // Likewise the follow-up of a protected girl.
        K::OpenFgmFollowUp
        | K::SendFgmLetter
        | K::ReceiveFgmCertificate
        | K::ReportFgmIncident
        | K::AdvanceFgmExamination
        | K::SignFgmReport => matches!(status, S::Final | S::CourtDecided),
        // The end of a protection: `decide` checks that it was granted and what stage it is at.
        K::OpenEnding | K::RecordEndingAnswer | K::DraftEnding | K::SignEnding => {
            matches!(status, S::Final | S::CourtDecided)
        }
    }
}

impl Case {
    /// Whether a command of this kind may be asked of the case now, as far as its status goes: the gate
    /// `decide` applies first, so that edges offer exactly what the domain would consider and never restate
    /// status rules. An allowed command may still be refused for its content, its actor, its dates or a deadline.
    pub fn allows(&self, kind: CommandKind) -> bool {
        status_allows(self.status, kind)
    }

    /// Whether an edge should offer a command of this kind now: the status allows it and it is
    /// not already done (a decision already in the applicant's space is not notified again).
    /// Stricter than [`Case::allows`], which is exactly the status gate of `decide`.
    pub fn offers(&self, kind: CommandKind) -> bool {
        self.allows(kind)
            && match kind {
                CommandKind::MakeAvailable | CommandKind::NotifyDecision => self.made_available_at.is_none(),
                CommandKind::ScheduleInterview => {
                    self.status != Status::Interviewed || self.referred_by_court_on.is_some()
                }
                // The same absence is not recorded twice; closure for absence follows one.
                CommandKind::RecordAbsence => {
                    let on = self.interview.as_ref().map(|i| i.on);
                    self.absences.last().is_none_or(|a| Some(a.on) != on)
                }
                CommandKind::LodgeCassation => {
                    self.court_ruling.is_some() && self.appeal.as_ref().is_some_and(|a| a.cassation.is_none())
                }
                CommandKind::ReviewDefence => self.defence_stage() == Some(crate::protection::DefenceStage::Drafted),
                CommandKind::SendDefence => self.defence_stage() == Some(crate::protection::DefenceStage::Approved),
                CommandKind::DrawUpAct | CommandKind::OpenFgmFollowUp => self.protection_final(),
                CommandKind::SendFgmLetter
                | CommandKind::ReceiveFgmCertificate
                | CommandKind::ReportFgmIncident
                | CommandKind::AdvanceFgmExamination => self.protection_final() && !self.fgm.is_empty(),
                CommandKind::SignFgmReport => self.fgm.iter().any(|f| f.unsigned_reports() > 0),
                CommandKind::OpenEnding => self.protection_final() && self.open_ending().is_none(),
                CommandKind::RecordEndingAnswer => {
                    self.open_ending().is_some_and(|e| e.answer.is_none() && e.draft.is_none())
                }
                CommandKind::DraftEnding => self.open_ending().is_some(),
                CommandKind::SignEnding => self.open_ending().is_some_and(|e| e.draft.is_some()),
                CommandKind::AddMention | CommandKind::IssueCopy => {
                    self.protection_final() && !self.civil_acts.is_empty()
                }
                CommandKind::IssueFamilyBook => self.protection_final() && self.has_family_acts(),
                CommandKind::DraftDefence => {
                    !matches!(self.defence_stage(), Some(crate::protection::DefenceStage::Sent))
                }
                _ => true,
            }
    }

    /// Every kind of command the case allows now, in the order of [`CommandKind::ALL`].
    pub fn next_commands(&self) -> Vec<CommandKind> {
        CommandKind::ALL.into_iter().filter(|k| self.allows(*k)).collect()
    }
}
