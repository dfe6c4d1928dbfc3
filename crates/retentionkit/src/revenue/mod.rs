//! Subscriptions and revenue retention: MRR, accounts, ARPA, MRR movements,
//! revenue and logo retention, subscription CLV, retention cost and
//! subscription cohort matrices.
//!
//! Source: docs/metrics.md, "Subscriptions and revenue retention", which has
//! every formula with a worked example. A customer is active at `t` when one
//! of their subscriptions covers `t`.
//!
//! A subscription row covers the half-open day range `[start, end)` (no end:
//! still running) and brings `mrr` per month while it runs. A customer's MRR
//! at day `t` is the sum of the MRR of their subscriptions covering `t`;
//! several consecutive or overlapping subscriptions of one customer add up.
//!
//! # Precision of the MRR identity
//! For a period `[p0, p1)` the movements satisfy
//! $$ \mathrm{MRR}(p_0) + \text{new} + \text{expansion} + \text{reactivation} - \text{contraction} - \text{churned} = \mathrm{MRR}(p_1). $$
//! Every total is a sum of per-customer amounts in a fixed order (customers
//! by id, a customer's subscriptions by boundary and amount), so the result
//! does not depend on the row order. When every MRR is a whole number of the
//! smallest currency unit (cents stored as `f64`, e.g. `1999.0`) and the
//! totals stay below $2^{53}$, every sum and difference is exact and the
//! identity holds bit for bit (the property tests check this). With
//! fractional amounts each total is rounded once per addition, so the
//! identity holds to a few units in the last place of the largest total.

use std::ops::Range;

use crate::error::{ratio, Error, Result};
use crate::log::{amount_problem, MAX_AMOUNT};
use crate::period::{check_day, MAX_DAY, MIN_DAY};

mod clv;
mod cohort;
mod lifetimes;
mod movements;
mod pass;
#[cfg(test)]
mod tests;

pub use clv::{discounted_clv, subscription_clv};
pub use cohort::{subscription_cohorts, SubscriptionCohortRow, SubscriptionCohorts, MAX_CELLS};
pub use lifetimes::Lifetimes;
pub use movements::{mrr_movements, mrr_series, MrrMovements, MrrSeries, MAX_PERIODS};

/// Day stored for a subscription without an end ("still running").
const OPEN_END: i32 = i32::MAX;

/// One subscription, in customer order (the log's private copy).
#[derive(Debug, Clone, Copy)]
struct Sub {
    start: i32,
    end: i32,
    mrr: f64,
}

/// A validated subscription log: one row per subscription, in any order; a
/// customer may hold several consecutive or overlapping subscriptions.
///
/// Columns: customer ids (`u64`), start days and optional end days (days
/// since 1970-01-01, like [`TransactionLog`](crate::TransactionLog)), and the
/// monthly recurring revenue (MRR) of each subscription (`f64`, finite and
/// non-negative). A subscription covers `[start, end)`; `None` means it is
/// still running.
///
/// Construction checks every row once and keeps a compact copy of the rows
/// grouped by customer (16 bytes a row), so every later pass reads each
/// customer's subscriptions contiguously.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, revenue::SubscriptionLog};
/// let ids = [1, 2, 1];
/// let start = [day(2024, 1, 1)?, day(2024, 1, 15)?, day(2024, 3, 1)?];
/// let end = [Some(day(2024, 3, 1)?), None, None];
/// let mrr = [50.0, 20.0, 80.0];
/// let log = SubscriptionLog::new(&ids, &start, &end, &mrr)?;
/// assert_eq!(log.len(), 3);
/// assert_eq!(log.num_customers(), 2);
/// assert_eq!(log.mrr_at(day(2024, 2, 1)?)?, 70.0); // 50 + 20
/// assert_eq!(log.mrr_at(day(2024, 3, 1)?)?, 100.0); // 80 + 20: the first ended on 1 March
///
/// let bad_end = [Some(day(2024, 1, 1)?), None, None];
/// let err = SubscriptionLog::new(&ids, &start, &bad_end, &mrr).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "column `end`, row 0: end 19723 must be after start 19723 (a subscription covers [start, end))"
/// );
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct SubscriptionLog {
    /// Sorted distinct customer ids.
    customers: Vec<u64>,
    /// Subscriptions of customer `c` are `subs[offsets[c]..offsets[c + 1]]`.
    offsets: Vec<usize>,
    subs: Vec<Sub>,
    first_day: i32,
}

impl SubscriptionLog {
    /// Validate the columns of a subscription log.
    ///
    /// # Errors
    /// - [`Error::Empty`] when there are no rows;
    /// - [`Error::LengthMismatch`] when `start`, `end` or `mrr` differ in length from `ids`;
    /// - [`Error::InvalidValue`] naming the column (`start`, `end`, `mrr`)
    ///   and the first bad row for a day outside 0001-01-01..=9999-12-31, an
    ///   end not after its start, or an MRR that is NaN, negative or above
    ///   [`MAX_AMOUNT`] (2⁵³).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{revenue::SubscriptionLog, Error};
    /// let err = SubscriptionLog::new(&[1, 2], &[0, 0], &[None, None], &[10.0, -1.0]).unwrap_err();
    /// assert!(matches!(err, Error::InvalidValue { column: "mrr", row: 1, .. }));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(ids: &[u64], start: &[i32], end: &[Option<i32>], mrr: &[f64]) -> Result<Self> {
        let n = ids.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "subscription log",
            });
        }
        for (column, got) in [
            ("start", start.len()),
            ("end", end.len()),
            ("mrr", mrr.len()),
        ] {
            if got != n {
                return Err(Error::LengthMismatch {
                    column,
                    expected: n,
                    got,
                });
            }
        }
        let mut rows = Vec::with_capacity(n);
        for (row, (((&id, &s), &e), &m)) in ids.iter().zip(start).zip(end).zip(mrr).enumerate() {
            rows.push((id, check_row(row, s, e, m)?));
        }
        sort_by_id(&mut rows);
        let mut customers = Vec::new();
        let mut offsets = Vec::new();
        let mut subs = Vec::with_capacity(n);
        let mut first_day = OPEN_END;
        for (i, &(id, sub)) in rows.iter().enumerate() {
            if customers.last() != Some(&id) {
                customers.push(id);
                offsets.push(i);
            }
            first_day = first_day.min(sub.start);
            subs.push(sub);
        }
        offsets.push(n);
        Ok(Self {
            customers,
            offsets,
            subs,
            first_day,
        })
    }

    /// Number of rows (subscriptions).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// // Customer 1 has two subscriptions (one ended on day 60), customer 2 one from day 10.
    /// let subs = SubscriptionLog::new(&[1, 1, 2], &[0, 30, 10], &[Some(60), None, None], &[10.0, 5.0, 20.0])?;
    /// assert_eq!(subs.len(), 3); // subscriptions
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.subs.len()
    }

    /// Always `false`: an empty log is rejected by [`SubscriptionLog::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// // Customer 1 has two subscriptions (one ended on day 60), customer 2 one from day 10.
    /// let subs = SubscriptionLog::new(&[1, 1, 2], &[0, 30, 10], &[Some(60), None, None], &[10.0, 5.0, 20.0])?;
    /// assert!(!subs.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.subs.is_empty()
    }

    /// Number of distinct customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// // Customer 1 has two subscriptions (one ended on day 60), customer 2 one from day 10.
    /// let subs = SubscriptionLog::new(&[1, 1, 2], &[0, 30, 10], &[Some(60), None, None], &[10.0, 5.0, 20.0])?;
    /// assert_eq!(subs.num_customers(), 2);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn num_customers(&self) -> usize {
        self.customers.len()
    }

    /// Earliest subscription start.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// // Customer 1 has two subscriptions (one ended on day 60), customer 2 one from day 10.
    /// let subs = SubscriptionLog::new(&[1, 1, 2], &[0, 30, 10], &[Some(60), None, None], &[10.0, 5.0, 20.0])?;
    /// assert_eq!(subs.first_day(), 0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn first_day(&self) -> i32 {
        self.first_day
    }

    /// The customers, in increasing id order, with their subscriptions.
    fn groups(&self) -> impl Iterator<Item = (u64, &[Sub])> {
        self.groups_in(0..self.customers.len())
    }

    /// The customers with numbers in `range` (id order), with their subscriptions.
    fn groups_in(&self, range: Range<usize>) -> impl Iterator<Item = (u64, &[Sub])> {
        let ids = self.customers.get(range.clone()).unwrap_or(&[]);
        let offsets = self.offsets.get(range.start..=range.end).unwrap_or(&[]);
        ids.iter()
            .zip(offsets.windows(2))
            .map(|(&id, w)| (id, self.subs.get(w[0]..w[1]).unwrap_or(&[])))
    }

    /// Total MRR at day `t`: the MRR of every subscription covering `t`.
    ///
    /// # Formula
    /// $$ \mathrm{MRR}(t) = \sum_{i:\ \mathrm{start}_i \le t < \mathrm{end}_i} \mathrm{mrr}_i $$
    /// Source: docs/metrics.md, "MRR, accounts and ARPA at a day".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `t` is outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// // Customer 1: [0, 10) at 30 and [5, ∞) at 20; customer 2: [8, 9) at 7.
    /// let log = SubscriptionLog::new(&[1, 1, 2], &[0, 5, 8], &[Some(10), None, Some(9)], &[30.0, 20.0, 7.0])?;
    /// assert_eq!(log.mrr_at(4)?, 30.0);
    /// assert_eq!(log.mrr_at(8)?, 57.0); // 30 + 20 + 7
    /// assert_eq!(log.mrr_at(10)?, 20.0);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn mrr_at(&self, t: i32) -> Result<f64> {
        Ok(self.at(t)?.0)
    }

    /// Active customers (accounts) at day `t`: customers with at least one
    /// subscription covering `t`, including subscriptions at MRR 0 (free plans).
    ///
    /// # Formula
    /// $$ A(t) = |\\{c : \exists i \text{ of } c,\ \mathrm{start}_i \le t < \mathrm{end}_i\\}| $$
    /// Source: docs/metrics.md, "MRR, accounts and ARPA at a day".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `t` is outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// let log = SubscriptionLog::new(&[1, 1, 2], &[0, 5, 8], &[Some(10), None, Some(9)], &[30.0, 20.0, 0.0])?;
    /// assert_eq!(log.active_customers_at(8)?, 2); // customer 2 is on a free plan, still an account
    /// assert_eq!(log.active_customers_at(9)?, 1);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn active_customers_at(&self, t: i32) -> Result<u64> {
        Ok(self.at(t)?.1)
    }

    /// Average revenue per account at day `t`.
    ///
    /// # Formula
    /// $$ \mathrm{ARPA}(t) = \frac{\mathrm{MRR}(t)}{A(t)} $$
    /// with $A(t)$ the active customers of [`SubscriptionLog::active_customers_at`].
    /// Source: docs/metrics.md, "MRR, accounts and ARPA at a day".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when no customer is active at `t`;
    /// [`Error::InvalidArgument`] when `t` is outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// let log = SubscriptionLog::new(&[1, 1, 2], &[0, 5, 8], &[Some(10), None, Some(9)], &[30.0, 20.0, 7.0])?;
    /// assert_eq!(log.arpa_at(8)?, 28.5); // (30 + 20 + 7) / 2 accounts
    /// assert!(log.arpa_at(-1).is_err()); // nobody active: an error, not NaN
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn arpa_at(&self, t: i32) -> Result<f64> {
        let (mrr, active) = self.at(t)?;
        ratio(mrr, active as f64, "active customers")
    }

    /// Each active customer's MRR at day `t`, as `(id, mrr)` in increasing
    /// id order (customers on free plans appear with MRR 0).
    ///
    /// # Formula
    /// $$ \mathrm{MRR}\_c(t) = \sum_{i \text{ of } c:\ \mathrm{start}_i \le t < \mathrm{end}_i} \mathrm{mrr}_i $$
    /// Source: docs/metrics.md, "MRR, accounts and ARPA at a day".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `t` is outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::revenue::SubscriptionLog;
    /// let log = SubscriptionLog::new(&[1, 1, 2], &[0, 5, 8], &[Some(10), None, Some(9)], &[30.0, 20.0, 7.0])?;
    /// assert_eq!(log.mrr_by_customer_at(8)?, vec![(1, 50.0), (2, 7.0)]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn mrr_by_customer_at(&self, t: i32) -> Result<Vec<(u64, f64)>> {
        check_day(t, "t")?;
        let mut out = Vec::new();
        let mut amounts = Vec::new();
        for (id, subs) in self.groups() {
            amounts.clear();
            amounts.extend(
                subs.iter()
                    .filter(|s| s.start <= t && t < s.end)
                    .map(|s| s.mrr),
            );
            if !amounts.is_empty() {
                out.push((id, sum_sorted(&mut amounts)));
            }
        }
        Ok(out)
    }

    /// (total MRR, active customers) at `t`, summed like the movements.
    fn at(&self, t: i32) -> Result<(f64, u64)> {
        let per = self.mrr_by_customer_at(t)?;
        let mut total = 0.0;
        for &(_, m) in &per {
            total += m;
        }
        Ok((total, per.len() as u64))
    }
}

/// Sum of amounts in increasing order (deterministic whatever the row order).
fn sum_sorted(amounts: &mut [f64]) -> f64 {
    match amounts {
        [] => 0.0,
        [a] => *a,
        // Addition of two numbers is commutative: no sort needed.
        [a, b] => *a + *b,
        _ => {
            amounts.sort_unstable_by(f64::total_cmp);
            amounts.iter().sum()
        }
    }
}

fn check_row(row: usize, start: i32, end: Option<i32>, mrr: f64) -> Result<Sub> {
    let day_reason = |d: i32| {
        format!("day {d} is outside 0001-01-01..=9999-12-31 ({MIN_DAY}..={MAX_DAY} days since 1970-01-01)")
    };
    if check_day(start, "start").is_err() {
        return Err(Error::InvalidValue {
            column: "start",
            row,
            reason: day_reason(start),
        });
    }
    let end = match end {
        None => OPEN_END,
        Some(e) => {
            if check_day(e, "end").is_err() {
                return Err(Error::InvalidValue {
                    column: "end",
                    row,
                    reason: day_reason(e),
                });
            }
            if e <= start {
                return Err(Error::InvalidValue {
                    column: "end",
                    row,
                    reason: format!(
                        "end {e} must be after start {start} (a subscription covers [start, end))"
                    ),
                });
            }
            e
        }
    };
    if !(0.0..=MAX_AMOUNT).contains(&mrr) {
        return Err(Error::InvalidValue {
            column: "mrr",
            row,
            reason: amount_problem(mrr, "MRR"),
        });
    }
    Ok(Sub { start, end, mrr })
}

/// Sort rows by customer id (stable order within a customer does not matter:
/// every pass sorts a customer's amounts before summing them).
fn sort_by_id(rows: &mut [(u64, Sub)]) {
    #[cfg(feature = "parallel")]
    {
        use rayon::slice::ParallelSliceMut;
        rows.par_sort_unstable_by_key(|r| r.0);
    }
    #[cfg(not(feature = "parallel"))]
    rows.sort_unstable_by_key(|r| r.0);
}
