// Reference values are pasted verbatim from the scripts that produced them.
#![allow(clippy::unreadable_literal)]

use super::*;
use crate::Error;

/// Round parameters near lifetimes' fit of the CDNOW summary (no published
/// MBG/NBD estimates on CDNOW are used).
fn fixed() -> MbgNbdParams {
    MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap()
}

#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-300),
        "{a} vs {b} (rel {:e})",
        ((a - b) / b).abs()
    );
}

/// lifetimes 0.11.3's ModifiedBetaGeoFitter with r = 0.525, α = 6.183,
/// a = 0.891, b = 1.614: (x, t_x, T, t, conditional_probability_alive,
/// conditional_expected_number_of_purchases_up_to_time). Pasted from
/// tests/data/models/lifetimes_mbg_nbd.txt, the output of
/// tests/data/models/make_lifetimes_mbg_nbd.py.
#[rustfmt::skip]
const LIFETIMES: &[(u32, f64, f64, f64, f64, f64)] = &[
    (0, 0.0, 38.86, 39.0, 0.3897350809187629, 0.15401274667514553),
    (1, 30.43, 38.86, 39.0, 0.6814168620510375, 0.7532138347172751),
    (2, 6.0, 38.86, 39.0, 0.12994970980265275, 0.2323999434612862),
    (5, 35.0, 36.0, 52.0, 0.8666947314711948, 4.320662933408897),
    (14, 38.0, 39.0, 13.0, 0.9267969578983528, 3.4930964850231057),
    (1, 1.0, 78.0, 1.0, 0.06433502728498276, 0.00116200769810801),
    (0, 0.0, 10.0, 20.0, 0.5222337327821048, 0.28074154186826555),
    (100, 999.0, 1000.0, 52.0, 0.9904027513311022, 5.032703549606789),
    (3, 5.0, 1000.0, 52.0, 6.697787308643634e-07, 1.2010740948259753e-07),
];

#[test]
fn predictions_match_lifetimes() {
    let p = fixed();
    for &(x, tx, t, h, alive, expected) in LIFETIMES {
        close(p.probability_alive(x, tx, t).unwrap(), alive, 1e-12);
        // lifetimes evaluates 2F1 with scipy; our series agrees to 1e-9.
        close(p.expected_purchases(x, tx, t, h).unwrap(), expected, 1e-9);
    }
    // expected_number_of_purchases_up_to_time(t) for a new customer.
    for (h, e) in [
        (1.0, 0.053084795263698685),
        (39.0, 1.1829536655971713),
        (78.0, 1.8047575775531313),
        (500.0, 4.347315337812525),
    ] {
        close(p.expected_purchases_new(h).unwrap(), e, 1e-9);
    }
}

#[test]
fn log_likelihood_by_hand() {
    // r = α = a = b = 1, x = 0, t_x = 0, T = 2: B(1, 2)/B(1, 1) = 1/2;
    // Γ(1) α / Γ(1) = 1; bracket 3^−1 + 1/1 × 1^−1 = 4/3; L = 2/3.
    let p = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    // With x = 1, t_x = 1, T = 2 (L = 17/216, see the doc example) once,
    // then three times.
    let d = RepeatData::new(&[0, 1], &[0.0, 1.0], &[2.0, 2.0], None).unwrap();
    close(
        p.log_likelihood(&d),
        (2.0f64 / 3.0).ln() + (17.0f64 / 216.0).ln(),
        1e-14,
    );
    let d3 = RepeatData::new(&[0, 1], &[0.0, 1.0], &[2.0, 2.0], Some(&[1, 3])).unwrap();
    close(
        p.log_likelihood(&d3),
        (2.0f64 / 3.0).ln() + 3.0 * (17.0f64 / 216.0).ln(),
        1e-14,
    );
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
        fixed(),
        MbgNbdParams::new(2.0, 0.5, 3.0, 0.2).unwrap(),
        MbgNbdParams::new(0.01, 100.0, 0.05, 50.0).unwrap(),
    ] {
        let (ll, g) = ll_and_gradient(&p, &d);
        close(ll, p.log_likelihood(&d), 1e-14);
        crate::models::test_support::assert_gradient(
            |w| {
                MbgNbdParams::new(w[0], w[1], w[2], w[3])
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
    for p in [
        fixed(),
        MbgNbdParams::new(1e-6, 1e-6, 1e-6, 1e-6).unwrap(),
        MbgNbdParams::new(1e6, 1e6, 1e6, 1e6).unwrap(),
        MbgNbdParams::new(1e-3, 1e4, 50.0, 1e-3).unwrap(),
    ] {
        let d = RepeatData::new(&[0, 500], &[0.0, 9_999.0], &[10_000.0, 10_000.0], None).unwrap();
        assert!(p.log_likelihood(&d).is_finite(), "{p:?}");
        let (_, g) = ll_and_gradient(&p, &d);
        assert!(g.iter().all(|x| x.is_finite()), "{p:?} {g:?}");
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
    let p = fixed();
    let arg = |name: &'static str, reason: &str| Error::InvalidArgument {
        name,
        reason: reason.into(),
    };
    let one = MbgNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    let cases: Vec<(&str, Result<f64>, Error)> = vec![
        (
            "recency beyond age",
            p.probability_alive(1, 5.0, 4.0),
            arg("recency", "recency 5 is beyond the age 4"),
        ),
        (
            "recency without repeat",
            p.probability_alive(0, 1.0, 4.0),
            arg(
                "recency",
                "recency 1 with no repeat purchase (it must be 0)",
            ),
        ),
        (
            "age NaN",
            p.expected_purchases(1, 1.0, f64::NAN, 1.0),
            arg("age", "age NaN must be finite and non-negative"),
        ),
        (
            "negative horizon",
            p.expected_purchases(1, 1.0, 2.0, -1.0),
            arg("horizon", "-1 must be finite and non-negative"),
        ),
        (
            "a = 1",
            one.expected_purchases_new(1.0),
            arg(
                "a",
                "the expected-purchases formula divides by a − 1, so a = 1 is not supported",
            ),
        ),
        (
            "a = 1, conditional",
            one.expected_purchases(1, 1.0, 2.0, 1.0),
            arg(
                "a",
                "the expected-purchases formula divides by a − 1, so a = 1 is not supported",
            ),
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
    assert_eq!(
        MbgNbdParams::new(1.0, f64::INFINITY, 1.0, 1.0).unwrap_err(),
        arg("alpha", "inf must be finite and positive")
    );
    let d = RepeatData::new(&[1], &[1.0], &[2.0], None).unwrap();
    assert_eq!(
        fit_mbg_nbd(
            &d,
            &FitOptions {
                penalizer: f64::NAN,
                ..FitOptions::default()
            }
        )
        .unwrap_err(),
        arg("penalizer", "NaN must be finite and non-negative")
    );
}

/// Issue 19: the MBG/NBD shared the BG/NBD's cancellation at r = a = 1e-12,
/// α = b = 1e12. By hand as for the BG/NBD (bg_nbd tests): p is ~1e-24, so
/// P(alive) = 1/(1 + a/(b + x) ((α + T)/(α + t_x))^{r+x}) = 1 − O(1e-24)
/// and E[Y(t)] → (r + x) t/(α + T); a new customer also survives the first
/// flip (b/(a + b) = 1 − 1e-24), so E[X(t)] → r t/α.
#[test]
fn extreme_parameters_give_the_nbd_limit_not_a_negative_count() {
    let p = MbgNbdParams::new(1e-12, 1e12, 1e-12, 1e12).unwrap();
    let close = |a: f64, b: f64| assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
    for (x, tx, t) in [(1_000_000u32, 50.0, 52.0), (2, 30.0, 52.0), (0, 0.0, 52.0)] {
        assert!((p.probability_alive(x, tx, t).unwrap() - 1.0).abs() < 1e-15);
        for h in [1.0, 52.0, 1e4] {
            let want = (1e-12 + f64::from(x)) * h / (1e12 + t);
            close(p.expected_purchases(x, tx, t, h).unwrap(), want);
        }
    }
    close(p.expected_purchases_new(52.0).unwrap(), 1e-12 * 52.0 / 1e12);
}

#[test]
fn the_largest_count_is_a_probability_not_an_overflow() {
    // Issue 19 fuzz finding: n + k₀ overflowed u32 at n = u32::MAX (k₀ = 1
    // for the MBG/NBD). With the fixed parameters, E[X(39)] is about 1, so
    // P(X(39) = 2³² − 1) is 0 in f64 (a tail far beyond the mean).
    let p = fixed();
    assert_eq!(p.probability_of_purchases_new(39.0, u32::MAX).unwrap(), 0.0);
    assert_eq!(
        p.probability_of_purchases(2, 30.0, 39.0, 39.0, u32::MAX)
            .unwrap(),
        0.0
    );
    // A subnormal b: b + (n + k₀ − 1) at n = 0 is b, not (b + 1) − 1 = 0
    // (a Γ(0) pole). P(X(t) = 0) is then the drop-out at the first flip,
    // E[p] = a/(a + b) → 1, plus staying with no purchase, → 0.
    let q = MbgNbdParams::new(0.243, 4.414, 0.793, 1e-310).unwrap();
    let p0 = q.probability_of_purchases_new(39.0, 0).unwrap();
    assert!((p0 - 1.0).abs() < 1e-12, "{p0}");
}
