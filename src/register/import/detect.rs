//! Deciding what kind of file was uploaded, from its bytes first and its
//! name or content type second.
//!
//! Browsers and users are unreliable about file names and content types (a
//! CSV renamed to .txt, an .xlsx sent as `application/octet-stream`), so the
//! bytes decide whenever they can.

/// The reader a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FileKind {
    /// An Office Open XML workbook (.xlsx, .xlsm).
    Xlsx,
    /// An OLE2 compound file: an Excel 97-2003 .xls, or a .doc or .msg
    /// uploaded by mistake. Refused with advice rather than as binary.
    LegacyOffice,
    /// Anything else, to be decoded as text (and refused there if binary).
    Text,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE2_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
const XLSX_CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Which reader the file needs. A ZIP signature means a workbook whatever it
/// is called; an .xlsx name or content type without one also goes to the
/// workbook reader, which then explains that the file is not a valid
/// workbook (better than misreading it as text).
pub(crate) fn sniff(bytes: &[u8], content_type: Option<&str>, file_name: Option<&str>) -> FileKind {
    if bytes.starts_with(ZIP_MAGIC) {
        return FileKind::Xlsx;
    }
    if bytes.starts_with(OLE2_MAGIC) {
        return FileKind::LegacyOffice;
    }
    let typed_xlsx = content_type.is_some_and(|t| {
        t.split(';')
            .next()
            .is_some_and(|essence| essence.trim().eq_ignore_ascii_case(XLSX_CONTENT_TYPE))
    });
    let named_xlsx = file_name.is_some_and(|n| {
        let lower = n.trim().to_ascii_lowercase();
        lower.ends_with(".xlsx") || lower.ends_with(".xlsm")
    });
    if typed_xlsx || named_xlsx {
        FileKind::Xlsx
    } else {
        FileKind::Text
    }
}

/// Whether decoded text is really binary data: any NUL, or more than 1% of
/// control characters other than tab, CR and LF.
///
/// It runs on decoded text so that a UTF-16 file (which is full of NUL bytes)
/// is judged by its characters, and so that Windows-1252 letters in
/// 0x80-0x9F (such as €) are not mistaken for control bytes.
pub(crate) fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut control = 0usize;
    for c in text.chars() {
        if c == '\0' {
            return true;
        }
        total += 1;
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
            control += 1;
        }
    }
    control * 100 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_win_over_names() {
        assert_eq!(
            sniff(b"PK\x03\x04rest", Some("text/csv"), Some("a.csv")),
            FileKind::Xlsx
        );
        assert_eq!(sniff(b"a;b", None, Some("Register.XLSX")), FileKind::Xlsx);
        assert_eq!(
            sniff(
                b"a;b",
                Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; x=y"),
                None
            ),
            FileKind::Xlsx
        );
        assert_eq!(
            sniff(b"a;b", Some("text/csv"), Some("a.csv")),
            FileKind::Text
        );
        assert_eq!(
            sniff(OLE2_MAGIC, None, Some("a.xls")),
            FileKind::LegacyOffice
        );
    }

    #[test]
    fn control_characters_over_one_percent_are_binary() {
        assert!(!looks_binary("plain text\twith\r\nbreaks"));
        assert!(looks_binary("a\0b"));
        let mut text = "x".repeat(99);
        text.push('\u{1}');
        assert!(!looks_binary(&text));
        text.push('\u{1}');
        assert!(looks_binary(&text));
    }
}
