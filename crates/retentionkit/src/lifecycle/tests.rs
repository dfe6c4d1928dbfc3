//! Hand-computed lifecycle counts on logs small enough to check on paper.
//!
//! Every expected number is derived in a comment from each customer's set
//! of active periods (periods with an order), with the definitions of
//! docs/metrics.md, "Lifecycle and growth accounting".

use super::*;
use crate::period::day;

fn d(y: i32, m: u32, dd: u32) -> i32 {
    day(y, m, dd).unwrap()
}

/// (new, returning, resurrecting, dormant)
fn counts(r: &LifecycleRow) -> (u64, u64, u64, u64) {
    (r.new, r.returning, r.resurrecting, r.dormant)
}

/// The example shop of docs/metrics.md ("The example shop"): 8 customers,
/// 15 orders, 5 January to 2 April 2024.
fn shop() -> (Vec<u64>, Vec<i32>) {
    let ids = vec![1, 2, 3, 4, 1, 7, 2, 1, 5, 5, 3, 1, 4, 6, 8];
    let dates = [
        (1, 5),
        (1, 15),
        (1, 25),
        (2, 2),
        (2, 10),
        (2, 14),
        (2, 20),
        (3, 3),
        (3, 8),
        (3, 8),
        (3, 12),
        (3, 20),
        (3, 28),
        (3, 30),
        (4, 2),
    ];
    let days = dates.iter().map(|&(m, dd)| d(2024, m, dd)).collect();
    (ids, days)
}

#[test]
fn the_example_shop_by_month_by_hand() {
    let (ids, days) = shop();
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let l = lifecycle(&log, Granularity::Month).unwrap();
    let labels: Vec<_> = l.rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(labels, ["2024-01", "2024-02", "2024-03", "2024-04"]);
    // Active months: 1 Jan Feb Mar; 2 Jan Feb; 3 Jan Mar; 4 Feb Mar; 5 Mar;
    // 6 Mar; 7 Feb; 8 Apr.
    // January: 1, 2, 3 order for the first time; nobody was active before.
    assert_eq!(counts(&l.rows[0]), (3, 0, 0, 0));
    assert!(matches!(
        l.rows[0].quick_ratio(),
        Err(Error::ZeroDenominator { .. })
    ));
    // February: active 1, 2, 4, 7. New 4, 7; returning 1, 2 (active in
    // January); dormant 3 (January, not February). Quick ratio (2 + 0) / 1.
    assert_eq!(counts(&l.rows[1]), (2, 2, 0, 1));
    assert_eq!(l.rows[1].quick_ratio().unwrap(), 2.0);
    // March: active 1, 3, 4, 5, 6. New 5, 6; returning 1, 4; resurrecting 3
    // (January, not February); dormant 2, 7. Quick ratio (2 + 1) / 2.
    assert_eq!(counts(&l.rows[2]), (2, 2, 1, 2));
    assert_eq!(l.rows[2].quick_ratio().unwrap(), 1.5);
    // April (observed to 2 April only): active 8, new; the five active in
    // March (1, 3, 4, 5, 6) have not ordered yet: dormant 5, quick ratio 1 / 5.
    assert_eq!(counts(&l.rows[3]), (1, 0, 0, 5));
    assert_eq!(l.rows[3].quick_ratio().unwrap(), 0.2);
    let complete: Vec<_> = l.rows.iter().map(|r| r.complete).collect();
    assert_eq!(complete, [true, true, true, false]);
    // The columns as shown: dormant negative, active = new + returning + resurrecting.
    let shown: Vec<i64> = LifecycleRow::COLUMNS
        .iter()
        .map(|(_, f)| f(&l.rows[2]))
        .collect();
    assert_eq!(shown, [2, 2, 1, -2, 5]);
}

#[test]
fn the_example_shop_by_quarter_by_hand() {
    let (ids, days) = shop();
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let l = lifecycle(&log, Granularity::Quarter).unwrap();
    // Q1: customers 1-7 all order first in Q1. Q2: 8 is new; 1-7 dormant.
    assert_eq!(counts(&l.rows[0]), (7, 0, 0, 0));
    assert_eq!(counts(&l.rows[1]), (1, 0, 0, 7));
}

#[test]
fn one_customer_with_one_order() {
    let day1 = [d(2024, 6, 9)];
    let log = TransactionLog::new(&[42], &day1, None).unwrap();
    let l = lifecycle(&log, Granularity::Week).unwrap();
    // One period (ISO week 2024-W23), the customer's first.
    assert_eq!(l.rows.len(), 1);
    assert_eq!(counts(&l.rows[0]), (1, 0, 0, 0));
    assert!(l.rows[0].complete); // the log ends on its Sunday, 9 June
}

#[test]
fn a_gap_of_several_periods() {
    // Customer 1: January and May; customer 2: every month January-May.
    let ids = [1, 2, 2, 2, 2, 2, 1];
    let days = [
        d(2024, 1, 2),
        d(2024, 1, 3),
        d(2024, 2, 3),
        d(2024, 3, 3),
        d(2024, 4, 3),
        d(2024, 5, 3),
        d(2024, 5, 31),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let l = lifecycle(&log, Granularity::Month).unwrap();
    let got: Vec<_> = l.rows.iter().map(counts).collect();
    // Jan: 1, 2 new. Feb: 2 returning, 1 dormant (once). Mar, Apr: 2
    // returning, 1 in no status. May: 2 returning, 1 resurrecting.
    assert_eq!(
        got,
        [
            (2, 0, 0, 0),
            (0, 1, 0, 1),
            (0, 1, 0, 0),
            (0, 1, 0, 0),
            (0, 1, 1, 0)
        ]
    );
    // March and April: nobody gained or lost.
    assert!(l.rows[2].quick_ratio().is_err());
}

#[test]
fn a_first_order_in_the_last_period() {
    // Customer 2 orders first on the log's last day.
    let days = [d(2024, 1, 10), d(2024, 3, 1)];
    let log = TransactionLog::new(&[1, 2], &days, None).unwrap();
    let l = lifecycle(&log, Granularity::Month).unwrap();
    // Jan: 1 new. Feb: 1 dormant. Mar: 2 new; 1 in no status (dormant in Feb).
    let got: Vec<_> = l.rows.iter().map(counts).collect();
    assert_eq!(got, [(1, 0, 0, 0), (0, 0, 0, 1), (1, 0, 0, 0)]);
    assert!(!l.rows[2].complete);
}

#[test]
fn history_before_the_range_counts_and_rows_after_it_do_not() {
    // 1: Dec 2023, Jan 2024; 2: Nov 2023, Jan 2024; 3: Jan 2024, Apr 2024.
    let ids = [2, 1, 1, 2, 3, 3];
    let days = [
        d(2023, 11, 5),
        d(2023, 12, 5),
        d(2024, 1, 5),
        d(2024, 1, 6),
        d(2024, 1, 7),
        d(2024, 4, 1),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let l = lifecycle_between(&log, Granularity::Month, d(2024, 1, 1), d(2024, 2, 29)).unwrap();
    assert_eq!(l.rows.len(), 2);
    // Jan: 1 returning (Dec), 2 resurrecting (Nov, not Dec), 3 new; nobody
    // active in Dec other than 1, who is back: dormant 0.
    assert_eq!(counts(&l.rows[0]), (1, 1, 1, 0));
    // Feb: 1, 2, 3 dormant; 3's April order is after the range.
    assert_eq!(counts(&l.rows[1]), (0, 0, 0, 3));
}

#[test]
fn a_range_before_the_log_is_empty_and_a_reversed_range_an_error() {
    let day1 = [d(2024, 5, 1)];
    let log = TransactionLog::new(&[1], &day1, None).unwrap();
    let l = lifecycle_between(&log, Granularity::Month, d(2024, 1, 1), d(2024, 2, 1)).unwrap();
    assert!(l.rows.iter().all(|r| counts(r) == (0, 0, 0, 0)));
    assert!(matches!(
        lifecycle_between(&log, Granularity::Month, d(2024, 2, 1), d(2024, 1, 1)),
        Err(Error::InvalidArgument { name: "to", .. })
    ));
}

#[test]
fn merge_checks_its_parts() {
    let day1 = [d(2024, 5, 1)];
    let log = TransactionLog::new(&[1], &day1, None).unwrap();
    let month = lifecycle(&log, Granularity::Month).unwrap();
    let week = lifecycle(&log, Granularity::Week).unwrap();
    assert!(matches!(Lifecycle::merge(&[]), Err(Error::Empty { .. })));
    assert!(matches!(
        Lifecycle::merge(&[month.clone(), week]),
        Err(Error::Incompatible { .. })
    ));
    // Two parts with the same customer double-count (the documented
    // precondition): the merge adds, it cannot know.
    let twice = Lifecycle::merge(&[month.clone(), month.clone()]).unwrap();
    assert_eq!(twice.rows[0].new, 2);
    // A part with absurd counts (as deserialized) is an error, not a panic.
    let mut huge = month.clone();
    huge.rows[0].new = u64::MAX;
    assert!(matches!(
        Lifecycle::merge(&[huge, month]),
        Err(Error::Incompatible { .. })
    ));
}
