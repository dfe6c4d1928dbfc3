//! The date order: the rows by day, stable, without reordering the input
//! (a permutation, kept only when the rows are not already date-sorted), and
//! its split into parallel parts at day boundaries.

use std::ops::Range;

use super::{par_map, threads, TransactionLog};

impl TransactionLog<'_> {
    /// Number of rows, in date order, whose day is before `limit`.
    pub(crate) fn rows_before(&self, limit: i32) -> usize {
        let days = self.days();
        match &self.order {
            None => days.partition_point(|&d| d < limit),
            Some(order) => order.partition_point(|&r| days[r as usize] < limit),
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

/// Stable permutation of row indices by day: counting sort when the day range
/// is small relative to the rows, a stable comparison sort otherwise.
pub(super) fn sort_by_day(days: &[i32], lo: i32, hi: i32) -> Vec<u32> {
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
