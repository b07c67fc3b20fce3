//! Fixtures shared by the store's integration tests.
#![allow(dead_code)]

use nansen_domain::application::{ApplicationKind, Procedure};
use nansen_domain::ids::{CaseNumber, DivisionId, Language, Login, Nationality, SectionId};
use nansen_domain::lifecycle::{Command, Registration};
use nansen_domain::person::{BirthDate, FamilyRole, Name, Person, Sex};
use nansen_store::{Action, Applied, Op, Store};
use time::macros::{date, datetime};
use time::OffsetDateTime;

pub fn login(s: &str) -> Login {
    Login::parse(s).expect("login")
}

pub const T0: OffsetDateTime = datetime!(2026-03-02 09:00 UTC);

pub fn registration(i: u32) -> Command {
    let applicant = Person {
        role: FamilyRole::Applicant,
        family_name: Name::new("احمدی", format!("Ahmadi{}", "i".repeat((i % 3) as usize))),
        given_names: Name::new("محمد", "Mohammad"),
        birth_date: if i.is_multiple_of(2) { BirthDate::Year(1990) } else { BirthDate::Exact(date!(1988 - 05 - 17)) },
        sex: Sex::Male,
        nationality: Nationality::parse("AFG").expect("AFG"),
        birth_place: Some("Herat".into()),
    };
    Command::Register(Registration {
        number: CaseNumber::new(2026, 1).expect("number"),
        kind: ApplicationKind::Asylum,
        procedure: Procedure::Normal,
        nationality: applicant.nationality,
        language: Language::parse("prs").expect("prs"),
        applicant,
        family: Vec::new(),
        introduced_on: date!(2026 - 03 - 02),
        missing: Vec::new(),
    })
}

pub async fn register(store: &Store, i: u32) -> Applied {
    store
        .execute_one(Op { actor: login("sec.martin"), now: T0, action: Action::Register(registration(i)) })
        .await
        .expect("store")
        .expect("domain accepts the registration")
}

pub async fn apply(store: &Store, number: &CaseNumber, actor: &str, command: Command) -> Applied {
    store
        .execute_one(Op {
            actor: login(actor),
            now: T0 + time::Duration::days(3),
            action: Action::Case { number: *number, command },
        })
        .await
        .expect("store")
        .expect("domain accepts the command")
}

/// Registers `n` cases, completes and assigns every second one: a journal of about 2n entries.
pub async fn populate(store: &Store, n: u32) -> Vec<CaseNumber> {
    let mut numbers = Vec::new();
    for i in 0..n {
        let applied = register(store, i).await;
        let number = applied.case.expect("case").number;
        if i % 2 == 0 {
            apply(store, &number, "sec.martin", Command::MarkComplete).await;
            apply(
                store,
                &number,
                "cs.fontaine",
                Command::Assign {
                    officer: login("opi.karimi"),
                    division: DivisionId::Asia,
                    section: SectionId::new(1).expect("section"),
                },
            )
            .await;
        }
        numbers.push(number);
    }
    numbers
}
