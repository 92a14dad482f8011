//! Cleaning of single cells.
//!
//! Registers are typed by hand, pasted from Word and saved by different Excel
//! versions, so the same text arrives with stray spaces, non-breaking spaces,
//! CRLF or CR line breaks and decomposed letters. Cleaning them once here keeps
//! the stored register comparable and searchable.

use std::borrow::Cow;
use std::collections::HashSet;

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// Cleans one cell: Unicode NFC, line breaks normalised to `\n`, each line
/// trimmed with runs of whitespace collapsed to one space, leading and
/// trailing empty lines dropped and runs of empty lines collapsed to one.
///
/// Line breaks are kept because long cells (purpose, retention) use them as
/// paragraph or list breaks that carry meaning.
pub(crate) fn clean_cell(raw: &str) -> String {
    if is_clean(raw) {
        return raw.to_owned();
    }
    let text = nfc(raw);
    let mut out = String::with_capacity(text.len());
    let mut pending_blank = false;
    for line in lines(&text) {
        let mut words = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .peekable();
        if words.peek().is_none() {
            pending_blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if pending_blank { "\n\n" } else { "\n" });
        }
        pending_blank = false;
        for (i, word) in words.enumerate() {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

/// Whether a cell is already clean, checked in one pass so that the usual
/// tidy cell costs a copy and nothing more: single spaces between words only,
/// no other whitespace or control characters, and only characters below
/// U+0300, which are all in NFC (the first combining mark is U+0300).
fn is_clean(raw: &str) -> bool {
    let mut after_space = true;
    for c in raw.chars() {
        if u32::from(c) >= 0x300 || c.is_control() || (c.is_whitespace() && c != ' ') {
            return false;
        }
        let space = c == ' ';
        if space && after_space {
            return false;
        }
        after_space = space;
    }
    raw.is_empty() || !after_space
}

/// Splits a multi-valued cell (categories of data subjects or of personal
/// data) into single values.
///
/// Values are separated by commas, semicolons and line breaks, but not by a
/// slash: "Medborgare/kommuninvånare" is one category. Separators inside
/// parentheses do not split ("Hälsa (diagnos, medicinering)" stays whole)
/// unless the parentheses are unbalanced, in which case they are ignored.
/// Each value is trimmed, loses list bullets and trailing periods, and gets an
/// upper-case first letter; empty values and case-insensitive duplicates are
/// dropped, keeping the first.
///
/// ```
/// # use dsar::register::import::split_categories;
/// assert_eq!(
///     split_categories("Medarbetare, förtroendevalda, externa aktörer"),
///     ["Medarbetare", "Förtroendevalda", "Externa aktörer"],
/// );
/// ```
pub fn split_categories(cell: &str) -> Vec<String> {
    let text = nfc(cell);
    let nested = parentheses_balanced(&text);
    let mut depth = 0usize;
    let mut values = Vec::new();
    let mut seen = HashSet::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '[' if nested => depth += 1,
            ')' | ']' if nested => depth -= 1,
            ',' | ';' | '\n' | '\r' | '\u{b}' | '\u{2028}' if depth == 0 => {
                push_category(&text[start..i], &mut values, &mut seen);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    push_category(&text[start..], &mut values, &mut seen);
    values
}

/// Cleans one category value and appends it unless it is empty or already
/// there (compared case-insensitively).
fn push_category(raw: &str, values: &mut Vec<String>, seen: &mut HashSet<String>) {
    let trimmed = raw
        .trim()
        .trim_start_matches(['-', '–', '•', '*', '·'])
        .trim()
        .trim_end_matches('.')
        .trim_end();
    let value = clean_cell(trimmed);
    if value.is_empty() || !seen.insert(value.to_lowercase()) {
        return;
    }
    values.push(upper_first(&value));
}

fn upper_first(value: &str) -> String {
    let mut chars = value.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether every `(`/`[` is closed and none is closed before it opens; only
/// then is it safe to not split inside them.
fn parentheses_balanced(text: &str) -> bool {
    let mut depth = 0i64;
    for c in text.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The text in Unicode NFC, borrowed when it already is (the usual case).
fn nfc(text: &str) -> Cow<'_, str> {
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.nfc().collect())
    }
}

/// The lines of a cell, whatever the line-break convention: CRLF, LF, CR, the
/// vertical tab Word uses for a manual line break, and U+2028/U+2029.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.find(['\n', '\r', '\u{b}', '\u{2028}', '\u{2029}']) {
            Some(i) => {
                let next = if current[i..].starts_with("\r\n") {
                    i + 2
                } else {
                    i + current[i..].chars().next().map_or(1, char::len_utf8)
                };
                rest = Some(&current[next..]);
                Some(&current[..i])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_cell_trims_collapses_and_keeps_line_breaks() {
        assert_eq!(clean_cell("  a \u{a0}  b\t c  "), "a b c");
        assert_eq!(
            clean_cell("one \r\n two\rthree\nfour"),
            "one\ntwo\nthree\nfour"
        );
        assert_eq!(
            clean_cell("\n\npara one\n \n\n\npara two\n\n"),
            "para one\n\npara two"
        );
        assert_eq!(clean_cell("word\u{b}line"), "word\nline");
        assert_eq!(clean_cell("   "), "");
    }

    #[test]
    fn already_clean_cells_are_recognised() {
        assert!(is_clean(""));
        assert!(is_clean("Rättslig förpliktelse, art. 6.1 c"));
        assert!(!is_clean(" leading"));
        assert!(!is_clean("trailing "));
        assert!(!is_clean("two  spaces"));
        assert!(!is_clean("no\u{a0}break"));
        assert!(!is_clean("line\nbreak"));
        assert!(!is_clean("A\u{308}"));
    }

    #[test]
    fn clean_cell_composes_decomposed_letters() {
        assert_eq!(clean_cell("A\u{308}ndama\u{30a}l"), "Ändamål");
    }

    #[test]
    fn categories_split_inside_unbalanced_parentheses() {
        assert_eq!(split_categories("Namn (a, b"), ["Namn (a", "B"]);
        assert_eq!(split_categories("Namn) a, b"), ["Namn) a", "B"]);
    }

    #[test]
    fn categories_drop_bullets() {
        assert_eq!(
            split_categories("- namn\n• adress\n* e-post"),
            ["Namn", "Adress", "E-post"]
        );
    }
}
