//! The follow-up of a girl protected from FGM on a case: opening, the letter and its answer time,
//! certificates every five years or sooner on serious grounds, reports prepared for a person's
//! signature, the end at majority, and the bad input named by field.

use time::macros::date;

use crate::application::Procedure;
use crate::cases::{Command, CommandKind};
use crate::decision::{ConventionGround, Outcome, RefugeeBasis};
use crate::documents::{ContentHash, DocumentKind, NewDocument, Origin};
use crate::error::DomainError;
use crate::person::{BirthDate, FamilyRole, Name, Person, Sex};
use crate::protection::IncidentKind;
use crate::test_support::*;

const KEEPER: &str = "registrar.a";
const DIRECTOR: &str = "dg.a";

/// A mother and her daughter born in 2015, refugees since 20 April 2026.
pub(super) fn protected() -> Harness {
    let mut r = registration(date!(2026 - 01 - 05), Procedure::Normal);
    r.family.push(Person {
        role: FamilyRole::Child,
        family_name: Name::new("حداد", "Haddad"),
        given_names: Name::new("سلمى", "Salma"),
        birth_date: BirthDate::Exact(date!(2015 - 06 - 01)),
        sex: Sex::Female,
        nationality: r.nationality,
        birth_place: None,
    });
    let granted =
        draft(Outcome::RefugeeStatus { basis: RefugeeBasis::Convention, grounds: vec![ConventionGround::SocialGroup] });
    let mut h = Harness::made_available_from(r, granted, date!(2026 - 03 - 02));
    h.on(date!(2026 - 03 - 04)).run(CLERK, Command::RecordFirstOpening { at: at(date!(2026 - 03 - 04)) });
    h.on(date!(2026 - 04 - 20)).run(CLERK, Command::BecomeFinal);
    h
}

fn certificate(kind: DocumentKind) -> NewDocument {
    certificate_on(kind, date!(2026 - 07 - 01))
}

fn certificate_on(kind: DocumentKind, received_on: time::Date) -> NewDocument {
    NewDocument {
        sha256: ContentHash::parse(&"ef".repeat(32)).expect("hash"),
        media_type: "application/pdf".into(),
        size: 1000,
        pages: 1,
        kind,
        language: None,
        received_on,
        description: "Certificat UMJ".into(),
        file_name: "certificat.pdf".into(),
        origin: Origin::Scan,
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
fn a_girls_follow_up_from_the_letter_to_the_report() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04));
    assert!(h.case.offers(CommandKind::OpenFgmFollowUp));
    // Her mother is of age; a person the case does not name.
    assert_eq!(field(h.err(KEEPER, Command::OpenFgmFollowUp { person: 0 })), "person");
    assert_eq!(field(h.err(KEEPER, Command::OpenFgmFollowUp { person: 7 })), "person");
    h.run(KEEPER, Command::OpenFgmFollowUp { person: 1 });
    let f = &h.case.fgm[0];
    assert_eq!((f.ends_on, f.due_on), (date!(2033 - 06 - 01), date!(2026 - 05 - 04)));
    h.run(KEEPER, Command::SendFgmLetter { person: 1, on: date!(2026 - 05 - 04), letter: None, reference: None });
    assert_eq!(h.case.fgm[0].due_on, date!(2026 - 08 - 04), "three months to answer");

    // A certificate must be one: restricted, never in the applicant's space.
    let wrong = Command::ReceiveFgmCertificate {
        person: 1,
        examined_on: date!(2026 - 06 - 30),
        mutilation_found: false,
        document: certificate(DocumentKind::MedicalCertificate),
    };
    h.on(date!(2026 - 07 - 01));
    assert_eq!(field(h.err(KEEPER, wrong)), "document");
    h.run(
        KEEPER,
        Command::ReceiveFgmCertificate {
            person: 1,
            examined_on: date!(2026 - 06 - 30),
            mutilation_found: false,
            document: certificate(DocumentKind::FgmCertificate),
        },
    );
    let f = &h.case.fgm[0];
    assert_eq!(f.due_on, date!(2031 - 06 - 30), "five years to the next examination");
    let doc = h.case.documents.last().expect("the certificate");
    assert_eq!(doc.document.kind, DocumentKind::FgmCertificate);
    assert!(doc.shared.is_none() && doc.document.kind.is_restricted());

    // Sooner on serious grounds, stated.
    let bare = Command::AdvanceFgmExamination { person: 1, on: date!(2026 - 09 - 01), grounds: " ".into() };
    assert_eq!(field(h.err(KEEPER, bare)), "grounds");
    h.run(
        KEEPER,
        Command::AdvanceFgmExamination {
            person: 1,
            on: date!(2026 - 09 - 01),
            grounds: "Un voyage au pays est annoncé.".into(),
        },
    );
    assert_eq!(h.case.fgm[0].due_on, date!(2026 - 09 - 01));

    // A refusal: the report is prepared at once, a person signs it.
    h.on(date!(2026 - 09 - 05));
    h.run(KEEPER, Command::ReportFgmIncident { person: 1, on: date!(2026 - 09 - 02), kind: IncidentKind::Refusal });
    assert_eq!(h.case.fgm[0].unsigned_reports(), 1);
    assert!(h.case.offers(CommandKind::SignFgmReport));
    assert_eq!(field(h.err(DIRECTOR, Command::SignFgmReport { person: 1, report: 2 })), "report");
    h.run(DIRECTOR, Command::SignFgmReport { person: 1, report: 1 });
    let r = &h.case.fgm[0].reports[0];
    assert_eq!(r.signed_by.as_ref().map(|l| l.as_str()), Some(DIRECTOR));
    assert!(matches!(h.err(DIRECTOR, Command::SignFgmReport { person: 1, report: 1 }), DomainError::AlreadyDone(_)));
}

#[test]
fn a_finding_prepares_its_report_and_the_follow_up_ends_at_majority() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(KEEPER, Command::OpenFgmFollowUp { person: 1 });
    h.run(
        KEEPER,
        Command::ReceiveFgmCertificate {
            person: 1,
            examined_on: date!(2026 - 05 - 04),
            mutilation_found: true,
            document: certificate_on(DocumentKind::FgmCertificate, date!(2026 - 05 - 04)),
        },
    );
    let f = &h.case.fgm[0];
    assert_eq!(f.reports.len(), 1);
    assert_eq!(f.reports[0].kind, IncidentKind::MutilationFound);
    assert!(f.reports[0].signed_by.is_none(), "prepared, not signed: a person signs");
    h.on(date!(2033 - 06 - 01));
    let late = Command::SendFgmLetter { person: 1, on: date!(2033 - 06 - 01), letter: None, reference: None };
    assert_eq!(field(h.err(KEEPER, late)), "person");
}

#[test]
fn the_printed_letter_joins_the_file_and_the_familys_space() {
    let mut h = protected();
    h.on(date!(2026 - 05 - 04)).run(KEEPER, Command::OpenFgmFollowUp { person: 1 });
    let mut letter = certificate_on(DocumentKind::FgmLetter, date!(2026 - 05 - 04));
    letter.origin = Origin::Issued;
    let send = |letter: NewDocument| Command::SendFgmLetter {
        person: 1,
        on: date!(2026 - 05 - 04),
        letter: Some(letter),
        reference: Some("abcdefghijklmnopqrstuvwxyz".into()),
    };
    let mut scanned = letter.clone();
    scanned.origin = Origin::Scan;
    assert_eq!(field(h.err(KEEPER, send(scanned))), "letter");
    h.run(KEEPER, send(letter));
    let f = &h.case.fgm[0];
    let id = *f.letter_documents.first().expect("the letter's document");
    let d = h.case.documents.iter().find(|d| d.id == id).expect("in the file");
    assert_eq!(d.document.kind, DocumentKind::FgmLetter);
    assert!(d.shared.is_some());
    assert_eq!(f.due_on, date!(2026 - 08 - 04));
}
