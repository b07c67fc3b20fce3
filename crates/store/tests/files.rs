//! Documents and originals through the store on both databases: the read tables follow the
//! case file, the archivists' list shows what is still in custody, hashes are listed once, and a
//! rebuild recomputes the same rows.

mod common;

use nansen_domain::documents::{ContentHash, CustodyChange, DocumentKind, Location, NewDocument, NewOriginal, Origin};
use nansen_domain::lifecycle::Command;
use nansen_store::testing::{TestStore, BACKENDS};
use nansen_store::OriginalFilter;

fn scan(byte: &str, kind: DocumentKind) -> NewDocument {
    NewDocument {
        sha256: ContentHash::parse(&byte.repeat(64)).expect("hash"),
        media_type: "image/jpeg".into(),
        size: 2048,
        pages: 1,
        kind,
        language: None,
        received_on: common::T0.date(),
        description: String::new(),
        file_name: "scan.jpg".into(),
        origin: Origin::Scan,
        active_content: Vec::new(),
    }
}

#[tokio::test]
async fn documents_and_originals_are_projected_listed_and_rebuilt() {
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let first = common::register(&t.store, 0).await.case.expect("case").number;
        let second = common::register(&t.store, 1).await.case.expect("case").number;
        // The same content filed in two cases is one stored hash with two copies.
        let docs = vec![scan("a", DocumentKind::ApplicationForm), scan("b", DocumentKind::Photograph)];
        common::apply(&t.store, &first, "sec.martin", Command::AttachDocuments { documents: docs }).await;
        let same = vec![scan("a", DocumentKind::ApplicationForm)];
        common::apply(&t.store, &second, "sec.martin", Command::AttachDocuments { documents: same }).await;
        let hashes = t.store.stored_hashes("", 10).await.expect("hashes");
        assert_eq!(hashes.len(), 2, "{backend:?}");
        assert_eq!(hashes[0].copies, 2);
        assert_eq!(hashes[1].copies, 1);
        assert_eq!(t.store.stored_hashes(&hashes[0].sha256, 10).await.expect("page").len(), 1);
        // What no document holds is told apart from what some do (for `nansen documents gc`).
        let unknown = "f".repeat(64);
        let asked = vec![hashes[0].sha256.clone(), unknown.clone(), hashes[1].sha256.clone()];
        let referenced = t.store.referenced_hashes(&asked).await.expect("referenced");
        assert_eq!(referenced.len(), 2, "{backend:?}");
        assert!(!referenced.contains(&unknown), "{backend:?}");
        assert!(t.store.referenced_hashes(&[]).await.expect("none asked").is_empty());

        let shelf = Location::new("Magasin A", "Travée 3", "Boîte 12").expect("location");
        let passport = NewOriginal {
            kind: DocumentKind::IdentityDocument,
            description: "Passeport".into(),
            received_on: common::T0.date(),
            location: shelf.clone(),
        };
        for number in [&first, &second] {
            common::apply(&t.store, number, "sec.martin", Command::ReceiveOriginal(passport.clone())).await;
        }
        let lent_id = format!("{first}-O1");
        let lend = CustodyChange::Lend { to: common::login("off.durand") };
        common::apply(
            &t.store,
            &first,
            "arch.roux",
            Command::ChangeCustody { original: lent_id.clone(), change: lend },
        )
        .await;
        let all =
            t.store.originals_in_custody(&OriginalFilter { limit: 100, ..Default::default() }).await.expect("list");
        assert_eq!(all.len(), 2, "{backend:?}");
        assert_eq!(all[0].id, lent_id, "lent originals come first");
        assert_eq!(all[0].holder.as_deref(), Some("off.durand"));
        assert_eq!(all[1].location, "Magasin A / Travée 3 / Boîte 12");
        let lent = OriginalFilter { lent_only: true, limit: 100, ..Default::default() };
        assert_eq!(t.store.originals_in_custody(&lent).await.expect("list").len(), 1);
        assert_eq!(t.store.originals_counts().await.expect("counts"), (1, 1));

        // Returned to the applicant: off the list, still found by its label.
        let back = CustodyChange::TakeBack { location: shelf };
        common::apply(
            &t.store,
            &first,
            "arch.roux",
            Command::ChangeCustody { original: lent_id.clone(), change: back },
        )
        .await;
        let give = CustodyChange::ReturnToApplicant { on: common::T0.date(), signed_by: "A. Applicant".into() };
        common::apply(
            &t.store,
            &first,
            "sec.martin",
            Command::ChangeCustody { original: lent_id.clone(), change: give },
        )
        .await;
        let all =
            t.store.originals_in_custody(&OriginalFilter { limit: 100, ..Default::default() }).await.expect("list");
        assert_eq!(all.len(), 1, "{backend:?}");
        let found = t.store.original(&format!(" {lent_id} ")).await.expect("read").expect("found");
        assert_eq!(found.custody, "returned");
        assert_eq!(found.case_number, first.to_string());
        assert!(t.store.original("2026-0000999-O1").await.expect("read").is_none());

        let report = t.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: {report}");
        assert_eq!(t.store.stored_hashes("", 10).await.expect("hashes"), hashes);
        assert_eq!(t.store.original(&lent_id).await.expect("read").expect("found"), found);
    }
}

#[tokio::test]
async fn physical_files_have_one_holder_are_listed_overdue_and_rebuilt() {
    use nansen_domain::archives::{FileCommand, Place, Purpose};
    use nansen_store::{Action, Op};
    let place = |shelf: &str| Place {
        store: "fontenay".into(),
        room: "B".into(),
        row: "12".into(),
        shelf: shelf.into(),
        r#box: "2026-0041".into(),
    };
    for backend in BACKENDS {
        let t = TestStore::new(backend).await;
        let number = common::register(&t.store, 0).await.case.expect("case").number;
        let run = |actor: &str, day: i64, label: &str, command: FileCommand| Op {
            actor: common::login(actor),
            now: common::T0 + time::Duration::days(day),
            action: Action::PhysicalFile { label: label.into(), command },
        };
        let placed = FileCommand::Place {
            label: "F-2026-000001".into(),
            case: Some(number),
            category: "rejected".into(),
            place: place("3"),
        };
        // A command on a file that is not placed, or a placement under another label: refused.
        let refused = t.store.execute_one(run("opi.one", 0, "F-X", FileCommand::Request { purpose: Purpose::Other }));
        assert!(refused.await.expect("store").is_err(), "{backend:?}");
        assert!(t.store.execute_one(run("arch.one", 0, "F-X", placed.clone())).await.expect("store").is_err());
        let journal = t.store.head().await.expect("head").size;
        assert!(t.store.physical_file("F-X").await.expect("read").is_none(), "{backend:?}: nothing stored");

        for op in [
            run("arch.one", 0, "F-2026-000001", placed),
            run("opi.one", 1, "F-2026-000001", FileCommand::Request { purpose: Purpose::Review }),
            run("arch.one", 1, "F-2026-000001", FileCommand::Send),
            run("opi.one", 2, "F-2026-000001", FileCommand::Receive),
            run("didr.one", 3, "F-2026-000001", FileCommand::Request { purpose: Purpose::CivilStatus }),
        ] {
            t.store.execute_one(op).await.expect("store").expect("accepted");
        }
        assert_eq!(t.store.head().await.expect("head").size, journal + 5, "{backend:?}: one entry a movement");
        // A return by someone who does not hold it changes nothing.
        let wrong = t.store.execute_one(run("didr.one", 4, "F-2026-000001", FileCommand::Return)).await;
        assert!(wrong.expect("store").is_err(), "{backend:?}");
        let row = t.store.physical_file("F-2026-000001").await.expect("read").expect("row");
        assert_eq!((row.whereabouts.as_str(), row.holder.as_deref(), row.waiting), ("held", Some("opi.one"), 1));
        assert_eq!(row.case_number.as_deref(), Some(number.to_string().as_str()));
        assert_eq!(row.place, "B / 12 / 3 / 2026-0041");
        let due = row.due.clone().expect("due");
        assert_eq!(t.store.physical_files_held_by("opi.one").await.expect("held").len(), 1);
        assert_eq!(t.store.physical_files_of_case(&number.to_string()).await.expect("of case").len(), 1);
        // Overdue the day after its due date, not on it.
        assert!(t.store.overdue_files(&due, 10).await.expect("overdue").is_empty(), "{backend:?}");
        let after = time::Date::parse(&due, time::macros::format_description!("[year]-[month]-[day]"))
            .expect("date")
            .next_day()
            .expect("day")
            .to_string();
        assert_eq!(t.store.overdue_files(&after, 10).await.expect("overdue").len(), 1, "{backend:?}");

        t.store.execute_one(run("opi.one", 5, "F-2026-000001", FileCommand::PassOn)).await.expect("store").expect("ok");
        let row = t.store.physical_file("F-2026-000001").await.expect("read").expect("row");
        assert_eq!((row.whereabouts.as_str(), row.holder.as_deref(), row.waiting), ("sent", Some("didr.one"), 0));

        let report = t.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: {report:?}");
    }
}
