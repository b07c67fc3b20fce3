//! A case number reserved ahead of its registration (so that the letters showing it can be
//! printed before the one commit that registers the case), on both databases: consecutive numbers,
//! registered in the same batch as the case's next command, and never registered twice.

mod common;

use nansen_domain::ids::CaseNumber;
use nansen_domain::lifecycle::{Command, Status};
use nansen_domain::DomainError;
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::{Action, Op};

/// The fixture's registration, with `number` in it.
fn registration(i: u32, number: CaseNumber) -> Command {
    match common::registration(i) {
        Command::Register(mut registration) => {
            registration.number = number;
            Command::Register(registration)
        }
        other => other,
    }
}

fn op(action: Action) -> Op {
    Op { actor: common::login("sec.martin"), now: common::T0, action }
}

fn refused_for_its_number(result: &Result<nansen_store::Applied, DomainError>) -> bool {
    matches!(result, Err(DomainError::Validation { field: "number", .. }))
}

#[tokio::test]
async fn a_reserved_number_is_registered_once_with_the_commands_of_its_batch() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let year = common::T0.year();
        let first = t.store.reserve_case_number(year).await.expect("reserve");
        let second = t.store.reserve_case_number(year).await.expect("reserve");
        assert_eq!(first, CaseNumber::new(year, 1).expect("number"), "{backend:?}");
        assert_eq!(second, CaseNumber::new(year, 2).expect("number"), "{backend:?}");

        // The registration and a command on the case it creates, in one call: one batch.
        let results = t
            .store
            .execute(vec![
                op(Action::RegisterReserved(registration(0, first))),
                op(Action::Case { number: first, command: Command::MarkComplete }),
            ])
            .await
            .expect("store");
        let [registered, completed] = <[_; 2]>::try_from(results).expect("two results");
        let registered = registered.expect("the reserved number is registered");
        let completed = completed.expect("the case registered earlier in the batch is found");
        assert_eq!(registered.case.as_ref().expect("case").number, first, "{backend:?}: the number is kept");
        assert_eq!(registered.seqs, 1..=1, "{backend:?}");
        assert_eq!(completed.seqs, 2..=2, "{backend:?}");
        let case = completed.case.expect("case");
        assert_eq!(case.status, Status::Complete, "{backend:?}");
        assert_eq!(t.store.case(&first).await.expect("read").expect("stored"), case);
        let timeline = t.store.entries_of(&registered.subject).await.expect("timeline");
        assert_eq!(timeline.len(), 2, "{backend:?}");
        assert_eq!(timeline[0].recorded_at, timeline[1].recorded_at, "{backend:?}: one commit");
        assert_eq!(t.store.head().await.expect("head").size, 2);

        // A registration without a reserved number takes the next one after the reservations.
        let next = common::register(&t.store, 1).await.case.expect("case").number;
        assert_eq!(next, CaseNumber::new(year, 3).expect("number"), "{backend:?}");

        // The same number again is refused and nothing is written, whether the case was
        // registered in an earlier batch or earlier in the same one.
        let size = t.store.head().await.expect("head").size;
        let again = t.store.execute_one(op(Action::RegisterReserved(registration(2, first)))).await.expect("store");
        assert!(refused_for_its_number(&again), "{backend:?}: {again:?}");
        assert_eq!(t.store.head().await.expect("head").size, size, "{backend:?}");
        assert_eq!(t.store.case(&first).await.expect("read").expect("stored").status, Status::Complete);

        let results = t
            .store
            .execute(vec![
                op(Action::RegisterReserved(registration(3, second))),
                op(Action::RegisterReserved(registration(4, second))),
            ])
            .await
            .expect("store");
        assert!(results[0].is_ok(), "{backend:?}: {:?}", results[0]);
        assert!(refused_for_its_number(&results[1]), "{backend:?}: {:?}", results[1]);
        assert_eq!(t.store.head().await.expect("head").size, size + 1, "{backend:?}");
        assert!(t.store.verify().await.expect("verify").is_ok(), "{backend:?}");
    }
}
