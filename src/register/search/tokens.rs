//! Words: splitting a text into the words the index and the query are made of, and the Swedish
//! stop words that are left out.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::domain::text::{fold, is_hyphen, is_invisible};

/// Swedish stop words, in folded form ("för" → "for", "på" → "pa", "är" → "ar", ...).
const STOP_WORDS: [&str; 21] = [
    "och", "i", "att", "det", "som", "en", "ett", "av", "for", "med", "till", "pa", "om", "den",
    "de", "ar", "samt", "eller", "vid", "fran", "sa",
];

/// Whether a folded word is a Swedish stop word.
pub(super) fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// Splits `text` into lower-cased (not folded) words, composed to NFC so that the stemmer sees
/// å/ä/ö as single letters; words are maximal runs of alphanumeric characters. Each chunk of
/// words joined by hyphens ("Intresseav-vägning", "e-tjänst") is reported through `joined` as
/// one extra word without the hyphens.
pub(super) fn raw_words(text: &str, mut joined: impl FnMut(String)) -> Vec<String> {
    let composed: String;
    let text = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        composed = text.nfc().collect();
        &composed
    };
    let lower: String = text
        .chars()
        .filter(|c| !is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut words = Vec::new();
    let mut chunk_parts = 0usize;
    let mut chunk = String::new();
    let mut word = String::new();
    let mut flush_word = |word: &mut String, chunk: &mut String, parts: &mut usize| {
        if !word.is_empty() {
            chunk.push_str(word);
            *parts += 1;
            words.push(std::mem::take(word));
        }
    };
    for c in lower.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            word.push(c);
        } else if is_hyphen(c) {
            flush_word(&mut word, &mut chunk, &mut chunk_parts);
        } else {
            flush_word(&mut word, &mut chunk, &mut chunk_parts);
            if chunk_parts > 1 {
                joined(std::mem::take(&mut chunk));
            }
            chunk.clear();
            chunk_parts = 0;
        }
    }
    flush_word(&mut word, &mut chunk, &mut chunk_parts);
    if chunk_parts > 1 {
        joined(chunk);
    }
    words
}

/// The folded words of `text` (see [`fold`]), split on every non-alphanumeric character,
/// without the Swedish stop words (och, i, att, det, som, en, ett, av, för, med, till, på, om,
/// den, de, är, samt, eller, vid, från, så).
pub fn tokens(text: &str) -> Vec<String> {
    raw_words(text, |_| {})
        .iter()
        .map(|w| fold(w))
        .filter(|w| !is_stop_word(w))
        .collect()
}

/// The folded words of `text` joined by single spaces (stop words kept), and the same with
/// hyphenated chunks joined into one word: the forms in which a name contains a phrase.
pub(super) fn phrase_forms(text: &str) -> [String; 2] {
    let folded = fold(text);
    let split = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let joined = folded
        .split(|c: char| !c.is_alphanumeric() && !is_hyphen(c))
        .map(|chunk| chunk.chars().filter(|c| !is_hyphen(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [split, joined]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words_and_joined(text: &str) -> (Vec<String>, Vec<String>) {
        let mut joined = Vec::new();
        let words = raw_words(text, |j| joined.push(j));
        (words, joined)
    }

    #[test]
    fn raw_words_are_lower_case_but_keep_swedish_letters() {
        let (words, joined) = words_and_joined("Ärendehantering i Kontaktcenter");
        assert_eq!(words, ["ärendehantering", "i", "kontaktcenter"]);
        assert!(joined.is_empty());
    }

    #[test]
    fn raw_words_compose_decomposed_letters() {
        let (words, _) = words_and_joined("A\u{308}rende");
        assert_eq!(words, ["ärende"]);
    }

    #[test]
    fn a_hyphenated_chunk_is_also_one_joined_word() {
        let (words, joined) = words_and_joined("Intresseav-vägning, e\u{2011}tjänst och a-b-c");
        assert_eq!(
            words,
            ["intresseav", "vägning", "e", "tjänst", "och", "a", "b", "c"]
        );
        assert_eq!(joined, ["intresseavvägning", "etjänst", "abc"]);
        // A lone hyphen joins nothing.
        let (words, joined) = words_and_joined("- gallring -");
        assert_eq!(words, ["gallring"]);
        assert!(joined.is_empty());
    }

    #[test]
    fn invisible_characters_do_not_split_words() {
        let (words, _) = words_and_joined("ärende\u{ad}hantering kontakt\u{200b}center");
        assert_eq!(words, ["ärendehantering", "kontaktcenter"]);
    }

    #[test]
    fn every_stop_word_is_folded_and_dropped() {
        for word in STOP_WORDS {
            assert_eq!(fold(word), word);
            assert!(is_stop_word(word));
        }
        assert!(!is_stop_word("för"), "stop words are compared folded");
        assert!(!is_stop_word("hantera"));
        assert_eq!(tokens("för på är från så"), Vec::<String>::new());
    }

    #[test]
    fn tokens_are_folded_words_without_stop_words() {
        assert_eq!(
            tokens("Fakturering, autogiro, anmälan till e-faktura."),
            ["fakturering", "autogiro", "anmalan", "e", "faktura"]
        );
        assert!(tokens(" ,;/ - ").is_empty());
    }

    #[test]
    fn phrase_forms_keep_stop_words_and_join_hyphenated_chunks() {
        assert_eq!(
            phrase_forms("Ärendehantering i Kontaktcenter"),
            [
                "arendehantering i kontaktcenter",
                "arendehantering i kontaktcenter"
            ]
        );
        assert_eq!(
            phrase_forms("Kommunikations-material, bildbank"),
            [
                "kommunikations material bildbank",
                "kommunikationsmaterial bildbank"
            ]
        );
        assert_eq!(phrase_forms(" . "), ["", ""]);
    }
}
