use super::*;
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
    let v = clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, 3, 5.0, 0.1).unwrap();
    assert!((v - (10.0 / 1.1 + 10.0 / 1.21 + 10.0 / 1.331)).abs() < 1e-12);
    assert_eq!(clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, 0, 5.0, 0.1).unwrap(), 0.0);
    assert!(clv(&Toy, &gg, 1, 2.0, 3.0, 20.0, 3, 5.0, -0.1).is_err());
    assert!(clv(&Toy, &gg, 1, 4.0, 3.0, 20.0, 3, 5.0, 0.1).is_err());
}

#[test]
fn at_risk_orders_by_probability_alive_then_overdue() {
    // Toy: P(alive) = 1/(1 + x). Customers 5 and 6 both have x = 1 (P = 1/2):
    // 6 is more overdue (last purchase longer ago relative to its gap).
    let ids = [4, 5, 5, 6, 6, 7, 7, 7];
    let days = [0, 0, 10, 0, 2, 0, 1, 2];
    let log =
        TransactionLog::new(&ids, &days, Some(&[1.0, 2.0, 4.0, 1.0, 3.0, 1.0, 1.0, 1.0])).unwrap();
    let s = crate::summary::summary(
        &log,
        &crate::summary::SummaryOptions {
            observation_end: Some(12),
            unit: TimeUnit::Days,
        },
    )
    .unwrap();
    let list = at_risk(&Toy, &s, 10.0).unwrap();
    let order: Vec<u64> = list.iter().map(|r| r.customer_id).collect();
    // 7 (x = 2, P 1/3), then 6 (overdue (12 − 2)/2 = 5), 5 ((12 − 10)/10 = 0.2), 4 (x = 0, P 1).
    assert_eq!(order, [7, 6, 5, 4]);
    assert_eq!(list[1].overdue, Some(5.0));
    assert_eq!(list[3].overdue, None);
    // Value at stake of 5: E[Y(10)] = 10 × 2/10 = 2 purchases × mean repeat spend 4.
    assert_eq!(list[2].value_at_stake, 8.0);
}

#[test]
fn from_predictions_checks_its_input() {
    use crate::Error;
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
