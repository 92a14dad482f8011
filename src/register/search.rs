//! Ranked, Swedish-aware full-text search over a register of processing activities
//! (GDPR Art. 30 "register över behandlingar"), behind `GET /api/v1/register/search`
//! (`shared/design/api.md`, "Register of processing activities").
//!
//! # Text processing
//! * [`normalise`] lower-cases and folds diacritics (å, ä → a; ö → o; é → e; ü → u; any other
//!   combining accent is dropped), so that queries typed without Swedish letters
//!   ("arendehantering") find the register's texts ("Ärendehantering").
//! * [`tokens`] splits the normalised text into words and drops a short list of Swedish stop words.
//! * [`stem`] runs the Snowball Swedish stemmer (<https://snowballstem.org/algorithms/swedish/stemmer.html>)
//!   on the un-folded word and folds the result, with three small additions for inflections the
//!   Snowball algorithm leaves alone (see [`stem`]).
//!
//! # Ranking
//! BM25F (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25 and Beyond", 2009)
//! over stemmed terms with per-field weights (name 3.0, categories of data subjects 2.0,
//! categories of personal data 1.5, purpose 1.0), `k1 = 1.2`, `b = 0.75`.
//!
//! Swedish writes compounds as one word ("ärendehantering" = ärende + hantering), so a query
//! term of at least four letters also matches, at a discount, every indexed word that it is a
//! prefix of ("ärende" finds "Ärendehantering i Kontaktcenter", "kontakt" finds "kontaktuppgifter").
//!
//! The score of a hit is `phrase tier + number of distinct query terms matched + relevance`,
//! where relevance is the BM25F score divided by its upper bound for the query (so `0 <=
//! relevance < 1`). Consequently a document that matches more distinct query terms always ranks
//! above one that matches fewer, and a document whose name contains the whole query as a phrase
//! (tier `k + 1` for `k` query terms, `2(k + 1)` when the name *is* the query) ranks above all
//! others: the activity named by the query comes first.
//!
//! # Performance
//! The index is an inverted index from folded word forms to postings (document, per-field term
//! frequency); stems map to the word forms that share them; the word forms are kept sorted so
//! that a prefix is a binary-searched range. A query touches only the postings of its terms.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::{decompose_canonical, is_combining_mark};
use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// One processing activity as the search sees it: the searchable texts and the filter values.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    /// Activity id (returned in [`Hit::id`]).
    pub id: String,
    /// Controller (nämnd) id, for [`Filters::controller`].
    pub controller: String,
    /// Behandlingsaktivitet.
    pub name: String,
    /// Ändamål med behandlingen.
    pub purpose: String,
    /// Kategorier av registrerade.
    pub subject_categories: Vec<String>,
    /// Kategorier av personuppgifter.
    pub data_categories: Vec<String>,
    /// Rättslig grund (not searched; for [`Filters::legal_basis`]).
    pub legal_basis: String,
}

/// A searched field of an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Behandlingsaktivitet (weight 3.0).
    Name,
    /// Ändamål med behandlingen (weight 1.0).
    Purpose,
    /// Kategorier av registrerade (weight 2.0).
    SubjectCategories,
    /// Kategorier av personuppgifter (weight 1.5).
    DataCategories,
}

impl Field {
    /// All fields, in the order used for [`Hit::matched_fields`].
    pub const ALL: [Field; 4] = [
        Field::Name,
        Field::Purpose,
        Field::SubjectCategories,
        Field::DataCategories,
    ];

    /// The BM25F weight of the field.
    pub fn weight(self) -> f64 {
        match self {
            Field::Name => 3.0,
            Field::Purpose => 1.0,
            Field::SubjectCategories => 2.0,
            Field::DataCategories => 1.5,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Optional filters; each compares normalised forms (case, accents, punctuation and hyphens do
/// not matter). An empty or blank filter value is no filter.
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

/// One search result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hit {
    /// The activity id.
    pub id: String,
    /// Phrase tier + number of distinct query terms matched + relevance in `[0, 1)`; see the module docs.
    pub score: f64,
    /// The fields in which some query term matched, in [`Field::ALL`] order.
    pub matched_fields: Vec<Field>,
    /// The query terms (as returned by [`tokens`]) that matched, in query order.
    pub matched_terms: Vec<String>,
}

/// Swedish stop words, in folded form ("för" → "for", "på" → "pa", "är" → "ar", ...).
const STOP_WORDS: [&str; 21] = [
    "och", "i", "att", "det", "som", "en", "ett", "av", "for", "med", "till", "pa", "om", "den",
    "de", "ar", "samt", "eller", "vid", "fran", "sa",
];

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Weight of a compound (prefix) match relative to a match of the stem itself.
const PREFIX_WEIGHT: f32 = 0.6;
/// Minimum length, in characters of the folded query term, for prefix (compound) matching.
const MIN_PREFIX_CHARS: usize = 4;
/// Query terms beyond this many are ignored (the matched-term set is a 64-bit mask).
const MAX_QUERY_TERMS: usize = 64;

fn is_stop_word(folded: &str) -> bool {
    STOP_WORDS.contains(&folded)
}

/// Characters that carry no letter and are dropped before anything else: soft hyphen,
/// zero-width space/joiners and the byte-order mark (left behind by PDF and Word exports).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'
    )
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}')
}

/// Lower-cases `text` and folds diacritics: å, ä → a; ö → o; é → e; ü → u (every combining
/// accent is removed after canonical decomposition, so composed and decomposed input agree),
/// ø → o, æ → ae, ß → ss. Invisible formatting characters (soft hyphen, zero-width space) are
/// dropped; everything else is kept, so the result has the same words as the input.
///
/// "Rådgivning" and "radgivning" normalise alike, as do "Ärende" and "arende".
pub fn normalise(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Appends the folded, lower-case form of `c` to `out`: a table for the Latin letters met in
/// Swedish texts, canonical decomposition without the combining marks for anything else.
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let folded = match c {
        'å' | 'Å' | 'ä' | 'Ä' | 'à' | 'À' | 'á' | 'Á' | 'â' | 'Â' | 'ã' | 'Ã' => 'a',
        'ö' | 'Ö' | 'ø' | 'Ø' | 'ò' | 'Ò' | 'ó' | 'Ó' | 'ô' | 'Ô' | 'õ' | 'Õ' => 'o',
        'é' | 'É' | 'è' | 'È' | 'ê' | 'Ê' | 'ë' | 'Ë' => 'e',
        'ü' | 'Ü' | 'ù' | 'Ù' | 'ú' | 'Ú' | 'û' | 'Û' => 'u',
        'í' | 'Í' | 'ì' | 'Ì' | 'î' | 'Î' | 'ï' | 'Ï' => 'i',
        'ý' | 'Ý' | 'ÿ' => 'y',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        'æ' | 'Æ' => {
            out.push_str("ae");
            return;
        }
        'ß' => {
            out.push_str("ss");
            return;
        }
        _ => {
            if is_invisible(c) || is_combining_mark(c) {
                return;
            }
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase().filter(|l| !is_combining_mark(*l)));
                }
            });
            return;
        }
    };
    out.push(folded);
}

/// Splits `text` into lower-cased (not folded) words, composed to NFC so that the stemmer sees
/// å/ä/ö as single letters; words are maximal runs of alphanumeric characters. Each chunk of
/// words joined by hyphens ("Intresseav-vägning", "e-tjänst") is reported through `joined` as
/// one extra word without the hyphens.
fn raw_words(text: &str, mut joined: impl FnMut(String)) -> Vec<String> {
    let composed: String;
    let text = if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        text
    } else {
        composed = text.nfc().collect();
        &composed
    };
    let lower: String = text
        .chars()
        .filter(|c| !is_invisible(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut words = Vec::new();
    let mut chunk_parts = 0usize;
    let mut chunk = String::new();
    let mut word = String::new();
    let mut flush_word = |word: &mut String, chunk: &mut String, parts: &mut usize| {
        if !word.is_empty() {
            chunk.push_str(word);
            *parts += 1;
            words.push(std::mem::take(word));
        }
    };
    for c in lower.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            word.push(c);
        } else if is_hyphen(c) {
            flush_word(&mut word, &mut chunk, &mut chunk_parts);
        } else {
            flush_word(&mut word, &mut chunk, &mut chunk_parts);
            if chunk_parts > 1 {
                joined(std::mem::take(&mut chunk));
            }
            chunk.clear();
            chunk_parts = 0;
        }
    }
    flush_word(&mut word, &mut chunk, &mut chunk_parts);
    if chunk_parts > 1 {
        joined(chunk);
    }
    words
}

/// The normalised words of `text` (see [`normalise`]), split on every non-alphanumeric
/// character, without the Swedish stop words (och, i, att, det, som, en, ett, av, för, med,
/// till, på, om, den, de, är, samt, eller, vid, från, så).
pub fn tokens(text: &str) -> Vec<String> {
    raw_words(text, |_| {})
        .iter()
        .map(|w| normalise(w))
        .filter(|w| !is_stop_word(w))
        .collect()
}

fn swedish_stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::Swedish))
}

fn is_swedish_vowel(c: char) -> bool {
    matches!(
        c,
        'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'ä' | 'å' | 'ö' | 'é' | 'ü'
    )
}

/// Start (in chars) of the Snowball Swedish region R1: after the first non-vowel that follows
/// a vowel, but not before the fourth letter.
fn r1_start(chars: &[char]) -> usize {
    let mut start = chars.len();
    for i in 1..chars.len() {
        if !is_swedish_vowel(chars[i]) && is_swedish_vowel(chars[i - 1]) {
            start = i + 1;
            break;
        }
    }
    start.max(3)
}

/// Base forms that end in "-et" and are not the definite form of a neuter noun.
const ET_BASE_FORMS: [&str; 11] = [
    "internet", "intranet", "budget", "paket", "planet", "magnet", "raket", "komet", "tapet",
    "konkret", "diskret",
];

/// Stems one word: the Snowball Swedish stemmer on the lower-cased, un-folded word (so that it
/// sees å/ä/ö), then folded like [`normalise`]. Two additions cover inflections that Snowball
/// leaves alone, each only inside the region R1 of the word:
///
/// * the definite neuter singular "-et"/"-ets" and plural "-ena" of nouns in "-e" or a
///   consonant: "ärendet" → "ärend" (like "ärende", "ärenden"), "beslutet" → "beslut",
///   "ärendena" → "ärend" (words in "-itet" and a few base forms such as "internet" excepted);
/// * the unstressed "-el" that drops its "e" when inflected: "vigsel"/"vigseln" → "vigsl" (like
///   "vigslar"), "artikel" → "artikl" (like "artiklar").
///
/// "ärende", "ärenden", "ärendet", "ärendena" and "arende" all stem to "arend".
pub fn stem(token: &str) -> String {
    let lower = token.nfc().collect::<String>().to_lowercase();
    let stemmed = swedish_stemmer().stem(&lower).into_owned();
    let mut chars: Vec<char> = stemmed.chars().collect();
    let r1 = r1_start(&chars);
    let n = chars.len();
    let unchanged = stemmed == lower;
    let ends = |chars: &[char], suffix: &str| {
        let suffix: Vec<char> = suffix.chars().collect();
        chars.ends_with(&suffix)
    };

    // Definite neuter singular "-et", also in the genitive "-ets": Snowball has no such suffix.
    let genitive = lower.len() == stemmed.len() + 1 && lower.ends_with("ets");
    let definite_singular = (unchanged || genitive)
        && ends(&chars, "et")
        && !ends(&chars, "itet")
        && !ET_BASE_FORMS.contains(&stemmed.as_str());
    // Definite neuter plural "-ena": Snowball removes only the "-a".
    let definite_plural = lower.ends_with("ena") && ends(&chars, "en");
    if (definite_singular || definite_plural) && n >= 5 && n - 2 >= r1 {
        chars.truncate(n - 2);
    }
    // Unstressed "-el"/"-eln" after a consonant: vigsel, vigseln → vigsl.
    let n = chars.len();
    if n >= 4 && unchanged && ends(&chars, "eln") && !is_swedish_vowel(chars[n - 4]) && n - 3 >= r1
    {
        chars.truncate(n - 1);
    }
    let n = chars.len();
    if n >= 4 && ends(&chars, "el") && !is_swedish_vowel(chars[n - 3]) && n - 2 >= r1 {
        chars.remove(n - 2);
    }
    normalise(&chars.into_iter().collect::<String>())
}

/// One query term: the folded word and its stem.
#[derive(Debug, Clone)]
struct QueryTerm {
    folded: String,
    stem: String,
}

/// A posting: a document and the term frequency of the word form in each field.
#[derive(Debug, Clone, Copy)]
struct Posting {
    doc: u32,
    tf: [u16; 4],
}

/// An indexed (folded) word form.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    stem: u32,
    postings: Vec<Posting>,
}

#[derive(Debug, Clone)]
struct DocEntry {
    id: String,
    name: String,
    /// The folded words of the name joined by single spaces, and the same with hyphenated
    /// chunks joined (for phrase matching).
    name_phrases: [String; 2],
    /// Field lengths in tokens.
    len: [u32; 4],
}

/// Per-document accumulator during a query.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    bm25: f64,
    terms: u64,
    name_terms: u64,
    fields: u8,
}

/// An immutable, in-memory search index over a set of activities. Build it once per change of
/// the register ([`SearchIndex::build`]) and share it; queries take `&self`.
pub struct SearchIndex {
    docs: Vec<DocEntry>,
    /// Sorted by `text`.
    words: Vec<Word>,
    stem_ids: HashMap<String, u32>,
    /// Stem id → ids of the word forms with that stem.
    stem_words: Vec<Vec<u32>>,
    avg_len: [f64; 4],
    by_controller: HashMap<String, Vec<u32>>,
    by_subject_category: HashMap<String, Vec<u32>>,
    by_legal_basis: HashMap<String, Vec<u32>>,
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

/// The comparison key of a filter value: normalised, hyphens removed, words joined by one space.
fn filter_key(text: &str) -> String {
    let without_hyphens: String = text.chars().filter(|c| !is_hyphen(*c)).collect();
    normalise(&without_hyphens)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keys under which a category of data subjects is found: the whole and each `/`-part.
fn subject_category_keys(category: &str) -> Vec<String> {
    let mut keys = vec![filter_key(category)];
    if category.contains('/') {
        keys.extend(category.split('/').map(filter_key));
    }
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

/// Keys under which a legal-basis cell is found: the whole, each part separated by punctuation,
/// and each part of those separated by "och", "samt" or "eller".
fn legal_basis_keys(cell: &str) -> Vec<String> {
    let mut keys = vec![filter_key(cell)];
    for part in cell.split([',', ';', '/', '&', '+', '\n']) {
        let key = filter_key(part);
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
    keys.retain(|k| !k.is_empty());
    keys.sort();
    keys.dedup();
    keys
}

fn push_posting(map: &mut HashMap<String, Vec<u32>>, key: String, doc: u32) {
    let list = map.entry(key).or_default();
    if list.last() != Some(&doc) {
        list.push(doc);
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
    fn add_text(&mut self, text: &str, field: usize, tf: &mut HashMap<u32, [u16; 4]>) -> u32 {
        let mut joined = Vec::new();
        let words = raw_words(text, |j| joined.push(j));
        let mut count = 0;
        for (lower, is_extra) in words
            .iter()
            .map(|w| (w, false))
            .chain(joined.iter().map(|w| (w, true)))
        {
            let folded = normalise(lower);
            if is_stop_word(&folded) {
                continue;
            }
            if !is_extra {
                count += 1;
            }
            let id = self.word_id(lower, folded);
            let entry = tf.entry(id).or_default();
            entry[field] = entry[field].saturating_add(1);
        }
        count
    }
}

/// The folded words of `text` joined by single spaces (stop words kept), and the same with
/// hyphenated chunks joined into one word.
fn phrase_forms(text: &str) -> [String; 2] {
    let normalised = normalise(text);
    let split = normalised
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let joined = normalised
        .split(|c: char| !c.is_alphanumeric() && !is_hyphen(c))
        .map(|chunk| chunk.chars().filter(|c| !is_hyphen(*c)).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    [split, joined]
}

/// Whether `phrase` occurs in `text` starting at a word boundary.
fn contains_at_word_start(text: &str, phrase: &str) -> bool {
    text.match_indices(phrase)
        .any(|(i, _)| i == 0 || text.as_bytes()[i - 1] == b' ')
}

impl SearchIndex {
    /// Builds the index over `docs` (their order is irrelevant to the results).
    pub fn build(docs: Vec<SearchDoc>) -> Self {
        let mut builder = Builder::default();
        let mut entries = Vec::with_capacity(docs.len());
        let mut total_len = [0f64; 4];
        let mut by_controller: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_subject_category: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_legal_basis: HashMap<String, Vec<u32>> = HashMap::new();
        let mut tf: HashMap<u32, [u16; 4]> = HashMap::new();

        for (d, doc) in docs.into_iter().enumerate() {
            let d = d as u32;
            tf.clear();
            let mut len = [0u32; 4];
            len[Field::Name.index()] = builder.add_text(&doc.name, Field::Name.index(), &mut tf);
            len[Field::Purpose.index()] =
                builder.add_text(&doc.purpose, Field::Purpose.index(), &mut tf);
            for category in &doc.subject_categories {
                len[Field::SubjectCategories.index()] +=
                    builder.add_text(category, Field::SubjectCategories.index(), &mut tf);
            }
            for category in &doc.data_categories {
                len[Field::DataCategories.index()] +=
                    builder.add_text(category, Field::DataCategories.index(), &mut tf);
            }
            let mut postings: Vec<(u32, [u16; 4])> = tf.drain().collect();
            postings.sort_unstable_by_key(|p| p.0);
            for (word, tf) in postings {
                builder.words[word as usize]
                    .postings
                    .push(Posting { doc: d, tf });
            }
            for (t, l) in total_len.iter_mut().zip(len) {
                *t += f64::from(l);
            }

            let controller = filter_key(&doc.controller);
            if !controller.is_empty() {
                push_posting(&mut by_controller, controller, d);
            }
            for category in &doc.subject_categories {
                for key in subject_category_keys(category) {
                    push_posting(&mut by_subject_category, key, d);
                }
            }
            for key in legal_basis_keys(&doc.legal_basis) {
                push_posting(&mut by_legal_basis, key, d);
            }
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
            by_controller,
            by_subject_category,
            by_legal_basis,
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

    /// The documents allowed by `filters`, or `None` when no filter is set.
    fn allowed(&self, filters: &Filters) -> Option<Vec<bool>> {
        let wanted = [
            (&filters.controller, &self.by_controller),
            (&filters.subject_category, &self.by_subject_category),
            (&filters.legal_basis, &self.by_legal_basis),
        ];
        let mut allowed: Option<Vec<bool>> = None;
        for (value, map) in wanted {
            let Some(value) = value else { continue };
            let key = filter_key(value);
            if key.is_empty() {
                continue;
            }
            let mut this = vec![false; self.docs.len()];
            for &d in map.get(&key).map(Vec::as_slice).unwrap_or_default() {
                this[d as usize] = true;
            }
            allowed = Some(match allowed {
                None => this,
                Some(prev) => prev.iter().zip(&this).map(|(a, b)| *a && *b).collect(),
            });
        }
        allowed
    }

    /// The word forms a query term matches, with their weights: every form with the term's
    /// stem (1.0) and, for terms of at least [`MIN_PREFIX_CHARS`] letters, every longer form that
    /// starts with the term ([`PREFIX_WEIGHT`]).
    fn matching_words(&self, term: &QueryTerm) -> Vec<(u32, f32)> {
        let stem_id = self.stem_ids.get(&term.stem).copied();
        let mut out: Vec<(u32, f32)> = stem_id
            .map(|s| {
                self.stem_words[s as usize]
                    .iter()
                    .map(|&w| (w, 1.0))
                    .collect()
            })
            .unwrap_or_default();
        if term.folded.chars().count() >= MIN_PREFIX_CHARS {
            let start = self
                .words
                .partition_point(|w| w.text.as_str() < term.folded.as_str());
            for (i, word) in self.words[start..].iter().enumerate() {
                if !word.text.starts_with(&term.folded) {
                    break;
                }
                if word.text.len() > term.folded.len() && Some(word.stem) != stem_id {
                    out.push(((start + i) as u32, PREFIX_WEIGHT));
                }
            }
        }
        out
    }

    /// Searches for `query` (OR over its terms), keeps the activities allowed by `filters` and
    /// returns at most `limit` hits, best first (score descending, then name, then id).
    /// An empty query (or one of stop words only) returns nothing.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Vec<Hit> {
        if limit == 0 || self.docs.is_empty() {
            return Vec::new();
        }
        let mut terms: Vec<QueryTerm> = Vec::new();
        for lower in raw_words(query, |_| {}) {
            let folded = normalise(&lower);
            if is_stop_word(&folded) {
                continue;
            }
            let stem = stem(&lower);
            if terms.iter().all(|t| t.stem != stem) && terms.len() < MAX_QUERY_TERMS {
                terms.push(QueryTerm { folded, stem });
            }
        }
        if terms.is_empty() {
            return Vec::new();
        }
        let allowed = self.allowed(filters);

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
            for (word, weight) in self.matching_words(term) {
                for p in &self.words[word as usize].postings {
                    if let Some(allowed) = &allowed {
                        if !allowed[p.doc as usize] {
                            continue;
                        }
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
            let df = touched.len() as f64;
            let idf = (1.0 + (n_docs as f64 - df + 0.5) / (df + 0.5)).ln();
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
        if hit_docs.is_empty() {
            return Vec::new();
        }

        let all_terms = if terms.len() == 64 {
            u64::MAX
        } else {
            (1u64 << terms.len()) - 1
        };
        let k = terms.len() as f64;
        let query_phrase = phrase_forms(query)[0].clone();
        let mut scored: Vec<(u32, f64)> = hit_docs
            .iter()
            .map(|&d| {
                let a = &acc[d as usize];
                let mut score = f64::from(a.terms.count_ones());
                if upper_bound > 0.0 {
                    score += a.bm25 / upper_bound;
                }
                if a.name_terms == all_terms && !query_phrase.is_empty() {
                    let names = &self.docs[d as usize].name_phrases;
                    if names.contains(&query_phrase) {
                        score += 2.0 * (k + 1.0);
                    } else if names
                        .iter()
                        .any(|n| contains_at_word_start(n, &query_phrase))
                    {
                        score += k + 1.0;
                    }
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
}
