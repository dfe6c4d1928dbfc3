use super::*;
use crate::models::check::{clv, ClvOptions};
use crate::models::gamma_gamma::GammaGammaParams;

/// Fader, Hardie & Lee (2005)'s CDNOW BG/NBD estimates (weeks); the same
/// numbers serve as MBG/NBD and Pareto/NBD parameters for the dispatch checks.
const CDNOW: [f64; 4] = [0.243, 4.414, 0.793, 2.426];

/// Customers (x, t_x, T) in weeks, with repeats so that the distinct-value
/// passes have something to share.
fn customers() -> (Vec<u32>, Vec<f64>, Vec<f64>) {
    let rows = [
        (0, 0.0, 38.86),
        (2, 30.43, 38.86),
        (0, 0.0, 38.86),
        (7, 29.43, 35.0),
        (2, 30.43, 38.86),
        (2, 10.0, 38.86),
        (1, 1.0, 20.0),
    ];
    (
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| r.2).collect(),
    )
}

fn all_kinds() -> Vec<RepeatParams> {
    RepeatKind::ALL
        .iter()
        .map(|&k| RepeatParams::new(k, CDNOW).unwrap())
        .collect()
}

#[test]
fn the_enum_gives_each_models_own_numbers() {
    let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let mbg = MbgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let pareto = ParetoNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    let concrete: [&dyn Fn(u32, f64, f64) -> (f64, f64); 3] = [
        &|x, tx, t| {
            (
                bg.probability_alive(x, tx, t).unwrap(),
                bg.expected_purchases(x, tx, t, 39.0).unwrap(),
            )
        },
        &|x, tx, t| {
            (
                mbg.probability_alive(x, tx, t).unwrap(),
                mbg.expected_purchases(x, tx, t, 39.0).unwrap(),
            )
        },
        &|x, tx, t| {
            (
                pareto.probability_alive(x, tx, t).unwrap(),
                pareto.expected_purchases(x, tx, t, 39.0).unwrap(),
            )
        },
    ];
    let (x, tx, t) = customers();
    for (m, want) in all_kinds().iter().zip(concrete) {
        assert_eq!(m.values(), CDNOW);
        let p = m.predict_columns(&x, &tx, &t, 39.0).unwrap();
        for i in 0..x.len() {
            let (alive, expected) = want(x[i], tx[i], t[i]);
            assert_eq!(m.probability_alive(x[i], tx[i], t[i]).unwrap(), alive);
            assert_eq!(p.probability_alive[i], alive, "{:?} row {i}", m.kind());
            assert_eq!(p.expected_purchases[i], expected, "{:?} row {i}", m.kind());
        }
    }
    assert_eq!(
        RepeatKind::ParetoNbd.parameter_names(),
        ["r", "alpha", "s", "beta"]
    );
    assert_eq!(RepeatKind::MbgNbd.label(), "MBG/NBD");
}

#[test]
fn discounted_purchases_equal_the_clv_sum_per_customer() {
    // BG/NBD's factored pass (once per (x, T)) and the generic pass of the
    // others against the one-customer CLV with a spend model whose mean
    // spend is 1 at x = 0 (Gamma-Gamma pγ/(q − 1) = 2 × 1 / 2).
    let spend = GammaGammaParams::new(2.0, 3.0, 1.0).unwrap();
    let o = ClvOptions::monthly(crate::summary::TimeUnit::Weeks);
    let (x, tx, t) = customers();
    for m in all_kinds() {
        let d = m.discounted_purchases(&x, &tx, &t, &o).unwrap();
        for i in 0..x.len() {
            let one = clv(&m, &spend, x[i], tx[i], t[i], 0.0, &o).unwrap()
                / spend.expected_mean_spend(x[i], 0.0).unwrap();
            assert!(
                (d[i] - one).abs() <= 1e-12 * one.max(1e-300),
                "{:?} row {i}: {} vs {one}",
                m.kind(),
                d[i]
            );
        }
    }
}

#[test]
fn column_passes_name_the_bad_row() {
    let (mut x, tx, t) = customers();
    x[3] = 0; // x = 0 with t_x = 29.43: impossible
    for m in all_kinds() {
        let err = m.predict_columns(&x, &tx, &t, 1.0).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidValue {
                    column: "recency",
                    row: 3,
                    ..
                }
            ),
            "{err:?}"
        );
        let err = m
            .discounted_purchases(&x, &tx, &t, &ClvOptions::default())
            .unwrap_err();
        assert!(matches!(err, Error::InvalidValue { row: 3, .. }), "{err:?}");
        let err = m.predict_columns(&x, &tx[..2], &t, 1.0).unwrap_err();
        assert!(matches!(
            err,
            Error::LengthMismatch {
                column: "recency",
                expected: 7,
                got: 2
            }
        ));
    }
}

#[test]
fn fit_repeat_is_each_models_fit() {
    let (x, tx, t) = customers();
    let data = RepeatData::new(&x, &tx, &t, None).unwrap();
    let o = FitOptions::default();
    let bg = fit_repeat(RepeatKind::BgNbd, &data, &o).unwrap();
    assert_eq!(
        bg.params,
        RepeatParams::BgNbd(fit_bg_nbd(&data, &o).unwrap().params)
    );
    let pareto = fit_repeat(RepeatKind::ParetoNbd, &data, &o).unwrap();
    let direct = fit_pareto_nbd(&data, &o).unwrap();
    assert_eq!(pareto.params, RepeatParams::ParetoNbd(direct.params));
    assert_eq!(pareto.log_likelihood, direct.log_likelihood);
    assert_eq!(
        pareto.params.log_likelihood(&data),
        direct.params.log_likelihood(&data)
    );
    assert_eq!(<MbgNbdParams as RepeatFit>::KIND, RepeatKind::MbgNbd);
}

#[cfg(feature = "serde")]
#[test]
fn parameters_serialize_tagged_with_the_models_name() {
    let m = RepeatParams::new(RepeatKind::BgNbd, [1.0, 2.0, 3.0, 4.0]).unwrap();
    let json = serde_json::to_string(&m).unwrap();
    assert_eq!(
        json,
        r#"{"model":"bg_nbd","r":1.0,"alpha":2.0,"a":3.0,"b":4.0}"#
    );
    assert_eq!(serde_json::from_str::<RepeatParams>(&json).unwrap(), m);
}

#[test]
fn grouped_columns_are_the_compressed_summary_to_the_bit() {
    use crate::summary::{summary, SummaryOptions, TimeUnit};
    use crate::TransactionLog;
    // Six customers, two pairs of them with the same (x, t_x, T) in days:
    // 1 and 4 (x = 1, t_x = 7, T = 21), 2 and 5 (x = 0, T = 14).
    let ids = [1, 1, 2, 3, 3, 3, 4, 4, 5, 6];
    let days = [0, 7, 7, 0, 3, 10, 0, 7, 7, 20];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let s = summary(
        &log,
        &SummaryOptions {
            observation_end: Some(21),
            unit: TimeUnit::Weeks,
        },
    )
    .unwrap();
    let from_summary = RepeatData::from_summary(&s.compress()).unwrap();
    let grouped = RepeatData::grouped(&s.frequency, &s.recency(), &s.age(), None).unwrap();
    assert_eq!(grouped, from_summary);
    assert_eq!((grouped.len(), grouped.customers()), (4, 6.0));
    // Given in another order, the rows are the same.
    let rev = |v: &[f64]| v.iter().rev().copied().collect::<Vec<_>>();
    let x: Vec<u32> = s.frequency.iter().rev().copied().collect();
    let again = RepeatData::grouped(&x, &rev(&s.recency()), &rev(&s.age()), None).unwrap();
    assert_eq!(again, from_summary);
    // Errors name the row of the columns given.
    let err = RepeatData::grouped(&[1, 1], &[2.0, 5.0], &[3.0, 4.0], None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `recency`, row 1: recency 5 is beyond the age 4"
    );
}
