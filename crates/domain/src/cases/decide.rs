//! What a command means for a case: [`decide`] turns it into events or a refusal, reading the time and the
//! rules only from [`Ctx`].

use time::{Date, OffsetDateTime};

use crate::application::{AcceleratedGround, ApplicationKind, Procedure};
use crate::calendar::format_date;
use crate::decision::{ClosureGround, Outcome};
use crate::documents::{self, Custody, Document, DocumentKind, NewDocument, Origin, Original};
use crate::error::DomainError;
use crate::ids::Login;
use crate::messages::{self, Message};
use crate::person::{FamilyRole, Sex};
use crate::protection::{
    cassation_due, check_act, check_defence_text, check_hearing, check_mention, ending, fgm, Appeal, Cassation,
    Certificate, Chambers, CopyIssued, DefenceStage, EndingAnswer, EndingDecision, EndingDraft, Hearing, IncidentKind,
    Report,
};
use crate::rules::{rule_id, DurationUnit, Rules};

use super::case::{Absence, Case, CourtRuling, InterviewNeeds, Status};
use super::command::{status_allows, Command};
use super::deadlines::{self, DeadlineKind};
use super::event::Event;
use super::evolve::evolve;

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

fn illegal(case: &Case, command: &Command) -> DomainError {
    DomainError::IllegalTransition { status: case.status, command: command.kind().as_str() }
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

/// An interview's needs: a sex asked for is female or male and comes with its grounds; the
/// cases heard together are others', each named once.
fn check_needs(case: &Case, needs: &InterviewNeeds) -> Result<(), DomainError> {
    for (field, sex) in [("officer_sex", needs.officer_sex), ("interpreter_sex", needs.interpreter_sex)] {
        if sex == Some(Sex::Unspecified) {
            return Err(DomainError::validation(field, "ask for a woman or a man, or for neither"));
        }
    }
    let grounds = needs.grounds.trim();
    if (needs.officer_sex.is_some() || needs.interpreter_sex.is_some()) && grounds.is_empty() {
        return Err(DomainError::validation("grounds", "say why the applicant asks for it (L.531-17)"));
    }
    if grounds.chars().count() > 2000 {
        return Err(DomainError::validation("grounds", "at most 2,000 characters"));
    }
    if needs.heard_with.contains(&case.number) {
        return Err(DomainError::validation("heard_with", "a case is not heard together with itself"));
    }
    let mut numbers = needs.heard_with.clone();
    numbers.sort();
    numbers.dedup();
    if numbers.len() != needs.heard_with.len() {
        return Err(DomainError::validation("heard_with", "each case is named once"));
    }
    if numbers.len() > 12 {
        return Err(DomainError::validation("heard_with", "at most 12 cases heard together"));
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
    // The status gate first, the same that `Case::allows` answers: one rule, written once.
    if !status_allows(status, command.kind()) {
        return Err(illegal(case, command));
    }
    let event = match command {
        Command::Register(r) => {
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
            if missing.is_empty() {
                return Err(DomainError::validation("missing", "name at least one missing item"));
            }
            non_empty_items("missing", missing)?;
            Event::MarkedIncomplete { missing: missing.clone(), at: now }
        }
        Command::MarkComplete => Event::MarkedComplete { at: now },
        Command::Assign { officer, division, section } => {
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
            // After the court sent the case back, the officer may hear the applicant again.
            if case.status == Status::Interviewed && case.referred_by_court_on.is_none() {
                return Err(DomainError::validation(
                    "interview",
                    "the applicant was heard: a new interview follows only the court's sending the case back",
                ));
            }
            if interview.on < today {
                return Err(DomainError::validation("interview", "an interview cannot be scheduled in the past"));
            }
            Event::InterviewScheduled { interview: interview.clone(), at: now }
        }
        Command::RecordInterviewNeeds(needs) => {
            check_needs(case, needs)?;
            Event::InterviewNeedsRecorded { needs: needs.clone(), at: now }
        }
        Command::RecordAbsence { on, excused, reason } => {
            let Some(interview) = case.interview.as_ref() else {
                return Err(illegal(case, command));
            };
            if *on != interview.on {
                return Err(DomainError::validation(
                    "on",
                    format!("the interview is scheduled for {}", format_date(interview.on)),
                ));
            }
            if case.absences.last().is_some_and(|a| a.on == *on) {
                return Err(DomainError::AlreadyDone("this absence is recorded already"));
            }
            let reason = reason.trim();
            if reason.chars().count() > 2000 {
                return Err(DomainError::validation("reason", "at most 2,000 characters"));
            }
            if *excused {
                // The applicant may excuse themselves before the day: the convocation falls.
                if reason.is_empty() {
                    return Err(DomainError::validation("reason", "say why the absence is excused"));
                }
            } else if today < *on {
                return Err(DomainError::NotYet(format!("the interview is scheduled for {}", format_date(*on))));
            }
            Event::AbsenceRecorded {
                absence: Absence { on: *on, excused: *excused, reason: reason.to_owned() },
                at: now,
            }
        }
        Command::RecordInterview { held_on, record } => {
            let Some(interview) = case.interview.as_ref() else {
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
            let Some(on) = case.interviewed_on else {
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
            require_officer(case, ctx)?;
            Event::SubmittedForReview { at: now }
        }
        Command::ReturnToOfficer { comments } => {
            if comments.trim().is_empty() {
                return Err(DomainError::validation("comments", "say why the draft is returned"));
            }
            Event::ReturnedToOfficer { comments: comments.clone(), at: now }
        }
        Command::Sign => {
            if case.drafted_by.as_ref() == Some(&ctx.actor) || case.officer.as_ref() == Some(&ctx.actor) {
                return Err(DomainError::SelfSignature);
            }
            Event::DecisionSigned { by: ctx.actor.clone(), at: now }
        }
        Command::MakeAvailable => {
            if case.made_available_at.is_some() {
                return Err(DomainError::AlreadyDone("the decision is already in the applicant's secure space"));
            }
            Event::MadeAvailable { at: now }
        }
        Command::RecordFirstOpening { at } => {
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
            let Some(notified_on) = case.notified_on else {
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
            let Some(pending) = case.legal_aid.last().filter(|p| p.decided_on.is_none()) else {
                return Err(DomainError::validation("legal_aid", "no legal-aid request is pending"));
            };
            if *on < pending.requested_on {
                return Err(DomainError::validation("on", "legal aid is decided after it is requested"));
            }
            not_in_future("the legal-aid decision on", *on, ctx)?;
            Event::LegalAidDecided { on: *on, at: now }
        }
        Command::LodgeAppeal { on, notice } => {
            let Some(notified_on) = case.notified_on else {
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
            // The chamber is competent by the applicant's address on the date of the decision.
            let decided_on = case.signed_at.map_or(*on, |s| s.date());
            let appeal = notice.clone().map(|n| {
                let chamber = Chambers::embedded().chamber_for(&n.department, decided_on);
                Appeal::from_notice(n, chamber)
            });
            Event::AppealLodged { on: *on, at: now, appeal }
        }
        Command::BecomeFinal => {
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
            let Some(lodged) = case.appeal_lodged_on else {
                return Err(illegal(case, command));
            };
            if *on < lodged {
                return Err(DomainError::validation("ruled_on", "the court rules after the appeal is lodged"));
            }
            not_in_future("the ruling on", *on, ctx)?;
            if let Some(h) = case.appeal.as_ref().and_then(|a| a.hearing.as_ref()) {
                if *on < h.on {
                    return Err(DomainError::validation("ruled_on", "the court rules at or after the hearing"));
                }
            }
            Event::CourtRuled { ruling: CourtRuling { on: *on, outcome: *ruling }, at: now }
        }
        Command::ScheduleHearing { on, notified_on, formation } => {
            let (Some(lodged), Some(_)) = (case.appeal_lodged_on, case.appeal.as_ref()) else {
                return Err(DomainError::validation("appeal", "record the court's notice of the appeal first"));
            };
            not_in_future("the hearing's notice of", *notified_on, ctx)?;
            let hearing = Hearing { on: *on, notified_on: *notified_on, formation: *formation };
            check_hearing(ctx.rules, lodged, &hearing)?;
            Event::HearingScheduled { hearing, at: now }
        }
        Command::DraftDefence { text } => {
            let Some(appeal) = case.appeal.as_ref() else {
                return Err(DomainError::validation("appeal", "record the court's notice of the appeal first"));
            };
            if appeal.defence.as_ref().is_some_and(|d| d.stage == DefenceStage::Sent) {
                return Err(DomainError::AlreadyDone("the defence was sent to the court"));
            }
            check_defence_text(text)?;
            Event::DefenceDrafted { text: text.clone(), by: ctx.actor.clone(), at: now }
        }
        Command::ReviewDefence { approve, comments } => {
            let Some(defence) = case.appeal.as_ref().and_then(|a| a.defence.as_ref()) else {
                return Err(DomainError::validation("defence", "there is no defence to review"));
            };
            if defence.stage != DefenceStage::Drafted {
                return Err(DomainError::validation("defence", "only a defence waiting for review is reviewed"));
            }
            if defence.drafted_by == ctx.actor {
                return Err(DomainError::validation("reviewer", "another legal consultant reviews the defence"));
            }
            if !*approve && comments.trim().is_empty() {
                return Err(DomainError::validation("comments", "say what to change when returning the defence"));
            }
            Event::DefenceReviewed {
                approved: *approve,
                comments: comments.trim().to_owned(),
                by: ctx.actor.clone(),
                at: now,
            }
        }
        Command::SendDefence { on } => {
            let Some(defence) = case.appeal.as_ref().and_then(|a| a.defence.as_ref()) else {
                return Err(DomainError::validation("defence", "there is no defence to send"));
            };
            if defence.stage != DefenceStage::Approved {
                return Err(DomainError::validation("defence", "only an approved defence is sent to the court"));
            }
            not_in_future("the defence sent on", *on, ctx)?;
            if case.appeal_lodged_on.is_some_and(|l| *on < l) {
                return Err(DomainError::validation("sent_on", "the defence is sent after the appeal is lodged"));
            }
            Event::DefenceSent { on: *on, at: now }
        }
        Command::LodgeCassation { on, by } => {
            let Some(ruling) = case.court_ruling.as_ref() else {
                return Err(DomainError::validation("ruling", "only a ruling of the court goes to the Conseil d'État"));
            };
            if case.appeal.as_ref().is_some_and(|a| a.cassation.is_some()) {
                return Err(DomainError::AlreadyDone("the ruling is already before the Conseil d'État"));
            }
            if *on < ruling.on {
                return Err(DomainError::validation("cassation_on", "a further appeal is lodged after the ruling"));
            }
            not_in_future("the further appeal on", *on, ctx)?;
            let (due, explanation) = cassation_due(ctx.rules, ruling.on)?;
            if *on > due {
                return Err(DomainError::DeadlinePassed(explanation));
            }
            Event::CassationLodged { cassation: Cassation { lodged_on: *on, by: *by }, at: now }
        }
        Command::ExtendDeadline { months, reason } => {
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
        Command::Withdraw | Command::Close { ground: ClosureGround::Withdrawal } => Event::Withdrawn { at: now },
        Command::Close { ground } => {
            if *ground == ClosureGround::AbsenceFromInterview {
                let Some(interview) = case.interview.as_ref().filter(|_| status == Status::InterviewScheduled) else {
                    return Err(DomainError::validation(
                        "ground",
                        "a case is closed for absence only when its interview is scheduled",
                    ));
                };
                if today < interview.on {
                    return Err(DomainError::NotYet(format!(
                        "the interview is scheduled for {}",
                        format_date(interview.on)
                    )));
                }
                // The absence is established first, and found unexcused (L.531-38).
                if case.unexcused_absence().is_none() {
                    return Err(DomainError::validation(
                        "ground",
                        "record the applicant's absence from the interview, unexcused, before closing for it",
                    ));
                }
            }
            Event::Closed { ground: *ground, at: now }
        }
        Command::Reopen => {
            let Some(closed_on) = case.closed_on else {
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
            documents::check_new_documents(new, today, case.introduced_on)?;
            Event::DocumentsAttached { documents: numbered(case, new, ctx), at: now }
        }
        Command::ReceiveOriginal(new) => {
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
            documents::check_reference(reference)?;
            let Some(d) = case.documents.iter().find(|d| d.id == *document) else {
                return Err(DomainError::validation("document", format!("no document {document} in this file")));
            };
            if d.document.origin == Origin::Applicant {
                return Err(DomainError::validation("document", "the applicant already has the documents they sent"));
            }
            if d.document.kind.is_recording() {
                return Err(DomainError::validation(
                    "document",
                    "the interview's recording is not sent to the applicant",
                ));
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
            // A closure for absence is a decision with no notification to follow: its letter is
            // issued with it.
            let closure_letter = !notify
                && letter.kind == DocumentKind::Decision
                && case.status == Status::Closed
                && case.closed == Some(ClosureGround::AbsenceFromInterview);
            if letter.origin != Origin::Issued || ((letter.kind == DocumentKind::Decision) != notify && !closure_letter)
            {
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
            let text = messages::check_message(text, new)?;
            // A message may say something without bringing a document ("I moved: …").
            if !new.is_empty() {
                documents::check_new_documents(new, today, case.introduced_on)?;
            }
            let documents = numbered(case, new, ctx);
            let message = Message {
                id: case.messages.len() as u32 + 1,
                text,
                documents: documents.iter().map(|d| d.id).collect(),
                at: now,
            };
            Event::MessageReceived { message, documents, at: now }
        }
        Command::DrawUpAct(new) => {
            protected(case)?;
            let documents: Vec<u32> = case.documents.iter().map(|d| d.id).collect();
            check_act(new, &case.persons(), &documents, &case.civil_acts, today)?;
            Event::ActDrawnUp { act: new.clone(), by: ctx.actor.clone(), at: now }
        }
        Command::AddMention { act, mention } => {
            protected(case)?;
            check_mention(*act, case.civil_act(*act), &case.civil_acts, mention, today)?;
            let mut mention = mention.clone();
            mention.text = mention.text.trim().to_owned();
            Event::MentionAdded { act: *act, mention, by: ctx.actor.clone(), at: now }
        }
        Command::IssueCopy { act, copy, version, letter, reference, requested } => {
            protected(case)?;
            let Some(current) = case.civil_act(*act) else {
                return Err(DomainError::validation("act", format!("there is no act {act} in this case's register")));
            };
            if current.version() != *version {
                return Err(DomainError::validation(
                    "act",
                    "the act changed while its copy was printed: print it again",
                ));
            }
            if letter.kind != DocumentKind::CertifiedCopy || letter.origin != Origin::Issued {
                return Err(DomainError::validation("letter", "a certified copy the office issues"));
            }
            if copy.len() < 16 || !copy.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(DomainError::validation(
                    "copy",
                    "a copy's reference is random, at least 16 letters or digits",
                ));
            }
            let mut events =
                decide(case, &Command::IssueLetter { letter: letter.clone(), reference: reference.clone() }, ctx)?;
            let document = case.documents.len() as u32 + 1;
            events.push(Event::CopyIssued {
                act: *act,
                copy: CopyIssued {
                    id: copy.clone(),
                    version: *version,
                    document,
                    sha256: letter.sha256.clone(),
                    requested: *requested,
                    by: ctx.actor.clone(),
                    at: now,
                },
            });
            return Ok(events);
        }
        Command::IssueFamilyBook { letter, reference } => {
            protected(case)?;
            if !case.has_family_acts() {
                return Err(DomainError::validation(
                    "act",
                    "a family record book needs a marriage act or a child's birth act in the register",
                ));
            }
            if letter.kind != DocumentKind::FamilyBook || letter.origin != Origin::Issued {
                return Err(DomainError::validation("letter", "the family record book the office prints"));
            }
            return decide(case, &Command::IssueLetter { letter: letter.clone(), reference: reference.clone() }, ctx);
        }
        Command::OpenFgmFollowUp { person } => {
            protected(case)?;
            let ends_on = fgm::check_opening(&case.persons(), &case.fgm, *person, today)?;
            Event::FgmFollowUpOpened { person: *person, ends_on, at: now }
        }
        Command::SendFgmLetter { person, on, letter, reference } => {
            protected(case)?;
            let f = fgm::open_follow_up(&case.fgm, *person, today)?;
            not_in_future("the letter sent on", *on, ctx)?;
            if *on < f.opened_on {
                return Err(DomainError::validation("on", "the letter is sent once the follow-up is open"));
            }
            let due_on = fgm::due_after_letter(ctx.rules, *on)?;
            let Some(letter) = letter else {
                return Ok(vec![Event::FgmLetterSent { person: *person, on: *on, document: None, due_on, at: now }]);
            };
            if letter.kind != DocumentKind::FgmLetter || letter.origin != Origin::Issued {
                return Err(DomainError::validation("letter", "the office's letter to her legal representatives"));
            }
            let reference = reference.clone().unwrap_or_default();
            let mut events = decide(case, &Command::IssueLetter { letter: letter.clone(), reference }, ctx)?;
            let document = Some(case.documents.len() as u32 + 1);
            events.push(Event::FgmLetterSent { person: *person, on: *on, document, due_on, at: now });
            return Ok(events);
        }
        Command::ReceiveFgmCertificate { person, examined_on, mutilation_found, document } => {
            protected(case)?;
            let f = fgm::open_follow_up(&case.fgm, *person, today)?;
            not_in_future("the examination on", *examined_on, ctx)?;
            if *examined_on < f.opened_on {
                return Err(DomainError::validation(
                    "examined_on",
                    "the examination follows the opening of the follow-up",
                ));
            }
            if document.kind != DocumentKind::FgmCertificate || document.origin != Origin::Scan {
                return Err(DomainError::validation(
                    "document",
                    "the medical unit's certificate, received and scanned",
                ));
            }
            documents::check_new_documents(std::slice::from_ref(document), today, case.introduced_on)?;
            let document = numbered(case, std::slice::from_ref(document), ctx).remove(0);
            let certificate =
                Certificate { examined_on: *examined_on, document: document.id, mutilation_found: *mutilation_found };
            let report = mutilation_found.then(|| report(IncidentKind::MutilationFound, *examined_on, now));
            Event::FgmCertificateReceived {
                person: *person,
                certificate,
                document,
                due_on: fgm::next_examination(ctx.rules, *examined_on)?,
                report,
                at: now,
            }
        }
        Command::ReportFgmIncident { person, on, kind } => {
            protected(case)?;
            fgm::open_follow_up(&case.fgm, *person, today)?;
            not_in_future("the incident on", *on, ctx)?;
            Event::FgmReportPrepared { person: *person, report: report(*kind, *on, now) }
        }
        Command::AdvanceFgmExamination { person, on, grounds } => {
            protected(case)?;
            let f = fgm::open_follow_up(&case.fgm, *person, today)?;
            if grounds.trim().is_empty() {
                return Err(DomainError::validation("grounds", "state the serious grounds for an earlier examination"));
            }
            if *on < today || *on >= f.due_on {
                return Err(DomainError::validation(
                    "on",
                    format!("an earlier examination falls from today to before {}", format_date(f.due_on)),
                ));
            }
            Event::FgmExaminationAdvanced { person: *person, on: *on, grounds: grounds.trim().to_owned(), at: now }
        }
        Command::SignFgmReport { person, report } => {
            let Some(f) = case.fgm.iter().find(|f| f.person == *person) else {
                return Err(DomainError::validation("person", format!("no follow-up for person n° {person}")));
            };
            let Some(r) = (*report as usize).checked_sub(1).and_then(|i| f.reports.get(i)) else {
                return Err(DomainError::validation("report", format!("there is no report n° {report}")));
            };
            if r.signed_by.is_some() {
                return Err(DomainError::AlreadyDone("this report is signed"));
            }
            Event::FgmReportSigned { person: *person, report: *report, by: ctx.actor.clone(), at: now }
        }
        Command::OpenEnding { ground, facts, letter, reference } => {
            protected(case)?;
            let answer_due = ending::check_opening(&case.endings, facts, today, ctx.rules)?;
            ending_letter(letter, DocumentKind::EndingLetter)?;
            let mut events =
                decide(case, &Command::IssueLetter { letter: letter.clone(), reference: reference.clone() }, ctx)?;
            events.push(Event::EndingOpened {
                ground: *ground,
                facts: facts.trim().to_owned(),
                letter: case.documents.len() as u32 + 1,
                answer_due,
                by: ctx.actor.clone(),
                at: now,
            });
            return Ok(events);
        }
        Command::RecordEndingAnswer { received_on, text, via_portal } => {
            let open = ending::open_ending(&case.endings)?;
            ending::check_answer(open, *received_on, text, today)?;
            let answer = EndingAnswer {
                received_on: *received_on,
                text: text.trim().to_owned(),
                via_portal: *via_portal,
                by: ctx.actor.clone(),
            };
            Event::EndingAnswered { answer, at: now }
        }
        Command::DraftEnding { ends, reasons } => {
            let open = ending::open_ending(&case.endings)?;
            ending::check_draft(open, reasons, today)?;
            Event::EndingDrafted {
                draft: EndingDraft { ends: *ends, reasons: reasons.trim().to_owned(), by: ctx.actor.clone(), at: now },
            }
        }
        Command::SignEnding { letter, reference } => {
            let open = ending::open_ending(&case.endings)?;
            let draft = ending::check_signature(open, &ctx.actor)?;
            ending_letter(letter, DocumentKind::EndingDecision)?;
            let mut events =
                decide(case, &Command::IssueLetter { letter: letter.clone(), reference: reference.clone() }, ctx)?;
            events.push(Event::EndingDecided {
                decision: EndingDecision {
                    ends: draft.ends,
                    signed_by: ctx.actor.clone(),
                    signed_at: now,
                    document: case.documents.len() as u32 + 1,
                },
            });
            return Ok(events);
        }
    };
    Ok(vec![event])
}

/// A report to the prosecutor, prepared now for a person to sign.
fn report(kind: IncidentKind, on: Date, now: OffsetDateTime) -> Report {
    Report { kind, on, text: kind.report_text().to_owned(), prepared_at: now, signed_by: None, signed_at: None }
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

/// The letter of a step of the end of protection: issued by the office, of its kind.
fn ending_letter(letter: &NewDocument, kind: DocumentKind) -> Result<(), DomainError> {
    if letter.kind != kind || letter.origin != Origin::Issued {
        return Err(DomainError::validation("letter", format!("the office's {} letter", kind.as_str())));
    }
    Ok(())
}

/// Civil status is drawn up only for a person whose protection is final.
fn protected(case: &Case) -> Result<(), DomainError> {
    if let Some(on) = case.protection_ended() {
        return Err(DomainError::validation(
            "case",
            format!("the protection ended on {}: the office no longer acts for this person", format_date(on)),
        ));
    }
    if !case.protection_final() {
        return Err(DomainError::validation("case", "civil status is drawn up once protection is final"));
    }
    Ok(())
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
