//! The compressed summaries: customers grouped by equal $(x, t_x, T)$, the
//! input of the repeat-purchase models, or by equal $(x, m)$, the input of
//! the Gamma-Gamma spend model.

use super::TimeUnit;
use crate::error::{check_length, Error, Result};

/// Customers grouped by equal $(x, t_x, T)$, with the number of customers in
/// each group, sorted by $(x, t_x, T)$. Recency and age are kept in whole days
/// so that groups merge exactly.
///
/// Deserialization runs [`CompressedSummary::validate`].
///
/// # Examples
/// ```
/// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
/// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
/// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
/// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
/// // (x, t_x, T) = (0, 0, 7 days) twice, (2, 21, 21) once.
/// assert_eq!((c.frequency.clone(), c.recency_days.clone(), c.age_days.clone()), (vec![0, 2], vec![0, 21], vec![7, 21]));
/// assert_eq!(c.count, [2, 1]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CompressedSummaryRaw"))]
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

checked_serde!(CompressedSummary by validate, CompressedSummaryRaw {
    frequency: Vec<u32>,
    recency_days: Vec<i32>,
    age_days: Vec<i32>,
    count: Vec<u64>,
    unit: TimeUnit,
});

impl CompressedSummary {
    /// Names of the grouped columns $x$, $t_x$, $T$, lifetimes' names (those
    /// of [`SummaryColumns::names`](super::SummaryColumns::names)); the
    /// number of customers of a row is its `count`.
    pub const COLUMNS: [&'static str; 3] = [
        super::COLUMN_NAMES[0],
        super::COLUMN_NAMES[1],
        super::COLUMN_NAMES[2],
    ];

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

    /// Check that every column has one value per row (the length of
    /// `count`), which [`merge`](Self::merge) and the models rely on.
    /// Deserialization and [`merge`](Self::merge) run it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming the first column whose length is not
    /// that of `count`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// let mut bad = c.clone();
    /// assert!(bad.validate().is_ok());
    /// bad.count.pop();
    /// assert!(bad.validate().is_err()); // a count per row
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let n = self.len();
        check_length("frequency", n, self.frequency.len())?;
        check_length("recency_days", n, self.recency_days.len())?;
        check_length("age_days", n, self.age_days.len())
    }

    /// Number of distinct rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// assert_eq!(c.len(), 2); // rows, not customers
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.count.len()
    }

    /// Whether the table has no rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// assert!(!c.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.count.is_empty()
    }

    /// Total number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// assert_eq!(c.customers(), 3); // 2 + 1
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customers(&self) -> u64 {
        self.count.iter().sum()
    }

    /// Recency $t_x$ in the table's unit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// assert_eq!(c.recency(), [0.0, 3.0]); // weeks
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn recency(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.recency_days
            .iter()
            .map(|&d| f64::from(d) / u)
            .collect()
    }

    /// Age $T$ in the table's unit.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// assert_eq!(c.age(), [1.0, 3.0]); // weeks
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn age(&self) -> Vec<f64> {
        let u = self.unit.days();
        self.age_days.iter().map(|&d| f64::from(d) / u).collect()
    }

    /// Merge tables of customer-disjoint parts by adding the counts of equal rows.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the units differ; [`Error::Empty`] for no
    /// parts; [`Error::LengthMismatch`] for a part that fails
    /// [`validate`](Self::validate).
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSummary, SummaryOptions, TimeUnit}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21; customers 2 and 3 once each, on day 14.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default().with_unit(TimeUnit::Weeks))?.compress();
    /// // Partitioned by customer, observed to the same day: the counts add up.
    /// let o = SummaryOptions::default().with_unit(TimeUnit::Weeks).with_observation_end(21);
    /// let a = TransactionLog::new(&[1, 1, 1, 2], &[0, 7, 21, 14], None)?;
    /// let b = TransactionLog::new(&[3], &[14], None)?;
    /// let parts = [summary(&a, &o)?.compress(), summary(&b, &o)?.compress()];
    /// assert_eq!(CompressedSummary::merge(&parts)?, c);
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[CompressedSummary]) -> Result<CompressedSummary> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of compressed summaries to merge",
        })?;
        for p in parts {
            p.validate()?;
        }
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

/// Customers grouped by equal $(x, m)$, repeat purchase days and mean spend
/// of the repeat days (as in [`Summary`](super::Summary)), with the number
/// of customers in each group, sorted by $(x, m)$: the weighted rows the
/// Gamma-Gamma spend model fits on
/// ([`SpendData::from_compressed`](crate::models::gamma_gamma::SpendData::from_compressed)).
/// Made by [`Summary::compress_spend`](super::Summary::compress_spend).
///
/// Mean spends are grouped when they are equal as numbers: those of one log
/// come from the same computation, so equal spends are equal to the bit.
///
/// # Examples
/// ```
/// use retentionkit::summary::{summary, CompressedSpend, SummaryOptions};
/// use retentionkit::TransactionLog;
/// // Customers 1 and 2 buy on days 0 and 5 for 10 then 30; customer 3 once.
/// let log = TransactionLog::new(&[1, 2, 1, 2, 3], &[0, 0, 5, 5, 2], Some(&[10.0, 10.0, 30.0, 30.0, 8.0]))?;
/// let s = summary(&log, &SummaryOptions::default())?;
/// let c = s.compress_spend()?;
/// assert_eq!(CompressedSpend::COLUMNS, ["frequency", "monetary_value"]);
/// assert_eq!(c.frequency, [0, 1]);
/// assert_eq!(c.monetary_value, [0.0, 30.0]); // no repeat day; the one repeat day's 30
/// assert_eq!(c.count, [1, 2]);
/// // Tables of customer-disjoint parts add their counts (docs/metrics.md, section 17,
/// // "Merging partial results").
/// assert_eq!(CompressedSpend::merge(&[c.clone(), c])?.count, [2, 4]);
/// # Ok::<(), retentionkit::Error>(())
/// ```
///
/// Deserialization runs [`CompressedSpend::validate`].
#[derive(Debug, Clone, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "CompressedSpendRaw"))]
pub struct CompressedSpend {
    /// Repeat purchase days $x$.
    pub frequency: Vec<u32>,
    /// Mean spend of the repeat purchase days $m$ (0 when $x = 0$).
    pub monetary_value: Vec<f64>,
    /// Number of customers with this $(x, m)$.
    pub count: Vec<u64>,
}

checked_serde!(CompressedSpend by validate, CompressedSpendRaw {
    frequency: Vec<u32>,
    monetary_value: Vec<f64>,
    count: Vec<u64>,
});

impl CompressedSpend {
    /// Names of the grouped columns $x$, $m$, lifetimes' names (those of
    /// [`SummaryColumns::names`](super::SummaryColumns::names)); the number
    /// of customers of a row is its `count`.
    pub const COLUMNS: [&'static str; 2] = [super::COLUMN_NAMES[0], super::COLUMN_NAMES[3]];

    /// The table of `(x, m)` rows with their counts, grouping equal rows.
    pub(super) fn from_rows(mut rows: Vec<((u32, f64), u64)>) -> Self {
        rows.sort_unstable_by(|a, b| a.0 .0.cmp(&b.0 .0).then(a.0 .1.total_cmp(&b.0 .1)));
        let mut out = Self::default();
        for ((x, m), n) in rows {
            let same = out.frequency.last() == Some(&x) && out.monetary_value.last() == Some(&m);
            match out.count.last_mut() {
                Some(c) if same => *c += n,
                _ => {
                    out.frequency.push(x);
                    out.monetary_value.push(m);
                    out.count.push(n);
                }
            }
        }
        out
    }

    /// Check that every column has one value per row (the length of
    /// `count`), which [`merge`](Self::merge) and the spend model rely on.
    /// Deserialization and [`merge`](Self::merge) run it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] naming the first column whose length is not
    /// that of `count`.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSpend, SummaryOptions}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customers 2 and 3 once each.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default())?.compress_spend()?;
    /// let mut bad = c.clone();
    /// assert!(bad.validate().is_ok());
    /// bad.monetary_value.push(1.0);
    /// assert!(bad.validate().is_err());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn validate(&self) -> Result<()> {
        let n = self.len();
        check_length("frequency", n, self.frequency.len())?;
        check_length("monetary_value", n, self.monetary_value.len())
    }

    /// Number of distinct rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSpend, SummaryOptions}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customers 2 and 3 once each.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default())?.compress_spend()?;
    /// assert_eq!(c.len(), 2); // (0, 0) and (2, 30)
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn len(&self) -> usize {
        self.count.len()
    }

    /// Whether the table has no rows.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSpend, SummaryOptions}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customers 2 and 3 once each.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default())?.compress_spend()?;
    /// assert!(!c.is_empty());
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.count.is_empty()
    }

    /// Total number of customers.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::{summary::{summary, CompressedSpend, SummaryOptions}, TransactionLog};
    /// // Customer 1 buys on days 0, 7 and 21 (10, 20, 40); customers 2 and 3 once each.
    /// let log = TransactionLog::new(&[1, 1, 1, 2, 3], &[0, 7, 21, 14, 14], Some(&[10.0, 20.0, 40.0, 5.0, 5.0]))?;
    /// let c = summary(&log, &SummaryOptions::default())?.compress_spend()?;
    /// assert_eq!((c.count.clone(), c.customers()), (vec![2, 1], 3));
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn customers(&self) -> u64 {
        self.count.iter().sum()
    }

    /// Merge tables of customer-disjoint parts by adding the counts of equal
    /// rows (docs/metrics.md, section 17, "Merging partial results").
    ///
    /// # Errors
    /// [`Error::Empty`] for no parts; [`Error::LengthMismatch`] for a part
    /// that fails [`validate`](Self::validate).
    pub fn merge(parts: &[CompressedSpend]) -> Result<CompressedSpend> {
        if parts.is_empty() {
            return Err(Error::Empty {
                what: "list of compressed spend tables to merge",
            });
        }
        for p in parts {
            p.validate()?;
        }
        let rows = parts
            .iter()
            .flat_map(|p| (0..p.len()).map(|i| ((p.frequency[i], p.monetary_value[i]), p.count[i])))
            .collect();
        Ok(Self::from_rows(rows))
    }
}
