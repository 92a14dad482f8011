//! Times searches over a synthetic register of 10,000 activities.
//!
//! Run with `cargo run --release --example search_bench`; prints the build time and the
//! median, 90th percentile and maximum over 200 queries.

#[path = "../tests/register/common.rs"]
mod common;

use std::time::{Duration, Instant};

use dsar::register::search::{Filters, SearchIndex};

fn main() {
    let docs = common::synthetic_docs(10_000);
    let started = Instant::now();
    let index = SearchIndex::build(docs);
    let build = started.elapsed();

    // 200 queries: single words, their first letters (prefix and compound matches), pairs and
    // triples of words, with and without Swedish letters.
    let vocabulary = common::seed_vocabulary();
    let mut rng = common::Rng::new(42);
    let mut queries: Vec<String> = Vec::new();
    while queries.len() < 200 {
        let word = rng.pick(&vocabulary).clone();
        let query = match queries.len() % 5 {
            0 => word,
            1 => word.chars().take(5).collect(),
            2 => format!("{word} {}", rng.pick(&vocabulary)),
            3 => format!("{word} {} {}", rng.pick(&vocabulary), rng.pick(&vocabulary)),
            _ => dsar::register::search::normalise(&word),
        };
        queries.push(query);
    }
    let filters = Filters::default();
    // Warm up.
    let mut total_hits = 0;
    for q in &queries {
        total_hits += index.search(q, &filters, 50).len();
    }
    let mut timed: Vec<(Duration, &str)> = queries
        .iter()
        .map(|q| {
            let t = Instant::now();
            let hits = index.search(q, &filters, 50);
            let elapsed = t.elapsed();
            std::hint::black_box(hits);
            (elapsed, q.as_str())
        })
        .collect();
    timed.sort();
    let times: Vec<Duration> = timed.iter().map(|t| t.0).collect();
    let pct = |p: usize| times[(times.len() * p / 100).min(times.len() - 1)];
    println!("activities: {}", index.len());
    println!("build: {:.1} ms", build.as_secs_f64() * 1e3);
    println!("queries: {} (hits in warm-up: {total_hits})", times.len());
    println!("median: {:.3} ms", pct(50).as_secs_f64() * 1e3);
    println!("p90: {:.3} ms", pct(90).as_secs_f64() * 1e3);
    let (slowest, slowest_query) = timed[timed.len() - 1];
    println!(
        "max: {:.3} ms ({slowest_query:?})",
        slowest.as_secs_f64() * 1e3
    );
}
