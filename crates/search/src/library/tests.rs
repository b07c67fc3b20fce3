use super::*;
use nansen_domain::research::mended;

struct P {
    document: &'static str,
    passage: u32,
    text: &'static str,
    language: &'static str,
    countries: Vec<String>,
    topics: Vec<String>,
    source: &'static str,
    kind: &'static str,
    day: i64,
    internal: bool,
}

fn library() -> Vec<P> {
    let c = |codes: &[&str]| codes.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        P {
            document: "coi-1",
            passage: 1,
            text: "Returnees are stopped at checkpoints on the Kabul–Ghazni road and questioned by the Taliban.",
            language: "eng",
            countries: c(&["AFG"]),
            topics: c(&["security.checkpoints", "security.returnees"]),
            source: "euaa",
            kind: "report",
            day: 20_000,
            internal: false,
        },
        P {
            document: "coi-1",
            passage: 2,
            text: "Forced marriage of girls remains widespread in rural provinces.",
            language: "eng",
            countries: c(&["AFG"]),
            topics: c(&["gender.forced-marriage"]),
            source: "euaa",
            kind: "report",
            day: 20_000,
            internal: false,
        },
        P {
            document: "coi-2",
            passage: 1,
            text: "Les arrestations d'opposants se multiplient à Téhéran depuis les manifestations.",
            language: "fra",
            countries: c(&["IRN"]),
            topics: c(&["politics.opposition"]),
            source: "ofpra",
            kind: "research_note",
            day: 20_300,
            internal: true,
        },
        P {
            document: "coi-3",
            passage: 4,
            text: "تشير التقارير إلى اعتقال العائدين في مطار دمشق واستجوابهم.",
            language: "ara",
            countries: c(&["SYR"]),
            topics: c(&["security.returnees"]),
            source: "hrw",
            kind: "news",
            day: 20_100,
            internal: false,
        },
        P {
            document: "coi-4",
            passage: 1,
            text: "Marriage registration and checkpoints in Syria and Afghanistan compared.",
            language: "eng",
            countries: c(&["AFG", "SYR"]),
            topics: c(&["state.documents"]),
            source: "unhcr",
            kind: "report",
            day: 19_500,
            internal: false,
        },
    ]
}

/// A test passage as the index takes it.
fn doc(p: &P) -> PassageDoc<'_> {
    PassageDoc {
        document: p.document,
        version: "ab",
        passage: p.passage,
        text: p.text,
        language: p.language,
        countries: &p.countries,
        topics: &p.topics,
        source: p.source,
        kind: p.kind,
        published_day: p.day,
        internal: p.internal,
    }
}

fn index() -> LibraryIndex {
    let index = LibraryIndex::in_memory().expect("index");
    let passages = library();
    let n = index
        .rebuild(passages.iter().map(|p| PassageDoc {
            document: p.document,
            version: "ab",
            passage: p.passage,
            text: p.text,
            language: p.language,
            countries: &p.countries,
            topics: &p.topics,
            source: p.source,
            kind: p.kind,
            published_day: p.day,
            internal: p.internal,
        }))
        .expect("rebuild");
    assert_eq!(n, 5);
    index
}

fn found(index: &LibraryIndex, q: &str, facets: &SearchFacets) -> Vec<(String, u32)> {
    let q = mended(q).expect("mended");
    index
        .search(q.as_deref(), facets, SortBy::Relevance, 20)
        .expect("search")
        .into_iter()
        .map(|h| (h.document, h.passage))
        .collect()
}

fn ids(list: &[(&str, u32)]) -> Vec<(String, u32)> {
    list.iter().map(|(d, p)| ((*d).to_owned(), *p)).collect()
}

#[test]
fn english_french_and_arabic_words_are_found_by_their_stems() {
    let index = index();
    let none = SearchFacets::default();
    let mut hits = found(&index, "checkpoint", &none);
    hits.sort();
    assert_eq!(hits, ids(&[("coi-1", 1), ("coi-4", 1)]));
    assert_eq!(found(&index, "arrestation", &none), ids(&[("coi-2", 1)]));
    assert_eq!(found(&index, "الاعتقالات", &none), ids(&[("coi-3", 4)]), "article and plural");
    assert_eq!(found(&index, "العائدون", &none), ids(&[("coi-3", 4)]));
}

#[test]
fn phrases_proximity_prefixes_and_operators() {
    let index = index();
    let none = SearchFacets::default();
    assert_eq!(found(&index, "\"forced marriage\"", &none), ids(&[("coi-1", 2)]));
    assert!(found(&index, "\"marriage forced\"", &none).is_empty());
    assert_eq!(found(&index, "\"returnees questioned\"~10", &none), ids(&[("coi-1", 1)]));
    let mut hits = found(&index, "marri*", &none);
    hits.sort();
    assert_eq!(hits, ids(&[("coi-1", 2), ("coi-4", 1)]));
    assert_eq!(found(&index, "checkpoints -Syria", &none), ids(&[("coi-1", 1)]));
    let mut either = found(&index, "Téhéran OR Ghazni", &none);
    either.sort();
    assert_eq!(either, ids(&[("coi-1", 1), ("coi-2", 1)]));
    // Mended, not refused.
    assert_eq!(found(&index, "\"forced marriage", &none), ids(&[("coi-1", 2)]));
    assert_eq!(found(&index, "(checkpoints AND", &none).len(), 2);
}

#[test]
fn facets_narrow_countries_one_all_or_none_and_the_rest() {
    let index = index();
    let countries = |codes: &[&str], m: CountryMatch| SearchFacets {
        countries: codes.iter().map(|s| (*s).to_owned()).collect(),
        country_match: m,
        ..Default::default()
    };
    let mut any = found(&index, "checkpoints", &countries(&["SYR"], CountryMatch::AnyOf));
    any.sort();
    assert_eq!(any, ids(&[("coi-4", 1)]));
    assert_eq!(
        index.search(None, &countries(&["AFG", "SYR"], CountryMatch::AllOf), SortBy::Relevance, 20).expect("all").len(),
        1
    );
    assert_eq!(
        index.search(None, &countries(&["AFG"], CountryMatch::NoneOf), SortBy::Relevance, 20).expect("none").len(),
        2
    );
    let topics = SearchFacets { topics: vec!["security".into()], ..Default::default() };
    assert_eq!(
        index.search(None, &topics, SortBy::Relevance, 20).expect("theme").len(),
        2,
        "a subject under its theme"
    );
    let period = SearchFacets { published_from: Some(20_050), published_to: Some(20_300), ..Default::default() };
    let mut dated = index
        .search(None, &period, SortBy::Date, 20)
        .expect("period")
        .into_iter()
        .map(|h| h.document)
        .collect::<Vec<_>>();
    dated.dedup();
    assert_eq!(dated, vec!["coi-2".to_owned(), "coi-3".to_owned()], "newest first");
    let outside = SearchFacets { external_only: true, ..Default::default() };
    assert!(index
        .search(None, &outside, SortBy::Relevance, 20)
        .expect("external")
        .iter()
        .all(|h| h.document != "coi-2"));
    let kinds = SearchFacets { kinds: vec!["news".into()], languages: vec!["ara".into()], ..Default::default() };
    assert_eq!(index.search(None, &kinds, SortBy::Relevance, 20).expect("kinds").len(), 1);
}

#[test]
fn snippets_mark_the_words_found_in_every_language() {
    let index = index();
    let hits = index.search(Some("checkpoint"), &SearchFacets::default(), SortBy::Relevance, 5).expect("search");
    let marked: Vec<&str> = hits[0].snippet.iter().filter(|m| m.matched).map(|m| m.text.as_str()).collect();
    assert_eq!(marked, vec!["checkpoints"], "{:?}", hits[0].snippet);
    let whole: String = hits[0].snippet.iter().map(|m| m.text.as_str()).collect();
    assert!(whole.contains("checkpoints"));
    let arabic = index.search(Some("الاعتقالات"), &SearchFacets::default(), SortBy::Relevance, 5).expect("search");
    assert!(arabic[0].snippet.iter().any(|m| m.matched && m.text == "اعتقال"), "{:?}", arabic[0].snippet);
}

#[test]
fn a_rebuild_replaces_everything_and_a_directory_index_reopens() {
    let dir = tempfile::tempdir().expect("dir");
    {
        let index = LibraryIndex::open(dir.path()).expect("open");
        let passages = library();
        index.rebuild(passages.iter().map(doc)).expect("rebuild");
        index.rebuild(std::iter::empty()).expect("emptied");
        assert!(index.is_empty());
        index.add(passages.iter().take(2).map(doc)).expect("added");
    }
    let again = LibraryIndex::open(dir.path()).expect("reopen");
    assert_eq!(again.len(), 2);
}
