// Reference values are pasted verbatim from the scripts that produced them.
#![allow(clippy::unreadable_literal)]

use super::*;
use crate::Error;

/// Fader, Hardie & Shang (2010), the BG/BB estimates on the donations data.
fn published() -> BgBbParams {
    BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap()
}

#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-300),
        "{a} vs {b} (rel {:e})",
        ((a - b) / b).abs()
    );
}

/// lifetimes 0.11.3 with the published parameters: (x, t_x, n, n*, ln L
/// from scipy's betaln, lifetimes' conditional_probability_alive(1, x, t_x, n)
/// and conditional_expected_number_of_purchases_up_to_time(n*, x, t_x, n),
/// then FHS eqs. 11 and 13 evaluated with scipy's betaln and gammaln).
/// Pasted from tests/data/models/lifetimes_bg_bb.txt, the output of
/// tests/data/models/make_lifetimes_bg_bb.py.
type Row = (u32, u32, u32, u32, f64, f64, f64, f64, f64);
#[rustfmt::skip]
const LIFETIMES: &[Row] = &[
    (0, 0, 6, 1, -1.167262472673893, 0.10801658416867378, 0.01635051135769213, 0.10801658416867414, 0.016350511357692197),
    (0, 0, 6, 5, -1.167262472673893, 0.10801658416867378, 0.07280287747504345, 0.10801658416867414, 0.07280287747504373),
    (1, 1, 6, 5, -2.2885316856662574, 0.06940809320654888, 0.08563539833787007, 0.06940809320654971, 0.08563539833787111),
    (1, 6, 6, 5, -4.8841455419033455, 0.9304025423727351, 1.1479265406924992, 0.9304025423728822, 1.1479265406926809),
    (3, 4, 6, 5, -5.059307947411104, 0.43946285705567345, 1.034228498420919, 0.4394628570557562, 1.0342284984211148),
    (6, 6, 6, 5, -2.1822484476183, 0.930402542372872, 3.752115607599819, 0.9304025423728814, 3.752115607599859),
    (6, 6, 6, 1, -2.1822484476183, 0.930402542372872, 0.8426728583422401, 0.9304025423728814, 0.8426728583422491),
    (2, 3, 10, 20, -4.779721267083653, 0.05693587715333884, 0.22360667832286543, 0.05693587715334692, 0.2236066783228975),
    (0, 0, 1, 3, -0.6901322826478584, 0.5275522517647898, 0.573839859934905, 0.5275522517647914, 0.5738398599349067),
    (1, 1, 1, 3, -0.6961711955755143, 0.852027027027024, 1.6965384434310842, 0.8520270270270264, 1.6965384434310886),
    (25, 40, 50, 100, -33.67099604944725, 0.005389093945688736, 0.1854261332645841, 0.008101800255682887, 0.2787640202663608),
    (2, 5, 200, 10, -6.807719251346381, 4.682636930303714e-06, 7.323828568299222e-07, 4.682636930308796e-06, 7.323828568307168e-07),
];

#[test]
fn predictions_match_lifetimes_and_scipy() {
    let p = published();
    for &(x, tx, n, m, ln_l, alive, expected, alive_scipy, expected_scipy) in LIFETIMES {
        close(p.ln_l(x, tx, n), ln_l, 1e-13);
        let (a, e) = (
            p.probability_alive(x, tx, n).unwrap(),
            p.expected_transactions(x, tx, n, m).unwrap(),
        );
        close(a, alive_scipy, 1e-12);
        // Eq. 13 subtracts two Γ ratios; at n = 200 the ln Γ differences
        // (of both implementations) hold ~1e-11 relative.
        close(e, expected_scipy, 1e-10);
        // lifetimes adds 1e-15 to the sum term of L before its ln; where L
        // is ~1e-15 (x = 25, t_x = 40, n = 50: ln L = −33.7) that moves its
        // predictions by half; elsewhere it agrees to 1e-11 (1e-10 for eq. 13, as above).
        if ln_l > -30.0 {
            close(a, alive, 1e-11);
            close(e, expected, 1e-10);
        } else {
            assert!((a / alive - 1.0).abs() > 0.4, "{a} vs {alive}");
        }
    }
}

#[test]
fn log_likelihood_by_hand() {
    // α = β = γ = δ = 1, x = 1, t_x = 1, n = 2:
    // alive through 2: B(2, 2)/B(1, 1) × B(1, 3)/B(1, 1) = 1/6 × 1/3 = 1/18;
    // inactive from 2 (i = 0): B(2, 1)/B(1, 1) × B(2, 2)/B(1, 1) = 1/2 × 1/6 = 1/12.
    // L = 1/18 + 1/12 = 5/36.
    let p = BgBbParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    let d = BgBbData::new(&[1], &[1], &[2], None).unwrap();
    close(p.log_likelihood(&d), (5.0f64 / 36.0).ln(), 1e-14);
    // A weight counts the row that many times; a row of weight 0 counts not at all.
    let d3 = BgBbData::new(&[1, 0], &[1, 0], &[2, 5], Some(&[3, 0])).unwrap();
    close(p.log_likelihood(&d3), 3.0 * (5.0f64 / 36.0).ln(), 1e-14);
    // Same customer: P(alive at 3) = B(2, 2) B(1, 4) / L = (1/6 × 1/4) / (5/36) = 3/10.
    close(p.probability_alive(1, 1, 2).unwrap(), 0.3, 1e-14);
}

#[test]
fn survival_sum_closed_form_matches_term_by_term() {
    // The closed form (|γ − 1| ≥ 1e-3) against the product recursion, and
    // both sides of the switch at γ = 1 ± 1e-3 against each other.
    let by_terms = |g: f64, d: f64, m: u32| {
        let (mut t, mut s) = (1.0, 0.0);
        for j in 0..m {
            t *= (d + f64::from(j)) / (g + d + f64::from(j));
            s += t;
        }
        s
    };
    for (g, d, m) in [
        (0.657, 2.783, 1),
        (0.657, 8.783, 5),
        (3.0, 0.5, 40),
        (0.05, 100.0, 1000), // ln Γ near 1100: the closed form holds 1e-11 here
        (1.002, 4.0, 30),
    ] {
        close(survival_sum(g, d, m).unwrap(), by_terms(g, d, m), 1e-11);
    }
    let below = survival_sum(1.0 - 1.0001e-3, 3.0, 50).unwrap();
    let above = survival_sum(1.0 - 0.9999e-3, 3.0, 50).unwrap();
    close(below, above, 1e-5);
    // γ = 1, d = 1: Σ_{k=1}^{m} 1/(1 + k) = H(m + 1) − 1; m = 3: 1/2 + 1/3 + 1/4.
    close(survival_sum(1.0, 1.0, 3).unwrap(), 13.0 / 12.0, 1e-15);
}

#[test]
fn expected_transactions_new_matches_lifetimes_pmf() {
    // E[X(n)] at the published parameters: (n, the mean of lifetimes'
    // P(X(n) = x), E[X(n)] in closed form by scipy), from
    // tests/data/models/lifetimes_bg_bb.txt.
    let p = published();
    for (n, lifetimes, scipy) in [
        (1, 0.4984902763561928, 0.498490276356192),
        (3, 1.296649475734395, 1.2966494757343956),
        (6, 2.2196313934872984, 2.2196313934873078),
    ] {
        let e = p.expected_transactions_new(n).unwrap();
        close(e, scipy, 1e-13);
        close(e, lifetimes, 1e-13);
    }
    // n = 1 by hand: α/(α + β) × P(alive at 1) = α/(α + β) × δ/(γ + δ).
    let want = 1.204 / 1.954 * 2.783 / (0.657 + 2.783);
    close(p.expected_transactions_new(1).unwrap(), want, 1e-14);
    assert_eq!(p.expected_transactions_new(0).unwrap(), 0.0);
    // The conditional expectation term by term, x = t_x = n = 1, n* = 2,
    // α = β = γ = δ = 1: alive at 1 for sure, then p ~ beta(2, 1), E[p] = 2/3,
    // and θ ~ beta(1, 2): E[1 − θ] = 2/3, E[(1 − θ)²] = B(1, 4)/B(1, 2) = 1/2;
    // 2/3 × (2/3 + 1/2) = 7/9.
    let one = BgBbParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    close(
        one.expected_transactions(1, 1, 1, 2).unwrap(),
        7.0 / 9.0,
        1e-14,
    );
}

#[test]
fn gradient_matches_finite_differences() {
    let d = BgBbData::new(
        &[0, 1, 2, 6, 3, 30],
        &[0, 1, 5, 6, 40, 30],
        &[6, 6, 6, 6, 50, 200],
        Some(&[3000, 1000, 300, 1200, 7, 1]),
    )
    .unwrap();
    for p in [
        published(),
        BgBbParams::new(20.0, 0.3, 4.0, 0.2).unwrap(),
        BgBbParams::new(0.01, 100.0, 0.05, 50.0).unwrap(),
        BgBbParams::new(1.0, 1.0, 1.0, 1.0).unwrap(),
    ] {
        let (ll, g) = ll_and_gradient(&p, &d);
        close(ll, p.log_likelihood(&d), 1e-13);
        crate::models::test_support::assert_gradient(
            |w| {
                BgBbParams::new(w[0], w[1], w[2], w[3])
                    .unwrap()
                    .log_likelihood(&d)
            },
            &g,
            &[p.alpha, p.beta, p.gamma, p.delta],
            1e-5,
        );
    }
}

#[test]
fn extremes_stay_finite() {
    let d = BgBbData::new(&[0, 1, 1000], &[0, 1, 1000], &[1000, 1000, 1000], None).unwrap();
    for p in [
        published(),
        BgBbParams::new(1e-6, 1e-6, 1e-6, 1e-6).unwrap(),
        BgBbParams::new(1e6, 1e6, 1e6, 1e6).unwrap(),
        BgBbParams::new(1e-3, 1e4, 50.0, 1e-3).unwrap(),
        BgBbParams::new(1.0, 1.0, 1.0, 1.0).unwrap(),
    ] {
        assert!(p.log_likelihood(&d).is_finite(), "{p:?}");
        let (_, g) = ll_and_gradient(&p, &d);
        assert!(g.iter().all(|x| x.is_finite()), "{p:?} {g:?}");
        for (x, tx) in [(0, 0), (1, 1), (1000, 1000), (500, 1000)] {
            let a = p.probability_alive(x, tx, 1000).unwrap();
            assert!((0.0..=1.0).contains(&a), "{p:?} {x} {tx}: {a}");
            for m in [1, 52, 100_000] {
                let e = p.expected_transactions(x, tx, 1000, m).unwrap();
                assert!(e.is_finite() && e >= 0.0, "{p:?} {x} {tx} {m}: {e}");
            }
        }
        let e = p.expected_transactions_new(1000).unwrap();
        assert!(e.is_finite() && e >= 0.0, "{p:?}: {e}");
    }
}

#[test]
fn fit_recovers_the_maximum() {
    // The fit's gradient vanishes and it beats nearby points.
    let d = BgBbData::new(
        &[0, 1, 1, 2, 3, 4, 6],
        &[0, 1, 6, 4, 6, 5, 6],
        &[6; 7],
        Some(&[500, 150, 40, 60, 50, 40, 120]),
    )
    .unwrap();
    let fit = fit_bg_bb(&d, &FitOptions::default()).unwrap();
    assert_eq!(fit.status, crate::optim::FitStatus::Converged);
    let p = fit.params;
    let (ll, g) = ll_and_gradient(&p, &d);
    close(ll, fit.log_likelihood, 1e-15);
    let v = [p.alpha, p.beta, p.gamma, p.delta];
    for j in 0..4 {
        assert!((g[j] * v[j]).abs() < 1e-5, "{g:?}");
    }
    assert!(fit.standard_errors.is_some());
    assert_eq!(
        fit_bg_bb(
            &d,
            &FitOptions {
                penalizer: -1.0,
                ..FitOptions::default()
            }
        )
        .unwrap_err(),
        Error::InvalidArgument {
            name: "penalizer",
            reason: "-1 must be finite and non-negative".into()
        }
    );
}

#[test]
fn bad_input_is_a_typed_error() {
    let p = published();
    let arg = |name: &'static str, reason: &str| Error::InvalidArgument {
        name,
        reason: reason.into(),
    };
    assert_eq!(
        p.probability_alive(1, 7, 6).unwrap_err(),
        arg("recency", "recency 7 is beyond the 6 opportunities")
    );
    assert_eq!(
        p.expected_transactions(0, 2, 6, 1).unwrap_err(),
        arg("recency", "recency 2 with no transaction (it must be 0)")
    );
    assert_eq!(
        p.expected_transactions(3, 2, 6, 1).unwrap_err(),
        arg("frequency", "frequency 3 is above the recency 2")
    );
    assert_eq!(
        p.probability_alive(0, 0, 0).unwrap_err(),
        arg("opportunities", "0 opportunities (need at least 1)")
    );
    let near_one = BgBbParams::new(1.0, 1.0, 1.0005, 1.0).unwrap();
    assert_eq!(
        near_one.expected_transactions_new(20_000_000).unwrap_err(),
        arg(
            "future",
            "20000000 opportunities where the closed form is inaccurate (gamma within 1e-3 of 1, or delta large against the opportunities): summed term by term, at most 10^7"
        )
    );
    assert_eq!(
        BgBbParams::new(1.0, 1.0, f64::NAN, 1.0).unwrap_err(),
        arg("gamma", "NaN must be finite and positive")
    );

    let cases: Vec<(&str, Result<BgBbData>, Error)> = vec![
        (
            "empty",
            BgBbData::new(&[], &[], &[], None),
            Error::Empty { what: "BG/BB data" },
        ),
        (
            "length",
            BgBbData::new(&[1, 2], &[1], &[2, 3], None),
            Error::LengthMismatch {
                column: "recency",
                expected: 2,
                got: 1,
            },
        ),
        (
            "opportunities length",
            BgBbData::new(&[1], &[1], &[2, 3], None),
            Error::LengthMismatch {
                column: "opportunities",
                expected: 1,
                got: 2,
            },
        ),
        (
            "weights length",
            BgBbData::new(&[1], &[1], &[2], Some(&[1, 1])),
            Error::LengthMismatch {
                column: "weight",
                expected: 1,
                got: 2,
            },
        ),
        (
            "zero opportunities",
            BgBbData::new(&[1, 0], &[1, 0], &[2, 0], None),
            Error::InvalidValue {
                column: "opportunities",
                row: 1,
                reason: "0 opportunities (need at least 1)".into(),
            },
        ),
        (
            "recency beyond n",
            BgBbData::new(&[1], &[3], &[2], None),
            Error::InvalidValue {
                column: "recency",
                row: 0,
                reason: "recency 3 is beyond the 2 opportunities".into(),
            },
        ),
        (
            "recency without transaction",
            BgBbData::new(&[1, 0], &[1, 1], &[2, 2], None),
            Error::InvalidValue {
                column: "recency",
                row: 1,
                reason: "recency 1 with no transaction (it must be 0)".into(),
            },
        ),
        (
            "frequency above recency",
            BgBbData::new(&[2], &[1], &[2], None),
            Error::InvalidValue {
                column: "frequency",
                row: 0,
                reason: "frequency 2 is above the recency 1".into(),
            },
        ),
        (
            "nobody transacted",
            BgBbData::new(&[0, 1], &[0, 1], &[2, 3], Some(&[5, 0])),
            arg(
                "frequency",
                "no customer transacted, so the model cannot be identified",
            ),
        ),
        (
            "all weights 0",
            BgBbData::new(&[1], &[1], &[2], Some(&[0])),
            arg("weights", "every weight is 0"),
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
}

/// Issue 19: at δ = 1e12 the closed form of Σₖ B(γ, δ + k)/B(γ, δ) took the
/// difference of ln Γ values near 2.6e13 and gave −2e9 expected
/// transactions. By hand: α = β, so E[p] = 1/2; θ ~ beta(0.01, 1e12) is
/// ~1e-14, so P(alive at k) = ∏_{j<k} (δ + j)/(γ + δ + j) = 1 − O(k·1e-14)
/// and E[X(1000)] = 1/2 · 1000 to about 1e-11 relative.
#[test]
fn a_huge_delta_does_not_cancel_the_survival_sum() {
    let p = BgBbParams::new(1e-12, 1e-12, 0.01, 1e12).unwrap();
    let e = p.expected_transactions_new(1_000).unwrap();
    assert!((e - 500.0).abs() < 1e-8, "{e}");
}

#[test]
fn billions_of_opportunities_after_the_last_transaction_are_an_error_not_a_hang() {
    // Issue 19: the likelihood L (module doc) has one term per opportunity
    // after t_x, added one by one; n − t_x ≈ 4e9 took minutes. Beyond 10^7
    // it is an InvalidArgument naming `opportunities`, for predictions and data.
    let p = BgBbParams::new(1.204, 0.750, 0.657, 2.783).unwrap();
    let n = 1 + 10_000_001;
    for err in [
        p.probability_alive(1, 1, n).unwrap_err(),
        p.expected_transactions(1, 1, n, 5).unwrap_err(),
        p.probability_of_transactions(1, 1, n, 5, 0).unwrap_err(),
        p.probability_alive(1, 1, u32::MAX).unwrap_err(),
    ] {
        assert!(
            matches!(
                err,
                Error::InvalidArgument {
                    name: "opportunities",
                    ..
                }
            ),
            "{err}"
        );
    }
    let err = BgBbData::new(&[1], &[1], &[n], None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidValue {
                column: "opportunities",
                row: 0,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn ln_l_by_recurrence_matches_the_ln_gamma_terms() {
    // ln_l steps from one inactive term to the next by B(A, B + 1)/B(A, B)
    // = B/(A + B); the terms themselves (module doc, FHS 2010 eq. 5) by
    // ln Γ must give the same ln L.
    for p in [
        published(),
        BgBbParams::new(0.3, 20.0, 5.0, 0.2).unwrap(),
        BgBbParams::new(1e-300, 1e-300, 1e-300, 1e250).unwrap(),
    ] {
        for (x, t_x, n) in [(0u32, 0u32, 3000u32), (3, 5, 6), (40, 900, 5000)] {
            let (m, s) = p
                .terms(x, t_x, n)
                .fold((f64::NEG_INFINITY, 0.0f64), |(m, s), (t, ..)| {
                    if t > m {
                        (t, s * (m - t).exp() + 1.0)
                    } else {
                        (m, s + (t - m).exp())
                    }
                });
            let want = m + s.ln();
            let got = p.ln_l(x, t_x, n);
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1.0),
                "{p:?} at ({x}, {t_x}, {n}): {got} vs {want}"
            );
        }
    }
}

#[test]
fn transactions_pmf_by_recurrence_is_a_distribution_with_the_models_mean() {
    // The terms of P(X(n) = x) now come by recurrence (C(i + 1, x)/C(i, x)
    // and the beta ratios); over x = 0..=n they must sum to 1 and their mean
    // must be E[X(n)] (FHS 2010; expected_transactions_new).
    for p in [published(), BgBbParams::new(0.3, 20.0, 5.0, 0.2).unwrap()] {
        let n = 400;
        let (mut total, mut mean) = (0.0, 0.0);
        for x in 0..=n {
            let q = p.probability_of_transactions_new(n, x).unwrap();
            total += q;
            mean += f64::from(x) * q;
        }
        assert!((total - 1.0).abs() < 1e-12, "{p:?}: {total}");
        let want = p.expected_transactions_new(n).unwrap();
        assert!(
            (mean - want).abs() < 1e-10 * want,
            "{p:?}: {mean} vs {want}"
        );
    }
}
