//! What an import produces: the activities, the rows left out, and where the
//! data came from.

use serde::Serialize;

/// One processing activity as read from one row of the register.
///
/// Every text is cleaned (trimmed, runs of spaces collapsed, line breaks kept
/// as `\n`) but otherwise as written: the importer does not interpret legal
/// bases or retention periods, it only carries them over.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ParsedActivity {
    /// Where the row is, for messages to the person who uploaded the file:
    /// the 1-based line where the record starts (TSV/CSV) or the 1-based row
    /// number (XLSX).
    pub line: usize,
    /// The activity's name. A row with an empty name cell that continues the
    /// activity above it gets that activity's name.
    pub name: String,
    pub purpose: String,
    /// Categories of data subjects, split into single values.
    pub subject_categories: Vec<String>,
    /// Categories of personal data, split into single values.
    pub data_categories: Vec<String>,
    pub legal_basis: String,
    pub retention: String,
    pub recipients: String,
    pub source: String,
    pub third_country_transfer: String,
    /// The IT system, when the register has such a column and the cell is
    /// filled in.
    pub system: Option<String>,
    /// Automated decision-making in the activity (Art. 15(1)(h)), when the register has the
    /// column and the cell is filled in.
    pub automated_decision_making: Option<String>,
    /// The safeguards of a transfer to a third country (Art. 15(2)), likewise.
    pub transfer_safeguards: Option<String>,
    /// Cells of columns the importer does not know, as `(header as written,
    /// value)` in column order, so that nothing the municipality wrote is
    /// lost. A column without a header shows as `column N` (1-based) and only
    /// where it holds a value.
    pub extra: Vec<(String, String)>,
}

/// A row under the header that did not become an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedRow {
    /// Same numbering as [`ParsedActivity::line`].
    pub line: usize,
    /// Why, in English, for the person who uploaded the file.
    pub reason: String,
}

/// The kind of file the register was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceFormat {
    /// Tab-separated text.
    Tsv,
    /// Delimited text other than tab-separated.
    Csv {
        /// `;` or `,`.
        delimiter: char,
        /// The encoding it was decoded from, by its WHATWG name (`UTF-8`,
        /// `windows-1252`, `UTF-16LE`, ...).
        encoding: &'static str,
    },
    /// An Excel workbook, read from the named worksheet.
    Xlsx { sheet: String },
}

/// The result of a successful import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedRegister {
    pub format: SourceFormat,
    /// The line (TSV/CSV) or row (XLSX) of the header row.
    pub header_line: usize,
    /// In file order.
    pub activities: Vec<ParsedActivity>,
    /// In file order. Blank rows are not listed: they carry nothing to report.
    pub skipped: Vec<SkippedRow>,
    /// Headers the importer did not recognise, as written, in column order;
    /// their values are kept in [`ParsedActivity::extra`].
    pub unknown_columns: Vec<String>,
}
