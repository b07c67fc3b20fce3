//! Letter templates: the TOML files parsed into text with placeholders and bold markers, blocks
//! with their `when`/`unless` guards checked against each letter's variables, and the letterheads
//! (the office's, `letterhead.toml`, with the custody labels' words; the reception agency's,
//! `agency_letterhead.toml`), one per issuer a template may declare.

use std::sync::LazyLock;

use serde::Deserialize;

use super::fonts::Weight;
use super::letters::{Letter, LetterKind, Value, VarKind, Vars, COMMON, LETTERHEAD_EXTRA};
use super::{template_error, PrintError};

const LETTERHEAD_SOURCE: &str = include_str!("../../templates/letterhead.toml");
const AGENCY_LETTERHEAD_SOURCE: &str = include_str!("../../templates/agency_letterhead.toml");
const RECEIPT_SOURCE: &str = include_str!("../../templates/receipt.toml");
const MISSING_ITEMS_SOURCE: &str = include_str!("../../templates/missing_items.toml");
const CONVOCATION_SOURCE: &str = include_str!("../../templates/convocation.toml");
const DECISION_SOURCE: &str = include_str!("../../templates/decision.toml");
const ENDING_NOTICE_SOURCE: &str = include_str!("../../templates/ending_notice.toml");
const ENDING_DECISION_SOURCE: &str = include_str!("../../templates/ending_decision.toml");
const FGM_LETTER_SOURCE: &str = include_str!("../../templates/fgm_letter.toml");
const FAMILY_BOOK_SOURCE: &str = include_str!("../../templates/family_book.toml");
const OFFER_REFUSAL_SOURCE: &str = include_str!("../../templates/offer_refusal.toml");
const ORIENTATION_PROPOSAL_SOURCE: &str = include_str!("../../templates/orientation_proposal.toml");
const CONDITIONS_ENDING_NOTICE_SOURCE: &str = include_str!("../../templates/conditions_ending_notice.toml");
const CONDITIONS_ENDING_DECISION_SOURCE: &str = include_str!("../../templates/conditions_ending_decision.toml");
const CONTEST_DECISION_SOURCE: &str = include_str!("../../templates/contest_decision.toml");

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
    /// "office" (the default) or "agency": whose letterhead, footer and name the letter bears.
    issuer: Option<String>,
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
    /// A variable whose text (a list: each item a paragraph) is set in any script, e.g. a
    /// translation.
    translation: Option<String>,
    /// On a `translation` block: a flag that, when true, sets it right to left and right-aligned.
    rtl: Option<String>,
    /// The block starts a new page (a part of its own, e.g. a form after the letter).
    #[serde(default)]
    page_break: bool,
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
    /// Only in the office's letterhead: the office keeps the originals.
    label: Option<LabelWords>,
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
pub(super) struct Text(Vec<Piece>);

impl Text {
    pub(super) fn parse(source: &str) -> Result<Text, String> {
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
    pub(super) fn render(
        &self,
        template: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Vec<Span>, PrintError> {
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

    pub(super) fn render_plain(
        &self,
        template: &str,
        lookup: &dyn Fn(&str) -> Option<String>,
    ) -> Result<String, PrintError> {
        Ok(self.render(template, lookup)?.into_iter().map(|s| s.text).collect())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Span {
    pub(super) text: String,
    pub(super) weight: Weight,
}

#[derive(Debug, Clone)]
pub(super) struct LetterTemplate {
    pub(super) name: String,
    title: Text,
    pub(super) code: String,
    pub(super) issuer: Issuer,
    pub(super) signature: Vec<Text>,
    pub(super) blocks: Vec<Block>,
}

/// Who issues a letter: its letterhead, continuation header, footer and the PDF's author.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Issuer {
    /// The asylum office (`letterhead.toml`).
    Office,
    /// The reception agency (`agency_letterhead.toml`).
    Agency,
}

impl Issuer {
    fn parse(issuer: Option<&str>) -> Result<Issuer, String> {
        match issuer {
            None | Some("office") => Ok(Issuer::Office),
            Some("agency") => Ok(Issuer::Agency),
            Some(other) => Err(format!("meta.issuer {other:?}: \"office\" or \"agency\"")),
        }
    }

    /// The letterhead's file, as errors name it.
    pub(super) fn file(self) -> &'static str {
        match self {
            Issuer::Office => "letterhead.toml",
            Issuer::Agency => "agency_letterhead.toml",
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Block {
    pub(super) content: BlockContent,
    pub(super) framed: bool,
    /// Starts a new page before the block (unless the page holds no body yet).
    pub(super) page_break: bool,
    pub(super) guard: Guard,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Guard {
    when: Option<String>,
    unless: Option<String>,
}

impl Guard {
    pub(super) fn admits(&self, vars: &Vars) -> bool {
        self.when.as_deref().is_none_or(|name| vars.holds(name))
            && self.unless.as_deref().is_none_or(|name| !vars.holds(name))
    }
}

#[derive(Debug, Clone)]
pub(super) enum BlockContent {
    Heading(Text),
    Paragraph(Text),
    List(String),
    Facts(Vec<Fact>),
    /// The signature (`meta.signature`) goes here rather than at the end.
    Signature,
    /// A variable's text in any script, each list item a paragraph ("• " starts a list item), right
    /// to left and right-aligned when the flag `rtl` names holds.
    Translation {
        name: String,
        rtl: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Fact {
    pub(super) label: Text,
    pub(super) value: Text,
    pub(super) guard: Guard,
}

impl LetterTemplate {
    /// Parses and checks a letter template against the variables of its kind.
    pub(super) fn parse(kind: LetterKind, source: &str) -> Result<LetterTemplate, PrintError> {
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
        let issuer = Issuer::parse(file.meta.issuer.as_deref()).map_err(err)?;

        let mut blocks = Vec::new();
        for (index, b) in file.blocks.into_iter().enumerate() {
            let guard = Guard { when: b.when, unless: b.unless };
            check_guard(&guard)?;
            let given = [
                b.heading.is_some(),
                b.p.is_some(),
                b.list.is_some(),
                b.facts.is_some(),
                b.signature,
                b.translation.is_some(),
            ];
            if given.iter().filter(|g| **g).count() != 1 {
                return Err(err(format!(
                    "block {}: give exactly one of heading, p, list, facts, signature, translation",
                    index + 1
                )));
            }
            if b.rtl.is_some() && b.translation.is_none() {
                return Err(err(format!("block {}: only a translation block takes rtl", index + 1)));
            }
            let content = if let Some(name) = b.translation {
                match kind.var_kind(&name) {
                    Some(VarKind::List | VarKind::Text) => {}
                    Some(VarKind::Optional) => {
                        if guard.when.as_deref() != Some(name.as_str()) {
                            return Err(err(format!(
                                "block {}: `{name}` is optional: use it only under when = \"{name}\"",
                                index + 1
                            )));
                        }
                    }
                    Some(VarKind::Flag) | None => {
                        return Err(err(format!("block {}: `{name}` is not a text or list variable", index + 1)));
                    }
                }
                if let Some(flag) = &b.rtl {
                    if kind.var_kind(flag) != Some(VarKind::Flag) {
                        return Err(err(format!("block {}: rtl = `{flag}` is not a flag variable", index + 1)));
                    }
                }
                BlockContent::Translation { name, rtl: b.rtl }
            } else if b.signature {
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
            if b.framed
                && matches!(
                    content,
                    BlockContent::Heading(_)
                        | BlockContent::List(_)
                        | BlockContent::Signature
                        | BlockContent::Translation { .. }
                )
            {
                return Err(err(format!("block {}: only p and facts can be framed", index + 1)));
            }
            if b.page_break && matches!(content, BlockContent::Signature) {
                return Err(err(format!("block {}: a signature block cannot break the page", index + 1)));
            }
            blocks.push(Block { content, framed: b.framed, page_break: b.page_break, guard });
        }
        Ok(LetterTemplate { name, title, code: file.meta.code, issuer, signature, blocks })
    }

    pub(super) fn title(&self, vars: &Vars) -> Result<String, PrintError> {
        self.title.render_plain(&self.name, &|n| lookup_text(vars, n))
    }
}

pub(super) fn lookup_text(vars: &Vars, name: &str) -> Option<String> {
    match vars.0.get(name) {
        Some(Value::Text(t)) => Some(t.clone()),
        _ => None,
    }
}

#[derive(Debug, Clone)]
pub(super) struct Letterhead {
    pub(super) state: Vec<Text>,
    pub(super) motto: Vec<Text>,
    pub(super) office: Vec<Text>,
    pub(super) address: Vec<Text>,
    pub(super) dated: Text,
    pub(super) reference: Text,
    pub(super) followed_by: Text,
    pub(super) subject: Text,
    pub(super) continuation: Text,
    pub(super) footer: Text,
    pub(super) footer_reference: Text,
    pub(super) page: Text,
}

/// The words of a custody label (`[label]` of the office's letterhead).
#[derive(Debug, Clone)]
pub(super) struct LabelTexts {
    pub(super) header: Text,
    pub(super) footer: Text,
}

impl Letterhead {
    /// Parses a letterhead file (`name` in errors), with its label words when it has them.
    fn parse(name: &str, source: &str) -> Result<(Letterhead, Option<LabelTexts>), PrintError> {
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
        let label = match &file.label {
            Some(label) => Some(LabelTexts { header: one(&label.header, false)?, footer: one(&label.footer, false)? }),
            None => None,
        };
        let letterhead = Letterhead {
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
        };
        Ok((letterhead, label))
    }
}

#[derive(Debug, Clone)]
pub(super) struct Templates {
    pub(super) letterhead: Letterhead,
    pub(super) agency_letterhead: Letterhead,
    pub(super) label: LabelTexts,
    pub(super) receipt: LetterTemplate,
    pub(super) missing_items: LetterTemplate,
    pub(super) convocation: LetterTemplate,
    pub(super) decision: LetterTemplate,
    pub(super) ending_notice: LetterTemplate,
    pub(super) ending_decision: LetterTemplate,
    pub(super) fgm_letter: LetterTemplate,
    pub(super) family_book: LetterTemplate,
    pub(super) offer_refusal: LetterTemplate,
    pub(super) orientation_proposal: LetterTemplate,
    pub(super) conditions_ending_notice: LetterTemplate,
    pub(super) conditions_ending_decision: LetterTemplate,
    pub(super) contest_decision: LetterTemplate,
}

impl Templates {
    fn builtin() -> Result<Templates, PrintError> {
        let (letterhead, label) = Letterhead::parse(Issuer::Office.file(), LETTERHEAD_SOURCE)?;
        let label = label.ok_or_else(|| template_error(Issuer::Office.file(), "no [label] words"))?;
        let (agency_letterhead, agency_label) = Letterhead::parse(Issuer::Agency.file(), AGENCY_LETTERHEAD_SOURCE)?;
        if agency_label.is_some() {
            return Err(template_error(Issuer::Agency.file(), "[label]: only the office keeps originals"));
        }
        Ok(Templates {
            letterhead,
            agency_letterhead,
            label,
            receipt: LetterTemplate::parse(LetterKind::Receipt, RECEIPT_SOURCE)?,
            missing_items: LetterTemplate::parse(LetterKind::MissingItems, MISSING_ITEMS_SOURCE)?,
            convocation: LetterTemplate::parse(LetterKind::Convocation, CONVOCATION_SOURCE)?,
            decision: LetterTemplate::parse(LetterKind::Decision, DECISION_SOURCE)?,
            ending_notice: LetterTemplate::parse(LetterKind::EndingNotice, ENDING_NOTICE_SOURCE)?,
            ending_decision: LetterTemplate::parse(LetterKind::EndingDecision, ENDING_DECISION_SOURCE)?,
            fgm_letter: LetterTemplate::parse(LetterKind::FgmLetter, FGM_LETTER_SOURCE)?,
            family_book: LetterTemplate::parse(LetterKind::FamilyBook, FAMILY_BOOK_SOURCE)?,
            offer_refusal: LetterTemplate::parse(LetterKind::OfferRefusal, OFFER_REFUSAL_SOURCE)?,
            orientation_proposal: LetterTemplate::parse(LetterKind::OrientationProposal, ORIENTATION_PROPOSAL_SOURCE)?,
            conditions_ending_notice: LetterTemplate::parse(
                LetterKind::ConditionsEndingNotice,
                CONDITIONS_ENDING_NOTICE_SOURCE,
            )?,
            conditions_ending_decision: LetterTemplate::parse(
                LetterKind::ConditionsEndingDecision,
                CONDITIONS_ENDING_DECISION_SOURCE,
            )?,
            contest_decision: LetterTemplate::parse(LetterKind::ContestDecision, CONTEST_DECISION_SOURCE)?,
        })
    }

    /// The letterhead of an issuer.
    pub(super) fn letterhead(&self, issuer: Issuer) -> &Letterhead {
        match issuer {
            Issuer::Office => &self.letterhead,
            Issuer::Agency => &self.agency_letterhead,
        }
    }

    pub(super) fn letter(&self, kind: LetterKind) -> &LetterTemplate {
        match kind {
            LetterKind::Receipt => &self.receipt,
            LetterKind::MissingItems => &self.missing_items,
            LetterKind::Convocation => &self.convocation,
            LetterKind::Decision => &self.decision,
            LetterKind::EndingNotice => &self.ending_notice,
            LetterKind::EndingDecision => &self.ending_decision,
            LetterKind::FgmLetter => &self.fgm_letter,
            LetterKind::FamilyBook => &self.family_book,
            LetterKind::OfferRefusal => &self.offer_refusal,
            LetterKind::OrientationProposal => &self.orientation_proposal,
            LetterKind::ConditionsEndingNotice => &self.conditions_ending_notice,
            LetterKind::ConditionsEndingDecision => &self.conditions_ending_decision,
            LetterKind::ContestDecision => &self.contest_decision,
        }
    }

    /// The template slot of a kind (to replace it).
    pub(super) fn letter_mut(&mut self, kind: LetterKind) -> &mut LetterTemplate {
        match kind {
            LetterKind::Receipt => &mut self.receipt,
            LetterKind::MissingItems => &mut self.missing_items,
            LetterKind::Convocation => &mut self.convocation,
            LetterKind::Decision => &mut self.decision,
            LetterKind::EndingNotice => &mut self.ending_notice,
            LetterKind::EndingDecision => &mut self.ending_decision,
            LetterKind::FgmLetter => &mut self.fgm_letter,
            LetterKind::FamilyBook => &mut self.family_book,
            LetterKind::OfferRefusal => &mut self.offer_refusal,
            LetterKind::OrientationProposal => &mut self.orientation_proposal,
            LetterKind::ConditionsEndingNotice => &mut self.conditions_ending_notice,
            LetterKind::ConditionsEndingDecision => &mut self.conditions_ending_decision,
            LetterKind::ContestDecision => &mut self.contest_decision,
        }
    }
}

pub(super) static BUILTIN: LazyLock<Result<Templates, PrintError>> = LazyLock::new(Templates::builtin);

// Here rather than in `letters`, which the templates depend on (not the other way round).
impl Letter {
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
    fn page_break_is_a_block_option() {
        let head = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n";
        let source = format!("{head}[[blocks]]\np = \"avant\"\n[[blocks]]\npage_break = true\nheading = \"Annexe\"\n");
        let template = LetterTemplate::parse(LetterKind::FgmLetter, &source).expect("page break on a heading");
        let breaks: Vec<bool> = template.blocks.iter().map(|b| b.page_break).collect();
        assert_eq!(breaks, vec![false, true]);
        // An option, not a block of its own; not on the signature.
        let alone = format!("{head}[[blocks]]\npage_break = true\n");
        assert!(LetterTemplate::parse(LetterKind::FgmLetter, &alone).is_err());
        let signature = format!("{head}[[blocks]]\npage_break = true\nsignature = true\n");
        assert!(LetterTemplate::parse(LetterKind::FgmLetter, &signature).is_err());
        let typo = format!("{head}[[blocks]]\npagebreak = true\np = \"x\"\n");
        assert!(LetterTemplate::parse(LetterKind::FgmLetter, &typo).is_err());
    }

    #[test]
    fn the_issuer_is_the_office_unless_the_template_names_the_agency() {
        let head = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n";
        let office = LetterTemplate::parse(LetterKind::Decision, head).expect("no issuer");
        assert_eq!(office.issuer, Issuer::Office);
        let agency = format!("{head}issuer = \"agency\"\n");
        assert_eq!(LetterTemplate::parse(LetterKind::OfferRefusal, &agency).expect("agency").issuer, Issuer::Agency);
        let unknown = format!("{head}issuer = \"prefecture\"\n");
        let err = LetterTemplate::parse(LetterKind::OfferRefusal, &unknown).expect_err("unknown issuer");
        assert!(err.to_string().contains("prefecture"), "{err}");
        let templates = Templates::builtin().expect("built-in templates");
        for kind in LetterKind::ALL {
            let agency = matches!(
                kind,
                LetterKind::OfferRefusal
                    | LetterKind::OrientationProposal
                    | LetterKind::ConditionsEndingNotice
                    | LetterKind::ConditionsEndingDecision
                    | LetterKind::ContestDecision
            );
            let expected = if agency { Issuer::Agency } else { Issuer::Office };
            assert_eq!(templates.letter(kind).issuer, expected, "{}", kind.as_str());
        }
    }

    #[test]
    fn a_translation_block_names_a_text_or_list_and_a_flag() {
        let head = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n[[blocks]]\n";
        let parse = |block: &str| LetterTemplate::parse(LetterKind::OfferRefusal, &format!("{head}{block}"));
        let ok = parse("translation = \"translation\"\nrtl = \"translation_rtl\"\n").expect("list and flag");
        assert!(matches!(
            &ok.blocks[0].content,
            BlockContent::Translation { name, rtl: Some(flag) } if name == "translation" && flag == "translation_rtl"
        ));
        parse("translation = \"translation_addressee\"\nwhen = \"translation_addressee\"\n").expect("guarded");
        parse("translation = \"language\"\n").expect("a text");
        for bad in [
            "translation = \"translation_addressee\"\n",
            "translation = \"translation_rtl\"\n",
            "translation = \"nope\"\n",
            "translation = \"translation\"\nrtl = \"translation\"\n",
            "p = \"x\"\nrtl = \"translation_rtl\"\n",
            "translation = \"translation\"\nframed = true\n",
            "translation = \"translation\"\np = \"x\"\n",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        // The office's letters have no translation variables.
        let office = LetterTemplate::parse(LetterKind::Receipt, &format!("{head}translation = \"translation\"\n"));
        assert!(office.is_err());
    }

    #[test]
    fn only_the_office_letterhead_has_label_words() {
        let (_, label) = Letterhead::parse("letterhead.toml", LETTERHEAD_SOURCE).expect("office");
        assert!(label.is_some());
        let (_, label) = Letterhead::parse("agency_letterhead.toml", AGENCY_LETTERHEAD_SOURCE).expect("agency");
        assert!(label.is_none());
    }

    #[test]
    fn family_book_marriage_is_a_list() {
        let head = "[meta]\ntitle = \"T\"\ncode = \"X\"\nsignature = []\n";
        let as_text = format!("{head}[[blocks]]\np = \"{{marriage}}\"\n");
        assert!(LetterTemplate::parse(LetterKind::FamilyBook, &as_text).is_err());
        let as_list = format!("{head}[[blocks]]\nlist = \"marriage\"\nwhen = \"marriage\"\n");
        LetterTemplate::parse(LetterKind::FamilyBook, &as_list).expect("a list");
    }
}
