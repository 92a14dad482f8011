//! Identifiers of people without a Swedish number (a passport or an EU identity card number):
//! folding and the search key never panic, and folding is idempotent.
#![no_main]

use dsar::domain::other_identity::{fold_identifier, key_of};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(folded) = fold_identifier(text) {
        assert_eq!(
            fold_identifier(&folded).ok().as_deref(),
            Some(folded.as_str())
        );
        let _ = key_of(&folded);
    }
});
