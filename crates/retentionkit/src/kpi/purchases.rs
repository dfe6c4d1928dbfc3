//! Purchase-count histograms: how many customers placed exactly `n` orders.

use super::add;
#[cfg(doc)]
use crate::error::Error;
use crate::error::{invalid_arg, ratio, Result};
use crate::log::TransactionLog;

/// How many customers placed exactly `n` orders, for every `n` (all time).
///
/// Mergeable across customer-disjoint parts by adding.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PurchaseCounts {
    /// `customers[n]` = customers with exactly `n` orders (index 0 is always 0).
    pub customers: Vec<u64>,
}

/// Count each customer's orders (rows) over the whole log.
///
/// # Examples
/// ```
/// use retentionkit::{kpi::purchase_counts, TransactionLog};
/// // Customer 1: 3 orders, customer 2: 1, customer 3: 2.
/// let log = TransactionLog::new(&[1, 2, 1, 3, 1, 3], &[0, 0, 1, 2, 3, 4], None)?;
/// let pc = purchase_counts(&log);
/// assert_eq!(pc.customers, [0, 1, 1, 1]);
/// assert_eq!(pc.repeat_customer_rate()?, 2.0 / 3.0);
/// assert_eq!(pc.repeat_purchase_probability(2)?, 0.5); // ≥ 3 orders / ≥ 2 orders
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn purchase_counts(log: &TransactionLog<'_>) -> PurchaseCounts {
    let parts = crate::parts::per_part(log, 0..log.len(), |part| {
        let mut n = vec![0u32; part.slots.len()];
        part.visit(&mut n, |k, _, _| {
            *k = k.saturating_add(1);
        });
        let mut hist = vec![0u64; 2];
        for &k in &n {
            let k = k as usize;
            if k >= hist.len() {
                hist.resize(k + 1, 0);
            }
            hist[k] += 1;
        }
        hist
    });
    let mut out = PurchaseCounts::default();
    for h in parts {
        out.add(&h);
    }
    if let Some(z) = out.customers.first_mut() {
        *z = 0; // unused slots, not customers
    }
    out
}

impl PurchaseCounts {
    fn add(&mut self, hist: &[u64]) {
        if hist.len() > self.customers.len() {
            self.customers.resize(hist.len(), 0);
        }
        add(&mut self.customers, hist);
    }

    /// Customers with at least `n` orders.
    pub fn at_least(&self, n: usize) -> u64 {
        self.customers.iter().skip(n.max(1)).sum()
    }

    /// Repeat purchase probability after the `n`-th order.
    ///
    /// # Formula
    /// $$ P(n) = \frac{\\#\\{\ge n+1 \text{ orders}\\}}{\\#\\{\ge n \text{ orders}\\}} $$
    /// Source: docs/metrics.md, "Order metrics: orders, revenue, AOV, frequency, repeat rates".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for `n = 0`; [`Error::ZeroDenominator`] when
    /// nobody placed `n` orders.
    pub fn repeat_purchase_probability(&self, n: usize) -> Result<f64> {
        if n == 0 {
            return Err(invalid_arg("n", "the purchase count starts at 1"));
        }
        ratio(
            self.at_least(n + 1) as f64,
            self.at_least(n) as f64,
            "customers with at least n orders",
        )
    }

    /// All-time repeat customer rate, $P(1)$.
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when there are no customers.
    pub fn repeat_customer_rate(&self) -> Result<f64> {
        self.repeat_purchase_probability(1)
    }

    /// Merge histograms of customer-disjoint parts.
    pub fn merge(parts: &[PurchaseCounts]) -> PurchaseCounts {
        let mut out = PurchaseCounts::default();
        for p in parts {
            out.add(&p.customers);
        }
        out
    }
}
