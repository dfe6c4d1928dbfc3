//! criterion bench of the Pareto/NBD and BG/NBD fits with covariates on
//! Hardie's CDNOW calibration summary (2,357 customers,
//! tests/data/cdnow_customers_summary.csv): without covariates, and with two
//! (a real-valued one, uniform on (−√3, √3) from splitmix64 seeded 1, on the
//! purchase process; a categorical one with three levels, the customer's row
//! number mod 3, on both processes), every customer in its own group:
//! `cargo bench -p retentionkit-benches --bench models_covariates`.
//!
//! Also the Gamma-Gamma fit on CDNOW's 946 repeat buyers
//! (tests/data/cdnow_customers_summary_with_transactions.csv) without and
//! with the same two covariates on spend (`spend_cdnow`), and the sBG fit
//! of Fader & Hardie's (2007) regular and high-end cohorts with a segment
//! covariate on α and β (`sbg_fh2007`).

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use retentionkit::models::covariates::{self, CovariateOptions, CovariateTable};
use retentionkit::models::gamma_gamma::{self, SpendData};
use retentionkit::models::sbg::SbgCohorts;
use retentionkit::models::simulate::customer_seed;
use retentionkit::models::{bg_nbd, pareto_nbd, RepeatData};
use retentionkit::optim::FitOptions;

fn data() -> (RepeatData, CovariateTable) {
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
    let table = covariates_of(x.len());
    (
        RepeatData::new(&x, &tx, &t, None).expect("valid summary"),
        table,
    )
}

/// The covariates of `data` for `n` rows: `score` and `channel`.
fn covariates_of(n: usize) -> CovariateTable {
    #[allow(clippy::cast_precision_loss)]
    let score: Vec<f64> = (0..n as u64)
        .map(|i| {
            let u = (customer_seed(1, i) >> 11) as f64 / (1u64 << 53) as f64;
            (2.0 * u - 1.0) * 3f64.sqrt()
        })
        .collect();
    let channel: Vec<&str> = (0..n).map(|i| ["web", "store", "phone"][i % 3]).collect();
    CovariateTable::new(n)
        .with_numeric("score", &score)
        .expect("finite")
        .with_categorical("channel", &channel, None)
        .expect("levels")
}

fn spend_data() -> SpendData {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/cdnow_customers_summary_with_transactions.csv"
    );
    let text = std::fs::read_to_string(path).expect("CDNOW summary");
    let (mut x, mut m) = (Vec::new(), Vec::new());
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let xi = f[1].parse::<u32>().expect("frequency");
        let zi = f[4].parse::<f64>().expect("zbar");
        if xi > 0 && zi > 0.0 {
            x.push(xi);
            m.push(zi);
        }
    }
    SpendData::new(&x, &m, None).expect("valid spend")
}

fn bench_spend_sbg(c: &mut Criterion) {
    let d = spend_data();
    let table = covariates_of(d.len());
    let o = CovariateOptions::default().with_spend(vec!["score".into(), "channel".into()]);
    let fit = covariates::fit_gamma_gamma(&d, &table, &o).expect("fit");
    eprintln!(
        "Gamma-Gamma: {:?}, {} iterations, LL {}",
        fit.status, fit.iterations, fit.log_likelihood
    );
    let mut g = c.benchmark_group("spend_cdnow");
    g.sample_size(10);
    g.bench_function("gamma_gamma_without", |b| {
        b.iter(|| gamma_gamma::fit_gamma_gamma(&d, &FitOptions::default()).expect("fit"));
    });
    g.bench_function("gamma_gamma_two_covariates", |b| {
        b.iter(|| covariates::fit_gamma_gamma(&d, &table, &o).expect("fit"));
    });
    g.finish();
    let cohorts = SbgCohorts::from_survivors(&[
        [1000, 631, 468, 382, 326, 289, 262, 241],
        [1000, 869, 743, 653, 593, 551, 517, 491],
    ])
    .expect("cohorts");
    let segment = CovariateTable::new(2)
        .with_categorical("segment", &["regular", "high end"], None)
        .expect("levels");
    let o = CovariateOptions::default()
        .with_alpha(vec!["segment".into()])
        .with_beta(vec!["segment".into()]);
    let mut g = c.benchmark_group("sbg_fh2007");
    g.bench_function("sbg_segment", |b| {
        b.iter(|| covariates::fit_sbg(&cohorts, &segment, &o).expect("fit"));
    });
    g.finish();
}

fn bench(c: &mut Criterion) {
    let (d, table) = data();
    let o = CovariateOptions::default()
        .with_purchase(vec!["score".into(), "channel".into()])
        .with_dropout(vec!["channel".into()]);
    let fit = covariates::fit_pareto_nbd(&d, &table, &o).expect("fit");
    eprintln!(
        "Pareto/NBD: {:?}, {} iterations, LL {}",
        fit.status, fit.iterations, fit.log_likelihood
    );
    let fit = covariates::fit_bg_nbd(&d, &table, &o).expect("fit");
    eprintln!(
        "BG/NBD: {:?}, {} iterations, LL {}",
        fit.status, fit.iterations, fit.log_likelihood
    );
    let mut g = c.benchmark_group("covariates_cdnow");
    g.sample_size(10);
    g.bench_function("pareto_nbd_without", |b| {
        b.iter(|| pareto_nbd::fit_pareto_nbd(&d, &FitOptions::default()).expect("fit"));
    });
    g.bench_function("pareto_nbd_two_covariates", |b| {
        b.iter(|| covariates::fit_pareto_nbd(&d, &table, &o).expect("fit"));
    });
    g.bench_function("bg_nbd_without", |b| {
        b.iter(|| bg_nbd::fit_bg_nbd(&d, &FitOptions::default()).expect("fit"));
    });
    g.bench_function("bg_nbd_two_covariates", |b| {
        b.iter(|| covariates::fit_bg_nbd(&d, &table, &o).expect("fit"));
    });
    g.finish();
}

criterion_group!(benches, bench, bench_spend_sbg);
criterion_main!(benches);
