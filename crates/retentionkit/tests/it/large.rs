//! Logs above 2^16 rows, where the core splits customers into one part per
//! thread: every pass must still agree with the oracle, and with itself on
//! the same rows in another order.

use retentionkit::cohort::{cohort_matrix, CohortMatrix, CohortOptions};
use retentionkit::kpi::{kpi_series, period_kpis, purchase_counts, PurchaseCounts};
use retentionkit::period::{Granularity, Lookback, Period};
use retentionkit::rfm::{rfm, Rfm};
use retentionkit::summary::{summary, Summary, SummaryOptions, TimeUnit};

use crate::oracle::{self, Rows};
use crate::synth::{self, assert_row_is, BASE_DAY};

/// `n` rows over 1,100 days from `customers` customers whose ids are dense
/// (`base + k`) or spread over all of `u64` (`sparse`), deterministic.
pub fn big_rows(n: usize, customers: u64, sparse: bool, sorted: bool, seed: u64) -> Rows {
    let mut s = seed | 1;
    let mut next = move || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut r: Vec<(u64, i32, f64)> = (0..n)
        .map(|_| {
            let k = next() % customers;
            let id = if sparse {
                k.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
            } else {
                1_000 + k
            };
            // Each customer shops in a window of about a year from its own start.
            let start = i32::try_from(k * 733 % 800).unwrap();
            let day = BASE_DAY + start + i32::try_from(next() % 300).unwrap();
            let amount = f64::from(u32::try_from(next() % 20_000).unwrap()) / 100.0;
            (id, day, amount)
        })
        .collect();
    if sorted {
        r.sort_by_key(|x| x.1);
    }
    Rows {
        ids: r.iter().map(|x| x.0).collect(),
        days: r.iter().map(|x| x.1).collect(),
        amounts: Some(r.iter().map(|x| x.2).collect()),
    }
}

fn check_against_oracle(rows: &Rows) {
    assert!(rows.ids.len() > 1 << 16);
    let log = synth::log(rows);

    let lb = Lookback::Months(3);
    let s = kpi_series(&log, Granularity::Month, lb).unwrap();
    let want = oracle::kpi_series(rows, Granularity::Month, lb).unwrap();
    assert_eq!(s.rows.len(), want.len());
    for (r, w) in s.rows.iter().zip(&want) {
        assert_eq!((r.period, r.complete), (w.period, w.complete));
        assert_row_is(r, &w.counts);
        crate::props::check_row_identities(r);
    }
    // `period_kpis` (rows split by date between threads) on a 30-day and a
    // 300-day period, ending late enough that more than 2^16 rows come
    // before their end.
    let last = rows.last_day();
    for (from, days) in [(last - 60, 30), (last - 330, 300)] {
        let p = Period::new(from, from + days).unwrap();
        assert!(rows.days.iter().filter(|&&d| d < p.end).count() > 1 << 16);
        let lb = Lookback::Days(400);
        let r = period_kpis(&log, p, lb).unwrap();
        assert_row_is(&r, &oracle::period_counts(rows, p, lb));
        crate::props::check_row_identities(&r);
    }

    for g in [Granularity::Week, Granularity::Quarter] {
        let end = rows.last_day() - 10;
        let m = cohort_matrix(
            &log,
            &CohortOptions::default()
                .with_granularity(g)
                .with_observation_end(Some(end)),
        )
        .unwrap();
        let o = oracle::cohorts(rows, g, end);
        assert_eq!(
            (&m.cohorts, &m.sizes, &m.active, &m.unbounded),
            (&o.cohorts, &o.sizes, &o.active, &o.unbounded)
        );
        for (a, b) in m.revenue.unwrap().iter().zip(&o.revenue.unwrap()) {
            synth::assert_close_all(a, b, "cohort revenue");
        }
    }

    let end = rows.last_day() - 40;
    let sm = summary(
        &log,
        &SummaryOptions::default()
            .with_observation_end(Some(end))
            .with_unit(TimeUnit::Weeks),
    )
    .unwrap();
    let o = oracle::summary(rows, end, 7.0);
    assert_eq!(sm.customer_id, o.iter().map(|r| r.id).collect::<Vec<_>>());
    assert_eq!(
        sm.frequency,
        o.iter().map(|r| r.frequency).collect::<Vec<_>>()
    );
    let rec: Vec<f64> = o.iter().map(|r| r.recency).collect();
    let age: Vec<f64> = o.iter().map(|r| r.age).collect();
    let mon: Vec<f64> = o.iter().map(|r| r.monetary.unwrap()).collect();
    synth::assert_close_all(&sm.recency(), &rec, "recency");
    synth::assert_close_all(&sm.age(), &age, "T");
    synth::assert_close_all(sm.monetary_value.as_ref().unwrap(), &mon, "monetary");

    assert_eq!(
        purchase_counts(&log).customers,
        oracle::purchase_counts(rows)
    );

    let r = rfm(&log, Some(end)).unwrap();
    let o = oracle::rfm(rows, end);
    assert_eq!(
        (&r.customer_id, &r.recency_days, &r.orders),
        (&o.ids, &o.recency_days, &o.orders)
    );
    synth::assert_close_all(
        r.spend.as_ref().unwrap(),
        o.spend.as_ref().unwrap(),
        "spend",
    );
    assert_eq!((&r.r_score, &r.f_score), (&o.r_score, &o.f_score));
}

#[test]
fn dense_sorted_log_above_two_to_the_sixteen_rows_matches_the_oracle() {
    check_against_oracle(&big_rows(90_000, 3_000, false, true, 7));
}

#[test]
fn sparse_unsorted_log_above_two_to_the_sixteen_rows_matches_the_oracle() {
    check_against_oracle(&big_rows(90_000, 3_000, true, false, 11));
}

#[test]
fn large_logs_are_order_independent_and_merge_from_parts() {
    let rows = big_rows(140_000, 5_000, true, false, 3);
    let shuffled = rows.permute(&synth::permutation(rows.ids.len(), 99));
    let (a, b) = (synth::log(&rows), synth::log(&shuffled));
    let lb = Lookback::Months(12);
    let series = kpi_series(&a, Granularity::Week, lb).unwrap();
    synth::assert_same_series(&series, &kpi_series(&b, Granularity::Week, lb).unwrap());
    let co = CohortOptions::default();
    let matrix = cohort_matrix(&a, &co).unwrap();
    synth::assert_same_cohorts(&matrix, &cohort_matrix(&b, &co).unwrap());

    // Two customer-disjoint parts of 70,000 rows each: the parallel path runs
    // on the parts too.
    let parts: Vec<Rows> = (0..2u64)
        .map(|p| rows.filter(|id| (id >> 7) % 2 == p))
        .collect();
    assert!(parts.iter().all(|p| p.ids.len() > 1 << 16));
    let logs: Vec<_> = parts.iter().map(synth::log).collect();
    let end = rows.last_day();
    let co = co.with_observation_end(Some(end));
    let m: Vec<CohortMatrix> = logs
        .iter()
        .map(|l| cohort_matrix(l, &co).unwrap())
        .collect();
    synth::assert_same_cohorts(&CohortMatrix::merge(&m).unwrap(), &matrix);
    let so = SummaryOptions::default().with_observation_end(Some(end));
    let s: Vec<Summary> = logs.iter().map(|l| summary(l, &so).unwrap()).collect();
    synth::assert_same_summary(&Summary::merge(&s).unwrap(), &summary(&a, &so).unwrap());
    let pc: Vec<PurchaseCounts> = logs.iter().map(purchase_counts).collect();
    assert_eq!(PurchaseCounts::merge(&pc), purchase_counts(&a));
    let r: Vec<Rfm> = logs.iter().map(|l| rfm(l, Some(end)).unwrap()).collect();
    synth::assert_same_rfm(&Rfm::merge(&r).unwrap(), &rfm(&a, None).unwrap());
    crate::props::check_kpi_series_merge(&a, &logs, Granularity::Week, lb);
    crate::props::check_kpi_series_merge(&a, &logs, Granularity::Quarter, lb);
}
