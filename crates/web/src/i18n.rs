//! The words of the workbench (French and English, `locales/*.ftl`) and of the applicants' secure
//! space (French, English, Arabic, Dari, Russian, Spanish, `locales/portal/*.ftl`), from Project
//! Fluent files compiled into the binary. A missing message shows its key, and a test fails on it.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The workbench's languages; the first is the default.
pub const LANGUAGES: [(&str, &str); 2] =
    [("fr", include_str!("../locales/fr.ftl")), ("en", include_str!("../locales/en.ftl"))];

/// The applicants' languages: code, name in the language itself, written right to left, source.
pub const PORTAL_LANGUAGES: [(&str, &str, bool, &str); 6] = [
    ("fr", "Français", false, include_str!("../locales/portal/fr.ftl")),
    ("en", "English", false, include_str!("../locales/portal/en.ftl")),
    ("ar", "العربية", true, include_str!("../locales/portal/ar.ftl")),
    ("fa-AF", "دری", true, include_str!("../locales/portal/fa-AF.ftl")),
    ("ru", "Русский", false, include_str!("../locales/portal/ru.ftl")),
    ("es", "Español", false, include_str!("../locales/portal/es.ftl")),
];

pub struct Catalog {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
    /// The files as written, for the tests that compare languages.
    #[cfg_attr(not(test), allow(dead_code))]
    sources: Vec<(&'static str, &'static str)>,
    rtl: Vec<&'static str>,
}

impl Catalog {
    /// The workbench's catalog.
    pub fn embedded() -> Result<Catalog, String> {
        Catalog::of(&LANGUAGES, &[])
    }

    /// The applicants' catalog.
    pub fn portal() -> Result<Catalog, String> {
        let sources: Vec<(&'static str, &'static str)> = PORTAL_LANGUAGES.iter().map(|(c, _, _, s)| (*c, *s)).collect();
        let rtl: Vec<&'static str> = PORTAL_LANGUAGES.iter().filter(|l| l.2).map(|l| l.0).collect();
        Catalog::of(&sources, &rtl)
    }

    fn of(languages: &[(&'static str, &'static str)], rtl: &[&'static str]) -> Result<Catalog, String> {
        let mut bundles = Vec::new();
        for &(code, source) in languages {
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| format!("locales/{code}.ftl: {errors:?}"))?;
            let id: LanguageIdentifier = code.parse().map_err(|e| format!("{code}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they would show in plain-text contexts.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|errors| format!("locales/{code}.ftl: {errors:?}"))?;
            bundles.push((code, bundle));
        }
        Ok(Catalog { bundles, sources: languages.to_vec(), rtl: rtl.to_vec() })
    }

    /// The supported language that best matches an `Accept-Language` header, if any.
    pub fn negotiate(&self, accept: &str) -> Option<&'static str> {
        accept.split(',').filter_map(|part| part.split(';').next()).map(str::trim).find_map(|wanted| {
            let wanted = wanted.to_ascii_lowercase();
            let codes = self.bundles.iter().map(|(c, _)| *c);
            codes.clone().find(|c| c.to_ascii_lowercase() == wanted).or_else(|| {
                let primary = wanted.split('-').next().unwrap_or_default();
                // Persian in any form is offered the Dari text; otherwise the primary language.
                let primary = if primary == "prs" { "fa" } else { primary };
                codes.clone().find(|c| c.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary)))
            })
        })
    }

    /// The language to use: a supported code, else French.
    pub fn pick(&self, wanted: &str) -> &'static str {
        self.bundles.iter().map(|(c, _)| *c).find(|c| *c == wanted).unwrap_or("fr")
    }

    pub fn tr(&self, lang: &str) -> Tr<'_> {
        let i = self.bundles.iter().position(|(c, _)| *c == lang).unwrap_or(0);
        Tr { catalog: self, index: i }
    }

    /// Every message id of a language (for the tests that compare the languages).
    #[cfg(test)]
    pub fn ids(&self, lang: &str) -> Vec<String> {
        let source = self.sources.iter().find(|(c, _)| *c == lang).map(|(_, s)| *s).unwrap_or_default();
        source
            .lines()
            .filter_map(|l| l.split_once(" ="))
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with(' ') && !k.starts_with('.'))
            .map(str::to_owned)
            .collect()
    }
}

/// A translator for one language, handed to the templates.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    catalog: &'a Catalog,
    index: usize,
}

impl Tr<'_> {
    pub fn lang(&self) -> &'static str {
        self.catalog.bundles.get(self.index).map(|(c, _)| *c).unwrap_or("fr")
    }

    /// "rtl" for languages written right to left, else "ltr": the page's `dir`.
    pub fn dir(&self) -> &'static str {
        if self.catalog.rtl.contains(&self.lang()) {
            "rtl"
        } else {
            "ltr"
        }
    }

    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// A message with one named text argument (for the templates).
    pub fn t1(&self, key: &str, name: &str, value: &str) -> String {
        self.ta(key, &[(name, value)])
    }

    /// A message with named text arguments.
    pub fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        self.format(key, Some(&fluent))
    }

    /// A message with arguments of any Fluent type (numbers select plurals, `1er`…).
    pub fn targs(&self, key: &str, args: FluentArgs) -> String {
        self.format(key, Some(&args))
    }

    /// A message with a count `$count` (plural rules apply).
    pub fn tn(&self, key: &str, count: impl std::borrow::Borrow<u64>) -> String {
        let mut args = FluentArgs::new();
        args.set("count", FluentValue::from(*count.borrow()));
        self.format(key, Some(&args))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let Some((_, bundle)) = self.catalog.bundles.get(self.index) else { return key.to_owned() };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else { return key.to_owned() };
        let mut errors = Vec::new();
        let s = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "translation");
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages() {
        let c = Catalog::embedded().expect("the locales parse");
        let mut fr = c.ids("fr");
        let mut en = c.ids("en");
        fr.sort();
        en.sort();
        assert!(fr.len() > 50, "{}", fr.len());
        let only_fr: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        assert!(only_fr.is_empty() && only_en.is_empty(), "only in fr: {only_fr:?}; only in en: {only_en:?}");
    }

    #[test]
    fn every_message_used_in_the_code_exists_and_every_message_is_used() {
        let c = Catalog::embedded().expect("the locales parse");
        let ids = c.ids("fr");
        let mut sources = String::new();
        for dir in [
            "src",
            "src/statistics",
            "src/protection",
            "src/reception",
            "src/planning",
            "src/research",
            "templates",
            "templates/statistics",
            "templates/protection",
            "templates/reception",
            "templates/planning",
            "templates/research",
        ] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            // The portal has its own catalog (tested below).
            for entry in std::fs::read_dir(&path).expect("read dir").flatten().filter(|e| e.file_name() != "portal.rs")
            {
                sources.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        // Messages named from a value (a status, an outcome, a role…) are used through their prefix.
        let dynamic = [
            "status-",
            "outcome-",
            "role-",
            "procedure-",
            "deadline-",
            "mode-",
            "kind-",
            "error-",
            "done-",
            "event-",
            "division-",
            "doc-kind-",
            "doc-origin-",
            "doc-active-",
            "custody-",
            "location-",
            "why-",
            "month-",
            "weekday-",
            "age-band-",
            "table-",
            "level-",
            "position-",
            "appeal-done-",
            "defence-stage-",
            "chamber-",
            "formation-",
            "court-outcome-",
            "cassation-by-",
            "civil-done-",
            "civil-event-",
            "civil-sex-",
            "mention-kind-",
            "act-kind-",
            "family-role-",
            "fgm-done-",
            "fgm-incident-",
            "ending-done-",
            "ending-ground-",
            "ending-stage-",
            "reception-procedure-",
            "reception-member-",
            "reception-done-",
            "reception-decision-",
            "reception-open-",
            "reception-declare-",
            "reception-arrive-",
            "relationship-",
            "need-",
            "priority-",
            "place-",
            "leave-",
            "measure-",
            "offer-",
            "structure-done-",
            "allowance-why-",
            "orientation-plan-",
            "orientation-outcome-",
            "orientation-why-",
            "orientation-reason-",
            "conditions-ground-",
            "reception-letter-",
            "planning-done-",
            "planning-field-",
            "planning-hint-",
            "planning-kind-",
            "planning-step-",
            "planning-status-",
            "planning-cause-",
            "planning-change-",
            "planning-reason-",
            "planning-absence-",
            "library-type-",
            "research-status-",
        ];
        let unused: Vec<_> = ids
            .iter()
            .filter(|k| !sources.contains(&format!("\"{k}\"")) && !dynamic.iter().any(|p| k.starts_with(p)))
            .collect();
        assert!(unused.is_empty(), "messages never used: {unused:?}");
        // Every event the journal records has its words on the case's timeline, in each language.
        let events = include_str!("../../domain/src/cases/event.rs");
        let kinds: Vec<&str> = events
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Event::")?.split_once("=> \"")?.1.strip_suffix("\","))
            .collect();
        assert!(kinds.len() >= 40, "the event kinds are read from event.rs: {kinds:?}");
        for lang in ["fr", "en"] {
            let have = c.ids(lang);
            let missing: Vec<_> = kinds.iter().filter(|k| !have.contains(&format!("event-{k}"))).collect();
            assert!(missing.is_empty(), "{lang}: events without words on the timeline: {missing:?}");
        }
        // Every t("…") in the templates names a message.
        let mut missing = Vec::new();
        for call in ["tr.t(\"", "tr.tn(\""] {
            for part in sources.split(call).skip(1) {
                if let Some(key) = part.split('"').next() {
                    if !ids.iter().any(|k| k == key) {
                        missing.push(key.to_owned());
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "messages missing from the locales: {missing:?}");
    }

    #[test]
    fn every_portal_language_has_every_message_and_every_message_is_used() {
        let c = Catalog::portal().expect("the portal's locales parse");
        let mut fr = c.ids("fr");
        fr.sort();
        assert!(fr.len() > 100, "{}", fr.len());
        for (lang, _, _, _) in PORTAL_LANGUAGES {
            let mut ids = c.ids(lang);
            ids.sort();
            let missing: Vec<_> = fr.iter().filter(|k| !ids.contains(k)).collect();
            let extra: Vec<_> = ids.iter().filter(|k| !fr.contains(k)).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}; not in French {extra:?}");
            // Every message formats without error with the arguments the code gives.
            let tr = c.tr(lang);
            assert_eq!(tr.lang(), lang);
            for key in &ids {
                let mut args = FluentArgs::new();
                for (name, value) in [("date", "3"), ("day", "3"), ("month", "m"), ("year", "2026")] {
                    args.set(name, FluentValue::from(value));
                }
                args.set("count", FluentValue::from(10u64));
                let bundle = &c.bundles.iter().find(|(l, _)| *l == lang).expect("bundle").1;
                let pattern = bundle.get_message(key).and_then(|m| m.value()).expect("a value");
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty() && !text.trim().is_empty(), "{lang} {key}: {errors:?}");
            }
        }
        let mut sources =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/portal.rs")).expect("portal.rs");
        let modules = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/portal");
        for entry in std::fs::read_dir(&modules).expect("portal modules").flatten() {
            sources.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        let templates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/portal");
        for entry in std::fs::read_dir(&templates).expect("templates").flatten() {
            sources.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        // Named from a value: a step, a milestone, a document type, an error code, a month.
        let dynamic = [
            "step-",
            "milestone-",
            "doc-kind-",
            "error-",
            "month-",
            "civil-act-",
            "ending-",
            "reception-letter-",
            "notice-channel-",
        ];
        let unused: Vec<_> = fr
            .iter()
            .filter(|k| !sources.contains(&format!("\"{k}\"")) && !dynamic.iter().any(|p| k.starts_with(p)))
            .collect();
        assert!(unused.is_empty(), "portal messages never used: {unused:?}");
        let mut missing = Vec::new();
        for call in ["tr.t(\"", "tr.tn(\"", "tr.t1(\"", "tr.ta(\""] {
            for part in sources.split(call).skip(1) {
                if let Some(key) = part.split('"').next() {
                    if !fr.iter().any(|k| k == key) {
                        missing.push(key.to_owned());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "portal messages missing from the locales: {missing:?}");
        // Every value a dynamic key is made from has its message.
        for step in nansen_domain::portal::Step::ALL {
            for part in ["title", "text"] {
                let key = format!("step-{}-{part}", step.as_str().replace('_', "-"));
                assert!(fr.contains(&key), "{key}");
            }
        }
        for kind in nansen_domain::documents::DocumentKind::ALL {
            let key = format!("doc-kind-{}", kind.as_str().replace('_', "-"));
            assert!(fr.contains(&key), "{key}");
        }
        for m in ["interview", "decision-expected", "open-decision-by", "appeal-by", "hearing"] {
            assert!(fr.contains(&format!("milestone-{m}")), "{m}");
        }
        for month in 1..=12 {
            assert!(fr.contains(&format!("month-{month}")), "{month}");
        }
    }

    #[test]
    fn the_browser_language_is_matched_to_the_portals() {
        let c = Catalog::portal().expect("locales");
        assert_eq!(c.negotiate("ar-SY,ar;q=0.9"), Some("ar"));
        assert_eq!(c.negotiate("prs"), Some("fa-AF"));
        assert_eq!(c.negotiate("fa-IR"), Some("fa-AF"));
        assert_eq!(c.negotiate("de-DE, ru;q=0.5"), Some("ru"));
        assert_eq!(c.negotiate("de-DE"), None);
        assert_eq!(c.tr("ar").dir(), "rtl");
        assert_eq!(c.tr("fa-AF").dir(), "rtl");
        assert_eq!(c.tr("ru").dir(), "ltr");
    }
}
