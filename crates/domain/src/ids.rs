//! Identifiers and codes: case numbers, nationalities, languages, agents' logins, divisions and sections.
//!
//! Each is a type that cannot hold a malformed value: built with `parse` (or `new`), and deserialized through
//! the same checks.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::DomainError;

/// The office's case number: the year of registration and a 7-digit sequence, written `2026-0001234`.
///
/// The sequence is allocated by the store before the case is registered. `0000-0000000` is the placeholder of
/// an unregistered case and is refused by registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    year: u16,
    seq: u32,
}

impl CaseNumber {
    /// The largest sequence number (7 digits).
    pub const MAX_SEQ: u32 = 9_999_999;
    /// The number of a case not yet registered.
    pub const PLACEHOLDER: CaseNumber = CaseNumber { year: 0, seq: 0 };

    /// A case number from its year (0 to 9999) and sequence (0 to 9,999,999).
    pub fn new(year: i32, seq: u32) -> Result<Self, DomainError> {
        let year = u16::try_from(year)
            .ok()
            .filter(|y| *y <= 9999)
            .ok_or_else(|| DomainError::validation("case_number", format!("year {year} is not between 0 and 9999")))?;
        if seq > Self::MAX_SEQ {
            return Err(DomainError::validation("case_number", format!("sequence {seq} has more than 7 digits")));
        }
        Ok(CaseNumber { year, seq })
    }

    /// Parse `YYYY-NNNNNNN`.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let bad = || DomainError::validation("case_number", format!("{s:?} is not a case number like 2026-0001234"));
        let (y, n) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || n.len() != 7 || !y.bytes().chain(n.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let seq: u32 = n.parse().map_err(|_| bad())?;
        Self::new(year, seq)
    }

    pub fn year(&self) -> i32 {
        i32::from(self.year)
    }

    pub fn seq(&self) -> u32 {
        self.seq
    }

    /// Whether this is the placeholder of an unregistered case.
    pub fn is_placeholder(&self) -> bool {
        self.seq == 0
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:07}", self.year, self.seq)
    }
}

impl TryFrom<String> for CaseNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CaseNumber> for String {
    fn from(n: CaseNumber) -> String {
        n.to_string()
    }
}

/// A nationality as an ISO 3166-1 alpha-3 code in upper case (`SYR`, `AFG`); `XXA` stands for stateless and
/// `XXX` for unknown, as in travel documents (ICAO 9303).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nationality([u8; 3]);

impl Nationality {
    /// Stateless (ICAO 9303 code).
    pub const STATELESS: Nationality = Nationality(*b"XXA");
    /// Unknown nationality (ICAO 9303 code).
    pub const UNKNOWN: Nationality = Nationality(*b"XXX");

    /// Parse three upper-case ASCII letters.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Nationality([*a, *b, *c])),
            _ => Err(DomainError::validation(
                "nationality",
                format!("{s:?} is not an ISO 3166-1 alpha-3 code in upper case, like SYR"),
            )),
        }
    }

    pub fn as_str(&self) -> &str {
        // Built only from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for Nationality {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Nationality> for String {
    fn from(n: Nationality) -> String {
        n.as_str().to_owned()
    }
}

/// A language as an ISO 639-1 (`ar`) or ISO 639-3 (`prs`) code in lower case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Language(String);

impl Language {
    /// Parse two or three lower-case ASCII letters.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(Language(s.to_owned()))
        } else {
            Err(DomainError::validation(
                "language",
                format!("{s:?} is not an ISO 639 code in lower case, like ar or prs"),
            ))
        }
    }

    /// `und`, ISO 639's "undetermined": the placeholder of an unregistered case.
    pub fn undetermined() -> Self {
        Language("und".to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Language {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Language> for String {
    fn from(l: Language) -> String {
        l.0
    }
}

/// An agent's login: 1 to 64 characters among `a-z`, `0-9`, `.`, `_` and `-`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    pub const MAX_LEN: usize = 64;

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let ok = !s.is_empty()
            && s.len() <= Self::MAX_LEN
            && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'));
        if ok {
            Ok(Login(s.to_owned()))
        } else {
            Err(DomainError::validation("login", format!("{s:?} is not a login (1 to 64 of a-z, 0-9, '.', '_', '-')")))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Login {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Login> for String {
    fn from(l: Login) -> String {
        l.0
    }
}

/// The office's geographic divisions that examine applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DivisionId {
    Africa,
    AmericasMaghreb,
    Asia,
    EuropeMiddleEast,
}

impl DivisionId {
    pub const ALL: [DivisionId; 4] =
        [DivisionId::Africa, DivisionId::AmericasMaghreb, DivisionId::Asia, DivisionId::EuropeMiddleEast];

    pub fn all() -> &'static [DivisionId] {
        &Self::ALL
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            DivisionId::Africa => "africa",
            DivisionId::AmericasMaghreb => "americas-maghreb",
            DivisionId::Asia => "asia",
            DivisionId::EuropeMiddleEast => "europe-middle-east",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        Self::ALL.into_iter().find(|d| d.as_str() == s).ok_or_else(|| {
            DomainError::validation(
                "division",
                format!("{s:?} is not a division (africa, americas-maghreb, asia, europe-middle-east)"),
            )
        })
    }
}

impl fmt::Display for DivisionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A section within a division, numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct SectionId(u8);

impl SectionId {
    pub fn new(n: u8) -> Result<Self, DomainError> {
        if n == 0 {
            Err(DomainError::validation("section", "sections are numbered from 1"))
        } else {
            Ok(SectionId(n))
        }
    }

    pub fn get(&self) -> u8 {
        self.0
    }
}

impl fmt::Display for SectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u8> for SectionId {
    type Error = DomainError;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        Self::new(n)
    }
}

impl From<SectionId> for u8 {
    fn from(s: SectionId) -> u8 {
        s.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_parse_and_print() {
        let n = CaseNumber::parse("2026-0001234").expect("valid");
        assert_eq!((n.year(), n.seq()), (2026, 1234));
        assert_eq!(n.to_string(), "2026-0001234");
        assert_eq!(CaseNumber::new(2026, 1234).expect("valid"), n);
        for bad in ["2026-1234", "26-0001234", "2026_0001234", "2026-00012345", "2026-000123a", "-026-0001234", ""] {
            assert!(CaseNumber::parse(bad).is_err(), "{bad}");
        }
        assert!(CaseNumber::new(2026, 10_000_000).is_err());
        assert!(CaseNumber::new(-1, 1).is_err());
        assert!(CaseNumber::PLACEHOLDER.is_placeholder());
        assert_eq!(CaseNumber::PLACEHOLDER.to_string(), "0000-0000000");
    }

    #[test]
    fn serde_goes_through_parse() {
        let n: CaseNumber = serde_json::from_str("\"2026-0000007\"").expect("valid");
        assert_eq!(serde_json::to_string(&n).expect("serializes"), "\"2026-0000007\"");
        assert!(serde_json::from_str::<CaseNumber>("\"2026-7\"").is_err());
        assert!(serde_json::from_str::<Nationality>("\"syr\"").is_err());
        assert!(serde_json::from_str::<Language>("\"Arabic\"").is_err());
        assert!(serde_json::from_str::<Login>("\"Jean Dupont\"").is_err());
        assert!(serde_json::from_str::<SectionId>("0").is_err());
        assert_eq!(serde_json::from_str::<SectionId>("3").expect("valid").get(), 3);
        assert_eq!(serde_json::to_string(&DivisionId::EuropeMiddleEast).expect("ok"), "\"europe-middle-east\"");
        assert!(serde_json::from_str::<DivisionId>("\"europe\"").is_err());
    }

    #[test]
    fn codes_are_checked() {
        assert_eq!(Nationality::parse("SYR").expect("valid").as_str(), "SYR");
        assert_eq!(Nationality::parse("XXA").expect("valid"), Nationality::STATELESS);
        for bad in ["SY", "SYRI", "sy1", "Syr", "ÉTA"] {
            assert!(Nationality::parse(bad).is_err(), "{bad}");
        }
        assert!(Language::parse("ar").is_ok());
        assert!(Language::parse("prs").is_ok());
        for bad in ["", "a", "arab", "AR", "a1"] {
            assert!(Language::parse(bad).is_err(), "{bad}");
        }
        assert!(Login::parse("j.dupont-2").is_ok());
        for bad in ["", "J.Dupont", "jean dupont", "é"] {
            assert!(Login::parse(bad).is_err(), "{bad}");
        }
        assert!(Login::parse(&"a".repeat(65)).is_err());
        for d in DivisionId::all() {
            assert_eq!(DivisionId::parse(d.as_str()).ok(), Some(*d));
        }
    }
}
