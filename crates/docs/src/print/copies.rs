//! Certified copies of civil-status acts (copie intégrale) as PDF/A-2u, A4: the office's
//! letterhead, the act's title and number, its facts in a two-column table, its mentions, the
//! certification, the signatory, a QR code for verification with its URL, and the seal. Values
//! may be in any script: they are set with font fallback and right-to-left runs (`scripts`).
//! The content flows onto further pages when it does not fit on one (many mentions).

use krilla::metadata::Metadata;

use super::fonts::{Fonts, Weight};
use super::layout::{
    draw_mixed_line as draw_line, flatten, write_pdf, Op, A4_HEIGHT, A4_WIDTH, BODY_BOTTOM, GREY_TEXT, INK,
    MARGIN_LEFT, MARGIN_RIGHT, MM, NEXT_BODY_TOP, RULE, TEXT_WIDTH, WINDOW_LEFT,
};
use super::printer::{pdf_date, qr_matrix, qr_ops, Printer};
use super::scripts::{Mixed, MixedLine};
use super::templates::Text;
use super::{template_error, PrintError};

/// A certified copy of a civil-status act (copie intégrale), as the office prints it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertifiedCopy {
    /// E.g. "Acte de naissance".
    pub title: String,
    /// E.g. "EC-2026-000123".
    pub act_number: String,
    /// (French label, value); values may be in any script, e.g. "محمد احمدی" or "Kaboul / کابل".
    pub fields: Vec<(String, String)>,
    /// Mentions in the margin, in order, each already a full line of text ("Mariage, le 30 avril
    /// 2026 : …"); may be empty ("Néant" is printed).
    pub mentions: Vec<String>,
    /// French date text, e.g. "4 mai 2026".
    pub issued_on: String,
    /// Printed in full under a QR code that encodes exactly this string.
    pub verify_url: String,
    /// A short seal text printed at the bottom (e.g. "Sceau électronique 3f2a…; clé 9c1d…").
    pub seal: String,
    /// E.g. "Pour le directeur général, l'officier de l'état civil".
    pub signatory: String,
}

const NAME: &str = "certified_copy";
/// What the copy says above the table, and the certification (the office's wording).
const KIND: &str = "Copie intégrale";
const MENTIONS: &str = "Mentions";
const NO_MENTION: &str = "Néant";
const CERTIFIED: &str = "Copie intégrale certifiée conforme, délivrée le";
/// The document code in the letterhead's footer reference.
const CODE: &str = "COPIE";

const LABEL_COLUMN: f32 = 55.0 * MM;
const LABEL_SIZE: f32 = 9.0;
const VALUE_SIZE: f32 = 10.0;
const TEXT_SIZE: f32 = 10.0;
const SMALL: f32 = 7.0;
/// Wider than the letters' line spacing: Myanmar, Bengali, Tamil and Devanagari marks reach far
/// above and below the line.
const LEADING: f32 = 1.5;
/// The QR code with its quiet zone.
const QR_SIDE: f32 = 28.0 * MM;

impl Printer {
    /// Renders a certified copy of a civil-status act as PDF/A-2u bytes (A4, fonts embedded and
    /// subset: DejaVu Sans, and the Noto faces the values need). The creation date is
    /// `printed_at`: the same input gives the same bytes. A character no embedded face has is a
    /// [`PrintError::Font`] naming it; an empty act number or verification URL is refused.
    pub fn certified_copy(
        &self,
        copy: &CertifiedCopy,
        printed_at: time::OffsetDateTime,
    ) -> Result<Vec<u8>, PrintError> {
        if copy.act_number.trim().is_empty() {
            return Err(template_error(NAME, "empty act number"));
        }
        if copy.verify_url.trim().is_empty() {
            return Err(template_error(NAME, "empty verification URL"));
        }
        let matrix = qr_matrix(NAME, "the verification URL", &copy.verify_url)?;
        let mut sheet = Sheet { fonts: &self.fonts, pages: vec![Vec::new()], y: 0.0 };
        self.copy_head(&mut sheet, copy)?;
        sheet.table(&copy.fields)?;
        sheet.mentions(&copy.mentions)?;
        sheet.closing(copy, &matrix)?;
        let pages = sheet.pages.len();
        for index in 0..pages {
            self.copy_furniture(&mut sheet, copy, index, pages)?;
        }

        let metadata = Metadata::new()
            .title(format!("{} n° {} — copie intégrale", copy.title, copy.act_number))
            .description(format!(
                "Copie intégrale certifiée conforme de l'acte n° {}, délivrée le {}",
                copy.act_number, copy.issued_on
            ))
            .language("fr".to_owned())
            .authors(vec![self.office_name()?])
            .creator("Nansen".to_owned())
            .keywords(vec![copy.act_number.clone(), "copie intégrale".to_owned()])
            .document_id(format!("{}/{CODE}/{}", copy.act_number, copy.issued_on))
            .creation_date(pdf_date(printed_at));
        write_pdf(A4_WIDTH, A4_HEIGHT, &sheet.pages, &self.fonts, metadata)
    }

    /// The letterhead's words (`letterhead.toml`) with the copy's facts for its placeholders.
    fn copy_words(&self, text: &Text, copy: &CertifiedCopy, page: usize, pages: usize) -> Result<String, PrintError> {
        let lookup = |name: &str| match name {
            "case_number" => Some(copy.act_number.clone()),
            "issued_on" => Some(copy.issued_on.clone()),
            "title" => Some(copy.title.clone()),
            "document" => Some(CODE.to_owned()),
            "page" => Some(page.to_string()),
            "pages" => Some(pages.to_string()),
            "applicant_name" | "salutation" | "service" => Some(String::new()),
            _ => None,
        };
        Ok(flatten(&text.render("letterhead.toml", &lookup)?))
    }

    /// First page: state block, office and address, the copy's reference on the right, then the
    /// title and the act number.
    fn copy_head(&self, sheet: &mut Sheet<'_>, copy: &CertifiedCopy) -> Result<(), PrintError> {
        let words = &self.templates.letterhead;
        let mut y = 15.0 * MM;
        let blocks: [(&[Text], Weight, f32, f32, u8); 4] = [
            (&words.state, Weight::Bold, 11.0, 1.15, 0),
            (&words.motto, Weight::Regular, 7.5, 1.2, INK),
            (&words.office, Weight::Bold, 9.5, 1.25, INK),
            (&words.address, Weight::Regular, 8.0, 1.3, GREY_TEXT),
        ];
        for (i, (lines, weight, size, leading, grey)) in blocks.into_iter().enumerate() {
            y += [0.0, 2.0, 5.0 * MM, 2.0][i];
            for text in lines {
                let line = sheet.one_line(&self.copy_words(text, copy, 1, 1)?, weight, size)?;
                sheet.draw(&line, MARGIN_LEFT, y + size, size, grey);
                y += size * leading;
            }
        }

        // The copy's reference, against the right margin.
        let right = A4_WIDTH - MARGIN_RIGHT;
        let width = right - WINDOW_LEFT;
        let mut ry = 15.0 * MM;
        let reference = [
            (KIND.to_uppercase(), Weight::Bold, 10.0, 0),
            (format!("Acte n° {}", copy.act_number), Weight::Regular, 9.5, INK),
            (format!("Délivrée le {}", copy.issued_on), Weight::Regular, 9.0, GREY_TEXT),
        ];
        for (text, weight, size, grey) in reference {
            for line in sheet.lines(&text, weight, size, width)? {
                sheet.draw(&line, right - line.width, ry + size, size, grey);
                ry += size * 1.45;
            }
        }

        // Title and number, centred.
        let mut ty = y.max(ry) + 8.0 * MM;
        let number = format!("N° {}", copy.act_number);
        for (text, weight, size, grey) in [
            (copy.title.as_str(), Weight::Bold, 16.0, 0),
            (number.as_str(), Weight::Regular, 11.0, INK),
            (KIND, Weight::Regular, 9.0, GREY_TEXT),
        ] {
            for line in sheet.lines(text, weight, size, TEXT_WIDTH)? {
                sheet.draw(&line, MARGIN_LEFT + (TEXT_WIDTH - line.width) / 2.0, ty + size, size, grey);
                ty += size * 1.4;
            }
        }
        sheet.y = ty + 5.0 * MM;
        Ok(())
    }

    /// Header of continuation pages and the footer of every page.
    fn copy_furniture(
        &self,
        sheet: &mut Sheet<'_>,
        copy: &CertifiedCopy,
        index: usize,
        pages: usize,
    ) -> Result<(), PrintError> {
        let words = &self.templates.letterhead;
        let (page, right) = (index + 1, A4_WIDTH - MARGIN_RIGHT);
        let mut ops = Vec::new();
        if index > 0 {
            let size = 8.0;
            let y = 15.0 * MM;
            let reference = sheet.one_line(&format!("Acte n° {}", copy.act_number), Weight::Regular, size)?;
            draw_line(&mut ops, &reference, right - reference.width, y + size, size, GREY_TEXT);
            let office = self.copy_words(&words.continuation, copy, page, pages)?;
            let width = TEXT_WIDTH - reference.width - 5.0 * MM;
            if let Some(line) = sheet.lines(&office, Weight::Regular, size, width)?.first() {
                draw_line(&mut ops, line, MARGIN_LEFT, y + size, size, GREY_TEXT);
            }
            ops.push(Op::Rect { x: MARGIN_LEFT, y: y + size * 1.8, w: TEXT_WIDTH, h: 0.5, grey: RULE });
        }
        let size = 7.5;
        let y = 278.0 * MM;
        ops.push(Op::Rect { x: MARGIN_LEFT, y, w: TEXT_WIDTH, h: 0.5, grey: RULE });
        let number = sheet.one_line(&self.copy_words(&words.page, copy, page, pages)?, Weight::Regular, size)?;
        draw_line(&mut ops, &number, right - number.width, y + 3.0 + size, size, GREY_TEXT);
        let mut fy = y + 3.0;
        let width = TEXT_WIDTH - number.width - 6.0 * MM;
        for text in [&words.footer, &words.footer_reference] {
            for line in sheet.lines(&self.copy_words(text, copy, page, pages)?, Weight::Regular, size, width)? {
                draw_line(&mut ops, &line, MARGIN_LEFT, fy + size, size, GREY_TEXT);
                fy += size * 1.35;
            }
        }
        if let Some(page_ops) = sheet.pages.get_mut(index) {
            page_ops.extend(ops);
        }
        Ok(())
    }
}

/// The copy's pages being laid out, and where the next block goes on the last one.
struct Sheet<'a> {
    fonts: &'a Fonts,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Sheet<'_> {
    fn lines(&self, text: &str, weight: Weight, size: f32, width: f32) -> Result<Vec<MixedLine>, PrintError> {
        Mixed::new(self.fonts, weight, text)?.wrap(self.fonts, size, width)
    }

    fn one_line(&self, text: &str, weight: Weight, size: f32) -> Result<MixedLine, PrintError> {
        Mixed::new(self.fonts, weight, text)?.single_line(self.fonts, size)
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    fn draw(&mut self, line: &MixedLine, x: f32, baseline: f32, size: f32, grey: u8) {
        draw_line(self.ops(), line, x, baseline, size, grey);
    }

    /// Starts a new page unless `height` still fits on this one; true when it did.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > BODY_BOTTOM && self.y > NEXT_BODY_TOP {
            self.pages.push(Vec::new());
            self.y = NEXT_BODY_TOP;
            return true;
        }
        false
    }

    fn rule(&mut self, grey: u8) {
        let y = self.y;
        self.ops().push(Op::Rect { x: MARGIN_LEFT, y, w: TEXT_WIDTH, h: 0.5, grey });
    }

    /// The act's facts: label on the left (grey), value on the right, a rule between rows. A row
    /// is never split between pages.
    fn table(&mut self, fields: &[(String, String)]) -> Result<(), PrintError> {
        let pad = 2.5;
        let value_x = MARGIN_LEFT + LABEL_COLUMN;
        self.rule(RULE);
        for (label, value) in fields {
            let labels = self.lines(label, Weight::Regular, LABEL_SIZE, LABEL_COLUMN - 4.0 * MM)?;
            let values = self.lines(value, Weight::Regular, VALUE_SIZE, TEXT_WIDTH - LABEL_COLUMN)?;
            let (label_lh, value_lh) = (LABEL_SIZE * LEADING, VALUE_SIZE * LEADING);
            let height = (labels.len() as f32 * label_lh).max(values.len() as f32 * value_lh).max(value_lh) + 2.0 * pad;
            if self.ensure(height) {
                self.rule(RULE);
            }
            let top = self.y + pad;
            for (i, line) in labels.iter().enumerate() {
                self.draw(
                    line,
                    MARGIN_LEFT + 1.0 * MM,
                    top + i as f32 * label_lh + VALUE_SIZE * 1.1,
                    LABEL_SIZE,
                    GREY_TEXT,
                );
            }
            for (i, line) in values.iter().enumerate() {
                self.draw(line, value_x, top + i as f32 * value_lh + VALUE_SIZE * 1.1, VALUE_SIZE, 0);
            }
            self.y += height;
            self.rule(RULE);
        }
        Ok(())
    }

    /// The mentions in the margin, in order, or "Néant".
    fn mentions(&mut self, mentions: &[String]) -> Result<(), PrintError> {
        let lh = TEXT_SIZE * LEADING;
        self.y += 6.0 * MM;
        let size = 11.0;
        let heading = self.one_line(MENTIONS, Weight::Bold, size)?;
        // Keep the heading with the first two lines after it.
        self.ensure(size * 1.6 + 2.0 * lh);
        self.draw(&heading, MARGIN_LEFT, self.y + size, size, 0);
        self.y += size * 1.6;
        let none = [NO_MENTION.to_owned()];
        let mentions = if mentions.iter().all(|m| m.trim().is_empty()) { &none[..] } else { mentions };
        for mention in mentions.iter().filter(|m| !m.trim().is_empty()) {
            let lines = self.lines(mention, Weight::Regular, TEXT_SIZE, TEXT_WIDTH)?;
            if lines.len() > 1 {
                self.ensure(2.0 * lh);
            }
            for line in &lines {
                self.ensure(lh);
                self.draw(line, MARGIN_LEFT, self.y + TEXT_SIZE * 1.1, TEXT_SIZE, INK);
                self.y += lh;
            }
            self.y += 3.0;
        }
        Ok(())
    }

    /// The certification, the QR code with the URL under it, the signatory on the right, and
    /// the seal: kept together on one page.
    fn closing(&mut self, copy: &CertifiedCopy, matrix: &[Vec<bool>]) -> Result<(), PrintError> {
        let lh = TEXT_SIZE * LEADING;
        let small_lh = SMALL * 1.4;
        let certified =
            self.lines(&format!("{CERTIFIED} {}.", copy.issued_on), Weight::Regular, TEXT_SIZE, TEXT_WIDTH)?;
        let right = A4_WIDTH - MARGIN_RIGHT;
        let signatory = self.lines(&copy.signatory, Weight::Regular, TEXT_SIZE, right - WINDOW_LEFT)?;
        let right_column = 4.0 * MM + signatory.len() as f32 * lh;
        // The URL under the QR code, across the page unless the signatory reaches down to it.
        let url_width = if right_column < QR_SIDE { TEXT_WIDTH } else { WINDOW_LEFT - MARGIN_LEFT - 6.0 * MM };
        let url = self.lines(&copy.verify_url, Weight::Regular, SMALL, url_width)?;
        let seal = self.lines(&copy.seal, Weight::Regular, SMALL, TEXT_WIDTH)?;

        let left_column = QR_SIDE + 2.0 + url.len() as f32 * small_lh;
        let height = 5.0 * MM
            + certified.len() as f32 * lh
            + 4.0 * MM
            + left_column.max(right_column)
            + 4.0 * MM
            + seal.len() as f32 * small_lh;
        self.ensure(height);
        self.y += 5.0 * MM;
        for line in &certified {
            self.draw(line, MARGIN_LEFT, self.y + TEXT_SIZE * 1.1, TEXT_SIZE, 0);
            self.y += lh;
        }
        self.y += 4.0 * MM;
        let top = self.y;

        // The QR code, its dark modules against the left margin (the quiet zone in the margin),
        // and the URL under it.
        let mut ops = Vec::new();
        let quiet = 4.0 * QR_SIDE / (matrix.len() as f32 + 8.0);
        qr_ops(&mut ops, matrix, MARGIN_LEFT - quiet, top, QR_SIDE);
        self.ops().extend(ops);
        let mut y = top + QR_SIDE + 2.0;
        for line in &url {
            self.draw(line, MARGIN_LEFT, y + SMALL, SMALL, INK);
            y += small_lh;
        }

        // The signatory.
        let mut sy = top + 4.0 * MM;
        for line in &signatory {
            self.draw(line, WINDOW_LEFT, sy + TEXT_SIZE, TEXT_SIZE, 0);
            sy += lh;
        }

        self.y = y.max(sy) + 4.0 * MM;
        for line in &seal {
            self.draw(line, MARGIN_LEFT, self.y + SMALL, SMALL, GREY_TEXT);
            self.y += small_lh;
        }
        Ok(())
    }
}
