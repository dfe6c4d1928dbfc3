//! Hand-computed examples and error tables for the revenue module.

#![allow(clippy::unwrap_used)]

use super::*;
use crate::period::{day, Granularity, Period};

fn d(y: i32, m: u32, dd: u32) -> i32 {
    day(y, m, dd).unwrap()
}

/// Six customers around February 2024 (p0 = 1 Feb, p1 = 1 Mar):
/// - 1: [1 Jan, ∞) at 100                          -> 100 -> 100, unchanged
/// - 2: [1 Jan, 15 Feb) at 50, [15 Feb, ∞) at 80    -> 50 -> 80, expansion 30
/// - 3: [1 Jan, ∞) at 60 + [10 Jan, 20 Feb) at 40   -> 100 -> 60, contraction 40
/// - 4: [5 Jan, 10 Feb) at 70                       -> 70 -> 0, churned 70
/// - 5: [3 Feb, ∞) at 25                            -> 0 -> 25, new 25
/// - 6: [1 Nov 2023, 1 Dec 2023) at 30, [20 Feb, ∞) at 35 -> 0 -> 35, reactivation 35
///
/// Rows deliberately unsorted.
struct Fixture {
    ids: Vec<u64>,
    start: Vec<i32>,
    end: Vec<Option<i32>>,
    mrr: Vec<f64>,
}

fn fixture() -> Fixture {
    let rows: Vec<(u64, i32, Option<i32>, f64)> = vec![
        (6, d(2024, 2, 20), None, 35.0),
        (3, d(2024, 1, 10), Some(d(2024, 2, 20)), 40.0),
        (1, d(2024, 1, 1), None, 100.0),
        (2, d(2024, 2, 15), None, 80.0),
        (4, d(2024, 1, 5), Some(d(2024, 2, 10)), 70.0),
        (2, d(2024, 1, 1), Some(d(2024, 2, 15)), 50.0),
        (5, d(2024, 2, 3), None, 25.0),
        (3, d(2024, 1, 1), None, 60.0),
        (6, d(2023, 11, 1), Some(d(2023, 12, 1)), 30.0),
    ];
    Fixture {
        ids: rows.iter().map(|r| r.0).collect(),
        start: rows.iter().map(|r| r.1).collect(),
        end: rows.iter().map(|r| r.2).collect(),
        mrr: rows.iter().map(|r| r.3).collect(),
    }
}

fn log() -> SubscriptionLog {
    let f = fixture();
    SubscriptionLog::new(&f.ids, &f.start, &f.end, &f.mrr).unwrap()
}

fn feb() -> Period {
    Period::new(d(2024, 2, 1), d(2024, 3, 1)).unwrap()
}

#[test]
fn mrr_accounts_and_arpa_at_a_day() {
    let l = log();
    assert_eq!((l.len(), l.num_customers()), (9, 6));
    assert_eq!(l.first_day(), d(2023, 11, 1));
    // 1 Feb: 100 (1) + 50 (2) + 60 + 40 (3) + 70 (4) = 320 over 4 accounts.
    assert_eq!(l.mrr_at(d(2024, 2, 1)).unwrap(), 320.0);
    assert_eq!(l.active_customers_at(d(2024, 2, 1)).unwrap(), 4);
    assert_eq!(l.arpa_at(d(2024, 2, 1)).unwrap(), 80.0); // 320 / 4
                                                         // 1 Mar: 100 + 80 + 60 + 25 + 35 = 300 over 5 accounts.
    assert_eq!(l.mrr_at(d(2024, 3, 1)).unwrap(), 300.0);
    assert_eq!(l.arpa_at(d(2024, 3, 1)).unwrap(), 60.0); // 300 / 5
    assert_eq!(
        l.mrr_by_customer_at(d(2024, 3, 1)).unwrap(),
        vec![(1, 100.0), (2, 80.0), (3, 60.0), (5, 25.0), (6, 35.0)]
    );
    // An end day is not covered: customer 4 ends on 10 Feb.
    // 10 Feb: 100 + 50 + 100 + 25 = 275.
    assert_eq!(l.mrr_at(d(2024, 2, 10)).unwrap(), 275.0);
    // 15 Nov 2023: only customer 6 (30).
    assert_eq!(l.mrr_at(d(2023, 11, 15)).unwrap(), 30.0);
    // 15 Dec 2023: nobody; ARPA is an error, not NaN.
    assert_eq!(l.mrr_at(d(2023, 12, 15)).unwrap(), 0.0);
    assert_eq!(
        l.arpa_at(d(2023, 12, 15)),
        Err(Error::ZeroDenominator {
            what: "active customers"
        })
    );
}

#[test]
fn february_movements_by_hand() {
    let m = mrr_movements(&log(), feb()).unwrap();
    assert_eq!(m.period, feb());
    assert_eq!(m.start_mrr, 320.0);
    assert_eq!(m.end_mrr, 300.0);
    assert_eq!(m.new, 25.0);
    assert_eq!(m.expansion, 30.0);
    assert_eq!(m.contraction, 40.0);
    assert_eq!(m.churned, 70.0);
    assert_eq!(m.reactivation, 35.0);
    // 320 + 25 + 30 + 35 − 40 − 70 = 300.
    assert_eq!(
        m.start_mrr + m.new + m.expansion + m.reactivation - m.contraction - m.churned,
        m.end_mrr
    );
    assert_eq!(
        (
            m.new_customers,
            m.expansion_customers,
            m.contraction_customers,
            m.churned_customers,
            m.reactivation_customers
        ),
        (1, 1, 1, 1, 1)
    );
    // S = {1, 2, 3, 4}, E = {1, 2, 3, 5, 6}, S ∩ E = {1, 2, 3}.
    assert_eq!(
        (m.start_customers, m.end_customers, m.retained_customers),
        (4, 5, 3)
    );
    // GRR = (320 − 70 − 40) / 320 = 210 / 320.
    assert_eq!(m.gross_revenue_retention().unwrap(), 0.65625);
    // NRR = (320 + 30 − 70 − 40) / 320 = 240 / 320.
    assert_eq!(m.net_revenue_retention().unwrap(), 0.75);
    // Gross revenue churn = (70 + 40) / 320; net = (70 + 40 − 30) / 320.
    assert_eq!(m.gross_revenue_churn().unwrap(), 0.34375);
    assert_eq!(m.net_revenue_churn().unwrap(), 0.25);
    // Logo retention 3 / 4, churn 1 / 4.
    assert_eq!(m.logo_retention().unwrap(), 0.75);
    assert_eq!(m.logo_churn().unwrap(), 0.25);
    // Retention cost: 900 spent / 3 retained.
    assert_eq!(m.retention_cost(900.0).unwrap(), 300.0);
    // SaaS quick ratio = (new 25 + expansion 30 + reactivation 35) /
    // (contraction 40 + churned 70) = 90 / 110: the MRR shrank by 20.
    assert_eq!(m.quick_ratio().unwrap(), 90.0 / 110.0);
}

#[test]
fn monthly_series_by_hand() {
    let s = mrr_series(&log(), Granularity::Month, d(2024, 1, 1), d(2024, 3, 31)).unwrap();
    assert_eq!(s.rows.len(), 3);
    let jan = &s.rows[0];
    // 1 Jan: 100 (1) + 50 (2) + 60 (3) = 210; 1 Feb: 320.
    // 3 gains 40 on 10 Jan (expansion), 4 starts on 5 Jan (new, 70):
    // 210 + 70 + 40 = 320.
    assert_eq!((jan.start_mrr, jan.end_mrr), (210.0, 320.0));
    assert_eq!((jan.new, jan.expansion, jan.churned), (70.0, 40.0, 0.0));
    assert_eq!(
        (
            jan.start_customers,
            jan.end_customers,
            jan.retained_customers
        ),
        (3, 4, 3)
    );
    // February: the same numbers as the single period.
    assert_eq!(s.rows[1], mrr_movements(&log(), feb()).unwrap());
    // March: nothing changes between 1 Mar and 1 Apr (300 both).
    let mar = &s.rows[2];
    assert_eq!((mar.start_mrr, mar.end_mrr), (300.0, 300.0));
    assert_eq!(mar.new + mar.expansion + mar.contraction + mar.churned, 0.0);
    assert_eq!(mar.retained_customers, 5);
    // November 2023: customer 6 covers [1 Nov, 1 Dec): covered at 1 Nov
    // (start day included), not at 1 Dec (end day excluded), so November
    // churns 30. December starts at 0 and ends at 1 Jan 2024 with 210
    // (customers 1, 2, 3 start that day, first subscriptions: new).
    let s = mrr_series(&log(), Granularity::Month, d(2023, 11, 5), d(2023, 12, 5)).unwrap();
    assert_eq!((s.rows[0].start_mrr, s.rows[0].end_mrr), (30.0, 0.0));
    assert_eq!((s.rows[0].churned, s.rows[0].churned_customers), (30.0, 1));
    assert_eq!(s.rows[0].gross_revenue_retention().unwrap(), 0.0); // (30 − 30) / 30
    assert_eq!((s.rows[1].start_mrr, s.rows[1].end_mrr), (0.0, 210.0));
    assert_eq!((s.rows[1].new, s.rows[1].new_customers), (210.0, 3));
    assert!(s.rows[1].gross_revenue_retention().is_err());
}

#[test]
fn new_needs_a_first_start_in_the_period_and_free_plans_are_accounts() {
    // Customer 1: free plan [0, 10), paid from day 10 at 20 -> over [5, 15)
    // a 0 -> 20 change whose only earlier subscription is free: new (a
    // first payment). Customer 2 starts paying on day 7: new.
    let l = SubscriptionLog::new(
        &[1, 1, 2],
        &[0, 10, 7],
        &[Some(10), None, None],
        &[0.0, 20.0, 15.0],
    )
    .unwrap();
    let m = mrr_movements(&l, Period::new(5, 15).unwrap()).unwrap();
    assert_eq!((m.reactivation, m.new, m.new_customers), (0.0, 35.0, 2));
    // Accounts: 1 at day 5 (the free plan), 2 at day 15; 1 retained.
    assert_eq!(
        (m.start_customers, m.end_customers, m.retained_customers),
        (1, 2, 1)
    );
    // MRR at day 5 is 0, so GRR is undefined while logo retention is 1.
    assert_eq!(
        m.gross_revenue_retention(),
        Err(Error::ZeroDenominator {
            what: "MRR at period start"
        })
    );
    assert_eq!(m.logo_retention().unwrap(), 1.0);
}

#[test]
fn back_to_back_subscriptions_at_the_same_mrr_are_no_movement() {
    // [0, 5) and [5, ∞) at 10: covered without a gap, MRR 10 throughout.
    let l = SubscriptionLog::new(&[1, 1], &[0, 5], &[Some(5), None], &[10.0, 10.0]).unwrap();
    let m = mrr_movements(&l, Period::new(5, 6).unwrap()).unwrap();
    assert_eq!(
        (m.start_mrr, m.end_mrr, m.churned, m.new),
        (10.0, 10.0, 0.0, 0.0)
    );
    assert_eq!(m.retained_customers, 1);
}

#[test]
fn many_subscriptions_of_one_customer_use_the_running_sum() {
    // 100 subscriptions of customer 1, each [i, i + 10) at 1.0 (above
    // DIRECT_MAX): MRR at day t is the number of i with i <= t < i + 10.
    let n = 100;
    let ids = vec![1u64; n];
    let start: Vec<i32> = (0..100).collect();
    let end: Vec<Option<i32>> = (10..110).map(Some).collect();
    let mrr = vec![1.0; n];
    let l = SubscriptionLog::new(&ids, &start, &end, &mrr).unwrap();
    // Day 50: i in 41..=50, 10 subscriptions; day 105: i in 96..=99, 4.
    let m = mrr_movements(&l, Period::new(50, 105).unwrap()).unwrap();
    assert_eq!((m.start_mrr, m.end_mrr, m.contraction), (10.0, 4.0, 6.0));
    let m = mrr_movements(&l, Period::new(105, 200).unwrap()).unwrap();
    assert_eq!((m.start_mrr, m.end_mrr, m.churned), (4.0, 0.0, 4.0));
    assert_eq!(l.mrr_at(50).unwrap(), 10.0);
}

#[test]
fn merge_adds_disjoint_customers_and_rejects_other_periods() {
    let f = fixture();
    let part = |keep: fn(u64) -> bool| {
        let rows: Vec<usize> = (0..f.ids.len()).filter(|&i| keep(f.ids[i])).collect();
        let ids: Vec<u64> = rows.iter().map(|&i| f.ids[i]).collect();
        let start: Vec<i32> = rows.iter().map(|&i| f.start[i]).collect();
        let end: Vec<Option<i32>> = rows.iter().map(|&i| f.end[i]).collect();
        let mrr: Vec<f64> = rows.iter().map(|&i| f.mrr[i]).collect();
        let l = SubscriptionLog::new(&ids, &start, &end, &mrr).unwrap();
        mrr_movements(&l, feb()).unwrap()
    };
    let merged = MrrMovements::merge(&[part(|id| id % 2 == 0), part(|id| id % 2 == 1)]).unwrap();
    assert_eq!(merged, mrr_movements(&log(), feb()).unwrap());
    let other = mrr_movements(&log(), Period::new(0, 10).unwrap()).unwrap();
    assert!(matches!(
        MrrMovements::merge(&[merged, other]),
        Err(Error::Incompatible { .. })
    ));
    assert!(matches!(MrrMovements::merge(&[]), Err(Error::Empty { .. })));
}

#[test]
fn clv_by_hand() {
    // 50 × 0.8 / 0.02 = 2,000 (0.02 is not exact in binary: tolerance).
    assert!((subscription_clv(50.0, 0.8, 0.02).unwrap() - 2_000.0).abs() < 1e-9);
    // 40 × 0.5 / 0.25 = 80, exact.
    assert_eq!(subscription_clv(40.0, 0.5, 0.25).unwrap(), 80.0);
    // Gupta & Lehmann (2003): margin multiple r / (1 + d − r) = 0.8 / 0.3 ≈ 2.67.
    let mult = discounted_clv(1.0, 0.8, 0.1).unwrap();
    assert!((mult - 2.666_666_666_666_667).abs() < 1e-12);
    assert_eq!((mult * 100.0).round() / 100.0, 2.67);
    // d = 0, r = 0.5: m · 0.5 / 0.5 = m (the sum 0.5 + 0.25 + ... = 1).
    assert_eq!(discounted_clv(30.0, 0.5, 0.0).unwrap(), 30.0);
    // r = 0: nobody renews, nothing after the first period.
    assert_eq!(discounted_clv(30.0, 0.0, 0.1).unwrap(), 0.0);
    // The closed form against the series Σ_{t≥1} m rᵗ / (1 + d)ᵗ, summed to t = 2,000.
    let (m, r, dr): (f64, f64, f64) = (12.0, 0.9, 0.01);
    let series: f64 = (1..=2_000).map(|t| m * (r / (1.0 + dr)).powi(t)).sum();
    assert!((discounted_clv(m, r, dr).unwrap() - series).abs() < 1e-9);
}

/// (name, ids, start, end, mrr, expected (column, row) of an InvalidValue).
type Case<'a> = (
    &'a str,
    &'a [u64],
    &'a [i32],
    &'a [Option<i32>],
    &'a [f64],
    Option<(&'static str, usize)>,
);

#[test]
fn every_bad_input_gives_its_error() {
    let ok_ids = [1u64, 2];
    let ok_start = [0, 5];
    let ok_end = [None, Some(9)];
    let ok_mrr = [10.0, 20.0];
    let cases: &[Case<'_>] = &[
        ("empty", &[], &[], &[], &[], None),
        ("short start", &ok_ids, &[0], &ok_end, &ok_mrr, None),
        ("short end", &ok_ids, &ok_start, &[None], &ok_mrr, None),
        ("short mrr", &ok_ids, &ok_start, &ok_end, &[1.0], None),
        (
            "start too early",
            &ok_ids,
            &[0, MIN_DAY - 1],
            &ok_end,
            &ok_mrr,
            Some(("start", 1)),
        ),
        (
            "start too late",
            &ok_ids,
            &[MAX_DAY + 1, 0],
            &ok_end,
            &ok_mrr,
            Some(("start", 0)),
        ),
        (
            "end too late",
            &ok_ids,
            &ok_start,
            &[None, Some(MAX_DAY + 1)],
            &ok_mrr,
            Some(("end", 1)),
        ),
        (
            "end = start",
            &ok_ids,
            &ok_start,
            &[None, Some(5)],
            &ok_mrr,
            Some(("end", 1)),
        ),
        (
            "end < start",
            &ok_ids,
            &ok_start,
            &[Some(-3), None],
            &ok_mrr,
            Some(("end", 0)),
        ),
        (
            "NaN mrr",
            &ok_ids,
            &ok_start,
            &ok_end,
            &[f64::NAN, 1.0],
            Some(("mrr", 0)),
        ),
        (
            "infinite mrr",
            &ok_ids,
            &ok_start,
            &ok_end,
            &[1.0, f64::INFINITY],
            Some(("mrr", 1)),
        ),
        (
            "negative mrr",
            &ok_ids,
            &ok_start,
            &ok_end,
            &[1.0, -0.01],
            Some(("mrr", 1)),
        ),
    ];
    for &(name, ids, start, end, mrr, want) in cases {
        let err = SubscriptionLog::new(ids, start, end, mrr).unwrap_err();
        match (name, want, &err) {
            ("empty", None, Error::Empty { what }) => assert_eq!(*what, "subscription log"),
            (
                _,
                None,
                Error::LengthMismatch {
                    column,
                    expected,
                    got,
                },
            ) => {
                assert_eq!((*expected, *got), (2, 1), "{name}");
                assert!(name.ends_with(column), "{name}: {column}");
            }
            (_, Some((c, r)), Error::InvalidValue { column, row, .. }) => {
                assert_eq!((*column, *row), (c, r), "{name}");
            }
            _ => panic!("{name}: unexpected {err:?}"),
        }
    }
    let l = log();
    // Days outside the supported range.
    for r in [
        l.mrr_at(MAX_DAY + 1).map(|_| ()),
        l.arpa_at(MIN_DAY - 1).map(|_| ()),
        mrr_series(&l, Granularity::Month, 10, 5).map(|_| ()),
        mrr_series(&l, Granularity::Month, MIN_DAY - 1, 5).map(|_| ()),
    ] {
        assert!(matches!(r, Err(Error::InvalidArgument { .. })), "{r:?}");
    }
    // 3.65 million daily periods: too many, an error rather than gigabytes.
    assert!(matches!(
        mrr_series(&l, Granularity::Day, MIN_DAY, MAX_DAY),
        Err(Error::TooLarge { .. })
    ));
    // CLV arguments.
    let zero = |r: Result<f64>| matches!(r, Err(Error::ZeroDenominator { .. }));
    let arg = |r: Result<f64>, n: &str| matches!(r, Err(Error::InvalidArgument { name, .. }) if name == n);
    assert!(zero(subscription_clv(50.0, 0.8, 0.0)));
    assert!(arg(subscription_clv(-1.0, 0.8, 0.1), "arpa"));
    assert!(arg(subscription_clv(f64::INFINITY, 0.8, 0.1), "arpa"));
    assert!(arg(subscription_clv(50.0, 1.5, 0.1), "gross_margin"));
    assert!(arg(subscription_clv(50.0, f64::NAN, 0.1), "gross_margin"));
    assert!(arg(subscription_clv(50.0, 0.8, -0.1), "churn_rate"));
    assert!(arg(subscription_clv(50.0, 0.8, 1.1), "churn_rate"));
    assert!(zero(discounted_clv(10.0, 1.0, 0.0)));
    assert!(arg(discounted_clv(f64::NAN, 0.5, 0.1), "margin"));
    assert!(arg(discounted_clv(10.0, 1.01, 0.1), "retention"));
    assert!(arg(discounted_clv(10.0, f64::NAN, 0.1), "retention"));
    assert!(arg(discounted_clv(10.0, 0.5, -0.01), "discount"));
    assert!(arg(discounted_clv(10.0, 0.5, f64::INFINITY), "discount"));
    // Rates with a zero denominator.
    let empty = mrr_movements(&l, Period::new(0, 10).unwrap()).unwrap();
    for r in [
        empty.gross_revenue_retention(),
        empty.net_revenue_retention(),
        empty.gross_revenue_churn(),
        empty.net_revenue_churn(),
        empty.logo_retention(),
        empty.logo_churn(),
        empty.retention_cost(10.0),
    ] {
        assert!(zero(r.clone()), "{r:?}");
    }
    assert!(arg(
        mrr_movements(&l, feb()).unwrap().retention_cost(-1.0),
        "spend"
    ));
}

#[test]
fn cohorts_by_hand() {
    // Observation end 15 Mar 2024: February is the last fully observed month.
    let c = subscription_cohorts(&log(), d(2024, 3, 15)).unwrap();
    let labels: Vec<&str> = c.rows.iter().map(|r| r.label.as_str()).collect();
    // Cohorts by first start: 6 in Nov 2023, 1–4 in Jan 2024, 5 in Feb 2024
    // (December has no new customer and no row).
    assert_eq!(labels, ["2023-11", "2024-01", "2024-02"]);
    let sizes: Vec<u64> = c.rows.iter().map(|r| r.size).collect();
    assert_eq!(sizes, [1, 4, 1]);
    // Columns Nov .. Mar (5); March is only partly observed: absent.
    let nov = &c.rows[0];
    // 6 covers [1 Nov, 1 Dec): active in Nov only, back from 20 Feb (k = 3).
    assert_eq!(nov.active, [Some(1), Some(0), Some(0), Some(1), None]);
    // MRR on 30 Nov: 30; 31 Dec, 31 Jan: 0; 29 Feb: 35.
    assert_eq!(
        nov.mrr,
        [Some(30.0), Some(0.0), Some(0.0), Some(35.0), None]
    );
    assert_eq!(nov.mrr_retention(3).unwrap(), 35.0 / 30.0);
    let jan = &c.rows[1];
    // All four active in January and in February (4 until 10 Feb).
    assert_eq!(jan.active, [Some(4), Some(4), None, None, None]);
    // 31 Jan: 100 + 50 + 60 + 40 + 70 = 320; 29 Feb: 100 + 80 + 60 = 240.
    assert_eq!(jan.mrr, [Some(320.0), Some(240.0), None, None, None]);
    assert_eq!(jan.retention(1).unwrap(), 1.0);
    assert_eq!(jan.mrr_retention(1).unwrap(), 0.75); // 240 / 320
    assert!(matches!(
        jan.retention(2),
        Err(Error::InvalidArgument { .. })
    ));
    let feb = &c.rows[2];
    assert_eq!(feb.active, [Some(1), None, None, None, None]);
    assert_eq!(feb.mrr[0], Some(25.0));
    // Observation end on the last day of February: the same cells (March absent).
    let c2 = subscription_cohorts(&log(), d(2024, 2, 29)).unwrap();
    assert_eq!(c2.rows[1].active, [Some(4), Some(4), None, None]);
    // A cohort whose month 0 ends at MRR 0: revenue retention undefined.
    let free =
        SubscriptionLog::new(&[1], &[d(2024, 1, 5)], &[Some(d(2024, 1, 9))], &[10.0]).unwrap();
    let c3 = subscription_cohorts(&free, d(2024, 2, 29)).unwrap();
    assert_eq!(c3.rows[0].mrr, [Some(0.0), Some(0.0)]);
    assert!(matches!(
        c3.rows[0].mrr_retention(1),
        Err(Error::ZeroDenominator { .. })
    ));
    assert!(subscription_cohorts(&log(), MAX_DAY + 1).is_err());
    // Far-apart days: too many cells is an error, not an allocation of gigabytes.
    let wide = SubscriptionLog::new(&[1], &[MIN_DAY], &[None], &[1.0]).unwrap();
    assert!(matches!(
        subscription_cohorts(&wide, MAX_DAY),
        Err(Error::TooLarge { .. })
    ));
}
