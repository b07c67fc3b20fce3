//! The country-of-origin library through the office, on both databases: a research assistant
//! imports plain text, HTML (its scripts never indexed) and a PDF without a text layer (kept,
//! flagged); bad files and descriptions are refused field by field with nothing stored; officers
//! search with stems, phrases, prefixes and facets and read passages; a new version is linked to
//! the one it replaces; a reception agent may neither search nor import; the journal holds every
//! document, and the tables and the index rebuilt from it give the same answers.

use nansen_docs::text::blank_page_pdf as blank_pdf;
use nansen_domain::research::CountryMatch;
use nansen_office::research::{self, LibraryQuery, NewDocumentForm};
use nansen_office::testing::{TestOffice, BACKENDS};
use nansen_office::{OfficeError, Role};
use time::macros::date;

const SECURITY_EN: &str = "Afghanistan: security situation\n\n\
    Returnees from Iran reported that Taliban checkpoints on the road to Kabul searched phones and \
    detained men suspected of working for the former government.\n\n\
    Women travelling without a mahram were turned back at several checkpoints in Herat province, \
    according to local organisations interviewed in March.";

const FGM_FR: &str = "Soudan : mutilations génitales féminines\n\n\
    Les mutilations génitales féminines restent pratiquées dans la plupart des États du Soudan, \
    malgré la loi de 2020 qui les érige en infraction pénale.\n\n\
    Les familles qui refusent l'excision de leurs filles subissent des pressions de la communauté, \
    selon les organisations de défense des droits des femmes.";

const HTML_AR: &str = "<!DOCTYPE html><html><head><title>x</title><script>var secret = 'checkpoint';</script></head>\
    <body><h1>السودان</h1><p>تعرضت الصحفيات للاعتقال التعسفي في الخرطوم بسبب تغطيتهن للاحتجاجات السلمية في المدينة خلال العام الماضي.</p>\
    <p>وأفادت منظمات حقوق الإنسان بأن السلطات استجوبت الصحفيين حول مصادرهم وصادرت هواتفهم المحمولة.</p></body></html>";

fn form(bytes: &[u8], title: &str, language: &str, countries: &str, topics: &[&str]) -> NewDocumentForm {
    NewDocumentForm {
        bytes: bytes.to_vec(),
        title: title.into(),
        source: "euaa".into(),
        kind: "report".into(),
        language: language.into(),
        countries: vec![countries.into()],
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        published_on: Some(date!(2024 - 03 - 15)),
        replaces: None,
    }
}

fn words(q: &str) -> LibraryQuery {
    LibraryQuery { q: q.into(), ..LibraryQuery::default() }
}

#[tokio::test]
async fn research_assistants_import_officers_search_and_the_index_is_rebuilt_from_the_journal() {
    for backend in BACKENDS {
        let t = TestOffice::new(backend).await;
        let assistant = t.agent("didr.one", Role::ResearchAssistant, None, None).await;
        let officer = t.agent("opi.one", Role::ProtectionOfficer, Some("asia"), Some(1)).await;
        let reception = t.agent("ofii.one", Role::ReceptionAgent, None, None).await;

        // Imports: plain text, HTML with a script, a scan without text.
        let en = research::add_document(
            &t.office,
            &assistant,
            form(SECURITY_EN.as_bytes(), "Afghanistan – Security situation", "eng", "AFG", &["security.checkpoints"]),
        )
        .await
        .expect("text imported");
        let fr = research::add_document(
            &t.office,
            &assistant,
            form(FGM_FR.as_bytes(), "Soudan – MGF", "fra", "SDN", &["gender.fgm"]),
        )
        .await
        .expect("text imported");
        let ar = research::add_document(
            &t.office,
            &assistant,
            form(HTML_AR.as_bytes(), "السودان – الصحفيون", "ara", "SDN", &["politics.journalists"]),
        )
        .await
        .expect("html imported");
        let scan = research::add_document(
            &t.office,
            &assistant,
            form(&blank_pdf(), "Scanned decree", "fra", "SDN", &["state.justice"]),
        )
        .await
        .expect("a scan is kept");
        let view = research::document(&t.office, &officer, &scan).await.expect("read");
        assert!(view.passages.is_empty() && view.document.passages == 0, "flagged without text");
        let view = research::document(&t.office, &officer, &ar).await.expect("read");
        assert!(view.passages.iter().all(|p| !p.contains("secret")), "scripts are not text: {:?}", view.passages);
        assert_eq!(view.document.media_type, "text/html");

        // Stems in three languages, phrases, prefixes, facets.
        let found = |q: LibraryQuery| {
            let t = &t;
            let officer = &officer;
            async move {
                let r = research::search(&t.office, officer, &q).await.expect("search");
                r.hits.iter().map(|h| (h.document.id.clone(), h.passage)).collect::<Vec<_>>()
            }
        };
        assert!(found(words("checkpoint")).await.iter().any(|(d, _)| *d == en), "English stem");
        assert!(found(words("mutilation")).await.iter().any(|(d, _)| *d == fr), "French stem");
        assert!(found(words("الصحفيين")).await.iter().any(|(d, _)| *d == ar), "Arabic light stem");
        assert!(found(words("\"road to Kabul\"")).await.iter().any(|(d, _)| *d == en), "phrase");
        assert!(found(words("excis*")).await.iter().any(|(d, _)| *d == fr), "prefix");
        let sudan_only = LibraryQuery {
            countries: vec!["SDN".into()],
            country_match: CountryMatch::NoneOf,
            ..words("checkpoints OR mutilations")
        };
        let mut documents: Vec<String> = found(sudan_only).await.into_iter().map(|(d, _)| d).collect();
        documents.dedup();
        assert_eq!(documents, vec![en.clone()], "passages of the Afghan report only");
        let r = research::search(&t.office, &officer, &words("checkpoints")).await.expect("search");
        let hit = r.hits.first().expect("a hit");
        assert!(hit.snippet.iter().any(|m| m.matched && m.text.to_lowercase().starts_with("checkpoint")), "marked");
        let mended = research::search(&t.office, &officer, &words("\"road to")).await.expect("answered, not refused");
        assert!(mended.mended.is_some());
        assert!(
            research::search(&t.office, &officer, &LibraryQuery::default()).await.expect("recent").recent.len() == 4
        );

        // Bad input: a field at fault, nothing stored.
        let size = t.store.store.library_size().await.expect("size");
        let refused = |r: Result<String, OfficeError>| match r {
            Err(OfficeError::Field { field, .. }) => field,
            Err(OfficeError::Upload { field, code, .. }) => format!("{field}:{code}"),
            Err(OfficeError::Domain(nansen_domain::DomainError::Validation { field, .. })) => field.to_owned(),
            other => panic!("{other:?}"),
        };
        let mut encrypted = blank_pdf();
        let at = encrypted.windows(7).position(|w| w == b"/Root 1").expect("trailer");
        encrypted.splice(at..at, b"/Encrypt << /Filter /Standard /V 1 /R 2 >> ".iter().copied());
        assert_eq!(
            refused(
                research::add_document(&t.office, &assistant, form(&encrypted, "x", "eng", "AFG", &["security"])).await
            ),
            "file:library_encrypted"
        );
        assert_eq!(
            refused(
                research::add_document(
                    &t.office,
                    &assistant,
                    form(&[0xff, 0xd8, 0xff], "x", "eng", "AFG", &["security"])
                )
                .await
            ),
            "file:library_unknown_type"
        );
        assert_eq!(
            refused(
                research::add_document(&t.office, &assistant, form(b"new text here", "x", "eng", "QQQ", &["security"]))
                    .await
            ),
            "countries"
        );
        assert_eq!(
            refused(
                research::add_document(&t.office, &assistant, form(b"new text here", "x", "eng", "AFG", &["weather"]))
                    .await
            ),
            "topics"
        );
        assert_eq!(
            refused(
                research::add_document(
                    &t.office,
                    &assistant,
                    form(SECURITY_EN.as_bytes(), "x", "eng", "AFG", &["security"])
                )
                .await
            ),
            "file",
            "the same file twice"
        );
        assert_eq!(t.store.store.library_size().await.expect("size"), size, "nothing stored");
        let bad_facet = LibraryQuery { topics: vec!["weather".into()], ..words("x") };
        assert!(matches!(research::search(&t.office, &officer, &bad_facet).await, Err(OfficeError::Field { .. })));

        // A new version names the one it replaces; a search says the old one was replaced.
        let newer = NewDocumentForm {
            replaces: Some(en.clone()),
            ..form(
                format!("{SECURITY_EN}\n\nIn June, checkpoints were also reported on the Kandahar road.").as_bytes(),
                "Afghanistan – Security situation (update)",
                "eng",
                "AFG",
                &["security.checkpoints"],
            )
        };
        let v2 = research::add_document(&t.office, &assistant, newer.clone()).await.expect("new version");
        let old = research::document(&t.office, &officer, &en).await.expect("read");
        assert_eq!(old.document.replaced_by.as_deref(), Some(v2.as_str()));
        assert_eq!(old.newer.map(|d| d.id), Some(v2.clone()));
        let again = NewDocumentForm { bytes: b"a third text, replacing the first again".to_vec(), ..newer };
        assert_eq!(refused(research::add_document(&t.office, &assistant, again).await), "replaces");

        // Need to know: the reception agency reads nothing of the library.
        assert!(matches!(
            research::search(&t.office, &reception, &words("checkpoints")).await,
            Err(OfficeError::Forbidden { .. })
        ));
        assert!(matches!(research::document(&t.office, &reception, &en).await, Err(OfficeError::Forbidden { .. })));
        assert!(matches!(
            research::add_document(&t.office, &officer, form(b"an officer's text", "x", "eng", "AFG", &["security"]))
                .await,
            Err(OfficeError::Forbidden { .. })
        ));

        // The journal holds every document; the tables and the index rebuilt from it agree.
        assert_eq!(t.entries(&format!("library:{en}")).await.len(), 1);
        let before = found(words("checkpoints")).await;
        let report = t.store.store.rebuild().await.expect("rebuild");
        assert!(report.identical, "{report}");
        let passages = research::rebuild_index(&t.office).await.expect("index rebuilt");
        assert_eq!(passages, t.store.store.library_size().await.expect("size").1);
        assert_eq!(found(words("checkpoints")).await, before);
    }
}
