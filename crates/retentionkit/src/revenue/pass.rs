//! The one pass over the customers behind [`mrr_movements`](super::mrr_movements)
//! and [`mrr_series`](super::mrr_series).

use std::ops::Range;

use super::movements::MrrMovements;
use super::{sum_sorted, SubscriptionLog};
use crate::log::par_map;
use crate::period::Period;

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
pub(super) fn pass(log: &SubscriptionLog, b: &[i32]) -> Vec<MrrMovements> {
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
        // The first start of a paid subscription: free plans do not make a
        // later first payment a reactivation.
        let first_start = subs
            .iter()
            .filter(|s| s.mrr > 0.0)
            .map(|s| s.start)
            .min()
            .unwrap_or(i32::MAX);
        // Boundaries j >= had_before have a paid subscription starting before b[j].
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
