//! Research requests through the office, on both databases: the case's officer asks (bad
//! questions refused field by field, nothing stored) after a look at what the library already
//! says; a research assistant sees the question and the facts, never the case (not even its
//! number); an answer cites passages that exist and say what is quoted; another research
//! assistant reviews; the published note names neither the applicant nor the case and is
//! searchable; a citation whose document was replaced says so; the tables rebuilt from the
//! journal are the same.

mod common;

use nansen_office::cases::{self, CaseOp};
use nansen_office::research::{self, AskForm, LibraryQuery, NewDocumentForm, RequestStatus, RequestStep};
use nansen_office::testing::{registration, TestOffice, BACKENDS};
use nansen_office::{OfficeError, Role};
use time::macros::date;
use time::Duration;

const DIVISION: &str = "europe-middle-east";

const REPORT: &str = "Syria: checkpoints around Homs\n\n\
    Men of military age are stopped at checkpoints around Homs and their papers are checked against lists of \
    those wanted for military service.\n\n\
    Returnees to Aleppo were questioned at checkpoints about their time abroad, according to organisations \
    interviewed in 2025.";

fn report(bytes: &str, replaces: Option<String>) -> NewDocumentForm {
    NewDocumentForm {
        bytes: bytes.as_bytes().to_vec(),
        title: "Syria – Checkpoints".into(),
        source: "euaa".into(),
        kind: "report".into(),
        language: "eng".into(),
        countries: vec!["SYR".into()],
        topics: vec!["security.checkpoints".into()],
        published_on: Some(date!(2025 - 03 - 15)),
        replaces,
    }
}

#[tokio::test]
async fn asked_from_the_case_answered_with_citations_reviewed_by_another_and_published_without_names() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let colleague = t.agent("opi.two", Role::ProtectionOfficer, Some("africa"), Some(1)).await;
        let leroy = t.agent("didr.one", Role::ResearchAssistant, None, None).await;
        let nguyen = t.agent("didr.two", Role::ResearchAssistant, None, None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");
        let doc = research::add_document(&t.office, &leroy, report(REPORT, None)).await.expect("imported");

        let ask = |question: &str| AskForm {
            question: question.into(),
            facts: "Layla Haddad says she was stopped at a checkpoint near Homs.".into(),
            countries: vec!["SYR".into()],
            topics: vec!["security.checkpoints".into()],
            needed_by: Some(t.now().date() + Duration::days(14)),
        };
        // Already answered? The library's passages on the question's words.
        let earlier = research::requests::already_answered(
            &t.office,
            &officer,
            &ask("Are people stopped at checkpoints around Homs?"),
        )
        .await
        .expect("checked");
        assert!(earlier.iter().any(|h| h.document.id == doc), "{backend:?}: the report matches");

        // Bad questions: refused by field, nothing stored.
        let journal = t.store.store.head().await.expect("head").size;
        for (form, field) in [
            (AskForm { question: "  ".into(), ..ask("x") }, "question"),
            (AskForm { countries: vec!["XXZ".into()], ..ask("x") }, "countries"),
            (AskForm { topics: vec!["no.such".into()], ..ask("x") }, "topics"),
            (AskForm { topics: vec![], ..ask("x") }, "topics"),
            (AskForm { needed_by: Some(t.now().date() - Duration::days(1)), ..ask("x") }, "needed_by"),
            (AskForm { needed_by: None, ..ask("x") }, "needed_by"),
        ] {
            let err = research::requests::ask(&t.office, &officer, &number, form).await.expect_err("refused");
            let got = match &err {
                OfficeError::Field { field, .. } => field.clone(),
                OfficeError::Domain(nansen_domain::DomainError::Validation { field, .. }) => (*field).to_owned(),
                other => format!("{other:?}"),
            };
            assert_eq!(got, field, "{backend:?}");
        }
        // Only the authorization records were journaled.
        let after = t.store.store.head().await.expect("head").size;
        assert_eq!(after - journal, 6, "{backend:?}: one authorization record per refusal");
        assert!(research::requests::queue(&t.office, &leroy).await.expect("queue").to_take.is_empty());

        // Only the case's own officer asks.
        let refused = research::requests::ask(&t.office, &colleague, &number, ask("Checkpoints?")).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {refused:?}");
        let refused = research::requests::ask(&t.office, &leroy, &number, ask("Checkpoints?")).await;
        assert!(matches!(refused, Err(OfficeError::Forbidden { .. })), "{backend:?}: {refused:?}");

        let id = research::requests::ask(
            &t.office,
            &officer,
            &number,
            ask("Are people stopped at checkpoints around Homs?"),
        )
        .await
        .expect("asked");
        assert!(id.starts_with("DR-"), "{id}");
        let view = cases::read_case(&t.office, &officer, &number).await.expect("read");
        assert!(view.can.ask_research && view.research.iter().any(|r| r.id == id), "{backend:?}: on the case page");

        // The research division: the question and the facts, not the case, not its number.
        let queue = research::requests::queue(&t.office, &leroy).await.expect("queue");
        assert_eq!(queue.to_take.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), [id.as_str()]);
        let seen = research::requests::request(&t.office, &leroy, &id).await.expect("read");
        assert!(seen.case.is_none() && seen.may_take, "{backend:?}: no case number for research");
        assert!(seen.facts.contains("checkpoint"));
        let read = cases::read_case(&t.office, &leroy, &number).await;
        assert!(matches!(read, Err(OfficeError::Forbidden { .. })), "{backend:?}: research never reads the case");
        let officers_view = research::requests::request(&t.office, &officer, &id).await.expect("read");
        assert_eq!(officers_view.case.as_deref(), Some(number.as_str()));
        assert!(officers_view.may_withdraw && !officers_view.may_take);
        let outsider = research::requests::request(&t.office, &colleague, &id).await;
        assert!(matches!(outsider, Err(OfficeError::Forbidden { .. })), "{backend:?}: {outsider:?}");
        assert!(matches!(research::requests::queue(&t.office, &officer).await, Err(OfficeError::Forbidden { .. })));

        research::requests::act(&t.office, &leroy, &id, RequestStep::Take).await.expect("taken");
        // Citations of passages that do not exist, or do not say what is quoted: refused.
        for (citations, why) in [
            (format!("{doc}#9 checkpoints"), "no passage 9"),
            (format!("{doc}#1 checkpoints are rare"), "does not say"),
            ("coi-0000000000000000#1 anything".to_owned(), "no document"),
            (format!("{doc} checkpoints"), "not a reference"),
            (String::new(), "at least one passage"),
        ] {
            let err =
                research::requests::act(&t.office, &leroy, &id, RequestStep::Answer { text: "Yes.".into(), citations })
                    .await
                    .expect_err("refused");
            assert!(err.to_string().contains(why), "{backend:?}: {err}");
        }
        let answer = "Yes. Layla Haddad (case NUMBER) is a woman; men of military age are the ones stopped near Homs."
            .replace("NUMBER", &number);
        let cite = format!("{doc}#1 papers are checked against lists\n{doc}#2 “questioned at checkpoints”");
        let not_taker = research::requests::act(
            &t.office,
            &nguyen,
            &id,
            RequestStep::Answer { text: answer.clone(), citations: cite.clone() },
        )
        .await;
        assert!(not_taker.is_err(), "{backend:?}: only who took it answers");
        research::requests::act(&t.office, &leroy, &id, RequestStep::Answer { text: answer.clone(), citations: cite })
            .await
            .expect("answered");
        let own = research::requests::act(
            &t.office,
            &leroy,
            &id,
            RequestStep::Review { approve: true, remarks: String::new() },
        )
        .await;
        assert!(own.is_err(), "{backend:?}: the author does not review their own answer");
        let (documents_before, _) = t.store.store.library_size().await.expect("size");
        assert_eq!(documents_before, 1, "{backend:?}: no note written for a refused review");
        research::requests::act(
            &t.office,
            &nguyen,
            &id,
            RequestStep::Review { approve: false, remarks: "Cite the newer report too.".into() },
        )
        .await
        .expect("sent back");
        let back = research::requests::queue(&t.office, &leroy).await.expect("queue");
        assert!(back.mine.iter().any(|l| l.id == id && l.sent_back), "{backend:?}: back with its author");
        research::requests::act(
            &t.office,
            &leroy,
            &id,
            RequestStep::Answer {
                text: answer.clone(),
                citations: format!("{doc}#1 papers are checked against lists"),
            },
        )
        .await
        .expect("answered again");
        research::requests::act(&t.office, &nguyen, &id, RequestStep::Review { approve: true, remarks: String::new() })
            .await
            .expect("published");

        let published = research::requests::request(&t.office, &officer, &id).await.expect("read");
        assert_eq!(published.line.status, RequestStatus::Published);
        let note = published.line.note.clone().expect("a note");
        let note_view = research::document(&t.office, &officer, &note).await.expect("the note");
        let text = note_view.passages.join("\n");
        assert_eq!(note_view.document.kind, "research_note");
        assert!(text.contains("military age"), "{backend:?}: {text}");
        for secret in ["Layla", "Haddad", "ليلى", "حداد", number.as_str()] {
            assert!(
                !text.contains(secret) && !note_view.document.title.contains(secret),
                "{backend:?}: {secret} in {text}"
            );
        }
        let found = research::search(
            &t.office,
            &officer,
            &LibraryQuery {
                q: "\"military age\"".into(),
                kinds: vec!["research_note".into()],
                ..LibraryQuery::default()
            },
        )
        .await
        .expect("search");
        assert!(found.hits.iter().any(|h| h.document.id == note), "{backend:?}: the note is searchable");

        // A newer version of the cited report: the citation says so.
        let newer = research::add_document(
            &t.office,
            &leroy,
            report(&format!("{REPORT}\n\nUpdated in 2026."), Some(doc.clone())),
        )
        .await
        .expect("new version");
        let again = research::requests::request(&t.office, &officer, &id).await.expect("read");
        assert_eq!(again.citations[0].replaced_by.as_deref(), Some(newer.as_str()), "{backend:?}");

        // Withdrawal: only by the officer who asked, only before an answer.
        let second = research::requests::ask(&t.office, &officer, &number, ask("Are returnees questioned in Aleppo?"))
            .await
            .expect("asked");
        let by_research = research::requests::act(&t.office, &leroy, &second, RequestStep::Withdraw).await;
        assert!(matches!(by_research, Err(OfficeError::Forbidden { .. })), "{backend:?}: {by_research:?}");
        research::requests::act(&t.office, &officer, &second, RequestStep::Withdraw).await.expect("withdrawn");
        let late = research::requests::act(&t.office, &officer, &id, RequestStep::Withdraw).await;
        assert!(late.is_err(), "{backend:?}: a published answer is not withdrawn");

        // The journal holds it all: the tables rebuilt are the same.
        assert!(t.entries(&format!("research:{id}")).await.len() >= 6);
        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: {report:?}");
        let queue = research::requests::queue(&t.office, &nguyen).await.expect("queue");
        assert!(queue.published.iter().any(|l| l.id == id), "{backend:?}");
    }
}

#[tokio::test]
async fn a_saved_search_counts_what_was_added_since_the_last_visit() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let leroy = t.agent("didr.one", Role::ResearchAssistant, None, None).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let reception = t.agent("ofii.one", Role::ReceptionAgent, None, None).await;
        research::add_document(&t.office, &leroy, report(REPORT, None)).await.expect("imported");
        let query = LibraryQuery { q: "checkpoints".into(), countries: vec!["SYR".into()], ..LibraryQuery::default() };
        let id = research::saved::save_search(&t.office, &officer, "Syria checkpoints", &query).await.expect("saved");
        let again = research::saved::save_search(&t.office, &officer, " Syria checkpoints ", &query).await;
        assert!(again.is_err(), "{backend:?}: one name, one search");
        let empty = research::saved::save_search(&t.office, &officer, "Everything", &LibraryQuery::default()).await;
        assert!(empty.is_err(), "{backend:?}: an empty search is not saved");
        let listed = research::saved::saved_searches(&t.office, &officer).await.expect("listed");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].new, 0, "{backend:?}: nothing new yet");

        // Two documents added: one matches, one is about another country.
        research::add_document(
            &t.office,
            &leroy,
            report(&format!("{REPORT}\n\nA second report on Homs checkpoints."), None),
        )
        .await
        .expect("imported");
        let mut other = report("Sudan: checkpoints in Khartoum are frequent and men are searched there.", None);
        other.countries = vec!["SDN".into()];
        research::add_document(&t.office, &leroy, other).await.expect("imported");
        let listed = research::saved::saved_searches(&t.office, &officer).await.expect("listed");
        assert_eq!(listed[0].new, 1, "{backend:?}: one new document matches");

        // Opened: nothing is new any more; the query comes back as saved.
        let opened = research::saved::open_search(&t.office, &officer, &id).await.expect("opened");
        assert_eq!(opened.q, "checkpoints");
        assert_eq!(opened.countries, ["SYR"]);
        assert_eq!(research::saved::saved_searches(&t.office, &officer).await.expect("listed")[0].new, 0);
        // Another agent's search is not theirs to open or delete; the reception has no library.
        assert!(research::saved::open_search(&t.office, &leroy, &id).await.is_err());
        assert!(research::saved::delete_search(&t.office, &leroy, &id).await.is_err());
        assert!(matches!(
            research::saved::saved_searches(&t.office, &reception).await,
            Err(OfficeError::Forbidden { .. })
        ));
        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{backend:?}: {report:?}");
        research::saved::delete_search(&t.office, &officer, &id).await.expect("deleted");
        assert!(research::saved::saved_searches(&t.office, &officer).await.expect("listed").is_empty());
    }
}

#[tokio::test]
async fn a_decision_cites_library_passages_says_when_one_was_replaced_and_its_letter_lists_them() {
    use nansen_domain::decision::{ConventionGround, DecisionDraft, DecisionSource, Outcome, RefugeeBasis};
    use nansen_office::accounts::StepUp;
    use nansen_office::testing::PASSWORD;
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let secretary = t.agent("sec.one", Role::DigitizationSecretary, None, None).await;
        let head = t.agent("cs.one", Role::SectionHead, Some(DIVISION), Some(1)).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some(DIVISION), Some(1)).await;
        let leroy = t.agent("didr.one", Role::ResearchAssistant, None, None).await;
        let (case, _) = cases::register(&t.office, &secretary, registration(t.now().date())).await.expect("registered");
        let number = case.number.to_string();
        cases::perform(&t.office, &head, &number, CaseOp::Assign { officer: "opi.one".into() })
            .await
            .expect("assigned");
        let doc = research::add_document(&t.office, &leroy, report(REPORT, None)).await.expect("imported");
        let draft = || DecisionDraft {
            outcome: Outcome::RefugeeStatus {
                basis: RefugeeBasis::Convention,
                grounds: vec![ConventionGround::PoliticalOpinion],
            },
            exclusion: None,
            facts: "Les hommes en âge de servir sont contrôlés aux points de contrôle autour de Homs.".into(),
            law: "Convention de Genève, art. 1A2.".into(),
            sources: Vec::new(),
        };
        let write = |citations: String| CaseOp::Draft { draft: draft(), citations: Some(citations) };

        // Bad citations: refused next to the sources, nothing stored.
        let journal = t.store.store.head().await.expect("head").size;
        for (citations, why) in [
            (format!("{doc}#9 checkpoints"), "no passage 9"),
            (format!("{doc}#1 checkpoints are rare"), "does not say"),
            ("coi-0000000000000000#1 anything".to_owned(), "no document"),
            (format!("{doc} checkpoints"), "not a reference"),
            (format!("{doc}#1 papers are checked\n{doc}#1 against lists"), "cited twice"),
        ] {
            let err = cases::perform(&t.office, &officer, &number, write(citations)).await.expect_err("refused");
            let field = match &err {
                OfficeError::Field { field, .. } => field.clone(),
                OfficeError::Domain(nansen_domain::DomainError::Validation { field, .. }) => (*field).to_owned(),
                other => format!("{other:?}"),
            };
            assert_eq!(field, "sources", "{backend:?}: {err}");
            assert!(err.to_string().contains(why), "{backend:?}: {err}");
        }
        let after = t.store.store.head().await.expect("head").size;
        assert_eq!(after - journal, 5, "{backend:?}: one authorization record per refusal, nothing else");
        assert!(cases::read_case(&t.office, &officer, &number).await.expect("read").case.draft.is_none());

        // Through the API's shape: a version that is not the document's is refused, and the
        // reference is the office's, not the one sent.
        let version = nansen_domain::documents::ContentHash::parse(&"0".repeat(64)).expect("hash");
        let forged = DecisionSource {
            citation: nansen_domain::research::Citation {
                document: doc.clone(),
                version,
                passage: 1,
                quote: "papers are checked".into(),
            },
            reference: "anything".into(),
        };
        let op = CaseOp::Draft { draft: DecisionDraft { sources: vec![forged], ..draft() }, citations: None };
        let err = cases::perform(&t.office, &officer, &number, op).await.expect_err("refused");
        assert!(err.to_string().contains("is not the version"), "{backend:?}: {err}");

        cases::perform(
            &t.office,
            &officer,
            &number,
            write(format!("{doc}#1 papers are checked against lists\n\n{doc}#2 “questioned at checkpoints”")),
        )
        .await
        .expect("drafted");
        let view = cases::read_case(&t.office, &officer, &number).await.expect("read");
        let sources = &view.case.draft.as_ref().expect("draft").sources;
        assert_eq!(sources.len(), 2, "{backend:?}");
        assert_eq!(
            sources[0].reference, "European Union Agency for Asylum (EUAA), « Syria – Checkpoints », 15 mars 2025",
            "{backend:?}"
        );
        assert_eq!(view.sources.len(), 2);
        assert!(view.sources.iter().all(|s| s.replaced_by.is_none()), "{backend:?}");

        // A newer version of the report: the draft still cites the version it cited, and says so.
        let newer = research::add_document(
            &t.office,
            &leroy,
            report(&format!("{REPORT}\n\nUpdated in 2026."), Some(doc.clone())),
        )
        .await
        .expect("new version");
        let view = cases::read_case(&t.office, &head, &number).await.expect("read");
        assert!(view.sources.iter().all(|s| s.replaced_by.as_deref() == Some(newer.as_str())), "{backend:?}");
        assert!(view.sources.iter().all(|s| s.citation.document == doc));

        cases::perform(&t.office, &officer, &number, CaseOp::Submit).await.expect("submitted");
        cases::perform(&t.office, &head, &number, CaseOp::Sign { proof: StepUp::Password(PASSWORD.into()) })
            .await
            .expect("signed");
        let notified = cases::perform(&t.office, &head, &number, CaseOp::Notify).await.expect("notified");
        let letter = notified.documents.iter().rev().find(|d| d.document.kind.as_str() == "decision").expect("letter");
        let text = common::pdf_text(&t.office, &head, &number, letter.id).await;
        assert!(text.contains("Sources citées"), "{backend:?}: {text}");
        assert!(text.contains("15 mars 2025, passage 1") && text.contains("15 mars 2025, passage 2"), "{text}");
    }
}
