//! Random transaction logs for the property tests, and the comparisons
//! (integers exactly, floats to 1e-9 relative) shared by the tests.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use retentionkit::cohort::CohortMatrix;
use retentionkit::kpi::{KpiRow, KpiSeries};
use retentionkit::period::{Granularity, Lookback};
use retentionkit::rfm::Rfm;
use retentionkit::summary::Summary;
use retentionkit::TransactionLog;

use crate::oracle::{PeriodCounts, Rows};

/// 2019-12-01: logs start here, so a 1,100-day log holds 29 February 2020
/// and every month end.
pub const BASE_DAY: i32 = 18_231;

/// Proptest settings: `cases` unless `PROPTEST_CASES` says otherwise;
/// failing seeds go to (and are replayed first from)
/// `crates/retentionkit/proptest-regressions/it/props.txt`.
pub fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(cases),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/it/props.txt"
        )))),
        ..ProptestConfig::default()
    }
}

/// Customer ids to draw from: a small dense range, sometimes ending at
/// `u64::MAX` (the core indexes it directly), or a sparse set of arbitrary
/// `u64`s, sometimes with the extreme ids 0 and `u64::MAX` (the core hashes
/// them).
fn id_pool() -> impl Strategy<Value = Vec<u64>> {
    prop_oneof![
        (1u64..40, 0u64..1_000_000).prop_map(|(k, base)| (base..base + k).collect::<Vec<u64>>()),
        (1u64..40).prop_map(|k| (u64::MAX - k + 1..=u64::MAX).collect::<Vec<u64>>()),
        (
            prop::collection::btree_set(any::<u64>(), 1..40),
            any::<bool>()
        )
            .prop_map(|(set, extremes)| {
                let mut v: Vec<u64> = set.into_iter().collect();
                if extremes {
                    v.extend([0, u64::MAX]);
                }
                v
            }),
    ]
}

/// A random log of 1..=`max_rows` rows: ids from [`id_pool`], days over the
/// first 40, 400 or 1,100 days from [`BASE_DAY`] (so many rows share a day),
/// amounts in cents with about 10 % zeros, or no amounts; rows sorted by day
/// or in random order.
pub fn rows(max_rows: usize) -> impl Strategy<Value = Rows> {
    let span = prop_oneof![Just(40i32), Just(400), Just(1_100)];
    (id_pool(), span, 1..=max_rows, any::<bool>(), any::<bool>())
        .prop_flat_map(|(pool, span, n, sorted, with_amounts)| {
            let k = pool.len();
            (
                Just(pool),
                prop::collection::vec((0..k, 0..span, 0u32..100_000), n),
                Just(sorted),
                Just(with_amounts),
            )
        })
        .prop_map(|(pool, picks, sorted, with_amounts)| {
            let mut r: Vec<(u64, i32, f64)> = picks
                .into_iter()
                .map(|(i, d, cents)| {
                    let amount = if cents < 10_000 {
                        0.0
                    } else {
                        f64::from(cents) / 100.0
                    };
                    (pool[i], BASE_DAY + d, amount)
                })
                .collect();
            if sorted {
                r.sort_by_key(|x| x.1);
            }
            Rows {
                ids: r.iter().map(|x| x.0).collect(),
                days: r.iter().map(|x| x.1).collect(),
                amounts: with_amounts.then(|| r.iter().map(|x| x.2).collect()),
            }
        })
}

pub fn granularity() -> impl Strategy<Value = Granularity> {
    prop_oneof![
        Just(Granularity::Day),
        Just(Granularity::Week),
        Just(Granularity::Month),
        Just(Granularity::Quarter),
        Just(Granularity::Year),
    ]
}

/// A granularity and a look-back, mostly at least one period long, sometimes
/// arbitrary (then the core must refuse it exactly when the oracle does).
pub fn granularity_and_lookback() -> impl Strategy<Value = (Granularity, Lookback)> {
    granularity().prop_flat_map(|g| {
        let (days, months) = match g {
            Granularity::Day => (1u32, 1u32),
            Granularity::Week => (7, 1),
            Granularity::Month => (31, 1),
            Granularity::Quarter => (92, 3),
            Granularity::Year => (366, 12),
            other => unreachable!("no period length for {other:?}"),
        };
        let lookback = prop_oneof![
            4 => (days..days + 400).prop_map(Lookback::Days),
            4 => (months..months + 14).prop_map(Lookback::Months),
            1 => (1u32..400).prop_map(Lookback::Days),
            1 => (1u32..14).prop_map(Lookback::Months),
        ];
        (Just(g), lookback)
    })
}

/// Any look-back from one day to two years.
pub fn lookback() -> impl Strategy<Value = Lookback> {
    prop_oneof![
        (1u32..730).prop_map(Lookback::Days),
        (1u32..25).prop_map(Lookback::Months),
    ]
}

pub fn log(rows: &Rows) -> TransactionLog<'_> {
    TransactionLog::new(&rows.ids, &rows.days, rows.amounts.as_deref()).unwrap()
}

/// A Fisher–Yates permutation of `0..n` from a seed (xorshift64*).
pub fn permutation(n: usize, seed: u64) -> Vec<usize> {
    let mut s = seed | 1;
    let mut next = move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = usize::try_from(next() % (i as u64 + 1)).unwrap();
        p.swap(i, j);
    }
    p
}

/// Floats agree to 1e-9 relative (exactly when one of them is 0).
pub fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

#[track_caller]
pub fn assert_close(a: f64, b: f64, what: &str) {
    assert!(close(a, b), "{what}: {a} != {b}");
}

#[track_caller]
pub fn assert_close_all(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (i, (&x, &y)) in a.iter().zip(b).enumerate() {
        assert!(close(x, y), "{what}[{i}]: {x} != {y}");
    }
}

#[track_caller]
pub fn assert_close_opt(a: Option<f64>, b: Option<f64>, what: &str) {
    match (a, b) {
        (Some(x), Some(y)) => assert_close(x, y, what),
        (None, None) => {}
        _ => panic!("{what}: {a:?} vs {b:?}"),
    }
}

/// A core KPI row has the oracle's counts.
#[track_caller]
pub fn assert_row_is(row: &KpiRow, want: &PeriodCounts) {
    let got = (
        row.start_customers,
        row.end_customers,
        row.new_customers,
        row.retained,
        row.reactivated,
        row.active_customers,
        row.orders,
        row.repeat_customers,
        row.customer_days,
    );
    let exp = (
        want.start_customers,
        want.end_customers,
        want.new_customers,
        want.retained,
        want.reactivated,
        want.active_customers,
        want.orders,
        want.repeat_customers,
        want.customer_days,
    );
    assert_eq!(
        got, exp,
        "{} (S, E, N, retained, reactivated, active, orders, repeat, customer-days)",
        row.label
    );
    assert_close_opt(row.revenue, want.revenue, &row.label);
}

/// Two core KPI rows agree (counts exactly, revenue to 1e-9).
#[track_caller]
pub fn assert_same_row(a: &KpiRow, b: &KpiRow) {
    let strip = |r: &KpiRow| KpiRow {
        revenue: None,
        ..r.clone()
    };
    assert_eq!(strip(a), strip(b));
    assert_close_opt(a.revenue, b.revenue, &a.label);
}

#[track_caller]
pub fn assert_same_series(a: &KpiSeries, b: &KpiSeries) {
    assert_eq!(
        (a.granularity, a.lookback, a.observation_end, a.rows.len()),
        (b.granularity, b.lookback, b.observation_end, b.rows.len())
    );
    for (x, y) in a.rows.iter().zip(&b.rows) {
        assert_same_row(x, y);
    }
}

#[track_caller]
pub fn assert_same_cohorts(a: &CohortMatrix, b: &CohortMatrix) {
    let strip = |m: &CohortMatrix| CohortMatrix {
        revenue: None,
        ..m.clone()
    };
    assert_eq!(strip(a), strip(b));
    match (&a.revenue, &b.revenue) {
        (Some(x), Some(y)) => {
            assert_eq!(x.len(), y.len());
            for (r, s) in x.iter().zip(y) {
                assert_close_all(r, s, "cohort revenue");
            }
        }
        (None, None) => {}
        _ => panic!("one cohort matrix has revenue, the other not"),
    }
}

#[track_caller]
pub fn assert_same_summary(a: &Summary, b: &Summary) {
    let strip = |s: &Summary| Summary {
        monetary_value: None,
        ..s.clone()
    };
    assert_eq!(strip(a), strip(b));
    match (&a.monetary_value, &b.monetary_value) {
        (Some(x), Some(y)) => assert_close_all(x, y, "monetary value"),
        (None, None) => {}
        _ => panic!("one summary has monetary values, the other not"),
    }
}

#[track_caller]
pub fn assert_same_rfm(a: &Rfm, b: &Rfm) {
    let strip = |r: &Rfm| Rfm {
        spend: None,
        ..r.clone()
    };
    assert_eq!(strip(a), strip(b));
    match (&a.spend, &b.spend) {
        (Some(x), Some(y)) => assert_close_all(x, y, "spend"),
        (None, None) => {}
        _ => panic!("one RFM table has spend, the other not"),
    }
}
