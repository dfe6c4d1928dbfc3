//! How regular a customer base's purchase timing is, from the transaction
//! log: the Wheat–Morrison statistic, and the sum of the logarithms of each
//! customer's inter-purchase times that the BG/CNBD-k and MBG/CNBD-k
//! likelihoods need ([`crate::models::cnbd`]).
//!
//! Same-day orders are one purchase, as in the BTYD summary
//! ([`crate::summary::Summary`]): the inter-purchase times are the gaps
//! between a customer's distinct purchase days up to the observation end,
//! in the summary's time unit, so each is at least one day. BTYDplus's
//! `elog2cbs` and `estimateRegularity` merge same-date events the same way.
//!
//! Source: docs/metrics.md, "Regularity".

use crate::error::{invalid_arg, Result};
use crate::summary::SummaryOptions;
use crate::TransactionLog;

/// Each customer's distinct purchase days up to the observation end, in
/// ascending id order (the order of [`crate::summary::summary`]): `f(id,
/// days)` per customer.
fn per_customer(
    log: &TransactionLog<'_>,
    options: &SummaryOptions,
    mut f: impl FnMut(u64, &[i32]),
) -> Result<()> {
    let end = log.observation_end(options.observation_end)?;
    let mut rows: Vec<(u64, i32)> = log
        .ids()
        .iter()
        .zip(log.days())
        .filter(|&(_, &d)| d <= end)
        .map(|(&i, &d)| (i, d))
        .collect();
    rows.sort_unstable();
    rows.dedup();
    let mut start = 0;
    let mut days = Vec::new();
    while start < rows.len() {
        let id = rows[start].0;
        days.clear();
        let mut i = start;
        while i < rows.len() && rows[i].0 == id {
            days.push(rows[i].1);
            i += 1;
        }
        f(id, &days);
        start = i;
    }
    Ok(())
}

/// The sum of the logarithms of each customer's inter-purchase times,
/// Σⱼ ln(tⱼ − tⱼ₋₁) over their distinct purchase days up to the
/// observation end, in `options.unit` (BTYDplus's `litt`); 0 for a
/// customer without repeat purchases. One value per customer of
/// [`crate::summary::summary`] with the same options, in its order.
///
/// # Errors
/// As [`crate::summary::summary`] (an observation end before the log's
/// first purchase).
///
/// # Examples
/// ```
/// use retentionkit::{regularity::log_intertransaction_times, summary::{SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 1 buys on days 0, 7, 7 (same day: one purchase) and 21; customer 2 once.
/// let log = TransactionLog::new(&[1, 1, 1, 1, 2], &[0, 7, 7, 21, 3], None)?;
/// let litt = log_intertransaction_times(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
/// // Gaps of 1 and 2 weeks: ln 1 + ln 2.
/// assert_eq!(litt, [2f64.ln(), 0.0]);
/// assert!(litt[1].is_sign_positive()); // +0, not −0
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn log_intertransaction_times(
    log: &TransactionLog<'_>,
    options: &SummaryOptions,
) -> Result<Vec<f64>> {
    let unit = options.unit.days();
    let mut out = Vec::new();
    per_customer(log, options, |_, days| {
        out.push(
            days.windows(2)
                .map(|w| (f64::from(w[1] - w[0]) / unit).ln())
                // fold from +0: an empty f64 sum is −0.
                .fold(0.0, |a, b| a + b),
        );
    })?;
    Ok(out)
}

/// The Wheat–Morrison estimate of purchase regularity
/// ([`wheat_morrison`]).
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct WheatMorrison {
    /// Customers with at least three distinct purchase days, whose last two
    /// inter-purchase times make the statistic.
    pub customers: usize,
    /// Mean of M = t₁ / (t₁ + t₂) over those customers (1/2 in
    /// expectation under the model).
    pub mean: f64,
    /// Mean of (M − 1/2)², the variance of M about its model mean
    /// 1/(4(2k + 1)).
    pub variance: f64,
    /// The estimate of the Erlang (gamma) shape k: (1 − 4V) / (8V), V =
    /// `variance`. 1 for Poisson (exponential) timing, larger for more
    /// regular timing.
    pub k: f64,
}

/// The Wheat–Morrison statistic of purchase regularity (Wheat & Morrison
/// 1990, "Estimating purchase regularity with two interpurchase times",
/// Journal of Marketing Research 27(1), 87–93).
///
/// For each customer with at least three distinct purchase days up to the
/// observation end, t₁ and t₂ are their last two inter-purchase times and
/// M = t₁ / (t₁ + t₂). If inter-purchase times are independent gamma(k, λ)
/// draws, with λ any per-customer rate, M ~ beta(k, k) whatever λ, so
/// E\[M\] = 1/2 and Var M = 1/(4(2k + 1)), and
///
/// $$ \hat k = \frac{1 - 4V}{8V}, \qquad V = \frac{1}{n}\sum_i (M_i - \tfrac12)^2 . $$
///
/// k = 1 is Poisson (exponential) timing; larger k is more regular. V is
/// taken about the model mean 1/2 rather than the sample mean, so the
/// estimate is the same whichever of the two times is the numerator;
/// BTYDplus's `estimateRegularity(method = "wheat")` instead picks the
/// numerator at random per customer and uses the sample variance, which
/// differs by sampling noise only. Same-day orders are one purchase (module
/// doc).
///
/// # Errors
/// As [`crate::summary::summary`];
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) naming `log`
/// when fewer than two customers have three purchase days, or when every M
/// is exactly 1/2 (perfectly regular timing: k is infinite).
///
/// # Examples
/// ```
/// use retentionkit::{regularity::wheat_morrison, summary::SummaryOptions, TransactionLog};
/// // Customer 1: gaps 10, 30 (M = 1/4); customer 2: gaps 20, 20 (M = 1/2);
/// // customer 3: gaps 5, 15 (M = 1/4); customer 4 buys twice only (left out).
/// let ids = [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4];
/// let days = [0, 10, 40, 0, 20, 40, 0, 5, 20, 0, 9];
/// let wm = wheat_morrison(&TransactionLog::new(&ids, &days, None)?, &SummaryOptions::default())?;
/// assert_eq!(wm.customers, 3);
/// // V = (1/16 + 0 + 1/16) / 3 = 1/24; k = (1 − 1/6) / (1/3) = 2.5.
/// assert!((wm.variance - 1.0 / 24.0).abs() < 1e-15);
/// assert!((wm.k - 2.5).abs() < 1e-12);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn wheat_morrison(log: &TransactionLog<'_>, options: &SummaryOptions) -> Result<WheatMorrison> {
    let mut m = Vec::new();
    per_customer(log, options, |_, days| {
        if let [.., d0, d1, d2] = *days {
            let (t1, t2) = (f64::from(d1 - d0), f64::from(d2 - d1));
            m.push(t1 / (t1 + t2));
        }
    })?;
    if m.len() < 2 {
        return Err(invalid_arg(
            "log",
            format!(
                "the Wheat–Morrison statistic needs at least two customers with three purchase days, got {}",
                m.len()
            ),
        ));
    }
    #[allow(clippy::cast_precision_loss)] // ok: counts below 2^53
    let n = m.len() as f64;
    let mean = m.iter().sum::<f64>() / n;
    let variance = m.iter().map(|v| (v - 0.5).powi(2)).sum::<f64>() / n;
    if variance == 0.0 {
        return Err(invalid_arg(
            "log",
            "every customer's last two inter-purchase times are equal, so the regularity k is infinite",
        ));
    }
    Ok(WheatMorrison {
        customers: m.len(),
        mean,
        variance,
        k: (1.0 - 4.0 * variance) / (8.0 * variance),
    })
}
