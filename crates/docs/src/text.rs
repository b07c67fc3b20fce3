//! The text of a library document (country-of-origin information), by its content: a PDF's text
//! layer, an HTML page's visible text (scripts, styles and templates skipped, never run), or plain
//! UTF-8 text. A PDF without a text layer (a scan) is accepted and said to have no text; an
//! encrypted or unreadable PDF, or a file of any other kind, is refused with a reason.

use std::fmt;

use html5gum::{DefaultEmitter, Token, Tokenizer};
use lopdf::{Document, LoadOptions};

use crate::inspect::PDF_MAX_INFLATED;

/// The largest library document accepted, in bytes (a long report with its annexes).
pub const MAX_LIBRARY_BYTES: usize = 64 * 1024 * 1024;

/// The kinds of library document the office reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Pdf,
    Html,
    Plain,
}

impl TextKind {
    pub fn as_mime(self) -> &'static str {
        match self {
            TextKind::Pdf => "application/pdf",
            TextKind::Html => "text/html",
            TextKind::Plain => "text/plain",
        }
    }

    pub fn from_mime(mime: &str) -> Option<TextKind> {
        match mime {
            "application/pdf" => Some(TextKind::Pdf),
            "text/html" => Some(TextKind::Html),
            "text/plain" => Some(TextKind::Plain),
            _ => None,
        }
    }
}

/// What was read from a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub kind: TextKind,
    /// The text, paragraphs separated by a blank line; `None` for a PDF without a text layer.
    pub text: Option<String>,
}

/// Why a file is not taken into the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextRefusal {
    Empty,
    TooLarge {
        max: usize,
    },
    /// A PDF protected by a password: the office cannot read or index it.
    Encrypted,
    /// A PDF whose structure cannot be read.
    UnreadablePdf {
        detail: String,
    },
    /// Neither PDF, HTML nor UTF-8 text.
    UnknownKind,
}

impl TextRefusal {
    /// A stable code, the message's key in the interface's catalog without its `error-`.
    pub fn code(&self) -> &'static str {
        match self {
            TextRefusal::Empty => "upload_empty",
            TextRefusal::TooLarge { .. } => "upload_too_large",
            TextRefusal::Encrypted => "library_encrypted",
            TextRefusal::UnreadablePdf { .. } => "library_unreadable",
            TextRefusal::UnknownKind => "library_unknown_type",
        }
    }
}

impl fmt::Display for TextRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextRefusal::Empty => write!(f, "the file is empty"),
            TextRefusal::TooLarge { max } => write!(f, "the file is larger than {} MiB", max / (1024 * 1024)),
            TextRefusal::Encrypted => write!(f, "the PDF is protected by a password: send it unprotected"),
            TextRefusal::UnreadablePdf { detail } => write!(f, "the PDF cannot be read ({detail})"),
            TextRefusal::UnknownKind => write!(f, "the file is neither PDF, HTML nor plain UTF-8 text"),
        }
    }
}

impl std::error::Error for TextRefusal {}

/// A PDF of one blank page, as a scan without a text layer comes: the library accepts it and
/// flags it "no text" (the demo's example, and the tests').
pub fn blank_page_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    pdf
}

/// Reads the text of a library document, its kind judged by content (never by its name).
pub fn extract(bytes: &[u8]) -> Result<Extracted, TextRefusal> {
    if bytes.is_empty() {
        return Err(TextRefusal::Empty);
    }
    if bytes.len() > MAX_LIBRARY_BYTES {
        return Err(TextRefusal::TooLarge { max: MAX_LIBRARY_BYTES });
    }
    if bytes.starts_with(b"%PDF-") {
        return pdf_text(bytes).map(|text| Extracted { kind: TextKind::Pdf, text });
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| TextRefusal::UnknownKind)?;
    if text.contains('\0') {
        return Err(TextRefusal::UnknownKind);
    }
    if looks_like_html(text) {
        return Ok(Extracted { kind: TextKind::Html, text: non_empty(html_text(text)) });
    }
    Ok(Extracted { kind: TextKind::Plain, text: non_empty(tidy(text)) })
}

fn non_empty(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
}

fn looks_like_html(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(512).collect::<String>().to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<body") || head.starts_with("<p")
}

fn pdf_text(bytes: &[u8]) -> Result<Option<String>, TextRefusal> {
    let options = LoadOptions { max_decompressed_size: Some(PDF_MAX_INFLATED), ..LoadOptions::default() };
    let document = match Document::load_mem_with_options(bytes, options) {
        Ok(document) => document,
        Err(_) if bytes.windows(8).any(|w| w == b"/Encrypt") => return Err(TextRefusal::Encrypted),
        Err(error) => return Err(TextRefusal::UnreadablePdf { detail: error.to_string() }),
    };
    if document.trailer.has(b"Encrypt") || document.encryption_state.is_some() || document.was_encrypted() {
        return Err(TextRefusal::Encrypted);
    }
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    if pages.is_empty() {
        return Err(TextRefusal::UnreadablePdf { detail: "no page".into() });
    }
    let mut out = String::new();
    // A page whose text cannot be read leaves the others readable.
    for text in document.extract_text_chunks_with_limit(&pages, PDF_MAX_INFLATED).into_iter().flatten() {
        out.push_str(&text);
        out.push('\n');
    }
    Ok(non_empty(tidy(&out)))
}

/// Elements whose content is never text a reader sees.
const SKIPPED: [&[u8]; 6] = [b"script", b"style", b"template", b"noscript", b"head", b"svg"];
/// Elements that end a paragraph.
const BLOCKS: [&[u8]; 20] = [
    b"p",
    b"div",
    b"br",
    b"li",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"tr",
    b"table",
    b"section",
    b"article",
    b"blockquote",
    b"pre",
    b"ul",
    b"ol",
    b"dd",
    b"dt",
];

/// An HTML page's visible text: scripts, styles and other non-text elements skipped, a blank
/// line at each block's end, entities decoded by the tokenizer.
fn html_text(html: &str) -> String {
    let mut emitter = DefaultEmitter::default();
    // Script and style contents are read as raw text, not as markup.
    emitter.naively_switch_states(true);
    let mut out = String::new();
    let mut skipping: Vec<Vec<u8>> = Vec::new();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if SKIPPED.contains(&name.as_slice()) && !tag.self_closing {
                    skipping.push(name);
                } else if BLOCKS.contains(&name.as_slice()) {
                    out.push_str("\n\n");
                }
            }
            Token::EndTag(tag) => {
                let name = tag.name.to_ascii_lowercase();
                if let Some(at) = skipping.iter().rposition(|open| *open == name) {
                    skipping.truncate(at);
                } else if BLOCKS.contains(&name.as_slice()) {
                    out.push_str("\n\n");
                }
            }
            Token::String(text) if skipping.is_empty() => out.push_str(&String::from_utf8_lossy(&text)),
            _ => {}
        }
    }
    tidy(&out)
}

/// Lines trimmed, runs of spaces made one, paragraphs separated by exactly one blank line.
fn tidy(text: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in text.replace("\r\n", "\n").replace('\r', "\n").split('\n') {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&words.join(" "));
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_gives_its_visible_text_without_scripts_or_styles() {
        let html = "<!DOCTYPE html><html><head><title>T</title><style>p { color: red }</style></head>\
            <body><h1>Afghanistan&nbsp;: s&eacute;curit&eacute;</h1><script>alert('<p>x</p>')</script>\
            <p>Checkpoints on the   road\nto Kabul.</p><noscript>enable JS</noscript><p>Second &amp; last.</p></body></html>";
        let got = extract(html.as_bytes()).expect("html");
        assert_eq!(got.kind, TextKind::Html);
        assert_eq!(
            got.text.as_deref(),
            Some("Afghanistan : sécurité\n\nCheckpoints on the road to Kabul.\n\nSecond & last.")
        );
    }

    #[test]
    fn plain_text_is_tidied_into_paragraphs() {
        let got = extract("\u{feff}Line one\r\ncontinues.\r\n\r\n\r\nسطر ثان".as_bytes()).expect("text");
        assert_eq!(got.kind, TextKind::Plain);
        assert_eq!(got.text.as_deref(), Some("Line one continues.\n\nسطر ثان"));
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        assert_eq!(extract(b""), Err(TextRefusal::Empty));
        assert_eq!(extract(&[0xff, 0xd8, 0xff, 0xe0, 0, 1]), Err(TextRefusal::UnknownKind));
        assert_eq!(extract(b"text\0with a nul"), Err(TextRefusal::UnknownKind));
        assert!(matches!(extract(b"%PDF-1.7\nnot a pdf at all"), Err(TextRefusal::UnreadablePdf { .. })));
        assert!(matches!(
            extract(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Encrypt 2 0 R >>\n%%EOF"),
            Err(TextRefusal::Encrypted)
        ));
    }
}
