//! Letters to the person as PDF: the extract (registerutdrag) and decision letters.
//!
//! A letter is laid out in passes: every block is wrapped into lines and
//! vertical gaps (`flow`, `layout`), the list is split into A4 pages
//! (`paginate`), and only then is anything drawn (`draw`), so that every
//! page can carry "Sida N av M" with the final page count. Each line is
//! shaped once (`shape`): it is measured and drawn with the same glyphs.
//!
//! Text is drawn with DejaVu Sans (`fonts`; embedded, subset, with a
//! ToUnicode map), so it stays selectable and copyable including å, ä, ö. Runs
//! are drawn in reading order (a field's label, then its value) so that copied
//! or extracted text of two-column parts is not interleaved line by line.
//!
//! Limitations: no bidirectional reordering (a right-to-left run inside a
//! left-to-right line is not reordered), no hyphenation, and characters that
//! DejaVu Sans lacks (CJK, emoji) show as the font's missing-glyph box.

mod draw;
mod flow;
mod fonts;
mod layout;
mod letter;
mod paginate;
mod shape;
mod style;

/// PDF rendering of structured Swedish letters (registerutdrag, decision letters).
pub mod pdf {
    pub use super::letter::{Block, EmbeddedDocument, Letter, PdfError};

    /// Render `letter` as an A4 PDF.
    pub fn render(letter: &Letter) -> Result<Vec<u8>, PdfError> {
        render_with_documents(letter, &[])
    }

    /// Render `letter` as an A4 PDF with `documents` embedded as attached files (the copies of
    /// documents an extract delivers).
    pub fn render_with_documents(
        letter: &Letter,
        documents: &[EmbeddedDocument],
    ) -> Result<Vec<u8>, PdfError> {
        let fonts = super::fonts::fonts()?;
        let items = super::flow::layout(letter, fonts);
        let pages = super::paginate::paginate(&items);
        super::draw::document(letter, fonts, &pages, documents)
    }
}
