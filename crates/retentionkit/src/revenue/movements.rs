//! MRR movements over periods, from one pass over the customers.

use super::{sum_sorted, SubscriptionLog};
use crate::error::{invalid_arg, ratio, Error, Result};
use crate::kpi;
use crate::log::par_map;
use crate::period::{check_day, Granularity, Period};
use std::ops::Range;

/// How a period `[p0, p1)` changed the MRR and the customer base.
///
/// Each customer's MRR at `p0` ($m_0$) is compared with their MRR at `p1`
/// ($m_1$), both "at the instant" (subscriptions covering that day):
///
/// | movement | condition | amount |
/// |---|---|---|
/// | new | $m_0 = 0 < m_1$, no subscription starting before `p0` | $m_1$ |
/// | reactivation | $m_0 = 0 < m_1$, a subscription started before `p0` | $m_1$ |
/// | expansion | $0 < m_0 < m_1$ | $m_1 - m_0$ |
/// | contraction | $0 < m_1 < m_0$ | $m_0 - m_1$ |
/// | churned | $m_0 > 0 = m_1$ | $m_0$ |
///
/// so that start + new + expansion + reactivation − contraction − churned
/// = end (see the module docs for the precision). A customer who converts
/// from a free plan (MRR 0) that started before `p0` to a paid one counts as
/// reactivation: the rule above, taken literally from the task's definition.
///
/// Customer counts (logos) use activity, not MRR: a customer is active at
/// `t` when any subscription covers `t`, free plans included.
///
/// Source: shared/metrics.md section 3 ("MRR movements", GRR, NRR, revenue
/// churn, customer retention cost).
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

impl MrrMovements {
    fn empty(period: Period) -> Self {
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
    /// Source: shared/metrics.md section 3.
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
    /// Source: shared/metrics.md section 3.
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
    /// Source: shared/metrics.md section 3.
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
    /// Source: shared/metrics.md section 3 (revenue churn, net of expansion).
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
    /// Source: shared/metrics.md section 3 ("cohort retention"), with activity
    /// from subscriptions (section 2).
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
    /// Source: shared/metrics.md section 3 ("churn rate").
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when $S = 0$.
    ///
    /// # Examples
    /// See [`MrrMovements::logo_retention`].
    pub fn logo_churn(&self) -> Result<f64> {
        kpi::churn_rate(self.start_customers, self.retained_customers)
    }

    /// Customer retention cost: retention spend in the period per retained customer.
    ///
    /// # Formula
    /// $$ \frac{\text{spend}}{|S \cap E|} $$
    /// Source: shared/metrics.md section 3.
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
/// Source: shared/metrics.md section 3 ("MRR movements").
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

/// MRR movements for every period of `granularity` from the one containing
/// `first` to the one containing `last`, from one pass over the customers.
///
/// # Formula
/// As [`mrr_movements`], for each period; the end of one row is the start
/// of the next (`rows[j].end_mrr == rows[j + 1].start_mrr`).
/// Source: shared/metrics.md section 3 ("MRR movements ... per period").
///
/// # Errors
/// [`Error::InvalidArgument`] when `last < first` or a day is outside the
/// supported dates.
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
    let mut bounds = Vec::new();
    for i in i0..=i1 {
        bounds.push(granularity.start_of(i)?);
    }
    bounds.push(granularity.period_of_index(i1)?.end);
    let rows = pass(log, &bounds);
    Ok(MrrSeries { granularity, rows })
}

/// Above this many subscriptions a customer's MRR at each boundary is a
/// running sum of start/end events; below, a fresh sorted sum (so it equals
/// [`SubscriptionLog::mrr_by_customer_at`] bit for bit).
const DIRECT_MAX: usize = 64;

/// The movements between consecutive boundaries `b[0] < b[1] < ...`.
///
/// Per customer, each subscription covers the boundaries `lo..hi` (those in
/// `[start, end)`); the customer's MRR only changes at those indices
/// ("cuts"), so the work per customer is proportional to their
/// subscriptions, not to the number of periods. Per-boundary totals (MRR,
/// accounts) and per-period retained counts over runs of boundaries are
/// range additions, done with difference arrays and one prefix sum at the end.
fn pass(log: &SubscriptionLog, b: &[i32]) -> Vec<MrrMovements> {
    let index = BoundaryIndex::new(b);
    let n = log.num_customers();
    // Fixed chunks of customers (independent of the thread count, so the
    // floating-point additions happen in the same order on every machine).
    let chunks: Vec<Range<usize>> = (0..n.div_ceil(CHUNK))
        .map(|i| i * CHUNK..n.min((i + 1) * CHUNK))
        .collect();
    let parts = par_map(chunks, |r| pass_part(log, r, b, &index));
    let mut parts = parts.into_iter();
    let Some(mut acc) = parts.next() else {
        return Acc::new(b).finish();
    };
    for p in parts {
        acc.absorb(&p);
    }
    acc.finish()
}

/// Customers per chunk of [`pass`].
const CHUNK: usize = 1 << 15;

/// The partial result of a chunk of customers: movements per period and
/// difference arrays over boundaries (MRR, accounts, paying accounts) and
/// periods (retained accounts), one extra slot each.
struct Acc {
    rows: Vec<MrrMovements>,
    d_mrr: Vec<f64>,
    d_active: Vec<i64>,
    d_paying: Vec<i64>,
    d_retained: Vec<i64>,
}

impl Acc {
    fn new(b: &[i32]) -> Self {
        let nb = b.len();
        Self {
            rows: b
                .windows(2)
                .map(|w| {
                    MrrMovements::empty(Period {
                        start: w[0],
                        end: w[1],
                    })
                })
                .collect(),
            d_mrr: vec![0.0; nb + 1],
            d_active: vec![0; nb + 1],
            d_paying: vec![0; nb + 1],
            d_retained: vec![0; nb],
        }
    }

    fn absorb(&mut self, other: &Acc) {
        for (a, o) in self.rows.iter_mut().zip(&other.rows) {
            // Same periods by construction.
            let _ = a.add(o);
        }
        for (a, o) in self.d_mrr.iter_mut().zip(&other.d_mrr) {
            *a += o;
        }
        for (a, o) in self.d_active.iter_mut().zip(&other.d_active) {
            *a += o;
        }
        for (a, o) in self.d_paying.iter_mut().zip(&other.d_paying) {
            *a += o;
        }
        for (a, o) in self.d_retained.iter_mut().zip(&other.d_retained) {
            *a += o;
        }
    }

    /// Prefix sums of the difference arrays into the rows.
    fn finish(self) -> Vec<MrrMovements> {
        let Acc {
            mut rows,
            d_mrr,
            d_active,
            d_paying,
            d_retained,
        } = self;

        let nb = d_retained.len();
        let (mut mrr, mut active, mut paying) = (0.0f64, 0i64, 0i64);
        let mut level = Vec::with_capacity(nb);
        for ((dm, da), dp) in d_mrr.iter().zip(&d_active).zip(&d_paying).take(nb) {
            mrr += dm;
            active += da;
            paying += dp;
            // With no paying customer the MRR is exactly 0, whatever the
            // rounding of the additions and subtractions before.
            let m = if paying == 0 { 0.0 } else { mrr };
            level.push((m, u64::try_from(active).unwrap_or(0)));
        }
        let mut retained = 0i64;
        for (j, row) in rows.iter_mut().enumerate() {
            retained += d_retained.get(j).copied().unwrap_or(0);
            row.retained_customers = u64::try_from(retained).unwrap_or(0);
            if let (Some(&(m0, a0)), Some(&(m1, a1))) = (level.get(j), level.get(j + 1)) {
                row.start_mrr = m0;
                row.start_customers = a0;
                row.end_mrr = m1;
                row.end_customers = a1;
            }
        }
        rows
    }
}

fn pass_part(
    log: &SubscriptionLog,
    customers: Range<usize>,
    b: &[i32],
    index: &BoundaryIndex<'_>,
) -> Acc {
    let nb = b.len();
    let mut acc = Acc::new(b);
    let Acc {
        rows,
        d_mrr,
        d_active,
        d_paying,
        d_retained,
    } = &mut acc;
    let mut spans: Vec<(usize, usize, f64)> = Vec::new();
    let mut events: Vec<(usize, f64, bool)> = Vec::new();
    let mut cuts: Vec<usize> = Vec::new();
    let mut amounts: Vec<f64> = Vec::new();
    for (_, subs) in log.groups_in(customers) {
        let first_start = subs.iter().map(|s| s.start).min().unwrap_or(i32::MAX);
        // Boundaries j >= had_before have a subscription starting before b[j].
        let had_before = index.below(first_start.saturating_add(1));
        spans.clear();
        cuts.clear();
        for s in subs {
            let lo = index.below(s.start);
            let hi = index.below(s.end);
            if lo < hi {
                spans.push((lo, hi, s.mrr));
                cuts.push(lo);
                cuts.push(hi);
            }
        }
        if spans.is_empty() {
            continue;
        }
        // Fast path: spans that do not overlap (consecutive subscriptions,
        // the common case): at every boundary the MRR is one span's amount
        // or 0, so no cuts to sort and no sums.
        spans.sort_unstable_by_key(|s| s.0);
        if spans.windows(2).all(|w| w[0].1 <= w[1].0) {
            let (mut prev_hi, mut prev_m, mut run_start) = (usize::MAX, 0.0, 0);
            for (i, &(lo, hi, m)) in spans.iter().enumerate() {
                let m0 = if prev_hi == lo { prev_m } else { 0.0 };
                if lo > 0 {
                    if let Some(row) = rows.get_mut(lo - 1) {
                        classify(row, m0, m, lo > had_before);
                    }
                }
                add_span(d_mrr, lo, hi, m);
                add_count(d_active, lo, hi);
                if m > 0.0 {
                    add_count(d_paying, lo, hi);
                }
                if prev_hi != lo {
                    run_start = lo;
                }
                if spans.get(i + 1).map(|s| s.0) != Some(hi) {
                    // The run of coverage ends at boundary hi − 1.
                    if let Some(row) = rows.get_mut(hi - 1) {
                        classify(row, m, 0.0, true);
                    }
                    add_count(d_retained, run_start, hi - 1);
                }
                prev_hi = hi;
                prev_m = m;
            }
            continue;
        }
        cuts.sort_unstable();
        cuts.dedup();
        let direct = spans.len() <= DIRECT_MAX;
        if !direct {
            events.clear();
            for &(lo, hi, m) in &spans {
                events.push((lo, m, true));
                events.push((hi, m, false));
            }
            events.sort_unstable_by(|x, y| {
                x.0.cmp(&y.0).then(y.2.cmp(&x.2)).then(x.1.total_cmp(&y.1))
            });
        }
        let mut next_event = 0;
        let (mut running, mut running_count) = (0.0f64, 0usize);
        let mut prev_value = 0.0f64; // the customer's MRR at boundary k − 1
        let mut run_start: Option<usize> = None;
        for (i, &k) in cuts.iter().enumerate() {
            let k_end = cuts.get(i + 1).copied().unwrap_or(nb);
            // The customer's (MRR, subscriptions) on boundaries k..k_end.
            let (value, count) = if direct {
                amounts.clear();
                amounts.extend(
                    spans
                        .iter()
                        .filter(|&&(lo, hi, _)| lo <= k && k < hi)
                        .map(|&(_, _, m)| m),
                );
                (sum_sorted(&mut amounts), amounts.len())
            } else {
                while let Some(&(idx, m, starts)) = events.get(next_event) {
                    if idx != k {
                        break;
                    }
                    if starts {
                        running += m;
                        running_count += 1;
                    } else {
                        running -= m;
                        running_count = running_count.saturating_sub(1);
                    }
                    next_event += 1;
                }
                if running_count == 0 {
                    running = 0.0;
                }
                (running, running_count)
            };
            // The movement of period k − 1, from boundary k − 1 to k.
            if k > 0 {
                if let Some(row) = rows.get_mut(k - 1) {
                    classify(row, prev_value, value, k > had_before);
                }
            }
            if count > 0 {
                add_span(d_mrr, k, k_end, value);
                add_count(d_active, k, k_end);
                if value > 0.0 {
                    add_count(d_paying, k, k_end);
                }
                run_start.get_or_insert(k);
            } else if let Some(r) = run_start.take() {
                // Active on boundaries r..k: retained over periods r..k − 1.
                add_count(d_retained, r, k - 1);
            }
            prev_value = value;
        }
        // The last cut is the largest `hi`, where every span has ended, so
        // `run_start` is `None` here.
    }
    acc
}

/// Number of boundaries before a day, by table lookup when the boundaries
/// span at most [`BoundaryIndex::TABLE_MAX`] days, else by binary search.
struct BoundaryIndex<'b> {
    b: &'b [i32],
    first: i32,
    table: Vec<u32>,
}

impl<'b> BoundaryIndex<'b> {
    const TABLE_MAX: i64 = 1 << 16;

    fn new(b: &'b [i32]) -> Self {
        let (first, last) = (
            b.first().copied().unwrap_or(0),
            b.last().copied().unwrap_or(0),
        );
        let table = if i64::from(last) - i64::from(first) <= Self::TABLE_MAX {
            (first..=last)
                .map(|d| u32::try_from(b.partition_point(|&x| x < d)).unwrap_or(u32::MAX))
                .collect()
        } else {
            Vec::new()
        };
        Self { b, first, table }
    }

    /// `|{j : b[j] < day}|`.
    #[inline]
    fn below(&self, day: i32) -> usize {
        if day <= self.first {
            return 0;
        }
        let off = usize::try_from(i64::from(day) - i64::from(self.first)).unwrap_or(usize::MAX);
        match self.table.get(off) {
            Some(&n) => n as usize,
            None if !self.table.is_empty() => self.b.len(),
            None => self.b.partition_point(|&x| x < day),
        }
    }
}

fn add_span(d: &mut [f64], from: usize, to: usize, v: f64) {
    if let Some(x) = d.get_mut(from) {
        *x += v;
    }
    if let Some(x) = d.get_mut(to) {
        *x -= v;
    }
}

fn add_count(d: &mut [i64], from: usize, to: usize) {
    if from >= to {
        return;
    }
    if let Some(x) = d.get_mut(from) {
        *x += 1;
    }
    if let Some(x) = d.get_mut(to) {
        *x -= 1;
    }
}

/// Classify one customer's change from `m0` to `m1` over a period.
fn classify(row: &mut MrrMovements, m0: f64, m1: f64, subscribed_before: bool) {
    if m0 == m1 {
        return;
    }
    if m0 == 0.0 {
        if subscribed_before {
            row.reactivation += m1;
            row.reactivation_customers += 1;
        } else {
            row.new += m1;
            row.new_customers += 1;
        }
    } else if m1 == 0.0 {
        row.churned += m0;
        row.churned_customers += 1;
    } else if m1 > m0 {
        row.expansion += m1 - m0;
        row.expansion_customers += 1;
    } else {
        row.contraction += m0 - m1;
        row.contraction_customers += 1;
    }
}
