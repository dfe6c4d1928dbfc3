//! The BTYD summary against Hardie's published CDNOW calibration summary
//! (tests/data/SOURCES.md): Fader, Hardie & Lee (2005), 2,357 customers,
//! calibration 1997-01-01..1997-09-30 in weeks.

use retentionkit::period::day;
use retentionkit::summary::{summary, Summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;

fn data(name: &str) -> String {
    let path = format!("{}/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// (sample id, day, dollar value) per purchase row of CDNOW_sample.txt.
pub fn cdnow_sample() -> (Vec<u64>, Vec<i32>, Vec<f64>) {
    let (mut ids, mut days, mut amounts) = (Vec::new(), Vec::new(), Vec::new());
    for line in data("CDNOW_sample.txt").lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let ymd = f[2];
        let d = day(
            ymd[..4].parse().unwrap(),
            ymd[4..6].parse().unwrap(),
            ymd[6..].parse().unwrap(),
        )
        .unwrap();
        ids.push(f[1].parse().unwrap());
        days.push(d);
        amounts.push(f[4].parse().unwrap());
    }
    (ids, days, amounts)
}

/// Rows of a published CSV: id, then the numeric columns.
fn published(name: &str) -> Vec<(u64, Vec<f64>)> {
    data(name)
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            let id = f.next().unwrap().parse().unwrap();
            (id, f.map(|x| x.parse().unwrap()).collect())
        })
        .collect()
}

pub fn weekly_calibration_summary() -> Summary {
    let (ids, days, amounts) = cdnow_sample();
    assert_eq!(ids.len(), 6_919, "purchase rows in the CDNOW sample");
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let options = SummaryOptions::default()
        .with_observation_end(Some(day(1997, 9, 30).unwrap()))
        .with_unit(TimeUnit::Weeks);
    summary(&log, &options).unwrap()
}

/// Published values are rounded to 2 dp: equal means within half a cent of a week.
fn close_2dp(ours: f64, published: f64) -> bool {
    (ours - published).abs() <= 0.005 + 1e-9
}

#[test]
fn weekly_summary_equals_hardies_published_calibration_summary() {
    let s = weekly_calibration_summary();
    let want = published("cdnow_customers_summary.csv"); // ID, frequency, recency, T
    assert_eq!(s.len(), 2_357);
    assert_eq!(want.len(), 2_357);
    let (recency, age) = (s.recency(), s.age());
    for (i, (id, row)) in want.iter().enumerate() {
        assert_eq!(s.customer_id[i], *id);
        assert_eq!(f64::from(s.frequency[i]), row[0], "x of customer {id}");
        assert!(
            close_2dp(recency[i], row[1]),
            "t_x of customer {id}: {} vs {}",
            recency[i],
            row[1]
        );
        assert!(
            close_2dp(age[i], row[2]),
            "T of customer {id}: {} vs {}",
            age[i],
            row[2]
        );
    }
    // Spot check by hand, customer 1 (master id 00004): purchases 1997-01-01,
    // 01-18 and 08-02 in the calibration period: x = 2, t_x = 213 / 7 = 30.43,
    // T = 272 / 7 = 38.86 weeks.
    assert_eq!(s.frequency[0], 2);
    assert!((recency[0] - 213.0 / 7.0).abs() < 1e-12);
    assert!((age[0] - 272.0 / 7.0).abs() < 1e-12);
}

#[test]
fn monetary_value_equals_hardies_zbar_mean_spend_per_repeat_day() {
    let s = weekly_calibration_summary();
    let want = published("cdnow_customers_summary_with_transactions.csv"); // ID, x, t_x, T, zbar
    let m = s.monetary_value.as_ref().unwrap();
    for (i, (id, row)) in want.iter().enumerate() {
        assert_eq!(s.customer_id[i], *id);
        assert_eq!(f64::from(s.frequency[i]), row[0]);
        assert!(
            close_2dp(m[i], row[3]),
            "zbar of customer {id}: {} vs {}",
            m[i],
            row[3]
        );
    }
    // Customer 1: repeat purchases 1997-01-18 (29.73) and 08-02 (14.96):
    // (29.73 + 14.96) / 2 = 22.345, published 22.35.
    assert!((m[0] - 22.345).abs() < 1e-9);
}

#[test]
fn compressed_table_counts_every_customer_once() {
    let c = weekly_calibration_summary().compress();
    assert_eq!(c.customers(), 2_357);
    // Distinct (x, t_x, T) of the published summary, counted independently.
    let mut keys: Vec<String> = published("cdnow_customers_summary.csv")
        .iter()
        .map(|(_, r)| format!("{:.2}/{:.2}/{:.2}", r[0], r[1], r[2]))
        .collect();
    keys.sort();
    keys.dedup();
    assert_eq!(c.len(), keys.len());
    assert!(c.len() < 2_357);
}
