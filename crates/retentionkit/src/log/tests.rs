//! Bad inputs, sparse ids, unsorted days and the validation pass's folds.

use super::order::sort_by_day;
use super::slots::{IdTable, EMPTY};
use super::validate::{min_max, ChunkStats, CHUNK};
use super::*;
use crate::period::{MAX_DAY, MIN_DAY};

#[test]
fn bad_inputs_name_the_column_and_row() {
    let ids = [1u64, 2, 3];
    let days = [0, 1, 2];
    let cases: Vec<(Result<TransactionLog<'_>>, Error)> = vec![
        (
            TransactionLog::new(&[], &[], None),
            Error::Empty {
                what: "transaction log",
            },
        ),
        (
            TransactionLog::new(&ids, &days[..2], None),
            Error::LengthMismatch {
                column: "date",
                expected: 3,
                got: 2,
            },
        ),
        (
            TransactionLog::new(&ids, &days, Some(&[1.0, 2.0])),
            Error::LengthMismatch {
                column: "amount",
                expected: 3,
                got: 2,
            },
        ),
        (
            TransactionLog::new(&ids, &[0, MAX_DAY + 1, 0], None),
            Error::InvalidValue {
                column: "date",
                row: 1,
                // Past the calendar itself: the day number, as format_day writes it.
                reason: "day 2932897 is outside the supported order dates 1900-01-01..=2199-12-31"
                    .into(),
            },
        ),
        (
            TransactionLog::new(&ids, &days, Some(&[1.0, 2.0, -0.5])),
            Error::InvalidValue {
                column: "amount",
                row: 2,
                reason: "negative amount -0.5 (refunds must be netted before building the log)"
                    .into(),
            },
        ),
        (
            TransactionLog::new(&ids, &days, Some(&[f64::INFINITY, 2.0, 1.0])),
            Error::InvalidValue {
                column: "amount",
                row: 0,
                reason: "inf is not a finite amount".into(),
            },
        ),
        (
            TransactionLog::new(&ids, &days, Some(&[0.0, f64::NAN, 1.0])),
            Error::InvalidValue {
                column: "amount",
                row: 1,
                reason: "NaN is not an amount".into(),
            },
        ),
    ];
    for (got, want) in cases {
        assert_eq!(got.unwrap_err(), want);
    }
}

#[test]
fn amounts_above_two_to_the_53_are_rejected_so_sums_stay_finite() {
    // Two orders of 1e308 by one customer: their sum is inf in f64
    // (1e308 + 1e308 > f64::MAX ≈ 1.8e308), so the log refuses the first.
    let err = TransactionLog::new(&[7, 7], &[0, 1], Some(&[1e308, 1e308])).unwrap_err();
    let Error::InvalidValue {
        column,
        row,
        reason,
    } = err
    else {
        panic!("expected InvalidValue, got {err:?}");
    };
    assert_eq!((column, row), ("amount", 0));
    assert!(
        reason.contains("1e308") && reason.contains("2^53"),
        "{reason}"
    );
    // 2^53 itself is allowed; the next float above it (2^53 + 2) is not.
    let top = 9_007_199_254_740_992.0_f64;
    assert_eq!(top, MAX_AMOUNT);
    assert!(TransactionLog::new(&[1, 2], &[0, 1], Some(&[top, top])).is_ok());
    let err = TransactionLog::new(&[1, 2], &[0, 1], Some(&[1.0, top + 2.0])).unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidValue {
            column: "amount",
            row: 1,
            ..
        }
    ));
}

#[test]
fn order_dates_are_limited_to_1900_through_2199() {
    let d = |y, m, dd| crate::period::day(y, m, dd).unwrap();
    // The constants are the calendar dates they name.
    assert_eq!(FIRST_ORDER_DAY, d(1900, 1, 1));
    assert_eq!(LAST_ORDER_DAY, d(2199, 12, 31));
    let ids = [1u64, 2, 3];
    // The ends themselves are orders.
    let log = TransactionLog::new(&ids, &[FIRST_ORDER_DAY, 0, LAST_ORDER_DAY], None).unwrap();
    assert_eq!(
        (log.first_day(), log.last_day()),
        (FIRST_ORDER_DAY, LAST_ORDER_DAY)
    );
    // The placeholders of issue 19 (0001-01-01, 9999-12-31) and the days
    // just outside the range: the first one is reported, at its row, with
    // the date as written and the range.
    let reason =
        |date: &str| format!("{date} is outside the supported order dates 1900-01-01..=2199-12-31");
    let cases = [
        ([0, d(1, 1, 1), d(9999, 12, 31)], 1, reason("0001-01-01")),
        ([0, 0, d(9999, 12, 31)], 2, reason("9999-12-31")),
        ([FIRST_ORDER_DAY - 1, 0, 0], 0, reason("1899-12-31")),
        ([0, LAST_ORDER_DAY + 1, 0], 1, reason("2200-01-01")),
        ([0, MIN_DAY, 0], 1, reason("0001-01-01")),
    ];
    for (days, row, reason) in cases {
        assert_eq!(
            TransactionLog::new(&ids, &days, None).unwrap_err(),
            Error::InvalidValue {
                column: "date",
                row,
                reason: reason.clone()
            },
            "{days:?}"
        );
        // The one-row check says the same, at the row it is given.
        assert_eq!(
            check_order_day(days[row], 41).unwrap_err(),
            Error::InvalidValue {
                column: "date",
                row: 41,
                reason
            }
        );
    }
}

#[test]
fn sparse_ids_are_hashed_and_unsorted_days_get_an_order() {
    let ids = [u64::MAX, 5, u64::MAX, 1 << 40];
    let days = [3, 1, 2, 1];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    assert!(!log.slots_in_id_order());
    assert_eq!(log.num_customers(), 3);
    let mut seen = Vec::new();
    let mut slots: Vec<usize> = (0..log.num_slots()).collect();
    log.visit(
        0..log.len(),
        0..log.num_slots(),
        &mut slots,
        |&mut s, d, _| seen.push((log.slot_id(s), d)),
    );
    assert_eq!(
        seen,
        vec![(5, 1), (1 << 40, 1), (u64::MAX, 2), (u64::MAX, 3)]
    );
    assert_eq!(log.rows_before(2), 2);
}

#[test]
fn signed_ids_are_checked_in_the_validation_pass() {
    // Three chunks of rows; the first negative id in the last one, a bad
    // date and a NaN amount after it: the id is reported, at its row.
    let n = 2 * CHUNK + 10;
    let mut ids: Vec<i64> = (0..i64::try_from(n).unwrap()).collect();
    ids[2 * CHUNK + 3] = -7;
    ids[2 * CHUNK + 5] = i64::MIN;
    let mut days = vec![0; n];
    days[2 * CHUNK + 8] = MAX_DAY + 1;
    let mut amounts = vec![1.0; n];
    amounts[n - 1] = f64::NAN;
    assert_eq!(
        TransactionLog::with_signed_ids(&ids, &days, Some(&amounts)).unwrap_err(),
        Error::InvalidValue {
            column: "customer_id",
            row: 2 * CHUNK + 3,
            reason: "negative id -7".into()
        }
    );
    // Without negatives: the same log as from the u64 values, i64::MAX
    // included (a valid id, the largest).
    ids[2 * CHUNK + 3] = 3;
    ids[2 * CHUNK + 5] = i64::MAX;
    days[2 * CHUNK + 8] = 0;
    amounts[n - 1] = 1.0;
    let log = TransactionLog::with_signed_ids(&ids, &days, Some(&amounts)).unwrap();
    let unsigned: Vec<u64> = ids.iter().map(|&i| i.unsigned_abs()).collect();
    assert_eq!(log.ids(), &unsigned[..]);
    // Ids 0..n with 3 twice and one id replaced by i64::MAX: n − 1 customers.
    assert_eq!(log.num_customers(), n - 1);
    // Errors before the values keep their order: lengths first.
    assert_eq!(
        TransactionLog::with_signed_ids(&[-1, 2], &[0], None).unwrap_err(),
        Error::LengthMismatch {
            column: "date",
            expected: 2,
            got: 1
        }
    );
}

#[test]
fn min_max_in_every_lane_and_the_remainder() {
    assert_eq!(min_max::<u64>(&[], 7, 3), (7, 3));
    // Lengths around the four lanes, the extremes at every position.
    for len in 1..=11usize {
        for at in 0..len {
            let mut xs: Vec<u64> = (0..len).map(|i| 100 + (i % 3) as u64).collect();
            xs[at] = 5;
            assert_eq!(min_max(&xs, u64::MAX, 0).0, 5, "min {len} {at}");
            xs[at] = u64::MAX;
            assert_eq!(min_max(&xs, u64::MAX, 0).1, u64::MAX, "max {len} {at}");
        }
    }
    // Unsorted days take the folds, sorted ones their ends.
    let c = ChunkStats::of(&[1, 2, 3], &[5, -3, 9], None);
    assert_eq!((c.sorted, c.day_min, c.day_max), (false, -3, 9));
    let c = ChunkStats::of(&[9, 2, 3], &[-3, 5, 5], None);
    assert_eq!(
        (c.sorted, c.day_min, c.day_max, c.id_min, c.id_max),
        (true, -3, 5, 2, 9)
    );
}

#[test]
fn id_table_grows_and_keeps_every_key() {
    let mut t = IdTable::with_capacity(16);
    for k in 0..10_000u32 {
        assert_eq!(t.get_or_insert(u64::from(k) * 7_919, k), k);
    }
    for k in 0..10_000u32 {
        assert_eq!(t.get_or_insert(u64::from(k) * 7_919, EMPTY - 1), k);
    }
}

#[test]
fn wide_day_ranges_use_the_comparison_sort() {
    let days = [MAX_DAY, MIN_DAY, 0, MIN_DAY];
    assert_eq!(sort_by_day(&days, MIN_DAY, MAX_DAY), vec![1, 3, 2, 0]);
}
