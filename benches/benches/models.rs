//! criterion benches of the model fits and predictions:
//! `cargo bench -p retentionkit-benches --bench models`.
//!
//! - BG/NBD and Gamma-Gamma fits on the CDNOW sample (2,357 customers, the
//!   published calibration split; lifetimes' times for the same fits come
//!   from `benches/peers/models_lifetimes.py`);
//! - the whole path for 10⁶ customers of the demo shop: summary, compressed
//!   table, BG/NBD fit, and probability alive plus expected purchases in the
//!   next 52 weeks for every customer;
//! - the predictive distributions on the CDNOW sample
//!   (`models/distribution`): P(0..=10 purchases in 52 weeks) and DERT at
//!   15 % a year of every customer, for BG/NBD and Pareto/NBD at Fader,
//!   Hardie & Lee (2005)'s estimates;
//! - 1,000 customer-bootstrap refits of BG/NBD and of Pareto/NBD on the
//!   CDNOW sample (`models/bootstrap`);
//! - BG/CNBD-k and MBG/CNBD-k fitted at k = 1..=12 on the CDNOW sample
//!   (`models/regularity`).

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used, clippy::unwrap_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion};
use retentionkit::demo::{shop, DemoOptions};
use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams};
use retentionkit::models::cnbd::{fit_cnbd, CnbdKind, CnbdOptions, RegularityData};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, SpendData};
use retentionkit::models::interval::{bootstrap, BootstrapOptions};
use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatModel, RepeatParams};
use retentionkit::models::RepeatData;
use retentionkit::optim::FitOptions;
use retentionkit::period::day;
use retentionkit::summary::{summary, Summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;

/// The CDNOW sample's weekly calibration summary (tests/data, see SOURCES.md).
fn cdnow() -> Summary {
    let (ids, days, amounts) = cdnow_log();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    summary(&log, &calibration()).unwrap()
}

/// Weeks, observed to 1997-09-30: the published calibration period.
fn calibration() -> SummaryOptions {
    SummaryOptions::default()
        .with_observation_end(Some(day(1997, 9, 30).unwrap()))
        .with_unit(TimeUnit::Weeks)
}

/// The CDNOW sample's (id, day, amount) columns.
fn cdnow_log() -> (Vec<u64>, Vec<i32>, Vec<f64>) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/CDNOW_sample.txt"
    );
    let text = std::fs::read_to_string(path).expect("tests/data/CDNOW_sample.txt");
    let (mut ids, mut days, mut amounts) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let ymd = f[2];
        ids.push(f[1].parse::<u64>().unwrap());
        days.push(
            day(
                ymd[..4].parse().unwrap(),
                ymd[4..6].parse().unwrap(),
                ymd[6..].parse().unwrap(),
            )
            .unwrap(),
        );
        amounts.push(f[4].parse::<f64>().unwrap());
    }
    (ids, days, amounts)
}

fn predict_all(p: &BgNbdParams, s: &Summary) -> f64 {
    let all = p.predict(s, 52.0).unwrap();
    all.probability_alive.iter().sum::<f64>() + all.expected_purchases.iter().sum::<f64>()
}

fn distributions(c: &mut Criterion) {
    let s = cdnow();
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    let models = [
        (
            "bg_nbd",
            RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426]),
        ),
        (
            "pareto_nbd",
            RepeatParams::new(RepeatKind::ParetoNbd, [0.553, 10.578, 0.606, 11.669]),
        ),
    ];
    let mut g = c.benchmark_group("models/distribution");
    g.sample_size(10);
    for (name, m) in models {
        let m = m.unwrap();
        g.bench_function(format!("{name}_pmf_0_to_10_cdnow"), |b| {
            b.iter(|| m.purchase_distribution(x, &tx, &t, 52.0, 10).unwrap());
        });
        g.bench_function(format!("{name}_dert_cdnow"), |b| {
            b.iter(|| m.dert_columns(x, &tx, &t, 1.15f64.ln() / 52.0).unwrap());
        });
    }
    g.finish();
}

fn bench(c: &mut Criterion) {
    let s = cdnow();
    let data = RepeatData::from_summary(&s.compress()).unwrap();
    let spend = SpendData::from_summary(&s).unwrap();
    let o = FitOptions::default();
    let mut g = c.benchmark_group("models");
    g.bench_function("bg_nbd_fit_cdnow", |b| {
        b.iter(|| fit_bg_nbd(&data, &o).unwrap());
    });
    g.bench_function("gamma_gamma_fit_cdnow", |b| {
        b.iter(|| fit_gamma_gamma(&spend, &o).unwrap());
    });

    let demo = shop(&DemoOptions {
        customers: 1_000_000,
        ..DemoOptions::default()
    })
    .unwrap();
    let log = demo.log().unwrap();
    let opts = SummaryOptions::default()
        .with_observation_end(None)
        .with_unit(TimeUnit::Weeks);
    g.sample_size(10);
    g.bench_function("bg_nbd_1e6_customers_summary_fit_predict", |b| {
        b.iter(|| {
            let s = summary(&log, &opts).unwrap();
            let d = RepeatData::from_summary(&s.compress()).unwrap();
            let fit = fit_bg_nbd(&d, &o).unwrap();
            predict_all(&fit.params, &s)
        });
    });
    let s = summary(&log, &opts).unwrap();
    let d = RepeatData::from_summary(&s.compress()).unwrap();
    eprintln!("demo: {} customers, {} compressed rows", s.len(), d.len());
    let fit = fit_bg_nbd(&d, &o).unwrap();
    g.bench_function("bg_nbd_1e6_customers_fit", |b| {
        b.iter(|| fit_bg_nbd(&d, &o).unwrap());
    });
    g.bench_function("bg_nbd_1e6_customers_predict", |b| {
        b.iter(|| predict_all(&fit.params, &s));
    });
    g.finish();
}

/// 1,000 customer-bootstrap refits (`models::interval::bootstrap`) of
/// BG/NBD and Pareto/NBD on the CDNOW calibration summary's compressed
/// table, warm-started from the fit; rayon on all cores.
fn bootstraps(c: &mut Criterion) {
    let s = cdnow();
    let data = RepeatData::from_summary(&s.compress()).unwrap();
    let o = FitOptions::default();
    let mut g = c.benchmark_group("models/bootstrap");
    g.sample_size(10);
    for kind in [RepeatKind::BgNbd, RepeatKind::ParetoNbd] {
        let fit = fit_repeat(kind, &data, &o).unwrap();
        let options = BootstrapOptions::default();
        // One timed run outside criterion (its 10 samples of Pareto/NBD's
        // bootstrap take minutes): filter the bench to bg_nbd and read
        // Pareto/NBD's time here.
        let start = std::time::Instant::now();
        let b = bootstrap(&fit, &data, &options).unwrap();
        eprintln!(
            "{}: {} replicates, {} failed, one run {:.2?}",
            kind.label(),
            b.replicates.len(),
            b.failed(),
            start.elapsed()
        );
        g.bench_function(format!("{}_1000_refits_cdnow", names(kind)), |bench| {
            bench.iter(|| bootstrap(&fit, &data, &options).unwrap());
        });
    }
    g.finish();
}

/// BG/CNBD-k and MBG/CNBD-k fitted at every k = 1..=12 on the CDNOW
/// calibration period (`models/regularity`), and the data built from the
/// log (summary and litt).
fn regularity(c: &mut Criterion) {
    let (ids, days, amounts) = cdnow_log();
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let data = RegularityData::from_log(&log, &calibration()).unwrap();
    let mut g = c.benchmark_group("models/regularity");
    g.sample_size(10);
    g.bench_function("data_from_log_cdnow", |b| {
        b.iter(|| RegularityData::from_log(&log, &calibration()).unwrap());
    });
    for (name, kind) in [
        ("bg_cnbd", CnbdKind::BgCnbd),
        ("mbg_cnbd", CnbdKind::MbgCnbd),
    ] {
        g.bench_function(format!("{name}_fit_k1_to_12_cdnow"), |b| {
            b.iter(|| fit_cnbd(&data, kind, &CnbdOptions::default()).unwrap());
        });
    }
    g.finish();
}

fn names(kind: RepeatKind) -> &'static str {
    match kind {
        RepeatKind::ParetoNbd => "pareto_nbd",
        _ => "bg_nbd",
    }
}

criterion_group!(benches, bench, distributions, bootstraps, regularity);
criterion_main!(benches);
