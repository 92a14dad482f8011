//! The register importer on any upload: TSV, CSV in each encoding, XLSX (a zip), or anything
//! else, with or without a content type and file name hint. It answers with a parsed register
//! or an import error, never a panic, and within the memory limit libFuzzer runs it under
//! (`-rss_limit_mb`, `-malloc_limit_mb` in scripts/fuzz.sh): a zip bomb is refused from the
//! zip's directory before anything is unpacked.
#![no_main]

use dsar::register::import::parse_register;
use libfuzzer_sys::fuzz_target;

const HINTS: [(Option<&str>, Option<&str>); 5] = [
    (None, None),
    (Some("text/tab-separated-values"), Some("register.tsv")),
    (Some("text/csv"), Some("register.csv")),
    (
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        Some("register.xlsx"),
    ),
    (Some("application/octet-stream"), Some("register.xls")),
];

fuzz_target!(|input: (u8, &[u8])| {
    let (hint, bytes) = input;
    let (content_type, file_name) = HINTS[usize::from(hint) % HINTS.len()];
    if let Ok(register) = parse_register(bytes, content_type, file_name) {
        for activity in &register.activities {
            assert!(!activity.name.is_empty(), "an activity has a name");
        }
    }
});
