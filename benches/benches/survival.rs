//! criterion benches of the survival module: Kaplan–Meier on 1e3, 1e5 and
//! 1e6 seeded durations (integer days 0..=1000, ~30 % censored: the counting
//! pass), the same durations plus a fraction (the sorting pass), and the
//! 3-group log-rank test:
//! `cargo bench -p retentionkit-benches --bench survival`.

// A bench aborts on a broken input; there is nobody to return an error to.
#![allow(clippy::expect_used)]
// criterion_group! and criterion_main! generate undocumented public items.
#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use retentionkit::survival::{kaplan_meier, log_rank};

/// SplitMix64: a seeded, dependency-free generator.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `rows` durations in whole days 0..=1000, ~30 % censored, groups 0..3.
fn data(rows: usize) -> (Vec<f64>, Vec<bool>, Vec<u64>) {
    let mut rng = SplitMix(42);
    let mut d = Vec::with_capacity(rows);
    let mut o = Vec::with_capacity(rows);
    let mut g = Vec::with_capacity(rows);
    for _ in 0..rows {
        let day = u32::try_from(rng.next() % 1001).expect("< 1001");
        d.push(f64::from(day));
        o.push(rng.next() % 10 >= 3);
        g.push(rng.next() % 3);
    }
    (d, o, g)
}

fn bench(c: &mut Criterion) {
    for rows in [1_000, 100_000, 1_000_000] {
        let (d, o, g) = data(rows);
        let fractional: Vec<f64> = d.iter().map(|x| x + 0.25).collect();
        let mut grp = c.benchmark_group("survival");
        grp.throughput(Throughput::Elements(rows as u64));
        if rows >= 1_000_000 {
            grp.sample_size(20);
        }
        grp.bench_function(BenchmarkId::new("kaplan_meier_int_days", rows), |b| {
            b.iter(|| kaplan_meier(&d, &o).expect("km"));
        });
        grp.bench_function(BenchmarkId::new("kaplan_meier_sorted", rows), |b| {
            b.iter(|| kaplan_meier(&fractional, &o).expect("km"));
        });
        grp.bench_function(BenchmarkId::new("log_rank_3_groups", rows), |b| {
            b.iter(|| log_rank(&d, &o, &g).expect("log-rank"));
        });
        grp.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
