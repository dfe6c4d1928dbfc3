//! Per-customer passes over a transaction log, split by customer range.
//!
//! Each worker thread owns a contiguous range of customer slots with its
//! state, scans the rows in date order and updates only its own customers
//! ([`TransactionLog::visit`] loads state in blocks so cache misses overlap).
//! Tried and dropped: copying the rows into buckets of 2^14 customers first,
//! so each bucket's state stays in cache; on 10⁷ rows the copy (16 bytes a
//! row, plus page faults on a fresh 160 MB buffer) cost as much as it saved.
//! Also dropped (2026-12-04, same log): two or more parts per thread, so
//! each part's state fits the shared 32 MB L3 better: every extra scan of
//! the rows cost more than the cache saved (summary 153–253 ms with one part
//! per thread, 226–406 ms with two); and transparent huge pages for the
//! state (`madvise`): at most 10 % in the noise, and first-touching fresh
//! huge pages was slower on this VM.

use std::ops::Range;

use crate::log::{par_map, threads, TransactionLog};

/// Below this many rows one thread is faster than several.
const PARALLEL_MIN_ROWS: usize = 1 << 16;

/// One customer range of a pass: its slots and the way to visit its rows.
pub(crate) struct Part<'p, 'a> {
    /// Slots (dense customer numbers) of this part.
    pub(crate) slots: Range<usize>,
    rows: PartRows<'p, 'a>,
}

enum PartRows<'p, 'a> {
    /// Scan the log rows, keeping those of this part's customers.
    Scan {
        log: &'p TransactionLog<'a>,
        rows: Range<usize>,
    },
}

impl Part<'_, '_> {
    /// Call `f(&mut state[slot − slots.start], day, amount)` for every row of
    /// the part; each customer's rows in date order. `state` must hold one
    /// entry per slot of the part.
    pub(crate) fn visit<S: Copy>(&self, state: &mut [S], f: impl FnMut(&mut S, i32, f64)) {
        let PartRows::Scan { log, rows } = &self.rows;
        log.visit(rows.clone(), self.slots.clone(), state, f);
    }
}

/// Run `f` on every customer part of the rows at positions `rows` of the
/// date order; results in slot order. Parts run in parallel when the
/// `parallel` feature is on.
pub(crate) fn per_part<T: Send>(
    log: &TransactionLog<'_>,
    rows: Range<usize>,
    f: impl Fn(&Part<'_, '_>) -> T + Sync + Send,
) -> Vec<T> {
    let slots = log.num_slots();
    let parts = if rows.len() < PARALLEL_MIN_ROWS {
        1
    } else {
        threads().clamp(1, 64).min(slots.max(1))
    };
    let jobs = (0..parts)
        .map(|i| Part {
            slots: slots * i / parts..slots * (i + 1) / parts,
            rows: PartRows::Scan {
                log,
                rows: rows.clone(),
            },
        })
        .collect();
    par_map(jobs, |part| f(&part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_see_every_row_once_in_date_order_per_customer() {
        // 100,000 rows over 40,000 customers: one part per thread.
        let n = 100_000u32;
        let ids: Vec<u64> = (0..n).map(|i| u64::from(i * 7 % 40_000)).collect();
        let days: Vec<i32> = (0..n).map(|i| i32::try_from(i / 10).unwrap()).collect();
        let amounts: Vec<f64> = (0..n).map(f64::from).collect();
        let log = TransactionLog::new(&ids, &days, Some(&amounts)).unwrap();
        let parts = per_part(&log, 0..log.len(), |part| {
            let mut st = vec![(0u32, i32::MIN, 0f64, true); part.slots.len()];
            part.visit(&mut st, |c, d, a| {
                c.3 &= d >= c.1;
                *c = (c.0 + 1, d, c.2 + a, c.3);
            });
            st
        });
        let all: Vec<_> = parts.into_iter().flatten().collect();
        assert_eq!(
            all.iter().map(|c| u64::from(c.0)).sum::<u64>(),
            u64::from(n)
        );
        assert!(
            all.iter().all(|c| c.3),
            "a customer's rows came out of date order"
        );
        // Customer 0 gets rows i with 7i = 0 mod 40,000: i = 0, 40,000, 80,000.
        assert_eq!(all[0].0, 3);
        assert_eq!(all[0].2, 120_000.0);
    }
}
