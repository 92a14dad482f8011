//! Splitting the flat list of lines and gaps into pages.

use super::flow::{Item, Line};
use super::style::{BODY_BOTTOM, BODY_TOP, EPS};

/// A line placed on a page at `top` (distance from the page's top edge).
pub(super) struct Placed<'a> {
    pub top: f32,
    pub line: &'a Line,
}

/// Height needed to place `items[i]` together with everything it must be kept with:
/// a `keep_with_next` line pulls in the following gaps and lines up to and
/// including the first line that is not `keep_with_next`.
fn keep_height(items: &[Item], i: usize) -> f32 {
    let mut need = 0.0;
    for item in &items[i..] {
        match item {
            Item::Gap(g) => need += g,
            Item::Line(line) => {
                need += line.height;
                if !line.keep_with_next {
                    break;
                }
            }
        }
    }
    need
}

pub(super) fn paginate(items: &[Item]) -> Vec<Vec<Placed<'_>>> {
    let mut pages = Vec::new();
    let mut page: Vec<Placed<'_>> = Vec::new();
    let mut y = BODY_TOP;
    let mut pending_gap = 0.0;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Gap(g) => pending_gap += g,
            Item::Line(line) => {
                let gap = if page.is_empty() { 0.0 } else { pending_gap };
                pending_gap = 0.0;
                let mut need = line.height;
                if line.keep_with_next {
                    let chain = keep_height(items, i);
                    // A chain taller than a whole page cannot be kept together.
                    if chain <= BODY_BOTTOM - BODY_TOP {
                        need = chain;
                    }
                }
                if !page.is_empty() && y + gap + need > BODY_BOTTOM + EPS {
                    pages.push(std::mem::take(&mut page));
                    y = BODY_TOP;
                } else {
                    y += gap;
                }
                page.push(Placed { top: y, line });
                y += line.height;
            }
        }
    }
    pages.push(page);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::flow::layout;
    use crate::letters::fonts::fonts;
    use crate::letters::letter::{Block, Letter};
    use crate::letters::style::BODY_SIZE;

    fn is_heading(line: &Line) -> bool {
        line.runs
            .iter()
            .any(|r| r.style.bold && r.style.size > BODY_SIZE)
    }

    /// Lay out letters whose sections are shifted by one paragraph line at a
    /// time, so that headings land at every position near the bottom of a page.
    #[test]
    fn pages_never_overflow_and_headings_are_kept_with_text() {
        let mut moved_headings = 0;
        for shift in 0..40 {
            let mut blocks = vec![Block::Paragraph("Inledning ".repeat(shift * 12))];
            for i in 0..12 {
                blocks.push(Block::Heading(format!("Avsnitt {i}")));
                blocks.push(Block::Subheading("Registrerade uppgifter".into()));
                blocks.push(Block::Paragraph("Text ".repeat(40 + i * 7)));
                blocks.push(Block::Fields(vec![
                    ("Ändamål".into(), "Värde ".repeat(30)),
                    ("Lagringstid".into(), "Gallras ".repeat(5 + i * 3)),
                ]));
            }
            let letter = Letter {
                title: "Registerutdrag".into(),
                blocks,
                ..Letter::default()
            };
            let items = layout(&letter, fonts().unwrap());
            let pages = paginate(&items);
            let placed: usize = pages.iter().map(Vec::len).sum();
            let lines = items.iter().filter(|i| matches!(i, Item::Line(_))).count();
            assert_eq!(placed, lines, "every line is placed exactly once");
            for (n, page) in pages.iter().enumerate() {
                assert!(!page.is_empty());
                for p in page {
                    assert!(p.top >= BODY_TOP - EPS);
                    assert!(p.top + p.line.height <= BODY_BOTTOM + EPS, "overflow");
                }
                let last = page.last().unwrap();
                if n + 1 < pages.len() {
                    assert!(!last.line.keep_with_next, "kept line left at page bottom");
                    assert!(!is_heading(last.line), "heading left at page bottom");
                }
                // A heading at the top of a page that would have fitted on the
                // previous one was moved there to stay with its text.
                if n > 0 && is_heading(page[0].line) {
                    let prev = pages[n - 1].last().unwrap();
                    if prev.top + prev.line.height + page[0].line.height <= BODY_BOTTOM {
                        moved_headings += 1;
                    }
                }
            }
        }
        assert!(moved_headings > 0, "keep-with-next never exercised");
    }
}
