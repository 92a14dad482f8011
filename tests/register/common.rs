//! Test helpers: a tiny reader for the seed register (the real importer lives elsewhere) and a
//! deterministic synthetic register built from the seed's words.
#![allow(dead_code)]

use dsar::register::search::SearchDoc;

/// The seed register: Södertälje kommunstyrelse's published register of processing activities.
pub const SEED: &str = include_str!("../data/000_a65a8098ee30a96a.txt");

/// One activity of the seed register, with the columns the tests need.
#[derive(Debug, Clone)]
pub struct SeedRow {
    pub name: String,
    pub purpose: String,
    pub subject_categories: Vec<String>,
    pub data_categories: Vec<String>,
    pub legal_basis: String,
    pub retention: String,
}

fn split_categories(cell: &str) -> Vec<String> {
    cell.split([',', ';'])
        .map(|c| c.trim().trim_end_matches('.').trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// Splits on tabs, skips to the header row ("Behandlingsaktivitet"), skips blank rows; a row with
/// an empty first cell is another activity with the name of the one above.
pub fn seed_rows() -> Vec<SeedRow> {
    let mut rows = Vec::new();
    let mut lines = SEED.lines();
    for line in lines.by_ref() {
        if line.split('\t').next().map(str::trim) == Some("Behandlingsaktivitet") {
            break;
        }
    }
    let mut last_name = String::new();
    for line in lines {
        let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let cell = |i: usize| cells.get(i).copied().unwrap_or("").to_owned();
        let name = if cells[0].is_empty() {
            last_name.clone()
        } else {
            cell(0)
        };
        last_name = name.clone();
        rows.push(SeedRow {
            name,
            purpose: cell(1),
            subject_categories: split_categories(&cell(2)),
            data_categories: split_categories(&cell(3)),
            legal_basis: cell(4),
            retention: cell(5),
        });
    }
    rows
}

/// The seed activities as search documents, ids "ks-01" .. "ks-20", controller "kommunstyrelsen".
pub fn seed_docs() -> Vec<SearchDoc> {
    seed_rows()
        .into_iter()
        .enumerate()
        .map(|(i, r)| SearchDoc {
            id: format!("ks-{:02}", i + 1),
            controller: "kommunstyrelsen".to_owned(),
            name: r.name,
            purpose: r.purpose,
            subject_categories: r.subject_categories,
            data_categories: r.data_categories,
            legal_basis: r.legal_basis,
        })
        .collect()
}

/// The id of the seed activity with this name (the first, if several share it).
pub fn seed_id(name: &str) -> String {
    seed_docs()
        .into_iter()
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("no seed activity named {name:?}"))
        .id
}

/// The name of the seed activity with this id.
pub fn seed_name(id: &str) -> String {
    seed_docs()
        .into_iter()
        .find(|d| d.id == id)
        .unwrap_or_else(|| panic!("no seed activity {id:?}"))
        .name
}

/// A small deterministic pseudo-random generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

/// The words of the seed's activity texts (names, purposes, categories), as written.
pub fn seed_vocabulary() -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for r in seed_rows() {
        let texts = [r.name, r.purpose]
            .into_iter()
            .chain(r.subject_categories)
            .chain(r.data_categories);
        for text in texts {
            for w in text.split(|c: char| !c.is_alphanumeric() && c != '-') {
                if w.chars().count() >= 2 && !words.iter().any(|x| x == w) {
                    words.push(w.to_owned());
                }
            }
        }
    }
    words
}

/// The id of the planted activity in [`synthetic_docs`].
pub const PLANTED_ID: &str = "planted-hundregister";
/// Its name: words that occur nowhere else in the synthetic register.
pub const PLANTED_NAME: &str = "Hundregistrering och kattlicenser hos djurskyddsenheten";

const CONTROLLERS: [&str; 4] = [
    "kommunstyrelsen",
    "socialnamnden",
    "utbildningsnamnden",
    "miljo-och-byggnamnden",
];

/// `count` activities generated deterministically from the seed's words, categories and legal
/// bases, spread over four controllers; the activity [`PLANTED_ID`] is the one in the middle,
/// and the 20 seed activities are the last 20 (ids "ks-01" .. "ks-20").
pub fn synthetic_docs(count: usize) -> Vec<SearchDoc> {
    let vocabulary = seed_vocabulary();
    let rows = seed_rows();
    let subject_categories: Vec<String> = rows
        .iter()
        .flat_map(|r| r.subject_categories.clone())
        .collect();
    let data_categories: Vec<String> = rows
        .iter()
        .flat_map(|r| r.data_categories.clone())
        .collect();
    let legal_bases: Vec<String> = rows.iter().map(|r| r.legal_basis.clone()).collect();
    let seeds = seed_docs();
    let generated = count - seeds.len();
    let mut rng = Rng::new(0x5EED_2026);
    let mut docs = Vec::with_capacity(count);
    for i in 0..generated {
        if i == generated / 2 {
            docs.push(SearchDoc {
                id: PLANTED_ID.to_owned(),
                controller: "miljo-och-byggnamnden".to_owned(),
                name: PLANTED_NAME.to_owned(),
                purpose: "Registrera hundägare och utfärda kattlicenser enligt djurskyddslagen."
                    .to_owned(),
                subject_categories: vec!["Hundägare".to_owned(), "Kattägare".to_owned()],
                data_categories: vec!["Namn".to_owned(), "chipnummer".to_owned()],
                legal_basis: "Myndighetsutövning".to_owned(),
            });
            continue;
        }
        let words = |rng: &mut Rng, lo: usize, hi: usize| {
            let n = rng.between(lo, hi);
            (0..n)
                .map(|_| rng.pick(&vocabulary).clone())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let name = words(&mut rng, 2, 5);
        let purpose = words(&mut rng, 8, 30);
        let n_subjects = rng.between(1, 4);
        let n_data = rng.between(1, 4);
        docs.push(SearchDoc {
            id: format!("syn-{i:05}"),
            controller: rng.pick(&CONTROLLERS).to_string(),
            name,
            purpose,
            subject_categories: (0..n_subjects)
                .map(|_| rng.pick(&subject_categories).clone())
                .collect(),
            data_categories: (0..n_data)
                .map(|_| rng.pick(&data_categories).clone())
                .collect(),
            legal_basis: rng.pick(&legal_bases).clone(),
        });
    }
    docs.extend(seeds);
    docs
}
