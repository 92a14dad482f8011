//! Import of a municipality's register of processing activities
//! (GDPR Art. 30, "registerförteckning") from the files it is kept in.
//!
//! Municipalities keep the register as an Excel workbook, as a CSV file saved
//! from Excel (`;`-separated and Windows-1252 on a Swedish Windows machine), or
//! as a tab-separated table copied out of a spreadsheet or a published page.
//! [`parse_register`] accepts all of them, finds the header row by the meaning
//! of its column titles, and returns one [`ParsedActivity`] per activity row,
//! together with the rows it had to skip and why.
//!
//! The module refuses a file outright ([`ImportError`]) rather than returning a
//! partial register whenever the file cannot be a register at all, so that the
//! caller can keep the register it already has untouched.
//!
//! Layout, one job per file:
//! - `detect`: size, emptiness and binary checks, and the choice of reader;
//! - `text`: decoding and delimiter choice for TSV and CSV;
//! - `xlsx`: reading the right worksheet of a workbook;
//! - `headers`: what a column title means;
//! - `header_row`: which row is the header and what each column holds;
//! - `row`: one raw row of the source table;
//! - `table`: turning the rows under the header into activities;
//! - `cells`: cleaning cell text and splitting multi-valued cells;
//! - `model` and `error`: the public result and error types.

mod cells;
mod detect;
mod error;
mod header_row;
mod headers;
mod model;
mod row;
mod table;
mod text;
mod xlsx;

pub use cells::split_categories;
pub use error::ImportError;
pub use headers::{normalise_header, RegisterField};
pub use model::{ParsedActivity, ParsedRegister, SkippedRow, SourceFormat};

/// The largest file accepted. A real register is a few hundred kilobytes at
/// most; the cap keeps a mistaken upload from tying up memory and time.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// Parses an uploaded register file.
///
/// `content_type` and `file_name` are the upload's metadata and only serve as
/// hints: the bytes themselves decide whenever they can (a workbook is
/// recognised by its ZIP signature whatever it is called).
///
/// # Errors
///
/// Returns an [`ImportError`] when the file is empty, too large, binary, an
/// unreadable workbook, or has no recognisable header row. The caller should
/// then keep its existing register unchanged.
pub fn parse_register(
    bytes: &[u8],
    content_type: Option<&str>,
    file_name: Option<&str>,
) -> Result<ParsedRegister, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge {
            limit: MAX_FILE_BYTES,
        });
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    match detect::sniff(bytes, content_type, file_name) {
        detect::FileKind::Xlsx => xlsx::parse(bytes),
        detect::FileKind::LegacyOffice => Err(ImportError::Unreadable(
            "it is an old binary Office document (such as an Excel 97-2003 .xls file); \
             save the register as .xlsx or CSV and upload it again"
                .to_owned(),
        )),
        detect::FileKind::Text => text::parse(bytes),
    }
}
