//! The inverted index: folded word forms → postings (document, per-field term frequency);
//! stems → the word forms that share them; the word forms sorted so that a prefix (the first
//! part of a compound) is a binary-searched range.

use std::collections::HashMap;
use std::fmt;

use crate::domain::text::fold;

use super::doc::{Field, SearchDoc};
use super::filters::FilterPostings;
use super::stem::stem;
use super::tokens::{is_stop_word, phrase_forms, raw_words};

/// Weight of a compound (prefix) match relative to a match of the stem itself.
const PREFIX_WEIGHT: f32 = 0.6;
/// Minimum length, in characters of the folded query term, for prefix (compound) matching.
const MIN_PREFIX_CHARS: usize = 4;

/// A posting: a document and the term frequency of the word form in each field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub(super) doc: u32,
    pub(super) tf: [u16; 4],
}

/// An indexed (folded) word form.
#[derive(Debug, Clone)]
pub(super) struct Word {
    text: String,
    stem: u32,
    pub(super) postings: Vec<Posting>,
}

#[derive(Debug, Clone)]
pub(super) struct DocEntry {
    pub(super) id: String,
    pub(super) name: String,
    /// The folded words of the name joined by single spaces, and the same with hyphenated
    /// chunks joined (for phrase matching).
    pub(super) name_phrases: [String; 2],
    /// Field lengths in tokens.
    pub(super) len: [u32; 4],
}

/// An immutable, in-memory search index over a set of activities. Build it once per change of
/// the register ([`SearchIndex::build`]) and share it; queries take `&self`.
pub struct SearchIndex {
    pub(super) docs: Vec<DocEntry>,
    /// Sorted by `text`.
    pub(super) words: Vec<Word>,
    stem_ids: HashMap<String, u32>,
    /// Stem id → ids of the word forms with that stem.
    stem_words: Vec<Vec<u32>>,
    /// Average field lengths in tokens.
    pub(super) avg_len: [f64; 4],
    pub(super) filters: FilterPostings,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.docs.len())
            .field("words", &self.words.len())
            .field("stems", &self.stem_words.len())
            .finish()
    }
}

/// Builder state: word forms in first-seen order, and a stem cache.
#[derive(Default)]
struct Builder {
    word_ids: HashMap<String, u32>,
    words: Vec<Word>,
    stem_ids: HashMap<String, u32>,
    stem_cache: HashMap<String, u32>,
}

impl Builder {
    fn word_id(&mut self, lower: &str, folded: String) -> u32 {
        if let Some(&id) = self.word_ids.get(&folded) {
            return id;
        }
        let stem_id = match self.stem_cache.get(lower) {
            Some(&s) => s,
            None => {
                let stemmed = stem(lower);
                let next = self.stem_ids.len() as u32;
                let s = *self.stem_ids.entry(stemmed).or_insert(next);
                self.stem_cache.insert(lower.to_owned(), s);
                s
            }
        };
        let id = self.words.len() as u32;
        self.word_ids.insert(folded.clone(), id);
        self.words.push(Word {
            text: folded,
            stem: stem_id,
            postings: Vec::new(),
        });
        id
    }

    /// Indexes one text of a field; returns the number of tokens (stop words excluded).
    fn add_text(&mut self, text: &str, field: Field, tf: &mut HashMap<u32, [u16; 4]>) -> u32 {
        let mut joined = Vec::new();
        let words = raw_words(text, |j| joined.push(j));
        let mut count = 0;
        for (lower, is_extra) in words
            .iter()
            .map(|w| (w, false))
            .chain(joined.iter().map(|w| (w, true)))
        {
            let folded = fold(lower);
            if is_stop_word(&folded) {
                continue;
            }
            if !is_extra {
                count += 1;
            }
            let id = self.word_id(lower, folded);
            let entry = tf.entry(id).or_default();
            entry[field.index()] = entry[field.index()].saturating_add(1);
        }
        count
    }

    /// Indexes the searched fields of one document; returns the field lengths.
    fn add_doc(&mut self, d: u32, doc: &SearchDoc, tf: &mut HashMap<u32, [u16; 4]>) -> [u32; 4] {
        tf.clear();
        let mut len = [0u32; 4];
        len[Field::Name.index()] = self.add_text(&doc.name, Field::Name, tf);
        len[Field::Purpose.index()] = self.add_text(&doc.purpose, Field::Purpose, tf);
        for (field, texts) in [
            (Field::SubjectCategories, &doc.subject_categories),
            (Field::DataCategories, &doc.data_categories),
        ] {
            for text in texts {
                len[field.index()] += self.add_text(text, field, tf);
            }
        }
        let mut postings: Vec<(u32, [u16; 4])> = tf.drain().collect();
        postings.sort_unstable_by_key(|p| p.0);
        for (word, tf) in postings {
            self.words[word as usize]
                .postings
                .push(Posting { doc: d, tf });
        }
        len
    }
}

impl SearchIndex {
    /// Builds the index over `docs` (their order is irrelevant to the results).
    pub fn build(docs: Vec<SearchDoc>) -> Self {
        let mut builder = Builder::default();
        let mut entries = Vec::with_capacity(docs.len());
        let mut total_len = [0f64; 4];
        let mut filters = FilterPostings::default();
        let mut tf: HashMap<u32, [u16; 4]> = HashMap::new();

        for (d, doc) in docs.into_iter().enumerate() {
            let d = d as u32;
            let len = builder.add_doc(d, &doc, &mut tf);
            for (t, l) in total_len.iter_mut().zip(len) {
                *t += f64::from(l);
            }
            filters.add(d, &doc);
            entries.push(DocEntry {
                name_phrases: phrase_forms(&doc.name),
                id: doc.id,
                name: doc.name,
                len,
            });
        }

        let n = entries.len().max(1) as f64;
        let avg_len = total_len.map(|t| t / n);

        let mut words = builder.words;
        words.sort_unstable_by(|a, b| a.text.cmp(&b.text));
        let mut stem_words = vec![Vec::new(); builder.stem_ids.len()];
        for (id, word) in words.iter().enumerate() {
            stem_words[word.stem as usize].push(id as u32);
        }
        SearchIndex {
            docs: entries,
            words,
            stem_ids: builder.stem_ids,
            stem_words,
            avg_len,
            filters,
        }
    }

    /// Number of indexed activities.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether the index holds no activity.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The word forms a query term (its folded form and its stem) matches, with their weights:
    /// every form with the term's stem (1.0) and, for terms of at least [`MIN_PREFIX_CHARS`]
    /// letters, every longer form that starts with the term ([`PREFIX_WEIGHT`]).
    pub(super) fn matching_words(&self, folded: &str, stem: &str) -> Vec<(u32, f32)> {
        let stem_id = self.stem_ids.get(stem).copied();
        let mut out: Vec<(u32, f32)> = stem_id
            .map(|s| {
                self.stem_words[s as usize]
                    .iter()
                    .map(|&w| (w, 1.0))
                    .collect()
            })
            .unwrap_or_default();
        if folded.chars().count() >= MIN_PREFIX_CHARS {
            let start = self.words.partition_point(|w| w.text.as_str() < folded);
            for (i, word) in self.words[start..].iter().enumerate() {
                if !word.text.starts_with(folded) {
                    break;
                }
                if word.text.len() > folded.len() && Some(word.stem) != stem_id {
                    out.push(((start + i) as u32, PREFIX_WEIGHT));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: &str, name: &str, purpose: &str, subjects: &[&str]) -> SearchDoc {
        SearchDoc {
            id: id.to_owned(),
            controller: "ks".to_owned(),
            name: name.to_owned(),
            purpose: purpose.to_owned(),
            subject_categories: subjects.iter().map(|s| (*s).to_owned()).collect(),
            data_categories: vec!["Namn".to_owned()],
            legal_basis: String::new(),
        }
    }

    fn index() -> SearchIndex {
        SearchIndex::build(vec![
            doc(
                "a",
                "Ärendehantering i Kontaktcenter",
                "Hantera ärenden",
                &["Medborgare"],
            ),
            doc(
                "b",
                "Ärende",
                "Diarieföra ärendet och ärendena",
                &["Medarbetare"],
            ),
            doc("c", "E-tjänst för bygglov", "", &[]),
        ])
    }

    fn word_texts(index: &SearchIndex, matches: &[(u32, f32)]) -> Vec<(String, f32)> {
        let mut out: Vec<(String, f32)> = matches
            .iter()
            .map(|&(w, weight)| (index.words[w as usize].text.clone(), weight))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    #[test]
    fn word_forms_are_folded_sorted_and_unique() {
        let index = index();
        let texts: Vec<&str> = index.words.iter().map(|w| w.text.as_str()).collect();
        let mut sorted = texts.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(texts, sorted);
        assert!(texts.contains(&"arendehantering"));
        assert!(!texts.iter().any(|t| t.contains('ä')));
        // Stop words are not indexed; hyphenated chunks are, also joined.
        assert!(!texts.contains(&"i") && !texts.contains(&"och") && !texts.contains(&"for"));
        assert!(texts.contains(&"e") && texts.contains(&"tjanst") && texts.contains(&"etjanst"));
    }

    #[test]
    fn field_lengths_count_words_without_stop_words_or_joined_chunks() {
        let index = index();
        assert_eq!(index.docs[0].len, [2, 2, 1, 1]);
        assert_eq!(index.docs[2].len, [3, 0, 0, 1]);
        assert_eq!(index.avg_len[Field::Name.index()], 6.0 / 3.0);
    }

    #[test]
    fn postings_hold_the_term_frequency_per_field() {
        let index = index();
        let arend = index.matching_words("arende", "arend");
        let mut tf_b = [0u16; 4];
        for (w, weight) in arend {
            if weight == 1.0 {
                for p in &index.words[w as usize].postings {
                    if p.doc == 1 {
                        for (t, x) in tf_b.iter_mut().zip(p.tf) {
                            *t += x;
                        }
                    }
                }
            }
        }
        // "Ärende" in the name, "ärendet" and "ärendena" in the purpose.
        assert_eq!(tf_b, [1, 2, 0, 0]);
    }

    #[test]
    fn a_term_matches_its_stem_fully_and_longer_compounds_at_a_discount() {
        let index = index();
        let found = word_texts(&index, &index.matching_words("arende", "arend"));
        assert_eq!(
            found,
            [
                ("arende".to_owned(), 1.0),
                ("arendehantering".to_owned(), PREFIX_WEIGHT),
                ("arenden".to_owned(), 1.0),
                ("arendena".to_owned(), 1.0),
                ("arendet".to_owned(), 1.0),
            ]
        );
    }

    #[test]
    fn short_terms_do_not_match_as_prefixes() {
        let index = index();
        assert!(index.matching_words("are", "are").is_empty());
        assert!(index.matching_words("okand", "okand").is_empty());
    }

    #[test]
    fn an_empty_index_is_empty() {
        let index = SearchIndex::build(Vec::new());
        assert!(index.is_empty());
        assert_eq!(index.len(), 0);
        assert_eq!(index.avg_len, [0.0; 4]);
        assert_eq!(
            format!("{index:?}"),
            "SearchIndex { docs: 0, words: 0, stems: 0 }"
        );
    }
}
