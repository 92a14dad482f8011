//! Ranked, Swedish-aware full-text search over a register of processing activities
//! (GDPR Art. 30 "register över behandlingar"), behind `GET /api/v1/register/search`
//! (`shared/design/api.md`, "Register of processing activities").
//!
//! One job per module:
//! * `doc`: what is indexed ([`SearchDoc`]) and the searched fields ([`Field`]);
//! * [`normalise`] is [`crate::domain::text::fold`], the one folding of Swedish text;
//! * `tokens`: words and stop words ([`tokens`]);
//! * `stem`: the Swedish stemmer ([`stem`]);
//! * `filters`: the activity filters shared with the list endpoint ([`Filters`]);
//! * `index`: the inverted index ([`SearchIndex::build`]);
//! * `ranking`: BM25F and the tiers ([`SearchIndex::search`], [`Hit`]).
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

mod doc;
mod filters;
mod index;
mod ranking;
mod stem;
mod tokens;

pub use crate::domain::text::fold as normalise;
pub use doc::{Field, SearchDoc};
pub use filters::Filters;
pub use index::SearchIndex;
pub use ranking::Hit;
pub use stem::stem;
pub use tokens::tokens;
