//! How an event changes a case: [`evolve`], the fold every replay of the journal goes through.

use time::Date;

use crate::application::Procedure;
use crate::decision::ClosureGround;
use crate::documents::{self, Shared};

use crate::protection::{
    ending, CivilAct, Defence, DefenceStage, Ending, FgmFollowUp, Mention, MentionKind, NewMention,
};

use super::case::{Case, CourtOutcome, Extension, LegalAidPeriod, NotificationBasis, Status};
use super::event::Event;

impl Case {
    /// Fold events from the initial state.
    pub fn replay<'e>(events: impl IntoIterator<Item = &'e Event>) -> Case {
        events.into_iter().fold(Case::initial(), evolve)
    }
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
            // A new hearing after the court sent the case back: the earlier one is in the journal.
            case.interviewed_on = None;
        }
        Event::InterviewNeedsRecorded { needs, .. } => {
            case.interview_needs = Some(needs.clone());
        }
        Event::AbsenceRecorded { absence, .. } => {
            // Excused, the convocation falls and the case is convened again; unexcused, the
            // interview stays on record for the closure.
            if absence.excused {
                case.status = Status::Assigned;
                case.interview = None;
            }
            case.absences.push(absence.clone());
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
        Event::AppealLodged { on, appeal, .. } => {
            case.status = Status::Appealed;
            case.appeal_lodged_on = Some(*on);
            case.appeal = appeal.clone();
        }
        Event::BecameFinal { .. } => case.status = Status::Final,
        Event::CourtRuled { ruling, .. } => match ruling.outcome {
            // The appeal fails: the office's decision becomes final.
            CourtOutcome::AppealRejected => {
                case.status = Status::Final;
                case.court_ruling = Some(ruling.clone());
            }
            CourtOutcome::RefugeeStatusGranted | CourtOutcome::SubsidiaryProtectionGranted => {
                case.status = Status::CourtDecided;
                case.court_ruling = Some(ruling.clone());
            }
            // Annulled and sent back: the examination resumes after the interview, the decision,
            // its notification and the appeal are undone (the journal and `appeal` keep them).
            CourtOutcome::DecisionAnnulled => {
                case.status = Status::Interviewed;
                case.referred_by_court_on = Some(ruling.on);
                case.draft = None;
                case.drafted_by = None;
                case.review_comments.clear();
                case.signed_by = None;
                case.signed_at = None;
                case.made_available_at = None;
                case.notified_on = None;
                case.notification_basis = None;
                case.legal_aid.clear();
                case.appeal_lodged_on = None;
                case.court_ruling = None;
            }
        },
        Event::HearingScheduled { hearing, .. } => {
            if let Some(a) = case.appeal.as_mut() {
                a.formation = hearing.formation;
                a.hearing = Some(hearing.clone());
            }
        }
        Event::DefenceDrafted { text, by, .. } => {
            if let Some(a) = case.appeal.as_mut() {
                let comments = a.defence.take().map(|d| d.comments).unwrap_or_default();
                a.defence = Some(Defence {
                    text: text.clone(),
                    drafted_by: by.clone(),
                    stage: DefenceStage::Drafted,
                    reviewed_by: None,
                    comments,
                    sent_on: None,
                });
            }
        }
        Event::DefenceReviewed { approved, comments, by, .. } => {
            if let Some(d) = case.appeal.as_mut().and_then(|a| a.defence.as_mut()) {
                d.stage = if *approved { DefenceStage::Approved } else { DefenceStage::Returned };
                d.reviewed_by = Some(by.clone());
                if !comments.is_empty() {
                    d.comments.push(comments.clone());
                }
            }
        }
        Event::DefenceSent { on, .. } => {
            if let Some(d) = case.appeal.as_mut().and_then(|a| a.defence.as_mut()) {
                d.stage = DefenceStage::Sent;
                d.sent_on = Some(*on);
            }
        }
        Event::CassationLodged { cassation, .. } => {
            if let Some(a) = case.appeal.as_mut() {
                a.cassation = Some(cassation.clone());
            }
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
            // Opening the decision on the protection notifies it.
            for e in &mut case.endings {
                if e.decision.as_ref().is_some_and(|d| d.document == *document) {
                    e.notified_on.get_or_insert(at.date());
                }
            }
        }
        Event::MessageReceived { message, documents, .. } => {
            case.documents.extend(documents.iter().cloned());
            case.messages.push(message.clone());
        }
        Event::ActDrawnUp { act, by, at } => case.civil_acts.push(CivilAct {
            number: act.number,
            kind: act.kind,
            facts: act.facts.clone(),
            documents: act.documents.clone(),
            drawn_up_by: by.clone(),
            drawn_up_at: *at,
            mentions: Vec::new(),
            copies: Vec::new(),
        }),
        Event::MentionAdded { act, mention, by, at } => {
            if let Some(a) = case.civil_acts.iter_mut().find(|a| a.number == *act) {
                a.mentions.push(Mention { mention: mention.clone(), by: by.clone(), at: *at });
            }
        }
        Event::CopyIssued { act, copy } => {
            if let Some(a) = case.civil_acts.iter_mut().find(|a| a.number == *act) {
                a.copies.push(copy.clone());
            }
        }
        Event::FgmFollowUpOpened { person, ends_on, at } => case.fgm.push(FgmFollowUp {
            person: *person,
            opened_on: at.date(),
            ends_on: *ends_on,
            // The letter asking for the first examination is due at once.
            due_on: at.date(),
            letters: Vec::new(),
            certificates: Vec::new(),
            advanced: Vec::new(),
            reports: Vec::new(),
            closed_on: None,
            letter_documents: Vec::new(),
        }),
        Event::FgmLetterSent { person, on, due_on, document, .. } => {
            if let Some(f) = case.fgm.iter_mut().find(|f| f.person == *person) {
                f.letters.push(*on);
                f.letter_documents.extend(*document);
                f.due_on = *due_on;
            }
        }
        Event::FgmCertificateReceived { person, certificate, document, due_on, report, .. } => {
            case.documents.push(document.clone());
            if let Some(f) = case.fgm.iter_mut().find(|f| f.person == *person) {
                f.certificates.push(certificate.clone());
                f.due_on = *due_on;
                f.reports.extend(report.clone());
            }
        }
        Event::FgmReportPrepared { person, report } => {
            if let Some(f) = case.fgm.iter_mut().find(|f| f.person == *person) {
                f.reports.push(report.clone());
            }
        }
        Event::FgmExaminationAdvanced { person, on, grounds, .. } => {
            if let Some(f) = case.fgm.iter_mut().find(|f| f.person == *person) {
                f.advanced.push((*on, grounds.clone()));
                f.due_on = *on;
            }
        }
        Event::FgmReportSigned { person, report, by, at } => {
            if let Some(r) = case
                .fgm
                .iter_mut()
                .find(|f| f.person == *person)
                .and_then(|f| (*report as usize).checked_sub(1).and_then(|i| f.reports.get_mut(i)))
            {
                r.signed_by = Some(by.clone());
                r.signed_at = Some(*at);
            }
        }
        Event::EndingOpened { ground, facts, letter, answer_due, by, at } => case.endings.push(Ending {
            ground: *ground,
            facts: facts.clone(),
            opened_by: by.clone(),
            opened_on: at.date(),
            letter: *letter,
            answer_due: *answer_due,
            answer: None,
            draft: None,
            decision: None,
            notified_on: None,
        }),
        Event::EndingAnswered { answer, .. } => {
            if let Some(e) = case.endings.iter_mut().rev().find(|e| e.is_open()) {
                e.answer = Some(answer.clone());
            }
        }
        Event::EndingDrafted { draft } => {
            if let Some(e) = case.endings.iter_mut().rev().find(|e| e.is_open()) {
                e.draft = Some(draft.clone());
            }
        }
        Event::EndingDecided { decision } => {
            let Some(e) = case.endings.iter_mut().rev().find(|e| e.is_open()) else {
                return case;
            };
            e.decision = Some(decision.clone());
            if decision.ends {
                let on = decision.signed_at.date();
                let mention =
                    NewMention { kind: MentionKind::EndOfProtection, on, text: ending::mention_text(e.ground, on) };
                for act in &mut case.civil_acts {
                    act.mentions.push(Mention {
                        mention: mention.clone(),
                        by: decision.signed_by.clone(),
                        at: decision.signed_at,
                    });
                }
                for f in &mut case.fgm {
                    if f.closed_on.is_none() && on < f.ends_on {
                        f.closed_on = Some(on);
                    }
                }
            }
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
