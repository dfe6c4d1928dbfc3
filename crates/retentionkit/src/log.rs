//! The validated transaction log every transaction metric starts from.

pub mod ids;
mod order;
mod slots;
mod validate;
pub(crate) use validate::amount_problem;
mod visit;

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::period::{check_day, format_day};
use slots::{offset_slot, Slots};

/// A validated transaction log: one row per order, in any order, with
/// repeated customer ids and many rows per day all normal.
///
/// The columns are borrowed, never copied ([`TransactionLog::new`]), or
/// owned and kept ([`TransactionLog::from_vecs`], what the Python and npm
/// packages hold so that later calls start from the validated log): customer ids (`u64`, opaque;
/// strings are mapped to integers at the binding edge), order dates as days
/// since 1970-01-01 (`i32`, the Arrow `date32` layout) and optional order
/// amounts (`f64`, finite and non-negative).
///
/// Construction checks every row once; everything computed from a
/// `TransactionLog` relies on those checks and does not repeat them. It also
/// prepares two things the passes need: a dense index of the customers
/// (direct when ids are dense integers, a hash table otherwise) and, when the
/// rows are not already in date order, a date-sorted permutation (the input
/// is never reordered or copied).
///
/// # Errors
/// See [`TransactionLog::new`].
///
/// # Examples
/// ```
/// use retentionkit::{period::day, TransactionLog};
/// let ids = [7, 7, 9];
/// let days = [day(2024, 1, 5)?, day(2024, 2, 1)?, day(2024, 1, 9)?];
/// let amounts = [10.0, 12.5, 3.0];
/// let log = TransactionLog::new(&ids, &days, Some(&amounts))?;
/// assert_eq!(log.len(), 3);
/// assert_eq!(log.num_customers(), 2);
/// assert_eq!(log.first_day(), day(2024, 1, 5)?);
///
/// let bad = [10.0, f64::NAN, 3.0];
/// let err = TransactionLog::new(&ids, &days, Some(&bad)).unwrap_err();
/// assert_eq!(err.to_string(), "column `amount`, row 1: NaN is not an amount");
/// # Ok::<(), retentionkit::Error>(())
/// ```
///
/// A service keeps one owned log ([`TransactionLog::from_vecs`] or
/// [`TransactionLog::into_owned`]: a `TransactionLog<'static>`) in shared
/// state behind an [`Arc`](std::sync::Arc): it is `Send + Sync`, and every
/// request reads it without rebuilding the checks, the customer index or the
/// date order. `Clone` copies the columns of an owned log (a borrowed log's
/// clone borrows the same columns); clone the `Arc` to share it.
///
/// ```
/// use std::sync::Arc;
/// use retentionkit::{kpi::kpi_series, period::{day, Granularity, Lookback}, TransactionLog};
/// let days = vec![day(2024, 1, 5)?, day(2024, 2, 1)?, day(2024, 1, 9)?];
/// let log: Arc<TransactionLog<'static>> =
///     Arc::new(TransactionLog::from_vecs(vec![7, 7, 9], days, None)?);
/// let shared = Arc::clone(&log);
/// let worker = std::thread::spawn(move || {
///     kpi_series(&shared, Granularity::Month, Lookback::Months(1)).map(|k| k.rows.len())
/// });
/// assert_eq!(worker.join().expect("the worker thread panicked")?, 2); // January, February
/// assert_eq!(log.num_customers(), 2);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct TransactionLog<'a> {
    ids: Cow<'a, [u64]>,
    days: Cow<'a, [i32]>,
    amounts: Option<Cow<'a, [f64]>>,
    slots: Slots,
    /// Row indices in date order (stable), when the input is not date-sorted.
    order: Option<Vec<u32>>,
    first_day: i32,
    last_day: i32,
    num_customers: OnceLock<usize>,
}

/// The largest number of rows a log may hold (row numbers are stored as `u32`).
///
/// # Examples
/// ```
/// assert_eq!(retentionkit::log::MAX_ROWS, 4_294_967_295); // 2^32 - 1
/// ```
pub const MAX_ROWS: usize = u32::MAX as usize;

/// The largest amount a log (or a subscription log's MRR) may hold: 2⁵³ =
/// 9,007,199,254,740,992, the largest number up to which `f64` counts whole
/// units exactly. Above it an amount has lost its units and cents, and two
/// amounts near `f64::MAX` add up to infinity. With every amount at most 2⁵³
/// and at most [`MAX_ROWS`] rows, every sum of amounts (revenue, spend, MRR)
/// is at most 2⁸⁵, and every number derived from them is finite.
///
/// # Examples
/// ```
/// use retentionkit::{log::MAX_AMOUNT, TransactionLog};
/// assert_eq!(MAX_AMOUNT, 2f64.powi(53));
/// assert!(TransactionLog::new(&[1], &[0], Some(&[MAX_AMOUNT * 2.0])).is_err());
/// ```
pub const MAX_AMOUNT: f64 = 9_007_199_254_740_992.0;

/// Check one amount against the rule of [`TransactionLog::new`] (finite,
/// non-negative, at most [`MAX_AMOUNT`]), for a front-end that reads rows one
/// at a time and reports a bad amount at its line.
///
/// # Errors
/// [`Error::InvalidValue`] with column `amount` and the given `row`, whose
/// reason says what is wrong, in the words of [`TransactionLog::new`].
///
/// # Examples
/// ```
/// use retentionkit::log::check_amount;
/// assert!(check_amount(12.5, 0).is_ok());
/// let err = check_amount(1e308, 3).unwrap_err();
/// assert!(err.to_string().starts_with("column `amount`, row 3: amount 1e308 is above"));
/// ```
pub fn check_amount(x: f64, row: usize) -> Result<()> {
    if (0.0..=MAX_AMOUNT).contains(&x) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            column: "amount",
            row,
            reason: amount_problem(x, "amount"),
        })
    }
}

/// The first order date a log accepts, 1900-01-01, as days since 1970-01-01.
///
/// Order dates are limited to 1900-01-01 ..= 2199-12-31, narrower than the
/// calendar's [`MIN_DAY`](crate::period::MIN_DAY) ..= [`MAX_DAY`](crate::period::MAX_DAY):
/// a placeholder such as 0001-01-01 or 9999-12-31 in an order column is a
/// missing date, not an order, and a look-back window, a holdout or a model's
/// time scale built from it would fail far from the row that caused it (or
/// succeed with nonsense). The log rejects it at its row instead.
/// Source: docs/metrics.md, "The transaction log".
///
/// # Examples
/// ```
/// use retentionkit::{log::FIRST_ORDER_DAY, period::day, TransactionLog};
/// assert_eq!(FIRST_ORDER_DAY, day(1900, 1, 1)?);
/// assert!(TransactionLog::new(&[1], &[FIRST_ORDER_DAY - 1], None).is_err()); // 1899-12-31
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub const FIRST_ORDER_DAY: i32 = -25_567;
/// The last order date a log accepts, 2199-12-31 (see [`FIRST_ORDER_DAY`]).
///
/// # Examples
/// ```
/// use retentionkit::{log::LAST_ORDER_DAY, period::day};
/// assert_eq!(LAST_ORDER_DAY, day(2199, 12, 31)?);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub const LAST_ORDER_DAY: i32 = 84_005;

/// Check one order date against the supported range
/// [`FIRST_ORDER_DAY`]`..=`[`LAST_ORDER_DAY`]: the rule of
/// [`TransactionLog::new`], for a front-end that reads rows one at a time
/// and reports a bad date at its line.
///
/// # Errors
/// [`Error::InvalidValue`] with column `date` and the given `row`, whose
/// reason states the date and the range.
///
/// # Examples
/// ```
/// use retentionkit::{log::check_order_day, period::day, Error};
/// assert!(check_order_day(day(2024, 5, 1)?, 0).is_ok());
/// let err = check_order_day(day(1, 1, 1)?, 7).unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "column `date`, row 7: 0001-01-01 is outside the supported order dates 1900-01-01..=2199-12-31"
/// );
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn check_order_day(day: i32, row: usize) -> Result<()> {
    if (FIRST_ORDER_DAY..=LAST_ORDER_DAY).contains(&day) {
        Ok(())
    } else {
        Err(Error::InvalidValue {
            column: "date",
            row,
            reason: format!(
                "{} is outside the supported order dates 1900-01-01..=2199-12-31",
                format_day(day)
            ),
        })
    }
}

impl TransactionLog<'static> {
    /// Validate owned columns and keep them with the log: what a binding
    /// holds, so that every later call starts from the checked columns, the
    /// customer index and the date order without building them again. The
    /// columns are moved, not copied.
    ///
    /// # Errors
    /// Those of [`TransactionLog::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{kpi::kpi_series, period::{day, Granularity, Lookback}, TransactionLog};
    /// let days = vec![day(2024, 1, 9)?, day(2024, 1, 5)?, day(2024, 2, 1)?];
    /// let log = TransactionLog::from_vecs(vec![9, 7, 7], days, Some(vec![3.0, 10.0, 12.5]))?;
    /// assert_eq!((log.len(), log.num_customers()), (3, 2));
    /// let kpis = kpi_series(&log, Granularity::Month, Lookback::Months(1))?;
    /// assert_eq!(kpis.rows.len(), 2); // January and February
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn from_vecs(ids: Vec<u64>, days: Vec<i32>, amounts: Option<Vec<f64>>) -> Result<Self> {
        let (slots, order, first_day, last_day) = {
            let log = TransactionLog::new(&ids, &days, amounts.as_deref())?;
            (log.slots, log.order, log.first_day, log.last_day)
        };
        Ok(TransactionLog {
            ids: Cow::Owned(ids),
            days: Cow::Owned(days),
            amounts: amounts.map(Cow::Owned),
            slots,
            order,
            first_day,
            last_day,
            num_customers: OnceLock::new(),
        })
    }
}

impl<'a> TransactionLog<'a> {
    /// Validate the columns of a transaction log.
    ///
    /// # Errors
    /// - [`Error::Empty`] when there are no rows;
    /// - [`Error::LengthMismatch`] when `days` or `amounts` differ in length from `ids`;
    /// - [`Error::InvalidValue`] naming the column and the first bad row for a
    ///   date outside 1900-01-01..=2199-12-31 ([`check_order_day`]) or an amount that is NaN,
    ///   negative or above [`MAX_AMOUNT`] (2⁵³);
    /// - [`Error::TooLarge`] above [`MAX_ROWS`] rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// // Two orders of customer 7 and one of 9, on days 0, 3 and 1.
    /// let log = TransactionLog::new(&[7, 9, 7], &[0, 1, 3], Some(&[5.0, 8.0, 2.5]))?;
    /// assert_eq!((log.len(), log.num_customers()), (3, 2));
    /// // Columns of different lengths are refused.
    /// assert!(TransactionLog::new(&[7, 9], &[0], None).is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn new(ids: &'a [u64], days: &'a [i32], amounts: Option<&'a [f64]>) -> Result<Self> {
        Self::build(ids, days, amounts, false)
    }

    /// Validate the columns of a transaction log whose ids are signed 64-bit
    /// integers (a database `BIGINT` key, a numpy `int64` column), without
    /// copying them: a non-negative `i64` is read as the `u64` of the same
    /// value. The sign check is part of the one validation pass of
    /// [`TransactionLog::new`].
    ///
    /// # Errors
    /// Those of [`TransactionLog::new`], and [`Error::InvalidValue`] for the
    /// first negative id (checked before the other columns' values).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{period::day, Error, TransactionLog};
    /// let days = [day(2024, 1, 3)?, day(2024, 1, 9)?];
    /// let log = TransactionLog::with_signed_ids(&[7, 9], &days, None)?;
    /// assert_eq!(log.ids(), &[7u64, 9]);
    /// let bad = TransactionLog::with_signed_ids(&[7, -1], &days, None);
    /// assert!(matches!(bad, Err(Error::InvalidValue { column: "customer_id", row: 1, .. })));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn with_signed_ids(
        ids: &'a [i64],
        days: &'a [i32],
        amounts: Option<&'a [f64]>,
    ) -> Result<Self> {
        Self::build(bytemuck::cast_slice(ids), days, amounts, true)
    }
    /// The same log owning its columns (copied only where borrowed), with
    /// the checks and the prepared customer index and date order kept.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// let ids = vec![7, 9];
    /// let owned: TransactionLog<'static> = TransactionLog::new(&ids, &[0, 1], None)?.into_owned();
    /// drop(ids); // the owned log outlives the borrowed columns
    /// assert_eq!(owned.ids(), &[7, 9]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn into_owned(self) -> TransactionLog<'static> {
        TransactionLog {
            ids: Cow::Owned(self.ids.into_owned()),
            days: Cow::Owned(self.days.into_owned()),
            amounts: self.amounts.map(|a| Cow::Owned(a.into_owned())),
            slots: self.slots,
            order: self.order,
            first_day: self.first_day,
            last_day: self.last_day,
            num_customers: self.num_customers,
        }
    }

    /// Number of rows (orders).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert_eq!(TransactionLog::new(&[7, 7, 9], &[0, 0, 1], None)?.len(), 3); // rows, not customers
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Always `false`: an empty log is rejected by [`TransactionLog::new`].
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert!(!TransactionLog::new(&[7], &[0], None)?.is_empty());
    /// assert!(TransactionLog::new(&[], &[], None).is_err()); // an empty log is an error
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the log has an amount column.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert!(!TransactionLog::new(&[7], &[0], None)?.has_amounts());
    /// assert!(TransactionLog::new(&[7], &[0], Some(&[1.0]))?.has_amounts());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn has_amounts(&self) -> bool {
        self.amounts.is_some()
    }

    /// Earliest order day.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// let log = TransactionLog::new(&[7, 9, 7], &[12, 4, 30], None)?; // any row order
    /// assert_eq!((log.first_day(), log.last_day()), (4, 30));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn first_day(&self) -> i32 {
        self.first_day
    }

    /// Latest order day.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert_eq!(TransactionLog::new(&[7, 9], &[30, 4], None)?.last_day(), 30);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn last_day(&self) -> i32 {
        self.last_day
    }

    /// The last observed day of a computation: `end`, or the log's last day
    /// when `None`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `end` is before the log's first
    /// purchase or outside the supported dates.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// let log = TransactionLog::new(&[7, 9], &[10, 20], None)?;
    /// assert_eq!(log.observation_end(None)?, 20); // the last order day
    /// assert_eq!(log.observation_end(Some(25))?, 25);
    /// assert!(log.observation_end(Some(5)).is_err()); // before the first order
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn observation_end(&self, end: Option<i32>) -> Result<i32> {
        let end = end.unwrap_or(self.last_day);
        check_day(end, "observation_end")?;
        if end < self.first_day {
            return Err(Error::InvalidArgument {
                name: "observation_end",
                reason: format!(
                    "{} is before the first purchase in the log ({})",
                    format_day(end),
                    format_day(self.first_day)
                ),
            });
        }
        Ok(end)
    }

    /// Number of distinct customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// // Sparse ids (hashed) and dense ids (offset) count alike.
    /// assert_eq!(TransactionLog::new(&[10_000_000_000, 3, 3], &[0, 1, 2], None)?.num_customers(), 2);
    /// assert_eq!(TransactionLog::new(&[1, 2, 2, 3], &[0, 1, 2, 3], None)?.num_customers(), 3);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn num_customers(&self) -> usize {
        *self.num_customers.get_or_init(|| match &self.slots {
            Slots::Mapped { ids, .. } => ids.len(),
            Slots::Offset { base, len } => {
                let mut seen = vec![false; *len];
                for &id in self.ids.iter() {
                    seen[offset_slot(id, *base)] = true;
                }
                seen.iter().filter(|&&s| s).count()
            }
        })
    }

    /// The customer-id column.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert_eq!(TransactionLog::new(&[9, 7], &[1, 0], None)?.ids(), &[9, 7]); // input order, never sorted
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }

    /// The day column.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert_eq!(TransactionLog::new(&[9, 7], &[1, 0], None)?.days(), &[1, 0]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn days(&self) -> &[i32] {
        &self.days
    }

    /// The amount column, if any.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::TransactionLog;
    /// assert_eq!(TransactionLog::new(&[9], &[1], Some(&[4.5]))?.amounts(), Some(&[4.5][..]));
    /// assert_eq!(TransactionLog::new(&[9], &[1], None)?.amounts(), None);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn amounts(&self) -> Option<&[f64]> {
        self.amounts.as_deref()
    }
}

/// `items.map(f)`, on rayon's pool when the `parallel` feature is on;
/// results in the order of `items`.
pub(crate) fn par_map<I: Send, T: Send>(items: Vec<I>, f: impl Fn(I) -> T + Sync + Send) -> Vec<T> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        items.into_par_iter().map(f).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        items.into_iter().map(f).collect()
    }
}

/// `(a(), b())`, side by side on rayon's pool when the `parallel` feature
/// is on.
pub(crate) fn join<A: Send, B: Send>(
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    #[cfg(feature = "parallel")]
    {
        rayon::join(a, b)
    }
    #[cfg(not(feature = "parallel"))]
    {
        (a(), b())
    }
}

#[cfg(feature = "parallel")]
pub(crate) fn threads() -> usize {
    rayon::current_num_threads()
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn threads() -> usize {
    1
}

#[cfg(test)]
mod tests;
