//! Every number of the report, computed once from the log; the terminal,
//! JSON and HTML outputs only format this.

use retentionkit::cohort::{cohort_matrix, CohortMatrix, CohortOptions, RetentionKind};
use retentionkit::kpi::{kpi_series, KpiRates, KpiRow};
use retentionkit::lifecycle::{lifecycle, LifecycleRow};
use retentionkit::models::bg_nbd::BgNbdParams;
use retentionkit::models::check::{tracking, AtRiskOptions, ClvOptions};
use retentionkit::models::choice::ScorecardRow;
use retentionkit::models::gamma_gamma::GammaGammaParams;
use retentionkit::models::interval::{covariance, ParameterCovariance, DEFAULT_LEVEL};
use retentionkit::models::repeat::RepeatKind;
use retentionkit::optim::Fit;
use retentionkit::optim::FitStatus;
use retentionkit::period::{format_day, Granularity, Lookback};
use retentionkit::summary::{calibration_holdout, summary, Summary, SummaryOptions, TimeUnit};
use retentionkit::TransactionLog;
use serde::Serialize;

use crate::error::{CliError, Result};
use crate::input::{BadRow, Columns, Source, Table};
use crate::progress::Progress;

mod models;
use models::distribution;
pub use models::{
    at_risk_list, clv_band, clv_of, fit_spend, fit_summary, fit_summary_data, holdout_of,
    scorecard_of,
};

/// Version of the JSON layout (`docs/cli.md`); raised on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

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
    /// The CLV horizon: `clv_months` months of
    /// [`ClvOptions::WEEKS_PER_MONTH`] weeks at `discount_per_month`.
    pub fn clv_options(&self) -> ClvOptions {
        ClvOptions::default()
            .with_periods(self.clv_months)
            .with_period_length(ClvOptions::WEEKS_PER_MONTH)
            .with_discount(self.discount_per_month)
    }

    /// The core's at-risk list with the report's horizon (weeks) and length.
    pub fn at_risk_options(&self) -> AtRiskOptions {
        AtRiskOptions::for_unit(TimeUnit::Weeks)
            .with_horizon(self.horizon_weeks)
            .with_limit(Some(self.at_risk_top))
    }

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

/// One period's KPIs: the core's row and its rates, written to the JSON
/// as the core's `KpiRowView` (ISO dates, every count and rate).
#[derive(Debug, Clone)]
pub struct KpiOut {
    /// The core's row.
    pub row: KpiRow,
    /// Its rates (`None` where not defined).
    pub rates: KpiRates,
}

impl Serialize for KpiOut {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.row.view(false).serialize(s)
    }
}

/// One period's lifecycle (growth) accounting: the core's row, written to
/// the JSON as the core's `LifecycleRowView` (dormant negative, the quick
/// ratio `null` when nobody went dormant).
#[derive(Debug, Clone)]
pub struct LifecycleOut(pub LifecycleRow);

impl Serialize for LifecycleOut {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.0.view(false).serialize(s)
    }
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
    /// Free parameters k (4).
    pub parameters: usize,
    /// Akaike's information criterion, 2k − 2 LL (the core's).
    pub aic: f64,
    /// Schwarz's Bayesian information criterion, k ln n − 2 LL, n = `customers`.
    pub bic: f64,
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
    /// Free parameters k (3).
    pub parameters: usize,
    /// Akaike's information criterion, 2k − 2 LL (the core's).
    pub aic: f64,
    /// Schwarz's Bayesian information criterion, k ln n − 2 LL, n = `customers`.
    pub bic: f64,
    /// Whether it converged.
    pub status: FitStatus,
    /// Correlation between repeat purchases and mean spend over the
    /// customers fitted, which the model assumes to be 0 (the core's).
    pub spend_correlation: Option<f64>,
    /// The core's warning when that correlation is beyond ±0.3.
    pub spend_warning: Option<String>,
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
    /// subsample of at most 100,000 customers; `fit.customers` says how many).
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

/// BG/NBD, MBG/NBD and Pareto/NBD fitted and checked on the holdout
/// check's calibration/holdout split (the core's `models::choice::scorecard`).
#[derive(Debug, Clone, Serialize)]
pub struct ScorecardOut {
    /// The model the report's predictions, tracking curve, at-risk list and
    /// CLV use: BG/NBD, whatever the scorecard's best.
    pub report_model: RepeatKind,
    /// Last calibration day.
    pub calibration_end: String,
    /// Calibration customers fitted (the holdout check's subsample).
    pub customers: usize,
    /// One row per model: status, parameters, LL, k, n, AIC, BIC, holdout
    /// MAE, RMSE, bias and the table by calibration frequency.
    pub rows: Vec<ScorecardRow>,
    /// The best model by `rule`, if any fit converged.
    pub best: Option<RepeatKind>,
    /// The core's rule for `best`.
    pub rule: &'static str,
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
    /// Interval on `expected` from the fit's parameter uncertainty, or null
    /// when the fit has no covariance (then `notes` says why).
    pub band: Option<BandOut>,
}

/// Pointwise intervals on a curve of the report.
#[derive(Debug, Clone, Serialize)]
pub struct BandOut {
    /// Two-sided level, 0.9.
    pub level: f64,
    /// How: "delta" (the delta method on the fit's covariance; the
    /// core's `models::interval`).
    pub method: &'static str,
    /// Lower ends, one per point.
    pub lower: Vec<f64>,
    /// Upper ends.
    pub upper: Vec<f64>,
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
    /// Interval on `total` (and so on `mean`, which is total / customers)
    /// from the BG/NBD fit's parameter uncertainty; null when the fit has no
    /// covariance (then `notes` says why).
    pub total_band: Option<ClvBandOut>,
}

/// The interval on the total CLV.
#[derive(Debug, Clone, Serialize)]
pub struct ClvBandOut {
    /// Two-sided level, 0.9.
    pub level: f64,
    /// "delta": the delta method on the full fit's covariance, the spend
    /// model held fixed.
    pub method: &'static str,
    /// Lower end of the total.
    pub lower: f64,
    /// Upper end of the total.
    pub upper: f64,
    /// Customers the interval's relative width was computed on (an evenly
    /// spaced subsample above `CLV_BAND_MAX`; all of them below).
    pub customers: usize,
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
    /// Every period's lifecycle: new, returning, resurrecting, dormant.
    pub lifecycle: Vec<LifecycleOut>,
    /// The cohort matrix.
    pub cohorts: CohortOut,
    /// BG/NBD on all the data (weeks).
    pub bg_nbd: Option<BgNbdOut>,
    /// Gamma-Gamma spend model.
    pub gamma_gamma: Option<GammaGammaOut>,
    /// Calibration/holdout check.
    pub holdout: Option<HoldoutOut>,
    /// The models compared on the holdout check's split.
    pub scorecard: Option<ScorecardOut>,
    /// Tracking curve.
    pub tracking: Option<TrackingOut>,
    /// Customers most worth saving.
    pub at_risk: Vec<AtRiskOut>,
    /// CLV distribution.
    pub clv: Option<ClvOut>,
    /// Parts that could not be computed, and why.
    pub notes: Vec<String>,
}

fn kpi_rows(log: &TransactionLog<'_>, settings: &Settings) -> Result<Vec<KpiOut>> {
    let series = kpi_series(log, settings.period, settings.lookback).map_err(|e| match e {
        // The core's argument is the --lookback flag: say so.
        retentionkit::Error::InvalidArgument {
            name: "lookback",
            reason,
        } => CliError::input(format!("--lookback: {reason}")),
        other => other.into(),
    })?;
    Ok(series
        .rows
        .iter()
        .map(|r| KpiOut {
            rates: r.rates(),
            row: r.clone(),
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
    lifecycle: Vec<LifecycleOut>,
    cohorts: CohortOut,
    holdout: Option<HoldoutOut>,
    scorecard: Option<ScorecardOut>,
    tracking_out: Option<TrackingOut>,
    spend: Option<(GammaGammaParams, GammaGammaOut)>,
    notes: Vec<String>,
}

/// The tracking curve of `fit`, with its delta-method band when the fit
/// has a covariance `cov` (a note says why not otherwise);
/// `calibration_end` when it was fitted on the calibration period.
fn tracking_of(
    fit: &Fit<BgNbdParams>,
    cov: &retentionkit::Result<ParameterCovariance>,
    log: &TransactionLog<'_>,
    calibration_end: Option<String>,
    notes: &mut Vec<String>,
) -> Result<TrackingOut> {
    let at = tracking_days(log.first_day(), log.last_day());
    let banded = cov
        .as_ref()
        .map_err(Clone::clone)
        .and_then(|cov| cov.tracking_intervals(log, TimeUnit::Weeks, &at, DEFAULT_LEVEL));
    let (t, band) = match banded {
        Ok((t, b)) => (
            t,
            Some(BandOut {
                level: b.level,
                method: "delta",
                lower: b.lower,
                upper: b.upper,
            }),
        ),
        Err(e) => {
            notes.push(format!("no interval on the tracking curve: {e}"));
            (tracking(&fit.params, log, TimeUnit::Weeks, &at)?, None)
        }
    };
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
        band,
    })
}

/// KPIs, cohorts, the holdout check with its tracking curve, and the spend model.
///
/// Two independent halves run side by side (and beside the full BG/NBD
/// fit, see [`analyse`]): the metrics (KPIs, cohorts, lifecycle, the
/// Gamma-Gamma fit) and the holdout chain (split, calibration fit, then the
/// scorecard beside the tracking curve). Each half is itself split where
/// its parts do not depend on each other, so an idle thread always finds
/// work.
fn metrics_and_checks(
    log: &TransactionLog<'_>,
    weeks: &Summary,
    table: &Table,
    settings: &Settings,
) -> Result<Rest> {
    let (metrics, checks) = rayon::join(
        || {
            rayon::join(
                || {
                    rayon::join(
                        || kpi_rows(log, settings),
                        || {
                            cohort_matrix(
                                log,
                                &CohortOptions::default()
                                    .with_granularity(settings.period)
                                    .with_observation_end(None),
                            )
                        },
                    )
                },
                || {
                    rayon::join(
                        || lifecycle(log, settings.period),
                        || table.amounts.is_some().then(|| fit_spend(weeks)),
                    )
                },
            )
        },
        || holdout_and_checks(log, settings),
    );
    let ((kpis, cohorts), (lifecycle, spend)) = metrics;
    let (kpis, cohorts) = (kpis?, cohorts_of(&cohorts?));
    let lifecycle = lifecycle?.rows.into_iter().map(LifecycleOut).collect();
    let (holdout, scorecard, tracking_out, mut notes) = checks;
    let spend = match spend {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => {
            notes.push(format!("Gamma-Gamma not fitted: {e}"));
            None
        }
        None => {
            notes.push("no amount column: no revenue, value at stake or CLV".into());
            None
        }
    };
    Ok(Rest {
        kpis,
        lifecycle,
        cohorts,
        holdout,
        scorecard,
        tracking_out,
        spend,
        notes,
    })
}

/// The holdout check, the scorecard and the tracking curve of the
/// calibration fit (each `None` with a note when it cannot be computed),
/// and the notes.
fn holdout_and_checks(
    log: &TransactionLog<'_>,
    settings: &Settings,
) -> (
    Option<HoldoutOut>,
    Option<ScorecardOut>,
    Option<TrackingOut>,
    Vec<String>,
) {
    let mut notes = Vec::new();
    let (mut holdout, mut scorecard, mut tracking_out) = (None, None, None);
    match settings.calibration_day {
        Some(d) => {
            let checked = calibration_holdout(log, d, None, TimeUnit::Weeks)
                .map_err(CliError::from)
                .and_then(|s| {
                    let ((fit, data), h) = holdout_of(&s, log.last_day())?;
                    // The scorecard takes the holdout check's BG/NBD fit (same
                    // rows, same options) instead of fitting it again, and
                    // runs beside the tracking curve of that fit.
                    let known = fit.clone().into_repeat();
                    let end = Some(h.calibration_end.clone());
                    let (card, tracked) = rayon::join(
                        || scorecard_of(&s, &known),
                        || {
                            let cov = covariance(&known, &data);
                            let mut notes = Vec::new();
                            (tracking_of(&fit, &cov, log, end, &mut notes), notes)
                        },
                    );
                    match card {
                        Ok(c) => scorecard = Some(c),
                        Err(e) => notes.push(format!("scorecard not computed: {e}")),
                    }
                    Ok((tracked, h))
                });
            match checked {
                Ok(((tracked, more), h)) => {
                    notes.extend(more);
                    match tracked {
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
    (holdout, scorecard, tracking_out, notes)
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
        &SummaryOptions::default()
            .with_observation_end(None)
            .with_unit(TimeUnit::Weeks),
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
        || {
            // With its covariance (the CLV's interval, and the tracking
            // band without a holdout), while the other thread is busy.
            fit_summary_data(&weeks).map(|(fit, out, data)| {
                let cov = covariance(&fit.clone().into_repeat(), &data);
                (fit, out, cov)
            })
        },
        || metrics_and_checks(&log, &weeks, table, &settings),
    );
    let Rest {
        kpis,
        lifecycle,
        cohorts,
        holdout,
        scorecard,
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
    if tracking_out.is_none()
        && holdout.is_none()
        && let Some((fit, _, cov)) = &full
    {
        progress.stage("tracking");
        match tracking_of(fit, cov, &log, None, &mut notes) {
            Ok(t) => tracking_out = Some(t),
            Err(e) => notes.push(format!("tracking curve not computed: {e}")),
        }
    }

    progress.stage("predicting");
    let mut risk = Vec::new();
    let mut clv = None;
    if let Some((fit, _, cov)) = &full {
        match fit.params.predict(&weeks, settings.horizon_weeks) {
            Ok(pred) => {
                progress.stage("at-risk");
                match at_risk_list(&weeks, &pred, table, &settings) {
                    Ok(list) => risk = list,
                    Err(e) => notes.push(format!("at-risk list not computed: {e}")),
                }
                progress.stage("clv");
                if let Some((gg, _)) = &spend {
                    match clv_of(&fit.params, gg, &weeks, &settings) {
                        Ok(v) => {
                            clv =
                                distribution(&v, settings.clv_months, settings.discount_per_month);
                            if let Some(c) = clv.as_mut() {
                                progress.stage("clv interval");
                                let band = cov.as_ref().map_err(|e| CliError::from(e.clone()));
                                match band
                                    .and_then(|cov| clv_band(cov, gg, &weeks, &settings, c.total))
                                {
                                    Ok(b) => c.total_band = Some(b),
                                    Err(e) => notes.push(format!("no interval on the CLV: {e}")),
                                }
                            }
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
        lifecycle,
        cohorts,
        bg_nbd: full.map(|(_, out, _)| out),
        gamma_gamma: spend.map(|s| s.1),
        holdout,
        scorecard,
        tracking: tracking_out,
        at_risk: risk,
        clv,
        notes,
        settings,
    })
}
