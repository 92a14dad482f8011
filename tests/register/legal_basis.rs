//! Legal bases and the likely outcome of a request per activity.

use crate::common;

use common::seed_rows;
use dsar::domain::case::CaseKind;
use dsar::domain::legal_basis::{
    advise, is_preserved, parse_legal_bases, LegalBasis, LikelyOutcome,
};

use LegalBasis::*;
use LikelyOutcome::*;

const ALL_KINDS: [CaseKind; 8] = [
    CaseKind::Access,
    CaseKind::Rectification,
    CaseKind::Erasure,
    CaseKind::Restriction,
    CaseKind::Objection,
    CaseKind::Portability,
    CaseKind::Information,
    CaseKind::AutomatedDecision,
];

#[test]
fn parse_single_bases_in_any_case_or_spelling() {
    let cases: &[(&str, &[LegalBasis])] = &[
        ("Allmänt intresse", &[PublicInterest]),
        ("allmant intresse", &[PublicInterest]),
        ("ALLMÄNT INTRESSE", &[PublicInterest]),
        ("Uppgift av allmänt intresse", &[PublicInterest]),
        ("Myndighetsutövning", &[OfficialAuthority]),
        ("myndighetsutovning", &[OfficialAuthority]),
        ("Rättslig förpliktelse", &[LegalObligation]),
        ("rattslig forpliktelse", &[LegalObligation]),
        ("Rättsliga förpliktelser", &[LegalObligation]),
        ("Avtal", &[Contract]),
        ("Avtalet med den registrerade", &[Contract]),
        ("Samtycke", &[Consent]),
        ("SAMTYCKE", &[Consent]),
        ("Intresseavvägning", &[LegitimateInterest]),
        ("Intresseav-vägning", &[LegitimateInterest]),
        ("intresseavvagning", &[LegitimateInterest]),
        ("Berättigat intresse", &[LegitimateInterest]),
        ("Art. 6.1 a", &[Consent]),
        ("artikel 6.1 b", &[Contract]),
        ("6.1c", &[LegalObligation]),
        ("Art 6(1)(e)", &[PublicInterest]),
        ("6.1.f", &[LegitimateInterest]),
        ("", &[]),
        ("  ", &[]),
        ("Okänd", &[]),
        ("Artikel 6.1 d", &[]),
        ("Kollektivavtal", &[]),
    ];
    for (cell, expected) in cases {
        assert_eq!(parse_legal_bases(cell), *expected, "{cell:?}");
    }
}

#[test]
fn parse_several_bases_in_order_without_duplicates() {
    let cases: &[(&str, &[LegalBasis])] = &[
        (
            "Allmänt intresse, myndighetsutövning",
            &[PublicInterest, OfficialAuthority],
        ),
        (
            "Myndighetsutövning och allmänt intresse",
            &[OfficialAuthority, PublicInterest],
        ),
        ("Rättslig förpliktelse; Avtal", &[LegalObligation, Contract]),
        ("Samtycke / samtycke", &[Consent]),
        ("Rättslig förpliktelse (art. 6.1 c)", &[LegalObligation]),
        (
            "Avtal samt intresseavvägning",
            &[Contract, LegitimateInterest],
        ),
    ];
    for (cell, expected) in cases {
        assert_eq!(parse_legal_bases(cell), *expected, "{cell:?}");
    }
}

#[test]
fn parse_the_seed_registers_cells() {
    let expected: &[(&str, &[LegalBasis])] = &[
        ("Planera, leda och styra verksamheten", &[PublicInterest]),
        ("Utföra tillsyn, revision", &[PublicInterest]),
        ("Handlägga ärenden (beslutsfattande)", &[PublicInterest]),
        ("Upphandla/avropa, köpa in, beställa", &[PublicInterest]),
        ("Hantera valinformation", &[PublicInterest]),
        ("Administrera ekonomi", &[LegalObligation]),
        (
            "Administrera förtroendevalda samt sammanträdes-hantering",
            &[PublicInterest],
        ),
        ("Hantera handlingar", &[PublicInterest]),
        ("Administration av leveranser till arkiv", &[PublicInterest]),
        ("Bedriva kommunikation", &[PublicInterest]),
        (
            "Bildbank för kommunens kommunikations-material",
            &[LegitimateInterest],
        ),
        ("Bildbank för kommunens kommunikations-material", &[Consent]),
        ("Förvalta IT och teknisk kommunikation", &[PublicInterest]),
        ("Erbjuda borgerlig vigsel", &[PublicInterest]),
        ("Ärendehantering i Kontaktcenter", &[PublicInterest]),
        ("Hantera medborgarförslag", &[PublicInterest]),
        ("Hantera synpunkter och klagomål", &[PublicInterest]),
        ("Hantering av färdtjänst", &[PublicInterest]),
        ("Hantera begäran enligt GDPR", &[LegalObligation]),
        ("Hantera tillgänglighet till kommunens lokaler", &[Contract]),
    ];
    let rows = seed_rows();
    assert_eq!(rows.len(), expected.len());
    for (row, (name, bases)) in rows.iter().zip(expected) {
        assert_eq!(row.name, *name);
        assert_eq!(
            parse_legal_bases(&row.legal_basis),
            *bases,
            "{name}: {:?}",
            row.legal_basis
        );
    }
}

#[test]
fn preserved_retention_is_detected() {
    for (retention, preserved) in [
        ("Bevaras", true),
        ("bevaras", true),
        ("Beslutsunderlag samt protokoll bevaras.", true),
        (
            "Intyg om hindersprövning bevaras Vigselbevis gallras vid inaktualitet",
            true,
        ),
        ("Arkiveras efter avslutat ärende", true),
        ("Bevaras ej", false),
        ("Bevaras inte", false),
        ("Ska ej bevaras", false),
        ("Gallras efter 3 år", false),
        ("2 år", false),
        ("", false),
    ] {
        assert_eq!(is_preserved(retention), preserved, "{retention:?}");
    }
}

/// The expected outcome of each kind for each basis alone, when the data is not preserved.
fn expected(kind: CaseKind, basis: LegalBasis) -> Option<(LikelyOutcome, &'static str)> {
    use CaseKind as K;
    Some(match (kind, basis) {
        (K::Access | K::Restriction | K::Information | K::AutomatedDecision, _) => return None,
        (K::Rectification, _) => (LikelyGranted, "GDPR artikel 16"),
        (K::Erasure, LegalObligation) => (LikelyRefused, "GDPR artikel 17.3 b"),
        (K::Erasure, PublicInterest | OfficialAuthority) => {
            (Depends, "GDPR artikel 17.1 a och 17.3 b")
        }
        (K::Erasure, Contract) => (Depends, "GDPR artikel 17.1 a och 17.3 b"),
        (K::Erasure, LegitimateInterest) => (Depends, "GDPR artikel 17.1 a och c"),
        (K::Erasure, Consent) => (LikelyGranted, "GDPR artikel 17.1 b"),
        (K::Objection, PublicInterest | OfficialAuthority | LegitimateInterest) => {
            (Depends, "GDPR artikel 21.1")
        }
        (K::Objection, LegalObligation | Contract) => (NotApplicable, "GDPR artikel 21.1"),
        (K::Objection, Consent) => (NotApplicable, "GDPR artikel 21.1 och 7.3"),
        (K::Portability, Consent | Contract) => (LikelyGranted, "GDPR artikel 20.1"),
        (K::Portability, PublicInterest | OfficialAuthority) => {
            (NotApplicable, "GDPR artikel 20.3")
        }
        (K::Portability, LegalObligation | LegitimateInterest) => {
            (NotApplicable, "GDPR artikel 20.1 a")
        }
    })
}

#[test]
fn every_kind_for_every_basis() {
    let mut checked = 0;
    for kind in ALL_KINDS {
        for basis in LegalBasis::ALL {
            for cell in [basis.label_sv().to_owned(), basis.label_sv().to_lowercase()] {
                let advice = advise(kind, &cell, "Gallras efter 2 år");
                match expected(kind, basis) {
                    None => assert!(advice.is_none(), "{kind:?} {basis:?}"),
                    Some((outcome, reference)) => {
                        let advice = advice.unwrap_or_else(|| panic!("{kind:?} {basis:?}"));
                        assert_eq!(advice.outcome, outcome, "{kind:?} {basis:?}");
                        assert_eq!(advice.legal_reference, reference, "{kind:?} {basis:?}");
                        let prefix = format!("Rättslig grund {}: ", basis.label_sv());
                        assert!(
                            advice.reason_sv.starts_with(&prefix),
                            "{}",
                            advice.reason_sv
                        );
                        assert!(
                            advice
                                .reason_sv
                                .ends_with(" Bedömningen görs av handläggaren."),
                            "{}",
                            advice.reason_sv
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 4 * 6 * 2);
}

#[test]
fn erasure_of_preserved_public_documents_is_likely_refused() {
    for (basis, outcome, reference) in [
        (
            PublicInterest,
            LikelyRefused,
            "GDPR artikel 17.3 b och d; arkivlagen (1990:782)",
        ),
        (
            OfficialAuthority,
            LikelyRefused,
            "GDPR artikel 17.3 b och d; arkivlagen (1990:782)",
        ),
        (LegalObligation, LikelyRefused, "GDPR artikel 17.3 b"),
        (
            Contract,
            LikelyRefused,
            "GDPR artikel 17.3 b och d; arkivlagen (1990:782)",
        ),
        (
            LegitimateInterest,
            LikelyRefused,
            "GDPR artikel 17.3 b och d; arkivlagen (1990:782)",
        ),
        (
            Consent,
            Depends,
            "GDPR artikel 17.1 b och 17.3 d; arkivlagen (1990:782)",
        ),
    ] {
        let advice = advise(CaseKind::Erasure, basis.label_sv(), "Bevaras").unwrap();
        assert_eq!(advice.outcome, outcome, "{basis:?}");
        assert_eq!(advice.legal_reference, reference, "{basis:?}");
    }
    // Preservation does not change the other rights.
    for kind in [
        CaseKind::Objection,
        CaseKind::Portability,
        CaseKind::Rectification,
    ] {
        for basis in LegalBasis::ALL {
            let advice = advise(kind, basis.label_sv(), "Bevaras").unwrap();
            assert_eq!(Some(advice.outcome), expected(kind, basis).map(|e| e.0));
        }
    }
}

#[test]
fn erasure_under_a_legal_obligation_reads_as_advice() {
    let advice = advise(CaseKind::Erasure, "Rättslig förpliktelse", "").unwrap();
    assert_eq!(advice.outcome, LikelyRefused);
    assert_eq!(
        advice.reason_sv,
        "Rättslig grund Rättslig förpliktelse: rätten till radering gäller normalt inte \
         (artikel 17.3 b). Bedömningen görs av handläggaren."
    );
    assert_eq!(advice.legal_reference, "GDPR artikel 17.3 b");
}

#[test]
fn rectification_of_preserved_documents_is_by_supplement() {
    let advice = advise(CaseKind::Rectification, "Allmänt intresse", "Bevaras").unwrap();
    assert_eq!(advice.outcome, LikelyGranted);
    assert!(advice.reason_sv.contains("kompletterande uppgift"));
    let advice = advise(CaseKind::Rectification, "Allmänt intresse", "2 år").unwrap();
    assert!(!advice.reason_sv.contains("kompletterande uppgift"));
    assert!(advice
        .reason_sv
        .contains("avslås bara om uppgifterna är korrekta"));
}

#[test]
fn cells_naming_several_bases() {
    let cases = [
        (
            "Allmänt intresse, rättslig förpliktelse",
            CaseKind::Erasure,
            LikelyRefused,
        ),
        (
            "Allmänt intresse, rättslig förpliktelse",
            CaseKind::Objection,
            Depends,
        ),
        (
            "Allmänt intresse, rättslig förpliktelse",
            CaseKind::Portability,
            NotApplicable,
        ),
        (
            "Allmänt intresse, myndighetsutövning",
            CaseKind::Objection,
            Depends,
        ),
        (
            "Allmänt intresse, myndighetsutövning",
            CaseKind::Portability,
            NotApplicable,
        ),
        ("Avtal, allmänt intresse", CaseKind::Portability, Depends),
        ("Avtal, samtycke", CaseKind::Portability, LikelyGranted),
        ("Samtycke, avtal", CaseKind::Erasure, Depends),
        (
            "Samtycke, rättslig förpliktelse",
            CaseKind::Objection,
            NotApplicable,
        ),
    ];
    for (cell, kind, outcome) in cases {
        let advice = advise(kind, cell, "").unwrap();
        assert_eq!(advice.outcome, outcome, "{cell} {kind:?}");
    }
    let advice = advise(
        CaseKind::Objection,
        "Allmänt intresse, rättslig förpliktelse",
        "",
    )
    .unwrap();
    assert!(advice
        .reason_sv
        .starts_with("Rättslig grund Allmänt intresse, Rättslig förpliktelse: "));
    assert!(advice
        .reason_sv
        .contains("inte mot den som följer av en rättslig förpliktelse"));
}

#[test]
fn an_unknown_basis_needs_the_handlers_assessment() {
    for cell in ["", "Se bilaga"] {
        let rect = advise(CaseKind::Rectification, cell, "").unwrap();
        assert_eq!(rect.outcome, LikelyGranted);
        for kind in [
            CaseKind::Erasure,
            CaseKind::Objection,
            CaseKind::Portability,
        ] {
            let advice = advise(kind, cell, "").unwrap();
            assert_eq!(advice.outcome, Depends, "{kind:?}");
            assert!(advice
                .reason_sv
                .starts_with("Rättslig grund framgår inte av registret: "));
            assert!(advice.reason_sv.contains("behöver klargöras"));
        }
        let archived = advise(CaseKind::Erasure, cell, "Bevaras").unwrap();
        assert_eq!(archived.outcome, LikelyRefused);
    }
}

#[test]
fn the_seed_registers_activities() {
    // (erasure, objection, portability) per seed activity, from its legal basis and retention.
    let expected = [
        (LikelyRefused, Depends, NotApplicable), // Planera, leda och styra: bevaras
        (LikelyRefused, Depends, NotApplicable), // Utföra tillsyn: bevaras
        (LikelyRefused, Depends, NotApplicable), // Handlägga ärenden: protokoll bevaras
        (LikelyRefused, Depends, NotApplicable), // Upphandla: upphandlingsdokument bevaras
        (Depends, Depends, NotApplicable),       // Hantera valinformation: radering
        (LikelyRefused, NotApplicable, NotApplicable), // Administrera ekonomi: rättslig förpliktelse
        (LikelyRefused, Depends, NotApplicable),       // Administrera förtroendevalda: bevaras
        (LikelyRefused, Depends, NotApplicable),       // Hantera handlingar: bevaras eller gallras
        (Depends, Depends, NotApplicable),             // Leveranser till arkiv: vid inaktualitet
        (LikelyRefused, Depends, NotApplicable),       // Bedriva kommunikation: bevaras
        (LikelyRefused, Depends, NotApplicable),       // Bildbank, intresseavvägning: bevaras
        (Depends, NotApplicable, LikelyGranted),       // Bildbank, samtycke: gallras, sedan arkiv
        (LikelyRefused, Depends, NotApplicable),       // Förvalta IT: kontoinformation bevaras
        (LikelyRefused, Depends, NotApplicable),       // Borgerlig vigsel: vigselbok bevaras
        (Depends, Depends, NotApplicable),             // Ärendehantering i Kontaktcenter: 2 år
        (LikelyRefused, Depends, NotApplicable),       // Medborgarförslag: bevaras
        (LikelyRefused, Depends, NotApplicable),       // Synpunkter och klagomål: bevaras
        (Depends, Depends, NotApplicable),             // Färdtjänst: gallras efter 3 år
        (LikelyRefused, NotApplicable, NotApplicable), // Begäran enligt GDPR: rättslig förpliktelse
        (Depends, NotApplicable, LikelyGranted),       // Tillgänglighet till lokaler: avtal
    ];
    let rows = seed_rows();
    assert_eq!(rows.len(), expected.len());
    for (row, (erasure, objection, portability)) in rows.iter().zip(expected) {
        let outcome = |kind| {
            advise(kind, &row.legal_basis, &row.retention)
                .unwrap()
                .outcome
        };
        assert_eq!(outcome(CaseKind::Erasure), erasure, "erasure: {}", row.name);
        assert_eq!(
            outcome(CaseKind::Objection),
            objection,
            "objection: {}",
            row.name
        );
        assert_eq!(
            outcome(CaseKind::Portability),
            portability,
            "portability: {}",
            row.name
        );
        assert_eq!(
            outcome(CaseKind::Rectification),
            LikelyGranted,
            "{}",
            row.name
        );
        for kind in [
            CaseKind::Access,
            CaseKind::Restriction,
            CaseKind::Information,
            CaseKind::AutomatedDecision,
        ] {
            assert!(advise(kind, &row.legal_basis, &row.retention).is_none());
        }
    }
}

#[test]
fn labels_and_articles() {
    let labels: Vec<&str> = LegalBasis::ALL.iter().map(|b| b.label_sv()).collect();
    assert_eq!(
        labels,
        [
            "Allmänt intresse",
            "Myndighetsutövning",
            "Rättslig förpliktelse",
            "Avtal",
            "Samtycke",
            "Intresseavvägning"
        ]
    );
    for basis in LegalBasis::ALL {
        assert_eq!(parse_legal_bases(basis.label_sv()), [basis]);
    }
    let articles: Vec<&str> = LegalBasis::ALL.iter().map(|b| b.gdpr_article()).collect();
    assert_eq!(
        articles,
        [
            "artikel 6.1 e",
            "artikel 6.1 e",
            "artikel 6.1 c",
            "artikel 6.1 b",
            "artikel 6.1 a",
            "artikel 6.1 f"
        ]
    );
}

#[test]
fn advice_serialises_in_snake_case() {
    let advice = advise(CaseKind::Erasure, "Rättslig förpliktelse", "").unwrap();
    let json = serde_json::to_value(&advice).unwrap();
    assert_eq!(json["outcome"], "likely_refused");
    assert_eq!(json["legal_reference"], "GDPR artikel 17.3 b");
    assert!(json["reason_sv"]
        .as_str()
        .unwrap()
        .starts_with("Rättslig grund"));
    assert_eq!(
        serde_json::to_value(LegalBasis::ALL).unwrap(),
        serde_json::json!([
            "public_interest",
            "official_authority",
            "legal_obligation",
            "contract",
            "consent",
            "legitimate_interest"
        ])
    );
    assert_eq!(
        serde_json::to_value([LikelyGranted, LikelyRefused, Depends, NotApplicable]).unwrap(),
        serde_json::json!([
            "likely_granted",
            "likely_refused",
            "depends",
            "not_applicable"
        ])
    );
}
