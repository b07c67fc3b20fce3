//! The layout engine: text wrapped and placed on A4 pages as a display list per page (new pages
//! when the body overflows, or where a block asks for one), then drawn and written as PDF/A-2u
//! with krilla. Letters are set in DejaVu Sans, except the items of lists, which may hold names in
//! any script, and translations (the household-language part of the agency's letters): those are
//! set with font fallback and right-to-left runs (`scripts`), a right-to-left translation with a
//! right-to-left base direction and right-aligned lines.

use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::{Document, SerializeSettings};

use super::fonts::{FaceId, Fonts, Weight};
use super::letters::{Value, Vars};
use super::scripts::{Mixed, MixedLine};
use super::templates::{lookup_text, Block, BlockContent, LetterTemplate, Span};
use super::PrintError;

/// Points per millimetre.
pub(super) const MM: f32 = 72.0 / 25.4;
pub(super) const A4_WIDTH: f32 = 210.0 * MM;
pub(super) const A4_HEIGHT: f32 = 297.0 * MM;
pub(super) const MARGIN_LEFT: f32 = 25.0 * MM;
pub(super) const MARGIN_RIGHT: f32 = 20.0 * MM;
pub(super) const TEXT_WIDTH: f32 = A4_WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
/// Where the body starts on the first page (below the addressee and the subject line).
pub(super) const FIRST_BODY_TOP: f32 = 97.0 * MM;
/// Where the body starts on continuation pages.
pub(super) const NEXT_BODY_TOP: f32 = 30.0 * MM;
/// The body never goes below this line; the footer lives under it.
pub(super) const BODY_BOTTOM: f32 = 272.0 * MM;
/// Left edge of the addressee block: the window of a French DL envelope.
pub(super) const WINDOW_LEFT: f32 = 110.0 * MM;

pub(super) const BODY_SIZE: f32 = 10.0;
/// The label column of a facts block.
pub(super) const FACT_LABEL_WIDTH: f32 = 50.0 * MM;
pub(super) const LINE: f32 = 1.42;

pub(super) const INK: u8 = 20;
pub(super) const GREY_TEXT: u8 = 85;
pub(super) const RULE: u8 = 150;
pub(super) const FRAME_FILL: u8 = 244;

/// What a page holds: text in a weight of DejaVu Sans (letters), text in one face and one direction
/// (`Run`: certified copies, with font fallback and right-to-left runs), grey rectangles.
#[derive(Debug, Clone)]
pub(super) enum Op {
    Text { x: f32, y: f32, text: String, weight: Weight, size: f32, grey: u8 },
    Run { x: f32, y: f32, text: String, face: FaceId, size: f32, grey: u8, rtl: bool },
    Rect { x: f32, y: f32, w: f32, h: f32, grey: u8 },
}

impl Op {
    pub(super) fn text(x: f32, y: f32, text: String, weight: Weight, size: f32, grey: u8) -> Op {
        Op::Text { x, y, text, weight, size, grey }
    }
}

/// One laid-out line: runs of one weight each, with their widths.
#[derive(Debug, Clone, Default)]
pub(super) struct Line {
    pub(super) runs: Vec<(String, Weight, f32)>,
    pub(super) width: f32,
}

#[derive(Debug, Clone)]
struct Word {
    text: String,
    weight: Weight,
    width: f32,
    /// Joined to the previous word without a space (a bold part inside a word).
    glued: bool,
}

pub(super) struct Layout<'a> {
    fonts: &'a Fonts,
    pub(super) pages: Vec<Vec<Op>>,
    pub(super) y: f32,
}

impl<'a> Layout<'a> {
    pub(super) fn new(fonts: &'a Fonts) -> Layout<'a> {
        Layout { fonts, pages: vec![Vec::new()], y: FIRST_BODY_TOP }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Starts a new page, unless the current one is a continuation page that holds no body yet.
    pub(super) fn page_break(&mut self) {
        if self.pages.len() > 1 && self.y <= NEXT_BODY_TOP {
            return;
        }
        self.pages.push(Vec::new());
        self.y = NEXT_BODY_TOP;
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
    pub(super) fn wrap(&self, spans: &[Span], size: f32, width: f32) -> Result<Vec<Line>, PrintError> {
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

    pub(super) fn single_line(&self, spans: &[Span], size: f32) -> Result<Line, PrintError> {
        let words: Vec<Word> =
            spans.iter().map(|s| Word { text: s.text.clone(), weight: s.weight, width: 0.0, glued: true }).collect();
        self.line(&words, size)
    }

    pub(super) fn draw_line(&self, ops: &mut Vec<Op>, line: &Line, x: f32, baseline: f32, size: f32, grey: u8) {
        let mut x = x;
        for (text, weight, w) in &line.runs {
            ops.push(Op::text(x, baseline, text.clone(), *weight, size, grey));
            x += w;
        }
    }

    pub(super) fn block(&mut self, template: &LetterTemplate, block: &Block, vars: &Vars) -> Result<(), PrintError> {
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
            BlockContent::Translation { name, rtl } => {
                let paragraphs = match vars.0.get(name.as_str()) {
                    Some(Value::List(items)) => items.clone(),
                    Some(Value::Text(text)) => vec![text.clone()],
                    _ => Vec::new(),
                };
                let rtl = rtl.as_deref().is_some_and(|flag| vars.holds(flag));
                for paragraph in paragraphs.iter().filter(|p| !p.trim().is_empty()) {
                    self.script_paragraph(paragraph, rtl)?;
                }
            }
            BlockContent::List(name) => {
                let items = match vars.0.get(name.as_str()) {
                    Some(Value::List(items)) => items.clone(),
                    _ => Vec::new(),
                };
                let indent = 7.0 * MM;
                for item in &items {
                    // Items may hold names in any script (a family book's spouses and children):
                    // set with font fallback and right-to-left runs, as in certified copies.
                    let lines =
                        Mixed::new(self.fonts, Weight::Regular, item)?.wrap(self.fonts, size, TEXT_WIDTH - indent)?;
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
                        draw_mixed_line(&mut ops, line, MARGIN_LEFT + indent, self.y + size, size, INK);
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
                let label_width = FACT_LABEL_WIDTH;
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

    /// A paragraph in any script (a translation's): wrapped to the text width, from the left margin,
    /// or right to left and against the right margin when `rtl`. One that starts with "• " is a
    /// list item: the bullet at the margin, the text indented.
    fn script_paragraph(&mut self, paragraph: &str, rtl: bool) -> Result<(), PrintError> {
        let size = BODY_SIZE;
        let lh = size * LINE;
        let (item, text) = match paragraph.strip_prefix("• ") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, paragraph.trim()),
        };
        let indent = if item { 7.0 * MM } else { 0.0 };
        let lines =
            Mixed::directed(self.fonts, Weight::Regular, text, rtl)?.wrap(self.fonts, size, TEXT_WIDTH - indent)?;
        // Avoid a lone first line at the bottom of a page.
        if lines.len() > 1 {
            self.ensure(2.0 * lh);
        }
        let right = MARGIN_LEFT + TEXT_WIDTH;
        let bullet_width = self.fonts.regular.width("•", size)?;
        for (i, line) in lines.iter().enumerate() {
            self.ensure(lh);
            let baseline = self.y + size;
            let mut ops = Vec::new();
            if item && i == 0 {
                let x = if rtl { right - 2.5 * MM - bullet_width } else { MARGIN_LEFT + 2.5 * MM };
                ops.push(Op::text(x, baseline, "•".to_owned(), Weight::Regular, size, INK));
            }
            let x = if rtl { right - indent - line.width - line.blank_start() } else { MARGIN_LEFT + indent };
            draw_mixed_line(&mut ops, line, x, baseline, size, INK);
            self.ops().extend(ops);
            self.y += lh;
        }
        self.y += if item { 1.5 } else { 5.0 };
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

    pub(super) fn signature(&mut self, lines: &[Vec<Span>]) -> Result<(), PrintError> {
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

pub(super) fn write_pdf(
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
        Op::Run { x, y, text, face, size, grey, rtl } => {
            surface.set_fill(Some(fill(*grey)));
            let direction = if *rtl { TextDirection::RightToLeft } else { TextDirection::LeftToRight };
            surface.draw_text(Point::from_xy(*x, *y), fonts.get(*face).pdf.clone(), *size, text, false, direction);
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

/// Draws a line of text in any script (`scripts`): its pieces, in visual order, from `x`.
pub(super) fn draw_mixed_line(ops: &mut Vec<Op>, line: &MixedLine, x: f32, baseline: f32, size: f32, grey: u8) {
    let mut x = x;
    for piece in &line.pieces {
        ops.push(Op::Run { x, y: baseline, text: piece.text.clone(), face: piece.face, size, grey, rtl: piece.rtl });
        x += piece.width;
    }
}

pub(super) fn flatten(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::templates::Text;

    #[test]
    fn wrap_respects_width_and_cuts_long_words() {
        let fonts = Fonts::embedded().expect("fonts");
        let layout = Layout::new(&fonts);
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
        let fonts = Fonts::embedded().expect("fonts");
        let layout = Layout::new(&fonts);
        let spans = Text::parse("le **14**e jour").expect("parse").render("t", &|_| None).expect("render");
        let lines = layout.wrap(&spans, 10.0, 400.0).expect("wrap");
        let text: String = lines[0].runs.iter().map(|(t, _, _)| t.as_str()).collect();
        assert_eq!(text, "le 14e jour");
    }

    #[test]
    fn page_break_starts_a_page_but_never_an_empty_one() {
        let fonts = Fonts::embedded().expect("fonts");
        let mut layout = Layout::new(&fonts);
        layout.page_break();
        assert_eq!((layout.pages.len(), layout.y), (2, NEXT_BODY_TOP));
        // The new page holds nothing yet: no second break.
        layout.page_break();
        assert_eq!(layout.pages.len(), 2);
        layout.y += 20.0;
        layout.page_break();
        assert_eq!((layout.pages.len(), layout.y), (3, NEXT_BODY_TOP));
    }

    /// The blanks the doctor fills in on the model certificate (runs of underscores) each fit on
    /// one line: a blank cut in two would read as two blanks.
    #[test]
    fn the_model_certificates_blanks_fit_on_one_line() {
        use crate::print::letters::LetterKind;
        use crate::print::templates::BUILTIN;
        let fonts = Fonts::embedded().expect("fonts");
        let layout = Layout::new(&fonts);
        let template = BUILTIN.as_ref().expect("templates").letter(LetterKind::FgmLetter);
        let any = |_: &str| Some("x".to_owned());
        let mut blanks = 0;
        for block in &template.blocks {
            let texts: Vec<(&Text, Weight, f32)> = match &block.content {
                BlockContent::Paragraph(text) => vec![(text, Weight::Regular, TEXT_WIDTH)],
                BlockContent::Facts(facts) => {
                    facts.iter().map(|f| (&f.value, Weight::Bold, TEXT_WIDTH - FACT_LABEL_WIDTH)).collect()
                }
                _ => Vec::new(),
            };
            for (text, weight, width) in texts {
                let mut spans = text.render("fgm_letter.toml", &any).expect("render");
                if !flatten(&spans).contains("___") {
                    continue;
                }
                for span in &mut spans {
                    span.weight = weight;
                }
                let lines = layout.wrap(&spans, BODY_SIZE, width).expect("wrap");
                assert_eq!(lines.len(), 1, "{:?} takes {} lines", flatten(&spans), lines.len());
                blanks += 1;
            }
        }
        assert!(blanks >= 8, "the certificate has its blanks ({blanks})");
    }

    /// The left and right edges of each line of text runs (by baseline), in order.
    fn run_edges(fonts: &Fonts, ops: &[Op]) -> Vec<(f32, f32)> {
        let mut lines: Vec<(f32, f32, f32)> = Vec::new();
        for op in ops {
            let Op::Run { x, y, text, face, size, rtl, .. } = op else { continue };
            if text.trim().is_empty() {
                continue;
            }
            let direction = if *rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight };
            let right = x + fonts.get(*face).directed_width(text, *size, direction).expect("measured");
            match lines.iter_mut().find(|(baseline, _, _)| (baseline - y).abs() < 0.01) {
                Some((_, left, r)) => {
                    *left = left.min(*x);
                    *r = r.max(right);
                }
                None => lines.push((*y, *x, right)),
            }
        }
        lines.into_iter().map(|(_, left, right)| (left, right)).collect()
    }

    #[test]
    fn a_right_to_left_translation_is_right_aligned_and_its_items_indented() {
        let fonts = Fonts::embedded().expect("fonts");
        let right = MARGIN_LEFT + TEXT_WIDTH;
        let indent = 7.0 * MM;

        let mut layout = Layout::new(&fonts);
        let paragraph = "يمكنكم الاعتراض على هذا الاقتراح كتابيًا لدى المكتب الإقليمي للوكالة أو عبر حسابكم الآمن، \
                         واشرحوا لماذا لا يناسب هذا المكان وضعكم. أرفقوا كل وثيقة مفيدة تثبت ذلك.";
        layout.script_paragraph(paragraph, true).expect("set");
        let lines = run_edges(&fonts, &layout.pages[0]);
        assert!(lines.len() >= 2, "{lines:?}");
        for (left, r) in &lines {
            assert!((r - right).abs() < 0.5, "a line ends at {r}, not at the right margin {right}");
            assert!(*left >= MARGIN_LEFT - 0.5, "{left}");
        }
        // The last line is short: it starts well right of the left margin.
        assert!(lines.last().is_some_and(|(left, _)| *left > MARGIN_LEFT + 20.0), "{lines:?}");

        let mut layout = Layout::new(&fonts);
        layout.script_paragraph("• يستطيع أطفالك الالتحاق بالمدرسة هناك.", true).expect("item");
        let lines = run_edges(&fonts, &layout.pages[0]);
        assert!(lines.iter().all(|(_, r)| (r - (right - indent)).abs() < 0.5), "{lines:?}");
        let bullet = layout.pages[0].iter().find_map(|op| match op {
            Op::Text { x, text, .. } if text == "•" => Some(*x),
            _ => None,
        });
        assert!(bullet.is_some_and(|x| x > right - indent && x < right), "{bullet:?}");

        // Left to right: from the left margin, the item indented.
        let mut layout = Layout::new(&fonts);
        layout.script_paragraph("Ваши дети смогут ходить там в школу.", false).expect("set");
        layout.script_paragraph("• Рядом есть больница.", false).expect("item");
        let lines = run_edges(&fonts, &layout.pages[0]);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!((lines[0].0 - MARGIN_LEFT).abs() < 0.01 && (lines[1].0 - (MARGIN_LEFT + indent)).abs() < 0.01);
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
}
