//! The personnummer and samordningsnummer parser: any text, on any day, gives a number or a
//! field error, never a panic; a number it accepts reads back the same in its normal form.
#![no_main]

use chrono::NaiveDate;
use dsar::domain::personnummer::Personnummer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, u16)| {
    let (text, days) = input;
    let today = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + chrono::Days::new(u64::from(days));
    if let Ok(number) = Personnummer::parse(text, today) {
        let normalized = number.normalized();
        let again = Personnummer::parse(&normalized, today).expect("its own normal form parses");
        assert_eq!(again.normalized(), normalized);
    }
});
