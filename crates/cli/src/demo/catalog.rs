//! The demo's catalogue of names per nationality (`names.toml`): family and given names in their
//! original script with a Latin transliteration, birth places, and how often a birth date is only
//! partly known. The persons assembled from it are fictional.

use serde::Deserialize;

const NAMES: &str = include_str!("names.toml");

/// A name as written in its original script and as transliterated into Latin letters.
#[derive(Debug, Clone, Deserialize)]
pub struct NameEntry {
    pub original: String,
    pub latin: String,
}

/// The names and places of one nationality.
#[derive(Debug, Clone, Deserialize)]
pub struct NationalityNames {
    /// ISO 3166-1 alpha-3 code, as in the domain's `nationalities.toml`.
    pub code: String,
    /// Share of applicants whose exact birth date is unknown (only the year or the month is).
    pub birth_date_uncertainty: f64,
    /// `family` when spouses and children share the applicant's family name; `patronymic` or `single` otherwise.
    pub family_name_style: String,
    pub family_names: Vec<NameEntry>,
    pub male_given_names: Vec<NameEntry>,
    pub female_given_names: Vec<NameEntry>,
    pub birth_places: Vec<NameEntry>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Catalog {
    #[serde(rename = "nationality")]
    pub nationalities: Vec<NationalityNames>,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("names.toml is not valid TOML: {0}")]
    Syntax(#[from] toml::de::Error),
    #[error("names.toml, {code}: {reason}")]
    Invalid { code: String, reason: String },
}

impl Catalog {
    /// The catalogue compiled into the binary, checked so that the generator can pick from every list.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::parse(NAMES)
    }

    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let catalog: Catalog = toml::from_str(text)?;
        for n in &catalog.nationalities {
            let invalid = |reason: &str| CatalogError::Invalid { code: n.code.clone(), reason: reason.to_owned() };
            if !(0.0..=1.0).contains(&n.birth_date_uncertainty) {
                return Err(invalid("birth_date_uncertainty is a share between 0 and 1"));
            }
            if !matches!(n.family_name_style.as_str(), "family" | "patronymic" | "single") {
                return Err(invalid("family_name_style is family, patronymic or single"));
            }
            let lists = [&n.family_names, &n.male_given_names, &n.female_given_names, &n.birth_places];
            if lists.iter().any(|l| l.is_empty()) {
                return Err(invalid("every list of names and places needs at least one entry"));
            }
            if lists.iter().flat_map(|l| l.iter()).any(|e| e.original.trim().is_empty() || e.latin.trim().is_empty()) {
                return Err(invalid("a name or place is empty"));
            }
        }
        if catalog.nationalities.is_empty() {
            return Err(CatalogError::Invalid { code: "-".into(), reason: "no nationality".into() });
        }
        Ok(catalog)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nansen_domain::ids::Nationality;
    use nansen_domain::rules::Rules;

    #[test]
    fn every_catalogued_nationality_is_in_the_rules_and_most_names_are_in_their_own_script() {
        let catalog = Catalog::embedded().expect("the embedded catalogue is valid");
        let rules = Rules::embedded();
        assert!(catalog.nationalities.len() >= 30);
        let mut non_latin = 0;
        for n in &catalog.nationalities {
            let code = Nationality::parse(&n.code).expect("an ISO code");
            assert!(rules.nationality(code).is_some(), "{} is not in nationalities.toml", n.code);
            if n.family_names.iter().any(|e| !e.original.is_ascii()) {
                non_latin += 1;
            }
            assert!(n.family_names.iter().all(|e| e.latin.is_ascii()), "{}: transliterations are ASCII", n.code);
        }
        assert!(non_latin >= 15, "names in their original script: {non_latin}");
    }

    #[test]
    fn a_bad_catalogue_is_refused_with_its_nationality() {
        let text = r#"
[[nationality]]
code = "AFG"
birth_date_uncertainty = 1.5
family_name_style = "family"
family_names = [{ original = "احمدی", latin = "Ahmadi" }]
male_given_names = [{ original = "محمد", latin = "Mohammad" }]
female_given_names = [{ original = "مریم", latin = "Maryam" }]
birth_places = [{ original = "کابل", latin = "Kaboul" }]
"#;
        let err = Catalog::parse(text).expect_err("uncertainty above 1");
        assert!(err.to_string().contains("AFG"), "{err}");
    }
}
