//! The report's model parts: BG/NBD and Gamma-Gamma fits, the holdout
//! check, CLV and the at-risk list.

use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams, Predictions};
use retentionkit::models::check::{at_risk_from_predictions, clv_values, holdout_check};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::interval::{ParameterCovariance, Quantity, DEFAULT_LEVEL};
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions};
use retentionkit::period::format_day;
use retentionkit::summary::{CalibrationHoldout, Summary};

use retentionkit::models::choice::{scorecard_with_fit, BEST_MODEL_RULE, SCORECARD_MODELS};
use retentionkit::models::repeat::{RepeatKind, RepeatParams};

use super::{
    AtRiskOut, BgNbdOut, ClvBandOut, ClvOut, GammaGammaOut, HoldoutOut, ScorecardOut, Settings,
};
use crate::error::{CliError, Result};
use crate::input::Table;

fn bg_out(fit: &Fit<BgNbdParams>, data: &RepeatData) -> BgNbdOut {
    BgNbdOut {
        params: fit.params,
        standard_errors: fit.standard_errors,
        log_likelihood: fit.log_likelihood,
        parameters: fit.parameters,
        aic: fit.aic(),
        bic: fit.bic(),
        iterations: fit.iterations,
        status: fit.status,
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: a count of customers
        customers: data.customers().round() as usize,
        distinct_rows: data.len(),
    }
}

/// Why BG/NBD is not fitted on a log of one-time buyers, in the user's
/// words (the core names its argument `frequency`, which no flag sets).
pub const ONE_TIME_BUYERS: &str = "every customer ordered on one day only (no repeat purchases), \
    so the BG/NBD model cannot be fitted: it learns how often customers come back from their \
    repeat orders. `summary` and `cohorts` work on this log and `report` leaves the model out; \
    for a fit, use a log that covers a longer period";

/// Fit BG/NBD (weeks) on a summary.
///
/// # Errors
/// [`ONE_TIME_BUYERS`] when no customer has a repeat purchase; the core's
/// error otherwise.
pub fn fit_summary(s: &Summary) -> Result<(Fit<BgNbdParams>, BgNbdOut)> {
    fit_summary_data(s).map(|(fit, out, _)| (fit, out))
}

/// [`fit_summary`], with the compressed data the fit was made on (its
/// covariance needs them).
///
/// # Errors
/// As [`fit_summary`].
pub fn fit_summary_data(s: &Summary) -> Result<(Fit<BgNbdParams>, BgNbdOut, RepeatData)> {
    if s.frequency.iter().all(|&x| x == 0) {
        return Err(CliError::input(ONE_TIME_BUYERS));
    }
    let data = RepeatData::from_summary(&s.compress())?;
    let fit = fit_bg_nbd(&data, &FitOptions::default())?;
    let out = bg_out(&fit, &data);
    Ok((fit, out, data))
}

/// Most calibration customers of the holdout check: above it, the check
/// (fit and comparison) runs on an evenly spaced subsample, every k-th
/// customer in summary order. The model used for predictions is always
/// fitted on every customer.
pub const HOLDOUT_FIT_MAX: usize = 100_000;

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
pub fn holdout_of(
    split: &CalibrationHoldout,
    last_day: i32,
) -> Result<((Fit<BgNbdParams>, RepeatData), HoldoutOut)> {
    let all = split.calibration.len();
    let sample = subsample(split, HOLDOUT_FIT_MAX);
    let split = sample.as_ref().unwrap_or(split);
    let (fit, out, data) = fit_summary_data(&split.calibration)?;
    let h = holdout_check(&fit.params, split)?;
    Ok((
        (fit, data),
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

/// BG/NBD, MBG/NBD and Pareto/NBD fitted and checked on the split of the
/// holdout check (on the same subsample above [`HOLDOUT_FIT_MAX`]
/// customers): the core's scorecard, with `known`, the holdout check's
/// BG/NBD fit of that subsample, in place of fitting BG/NBD again; the
/// report keeps using BG/NBD.
pub fn scorecard_of(split: &CalibrationHoldout, known: &Fit<RepeatParams>) -> Result<ScorecardOut> {
    let sample = subsample(split, HOLDOUT_FIT_MAX);
    let split = sample.as_ref().unwrap_or(split);
    let card = scorecard_with_fit(split, &SCORECARD_MODELS, &FitOptions::default(), known)?;
    Ok(ScorecardOut {
        report_model: RepeatKind::BgNbd,
        calibration_end: format_day(split.calibration.observation_end),
        customers: split.calibration.len(),
        rows: card.rows,
        best: card.best,
        rule: BEST_MODEL_RULE,
    })
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
            parameters: fit.parameters,
            aic: fit.aic(),
            bic: fit.bic(),
            status: fit.status,
            spend_correlation: data.frequency_spend_correlation(),
            spend_warning: data.spend_correlation_warning(),
            customers: data.len(),
            repeat_customers: repeat.len(),
            excluded: s.len() - repeat.len(),
        },
    ))
}

/// Per-customer CLV of a summary in weeks with the report's horizon and
/// discount: the core's [`clv_values`].
pub fn clv_of(
    model: &BgNbdParams,
    spend: &GammaGammaParams,
    s: &Summary,
    settings: &Settings,
) -> Result<Vec<f64>> {
    let m = s
        .monetary_value
        .as_deref()
        .ok_or(retentionkit::Error::MissingColumn {
            column: "amount",
            needed_for: "CLV",
        })?;
    Ok(clv_values(
        model,
        spend,
        &s.frequency,
        &s.recency(),
        &s.age(),
        m,
        &settings.clv_options(),
    )?)
}

/// Most customers the CLV interval's relative width is computed on: above
/// it, an evenly spaced subsample (every k-th customer in summary order),
/// which keeps the eight extra CLV evaluations of the delta method to a
/// fraction of the CLV stage at 10^7 rows.
pub const CLV_BAND_MAX: usize = 20_000;

/// The 90 % delta-method interval of the total CLV `total` (the sum of
/// [`clv_of`] over the customers of `s`) from the full fit's covariance
/// `cov`: the core's
/// `Quantity::TotalClv` interval on the customers of `s` (every k-th above
/// [`CLV_BAND_MAX`]), its relative ends applied to `total`. On the log
/// scale the interval is total · e^{±z se/total}, so a subsample gives the
/// same interval as all the customers when its relative standard error is
/// the same; the JSON says how many customers it used.
///
/// # Errors
/// No amounts, or a total of 0.
pub fn clv_band(
    cov: &ParameterCovariance,
    spend: &GammaGammaParams,
    s: &Summary,
    settings: &Settings,
    total: f64,
) -> Result<ClvBandOut> {
    let m = s
        .monetary_value
        .as_deref()
        .ok_or(retentionkit::Error::MissingColumn {
            column: "amount",
            needed_for: "CLV",
        })?;
    let stride = s.len().div_ceil(CLV_BAND_MAX).max(1);
    let (x, tx, t, mm) = (
        every(&s.frequency, stride),
        every(&s.recency(), stride),
        every(&s.age(), stride),
        every(m, stride),
    );
    let iv = cov.intervals(
        &Quantity::TotalClv {
            spend: *spend,
            monetary: &mm,
            options: settings.clv_options(),
        },
        &x,
        &tx,
        &t,
        DEFAULT_LEVEL,
    )?;
    let estimate = iv.estimate[0];
    if !(estimate > 0.0 && total > 0.0) {
        return Err(CliError::input(
            "the total CLV is 0: no interval to put on it",
        ));
    }
    Ok(ClvBandOut {
        level: iv.level,
        method: "delta",
        lower: total * (iv.lower[0] / estimate),
        upper: total * (iv.upper[0] / estimate),
        customers: x.len(),
    })
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
        total_band: None,
    })
}

/// The at-risk list of the report: the core's
/// [`retentionkit::models::check::at_risk`] list (repeat customers with
/// 0.01 ≤ P(alive) < 0.5, the largest value at stake first) with the
/// settings' horizon and length, from predictions already made.
pub fn at_risk_list(
    s: &Summary,
    pred: &Predictions,
    table: &Table,
    settings: &Settings,
) -> Result<Vec<AtRiskOut>> {
    let list = at_risk_from_predictions(s, pred, &settings.at_risk_options())?;
    Ok(list
        .into_iter()
        .map(|a| AtRiskOut {
            customer_id: table.id_label(a.customer_id),
            probability_alive: a.probability_alive,
            overdue: Some(a.overdue),
            value_at_stake: a.value_at_stake,
            frequency: a.frequency,
            last_order: format_day(a.last_day),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use retentionkit::summary::{calibration_holdout, TimeUnit};
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
