//! Official letters as PDF/A-2u, and custody labels with a QR code. The office's letters:
//! registration receipt, request for missing items, interview convocation, the decision on the
//! application, the notice that the office considers ending a protection and the decision on it,
//! the request for a medical certificate for a girl protected from female genital mutilation with
//! the model certificate, the family record book. The reception agency's letters, under its own
//! letterhead: the record of a refused offer of material reception conditions, the proposal of a
//! place in another region, the notice that it considers ending the material reception conditions
//! and the decision on it.
//!
//! The wording lives in `templates/*.toml` (French, the office's and the agency's language),
//! compiled into the binary and checked when the [`Printer`] is built: a placeholder that the
//! letter does not know, or an optional fact used without a `when` guard, is refused. A template
//! names its issuer (`issuer = "agency"`; the office by default), whose letterhead
//! (`letterhead.toml`, `agency_letterhead.toml`) gives the first page's head, the continuation
//! header, the footer and the PDF's author. The layout (letterhead, reference block, addressee in
//! the envelope window, title, paragraphs, facts, lists, signature, footer with page x/y) is code.
//! Text is measured with the embedded font's own metrics (DejaVu Sans, `fonts/`) and wrapped;
//! content that overflows an A4 page continues on the next one.
//!
//! The agency's letters carry, after the French text (the authentic one) and on a page of its own,
//! a [`Translation`] in the household's language when it is one of the applicants' portal's six
//! (French, English, Arabic, Dari, Russian, Spanish): the caller builds it from [`Translations`],
//! the Project Fluent catalog of `locales/letters/*.ftl`, compiled in. Without one, the letter says
//! that an interpreter of the agency can explain it.
//!
//! Certified copies of civil-status acts ([`Printer::certified_copy`]) hold names in any script:
//! their text is set with font fallback (DejaVu Sans, and the Noto faces of `fonts/` for Arabic,
//! Armenian, Georgian, Devanagari, Bengali, Tamil, Ethiopic, Myanmar and Chinese) and
//! right-to-left runs. Letters keep DejaVu Sans, except the items of their lists (a family book's
//! spouses and children) and the translations, which are set the same way; an Arabic or Dari
//! translation as right-to-left paragraphs, right-aligned.
//!
//! Output is deterministic: the same input gives the same bytes (the creation date comes from the
//! caller, never the clock). krilla's PDF/A-2u validator runs on every document: a document that
//! would not conform (a character the font lacks, for instance) is an error, never a silent
//! substitution.
//!
//! Inside, each part depends only on those listed before it (and on this module's
//! [`PrintError`]): `translations` (the catalog of the agency letters' translations), `letters`
//! (the facts callers pass in and their variables), `fonts` (faces and weights, fallback faces),
//! `scripts` (text in any script: runs by face and direction, wrapped), `templates` (parsing and
//! checking the TOML templates and letterheads), `layout` (the layout engine and the PDF writer),
//! `printer` (the [`Printer`] that puts them together), `copies` (certified copies, printed by the
//! [`Printer`]). This module holds the public names and [`PrintError`].

mod copies;
mod fonts;
mod layout;
mod letters;
mod printer;
mod scripts;
mod templates;
mod translations;

pub use copies::CertifiedCopy;
pub use fonts::script_font;
pub use letters::{
    Addressee, ConditionsEndingDecision, ConditionsEndingNotice, ContestDecision, Convocation, ConvocationMode,
    Decision, EndingDecision, EndingNotice, FamilyBook, FgmLetter, Label, Letter, LetterHead, MissingItems,
    OfferRefusal, OrientationProposal, Receipt, Salutation, Translation,
};
pub use printer::Printer;
pub use translations::Translations;

/// Everything that can go wrong while printing. No input makes the printer panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PrintError {
    /// A template is malformed, names an unknown placeholder, or a value is missing.
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
    /// A font cannot be loaded, or it has no glyph for a character of the text.
    #[error("font {font}: {message}")]
    Font { font: String, message: String },
    /// krilla refused the document (PDF/A validation, limits).
    #[error("PDF: {message}")]
    Pdf { message: String },
}

fn template_error(template: &str, message: impl Into<String>) -> PrintError {
    PrintError::Template { template: template.to_owned(), message: message.into() }
}
