//! Fonts: the embedded faces (DejaVu Sans, `fonts/`), measured with their own metrics (shaped, so
//! kerning counts), and the weights text is set in. Certified copies also fall back on Noto faces
//! for the scripts DejaVu Sans lacks or sets poorly (`fonts/LICENSE`): letters use DejaVu Sans only.

use krilla::text::Font;
use rustybuzz::{script, Direction, Script};

use super::PrintError;

const FONT_REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const FONT_BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

/// The fallback faces of certified copies, in the order they are tried after DejaVu Sans, each
/// with the script it is drawn for (preferred for that script even where DejaVu Sans has glyphs).
const FALLBACK: [(&str, Script, &[u8]); 9] = [
    ("NotoSansArabic", script::ARABIC, include_bytes!("../../fonts/NotoSansArabic-Regular.ttf")),
    ("NotoSansArmenian", script::ARMENIAN, include_bytes!("../../fonts/NotoSansArmenian-Regular.ttf")),
    ("NotoSansGeorgian", script::GEORGIAN, include_bytes!("../../fonts/NotoSansGeorgian-Regular.ttf")),
    ("NotoSansDevanagari", script::DEVANAGARI, include_bytes!("../../fonts/NotoSansDevanagari-Regular.ttf")),
    ("NotoSansBengali", script::BENGALI, include_bytes!("../../fonts/NotoSansBengali-Regular.ttf")),
    ("NotoSansTamil", script::TAMIL, include_bytes!("../../fonts/NotoSansTamil-Regular.ttf")),
    ("NotoSansEthiopic", script::ETHIOPIC, include_bytes!("../../fonts/NotoSansEthiopic-Regular.ttf")),
    ("NotoSansMyanmar", script::MYANMAR, include_bytes!("../../fonts/NotoSansMyanmar-Regular.ttf")),
    // CFF-based OpenType, subset to GB2312 level 1 (see fonts/LICENSE).
    ("NotoSansSC-Subset", script::HAN, include_bytes!("../../fonts/NotoSansSC-Subset.otf")),
];

/// The Noto faces by file name (`NotoSansBengali-Regular.ttf`, `NotoSansSC-Subset.otf`), for the
/// workbench and the portal to serve to browsers that lack a script's font: names render on
/// screen as they print.
pub fn script_font(file: &str) -> Option<&'static [u8]> {
    FALLBACK
        .iter()
        .find(|(name, _, _)| file == format!("{name}-Regular.ttf") || file == format!("{name}.otf"))
        .map(|(_, _, bytes)| *bytes)
}

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
        let pdf = Font::new(data.into(), 0).ok_or_else(|| err("not a usable OpenType font"))?;
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or_else(|| err("cannot be shaped"))?;
        let units_per_em = shaper.units_per_em().max(1) as f32;
        Ok(Face { name, pdf, shaper, units_per_em })
    }

    /// Width of `text` at `size` points; an error names the first character the font lacks.
    pub(super) fn width(&self, text: &str, size: f32) -> Result<f32, PrintError> {
        self.shaped_width(text, size, None)
    }

    /// Width of `text` shaped in `direction` (as krilla's `draw_text` shapes it with the same
    /// direction), at `size` points.
    pub(super) fn directed_width(&self, text: &str, size: f32, direction: Direction) -> Result<f32, PrintError> {
        self.shaped_width(text, size, Some(direction))
    }

    /// The font's name, as errors give it.
    #[cfg(test)]
    pub(super) fn name(&self) -> &'static str {
        self.name
    }

    /// Whether the font maps `c` to a glyph of its own.
    pub(super) fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }

    fn shaped_width(&self, text: &str, size: f32, direction: Option<Direction>) -> Result<f32, PrintError> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        if let Some(direction) = direction {
            buffer.set_direction(direction);
        }
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

/// A face text may be set in: DejaVu Sans in a weight, or one of the fallback faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FaceId {
    Main(Weight),
    Fallback(usize),
}

/// A fallback face and the script it is drawn for.
pub(super) struct Fallback {
    pub(super) face: Face,
    pub(super) script: Script,
}

pub(super) struct Fonts {
    pub(super) regular: Face,
    pub(super) bold: Face,
    /// Tried in order after DejaVu Sans (certified copies only).
    pub(super) fallback: Vec<Fallback>,
}

impl Fonts {
    /// The embedded faces (DejaVu Sans, regular and bold, and the fallback faces).
    pub(super) fn embedded() -> Result<Fonts, PrintError> {
        let fallback = FALLBACK
            .iter()
            .map(|&(name, script, data)| Ok(Fallback { face: Face::load(name, data)?, script }))
            .collect::<Result<Vec<_>, PrintError>>()?;
        Ok(Fonts {
            regular: Face::load("DejaVuSans", FONT_REGULAR)?,
            bold: Face::load("DejaVuSans-Bold", FONT_BOLD)?,
            fallback,
        })
    }

    pub(super) fn face(&self, weight: Weight) -> &Face {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    /// The face `id` names; DejaVu Sans regular for an index out of range (never made).
    pub(super) fn get(&self, id: FaceId) -> &Face {
        match id {
            FaceId::Main(weight) => self.face(weight),
            FaceId::Fallback(i) => self.fallback.get(i).map_or(&self.regular, |f| &f.face),
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

    #[test]
    fn every_fallback_face_loads_and_covers_its_script() {
        let fonts = Fonts::embedded().expect("fonts");
        let samples = ['ب', 'Ա', 'ა', 'र', 'র', 'ம', 'ተ', 'က', '王'];
        assert_eq!(fonts.fallback.len(), samples.len());
        for (fallback, c) in fonts.fallback.iter().zip(samples) {
            assert!(fallback.face.covers(c), "{} lacks {c}", fallback.face.name());
            let w = fallback.face.width(&c.to_string(), 10.0).expect("shaped");
            assert!(w > 0.0, "{} {c}", fallback.face.name());
        }
        assert!(!fonts.regular.covers('王'));
    }
}
