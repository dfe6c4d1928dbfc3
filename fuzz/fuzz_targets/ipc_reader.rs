//! The CLI's Arrow IPC reader (file and stream format) with its column
//! detector, on arbitrary file contents, through `input::load` as the
//! command runs it, with the default options and with `--skip-bad-rows`: no
//! panic; on `Ok` the table is consistent and its amounts finite.

#![no_main]

use libfuzzer_sys::fuzz_target;
use retentionkit_fuzz::fuzz_reader;

fuzz_target!(|data: &[u8]| fuzz_reader(data, "arrow"));
