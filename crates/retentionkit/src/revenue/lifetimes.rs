//! Customer lifetimes from a subscription log, the input of the survival
//! curves in [`crate::survival`].

use crate::error::{check_length, Result};
use crate::period::check_day;
use crate::revenue::SubscriptionLog;

/// Each customer's lifetime up to their first churn, right-censored at the
/// observation end: the `durations` and `observed` columns that
/// [`crate::survival::kaplan_meier`] takes.
///
/// Deserialization runs [`Lifetimes::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "LifetimesRaw"))]
pub struct Lifetimes {
    /// Customer ids, increasing.
    pub customer_id: Vec<u64>,
    /// Each customer's first subscription start (for cohorts: group by
    /// [`Granularity::index`](crate::period::Granularity::index) of it).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub first_start: Vec<i32>,
    /// Days from the first start to the first day without any subscription,
    /// or to the day after the observation end for customers still covered
    /// then.
    pub days: Vec<f64>,
    /// `true` when the customer churned (had a day without a subscription)
    /// on or before the observation end; `false` when censored.
    pub churned: Vec<bool>,
}

checked_serde!(Lifetimes by validate, LifetimesRaw {
    customer_id: Vec<u64>,
    #[serde(with = "crate::period::iso_days")]
    first_start: Vec<i32>,
    days: Vec<f64>,
    churned: Vec<bool>,
});

impl Lifetimes {
    /// Check that every column has one value per customer (the length of
    /// `customer_id`). Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`](crate::Error::LengthMismatch) naming the
    /// first column of another length.
    pub fn validate(&self) -> Result<()> {
        let n = self.customer_id.len();
        check_length("first_start", n, self.first_start.len())?;
        check_length("days", n, self.days.len())?;
        check_length("churned", n, self.churned.len())
    }
}

impl SubscriptionLog {
    /// Customer lifetimes for survival analysis, observed up to and including
    /// day `observation_end`.
    ///
    /// A customer's lifetime starts at their first subscription start and
    /// ends at the first day no subscription covers (consecutive and
    /// overlapping subscriptions chain; a gap of even one day is a churn, and
    /// a later return does not extend the lifetime: it is a reactivation).
    /// Customers still covered on `observation_end` are censored with
    /// `observation_end + 1 − first_start` days. Subscriptions starting after
    /// `observation_end` are ignored, and so are customers with no earlier
    /// subscription.
    ///
    /// Source: docs/metrics.md, "Survival curves: Kaplan–Meier and the log-rank
    /// test": the durations and right-censoring flags that Kaplan–Meier needs.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when
    /// `observation_end` is outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{revenue::SubscriptionLog, survival::kaplan_meier};
    /// // Customer 1: [0, 30) then [30, 90): one lifetime of 90 days, churned.
    /// // Customer 2: [10, 40), back at [50, ∞): churned after 30 days.
    /// // Customer 3: [20, ∞): still covered on day 99, censored at 80 days.
    /// let log = SubscriptionLog::new(
    ///     &[1, 1, 2, 2, 3],
    ///     &[0, 30, 10, 50, 20],
    ///     &[Some(30), Some(90), Some(40), None, None],
    ///     &[10.0, 12.0, 5.0, 5.0, 8.0],
    /// )?;
    /// let l = log.lifetimes(99)?;
    /// assert_eq!(l.days, [90.0, 30.0, 80.0]);
    /// assert_eq!(l.churned, [true, true, false]);
    /// let km = kaplan_meier(&l.days, &l.churned)?;
    /// assert_eq!(km.survival_at(45.0)?, 2.0 / 3.0); // customer 2 churned at 30
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn lifetimes(&self, observation_end: i32) -> Result<Lifetimes> {
        check_day(observation_end, "observation_end")?;
        let limit = i64::from(observation_end) + 1;
        let mut out = Lifetimes {
            customer_id: Vec::with_capacity(self.num_customers()),
            first_start: Vec::with_capacity(self.num_customers()),
            days: Vec::with_capacity(self.num_customers()),
            churned: Vec::with_capacity(self.num_customers()),
        };
        let mut spans: Vec<(i32, i32)> = Vec::new();
        for (id, subs) in self.groups() {
            spans.clear();
            spans.extend(
                subs.iter()
                    .filter(|s| s.start <= observation_end)
                    .map(|s| (s.start, s.end)),
            );
            if spans.is_empty() {
                continue;
            }
            spans.sort_unstable();
            let first = spans[0].0;
            // Chain spans while the next one starts before the covered end.
            let mut end = i64::from(spans[0].1);
            for &(s, e) in &spans[1..] {
                if i64::from(s) > end {
                    break;
                }
                end = end.max(i64::from(e));
            }
            let churned = end < limit;
            let stop = end.min(limit);
            out.customer_id.push(id);
            out.first_start.push(first);
            #[allow(clippy::cast_precision_loss)] // ok: spans of valid days, below 2^53
            out.days.push((stop - i64::from(first)) as f64);
            out.churned.push(churned);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_overlaps_stops_at_the_first_gap_and_censors_at_the_end() {
        // Customer 7: [5, 20) and [10, 25) overlap, [25, 40) touches: one
        // lifetime 5..40 = 35 days, churned (40 <= 50).
        // Customer 8: [0, 10), gap on day 10, [11, ∞): churned after 10.
        // Customer 9: [45, 60): covers day 50, censored at 50 + 1 − 45 = 6.
        // Customer 10: starts on day 51, after the end: left out.
        // Customer 11: [50, 51): ends the day after the observation end,
        // so covered on day 50: censored at 1 day (50 + 1 − 50).
        let log = SubscriptionLog::new(
            &[7, 8, 9, 7, 10, 7, 8, 11],
            &[5, 0, 45, 10, 51, 25, 11, 50],
            &[
                Some(20),
                Some(10),
                Some(60),
                Some(25),
                None,
                Some(40),
                None,
                Some(51),
            ],
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 0.0],
        )
        .unwrap();
        let l = log.lifetimes(50).unwrap();
        assert_eq!(l.customer_id, [7, 8, 9, 11]);
        assert_eq!(l.first_start, [5, 0, 45, 50]);
        assert_eq!(l.days, [35.0, 10.0, 6.0, 1.0]);
        assert_eq!(l.churned, [true, true, false, false]);
        // Observed to day 60: customer 9's [45, 60) churns at 15 days, 10
        // joins (censored at 60 + 1 − 51 = 10) and 11 churns after 1 day.
        let l = log.lifetimes(60).unwrap();
        assert_eq!(l.customer_id, [7, 8, 9, 10, 11]);
        assert_eq!(l.days, [35.0, 10.0, 15.0, 10.0, 1.0]);
        assert_eq!(l.churned, [true, true, true, false, true]);
        assert!(log.lifetimes(i32::MAX).is_err());
    }
}
