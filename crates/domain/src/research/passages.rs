//! A document's text in numbered passages: what a search lists, what a citation pins and quotes.
//!
//! Passages follow the text's paragraphs (blank lines); a paragraph too long for a reader to take
//! in at a glance is cut at sentence ends, and a line too short to stand alone (a heading, a
//! page number) joins the passage after it. The cut depends on the text alone, so the same
//! version (SHA-256) always gives the same passages and a citation's number stays true.

/// A passage longer than this is cut at a sentence end (characters).
pub const PASSAGE_MAX: usize = 1_200;

/// A paragraph shorter than this joins the next one (characters).
pub const PASSAGE_MIN: usize = 80;

/// The passages of a text, numbered from 1 by their place in the list. Whitespace inside a
/// passage is one space; control characters are dropped.
pub fn split(text: &str) -> Vec<String> {
    let mut passages: Vec<String> = Vec::new();
    let mut carried = String::new();
    for paragraph in paragraphs(text) {
        let paragraph = if carried.is_empty() { paragraph } else { format!("{carried} {paragraph}") };
        carried.clear();
        if paragraph.chars().count() < PASSAGE_MIN {
            carried = paragraph;
            continue;
        }
        passages.extend(cut(&paragraph));
    }
    if !carried.is_empty() {
        match passages.last_mut() {
            Some(last) if last.chars().count() + carried.chars().count() < PASSAGE_MAX => {
                last.push(' ');
                last.push_str(&carried);
            }
            _ => passages.push(carried),
        }
    }
    passages
}

/// The paragraphs of a text, each on one line.
fn paragraphs(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split("\n\n")
        .flat_map(|block| block.split("\r\n\r\n"))
        .map(|block| {
            block
                .split_whitespace()
                .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
}

/// A paragraph cut at sentence ends into pieces of at most [`PASSAGE_MAX`] characters (a
/// sentence longer than that is cut at a space).
fn cut(paragraph: &str) -> Vec<String> {
    if paragraph.chars().count() <= PASSAGE_MAX {
        return vec![paragraph.to_owned()];
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for sentence in sentences(paragraph) {
        if !current.is_empty() && current.chars().count() + 1 + sentence.chars().count() > PASSAGE_MAX {
            out.push(std::mem::take(&mut current));
        }
        if sentence.chars().count() > PASSAGE_MAX {
            for word in sentence.split(' ') {
                if !current.is_empty() && current.chars().count() + 1 + word.chars().count() > PASSAGE_MAX {
                    out.push(std::mem::take(&mut current));
                }
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(sentence);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The sentences of a paragraph: cut after `.`, `!`, `?`, `؟` or `۔` followed by a space.
fn sentences(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = paragraph.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?' | '؟' | '۔') && chars.peek().is_some_and(|(_, n)| *n == ' ') {
            let end = i + c.len_utf8();
            out.push(paragraph[start..end].trim());
            start = end;
        }
    }
    let rest = paragraph[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out.retain(|s| !s.is_empty());
    out
}

pub use crate::citation::quotes;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn paragraphs_are_passages_and_a_heading_joins_the_next() {
        let text = "1. Security situation\n\nArmed groups control the roads between the provinces, and checkpoints are frequent.\n\n\
                    Women travelling alone are stopped and questioned; reports describe detentions lasting several days.";
        let p = split(text);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].starts_with("1. Security situation Armed groups"));
        assert!(p[1].starts_with("Women travelling alone"));
    }

    #[test]
    fn a_long_paragraph_is_cut_at_sentence_ends() {
        let sentence = "The report documents arrests of returnees at the airport and their questioning by the police. ";
        let text = sentence.repeat(40);
        let p = split(&text);
        assert!(p.len() >= 3, "{}", p.len());
        for passage in &p {
            assert!(passage.chars().count() <= PASSAGE_MAX);
            assert!(passage.ends_with('.'), "{passage}");
        }
    }

    #[test]
    fn arabic_sentences_are_cut_too_and_quotes_are_found() {
        let sentence = "تشير التقارير إلى اعتقالات تعسفية في المنطقة الشمالية خلال الأشهر الأخيرة؟ ";
        let p = split(&sentence.repeat(30));
        assert!(p.len() >= 2);
        assert!(quotes(&p[0], "اعتقالات تعسفية"));
        assert!(quotes("Checkpoints  are\nfrequent.", "checkpoints are frequent"));
        assert!(!quotes("Checkpoints are frequent.", "checkpoints are rare"));
        assert!(!quotes("anything", "  "));
    }

    proptest! {
        /// Splitting keeps every word, in order, and is the same on the same text.
        #[test]
        fn every_word_is_kept_in_order(words in proptest::collection::vec("[a-zA-Z]{1,12}[.]?", 0..400), breaks in proptest::collection::vec(0usize..400, 0..20)) {
            let mut text = String::new();
            for (i, w) in words.iter().enumerate() {
                text.push_str(w);
                text.push_str(if breaks.contains(&i) { "\n\n" } else { " " });
            }
            let passages = split(&text);
            let again: Vec<&str> = passages.iter().flat_map(|p| p.split(' ')).collect();
            let expected: Vec<&str> = words.iter().map(String::as_str).collect();
            prop_assert_eq!(again, expected);
            prop_assert_eq!(passages.clone(), split(&text));
            for p in &passages {
                prop_assert!(p.chars().count() <= PASSAGE_MAX + PASSAGE_MIN);
            }
        }
    }
}
