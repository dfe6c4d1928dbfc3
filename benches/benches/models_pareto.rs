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

fn cdnow() -> RepeatData {
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
    RepeatData::new(&x, &tx, &t, None).expect("valid summary")
}

fn bench(c: &mut Criterion) {
    let data = cdnow();
    let mut g = c.benchmark_group("models");
    g.sample_size(20);
    g.bench_function("pareto_nbd_fit_cdnow_2357", |b| {
        b.iter(|| fit_pareto_nbd(&data, &FitOptions::default()).expect("fit"));
    });
    let f = fit_pareto_nbd(&data, &FitOptions::default()).expect("fit");
    eprintln!("TMP iterations {} {:?}", f.iterations, f.status);
    let p = f.params;
    g.bench_function("TMP_ll", |b| b.iter(|| p.log_likelihood(&data)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
