//! Using a fitted repeat-purchase model: calibration/holdout checks,
//! customer lifetime value and the at-risk list.
//!
//! Everything here works with any model that implements [`RepeatModel`]
//! (BG/NBD, MBG/NBD, Pareto/NBD); the formulas of each model live in its own module.

use crate::error::{invalid_arg, ratio, Error, Result};
use crate::models::bg_nbd::Predictions;
use crate::models::data::check_customer;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::models::repeat::at_row;
use crate::summary::{CalibrationHoldout, Summary, TimeUnit};

pub use crate::models::repeat::RepeatModel;

/// Predicted against actual holdout purchases.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct HoldoutCheck {
    /// Expected holdout purchases per calibration customer (summary order).
    pub predicted: Vec<f64>,
    /// Actual holdout purchase days per calibration customer.
    pub actual: Vec<u32>,
    /// Mean absolute error, mean |predicted − actual|.
    pub mae: f64,
    /// Root mean squared error.
    pub rmse: f64,
    /// Mean predicted − actual: positive when the model over-predicts.
    pub bias: f64,
    /// Mean actual and predicted holdout purchases by calibration frequency
    /// x = 0, 1, …, 6 and 7+ (the last row pools x ≥ 7); rows without
    /// customers are left out.
    pub by_frequency: Vec<FrequencyRow>,
}

impl HoldoutCheck {
    /// The check of [`holdout_check`] from per-customer expected holdout
    /// purchases already computed, in the order of `split.calibration` (for
    /// example by [`BgNbdParams::predict`](crate::models::bg_nbd::BgNbdParams::predict),
    /// which evaluates a whole summary faster than one call per customer).
    ///
    /// # Errors
    /// [`Error::Empty`] for a calibration summary
    /// without customers; [`Error::LengthMismatch`]
    /// unless there is one prediction per calibration customer;
    /// [`Error::InvalidValue`] for a prediction
    /// that is negative or not finite.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::HoldoutCheck;
    /// use retentionkit::summary::{calibration_holdout, TimeUnit};
    /// use retentionkit::TransactionLog;
    /// // Customer 1 buys on days 0 and 10, then twice in the holdout; customer 2 once.
    /// let log = TransactionLog::new(&[1, 1, 2, 1, 1], &[0, 10, 5, 40, 50], None)?;
    /// let split = calibration_holdout(&log, 30, Some(60), TimeUnit::Days)?;
    /// let check = HoldoutCheck::from_predictions(vec![1.5, 0.5], &split)?;
    /// // errors 1.5 − 2 and 0.5 − 0: MAE (0.5 + 0.5)/2, bias (−0.5 + 0.5)/2.
    /// assert_eq!((check.mae, check.bias), (0.5, 0.0));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_predictions(
        predicted: Vec<f64>,
        split: &CalibrationHoldout,
    ) -> Result<HoldoutCheck> {
        let cal = &split.calibration;
        if cal.is_empty() {
            return Err(crate::Error::Empty {
                what: "calibration summary",
            });
        }
        if predicted.len() != cal.len() {
            return Err(crate::Error::LengthMismatch {
                column: "predicted",
                expected: cal.len(),
                got: predicted.len(),
            });
        }
        if let Some((row, p)) = predicted
            .iter()
            .enumerate()
            .find(|(_, p)| !(p.is_finite() && **p >= 0.0))
        {
            return Err(crate::Error::InvalidValue {
                column: "predicted",
                row,
                reason: format!("{p} is not a finite, non-negative number of purchases"),
            });
        }
        let actual = split.frequency_holdout.clone();
        #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
        let n = predicted.len() as f64;
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
}

/// One row of [`HoldoutCheck::by_frequency`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FrequencyRow {
    /// Calibration repeat purchases x; 7 stands for 7 or more.
    pub frequency: u32,
    /// Customers in the row.
    pub customers: u64,
    /// Their mean actual holdout purchases.
    pub mean_actual: f64,
    /// Their mean expected holdout purchases.
    pub mean_predicted: f64,
}

/// Compare a model's expected holdout purchases with the actual ones, per
/// customer and by calibration frequency (Fader, Hardie & Lee 2005,
/// "Counting Your Customers the Easy Way", figure 4: conditional
/// expectations by number of calibration-period transactions).
///
/// The model must be fitted on `split.calibration` in its time unit.
///
/// # Formula
/// With $\hat y_i$ = `model.expected_purchases(x_i, t_{x,i}, T_i, h)`, $h$
/// the holdout length and $y_i$ the actual holdout purchase days:
/// $$ \mathrm{MAE} = \tfrac1n \sum |\hat y_i - y_i|, \quad
///    \mathrm{RMSE} = \sqrt{\tfrac1n \sum (\hat y_i - y_i)^2}, \quad
///    \mathrm{bias} = \tfrac1n \sum (\hat y_i - y_i). $$
///
/// Source: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy
/// Way", figure 4 (the table by calibration frequency); docs/metrics.md,
/// "Retention models: sBG, BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma".
///
/// # Errors
/// [`Error::Empty`] for a calibration summary without
/// customers, and the model's errors (for example a BG/NBD with a = 1).
pub fn holdout_check(model: &impl RepeatModel, split: &CalibrationHoldout) -> Result<HoldoutCheck> {
    let cal = &split.calibration;
    let p = model.predict(cal, split.duration_holdout)?;
    HoldoutCheck::from_predictions(p.expected_purchases, split)
}

/// The horizon and discounting of a CLV: `periods` periods of
/// `period_length` time units, discounted at `discount` per period.
///
/// The default is lifetimes' `customer_lifetime_value` default: 12 months
/// at 1 % a month, a month being 30 days, or 4.345 weeks for a model in
/// weeks ([`ClvOptions::monthly`]); [`Default`] is the one in days.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct ClvOptions {
    /// Number of periods summed.
    pub periods: u32,
    /// Length of one period in the model's time unit.
    pub period_length: f64,
    /// Discount rate per period.
    pub discount: f64,
}

impl ClvOptions {
    /// Days in the CLV month (lifetimes' `freq='D'`).
    pub const DAYS_PER_MONTH: f64 = 30.0;
    /// Weeks in the CLV month (lifetimes' `freq='W'`, about 365.25 / 12 / 7).
    pub const WEEKS_PER_MONTH: f64 = 4.345;

    /// One month in `unit`: [`ClvOptions::DAYS_PER_MONTH`] or
    /// [`ClvOptions::WEEKS_PER_MONTH`].
    pub fn month(unit: TimeUnit) -> f64 {
        match unit {
            TimeUnit::Days => Self::DAYS_PER_MONTH,
            TimeUnit::Weeks => Self::WEEKS_PER_MONTH,
        }
    }

    /// 12 months of [`ClvOptions::month`] in `unit`, at 1 % a month.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::ClvOptions;
    /// use retentionkit::summary::TimeUnit;
    /// let o = ClvOptions::monthly(TimeUnit::Weeks);
    /// assert_eq!((o.periods, o.period_length, o.discount), (12, 4.345, 0.01));
    /// assert_eq!(ClvOptions::default().period_length, 30.0);
    /// ```
    pub fn monthly(unit: TimeUnit) -> Self {
        ClvOptions {
            periods: 12,
            period_length: Self::month(unit),
            discount: 0.01,
        }
    }

    /// `Ok` for a finite, non-negative discount and period length.
    pub(crate) fn check(&self) -> Result<()> {
        crate::error::check_non_negative(self.discount, "discount")?;
        crate::error::check_non_negative(self.period_length, "period_length")
    }

    /// Σₖ (E(kℓ) − E((k−1)ℓ)) / (1 + d)ᵏ for k = 1..=periods, with `e` the
    /// expected cumulative purchases in a horizon.
    pub(crate) fn discounted_sum(&self, e: impl Fn(f64) -> Result<f64>) -> Result<f64> {
        let (mut value, mut before) = (0.0, 0.0);
        for k in 1..=self.periods {
            let now = e(f64::from(k) * self.period_length)?;
            value += (now - before) / (1.0 + self.discount).powf(f64::from(k));
            before = now;
        }
        Ok(value)
    }
}

impl Default for ClvOptions {
    fn default() -> Self {
        Self::monthly(TimeUnit::Days)
    }
}

/// Discounted customer lifetime value of one customer: the expected
/// purchases of each period times the expected mean spend, discounted per
/// period (see [`ClvOptions`]).
///
/// # Formula
/// $$ \mathrm{CLV} = \sum_{k=1}^{K} \frac{\bar M\\,\big(E[Y(k\ell)] - E[Y((k-1)\ell)]\big)}{(1 + d)^k} $$
/// with $E[Y(t)]$ the model's expected purchases in the next $t$ and
/// $\bar M$ the Gamma-Gamma expected mean spend of the customer. This is the
/// discretisation lifetimes uses (`GammaGammaFitter.customer_lifetime_value`);
/// Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves for
/// Customer Base Analysis", derive the continuous-time version. Source:
/// docs/metrics.md, "Retention models: sBG, BG/NBD, MBG/NBD, Pareto/NBD,
/// BG/BB, Gamma-Gamma" (Using a fit).
///
/// # Errors
/// [`Error::InvalidArgument`] for an impossible (x, t_x, T), a negative or
/// non-finite `monetary`, discount or period length, and the models' own
/// errors.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, check::{clv, ClvOptions}, gamma_gamma::GammaGammaParams};
/// use retentionkit::summary::TimeUnit;
/// let purchases = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?; // weeks
/// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// // x = 2, t_x = 30.43, T = 38.86 weeks, mean repeat spend 22.35; one
/// // period of 39 weeks, not discounted: M̄ · E[Y(39)].
/// let one = ClvOptions { periods: 1, period_length: 39.0, discount: 0.0 };
/// let v = clv(&purchases, &spend, 2, 30.43, 38.86, 22.35, &one)?;
/// let want = spend.expected_mean_spend(2, 22.35)? * purchases.expected_purchases(2, 30.43, 38.86, 39.0)?;
/// assert!((v - want).abs() < 1e-12 * want);
/// // A year of months (4.345 weeks) at 1 % a month.
/// assert!(clv(&purchases, &spend, 2, 30.43, 38.86, 22.35, &ClvOptions::monthly(TimeUnit::Weeks))? > 0.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn clv(
    purchases: &impl RepeatModel,
    spend: &GammaGammaParams,
    frequency: u32,
    recency: f64,
    age: f64,
    monetary: f64,
    options: &ClvOptions,
) -> Result<f64> {
    check_customer(frequency, recency, age)?;
    options.check()?;
    let m = spend.expected_mean_spend(frequency, monetary)?;
    let d = options.discounted_sum(|h| purchases.expected_purchases(frequency, recency, age, h))?;
    Ok(m * d)
}

/// [`clv`] of every customer of the columns, in row order: the discounted
/// purchases evaluated once per distinct (x, t_x, T) (see
/// [`RepeatModel::discounted_purchases`]), times each customer's expected
/// mean spend.
///
/// # Errors
/// [`Error::LengthMismatch`] for columns of different lengths;
/// [`Error::InvalidValue`] naming the first row with an impossible
/// customer or mean spend; as [`clv`] otherwise.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, check::{clv, clv_values, ClvOptions}, gamma_gamma::GammaGammaParams};
/// let purchases = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let spend = GammaGammaParams::new(6.25, 3.74, 15.44)?;
/// let o = ClvOptions::default();
/// let all = clv_values(&purchases, &spend, &[2, 0], &[30.43, 0.0], &[38.86, 20.0], &[22.35, 0.0], &o)?;
/// let one = clv(&purchases, &spend, 0, 0.0, 20.0, 0.0, &o)?;
/// assert!((all[1] - one).abs() <= 1e-12 * one);
/// let err = clv_values(&purchases, &spend, &[2, 0], &[30.43, 0.0], &[38.86, 20.0], &[22.35, -1.0], &o);
/// assert_eq!(err.unwrap_err().to_string(), "column `monetary_value`, row 1: -1 must be finite and non-negative");
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn clv_values(
    purchases: &impl RepeatModel,
    spend: &GammaGammaParams,
    frequency: &[u32],
    recency: &[f64],
    age: &[f64],
    monetary: &[f64],
    options: &ClvOptions,
) -> Result<Vec<f64>> {
    if monetary.len() != frequency.len() {
        return Err(Error::LengthMismatch {
            column: "monetary_value",
            expected: frequency.len(),
            got: monetary.len(),
        });
    }
    let discounted = purchases.discounted_purchases(frequency, recency, age, options)?;
    frequency
        .iter()
        .zip(monetary)
        .zip(discounted)
        .enumerate()
        .map(|(row, ((&x, &m), d))| {
            let spend = spend.expected_mean_spend(x, m).map_err(|e| match e {
                Error::InvalidArgument {
                    name: "monetary",
                    reason,
                } => Error::InvalidValue {
                    column: "monetary_value",
                    row,
                    reason,
                },
                other => other,
            })?;
            Ok(spend * d)
        })
        .collect()
}

/// Options of the at-risk list ([`at_risk`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AtRiskOptions {
    /// Horizon of the expected purchases and the value at stake, in the
    /// model's time unit (default a year: 365 days or 52 weeks).
    pub horizon: f64,
    /// A repeat customer is at risk when P(alive) is below this (default 0.5).
    pub threshold: f64,
    /// Below this P(alive) a customer counts as lost, not at risk, and is
    /// left out (default 0.01): there is nothing left to save.
    pub lost_below: f64,
    /// At most this many customers, the most valuable first (default: all).
    pub limit: Option<usize>,
}

impl AtRiskOptions {
    /// The defaults with a year's horizon in `unit`.
    pub fn for_unit(unit: TimeUnit) -> Self {
        AtRiskOptions {
            horizon: match unit {
                TimeUnit::Days => 365.0,
                TimeUnit::Weeks => 52.0,
            },
            threshold: 0.5,
            lost_below: 0.01,
            limit: None,
        }
    }

    fn check(&self) -> Result<()> {
        crate::error::check_non_negative(self.horizon, "horizon")?;
        crate::error::check_fraction(self.threshold, "threshold")?;
        crate::error::check_fraction(self.lost_below, "lost_below")?;
        if self.lost_below > self.threshold {
            return Err(invalid_arg(
                "lost_below",
                format!(
                    "{} is above the threshold {}, so no customer could be at risk",
                    self.lost_below, self.threshold
                ),
            ));
        }
        Ok(())
    }
}

impl Default for AtRiskOptions {
    fn default() -> Self {
        Self::for_unit(TimeUnit::Days)
    }
}

/// One customer of the at-risk list.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AtRisk {
    /// The customer.
    pub customer_id: u64,
    /// Repeat purchase days in the summary (x ≥ 1).
    pub frequency: u32,
    /// Day of the last purchase.
    pub last_day: i32,
    /// Probability alive at the observation end.
    pub probability_alive: f64,
    /// Expected purchases in the horizon.
    pub expected_purchases: f64,
    /// Time since the last purchase over the customer's own mean gap
    /// between purchases, t_x / x.
    pub overdue: f64,
    /// Expected purchases in the horizon times the customer's mean repeat
    /// spend: what is at stake if they are lost (0 without amounts).
    pub value_at_stake: f64,
}

/// The customers worth saving: repeat customers (x ≥ 1) whose probability
/// alive is below `options.threshold` but not below `options.lost_below`,
/// the largest value at stake first (ties: more expected purchases, then
/// the smaller id). The one at-risk list of the CLI report, Python and the
/// npm package.
///
/// One-time buyers are left out: no gap between purchases has been seen,
/// and BG/NBD counts them as certainly alive. Customers below
/// `lost_below` are left out because their expected purchases, and so the
/// value at stake, are close to 0 whatever is done.
///
/// # Formula
/// overdue = (T − t_x) / (t_x / x): 1 means the customer's usual gap has
/// passed once since their last purchase. value at stake = E[Y(h) | x, t_x, T]
/// × (mean repeat spend, or 0 without amounts). Source: docs/metrics.md,
/// "Retention models: sBG, BG/NBD, MBG/NBD, Pareto/NBD, BG/BB, Gamma-Gamma"
/// (Using a fit); P(alive) and E[Y(h)] are the model's own (for BG/NBD,
/// Fader, Hardie & Lee 2005, equations 10 and 13).
///
/// # Errors
/// [`Error::InvalidArgument`] for a negative or non-finite horizon, a
/// threshold or floor outside [0, 1] or a floor above the threshold, and the
/// model's errors.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, check::{at_risk, AtRiskOptions}};
/// use retentionkit::summary::{summary, SummaryOptions, TimeUnit};
/// use retentionkit::TransactionLog;
/// // Customer 1 bought weekly and stopped 10 weeks ago; customer 2 still
/// // buys every 6 weeks; customer 3 bought once.
/// let ids = [1, 1, 1, 2, 2, 2, 3];
/// let days = [0, 7, 14, 0, 42, 84, 50];
/// let log = TransactionLog::new(&ids, &days, Some(&[10.0; 7]))?;
/// let s = summary(&log, &SummaryOptions { observation_end: Some(84), unit: TimeUnit::Weeks })?;
/// let m = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let list = at_risk(&m, &s, &AtRiskOptions::for_unit(TimeUnit::Weeks))?;
/// assert_eq!(list.len(), 1);
/// assert_eq!((list[0].customer_id, list[0].overdue), (1, 10.0)); // 10 weeks since, usual gap 1 week
/// assert!(list[0].probability_alive < 0.5);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn at_risk(
    model: &impl RepeatModel,
    summary: &Summary,
    options: &AtRiskOptions,
) -> Result<Vec<AtRisk>> {
    options.check()?;
    let p = model.predict(summary, options.horizon)?;
    at_risk_from_predictions(summary, &p, options)
}

/// [`at_risk`] from predictions already computed for the summary in the
/// horizon of `options` (for example by [`RepeatModel::predict`]).
///
/// # Errors
/// [`Error::LengthMismatch`] unless there is one prediction per customer,
/// and the option errors of [`at_risk`].
pub fn at_risk_from_predictions(
    summary: &Summary,
    predictions: &Predictions,
    options: &AtRiskOptions,
) -> Result<Vec<AtRisk>> {
    options.check()?;
    let n = summary.len();
    for (column, len) in [
        ("probability_alive", predictions.probability_alive.len()),
        ("expected_purchases", predictions.expected_purchases.len()),
    ] {
        if len != n {
            return Err(Error::LengthMismatch {
                column,
                expected: n,
                got: len,
            });
        }
    }
    let (recency, age) = (summary.recency(), summary.age());
    let mut out = Vec::new();
    for i in 0..n {
        let (x, alive) = (summary.frequency[i], predictions.probability_alive[i]);
        if x == 0 || !(options.lost_below..options.threshold).contains(&alive) {
            continue;
        }
        let (tx, t) = (recency[i], age[i]);
        let expected = predictions.expected_purchases[i];
        let spend = summary.monetary_value.as_ref().map_or(0.0, |m| m[i]);
        out.push(AtRisk {
            customer_id: summary.customer_id[i],
            frequency: x,
            last_day: summary.last_day[i],
            probability_alive: alive,
            expected_purchases: expected,
            overdue: ratio(t - tx, tx / f64::from(x), "mean gap between purchases")
                .map_err(|e| at_row(e, i))?,
            value_at_stake: expected * spend,
        });
    }
    out.sort_by(|a, b| {
        b.value_at_stake
            .total_cmp(&a.value_at_stake)
            .then(b.expected_purchases.total_cmp(&a.expected_purchases))
            .then(a.customer_id.cmp(&b.customer_id))
    });
    if let Some(limit) = options.limit {
        out.truncate(limit);
    }
    Ok(out)
}

/// Expected against actual cumulative repeat purchases of the whole
/// customer base: the tracking curve of [`tracking`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Tracking {
    /// The days the curve is evaluated at (counts are of days before each).
    pub at: Vec<i32>,
    /// Expected cumulative repeat purchases before each day.
    pub expected: Vec<f64>,
    /// Actual cumulative repeat purchase days before each day.
    pub actual: Vec<u64>,
}

/// The tracking curve: at each day of `at`, the expected cumulative repeat
/// purchases of every customer acquired before it and the actual count.
///
/// # Formula
/// With $n_d$ customers whose first purchase is on day $d$ and $E[X(t)]$ the
/// model's expected repeat purchases of a new customer in $t$ time units:
/// $$ \mathrm{expected}(a) = \sum_{d < a} n_d\\, E\\!\left[X\\!\left(\tfrac{a - d}{\text{unit}}\right)\right], \qquad
///    \mathrm{actual}(a) = |\\{\text{repeat purchase days before } a\\}| $$
/// (a repeat purchase day is a customer's purchase day after their first,
/// same-day orders counted once, as in the BTYD summary). Source: Fader,
/// Hardie & Lee (2005), "Counting Your Customers the Easy Way", figure 2;
/// lifetimes' `expected_cumulative_transactions` computes the same.
///
/// # Errors
/// [`Error::InvalidArgument`] when `at` is
/// empty, not increasing or outside the supported dates, and the model's
/// errors.
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::BgNbdParams, check::tracking};
/// use retentionkit::summary::TimeUnit;
/// use retentionkit::TransactionLog;
/// // Two customers from day 0 and day 7; customer 1 comes back on days 3 and 10.
/// let log = TransactionLog::new(&[1, 2, 1, 1], &[0, 7, 3, 10], None)?;
/// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426)?;
/// let t = tracking(&p, &log, TimeUnit::Weeks, &[7, 14])?;
/// assert_eq!(t.actual, [1, 2]);
/// // Day 7: customer 1 one week in; day 14: two weeks and one week.
/// let one = p.expected_purchases_new(1.0)?;
/// assert!((t.expected[0] - one).abs() < 1e-12);
/// assert!((t.expected[1] - (p.expected_purchases_new(2.0)? + one)).abs() < 1e-12);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn tracking(
    model: &impl RepeatModel,
    log: &crate::TransactionLog<'_>,
    unit: crate::summary::TimeUnit,
    at: &[i32],
) -> Result<Tracking> {
    let (Some(&first), Some(&last)) = (at.first(), at.last()) else {
        return Err(invalid_arg("at", "no days to evaluate the curve at"));
    };
    crate::period::check_day(first, "at")?;
    crate::period::check_day(last, "at")?;
    if at.windows(2).any(|w| w[1] <= w[0]) {
        return Err(invalid_arg("at", "the days must be strictly increasing"));
    }
    // One pass in date order: each customer's first day, and every repeat day.
    let rows = log.rows_before(last);
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        let mut last_seen = vec![i32::MIN; part.slots.len()];
        let (mut firsts, mut repeats) = (Vec::new(), Vec::new());
        part.visit(&mut last_seen, |c, d, _| {
            if *c == i32::MIN {
                firsts.push(d);
            } else if d != *c {
                repeats.push(d);
            }
            *c = d;
        });
        (firsts, repeats)
    });
    let (mut firsts, mut repeats) = (Vec::new(), Vec::new());
    for (f, r) in parts {
        firsts.extend(f);
        repeats.extend(r);
    }
    firsts.sort_unstable();
    repeats.sort_unstable();
    // Customers per first day.
    let mut cohorts: Vec<(i32, u64)> = Vec::new();
    for d in firsts {
        match cohorts.last_mut() {
            Some((day, n)) if *day == d => *n += 1,
            _ => cohorts.push((d, 1)),
        }
    }
    let mut expected = Vec::with_capacity(at.len());
    let mut actual = Vec::with_capacity(at.len());
    for &a in at {
        let mut e = 0.0;
        for &(d, n) in cohorts.iter().take_while(|(d, _)| *d < a) {
            #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
            let nf = n as f64;
            e += nf * model.expected_purchases_new(f64::from(a - d) / unit.days())?;
        }
        expected.push(e);
        actual.push(repeats.partition_point(|&d| d < a) as u64);
    }
    Ok(Tracking {
        at: at.to_vec(),
        expected,
        actual,
    })
}

#[cfg(test)]
mod tests;
