//! The printer: letters and custody labels put together from the templates, the fonts and the
//! layout (the issuer's letterhead, body, signature, page furniture, QR code), and their PDF
//! metadata.

use krilla::metadata::{DateTime, Metadata};

use super::fonts::{Fonts, Weight};
use super::layout::{
    flatten, write_pdf, Layout, Op, A4_HEIGHT, A4_WIDTH, FIRST_BODY_TOP, GREY_TEXT, INK, LINE, MARGIN_LEFT,
    MARGIN_RIGHT, MM, RULE, TEXT_WIDTH, WINDOW_LEFT,
};
use super::letters::{Label, Letter, LetterHead, LetterKind};
use super::templates::{lookup_text, BlockContent, Issuer, LetterTemplate, Span, Templates, BUILTIN};
use super::{template_error, PrintError};

const LABEL_WIDTH: f32 = 62.0 * MM;
const LABEL_HEIGHT: f32 = 100.0 * MM;

/// Loads fonts and templates once; `Send + Sync`, cheap to share in an `Arc`.
pub struct Printer {
    pub(super) fonts: Fonts,
    pub(super) templates: Templates,
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
        Ok(Printer { fonts: Fonts::embedded()?, templates })
    }

    /// Replaces one letter's template (`kind` as in [`Letter::kind`]) by `source`, after checking
    /// it: an unknown placeholder, an unguarded optional one or a malformed block is refused.
    pub fn with_template(mut self, kind: &str, source: &str) -> Result<Printer, PrintError> {
        let kind = LetterKind::parse(kind).ok_or_else(|| {
            let kinds: Vec<&str> = LetterKind::ALL.iter().map(|k| k.as_str()).collect();
            template_error(kind, format!("no such letter ({})", kinds.join(", ")))
        })?;
        *self.templates.letter_mut(kind) = LetterTemplate::parse(kind, source)?;
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
            if block.page_break {
                layout.page_break();
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
        let file = match template.issuer {
            Issuer::Office => "dossier",
            Issuer::Agency => "ménage",
        };
        let mut keywords = vec![head.case_number.clone(), letter.kind().to_owned()];
        // The part after the French text is in this language (the document's own language stays French).
        if let Some(code) = letter.translation().map(|t| t.code.trim()).filter(|c| !c.is_empty()) {
            keywords.push(format!("traduction:{code}"));
        }
        let metadata = Metadata::new()
            .title(title.clone())
            .description(format!("{title} — {file} {}", head.case_number))
            .language("fr".to_owned())
            .authors(vec![self.issuer_name(template.issuer)?])
            .creator("Nansen".to_owned())
            .keywords(keywords)
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
        let words = &self.templates.label;
        let none = |_: &str| None;
        let mut ops = Vec::new();
        let margin = 4.0 * MM;
        let width = LABEL_WIDTH - 2.0 * margin;
        let mut y = margin;

        let header = words.header.render(name, &none)?;
        let header = flatten(&header);
        let size = 7.5;
        let w = self.fonts.bold.width(&header, size)?;
        ops.push(Op::text((LABEL_WIDTH - w) / 2.0, y + size, header, Weight::Bold, size, INK));
        y += size * 1.6;

        // The QR code, with its quiet zone of four modules.
        let matrix = qr_matrix(name, "the identifier", &label.identifier)?;
        let side = 40.0 * MM;
        qr_ops(&mut ops, &matrix, (LABEL_WIDTH - side) / 2.0, y, side);
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

        let footer = flatten(&words.footer.render(name, &none)?);
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

    /// The office's name, from its letterhead (the PDF's author).
    pub(super) fn office_name(&self) -> Result<String, PrintError> {
        self.issuer_name(Issuer::Office)
    }

    /// An issuer's name, from its letterhead's `office` lines.
    fn issuer_name(&self, issuer: Issuer) -> Result<String, PrintError> {
        let none = |_: &str| None;
        let parts = self
            .templates
            .letterhead(issuer)
            .office
            .iter()
            .map(|t| t.render_plain(issuer.file(), &none))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(parts.join(" "))
    }

    /// First page: state block, issuer, reference block, addressee, subject.
    fn letterhead(
        &self,
        layout: &mut Layout<'_>,
        head: &LetterHead,
        title: &str,
        template: &LetterTemplate,
    ) -> Result<(), PrintError> {
        let words = self.templates.letterhead(template.issuer);
        let lookup = head_lookup(head, title, template, 1, 1);
        let t = template.issuer.file();
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
        let words = self.templates.letterhead(template.issuer);
        let lookup = head_lookup(head, title, template, index + 1, pages);
        let t = template.issuer.file();
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
        "salutation" => Some(head.addressee.salutation.as_french().to_owned()),
        "issued_on" => Some(head.issued_on.clone()),
        "service" => Some(head.service.clone()),
        "title" => Some(title.to_owned()),
        "document" => Some(template.code.clone()),
        "page" => Some(page.to_string()),
        "pages" => Some(pages.to_string()),
        _ => None,
    }
}

/// The QR code's modules (true = dark), without quiet zone; error correction level M. `template`
/// and `what` name the document and the text in an error.
pub(super) fn qr_matrix(template: &str, what: &str, data: &str) -> Result<Vec<Vec<bool>>, PrintError> {
    let code = qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| template_error(template, format!("cannot encode {what} as a QR code: {e}")))?;
    let width = code.width();
    let colors = code.to_colors();
    Ok(colors.chunks(width.max(1)).map(|row| row.iter().map(|c| *c == qrcode::Color::Dark).collect()).collect())
}

/// Draws a QR code `side` points wide, quiet zone of four modules included, its top left corner
/// at (`x`, `y`): one black rectangle per horizontal stretch of dark modules.
pub(super) fn qr_ops(ops: &mut Vec<Op>, matrix: &[Vec<bool>], x: f32, y: f32, side: f32) {
    let modules = matrix.len() as f32 + 8.0;
    let module = side / modules;
    let left = x + 4.0 * module;
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
}

pub(super) fn pdf_date(at: time::OffsetDateTime) -> DateTime {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_matrix_is_square() {
        let m = qr_matrix("label", "the identifier", "2026-000123-O3").expect("qr");
        assert!(m.len() >= 21 && m.iter().all(|row| row.len() == m.len()));
    }
}
