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
