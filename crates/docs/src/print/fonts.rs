//! Fonts: the embedded faces (DejaVu Sans, `fonts/`), measured with their own metrics (shaped, so
//! kerning counts), and the weights text is set in.

use krilla::text::Font;

use super::PrintError;

const FONT_REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

pub(super) struct Face {
    name: &'static str,
    pub(super) pdf: Font,
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
    pub(super) fn width(&self, text: &str, size: f32) -> Result<f32, PrintError> {
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

pub(super) struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
}

impl Fonts {
    /// The embedded faces (DejaVu Sans, regular and bold).
    pub(super) fn embedded() -> Result<Fonts, PrintError> {
        Ok(Fonts { regular: Face::load("DejaVuSans", FONT_REGULAR)?, bold: Face::load("DejaVuSans-Bold", FONT_BOLD)? })
    }

    pub(super) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_glyph_is_an_error() {
        let fonts = Fonts::embedded().expect("fonts");
        let err = fonts.regular.width("漢", 10.0).expect_err("no CJK in DejaVu Sans");
        assert!(matches!(err, PrintError::Font { .. }));
    }
}
