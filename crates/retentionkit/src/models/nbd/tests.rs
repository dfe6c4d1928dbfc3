use super::*;
use crate::models::bg_nbd::BgNbdParams;
use crate::models::pareto_nbd::ParetoNbdParams;
use crate::models::repeat::RepeatModel;

fn data() -> RepeatData {
    RepeatData::new(
        &[0, 1, 2, 7, 30],
        &[0.0, 5.0, 20.0, 37.0, 39.0],
        &[39.0, 39.0, 25.0, 39.0, 39.0],
        Some(&[1000, 200, 50, 7, 1]),
    )
    .unwrap()
}

#[test]
fn likelihood_is_the_pareto_nbd_and_bg_nbd_without_drop_out() {
    // Pareto/NBD with a vanishing drop-out rate (s → 0: (β/(β + T))ˢ → 1
    // and the A₀ term, weighted by s, → 0) and BG/NBD with a vanishing
    // drop-out probability (a → 0): both tend to the NBD's likelihood, which
    // shares their constant (module doc).
    let d = data();
    let nbd = NbdParams::new(0.55, 10.6).unwrap();
    let want = nbd.log_likelihood(&d);
    let pareto = ParetoNbdParams::new(0.55, 10.6, 1e-9, 1.0).unwrap();
    assert!(
        (pareto.log_likelihood(&d) - want).abs() < 1e-5 * want.abs(),
        "{want}"
    );
    let bg = BgNbdParams::new(0.55, 10.6, 1e-9, 1.0).unwrap();
    assert!(
        (bg.log_likelihood(&d) - want).abs() < 1e-5 * want.abs(),
        "{want}"
    );
}

#[test]
fn gradient_matches_finite_differences() {
    let d = data();
    for (r, alpha) in [(0.55, 10.6), (3.0, 0.5), (0.01, 200.0)] {
        let p = NbdParams::new(r, alpha).unwrap();
        let mut g = [0.0; 2];
        for i in 0..d.len() {
            let (_, gi) = p.ln_l(d.x[i], d.t[i]);
            g[0] += d.weight[i] * gi[0];
            g[1] += d.weight[i] * gi[1];
        }
        crate::models::test_support::assert_gradient(
            |w| NbdParams::new(w[0], w[1]).unwrap().log_likelihood(&d),
            &g,
            &[r, alpha],
            1e-4,
        );
    }
}

#[test]
fn predictions_sum_and_average_right() {
    let p = NbdParams::new(0.55, 10.6).unwrap();
    // The pmf sums to 1 and its mean is the expected purchases (conditional
    // and new), to 1e-10 over n < 400.
    let (mut total, mut mean) = (0.0, 0.0);
    for n in 0..400u32 {
        let q = p.probability_of_purchases(3, 20.0, 39.0, 52.0, n).unwrap();
        total += q;
        mean += f64::from(n) * q;
    }
    assert!((total - 1.0).abs() < 1e-10);
    let want = p.expected_purchases(3, 20.0, 39.0, 52.0).unwrap();
    assert!((mean - want).abs() < 1e-10 * want);
    // By hand: (0.55 + 3) · 52 / (10.6 + 39).
    assert!((want - 3.55 * 52.0 / 49.6).abs() < 1e-14);
    let (mut total, mut mean) = (0.0, 0.0);
    for n in 0..400u32 {
        let q = p.probability_of_purchases_new(52.0, n).unwrap();
        total += q;
        mean += f64::from(n) * q;
    }
    assert!((total - 1.0).abs() < 1e-10);
    assert!((mean - 0.55 * 52.0 / 10.6).abs() < 1e-10);
    // Zero horizon: nothing happens.
    assert_eq!(p.probability_of_purchases_new(0.0, 0).unwrap(), 1.0);
    assert_eq!(
        p.probability_of_purchases(1, 1.0, 2.0, 0.0, 1).unwrap(),
        0.0
    );
    // DERT = ∫₀^∞ e^{−δt} d/dt E[X(T, T + t]] dt with the slope (r + x)/(α + T).
    let dert = p.dert(3, 20.0, 39.0, 0.1).unwrap();
    assert!((dert - 3.55 / 49.6 / 0.1).abs() < 1e-13);
    // Through the shared interface (`RepeatModel`): everyone is alive, and
    // the columns carry the one-customer expectation.
    let cols =
        RepeatModel::predict_columns(&p, &[0, 3], &[0.0, 20.0], &[39.0, 39.0], 52.0).unwrap();
    assert_eq!(cols.probability_alive, vec![1.0, 1.0]);
    assert_eq!(cols.expected_purchases[1], want);
}

#[test]
fn bad_inputs_are_typed_errors() {
    let p = NbdParams::new(0.55, 10.6).unwrap();
    assert!(NbdParams::new(f64::NAN, 1.0).is_err());
    assert!(NbdParams::new(1.0, -1.0).is_err());
    assert!(p.expected_purchases(1, 5.0, 4.0, 1.0).is_err());
    assert!(p.expected_purchases(1, 1.0, 4.0, -1.0).is_err());
    assert!(p.expected_purchases_new(f64::INFINITY).is_err());
    assert!(p.dert(1, 1.0, 4.0, 0.0).is_err());
    assert!(p.probability_alive_at(0, 1.0, 4.0, 1.0).is_err());
}
