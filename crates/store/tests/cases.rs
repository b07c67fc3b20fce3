//! Commands through the store on both databases: events and read tables in one transaction, a
//! refusal that changes nothing, case lists and name search, and a rebuild that comes out
//! identical.

mod common;

use nansen_domain::ids::DivisionId;
use nansen_domain::lifecycle::{Command, Status};
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{Action, CaseFilter, Op};

#[tokio::test]
async fn a_registration_is_journaled_and_projected_and_a_refusal_changes_nothing() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let applied = common::register(&t.store, 0).await;
        let case = applied.case.expect("case");
        assert_eq!(case.status, Status::Registered, "{backend:?}");
        assert_eq!(applied.seqs, 1..=1);
        let stored = t.store.case(&case.number).await.expect("read").expect("stored");
        assert_eq!(stored, case);
        let timeline = t.store.entries_of(&applied.subject).await.expect("timeline");
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].kind, "registered");
        assert_eq!(timeline[0].actor, "sec.martin");

        // Signing a case that was only registered is refused; nothing is written.
        let head = t.store.head().await.expect("head");
        let refused = t
            .store
            .execute_one(Op {
                actor: common::login("cs.fontaine"),
                now: common::T0,
                action: Action::Case { number: case.number, command: Command::Sign },
            })
            .await
            .expect("store works");
        assert!(refused.is_err(), "{backend:?}: signing a registered case must be refused");
        assert_eq!(t.store.head().await.expect("head").size, head.size);
        assert_eq!(t.store.case(&case.number).await.expect("read").expect("stored"), case);
    }
}

#[tokio::test]
async fn case_numbers_are_unique_under_concurrent_registrations() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let mut tasks = Vec::new();
        for w in 0..8u32 {
            let store = t.store.clone();
            tasks.push(tokio::spawn(async move {
                let mut numbers = Vec::new();
                for i in 0..25 {
                    numbers.push(common::register(&store, w * 100 + i).await.case.expect("case").number.to_string());
                }
                numbers
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.expect("task"));
        }
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 200, "{backend:?}");
        assert!(t.store.verify().await.expect("verify").is_ok());
    }
}

#[tokio::test]
async fn lists_filter_by_division_officer_and_name_in_either_script() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let numbers = common::populate(&t.store, 10).await;
        let asia = t
            .store
            .list_cases(&CaseFilter {
                division: Some(DivisionId::Asia.as_str().into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .expect("list");
        // The division's queue holds its assigned cases and, before assignment, the cases of its
        // nationalities (all ten are Afghan).
        assert_eq!(asia.len(), 10, "{backend:?}");
        let to_assign = t
            .store
            .list_cases(&CaseFilter {
                division: Some(DivisionId::Asia.as_str().into()),
                unassigned: true,
                limit: 50,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(to_assign.len(), 5, "{backend:?}");
        assert!(to_assign.iter().all(|c| c.officer.is_none()));
        let mine = t
            .store
            .list_cases(&CaseFilter { officer: Some("opi.karimi".into()), limit: 50, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(mine.len(), 5);
        assert!(mine.iter().all(|c| c.decision_due.is_some()));
        // Ahmadi, Ahmadii and Ahmadiii are one name in another spelling: all are found, those
        // spelled as typed first.
        let by_latin = t
            .store
            .list_cases(&CaseFilter { name: Some("ahmadii".into()), limit: 50, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(by_latin.len(), numbers.len(), "{backend:?}: {by_latin:?}");
        let spelled = by_latin.iter().take_while(|c| c.applicant_latin.to_lowercase().contains("ahmadii")).count();
        assert_eq!(spelled, 6, "{backend:?}: {by_latin:?}");
        for other in ["احمد", "Akhmedi", "أحمدي", "Ahmady", "ahm"] {
            let found = t
                .store
                .list_cases(&CaseFilter { name: Some(other.into()), limit: 50, ..Default::default() })
                .await
                .expect("list");
            assert_eq!(found.len(), numbers.len(), "{backend:?} {other}: {found:?}");
        }
        // One typo away, and narrowed like any list.
        let typo = t
            .store
            .list_cases(&CaseFilter {
                name: Some("Ahnadi".into()),
                officer: Some("opi.karimi".into()),
                limit: 50,
                ..Default::default()
            })
            .await
            .expect("list");
        assert_eq!(typo.len(), 5, "{backend:?}: {typo:?}");
        let limited = t
            .store
            .list_cases(&CaseFilter { name: Some("Ahmadi".into()), limit: 3, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(limited.len(), 3, "{backend:?}");
        let none = t
            .store
            .list_cases(&CaseFilter { name: Some("DUPONT".into()), limit: 50, ..Default::default() })
            .await
            .expect("list");
        assert!(none.is_empty());

        // A database from before the name keys gets them when opened.
        match t.store.db() {
            nansen_store::Db::Sqlite(pool) => sqlx::query("DELETE FROM name_keys").execute(pool).await.map(drop),
            nansen_store::Db::Postgres(pool) => sqlx::query("DELETE FROM name_keys").execute(pool).await.map(drop),
        }
        .expect("keys removed");
        let reopened = t.reopen().await;
        let again = reopened
            .list_cases(&CaseFilter { name: Some("Akhmedi".into()), limit: 50, ..Default::default() })
            .await
            .expect("list");
        assert_eq!(again.len(), numbers.len(), "{backend:?}");
    }
}

#[tokio::test]
async fn rebuild_recomputes_identical_read_tables() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let numbers = common::populate(&t.store, 30).await;
        let before = t.store.case(&numbers[0]).await.expect("read");
        let report = t.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: {report}");
        assert_eq!(report.cases, 30);
        assert_eq!(t.store.case(&numbers[0]).await.expect("read"), before);
        // A read table altered by hand is put back by the rebuild, and the report says so.
        on_db_exec(&t, "UPDATE cases SET status = 'closed'").await;
        let report = t.store.rebuild().await.expect("rebuild");
        assert!(!report.identical, "{backend:?}: a difference must be reported");
        let again = t.store.rebuild().await.expect("rebuild");
        assert!(again.identical);
        assert_eq!(t.store.case(&numbers[0]).await.expect("read"), before);
    }
}

async fn on_db_exec(t: &TestStore, sql: &str) {
    nansen_store::on_db!(t.store.db(), pool => { sqlx::query(sql).execute(pool).await.expect(sql); })
}
