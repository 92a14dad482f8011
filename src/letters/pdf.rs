//! PDF rendering of structured Swedish letters (registerutdrag, decision letters).
//!
//! The letter is laid out in two passes: first every block is turned into a flat
//! list of lines and vertical gaps (text already wrapped using the font's advance
//! widths), then the list is split into A4 pages. Only then is anything drawn, so
//! that every page can carry "Sida N av M" with the final page count.
//!
//! Text is drawn with DejaVu Sans (embedded, subset, with a ToUnicode map), so it
//! stays selectable and copyable including å, ä, ö. Runs are drawn in reading
//! order (a field's label, then its value) so that copied or extracted text of
//! two-column parts is not interleaved line by line.
//!
//! Limitations: no bidirectional reordering (a right-to-left run inside a
//! left-to-right line is not reordered), no hyphenation, and characters that
//! DejaVu Sans lacks (CJK, emoji) show as the font's missing-glyph box.

use std::sync::OnceLock;

use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::Document;

/// A structured letter to render.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Letter {
    /// Top-left block: municipality, nämnd, address lines.
    pub sender: Vec<String>,
    /// Address block: name, street, postal code + city (the folkbokföringsadress).
    pub recipient: Vec<String>,
    /// Label/value pairs shown top-right, e.g. ("Datum", "2026-03-20").
    pub meta: Vec<(String, String)>,
    /// Letter title, e.g. "Registerutdrag enligt artikel 15 i dataskyddsförordningen".
    pub title: String,
    /// Body content, flowed down the pages.
    pub blocks: Vec<Block>,
    /// Footer text on every page; "Sida N av M" is added on the right.
    pub footer: String,
}

/// One piece of body content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Section heading (bold, 14 pt).
    Heading(String),
    /// Sub-section heading (bold, 12 pt).
    Subheading(String),
    /// Wrapped text; "\n" forces a line break.
    Paragraph(String),
    /// Label/value pairs: bold label in a left column, wrapped value on the right.
    Fields(Vec<(String, String)>),
    /// Bulleted list.
    Bullets(Vec<String>),
    /// Vertical space of one body line.
    Spacer,
}

/// Rendering failure.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("PDF rendering failed: {0}")]
    Render(String),
}

// ---------------------------------------------------------------------------
// Page geometry and typography (PDF points, origin top-left, y downwards).

const PAGE_W: f32 = 595.276; // A4: 210 mm
const PAGE_H: f32 = 841.89; // A4: 297 mm
const MARGIN: f32 = 70.866; // 2.5 cm
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;
const BODY_TOP: f32 = MARGIN;
const BODY_BOTTOM: f32 = PAGE_H - MARGIN;

const LINE_FACTOR: f32 = 1.35;
const BODY_SIZE: f32 = 10.5;
const TITLE_SIZE: f32 = 16.0;
const HEADING_SIZE: f32 = 14.0;
const SUBHEADING_SIZE: f32 = 12.0;
const FOOTER_SIZE: f32 = 8.5;

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

const TEXT_GREY: u8 = 0;
const FOOTER_GREY: u8 = 85;
const RULE_GREY: u8 = 150;

const EPS: f32 = 0.01;

// ---------------------------------------------------------------------------
// Fonts

static REGULAR_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
static BOLD_TTF: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// A font for drawing (krilla) plus what is needed to measure and shape text.
struct FontFace {
    pdf: Font,
    /// Parsed once and used for shaping: krilla's `draw_text` re-parses the
    /// font (including its GSUB/GPOS tables) on every call, which cost about
    /// a third of the render time.
    face: rustybuzz::Face<'static>,
    units_per_em: f32,
    ascender: f32,
    descender: f32,
    /// Advance widths (font units) for U+0000..U+0250, the Latin range.
    latin: Vec<u16>,
    notdef_advance: u16,
}

const LATIN_TABLE: usize = 0x250;

impl FontFace {
    fn load(data: &'static [u8]) -> Result<Self, String> {
        let face =
            rustybuzz::Face::from_slice(data, 0).ok_or("rustybuzz could not load the font")?;
        let pdf = Font::new(data.into(), 0).ok_or("krilla could not load the font")?;
        let notdef_advance = face
            .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(0))
            .unwrap_or(0);
        let latin = (0..LATIN_TABLE as u32)
            .map(|cp| {
                char::from_u32(cp)
                    .and_then(|c| face.glyph_index(c))
                    .and_then(|g| face.glyph_hor_advance(g))
                    .unwrap_or(notdef_advance)
            })
            .collect();
        Ok(FontFace {
            pdf,
            units_per_em: face.units_per_em() as f32,
            ascender: f32::from(face.ascender()),
            descender: f32::from(face.descender()),
            face,
            latin,
            notdef_advance,
        })
    }

    fn advance(&self, c: char) -> u16 {
        let cp = c as usize;
        if cp < LATIN_TABLE {
            self.latin[cp]
        } else {
            self.face
                .glyph_index(c)
                .and_then(|g| self.face.glyph_hor_advance(g))
                .unwrap_or(self.notdef_advance)
        }
    }

    /// Width of `text` in points at `size`, from the glyphs' advance widths.
    fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text.chars().map(|c| u32::from(self.advance(c))).sum();
        units as f32 * size / self.units_per_em
    }

    /// Shape `text` (kerning, marks; direction guessed from the text) into
    /// glyphs for krilla, mapping each glyph back to its text cluster so the
    /// PDF's ToUnicode/ActualText data gives the original text on copy.
    fn shape(&self, text: &str) -> Vec<KrillaGlyph> {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
        let output = rustybuzz::shape(&self.face, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let upem = self.units_per_em;
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

    /// Offset of the baseline from the top of a line box of `height`,
    /// centring the font's ascender..descender range in the box.
    fn baseline_offset(&self, size: f32, height: f32) -> f32 {
        let asc = self.ascender / self.units_per_em * size;
        let desc = -self.descender / self.units_per_em * size;
        (height - asc - desc) / 2.0 + asc
    }
}

struct Fonts {
    regular: FontFace,
    bold: FontFace,
}

impl Fonts {
    fn get(&self, bold: bool) -> &FontFace {
        if bold {
            &self.bold
        } else {
            &self.regular
        }
    }
}

fn fonts() -> Result<&'static Fonts, PdfError> {
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

// ---------------------------------------------------------------------------
// Text wrapping

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

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Wrap `text` greedily on spaces into lines no wider than `width`.
/// "\n" forces a line break; words wider than a line are broken between
/// characters. Always returns at least one (possibly empty) line.
fn wrap(text: &str, font: &FontFace, size: f32, width: f32) -> Vec<String> {
    let width = width.max(size);
    let space = font.width(" ", size);
    let mut lines = Vec::new();
    for segment in text.split('\n') {
        let segment = sanitize(segment);
        let mut current = String::new();
        let mut current_w = 0.0;
        for word in segment.split(' ').filter(|w| !w.is_empty()) {
            let w = font.width(word, size);
            if !current.is_empty() {
                if current_w + space + w <= width + EPS {
                    current.push(' ');
                    current.push_str(word);
                    current_w += space + w;
                    continue;
                }
                lines.push(std::mem::take(&mut current));
            }
            if w <= width + EPS {
                current.push_str(word);
                current_w = w;
            } else {
                let mut chunks = break_word(word, font, size, width);
                let last = chunks.pop().unwrap_or_default();
                lines.extend(chunks);
                current_w = font.width(&last, size);
                current = last;
            }
        }
        lines.push(current);
    }
    lines
}

/// Break a single over-long word into pieces that each fit `width`.
/// Prefers to break after `-`, `/`, `@`, `.` or `_` (e-mail addresses, URLs,
/// file paths), otherwise between any two characters; combining marks stay
/// with their base character and every piece has at least one character.
fn break_word(word: &str, font: &FontFace, size: f32, width: f32) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut piece_w = 0.0;
    // Byte offset in `piece` just after the last preferred break character.
    let mut soft_break: Option<usize> = None;
    for c in word.chars() {
        let cw = font.width(c.encode_utf8(&mut [0; 4]), size);
        if !piece.is_empty() && !is_combining(c) && piece_w + cw > width + EPS {
            match soft_break {
                Some(at) if at < piece.len() => {
                    let rest = piece.split_off(at);
                    pieces.push(std::mem::replace(&mut piece, rest));
                    piece_w = font.width(&piece, size);
                    if piece_w + cw > width + EPS {
                        pieces.push(std::mem::take(&mut piece));
                        piece_w = 0.0;
                    }
                }
                _ => {
                    pieces.push(std::mem::take(&mut piece));
                    piece_w = 0.0;
                }
            }
            soft_break = None;
        }
        piece.push(c);
        piece_w += cw;
        if matches!(c, '-' | '/' | '@' | '.' | '_') && piece_w >= width * 0.4 {
            soft_break = Some(piece.len());
        }
    }
    pieces.push(piece);
    pieces
}

// ---------------------------------------------------------------------------
// Layout: a flat list of lines and gaps

#[derive(Debug, Clone, Copy)]
struct Style {
    bold: bool,
    size: f32,
}

const BODY: Style = Style {
    bold: false,
    size: BODY_SIZE,
};
const BODY_BOLD: Style = Style {
    bold: true,
    size: BODY_SIZE,
};

#[derive(Debug)]
struct Run {
    x: f32,
    text: String,
    style: Style,
    /// Reading order: runs are drawn sorted by this key, so that text in
    /// side-by-side columns is extracted (copied, read aloud) label first,
    /// then value, rather than interleaved row by row.
    order: u64,
}

#[derive(Debug)]
struct Line {
    height: f32,
    runs: Vec<Run>,
    /// Keep this line on the same page as the next line (headings).
    keep_with_next: bool,
}

#[derive(Debug)]
enum Item {
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
    lines: Vec<(u32, String)>,
}

impl Column {
    fn new(x: f32, style: Style, key: u32, lines: Vec<String>) -> Self {
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

    fn wrap(&self, text: &str, style: Style, width: f32) -> Vec<String> {
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
                if let Some((key, text)) = lines.next() {
                    max_key = max_key.max(key);
                    if !text.is_empty() {
                        runs.push(Run {
                            x: *x,
                            text,
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
        let mut sender_rest_col = vec![String::new(); sender_first.len()];
        sender_rest_col.extend(sender_rest);

        // Meta: bold labels in a column as wide as the widest label (capped).
        let label_w = letter
            .meta
            .iter()
            .map(|(l, _)| self.fonts.bold.width(l, BODY_SIZE))
            .fold(0.0, f32::max)
            .min(right_w * 0.45);
        let value_x = HEADER_RIGHT_X + label_w + if label_w > 0.0 { 12.0 } else { 0.0 };
        let value_w = CONTENT_W - value_x;
        let mut labels: Vec<(u32, String)> = Vec::new();
        let mut values: Vec<(u32, String)> = Vec::new();
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
            labels.resize(rows, (key, String::new()));
            values.resize(rows, (key + 1, String::new()));
            key += 2;
        }

        // Recipient: below the meta rows, after two blank lines.
        let mut recipient = vec![String::new(); labels.len()];
        if !letter.meta.is_empty() && !letter.recipient.is_empty() {
            recipient.extend([String::new(), String::new()]);
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
                    let mut bullet = vec!["•".to_string()];
                    let text = self.wrap(item, BODY, CONTENT_W - BULLET_INDENT);
                    bullet.resize(text.len(), String::new());
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

fn layout(letter: &Letter, fonts: &Fonts) -> Vec<Item> {
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

// ---------------------------------------------------------------------------
// Pagination

/// A line placed on a page at `top` (distance from the page's top edge).
struct Placed<'a> {
    top: f32,
    line: &'a Line,
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

fn paginate(items: &[Item]) -> Vec<Vec<Placed<'_>>> {
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

// ---------------------------------------------------------------------------
// Drawing

fn set_grey(surface: &mut Surface<'_>, grey: u8) {
    surface.set_fill(Some(Fill {
        paint: luma::Color::new(grey).into(),
        ..Default::default()
    }));
}

fn draw_run(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    x: f32,
    baseline: f32,
    text: &str,
    style: Style,
) {
    if text.is_empty() {
        return;
    }
    let face = fonts.get(style.bold);
    let glyphs = face.shape(text);
    surface.draw_glyphs(
        Point::from_xy(x, baseline),
        &glyphs,
        face.pdf.clone(),
        text,
        style.size,
        false,
    );
}

fn draw_footer(surface: &mut Surface<'_>, fonts: &Fonts, footer: &str, page: usize, total: usize) {
    let rule_y = BODY_BOTTOM + 14.0;
    if let Some(path) = {
        let mut pb = PathBuilder::new();
        pb.move_to(MARGIN, rule_y);
        pb.line_to(MARGIN + CONTENT_W, rule_y);
        pb.finish()
    } {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: luma::Color::new(RULE_GREY).into(),
            width: 0.5,
            ..Default::default()
        }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }

    set_grey(surface, FOOTER_GREY);
    let style = Style {
        bold: false,
        size: FOOTER_SIZE,
    };
    let line_h = FOOTER_SIZE * LINE_FACTOR;
    let baseline = rule_y + 4.0 + fonts.regular.baseline_offset(FOOTER_SIZE, line_h);

    let number = format!("Sida {page} av {total}");
    let number_w = fonts.regular.width(&number, FOOTER_SIZE);

    // The footer text gets what is left of the line: at most two lines, the
    // second shortened with an ellipsis if the text is longer than that.
    let footer_w = CONTENT_W - number_w - 20.0;
    let mut lines = wrap(footer, &fonts.regular, FOOTER_SIZE, footer_w);
    if lines.len() > 2 {
        lines.truncate(2);
        let second = &mut lines[1];
        while !second.is_empty()
            && fonts.regular.width(second, FOOTER_SIZE) + fonts.regular.width(" …", FOOTER_SIZE)
                > footer_w
        {
            second.pop();
        }
        second.push_str(" …");
    }
    for (i, line) in lines.iter().enumerate() {
        draw_run(
            surface,
            fonts,
            MARGIN,
            baseline + i as f32 * line_h,
            line,
            style,
        );
    }
    draw_run(
        surface,
        fonts,
        MARGIN + CONTENT_W - number_w,
        baseline,
        &number,
        style,
    );
}

/// Render `letter` as an A4 PDF.
pub fn render(letter: &Letter) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let items = layout(letter, fonts);
    let pages = paginate(&items);
    let total = pages.len();

    let mut document = Document::new();
    let mut metadata = Metadata::new()
        .language("sv".to_string())
        .creator("dsar".to_string());
    if !letter.title.trim().is_empty() {
        metadata = metadata.title(letter.title.clone());
    }
    document.set_metadata(metadata);

    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| PdfError::Render("invalid page size".into()))?;
    for (index, placed) in pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        set_grey(&mut surface, TEXT_GREY);
        let mut runs: Vec<(f32, &Line, &Run)> = placed
            .iter()
            .flat_map(|p| p.line.runs.iter().map(move |run| (p.top, p.line, run)))
            .collect();
        runs.sort_by_key(|(_, _, run)| run.order); // stable: rows stay top-down
        for (top, line, run) in runs {
            let face = fonts.get(run.style.bold);
            let baseline = top + face.baseline_offset(run.style.size, line.height);
            draw_run(
                &mut surface,
                fonts,
                MARGIN + run.x,
                baseline,
                &run.text,
                run.style,
            );
        }
        draw_footer(&mut surface, fonts, &letter.footer, index + 1, total);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| PdfError::Render(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> &'static Fonts {
        super::fonts().expect("fonts")
    }

    #[test]
    fn wrap_respects_width_and_keeps_all_text() {
        let font = &fonts().regular;
        let text = "Uppgifterna gallras fem år efter att akten avslutats, enligt kommunens \
                    dokumenthanteringsplan.\nNy rad Ordmedöverlängdsomintefårplatspåenradialls "
            .repeat(3);
        for width in [40.0, 120.0, 300.0] {
            let lines = wrap(&text, font, BODY_SIZE, width);
            for line in &lines {
                assert!(
                    font.width(line, BODY_SIZE) <= width + EPS,
                    "{line:?} too wide"
                );
            }
            let joined: String = lines.concat().split_whitespace().collect();
            let original: String = text.split_whitespace().collect();
            assert_eq!(joined, original);
        }
        assert_eq!(wrap("", font, BODY_SIZE, 100.0), vec![String::new()]);
        assert_eq!(wrap("a\n\nb", font, BODY_SIZE, 100.0), vec!["a", "", "b"]);
    }

    /// Wrapping measures with plain advance widths; the drawn (shaped, kerned)
    /// text must not come out noticeably wider, or it could pass the margin.
    #[test]
    fn measured_width_matches_shaped_width() {
        for face in [&fonts().regular, &fonts().bold] {
            for text in [
                "Registerutdrag enligt artikel 15 i dataskyddsförordningen",
                "Överföring tredje land, Ändamål, Åtgärd: AVTAL Tolvan Vårdnadshavare",
                "Kategorier av registrerade; \"fi fl ffi\" – 151 89 Södertälje (T.Y.P)",
            ] {
                let measured = face.width(text, BODY_SIZE);
                let shaped: f32 = face
                    .shape(text)
                    .iter()
                    .map(|g| g.x_advance * BODY_SIZE)
                    .sum();
                assert!(shaped <= measured + 0.5, "{text}: {shaped} > {measured}");
                assert!(shaped >= measured * 0.97, "{text}: {shaped} << {measured}");
            }
        }
    }

    #[test]
    fn break_word_prefers_punctuation() {
        let font = &fonts().regular;
        let email =
            "tolvan.tolvansson.med.ett.mycket.langt.namn@exempel-epostleverantor.example.se";
        let pieces = break_word(email, font, BODY_SIZE, 200.0);
        assert!(pieces.len() > 1);
        assert_eq!(pieces.concat(), email);
        for piece in &pieces[..pieces.len() - 1] {
            assert!(piece.ends_with(['.', '@', '-']), "{piece:?}");
        }
    }

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
            let items = layout(&letter, fonts());
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

    #[test]
    fn keep_flags_prevent_orphans_and_widows() {
        let fonts = fonts();
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
}
