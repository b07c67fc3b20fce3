//! The workbench's words in French and English, from Project Fluent files (`locales/*.ftl`)
//! compiled into the binary. A missing message shows its key, and a test fails on it.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The workbench's languages; the first is the default.
pub const LANGUAGES: [(&str, &str); 2] =
    [("fr", include_str!("../locales/fr.ftl")), ("en", include_str!("../locales/en.ftl"))];

pub struct Catalog {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

impl Catalog {
    pub fn embedded() -> Result<Catalog, String> {
        let mut bundles = Vec::new();
        for (code, source) in LANGUAGES {
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| format!("locales/{code}.ftl: {errors:?}"))?;
            let id: LanguageIdentifier = code.parse().map_err(|e| format!("{code}: {e}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they would show in plain-text contexts.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|errors| format!("locales/{code}.ftl: {errors:?}"))?;
            bundles.push((code, bundle));
        }
        Ok(Catalog { bundles })
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
        let source = LANGUAGES.iter().find(|(c, _)| *c == lang).map(|(_, s)| *s).unwrap_or_default();
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

    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
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
        for dir in ["src", "templates"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(&path).expect("read dir").flatten() {
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
            "custody-",
            "location-",
        ];
        let unused: Vec<_> = ids
            .iter()
            .filter(|k| !sources.contains(&format!("\"{k}\"")) && !dynamic.iter().any(|p| k.starts_with(p)))
            .collect();
        assert!(unused.is_empty(), "messages never used: {unused:?}");
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
}
