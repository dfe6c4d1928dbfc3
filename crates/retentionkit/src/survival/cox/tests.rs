#![allow(clippy::unwrap_used)]

use super::*;

fn data<'a>(
    durations: &'a [f64],
    events: &'a [bool],
    covariates: &'a [&'a [f64]],
) -> RegressionData<'a> {
    RegressionData {
        durations,
        events,
        covariates,
        weights: None,
        strata: None,
    }
}

/// Four subjects, all with the event: times 1, 1, 2, 3 and x = 1, 0, 1, 0.
///
/// Hand calculation, r = e^β. Breslow: at t = 1 both tied events see all four rows,
/// 2β·… : ℓ = β − 2 ln(2r + 2) + β − ln(r + 1) + 0 = 2β − 2 ln 2 − 3 ln(1 + r).
/// Efron: the second tied event at t = 1 sees 2r + 2 − (r + 1)/2 = 1.5 (r + 1), so
/// ℓ = 2β − ln 2 − ln 1.5 − 3 ln(1 + r) = 2β − ln 3 − 3 ln(1 + r).
/// Both: ℓ' = 2 − 3 r / (1 + r) = 0 at r = 2, β̂ = ln 2; ℓ'' = −3 · (2/3)(1/3) = −2/3,
/// se = √(3/2). ℓ(β̂): Breslow −3 ln 3, Efron 2 ln 2 − 4 ln 3; ℓ(0): Breslow −5 ln 2,
/// Efron −ln 3 − 3 ln 2.
fn tiny() -> ([f64; 4], [bool; 4], [f64; 4]) {
    ([1.0, 1.0, 2.0, 3.0], [true; 4], [1.0, 0.0, 1.0, 0.0])
}

#[test]
fn breslow_and_efron_equal_the_hand_calculation() {
    let (t, e, x) = tiny();
    let cols: [&[f64]; 1] = [&x];
    let ln2 = 2f64.ln();
    let ln3 = 3f64.ln();
    for (ties, ll, ll0) in [
        (Ties::Breslow, -3.0 * ln3, -5.0 * ln2),
        (Ties::Efron, 2.0 * ln2 - 4.0 * ln3, -ln3 - 3.0 * ln2),
    ] {
        let fit = cox_ph(
            &data(&t, &e, &cols),
            &CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        )
        .unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        assert!(
            (fit.coefficients[0] - ln2).abs() < 1e-12,
            "{ties:?}: {:?}",
            fit.coefficients
        );
        assert!((fit.standard_errors[0] - 1.5f64.sqrt()).abs() < 1e-10);
        assert!(
            (fit.log_likelihood - ll).abs() < 1e-12,
            "{ties:?}: {}",
            fit.log_likelihood
        );
        assert!((fit.null_log_likelihood - ll0).abs() < 1e-12);
    }
}

/// Same data. Concordance: the comparable pairs (shorter time an event, the
/// two tied events at t = 1 not comparable) are (1a, 2) tied score, (1a, 3)
/// concordant, (1b, 2) discordant, (1b, 3) tied, (2, 3) concordant:
/// C = (2 + 2/2) / 5 = 0.6. Baseline at the mean x̄ = 1/2: e^{(x − x̄)β̂} = √2 for
/// x = 1 and 1/√2 for x = 0, so Ĥ₀(1) = 2 / (2√2 + 2/√2) = √2/3, Ĥ₀(2) = √2/3 +
/// 1/(√2 + 1/√2) = 2√2/3, Ĥ₀(3) = 2√2/3 + √2 = 5√2/3.
#[test]
fn concordance_and_baseline_equal_the_hand_calculation() {
    let (t, e, x) = tiny();
    let cols: [&[f64]; 1] = [&x];
    let fit = cox_ph(&data(&t, &e, &cols), &CoxOptions::default()).unwrap();
    assert!((fit.concordance.unwrap() - 0.6).abs() < 1e-15);
    let r2 = 2f64.sqrt();
    let b = &fit.baselines[0];
    assert_eq!(b.times, [1.0, 2.0, 3.0]);
    for (got, want) in b
        .cumulative_hazard
        .iter()
        .zip([r2 / 3.0, 2.0 * r2 / 3.0, 5.0 * r2 / 3.0])
    {
        assert!((got - want).abs() < 1e-10, "{got} {want}");
    }
    assert_eq!(b.cumulative_hazard_at(0.5), 0.0);
    assert_eq!(b.cumulative_hazard_at(2.5), b.cumulative_hazard[1]);
    // A subject with x = 1: S(2) = exp(−Ĥ₀(2) √2) = exp(−4/3).
    let s = fit.predict_survival(&[1.0], 0, &[2.0]).unwrap();
    assert!((s[0] - (-4.0f64 / 3.0).exp()).abs() < 1e-10);
}

/// Weights 2 on every row give the same coefficients and half the variance,
/// as R's `survival` documents for weights. The likelihood: every term
/// doubles and each of the 6 events' log risk sums gains ln 2 (the sums
/// double), so ℓ₂ = 2ℓ₁ − 2 · 6 ln 2.
#[test]
fn doubling_every_weight_halves_the_variance() {
    let t = [1.0, 2.0, 2.0, 4.0, 5.0, 7.0, 8.0, 9.0];
    let e = [true, true, false, true, true, false, true, true];
    let x = [0.5, 1.5, -0.2, 2.0, 0.1, 0.3, -1.0, 0.7];
    let cols: [&[f64]; 1] = [&x];
    let one = cox_ph(&data(&t, &e, &cols), &CoxOptions::default()).unwrap();
    let w = [2.0; 8];
    let d = RegressionData {
        weights: Some(&w),
        ..data(&t, &e, &cols)
    };
    let two = cox_ph(&d, &CoxOptions::default()).unwrap();
    assert!((one.coefficients[0] - two.coefficients[0]).abs() < 1e-10);
    assert!((two.log_likelihood - (2.0 * one.log_likelihood - 12.0 * 2f64.ln())).abs() < 1e-9);
    assert!((two.covariance[0] - one.covariance[0] / 2.0).abs() < 1e-10);
}

/// x = 1 rows all churn before every x = 0 row, which are censored: the
/// likelihood rises for ever as β → ∞ (monotone likelihood).
#[test]
fn separation_is_a_status_not_a_quiet_fit() {
    let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let e = [true, true, true, false, false, false];
    let x = [1.0, 1.0, 1.0, 0.0, 0.0, 0.0];
    let cols: [&[f64]; 1] = [&x];
    match cox_ph(&data(&t, &e, &cols), &CoxOptions::default()) {
        Ok(fit) => {
            assert_eq!(fit.status, FitStatus::AtBoundary, "{fit:?}");
            assert!(fit.coefficients.iter().all(|b| b.is_finite()));
        }
        Err(err) => assert!(matches!(
            err,
            Error::InvalidArgument {
                name: "covariates",
                ..
            }
        )),
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let t = [1.0, 2.0, 3.0, 4.0];
    let e = [true, false, true, true];
    let x = [1.0, 0.0, 2.0, 0.5];
    let short = [0.0, 1.0];
    let c1: [&[f64]; 1] = [&x];
    let ok = data(&t, &e, &c1);
    let opts = CoxOptions::default();
    let run = |d: RegressionData<'_>| cox_ph(&d, &opts).unwrap_err();
    assert!(matches!(run(data(&[], &[], &c1)), Error::Empty { .. }));
    assert!(matches!(
        run(data(&t, &e[..2], &c1)),
        Error::LengthMismatch {
            column: "events",
            ..
        }
    ));
    assert!(matches!(
        run(data(&[1.0, f64::NAN, 3.0, 4.0], &e, &c1)),
        Error::InvalidValue {
            column: "durations",
            row: 1,
            ..
        }
    ));
    assert!(matches!(
        run(data(&[1.0, 2.0, -3.0, 4.0], &e, &c1)),
        Error::InvalidValue {
            column: "durations",
            row: 2,
            ..
        }
    ));
    let c_short: [&[f64]; 1] = [&short];
    assert!(matches!(
        run(data(&t, &e, &c_short)),
        Error::LengthMismatch {
            column: "covariates",
            ..
        }
    ));
    let nan = [0.0, f64::NAN, 1.0, 2.0];
    let c_nan: [&[f64]; 1] = [&nan];
    assert!(matches!(
        run(data(&t, &e, &c_nan)),
        Error::InvalidValue {
            column: "covariates",
            row: 1,
            ..
        }
    ));
    let constant = [2.0; 4];
    let c_const: [&[f64]; 1] = [&constant];
    assert!(matches!(
        run(data(&t, &e, &c_const)),
        Error::InvalidValue {
            column: "covariates",
            ..
        }
    ));
    let none: [&[f64]; 0] = [];
    assert!(matches!(
        run(data(&t, &e, &none)),
        Error::InvalidArgument {
            name: "covariates",
            ..
        }
    ));
    assert!(matches!(
        run(data(&t, &[false; 4], &c1)),
        Error::InvalidArgument { name: "events", .. }
    ));
    let zero_w = [1.0, 0.0, 1.0, 1.0];
    assert!(matches!(
        run(RegressionData {
            weights: Some(&zero_w),
            ..ok
        }),
        Error::InvalidValue {
            column: "weights",
            row: 1,
            ..
        }
    ));
    assert!(matches!(
        run(RegressionData {
            strata: Some(&[0, 1]),
            ..ok
        }),
        Error::LengthMismatch {
            column: "strata",
            ..
        }
    ));
    let twice = [2.0, 0.0, 4.0, 1.0];
    let collinear: [&[f64]; 2] = [&x, &twice];
    assert!(matches!(
        run(data(&t, &e, &collinear)),
        Error::InvalidArgument {
            name: "covariates",
            ..
        }
    ));
    let bad_level = CoxOptions {
        confidence_level: 1.0,
        ..opts
    };
    assert!(matches!(
        cox_ph(&ok, &bad_level).unwrap_err(),
        Error::InvalidArgument {
            name: "confidence_level",
            ..
        }
    ));
    let fit = cox_ph(&ok, &opts).unwrap();
    assert!(matches!(
        fit.predict_survival(&[1.0, 2.0], 0, &[1.0]),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        fit.predict_survival(&[1.0], 3, &[1.0]),
        Err(Error::InvalidArgument {
            name: "stratum",
            ..
        })
    ));
    assert!(matches!(
        fit.predict_survival(&[f64::NAN], 0, &[1.0]),
        Err(Error::InvalidValue { .. })
    ));
    let zero_t = [0.0, 2.0, 3.0, 4.0];
    let fit0 = cox_ph(&data(&zero_t, &e, &c1), &opts).unwrap();
    assert!(matches!(
        proportional_hazards_test(&fit0, &data(&zero_t, &e, &c1), TimeTransform::Log),
        Err(Error::InvalidValue {
            column: "durations",
            ..
        })
    ));
    let other = [1.0, 2.0];
    assert!(matches!(
        proportional_hazards_test(
            &fit,
            &data(&other, &[true, true], &[&[0.0, 1.0][..]]),
            TimeTransform::Rank
        ),
        Err(Error::InvalidArgument { name: "data", .. })
    ));
}

/// The analytic gradient and Hessian of tied, weighted, stratified data
/// equal central differences; the score residuals add up to the gradient of the partial
/// likelihood at any β, for both tie methods (their defining property, Lin &
/// Wei 1989, section 2), with weights and two strata.
#[test]
fn derivatives_and_score_residuals_are_consistent() {
    let t = [1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 3.0, 3.0, 4.0, 5.0, 5.0, 6.0];
    let e = [
        true, true, false, true, true, true, false, true, true, false, true, true,
    ];
    let x1 = [
        0.5, 1.5, -0.2, 2.0, 0.1, 0.3, -1.0, 0.7, 0.0, 1.2, -0.5, 0.9,
    ];
    let x2 = [1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0];
    let w = [1.0, 2.0, 1.5, 1.0, 0.5, 1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0];
    let s = [0u32, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0];
    let cols: [&[f64]; 2] = [&x1, &x2];
    let d = RegressionData {
        weights: Some(&w),
        strata: Some(&s),
        ..data(&t, &e, &cols)
    };
    let prep = prepare(&d).unwrap();
    let beta = [0.4, -0.7];
    for ties in [Ties::Efron, Ties::Breslow] {
        let g = pass::likelihood(&prep, &beta, ties, false)
            .unwrap()
            .gradient;
        let eta = pass::linear_predictors(&prep, &beta).unwrap();
        let r = pass::score_residuals(&prep, &eta, ties);
        for j in 0..2 {
            let sum: f64 = r.chunks_exact(2).map(|row| row[j]).sum();
            assert!(
                (sum - g[j]).abs() < 1e-12,
                "{ties:?} {j}: {sum} vs {}",
                g[j]
            );
        }
    }
}
