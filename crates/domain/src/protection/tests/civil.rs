//! Civil status on a case: acts for the persons of a protected person's file, mentions, copies,
//! and the bad input the registrar must be told about.

use time::macros::date;

use crate::cases::{Command, CommandKind};
use crate::decision::{ConventionGround, Outcome, RefugeeBasis};
use crate::documents::{ContentHash, DocumentKind, NewDocument, Origin};
use crate::error::DomainError;
use crate::person::{BirthDate, Name, Sex};
use crate::protection::{ActFacts, ActKind, ActNumber, MentionKind, NewAct, NewMention, Party};
use crate::test_support::*;

const REGISTRAR: &str = "registrar.a";

/// A refugee whose protection became final on 20 April 2026.
fn protected() -> Harness {
    let granted = draft(Outcome::RefugeeStatus {
        basis: RefugeeBasis::Convention,
        grounds: vec![ConventionGround::PoliticalOpinion],
    });
    let mut h = Harness::made_available(date!(2026 - 01 - 05), granted, date!(2026 - 03 - 02));
    h.on(date!(2026 - 03 - 04)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 03 - 04)) });
    h.on(date!(2026 - 04 - 20)).run(CLERK, Command::BecomeFinal);
    h
}

fn number(seq: u32) -> ActNumber {
    ActNumber::new(2026, seq).expect("valid")
}

fn facts(kind: ActKind) -> ActFacts {
    ActFacts {
        person: 0,
        family_name: Name::new("احمدی", "Ahmadi"),
        given_names: Name::new("محمد", "Mohammad"),
        sex: Sex::Male,
        born_on: if kind == ActKind::Birth { BirthDate::Unknown } else { BirthDate::Year(1990) },
        event_on: match kind {
            ActKind::Birth => BirthDate::Year(1990),
            _ => BirthDate::Exact(date!(2015 - 06 - 12)),
        },
        place: Name::new("کابل", "Kaboul"),
        father: None,
        mother: None,
        spouse: (kind == ActKind::Marriage).then(|| Party {
            family_name: Name::new("نوری", "Nouri"),
            given_names: Name::new("مریم", "Maryam"),
            born_on: BirthDate::YearMonth { year: 1994, month: 3 },
        }),
    }
}

fn act(seq: u32, kind: ActKind) -> Command {
    Command::DrawUpAct(Box::new(NewAct { number: number(seq), kind, facts: facts(kind), documents: vec![] }))
}

fn copy_letter() -> NewDocument {
    NewDocument {
        sha256: ContentHash::parse(&"ab".repeat(32)).expect("hash"),
        media_type: "application/pdf".into(),
        size: 1000,
        pages: 1,
        kind: DocumentKind::CertifiedCopy,
        language: None,
        received_on: date!(2026 - 05 - 04),
        description: "Copie intégrale".into(),
        file_name: "copie.pdf".into(),
        origin: Origin::Issued,
        active_content: Default::default(),
    }
}

fn field(e: DomainError) -> &'static str {
    match e {
        DomainError::Validation { field, .. } => field,
        other => panic!("expected a field error, got {other}"),
    }
}

#[test]
fn acts_wait_for_final_protection() {
    let mut h = Harness::made_available(date!(2026 - 01 - 05), rejection(), date!(2026 - 03 - 02));
    assert!(!h.case.offers(CommandKind::DrawUpAct));
    assert!(matches!(h.err(REGISTRAR, act(1, ActKind::Birth)), DomainError::IllegalTransition { .. }));
    let h = protected();
    assert!(h.case.protection_final());
    assert!(h.case.offers(CommandKind::DrawUpAct));
    assert!(!h.case.offers(CommandKind::AddMention), "a mention needs an act");
}

#[test]
fn a_birth_act_then_a_mention_then_a_copy() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(REGISTRAR, act(7, ActKind::Birth));
    let a = &h.case.civil_acts[0];
    assert_eq!(a.number.to_string(), "EC-2026-000007");
    assert_eq!(a.version(), 0);
    h.run(
        REGISTRAR,
        Command::IssueCopy {
            act: number(7),
            copy: "0123456789abcdefABCD".into(),
            version: 0,
            letter: copy_letter(),
            reference: "r".repeat(26),
            requested: true,
        },
    );
    let copy = &h.case.civil_acts[0].copies[0];
    let document = h.case.documents.iter().find(|d| d.id == copy.document).expect("in the file");
    assert!(document.shared.is_some(), "the copy is in the protected person's space");
    h.run(
        REGISTRAR,
        Command::AddMention {
            act: number(7),
            mention: NewMention {
                kind: MentionKind::Marriage,
                on: date!(2026 - 04 - 30),
                text: " Marié à Lyon. ".into(),
            },
        },
    );
    let a = &h.case.civil_acts[0];
    assert_eq!(a.version(), 1, "the mention supersedes the copy");
    assert_eq!(a.mentions[0].mention.text, "Marié à Lyon.");
    assert!(!crate::protection::copy_is_current(a, 0));
    // A copy printed before the mention is refused: it would be stale on arrival.
    let stale = Command::IssueCopy {
        act: number(7),
        copy: "0123456789abcdefABCE".into(),
        version: 0,
        letter: copy_letter(),
        reference: "s".repeat(26),
        requested: false,
    };
    assert_eq!(field(h.err(REGISTRAR, stale)), "act");
}

#[test]
fn bad_input_is_named_and_stores_nothing() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04));
    // A spouse born after the marriage.
    let mut f = facts(ActKind::Marriage);
    if let Some(s) = f.spouse.as_mut() {
        s.born_on = BirthDate::Exact(date!(2016 - 01 - 01));
    }
    let e = h.err(
        REGISTRAR,
        Command::DrawUpAct(Box::new(NewAct {
            number: number(1),
            kind: ActKind::Marriage,
            facts: f,
            documents: vec![],
        })),
    );
    assert_eq!(field(e), "spouse_born_on");
    // The person's own birth after the marriage.
    let mut f = facts(ActKind::Marriage);
    f.born_on = BirthDate::Year(2020);
    let e = h.err(
        REGISTRAR,
        Command::DrawUpAct(Box::new(NewAct {
            number: number(1),
            kind: ActKind::Marriage,
            facts: f,
            documents: vec![],
        })),
    );
    assert_eq!(field(e), "born_on");
    // A death act for a person the case does not name.
    let mut f = facts(ActKind::Death);
    f.person = 9;
    let e = h.err(
        REGISTRAR,
        Command::DrawUpAct(Box::new(NewAct { number: number(1), kind: ActKind::Death, facts: f, documents: vec![] })),
    );
    assert_eq!(field(e), "person");
    // A document the file does not hold.
    let e = h.err(
        REGISTRAR,
        Command::DrawUpAct(Box::new(NewAct {
            number: number(1),
            kind: ActKind::Birth,
            facts: facts(ActKind::Birth),
            documents: vec![99],
        })),
    );
    assert_eq!(field(e), "documents");
    // A mention on an act that does not exist.
    h.run(REGISTRAR, act(1, ActKind::Birth));
    let mention = NewMention { kind: MentionKind::Divorce, on: date!(2026 - 04 - 01), text: "Divorcé.".into() };
    let e = h.err(REGISTRAR, Command::AddMention { act: number(404), mention: mention.clone() });
    assert_eq!(field(e), "act");
    // A divorce with no marriage recorded.
    assert_eq!(field(h.err(REGISTRAR, Command::AddMention { act: number(1), mention })), "kind");
    // A correction without its grounds.
    let bare = NewMention { kind: MentionKind::Correction, on: date!(2026 - 05 - 04), text: "  ".into() };
    assert_eq!(field(h.err(REGISTRAR, Command::AddMention { act: number(1), mention: bare })), "text");
    // Two birth acts for one person; a number already in the register.
    assert_eq!(field(h.err(REGISTRAR, act(2, ActKind::Birth))), "person");
    assert!(matches!(h.err(REGISTRAR, act(1, ActKind::Marriage)), DomainError::AlreadyDone(_)));
}

#[test]
fn after_a_death_nothing_more_happens_to_the_person() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(REGISTRAR, act(1, ActKind::Birth));
    let mut f = facts(ActKind::Death);
    f.event_on = BirthDate::Exact(date!(2026 - 04 - 25));
    h.run(
        REGISTRAR,
        Command::DrawUpAct(Box::new(NewAct { number: number(2), kind: ActKind::Death, facts: f, documents: vec![] })),
    );
    let late = NewMention { kind: MentionKind::Marriage, on: date!(2026 - 05 - 01), text: "Marié.".into() };
    assert_eq!(field(h.err(REGISTRAR, Command::AddMention { act: number(1), mention: late })), "on");
    let again = NewMention { kind: MentionKind::Death, on: date!(2026 - 04 - 25), text: "Décédé.".into() };
    assert!(matches!(
        h.err(REGISTRAR, Command::AddMention { act: number(1), mention: again }),
        DomainError::AlreadyDone(_)
    ));
}

#[test]
fn act_numbers_read_back() {
    let n = ActNumber::parse(" ec-2026-000123 ").expect("valid");
    assert_eq!(n, number(123));
    for bad in ["2026-000123", "EC-26-1", "EC-2026-", "EC-2026-0000001", "EC-2026-000000", "EC-2026-12a"] {
        assert!(ActNumber::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_family_record_book_needs_a_marriage_or_a_childs_birth() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(REGISTRAR, act(1, ActKind::Birth));
    let book = |kind| {
        let mut letter = copy_letter();
        letter.kind = kind;
        Command::IssueFamilyBook { letter, reference: "abcdefghijklmnopqrstuvwxyz".into() }
    };
    assert!(!h.case.offers(CommandKind::IssueFamilyBook), "the applicant's own birth is not a family");
    assert_eq!(field(h.err(REGISTRAR, book(DocumentKind::FamilyBook))), "act");
    h.run(REGISTRAR, act(2, ActKind::Marriage));
    assert!(h.case.offers(CommandKind::IssueFamilyBook));
    assert_eq!(field(h.err(REGISTRAR, book(DocumentKind::CertifiedCopy))), "letter");
    h.run(REGISTRAR, book(DocumentKind::FamilyBook));
    let d = h.case.documents.last().expect("the book");
    assert_eq!(d.document.kind, DocumentKind::FamilyBook);
    assert!(d.shared.is_some(), "in the protected person's space");
}
