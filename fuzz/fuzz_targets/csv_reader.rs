//! The CLI's CSV reader with its delimiter, header and column detector (and
//! gzip), on arbitrary file contents, through `input::load` as the command
//! runs it, with the default options and with `--skip-bad-rows`: no panic;
//! on `Ok` the table is consistent and its amounts finite.

#![no_main]

use libfuzzer_sys::fuzz_target;
use retentionkit_cli::input::{load, ReadOptions};
use retentionkit_cli::progress::Progress;
use retentionkit_fuzz::{assert_table, scratch_file};

fuzz_target!(|data: &[u8]| {
    let path = scratch_file("csv");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Some(path) = path.to_str() else {
        return;
    };
    let progress = Progress::new(true);
    for skip_bad_rows in [false, true] {
        let options = ReadOptions {
            skip_bad_rows,
            ..ReadOptions::default()
        };
        if let Ok((_, table)) = load(Some(path), &options, &progress) {
            assert_table(&table);
        }
    }
});
