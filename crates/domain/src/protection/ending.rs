//! The end of a protection (fin de protection): cessation (Geneva Convention art. 1C), withdrawal
//! (fraud, exclusion, a serious threat) and the protected person's own renunciation. The office
//! writes first, saying why it considers ending the protection and giving a time to answer (the
//! right to be heard); it reads the answer (or notes that none came in time), an officer drafts a
//! reasoned decision and a section head signs it; the decision is put in the person's space. Once
//! a protection is ended, the acts the office drew up carry a mention of it, no new act or copy is
//! issued, and any follow-up of a girl protected from FGM is closed.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::error::DomainError;
use crate::ids::Login;
use crate::rules::{rule_id, Rules};

/// Why the office considers ending a protection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndingGround {
    /// The circumstances that justified the protection have ceased to exist, or the person
    /// re-availed themselves of their country's protection (cessation).
    Cessation,
    /// The protection was obtained by fraud (withdrawal).
    Fraud,
    /// The person falls under an exclusion clause (withdrawal).
    Exclusion,
    /// The person's presence is a serious threat to the State's security or to society (withdrawal).
    Threat,
    /// The person renounced the protection in writing.
    Renunciation,
}

impl EndingGround {
    pub const ALL: [EndingGround; 5] = [
        EndingGround::Cessation,
        EndingGround::Fraud,
        EndingGround::Exclusion,
        EndingGround::Threat,
        EndingGround::Renunciation,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            EndingGround::Cessation => "cessation",
            EndingGround::Fraud => "fraud",
            EndingGround::Exclusion => "exclusion",
            EndingGround::Threat => "threat",
            EndingGround::Renunciation => "renunciation",
        }
    }

    pub fn parse(s: &str) -> Option<EndingGround> {
        EndingGround::ALL.into_iter().find(|g| g.as_str() == s)
    }

    /// The ground in the letters' words (French).
    pub fn french(&self) -> &'static str {
        match self {
            EndingGround::Cessation => "cessation de la protection",
            EndingGround::Fraud => "retrait de la protection obtenue par fraude",
            EndingGround::Exclusion => "retrait de la protection pour une clause d'exclusion",
            EndingGround::Threat => "retrait de la protection pour menace grave",
            EndingGround::Renunciation => "renonciation à la protection",
        }
    }

    /// The legal basis the letters cite (article numbers to verify against the current code).
    pub fn law(&self) -> &'static str {
        match self {
            EndingGround::Cessation => {
                "Convention de Genève du 28 juillet 1951, article 1er, section C ; CESEDA L.511-8 (réfugiés) \
                 et L.512-3 (protection subsidiaire)"
            }
            EndingGround::Fraud => "CESEDA L.511-8 et L.512-3 : protection obtenue par fraude",
            EndingGround::Exclusion => {
                "Convention de Genève, article 1er, sections D, E et F ; CESEDA L.511-8 et L.512-2"
            }
            EndingGround::Threat => {
                "CESEDA L.511-7 et L.512-3 : menace grave pour la sûreté de l'État ou pour la société"
            }
            EndingGround::Renunciation => "renonciation expresse et écrite de la personne protégée",
        }
    }
}

/// The protected person's answer to the office's letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingAnswer {
    #[serde(with = "crate::serde_dates::date")]
    pub received_on: Date,
    pub text: String,
    /// Written in the person's secure space (else received by post and recorded by an officer).
    pub via_portal: bool,
    /// Who recorded it (the person's own account for an answer from the portal).
    pub by: Login,
}

/// The officer's draft: end the protection or keep it, with the reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingDraft {
    pub ends: bool,
    pub reasons: String,
    pub by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The signed decision, and the document of the file that carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndingDecision {
    pub ends: bool,
    pub signed_by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    pub document: u32,
}

/// One procedure: opened by the letter, closed by the signed decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ending {
    pub ground: EndingGround,
    /// The facts the office relies on, as the letter states them.
    pub facts: String,
    pub opened_by: Login,
    #[serde(with = "crate::serde_dates::date")]
    pub opened_on: Date,
    /// The letter telling the person (a document of the file, in their space).
    pub letter: u32,
    #[serde(with = "crate::serde_dates::date")]
    pub answer_due: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<EndingAnswer>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub draft: Option<EndingDraft>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<EndingDecision>,
    /// When the person first opened the decision in their space.
    #[serde(default, with = "crate::serde_dates::date::option", skip_serializing_if = "Option::is_none")]
    pub notified_on: Option<Date>,
}

/// Where a procedure stands, for lists and pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndingStage {
    /// The letter is sent; the person may answer until the due date.
    AwaitingAnswer,
    /// The person answered, or the time to answer is over: a decision may be drafted.
    ToDraft,
    /// A draft awaits a section head's signature.
    Drafted,
    /// Decided: the protection ended.
    Ended,
    /// Decided: the protection is maintained.
    Maintained,
}

impl EndingStage {
    pub fn as_str(&self) -> &'static str {
        match self {
            EndingStage::AwaitingAnswer => "awaiting_answer",
            EndingStage::ToDraft => "to_draft",
            EndingStage::Drafted => "drafted",
            EndingStage::Ended => "ended",
            EndingStage::Maintained => "maintained",
        }
    }
}

impl Ending {
    /// Where the procedure stands on `today`.
    pub fn stage(&self, today: Date) -> EndingStage {
        match (&self.decision, &self.draft) {
            (Some(d), _) if d.ends => EndingStage::Ended,
            (Some(_), _) => EndingStage::Maintained,
            (None, Some(_)) => EndingStage::Drafted,
            (None, None) if self.heard(today) => EndingStage::ToDraft,
            (None, None) => EndingStage::AwaitingAnswer,
        }
    }

    /// Whether the person was heard: they answered, or the time to answer is over.
    pub fn heard(&self, today: Date) -> bool {
        self.answer.is_some() || today > self.answer_due
    }

    pub fn is_open(&self) -> bool {
        self.decision.is_none()
    }
}

/// The facts a letter states must be said, and said in full.
pub const FACTS_MIN: usize = 20;
/// Reasons shorter than this are not reasons.
pub const REASONS_MIN: usize = 40;
/// The longest text a field takes.
pub const TEXT_MAX: usize = 20_000;

/// Checks a new procedure: none open already, the facts stated; gives the day the answer is due.
pub fn check_opening(endings: &[Ending], facts: &str, today: Date, rules: &Rules) -> Result<Date, DomainError> {
    if endings.iter().any(Ending::is_open) {
        return Err(DomainError::AlreadyDone("a procedure to end this protection is already open"));
    }
    check_text("facts", facts, FACTS_MIN, "state the facts the office relies on, as the letter will say them")?;
    Ok(rules.duration(rule_id::ENDING_ANSWER_PERIOD, today)?.after(today))
}

/// The open procedure, or a refusal naming the field the step is about.
pub fn open_ending(endings: &[Ending]) -> Result<&Ending, DomainError> {
    endings
        .iter()
        .rev()
        .find(|e| e.is_open())
        .ok_or_else(|| DomainError::validation("ending", "no procedure to end this protection is open"))
}

/// Checks an answer received on `received_on`.
pub fn check_answer(ending: &Ending, received_on: Date, text: &str, today: Date) -> Result<(), DomainError> {
    if ending.answer.is_some() {
        return Err(DomainError::AlreadyDone("the answer is already recorded"));
    }
    if ending.draft.is_some() {
        return Err(DomainError::validation("text", "the decision is drafted: the answer comes too late"));
    }
    if received_on < ending.opened_on {
        return Err(DomainError::validation("received_on", "the answer comes after the office's letter"));
    }
    if received_on > today {
        return Err(DomainError::validation("received_on", "an answer cannot be received in the future"));
    }
    check_text("text", text, 1, "write the answer")
}

/// Checks a draft: the person heard, the reasons given.
pub fn check_draft(ending: &Ending, reasons: &str, today: Date) -> Result<(), DomainError> {
    if !ending.heard(today) {
        return Err(DomainError::NotYet(format!(
            "the person may answer until {}: the decision is drafted after their answer or after that day",
            crate::calendar::format_date(ending.answer_due)
        )));
    }
    check_text("reasons", reasons, REASONS_MIN, "give the reasons in fact and in law, as the decision will state them")
}

/// Checks a signature: a draft to sign, and a signer who did not write it.
pub fn check_signature<'a>(ending: &'a Ending, signer: &Login) -> Result<&'a EndingDraft, DomainError> {
    let Some(draft) = &ending.draft else {
        return Err(DomainError::NotYet("no decision is drafted".into()));
    };
    if draft.by == *signer || ending.opened_by == *signer {
        return Err(DomainError::SelfSignature);
    }
    Ok(draft)
}

fn check_text(field: &'static str, text: &str, min: usize, what: &str) -> Result<(), DomainError> {
    let n = text.trim().chars().count();
    if n < min {
        return Err(DomainError::validation(field, what.to_owned()));
    }
    if n > TEXT_MAX {
        return Err(DomainError::validation(field, format!("at most {TEXT_MAX} characters")));
    }
    Ok(())
}

/// The mention an ended protection leaves in the margin of each act (French, as the act reads).
pub fn mention_text(ground: EndingGround, on: Date) -> String {
    format!(
        "Fin de la protection ({}) par décision du {} : l'office n'établit plus d'acte ni de copie pour cette personne.",
        ground.french(),
        crate::calendar::format_date(on)
    )
}
