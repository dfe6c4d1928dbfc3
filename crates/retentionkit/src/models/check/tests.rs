use super::*;
use crate::error::Error;
use crate::models::bg_nbd::Predictions;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::summary::{calibration_holdout, TimeUnit};
use crate::TransactionLog;

/// A stand-in model: P(alive) = 1 / (1 + x), E[Y(h)] = h × (x + 1) / 10.
struct Toy;

impl RepeatModel for Toy {
    fn probability_alive(&self, frequency: u32, _: f64, _: f64) -> Result<f64> {
        Ok(1.0 / (1.0 + f64::from(frequency)))
    }
    fn expected_purchases(&self, frequency: u32, _: f64, _: f64, horizon: f64) -> Result<f64> {
        Ok(horizon * (f64::from(frequency) + 1.0) / 10.0)
    }
    fn expected_purchases_new(&self, horizon: f64) -> Result<f64> {
        Ok(horizon / 10.0)
    }
    fn log_likelihood(&self, _: &crate::models::RepeatData) -> f64 {
        0.0
    }
    // The checks use only the expectations; the Toy has no distribution.
    fn probability_of_purchases_new(&self, _: f64, _: u32) -> Result<f64> {
        Err(crate::error::invalid_arg(
            "model",
            "the Toy has no distribution",
        ))
    }
    fn probability_of_purchases(&self, _: u32, _: f64, _: f64, _: f64, _: u32) -> Result<f64> {
        Err(crate::error::invalid_arg(
            "model",
            "the Toy has no distribution",
        ))
    }
    fn probability_alive_at(&self, _: u32, _: f64, _: f64, _: f64) -> Result<f64> {
        Err(crate::error::invalid_arg(
            "model",
            "the Toy has no distribution",
        ))
    }
    fn dert(&self, _: u32, _: f64, _: f64, _: f64) -> Result<f64> {
        Err(crate::error::invalid_arg(
            "model",
            "the Toy has no distribution",
        ))
    }
}

#[test]
fn holdout_errors_and_frequency_table_by_hand() {
    // Days: customer 1 buys on 0, 2, 4 (x = 2 by day 5) and on 7 and 9 in the
    // holdout (2 days); customer 2 buys on 1 (x = 0), nothing later;
    // customer 3 buys on 0 and 1 (x = 1) and on 6 (1 day).
    let ids = [1, 2, 1, 3, 3, 1, 3, 1, 1];
    let days = [0, 1, 2, 0, 1, 4, 6, 7, 9];
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let split = calibration_holdout(&log, 5, Some(10), TimeUnit::Days).unwrap();
    assert_eq!(split.duration_holdout, 5.0);
    let c = holdout_check(&Toy, &split).unwrap();
    // Toy predicts 5 (x + 1) / 10: 1.5, 0.5, 1.0; actual 2, 0, 1.
    assert_eq!(c.predicted, [1.5, 0.5, 1.0]);
    assert_eq!(c.actual, [2, 0, 1]);
    // Errors −0.5, 0.5, 0: MAE 1/3, RMSE √(0.5/3), bias 0.
    assert!((c.mae - 1.0 / 3.0).abs() < 1e-15);
    assert!((c.rmse - (0.5f64 / 3.0).sqrt()).abs() < 1e-15);
    assert!(c.bias.abs() < 1e-15);
    let rows: Vec<(u32, u64, f64, f64)> = c
        .by_frequency
        .iter()
        .map(|r| (r.frequency, r.customers, r.mean_actual, r.mean_predicted))
        .collect();
    assert_eq!(rows, [(0, 1, 0.0, 0.5), (1, 1, 1.0, 1.0), (2, 1, 2.0, 1.5)]);
}

#[test]
fn frequencies_of_seven_and_more_share_a_row() {
    // Customer 1: 9 purchase days before day 20 (x = 8); customer 2: 8 (x = 7).
    let mut ids = vec![];
    let mut days = vec![];
    for d in 0..9 {
        ids.push(1);
        days.push(d);
    }
    for d in 0..8 {
        ids.push(2);
        days.push(d * 2);
    }
    ids.push(2);
    days.push(25);
    let log = TransactionLog::new(&ids, &days, None).unwrap();
    let split = calibration_holdout(&log, 20, Some(30), TimeUnit::Days).unwrap();
    let c = holdout_check(&Toy, &split).unwrap();
    // One row "7+": predictions 10 × 9/10 = 9 and 10 × 8/10 = 8, mean 8.5;
    // actual 0 and 1, mean 0.5.
    assert_eq!(c.by_frequency.len(), 1);
    let r = c.by_frequency[0];
    assert_eq!(
        (r.frequency, r.customers, r.mean_actual, r.mean_predicted),
        (7, 2, 0.5, 8.5)
    );
}

#[test]
fn clv_discounts_each_periods_expected_purchases() {
    // Toy with x = 1: E[Y(t)] = t/5, so each period of length 5 adds one
    // purchase. Gamma-Gamma p = 1, q = 3, γ = 10, x = 1, z̄ = 20:
    // E[M] = 1 × (10 + 20) / (1 + 3 − 1) = 10. Three periods at 10 %:
    // 10/1.1 + 10/1.21 + 10/1.331 = 24.868519909842224.
    let gg = GammaGammaParams::new(1.0, 3.0, 10.0).unwrap();
    let o = |periods, discount| ClvOptions {
        periods,
        period_length: 5.0,
        discount,
    };
    let v = clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, &o(3, 0.1)).unwrap();
    assert!((v - (10.0 / 1.1 + 10.0 / 1.21 + 10.0 / 1.331)).abs() < 1e-12);
    assert_eq!(clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, &o(0, 0.1)).unwrap(), 0.0);
    assert!(clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, &o(3, -0.1)).is_err());
    assert!(clv(&Toy, &gg, 1, 4.0, 3.0, 20.0, &o(3, 0.1)).is_err());
    // The columns version: the same sum per row (Toy's E[Y] depends on x
    // only, so rows 0 and 2 share one evaluation), and errors at their row.
    let all = clv_values(
        &Toy,
        &gg,
        &[1, 0, 1],
        &[2.0, 0.0, 2.0],
        &[3.0, 3.0, 3.0],
        &[20.0, 0.0, 20.0],
        &o(3, 0.1),
    )
    .unwrap();
    assert_eq!(all[0], v);
    assert_eq!(all[2], v);
    // x = 0: E[Y(t)] = t/10, half a purchase a period; E[M] = pγ/(q − 1) = 5.
    assert!((all[1] - 2.5 * (1.0 / 1.1 + 1.0 / 1.21 + 1.0 / 1.331)).abs() < 1e-12);
    let bad = clv_values(
        &Toy,
        &gg,
        &[1, 1],
        &[2.0, 4.0],
        &[3.0, 3.0],
        &[1.0, 1.0],
        &o(3, 0.1),
    );
    assert!(
        matches!(bad, Err(Error::InvalidValue { row: 1, .. })),
        "{bad:?}"
    );
    let short = clv_values(
        &Toy,
        &gg,
        &[1, 1],
        &[2.0, 2.0],
        &[3.0, 3.0],
        &[1.0],
        &o(3, 0.1),
    );
    assert!(matches!(
        short,
        Err(Error::LengthMismatch {
            column: "monetary_value",
            ..
        })
    ));
}

#[test]
fn clv_options_follow_the_models_unit_as_lifetimes() {
    // lifetimes 0.11.3 customer_lifetime_value: time=12 months,
    // discount_rate=0.01, a month = 30 days (freq 'D') or 4.345 weeks ('W').
    assert_eq!(
        ClvOptions::monthly(TimeUnit::Days),
        ClvOptions {
            periods: 12,
            period_length: 30.0,
            discount: 0.01
        }
    );
    assert_eq!(ClvOptions::monthly(TimeUnit::Weeks).period_length, 4.345);
    assert_eq!(ClvOptions::default(), ClvOptions::monthly(TimeUnit::Days));
}

/// The summary of the at-risk tests, observed to day 12: customer 4 buys
/// once; 5 on days 0 and 10 (spend 2, 4); 6 on 0 and 2 (1, 3); 7 on 0, 1, 2;
/// 8 on 0, 1, 2, 3 (spend 1 each).
fn at_risk_summary(amounts: bool) -> crate::summary::Summary {
    let ids = [4, 5, 5, 6, 6, 7, 7, 7, 8, 8, 8, 8];
    let days = [0, 0, 10, 0, 2, 0, 1, 2, 0, 1, 2, 3];
    let spend = [1.0, 2.0, 4.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let log = TransactionLog::new(&ids, &days, amounts.then_some(&spend[..])).unwrap();
    let options = crate::summary::SummaryOptions {
        observation_end: Some(12),
        unit: TimeUnit::Days,
    };
    crate::summary::summary(&log, &options).unwrap()
}

#[test]
fn at_risk_keeps_repeat_customers_between_the_floor_and_the_threshold() {
    // Toy: P(alive) = 1/(1 + x): 4 (x = 0) is a one-time buyer; 5 and 6
    // (x = 1, P 1/2) and 7 (x = 2, P 1/3) are in [0.3, 0.6); 8 (x = 3,
    // P 1/4) is below the floor 0.3: lost.
    let s = at_risk_summary(true);
    let mut o = AtRiskOptions {
        horizon: 10.0,
        threshold: 0.6,
        lost_below: 0.3,
        limit: None,
    };
    let list = at_risk(&Toy, &s, &o).unwrap();
    // Value at stake E[Y(10)] = 10 (x + 1)/10 times the mean repeat spend:
    // 5: 2 × 4 = 8; 6: 2 × 3 = 6; 7: 3 × 1 = 3.
    let rows: Vec<(u64, f64, f64)> = list
        .iter()
        .map(|r| (r.customer_id, r.expected_purchases, r.value_at_stake))
        .collect();
    assert_eq!(rows, [(5, 2.0, 8.0), (6, 2.0, 6.0), (7, 3.0, 3.0)]);
    // Overdue (T − t_x)/(t_x/x): 5: 2/10; 6: 10/2; 7: 10/1.
    let overdue: Vec<f64> = list.iter().map(|r| r.overdue).collect();
    assert_eq!(overdue, [0.2, 5.0, 10.0]);
    assert_eq!((list[1].frequency, list[1].last_day), (1, 2));
    o.limit = Some(2);
    assert_eq!(at_risk(&Toy, &s, &o).unwrap().len(), 2);
    // Without amounts every value at stake is 0: more expected purchases
    // first (7), then the smaller id.
    let ids: Vec<u64> = at_risk(&Toy, &at_risk_summary(false), &o)
        .unwrap()
        .iter()
        .map(|r| r.customer_id)
        .collect();
    assert_eq!(ids, [7, 5]);
    // The default threshold 0.5 is strict: x = 1 (P exactly 1/2) is not at
    // risk; the floor 0.01 keeps 8 (x = 3, P 1/4), whose value at stake
    // 10 × 4/10 × 1 = 4 comes before 7's 3.
    let d = AtRiskOptions {
        horizon: 10.0,
        ..AtRiskOptions::default()
    };
    let ids: Vec<u64> = at_risk(&Toy, &s, &d)
        .unwrap()
        .iter()
        .map(|r| r.customer_id)
        .collect();
    assert_eq!(ids, [8, 7]);
}

#[test]
fn at_risk_options_are_checked() {
    let s = at_risk_summary(true);
    let bad = |o: AtRiskOptions| match at_risk(&Toy, &s, &o) {
        Err(Error::InvalidArgument { name, .. }) => name,
        other => panic!("{other:?}"),
    };
    let d = AtRiskOptions::default();
    assert_eq!(
        bad(AtRiskOptions {
            threshold: 1.5,
            ..d
        }),
        "threshold"
    );
    assert_eq!(
        bad(AtRiskOptions {
            lost_below: 0.6,
            ..d
        }),
        "lost_below"
    );
    assert_eq!(
        bad(AtRiskOptions {
            horizon: f64::NAN,
            ..d
        }),
        "horizon"
    );
    let p = Toy.predict(&s, 1.0).unwrap();
    let short = Predictions {
        probability_alive: vec![0.1],
        ..p
    };
    assert!(matches!(
        at_risk_from_predictions(&s, &short, &d),
        Err(Error::LengthMismatch {
            column: "probability_alive",
            ..
        })
    ));
    assert_eq!(AtRiskOptions::for_unit(TimeUnit::Weeks).horizon, 52.0);
}

#[test]
fn from_predictions_checks_its_input() {
    let log = TransactionLog::new(&[1, 1, 2, 1, 1], &[0, 10, 5, 40, 50], None).unwrap();
    let split = calibration_holdout(&log, 30, Some(60), TimeUnit::Days).unwrap();
    assert!(matches!(
        HoldoutCheck::from_predictions(vec![1.0], &split),
        Err(Error::LengthMismatch {
            expected: 2,
            got: 1,
            ..
        })
    ));
    assert!(matches!(
        HoldoutCheck::from_predictions(vec![1.0, f64::NAN], &split),
        Err(Error::InvalidValue { row: 1, .. })
    ));
    assert!(matches!(
        HoldoutCheck::from_predictions(vec![-1.0, 0.0], &split),
        Err(Error::InvalidValue { row: 0, .. })
    ));
    // Hand check: errors 1.5 − 2 = −0.5 (x = 1) and 0.5 − 0 (x = 0):
    // RMSE = sqrt((0.25 + 0.25)/2) = 0.5; one row per calibration frequency.
    let c = HoldoutCheck::from_predictions(vec![1.5, 0.5], &split).unwrap();
    assert_eq!(c.rmse, 0.5);
    assert_eq!(
        c.by_frequency
            .iter()
            .map(|r| r.frequency)
            .collect::<Vec<_>>(),
        [0, 1]
    );
}

#[test]
fn discounted_sum_by_parts_equals_the_sum_of_increments() {
    // E(h) = h with periods of 2 at 10 %: Σₖ 2 / 1.1ᵏ for k = 1..=3 =
    // 2 (1/1.1 + 1/1.21 + 1/1.331) (the sum of increments, by hand).
    let o = ClvOptions {
        periods: 3,
        period_length: 2.0,
        discount: 0.1,
    };
    let got = o.discounted_sum(Ok).unwrap();
    let want = 2.0 * (1.0 / 1.1 + 1.0 / 1.21 + 1.0 / 1.331);
    assert!((got - want).abs() < 1e-15, "{got} vs {want}");
    // Undiscounted, the increments telescope to the last E, even if E
    // dips (rounding in a model's E can do that): E = 1, 0.5 → 0.5.
    let o = ClvOptions {
        periods: 2,
        period_length: 1.0,
        discount: 0.0,
    };
    assert_eq!(
        o.discounted_sum(|h| Ok(if h < 1.5 { 1.0 } else { 0.5 }))
            .unwrap(),
        0.5
    );
    // Non-negative E gives a non-negative sum: every term E_k vᵏ (1 − v) ≥ 0.
    let o = ClvOptions {
        periods: 12,
        period_length: 30.0,
        discount: 0.01,
    };
    let wobble = |h: f64| {
        Ok(1e-20
            + if (h / 30.0).rem_euclid(2.0) < 0.5 {
                0.0
            } else {
                1e-36
            })
    };
    assert!(o.discounted_sum(wobble).unwrap() >= 0.0);
}
