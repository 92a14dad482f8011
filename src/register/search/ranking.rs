//! Ranking: BM25F over the matched word forms, then the tiers (phrase in the name, number of
//! distinct query terms matched) that make the activity named by the query come first.
//! See the module docs of [`search`](super) for the formula.

use std::cmp::Ordering;

use crate::domain::text::fold;

use super::doc::Field;
use super::filters::Filters;
use super::index::SearchIndex;
use super::stem::stem;
use super::tokens::{is_stop_word, phrase_forms, raw_words};

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Query terms beyond this many are ignored (the matched-term set is a 64-bit mask).
const MAX_QUERY_TERMS: usize = 64;

/// One search result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The activity id.
    pub id: String,
    /// Phrase tier + number of distinct query terms matched + relevance in `[0, 1)`; see the module docs.
    pub score: f64,
    /// The fields in which some query term matched, in [`Field::ALL`] order.
    pub matched_fields: Vec<Field>,
    /// The query terms (as returned by [`tokens`](super::tokens)) that matched, in query order.
    pub matched_terms: Vec<String>,
}

/// One query term: the folded word and its stem.
#[derive(Debug, Clone)]
struct QueryTerm {
    folded: String,
    stem: String,
}

/// Per-document accumulator during a query.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    bm25: f64,
    terms: u64,
    name_terms: u64,
    fields: u8,
}

/// The distinct (by stem) terms of a query, stop words left out, at most [`MAX_QUERY_TERMS`].
fn query_terms(query: &str) -> Vec<QueryTerm> {
    let mut terms: Vec<QueryTerm> = Vec::new();
    for lower in raw_words(query, |_| {}) {
        let folded = fold(&lower);
        if is_stop_word(&folded) {
            continue;
        }
        let stem = stem(&lower);
        if terms.iter().all(|t| t.stem != stem) && terms.len() < MAX_QUERY_TERMS {
            terms.push(QueryTerm { folded, stem });
        }
    }
    terms
}

/// The inverse document frequency of a term found in `df` of `n` documents.
fn idf(n: usize, df: usize) -> f64 {
    let (n, df) = (n as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// The phrase tier of a document whose name matched every query term: `2(k + 1)` when the name
/// is the query, `k + 1` when it contains the query as a phrase from a word start, else 0.
fn phrase_tier(name_phrases: &[String; 2], query_phrase: &str, k: usize) -> f64 {
    let k = k as f64;
    if query_phrase.is_empty() {
        0.0
    } else if name_phrases.iter().any(|n| n == query_phrase) {
        2.0 * (k + 1.0)
    } else if name_phrases
        .iter()
        .any(|n| contains_at_word_start(n, query_phrase))
    {
        k + 1.0
    } else {
        0.0
    }
}

/// Whether `phrase` occurs in `text` starting at a word boundary.
fn contains_at_word_start(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase)
        .any(|(i, _)| i == 0 || text.as_bytes()[i - 1] == b' ')
}

impl SearchIndex {
    /// Searches for `query` (OR over its terms), keeps the activities allowed by `filters` and
    /// returns at most `limit` hits, best first (score descending, then name, then id).
    /// An empty query (or one of stop words only) returns nothing.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Vec<Hit> {
        if limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let terms = query_terms(query);
        if terms.is_empty() {
            return Vec::new();
        }
        let allowed = self.filters.allowed(filters, self.docs.len());
        let (acc, hit_docs, upper_bound) = self.accumulate(&terms, allowed.as_deref());
        if hit_docs.is_empty() {
            return Vec::new();
        }

        let all_terms = if terms.len() == 64 {
            u64::MAX
        } else {
            (1u64 << terms.len()) - 1
        };
        let query_phrase = phrase_forms(query)[0].clone();
        let mut scored: Vec<(u32, f64)> = hit_docs
            .iter()
            .map(|&d| {
                let a = &acc[d as usize];
                let mut score = f64::from(a.terms.count_ones());
                if upper_bound > 0.0 {
                    score += a.bm25 / upper_bound;
                }
                if a.name_terms == all_terms {
                    let names = &self.docs[d as usize].name_phrases;
                    score += phrase_tier(names, &query_phrase, terms.len());
                }
                (d, score)
            })
            .collect();

        let order = |a: &(u32, f64), b: &(u32, f64)| -> Ordering {
            let (da, db) = (&self.docs[a.0 as usize], &self.docs[b.0 as usize]);
            b.1.total_cmp(&a.1)
                .then_with(|| da.name.cmp(&db.name))
                .then_with(|| da.id.cmp(&db.id))
        };
        if scored.len() > limit {
            scored.select_nth_unstable_by(limit - 1, order);
            scored.truncate(limit);
        }
        scored.sort_unstable_by(order);

        scored
            .into_iter()
            .map(|(d, score)| {
                let a = &acc[d as usize];
                Hit {
                    id: self.docs[d as usize].id.clone(),
                    score,
                    matched_fields: Field::ALL
                        .into_iter()
                        .filter(|f| a.fields & (1 << f.index()) != 0)
                        .collect(),
                    matched_terms: terms
                        .iter()
                        .enumerate()
                        .filter(|(t, _)| a.terms & (1u64 << t) != 0)
                        .map(|(_, term)| term.folded.clone())
                        .collect(),
                }
            })
            .collect()
    }

    /// BM25F per document over the allowed documents: the accumulators (indexed by document),
    /// the documents hit (in first-hit order) and the upper bound of the BM25F score for
    /// the query (the sum over the terms found of `idf * (k1 + 1)`).
    fn accumulate(
        &self,
        terms: &[QueryTerm],
        allowed: Option<&[bool]>,
    ) -> (Vec<Acc>, Vec<u32>, f64) {
        let n_docs = self.docs.len();
        let mut acc = vec![Acc::default(); n_docs];
        let mut hit_docs: Vec<u32> = Vec::new();
        let mut tf_buf = vec![[0f32; 4]; n_docs];
        let mut touched: Vec<u32> = Vec::new();
        let mut upper_bound = 0.0;
        let weights = Field::ALL.map(Field::weight);

        for (t, term) in terms.iter().enumerate() {
            let bit = 1u64 << t;
            touched.clear();
            for (word, weight) in self.matching_words(&term.folded, &term.stem) {
                for p in &self.words[word as usize].postings {
                    if allowed.is_some_and(|allowed| !allowed[p.doc as usize]) {
                        continue;
                    }
                    let buf = &mut tf_buf[p.doc as usize];
                    if buf.iter().all(|&x| x == 0.0) {
                        touched.push(p.doc);
                    }
                    for (b, &tf) in buf.iter_mut().zip(&p.tf) {
                        *b += weight * f32::from(tf);
                    }
                }
            }
            if touched.is_empty() {
                continue;
            }
            let idf = idf(n_docs, touched.len());
            upper_bound += idf * (K1 + 1.0);
            for &d in &touched {
                let doc = &self.docs[d as usize];
                let buf = std::mem::take(&mut tf_buf[d as usize]);
                let mut weighted = 0.0;
                let mut fields = 0u8;
                for f in 0..4 {
                    if buf[f] > 0.0 {
                        fields |= 1 << f;
                        let norm = if self.avg_len[f] > 0.0 {
                            1.0 - B + B * f64::from(doc.len[f]) / self.avg_len[f]
                        } else {
                            1.0
                        };
                        weighted += weights[f] * f64::from(buf[f]) / norm;
                    }
                }
                let a = &mut acc[d as usize];
                if a.terms == 0 {
                    hit_docs.push(d);
                }
                a.bm25 += idf * weighted * (K1 + 1.0) / (weighted + K1);
                a.terms |= bit;
                a.fields |= fields;
                if fields & 1 != 0 {
                    a.name_terms |= bit;
                }
            }
        }
        (acc, hit_docs, upper_bound)
    }
}

#[cfg(test)]
mod tests {
    use super::super::doc::SearchDoc;
    use super::*;

    fn doc(id: &str, name: &str, purpose: &str) -> SearchDoc {
        SearchDoc {
            id: id.to_owned(),
            controller: "ks".to_owned(),
            name: name.to_owned(),
            purpose: purpose.to_owned(),
            subject_categories: Vec::new(),
            data_categories: Vec::new(),
            legal_basis: String::new(),
        }
    }

    fn ids(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.id.as_str()).collect()
    }

    #[test]
    fn query_terms_are_distinct_by_stem_and_skip_stop_words() {
        let terms = query_terms("Ärendet och ärenden i Kontaktcenter");
        let folded: Vec<&str> = terms.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(folded, ["arendet", "kontaktcenter"]);
        assert_eq!(terms[0].stem, "arend");
        assert!(query_terms("och i att").is_empty());
        let many: String = (0..100).map(|i| format!("ord{i} ")).collect();
        assert_eq!(query_terms(&many).len(), MAX_QUERY_TERMS);
    }

    #[test]
    fn idf_falls_as_more_documents_have_the_term() {
        assert!(idf(10, 1) > idf(10, 5));
        assert!(idf(10, 10) > 0.0);
    }

    #[test]
    fn the_phrase_tier_rewards_the_name_that_is_the_query_most() {
        let names = |n: &str| [n.to_owned(), n.to_owned()];
        assert_eq!(
            phrase_tier(&names("borgerlig vigsel"), "borgerlig vigsel", 2),
            6.0
        );
        assert_eq!(
            phrase_tier(&names("erbjuda borgerlig vigsel"), "borgerlig vigsel", 2),
            3.0
        );
        assert_eq!(
            phrase_tier(&names("vigsel borgerlig"), "borgerlig vigsel", 2),
            0.0
        );
        assert_eq!(phrase_tier(&names("vigsel"), "", 0), 0.0);
    }

    #[test]
    fn a_phrase_must_start_at_a_word() {
        assert!(contains_at_word_start(
            "erbjuda borgerlig vigsel",
            "borgerlig"
        ));
        assert!(contains_at_word_start("vigsel", "vig"));
        assert!(!contains_at_word_start("hundvigsel", "vigsel"));
    }

    #[test]
    fn more_distinct_terms_rank_above_higher_relevance() {
        let index = SearchIndex::build(vec![
            doc("one", "Vigsel vigsel vigsel", "vigsel vigsel"),
            doc("two", "Annat", "borgerlig vigsel"),
        ]);
        let hits = index.search("borgerlig vigsel", &Filters::default(), 10);
        assert_eq!(ids(&hits), ["two", "one"]);
        assert!(hits[0].score >= 2.0 && hits[0].score < 3.0);
        assert!(hits[1].score >= 1.0 && hits[1].score < 2.0);
    }

    #[test]
    fn the_activity_named_by_the_query_comes_first() {
        let index = SearchIndex::build(vec![
            doc("purpose", "Annat", "Borgerlig vigsel borgerlig vigsel"),
            doc("contains", "Erbjuda borgerlig vigsel", ""),
            doc("is", "Borgerlig vigsel", ""),
        ]);
        let hits = index.search("borgerlig vigsel", &Filters::default(), 10);
        assert_eq!(ids(&hits), ["is", "contains", "purpose"]);
        assert!(hits[0].score >= 2.0 + 6.0);
        assert!(hits[1].score >= 2.0 + 3.0 && hits[1].score < 6.0);
        assert!(hits[2].score < 3.0);
        assert_eq!(hits[0].matched_fields, [Field::Name]);
        assert_eq!(hits[2].matched_fields, [Field::Purpose]);
    }

    #[test]
    fn equal_scores_are_ordered_by_name_then_id() {
        let index = SearchIndex::build(vec![
            doc("2", "Vigsel B", ""),
            doc("1", "Vigsel B", ""),
            doc("0", "Vigsel A", ""),
        ]);
        let hits = index.search("vigsel", &Filters::default(), 10);
        assert_eq!(ids(&hits), ["0", "1", "2"]);
        let cut = index.search("vigsel", &Filters::default(), 2);
        assert_eq!(ids(&cut), ["0", "1"]);
    }

    #[test]
    fn relevance_stays_below_one() {
        let index = SearchIndex::build(vec![doc("a", "Kontakt", "kontakt kontakt kontakt")]);
        let hits = index.search("kontakt", &Filters::default(), 10);
        assert_eq!(hits.len(), 1);
        // One term + the tier 2(k + 1) of the name that is the query + relevance < 1.
        assert!(
            hits[0].score >= 5.0 && hits[0].score < 6.0,
            "{}",
            hits[0].score
        );
        assert_eq!(hits[0].matched_terms, ["kontakt"]);
    }

    #[test]
    fn filters_restrict_the_hits() {
        let mut other = doc("sn", "Vigsel", "");
        other.controller = "sn".to_owned();
        let index = SearchIndex::build(vec![doc("ks", "Vigsel", ""), other]);
        let filters = Filters {
            controller: Some("SN".to_owned()),
            ..Filters::default()
        };
        assert_eq!(ids(&index.search("vigsel", &filters, 10)), ["sn"]);
        assert!(index.search("vigsel", &Filters::default(), 0).is_empty());
    }
}
