//! Bracket retention: per acquisition cohort, the customers with an order in
//! any period of each custom range of columns.

use std::ops::Range;

#[cfg(doc)]
use super::cohort_matrix;
use super::{check_cohort_rows, check_row_widths, rows_by_cohort, CohortOptions, Span};
use crate::error::{Error, Result};
use crate::log::TransactionLog;
use crate::period::Granularity;

/// The most brackets one [`bracket_retention`] call takes: each customer's
/// brackets are one 64-bit mask.
pub const MAX_BRACKETS: usize = 64;

/// Bracket retention of the acquisition cohorts of a log (see
/// [`bracket_retention`]).
///
/// Deserialization runs [`BracketMatrix::validate`].
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "BracketMatrixRaw"))]
pub struct BracketMatrix {
    /// Period length of cohorts and columns.
    pub granularity: Granularity,
    /// Last observed day (inclusive).
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_day"))]
    pub observation_end: i32,
    /// Whether the period holding the observation end is observed to its last day.
    pub last_period_complete: bool,
    /// The brackets: ranges of columns (periods after acquisition), by start.
    pub brackets: Vec<Range<u32>>,
    /// Cohorts (period numbers), ascending; only periods that acquired at
    /// least one customer.
    #[cfg_attr(feature = "serde", serde(with = "crate::period::iso_days"))]
    pub cohorts: Vec<i32>,
    /// Human labels of the cohorts (`2023-06`, ...).
    pub labels: Vec<String>,
    /// Customers acquired in each cohort.
    pub sizes: Vec<u64>,
    /// `counts[c][b]`: customers of cohort `c` with an order in at least one
    /// period `k` of bracket `b` (`brackets[b].start <= k < brackets[b].end`).
    /// Row `c` holds the brackets whose first period is observed; see
    /// [`BracketMatrix::is_partial`] for those not observed to their end.
    pub counts: Vec<Vec<u64>>,
}

checked_serde!(BracketMatrix by validate, BracketMatrixRaw {
    granularity: Granularity,
    #[serde(with = "crate::period::iso_day")]
    observation_end: i32,
    last_period_complete: bool,
    brackets: Vec<Range<u32>>,
    #[serde(with = "crate::period::iso_days")]
    cohorts: Vec<i32>,
    labels: Vec<String>,
    sizes: Vec<u64>,
    counts: Vec<Vec<u64>>,
});

/// The brackets [`bracket_retention`] takes: 1 to [`MAX_BRACKETS`] non-empty
/// ranges with increasing starts.
fn check_brackets(brackets: &[Range<u32>]) -> Result<()> {
    let bad = |reason: String| Error::InvalidArgument {
        name: "brackets",
        reason,
    };
    if brackets.is_empty() || brackets.len() > MAX_BRACKETS {
        return Err(bad(format!(
            "{} brackets; give 1 to {MAX_BRACKETS}",
            brackets.len()
        )));
    }
    for (i, b) in brackets.iter().enumerate() {
        if b.start >= b.end {
            return Err(bad(format!(
                "bracket {i} ({}..{}) is empty",
                b.start, b.end
            )));
        }
        if i > 0 && brackets[i - 1].start >= b.start {
            return Err(bad(format!(
                "bracket {i} starts at {}, not after bracket {} ({}); order them by start",
                b.start,
                i - 1,
                brackets[i - 1].start
            )));
        }
    }
    Ok(())
}

/// The number of `brackets` (by start) whose first column is among the
/// `observed` columns of a cohort: the width of its row.
fn observed_brackets(brackets: &[Range<u32>], observed: usize) -> usize {
    brackets
        .iter()
        .take_while(|b| (b.start as usize) < observed)
        .count()
}

impl BracketMatrix {
    /// Check the shape the methods and [`merge`](Self::merge) rely on: the
    /// brackets as [`bracket_retention`] takes them; one label, size and
    /// row of counts per cohort; cohorts ascending, each once; each row as
    /// long as the number of brackets whose first period its cohort
    /// observes; `last_period_complete` true exactly when the observation
    /// end is the last day of its period. Deserialization and
    /// [`merge`](Self::merge) run it.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for the brackets, the observation end or
    /// `last_period_complete`; [`Error::LengthMismatch`] for a column with
    /// another number of rows than `cohorts`; [`Error::InvalidValue`] naming
    /// the first cohort out of order or range, or the first row of counts of
    /// the wrong width.
    pub fn validate(&self) -> Result<()> {
        check_brackets(&self.brackets)?;
        let observed = check_cohort_rows(
            self.granularity,
            self.observation_end,
            self.last_period_complete,
            &self.cohorts,
            (self.labels.len(), self.sizes.len()),
        )?;
        let widths: Vec<usize> = observed
            .into_iter()
            .map(|k| observed_brackets(&self.brackets, k))
            .collect();
        check_row_widths("counts", &self.counts, &widths)
    }

    /// Counts as fractions of the cohort size.
    ///
    /// # Formula
    /// $$ r_{c,b} = \frac{n_{c,b}}{n_{c,0}} $$
    pub fn fractions(&self) -> Vec<Vec<f64>> {
        self.counts
            .iter()
            .zip(&self.sizes)
            .map(|(row, &n)| row.iter().map(|&x| x as f64 / n as f64).collect())
            .collect()
    }

    /// Whether cell `(c, b)` is not observed to its end: the bracket reaches
    /// past the cohort's last observed period, or into the partly observed
    /// one. Such a cell counts only the orders seen so far. True as well for
    /// a bracket that starts after the observed periods (not in the row);
    /// false for a cohort or bracket out of range.
    pub fn is_partial(&self, cohort: usize, bracket: usize) -> bool {
        let (Some(&index), Some(b)) = (self.cohorts.get(cohort), self.brackets.get(bracket)) else {
            return false;
        };
        let last = self.granularity.index(self.observation_end);
        // Columns 0..=last − index are observed, the last one fully only
        // when the last period is complete.
        let full = i64::from(last) - i64::from(index) + i64::from(self.last_period_complete);
        i64::from(b.end) > full
    }

    /// Merge bracket matrices of customer-disjoint parts of one log (same
    /// granularity, observation end and brackets) by adding sizes and counts.
    ///
    /// # Errors
    /// [`Error::Incompatible`] when the settings differ; [`Error::Empty`] for
    /// no parts; the error of [`validate`](Self::validate) for a part that
    /// fails it.
    ///
    /// # Examples
    /// ```
    /// use retentionkit::cohort::{bracket_retention, BracketMatrix, CohortOptions};
    /// use retentionkit::{period::day, TransactionLog};
    /// // Customer 1: January and March; customer 2 (the other part): January only.
    /// let (a_ids, a_days) = ([1, 1], [day(2024, 1, 5)?, day(2024, 3, 2)?]);
    /// let (b_ids, b_days) = ([2], [day(2024, 1, 9)?]);
    /// let o = CohortOptions::default().with_observation_end(Some(day(2024, 3, 31)?));
    /// let a = bracket_retention(&TransactionLog::new(&a_ids, &a_days, None)?, &o, &[1..3])?;
    /// let b = bracket_retention(&TransactionLog::new(&b_ids, &b_days, None)?, &o, &[1..3])?;
    /// let m = BracketMatrix::merge(&[a, b])?;
    /// assert_eq!((m.sizes[0], m.counts[0][0]), (2, 1)); // 1 of January's 2 came back in Feb-Mar
    /// # Ok::<(), retentionkit::Error>(())
    /// ```
    pub fn merge(parts: &[BracketMatrix]) -> Result<BracketMatrix> {
        let first = parts.first().ok_or(Error::Empty {
            what: "list of bracket matrices to merge",
        })?;
        for p in parts {
            p.validate()?;
        }
        if parts.iter().any(|p| {
            p.granularity != first.granularity
                || p.observation_end != first.observation_end
                || p.brackets != first.brackets
        }) {
            return Err(Error::Incompatible {
                reason: "bracket matrices differ in granularity, observation end or brackets"
                    .into(),
            });
        }
        let mut out = BracketMatrix {
            cohorts: Vec::new(),
            labels: Vec::new(),
            sizes: Vec::new(),
            counts: Vec::new(),
            ..first.clone()
        };
        for (c, pi, r) in rows_by_cohort(parts.iter().map(|p| p.cohorts.as_slice())) {
            let p = &parts[pi];
            if out.cohorts.last() != Some(&c) {
                out.cohorts.push(c);
                out.labels.push(p.labels[r].clone());
                out.sizes.push(0);
                out.counts.push(vec![0; p.counts[r].len()]);
            }
            let i = out.cohorts.len() - 1;
            out.sizes[i] += p.sizes[r];
            out.counts[i]
                .iter_mut()
                .zip(&p.counts[r])
                .for_each(|(x, y)| *x += y);
        }
        Ok(out)
    }
}

/// Bracket retention: for each acquisition cohort and each bracket (a range
/// of periods after acquisition), the customers with an order in at least
/// one period of the bracket.
///
/// # Formula
/// $$ n_{c,b} = \bigl|\\{ i \in c : \exists k \in [s_b, e_b),\ i \text{ ordered in period } c + k \\}\bigr| $$
/// Source: docs/metrics.md, "Acquisition cohorts and retention matrices"
/// (bracket retention).
/// A bracket of one period is the N-period cell; a bracket from `k` to the
/// end of the log is the unbounded cell.
///
/// # Errors
/// [`Error::InvalidArgument`] (`brackets`) for no brackets, more than
/// [`MAX_BRACKETS`], an empty range or starts that do not increase; the
/// errors of [`cohort_matrix`] for the observation end and the log's span.
///
/// # Examples
/// ```
/// use retentionkit::{cohort::{bracket_retention, CohortOptions}, period::day, TransactionLog};
/// // January cohort: customer 1 back in February and April, customer 2 in
/// // March; customer 3 only in January. Observed through April.
/// let ids = [1, 2, 3, 1, 2, 1];
/// let days = [day(2024, 1, 2)?, day(2024, 1, 5)?, day(2024, 1, 9)?, day(2024, 2, 7)?, day(2024, 3, 1)?, day(2024, 4, 30)?];
/// let log = TransactionLog::new(&ids, &days, None)?;
/// let m = bracket_retention(&log, &CohortOptions::default(), &[1..3, 3..6])?;
/// // Months 1–2: customers 1 and 2; months 3–5: customer 1 (April).
/// assert_eq!(m.counts, [vec![2, 1]]);
/// assert!(!m.is_partial(0, 0) && m.is_partial(0, 1)); // May and June not observed
/// # Ok::<(), retentionkit::Error>(())
/// ```
pub fn bracket_retention(
    log: &TransactionLog<'_>,
    options: &CohortOptions,
    brackets: &[Range<u32>],
) -> Result<BracketMatrix> {
    check_brackets(brackets)?;
    let Span {
        g,
        end,
        p0,
        np,
        last_period_complete,
        table,
    } = Span::new(log, options)?;
    // Bit b of mask_of[k]: column k lies in bracket b.
    let mask_of: Vec<u64> = (0..np)
        .map(|k| {
            let k = u32::try_from(k).unwrap_or(u32::MAX); // ok: k < MAX_PERIODS
            brackets
                .iter()
                .enumerate()
                .filter(|(_, b)| b.contains(&k))
                .fold(0u64, |m, (i, _)| m | 1 << i)
        })
        .collect();
    let nb = brackets.len();
    let rows = log.rows_before(end.saturating_add(1));
    let parts = crate::parts::per_part(log, 0..rows, |part| {
        // Per customer: cohort offset (u16::MAX = none) and brackets hit.
        let mut st = vec![(u16::MAX, 0u64); part.slots.len()];
        part.visit(&mut st, |c, d, _| {
            let p = u16::try_from(table.get(d) - p0).unwrap_or(0); // ok: 0 <= period of d − p0 < MAX_PERIODS
            if c.0 == u16::MAX {
                c.0 = p;
            }
            c.1 |= mask_of[usize::from(p - c.0)];
        });
        let (mut sizes, mut counts) = (vec![0u64; np], vec![0u64; np * nb]);
        for &(c, mut mask) in &st {
            if c != u16::MAX {
                sizes[usize::from(c)] += 1;
                while mask != 0 {
                    counts[usize::from(c) * nb + mask.trailing_zeros() as usize] += 1;
                    mask &= mask - 1;
                }
            }
        }
        (sizes, counts)
    });
    let (mut sizes, mut counts) = (vec![0u64; np], vec![0u64; np * nb]);
    for (s, c) in parts {
        sizes.iter_mut().zip(&s).for_each(|(x, y)| *x += y);
        counts.iter_mut().zip(&c).for_each(|(x, y)| *x += y);
    }
    let mut m = BracketMatrix {
        granularity: g,
        observation_end: end,
        last_period_complete,
        brackets: brackets.to_vec(),
        cohorts: Vec::new(),
        labels: Vec::new(),
        sizes: Vec::new(),
        counts: Vec::new(),
    };
    for (c, &size) in sizes.iter().enumerate() {
        if size == 0 {
            continue;
        }
        let index = p0 + i32::try_from(c).unwrap_or(0); // ok: c < MAX_PERIODS
                                                        // Columns 0..np − c are observed: the brackets that start there.
        let observed = observed_brackets(brackets, np - c);
        m.cohorts.push(index);
        m.labels.push(g.label(index));
        m.sizes.push(size);
        m.counts.push(counts[c * nb..c * nb + observed].to_vec());
    }
    Ok(m)
}
