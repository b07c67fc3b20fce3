//! The translations of the agency's letters: a Project Fluent catalog (`locales/letters/*.ftl`,
//! compiled in) in the six languages of the applicants' portal — French, English, Arabic, Dari,
//! Russian, Spanish — from which callers build the household-language part of a letter (a
//! `Translation`, which the `letters` module defines). The French text of a letter stays the
//! authentic one; these paragraphs help the household understand it.
//!
//! A file that does not parse is an error of [`Translations::embedded`] (and a failing test), never
//! a panic; a message that is missing, or that does not format with the arguments given, is `None`.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

use super::{template_error, PrintError};

/// The catalog's languages: code, name in French, written right to left, source.
const LANGUAGES: [(&str, &str, bool, &str); 6] = [
    ("fr", "français", false, include_str!("../../locales/letters/fr.ftl")),
    ("en", "anglais", false, include_str!("../../locales/letters/en.ftl")),
    ("ar", "arabe", true, include_str!("../../locales/letters/ar.ftl")),
    ("fa-AF", "dari", true, include_str!("../../locales/letters/fa-AF.ftl")),
    ("ru", "russe", false, include_str!("../../locales/letters/ru.ftl")),
    ("es", "espagnol", false, include_str!("../../locales/letters/es.ftl")),
];

/// The letters' translations (Project Fluent, `locales/letters/*.ftl`, compiled in).
pub struct Translations {
    bundles: Vec<(&'static str, FluentBundle<FluentResource>)>,
}

impl std::fmt::Debug for Translations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let languages: Vec<&str> = self.bundles.iter().map(|(code, _)| *code).collect();
        f.debug_struct("Translations").field("languages", &languages).finish()
    }
}

static EMBEDDED: LazyLock<Result<Translations, PrintError>> = LazyLock::new(Translations::parse);

impl Translations {
    /// The embedded catalog (parsed once; a malformed file is an error here, never a panic).
    pub fn embedded() -> Result<&'static Translations, PrintError> {
        EMBEDDED.as_ref().map_err(Clone::clone)
    }

    fn parse() -> Result<Translations, PrintError> {
        let mut bundles = Vec::new();
        for (code, _, _, source) in LANGUAGES {
            let file = format!("locales/letters/{code}.ftl");
            let resource = FluentResource::try_new(source.to_owned())
                .map_err(|(_, errors)| template_error(&file, format!("{errors:?}")))?;
            let id: LanguageIdentifier = code.parse().map_err(|e| template_error(&file, format!("{code}: {e}")))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: the printer sets the text itself.
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).map_err(|errors| template_error(&file, format!("{errors:?}")))?;
            bundles.push((code, bundle));
        }
        Ok(Translations { bundles })
    }

    /// The catalog's language for a household's language code (ISO 639-1 or 639-3, any case, with or
    /// without a region): "fr", "en", "ar", "ru", "es", and "fa-AF" for Dari and Persian ("prs", "fa",
    /// "fa-AF"); `None` for any other (e.g. "ti", "ps").
    pub fn pick(code: &str) -> Option<&'static str> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "fr" => Some("fr"),
            "en" => Some("en"),
            "ar" => Some("ar"),
            "prs" | "fa" => Some("fa-AF"),
            "ru" => Some("ru"),
            "es" => Some("es"),
            _ => None,
        }
    }

    /// Whether a catalog language (or a code [`Translations::pick`] maps to one) is written right to left.
    pub fn rtl(lang: &str) -> bool {
        Translations::language(lang).is_some_and(|(_, _, rtl, _)| rtl)
    }

    /// The language's name in French ("français", "anglais", "arabe", "dari", "russe", "espagnol"); empty
    /// for a language outside the catalog.
    pub fn french_name(lang: &str) -> &'static str {
        Translations::language(lang).map_or("", |(_, name, _, _)| name)
    }

    fn language(lang: &str) -> Option<(&'static str, &'static str, bool, &'static str)> {
        let code = Translations::pick(lang)?;
        LANGUAGES.into_iter().find(|(c, _, _, _)| *c == code)
    }

    fn bundle(&self, lang: &str) -> Option<&FluentBundle<FluentResource>> {
        let code = Translations::pick(lang)?;
        self.bundles.iter().find(|(c, _)| *c == code).map(|(_, bundle)| bundle)
    }

    /// One message with text arguments; `None` when the language or key is missing or formatting fails
    /// (an argument missing, for instance).
    pub fn message(&self, lang: &str, key: &str, args: &[(&str, &str)]) -> Option<String> {
        let bundle = self.bundle(lang)?;
        let pattern = bundle.get_message(key)?.value()?;
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            fluent.set(*name, FluentValue::from(*value));
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent), &mut errors).into_owned();
        errors.is_empty().then_some(text)
    }

    /// The paragraphs of a letter's translation: keys `<kind with '_' as '-'>-1`, `-2`, … in order until
    /// the first missing one, formatted with `args` (e.g. kind "offer_refusal", or
    /// "conditions_ending_decision_ended"). `None` when the language is missing, has no paragraph 1, or a
    /// paragraph does not format (a translation with a hole is no translation).
    pub fn paragraphs(&self, lang: &str, kind: &str, args: &[(&str, &str)]) -> Option<Vec<String>> {
        let bundle = self.bundle(lang)?;
        let prefix = kind.replace('_', "-");
        let mut paragraphs = Vec::new();
        for n in 1.. {
            let key = format!("{prefix}-{n}");
            if !bundle.has_message(&key) {
                break;
            }
            paragraphs.push(self.message(lang, &key, args)?);
        }
        (!paragraphs.is_empty()).then_some(paragraphs)
    }
}

const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Translations>();
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_parses_and_holds_the_six_languages() {
        let catalog = Translations::embedded().expect("the locales parse");
        let codes: Vec<&str> = catalog.bundles.iter().map(|(c, _)| *c).collect();
        assert_eq!(codes, ["fr", "en", "ar", "fa-AF", "ru", "es"]);
    }

    #[test]
    fn a_missing_argument_is_no_message() {
        let catalog = Translations::embedded().expect("the locales parse");
        assert!(catalog.message("en", "offer-refusal-1", &[]).is_none());
        assert!(catalog.paragraphs("en", "offer_refusal", &[]).is_none());
        assert!(catalog.message("en", "no-such-key", &[]).is_none());
    }
}
