//! The report's model parts: BG/NBD and Gamma-Gamma fits, the holdout
//! check, CLV and the at-risk list.

use std::collections::HashMap;

use rayon::prelude::*;
use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams, Predictions};
use retentionkit::models::check::{at_risk, HoldoutCheck};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions};
use retentionkit::period::format_day;
use retentionkit::summary::{CalibrationHoldout, Summary};

use super::{AtRiskOut, BgNbdOut, ClvOut, GammaGammaOut, HoldoutOut, Settings, WEEKS_PER_MONTH};
use crate::error::{CliError, Result};
use crate::input::Table;

fn bg_out(fit: &Fit<BgNbdParams>, data: &RepeatData) -> BgNbdOut {
    BgNbdOut {
        params: fit.params,
        standard_errors: fit.standard_errors,
        log_likelihood: fit.log_likelihood,
        iterations: fit.iterations,
        status: fit.status,
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: a count of customers
        customers: data.customers().round() as usize,
        distinct_rows: data.len(),
    }
}

/// Fit BG/NBD (weeks) on a summary.
pub fn fit_summary(s: &Summary) -> Result<(Fit<BgNbdParams>, BgNbdOut)> {
    let data = RepeatData::from_summary(&s.compress())?;
    let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    let out = bg_out(&fit, &data);
    Ok((fit, out))
}

/// The holdout check of [`retentionkit::models::check::holdout_check`]
/// (MAE, RMSE, bias and the table by calibration frequency, 7 = 7+), with
/// the expected purchases from [`BgNbdParams::predict`], which gives the
/// same values customer by customer and evaluates the hypergeometric part
/// once per distinct (x, T) instead of once per customer.
pub fn holdout_metrics(model: &BgNbdParams, split: &CalibrationHoldout) -> Result<HoldoutCheck> {
    let predicted = model
        .predict(&split.calibration, split.duration_holdout)?
        .expected_purchases;
    Ok(HoldoutCheck::from_predictions(predicted, split)?)
}

/// Most calibration customers of the holdout check: above it, the check
/// (fit and comparison) runs on an evenly spaced subsample, every k-th
/// customer in summary order. The model used for predictions is always
/// fitted on every customer.
pub const HOLDOUT_FIT_MAX: usize = 250_000;

/// Elements 0, k, 2k, ... of a column.
fn every<T: Copy>(v: &[T], k: usize) -> Vec<T> {
    v.iter().step_by(k).copied().collect()
}

/// Every k-th customer of a calibration/holdout split, when it has more
/// than `max` customers.
fn subsample(split: &CalibrationHoldout, max: usize) -> Option<CalibrationHoldout> {
    let c = &split.calibration;
    if c.len() <= max {
        return None;
    }
    let stride = c.len().div_ceil(max);
    Some(CalibrationHoldout {
        calibration: Summary {
            customer_id: every(&c.customer_id, stride),
            first_day: every(&c.first_day, stride),
            last_day: every(&c.last_day, stride),
            frequency: every(&c.frequency, stride),
            monetary_value: c.monetary_value.as_deref().map(|m| every(m, stride)),
            observation_end: c.observation_end,
            unit: c.unit,
        },
        frequency_holdout: every(&split.frequency_holdout, stride),
        monetary_value_holdout: split
            .monetary_value_holdout
            .as_deref()
            .map(|m| every(m, stride)),
        duration_holdout: split.duration_holdout,
    })
}

/// Fit BG/NBD on the calibration period and compare its holdout predictions
/// with the actual purchases.
pub fn holdout_of(split: &CalibrationHoldout, last_day: i32) -> Result<(BgNbdParams, HoldoutOut)> {
    let all = split.calibration.len();
    let sample = subsample(split, HOLDOUT_FIT_MAX);
    let split = sample.as_ref().unwrap_or(split);
    let (fit, out) = fit_summary(&split.calibration)?;
    let h = holdout_metrics(&fit.params, split)?;
    Ok((
        fit.params,
        HoldoutOut {
            calibration_customers: all,
            calibration_end: format_day(split.calibration.observation_end),
            observation_end: format_day(last_day),
            holdout_weeks: split.duration_holdout,
            fit: out,
            mae: h.mae,
            rmse: h.rmse,
            bias: h.bias,
            predicted_total: h.predicted.iter().sum(),
            actual_total: h.actual.iter().map(|&a| u64::from(a)).sum(),
            by_frequency: h.by_frequency,
        },
    ))
}

/// Most repeat customers the Gamma-Gamma spend model is fitted on: above
/// it, an evenly spaced subsample (every k-th repeat customer in summary
/// order) is used, which keeps the fit well under a second at 10^7 rows.
pub const SPEND_FIT_MAX: usize = 50_000;

/// Fit Gamma-Gamma on the repeat customers of a summary with amounts (at
/// most [`SPEND_FIT_MAX`] of them).
pub fn fit_spend(s: &Summary) -> Result<(GammaGammaParams, GammaGammaOut)> {
    let m = s
        .monetary_value
        .as_deref()
        .ok_or(retentionkit::Error::MissingColumn {
            column: "amount",
            needed_for: "the Gamma-Gamma spend model",
        })?;
    let repeat: Vec<usize> = (0..s.len())
        .filter(|&i| s.frequency[i] > 0 && m[i] > 0.0)
        .collect();
    let stride = repeat.len().div_ceil(SPEND_FIT_MAX).max(1);
    let (x, mean): (Vec<u32>, Vec<f64>) = repeat
        .iter()
        .step_by(stride)
        .map(|&i| (s.frequency[i], m[i]))
        .unzip();
    if x.is_empty() {
        return Err(CliError::input(
            "no customer has a repeat purchase with a positive amount: no spend model",
        ));
    }
    let data = SpendData::new(&x, &mean, None)?;
    let fit = fit_gamma_gamma(&data, &FitOptions::default())?;
    Ok((
        fit.params,
        GammaGammaOut {
            params: fit.params,
            standard_errors: fit.standard_errors,
            log_likelihood: fit.log_likelihood,
            status: fit.status,
            customers: data.len(),
            repeat_customers: repeat.len(),
            excluded: s.len() - repeat.len(),
        },
    ))
}

/// Discounted expected purchases of the next `months` months per customer:
/// the CLV of [`retentionkit::models::check::clv`] divided by the expected
/// mean spend, which multiplies it linearly.
///
/// The BG/NBD conditional expectation is P(alive | x, t_x, T) times a
/// factor of (x, T, t) alone (Fader, Hardie & Lee 2005, eq. 10), so the
/// discounted sum is computed once per distinct (x, first day) from a
/// customer with t_x = T and scaled by each customer's `alive`.
pub fn clv_factors(
    model: &BgNbdParams,
    s: &Summary,
    alive: &[f64],
    months: u32,
    discount: f64,
) -> Result<Vec<f64>> {
    let age = s.age();
    let mut index: HashMap<(u32, i32), usize> = HashMap::new();
    let mut keys = Vec::new();
    let slot: Vec<usize> = (0..s.len())
        .map(|i| {
            *index
                .entry((s.frequency[i], s.first_day[i]))
                .or_insert_with(|| {
                    keys.push(i);
                    keys.len() - 1
                })
        })
        .collect();
    let per_key: Vec<f64> = keys
        .par_iter()
        .map(|&i| {
            let (x, t) = (s.frequency[i], age[i]);
            let tx = if x == 0 { 0.0 } else { t };
            let rep_alive = model.probability_alive(x, tx, t)?;
            let (mut value, mut before) = (0.0, 0.0);
            for k in 1..=months {
                let now = model.expected_purchases(x, tx, t, f64::from(k) * WEEKS_PER_MONTH)?;
                value += (now - before) / (1.0 + discount).powf(f64::from(k));
                before = now;
            }
            Ok(if rep_alive > 0.0 {
                value / rep_alive
            } else {
                0.0
            })
        })
        .collect::<retentionkit::Result<_>>()?;
    Ok(slot
        .into_iter()
        .zip(alive)
        .map(|(k, a)| per_key[k] * a)
        .collect())
}

/// Per-customer CLV.
pub fn clv_values(
    model: &BgNbdParams,
    spend: &GammaGammaParams,
    s: &Summary,
    alive: &[f64],
    months: u32,
    discount: f64,
) -> Result<Vec<f64>> {
    let factors = clv_factors(model, s, alive, months, discount)?;
    let m = s.monetary_value.as_deref().unwrap_or(&[]);
    (0..s.len())
        .map(|i| {
            let spend =
                spend.expected_mean_spend(s.frequency[i], m.get(i).copied().unwrap_or(0.0))?;
            Ok(spend * factors[i])
        })
        .collect()
}

pub(super) fn distribution(values: &[f64], months: u32, discount: f64) -> Option<ClvOut> {
    let mut v: Vec<f64> = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    // ok: q in [0, 1], result < n
    let q = |p: f64| v[((p * (n - 1) as f64).round() as usize).min(n - 1)];
    let total: f64 = v.iter().sum();
    let top = q(0.99).max(f64::MIN_POSITIVE);
    let bins = 30usize;
    let width = top / bins as f64;
    let mut counts = vec![0u64; bins];
    for x in &v {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: x ≥ 0, clamped
        let b = ((x / width).floor() as usize).min(bins - 1);
        counts[b] += 1;
    }
    Some(ClvOut {
        months,
        discount_per_month: discount,
        total,
        mean: total / n as f64,
        quantiles: [0.1, 0.25, 0.5, 0.75, 0.9, 0.99]
            .iter()
            .map(|&p| (p, q(p)))
            .collect(),
        edges: (0..=bins).map(|k| k as f64 * width).collect(),
        counts,
    })
}

/// The customers most worth saving: repeat customers whose probability
/// alive is below one half, largest value at stake (expected purchases in
/// the horizon × mean repeat spend) first. Computed with
/// [`retentionkit::models::check::at_risk`] on those candidates.
pub fn at_risk_list(
    model: &BgNbdParams,
    s: &Summary,
    pred: &Predictions,
    table: &Table,
    settings: &Settings,
) -> Result<Vec<AtRiskOut>> {
    let m = s.monetary_value.as_deref();
    let mut cand: Vec<(usize, f64)> = (0..s.len())
        .filter(|&i| s.frequency[i] > 0 && pred.probability_alive[i] < 0.5)
        .map(|i| {
            let spend = m.map_or(1.0, |m| m[i]);
            (i, pred.expected_purchases[i] * spend)
        })
        .collect();
    cand.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    cand.truncate(settings.at_risk_top);
    if cand.is_empty() {
        return Ok(Vec::new());
    }
    let pick = |v: &[i32]| cand.iter().map(|&(i, _)| v[i]).collect::<Vec<_>>();
    let sub = Summary {
        customer_id: cand.iter().map(|&(i, _)| s.customer_id[i]).collect(),
        first_day: pick(&s.first_day),
        last_day: pick(&s.last_day),
        frequency: cand.iter().map(|&(i, _)| s.frequency[i]).collect(),
        monetary_value: m.map(|m| cand.iter().map(|&(i, _)| m[i]).collect()),
        observation_end: s.observation_end,
        unit: s.unit,
    };
    let last: HashMap<u64, (i32, u32)> = sub
        .customer_id
        .iter()
        .zip(sub.last_day.iter().zip(&sub.frequency))
        .map(|(&c, (&d, &f))| (c, (d, f)))
        .collect();
    let rank: HashMap<u64, usize> = sub
        .customer_id
        .iter()
        .enumerate()
        .map(|(k, &c)| (c, k))
        .collect();
    let mut list = at_risk(model, &sub, settings.horizon_weeks)?;
    list.sort_by_key(|a| rank.get(&a.customer_id).copied().unwrap_or(usize::MAX));
    Ok(list
        .into_iter()
        .map(|a| {
            let (d, f) = last.get(&a.customer_id).copied().unwrap_or((0, 0));
            AtRiskOut {
                customer_id: table.id_label(a.customer_id),
                probability_alive: a.probability_alive,
                overdue: a.overdue,
                value_at_stake: a.value_at_stake,
                frequency: f,
                last_order: format_day(d),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use retentionkit::models::check::{clv, holdout_check};
    use retentionkit::summary::{calibration_holdout, summary, SummaryOptions, TimeUnit};
    use retentionkit::TransactionLog;

    /// Six customers with repeat purchases at various gaps, over 40 weeks.
    fn log_columns() -> (Vec<u64>, Vec<i32>, Vec<f64>) {
        let rows: [(u64, i32, f64); 14] = [
            (1, 0, 10.0),
            (1, 30, 12.0),
            (1, 200, 8.0),
            (2, 5, 40.0),
            (3, 10, 5.0),
            (3, 17, 6.0),
            (3, 24, 7.0),
            (3, 150, 5.5),
            (4, 60, 20.0),
            (4, 270, 25.0),
            (5, 100, 9.0),
            (6, 3, 30.0),
            (6, 250, 33.0),
            (6, 279, 31.0),
        ];
        (
            rows.iter().map(|r| r.0).collect(),
            rows.iter().map(|r| r.1).collect(),
            rows.iter().map(|r| r.2).collect(),
        )
    }

    #[test]
    fn clv_equals_the_cores_clv_customer_by_customer() {
        // The factorisation E[Y(t)] = P(alive) g(x, T, t) must give the
        // core's discounted sum (models::check::clv) for every customer.
        let (ids, days, amounts) = log_columns();
        let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
        let s = summary(
            &log,
            &SummaryOptions {
                observation_end: Some(280),
                unit: TimeUnit::Weeks,
            },
        )
        .unwrap();
        let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap(); // FHL (2005), CDNOW
        let g = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap(); // Fader & Hardie (2013)
        let alive = p.predict(&s, 1.0).unwrap().probability_alive;
        let ours = clv_values(&p, &g, &s, &alive, 12, 0.01).unwrap();
        let (recency, age) = (s.recency(), s.age());
        let m = s.monetary_value.as_ref().unwrap();
        for i in 0..s.len() {
            let want = clv(
                &p,
                &g,
                s.frequency[i],
                recency[i],
                age[i],
                m[i],
                12,
                WEEKS_PER_MONTH,
                0.01,
            )
            .unwrap();
            assert!(
                (ours[i] - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{i}: {} vs {want}",
                ours[i]
            );
        }
    }

    #[test]
    fn holdout_metrics_equal_the_cores_holdout_check() {
        let (ids, days, amounts) = log_columns();
        let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
        let split = calibration_holdout(&log, 140, None, TimeUnit::Weeks).unwrap();
        let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
        let ours = holdout_metrics(&p, &split).unwrap();
        let core = holdout_check(&p, &split).unwrap();
        assert_eq!(ours.actual, core.actual);
        assert_eq!(ours.by_frequency.len(), core.by_frequency.len());
        for (a, b) in ours.predicted.iter().zip(&core.predicted) {
            assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0));
        }
        for (a, b) in [
            (ours.mae, core.mae),
            (ours.rmse, core.rmse),
            (ours.bias, core.bias),
        ] {
            assert!((a - b).abs() <= 1e-12);
        }
    }

    #[test]
    fn subsample_takes_every_kth_customer() {
        let (ids, days, amounts) = log_columns();
        let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
        let split = calibration_holdout(&log, 140, None, TimeUnit::Weeks).unwrap();
        // Customers 1, 2, 3, 4, 5, 6 all start by day 140; at most 3 kept:
        // stride ceil(6 / 3) = 2, so customers 1, 3, 5.
        let s = subsample(&split, 3).unwrap();
        assert_eq!(s.calibration.customer_id, [1, 3, 5]);
        assert_eq!(s.frequency_holdout.len(), 3);
        assert!(subsample(&split, 6).is_none());
    }
}
