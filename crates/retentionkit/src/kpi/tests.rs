//! Hand-computed period KPIs on logs small enough to check on paper.
//!
//! Every expected number is derived in a comment: who is in S (active at the
//! period start), E (active at the period end), N (first order in the
//! period), retained (S ∩ E) and reactivated (E − retained − N), and why.
//! "Active at t" means an order in `[t − look-back, t)` (docs/metrics.md,
//! "Activity: S, E, N, retained, reactivated").

use super::one_period::low_bits;
use super::*;
use crate::log::TransactionLog;
use crate::period::{day, format_day};

fn d(y: i32, m: u32, dd: u32) -> i32 {
    day(y, m, dd).unwrap()
}

/// `Err` as "Variant(field)", so tables can name the exact variant and the
/// quantity or argument it reports.
fn kind<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(Error::ZeroDenominator { what }) => format!("ZeroDenominator({what})"),
        Err(Error::InvalidArgument { name, .. }) => format!("InvalidArgument({name})"),
        Err(Error::MissingColumn { column, .. }) => format!("MissingColumn({column})"),
        Err(Error::Incompatible { .. }) => "Incompatible".into(),
        Err(Error::Empty { what }) => format!("Empty({what})"),
        Err(e) => format!("{e:?}"),
    }
}

/// Relative agreement to a few ulps, for quotients whose rounding order differs.
#[track_caller]
fn near(a: f64, b: f64) {
    assert!((a - b).abs() <= 1e-15 * b.abs().max(1.0), "{a} != {b}");
}

/// (S, E, N, retained, reactivated)
fn base(r: &KpiRow) -> (u64, u64, u64, u64, u64) {
    (
        r.start_customers,
        r.end_customers,
        r.new_customers,
        r.retained,
        r.reactivated,
    )
}

/// (active customers, orders, repeat customers, customer-days)
fn activity(r: &KpiRow) -> (u64, u64, u64, u64) {
    (
        r.active_customers,
        r.orders,
        r.repeat_customers,
        r.customer_days,
    )
}

/// Five customers over January–April 2024, rows deliberately out of date order.
///
/// | customer | orders (amount) |
/// |---|---|
/// | 1 | Jan 5 (10), Jan 5 (5), Jan 20 (15), Feb 10 (20) |
/// | 2 | Jan 31 (30), Apr 29 (9) |
/// | 3 | Feb 15 (40), Apr 2 (8) |
/// | 4 | Mar 1 (12), Mar 1 (3), Mar 31 (6) |
/// | 5 | Feb 20 (7), Feb 20 (7) |
struct Shop {
    ids: Vec<u64>,
    days: Vec<i32>,
    amounts: Vec<f64>,
}

fn shop() -> Shop {
    let rows = [
        (4, d(2024, 3, 31), 6.0),
        (1, d(2024, 1, 5), 10.0),
        (2, d(2024, 4, 29), 9.0),
        (1, d(2024, 2, 10), 20.0),
        (3, d(2024, 2, 15), 40.0),
        (1, d(2024, 1, 5), 5.0),
        (5, d(2024, 2, 20), 7.0),
        (2, d(2024, 1, 31), 30.0),
        (4, d(2024, 3, 1), 12.0),
        (1, d(2024, 1, 20), 15.0),
        (3, d(2024, 4, 2), 8.0),
        (5, d(2024, 2, 20), 7.0),
        (4, d(2024, 3, 1), 3.0),
    ];
    Shop {
        ids: rows.iter().map(|r| r.0).collect(),
        days: rows.iter().map(|r| r.1).collect(),
        amounts: rows.iter().map(|r| r.2).collect(),
    }
}

#[test]
fn monthly_series_with_a_one_month_look_back_by_hand() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let k = kpi_series(&log, Granularity::Month, Lookback::Months(1)).unwrap();
    // Bases (orders in the month before t):
    //   Jan 1: {}            Feb 1: {1, 2} (Jan orders)
    //   Mar 1: {1, 3, 5}     Apr 1: {4}    May 1: {2, 3} (Apr 2, Apr 29)
    // First orders: 1 Jan 5, 2 Jan 31, 3 Feb 15, 5 Feb 20, 4 Mar 1.
    assert_eq!(k.granularity, Some(Granularity::Month));
    assert_eq!(k.lookback, Lookback::Months(1));
    assert_eq!(k.observation_end, d(2024, 4, 29));
    let labels: Vec<&str> = k.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04"]);
    let [jan, feb, mar, apr] = &k.rows[..] else {
        panic!("four months expected")
    };
    assert_eq!(
        jan.period,
        Period {
            start: d(2024, 1, 1),
            end: d(2024, 2, 1)
        }
    );

    // January: S = {}, E = {1, 2}, N = {1, 2}.
    assert_eq!(base(jan), (0, 2, 2, 0, 0));
    // 4 orders from customers 1 (3 rows on 2 days) and 2 (1 row): 3 customer-days.
    assert_eq!(activity(jan), (2, 4, 1, 3));
    assert_eq!(jan.revenue, Some(60.0)); // 10 + 5 + 15 + 30
    assert_eq!(
        kind(jan.retention_rate()),
        "ZeroDenominator(customers at period start (S))"
    );
    assert_eq!(jan.engagement().unwrap(), 1.0); // 2 ordered / E = 2
    near(jan.stickiness().unwrap(), 3.0 / (31.0 * 2.0)); // 3 customer-days / (31 days × 2)
    assert_eq!(jan.purchase_frequency().unwrap(), 2.0); // 4 orders / 2 customers
    assert_eq!(jan.repeat_customer_rate().unwrap(), 0.5); // customer 1 of {1, 2}

    // February: S = {1, 2}, E = {1, 3, 5}, N = {3, 5}; retained {1}; 2 churned.
    assert_eq!(base(feb), (2, 3, 2, 1, 0));
    // Orders: 1 (Feb 10), 3 (Feb 15), 5 twice on Feb 20: 4 orders, 3
    // customer-days; customer 5 is a repeat customer (two rows, one day).
    assert_eq!(activity(feb), (3, 4, 1, 3));
    assert_eq!(feb.revenue, Some(74.0)); // 20 + 40 + 7 + 7
    assert_eq!(feb.retention_rate().unwrap(), 0.5); // (E − N) / S = (3 − 2) / 2
    assert_eq!(feb.cohort_retention().unwrap(), 0.5); // |{1}| / 2
    assert_eq!(feb.churn_rate().unwrap(), 0.5); // (2 − 1) / 2
    assert_eq!(feb.net_change_rate().unwrap(), -0.5); // (2 − 3) / 2
    assert_eq!(feb.growth_rate().unwrap(), 0.5); // (3 − 2) / 2
    assert_eq!(feb.average_order_value().unwrap(), 18.5); // 74 / 4
    near(feb.purchase_frequency().unwrap(), 4.0 / 3.0);
    near(feb.customer_value().unwrap(), 74.0 / 3.0); // AOV × frequency = revenue / customers
    assert_eq!(feb.engagement().unwrap(), 1.0); // 3 / 3
    near(feb.stickiness().unwrap(), 1.0 / 29.0); // 3 / (29 days × 3), 2024 is a leap year
    assert_eq!(feb.retention_cost(50.0).unwrap(), 50.0); // 50 / 1 retained

    // March: S = {1, 3, 5}, E = {4}, N = {4}: nobody retained.
    assert_eq!(base(mar), (3, 1, 1, 0, 0));
    assert_eq!(activity(mar), (1, 3, 1, 2)); // customer 4: Mar 1 twice, Mar 31
    assert_eq!(mar.revenue, Some(21.0));
    assert_eq!(mar.retention_rate().unwrap(), 0.0); // (1 − 1) / 3
    assert_eq!(mar.churn_rate().unwrap(), 1.0);
    assert_eq!(mar.average_order_value().unwrap(), 7.0);
    assert_eq!(mar.customer_value().unwrap(), 21.0);
    near(mar.stickiness().unwrap(), 2.0 / 31.0);
    assert_eq!(
        kind(mar.retention_cost(10.0)),
        "ZeroDenominator(retained customers)"
    );

    // April: S = {4}, E = {2, 3}, N = {}: 2 (last order Jan 31) and 3 (last
    // order Feb 15) come back after a gap longer than a month: reactivated.
    assert_eq!(base(apr), (1, 2, 0, 0, 2));
    assert_eq!(activity(apr), (2, 2, 0, 2));
    assert_eq!(apr.revenue, Some(17.0));
    // CRR counts the reactivated customers, cohort retention does not.
    assert_eq!(apr.retention_rate().unwrap(), 2.0); // (2 − 0) / 1
    assert_eq!(apr.cohort_retention().unwrap(), 0.0);
    assert_eq!(apr.growth_rate().unwrap(), 1.0);

    // The log ends on Apr 29: April is not observed to its last day.
    let complete: Vec<bool> = k.rows.iter().map(|r| r.complete).collect();
    assert_eq!(complete, [true, true, true, false]);
    for r in &k.rows {
        assert_eq!(
            r.end_customers,
            r.retained + r.new_customers + r.reactivated
        );
    }
}

#[test]
fn the_same_months_from_period_kpis_agree_with_the_series() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let series = kpi_series(&log, Granularity::Month, Lookback::Months(1)).unwrap();
    for row in &series.rows {
        let one = period_kpis(&log, row.period, Lookback::Months(1)).unwrap();
        assert_eq!(
            one.label,
            format!(
                "{}..{}",
                format_day(row.period.start),
                format_day(row.period.end)
            )
        );
        assert_eq!(
            KpiRow {
                label: row.label.clone(),
                ..one
            },
            *row
        );
    }
}

#[test]
fn long_periods_of_period_kpis() {
    // [Jan 1, Sep 11) is 254 days, [Jan 1, Sep 12) 255 days (once the
    // longest period of the one-byte day stamp of an earlier fast path).
    // Both hold every order of the shop; with a 12-month look-back:
    // S = {} (nothing before Jan 1), E = all 5, N = all 5.
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    for end in [d(2024, 9, 11), d(2024, 9, 12)] {
        let p = Period::new(d(2024, 1, 1), end).unwrap();
        let r = period_kpis(&log, p, Lookback::Months(12)).unwrap();
        assert_eq!(base(&r), (0, 5, 5, 0, 0));
        // 13 orders; every customer has ≥ 2 rows; customer-days:
        // 1: Jan 5, Jan 20, Feb 10; 2: 2; 3: 2; 4: Mar 1, Mar 31; 5: Feb 20 -> 10.
        assert_eq!(activity(&r), (5, 13, 5, 10));
        assert_eq!(r.revenue, Some(172.0));
        assert!(!r.complete); // ends after Apr 29
    }
}

#[test]
fn customer_days_on_the_last_day_of_a_254_and_a_255_day_period() {
    // Customer 9 orders on the first day and twice on the last day (offset
    // 253) of a 254-day period; customer 8 once on the day after it.
    let p0 = d(2023, 1, 1);
    let ids = [9, 9, 9, 8];
    let days = [p0, p0 + 253, p0 + 253, p0 + 254];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    for len in [254, 255] {
        let p = Period::new(p0, p0 + len).unwrap();
        let r = period_kpis(&log, p, Lookback::Days(400)).unwrap();
        if len == 254 {
            // E = {9}: customer 8's order is on the period end, outside it.
            assert_eq!(base(&r), (0, 1, 1, 0, 0));
            assert_eq!(activity(&r), (1, 3, 1, 2));
            assert!(r.complete);
        } else {
            assert_eq!(base(&r), (0, 2, 2, 0, 0));
            assert_eq!(activity(&r), (2, 4, 1, 3));
            assert!(r.complete); // the log ends on the period's last day
        }
        assert_eq!(r.revenue, None);
    }
}

#[test]
fn weekly_series_with_a_seven_day_look_back_and_a_reactivation() {
    // ISO weeks of January 2024 start on Mondays: Jan 1, 8, 15, 22 (29).
    // a: Jan 2, Jan 9, Jan 9   b: Jan 7, Jan 22   c: Jan 14, Jan 15   d: Jan 28
    let ids = [1, 2, 1, 3, 1, 3, 2, 4];
    let days = [
        d(2024, 1, 2),
        d(2024, 1, 7),
        d(2024, 1, 9),
        d(2024, 1, 14),
        d(2024, 1, 9),
        d(2024, 1, 15),
        d(2024, 1, 22),
        d(2024, 1, 28),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let k = kpi_series(&log, Granularity::Week, Lookback::Days(7)).unwrap();
    // Bases (orders in the 7 days before t):
    //   Jan 1: {}   Jan 8: {a, b}   Jan 15: {a, c}   Jan 22: {c} (Jan 15)
    //   Jan 29: {b, d}
    let labels: Vec<&str> = k.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2024-W01", "2024-W02", "2024-W03", "2024-W04"]);
    let got: Vec<_> = k.rows.iter().map(|r| (base(r), activity(r))).collect();
    assert_eq!(
        got,
        [
            // W01: N = {a, b}.
            ((0, 2, 2, 0, 0), (2, 2, 0, 2)),
            // W02: N = {c}; retained {a}; b churned. a ordered twice on Jan 9.
            ((2, 2, 1, 1, 0), (2, 3, 1, 2)),
            // W03: retained {c}; a churned.
            ((2, 1, 0, 1, 0), (1, 1, 0, 1)),
            // W04: N = {d}; b is back after two empty weeks: reactivated.
            ((1, 2, 1, 0, 1), (2, 2, 0, 2)),
        ]
    );
    assert_eq!(k.rows[1].retention_rate().unwrap(), 0.5); // (2 − 1) / 2
    assert_eq!(k.rows[3].retention_rate().unwrap(), 1.0); // (2 − 1) / 1, with b reactivated
    assert_eq!(k.rows[3].cohort_retention().unwrap(), 0.0);
    assert_eq!(k.rows[3].churn_rate().unwrap(), 1.0);
    // The log ends on Sunday Jan 28, the last day of W04.
    assert!(k.rows.iter().all(|r| r.complete));
    assert!(k.rows.iter().all(|r| r.revenue.is_none()));
}

#[test]
fn month_look_back_is_calendar_months_not_thirty_days() {
    // Customer 1 orders on 31 Jan 2024 only. At 1 Mar, one calendar month
    // back is 1 Feb, so customer 1 is not active; 30 days back is 31 Jan
    // (2024 is a leap year), so with Days(30) customer 1 is active.
    let jan31 = [d(2024, 1, 31)];
    let log = TransactionLog::new(&[1], &jan31, None).unwrap();
    let feb = Period::new(d(2024, 2, 1), d(2024, 3, 1)).unwrap();
    let months = period_kpis(&log, feb, Lookback::Months(1)).unwrap();
    assert_eq!(base(&months), (1, 0, 0, 0, 0)); // S window [Jan 1, Feb 1) holds Jan 31
    assert_eq!(months.churn_rate().unwrap(), 1.0);
    let days = period_kpis(&log, feb, Lookback::Days(30)).unwrap();
    assert_eq!(base(&days), (1, 1, 0, 1, 0)); // E window [Jan 31, Mar 1)
    assert_eq!(days.churn_rate().unwrap(), 0.0);
}

#[test]
fn month_look_back_clamps_to_the_end_of_february() {
    // Period [1 Mar, 31 Mar) 2024 with Months(1): the S window starts 1 Feb;
    // the E window starts at 31 Mar − 1 month = 31 Feb, clamped to 29 Feb.
    // A: Feb 28 only (in S, not in E); B: Feb 29 only (in S and E);
    // C: Jan 31 only (in neither); D: Mar 10 (new).
    let ids = [1, 2, 3, 4];
    let days = [
        d(2024, 2, 28),
        d(2024, 2, 29),
        d(2024, 1, 31),
        d(2024, 3, 10),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let p = Period::new(d(2024, 3, 1), d(2024, 3, 31)).unwrap();
    let r = period_kpis(&log, p, Lookback::Months(1)).unwrap();
    // S = {A, B}, E = {B, D}, N = {D}, retained = {B}.
    assert_eq!(base(&r), (2, 2, 1, 1, 0));
    // In 2023 the clamp lands on 28 Feb: an order on 28 Feb 2023 is in E.
    let days = [
        d(2023, 2, 28),
        d(2023, 2, 27),
        d(2023, 1, 31),
        d(2023, 3, 10),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let p = Period::new(d(2023, 3, 1), d(2023, 3, 31)).unwrap();
    let r = period_kpis(&log, p, Lookback::Months(1)).unwrap();
    // S = {A (Feb 28), B (Feb 27)}, E = {A, D}.
    assert_eq!(base(&r), (2, 2, 1, 1, 0));
    let q = period_kpis(&log, p, Lookback::Days(30)).unwrap();
    // Days(30): S window [Jan 30, Mar 1) = {A, B, C}; E window [Mar 1, Mar 31) = {D}.
    assert_eq!(base(&q), (3, 1, 1, 0, 0));
}

#[test]
fn a_log_without_amounts_has_no_revenue_kpis() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let k = kpi_series(&log, Granularity::Month, Lookback::Months(1)).unwrap();
    for r in &k.rows {
        assert_eq!(r.revenue, None);
        assert_eq!(kind(r.average_order_value()), "MissingColumn(amount)");
        assert_eq!(kind(r.customer_value()), "MissingColumn(amount)");
        // The other KPIs do not need amounts.
        assert!(r.purchase_frequency().is_ok());
    }
    let p = Period::new(d(2024, 1, 1), d(2024, 2, 1)).unwrap();
    let r = period_kpis(&log, p, Lookback::Months(1)).unwrap();
    assert_eq!(r.revenue, None);
    assert_eq!(kind(r.average_order_value()), "MissingColumn(amount)");
}

#[test]
fn an_empty_period_gives_zero_denominators_not_nan() {
    // June 2024, months after the shop's last order: every count is zero.
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let p = Period::new(d(2024, 6, 1), d(2024, 7, 1)).unwrap();
    let r = period_kpis(&log, p, Lookback::Months(1)).unwrap();
    assert_eq!((base(&r), activity(&r)), ((0, 0, 0, 0, 0), (0, 0, 0, 0)));
    assert_eq!(r.revenue, Some(0.0));
    assert!(!r.complete);
    let s_zero = "ZeroDenominator(customers at period start (S))";
    let cases = [
        (kind(r.retention_rate()), s_zero),
        (kind(r.cohort_retention()), s_zero),
        (kind(r.churn_rate()), s_zero),
        (kind(r.net_change_rate()), s_zero),
        (kind(r.growth_rate()), s_zero),
        (
            kind(r.repeat_customer_rate()),
            "ZeroDenominator(customers with an order)",
        ),
        (
            kind(r.purchase_frequency()),
            "ZeroDenominator(customers with an order)",
        ),
        (kind(r.average_order_value()), "ZeroDenominator(orders)"),
        (kind(r.customer_value()), "ZeroDenominator(orders)"),
        (kind(r.engagement()), "ZeroDenominator(customer base)"),
        (
            kind(r.stickiness()),
            "ZeroDenominator(customers active in the period)",
        ),
        (
            kind(r.retention_cost(100.0)),
            "ZeroDenominator(retained customers)",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
    // Before the first order: the same, and the period is complete.
    let p = Period::new(d(2023, 6, 1), d(2023, 7, 1)).unwrap();
    let r = period_kpis(&log, p, Lookback::Months(1)).unwrap();
    assert_eq!((base(&r), activity(&r)), ((0, 0, 0, 0, 0), (0, 0, 0, 0)));
    assert!(r.complete);
}

#[test]
fn purchase_counts_by_hand() {
    // Rows per customer: 1: 4, 2: 2, 3: 2, 4: 3, 5: 2 (two rows on one day count twice).
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let pc = purchase_counts(&log);
    assert_eq!(pc.customers, [0, 0, 3, 1, 1]);
    assert_eq!((pc.at_least(0), pc.at_least(1), pc.at_least(2)), (5, 5, 5));
    assert_eq!((pc.at_least(3), pc.at_least(4), pc.at_least(5)), (2, 1, 0));
    assert_eq!(pc.repeat_customer_rate().unwrap(), 1.0); // 5 / 5
    assert_eq!(pc.repeat_purchase_probability(2).unwrap(), 0.4); // ≥ 3: 2 of ≥ 2: 5
    assert_eq!(pc.repeat_purchase_probability(3).unwrap(), 0.5); // 1 / 2
    assert_eq!(pc.repeat_purchase_probability(4).unwrap(), 0.0); // 0 / 1
    assert_eq!(
        kind(pc.repeat_purchase_probability(5)),
        "ZeroDenominator(customers with at least n orders)"
    );
    assert_eq!(
        kind(pc.repeat_purchase_probability(0)),
        "InvalidArgument(n)"
    );

    // One-time buyers: 7 once; 8 three times on one day; 9 twice. Sparse ids.
    let ids = [u64::MAX, 8, 8, 8, 9, 9];
    let log = TransactionLog::new(&ids, &[5, 1, 1, 1, 2, 3], None).unwrap();
    let pc = purchase_counts(&log);
    assert_eq!(pc.customers, [0, 1, 1, 1]);
    near(pc.repeat_customer_rate().unwrap(), 2.0 / 3.0);
    assert_eq!(pc.repeat_purchase_probability(2).unwrap(), 0.5);

    // Merging the histograms of customer-disjoint parts adds them.
    let a = PurchaseCounts {
        customers: vec![0, 2, 1],
    };
    let b = PurchaseCounts {
        customers: vec![0, 1, 0, 0, 4],
    };
    assert_eq!(PurchaseCounts::merge(&[a, b]).customers, [0, 3, 1, 0, 4]);
    assert_eq!(PurchaseCounts::merge(&[]), PurchaseCounts::default());
}

#[test]
fn kpi_series_merges_parts_with_the_same_periods() {
    // Customers {1, 3, 5} and {2, 4} of the shop: both parts have orders
    // from January to April, so their series cover the same months.
    let s = shop();
    let split = |keep: fn(u64) -> bool| {
        let idx: Vec<usize> = (0..s.ids.len()).filter(|&i| keep(s.ids[i])).collect();
        (
            idx.iter().map(|&i| s.ids[i]).collect::<Vec<_>>(),
            idx.iter().map(|&i| s.days[i]).collect::<Vec<_>>(),
            idx.iter().map(|&i| s.amounts[i]).collect::<Vec<_>>(),
        )
    };
    let (odd, even) = (split(|id| id % 2 == 1), split(|id| id % 2 == 0));
    let lb = Lookback::Months(1);
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let whole = kpi_series(&log, Granularity::Month, lb).unwrap();
    let a = TransactionLog::new(&odd.0, &odd.1, Some(&odd.2)).unwrap();
    let b = TransactionLog::new(&even.0, &even.1, Some(&even.2)).unwrap();
    let (ka, kb) = (
        kpi_series(&a, Granularity::Month, lb).unwrap(),
        kpi_series(&b, Granularity::Month, lb).unwrap(),
    );
    // Part {1, 3, 5} ends on Apr 2, part {2, 4} on Apr 29: the merged series
    // takes the later end.
    assert_eq!(
        (ka.observation_end, kb.observation_end),
        (d(2024, 4, 2), d(2024, 4, 29))
    );
    assert_eq!(KpiSeries::merge(&[ka.clone(), kb.clone()]).unwrap(), whole);

    // Different look-backs, periods or amounts do not merge.
    let other_lb = kpi_series(&b, Granularity::Month, Lookback::Months(2)).unwrap();
    assert_eq!(
        kind(KpiSeries::merge(&[ka.clone(), other_lb])),
        "Incompatible"
    );
    let feb3 = [d(2024, 2, 3)];
    let fewer = TransactionLog::new(&[1], &feb3, Some(&[1.0])).unwrap();
    let fewer = kpi_series(&fewer, Granularity::Month, lb).unwrap();
    assert_eq!(kind(KpiSeries::merge(&[ka.clone(), fewer])), "Incompatible");
    let no_amounts = TransactionLog::new(&even.0, &even.1, None).unwrap();
    let no_amounts = kpi_series(&no_amounts, Granularity::Month, lb).unwrap();
    assert_eq!(kind(KpiSeries::merge(&[ka, no_amounts])), "Incompatible");
    assert_eq!(
        kind(KpiSeries::merge(&[])),
        "Empty(list of KPI series to merge)"
    );
}

#[test]
fn formula_functions_reject_bad_inputs_with_the_exact_error() {
    let s0 = "ZeroDenominator(customers at period start (S))";
    let cases: Vec<(String, &str)> = vec![
        (kind(retention_rate(0, 1, 0)), s0),
        (kind(retention_rate(4, 3, 1)), "Ok(0.5)"),
        // N > E cannot come from a log: every acquired customer is active at the end.
        (kind(retention_rate(4, 1, 2)), "InvalidArgument(acquired)"),
        (kind(cohort_retention(0, 0)), s0),
        (kind(cohort_retention(2, 3)), "InvalidArgument(retained)"),
        (kind(churn_rate(0, 0)), s0),
        (kind(churn_rate(2, 3)), "InvalidArgument(retained)"),
        (kind(churn_rate(4, 1)), "Ok(0.75)"),
        (kind(net_change_rate(0, 5)), s0),
        (kind(growth_rate(0, 5)), s0),
        (
            kind(repeat_customer_rate(0, 0)),
            "ZeroDenominator(customers with an order)",
        ),
        (kind(repeat_customer_rate(1, 2)), "InvalidArgument(repeat)"),
        (
            kind(purchase_frequency(3, 0)),
            "ZeroDenominator(customers with an order)",
        ),
        (kind(average_order_value(5.0, 0)), "ZeroDenominator(orders)"),
        (kind(customer_value(5.0, 0, 3)), "ZeroDenominator(orders)"),
        (
            kind(customer_value(5.0, 2, 0)),
            "ZeroDenominator(customers with an order)",
        ),
        (kind(customer_value(6.0, 3, 2)), "Ok(3.0)"),
        (
            kind(lifespan_from_churn(0.0)),
            "ZeroDenominator(churn rate)",
        ),
        (kind(lifespan_from_churn(1.5)), "InvalidArgument(churn)"),
        (kind(lifespan_from_churn(-0.1)), "InvalidArgument(churn)"),
        (
            kind(lifespan_from_churn(f64::NAN)),
            "InvalidArgument(churn)",
        ),
        (kind(lifespan_from_churn(0.25)), "Ok(4.0)"),
        (
            kind(historic_clv(-1.0, 10, 2.0)),
            "InvalidArgument(annual_revenue)",
        ),
        (
            kind(historic_clv(f64::INFINITY, 10, 2.0)),
            "InvalidArgument(annual_revenue)",
        ),
        (
            kind(historic_clv(1.0, 10, f64::NAN)),
            "InvalidArgument(lifespan_years)",
        ),
        (
            kind(historic_clv(1.0, 0, 1.0)),
            "ZeroDenominator(customers in the year)",
        ),
        (kind(engagement(3, 2)), "InvalidArgument(active)"),
        (kind(engagement(0, 0)), "ZeroDenominator(customer base)"),
        (
            kind(stickiness(5, 0, 1)),
            "ZeroDenominator(days in the period)",
        ),
        (
            kind(stickiness(0, 30, 0)),
            "ZeroDenominator(customers active in the period)",
        ),
        (kind(retention_cost(-1.0, 5)), "InvalidArgument(spend)"),
        (kind(retention_cost(f64::NAN, 5)), "InvalidArgument(spend)"),
        (
            kind(retention_cost(10.0, 0)),
            "ZeroDenominator(retained customers)",
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got, want);
    }
}

#[test]
fn kpi_series_rejects_bad_look_backs_with_the_exact_error() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let lb = "InvalidArgument(lookback)";
    let cases = [
        (Granularity::Day, Lookback::Days(0), lb),
        (Granularity::Month, Lookback::Months(0), lb),
        // A 31-day January does not fit in 30 days.
        (Granularity::Month, Lookback::Days(30), lb),
        (Granularity::Week, Lookback::Days(6), lb),
        (Granularity::Quarter, Lookback::Months(2), lb),
        (Granularity::Quarter, Lookback::Days(90), lb), // Q1 2024 has 91 days
        (Granularity::Year, Lookback::Months(11), lb),
        (Granularity::Year, Lookback::Days(365), lb), // 2024 has 366 days
    ];
    for (g, l, want) in cases {
        assert_eq!(kind(kpi_series(&log, g, l)), want, "{g:?} {l:?}");
    }
    // Exactly one period long is enough.
    for (g, l) in [
        (Granularity::Day, Lookback::Days(1)),
        (Granularity::Week, Lookback::Days(7)),
        (Granularity::Month, Lookback::Days(31)),
        (Granularity::Month, Lookback::Months(1)),
        (Granularity::Quarter, Lookback::Days(92)),
        (Granularity::Quarter, Lookback::Months(3)),
        (Granularity::Year, Lookback::Days(366)),
        (Granularity::Year, Lookback::Months(12)),
    ] {
        assert!(kpi_series(&log, g, l).is_ok(), "{g:?} {l:?}");
    }
    // A window that would start before 0001-01-01: orders start in 1900
    // (the log's first order date, docs/metrics.md, "The transaction log"), so a look-back
    // of 1,900 years from March 1900 reaches year 0.
    let early_days = [d(1900, 3, 5)];
    let early = TransactionLog::new(&[1], &early_days, None).unwrap();
    assert_eq!(
        kind(kpi_series(
            &early,
            Granularity::Month,
            Lookback::Months(12 * 1900)
        )),
        lb
    );
}

#[test]
fn period_kpis_rejects_bad_inputs_with_the_exact_error() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let march = Period::new(d(2024, 3, 1), d(2024, 4, 1)).unwrap();
    let long = Period::new(d(2024, 1, 1), d(2024, 12, 1)).unwrap();
    let cases = [
        (march, Lookback::Days(0), "InvalidArgument(lookback)"),
        (march, Lookback::Months(0), "InvalidArgument(lookback)"),
        (long, Lookback::Days(0), "InvalidArgument(lookback)"),
        // Shorter than the period: a month and eleven months.
        (march, Lookback::Days(30), "InvalidArgument(lookback)"),
        (long, Lookback::Months(10), "InvalidArgument(lookback)"),
        // [31 Jan, 1 Mar): one month before 1 Mar is 1 Feb, after the start.
        (
            Period::new(d(2024, 1, 31), d(2024, 3, 1)).unwrap(),
            Lookback::Months(1),
            "InvalidArgument(lookback)",
        ),
        // A period whose fields were set by hand: empty or reversed.
        (
            Period {
                start: d(2024, 3, 1),
                end: d(2024, 3, 1),
            },
            Lookback::Months(1),
            "InvalidArgument(end)",
        ),
        (
            Period {
                start: d(2024, 3, 10),
                end: d(2024, 3, 1),
            },
            Lookback::Months(12),
            "InvalidArgument(end)",
        ),
        (
            Period {
                start: crate::period::MIN_DAY - 1,
                end: d(2024, 3, 1),
            },
            Lookback::Months(1),
            "InvalidArgument(start)",
        ),
    ];
    for (p, l, want) in cases {
        assert_eq!(kind(period_kpis(&log, p, l)), want, "{p:?} {l:?}");
    }
}

#[test]
fn revenue_of_the_largest_amounts_stays_finite() {
    // Amounts near f64::MAX (two summed to +inf) are refused by the log; at
    // the largest allowed amount, 2^53, January's two orders sum to 2^54,
    // exact in f64, and the compensated sum keeps it exact.
    let ids = [1, 2, 1];
    let days = [d(2024, 1, 3), d(2024, 1, 5), d(2024, 2, 5)];
    assert!(TransactionLog::new(&ids, &days, Some(&[f64::MAX; 3])).is_err());
    let top = crate::log::MAX_AMOUNT;
    let amounts = [top; 3];
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let k = kpi_series(&log, Granularity::Month, Lookback::Months(1)).unwrap();
    assert_eq!(k.rows[0].revenue, Some(2.0 * top));
    assert_eq!(k.rows[0].average_order_value().unwrap(), top);
    assert_eq!(k.rows[1].revenue, Some(top));
    // A month and a 300-day period.
    for len in [31, 300] {
        let p = Period::new(d(2024, 1, 1), d(2024, 1, 1) + len).unwrap();
        let r = period_kpis(&log, p, Lookback::Months(12)).unwrap();
        assert_eq!(
            r.revenue,
            Some(2.0 * top + if len == 300 { top } else { 0.0 }),
            "{len} days"
        );
    }
}

#[test]
fn kpi_series_between_covers_a_fixed_range_beyond_the_log() {
    // December 2023 to June 2024 around the shop's January–April orders.
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let lb = Lookback::Months(1);
    let k = kpi_series_between(
        &log,
        Granularity::Month,
        lb,
        d(2023, 12, 15),
        d(2024, 6, 10),
    )
    .unwrap();
    let labels: Vec<&str> = k.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(
        labels,
        ["2023-12", "2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
    );
    // December: nobody yet. January to April: as `kpi_series`.
    assert_eq!(
        (base(&k.rows[0]), activity(&k.rows[0])),
        ((0, 0, 0, 0, 0), (0, 0, 0, 0))
    );
    let own = kpi_series(&log, Granularity::Month, lb).unwrap();
    assert_eq!(k.rows[1..5], own.rows[..]);
    // May: S = {2, 3} (April orders), E = {} (no May orders): all churned.
    assert_eq!(base(&k.rows[5]), (2, 0, 0, 0, 0));
    assert_eq!(k.rows[5].churn_rate().unwrap(), 1.0);
    assert_eq!(k.rows[5].revenue, Some(0.0));
    // June: nobody at either end.
    assert_eq!(base(&k.rows[6]), (0, 0, 0, 0, 0));
    let complete: Vec<bool> = k.rows.iter().map(|r| r.complete).collect();
    assert_eq!(complete, [true, true, true, true, false, false, false]);

    let cases = [
        ((d(2024, 2, 1), d(2024, 1, 31)), lb, "InvalidArgument(to)"),
        (
            (crate::period::MIN_DAY - 1, d(2024, 1, 31)),
            lb,
            "InvalidArgument(from)",
        ),
        (
            (d(2024, 1, 1), crate::period::MAX_DAY + 1),
            lb,
            "InvalidArgument(to)",
        ),
        (
            (d(2024, 1, 1), d(2024, 3, 1)),
            Lookback::Days(30),
            "InvalidArgument(lookback)",
        ),
        (
            (d(2024, 1, 1), d(2024, 3, 1)),
            Lookback::Months(0),
            "InvalidArgument(lookback)",
        ),
    ];
    for ((from, to), l, want) in cases {
        assert_eq!(
            kind(kpi_series_between(&log, Granularity::Month, l, from, to)),
            want,
            "{from}..{to} {l:?}"
        );
    }
}

#[test]
fn low_bits_gathers_bit_zero_of_each_byte() {
    // Bytes (little-endian) 1, 0, 3, 2, 1, 1, 0, 255: bit 0 set in bytes
    // 0, 2, 4, 5 and 7 -> 0b1011_0101.
    let x = u64::from_le_bytes([1, 0, 3, 2, 1, 1, 0, 255]);
    assert_eq!(low_bits(x), 0b1011_0101);
    assert_eq!(low_bits(u64::MAX), 0xFF);
    assert_eq!(low_bits(0xFEFE_FEFE_FEFE_FEFE), 0);
    for k in 0..8 {
        assert_eq!(low_bits(1 << (8 * k)), 1 << k);
    }
}
