#![allow(clippy::unwrap_used, clippy::panic)]

use super::*;
use crate::error::Error;
#[cfg(feature = "simulate")]
use crate::optim::FitOptions;

/// Φ⁻¹(0.95), the z of a two-sided 90 % interval (any normal table; scipy
/// 1.17's `norm.ppf(0.95)` prints 1.6448536269514722).
const Z90: f64 = 1.644_853_626_951_472_2;

fn bg_nbd(values: [f64; 4]) -> RepeatParams {
    RepeatParams::new(RepeatKind::BgNbd, values).unwrap()
}

/// A covariance typed in: variances 0.04, 0.25, 0.09, 1 and one covariance
/// 0.01 between the first two parameters.
fn typed_in() -> ParameterCovariance {
    ParameterCovariance {
        params: bg_nbd([0.5, 4.0, 0.8, 2.5]),
        matrix: [
            [0.04, 0.01, 0.0, 0.0],
            [0.01, 0.25, 0.0, 0.0],
            [0.0, 0.0, 0.09, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ],
    }
}

#[test]
fn the_tracking_band_is_the_delta_method_of_the_curve() {
    use crate::models::check::tracking;
    use crate::summary::TimeUnit;
    // Three customers over 20 weeks; points at days 35, 70, 141.
    let log =
        crate::TransactionLog::new(&[1, 1, 2, 2, 2, 3], &[0, 30, 7, 50, 90, 40], None).unwrap();
    let at = [35, 70, 141];
    // Variance only on α (0.25): se_k = |∂E_k/∂α| · 0.5, with the derivative
    // taken here from `tracking` itself at α ± 10⁻³ (a step a hundred times
    // the method's own, so the two agree to about 10⁻⁵ relative).
    let theta = [0.5, 4.0, 0.8, 2.5];
    let mut matrix = [[0.0; 4]; 4];
    matrix[1][1] = 0.25;
    let cov = ParameterCovariance {
        params: bg_nbd(theta),
        matrix,
    };
    let (curve, band) = cov
        .tracking_intervals(&log, TimeUnit::Weeks, &at, 0.9)
        .unwrap();
    assert_eq!(
        curve,
        tracking(&cov.params, &log, TimeUnit::Weeks, &at).unwrap()
    );
    let h = 1e-3 * theta[1];
    let (mut up, mut down) = (theta, theta);
    up[1] += h;
    down[1] -= h;
    let e = |t: [f64; 4]| {
        tracking(&bg_nbd(t), &log, TimeUnit::Weeks, &at)
            .unwrap()
            .expected
    };
    let (eu, ed) = (e(up), e(down));
    for k in 0..at.len() {
        let se = ((eu[k] - ed[k]) / (2.0 * h)).abs() * 0.5;
        assert!(
            (band.standard_error[k] - se).abs() <= 1e-5 * se,
            "{k}: {} {se}",
            band.standard_error[k]
        );
        // Log scale: E exp(±z se / E).
        let w = Z90 * se / curve.expected[k];
        assert!((band.lower[k] - curve.expected[k] * (-w).exp()).abs() <= 1e-4 * curve.expected[k]);
        assert!((band.upper[k] - curve.expected[k] * w.exp()).abs() <= 1e-4 * curve.expected[k]);
    }
    // No covariance: the band is the curve.
    let none = ParameterCovariance {
        params: bg_nbd(theta),
        matrix: [[0.0; 4]; 4],
    };
    let (_, flat) = none
        .tracking_intervals(&log, TimeUnit::Weeks, &at, 0.9)
        .unwrap();
    assert_eq!(flat.lower, curve.expected);
    assert_eq!(flat.upper, curve.expected);
    assert!(cov
        .tracking_intervals(&log, TimeUnit::Weeks, &at, 1.0)
        .is_err());
}

#[test]
fn the_delta_method_of_a_linear_function_by_hand() {
    // q(θ) = 2 θ₁ − θ₂ + 3 θ₃ + θ₄ / 2 at (0.5, 4, 0.8, 2.5) is
    // 1 − 4 + 2.4 + 1.25 = 0.65; its gradient g = (2, −1, 3, 0.5) and
    // gᵀ Σ g = 4 (0.04) + 0.25 + 2 (2)(−1)(0.01) + 9 (0.09) + 0.25 (1)
    //        = 0.16 + 0.25 − 0.04 + 0.81 + 0.25 = 1.43.
    let cov = typed_in();
    let (est, se) = delta(&cov, |m| {
        let [a, b, c, d] = m.values();
        Ok(vec![2.0 * a - b + 3.0 * c + 0.5 * d, a])
    })
    .unwrap();
    assert!((est[0] - 0.65).abs() < 1e-12);
    assert!((se[0] - 1.43f64.sqrt()).abs() < 1e-8, "{}", se[0]);
    // The first parameter itself: √0.04.
    assert!((se[1] - 0.2).abs() < 1e-9);
}

#[test]
fn parameter_intervals_are_normal_on_the_log_scale() {
    // θ̂ exp(±z se/θ̂): r = 0.5, se 0.2, so exp(±1.6448536 × 0.4).
    let iv = typed_in().parameter_intervals(0.9).unwrap();
    assert_eq!(iv.standard_error, [0.2, 0.5, 0.3, 1.0]);
    let w = Z90 * 0.2 / 0.5;
    assert!((iv.lower[0] - 0.5 * (-w).exp()).abs() < 1e-12);
    assert!((iv.upper[0] - 0.5 * w.exp()).abs() < 1e-12);
    // The log scale keeps b's interval positive although se (1) > b̂ / z.
    assert!(iv.lower[3] > 0.0);
}

#[test]
fn probabilities_get_logit_intervals() {
    // q = 0.8, se 0.05: logit 0.8 = ln 4, se on the logit scale
    // 0.05 / (0.8 × 0.2) = 0.3125; ends expit(ln 4 ± 1.6448536 × 0.3125).
    let (lo, hi) = transformed(0.8, 0.05, Z90, Scale::Logit);
    let expit = |v: f64| 1.0 / (1.0 + (-v).exp());
    assert!((lo - expit(4f64.ln() - Z90 * 0.3125)).abs() < 1e-12);
    assert!((hi - expit(4f64.ln() + Z90 * 0.3125)).abs() < 1e-12);
    assert!(hi < 1.0);
    // P(alive) = 1 exactly (BG/NBD without a repeat purchase) is its own interval.
    assert_eq!(transformed(1.0, 0.0, Z90, Scale::Logit), (1.0, 1.0));
    assert_eq!(transformed(0.0, 0.0, Z90, Scale::Log), (0.0, 0.0));
}

#[test]
fn bad_levels_are_errors() {
    for level in [0.0, 1.0, -0.5, f64::NAN] {
        assert!(matches!(
            typed_in().parameter_intervals(level),
            Err(Error::InvalidArgument { name: "level", .. })
        ));
    }
}

#[cfg(feature = "simulate")]
mod simulated {
    use super::*;
    use crate::models::simulate;

    /// `n` BG/NBD customers at the CDNOW estimates (Fader, Hardie & Lee
    /// 2005: r = 0.243, α = 4.414, a = 0.793, b = 2.426), observed 27 to
    /// 39 weeks as CDNOW's cohort.
    fn data(n: usize, seed: u64) -> (simulate::SimulatedRepeat, RepeatData) {
        let ages: Vec<f64> = (0..n).map(|i| 27.0 + (i % 13) as f64).collect();
        let sim = simulate::repeat(&bg_nbd([0.243, 4.414, 0.793, 2.426]), &ages, seed).unwrap();
        let d = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        (sim, d)
    }

    #[test]
    fn delta_standard_errors_of_the_parameters_are_the_fits() {
        // Each model on 800 customers simulated from its own published
        // CDNOW estimates: BG/NBD and Pareto/NBD from Fader, Hardie & Lee
        // (2005); MBG/NBD round values near lifetimes' CDNOW fit (the
        // model's own tests use them).
        let truths = [
            bg_nbd([0.243, 4.414, 0.793, 2.426]),
            RepeatParams::new(RepeatKind::MbgNbd, [0.525, 6.183, 0.891, 1.614]).unwrap(),
            RepeatParams::new(RepeatKind::ParetoNbd, [0.553, 10.578, 0.606, 11.669]).unwrap(),
        ];
        for truth in truths {
            let kind = truth.kind();
            let ages: Vec<f64> = (0..800).map(|i| 27.0 + f64::from(i % 13)).collect();
            let sim = simulate::repeat(&truth, &ages, 3).unwrap();
            let d = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
            let fit = crate::models::repeat::fit_repeat(kind, &d, &FitOptions::default()).unwrap();
            assert_eq!(fit.status, FitStatus::Converged, "{kind:?}");
            let cov = covariance(&fit, &d).unwrap();
            let se = fit.standard_errors.unwrap().values();
            // The same Hessian, so the same numbers to the last bit.
            assert_eq!(cov.standard_errors(), se, "{kind:?}");
            // The delta method of the identity gives them too.
            let (_, via_delta) = delta(&cov, |m| Ok(m.values().to_vec())).unwrap();
            for (a, b) in via_delta.iter().zip(se) {
                assert!((a - b).abs() <= 1e-6 * b, "{kind:?}: {a} {b}");
            }
        }
    }

    #[test]
    fn no_covariance_without_convergence() {
        let (_, d) = data(300, 4);
        let o = FitOptions {
            max_iterations: 2,
            ..FitOptions::default()
        };
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &o).unwrap();
        assert_eq!(fit.status, FitStatus::MaxIterations);
        let e = covariance(&fit, &d).unwrap_err();
        assert!(
            matches!(e, Error::InvalidArgument { name: "fit", .. }),
            "{e}"
        );
    }

    /// The total CLV of the rows with mean spend `m`, at the default CLV options.
    fn clv(spend: GammaGammaParams, m: &[f64]) -> Quantity<'_> {
        Quantity::TotalClv {
            spend,
            monetary: m,
            options: ClvOptions::default(),
        }
    }

    #[test]
    fn predictions_get_intervals_around_their_estimates() {
        let (sim, d) = data(600, 5);
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default())
            .unwrap();
        let cov = covariance(&fit, &d).unwrap();
        let (x, tx, t) = (&sim.frequency[..50], &sim.recency[..50], &sim.age[..50]);
        let monetary = vec![20.0; 50];
        let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let quantities = [
            Quantity::ExpectedPurchases { horizon: 39.0 },
            Quantity::ProbabilityAlive,
            Quantity::TotalPurchases { horizon: 39.0 },
            Quantity::Clv {
                spend,
                monetary: &monetary,
                options: ClvOptions::default(),
            },
        ];
        for q in &quantities {
            let iv = cov.intervals(q, x, tx, t, 0.9).unwrap();
            let want = q.evaluate(&fit.params, x, tx, t).unwrap();
            assert_eq!(iv.estimate, want);
            for (i, w) in want.iter().enumerate() {
                assert!(iv.lower[i] <= *w && *w <= iv.upper[i], "{q:?} {i}");
                assert!(iv.standard_error[i].is_finite());
            }
        }
        // The total's standard error is not the sum of the customers'
        // (they share the parameters), but at most that sum.
        let each = cov.intervals(&quantities[0], x, tx, t, 0.9).unwrap();
        let total = cov.intervals(&quantities[2], x, tx, t, 0.9).unwrap();
        assert!(total.standard_error[0] <= each.standard_error.iter().sum::<f64>() * (1.0 + 1e-9));
        // The total CLV is the sum of the customers' CLV; the delta method is
        // linear in the gradient, so the customers' rows given twice double
        // both the estimate and the standard error.
        let once = cov
            .intervals(&clv(spend, &monetary), x, tx, t, 0.9)
            .unwrap();
        let each = cov.intervals(&quantities[3], x, tx, t, 0.9).unwrap();
        let sum: f64 = each.estimate.iter().sum();
        assert!((once.estimate[0] - sum).abs() <= 1e-12 * sum);
        let twice = |v: &[f64]| [v, v].concat();
        let (x2, tx2, t2) = ([x, x].concat(), twice(tx), twice(t));
        let doubled = cov
            .intervals(&clv(spend, &twice(&monetary)), &x2, &tx2, &t2, 0.9)
            .unwrap();
        assert!((doubled.estimate[0] - 2.0 * once.estimate[0]).abs() <= 1e-12 * sum);
        let se = once.standard_error[0];
        assert!(se > 0.0 && (doubled.standard_error[0] - 2.0 * se).abs() <= 1e-6 * se);
    }
}

#[cfg(feature = "simulate")]
mod bootstrapped {
    use super::*;
    use crate::models::interval::bootstrap::{quantile, resample, stream};
    use crate::models::simulate;

    fn cdnow_like(n: usize, seed: u64) -> (simulate::SimulatedRepeat, RepeatData) {
        let ages: Vec<f64> = (0..n).map(|i| 27.0 + (i % 13) as f64).collect();
        let sim = simulate::repeat(&bg_nbd([0.243, 4.414, 0.793, 2.426]), &ages, seed).unwrap();
        let d = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        (sim, d)
    }

    #[test]
    fn quantiles_interpolate_between_order_statistics() {
        // Hyndman & Fan's definition 7 on 1, 2, 3, 4: h = p (n − 1);
        // p = 0.5 → h = 1.5 → 2.5; p = 0.05 → h = 0.15 → 1.15.
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile(&v, 0.5), 2.5);
        assert!((quantile(&v, 0.05) - 1.15).abs() < 1e-15);
        assert_eq!(quantile(&v, 1.0), 4.0);
    }

    #[test]
    fn a_resample_keeps_the_customers_and_their_shares() {
        // Rows of 500, 300, 200 customers: each draw has 1,000 customers;
        // over 400 draws the mean of each row's count is its count (the
        // multinomial mean n pᵢ), within 4 standard errors
        // √(n pᵢ (1 − pᵢ) / 400): 0.79, 0.72, 0.63.
        let counts = [500.0, 300.0, 200.0];
        let mut sums = [0.0; 3];
        for i in 0..400 {
            let w = resample(&counts, &mut stream(9, i));
            assert_eq!(w.iter().sum::<f64>(), 1000.0);
            assert!(w.iter().all(|k| k.fract() == 0.0 && *k >= 0.0));
            for (s, k) in sums.iter_mut().zip(&w) {
                *s += k;
            }
        }
        for ((s, c), se) in sums.iter().zip(counts).zip([0.79, 0.72, 0.63]) {
            assert!((s / 400.0 - c).abs() < 4.0 * se, "{s} {c}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_replicates() {
        let (_, d) = cdnow_like(400, 11);
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default())
            .unwrap();
        let o = BootstrapOptions {
            replicates: 30,
            seed: 42,
            ..BootstrapOptions::default()
        };
        let a = bootstrap(&fit, &d, &o).unwrap();
        assert_eq!(a, bootstrap(&fit, &d, &o).unwrap());
        assert_eq!(a.failed(), 0);
        let other = bootstrap(&fit, &d, &BootstrapOptions { seed: 43, ..o }).unwrap();
        assert_ne!(a.replicates, other.replicates);
        #[cfg(feature = "parallel")]
        {
            // One thread or all: each replicate has its own stream.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(1)
                .build()
                .unwrap();
            assert_eq!(a, pool.install(|| bootstrap(&fit, &d, &o)).unwrap());
        }
        let iv = a.parameter_intervals(0.9).unwrap();
        for i in 0..4 {
            assert!(iv.lower[i] < iv.upper[i]);
        }
    }

    #[test]
    fn failed_replicates_are_counted_and_left_out() {
        let (_, d) = cdnow_like(300, 12);
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default())
            .unwrap();
        // Two iterations cannot bring a replicate's gradient (not 0: other
        // data) under 1e-9: every refit stops at the limit.
        let o = BootstrapOptions {
            replicates: 8,
            seed: 1,
            fit: FitOptions {
                max_iterations: 2,
                ..FitOptions::default()
            },
        };
        let b = bootstrap(&fit, &d, &o).unwrap();
        assert_eq!(b.failed(), 8);
        assert!(b
            .replicates
            .iter()
            .all(|r| r.status == Some(FitStatus::MaxIterations) && r.params.is_some()));
        assert!(matches!(
            b.parameter_intervals(0.9),
            Err(Error::InvalidArgument {
                name: "replicates",
                ..
            })
        ));
    }

    #[test]
    fn replicates_without_a_repeat_buyer_are_failed_not_dropped() {
        // 1 repeat buyer among 20: a resample misses them with probability
        // (19/20)^20 ≈ 0.358, and then cannot be fitted.
        let mut x = vec![0u32; 20];
        let mut tx = vec![0.0; 20];
        x[0] = 3;
        tx[0] = 20.0;
        let t = vec![30.0; 20];
        let d = RepeatData::grouped(&x, &tx, &t, None).unwrap();
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default())
            .unwrap();
        let o = BootstrapOptions {
            replicates: 40,
            seed: 5,
            ..BootstrapOptions::default()
        };
        let b = bootstrap(&fit, &d, &o).unwrap();
        let unfitted = b.replicates.iter().filter(|r| r.params.is_none()).count();
        assert!(unfitted > 0);
        assert!(b.failed() >= unfitted);
        assert_eq!(b.replicates.len(), 40);
        assert_eq!(b.converged().len(), 40 - b.failed());
    }

    #[test]
    fn bootstrap_intervals_of_predictions() {
        let (sim, d) = cdnow_like(2000, 13);
        let fit = crate::models::repeat::fit_repeat(RepeatKind::BgNbd, &d, &FitOptions::default())
            .unwrap();
        let o = BootstrapOptions {
            replicates: 40,
            seed: 3,
            ..BootstrapOptions::default()
        };
        let b = bootstrap(&fit, &d, &o).unwrap();
        let (x, tx, t) = (&sim.frequency[..30], &sim.recency[..30], &sim.age[..30]);
        let iv = b
            .intervals(
                &Quantity::ExpectedPurchases { horizon: 39.0 },
                x,
                tx,
                t,
                0.9,
            )
            .unwrap();
        assert_eq!(
            iv.estimate,
            Quantity::ExpectedPurchases { horizon: 39.0 }
                .evaluate(&fit.params, x, tx, t)
                .unwrap()
        );
        assert!(iv.lower.iter().zip(&iv.upper).all(|(l, u)| l <= u));
    }

    #[test]
    fn simulated_totals_are_seeded_and_centred_on_the_expectation() {
        let (sim, _) = cdnow_like(300, 14);
        let m = bg_nbd([0.243, 4.414, 0.793, 2.426]);
        let (x, tx, t) = (&sim.frequency, &sim.recency, &sim.age);
        let p = predict_total_purchases(&m, None, x, tx, t, 39.0, 0.9, 400, 8).unwrap();
        assert_eq!(
            p,
            predict_total_purchases(&m, None, x, tx, t, 39.0, 0.9, 400, 8).unwrap()
        );
        // The draws' mean estimates the expected total: within 4 standard
        // errors of it (their standard deviation / √400).
        let mean = p.draws.iter().sum::<f64>() / 400.0;
        let sd = (p.draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / 399.0).sqrt();
        assert!(
            (mean - p.expected).abs() < 4.0 * sd / 20.0,
            "{mean} {}",
            p.expected
        );
        assert!(p.lower < p.expected && p.expected < p.upper);
        // Nothing can happen in no time.
        let none = predict_total_purchases(&m, None, x, tx, t, 0.0, 0.9, 10, 8).unwrap();
        assert_eq!((none.lower, none.upper, none.expected), (0.0, 0.0, 0.0));
        assert!(matches!(
            predict_total_purchases(&m, None, x, tx, t, 39.0, 0.9, 0, 8),
            Err(Error::InvalidArgument { name: "draws", .. })
        ));
    }
}

#[cfg(feature = "simulate")]
mod by_name {
    use super::*;
    use crate::models::repeat::fit_repeat;
    use crate::models::simulate;

    #[test]
    fn names_parse_and_unknown_names_are_errors() {
        assert_eq!(
            Target::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            [
                "parameters",
                "expected_purchases",
                "probability_alive",
                "total_purchases",
                "clv",
                "total_clv"
            ]
        );
        assert_eq!(
            "alive".parse::<Target>().unwrap_err().to_string(),
            "argument `quantity`: \"alive\" is not one of parameters, expected_purchases, \
             probability_alive, total_purchases, clv, total_clv"
        );
        assert_eq!("bootstrap".parse::<Method>().unwrap(), Method::Bootstrap);
        assert_eq!(
            "jackknife".parse::<Method>().unwrap_err().to_string(),
            "argument `method`: \"jackknife\" is not one of delta, bootstrap"
        );
    }

    #[test]
    fn the_data_rows_total_counts_each_row_by_its_weight() {
        // 400 simulated customers, grouped into weighted rows (fewer rows
        // than customers): the total over the data's own rows must equal
        // the total over the 400 customers given one by one, in the
        // estimate, the standard error and both ends.
        let truth = bg_nbd([0.243, 4.414, 0.793, 2.426]);
        let sim = simulate::repeat(&truth, &[39.0; 400], 11).unwrap();
        let (x, tx, t) = (&sim.frequency, &sim.recency, &sim.age);
        let data = RepeatData::grouped(x, tx, t, None).unwrap();
        assert!(data.len() < 400);
        let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default()).unwrap();
        let o = BootstrapOptions::default();
        let own = fit_intervals(
            &fit,
            &data,
            &[Target::TotalPurchases],
            &IntervalRequest::default()
                .with_horizon(13.0)
                .with_customers(None)
                .with_level(0.9)
                .with_method(Method::Delta)
                .with_bootstrap(o),
        )
        .unwrap()
        .remove(0);
        let each = fit_intervals(
            &fit,
            &data,
            &[Target::TotalPurchases],
            &IntervalRequest::default()
                .with_horizon(13.0)
                .with_customers(Some((x, tx, t)))
                .with_level(0.9)
                .with_method(Method::Delta)
                .with_bootstrap(o),
        )
        .unwrap()
        .remove(0);
        let (a, b) = (&own.intervals, &each.intervals);
        for (u, v) in [
            (a.estimate[0], b.estimate[0]),
            (a.standard_error[0], b.standard_error[0]),
            (a.lower[0], b.lower[0]),
            (a.upper[0], b.upper[0]),
        ] {
            assert!((u - v).abs() <= 1e-9 * v, "{u} against {v}");
        }
        // The parameters by name are the covariance's own intervals.
        let p = fit_intervals(
            &fit,
            &data,
            &[Target::Parameters],
            &IntervalRequest::default()
                .with_horizon(0.0)
                .with_customers(None)
                .with_level(0.9)
                .with_method(Method::Delta)
                .with_bootstrap(o),
        )
        .unwrap()
        .remove(0);
        assert_eq!(
            p.intervals,
            covariance(&fit, &data)
                .unwrap()
                .parameter_intervals(0.9)
                .unwrap()
        );
        // The bootstrap reports its replicates; a seed gives the same ones.
        let o = BootstrapOptions::default().with_replicates(8).with_seed(3);
        // Two targets share one bootstrap: the second is the bootstrap's own
        // parameter intervals.
        let mut both = fit_intervals(
            &fit,
            &data,
            &[Target::ProbabilityAlive, Target::Parameters],
            &IntervalRequest::default()
                .with_horizon(0.0)
                .with_customers(Some((x, tx, t)))
                .with_level(0.9)
                .with_method(Method::Bootstrap)
                .with_bootstrap(o),
        )
        .unwrap();
        assert_eq!(
            both[1].intervals,
            bootstrap(&fit, &data, &o)
                .unwrap()
                .parameter_intervals(0.9)
                .unwrap()
        );
        let b1 = both.remove(0);
        assert_eq!(b1.replicates, 8);
        assert_eq!(b1.intervals.estimate.len(), 400);
        let b2 = fit_intervals(
            &fit,
            &data,
            &[Target::ProbabilityAlive],
            &IntervalRequest::default()
                .with_horizon(0.0)
                .with_customers(Some((x, tx, t)))
                .with_level(0.9)
                .with_method(Method::Bootstrap)
                .with_bootstrap(o),
        )
        .unwrap()
        .remove(0);
        assert_eq!(b1, b2);
    }

    /// The CLV targets by name: a 400-customer simulated data set, mean
    /// spends 10 to 40, the Gamma-Gamma estimates of FHL (2005)'s CDNOW
    /// example (p = 6.25, q = 3.74, γ = 15.44), a year of weekly months.
    fn clv_case() -> (
        simulate::SimulatedRepeat,
        RepeatData,
        Fit<RepeatParams>,
        Vec<f64>,
        ClvInputs<'static>,
    ) {
        let truth = bg_nbd([0.243, 4.414, 0.793, 2.426]);
        let sim = simulate::repeat(&truth, &[39.0; 400], 21).unwrap();
        let data = RepeatData::grouped(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
        let fit = fit_repeat(RepeatKind::BgNbd, &data, &FitOptions::default()).unwrap();
        let monetary: Vec<f64> = (0..400).map(|i| 10.0 + f64::from(i % 31)).collect();
        let spend = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
        let leaked: &'static [f64] = Box::leak(monetary.clone().into_boxed_slice());
        let c = ClvInputs::new(
            spend,
            leaked,
            ClvOptions::monthly(crate::summary::TimeUnit::Weeks),
        );
        (sim, data, fit, monetary, c)
    }

    #[test]
    fn clv_delta_standard_errors_are_a_hand_gradient_times_the_covariance() {
        let (sim, data, fit, monetary, c) = clv_case();
        let (x, tx, t) = (&sim.frequency[..], &sim.recency[..], &sim.age[..]);
        let r = IntervalRequest::default()
            .with_customers(Some((x, tx, t)))
            .with_clv(Some(c));
        let got = fit_intervals(&fit, &data, &[Target::Clv, Target::TotalClv], &r).unwrap();
        // By hand: the CLV of each customer at θ ± h eⱼ with h = 10⁻³ θⱼ
        // (a hundred times the core's step), the central difference, then
        // √(g Σ gᵀ) with the fit's covariance.
        let cov = covariance(&fit, &data).unwrap();
        let theta = fit.params.values();
        let clv_at = |v: [f64; 4]| {
            crate::models::check::clv_values(&bg_nbd(v), &c.spend, x, tx, t, &monetary, &c.options)
                .unwrap()
        };
        let mut grads = vec![[0.0; 4]; 400];
        for j in 0..4 {
            let h = 1e-3 * theta[j];
            let (mut up, mut down) = (theta, theta);
            up[j] += h;
            down[j] -= h;
            for (g, (u, d)) in grads.iter_mut().zip(clv_at(up).iter().zip(clv_at(down))) {
                g[j] = (u - d) / (2.0 * h);
            }
        }
        let se = |g: &[f64; 4]| {
            let mut v = 0.0;
            for a in 0..4 {
                for b in 0..4 {
                    v += g[a] * cov.matrix[a][b] * g[b];
                }
            }
            v.sqrt()
        };
        let each = &got[0].intervals;
        assert_eq!(each.estimate, clv_at(theta));
        for (i, g) in grads.iter().enumerate() {
            let want = se(g);
            assert!(
                (each.standard_error[i] - want).abs() <= 1e-4 * want,
                "customer {i}: {} against {want}",
                each.standard_error[i]
            );
        }
        let mut total = [0.0; 4];
        for g in &grads {
            for j in 0..4 {
                total[j] += g[j];
            }
        }
        let want = se(&total);
        let tot = &got[1].intervals;
        assert!((tot.standard_error[0] - want).abs() <= 1e-4 * want);
        let sum: f64 = each.estimate.iter().sum();
        assert!((tot.estimate[0] - sum).abs() <= 1e-10 * sum);
    }

    #[test]
    fn the_total_clv_of_duplicated_rows_doubles() {
        let (sim, data, fit, monetary, c) = clv_case();
        let (x, tx, t) = (&sim.frequency[..], &sim.recency[..], &sim.age[..]);
        let once = IntervalRequest::default()
            .with_customers(Some((x, tx, t)))
            .with_clv(Some(c));
        let once = fit_intervals(&fit, &data, &[Target::TotalClv], &once)
            .unwrap()
            .remove(0)
            .intervals;
        let twice = |v: &[f64]| [v, v].concat();
        let (x2, tx2, t2, m2) = ([x, x].concat(), twice(tx), twice(t), twice(&monetary));
        let c2 = ClvInputs::new(c.spend, &m2, c.options);
        let r2 = IntervalRequest::default()
            .with_customers(Some((&x2, &tx2, &t2)))
            .with_clv(Some(c2));
        let doubled = fit_intervals(&fit, &data, &[Target::TotalClv], &r2)
            .unwrap()
            .remove(0)
            .intervals;
        // The same rows once, each standing for two customers.
        let w = vec![2.0; 400];
        let r3 = IntervalRequest::default()
            .with_customers(Some((x, tx, t)))
            .with_weights(Some(&w))
            .with_clv(Some(c));
        let weighted = fit_intervals(&fit, &data, &[Target::TotalClv], &r3)
            .unwrap()
            .remove(0)
            .intervals;
        for iv in [&doubled, &weighted] {
            for (u, v) in [
                (iv.estimate[0], once.estimate[0]),
                (iv.standard_error[0], once.standard_error[0]),
            ] {
                // Equal but for rounding: the sums run in another order,
                // and the gradient's differences of nearly equal sums lose
                // about half the digits.
                assert!((u - 2.0 * v).abs() <= 1e-7 * v, "{u} against 2 × {v}");
            }
        }
    }

    #[test]
    fn clv_bootstrap_intervals_are_seeded_and_hold_the_estimate() {
        let (sim, data, fit, _, c) = clv_case();
        let (x, tx, t) = (&sim.frequency[..50], &sim.recency[..50], &sim.age[..50]);
        let c = ClvInputs::new(c.spend, &c.monetary[..50], c.options);
        let r = IntervalRequest::default()
            .with_customers(Some((x, tx, t)))
            .with_method(Method::Bootstrap)
            .with_bootstrap(BootstrapOptions::default().with_replicates(40).with_seed(5))
            .with_clv(Some(c));
        let targets = [Target::Clv, Target::TotalClv];
        let a = fit_intervals(&fit, &data, &targets, &r).unwrap();
        assert_eq!(a, fit_intervals(&fit, &data, &targets, &r).unwrap());
        let other = r.with_bootstrap(BootstrapOptions::default().with_replicates(40).with_seed(6));
        assert_ne!(a, fit_intervals(&fit, &data, &targets, &other).unwrap());
        assert_eq!(a[0].replicates, 40);
        for f in &a {
            let iv = &f.intervals;
            for i in 0..iv.estimate.len() {
                assert!(
                    iv.lower[i] <= iv.estimate[i] && iv.estimate[i] <= iv.upper[i],
                    "{:?} {i}",
                    f.target
                );
            }
        }
    }

    #[test]
    fn clv_targets_need_their_inputs() {
        let (_, data, fit, _, c) = clv_case();
        let e = fit_intervals(&fit, &data, &[Target::Clv], &IntervalRequest::default());
        assert!(
            matches!(e, Err(Error::InvalidArgument { name: "clv", .. })),
            "{e:?}"
        );
        // Without customers the mean spends are the data's rows': one each.
        let r = IntervalRequest::default().with_clv(Some(c));
        let e = fit_intervals(&fit, &data, &[Target::TotalClv], &r);
        assert!(
            matches!(
                e,
                Err(Error::LengthMismatch {
                    column: "monetary_value",
                    got: 400,
                    ..
                })
            ),
            "{e:?}"
        );
        // Weights are for given customers only.
        let w = [1.0];
        let r = IntervalRequest::default().with_weights(Some(&w));
        let e = fit_intervals(&fit, &data, &[Target::TotalPurchases], &r);
        assert!(
            matches!(
                e,
                Err(Error::InvalidArgument {
                    name: "weights",
                    ..
                })
            ),
            "{e:?}"
        );
    }

    #[test]
    fn prediction_intervals_by_request_count_rows_by_their_weights() {
        let (sim, data, fit, _, _) = clv_case();
        let (x, tx, t) = (&sim.frequency[..30], &sim.recency[..30], &sim.age[..30]);
        // Each of 30 rows twice, in place, against the rows weighted 2: the
        // same customers in the same order, so the same draws.
        let twice = |v: &[f64]| v.iter().flat_map(|&a| [a, a]).collect::<Vec<_>>();
        let x2: Vec<u32> = x.iter().flat_map(|&a| [a, a]).collect();
        let (tx2, t2) = (twice(tx), twice(t));
        let w = vec![2.0; 30];
        let r = IntervalRequest::default().with_horizon(39.0);
        let weighted = fit_prediction_interval(
            &fit,
            &data,
            &r.with_customers(Some((x, tx, t))).with_weights(Some(&w)),
            300,
        )
        .unwrap();
        let each =
            fit_prediction_interval(&fit, &data, &r.with_customers(Some((&x2, &tx2, &t2))), 300)
                .unwrap();
        assert_eq!(weighted, each);
        assert_eq!((each.replicates, each.failed), (0, 0));
        // The data's own rows: centred on their weighted expected total.
        let own = fit_prediction_interval(&fit, &data, &r, 300).unwrap();
        let want = Quantity::WeightedTotalPurchases {
            horizon: 39.0,
            weights: data.weights(),
        };
        let (dx, dtx, dt) = data.columns();
        let want = want.evaluate(&fit.params, &dx, &dtx, &dt).unwrap()[0];
        assert!((own.prediction.expected - want).abs() <= 1e-9 * want);
        // Weights that are not whole numbers of customers are refused.
        let half = vec![0.5; 30];
        let e = fit_prediction_interval(
            &fit,
            &data,
            &r.with_customers(Some((x, tx, t))).with_weights(Some(&half)),
            10,
        );
        assert!(
            matches!(
                e,
                Err(Error::InvalidValue {
                    column: "weights",
                    row: 0,
                    ..
                })
            ),
            "{e:?}"
        );
        // The bootstrap adds the parameters' uncertainty and reports its
        // replicates.
        let b = r
            .with_method(Method::Bootstrap)
            .with_bootstrap(BootstrapOptions::default().with_replicates(10).with_seed(2));
        let with = fit_prediction_interval(&fit, &data, &b, 300).unwrap();
        assert_eq!(with.replicates, 10);
    }

    #[test]
    fn weights_of_the_wrong_length_or_sign_are_errors() {
        let m = bg_nbd([0.243, 4.414, 0.793, 2.426]);
        let q = Quantity::WeightedTotalPurchases {
            horizon: 1.0,
            weights: &[1.0],
        };
        assert!(matches!(
            q.evaluate(&m, &[0, 1], &[0.0, 1.0], &[2.0, 2.0]),
            Err(Error::LengthMismatch {
                column: "weights",
                expected: 2,
                got: 1
            })
        ));
        let q = Quantity::WeightedTotalPurchases {
            horizon: 1.0,
            weights: &[1.0, f64::NAN],
        };
        assert!(matches!(
            q.evaluate(&m, &[0, 1], &[0.0, 1.0], &[2.0, 2.0]),
            Err(Error::InvalidValue {
                column: "weights",
                row: 1,
                ..
            })
        ));
    }
}
