//! Intervals on the repeat models' parameters and predictions
//! (`models::interval`) on CDNOW, and their coverage by simulation.

use retentionkit::models::interval::{bootstrap, covariance, BootstrapOptions, Quantity};
use retentionkit::models::repeat::{fit_repeat, RepeatKind, RepeatParams};
use retentionkit::models::simulate;
use retentionkit::models::RepeatData;
use retentionkit::optim::{FitOptions, FitStatus};

use crate::cdnow::weekly_calibration_summary;

fn cdnow() -> RepeatData {
    RepeatData::from_summary(&weekly_calibration_summary().compress()).unwrap()
}

#[test]
fn cdnow_bg_nbd_delta_and_bootstrap_agree() {
    let d = cdnow();
    let fit = fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default()).unwrap();
    let cov = covariance(&fit, &d).unwrap();
    // The delta method's parameter standard errors are the fit's.
    assert_eq!(cov.standard_errors(), fit.standard_errors.unwrap().values());
    // 60 bootstrap replicates: the bootstrap and the delta method estimate
    // the same asymptotic standard deviation (Efron & Tibshirani 1993,
    // ch. 6 and 21); with 60 replicates the bootstrap's own relative error
    // is about 1/√120 ≈ 9 %, so they agree within a factor of 1.5.
    let o = BootstrapOptions::default()
        .with_replicates(60)
        .with_seed(2026);
    let b = bootstrap(&fit, &d, &o).unwrap();
    assert_eq!(b.failed(), 0);
    let boot = b.parameter_intervals(0.9).unwrap();
    for (sb, sd) in boot.standard_error.iter().zip(cov.standard_errors()) {
        assert!(sb / sd > 1.0 / 1.5 && sb / sd < 1.5, "{sb} {sd}");
    }
    // The total expected purchases of the 2,357 customers in the 39
    // holdout weeks, both ways: the intervals overlap and contain the
    // estimate.
    let s = weekly_calibration_summary();
    let (x, tx, t) = (&s.frequency, s.recency(), s.age());
    let q = Quantity::TotalPurchases { horizon: 39.0 };
    let delta = cov.intervals(&q, x, &tx, &t, 0.9).unwrap();
    let perc = b.intervals(&q, x, &tx, &t, 0.9).unwrap();
    assert_eq!(delta.estimate, perc.estimate);
    assert!(delta.lower[0] < delta.estimate[0] && delta.estimate[0] < delta.upper[0]);
    assert!(perc.lower[0] < delta.upper[0] && delta.lower[0] < perc.upper[0]);
}

/// The share of `data_sets` simulated BG/NBD data sets of `customers`
/// customers (at Fader, Hardie & Lee 2005's CDNOW estimates, ages 27 to 39
/// weeks as CDNOW's cohort) whose delta-method 90 % interval on the total
/// expected purchases in the next 39 weeks covers the truth: that total
/// at the true parameters for the same customers.
fn coverage(data_sets: u64, customers: usize) -> f64 {
    let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426]).unwrap();
    let ages: Vec<f64> = (0..customers).map(|i| 27.0 + (i % 13) as f64).collect();
    let q = Quantity::TotalPurchases { horizon: 39.0 };
    let (mut covered, mut undefined) = (0, 0);
    for seed in 0..data_sets {
        let sim = simulate::repeat(&truth, &ages, 1_000 + seed).unwrap();
        let (x, tx, t) = (&sim.frequency, &sim.recency, &sim.age);
        let d = RepeatData::grouped(x, tx, t, None).unwrap();
        let fit = fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged, "data set {seed}");
        let want = q.evaluate(&truth, x, tx, t).unwrap()[0];
        // An interval that cannot be computed is counted as not covering,
        // and reported (none since BG/NBD's expectation is summed where
        // FHL's closed form needs a + b + x > 1).
        match covariance(&fit, &d).and_then(|c| c.intervals(&q, x, tx, t, 0.9)) {
            Ok(iv) if iv.lower[0] <= want && want <= iv.upper[0] => covered += 1,
            Ok(_) => {}
            Err(e) => {
                eprintln!("data set {seed}: {e}");
                undefined += 1;
            }
        }
    }
    let rate = f64::from(covered) / data_sets as f64;
    eprintln!("coverage {rate} over {data_sets} data sets, {undefined} without an interval");
    assert_eq!(undefined, 0, "data sets without an interval");
    rate
}

#[test]
fn delta_intervals_cover_the_expected_holdout_purchases() {
    // 100 data sets of 1,000 customers (seeds 1,000–1,099): observed
    // coverage 0.93 on 2026-12-07, every data set with an interval (seed
    // 1,057 has a fitted a + b < 1: before BG/NBD's expectation was summed
    // there, it had none). The issue asks for 85–95 % of nominal 90 %; with 100
    // data sets the binomial standard error of the rate is 3 %, so the
    // band is ±1.7 of them: the 400-set version below is the real check.
    let rate = coverage(100, 1_000);
    assert!((0.85..=0.95).contains(&rate), "coverage {rate}");
}

#[test]
#[ignore = "about a minute in a debug build; run with --ignored"]
fn delta_intervals_cover_the_expected_holdout_purchases_400_sets() {
    // 400 data sets of 1,000 customers (seeds 1,000–1,399): observed
    // coverage 0.925 on 2026-12-07, every data set with an interval;
    // binomial standard error 1.5 %.
    let rate = coverage(400, 1_000);
    assert!((0.85..=0.95).contains(&rate), "coverage {rate}");
}

#[test]
fn prediction_intervals_cover_the_holdout_purchases() {
    use retentionkit::models::interval::predict_total_purchases;
    // 40 data sets of 1,000 BG/NBD customers at the CDNOW estimates,
    // observed 39 weeks and then 39 weeks more: the 90 % prediction
    // interval of the total holdout purchases (process noise and 30
    // bootstrap replicates, 400 draws) should cover the realised total
    // about 90 % of the time; with 40 sets the rate's standard error is
    // 5 %, so this asks for at least 80 % of the sets with an interval.
    // Observed on 2026-12-07 (seeds 5,000–5,039): 34 of the 40 sets (0.85).
    // Five of them have a bootstrap replicate with a + b ≤ 1, where FHL's
    // closed form for the expected total is not defined; the core sums it
    // there (before it did, those five sets had no interval, and 31 of the
    // other 35 covered).
    let truth = RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426]).unwrap();
    let model = RepeatParams::BgNbd(match truth {
        RepeatParams::BgNbd(p) => p,
        _ => unreachable!(),
    });
    let (n, sets) = (1_000, 40u64);
    let (mut covered, mut undefined) = (0, 0);
    for seed in 0..sets {
        let sim = simulate::transactions(&model, &vec![0.0; n], &vec![78.0; n], None, 5_000 + seed)
            .unwrap();
        let (mut x, mut tx, mut holdout) = (Vec::new(), Vec::new(), 0.0);
        for w in sim.offsets.windows(2) {
            let times = &sim.time[w[0]..w[1]];
            let calibration: Vec<f64> = times.iter().copied().filter(|&u| u <= 39.0).collect();
            holdout += (times.len() - calibration.len()) as f64;
            x.push(u32::try_from(calibration.len() - 1).unwrap());
            tx.push(if calibration.len() > 1 {
                calibration[calibration.len() - 1]
            } else {
                0.0
            });
        }
        let t = vec![39.0; n];
        let d = RepeatData::grouped(&x, &tx, &t, None).unwrap();
        let fit = fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default()).unwrap();
        let o = BootstrapOptions::default()
            .with_replicates(30)
            .with_seed(seed);
        let b = bootstrap(&fit, &d, &o).unwrap();
        // An interval that cannot be computed is a failure of this test.
        match predict_total_purchases(&fit.params, Some(&b), &x, &tx, &t, 39.0, 0.9, 400, seed) {
            Ok(p) if p.lower <= holdout && holdout <= p.upper => covered += 1,
            Ok(_) => {}
            Err(e) => {
                eprintln!("data set {seed}: {e}");
                undefined += 1;
            }
        }
    }
    let rate = f64::from(covered) / f64::from(40 - undefined);
    eprintln!("prediction coverage {rate} over {sets} data sets, {undefined} without an interval");
    assert!(
        rate >= 0.8 && undefined == 0,
        "coverage {rate}, {undefined} without"
    );
}

/// The customer bootstrap of Pareto/NBD on CDNOW (1,000 replicates, seed
/// 0): three replicates' likelihoods rise all the way to s, β → ∞ with
/// s/β ≈ 0.02 a week, the Pareto/NBD with one drop-out rate for everyone.
/// They are reported at the boundary (s > 10⁴, the shape bound of
/// `optim::SHAPE_BOUNDS`) and left out of the intervals; before the
/// likelihood took the integral route near z = 1 (module doc of
/// `models::pareto_nbd`) they stopped at s ≈ 450–615, where the ₂F₁ series
/// gave up, and were reported as converged. Slow in a debug build (the
/// replicates refit in release in about 6 s).
#[test]
#[ignore = "1,000 Pareto/NBD refits: run with --release --ignored"]
fn cdnow_pareto_nbd_bootstrap_reports_the_drift_to_one_dropout_rate() {
    let d = cdnow();
    let fit = fit_repeat(RepeatKind::ParetoNbd, &d, &FitOptions::default()).unwrap();
    let b = bootstrap(&fit, &d, &BootstrapOptions::default()).unwrap();
    assert!(b.failed() <= 5, "{}", b.failed());
    for r in b.replicates.iter().filter(|r| r.converged().is_none()) {
        assert_eq!(r.status, Some(FitStatus::AtBoundary));
        let [_, _, s, beta] = r.params.unwrap().values();
        assert!(s > 1e4 && (0.01..0.05).contains(&(s / beta)), "{s} {beta}");
    }
}
