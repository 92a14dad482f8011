//! Attachments to findings (domain.md §6a): the Art. 15(3) copy is a faithful reproduction of
//! the data, where needed as copies of the documents that hold it (CJEU C-487/21). A finding can
//! carry PDFs, images and text files; they are part of the extract, listed in its letter,
//! embedded in its PDF, and purged with it.

pub mod actions;
pub mod http;
pub mod store;

use crate::error::FieldError;

/// The largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// The most attachments one finding carries.
pub const MAX_PER_FINDING: i64 = 10;
/// The longest file name kept.
const MAX_FILE_NAME_CHARS: usize = 200;

/// The kinds of file an attachment may be, by media type.
pub const CONTENT_TYPES: [&str; 4] = ["application/pdf", "image/png", "image/jpeg", "text/plain"];

/// An upload that passed the checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub file_name: String,
    pub content_type: &'static str,
}

/// Checks an upload: a file name without a path, a media type the service accepts and content
/// that is what the type says (a PDF starts `%PDF-`, a text file is UTF-8 without NUL...), so
/// nothing but a document a person can open goes into the extract.
pub fn check(
    file_name: Option<&str>,
    content_type: Option<&str>,
    content: &[u8],
) -> Result<CheckedFile, Vec<FieldError>> {
    let mut errors = Vec::new();
    let name = file_name.map(str::trim).unwrap_or_default();
    // Browsers send the whole path on some systems: keep the last part.
    let name = name.rsplit(['/', '\\']).next().unwrap_or_default().trim();
    if name.is_empty() {
        errors.push(FieldError::new(
            "file_name",
            "required",
            "Name the file in `Content-Disposition: attachment; filename*=UTF-8''...`.",
        ));
    } else if name.chars().count() > MAX_FILE_NAME_CHARS || name.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "file_name",
            "invalid",
            "A file name is at most 200 characters, without control characters.",
        ));
    }
    let essence = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase());
    let kind = CONTENT_TYPES
        .into_iter()
        .find(|t| essence.as_deref() == Some(*t));
    match kind {
        None => errors.push(FieldError::new(
            "content_type",
            "unsupported",
            "An attachment is a PDF, a PNG or JPEG image or a text file: send `Content-Type` \
             `application/pdf`, `image/png`, `image/jpeg` or `text/plain`.",
        )),
        Some(kind) if content.is_empty() => errors.push(FieldError::new(
            "content",
            "required",
            format!("The {kind} file is empty."),
        )),
        Some(kind) if !looks_like(kind, content) => errors.push(FieldError::new(
            "content",
            "not_that_kind",
            format!("The file's content is not {kind}."),
        )),
        Some(_) => {}
    }
    match (errors.is_empty(), kind) {
        (true, Some(content_type)) => Ok(CheckedFile {
            file_name: name.to_owned(),
            content_type,
        }),
        _ => Err(errors),
    }
}

/// Whether `content` starts as a file of `kind` does.
fn looks_like(kind: &str, content: &[u8]) -> bool {
    match kind {
        "application/pdf" => content.starts_with(b"%PDF-"),
        "image/png" => content.starts_with(b"\x89PNG\r\n\x1a\n"),
        "image/jpeg" => content.starts_with(&[0xFF, 0xD8, 0xFF]),
        "text/plain" => std::str::from_utf8(content).is_ok_and(|t| !t.contains('\0')),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(result: Result<CheckedFile, Vec<FieldError>>) -> Vec<(String, String)> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect()
    }

    #[test]
    fn a_document_is_accepted_for_what_it_is() {
        let pdf = check(
            Some("C:\\Dokument\\Journalanteckning 2025.pdf"),
            Some("application/pdf"),
            b"%PDF-1.7\n...",
        );
        assert_eq!(
            pdf,
            Ok(CheckedFile {
                file_name: "Journalanteckning 2025.pdf".into(),
                content_type: "application/pdf"
            })
        );
        let text = check(
            Some("anteckning.txt"),
            Some("text/plain; charset=utf-8"),
            "Möte i maj".as_bytes(),
        );
        assert_eq!(text.unwrap().content_type, "text/plain");
        assert!(check(
            Some("bild.png"),
            Some("image/png"),
            b"\x89PNG\r\n\x1a\n...."
        )
        .is_ok());
        assert!(check(
            Some("bild.jpg"),
            Some("image/jpeg"),
            &[0xFF, 0xD8, 0xFF, 0xE0]
        )
        .is_ok());
    }

    #[test]
    fn anything_else_is_refused_naming_the_field() {
        let field = |f: &str, c: &str| (f.to_owned(), c.to_owned());
        assert_eq!(
            codes(check(None, Some("application/pdf"), b"%PDF-1.7")),
            vec![field("file_name", "required")]
        );
        assert_eq!(
            codes(check(
                Some("x.exe"),
                Some("application/octet-stream"),
                b"MZ"
            )),
            vec![field("content_type", "unsupported")]
        );
        // A program called .pdf is not a PDF.
        assert_eq!(
            codes(check(Some("x.pdf"), Some("application/pdf"), b"MZ\x90\x00")),
            vec![field("content", "not_that_kind")]
        );
        assert_eq!(
            codes(check(Some("x.txt"), Some("text/plain"), b"a\0b")),
            vec![field("content", "not_that_kind")]
        );
        assert_eq!(
            codes(check(Some("x.txt"), Some("text/plain"), b"")),
            vec![field("content", "required")]
        );
        assert_eq!(
            codes(check(Some("a\nb.txt"), Some("text/plain"), b"ok")),
            vec![field("file_name", "invalid")]
        );
    }
}
