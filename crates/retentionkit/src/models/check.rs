//! Using a fitted repeat-purchase model: calibration/holdout checks,
//! customer lifetime value and the at-risk list.
//!
//! Everything here works with any model that implements [`RepeatModel`]
//! (BG/NBD, MBG/NBD, Pareto/NBD); the formulas of each model live in its own module.

mod at_risk;
mod clv;
mod value;

pub use crate::models::repeat::RepeatModel;
pub use at_risk::{at_risk, at_risk_from_predictions, AtRisk, AtRiskOptions};
pub(crate) use clv::mean_spend_at;
pub use clv::{clv, clv_values, ClvOptions};
pub use value::{customer_values, CustomerValue, ValueOptions};

#[cfg(doc)]
use crate::error::Error;
use crate::error::{check_length, invalid_arg, Result};
use crate::summary::CalibrationHoldout;

/// Predicted against actual holdout purchases.
///
/// Deserialization runs [`HoldoutCheck::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "HoldoutCheckRaw"))]
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

checked_serde!(HoldoutCheck by validate, HoldoutCheckRaw {
    predicted: Vec<f64>,
    actual: Vec<u32>,
    mae: f64,
    rmse: f64,
    bias: f64,
    by_frequency: Vec<FrequencyRow>,
});

impl HoldoutCheck {
    /// Check that `predicted` and `actual` have one value per customer
    /// each (the same length). Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (column
    /// `actual`) when the lengths differ.
    pub fn validate(&self) -> Result<()> {
        check_length("actual", self.predicted.len(), self.actual.len())
    }
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
        Self::from_columns(
            predicted,
            &split.frequency_holdout,
            &split.calibration.frequency,
        )
    }

    /// The check of [`holdout_check`] from three columns, one row per
    /// calibration customer: expected and actual holdout purchases and the
    /// calibration frequency x (for a table that was split elsewhere, such
    /// as the Python package's calibration/holdout frame).
    ///
    /// # Errors
    /// [`Error::Empty`] without rows; [`Error::LengthMismatch`] unless the
    /// three columns have one length; [`Error::InvalidValue`] for a
    /// prediction that is negative or not finite.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::models::check::HoldoutCheck;
    /// // Two customers with x = 0 and x = 3: predicted 0.5 and 2.5, actual 0 and 4.
    /// let check = HoldoutCheck::from_columns(vec![0.5, 2.5], &[0, 4], &[0, 3])?;
    /// // errors 0.5 and −1.5: MAE 1, RMSE √((0.25 + 2.25)/2), bias −0.5.
    /// assert_eq!((check.mae, check.bias), (1.0, -0.5));
    /// assert!((check.rmse - 1.25f64.sqrt()).abs() < 1e-15);
    /// assert_eq!(check.by_frequency.len(), 2);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_columns(
        predicted: Vec<f64>,
        actual: &[u32],
        frequency: &[u32],
    ) -> Result<HoldoutCheck> {
        if frequency.is_empty() {
            return Err(crate::Error::Empty {
                what: "calibration summary",
            });
        }
        for (column, len) in [("predicted", predicted.len()), ("actual", actual.len())] {
            if len != frequency.len() {
                return Err(crate::Error::LengthMismatch {
                    column,
                    expected: frequency.len(),
                    got: len,
                });
            }
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
        let actual = actual.to_vec();
        #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
        let n = predicted.len() as f64;
        let (mut abs, mut sq, mut sum) = (0.0, 0.0, 0.0);
        let mut rows = [(0u64, 0.0f64, 0.0f64); 8];
        for ((&p, &a), &x) in predicted.iter().zip(&actual).zip(frequency) {
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

/// Expected against actual cumulative repeat purchases of the whole
/// customer base: the tracking curve of [`tracking`].
///
/// Deserialization runs [`Tracking::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "TrackingRaw"))]
pub struct Tracking {
    /// The days the curve is evaluated at (counts are of days before each).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub at: Vec<i32>,
    /// Expected cumulative repeat purchases before each day.
    pub expected: Vec<f64>,
    /// Actual cumulative repeat purchase days before each day.
    pub actual: Vec<u64>,
}

checked_serde!(Tracking by validate, TrackingRaw {
    #[serde(with = "crate::period::iso_days")]
    at: Vec<i32>,
    expected: Vec<f64>,
    actual: Vec<u64>,
});

impl Tracking {
    /// Check that every column has one value per day of `at`.
    /// Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming the
    /// first column of another length.
    pub fn validate(&self) -> Result<()> {
        let n = self.at.len();
        check_length("expected", n, self.expected.len())?;
        check_length("actual", n, self.actual.len())
    }
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
    let base = TrackingBase::new(log, at)?;
    Ok(Tracking {
        expected: base.expected(model, unit)?,
        at: base.at,
        actual: base.actual,
    })
}

/// What the tracking curve takes from the log (one pass): the customers per
/// first day and the actual counts; the expected curve of any model follows
/// from it without another pass (the intervals evaluate it at several
/// parameter values).
pub(crate) struct TrackingBase {
    pub(crate) at: Vec<i32>,
    /// (first day, customers), by day.
    cohorts: Vec<(i32, u64)>,
    pub(crate) actual: Vec<u64>,
}

impl TrackingBase {
    /// # Errors
    /// As [`tracking`] for `at`.
    pub(crate) fn new(log: &crate::TransactionLog<'_>, at: &[i32]) -> Result<Self> {
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
        let actual = at
            .iter()
            .map(|&a| repeats.partition_point(|&d| d < a) as u64)
            .collect();
        Ok(Self {
            at: at.to_vec(),
            cohorts,
            actual,
        })
    }

    /// The expected curve of `model` (formula of [`tracking`]).
    ///
    /// # Errors
    /// The model's errors.
    pub(crate) fn expected(
        &self,
        model: &impl RepeatModel,
        unit: crate::summary::TimeUnit,
    ) -> Result<Vec<f64>> {
        let (at, cohorts) = (&self.at, &self.cohorts);
        // E[X(a − d)] depends on the lag a − d alone: each lag is evaluated
        // once (a few thousand at most for a log of some years, against
        // days × points pairs), in parallel, then summed per point in order.
        let mut lags: Vec<i32> = Vec::new();
        for &a in at {
            lags.extend(
                cohorts
                    .iter()
                    .take_while(|(d, _)| *d < a)
                    .map(|(d, _)| a - d),
            );
        }
        lags.sort_unstable();
        lags.dedup();
        let values = crate::log::par_map(lags.clone(), |lag| {
            model.expected_purchases_new(f64::from(lag) / unit.days())
        })
        .into_iter()
        .collect::<Result<Vec<f64>>>()?;
        let at_lag = |lag: i32| values[lags.partition_point(|&l| l < lag)];
        Ok(at
            .iter()
            .map(|&a| {
                let mut e = 0.0;
                for &(d, n) in cohorts.iter().take_while(|(d, _)| *d < a) {
                    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
                    let nf = n as f64;
                    e += nf * at_lag(a - d);
                }
                e
            })
            .collect())
    }
}

#[cfg(test)]
mod tests;
