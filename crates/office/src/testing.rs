//! The office's own fixture: an [`Office`] on a fresh database of either kind (SQLite file or
//! PostgreSQL database, from `nansen-store`'s fixture), documents in a temporary directory, a
//! fixed clock the test moves, and agents created in the store.

use nansen_domain::application::{ApplicationKind, Procedure};
use nansen_domain::ids::{CaseNumber, Language, Login, Nationality};
use nansen_domain::lifecycle::Registration;
use nansen_domain::person::{BirthDate, FamilyRole, Name, Person, Sex};
use nansen_store::testing::TestStore;
pub use nansen_store::testing::BACKENDS;
pub use nansen_store::Backend;
use nansen_store::{Action, NewAccount, Op};
use time::OffsetDateTime;

use crate::accounts::{agent_of, hash_password};
use crate::{Agent, Clock, Office, OfficeConfig};

/// An office on a fresh database.
pub struct TestOffice {
    pub office: Office,
    pub clock: Clock,
    pub store: TestStore,
}

/// The password of every test agent.
pub const PASSWORD: &str = "correct horse battery";

impl TestOffice {
    /// A fresh office on `backend`, its clock fixed at 10:00 UTC on 2 March 2026.
    pub async fn new(backend: Backend) -> TestOffice {
        TestOffice::configured(backend, |_| {}).await
    }

    /// A fresh office whose settings `adjust` changes first.
    pub async fn configured(backend: Backend, adjust: impl FnOnce(&mut OfficeConfig)) -> TestOffice {
        let store = TestStore::new(backend).await;
        let documents =
            nansen_docs::objects::DocumentStore::local(&store.dir.path().join("documents")).expect("document store");
        let mut config = OfficeConfig { staging_dir: store.dir.path().join("staging"), ..OfficeConfig::default() };
        adjust(&mut config);
        let clock = Clock::fixed(time::macros::datetime!(2026-03-02 10:00 UTC));
        let office = Office::new(store.store.clone(), config, documents, clock.clone()).expect("office");
        TestOffice { office, clock, store }
    }

    /// Creates an agent's account and returns the agent as signed in.
    pub async fn agent(&self, login: &str, role: crate::Role, division: Option<&str>, section: Option<u8>) -> Agent {
        let account = NewAccount {
            login: login.to_owned(),
            display_name: login.to_owned(),
            role: role.as_str().to_owned(),
            division: division.map(str::to_owned),
            section: section.map(i64::from),
            password_hash: hash_password(PASSWORD.to_owned()).await.expect("hash"),
            identity: Some(format!("{login}@nansen.example")),
        };
        let op = Op {
            actor: Login::parse("admin").expect("login"),
            now: self.office.now(),
            action: Action::CreateAccount(account),
        };
        self.store.store.execute_one(op).await.expect("store").expect("account created");
        let account = self.store.store.account(login).await.expect("store").expect("account");
        agent_of(&account).expect("agent")
    }

    /// The journal entries of a subject, oldest first.
    pub async fn entries(&self, subject: &str) -> Vec<nansen_store::Entry> {
        self.store.store.entries_of(subject).await.expect("entries")
    }

    pub fn now(&self) -> OffsetDateTime {
        self.office.now()
    }
}

/// A complete asylum application of a Syrian applicant introduced on `introduced_on`.
pub fn registration(introduced_on: time::Date) -> Registration {
    let syr = Nationality::parse("SYR").expect("nationality");
    Registration {
        number: CaseNumber::new(introduced_on.year(), 1).expect("number"),
        kind: ApplicationKind::Asylum,
        procedure: Procedure::Normal,
        nationality: syr,
        language: Language::parse("ar").expect("language"),
        applicant: Person {
            role: FamilyRole::Applicant,
            family_name: Name::new("حداد", "Haddad"),
            given_names: Name::new("ليلى", "Layla"),
            birth_date: BirthDate::YearMonth { year: 1990, month: 4 },
            sex: Sex::Female,
            nationality: syr,
            birth_place: Some("Homs".into()),
        },
        family: vec![],
        introduced_on,
        missing: vec![],
    }
}
