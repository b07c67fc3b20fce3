//! The case: its state and the types it is made of (status, interview, notification, court ruling, …).
//!
//! Only plain data and what a case can say about itself; how it changes lives in `decide` and `evolve`.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::application::{ApplicationKind, Procedure};
use crate::decision::{ClosureGround, DecisionDraft, Outcome};
use crate::documents::{Document, Original};
use crate::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use crate::messages::Message;
use crate::person::{FamilyRole, Person, Sex};
use crate::protection::{Appeal, CivilAct, DefenceStage, Ending, FgmFollowUp};
pub use crate::status::Status;

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

/// What the applicant asked for, or needs, at the interview (besoins particuliers): the plan
/// honours it as far as it can and says when it could not.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct InterviewNeeds {
    /// An officer of this sex (CESEDA L.531-17: granted when manifestly justified).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub officer_sex: Option<Sex>,
    /// An interpreter of this sex (L.531-17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter_sex: Option<Sex>,
    /// Why the request is justified (for instance sexual violence): required with a request.
    #[serde(default)]
    pub grounds: String,
    /// Special procedural needs (vulnerability): the plan convenes the case among the first.
    #[serde(default)]
    pub vulnerable: bool,
    /// Family members' cases whose fears are heard at the same sitting: convened together.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub heard_with: Vec<CaseNumber>,
}

/// The applicant did not come to the interview (absence à l'entretien).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Absence {
    /// The day of the interview missed.
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
    /// Excused (a justified reason): the case goes back to the cases to convene. Unexcused: the
    /// case may be closed (L.531-38).
    pub excused: bool,
    #[serde(default)]
    pub reason: String,
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

impl CourtOutcome {
    pub const ALL: [CourtOutcome; 4] = [
        CourtOutcome::AppealRejected,
        CourtOutcome::RefugeeStatusGranted,
        CourtOutcome::SubsidiaryProtectionGranted,
        CourtOutcome::DecisionAnnulled,
    ];

    /// The snake_case name, as in serde: `decision_annulled`.
    pub fn as_str(&self) -> &'static str {
        match self {
            CourtOutcome::AppealRejected => "appeal_rejected",
            CourtOutcome::RefugeeStatusGranted => "refugee_status_granted",
            CourtOutcome::SubsidiaryProtectionGranted => "subsidiary_protection_granted",
            CourtOutcome::DecisionAnnulled => "decision_annulled",
        }
    }

    pub fn parse(s: &str) -> Option<CourtOutcome> {
        CourtOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// Whether the court itself granted a protection (the office carries the ruling out).
    pub fn grants_protection(&self) -> bool {
        matches!(self, CourtOutcome::RefugeeStatusGranted | CourtOutcome::SubsidiaryProtectionGranted)
    }
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
/// allocated by the store before [`decide`](fn@super::decide) is called.
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

/// A case: an application and everything that happened to it. Built only by folding events with
/// [`evolve`](fn@super::evolve).
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
    /// What the applicant asked for, or needs, at the interview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interview_needs: Option<InterviewNeeds>,
    /// Interviews the applicant missed, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub absences: Vec<Absence>,
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
    /// The appeal as the legal consultants follow it (chamber, hearing, defence, Conseil d'État);
    /// kept after the ruling, and replaced by the next appeal's notice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appeal: Option<Appeal>,
    /// When the court annulled the decision and sent the case back: the examination resumed.
    #[serde(default, with = "crate::serde_dates::date::option", skip_serializing_if = "Option::is_none")]
    pub referred_by_court_on: Option<Date>,
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
    /// The civil-status acts the office drew up for the protected person and their family, in
    /// the order drawn up (each numbered in the yearly register).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub civil_acts: Vec<CivilAct>,
    /// The follow-ups of girls of the file protected from female genital mutilation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fgm: Vec<FgmFollowUp>,
    /// The procedures to end the protection (fin de protection), oldest first; at most one open.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endings: Vec<Ending>,
}

impl Default for Case {
    fn default() -> Self {
        Self::initial()
    }
}

impl Case {
    /// The unexcused absence from the interview now scheduled, if one was recorded: it opens
    /// the closure path (L.531-38).
    pub fn unexcused_absence(&self) -> Option<&Absence> {
        let interview = self.interview.as_ref().filter(|_| self.status == Status::InterviewScheduled)?;
        self.absences.last().filter(|a| !a.excused && a.on == interview.on)
    }

    /// Where the office's defence before the court stands, if one was written.
    pub fn defence_stage(&self) -> Option<DefenceStage> {
        self.appeal.as_ref().and_then(|a| a.defence.as_ref()).map(|d| d.stage)
    }

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
            interview_needs: None,
            absences: Vec::new(),
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
            appeal: None,
            referred_by_court_on: None,
            closed: None,
            closed_on: None,
            closed_from: None,
            reopened_on: None,
            extensions: Vec::new(),
            reclassified_accelerated_on: None,
            documents: Vec::new(),
            originals: Vec::new(),
            messages: Vec::new(),
            civil_acts: Vec::new(),
            fgm: Vec::new(),
            endings: Vec::new(),
        }
    }

    /// Whether the person is protected for good: the office's positive decision became final, or
    /// the court granted protection. The civil registrar acts only then.
    pub fn protection_final(&self) -> bool {
        if self.protection_ended().is_some() {
            return false;
        }
        match self.status {
            Status::Final => {
                self.court_ruling.is_none() && self.draft.as_ref().is_some_and(|d| d.outcome.is_positive())
            }
            Status::CourtDecided => self.court_ruling.as_ref().is_some_and(|r| r.outcome.grants_protection()),
            _ => false,
        }
    }

    /// When a signed decision ended the protection (the day it was signed).
    pub fn protection_ended(&self) -> Option<Date> {
        self.endings.iter().find_map(|e| e.decision.as_ref().filter(|d| d.ends).map(|d| d.signed_at.date()))
    }

    /// Whether the register holds what a family record book is made of: a marriage, or a child's
    /// birth.
    pub fn has_family_acts(&self) -> bool {
        self.civil_acts.iter().any(|a| a.kind == crate::protection::ActKind::Marriage || a.facts.person > 0)
    }

    /// The procedure to end the protection under way, if any.
    pub fn open_ending(&self) -> Option<&Ending> {
        self.endings.iter().rev().find(|e| e.is_open())
    }

    /// The case's persons as acts name them: the applicant (0), then the family (1, 2, …).
    pub fn persons(&self) -> Vec<&Person> {
        std::iter::once(&self.applicant).chain(self.family.iter()).collect()
    }

    /// An act of this case's register.
    pub fn civil_act(&self, number: crate::protection::ActNumber) -> Option<&CivilAct> {
        self.civil_acts.iter().find(|a| a.number == number)
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

        // Civil status: only for a protected person; numbers unique; each copy in the file.
        ensure!(
            self.civil_acts.is_empty() || self.protection_final() || self.protection_ended().is_some(),
            "civil-status acts only once protection is final"
        );
        // End of protection: at most one procedure open, only for a protection granted, each
        // letter in the file and the person's space; an ended protection is on every act.
        ensure!(
            self.endings.iter().filter(|e| e.is_open()).count() <= 1,
            "one procedure to end the protection at a time"
        );
        ensure!(
            self.endings.is_empty() || matches!(status, Status::Final | Status::CourtDecided),
            "a protection is ended only once final"
        );
        for e in &self.endings {
            let letters = std::iter::once(e.letter).chain(e.decision.as_ref().map(|d| d.document));
            for letter in letters {
                ensure!(
                    self.documents.iter().any(|d| d.id == letter && d.shared.is_some()),
                    "the letters of a procedure to end the protection are in the person's space"
                );
            }
            ensure!(e.decision.is_none() || e.draft.is_some(), "a decision on the protection was drafted first");
        }
        if self.protection_ended().is_some() {
            ensure!(
                self.civil_acts.iter().all(|a| a
                    .mentions
                    .iter()
                    .any(|m| m.mention.kind == crate::protection::MentionKind::EndOfProtection)),
                "an ended protection is mentioned on every act"
            );
        }
        for (i, act) in self.civil_acts.iter().enumerate() {
            ensure!(
                self.civil_acts[..i].iter().all(|a| a.number != act.number),
                "act {} is in the register once",
                act.number
            );
            for copy in &act.copies {
                ensure!(copy.version <= act.version(), "a copy carries a version the act had");
                ensure!(
                    self.documents.iter().any(|d| d.id == copy.document
                        && d.document.kind == crate::documents::DocumentKind::CertifiedCopy
                        && d.shared.is_some()),
                    "copy {} is a certified copy in the file and the applicant's space",
                    copy.id
                );
            }
        }

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
        if appealed {
            ensure!(self.appeal_lodged_on.is_some(), "an appealed case has its appeal date");
        }
        if self.appeal_lodged_on.is_some() {
            ensure!(appealed || status == Status::Final, "an appeal date only once appealed");
        }
        if let (Some(a), Some(n)) = (self.appeal_lodged_on, self.notified_on) {
            ensure!(a >= n, "an appeal is lodged after notification");
        }
        if appealed {
            ensure!(
                self.draft.as_ref().is_some_and(|d| d.outcome.is_appealable()),
                "only an appealable decision is appealed"
            );
        }
        match (&self.court_ruling, status) {
            (Some(r), Status::CourtDecided) => {
                ensure!(r.outcome.grants_protection(), "a case decided by the court was granted protection")
            }
            (Some(r), Status::Final) => {
                ensure!(r.outcome == CourtOutcome::AppealRejected, "a final case after a ruling lost its appeal")
            }
            (Some(_), _) => return Err("a court ruling only once the court ended the appeal".into()),
            (None, s) => ensure!(s != Status::CourtDecided, "a case decided by the court has its ruling"),
        }
        if let Some(d) = self.appeal.as_ref().and_then(|a| a.defence.as_ref()) {
            ensure!(
                (d.stage == DefenceStage::Sent) == d.sent_on.is_some(),
                "a defence has a sending date exactly once sent"
            );
        }
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
