//! Stemming: the Snowball Swedish stemmer
//! (<https://snowballstem.org/algorithms/swedish/stemmer.html>) with small additions for
//! inflections it leaves alone, folded so that stems compare like the rest of the search.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

use crate::domain::text::fold;

fn swedish_stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Swedish))
}

fn is_swedish_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'å' | 'ö' | 'é' | 'ü'
    )
}

/// Start (in chars) of the Snowball Swedish region R1: after the first non-vowel that follows
/// a vowel, but not before the fourth letter.
fn r1_start(chars: &[char]) -> usize {
    let mut start = chars.len();
    for i in 1..chars.len() {
        if !is_swedish_vowel(chars[i]) && is_swedish_vowel(chars[i - 1]) {
            start = i + 1;
            break;
        }
    }
    start.max(3)
}

/// Base forms that end in "-et" and are not the definite form of a neuter noun.
const ET_BASE_FORMS: [&str; 11] = [
    "internet", "intranet", "budget", "paket", "planet", "magnet", "raket", "komet", "tapet",
    "konkret", "diskret",
];

/// Stems one word: the Snowball Swedish stemmer on the lower-cased, un-folded word (so that it
/// sees å/ä/ö), then folded like [`fold`]. Two additions cover inflections that Snowball
/// leaves alone, each only inside the region R1 of the word:
///
/// * the definite neuter singular "-et"/"-ets" and plural "-ena" of nouns in "-e" or a
///   consonant: "ärendet" → "ärend" (like "ärende", "ärenden"), "beslutet" → "beslut",
///   "ärendena" → "ärend" (words in "-itet" and a few base forms such as "internet" excepted);
/// * the unstressed "-el" that drops its "e" when inflected: "vigsel"/"vigseln" → "vigsl" (like
///   "vigslar"), "artikel" → "artikl" (like "artiklar").
///
/// "ärende", "ärenden", "ärendet", "ärendena" and "arende" all stem to "arend".
pub fn stem(token: &str) -> String {
    let lower = token.nfc().collect::<String>().to_lowercase();
    let stemmed = swedish_stemmer().stem(&lower).into_owned();
    let mut chars: Vec<char> = stemmed.chars().collect();
    let r1 = r1_start(&chars);
    let n = chars.len();
    let unchanged = stemmed == lower;
    let ends = |chars: &[char], suffix: &str| {
        let suffix: Vec<char> = suffix.chars().collect();
        chars.ends_with(&suffix)
    };

    // Definite neuter singular "-et", also in the genitive "-ets": Snowball has no such suffix.
    let genitive = lower.len() == stemmed.len() + 1 && lower.ends_with("ets");
    let definite_singular = (unchanged || genitive)
        && ends(&chars, "et")
        && !ends(&chars, "itet")
        && !ET_BASE_FORMS.contains(&stemmed.as_str());
    // Definite neuter plural "-ena": Snowball removes only the "-a".
    let definite_plural = lower.ends_with("ena") && ends(&chars, "en");
    if (definite_singular || definite_plural) && n >= 5 && n - 2 >= r1 {
        chars.truncate(n - 2);
    }
    // Unstressed "-el"/"-eln" after a consonant: vigsel, vigseln → vigsl.
    let n = chars.len();
    if n >= 4 && unchanged && ends(&chars, "eln") && !is_swedish_vowel(chars[n - 4]) && n - 3 >= r1
    {
        chars.truncate(n - 1);
    }
    let n = chars.len();
    if n >= 4 && ends(&chars, "el") && !is_swedish_vowel(chars[n - 3]) && n - 2 >= r1 {
        chars.remove(n - 2);
    }
    fold(&chars.into_iter().collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(word: &str) -> Vec<char> {
        word.chars().collect()
    }

    #[test]
    fn r1_starts_after_the_first_consonant_after_a_vowel_but_not_before_the_fourth_letter() {
        assert_eq!(r1_start(&chars("beslut")), 3); // b-e-s|lut
        assert_eq!(r1_start(&chars("ärende")), 3); // ä-r|ende, moved to 3
        assert_eq!(r1_start(&chars("strand")), 5); // s-t-r-a-n|d
        assert_eq!(r1_start(&chars("aaa")), 3);
        assert_eq!(r1_start(&[]), 3);
    }

    #[test]
    fn swedish_vowels_include_the_swedish_letters() {
        for c in "aeiouyäåöéü".chars() {
            assert!(is_swedish_vowel(c), "{c}");
        }
        for c in "bcdfghjklmnpqrstvwxz".chars() {
            assert!(!is_swedish_vowel(c), "{c}");
        }
    }

    #[test]
    fn the_definite_neuter_forms_lose_their_ending() {
        assert_eq!(stem("ärendet"), "arend");
        assert_eq!(stem("ärendets"), "arend");
        assert_eq!(stem("ärendena"), "arend");
        assert_eq!(stem("beslutet"), stem("beslut"));
        assert_eq!(stem("protokollet"), stem("protokoll"));
    }

    #[test]
    fn base_forms_in_et_and_words_in_itet_keep_it() {
        for word in ET_BASE_FORMS {
            assert!(stem(word).ends_with("et"), "{word}");
        }
        assert_eq!(stem("integritet"), "integritet");
        assert_eq!(stem("kvalitet"), stem("kvaliteten"));
    }

    #[test]
    fn a_short_word_in_et_is_left_alone() {
        // Too short for the definite ending to be inside R1.
        assert_eq!(stem("fet"), "fet");
        assert_eq!(stem("det"), "det");
    }

    #[test]
    fn the_unstressed_el_drops_its_e() {
        assert_eq!(stem("vigsel"), "vigsl");
        assert_eq!(stem("vigseln"), "vigsl");
        assert_eq!(stem("vigslar"), "vigsl");
        assert_eq!(stem("artikel"), "artikl");
        assert_eq!(stem("artiklar"), "artikl");
        // Outside the region R1 ("spel": R1 starts after the l) the e stays.
        assert_eq!(stem("spel"), stem("spelet"));
    }

    #[test]
    fn stems_are_folded_whatever_the_input_form() {
        assert_eq!(stem("Rådgivning"), "radgivning");
        assert_eq!(stem("A\u{308}RENDEN"), "arend");
        assert_eq!(stem("leverantörer"), "leverantor");
        assert_eq!(stem(""), "");
    }
}
