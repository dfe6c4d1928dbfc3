//! The distributions of future purchase counts (P(exactly n purchases)) of
//! BG/NBD, MBG/NBD, Pareto/NBD and BG/BB: against lifetimes 0.11.3 where it
//! has them, and, for every model and customer, the two identities that pin
//! a distribution to the model's tested expectations: it sums to 1 and its
//! mean is the model's conditional expectation (itself checked against
//! lifetimes and the papers in the other model tests).

use retentionkit::models::bg_bb::BgBbParams;
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::mbg_nbd::MbgNbdParams;
use retentionkit::models::pareto_nbd::ParetoNbdParams;

/// The sections of tests/data/models/lifetimes_counts.txt (written by
/// make_lifetimes_counts.py next to it): each "# ..." header and the
/// numbers of its "(a, b, ...)," rows.
fn lifetimes_sections() -> Vec<(String, Vec<Vec<f64>>)> {
    let path = format!(
        "{}/data/models/lifetimes_counts.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut sections: Vec<(String, Vec<Vec<f64>>)> = Vec::new();
    for line in text.lines() {
        if let Some(header) = line.strip_prefix("# ") {
            sections.push((header.to_string(), Vec::new()));
        } else if let Some(row) = line.strip_prefix('(').and_then(|l| l.strip_suffix("),")) {
            let values = row.split(", ").map(|v| v.parse().unwrap()).collect();
            sections.last_mut().unwrap().1.push(values);
        }
    }
    sections
}

fn section(header_start: &str) -> Vec<Vec<f64>> {
    let found: Vec<_> = lifetimes_sections()
        .into_iter()
        .filter(|(h, _)| h.starts_with(header_start))
        .collect();
    assert_eq!(found.len(), 1, "one section starting {header_start:?}");
    let rows = found.into_iter().next().unwrap().1;
    assert!(!rows.is_empty());
    rows
}

/// A whole count printed by the reference script as a number.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn count(v: f64) -> u32 {
    assert!(
        v >= 0.0 && v.fract() == 0.0 && v < 1e9,
        "{v} is not a count"
    );
    v as u32
}

/// Agreement with lifetimes: lifetimes sums 1 − Σ_{j<n} terms for the
/// count's tail, which costs it up to ~1e-16 absolute, so small
/// probabilities are compared to 1e-9 relative plus 1e-15.
#[track_caller]
fn close(ours: f64, theirs: f64) {
    assert!(
        (ours - theirs).abs() <= 1e-9 * theirs.abs() + 1e-15,
        "{ours} vs lifetimes {theirs}"
    );
}

#[test]
fn bg_nbd_and_mbg_nbd_new_customer_match_lifetimes() {
    let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let rows = section("BG/NBD {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426}");
    assert_eq!(rows.len(), 18);
    for row in rows {
        let (t, n) = (row[0], count(row[1]));
        close(bg.probability_of_purchases_new(t, n).unwrap(), row[2]);
    }
    let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
    let rows = section("MBG/NBD {'r': 0.525, 'alpha': 6.183, 'a': 0.891, 'b': 1.614}");
    assert_eq!(rows.len(), 18);
    for row in rows {
        let (t, n) = (row[0], count(row[1]));
        close(mbg.probability_of_purchases_new(t, n).unwrap(), row[2]);
    }
}

#[test]
fn pareto_nbd_conditional_matches_lifetimes_on_both_branches() {
    for (header, p) in [
        (
            "Pareto/NBD {'r': 0.553, 'alpha': 10.578, 's': 0.606, 'beta': 11.669}",
            ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap(),
        ),
        (
            "Pareto/NBD {'r': 0.8, 'alpha': 12.0, 's': 1.7, 'beta': 5.0}",
            ParetoNbdParams::new(0.8, 12.0, 1.7, 5.0).unwrap(),
        ),
    ] {
        let rows = section(header);
        assert_eq!(rows.len(), 40);
        for row in rows {
            let (n, t, x, tx, age) = (count(row[0]), row[1], count(row[2]), row[3], row[4]);
            let ours = p.probability_of_purchases(x, tx, age, t, n).unwrap();
            close(ours, row[5]);
            if age == 0.0 {
                // x = t_x = T = 0 is a customer just acquired.
                close(p.probability_of_purchases_new(t, n).unwrap(), row[5]);
            }
        }
    }
}

#[test]
fn bg_bb_new_customer_matches_lifetimes() {
    let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap();
    for (header, n) in [
        (
            "BG/BB alpha 1.204, beta 0.750, gamma 0.657, delta 2.783: n = 6;",
            6,
        ),
        (
            "BG/BB alpha 1.204, beta 0.750, gamma 0.657, delta 2.783: n = 11;",
            11,
        ),
    ] {
        let rows = section(header);
        assert_eq!(rows.len(), 7);
        for row in rows {
            close(
                p.probability_of_transactions_new(n, count(row[0])).unwrap(),
                row[1],
            );
        }
    }
}

/// Σₙ P(n) and Σₙ n P(n) over n = 0..=max_n.
fn moments(max_n: u32, pmf: impl Fn(u32) -> f64) -> (f64, f64) {
    (0..=max_n).fold((0.0, 0.0), |(s, m), n| {
        let p = pmf(n);
        assert!(p.is_finite() && (0.0..=1.0).contains(&p), "P({n}) = {p}");
        (s + p, m + f64::from(n) * p)
    })
}

#[track_caller]
fn sums_to_one_with_mean(total: f64, mean: f64, expected: f64) {
    assert!((total - 1.0).abs() < 1e-10, "Σ P = {total}");
    assert!(
        (mean - expected).abs() <= 1e-8 * expected.max(1e-3),
        "Σ n P = {mean}, expected purchases {expected}"
    );
}

/// (x, t_x, T) in weeks: a one-time buyer, CDNOW-like customers, a heavy
/// buyer, and the extremes the models must survive (x = 500, T = 10,000).
const CUSTOMERS: [(u32, f64, f64); 6] = [
    (0, 0.0, 38.86),
    (1, 30.43, 38.86),
    (4, 20.0, 39.0),
    (12, 38.0, 39.0),
    (60, 70.0, 78.0),
    (500, 9_000.0, 10_000.0),
];

#[test]
fn bg_nbd_and_mbg_nbd_distributions_sum_to_one_with_the_model_means() {
    let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
    for t in [1.0, 39.0] {
        // New customers: heavy NBD tails at 39 weeks (t/(α + t) ≈ 0.9).
        let (s, m) = moments(1500, |n| bg.probability_of_purchases_new(t, n).unwrap());
        sums_to_one_with_mean(s, m, bg.expected_purchases_new(t).unwrap());
        let (s, m) = moments(1500, |n| mbg.probability_of_purchases_new(t, n).unwrap());
        sums_to_one_with_mean(s, m, mbg.expected_purchases_new(t).unwrap());
        for (x, tx, age) in CUSTOMERS {
            let max_n = 1500;
            let (s, m) = moments(max_n, |n| {
                bg.probability_of_purchases(x, tx, age, t, n).unwrap()
            });
            sums_to_one_with_mean(s, m, bg.expected_purchases(x, tx, age, t).unwrap());
            let (s, m) = moments(max_n, |n| {
                mbg.probability_of_purchases(x, tx, age, t, n).unwrap()
            });
            sums_to_one_with_mean(s, m, mbg.expected_purchases(x, tx, age, t).unwrap());
        }
    }
    // A horizon of 0 is no purchase for sure.
    assert_eq!(
        bg.probability_of_purchases(3, 5.0, 9.0, 0.0, 0).unwrap(),
        1.0
    );
    assert_eq!(
        bg.probability_of_purchases(3, 5.0, 9.0, 0.0, 1).unwrap(),
        0.0
    );
    assert!(bg.probability_of_purchases(3, 5.0, 9.0, -1.0, 0).is_err());
    assert!(mbg.probability_of_purchases(3, 10.0, 9.0, 1.0, 0).is_err()); // t_x > T
    assert!(bg.probability_of_purchases_new(f64::NAN, 0).is_err());
}

#[test]
fn pareto_nbd_distribution_sums_to_one_with_the_model_mean() {
    let p = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
    let t = 39.0;
    let (s, m) = moments(400, |n| p.probability_of_purchases_new(t, n).unwrap());
    sums_to_one_with_mean(s, m, p.expected_purchases_new(t).unwrap());
    for (x, tx, age) in CUSTOMERS {
        let (s, m) = moments(400, |n| {
            p.probability_of_purchases(x, tx, age, t, n).unwrap()
        });
        sums_to_one_with_mean(s, m, p.expected_purchases(x, tx, age, t).unwrap());
    }
    assert!(p
        .probability_of_purchases(1, 1.0, 2.0, f64::INFINITY, 0)
        .is_err());
}

#[test]
fn bg_bb_distribution_sums_to_one_with_the_model_mean() {
    let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap();
    for future in [1, 5, 20] {
        let (s, m) = moments(future, |x| {
            p.probability_of_transactions_new(future, x).unwrap()
        });
        sums_to_one_with_mean(s, m, p.expected_transactions_new(future).unwrap());
        for (x, tx, n) in [
            (0, 0, 6),
            (1, 1, 6),
            (3, 6, 6),
            (6, 6, 6),
            (2, 3, 10),
            (150, 190, 200),
        ] {
            let (s, m) = moments(future, |k| {
                p.probability_of_transactions(x, tx, n, future, k).unwrap()
            });
            sums_to_one_with_mean(s, m, p.expected_transactions(x, tx, n, future).unwrap());
        }
    }
    assert_eq!(p.probability_of_transactions(1, 1, 1, 3, 4).unwrap(), 0.0); // 4 of 3
    assert!(p.probability_of_transactions(2, 1, 3, 3, 0).is_err()); // x > t_x
    assert!(p.probability_of_transactions_new(20_000_000, 1).is_err());
}
