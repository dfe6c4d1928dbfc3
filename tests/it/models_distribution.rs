//! The predictive distributions of the shared model interface
//! ([`RepeatModel`]): the whole-summary table of P(exactly n purchases),
//! P(alive at T + t) and DERT, for BG/NBD, MBG/NBD and Pareto/NBD through
//! [`RepeatParams`] (the value every front-end holds).

use retentionkit::models::check::ClvOptions;
use retentionkit::models::repeat::{RepeatKind, RepeatModel, RepeatParams};
use retentionkit::models::simulate;
use retentionkit::Error;

/// The published CDNOW estimates (weeks): BG/NBD and Pareto/NBD of Fader,
/// Hardie & Lee (2005), MBG/NBD as lifetimes 0.11.3 fits it
/// (tests/data/models/lifetimes_mbg_nbd.txt).
fn models() -> [RepeatParams; 3] {
    [
        RepeatParams::new(RepeatKind::BgNbd, [0.243, 4.414, 0.793, 2.426]).unwrap(),
        RepeatParams::new(RepeatKind::MbgNbd, [0.525, 6.183, 0.891, 1.614]).unwrap(),
        RepeatParams::new(RepeatKind::ParetoNbd, [0.553, 10.578, 0.606, 11.669]).unwrap(),
    ]
}

/// CDNOW-like customers (x, t_x, T) in weeks, one of them twice (the table
/// evaluates it once and must give it both rows).
const FREQUENCY: [u32; 6] = [0, 1, 4, 12, 1, 30];
const RECENCY: [f64; 6] = [0.0, 30.43, 20.0, 38.0, 30.43, 70.0];
const AGE: [f64; 6] = [38.86, 38.86, 39.0, 39.0, 38.86, 78.0];

#[test]
fn the_table_sums_to_one_has_the_model_mean_and_equals_the_one_customer_formula() {
    // 400 purchases in 39 weeks: the largest tail left out, the heavy
    // buyer's (x = 30 in 78 weeks, mean ≈ 14), is below 1e-12 there.
    let (horizon, max_n) = (39.0, 400);
    for m in models() {
        let table = m
            .purchase_distribution(&FREQUENCY, &RECENCY, &AGE, horizon, max_n)
            .unwrap();
        assert_eq!(table.rows(), FREQUENCY.len());
        assert!(table.row(FREQUENCY.len()).is_none());
        let expected = m
            .predict_columns(&FREQUENCY, &RECENCY, &AGE, horizon)
            .unwrap()
            .expected_purchases;
        for i in 0..FREQUENCY.len() {
            let row = table.row(i).unwrap();
            let total: f64 = row.iter().sum();
            let mean: f64 = row.iter().zip(0u32..).map(|(p, n)| p * f64::from(n)).sum();
            assert!((total - 1.0).abs() < 1e-10, "{m:?} row {i}: Σ P = {total}");
            assert!(
                (mean - expected[i]).abs() <= 1e-8 * expected[i].max(1e-3),
                "{m:?} row {i}: Σ n P = {mean}, expected purchases {}",
                expected[i]
            );
            let (x, tx, t) = (FREQUENCY[i], RECENCY[i], AGE[i]);
            for n in [0, 1, 7] {
                let one = m.probability_of_purchases(x, tx, t, horizon, n).unwrap();
                assert_eq!(row[n as usize], one);
            }
            assert_eq!(
                table.probability_no_purchase(i).unwrap(),
                m.probability_no_purchase(x, tx, t, horizon).unwrap()
            );
        }
    }
}

#[test]
fn bg_nbd_new_customer_through_the_interface_matches_lifetimes() {
    // lifetimes 0.11.3 BetaGeoFitter.probability_of_n_purchases_up_to_time
    // with FHL (2005)'s CDNOW estimates (tests/data/models/lifetimes_counts.txt).
    let bg = &models()[0];
    for (t, n, want) in [
        (1.5, 0, 0.931_380_401_529_148_6),
        (39.0, 2, 0.085_429_759_539_060_72),
        (78.0, 8, 0.009_799_256_580_524_95),
    ] {
        let got = bg.probability_of_purchases_new(t, n).unwrap();
        assert!(
            (got - want).abs() <= 1e-9 * want + 1e-15,
            "{t}, {n}: {got} vs {want}"
        );
    }
}

#[test]
fn the_table_rejects_bad_input_with_typed_errors() {
    let m = &models()[0];
    assert!(matches!(
        m.purchase_distribution(&[1], &[2.0], &[3.0], 1.0, 100_001),
        Err(Error::InvalidArgument { name: "max_n", .. })
    ));
    assert!(matches!(
        m.purchase_distribution(&[1], &[2.0, 1.0], &[3.0], 1.0, 3),
        Err(Error::LengthMismatch { .. })
    ));
    assert!(matches!(
        m.purchase_distribution(&[1, 1], &[2.0, 4.0], &[3.0, 3.0], 1.0, 3),
        Err(Error::InvalidValue {
            column: "recency",
            row: 1,
            ..
        })
    ));
    assert!(matches!(
        m.probability_alive_at_columns(&[1], &[2.0], &[3.0], f64::NAN),
        Err(Error::InvalidArgument {
            name: "horizon",
            ..
        })
    ));
    for bad in [0.0, -0.1, f64::INFINITY, f64::NAN] {
        assert!(matches!(
            m.dert_columns(&[1], &[2.0], &[3.0], bad),
            Err(Error::InvalidArgument {
                name: "discount_rate",
                ..
            })
        ));
    }
}

#[test]
fn alive_later_starts_at_alive_now_and_falls() {
    for m in models() {
        for i in 0..FREQUENCY.len() {
            let (x, tx, t) = (FREQUENCY[i], RECENCY[i], AGE[i]);
            let now = m.probability_alive(x, tx, t).unwrap();
            assert_eq!(m.probability_alive_at(x, tx, t, 0.0).unwrap(), now);
            let mut last = now;
            for h in [1.0, 10.0, 52.0, 520.0] {
                let later = m.probability_alive_at(x, tx, t, h).unwrap();
                assert!(
                    later < last && later > 0.0,
                    "{m:?}, row {i}, {h}: {later} after {last}"
                );
                // Alive at T + h with no purchase in (T, T + h] is part of
                // "no purchase", and being dead at T is too.
                let none = m.probability_no_purchase(x, tx, t, h).unwrap();
                assert!(none >= 1.0 - now - 1e-15);
                last = later;
            }
        }
        let got = m
            .probability_alive_at_columns(&FREQUENCY, &RECENCY, &AGE, 52.0)
            .unwrap();
        for i in 0..FREQUENCY.len() {
            let one = m
                .probability_alive_at(FREQUENCY[i], RECENCY[i], AGE[i], 52.0)
                .unwrap();
            assert_eq!(got[i], one);
        }
    }
}

#[test]
fn bg_nbd_alive_later_equals_the_integral_over_the_dropout_probability() {
    // Given alive at T, P(alive at T + t) = P(alive at T) E_p[(α'/(α' + t p))^{r'}]
    // with α' = α + T, r' = r + x, p ~ beta(a, b + x): here a = 2, b = 3,
    // x = 2 (so beta(2, 5), density 30 p (1 − p)⁴), integrated by
    // Simpson's rule on 20,000 intervals (error ~1e-16 for this smooth
    // integrand), a route that shares no code with the model's series.
    let m = RepeatParams::new(RepeatKind::BgNbd, [0.7, 5.0, 2.0, 3.0]).unwrap();
    let (x, tx, age, t) = (2u32, 8.0, 12.0, 30.0);
    let (r1, a1) = (0.7 + 2.0, 5.0 + age);
    let f = |p: f64| 30.0 * p * (1.0 - p).powi(4) * (a1 / (a1 + t * p)).powf(r1);
    let steps = 20_000;
    let h = 1.0 / f64::from(steps);
    let mut simpson = f(0.0) + f(1.0);
    for k in 1..steps {
        let w = if k % 2 == 1 { 4.0 } else { 2.0 };
        simpson += w * f(f64::from(k) * h);
    }
    let want = m.probability_alive(x, tx, age).unwrap() * simpson * h / 3.0;
    let got = m.probability_alive_at(x, tx, age, t).unwrap();
    assert!((got - want).abs() < 1e-13, "{got} vs {want}");
}

#[test]
fn dert_lies_between_the_period_end_and_period_start_discounted_sums() {
    // Discounting each period's expected purchases at the period's end
    // (ClvOptions, per-period rate e^{δℓ} − 1) undercounts DERT =
    // ∫ e^{−δu} dE[Y(u)], and at its start (the same sum × e^{δℓ})
    // overcounts it; 1,200 periods of ℓ = 0.5 weeks at δ = 0.05 a week
    // leave out e^{−30} of the tail.
    let (delta, ell, periods) = (0.05f64, 0.5f64, 1_200u32);
    let options = ClvOptions::default()
        .with_periods(periods)
        .with_period_length(ell)
        .with_discount((delta * ell).exp_m1());
    let (x, tx, t) = (&FREQUENCY[..4], &RECENCY[..4], &AGE[..4]);
    for m in models() {
        let end = m.discounted_purchases(x, tx, t, &options).unwrap();
        let dert = m.dert_columns(x, tx, t, delta).unwrap();
        for i in 0..x.len() {
            let start = end[i] * (delta * ell).exp();
            assert!(
                end[i] <= dert[i] * (1.0 + 1e-9) && dert[i] <= start * (1.0 + 1e-9),
                "{m:?} row {i}: {} ≤ {} ≤ {start}",
                end[i],
                dert[i]
            );
        }
    }
}

#[test]
fn new_customers_simulated_from_the_model_follow_its_distribution() {
    // 100,000 simulated new customers observed for 39 weeks (simulate::repeat,
    // seed 21). Each count's frequency is binomial(N, P(n)), whose standard
    // deviation is √(P(1 − P)/N) ≤ 0.0016; 5 of them is a fair tolerance
    // (a correct model fails it with probability below 1e-6 per count) that
    // still catches an error of 1 % in P(0).
    let customers = 100_000usize;
    let ages = vec![39.0; customers];
    for m in models() {
        let sim = simulate::repeat(&m, &ages, 21).unwrap();
        for n in 0..=5u32 {
            let seen = sim.frequency.iter().filter(|&&f| f == n).count() as f64 / customers as f64;
            let p = m.probability_of_purchases_new(39.0, n).unwrap();
            let sd = (p * (1.0 - p) / customers as f64).sqrt();
            assert!(
                (seen - p).abs() <= 5.0 * sd,
                "{m:?}, n = {n}: simulated {seen}, model {p} (sd {sd})"
            );
        }
    }
}
