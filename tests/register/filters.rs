//! The activity filters mean the same in the list (`Filters::matches`, used by
//! `GET /api/v1/register/activities`) and in the search (the index's filter lists, used by
//! `GET /api/v1/register/search`): for every filter value taken from the seed, the search with
//! the filter finds exactly the hits of the search without it that the filter matches.

use std::collections::BTreeSet;

use dsar::register::search::{Filters, SearchDoc, SearchIndex};

use crate::common::seed_docs;

/// The seed with every other activity moved to "Socialnämnden".
fn docs() -> Vec<SearchDoc> {
    seed_docs()
        .into_iter()
        .enumerate()
        .map(|(i, mut d)| {
            if i % 2 == 1 {
                d.controller = "Socialnämnden".to_owned();
            }
            d
        })
        .collect()
}

/// Filter values: every value in the seed, its parts, other spellings, and near misses.
fn values(docs: &[SearchDoc]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut controllers: BTreeSet<String> = docs.iter().map(|d| d.controller.clone()).collect();
    controllers.extend(["SOCIALNAMNDEN", "social", "byggnämnden", " "].map(String::from));
    let mut categories = BTreeSet::new();
    for category in docs.iter().flat_map(|d| &d.subject_categories) {
        categories.insert(category.clone());
        categories.insert(category.to_uppercase());
        categories.extend(category.split('/').map(str::to_owned));
    }
    categories.extend(["Medarb", "extern", "medborgare kommuninvanare"].map(String::from));
    let mut bases = BTreeSet::new();
    for cell in docs.iter().map(|d| &d.legal_basis) {
        bases.insert(cell.clone());
        bases.extend(cell.split([',', ' ']).map(str::to_owned));
    }
    bases.extend(["förpliktelse", "Intresseavvägning", "rattslig forpliktelse"].map(String::from));
    (
        controllers.into_iter().collect(),
        categories.into_iter().collect(),
        bases.into_iter().collect(),
    )
}

const QUERIES: [&str; 6] = [
    "hantera",
    "kontakt",
    "personuppgifter namn",
    "vigsel",
    "ärende medarbetare",
    "bildbank",
];

fn check(index: &SearchIndex, docs: &[SearchDoc], filters: &Filters) {
    for query in QUERIES {
        let all = index.search(query, &Filters::default(), 1000);
        let expected: BTreeSet<&str> = all
            .iter()
            .filter(|h| filters.matches_doc(docs.iter().find(|d| d.id == h.id).unwrap()))
            .map(|h| h.id.as_str())
            .collect();
        let filtered = index.search(query, filters, 1000);
        let got: BTreeSet<&str> = filtered.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(got, expected, "{query:?} with {filters:?}");
    }
}

#[test]
fn search_and_list_agree_on_every_single_filter() {
    let docs = docs();
    let index = SearchIndex::build(docs.clone());
    let (controllers, categories, bases) = values(&docs);
    for value in controllers {
        let filters = Filters {
            controller: Some(value),
            ..Filters::default()
        };
        check(&index, &docs, &filters);
    }
    for value in categories {
        let filters = Filters {
            subject_category: Some(value),
            ..Filters::default()
        };
        check(&index, &docs, &filters);
    }
    for value in bases {
        let filters = Filters {
            legal_basis: Some(value),
            ..Filters::default()
        };
        check(&index, &docs, &filters);
    }
}

#[test]
fn search_and_list_agree_on_combined_filters() {
    let docs = docs();
    let index = SearchIndex::build(docs.clone());
    for controller in [None, Some("socialnamnden"), Some("Kommunstyrelsen")] {
        for subject_category in [None, Some("Medarbetare"), Some("kommuninvånare")] {
            for legal_basis in [None, Some("Allmänt intresse"), Some("Avtal")] {
                let filters = Filters {
                    controller: controller.map(str::to_owned),
                    subject_category: subject_category.map(str::to_owned),
                    legal_basis: legal_basis.map(str::to_owned),
                };
                check(&index, &docs, &filters);
            }
        }
    }
}

#[test]
fn the_list_filter_reads_like_the_docs() {
    // docs/register-import.md, "Filtering activities".
    let categories = vec![
        "Medarbetare/konsulter".to_owned(),
        "Medborgare/kommuninvånare".to_owned(),
    ];
    let cell = "Allmänt intresse, myndighetsutövning";
    let matches = |filters: Filters| filters.matches("kommunstyrelsen", &categories, cell);
    let controller = |v: &str| Filters {
        controller: Some(v.to_owned()),
        ..Filters::default()
    };
    let category = |v: &str| Filters {
        subject_category: Some(v.to_owned()),
        ..Filters::default()
    };
    let basis = |v: &str| Filters {
        legal_basis: Some(v.to_owned()),
        ..Filters::default()
    };
    assert!(matches(controller("Kommunstyrelsen")));
    assert!(!matches(controller("kommun")));
    assert!(matches(category("medarbetare")));
    assert!(matches(category("Medborgare/kommuninvanare")));
    assert!(!matches(category("Medarb")));
    assert!(matches(basis("Myndighetsutövning")));
    assert!(matches(basis("allmant intresse")));
    assert!(!matches(basis("intresse")));
    assert!(matches(basis("  ")));
}
