//! A library search as typed: the words (with phrases, proximity, wildcards and Boolean
//! operators) and the facets. A query with an unbalanced quote or a dangling operator is
//! answered, not refused: it is mended the way the reader most likely meant it.

use serde::{Deserialize, Serialize};
use time::Date;

use super::library::DocumentType;
use crate::error::DomainError;
use crate::ids::Nationality;
use crate::planning::languages::LanguageCode;

/// The longest query (characters).
pub const QUERY_MAX: usize = 500;

/// How the countries of a search narrow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryMatch {
    /// Documents about at least one of them.
    #[default]
    AnyOf,
    /// Documents about every one of them.
    AllOf,
    /// Documents about none of them.
    NoneOf,
}

/// The facets of a library search; each one left empty does not narrow.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub countries: Vec<Nationality>,
    pub country_match: CountryMatch,
    pub sources: Vec<String>,
    pub kinds: Vec<DocumentType>,
    pub languages: Vec<LanguageCode>,
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub published_from: Option<Date>,
    #[serde(default, with = "crate::serde_dates::date::option")]
    pub published_to: Option<Date>,
}

impl Facets {
    pub fn check(&self) -> Result<(), DomainError> {
        if let (Some(from), Some(to)) = (self.published_from, self.published_to) {
            if from > to {
                return Err(DomainError::validation("published_to", "the end of the period comes after its start"));
            }
        }
        Ok(())
    }
}

/// The words of a query mended: quotes paired (an unclosed phrase is closed at the end),
/// parentheses paired (an unopened one dropped, an unclosed one closed), an operator with
/// nothing on one side dropped; whitespace made single. `None` when nothing is left to search.
pub fn mended(query: &str) -> Result<Option<String>, DomainError> {
    if query.chars().count() > QUERY_MAX {
        return Err(DomainError::validation("q", format!("at most {QUERY_MAX} characters")));
    }
    let query: String = query.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    // Quotes: an odd one is closed at the end.
    let mut text = query.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.matches('"').count() % 2 == 1 {
        text.push('"');
    }
    // Parentheses outside phrases: drop a closing one with nothing open, close what stays open.
    let mut out = String::with_capacity(text.len());
    let (mut depth, mut in_phrase) = (0_usize, false);
    for c in text.chars() {
        match c {
            '"' => in_phrase = !in_phrase,
            '(' if !in_phrase => depth += 1,
            ')' if !in_phrase && depth == 0 => continue,
            ')' if !in_phrase => depth -= 1,
            _ => {}
        }
        out.push(c);
    }
    out.extend(std::iter::repeat_n(')', depth));
    // Operators with nothing on one side, and empty groups.
    let mut tokens: Vec<String> = Vec::new();
    for token in tokenise(&out) {
        let is_op = matches!(token.as_str(), "AND" | "OR" | "&&" | "||");
        let previous_opens = tokens.last().is_none_or(|t| t == "(" || is_operator(t));
        if is_op && previous_opens {
            continue;
        }
        if token == ")" && tokens.last().is_some_and(|t| is_operator(t) || t == "NOT") {
            tokens.pop();
        }
        if token == ")" && tokens.last().is_some_and(|t| t == "(") {
            tokens.pop();
            continue;
        }
        tokens.push(token);
    }
    while tokens.last().is_some_and(|t| is_operator(t) || t == "NOT" || t == "(") {
        tokens.pop();
    }
    let text = tokens.join(" ").replace("( ", "(").replace(" )", ")");
    let has_words = tokens.iter().any(|t| t.chars().any(char::is_alphanumeric));
    Ok(has_words.then_some(text))
}

fn is_operator(t: &str) -> bool {
    matches!(t, "AND" | "OR" | "&&" | "||")
}

/// The query's tokens: a phrase (with what follows its closing quote, like `~3` or `*`) is one
/// token, parentheses are tokens of their own.
fn tokenise(text: &str) -> Vec<String> {
    let mut tokens = Vec::new();
    let mut current = String::new();
    let mut in_phrase = false;
    for c in text.chars() {
        match c {
            '"' => {
                current.push(c);
                in_phrase = !in_phrase;
            }
            ' ' if !in_phrase => tokens.extend((!current.is_empty()).then(|| std::mem::take(&mut current))),
            '(' | ')' if !in_phrase => {
                tokens.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
                tokens.push(c.to_string());
            }
            _ => current.push(c),
        }
    }
    tokens.extend((!current.is_empty()).then_some(current));
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn m(q: &str) -> Option<String> {
        mended(q).expect("mended")
    }

    #[test]
    fn a_well_formed_query_is_left_as_it_is() {
        for q in ["checkpoints", "\"forced marriage\"~3 AND (Herat OR Kabul)", "return* -Kabul", "اعتقال AND العائدين"]
        {
            assert_eq!(m(q).as_deref(), Some(q), "{q}");
        }
    }

    #[test]
    fn unbalanced_quotes_and_parentheses_are_mended() {
        assert_eq!(m("\"forced marriage").as_deref(), Some("\"forced marriage\""));
        assert_eq!(m("(Herat OR Kabul").as_deref(), Some("(Herat OR Kabul)"));
        assert_eq!(m("Herat) OR Kabul").as_deref(), Some("Herat OR Kabul"));
        assert_eq!(m("\"a (b\" c").as_deref(), Some("\"a (b\" c"), "a parenthesis in a phrase is a letter");
    }

    #[test]
    fn dangling_operators_go_and_an_empty_query_is_none() {
        assert_eq!(m("AND checkpoints OR").as_deref(), Some("checkpoints"));
        assert_eq!(m("Herat AND OR Kabul").as_deref(), Some("Herat AND Kabul"));
        assert_eq!(m("(Herat OR) Kabul NOT").as_deref(), Some("(Herat) Kabul"));
        assert_eq!(m("( ) AND"), None);
        assert_eq!(m("\"\""), None);
        assert_eq!(m("   "), None);
        assert!(mended(&"a".repeat(QUERY_MAX + 1)).is_err());
    }

    #[test]
    fn a_period_ends_after_it_starts() {
        let f = Facets {
            published_from: Some(date!(2026 - 01 - 01)),
            published_to: Some(date!(2025 - 01 - 01)),
            ..Default::default()
        };
        assert!(matches!(f.check(), Err(DomainError::Validation { field: "published_to", .. })));
        assert!(Facets::default().check().is_ok());
    }
}
