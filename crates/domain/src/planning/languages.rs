//! Interview languages: ISO 639-3 codes checked against the registration authority's table
//! (`rules/iso-639-3.tsv`, kept as data), with an optional dialect label.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

const TABLE: &str = include_str!("../../rules/iso-639-3.tsv");

/// Code → (ISO 639-1 code or "", reference name); and ISO 639-1 → ISO 639-3.
struct Table {
    by_code: HashMap<&'static str, (&'static str, &'static str)>,
    by_two: HashMap<&'static str, &'static str>,
}

static LANGUAGES: LazyLock<Table> = LazyLock::new(|| {
    let mut by_code = HashMap::new();
    let mut by_two = HashMap::new();
    for line in TABLE.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let mut parts = line.split('\t');
        let (Some(code), Some(two), Some(name)) = (parts.next(), parts.next(), parts.next()) else { continue };
        by_code.insert(code, (two, name));
        if !two.is_empty() {
            by_two.insert(two, code);
        }
    }
    Table { by_code, by_two }
});

/// An ISO 639-3 code that exists (`tir`, `prs`, `pus`). The cases' languages may be written
/// with ISO 639-1 codes (`ps`); [`LanguageCode::parse`] maps them to ISO 639-3.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LanguageCode(String);

impl LanguageCode {
    pub fn parse(s: &str) -> Result<LanguageCode, DomainError> {
        let s = s.trim().to_ascii_lowercase();
        let table = &*LANGUAGES;
        if let Some((code, _)) = table.by_code.get_key_value(s.as_str()) {
            return Ok(LanguageCode((*code).to_owned()));
        }
        if let Some(code) = table.by_two.get(s.as_str()) {
            return Ok(LanguageCode((*code).to_owned()));
        }
        Err(DomainError::validation(
            "language",
            format!("{s:?} is not an ISO 639-3 language code (like tir for Tigrinya, prs for Dari)"),
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The reference name in the code table (English), e.g. "Tigrinya".
    pub fn name(&self) -> &'static str {
        LANGUAGES.by_code.get(self.0.as_str()).map(|(_, name)| *name).unwrap_or("")
    }
}

impl TryFrom<String> for LanguageCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        LanguageCode::parse(&s)
    }
}

impl From<LanguageCode> for String {
    fn from(c: LanguageCode) -> String {
        c.0
    }
}

impl std::fmt::Display for LanguageCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A language as interpreted: its code and, when it matters, a dialect ("Hassaniya",
/// "Sorani"): letters, spaces, hyphens and apostrophes, up to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Spoken {
    pub code: LanguageCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
}

impl Spoken {
    /// Parses `code` or `code:dialect` (`ara:Sudanese`).
    pub fn parse(s: &str) -> Result<Spoken, DomainError> {
        let (code, dialect) = match s.split_once(':') {
            Some((c, d)) => (c, Some(d)),
            None => (s, None),
        };
        let code = LanguageCode::parse(code)?;
        let dialect = match dialect.map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => {
                let ok = d.chars().count() <= 40
                    && d.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'');
                if !ok {
                    return Err(DomainError::validation(
                        "language",
                        format!("{d:?} is not a dialect's name (letters, spaces and hyphens, up to 40)"),
                    ));
                }
                Some(d.to_owned())
            }
        };
        Ok(Spoken { code, dialect })
    }

    /// Whether an interpreter speaking `self` serves an applicant who asks for `wanted`: the same
    /// code, and the same dialect when the applicant asks for one.
    pub fn serves(&self, wanted: &Spoken) -> bool {
        self.code == wanted.code && (wanted.dialect.is_none() || self.dialect == wanted.dialect)
    }
}

impl std::fmt::Display for Spoken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.dialect {
            Some(d) => write!(f, "{}:{d}", self.code),
            None => write!(f, "{}", self.code),
        }
    }
}
