//! Finding the header row and what each of its columns holds.
//!
//! Registers open with a title, a date or a note before the table, so the
//! header is the first row that names enough known fields, not simply the
//! first row.

use super::cells::clean_cell;
use super::error::ImportError;
use super::headers::{normalise_header, RegisterField};
use super::row::RawRow;

/// How many non-blank rows may come before the header (titles, notes). A
/// header further down means the file is not a register table.
pub(crate) const HEADER_SEARCH_ROWS: usize = 50;

/// How many distinct fields a row must name to be taken as the header row:
/// one or two matches happen by chance in a title or a note.
pub(crate) const MIN_RECOGNISED: usize = 3;

/// Cells longer than this are text, never a column title; skipping them keeps
/// a long purpose paragraph in a title block from counting as a header.
const MAX_HEADER_CHARS: usize = 120;

/// What one column of the table holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Column {
    /// A known field.
    Field(RegisterField),
    /// An unknown title, or a second column for a field already taken, as
    /// written (cleaned).
    Extra(String),
    /// No title.
    Unnamed,
}

/// The header row and what each column holds.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub line: usize,
    /// Number of distinct known fields; decides between delimiters.
    pub recognised: usize,
    pub columns: Vec<Column>,
    pub name_column: usize,
    /// Each header cell as [`normalise_header`] folds it.
    pub folded: Vec<String>,
}

impl Header {
    /// Whether a row repeats the header (a table pasted twice, or a page
    /// header repeated by a print export): its name cell and at least
    /// [`MIN_RECOGNISED`] cells under known fields read as the header's own
    /// titles, once folded.
    pub fn is_repeated_by(&self, cells: &[String]) -> bool {
        let same_title = |index: usize| {
            let (Some(cell), Some(title)) = (cells.get(index), self.folded.get(index)) else {
                return false;
            };
            // A cell far longer than the title is text; don't fold it.
            cell.len() <= title.len() * 4 && normalise_header(cell) == *title
        };
        same_title(self.name_column)
            && self
                .columns
                .iter()
                .enumerate()
                .filter(|(index, column)| matches!(column, Column::Field(_)) && same_title(*index))
                .count()
                >= MIN_RECOGNISED
    }

    /// Headers the importer did not recognise, as written, in column order.
    pub fn unknown_columns(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter_map(|c| match c {
                Column::Extra(title) => Some(title.clone()),
                _ => None,
            })
            .collect()
    }
}

/// The outcome of looking for the header row.
#[derive(Debug)]
pub(crate) enum HeaderSearch {
    Found(Header),
    /// A row names enough fields to be the header but not the activity name.
    MissingName {
        line: usize,
    },
    NotFound,
}

impl HeaderSearch {
    pub fn into_header(self) -> Result<Header, ImportError> {
        match self {
            HeaderSearch::Found(header) => Ok(header),
            HeaderSearch::MissingName { line } => Err(ImportError::NoHeader {
                row_without_name: Some(line),
            }),
            HeaderSearch::NotFound => Err(ImportError::NoHeader {
                row_without_name: None,
            }),
        }
    }
}

/// Reads rows up to and including the header row: the first of the first
/// [`HEADER_SEARCH_ROWS`] non-blank rows that names at least
/// [`MIN_RECOGNISED`] distinct fields. Rows before it are titles and notes and
/// are dropped. The rows after it stay in `rows` for the caller.
pub(crate) fn find_header<I>(rows: &mut I) -> Result<HeaderSearch, ImportError>
where
    I: Iterator<Item = Result<RawRow, ImportError>>,
{
    let mut seen = 0;
    for row in rows {
        let row = row?;
        if row.is_blank() {
            continue;
        }
        seen += 1;
        if seen > HEADER_SEARCH_ROWS {
            break;
        }
        let fields: Vec<Option<RegisterField>> = row.cells.iter().map(|c| recognise(c)).collect();
        let recognised = count_distinct(&fields);
        if recognised < MIN_RECOGNISED {
            continue;
        }
        return Ok(
            match fields.iter().position(|f| *f == Some(RegisterField::Name)) {
                Some(name_column) => HeaderSearch::Found(Header {
                    line: row.line,
                    recognised,
                    columns: layout(&row.cells, &fields),
                    name_column,
                    folded: row.cells.iter().map(|c| normalise_header(c)).collect(),
                }),
                None => HeaderSearch::MissingName { line: row.line },
            },
        );
    }
    Ok(HeaderSearch::NotFound)
}

/// The field a header cell names, ignoring cells too long to be a title.
fn recognise(cell: &str) -> Option<RegisterField> {
    if cell.chars().count() > MAX_HEADER_CHARS {
        return None;
    }
    RegisterField::from_header(cell)
}

fn count_distinct(fields: &[Option<RegisterField>]) -> usize {
    RegisterField::ALL
        .iter()
        .filter(|f| fields.contains(&Some(**f)))
        .count()
}

/// What each column holds. The first column for a field wins; a second one
/// for the same field is kept as an extra column rather than overwriting it.
fn layout(cells: &[String], fields: &[Option<RegisterField>]) -> Vec<Column> {
    let mut taken = Vec::new();
    cells
        .iter()
        .zip(fields)
        .map(|(cell, field)| match field {
            Some(f) if !taken.contains(f) => {
                taken.push(*f);
                Column::Field(*f)
            }
            _ => {
                let title = clean_cell(cell);
                if title.is_empty() {
                    Column::Unnamed
                } else {
                    Column::Extra(title)
                }
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_header_rows_are_recognised() {
        let row = |cells: &[&str]| RawRow {
            line: 1,
            cells: cells.iter().map(|c| c.to_string()).collect(),
        };
        let mut rows = vec![Ok(row(&[
            "Behandling",
            "Syfte",
            "Rättslig grund",
            "Anteckning",
        ]))]
        .into_iter();
        let header = find_header(&mut rows).unwrap().into_header().unwrap();
        assert_eq!(header.unknown_columns(), ["Anteckning"]);
        let again: Vec<String> = ["BEHANDLING", "syfte", "rattslig grund"]
            .map(String::from)
            .into();
        assert!(header.is_repeated_by(&again));
        let data: Vec<String> = ["Behandling av ärenden", "Syfte", "Avtal"]
            .map(String::from)
            .into();
        assert!(!header.is_repeated_by(&data));
    }
}
