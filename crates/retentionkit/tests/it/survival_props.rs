//! Property tests of the survival module on random right-censored samples:
//! the curve is a non-increasing step in [0, 1], the band contains it, row
//! order does not matter, the counting pass equals the sorting pass, and the
//! log-rank statistic is a chi-square value with a probability attached.

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use retentionkit::survival::{
    kaplan_meier, kaplan_meier_by_group_with, kaplan_meier_with, log_rank, KaplanMeier,
    KaplanMeierOptions,
};
use retentionkit::Error;

/// (durations, observed, groups): integer durations 0..40 (many ties), ~30 % censored, 3 groups.
fn sample() -> impl Strategy<Value = (Vec<f64>, Vec<bool>, Vec<u64>)> {
    prop::collection::vec((0_u32..40, prop::bool::weighted(0.7), 0_u64..3), 1..150).prop_map(
        |rows| {
            let d = rows.iter().map(|r| f64::from(r.0)).collect();
            let o = rows.iter().map(|r| r.1).collect();
            let g = rows.iter().map(|r| r.2).collect();
            (d, o, g)
        },
    )
}

/// A permutation of `0..n` from a seed (Fisher–Yates with a small LCG).
fn permutation(n: usize, mut seed: u64) -> Vec<usize> {
    let mut p: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let j = usize::try_from((seed >> 33) % (i as u64 + 1)).unwrap();
        p.swap(i, j);
    }
    p
}

/// 256 cases unless `PROPTEST_CASES` says otherwise; failing seeds go to
/// (and are replayed first from)
/// `crates/retentionkit/proptest-regressions/it/survival_props.txt`.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(256),
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/proptest-regressions/it/survival_props.txt"
        )))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn curve_is_a_non_increasing_step_in_unit_interval((d, o, _g) in sample()) {
        let km = kaplan_meier(&d, &o).unwrap();
        prop_assert_eq!(km.at_risk[0], d.len() as u64);
        prop_assert_eq!(
            km.events.iter().chain(&km.censored).sum::<u64>(),
            d.len() as u64
        );
        let mut prev = 1.0;
        for &s in &km.survival {
            prop_assert!((0.0..=1.0).contains(&s));
            prop_assert!(s <= prev);
            prev = s;
        }
        prop_assert!(km.times.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn band_contains_the_curve((d, o, _g) in sample()) {
        let km = kaplan_meier(&d, &o).unwrap();
        for i in 0..km.times.len() {
            let (lo, s, hi) = (km.lower[i], km.survival[i], km.upper[i]);
            prop_assert!(lo.is_finite() && hi.is_finite() && km.greenwood[i].is_finite());
            prop_assert!(0.0 <= lo && lo <= s && s <= hi && hi <= 1.0, "{} {} {}", lo, s, hi);
        }
    }

    #[test]
    fn shuffled_rows_give_the_same_result((d, o, g) in sample(), seed in any::<u64>()) {
        let p = permutation(d.len(), seed);
        let d2: Vec<f64> = p.iter().map(|&i| d[i]).collect();
        let o2: Vec<bool> = p.iter().map(|&i| o[i]).collect();
        let g2: Vec<u64> = p.iter().map(|&i| g[i]).collect();
        prop_assert_eq!(kaplan_meier(&d, &o).unwrap(), kaplan_meier(&d2, &o2).unwrap());
        let opts = KaplanMeierOptions::default();
        prop_assert_eq!(
            kaplan_meier_by_group_with(&d, &o, &g, &opts).unwrap(),
            kaplan_meier_by_group_with(&d2, &o2, &g2, &opts).unwrap()
        );
        // Per-time counts are integers, so the log-rank sums are the same too.
        match (log_rank(&d, &o, &g), log_rank(&d2, &o2, &g2)) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a, b),
        }
    }

    #[test]
    fn merged_parts_equal_the_whole((d, o, g) in sample(), half in any::<bool>()) {
        // Split the subjects by group (3 parts, some possibly empty); with
        // `half`, shift the durations by 0.5 so the sorting pass is used.
        let d: Vec<f64> = d.iter().map(|x| if half { x + 0.5 } else { *x }).collect();
        let opts = KaplanMeierOptions::default().with_confidence_level(0.9);
        let whole = kaplan_meier_with(&d, &o, &opts).unwrap();
        let parts: Vec<KaplanMeier> = (0..3)
            .filter_map(|k| {
                let rows: Vec<usize> = (0..d.len()).filter(|&i| g[i] == k).collect();
                let dk: Vec<f64> = rows.iter().map(|&i| d[i]).collect();
                let ok: Vec<bool> = rows.iter().map(|&i| o[i]).collect();
                kaplan_meier_with(&dk, &ok, &opts).ok()
            })
            .collect();
        prop_assert_eq!(KaplanMeier::merge(&parts).unwrap(), whole.clone());
        // The event table alone gives the curve back.
        let again = KaplanMeier::from_table(&whole.times, &whole.events, &whole.censored, &opts);
        prop_assert_eq!(again.unwrap(), whole);
    }

    #[test]
    fn counting_pass_equals_sorting_pass((d, o, _g) in sample()) {
        // Integer durations are counted; adding 0.5 makes them fractional and sorted.
        let counted = kaplan_meier(&d, &o).unwrap();
        let shifted: Vec<f64> = d.iter().map(|x| x + 0.5).collect();
        let sorted = kaplan_meier(&shifted, &o).unwrap();
        prop_assert_eq!(&counted.survival, &sorted.survival);
        prop_assert_eq!(&counted.lower, &sorted.lower);
        prop_assert_eq!(&counted.upper, &sorted.upper);
        prop_assert_eq!(&counted.at_risk, &sorted.at_risk);
    }

    #[test]
    fn log_rank_is_a_chi_square_with_a_probability((d, o, g) in sample()) {
        match log_rank(&d, &o, &g) {
            Ok(t) => {
                prop_assert!(t.statistic >= -1e-12 && t.statistic.is_finite());
                prop_assert!((0.0..=1.0).contains(&t.p_value));
                prop_assert_eq!(t.df, t.groups.len() - 1);
                let total: u64 = o.iter().map(|&x| u64::from(x)).sum();
                prop_assert_eq!(t.observed.iter().sum::<u64>(), total);
                prop_assert!((t.expected.iter().sum::<f64>() - total as f64).abs() < 1e-9);
            }
            Err(Error::InvalidArgument { name: "groups", .. } | Error::ZeroDenominator { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected {:?}", e),
        }
    }
}

#[test]
fn merge_refuses_no_parts_and_different_levels() {
    assert!(matches!(KaplanMeier::merge(&[]), Err(Error::Empty { .. })));
    let a = kaplan_meier(&[1.0, 2.0], &[true, false]).unwrap();
    let b = kaplan_meier_with(
        &[3.0],
        &[true],
        &KaplanMeierOptions::default().with_confidence_level(0.9),
    )
    .unwrap();
    assert!(matches!(
        KaplanMeier::merge(&[a, b]),
        Err(Error::Incompatible { .. })
    ));
}
