//! What-if: what a few more points of retention per period are worth.
//!
//! Source: docs/metrics.md, "What-if: retention lift". Under a constant
//! retention rate $r$ per period, a customer pays in period 0 and stays each
//! further period with probability $r$, so the expected number of paid
//! periods (lifespan) is the geometric sum
//! $$ \bar L = \sum_{t \ge 0} r^t = \frac{1}{1 - r}, \qquad
//!    \bar L_h = \sum_{t=0}^{h-1} r^t = \frac{1 - r^h}{1 - r} \text{ within } h \text{ periods}. $$
//! With value $m$ per period and discount rate $d$ per period,
//! $$ \mathrm{CLV} = \sum_{t \ge 0} \frac{m\\,r^t}{(1+d)^t} = \frac{m\\,(1+d)}{1 + d - r}. $$
//! ([`discounted_clv`](crate::revenue::discounted_clv), Gupta & Lehmann's
//! margin multiple $m\\,r/(1+d-r)$, counts from the first renewal, without
//! the first payment; here the first period is paid, which is what "1,000
//! members paying 50 a month for 10 months bring 500,000" means.)

use crate::error::{check_non_negative, finite_result, invalid_arg, Result};

/// A customer base under constant per-period retention.
///
/// # Examples
/// ```
/// use retentionkit::whatif::Scenario;
/// // A year of monthly renewals at 90 % retention.
/// let s = Scenario { customers: 1_000.0, value_per_period: 50.0, retention: 0.9, discount_rate: 0.0, horizon: Some(12) };
/// let o = s.outcome()?;
/// // Lifespan within 12 periods: (1 − 0.9¹²) / (1 − 0.9).
/// assert!((o.lifespan - (1.0 - 0.9f64.powi(12)) / 0.1).abs() < 1e-12);
/// assert!((o.customers_remaining - 1_000.0 * 0.9f64.powi(12)).abs() < 1e-9);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Scenario {
    /// Number of customers at the start.
    pub customers: f64,
    /// Value (revenue or margin) per customer per period.
    pub value_per_period: f64,
    /// Retention rate per period, in `[0, 1)`.
    pub retention: f64,
    /// Discount rate per period (0 = undiscounted).
    pub discount_rate: f64,
    /// Number of periods to project, or `None` for an unlimited horizon.
    pub horizon: Option<u32>,
}

impl Scenario {
    /// A scenario whose expected lifespan is `lifespan` periods: retention $1 - 1/\bar L$.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] when `lifespan < 1`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// let s = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?;
    /// assert!((s.retention - 0.9).abs() < 1e-15); // 1 − 1/10
    /// assert!(Scenario::from_lifespan(1_000.0, 50.0, 0.5).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_lifespan(customers: f64, value_per_period: f64, lifespan: f64) -> Result<Scenario> {
        if !(lifespan.is_finite() && lifespan >= 1.0) {
            return Err(invalid_arg(
                "lifespan",
                format!("{lifespan} must be a finite number of periods, at least 1"),
            ));
        }
        let s = Scenario {
            customers,
            value_per_period,
            retention: 1.0 - 1.0 / lifespan,
            discount_rate: 0.0,
            horizon: None,
        };
        s.validate()?;
        Ok(s)
    }

    fn validate(&self) -> Result<()> {
        check_non_negative(self.customers, "customers")?;
        check_non_negative(self.value_per_period, "value_per_period")?;
        check_non_negative(self.discount_rate, "discount_rate")?;
        let forever_with_horizon =
            self.retention.to_bits() == 1f64.to_bits() && self.horizon.is_some();
        if !((0.0..1.0).contains(&self.retention) || forever_with_horizon) {
            return Err(invalid_arg(
                "retention",
                format!(
                    "{} must be in [0, 1) (1 only with a finite horizon)",
                    self.retention
                ),
            ));
        }
        Ok(())
    }

    /// Expected lifespan, CLV, revenue and remaining customers of the scenario.
    ///
    /// # Errors
    /// [`crate::Error::InvalidArgument`] for a retention outside `[0, 1)`
    /// (1 is allowed with a horizon), a negative or non-finite input, or
    /// inputs so large that the CLV or the revenue would overflow to infinity
    /// (naming `value_per_period` or `customers`).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// // 1,000 members paying 50 a month who stay 10 months on average.
    /// let s = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?;
    /// let o = s.outcome()?;
    /// assert!((o.lifespan - 10.0).abs() < 1e-12);
    /// assert!((o.revenue - 500_000.0).abs() < 1e-6);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn outcome(&self) -> Result<Outcome> {
        self.validate()?;
        let (r, q) = (self.retention, self.retention / (1.0 + self.discount_rate));
        let geometric = |x: f64| match self.horizon {
            None => 1.0 / (1.0 - x),
            Some(h) if x.to_bits() == 1f64.to_bits() => f64::from(h),
            Some(h) => (1.0 - x.powf(f64::from(h))) / (1.0 - x),
        };
        let lifespan = geometric(r);
        let clv = self.value_per_period * geometric(q);
        let remaining = match self.horizon {
            Some(h) => self.customers * r.powf(f64::from(h)),
            None => 0.0,
        };
        Ok(Outcome {
            lifespan,
            clv: finite_result(clv, "value_per_period")?,
            revenue: finite_result(self.customers * clv, "customers")?,
            customers_remaining: remaining,
        })
    }

    /// The effect of raising retention by `points` (a fraction: 0.02 = two points).
    ///
    /// # Errors
    /// As [`Scenario::outcome`], for the scenario before or after the lift.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// // From a 10-month to a 12-month lifespan: retention 0.9 -> 11/12.
    /// let s = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?;
    /// let lift = s.lift(11.0 / 12.0 - 0.9)?;
    /// assert!((lift.after.revenue - 600_000.0).abs() < 1e-6);
    /// assert!((lift.revenue_change() - 100_000.0).abs() < 1e-6);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn lift(&self, points: f64) -> Result<Lift> {
        if !points.is_finite() {
            return Err(invalid_arg("points", format!("{points} must be finite")));
        }
        let after = Scenario {
            retention: self.retention + points,
            ..*self
        };
        Ok(Lift {
            before: self.outcome()?,
            after: after.outcome()?,
        })
    }
}

/// What a scenario is expected to bring.
///
/// # Examples
/// ```
/// use retentionkit::whatif::Scenario;
/// let o = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.outcome()?;
/// // 10 periods × 50 = 500 per customer, 500,000 in all; no horizon, nobody "remains".
/// assert!((o.clv - 500.0).abs() < 1e-9 && (o.revenue - 500_000.0).abs() < 1e-6);
/// assert_eq!(o.customers_remaining, 0.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Outcome {
    /// Expected paid periods per customer (within the horizon, if any).
    pub lifespan: f64,
    /// Expected (discounted) value per customer.
    pub clv: f64,
    /// `customers × clv`.
    pub revenue: f64,
    /// Customers left after the horizon, $n\\,r^h$ (0 without a horizon).
    pub customers_remaining: f64,
}

/// A scenario before and after a retention lift.
///
/// # Examples
/// ```
/// use retentionkit::whatif::Scenario;
/// // 1,000 customers paying 50 a period for 10 periods on average (retention 0.9),
/// // lifted to 12 periods (retention 11/12).
/// let lift = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.lift(11.0 / 12.0 - 0.9)?;
/// assert!((lift.before.lifespan - 10.0).abs() < 1e-9 && (lift.after.lifespan - 12.0).abs() < 1e-9);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Lift {
    /// Outcome at the current retention.
    pub before: Outcome,
    /// Outcome at the lifted retention.
    pub after: Outcome,
}

impl Lift {
    /// Extra revenue from the lift.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// // 1,000 customers paying 50 a period for 10 periods on average (retention 0.9),
    /// // lifted to 12 periods (retention 11/12).
    /// let lift = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.lift(11.0 / 12.0 - 0.9)?;
    /// assert!((lift.revenue_change() - 100_000.0).abs() < 1e-6); // 1,000 × 50 × 2
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn revenue_change(&self) -> f64 {
        self.after.revenue - self.before.revenue
    }
    /// Extra CLV per customer.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// // 1,000 customers paying 50 a period for 10 periods on average (retention 0.9),
    /// // lifted to 12 periods (retention 11/12).
    /// let lift = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.lift(11.0 / 12.0 - 0.9)?;
    /// assert!((lift.clv_change() - 100.0).abs() < 1e-9); // 50 × 2 periods
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn clv_change(&self) -> f64 {
        self.after.clv - self.before.clv
    }
    /// Extra periods of expected lifespan.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// // 1,000 customers paying 50 a period for 10 periods on average (retention 0.9),
    /// // lifted to 12 periods (retention 11/12).
    /// let lift = Scenario::from_lifespan(1_000.0, 50.0, 10.0)?.lift(11.0 / 12.0 - 0.9)?;
    /// assert!((lift.lifespan_change() - 2.0).abs() < 1e-9);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn lifespan_change(&self) -> f64 {
        self.after.lifespan - self.before.lifespan
    }
    /// Extra customers left after the horizon.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::whatif::Scenario;
    /// let s = Scenario { customers: 1_000.0, value_per_period: 50.0, retention: 0.9, discount_rate: 0.0, horizon: Some(12) };
    /// let lift = s.lift(0.02)?;
    /// // 1,000 (0.92¹² − 0.9¹²) more customers after a year.
    /// assert!((lift.customers_change() - 1_000.0 * (0.92f64.powi(12) - 0.9f64.powi(12))).abs() < 1e-9);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customers_change(&self) -> f64 {
        self.after.customers_remaining - self.before.customers_remaining
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_months_of_fifty_bring_six_hundred_thousand() {
        // docs/metrics.md, "What-if: retention lift": 1,000 x 50 x 12 = 600,000.
        let o = Scenario::from_lifespan(1_000.0, 50.0, 12.0)
            .unwrap()
            .outcome()
            .unwrap();
        assert!((o.revenue - 600_000.0).abs() < 1e-6);
    }

    #[test]
    fn horizon_and_discounting_by_hand() {
        // r = 0.5, h = 3: lifespan 1 + 0.5 + 0.25 = 1.75; remaining 8 x 0.125 = 1.
        // d = 1: q = 0.25, CLV = 4 x (1 + 0.25 + 0.0625) = 5.25.
        let s = Scenario {
            customers: 8.0,
            value_per_period: 4.0,
            retention: 0.5,
            discount_rate: 1.0,
            horizon: Some(3),
        };
        let o = s.outcome().unwrap();
        assert_eq!(
            (o.lifespan, o.clv, o.customers_remaining),
            (1.75, 5.25, 1.0)
        );
        assert_eq!(o.revenue, 42.0);
    }

    #[test]
    fn impossible_scenarios_are_errors() {
        let base = Scenario {
            customers: 1.0,
            value_per_period: 1.0,
            retention: 0.9,
            discount_rate: 0.0,
            horizon: None,
        };
        assert!(base.lift(0.1).is_err()); // retention 1 forever: infinite lifespan
        assert!(Scenario {
            retention: f64::NAN,
            ..base
        }
        .outcome()
        .is_err());
        assert!(Scenario {
            customers: -1.0,
            ..base
        }
        .outcome()
        .is_err());
        assert!(Scenario::from_lifespan(1.0, 1.0, 0.5).is_err());
        assert!(Scenario {
            retention: 1.0,
            horizon: Some(4),
            ..base
        }
        .outcome()
        .is_ok());
    }
}
