//! The activity filters shared by `GET /api/v1/register/activities` and
//! `GET /api/v1/register/search`: what `controller`, `subject_category` and `legal_basis` mean.
//!
//! Each filter value and each activity value is turned into comparison keys with
//! [`fold_key`] (case, accents, punctuation, spacing and hyphens do not matter); a filter
//! matches when its key is one of the activity's keys for that filter:
//! * `controller`: the activity's controller id;
//! * `subject_category`: each category of data subjects, whole and each of its `/`-separated
//!   parts ("Medarbetare" matches "Medarbetare/konsulter");
//! * `legal_basis`: the whole cell, each part separated by `,` `;` `/` `&` `+` or a line break,
//!   and each part of those separated by the words "och", "samt" or "eller"
//!   ("Myndighetsutövning" matches "Allmänt intresse, myndighetsutövning").
//!
//! A filter that is absent, empty or blank is no filter; several filters must all match.
//! [`Filters::matches`] checks one activity (the list); [`FilterPostings`] holds the same keys
//! as inverted lists for the index (the search), so both endpoints agree by construction.

use std::collections::HashMap;

use crate::domain::text::fold_key;

use super::doc::SearchDoc;

/// Optional filters on activities; see the module docs for what each means.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// The activity's controller equals this.
    pub controller: Option<String>,
    /// One of the activity's categories of data subjects equals this, or one of the
    /// `/`-separated parts of such a category does ("Medarbetare" matches "Medarbetare/konsulter").
    pub subject_category: Option<String>,
    /// The activity's legal basis cell equals this, or one of its parts separated by `,` `;` `/`
    /// or "och"/"samt"/"eller" does ("Myndighetsutövning" matches "Allmänt intresse, myndighetsutövning").
    pub legal_basis: Option<String>,
}

/// Number of filters ([`Filters::keys`] and [`activity_keys`] are in this order).
const FILTERS: usize = 3;

impl Filters {
    /// The comparison key of each filter that is set and not blank: controller, subject
    /// category, legal basis.
    fn keys(&self) -> [Option<String>; FILTERS] {
        [&self.controller, &self.subject_category, &self.legal_basis]
            .map(|value| value.as_deref().map(fold_key).filter(|k| !k.is_empty()))
    }

    /// Whether no filter is set (every value absent or blank).
    pub fn is_empty(&self) -> bool {
        self.keys().iter().all(Option::is_none)
    }

    /// Whether an activity with this controller, these categories of data subjects and this
    /// legal-basis cell passes every filter that is set.
    pub fn matches(
        &self,
        controller: &str,
        subject_categories: &[String],
        legal_basis: &str,
    ) -> bool {
        let wanted = self.keys();
        if wanted.iter().all(Option::is_none) {
            return true;
        }
        let have = activity_keys(controller, subject_categories, legal_basis);
        wanted
            .iter()
            .zip(&have)
            .all(|(want, have)| want.as_ref().is_none_or(|k| have.contains(k)))
    }

    /// [`Filters::matches`] for a search document.
    pub fn matches_doc(&self, doc: &SearchDoc) -> bool {
        self.matches(&doc.controller, &doc.subject_categories, &doc.legal_basis)
    }
}

/// The keys under which an activity is found by each filter (sorted, without duplicates or
/// empty keys).
fn activity_keys(
    controller: &str,
    subject_categories: &[String],
    legal_basis: &str,
) -> [Vec<String>; FILTERS] {
    [
        tidy(vec![fold_key(controller)]),
        tidy(
            subject_categories
                .iter()
                .flat_map(|c| subject_category_keys(c))
                .collect(),
        ),
        tidy(legal_basis_keys(legal_basis)),
    ]
}

fn tidy(mut keys: Vec<String>) -> Vec<String> {
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Keys under which a category of data subjects is found: the whole and each `/`-part.
fn subject_category_keys(category: &str) -> Vec<String> {
    let mut keys = vec![fold_key(category)];
    if category.contains('/') {
        keys.extend(category.split('/').map(fold_key));
    }
    keys
}

/// Keys under which a legal-basis cell is found: the whole, each part separated by punctuation,
/// and each part of those separated by "och", "samt" or "eller".
fn legal_basis_keys(cell: &str) -> Vec<String> {
    let mut keys = vec![fold_key(cell)];
    for part in cell.split([',', ';', '/', '&', '+', '\n']) {
        let key = fold_key(part);
        let mut current: Vec<&str> = Vec::new();
        for word in key.split(' ') {
            if matches!(word, "och" | "samt" | "eller") {
                keys.push(current.join(" "));
                current.clear();
            } else {
                current.push(word);
            }
        }
        keys.push(current.join(" "));
        keys.push(key);
    }
    keys
}

/// The filter keys of every indexed document as inverted lists (key → documents, ascending),
/// one map per filter.
#[derive(Debug, Default)]
pub(super) struct FilterPostings([HashMap<String, Vec<u32>>; FILTERS]);

impl FilterPostings {
    /// Adds document `doc` (documents are added in ascending order).
    pub(super) fn add(&mut self, doc: u32, activity: &SearchDoc) {
        let keys = activity_keys(
            &activity.controller,
            &activity.subject_categories,
            &activity.legal_basis,
        );
        for (map, keys) in self.0.iter_mut().zip(keys) {
            for key in keys {
                let list = map.entry(key).or_default();
                if list.last() != Some(&doc) {
                    list.push(doc);
                }
            }
        }
    }

    /// Which of the `n_docs` documents pass `filters`, or `None` when no filter is set.
    pub(super) fn allowed(&self, filters: &Filters, n_docs: usize) -> Option<Vec<bool>> {
        let mut allowed: Option<Vec<bool>> = None;
        for (key, map) in filters.keys().iter().zip(&self.0) {
            let Some(key) = key else { continue };
            let mut this = vec![false; n_docs];
            for &d in map.get(key).map(Vec::as_slice).unwrap_or_default() {
                this[d as usize] = true;
            }
            allowed = Some(match allowed {
                None => this,
                Some(prev) => prev.iter().zip(&this).map(|(a, b)| *a && *b).collect(),
            });
        }
        allowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(controller: &str, categories: &[&str], legal_basis: &str) -> SearchDoc {
        SearchDoc {
            id: format!("{controller}/{legal_basis}"),
            controller: controller.to_owned(),
            name: String::new(),
            purpose: String::new(),
            subject_categories: categories.iter().map(|c| (*c).to_owned()).collect(),
            data_categories: Vec::new(),
            legal_basis: legal_basis.to_owned(),
        }
    }

    fn only(field: usize, value: &str) -> Filters {
        let mut filters = Filters::default();
        let value = Some(value.to_owned());
        match field {
            0 => filters.controller = value,
            1 => filters.subject_category = value,
            _ => filters.legal_basis = value,
        }
        filters
    }

    #[test]
    fn absent_empty_and_blank_filters_are_no_filter() {
        let d = doc("kommunstyrelsen", &["Medarbetare"], "Avtal");
        for value in ["", "  ", " - ", "/"] {
            for field in 0..FILTERS {
                let filters = only(field, value);
                assert!(filters.is_empty(), "{value:?}");
                assert!(filters.matches_doc(&d), "{value:?}");
            }
        }
        assert!(Filters::default().is_empty());
        assert!(Filters::default().matches("", &[], ""));
    }

    #[test]
    fn the_controller_is_compared_folded() {
        let d = doc("socialnamnden", &[], "");
        for value in ["socialnamnden", "Socialnämnden", " SOCIALNÄMNDEN "] {
            assert!(only(0, value).matches_doc(&d), "{value}");
        }
        assert!(!only(0, "social").matches_doc(&d), "no prefix match");
        assert!(!only(0, "kommunstyrelsen").matches_doc(&d));
        let hyphenated = doc("Miljö-och-byggnämnden", &[], "");
        assert!(only(0, "miljoochbyggnamnden").matches_doc(&hyphenated));
    }

    #[test]
    fn a_subject_category_matches_whole_or_by_slash_part() {
        let d = doc(
            "ks",
            &[
                "Medarbetare/konsulter",
                "Medborgare/kommuninvånare, extern part.",
            ],
            "",
        );
        for value in [
            "Medarbetare",
            "konsulter",
            "medarbetare/konsulter",
            "Medborgare",
            "kommuninvanare, extern part",
            "Medborgare/kommuninvånare, extern part.",
        ] {
            assert!(only(1, value).matches_doc(&d), "{value}");
        }
        for value in ["Medarbetar", "extern part", "kommuninvånare"] {
            assert!(!only(1, value).matches_doc(&d), "{value}");
        }
    }

    #[test]
    fn a_legal_basis_matches_the_cell_or_one_of_its_parts() {
        let d = doc("ks", &[], "Allmänt intresse, myndighetsutövning samt avtal");
        for value in [
            "Allmänt intresse",
            "myndighetsutövning",
            "avtal",
            "myndighetsutövning samt avtal",
            "Allmänt intresse, myndighetsutövning samt avtal",
        ] {
            assert!(only(2, value).matches_doc(&d), "{value}");
        }
        for value in ["intresse", "Rättslig förpliktelse", "samt"] {
            assert!(!only(2, value).matches_doc(&d), "{value}");
        }
        let broken = doc("ks", &[], "Intresseav-vägning");
        assert!(only(2, "Intresseavvägning").matches_doc(&broken));
        let lines = doc("ks", &[], "Samtycke\nAvtal & rättslig förpliktelse");
        for value in ["samtycke", "avtal", "Rättslig förpliktelse"] {
            assert!(only(2, value).matches_doc(&lines), "{value}");
        }
    }

    #[test]
    fn filters_combine_with_and() {
        let d = doc("sn", &["Medarbetare"], "Avtal");
        let mut filters = Filters {
            controller: Some("SN".into()),
            subject_category: Some("medarbetare".into()),
            legal_basis: Some("avtal".into()),
        };
        assert!(filters.matches_doc(&d));
        filters.legal_basis = Some("Samtycke".into());
        assert!(!filters.matches_doc(&d));
    }

    #[test]
    fn the_postings_allow_exactly_the_documents_that_match() {
        let docs = [
            doc("ks", &["Medarbetare/konsulter"], "Avtal"),
            doc(
                "KS",
                &["Medborgare"],
                "Allmänt intresse, myndighetsutövning",
            ),
            doc(
                "sn",
                &["Medarbetare", "Brukare"],
                "Rättslig förpliktelse och avtal",
            ),
            doc("sn", &[], ""),
        ];
        let mut postings = FilterPostings::default();
        for (d, activity) in docs.iter().enumerate() {
            postings.add(d as u32, activity);
        }
        let values = [
            "",
            "ks",
            "sn",
            "medarbetare",
            "konsulter",
            "brukare",
            "avtal",
            "myndighetsutövning",
            "rättslig förpliktelse",
            "nothing",
        ];
        for field in 0..FILTERS {
            for value in values {
                let filters = only(field, value);
                let expected: Vec<bool> = docs.iter().map(|d| filters.matches_doc(d)).collect();
                let allowed = postings
                    .allowed(&filters, docs.len())
                    .unwrap_or_else(|| vec![true; docs.len()]);
                assert_eq!(allowed, expected, "filter {field} = {value:?}");
            }
        }
        let both = Filters {
            controller: Some("sn".into()),
            legal_basis: Some("avtal".into()),
            ..Filters::default()
        };
        assert_eq!(
            postings.allowed(&both, docs.len()),
            Some(vec![false, false, true, false])
        );
        assert_eq!(postings.allowed(&Filters::default(), docs.len()), None);
    }
}
