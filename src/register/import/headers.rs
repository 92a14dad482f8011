//! Recognising the register's columns by the meaning of their titles.
//!
//! Every municipality words its column titles a little differently
//! ("Ändamål", "Ändamål med behandlingen", "Syfte"), writes them in any case,
//! and sometimes loses the Swedish letters on the way through an old export.
//! Titles are therefore compared in a folded form (see [`normalise_header`])
//! against a list of known variants per field.

use serde::Serialize;

use crate::domain::text::fold_trimmed;

/// The fields of a processing activity that the importer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegisterField {
    Name,
    Purpose,
    SubjectCategories,
    DataCategories,
    LegalBasis,
    Retention,
    Recipients,
    Source,
    ThirdCountryTransfer,
    System,
    /// Art. 15(1)(h): automated decision-making, including profiling, and its logic.
    AutomatedDecisionMaking,
    /// Art. 15(2): the safeguards of a transfer to a third country (Art. 46).
    TransferSafeguards,
}

impl RegisterField {
    /// Every field, in the order of the usual Swedish template.
    pub const ALL: [RegisterField; 12] = [
        RegisterField::Name,
        RegisterField::Purpose,
        RegisterField::SubjectCategories,
        RegisterField::DataCategories,
        RegisterField::LegalBasis,
        RegisterField::Retention,
        RegisterField::Recipients,
        RegisterField::Source,
        RegisterField::ThirdCountryTransfer,
        RegisterField::System,
        RegisterField::AutomatedDecisionMaking,
        RegisterField::TransferSafeguards,
    ];

    /// The field's usual Swedish column title, for messages and exports.
    pub fn swedish_header(self) -> &'static str {
        match self {
            RegisterField::Name => "Behandlingsaktivitet",
            RegisterField::Purpose => "Ändamål med behandlingen",
            RegisterField::SubjectCategories => "Kategorier av registrerade",
            RegisterField::DataCategories => "Kategorier av personuppgifter",
            RegisterField::LegalBasis => "Rättslig grund",
            RegisterField::Retention => "Lagringstid",
            RegisterField::Recipients => "Mottagare",
            RegisterField::Source => "Källa som personuppgifter samlas in från",
            RegisterField::ThirdCountryTransfer => "Överföring tredje land",
            RegisterField::System => "System",
            RegisterField::AutomatedDecisionMaking => "Automatiserat beslutsfattande",
            RegisterField::TransferSafeguards => "Skyddsåtgärder vid överföring till tredje land",
        }
    }

    /// The field a column title stands for, if any.
    ///
    /// A title matches a variant when it equals it or starts with it followed
    /// by a further word, compared as folded words (case, accents and
    /// punctuation ignored): "Ändamål med behandlingen" and "Ändamål:" are
    /// Purpose, but "Behandlingens ändamål" is not Name although it starts
    /// with "behandling". When variants of several fields match, the longest
    /// wins.
    pub fn from_header(title: &str) -> Option<RegisterField> {
        let key = word_key(&normalise_header(title));
        if key.is_empty() {
            return None;
        }
        let mut best: Option<(usize, RegisterField)> = None;
        for field in RegisterField::ALL {
            for variant in field.variants() {
                let matches = key
                    .strip_prefix(variant)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
                if matches && best.is_none_or(|(len, _)| variant.len() > len) {
                    best = Some((variant.len(), field));
                }
            }
        }
        best.map(|(_, field)| field)
    }

    /// Known titles, written as folded words (the form [`word_key`] makes).
    fn variants(self) -> &'static [&'static str] {
        match self {
            RegisterField::Name => &[
                "behandlingsaktivitet",
                "behandlingsaktiviteter",
                "behandling",
                "aktivitet",
                "behandlingens namn",
                "namn pa behandlingen",
                "personuppgiftsbehandling",
                "process",
            ],
            RegisterField::Purpose => &[
                "andamal",
                "andamal med behandlingen",
                "andamalet med behandlingen",
                "behandlingens andamal",
                "syfte",
            ],
            RegisterField::SubjectCategories => &[
                "kategorier av registrerade",
                "kategori av registrerade",
                "registrerade",
                "de registrerade",
            ],
            RegisterField::DataCategories => &[
                "kategorier av personuppgifter",
                "kategori av personuppgifter",
                "personuppgifter",
                "typ av personuppgifter",
                "typer av personuppgifter",
                "personuppgiftskategorier",
            ],
            RegisterField::LegalBasis => &[
                "rattslig grund",
                "rattsliga grunder",
                "laglig grund",
                "rattslig grund for behandlingen",
            ],
            RegisterField::Retention => &[
                "lagringstid",
                "gallring",
                "bevarande och gallring",
                "gallringsfrist",
                "lagringsperiod",
            ],
            RegisterField::Recipients => &[
                "mottagare",
                "mottagare av personuppgifterna",
                "mottagare av personuppgifter",
            ],
            RegisterField::Source => &[
                "kalla",
                "kallor",
                "kalla som personuppgifter samlas in fran",
                "varifran kommer uppgifterna",
            ],
            RegisterField::ThirdCountryTransfer => &[
                "overforing tredje land",
                "overforing till tredje land",
                "tredjelandsoverforing",
                "tredjelandsoverforingar",
                "tredje land",
            ],
            RegisterField::System => &["system", "it system", "verksamhetssystem", "systemstod"],
            RegisterField::AutomatedDecisionMaking => &[
                "automatiserat beslutsfattande",
                "automatiserade beslut",
                "automatiserat beslut",
                "automatiserat beslutsfattande och profilering",
                "automatiserat beslutsfattande inklusive profilering",
            ],
            RegisterField::TransferSafeguards => &[
                "skyddsatgarder",
                "skyddsatgarder vid overforing",
                "skyddsatgarder vid overforing till tredje land",
                "lampliga skyddsatgarder",
                "skyddsatgarder for overforing",
            ],
        }
    }
}

/// The comparable form of a column title: [`fold_trimmed`], i.e. lower-case, accents folded
/// (å→a, ä→a, ö→o, é→e and any other letter with a combining mark, as the search folds them),
/// whitespace collapsed to single spaces, and punctuation trimmed from both ends.
///
/// ```
/// # use dsar::register::import::normalise_header;
/// assert_eq!(normalise_header("  Ändamål med\u{a0} behandlingen: "), "andamal med behandlingen");
/// ```
pub fn normalise_header(text: &str) -> String {
    fold_trimmed(text)
}

/// A normalised title as words: inner punctuation becomes a word break, so
/// "IT-system" and "Lagringstid/gallring" compare by their words.
fn word_key(normalised: &str) -> String {
    normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_written_in_their_compared_form() {
        for field in RegisterField::ALL {
            for variant in field.variants() {
                assert_eq!(word_key(&normalise_header(variant)), *variant);
                assert_eq!(
                    RegisterField::from_header(variant),
                    Some(field),
                    "{variant}"
                );
            }
        }
    }

    #[test]
    fn the_template_titles_are_recognised() {
        for field in RegisterField::ALL {
            assert_eq!(
                RegisterField::from_header(field.swedish_header()),
                Some(field)
            );
        }
    }

    #[test]
    fn prefixes_match_on_word_boundaries_only() {
        assert_eq!(
            RegisterField::from_header("Behandlingens ändamål"),
            Some(RegisterField::Purpose)
        );
        assert_eq!(RegisterField::from_header("Personuppgiftsbiträde"), None);
        assert_eq!(RegisterField::from_header("Systemförvaltare"), None);
        assert_eq!(
            RegisterField::from_header("IT-system"),
            Some(RegisterField::System)
        );
        assert_eq!(
            RegisterField::from_header("Lagringstid/gallring"),
            Some(RegisterField::Retention)
        );
        assert_eq!(
            RegisterField::from_header("RÄTTSLIG GRUND (art. 6)"),
            Some(RegisterField::LegalBasis)
        );
        assert_eq!(RegisterField::from_header(""), None);
    }

    #[test]
    fn titles_are_folded_like_the_search_folds_text() {
        assert_eq!(
            RegisterField::from_header("A\u{308}ndama\u{30a}l"),
            Some(RegisterField::Purpose)
        );
        // A soft hyphen or zero-width space left by a PDF or Word export is not a word break.
        assert_eq!(
            RegisterField::from_header("Ända\u{ad}mål"),
            Some(RegisterField::Purpose)
        );
        assert_eq!(
            RegisterField::from_header("Lagrings\u{200b}tid"),
            Some(RegisterField::Retention)
        );
        assert_eq!(normalise_header("\u{feff} Mottagare\t "), "mottagare");
    }
}
