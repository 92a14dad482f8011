//! Shaping with rustybuzz, into the glyphs krilla draws.
//!
//! A line is shaped once and drawn with exactly those glyphs, so the width it
//! is measured with (its shaped advances, kerning included) is the width it is
//! drawn with.

use std::ops::Range;

use krilla::text::{GlyphId, KrillaGlyph};

use super::fonts::FontFace;

/// A line of text as it is drawn.
#[derive(Debug, Clone, Default)]
pub(super) struct Shaped {
    pub text: String,
    pub glyphs: Vec<KrillaGlyph>,
    /// Sum of the glyphs' advances, in points at the size it was shaped for.
    pub width: f32,
}

impl Shaped {
    pub fn new(font: &FontFace, text: String, size: f32) -> Self {
        let glyphs = shape(font, &text);
        let width = advance(&glyphs, size);
        Shaped {
            text,
            glyphs,
            width,
        }
    }
}

pub(super) fn advance(glyphs: &[KrillaGlyph], size: f32) -> f32 {
    glyphs.iter().map(|g| g.x_advance * size).sum()
}

/// Shape `text` (kerning, marks; direction guessed from the text) into
/// glyphs for krilla, mapping each glyph back to its text cluster so the
/// PDF's ToUnicode/ActualText data gives the original text on copy.
pub(super) fn shape(font: &FontFace, text: &str) -> Vec<KrillaGlyph> {
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
    let output = rustybuzz::shape(&font.face, &[], buffer);
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();
    let upem = font.units_per_em;
    (0..infos.len())
        .map(|i| {
            let cluster = infos[i].cluster;
            // The cluster ends where the next cluster in text order starts.
            let next = if rtl {
                infos[..i].iter().rev().find(|g| g.cluster != cluster)
            } else {
                infos[i + 1..].iter().find(|g| g.cluster != cluster)
            };
            let end = next.map_or(text.len(), |g| g.cluster as usize);
            let pos = positions[i];
            KrillaGlyph::new(
                GlyphId::new(infos[i].glyph_id),
                pos.x_advance as f32 / upem,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
                cluster as usize..end,
                None,
            )
        })
        .collect()
}

/// The shaped advances of a text by byte offset, so that the width of any
/// part of it is one subtraction. Used to choose line breaks; the chosen
/// lines are then shaped on their own and checked.
pub(super) struct Advances {
    /// `prefix[i]`: width of the clusters that start before byte `i`.
    prefix: Vec<f32>,
    /// Where a cluster starts (or the text ends): the only places to break.
    pub boundary: Vec<bool>,
}

impl Advances {
    pub fn new(font: &FontFace, text: &str, size: f32) -> Self {
        let mut at = vec![0.0; text.len()];
        let mut boundary = vec![false; text.len() + 1];
        boundary[text.len()] = true;
        for g in shape(font, text) {
            at[g.text_range.start] += g.x_advance * size;
            boundary[g.text_range.start] = true;
        }
        let mut prefix = Vec::with_capacity(text.len() + 1);
        let mut sum = 0.0;
        prefix.push(sum);
        for w in at {
            sum += w;
            prefix.push(sum);
        }
        Advances { prefix, boundary }
    }

    pub fn width(&self, range: Range<usize>) -> f32 {
        self.prefix[range.end] - self.prefix[range.start]
    }

    pub fn next_boundary(&self, after: usize) -> usize {
        (after + 1..self.boundary.len())
            .find(|&i| self.boundary[i])
            .unwrap_or(self.boundary.len() - 1)
    }

    /// The last boundary strictly between `start` and `end`.
    pub fn prev_boundary(&self, start: usize, end: usize) -> Option<usize> {
        (start + 1..end).rev().find(|&i| self.boundary[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::fonts::fonts;
    use crate::letters::style::{BODY_SIZE, EPS};

    fn regular() -> &'static FontFace {
        &fonts().unwrap().regular
    }

    #[test]
    fn advances_of_parts_add_up_to_the_shaped_text() {
        let text = "Växjö AVTAL";
        let advances = Advances::new(regular(), text, BODY_SIZE);
        let whole = Shaped::new(regular(), text.into(), BODY_SIZE).width;
        assert!((advances.width(0..text.len()) - whole).abs() < EPS);
        let split = text.find(' ').unwrap();
        let sum = advances.width(0..split) + advances.width(split..text.len());
        assert!((sum - whole).abs() < EPS);
        assert_eq!(advances.next_boundary(1), 3, "ä is two bytes");
        assert_eq!(advances.prev_boundary(0, 3), Some(1));
    }
}
