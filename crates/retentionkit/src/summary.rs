//! The per-customer RFM/BTYD summary (frequency, recency, T, monetary value),
//! its calibration/holdout split and the compressed table the models fit on.
//!
//! Source: docs/metrics.md, "The BTYD summary: frequency, recency, T, monetary
//! value"; the definitions are those of
//! lifetimes' `summary_data_from_transaction_data` and
//! `calibration_and_holdout_data` (lifetimes 0.11.3, `freq='D'`, and
//! `freq_multiplier=7` for weeks), which follow Fader, Hardie & Lee (2005),
//! "Counting Your Customers the Easy Way", section 2.

use crate::error::{check_length, check_optional_length, Error, Result};
use crate::log::{par_map, TransactionLog};
use crate::period::{check_day, MAX_DAY, MIN_DAY};

mod compressed;
mod holdout;
mod keyed;
mod rows;

pub use compressed::{CompressedSpend, CompressedSummary};
pub use holdout::{
    calibration_holdout, calibration_holdout_with, CalibrationHoldout, HoldoutSpend,
};
pub use keyed::KeyedSummary;
pub use rows::SummaryRow;

/// The time unit of recency and T.
///
/// # Examples
/// ```
/// use retentionkit::summary::TimeUnit;
/// assert_eq!(TimeUnit::default(), TimeUnit::Days);
/// assert_eq!(TimeUnit::Weeks.days(), 7.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum TimeUnit {
    /// Days.
    #[default]
    Days,
    /// Weeks of 7 days (the unit of the CDNOW papers).
    Weeks,
}

impl TimeUnit {
    /// Length of one unit in days.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::summary::TimeUnit;
    /// assert_eq!((TimeUnit::Days.days(), TimeUnit::Weeks.days()), (1.0, 7.0));
    /// ```
    pub fn days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }
}

/// Options of [`summary`].
///
/// # Examples
/// ```
/// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
/// let weeks = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?;
/// assert_eq!(weeks.recency(), [3.0, 0.0]); // 21 days = 3 weeks
/// let early = summary(&log, &SummaryOptions::default().with_observation_end(10))?;
/// assert_eq!(early.customer_id, [1]); // customer 2 arrives after day 10
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SummaryOptions {
    /// Last observed day (inclusive). Rows after it are outside the
    /// observation window and not counted; customers whose first purchase is
    /// after it do not appear. Default: the last day of the log.
    #[cfg_attr(
        feature = "serde",
        serde(default, with = "crate::period::iso_day_option")
    )]
    pub observation_end: Option<i32>,
    /// Unit of recency and T. Default: days.
    pub unit: TimeUnit,
}

with_setters!("summary", SummaryOptions {
    with_observation_end(observation_end: impl Into<Option<i32>>) = (10_134 => Some(10_134)),
    with_unit(unit: TimeUnit) = (TimeUnit::Weeks => TimeUnit::Weeks),
});

/// Per-customer BTYD summary, one entry per customer in ascending id order.
///
/// Purchases on the same day are one purchase (a "period" of one day). With
/// $d_1 < \dots < d_{x+1}$ the customer's distinct purchase days up to the
/// observation end $e$:
///
/// # Formula
/// $$ x = \\#\\{d_i\\} - 1,\quad t_x = (d_{x+1} - d_1)/u,\quad T = (e - d_1)/u,\quad
///    m = \frac{1}{x}\sum_{i=2}^{x+1} \mathrm{spend}(d_i) \ (0 \text{ when } x = 0) $$
/// with $u$ the unit in days (1 or 7).
/// Source: Fader, Hardie & Lee (2005), section 2; lifetimes 0.11.3
/// `summary_data_from_transaction_data`.
///
/// Deserialization runs [`Summary::validate`]: a document whose columns
/// differ in length (or break another of its checks) is a serde error.
///
/// # Examples
/// ```
/// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
/// assert_eq!(s.customer_id, [1, 2]);
/// assert_eq!(s.frequency, [2, 0]); // repeat purchase days
/// assert_eq!(s.monetary_value, Some(vec![30.0, 0.0])); // (20 + 40) / 2; none for one-time buyers
/// assert_eq!((s.recency(), s.age()), (vec![21.0, 0.0], vec![21.0, 7.0]));
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SummaryRaw"))]
pub struct Summary {
    /// Customer ids, ascending.
    pub customer_id: Vec<u64>,
    /// Day of each customer's first purchase.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub first_day: Vec<i32>,
    /// Day of each customer's last purchase up to the observation end.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub last_day: Vec<i32>,
    /// Repeat purchase days $x$ (distinct purchase days − 1).
    pub frequency: Vec<u32>,
    /// Mean spend of the repeat purchase days (0 when $x = 0$); `None` when
    /// the log has no amounts.
    pub monetary_value: Option<Vec<f64>>,
    /// The observation end $e$ (inclusive day).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// Unit of recency and T.
    pub unit: TimeUnit,
}

checked_serde!(Summary by validate, SummaryRaw {
    customer_id: Vec<u64>,
    #[serde(with = "crate::period::iso_days")]
    first_day: Vec<i32>,
    #[serde(with = "crate::period::iso_days")]
    last_day: Vec<i32>,
    frequency: Vec<u32>,
    monetary_value: Option<Vec<f64>>,
    #[serde(with = "crate::period::iso_day")]
    observation_end: i32,
    unit: TimeUnit,
});

#[derive(Clone, Copy)]
struct Acc {
    first: i32,
    last: i32,
    days: u32,
    repeat_sum: f64,
}

const NONE: Acc = Acc {
    first: i32::MIN,
    last: i32::MIN,
    days: 0,
    repeat_sum: 0.0,
};

/// Per-customer state of the summary pass, stored wide ([`Acc`], 24 bytes) or,
/// when the log spans fewer than 65,535 days, compact ([`Compact`], 16
/// bytes: a third less memory traffic on the pass's random accesses).
trait Slot: Copy + Send + Sync {
    const NONE: Self;
    fn get(self) -> Acc;
    fn set(acc: Acc) -> Self;
}

impl Slot for Acc {
    const NONE: Self = NONE;
    #[inline]
    fn get(self) -> Acc {
        self
    }
    #[inline]
    fn set(acc: Acc) -> Self {
        acc
    }
}

#[derive(Clone, Copy)]
struct Compact {
    first: i32,
    /// last − first.
    last_off: u16,
    /// Distinct days, at most last − first + 1.
    days: u16,
    repeat_sum: f64,
}

impl Slot for Compact {
    const NONE: Self = Compact {
        first: i32::MIN,
        last_off: 0,
        days: 0,
        repeat_sum: 0.0,
    };
    #[inline]
    fn get(self) -> Acc {
        Acc {
            first: self.first,
            last: self.first.wrapping_add(i32::from(self.last_off)),
            days: u32::from(self.days),
            repeat_sum: self.repeat_sum,
        }
    }
    #[inline]
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // ok: used only when the log spans < 65,535 days
    fn set(acc: Acc) -> Self {
        Compact {
            first: acc.first,
            last_off: acc.last.wrapping_sub(acc.first) as u16,
            days: acc.days as u16,
            repeat_sum: acc.repeat_sum,
        }
    }
}

/// Per-slot accumulators over the rows `rows` of the date order.
fn accumulate<S: Slot>(log: &TransactionLog<'_>, rows: std::ops::Range<usize>) -> Vec<Vec<S>> {
    crate::parts::per_part(log, rows.clone(), |part| {
        let mut acc = vec![S::NONE; part.slots.len()];
        part.visit(&mut acc, |slot, d, a| {
            // Branch-free: rows arrive in date order, so `d` is the
            // customer's latest day so far and a day unlike the last one is
            // a new day. A fresh slot has `days == 0` and `last == i32::MIN`.
            let c = slot.get();
            let first = if c.days == 0 { d } else { c.first };
            let c = Acc {
                first,
                last: d,
                days: c.days + u32::from(d != c.last),
                repeat_sum: c.repeat_sum + if d == first { 0.0 } else { a },
            };
            *slot = S::set(c);
        });
        acc
    })
}

/// The BTYD summary of a transaction log.
///
/// See [`Summary`] for the definitions.
///
/// # Errors
/// [`Error::InvalidArgument`] when the observation end is before the first
/// purchase of the log or outside the supported dates.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, summary::{summary, SummaryOptions}, TransactionLog};
/// // Customer 1 buys on Jan 1 (twice), Jan 8 and Jan 15; customer 2 once on Jan 10.
/// let ids = [1, 1, 1, 2, 1];
/// let days = [day(2024, 1, 1)?, day(2024, 1, 1)?, day(2024, 1, 8)?, day(2024, 1, 10)?, day(2024, 1, 15)?];
/// let amounts = [5.0, 5.0, 20.0, 7.0, 30.0];
/// let log = TransactionLog::new(&ids, &days, Some(&amounts))?;
/// let s = summary(&log, &SummaryOptions::default().with_observation_end(Some(day(2024, 1, 31)?)))?;
/// assert_eq!(s.customer_id, [1, 2]);
/// assert_eq!(s.frequency, [2, 0]);            // 3 distinct days − 1; 1 day − 1
/// assert_eq!(s.recency(), [14.0, 0.0]);       // Jan 15 − Jan 1
/// assert_eq!(s.age(), [30.0, 21.0]);          // Jan 31 − first day
/// assert_eq!(s.monetary_value, Some(vec![25.0, 0.0])); // (20 + 30) / 2
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn summary(log: &TransactionLog<'_>, options: &SummaryOptions) -> Result<Summary> {
    let money = log.has_amounts();
    summarize(log, options, |n, end| Summary {
        customer_id: vec![0; n],
        first_day: vec![0; n],
        last_day: vec![0; n],
        frequency: vec![0; n],
        monetary_value: money.then(|| vec![0.0; n]),
        observation_end: end,
        unit: options.unit,
    })
}

/// The [`summary`] as `f64` columns in one block, the form data frames and
/// the models take: what `SummaryColumns::from(&summary(log, options)?)`
/// gives, written straight from the pass without the [`Summary`] in
/// between (for millions of customers, a third less memory to fill).
///
/// # Errors
/// As [`summary`].
///
/// # Examples
/// ```
/// use retentionkit::{summary::{summary_columns, SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 7 buys on days 0, 0 and 14; customer 9 on day 7. Observed to day 28, in weeks.
/// let log = TransactionLog::new(&[7, 9, 7, 7], &[0, 7, 0, 14], Some(&[5.0, 3.0, 5.0, 12.0]))?;
/// let options = SummaryOptions::default().with_observation_end(Some(28)).with_unit(TimeUnit::Weeks);
/// let s = summary_columns(&log, &options)?;
/// assert_eq!(s.customer_id, [7, 9]);
/// assert_eq!(s.names(), ["frequency", "recency", "T", "monetary_value"]);
/// assert_eq!(s.column(0), [1.0, 0.0]); // two distinct days − 1; one day − 1
/// assert_eq!(s.column(1), [2.0, 0.0]); // (14 − 0) / 7; 0
/// assert_eq!(s.column(2), [4.0, 3.0]); // (28 − 0) / 7; (28 − 7) / 7
/// assert_eq!(s.column(3), [12.0, 0.0]); // the one repeat day's spend; no repeat day
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn summary_columns(
    log: &TransactionLog<'_>,
    options: &SummaryOptions,
) -> Result<SummaryColumns> {
    let money = log.has_amounts();
    summarize(log, options, |n, end| SummaryColumns {
        customer_id: vec![0; n],
        values: vec![0.0; if money { 4 * n } else { 3 * n }],
        has_monetary_value: money,
        observation_end: end,
        unit: options.unit,
    })
}

/// The summary pass up to the observation end, written into `make(number
/// of customers, observation end)` and sorted by id.
fn summarize<O: Output>(
    log: &TransactionLog<'_>,
    options: &SummaryOptions,
    make: impl FnOnce(usize, i32) -> O,
) -> Result<O> {
    let end = log.observation_end(options.observation_end)?;
    let rows = 0..log.rows_before(end.saturating_add(1));
    let make = |n| make(n, end);
    let mut out = if compact(log) {
        collect::<Compact, _>(log, rows, make)
    } else {
        collect::<Acc, _>(log, rows, make)
    };
    if !log.slots_in_id_order() {
        out.sort_by_id();
    }
    Ok(out)
}

/// Whether the pass can keep its state in [`Compact`] slots.
fn compact(log: &TransactionLog<'_>) -> bool {
    i64::from(log.last_day()) - i64::from(log.first_day()) < i64::from(u16::MAX)
}

/// Output columns [`collect`] fills: split into one stretch per part, so
/// the parts write their customers in parallel.
trait Columns: Send + Sized {
    /// The room for the first `k` customers, and the rest.
    fn split_at(self, k: usize) -> (Self, Self);
    /// Write customer number `k` of this stretch.
    fn put(&mut self, k: usize, id: u64, c: Acc);
}

/// Stretches of the columns of a [`Summary`].
struct SummaryRoom<'a> {
    ids: &'a mut [u64],
    first: &'a mut [i32],
    last: &'a mut [i32],
    frequency: &'a mut [u32],
    money: Option<&'a mut [f64]>,
}

impl Columns for SummaryRoom<'_> {
    fn split_at(self, k: usize) -> (Self, Self) {
        let (ids, ids_rest) = self.ids.split_at_mut(k);
        let (first, first_rest) = self.first.split_at_mut(k);
        let (last, last_rest) = self.last.split_at_mut(k);
        let (frequency, frequency_rest) = self.frequency.split_at_mut(k);
        let (money, money_rest) = split_option(self.money, k);
        (
            SummaryRoom {
                ids,
                first,
                last,
                frequency,
                money,
            },
            SummaryRoom {
                ids: ids_rest,
                first: first_rest,
                last: last_rest,
                frequency: frequency_rest,
                money: money_rest,
            },
        )
    }
    #[inline]
    fn put(&mut self, k: usize, id: u64, c: Acc) {
        let x = c.days - 1;
        self.ids[k] = id;
        self.first[k] = c.first;
        self.last[k] = c.last;
        self.frequency[k] = x;
        if let Some(m) = self.money.as_deref_mut() {
            m[k] = mean_repeat_spend(c.repeat_sum, x);
        }
    }
}

/// Stretches of the columns of a [`SummaryColumns`].
struct FloatRoom<'a> {
    ids: &'a mut [u64],
    frequency: &'a mut [f64],
    recency: &'a mut [f64],
    age: &'a mut [f64],
    money: Option<&'a mut [f64]>,
    end: i32,
    unit: f64,
}

impl Columns for FloatRoom<'_> {
    fn split_at(self, k: usize) -> (Self, Self) {
        let (ids, ids_rest) = self.ids.split_at_mut(k);
        let (frequency, frequency_rest) = self.frequency.split_at_mut(k);
        let (recency, recency_rest) = self.recency.split_at_mut(k);
        let (age, age_rest) = self.age.split_at_mut(k);
        let (money, money_rest) = split_option(self.money, k);
        let (end, unit) = (self.end, self.unit);
        (
            FloatRoom {
                ids,
                frequency,
                recency,
                age,
                money,
                end,
                unit,
            },
            FloatRoom {
                ids: ids_rest,
                frequency: frequency_rest,
                recency: recency_rest,
                age: age_rest,
                money: money_rest,
                end,
                unit,
            },
        )
    }
    #[inline]
    fn put(&mut self, k: usize, id: u64, c: Acc) {
        let x = c.days - 1;
        self.ids[k] = id;
        self.frequency[k] = f64::from(x);
        self.recency[k] = f64::from(c.last - c.first) / self.unit;
        self.age[k] = f64::from(self.end - c.first) / self.unit;
        if let Some(m) = self.money.as_deref_mut() {
            m[k] = mean_repeat_spend(c.repeat_sum, x);
        }
    }
}

fn split_option(m: Option<&mut [f64]>, k: usize) -> (Option<&mut [f64]>, Option<&mut [f64]>) {
    match m {
        Some(m) => {
            let (a, b) = m.split_at_mut(k);
            (Some(a), Some(b))
        }
        None => (None, None),
    }
}

/// Mean spend of `x` repeat days that spent `sum` in all (0 when `x` = 0).
#[inline]
fn mean_repeat_spend(sum: f64, x: u32) -> f64 {
    if x == 0 {
        0.0
    } else {
        sum / f64::from(x)
    }
}

/// An output of [`collect`], made for a number of customers.
trait Output {
    type Room<'a>: Columns
    where
        Self: 'a;
    fn room(&mut self) -> Self::Room<'_>;
    /// Put the customers in ascending id order.
    fn sort_by_id(&mut self);
}

impl Output for Summary {
    type Room<'a> = SummaryRoom<'a>;
    fn room(&mut self) -> SummaryRoom<'_> {
        SummaryRoom {
            ids: &mut self.customer_id,
            first: &mut self.first_day,
            last: &mut self.last_day,
            frequency: &mut self.frequency,
            money: self.monetary_value.as_deref_mut(),
        }
    }
    fn sort_by_id(&mut self) {
        Summary::sort_by_id(self);
    }
}

impl Output for SummaryColumns {
    type Room<'a> = FloatRoom<'a>;
    fn room(&mut self) -> FloatRoom<'_> {
        let n = self.customer_id.len();
        let (frequency, rest) = self.values.split_at_mut(n);
        let (recency, rest) = rest.split_at_mut(n);
        let (age, rest) = rest.split_at_mut(n);
        FloatRoom {
            ids: &mut self.customer_id,
            frequency,
            recency,
            age,
            money: self.has_monetary_value.then_some(rest),
            end: self.observation_end,
            unit: self.unit.days(),
        }
    }
    fn sort_by_id(&mut self) {
        SummaryColumns::sort_by_id(self);
    }
}

/// Run the summary pass over `rows` and write its customers, in slot order,
/// into `make(number of customers)`.
fn collect<S: Slot, O: Output>(
    log: &TransactionLog<'_>,
    rows: std::ops::Range<usize>,
    make: impl FnOnce(usize) -> O,
) -> O {
    let parts = accumulate::<S>(log, rows);
    // Each part writes its customers into its own stretch of the output
    // columns, in parallel: for millions of customers, filling (and first
    // touching) the output memory is a sizeable share of the work.
    let counts = par_map(parts.iter().collect(), |p: &Vec<S>| {
        p.iter().filter(|c| c.get().days > 0).count()
    });
    let mut out = make(counts.iter().sum());
    {
        let mut room = out.room();
        let mut jobs = Vec::with_capacity(parts.len());
        let mut slot = 0;
        for (part, &k) in parts.iter().zip(&counts) {
            let (mine, rest) = room.split_at(k);
            jobs.push((part, slot, mine));
            room = rest;
            slot += part.len();
        }
        par_map(jobs, |(part, slot0, mut room)| {
            let mut k = 0;
            for (slot, c) in (slot0..).zip(part) {
                let c = c.get();
                if c.days > 0 {
                    room.put(k, log.slot_id(slot), c);
                    k += 1;
                }
            }
        });
    }
    out
}

/// The positions of `ids` in ascending id order.
fn id_order(ids: &[u64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..ids.len()).collect();
    idx.sort_unstable_by_key(|&i| ids[i]);
    idx
}

/// lifetimes' names of the summary's columns $x$, $t_x$, $T$, $m$: those of
/// [`SummaryColumns::names`] and of the compressed tables' `COLUMNS`.
const COLUMN_NAMES: [&str; 4] = ["frequency", "recency", "T", "monetary_value"];

/// The [`Summary`] as `f64` columns in one block, in the units of its
/// `unit`: the layout data-frame libraries (pandas, polars, Arrow) and the
/// models take without a copy. Made by [`summary_columns`], or from a
/// [`Summary`] with `From`.
///
/// Deserialization runs [`SummaryColumns::validate`].
///
/// # Examples
/// ```
/// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
/// use retentionkit::summary::SummaryColumns;
/// let c = SummaryColumns::from(&s);
/// assert_eq!(c.names(), ["frequency", "recency", "T", "monetary_value"]);
/// assert_eq!(c.values, [2.0, 0.0, 21.0, 0.0, 21.0, 7.0, 30.0, 0.0]); // column after column
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SummaryColumnsRaw"))]
pub struct SummaryColumns {
    /// Customer ids, ascending.
    pub customer_id: Vec<u64>,
    /// The columns [`names`](Self::names), one after the other, each one
    /// value per customer: frequency $x$, recency $t_x$, age $T$ and, when
    /// the log has amounts, the monetary value, as defined in [`Summary`].
    pub values: Vec<f64>,
    /// Whether `values` holds the monetary value column (the log has amounts).
    pub has_monetary_value: bool,
    /// The observation end $e$ (inclusive day).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// Unit of recency and T.
    pub unit: TimeUnit,
}

checked_serde!(SummaryColumns by validate, SummaryColumnsRaw {
    customer_id: Vec<u64>,
    values: Vec<f64>,
    has_monetary_value: bool,
    #[serde(with = "crate::period::iso_day")]
    observation_end: i32,
    unit: TimeUnit,
});

impl SummaryColumns {
    /// Number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// use retentionkit::summary::SummaryColumns;
    /// assert_eq!(SummaryColumns::from(&s).len(), 2); // customers
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    /// Check what [`column`](Self::column) relies on: `values` holds one
    /// value per customer for each of the [`names`](Self::names).
    /// Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (column `values`) when its length is not
    /// the number of customers times the number of columns.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// use retentionkit::summary::SummaryColumns;
    /// let mut c = SummaryColumns::from(&s);
    /// assert!(c.validate().is_ok());
    /// c.values.pop();
    /// assert!(c.validate().is_err()); // 7 values for 2 customers and 4 columns
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let expected = self.len().saturating_mul(self.names().len());
        check_length("values", expected, self.values.len())
    }

    /// Whether there are no customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// use retentionkit::summary::SummaryColumns;
    /// assert!(!SummaryColumns::from(&s).is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.customer_id.is_empty()
    }

    /// Names of the columns of [`values`](Self::values), lifetimes' names:
    /// `frequency`, `recency`, `T` and, with amounts, `monetary_value`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary_columns, SummaryOptions}, TransactionLog};
    /// let log = TransactionLog::new(&[1, 1], &[0, 7], None)?; // no amounts
    /// let c = summary_columns(&log, &SummaryOptions::default())?;
    /// assert_eq!(c.names(), ["frequency", "recency", "T"]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn names(&self) -> &'static [&'static str] {
        if self.has_monetary_value {
            &COLUMN_NAMES
        } else {
            &COLUMN_NAMES[..3]
        }
    }

    /// Column `i` of [`values`](Self::values).
    ///
    /// # Panics
    /// When `i` is not below the number of [`names`](Self::names).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// use retentionkit::summary::SummaryColumns;
    /// let c = SummaryColumns::from(&s);
    /// assert_eq!(c.column(2), [21.0, 7.0]); // T
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn column(&self, i: usize) -> &[f64] {
        let n = self.len();
        &self.values[i * n..(i + 1) * n]
    }

    fn sort_by_id(&mut self) {
        let idx = id_order(&self.customer_id);
        self.customer_id = idx.iter().map(|&i| self.customer_id[i]).collect();
        let n = self.len();
        let mut values = Vec::with_capacity(self.values.len());
        for col in self.values.chunks_exact(n.max(1)) {
            values.extend(idx.iter().map(|&i| col[i]));
        }
        self.values = values;
    }
}

impl From<&Summary> for SummaryColumns {
    fn from(s: &Summary) -> Self {
        let mut values = s.frequency_f64();
        values.extend(s.recency());
        values.extend(s.age());
        if let Some(m) = &s.monetary_value {
            values.extend_from_slice(m);
        }
        SummaryColumns {
            customer_id: s.customer_id.clone(),
            values,
            has_monetary_value: s.monetary_value.is_some(),
            observation_end: s.observation_end,
            unit: s.unit,
        }
    }
}

impl Summary {
    /// Number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert_eq!(s.len(), 2);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.customer_id.len()
    }

    /// Whether there are no customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert!(!s.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.customer_id.is_empty()
    }

    /// Check what the methods and the models rely on: one row per customer
    /// in every column, and for each customer first day ≤ last day ≤
    /// observation end, all within the supported dates. [`summary`] always
    /// returns a valid summary; deserialization and [`merge`](Self::merge)
    /// run this check, and a summary built field by field can run it too.
    /// The order of the ids is not checked: a [`KeyedSummary`]'s ids are
    /// indices in any order, and [`merge`](Self::merge) refuses an id seen
    /// twice.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] for a column whose length is not that of
    /// `customer_id`; [`Error::InvalidValue`] naming the first row with days
    /// out of order or range; [`Error::InvalidArgument`] for an observation
    /// end out of range.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::summary::{Summary, TimeUnit};
    /// let mut s = Summary {
    ///     customer_id: vec![1, 2],
    ///     first_day: vec![0, 3],
    ///     last_day: vec![5, 3],
    ///     frequency: vec![1, 0],
    ///     monetary_value: None,
    ///     observation_end: 9,
    ///     unit: TimeUnit::Days,
    /// };
    /// assert!(s.validate().is_ok());
    /// s.frequency.pop();
    /// assert_eq!(
    ///     s.validate().unwrap_err().to_string(),
    ///     "column `frequency` has 1 rows, expected 2 (the length of the first column)"
    /// );
    /// ```
    pub fn validate(&self) -> Result<()> {
        let n = self.len();
        check_length("first_day", n, self.first_day.len())?;
        check_length("last_day", n, self.last_day.len())?;
        check_length("frequency", n, self.frequency.len())?;
        check_optional_length("monetary_value", n, self.monetary_value.as_deref())?;
        check_day(self.observation_end, "observation_end")?;
        for (row, (&first, &last)) in self.first_day.iter().zip(&self.last_day).enumerate() {
            let (column, reason) = if !(MIN_DAY..=MAX_DAY).contains(&first) {
                (
                    "first_day",
                    format!("day {first} is outside the supported dates"),
                )
            } else if last < first {
                (
                    "last_day",
                    format!("day {last} is before the first day {first}"),
                )
            } else if last > self.observation_end {
                (
                    "last_day",
                    format!(
                        "day {last} is after the observation end {}",
                        self.observation_end
                    ),
                )
            } else {
                continue;
            };
            return Err(Error::InvalidValue {
                column,
                row,
                reason,
            });
        }
        Ok(())
    }

    /// Recency $t_x$ = (last − first purchase day) / unit, per customer.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert_eq!(s.recency(), [21.0, 0.0]); // last − first purchase day
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn recency(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.last_day
            .iter()
            .zip(&self.first_day)
            .map(|(l, f)| f64::from(l - f) / u)
            .collect()
    }

    /// Age $T$ = (observation end − first purchase day) / unit, per customer
    /// (the column lifetimes calls `T`).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert_eq!(s.age(), [21.0, 7.0]); // observation end (21) − first purchase day
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn age(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.first_day
            .iter()
            .map(|f| f64::from(self.observation_end - f) / u)
            .collect()
    }

    /// Frequency as `f64`, the form the models and lifetimes use.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert_eq!(s.frequency_f64(), [2.0, 0.0]);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn frequency_f64(&self) -> Vec<f64> {
        self.frequency.iter().map(|&x| f64::from(x)).collect()
    }

    /// Mean observed lifetime in days: the mean of (last − first purchase day).
    ///
    /// # Formula
    /// $$ \bar L = \frac{1}{n}\sum_i (d^{\mathrm{last}}_i - d^{\mathrm{first}}_i) $$
    /// Source: docs/metrics.md, "Lifespan and historic CLV" (the observed form).
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] for an empty summary.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// assert_eq!(s.mean_observed_lifespan_days()?, 10.5); // (21 + 0) / 2
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn mean_observed_lifespan_days(&self) -> Result<f64> {
        let total: i64 = self
            .last_day
            .iter()
            .zip(&self.first_day)
            .map(|(l, f)| i64::from(l - f))
            .sum();
        crate::error::ratio(total as f64, self.len() as f64, "customers in the summary")
    }

    /// Group customers with equal $(x, t_x, T)$ into one weighted row: the
    /// table the models fit on (the CDNOW sample's 2,357 customers make far
    /// fewer distinct rows).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// let c = s.compress();
    /// assert_eq!((c.len(), c.customers()), (2, 2)); // (0, 0, 7) and (2, 21, 21), one customer each
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn compress(&self) -> CompressedSummary {
        let mut keys: Vec<(u32, i32, i32)> = (0..self.len())
            .map(|i| {
                (
                    self.frequency[i],
                    self.last_day[i] - self.first_day[i],
                    self.observation_end - self.first_day[i],
                )
            })
            .collect();
        keys.sort_unstable();
        let mut out = CompressedSummary {
            unit: self.unit,
            ..CompressedSummary::default()
        };
        for k in keys {
            out.push_or_add(k, 1);
        }
        out
    }

    /// The mean repeat spend column, or [`Error::MissingColumn`] (column
    /// `amount`: the log had none) saying what needed it.
    pub(crate) fn monetary_for(&self, needed_for: &'static str) -> Result<&[f64]> {
        self.monetary_value.as_deref().ok_or(Error::MissingColumn {
            column: "amount",
            needed_for,
        })
    }

    /// Group customers with equal $(x, m)$, repeat purchase days and mean
    /// repeat spend, into one weighted row: the table the Gamma-Gamma spend
    /// model fits on.
    ///
    /// # Errors
    /// [`Error::MissingColumn`] when the summary has no amounts.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customer 2 once, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], Some(&[10.0, 20.0, 40.0, 5.0]))?;
    /// let s = summary(&log, &SummaryOptions::default())?; // in days, observed to day 21
    /// let c = s.compress_spend()?;
    /// assert_eq!((c.frequency.clone(), c.monetary_value.clone()), (vec![0, 2], vec![0.0, 30.0]));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn compress_spend(&self) -> Result<CompressedSpend> {
        let m = self.monetary_for("the Gamma-Gamma spend model")?;
        let rows = self
            .frequency
            .iter()
            .zip(m)
            .map(|(&x, &m)| ((x, m), 1))
            .collect();
        Ok(CompressedSpend::from_rows(rows))
    }

    fn sort_by_id(&mut self) {
        let idx = id_order(&self.customer_id);
        let pick_u64 = |v: &[u64]| idx.iter().map(|&i| v[i]).collect::<Vec<_>>();
        let pick_i32 = |v: &[i32]| idx.iter().map(|&i| v[i]).collect::<Vec<_>>();
        self.customer_id = pick_u64(&self.customer_id);
        self.first_day = pick_i32(&self.first_day);
        self.last_day = pick_i32(&self.last_day);
        self.frequency = idx.iter().map(|&i| self.frequency[i]).collect();
        if let Some(m) = &self.monetary_value {
            self.monetary_value = Some(idx.iter().map(|&i| m[i]).collect());
        }
    }

    /// Merge summaries computed on customer-disjoint parts of one log (with
    /// the same observation end and unit) into the summary of the whole,
    /// sorted by id (docs/metrics.md, section 17, "Merging partial
    /// results"). Ids must mean the same customer in every part; for ids
    /// numbered per part, merge [`KeyedSummary`]s.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the parts differ in observation end, unit
    /// or the presence of amounts, or share a customer (the message names
    /// it); [`Error::Empty`] for no parts; the error of
    /// [`validate`](Self::validate) for a part that fails it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::summary::{summary, Summary, SummaryOptions};
    /// use retentionkit::TransactionLog;
    /// // Customers 1 and 3 in one part, 2 in the other; observed to day 10.
    /// let a = TransactionLog::new(&[3, 1, 3], &[0, 4, 6], None)?;
    /// let b = TransactionLog::new(&[2], &[5], None)?;
    /// let options = SummaryOptions::default().with_observation_end(Some(10));
    /// let (sa, sb) = (summary(&a, &options)?, summary(&b, &options)?);
    /// let whole = Summary::merge(&[sa.clone(), sb])?;
    /// assert_eq!(whole.customer_id, [1, 2, 3]);
    /// assert_eq!(whole.frequency, [0, 0, 1]); // customer 3: days 0 and 6
    /// let err = Summary::merge(&[sa.clone(), sa]).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "cannot merge partial results: customer 1 appears in more than one part; \
    ///      partition the log by customer"
    /// );
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[Summary]) -> Result<Summary> {
        let refs: Vec<&Summary> = parts.iter().collect();
        let (mut out, ids) = keyed::merge_by_key(&refs, |p, row| Ok(&parts[p].customer_id[row]))?;
        out.customer_id = ids.into_iter().copied().collect();
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
