//! Every number of the report, computed once from the log; the terminal,
//! JSON and HTML outputs only format this.

use std::collections::HashMap;

use rayon::prelude::*;
use retentionkit::cohort::{cohort_matrix, CohortMatrix, CohortOptions, RetentionKind};
use retentionkit::kpi::kpi_series;
use retentionkit::models::bg_nbd::{fit_bg_nbd, BgNbdParams, Predictions};
use retentionkit::models::check::{at_risk, tracking, FrequencyRow, HoldoutCheck};
use retentionkit::models::gamma_gamma::{fit_gamma_gamma, GammaGammaParams, SpendData};
use retentionkit::models::RepeatData;
use retentionkit::optim::{Fit, FitOptions, FitStatus};
use retentionkit::period::{format_day, Granularity, Lookback};
use retentionkit::summary::{
    calibration_holdout, summary, CalibrationHoldout, Summary, SummaryOptions, TimeUnit,
};
use retentionkit::TransactionLog;
use serde::Serialize;

use crate::error::{CliError, Result};
use crate::input::{BadRow, Columns, Source, Table};
use crate::progress::Progress;

/// Version of the JSON layout (`docs/cli.md`); raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// Weeks per month in the CLV sum (lifetimes' `freq='W'` convention, 365.25 / 12 / 7 ≈ 4.345).
pub const WEEKS_PER_MONTH: f64 = 4.345;

/// The report's settings (from the command line).
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// KPI and cohort period.
    pub period: Granularity,
    /// Activity look-back of the KPIs.
    pub lookback: Lookback,
    /// Last day of the calibration period of the holdout check (None: no check).
    pub calibration_end: Option<String>,
    /// Prediction horizon of the at-risk list and `predict`, weeks.
    pub horizon_weeks: f64,
    /// CLV horizon, months.
    pub clv_months: u32,
    /// CLV discount rate per month.
    pub discount_per_month: f64,
    /// Length of the at-risk list.
    pub at_risk_top: usize,
    #[serde(skip)]
    calibration_day: Option<i32>,
}

impl Settings {
    /// The resolved last calibration day.
    pub fn calibration_day(&self) -> Option<i32> {
        self.calibration_day
    }

    /// Settings, with the calibration end resolved against the log: an
    /// explicit day, or `holdout_days` before the last day, or by default
    /// 26 weeks before it when the log spans at least a year.
    pub fn new(
        period: Granularity,
        lookback: Lookback,
        calibration_end: Option<i32>,
        holdout_days: Option<u32>,
        first_day: i32,
        last_day: i32,
    ) -> Self {
        let day = match (calibration_end, holdout_days) {
            (Some(d), _) => Some(d),
            (None, Some(0)) => None,
            (None, Some(h)) => Some(last_day.saturating_sub(i32::try_from(h).unwrap_or(i32::MAX))),
            (None, None) => (last_day - first_day >= 364).then_some(last_day - 182),
        };
        Settings {
            period,
            lookback,
            calibration_end: day.map(format_day),
            horizon_weeks: 52.0,
            clv_months: 12,
            discount_per_month: 0.01,
            at_risk_top: 25,
            calibration_day: day,
        }
    }
}

/// The shape of the data.
#[derive(Debug, Clone, Serialize)]
pub struct DataInfo {
    /// Orders (rows).
    pub orders: usize,
    /// Distinct customers.
    pub customers: usize,
    /// First order day.
    pub first_day: String,
    /// Last order day (the observation end).
    pub last_day: String,
    /// Total revenue, if the log has amounts.
    pub revenue: Option<f64>,
    /// Share of customers who came back: ordered on two or more days.
    pub repeat_customer_rate: Option<f64>,
}

/// Rows skipped with `--skip-bad-rows`.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// How many.
    pub count: usize,
    /// The first few (line, column, message).
    pub first: Vec<BadRow>,
}

/// One period's KPIs.
#[derive(Debug, Clone, Serialize)]
pub struct KpiOut {
    /// Period label (`2023-06`, `2023-W24`, `2023-Q2`).
    pub label: String,
    /// First day.
    pub start: String,
    /// Day after the last.
    pub end: String,
    /// Whether the period ends on or before the observation end.
    pub complete: bool,
    /// S: active at the start.
    pub start_customers: u64,
    /// E: active at the end.
    pub end_customers: u64,
    /// N: first order in the period.
    pub new_customers: u64,
    /// Active at start and end.
    pub retained: u64,
    /// Active at the end, neither new nor active at the start.
    pub reactivated: u64,
    /// Ordered in the period.
    pub active_customers: u64,
    /// Orders in the period.
    pub orders: u64,
    /// Revenue in the period.
    pub revenue: Option<f64>,
    /// (E − N) / S.
    pub retention_rate: Option<f64>,
    /// (S − retained) / S.
    pub churn_rate: Option<f64>,
    /// Repeat customers over active customers.
    pub repeat_customer_rate: Option<f64>,
    /// Revenue over orders.
    pub average_order_value: Option<f64>,
}

/// The cohort matrix.
#[derive(Debug, Clone, Serialize)]
pub struct CohortOut {
    /// Cohort period.
    pub granularity: Granularity,
    /// Cohort labels.
    pub labels: Vec<String>,
    /// Customers acquired per cohort.
    pub sizes: Vec<u64>,
    /// Customers of cohort c active in period c + k.
    pub active: Vec<Vec<u64>>,
    /// `active / size`.
    pub retention: Vec<Vec<f64>>,
    /// Whether cell (c, k) is only partly observed.
    pub partial: Vec<Vec<bool>>,
    /// Size-weighted average retention curve over fully observed cells.
    pub average_curve: Vec<f64>,
}

/// A BG/NBD fit.
#[derive(Debug, Clone, Serialize)]
pub struct BgNbdOut {
    /// r, α, a, b (time unit: weeks).
    pub params: BgNbdParams,
    /// Their standard errors.
    pub standard_errors: Option<BgNbdParams>,
    /// Log-likelihood.
    pub log_likelihood: f64,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Whether it converged.
    pub status: FitStatus,
    /// Customers fitted.
    pub customers: usize,
    /// Distinct (x, t_x, T) rows.
    pub distinct_rows: usize,
}

/// A Gamma-Gamma fit.
#[derive(Debug, Clone, Serialize)]
pub struct GammaGammaOut {
    /// p, q, γ.
    pub params: GammaGammaParams,
    /// Their standard errors.
    pub standard_errors: Option<GammaGammaParams>,
    /// Log-likelihood.
    pub log_likelihood: f64,
    /// Whether it converged.
    pub status: FitStatus,
    /// Repeat customers fitted (an evenly spaced subsample above 50,000).
    pub customers: usize,
    /// Repeat customers with a positive mean repeat spend.
    pub repeat_customers: usize,
    /// Customers without a repeat purchase (no information on spend).
    pub excluded: usize,
}

/// The calibration/holdout check.
#[derive(Debug, Clone, Serialize)]
pub struct HoldoutOut {
    /// Last calibration day.
    pub calibration_end: String,
    /// Last holdout day.
    pub observation_end: String,
    /// Holdout length, weeks.
    pub holdout_weeks: f64,
    /// The BG/NBD fitted on the calibration period (on an evenly spaced
    /// subsample of at most 250,000 customers; `fit.customers` says how many).
    pub fit: BgNbdOut,
    /// Calibration customers in the log.
    pub calibration_customers: usize,
    /// Mean absolute error per customer.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean (predicted − actual).
    pub bias: f64,
    /// Sum of predicted holdout purchases.
    pub predicted_total: f64,
    /// Sum of actual holdout repeat purchase days.
    pub actual_total: u64,
    /// By calibration frequency (7 = 7+).
    pub by_frequency: Vec<retentionkit::models::check::FrequencyRow>,
}

/// Cumulative repeat purchases, model against actual.
#[derive(Debug, Clone, Serialize)]
pub struct TrackingOut {
    /// Which fit: "calibration" (holdout after `calibration_end`) or "full".
    pub model: String,
    /// Days the curve is evaluated at.
    pub at: Vec<String>,
    /// Expected cumulative repeat purchases before each day.
    pub expected: Vec<f64>,
    /// Actual ones.
    pub actual: Vec<u64>,
    /// Where the calibration period ends, if any.
    pub calibration_end: Option<String>,
}

/// One customer of the at-risk list.
#[derive(Debug, Clone, Serialize)]
pub struct AtRiskOut {
    /// Customer id as in the file.
    pub customer_id: String,
    /// Probability alive now.
    pub probability_alive: f64,
    /// Time since the last order over the customer's mean gap.
    pub overdue: Option<f64>,
    /// Expected purchases in the horizon × mean repeat spend.
    pub value_at_stake: f64,
    /// Repeat purchase days.
    pub frequency: u32,
    /// Last order day.
    pub last_order: String,
}

/// The CLV distribution.
#[derive(Debug, Clone, Serialize)]
pub struct ClvOut {
    /// Months summed.
    pub months: u32,
    /// Discount per month.
    pub discount_per_month: f64,
    /// Sum over customers.
    pub total: f64,
    /// Mean per customer.
    pub mean: f64,
    /// Quantiles (p10, p25, p50, p75, p90, p99).
    pub quantiles: Vec<(f64, f64)>,
    /// Histogram bin edges (bins up to the 99th percentile; the last bin holds everything above).
    pub edges: Vec<f64>,
    /// Customers per bin.
    pub counts: Vec<u64>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Version of this layout.
    pub schema_version: u32,
    /// The program and version.
    pub generator: String,
    /// Where the data came from.
    pub source: Source,
    /// The columns read.
    pub columns: Option<Columns>,
    /// Rows skipped.
    pub skipped_rows: Skipped,
    /// Shape of the data.
    pub data: DataInfo,
    /// Settings.
    pub settings: Settings,
    /// Every period's KPIs.
    pub kpis: Vec<KpiOut>,
    /// The cohort matrix.
    pub cohorts: CohortOut,
    /// BG/NBD on all the data (weeks).
    pub bg_nbd: Option<BgNbdOut>,
    /// Gamma-Gamma spend model.
    pub gamma_gamma: Option<GammaGammaOut>,
    /// Calibration/holdout check.
    pub holdout: Option<HoldoutOut>,
    /// Tracking curve.
    pub tracking: Option<TrackingOut>,
    /// Customers most worth saving.
    pub at_risk: Vec<AtRiskOut>,
    /// CLV distribution.
    pub clv: Option<ClvOut>,
    /// Parts that could not be computed, and why.
    pub notes: Vec<String>,
}

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
    let cal = &split.calibration;
    if cal.is_empty() {
        return Err(retentionkit::Error::Empty {
            what: "calibration summary",
        }
        .into());
    }
    let predicted = model
        .predict(cal, split.duration_holdout)?
        .expected_purchases;
    let actual = split.frequency_holdout.clone();
    let (mut abs, mut sq, mut sum) = (0.0, 0.0, 0.0);
    let mut rows = [(0u64, 0.0f64, 0.0f64); 8];
    for ((&p, &a), &x) in predicted.iter().zip(&actual).zip(&cal.frequency) {
        let e = p - f64::from(a);
        abs += e.abs();
        sq += e * e;
        sum += e;
        let r = &mut rows[usize::try_from(x.min(7)).unwrap_or(7)];
        r.0 += 1;
        r.1 += f64::from(a);
        r.2 += p;
    }
    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
    let n = predicted.len() as f64;
    let by_frequency = (0u32..)
        .zip(rows)
        .filter(|(_, r)| r.0 > 0)
        .map(|(x, (c, a, p))| {
            #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
            let cf = c as f64;
            FrequencyRow {
                frequency: x,
                customers: c,
                mean_actual: a / cf,
                mean_predicted: p / cf,
            }
        })
        .collect();
    Ok(HoldoutCheck {
        predicted,
        actual,
        mae: abs / n,
        rmse: (sq / n).sqrt(),
        bias: sum / n,
        by_frequency,
    })
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

fn distribution(values: &[f64], months: u32, discount: f64) -> Option<ClvOut> {
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

fn kpi_rows(log: &TransactionLog<'_>, settings: &Settings) -> Result<Vec<KpiOut>> {
    let series = kpi_series(log, settings.period, settings.lookback)?;
    Ok(series
        .rows
        .iter()
        .map(|r| KpiOut {
            label: r.label.clone(),
            start: format_day(r.period.start),
            end: format_day(r.period.end),
            complete: r.complete,
            start_customers: r.start_customers,
            end_customers: r.end_customers,
            new_customers: r.new_customers,
            retained: r.retained,
            reactivated: r.reactivated,
            active_customers: r.active_customers,
            orders: r.orders,
            revenue: r.revenue,
            retention_rate: r.retention_rate().ok(),
            churn_rate: r.churn_rate().ok(),
            repeat_customer_rate: r.repeat_customer_rate().ok(),
            average_order_value: r.average_order_value().ok(),
        })
        .collect())
}

/// The cohort matrix in the report's form.
pub fn cohorts_of(m: &CohortMatrix) -> CohortOut {
    CohortOut {
        granularity: m.granularity,
        labels: m.labels.clone(),
        sizes: m.sizes.clone(),
        active: m.active.clone(),
        retention: m.fractions(RetentionKind::NPeriod),
        partial: m
            .active
            .iter()
            .enumerate()
            .map(|(c, row)| (0..row.len()).map(|k| m.is_partial(c, k)).collect())
            .collect(),
        average_curve: m.average_curve(RetentionKind::NPeriod),
    }
}

/// Evaluation days of the tracking curve: every week (every few weeks for
/// logs longer than about two years, at most ~105 points) from the first
/// order day, and the day after the last.
fn tracking_days(first: i32, last: i32) -> Vec<i32> {
    let weeks = (last - first) / 7 + 1;
    let step = usize::try_from(7 * (weeks / 104 + 1)).unwrap_or(7);
    let mut at: Vec<i32> = (first + 7..=last).step_by(step).collect();
    if at.last() != Some(&(last + 1)) {
        at.push(last + 1);
    }
    at
}

/// What the report computes besides the full BG/NBD fit.
struct Rest {
    kpis: Vec<KpiOut>,
    cohorts: CohortOut,
    holdout: Option<HoldoutOut>,
    tracking_out: Option<TrackingOut>,
    spend: Option<(GammaGammaParams, GammaGammaOut)>,
    notes: Vec<String>,
}

/// The tracking curve of `model`; `calibration_end` when it was fitted on
/// the calibration period.
fn tracking_of(
    model: &BgNbdParams,
    log: &TransactionLog<'_>,
    calibration_end: Option<String>,
) -> Result<TrackingOut> {
    let at = tracking_days(log.first_day(), log.last_day());
    let t = tracking(model, log, TimeUnit::Weeks, &at)?;
    Ok(TrackingOut {
        model: if calibration_end.is_some() {
            "calibration"
        } else {
            "full"
        }
        .to_string(),
        at: t.at.iter().map(|&d| format_day(d)).collect(),
        expected: t.expected,
        actual: t.actual,
        calibration_end,
    })
}

/// KPIs, cohorts, the holdout check with its tracking curve, and the spend model.
fn metrics_and_checks(
    log: &TransactionLog<'_>,
    weeks: &Summary,
    table: &Table,
    settings: &Settings,
) -> Result<Rest> {
    let mut notes = Vec::new();
    let (kpis, cohorts) = rayon::join(
        || kpi_rows(log, settings),
        || {
            cohort_matrix(
                log,
                &CohortOptions {
                    granularity: settings.period,
                    observation_end: None,
                },
            )
        },
    );
    let (kpis, cohorts) = (kpis?, cohorts_of(&cohorts?));
    let mut holdout = None;
    let mut tracking_out = None;
    match settings.calibration_day {
        Some(d) => {
            let checked = calibration_holdout(log, d, None, TimeUnit::Weeks)
                .map_err(CliError::from)
                .and_then(|s| holdout_of(&s, log.last_day()));
            match checked {
                Ok((params, h)) => {
                    match tracking_of(&params, log, Some(h.calibration_end.clone())) {
                        Ok(t) => tracking_out = Some(t),
                        Err(e) => notes.push(format!("tracking curve not computed: {e}")),
                    }
                    holdout = Some(h);
                }
                Err(e) => notes.push(format!("holdout check not computed: {e}")),
            }
        }
        None => {
            notes.push("holdout check skipped: the log spans under a year, or --holdout 0".into());
        }
    }
    let spend = if table.amounts.is_some() {
        match fit_spend(weeks) {
            Ok(s) => Some(s),
            Err(e) => {
                notes.push(format!("Gamma-Gamma not fitted: {e}"));
                None
            }
        }
    } else {
        notes.push("no amount column: no revenue, value at stake or CLV".into());
        None
    };
    Ok(Rest {
        kpis,
        cohorts,
        holdout,
        tracking_out,
        spend,
        notes,
    })
}

/// Compute the report.
pub fn analyse(
    source: Source,
    table: &Table,
    settings: Settings,
    progress: &Progress,
) -> Result<Report> {
    let log = TransactionLog::new(&table.ids, &table.days, table.amounts.as_deref())?;
    progress.stage("summary");
    let weeks = summary(
        &log,
        &SummaryOptions {
            observation_end: None,
            unit: TimeUnit::Weeks,
        },
    )?;
    let repeat = weeks.frequency.iter().filter(|&&x| x > 0).count();
    let data = DataInfo {
        orders: log.len(),
        customers: weeks.len(),
        first_day: format_day(log.first_day()),
        last_day: format_day(log.last_day()),
        revenue: table.amounts.as_ref().map(|a| a.iter().sum()),
        #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
        repeat_customer_rate: (!weeks.is_empty()).then(|| repeat as f64 / weeks.len() as f64),
    };

    // The full BG/NBD fit is the longest single job: it runs on one thread
    // while the other does everything that does not need it.
    progress.stage("fitting");
    let (full, rest) = rayon::join(
        || fit_summary(&weeks),
        || metrics_and_checks(&log, &weeks, table, &settings),
    );
    let Rest {
        kpis,
        cohorts,
        holdout,
        mut tracking_out,
        spend,
        mut notes,
    } = rest?;
    let full = match full {
        Ok(f) => Some(f),
        Err(e) => {
            notes.insert(0, format!("BG/NBD not fitted: {e}"));
            None
        }
    };
    if tracking_out.is_none() && holdout.is_none() {
        if let Some((fit, _)) = &full {
            progress.stage("tracking");
            match tracking_of(&fit.params, &log, None) {
                Ok(t) => tracking_out = Some(t),
                Err(e) => notes.push(format!("tracking curve not computed: {e}")),
            }
        }
    }

    progress.stage("predicting");
    let mut risk = Vec::new();
    let mut clv = None;
    if let Some((fit, _)) = &full {
        match fit.params.predict(&weeks, settings.horizon_weeks) {
            Ok(pred) => {
                progress.stage("at-risk");
                match at_risk_list(&fit.params, &weeks, &pred, table, &settings) {
                    Ok(list) => risk = list,
                    Err(e) => notes.push(format!("at-risk list not computed: {e}")),
                }
                progress.stage("clv");
                if let Some((gg, _)) = &spend {
                    match clv_values(
                        &fit.params,
                        gg,
                        &weeks,
                        &pred.probability_alive,
                        settings.clv_months,
                        settings.discount_per_month,
                    ) {
                        Ok(v) => {
                            clv =
                                distribution(&v, settings.clv_months, settings.discount_per_month);
                        }
                        Err(e) => notes.push(format!("CLV not computed: {e}")),
                    }
                }
            }
            Err(e) => notes.push(format!("predictions not computed: {e}")),
        }
    }
    progress.finish();
    Ok(Report {
        schema_version: SCHEMA_VERSION,
        generator: format!("retentionkit {}", env!("CARGO_PKG_VERSION")),
        source,
        columns: table.columns.clone(),
        skipped_rows: Skipped {
            count: table.bad_rows.len(),
            first: table.bad_rows.iter().take(10).cloned().collect(),
        },
        data,
        kpis,
        cohorts,
        bg_nbd: full.map(|f| f.1),
        gamma_gamma: spend.map(|s| s.1),
        holdout,
        tracking: tracking_out,
        at_risk: risk,
        clv,
        notes,
        settings,
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
