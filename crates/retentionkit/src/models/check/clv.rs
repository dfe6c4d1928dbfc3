//! Discounted customer lifetime value from a repeat-purchase model and the
//! Gamma-Gamma spend model.

use super::RepeatModel;
use crate::error::{Error, Result};
use crate::models::data::check_customer;
use crate::models::gamma_gamma::GammaGammaParams;
use crate::summary::TimeUnit;

/// The horizon and discounting of a CLV: `periods` periods of
/// `period_length` time units, discounted at `discount` per period.
///
/// The default is lifetimes' `customer_lifetime_value` default: 12 months
/// at 1 % a month, a month being 30 days, or 4.345 weeks for a model in
/// weeks ([`ClvOptions::monthly`]); [`Default`] is the one in days.
///
/// # Examples
/// ```
/// use retentionkit::{models::check::ClvOptions, summary::TimeUnit};
/// // Two years of weeks-based months at 1 % a month.
/// let o = ClvOptions::monthly(TimeUnit::Weeks).with_periods(24);
/// assert_eq!((o.periods, o.period_length, o.discount), (24, 4.345, 0.01));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ClvOptions {
    /// Number of periods summed.
    pub periods: u32,
    /// Length of one period in the model's time unit.
    pub period_length: f64,
    /// Discount rate per period.
    pub discount: f64,
}

with_setters!("models::check", ClvOptions {
    with_periods(periods: u32) = (24 => 24),
    with_period_length(period_length: f64) = (7.0 => 7.0),
    with_discount(discount: f64) = (0.02 => 0.02),
});

impl ClvOptions {
    /// Days in the CLV month (lifetimes' `freq='D'`).
    pub const DAYS_PER_MONTH: f64 = 30.0;
    /// Weeks in the CLV month (lifetimes' `freq='W'`, about 365.25 / 12 / 7).
    pub const WEEKS_PER_MONTH: f64 = 4.345;

    /// One month in `unit`: [`ClvOptions::DAYS_PER_MONTH`] or
    /// [`ClvOptions::WEEKS_PER_MONTH`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::check::ClvOptions, summary::TimeUnit};
    /// assert_eq!((ClvOptions::month(TimeUnit::Days), ClvOptions::month(TimeUnit::Weeks)), (30.0, 4.345));
    /// ```
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
    /// expected cumulative purchases in a horizon (E(0) = 0).
    ///
    /// Summed by parts (Abel summation), with v = 1/(1 + d) and K periods:
    /// $$ \sum_{k=1}^{K} (E_k - E_{k-1}) v^k = \sum_{k=1}^{K-1} E_k\\, v^k (1 - v) + E_K v^K, $$
    /// exact algebraically, and a sum of non-negative terms (d ≥ 0, so
    /// 0 < v ≤ 1), so the result is ≥ 0 whenever every E is: the
    /// differences E_k − E_{k−1} of nearly equal expectations can round
    /// below 0 (issue 19's fuzz input regression-bg-nbd-negative-discounted).
    pub(crate) fn discounted_sum(&self, e: impl Fn(f64) -> Result<f64>) -> Result<f64> {
        let v = 1.0 / (1.0 + self.discount);
        // 1 − v = d/(1 + d), without the subtraction.
        let step = self.discount / (1.0 + self.discount);
        let mut value = 0.0;
        for k in 1..=self.periods {
            let now = e(f64::from(k) * self.period_length)?;
            let weight = v.powf(f64::from(k));
            value += now
                * if k == self.periods {
                    weight
                } else {
                    weight * step
                };
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
/// let one = ClvOptions::default().with_periods(1).with_period_length(39.0).with_discount(0.0);
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
        .map(|(row, ((&x, &m), d))| Ok(mean_spend_at(spend, row, x, m)? * d))
        .collect()
}

/// The Gamma-Gamma expected mean spend of the customer in `row`, a bad mean
/// spend reported as [`Error::InvalidValue`] of column `monetary_value` at
/// that row.
pub(crate) fn mean_spend_at(spend: &GammaGammaParams, row: usize, x: u32, m: f64) -> Result<f64> {
    spend.expected_mean_spend(x, m).map_err(|e| match e {
        Error::InvalidArgument {
            name: "monetary",
            reason,
        } => Error::InvalidValue {
            column: "monetary_value",
            row,
            reason,
        },
        other => other,
    })
}
