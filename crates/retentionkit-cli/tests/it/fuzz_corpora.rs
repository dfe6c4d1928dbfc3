//! Every input of the reader fuzz targets' corpora (`fuzz/corpus/csv_reader`,
//! `parquet_reader`, `ipc_reader`: seeds and the `regression-*` inputs of
//! fixed findings) through the command, as the fuzz targets read them: with
//! the default options and with `--skip-bad-rows`. Each run either succeeds
//! or exits 2 with a message; none panics or dies on a signal.
//!
//! CI explores the Parquet and Arrow IPC targets with libFuzzer only when
//! asked (`bash scripts/fuzz.sh parquet_reader ipc_reader`; their build is
//! most of the fuzz step's time), so this replay is what every CI run checks
//! of them.

use super::{run, stderr};

fn corpus(target: &str) -> Vec<String> {
    let dir = format!("{}/../../fuzz/corpus/{target}", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path().to_str().unwrap().to_owned())
        .collect();
    files.sort();
    files
}

#[test]
fn every_reader_corpus_input_reads_or_exits_2_without_a_panic() {
    let mut seen = 0;
    for target in ["csv_reader", "parquet_reader", "ipc_reader"] {
        let files = corpus(target);
        assert!(
            files.iter().any(|f| f.contains("/regression-")) || target == "csv_reader",
            "{target}: the regression inputs are missing"
        );
        for file in &files {
            for args in [
                &["summary", file.as_str()][..],
                &["summary", "--skip-bad-rows", file],
            ] {
                let o = run(args);
                let err = stderr(&o);
                assert!(
                    matches!(o.status.code(), Some(0 | 2)),
                    "{args:?}: exit {:?}\n{err}",
                    o.status.code()
                );
                assert!(!err.contains("panicked"), "{args:?}: {err}");
                if o.status.code() == Some(2) {
                    assert!(!err.trim().is_empty(), "{args:?}: exit 2 without a message");
                }
                seen += 1;
            }
        }
    }
    // 9 CSV, 5 Parquet and 5 Arrow IPC inputs today, each read twice.
    assert!(seen >= 2 * (9 + 5 + 5), "{seen} runs");
}
