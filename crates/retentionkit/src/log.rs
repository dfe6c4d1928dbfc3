//! The validated transaction log every transaction metric starts from.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::period::{check_day, format_day, MAX_DAY, MIN_DAY};

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
#[derive(Debug)]
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

/// Dense customer numbering ("slots") used by the per-customer passes.
#[derive(Debug)]
enum Slots {
    /// Ids are dense enough: slot = id − base, `len` slots (some may be unused).
    Offset { base: u64, len: usize },
    /// Slot of each row, and the id of each slot (first-seen order).
    Mapped { of_row: Vec<u32>, ids: Vec<u64> },
}

/// The largest number of rows a log may hold (row numbers are stored as `u32`).
pub const MAX_ROWS: usize = u32::MAX as usize;

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
    ///   day outside 0001-01-01..=9999-12-31 or an amount that is NaN,
    ///   infinite or negative;
    /// - [`Error::TooLarge`] above [`MAX_ROWS`] rows.
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

    /// [`TransactionLog::new`]; with `signed`, `ids` are `i64` values read as
    /// `u64`, and one above `i64::MAX` is a negative id.
    fn build(
        ids: &'a [u64],
        days: &'a [i32],
        amounts: Option<&'a [f64]>,
        signed: bool,
    ) -> Result<Self> {
        let n = ids.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "transaction log",
            });
        }
        if n > MAX_ROWS {
            return Err(Error::TooLarge {
                what: "transaction log rows",
                got: n,
                max: MAX_ROWS,
            });
        }
        if days.len() != n {
            return Err(Error::LengthMismatch {
                column: "date",
                expected: n,
                got: days.len(),
            });
        }
        if let Some(a) = amounts {
            if a.len() != n {
                return Err(Error::LengthMismatch {
                    column: "amount",
                    expected: n,
                    got: a.len(),
                });
            }
        }
        // One pass in chunks (in parallel): ranges, sortedness, bad values.
        let stats = for_chunks(n, |r| {
            ChunkStats::of(&ids[r.clone()], &days[r.clone()], amounts.map(|a| &a[r]))
        });
        let bad =
            |ok: fn(&ChunkStats) -> bool| stats.iter().position(|c| !ok(c)).map(|i| i * CHUNK);
        let id_max = stats.iter().map(|c| c.id_max).max().unwrap_or(0);
        if signed && id_max > i64::MAX.unsigned_abs() {
            let row = ids
                .iter()
                .position(|&id| id > i64::MAX.unsigned_abs())
                .unwrap_or(0);
            let id = i64::from_ne_bytes(ids[row].to_ne_bytes());
            return Err(Error::InvalidValue {
                column: "customer_id",
                row,
                reason: format!("negative id {id}"),
            });
        }
        if let Some(from) = bad(|c| c.days_ok) {
            let row = from
                + days[from..]
                    .iter()
                    .position(|d| !(MIN_DAY..=MAX_DAY).contains(d))
                    .unwrap_or(0);
            let d = days[row];
            return Err(Error::InvalidValue {
                column: "date",
                row,
                reason: format!("day {d} is outside 0001-01-01..=9999-12-31 ({MIN_DAY}..={MAX_DAY} days since 1970-01-01)"),
            });
        }
        if let (Some(a), Some(from)) = (amounts, bad(|c| c.amounts_ok)) {
            let row = from + a[from..].iter().position(|&x| !amount_ok(x)).unwrap_or(0);
            let x = a[row];
            let reason = if x.is_nan() {
                "NaN is not an amount".to_string()
            } else if x.is_infinite() {
                format!("{x} is not a finite amount")
            } else {
                format!("negative amount {x} (refunds must be netted before building the log)")
            };
            return Err(Error::InvalidValue {
                column: "amount",
                row,
                reason,
            });
        }
        let lo = stats.iter().map(|c| c.day_min).min().unwrap_or(0);
        let hi = stats.iter().map(|c| c.day_max).max().unwrap_or(0);
        let sorted = stats.iter().all(|c| c.sorted)
            && stats.windows(2).all(|w| w[0].day_last <= w[1].day_first);
        let id_min = stats.iter().map(|c| c.id_min).min().unwrap_or(0);
        let slots = Slots::build(ids, id_min, id_max);
        let order = if sorted {
            None
        } else {
            Some(sort_by_day(days, lo, hi))
        };
        Ok(Self {
            ids: Cow::Borrowed(ids),
            days: Cow::Borrowed(days),
            amounts: amounts.map(Cow::Borrowed),
            slots,
            order,
            first_day: lo,
            last_day: hi,
            num_customers: OnceLock::new(),
        })
    }

    /// The same log owning its columns (copied only where borrowed), with
    /// the checks and the prepared customer index and date order kept.
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
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Always `false`: an empty log is rejected by [`TransactionLog::new`].
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Whether the log has an amount column.
    pub fn has_amounts(&self) -> bool {
        self.amounts.is_some()
    }

    /// Earliest order day.
    pub fn first_day(&self) -> i32 {
        self.first_day
    }

    /// Latest order day.
    pub fn last_day(&self) -> i32 {
        self.last_day
    }

    /// The last observed day of a computation: `end`, or the log's last day
    /// when `None`.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] when `end` is before the log's first
    /// purchase or outside the supported dates.
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
    pub fn ids(&self) -> &[u64] {
        &self.ids
    }

    /// The day column.
    pub fn days(&self) -> &[i32] {
        &self.days
    }

    /// The amount column, if any.
    pub fn amounts(&self) -> Option<&[f64]> {
        self.amounts.as_deref()
    }

    /// Number of customer slots (dense customer numbers; some may be unused).
    pub(crate) fn num_slots(&self) -> usize {
        match &self.slots {
            Slots::Offset { len, .. } => *len,
            Slots::Mapped { ids, .. } => ids.len(),
        }
    }

    /// Customer id of a slot.
    pub(crate) fn slot_id(&self, slot: usize) -> u64 {
        match &self.slots {
            Slots::Offset { base, .. } => *base + slot as u64,
            Slots::Mapped { ids, .. } => ids[slot],
        }
    }

    /// Whether slot order is id order (so per-slot output needs no sort).
    pub(crate) fn slots_in_id_order(&self) -> bool {
        matches!(self.slots, Slots::Offset { .. })
    }

    /// Number of rows, in date order, whose day is before `limit`.
    pub(crate) fn rows_before(&self, limit: i32) -> usize {
        let days = self.days();
        match &self.order {
            None => days.partition_point(|&d| d < limit),
            Some(order) => order.partition_point(|&r| days[r as usize] < limit),
        }
    }

    /// Call `g(row, slot)` for the rows at positions `rows` of the date order.
    #[inline]
    pub(crate) fn rows_and_slots(&self, rows: Range<usize>, mut g: impl FnMut(usize, usize)) {
        self.chunks(rows, |rows, slots| {
            for (&r, &s) in rows.iter().zip(slots) {
                g(r, s);
            }
        });
    }

    /// Call `g(rows, slots)` for chunks of [`SCAN`] positions of `rows` of
    /// the date order: their row numbers and slots, written to two small
    /// arrays by one loop per kind of log, so the caller's loop over them is
    /// the same tight loop for every kind.
    #[inline]
    fn chunks(&self, rows: Range<usize>, mut g: impl FnMut(&[usize], &[usize])) {
        let mut chunk_rows = [0usize; SCAN];
        let mut chunk_slots = [0usize; SCAN];
        let mut start = rows.start;
        while start < rows.end {
            let end = rows.end.min(start + SCAN);
            let len = end - start;
            self.fill_rows_and_slots(start..end, &mut chunk_rows[..len], &mut chunk_slots[..len]);
            g(&chunk_rows[..len], &chunk_slots[..len]);
            start = end;
        }
    }

    /// Visit the rows at positions `rows` of the date order whose slot lies
    /// in `slots.start .. slots.start + state.len()`, calling
    /// `f(&mut state[slot − slots.start], day, amount)`; amount is 0 when the
    /// log has none.
    ///
    /// Each customer's rows arrive in date order (ties in input order); rows
    /// of different customers may be visited in any order, so `f` may only
    /// combine them through commutative counters.
    ///
    /// Per-customer state of a large log does not fit in the caches, and the
    /// branches of `f` depend on the state just loaded: visited one row at a
    /// time, every row would wait for memory. So rows are taken in blocks:
    /// first every row's state is loaded (the loads run in parallel), then
    /// `f` runs on the block with its state in cache.
    #[inline]
    pub(crate) fn visit<S: Copy>(
        &self,
        rows: Range<usize>,
        slots: Range<usize>,
        state: &mut [S],
        mut f: impl FnMut(&mut S, i32, f64),
    ) {
        let (lo, width) = (slots.start, state.len());
        if width == 0 {
            return;
        }
        let (days, amounts) = (self.days(), self.amounts());
        let mut block = [(0usize, 0usize); BLOCK];
        let mut n = 0;
        let mut run = |block: &[(usize, usize)], state: &mut [S]| {
            for &(r, s) in block {
                f(&mut state[s], days[r], amounts.map_or(0.0, |a| a[r]));
            }
        };
        self.chunks(rows, |chunk_rows, chunk_slots| {
            for (&r, &slot) in chunk_rows.iter().zip(chunk_slots) {
                // Branch-free filter: whether a row belongs to this slot range
                // is a coin flip the branch predictor would lose.
                let s = slot.wrapping_sub(lo);
                let mine = s < width;
                let s = if mine { s } else { width - 1 };
                // Start loading this customer's state now; `f` uses it below.
                prefetch(state, s);
                block[n] = (r, s);
                n += usize::from(mine);
                if n == BLOCK {
                    run(&block, state);
                    n = 0;
                }
            }
        });
        run(&block[..n], state);
    }

    /// Write the row numbers and slots of the positions `pos` of the date
    /// order into `rows` and `slots` (each `pos.len()` long).
    #[inline]
    fn fill_rows_and_slots(&self, pos: Range<usize>, rows: &mut [usize], slots: &mut [usize]) {
        let ids = self.ids();
        match (&self.slots, &self.order) {
            (Slots::Offset { base, .. }, None) => {
                for ((r, s), (p, &id)) in rows.iter_mut().zip(slots).zip(pos.clone().zip(&ids[pos]))
                {
                    *r = p;
                    *s = offset_slot(id, *base);
                }
            }
            (Slots::Offset { base, .. }, Some(order)) => {
                for ((r, s), &o) in rows.iter_mut().zip(slots).zip(&order[pos]) {
                    *r = o as usize;
                    *s = offset_slot(ids[o as usize], *base);
                }
            }
            (Slots::Mapped { of_row, .. }, None) => {
                for ((r, s), (p, &m)) in rows
                    .iter_mut()
                    .zip(slots)
                    .zip(pos.clone().zip(&of_row[pos]))
                {
                    *r = p;
                    *s = m as usize;
                }
            }
            (Slots::Mapped { of_row, .. }, Some(order)) => {
                for ((r, s), &o) in rows.iter_mut().zip(slots).zip(&order[pos]) {
                    *r = o as usize;
                    *s = of_row[o as usize] as usize;
                }
            }
        }
    }

    /// Day of the row at position `pos` of the date order.
    fn day_at(&self, pos: usize) -> i32 {
        match &self.order {
            None => self.days[pos],
            Some(order) => self.days[order[pos] as usize],
        }
    }

    /// Split the positions `rows` of the date order into one range per
    /// worker thread, cut only between different days (so a customer's
    /// orders of one day stay in one range), and run `f` on each range, in
    /// parallel when the `parallel` feature is on. Results in date order.
    pub(crate) fn per_row_part<T: Send>(
        &self,
        rows: Range<usize>,
        f: impl Fn(Range<usize>) -> T + Sync + Send,
    ) -> Vec<T> {
        let parts = if rows.len() < (1 << 16) {
            1
        } else {
            threads().clamp(1, 64)
        };
        let mut cuts = vec![rows.start];
        for i in 1..parts {
            let mut c = (rows.start + rows.len() * i / parts).max(cuts[cuts.len() - 1]);
            while c < rows.end && c > rows.start && self.day_at(c) == self.day_at(c - 1) {
                c += 1;
            }
            cuts.push(c);
        }
        cuts.push(rows.end);
        par_map(cuts.windows(2).map(|w| w[0]..w[1]).collect(), f)
    }
}

/// Rows per chunk of the validation pass.
const CHUNK: usize = 1 << 16;

/// Finite and non-negative (false for NaN).
#[inline]
fn amount_ok(x: f64) -> bool {
    (0.0..=f64::MAX).contains(&x)
}

/// What one validation chunk found; written as branch-free folds so the
/// compiler vectorises them.
struct ChunkStats {
    days_ok: bool,
    amounts_ok: bool,
    sorted: bool,
    day_min: i32,
    day_max: i32,
    day_first: i32,
    day_last: i32,
    id_min: u64,
    id_max: u64,
}

impl ChunkStats {
    #[allow(clippy::needless_bitwise_bool)] // ok: `&` keeps the folds branch-free, so they vectorise
    fn of(ids: &[u64], days: &[i32], amounts: Option<&[f64]>) -> ChunkStats {
        let sorted = days.windows(2).fold(true, |ok, w| ok & (w[0] <= w[1]));
        // Sorted (the usual case): the first and the last day.
        let (day_min, day_max) = match (sorted, days.first(), days.last()) {
            (true, Some(&first), Some(&last)) => (first, last),
            _ => (
                days.iter().copied().fold(i32::MAX, i32::min),
                days.iter().copied().fold(i32::MIN, i32::max),
            ),
        };
        let (id_min, id_max) = min_max(ids, u64::MAX, 0);
        ChunkStats {
            days_ok: day_min >= MIN_DAY && day_max <= MAX_DAY,
            amounts_ok: amounts.is_none_or(|a| a.iter().fold(true, |ok, &x| ok & amount_ok(x))),
            sorted,
            day_min,
            day_max,
            day_first: days.first().copied().unwrap_or(0),
            day_last: days.last().copied().unwrap_or(0),
            id_min,
            id_max,
        }
    }
}

/// The smallest and the largest value of `xs` (`(lo, hi)` when it is
/// empty), in one pass over four independent running minima and maxima.
/// One running minimum waits on its own compare-and-select every row, and
/// the baseline x86_64 target has no vector min/max of 64-bit integers: on
/// the ids of a chunk in the cache, two plain folds took 1.4–1.5 ns a row,
/// four lanes 0.42–0.46 ns (eight 0.47–0.72, sixteen 0.52–0.56), and the
/// validation pass of the 10⁷-row peer log was bound by them rather than
/// by memory (24 ms single-threaded before, 12 ms after).
#[inline]
fn min_max<T: Copy + Ord>(xs: &[T], lo: T, hi: T) -> (T, T) {
    const LANES: usize = 4;
    let (mut mins, mut maxs) = ([lo; LANES], [hi; LANES]);
    let mut blocks = xs.chunks_exact(LANES);
    for b in &mut blocks {
        for k in 0..LANES {
            mins[k] = mins[k].min(b[k]);
            maxs[k] = maxs[k].max(b[k]);
        }
    }
    let rest = blocks.remainder().iter();
    let min = mins
        .into_iter()
        .chain(rest.clone().copied())
        .fold(lo, T::min);
    let max = maxs.into_iter().chain(rest.copied()).fold(hi, T::max);
    (min, max)
}

/// Run `f` on consecutive row ranges of [`CHUNK`] rows, in parallel when the
/// `parallel` feature is on; results in row order.
fn for_chunks<T: Send>(n: usize, f: impl Fn(Range<usize>) -> T + Sync + Send) -> Vec<T> {
    par_map(
        (0..n.div_ceil(CHUNK))
            .map(|i| i * CHUNK..n.min((i + 1) * CHUNK))
            .collect(),
        f,
    )
}

/// Start loading `state[i]` into the cache without waiting for it.
///
/// On x86_64 a software prefetch (`prefetcht0`): it retires at once, so a
/// block of [`TransactionLog::visit`] keeps all its loads in flight. (A
/// plain load, kept by `black_box`, must complete before it retires, so a
/// block's loads soon fill the reorder window and stall: the summary pass
/// of a 10⁷-row log took 2.3 times as long that way.) Elsewhere, that plain
/// load.
#[inline(always)]
fn prefetch<S: Copy>(state: &[S], i: usize) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = state.as_ptr().wrapping_add(i).cast::<i8>();
        // SAFETY: a prefetch is only a hint. It never faults, whatever the
        // address, and is not a memory access in the sense of Rust's
        // memory model; the intrinsic is `unsafe` only because it needs the
        // `sse` target feature, which every x86_64 CPU has.
        #[allow(unsafe_code)]
        unsafe {
            _mm_prefetch::<_MM_HINT_T0>(p);
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    std::hint::black_box(state[i]);
}

/// Rows per block of [`TransactionLog::visit`]: enough prefetches in flight
/// to hide memory latency, few enough that the block's states stay in the
/// first-level cache (128 × 16 bytes for the summary). On the 10⁷-row peer
/// log the summary pass took, single-threaded: 32 rows 0.26–0.27 s, 64 rows
/// 0.17–0.21 s, 128 to 512 rows 0.15–0.21 s (noisy, shared machine).
const BLOCK: usize = 128;

/// Rows per chunk of the scan in [`TransactionLog::visit`].
const SCAN: usize = 512;

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

#[cfg(feature = "parallel")]
pub(crate) fn threads() -> usize {
    rayon::current_num_threads()
}

#[cfg(not(feature = "parallel"))]
pub(crate) fn threads() -> usize {
    1
}

#[inline]
#[allow(clippy::cast_possible_truncation)] // ok: id − base < number of slots, which fits in usize
fn offset_slot(id: u64, base: u64) -> usize {
    id.wrapping_sub(base) as usize
}

impl Slots {
    fn build(ids: &[u64], lo: u64, hi: u64) -> Slots {
        let range = hi - lo; // ids is non-empty, so lo <= hi
                             // Dense ids (the common case: auto-increment keys, or ids mapped at a
                             // binding edge) index per-customer arrays directly; we accept up to
                             // about two unused slots per row.
        let limit = (ids.len() as u64).saturating_mul(2).saturating_add(1024);
        if range < limit {
            #[allow(clippy::cast_possible_truncation)] // ok: range < 2 * len + 1024 fits in usize
            return Slots::Offset {
                base: lo,
                len: range as usize + 1,
            };
        }
        let mut table = IdTable::with_capacity(1024);
        let mut of_row = Vec::with_capacity(ids.len());
        let mut slot_ids = Vec::new();
        for &id in ids {
            let next = u32::try_from(slot_ids.len()).unwrap_or(u32::MAX); // ok: rows <= u32::MAX
            let s = table.get_or_insert(id, next);
            if s == next {
                slot_ids.push(id);
            }
            of_row.push(s);
        }
        Slots::Mapped {
            of_row,
            ids: slot_ids,
        }
    }
}

/// Open-addressing id → slot table with a multiplicative hash; much faster
/// than SipHash for the 10⁷ lookups of a large log.
struct IdTable {
    keys: Vec<u64>,
    vals: Vec<u32>,
    len: usize,
    shift: u32,
}

const EMPTY: u32 = u32::MAX;

impl IdTable {
    fn with_capacity(cap: usize) -> Self {
        let cap = cap.next_power_of_two().max(16);
        Self {
            keys: vec![0; cap],
            vals: vec![EMPTY; cap],
            len: 0,
            shift: 64 - cap.trailing_zeros(),
        }
    }

    #[inline]
    #[allow(clippy::cast_possible_truncation)] // ok: the shifted hash is below the table size
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    fn get_or_insert(&mut self, key: u64, val: u32) -> u32 {
        if (self.len + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        let mut i = self.home(key);
        loop {
            if self.vals[i] == EMPTY {
                self.keys[i] = key;
                self.vals[i] = val;
                self.len += 1;
                return val;
            }
            if self.keys[i] == key {
                return self.vals[i];
            }
            i = (i + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let mut bigger = IdTable::with_capacity(self.keys.len() * 2);
        for (k, v) in self.keys.iter().zip(&self.vals) {
            if *v != EMPTY {
                bigger.get_or_insert(*k, *v);
            }
        }
        *self = bigger;
    }
}

/// Stable permutation of row indices by day: counting sort when the day range
/// is small relative to the rows, a stable comparison sort otherwise.
fn sort_by_day(days: &[i32], lo: i32, hi: i32) -> Vec<u32> {
    let n = days.len();
    let range = usize::try_from(i64::from(hi) - i64::from(lo) + 1).unwrap_or(usize::MAX);
    let all = || (0..n).map(|r| u32::try_from(r).unwrap_or(u32::MAX)); // ok: n <= MAX_ROWS
    if range <= n.saturating_mul(4).saturating_add(1 << 16) {
        let key = |d: i32| usize::try_from(d - lo).unwrap_or(0); // ok: lo <= d <= hi
        let mut start = vec![0usize; range + 1];
        for &d in days {
            start[key(d) + 1] += 1;
        }
        for i in 1..start.len() {
            start[i] += start[i - 1];
        }
        let mut out = vec![0u32; n];
        for (r, &d) in all().zip(days) {
            let k = key(d);
            out[start[k]] = r;
            start[k] += 1;
        }
        out
    } else {
        let mut out: Vec<u32> = all().collect();
        out.sort_by_key(|&r| days[r as usize]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_inputs_name_the_column_and_row() {
        let ids = [1u64, 2, 3];
        let days = [0, 1, 2];
        let cases: Vec<(Result<TransactionLog<'_>>, Error)> = vec![
            (TransactionLog::new(&[], &[], None), Error::Empty { what: "transaction log" }),
            (
                TransactionLog::new(&ids, &days[..2], None),
                Error::LengthMismatch { column: "date", expected: 3, got: 2 },
            ),
            (
                TransactionLog::new(&ids, &days, Some(&[1.0, 2.0])),
                Error::LengthMismatch { column: "amount", expected: 3, got: 2 },
            ),
            (
                TransactionLog::new(&ids, &[0, MAX_DAY + 1, 0], None),
                Error::InvalidValue {
                    column: "date",
                    row: 1,
                    reason: "day 2932897 is outside 0001-01-01..=9999-12-31 (-719162..=2932896 days since 1970-01-01)"
                        .into(),
                },
            ),
            (
                TransactionLog::new(&ids, &days, Some(&[1.0, 2.0, -0.5])),
                Error::InvalidValue {
                    column: "amount",
                    row: 2,
                    reason: "negative amount -0.5 (refunds must be netted before building the log)".into(),
                },
            ),
            (
                TransactionLog::new(&ids, &days, Some(&[f64::INFINITY, 2.0, 1.0])),
                Error::InvalidValue { column: "amount", row: 0, reason: "inf is not a finite amount".into() },
            ),
            (
                TransactionLog::new(&ids, &days, Some(&[0.0, f64::NAN, 1.0])),
                Error::InvalidValue { column: "amount", row: 1, reason: "NaN is not an amount".into() },
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got.unwrap_err(), want);
        }
    }

    #[test]
    fn sparse_ids_are_hashed_and_unsorted_days_get_an_order() {
        let ids = [u64::MAX, 5, u64::MAX, 1 << 40];
        let days = [3, 1, 2, 1];
        let log = TransactionLog::new(&ids, &days, None).unwrap();
        assert!(!log.slots_in_id_order());
        assert_eq!(log.num_customers(), 3);
        let mut seen = Vec::new();
        let mut slots: Vec<usize> = (0..log.num_slots()).collect();
        log.visit(
            0..log.len(),
            0..log.num_slots(),
            &mut slots,
            |&mut s, d, _| seen.push((log.slot_id(s), d)),
        );
        assert_eq!(
            seen,
            vec![(5, 1), (1 << 40, 1), (u64::MAX, 2), (u64::MAX, 3)]
        );
        assert_eq!(log.rows_before(2), 2);
    }

    #[test]
    fn signed_ids_are_checked_in_the_validation_pass() {
        // Three chunks of rows; the first negative id in the last one, a bad
        // date and a NaN amount after it: the id is reported, at its row.
        let n = 2 * CHUNK + 10;
        let mut ids: Vec<i64> = (0..i64::try_from(n).unwrap()).collect();
        ids[2 * CHUNK + 3] = -7;
        ids[2 * CHUNK + 5] = i64::MIN;
        let mut days = vec![0; n];
        days[2 * CHUNK + 8] = MAX_DAY + 1;
        let mut amounts = vec![1.0; n];
        amounts[n - 1] = f64::NAN;
        assert_eq!(
            TransactionLog::with_signed_ids(&ids, &days, Some(&amounts)).unwrap_err(),
            Error::InvalidValue {
                column: "customer_id",
                row: 2 * CHUNK + 3,
                reason: "negative id -7".into()
            }
        );
        // Without negatives: the same log as from the u64 values, i64::MAX
        // included (a valid id, the largest).
        ids[2 * CHUNK + 3] = 3;
        ids[2 * CHUNK + 5] = i64::MAX;
        days[2 * CHUNK + 8] = 0;
        amounts[n - 1] = 1.0;
        let log = TransactionLog::with_signed_ids(&ids, &days, Some(&amounts)).unwrap();
        let unsigned: Vec<u64> = ids.iter().map(|&i| i.unsigned_abs()).collect();
        assert_eq!(log.ids(), &unsigned[..]);
        // Ids 0..n with 3 twice and one id replaced by i64::MAX: n − 1 customers.
        assert_eq!(log.num_customers(), n - 1);
        // Errors before the values keep their order: lengths first.
        assert_eq!(
            TransactionLog::with_signed_ids(&[-1, 2], &[0], None).unwrap_err(),
            Error::LengthMismatch {
                column: "date",
                expected: 2,
                got: 1
            }
        );
    }

    #[test]
    fn min_max_in_every_lane_and_the_remainder() {
        assert_eq!(min_max::<u64>(&[], 7, 3), (7, 3));
        // Lengths around the four lanes, the extremes at every position.
        for len in 1..=11usize {
            for at in 0..len {
                let mut xs: Vec<u64> = (0..len).map(|i| 100 + (i % 3) as u64).collect();
                xs[at] = 5;
                assert_eq!(min_max(&xs, u64::MAX, 0).0, 5, "min {len} {at}");
                xs[at] = u64::MAX;
                assert_eq!(min_max(&xs, u64::MAX, 0).1, u64::MAX, "max {len} {at}");
            }
        }
        // Unsorted days take the folds, sorted ones their ends.
        let c = ChunkStats::of(&[1, 2, 3], &[5, -3, 9], None);
        assert_eq!((c.sorted, c.day_min, c.day_max), (false, -3, 9));
        let c = ChunkStats::of(&[9, 2, 3], &[-3, 5, 5], None);
        assert_eq!(
            (c.sorted, c.day_min, c.day_max, c.id_min, c.id_max),
            (true, -3, 5, 2, 9)
        );
    }

    #[test]
    fn id_table_grows_and_keeps_every_key() {
        let mut t = IdTable::with_capacity(16);
        for k in 0..10_000u32 {
            assert_eq!(t.get_or_insert(u64::from(k) * 7_919, k), k);
        }
        for k in 0..10_000u32 {
            assert_eq!(t.get_or_insert(u64::from(k) * 7_919, EMPTY - 1), k);
        }
    }

    #[test]
    fn wide_day_ranges_use_the_comparison_sort() {
        let days = [MAX_DAY, MIN_DAY, 0, MIN_DAY];
        assert_eq!(sort_by_day(&days, MIN_DAY, MAX_DAY), vec![1, 3, 2, 0]);
    }
}
