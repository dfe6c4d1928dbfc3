//! `period::parse_day` on arbitrary text: no panic; on `Ok` the day is in
//! `MIN_DAY..=MAX_DAY` and formats back to a date that parses to the same day.

#![no_main]

use libfuzzer_sys::fuzz_target;
use retentionkit::period::{parse_day, to_date, MAX_DAY, MIN_DAY};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(day) = parse_day(text) {
        assert!((MIN_DAY..=MAX_DAY).contains(&day), "{text:?} -> {day}");
        let date = to_date(day).unwrap_or_else(|e| panic!("{text:?} -> {day}: {e}"));
        let again = parse_day(&date.format("%Y-%m-%d").to_string());
        assert_eq!(again.ok(), Some(day), "{text:?} -> {day} -> {date}");
    }
});
