//! Hand-computed cohort matrices on logs small enough to check on paper.
//!
//! A customer's cohort is the period of their first order; column `k` is
//! the `k`-th period after it. Each expected cell is derived in a comment.

use super::*;
use crate::period::day;
use std::ops::Range;

fn d(y: i32, m: u32, dd: u32) -> i32 {
    day(y, m, dd).unwrap()
}

/// `Err` as "Variant(field)", so tables can name the exact variant.
fn kind<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Ok(v) => format!("Ok({v:?})"),
        Err(Error::InvalidArgument { name, .. }) => format!("InvalidArgument({name})"),
        Err(Error::MissingColumn { column, .. }) => format!("MissingColumn({column})"),
        Err(Error::TooLarge { what, .. }) => format!("TooLarge({what})"),
        Err(Error::Incompatible { .. }) => "Incompatible".into(),
        Err(Error::Empty { what }) => format!("Empty({what})"),
        Err(e) => format!("{e:?}"),
    }
}

#[track_caller]
fn near_all(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-15, "{a:?} vs {b:?}");
    }
}

fn monthly(end: Option<i32>) -> CohortOptions {
    CohortOptions {
        granularity: Granularity::Month,
        observation_end: end,
    }
}

/// Five customers over January–April 2024 (rows out of date order).
///
/// | customer | orders (amount) | cohort | active months |
/// |---|---|---|---|
/// | 1 | Jan 3 (10), Feb 5 (20), Apr 10 (5) | Jan | Jan, Feb, Apr |
/// | 2 | Jan 20 (6) | Jan | Jan |
/// | 3 | Jan 25 (30), Jan 26 (10) | Jan | Jan |
/// | 4 | Feb 14 (8), Feb 14 (2), Apr 20 (4) | Feb | Feb, Apr |
/// | 5 | Mar 7 (0), Apr 1 (12) | Mar | Mar, Apr |
///
/// The log ends on Apr 20, so April is only partly observed.
struct Shop {
    ids: Vec<u64>,
    days: Vec<i32>,
    amounts: Vec<f64>,
}

fn shop() -> Shop {
    let rows = [
        (5, d(2024, 4, 1), 12.0),
        (1, d(2024, 1, 3), 10.0),
        (4, d(2024, 2, 14), 8.0),
        (3, d(2024, 1, 26), 10.0),
        (1, d(2024, 4, 10), 5.0),
        (2, d(2024, 1, 20), 6.0),
        (4, d(2024, 4, 20), 4.0),
        (5, d(2024, 3, 7), 0.0),
        (1, d(2024, 2, 5), 20.0),
        (3, d(2024, 1, 25), 30.0),
        (4, d(2024, 2, 14), 2.0),
    ];
    Shop {
        ids: rows.iter().map(|r| r.0).collect(),
        days: rows.iter().map(|r| r.1).collect(),
        amounts: rows.iter().map(|r| r.2).collect(),
    }
}

#[test]
fn monthly_cohorts_by_hand() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(None)).unwrap();
    assert_eq!(m.observation_end, d(2024, 4, 20));
    assert!(!m.last_period_complete); // April ends on Apr 30
    assert_eq!(m.labels, ["2024-01", "2024-02", "2024-03"]);
    assert_eq!(m.cohorts, [2024 * 12, 2024 * 12 + 1, 2024 * 12 + 2]);
    assert_eq!(m.sizes, [3, 1, 1]); // Jan {1, 2, 3}, Feb {4}, Mar {5}
    assert_eq!(m.sizes.iter().sum::<u64>(), log.num_customers() as u64);
    // N-period: Jan cohort ordering in Jan, Feb ({1}), Mar ({}), Apr ({1});
    // Feb cohort in Feb, Mar ({}), Apr ({4}); Mar cohort in Mar, Apr ({5}).
    // Each row stops at April: later cells are absent, not zero.
    assert_eq!(m.active, [vec![3, 1, 0, 1], vec![1, 0, 1], vec![1, 1]]);
    // Unbounded: ordered in month k or later. Customer 1 (last order Apr)
    // keeps the Jan cohort at 1 from k = 1 on, though nobody ordered in March.
    assert_eq!(m.unbounded, [vec![3, 1, 1, 1], vec![1, 1, 1], vec![1, 1]]);
    assert_eq!(m.counts(RetentionKind::NPeriod), &m.active[..]);
    assert_eq!(m.counts(RetentionKind::Unbounded), &m.unbounded[..]);
    let f = m.fractions(RetentionKind::NPeriod);
    near_all(&f[0], &[1.0, 1.0 / 3.0, 0.0, 1.0 / 3.0]);
    assert_eq!(f[1], [1.0, 0.0, 1.0]);
    assert_eq!(f[2], [1.0, 1.0]);
    // Revenue per cohort and month: Jan cohort Jan 10 + 6 + 30 + 10 = 56,
    // Feb 20, Mar 0, Apr 5; Feb cohort 8 + 2, 0, 4; Mar cohort 0, 12.
    assert_eq!(
        m.revenue,
        Some(vec![
            vec![56.0, 20.0, 0.0, 5.0],
            vec![10.0, 0.0, 4.0],
            vec![0.0, 12.0]
        ])
    );
}

#[test]
fn partial_last_period_is_flagged_and_left_out_of_the_average() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(None)).unwrap();
    // The April cells (the last of every row) are partial, no other cell.
    for (c, row) in m.active.iter().enumerate() {
        for k in 0..row.len() {
            assert_eq!(m.is_partial(c, k), k + 1 == row.len(), "({c}, {k})");
        }
    }
    assert!(!m.is_partial(3, 0)); // no such cohort
                                  // N-period average over cohorts that observe month k fully:
                                  //   k = 0: Jan, Feb, Mar cohorts: (3 + 1 + 1) / (3 + 1 + 1) = 1
                                  //   k = 1: Jan (Feb: 1 of 3), Feb (Mar: 0 of 1); Mar's k = 1 is April,
                                  //          partial, left out: (1 + 0) / (3 + 1) = 0.25 (0.4 if it were in)
                                  //   k = 2: Jan (Mar: 0 of 3); Feb's k = 2 is April: 0 / 3 = 0
                                  //   k = 3: only Jan's April, partial: the curve stops.
    assert_eq!(m.average_curve(RetentionKind::NPeriod), [1.0, 0.25, 0.0]);
    // Unbounded: k = 1: (1 + 1) / (3 + 1) = 0.5; k = 2: 1 / 3.
    near_all(
        &m.average_curve(RetentionKind::Unbounded),
        &[1.0, 0.5, 1.0 / 3.0],
    );

    // Observed to Apr 30, April is complete and every cohort counts.
    let m = cohort_matrix(&log, &monthly(Some(d(2024, 4, 30)))).unwrap();
    assert!(m.last_period_complete);
    assert!((0..3).all(|c| (0..4).all(|k| !m.is_partial(c, k))));
    //   k = 1: (1 + 0 + 1) / 5 = 0.4; k = 2: (0 + 1) / 4; k = 3: 1 / 3.
    near_all(
        &m.average_curve(RetentionKind::NPeriod),
        &[1.0, 0.4, 0.25, 1.0 / 3.0],
    );
}

#[test]
fn an_earlier_observation_end_drops_later_rows_and_cells() {
    // Observed to Mar 10: customer 5's Apr 1 order and every April order are
    // outside; columns stop at March, which is partial.
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(Some(d(2024, 3, 10)))).unwrap();
    assert!(!m.last_period_complete);
    assert_eq!(m.sizes, [3, 1, 1]);
    assert_eq!(m.active, [vec![3, 1, 0], vec![1, 0], vec![1]]);
    assert_eq!(m.unbounded, [vec![3, 1, 0], vec![1, 0], vec![1]]);
    // k = 0: Mar cohort's March is partial: (3 + 1) / 4; k = 1: Jan's Feb
    // 1 of 3 (Feb's k = 1 is March); k = 2: only Jan's March, partial.
    near_all(&m.average_curve(RetentionKind::NPeriod), &[1.0, 1.0 / 3.0]);
    // Only the acquisition period observed, and only partly: an empty curve.
    let m = cohort_matrix(&log, &monthly(Some(d(2024, 1, 10)))).unwrap();
    assert_eq!(
        (m.sizes.clone(), m.active.clone()),
        (vec![1], vec![vec![1]])
    );
    assert!(m.average_curve(RetentionKind::NPeriod).is_empty());
    // Customers first seen after the observation end are not in any cohort.
    let m = cohort_matrix(&log, &monthly(Some(d(2024, 1, 31)))).unwrap();
    assert_eq!(m.sizes, [3]);
    assert!(m.last_period_complete);
}

#[test]
fn revenue_retention_by_hand_with_a_zero_revenue_cohort() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(None)).unwrap();
    let r = m.revenue_retention().unwrap();
    // Jan cohort: [56, 20, 0, 5] / 56; Feb cohort: [10, 0, 4] / 10.
    near_all(r[0].as_ref().unwrap(), &[1.0, 20.0 / 56.0, 0.0, 5.0 / 56.0]);
    near_all(r[1].as_ref().unwrap(), &[1.0, 0.0, 0.4]);
    // Mar cohort: customer 5's first order was free (0), so revenue in
    // period 0 is 0 and the ratio is undefined: the row is None, not NaN or inf.
    assert_eq!(r[2], None);

    let no_amounts = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let m = cohort_matrix(&no_amounts, &monthly(None)).unwrap();
    assert_eq!(m.revenue, None);
    assert_eq!(kind(m.revenue_retention()), "MissingColumn(amount)");
}

#[test]
fn quarterly_cohorts_by_hand() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let q = CohortOptions {
        granularity: Granularity::Quarter,
        observation_end: None,
    };
    let m = cohort_matrix(&log, &q).unwrap();
    // Everyone's first order is in Q1; customers 1, 4 and 5 order in Q2.
    assert_eq!(m.labels, ["2024-Q1"]);
    assert_eq!(m.cohorts, [2024 * 4]);
    assert_eq!(m.sizes, [5]);
    assert_eq!(m.active, [vec![5, 3]]);
    assert_eq!(m.unbounded, [vec![5, 3]]);
    // Q1 revenue 56 + 20 + 10 + 0 = 86; Q2 5 + 4 + 12 = 21.
    assert_eq!(m.revenue, Some(vec![vec![86.0, 21.0]]));
    // Q2 is observed to Apr 20 only: partial, left out of the curve.
    assert!(!m.last_period_complete);
    assert!(m.is_partial(0, 1));
    assert_eq!(m.average_curve(RetentionKind::NPeriod), [1.0]);
    let m = cohort_matrix(
        &log,
        &CohortOptions {
            observation_end: Some(d(2024, 6, 30)),
            ..q
        },
    )
    .unwrap();
    assert!(m.last_period_complete);
    assert_eq!(m.average_curve(RetentionKind::NPeriod), [1.0, 0.6]); // 3 / 5
}

#[test]
fn weekly_cohorts_by_hand() {
    // ISO weeks: W01 = Jan 1–7 2024, W02 = Jan 8–14, W03 = Jan 15–21.
    // x: Tue Jan 2, Tue Jan 9   y: Sun Jan 7, Mon Jan 15   z: Mon Jan 8, Sun Jan 14
    let ids = [1, 2, 3, 1, 3, 2];
    let days = [
        d(2024, 1, 2),
        d(2024, 1, 7),
        d(2024, 1, 8),
        d(2024, 1, 9),
        d(2024, 1, 14),
        d(2024, 1, 15),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let w = CohortOptions {
        granularity: Granularity::Week,
        observation_end: Some(d(2024, 1, 21)), // a Sunday: W03 complete
    };
    let m = cohort_matrix(&log, &w).unwrap();
    assert_eq!(m.labels, ["2024-W01", "2024-W02"]);
    assert_eq!(m.sizes, [2, 1]); // W01 {x, y}, W02 {z}
                                 // W01: W02 {x}, W03 {y}. W02: z ordered twice in W02 and never after.
    assert_eq!(m.active, [vec![2, 1, 1], vec![1, 0]]);
    assert_eq!(m.unbounded, [vec![2, 2, 1], vec![1, 0]]);
    assert!(m.last_period_complete);
    // k = 1: (1 + 0) / (2 + 1); k = 2: 1 / 2.
    near_all(
        &m.average_curve(RetentionKind::NPeriod),
        &[1.0, 1.0 / 3.0, 0.5],
    );

    // Across a year end: Sat 2 Jan 2021 is in ISO week 2020-W53.
    let new_year = [d(2020, 12, 31), d(2021, 1, 2)];
    let log = TransactionLog::new(&[1, 1], &new_year, None).unwrap();
    let m = cohort_matrix(
        &log,
        &CohortOptions {
            granularity: Granularity::Week,
            observation_end: None,
        },
    )
    .unwrap();
    assert_eq!(m.labels, ["2020-W53"]);
    assert_eq!(m.active, [vec![1]]); // two orders, one week
    assert!(!m.last_period_complete); // the week ends on Sunday Jan 3
}

#[test]
fn merge_adds_the_matrices_of_customer_disjoint_parts() {
    // Customers {1, 2, 3} and {4, 5} of the shop, both observed to Apr 20.
    let s = shop();
    let part = |keep: fn(u64) -> bool| {
        let idx: Vec<usize> = (0..s.ids.len()).filter(|&i| keep(s.ids[i])).collect();
        (
            idx.iter().map(|&i| s.ids[i]).collect::<Vec<_>>(),
            idx.iter().map(|&i| s.days[i]).collect::<Vec<_>>(),
            idx.iter().map(|&i| s.amounts[i]).collect::<Vec<_>>(),
        )
    };
    let (a, b) = (part(|id| id <= 3), part(|id| id > 3));
    let end = monthly(Some(d(2024, 4, 20)));
    let la = TransactionLog::new(&a.0, &a.1, Some(&a.2)).unwrap();
    let lb = TransactionLog::new(&b.0, &b.1, Some(&b.2)).unwrap();
    let ma = cohort_matrix(&la, &end).unwrap();
    let mb = cohort_matrix(&lb, &end).unwrap();
    // Part b starts in February: its rows are the Feb and Mar cohorts.
    assert_eq!(mb.active, [vec![1, 0, 1], vec![1, 1]]);
    let whole = TransactionLog::new(&s.ids, &s.days, Some(&s.amounts)).unwrap();
    let whole = cohort_matrix(&whole, &end).unwrap();
    assert_eq!(
        CohortMatrix::merge(&[mb.clone(), ma.clone()]).unwrap(),
        whole
    );

    // Different settings do not merge.
    let other_end = cohort_matrix(&lb, &monthly(None)).unwrap(); // ends Apr 20 too
    assert!(CohortMatrix::merge(&[ma.clone(), other_end]).is_ok());
    let cases = [
        cohort_matrix(&lb, &monthly(Some(d(2024, 4, 30)))).unwrap(),
        cohort_matrix(
            &lb,
            &CohortOptions {
                granularity: Granularity::Quarter,
                ..end
            },
        )
        .unwrap(),
        cohort_matrix(&TransactionLog::new(&b.0, &b.1, None).unwrap(), &end).unwrap(),
    ];
    for other in cases {
        assert_eq!(
            kind(CohortMatrix::merge(&[ma.clone(), other])),
            "Incompatible"
        );
    }
    assert_eq!(
        kind(CohortMatrix::merge(&[])),
        "Empty(list of cohort matrices to merge)"
    );
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // ok: lists of one bracket
fn bracket_merge_refuses_other_settings() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let o = monthly(Some(d(2024, 4, 20)));
    let m = bracket_retention(&log, &o, &[1..3]).unwrap();
    assert_eq!(BracketMatrix::merge(std::slice::from_ref(&m)).unwrap(), m);
    let others = [
        bracket_retention(&log, &o, &[1..4]).unwrap(),
        bracket_retention(&log, &monthly(Some(d(2024, 4, 30))), &[1..3]).unwrap(),
        bracket_retention(
            &log,
            &CohortOptions {
                granularity: Granularity::Quarter,
                ..o
            },
            &[1..3],
        )
        .unwrap(),
    ];
    for other in others {
        assert_eq!(
            kind(BracketMatrix::merge(&[m.clone(), other])),
            "Incompatible"
        );
    }
    assert_eq!(
        kind(BracketMatrix::merge(&[])),
        "Empty(list of bracket matrices to merge)"
    );
}

#[test]
fn cohort_matrix_rejects_bad_inputs_with_the_exact_error() {
    let s = shop();
    let log = TransactionLog::new(&s.ids, &s.days, None).unwrap();
    let g = |granularity, end| CohortOptions {
        granularity,
        observation_end: Some(end),
    };
    let cases = [
        // Before the first order (Jan 3).
        (
            g(Granularity::Month, d(2024, 1, 2)),
            "InvalidArgument(observation_end)",
        ),
        (
            g(Granularity::Month, crate::period::MAX_DAY + 1),
            "InvalidArgument(observation_end)",
        ),
        (
            g(Granularity::Year, crate::period::MIN_DAY - 1),
            "InvalidArgument(observation_end)",
        ),
        // MAX_PERIODS + 1 = 3,661 daily periods (3,660 days after Jan 3).
        (
            g(Granularity::Day, d(2024, 1, 3) + 3_660),
            "TooLarge(periods spanned by the cohort matrix)",
        ),
    ];
    for (o, want) in cases {
        assert_eq!(kind(cohort_matrix(&log, &o)), want, "{o:?}");
    }
    // Exactly MAX_PERIODS daily periods is allowed.
    assert!(cohort_matrix(&log, &g(Granularity::Day, d(2024, 1, 3) + 3_659)).is_ok());
    // The first order day itself is a valid observation end.
    assert!(cohort_matrix(&log, &g(Granularity::Month, d(2024, 1, 3))).is_ok());
}

#[test]
fn revenue_retention_that_would_overflow_is_none_not_inf() {
    // The fuzz target log_build's finding (fuzz/corpus/log_build/
    // regression-revenue-retention-inf): January's revenue is the smallest
    // positive float, February's 1.0, so February / January = 2^1074 ≈ 2e323,
    // beyond f64::MAX: the cohort has no defined ratio.
    let ids = [1, 1];
    let days = [d(2022, 1, 8), d(2022, 2, 27)];
    let amounts = [5e-324, 1.0];
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(None)).unwrap();
    assert_eq!(m.revenue_retention().unwrap(), [None]);
}

#[test]
fn revenue_of_the_largest_amounts_stays_finite() {
    // Amounts near f64::MAX (whose sums were +inf) are refused by the log;
    // at the largest allowed amount, 2^53, three orders sum to 3 × 2^53,
    // exact in f64, and the revenue retention of the cohort is 2^53 / (2 × 2^53).
    let ids = [1, 2, 1];
    let days = [d(2024, 1, 3), d(2024, 1, 5), d(2024, 2, 5)];
    assert!(TransactionLog::new(&ids, &days, Some(&[f64::MAX; 3])).is_err());
    let top = crate::log::MAX_AMOUNT;
    let amounts = [top; 3];
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let m = cohort_matrix(&log, &monthly(None)).unwrap();
    assert_eq!(m.revenue, Some(vec![vec![2.0 * top, top]]));
    assert_eq!(m.revenue_retention().unwrap(), [Some(vec![1.0, 0.5])]);
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // ok: a list of one bracket
fn bracket_retention_by_hand() {
    // Months Jan–Apr 2024, observed to Apr 15 (April partly observed).
    // Jan cohort: 1 (Jan, Feb, Apr), 2 (Jan, Mar), 3 (Jan only).
    // Feb cohort: 4 (Feb, Mar). Mar cohort: 5 (Mar, Apr).
    let ids = [1, 2, 3, 1, 4, 2, 4, 5, 1, 5];
    let days = [
        d(2024, 1, 3),
        d(2024, 1, 8),
        d(2024, 1, 9),
        d(2024, 2, 1),
        d(2024, 2, 2),
        d(2024, 3, 5),
        d(2024, 3, 6),
        d(2024, 3, 7),
        d(2024, 4, 2),
        d(2024, 4, 10),
    ];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let o = monthly(Some(d(2024, 4, 15)));
    // Overlapping brackets are allowed: [1, 3) and [2, 4).
    let m = bracket_retention(&log, &o, &[0..1, 1..3, 2..4]).unwrap();
    assert_eq!(m.labels, ["2024-01", "2024-02", "2024-03"]);
    assert_eq!(m.sizes, [3, 1, 1]);
    // Jan (columns Jan..Apr = 0..3 observed):
    //   [0, 1): all 3; [1, 3) Feb–Mar: 1 (Feb), 2 (Mar) = 2; [2, 4) Mar–Apr: 2, 1 = 2.
    // Feb (columns 0..2 = Feb..Apr): [0, 1): 1; [1, 3) Mar–Apr: 4 (Mar) = 1;
    //   [2, 4) starts at column 2 = April, observed: 0.
    // Mar (columns 0..1 = Mar, Apr): [0, 1): 1; [1, 3) Apr–May: 5 = 1; [2, 4)
    //   starts at May, not observed: absent.
    assert_eq!(m.counts, [vec![3, 2, 2], vec![1, 1, 0], vec![1, 1]]);
    near_all(&m.fractions()[0], &[1.0, 2.0 / 3.0, 2.0 / 3.0]);
    // Partial: a bracket reaching into April (partly observed) or beyond.
    // Jan: [0,1) no, [1,3) (Feb, Mar) no, [2,4) (Mar, Apr) yes.
    let p = |c: usize| {
        (0..m.counts[c].len())
            .map(|b| m.is_partial(c, b))
            .collect::<Vec<_>>()
    };
    assert_eq!(p(0), [false, false, true]);
    assert_eq!(p(1), [false, true, true]);
    assert_eq!(p(2), [false, true]);
    assert!(m.is_partial(2, 2)); // March's [2, 4) starts in May: not in the row
                                 // Out of range.
    assert!(!m.is_partial(9, 0) && !m.is_partial(0, 9));
    // Observed to Apr 30: April complete, so Jan's [2, 4) is complete too.
    let full = bracket_retention(&log, &monthly(Some(d(2024, 4, 30))), &[2..4]).unwrap();
    assert!(full.last_period_complete && !full.is_partial(0, 0));
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // ok: lists of one bracket
fn bracket_retention_rejects_bad_brackets() {
    let days = [d(2024, 1, 3), d(2024, 2, 3)];
    let log = TransactionLog::new(&[1, 2], &days, None).unwrap();
    let o = monthly(None);
    let many: Vec<Range<u32>> = (0..65).map(|k| k..k + 1).collect();
    for (brackets, want) in [
        (vec![], "InvalidArgument(brackets)"),
        (many, "InvalidArgument(brackets)"),
        (vec![1..1], "InvalidArgument(brackets)"),
        (vec![2..4, 1..3], "InvalidArgument(brackets)"),
        (vec![1..3, 1..4], "InvalidArgument(brackets)"),
    ] {
        assert_eq!(
            kind(bracket_retention(&log, &o, &brackets)),
            want,
            "{brackets:?}"
        );
    }
    assert_eq!(
        kind(bracket_retention(
            &log,
            &monthly(Some(d(2023, 1, 1))),
            &[0..1]
        )),
        "InvalidArgument(observation_end)"
    );
    // 64 brackets are allowed.
    let most: Vec<Range<u32>> = (0..64).map(|k| k..k + 1).collect();
    assert_eq!(
        bracket_retention(&log, &o, &most).unwrap().counts,
        [vec![1, 0], vec![1]]
    );
}
