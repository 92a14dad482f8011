//! Why a file was refused as a whole.

/// A file that cannot be imported at all. On any of these the caller keeps the
/// register it already has: nothing from the file is used.
///
/// `Display` gives an English sentence meant for the person who uploaded the
/// file; [`ImportError::code`] gives a stable code for API clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// No bytes, or nothing but whitespace.
    #[error("the file is empty or contains only whitespace")]
    Empty,
    /// Larger than [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
    #[error("the file is too large: a register file may be at most {limit} bytes ({} MiB)", limit / (1024 * 1024))]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// Neither a text table nor an Excel workbook (an image, a PDF, ...).
    #[error(
        "the file is not a text table or an Excel workbook; it contains binary data \
         (for example an image or a PDF)"
    )]
    Binary,
    /// No row in the first rows of the file carries the register's column
    /// titles, or the one that does lacks the activity-name column.
    #[error("{}", no_header_message(*.row_without_name))]
    NoHeader {
        /// `Some(line)` when a header row was found on that line but it has no
        /// column for the activity's name, which every activity needs.
        row_without_name: Option<usize>,
    },
    /// A file that could not be read although it looked like a workbook
    /// (or a table), with the reason.
    #[error("the file could not be read: {0}")]
    Unreadable(String),
}

impl ImportError {
    /// A stable snake_case code for API responses and logs; unlike the
    /// message, it never changes wording.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Empty => "empty",
            ImportError::TooLarge { .. } => "too_large",
            ImportError::Binary => "binary",
            ImportError::NoHeader { .. } => "no_header",
            ImportError::Unreadable(_) => "unreadable",
        }
    }
}

fn no_header_message(row_without_name: Option<usize>) -> String {
    match row_without_name {
        None => "no header row with the register's columns was found; expected columns \
                 such as Behandlingsaktivitet, Ändamål, Rättslig grund"
            .to_owned(),
        Some(line) => format!(
            "the header row on line {line} has no column for the activity name; \
             add a column titled Behandlingsaktivitet"
        ),
    }
}
