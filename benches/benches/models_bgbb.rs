//! criterion bench of the BG/BB fit on the donations data of Fader, Hardie
//! & Shang (2010) (22 rows, 11,104 donors, 6 opportunities):
//! `cargo bench -p retentionkit-benches --bench models_bgbb`.
//! lifetimes' time for the same fit is printed by
//! tests/data/models/make_lifetimes_bg_bb.py.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use retentionkit::models::bg_bb::{fit_bg_bb, BgBbData};
use retentionkit::optim::FitOptions;

/// tests/data/donations.csv: frequency, recency, periods, weights.
fn donations() -> BgBbData {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/donations.csv"
    ))
    .expect("tests/data/donations.csv");
    let (mut x, mut tx, mut n, mut w) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<u32> = line
            .split(',')
            .map(|v| v.parse().expect("an integer"))
            .collect();
        x.push(f[0]);
        tx.push(f[1]);
        n.push(f[2]);
        w.push(u64::from(f[3]));
    }
    BgBbData::new(&x, &tx, &n, Some(&w)).expect("valid data")
}

fn bench(c: &mut Criterion) {
    let data = donations();
    c.bench_function("bg_bb/fit_donations", |b| {
        b.iter(|| fit_bg_bb(&data, &FitOptions::default()).expect("fit"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
