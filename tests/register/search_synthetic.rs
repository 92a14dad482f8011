//! A synthetic register of 10,000 activities generated deterministically from the seed's words
//! (timing is measured by `examples/search_bench.rs`, not here).

use crate::common;

use common::{synthetic_docs, PLANTED_ID, PLANTED_NAME};
use dsar::register::search::{Field, Filters, SearchIndex};
use std::sync::OnceLock;

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| SearchIndex::build(synthetic_docs(10_000)))
}

#[test]
fn the_synthetic_register_has_ten_thousand_activities() {
    let docs = synthetic_docs(10_000);
    assert_eq!(docs.len(), 10_000);
    assert_eq!(index().len(), 10_000);
    assert_eq!(docs.iter().filter(|d| d.id == PLANTED_ID).count(), 1);
    // Deterministic: generated alike every time.
    let again = synthetic_docs(10_000);
    assert!(docs
        .iter()
        .zip(&again)
        .all(|(a, b)| a.id == b.id && a.name == b.name));
}

#[test]
fn a_planted_unique_activity_comes_first() {
    for query in [
        "hundregistrering",
        "Hundregistrering",
        "kattlicenser",
        "djurskyddsenheten",
        "hundregistrering kattlicenser",
        PLANTED_NAME,
        "hundregistreringen",
    ] {
        let hits = index().search(query, &Filters::default(), 10);
        assert_eq!(
            hits.first().map(|h| h.id.as_str()),
            Some(PLANTED_ID),
            "{query}"
        );
    }
    let hits = index().search("hundregistrering", &Filters::default(), 10);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched_fields, [Field::Name]);
}

#[test]
fn a_planted_activity_among_common_words_comes_first_by_its_name() {
    // Every word of the query occurs in thousands of generated activities.
    let hits = index().search("kattlicenser registrera namn", &Filters::default(), 10);
    assert_eq!(hits[0].id, PLANTED_ID);
    assert_eq!(
        hits[0].matched_terms,
        ["kattlicenser", "registrera", "namn"]
    );
    assert!(hits.len() == 10);
}

#[test]
fn a_seed_activity_is_found_by_its_name_among_ten_thousand() {
    for (query, id) in [
        ("Ärendehantering i Kontaktcenter", "ks-15"),
        ("arendehantering i kontaktcenter", "ks-15"),
        ("Hantera begäran enligt GDPR", "ks-19"),
        ("Hantering av färdtjänst", "ks-18"),
    ] {
        let hits = index().search(query, &Filters::default(), 5);
        assert_eq!(hits[0].id, id, "{query}");
    }
}

#[test]
fn filters_apply_among_ten_thousand() {
    let filters = Filters {
        controller: Some("Miljö-och-byggnämnden".to_owned()),
        legal_basis: Some("Myndighetsutövning".to_owned()),
        ..Filters::default()
    };
    let hits = index().search("hundregistrering namn", &filters, 50);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, PLANTED_ID);
    let other = Filters {
        controller: Some("socialnämnden".to_owned()),
        ..Filters::default()
    };
    assert!(index().search("hundregistrering", &other, 50).is_empty());
}

#[test]
fn common_queries_are_deterministic_and_limited() {
    for query in [
        "kontakt",
        "hantera medarbetare",
        "personnummer",
        "ärenden bevaras",
    ] {
        let a = index().search(query, &Filters::default(), 20);
        let b = index().search(query, &Filters::default(), 20);
        assert_eq!(a.len(), 20, "{query}");
        let ids =
            |h: &[dsar::register::search::Hit]| h.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b), "{query}");
        for pair in a.windows(2) {
            assert!(pair[0].score >= pair[1].score, "{query}");
        }
        // The first 5 of a limit of 5 are the first 5 of a limit of 20.
        let five = index().search(query, &Filters::default(), 5);
        assert_eq!(ids(&five), ids(&a)[..5].to_vec(), "{query}");
    }
}
