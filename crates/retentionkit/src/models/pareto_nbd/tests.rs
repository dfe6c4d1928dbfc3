// Reference values are pasted verbatim from the scripts that produced them.
#![allow(clippy::unreadable_literal)]

use super::*;
use crate::Error;

/// Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way",
/// section 4: the Pareto/NBD estimates on the CDNOW calibration data (weeks).
fn published() -> ParetoNbdParams {
    ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap()
}

#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!(
        (a - b).abs() <= rel * b.abs().max(1e-300),
        "{a} vs {b} (rel {:e})",
        ((a - b) / b).abs()
    );
}

fn one(x: u32, t_x: f64, t: f64) -> RepeatData {
    RepeatData::new(&[x], &[t_x], &[t], None).unwrap()
}

/// lifetimes 0.11.3 `ParetoNBDFitter._conditional_log_likelihood` with the
/// published parameters: (x, t_x, T, ln L). Pasted from
/// tests/data/models/lifetimes_pareto_nbd.txt, the output of
/// tests/data/models/make_pareto_reference.py.
#[rustfmt::skip]
const LIFETIMES_LL: &[(u32, f64, f64, f64)] = &[
    (0, 0.0, 38.86, -0.5210462940808909),
    (1, 30.43, 38.86, -6.106410118266519),
    (2, 6.0, 38.86, -7.825210563097837),
    (5, 35.0, 36.0, -17.295944215169825),
    (3, 39.0, 39.0, -12.669676805925729),
    (500, 9999.0, 10000.0, -2005.5040742197366),
    (3, 5.0, 10000.0, -9.855783449777906),
];

/// lifetimes 0.11.3 with the published parameters: (x, t_x, T, t,
/// conditional_probability_alive,
/// conditional_expected_number_of_purchases_up_to_time). Same file. Its row
/// (500, 10000, 10000, 0.5) is NaN in lifetimes (ln 0 − ln 0 in its A₀) and
/// is checked by hand in `last_purchase_at_the_age_is_alive` instead.
#[rustfmt::skip]
const LIFETIMES: &[(u32, f64, f64, f64, f64, f64)] = &[
    (0, 0.0, 38.86, 39.0, 0.29528660461689443, 0.10708146821530892),
    (1, 30.43, 38.86, 39.0, 0.8802391335633623, 0.8964324476799732),
    (2, 6.0, 38.86, 39.0, 0.15423281445298775, 0.25820998852124616),
    (5, 35.0, 36.0, 52.0, 0.986442377080588, 4.798337579091991),
    (14, 38.0, 39.0, 13.0, 0.986046541049983, 3.504726214936096),
    (1, 1.0, 78.0, 1.0, 0.04666151392970929, 0.0008153482275162372),
    (3, 39.0, 39.0, 39.0, 1.0, 2.3242986284301135),
    (0, 0.0, 0.5, 1000.0, 0.9745789405690135, 7.07408415373339),
    (500, 9999.0, 10000.0, 52.0, 0.9999379305635054, 2.595883409597003),
    (3, 5.0, 10000.0, 52.0, 1.5719510656035558e-11, 2.8966518577091117e-13),
    (50, 100.0, 10000.0, 52.0, 6.69416803504759e-99, 1.755115147860942e-99),
];

#[test]
fn log_likelihood_matches_lifetimes() {
    let p = published();
    for &(x, tx, t, want) in LIFETIMES_LL {
        close(ln_l(&p, f64::from(x), tx, t, false).unwrap().0, want, 1e-12);
    }
}

#[test]
fn predictions_match_lifetimes() {
    let p = published();
    for &(x, tx, t, h, alive, expected) in LIFETIMES {
        // lifetimes subtracts the two ₂F₁ terms of A₀ with logsumexp and
        // evaluates ₂F₁ with scipy; we agree to 1e-9 relative.
        close(p.probability_alive(x, tx, t).unwrap(), alive, 1e-9);
        close(p.expected_purchases(x, tx, t, h).unwrap(), expected, 1e-9);
    }
    // expected_number_of_purchases_up_to_time(t) for a new customer.
    for (h, e) in [
        (1.0, 0.050979843245990884),
        (39.0, 1.2130028442810157),
        (78.0, 1.9093981293136852),
        (500.0, 5.319040272798147),
    ] {
        close(p.expected_purchases_new(h).unwrap(), e, 1e-12);
    }
}

#[test]
fn last_purchase_at_the_age_is_alive() {
    // t_x = T: A₀ = 0, so P(alive) = 1 and E = (r + x)(β + T)/(α + T)
    // · [1 − ((β + T)/(β + T + t))^{s−1}]/(s − 1). For x = 500, T = 10,000,
    // t = 0.5: (500.553 · 10011.669 / 10010.578) · [1 − (10011.669 /
    // 10012.169)^{−0.394}]/(−0.394), the bracket ≈ t/(β + T) = 4.9942e-5
    // to first order.
    let p = published();
    assert_eq!(p.probability_alive(500, 10_000.0, 10_000.0).unwrap(), 1.0);
    let (r, a, s, b): (f64, f64, f64, f64) = (0.553, 10.578, 0.606, 11.669);
    let (x, t, h): (f64, f64, f64) = (500.0, 10_000.0, 0.5);
    let want =
        (r + x) * (b + t) / (a + t) * (1.0 - ((b + t) / (b + t + h)).powf(s - 1.0)) / (s - 1.0);
    close(
        p.expected_purchases(500, 10_000.0, 10_000.0, 0.5).unwrap(),
        want,
        1e-10,
    );
    assert!((want - 500.6076 * 4.9942e-5).abs() < 1e-5);
    // ln L = ln C + ln P with nothing else: x = 0 would need t_x = 0 = T,
    // impossible, so x = 1, t_x = T = 2 with r = s = α = β = 1:
    // C = Γ(2)/Γ(1) = 1, P = 3^{−2} 3^{−1} = 1/27.
    let q = ParetoNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    close(q.log_likelihood(&one(1, 2.0, 2.0)), -(27f64.ln()), 1e-15);
}

#[test]
fn log_likelihood_by_hand_on_both_sides_of_alpha_beta() {
    // r = 1, s = 1, x = 0 (t_x = 0), T = 1: A₀ = (r + s + x) ∫₀^T
    // (α + τ)^{−1} (β + τ)^{−2} dτ (FHL note, eq. 15 integrated), so
    // L = α β [1/((α + T)(β + T)) + ∫₀^T …], by partial fractions with
    // d = α − β: ∫ = ln(((α + T)/α)(β/(β + T)))/d² + (1/β − 1/(β + T))/d.
    // α = 2, β = 1 (α ≥ β): ∫ = ln(3/4) + 1/2, L = 2 (1/6 + ln(3/4) + 1/2).
    // (RepeatData needs a repeat purchase somewhere, so the single x = 0
    // customer goes to the private ln L directly.)
    let p = ParetoNbdParams::new(1.0, 2.0, 1.0, 1.0).unwrap();
    let want = (2.0 * (1.0 / 6.0 + 0.75f64.ln() + 0.5)).ln();
    close(ln_l(&p, 0.0, 0.0, 1.0, false).unwrap().0, want, 1e-14);
    // α = 1, β = 2 (β > α): d = −1, ∫ = ln(4/3) − (1/2 − 1/3),
    // L = 2 (1/6 + ln(4/3) − 1/6) = 2 ln(4/3).
    let p = ParetoNbdParams::new(1.0, 1.0, 1.0, 2.0).unwrap();
    let want = (2.0 * (4.0f64 / 3.0).ln()).ln();
    close(ln_l(&p, 0.0, 0.0, 1.0, false).unwrap().0, want, 1e-14);
    // A weight counts the row that many times: r = s = α = β = 1, x = 1,
    // t_x = 1, T = 3 has L = 10/192 (the log_likelihood doc example).
    let q = ParetoNbdParams::new(1.0, 1.0, 1.0, 1.0).unwrap();
    let d3 = RepeatData::new(&[1, 0], &[1.0, 0.0], &[3.0, 1.0], Some(&[3, 2])).unwrap();
    let want = 3.0 * (10.0f64 / 192.0).ln() + 2.0 * ln_l(&q, 0.0, 0.0, 1.0, false).unwrap().0;
    close(q.log_likelihood(&d3), want, 1e-14);
}

#[test]
fn fit_likelihood_matches_log_likelihood_and_its_gradient_finite_differences() {
    let d = RepeatData::new(
        &[0, 1, 2, 7, 30, 500, 3],
        &[0.0, 5.0, 20.0, 37.0, 39.0, 9999.0, 5.0],
        &[39.0, 39.0, 25.0, 39.0, 39.0, 10_000.0, 10_000.0],
        Some(&[1000, 200, 50, 7, 1, 1, 2]),
    )
    .unwrap();
    for p in [
        published(),
        // α ≥ β and β > α far apart, a tiny r, a large s, α = β exactly.
        ParetoNbdParams::new(2.0, 50.0, 0.3, 0.5).unwrap(),
        ParetoNbdParams::new(0.05, 0.2, 3.0, 80.0).unwrap(),
        ParetoNbdParams::new(0.01, 100.0, 20.0, 1.0).unwrap(),
        ParetoNbdParams::new(1.5, 7.0, 0.8, 7.0).unwrap(),
    ] {
        // The fit's table-driven sum equals the row-by-row log_likelihood.
        let (ll, g) = ll_and_gradient(&p, &d, &GTables::new(&d)).unwrap();
        close(ll, p.log_likelihood(&d), 1e-13);
        crate::models::test_support::assert_gradient(
            |w| {
                ParetoNbdParams::new(w[0], w[1], w[2], w[3])
                    .unwrap()
                    .log_likelihood(&d)
            },
            &g,
            &[p.r, p.alpha, p.s, p.beta],
            1e-4,
        );
    }
}

#[test]
fn extremes_stay_finite() {
    let d = RepeatData::new(&[500, 0], &[9999.0, 0.0], &[10_000.0, 10_000.0], None).unwrap();
    for p in [
        published(),
        ParetoNbdParams::new(1e-3, 1e-3, 1e-3, 1e-3).unwrap(),
        ParetoNbdParams::new(1e3, 1e4, 1e3, 1e-2).unwrap(),
        ParetoNbdParams::new(1e3, 1e-2, 1e3, 1e4).unwrap(),
    ] {
        let ll = p.log_likelihood(&d);
        assert!(!ll.is_nan(), "{p:?}");
        for (x, tx, t) in [
            (500, 9999.0, 10_000.0),
            (0, 0.0, 10_000.0),
            (1, 1e-9, 10_000.0),
        ] {
            // Either a number in range or a typed error, never NaN.
            if let Ok(a) = p.probability_alive(x, tx, t) {
                assert!((0.0..=1.0).contains(&a), "{p:?} {a}");
            }
            if let Ok(e) = p.expected_purchases(x, tx, t, 52.0) {
                assert!(e.is_finite() && e >= 0.0, "{p:?} {e}");
            }
        }
    }
    // The published parameters answer the extreme customer, not an error.
    let p = published();
    assert!(p.probability_alive(500, 9999.0, 10_000.0).unwrap() > 0.99);
    assert!(p
        .expected_purchases(500, 9999.0, 10_000.0, 1e6)
        .unwrap()
        .is_finite());
}

#[test]
fn a_series_that_cannot_converge_takes_the_integral() {
    // α/β = 1e12 puts the argument of ₂F₁ within 1e-12 of 1 at t_x = 0:
    // no series converges, the integral of the module doc answers. With
    // α ≫ T the purchase factor (α + τ)^{−(r+x)} is α^{−(r+x)} to 1e-11
    // relative, so (by hand) s I / P = ((β + T)/(β + t_x))ˢ − 1 and
    // P(alive) = ((β + t_x)/(β + T))ˢ: the purchases say nothing, and the
    // answer is the prior's survival from t_x to T.
    let p = ParetoNbdParams::new(0.5, 1e12, 0.5, 1.0).unwrap();
    close(
        p.probability_alive(1, 1e-9, 10.0).unwrap(),
        ((1.0 + 1e-9) / 11.0f64).sqrt(),
        1e-10,
    );
    // L = Γ(r + x)/Γ(r) αʳ βˢ α^{−(r+x)} (β + t_x)^{−s} (the two terms of
    // the bracket add up to it): Γ(1.5)/Γ(0.5) = 0.5, α^{−1}, 2^{−1/2}.
    close(
        p.log_likelihood(&one(1, 1.0, 10.0)),
        0.5f64.ln() - 1e12f64.ln() - 0.5 * 2f64.ln(),
        1e-12,
    );
}

/// ln(s/(r + s + x) A₀) and its gradient by the series alone, with up to
/// 10⁵ terms (the code's only route before the integral).
fn ln_w_series(p: &ParetoNbdParams, x: f64, t_x: f64, t: f64) -> Option<(f64, [f64; 4])> {
    let (g1, d1) = ln_g_within(p, x, t_x, true, 100_000)?;
    let (g2, d2) = ln_g_within(p, x, t, true, 100_000)?;
    let (q, one_minus_q) = ((g2 - g1).exp(), -(g2 - g1).exp_m1());
    let rsx = p.r + p.s + x;
    let mut g = [0.0; 4];
    for j in 0..4 {
        g[j] = (d1[j] - q * d2[j]) / one_minus_q;
    }
    g[0] -= 1.0 / rsx;
    g[2] += 1.0 / p.s - 1.0 / rsx;
    Some((p.s.ln() - rsx.ln() + g1 + one_minus_q.ln(), g))
}

#[test]
fn integral_equals_the_series_where_both_converge() {
    let params = [
        published(),
        // A bootstrap replicate of CDNOW that drifted to large s and β
        // (z ≈ 0.998: about 10⁴ series terms a row).
        ParetoNbdParams::new(0.55, 10.6, 600.0, 2.2e4).unwrap(),
        // The mirror image, α ≫ β.
        ParetoNbdParams::new(40.0, 3000.0, 0.6, 11.7).unwrap(),
        ParetoNbdParams::new(2.0, 50.0, 0.3, 0.5).unwrap(),
        ParetoNbdParams::new(0.05, 0.2, 3.0, 80.0).unwrap(),
        ParetoNbdParams::new(0.01, 100.0, 20.0, 1.0).unwrap(),
        ParetoNbdParams::new(1.5, 7.0, 0.8, 7.0).unwrap(),
    ];
    let rows = [
        (0.0, 0.0, 39.0),
        (0.0, 0.0, 0.5),
        (1.0, 5.0, 39.0),
        (2.0, 38.0, 39.0),
        (5.0, 20.0, 300.0),
        (30.0, 1.0, 39.0),
    ];
    let mut slow = 0;
    for p in &params {
        for &(x, t_x, t) in &rows {
            let (v, g) = ln_w_series(p, x, t_x, t).unwrap();
            let (vi, gi) = ln_w_integral(p, x, t_x, t).unwrap();
            assert!(
                (v - vi).abs() <= 2e-13 * v.abs().max(1.0),
                "{p:?} {x} {t_x} {t}: {v} vs {vi}"
            );
            for j in 0..4 {
                assert!(
                    (g[j] - gi[j]).abs() <= 1e-10 * g[j].abs().max(1e-3),
                    "{p:?} {x} {t_x} {t} d{j}: {} vs {}",
                    g[j],
                    gi[j]
                );
            }
            if ln_g(p, x, t_x, false).is_none() {
                slow += 1;
            }
        }
    }
    // The slow rows are there: the second and third parameter sets.
    assert!(slow >= 4, "{slow}");
}

#[test]
fn bad_arguments_are_typed_errors() {
    let p = published();
    let cases: Vec<(&str, Result<f64>, &str)> = vec![
        (
            "recency beyond age",
            p.probability_alive(1, 5.0, 4.0),
            "recency",
        ),
        (
            "negative recency",
            p.probability_alive(1, -1.0, 4.0),
            "recency",
        ),
        ("negative age", p.probability_alive(0, 0.0, -1.0), "age"),
        ("NaN age", p.probability_alive(0, 0.0, f64::NAN), "age"),
        (
            "x > 0 with recency 0",
            p.probability_alive(2, 0.0, 4.0),
            "recency",
        ),
        (
            "negative horizon",
            p.expected_purchases(1, 1.0, 4.0, -1.0),
            "horizon",
        ),
        (
            "NaN horizon",
            p.expected_purchases(1, 1.0, 4.0, f64::NAN),
            "horizon",
        ),
        (
            "infinite horizon",
            p.expected_purchases_new(f64::INFINITY),
            "horizon",
        ),
    ];
    for (what, got, name) in cases {
        match got {
            Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    for (r, a, s, b, name) in [
        (0.0, 1.0, 1.0, 1.0, "r"),
        (1.0, -1.0, 1.0, 1.0, "alpha"),
        (1.0, 1.0, f64::NAN, 1.0, "s"),
        (1.0, 1.0, 1.0, f64::INFINITY, "beta"),
    ] {
        match ParetoNbdParams::new(r, a, s, b) {
            Err(Error::InvalidArgument { name: n, .. }) => assert_eq!(n, name),
            other => panic!("{name}: {other:?}"),
        }
    }
    let d = one(1, 1.0, 2.0);
    let o = FitOptions {
        penalizer: -1.0,
        ..FitOptions::default()
    };
    assert!(matches!(
        fit_pareto_nbd(&d, &o),
        Err(Error::InvalidArgument {
            name: "penalizer",
            ..
        })
    ));
}

#[test]
fn zero_horizon_and_s_near_one() {
    let p = published();
    assert_eq!(p.expected_purchases(2, 6.0, 38.86, 0.0).unwrap(), 0.0);
    assert_eq!(p.expected_purchases_new(0.0).unwrap(), 0.0);
    // s → 1: the bracket tends to ln((β + t)/β) continuously; r = α = β = 1,
    // t = 3: rβ/α · ln 4 at s = 1, and within 1e-9 of it at s = 1 ± 1e-9.
    let at = |s: f64| {
        ParetoNbdParams::new(1.0, 1.0, s, 1.0)
            .unwrap()
            .expected_purchases_new(3.0)
            .unwrap()
    };
    close(at(1.0), 4f64.ln(), 1e-15);
    close(at(1.0 + 1e-9), 4f64.ln(), 1e-8);
    close(at(1.0 - 1e-9), 4f64.ln(), 1e-8);
}

#[test]
fn probability_alive_is_the_first_share_of_the_likelihood() {
    // FHL note eq. 21: P(alive) = C (α + T)^{−(r+x)} (β + T)^{−s} / L, with
    // C = Γ(r + x) αʳ βˢ / Γ(r) (module doc); checked against ln L on both
    // sides of α = β.
    for (r, alpha, s, beta) in [
        (0.553, 10.578, 0.606, 11.669),
        (0.553, 11.669, 0.606, 10.578),
        (2.0, 1.0, 30.0, 5.0),
    ] {
        let p = ParetoNbdParams::new(r, alpha, s, beta).unwrap();
        for (x, t_x, t) in [(1u32, 1.0, 3.0), (2, 30.43, 38.86), (7, 2.0, 40.0)] {
            let xf = f64::from(x);
            let ln_c = ln_gamma(r + xf) - ln_gamma(r) + r * alpha.ln() + s * beta.ln();
            let ln_p = -(r + xf) * (alpha + t).ln() - s * (beta + t).ln();
            let (ln_lik, _) = ln_l(&p, xf, t_x, t, false).unwrap();
            let want = (ln_c + ln_p - ln_lik).exp();
            close(p.probability_alive(x, t_x, t).unwrap(), want, 1e-12);
        }
    }
}

#[test]
fn huge_s_is_dead_not_nan() {
    // Issue 19, fuzz input regression-pareto-nbd-alive-nan: s = 1.43e308
    // made s ln(β + T) overflow, and −∞ − (−∞) = NaN. Given alive at t_x,
    // alive at T has probability E[e^{−μ (T − t_x)}] = ((β + t_x)/(β + T))ˢ
    // under μ's prior, (32.856/41.286)^{1.43e308} = 0: P(alive) → 0.
    let p = ParetoNbdParams::new(0.243, 4.414, 1.43e308, 2.426).unwrap();
    let alive = p.probability_alive(2, 30.43, 38.86).unwrap();
    assert_eq!(alive, 0.0);
    assert_eq!(p.expected_purchases(2, 30.43, 38.86, 10.0).unwrap(), 0.0);
    // t_x = T: no room to have dropped out since the last purchase.
    assert_eq!(p.probability_alive(2, 38.86, 38.86).unwrap(), 1.0);
}
