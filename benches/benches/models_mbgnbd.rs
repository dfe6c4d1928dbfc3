//! criterion bench of the MBG/NBD fit on Hardie's CDNOW calibration summary
//! (2,357 customers, one row each, weeks):
//! `cargo bench -p retentionkit-benches --bench models_mbgnbd`.
//! lifetimes' time for the same fit is printed by
//! tests/data/models/make_lifetimes_mbg_nbd.py.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use retentionkit::models::mbg_nbd::fit_mbg_nbd;
use retentionkit::models::RepeatData;
use retentionkit::optim::FitOptions;

/// tests/data/cdnow_customers_summary.csv: ID, frequency, recency, T.
fn cdnow() -> RepeatData {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/cdnow_customers_summary.csv"
    ))
    .expect("tests/data/cdnow_customers_summary.csv");
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse().expect("an integer"));
        tx.push(f[2].parse().expect("a number"));
        t.push(f[3].parse().expect("a number"));
    }
    RepeatData::new(&x, &tx, &t, None).expect("valid data")
}

fn bench(c: &mut Criterion) {
    let data = cdnow();
    c.bench_function("mbg_nbd/fit_cdnow", |b| {
        b.iter(|| fit_mbg_nbd(&data, &FitOptions::default()).expect("fit"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
