//! criterion benches of the subscription metrics over 1e3, 1e5 and 1e6
//! seeded subscriptions: building the log, the MRR movements of one month,
//! a monthly MRR series over five years, and the monthly cohort matrices.
//! `cargo bench -p retentionkit-benches --bench revenue`.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use retentionkit::period::{day, Granularity, Period};
use retentionkit::revenue::{mrr_movements, mrr_series, subscription_cohorts, SubscriptionLog};

/// Seeded subscription columns.
struct Subs {
    ids: Vec<u64>,
    start: Vec<i32>,
    end: Vec<Option<i32>>,
    mrr: Vec<f64>,
}

/// `rows` subscriptions of about `rows / 3` customers, unsorted: starts
/// uniform over 2020–2024, 30 % open-ended, the rest 30 to 749 days long;
/// plans at 9.99, 19.99, 49.99 and 99.99 a month, 5 % free.
fn subs(rows: usize) -> Subs {
    let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let first = day(2020, 1, 1).expect("date");
    let span = day(2025, 1, 1).expect("date") - first;
    let customers = (rows as u64 / 3).max(1);
    let plans = [9.99, 19.99, 49.99, 99.99];
    let mut out = Subs {
        ids: Vec::with_capacity(rows),
        start: Vec::with_capacity(rows),
        end: Vec::with_capacity(rows),
        mrr: Vec::with_capacity(rows),
    };
    for _ in 0..rows {
        let r = next();
        let start = first + i32::try_from(r % u64::try_from(span).expect("span")).expect("day");
        let r2 = next();
        out.ids.push(r2 % customers);
        out.start.push(start);
        out.end.push(if r2 % 10 < 3 {
            None
        } else {
            Some(start + 30 + i32::try_from((r2 >> 8) % 720).expect("days"))
        });
        let plan = usize::try_from((r2 >> 20) % 4).expect("plan");
        out.mrr.push(if (r2 >> 24) % 20 == 0 {
            0.0
        } else {
            plans[plan]
        });
    }
    out
}

fn sizes() -> Vec<usize> {
    vec![1_000, 100_000, 1_000_000]
}

fn bench(c: &mut Criterion) {
    let june = Period::new(
        day(2023, 6, 1).expect("date"),
        day(2023, 7, 1).expect("date"),
    )
    .expect("period");
    let (from, to) = (
        day(2020, 1, 1).expect("date"),
        day(2024, 12, 31).expect("date"),
    );
    for rows in sizes() {
        let d = subs(rows);
        let log = || SubscriptionLog::new(&d.ids, &d.start, &d.end, &d.mrr).expect("valid log");
        let mut g = c.benchmark_group("revenue");
        g.throughput(Throughput::Elements(rows as u64));
        if rows >= 1_000_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::new("log_new", rows), |b| b.iter(log));
        let l = log();
        g.bench_function(BenchmarkId::new("mrr_movements_month", rows), |b| {
            b.iter(|| mrr_movements(&l, june).expect("movements"));
        });
        g.bench_function(BenchmarkId::new("mrr_series_60_months", rows), |b| {
            b.iter(|| mrr_series(&l, Granularity::Month, from, to).expect("series"));
        });
        g.bench_function(BenchmarkId::new("subscription_cohorts", rows), |b| {
            b.iter(|| subscription_cohorts(&l, to).expect("cohorts"));
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
