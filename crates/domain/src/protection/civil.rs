//! Civil status of protected people (état civil, CESEDA L.121-9): the office draws up the acts that
//! stand in for the records of the country of origin — birth, marriage, death —, numbered in a
//! yearly register; later events (a marriage, a divorce, a death) and corrections are *mentions*
//! added in the margin, never a rewrite of the act; certified copies (copies intégrales) carry the
//! act as it stands, and a copy is current only while no mention has been added since.
//!
//! Pure checks here; `cases::decide` applies them to a case, whose persons the acts are about.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month, OffsetDateTime};

use crate::documents::ContentHash;
use crate::error::DomainError;
use crate::ids::Login;
use crate::person::{BirthDate, Name, Person, Sex};

/// The kind of act (acte de naissance, de mariage, de décès).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActKind {
    Birth,
    Marriage,
    Death,
}

impl ActKind {
    pub const ALL: [ActKind; 3] = [ActKind::Birth, ActKind::Marriage, ActKind::Death];

    pub fn as_str(&self) -> &'static str {
        match self {
            ActKind::Birth => "birth",
            ActKind::Marriage => "marriage",
            ActKind::Death => "death",
        }
    }

    pub fn parse(s: &str) -> Option<ActKind> {
        ActKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The French title printed on a copy.
    pub fn french_title(&self) -> &'static str {
        match self {
            ActKind::Birth => "Acte de naissance",
            ActKind::Marriage => "Acte de mariage",
            ActKind::Death => "Acte de décès",
        }
    }
}

/// An act's number in the yearly register: `EC-2026-000123`. Numbers are taken from the year's
/// counter before the act is committed (a refused act leaves a gap, as a cancelled line would).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActNumber {
    pub year: i32,
    pub seq: u32,
}

impl ActNumber {
    pub fn new(year: i32, seq: u32) -> Result<ActNumber, DomainError> {
        if !(1952..=9999).contains(&year) || seq == 0 || seq > 999_999 {
            return Err(DomainError::validation("act", format!("{year}/{seq} is not a number of the register")));
        }
        Ok(ActNumber { year, seq })
    }

    /// Parses `EC-2026-000123` (case and spaces around are forgiven).
    pub fn parse(s: &str) -> Result<ActNumber, DomainError> {
        let bad = || DomainError::validation("act", format!("{s:?} is not an act number like EC-2026-000123"));
        let t = s.trim().to_ascii_uppercase();
        let rest = t.strip_prefix("EC-").ok_or_else(bad)?;
        let (year, seq) = rest.split_once('-').ok_or_else(bad)?;
        if year.len() != 4 || seq.is_empty() || seq.len() > 6 || !seq.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        ActNumber::new(year.parse().map_err(|_| bad())?, seq.parse().map_err(|_| bad())?)
    }
}

impl fmt::Display for ActNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EC-{:04}-{:06}", self.year, self.seq)
    }
}

impl TryFrom<String> for ActNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ActNumber::parse(&s)
    }
}

impl From<ActNumber> for String {
    fn from(n: ActNumber) -> String {
        n.to_string()
    }
}

/// Another person named in an act: a parent on a birth act, the spouse on a marriage act.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Party {
    pub family_name: Name,
    pub given_names: Name,
    pub born_on: BirthDate,
}

/// The structured content of an act, as the registrar establishes it from the civil status
/// declared during the procedure and the documents filed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActFacts {
    /// Whom the act is about: 0 the applicant, n the n-th family member of the case.
    pub person: u16,
    pub family_name: Name,
    pub given_names: Name,
    pub sex: Sex,
    /// The person's birth date (for a birth act, the event's date).
    pub born_on: BirthDate,
    /// The date of the event, often known only in part.
    pub event_on: BirthDate,
    /// The place of the event as it was named then, in its script and in Latin letters.
    pub place: Name,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub father: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mother: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spouse: Option<Party>,
}

/// What the registrar submits to draw up an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAct {
    pub number: ActNumber,
    pub kind: ActKind,
    pub facts: ActFacts,
    /// The documents of the file the act was established from (their numbers in the file).
    #[serde(default)]
    pub documents: Vec<u32>,
}

/// What a mention records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    Marriage,
    Divorce,
    Death,
    /// A correction by the registrar, with its grounds.
    Correction,
    /// The protection ended: written by the signed decision, never by a registrar.
    EndOfProtection,
}

impl MentionKind {
    /// The mentions a registrar adds (the end of protection comes with its decision).
    pub const ALL: [MentionKind; 4] =
        [MentionKind::Marriage, MentionKind::Divorce, MentionKind::Death, MentionKind::Correction];

    pub fn as_str(&self) -> &'static str {
        match self {
            MentionKind::Marriage => "marriage",
            MentionKind::Divorce => "divorce",
            MentionKind::Death => "death",
            MentionKind::Correction => "correction",
            MentionKind::EndOfProtection => "end_of_protection",
        }
    }

    pub fn parse(s: &str) -> Option<MentionKind> {
        MentionKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn french(&self) -> &'static str {
        match self {
            MentionKind::Marriage => "Mariage",
            MentionKind::Divorce => "Divorce",
            MentionKind::Death => "Décès",
            MentionKind::Correction => "Rectification",
            MentionKind::EndOfProtection => "Fin de la protection",
        }
    }
}

/// A mention to add in the margin of an act.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMention {
    pub kind: MentionKind,
    /// The date of the event mentioned (or of the correction).
    #[serde(with = "crate::serde_dates::date")]
    pub on: Date,
    /// Its text; for a correction, what is corrected and on what grounds.
    pub text: String,
}

/// A mention as added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    #[serde(flatten)]
    pub mention: NewMention,
    pub by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// A certified copy as issued: which version of the act it carries (the number of mentions then)
/// and the document of the file that holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CopyIssued {
    /// Random, printed in the QR code: the public verification page looks copies up by it.
    pub id: String,
    pub version: u32,
    /// The document (in the file and the applicant's space) holding the PDF.
    pub document: u32,
    pub sha256: ContentHash,
    /// Whether the protected person asked for it from their space.
    #[serde(default)]
    pub requested: bool,
    pub by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// An act of the register, with its mentions and the copies issued of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CivilAct {
    pub number: ActNumber,
    pub kind: ActKind,
    pub facts: ActFacts,
    #[serde(default)]
    pub documents: Vec<u32>,
    pub drawn_up_by: Login,
    #[serde(with = "time::serde::rfc3339")]
    pub drawn_up_at: OffsetDateTime,
    #[serde(default)]
    pub mentions: Vec<Mention>,
    #[serde(default)]
    pub copies: Vec<CopyIssued>,
}

impl CivilAct {
    /// The act's version: a copy carrying an older one is superseded by a mention.
    pub fn version(&self) -> u32 {
        self.mentions.len() as u32
    }
}

/// The longest text of a name, place or mention.
const MAX_TEXT: usize = 2_000;

fn required_name(field: &'static str, name: &Name) -> Result<(), DomainError> {
    name.validate(field)?;
    if name.original.chars().count() > 200 || name.latin.chars().count() > 200 {
        return Err(DomainError::validation(field, "at most 200 characters"));
    }
    Ok(())
}

/// The last day a partial date can denote.
fn latest(d: &BirthDate) -> Option<Date> {
    match *d {
        BirthDate::Exact(d) => Some(d),
        BirthDate::YearMonth { year, month } => {
            let m = Month::try_from(month).ok()?;
            Date::from_calendar_date(year, m, m.length(year)).ok()
        }
        BirthDate::Year(year) => Date::from_calendar_date(year, Month::December, 31).ok(),
        BirthDate::Unknown => None,
    }
}

/// A partial date must be plausible and not lie after `today`; errors name `field`.
fn check_partial(field: &'static str, d: &BirthDate, today: Date) -> Result<(), DomainError> {
    d.validate(today).map_err(|e| match e {
        DomainError::Validation { reason, .. } => {
            DomainError::validation(field, reason.replace("the birth date is after the application", "in the future"))
        }
        other => other,
    })
}

/// `born` must come no later than `event`: certain only when the earliest birth is after the
/// latest the event can be.
fn born_before(field: &'static str, born: &BirthDate, event: &BirthDate, what: &str) -> Result<(), DomainError> {
    if let (Some(b), Some(e)) = (born.earliest(), latest(event)) {
        if b > e {
            return Err(DomainError::validation(field, format!("the birth date is after the {what} date")));
        }
    }
    Ok(())
}

fn check_party(prefix: &'static [&'static str; 3], p: &Party, today: Date) -> Result<(), DomainError> {
    required_name(prefix[0], &p.family_name)?;
    if !(p.given_names.original.trim().is_empty() && p.given_names.latin.trim().is_empty()) {
        required_name(prefix[1], &p.given_names)?;
    }
    check_partial(prefix[2], &p.born_on, today)
}

/// Checks an act before it is drawn up, against the case's persons (applicant first) and its
/// documents' numbers, the acts the case already has, and today.
pub fn check_act(
    new: &NewAct,
    persons: &[&Person],
    documents: &[u32],
    acts: &[CivilAct],
    today: Date,
) -> Result<(), DomainError> {
    let f = &new.facts;
    if usize::from(f.person) >= persons.len() {
        return Err(DomainError::validation(
            "person",
            format!("the case names no person n° {} (0 is the applicant, then the family)", f.person),
        ));
    }
    if acts.iter().any(|a| a.number == new.number) {
        return Err(DomainError::AlreadyDone("this act number is already in the register"));
    }
    required_name("family_name", &f.family_name)?;
    if !(f.given_names.original.trim().is_empty() && f.given_names.latin.trim().is_empty()) {
        required_name("given_names", &f.given_names)?;
    }
    required_name("place", &f.place)?;
    check_partial("event_on", &f.event_on, today)?;
    if f.event_on == BirthDate::Unknown {
        return Err(DomainError::validation("event_on", "give the date of the event, at least its year"));
    }
    check_partial("born_on", &f.born_on, today)?;
    for d in &new.documents {
        if !documents.contains(d) {
            return Err(DomainError::validation("documents", format!("the file has no document n° {d}")));
        }
    }
    let same_person = |kind: ActKind| acts.iter().find(|a| a.kind == kind && a.facts.person == f.person);
    match new.kind {
        ActKind::Birth => {
            if f.born_on != BirthDate::Unknown && f.born_on != f.event_on {
                return Err(DomainError::validation("born_on", "a birth act's birth date is the event's date"));
            }
            if f.spouse.is_some() {
                return Err(DomainError::validation("spouse", "a birth act names no spouse"));
            }
            if let Some(a) = same_person(ActKind::Birth) {
                return Err(DomainError::validation("person", format!("this person's birth act is {}", a.number)));
            }
            for (p, names) in [
                (&f.father, &["father_family_name", "father_given_names", "father_born_on"]),
                (&f.mother, &["mother_family_name", "mother_given_names", "mother_born_on"]),
            ] {
                if let Some(p) = p {
                    check_party(names, p, today)?;
                    born_before(names[2], &p.born_on, &f.event_on, "child's birth")?;
                }
            }
        }
        ActKind::Marriage => {
            let Some(spouse) = &f.spouse else {
                return Err(DomainError::validation("spouse_family_name", "a marriage act names the spouse"));
            };
            check_party(&["spouse_family_name", "spouse_given_names", "spouse_born_on"], spouse, today)?;
            born_before("born_on", &f.born_on, &f.event_on, "marriage")?;
            born_before("spouse_born_on", &spouse.born_on, &f.event_on, "marriage")?;
            if let Some(d) = same_person(ActKind::Death) {
                if let (Some(death), Some(m)) = (latest(&d.facts.event_on), f.event_on.earliest()) {
                    if m > death {
                        return Err(DomainError::validation("event_on", "the marriage is after this person's death"));
                    }
                }
            }
        }
        ActKind::Death => {
            if let Some(a) = same_person(ActKind::Death) {
                return Err(DomainError::validation("person", format!("this person's death act is {}", a.number)));
            }
            born_before("born_on", &f.born_on, &f.event_on, "death")?;
            if f.spouse.is_some() || f.father.is_some() || f.mother.is_some() {
                return Err(DomainError::validation("spouse", "a death act names the deceased only"));
            }
        }
    }
    Ok(())
}

/// Checks a mention for the act it goes on (`None`: the act is not in this case's register).
pub fn check_mention(
    number: ActNumber,
    act: Option<&CivilAct>,
    acts: &[CivilAct],
    new: &NewMention,
    today: Date,
) -> Result<(), DomainError> {
    let Some(act) = act else {
        return Err(DomainError::validation("act", format!("there is no act {number} in this case's register")));
    };
    if new.kind == MentionKind::EndOfProtection {
        return Err(DomainError::validation("kind", "the end of protection is mentioned by its signed decision"));
    }
    let text = new.text.trim();
    if text.is_empty() {
        let why = match new.kind {
            MentionKind::Correction => "say what is corrected and on what grounds",
            _ => "write the mention as it will be printed",
        };
        return Err(DomainError::validation("text", why));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(DomainError::validation("text", format!("at most {MAX_TEXT} characters")));
    }
    if new.on > today {
        return Err(DomainError::validation("on", "the date of the mention is in the future"));
    }
    if new.kind != MentionKind::Correction {
        if let Some(event) = act.facts.event_on.earliest() {
            if new.on < event {
                return Err(DomainError::validation("on", "a mention records an event after the act's"));
            }
        }
        if act.kind == ActKind::Death {
            return Err(DomainError::validation("kind", "only a correction goes on a death act"));
        }
    }
    // The person died: nothing happens to them after.
    let death = acts
        .iter()
        .filter(|a| a.facts.person == act.facts.person)
        .flat_map(|a| {
            let own = (a.kind == ActKind::Death).then(|| latest(&a.facts.event_on)).flatten();
            let noted = a.mentions.iter().filter(|m| m.mention.kind == MentionKind::Death).map(|m| m.mention.on);
            own.into_iter().chain(noted)
        })
        .min();
    if let Some(died) = death {
        match new.kind {
            MentionKind::Death => return Err(DomainError::AlreadyDone("this person's death is already recorded")),
            MentionKind::Marriage | MentionKind::Divorce if new.on > died => {
                return Err(DomainError::validation("on", "the event is after this person's death"))
            }
            _ => {}
        }
    }
    if new.kind == MentionKind::Divorce && act.kind == ActKind::Birth {
        let married = act.mentions.iter().any(|m| m.mention.kind == MentionKind::Marriage)
            || acts.iter().any(|a| a.kind == ActKind::Marriage && a.facts.person == act.facts.person);
        if !married {
            return Err(DomainError::validation("kind", "no marriage is recorded for this person"));
        }
    }
    Ok(())
}

/// The message a certified copy's seal signs: what the verification page can check without any
/// personal data (the copy's reference, the act's number and kind, the version, the day issued).
pub fn seal_message(copy: &str, act: ActNumber, kind: ActKind, version: u32, issued_on: Date) -> Vec<u8> {
    format!("nansen-civil-copy-v1|{copy}|{act}|{}|{version}|{issued_on}", kind.as_str()).into_bytes()
}

/// Whether a copy issued at `version` still carries the act as it stands.
pub fn copy_is_current(act: &CivilAct, version: u32) -> bool {
    act.version() == version
}

/// Parses a date that may be partial, as typed: `1990`, `1990-03` or `1990-03-14` (empty:
/// unknown); errors name `field`.
pub fn parse_partial(field: &'static str, s: &str) -> Result<BirthDate, DomainError> {
    let s = s.trim();
    let bad = || DomainError::validation(field, format!("{s:?} is not a date like 1990, 1990-03 or 1990-03-14"));
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, len: usize| -> Result<i32, DomainError> {
        if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        p.parse().map_err(|_| bad())
    };
    match parts.as_slice() {
        [""] => Ok(BirthDate::Unknown),
        [y] => Ok(BirthDate::Year(num(y, 4)?)),
        [y, m] => {
            let month = num(m, 2)?;
            if !(1..=12).contains(&month) {
                return Err(DomainError::validation(field, format!("month {month} is not 1 to 12")));
            }
            Ok(BirthDate::YearMonth { year: num(y, 4)?, month: month as u8 })
        }
        [y, m, d] => {
            let (year, month, day) = (num(y, 4)?, num(m, 2)?, num(d, 2)?);
            let month = Month::try_from(month as u8).map_err(|_| bad())?;
            Date::from_calendar_date(year, month, day as u8)
                .map(BirthDate::Exact)
                .map_err(|_| DomainError::validation(field, format!("{s} is not a day of the calendar")))
        }
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod partial_tests {
    use super::*;

    #[test]
    fn partial_dates_parse_as_typed() {
        assert_eq!(parse_partial("f", " ").ok(), Some(BirthDate::Unknown));
        assert_eq!(parse_partial("f", "1990").ok(), Some(BirthDate::Year(1990)));
        assert_eq!(parse_partial("f", "1990-03").ok(), Some(BirthDate::YearMonth { year: 1990, month: 3 }));
        assert!(matches!(parse_partial("f", "1990-03-14"), Ok(BirthDate::Exact(_))));
        for bad in ["90", "1990-13", "1990-02-30", "1990/03/14", "abcd", "1990-3"] {
            assert!(parse_partial("f", bad).is_err(), "{bad}");
        }
    }
}
