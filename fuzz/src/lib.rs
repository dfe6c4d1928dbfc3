//! Checks shared by the fuzz targets in `fuzz_targets/`.

use std::fmt::Debug;
use std::path::PathBuf;

use retentionkit::summary::{summary, SummaryOptions};
use retentionkit::TransactionLog;
use retentionkit_cli::input::{load, ReadOptions, Table};
use retentionkit_cli::progress::Progress;
use serde::Serialize;
use serde_value::Value;

/// Panic unless every `f64` (and `f32`) inside `value`, as serde sees it, is
/// finite. `what` names the result in the panic message.
///
/// # Panics
/// On a non-finite number, or when `value` cannot be serialized.
pub fn assert_finite<T: Serialize + ?Sized>(what: &str, value: &T) {
    match serde_value::to_value(value) {
        Ok(v) => walk(what, &v),
        Err(e) => panic!("{what}: cannot be serialized ({e})"),
    }
}

fn walk(what: &str, v: &Value) {
    match v {
        Value::F64(x) => assert!(x.is_finite(), "{what}: non-finite number {x}"),
        Value::F32(x) => assert!(x.is_finite(), "{what}: non-finite number {x}"),
        Value::Option(Some(inner)) | Value::Newtype(inner) => walk(what, inner),
        Value::Seq(items) => items.iter().for_each(|i| walk(what, i)),
        Value::Map(map) => map.iter().for_each(|(k, v)| {
            walk(what, k);
            walk(what, v);
        }),
        _ => {}
    }
}

/// Panic unless `p` is a probability: finite and in [0, 1]. The message
/// shows `what` and the input `case`.
///
/// # Panics
/// When it is not.
pub fn assert_probability(what: &str, p: f64, case: &impl Debug) {
    assert!(
        p.is_finite() && (0.0..=1.0).contains(&p),
        "{what}: {p} is not a probability, at {case:?}"
    );
}

/// Panic unless `e` is a finite, non-negative expectation. The message
/// shows `what` and the input `case`.
///
/// # Panics
/// When it is not.
pub fn assert_expectation(what: &str, e: f64, case: &impl Debug) {
    assert!(
        e.is_finite() && e >= 0.0,
        "{what}: {e} is not a finite non-negative expectation, at {case:?}"
    );
}

/// Panic unless a table read by the CLI is consistent: columns of one
/// length, finite amounts, string ids that index their names; and, when the
/// columns make a valid log, its summary is finite.
///
/// # Panics
/// When it is not.
pub fn assert_table(table: &Table) {
    let n = table.ids.len();
    assert_eq!(table.days.len(), n, "days and ids differ in length");
    if let Some(amounts) = &table.amounts {
        assert_eq!(amounts.len(), n, "amounts and ids differ in length");
        assert_finite("amounts", amounts);
    }
    if let Some(names) = &table.id_names {
        let known = names.len() as u64;
        assert!(
            table.ids.iter().all(|&id| id < known),
            "an id without a name"
        );
    }
    if let Ok(log) = TransactionLog::new(&table.ids, &table.days, table.amounts.as_deref()) {
        if let Ok(s) = summary(&log, &SummaryOptions::default()) {
            assert_finite("summary", &s);
        }
    }
}

/// A scratch file for this process's fuzz inputs, named with `extension`
/// (the CLI picks its reader by the extension).
pub fn scratch_file(extension: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "retentionkit-fuzz-{}.{extension}",
        std::process::id()
    ))
}

/// One input of a reader target: `data` written to a scratch file named
/// with `extension` (the CLI picks its reader by it) and read through
/// `input::load` as the command runs it, with the default options and with
/// `--skip-bad-rows`; on `Ok` the table must pass [`assert_table`].
///
/// # Panics
/// When a table read is not consistent (or the reader panics).
pub fn fuzz_reader(data: &[u8], extension: &str) {
    let path = scratch_file(extension);
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
}
