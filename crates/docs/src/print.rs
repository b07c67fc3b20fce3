//! Official letters (registration receipt, request for missing items, interview convocation, the
//! decision on the application) as PDF/A-2u, and custody labels with a QR code.
//!
//! The wording lives in `templates/*.toml` (French, the office's language), compiled into the
//! binary and checked when the [`Printer`] is built: a placeholder that the letter does not know,
//! or an optional fact used without a `when` guard, is refused. The layout (letterhead, reference
//! block, addressee in the envelope window, title, paragraphs, facts, lists, signature, footer with
//! page x/y) is code, below. Text is measured with the embedded font's own metrics (DejaVu Sans,
//! `fonts/`) and wrapped; content that overflows an A4 page continues on the next one.
//!
//! Output is deterministic: the same input gives the same bytes (the creation date comes from the
//! caller, never the clock). krilla's PDF/A-2u validator runs on every document: a document that
//! would not conform (a character the font lacks, for instance) is an error, never a silent
//! substitution.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::{Document, SerializeSettings};
use serde::Deserialize;

const FONT_REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

const LETTERHEAD_SOURCE: &str = include_str!("../templates/letterhead.toml");
const RECEIPT_SOURCE: &str = include_str!("../templates/receipt.toml");
const MISSING_ITEMS_SOURCE: &str = include_str!("../templates/missing_items.toml");
const CONVOCATION_SOURCE: &str = include_str!("../templates/convocation.toml");
const DECISION_SOURCE: &str = include_str!("../templates/decision.toml");

/// Points per millimetre.
const MM: f32 = 72.0 / 25.4;
const A4_WIDTH: f32 = 210.0 * MM;
const A4_HEIGHT: f32 = 297.0 * MM;
const MARGIN_LEFT: f32 = 25.0 * MM;
const MARGIN_RIGHT: f32 = 20.0 * MM;
const TEXT_WIDTH: f32 = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Where the body starts on the first page (below the addressee and the subject line).
const FIRST_BODY_TOP: f32 = 97.0 * MM;
/// Where the body starts on continuation pages.
const NEXT_BODY_TOP: f32 = 30.0 * MM;
/// The body never goes below this line; the footer lives under it.
const BODY_BOTTOM: f32 = 272.0 * MM;
/// Left edge of the addressee block: the window of a French DL envelope.
const WINDOW_LEFT: f32 = 110.0 * MM;

const BODY_SIZE: f32 = 10.0;
const LINE: f32 = 1.42;

const INK: u8 = 20;
const GREY_TEXT: u8 = 85;
const RULE: u8 = 150;
const FRAME_FILL: u8 = 244;

const LABEL_WIDTH: f32 = 62.0 * MM;
const LABEL_HEIGHT: f32 = 100.0 * MM;

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

// ---------------------------------------------------------------------------------------------
// Letters: the facts callers pass in.
// ---------------------------------------------------------------------------------------------

/// A letter the office sends to an applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Letter {
    Receipt(Receipt),
    MissingItems(MissingItems),
    Convocation(Convocation),
    Decision(Decision),
}

/// Who the letter goes to, as printed in the envelope window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addressee {
    pub name: String,
    /// Postal address lines (or "Domiciliation : …").
    pub lines: Vec<String>,
}

/// Facts common to every letter; all strings already formatted by the caller (dates in French,
/// e.g. "3 mars 2026").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterHead {
    pub case_number: String,
    /// The date printed on the letter, e.g. "26 novembre 2026".
    pub issued_on: String,
    /// The same instant for the PDF metadata (creation date).
    pub issued_at: time::OffsetDateTime,
    pub addressee: Addressee,
    /// The service that signs, e.g. "Division Europe, section 2" or "Service de l'enregistrement".
    pub service: String,
}

/// Accusé d'enregistrement: the registration receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub head: LetterHead,
    pub application_kind: String,
    pub procedure: String,
    pub introduced_on: String,
    pub registered_on: String,
    pub nationality: String,
    pub language: String,
    pub documents_received: Vec<String>,
    pub missing: Vec<String>,
    pub decision_deadline: Option<String>,
    /// One-time code to activate the applicant's secure account (printed on the receipt; may be
    /// empty until the portal exists: an empty code is not printed).
    pub activation_code: Option<String>,
}

/// Demande de pièces complémentaires: the request for missing items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingItems {
    pub head: LetterHead,
    pub missing: Vec<String>,
    pub reply_by: String,
}

/// Convocation à l'entretien personnel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convocation {
    pub head: LetterHead,
    /// e.g. "lundi 14 décembre 2026 à 9 h 30".
    pub date: String,
    pub mode: ConvocationMode,
    pub interpreter_language: Option<String>,
    pub to_bring: Vec<String>,
    pub children_must_come: bool,
}

/// Where the interview takes place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConvocationMode {
    InPerson {
        place: String,
    },
    /// By audiovisual link (L.531-16): a link, or an approved room.
    Video {
        link_or_room: String,
    },
}

/// Décision sur la demande (CESEDA L.531-1 ff.): the outcome, the reasons in fact and in law, who signed,
/// and how to appeal when an appeal lies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub head: LetterHead,
    /// e.g. "Le statut de réfugié vous est reconnu." / "Votre demande d'asile est rejetée."
    pub outcome: String,
    /// The reasons in fact (paragraphs separated by blank lines).
    pub facts: String,
    /// The reasons in law.
    pub law: String,
    /// Name, first name and title of the signer, e.g. "Claire Martin, cheffe de section".
    pub signed_by: String,
    /// e.g. "26 novembre 2026".
    pub signed_on: String,
    /// When an appeal lies: the court and the period, e.g. "un mois".
    pub appeal: Option<String>,
}

/// A custody label for an original document kept by the office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// Encoded, exactly, in the QR code, e.g. "2026-000123-O3".
    pub identifier: String,
    /// Case number, kind of original, received on.
    pub lines: Vec<String>,
}

impl Letter {
    /// "receipt" | "missing_items" | "convocation" | "decision": also the template's file name.
    pub fn kind(&self) -> &'static str {
        self.letter_kind().as_str()
    }

    /// The letter's title, from the built-in template (e.g. "Convocation à un entretien
    /// personnel").
    pub fn title(&self) -> String {
        let kind = self.letter_kind();
        match BUILTIN.as_ref() {
            Ok(templates) => {
                templates.letter(kind).title(&self.vars()).unwrap_or_else(|_| kind.fallback_title().to_owned())
            }
            Err(_) => kind.fallback_title().to_owned(),
        }
    }

    /// The facts common to every letter.
    pub fn head(&self) -> &LetterHead {
        match self {
            Letter::Receipt(r) => &r.head,
            Letter::MissingItems(m) => &m.head,
            Letter::Convocation(c) => &c.head,
            Letter::Decision(d) => &d.head,
        }
    }

    fn letter_kind(&self) -> LetterKind {
        match self {
            Letter::Receipt(_) => LetterKind::Receipt,
            Letter::MissingItems(_) => LetterKind::MissingItems,
            Letter::Convocation(_) => LetterKind::Convocation,
            Letter::Decision(_) => LetterKind::Decision,
        }
    }

    fn vars(&self) -> Vars {
        let head = self.head();
        let mut vars = Vars::default();
        vars.text("case_number", &head.case_number);
        vars.text("applicant_name", &head.addressee.name);
        vars.text("issued_on", &head.issued_on);
        vars.text("service", &head.service);
        match self {
            Letter::Receipt(r) => {
                vars.text("application_kind", &r.application_kind);
                vars.text("procedure", &r.procedure);
                vars.text("introduced_on", &r.introduced_on);
                vars.text("registered_on", &r.registered_on);
                vars.text("nationality", &r.nationality);
                vars.text("language", &r.language);
                vars.list("documents_received", &r.documents_received);
                vars.list("missing", &r.missing);
                vars.optional("decision_deadline", r.decision_deadline.as_deref());
                vars.optional("activation_code", r.activation_code.as_deref());
            }
            Letter::MissingItems(m) => {
                vars.list("missing", &m.missing);
                vars.text("reply_by", &m.reply_by);
            }
            Letter::Convocation(c) => {
                vars.text("date", &c.date);
                let (place, link) = match &c.mode {
                    ConvocationMode::InPerson { place } => (Some(place.as_str()), None),
                    ConvocationMode::Video { link_or_room } => (None, Some(link_or_room.as_str())),
                };
                vars.optional("place", place);
                vars.optional("video_link", link);
                vars.optional("interpreter_language", c.interpreter_language.as_deref());
                vars.list("to_bring", &c.to_bring);
                vars.flag("children_must_come", c.children_must_come);
            }
            Letter::Decision(d) => {
                vars.text("outcome", &d.outcome);
                vars.text("facts", &d.facts);
                vars.text("law", &d.law);
                vars.text("signed_by", &d.signed_by);
                vars.text("signed_on", &d.signed_on);
                vars.optional("appeal", d.appeal.as_deref());
            }
        }
        vars
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LetterKind {
    Receipt,
    MissingItems,
    Convocation,
    Decision,
}

impl LetterKind {
    const ALL: [LetterKind; 4] =
        [LetterKind::Receipt, LetterKind::MissingItems, LetterKind::Convocation, LetterKind::Decision];

    fn as_str(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::MissingItems => "missing_items",
            LetterKind::Convocation => "convocation",
            LetterKind::Decision => "decision",
        }
    }

    fn parse(kind: &str) -> Option<LetterKind> {
        LetterKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    fn fallback_title(self) -> &'static str {
        match self {
            LetterKind::Receipt => "Accusé d'enregistrement de votre demande d'asile",
            LetterKind::MissingItems => "Demande de pièces complémentaires",
            LetterKind::Convocation => "Convocation à un entretien personnel",
            LetterKind::Decision => "Décision du directeur général",
        }
    }

    /// The variables a template of this kind may use (beyond [`COMMON`]).
    fn schema(self) -> &'static [(&'static str, VarKind)] {
        use VarKind::*;
        match self {
            LetterKind::Receipt => &[
                ("application_kind", Text),
                ("procedure", Text),
                ("introduced_on", Text),
                ("registered_on", Text),
                ("nationality", Text),
                ("language", Text),
                ("documents_received", List),
                ("missing", List),
                ("decision_deadline", Optional),
                ("activation_code", Optional),
            ],
            LetterKind::MissingItems => &[("missing", List), ("reply_by", Text)],
            LetterKind::Convocation => &[
                ("date", Text),
                ("place", Optional),
                ("video_link", Optional),
                ("interpreter_language", Optional),
                ("to_bring", List),
                ("children_must_come", Flag),
            ],
            LetterKind::Decision => &[
                ("outcome", Text),
                ("facts", Text),
                ("law", Text),
                ("signed_by", Text),
                ("signed_on", Text),
                ("appeal", Optional),
            ],
        }
    }

    fn var_kind(self, name: &str) -> Option<VarKind> {
        COMMON.iter().chain(self.schema()).find(|(n, _)| *n == name).map(|(_, k)| *k)
    }
}

/// Variables every letter has.
const COMMON: &[(&str, VarKind)] = &[
    ("case_number", VarKind::Text),
    ("applicant_name", VarKind::Text),
    ("issued_on", VarKind::Text),
    ("service", VarKind::Text),
];

/// Variables the letterhead may use: the common ones and these.
const LETTERHEAD_EXTRA: &[&str] = &["title", "document", "page", "pages"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VarKind {
    /// Always present.
    Text,
    /// Present or not: usable in a placeholder only under `when = "<name>"`.
    Optional,
    /// A list: for `list =` and `when =`.
    List,
    /// True or false: for `when =` and `unless =`.
    Flag,
}

#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Absent,
    List(Vec<String>),
    Flag(bool),
}

#[derive(Debug, Clone, Default)]
struct Vars(BTreeMap<&'static str, Value>);

impl Vars {
    fn text(&mut self, name: &'static str, value: &str) {
        self.0.insert(name, Value::Text(value.to_owned()));
    }
    fn optional(&mut self, name: &'static str, value: Option<&str>) {
        let value = match value {
            Some(v) if !v.trim().is_empty() => Value::Text(v.to_owned()),
            _ => Value::Absent,
        };
        self.0.insert(name, value);
    }
    fn list(&mut self, name: &'static str, items: &[String]) {
        self.0.insert(name, Value::List(items.to_vec()));
    }
    fn flag(&mut self, name: &'static str, value: bool) {
        self.0.insert(name, Value::Flag(value));
    }
    fn holds(&self, name: &str) -> bool {
        match self.0.get(name) {
            Some(Value::Text(_)) => true,
            Some(Value::List(items)) => !items.is_empty(),
            Some(Value::Flag(flag)) => *flag,
            Some(Value::Absent) | None => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Templates: parsed from TOML, checked against the letter's variables.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterFile {
    meta: MetaFile,
    #[serde(default)]
    blocks: Vec<BlockFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MetaFile {
    title: String,
    code: String,
    signature: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockFile {
    heading: Option<String>,
    p: Option<String>,
    list: Option<String>,
    facts: Option<Vec<FactFile>>,
    /// Where the signature goes (at most one such block); without one, it closes the letter.
    #[serde(default)]
    signature: bool,
    #[serde(default)]
    framed: bool,
    when: Option<String>,
    unless: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FactFile {
    label: String,
    value: String,
    when: Option<String>,
    unless: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterheadFile {
    letterhead: LetterheadWords,
    label: LabelWords,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LetterheadWords {
    state: Vec<String>,
    motto: Vec<String>,
    office: Vec<String>,
    address: Vec<String>,
    dated: String,
    reference: String,
    followed_by: String,
    subject: String,
    continuation: String,
    footer: String,
    footer_reference: String,
    page: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelWords {
    header: String,
    footer: String,
}

/// A piece of template text: literal runs, placeholders and bold markers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Var(String),
    Bold,
}

/// Template text, parsed once. `{name}` is a placeholder, `{{` and `}}` are literal braces,
/// `**` toggles bold.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Text(Vec<Piece>);

impl Text {
    fn parse(source: &str) -> Result<Text, String> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = source.chars().peekable();
        let mut bold = false;
        while let Some(c) = chars.next() {
            match c {
                '{' if chars.peek() == Some(&'{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek() == Some(&'}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let mut name = String::new();
                    loop {
                        match chars.next() {
                            Some('}') => break,
                            Some(c) if c.is_ascii_alphanumeric() || c == '_' => name.push(c),
                            Some(c) => {
                                return Err(format!("unexpected {c:?} in placeholder {{{name}…"));
                            }
                            None => return Err(format!("unclosed placeholder {{{name}")),
                        }
                    }
                    if name.is_empty() {
                        return Err("empty placeholder {}".to_owned());
                    }
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Var(name));
                }
                '}' => return Err("lone '}' (write '}}' for a brace)".to_owned()),
                '*' if chars.peek() == Some(&'*') => {
                    chars.next();
                    if !literal.is_empty() {
                        pieces.push(Piece::Literal(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Bold);
                    bold = !bold;
                }
                c => literal.push(c),
            }
        }
        if bold {
            return Err("unbalanced '**'".to_owned());
        }
        if !literal.is_empty() {
            pieces.push(Piece::Literal(literal));
        }
        Ok(Text(pieces))
    }

    fn placeholders(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Var(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// Substitutes the variables; returns styled spans.
    fn render(&self, template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<Vec<Span>, PrintError> {
        let mut spans: Vec<Span> = Vec::new();
        let mut bold = false;
        for piece in &self.0 {
            let text = match piece {
                Piece::Bold => {
                    bold = !bold;
                    continue;
                }
                Piece::Literal(text) => text.clone(),
                Piece::Var(name) => lookup(name)
                    .ok_or_else(|| template_error(template, format!("placeholder {{{name}}} has no value")))?,
            };
            let weight = if bold { Weight::Bold } else { Weight::Regular };
            match spans.last_mut() {
                Some(last) if last.weight == weight => last.text.push_str(&text),
                _ => spans.push(Span { text, weight }),
            }
        }
        Ok(spans)
    }

    fn render_plain(&self, template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> Result<String, PrintError> {
        Ok(self.render(template, lookup)?.into_iter().map(|s| s.text).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Span {
    text: String,
    weight: Weight,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone)]
struct LetterTemplate {
    name: String,
    title: Text,
    code: String,
    signature: Vec<Text>,
    blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
struct Block {
    content: BlockContent,
    framed: bool,
    guard: Guard,
}

#[derive(Debug, Clone, Default)]
struct Guard {
    when: Option<String>,
    unless: Option<String>,
}

impl Guard {
    fn admits(&self, vars: &Vars) -> bool {
        self.when.as_deref().is_none_or(|name| vars.holds(name))
            && self.unless.as_deref().is_none_or(|name| !vars.holds(name))
    }
}

#[derive(Debug, Clone)]
enum BlockContent {
    Heading(Text),
    Paragraph(Text),
    List(String),
    Facts(Vec<Fact>),
    /// The signature (`meta.signature`) goes here rather than at the end.
    Signature,
}

#[derive(Debug, Clone)]
struct Fact {
    label: Text,
    value: Text,
    guard: Guard,
}

impl LetterTemplate {
    /// Parses and checks a letter template against the variables of its kind.
    fn parse(kind: LetterKind, source: &str) -> Result<LetterTemplate, PrintError> {
        let name = format!("{}.toml", kind.as_str());
        let err = |message: String| template_error(&name, message);
        let file: LetterFile = toml::from_str(source).map_err(|e| err(e.to_string()))?;
        let text = |s: &str| Text::parse(s).map_err(|m| err(format!("{m} in {s:?}")));

        let check_guard = |guard: &Guard| -> Result<(), PrintError> {
            for name in guard.when.iter().chain(guard.unless.iter()) {
                match kind.var_kind(name) {
                    Some(VarKind::Optional | VarKind::List | VarKind::Flag) => {}
                    Some(VarKind::Text) => {
                        return Err(err(format!("`{name}` is always present: it cannot guard a block")));
                    }
                    None => return Err(err(format!("unknown variable `{name}` in when/unless"))),
                }
            }
            Ok(())
        };
        // A placeholder must be a text variable; an optional one only under its own guard.
        let check_text = |t: &Text, guards: &[&Guard]| -> Result<(), PrintError> {
            for name in t.placeholders() {
                match kind.var_kind(name) {
                    Some(VarKind::Text) => {}
                    Some(VarKind::Optional) => {
                        if !guards.iter().any(|g| g.when.as_deref() == Some(name)) {
                            return Err(err(format!(
                                "placeholder {{{name}}} is optional: use it only under when = \"{name}\""
                            )));
                        }
                    }
                    Some(VarKind::List | VarKind::Flag) => {
                        return Err(err(format!("{{{name}}} is not a text: it cannot be a placeholder")));
                    }
                    None => return Err(err(format!("unknown placeholder {{{name}}}"))),
                }
            }
            Ok(())
        };

        let title = text(&file.meta.title)?;
        check_text(&title, &[])?;
        let mut signature = Vec::new();
        for line in &file.meta.signature {
            let line = text(line)?;
            check_text(&line, &[])?;
            signature.push(line);
        }
        if file.meta.code.trim().is_empty() {
            return Err(err("meta.code is empty".to_owned()));
        }

        let mut blocks = Vec::new();
        for (index, b) in file.blocks.into_iter().enumerate() {
            let guard = Guard { when: b.when, unless: b.unless };
            check_guard(&guard)?;
            let given = [b.heading.is_some(), b.p.is_some(), b.list.is_some(), b.facts.is_some(), b.signature];
            if given.iter().filter(|g| **g).count() != 1 {
                return Err(err(format!(
                    "block {}: give exactly one of heading, p, list, facts, signature",
                    index + 1
                )));
            }
            let content = if b.signature {
                if blocks.iter().any(|b: &Block| matches!(b.content, BlockContent::Signature)) {
                    return Err(err(format!("block {}: a second signature block", index + 1)));
                }
                BlockContent::Signature
            } else if let Some(h) = b.heading {
                let t = text(&h)?;
                check_text(&t, &[&guard])?;
                BlockContent::Heading(t)
            } else if let Some(p) = b.p {
                let t = text(&p)?;
                check_text(&t, &[&guard])?;
                BlockContent::Paragraph(t)
            } else if let Some(list) = b.list {
                if kind.var_kind(&list) != Some(VarKind::List) {
                    return Err(err(format!("block {}: `{list}` is not a list variable", index + 1)));
                }
                BlockContent::List(list)
            } else {
                let mut facts = Vec::new();
                for f in b.facts.unwrap_or_default() {
                    let fact_guard = Guard { when: f.when, unless: f.unless };
                    check_guard(&fact_guard)?;
                    let label = text(&f.label)?;
                    let value = text(&f.value)?;
                    check_text(&label, &[&guard, &fact_guard])?;
                    check_text(&value, &[&guard, &fact_guard])?;
                    facts.push(Fact { label, value, guard: fact_guard });
                }
                BlockContent::Facts(facts)
            };
            if b.framed && matches!(content, BlockContent::Heading(_) | BlockContent::List(_) | BlockContent::Signature)
            {
                return Err(err(format!("block {}: only p and facts can be framed", index + 1)));
            }
            blocks.push(Block { content, framed: b.framed, guard });
        }
        Ok(LetterTemplate { name, title, code: file.meta.code, signature, blocks })
    }

    fn title(&self, vars: &Vars) -> Result<String, PrintError> {
        self.title.render_plain(&self.name, &|n| lookup_text(vars, n))
    }
}

fn lookup_text(vars: &Vars, name: &str) -> Option<String> {
    match vars.0.get(name) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    }
}

#[derive(Debug, Clone)]
struct Letterhead {
    state: Vec<Text>,
    motto: Vec<Text>,
    office: Vec<Text>,
    address: Vec<Text>,
    dated: Text,
    reference: Text,
    followed_by: Text,
    subject: Text,
    continuation: Text,
    footer: Text,
    footer_reference: Text,
    page: Text,
    label_header: Text,
    label_footer: Text,
}

impl Letterhead {
    fn parse(source: &str) -> Result<Letterhead, PrintError> {
        let name = "letterhead.toml";
        let err = |message: String| template_error(name, message);
        let file: LetterheadFile = toml::from_str(source).map_err(|e| err(e.to_string()))?;
        let one = |s: &str, allow_vars: bool| -> Result<Text, PrintError> {
            let t = Text::parse(s).map_err(|m| err(format!("{m} in {s:?}")))?;
            for p in t.placeholders() {
                let known = COMMON.iter().any(|(n, _)| *n == p) || LETTERHEAD_EXTRA.contains(&p);
                if !known {
                    return Err(err(format!("unknown placeholder {{{p}}}")));
                }
                if !allow_vars {
                    return Err(err(format!("placeholder {{{p}}} not allowed here")));
                }
            }
            Ok(t)
        };
        let many =
            |lines: &[String]| -> Result<Vec<Text>, PrintError> { lines.iter().map(|l| one(l, false)).collect() };
        let w = &file.letterhead;
        Ok(Letterhead {
            state: many(&w.state)?,
            motto: many(&w.motto)?,
            office: many(&w.office)?,
            address: many(&w.address)?,
            dated: one(&w.dated, true)?,
            reference: one(&w.reference, true)?,
            followed_by: one(&w.followed_by, true)?,
            subject: one(&w.subject, true)?,
            continuation: one(&w.continuation, true)?,
            footer: one(&w.footer, true)?,
            footer_reference: one(&w.footer_reference, true)?,
            page: one(&w.page, true)?,
            label_header: one(&file.label.header, false)?,
            label_footer: one(&file.label.footer, false)?,
        })
    }
}

#[derive(Debug, Clone)]
struct Templates {
    letterhead: Letterhead,
    receipt: LetterTemplate,
    missing_items: LetterTemplate,
    convocation: LetterTemplate,
    decision: LetterTemplate,
}

impl Templates {
    fn builtin() -> Result<Templates, PrintError> {
        Ok(Templates {
            letterhead: Letterhead::parse(LETTERHEAD_SOURCE)?,
            receipt: LetterTemplate::parse(LetterKind::Receipt, RECEIPT_SOURCE)?,
            missing_items: LetterTemplate::parse(LetterKind::MissingItems, MISSING_ITEMS_SOURCE)?,
            convocation: LetterTemplate::parse(LetterKind::Convocation, CONVOCATION_SOURCE)?,
            decision: LetterTemplate::parse(LetterKind::Decision, DECISION_SOURCE)?,
        })
    }

    fn letter(&self, kind: LetterKind) -> &LetterTemplate {
        match kind {
            LetterKind::Receipt => &self.receipt,
            LetterKind::MissingItems => &self.missing_items,
            LetterKind::Convocation => &self.convocation,
            LetterKind::Decision => &self.decision,
        }
    }
}

static BUILTIN: LazyLock<Result<Templates, PrintError>> = LazyLock::new(Templates::builtin);

// ---------------------------------------------------------------------------------------------
// Fonts: embedded, measured with their own metrics (shaped, so kerning counts).
// ---------------------------------------------------------------------------------------------

struct Face {
    name: &'static str,
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(name: &'static str, data: &'static [u8]) -> Result<Face, PrintError> {
        let err = |message: &str| PrintError::Font { font: name.to_owned(), message: message.to_owned() };
        let pdf = Font::new(data.into(), 0).ok_or_else(|| err("not a usable TrueType font"))?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or_else(|| err("cannot be shaped"))?;
        let units_per_em = shaper.units_per_em().max(1) as f32;
        Ok(Face { name, pdf, shaper, units_per_em })
    }

    /// Width of `text` at `size` points; an error names the first character the font lacks.
    fn width(&self, text: &str, size: f32) -> Result<f32, PrintError> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let mut advance: i64 = 0;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            if info.glyph_id == 0 {
                let missing = text
                    .get(info.cluster as usize..)
                    .and_then(|rest| rest.chars().next())
                    .map_or_else(|| "?".to_owned(), |c| format!("{c:?} (U+{:04X})", u32::from(c)));
                return Err(PrintError::Font {
                    font: self.name.to_owned(),
                    message: format!("no glyph for {missing} in {text:?}"),
                });
            }
            advance += i64::from(pos.x_advance);
        }
        Ok(advance as f32 * size / self.units_per_em)
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
}

impl Fonts {
    fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The printer.
// ---------------------------------------------------------------------------------------------

/// Loads fonts and templates once; `Send + Sync`, cheap to share in an `Arc`.
pub struct Printer {
    fonts: Fonts,
    templates: Templates,
}

impl std::fmt::Debug for Printer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Printer").finish_non_exhaustive()
    }
}

const _: () = {
    const fn shareable<T: Send + Sync>() {}
    shareable::<Printer>();
};

impl Printer {
    /// Loads the embedded fonts and the templates kept in `templates/`, and checks them.
    pub fn new() -> Result<Printer, PrintError> {
        let templates = BUILTIN.as_ref().map_err(Clone::clone)?.clone();
        Ok(Printer {
            fonts: Fonts {
                regular: Face::load("DejaVuSans", FONT_REGULAR)?,
                bold: Face::load("DejaVuSans-Bold", FONT_BOLD)?,
            },
            templates,
        })
    }

    /// Replaces one letter's template (`kind` as in [`Letter::kind`]) by `source`, after checking
    /// it: an unknown placeholder, an unguarded optional one or a malformed block is refused.
    pub fn with_template(mut self, kind: &str, source: &str) -> Result<Printer, PrintError> {
        let kind = LetterKind::parse(kind)
            .ok_or_else(|| template_error(kind, "no such letter (receipt, missing_items, convocation, decision)"))?;
        let template = LetterTemplate::parse(kind, source)?;
        match kind {
            LetterKind::Receipt => self.templates.receipt = template,
            LetterKind::MissingItems => self.templates.missing_items = template,
            LetterKind::Convocation => self.templates.convocation = template,
            LetterKind::Decision => self.templates.decision = template,
        }
        Ok(self)
    }

    /// Renders a letter as PDF/A-2u bytes (A4, fonts embedded and subset).
    pub fn render(&self, letter: &Letter) -> Result<Vec<u8>, PrintError> {
        let template = self.templates.letter(letter.letter_kind());
        let vars = letter.vars();
        let head = letter.head();
        let title = template.title(&vars)?;
        let mut layout = Layout::new(&self.fonts);
        self.letterhead(&mut layout, head, &title, template)?;
        let signature = template
            .signature
            .iter()
            .map(|line| line.render(&template.name, &|n| lookup_text(&vars, n)))
            .collect::<Result<Vec<_>, _>>()?;
        let mut signed = false;
        for block in &template.blocks {
            if !block.guard.admits(&vars) {
                continue;
            }
            if matches!(block.content, BlockContent::Signature) {
                layout.signature(&signature)?;
                layout.y += 6.0 * MM;
                signed = true;
            } else {
                layout.block(template, block, &vars)?;
            }
        }
        if !signed {
            layout.signature(&signature)?;
        }

        let pages = layout.pages.len();
        for index in 0..pages {
            self.page_furniture(&mut layout, index, pages, head, &title, template)?;
        }
        let metadata = Metadata::new()
            .title(title.clone())
            .description(format!("{title} — dossier {}", head.case_number))
            .language("fr".to_owned())
            .authors(vec![self.office_name()?])
            .creator("Nansen".to_owned())
            .keywords(vec![head.case_number.clone(), letter.kind().to_owned()])
            .document_id(format!("{}/{}/{}", head.case_number, template.code, head.issued_on))
            .creation_date(pdf_date(head.issued_at));
        write_pdf(A4_WIDTH, A4_HEIGHT, &layout.pages, &self.fonts, metadata)
    }

    /// Renders a custody label (62 mm × 100 mm, portrait: the width of common label-printer tape)
    /// as PDF/A-2u: a QR code encoding exactly `label.identifier`, the identifier in large type
    /// under it, then the lines. PDF/A needs a creation date: this one takes the clock's; use
    /// [`Printer::label_at`] for reproducible bytes.
    pub fn label(&self, label: &Label) -> Result<Vec<u8>, PrintError> {
        self.label_at(label, time::OffsetDateTime::now_utc())
    }

    /// [`Printer::label`] with the creation date given: the same input gives the same bytes.
    pub fn label_at(&self, label: &Label, printed_at: time::OffsetDateTime) -> Result<Vec<u8>, PrintError> {
        let name = "label";
        if label.identifier.trim().is_empty() {
            return Err(template_error(name, "empty identifier"));
        }
        let words = &self.templates.letterhead;
        let none = |_: &str| None;
        let mut ops = Vec::new();
        let margin = 4.0 * MM;
        let width = LABEL_WIDTH - 2.0 * margin;
        let mut y = margin;

        let header = words.label_header.render(name, &none)?;
        let header = flatten(&header);
        let size = 7.5;
        let w = self.fonts.bold.width(&header, size)?;
        ops.push(Op::text((LABEL_WIDTH - w) / 2.0, y + size, header, Weight::Bold, size, INK));
        y += size * 1.6;

        // The QR code, with its quiet zone of four modules.
        let matrix = qr_matrix(&label.identifier)?;
        let modules = matrix.len() as f32 + 8.0;
        let side = 40.0 * MM;
        let module = side / modules;
        let left = (LABEL_WIDTH - side) / 2.0 + 4.0 * module;
        let top = y + 4.0 * module;
        for (row, cells) in matrix.iter().enumerate() {
            let mut col = 0;
            while col < cells.len() {
                if !cells[col] {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < cells.len() && cells[col] {
                    col += 1;
                }
                // A hair of overlap with the next row so that no seam shows between rows.
                ops.push(Op::Rect {
                    x: left + start as f32 * module,
                    y: top + row as f32 * module,
                    w: (col - start) as f32 * module,
                    h: module + 0.02,
                    grey: 0,
                });
            }
        }
        y += side + 1.0 * MM;

        // The identifier, as large as fits.
        let mut size: f32 = 16.0;
        let mut w = self.fonts.bold.width(&label.identifier, size)?;
        if w > width {
            size = (size * width / w).max(6.0);
            w = self.fonts.bold.width(&label.identifier, size)?;
        }
        if w > width {
            return Err(template_error(name, "identifier too long for the label"));
        }
        ops.push(Op::text((LABEL_WIDTH - w) / 2.0, y + size, label.identifier.clone(), Weight::Bold, size, 0));
        y += size * 1.5;

        let size = 8.5;
        let footer_top = LABEL_HEIGHT - margin - 2.0 * 6.5 * 1.3;
        let layout = Layout::new(&self.fonts);
        for line in &label.lines {
            let spans = [Span { text: line.clone(), weight: Weight::Regular }];
            for wrapped in layout.wrap(&spans, size, width)? {
                if y + size * 1.3 > footer_top {
                    return Err(template_error(name, "too many lines for the label"));
                }
                let w = wrapped.width;
                layout.draw_line(&mut ops, &wrapped, (LABEL_WIDTH - w) / 2.0, y + size, size, INK);
                y += size * 1.3;
            }
        }

        let footer = flatten(&words.label_footer.render(name, &none)?);
        let size = 6.5;
        let mut fy = footer_top;
        ops.push(Op::Rect { x: margin, y: fy - 1.5 * MM, w: width, h: 0.4, grey: RULE });
        for wrapped in layout.wrap(&[Span { text: footer, weight: Weight::Regular }], size, width)? {
            layout.draw_line(&mut ops, &wrapped, (LABEL_WIDTH - wrapped.width) / 2.0, fy + size, size, GREY_TEXT);
            fy += size * 1.3;
        }

        let metadata = Metadata::new()
            .title(format!("Étiquette de garde {}", label.identifier))
            .language("fr".to_owned())
            .creator("Nansen".to_owned())
            .keywords(vec![label.identifier.clone()])
            .document_id(label.identifier.clone())
            .creation_date(pdf_date(printed_at));
        write_pdf(LABEL_WIDTH, LABEL_HEIGHT, &[ops], &self.fonts, metadata)
    }

    fn office_name(&self) -> Result<String, PrintError> {
        let none = |_: &str| None;
        let parts = self
            .templates
            .letterhead
            .office
            .iter()
            .map(|t| t.render_plain("letterhead.toml", &none))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(parts.join(" "))
    }

    /// First page: state block, office, reference block, addressee, subject.
    fn letterhead(
        &self,
        layout: &mut Layout<'_>,
        head: &LetterHead,
        title: &str,
        template: &LetterTemplate,
    ) -> Result<(), PrintError> {
        let words = &self.templates.letterhead;
        let lookup = head_lookup(head, title, template, 1, 1);
        let t = "letterhead.toml";
        let mut ops = Vec::new();
        let mut y = 15.0 * MM;
        for line in &words.state {
            let size = 11.0;
            ops.push(Op::text(MARGIN_LEFT, y + size, flatten(&line.render(t, &lookup)?), Weight::Bold, size, 0));
            y += size * 1.15;
        }
        y += 2.0;
        for line in &words.motto {
            let size = 7.5;
            ops.push(Op::text(MARGIN_LEFT, y + size, flatten(&line.render(t, &lookup)?), Weight::Regular, size, INK));
            y += size * 1.2;
        }
        y += 5.0 * MM;
        for line in &words.office {
            let size = 9.5;
            ops.push(Op::text(MARGIN_LEFT, y + size, flatten(&line.render(t, &lookup)?), Weight::Bold, size, INK));
            y += size * 1.25;
        }
        y += 2.0;
        for line in &words.address {
            let size = 8.0;
            ops.push(Op::text(
                MARGIN_LEFT,
                y + size,
                flatten(&line.render(t, &lookup)?),
                Weight::Regular,
                size,
                GREY_TEXT,
            ));
            y += size * 1.3;
        }

        // Reference block, right-aligned against the right margin.
        let right = A4_WIDTH - MARGIN_RIGHT;
        let mut ry = 15.0 * MM;
        for (text, size) in [(&words.dated, 9.5), (&words.reference, 9.0), (&words.followed_by, 9.0)] {
            let spans = text.render(t, &lookup)?;
            for line in layout.wrap(&spans, size, right - WINDOW_LEFT)? {
                layout.draw_line(&mut ops, &line, right - line.width, ry + size, size, INK);
                ry += size * 1.4;
            }
            ry += 2.0;
        }

        // Addressee, in the envelope window.
        let mut ay = 52.0 * MM;
        let size = 10.5;
        let width = right - WINDOW_LEFT;
        let name = [Span { text: head.addressee.name.clone(), weight: Weight::Bold }];
        for line in layout.wrap(&name, size, width)? {
            layout.draw_line(&mut ops, &line, WINDOW_LEFT, ay + size, size, 0);
            ay += size * 1.3;
        }
        for address in &head.addressee.lines {
            let spans = [Span { text: address.clone(), weight: Weight::Regular }];
            for line in layout.wrap(&spans, size, width)? {
                layout.draw_line(&mut ops, &line, WINDOW_LEFT, ay + size, size, INK);
                ay += size * 1.3;
            }
        }

        // Subject, below whichever block is lower.
        let mut sy = (ay.max(y) + 8.0 * MM).max(84.0 * MM);
        let size = 11.0;
        let subject = words.subject.render(t, &lookup)?;
        for line in layout.wrap(&subject, size, TEXT_WIDTH)? {
            layout.draw_line(&mut ops, &line, MARGIN_LEFT, sy + size, size, 0);
            sy += size * LINE;
        }
        layout.pages[0].extend(ops);
        layout.y = (sy + 6.0 * MM).max(FIRST_BODY_TOP);
        Ok(())
    }

    /// Header of continuation pages and the footer of every page.
    fn page_furniture(
        &self,
        layout: &mut Layout<'_>,
        index: usize,
        pages: usize,
        head: &LetterHead,
        title: &str,
        template: &LetterTemplate,
    ) -> Result<(), PrintError> {
        let words = &self.templates.letterhead;
        let lookup = head_lookup(head, title, template, index + 1, pages);
        let t = "letterhead.toml";
        let mut ops = Vec::new();
        let right = A4_WIDTH - MARGIN_RIGHT;
        if index > 0 {
            let size = 8.0;
            let y = 15.0 * MM;
            let left = words.continuation.render(t, &lookup)?;
            let reference = words.reference.render(t, &lookup)?;
            let reference = layout.single_line(&reference, size)?;
            layout.draw_line(&mut ops, &reference, right - reference.width, y + size, size, GREY_TEXT);
            for line in layout.wrap(&left, size, TEXT_WIDTH - reference.width - 5.0 * MM)?.into_iter().take(1) {
                layout.draw_line(&mut ops, &line, MARGIN_LEFT, y + size, size, GREY_TEXT);
            }
            ops.push(Op::Rect { x: MARGIN_LEFT, y: y + size * 1.8, w: TEXT_WIDTH, h: 0.5, grey: RULE });
        }
        let size = 7.5;
        let y = 278.0 * MM;
        ops.push(Op::Rect { x: MARGIN_LEFT, y, w: TEXT_WIDTH, h: 0.5, grey: RULE });
        let page = layout.single_line(&words.page.render(t, &lookup)?, size)?;
        layout.draw_line(&mut ops, &page, right - page.width, y + 3.0 + size, size, GREY_TEXT);
        let mut fy = y + 3.0;
        let width = TEXT_WIDTH - page.width - 6.0 * MM;
        for text in [&words.footer, &words.footer_reference] {
            for line in layout.wrap(&text.render(t, &lookup)?, size, width)? {
                layout.draw_line(&mut ops, &line, MARGIN_LEFT, fy + size, size, GREY_TEXT);
                fy += size * 1.35;
            }
        }
        if let Some(page_ops) = layout.pages.get_mut(index) {
            page_ops.extend(ops);
        }
        Ok(())
    }
}

fn head_lookup<'a>(
    head: &'a LetterHead,
    title: &'a str,
    template: &'a LetterTemplate,
    page: usize,
    pages: usize,
) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| match name {
        "case_number" => Some(head.case_number.clone()),
        "applicant_name" => Some(head.addressee.name.clone()),
        "issued_on" => Some(head.issued_on.clone()),
        "service" => Some(head.service.clone()),
        "title" => Some(title.to_owned()),
        "document" => Some(template.code.clone()),
        "page" => Some(page.to_string()),
        "pages" => Some(pages.to_string()),
        _ => None,
    }
}

/// Cuts rendered text into paragraphs at blank lines (two line breaks with nothing but white space
/// between them); single line breaks stay, and wrap as spaces. Empty paragraphs are dropped.
fn split_paragraphs(spans: Vec<Span>) -> Vec<Vec<Span>> {
    let mut paragraphs: Vec<Vec<Span>> = vec![Vec::new()];
    // Line breaks since the last visible character.
    let mut breaks = 0;
    for span in spans {
        let mut text = String::new();
        for c in span.text.chars() {
            match c {
                '\n' => breaks += 1,
                ' ' | '\t' | '\r' => {}
                _ => {
                    if breaks >= 2 {
                        if !text.is_empty() {
                            if let Some(last) = paragraphs.last_mut() {
                                last.push(Span { text: std::mem::take(&mut text), weight: span.weight });
                            }
                        }
                        paragraphs.push(Vec::new());
                    }
                    breaks = 0;
                }
            }
            text.push(c);
        }
        if !text.is_empty() {
            if let Some(last) = paragraphs.last_mut() {
                last.push(Span { text, weight: span.weight });
            }
        }
    }
    paragraphs.retain(|p| p.iter().any(|s| !s.text.trim().is_empty()));
    paragraphs
}

fn flatten(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// The QR code's modules (true = dark), without quiet zone; error correction level M.
fn qr_matrix(identifier: &str) -> Result<Vec<Vec<bool>>, PrintError> {
    let code = qrcode::QrCode::with_error_correction_level(identifier.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| template_error("label", format!("cannot encode the identifier as a QR code: {e}")))?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors.chunks(width.max(1)).map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect()).collect())
}

fn pdf_date(at: time::OffsetDateTime) -> DateTime {
    let offset = at.offset();
    let (hours, minutes, _) = offset.as_hms();
    DateTime::new(u16::try_from(at.year()).unwrap_or(0))
        .month(u8::from(at.month()))
        .day(at.day())
        .hour(at.hour())
        .minute(at.minute())
        .second(at.second())
        .utc_offset_hour(hours)
        .utc_offset_minute(minutes.unsigned_abs())
}

// ---------------------------------------------------------------------------------------------
// Layout: a display list per page, then drawn with krilla.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Op {
    Text { x: f32, y: f32, text: String, weight: Weight, size: f32, grey: u8 },
    Rect { x: f32, y: f32, w: f32, h: f32, grey: u8 },
}

impl Op {
    fn text(x: f32, y: f32, text: String, weight: Weight, size: f32, grey: u8) -> Op {
        Op::Text { x, y, text, weight, size, grey }
    }
}

/// One laid-out line: runs of one weight each, with their widths.
#[derive(Debug, Clone, Default)]
struct Line {
    runs: Vec<(String, Weight, f32)>,
    width: f32,
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    weight: Weight,
    width: f32,
    /// Joined to the previous word without a space (a bold part inside a word).
    glued: bool,
}

struct Layout<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl<'a> Layout<'a> {
    fn new(fonts: &'a Fonts) -> Layout<'a> {
        Layout { fonts, pages: vec![Vec::new()], y: FIRST_BODY_TOP }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page unless `height` still fits on this one.
    fn ensure(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > NEXT_BODY_TOP {
            self.pages.push(Vec::new());
            self.y = NEXT_BODY_TOP;
        }
    }

    fn space(&self, weight: Weight, size: f32) -> Result<f32, PrintError> {
        self.fonts.face(weight).width(" ", size)
    }

    /// Greedy word wrap at `width`; a word longer than a line is cut between characters.
    fn wrap(&self, spans: &[Span], size: f32, width: f32) -> Result<Vec<Line>, PrintError> {
        let mut words: Vec<Word> = Vec::new();
        let mut after_space = true;
        for span in spans {
            let face = self.fonts.face(span.weight);
            let mut first = true;
            for piece in span.text.split([' ', '\t', '\n', '\r']) {
                if piece.is_empty() {
                    after_space = true;
                    first = false;
                    continue;
                }
                let glued = first && !after_space && !words.is_empty();
                for (i, chunk) in self.split_long(piece, span.weight, size, width)?.into_iter().enumerate() {
                    let w = face.width(&chunk, size)?;
                    words.push(Word { text: chunk, weight: span.weight, width: w, glued: glued || i > 0 });
                }
                after_space = false;
                first = false;
            }
            if span.text.ends_with([' ', '\t', '\n', '\r']) {
                after_space = true;
            }
        }

        let mut lines = Vec::new();
        let mut current: Vec<Word> = Vec::new();
        let mut used = 0.0;
        for word in words {
            let gap = if current.is_empty() || word.glued { 0.0 } else { self.space(word.weight, size)? };
            if !current.is_empty() && used + gap + word.width > width + 0.01 {
                lines.push(self.line(&std::mem::take(&mut current), size)?);
                used = word.width;
                current.push(Word { glued: false, ..word });
            } else {
                used += gap + word.width;
                current.push(word);
            }
        }
        if !current.is_empty() {
            lines.push(self.line(&current, size)?);
        }
        // A line that wraps ends with an (invisible, unmeasured) space, so that text extraction
        // and copy-paste do not glue the last word of a line to the first of the next.
        let wrapped = lines.len().saturating_sub(1);
        for line in &mut lines[..wrapped] {
            if let Some((text, _, _)) = line.runs.last_mut() {
                text.push(' ');
            }
        }
        Ok(lines)
    }

    /// Cuts a word wider than `width` into pieces that fit.
    fn split_long(&self, word: &str, weight: Weight, size: f32, width: f32) -> Result<Vec<String>, PrintError> {
        let face = self.fonts.face(weight);
        if face.width(word, size)? <= width {
            return Ok(vec![word.to_owned()]);
        }
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if piece.chars().count() > 1 && face.width(&piece, size)? > width {
                piece.pop();
                pieces.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        if !piece.is_empty() {
            pieces.push(piece);
        }
        Ok(pieces)
    }

    /// Joins words into runs of one weight; the space between two runs stays at the end of the
    /// first, so that text extraction sees it.
    fn line(&self, words: &[Word], size: f32) -> Result<Line, PrintError> {
        let mut runs: Vec<(String, Weight)> = Vec::new();
        for word in words {
            let sep = if word.glued || runs.is_empty() { "" } else { " " };
            match runs.last_mut() {
                Some((text, weight)) if *weight == word.weight => {
                    text.push_str(sep);
                    text.push_str(&word.text);
                }
                Some((text, _)) => {
                    text.push_str(sep);
                    runs.push((word.text.clone(), word.weight));
                }
                None => runs.push((word.text.clone(), word.weight)),
            }
        }
        let mut line = Line::default();
        for (text, weight) in runs {
            let w = self.fonts.face(weight).width(&text, size)?;
            line.width += w;
            line.runs.push((text, weight, w));
        }
        Ok(line)
    }

    fn single_line(&self, spans: &[Span], size: f32) -> Result<Line, PrintError> {
        let words: Vec<Word> =
            spans.iter().map(|s| Word { text: s.text.clone(), weight: s.weight, width: 0.0, glued: true }).collect();
        self.line(&words, size)
    }

    fn draw_line(&self, ops: &mut Vec<Op>, line: &Line, x: f32, baseline: f32, size: f32, grey: u8) {
        let mut x = x;
        for (text, weight, w) in &line.runs {
            ops.push(Op::text(x, baseline, text.clone(), *weight, size, grey));
            x += w;
        }
    }

    fn block(&mut self, template: &LetterTemplate, block: &Block, vars: &Vars) -> Result<(), PrintError> {
        let lookup = |n: &str| lookup_text(vars, n);
        let size = BODY_SIZE;
        let lh = size * LINE;
        match &block.content {
            BlockContent::Heading(text) => {
                let size = 10.5;
                let lines = self.wrap(&text.render(&template.name, &lookup)?, size, TEXT_WIDTH)?;
                self.y += 4.0;
                // Keep the heading with at least two lines of what follows.
                self.ensure(lines.len() as f32 * size * LINE + 2.0 * lh);
                for line in &lines {
                    let mut ops = Vec::new();
                    let line = self.bolden(line, size)?;
                    self.draw_line(&mut ops, &line, MARGIN_LEFT, self.y + size, size, 0);
                    self.ops().extend(ops);
                    self.y += size * LINE;
                }
                self.y += 1.0;
            }
            BlockContent::Paragraph(text) => {
                // A value may hold several paragraphs, separated by blank lines.
                let paragraphs = split_paragraphs(text.render(&template.name, &lookup)?);
                if block.framed {
                    let pad = 3.5 * MM;
                    let mut rows = Vec::new();
                    for spans in &paragraphs {
                        rows.push((Vec::new(), self.wrap(spans, size, TEXT_WIDTH - 2.0 * pad)?));
                    }
                    if !rows.is_empty() {
                        self.framed(rows, 0.0, pad, size)?;
                    }
                } else {
                    for (i, spans) in paragraphs.iter().enumerate() {
                        if i > 0 {
                            self.y += 5.0;
                        }
                        let lines = self.wrap(spans, size, TEXT_WIDTH)?;
                        self.paragraph_lines(&lines, MARGIN_LEFT, size)?;
                    }
                }
                self.y += 5.0;
            }
            // Drawn by the printer, which holds the signature lines.
            BlockContent::Signature => {}
            BlockContent::List(name) => {
                let items = match vars.0.get(name.as_str()) {
                    Some(Value::List(items)) => items.clone(),
                    _ => Vec::new(),
                };
                let indent = 7.0 * MM;
                for item in &items {
                    let spans = [Span { text: item.clone(), weight: Weight::Regular }];
                    let lines = self.wrap(&spans, size, TEXT_WIDTH - indent)?;
                    for (i, line) in lines.iter().enumerate() {
                        self.ensure(lh);
                        let mut ops = Vec::new();
                        if i == 0 {
                            ops.push(Op::text(
                                MARGIN_LEFT + 2.5 * MM,
                                self.y + size,
                                "•".to_owned(),
                                Weight::Regular,
                                size,
                                INK,
                            ));
                        }
                        self.draw_line(&mut ops, line, MARGIN_LEFT + indent, self.y + size, size, INK);
                        self.ops().extend(ops);
                        self.y += lh;
                    }
                    self.y += 1.5;
                }
                if !items.is_empty() {
                    self.y += 4.0;
                }
            }
            BlockContent::Facts(facts) => {
                let pad = if block.framed { 3.5 * MM } else { 0.0 };
                let label_width = 50.0 * MM;
                let value_width = TEXT_WIDTH - 2.0 * pad - label_width;
                let mut rows = Vec::new();
                for fact in facts.iter().filter(|f| f.guard.admits(vars)) {
                    let label = fact.label.render(&template.name, &lookup)?;
                    let mut value = fact.value.render(&template.name, &lookup)?;
                    for span in &mut value {
                        span.weight = Weight::Bold;
                    }
                    rows.push((
                        self.wrap(&label, size, label_width - 3.0 * MM)?,
                        self.wrap(&value, size, value_width)?,
                    ));
                }
                if block.framed {
                    self.framed(rows, label_width, pad, size)?;
                } else {
                    for (label, value) in rows {
                        let n = label.len().max(value.len());
                        self.ensure(n as f32 * lh);
                        let mut ops = Vec::new();
                        for (i, line) in label.iter().enumerate() {
                            self.draw_line(&mut ops, line, MARGIN_LEFT, self.y + size + i as f32 * lh, size, GREY_TEXT);
                        }
                        for (i, line) in value.iter().enumerate() {
                            self.draw_line(
                                &mut ops,
                                line,
                                MARGIN_LEFT + label_width,
                                self.y + size + i as f32 * lh,
                                size,
                                0,
                            );
                        }
                        self.ops().extend(ops);
                        self.y += n as f32 * lh + 2.0;
                    }
                }
                self.y += 5.0;
            }
        }
        Ok(())
    }

    /// Re-measures a line in bold (headings).
    fn bolden(&self, line: &Line, size: f32) -> Result<Line, PrintError> {
        let words: Vec<Word> = line
            .runs
            .iter()
            .map(|(t, _, _)| Word { text: t.clone(), weight: Weight::Bold, width: 0.0, glued: true })
            .collect();
        self.line(&words, size)
    }

    fn paragraph_lines(&mut self, lines: &[Line], x: f32, size: f32) -> Result<(), PrintError> {
        let lh = size * LINE;
        // Avoid a lone first line at the bottom of a page.
        if lines.len() > 1 {
            self.ensure(2.0 * lh);
        }
        for line in lines {
            self.ensure(lh);
            let mut ops = Vec::new();
            self.draw_line(&mut ops, line, x, self.y + size, size, INK);
            self.ops().extend(ops);
            self.y += lh;
        }
        Ok(())
    }

    /// A box with a light background: rows of (label lines, value lines). Kept on one page when
    /// it fits on one; otherwise drawn without its frame.
    fn framed(
        &mut self,
        rows: Vec<(Vec<Line>, Vec<Line>)>,
        label_width: f32,
        pad: f32,
        size: f32,
    ) -> Result<(), PrintError> {
        let lh = size * LINE;
        let row_gap = 2.0;
        let inner: f32 = rows.iter().map(|(l, v)| l.len().max(v.len()) as f32 * lh + row_gap).sum::<f32>() - row_gap;
        let height = inner + 2.0 * pad;
        self.ensure(height);
        let fits = self.y + height <= BODY_BOTTOM;
        if fits {
            let (x, y) = (MARGIN_LEFT, self.y);
            let ops = self.ops();
            ops.push(Op::Rect { x, y, w: TEXT_WIDTH, h: height, grey: RULE });
            ops.push(Op::Rect { x: x + 0.6, y: y + 0.6, w: TEXT_WIDTH - 1.2, h: height - 1.2, grey: FRAME_FILL });
            ops.push(Op::Rect { x, y, w: 1.2 * MM, h: height, grey: 60 });
        }
        self.y += pad;
        for (label, value) in rows {
            let n = label.len().max(value.len());
            if !fits {
                self.ensure(n as f32 * lh);
            }
            let mut ops = Vec::new();
            for (i, line) in label.iter().enumerate() {
                self.draw_line(&mut ops, line, MARGIN_LEFT + pad, self.y + size + i as f32 * lh, size, GREY_TEXT);
            }
            for (i, line) in value.iter().enumerate() {
                self.draw_line(&mut ops, line, MARGIN_LEFT + pad + label_width, self.y + size + i as f32 * lh, size, 0);
            }
            self.ops().extend(ops);
            self.y += n as f32 * lh + row_gap;
        }
        self.y += pad - row_gap;
        Ok(())
    }

    fn signature(&mut self, lines: &[Vec<Span>]) -> Result<(), PrintError> {
        let size = BODY_SIZE;
        let lh = size * LINE;
        let x = WINDOW_LEFT;
        let width = A4_WIDTH - MARGIN_RIGHT - x;
        let mut laid = Vec::new();
        for spans in lines {
            laid.extend(self.wrap(spans, size, width)?);
        }
        self.y += 6.0 * MM;
        self.ensure(laid.len() as f32 * lh);
        let mut ops = Vec::new();
        for (i, line) in laid.iter().enumerate() {
            self.draw_line(&mut ops, line, x, self.y + size + i as f32 * lh, size, 0);
        }
        self.ops().extend(ops);
        self.y += laid.len() as f32 * lh;
        Ok(())
    }
}

fn write_pdf(
    width: f32,
    height: f32,
    pages: &[Vec<Op>],
    fonts: &Fonts,
    metadata: Metadata,
) -> Result<Vec<u8>, PrintError> {
    let pdf_err = |message: String| PrintError::Pdf { message };
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_U)
        .finish()
        .map_err(|e| pdf_err(format!("configuration: {e:?}")))?;
    let settings = SerializeSettings { configuration, enable_tagging: false, ..SerializeSettings::default() };
    let mut document = Document::new_with(settings);
    let page_settings = PageSettings::from_wh(width, height).ok_or_else(|| pdf_err("bad page size".to_owned()))?;
    for ops in pages {
        let mut page = document.start_page_with(page_settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, fonts);
        }
        surface.finish();
        page.finish();
    }
    document.set_metadata(metadata);
    document.finish().map_err(|e| match e {
        krilla::error::KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            pdf_err(format!("PDF/A-2u validation failed: {}", list.join("; ")))
        }
        other => pdf_err(other.to_string()),
    })
}

fn draw(surface: &mut Surface<'_>, op: &Op, fonts: &Fonts) {
    match op {
        Op::Text { x, y, text, weight, size, grey } => {
            surface.set_fill(Some(fill(*grey)));
            surface.draw_text(
                Point::from_xy(*x, *y),
                fonts.face(*weight).pdf.clone(),
                *size,
                text,
                false,
                TextDirection::Auto,
            );
        }
        Op::Rect { x, y, w, h, grey } => {
            let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else { return };
            let mut builder = PathBuilder::new();
            builder.push_rect(rect);
            if let Some(path) = builder.finish() {
                surface.set_fill(Some(fill(*grey)));
                surface.draw_path(&path);
            }
        }
    }
}

fn fill(grey: u8) -> Fill {
    Fill { paint: luma::Color::new(grey).into(), opacity: krilla::num::NormalizedF32::ONE, rule: FillRule::NonZero }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_templates_are_valid() {
        Templates::builtin().expect("built-in templates");
    }

    #[test]
    fn placeholders_and_markup_parse() {
        let t = Text::parse("Réf. {case_number} **gras** {{x}}").expect("parse");
        assert_eq!(t.placeholders().collect::<Vec<_>>(), vec!["case_number"]);
        assert!(Text::parse("{oops").is_err());
        assert!(Text::parse("**open").is_err());
        assert!(Text::parse("lone }").is_err());
    }

    #[test]
    fn optional_placeholder_needs_its_guard() {
        let source = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n[[blocks]]\np = \"{place}\"\n";
        let err = LetterTemplate::parse(LetterKind::Convocation, source).expect_err("unguarded");
        assert!(err.to_string().contains("optional"), "{err}");
        let guarded = format!("{source}when = \"place\"\n");
        LetterTemplate::parse(LetterKind::Convocation, &guarded).expect("guarded");
    }

    #[test]
    fn list_or_flag_is_not_a_placeholder() {
        let source = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n[[blocks]]\np = \"{to_bring}\"\n";
        assert!(LetterTemplate::parse(LetterKind::Convocation, source).is_err());
    }

    #[test]
    fn wrap_respects_width_and_cuts_long_words() {
        let printer = Printer::new().expect("printer");
        let layout = Layout::new(&printer.fonts);
        let spans =
            [Span { text: "un deux trois quatre cinq six sept huit neuf dix".to_owned(), weight: Weight::Regular }];
        let lines = layout.wrap(&spans, 10.0, 60.0).expect("wrap");
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.width <= 60.5), "{lines:?}");
        let long = [Span {
            text: "https://visio.example.org/salle/0123456789abcdef0123456789".to_owned(),
            weight: Weight::Bold,
        }];
        let lines = layout.wrap(&long, 10.0, 80.0).expect("wrap");
        assert!(lines.len() > 1 && lines.iter().all(|l| l.width <= 80.5), "{lines:?}");
    }

    #[test]
    fn bold_inside_a_word_is_glued() {
        let printer = Printer::new().expect("printer");
        let layout = Layout::new(&printer.fonts);
        let spans = Text::parse("le **14**e jour").expect("parse").render("t", &|_| None).expect("render");
        let lines = layout.wrap(&spans, 10.0, 400.0).expect("wrap");
        let text: String = lines[0].runs.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(text, "le 14e jour");
    }

    #[test]
    fn missing_glyph_is_an_error() {
        let printer = Printer::new().expect("printer");
        let err = printer.fonts.regular.width("漢", 10.0).expect_err("no CJK in DejaVu Sans");
        assert!(matches!(err, PrintError::Font { .. }));
    }

    #[test]
    fn blank_lines_split_paragraphs_and_single_breaks_do_not() {
        let spans = Text::parse("**Motif :** un\nsuite\n \r\n\ndeux\n\n\n")
            .expect("parse")
            .render("t", &|_| None)
            .expect("render");
        let paragraphs = split_paragraphs(spans);
        let flat: Vec<String> = paragraphs.iter().map(|p| flatten(p).trim().to_owned()).collect();
        assert_eq!(flat, vec!["Motif : un\nsuite".to_owned(), "deux".to_owned()]);
        assert_eq!(paragraphs[0][0].weight, Weight::Bold);
        assert!(split_paragraphs(vec![Span { text: " \n\n ".to_owned(), weight: Weight::Regular }]).is_empty());
    }

    #[test]
    fn at_most_one_signature_block() {
        let head = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n";
        let one = format!("{head}[[blocks]]\nsignature = true\n[[blocks]]\np = \"après\"\n");
        LetterTemplate::parse(LetterKind::Decision, &one).expect("one signature block");
        let two = format!("{one}[[blocks]]\nsignature = true\n");
        assert!(LetterTemplate::parse(LetterKind::Decision, &two).is_err());
        let mixed = format!("{head}[[blocks]]\nsignature = true\np = \"x\"\n");
        assert!(LetterTemplate::parse(LetterKind::Decision, &mixed).is_err());
    }

    #[test]
    fn qr_matrix_is_square() {
        let m = qr_matrix("2026-000123-O3").expect("qr");
        assert!(m.len() >= 21 && m.iter().all(|row| row.len() == m.len()));
    }
}
