//! The end of a protection on a case: the letter and the time to answer, the answer, the draft
//! signed by another person, and what an ended protection does to the acts and the follow-ups.

use time::macros::date;

use crate::cases::{Command, CommandKind};
use crate::documents::{ContentHash, DocumentKind, NewDocument, Origin};
use crate::error::DomainError;
use crate::protection::{ActFacts, ActKind, ActNumber, EndingGround, EndingStage, MentionKind, NewAct};
use crate::test_support::*;

use super::fgm::protected;

const OFFICER_P: &str = "officer.p";
const HEAD: &str = "head.p";

fn letter(kind: DocumentKind, on: time::Date) -> NewDocument {
    NewDocument {
        sha256: ContentHash::parse(&"cd".repeat(32)).expect("hash"),
        media_type: "application/pdf".into(),
        size: 1000,
        pages: 1,
        kind,
        language: None,
        received_on: on,
        description: "Lettre".into(),
        file_name: "lettre.pdf".into(),
        origin: Origin::Issued,
        active_content: Default::default(),
    }
}

fn open(ground: EndingGround, on: time::Date) -> Command {
    Command::OpenEnding {
        ground,
        facts: "Returned to the country of origin three times in 2026 with a national passport.".into(),
        letter: letter(DocumentKind::EndingLetter, on),
        reference: "abcdefghijklmnopqrstuvwxyz".into(),
    }
}

fn sign(on: time::Date) -> Command {
    Command::SignEnding {
        letter: letter(DocumentKind::EndingDecision, on),
        reference: "abcdefghijklmnopqrstuvwxy2".into(),
    }
}

fn field(e: DomainError) -> &'static str {
    match e {
        DomainError::Validation { field, .. } => field,
        other => panic!("expected a field error, got {other}"),
    }
}

const REASONS: &str = "The person re-availed herself of the protection of her country: passport renewed, three stays.";

#[test]
fn an_ended_protection_mentions_itself_on_the_acts_and_closes_the_follow_up() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04));
    let facts = ActFacts {
        person: 1,
        family_name: crate::person::Name::new("حداد", "Haddad"),
        given_names: crate::person::Name::new("سلمى", "Salma"),
        sex: crate::person::Sex::Female,
        born_on: crate::person::BirthDate::Unknown,
        event_on: crate::person::BirthDate::Exact(date!(2015 - 06 - 01)),
        place: crate::person::Name::new("حلب", "Alep"),
        father: None,
        mother: None,
        spouse: None,
    };
    let number = ActNumber::new(2026, 1).expect("valid");
    h.run(
        "registrar.a",
        Command::DrawUpAct(Box::new(NewAct { number, kind: ActKind::Birth, facts, documents: vec![] })),
    );
    h.run("registrar.a", Command::OpenFgmFollowUp { person: 1 });
    assert!(h.case.offers(CommandKind::OpenEnding));

    // The facts must be stated; the letter must be the office's.
    let mut bare = open(EndingGround::Cessation, date!(2026 - 05 - 04));
    if let Command::OpenEnding { facts, .. } = &mut bare {
        *facts = "  too short ".into();
    }
    assert_eq!(field(h.err(OFFICER_P, bare)), "facts");
    let mut scanned = open(EndingGround::Cessation, date!(2026 - 05 - 04));
    if let Command::OpenEnding { letter, .. } = &mut scanned {
        letter.origin = Origin::Scan;
    }
    assert_eq!(field(h.err(OFFICER_P, scanned)), "letter");

    h.run(OFFICER_P, open(EndingGround::Cessation, date!(2026 - 05 - 04)));
    let e = h.case.open_ending().expect("open");
    assert_eq!(e.answer_due, date!(2026 - 06 - 04), "one month to answer");
    assert_eq!(e.stage(date!(2026 - 05 - 04)), EndingStage::AwaitingAnswer);
    let shared = h.case.documents.iter().find(|d| d.id == e.letter).expect("the letter");
    assert!(shared.shared.is_some(), "the letter is in the person's space");
    assert_eq!(h.err(OFFICER_P, open(EndingGround::Fraud, date!(2026 - 05 - 04))).code(), "already_done");

    // Not drafted before the person was heard.
    assert_eq!(h.err(OFFICER_P, Command::DraftEnding { ends: true, reasons: REASONS.into() }).code(), "not_yet");
    let answer = |on, text: &str| Command::RecordEndingAnswer { received_on: on, text: text.into(), via_portal: true };
    assert_eq!(field(h.err("applicant", answer(date!(2026 - 05 - 03), "I went to bury my father."))), "received_on");
    assert_eq!(field(h.err("applicant", answer(date!(2026 - 05 - 05), "Too early."))), "received_on");
    assert_eq!(field(h.err("applicant", answer(date!(2026 - 05 - 04), "   "))), "text");
    h.run("applicant", answer(date!(2026 - 05 - 04), "I went back once, to bury my father."));
    assert_eq!(h.err("applicant", answer(date!(2026 - 05 - 04), "Again.")).code(), "already_done");
    assert_eq!(h.case.open_ending().map(|e| e.stage(date!(2026 - 05 - 04))), Some(EndingStage::ToDraft));

    assert_eq!(field(h.err(OFFICER_P, Command::DraftEnding { ends: true, reasons: "Short.".into() })), "reasons");
    h.run(OFFICER_P, Command::DraftEnding { ends: true, reasons: REASONS.into() });
    // Four eyes: neither the drafter nor the officer who opened it signs.
    assert_eq!(h.err(OFFICER_P, sign(date!(2026 - 05 - 04))).code(), "self_signature");
    h.on(date!(2026 - 05 - 06)).run(HEAD, sign(date!(2026 - 05 - 06)));

    assert_eq!(h.case.protection_ended(), Some(date!(2026 - 05 - 06)));
    assert!(!h.case.protection_final());
    assert!(!h.case.offers(CommandKind::OpenEnding) && !h.case.offers(CommandKind::DrawUpAct));
    let act = &h.case.civil_acts[0];
    let last = act.mentions.last().expect("a mention");
    assert_eq!(last.mention.kind, MentionKind::EndOfProtection);
    assert!(last.mention.text.contains("cessation"), "{}", last.mention.text);
    assert_eq!(h.case.fgm[0].closed_on, Some(date!(2026 - 05 - 06)));
    assert!(h.case.fgm[0].ended(date!(2026 - 05 - 06)));
    // The office no longer acts for the person.
    let e = h.err(
        "registrar.a",
        Command::SendFgmLetter { person: 1, on: date!(2026 - 05 - 06), letter: None, reference: None },
    );
    assert!(matches!(&e, DomainError::Validation { reason, .. } if reason.contains("6 May 2026")), "{e}");

    // Opening the decision in the space notifies it.
    let document = h.case.endings[0].decision.as_ref().map(|d| d.document).expect("decided");
    h.on(date!(2026 - 05 - 08)).run("applicant", Command::OpenDocument { document });
    assert_eq!(h.case.endings[0].notified_on, Some(date!(2026 - 05 - 08)));
}

#[test]
fn without_an_answer_the_decision_waits_for_the_end_of_the_month_and_may_maintain_the_protection() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(OFFICER_P, open(EndingGround::Renunciation, date!(2026 - 05 - 04)));
    h.on(date!(2026 - 06 - 04));
    assert_eq!(h.err(OFFICER_P, Command::DraftEnding { ends: false, reasons: REASONS.into() }).code(), "not_yet");
    h.on(date!(2026 - 06 - 05)).run(OFFICER_P, Command::DraftEnding { ends: false, reasons: REASONS.into() });
    assert!(h.case.offers(CommandKind::SignEnding));
    h.run(HEAD, sign(date!(2026 - 06 - 05)));
    assert_eq!(h.case.endings[0].stage(date!(2026 - 06 - 05)), EndingStage::Maintained);
    assert!(h.case.protection_final(), "a maintained protection goes on");
    assert!(h.case.offers(CommandKind::OpenEnding), "a later procedure may open");
}

#[test]
fn a_protection_not_final_cannot_be_ended_and_a_registrar_cannot_write_the_end() {
    let mut h = Harness::made_available(date!(2026 - 01 - 05), rejection(), date!(2026 - 03 - 02));
    assert!(!h.case.offers(CommandKind::OpenEnding));
    assert_eq!(h.err(OFFICER_P, open(EndingGround::Fraud, date!(2026 - 03 - 02))).code(), "illegal_transition");
    let e = crate::protection::check_mention(
        ActNumber::new(2026, 1).expect("valid"),
        None,
        &[],
        &crate::protection::NewMention {
            kind: MentionKind::EndOfProtection,
            on: date!(2026 - 03 - 02),
            text: "x".into(),
        },
        date!(2026 - 03 - 02),
    );
    assert!(e.is_err());
}
