//! The embedded DejaVu Sans fonts, loaded once per process.

use std::sync::OnceLock;

use krilla::text::Font;

use super::letter::PdfError;

static REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
static BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// A font for drawing (krilla) and for shaping (rustybuzz).
pub(super) struct FontFace {
    pub pdf: Font,
    /// Parsed once and used for shaping: krilla's `draw_text` re-parses the
    /// font (including its GSUB/GPOS tables) on every call, which cost about
    /// a third of the render time.
    pub face: rustybuzz::Face<'static>,
    pub units_per_em: f32,
    ascender: f32,
    descender: f32,
}

impl FontFace {
    fn load(data: &'static [u8]) -> Result<Self, String> {
        let face =
            rustybuzz::Face::from_slice(data, 0).ok_or("rustybuzz could not load the font")?;
        let pdf = Font::new(data.into(), 0).ok_or("krilla could not load the font")?;
        Ok(FontFace {
            pdf,
            units_per_em: face.units_per_em() as f32,
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            face,
        })
    }

    /// Offset of the baseline from the top of a line box of `height`,
    /// centring the font's ascender..descender range in the box.
    pub fn baseline_offset(&self, size: f32, height: f32) -> f32 {
        let asc = self.ascender / self.units_per_em * size;
        let desc = -self.descender / self.units_per_em * size;
        (height - asc - desc) / 2.0 + asc
    }
}

pub(super) struct Fonts {
    pub regular: FontFace,
    pub bold: FontFace,
}

impl Fonts {
    pub fn get(&self, bold: bool) -> &FontFace {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

pub(super) fn fonts() -> Result<&'static Fonts, PdfError> {
    static FONTS: OnceLock<Result<Fonts, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Ok(Fonts {
                regular: FontFace::load(REGULAR_TTF)?,
                bold: FontFace::load(BOLD_TTF)?,
            })
        })
        .as_ref()
        .map_err(|e| PdfError::Render(e.clone()))
}
