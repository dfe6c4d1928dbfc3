//! The passes over the rows in date order: each row with its customer slot,
//! and the visit of per-customer state in blocks, loads prefetched.

use std::ops::Range;

use super::slots::{offset_slot, Slots};
use super::TransactionLog;

impl TransactionLog<'_> {
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
