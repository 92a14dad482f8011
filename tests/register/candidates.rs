//! Candidates: the seed activities that can concern a person, from the person's categories.

use crate::common;

use common::{seed_docs, seed_id, seed_name};
use dsar::register::candidates::{candidates, synonyms, Candidate, NO_CATEGORIES_REASON};
use dsar::register::search::{normalise, SearchDoc};

fn for_person(categories: &[&str]) -> Vec<Candidate> {
    let categories: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
    candidates(&categories, &seed_docs())
}

fn ids(found: &[Candidate]) -> Vec<&str> {
    found.iter().map(|c| c.id.as_str()).collect()
}

/// The ids of the seed activities with a category for which `pred` holds.
fn seed_ids_with(pred: impl Fn(&str) -> bool) -> Vec<String> {
    let mut ids: Vec<String> = seed_docs()
        .into_iter()
        .filter(|d| d.subject_categories.iter().any(|c| pred(c)))
        .map(|d| d.id)
        .collect();
    ids.sort();
    ids
}

fn sorted(found: &[Candidate]) -> Vec<String> {
    let mut ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    ids.sort();
    ids
}

#[test]
fn invanare_finds_the_activities_about_citizens() {
    let found = for_person(&["invånare"]);
    // "Hantera handlingar" says "invånare" itself: an exact match ranks above the synonyms.
    assert_eq!(found[0].id, seed_id("Hantera handlingar"));
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'invånare' stämmer med 'invånare'"]
    );
    assert_eq!(found[0].matched_categories, ["invånare"]);
    // Then every activity about "Medborgare/kommuninvånare", each with the reason naming both;
    // those about citizens only first.
    assert_eq!(
        ids(&found[1..]),
        [
            "ks-16", "ks-05", "ks-18", "ks-10", "ks-12", "ks-14", "ks-17", "ks-15", "ks-19",
            "ks-13",
        ]
    );
    assert_eq!(
        found[1..4]
            .iter()
            .map(|c| seed_name(&c.id))
            .collect::<Vec<_>>(),
        [
            "Hantera medborgarförslag",
            "Hantera valinformation",
            "Hantering av färdtjänst"
        ]
    );
    for c in &found[1..] {
        let category = seed_docs()
            .into_iter()
            .find(|d| d.id == c.id)
            .unwrap()
            .subject_categories
            .into_iter()
            .find(|cat| normalise(cat) == "medborgare/kommuninvanare")
            .unwrap();
        assert_eq!(
            c.matched_categories,
            std::slice::from_ref(&category),
            "{}",
            c.id
        );
        assert_eq!(
            c.reasons,
            [format!("Kategorin '{category}' motsvarar 'invånare'")],
            "{}",
            c.id
        );
        assert!(c.score < found[0].score);
    }
    assert_eq!(
        found[1].reasons,
        ["Kategorin 'Medborgare/kommuninvånare' motsvarar 'invånare'"]
    );
    // Nothing else: the same set as the activities with a citizen category.
    assert_eq!(
        sorted(&found),
        seed_ids_with(|c| {
            let c = normalise(c);
            c.contains("invanare") || c.contains("medborgare")
        })
    );
}

#[test]
fn invanare_spelled_without_diacritics_or_in_plural_gives_the_same() {
    let expected = ids(&for_person(&["invånare"]))
        .iter()
        .map(|s| s.to_string())
        .collect::<Vec<_>>();
    for person in [
        "invanare",
        "Invånarna",
        "INVÅNARE",
        "kommuninvånare",
        "medborgare",
    ] {
        let found = for_person(&[person]);
        let mut got: Vec<String> = ids(&found).iter().map(|s| s.to_string()).collect();
        let mut want = expected.clone();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{person}");
    }
}

#[test]
fn the_whole_register_category_matches_exactly() {
    let found = for_person(&["Medborgare/kommuninvånare"]);
    // The ten activities with that very category first (exact), "invånare" last (synonym).
    assert_eq!(found.len(), 11);
    assert_eq!(found[10].id, seed_id("Hantera handlingar"));
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'Medborgare/kommuninvånare' stämmer med 'Medborgare/kommuninvånare'"]
    );
    assert_eq!(
        found[10].reasons,
        ["Kategorin 'invånare' motsvarar 'Medborgare/kommuninvånare'"]
    );
}

#[test]
fn anstalld_finds_the_activities_about_medarbetare() {
    let found = for_person(&["anställd"]);
    assert_eq!(
        sorted(&found),
        seed_ids_with(|c| normalise(c).contains("medarbetare"))
    );
    assert_eq!(found.len(), 14);
    // "Administration av leveranser till arkiv" is about Medarbetare only.
    assert_eq!(
        seed_name(&found[0].id),
        "Administration av leveranser till arkiv"
    );
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'Medarbetare' motsvarar 'anställd'"]
    );
    assert_eq!(found[0].matched_categories, ["Medarbetare"]);
    for c in &found {
        assert_eq!(c.reasons.len(), 1, "{}", c.id);
        assert!(
            c.reasons[0].ends_with("motsvarar 'anställd'"),
            "{:?}",
            c.reasons
        );
        assert_eq!(c.matched_categories.len(), 1);
        assert!(normalise(&c.matched_categories[0]).starts_with("medarbetare"));
    }
    // Not about employees: not proposed.
    for name in [
        "Hantera valinformation",
        "Erbjuda borgerlig vigsel",
        "Hantering av färdtjänst",
    ] {
        assert!(!ids(&found).contains(&seed_id(name).as_str()), "{name}");
    }
    // Every synonym of "anställd" finds the same activities.
    for person in [
        "personal",
        "arbetstagare",
        "tjänsteman",
        "tjänstemän",
        "anställda",
    ] {
        assert_eq!(sorted(&for_person(&[person])), sorted(&found), "{person}");
    }
}

#[test]
fn an_exact_match_scores_higher_than_a_synonym_match() {
    let exact = for_person(&["Medarbetare"]);
    let synonym = for_person(&["anställd"]);
    assert_eq!(sorted(&exact), sorted(&synonym));
    for e in &exact {
        let s = synonym.iter().find(|s| s.id == e.id).unwrap();
        assert!(e.score > s.score, "{}: {} vs {}", e.id, e.score, s.score);
    }
    // A "/"-part equal to the person's category is nearly exact.
    let kommunikation = exact
        .iter()
        .find(|c| c.id == seed_id("Bedriva kommunikation"))
        .unwrap();
    assert_eq!(
        kommunikation.reasons,
        ["Kategorin 'Medarbetare/konsulter' omfattar 'Medarbetare'"]
    );
    let arkiv = &exact[0];
    assert_eq!(
        seed_name(&arkiv.id),
        "Administration av leveranser till arkiv"
    );
    assert_eq!(
        arkiv.reasons,
        ["Kategorin 'Medarbetare' stämmer med 'Medarbetare'"]
    );
}

#[test]
fn plural_forms_match_through_stemming() {
    let found = for_person(&["medarbetarna"]);
    assert_eq!(found.len(), 14);
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'Medarbetare' stämmer med 'medarbetarna' (annan böjningsform)"]
    );
    let found = for_person(&["elev"]);
    assert_eq!(
        ids(&found),
        [
            seed_id("Hantera begäran enligt GDPR"),
            seed_id("Förvalta IT och teknisk kommunikation")
        ]
    );
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'elever' stämmer med 'elev' (annan böjningsform)"]
    );
}

#[test]
fn leverantorer_finds_the_procurement_activity() {
    let found = for_person(&["Leverantörer"]);
    assert_eq!(
        found.iter().map(|c| seed_name(&c.id)).collect::<Vec<_>>(),
        [
            "Administrera ekonomi",
            "Hantera handlingar",
            "Upphandla/avropa, köpa in, beställa"
        ]
    );
    let upphandling = &found[2];
    assert_eq!(
        upphandling.matched_categories,
        ["Potentiella leverantörer av varor och tjänster samt befintliga leverantörer"]
    );
    assert_eq!(
        upphandling.reasons,
        ["Kategorin 'Potentiella leverantörer av varor och tjänster samt befintliga leverantörer' innehåller 'Leverantörer'"]
    );
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'leverantörer' stämmer med 'Leverantörer'"]
    );
    // The singular finds the same.
    assert_eq!(sorted(&for_person(&["leverantör"])), sorted(&found));
}

#[test]
fn forälder_finds_the_guardians() {
    let found = for_person(&["förälder"]);
    assert_eq!(ids(&found), [seed_id("Administrera ekonomi")]);
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'vårdnadshavare för barnomsorgsplats' motsvarar 'förälder'"]
    );
    assert_eq!(ids(&for_person(&["vårdnadshavare"])), ids(&found));
}

#[test]
fn several_person_categories_add_up() {
    let found = for_person(&["politiker", "invånare"]);
    // "Hantera handlingar" matches both (invånare exactly, förtroendevalda as politiker).
    assert_eq!(seed_name(&found[0].id), "Hantera handlingar");
    assert_eq!(
        found[0].reasons,
        [
            "Kategorin 'Förtroendevalda' motsvarar 'politiker'",
            "Kategorin 'invånare' stämmer med 'invånare'",
        ]
    );
    assert_eq!(found[0].matched_categories, ["Förtroendevalda", "invånare"]);
    // Then those matching both by synonym, then those matching one.
    assert_eq!(
        ids(&found[1..3]),
        [
            seed_id("Hantera begäran enligt GDPR"),
            seed_id("Förvalta IT och teknisk kommunikation")
        ]
    );
    assert!(found[2].score > 1.0 && found[3].score < 1.0);
    assert_eq!(
        sorted(&found),
        seed_ids_with(|c| {
            let c = normalise(c);
            c.contains("invanare") || c.contains("medborgare") || c.contains("fortroendevald")
        })
    );
}

#[test]
fn no_person_categories_list_every_activity_with_score_zero() {
    for person in [vec![], vec![""], vec!["  ", "/"]] {
        let found = for_person(&person);
        assert_eq!(found.len(), 20, "{person:?}");
        for c in &found {
            assert_eq!(c.score, 0.0);
            assert_eq!(c.reasons, [NO_CATEGORIES_REASON]);
            assert!(c.matched_categories.is_empty());
        }
        // Sorted by name, then id.
        let keys: Vec<(String, String)> = found
            .iter()
            .map(|c| (seed_name(&c.id), c.id.clone()))
            .collect();
        let mut expected = keys.clone();
        expected.sort();
        assert_eq!(keys, expected);
    }
    assert_eq!(
        NO_CATEGORIES_REASON,
        "Inga kategorier angivna för personen: alla behandlingar hos nämnden visas"
    );
}

#[test]
fn unknown_categories_find_nothing() {
    assert!(for_person(&["astronaut"]).is_empty());
    assert!(for_person(&["barn"]).is_empty());
    assert!(candidates(&["invånare".to_owned()], &[]).is_empty());
}

#[test]
fn ties_are_ordered_by_name_then_id() {
    let docs: Vec<SearchDoc> = ["b", "a", "c"]
        .iter()
        .enumerate()
        .map(|(i, id)| SearchDoc {
            id: id.to_string(),
            controller: "ks".to_owned(),
            name: if i == 2 {
                "Aktivitet A".to_owned()
            } else {
                "Aktivitet B".to_owned()
            },
            purpose: String::new(),
            subject_categories: vec!["Elever".to_owned()],
            data_categories: Vec::new(),
            legal_basis: String::new(),
        })
        .collect();
    let found = candidates(&["skolelev".to_owned()], &docs);
    assert_eq!(ids(&found), ["c", "a", "b"]);
    assert!(found.iter().all(|c| c.score == found[0].score));
}

#[test]
fn synonyms_are_normalised_and_cover_the_usual_words() {
    let table = synonyms();
    let mut canonical: Vec<&str> = table.iter().map(|(c, _)| *c).collect();
    for (concept, variants) in table {
        assert_eq!(normalise(concept), *concept);
        for v in variants.iter() {
            assert_eq!(normalise(v), *v, "{v}");
        }
    }
    canonical.sort();
    canonical.dedup();
    assert_eq!(
        canonical.len(),
        table.len(),
        "canonical concepts are unique"
    );
    let group = |c: &str| table.iter().find(|(k, _)| *k == c).unwrap().1;
    assert!(group("invanare").contains(&"medborgare/kommuninvanare"));
    assert!(group("invanare").contains(&"privatperson"));
    assert!(group("anstalld").contains(&"medarbetare"));
    assert!(group("elev").contains(&"barn i skola"));
    assert!(group("vardnadshavare").contains(&"foraldrar"));
    assert!(group("fortroendevald").contains(&"ledamot"));
    assert!(group("leverantor").contains(&"potentiella leverantorer"));
    assert!(group("kund").contains(&"kunder"));
    assert!(group("brukare").contains(&"vardtagare"));
    assert!(group("sokande").contains(&"arbetssokande"));
    assert!(group("besokare").is_empty());
}

#[test]
fn a_multi_word_synonym_matches() {
    let docs = vec![SearchDoc {
        id: "skola-1".to_owned(),
        controller: "utbildningsnamnden".to_owned(),
        name: "Elevhälsa".to_owned(),
        purpose: String::new(),
        subject_categories: vec!["Barn i skola".to_owned(), "Brukare".to_owned()],
        data_categories: Vec::new(),
        legal_basis: String::new(),
    }];
    let found = candidates(&["elev".to_owned()], &docs);
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'Barn i skola' motsvarar 'elev'"]
    );
    let found = candidates(&["vårdtagare".to_owned()], &docs);
    assert_eq!(
        found[0].reasons,
        ["Kategorin 'Brukare' motsvarar 'vårdtagare'"]
    );
}

#[test]
fn candidates_serialise_with_snake_case_fields() {
    let found = for_person(&["förälder"]);
    let json = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(json["id"], "ks-06");
    assert_eq!(
        json["matched_categories"],
        serde_json::json!(["vårdnadshavare för barnomsorgsplats"])
    );
    assert_eq!(
        json["reasons"],
        serde_json::json!(["Kategorin 'vårdnadshavare för barnomsorgsplats' motsvarar 'förälder'"])
    );
    assert!(json["score"].as_f64().unwrap() > 0.0);
}
