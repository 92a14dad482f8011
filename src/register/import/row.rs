//! One row of the source table as read, before any cleaning.

/// Cells past this column are ignored. Registers have a dozen columns; the cap
/// keeps a stray value far to the right (or a crafted file) from making every
/// row enormous.
pub(crate) const MAX_COLUMNS: usize = 256;

/// One row of the source table, the same for text and workbooks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRow {
    /// Line (text) or row number (workbook), 1-based.
    pub line: usize,
    /// The cells, left to right, without trailing empty cells.
    pub cells: Vec<String>,
}

impl RawRow {
    /// A row from its cells, capped at [`MAX_COLUMNS`] and without trailing
    /// empty cells (which carry nothing and cost memory in wide exports).
    pub fn new(line: usize, cells: impl IntoIterator<Item = String>) -> RawRow {
        let mut cells: Vec<String> = cells.into_iter().take(MAX_COLUMNS).collect();
        while cells.last().is_some_and(|c| c.is_empty()) {
            cells.pop();
        }
        RawRow { line, cells }
    }

    /// Whether every cell is empty or whitespace.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }
}
