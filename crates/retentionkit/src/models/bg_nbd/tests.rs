// Reference values are pasted verbatim from the scripts that produced them.
#![allow(clippy::unreadable_literal)]

use super::*;
use crate::Error;

/// Fader, Hardie & Lee (2005), table 1 / section 4: the BG/NBD estimates on
/// the CDNOW calibration data (weeks).
fn published() -> BgNbdParams {
    BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap()
}

#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-300),
        "{a} vs {b} (rel {:e})",
        ((a - b) / b).abs()
    );
}

/// lifetimes 0.11.3 with the published parameters: (x, t_x, T, t,
/// conditional_probability_alive, conditional_expected_number_of_purchases_up_to_time).
/// Pasted from tests/data/models/lifetimes_bg_nbd.txt, the output of
/// tests/data/models/make_lifetimes_reference.py.
#[rustfmt::skip]
const LIFETIMES: &[(u32, f64, f64, f64, f64, f64)] = &[
    (0, 0.0, 38.86, 39.0, 1.0, 0.19509805201125396),
    (1, 30.43, 38.86, 39.0, 0.7003266391230334, 0.6708939117935566),
    (2, 6.0, 38.86, 39.0, 0.15038228957982594, 0.2537549710424099),
    (5, 35.0, 36.0, 52.0, 0.8766324860673438, 4.441919671112544),
    (14, 38.0, 39.0, 13.0, 0.933147531434161, 3.6178739896014185),
    (1, 1.0, 78.0, 1.0, 0.09395920108133307, 0.0014135207584804702),
    (500, 9999.0, 10000.0, 52.0, 0.9983401774334395, 2.5904879541137396),
    (3, 5.0, 10000.0, 52.0, 8.551974452913428e-10, 1.4395121307084923e-11),
];

#[test]
fn predictions_match_lifetimes() {
    let p = published();
    for &(x, tx, t, h, alive, expected) in LIFETIMES {
        close(p.probability_alive(x, tx, t).unwrap(), alive, 1e-12);
        // lifetimes evaluates 2F1 with scipy; our series agrees to 1e-9.
        close(p.expected_purchases(x, tx, t, h).unwrap(), expected, 1e-9);
    }
    // expected_number_of_purchases_up_to_time(t) for a new customer.
    for (h, e) in [
        (1.0, 0.053_267_891_171_656_27),
        (39.0, 1.196_723_193_320_798_5),
        (78.0, 1.860_519_057_942_745_5),
        (500.0, 4.887_868_155_290_883),
    ] {
        close(p.expected_purchases_new(h).unwrap(), e, 1e-9);
    }
}

#[test]
fn probability_alive_by_hand() {
    // r = α = a = b = 1, x = 2, t_x = 2, T = 5:
    // a/(b + x − 1) = 1/2; ((α + T)/(α + t_x))^(r + x) = (6/3)³ = 8;
    // P = 1 / (1 + 4) = 0.2.
    let p = BgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    close(p.probability_alive(2, 2.0, 5.0).unwrap(), 0.2, 1e-15);
    // A purchase at the end of the window: (α + T)/(α + t_x) = 1, P = 1/(1 + 1/2).
    close(p.probability_alive(2, 5.0, 5.0).unwrap(), 2.0 / 3.0, 1e-15);
}

/// The likelihood of the module doc, row by row with ln Γ directly: an
/// independent check of the table-driven `ll_and_gradient`.
fn direct_ll(p: &BgNbdParams, x: f64, tx: f64, t: f64) -> f64 {
    let BgNbdParams { r, alpha, a, b } = *p;
    let common = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + x)
        - ln_gamma(b)
        - ln_gamma(a + b + x);
    let t1 = -(r + x) * (alpha + t).ln();
    if x == 0.0 {
        return common + t1;
    }
    let t2 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + tx).ln();
    common + (t1.exp() + t2.exp()).ln()
}

#[test]
fn log_likelihood_equals_the_row_by_row_formula() {
    let (x, tx, t) = (
        [0u32, 1, 1, 2, 7, 30, 2],
        [0.0, 5.0, 5.0, 20.0, 37.0, 38.5, 1.0],
        [39.0, 39.0, 12.0, 25.0, 39.0, 39.0, 39.0],
    );
    let w = [1000u64, 200, 3, 50, 7, 1, 2];
    let d = RepeatData::new(&x, &tx, &t, Some(&w)).unwrap();
    for p in [published(), BgNbdParams::new(2.0, 0.5, 3.0, 0.2).unwrap()] {
        let want: f64 = (0..x.len())
            .map(|i| w[i] as f64 * direct_ll(&p, f64::from(x[i]), tx[i], t[i]))
            .sum();
        close(p.log_likelihood(&d), want, 1e-12);
    }
}

#[test]
fn log_likelihood_by_hand() {
    // r = α = a = b = 1, one customer with x = 1, t_x = 1, T = 2:
    // B(a, b + x)/B(a, b) = B(1, 2)/B(1, 1) = 1/2; Γ(r + x) α^r / Γ(r) = 1;
    // first term 1/2 × (1 + 2)^−2 = 1/18; second B(2, 1)/B(1, 1) = 1/2,
    // × (1 + 1)^−2 = 1/8. L = 1/18 + 1/8 = 13/72.
    let p = BgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    let d = RepeatData::new(&[1], &[1.0], &[2.0], None).unwrap();
    close(p.log_likelihood(&d), (13.0f64 / 72.0).ln(), 1e-14);
    // A weight counts the row that many times.
    let d3 = RepeatData::new(&[1], &[1.0], &[2.0], Some(&[3])).unwrap();
    close(p.log_likelihood(&d3), 3.0 * (13.0f64 / 72.0).ln(), 1e-14);
}

#[test]
fn gradient_matches_finite_differences() {
    let d = RepeatData::new(
        &[0, 1, 2, 7, 30, 500],
        &[0.0, 5.0, 20.0, 37.0, 38.5, 9999.0],
        &[39.0, 39.0, 25.0, 39.0, 39.0, 10_000.0],
        Some(&[1000, 200, 50, 7, 1, 1]),
    )
    .unwrap();
    for p in [
        published(),
        BgNbdParams::new(2.0, 0.5, 3.0, 0.2).unwrap(),
        BgNbdParams::new(0.01, 100.0, 0.05, 50.0).unwrap(),
    ] {
        let (_, g) = ll_and_gradient(&p, &d);
        crate::models::test_support::assert_gradient(
            |w| {
                BgNbdParams::new(w[0], w[1], w[2], w[3])
                    .unwrap()
                    .log_likelihood(&d)
            },
            &g,
            &[p.r, p.alpha, p.a, p.b],
            1e-4,
        );
    }
}

#[test]
fn extremes_stay_finite() {
    // x = 500, T = 10,000 and tiny and huge parameters: never NaN.
    for p in [
        published(),
        BgNbdParams::new(1e-6, 1e-6, 1e-6, 1e-6).unwrap(),
        BgNbdParams::new(1e6, 1e6, 1e6, 1e6).unwrap(),
        BgNbdParams::new(1e-3, 1e4, 50.0, 1e-3).unwrap(),
    ] {
        let d = RepeatData::new(&[0, 500], &[0.0, 9_999.0], &[10_000.0, 10_000.0], None).unwrap();
        assert!(p.log_likelihood(&d).is_finite(), "{p:?}");
        for (x, tx) in [(0, 0.0), (500, 9_999.0), (500, 1.0)] {
            let a = p.probability_alive(x, tx, 10_000.0).unwrap();
            assert!((0.0..=1.0).contains(&a), "{p:?} {x} {tx}: {a}");
            if let Ok(e) = p.expected_purchases(x, tx, 10_000.0, 52.0) {
                assert!(e.is_finite() && e >= 0.0, "{p:?} {x} {tx}: {e}");
            }
        }
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let p = published();
    let arg = |name: &'static str, reason: &str| Error::InvalidArgument {
        name,
        reason: reason.into(),
    };
    assert_eq!(
        p.probability_alive(1, 5.0, 4.0).unwrap_err(),
        arg("recency", "recency 5 is beyond the age 4")
    );
    assert_eq!(
        p.probability_alive(0, 1.0, 4.0).unwrap_err(),
        arg(
            "recency",
            "recency 1 with no repeat purchase (it must be 0)"
        )
    );
    assert_eq!(
        p.expected_purchases(1, 1.0, f64::NAN, 1.0).unwrap_err(),
        arg("age", "age NaN must be finite and non-negative")
    );
    assert_eq!(
        p.expected_purchases(1, 1.0, 2.0, -1.0).unwrap_err(),
        arg("horizon", "-1 must be finite and non-negative")
    );
    // a = 1, where FHL's closed form divides by a − 1 = 0, is answered by
    // the sum over the purchases K before drop-out: with r = α = t = 1, K is
    // geometric, P(K = k) = (1/2)^{k+1}, and with a = b = 1 the expected
    // purchases given K = k are h(k) = Σ_{j<k} (1)_j/(2)_j = H_k (harmonic
    // numbers), so E[X(1)] = Σ_k (1/2)^{k+1} H_k = ½ · (−ln(1 − ½))/(1 − ½) =
    // ln 2 (the generating function Σ H_k z^k = −ln(1 − z)/(1 − z)).
    let one = BgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    assert!((one.expected_purchases_new(1.0).unwrap() - std::f64::consts::LN_2).abs() < 1e-14);
    // a + b < 1 (a replicate of a small data set can get there): the sum
    // needs no a + b + x > 1 either. A customer with x = 0 at T = 0 is a new
    // one, so both calls agree.
    let low = BgNbdParams::new(0.5, 2.0, 0.3, 0.4).unwrap();
    let new = low.expected_purchases_new(3.0).unwrap();
    // Against the mean of FHL eq. 8's pmf (z = 3/5: the terms past n = 200
    // are below 0.6^200).
    let mean: f64 = (0..200u32)
        .map(|n| f64::from(n) * low.probability_of_purchases_new(3.0, n).unwrap())
        .sum();
    assert!((new - mean).abs() < 1e-10 * mean, "{new} against {mean}");
    assert!((low.expected_purchases(0, 0.0, 0.0, 3.0).unwrap() - new).abs() <= 1e-14 * new);
    assert_eq!(
        BgNbdParams::new(1.0, -1.0, 1.0, 1.0).unwrap_err(),
        arg("alpha", "-1 must be finite and positive")
    );

    let cases: Vec<(&str, Result<RepeatData>, Error)> = vec![
        (
            "empty",
            RepeatData::new(&[], &[], &[], None),
            Error::Empty {
                what: "repeat-purchase data",
            },
        ),
        (
            "length",
            RepeatData::new(&[1, 2], &[1.0], &[2.0, 3.0], None),
            Error::LengthMismatch {
                column: "recency",
                expected: 2,
                got: 1,
            },
        ),
        (
            "weights length",
            RepeatData::new(&[1], &[1.0], &[2.0], Some(&[1, 1])),
            Error::LengthMismatch {
                column: "weight",
                expected: 1,
                got: 2,
            },
        ),
        (
            "negative age",
            RepeatData::new(&[1, 0], &[1.0, 0.0], &[2.0, -1.0], None),
            Error::InvalidValue {
                column: "age",
                row: 1,
                reason: "age -1 must be finite and non-negative".into(),
            },
        ),
        (
            "negative recency",
            RepeatData::new(&[1], &[-1.0], &[2.0], None),
            Error::InvalidValue {
                column: "recency",
                row: 0,
                reason: "recency -1 must be finite and non-negative".into(),
            },
        ),
        (
            "repeats at time 0",
            RepeatData::new(&[2], &[0.0], &[2.0], None),
            Error::InvalidValue {
                column: "recency",
                row: 0,
                reason: "recency 0 with 2 repeat purchases (they come after the first)".into(),
            },
        ),
        (
            "no repeat purchase",
            RepeatData::new(&[0, 0], &[0.0, 0.0], &[2.0, 3.0], None),
            arg(
                "frequency",
                "no customer made a repeat purchase, so the model cannot be identified",
            ),
        ),
        (
            "all weights 0",
            RepeatData::new(&[1], &[1.0], &[2.0], Some(&[0])),
            arg("weights", "every weight is 0"),
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
}

/// Issue 19: at r = a = 1e-12, α = b = 1e12 the closed form of FHL eq. 10
/// cancelled to −889 for x = 1e6, t_x = 50, T = 52 and to about −9e-4 for
/// ordinary customers. Hand derivation of the right answer: with a → 0 (and
/// b huge) the drop-out probability p ~ beta(a, b + x) is ~1e-24, so
/// P(alive) = 1/(1 + a/(b + x − 1) ((α + T)/(α + t_x))^{r+x}) = 1 − O(1e-24)
/// and a customer alive at T keeps buying at rate λ ~ gamma(r + x, α + T):
/// E[Y(t)] → (r + x) t/(α + T), the NBD mean, up to a relative O(t²/α²·…)
/// well below 1e-12 here.
#[test]
fn extreme_parameters_give_the_nbd_limit_not_a_negative_count() {
    let p = BgNbdParams::new(1e-12, 1e12, 1e-12, 1e12).unwrap();
    for (x, tx, t) in [(1_000_000u32, 50.0, 52.0), (2, 30.0, 52.0)] {
        assert!((p.probability_alive(x, tx, t).unwrap() - 1.0).abs() < 1e-15);
        for h in [1.0, 52.0, 1e4] {
            let want = (1e-12 + f64::from(x)) * h / (1e12 + t);
            close(p.expected_purchases(x, tx, t, h).unwrap(), want, 1e-9);
        }
    }
    // A new customer: E[X(t)] → r t/α.
    close(
        p.expected_purchases_new(52.0).unwrap(),
        1e-12 * 52.0 / 1e12,
        1e-9,
    );
}

/// Issue 19: four customers (the `fit_bg_nbd` doc example) whose likelihood
/// keeps rising towards the model without drop-out (a → 0 while b grows:
/// the search stops near a = 5e-7, b = 3e4, with no standard errors) and
/// was called `converged`. It is `at_boundary` now (docs/metrics.md, "Fit
/// status").
#[test]
fn a_fit_that_runs_off_to_a_limit_model_is_at_boundary() {
    let data = RepeatData::new(
        &[0, 1, 3, 5],
        &[0.0, 10.0, 20.0, 30.0],
        &[30.0, 30.0, 30.0, 31.0],
        None,
    )
    .unwrap();
    let fit = fit_bg_nbd(&data, &FitOptions::default()).unwrap();
    assert_eq!(fit.status, crate::optim::FitStatus::AtBoundary, "{fit:?}");
    assert!(fit.params.a < 1e-4, "{fit:?}");
}

#[test]
fn discounted_purchases_at_extreme_parameters_are_non_negative() {
    // Issue 19, fuzz input regression-bg-nbd-negative-discounted: r = a =
    // 1e-12, α = b = 1e12, x = 2, t_x = 5, T = 10, 12 months of 30 days at
    // 1 % (ClvOptions::default()). Drop-out is negligible (a/(a + b) =
    // 1e-24) and λ | data ~ gamma(r + x, α + T) has mean 2/(1e12 + 10), so
    // E[Y(h)] = 2h/1e12 to ~1e-11 and the discounted sum is 60e-12 × the
    // 12-month annuity factor (1 − 1.01⁻¹²)/0.01.
    let p = BgNbdParams::new(1e-12, 1e12, 1e-12, 1e12).unwrap();
    let got = RepeatModel::discounted_purchases(&p, &[2], &[5.0], &[10.0], &ClvOptions::default())
        .unwrap();
    let want = 60e-12 * (1.0 - 1.01f64.powi(-12)) / 0.01;
    assert!((got[0] - want).abs() <= 1e-9 * want, "{got:?} vs {want}");
}

#[test]
fn expected_purchases_new_at_a_vanishing_alpha_is_never_negative() {
    // Issue 19: r = 0.243, α = 2.46e-308, a = 5.6e-8, b = 1.73e19 gave
    // −263725. With α → 0 the purchase rates are ~r/α = 1e307 and, a being
    // below 1, E[(1 − p)/p] = b/(a − 1) diverges: the expectation is
    // astronomically large and not computable in f64, so an error is the
    // only right answer; a value, if any, must be ≥ 0.
    let p = BgNbdParams::new(0.243, 2.46e-308, 5.6e-8, 1.73e19).unwrap();
    for h in [1e-300, 1e-10, 1.0, 39.0, 1e10, 1e300] {
        if let Ok(e) = p.expected_purchases_new(h) {
            assert!(e.is_finite() && e >= 0.0, "horizon {h}: {e}");
        }
    }
}

#[test]
fn probability_alive_at_subnormal_a_and_b() {
    // Module doc: P = 1/(1 + a/(b + x − 1) ((α + T)/(α + t_x))^{r+x}); with
    // x = 1 and t_x = T that is 1/(1 + a/b) = 1/2 for a = b, at any scale.
    // (b + 1) − 1 = 0 for b = 1e-310 used to give P = 0.
    let p = BgNbdParams::new(0.243, 4.414, 1e-310, 1e-310).unwrap();
    assert!((p.probability_alive(1, 20.0, 20.0).unwrap() - 0.5).abs() < 1e-12);
}

#[test]
#[cfg(feature = "simulate")]
fn large_data_warm_start_lands_on_the_cold_fit() {
    // 60,000 simulated customers at FHL 2005's CDNOW estimates, ages spread
    // over 27–39 weeks in continuous time: every row distinct, above
    // SAMPLE_ABOVE, so fit_bg_nbd starts from a fit on every 3rd row. The
    // cold fit (the same objective from the usual starts, no sample) and
    // the warm one both end with the Newton polish: the same optimum.
    let ages: Vec<f64> = (0..60_000)
        .map(|i| 27.0 + f64::from(i % 1_200) / 100.0)
        .collect();
    let sim = crate::models::simulate::bg_nbd(&published(), &ages, 7).unwrap();
    let d = RepeatData::new(&sim.frequency, &sim.recency, &sim.age, None).unwrap();
    assert!(d.len() > crate::models::data::SAMPLE_ABOVE);
    let o = FitOptions::default();
    let warm = fit_bg_nbd(&d, &o).unwrap();
    let cold =
        crate::optim::fit_positive(&log_likelihood_fn(&d), d.customers(), &starts(&d), &o).unwrap();
    assert_eq!(warm.status, FitStatus::Converged);
    let w = [
        warm.params.r,
        warm.params.alpha,
        warm.params.a,
        warm.params.b,
    ];
    for (a, b) in w.iter().zip(&cold.params) {
        assert!((a - b).abs() <= 1e-9 * b, "{w:?} vs {:?}", cold.params);
    }
    let se = warm.standard_errors.unwrap();
    let cold_se = cold.standard_errors.unwrap();
    assert!((se.r - cold_se[0]).abs() <= 1e-6 * cold_se[0]);
}
