//! A citation of a library passage: the document, the version cited (its SHA-256), the passage's
//! number and the words quoted. Research answers and decision drafts cite the same way; the
//! check against the version's passages is here, apart from the research workspace, so that a
//! decision depends on nothing but this.

use serde::{Deserialize, Serialize};

use crate::documents::ContentHash;
use crate::error::DomainError;

/// The longest quotation in a citation (characters).
pub const QUOTE_MAX: usize = 2_000;

/// A passage of a library document, pinned to its version and quoted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Citation {
    /// The library document's identifier.
    pub document: String,
    /// The version cited: the SHA-256 of the content the passages were cut from.
    pub version: ContentHash,
    /// The passage's number, from 1.
    pub passage: u32,
    /// The words quoted, as the passage says them.
    pub quote: String,
}

impl Citation {
    /// Checks the citation against the passages of the version it names (`None`: the library
    /// has no such document or version).
    pub fn check(&self, passages_of_version: Option<&[String]>) -> Result<(), DomainError> {
        let Some(passages) = passages_of_version else {
            return Err(DomainError::validation(
                "citation",
                format!("the library has no document {} in version {}", self.document, short(&self.version)),
            ));
        };
        let text = usize::try_from(self.passage)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| passages.get(i))
            .ok_or_else(|| {
                DomainError::validation(
                    "citation",
                    format!(
                        "the document {} has {} passages: there is no passage {}",
                        self.document,
                        passages.len(),
                        self.passage
                    ),
                )
            })?;
        let quote = self.quote.trim();
        if quote.is_empty() || quote.chars().count() > QUOTE_MAX {
            return Err(DomainError::validation("citation", format!("a quotation of 1 to {QUOTE_MAX} characters")));
        }
        if !quotes(text, quote) {
            return Err(DomainError::validation(
                "citation",
                format!("passage {} of {} does not say what is quoted", self.passage, self.document),
            ));
        }
        Ok(())
    }
}

fn short(hash: &ContentHash) -> &str {
    &hash.as_str()[..hash.as_str().len().min(12)]
}

/// Whether `quote` is found in `passage`, whitespace and case aside: a citation quotes what the
/// passage says.
pub fn quotes(passage: &str, quote: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let quote = norm(quote);
    !quote.is_empty() && norm(passage).contains(&quote)
}
