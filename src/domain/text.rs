//! Folding Swedish text for comparison: the one place where "Ärende", "ärende", "A\u{308}rende"
//! and "arende" are made the same word. Used by the register search (index, query, filters), the
//! importer's column titles and the legal-basis parser.
//!
//! [`fold`] is the folding itself; [`fold_trimmed`] (column titles) and [`fold_key`] (filter
//! values, legal-basis cells) are thin wrappers that also normalise the spacing and punctuation
//! around the folded words.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Characters that carry no letter and are dropped by [`fold`]: soft hyphen, zero-width
/// space/joiners, word joiner and the byte-order mark (left behind by PDF and Word exports).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

/// Hyphens that join the parts of a word broken across lines or written with a hyphen
/// ("Intresseav-vägning", "e-tjänst"): hyphen-minus, hyphen and non-breaking hyphen.
pub fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Lower-cases `text` and folds diacritics: å, ä → a; ö → o; é → e; ü → u (every combining
/// accent is removed after canonical decomposition, so composed and decomposed input agree),
/// ø → o, æ → ae, ß → ss. Invisible formatting characters ([`is_invisible`]) are dropped;
/// everything else (whitespace, punctuation, digits) is kept as it is, so the result has the
/// same words, in the same places, as the input.
///
/// ```
/// # use dsar::domain::text::fold;
/// assert_eq!(fold("Ärendehantering i Kontaktcenter"), "arendehantering i kontaktcenter");
/// assert_eq!(fold("A\u{308}rende"), "arende");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Appends the folded, lower-case form of `c` to `out`: a table for the Latin letters met in
/// Swedish texts, canonical decomposition without the combining marks for anything else.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'å' | 'Å' | 'ä' | 'Ä' | 'à' | 'À' | 'á' | 'Á' | 'â' | 'Â' | 'ã' | 'Ã' => 'a',
        'ö' | 'Ö' | 'ø' | 'Ø' | 'ò' | 'Ò' | 'ó' | 'Ó' | 'ô' | 'Ô' | 'õ' | 'Õ' => 'o',
        'é' | 'É' | 'è' | 'È' | 'ê' | 'Ê' | 'ë' | 'Ë' => 'e',
        'ü' | 'Ü' | 'ù' | 'Ù' | 'ú' | 'Ú' | 'û' | 'Û' => 'u',
        'í' | 'Í' | 'ì' | 'Ì' | 'î' | 'Î' | 'ï' | 'Ï' => 'i',
        'ý' | 'Ý' | 'ÿ' => 'y',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        'æ' | 'Æ' => {
            out.push_str("ae");
            return;
        }
        'ß' => {
            out.push_str("ss");
            return;
        }
        _ => {
            if is_invisible(c) || is_combining_mark(c) {
                return;
            }
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase().filter(|l| !is_combining_mark(*l)));
                }
            });
            return;
        }
    };
    out.push(folded);
}

/// [`fold`], then runs of whitespace (also no-break spaces and line breaks) collapsed to one
/// space and punctuation trimmed from both ends: the comparable form of a column title.
///
/// ```
/// # use dsar::domain::text::fold_trimmed;
/// assert_eq!(fold_trimmed("  Ändamål med\u{a0} behandlingen: "), "andamal med behandlingen");
/// ```
pub fn fold_trimmed(text: &str) -> String {
    let folded = fold(text);
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_owned()
}

/// The folded words of `text` ([`fold_words`]) joined by single spaces: a comparison key in
/// which case, accents, punctuation, spacing and hyphens do not matter.
///
/// ```
/// # use dsar::domain::text::fold_key;
/// assert_eq!(fold_key(" Intresseav-vägning. "), "intresseavvagning");
/// assert_eq!(fold_key("Medborgare/kommuninvånare"), "medborgare kommuninvanare");
/// ```
pub fn fold_key(text: &str) -> String {
    fold_words(text).join(" ")
}

/// The folded words of `text`: hyphens ([`is_hyphen`]) removed first, so that a word broken
/// across lines ("Intresseav-vägning") is whole again, then [`fold`], then split on every
/// character that is not alphanumeric.
pub fn fold_words(text: &str) -> Vec<String> {
    let without_hyphens: String = text.chars().filter(|c| !is_hyphen(*c)).collect();
    fold(&without_hyphens)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_fold_to_their_base_letter_in_either_case() {
        let table = [
            ("å", "a"),
            ("Å", "a"),
            ("ä", "a"),
            ("Ä", "a"),
            ("ö", "o"),
            ("Ö", "o"),
            ("é", "e"),
            ("É", "e"),
            ("ü", "u"),
            ("Ü", "u"),
        ];
        for (input, expected) in table {
            assert_eq!(fold(input), expected, "{input}");
        }
        assert_eq!(fold("ÅÄÖ åäö"), "aao aao");
        assert_eq!(fold("Rådgivning"), fold("RADGIVNING"));
        assert_eq!(fold("Idé Müller"), "ide muller");
    }

    #[test]
    fn other_latin_letters_fold_too() {
        assert_eq!(
            fold("àáâã èêë ìíîï òóôõ ùúû ýÿ ñ ç"),
            "aaaa eee iiii oooo uuu yy n c"
        );
        assert_eq!(
            fold("ÀÁÂÃ ÈÊË ÌÍÎÏ ÒÓÔÕ ÙÚÛ Ý Ñ Ç"),
            "aaaa eee iiii oooo uuu y n c"
        );
        assert_eq!(fold("Ørsted Æble Straße"), "orsted aeble strasse");
        // Letters outside the table: canonical decomposition without the marks.
        assert_eq!(fold("Łódź Dvořák Ǻ"), "łodz dvorak a");
    }

    #[test]
    fn decomposed_and_composed_input_fold_alike() {
        for (decomposed, composed) in [
            ("A\u{308}rende", "Ärende"),
            ("a\u{30a}r", "år"),
            ("O\u{308}verfo\u{308}ring", "Överföring"),
            ("ide\u{301}", "idé"),
            ("mu\u{308}ller", "müller"),
        ] {
            assert_eq!(fold(decomposed), fold(composed), "{decomposed}");
        }
        assert_eq!(fold("A\u{308}rende"), "arende");
        // A stray combining mark on its own, or several stacked, leaves nothing behind.
        assert_eq!(fold("\u{308}"), "");
        assert_eq!(fold("a\u{308}\u{301}\u{323}"), "a");
    }

    #[test]
    fn case_is_lowered_everywhere() {
        assert_eq!(fold("KOMMUNSTYRELSEN"), "kommunstyrelsen");
        assert_eq!(fold("ÄRENDEHANTERING"), "arendehantering");
        assert_eq!(fold("ΣΩ"), "σω");
        // The dotted capital I decomposes to I + dot above; the dot is a mark.
        assert_eq!(fold("İ"), "i");
    }

    #[test]
    fn whitespace_punctuation_and_digits_are_kept() {
        assert_eq!(
            fold("Medborgare/kommuninvånare, extern part."),
            "medborgare/kommuninvanare, extern part."
        );
        assert_eq!(fold("2 år"), "2 ar");
        assert_eq!(fold("  a\tb\nc\u{a0}d  "), "  a\tb\nc\u{a0}d  ");
        assert_eq!(fold("e-tjänst (art. 6.1 c)"), "e-tjanst (art. 6.1 c)");
        assert_eq!(fold(""), "");
    }

    #[test]
    fn invisible_characters_are_dropped() {
        assert_eq!(fold("ärende\u{ad}hantering"), "arendehantering");
        assert_eq!(fold("\u{feff}Ändamål"), "andamal");
        assert_eq!(
            fold("kontakt\u{200b}center\u{200c}\u{200d}\u{2060}"),
            "kontaktcenter"
        );
    }

    #[test]
    fn ascii_text_is_only_lowered() {
        assert_eq!(
            fold("Hantera GDPR-begaran, 7 ar!"),
            "hantera gdpr-begaran, 7 ar!"
        );
    }

    #[test]
    fn folding_is_idempotent() {
        for text in [
            "Ärende",
            "A\u{308}rende",
            "Ørsted Æble",
            "ändamål: ",
            "İstanbul",
        ] {
            let once = fold(text);
            assert_eq!(fold(&once), once, "{text}");
        }
    }

    #[test]
    fn fold_trimmed_collapses_whitespace_and_trims_punctuation() {
        assert_eq!(
            fold_trimmed("  Ändamål med\u{a0} behandlingen: "),
            "andamal med behandlingen"
        );
        assert_eq!(
            fold_trimmed("RÄTTSLIG GRUND (art. 6)"),
            "rattslig grund (art. 6"
        );
        assert_eq!(fold_trimmed("Lagrings-\ntid"), "lagrings- tid");
        assert_eq!(fold_trimmed("IT-system"), "it-system");
        assert_eq!(fold_trimmed(" *** "), "");
        assert_eq!(fold_trimmed(""), "");
    }

    #[test]
    fn fold_key_ignores_hyphens_punctuation_and_spacing() {
        assert_eq!(fold_key("Intresseav-vägning"), "intresseavvagning");
        assert_eq!(fold_key("Intresseav\u{2010}vägning"), "intresseavvagning");
        assert_eq!(fold_key("Intresseav\u{2011}vägning"), "intresseavvagning");
        assert_eq!(fold_key("Miljö-och-byggnämnden"), "miljoochbyggnamnden");
        assert_eq!(
            fold_key("  Rättslig   FÖRPLIKTELSE. "),
            "rattslig forpliktelse"
        );
        assert_eq!(
            fold_key("Medborgare/kommuninvånare"),
            "medborgare kommuninvanare"
        );
        assert_eq!(fold_key(" ,;/ - "), "");
    }

    #[test]
    fn fold_words_splits_on_everything_but_letters_and_digits() {
        assert_eq!(fold_words("Art. 6.1 c"), ["art", "6", "1", "c"]);
        assert_eq!(fold_words("6(1)(c)"), ["6", "1", "c"]);
        assert_eq!(
            fold_words("Allmänt intresse, myndighetsutövning"),
            ["allmant", "intresse", "myndighetsutovning"]
        );
        assert!(fold_words("").is_empty());
    }
}
