//! The at-risk list: repeat customers whose probability alive has fallen
//! below a threshold, the most valuable first.

use super::RepeatModel;
use crate::error::{invalid_arg, ratio, Error, Result};
use crate::models::bg_nbd::Predictions;
use crate::models::repeat::at_row;
use crate::summary::{Summary, TimeUnit};

/// Options of the at-risk list ([`at_risk`]).
///
/// # Examples
/// ```
/// use retentionkit::{models::check::AtRiskOptions, summary::TimeUnit};
/// let o = AtRiskOptions::for_unit(TimeUnit::Weeks).with_limit(20);
/// assert_eq!((o.horizon, o.threshold, o.lost_below, o.limit), (52.0, 0.5, 0.01, Some(20)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
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

with_setters!("models::check", AtRiskOptions {
    with_horizon(horizon: f64) = (60.0 => 60.0),
    with_threshold(threshold: f64) = (0.3 => 0.3),
    with_lost_below(lost_below: f64) = (0.05 => 0.05),
    with_limit(limit: impl Into<Option<usize>>) = (50 => Some(50)),
});

impl AtRiskOptions {
    /// The defaults with a year's horizon in `unit`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{models::check::AtRiskOptions, summary::TimeUnit};
    /// assert_eq!(AtRiskOptions::for_unit(TimeUnit::Days).horizon, 365.0);
    /// ```
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
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::Predictions, check::{at_risk_from_predictions, AtRiskOptions}};
/// use retentionkit::{summary::{summary, SummaryOptions}, TransactionLog};
/// // Customer 1: days 0, 7, 21 (10, 20, 40); customer 2: days 0 and 10 (5, 6); customer 3: day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 0, 10, 14], Some(&[10.0, 20.0, 40.0, 5.0, 6.0, 3.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?; // observed to day 21
/// // Predictions from any model (typed in here): P(alive) and expected purchases.
/// let p = Predictions { probability_alive: vec![0.3, 0.2, 0.9], expected_purchases: vec![1.0, 2.0, 0.5] };
/// let list = at_risk_from_predictions(&s, &p, &AtRiskOptions::default())?;
/// let first = list[0];
/// assert_eq!((first.customer_id, first.frequency), (1, 2));
/// assert_eq!(first.value_at_stake, 30.0); // 1 expected purchase × mean repeat spend (20 + 40) / 2
/// assert_eq!(first.overdue, 0.0); // bought on the last day
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AtRisk {
    /// The customer.
    pub customer_id: u64,
    /// Repeat purchase days in the summary (x ≥ 1).
    pub frequency: u32,
    /// Day of the last purchase.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
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
/// let s = summary(&log, &SummaryOptions::default().with_observation_end(Some(84)).with_unit(TimeUnit::Weeks))?;
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
///
/// # Examples
/// ```
/// use retentionkit::models::{bg_nbd::Predictions, check::{at_risk_from_predictions, AtRiskOptions}};
/// use retentionkit::{summary::{summary, SummaryOptions}, TransactionLog};
/// // Customer 1: days 0, 7, 21 (10, 20, 40); customer 2: days 0 and 10 (5, 6); customer 3: day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2, 2, 3], &[0, 7, 21, 0, 10, 14], Some(&[10.0, 20.0, 40.0, 5.0, 6.0, 3.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?; // observed to day 21
/// // Predictions from any model (typed in here): P(alive) and expected purchases.
/// let p = Predictions { probability_alive: vec![0.3, 0.2, 0.9], expected_purchases: vec![1.0, 2.0, 0.5] };
/// let list = at_risk_from_predictions(&s, &p, &AtRiskOptions::default())?;
/// // Customer 3 (a one-time buyer) and P(alive) ≥ 0.5 are left out; 30 at stake before 12 (2 × 6).
/// assert_eq!(list.iter().map(|r| r.customer_id).collect::<Vec<_>>(), [1, 2]);
/// // Customer 2: 11 days since the last purchase over a mean gap of 10 days.
/// assert!((list[1].overdue - 1.1).abs() < 1e-12);
/// # Ok::<(), retentionkit::Error>(())
/// ```
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
