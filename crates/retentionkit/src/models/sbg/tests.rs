use super::*;
use crate::optim::FitStatus;
use crate::Error;

/// Fader & Hardie (2007), "How to Project Customer Retention", table 1:
/// customers of 1,000 still active at the start of years 0..12.
const REGULAR: [u64; 13] = [
    1000, 631, 468, 382, 326, 289, 262, 241, 223, 207, 194, 183, 173,
];
const HIGH_END: [u64; 13] = [
    1000, 869, 743, 653, 593, 551, 517, 491, 468, 445, 427, 409, 394,
];

fn round3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

#[test]
fn reproduces_fader_hardie_2007_on_the_first_eight_years() {
    // Published (section "Estimating the model", fitted on years 0..7):
    // Regular α = 0.704, β = 1.182; High End α = 0.668, β = 3.806.
    for (data, alpha, beta) in [(&REGULAR, 0.704, 1.182), (&HIGH_END, 0.668, 3.806)] {
        let d = SbgData::from_survivors(&data[..8]).unwrap();
        let fit = fit_sbg(&d, &FitOptions::default()).unwrap();
        assert_eq!(fit.status, FitStatus::Converged);
        assert_eq!(
            (round3(fit.params.alpha), round3(fit.params.beta)),
            (alpha, beta)
        );
        // The projection of years 8..12 (not used by the fit) stays within
        // 5 % of the actual counts: the paper's point that the model
        // extrapolates well (we see at most 1.7 % for Regular, 4.1 % for
        // High End with the published parameters).
        for (t, &actual) in data.iter().enumerate().skip(8) {
            let projected = 1000.0 * fit.params.survival(u32::try_from(t).unwrap());
            let err = (projected - actual as f64).abs() / actual as f64;
            assert!(err < 0.05, "year {t}: {projected} vs {actual}");
        }
        let se = fit.standard_errors.unwrap();
        assert!(se.alpha > 0.0 && se.beta > se.alpha * 0.1);
    }
}

#[test]
fn log_likelihood_by_hand() {
    // α = β = 1, survivors 10, 6, 4: P(T=1) = 1/2, P(T=2) = S(1) α/(α+β+1) =
    // 1/2 × 1/3 = 1/6, S(2) = 1/2 × 2/3 = 1/3.
    // LL = 4 ln(1/2) + 2 ln(1/6) + 4 ln(1/3) = −10.75055681536833 (Python).
    let d = SbgData::from_survivors(&[10, 6, 4]).unwrap();
    let p = SbgParams::new(1.0, 1.0).unwrap();
    assert!((p.log_likelihood(&d) + 10.750_556_815_368_33).abs() < 1e-12);
    assert!((p.churn_probability(2) - 1.0 / 6.0).abs() < 1e-15);
    assert!((p.survival(2) - 1.0 / 3.0).abs() < 1e-15);
    assert_eq!(p.churn_probability(0), 0.0);
}

#[test]
fn gradient_matches_finite_differences() {
    let s = &REGULAR[..];
    for (a, b) in [(0.704, 1.182), (0.05, 20.0), (30.0, 0.3), (1.0, 1.0)] {
        let (_, g) = ll_and_gradient(a, b, s);
        for (k, gk) in g.iter().enumerate() {
            let h = 1e-6 * if k == 0 { a } else { b };
            let at = |d: f64| {
                if k == 0 {
                    ll_and_gradient(a + d, b, s).0
                } else {
                    ll_and_gradient(a, b + d, s).0
                }
            };
            let fd = (at(h) - at(-h)) / (2.0 * h);
            assert!(
                (fd - gk).abs() <= 1e-5 * gk.abs().max(1.0),
                "α {a} β {b} component {k}: {gk} vs {fd}"
            );
        }
    }
}

#[test]
fn retention_rates_rise_and_multiply_to_survival() {
    let p = SbgParams::new(0.704, 1.182).unwrap();
    let mut s = 1.0;
    for t in 1..=40 {
        s *= p.retention_rate(t);
        assert!((p.survival(t) - s).abs() < 1e-14);
        assert!(p.retention_rate(t + 1) > p.retention_rate(t));
        // S(t−1) − S(t) = P(T = t).
        assert!((p.survival(t - 1) - p.survival(t) - p.churn_probability(t)).abs() < 1e-14);
    }
    // r(1) = β / (α + β) = 1.182 / 1.886.
    assert!((p.retention_rate(1) - 1.182 / 1.886).abs() < 1e-15);
}

#[test]
fn derl_equals_the_discounted_sum_of_conditional_survival() {
    // DERL(n − 1 renewals) = Σ_{k≥0} S(n + k) / S(n − 1) / (1 + d)^k, summed
    // here term by term from `survival` for 600 terms (the tail is below
    // 1.1^-600 < 1e-24 of the first term for these discount rates).
    for (a, b) in [(0.704, 1.182), (0.668, 3.806), (3.0, 0.5)] {
        let p = SbgParams::new(a, b).unwrap();
        for d in [0.1, 0.25] {
            for renewals in [0u32, 3, 10] {
                let n = renewals + 1;
                let direct: f64 = (0..600u32)
                    .map(|k| {
                        p.survival(n + k)
                            / p.survival(n - 1)
                            / (1.0f64 + d).powi(i32::try_from(k).unwrap())
                    })
                    .sum();
                let derl = p.derl(d, renewals).unwrap();
                assert!(
                    (derl - direct).abs() < 1e-9 * direct,
                    "{a} {b} {d} {renewals}"
                );
            }
        }
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let arg = |name: &'static str, reason: &str| Error::InvalidArgument {
        name,
        reason: reason.into(),
    };
    let cases: Vec<(&str, Result<SbgData>, Error)> = vec![
        (
            "too short",
            SbgData::from_survivors(&[10, 5]),
            arg(
                "survivors",
                "need the start count and at least two periods, got 2 counts",
            ),
        ),
        (
            "zero start",
            SbgData::from_survivors(&[0, 0, 0]),
            arg("survivors", "the start count is 0"),
        ),
        (
            "rising",
            SbgData::from_survivors(&[10, 5, 6]),
            arg(
                "survivors",
                "6 survivors after period 2 exceed the 5 after period 1",
            ),
        ),
        (
            "no churn",
            SbgData::from_survivors(&[10, 10, 10]),
            arg(
                "survivors",
                "nobody churned, so the churn distribution cannot be estimated",
            ),
        ),
        (
            "all churn at once",
            SbgData::from_survivors(&[10, 0, 0]),
            arg(
                "survivors",
                "everybody churned in the first period, so the model cannot be identified",
            ),
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
    assert_eq!(
        SbgParams::new(f64::NAN, 1.0).unwrap_err(),
        arg("alpha", "NaN must be finite and positive")
    );
    assert_eq!(
        SbgParams::new(1.0, 0.0).unwrap_err(),
        arg("beta", "0 must be finite and positive")
    );
    let p = SbgParams::new(1.0, 1.0).unwrap();
    assert_eq!(
        p.derl(0.0, 0).unwrap_err(),
        arg("discount", "0 must be finite and positive")
    );
    let d = SbgData::from_survivors(&REGULAR).unwrap();
    let o = FitOptions {
        penalizer: -1.0,
        ..FitOptions::default()
    };
    assert_eq!(
        fit_sbg(&d, &o).unwrap_err(),
        arg("penalizer", "-1 must be finite and non-negative")
    );
}

#[test]
fn a_penalty_shrinks_the_parameters_and_the_iteration_limit_is_a_status() {
    let d = SbgData::from_survivors(&HIGH_END[..8]).unwrap();
    let free = fit_sbg(&d, &FitOptions::default()).unwrap();
    let o = FitOptions {
        penalizer: 0.01,
        ..FitOptions::default()
    };
    let shrunk = fit_sbg(&d, &o).unwrap();
    assert_eq!(shrunk.status, FitStatus::Converged);
    assert!(shrunk.params.beta < free.params.beta);
    assert!(shrunk.log_likelihood < free.log_likelihood);

    let o = FitOptions {
        max_iterations: 2,
        ..FitOptions::default()
    };
    let cut = fit_sbg(&d, &o).unwrap();
    assert_eq!(cut.status, FitStatus::MaxIterations);
    assert!(cut.params.alpha.is_finite() && cut.log_likelihood.is_finite());
}

#[test]
fn survival_at_billions_of_periods_is_closed_form_and_fast() {
    // Issue 19, fuzz input regression-sbg-survival-hang: S(t) summed one
    // term per period took minutes at t ≈ 2.9e9. α = β = 1: S(t) =
    // B(1, 1 + t)/B(1, 1) = 1/(t + 1); α = 2, β = 1: S(t) = B(2, 1 + t)/B(2, 1)
    // = 2/((t + 1)(t + 2)) (module doc, Γ by hand).
    let t = 2_900_000_000u32;
    let tf = f64::from(t);
    let uniform = SbgParams::new(1.0, 1.0).unwrap();
    let got = uniform.survival(t);
    assert!((got - 1.0 / (tf + 1.0)).abs() <= 1e-12 / tf, "{got}");
    let p = SbgParams::new(2.0, 1.0).unwrap();
    let want = 2.0 / ((tf + 1.0) * (tf + 2.0));
    assert!((p.survival(t) - want).abs() <= 1e-12 * want);
    // P(T = t) = S(t − 1) − S(t) = 2/(t (t + 1)) − 2/((t + 1)(t + 2)) = 4/(t (t + 1)(t + 2)).
    let want = 4.0 / (tf * (tf + 1.0) * (tf + 2.0));
    assert!((p.churn_probability(t) - want).abs() <= 1e-12 * want);
}

#[test]
fn survival_tail_matches_the_term_by_term_sum() {
    // Just past the EXACT_TERMS terms added one by one, the Euler–Maclaurin
    // tail must agree with adding every term (the recursion of the module doc).
    for (a, b) in [(0.704, 1.182), (3.0, 0.01), (1e-3, 1e6), (50.0, 1e5)] {
        let p = SbgParams::new(a, b).unwrap();
        let t = 3 * EXACT_TERMS + 7;
        let exact: f64 = (0..t).map(|i| -(a / (b + f64::from(i))).ln_1p()).sum();
        let got = p.ln_survival(t);
        assert!(
            (got - exact).abs() <= 1e-11 * exact.abs().max(1.0),
            "α = {a}, β = {b}: {got} vs {exact}"
        );
    }
}

#[test]
fn tiny_and_huge_shapes_give_probabilities() {
    // Issue 19: at α = β = 3.5e-310, (β + 1) − 1 = 0 made 0/0 = NaN. The
    // first retention rate is β/(α + β) = 1/2 for α = β, at any scale
    // (here also near f64::MAX, where α + β overflows).
    for v in [3.5e-310, 1e308] {
        let p = SbgParams::new(v, v).unwrap();
        assert_eq!(p.retention_rate(0), 0.5);
        assert_eq!(p.retention_rate(1), 0.5);
        assert!((p.survival(1) - 0.5).abs() < 1e-15);
        assert!((p.churn_probability(1) - 0.5).abs() < 1e-15);
        let derl = p.derl(0.1, 0).unwrap();
        // DERL ≥ its first term S(1)/S(0) = 1/2, and ≤ Σ zᵏ = (1 + d)/d = 11.
        assert!((0.5..=11.0).contains(&derl), "{derl}");
    }
    // α tiny against β: θ ≈ 0, nobody leaves: S(t) → 1.
    let p = SbgParams::new(3.5e-310, 1.0).unwrap();
    assert_eq!(p.survival(4_000_000_000), 1.0);
}
