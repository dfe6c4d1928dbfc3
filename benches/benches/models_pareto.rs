//! criterion bench of the Pareto/NBD fit on Hardie's CDNOW calibration
//! summary (2,357 customers, tests/data/cdnow_customers_summary.csv), the
//! same rows lifetimes' ParetoNBDFitter is timed on
//! (tests/data/models/time_lifetimes_pareto.py):
//! `cargo bench -p retentionkit-benches --bench models_pareto`.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use retentionkit::models::pareto_nbd::fit_pareto_nbd;
use retentionkit::models::RepeatData;
use retentionkit::optim::FitOptions;

type Rows = (Vec<u32>, Vec<f64>, Vec<f64>);

fn cdnow() -> RepeatData {
    let (x, tx, t) = data_rows();
    RepeatData::new(&x, &tx, &t, None).expect("valid summary")
}

/// Equal rows grouped, with their counts as weights.
fn compress((x, tx, t): &Rows) -> RepeatData {
    let mut groups = std::collections::BTreeMap::<(u32, u64, u64), u64>::new();
    for i in 0..x.len() {
        *groups
            .entry((x[i], tx[i].to_bits(), t[i].to_bits()))
            .or_default() += 1;
    }
    let x: Vec<u32> = groups.keys().map(|k| k.0).collect();
    let tx: Vec<f64> = groups.keys().map(|k| f64::from_bits(k.1)).collect();
    let t: Vec<f64> = groups.keys().map(|k| f64::from_bits(k.2)).collect();
    let w: Vec<u64> = groups.values().copied().collect();
    eprintln!(
        "{} customers grouped into {} rows",
        w.iter().sum::<u64>(),
        tx.len()
    );
    RepeatData::new(&x, &tx, &t, Some(&w)).expect("valid groups")
}

fn data_rows() -> Rows {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/cdnow_customers_summary.csv"
    );
    let text = std::fs::read_to_string(path).expect("CDNOW summary");
    let (mut x, mut tx, mut t) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        x.push(f[1].parse::<u32>().expect("frequency"));
        tx.push(f[2].parse::<f64>().expect("recency"));
        t.push(f[3].parse::<f64>().expect("T"));
    }
    (x, tx, t)
}

fn bench(c: &mut Criterion) {
    let data = cdnow();
    let mut g = c.benchmark_group("models");
    g.sample_size(20);
    g.bench_function("pareto_nbd_fit_cdnow_2357", |b| {
        b.iter(|| fit_pareto_nbd(&data, &FitOptions::default()).expect("fit"));
    });
    // The library's usual path: equal (x, t_x, T) rows grouped with counts,
    // as RepeatData::from_summary(&summary.compress()) does.
    let grouped = compress(&data_rows());
    g.bench_function("pareto_nbd_fit_cdnow_grouped", |b| {
        b.iter(|| fit_pareto_nbd(&grouped, &FitOptions::default()).expect("fit"));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
