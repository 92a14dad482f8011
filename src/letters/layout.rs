//! Line breaking: text wrapped into shaped lines that fit a width.

use std::ops::Range;

use super::fonts::FontFace;
use super::shape::{Advances, Shaped};
use super::style::EPS;

/// Replace tabs with spaces and drop other control characters.
fn sanitize(segment: &str) -> String {
    segment
        .chars()
        .filter_map(|c| match c {
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if c == ' ' {
            if i > start {
                words.push(start..i);
            }
            start = i + 1;
        }
    }
    words
}

/// Wrap `text` greedily on spaces into lines no wider than `width`.
/// "\n" forces a line break; words wider than a line are broken between
/// characters. Always returns at least one (possibly empty) line.
///
/// Breaks are chosen with the advances of the whole shaped segment; each
/// line is then shaped on its own, as drawn, and checked (`finish_line`).
pub(super) fn wrap(text: &str, font: &FontFace, size: f32, width: f32) -> Vec<Shaped> {
    let width = width.max(size);
    let mut lines = Vec::new();
    for segment in text.split('\n') {
        let segment = sanitize(segment);
        let advances = Advances::new(font, &segment, size);
        let words = word_ranges(&segment);
        let first_line = lines.len();
        // The line being filled: parts of `segment`, drawn one space apart.
        // Only the first part can be the end of a broken word.
        let mut parts: Vec<Range<usize>> = Vec::new();
        let mut parts_w = 0.0;
        let mut i = 0;
        loop {
            let Some(word) = words.get(i).cloned() else {
                if parts.is_empty() {
                    break;
                }
                i -= finish_line(&mut lines, &mut parts, &segment, font, size, width);
                continue;
            };
            // Counts one space between words, however many the text has.
            let line_w = match parts.last() {
                Some(p) => {
                    parts_w + advances.width(p.end..p.end + 1) + advances.width(word.clone())
                }
                None => advances.width(word.clone()),
            };
            if line_w <= width + EPS {
                parts.push(word);
                parts_w = line_w;
                i += 1;
            } else if !parts.is_empty() {
                i -= finish_line(&mut lines, &mut parts, &segment, font, size, width);
            } else {
                let mut pieces = break_word(&segment[word.clone()], font, size, width);
                let last = pieces.pop().map_or(0, |p| p.text.len());
                lines.extend(pieces);
                parts.push(word.end - last..word.end);
                parts_w = advances.width(word.end - last..word.end);
                i += 1;
            }
        }
        if lines.len() == first_line {
            lines.push(Shaped::default());
        }
    }
    lines
}

/// Shape the line made of `parts` and move it to `lines`. Should the shaped
/// line be wider than its estimate allowed, words are taken off its end
/// (returned: how many, to be placed again) or, for a single word, it is
/// broken.
fn finish_line(
    lines: &mut Vec<Shaped>,
    parts: &mut Vec<Range<usize>>,
    segment: &str,
    font: &FontFace,
    size: f32,
    width: f32,
) -> usize {
    let mut n = parts.len();
    loop {
        let text = parts[..n]
            .iter()
            .map(|p| &segment[p.clone()])
            .collect::<Vec<_>>()
            .join(" ");
        let line = Shaped::new(font, text, size);
        if line.width <= width + EPS {
            lines.push(line);
            break;
        }
        if n == 1 {
            lines.extend(break_word(&line.text, font, size, width));
            break;
        }
        n -= 1;
    }
    let dropped = parts.len() - n;
    parts.clear();
    dropped
}

/// Break a single over-long word into pieces that each fit `width`.
/// Prefers to break after `-`, `/`, `@`, `.` or `_` (e-mail addresses, URLs,
/// file paths), otherwise between any two clusters (so combining marks stay
/// with their base character); every piece has at least one cluster.
fn break_word(word: &str, font: &FontFace, size: f32, width: f32) -> Vec<Shaped> {
    let advances = Advances::new(font, word, size);
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < word.len() {
        let mut end = advances.next_boundary(start);
        while end < word.len() {
            let next = advances.next_boundary(end);
            if advances.width(start..next) > width + EPS {
                break;
            }
            end = next;
        }
        if end < word.len() {
            let soft = (start + 1..=end).rev().find(|&b| {
                advances.boundary[b]
                    && b"-/@._".contains(&word.as_bytes()[b - 1])
                    && advances.width(start..b) >= width * 0.4
            });
            end = soft.unwrap_or(end);
        }
        loop {
            let piece = Shaped::new(font, word[start..end].to_string(), size);
            match advances.prev_boundary(start, end) {
                Some(prev) if piece.width > width + EPS => end = prev,
                _ => {
                    pieces.push(piece);
                    break;
                }
            }
        }
        start = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::fonts::fonts;
    use crate::letters::shape::{advance, shape};
    use crate::letters::style::BODY_SIZE;

    /// Words whose letter pairs DejaVu kerns, tighter (AV, Tj, Wå, Yö) and
    /// wider (LA, SA, AA, -J, ÄA).
    const KERNED: &str = "AVTAL Växjö Tjänsteyta VAV Wå LT Yö LAGAR SAMLA AA-Jämtland ÄAT";

    fn regular() -> &'static FontFace {
        &fonts().unwrap().regular
    }

    /// Width from the glyphs' advance widths without shaping, as lines were
    /// measured before.
    fn unshaped_width(font: &FontFace, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .filter_map(|c| font.face.glyph_index(c))
            .filter_map(|g| font.face.glyph_hor_advance(g))
            .map(f32::from)
            .sum();
        units * size / font.units_per_em
    }

    /// A line is drawn with its own glyphs; they are what shaping its text
    /// gives, and its width is their advances.
    fn assert_drawn_as_measured(line: &Shaped, font: &FontFace, size: f32) {
        let fresh = shape(font, &line.text);
        assert_eq!(line.glyphs.len(), fresh.len(), "{:?}", line.text);
        for (a, b) in line.glyphs.iter().zip(&fresh) {
            assert_eq!(a.glyph_id, b.glyph_id);
            assert_eq!(a.x_advance, b.x_advance);
            assert_eq!(a.text_range, b.text_range);
        }
        assert_eq!(line.width, advance(&fresh, size));
    }

    /// Every line fits `width` and is drawn as it was measured.
    fn assert_fit(lines: &[Shaped], width: f32, font: &FontFace) {
        for line in lines {
            assert!(
                line.width <= width + EPS,
                "{:?} too wide at {width}",
                line.text
            );
            assert_drawn_as_measured(line, font, BODY_SIZE);
        }
    }

    #[test]
    fn wrap_respects_width_and_keeps_all_text() {
        let text = "Uppgifterna gallras fem år efter att akten avslutats, enligt kommunens \
                    dokumenthanteringsplan.\nNy rad Ordmedöverlängdsomintefårplatspåenradialls "
            .repeat(3)
            + KERNED;
        for font in [regular(), &fonts().unwrap().bold] {
            for width in [40.0, 120.0, 300.0] {
                let lines = wrap(&text, font, BODY_SIZE, width);
                assert_fit(&lines, width, font);
                let joined: String = lines
                    .iter()
                    .flat_map(|l| l.text.split_whitespace())
                    .collect();
                let original: String = text.split_whitespace().collect();
                assert_eq!(joined, original);
            }
        }
        let texts = |text: &str| -> Vec<String> {
            let lines = wrap(text, regular(), BODY_SIZE, 100.0);
            lines.into_iter().map(|l| l.text).collect()
        };
        assert_eq!(texts(""), [""]);
        assert_eq!(texts("a\n\nb"), ["a", "", "b"]);
        assert_eq!(texts(" a \t b\u{7}c  "), ["a bc"]);
        let spaced = "Växjö  kommun\t  AVTAL";
        let one_line = Shaped::new(regular(), "Växjö kommun AVTAL".into(), BODY_SIZE);
        let lines = wrap(spaced, regular(), BODY_SIZE, one_line.width);
        assert_eq!(
            lines[0].text, one_line.text,
            "extra spaces are not measured"
        );
    }

    /// Lines packed with kerned words until they are exactly full stay on
    /// one line and are no wider than the width, measured as drawn.
    #[test]
    fn kerned_line_exactly_full_fits() {
        let words: Vec<&str> = KERNED.split(' ').collect();
        let text = [KERNED, KERNED].join(" ");
        for font in [regular(), &fonts().unwrap().bold] {
            for n in 1..words.len() * 2 {
                let full = text.split(' ').take(n).collect::<Vec<_>>().join(" ");
                let width = Shaped::new(font, full.clone(), BODY_SIZE).width;
                if width < BODY_SIZE {
                    continue; // wrap never goes below one em
                }
                let lines = wrap(&text, font, BODY_SIZE, width);
                assert_eq!(lines[0].text, full);
                assert!(lines[0].width <= width, "{full:?}");
                assert_fit(&lines, width, font);
            }
        }
    }

    /// Kerning that widens pairs made lines measured by plain advances wider
    /// than the width they were wrapped to.
    #[test]
    fn widening_kerning_no_longer_overflows() {
        let font = regular();
        let text = "LAGAR SAMLA ÄAT AA-Jämtland LAGAR SAMLA";
        let width = unshaped_width(font, text, BODY_SIZE);
        assert!(Shaped::new(font, text.into(), BODY_SIZE).width > width + 0.5);
        let lines = wrap(text, font, BODY_SIZE, width);
        assert_eq!(lines.len(), 2);
        assert_fit(&lines, width, font);
    }

    #[test]
    fn break_word_prefers_punctuation() {
        let font = regular();
        let email =
            "tolvan.tolvansson.med.ett.mycket.langt.namn@exempel-epostleverantor.example.se";
        let pieces = break_word(email, font, BODY_SIZE, 200.0);
        assert!(pieces.len() > 1);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.concat(), email);
        for piece in &texts[..texts.len() - 1] {
            assert!(piece.ends_with(['.', '@', '-']), "{piece:?}");
        }
        assert_fit(&pieces, 200.0, font);
    }

    #[test]
    fn break_word_pieces_fit_when_shaped_alone() {
        // In "AVAV…" each A is kerned towards the V after it, which a piece
        // ending in A loses.
        let word = "AVAVAVAVAVAVAVAVAVAVAVTALVäxjö";
        for font in [regular(), &fonts().unwrap().bold] {
            for width in (12..80).map(|w| w as f32) {
                let pieces = break_word(word, font, BODY_SIZE, width);
                let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
                assert_eq!(texts.concat(), word);
                assert_fit(&pieces, width, font);
            }
        }
    }

    /// A line the estimate let through but that is too wide when shaped
    /// gives its last words back, or is broken if it is one word.
    #[test]
    fn finish_line_takes_back_words_that_do_not_fit() {
        let font = regular();
        let segment = "AVTAL Växjö Tjänsteyta";
        let parts = word_ranges(segment);
        let two = Shaped::new(font, "AVTAL Växjö".into(), BODY_SIZE).width;
        let finish = |width: f32| {
            let mut lines = Vec::new();
            let dropped = finish_line(
                &mut lines,
                &mut parts.clone(),
                segment,
                font,
                BODY_SIZE,
                width,
            );
            (lines, dropped)
        };
        let (lines, dropped) = finish(two);
        assert_eq!(dropped, 1);
        assert_eq!(lines[0].text, "AVTAL Växjö");

        let (lines, dropped) = finish(20.0);
        assert_eq!(dropped, 2);
        assert!(lines.len() > 1);
        assert_fit(&lines, 20.0, font);
        let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts.concat(), "AVTAL");
    }

    #[test]
    fn break_word_keeps_marks_with_their_base() {
        let word = "a\u{308}o\u{308}".repeat(40);
        let pieces = break_word(&word, regular(), BODY_SIZE, 30.0);
        assert!(pieces.len() > 1);
        for piece in &pieces {
            assert!(!piece.text.starts_with('\u{308}'), "{:?}", piece.text);
        }
        assert_fit(&pieces, 30.0, regular());
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts.concat(), word);
    }
}
