//! Search over the seed register (Södertälje kommunstyrelse, 20 activities).

use crate::common;

use common::{seed_docs, seed_id, seed_name};
use dsar::register::search::{normalise, tokens, Field, Filters, Hit, SearchDoc, SearchIndex};

fn index() -> SearchIndex {
    SearchIndex::build(seed_docs())
}

fn search(query: &str) -> Vec<Hit> {
    index().search(query, &Filters::default(), 50)
}

fn names(hits: &[Hit]) -> Vec<String> {
    hits.iter().map(|h| seed_name(&h.id)).collect()
}

fn first(query: &str) -> Hit {
    search(query)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("no hit for {query:?}"))
}

#[test]
fn the_seed_has_twenty_activities() {
    let docs = seed_docs();
    assert_eq!(docs.len(), 20);
    assert_eq!(index().len(), 20);
    assert!(!index().is_empty());
    // The row with an empty first cell continues "Bildbank ..." as another activity.
    assert_eq!(
        docs[10].name,
        "Bildbank för kommunens kommunikations-material"
    );
    assert_eq!(docs[11].name, docs[10].name);
    assert_eq!(docs[11].legal_basis, "Samtycke");
    assert_eq!(
        docs[19].name,
        "Hantera tillgänglighet till kommunens lokaler"
    );
}

#[test]
fn an_empty_index_finds_nothing() {
    let empty = SearchIndex::build(Vec::new());
    assert!(empty.is_empty());
    assert_eq!(empty.len(), 0);
    assert!(empty.search("vigsel", &Filters::default(), 10).is_empty());
}

#[test]
fn compound_with_and_without_diacritics() {
    for query in [
        "ärendehantering",
        "arendehantering",
        "Ärendehantering",
        "ARENDEHANTERING",
        "A\u{308}rendehantering",
    ] {
        let hits = search(query);
        assert_eq!(names(&hits), ["Ärendehantering i Kontaktcenter"], "{query}");
        assert_eq!(hits[0].matched_fields, [Field::Name], "{query}");
        assert_eq!(hits[0].matched_terms, ["arendehantering"], "{query}");
    }
}

#[test]
fn inflected_arenden_finds_the_activity_named_by_it_first() {
    let hits = search("ärenden");
    assert_eq!(
        names(&hits),
        [
            "Handlägga ärenden (beslutsfattande)",
            "Ärendehantering i Kontaktcenter",
            "Hantera synpunkter och klagomål",
            "Hantera medborgarförslag",
        ]
    );
    assert_eq!(hits[0].matched_fields, [Field::Name, Field::Purpose]);
    assert_eq!(hits[1].matched_fields, [Field::Purpose]);
    assert_eq!(hits[0].matched_terms, ["arenden"]);
    // "ärendet" and "arenden" have the same stem and find the same activities.
    for query in ["ärendet", "arenden", "ärende"] {
        let mut same: Vec<String> = search(query).iter().map(|h| h.id.clone()).collect();
        let mut expected: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        same.sort();
        expected.sort();
        assert_eq!(same, expected, "{query}");
    }
}

#[test]
fn a_word_finds_the_compounds_that_start_with_it() {
    // "ärende" (6 letters) is a prefix of "Ärendehantering" and "ärendeuppgifter".
    let hits = search("ärende");
    let kontaktcenter = hits
        .iter()
        .find(|h| h.id == seed_id("Ärendehantering i Kontaktcenter"))
        .expect("Ärendehantering i Kontaktcenter found by ärende");
    assert_eq!(
        kontaktcenter.matched_fields,
        [Field::Name, Field::Purpose, Field::DataCategories]
    );
    assert_eq!(names(&hits[..2]).len(), 2);
    assert!(names(&hits[..2]).contains(&"Handlägga ärenden (beslutsfattande)".to_owned()));
    assert!(names(&hits[..2]).contains(&"Ärendehantering i Kontaktcenter".to_owned()));
}

#[test]
fn faktura_and_fakturor() {
    for query in ["fakturor", "faktura", "Fakturorna"] {
        let hits = search(query);
        assert_eq!(names(&hits), ["Administrera ekonomi"], "{query}");
        assert_eq!(hits[0].matched_fields, [Field::Purpose], "{query}");
    }
}

#[test]
fn vigsel_and_vigslar() {
    for query in ["vigsel", "vigslar", "Vigseln", "VIGSEL"] {
        let hits = search(query);
        assert_eq!(names(&hits), ["Erbjuda borgerlig vigsel"], "{query}");
        assert_eq!(
            hits[0].matched_fields,
            [Field::Name, Field::Purpose],
            "{query}"
        );
        assert_eq!(hits[0].matched_terms, [normalise(query)], "{query}");
    }
}

#[test]
fn several_words() {
    let hits = search("borgerlig vigsel");
    assert_eq!(names(&hits), ["Erbjuda borgerlig vigsel"]);
    assert_eq!(hits[0].matched_terms, ["borgerlig", "vigsel"]);
    assert_eq!(hits[0].matched_fields, [Field::Name, Field::Purpose]);

    let hits = search("begäran gdpr");
    assert_eq!(names(&hits), ["Hantera begäran enligt GDPR"]);
    assert_eq!(hits[0].matched_terms, ["begaran", "gdpr"]);
    assert_eq!(hits[0].matched_fields, [Field::Name, Field::Purpose]);
    assert_eq!(first("begaran GDPR").id, hits[0].id);
}

#[test]
fn documents_matching_more_terms_rank_above_those_matching_fewer() {
    let hits = search("kontaktcenter ärenden");
    assert_eq!(
        names(&hits),
        [
            "Ärendehantering i Kontaktcenter",
            "Handlägga ärenden (beslutsfattande)",
            "Hantera synpunkter och klagomål",
            "Hantera medborgarförslag",
        ]
    );
    assert_eq!(hits[0].matched_terms, ["kontaktcenter", "arenden"]);
    for hit in &hits[1..] {
        assert_eq!(hit.matched_terms, ["arenden"]);
        assert!(hit.score < hits[0].score);
    }
    // The integer part of the score (without a phrase match) is the number of matched terms.
    assert_eq!(hits[0].score.floor(), 2.0);
    assert_eq!(hits[1].score.floor(), 1.0);
}

#[test]
fn prefix_kontakt() {
    let hits = search("kontakt");
    assert_eq!(hits[0].id, seed_id("Ärendehantering i Kontaktcenter"));
    assert_eq!(
        hits[0].matched_fields,
        [Field::Name, Field::Purpose, Field::DataCategories]
    );
    // Exactly the activities with a word that starts with "kontakt" in a searched field.
    let mut expected: Vec<String> = seed_docs()
        .into_iter()
        .filter(|d| {
            let texts = [d.name.clone(), d.purpose.clone()]
                .into_iter()
                .chain(d.subject_categories.clone())
                .chain(d.data_categories.clone());
            texts
                .flat_map(|t| tokens(&t))
                .any(|w| w.starts_with("kontakt"))
        })
        .map(|d| d.id)
        .collect();
    let mut found: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
    expected.sort();
    found.sort();
    assert_eq!(found, expected);
    assert_eq!(found.len(), 17);
}

#[test]
fn prefix_matching_needs_four_letters() {
    // "kon" is no prefix match (and no word of the register), so nothing is found.
    assert!(search("kon").is_empty());
    assert!(!search("kont").is_empty());
}

#[test]
fn bildbank_returns_both_bildbank_activities_first() {
    let hits = search("Bildbank");
    assert_eq!(hits.len(), 2);
    assert_eq!(
        names(&hits),
        [
            "Bildbank för kommunens kommunikations-material",
            "Bildbank för kommunens kommunikations-material",
        ]
    );
    let mut ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["ks-11", "ks-12"]);
    for hit in &hits {
        assert_eq!(hit.matched_fields, [Field::Name, Field::Purpose]);
        assert_eq!(hit.matched_terms, ["bildbank"]);
    }
}

#[test]
fn the_activity_named_by_the_query_comes_first() {
    for doc in seed_docs() {
        let hits = search(&doc.name);
        let top_name = seed_name(&hits[0].id);
        assert_eq!(top_name, doc.name, "query {:?}", doc.name);
        // Its name matches, and so does every query term.
        assert!(hits[0].matched_fields.contains(&Field::Name));
        assert_eq!(
            hits[0].matched_terms,
            tokens(&doc.name)
                .into_iter()
                .fold(Vec::<String>::new(), |mut acc, t| {
                    if !acc.contains(&t) {
                        acc.push(t);
                    }
                    acc
                })
        );
    }
}

#[test]
fn a_hyphenated_name_is_found_by_the_joined_compound() {
    let hits = search("sammanträdeshantering");
    assert_eq!(
        names(&hits),
        ["Administrera förtroendevalda samt sammanträdes-hantering"]
    );
    assert_eq!(hits[0].matched_fields, [Field::Name]);
}

#[test]
fn matched_fields_cover_subject_and_data_categories() {
    let hits = search("personnummer");
    assert_eq!(hits.len(), 9);
    for hit in &hits {
        assert_eq!(hit.matched_fields, [Field::DataCategories], "{}", hit.id);
    }
    let hits = search("förtroendevalda");
    let ks07 = hits.iter().find(|h| h.id == "ks-07").unwrap();
    // Its purpose speaks of "förtroendemannaregister", which "förtroendevalda" does not match.
    assert_eq!(ks07.matched_fields, [Field::Name, Field::SubjectCategories]);
    assert_eq!(hits[0].id, "ks-07");
    let ks11 = hits.iter().find(|h| h.id == "ks-11").unwrap();
    assert_eq!(ks11.matched_fields, [Field::SubjectCategories]);
}

#[test]
fn results_are_sorted_by_score_then_name_then_id() {
    let hits = search("hantera");
    for pair in hits.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(
            a.score > b.score
                || (a.score == b.score && (seed_name(&a.id), &a.id) <= (seed_name(&b.id), &b.id)),
            "{a:?} before {b:?}"
        );
    }
    // Three activities whose name is "Hantera <one word>" tie, and are ordered by name.
    assert_eq!(
        names(&hits[..3]),
        [
            "Hantera handlingar",
            "Hantera medborgarförslag",
            "Hantera valinformation"
        ]
    );
    assert_eq!(hits[0].score, hits[1].score);
    assert_eq!(hits[1].score, hits[2].score);
}

#[test]
fn limit_cuts_the_ranked_list() {
    let all = search("kontakt");
    for limit in [1, 3, 7, 19, 100] {
        let cut = index().search("kontakt", &Filters::default(), limit);
        let expected: Vec<&str> = all.iter().take(limit).map(|h| h.id.as_str()).collect();
        let got: Vec<&str> = cut.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(got, expected, "limit {limit}");
    }
    assert!(index().search("kontakt", &Filters::default(), 0).is_empty());
}

#[test]
fn no_match_and_empty_queries_give_nothing() {
    for query in ["xyzzy", "", "   ", "och i att", ",;-/", "kvantfysik"] {
        assert!(search(query).is_empty(), "{query:?}");
    }
}

/// The seed under two controllers: "kommunstyrelsen" (ks-NN) and "Socialnämnden" (sn-NN).
fn two_controllers() -> SearchIndex {
    let mut docs = seed_docs();
    let social: Vec<SearchDoc> = seed_docs()
        .into_iter()
        .map(|mut d| {
            d.id = d.id.replace("ks-", "sn-");
            d.controller = "Socialnämnden".to_owned();
            d
        })
        .collect();
    docs.extend(social);
    SearchIndex::build(docs)
}

fn ids(hits: &[Hit]) -> Vec<&str> {
    hits.iter().map(|h| h.id.as_str()).collect()
}

#[test]
fn filter_by_controller() {
    let index = two_controllers();
    let all = index.search("vigsel", &Filters::default(), 10);
    assert_eq!(ids(&all), ["ks-14", "sn-14"]);
    for controller in ["kommunstyrelsen", "Kommunstyrelsen", " KOMMUNSTYRELSEN "] {
        let filters = Filters {
            controller: Some(controller.to_owned()),
            ..Filters::default()
        };
        assert_eq!(ids(&index.search("vigsel", &filters, 10)), ["ks-14"]);
    }
    for controller in ["Socialnämnden", "socialnamnden", "SOCIALNÄMNDEN"] {
        let filters = Filters {
            controller: Some(controller.to_owned()),
            ..Filters::default()
        };
        assert_eq!(ids(&index.search("vigsel", &filters, 10)), ["sn-14"]);
    }
    let unknown = Filters {
        controller: Some("byggnamnden".to_owned()),
        ..Filters::default()
    };
    assert!(index.search("vigsel", &unknown, 10).is_empty());
    let blank = Filters {
        controller: Some("  ".to_owned()),
        ..Filters::default()
    };
    assert_eq!(ids(&index.search("vigsel", &blank, 10)), ["ks-14", "sn-14"]);
}

fn has_category(doc: &SearchDoc, category: &str) -> bool {
    doc.subject_categories.iter().any(|c| {
        normalise(c) == category || c.split('/').any(|part| normalise(part.trim()) == category)
    })
}

#[test]
fn filter_by_subject_category() {
    let index = index();
    let docs = seed_docs();
    let filters = Filters {
        subject_category: Some("Medarbetare".to_owned()),
        ..Filters::default()
    };
    let unfiltered = index.search("hantera", &Filters::default(), 50);
    let filtered = index.search("hantera", &filters, 50);
    let expected: Vec<&str> = unfiltered
        .iter()
        .filter(|h| has_category(docs.iter().find(|d| d.id == h.id).unwrap(), "medarbetare"))
        .map(|h| h.id.as_str())
        .collect();
    assert_eq!(ids(&filtered), expected);
    assert!(!filtered.is_empty());
    // Activities about citizens only are filtered out.
    for excluded in [
        "Hantera valinformation",
        "Hantera medborgarförslag",
        "Hantera synpunkter och klagomål",
    ] {
        assert!(
            !ids(&filtered).contains(&seed_id(excluded).as_str()),
            "{excluded}"
        );
        assert!(
            ids(&unfiltered).contains(&seed_id(excluded).as_str()),
            "{excluded}"
        );
    }
    // A "/"-joined category is found by its whole and by each part.
    for category in [
        "Medborgare/kommuninvånare",
        "medborgare/kommuninvanare",
        "kommuninvånare",
    ] {
        let filters = Filters {
            subject_category: Some(category.to_owned()),
            ..Filters::default()
        };
        assert_eq!(
            names(&index.search("vigsel", &filters, 10)),
            ["Erbjuda borgerlig vigsel"],
            "{category}"
        );
    }
    // "Medarbetare" does not match "Medborgare/kommuninvånare, extern part." (ks-14).
    let filters = Filters {
        subject_category: Some("Medarbetare".to_owned()),
        ..Filters::default()
    };
    assert!(index.search("vigsel", &filters, 10).is_empty());
    // A trailing full stop in the register does not matter.
    let filters = Filters {
        subject_category: Some("extern part".to_owned()),
        ..Filters::default()
    };
    assert_eq!(ids(&index.search("vigsel", &filters, 10)), ["ks-14"]);
}

#[test]
fn filter_by_legal_basis() {
    let index = index();
    for basis in [
        "Rättslig förpliktelse",
        "rattslig forpliktelse",
        "RÄTTSLIG FÖRPLIKTELSE",
    ] {
        let filters = Filters {
            legal_basis: Some(basis.to_owned()),
            ..Filters::default()
        };
        assert_eq!(
            names(&index.search("hantera", &filters, 50)),
            ["Hantera begäran enligt GDPR"],
            "{basis}"
        );
        assert_eq!(
            names(&index.search("administrera", &filters, 50)),
            ["Administrera ekonomi"],
            "{basis}"
        );
        assert!(index.search("vigsel", &filters, 50).is_empty());
    }
    // "Intresseav-vägning" in the register is found as "Intresseavvägning".
    let filters = Filters {
        legal_basis: Some("Intresseavvägning".to_owned()),
        ..Filters::default()
    };
    assert_eq!(ids(&index.search("bildbank", &filters, 50)), ["ks-11"]);
    let filters = Filters {
        legal_basis: Some("Samtycke".to_owned()),
        ..Filters::default()
    };
    assert_eq!(ids(&index.search("bildbank", &filters, 50)), ["ks-12"]);
}

#[test]
fn filter_by_one_basis_of_a_cell_naming_several() {
    let mut docs = seed_docs();
    docs[13].legal_basis = "Allmänt intresse, myndighetsutövning".to_owned();
    let index = SearchIndex::build(docs);
    for basis in [
        "Myndighetsutövning",
        "allmänt intresse",
        "Allmänt intresse, myndighetsutövning",
    ] {
        let filters = Filters {
            legal_basis: Some(basis.to_owned()),
            ..Filters::default()
        };
        assert_eq!(
            ids(&index.search("vigsel", &filters, 10)),
            ["ks-14"],
            "{basis}"
        );
    }
}

#[test]
fn filters_combine() {
    let index = two_controllers();
    let filters = Filters {
        controller: Some("socialnämnden".to_owned()),
        subject_category: Some("Medarbetare".to_owned()),
        legal_basis: Some("Avtal".to_owned()),
    };
    assert_eq!(ids(&index.search("lokaler", &filters, 10)), ["sn-20"]);
    assert!(index.search("vigsel", &filters, 10).is_empty());
}

#[test]
fn filters_alone_do_not_make_a_query() {
    let filters = Filters {
        controller: Some("kommunstyrelsen".to_owned()),
        ..Filters::default()
    };
    assert!(index().search("", &filters, 10).is_empty());
}

#[test]
fn hits_serialise_with_snake_case_fields() {
    let hit = first("borgerlig vigsel");
    let json = serde_json::to_value(&hit).unwrap();
    assert_eq!(json["id"], "ks-14");
    assert_eq!(
        json["matched_fields"],
        serde_json::json!(["name", "purpose"])
    );
    assert_eq!(
        json["matched_terms"],
        serde_json::json!(["borgerlig", "vigsel"])
    );
    assert!(json["score"].as_f64().unwrap() > 0.0);
    assert_eq!(
        serde_json::to_value([
            Field::Name,
            Field::Purpose,
            Field::SubjectCategories,
            Field::DataCategories
        ])
        .unwrap(),
        serde_json::json!(["name", "purpose", "subject_categories", "data_categories"])
    );
}
