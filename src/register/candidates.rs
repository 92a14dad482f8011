//! The register activities that can concern a person, from the person's categories of data
//! subjects, behind `GET /api/v1/cases/{id}/candidates` (`shared/design/api.md`).
//!
//! GDPR Art. 15(1) gives the person the purposes, categories of data, recipients, storage period
//! and source of every processing of their data; the register of processing activities (Art. 30)
//! already holds these per activity and, per activity, the *categories of data subjects*
//! ("Kategorier av registrerade"). The extract is compiled by finding the activities whose
//! categories include the person (`shared/design/domain.md` §5): this module proposes them,
//! ranked and with the reasons, and the handläggare confirms in which the person actually appears.
//!
//! Staff describe the person in their own words ("invånare", "anställd"); registers use other
//! words for the same people ("Medborgare/kommuninvånare", "Medarbetare"). A person category
//! matches a doc category, strongest first, when
//! 1. they are equal after [`normalise`] (1.0);
//! 2. a `/`-separated part of one equals a part of the other: "Medarbetare" and
//!    "Medarbetare/konsulter" (0.95);
//! 3. their words are equal after [`stem`]: "medarbetarna" and "Medarbetare" (0.9);
//! 4. the doc category contains the person's words: "leverantörer" in "Potentiella leverantörer
//!    av varor och tjänster samt befintliga leverantörer" (0.75);
//! 5. both name the same group in [`synonyms`] ("anställd" and "Medarbetare"), or a compound of
//!    the doc category ends with the person's word ("invånare" and "kommuninvånare") (0.6).
//!
//! An activity's score is the sum, over the person's categories, of the best match of each, plus
//! up to 0.1 for the share of the activity's categories that matched (an activity about this
//! kind of person only ranks above one that lists many kinds).

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use super::search::{normalise, stem, tokens, SearchDoc};

/// An activity that may concern the person.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Candidate {
    /// The activity id.
    pub id: String,
    /// Sum of the best match per person category plus the share bonus (see the module docs);
    /// 0 when the person has no categories.
    pub score: f64,
    /// Why, in Swedish, one line per matching pair, e.g.
    /// "Kategorin 'Medborgare/kommuninvånare' motsvarar 'invånare'".
    pub reasons: Vec<String>,
    /// The activity's categories of data subjects that matched, as written in the register.
    pub matched_categories: Vec<String>,
}

/// Reason given for every activity when the person has no categories.
pub const NO_CATEGORIES_REASON: &str =
    "Inga kategorier angivna för personen: alla behandlingar hos nämnden visas";

const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "invanare",
        &[
            "medborgare",
            "kommuninvanare",
            "medborgare/kommuninvanare",
            "allmanhet",
            "allmanheten",
            "privatperson",
        ],
    ),
    (
        "anstalld",
        &["medarbetare", "personal", "arbetstagare", "tjansteman"],
    ),
    ("elev", &["skolelev", "barn i skola"]),
    ("vardnadshavare", &["foralder", "foraldrar"]),
    ("fortroendevald", &["politiker", "ledamot"]),
    ("leverantor", &["leverantorer", "potentiella leverantorer"]),
    ("kund", &["kunder"]),
    ("brukare", &["omsorgstagare", "vardtagare"]),
    ("sokande", &["arbetssokande"]),
    ("besokare", &[]),
];

/// Groups of words for the same kind of data subject: canonical concept → variants, all
/// normalised (lower-case, å/ä → a, ö → o). Inflected forms ("medarbetarna", "leverantörer",
/// "elever") need not be listed: matching compares stems.
pub fn synonyms() -> &'static [(&'static str, &'static [&'static str])] {
    SYNONYMS
}

/// Minimum length, in characters, of a stem that may match as the head (last part) of a compound.
const MIN_HEAD_CHARS: usize = 5;

/// Each synonym group's variants (canonical first) as stem sequences.
fn concept_stems() -> &'static [Vec<Vec<String>>] {
    static STEMS: OnceLock<Vec<Vec<Vec<String>>>> = OnceLock::new();
    STEMS.get_or_init(|| {
        SYNONYMS
            .iter()
            .map(|(canonical, variants)| {
                std::iter::once(*canonical)
                    .chain(variants.iter().copied())
                    .map(stems)
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .collect()
    })
}

fn stems(text: &str) -> Vec<String> {
    tokens(text).iter().map(|t| stem(t)).collect()
}

/// Comparison key: normalised words joined by one space (punctuation and hyphens ignored).
fn key(text: &str) -> String {
    normalise(&text.replace('-', ""))
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains_seq(haystack: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Whether `word` is a compound whose last part is `head` ("kommuninvanar" ends with "invanar").
fn compound_head(word: &str, head: &str) -> bool {
    head.chars().count() >= MIN_HEAD_CHARS && word.len() > head.len() && word.ends_with(head)
}

/// A category (the person's or an activity's) prepared for matching.
#[derive(Debug)]
struct Category {
    text: String,
    key: String,
    /// Keys of the `/`-separated parts (just the whole when there is no `/`).
    part_keys: Vec<String>,
    /// Stems of the whole and of each part.
    stems: Vec<String>,
    part_stems: Vec<Vec<String>>,
    /// Indices into [`synonyms`] of the groups this category names.
    concepts: BTreeSet<usize>,
}

impl Category {
    fn new(text: &str) -> Self {
        let text = text.trim().to_owned();
        let parts: Vec<&str> = text
            .split('/')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let part_stems: Vec<Vec<String>> = parts.iter().map(|p| stems(p)).collect();
        let all_stems = stems(&text);
        let mut concepts = BTreeSet::new();
        for (group, variants) in concept_stems().iter().enumerate() {
            let named = variants.iter().any(|variant| {
                contains_seq(&all_stems, variant)
                    || part_stems.iter().any(|p| contains_seq(p, variant))
                    || (variant.len() == 1
                        && all_stems.iter().any(|s| compound_head(s, &variant[0])))
            });
            if named {
                concepts.insert(group);
            }
        }
        Category {
            key: key(&text),
            part_keys: parts.iter().map(|p| key(p)).collect(),
            stems: all_stems,
            part_stems,
            concepts,
            text,
        }
    }
}

/// How a person category matches a doc category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MatchKind {
    Synonym,
    Contains,
    Inflection,
    SamePart,
    Exact,
}

impl MatchKind {
    fn score(self) -> f64 {
        match self {
            MatchKind::Exact => 1.0,
            MatchKind::SamePart => 0.95,
            MatchKind::Inflection => 0.9,
            MatchKind::Contains => 0.75,
            MatchKind::Synonym => 0.6,
        }
    }

    fn reason(self, doc: &str, person: &str) -> String {
        match self {
            MatchKind::Exact => format!("Kategorin '{doc}' stämmer med '{person}'"),
            MatchKind::SamePart => format!("Kategorin '{doc}' omfattar '{person}'"),
            MatchKind::Inflection => {
                format!("Kategorin '{doc}' stämmer med '{person}' (annan böjningsform)")
            }
            MatchKind::Contains => format!("Kategorin '{doc}' innehåller '{person}'"),
            MatchKind::Synonym => format!("Kategorin '{doc}' motsvarar '{person}'"),
        }
    }
}

fn match_kind(person: &Category, doc: &Category) -> Option<MatchKind> {
    if person.key.is_empty() || doc.key.is_empty() {
        return None;
    }
    if person.key == doc.key {
        return Some(MatchKind::Exact);
    }
    if person
        .part_keys
        .iter()
        .any(|p| !p.is_empty() && doc.part_keys.contains(p))
    {
        return Some(MatchKind::SamePart);
    }
    let same_stems = |a: &Vec<String>, b: &Vec<String>| !a.is_empty() && a == b;
    if same_stems(&person.stems, &doc.stems)
        || person
            .part_stems
            .iter()
            .any(|p| doc.part_stems.iter().any(|d| same_stems(p, d)))
    {
        return Some(MatchKind::Inflection);
    }
    if person
        .part_stems
        .iter()
        .any(|p| contains_seq(&doc.stems, p))
    {
        return Some(MatchKind::Contains);
    }
    let head_of_compound = person
        .part_stems
        .iter()
        .any(|p| p.len() == 1 && doc.stems.iter().any(|d| compound_head(d, &p[0])));
    if head_of_compound || !person.concepts.is_disjoint(&doc.concepts) {
        return Some(MatchKind::Synonym);
    }
    None
}

/// The activities whose categories of data subjects match one of `person_categories` (free text
/// from staff, e.g. `["invånare", "anställd"]`), best first (score descending, then activity
/// name, then id), each with the reasons and the matched categories.
///
/// With no person category (or only blank ones) every activity is returned with score 0 and the
/// reason [`NO_CATEGORIES_REASON`], so that the handläggare still sees the nämnd's activities.
pub fn candidates(person_categories: &[String], docs: &[SearchDoc]) -> Vec<Candidate> {
    let person: Vec<Category> = person_categories
        .iter()
        .filter(|p| !key(p).is_empty())
        .map(|p| Category::new(p))
        .collect();

    // Registers repeat the same categories across activities: prepare each text once.
    let mut prepared: HashMap<&str, Category> = HashMap::new();
    if !person.is_empty() {
        for category in docs.iter().flat_map(|d| &d.subject_categories) {
            prepared
                .entry(category.as_str())
                .or_insert_with(|| Category::new(category));
        }
    }
    let mut scored: Vec<(&SearchDoc, Candidate)> = Vec::new();
    for doc in docs {
        if person.is_empty() {
            scored.push((
                doc,
                Candidate {
                    id: doc.id.clone(),
                    score: 0.0,
                    reasons: vec![NO_CATEGORIES_REASON.to_owned()],
                    matched_categories: Vec::new(),
                },
            ));
            continue;
        }
        let doc_categories: Vec<&Category> = doc
            .subject_categories
            .iter()
            .map(|c| &prepared[c.as_str()])
            .filter(|c| !c.key.is_empty())
            .collect();
        let mut score = 0.0;
        let mut reasons = Vec::new();
        let mut matched = vec![false; doc_categories.len()];
        for p in &person {
            let mut best: Option<MatchKind> = None;
            for (i, d) in doc_categories.iter().enumerate() {
                if let Some(kind) = match_kind(p, d) {
                    matched[i] = true;
                    best = best.max(Some(kind));
                    let reason = kind.reason(&d.text, &p.text);
                    if !reasons.contains(&reason) {
                        reasons.push(reason);
                    }
                }
            }
            if let Some(best) = best {
                score += best.score();
            }
        }
        let n_matched = matched.iter().filter(|m| **m).count();
        if n_matched == 0 {
            continue;
        }
        score += 0.1 * n_matched as f64 / doc_categories.len() as f64;
        let mut matched_categories: Vec<String> = Vec::new();
        for (d, _) in doc_categories.iter().zip(&matched).filter(|(_, m)| **m) {
            if !matched_categories.contains(&d.text) {
                matched_categories.push(d.text.clone());
            }
        }
        scored.push((
            doc,
            Candidate {
                id: doc.id.clone(),
                score,
                reasons,
                matched_categories,
            },
        ));
    }
    scored.sort_by(|(da, a), (db, b)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| da.name.cmp(&db.name))
            .then_with(|| a.id.cmp(&b.id))
    });
    scored.into_iter().map(|(_, c)| c).collect()
}
