//! The compressed summary: customers grouped by equal $(x, t_x, T)$.

use super::TimeUnit;
use crate::error::{Error, Result};

/// Customers grouped by equal $(x, t_x, T)$, with the number of customers in
/// each group, sorted by $(x, t_x, T)$. Recency and age are kept in whole days
/// so that groups merge exactly.
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct CompressedSummary {
    /// Repeat purchase days $x$.
    pub frequency: Vec<u32>,
    /// Recency in days.
    pub recency_days: Vec<i32>,
    /// Age $T$ in days.
    pub age_days: Vec<i32>,
    /// Number of customers with this $(x, t_x, T)$.
    pub count: Vec<u64>,
    /// Unit of [`CompressedSummary::recency`] and [`CompressedSummary::age`].
    pub unit: TimeUnit,
}

impl CompressedSummary {
    pub(super) fn push_or_add(&mut self, (x, r, t): (u32, i32, i32), n: u64) {
        let last = self.count.len().checked_sub(1);
        if let Some(i) = last {
            if (self.frequency[i], self.recency_days[i], self.age_days[i]) == (x, r, t) {
                self.count[i] += n;
                return;
            }
        }
        self.frequency.push(x);
        self.recency_days.push(r);
        self.age_days.push(t);
        self.count.push(n);
    }

    /// Number of distinct rows.
    pub fn len(&self) -> usize {
        self.count.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.count.is_empty()
    }

    /// Total number of customers.
    pub fn customers(&self) -> u64 {
        self.count.iter().sum()
    }

    /// Recency $t_x$ in the table's unit.
    pub fn recency(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.recency_days
            .iter()
            .map(|&d| f64::from(d) / u)
            .collect()
    }

    /// Age $T$ in the table's unit.
    pub fn age(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.age_days.iter().map(|&d| f64::from(d) / u).collect()
    }

    /// Merge tables of customer-disjoint parts by adding the counts of equal rows.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the units differ; [`Error::Empty`] for no parts.
    pub fn merge(parts: &[CompressedSummary]) -> Result<CompressedSummary> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of compressed summaries to merge",
        })?;
        if parts.iter().any(|p| p.unit != first.unit) {
            return Err(Error::Incompatible {
                reason: "compressed summaries have different units".into(),
            });
        }
        let mut rows: Vec<((u32, i32, i32), u64)> = parts
            .iter()
            .flat_map(|p| {
                (0..p.len()).map(|i| {
                    (
                        (p.frequency[i], p.recency_days[i], p.age_days[i]),
                        p.count[i],
                    )
                })
            })
            .collect();
        rows.sort_unstable_by_key(|r| r.0);
        let mut out = CompressedSummary {
            unit: first.unit,
            ..CompressedSummary::default()
        };
        for (k, n) in rows {
            out.push_or_add(k, n);
        }
        Ok(out)
    }
}
