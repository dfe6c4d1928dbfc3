//! MRR movements over periods, from one pass over the customers.

use super::pass::pass;
use super::SubscriptionLog;
use crate::error::{invalid_arg, ratio, Error, Result};
use crate::kpi;
use crate::period::{check_day, Granularity, Period};

/// How a period `[p0, p1)` changed the MRR and the customer base.
///
/// Each customer's MRR at `p0` ($m_0$) is compared with their MRR at `p1`
/// ($m_1$), both "at the instant" (subscriptions covering that day):
///
/// | movement | condition | amount |
/// |---|---|---|
/// | new | $m_0 = 0 < m_1$, no paid subscription starting before `p0` | $m_1$ |
/// | reactivation | $m_0 = 0 < m_1$, a paid subscription started before `p0` | $m_1$ |
/// | expansion | $0 < m_0 < m_1$ | $m_1 - m_0$ |
/// | contraction | $0 < m_1 < m_0$ | $m_0 - m_1$ |
/// | churned | $m_0 > 0 = m_1$ | $m_0$ |
///
/// so that start + new + expansion + reactivation − contraction − churned
/// = end (see the module docs for the precision). "Paid" means MRR > 0: a
/// customer who converts from a free plan (MRR 0) to their first paid one is
/// new, not reactivated; reactivation is paying again after having paid.
///
/// Customer counts (logos) use activity, not MRR: a customer is active at
/// `t` when any subscription covers `t`, free plans included.
///
/// Source: docs/metrics.md, "MRR movements" and "Revenue and logo retention".
///
/// # Examples
/// ```
/// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
/// // 1 expands 100 -> 150 on day 5, 2 churns on day 5, 3 is new on day 5.
/// let log = SubscriptionLog::new(
///     &[1, 1, 2, 3],
///     &[0, 5, 0, 5],
///     &[Some(5), None, Some(5), None],
///     &[100.0, 150.0, 40.0, 60.0],
/// )?;
/// let m = mrr_movements(&log, Period::new(1, 10)?)?;
/// assert_eq!((m.start_mrr, m.new, m.expansion, m.churned, m.end_mrr), (140.0, 60.0, 50.0, 40.0, 210.0));
/// assert_eq!(m.gross_revenue_retention()?, 100.0 / 140.0); // (140 − 40 − 0) / 140
/// assert_eq!(m.net_revenue_retention()?, 150.0 / 140.0); // (140 + 50 − 40 − 0) / 140
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MrrMovements {
    /// The period `[p0, p1)`.
    pub period: Period,
    /// Total MRR at `p0`.
    pub start_mrr: f64,
    /// Total MRR at `p1`.
    pub end_mrr: f64,
    /// MRR of new customers.
    pub new: f64,
    /// MRR added by customers who had MRR at `p0`.
    pub expansion: f64,
    /// MRR lost by customers who still have MRR at `p1`.
    pub contraction: f64,
    /// MRR at `p0` of customers with none at `p1`.
    pub churned: f64,
    /// MRR of customers back from MRR 0 who had subscribed before `p0`.
    pub reactivation: f64,
    /// Customers active at `p0` ($S$).
    pub start_customers: u64,
    /// Customers active at `p1` ($E$).
    pub end_customers: u64,
    /// Customers active at both `p0` and `p1` ($|S \cap E|$).
    pub retained_customers: u64,
    /// Customers counted in [`MrrMovements::new`].
    pub new_customers: u64,
    /// Customers counted in [`MrrMovements::expansion`].
    pub expansion_customers: u64,
    /// Customers counted in [`MrrMovements::contraction`].
    pub contraction_customers: u64,
    /// Customers counted in [`MrrMovements::churned`].
    pub churned_customers: u64,
    /// Customers counted in [`MrrMovements::reactivation`].
    pub reactivation_customers: u64,
}

/// A named amount of [`MrrMovements`]: its name, and its field to read
/// and to write.
pub type MrrAmount = (
    &'static str,
    fn(&MrrMovements) -> f64,
    fn(&mut MrrMovements) -> &mut f64,
);
/// A named customer count of [`MrrMovements`]: its name, and its field to
/// read and to write.
pub type MrrCount = (
    &'static str,
    fn(&MrrMovements) -> u64,
    fn(&mut MrrMovements) -> &mut u64,
);
/// A named rate of [`MrrMovements`]: its name and its method.
pub type MrrRate = (&'static str, fn(&MrrMovements) -> Result<f64>);

impl MrrMovements {
    /// The amounts with their names, in the order the front-ends show them
    /// (Python's columns are made from this list).
    pub const AMOUNTS: [MrrAmount; 7] = [
        ("start_mrr", |m| m.start_mrr, |m| &mut m.start_mrr),
        ("end_mrr", |m| m.end_mrr, |m| &mut m.end_mrr),
        ("new", |m| m.new, |m| &mut m.new),
        ("expansion", |m| m.expansion, |m| &mut m.expansion),
        ("contraction", |m| m.contraction, |m| &mut m.contraction),
        ("churned", |m| m.churned, |m| &mut m.churned),
        ("reactivation", |m| m.reactivation, |m| &mut m.reactivation),
    ];

    /// The customer counts with their names, in order.
    pub const COUNTS: [MrrCount; 8] = [
        (
            "start_customers",
            |m| m.start_customers,
            |m| &mut m.start_customers,
        ),
        (
            "end_customers",
            |m| m.end_customers,
            |m| &mut m.end_customers,
        ),
        (
            "retained_customers",
            |m| m.retained_customers,
            |m| &mut m.retained_customers,
        ),
        (
            "new_customers",
            |m| m.new_customers,
            |m| &mut m.new_customers,
        ),
        (
            "expansion_customers",
            |m| m.expansion_customers,
            |m| &mut m.expansion_customers,
        ),
        (
            "contraction_customers",
            |m| m.contraction_customers,
            |m| &mut m.contraction_customers,
        ),
        (
            "churned_customers",
            |m| m.churned_customers,
            |m| &mut m.churned_customers,
        ),
        (
            "reactivation_customers",
            |m| m.reactivation_customers,
            |m| &mut m.reactivation_customers,
        ),
    ];

    /// The rates with their names, in order.
    pub const RATES: [MrrRate; 7] = [
        (
            "gross_revenue_retention",
            MrrMovements::gross_revenue_retention,
        ),
        ("net_revenue_retention", MrrMovements::net_revenue_retention),
        ("gross_revenue_churn", MrrMovements::gross_revenue_churn),
        ("net_revenue_churn", MrrMovements::net_revenue_churn),
        ("logo_retention", MrrMovements::logo_retention),
        ("logo_churn", MrrMovements::logo_churn),
        ("quick_ratio", MrrMovements::quick_ratio),
    ];

    /// A period with no MRR and no customers: what the merges and the
    /// bindings fill in.
    pub fn empty(period: Period) -> Self {
        Self {
            period,
            start_mrr: 0.0,
            end_mrr: 0.0,
            new: 0.0,
            expansion: 0.0,
            contraction: 0.0,
            churned: 0.0,
            reactivation: 0.0,
            start_customers: 0,
            end_customers: 0,
            retained_customers: 0,
            new_customers: 0,
            expansion_customers: 0,
            contraction_customers: 0,
            churned_customers: 0,
            reactivation_customers: 0,
        }
    }

    /// Gross revenue retention (GRR).
    ///
    /// # Formula
    /// $$ \mathrm{GRR} = \frac{\mathrm{MRR}(p_0) - \text{churned} - \text{contraction}}{\mathrm{MRR}(p_0)} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when the MRR at `p0` is 0.
    ///
    /// # Examples
    /// See [`MrrMovements`].
    pub fn gross_revenue_retention(&self) -> Result<f64> {
        ratio(
            self.start_mrr - self.churned - self.contraction,
            self.start_mrr,
            "MRR at period start",
        )
    }

    /// Net revenue retention (NRR), over the customers with MRR at `p0`
    /// (new and reactivated MRR are left out).
    ///
    /// # Formula
    /// $$ \mathrm{NRR} = \frac{\mathrm{MRR}(p_0) + \text{expansion} - \text{churned} - \text{contraction}}{\mathrm{MRR}(p_0)} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when the MRR at `p0` is 0.
    ///
    /// # Examples
    /// See [`MrrMovements`].
    pub fn net_revenue_retention(&self) -> Result<f64> {
        ratio(
            self.start_mrr + self.expansion - self.churned - self.contraction,
            self.start_mrr,
            "MRR at period start",
        )
    }

    /// Gross revenue churn (gross MRR churn) = 1 − GRR.
    ///
    /// # Formula
    /// $$ \frac{\text{churned} + \text{contraction}}{\mathrm{MRR}(p_0)} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when the MRR at `p0` is 0.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
    /// // 200 at day 0; customer 2 (50) churns on day 3.
    /// let log = SubscriptionLog::new(&[1, 2], &[0, 0], &[None, Some(3)], &[150.0, 50.0])?;
    /// let m = mrr_movements(&log, Period::new(0, 5)?)?;
    /// assert_eq!(m.gross_revenue_churn()?, 0.25); // (50 + 0) / 200
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn gross_revenue_churn(&self) -> Result<f64> {
        ratio(
            self.churned + self.contraction,
            self.start_mrr,
            "MRR at period start",
        )
    }

    /// Net revenue churn = 1 − NRR; negative when expansion outweighs losses.
    ///
    /// # Formula
    /// $$ \frac{\text{churned} + \text{contraction} - \text{expansion}}{\mathrm{MRR}(p_0)} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when the MRR at `p0` is 0.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
    /// // 1 goes 100 -> 180 on day 2; 2 (100) churns on day 2.
    /// let log = SubscriptionLog::new(&[1, 1, 2], &[0, 2, 0], &[Some(2), None, Some(2)], &[100.0, 180.0, 100.0])?;
    /// let m = mrr_movements(&log, Period::new(0, 5)?)?;
    /// assert_eq!(m.net_revenue_churn()?, 0.1); // (100 + 0 − 80) / 200
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn net_revenue_churn(&self) -> Result<f64> {
        ratio(
            self.churned + self.contraction - self.expansion,
            self.start_mrr,
            "MRR at period start",
        )
    }

    /// Customer (logo) retention: customers active at `p0` still active at `p1`.
    ///
    /// # Formula
    /// $$ \frac{|S \cap E|}{S} $$
    /// Source: docs/metrics.md, "Revenue and logo retention"; a customer is
    /// active while a subscription covers the day ("MRR, accounts and ARPA at
    /// a day").
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
    /// // 4 customers at day 0; customer 4 ends on day 3.
    /// let log = SubscriptionLog::new(&[1, 2, 3, 4], &[0; 4], &[None, None, None, Some(3)], &[10.0; 4])?;
    /// let m = mrr_movements(&log, Period::new(0, 5)?)?;
    /// assert_eq!(m.logo_retention()?, 0.75); // 3 / 4
    /// assert_eq!(m.logo_churn()?, 0.25); // (4 − 3) / 4
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn logo_retention(&self) -> Result<f64> {
        kpi::cohort_retention(self.start_customers, self.retained_customers)
    }

    /// Customer (logo) churn = 1 − logo retention.
    ///
    /// # Formula
    /// $$ \frac{S - |S \cap E|}{S} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// See [`MrrMovements::logo_retention`].
    pub fn logo_churn(&self) -> Result<f64> {
        kpi::churn_rate(self.start_customers, self.retained_customers)
    }

    /// The SaaS quick ratio: MRR gained over MRR lost in the period.
    ///
    /// # Formula
    /// $$ \text{quick ratio} = \frac{\text{new} + \text{expansion} + \text{reactivation}}{\text{contraction} + \text{churned}} $$
    /// Above 1 the MRR grows: end − start = numerator − denominator.
    /// Source: docs/metrics.md, "SaaS quick ratio".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when no MRR was lost (contraction and
    /// churned both 0).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
    /// // 1 expands 100 -> 150 on day 5, 2 churns on day 5, 3 is new on day 5.
    /// let log = SubscriptionLog::new(
    ///     &[1, 1, 2, 3],
    ///     &[0, 5, 0, 5],
    ///     &[Some(5), None, Some(5), None],
    ///     &[100.0, 150.0, 40.0, 60.0],
    /// )?;
    /// let m = mrr_movements(&log, Period::new(1, 10)?)?;
    /// assert_eq!(m.quick_ratio()?, 2.75); // (60 + 50 + 0) / (0 + 40)
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn quick_ratio(&self) -> Result<f64> {
        ratio(
            self.new + self.expansion + self.reactivation,
            self.contraction + self.churned,
            "contraction and churned MRR",
        )
    }

    /// Customer retention cost: retention spend in the period per retained customer.
    ///
    /// # Formula
    /// $$ \frac{\text{spend}}{|S \cap E|} $$
    /// Source: docs/metrics.md, "Revenue and logo retention".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when no customer was retained;
    /// [`Error::InvalidArgument`] for a negative or non-finite spend.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, SubscriptionLog}};
    /// let log = SubscriptionLog::new(&[1, 2, 3, 4], &[0; 4], &[None, None, None, Some(3)], &[10.0; 4])?;
    /// let m = mrr_movements(&log, Period::new(0, 5)?)?;
    /// assert_eq!(m.retention_cost(600.0)?, 200.0); // 600 / 3 retained
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn retention_cost(&self, spend: f64) -> Result<f64> {
        kpi::retention_cost(spend, self.retained_customers)
    }

    /// Add the movements of a customer-disjoint part of the same period.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the periods differ.
    pub fn add(&mut self, other: &MrrMovements) -> Result<()> {
        if self.period != other.period {
            return Err(Error::Incompatible {
                reason: format!(
                    "MRR movements of different periods ({:?} and {:?})",
                    self.period, other.period
                ),
            });
        }
        self.start_mrr += other.start_mrr;
        self.end_mrr += other.end_mrr;
        self.new += other.new;
        self.expansion += other.expansion;
        self.contraction += other.contraction;
        self.churned += other.churned;
        self.reactivation += other.reactivation;
        self.start_customers += other.start_customers;
        self.end_customers += other.end_customers;
        self.retained_customers += other.retained_customers;
        self.new_customers += other.new_customers;
        self.expansion_customers += other.expansion_customers;
        self.contraction_customers += other.contraction_customers;
        self.churned_customers += other.churned_customers;
        self.reactivation_customers += other.reactivation_customers;
        Ok(())
    }

    /// Merge the movements of customer-disjoint parts of one log over the
    /// same period, by adding amounts and counts (exact for whole-cent
    /// amounts, see the module docs).
    ///
    /// # Errors
    /// [`Error::Empty`] for no parts; [`Error::Incompatible`] when the periods differ.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::Period, revenue::{mrr_movements, MrrMovements, SubscriptionLog}};
    /// let p = Period::new(0, 10)?;
    /// let a = mrr_movements(&SubscriptionLog::new(&[1], &[0], &[Some(5)], &[30.0])?, p)?;
    /// let b = mrr_movements(&SubscriptionLog::new(&[2], &[3], &[None], &[20.0])?, p)?;
    /// let both = mrr_movements(&SubscriptionLog::new(&[1, 2], &[0, 3], &[Some(5), None], &[30.0, 20.0])?, p)?;
    /// assert_eq!(MrrMovements::merge(&[a, b])?, both);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[MrrMovements]) -> Result<MrrMovements> {
        let (first, rest) = parts.split_first().ok_or(Error::Empty {
            what: "list of MRR movements to merge",
        })?;
        let mut out = first.clone();
        for p in rest {
            out.add(p)?;
        }
        Ok(out)
    }
}

/// MRR movements for consecutive periods of one granularity.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct MrrSeries {
    /// Granularity of the periods.
    pub granularity: Granularity,
    /// One row per period, in time order.
    pub rows: Vec<MrrMovements>,
}

impl MrrSeries {
    /// Merge series computed on customer-disjoint parts of one log over the
    /// same periods, row by row.
    ///
    /// # Errors
    /// [`Error::Empty`] for no parts; [`Error::Incompatible`] when the
    /// granularities or periods differ.
    pub fn merge(parts: &[MrrSeries]) -> Result<MrrSeries> {
        let (first, rest) = parts.split_first().ok_or(Error::Empty {
            what: "list of MRR series to merge",
        })?;
        let mut out = first.clone();
        for p in rest {
            if p.granularity != out.granularity || p.rows.len() != out.rows.len() {
                return Err(Error::Incompatible {
                    reason: "MRR series have different periods".into(),
                });
            }
            for (o, r) in out.rows.iter_mut().zip(&p.rows) {
                o.add(r)?;
            }
        }
        Ok(out)
    }
}

/// MRR movements over one period `[p0, p1)`.
///
/// # Formula
/// Per customer $c$ with MRR $m_0$ at $p_0$ and $m_1$ at $p_1$, the table of
/// [`MrrMovements`]; totals are sums over customers, and
/// $$ \mathrm{MRR}(p_0) + \text{new} + \text{expansion} + \text{reactivation} - \text{contraction} - \text{churned} = \mathrm{MRR}(p_1). $$
/// Source: docs/metrics.md, "MRR movements".
///
/// # Errors
/// None beyond an invalid [`Period`] (which [`Period::new`] already rejects).
///
/// # Examples
/// ```
/// use retentionkit::{period::{day, Period}, revenue::{mrr_movements, SubscriptionLog}};
/// // Customer 1 leaves in December and comes back in February.
/// let log = SubscriptionLog::new(
///     &[1, 1],
///     &[day(2023, 6, 1)?, day(2024, 2, 10)?],
///     &[Some(day(2023, 12, 15)?), None],
///     &[40.0, 45.0],
/// )?;
/// let feb = Period::new(day(2024, 2, 1)?, day(2024, 3, 1)?)?;
/// let m = mrr_movements(&log, feb)?;
/// assert_eq!((m.reactivation, m.reactivation_customers, m.new), (45.0, 1, 0.0));
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn mrr_movements(log: &SubscriptionLog, period: Period) -> Result<MrrMovements> {
    check_day(period.start, "period start")?;
    if period.end <= period.start {
        return Err(invalid_arg("period", "end must be after start"));
    }
    let mut rows = pass(log, &[period.start, period.end]);
    let mut m = rows.pop().unwrap_or_else(|| MrrMovements::empty(period));
    m.period = period;
    Ok(m)
}

/// The largest number of periods an [`mrr_series`] may hold.
pub const MAX_PERIODS: usize = 1_000_000;

/// MRR movements for every period of `granularity` from the one containing
/// `first` to the one containing `last`, from one pass over the customers.
///
/// # Formula
/// As [`mrr_movements`], for each period; the end of one row is the start
/// of the next (`rows[j].end_mrr == rows[j + 1].start_mrr`).
/// Source: docs/metrics.md, "MRR movements".
///
/// # Errors
/// [`Error::InvalidArgument`] when `last < first` or a day is outside the
/// supported dates; [`Error::TooLarge`] above [`MAX_PERIODS`] periods.
///
/// # Examples
/// ```
/// use retentionkit::{period::{day, Granularity}, revenue::{mrr_series, SubscriptionLog}};
/// let log = SubscriptionLog::new(
///     &[1, 2],
///     &[day(2024, 1, 10)?, day(2024, 2, 5)?],
///     &[Some(day(2024, 3, 20)?), None],
///     &[30.0, 50.0],
/// )?;
/// let s = mrr_series(&log, Granularity::Month, day(2024, 1, 1)?, day(2024, 3, 31)?)?;
/// let ends: Vec<f64> = s.rows.iter().map(|r| r.end_mrr).collect();
/// assert_eq!(ends, [30.0, 80.0, 50.0]); // at 1 Feb, 1 Mar, 1 Apr
/// assert_eq!(s.rows[2].churned, 30.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn mrr_series(
    log: &SubscriptionLog,
    granularity: Granularity,
    first: i32,
    last: i32,
) -> Result<MrrSeries> {
    check_day(first, "first")?;
    check_day(last, "last")?;
    if last < first {
        return Err(invalid_arg(
            "last",
            format!("{last} is before first {first}"),
        ));
    }
    let (i0, i1) = (granularity.index(first), granularity.index(last));
    let periods = usize::try_from(i64::from(i1) - i64::from(i0) + 1).unwrap_or(0);
    if periods > MAX_PERIODS {
        return Err(Error::TooLarge {
            what: "periods in an MRR series",
            got: periods,
            max: MAX_PERIODS,
        });
    }
    let mut bounds = Vec::new();
    for i in i0..=i1 {
        bounds.push(granularity.start_of(i)?);
    }
    bounds.push(granularity.period_of_index(i1)?.end);
    let rows = pass(log, &bounds);
    Ok(MrrSeries { granularity, rows })
}
