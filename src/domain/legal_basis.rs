//! Legal bases of processing (GDPR Art. 6(1)) as written in a municipality's register of
//! processing activities, and the likely outcome of a data-subject request per activity
//! (`shared/design/domain.md` §1).
//!
//! The legal basis decides which rights apply:
//! * rectification (Art. 16) applies whatever the basis; it is refused only if the data is accurate;
//! * erasure (Art. 17) does not apply to processing necessary for a legal obligation or for a
//!   task in the public interest or the exercise of official authority (Art. 17(3)(b)), nor to
//!   archiving in the public interest (Art. 17(3)(d)): public documents (allmänna handlingar) are
//!   only destroyed under a gallringsbeslut (arkivlagen (1990:782));
//! * objection (Art. 21(1)) applies only to processing based on Art. 6(1)(e) (allmänt intresse,
//!   myndighetsutövning) or (f) (intresseavvägning);
//! * portability (Art. 20) applies only to processing based on consent or contract (Art. 20(1)(a))
//!   and never to public-interest or official-authority processing (Art. 20(3)).
//!
//! [`advise`] gives advice for the handläggare, never a decision: a person decides
//! (`shared/design/domain.md` §1, "The service proposes the likely outcome per activity").

use crate::domain::case::CaseKind;
use crate::domain::text::fold_words;

/// A legal basis of GDPR Art. 6(1), as the register names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    /// Allmänt intresse: a task carried out in the public interest, Art. 6(1)(e).
    PublicInterest,
    /// Myndighetsutövning: the exercise of official authority, Art. 6(1)(e).
    OfficialAuthority,
    /// Rättslig förpliktelse: a legal obligation, Art. 6(1)(c).
    LegalObligation,
    /// Avtal: a contract with the data subject, Art. 6(1)(b).
    Contract,
    /// Samtycke: consent, Art. 6(1)(a).
    Consent,
    /// Intresseavvägning (berättigat intresse): legitimate interests, Art. 6(1)(f).
    LegitimateInterest,
}

impl LegalBasis {
    /// Every basis, in the order of the enum.
    pub const ALL: [LegalBasis; 6] = [
        LegalBasis::PublicInterest,
        LegalBasis::OfficialAuthority,
        LegalBasis::LegalObligation,
        LegalBasis::Contract,
        LegalBasis::Consent,
        LegalBasis::LegitimateInterest,
    ];

    /// The Swedish name used in registers, e.g. "Rättslig förpliktelse".
    pub fn label_sv(self) -> &'static str {
        match self {
            LegalBasis::PublicInterest => "Allmänt intresse",
            LegalBasis::OfficialAuthority => "Myndighetsutövning",
            LegalBasis::LegalObligation => "Rättslig förpliktelse",
            LegalBasis::Contract => "Avtal",
            LegalBasis::Consent => "Samtycke",
            LegalBasis::LegitimateInterest => "Intresseavvägning",
        }
    }

    /// The point of GDPR Art. 6(1), e.g. "artikel 6.1 c".
    pub fn gdpr_article(self) -> &'static str {
        match self {
            LegalBasis::Consent => "artikel 6.1 a",
            LegalBasis::Contract => "artikel 6.1 b",
            LegalBasis::LegalObligation => "artikel 6.1 c",
            LegalBasis::PublicInterest | LegalBasis::OfficialAuthority => "artikel 6.1 e",
            LegalBasis::LegitimateInterest => "artikel 6.1 f",
        }
    }

    /// Art. 6(1)(e): public interest or official authority.
    fn is_public_task(self) -> bool {
        matches!(
            self,
            LegalBasis::PublicInterest | LegalBasis::OfficialAuthority
        )
    }
}

/// Word patterns naming a basis: each word of the cell must start with the pattern's word, so
/// that inflections match ("rättsliga förpliktelser", "avtalet", "myndighetsutövningen").
const PATTERNS: &[(&[&str], LegalBasis)] = &[
    (&["allman", "intresse"], LegalBasis::PublicInterest),
    (&["myndighetsutovning"], LegalBasis::OfficialAuthority),
    (&["rattslig", "forpliktelse"], LegalBasis::LegalObligation),
    (&["avtal"], LegalBasis::Contract),
    (&["samtycke"], LegalBasis::Consent),
    (&["intresseavvagning"], LegalBasis::LegitimateInterest),
    (&["berattig", "intresse"], LegalBasis::LegitimateInterest),
];

/// The basis named by a reference to GDPR Art. 6(1) starting at `words[i]`: "6.1 c",
/// "6(1)(c)", "6.1.c", "6.1c". Point (d), vital interests, has no variant here.
fn article_reference(words: &[String], i: usize) -> Option<LegalBasis> {
    if words[i] != "6" {
        return None;
    }
    let point = match (words.get(i + 1).map(String::as_str), words.get(i + 2)) {
        (Some("1"), Some(letter)) if letter.len() == 1 => letter.as_str(),
        (Some(one_letter), _) if one_letter.len() == 2 && one_letter.starts_with('1') => {
            &one_letter[1..]
        }
        _ => return None,
    };
    match point {
        "a" => Some(LegalBasis::Consent),
        "b" => Some(LegalBasis::Contract),
        "c" => Some(LegalBasis::LegalObligation),
        "e" => Some(LegalBasis::PublicInterest),
        "f" => Some(LegalBasis::LegitimateInterest),
        _ => None,
    }
}

/// The legal bases named in a register's "Rättslig grund" cell, in the order they appear,
/// without duplicates. Matching ignores case, accents and hyphens and finds every basis in the
/// cell: "Allmänt intresse, myndighetsutövning" gives `[PublicInterest, OfficialAuthority]`,
/// "Intresseav-vägning" gives `[LegitimateInterest]`, "Art. 6.1 c" gives `[LegalObligation]`.
/// An empty or unrecognised cell gives an empty list.
pub fn parse_legal_bases(cell: &str) -> Vec<LegalBasis> {
    let words = fold_words(cell);
    let mut found = Vec::new();
    for i in 0..words.len() {
        for (pattern, basis) in PATTERNS {
            let matches = words.len() >= i + pattern.len()
                && pattern
                    .iter()
                    .zip(&words[i..])
                    .all(|(p, w)| w.starts_with(p));
            if matches && !found.contains(basis) {
                found.push(*basis);
            }
        }
        if let Some(basis) = article_reference(&words, i) {
            if !found.contains(&basis) {
                found.push(basis);
            }
        }
    }
    found
}

/// Whether a retention ("Lagringstid") text says that the data is preserved ("bevaras",
/// "arkiveras"), i.e. kept as public documents that arkivlagen (1990:782) only lets a
/// gallringsbeslut destroy. "bevaras inte" / "ej bevaras" do not count.
pub fn is_preserved(retention_cell: &str) -> bool {
    let words = fold_words(retention_cell);
    words.iter().enumerate().any(|(i, w)| {
        let negated = |j: Option<usize>| {
            j.and_then(|j| words.get(j))
                .is_some_and(|n| n == "inte" || n == "ej")
        };
        (w.starts_with("bevara") || w.starts_with("arkivera"))
            && !negated(i.checked_sub(1))
            && !negated(Some(i + 1))
    })
}

/// The likely outcome of a request for one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LikelyOutcome {
    /// The right applies; the request is likely granted.
    LikelyGranted,
    /// An exception normally applies; the request is likely refused (with reasons).
    LikelyRefused,
    /// It depends on facts the handläggare must assess.
    Depends,
    /// The right does not apply to processing on this basis.
    NotApplicable,
}

/// Advice for the handläggare on one activity: not a decision.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Advice {
    /// The likely outcome.
    pub outcome: LikelyOutcome,
    /// Why, in Swedish, ending with "Bedömningen görs av handläggaren."
    pub reason_sv: String,
    /// The provision the advice rests on, e.g. "GDPR artikel 17.3 b".
    pub legal_reference: &'static str,
}

const ASSESSED_BY_HANDLER: &str = "Bedömningen görs av handläggaren.";

fn advice(
    outcome: LikelyOutcome,
    bases: &[LegalBasis],
    text: &str,
    legal_reference: &'static str,
) -> Advice {
    let subject = if bases.is_empty() {
        "Rättslig grund framgår inte av registret".to_owned()
    } else {
        let labels: Vec<&str> = bases.iter().map(|b| b.label_sv()).collect();
        format!("Rättslig grund {}", labels.join(", "))
    };
    Advice {
        outcome,
        reason_sv: format!("{subject}: {text} {ASSESSED_BY_HANDLER}"),
        legal_reference,
    }
}

/// The likely outcome of a request of `kind` for an activity with the given "Rättslig grund"
/// and "Lagringstid" cells. `Some` only for the rights that depend on the legal basis:
/// rectification (Art. 16), erasure (Art. 17), objection (Art. 21) and portability (Art. 20);
/// `None` for the other kinds.
///
/// Advice, not a decision: every reason ends with "Bedömningen görs av handläggaren."
pub fn advise(kind: CaseKind, legal_basis_cell: &str, retention_cell: &str) -> Option<Advice> {
    use LegalBasis::*;
    use LikelyOutcome::*;

    let bases = parse_legal_bases(legal_basis_cell);
    let has = |b: LegalBasis| bases.contains(&b);
    let public_task = bases.iter().any(|b| b.is_public_task());
    let preserved = is_preserved(retention_cell);

    let advice = match kind {
        CaseKind::Rectification => {
            let text = if preserved {
                "rätten till rättelse gäller oavsett rättslig grund (artikel 16); begäran avslås \
                 bara om uppgifterna är korrekta. Uppgifterna bevaras som allmänna handlingar: \
                 en rättelse kan göras genom en kompletterande uppgift."
            } else {
                "rätten till rättelse gäller oavsett rättslig grund (artikel 16); begäran avslås \
                 bara om uppgifterna är korrekta."
            };
            advice(LikelyGranted, &bases, text, "GDPR artikel 16")
        }
        CaseKind::Erasure => {
            if has(LegalObligation) {
                advice(
                    LikelyRefused,
                    &bases,
                    "rätten till radering gäller normalt inte (artikel 17.3 b).",
                    "GDPR artikel 17.3 b",
                )
            } else if preserved && bases.iter().all(|b| *b == Consent) && !bases.is_empty() {
                advice(
                    Depends,
                    &bases,
                    "om samtycket återkallas ska uppgifterna raderas (artikel 17.1 b), men enligt \
                     lagringstiden bevaras de därefter som allmänna handlingar, som får förstöras \
                     bara enligt ett gallringsbeslut (arkivlagen; artikel 17.3 d).",
                    "GDPR artikel 17.1 b och 17.3 d; arkivlagen (1990:782)",
                )
            } else if preserved {
                advice(
                    LikelyRefused,
                    &bases,
                    "enligt lagringstiden bevaras uppgifterna som allmänna handlingar, som får \
                     förstöras bara enligt ett gallringsbeslut (arkivlagen); rätten till radering \
                     gäller normalt inte (artikel 17.3 b och d).",
                    "GDPR artikel 17.3 b och d; arkivlagen (1990:782)",
                )
            } else if public_task {
                advice(
                    Depends,
                    &bases,
                    "rätten till radering gäller inte så länge uppgifterna behövs för uppgiften av \
                     allmänt intresse eller myndighetsutövningen (artikel 17.3 b); uppgifter som \
                     inte längre behövs ska raderas (artikel 17.1 a).",
                    "GDPR artikel 17.1 a och 17.3 b",
                )
            } else if has(Contract) {
                advice(
                    Depends,
                    &bases,
                    "uppgifterna ska raderas när de inte längre behövs för avtalet (artikel 17.1 a), \
                     men bokföringsregler och andra lagkrav kan kräva att de sparas (artikel 17.3 b).",
                    "GDPR artikel 17.1 a och 17.3 b",
                )
            } else if has(LegitimateInterest) {
                advice(
                    Depends,
                    &bases,
                    "uppgifterna ska raderas när de inte längre behövs (artikel 17.1 a) eller efter \
                     en invändning som inte möts av tvingande berättigade skäl (artikel 17.1 c).",
                    "GDPR artikel 17.1 a och c",
                )
            } else if has(Consent) {
                advice(
                    LikelyGranted,
                    &bases,
                    "den registrerade kan återkalla sitt samtycke och uppgifterna ska då raderas \
                     (artikel 17.1 b).",
                    "GDPR artikel 17.1 b",
                )
            } else {
                advice(
                    Depends,
                    &bases,
                    "vilka undantag i artikel 17.3 som gäller beror på den rättsliga grunden, som \
                     behöver klargöras.",
                    "GDPR artikel 17",
                )
            }
        }
        CaseKind::Objection => {
            if public_task || has(LegitimateInterest) {
                let text = if has(LegalObligation) {
                    "den registrerade har rätt att invända mot den del av behandlingen som grundar \
                     sig på artikel 6.1 e eller f, inte mot den som följer av en rättslig \
                     förpliktelse; behandlingen får fortsätta om nämnden visar tvingande \
                     berättigade skäl som väger tyngre än den registrerades intressen (artikel 21.1)."
                } else {
                    "den registrerade har rätt att invända; behandlingen får fortsätta bara om \
                     nämnden visar tvingande berättigade skäl som väger tyngre än den registrerades \
                     intressen, eller för rättsliga anspråk (artikel 21.1)."
                };
                advice(Depends, &bases, text, "GDPR artikel 21.1")
            } else if bases.is_empty() {
                advice(
                    Depends,
                    &bases,
                    "rätten att invända gäller bara behandling som grundar sig på artikel 6.1 e \
                     eller f (artikel 21.1); den rättsliga grunden behöver klargöras.",
                    "GDPR artikel 21.1",
                )
            } else if has(Consent) {
                advice(
                    NotApplicable,
                    &bases,
                    "rätten att invända gäller bara behandling som grundar sig på allmänt \
                     intresse, myndighetsutövning eller intresseavvägning (artikel 21.1); samtycket \
                     kan i stället återkallas (artikel 7.3).",
                    "GDPR artikel 21.1 och 7.3",
                )
            } else {
                advice(
                    NotApplicable,
                    &bases,
                    "rätten att invända gäller bara behandling som grundar sig på allmänt \
                     intresse, myndighetsutövning eller intresseavvägning (artikel 21.1).",
                    "GDPR artikel 21.1",
                )
            }
        }
        CaseKind::Portability => {
            let consent_or_contract = |b: &LegalBasis| matches!(b, Consent | Contract);
            if bases.is_empty() {
                advice(
                    Depends,
                    &bases,
                    "rätten till dataportabilitet gäller bara behandling som grundar sig på \
                     samtycke eller avtal (artikel 20.1 a); den rättsliga grunden behöver klargöras.",
                    "GDPR artikel 20.1 a",
                )
            } else if bases.iter().all(consent_or_contract) {
                advice(
                    LikelyGranted,
                    &bases,
                    "rätten till dataportabilitet gäller de uppgifter som den registrerade själv \
                     har lämnat och som behandlas automatiserat (artikel 20.1).",
                    "GDPR artikel 20.1",
                )
            } else if bases.iter().any(consent_or_contract) {
                advice(
                    Depends,
                    &bases,
                    "rätten till dataportabilitet gäller bara den del av behandlingen som grundar \
                     sig på samtycke eller avtal (artikel 20.1 a), inte behandling av allmänt \
                     intresse eller myndighetsutövning (artikel 20.3).",
                    "GDPR artikel 20.1 a och 20.3",
                )
            } else if public_task {
                advice(
                    NotApplicable,
                    &bases,
                    "rätten till dataportabilitet gäller inte behandling som är nödvändig för att \
                     utföra en uppgift av allmänt intresse eller som ett led i myndighetsutövning \
                     (artikel 20.3).",
                    "GDPR artikel 20.3",
                )
            } else {
                advice(
                    NotApplicable,
                    &bases,
                    "rätten till dataportabilitet gäller bara behandling som grundar sig på \
                     samtycke eller avtal (artikel 20.1 a).",
                    "GDPR artikel 20.1 a",
                )
            }
        }
        CaseKind::Access
        | CaseKind::Restriction
        | CaseKind::Information
        | CaseKind::AutomatedDecision => return None,
    };
    Some(advice)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_folded_like_the_register_search_folds_text() {
        assert_eq!(
            parse_legal_bases("Ra\u{308}ttslig fo\u{308}rpliktelse"),
            [LegalBasis::LegalObligation]
        );
        // Invisible characters from PDF and Word exports do not break a word.
        assert_eq!(
            parse_legal_bases("Sam\u{200b}tycke, intresseav\u{ad}vägning"),
            [LegalBasis::Consent, LegalBasis::LegitimateInterest]
        );
        assert!(is_preserved("Beva\u{200b}ras"));
    }
}
