//! criterion benches of the core over 1e3, 1e5 and 1e6 rows of the demo shop
//! (and 1e7 with `RK_BENCH_LARGE=1`, which adds a few minutes):
//! `cargo bench -p retentionkit-benches --bench core`.
//!
//! The peer comparison against polars, DuckDB and lifetimes is
//! `benches/peers/compare.py`; these benches track the core alone.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use retentionkit::cohort::{cohort_matrix, CohortOptions};
use retentionkit::demo::{shop, DemoLog, DemoOptions};
use retentionkit::kpi::{kpi_series, period_kpis};
use retentionkit::period::{day, Granularity, Lookback, Period};
use retentionkit::rfm::rfm;
use retentionkit::summary::{summary, SummaryOptions};
use retentionkit::TransactionLog;

/// The first `rows` orders of a demo shop with enough customers (about 4.6 orders each).
fn demo(rows: usize) -> DemoLog {
    let customers = u32::try_from(rows / 4 + 10).unwrap_or(u32::MAX);
    let mut d = shop(&DemoOptions {
        customers,
        ..DemoOptions::default()
    })
    .expect("demo shop");
    d.ids.truncate(rows);
    d.days.truncate(rows);
    d.amounts.truncate(rows);
    d
}

fn sizes() -> Vec<usize> {
    let mut s = vec![1_000, 100_000, 1_000_000];
    if std::env::var_os("RK_BENCH_LARGE").is_some() {
        s.push(10_000_000);
    }
    s
}

fn bench(c: &mut Criterion) {
    let june = Period::new(
        day(2023, 6, 1).expect("date"),
        day(2023, 7, 1).expect("date"),
    )
    .expect("period");
    for rows in sizes() {
        let d = demo(rows);
        let log =
            || TransactionLog::new(&d.ids, &d.days, Some(&d.amounts)).expect("valid demo log");
        let mut g = c.benchmark_group("core");
        g.throughput(Throughput::Elements(rows as u64));
        if rows >= 1_000_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::new("log_new", rows), |b| b.iter(log));
        let l = log();
        g.bench_function(BenchmarkId::new("period_kpis", rows), |b| {
            b.iter(|| period_kpis(&l, june, Lookback::Months(12)).expect("kpis"));
        });
        g.bench_function(BenchmarkId::new("kpi_series", rows), |b| {
            b.iter(|| kpi_series(&l, Granularity::Month, Lookback::Months(12)).expect("series"));
        });
        g.bench_function(BenchmarkId::new("cohort_matrix", rows), |b| {
            b.iter(|| cohort_matrix(&l, &CohortOptions::default()).expect("cohorts"));
        });
        g.bench_function(BenchmarkId::new("summary", rows), |b| {
            b.iter(|| summary(&l, &SummaryOptions::default()).expect("summary"));
        });
        g.bench_function(BenchmarkId::new("rfm", rows), |b| {
            b.iter(|| rfm(&l, None).expect("rfm"));
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
