//! The letter as a flat list of lines and vertical gaps, before pagination.

use super::fonts::Fonts;
use super::layout::wrap;
use super::letter::{Block, Letter};
use super::shape::Shaped;
use super::style::{
    Style, BODY, BODY_BOLD, BODY_SIZE, CONTENT_W, HEADING_SIZE, LINE_FACTOR, SUBHEADING_SIZE,
    TITLE_SIZE,
};

/// Space after a paragraph, list or field block.
const BLOCK_GAP: f32 = BODY_SIZE * LINE_FACTOR * 0.75;
const HEADING_GAP_BEFORE: f32 = 18.0;
const HEADING_GAP_AFTER: f32 = 5.0;
const SUBHEADING_GAP_BEFORE: f32 = 12.0;
const SUBHEADING_GAP_AFTER: f32 = 3.0;
const FIELD_GAP: f32 = 3.0;
const BULLET_GAP: f32 = 2.0;
const BULLET_INDENT: f32 = 16.0;

/// Left column share of the content width in a `Fields` block.
const FIELD_LABEL_SHARE: f32 = 0.35;
const COLUMN_GUTTER: f32 = 10.0;
/// Where the right-hand header column (meta, recipient) starts.
const HEADER_RIGHT_X: f32 = CONTENT_W * 0.55;

#[derive(Debug)]
pub(super) struct Run {
    pub x: f32,
    pub shaped: Shaped,
    pub style: Style,
    /// Reading order: runs are drawn sorted by this key, so that text in
    /// side-by-side columns is extracted (copied, read aloud) label first,
    /// then value, rather than interleaved row by row.
    pub order: u64,
}

#[derive(Debug)]
pub(super) struct Line {
    pub height: f32,
    pub runs: Vec<Run>,
    /// Keep this line on the same page as the next line (headings).
    pub keep_with_next: bool,
}

#[derive(Debug)]
pub(super) enum Item {
    Line(Line),
    /// Vertical space; dropped at the top of a page.
    Gap(f32),
}

/// How the lines of one piece of text may be split across pages.
#[derive(Debug, Clone, Copy)]
enum Keep {
    /// Every line stays with the next line (titles and headings, which so
    /// also pull the first line after them onto their page).
    WithNext,
    /// Texts of up to `n` lines stay whole; longer ones may be split, but
    /// never leaving their first or last line alone on a page.
    Lines(usize),
}

/// Lines of one column, starting at `x`. Each line carries a reading-order
/// key, local to one `Flow::columns` call (lower keys are read first).
struct Column {
    x: f32,
    style: Style,
    lines: Vec<(u32, Shaped)>,
}

impl Column {
    fn new(x: f32, style: Style, key: u32, lines: Vec<Shaped>) -> Self {
        Column {
            x,
            style,
            lines: lines.into_iter().map(|l| (key, l)).collect(),
        }
    }
}

struct Flow<'f> {
    fonts: &'f Fonts,
    items: Vec<Item>,
    /// Reading-order base for the next `columns` call.
    next_order: u64,
}

impl Flow<'_> {
    fn gap(&mut self, g: f32) {
        // Adjacent gaps collapse to the larger one.
        if let Some(Item::Gap(prev)) = self.items.last_mut() {
            *prev = prev.max(g);
        } else {
            self.items.push(Item::Gap(g));
        }
    }

    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<Shaped> {
        wrap(text, self.fonts.get(style.bold), style.size, width)
    }

    /// Wrapped text in one column at `x`.
    fn text(&mut self, text: &str, style: Style, x: f32, width: f32, keep: Keep) {
        let lines = self.wrap(text, style, width);
        self.columns(vec![Column::new(x, style, 0, lines)], keep);
    }

    /// Several columns side by side, combined row by row into lines.
    fn columns(&mut self, columns: Vec<Column>, keep: Keep) {
        let rows = columns.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        let keep_with_next = |row: usize| match keep {
            Keep::WithNext => true,
            Keep::Lines(n) if rows <= n => row + 1 < rows,
            Keep::Lines(_) => row == 0 || row + 2 == rows,
        };
        let base = self.next_order;
        let mut max_key = 0;
        let mut iters: Vec<_> = columns
            .into_iter()
            .map(|c| (c.x, c.style, c.lines.into_iter()))
            .collect();
        for row in 0..rows {
            let mut runs = Vec::new();
            let mut height: f32 = 0.0;
            for (x, style, lines) in &mut iters {
                height = height.max(style.size * LINE_FACTOR);
                if let Some((key, shaped)) = lines.next() {
                    max_key = max_key.max(key);
                    if !shaped.text.is_empty() {
                        runs.push(Run {
                            x: *x,
                            shaped,
                            style: *style,
                            order: base + u64::from(key),
                        });
                    }
                }
            }
            self.items.push(Item::Line(Line {
                height,
                runs,
                keep_with_next: keep_with_next(row),
            }));
        }
        self.next_order = base + u64::from(max_key) + 1;
    }

    /// Sender top-left; meta (label: value) top-right with the recipient's
    /// address below it.
    fn header(&mut self, letter: &Letter) {
        let right_w = CONTENT_W - HEADER_RIGHT_X;
        let left_w = HEADER_RIGHT_X - 2.0 * COLUMN_GUTTER;

        // Sender: the first line (the municipality) in bold.
        let mut sender_first = Vec::new();
        let mut sender_rest = Vec::new();
        for (i, line) in letter.sender.iter().enumerate() {
            if i == 0 {
                sender_first = self.wrap(line, BODY_BOLD, left_w);
            } else {
                sender_rest.extend(self.wrap(line, BODY, left_w));
            }
        }
        let mut sender_rest_col = vec![Shaped::default(); sender_first.len()];
        sender_rest_col.extend(sender_rest);

        // Meta: bold labels in a column as wide as the widest label (capped).
        let label_w = letter
            .meta
            .iter()
            .map(|(l, _)| Shaped::new(&self.fonts.bold, l.clone(), BODY_SIZE).width)
            .fold(0.0, f32::max)
            .min(right_w * 0.45);
        let value_x = HEADER_RIGHT_X + label_w + if label_w > 0.0 { 12.0 } else { 0.0 };
        let value_w = CONTENT_W - value_x;
        let mut labels: Vec<(u32, Shaped)> = Vec::new();
        let mut values: Vec<(u32, Shaped)> = Vec::new();
        let mut key = 2;
        for (label, value) in &letter.meta {
            labels.extend(
                self.wrap(label, BODY_BOLD, label_w)
                    .into_iter()
                    .map(|l| (key, l)),
            );
            values.extend(
                self.wrap(value, BODY, value_w)
                    .into_iter()
                    .map(|v| (key + 1, v)),
            );
            let rows = labels.len().max(values.len());
            labels.resize(rows, (key, Shaped::default()));
            values.resize(rows, (key + 1, Shaped::default()));
            key += 2;
        }

        // Recipient: below the meta rows, after two blank lines.
        let mut recipient = vec![Shaped::default(); labels.len()];
        if !letter.meta.is_empty() && !letter.recipient.is_empty() {
            recipient.extend([Shaped::default(), Shaped::default()]);
        }
        for line in &letter.recipient {
            recipient.extend(self.wrap(line, BODY, right_w));
        }

        self.columns(
            vec![
                Column::new(0.0, BODY_BOLD, 0, sender_first),
                Column::new(0.0, BODY, 1, sender_rest_col),
                Column {
                    x: HEADER_RIGHT_X,
                    style: BODY_BOLD,
                    lines: labels,
                },
                Column {
                    x: value_x,
                    style: BODY,
                    lines: values,
                },
                Column::new(HEADER_RIGHT_X, BODY, key, recipient),
            ],
            Keep::Lines(usize::MAX),
        );
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(text) => {
                self.gap(HEADING_GAP_BEFORE);
                let style = Style {
                    bold: true,
                    size: HEADING_SIZE,
                };
                self.text(text, style, 0.0, CONTENT_W, Keep::WithNext);
                self.gap(HEADING_GAP_AFTER);
            }
            Block::Subheading(text) => {
                self.gap(SUBHEADING_GAP_BEFORE);
                let style = Style {
                    bold: true,
                    size: SUBHEADING_SIZE,
                };
                self.text(text, style, 0.0, CONTENT_W, Keep::WithNext);
                self.gap(SUBHEADING_GAP_AFTER);
            }
            Block::Paragraph(text) => {
                self.text(text, BODY, 0.0, CONTENT_W, Keep::Lines(3));
                self.gap(BLOCK_GAP);
            }
            Block::Fields(fields) => {
                let label_w = CONTENT_W * FIELD_LABEL_SHARE - COLUMN_GUTTER;
                let value_x = CONTENT_W * FIELD_LABEL_SHARE;
                let value_w = CONTENT_W - value_x;
                for (i, (label, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        self.gap(FIELD_GAP);
                    }
                    let labels = self.wrap(label, BODY_BOLD, label_w);
                    let values = self.wrap(value, BODY, value_w);
                    self.columns(
                        vec![
                            Column::new(0.0, BODY_BOLD, 0, labels),
                            Column::new(value_x, BODY, 1, values),
                        ],
                        Keep::Lines(5),
                    );
                }
                self.gap(BLOCK_GAP);
            }
            Block::Bullets(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.gap(BULLET_GAP);
                    }
                    let mut bullet = vec![Shaped::new(&self.fonts.regular, "•".into(), BODY_SIZE)];
                    let text = self.wrap(item, BODY, CONTENT_W - BULLET_INDENT);
                    bullet.resize(text.len(), Shaped::default());
                    self.columns(
                        vec![
                            Column::new(4.0, BODY, 0, bullet),
                            Column::new(BULLET_INDENT, BODY, 1, text),
                        ],
                        Keep::Lines(4),
                    );
                }
                self.gap(BLOCK_GAP);
            }
            Block::Spacer => self.gap(BODY_SIZE * LINE_FACTOR),
        }
    }
}

pub(super) fn layout(letter: &Letter, fonts: &Fonts) -> Vec<Item> {
    let mut flow = Flow {
        fonts,
        items: Vec::new(),
        next_order: 0,
    };
    let has_header =
        !letter.sender.is_empty() || !letter.recipient.is_empty() || !letter.meta.is_empty();
    if has_header {
        flow.header(letter);
        flow.gap(30.0);
    }
    if !letter.title.trim().is_empty() {
        let style = Style {
            bold: true,
            size: TITLE_SIZE,
        };
        flow.text(&letter.title, style, 0.0, CONTENT_W, Keep::WithNext);
        flow.gap(10.0);
    }
    for block in &letter.blocks {
        flow.block(block);
    }
    flow.items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::fonts::fonts;
    use crate::letters::style::EPS;

    #[test]
    fn keep_flags_prevent_orphans_and_widows() {
        let fonts = fonts().unwrap();
        let flags = |block: Block| -> Vec<bool> {
            let letter = Letter {
                blocks: vec![block],
                ..Letter::default()
            };
            layout(&letter, fonts)
                .iter()
                .filter_map(|i| match i {
                    Item::Line(l) => Some(l.keep_with_next),
                    Item::Gap(_) => None,
                })
                .collect()
        };
        let para = |n: usize| Block::Paragraph(vec!["rad"; n].join("\n"));
        assert_eq!(flags(para(1)), [false]);
        assert_eq!(flags(para(3)), [true, true, false]);
        assert_eq!(flags(para(6)), [true, false, false, false, true, false]);
        assert_eq!(flags(Block::Heading("Rubrik".into())), [true]);
        let field = |n: usize| Block::Fields(vec![("Etikett".into(), vec!["v"; n].join("\n"))]);
        assert_eq!(flags(field(5)), [true, true, true, true, false]);
        assert_eq!(
            flags(field(7)),
            [true, false, false, false, false, true, false]
        );
    }

    /// Kerned text in every kind of block, at every length up to several
    /// lines: no drawn run passes the right margin.
    #[test]
    fn no_run_passes_the_right_margin() {
        let fonts = fonts().unwrap();
        let words: Vec<&str> = "AVTAL Växjö Tjänsteyta VAV Wå LT Yö LAGAR SAMLA AA-Jämtland ÄAT"
            .split(' ')
            .cycle()
            .take(70)
            .collect();
        for n in (1..words.len()).step_by(3) {
            let text = words[..n].join(" ");
            let letter = Letter {
                sender: vec![text.clone(), text.clone()],
                recipient: vec![text.clone()],
                meta: vec![("Datum".into(), text.clone())],
                title: text.clone(),
                blocks: vec![
                    Block::Heading(text.clone()),
                    Block::Subheading(text.clone()),
                    Block::Paragraph(text.clone()),
                    Block::Fields(vec![(text.clone(), text.clone())]),
                    Block::Bullets(vec![text.clone()]),
                ],
                footer: text.clone(),
            };
            for item in layout(&letter, fonts) {
                let Item::Line(line) = item else { continue };
                for run in &line.runs {
                    let right = run.x + run.shaped.width;
                    assert!(
                        right <= CONTENT_W + EPS,
                        "{:?} ends at {right}",
                        run.shaped.text
                    );
                }
            }
        }
    }
}
