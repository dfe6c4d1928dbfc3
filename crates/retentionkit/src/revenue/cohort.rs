//! Subscription cohorts: customers and MRR by month since the first subscription.

use super::SubscriptionLog;
use crate::error::{check_length, ratio, Error, Result};
use crate::period::{check_day, Granularity};

/// The largest number of cells (cohorts × months) a matrix may hold.
pub const MAX_CELLS: usize = 10_000_000;

/// One cohort of [`SubscriptionCohorts`].
///
/// Deserialization runs [`SubscriptionCohortRow::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "SubscriptionCohortRowRaw"))]
pub struct SubscriptionCohortRow {
    /// The cohort's month number ([`Granularity::Month`]`.index`: `year * 12 + month − 1`).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub cohort: i32,
    /// The cohort's month as `YYYY-MM`.
    pub label: String,
    /// Customers whose first subscription starts in the cohort month.
    pub size: u64,
    /// Cell `k`: customers of the cohort active at any moment of the `k`-th
    /// month after the cohort month (`None` when that month is not fully observed).
    pub active: Vec<Option<u64>>,
    /// Cell `k`: the cohort's MRR on the last day of the `k`-th month after
    /// the cohort month (`None` when that month is not fully observed).
    pub mrr: Vec<Option<f64>>,
}

checked_serde!(SubscriptionCohortRow by validate, SubscriptionCohortRowRaw {
    #[serde(with = "crate::period::iso_day")]
    cohort: i32,
    label: String,
    size: u64,
    active: Vec<Option<u64>>,
    mrr: Vec<Option<f64>>,
});

impl SubscriptionCohortRow {
    /// Check that `active` and `mrr` have one cell per month (the same
    /// length). Deserialization runs it.
    ///
    /// # Errors
    /// [`Error::LengthMismatch`] (column `mrr`) when the lengths differ.
    pub fn validate(&self) -> Result<()> {
        check_length("mrr", self.active.len(), self.mrr.len())
    }
}

impl SubscriptionCohortRow {
    /// Customer retention of month `k`: active customers / cohort size.
    ///
    /// # Formula
    /// $$ \frac{\text{active}_k}{\text{size}} $$
    /// Source: docs/metrics.md, "Subscription cohorts".
    ///
    /// # Errors
    /// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when cell `k`
    /// is absent (beyond the matrix or not fully observed).
    pub fn retention(&self, k: usize) -> Result<f64> {
        let a = self
            .active
            .get(k)
            .copied()
            .flatten()
            .ok_or_else(|| absent(k))?;
        ratio(a as f64, self.size as f64, "cohort size")
    }

    /// Revenue retention of month `k`: MRR at the end of month `k` over MRR
    /// at the end of month 0.
    ///
    /// # Formula
    /// $$ \frac{\mathrm{MRR}(\text{end of month } k)}{\mathrm{MRR}(\text{end of month } 0)} $$
    /// Source: docs/metrics.md, "Subscription cohorts".
    ///
    /// # Errors
    /// [`Error::ZeroDenominator`] when the cohort's MRR at the end of month 0
    /// is 0; [`Error::InvalidArgument`](crate::Error::InvalidArgument) when cell `k` or 0 is absent.
    pub fn mrr_retention(&self, k: usize) -> Result<f64> {
        let m = self
            .mrr
            .get(k)
            .copied()
            .flatten()
            .ok_or_else(|| absent(k))?;
        let m0 = self
            .mrr
            .first()
            .copied()
            .flatten()
            .ok_or_else(|| absent(0))?;
        ratio(m, m0, "cohort MRR at the end of month 0")
    }
}

fn absent(k: usize) -> Error {
    crate::error::invalid_arg("k", format!("cell {k} is not (fully) observed"))
}

/// Subscription cohort matrices: rows = cohorts (calendar month of the
/// customer's first subscription start), columns = months since.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct SubscriptionCohorts {
    /// The last observed day (inclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// Cohorts in time order (months without a new customer are left out).
    pub rows: Vec<SubscriptionCohortRow>,
}

/// Subscription cohort matrices up to an observation end.
///
/// # Formula
/// Cohort of a customer = calendar month $c$ of their first subscription
/// start. For $k \ge 0$, with month $c + k = [f_k, l_k]$ (first and last day):
/// - active cell: $|\\{\text{customer} : \exists i,\ \mathrm{start}_i \le l_k \wedge \mathrm{end}_i > f_k\\}|$,
///   customers with a subscription covering any day of the month;
/// - MRR cell: $\sum \mathrm{mrr}_i$ over the cohort's subscriptions covering $l_k$
///   (MRR at the end of the month, "at the instant").
///
/// A cell is present only when its whole month lies on or before
/// `observation_end`; a partly observed month is absent (`None`), not 0 and
/// not a partial count. Customers whose first subscription starts after
/// `observation_end` are left out. MRR cells are sums in a fixed order, exact
/// for whole-cent amounts (see the module docs).
/// Source: docs/metrics.md, "Subscription cohorts".
///
/// # Errors
/// [`Error::InvalidArgument`](crate::Error::InvalidArgument) when
/// `observation_end` is outside the supported dates;
/// [`Error::TooLarge`] above [`MAX_CELLS`] cells.
///
/// # Examples
/// ```
/// use retentionkit::{period::day, revenue::{subscription_cohorts, SubscriptionLog}};
/// // January cohort: 1 pays 10 from 10 Jan to 15 Feb, then 30 from 1 Mar;
/// // 2 pays 20 from 20 Jan on.
/// let log = SubscriptionLog::new(
///     &[1, 1, 2],
///     &[day(2024, 1, 10)?, day(2024, 3, 1)?, day(2024, 1, 20)?],
///     &[Some(day(2024, 2, 15)?), None, None],
///     &[10.0, 30.0, 20.0],
/// )?;
/// let c = subscription_cohorts(&log, day(2024, 3, 20)?)?; // March not fully observed
/// let jan = &c.rows[0];
/// assert_eq!((jan.label.as_str(), jan.size), ("2024-01", 2));
/// assert_eq!(jan.active, [Some(2), Some(2), None]); // both active in January and February
/// assert_eq!(jan.mrr, [Some(30.0), Some(20.0), None]); // on 31 Jan: 10 + 20; on 29 Feb: 20
/// assert_eq!(jan.mrr_retention(1)?, 20.0 / 30.0);
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn subscription_cohorts(
    log: &SubscriptionLog,
    observation_end: i32,
) -> Result<SubscriptionCohorts> {
    check_day(observation_end, "observation_end")?;
    let g = Granularity::Month;
    let end_month = g.index(observation_end);
    // The last month whose last day is on or before the observation end.
    let last_full = if g.index(observation_end.saturating_add(1)) > end_month {
        end_month
    } else {
        end_month - 1
    };
    let first_month = g.index(log.first_day());
    // Columns run to the observation end's month (its cells absent when it
    // is only partly observed); one cohort slot per month up to it.
    let ncols = usize::try_from(i64::from(end_month) - i64::from(first_month) + 1).unwrap_or(0);
    let ncohorts = ncols;
    let cells = ncols.saturating_add(1).saturating_mul(ncohorts);
    if cells > MAX_CELLS {
        return Err(Error::TooLarge {
            what: "subscription cohort cells (cohorts × months)",
            got: cells,
            max: MAX_CELLS,
        });
    }
    // Per cohort (offset from first_month): size, and difference arrays over
    // months since the cohort month (ncols + 1 slots).
    let slot = |m: i32| usize::try_from(i64::from(m) - i64::from(first_month)).unwrap_or(0);
    let mut size = vec![0u64; ncohorts];
    let mut d_active = vec![0i64; cells];
    let mut d_mrr = vec![0f64; cells];
    let mut d_paying = vec![0i64; cells];
    let width = ncols + 1;
    let mut touched: Vec<(i32, i32)> = Vec::new();
    for (_, subs) in log.groups() {
        let first = subs.iter().map(|s| s.start).min().unwrap_or(i32::MAX);
        if first > observation_end {
            continue;
        }
        let c = g.index(first);
        let row = slot(c);
        if let Some(s) = size.get_mut(row) {
            *s += 1;
        }
        let base = row * width;
        // Month k (absolute month c + k) maps to column k; only columns up to
        // last_full matter.
        let col = |m: i32| usize::try_from(i64::from(m) - i64::from(c)).unwrap_or(0);
        touched.clear();
        for s in subs {
            let m_start = g.index(s.start);
            if m_start > last_full {
                continue;
            }
            // Months with a covered day: m_start ..= month of (end − 1).
            let m_last = if s.end == super::OPEN_END {
                last_full
            } else {
                g.index(s.end - 1).min(last_full)
            };
            touched.push((m_start, m_last));
            // Months whose last day is covered: m_start .. month of end.
            let m_end = if s.end == super::OPEN_END {
                last_full + 1
            } else {
                g.index(s.end).min(last_full + 1)
            };
            if m_start < m_end {
                let (a, b) = (base + col(m_start), base + col(m_end));
                add(&mut d_mrr, a, s.mrr);
                add(&mut d_mrr, b, -s.mrr);
                if s.mrr > 0.0 {
                    addi(&mut d_paying, a, 1);
                    addi(&mut d_paying, b, -1);
                }
            }
        }
        // Union of the touched month ranges.
        touched.sort_unstable();
        let mut cur: Option<(i32, i32)> = None;
        for &(a, b) in &touched {
            match cur {
                Some((ca, cb)) if a <= cb + 1 => cur = Some((ca, cb.max(b))),
                _ => {
                    if let Some((ca, cb)) = cur {
                        addi(&mut d_active, base + col(ca), 1);
                        addi(&mut d_active, base + col(cb) + 1, -1);
                    }
                    cur = Some((a, b));
                }
            }
        }
        if let Some((ca, cb)) = cur {
            addi(&mut d_active, base + col(ca), 1);
            addi(&mut d_active, base + col(cb) + 1, -1);
        }
    }
    let mut rows = Vec::new();
    for (row, &n) in size.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let cohort = first_month + i32::try_from(row).unwrap_or(0);
        let observed = usize::try_from(i64::from(last_full) - i64::from(cohort) + 1).unwrap_or(0);
        let base = row * width;
        let (mut a, mut m, mut p) = (0i64, 0f64, 0i64);
        let mut active = Vec::with_capacity(ncols);
        let mut mrr = Vec::with_capacity(ncols);
        for k in 0..ncols {
            a += d_active.get(base + k).copied().unwrap_or(0);
            m += d_mrr.get(base + k).copied().unwrap_or(0.0);
            p += d_paying.get(base + k).copied().unwrap_or(0);
            if k < observed {
                active.push(Some(u64::try_from(a).unwrap_or(0)));
                mrr.push(Some(if p == 0 { 0.0 } else { m }));
            } else {
                active.push(None);
                mrr.push(None);
            }
        }
        rows.push(SubscriptionCohortRow {
            cohort,
            label: g.label(cohort),
            size: n,
            active,
            mrr,
        });
    }
    Ok(SubscriptionCohorts {
        observation_end,
        rows,
    })
}

fn add(d: &mut [f64], i: usize, v: f64) {
    if let Some(x) = d.get_mut(i) {
        *x += v;
    }
}

fn addi(d: &mut [i64], i: usize, v: i64) {
    if let Some(x) = d.get_mut(i) {
        *x += v;
    }
}
