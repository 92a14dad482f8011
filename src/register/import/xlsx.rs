//! Excel workbooks (.xlsx).
//!
//! Cells are streamed with calamine's cell reader rather than loaded as a
//! dense range: a single stray value at the far corner of a sheet would make a
//! dense range of billions of cells, while the stream only ever holds the
//! cells that exist.

use std::io::Cursor;

use calamine::{DataRef, ExcelDateTime, Reader, Xlsx, XlsxCellReader, XlsxError};

use super::error::ImportError;
use super::header_row::{find_header, HeaderSearch};
use super::headers::normalise_header;
use super::model::{ParsedRegister, SourceFormat};
use super::row::{RawRow, MAX_COLUMNS};
use super::table::build_table;

/// Sheet names (normalised) that mark the register in a workbook that also
/// has instructions, a change log or lookup lists.
const REGISTER_SHEET_WORDS: [&str; 3] = ["register", "behandling", "forteckning"];

/// More filled cells than a register could ever have (5,000 activities of a
/// dozen columns is 60,000). Stops a decompression bomb from filling memory.
const MAX_FILLED_CELLS: usize = 1_000_000;

type Source<'b> = Cursor<&'b [u8]>;

/// The most one part of a workbook may unpack to. calamine reads the shared strings (every
/// text of the workbook) whole before any cell, so this bounds the memory an import can take
/// before the cell limit applies; a real register's parts are a few megabytes.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// The most all parts together may unpack to.
const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// Refuses a workbook whose parts say they unpack to more than a register could hold (a zip
/// bomb), before anything is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), ImportError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        ImportError::Unreadable(format!("it is not a valid Excel workbook (.xlsx): {e}"))
    })?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let part = archive.by_index_raw(index).map_err(|e| {
            ImportError::Unreadable(format!("a part of the workbook is damaged: {e}"))
        })?;
        let size = part.size();
        total = total.saturating_add(size);
        if size > MAX_PART_BYTES || total > MAX_UNPACKED_BYTES {
            return Err(ImportError::Unreadable(format!(
                "the workbook unpacks to more than a register could hold (a part of at most {} MiB, \
                 {} MiB in all): save the register alone in a new workbook",
                MAX_PART_BYTES / (1024 * 1024),
                MAX_UNPACKED_BYTES / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

/// Parses a workbook: the first sheet named like a register, else the first
/// sheet with a header row, in workbook order.
pub(crate) fn parse(bytes: &[u8]) -> Result<ParsedRegister, ImportError> {
    check_unpacked_size(bytes)?;
    let mut workbook: Xlsx<Source<'_>> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let sheets = sheet_order(workbook.sheet_names());
    let mut outcome = Outcome::default();
    for sheet in sheets {
        let reader = match workbook.worksheet_cells_reader(&sheet) {
            Ok(reader) => reader,
            Err(error) => {
                outcome.read_error.get_or_insert(unreadable(error));
                continue;
            }
        };
        let mut rows = SheetRows::new(reader);
        let search = match find_header(&mut rows) {
            Ok(search) => search,
            Err(error) => {
                outcome.read_error.get_or_insert(error);
                continue;
            }
        };
        outcome.had_content |= rows.filled > 0;
        match search {
            HeaderSearch::Found(header) => {
                let table = build_table(&header, rows)?;
                return Ok(ParsedRegister {
                    format: SourceFormat::Xlsx { sheet },
                    header_line: header.line,
                    activities: table.activities,
                    skipped: table.skipped,
                    unknown_columns: table.unknown_columns,
                });
            }
            HeaderSearch::MissingName { line } => {
                outcome.missing_name.get_or_insert(line);
            }
            HeaderSearch::NotFound => {}
        }
    }
    Err(outcome.into_error())
}

/// What the sheets without a header row showed, to explain the refusal.
#[derive(Default)]
struct Outcome {
    /// Line of the first header row found without a name column.
    missing_name: Option<usize>,
    had_content: bool,
    read_error: Option<ImportError>,
}

impl Outcome {
    /// The most telling reason: a header without a name column, then "no
    /// header" if any sheet had data, then a sheet that could not be read,
    /// and only then an empty workbook.
    fn into_error(self) -> ImportError {
        if self.missing_name.is_some() || self.had_content {
            return ImportError::NoHeader {
                row_without_name: self.missing_name,
            };
        }
        self.read_error.unwrap_or(ImportError::Empty)
    }
}

/// Sheets to try: those named like a register first, then the rest, each
/// group in workbook order.
fn sheet_order(names: Vec<String>) -> Vec<String> {
    let (mut preferred, rest): (Vec<String>, Vec<String>) = names.into_iter().partition(|name| {
        let normalised = normalise_header(name);
        REGISTER_SHEET_WORDS
            .iter()
            .any(|word| normalised.contains(word))
    });
    preferred.extend(rest);
    preferred
}

fn unreadable(error: XlsxError) -> ImportError {
    ImportError::Unreadable(format!("it is not a valid Excel workbook (.xlsx): {error}"))
}

/// The rows of one worksheet, built from the stream of its filled cells.
struct SheetRows<'a, 'b> {
    reader: XlsxCellReader<'a, Source<'b>>,
    /// A cell already read that belongs to the next row.
    pending: Option<(u32, u32, String)>,
    /// Filled cells read so far.
    filled: usize,
    /// The cell reader has reported the end of the sheet; it must not be
    /// asked again (it would read past the sheet data and fail).
    cells_done: bool,
    /// No more rows: the cells are done or an error was returned.
    finished: bool,
}

impl<'a, 'b> SheetRows<'a, 'b> {
    fn new(reader: XlsxCellReader<'a, Source<'b>>) -> Self {
        SheetRows {
            reader,
            pending: None,
            filled: 0,
            cells_done: false,
            finished: false,
        }
    }

    /// The next non-empty cell as (row, column, text), both 0-based.
    fn next_filled(&mut self) -> Result<Option<(u32, u32, String)>, ImportError> {
        if let Some(cell) = self.pending.take() {
            return Ok(Some(cell));
        }
        if self.cells_done {
            return Ok(None);
        }
        while let Some(cell) = self.reader.next_cell().map_err(unreadable)? {
            let text = render(cell.get_value());
            if text.is_empty() {
                continue;
            }
            self.filled += 1;
            if self.filled > MAX_FILLED_CELLS {
                return Err(ImportError::Unreadable(format!(
                    "the worksheet has more than {MAX_FILLED_CELLS} filled cells, far more than a register"
                )));
            }
            let (row, column) = cell.get_position();
            return Ok(Some((row, column, text)));
        }
        self.cells_done = true;
        Ok(None)
    }

    fn next_row(&mut self) -> Result<Option<RawRow>, ImportError> {
        let Some((row, column, text)) = self.next_filled()? else {
            return Ok(None);
        };
        let mut cells = Vec::new();
        place(&mut cells, column, text);
        while let Some((next_row, column, text)) = self.next_filled()? {
            if next_row != row {
                self.pending = Some((next_row, column, text));
                break;
            }
            place(&mut cells, column, text);
        }
        Ok(Some(RawRow::new(row as usize + 1, cells)))
    }
}

impl Iterator for SheetRows<'_, '_> {
    type Item = Result<RawRow, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished {
            return None;
        }
        let row = self.next_row().transpose();
        self.finished = !matches!(row, Some(Ok(_)));
        row
    }
}

/// Puts a cell's text at its column, ignoring columns past [`MAX_COLUMNS`].
fn place(cells: &mut Vec<String>, column: u32, text: String) {
    let column = column as usize;
    if column >= MAX_COLUMNS {
        return;
    }
    if cells.len() <= column {
        cells.resize(column + 1, String::new());
    }
    cells[column] = text;
}

/// A cell as the text a person sees in it: numbers without a trailing `.0`,
/// dates as ISO dates, errors as Excel shows them (`#N/A`).
fn render(value: &DataRef<'_>) -> String {
    match value {
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.clone()
        }
        DataRef::SharedString(text) => (*text).to_owned(),
        DataRef::Int(number) => number.to_string(),
        DataRef::Float(number) => number.to_string(),
        DataRef::Bool(true) => "TRUE".to_owned(),
        DataRef::Bool(false) => "FALSE".to_owned(),
        DataRef::DateTime(date) => render_datetime(date),
        DataRef::Error(error) => error.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// A date as `YYYY-MM-DD`, with ` HH:MM` when it has a time of day; a bare
/// time as `HH:MM`; a duration as its number of days.
fn render_datetime(date: &ExcelDateTime) -> String {
    if date.is_duration() {
        return date.as_f64().to_string();
    }
    let (year, month, day, hour, minute, second, _) = date.to_ymd_hms_milli();
    let time = match second {
        0 => format!("{hour:02}:{minute:02}"),
        _ => format!("{hour:02}:{minute:02}:{second:02}"),
    };
    if date.as_f64() < 1.0 {
        time
    } else if (hour, minute, second) == (0, 0, 0) {
        format!("{year:04}-{month:02}-{day:02}")
    } else {
        format!("{year:04}-{month:02}-{day:02} {time}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn register_sheets_come_first() {
        let names = ["Info", "Blad2", "Registerförteckning", "Behandlingar"].map(String::from);
        assert_eq!(
            sheet_order(names.into()),
            ["Registerförteckning", "Behandlingar", "Info", "Blad2"]
        );
    }

    #[test]
    fn dates_render_as_iso() {
        let at = |value| ExcelDateTime::new(value, ExcelDateTimeType::DateTime, false);
        assert_eq!(render_datetime(&at(45322.0)), "2024-01-31");
        assert_eq!(render_datetime(&at(45322.5)), "2024-01-31 12:00");
        assert_eq!(render_datetime(&at(0.25)), "06:00");
    }

    #[test]
    fn numbers_render_without_trailing_zero() {
        assert_eq!(render(&DataRef::Float(7.0)), "7");
        assert_eq!(render(&DataRef::Float(2.5)), "2.5");
        assert_eq!(render(&DataRef::Int(3)), "3");
    }
}
