// Reference values are pasted verbatim from the scripts that produced them.
#![allow(clippy::unreadable_literal)]

use super::*;

#[track_caller]
fn close(a: f64, b: f64, rel: f64) {
    assert!((a - b).abs() <= rel * b.abs().max(1e-300), "{a} vs {b}");
}

/// lifetimes 0.11.3 `conditional_expected_average_profit` with p = 6.25,
/// q = 3.74, γ = 15.44: (x, z̄, value), from
/// tests/data/models/lifetimes_gamma_gamma.txt (make_lifetimes_gamma_gamma.py).
#[rustfmt::skip]
const LIFETIMES: &[(u32, f64, f64)] = &[
    (1, 10.0, 17.686318131256954),
    (2, 20.0, 22.736220472440944),
    (5, 35.5, 35.47734627831715),
    (30, 120.0, 118.77891084945333),
    (1, 0.01, 10.74110122358176),
    (500, 10000.0, 9991.270533995794),
];

#[test]
fn expected_mean_spend_matches_lifetimes() {
    let gg = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    for &(x, z, want) in LIFETIMES {
        close(gg.expected_mean_spend(x, z).unwrap(), want, 1e-13);
    }
}

#[test]
fn log_likelihood_is_the_per_customer_sum() {
    // Rows sharing an x (which the likelihood evaluates once per x) and
    // a subset: the log-likelihood is the weighted sum of each customer's
    // ln f(z̄ | p, q, γ; x) (Fader & Hardie 2013, note 025, eq. 5; the
    // module doc): ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln γ
    // + (px − 1) ln z̄ + px ln x − (px + q) ln(γ + x z̄), written out here
    // row by row.
    let (x, z, w) = (
        [1u32, 3, 1, 7, 3, 1, 12],
        [12.5f64, 40.0, 3.25, 18.0, 99.0, 40.0, 7.5],
        [2u64, 1, 1, 4, 1, 3, 1],
    );
    let k = GammaGammaParams::new(2.3, 4.1, 17.0).unwrap();
    let by_row = |rows: &[usize], weight: &dyn Fn(usize) -> f64| -> f64 {
        let (p, q, g) = (k.p, k.q, k.gamma);
        rows.iter()
            .map(|&i| {
                let (x, z) = (f64::from(x[i]), z[i]);
                weight(i)
                    * (ln_gamma(p * x + q) - ln_gamma(p * x) - ln_gamma(q)
                        + q * g.ln()
                        + (p * x - 1.0) * z.ln()
                        + p * x * x.ln()
                        - (p * x + q) * (g + x * z).ln())
            })
            .sum()
    };
    let d = SpendData::new(&x, &z, Some(&w)).unwrap();
    let all: Vec<usize> = (0..x.len()).collect();
    #[allow(clippy::cast_precision_loss)] // ok: small weights
    let given = |i: usize| w[i] as f64;
    close(k.log_likelihood(&d), by_row(&all, &given), 1e-13);
    let rows = [5, 0, 3];
    close(
        k.log_likelihood(&d.subset(&rows)),
        by_row(&rows, &given),
        1e-13,
    );
}

#[test]
fn log_likelihood_by_hand() {
    // p = q = γ = 1, x = 1, z̄ = 1: Γ(2)/(Γ(1)Γ(1)) · 1 · 1⁰ · 1¹ / 2² = 1/4.
    // p = 2, q = 1, γ = 1, x = 1, z̄ = 2: Γ(3)/(Γ(2)Γ(1)) · 1 · 2¹ · 1 / 3³ = 4/27.
    let d = SpendData::new(&[1, 1], &[1.0, 2.0], Some(&[1, 0])).unwrap();
    let k = GammaGammaParams::new(1.0, 1.0, 1.0).unwrap();
    close(k.log_likelihood(&d), 0.25f64.ln(), 1e-14);
    let d = SpendData::new(&[1], &[2.0], Some(&[3])).unwrap();
    let k = GammaGammaParams::new(2.0, 1.0, 1.0).unwrap();
    close(k.log_likelihood(&d), 3.0 * (4.0f64 / 27.0).ln(), 1e-14);
}

#[test]
fn gradient_matches_finite_differences() {
    let d = SpendData::new(
        &[1, 2, 7, 40, 500],
        &[12.0, 30.5, 3.0, 99.0, 1e4],
        Some(&[50, 20, 5, 1, 1]),
    )
    .unwrap();
    for k in [
        GammaGammaParams::new(6.25, 3.74, 15.44).unwrap(),
        GammaGammaParams::new(0.05, 80.0, 0.3).unwrap(),
        GammaGammaParams::new(40.0, 0.2, 900.0).unwrap(),
    ] {
        let (_, g) = ll_and_gradient(&k, &d);
        crate::models::test_support::assert_gradient(
            |w| {
                GammaGammaParams::new(w[0], w[1], w[2])
                    .unwrap()
                    .log_likelihood(&d)
            },
            &g,
            &[k.p, k.q, k.gamma],
            1e-5,
        );
    }
}

#[test]
fn bad_input_is_a_typed_error() {
    let cases: Vec<(&str, Result<SpendData>, Error)> = vec![
        (
            "empty",
            SpendData::new(&[], &[], None),
            Error::Empty { what: "spend data" },
        ),
        (
            "length",
            SpendData::new(&[1, 2], &[1.0], None),
            Error::LengthMismatch {
                column: "monetary",
                expected: 2,
                got: 1,
            },
        ),
        (
            "x = 0",
            SpendData::new(&[1, 0], &[1.0, 1.0], None),
            Error::InvalidValue {
                column: "frequency",
                row: 1,
                reason: "a customer needs at least one repeat transaction (x = 0)".into(),
            },
        ),
        (
            "zero spend",
            SpendData::new(&[1, 2], &[1.0, 0.0], None),
            Error::InvalidValue {
                column: "monetary",
                row: 1,
                reason: "mean value 0 must be finite and positive".into(),
            },
        ),
        (
            "NaN spend",
            SpendData::new(&[1], &[f64::NAN], None),
            Error::InvalidValue {
                column: "monetary",
                row: 0,
                reason: "mean value NaN must be finite and positive".into(),
            },
        ),
    ];
    for (name, got, want) in cases {
        assert_eq!(got.unwrap_err(), want, "{name}");
    }
    let k = GammaGammaParams::new(0.1, 0.5, 1.0).unwrap();
    assert_eq!(
        k.expected_mean_spend(0, 0.0).unwrap_err(),
        invalid_arg("q", "the mean spend needs p x + q > 1, got 0.5")
    );
    assert!(k.expected_mean_spend(1, -1.0).is_err());
    assert!(GammaGammaParams::new(1.0, 0.0, 1.0).is_err());
}

#[test]
fn compressed_spend_gives_the_summarys_likelihood_in_fewer_rows() {
    use crate::summary::{summary, SummaryOptions};
    use crate::TransactionLog;
    // Customers 1, 2, 3 buy on days 0 and 4 for 5 then 12 (x = 1, m = 12); 4 buys on
    // days 0, 2 and 4 for 3, 6 and 10 (x = 2, m = 8); 5 once; 6 twice with a 0 repeat.
    let ids = [1, 2, 3, 1, 2, 3, 4, 4, 4, 5, 6, 6];
    let days = [0, 0, 0, 4, 4, 4, 0, 2, 4, 1, 0, 3];
    let amounts = [
        5.0, 5.0, 5.0, 12.0, 12.0, 12.0, 3.0, 6.0, 10.0, 7.0, 4.0, 0.0,
    ];
    let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
    let s = summary(&log, &SummaryOptions::default()).unwrap();
    let c = s.compress_spend().unwrap();
    let grouped = SpendData::from_compressed(&c).unwrap();
    let each = SpendData::from_summary(&s).unwrap();
    // Rows (1, 12) × 3 and (2, 8) × 1; customers 5 (x = 0) and 6 (m = 0) left out.
    assert_eq!((grouped.len(), each.len()), (2, 4));
    assert_eq!((grouped.excluded(), each.excluded()), (2, 2));
    let k = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    close(k.log_likelihood(&grouped), k.log_likelihood(&each), 1e-14);
    // No customer with a repeat purchase and a positive spend: refused, as from_summary.
    let one_time = summary(
        &TransactionLog::new(&[1], &[0], Some(&[3.0])).unwrap(),
        &SummaryOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        SpendData::from_compressed(&one_time.compress_spend().unwrap()),
        Err(Error::InvalidArgument {
            name: "summary",
            ..
        })
    ));
}

#[test]
fn expected_mean_spend_at_huge_parameters_is_finite() {
    // Issue 19: p = 7.6e143, q = 4.4e229, γ = 3.9e199 gave inf (pγ
    // overflowed). With x = 0: E = pγ/(q − 1) = 7.6e143 × 3.9e199 / 4.4e229
    // (q − 1 = q in f64) = 6.736…e113 (module doc).
    let gg = GammaGammaParams::new(7.6e143, 4.4e229, 3.9e199).unwrap();
    close(
        gg.expected_mean_spend(0, 0.0).unwrap(),
        7.6e143 / 4.4e229 * 3.9e199,
        1e-14,
    );
    // x = 3, z̄ = 1e300: px = 2.3e144 is nothing against q, so the weight of
    // z̄ is px/(q − 1) = 5.18e-86 and E = 6.736e113 + 5.18e214.
    let e = gg.expected_mean_spend(3, 1e300).unwrap();
    close(
        e,
        7.6e143 / 4.4e229 * 3.9e199 + 3.0 * 7.6e143 / 4.4e229 * 1e300,
        1e-14,
    );
    // p tiny against q − 1, so (q − 1)/p = 99999/1e-305 overflows: E =
    // pγ/(q − 1) = 1e-305 × 1e10 / 99999 (x = 0).
    let gg = GammaGammaParams::new(1e-305, 1e5, 1e10).unwrap();
    close(
        gg.expected_mean_spend(0, 0.0).unwrap(),
        1e-305 * 1e10 / (1e5 - 1.0),
        1e-13,
    );
    // A mean beyond f64 is an error, not inf: pγ/(q − 1) = 1e300 × 1e300 / 1.
    let gg = GammaGammaParams::new(1e300, 2.0, 1e300).unwrap();
    assert!(gg.expected_mean_spend(0, 0.0).is_err());
}
