use super::*;
use crate::models::bg_nbd::BgNbdParams;
use crate::models::mbg_nbd::MbgNbdParams;
use crate::models::test_support::assert_gradient;

/// A small data set: (x, t_x, T, litt) in weeks.
fn small() -> RegularityData {
    let litt = [
        0.0,
        10f64.ln(),
        2.0 * 10f64.ln(),
        3.0 * 9f64.ln() + 3f64.ln(),
        0.0,
        2f64.ln(),
    ];
    RegularityData::new(
        &[0, 1, 2, 4, 0, 1],
        &[0.0, 10.0, 20.0, 30.0, 0.0, 2.0],
        &[30.0, 30.0, 30.0, 31.0, 12.0, 20.0],
        &litt,
        None,
    )
    .unwrap()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

#[test]
fn k1_likelihood_is_bg_nbd_and_mbg_nbd() {
    let d = small();
    for (r, alpha, a, b) in [(0.243, 4.414, 0.793, 2.426), (1.3, 0.7, 2.2, 0.4)] {
        let bg = BgNbdParams::new(r, alpha, a, b).unwrap();
        let mbg = MbgNbdParams::new(r, alpha, a, b).unwrap();
        let c = CnbdParams::new(CnbdKind::BgCnbd, 1, r, alpha, a, b).unwrap();
        let m = CnbdParams::new(CnbdKind::MbgCnbd, 1, r, alpha, a, b).unwrap();
        assert!(rel(c.log_likelihood(&d), bg.log_likelihood(d.repeat())) < 1e-13);
        assert!(rel(m.log_likelihood(&d), mbg.log_likelihood(d.repeat())) < 1e-13);
    }
}

#[test]
fn gradient_matches_finite_differences() {
    let d = small();
    for kind in [CnbdKind::BgCnbd, CnbdKind::MbgCnbd] {
        for k in [1, 3, 7] {
            let at = [0.8, 3.0, 0.9, 2.5];
            let p = |v: &[f64]| CnbdParams::new(kind, k, v[0], v[1], v[2], v[3]).unwrap();
            let (_, g) = p(&at).ll_and_gradient(&d);
            assert_gradient(|v| p(v).log_likelihood(&d), &g, &at, 1e-5);
        }
    }
}

/// The litt term: LL(k) − LL(k) with litt shifted by c is (k − 1) c.
#[test]
fn litt_enters_as_k_minus_one_times_its_total() {
    let d = small();
    let shifted = RegularityData::from_parts(d.repeat().clone(), d.litt_total() + 2.0).unwrap();
    let p = CnbdParams::new(CnbdKind::MbgCnbd, 4, 0.8, 3.0, 0.9, 2.5).unwrap();
    assert!((p.log_likelihood(&shifted) - p.log_likelihood(&d) - 6.0).abs() < 1e-10);
}

#[test]
fn k1_predictions_are_bg_nbd_and_mbg_nbd() {
    let (r, alpha, a, b) = (0.243, 4.414, 0.793, 2.426);
    let bg = BgNbdParams::new(r, alpha, a, b).unwrap();
    let mbg = MbgNbdParams::new(r, alpha, a, b).unwrap();
    let c = CnbdParams::new(CnbdKind::BgCnbd, 1, r, alpha, a, b).unwrap();
    let m = CnbdParams::new(CnbdKind::MbgCnbd, 1, r, alpha, a, b).unwrap();
    for (x, tx, t) in [
        (0, 0.0, 38.0),
        (1, 30.43, 38.86),
        (7, 29.43, 35.0),
        (29, 38.0, 38.5),
    ] {
        for h in [1.0, 39.0, 150.0] {
            let (e1, e2) = (
                c.expected_purchases(x, tx, t, h).unwrap(),
                bg.expected_purchases(x, tx, t, h).unwrap(),
            );
            assert!(rel(e1, e2) < 1e-9, "BG {x} {tx} {t} {h}: {e1} {e2}");
            let (e1, e2) = (
                m.expected_purchases(x, tx, t, h).unwrap(),
                mbg.expected_purchases(x, tx, t, h).unwrap(),
            );
            assert!(rel(e1, e2) < 1e-9, "MBG {x} {tx} {t} {h}: {e1} {e2}");
        }
        assert!(
            rel(
                c.probability_alive(x, tx, t).unwrap(),
                bg.probability_alive(x, tx, t).unwrap()
            ) < 1e-12
        );
        assert!(
            rel(
                m.probability_alive(x, tx, t).unwrap(),
                mbg.probability_alive(x, tx, t).unwrap()
            ) < 1e-12
        );
    }
    for h in [1.0, 39.0, 150.0] {
        assert!(
            rel(
                c.expected_purchases_new(h).unwrap(),
                bg.expected_purchases_new(h).unwrap()
            ) < 1e-9
        );
        assert!(
            rel(
                m.expected_purchases_new(h).unwrap(),
                mbg.expected_purchases_new(h).unwrap()
            ) < 1e-9
        );
    }
}

/// E[Y(t) | x, t_x, T] by quadrature, from the model's assumptions without
/// the series of the module doc: the posterior of λ given alive at T is
/// ∝ λ^{R−1} e^{−λ(α+T)} Σᵢ (λs)ⁱ/i! (the Erlang survival over s = T − t_x);
/// given λ, the j-th purchase after T is by T + t with probability
/// P(τ₁ + E ≤ s + t | τ₁ > s), τ₁ ~ Erlang(k), E ~ Erlang(k(j − 1)), which is
/// [F_{kj}(s + t) − ∫₀ˢ f_k(u) F_{k(j−1)}(s + t − u) du] / S_k(s); it counts
/// with probability E[(1 − p)^{j−1}], p ~ beta(a, b + x + k₀).
fn expected_by_quadrature(p: &CnbdParams, x: u32, tx: f64, t: f64, h: f64) -> f64 {
    use crate::models::counts::integrate_to;
    use crate::special::gamma_p;
    let k = f64::from(p.k);
    let xf = f64::from(x);
    let big_r = p.r + k * xf;
    let s = t - tx;
    let bx = p.b + xf + p.kind.k0();
    let erlang_pdf = |n: f64, lam: f64, u: f64| {
        ((n * lam.ln() + (n - 1.0) * u.ln() - lam * u) - ln_gamma(n)).exp()
    };
    let surv = |lam: f64| {
        (0..p.k)
            .map(|i| {
                let fi = f64::from(i);
                (fi * (lam * s).ln() - lam * s - ln_gamma(fi + 1.0)).exp()
            })
            .sum::<f64>()
    };
    let surv = move |lam: f64| if s == 0.0 { 1.0 } else { surv(lam) };
    let given_lambda = |lam: f64| {
        let mut total = 0.0;
        let mut c = 1.0;
        for j in 1..400u32 {
            let jf = f64::from(j);
            let whole = gamma_p(k * jf, lam * (s + h));
            let before = if s == 0.0 {
                0.0
            } else if j == 1 {
                gamma_p(k, lam * s)
            } else {
                integrate_to(
                    &|u: f64| erlang_pdf(k, lam, u) * gamma_p(k * (jf - 1.0), lam * (s + h - u)),
                    0.0,
                    s,
                    1e-12,
                )
                .unwrap()
            };
            let pj = (whole - before) / surv(lam);
            total += c * pj;
            c *= (bx + jf - 1.0) / (p.a + bx + jf - 1.0);
            if pj < 1e-15 {
                break;
            }
        }
        total
    };
    // e^{−λ(α + t_x)} here: the survival carries the e^{−λs}.
    let post = |lam: f64| ((big_r - 1.0) * lam.ln() - lam * (p.alpha + tx)).exp() * surv(lam);
    let upper = 60.0 * (big_r + k) / (p.alpha + t);
    let z = integrate_to(&post, 0.0, upper, 1e-12).unwrap();
    let num = integrate_to(&|lam| post(lam) * given_lambda(lam), 0.0, upper, 1e-10).unwrap();
    p.probability_alive(x, tx, t).unwrap() * num / z
}

#[test]
fn expected_purchases_agree_with_quadrature() {
    for kind in [CnbdKind::BgCnbd, CnbdKind::MbgCnbd] {
        let p = CnbdParams::new(kind, 3, 1.5, 4.0, 0.8, 2.5).unwrap();
        for (x, tx, t, h) in [(0, 0.0, 6.0, 5.0), (2, 4.0, 8.0, 6.0), (3, 9.0, 9.0, 3.0)] {
            let want = expected_by_quadrature(&p, x, tx, t, h);
            let got = p.expected_purchases(x, tx, t, h).unwrap();
            assert!(
                rel(got, want) < 1e-7,
                "{kind:?} ({x}, {tx}, {t}, {h}): {got} vs {want}"
            );
        }
    }
}

#[test]
fn bad_inputs_are_errors() {
    assert!(CnbdParams::new(CnbdKind::BgCnbd, MAX_K + 1, 1.0, 1.0, 1.0, 1.0).is_err());
    let p = CnbdParams::new(CnbdKind::BgCnbd, 2, 1.0, 1.0, 1.0, 1.0).unwrap();
    assert!(p.expected_purchases(1, 3.0, 2.0, 1.0).is_err());
    assert!(p.expected_purchases(1, 1.0, 2.0, f64::NAN).is_err());
    assert!(RegularityData::new(&[1], &[1.0], &[2.0], &[f64::NAN], None).is_err());
    assert!(RegularityData::new(&[1, 0], &[1.0, 0.0], &[2.0, 2.0], &[0.0], None).is_err());
    assert!(fit_cnbd(
        &small(),
        CnbdKind::BgCnbd,
        &CnbdOptions::default().with_max_k(0)
    )
    .is_err());
}
