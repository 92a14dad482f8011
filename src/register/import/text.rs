//! Tab-separated and comma/semicolon-separated text.
//!
//! Both go through the `csv` crate, because Excel quotes cells the same way
//! in both when it saves or copies them: a cell holding the delimiter, a quote
//! or a line break is wrapped in `"` with inner quotes doubled, and may span
//! several lines.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::detect::looks_binary;
use super::error::ImportError;
use super::header_row::{find_header, HeaderSearch};
use super::model::{ParsedRegister, SourceFormat};
use super::row::RawRow;
use super::table::build_table;

/// Delimiters tried, in order of preference on a tie: tab first (the rule for
/// a header line containing tabs), then `;` (what Swedish Excel writes), then
/// `,`.
const DELIMITERS: [u8; 3] = [b'\t', b';', b','];

/// Parses a text table.
pub(crate) fn parse(bytes: &[u8]) -> Result<ParsedRegister, ImportError> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    if looks_binary(&text) {
        return Err(ImportError::Binary);
    }
    let delimiter = choose_delimiter(&text)?;
    let mut rows = records(&text, delimiter);
    let header = find_header(&mut rows)?.into_header()?;
    let table = build_table(&header, rows)?;
    let format = match delimiter {
        b'\t' => SourceFormat::Tsv,
        other => SourceFormat::Csv {
            delimiter: char::from(other),
            encoding: encoding.name(),
        },
    };
    Ok(ParsedRegister {
        format,
        header_line: header.line,
        activities: table.activities,
        skipped: table.skipped,
        unknown_columns: table.unknown_columns,
    })
}

/// Decodes the bytes and says from which encoding.
///
/// A byte-order mark decides (UTF-8, or the UTF-16 that Excel's "Unicode
/// text" export writes). Without one, valid UTF-8 is UTF-8, and anything else
/// is taken as Windows-1252, which is what Excel on a Swedish Windows machine
/// writes for "CSV (semicolon separated)": every byte is a valid character
/// there, so decoding never fails.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding) {
    let (encoding, bom_length) = Encoding::for_bom(bytes).unwrap_or((UTF_8, 0));
    let body = &bytes[bom_length..];
    if encoding != UTF_8 {
        return (encoding.decode_without_bom_handling(body).0, encoding);
    }
    match std::str::from_utf8(body) {
        Ok(text) => (Cow::Borrowed(text), UTF_8),
        Err(_) => (
            WINDOWS_1252.decode_without_bom_handling(body).0,
            WINDOWS_1252,
        ),
    }
}

/// The delimiter under which the text has a header row.
///
/// Tab wins whenever tab-separated cells form a header; otherwise `;` and `,`
/// are compared by how many known columns their header row names, since a
/// title such as "Ändamål, syfte" splits differently under each. Each try
/// reads only up to the header row.
fn choose_delimiter(text: &str) -> Result<u8, ImportError> {
    let mut best: Option<(usize, u8)> = None;
    let mut missing_name: Option<usize> = None;
    for delimiter in DELIMITERS {
        let recognised = match find_header(&mut records(text, delimiter))? {
            HeaderSearch::Found(header) => header.recognised,
            HeaderSearch::MissingName { line } => {
                missing_name = missing_name.or(Some(line));
                continue;
            }
            HeaderSearch::NotFound => continue,
        };
        if delimiter == b'\t' {
            return Ok(delimiter);
        }
        if best.is_none_or(|(count, _)| recognised > count) {
            best = Some((recognised, delimiter));
        }
    }
    best.map(|(_, delimiter)| delimiter)
        .ok_or(ImportError::NoHeader {
            row_without_name: missing_name,
        })
}

/// The records of the text under one delimiter, each with the line it starts
/// on. Records may have any number of cells (`flexible`), since registers
/// leave trailing cells out.
fn records(text: &str, delimiter: u8) -> impl Iterator<Item = Result<RawRow, ImportError>> + '_ {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text.as_bytes());
    std::iter::from_fn(move || match reader.read_record(&mut record) {
        Ok(true) => {
            let offset = record
                .position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
            let line = lines.line_at(offset);
            Some(Ok(RawRow::new(line, record.iter().map(str::to_owned))))
        }
        Ok(false) => None,
        Err(error) => Some(Err(ImportError::Unreadable(format!(
            "the text could not be split into rows and cells: {error}"
        )))),
    })
}

/// Line numbers for records.
///
/// The csv crate's own `Position::line` is not usable for this: it reports a
/// record that follows blank lines on the first blank line, and counts CR
/// line breaks inconsistently. Its byte offset is reliable, though: it points
/// just past the previous record's first terminator byte. From there the
/// record starts after any further CR/LF bytes, and its line is one more than
/// the line breaks (CRLF, LF or a lone CR) before that point. Offsets only
/// grow, so counting resumes where it stopped and the whole file is scanned
/// once.
struct LineCounter<'t> {
    text: &'t [u8],
    counted_to: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        LineCounter {
            text,
            counted_to: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record the csv reader placed at `offset`.
    fn line_at(&mut self, offset: usize) -> usize {
        let mut start = offset.clamp(self.counted_to, self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        for i in self.counted_to..start {
            let line_break = match self.text[i] {
                b'\n' => true,
                b'\r' => self.text.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            self.line += usize::from(line_break);
        }
        self.counted_to = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_bom_then_utf8_then_windows_1252() {
        let (text, encoding) = decode("\u{feff}Ändamål".as_bytes());
        assert_eq!((text.as_ref(), encoding.name()), ("Ändamål", "UTF-8"));
        let (text, encoding) = decode(b"\xc4ndam\xe5l \x80");
        assert_eq!(
            (text.as_ref(), encoding.name()),
            ("Ändamål €", "windows-1252")
        );
        let (text, encoding) = decode(b"\xff\xfeA\x00\xc4\x00");
        assert_eq!((text.as_ref(), encoding.name()), ("AÄ", "UTF-16LE"));
    }

    #[test]
    fn records_know_their_starting_line() {
        let rows: Vec<RawRow> = records("a;b\n\n\"x\ny\";z\nlast;\n", b';')
            .map(Result::unwrap)
            .collect();
        let lines: Vec<usize> = rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [1, 3, 5]);
        assert_eq!(rows[1].cells, ["x\ny", "z"]);
        assert_eq!(rows[2].cells, ["last"]);
    }

    #[test]
    fn record_lines_count_crlf_and_cr_breaks_once() {
        let line_of = |text: &'static str| -> Vec<usize> {
            records(text, b';').map(|r| r.unwrap().line).collect()
        };
        assert_eq!(line_of("a;b\r\n\r\n\"x\r\ny\";z\r\nlast;\r\n"), [1, 3, 5]);
        assert_eq!(line_of("a;b\r\rx;z\r"), [1, 3]);
        assert_eq!(line_of("\n\na\n;;\n\nx"), [3, 4, 6]);
    }
}
