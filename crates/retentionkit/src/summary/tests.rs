//! The wide state of long logs, observation ends, weeks, compression and
//! merges of the BTYD summary.

use super::*;

#[test]
fn logs_spanning_65535_days_or_more_keep_wide_state() {
    // Customer 2^40 buys twice on day 0 and on day 70,000; customer 5
    // on days 100 and 200. The span needs the wide state; the sparse ids
    // are mapped to slots in first-seen order (2^40 first), so both
    // outputs are sorted by id afterwards. Observed to day 70,000.
    let big = 1u64 << 40;
    let ids = [5, big, big, big, 5];
    let days = [200, 70_000, 0, 0, 100];
    let amounts = [4.0, 8.0, 2.0, 3.0, 1.0];
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    assert!(!compact(&log));
    let options = SummaryOptions::default();
    let s = summary(&log, &options).unwrap();
    assert_eq!(s.customer_id, [5, big]);
    assert_eq!(s.frequency, [1, 1]); // two distinct days each
    assert_eq!(s.recency(), [100.0, 70_000.0]); // 200 − 100; 70,000 − 0
    assert_eq!(s.age(), [69_900.0, 70_000.0]); // 70,000 − first day
    assert_eq!(s.monetary_value, Some(vec![4.0, 8.0])); // the repeat day's spend
    let c = summary_columns(&log, &options).unwrap();
    assert_eq!(c, SummaryColumns::from(&s));
    assert_eq!(c.column(3), [4.0, 8.0]);
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<SummaryColumns>(&json).unwrap(), c);
    }
}

#[test]
fn observation_end_before_first_purchase_is_an_error() {
    let log = TransactionLog::new(&[1], &[100], None).unwrap();
    let err = summary(
        &log,
        &SummaryOptions {
            observation_end: Some(99),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "observation_end",
                ..
            }
        ),
        "{err}"
    );
    let err = calibration_holdout(&log, 100, Some(100), TimeUnit::Days).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidArgument {
                name: "observation_end",
                ..
            }
        ),
        "{err}"
    );
    assert!(matches!(
        calibration_holdout(&log, 50, Some(120), TimeUnit::Days),
        Err(Error::InvalidArgument { .. })
    ));
}

#[test]
fn weeks_divide_days_by_seven_and_rows_after_the_end_are_outside() {
    // Customer 5: days 0, 7, 14 and 30; observation ends on day 21.
    let log =
        TransactionLog::new(&[5, 5, 5, 5], &[30, 0, 14, 7], Some(&[9.0, 1.0, 3.0, 2.0])).unwrap();
    let s = summary(
        &log,
        &SummaryOptions {
            observation_end: Some(21),
            unit: TimeUnit::Weeks,
        },
    )
    .unwrap();
    assert_eq!(s.frequency, [2]);
    assert_eq!(s.recency(), [2.0]); // 14 / 7
    assert_eq!(s.age(), [3.0]); // 21 / 7
    assert_eq!(s.monetary_value, Some(vec![2.5])); // (2 + 3) / 2
}

#[test]
fn compress_groups_equal_rows_and_merge_adds_counts() {
    let log = TransactionLog::new(&[1, 2, 3, 3], &[0, 0, 0, 2], None).unwrap();
    let c = summary(&log, &SummaryOptions::default())
        .unwrap()
        .compress();
    assert_eq!(CompressedSummary::COLUMNS, ["frequency", "recency", "T"]);
    assert_eq!(c.frequency, [0, 1]);
    assert_eq!(c.recency_days, [0, 2]);
    assert_eq!(c.age_days, [2, 2]);
    assert_eq!(c.count, [2, 1]);
    let m = CompressedSummary::merge(&[c.clone(), c]).unwrap();
    assert_eq!(m.count, [4, 2]);
}

#[test]
fn compress_spend_groups_equal_rows_by_value_and_merge_adds_counts() {
    // Customer 1: days 0, 3 for 2 then 6 (x = 1, m = 6); 2: days 1, 5, 9 for 1, 4, 8
    // (x = 2, m = 6); 3 and 4: once (x = 0, m = 0); 5: days 0, 2 for 1 then 4.5
    // (x = 1, m = 4.5). Sorted by x, then m.
    let log = TransactionLog::new(
        &[1, 1, 2, 2, 2, 3, 4, 5, 5],
        &[0, 3, 1, 5, 9, 2, 4, 0, 2],
        Some(&[2.0, 6.0, 1.0, 4.0, 8.0, 7.0, 9.0, 1.0, 4.5]),
    )
    .unwrap();
    let s = summary(&log, &SummaryOptions::default()).unwrap();
    let c = s.compress_spend().unwrap();
    assert_eq!(c.frequency, [0, 1, 1, 2]);
    assert_eq!(c.monetary_value, [0.0, 4.5, 6.0, 6.0]);
    assert_eq!(c.count, [2, 1, 1, 1]);
    assert_eq!(c.customers(), 5);
    // The parts {1, 3} and {2, 4, 5} merge into the whole's table.
    let part = |keep: &[u64]| {
        let rows: Vec<usize> = (0..9).filter(|&i| keep.contains(&log.ids()[i])).collect();
        let ids: Vec<u64> = rows.iter().map(|&i| log.ids()[i]).collect();
        let days: Vec<i32> = rows.iter().map(|&i| log.days()[i]).collect();
        let amounts: Vec<f64> = rows.iter().map(|&i| log.amounts().unwrap()[i]).collect();
        let l = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
        let options = SummaryOptions {
            observation_end: Some(9),
            ..SummaryOptions::default()
        };
        summary(&l, &options).unwrap().compress_spend().unwrap()
    };
    let merged = CompressedSpend::merge(&[part(&[1, 3]), part(&[2, 4, 5])]).unwrap();
    assert_eq!(merged, c);
    // 0.0 and -0.0 are one value (a table read back from elsewhere may hold either).
    let signed = CompressedSpend {
        frequency: vec![0],
        monetary_value: vec![-0.0],
        count: vec![3],
    };
    assert_eq!(
        CompressedSpend::merge(&[c.clone(), signed]).unwrap().count,
        [5, 1, 1, 1]
    );
    assert!(matches!(
        CompressedSpend::merge(&[]),
        Err(Error::Empty { .. })
    ));
    // No amounts: no spend table.
    let no_money = summary(
        &TransactionLog::new(&[1], &[0], None).unwrap(),
        &SummaryOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        no_money.compress_spend(),
        Err(Error::MissingColumn {
            column: "amount",
            ..
        })
    ));
    #[cfg(feature = "serde")]
    {
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<CompressedSpend>(&json).unwrap(), c);
    }
}

#[test]
fn merging_overlapping_parts_is_refused() {
    let log = TransactionLog::new(&[1, 2], &[0, 1], None).unwrap();
    let s = summary(&log, &SummaryOptions::default()).unwrap();
    assert!(matches!(
        Summary::merge(&[s.clone(), s]),
        Err(Error::Incompatible { .. })
    ));
    assert!(matches!(Summary::merge(&[]), Err(Error::Empty { .. })));
}
